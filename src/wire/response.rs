//! The response shapes of the security-profile operations, as AWS IoT sends
//! them (restJson1: timestamps are epoch seconds as JSON numbers). Unknown
//! members are ignored, as the SDKs do, so a newer service never breaks a read.

use serde::{Deserialize, Serialize};

use crate::domain::profile::{AlertTargets, Behavior, MetricToRetain, MetricsExportConfig};

/// The output of an operation that answers nothing but success: `{}` (the
/// Delete operations, TagResource, UntagResource, AttachSecurityProfile, …).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Empty {}

/// One page of a List operation's output: its items under the operation's
/// member (`securityProfileIdentifiers`, `things`, …) and, when more remain,
/// the token that reads on, under `nextToken` (ListCertificates: `nextMarker`).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub member: &'static str,
    pub items: Vec<T>,
    pub next: Option<String>,
    pub token_member: &'static str,
}

impl<T> Page<T> {
    /// A page whose token is `nextToken`.
    pub fn new(member: &'static str, items: Vec<T>, next: Option<String>) -> Page<T> {
        Page { member, items, next, token_member: "nextToken" }
    }
}

impl<T: Serialize> Serialize for Page<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1 + usize::from(self.next.is_some())))?;
        map.serialize_entry(self.member, &self.items)?;
        if let Some(next) = &self.next {
            map.serialize_entry(self.token_member, next)?;
        }
        map.end()
    }
}

/// CreateSecurityProfile output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateSecurityProfileResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile_arn: Option<String>,
}

/// CreateDimension output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateDimensionResponse {
    pub name: String,
    pub arn: String,
}

/// CreateCustomMetric output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCustomMetricResponse {
    pub metric_name: String,
    pub metric_arn: String,
}

/// CreateMitigationAction and UpdateMitigationAction output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateMitigationActionResponse {
    pub action_arn: String,
    pub action_id: String,
}

/// StartDetectMitigationActionsTask output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartDetectMitigationActionsTaskResponse {
    pub task_id: String,
}

/// DescribeSecurityProfile and UpdateSecurityProfile output: the full profile
/// with its version and dates, members in model order. It carries no tags.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityProfileDescription {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviors: Option<Vec<Behavior>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_targets: Option<AlertTargets>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_metrics_to_retain: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_metrics_to_retain_v2: Option<Vec<MetricToRetain>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// Epoch seconds, millisecond fraction allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metrics_export_config: Option<MetricsExportConfig>,
}

/// One entry of ListSecurityProfiles.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityProfileIdentifier {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub arn: String,
}

/// ListSecurityProfiles output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListSecurityProfilesResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_profile_identifiers: Option<Vec<SecurityProfileIdentifier>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// One message of ValidateSecurityProfileBehaviors.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationError {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
}

/// ValidateSecurityProfileBehaviors output.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidateSecurityProfileBehaviorsResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_errors: Option<Vec<ValidationError>>,
}

/// The body of an error response: `message`, plus `resourceId` / `resourceArn`
/// for ResourceAlreadyExistsException (service.md §4 "Errors").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    #[serde(default, alias = "Message", alias = "errorMessage")]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_arn: Option<String>,
}
