//! Rules on mitigation actions and Detect's mitigation tasks
//! (CreateMitigationAction, UpdateMitigationAction,
//! StartDetectMitigationActionsTask, ListDetectMitigationActionsExecutions,
//! ListDetectMitigationActionsTasks): shapes, enums, lengths and patterns
//! from the IoT model (botocore's service-2.json) and the API reference.
//! Shared by the commands and the sandbox.

use super::text::{characters, describe_char, quote, resource_name_fault};
use super::{Checker, Context};
use crate::domain::mitigation::{
    AddThingsToThingGroupParams, EnableIoTLoggingParams, MitigationActionParams, MitigationActionRequest,
    StartTaskRequest, TaskTarget,
};
use crate::domain::path::FieldPath;
use crate::domain::problem::{Problem, Rule};

/// MitigationActionNameList: 1 to 5 actions in one task.
pub const TASK_ACTIONS_MAX: usize = 5;
/// TargetViolationIdsForDetectMitigationActions: 1 to 25 violation ids.
pub const TASK_VIOLATIONS_MAX: usize = 25;
/// ThingGroupNames: 1 to 10 groups ("You can add a thing to a maximum of 10 groups").
pub const THING_GROUPS_MAX: usize = 10;
/// SnsTopicArn: at most 350 characters.
pub const TOPIC_ARN_MAX: usize = 350;
/// LogLevel's values.
pub const LOG_LEVELS: &[&str] = &["DEBUG", "INFO", "ERROR", "WARN", "DISABLED"];

/// Why `value` does not match `[a-zA-Z0-9_-]+` (plus `extra`) of at most
/// `max` characters: MitigationActionName, MitigationActionsTaskId and
/// ClientRequestToken share the shape.
fn identifier_fault(member: &str, value: &str, max: usize) -> Option<String> {
    let length = value.chars().count();
    if length == 0 {
        return Some(format!("{member} is empty; give 1 to {max} characters"));
    }
    if length > max {
        return Some(format!("{member} is {} long; use at most {max}", characters(length)));
    }
    value.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))).map(|c| {
        format!("{member} {} contains {}; use only letters, digits, '_' and '-'", quote(value), describe_char(c))
    })
}

/// Why an action name is not one (MitigationActionName: `[a-zA-Z0-9_-]+`, at most 128).
pub fn action_name_fault(name: &str) -> Option<String> {
    identifier_fault("actionName", name, 128)
}

/// Judges CreateMitigationAction (`creating`) or UpdateMitigationAction:
/// roleArn and actionParams are required on create; an update sets either.
pub fn validate_mitigation_action(name: &str, req: &MitigationActionRequest, creating: bool) -> Vec<Problem> {
    let ctx = Context::offline();
    let mut c = Checker::new(&ctx);
    let root = FieldPath::root();
    if let Some(fault) = action_name_fault(name) {
        c.error(root.key("actionName"), Rule::MitigationActionName, fault);
    }
    match req.role_arn.as_deref() {
        Some(arn) => super::profile::check_role_arn(&mut c, &root.key("roleArn"), arn),
        None if creating => c.error(
            root.key("roleArn"),
            Rule::RoleArnLength,
            "roleArn is required: the IAM role that lets Device Defender carry out the action",
        ),
        None => {}
    }
    match &req.action_params {
        Some(p) => check_params(&mut c, &root.key("actionParams"), p),
        None if creating => c.error(
            root.key("actionParams"),
            Rule::ActionParams,
            format!("actionParams is required: set one of {}", PARAM_MEMBERS.join(", ")),
        ),
        None => {}
    }
    if let Some(tags) = &req.tags {
        super::profile::check_tags(&mut c, &root.key("tags"), tags);
    }
    c.problems
}

const PARAM_MEMBERS: &[&str] = &[
    "addThingsToThingGroupParams",
    "updateDeviceCertificateParams",
    "updateCACertificateParams",
    "replaceDefaultPolicyVersionParams",
    "enableIoTLoggingParams",
    "publishFindingToSnsParams",
];

fn check_params(c: &mut Checker, path: &FieldPath, p: &MitigationActionParams) {
    let kinds = p.kinds();
    if kinds.len() != 1 {
        let set = kinds.iter().map(|(m, _)| *m).collect::<Vec<_>>();
        let said = if set.is_empty() { "sets none".to_owned() } else { format!("sets {}", set.join(" and ")) };
        c.error(
            path.clone(),
            Rule::ActionParams,
            format!("actionParams {said}; set exactly one of {}", PARAM_MEMBERS.join(", ")),
        );
    }
    let one_value = |c: &mut Checker, at: FieldPath, member: &str, value: Option<&str>, only: &str| match value {
        Some(v) if v == only => {}
        Some(v) => c.error(at, Rule::EnumValue, format!("{member} is {}; the only value is {only}", quote(v))),
        None => c.error(at, Rule::EnumValue, format!("{member} is required; the only value is {only}")),
    };
    if let Some(x) = &p.update_device_certificate {
        let at = path.key("updateDeviceCertificateParams").key("action");
        one_value(c, at, "action", x.action.as_deref(), "DEACTIVATE");
    }
    if let Some(x) = &p.update_ca_certificate {
        let at = path.key("updateCACertificateParams").key("action");
        one_value(c, at, "action", x.action.as_deref(), "DEACTIVATE");
    }
    if let Some(x) = &p.replace_default_policy_version {
        let at = path.key("replaceDefaultPolicyVersionParams").key("templateName");
        one_value(c, at, "templateName", x.template_name.as_deref(), "BLANK_POLICY");
    }
    if let Some(x) = &p.add_things_to_thing_group {
        check_thing_groups(c, &path.key("addThingsToThingGroupParams").key("thingGroupNames"), x);
    }
    if let Some(x) = &p.enable_iot_logging {
        check_logging(c, &path.key("enableIoTLoggingParams"), x);
    }
    if let Some(x) = &p.publish_finding_to_sns {
        check_topic(c, path.key("publishFindingToSnsParams").key("topicArn"), x.topic_arn.as_deref());
    }
}

/// AddThingsToThingGroupParams.thingGroupNames, at `at`: 1 to 10 names of thing groups, none twice.
fn check_thing_groups(c: &mut Checker, at: &FieldPath, x: &AddThingsToThingGroupParams) {
    let names = x.thing_group_names.as_deref().unwrap_or_default();
    if !(1..=THING_GROUPS_MAX).contains(&names.len()) {
        c.error(
            at.clone(),
            Rule::ThingGroupName,
            format!(
                "thingGroupNames has {} names; give 1 to {THING_GROUPS_MAX} (a thing joins at most 10 groups)",
                names.len()
            ),
        );
    }
    for (i, name) in names.iter().enumerate() {
        if let Some(fault) = resource_name_fault(name) {
            c.error(at.index(i), Rule::ThingGroupName, format!("thingGroupNames[{i}] {fault}"));
        } else if names[..i].contains(name) {
            c.error(at.index(i), Rule::ThingGroupName, format!("thingGroupNames names {} twice", quote(name)));
        }
    }
}

/// EnableIoTLoggingParams, at `at`: a role ARN and one of the log levels.
fn check_logging(c: &mut Checker, at: &FieldPath, x: &EnableIoTLoggingParams) {
    match x.role_arn_for_logging.as_deref() {
        Some(arn) => super::profile::check_named_role_arn(c, &at.key("roleArnForLogging"), "roleArnForLogging", arn),
        None => c.error(at.key("roleArnForLogging"), Rule::RoleArnLength, "roleArnForLogging is required"),
    }
    match x.log_level.as_deref() {
        Some(l) if LOG_LEVELS.contains(&l) => {}
        Some(l) => c.error(
            at.key("logLevel"),
            Rule::EnumValue,
            format!("logLevel is {}; use one of {}", quote(l), LOG_LEVELS.join(", ")),
        ),
        None => c.error(
            at.key("logLevel"),
            Rule::EnumValue,
            format!("logLevel is required; use one of {}", LOG_LEVELS.join(", ")),
        ),
    }
}

/// PublishFindingToSnsParams.topicArn, at `at`: required, at most 350 characters, an SNS topic's ARN (a warning).
fn check_topic(c: &mut Checker, at: FieldPath, topic_arn: Option<&str>) {
    match topic_arn {
        None | Some("") => c.error(at, Rule::SnsTopicArn, "topicArn is required: the SNS topic findings go to"),
        Some(arn) if arn.chars().count() > TOPIC_ARN_MAX => c.error(
            at,
            Rule::SnsTopicArn,
            format!("topicArn is {} long; use at most {TOPIC_ARN_MAX}", characters(arn.chars().count())),
        ),
        Some(arn) if !super::profile::is_sns_topic_arn(arn) => c.warn(
            at,
            Rule::SnsTopicArn,
            format!("{} does not look like an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC); the service likely requires one", quote(arn)),
        ),
        Some(_) => {}
    }
}

/// Judges StartDetectMitigationActionsTask.
pub fn validate_start_task(task_id: &str, req: &StartTaskRequest) -> Vec<Problem> {
    let ctx = Context::offline();
    let mut c = Checker::new(&ctx);
    let root = FieldPath::root();
    if let Some(fault) = identifier_fault("taskId", task_id, 128) {
        c.error(root.key("taskId"), Rule::TaskId, fault);
    }
    match req.client_request_token.as_deref() {
        Some(token) => {
            if let Some(fault) = identifier_fault("clientRequestToken", token, 64) {
                c.error(root.key("clientRequestToken"), Rule::ClientRequestToken, fault);
            }
        }
        None => c.error(
            root.key("clientRequestToken"),
            Rule::ClientRequestToken,
            "clientRequestToken is required: a token that makes a repeated start of this task harmless",
        ),
    }
    let actions = req.actions.as_deref().unwrap_or_default();
    if !(1..=TASK_ACTIONS_MAX).contains(&actions.len()) {
        c.error(
            root.key("actions"),
            Rule::TaskActions,
            format!("actions has {} names; give 1 to {TASK_ACTIONS_MAX} mitigation actions", actions.len()),
        );
    }
    for (i, a) in actions.iter().enumerate() {
        if let Some(fault) = action_name_fault(a) {
            c.error(root.key("actions").index(i), Rule::MitigationActionName, fault);
        }
    }
    check_task_target(&mut c, req.target.as_ref(), &root.key("target"));
    if let Some(r) = &req.violation_event_occurrence_range {
        let at = root.key("violationEventOccurrenceRange");
        match (r.start_time, r.end_time) {
            (Some(s), Some(e)) if s > e => {
                c.error(at, Rule::TimeWindow, "violationEventOccurrenceRange ends before it starts")
            }
            (Some(_), Some(_)) => {}
            _ => c.error(at, Rule::TimeWindow, "violationEventOccurrenceRange needs both startTime and endTime"),
        }
    }
    c.problems
}

/// A task's target: violation ids (1 to 25, each 1 to 128 of `[a-zA-Z0-9-]`),
/// or a profile name (and a behavior name), at `at`.
fn check_task_target(c: &mut Checker, target: Option<&TaskTarget>, at: &FieldPath) {
    match target {
        None => c.error(
            at.clone(),
            Rule::TaskTarget,
            "target is required: name violationIds, or a securityProfileName (and a behaviorName)",
        ),
        Some(t) => {
            let ids = t.violation_ids.as_deref();
            if ids.is_none() && t.security_profile_name.is_none() {
                c.error(
                    at.clone(),
                    Rule::TaskTarget,
                    "target names nothing; give violationIds, or a securityProfileName (and a behaviorName)",
                );
            }
            if t.behavior_name.is_some() && t.security_profile_name.is_none() {
                c.error(
                    at.key("behaviorName"),
                    Rule::TaskTarget,
                    "behaviorName needs the securityProfileName whose behavior it is",
                );
            }
            if let Some(ids) = ids {
                if !(1..=TASK_VIOLATIONS_MAX).contains(&ids.len()) {
                    c.error(
                        at.key("violationIds"),
                        Rule::TaskTarget,
                        format!("violationIds has {} ids; give 1 to {TASK_VIOLATIONS_MAX}", ids.len()),
                    );
                }
                for (i, id) in ids.iter().enumerate() {
                    let n = id.chars().count();
                    if n == 0 || n > 128 || !id.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-') {
                        c.error(
                            at.key("violationIds").index(i),
                            Rule::ViolationId,
                            format!("violationIds[{i}] is {}; use 1 to 128 letters, digits and '-'", quote(id)),
                        );
                    }
                }
            }
            for (member, value, rule) in [
                ("securityProfileName", t.security_profile_name.as_deref(), Rule::ProfileName),
                ("behaviorName", t.behavior_name.as_deref(), Rule::BehaviorName),
            ] {
                if let Some(fault) = value.and_then(resource_name_fault) {
                    c.error(at.key(member), rule, format!("{member} {fault}"));
                }
            }
        }
    }
}

/// Judges ListDetectMitigationActionsExecutions' filters: "You must specify
/// either the startTime and endTime or the taskId, but not both" (API reference).
pub fn validate_executions_query(task_id: Option<&str>, start: Option<i64>, end: Option<i64>) -> Vec<Problem> {
    let ctx = Context::offline();
    let mut c = Checker::new(&ctx);
    let root = FieldPath::root();
    match (task_id, start, end) {
        (Some(_), None, None) => {}
        (None, Some(s), Some(e)) if s <= e => {}
        (None, Some(_), Some(_)) => c.error(root.key("endTime"), Rule::TimeWindow, "endTime is before startTime"),
        (Some(_), _, _) => c.error(
            root.key("taskId"),
            Rule::ListFilterConflict,
            "give either taskId or startTime and endTime, not both",
        ),
        (None, _, _) => {
            c.error(root.key("startTime"), Rule::TimeWindow, "give either a taskId, or both startTime and endTime")
        }
    }
    if let Some(fault) = task_id.and_then(|t| identifier_fault("taskId", t, 128)) {
        c.error(root.key("taskId"), Rule::TaskId, fault);
    }
    c.problems
}

/// Judges ListMitigationActions' actionType filter.
pub fn validate_action_type(action_type: Option<&str>) -> Vec<Problem> {
    let ctx = Context::offline();
    let mut c = Checker::new(&ctx);
    if let Some(t) = action_type.filter(|t| !crate::domain::mitigation::ACTION_TYPES.contains(t)) {
        c.error(
            FieldPath::root().key("actionType"),
            Rule::EnumValue,
            format!("actionType is {}; use one of {}", quote(t), crate::domain::mitigation::ACTION_TYPES.join(", ")),
        );
    }
    c.problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::mitigation::*;

    fn rules(p: &[Problem]) -> Vec<(String, Rule)> {
        p.iter().map(|p| (p.path.to_string(), p.rule)).collect()
    }

    #[test]
    fn each_kind_of_params_is_judged_at_its_field() {
        let bad: MitigationActionRequest = serde_json::from_value(serde_json::json!({
            "roleArn": "arn:aws:iam::123456789012:role/dd",
            "actionParams": {
                "addThingsToThingGroupParams": {"thingGroupNames": ["ok", "ok", "bad group"]},
                "updateDeviceCertificateParams": {"action": "ACTIVATE"},
                "updateCACertificateParams": {},
                "replaceDefaultPolicyVersionParams": {"templateName": "FULL"},
                "enableIoTLoggingParams": {"roleArnForLogging": "short", "logLevel": "LOUD"},
                "publishFindingToSnsParams": {"topicArn": "not-an-arn"}
            }
        }))
        .unwrap();
        let found = rules(&validate_mitigation_action("quarantine", &bad, true));
        let at = |path: &str, rule: Rule| assert!(found.contains(&(path.to_owned(), rule)), "{path}: {found:?}");
        at("actionParams", Rule::ActionParams);
        at("actionParams.addThingsToThingGroupParams.thingGroupNames[1]", Rule::ThingGroupName);
        at("actionParams.addThingsToThingGroupParams.thingGroupNames[2]", Rule::ThingGroupName);
        at("actionParams.updateDeviceCertificateParams.action", Rule::EnumValue);
        at("actionParams.updateCACertificateParams.action", Rule::EnumValue);
        at("actionParams.replaceDefaultPolicyVersionParams.templateName", Rule::EnumValue);
        at("actionParams.enableIoTLoggingParams.roleArnForLogging", Rule::RoleArnLength);
        at("actionParams.enableIoTLoggingParams.logLevel", Rule::EnumValue);
        at("actionParams.publishFindingToSnsParams.topicArn", Rule::SnsTopicArn);
        let none = MitigationActionRequest::default();
        let found = rules(&validate_mitigation_action("bad name", &none, true));
        assert_eq!(
            found,
            [
                ("actionName".to_owned(), Rule::MitigationActionName),
                ("roleArn".to_owned(), Rule::RoleArnLength),
                ("actionParams".to_owned(), Rule::ActionParams)
            ]
        );
        assert!(validate_mitigation_action("ok", &none, false).is_empty(), "an update may change nothing");
    }

    #[test]
    fn tasks_need_a_target_actions_and_a_token() {
        let found = rules(&validate_start_task("t 1", &StartTaskRequest::default()));
        let kinds: Vec<Rule> = found.iter().map(|(_, r)| *r).collect();
        assert_eq!(kinds, [Rule::TaskId, Rule::ClientRequestToken, Rule::TaskActions, Rule::TaskTarget]);
        let ok = StartTaskRequest {
            target: Some(TaskTarget { security_profile_name: Some("p".into()), ..TaskTarget::default() }),
            actions: Some(vec!["quarantine".into()]),
            client_request_token: Some("abc-1".into()),
            ..StartTaskRequest::default()
        };
        assert!(validate_start_task("t1", &ok).is_empty());
        let six = StartTaskRequest { actions: Some(vec!["a".into(); 6]), ..ok.clone() };
        assert_eq!(rules(&validate_start_task("t1", &six)), [("actions".to_owned(), Rule::TaskActions)]);
        let backwards = StartTaskRequest {
            violation_event_occurrence_range: Some(OccurrenceRange { start_time: Some(10.0), end_time: Some(5.0) }),
            ..ok
        };
        assert_eq!(rules(&validate_start_task("t1", &backwards))[0].1, Rule::TimeWindow);
        assert!(validate_executions_query(Some("t"), None, None).is_empty());
        assert_eq!(validate_executions_query(Some("t"), Some(1), Some(2))[0].rule, Rule::ListFilterConflict);
        assert_eq!(validate_executions_query(None, Some(1), None)[0].rule, Rule::TimeWindow);
        assert_eq!(validate_action_type(Some("NUKE"))[0].rule, Rule::EnumValue);
    }
}
