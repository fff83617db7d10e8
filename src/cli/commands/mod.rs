//! The service commands, named as the AWS CLI names them. Each file turns its
//! options (and `--cli-input-json`/`--cli-input-yaml`) into a request, applies
//! the rules before anything is sent, and hands the call to `execute`, which
//! connects, runs it (Ctrl-C gives 130), prints the answer and picks the exit code.

pub mod alerts;
pub mod backtest;
pub mod certificates;
pub mod create;
pub mod delete;
pub mod describe;
pub mod export_metrics;
pub mod list;
pub mod metric_source;
pub mod mitigation;
pub mod plan;
pub mod resources;
pub mod targets;
pub mod thing_groups;
pub mod tune;
pub mod update;
pub mod validate_behaviors;
pub mod violations;

use std::future::Future;
use std::io::Write;
use std::pin::Pin;

use clap::Args;
use serde_json::Value;

use super::exit;
use super::global::GlobalArgs;
use super::output::{apply_query, render};
use crate::client::{ClientError, Connection, operations};
use crate::domain::{Context, EndpointReferences, Problem, Rule};
use crate::endpoint::connect;
use crate::wire::request::Operation;
use crate::wire::skeleton::{SkeletonKind, skeleton};

/// The options every operation has for files and skeletons.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Read the request from JSON (inline or file://PATH); options override its values.
    #[arg(long)]
    pub cli_input_json: Option<String>,
    /// Read the request from YAML (inline or file://PATH); options override its values.
    #[arg(long, conflicts_with = "cli_input_json")]
    pub cli_input_yaml: Option<String>,
    /// Print a skeleton instead of calling the service: input (default), yaml-input or output.
    #[arg(long, num_args = 0..=1, default_missing_value = "input", value_parser = super::skeleton::parse_kind)]
    pub generate_cli_skeleton: Option<SkeletonKind>,
}

impl InputArgs {
    /// Prints the skeleton when one was asked for.
    pub fn skeleton(&self, operation: Operation) -> Option<u8> {
        let kind = self.generate_cli_skeleton?;
        let _ = std::io::stdout().lock().write_all(skeleton(operation, kind).as_bytes());
        Some(exit::OK)
    }

    pub fn document<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, String> {
        super::input::cli_input(self.cli_input_json.as_deref(), self.cli_input_yaml.as_deref())
    }

    /// The request of `operation` as `--cli-input-json`/`-yaml` give it (the
    /// default request without one), for the options to override. Err is the
    /// code the command ends with: 0 once `--generate-cli-skeleton` printed
    /// the skeleton, 252 when the document does not read (the reason printed).
    pub fn request<T: serde::de::DeserializeOwned + Default>(&self, operation: Operation) -> Result<T, u8> {
        if let Some(code) = self.skeleton(operation) {
            return Err(code);
        }
        self.read()
    }

    /// The input document (the default request without one), or Err(252)
    /// with the reason printed.
    pub fn read<T: serde::de::DeserializeOwned + Default>(&self) -> Result<T, u8> {
        self.document().map(Option::unwrap_or_default).map_err(|e| bad_parameter(&e))
    }
}

/// A bad parameter: the message, exit 252.
pub fn bad_parameter(message: &str) -> u8 {
    // Messages quote file names and option values: nothing raw reaches the terminal.
    eprintln!("\n{}", crate::domain::untrusted::neutralise_lines(message));
    exit::BAD_PARAMETERS
}

/// A required option neither given nor in the input file.
pub fn missing(option: &str) -> u8 {
    eprintln!("ddsp: error: the following arguments are required: {option}");
    exit::BAD_PARAMETERS
}

/// What is said when the rules stop a request.
const NOT_SENT: &str = "Parameter validation failed: the request was not sent.";

/// Prints the problems on stderr as `path: message`; true when any is an error.
fn print_problems(problems: &[Problem]) -> bool {
    let mut err = std::io::stderr().lock();
    for p in problems {
        let _ = writeln!(err, "{p}");
    }
    problems.iter().any(Problem::is_error)
}

/// Prints the problems on stderr as `path: message`; Err(252) when any is an error.
pub fn check(problems: &[Problem]) -> Result<(), u8> {
    if print_problems(problems) {
        eprintln!("{NOT_SENT}");
        return Err(exit::BAD_PARAMETERS);
    }
    Ok(())
}

/// Judges a request by the rules before it is sent, and returns a call that
/// then runs `then`. The rules run offline first: an error there needs no
/// endpoint and stops the request before connecting. A request that names
/// custom metrics or dimensions is then judged against the endpoint it goes to
/// (its lists, fetched once for the run), so a connected command never says it
/// "cannot check offline".
pub fn judged<V, T>(
    refs: EndpointReferences,
    region: Option<String>,
    rules: V,
    then: T,
) -> Result<impl for<'c> FnOnce(&'c Connection) -> Call<'c>, u8>
where
    V: Fn(&Context) -> Vec<Problem> + 'static,
    T: for<'c> FnOnce(&'c Connection) -> Call<'c> + 'static,
{
    let offline = rules(&Context { region: region.clone(), ..Context::offline() });
    if refs.is_empty() {
        check(&offline)?;
    } else if offline.iter().any(Problem::is_error) {
        // What only the endpoint can judge is left to it, once these are fixed.
        let endpoint_only = |p: &Problem| matches!(p.rule, Rule::UnknownCustomMetric | Rule::UnknownDimension);
        let shown: Vec<Problem> = offline.into_iter().filter(|p| !endpoint_only(p)).collect();
        check(&shown)?;
    }
    Ok(as_call(move |c| {
        Box::pin(async move {
            if !refs.is_empty() {
                let ctx = operations::context_for(c, &refs, region).await?;
                if print_problems(&rules(&ctx)) {
                    return Err(ClientError::Request(NOT_SENT.to_owned()));
                }
            }
            then(c).await
        })
    }))
}

/// Pins a closure to the higher-ranked call type, so the compiler infers it as such.
fn as_call<F>(call: F) -> F
where
    F: for<'c> FnOnce(&'c Connection) -> Call<'c>,
{
    call
}

/// An operation's call: it borrows the connection for as long as it runs.
pub type Call<'c> = Pin<Box<dyn Future<Output = Result<Value, ClientError>> + 'c>>;

/// Connects, runs `call`, prints its result under `title`, and returns the exit code.
pub fn execute<F>(global: &GlobalArgs, title: &str, call: F) -> u8
where
    F: for<'c> FnOnce(&'c Connection) -> Call<'c>,
{
    run_call(global, Some(title), call)
}

/// As `execute`, but prints nothing on success (the caller reports the result).
pub fn execute_quietly<F>(global: &GlobalArgs, call: F) -> u8
where
    F: for<'c> FnOnce(&'c Connection) -> Call<'c>,
{
    run_call(global, None, call)
}

fn run_call<F>(global: &GlobalArgs, title: Option<&str>, call: F) -> u8
where
    F: for<'c> FnOnce(&'c Connection) -> Call<'c>,
{
    let settings = global.output_settings();
    if let Some(query) = &settings.query
        && let Err(e) = apply_query(query, &Value::Null)
        && e.starts_with("Bad value")
    {
        return bad_parameter(&e);
    }
    if let Some(profile) = global.profile.as_deref().filter(|_| !global.sandbox)
        && !super::config_file::profile_exists(profile)
    {
        eprintln!("\nThe config profile ({}) could not be found", crate::domain::untrusted::neutralise(profile));
        return exit::BAD_CONFIG;
    }
    if global.debug {
        let _ = tracing_subscriber::fmt().with_writer(std::io::stderr).with_max_level(tracing::Level::DEBUG).try_init();
    }
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let options = global.connect_options();
    let outcome = runtime.block_on(async move {
        let connection = connect(&options).await?;
        let result = tokio::select! {
            r = call(&connection) => Some(r),
            _ = tokio::signal::ctrl_c() => None,
        };
        connection.close().await;
        result.transpose()
    });
    match outcome {
        Ok(None) => {
            eprintln!();
            exit::INTERRUPTED
        }
        Ok(Some(_)) if title.is_none() => exit::OK,
        Ok(Some(value)) => match render(value, title.unwrap_or_default(), &settings) {
            Ok(text) => {
                let _ = std::io::stdout().lock().write_all(text.as_bytes());
                exit::OK
            }
            Err(e) => bad_parameter(&e),
        },
        Err(e) => failed(&e),
    }
}

/// The one runtime a command runs on; Err(255) said when it cannot start.
pub fn runtime() -> Result<tokio::runtime::Runtime, u8> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| {
        eprintln!("ddsp: cannot start the runtime: {e}");
        exit::OTHER
    })
}

/// A call that failed, said as the AWS CLI says it (a blank line, then the
/// error), with the sandbox hint when the setup chose the sandbox; the exit
/// code (`exit_code`). Every command's failed call ends here.
pub fn failed(e: &ClientError) -> u8 {
    eprintln!("\n{}", crate::domain::untrusted::neutralise(&e.to_string()));
    if let Some(hint) = setup_hint(e) {
        eprintln!("{hint}");
    }
    exit_code(e)
}

/// The AWS CLI v2's exit code for a failed call: 254 the service refused it,
/// 253 configuration or credentials, 252 the request, 255 anything else.
pub fn exit_code(e: &ClientError) -> u8 {
    match e {
        ClientError::Service { .. } => exit::SERVICE_ERROR,
        ClientError::Config(_) => exit::BAD_CONFIG,
        ClientError::Request(_) => exit::BAD_PARAMETERS,
        ClientError::Network(_) | ClientError::Other(_) => exit::OTHER,
    }
}

/// When a command found no AWS region or credentials and the editor's setup
/// chose the local sandbox, how to reach it: the commands go to AWS unless
/// told, as the AWS CLI's do, so a script never lands on the sandbox by surprise.
fn setup_hint(e: &ClientError) -> Option<&'static str> {
    let ClientError::Config(message) = e else { return None };
    let missing =
        message.starts_with("You must specify a region") || message.starts_with("Unable to locate credentials");
    let settings = crate::config::default_path().and_then(|p| crate::config::load(&p).ok().flatten())?;
    (missing && settings.connect == Some(crate::config::Connect::Sandbox)).then_some(
        "The editor's setup chose the local sandbox; commands go to AWS unless told: add --sandbox (ddsp list-security-profiles --sandbox).",
    )
}

/// A response type as the JSON the CLI prints.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<Value, ClientError> {
    serde_json::to_value(value).map_err(|e| ClientError::Other(e.to_string()))
}
