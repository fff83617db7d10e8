//! Mitigation actions and Detect's mitigation tasks, as the IoT model shapes
//! them (CreateMitigationAction, UpdateMitigationAction,
//! StartDetectMitigationActionsTask): the request bodies the commands send
//! and the sandbox reads. Every member is optional here so that a missing
//! required one is a rule's finding at its field
//! (`rules::mitigation`), not a parse error.

use serde::{Deserialize, Serialize};

use super::non_null::non_null;
use super::profile::Tag;

/// MitigationActionType's values, in the model's order.
pub const ACTION_TYPES: &[&str] = &[
    "UPDATE_DEVICE_CERTIFICATE",
    "UPDATE_CA_CERTIFICATE",
    "ADD_THINGS_TO_THING_GROUP",
    "REPLACE_DEFAULT_POLICY_VERSION",
    "ENABLE_IOT_LOGGING",
    "PUBLISH_FINDING_TO_SNS",
];

/// `{action}`: updateDeviceCertificateParams and updateCACertificateParams.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CertificateActionParams {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AddThingsToThingGroupParams {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_group_names: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub override_dynamic_groups: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ReplaceDefaultPolicyVersionParams {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub template_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnableIoTLoggingParams {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub role_arn_for_logging: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PublishFindingToSnsParams {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub topic_arn: Option<String>,
}

/// MitigationActionParams: exactly one of its six members is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MitigationActionParams {
    #[serde(
        rename = "updateDeviceCertificateParams",
        default,
        deserialize_with = "non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub update_device_certificate: Option<CertificateActionParams>,
    #[serde(
        rename = "updateCACertificateParams",
        default,
        deserialize_with = "non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub update_ca_certificate: Option<CertificateActionParams>,
    #[serde(
        rename = "addThingsToThingGroupParams",
        default,
        deserialize_with = "non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub add_things_to_thing_group: Option<AddThingsToThingGroupParams>,
    #[serde(
        rename = "replaceDefaultPolicyVersionParams",
        default,
        deserialize_with = "non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub replace_default_policy_version: Option<ReplaceDefaultPolicyVersionParams>,
    #[serde(
        rename = "enableIoTLoggingParams",
        default,
        deserialize_with = "non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_iot_logging: Option<EnableIoTLoggingParams>,
    #[serde(
        rename = "publishFindingToSnsParams",
        default,
        deserialize_with = "non_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub publish_finding_to_sns: Option<PublishFindingToSnsParams>,
}

impl MitigationActionParams {
    /// The action types whose parameters are set (one, when valid), with
    /// their member names.
    pub fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        let mut add = |set: bool, member, kind| {
            if set {
                out.push((member, kind));
            }
        };
        add(self.update_device_certificate.is_some(), "updateDeviceCertificateParams", "UPDATE_DEVICE_CERTIFICATE");
        add(self.update_ca_certificate.is_some(), "updateCACertificateParams", "UPDATE_CA_CERTIFICATE");
        add(self.add_things_to_thing_group.is_some(), "addThingsToThingGroupParams", "ADD_THINGS_TO_THING_GROUP");
        add(
            self.replace_default_policy_version.is_some(),
            "replaceDefaultPolicyVersionParams",
            "REPLACE_DEFAULT_POLICY_VERSION",
        );
        add(self.enable_iot_logging.is_some(), "enableIoTLoggingParams", "ENABLE_IOT_LOGGING");
        add(self.publish_finding_to_sns.is_some(), "publishFindingToSnsParams", "PUBLISH_FINDING_TO_SNS");
        out
    }

    /// The actionType these parameters make (DescribeMitigationAction's
    /// `actionType`); None unless exactly one kind is set.
    pub fn action_type(&self) -> Option<&'static str> {
        match self.kinds().as_slice() {
            [(_, kind)] => Some(kind),
            _ => None,
        }
    }
}

/// The body of CreateMitigationAction and UpdateMitigationAction (the name is
/// the path's `actionName`; tags only on create).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MitigationActionRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub action_params: Option<MitigationActionParams>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

/// DetectMitigationActionsTaskTarget: violations by id, or a profile's
/// (and one of its behaviors') violations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TaskTarget {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub violation_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub security_profile_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub behavior_name: Option<String>,
}

/// ViolationEventOccurrenceRange, epoch seconds (the wire's timestamps).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OccurrenceRange {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<f64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<f64>,
}

/// The body of StartDetectMitigationActionsTask (the task id is the path's).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StartTaskRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub target: Option<TaskTarget>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub violation_event_occurrence_range: Option<OccurrenceRange>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub include_only_active_violations: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub include_suppressed_alerts: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
}
