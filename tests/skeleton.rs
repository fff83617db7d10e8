//! The skeletons match what the AWS CLI prints (service.md §6) and read back
//! through ddsp's own input readers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::domain::profile::{ProfileUpdate, SecurityProfile};
use ddsp::wire::input::{Format, parse};
use ddsp::wire::request::{
    AttachThingPrincipalRequest, CertificateIdRequest, CreateKeysAndCertificateRequest, DeleteCertificateRequest,
    DescribeEndpointRequest, DetachThingPrincipalRequest, ListCertificatesRequest, ListThingPrincipalsRequest,
    UpdateCertificateRequest,
};
use ddsp::wire::request::{
    CreateCustomMetricRequest, CreateDimensionRequest, CustomMetricNameRequest, DimensionNameRequest, ListPageRequest,
    UpdateCustomMetricRequest, UpdateDimensionRequest,
};
use ddsp::wire::request::{
    CreateMitigationActionRequest, ListDetectMitigationActionsExecutionsRequest,
    ListDetectMitigationActionsTasksRequest, ListMitigationActionsRequest, MitigationActionNameRequest,
    StartDetectMitigationActionsTaskRequest, TaskIdRequest, UpdateMitigationActionRequest,
};
use ddsp::wire::request::{
    CreateThingGroupRequest, DeleteSecurityProfileRequest, DeleteThingGroupRequest, DescribeSecurityProfileRequest,
    ListSecurityProfilesForTargetRequest, ListSecurityProfilesRequest, ListTargetsForSecurityProfileRequest,
    ListThingGroupsRequest, Operation, SecurityProfileTargetRequest, ValidateSecurityProfileBehaviorsRequest,
};
use ddsp::wire::request::{
    GetBehaviorModelTrainingSummariesRequest, ListActiveViolationsRequest, ListMetricValuesRequest,
    ListViolationEventsRequest, PutVerificationStateOnViolationRequest,
};
use ddsp::wire::skeleton::{SkeletonKind, skeleton};
use serde_json::Value;

fn keys(text: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(text).unwrap();
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn create_input_is_byte_for_byte_the_cli_skeleton() {
    let expected = std::fs::read_to_string("tests/fixtures/skeleton-create-input.json").unwrap();
    assert_eq!(skeleton(Operation::Create, SkeletonKind::Input), expected);
}

#[test]
fn update_and_the_others_have_the_cli_keys_in_order() {
    let update = skeleton(Operation::Update, SkeletonKind::Input);
    assert_eq!(
        keys(&update),
        [
            "securityProfileName",
            "securityProfileDescription",
            "behaviors",
            "alertTargets",
            "additionalMetricsToRetain",
            "additionalMetricsToRetainV2",
            "deleteBehaviors",
            "deleteAlertTargets",
            "deleteAdditionalMetricsToRetain",
            "expectedVersion",
            "metricsExportConfig",
            "deleteMetricsExportConfig",
        ]
    );
    assert_eq!(
        skeleton(Operation::Delete, SkeletonKind::Input),
        "{\n    \"securityProfileName\": \"\",\n    \"expectedVersion\": 0\n}\n"
    );
    assert_eq!(
        keys(&skeleton(Operation::List, SkeletonKind::Input)),
        ["nextToken", "maxResults", "dimensionName", "metricName"]
    );
    assert_eq!(keys(&skeleton(Operation::ValidateBehaviors, SkeletonKind::Input)), ["behaviors"]);
    let out = skeleton(Operation::Describe, SkeletonKind::Output);
    assert!(out.contains("\"version\": 0") && out.contains("\"creationDate\": \"1970-01-01T00:00:00\""), "{out}");
    assert_eq!(
        skeleton(Operation::Create, SkeletonKind::Output),
        "{\n    \"securityProfileName\": \"securityProfileName\",\n    \"securityProfileArn\": \"securityProfileArn\"\n}\n"
    );
    assert_eq!(
        skeleton(Operation::List, SkeletonKind::Output),
        "{\n    \"securityProfileIdentifiers\": [\n        {\n            \"name\": \"name\",\n            \"arn\": \"arn\"\n        }\n    ],\n    \"nextToken\": \"nextToken\"\n}\n"
    );
}

#[test]
fn every_input_skeleton_reads_back_in_json_and_yaml() {
    for &op in Operation::ALL {
        let json = skeleton(op, SkeletonKind::Input);
        let yaml = skeleton(op, SkeletonKind::YamlInput);
        let from_json: Value = serde_json::from_str(&json).unwrap();
        let from_yaml: Value = parse(&yaml, Format::Yaml).unwrap();
        assert_eq!(from_json, from_yaml, "{op:?}\n{yaml}");
        for (text, format) in [(&json, Format::Json), (&yaml, Format::Yaml)] {
            let ok = match op {
                Operation::Create => parse::<SecurityProfile>(text, format).is_ok(),
                Operation::Update => parse::<ProfileUpdate>(text, format).is_ok(),
                Operation::Describe => parse::<DescribeSecurityProfileRequest>(text, format).is_ok(),
                Operation::Delete => parse::<DeleteSecurityProfileRequest>(text, format).is_ok(),
                Operation::List => parse::<ListSecurityProfilesRequest>(text, format).is_ok(),
                Operation::ValidateBehaviors => parse::<ValidateSecurityProfileBehaviorsRequest>(text, format).is_ok(),
                Operation::Attach | Operation::Detach => parse::<SecurityProfileTargetRequest>(text, format).is_ok(),
                Operation::ListTargets => parse::<ListTargetsForSecurityProfileRequest>(text, format).is_ok(),
                Operation::ListProfilesForTarget => parse::<ListSecurityProfilesForTargetRequest>(text, format).is_ok(),
                Operation::CreateThingGroup => parse::<CreateThingGroupRequest>(text, format).is_ok(),
                Operation::DeleteThingGroup => parse::<DeleteThingGroupRequest>(text, format).is_ok(),
                Operation::ListThingGroups => parse::<ListThingGroupsRequest>(text, format).is_ok(),
                Operation::CreateDimension => parse::<CreateDimensionRequest>(text, format).is_ok(),
                Operation::UpdateDimension => parse::<UpdateDimensionRequest>(text, format).is_ok(),
                Operation::DescribeDimension | Operation::DeleteDimension => {
                    parse::<DimensionNameRequest>(text, format).is_ok()
                }
                Operation::ListDimensions | Operation::ListCustomMetrics => {
                    parse::<ListPageRequest>(text, format).is_ok()
                }
                Operation::CreateCustomMetric => parse::<CreateCustomMetricRequest>(text, format).is_ok(),
                Operation::UpdateCustomMetric => parse::<UpdateCustomMetricRequest>(text, format).is_ok(),
                Operation::DescribeCustomMetric | Operation::DeleteCustomMetric => {
                    parse::<CustomMetricNameRequest>(text, format).is_ok()
                }
                Operation::ListActiveViolations => parse::<ListActiveViolationsRequest>(text, format).is_ok(),
                Operation::ListViolationEvents => parse::<ListViolationEventsRequest>(text, format).is_ok(),
                Operation::ListMetricValues => parse::<ListMetricValuesRequest>(text, format).is_ok(),
                Operation::GetBehaviorModelTrainingSummaries => {
                    parse::<GetBehaviorModelTrainingSummariesRequest>(text, format).is_ok()
                }
                Operation::PutVerificationStateOnViolation => {
                    parse::<PutVerificationStateOnViolationRequest>(text, format).is_ok()
                }
                Operation::CreateKeysAndCertificate => parse::<CreateKeysAndCertificateRequest>(text, format).is_ok(),
                Operation::DescribeCertificate => parse::<CertificateIdRequest>(text, format).is_ok(),
                Operation::ListCertificates => parse::<ListCertificatesRequest>(text, format).is_ok(),
                Operation::UpdateCertificate => parse::<UpdateCertificateRequest>(text, format).is_ok(),
                Operation::DeleteCertificate => parse::<DeleteCertificateRequest>(text, format).is_ok(),
                Operation::AttachThingPrincipal => parse::<AttachThingPrincipalRequest>(text, format).is_ok(),
                Operation::DetachThingPrincipal => parse::<DetachThingPrincipalRequest>(text, format).is_ok(),
                Operation::ListThingPrincipals => parse::<ListThingPrincipalsRequest>(text, format).is_ok(),
                Operation::DescribeEndpoint => parse::<DescribeEndpointRequest>(text, format).is_ok(),
                Operation::CreateMitigationAction => parse::<CreateMitigationActionRequest>(text, format).is_ok(),
                Operation::UpdateMitigationAction => parse::<UpdateMitigationActionRequest>(text, format).is_ok(),
                Operation::DescribeMitigationAction | Operation::DeleteMitigationAction => {
                    parse::<MitigationActionNameRequest>(text, format).is_ok()
                }
                Operation::ListMitigationActions => parse::<ListMitigationActionsRequest>(text, format).is_ok(),
                Operation::StartDetectMitigationActionsTask => {
                    parse::<StartDetectMitigationActionsTaskRequest>(text, format).is_ok()
                }
                Operation::DescribeDetectMitigationActionsTask | Operation::CancelDetectMitigationActionsTask => {
                    parse::<TaskIdRequest>(text, format).is_ok()
                }
                Operation::ListDetectMitigationActionsTasks => {
                    parse::<ListDetectMitigationActionsTasksRequest>(text, format).is_ok()
                }
                Operation::ListDetectMitigationActionsExecutions => {
                    parse::<ListDetectMitigationActionsExecutionsRequest>(text, format).is_ok()
                }
            };
            assert!(ok, "{op:?} {format:?}");
        }
    }
}

#[test]
fn yaml_skeleton_explains_members() {
    let yaml = skeleton(Operation::Create, SkeletonKind::YamlInput);
    assert!(yaml.starts_with("securityProfileName: '' # [REQUIRED]"), "{yaml}");
    assert!(yaml.contains("  criteria: # "), "{yaml}");
    assert!(yaml.contains("comparisonOperator: in-port-set # Valid values are: less-than,"), "{yaml}");
}
