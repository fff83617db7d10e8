//! AttachSecurityProfile / DetachSecurityProfile / ListTargetsForSecurityProfile.
//! Targets are thing-group ARNs or the all-registered / all-unregistered things;
//! a target takes at most 5 profiles (service.md §2 quotas).

use rusqlite::Transaction;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::resource::{ACCOUNT, Env, answer, check_name, decode_token, page, page_size};
use super::store::{self, Table, get_doc};
use super::thing_groups;
use crate::domain::rules::resource_name_fault;
use crate::wire::response::{Empty, Page};

const PROFILES_PER_TARGET: i64 = 5;

/// `arn:PARTITION:iot:REGION:ACCOUNT:thinggroup/NAME`, `…:all/registered-things`
/// or `…:all/unregistered-things`, in the request's own partition and region.
fn is_target_arn(env: &Env, arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6
        || parts[0] != "arn"
        || parts[1] != env.partition()
        || parts[2] != "iot"
        || parts[3] != env.region
        || parts[4] != ACCOUNT
    {
        return false;
    }
    match parts[5].split_once('/') {
        Some(("thinggroup", name)) => resource_name_fault(name).is_none(),
        Some(("all", "registered-things" | "unregistered-things")) => true,
        _ => false,
    }
}

fn check(tx: &Transaction, env: &Env, profile: &str, target: Option<&str>) -> Result<String, ApiError> {
    check_name("securityProfileName", profile)?;
    let target = target.unwrap_or_default();
    if !is_target_arn(env, target) {
        return Err(ApiError::invalid(format!(
            "securityProfileTargetArn {target:?} is not a thing group ARN or all/registered-things / all/unregistered-things"
        )));
    }
    if get_doc(tx, Table::Profiles, profile)?.is_none() {
        return Err(ApiError::not_found(format!("The security profile {profile} does not exist.")));
    }
    // A thing group target must exist (the all-things targets always do).
    if let Some((_, group)) = env.own_arn(target).filter(|(kind, _)| *kind == thing_groups::KIND)
        && !thing_groups::exists(tx, group)?
    {
        return Err(ApiError::not_found(format!("Thing Group {group} does not exist")));
    }
    Ok(target.to_owned())
}

pub fn attach(tx: &Transaction, env: &Env, profile: &str, target: Option<&str>) -> Result<Value, ApiError> {
    let target = check(tx, env, profile, target)?;
    let attached = store::targets::others_on(tx, &target, profile)?;
    if attached >= PROFILES_PER_TARGET {
        return Err(ApiError::limit_exceeded(format!(
            "The target {target} already has {PROFILES_PER_TARGET} security profiles."
        )));
    }
    store::targets::attach(tx, profile, &target)?;
    answer(Empty {})
}

pub fn detach(tx: &Transaction, env: &Env, profile: &str, target: Option<&str>) -> Result<Value, ApiError> {
    let target = check(tx, env, profile, target)?;
    store::targets::detach(tx, profile, &target)?;
    answer(Empty {})
}

pub fn list(
    tx: &Transaction,
    profile: &str,
    next_token: Option<&str>,
    max_results: Option<i64>,
) -> Result<Value, ApiError> {
    check_name("securityProfileName", profile)?;
    if get_doc(tx, Table::Profiles, profile)?.is_none() {
        return Err(ApiError::not_found(format!("The security profile {profile} does not exist.")));
    }
    let size = page_size(max_results)?;
    let after = decode_token(next_token)?;
    let arns = store::targets::of_profile(tx, profile)?;
    let (arns, next) = page(arns, after.as_deref(), size, |a| a.as_str());
    let items: Vec<Value> = arns.into_iter().map(|arn| json!({ "arn": arn })).collect();
    answer(Page::new("securityProfileTargets", items, next))
}

/// ListSecurityProfilesForTarget: the profiles attached to a target; with
/// `recursive`, also those attached to the thing groups below it.
pub fn for_target(
    tx: &Transaction,
    env: &Env,
    target: Option<&str>,
    recursive: bool,
    next_token: Option<&str>,
    max_results: Option<i64>,
) -> Result<Value, ApiError> {
    let target = target.filter(|t| !t.is_empty()).ok_or_else(|| {
        ApiError::invalid(
            "1 validation error detected: Value null at 'securityProfileTargetArn' failed to satisfy constraint: Member must not be null",
        )
    })?;
    if !is_target_arn(env, target) {
        return Err(ApiError::invalid(format!(
            "securityProfileTargetArn {target:?} is not a thing group ARN or all/registered-things / all/unregistered-things"
        )));
    }
    let mut targets = vec![target.to_owned()];
    if let Some((_, group)) = env.own_arn(target).filter(|(kind, _)| *kind == thing_groups::KIND) {
        if !thing_groups::exists(tx, group)? {
            return Err(ApiError::not_found(format!("Thing Group {group} does not exist")));
        }
        if recursive {
            targets.extend(thing_groups::descendants(tx, group)?.iter().map(|g| env.arn(thing_groups::KIND, g)));
        }
    }
    let size = page_size(max_results)?;
    let after = decode_token(next_token)?;
    let mut mappings = Vec::new();
    for t in &targets {
        let profiles = store::targets::profiles_on(tx, t)?;
        mappings.extend(profiles.into_iter().map(|p| (format!("{p}\u{0}{t}"), p, t.clone())));
    }
    mappings.sort();
    let (mappings, next) = page(mappings, after.as_deref(), size, |(key, _, _)| key.as_str());
    let items: Vec<Value> = mappings
        .into_iter()
        .map(|(_, profile, target)| {
            json!({
                "securityProfileIdentifier": {"name": profile, "arn": env.arn("securityprofile", &profile)},
                "target": {"arn": target},
            })
        })
        .collect();
    answer(Page::new("securityProfileTargetMappings", items, next))
}
