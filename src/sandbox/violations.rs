//! ListActiveViolations, ListViolationEvents, GetBehaviorModelTrainingSummaries
//! and PutVerificationStateOnViolation (shapes from the IoT model), computed
//! by the Detect evaluator (`domain::evaluate`) from the stored metric data
//! and the profiles attached to each thing's targets. Choices the docs leave
//! open, and their sources:
//!
//! - A profile watches the things its targets hold: every registered thing
//!   for `all/registered-things`, every thing that reported data without
//!   being registered for `all/unregistered-things`, a thing group's members
//!   and its descendants' members for `thinggroup/NAME`.
//! - Violations are kept 14 days, the one figure AWS gives ("available in
//!   violations history for up to 14 days", Device Defender troubleshooting
//!   guide; no source for the 30 days once assumed was found): data older than
//!   that is not evaluated.
//! - A violation's id is derived from the profile, behavior, thing and start
//!   time, so its two events and its active violation share it across calls.
//! - `listSuppressedAlerts`: absent lists every violation, `true` only those
//!   of behaviors that suppress alerts, `false` only the others. (Assumption:
//!   the API reference says only "a list of all suppressed alerts".)
//! - ML Detect behaviors are not evaluated (no model is imitated); their
//!   training status is derived from datapoint counts: a model needs 25,000
//!   datapoints over the trailing 14 days (Developer Guide, "ML Detect"), so
//!   it is PENDING_BUILD until then and ACTIVE after, refreshed daily.

use std::collections::BTreeSet;

use rusqlite::Transaction;
use serde::Deserialize;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::errors::refuse;
use super::invalidated;
use super::profiles;
use super::resource::{Env, answer, decode_token, page, page_size};
use super::thing_groups;
use crate::domain::evaluate::{Active, Event, evaluate_data_until};
use crate::domain::metric_data::{MetricData, MetricKey, Reported};
use crate::domain::profile::{Behavior, CriteriaKind};
use crate::domain::rules::{ViolationQuery, validate_verification, validate_violation_query};
use crate::wire::response::{Empty, Page, SecurityProfileDescription};

/// How long violations are kept: 14 days (Device Defender troubleshooting guide).
pub const RETENTION_SECONDS: i64 = 14 * 24 * 3600;
/// ML Detect's minimum training data (Developer Guide, "ML Detect").
pub const MODEL_DATAPOINTS: i64 = 25_000;
/// ...collected over this trailing period.
pub const MODEL_PERIOD_SECONDS: i64 = 14 * 24 * 3600;

/// A profile and the things its targets hold.
pub(super) struct Watched {
    pub profile: SecurityProfileDescription,
    pub things: BTreeSet<String>,
}

impl Watched {
    pub fn name(&self) -> &str {
        self.profile.security_profile_name.as_deref().unwrap_or_default()
    }
}

/// The things a target ARN holds.
fn things_of(tx: &Transaction, env: &Env, target: &str) -> Result<BTreeSet<String>, ApiError> {
    let registered =
        || -> Result<BTreeSet<String>, ApiError> { Ok(super::store::groups::thing_names(tx)?.into_iter().collect()) };
    Ok(match env.own_arn(target) {
        Some(("all", "registered-things")) => registered()?,
        Some(("all", "unregistered-things")) => {
            let known = registered()?;
            super::store::series::things_with_data(tx)?.into_iter().filter(|t| !known.contains(t)).collect()
        }
        Some((kind, group)) if kind == thing_groups::KIND => {
            let mut groups = thing_groups::descendants(tx, group)?;
            groups.push(group.to_owned());
            let mut out = BTreeSet::new();
            for g in groups {
                out.extend(super::store::groups::members(tx, &g)?);
            }
            out
        }
        _ => BTreeSet::new(),
    })
}

/// Every profile (or the one named) with the things it watches.
pub(super) fn watched(tx: &Transaction, env: &Env, only: Option<&str>) -> Result<Vec<Watched>, ApiError> {
    let mut out = Vec::new();
    let chosen = match only {
        // One profile read, not all: the writes that may end a violation ask for theirs.
        Some(name) => profiles::load(tx, name)?.into_iter().collect(),
        None => profiles::all(tx)?,
    };
    for profile in chosen {
        let things = things_watched(tx, env, profile.security_profile_name.as_deref().unwrap_or_default())?;
        out.push(Watched { profile, things });
    }
    Ok(out)
}

/// One evaluated behavior of one profile.
pub(super) struct Evaluated {
    pub profile: String,
    /// The profile's creationDate (epoch seconds), part of its violations' ids.
    pub created: i64,
    pub behavior: Behavior,
    pub events: Vec<Event>,
    pub active: Vec<Active>,
}

impl Evaluated {
    /// The id of this behavior's violation of `thing` that started at `since`.
    pub fn id(&self, thing: &str, since: i64) -> String {
        violation_id(&self.profile, self.created, &self.behavior.name, thing, since)
    }
}

/// Evaluates every behavior of the watched profiles over the kept data.
pub(super) fn evaluate_all(
    tx: &Transaction,
    env: &Env,
    profile: Option<&str>,
    thing: Option<&str>,
) -> Result<Vec<Evaluated>, ApiError> {
    let mut out = Vec::new();
    let only: Option<BTreeSet<String>> = thing.map(|t| BTreeSet::from([t.to_owned()]));
    for w in watched(tx, env, profile)? {
        let behaviors = w.profile.behaviors.clone().unwrap_or_default();
        out.extend(evaluate_behaviors(tx, env, &w.profile, &behaviors, &w.things, only.as_ref())?);
    }
    Ok(out)
}

/// The things the profile's targets hold now (targets only: the profile itself is not read; none once it is deleted).
pub(super) fn things_watched(tx: &Transaction, env: &Env, profile: &str) -> Result<BTreeSet<String>, ApiError> {
    let mut things = BTreeSet::new();
    for t in super::store::targets::of_profile(tx, profile)? {
        things.extend(things_of(tx, env, &t)?);
    }
    Ok(things)
}

/// Evaluates `behaviors` (of `profile`) over the kept data of `things`;
/// `only` narrows the events to some of them, not the data a statistical
/// threshold is drawn from.
pub(super) fn evaluate_behaviors(
    tx: &Transaction,
    env: &Env,
    profile: &SecurityProfileDescription,
    behaviors: &[Behavior],
    things: &BTreeSet<String>,
    only: Option<&BTreeSet<String>>,
) -> Result<Vec<Evaluated>, ApiError> {
    let now = env.now.floor() as i64;
    let mut out = Vec::new();
    // A statistical threshold needs the whole fleet, so for it a thingName
    // narrows the events, not the data.
    if things.is_empty() {
        return Ok(out);
    }
    // Only the things asked about, for a behavior that judges each thing by
    // itself: what a report changes is read at once, whatever the fleet's size.
    let alone: Option<BTreeSet<String>> = only.map(|o| things.intersection(o).cloned().collect());
    for b in behaviors {
        let Some(metric) = b.metric.as_deref() else { continue };
        let key = MetricKey::of_behavior(metric, b.metric_dimension.as_ref());
        // From a day boundary, so that no window starts half read.
        let from = (now - RETENTION_SECONDS).div_euclid(86_400) * 86_400;
        let fleet_wide = b.is_fleet_wide();
        let read = match &alone {
            Some(one) if !fleet_wide => one,
            _ => things,
        };
        if read.is_empty() {
            continue;
        }
        let data: MetricData = super::store::series::load(tx, &key, read, from, i64::MAX)?;
        // A window still filling is not judged yet.
        let mut e = evaluate_data_until(std::slice::from_ref(b), &data, Some(now));
        if let Some(o) = only {
            e.events.retain(|x| o.contains(&*x.thing));
            e.active.retain(|x| o.contains(&x.thing));
        }
        out.push(Evaluated {
            profile: profile.security_profile_name.clone().unwrap_or_default(),
            created: profile.creation_date.unwrap_or_default().floor() as i64,
            behavior: b.clone(),
            events: e.events,
            active: e.active,
        });
    }
    Ok(out)
}

/// The violation's id: 32 hex digits from its profile (name and creationDate,
/// so a profile deleted and made again starts with new violations), behavior,
/// thing and start.
pub fn violation_id(profile: &str, created: i64, behavior: &str, thing: &str, since: i64) -> String {
    // Two FNV-1a 64-bit hashes with different offsets; stable across runs and builds.
    let text = format!("{profile}\u{0}{created}\u{0}{behavior}\u{0}{thing}\u{0}{since}");
    let fnv = |offset: u64| text.bytes().fold(offset, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3));
    format!("{:016x}{:016x}", fnv(0xcbf2_9ce4_8422_2325), fnv(0x8422_2325_cbf2_9ce4))
}

pub(super) fn metric_value(metric: &str, v: &Reported) -> Result<Value, ApiError> {
    // Built-in metrics report counts; custom number metrics report numbers.
    Ok(serde_json::to_value(v.to_metric_value(!metric.starts_with("aws:")))?)
}

fn criteria_type(b: &Behavior) -> &'static str {
    match b.criteria.as_ref().map(|c| c.kind()) {
        Some(CriteriaKind::Statistical) => "STATISTICAL",
        Some(CriteriaKind::MlDetect) => "MACHINE_LEARNING",
        _ => "STATIC",
    }
}

/// Adds the verification state put on a violation, if any, to its item.
fn with_state(v: &mut Value, state: Option<(String, Option<String>)>) {
    if let Some((s, d)) = state {
        v["verificationState"] = json!(s);
        if let Some(d) = d {
            v["verificationStateDescription"] = json!(d);
        }
    }
}

/// The filters ListActiveViolations and ListViolationEvents share.
#[derive(Debug, Default)]
pub struct Filter<'a> {
    pub thing_name: Option<&'a str>,
    pub security_profile_name: Option<&'a str>,
    pub behavior_criteria_type: Option<&'a str>,
    pub list_suppressed_alerts: Option<bool>,
    pub verification_state: Option<&'a str>,
}

impl Filter<'_> {
    fn check(&self, window: (Option<i64>, Option<i64>), max_results: Option<i64>) -> Result<(), ApiError> {
        refuse(&validate_violation_query(&ViolationQuery {
            thing_name: self.thing_name,
            security_profile_name: self.security_profile_name,
            behavior_criteria_type: self.behavior_criteria_type,
            verification_state: self.verification_state,
            start_time: window.0,
            end_time: window.1,
            max_results,
            ..ViolationQuery::default()
        }))
    }

    fn keeps(&self, behavior: &Behavior, suppressed: bool, state: Option<&str>) -> bool {
        self.behavior_criteria_type.is_none_or(|t| t == criteria_type(behavior))
            && self.list_suppressed_alerts.is_none_or(|s| s == suppressed)
            && self.verification_state.is_none_or(|v| v == state.unwrap_or("UNKNOWN"))
    }
}

/// Puts a page's items and token into `{KEY: [...], nextToken}`.
fn paged(
    key: &'static str,
    items: Vec<(String, Value)>,
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    let size = page_size(max)?;
    let after = decode_token(token)?;
    let (items, next) = page(items, after.as_deref(), size, |(k, _)| k.as_str());
    answer(Page::new(key, items.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), next))
}

/// ListActiveViolations: the violations in alarm now.
pub fn list_active(
    tx: &Transaction,
    env: &Env,
    filter: Filter<'_>,
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    filter.check((None, None), max)?;
    let ended = invalidated::ended_at(tx)?;
    let mut items = Vec::new();
    for e in evaluate_all(tx, env, filter.security_profile_name, filter.thing_name)? {
        let metric = e.behavior.metric.clone().unwrap_or_default();
        for a in &e.active {
            let id = e.id(&a.thing, a.since);
            if ended.contains_key(&id) {
                // Ended by a write; data brought back into view does not revive it.
                continue;
            }
            let state = super::store::verdicts::verification(tx, &id)?;
            if !filter.keeps(&e.behavior, a.suppressed, state.as_ref().map(|s| s.0.as_str())) {
                continue;
            }
            let mut v = json!({
                "violationId": id,
                "thingName": a.thing,
                "securityProfileName": e.profile,
                "behavior": e.behavior,
                "lastViolationValue": metric_value(&metric, &a.last_value)?,
                "lastViolationTime": a.last_time,
                "violationStartTime": a.since,
            });
            with_state(&mut v, state);
            let key = format!("{}\u{0}{}\u{0}{}\u{0}{id}", e.profile, a.thing, e.behavior.name);
            items.push((key, v));
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    paged("activeViolations", items, token, max)
}

/// ListViolationEvents: the events between startTime and endTime (both required).
pub fn list_events(
    tx: &Transaction,
    env: &Env,
    (start, end): (Option<i64>, Option<i64>),
    filter: Filter<'_>,
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    let required = |name: &str| ApiError::invalid(format!("1 validation error detected: {name} must not be null"));
    let start = start.ok_or_else(|| required("startTime"))?;
    let end = end.ok_or_else(|| required("endTime"))?;
    filter.check((Some(start), Some(end)), max)?;
    let ended = invalidated::ended_at(tx)?;
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    for e in evaluate_all(tx, env, filter.security_profile_name, filter.thing_name)? {
        let metric = e.behavior.metric.clone().unwrap_or_default();
        // [startTime, endTime), as ListMetricValues reads data.
        for x in e.events.iter().filter(|x| x.time >= start && x.time < end) {
            let id = e.id(&x.thing, x.since);
            if ended.get(&id).is_some_and(|at| x.time > *at) {
                // After a write ended it, the violation has no more events.
                continue;
            }
            let state = super::store::verdicts::verification(tx, &id)?;
            if !filter.keeps(&e.behavior, x.suppressed, state.as_ref().map(|s| s.0.as_str())) {
                continue;
            }
            seen.insert((id.clone(), x.kind.as_str()));
            let mut v = json!({
                "violationId": id,
                "thingName": &*x.thing,
                "securityProfileName": e.profile,
                "behavior": e.behavior,
                "metricValue": metric_value(&metric, &x.value)?,
                "violationEventType": x.kind.as_str(),
                "violationEventTime": x.time,
            });
            with_state(&mut v, state);
            let key = format!(
                "{:020}\u{0}{}\u{0}{}\u{0}{}\u{0}{}\u{0}{id}",
                x.time,
                x.thing,
                e.profile,
                e.behavior.name,
                x.kind.as_str()
            );
            items.push((key, v));
        }
    }
    items.extend(ended_events(tx, env, &filter, (start, end), &seen)?);
    items.sort_by(|a, b| a.0.cmp(&b.0));
    paged("violationEvents", items, token, max)
}

/// The events of the violations writes ended, within [start, end) and not
/// already `seen` among the evaluator's: their in-alarm event (when the
/// behavior as it is now no longer gives it) and their alarm-invalidated
/// event, each with its sort key.
fn ended_events(
    tx: &Transaction,
    env: &Env,
    filter: &Filter<'_>,
    (start, end): (i64, i64),
    seen: &BTreeSet<(String, &str)>,
) -> Result<Vec<(String, Value)>, ApiError> {
    let mut items = Vec::new();
    for gone in invalidated::all(tx, env, filter.security_profile_name, filter.thing_name)? {
        let a = &gone.alarm;
        let state = super::store::verdicts::verification(tx, &a.id)?;
        if !filter.keeps(&a.behavior, a.suppressed, state.as_ref().map(|s| s.0.as_str())) {
            continue;
        }
        for (kind, time, value) in
            [("in-alarm", a.since, &a.first_value), ("alarm-invalidated", gone.at, &a.last_value)]
        {
            if time < start || time >= end || seen.contains(&(a.id.clone(), kind)) {
                continue;
            }
            let mut v = json!({
                "violationId": a.id,
                "thingName": a.thing,
                "securityProfileName": a.profile,
                "behavior": a.behavior,
                "metricValue": value,
                "violationEventType": kind,
                "violationEventTime": time,
            });
            with_state(&mut v, state.clone());
            let key =
                format!("{time:020}\u{0}{}\u{0}{}\u{0}{}\u{0}{kind}\u{0}{}", a.thing, a.profile, a.behavior.name, a.id);
            items.push((key, v));
        }
    }
    Ok(items)
}

/// GetBehaviorModelTrainingSummaries: each ML behavior's model status.
pub fn training_summaries(
    tx: &Transaction,
    env: &Env,
    profile: Option<&str>,
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    // TinyMaxResults in the model: 1–10.
    refuse(&validate_violation_query(&ViolationQuery {
        security_profile_name: profile,
        max_results: max,
        max_results_limit: 10,
        ..ViolationQuery::default()
    }))?;
    if let Some(p) = profile
        && profiles::all(tx)?.iter().all(|x| x.security_profile_name.as_deref() != Some(p))
    {
        return Err(ApiError::not_found(format!("The security profile {p} does not exist.")));
    }
    let now = env.now.floor() as i64;
    let mut items = Vec::new();
    for w in watched(tx, env, profile)? {
        for b in w.profile.behaviors.iter().flatten() {
            if b.criteria.as_ref().is_none_or(|c| c.kind() != CriteriaKind::MlDetect) {
                continue;
            }
            let Some(metric) = b.metric.as_deref() else { continue };
            let key = MetricKey::of_behavior(metric, b.metric_dimension.as_ref());
            let (count, first) =
                super::store::series::count(tx, &key, &w.things, now - MODEL_PERIOD_SECONDS, i64::MAX)?;
            let active = count >= MODEL_DATAPOINTS;
            let created = w.profile.creation_date.map_or(now, |d| d.floor() as i64);
            let mut v = json!({
                "securityProfileName": w.name(),
                "behaviorName": b.name,
                "trainingDataCollectionStartDate": first.unwrap_or(created),
                "modelStatus": if active { "ACTIVE" } else { "PENDING_BUILD" },
                "datapointsCollectionPercentage": (count as f64 * 100.0 / MODEL_DATAPOINTS as f64).min(100.0),
            });
            if active {
                // Models are rebuilt daily: the last refresh is the latest midnight UTC.
                v["lastModelRefreshDate"] = json!(now - now.rem_euclid(86_400));
            }
            items.push((format!("{}\u{0}{}", w.name(), b.name), v));
        }
    }
    let size = max.map_or(10, |n| n as usize);
    let after = decode_token(token)?;
    let (items, next) = page(items, after.as_deref(), size, |(k, _)| k.as_str());
    answer(Page::new("summaries", items.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), next))
}

/// The body of PutVerificationStateOnViolation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VerificationRequest {
    #[serde(default)]
    pub verification_state: Option<String>,
    #[serde(default)]
    pub verification_state_description: Option<String>,
}

/// PutVerificationStateOnViolation: keeps the state on a violation this
/// sandbox has computed (current or past, within the 14 days kept).
///
/// Errors: InvalidRequestException for a missing or unknown state, a
/// description over 1,000 characters, or a violation id not known here (the
/// operation has no ResourceNotFoundException in the model).
pub fn put_verification(tx: &Transaction, env: &Env, id: &str, req: VerificationRequest) -> Result<Value, ApiError> {
    refuse(&validate_verification(
        id,
        req.verification_state.as_deref(),
        req.verification_state_description.as_deref(),
    ))?;
    let state = req.verification_state.unwrap_or_default();
    let known = invalidated::ended_at(tx)?.contains_key(id)
        || evaluate_all(tx, env, None, None)?.iter().any(|e| e.events.iter().any(|x| e.id(&x.thing, x.since) == id));
    if !known {
        return Err(ApiError::invalid(format!(
            "Violation {} cannot be found",
            crate::domain::untrusted::neutralise(id)
        )));
    }
    super::store::verdicts::put_verification(tx, id, &state, req.verification_state_description.as_deref())?;
    answer(Empty {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn violation_ids_are_stable_and_distinct() {
        let a = violation_id("p", 1, "b", "t", 300);
        assert_eq!(a, violation_id("p", 1, "b", "t", 300));
        assert_ne!(a, violation_id("p", 1, "b", "t", 600));
        assert_ne!(a, violation_id("p", 2, "b", "t", 300), "a profile made again");
        assert_eq!(a.len(), 32);
    }
}
