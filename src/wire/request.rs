//! The request shapes of the security-profile operations as the AWS CLI's
//! `--cli-input-json` files hold them, members in model order (the order
//! `--generate-cli-skeleton` prints). Create and Update are the domain's
//! `SecurityProfile` and `ProfileUpdate`; the others are small enough to live here.

use serde::{Deserialize, Serialize};

use crate::domain::non_null::non_null;
use crate::domain::profile::Behavior;
pub use crate::domain::profile::{
    ProfileUpdate as UpdateSecurityProfileRequest, SecurityProfile as CreateSecurityProfileRequest,
};

/// The operations ddsp speaks, named as the AWS CLI names its commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
    Describe,
    Delete,
    List,
    ValidateBehaviors,
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
        }
    }
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
