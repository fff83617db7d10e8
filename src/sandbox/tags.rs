//! TagResource / UntagResource / ListTagsForResource for the sandbox's
//! resources (profiles, dimensions, custom metrics). Tags are checked by the
//! same rules as a profile's `tags` member.

use rusqlite::Transaction;
use serde::Deserialize;
use serde_json::Value;

use super::errors::ApiError;
use super::errors::refuse;
use super::resource::{Env, answer, decode_token, page};
use super::store::{self, Table, get_doc};
use crate::domain::profile::Tag;
use crate::domain::{Context, Rule, validate_tags};
use crate::wire::response::{Empty, Page};

/// At most this many tags per resource (IoT tagging guide).
const TAGS_MAX: usize = 50;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TagResourceRequest {
    pub resource_arn: String,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UntagResourceRequest {
    pub resource_arn: String,
    pub tag_keys: Vec<String>,
}

/// The resource an ARN names must exist (ResourceNotFoundException otherwise).
fn check_resource(tx: &Transaction, env: &Env, arn: &str) -> Result<(), ApiError> {
    let missing = || ApiError::not_found(format!("The resource {arn} does not exist."));
    let (kind, name) = env.own_arn(arn).ok_or_else(missing)?;
    let table = match kind {
        "securityprofile" => Table::Profiles,
        "dimension" => Table::Dimensions,
        "custommetric" => Table::CustomMetrics,
        "thinggroup" => Table::ThingGroups,
        "mitigationaction" => Table::MitigationActions,
        _ => return Err(missing()),
    };
    match get_doc(tx, table, name)? {
        Some(_) => Ok(()),
        None => Err(missing()),
    }
}

/// Checks a resource's tags with the rules on `tags`; too many is a LimitExceeded.
fn check_tags(tags: &[Tag]) -> Result<(), ApiError> {
    check_count(tags.len())?;
    let problems = validate_tags(tags, &Context::offline());
    refuse(problems.iter().filter(|p| p.rule != Rule::TagCount))
}

fn check_count(count: usize) -> Result<(), ApiError> {
    if count > TAGS_MAX {
        return Err(ApiError::limit_exceeded(format!("A resource can have at most {TAGS_MAX} tags.")));
    }
    Ok(())
}

/// Checks and stores tags for a resource being created.
pub fn set_initial(tx: &Transaction, arn: &str, tags: Vec<Tag>) -> Result<(), ApiError> {
    check_tags(&tags)?;
    store::tags::replace(tx, arn, tags)
}

pub fn tag(tx: &Transaction, env: &Env, req: TagResourceRequest) -> Result<Value, ApiError> {
    check_resource(tx, env, &req.resource_arn)?;
    // The tags are judged as sent, so a fault is numbered as the caller numbered
    // it (`tags[0].Key`); the limit counts the merged set.
    check_tags(&req.tags)?;
    let mut merged = store::tags::of(tx, &req.resource_arn)?;
    for tag in req.tags {
        match merged.iter_mut().find(|t| t.key == tag.key) {
            Some(existing) => existing.value = tag.value,
            None => merged.push(tag),
        }
    }
    check_count(merged.len())?;
    store::tags::replace(tx, &req.resource_arn, merged)?;
    answer(Empty {})
}

pub fn untag(tx: &Transaction, env: &Env, req: UntagResourceRequest) -> Result<Value, ApiError> {
    check_resource(tx, env, &req.resource_arn)?;
    let kept: Vec<Tag> =
        store::tags::of(tx, &req.resource_arn)?.into_iter().filter(|t| !req.tag_keys.contains(&t.key)).collect();
    store::tags::replace(tx, &req.resource_arn, kept)?;
    answer(Empty {})
}

/// ListTagsForResource has no page size; pages hold 50 tags.
pub fn list(tx: &Transaction, env: &Env, arn: Option<&str>, next_token: Option<&str>) -> Result<Value, ApiError> {
    let arn = arn.filter(|a| !a.is_empty()).ok_or_else(|| {
        ApiError::invalid("1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null")
    })?;
    check_resource(tx, env, arn)?;
    let after = decode_token(next_token)?;
    let (items, next) = page(store::tags::of(tx, arn)?, after.as_deref(), TAGS_MAX, |t| t.key.as_str());
    answer(Page::new("tags", items, next))
}
