//! What the sandbox remembers about violations beyond the evaluation: the
//! ones that ended (`invalidated_violations`, kept 14 days, for
//! ListViolationEvents) and the verification state put on each
//! (`verification_states`).

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use crate::sandbox::errors::ApiError;

/// An ended violation as stored: the behavior and the values as JSON text.
pub struct Ended {
    pub id: String,
    pub profile: String,
    pub thing: String,
    /// The behavior, as JSON.
    pub behavior: String,
    /// When it started and when it ended (epoch seconds).
    pub started: i64,
    pub invalidated: i64,
    /// The first and last values, as JSON.
    pub first_value: String,
    pub last_value: String,
    pub suppressed: bool,
}

/// Forgets the violations that ended before `t` (epoch seconds).
pub fn forget_ended_before(tx: &Transaction, t: i64) -> Result<(), ApiError> {
    tx.execute("DELETE FROM invalidated_violations WHERE invalidated < ?1", params![t])?;
    Ok(())
}

/// Stores an ended violation (one already stored stays as it was).
pub fn insert_ended(tx: &Transaction, e: &Ended) -> Result<(), ApiError> {
    tx.execute(
        "INSERT OR IGNORE INTO invalidated_violations
             (violation_id, profile, thing, behavior, started, invalidated, first_value, last_value, suppressed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            e.id,
            e.profile,
            e.thing,
            e.behavior,
            e.started,
            e.invalidated,
            e.first_value,
            e.last_value,
            e.suppressed
        ],
    )?;
    Ok(())
}

/// Each ended violation's id and the time it ended.
pub fn ended_at(tx: &Transaction) -> Result<HashMap<String, i64>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT violation_id, invalidated FROM invalidated_violations")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The violations that ended at `from` or later, narrowed to a profile and a thing when given.
pub fn ended_since(
    tx: &Transaction,
    from: i64,
    profile: Option<&str>,
    thing: Option<&str>,
) -> Result<Vec<Ended>, ApiError> {
    let mut stmt = tx.prepare_cached(
        "SELECT violation_id, profile, thing, behavior, started, invalidated, first_value, last_value, suppressed
         FROM invalidated_violations
         WHERE invalidated >= ?1 AND (?2 IS NULL OR profile = ?2) AND (?3 IS NULL OR thing = ?3)",
    )?;
    let rows = stmt.query_map(params![from, profile, thing], |r| {
        Ok(Ended {
            id: r.get(0)?,
            profile: r.get(1)?,
            thing: r.get(2)?,
            behavior: r.get(3)?,
            started: r.get(4)?,
            invalidated: r.get(5)?,
            first_value: r.get(6)?,
            last_value: r.get(7)?,
            suppressed: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The verification state put on a violation, and its description, if any.
pub fn verification(tx: &Transaction, id: &str) -> Result<Option<(String, Option<String>)>, ApiError> {
    Ok(tx
        .prepare_cached("SELECT state, description FROM verification_states WHERE violation_id = ?1")?
        .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// Puts a verification state on a violation, replacing the one there.
pub fn put_verification(tx: &Transaction, id: &str, state: &str, description: Option<&str>) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO verification_states (violation_id, state, description) VALUES (?1, ?2, ?3)
         ON CONFLICT (violation_id) DO UPDATE SET state = excluded.state, description = excluded.description",
        params![id, state, description],
    )?;
    Ok(())
}
