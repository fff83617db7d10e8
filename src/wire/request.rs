//! The request shapes of the security-profile operations as the AWS CLI's
//! `--cli-input-json` files hold them, members in model order (the order
//! `--generate-cli-skeleton` prints). Create and Update are the domain's
//! `SecurityProfile` and `ProfileUpdate`; the others are small enough to live here.

use serde::{Deserialize, Serialize};

use crate::domain::mitigation::MitigationActionParams;
use crate::domain::non_null::non_null;
use crate::domain::profile::Behavior;
pub use crate::domain::profile::{
    ProfileUpdate as UpdateSecurityProfileRequest, SecurityProfile as CreateSecurityProfileRequest,
};
use crate::wire::time::TimeInput;

/// The operations ddsp speaks, named as the AWS CLI names its commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Describe,
    Delete,
    List,
    ValidateBehaviors,
    Attach,
    Detach,
    ListTargets,
    ListProfilesForTarget,
    CreateThingGroup,
    DeleteThingGroup,
    ListThingGroups,
    CreateDimension,
    UpdateDimension,
    DescribeDimension,
    ListDimensions,
    DeleteDimension,
    CreateCustomMetric,
    UpdateCustomMetric,
    DescribeCustomMetric,
    ListCustomMetrics,
    DeleteCustomMetric,
    ListActiveViolations,
    ListViolationEvents,
    ListMetricValues,
    GetBehaviorModelTrainingSummaries,
    PutVerificationStateOnViolation,
    CreateKeysAndCertificate,
    DescribeCertificate,
    ListCertificates,
    UpdateCertificate,
    DeleteCertificate,
    AttachThingPrincipal,
    DetachThingPrincipal,
    ListThingPrincipals,
    DescribeEndpoint,
    CreateMitigationAction,
    DescribeMitigationAction,
    ListMitigationActions,
    UpdateMitigationAction,
    DeleteMitigationAction,
    StartDetectMitigationActionsTask,
    DescribeDetectMitigationActionsTask,
    ListDetectMitigationActionsTasks,
    CancelDetectMitigationActionsTask,
    ListDetectMitigationActionsExecutions,
}

impl Operation {
    /// Every operation, in the order the CLI lists them.
    pub const ALL: &'static [Operation] = &[
        Operation::Create,
        Operation::Update,
        Operation::Describe,
        Operation::Delete,
        Operation::List,
        Operation::ValidateBehaviors,
        Operation::Attach,
        Operation::Detach,
        Operation::ListTargets,
        Operation::ListProfilesForTarget,
        Operation::CreateThingGroup,
        Operation::DeleteThingGroup,
        Operation::ListThingGroups,
        Operation::CreateDimension,
        Operation::UpdateDimension,
        Operation::DescribeDimension,
        Operation::ListDimensions,
        Operation::DeleteDimension,
        Operation::CreateCustomMetric,
        Operation::UpdateCustomMetric,
        Operation::DescribeCustomMetric,
        Operation::ListCustomMetrics,
        Operation::DeleteCustomMetric,
        Operation::ListActiveViolations,
        Operation::ListViolationEvents,
        Operation::ListMetricValues,
        Operation::GetBehaviorModelTrainingSummaries,
        Operation::PutVerificationStateOnViolation,
        Operation::CreateKeysAndCertificate,
        Operation::DescribeCertificate,
        Operation::ListCertificates,
        Operation::UpdateCertificate,
        Operation::DeleteCertificate,
        Operation::AttachThingPrincipal,
        Operation::DetachThingPrincipal,
        Operation::ListThingPrincipals,
        Operation::DescribeEndpoint,
        Operation::CreateMitigationAction,
        Operation::DescribeMitigationAction,
        Operation::ListMitigationActions,
        Operation::UpdateMitigationAction,
        Operation::DeleteMitigationAction,
        Operation::StartDetectMitigationActionsTask,
        Operation::DescribeDetectMitigationActionsTask,
        Operation::ListDetectMitigationActionsTasks,
        Operation::CancelDetectMitigationActionsTask,
        Operation::ListDetectMitigationActionsExecutions,
    ];

    /// The AWS CLI command name.
    pub fn command(self) -> &'static str {
        match self {
            Operation::Create => "create-security-profile",
            Operation::Update => "update-security-profile",
            Operation::Describe => "describe-security-profile",
            Operation::Delete => "delete-security-profile",
            Operation::List => "list-security-profiles",
            Operation::ValidateBehaviors => "validate-security-profile-behaviors",
            Operation::Attach => "attach-security-profile",
            Operation::Detach => "detach-security-profile",
            Operation::ListTargets => "list-targets-for-security-profile",
            Operation::ListProfilesForTarget => "list-security-profiles-for-target",
            Operation::CreateThingGroup => "create-thing-group",
            Operation::DeleteThingGroup => "delete-thing-group",
            Operation::ListThingGroups => "list-thing-groups",
            Operation::CreateDimension => "create-dimension",
            Operation::UpdateDimension => "update-dimension",
            Operation::DescribeDimension => "describe-dimension",
            Operation::ListDimensions => "list-dimensions",
            Operation::DeleteDimension => "delete-dimension",
            Operation::CreateCustomMetric => "create-custom-metric",
            Operation::UpdateCustomMetric => "update-custom-metric",
            Operation::DescribeCustomMetric => "describe-custom-metric",
            Operation::ListCustomMetrics => "list-custom-metrics",
            Operation::DeleteCustomMetric => "delete-custom-metric",
            Operation::ListActiveViolations => "list-active-violations",
            Operation::ListViolationEvents => "list-violation-events",
            Operation::ListMetricValues => "list-metric-values",
            Operation::GetBehaviorModelTrainingSummaries => "get-behavior-model-training-summaries",
            Operation::PutVerificationStateOnViolation => "put-verification-state-on-violation",
            Operation::CreateKeysAndCertificate => "create-keys-and-certificate",
            Operation::DescribeCertificate => "describe-certificate",
            Operation::ListCertificates => "list-certificates",
            Operation::UpdateCertificate => "update-certificate",
            Operation::DeleteCertificate => "delete-certificate",
            Operation::AttachThingPrincipal => "attach-thing-principal",
            Operation::DetachThingPrincipal => "detach-thing-principal",
            Operation::ListThingPrincipals => "list-thing-principals",
            Operation::DescribeEndpoint => "describe-endpoint",
            Operation::CreateMitigationAction => "create-mitigation-action",
            Operation::DescribeMitigationAction => "describe-mitigation-action",
            Operation::ListMitigationActions => "list-mitigation-actions",
            Operation::UpdateMitigationAction => "update-mitigation-action",
            Operation::DeleteMitigationAction => "delete-mitigation-action",
            Operation::StartDetectMitigationActionsTask => "start-detect-mitigation-actions-task",
            Operation::DescribeDetectMitigationActionsTask => "describe-detect-mitigation-actions-task",
            Operation::ListDetectMitigationActionsTasks => "list-detect-mitigation-actions-tasks",
            Operation::CancelDetectMitigationActionsTask => "cancel-detect-mitigation-actions-task",
            Operation::ListDetectMitigationActionsExecutions => "list-detect-mitigation-actions-executions",
        }
    }
}

/// ListActiveViolations input, members in the model's order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListActiveViolationsRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub security_profile_name: Option<String>,
    /// STATIC, STATISTICAL or MACHINE_LEARNING.
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub behavior_criteria_type: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub list_suppressed_alerts: Option<bool>,
    /// FALSE_POSITIVE, BENIGN_POSITIVE, TRUE_POSITIVE or UNKNOWN.
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub verification_state: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// ListViolationEvents input; startTime and endTime are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListViolationEventsRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub security_profile_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub behavior_criteria_type: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub list_suppressed_alerts: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub verification_state: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// ListMetricValues input; thingName, metricName, startTime and endTime are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListMetricValuesRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub dimension_name: Option<String>,
    /// IN or NOT_IN.
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub dimension_value_operator: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// GetBehaviorModelTrainingSummaries input; maxResults is 1–10 (TinyMaxResults).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GetBehaviorModelTrainingSummariesRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub security_profile_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// PutVerificationStateOnViolation input; violationId and verificationState are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PutVerificationStateOnViolationRequest {
    #[serde(default)]
    pub violation_id: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub verification_state: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub verification_state_description: Option<String>,
}

/// DescribeSecurityProfile input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DescribeSecurityProfileRequest {
    #[serde(default)]
    pub security_profile_name: String,
}

/// DeleteSecurityProfile input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeleteSecurityProfileRequest {
    #[serde(default)]
    pub security_profile_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
}

/// ListSecurityProfiles input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListSecurityProfilesRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub dimension_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metric_name: Option<String>,
}

/// ValidateSecurityProfileBehaviors input; `behaviors` is required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ValidateSecurityProfileBehaviorsRequest {
    pub behaviors: Vec<Behavior>,
}

/// AttachSecurityProfile and DetachSecurityProfile input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecurityProfileTargetRequest {
    #[serde(default)]
    pub security_profile_name: String,
    #[serde(default)]
    pub security_profile_target_arn: String,
}

/// ListTargetsForSecurityProfile input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListTargetsForSecurityProfileRequest {
    #[serde(default)]
    pub security_profile_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// ListSecurityProfilesForTarget input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListSecurityProfilesForTargetRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub recursive: Option<bool>,
    #[serde(default)]
    pub security_profile_target_arn: String,
}

/// CreateThingGroup input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateThingGroupRequest {
    #[serde(default)]
    pub thing_group_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub parent_group_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_group_properties: Option<ThingGroupProperties>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<crate::domain::profile::Tag>>,
}

/// A thing group's description and attributes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ThingGroupProperties {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_group_description: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub attribute_payload: Option<AttributePayload>,
}

/// Attributes, and whether an update merges them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AttributePayload {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub attributes: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub merge: Option<bool>,
}

/// DeleteThingGroup input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeleteThingGroupRequest {
    #[serde(default)]
    pub thing_group_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
}

/// ListThingGroups input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListThingGroupsRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub parent_group: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub name_prefix_filter: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub recursive: Option<bool>,
}

/// CreateDimension input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateDimensionRequest {
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type", default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub dimension_type: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub string_values: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<crate::domain::profile::Tag>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
}

/// UpdateDimension input (DescribeDimension and DeleteDimension take its `name` alone).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateDimensionRequest {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub string_values: Option<Vec<String>>,
}

/// DescribeDimension and DeleteDimension input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DimensionNameRequest {
    #[serde(default)]
    pub name: String,
}

/// ListDimensions and ListCustomMetrics input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListPageRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
}

/// CreateCustomMetric input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateCustomMetricRequest {
    #[serde(default)]
    pub metric_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metric_type: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<crate::domain::profile::Tag>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
}

/// UpdateCustomMetric input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateCustomMetricRequest {
    #[serde(default)]
    pub metric_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// DescribeCustomMetric and DeleteCustomMetric input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CustomMetricNameRequest {
    #[serde(default)]
    pub metric_name: String,
}

/// CreateKeysAndCertificate input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateKeysAndCertificateRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub set_as_active: Option<bool>,
}

/// DescribeCertificate input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CertificateIdRequest {
    #[serde(default)]
    pub certificate_id: String,
}

/// DeleteCertificate input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DeleteCertificateRequest {
    #[serde(default)]
    pub certificate_id: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub force_delete: Option<bool>,
}

/// UpdateCertificate input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateCertificateRequest {
    #[serde(default)]
    pub certificate_id: String,
    #[serde(default)]
    pub new_status: String,
}

/// ListCertificates input (the model's `ascendingOrder` is the query's `isAscendingOrder`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListCertificatesRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub marker: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub ascending_order: Option<bool>,
}

/// AttachThingPrincipal input (DetachThingPrincipal's without the type).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AttachThingPrincipalRequest {
    #[serde(default)]
    pub thing_name: String,
    #[serde(default)]
    pub principal: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_principal_type: Option<String>,
}

/// DetachThingPrincipal input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DetachThingPrincipalRequest {
    #[serde(default)]
    pub thing_name: String,
    #[serde(default)]
    pub principal: String,
}

/// ListThingPrincipals input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListThingPrincipalsRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default)]
    pub thing_name: String,
}

/// DescribeEndpoint input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DescribeEndpointRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub endpoint_type: Option<String>,
}

/// CreateMitigationAction input (`tags` and the parameters as the model has them).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateMitigationActionRequest {
    #[serde(default)]
    pub action_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub action_params: Option<MitigationActionParams>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<crate::domain::profile::Tag>>,
}

/// UpdateMitigationAction input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateMitigationActionRequest {
    #[serde(default)]
    pub action_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub role_arn: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub action_params: Option<MitigationActionParams>,
}

/// DescribeMitigationAction and DeleteMitigationAction input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MitigationActionNameRequest {
    #[serde(default)]
    pub action_name: String,
}

/// ListMitigationActions input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListMitigationActionsRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub action_type: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

/// ViolationEventOccurrenceRange as users give it (ISO 8601 or epoch seconds).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct OccurrenceRangeInput {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeInput>,
}

/// StartDetectMitigationActionsTask input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StartDetectMitigationActionsTaskRequest {
    #[serde(default)]
    pub task_id: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub target: Option<crate::domain::mitigation::TaskTarget>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub actions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub violation_event_occurrence_range: Option<OccurrenceRangeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub include_only_active_violations: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub include_suppressed_alerts: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub client_request_token: Option<String>,
}

/// DescribeDetectMitigationActionsTask and CancelDetectMitigationActionsTask input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TaskIdRequest {
    #[serde(default)]
    pub task_id: String,
}

/// ListDetectMitigationActionsTasks input; startTime and endTime are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListDetectMitigationActionsTasksRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeInput>,
}

/// ListDetectMitigationActionsExecutions input: a taskId, or startTime and endTime.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ListDetectMitigationActionsExecutionsRequest {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub violation_id: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub thing_name: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub start_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub end_time: Option<TimeInput>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub max_results: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}
