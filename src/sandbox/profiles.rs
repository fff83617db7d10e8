//! The security-profile operations: Create, Update (a PATCH with expectedVersion
//! and delete-* flags), Describe, Delete, List and ValidateSecurityProfileBehaviors
//! (service.md §1, §3). Every request is checked by the same `domain::rules`
//! the editor and the commands use.

use rusqlite::Transaction;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::errors::refuse;
use super::resource::{Env, answer, check_name, decode_token, page, page_size};
use super::store::{self, Table, all_docs, get_doc, names_page};
use crate::domain::metrics::{self, CustomMetric};
use crate::domain::profile::{Behavior, ProfileUpdate, SecurityProfile};
use crate::domain::{Context, Problem, validate, validate_behaviors, validate_update};
use crate::wire::request::{ListSecurityProfilesRequest, ValidateSecurityProfileBehaviorsRequest};
use crate::wire::response::{
    CreateSecurityProfileResponse, Empty, Page, SecurityProfileDescription, SecurityProfileIdentifier,
};

const KIND: &str = "securityprofile";

/// The endpoint's custom metrics and dimensions, so the rules can check references.
pub fn context(tx: &Transaction, env: &Env) -> Result<Context, ApiError> {
    let custom_metrics = all_docs(tx, Table::CustomMetrics)?
        .iter()
        .map(|doc| {
            let v: Value = serde_json::from_str(doc)?;
            Ok(CustomMetric {
                name: v["metricName"].as_str().unwrap_or_default().to_owned(),
                metric_type: crate::domain::enums::CustomMetricType::parse(
                    v["metricType"].as_str().unwrap_or_default(),
                ),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let dimensions = all_docs(tx, Table::Dimensions)?
        .iter()
        .map(|doc| Ok(serde_json::from_str::<Value>(doc)?["name"].as_str().unwrap_or_default().to_owned()))
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Context { custom_metrics: Some(custom_metrics), dimensions: Some(dimensions), region: Some(env.region.clone()) })
}

/// Problems the service rejects: the errors, exactly as the validator judges
/// them. A rule the validator only warns about (deleteMetricsExportConfig with
/// metricsExportConfig, deleteAdditionalMetricsToRetain with V2: unconfirmed,
/// service.md §7) is not refused here either: one policy everywhere, and the
/// sandbox is never stricter than the validator.
fn rejected(problems: &[Problem]) -> Vec<&Problem> {
    problems.iter().filter(|p| p.is_error()).collect()
}

/// The stored profile named, if any.
pub(super) fn load(tx: &Transaction, name: &str) -> Result<Option<SecurityProfileDescription>, ApiError> {
    store::get(tx, Table::Profiles, name)
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("The security profile {name} does not exist."))
}

/// Tags in key order, as the store keeps them: the order a client sends them
/// in does not make a retried Create different.
fn tags_by_key(mut tags: Vec<crate::domain::profile::Tag>) -> Vec<crate::domain::profile::Tag> {
    tags.sort_by(|a, b| a.key.cmp(&b.key));
    tags
}

/// Lists that an update's empty value leaves alone (service.md §3: PATCH).
fn non_empty<T>(list: Option<Vec<T>>) -> Option<Vec<T>> {
    list.filter(|l| !l.is_empty())
}

pub fn create(tx: &Transaction, env: &Env, name: &str, mut req: SecurityProfile) -> Result<Value, ApiError> {
    check_name("securityProfileName", name)?;
    req.security_profile_name = name.to_owned();
    refuse(&validate(&req, &context(tx, env)?))?;
    let arn = env.arn(KIND, name);
    if let Some(existing) = load(tx, name)? {
        // Identical parameters, tags included, succeed again (service.md §3 "Create idempotency").
        let same = existing.security_profile_description == req.security_profile_description
            && existing.behaviors == req.behaviors
            && existing.alert_targets == req.alert_targets
            && existing.additional_metrics_to_retain == req.additional_metrics_to_retain
            && existing.additional_metrics_to_retain_v2 == req.additional_metrics_to_retain_v2
            && existing.metrics_export_config == req.metrics_export_config
            && super::store::tags::of(tx, &arn)? == tags_by_key(req.tags.clone().unwrap_or_default());
        if !same {
            return Err(ApiError::already_exists(
                format!("Security profile {name} already exists in current account with different properties"),
                name,
                &arn,
            ));
        }
        return answer(created(name, arn));
    }
    let stored = SecurityProfileDescription {
        security_profile_name: Some(name.to_owned()),
        security_profile_arn: Some(arn.clone()),
        security_profile_description: req.security_profile_description,
        behaviors: req.behaviors,
        alert_targets: req.alert_targets,
        additional_metrics_to_retain: req.additional_metrics_to_retain,
        additional_metrics_to_retain_v2: req.additional_metrics_to_retain_v2,
        version: Some(1),
        creation_date: Some(env.now),
        last_modified_date: Some(env.now),
        metrics_export_config: req.metrics_export_config,
    };
    store::put_profile(tx, &stored)?;
    super::store::tags::replace(tx, &arn, req.tags.unwrap_or_default())?;
    answer(created(name, arn))
}

/// CreateSecurityProfile's output.
fn created(name: &str, arn: String) -> CreateSecurityProfileResponse {
    CreateSecurityProfileResponse { security_profile_name: Some(name.to_owned()), security_profile_arn: Some(arn) }
}

pub fn update(
    tx: &Transaction,
    env: &Env,
    name: &str,
    mut req: ProfileUpdate,
    expected: Option<i64>,
) -> Result<Value, ApiError> {
    check_name("securityProfileName", name)?;
    req.security_profile_name = name.to_owned();
    refuse(&validate_update(&req, &context(tx, env)?))?;
    let mut p = load(tx, name)?.ok_or_else(|| not_found(name))?;
    let version = p.version.unwrap_or(0);
    if let Some(want) = expected.filter(|v| *v != version) {
        return Err(ApiError::version_conflict(format!(
            "The version for security profile {name} does not match the expected version ({want}); the current version is {version}."
        )));
    }
    let on = |flag: Option<bool>| flag == Some(true);
    if let Some(d) = req.security_profile_description {
        p.security_profile_description = Some(d);
    }
    if on(req.delete_behaviors) {
        p.behaviors = None;
    } else if let Some(b) = non_empty(req.behaviors) {
        p.behaviors = Some(b);
    }
    if on(req.delete_alert_targets) {
        p.alert_targets = None;
    } else if let Some(t) = req.alert_targets.filter(|t| !t.is_empty()) {
        p.alert_targets = Some(t);
    }
    if on(req.delete_additional_metrics_to_retain) {
        p.additional_metrics_to_retain = None;
        p.additional_metrics_to_retain_v2 = None;
    } else {
        if let Some(v1) = non_empty(req.additional_metrics_to_retain) {
            p.additional_metrics_to_retain = Some(v1);
        }
        if let Some(v2) = non_empty(req.additional_metrics_to_retain_v2) {
            p.additional_metrics_to_retain_v2 = Some(v2);
        }
    }
    if on(req.delete_metrics_export_config) {
        p.metrics_export_config = None;
    } else if let Some(m) = req.metrics_export_config {
        p.metrics_export_config = Some(m);
    }
    p.version = Some(version + 1);
    p.last_modified_date = Some(env.now);
    store::put_profile(tx, &p)?;
    Ok(serde_json::to_value(&p)?)
}

pub fn describe(tx: &Transaction, name: &str) -> Result<Value, ApiError> {
    check_name("securityProfileName", name)?;
    let p = load(tx, name)?.ok_or_else(|| not_found(name))?;
    Ok(serde_json::to_value(&p)?)
}

/// Deleting a missing profile succeeds (service.md §3 "Delete is idempotent").
pub fn delete(tx: &Transaction, env: &Env, name: &str, expected: Option<i64>) -> Result<Value, ApiError> {
    check_name("securityProfileName", name)?;
    if let Some(p) = load(tx, name)? {
        let version = p.version.unwrap_or(0);
        if let Some(want) = expected.filter(|v| *v != version) {
            return Err(ApiError::version_conflict(format!(
                "The version for security profile {name} does not match the expected version ({want}); the current version is {version}."
            )));
        }
        store::remove(tx, Table::Profiles, name)?;
        store::targets::remove_profile(tx, name)?;
        super::store::tags::replace(tx, &env.arn(KIND, name), Vec::new())?;
    }
    answer(Empty {})
}

/// Every stored profile, in name order.
pub fn all(tx: &Transaction) -> Result<Vec<SecurityProfileDescription>, ApiError> {
    all_docs(tx, Table::Profiles)?.iter().map(|doc| Ok(serde_json::from_str(doc)?)).collect()
}

fn uses_dimension(p: &SecurityProfileDescription, dimension: &str) -> bool {
    p.behaviors.iter().flatten().any(|b| b.metric_dimension.as_ref().is_some_and(|d| d.dimension_name == dimension))
        || p.additional_metrics_to_retain_v2
            .iter()
            .flatten()
            .any(|m| m.metric_dimension.as_ref().is_some_and(|d| d.dimension_name == dimension))
}

fn uses_metric(p: &SecurityProfileDescription, metric: &str) -> bool {
    p.behaviors.iter().flatten().any(|b: &Behavior| b.metric.as_deref() == Some(metric))
        || p.additional_metrics_to_retain_v2.iter().flatten().any(|m| m.metric == metric)
        || p.additional_metrics_to_retain.iter().flatten().any(|m| m == metric)
}

/// The profiles that reference a dimension or a custom metric (for deletes).
pub fn users_of(tx: &Transaction, dimension: Option<&str>, metric: Option<&str>) -> Result<Vec<String>, ApiError> {
    Ok(all(tx)?
        .into_iter()
        .filter(|p| dimension.is_some_and(|d| uses_dimension(p, d)) || metric.is_some_and(|m| uses_metric(p, m)))
        .filter_map(|p| p.security_profile_name)
        .collect())
}

pub fn list(tx: &Transaction, env: &Env, req: ListSecurityProfilesRequest) -> Result<Value, ApiError> {
    refuse(&crate::domain::validate_list(req.dimension_name.as_deref(), req.metric_name.as_deref(), req.max_results))?;
    let size = page_size(req.max_results)?;
    let after = decode_token(req.next_token.as_deref())?;
    if let Some(d) = &req.dimension_name
        && get_doc(tx, Table::Dimensions, d)?.is_none()
    {
        return Err(ApiError::not_found(format!("The dimension {d} does not exist.")));
    }
    if let Some(m) = &req.metric_name
        && metrics::builtin(m).is_none()
        && get_doc(tx, Table::CustomMetrics, m)?.is_none()
    {
        return Err(ApiError::not_found(format!("The metric {m} does not exist.")));
    }
    if req.dimension_name.is_none() && req.metric_name.is_none() {
        // No filter: page through the keys alone, without reading documents.
        let names = names_page(tx, Table::Profiles, after.as_deref(), size + 1)?;
        let (names, next) = page(names, None, size, |n| n.as_str());
        let items: Vec<SecurityProfileIdentifier> =
            names.into_iter().map(|name| SecurityProfileIdentifier { arn: env.arn(KIND, &name), name }).collect();
        return answer(list_output(items, next));
    }
    let matching: Vec<SecurityProfileIdentifier> = all(tx)?
        .into_iter()
        .filter(|p| req.dimension_name.as_deref().is_none_or(|d| uses_dimension(p, d)))
        .filter(|p| req.metric_name.as_deref().is_none_or(|m| uses_metric(p, m)))
        .map(|p| SecurityProfileIdentifier {
            name: p.security_profile_name.unwrap_or_default(),
            arn: p.security_profile_arn.unwrap_or_default(),
        })
        .collect();
    let (items, next) = page(matching, after.as_deref(), size, |i| i.name.as_str());
    answer(list_output(items, next))
}

fn list_output(items: Vec<SecurityProfileIdentifier>, next: Option<String>) -> Page<SecurityProfileIdentifier> {
    Page::new("securityProfileIdentifiers", items, next)
}

/// Semantic problems come back as `valid: false` with messages, not as an error.
pub fn validate_request(
    tx: &Transaction,
    env: &Env,
    req: ValidateSecurityProfileBehaviorsRequest,
) -> Result<Value, ApiError> {
    let problems = validate_behaviors(&req.behaviors, &context(tx, env)?);
    let errors: Vec<Value> = rejected(&problems)
        .into_iter()
        .map(|p| {
            let index = match p.path.segments() {
                [crate::domain::path::Segment::Key("behaviors"), crate::domain::path::Segment::Index(i), ..] => {
                    Some(*i)
                }
                _ => None,
            };
            let message = match index.and_then(|i| req.behaviors.get(i)) {
                Some(b) => format!("Behavior {} is malformed. {p}", b.name),
                None => p.to_string(),
            };
            json!({ "errorMessage": message })
        })
        .collect();
    Ok(json!({ "valid": errors.is_empty(), "validationErrors": errors }))
}
