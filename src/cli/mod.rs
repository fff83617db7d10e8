//! The command line: clap definitions and dispatch. The service commands are
//! named and shaped as the AWS CLI's (`commands/`); `validate`, `skeleton`,
//! `sandbox` and `completion` are ddsp's own. Every command returns an exit
//! code from `exit.rs`.

pub mod commands;
pub mod config_file;
pub use crate::exit;
pub mod global;
pub mod input;
pub mod output;
pub mod pagination;
pub mod sandbox;
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
    CreateSecurityProfile(create::CreateArgs),
    /// Updates a security profile (UpdateSecurityProfile).
    UpdateSecurityProfile(update::UpdateArgs),
    /// Gets a security profile (DescribeSecurityProfile).
    DescribeSecurityProfile(describe::DescribeArgs),
    /// Lists the security profiles (ListSecurityProfiles).
    ListSecurityProfiles(list::ListArgs),
    /// Deletes a security profile (DeleteSecurityProfile).
    DeleteSecurityProfile(delete::DeleteArgs),
    /// Asks the endpoint to check behaviors (ValidateSecurityProfileBehaviors).
    ValidateSecurityProfileBehaviors(validate_behaviors::ValidateBehaviorsArgs),
    /// Attaches a security profile to a thing group or to all things (AttachSecurityProfile).
    AttachSecurityProfile(targets::TargetArgs),
    /// Detaches a security profile from a target (DetachSecurityProfile).
    DetachSecurityProfile(targets::TargetArgs),
    /// Lists the targets a security profile is attached to (ListTargetsForSecurityProfile).
    ListTargetsForSecurityProfile(targets::ListTargetsArgs),
    /// Lists the security profiles attached to a target (ListSecurityProfilesForTarget).
    ListSecurityProfilesForTarget(targets::ProfilesForTargetArgs),
    /// Creates a thing group (CreateThingGroup).
    CreateThingGroup(thing_groups::CreateThingGroupArgs),
    /// Deletes a thing group; its profiles are detached (DeleteThingGroup).
    DeleteThingGroup(thing_groups::DeleteThingGroupArgs),
    /// Lists the thing groups (ListThingGroups).
    ListThingGroups(thing_groups::ListThingGroupsArgs),
    /// Creates a TOPIC_FILTER dimension (CreateDimension).
    CreateDimension(resources::DimensionArgs),
    /// Replaces a dimension's topic filters (UpdateDimension).
    UpdateDimension(resources::DimensionArgs),
    /// Gets a dimension (DescribeDimension).
    DescribeDimension(resources::DimensionNameArgs),
    /// Lists the dimensions (ListDimensions).
    ListDimensions(resources::ListNamesArgs),
    /// Deletes a dimension no profile uses (DeleteDimension).
    DeleteDimension(resources::DimensionNameArgs),
    /// Creates a custom metric (CreateCustomMetric).
    CreateCustomMetric(resources::CustomMetricArgs),
    /// Changes a custom metric's display name (UpdateCustomMetric).
    UpdateCustomMetric(resources::CustomMetricArgs),
    /// Gets a custom metric (DescribeCustomMetric).
    DescribeCustomMetric(resources::CustomMetricNameArgs),
    /// Lists the custom metrics (ListCustomMetrics).
    ListCustomMetrics(resources::ListNamesArgs),
    /// Deletes a custom metric no profile uses (DeleteCustomMetric).
    DeleteCustomMetric(resources::CustomMetricNameArgs),
    /// Lists the violations in alarm now (ListActiveViolations).
    ListActiveViolations(violations::ListActiveViolationsArgs),
    /// Lists the in-alarm and alarm-cleared events in a time window (ListViolationEvents).
    ListViolationEvents(violations::ListViolationEventsArgs),
    /// Lists a thing's values of a metric in a time window (ListMetricValues).
    ListMetricValues(violations::ListMetricValuesArgs),
    /// The ML Detect model status of each ML behavior (GetBehaviorModelTrainingSummaries).
    GetBehaviorModelTrainingSummaries(violations::TrainingSummariesArgs),
    /// Marks a violation true, benign or false positive (PutVerificationStateOnViolation).
    PutVerificationStateOnViolation(violations::PutVerificationArgs),
    /// Makes a key pair and a certificate for it (CreateKeysAndCertificate).
    CreateKeysAndCertificate(certificates::CreateKeysArgs),
    /// Gets a certificate (DescribeCertificate).
    DescribeCertificate(certificates::CertificateIdArgs),
    /// Lists the certificates (ListCertificates).
    ListCertificates(certificates::ListCertificatesArgs),
    /// Sets a certificate ACTIVE, INACTIVE or REVOKED (UpdateCertificate).
    UpdateCertificate(certificates::CertificateIdArgs),
    /// Deletes an inactive certificate attached to no thing (DeleteCertificate).
    DeleteCertificate(certificates::CertificateIdArgs),
    /// Attaches a certificate to a thing (AttachThingPrincipal).
    AttachThingPrincipal(certificates::ThingPrincipalArgs),
    /// Detaches a certificate from a thing (DetachThingPrincipal).
    DetachThingPrincipal(certificates::ThingPrincipalArgs),
    /// Lists the certificates attached to a thing (ListThingPrincipals).
    ListThingPrincipals(certificates::ListThingPrincipalsArgs),
    /// The MQTT endpoint devices connect to (DescribeEndpoint).
    DescribeEndpoint(certificates::DescribeEndpointArgs),
    /// Makes a mitigation action: what a mitigation task does to a violation's thing (CreateMitigationAction).
    CreateMitigationAction(mitigation::MitigationActionArgs),
    /// Gets a mitigation action (DescribeMitigationAction).
    DescribeMitigationAction(mitigation::ActionNameArgs),
    /// Lists the mitigation actions (ListMitigationActions).
    ListMitigationActions(mitigation::ListActionsArgs),
    /// Changes a mitigation action's role or parameters (UpdateMitigationAction).
    UpdateMitigationAction(mitigation::MitigationActionArgs),
    /// Deletes a mitigation action (DeleteMitigationAction).
    DeleteMitigationAction(mitigation::ActionNameArgs),
    /// Carries out mitigation actions on a profile's or listed violations (StartDetectMitigationActionsTask).
    StartDetectMitigationActionsTask(mitigation::StartTaskArgs),
    /// Gets a mitigation task: its target, actions and statistics (DescribeDetectMitigationActionsTask).
    DescribeDetectMitigationActionsTask(mitigation::TaskIdArgs),
    /// Lists the mitigation tasks started in a time window (ListDetectMitigationActionsTasks).
    ListDetectMitigationActionsTasks(mitigation::ListTasksArgs),
    /// Cancels a mitigation task in progress (CancelDetectMitigationActionsTask).
    CancelDetectMitigationActionsTask(mitigation::TaskIdArgs),
    /// Lists what mitigation tasks did to each thing (ListDetectMitigationActionsExecutions).
    ListDetectMitigationActionsExecutions(mitigation::ListExecutionsArgs),
    /// Which things a profile file's behaviors would have alarmed, against metric data, beside the endpoint's profile.
    Backtest(backtest::BacktestArgs),
    /// The threshold, percentile or allow-list each behavior of a profile file needs to raise at most N alarms a week, from the data.
    Tune(tune::TuneArgs),
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
    Plan(plan::PlanArgs),
    /// Make the endpoint hold what the profile files say (or carry out a saved plan).
    Apply(plan::ApplyArgs),
    /// Write every profile of the endpoint (tags and targets included) as files `plan` finds unchanged.
    Export(plan::ExportArgs),
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
    let cli = match Cli::try_parse() {
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
        Command::CreateSecurityProfile(args) => create::run(args, &global),
        Command::UpdateSecurityProfile(args) => update::run(args, &global),
        Command::DescribeSecurityProfile(args) => describe::run(args, &global),
        Command::ListSecurityProfiles(args) => list::run(args, &global),
        Command::DeleteSecurityProfile(args) => delete::run(args, &global),
        Command::ValidateSecurityProfileBehaviors(args) => validate_behaviors::run(args, &global),
        Command::AttachSecurityProfile(args) => targets::run_target(args, &global, true),
        Command::DetachSecurityProfile(args) => targets::run_target(args, &global, false),
        Command::ListTargetsForSecurityProfile(args) => targets::run_list_targets(args, &global),
        Command::ListSecurityProfilesForTarget(args) => targets::run_profiles_for_target(args, &global),
        Command::CreateThingGroup(args) => thing_groups::run_create(args, &global),
        Command::DeleteThingGroup(args) => thing_groups::run_delete(args, &global),
        Command::ListThingGroups(args) => thing_groups::run_list(args, &global),
        Command::CreateDimension(args) => resources::run_write_dimension(args, &global, true),
        Command::UpdateDimension(args) => resources::run_write_dimension(args, &global, false),
        Command::DescribeDimension(args) => resources::run_dimension_by_name(args, &global, false),
        Command::ListDimensions(args) => resources::run_list_names(args, &global, true),
        Command::DeleteDimension(args) => resources::run_dimension_by_name(args, &global, true),
        Command::CreateCustomMetric(args) => resources::run_write_custom_metric(args, &global, true),
        Command::UpdateCustomMetric(args) => resources::run_write_custom_metric(args, &global, false),
        Command::DescribeCustomMetric(args) => resources::run_custom_metric_by_name(args, &global, false),
        Command::ListCustomMetrics(args) => resources::run_list_names(args, &global, false),
        Command::DeleteCustomMetric(args) => resources::run_custom_metric_by_name(args, &global, true),
        Command::ListActiveViolations(args) => violations::run_active(args, &global),
        Command::ListViolationEvents(args) => violations::run_events(args, &global),
        Command::ListMetricValues(args) => violations::run_metric_values(args, &global),
        Command::GetBehaviorModelTrainingSummaries(args) => violations::run_training(args, &global),
        Command::PutVerificationStateOnViolation(args) => violations::run_put_verification(args, &global),
        Command::CreateMitigationAction(args) => mitigation::run_put_action(args, &global, true),
        Command::DescribeMitigationAction(args) => mitigation::run_action_name(args, &global, false),
        Command::ListMitigationActions(args) => mitigation::run_list_actions(args, &global),
        Command::UpdateMitigationAction(args) => mitigation::run_put_action(args, &global, false),
        Command::DeleteMitigationAction(args) => mitigation::run_action_name(args, &global, true),
        Command::StartDetectMitigationActionsTask(args) => mitigation::run_start_task(args, &global),
        Command::DescribeDetectMitigationActionsTask(args) => mitigation::run_task_id(args, &global, false),
        Command::ListDetectMitigationActionsTasks(args) => mitigation::run_list_tasks(args, &global),
        Command::CancelDetectMitigationActionsTask(args) => mitigation::run_task_id(args, &global, true),
        Command::ListDetectMitigationActionsExecutions(args) => mitigation::run_list_executions(args, &global),
        Command::CreateKeysAndCertificate(args) => certificates::run_create_keys(args, &global),
        Command::DescribeCertificate(args) => certificates::run_certificate(args, &global, CertificateCall::Describe),
        Command::ListCertificates(args) => certificates::run_list_certificates(args, &global),
        Command::UpdateCertificate(args) => certificates::run_certificate(args, &global, CertificateCall::Update),
        Command::DeleteCertificate(args) => certificates::run_certificate(args, &global, CertificateCall::Delete),
        Command::AttachThingPrincipal(args) => certificates::run_thing_principal(args, &global, true),
        Command::DetachThingPrincipal(args) => certificates::run_thing_principal(args, &global, false),
        Command::ListThingPrincipals(args) => certificates::run_list_thing_principals(args, &global),
        Command::DescribeEndpoint(args) => certificates::run_describe_endpoint(args, &global),
        Command::Backtest(args) => backtest::run_backtest(args, &global),
        Command::Tune(args) => tune::run_tune(args, &global),
        Command::Validate { files, kind, remote } => {
            let json = global.output == Some(output::OutputFormat::Json);
            validate::run_all(&files, kind, json, &global, remote)
        }
        Command::Skeleton { operation, kind } => skeleton::run(operation, kind),
        Command::Plan(args) => plan::run_plan(args, &global),
        Command::Schema => {
            println!("{}", crate::wire::skeleton::json_text(&crate::wire::schema::profile_schema()).trim_end());
            exit::OK
        }
        Command::Apply(args) => plan::run_apply(args, &global),
        Command::Export(args) => plan::run_export(args, &global),
        Command::Sandbox(args) => sandbox::run(args, &global),
        Command::Init => crate::tui::run(global.connect_options(), true, global.read_only),
        Command::Completion { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "ddsp", &mut std::io::stdout());
            exit::OK
        }
    };
    exit::code(code)
}
