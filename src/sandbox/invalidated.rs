//! alarm-invalidated (ViolationEvent's third violationEventType): a violation
//! in alarm when a write takes its behavior away from its thing ends there,
//! not by data. The writes: UpdateSecurityProfile (the behavior removed, or
//! changed so that its violation is gone), DeleteSecurityProfile,
//! DetachSecurityProfile, DeleteThingGroup and DeleteThing (the thing no
//! longer among those the profile watches). The violation is kept with its
//! start, first and last values and the write's time, for the 14 days
//! violations are kept, so that ListViolationEvents shows its in-alarm and
//! alarm-invalidated events after the behavior or the target is gone, and
//! ListActiveViolations drops it even when a later attach brings the same
//! data back into view.
//!
//! Assumption: the API reference names the event type but not what raises
//! it; a write that ends an alarm is the one cause no data can explain. The
//! other things a profile still watches keep their violations, even where a
//! statistical threshold moves because the fleet is smaller.

use std::collections::{BTreeSet, HashMap, HashSet};

use rusqlite::Transaction;
use serde_json::Value;

use super::errors::ApiError;
use super::profiles;
use super::resource::Env;
use super::store::verdicts;
use super::violations::{
    Evaluated, RETENTION_SECONDS, Watched, evaluate_behaviors, metric_value, things_watched, watched,
};
use crate::domain::evaluate::EventKind;
use crate::domain::profile::Behavior;
use crate::wire::response::SecurityProfileDescription;

/// A violation in alarm: what its in-alarm and alarm-invalidated events need.
#[derive(Debug, Clone)]
pub struct InAlarm {
    pub id: String,
    pub profile: String,
    pub thing: String,
    pub behavior: Behavior,
    /// violationStartTime, epoch seconds.
    pub since: i64,
    /// The in-alarm event's value and the last violating value, as MetricValue JSON.
    pub first_value: Value,
    pub last_value: Value,
    pub suppressed: bool,
}

/// A violation a write ended, as stored.
#[derive(Debug, Clone)]
pub struct Invalidated {
    pub alarm: InAlarm,
    /// The write's time, epoch seconds.
    pub at: i64,
}

/// Which profiles' watched things a write can change: the one it names, or
/// any (deleting a thing or a thing group changes what every profile watches).
#[derive(Debug, Clone)]
pub enum Reach {
    Profile(String),
    All,
}

/// True when the profile is attached to any target: one with none watches
/// nothing and has no violation to end, so its writes skip all of this.
pub fn has_targets(tx: &Transaction, profile: &str) -> Result<bool, ApiError> {
    super::store::targets::any_of_profile(tx, profile)
}

/// Before a write that may take things from profiles: each profile in reach
/// and the things it watches (reads only, nothing evaluated).
pub fn watched_before(tx: &Transaction, env: &Env, reach: &Reach) -> Result<Vec<Watched>, ApiError> {
    match reach {
        Reach::Profile(name) if !has_targets(tx, name)? => Ok(Vec::new()),
        Reach::Profile(name) => watched(tx, env, Some(name)),
        Reach::All => watched(tx, env, None),
    }
}

/// After it: for each profile gone or watching fewer things, its violations
/// in alarm on the things it lost, judged as the profile and its fleet were,
/// end now. Profiles that lost nothing are not evaluated.
pub fn record_lost(tx: &Transaction, env: &Env, before: Vec<Watched>) -> Result<(), ApiError> {
    for w in before {
        if w.things.is_empty() {
            continue;
        }
        let now_watched = things_watched(tx, env, w.name())?;
        let lost: BTreeSet<&String> = w.things.difference(&now_watched).collect();
        if lost.is_empty() {
            continue;
        }
        let behaviors = w.profile.behaviors.clone().unwrap_or_default();
        let evaluated = evaluate_behaviors(tx, env, &w.profile, &behaviors, &w.things, None)?;
        let ended: Vec<InAlarm> = alarms_of(tx, evaluated)?.into_iter().filter(|a| lost.contains(&a.thing)).collect();
        record(tx, env, ended, &HashSet::new())?;
    }
    Ok(())
}

/// After UpdateSecurityProfile, given the profile as it was: only the
/// behaviors removed or changed can have ended a violation, so only they are
/// evaluated, as they were and (by name) as they are now. A violation the
/// new criteria still have (in alarm, or cleared by data) is not ended. An
/// update that leaves the behaviors alone costs one read.
pub fn record_ended_by_update(tx: &Transaction, env: &Env, old: &SecurityProfileDescription) -> Result<(), ApiError> {
    let name = old.security_profile_name.as_deref().unwrap_or_default();
    let Some(current) = profiles::load(tx, name)? else { return Ok(()) };
    let new = current.behaviors.clone().unwrap_or_default();
    let changed: Vec<Behavior> = old.behaviors.iter().flatten().filter(|b| !new.contains(b)).cloned().collect();
    if changed.is_empty() {
        return Ok(());
    }
    let things = things_watched(tx, env, name)?;
    let before = alarms_of(tx, evaluate_behaviors(tx, env, old, &changed, &things, None)?)?;
    if before.is_empty() {
        return Ok(());
    }
    let renewed: Vec<Behavior> = new.into_iter().filter(|b| changed.iter().any(|c| c.name == b.name)).collect();
    let mut still = HashSet::new();
    for e in evaluate_behaviors(tx, env, &current, &renewed, &things, None)? {
        still.extend(e.events.iter().map(|x| e.id(&x.thing, x.since)));
    }
    record(tx, env, before, &still)
}

/// The active violations of evaluated behaviors, those already ended left out.
fn alarms_of(tx: &Transaction, evaluated: Vec<Evaluated>) -> Result<Vec<InAlarm>, ApiError> {
    let ended = ended_at(tx)?;
    let mut out = Vec::new();
    for e in evaluated {
        let metric = e.behavior.metric.clone().unwrap_or_default();
        for a in &e.active {
            let id = e.id(&a.thing, a.since);
            if ended.contains_key(&id) {
                continue;
            }
            let first = e
                .events
                .iter()
                .find(|x| x.kind == EventKind::InAlarm && *x.thing == *a.thing && x.since == a.since)
                .map_or(&a.last_value, |x| &x.value);
            out.push(InAlarm {
                id,
                profile: e.profile.clone(),
                thing: a.thing.clone(),
                behavior: e.behavior.clone(),
                since: a.since,
                first_value: metric_value(&metric, first)?,
                last_value: metric_value(&metric, &a.last_value)?,
                suppressed: a.suppressed,
            });
        }
    }
    Ok(out)
}

/// Stores each violation of `ended` whose id `still` does not hold, ended
/// now, and forgets those ended longer ago than violations are kept.
fn record(tx: &Transaction, env: &Env, ended: Vec<InAlarm>, still: &HashSet<String>) -> Result<(), ApiError> {
    let now = env.now.floor() as i64;
    verdicts::forget_ended_before(tx, now - RETENTION_SECONDS)?;
    for a in ended.into_iter().filter(|a| !still.contains(&a.id)) {
        let row = verdicts::Ended {
            behavior: serde_json::to_string(&a.behavior)?,
            first_value: a.first_value.to_string(),
            last_value: a.last_value.to_string(),
            id: a.id,
            profile: a.profile,
            thing: a.thing,
            started: a.since,
            invalidated: now,
            suppressed: a.suppressed,
        };
        verdicts::insert_ended(tx, &row)?;
    }
    Ok(())
}

/// Each ended violation's id and the time it was invalidated.
pub fn ended_at(tx: &Transaction) -> Result<HashMap<String, i64>, ApiError> {
    verdicts::ended_at(tx)
}

/// The violations ended within the 14 days kept, narrowed to a profile and a
/// thing when given.
pub fn all(
    tx: &Transaction,
    env: &Env,
    profile: Option<&str>,
    thing: Option<&str>,
) -> Result<Vec<Invalidated>, ApiError> {
    let kept_from = env.now.floor() as i64 - RETENTION_SECONDS;
    let mut out = Vec::new();
    for e in verdicts::ended_since(tx, kept_from, profile, thing)? {
        out.push(Invalidated {
            alarm: InAlarm {
                id: e.id,
                profile: e.profile,
                thing: e.thing,
                behavior: serde_json::from_str(&e.behavior)?,
                since: e.started,
                first_value: serde_json::from_str(&e.first_value)?,
                last_value: serde_json::from_str(&e.last_value)?,
                suppressed: e.suppressed,
            },
            at: e.invalidated,
        });
    }
    Ok(out)
}
