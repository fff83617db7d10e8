//! The alerts Detect sends: for each in-alarm, alarm-cleared and
//! alarm-invalidated event of a behavior whose alerts are not suppressed,
//! one message per SNS alert target of the profile
//! (`domain::alerts::AlertMessage`). The sandbox finds them by sweeping the
//! evaluator's events (after each report, after each write that ends
//! violations, and every minute for the silences that end them), keeps every
//! one in the `alerts` table, and marks it for publishing when an SNS
//! endpoint is configured (`sns.rs` publishes). ListSandboxAlerts (the
//! sandbox's own `GET /sandbox/alerts`) lists them.
//!
//! Choices, where AWS is silent:
//! - A profile version alerts on the events from the moment the sandbox first
//!   sees it (created, updated, or the sandbox started on an older database):
//!   Detect evaluates data as it arrives, so nothing before a version existed
//!   was ever sent for it, while the sandbox can evaluate kept data anew.
//! - Deleting a behavior or a profile sends nothing: "Deleting a behavior
//!   stops all future violations and alerts for that behavior" (Device
//!   Defender troubleshooting guide). A thing leaving what a profile watches
//!   sends alarm-invalidated.
//! - An event is sent when a sweep finds it within an hour of its time
//!   (`LOOKBACK`): Detect evaluates data as it arrives, so history read anew
//!   (a thing newly watched, kept data evaluated again, `ddsp sandbox ingest`,
//!   a violation older than the 14 days read, which seems to start where
//!   the data does) sends nothing, while a report that arrives late, or a
//!   sweep a minute after an event, still alerts.
//! - After a report, only the reporting things' behaviors that judge each
//!   thing by itself are swept; a statistical threshold's events are found
//!   by the minute's sweep. Its percentile is drawn from every watched
//!   thing's data in a window, which is judged only once it has closed, so
//!   a report in the window still filling cannot raise one, and reading the
//!   whole fleet's 14 days after every report would make each report cost
//!   as much as the fleet.
//! - The same event is sent once per topic, whatever sweeps find it again.
//! - Alerts are kept 14 days, as violations are.
//! - A sweep never fails the write it follows: its error is logged, and
//!   what it wrote is undone (it runs under a savepoint).

use std::collections::BTreeSet;

use rusqlite::Transaction;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::invalidated;
use super::profiles;
use super::resource::{Env, answer};
use super::store::alerts::{self as stored, Alert, status};
use super::violations::{RETENTION_SECONDS, evaluate_behaviors, things_watched};
use crate::domain::alerts::{AlertMessage, alerts_sent};
use crate::domain::profile::Behavior;
use crate::wire::response::{Page, SecurityProfileDescription};

/// The alert target type Detect sends through (AlertTargetType's one value).
pub const SNS: &str = "SNS";

/// How old an event may be when a sweep finds it and still be sent (seconds).
pub const LOOKBACK: i64 = 3600;

/// Which events a sweep looks at.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every watched thing's (the minute's sweep).
    All,
    /// These things' (after their reports), of the behaviors that judge each
    /// thing by itself: fleet-wide ones wait for the minute's sweep.
    Things(&'a BTreeSet<String>),
    /// Only the violations writes ended (after such a write).
    Ended,
    /// As `Ended`, for one profile's write (its create, update or detach):
    /// only that profile is read, so a write costs the same however many
    /// profiles the store holds.
    EndedOf(&'a str),
}

/// As `sweep`, for a write it follows: under a savepoint, its error logged
/// (with what it wrote undone), never the write's. Answers how many were new.
pub fn sweep_after(tx: &Transaction, env: &Env, scope: Scope<'_>, publishing: bool) -> usize {
    let outcome = super::store::savepoint(tx).and_then(|()| {
        let swept = sweep(tx, env, scope, publishing);
        super::store::end_savepoint(tx, swept.is_ok())?;
        swept
    });
    outcome.unwrap_or_else(|e| {
        tracing::warn!(
            target: "ddsp::sandbox",
            "the alert sweep failed (alerts wait for the next): {}",
            crate::domain::untrusted::neutralise(&e.message)
        );
        0
    })
}

/// Finds the alerts not yet kept and keeps them: PENDING for publishing when
/// `publishing`, else KEPT. Answers how many were new.
///
/// Errors: the store's.
pub fn sweep(tx: &Transaction, env: &Env, scope: Scope<'_>, publishing: bool) -> Result<usize, ApiError> {
    stored::forget_before(tx, env.now - RETENTION_SECONDS as f64)?;
    let mut made = 0;
    let chosen = match scope {
        Scope::EndedOf(name) => profiles::load(tx, name)?.into_iter().collect(),
        _ => profiles::all(tx)?,
    };
    for profile in chosen {
        let targets: Vec<(String, String)> = profile
            .alert_targets
            .iter()
            .flatten()
            .filter(|(kind, _)| kind.as_str() == SNS)
            .map(|(_, t)| (t.alert_target_arn.clone(), t.role_arn.clone()))
            .collect();
        let behaviors: Vec<Behavior> = profile
            .behaviors
            .iter()
            .flatten()
            .filter(|b| alerts_sent(b))
            .filter(|b| !matches!(scope, Scope::Things(_)) || !b.is_fleet_wide())
            .cloned()
            .collect();
        if targets.is_empty() || behaviors.is_empty() {
            continue;
        }
        let name = profile.security_profile_name.clone().unwrap_or_default();
        let stamp = format!("{}/{}", profile.creation_date.unwrap_or_default(), profile.version.unwrap_or_default());
        // Whole seconds: events are timed in seconds. Nothing older than the lookback.
        let since = stored::alerting_since(tx, &name, &stamp, env.now)?.floor().max(env.now.floor() - LOOKBACK as f64);
        let sink = Sink { profile: &name, targets: &targets, since, now: env.now, publishing };
        if !matches!(scope, Scope::Ended | Scope::EndedOf(_)) {
            made += sweep_events(tx, env, &profile, &behaviors, scope, &sink)?;
        }
        // The ends writes made are swept by those writes (and the minute's sweep), not after reports.
        if matches!(scope, Scope::Things(_)) {
            continue;
        }
        for gone in invalidated::all(tx, env, Some(&name), None)? {
            let a = &gone.alarm;
            // A behavior removed sends nothing; one changed or still there sends
            // the event with the behavior as it was when its violation ended,
            // unless it suppressed alerts then.
            let still_there = behaviors.iter().any(|b| b.name == a.behavior.name);
            if !still_there || a.suppressed || !alerts_sent(&a.behavior) || (gone.at as f64) < since {
                continue;
            }
            // A value the store kept that no longer reads as a MetricValue is skipped, not fatal.
            let Ok(metric_value) = serde_json::from_value(a.last_value.clone()) else { continue };
            let message = AlertMessage {
                violation_event_time: gone.at * 1000,
                thing_name: a.thing.clone(),
                behavior: a.behavior.clone(),
                violation_event_type: "alarm-invalidated".into(),
                metric_value,
                violation_id: a.id.clone(),
                security_profile_name: name.clone(),
                verification_state: super::store::verdicts::verification(tx, &a.id)?.map(|s| s.0),
            };
            made += sink.keep(tx, &message, gone.at)?;
        }
    }
    Ok(made)
}

/// Where a profile's alerts go, and from when.
struct Sink<'a> {
    profile: &'a str,
    /// (topic ARN, role ARN) of each SNS alert target.
    targets: &'a [(String, String)],
    /// Epoch seconds: events before this are not sent.
    since: f64,
    now: f64,
    publishing: bool,
}

impl Sink<'_> {
    /// Keeps the message for each target; answers how many were new.
    fn keep(&self, tx: &Transaction, m: &AlertMessage, event_time: i64) -> Result<usize, ApiError> {
        let text = m.to_text();
        let mut made = 0;
        for (topic, role) in self.targets {
            let alert = Alert {
                id: 0,
                violation_id: m.violation_id.clone(),
                event_type: m.violation_event_type.clone(),
                topic_arn: topic.clone(),
                role_arn: role.clone(),
                profile: self.profile.to_owned(),
                behavior: m.behavior.name.clone(),
                thing: m.thing_name.clone(),
                event_time,
                created: self.now,
                message: text.clone(),
                status: if self.publishing { status::PENDING } else { status::KEPT }.to_owned(),
                attempts: 0,
                next_attempt: self.publishing.then_some(self.now),
                message_id: None,
                last_error: None,
            };
            made += usize::from(stored::insert(tx, &alert)?);
        }
        Ok(made)
    }
}

/// The evaluator's events of `behaviors` since the profile began alerting.
fn sweep_events(
    tx: &Transaction,
    env: &Env,
    profile: &SecurityProfileDescription,
    behaviors: &[Behavior],
    scope: Scope<'_>,
    sink: &Sink<'_>,
) -> Result<usize, ApiError> {
    let watched = things_watched(tx, env, sink.profile)?;
    let only = match scope {
        Scope::Things(t) => {
            if watched.is_disjoint(t) {
                return Ok(0);
            }
            Some(t)
        }
        _ => None,
    };
    if watched.is_empty() {
        return Ok(0);
    }
    let ended = invalidated::ended_at(tx)?;
    let mut made = 0;
    for e in evaluate_behaviors(tx, env, profile, behaviors, &watched, only)? {
        let metric = e.behavior.metric.clone().unwrap_or_default();
        for x in e.events.iter().filter(|x| x.time as f64 >= sink.since && !x.suppressed) {
            let id = e.id(&x.thing, x.since);
            if ended.get(&id).is_some_and(|at| x.time > *at) {
                // A write ended this violation; later data does not revive it.
                continue;
            }
            let message = AlertMessage {
                violation_event_time: x.time * 1000,
                thing_name: x.thing.to_string(),
                behavior: e.behavior.clone(),
                violation_event_type: x.kind.as_str().to_owned(),
                metric_value: x.value.to_metric_value(!metric.starts_with("aws:")),
                violation_id: id.clone(),
                security_profile_name: e.profile.clone(),
                verification_state: super::store::verdicts::verification(tx, &id)?.map(|s| s.0),
            };
            made += sink.keep(tx, &message, x.time)?;
        }
    }
    Ok(made)
}

/// One alert as ListSandboxAlerts and `ddsp sandbox alerts` show it.
pub fn alert_json(a: &Alert) -> Value {
    let mut delivery = json!({ "status": a.status, "attempts": a.attempts });
    if let Some(id) = &a.message_id {
        delivery["messageId"] = json!(id);
    }
    if let Some(e) = &a.last_error {
        delivery["lastError"] = json!(e);
    }
    if let Some(t) = a.next_attempt.filter(|_| a.status == status::PENDING) {
        delivery["nextAttempt"] = json!(t);
    }
    json!({
        "alertId": a.id,
        "topicArn": a.topic_arn,
        "roleArn": a.role_arn,
        "securityProfileName": a.profile,
        "behaviorName": a.behavior,
        "thingName": a.thing,
        "violationId": a.violation_id,
        "violationEventType": a.event_type,
        "violationEventTime": a.event_time,
        "createdAt": a.created,
        "message": serde_json::from_str::<Value>(&a.message).unwrap_or(Value::String(a.message.clone())),
        "delivery": delivery,
    })
}

/// The largest page ListSandboxAlerts answers.
pub const PAGE_MAX: usize = 1000;

/// ListSandboxAlerts: the alerts after `after` (an alertId; the next token is
/// the last one answered), oldest first, narrowed by topic, violation, thing
/// and profile.
///
/// Errors: InvalidRequestException for a maxResults outside 1–1000.
pub fn list(
    tx: &Transaction,
    filter: stored::Filter<'_>,
    token: Option<&str>,
    max: Option<i64>,
) -> Result<Value, ApiError> {
    let size = match max {
        None => 100,
        Some(n) if (1..=PAGE_MAX as i64).contains(&n) => n as usize,
        Some(n) => return Err(ApiError::invalid(format!("maxResults is {n}; use 1 to {PAGE_MAX}"))),
    };
    let after = token.and_then(|t| t.parse::<i64>().ok()).or(filter.after);
    let mut found = stored::list(tx, &stored::Filter { after, ..filter }, size + 1)?;
    let more = found.len() > size;
    found.truncate(size);
    let next = found.last().filter(|_| more).map(|last| last.id.to_string());
    answer(Page::new("alerts", found.iter().map(alert_json).collect(), next))
}
