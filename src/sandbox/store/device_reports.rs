//! The `device_reports` table: the report_ids each thing sent over the Device
//! Defender topics and when they arrived, for the one-report-per-interval
//! throttle and the duplicate report_id check. Every statement is cached:
//! these run for each report of a fleet.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::sandbox::errors::ApiError;

/// When `thing`'s newest accepted report arrived (epoch seconds), if any.
pub fn last_received(tx: &Transaction, thing: &str) -> Result<Option<i64>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT MAX(received) FROM device_reports WHERE thing = ?1")?;
    Ok(stmt.query_row(params![thing], |r| r.get::<_, Option<i64>>(0)).optional()?.flatten())
}

/// True when `thing` already sent a report with this report_id.
pub fn seen(tx: &Transaction, thing: &str, report_id: i64) -> Result<bool, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT 1 FROM device_reports WHERE thing = ?1 AND report_id = ?2")?;
    Ok(stmt.exists(params![thing, report_id])?)
}

/// Records an accepted report, and forgets the thing's report_ids received
/// before `keep_since` (epoch seconds).
pub fn record(tx: &Transaction, thing: &str, report_id: i64, received: i64, keep_since: i64) -> Result<(), ApiError> {
    tx.prepare_cached("DELETE FROM device_reports WHERE thing = ?1 AND received < ?2")?
        .execute(params![thing, keep_since])?;
    tx.prepare_cached("INSERT OR REPLACE INTO device_reports (thing, report_id, received) VALUES (?1, ?2, ?3)")?
        .execute(params![thing, report_id, received])?;
    Ok(())
}
