//! CreateCustomMetric / DescribeCustomMetric / UpdateCustomMetric /
//! ListCustomMetrics / DeleteCustomMetric. Custom metric names may not start
//! with `aws:`; a metric a profile uses cannot be deleted.

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::dimensions::check_token;
use super::errors::ApiError;
use super::resource::{Env, answer, check_name};
use super::store::{self, Table, get_doc};
use super::{profiles, tags};
use crate::domain::enums::CustomMetricType;
use crate::domain::metrics::MetricType;
use crate::domain::profile::Tag;
use crate::domain::{Context, CustomMetricRequest, validate_custom_metric};
use crate::wire::response::{CreateCustomMetricResponse, Empty};

const KIND: &str = "custommetric";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateCustomMetricRequest {
    #[serde(default)]
    pub display_name: Option<String>,
    pub metric_type: String,
    #[serde(default)]
    pub tags: Option<Vec<Tag>>,
    #[serde(default)]
    pub client_request_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateCustomMetricRequest {
    pub display_name: String,
}

/// The stored metric, as DescribeCustomMetric returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CustomMetricDoc {
    metric_name: String,
    metric_arn: String,
    metric_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    creation_date: f64,
    last_modified_date: f64,
}

/// The rules' errors on a custom metric request, as InvalidRequestException.
fn judged(m: &CustomMetricRequest) -> Result<(), ApiError> {
    super::errors::refuse(&validate_custom_metric(m, &Context::offline()))
}

fn load(tx: &Transaction, name: &str) -> Result<Option<CustomMetricDoc>, ApiError> {
    Ok(match get_doc(tx, Table::CustomMetrics, name)? {
        Some(doc) => Some(serde_json::from_str(&doc)?),
        None => None,
    })
}

fn save(tx: &Transaction, m: &CustomMetricDoc) -> Result<(), ApiError> {
    store::put(tx, Table::CustomMetrics, &m.metric_name, m)
}

/// Every custom metric defined here and its type, for checking datapoints
/// (`datapoint_fault`); a type the catalogue does not know is left out.
pub fn types(tx: &Transaction) -> Result<std::collections::HashMap<String, MetricType>, ApiError> {
    let mut out = std::collections::HashMap::new();
    for m in store::all::<CustomMetricDoc>(tx, Table::CustomMetrics)? {
        if let Some(t) = MetricType::of_custom(&CustomMetricType::parse(&m.metric_type)) {
            out.insert(m.metric_name, t);
        }
    }
    Ok(out)
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("The custom metric {name} does not exist."))
}

pub fn create(tx: &Transaction, env: &Env, name: &str, req: CreateCustomMetricRequest) -> Result<Value, ApiError> {
    check_name("metricName", name)?;
    judged(&CustomMetricRequest {
        metric_name: name,
        metric_type: Some(&req.metric_type),
        display_name: req.display_name.as_deref(),
        tags: req.tags.as_deref(),
        client_request_token: req.client_request_token.as_deref(),
    })?;
    check_token(req.client_request_token.as_deref())?;
    let arn = env.arn(KIND, name);
    if let Some(existing) = load(tx, name)? {
        if existing.metric_type == req.metric_type && existing.display_name == req.display_name {
            return answer(CreateCustomMetricResponse { metric_name: name.to_owned(), metric_arn: arn });
        }
        return Err(ApiError::already_exists(
            format!("Custom metric {name} already exists with different properties"),
            name,
            &arn,
        ));
    }
    let m = CustomMetricDoc {
        metric_name: name.to_owned(),
        metric_arn: arn.clone(),
        metric_type: req.metric_type,
        display_name: req.display_name,
        creation_date: env.now,
        last_modified_date: env.now,
    };
    save(tx, &m)?;
    tags::set_initial(tx, &arn, req.tags.unwrap_or_default())?;
    answer(CreateCustomMetricResponse { metric_name: name.to_owned(), metric_arn: arn })
}

pub fn describe(tx: &Transaction, name: &str) -> Result<Value, ApiError> {
    check_name("metricName", name)?;
    Ok(serde_json::to_value(load(tx, name)?.ok_or_else(|| not_found(name))?)?)
}

pub fn update(tx: &Transaction, env: &Env, name: &str, req: UpdateCustomMetricRequest) -> Result<Value, ApiError> {
    check_name("metricName", name)?;
    judged(&CustomMetricRequest {
        metric_name: name,
        display_name: Some(&req.display_name),
        ..CustomMetricRequest::default()
    })?;
    let mut m = load(tx, name)?.ok_or_else(|| not_found(name))?;
    m.display_name = Some(req.display_name);
    m.last_modified_date = env.now;
    save(tx, &m)?;
    Ok(serde_json::to_value(m)?)
}

pub fn delete(tx: &Transaction, env: &Env, name: &str) -> Result<Value, ApiError> {
    check_name("metricName", name)?;
    let users = profiles::users_of(tx, None, Some(name))?;
    if !users.is_empty() {
        return Err(ApiError::invalid(format!(
            "Cannot delete custom metric {name}: remove it from security profile(s) {} first",
            users.join(", ")
        )));
    }
    store::remove(tx, Table::CustomMetrics, name)?;
    super::store::tags::replace(tx, &env.arn(KIND, name), Vec::new())?;
    answer(Empty {})
}

pub fn list(tx: &Transaction, next_token: Option<&str>, max_results: Option<i64>) -> Result<Value, ApiError> {
    store::list_names(tx, Table::CustomMetrics, next_token, max_results, "metricNames")
}
