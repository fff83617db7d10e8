//! Mitigation actions (CreateMitigationAction, DescribeMitigationAction,
//! ListMitigationActions, UpdateMitigationAction, DeleteMitigationAction)
//! and Detect's mitigation tasks (StartDetectMitigationActionsTask,
//! DescribeDetectMitigationActionsTask, ListDetectMitigationActionsTasks,
//! CancelDetectMitigationActionsTask, ListDetectMitigationActionsExecutions),
//! shaped as the IoT model shapes them and judged by `rules::mitigation`.
//!
//! Choices, with their sources:
//! - "Device Defender Detect supports only the ADD_THINGS_TO_THING_GROUP
//!   mitigation action" (Developer Guide, Detect mitigation actions): an
//!   action of another type in a Detect task is SKIPPED, with that reason in
//!   its execution's message; the other five types are kept for Audit.
//! - ADD_THINGS_TO_THING_GROUP puts the violation's thing in each group
//!   ("You can add a thing to a maximum of 10 groups, but you can't add a
//!   thing to more than one group in the same hierarchy", API reference,
//!   AddThingsToThingGroupParams): a group that does not exist, a thing not
//!   registered, an eleventh group or a second group of one hierarchy fails
//!   that execution (its errorCode says which), and the thing's other groups
//!   are left. The sandbox has no dynamic groups, so `overrideDynamicGroups`
//!   changes nothing. A thing moved into a group a profile targets is watched
//!   by that profile from then on.
//! - The API reference calls the task an "ML Detect mitigation actions task";
//!   the sandbox carries it out for rules-based violations too.
//! - A task runs to its end within StartDetectMitigationActionsTask, so a
//!   task is never seen IN_PROGRESS and CancelDetectMitigationActionsTask
//!   refuses a task that ended (InvalidRequestException). The task is FAILED
//!   when every execution failed, else SUCCESSFUL.
//! - A task that selects no violation is refused (InvalidRequestException)
//!   and nothing is kept, so a retry with the same id can succeed later.
//! - Without `includeSuppressedAlerts`, violations of behaviors that suppress
//!   alerts are left out; with `includeOnlyActiveViolations`, those no longer
//!   in alarm are. The occurrence range keeps the violations with any event
//!   (in-alarm, alarm-cleared, alarm-invalidated) inside it.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::Transaction;
use serde_json::{Value, json};

use super::errors::{ApiError, refuse};
use super::resource::{Env, answer, decode_token, page, page_size};
use super::store::mitigation::{self as stored, Execution};
use super::store::{self, Table};
use super::{invalidated, profiles, tags, thing_groups, things, violations};
use crate::domain::mitigation::{MitigationActionParams, MitigationActionRequest, StartTaskRequest, TaskTarget};
use crate::domain::rules::mitigation::{
    validate_action_type, validate_executions_query, validate_mitigation_action, validate_start_task,
};
use crate::wire::response::{CreateMitigationActionResponse, Empty, Page, StartDetectMitigationActionsTaskResponse};

/// The ARN's resource type: `arn:aws:iot:REGION:ACCOUNT:mitigationaction/NAME`.
pub const KIND: &str = "mitigationaction";

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("Mitigation action {} does not exist", crate::domain::untrusted::neutralise(name)))
}

fn load(tx: &Transaction, name: &str) -> Result<Option<Value>, ApiError> {
    store::get(tx, Table::MitigationActions, name)
}

/// CreateMitigationAction.
///
/// Errors: InvalidRequestException for what the rules refuse;
/// ResourceAlreadyExistsException for a name in use.
pub fn create(tx: &Transaction, env: &Env, name: &str, req: MitigationActionRequest) -> Result<Value, ApiError> {
    refuse(&validate_mitigation_action(name, &req, true))?;
    let arn = env.arn(KIND, name);
    if let Some(existing) = load(tx, name)? {
        let id = existing["actionId"].as_str().unwrap_or_default().to_owned();
        return Err(ApiError::already_exists(format!("Mitigation action {name} already exists"), &id, &arn));
    }
    let params = req.action_params.unwrap_or_default();
    let id = uuid::Uuid::new_v4().to_string();
    let doc = json!({
        "actionName": name,
        "actionType": params.action_type(),
        "actionArn": arn,
        "actionId": id,
        "roleArn": req.role_arn,
        "actionParams": params,
        "creationDate": env.now,
        "lastModifiedDate": env.now,
    });
    store::put(tx, Table::MitigationActions, name, &doc)?;
    tags::set_initial(tx, &arn, req.tags.unwrap_or_default())?;
    answer(CreateMitigationActionResponse { action_arn: arn, action_id: id })
}

/// DescribeMitigationAction.
///
/// Errors: ResourceNotFoundException.
pub fn describe(tx: &Transaction, name: &str) -> Result<Value, ApiError> {
    load(tx, name)?.ok_or_else(|| not_found(name))
}

/// UpdateMitigationAction: a new role, new parameters, or both.
///
/// Errors: InvalidRequestException for what the rules refuse;
/// ResourceNotFoundException.
pub fn update(tx: &Transaction, env: &Env, name: &str, req: MitigationActionRequest) -> Result<Value, ApiError> {
    // The model's UpdateMitigationAction has no tags: like AWS, the member is not read.
    let req = MitigationActionRequest { tags: None, ..req };
    refuse(&validate_mitigation_action(name, &req, false))?;
    let mut doc = load(tx, name)?.ok_or_else(|| not_found(name))?;
    if let Some(role) = req.role_arn {
        doc["roleArn"] = json!(role);
    }
    if let Some(params) = req.action_params {
        doc["actionType"] = json!(params.action_type());
        doc["actionParams"] = serde_json::to_value(params)?;
    }
    doc["lastModifiedDate"] = json!(env.now);
    store::put(tx, Table::MitigationActions, name, &doc)?;
    let text = |member: &str| doc[member].as_str().unwrap_or_default().to_owned();
    answer(CreateMitigationActionResponse { action_arn: text("actionArn"), action_id: text("actionId") })
}

/// DeleteMitigationAction: a name that names nothing is not an error (the
/// model gives the operation no ResourceNotFoundException).
pub fn delete(tx: &Transaction, env: &Env, name: &str) -> Result<Value, ApiError> {
    if let Some(fault) = crate::domain::rules::mitigation::action_name_fault(name) {
        return Err(ApiError::invalid(fault));
    }
    store::remove(tx, Table::MitigationActions, name)?;
    store::tags::replace(tx, &env.arn(KIND, name), Vec::new())?;
    answer(Empty {})
}

/// ListMitigationActions: `{actionIdentifiers: [{actionName, actionArn, creationDate}], nextToken}` by name.
///
/// Errors: InvalidRequestException for an unknown actionType or maxResults.
pub fn list(
    tx: &Transaction,
    action_type: Option<&str>,
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    refuse(&validate_action_type(action_type))?;
    let size = page_size(max)?;
    let after = decode_token(token)?;
    let docs: Vec<Value> = store::all(tx, Table::MitigationActions)?;
    let items: Vec<(String, Value)> = docs
        .into_iter()
        .filter(|d| action_type.is_none_or(|t| d["actionType"] == t))
        .map(|d| {
            let name = d["actionName"].as_str().unwrap_or_default().to_owned();
            let item =
                json!({"actionName": d["actionName"], "actionArn": d["actionArn"], "creationDate": d["creationDate"]});
            (name, item)
        })
        .collect();
    let (items, next) = page(items, after.as_deref(), size, |(k, _)| k.as_str());
    answer(Page::new("actionIdentifiers", items.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), next))
}

/// A violation as a task selects it.
#[derive(Debug, Clone)]
struct Chosen {
    id: String,
    behavior: String,
    thing: String,
    active: bool,
    suppressed: bool,
    /// Its events' times, epoch seconds.
    times: Vec<i64>,
}

/// Every violation the sandbox knows (of `profile`, when named): those the
/// evaluator finds within the 14 days kept, and those writes ended.
fn known_violations(tx: &Transaction, env: &Env, profile: Option<&str>) -> Result<Vec<Chosen>, ApiError> {
    let ended = invalidated::ended_at(tx)?;
    let mut found: BTreeMap<String, Chosen> = BTreeMap::new();
    for e in violations::evaluate_all(tx, env, profile, None)? {
        let active: BTreeSet<String> = e.active.iter().map(|a| e.id(&a.thing, a.since)).collect();
        for x in &e.events {
            let id = e.id(&x.thing, x.since);
            if ended.get(&id).is_some_and(|at| x.time > *at) {
                continue;
            }
            let entry = found.entry(id.clone()).or_insert_with(|| Chosen {
                active: active.contains(&id) && !ended.contains_key(&id),
                id,
                behavior: e.behavior.name.clone(),
                thing: x.thing.to_string(),
                suppressed: x.suppressed,
                times: Vec::new(),
            });
            entry.times.push(x.time);
        }
    }
    for gone in invalidated::all(tx, env, profile, None)? {
        let a = gone.alarm;
        let entry = found.entry(a.id.clone()).or_insert_with(|| Chosen {
            id: a.id.clone(),
            behavior: a.behavior.name.clone(),
            thing: a.thing.clone(),
            active: false,
            suppressed: a.suppressed,
            times: vec![a.since],
        });
        entry.active = false;
        entry.times.push(gone.at);
    }
    Ok(found.into_values().collect())
}

/// StartDetectMitigationActionsTask: selects the target's violations and
/// carries out each action on each one's thing, all before answering.
///
/// Errors: InvalidRequestException for what the rules refuse, an action or
/// profile or behavior that does not exist, or a target with no violation;
/// TaskAlreadyExistsException for a task id started with another token (the
/// same token answers the task again, changing nothing).
pub fn start(tx: &Transaction, env: &Env, task_id: &str, req: StartTaskRequest) -> Result<Value, ApiError> {
    refuse(&validate_start_task(task_id, &req))?;
    let token = req.client_request_token.clone().unwrap_or_default();
    if let Some((_, kept)) = stored::task(tx, task_id)? {
        if kept == token {
            return answer(StartDetectMitigationActionsTaskResponse { task_id: task_id.to_owned() });
        }
        return Err(ApiError::task_exists(format!(
            "Task {task_id} already exists with another clientRequestToken; use a new taskId"
        )));
    }
    let target = req.target.clone().unwrap_or_default();
    let actions = task_actions(tx, &req, &target)?;
    let chosen = chosen_violations(tx, env, &req, &target)?;
    let (executed, skipped, failed) = carry_out_all(tx, env, task_id, &chosen, &actions)?;
    let status = if failed > 0 && executed == 0 && skipped == 0 { "FAILED" } else { "SUCCESSFUL" };
    let mut summary = json!({
        "taskId": task_id,
        "taskStatus": status,
        "taskStartTime": env.now,
        "taskEndTime": env.now,
        "target": target,
        "onlyActiveViolationsIncluded": req.include_only_active_violations.unwrap_or(false),
        "suppressedAlertsIncluded": req.include_suppressed_alerts.unwrap_or(false),
        "actionsDefinition": actions.iter().map(|a| json!({
            "name": a["actionName"], "id": a["actionId"], "roleArn": a["roleArn"], "actionParams": a["actionParams"],
        })).collect::<Vec<_>>(),
        "taskStatistics": {"actionsExecuted": executed, "actionsSkipped": skipped, "actionsFailed": failed},
    });
    if let Some(r) = req.violation_event_occurrence_range {
        summary["violationEventOccurrenceRange"] = serde_json::to_value(r)?;
    }
    stored::put_task(tx, task_id, &token, env.now, &summary.to_string())?;
    answer(StartDetectMitigationActionsTaskResponse { task_id: task_id.to_owned() })
}

/// The task's actions as stored (each once, in the order named), once the
/// target's profile and behavior are found to exist.
fn task_actions(tx: &Transaction, req: &StartTaskRequest, target: &TaskTarget) -> Result<Vec<Value>, ApiError> {
    let mut actions = Vec::new();
    let mut named = BTreeSet::new();
    // An action named twice is carried out once.
    for name in req.actions.iter().flatten().filter(|n| named.insert(n.as_str())) {
        let doc = load(tx, name)?.ok_or_else(|| {
            ApiError::invalid(format!(
                "Mitigation action {} does not exist; create it first (create-mitigation-action)",
                crate::domain::untrusted::neutralise(name)
            ))
        })?;
        actions.push(doc);
    }
    if let Some(p) = &target.security_profile_name {
        let profile = profiles::load(tx, p)?
            .ok_or_else(|| ApiError::invalid(format!("The security profile {p} does not exist")))?;
        if let Some(b) = &target.behavior_name
            && profile.behaviors.iter().flatten().all(|x| &x.name != b)
        {
            return Err(ApiError::invalid(format!("The security profile {p} has no behavior {b}")));
        }
    }
    Ok(actions)
}

/// The violations the task acts on: its target's, narrowed by the
/// occurrence range and the active-only and suppressed flags. None is an
/// error: nothing is started.
fn chosen_violations(
    tx: &Transaction,
    env: &Env,
    req: &StartTaskRequest,
    target: &TaskTarget,
) -> Result<Vec<Chosen>, ApiError> {
    let range = req
        .violation_event_occurrence_range
        .as_ref()
        .map(|r| (r.start_time.unwrap_or_default().floor() as i64, r.end_time.unwrap_or_default().ceil() as i64));
    let only_active = req.include_only_active_violations.unwrap_or(false);
    let with_suppressed = req.include_suppressed_alerts.unwrap_or(false);
    let chosen: Vec<Chosen> = known_violations(tx, env, target.security_profile_name.as_deref())?
        .into_iter()
        .filter(|v| target.violation_ids.as_ref().is_none_or(|ids| ids.contains(&v.id)))
        .filter(|v| target.behavior_name.as_ref().is_none_or(|b| &v.behavior == b))
        .filter(|v| !only_active || v.active)
        .filter(|v| with_suppressed || !v.suppressed)
        .filter(|v| range.is_none_or(|(s, e)| v.times.iter().any(|t| (s..=e).contains(t))))
        .collect();
    if chosen.is_empty() {
        return Err(ApiError::invalid(format!(
            "No violation matches the task's target{}{}; nothing was started",
            if only_active { " among the active ones" } else { "" },
            if with_suppressed {
                ""
            } else {
                " (violations of behaviors that suppress alerts are left out unless includeSuppressedAlerts)"
            }
        )));
    }
    Ok(chosen)
}

/// Carries out every action on every chosen violation's thing, each kept as
/// an execution: how many were executed, skipped and failed.
fn carry_out_all(
    tx: &Transaction,
    env: &Env,
    task_id: &str,
    chosen: &[Chosen],
    actions: &[Value],
) -> Result<(i64, i64, i64), ApiError> {
    let (mut executed, mut skipped, mut failed) = (0_i64, 0_i64, 0_i64);
    for v in chosen {
        for action in actions {
            let name = action["actionName"].as_str().unwrap_or_default().to_owned();
            let params: MitigationActionParams = serde_json::from_value(action["actionParams"].clone())?;
            let (status, error_code, message) = carry_out(tx, &params, &v.thing)?;
            match status {
                "SUCCESSFUL" => executed += 1,
                "SKIPPED" => skipped += 1,
                _ => failed += 1,
            }
            let execution = Execution {
                task_id: task_id.to_owned(),
                violation_id: v.id.clone(),
                action_name: name,
                thing: v.thing.clone(),
                started: env.now,
                ended: Some(env.now),
                status: status.to_owned(),
                error_code: error_code.map(str::to_owned),
                message,
            };
            stored::put_execution(tx, &execution)?;
        }
    }
    Ok((executed, skipped, failed))
}

/// Carries out one action on one thing: its execution's status, errorCode and message.
fn carry_out(
    tx: &Transaction,
    params: &MitigationActionParams,
    thing: &str,
) -> Result<(&'static str, Option<&'static str>, Option<String>), ApiError> {
    let Some(p) = &params.add_things_to_thing_group else {
        let kind = params.action_type().unwrap_or("this type");
        return Ok((
            "SKIPPED",
            None,
            Some(format!(
                "Device Defender Detect carries out only ADD_THINGS_TO_THING_GROUP; {kind} is an Audit mitigation action"
            )),
        ));
    };
    let failed = |code: &'static str, message: String| Ok(("FAILED", Some(code), Some(message)));
    if !things::exists(tx, thing)? {
        return failed(
            "ResourceNotFoundException",
            format!("{thing} is not a registered thing, so it cannot join a thing group"),
        );
    }
    let names = p.thing_group_names.clone().unwrap_or_default();
    let adding = match thing_groups::join(tx, thing, &names)? {
        Ok(adding) => adding,
        Err(refused) => return Ok(("FAILED", Some(refused.code), Some(refused.message))),
    };
    let said = if adding.is_empty() {
        format!("{thing} was already in {}", names.join(", "))
    } else {
        format!("{thing} added to {}", adding.join(", "))
    };
    Ok(("SUCCESSFUL", None, Some(said)))
}

fn task_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Task {} does not exist", crate::domain::untrusted::neutralise(id)))
}

/// DescribeDetectMitigationActionsTask: `{taskSummary}`.
///
/// Errors: ResourceNotFoundException.
pub fn describe_task(tx: &Transaction, id: &str) -> Result<Value, ApiError> {
    let (doc, _) = stored::task(tx, id)?.ok_or_else(|| task_not_found(id))?;
    Ok(json!({ "taskSummary": serde_json::from_str::<Value>(&doc)? }))
}

/// ListDetectMitigationActionsTasks: the tasks started between startTime
/// and endTime (both required), oldest first.
///
/// Errors: InvalidRequestException for a missing or backward window, or maxResults.
pub fn list_tasks(
    tx: &Transaction,
    (start, end): (Option<i64>, Option<i64>),
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    let required = |name: &str| ApiError::invalid(format!("1 validation error detected: {name} must not be null"));
    let start = start.ok_or_else(|| required("startTime"))?;
    let end = end.ok_or_else(|| required("endTime"))?;
    if end < start {
        return Err(ApiError::invalid("endTime is before startTime"));
    }
    let size = page_size(max)?;
    let after = decode_token(token)?;
    let mut items = Vec::new();
    for (id, doc) in stored::tasks_between(tx, start as f64, end as f64)? {
        let v: Value = serde_json::from_str(&doc)?;
        let key = format!("{:020.3}\u{0}{id}", v["taskStartTime"].as_f64().unwrap_or_default());
        items.push((key, v));
    }
    let (items, next) = page(items, after.as_deref(), size, |(k, _)| k.as_str());
    answer(Page::new("tasks", items.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), next))
}

/// CancelDetectMitigationActionsTask: only a task in progress can be
/// canceled, and a sandbox task has ended by the time it is answered.
///
/// Errors: ResourceNotFoundException; InvalidRequestException for a task that ended.
pub fn cancel_task(tx: &Transaction, id: &str) -> Result<Value, ApiError> {
    let (doc, token) = stored::task(tx, id)?.ok_or_else(|| task_not_found(id))?;
    let mut v: Value = serde_json::from_str(&doc)?;
    let status = v["taskStatus"].as_str().unwrap_or_default().to_owned();
    if status != "IN_PROGRESS" {
        return Err(ApiError::invalid(format!(
            "Task {id} is {status}; only a task IN_PROGRESS can be canceled (the sandbox finishes a task before answering its start)"
        )));
    }
    v["taskStatus"] = json!("CANCELED");
    let started = v["taskStartTime"].as_f64().unwrap_or_default();
    stored::put_task(tx, id, &token, started, &v.to_string())?;
    answer(Empty {})
}

/// ListDetectMitigationActionsExecutions: by task, or by the time they
/// started (not both), narrowed by thing and violation.
///
/// Errors: InvalidRequestException for what the rules refuse, or maxResults.
pub fn list_executions(
    tx: &Transaction,
    task_id: Option<&str>,
    (start, end): (Option<i64>, Option<i64>),
    (thing, violation_id): (Option<&str>, Option<&str>),
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    refuse(&validate_executions_query(task_id, start, end))?;
    let size = page_size(max)?;
    let after = decode_token(token)?;
    let filter =
        stored::Filter { task_id, between: start.zip(end).map(|(s, e)| (s as f64, e as f64)), thing, violation_id };
    let items: Vec<(String, Value)> = stored::executions(tx, &filter)?
        .into_iter()
        .map(|e| {
            let key = format!("{:020.3}\u{0}{}\u{0}{}\u{0}{}", e.started, e.task_id, e.violation_id, e.action_name);
            let mut v = json!({
                "taskId": e.task_id,
                "violationId": e.violation_id,
                "actionName": e.action_name,
                "thingName": e.thing,
                "executionStartDate": e.started,
                "status": e.status,
            });
            if let Some(t) = e.ended {
                v["executionEndDate"] = json!(t);
            }
            if let Some(c) = e.error_code {
                v["errorCode"] = json!(c);
            }
            if let Some(m) = e.message {
                v["message"] = json!(m);
            }
            (key, v)
        })
        .collect();
    let (items, next) = page(items, after.as_deref(), size, |(k, _)| k.as_str());
    answer(Page::new("actionsExecutions", items.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), next))
}
