//! CreateThing / DescribeThing / DeleteThing / ListThings (shapes from the IoT
//! model): the devices a profile's targets and thing groups hold. The sandbox
//! has no thing types or billing groups, so a thing that names one is refused
//! as naming something that does not exist.

use std::collections::BTreeMap;

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::errors::ApiError;
use super::resource::{Env, answer, check_name, decode_token, page, page_size};
use super::store::{self, Table, get_doc};
use crate::wire::request::AttributePayload;
use crate::wire::response::{Empty, Page};

pub const KIND: &str = "thing";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateThingRequest {
    #[serde(default)]
    pub thing_type_name: Option<String>,
    #[serde(default)]
    pub attribute_payload: Option<AttributePayload>,
    #[serde(default)]
    pub billing_group_name: Option<String>,
}

/// The stored thing, as DescribeThing returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Thing {
    default_client_id: String,
    thing_name: String,
    thing_id: String,
    thing_arn: String,
    attributes: BTreeMap<String, String>,
    version: i64,
}

fn load(tx: &Transaction, name: &str) -> Result<Option<Thing>, ApiError> {
    Ok(match get_doc(tx, Table::Things, name)? {
        Some(doc) => Some(serde_json::from_str(&doc)?),
        None => None,
    })
}

pub fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("Thing {name} cannot be found."))
}

/// True when the thing exists in this region.
pub fn exists(tx: &Transaction, name: &str) -> Result<bool, ApiError> {
    Ok(get_doc(tx, Table::Things, name)?.is_some())
}

pub fn create(tx: &Transaction, env: &Env, name: &str, req: CreateThingRequest) -> Result<Value, ApiError> {
    check_name("thingName", name)?;
    if let Some(t) = req.thing_type_name.as_deref().map(crate::domain::untrusted::neutralise) {
        return Err(ApiError::not_found(format!("Thing type {t} does not exist; the sandbox has no thing types")));
    }
    if let Some(b) = req.billing_group_name.as_deref().map(crate::domain::untrusted::neutralise) {
        return Err(ApiError::not_found(format!(
            "Billing group {b} does not exist; the sandbox has no billing groups"
        )));
    }
    let attributes = req.attribute_payload.and_then(|p| p.attributes).unwrap_or_default();
    let arn = env.arn(KIND, name);
    if let Some(existing) = load(tx, name)? {
        if existing.attributes == attributes {
            return Ok(json!({"thingName": name, "thingArn": arn, "thingId": existing.thing_id}));
        }
        return Err(ApiError::already_exists(
            format!("Thing {name} already exists in current account with different properties"),
            name,
            &arn,
        ));
    }
    let thing = Thing {
        default_client_id: name.to_owned(),
        thing_name: name.to_owned(),
        thing_id: uuid::Uuid::new_v4().to_string(),
        thing_arn: arn.clone(),
        attributes,
        version: 1,
    };
    store::put(tx, Table::Things, name, &thing)?;
    Ok(json!({"thingName": name, "thingArn": arn, "thingId": thing.thing_id}))
}

pub fn describe(tx: &Transaction, name: &str) -> Result<Value, ApiError> {
    check_name("thingName", name)?;
    Ok(serde_json::to_value(load(tx, name)?.ok_or_else(|| not_found(name))?)?)
}

/// Deleting a thing that does not exist succeeds, as the API reference says.
pub fn delete(tx: &Transaction, name: &str, expected: Option<i64>) -> Result<Value, ApiError> {
    check_name("thingName", name)?;
    let Some(thing) = load(tx, name)? else { return answer(Empty {}) };
    if expected.is_some_and(|v| v != thing.version) {
        return Err(ApiError::version_conflict(format!(
            "The version for thing {name} does not match the expected version."
        )));
    }
    store::remove(tx, Table::Things, name)?;
    store::groups::remove_thing_memberships(tx, name)?;
    // Its certificates are detached with it (a choice: lenient where AWS
    // may ask for DetachThingPrincipal first; the sandbox is never stricter).
    store::certificates::forget_thing(tx, name)?;
    answer(Empty {})
}

/// The filters of ListThings.
#[derive(Debug, Default)]
pub struct ListFilter<'a> {
    pub attribute_name: Option<&'a str>,
    pub attribute_value: Option<&'a str>,
    pub use_prefix: bool,
    pub thing_type_name: Option<&'a str>,
}

pub fn list(
    tx: &Transaction,
    filter: ListFilter<'_>,
    next_token: Option<&str>,
    max_results: Option<i64>,
) -> Result<Value, ApiError> {
    let size = page_size(max_results)?;
    let after = decode_token(next_token)?;
    let mut things = Vec::new();
    for thing in store::all::<Thing>(tx, Table::Things)? {
        let value_matches = |v: &String| match filter.attribute_value {
            None => true,
            Some(want) if filter.use_prefix => v.starts_with(want),
            Some(want) => v == want,
        };
        let attribute_ok = match filter.attribute_name {
            Some(name) => thing.attributes.get(name).is_some_and(value_matches),
            None => true,
        };
        // No thing has a type here, so a type filter matches none.
        if attribute_ok && filter.thing_type_name.is_none() {
            things.push(thing);
        }
    }
    let (things, next) = page(things, after.as_deref(), size, |t| t.thing_name.as_str());
    let items: Vec<Value> = things
        .into_iter()
        .map(|t| json!({"thingName": t.thing_name, "thingArn": t.thing_arn, "attributes": t.attributes, "version": t.version}))
        .collect();
    answer(Page::new("things", items, next))
}
