//! The command line: clap definitions and dispatch. Each command lives in its
//! own file and returns an exit code (see `exit.rs`).

pub mod exit;
pub mod sandbox;
pub mod skeleton;
pub mod validate;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::wire::request::Operation;

/// ddsp: edit, check and submit AWS IoT Device Defender security profiles.
#[derive(Debug, Parser)]
#[command(name = "ddsp", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a request file (JSON or YAML, `-` for stdin) against the service's rules, offline.
    Validate {
        /// The file: a --cli-input-json / --cli-input-yaml document (file:// accepted).
        file: String,
        /// Which request the file holds.
        #[arg(long = "as", value_enum, default_value = "auto")]
        kind: validate::DocumentKind,
        /// How to print the problems.
        #[arg(long, value_enum, default_value = "text")]
        output: validate::ProblemFormat,
        /// The region the profile is for (enables region-specific rules).
        #[arg(long)]
        region: Option<String>,
    },
    /// Run a local AWS IoT endpoint for security profiles (SQLite-backed, loopback only by default).
    Sandbox(sandbox::SandboxArgs),
    /// Print the --generate-cli-skeleton output of an operation.
    Skeleton {
        /// The AWS CLI command, e.g. create-security-profile.
        #[arg(value_parser = skeleton::parse_operation)]
        operation: Operation,
        /// input, yaml-input or output.
        #[arg(default_value = "input", value_parser = skeleton::parse_kind)]
        kind: crate::wire::skeleton::SkeletonKind,
    },
}

/// Parses the command line and runs the command.
pub fn run() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::BAD_PARAMETERS } else { exit::OK };
            let _ = e.print();
            return exit::code(code);
        }
    };
    let code = match cli.command {
        Command::Validate { file, kind, output, region } => validate::run(&file, kind, output, region),
        Command::Skeleton { operation, kind } => skeleton::run(operation, kind),
        Command::Sandbox(args) => sandbox::run(args),
    };
    exit::code(code)
}
