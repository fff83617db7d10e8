//! alarm-invalidated (ViolationEvent's third violationEventType): a violation
//! in alarm when a write takes its behavior away from its thing ends there,
//! not by data. The writes: UpdateSecurityProfile (the behavior removed or
//! changed so that it no longer alarms), DeleteSecurityProfile,
//! DetachSecurityProfile, DeleteThingGroup and DeleteThing. The violation is
//! kept with its start, last value and the write's time, so that
//! ListViolationEvents shows its in-alarm and alarm-invalidated events after
//! the behavior or the target is gone, and ListActiveViolations drops it even
//! when a later attach brings the same data back into view.
//!
//! Assumption: the API reference names the event type but not what raises
//! it; a write that ends an alarm is the one cause no data can explain. A
//! behavior changed but still in alarm from the same start keeps its
//! violation (same id), as data would.

use std::collections::{HashMap, HashSet};

use rusqlite::{Transaction, params};
use serde_json::Value;

use super::errors::ApiError;
use super::profiles;
use super::resource::Env;
use super::violations::{Evaluated, evaluate_all, evaluate_behaviors, metric_value, things_watched, violation_id};
use crate::domain::profile::Behavior;
use crate::wire::response::SecurityProfileDescription;

/// A violation in alarm: what its alarm-invalidated event needs.
#[derive(Debug, Clone)]
pub struct InAlarm {
    pub id: String,
    pub profile: String,
    pub thing: String,
    pub behavior: Behavior,
    /// violationStartTime, epoch seconds.
    pub since: i64,
    /// The last violating value, as a MetricValue's JSON.
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

/// Which profiles' violations a write can end: the one it names, or any
/// (deleting a thing or a thing group changes what every profile watches).
#[derive(Debug, Clone)]
pub enum Reach {
    Profile(String),
    All,
}

impl Reach {
    fn profile(&self) -> Option<&str> {
        match self {
            Reach::Profile(name) => Some(name),
            Reach::All => None,
        }
    }
}

/// The violations in alarm now within `reach`, those already ended left out.
pub fn in_alarm(tx: &Transaction, env: &Env, reach: &Reach) -> Result<Vec<InAlarm>, ApiError> {
    alarms_of(tx, evaluate_all(tx, env, reach.profile(), None)?)
}

/// The active violations of evaluated behaviors, those already ended left out.
fn alarms_of(tx: &Transaction, evaluated: Vec<Evaluated>) -> Result<Vec<InAlarm>, ApiError> {
    let ended = ended_at(tx)?;
    let mut out = Vec::new();
    for e in evaluated {
        let metric = e.behavior.metric.clone().unwrap_or_default();
        for a in &e.active {
            let id = violation_id(&e.profile, &e.behavior.name, &a.thing, a.since);
            if ended.contains_key(&id) {
                continue;
            }
            out.push(InAlarm {
                id,
                profile: e.profile.clone(),
                thing: a.thing.clone(),
                behavior: e.behavior.clone(),
                since: a.since,
                last_value: metric_value(&metric, &a.last_value)?,
                suppressed: a.suppressed,
            });
        }
    }
    Ok(out)
}

/// After a write: each violation of `before` no longer in alarm is recorded
/// as invalidated at the write's time.
pub fn record_ended(tx: &Transaction, env: &Env, before: Vec<InAlarm>, reach: &Reach) -> Result<(), ApiError> {
    if before.is_empty() {
        return Ok(());
    }
    let still: Vec<InAlarm> = in_alarm(tx, env, reach)?;
    record(tx, env, before, &still)
}

/// After UpdateSecurityProfile, given the profile as it was: only the
/// behaviors removed or changed can have ended a violation, so only they are
/// evaluated, as they were and (by name) as they are; an update that leaves
/// the behaviors alone costs one read.
pub fn record_ended_by_update(tx: &Transaction, env: &Env, old: &SecurityProfileDescription) -> Result<(), ApiError> {
    let name = old.security_profile_name.as_deref().unwrap_or_default();
    let new = profiles::load(tx, name)?.and_then(|p| p.behaviors).unwrap_or_default();
    let changed: Vec<Behavior> = old.behaviors.iter().flatten().filter(|b| !new.contains(b)).cloned().collect();
    if changed.is_empty() {
        return Ok(());
    }
    let things = things_watched(tx, env, name)?;
    let before = alarms_of(tx, evaluate_behaviors(tx, env, name, &changed, &things, None)?)?;
    if before.is_empty() {
        return Ok(());
    }
    let renewed: Vec<Behavior> = new.into_iter().filter(|b| changed.iter().any(|c| c.name == b.name)).collect();
    let still = alarms_of(tx, evaluate_behaviors(tx, env, name, &renewed, &things, None)?)?;
    record(tx, env, before, &still)
}

/// Stores each violation of `before` that `still` does not hold, ended now.
fn record(tx: &Transaction, env: &Env, before: Vec<InAlarm>, still: &[InAlarm]) -> Result<(), ApiError> {
    let still: HashSet<&str> = still.iter().map(|a| a.id.as_str()).collect();
    let now = env.now.floor() as i64;
    for a in before.into_iter().filter(|a| !still.contains(a.id.as_str())) {
        tx.execute(
            "INSERT OR IGNORE INTO invalidated_violations
                 (violation_id, profile, thing, behavior, started, invalidated, last_value, suppressed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                a.id,
                a.profile,
                a.thing,
                serde_json::to_string(&a.behavior)?,
                a.since,
                now,
                a.last_value.to_string(),
                a.suppressed
            ],
        )?;
    }
    Ok(())
}

/// Each ended violation's id and the time it was invalidated.
pub fn ended_at(tx: &Transaction) -> Result<HashMap<String, i64>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT violation_id, invalidated FROM invalidated_violations")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The ended violations, narrowed to a profile and a thing when given.
pub fn all(tx: &Transaction, profile: Option<&str>, thing: Option<&str>) -> Result<Vec<Invalidated>, ApiError> {
    let mut stmt = tx.prepare_cached(
        "SELECT violation_id, profile, thing, behavior, started, invalidated, last_value, suppressed
         FROM invalidated_violations
         WHERE (?1 IS NULL OR profile = ?1) AND (?2 IS NULL OR thing = ?2)",
    )?;
    let rows = stmt.query_map(params![profile, thing], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, bool>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, profile, thing, behavior, since, at, last_value, suppressed) = row?;
        out.push(Invalidated {
            alarm: InAlarm {
                id,
                profile,
                thing,
                behavior: serde_json::from_str(&behavior)?,
                since,
                last_value: serde_json::from_str(&last_value)?,
                suppressed,
            },
            at,
        });
    }
    Ok(out)
}
