//! The security-profile operations with ddsp's types in and out: each builds
//! the SDK request from the wire model, sends it, and turns the answer back into
//! the AWS-shaped response types. Shared by the commands and the editor.
//! The deprecated additionalMetricsToRetain list is still passed through both
//! ways: files may hold it and the service still accepts and returns it.
#![allow(deprecated)]

use super::convert::{
    alert_targets_from_sdk, alert_targets_to_sdk, behaviors_from_sdk, behaviors_to_sdk, epoch_seconds, export_from_sdk,
    export_to_sdk, retain_v2_from_sdk, retain_v2_to_sdk, tags_to_sdk,
};
use super::{ClientError, Connection};
use crate::domain::enums::CustomMetricType;
use crate::domain::metrics::CustomMetric;
use crate::domain::profile::{Behavior, ProfileUpdate, SecurityProfile};
use crate::domain::{Context, EndpointReferences};
use crate::wire::request::ListSecurityProfilesRequest;
use crate::wire::response::{
    CreateSecurityProfileResponse, ListSecurityProfilesResponse, SecurityProfileDescription, SecurityProfileIdentifier,
    ValidateSecurityProfileBehaviorsResponse, ValidationError,
};

/// Describe and Update answer with the same members in two SDK types.
macro_rules! description {
    ($out:expr) => {
        SecurityProfileDescription {
            security_profile_name: $out.security_profile_name.clone(),
            security_profile_arn: $out.security_profile_arn.clone(),
            security_profile_description: $out.security_profile_description.clone(),
            behaviors: behaviors_from_sdk(&$out.behaviors),
            alert_targets: alert_targets_from_sdk(&$out.alert_targets),
            additional_metrics_to_retain: $out.additional_metrics_to_retain.clone(),
            additional_metrics_to_retain_v2: retain_v2_from_sdk(&$out.additional_metrics_to_retain_v2),
            version: Some($out.version),
            creation_date: epoch_seconds(&$out.creation_date),
            last_modified_date: epoch_seconds(&$out.last_modified_date),
            metrics_export_config: export_from_sdk(&$out.metrics_export_config),
        }
    };
}

pub async fn create(c: &Connection, req: &SecurityProfile) -> Result<CreateSecurityProfileResponse, ClientError> {
    let out = c
        .client
        .create_security_profile()
        .security_profile_name(&req.security_profile_name)
        .set_security_profile_description(req.security_profile_description.clone())
        .set_behaviors(behaviors_to_sdk(&req.behaviors)?)
        .set_alert_targets(alert_targets_to_sdk(&req.alert_targets)?)
        .set_additional_metrics_to_retain(req.additional_metrics_to_retain.clone())
        .set_additional_metrics_to_retain_v2(retain_v2_to_sdk(&req.additional_metrics_to_retain_v2)?)
        .set_tags(tags_to_sdk(&req.tags)?)
        .set_metrics_export_config(export_to_sdk(&req.metrics_export_config)?)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("CreateSecurityProfile", &c.endpoint, e))?;
    Ok(CreateSecurityProfileResponse {
        security_profile_name: out.security_profile_name,
        security_profile_arn: out.security_profile_arn,
    })
}

pub async fn update(c: &Connection, req: &ProfileUpdate) -> Result<SecurityProfileDescription, ClientError> {
    let out = c
        .client
        .update_security_profile()
        .security_profile_name(&req.security_profile_name)
        .set_security_profile_description(req.security_profile_description.clone())
        .set_behaviors(behaviors_to_sdk(&req.behaviors)?)
        .set_alert_targets(alert_targets_to_sdk(&req.alert_targets)?)
        .set_additional_metrics_to_retain(req.additional_metrics_to_retain.clone())
        .set_additional_metrics_to_retain_v2(retain_v2_to_sdk(&req.additional_metrics_to_retain_v2)?)
        .set_delete_behaviors(req.delete_behaviors)
        .set_delete_alert_targets(req.delete_alert_targets)
        .set_delete_additional_metrics_to_retain(req.delete_additional_metrics_to_retain)
        .set_expected_version(req.expected_version)
        .set_metrics_export_config(export_to_sdk(&req.metrics_export_config)?)
        .set_delete_metrics_export_config(req.delete_metrics_export_config)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("UpdateSecurityProfile", &c.endpoint, e))?;
    Ok(description!(out))
}

pub async fn describe(c: &Connection, name: &str) -> Result<SecurityProfileDescription, ClientError> {
    let out = c
        .client
        .describe_security_profile()
        .security_profile_name(name)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DescribeSecurityProfile", &c.endpoint, e))?;
    Ok(description!(out))
}

pub async fn delete(c: &Connection, name: &str, expected_version: Option<i64>) -> Result<(), ClientError> {
    c.client
        .delete_security_profile()
        .security_profile_name(name)
        .set_expected_version(expected_version)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("DeleteSecurityProfile", &c.endpoint, e))?;
    Ok(())
}

/// One page of ListSecurityProfiles.
pub async fn list_page(
    c: &Connection,
    req: &ListSecurityProfilesRequest,
) -> Result<ListSecurityProfilesResponse, ClientError> {
    let out = c
        .client
        .list_security_profiles()
        .set_next_token(req.next_token.clone())
        .set_max_results(super::targets::page_size(req.max_results))
        .set_dimension_name(req.dimension_name.clone())
        .set_metric_name(req.metric_name.clone())
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ListSecurityProfiles", &c.endpoint, e))?;
    Ok(ListSecurityProfilesResponse {
        security_profile_identifiers: out.security_profile_identifiers.as_ref().map(|ids| {
            ids.iter().map(|i| SecurityProfileIdentifier { name: i.name.clone(), arn: i.arn.clone() }).collect()
        }),
        next_token: out.next_token.clone(),
    })
}

pub async fn validate_behaviors(
    c: &Connection,
    behaviors: &[Behavior],
) -> Result<ValidateSecurityProfileBehaviorsResponse, ClientError> {
    let out = c
        .client
        .validate_security_profile_behaviors()
        .set_behaviors(behaviors_to_sdk(&Some(behaviors.to_vec()))?)
        .send()
        .await
        .map_err(|e| ClientError::from_sdk("ValidateSecurityProfileBehaviors", &c.endpoint, e))?;
    Ok(ValidateSecurityProfileBehaviorsResponse {
        valid: Some(out.valid),
        validation_errors: out
            .validation_errors
            .as_ref()
            .map(|l| l.iter().map(|v| ValidationError { error_message: v.error_message.clone() }).collect()),
    })
}

/// Every tag of a resource (ListTagsForResource, all pages).
pub async fn list_tags(c: &Connection, arn: &str) -> Result<Vec<crate::domain::profile::Tag>, ClientError> {
    let mut tags = Vec::new();
    let mut token = None;
    loop {
        let out = c
            .client
            .list_tags_for_resource()
            .resource_arn(arn)
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| ClientError::from_sdk("ListTagsForResource", &c.endpoint, e))?;
        tags.extend(super::convert::tags_from_sdk(out.tags()));
        match out.next_token.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => return Ok(tags),
        }
    }
}

/// TagResource, then UntagResource, for the changes to an existing profile's tags.
pub async fn retag(
    c: &Connection,
    arn: &str,
    tag: &[crate::domain::profile::Tag],
    untag: &[String],
) -> Result<(), ClientError> {
    if !tag.is_empty() {
        c.client
            .tag_resource()
            .resource_arn(arn)
            .set_tags(tags_to_sdk(&Some(tag.to_vec()))?)
            .send()
            .await
            .map_err(|e| ClientError::from_sdk("TagResource", &c.endpoint, e))?;
    }
    if !untag.is_empty() {
        c.client
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(untag.to_vec()))
            .send()
            .await
            .map_err(|e| ClientError::from_sdk("UntagResource", &c.endpoint, e))?;
    }
    Ok(())
}

/// Every name a listing gives, page after page (`fetch` answers one page).
async fn every_name<F, Fut>(mut fetch: F) -> Result<Vec<String>, ClientError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<super::targets::Page, ClientError>>,
{
    let mut names = Vec::new();
    let mut token = None;
    loop {
        let (items, next) = fetch(token).await?;
        names.extend(items.iter().filter_map(|v| v.as_str().map(str::to_owned)));
        match next.filter(|t| !t.is_empty()) {
            Some(t) => token = Some(t),
            None => return Ok(names),
        }
    }
}

/// Every custom metric name on the endpoint (ListCustomMetrics, all pages).
async fn custom_metric_names(c: &Connection) -> Result<Vec<String>, ClientError> {
    every_name(|token| super::resources::custom_metrics_page(c, token, None)).await
}

/// Every dimension name on the endpoint (ListDimensions, all pages).
async fn dimension_names(c: &Connection) -> Result<Vec<String>, ClientError> {
    every_name(|token| super::resources::dimensions_page(c, token, None)).await
}

/// The type of each named custom metric (DescribeCustomMetric, one call each).
async fn describe_custom_metrics(
    c: &Connection,
    names: impl IntoIterator<Item = String>,
) -> Result<Vec<CustomMetric>, ClientError> {
    let mut metrics = Vec::new();
    for name in names {
        let out = c
            .client
            .describe_custom_metric()
            .metric_name(&name)
            .send()
            .await
            .map_err(|e| ClientError::from_sdk("DescribeCustomMetric", &c.endpoint, e))?;
        let metric_type = CustomMetricType::parse(out.metric_type.as_ref().map_or("", |t| t.as_str()));
        metrics.push(CustomMetric { name, metric_type });
    }
    Ok(metrics)
}

/// The endpoint's custom metrics with their types, and its dimension names.
pub async fn known_lists(c: &Connection) -> Result<(Vec<CustomMetric>, Vec<String>), ClientError> {
    let metrics = describe_custom_metrics(c, custom_metric_names(c).await?).await?;
    Ok((metrics, dimension_names(c).await?))
}

/// What the rules need of the endpoint to judge a request that names custom
/// metrics or dimensions: the custom metric list (one ListCustomMetrics walk)
/// with the types of the named ones that exist, and the dimension list (one
/// ListDimensions walk) when a dimension is named. A list the request does not
/// need is not fetched and stays unknown.
pub async fn context_for(
    c: &Connection,
    refs: &EndpointReferences,
    region: Option<String>,
) -> Result<Context, ClientError> {
    let custom_metrics = if refs.custom_metrics.is_empty() {
        None
    } else {
        let existing = custom_metric_names(c).await?;
        let named = refs.custom_metrics.iter().filter(|n| existing.contains(n)).cloned();
        Some(describe_custom_metrics(c, named).await?)
    };
    let dimensions = if refs.dimensions { Some(dimension_names(c).await?) } else { None };
    Ok(Context { custom_metrics, dimensions, region })
}
