//! The `targets` table: which profile is attached to which target ARN.

use rusqlite::{Transaction, params};

use crate::sandbox::errors::ApiError;

/// How many profiles other than `profile` are attached to `target`.
pub fn others_on(tx: &Transaction, target: &str, profile: &str) -> Result<i64, ApiError> {
    Ok(tx.query_row(
        "SELECT COUNT(*) FROM targets WHERE target_arn = ?1 AND profile != ?2",
        params![target, profile],
        |r| r.get(0),
    )?)
}

/// Attaches `profile` to `target` (attaching twice is one attachment).
pub fn attach(tx: &Transaction, profile: &str, target: &str) -> Result<(), ApiError> {
    tx.execute("INSERT OR IGNORE INTO targets (profile, target_arn) VALUES (?1, ?2)", params![profile, target])?;
    Ok(())
}

pub fn detach(tx: &Transaction, profile: &str, target: &str) -> Result<(), ApiError> {
    tx.execute("DELETE FROM targets WHERE profile = ?1 AND target_arn = ?2", params![profile, target])?;
    Ok(())
}

/// The targets of a profile, in ARN order.
pub fn of_profile(tx: &Transaction, profile: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT target_arn FROM targets WHERE profile = ?1 ORDER BY target_arn")?;
    Ok(stmt.query_map(params![profile], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// Whether a profile is attached to anything.
pub fn any_of_profile(tx: &Transaction, profile: &str) -> Result<bool, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT 1 FROM targets WHERE profile = ?1 LIMIT 1")?;
    Ok(stmt.exists(params![profile])?)
}

/// The profiles attached to a target, in name order.
pub fn profiles_on(tx: &Transaction, target: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT profile FROM targets WHERE target_arn = ?1 ORDER BY profile")?;
    Ok(stmt.query_map(params![target], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// A deleted profile's attachments go with it.
pub fn remove_profile(tx: &Transaction, profile: &str) -> Result<(), ApiError> {
    tx.execute("DELETE FROM targets WHERE profile = ?1", params![profile])?;
    Ok(())
}

/// A deleted target's attachments go with it.
pub fn remove_target(tx: &Transaction, target: &str) -> Result<(), ApiError> {
    tx.execute("DELETE FROM targets WHERE target_arn = ?1", params![target])?;
    Ok(())
}
