//! `ddsp update-security-profile`: UpdateSecurityProfile, with the AWS CLI's
//! options, the delete-* flag pairs and `--expected-version`. A saved
//! DescribeSecurityProfile output is accepted as `--cli-input-json`.

use clap::Args;

use super::create::CreateArgs;
use super::{InputArgs, bad_parameter, execute, judged, missing, to_json};
use crate::cli::global::GlobalArgs;
use crate::cli::input::{UpdateInput, flag};
use crate::client::operations;
use crate::domain::profile::ProfileUpdate;
use crate::domain::{EndpointReferences, validate_update};
use crate::wire::request::Operation;

#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    /// The name of the security profile to update.
    #[arg(long)]
    pub security_profile_name: Option<String>,
    /// A description of the security profile.
    #[arg(long)]
    pub security_profile_description: Option<String>,
    /// The behaviors: one shorthand behavior per argument
    /// (name=N,metric=M,criteria={comparisonOperator=…,value={count=5},durationSeconds=300})
    /// or a JSON list (file://PATH).
    #[arg(long, num_args = 1..)]
    pub behaviors: Option<Vec<String>>,
    /// Where alerts go: SNS={alertTargetArn=ARN,roleArn=ARN} or JSON.
    #[arg(long)]
    pub alert_targets: Option<String>,
    /// Deprecated list of metric names to retain.
    #[arg(long, num_args = 1..)]
    pub additional_metrics_to_retain: Option<Vec<String>>,
    /// Metrics to retain (shorthand or JSON).
    #[arg(long, num_args = 1..)]
    pub additional_metrics_to_retain_v2: Option<Vec<String>>,
    /// Remove every behavior.
    #[arg(long, overrides_with = "no_delete_behaviors")]
    pub delete_behaviors: bool,
    #[arg(long)]
    pub no_delete_behaviors: bool,
    /// Remove the alert targets.
    #[arg(long, overrides_with = "no_delete_alert_targets")]
    pub delete_alert_targets: bool,
    #[arg(long)]
    pub no_delete_alert_targets: bool,
    /// Remove the retained metrics.
    #[arg(long, overrides_with = "no_delete_additional_metrics_to_retain")]
    pub delete_additional_metrics_to_retain: bool,
    #[arg(long)]
    pub no_delete_additional_metrics_to_retain: bool,
    /// Fail with VersionConflictException unless the profile has this version.
    #[arg(long, allow_negative_numbers = true)]
    pub expected_version: Option<i64>,
    /// mqttTopic=TOPIC,roleArn=ARN or JSON.
    #[arg(long)]
    pub metrics_export_config: Option<String>,
    /// Remove metricsExportConfig.
    #[arg(long, overrides_with = "no_delete_metrics_export_config")]
    pub delete_metrics_export_config: bool,
    #[arg(long)]
    pub no_delete_metrics_export_config: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The request: the input document, then each explicit option on top.
pub fn request(args: &UpdateArgs) -> Result<(ProfileUpdate, Vec<&'static str>), String> {
    let (mut req, dropped) = args.input.document::<UpdateInput>()?.map(UpdateInput::into_update).unwrap_or_default();
    // The members an update shares with create are read the same way.
    let shared = CreateArgs {
        security_profile_name: None,
        security_profile_description: args.security_profile_description.clone(),
        behaviors: args.behaviors.clone(),
        alert_targets: args.alert_targets.clone(),
        additional_metrics_to_retain: args.additional_metrics_to_retain.clone(),
        additional_metrics_to_retain_v2: args.additional_metrics_to_retain_v2.clone(),
        tags: None,
        metrics_export_config: args.metrics_export_config.clone(),
        input: InputArgs { cli_input_json: None, cli_input_yaml: None, generate_cli_skeleton: None },
    };
    let overrides = super::create::request(&shared)?;
    if let Some(n) = &args.security_profile_name {
        req.security_profile_name = n.clone();
    }
    req.security_profile_description = overrides.security_profile_description.or(req.security_profile_description);
    req.behaviors = overrides.behaviors.or(req.behaviors);
    req.alert_targets = overrides.alert_targets.or(req.alert_targets);
    req.additional_metrics_to_retain = overrides.additional_metrics_to_retain.or(req.additional_metrics_to_retain);
    req.additional_metrics_to_retain_v2 =
        overrides.additional_metrics_to_retain_v2.or(req.additional_metrics_to_retain_v2);
    req.metrics_export_config = overrides.metrics_export_config.or(req.metrics_export_config);
    req.delete_behaviors = flag(args.delete_behaviors, args.no_delete_behaviors).or(req.delete_behaviors);
    req.delete_alert_targets =
        flag(args.delete_alert_targets, args.no_delete_alert_targets).or(req.delete_alert_targets);
    req.delete_additional_metrics_to_retain =
        flag(args.delete_additional_metrics_to_retain, args.no_delete_additional_metrics_to_retain)
            .or(req.delete_additional_metrics_to_retain);
    req.delete_metrics_export_config = flag(args.delete_metrics_export_config, args.no_delete_metrics_export_config)
        .or(req.delete_metrics_export_config);
    req.expected_version = args.expected_version.or(req.expected_version);
    Ok((req, dropped))
}

pub fn run(args: UpdateArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::Update) {
        return code;
    }
    let (req, dropped) = match request(&args) {
        Ok(r) => r,
        Err(e) => return bad_parameter(&e),
    };
    if !dropped.is_empty() {
        eprintln!("ddsp: note: ignoring {} (output-only members of a described profile)", dropped.join(", "));
    }
    if req.security_profile_name.is_empty() {
        return missing("--security-profile-name");
    }
    let refs = EndpointReferences::of_update(&req);
    let judged_req = req.clone();
    let call = judged(
        refs,
        global.region.clone(),
        move |ctx| validate_update(&judged_req, ctx),
        move |c| Box::pin(async move { to_json(&operations::update(c, &req).await?) }),
    );
    match call {
        Ok(call) => execute(global, "UpdateSecurityProfile", call),
        Err(code) => code,
    }
}
