//! The mitigation commands, named as the AWS CLI names them:
//! `create-mitigation-action`, `describe-mitigation-action`,
//! `list-mitigation-actions`, `update-mitigation-action`,
//! `delete-mitigation-action`, `start-detect-mitigation-actions-task`,
//! `describe-detect-mitigation-actions-task`,
//! `list-detect-mitigation-actions-tasks`,
//! `cancel-detect-mitigation-actions-task` and
//! `list-detect-mitigation-actions-executions`. Options (JSON or shorthand
//! for structures), files, skeletons and outputs as the CLI's; every request
//! is judged by the rules the sandbox shares (`domain::rules::mitigation`)
//! before anything is sent.

use clap::Args;
use serde::de::DeserializeOwned;
use serde_json::json;

use super::create::loaded;
use super::violations::{seconds, time_arg};
use super::{InputArgs, bad_parameter, check, execute, missing};
use crate::cli::global::GlobalArgs;
use crate::cli::input::{flag, load};
use crate::cli::pagination::{PageArgs, list_command};
use crate::client::mitigation as client;
use crate::domain::mitigation::{MitigationActionRequest, OccurrenceRange, StartTaskRequest};
use crate::domain::rules::mitigation::{
    action_name_fault, validate_action_type, validate_executions_query, validate_mitigation_action, validate_start_task,
};
use crate::wire::params;
use crate::wire::request::{
    CreateMitigationActionRequest, ListDetectMitigationActionsExecutionsRequest,
    ListDetectMitigationActionsTasksRequest, ListMitigationActionsRequest, MitigationActionNameRequest, Operation,
    StartDetectMitigationActionsTaskRequest, TaskIdRequest, UpdateMitigationActionRequest,
};

/// A structure option's value (JSON, shorthand or file://), or 252 with the reason.
fn structure<T: DeserializeOwned>(param: &'static str, member: &str, value: &str) -> Result<T, u8> {
    let text = load(param, value).map_err(|e| bad_parameter(&e))?;
    params::structure(param, member, &text).map_err(|e| bad_parameter(&e.to_string()))
}

#[derive(Debug, Clone, Args)]
pub struct MitigationActionArgs {
    /// The action's name (letters, digits, '_' and '-').
    #[arg(long)]
    pub action_name: Option<String>,
    /// The IAM role that lets Device Defender carry out the action.
    #[arg(long)]
    pub role_arn: Option<String>,
    /// Exactly one kind, JSON or shorthand:
    /// addThingsToThingGroupParams={thingGroupNames=[quarantine],overrideDynamicGroups=false}.
    #[arg(long)]
    pub action_params: Option<String>,
    /// create-mitigation-action: tags, Key=K,Value=V … or JSON.
    #[arg(long, num_args = 1..)]
    pub tags: Option<Vec<String>>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// create-mitigation-action (`creating`) or update-mitigation-action.
pub fn run_put_action(args: MitigationActionArgs, global: &GlobalArgs, creating: bool) -> u8 {
    let operation = if creating { Operation::CreateMitigationAction } else { Operation::UpdateMitigationAction };
    if let Some(code) = args.input.skeleton(operation) {
        return code;
    }
    let read = if creating {
        args.input.read::<CreateMitigationActionRequest>()
    } else {
        if args.tags.is_some() {
            return bad_parameter("--tags is an option of create-mitigation-action only; use tag-resource");
        }
        args.input.read::<UpdateMitigationActionRequest>().map(|u| CreateMitigationActionRequest {
            action_name: u.action_name,
            role_arn: u.role_arn,
            action_params: u.action_params,
            tags: None,
        })
    };
    let mut req = match read {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.action_name {
        req.action_name = n;
    }
    req.role_arn = args.role_arn.or(req.role_arn);
    if let Some(p) = &args.action_params {
        match structure("action-params", "actionParams", p) {
            Ok(p) => req.action_params = Some(p),
            Err(code) => return code,
        }
    }
    if let Some(t) = &args.tags {
        match loaded("tags", t).and_then(|t| params::tags(&t).map_err(|e| e.to_string())) {
            Ok(t) => req.tags = Some(t),
            Err(e) => return bad_parameter(&e),
        }
    }
    if req.action_name.is_empty() {
        return missing("--action-name");
    }
    if creating && req.role_arn.is_none() {
        return missing("--role-arn");
    }
    if creating && req.action_params.is_none() {
        return missing("--action-params");
    }
    let body = MitigationActionRequest {
        role_arn: req.role_arn.clone(),
        action_params: req.action_params.clone(),
        tags: req.tags.clone(),
    };
    if let Err(code) = check(&validate_mitigation_action(&req.action_name, &body, creating)) {
        return code;
    }
    let title = if creating { "CreateMitigationAction" } else { "UpdateMitigationAction" };
    execute(global, title, move |c| {
        Box::pin(async move {
            let name = req.action_name.as_str();
            if creating {
                let params = body.action_params.unwrap_or_default();
                client::create_mitigation_action(c, name, body.role_arn.as_deref(), &params, &body.tags).await
            } else {
                client::update_mitigation_action(c, name, body.role_arn.as_deref(), body.action_params.as_ref()).await
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ActionNameArgs {
    /// The action's name.
    #[arg(long)]
    pub action_name: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// describe-mitigation-action, or delete-mitigation-action (`delete`).
pub fn run_action_name(args: ActionNameArgs, global: &GlobalArgs, delete: bool) -> u8 {
    let operation = if delete { Operation::DeleteMitigationAction } else { Operation::DescribeMitigationAction };
    let mut req: MitigationActionNameRequest = match args.input.request(operation) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(n) = args.action_name {
        req.action_name = n;
    }
    if req.action_name.is_empty() {
        return missing("--action-name");
    }
    if let Some(fault) = action_name_fault(&req.action_name) {
        return bad_parameter(&fault);
    }
    let title = if delete { "DeleteMitigationAction" } else { "DescribeMitigationAction" };
    execute(global, title, move |c| {
        Box::pin(async move {
            if delete {
                client::delete_mitigation_action(c, &req.action_name).await?;
                Ok(json!({}))
            } else {
                client::describe_mitigation_action(c, &req.action_name).await
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListActionsArgs {
    /// Only actions of this type (ADD_THINGS_TO_THING_GROUP, UPDATE_DEVICE_CERTIFICATE, …).
    #[arg(long)]
    pub action_type: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_list_actions(args: ListActionsArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListMitigationActionsRequest = match args.input.request(Operation::ListMitigationActions) {
        Ok(r) => r,
        Err(code) => return code,
    };
    req.action_type = args.action_type.or(req.action_type);
    let max = args.pages.size_or(req.max_results);
    let token = args.pages.next_token.clone().or(req.next_token.clone());
    let problems = validate_action_type(req.action_type.as_deref());
    list_command(global, &args.pages, &problems, "ListMitigationActions", "actionIdentifiers", token, move |c, t| {
        let action_type = req.action_type.clone();
        Box::pin(async move { client::mitigation_actions_page(c, action_type.as_deref(), max, t).await })
    })
}

#[derive(Debug, Clone, Args)]
pub struct StartTaskArgs {
    /// The task's id (letters, digits, '_' and '-'); starting it again with the same token changes nothing.
    #[arg(long)]
    pub task_id: Option<String>,
    /// Which violations: violationIds=[ID,…], or securityProfileName=P[,behaviorName=B]; JSON or shorthand.
    #[arg(long)]
    pub target: Option<String>,
    /// The mitigation actions to carry out (1 to 5 names).
    #[arg(long, num_args = 1..)]
    pub actions: Option<Vec<String>>,
    /// Only violations with an event in this range: startTime=T,endTime=T (ISO 8601 or epoch seconds), or JSON.
    #[arg(long)]
    pub violation_event_occurrence_range: Option<String>,
    /// Only the violations still in alarm.
    #[arg(long, overrides_with = "no_include_only_active_violations")]
    pub include_only_active_violations: bool,
    #[arg(long)]
    pub no_include_only_active_violations: bool,
    /// Also the violations of behaviors that suppress alerts.
    #[arg(long, overrides_with = "no_include_suppressed_alerts")]
    pub include_suppressed_alerts: bool,
    #[arg(long)]
    pub no_include_suppressed_alerts: bool,
    /// Makes a repeated start harmless (default: a new random token, as the AWS CLI makes one).
    #[arg(long)]
    pub client_request_token: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// The request as StartTaskArgs and the input document give it: the task
/// id and the body, or 252 with the reason.
pub fn start_task_request(args: StartTaskArgs) -> Result<(String, StartTaskRequest), u8> {
    let mut req: StartDetectMitigationActionsTaskRequest = args.input.read()?;
    if let Some(id) = args.task_id {
        req.task_id = id;
    }
    if let Some(t) = &args.target {
        req.target = Some(structure("target", "target", t)?);
    }
    if let Some(a) = args.actions {
        req.actions = Some(a);
    }
    if let Some(r) = &args.violation_event_occurrence_range {
        req.violation_event_occurrence_range =
            Some(structure("violation-event-occurrence-range", "violationEventOccurrenceRange", r)?);
    }
    req.include_only_active_violations =
        flag(args.include_only_active_violations, args.no_include_only_active_violations)
            .or(req.include_only_active_violations);
    req.include_suppressed_alerts =
        flag(args.include_suppressed_alerts, args.no_include_suppressed_alerts).or(req.include_suppressed_alerts);
    // The AWS CLI fills an idempotency token the user leaves out.
    req.client_request_token =
        args.client_request_token.or(req.client_request_token).or_else(|| Some(uuid::Uuid::new_v4().to_string()));
    if req.task_id.is_empty() {
        return Err(missing("--task-id"));
    }
    if req.target.is_none() {
        return Err(missing("--target"));
    }
    if req.actions.is_none() {
        return Err(missing("--actions"));
    }
    let range = match &req.violation_event_occurrence_range {
        Some(r) => Some(OccurrenceRange {
            start_time: seconds("violationEventOccurrenceRange.startTime", &r.start_time)?.map(|s| s as f64),
            end_time: seconds("violationEventOccurrenceRange.endTime", &r.end_time)?.map(|s| s as f64),
        }),
        None => None,
    };
    let body = StartTaskRequest {
        target: req.target,
        actions: req.actions,
        violation_event_occurrence_range: range,
        include_only_active_violations: req.include_only_active_violations,
        include_suppressed_alerts: req.include_suppressed_alerts,
        client_request_token: req.client_request_token,
    };
    check(&validate_start_task(&req.task_id, &body))?;
    Ok((req.task_id, body))
}

pub fn run_start_task(args: StartTaskArgs, global: &GlobalArgs) -> u8 {
    if let Some(code) = args.input.skeleton(Operation::StartDetectMitigationActionsTask) {
        return code;
    }
    let (task_id, body) = match start_task_request(args) {
        Ok(r) => r,
        Err(code) => return code,
    };
    execute(global, "StartDetectMitigationActionsTask", move |c| {
        Box::pin(async move { client::start_task(c, &task_id, &body).await })
    })
}

#[derive(Debug, Clone, Args)]
pub struct TaskIdArgs {
    /// The task's id.
    #[arg(long)]
    pub task_id: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

/// describe-detect-mitigation-actions-task, or cancel-… (`cancel`).
pub fn run_task_id(args: TaskIdArgs, global: &GlobalArgs, cancel: bool) -> u8 {
    let operation = if cancel {
        Operation::CancelDetectMitigationActionsTask
    } else {
        Operation::DescribeDetectMitigationActionsTask
    };
    let mut req: TaskIdRequest = match args.input.request(operation) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if let Some(id) = args.task_id {
        req.task_id = id;
    }
    if req.task_id.is_empty() {
        return missing("--task-id");
    }
    let title = if cancel { "CancelDetectMitigationActionsTask" } else { "DescribeDetectMitigationActionsTask" };
    execute(global, title, move |c| {
        Box::pin(async move {
            if cancel {
                client::cancel_task(c, &req.task_id).await?;
                Ok(json!({}))
            } else {
                client::describe_task(c, &req.task_id).await
            }
        })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListTasksArgs {
    /// Tasks started at or after this time (ISO 8601 or epoch seconds; required).
    #[arg(long)]
    pub start_time: Option<String>,
    /// …and at or before this one (required).
    #[arg(long)]
    pub end_time: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_list_tasks(args: ListTasksArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListDetectMitigationActionsTasksRequest =
        match args.input.request(Operation::ListDetectMitigationActionsTasks) {
            Ok(r) => r,
            Err(code) => return code,
        };
    req.start_time = time_arg(args.start_time).or(req.start_time);
    req.end_time = time_arg(args.end_time).or(req.end_time);
    if req.start_time.is_none() {
        return missing("--start-time");
    }
    if req.end_time.is_none() {
        return missing("--end-time");
    }
    let (start, end) = match (seconds("startTime", &req.start_time), seconds("endTime", &req.end_time)) {
        (Ok(Some(s)), Ok(Some(e))) => (s, e),
        (Err(code), _) | (_, Err(code)) => return code,
        _ => return missing("--start-time"),
    };
    let max = args.pages.size_or(req.max_results);
    let token = args.pages.next_token.clone().or(req.next_token.clone());
    let problems = validate_executions_query(None, Some(start), Some(end));
    list_command(global, &args.pages, &problems, "ListDetectMitigationActionsTasks", "tasks", token, move |c, t| {
        Box::pin(async move { client::tasks_page(c, (start, end), max, t).await })
    })
}

#[derive(Debug, Clone, Args)]
pub struct ListExecutionsArgs {
    /// The task's executions (or give --start-time and --end-time instead).
    #[arg(long)]
    pub task_id: Option<String>,
    /// Only the executions for this violation.
    #[arg(long)]
    pub violation_id: Option<String>,
    /// Only the executions on this thing.
    #[arg(long)]
    pub thing_name: Option<String>,
    /// Executions started at or after this time (ISO 8601 or epoch seconds).
    #[arg(long)]
    pub start_time: Option<String>,
    /// …and at or before this one.
    #[arg(long)]
    pub end_time: Option<String>,
    #[command(flatten)]
    pub pages: PageArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn run_list_executions(args: ListExecutionsArgs, global: &GlobalArgs) -> u8 {
    let mut req: ListDetectMitigationActionsExecutionsRequest =
        match args.input.request(Operation::ListDetectMitigationActionsExecutions) {
            Ok(r) => r,
            Err(code) => return code,
        };
    req.task_id = args.task_id.or(req.task_id);
    req.violation_id = args.violation_id.or(req.violation_id);
    req.thing_name = args.thing_name.or(req.thing_name);
    req.start_time = time_arg(args.start_time).or(req.start_time);
    req.end_time = time_arg(args.end_time).or(req.end_time);
    let (start, end) = match (seconds("startTime", &req.start_time), seconds("endTime", &req.end_time)) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let problems = validate_executions_query(req.task_id.as_deref(), start, end);
    let query = client::ExecutionsQuery {
        task_id: req.task_id,
        violation_id: req.violation_id,
        thing_name: req.thing_name,
        window: start.zip(end),
        max_results: args.pages.size_or(req.max_results),
    };
    let token = args.pages.next_token.clone().or(req.next_token);
    list_command(
        global,
        &args.pages,
        &problems,
        "ListDetectMitigationActionsExecutions",
        "actionsExecutions",
        token,
        move |c, t| {
            let q = query.clone();
            Box::pin(async move { client::executions_page(c, &q, t).await })
        },
    )
}
