//! The `alerts` and `alerting_since` tables: every alert the sandbox sent (or
//! would send) to a profile's SNS alert target, one row per violation event
//! and topic, with its delivery; and when each profile version began alerting.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::sandbox::errors::ApiError;

/// What an alert's delivery has come to.
pub mod status {
    /// No SNS endpoint was configured: the alert is kept, not published.
    pub const KEPT: &str = "KEPT";
    /// Waiting for its first or next attempt.
    pub const PENDING: &str = "PENDING";
    /// SNS accepted it (its MessageId is kept).
    pub const DELIVERED: &str = "DELIVERED";
    /// Every attempt failed; the last error is kept.
    pub const FAILED: &str = "FAILED";
}

/// One alert as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Increasing: a follower asks for those after the last it saw.
    pub id: i64,
    pub violation_id: String,
    pub event_type: String,
    pub topic_arn: String,
    pub role_arn: String,
    pub profile: String,
    pub behavior: String,
    pub thing: String,
    /// The event's time, epoch seconds.
    pub event_time: i64,
    /// When the sandbox made it, epoch seconds.
    pub created: f64,
    /// The SNS message, JSON text (`domain::alerts::AlertMessage`).
    pub message: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt: Option<f64>,
    pub message_id: Option<String>,
    pub last_error: Option<String>,
}

const COLUMNS: &str = "id, violation_id, event_type, topic_arn, role_arn, profile, behavior, thing, event_time, \
                       created, message, status, attempts, next_attempt, message_id, last_error";

fn read(r: &Row) -> rusqlite::Result<Alert> {
    Ok(Alert {
        id: r.get(0)?,
        violation_id: r.get(1)?,
        event_type: r.get(2)?,
        topic_arn: r.get(3)?,
        role_arn: r.get(4)?,
        profile: r.get(5)?,
        behavior: r.get(6)?,
        thing: r.get(7)?,
        event_time: r.get(8)?,
        created: r.get(9)?,
        message: r.get(10)?,
        status: r.get(11)?,
        attempts: r.get(12)?,
        next_attempt: r.get(13)?,
        message_id: r.get(14)?,
        last_error: r.get(15)?,
    })
}

/// Keeps an alert unless one for the same violation event and topic is kept;
/// true when it was new. `id` is ignored (the table gives the next).
pub fn insert(tx: &Transaction, a: &Alert) -> Result<bool, ApiError> {
    let n = tx.execute(
        "INSERT OR IGNORE INTO alerts (violation_id, event_type, topic_arn, role_arn, profile, behavior, thing,
             event_time, created, message, status, attempts, next_attempt)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, ?12)",
        params![
            a.violation_id,
            a.event_type,
            a.topic_arn,
            a.role_arn,
            a.profile,
            a.behavior,
            a.thing,
            a.event_time,
            a.created,
            a.message,
            a.status,
            a.next_attempt
        ],
    )?;
    Ok(n == 1)
}

/// Which alerts `list` answers.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    /// Only those after this id.
    pub after: Option<i64>,
    pub topic_arn: Option<&'a str>,
    pub violation_id: Option<&'a str>,
    pub thing: Option<&'a str>,
    pub profile: Option<&'a str>,
}

/// Up to `limit` alerts in the order they were made.
pub fn list(tx: &Transaction, f: &Filter<'_>, limit: usize) -> Result<Vec<Alert>, ApiError> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alerts
         WHERE id > ?1 AND (?2 IS NULL OR topic_arn = ?2) AND (?3 IS NULL OR violation_id = ?3)
           AND (?4 IS NULL OR thing = ?4) AND (?5 IS NULL OR profile = ?5)
         ORDER BY id LIMIT ?6"
    ))?;
    let rows = stmt.query_map(
        params![f.after.unwrap_or(0), f.topic_arn, f.violation_id, f.thing, f.profile, limit as i64],
        read,
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How long a publisher holds the alerts it took before another may take them (seconds).
pub const LEASE: f64 = 120.0;

/// The alerts waiting to be published whose attempt is due at `now`, oldest
/// first; each is leased (its next attempt moved `LEASE` on), so an attempt
/// whose outcome is never recorded is tried again later, not at once.
pub fn due(tx: &Transaction, now: f64, limit: usize) -> Result<Vec<Alert>, ApiError> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM alerts WHERE status = ?1 AND next_attempt <= ?2 ORDER BY id LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![status::PENDING, now, limit as i64], read)?;
    let due: Vec<Alert> = rows.collect::<Result<_, _>>()?;
    let mut lease = tx.prepare_cached("UPDATE alerts SET next_attempt = ?2 WHERE id = ?1")?;
    for a in &due {
        lease.execute(params![a.id, now + LEASE])?;
    }
    Ok(due)
}

/// The soonest attempt still to come, if any alert is waiting.
pub fn next_due(tx: &Transaction) -> Result<Option<f64>, ApiError> {
    Ok(tx
        .query_row("SELECT min(next_attempt) FROM alerts WHERE status = ?1", params![status::PENDING], |r| r.get(0))
        .optional()?
        .flatten())
}

/// Records an attempt: published (with SNS's MessageId), failed for good, or
/// to try again at `next`.
pub fn record_attempt(tx: &Transaction, id: i64, outcome: Result<&str, (&str, Option<f64>)>) -> Result<(), ApiError> {
    match outcome {
        Ok(message_id) => tx.execute(
            "UPDATE alerts SET status = ?2, attempts = attempts + 1, message_id = ?3, next_attempt = NULL,
                 last_error = NULL WHERE id = ?1",
            params![id, status::DELIVERED, message_id],
        )?,
        Err((error, Some(next))) => tx.execute(
            "UPDATE alerts SET attempts = attempts + 1, last_error = ?2, next_attempt = ?3 WHERE id = ?1",
            params![id, error, next],
        )?,
        Err((error, None)) => tx.execute(
            "UPDATE alerts SET status = ?2, attempts = attempts + 1, last_error = ?3, next_attempt = NULL
             WHERE id = ?1",
            params![id, status::FAILED, error],
        )?,
    };
    Ok(())
}

/// Forgets the alerts made before `t` (epoch seconds).
pub fn forget_before(tx: &Transaction, t: f64) -> Result<(), ApiError> {
    tx.execute("DELETE FROM alerts WHERE created < ?1", params![t])?;
    Ok(())
}

/// When a version of `profile` began alerting: the time it was first seen,
/// which is `now` for a version not seen before. `stamp` names the version
/// (its creationDate and version, so a profile made again is new).
pub fn alerting_since(tx: &Transaction, profile: &str, stamp: &str, now: f64) -> Result<f64, ApiError> {
    let known: Option<(String, f64)> = tx
        .prepare_cached("SELECT stamp, since FROM alerting_since WHERE profile = ?1")?
        .query_row(params![profile], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match known {
        Some((v, since)) if v == stamp => Ok(since),
        _ => {
            tx.execute(
                "INSERT INTO alerting_since (profile, stamp, since) VALUES (?1, ?2, ?3)
                 ON CONFLICT (profile) DO UPDATE SET stamp = excluded.stamp, since = excluded.since",
                params![profile, stamp, now],
            )?;
            Ok(now)
        }
    }
}
