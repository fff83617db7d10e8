//! The command line: clap definitions and dispatch. The service commands are
//! named and shaped as the AWS CLI's (`commands/`); `validate`, `skeleton`,
//! `sandbox` and `completion` are ddsp's own. Every command returns an exit
//! code from `exit.rs`.

pub mod commands;
pub mod config_file;
pub use crate::exit;
pub mod global;
pub mod input;
pub mod later;
pub mod output;
pub mod pagination;
pub mod parse;
pub mod sandbox;
pub mod sandbox_ca;
pub mod skeleton;
pub mod table;
pub mod validate;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use crate::wire::request::Operation;
use commands::certificates::CertificateCall;
use commands::{
    backtest, certificates, create, delete, describe, list, mitigation, plan, resources, targets, thing_groups, tune,
    update, validate_behaviors, violations,
};
use global::GlobalArgs;
use later::Later;

/// ddsp: edit, check and submit AWS IoT Device Defender security profiles.
#[derive(Debug, Parser)]
#[command(name = "ddsp", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// Without a command, ddsp opens the editor.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Creates a Device Defender security profile (CreateSecurityProfile).
    CreateSecurityProfile(Later<create::CreateArgs>),
    /// Updates a security profile (UpdateSecurityProfile).
    UpdateSecurityProfile(Later<update::UpdateArgs>),
    /// Gets a security profile (DescribeSecurityProfile).
    DescribeSecurityProfile(Later<describe::DescribeArgs>),
    /// Lists the security profiles (ListSecurityProfiles).
    ListSecurityProfiles(Later<list::ListArgs>),
    /// Deletes a security profile (DeleteSecurityProfile).
    DeleteSecurityProfile(Later<delete::DeleteArgs>),
    /// Asks the endpoint to check behaviors (ValidateSecurityProfileBehaviors).
    ValidateSecurityProfileBehaviors(Later<validate_behaviors::ValidateBehaviorsArgs>),
    /// Attaches a security profile to a thing group or to all things (AttachSecurityProfile).
    AttachSecurityProfile(Later<targets::TargetArgs>),
    /// Detaches a security profile from a target (DetachSecurityProfile).
    DetachSecurityProfile(Later<targets::TargetArgs>),
    /// Lists the targets a security profile is attached to (ListTargetsForSecurityProfile).
    ListTargetsForSecurityProfile(Later<targets::ListTargetsArgs>),
    /// Lists the security profiles attached to a target (ListSecurityProfilesForTarget).
    ListSecurityProfilesForTarget(Later<targets::ProfilesForTargetArgs>),
    /// Creates a thing group (CreateThingGroup).
    CreateThingGroup(Later<thing_groups::CreateThingGroupArgs>),
    /// Deletes a thing group; its profiles are detached (DeleteThingGroup).
    DeleteThingGroup(Later<thing_groups::DeleteThingGroupArgs>),
    /// Lists the thing groups (ListThingGroups).
    ListThingGroups(Later<thing_groups::ListThingGroupsArgs>),
    /// Creates a TOPIC_FILTER dimension (CreateDimension).
    CreateDimension(Later<resources::DimensionArgs>),
    /// Replaces a dimension's topic filters (UpdateDimension).
    UpdateDimension(Later<resources::DimensionArgs>),
    /// Gets a dimension (DescribeDimension).
    DescribeDimension(Later<resources::DimensionNameArgs>),
    /// Lists the dimensions (ListDimensions).
    ListDimensions(Later<resources::ListNamesArgs>),
    /// Deletes a dimension no profile uses (DeleteDimension).
    DeleteDimension(Later<resources::DimensionNameArgs>),
    /// Creates a custom metric (CreateCustomMetric).
    CreateCustomMetric(Later<resources::CustomMetricArgs>),
    /// Changes a custom metric's display name (UpdateCustomMetric).
    UpdateCustomMetric(Later<resources::CustomMetricArgs>),
    /// Gets a custom metric (DescribeCustomMetric).
    DescribeCustomMetric(Later<resources::CustomMetricNameArgs>),
    /// Lists the custom metrics (ListCustomMetrics).
    ListCustomMetrics(Later<resources::ListNamesArgs>),
    /// Deletes a custom metric no profile uses (DeleteCustomMetric).
    DeleteCustomMetric(Later<resources::CustomMetricNameArgs>),
    /// Lists the violations in alarm now (ListActiveViolations).
    ListActiveViolations(Later<violations::ListActiveViolationsArgs>),
    /// Lists the in-alarm and alarm-cleared events in a time window (ListViolationEvents).
    ListViolationEvents(Later<violations::ListViolationEventsArgs>),
    /// Lists a thing's values of a metric in a time window (ListMetricValues).
    ListMetricValues(Later<violations::ListMetricValuesArgs>),
    /// The ML Detect model status of each ML behavior (GetBehaviorModelTrainingSummaries).
    GetBehaviorModelTrainingSummaries(Later<violations::TrainingSummariesArgs>),
    /// Marks a violation true, benign or false positive (PutVerificationStateOnViolation).
    PutVerificationStateOnViolation(Later<violations::PutVerificationArgs>),
    /// Makes a key pair and a certificate for it (CreateKeysAndCertificate).
    CreateKeysAndCertificate(Later<certificates::CreateKeysArgs>),
    /// Gets a certificate (DescribeCertificate).
    DescribeCertificate(Later<certificates::CertificateIdArgs>),
    /// Lists the certificates (ListCertificates).
    ListCertificates(Later<certificates::ListCertificatesArgs>),
    /// Sets a certificate ACTIVE, INACTIVE or REVOKED (UpdateCertificate).
    UpdateCertificate(Later<certificates::CertificateIdArgs>),
    /// Deletes an inactive certificate attached to no thing (DeleteCertificate).
    DeleteCertificate(Later<certificates::CertificateIdArgs>),
    /// Attaches a certificate to a thing (AttachThingPrincipal).
    AttachThingPrincipal(Later<certificates::ThingPrincipalArgs>),
    /// Detaches a certificate from a thing (DetachThingPrincipal).
    DetachThingPrincipal(Later<certificates::ThingPrincipalArgs>),
    /// Lists the certificates attached to a thing (ListThingPrincipals).
    ListThingPrincipals(Later<certificates::ListThingPrincipalsArgs>),
    /// The MQTT endpoint devices connect to (DescribeEndpoint).
    DescribeEndpoint(Later<certificates::DescribeEndpointArgs>),
    /// Makes a mitigation action: what a mitigation task does to a violation's thing (CreateMitigationAction).
    CreateMitigationAction(Later<mitigation::MitigationActionArgs>),
    /// Gets a mitigation action (DescribeMitigationAction).
    DescribeMitigationAction(Later<mitigation::ActionNameArgs>),
    /// Lists the mitigation actions (ListMitigationActions).
    ListMitigationActions(Later<mitigation::ListActionsArgs>),
    /// Changes a mitigation action's role or parameters (UpdateMitigationAction).
    UpdateMitigationAction(Later<mitigation::MitigationActionArgs>),
    /// Deletes a mitigation action (DeleteMitigationAction).
    DeleteMitigationAction(Later<mitigation::ActionNameArgs>),
    /// Carries out mitigation actions on a profile's or listed violations (StartDetectMitigationActionsTask).
    StartDetectMitigationActionsTask(Later<mitigation::StartTaskArgs>),
    /// Gets a mitigation task: its target, actions and statistics (DescribeDetectMitigationActionsTask).
    DescribeDetectMitigationActionsTask(Later<mitigation::TaskIdArgs>),
    /// Lists the mitigation tasks started in a time window (ListDetectMitigationActionsTasks).
    ListDetectMitigationActionsTasks(Later<mitigation::ListTasksArgs>),
    /// Cancels a mitigation task in progress (CancelDetectMitigationActionsTask).
    CancelDetectMitigationActionsTask(Later<mitigation::TaskIdArgs>),
    /// Lists what mitigation tasks did to each thing (ListDetectMitigationActionsExecutions).
    ListDetectMitigationActionsExecutions(Later<mitigation::ListExecutionsArgs>),
    /// Which things a profile file's behaviors would have alarmed, against metric data, beside the endpoint's profile.
    Backtest(Later<backtest::BacktestArgs>),
    /// The threshold, percentile or allow-list each behavior of a profile file needs to raise at most N alarms a week, from the data.
    Tune(Later<tune::TuneArgs>),
    /// Check a request file (JSON or YAML, `-` for stdin) against the service's rules, offline.
    Validate {
        /// The files: --cli-input-json / --cli-input-yaml documents (file:// accepted; `-` for
        /// stdin), and folders of profile files (each `.json`, `.yaml`, `.yml`). Every file is reported.
        #[arg(required = true)]
        files: Vec<String>,
        /// Which request the file holds.
        #[arg(long = "as", value_enum, default_value = "auto")]
        kind: validate::DocumentKind,
        /// Also ask the endpoint (ValidateSecurityProfileBehaviors) about the behaviors.
        #[arg(long)]
        remote: bool,
    },
    /// What applying profile files would change on the endpoint (create, update, unchanged, delete with --prune).
    Plan(Later<plan::PlanArgs>),
    /// Make the endpoint hold what the profile files say (or carry out a saved plan).
    Apply(Later<plan::ApplyArgs>),
    /// Write every profile of the endpoint (tags and targets included) as files `plan` finds unchanged.
    Export(Later<plan::ExportArgs>),
    /// Print a JSON Schema (2020-12) of the profile file, for editors' language servers.
    Schema,
    /// Print the --generate-cli-skeleton output of an operation.
    Skeleton {
        /// The AWS CLI command, e.g. create-security-profile.
        #[arg(value_parser = skeleton::parse_operation)]
        operation: Operation,
        /// input, yaml-input or output.
        #[arg(default_value = "input", value_parser = skeleton::parse_kind)]
        kind: crate::wire::skeleton::SkeletonKind,
    },
    /// Run a local AWS IoT endpoint for security profiles (SQLite-backed, loopback only by default).
    Sandbox(sandbox::SandboxArgs),
    /// Print a shell completion script.
    Completion { shell: clap_complete::Shell },
    /// The guided setup: where to connect, a template, a name; then the editor.
    Init,
}

/// Parses the command line and runs the command.
/// A reader that stops early (`ddsp … | head -1`) closes the pipe: the
/// command ends quietly with exit 0, as ripgrep and other filters do, instead
/// of the panic `println!` raises on a closed stdout. Every print goes
/// through `println!`/`print!`, so their panic is the one place to catch it.
/// (Choice: the AWS CLI, a Python program, has no single documented code.)
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

pub fn run() -> ExitCode {
    let cli = match parse::parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // clap quotes the user's own arguments: plain text, neutralised, never raw.
            let text = e.render().to_string();
            eprint!("{}", crate::domain::untrusted::neutralise_lines(&text));
            return exit::code(exit::BAD_PARAMETERS);
        }
        Err(e) => {
            let _ = e.print();
            return exit::code(exit::OK);
        }
    };
    let global = cli.global;
    let Some(command) = cli.command else {
        return exit::code(crate::tui::run(global.connect_options(), false, global.read_only));
    };
    quiet_on_closed_pipe();
    let code = match command {
        Command::CreateSecurityProfile(Later(args)) => create::run(args, &global),
        Command::UpdateSecurityProfile(Later(args)) => update::run(args, &global),
        Command::DescribeSecurityProfile(Later(args)) => describe::run(args, &global),
        Command::ListSecurityProfiles(Later(args)) => list::run(args, &global),
        Command::DeleteSecurityProfile(Later(args)) => delete::run(args, &global),
        Command::ValidateSecurityProfileBehaviors(Later(args)) => validate_behaviors::run(args, &global),
        Command::AttachSecurityProfile(Later(args)) => targets::run_target(args, &global, true),
        Command::DetachSecurityProfile(Later(args)) => targets::run_target(args, &global, false),
        Command::ListTargetsForSecurityProfile(Later(args)) => targets::run_list_targets(args, &global),
        Command::ListSecurityProfilesForTarget(Later(args)) => targets::run_profiles_for_target(args, &global),
        Command::CreateThingGroup(Later(args)) => thing_groups::run_create(args, &global),
        Command::DeleteThingGroup(Later(args)) => thing_groups::run_delete(args, &global),
        Command::ListThingGroups(Later(args)) => thing_groups::run_list(args, &global),
        Command::CreateDimension(Later(args)) => resources::run_write_dimension(args, &global, true),
        Command::UpdateDimension(Later(args)) => resources::run_write_dimension(args, &global, false),
        Command::DescribeDimension(Later(args)) => resources::run_dimension_by_name(args, &global, false),
        Command::ListDimensions(Later(args)) => resources::run_list_names(args, &global, true),
        Command::DeleteDimension(Later(args)) => resources::run_dimension_by_name(args, &global, true),
        Command::CreateCustomMetric(Later(args)) => resources::run_write_custom_metric(args, &global, true),
        Command::UpdateCustomMetric(Later(args)) => resources::run_write_custom_metric(args, &global, false),
        Command::DescribeCustomMetric(Later(args)) => resources::run_custom_metric_by_name(args, &global, false),
        Command::ListCustomMetrics(Later(args)) => resources::run_list_names(args, &global, false),
        Command::DeleteCustomMetric(Later(args)) => resources::run_custom_metric_by_name(args, &global, true),
        Command::ListActiveViolations(Later(args)) => violations::run_active(args, &global),
        Command::ListViolationEvents(Later(args)) => violations::run_events(args, &global),
        Command::ListMetricValues(Later(args)) => violations::run_metric_values(args, &global),
        Command::GetBehaviorModelTrainingSummaries(Later(args)) => violations::run_training(args, &global),
        Command::PutVerificationStateOnViolation(Later(args)) => violations::run_put_verification(args, &global),
        Command::CreateMitigationAction(Later(args)) => mitigation::run_put_action(args, &global, true),
        Command::DescribeMitigationAction(Later(args)) => mitigation::run_action_name(args, &global, false),
        Command::ListMitigationActions(Later(args)) => mitigation::run_list_actions(args, &global),
        Command::UpdateMitigationAction(Later(args)) => mitigation::run_put_action(args, &global, false),
        Command::DeleteMitigationAction(Later(args)) => mitigation::run_action_name(args, &global, true),
        Command::StartDetectMitigationActionsTask(Later(args)) => mitigation::run_start_task(args, &global),
        Command::DescribeDetectMitigationActionsTask(Later(args)) => mitigation::run_task_id(args, &global, false),
        Command::ListDetectMitigationActionsTasks(Later(args)) => mitigation::run_list_tasks(args, &global),
        Command::CancelDetectMitigationActionsTask(Later(args)) => mitigation::run_task_id(args, &global, true),
        Command::ListDetectMitigationActionsExecutions(Later(args)) => mitigation::run_list_executions(args, &global),
        Command::CreateKeysAndCertificate(Later(args)) => certificates::run_create_keys(args, &global),
        Command::DescribeCertificate(Later(args)) => {
            certificates::run_certificate(args, &global, CertificateCall::Describe)
        }
        Command::ListCertificates(Later(args)) => certificates::run_list_certificates(args, &global),
        Command::UpdateCertificate(Later(args)) => {
            certificates::run_certificate(args, &global, CertificateCall::Update)
        }
        Command::DeleteCertificate(Later(args)) => {
            certificates::run_certificate(args, &global, CertificateCall::Delete)
        }
        Command::AttachThingPrincipal(Later(args)) => certificates::run_thing_principal(args, &global, true),
        Command::DetachThingPrincipal(Later(args)) => certificates::run_thing_principal(args, &global, false),
        Command::ListThingPrincipals(Later(args)) => certificates::run_list_thing_principals(args, &global),
        Command::DescribeEndpoint(Later(args)) => certificates::run_describe_endpoint(args, &global),
        Command::Backtest(Later(args)) => backtest::run_backtest(args, &global),
        Command::Tune(Later(args)) => tune::run_tune(args, &global),
        Command::Validate { files, kind, remote } => {
            let json = global.output == Some(output::OutputFormat::Json);
            validate::run_all(&files, kind, json, &global, remote)
        }
        Command::Skeleton { operation, kind } => skeleton::run(operation, kind),
        Command::Plan(Later(args)) => plan::run_plan(args, &global),
        Command::Schema => {
            println!("{}", crate::wire::skeleton::json_text(&crate::wire::schema::profile_schema()).trim_end());
            exit::OK
        }
        Command::Apply(Later(args)) => plan::run_apply(args, &global),
        Command::Export(Later(args)) => plan::run_export(args, &global),
        Command::Sandbox(args) => sandbox::run(args, &global),
        Command::Init => crate::tui::run(global.connect_options(), true, global.read_only),
        Command::Completion { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "ddsp", &mut std::io::stdout());
            exit::OK
        }
    };
    exit::code(code)
}
