//! CreateThingGroup / DescribeThingGroup / DeleteThingGroup / ListThingGroups
//! and AddThingToThingGroup (service.md §8; shapes from the IoT model): enough
//! for a security profile's target to name a group that exists. Static groups
//! only; a group may have a parent. A thing joins at most 10 groups and one
//! group per hierarchy (`join`). Deleting a group detaches the security
//! profiles attached to it.

use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::errors::ApiError;
use super::resource::{Env, answer, check_name, decode_token, page, page_size};
use super::store::{self, Table, get_doc};
use super::{tags, things};
use crate::domain::profile::Tag;
use crate::domain::rules::mitigation::THING_GROUPS_MAX;
use crate::wire::request::ThingGroupProperties;
use crate::wire::response::{Empty, Page};

pub const KIND: &str = "thinggroup";
/// ThingGroupDescription: 0–2028 of `[\p{Graph}\x20]*` (IoT model).
const DESCRIPTION_MAX: usize = 2028;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CreateThingGroupRequest {
    #[serde(default)]
    pub parent_group_name: Option<String>,
    #[serde(default)]
    pub thing_group_properties: Option<ThingGroupProperties>,
    #[serde(default)]
    pub tags: Option<Vec<Tag>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AddThingToThingGroupRequest {
    #[serde(default)]
    pub thing_group_name: Option<String>,
    #[serde(default)]
    pub thing_group_arn: Option<String>,
    #[serde(default)]
    pub thing_name: Option<String>,
    #[serde(default)]
    pub thing_arn: Option<String>,
    /// Accepted as the model has it; the sandbox has no dynamic groups to override.
    #[serde(default)]
    #[allow(dead_code)]
    pub override_dynamic_groups: Option<bool>,
}

/// The stored group, as DescribeThingGroup returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ThingGroup {
    thing_group_name: String,
    thing_group_id: String,
    thing_group_arn: String,
    version: i64,
    thing_group_properties: ThingGroupProperties,
    thing_group_metadata: Metadata,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent_group_name: Option<String>,
    root_to_parent_thing_groups: Vec<Value>,
    creation_date: f64,
}

fn load(tx: &Transaction, name: &str) -> Result<Option<ThingGroup>, ApiError> {
    Ok(match get_doc(tx, Table::ThingGroups, name)? {
        Some(doc) => Some(serde_json::from_str(&doc)?),
        None => None,
    })
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found(format!("Thing Group {name} does not exist"))
}

/// True when the group exists in this region.
pub fn exists(tx: &Transaction, name: &str) -> Result<bool, ApiError> {
    Ok(get_doc(tx, Table::ThingGroups, name)?.is_some())
}

fn check_properties(p: &ThingGroupProperties) -> Result<(), ApiError> {
    if let Some(d) = &p.thing_group_description {
        let length = d.chars().count();
        if length > DESCRIPTION_MAX || crate::domain::rules::first_non_graph(d).is_some() {
            return Err(ApiError::invalid(format!(
                "1 validation error detected: thingGroupProperties.thingGroupDescription must be at most {DESCRIPTION_MAX} printable ASCII characters"
            )));
        }
    }
    Ok(())
}

pub fn create(tx: &Transaction, env: &Env, name: &str, req: CreateThingGroupRequest) -> Result<Value, ApiError> {
    check_name("thingGroupName", name)?;
    let properties = req.thing_group_properties.unwrap_or_default();
    check_properties(&properties)?;
    let arn = env.arn(KIND, name);
    if let Some(existing) = load(tx, name)? {
        // The same parameters succeed again; others are refused (as moto and IoT do).
        if existing.thing_group_properties == properties
            && existing.thing_group_metadata.parent_group_name == req.parent_group_name
        {
            return Ok(json!({"thingGroupName": name, "thingGroupArn": arn, "thingGroupId": existing.thing_group_id}));
        }
        return Err(ApiError::already_exists(
            format!("Thing Group {name} already exists in current account with different properties"),
            name,
            &arn,
        ));
    }
    let mut lineage = Vec::new();
    if let Some(parent) = &req.parent_group_name {
        check_name("parentGroupName", parent)?;
        let found = load(tx, parent)?.ok_or_else(|| not_found(parent))?;
        lineage = found.thing_group_metadata.root_to_parent_thing_groups.clone();
        lineage.push(json!({"groupName": parent, "groupArn": found.thing_group_arn}));
    }
    let group = ThingGroup {
        thing_group_name: name.to_owned(),
        thing_group_id: uuid::Uuid::new_v4().simple().to_string(),
        thing_group_arn: arn.clone(),
        version: 1,
        thing_group_properties: properties,
        thing_group_metadata: Metadata {
            parent_group_name: req.parent_group_name.clone(),
            root_to_parent_thing_groups: lineage,
            creation_date: env.now,
        },
    };
    store::groups::insert(tx, name, req.parent_group_name.as_deref(), &group)?;
    tags::set_initial(tx, &arn, req.tags.unwrap_or_default())?;
    Ok(json!({"thingGroupName": name, "thingGroupArn": arn, "thingGroupId": group.thing_group_id}))
}

pub fn describe(tx: &Transaction, name: &str) -> Result<Value, ApiError> {
    check_name("thingGroupName", name)?;
    Ok(serde_json::to_value(load(tx, name)?.ok_or_else(|| not_found(name))?)?)
}

/// Deleting a missing group succeeds (the model lists no ResourceNotFound);
/// a group with child groups is refused; the profiles attached to it are detached.
pub fn delete(tx: &Transaction, env: &Env, name: &str, expected: Option<i64>) -> Result<Value, ApiError> {
    check_name("thingGroupName", name)?;
    let Some(group) = load(tx, name)? else { return answer(Empty {}) };
    if let Some(want) = expected.filter(|v| *v != group.version) {
        return Err(ApiError::version_conflict(format!(
            "The version for thing group {name} does not match the expected version ({want}); the current version is {}.",
            group.version
        )));
    }
    if let Some(child) = store::groups::a_child_of(tx, name)? {
        return Err(ApiError::invalid(format!("Cannot delete thing group {name}: it has the child group {child}")));
    }
    store::remove(tx, Table::ThingGroups, name)?;
    store::groups::remove_group_members(tx, name)?;
    store::targets::remove_target(tx, &env.arn(KIND, name))?;
    super::store::tags::replace(tx, &group.thing_group_arn, Vec::new())?;
    answer(Empty {})
}

/// The filters of ListThingGroups.
#[derive(Debug, Default)]
pub struct ListFilter<'a> {
    pub parent_group: Option<&'a str>,
    pub name_prefix: Option<&'a str>,
    pub recursive: bool,
}

pub fn list(
    tx: &Transaction,
    filter: ListFilter<'_>,
    next_token: Option<&str>,
    max_results: Option<i64>,
) -> Result<Value, ApiError> {
    let size = page_size(max_results)?;
    let after = decode_token(next_token)?;
    let rows = store::groups::all_with_parents(tx)?;
    if let Some(parent) = filter.parent_group {
        check_name("parentGroup", parent)?;
        if !rows.iter().any(|(n, _, _)| n == parent) {
            return Err(not_found(parent));
        }
    }
    if let Some(prefix) = filter.name_prefix {
        check_name("namePrefixFilter", prefix)?;
    }
    let mut groups = Vec::new();
    for (name, parent, doc) in rows {
        let group: ThingGroup = serde_json::from_str(&doc)?;
        let under_parent = match filter.parent_group {
            None => true,
            Some(p) if filter.recursive => {
                group.thing_group_metadata.root_to_parent_thing_groups.iter().any(|g| g["groupName"] == p)
            }
            Some(p) => parent.as_deref() == Some(p),
        };
        if under_parent && filter.name_prefix.is_none_or(|prefix| name.starts_with(prefix)) {
            groups.push((name, group.thing_group_arn));
        }
    }
    let (groups, next) = page(groups, after.as_deref(), size, |(n, _)| n.as_str());
    let items: Vec<Value> = groups.into_iter().map(|(n, arn)| json!({"groupName": n, "groupArn": arn})).collect();
    answer(Page::new("thingGroups", items, next))
}

/// The name a member names by name or by ARN (`…:thinggroup/NAME`, `…:thing/NAME`).
fn named<'a>(env: &Env, name: Option<&'a str>, arn: Option<&'a str>, kind: &str) -> Result<&'a str, ApiError> {
    if let Some(n) = name {
        return Ok(n);
    }
    let arn = arn.ok_or_else(|| ApiError::invalid(format!("Either the {kind} name or its ARN is required")))?;
    match env.own_arn(arn) {
        Some((k, n)) if k == kind => Ok(n),
        _ => Err(ApiError::not_found(format!(
            "{} does not name a {kind} of this account and region",
            crate::domain::untrusted::neutralise(arn)
        ))),
    }
}

pub fn add_thing(tx: &Transaction, env: &Env, req: AddThingToThingGroupRequest) -> Result<Value, ApiError> {
    let group = named(env, req.thing_group_name.as_deref(), req.thing_group_arn.as_deref(), KIND)?;
    let thing = named(env, req.thing_name.as_deref(), req.thing_arn.as_deref(), things::KIND)?;
    check_name("thingGroupName", group)?;
    check_name("thingName", thing)?;
    if !exists(tx, group)? {
        return Err(not_found(group));
    }
    if !things::exists(tx, thing)? {
        return Err(things::not_found(thing));
    }
    join(tx, thing, std::slice::from_ref(&group.to_owned()))??;
    answer(Empty {})
}

/// Puts `thing` in each of `groups`, as AddThingToThingGroup and the
/// ADD_THINGS_TO_THING_GROUP mitigation action do: the groups it joins (not
/// those it was already in), or, inside, why it joins none. "You can add a
/// thing to a maximum of 10 groups, but you can't add a thing to more than
/// one group in the same hierarchy" (API reference, AddThingsToThingGroupParams):
/// a second group of one hierarchy is InvalidRequestException, an eleventh
/// group LimitExceededException, a group that does not exist
/// ResourceNotFoundException (the codes are the sandbox's choice; AWS names
/// none). Everything is checked before anything is written, so a refusal
/// leaves the thing's groups as they were. The outer error is the store's.
pub fn join(tx: &Transaction, thing: &str, groups: &[String]) -> Result<Result<Vec<String>, ApiError>, ApiError> {
    let mut current = store::groups::groups_of(tx, thing)?;
    let mut roots = std::collections::BTreeMap::new();
    for g in &current {
        if let Some(root) = root_of(tx, g)? {
            roots.insert(root, g.clone());
        }
    }
    let mut adding = Vec::new();
    for g in groups {
        let Some(root) = root_of(tx, g)? else {
            return Ok(Err(ApiError::not_found(format!("Thing group {g} does not exist"))));
        };
        if current.contains(g) {
            continue;
        }
        if let Some(other) = roots.get(&root) {
            return Ok(Err(ApiError::invalid(format!(
                "{thing} is already in {other}, in the same hierarchy as {g}; a thing joins one group per hierarchy"
            ))));
        }
        roots.insert(root, g.clone());
        current.push(g.clone());
        adding.push(g.clone());
    }
    if !adding.is_empty() && current.len() > THING_GROUPS_MAX {
        return Ok(Err(ApiError::limit_exceeded(format!(
            "{thing} would be in {} thing groups; a thing joins at most {THING_GROUPS_MAX}",
            current.len()
        ))));
    }
    for g in &adding {
        store::groups::add_member(tx, g, thing)?;
    }
    Ok(Ok(adding))
}

/// ListThingsInThingGroup: the things in a group (and, with `recursive`, in
/// the groups below it), by name, as `{things: [name], nextToken}`.
///
/// Errors: ResourceNotFoundException for a group that does not exist.
pub fn things_in(
    tx: &Transaction,
    name: &str,
    recursive: bool,
    next_token: Option<&str>,
    max_results: Option<i64>,
) -> Result<Value, ApiError> {
    check_name("thingGroupName", name)?;
    if !exists(tx, name)? {
        return Err(ApiError::not_found(format!("Thing Group {name} does not exist")));
    }
    let size = page_size(max_results)?;
    let after = decode_token(next_token)?;
    let mut groups = if recursive { descendants(tx, name)? } else { Vec::new() };
    groups.push(name.to_owned());
    let mut things = std::collections::BTreeSet::new();
    for g in groups {
        things.extend(store::groups::members(tx, &g)?);
    }
    let (things, next) = page(things.into_iter().collect::<Vec<_>>(), after.as_deref(), size, |t| t.as_str());
    answer(Page::new("things", things, next))
}

/// The root of the hierarchy a group is in (itself, for a group with no
/// parent); None for a group that does not exist.
pub fn root_of(tx: &Transaction, name: &str) -> Result<Option<String>, ApiError> {
    let Some(doc) = store::get_doc(tx, store::Table::ThingGroups, name)? else { return Ok(None) };
    let parsed: ThingGroup = serde_json::from_str(&doc)?;
    let root = parsed.thing_group_metadata.root_to_parent_thing_groups.first().and_then(|g| g["groupName"].as_str());
    Ok(Some(root.unwrap_or(name).to_owned()))
}

/// The groups below `name` (children, their children, …), for recursive look-ups.
pub fn descendants(tx: &Transaction, name: &str) -> Result<Vec<String>, ApiError> {
    let mut below = Vec::new();
    for (group, _, doc) in store::groups::all_with_parents(tx)? {
        let parsed: ThingGroup = serde_json::from_str(&doc)?;
        if parsed.thing_group_metadata.root_to_parent_thing_groups.iter().any(|g| g["groupName"] == name) {
            below.push(group);
        }
    }
    Ok(below)
}
