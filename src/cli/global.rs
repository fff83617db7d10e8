//! The AWS CLI's global options, accepted anywhere on the command line, and
//! what they resolve to: the connection to make and how to print.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::config_file;
use super::output::{OutputFormat, OutputSettings, TimestampFormat};
use crate::client::{ConnectOptions, TlsTrust};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorMode {
    On,
    Off,
    Auto,
}

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Use a specific profile from your credentials and config files.
    #[arg(long, global = true)]
    pub profile: Option<String>,
    /// The region to use. Overrides config/env settings.
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Override the service endpoint URL (e.g. a `ddsp sandbox`).
    #[arg(long, global = true)]
    pub endpoint_url: Option<String>,
    /// The output format (default: $AWS_DEFAULT_OUTPUT, the profile's `output`, else json).
    #[arg(long, global = true, value_enum)]
    pub output: Option<OutputFormat>,
    /// A JMESPath query to filter the response.
    #[arg(long, global = true)]
    pub query: Option<String>,
    /// Make one call only, for the first page of a list.
    #[arg(long, global = true)]
    pub no_paginate: bool,
    /// Log the requests and responses on stderr.
    #[arg(long, global = true)]
    pub debug: bool,
    /// Colour table output.
    #[arg(long, global = true, value_enum, default_value = "auto")]
    pub color: ColorMode,
    /// Socket read timeout in seconds (0: none). Default 60.
    #[arg(long, global = true)]
    pub cli_read_timeout: Option<u64>,
    /// Socket connect timeout in seconds (0: none). Default 60.
    #[arg(long, global = true)]
    pub cli_connect_timeout: Option<u64>,
    /// Accepted for compatibility: ddsp never pipes output through a pager.
    #[arg(long, global = true)]
    pub no_cli_pager: bool,
    /// Run against an in-process sandbox on the user's sandbox database.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Trust only the certificates in this PEM file (else $AWS_CA_BUNDLE, else the profile's ca_bundle).
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_bundle: Option<PathBuf>,
    /// Do not verify the endpoint's TLS certificate (a warning is printed).
    #[arg(long, global = true)]
    pub no_verify_ssl: bool,
    /// The editor opens and shows everything but sends nothing that writes.
    #[arg(long, global = true)]
    pub read_only: bool,
}

impl GlobalArgs {
    /// The options that chose the endpoint, as they would be typed again (each
    /// with a leading space, shell-quoted): what a printed "Next: ddsp …" line
    /// needs so the next command talks to the same endpoint.
    pub fn connection_flags(&self) -> String {
        let q = crate::wire::export::shell_quote;
        let mut out = String::new();
        if self.sandbox {
            out.push_str(" --sandbox");
        }
        for (flag, value) in
            [("--endpoint-url", &self.endpoint_url), ("--profile", &self.profile), ("--region", &self.region)]
        {
            if let Some(v) = value {
                out.push_str(&format!(" {flag} {}", q(v)));
            }
        }
        out
    }

    /// The connection the options name. With `--no-verify-ssl` this says on
    /// stderr, once and before any screen is drawn, that certificates go unchecked.
    pub fn connect_options(&self) -> ConnectOptions {
        if self.no_verify_ssl && !self.sandbox {
            eprintln!(
                "ddsp: warning: --no-verify-ssl: the endpoint's TLS certificate is not verified, so anyone on the path can read and change what is sent"
            );
        }
        ConnectOptions {
            profile: self.profile.clone(),
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
            connect_timeout: Some(Duration::from_secs(self.cli_connect_timeout.unwrap_or(60))),
            read_timeout: Some(Duration::from_secs(self.cli_read_timeout.unwrap_or(60))),
            sandbox: self.sandbox,
            tls: self.tls_trust(),
        }
    }

    /// How TLS certificates are checked, as the AWS CLI decides it:
    /// `--no-verify-ssl` first, then `--ca-bundle`, `$AWS_CA_BUNDLE` and the
    /// profile's `ca_bundle`.
    pub fn tls_trust(&self) -> TlsTrust {
        if self.no_verify_ssl {
            return TlsTrust::NoVerify;
        }
        let bundle = self
            .ca_bundle
            .clone()
            .or_else(|| std::env::var_os("AWS_CA_BUNDLE").filter(|v| !v.is_empty()).map(PathBuf::from))
            .or_else(|| {
                config_file::load(self.profile.as_deref()).ca_bundle.filter(|b| !b.is_empty()).map(PathBuf::from)
            });
        bundle.map_or(TlsTrust::System, TlsTrust::CaBundle)
    }

    /// How to print, from the flags, the environment and the config file.
    pub fn output_settings(&self) -> OutputSettings {
        let file = config_file::load(self.profile.as_deref());
        let format = self
            .output
            .or_else(|| std::env::var("AWS_DEFAULT_OUTPUT").ok().as_deref().and_then(OutputFormat::parse))
            .or_else(|| file.output.as_deref().and_then(OutputFormat::parse))
            .unwrap_or(OutputFormat::Json);
        // AWS CLI v2 (whose exit codes ddsp uses): ISO 8601 unless the profile
        // says `none` or `wire` (the number as sent).
        let timestamps = match file.cli_timestamp_format.as_deref().map(str::trim) {
            Some("none" | "wire") => TimestampFormat::Wire,
            _ => TimestampFormat::Iso8601,
        };
        let terminal = std::io::stdout().is_terminal();
        let color = match self.color {
            ColorMode::On => true,
            ColorMode::Off => false,
            ColorMode::Auto => terminal,
        };
        let width = if terminal { crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w)) } else { 80 };
        OutputSettings { format, timestamps, query: self.query.clone(), color, width, terminal }
    }
}
