//! What `--generate-cli-skeleton [input|yaml-input|output]` prints for each
//! operation: the same members in the same order as the AWS CLI (botocore's
//! ArgumentGenerator: strings "", integers 0, doubles 0.0, booleans true, one
//! list element, map key "KeyName"; service.md §6). The CLI picks enum values
//! at random; ddsp prints fixed ones.

use serde::Serialize;
use serde_json::{Value, json};

use super::request::Operation;
use super::response::{SecurityProfileDescription, SecurityProfileIdentifier};
use super::yaml_out::to_yaml;
use crate::domain::profile::{
    AlertTarget, Behavior, BehaviorCriteria, ComparisonOperator, ConfidenceLevel, DimensionValueOperator,
    MetricDimension, MetricToRetain, MetricValue, MetricsExportConfig, MlDetectionConfig, ProfileUpdate,
    SecurityProfile, StatisticalThreshold, Tag,
};

/// Which skeleton to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkeletonKind {
    Input,
    YamlInput,
    Output,
}

impl SkeletonKind {
    /// The CLI's argument values; none means `input`.
    pub fn parse(text: &str) -> Option<SkeletonKind> {
        match text {
            "" | "input" => Some(SkeletonKind::Input),
            "yaml-input" => Some(SkeletonKind::YamlInput),
            "output" => Some(SkeletonKind::Output),
            _ => None,
        }
    }
}

/// The skeleton text, ending in a newline.
pub fn skeleton(operation: Operation, kind: SkeletonKind) -> String {
    match kind {
        SkeletonKind::Input => json_text(&input_value(operation)),
        SkeletonKind::Output => {
            let mut value = output_value(operation);
            // An operation with an empty output prints nothing, as the CLI does.
            if value.as_object().is_some_and(serde_json::Map::is_empty) {
                return String::new();
            }
            name_strings(&mut value, "");
            json_text(&value)
        }
        SkeletonKind::YamlInput => to_yaml(&input_value(operation), &|member| {
            resource_comment(operation, member).or_else(|| member_comment(member))
        }),
    }
}

/// JSON with a 4-space indent, as the AWS CLI prints it.
pub fn json_text(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    // A Value always serializes; an error here could only be a write error on a Vec.
    if value.serialize(&mut serializer).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    text.push('\n');
    text
}

fn to_value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn sample_behavior() -> Behavior {
    Behavior {
        name: String::new(),
        metric: Some(String::new()),
        metric_dimension: Some(MetricDimension {
            dimension_name: String::new(),
            operator: Some(DimensionValueOperator::In),
        }),
        criteria: Some(BehaviorCriteria {
            comparison_operator: Some(ComparisonOperator::InPortSet),
            value: Some(MetricValue {
                count: Some(0),
                cidrs: Some(vec![String::new()]),
                ports: Some(vec![0]),
                number: Some(0.0),
                numbers: Some(vec![0.0]),
                strings: Some(vec![String::new()]),
            }),
            duration_seconds: Some(0),
            consecutive_datapoints_to_alarm: Some(0),
            consecutive_datapoints_to_clear: Some(0),
            statistical_threshold: Some(StatisticalThreshold { statistic: Some(String::new()) }),
            ml_detection_config: Some(MlDetectionConfig { confidence_level: Some(ConfidenceLevel::High) }),
        }),
        suppress_alerts: Some(true),
        export_metric: Some(true),
    }
}

fn sample_alert_targets() -> crate::domain::profile::AlertTargets {
    [("KeyName".to_owned(), AlertTarget { alert_target_arn: String::new(), role_arn: String::new() })].into()
}

fn sample_retain_v2() -> Vec<MetricToRetain> {
    vec![MetricToRetain {
        metric: String::new(),
        metric_dimension: Some(MetricDimension {
            dimension_name: String::new(),
            operator: Some(DimensionValueOperator::NotIn),
        }),
        export_metric: Some(true),
    }]
}

fn sample_export() -> MetricsExportConfig {
    MetricsExportConfig { mqtt_topic: String::new(), role_arn: String::new() }
}

fn sample_profile() -> SecurityProfile {
    SecurityProfile {
        security_profile_name: String::new(),
        security_profile_description: Some(String::new()),
        behaviors: Some(vec![sample_behavior()]),
        alert_targets: Some(sample_alert_targets()),
        additional_metrics_to_retain: Some(vec![String::new()]),
        additional_metrics_to_retain_v2: Some(sample_retain_v2()),
        tags: Some(vec![Tag { key: String::new(), value: Some(String::new()) }]),
        metrics_export_config: Some(sample_export()),
    }
}

fn input_value(operation: Operation) -> Value {
    match operation {
        Operation::Create => to_value(&sample_profile()),
        Operation::Update => to_value(&ProfileUpdate {
            delete_behaviors: Some(true),
            delete_alert_targets: Some(true),
            delete_additional_metrics_to_retain: Some(true),
            expected_version: Some(0),
            delete_metrics_export_config: Some(true),
            ..ProfileUpdate::from(sample_profile())
        }),
        Operation::Describe => json!({"securityProfileName": ""}),
        Operation::Delete => json!({"securityProfileName": "", "expectedVersion": 0}),
        Operation::List => json!({"nextToken": "", "maxResults": 0, "dimensionName": "", "metricName": ""}),
        Operation::ValidateBehaviors => json!({"behaviors": [to_value(&sample_behavior())]}),
        Operation::Attach | Operation::Detach => json!({"securityProfileName": "", "securityProfileTargetArn": ""}),
        Operation::ListTargets => json!({"securityProfileName": "", "nextToken": "", "maxResults": 0}),
        Operation::ListProfilesForTarget => {
            json!({"nextToken": "", "maxResults": 0, "recursive": true, "securityProfileTargetArn": ""})
        }
        Operation::CreateThingGroup => json!({
            "thingGroupName": "",
            "parentGroupName": "",
            "thingGroupProperties": {
                "thingGroupDescription": "",
                "attributePayload": {"attributes": {"KeyName": ""}, "merge": true}
            },
            "tags": [{"Key": "", "Value": ""}]
        }),
        Operation::DeleteThingGroup => json!({"thingGroupName": "", "expectedVersion": 0}),
        Operation::ListThingGroups => json!({
            "nextToken": "", "maxResults": 0, "parentGroup": "", "namePrefixFilter": "", "recursive": true
        }),
        Operation::CreateDimension => json!({
            "name": "", "type": "TOPIC_FILTER", "stringValues": [""], "tags": [{"Key": "", "Value": ""}],
            "clientRequestToken": ""
        }),
        Operation::UpdateDimension => json!({"name": "", "stringValues": [""]}),
        Operation::DescribeDimension | Operation::DeleteDimension => json!({"name": ""}),
        Operation::ListDimensions | Operation::ListCustomMetrics => json!({"nextToken": "", "maxResults": 0}),
        Operation::CreateCustomMetric => json!({
            "metricName": "", "displayName": "", "metricType": "number", "tags": [{"Key": "", "Value": ""}],
            "clientRequestToken": ""
        }),
        Operation::UpdateCustomMetric => json!({"metricName": "", "displayName": ""}),
        Operation::DescribeCustomMetric | Operation::DeleteCustomMetric => json!({"metricName": ""}),
        Operation::ListActiveViolations => json!({
            "thingName": "", "securityProfileName": "", "behaviorCriteriaType": "STATIC",
            "listSuppressedAlerts": true, "verificationState": "FALSE_POSITIVE", "nextToken": "", "maxResults": 0
        }),
        Operation::ListViolationEvents => json!({
            "startTime": SKELETON_TIMESTAMP, "endTime": SKELETON_TIMESTAMP, "thingName": "", "securityProfileName": "",
            "behaviorCriteriaType": "STATIC", "listSuppressedAlerts": true, "verificationState": "FALSE_POSITIVE",
            "nextToken": "", "maxResults": 0
        }),
        Operation::ListMetricValues => json!({
            "thingName": "", "metricName": "", "dimensionName": "", "dimensionValueOperator": "IN",
            "startTime": SKELETON_TIMESTAMP, "endTime": SKELETON_TIMESTAMP, "maxResults": 0, "nextToken": ""
        }),
        Operation::GetBehaviorModelTrainingSummaries => {
            json!({"securityProfileName": "", "maxResults": 0, "nextToken": ""})
        }
        Operation::PutVerificationStateOnViolation => json!({
            "violationId": "", "verificationState": "FALSE_POSITIVE", "verificationStateDescription": ""
        }),
        Operation::CreateKeysAndCertificate => json!({"setAsActive": true}),
        Operation::DescribeCertificate => json!({"certificateId": ""}),
        Operation::ListCertificates => json!({"pageSize": 0, "marker": "", "ascendingOrder": true}),
        Operation::UpdateCertificate => json!({"certificateId": "", "newStatus": "INACTIVE"}),
        Operation::DeleteCertificate => json!({"certificateId": "", "forceDelete": true}),
        Operation::AttachThingPrincipal => {
            json!({"thingName": "", "principal": "", "thingPrincipalType": "NON_EXCLUSIVE_THING"})
        }
        Operation::DetachThingPrincipal => json!({"thingName": "", "principal": ""}),
        Operation::ListThingPrincipals => json!({"nextToken": "", "maxResults": 0, "thingName": ""}),
        Operation::DescribeEndpoint => json!({"endpointType": ""}),
        Operation::CreateMitigationAction => json!({
            "actionName": "", "roleArn": "", "actionParams": action_params_sample(true),
            "tags": [{"Key": "", "Value": ""}]
        }),
        Operation::UpdateMitigationAction => {
            json!({"actionName": "", "roleArn": "", "actionParams": action_params_sample(true)})
        }
        Operation::DescribeMitigationAction | Operation::DeleteMitigationAction => json!({"actionName": ""}),
        Operation::ListMitigationActions => {
            json!({"actionType": "UPDATE_DEVICE_CERTIFICATE", "maxResults": 0, "nextToken": ""})
        }
        Operation::StartDetectMitigationActionsTask => json!({
            "taskId": "",
            "target": {"violationIds": [""], "securityProfileName": "", "behaviorName": ""},
            "actions": [""],
            "violationEventOccurrenceRange": {"startTime": SKELETON_TIMESTAMP, "endTime": SKELETON_TIMESTAMP},
            "includeOnlyActiveViolations": true,
            "includeSuppressedAlerts": true,
            "clientRequestToken": ""
        }),
        Operation::DescribeDetectMitigationActionsTask | Operation::CancelDetectMitigationActionsTask => {
            json!({"taskId": ""})
        }
        Operation::ListDetectMitigationActionsTasks => json!({
            "maxResults": 0, "nextToken": "", "startTime": SKELETON_TIMESTAMP, "endTime": SKELETON_TIMESTAMP
        }),
        Operation::ListDetectMitigationActionsExecutions => json!({
            "taskId": "", "violationId": "", "thingName": "", "startTime": SKELETON_TIMESTAMP,
            "endTime": SKELETON_TIMESTAMP, "maxResults": 0, "nextToken": ""
        }),
    }
}

/// MitigationActionParams with every member: enums as their first value in
/// an input skeleton, as "" in an output one (as the CLI's generator writes them).
fn action_params_sample(input: bool) -> Value {
    let e = |first: &str| if input { first.to_owned() } else { String::new() };
    let group = if input { "" } else { "ThingGroupName" };
    json!({
        "updateDeviceCertificateParams": {"action": e("DEACTIVATE")},
        "updateCACertificateParams": {"action": e("DEACTIVATE")},
        "addThingsToThingGroupParams": {"thingGroupNames": [group], "overrideDynamicGroups": true},
        "replaceDefaultPolicyVersionParams": {"templateName": e("BLANK_POLICY")},
        "enableIoTLoggingParams": {"roleArnForLogging": "", "logLevel": e("DEBUG")},
        "publishFindingToSnsParams": {"topicArn": ""}
    })
}

/// A DetectMitigationActionsTaskSummary, as output skeletons show it.
fn task_summary_sample() -> Value {
    json!({
        "taskId": "", "taskStatus": "", "taskStartTime": SKELETON_TIMESTAMP, "taskEndTime": SKELETON_TIMESTAMP,
        "target": {"violationIds": ["ViolationId"], "securityProfileName": "", "behaviorName": ""},
        "violationEventOccurrenceRange": {"startTime": SKELETON_TIMESTAMP, "endTime": SKELETON_TIMESTAMP},
        "onlyActiveViolationsIncluded": true, "suppressedAlertsIncluded": true,
        "actionsDefinition": [{"name": "", "id": "", "roleArn": "", "actionParams": action_params_sample(false)}],
        "taskStatistics": {"actionsExecuted": 0, "actionsSkipped": 0, "actionsFailed": 0}
    })
}

/// A MetricValue with every member, as output skeletons show it.
fn metric_value_sample() -> Value {
    json!({"count": 0, "cidrs": ["Cidr"], "ports": [0], "number": 0.0, "numbers": [0.0], "strings": [""]})
}

/// An ActiveViolation (or, with `event`, a ViolationEvent) as output skeletons show it.
fn violation_sample(event: bool) -> Value {
    let mut v = json!({
        "violationId": "", "thingName": "", "securityProfileName": "", "behavior": to_value(&sample_behavior()),
    });
    if event {
        v["metricValue"] = metric_value_sample();
        v["violationEventAdditionalInfo"] = json!({"confidenceLevel": ""});
        v["violationEventType"] = json!("");
        v["verificationState"] = json!("");
        v["verificationStateDescription"] = json!("");
        v["violationEventTime"] = json!(SKELETON_TIMESTAMP);
    } else {
        v["lastViolationValue"] = metric_value_sample();
        v["violationEventAdditionalInfo"] = json!({"confidenceLevel": ""});
        v["verificationState"] = json!("");
        v["verificationStateDescription"] = json!("");
        v["lastViolationTime"] = json!(SKELETON_TIMESTAMP);
        v["violationStartTime"] = json!(SKELETON_TIMESTAMP);
    }
    v
}

/// Timestamps in output skeletons, as the CLI's generator writes them.
const SKELETON_TIMESTAMP: &str = "1970-01-01T00:00:00";

fn output_value(operation: Operation) -> Value {
    match operation {
        Operation::Create => json!({"securityProfileName": "", "securityProfileArn": ""}),
        Operation::Update | Operation::Describe => {
            let mut v = to_value(&SecurityProfileDescription {
                security_profile_name: Some(String::new()),
                security_profile_arn: Some(String::new()),
                security_profile_description: Some(String::new()),
                behaviors: Some(vec![sample_behavior()]),
                alert_targets: Some(sample_alert_targets()),
                additional_metrics_to_retain: Some(vec![String::new()]),
                additional_metrics_to_retain_v2: Some(sample_retain_v2()),
                version: Some(0),
                creation_date: Some(0.0),
                last_modified_date: Some(0.0),
                metrics_export_config: Some(sample_export()),
            });
            for key in ["creationDate", "lastModifiedDate"] {
                if let Some(slot) = v.get_mut(key) {
                    *slot = json!(SKELETON_TIMESTAMP);
                }
            }
            v
        }
        Operation::Delete => json!({}),
        Operation::List => json!({
            "securityProfileIdentifiers": [to_value(&SecurityProfileIdentifier::default())],
            "nextToken": ""
        }),
        Operation::ValidateBehaviors => json!({"valid": true, "validationErrors": [{"errorMessage": ""}]}),
        Operation::Attach | Operation::Detach | Operation::DeleteThingGroup => json!({}),
        Operation::ListTargets => json!({"securityProfileTargets": [{"arn": ""}], "nextToken": ""}),
        Operation::ListProfilesForTarget => json!({
            "securityProfileTargetMappings": [{
                "securityProfileIdentifier": {"name": "", "arn": ""},
                "target": {"arn": ""}
            }],
            "nextToken": ""
        }),
        Operation::CreateThingGroup => json!({"thingGroupName": "", "thingGroupArn": "", "thingGroupId": ""}),
        Operation::ListThingGroups => json!({"thingGroups": [{"groupName": "", "groupArn": ""}], "nextToken": ""}),
        Operation::DeleteDimension | Operation::DeleteCustomMetric => json!({}),
        Operation::CreateDimension => json!({"name": "", "arn": ""}),
        // Output skeletons name an enum by its member and a string list item by its
        // shape (`DimensionStringValue`), as the CLI's generator does.
        Operation::UpdateDimension | Operation::DescribeDimension => json!({
            "name": "", "arn": "", "type": "", "stringValues": ["DimensionStringValue"],
            "creationDate": SKELETON_TIMESTAMP, "lastModifiedDate": SKELETON_TIMESTAMP
        }),
        Operation::ListDimensions => json!({"dimensionNames": ["DimensionName"], "nextToken": ""}),
        Operation::CreateCustomMetric => json!({"metricName": "", "metricArn": ""}),
        Operation::UpdateCustomMetric | Operation::DescribeCustomMetric => json!({
            "metricName": "", "metricArn": "", "metricType": "", "displayName": "",
            "creationDate": SKELETON_TIMESTAMP, "lastModifiedDate": SKELETON_TIMESTAMP
        }),
        Operation::ListCustomMetrics => json!({"metricNames": ["MetricName"], "nextToken": ""}),
        Operation::ListActiveViolations => json!({
            "activeViolations": [violation_sample(false)],
            "nextToken": ""
        }),
        Operation::ListViolationEvents => json!({
            "violationEvents": [violation_sample(true)],
            "nextToken": ""
        }),
        Operation::ListMetricValues => json!({
            "metricDatumList": [{"timestamp": SKELETON_TIMESTAMP, "value": metric_value_sample()}],
            "nextToken": ""
        }),
        Operation::GetBehaviorModelTrainingSummaries => json!({
            "summaries": [{
                "securityProfileName": "", "behaviorName": "", "trainingDataCollectionStartDate": SKELETON_TIMESTAMP,
                "modelStatus": "", "datapointsCollectionPercentage": 0.0, "lastModelRefreshDate": SKELETON_TIMESTAMP
            }],
            "nextToken": ""
        }),
        Operation::PutVerificationStateOnViolation
        | Operation::UpdateCertificate
        | Operation::DeleteCertificate
        | Operation::AttachThingPrincipal
        | Operation::DetachThingPrincipal => json!({}),
        Operation::CreateKeysAndCertificate => json!({
            "certificateArn": "", "certificateId": "", "certificatePem": "",
            "keyPair": {"PublicKey": "", "PrivateKey": ""}
        }),
        Operation::CreateMitigationAction | Operation::UpdateMitigationAction => {
            json!({"actionArn": "", "actionId": ""})
        }
        Operation::DescribeMitigationAction => json!({
            "actionName": "", "actionType": "", "actionArn": "", "actionId": "", "roleArn": "",
            "actionParams": action_params_sample(false),
            "creationDate": SKELETON_TIMESTAMP, "lastModifiedDate": SKELETON_TIMESTAMP
        }),
        Operation::DeleteMitigationAction | Operation::CancelDetectMitigationActionsTask => json!({}),
        Operation::ListMitigationActions => json!({
            "actionIdentifiers": [{"actionName": "", "actionArn": "", "creationDate": SKELETON_TIMESTAMP}],
            "nextToken": ""
        }),
        Operation::StartDetectMitigationActionsTask => json!({"taskId": ""}),
        Operation::DescribeDetectMitigationActionsTask => json!({"taskSummary": task_summary_sample()}),
        Operation::ListDetectMitigationActionsTasks => json!({"tasks": [task_summary_sample()], "nextToken": ""}),
        Operation::ListDetectMitigationActionsExecutions => json!({
            "actionsExecutions": [{
                "taskId": "", "violationId": "", "actionName": "", "thingName": "",
                "executionStartDate": SKELETON_TIMESTAMP, "executionEndDate": SKELETON_TIMESTAMP,
                "status": "", "errorCode": "", "message": ""
            }],
            "nextToken": ""
        }),
        Operation::DescribeCertificate => json!({"certificateDescription": {
            "certificateArn": "", "certificateId": "", "caCertificateId": "", "status": "ACTIVE", "certificatePem": "",
            "ownedBy": "", "previousOwnedBy": "", "creationDate": SKELETON_TIMESTAMP,
            "lastModifiedDate": SKELETON_TIMESTAMP, "customerVersion": 0,
            "transferData": {"transferMessage": "", "rejectReason": "", "transferDate": SKELETON_TIMESTAMP,
                "acceptDate": SKELETON_TIMESTAMP, "rejectDate": SKELETON_TIMESTAMP},
            "generationId": "", "validity": {"notBefore": SKELETON_TIMESTAMP, "notAfter": SKELETON_TIMESTAMP},
            "certificateMode": "DEFAULT"
        }}),
        Operation::ListCertificates => json!({
            "certificates": [{"certificateArn": "", "certificateId": "", "status": "ACTIVE",
                "certificateMode": "DEFAULT", "creationDate": SKELETON_TIMESTAMP}],
            "nextMarker": ""
        }),
        Operation::ListThingPrincipals => json!({"principals": [""], "nextToken": ""}),
        Operation::DescribeEndpoint => json!({"endpointAddress": ""}),
    }
}

/// Output skeletons fill each string with its member's name, as the CLI's
/// generator does for outputs (`"securityProfileArn": "securityProfileArn"`).
fn name_strings(value: &mut Value, member: &str) {
    match value {
        Value::String(s) if s.is_empty() => *s = member.to_owned(),
        Value::Array(items) => items.iter_mut().for_each(|v| name_strings(v, member)),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| name_strings(v, k)),
        _ => {}
    }
}

/// Comments for the members of the target, thing group, dimension and custom
/// metric operations, where a name means something else than in a profile.
fn resource_comment(operation: Operation, member: &str) -> Option<String> {
    use Operation as O;
    let text = match (operation, member) {
        (O::CreateDimension | O::UpdateDimension | O::DescribeDimension | O::DeleteDimension, "name") => {
            "[REQUIRED] The dimension's name: 1-128 of a-z A-Z 0-9 : _ -"
        }
        (O::CreateDimension, "type") => "[REQUIRED] Valid values are: TOPIC_FILTER.",
        (O::CreateDimension | O::UpdateDimension, "stringValues") => {
            "[REQUIRED] MQTT topic filters (1-100, each 1-256 characters); + and # as whole levels."
        }
        (O::CreateDimension | O::CreateCustomMetric | O::CreateThingGroup, "tags") => {
            "Tags for the new resource (up to 50)."
        }
        (O::CreateDimension | O::CreateCustomMetric, "clientRequestToken") => {
            "[REQUIRED] An idempotency token (1-64 of a-z A-Z 0-9 - _); ddsp makes one when left out."
        }
        (
            O::CreateCustomMetric | O::UpdateCustomMetric | O::DescribeCustomMetric | O::DeleteCustomMetric,
            "metricName",
        ) => "[REQUIRED] The custom metric's name: 1-128 of a-z A-Z 0-9 : _ -, not starting with aws:",
        (O::CreateCustomMetric, "metricType") => {
            "[REQUIRED] Valid values are: string-list, ip-address-list, number-list, number."
        }
        (O::CreateCustomMetric, "displayName") => "A name for the console and reports (up to 128 characters).",
        (O::UpdateCustomMetric, "displayName") => {
            "[REQUIRED] A name for the console and reports (up to 128 characters)."
        }
        (_, "securityProfileTargetArn") => {
            "[REQUIRED] A thing group's ARN, or arn:aws:iot:REGION:ACCOUNT:all/registered-things (or unregistered-things)."
        }
        (O::CreateThingGroup | O::DeleteThingGroup, "thingGroupName") => {
            "[REQUIRED] The thing group's name: 1-128 of a-z A-Z 0-9 : _ -"
        }
        (O::CreateThingGroup, "parentGroupName") => "The group this one sits in.",
        (
            O::CreateMitigationAction
            | O::UpdateMitigationAction
            | O::DescribeMitigationAction
            | O::DeleteMitigationAction,
            "actionName",
        ) => "[REQUIRED] The mitigation action's name: 1-128 of a-z A-Z 0-9 _ -",
        (O::CreateMitigationAction, "roleArn") => {
            "[REQUIRED] The IAM role that lets Device Defender carry out the action."
        }
        (O::UpdateMitigationAction, "roleArn") => "A new IAM role for the action.",
        (O::CreateMitigationAction, "actionParams") => {
            "[REQUIRED] Exactly one kind; Detect carries out addThingsToThingGroupParams."
        }
        (O::UpdateMitigationAction, "actionParams") => "New parameters, of exactly one kind.",
        (O::CreateMitigationAction, "tags") => "Tags for the new action (up to 50).",
        (O::ListMitigationActions, "actionType") => {
            "Only actions of this type. Valid values are: UPDATE_DEVICE_CERTIFICATE, UPDATE_CA_CERTIFICATE, ADD_THINGS_TO_THING_GROUP, REPLACE_DEFAULT_POLICY_VERSION, ENABLE_IOT_LOGGING, PUBLISH_FINDING_TO_SNS."
        }
        (
            O::StartDetectMitigationActionsTask
            | O::DescribeDetectMitigationActionsTask
            | O::CancelDetectMitigationActionsTask,
            "taskId",
        ) => "[REQUIRED] The task's id: 1-128 of a-z A-Z 0-9 _ -",
        (O::StartDetectMitigationActionsTask, "target") => {
            "[REQUIRED] violationIds (1-25), or a securityProfileName and optionally one of its behaviors (behaviorName)."
        }
        (O::StartDetectMitigationActionsTask, "securityProfileName") => "The profile whose violations are mitigated.",
        (O::StartDetectMitigationActionsTask, "actions") => "[REQUIRED] The mitigation actions' names (1-5).",
        (O::StartDetectMitigationActionsTask, "violationEventOccurrenceRange") => {
            "Only violations with an event between startTime and endTime (both required)."
        }
        (O::StartDetectMitigationActionsTask, "includeOnlyActiveViolations") => "Only violations still in alarm.",
        (O::StartDetectMitigationActionsTask, "includeSuppressedAlerts") => {
            "Also violations of behaviors that suppress alerts."
        }
        (O::StartDetectMitigationActionsTask, "clientRequestToken") => {
            "An idempotency token (1-64 of a-z A-Z 0-9 - _); ddsp makes one when left out."
        }
        (O::ListDetectMitigationActionsTasks, "startTime" | "endTime") => {
            "[REQUIRED] Tasks started between startTime and endTime (ISO 8601 or epoch seconds)."
        }
        (O::ListDetectMitigationActionsExecutions, "taskId") => "The task's executions; or give startTime and endTime.",
        (O::ListDetectMitigationActionsExecutions, "startTime" | "endTime") => {
            "Executions started between startTime and endTime (not with taskId)."
        }
        (O::DeleteThingGroup, "expectedVersion") => "The version you expect the group to have.",
        (_, "recursive") => "Also what lies in the thing groups below.",
        (_, "nextToken") => "The token of the next page.",
        (_, "maxResults") => "Results per page: 1-250.",
        _ => return None,
    };
    Some(text.to_owned())
}

/// The comment the YAML skeleton puts after a member: required or not, what it
/// is, and the valid values of enums.
fn member_comment(member: &str) -> Option<String> {
    let operators = ComparisonOperator::allowed_list();
    let text = match member {
        "securityProfileName" => "[REQUIRED] The security profile's name: 1-128 of a-z A-Z 0-9 : _ -".to_owned(),
        "securityProfileDescription" => {
            "A description of the profile (printable ASCII, up to 1000 characters).".to_owned()
        }
        "behaviors" => "The behaviors that, when a device violates them, raise an alert (up to 100).".to_owned(),
        "name" => "[REQUIRED] The behavior's name, unique in the profile.".to_owned(),
        "metric" => "What is measured: a built-in metric (aws:...) or a custom metric's name.".to_owned(),
        "metricDimension" => {
            "Narrows the metric to MQTT topics (TOPIC_FILTER dimension); not for custom metrics.".to_owned()
        }
        "dimensionName" => "[REQUIRED] The name of an existing dimension.".to_owned(),
        "operator" => format!("Valid values are: {} (absent means IN).", DimensionValueOperator::allowed_list()),
        "criteria" => {
            "A static rule (comparisonOperator + value), a statisticalThreshold, or mlDetectionConfig.".to_owned()
        }
        "comparisonOperator" => format!("Valid values are: {operators}."),
        "value" => "Set the one member the metric's type uses.".to_owned(),
        "durationSeconds" => "300, 600, 900, 1800 or 3600; not for list metrics.".to_owned(),
        "consecutiveDatapointsToAlarm" => "1-10 (default 1).".to_owned(),
        "consecutiveDatapointsToClear" => "1-10 (default 1).".to_owned(),
        "statistic" => "Valid values are: p0, p0.1, p0.01, p1, p10, p50, p90, p99, p99.9, p99.99, p100.".to_owned(),
        "confidenceLevel" => format!("[REQUIRED] Valid values are: {}.", ConfidenceLevel::allowed_list()),
        "suppressAlerts" => "Suppresses alerts for this behavior.".to_owned(),
        "exportMetric" => "Exports the metric through metricsExportConfig.".to_owned(),
        "alertTargets" => "Where alerts go. The only valid key is SNS.".to_owned(),
        "alertTargetArn" => "[REQUIRED] The SNS topic ARN that receives alerts.".to_owned(),
        "roleArn" => "[REQUIRED] An IAM role ARN (20-2048 characters).".to_owned(),
        "additionalMetricsToRetain" => "Deprecated: use additionalMetricsToRetainV2.".to_owned(),
        "additionalMetricsToRetainV2" => "Metrics whose data is retained beyond those the behaviors use.".to_owned(),
        "tags" => "Tags for the new profile (up to 50).".to_owned(),
        "Key" => "[REQUIRED] 1-128 characters; the aws: prefix is reserved.".to_owned(),
        "Value" => "Up to 256 characters.".to_owned(),
        "metricsExportConfig" => "Where exported metrics are published.".to_owned(),
        "mqttTopic" => "[REQUIRED] The MQTT topic (1-512 characters).".to_owned(),
        "expectedVersion" => {
            "The version you expect the profile to have; a mismatch fails with VersionConflictException.".to_owned()
        }
        "deleteBehaviors" => "Removes every behavior; do not also send behaviors.".to_owned(),
        "deleteAlertTargets" => "Removes the alert targets; do not also send alertTargets.".to_owned(),
        "deleteAdditionalMetricsToRetain" => "Removes the retained metrics; do not also send them.".to_owned(),
        "deleteMetricsExportConfig" => "Removes metricsExportConfig; do not also send it.".to_owned(),
        "maxResults" => "1-250.".to_owned(),
        _ => return None,
    };
    Some(text)
}
