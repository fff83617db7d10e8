//! `ddsp create-security-profile`: CreateSecurityProfile, with the AWS CLI's options.

use clap::Args;

use super::{InputArgs, bad_parameter, execute, judged, missing, to_json};
use crate::cli::global::GlobalArgs;
use crate::cli::input::load;
use crate::client::operations;
use crate::domain::profile::SecurityProfile;
use crate::domain::{EndpointReferences, validate};
use crate::wire::params;
use crate::wire::request::Operation;

#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The name you are giving to the security profile.
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
    /// Metrics to retain: metric=NAME,metricDimension={dimensionName=D,operator=IN},exportMetric=true … or JSON.
    #[arg(long, num_args = 1..)]
    pub additional_metrics_to_retain_v2: Option<Vec<String>>,
    /// Tags: Key=K,Value=V … or JSON.
    #[arg(long, num_args = 1..)]
    pub tags: Option<Vec<String>>,
    /// mqttTopic=TOPIC,roleArn=ARN or JSON.
    #[arg(long)]
    pub metrics_export_config: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Each value, or the contents of the file it names.
pub(super) fn loaded(param: &str, values: &[String]) -> Result<Vec<String>, String> {
    values.iter().map(|v| load(param, v)).collect()
}

/// The request: the input document, then each explicit option on top.
pub fn request(args: &CreateArgs) -> Result<SecurityProfile, String> {
    let mut req: SecurityProfile = args.input.document()?.unwrap_or_default();
    if let Some(n) = &args.security_profile_name {
        req.security_profile_name = n.clone();
    }
    if let Some(d) = &args.security_profile_description {
        req.security_profile_description = Some(load("security-profile-description", d)?);
    }
    if let Some(b) = &args.behaviors {
        req.behaviors = Some(params::behaviors(&loaded("behaviors", b)?).map_err(|e| e.to_string())?);
    }
    if let Some(a) = &args.alert_targets {
        req.alert_targets = Some(params::alert_targets(&load("alert-targets", a)?).map_err(|e| e.to_string())?);
    }
    if let Some(v) = &args.additional_metrics_to_retain {
        req.additional_metrics_to_retain =
            Some(params::retain_v1(&loaded("additional-metrics-to-retain", v)?).map_err(|e| e.to_string())?);
    }
    if let Some(v) = &args.additional_metrics_to_retain_v2 {
        req.additional_metrics_to_retain_v2 =
            Some(params::retain_v2(&loaded("additional-metrics-to-retain-v2", v)?).map_err(|e| e.to_string())?);
    }
    if let Some(t) = &args.tags {
        req.tags = Some(params::tags(&loaded("tags", t)?).map_err(|e| e.to_string())?);
    }
    if let Some(m) = &args.metrics_export_config {
        req.metrics_export_config =
            Some(params::metrics_export_config(&load("metrics-export-config", m)?).map_err(|e| e.to_string())?);
    }
    Ok(req)
}

pub fn run(args: CreateArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::Create) {
        return code;
    }
    let req = match request(&args) {
        Ok(r) => r,
        Err(e) => return bad_parameter(&e),
    };
    if req.security_profile_name.is_empty() {
        return missing("--security-profile-name");
    }
    let refs = EndpointReferences::of_profile(&req);
    let judged_req = req.clone();
    let call = judged(
        refs,
        global.region.clone(),
        move |ctx| validate(&judged_req, ctx),
        move |c| Box::pin(async move { to_json(&operations::create(c, &req).await?) }),
    );
    match call {
        Ok(call) => execute(global, "CreateSecurityProfile", call),
        Err(code) => code,
    }
}
