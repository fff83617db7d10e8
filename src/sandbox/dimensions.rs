//! CreateDimension / DescribeDimension / UpdateDimension / ListDimensions /
//! DeleteDimension: TOPIC_FILTER dimensions that behaviors narrow metrics by.
//! A dimension a profile uses cannot be deleted.

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::errors::ApiError;
use super::resource::{Env, answer, check_name};
use super::store::{self, Table, get_doc};
use super::{profiles, tags};
use crate::domain::profile::Tag;
use crate::domain::{Context, DimensionRequest, validate_dimension};
use crate::wire::response::{CreateDimensionResponse, Empty};

const KIND: &str = "dimension";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateDimensionRequest {
    #[serde(rename = "type")]
    pub dimension_type: String,
    pub string_values: Vec<String>,
    #[serde(default)]
    pub tags: Option<Vec<Tag>>,
    #[serde(default)]
    pub client_request_token: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateDimensionRequest {
    pub string_values: Vec<String>,
}

/// The stored dimension, as DescribeDimension returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Dimension {
    name: String,
    arn: String,
    #[serde(rename = "type")]
    dimension_type: String,
    string_values: Vec<String>,
    creation_date: f64,
    last_modified_date: f64,
}

/// The rules' errors on a dimension request, as InvalidRequestException.
fn judged(d: &DimensionRequest) -> Result<(), ApiError> {
    super::errors::refuse(&validate_dimension(d, &Context::offline()))
}

/// clientRequestToken: required on the wire (SDKs and the CLI fill it in; a raw
/// client that leaves it out is refused, service.md §7), 1–64 of `[a-zA-Z0-9-_]`.
pub fn check_token(token: Option<&str>) -> Result<(), ApiError> {
    match token {
        None => Err(ApiError::invalid("clientRequestToken is required; send 1 to 64 of a-z A-Z 0-9 - _")),
        Some(t)
            if t.is_empty()
                || t.chars().count() > 64
                || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            Err(ApiError::invalid("clientRequestToken must be 1 to 64 of a-z A-Z 0-9 - _"))
        }
        _ => Ok(()),
    }
}

fn load(tx: &Transaction, name: &str) -> Result<Option<Dimension>, ApiError> {
    Ok(match get_doc(tx, Table::Dimensions, name)? {
        Some(doc) => Some(serde_json::from_str(&doc)?),
        None => None,
    })
}

fn save(tx: &Transaction, d: &Dimension) -> Result<(), ApiError> {
    store::put(tx, Table::Dimensions, &d.name, d)
}

pub fn create(tx: &Transaction, env: &Env, name: &str, req: CreateDimensionRequest) -> Result<Value, ApiError> {
    check_name("name", name)?;
    judged(&DimensionRequest {
        name,
        dimension_type: Some(&req.dimension_type),
        string_values: Some(&req.string_values),
        tags: req.tags.as_deref(),
        client_request_token: req.client_request_token.as_deref(),
    })?;
    check_token(req.client_request_token.as_deref())?;
    let arn = env.arn(KIND, name);
    if let Some(existing) = load(tx, name)? {
        if existing.dimension_type == req.dimension_type && existing.string_values == req.string_values {
            return answer(CreateDimensionResponse { name: name.to_owned(), arn });
        }
        return Err(ApiError::already_exists(
            format!("Dimension {name} already exists with different properties"),
            name,
            &arn,
        ));
    }
    let d = Dimension {
        name: name.to_owned(),
        arn: arn.clone(),
        dimension_type: req.dimension_type,
        string_values: req.string_values,
        creation_date: env.now,
        last_modified_date: env.now,
    };
    save(tx, &d)?;
    tags::set_initial(tx, &arn, req.tags.unwrap_or_default())?;
    answer(CreateDimensionResponse { name: name.to_owned(), arn })
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("The dimension {name} does not exist."))
}

pub fn describe(tx: &Transaction, name: &str) -> Result<Value, ApiError> {
    check_name("name", name)?;
    Ok(serde_json::to_value(load(tx, name)?.ok_or_else(|| not_found(name))?)?)
}

pub fn update(tx: &Transaction, env: &Env, name: &str, req: UpdateDimensionRequest) -> Result<Value, ApiError> {
    check_name("name", name)?;
    judged(&DimensionRequest { name, string_values: Some(&req.string_values), ..DimensionRequest::default() })?;
    let mut d = load(tx, name)?.ok_or_else(|| not_found(name))?;
    d.string_values = req.string_values;
    d.last_modified_date = env.now;
    save(tx, &d)?;
    Ok(serde_json::to_value(d)?)
}

pub fn delete(tx: &Transaction, env: &Env, name: &str) -> Result<Value, ApiError> {
    check_name("name", name)?;
    let users = profiles::users_of(tx, Some(name), None)?;
    if !users.is_empty() {
        return Err(ApiError::invalid(format!(
            "Cannot delete dimension {name}: it is used by security profile(s) {}",
            users.join(", ")
        )));
    }
    store::remove(tx, Table::Dimensions, name)?;
    super::store::tags::replace(tx, &env.arn(KIND, name), Vec::new())?;
    answer(Empty {})
}

pub fn list(tx: &Transaction, next_token: Option<&str>, max_results: Option<i64>) -> Result<Value, ApiError> {
    store::list_names(tx, Table::Dimensions, next_token, max_results, "dimensionNames")
}
