//! Mitigation actions and Detect's mitigation tasks (CreateMitigationAction,
//! DescribeMitigationAction, ListMitigationActions, UpdateMitigationAction,
//! DeleteMitigationAction, StartDetectMitigationActionsTask,
//! DescribeDetectMitigationActionsTask, ListDetectMitigationActionsTasks,
//! CancelDetectMitigationActionsTask, ListDetectMitigationActionsExecutions),
//! with the AWS CLI's JSON out: members in the model's order, unset ones left
//! out, timestamps as epoch seconds (the output turns them into ISO 8601).

use aws_sdk_iot::primitives::DateTime;
use aws_sdk_iot::types as sdk;
use serde_json::{Value, json};

use super::convert::{epoch_seconds, object, tags_to_sdk};
use super::targets::{Page, page_size};
use super::{ClientError, Connection};
use crate::domain::mitigation::{
    AddThingsToThingGroupParams, CertificateActionParams, EnableIoTLoggingParams, MitigationActionParams,
    PublishFindingToSnsParams, ReplaceDefaultPolicyVersionParams, StartTaskRequest, TaskTarget,
};
use crate::domain::profile::Tag;

fn text(v: Option<&str>) -> Option<Value> {
    v.map(|v| json!(v))
}

fn time(t: &Option<DateTime>) -> Option<Value> {
    epoch_seconds(t).map(|t| json!(t))
}

fn build_error(e: impl std::fmt::Display) -> ClientError {
    ClientError::Request(format!("The request cannot be built: {e}"))
}

/// The domain's parameters as the SDK's.
///
/// Errors: a member the SDK requires that is missing (the rules say so first).
pub fn params_to_sdk(p: &MitigationActionParams) -> Result<sdk::MitigationActionParams, ClientError> {
    let mut b = sdk::MitigationActionParams::builder();
    if let Some(x) = &p.update_device_certificate {
        let action = sdk::DeviceCertificateUpdateAction::from(x.action.as_deref().unwrap_or_default());
        b = b.update_device_certificate_params(
            sdk::UpdateDeviceCertificateParams::builder().action(action).build().map_err(build_error)?,
        );
    }
    if let Some(x) = &p.update_ca_certificate {
        let action = sdk::CaCertificateUpdateAction::from(x.action.as_deref().unwrap_or_default());
        b = b.update_ca_certificate_params(
            sdk::UpdateCaCertificateParams::builder().action(action).build().map_err(build_error)?,
        );
    }
    if let Some(x) = &p.add_things_to_thing_group {
        b = b.add_things_to_thing_group_params(
            sdk::AddThingsToThingGroupParams::builder()
                .set_thing_group_names(x.thing_group_names.clone())
                .set_override_dynamic_groups(x.override_dynamic_groups)
                .build()
                .map_err(build_error)?,
        );
    }
    if let Some(x) = &p.replace_default_policy_version {
        let name = sdk::PolicyTemplateName::from(x.template_name.as_deref().unwrap_or_default());
        b = b.replace_default_policy_version_params(
            sdk::ReplaceDefaultPolicyVersionParams::builder().template_name(name).build().map_err(build_error)?,
        );
    }
    if let Some(x) = &p.enable_iot_logging {
        b = b.enable_io_t_logging_params(
            sdk::EnableIoTLoggingParams::builder()
                .set_role_arn_for_logging(x.role_arn_for_logging.clone())
                .set_log_level(x.log_level.as_deref().map(sdk::LogLevel::from))
                .build()
                .map_err(build_error)?,
        );
    }
    if let Some(x) = &p.publish_finding_to_sns {
        b = b.publish_finding_to_sns_params(
            sdk::PublishFindingToSnsParams::builder()
                .set_topic_arn(x.topic_arn.clone())
                .build()
                .map_err(build_error)?,
        );
    }
    Ok(b.build())
}

/// The SDK's parameters as the domain's (and so as JSON, in the model's order).
pub fn params_from_sdk(p: &sdk::MitigationActionParams) -> MitigationActionParams {
    MitigationActionParams {
        update_device_certificate: p
            .update_device_certificate_params()
            .map(|x| CertificateActionParams { action: Some(x.action().as_str().to_owned()) }),
        update_ca_certificate: p
            .update_ca_certificate_params()
            .map(|x| CertificateActionParams { action: Some(x.action().as_str().to_owned()) }),
        add_things_to_thing_group: p.add_things_to_thing_group_params().map(|x| AddThingsToThingGroupParams {
            thing_group_names: Some(x.thing_group_names().to_vec()),
            override_dynamic_groups: x.override_dynamic_groups(),
        }),
        replace_default_policy_version: p
            .replace_default_policy_version_params()
            .map(|x| ReplaceDefaultPolicyVersionParams { template_name: Some(x.template_name().as_str().to_owned()) }),
        enable_iot_logging: p.enable_io_t_logging_params().map(|x| EnableIoTLoggingParams {
            role_arn_for_logging: Some(x.role_arn_for_logging().to_owned()),
            log_level: Some(x.log_level().as_str().to_owned()),
        }),
        publish_finding_to_sns: p
            .publish_finding_to_sns_params()
            .map(|x| PublishFindingToSnsParams { topic_arn: Some(x.topic_arn().to_owned()) }),
    }
}

fn params_json(p: Option<&sdk::MitigationActionParams>) -> Option<Value> {
    p.and_then(|p| serde_json::to_value(params_from_sdk(p)).ok())
}

fn id_and_arn(arn: Option<&str>, id: Option<&str>) -> Value {
    object(vec![("actionArn", text(arn)), ("actionId", text(id))])
}

pub async fn create_mitigation_action(
    c: &Connection,
    name: &str,
    role_arn: Option<&str>,
    params: &MitigationActionParams,
    tags: &Option<Vec<Tag>>,
) -> Result<Value, ClientError> {
    let out = c
        .client
        .create_mitigation_action()
        .action_name(name)
        .set_role_arn(role_arn.map(str::to_owned))
        .action_params(params_to_sdk(params)?)
        .set_tags(tags_to_sdk(tags).map_err(build_error)?)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("CreateMitigationAction", &c.endpoint, e))?;
    Ok(id_and_arn(out.action_arn(), out.action_id()))
}

pub async fn update_mitigation_action(
    c: &Connection,
    name: &str,
    role_arn: Option<&str>,
    params: Option<&MitigationActionParams>,
) -> Result<Value, ClientError> {
    let out = c
        .client
        .update_mitigation_action()
        .action_name(name)
        .set_role_arn(role_arn.map(str::to_owned))
        .set_action_params(params.map(params_to_sdk).transpose()?)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("UpdateMitigationAction", &c.endpoint, e))?;
    Ok(id_and_arn(out.action_arn(), out.action_id()))
}

pub async fn describe_mitigation_action(c: &Connection, name: &str) -> Result<Value, ClientError> {
    let out = c
        .client
        .describe_mitigation_action()
        .action_name(name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DescribeMitigationAction", &c.endpoint, e))?;
    Ok(object(vec![
        ("actionName", text(out.action_name())),
        ("actionType", out.action_type().map(|t| json!(t.as_str()))),
        ("actionArn", text(out.action_arn())),
        ("actionId", text(out.action_id())),
        ("roleArn", text(out.role_arn())),
        ("actionParams", params_json(out.action_params())),
        ("creationDate", time(&out.creation_date)),
        ("lastModifiedDate", time(&out.last_modified_date)),
    ]))
}

pub async fn delete_mitigation_action(c: &Connection, name: &str) -> Result<(), ClientError> {
    c.client
        .delete_mitigation_action()
        .action_name(name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DeleteMitigationAction", &c.endpoint, e))?;
    Ok(())
}

pub async fn mitigation_actions_page(
    c: &Connection,
    action_type: Option<&str>,
    max: Option<i64>,
    token: Option<String>,
) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_mitigation_actions()
        .set_action_type(action_type.map(sdk::MitigationActionType::from))
        .set_max_results(page_size(max))
        .set_next_token(token)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListMitigationActions", &c.endpoint, e))?;
    let items = out
        .action_identifiers()
        .iter()
        .map(|a| {
            object(vec![
                ("actionName", text(a.action_name())),
                ("actionArn", text(a.action_arn())),
                ("creationDate", time(&a.creation_date)),
            ])
        })
        .collect();
    Ok((items, out.next_token().map(str::to_owned)))
}

fn secs(t: f64) -> DateTime {
    DateTime::from_secs_f64(t)
}

/// StartDetectMitigationActionsTask: answers `{taskId}`.
pub async fn start_task(c: &Connection, task_id: &str, req: &StartTaskRequest) -> Result<Value, ClientError> {
    let target = req.target.clone().unwrap_or_default();
    let range = match &req.violation_event_occurrence_range {
        Some(r) => Some(
            sdk::ViolationEventOccurrenceRange::builder()
                .set_start_time(r.start_time.map(secs))
                .set_end_time(r.end_time.map(secs))
                .build()
                .map_err(build_error)?,
        ),
        None => None,
    };
    let out = c
        .client
        .start_detect_mitigation_actions_task()
        .task_id(task_id)
        .target(
            sdk::DetectMitigationActionsTaskTarget::builder()
                .set_violation_ids(target.violation_ids)
                .set_security_profile_name(target.security_profile_name)
                .set_behavior_name(target.behavior_name)
                .build(),
        )
        .set_actions(req.actions.clone())
        .set_violation_event_occurrence_range(range)
        .set_include_only_active_violations(req.include_only_active_violations)
        .set_include_suppressed_alerts(req.include_suppressed_alerts)
        .set_client_request_token(req.client_request_token.clone())
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("StartDetectMitigationActionsTask", &c.endpoint, e))?;
    Ok(object(vec![("taskId", text(out.task_id()))]))
}

fn target_json(t: Option<&sdk::DetectMitigationActionsTaskTarget>) -> Option<Value> {
    t.map(|t| {
        serde_json::to_value(TaskTarget {
            violation_ids: t.violation_ids.clone(),
            security_profile_name: t.security_profile_name.clone(),
            behavior_name: t.behavior_name.clone(),
        })
        .unwrap_or_default()
    })
}

/// A DetectMitigationActionsTaskSummary as the CLI prints it.
pub fn task_json(s: &sdk::DetectMitigationActionsTaskSummary) -> Value {
    object(vec![
        ("taskId", text(s.task_id())),
        ("taskStatus", s.task_status().map(|x| json!(x.as_str()))),
        ("taskStartTime", time(&s.task_start_time)),
        ("taskEndTime", time(&s.task_end_time)),
        ("target", target_json(s.target())),
        (
            "violationEventOccurrenceRange",
            s.violation_event_occurrence_range().map(|r| {
                object(vec![("startTime", time(&Some(*r.start_time()))), ("endTime", time(&Some(*r.end_time())))])
            }),
        ),
        ("onlyActiveViolationsIncluded", Some(json!(s.only_active_violations_included()))),
        ("suppressedAlertsIncluded", Some(json!(s.suppressed_alerts_included()))),
        (
            "actionsDefinition",
            s.actions_definition.as_ref().map(|defs| {
                defs.iter()
                    .map(|a| {
                        object(vec![
                            ("name", text(a.name())),
                            ("id", text(a.id())),
                            ("roleArn", text(a.role_arn())),
                            ("actionParams", params_json(a.action_params())),
                        ])
                    })
                    .collect::<Vec<_>>()
                    .into()
            }),
        ),
        (
            "taskStatistics",
            s.task_statistics().map(|t| {
                object(vec![
                    ("actionsExecuted", t.actions_executed().map(|n| json!(n))),
                    ("actionsSkipped", t.actions_skipped().map(|n| json!(n))),
                    ("actionsFailed", t.actions_failed().map(|n| json!(n))),
                ])
            }),
        ),
    ])
}

pub async fn describe_task(c: &Connection, task_id: &str) -> Result<Value, ClientError> {
    let out = c
        .client
        .describe_detect_mitigation_actions_task()
        .task_id(task_id)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DescribeDetectMitigationActionsTask", &c.endpoint, e))?;
    Ok(object(vec![("taskSummary", out.task_summary().map(task_json))]))
}

pub async fn cancel_task(c: &Connection, task_id: &str) -> Result<(), ClientError> {
    c.client
        .cancel_detect_mitigation_actions_task()
        .task_id(task_id)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("CancelDetectMitigationActionsTask", &c.endpoint, e))?;
    Ok(())
}

pub async fn tasks_page(
    c: &Connection,
    (start, end): (i64, i64),
    max: Option<i64>,
    token: Option<String>,
) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_detect_mitigation_actions_tasks()
        .start_time(DateTime::from_secs(start))
        .end_time(DateTime::from_secs(end))
        .set_max_results(page_size(max))
        .set_next_token(token)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListDetectMitigationActionsTasks", &c.endpoint, e))?;
    Ok((out.tasks().iter().map(task_json).collect(), out.next_token().map(str::to_owned)))
}

/// What ListDetectMitigationActionsExecutions is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecutionsQuery {
    pub task_id: Option<String>,
    pub violation_id: Option<String>,
    pub thing_name: Option<String>,
    /// Epoch seconds.
    pub window: Option<(i64, i64)>,
    pub max_results: Option<i64>,
}

/// A DetectMitigationActionExecution as the CLI prints it.
pub fn execution_json(e: &sdk::DetectMitigationActionExecution) -> Value {
    object(vec![
        ("taskId", text(e.task_id())),
        ("violationId", text(e.violation_id())),
        ("actionName", text(e.action_name())),
        ("thingName", text(e.thing_name())),
        ("executionStartDate", time(&e.execution_start_date)),
        ("executionEndDate", time(&e.execution_end_date)),
        ("status", e.status().map(|s| json!(s.as_str()))),
        ("errorCode", text(e.error_code())),
        ("message", text(e.message())),
    ])
}

pub async fn executions_page(c: &Connection, q: &ExecutionsQuery, token: Option<String>) -> Result<Page, ClientError> {
    let out = c
        .client
        .list_detect_mitigation_actions_executions()
        .set_task_id(q.task_id.clone())
        .set_violation_id(q.violation_id.clone())
        .set_thing_name(q.thing_name.clone())
        .set_start_time(q.window.map(|w| DateTime::from_secs(w.0)))
        .set_end_time(q.window.map(|w| DateTime::from_secs(w.1)))
        .set_max_results(page_size(q.max_results))
        .set_next_token(token)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListDetectMitigationActionsExecutions", &c.endpoint, e))?;
    Ok((out.actions_executions().iter().map(execution_json).collect(), out.next_token().map(str::to_owned)))
}
