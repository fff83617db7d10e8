//! `ddsp list-active-violations`, `list-violation-events`, `list-metric-values`,
//! `get-behavior-model-training-summaries` and
//! `put-verification-state-on-violation`: whether a profile fires. Options,
//! files, skeletons, pagination and outputs as the AWS CLI's; timestamps are
//! taken as ISO 8601, a date or epoch seconds, and every input is checked by
//! the shared rules before anything is sent.

use clap::Args;
use serde_json::json;

use super::{InputArgs, bad_parameter, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::cli::pagination::{PageArgs, list_pages};
use crate::client::violations;
use crate::domain::rules::{ViolationQuery, validate_verification, validate_violation_query};
use crate::wire::request::{
    GetBehaviorModelTrainingSummariesRequest, ListActiveViolationsRequest, ListMetricValuesRequest,
    ListViolationEventsRequest, Operation, PutVerificationStateOnViolationRequest,
};
use crate::wire::time::TimeInput;

/// The filters ListActiveViolations and ListViolationEvents share.
#[derive(Debug, Clone, Args)]
pub struct ViolationFilterArgs {
    /// Only this thing's violations.
    #[arg(long)]
    pub thing_name: Option<String>,
    /// Only this profile's violations.
    #[arg(long)]
    pub security_profile_name: Option<String>,
    /// STATIC, STATISTICAL or MACHINE_LEARNING.
    #[arg(long)]
    pub behavior_criteria_type: Option<String>,
    /// Only the violations of behaviors that suppress alerts (--no-list-suppressed-alerts: only the others).
    #[arg(long, overrides_with = "no_list_suppressed_alerts")]
    pub list_suppressed_alerts: bool,
    #[arg(long)]
    pub no_list_suppressed_alerts: bool,
    /// FALSE_POSITIVE, BENIGN_POSITIVE, TRUE_POSITIVE or UNKNOWN.
    #[arg(long)]
    pub verification_state: Option<String>,
}

/// Puts the filter options `f` over the input document's members in `req`
/// (the request of ListActiveViolations or ListViolationEvents: they share them).
macro_rules! filtered {
    ($f:ident => $req:ident) => {
        $req.thing_name = $f.thing_name.or($req.thing_name);
        $req.security_profile_name = $f.security_profile_name.or($req.security_profile_name);
        $req.behavior_criteria_type = $f.behavior_criteria_type.or($req.behavior_criteria_type);
        $req.list_suppressed_alerts = crate::cli::input::flag($f.list_suppressed_alerts, $f.no_list_suppressed_alerts)
            .or($req.list_suppressed_alerts);
        $req.verification_state = $f.verification_state.or($req.verification_state);
    };
}

/// What the rules judge of either request: its filters and page size, over `rest`.
macro_rules! query {
    ($req:ident, $rest:expr) => {
        ViolationQuery {
            thing_name: $req.thing_name.as_deref(),
            security_profile_name: $req.security_profile_name.as_deref(),
            behavior_criteria_type: $req.behavior_criteria_type.as_deref(),
            verification_state: $req.verification_state.as_deref(),
            max_results: $req.max_results,
            ..$rest
        }
    };
}

/// A timestamp option as the request takes it.
pub(super) fn time_arg(value: Option<String>) -> Option<TimeInput> {
    value.map(TimeInput::Text)
}

/// Epoch seconds of a timestamp member, or the message for a bad one (exit 252).
pub(super) fn seconds(member: &str, t: &Option<TimeInput>) -> Result<Option<i64>, u8> {
    match t.as_ref().map(TimeInput::epoch_seconds).transpose() {
        Ok(s) => Ok(s),
        Err(e) => Err(bad_parameter(&format!("Invalid value for parameter {member}: {e}"))),
    }
}

#[derive(Debug, Clone, Args)]
pub struct ListActiveViolationsArgs {
    #[command(flatten)]
    pub filter: ViolationFilterArgs,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_active(args: ListActiveViolationsArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListActiveViolationsRequest = match args.input.request(Operation::ListActiveViolations) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let f = args.filter;
    filtered!(f => req);
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    let problems = validate_violation_query(&query!(req, ViolationQuery::default()));
    list_pages!(
        global,
        &args.pages,
        &problems,
        "ListActiveViolations",
        "activeViolations",
        req,
        violations::active_page
    )
}

#[derive(Debug, Clone, Args)]
pub struct ListViolationEventsArgs {
    /// The start of the window (2024-05-01T00:00:00Z, 2024-05-01 or epoch seconds).
    #[arg(long)]
    pub start_time: Option<String>,
    /// Its end.
    #[arg(long)]
    pub end_time: Option<String>,
    #[command(flatten)]
    pub filter: ViolationFilterArgs,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_events(args: ListViolationEventsArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListViolationEventsRequest = match args.input.request(Operation::ListViolationEvents) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let f = args.filter;
    req.start_time = time_arg(args.start_time).or(req.start_time);
    req.end_time = time_arg(args.end_time).or(req.end_time);
    filtered!(f => req);
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    if req.start_time.is_none() {
        return missing("--start-time");
    }
    if req.end_time.is_none() {
        return missing("--end-time");
    }
    let (start, end) = match (seconds("startTime", &req.start_time), seconds("endTime", &req.end_time)) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let window = ViolationQuery { start_time: start, end_time: end, ..ViolationQuery::default() };
    let problems = validate_violation_query(&query!(req, window));
    list_pages!(global, &args.pages, &problems, "ListViolationEvents", "violationEvents", req, violations::events_page)
}

#[derive(Debug, Clone, Args)]
pub struct ListMetricValuesArgs {
    /// The thing whose values to list.
    #[arg(long)]
    pub thing_name: Option<String>,
    /// The metric (aws:num-messages-sent, or a custom metric's name).
    #[arg(long)]
    pub metric_name: Option<String>,
    /// The dimension the values were reported with.
    #[arg(long)]
    pub dimension_name: Option<String>,
    /// IN or NOT_IN (with --dimension-name).
    #[arg(long)]
    pub dimension_value_operator: Option<String>,
    /// The start of the window (2024-05-01T00:00:00Z, 2024-05-01 or epoch seconds).
    #[arg(long)]
    pub start_time: Option<String>,
    /// Its end.
    #[arg(long)]
    pub end_time: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_metric_values(args: ListMetricValuesArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListMetricValuesRequest = match args.input.request(Operation::ListMetricValues) {
        Ok(r) => r,
        Err(code) => return code,
    };
    req.thing_name = args.thing_name.or(req.thing_name);
    req.metric_name = args.metric_name.or(req.metric_name);
    req.dimension_name = args.dimension_name.or(req.dimension_name);
    req.dimension_value_operator = args.dimension_value_operator.or(req.dimension_value_operator);
    req.start_time = time_arg(args.start_time).or(req.start_time);
    req.end_time = time_arg(args.end_time).or(req.end_time);
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    for (value, option) in [
        (req.thing_name.is_some(), "--thing-name"),
        (req.metric_name.is_some(), "--metric-name"),
        (req.start_time.is_some(), "--start-time"),
        (req.end_time.is_some(), "--end-time"),
    ] {
        if !value {
            return missing(option);
        }
    }
    let (start, end) = match (seconds("startTime", &req.start_time), seconds("endTime", &req.end_time)) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let problems = validate_violation_query(&ViolationQuery {
        thing_name: req.thing_name.as_deref(),
        metric_name: req.metric_name.as_deref(),
        dimension_name: req.dimension_name.as_deref(),
        dimension_value_operator: req.dimension_value_operator.as_deref(),
        start_time: start,
        end_time: end,
        max_results: req.max_results,
        ..ViolationQuery::default()
    });
    list_pages!(
        global,
        &args.pages,
        &problems,
        "ListMetricValues",
        "metricDatumList",
        req,
        violations::metric_values_page
    )
}

#[derive(Debug, Clone, Args)]
pub struct TrainingSummariesArgs {
    /// Only this profile's ML behaviors.
    #[arg(long)]
    pub security_profile_name: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_training(args: TrainingSummariesArgs, global: &GlobalArgs) -> u8 {
    let mut req: GetBehaviorModelTrainingSummariesRequest =
        match args.input.request(Operation::GetBehaviorModelTrainingSummaries) {
            Ok(r) => r,
            Err(code) => return code,
        };
    req.security_profile_name = args.security_profile_name.or(req.security_profile_name);
    args.pages.onto(&mut req.next_token, &mut req.max_results);
    let problems = validate_violation_query(&ViolationQuery {
        security_profile_name: req.security_profile_name.as_deref(),
        max_results: req.max_results,
        max_results_limit: 10,
        ..ViolationQuery::default()
    });
    list_pages!(
        global,
        &args.pages,
        &problems,
        "GetBehaviorModelTrainingSummaries",
        "summaries",
        req,
        violations::training_page
    )
}

#[derive(Debug, Clone, Args)]
pub struct PutVerificationArgs {
    /// The violation (its violationId from list-active-violations or list-violation-events).
    #[arg(long)]
    pub violation_id: Option<String>,
    /// FALSE_POSITIVE, BENIGN_POSITIVE, TRUE_POSITIVE or UNKNOWN.
    #[arg(long)]
    pub verification_state: Option<String>,
    /// Why (at most 1,000 characters).
    #[arg(long)]
    pub verification_state_description: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_put_verification(args: PutVerificationArgs, global: &GlobalArgs) -> u8 {
    let mut req: PutVerificationStateOnViolationRequest =
        match args.input.request(Operation::PutVerificationStateOnViolation) {
            Ok(r) => r,
            Err(code) => return code,
        };
    if let Some(id) = args.violation_id {
        req.violation_id = id;
    }
    req.verification_state = args.verification_state.or(req.verification_state);
    req.verification_state_description = args.verification_state_description.or(req.verification_state_description);
    if req.violation_id.is_empty() {
        return missing("--violation-id");
    }
    if req.verification_state.is_none() {
        return missing("--verification-state");
    }
    let problems = validate_verification(
        &req.violation_id,
        req.verification_state.as_deref(),
        req.verification_state_description.as_deref(),
    );
    if let Err(code) = check(&problems) {
        return code;
    }
    execute(global, "PutVerificationStateOnViolation", move |c| {
        Box::pin(async move {
            violations::put_verification(c, &req).await?;
            Ok(json!({}))
        })
    })
}
