//! The `certificates` and `thing_principals` tables: device certificates by
//! certificateId (the description as JSON, the status beside it), and which
//! principal (a certificate's ARN) is attached to which thing.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::sandbox::errors::ApiError;

/// A certificate's stored description (CertificateDescription JSON) and status.
pub fn get(tx: &Transaction, id: &str) -> Result<Option<String>, ApiError> {
    Ok(tx.query_row("SELECT doc FROM certificates WHERE id = ?1", params![id], |r| r.get(0)).optional()?)
}

/// Only the status of a certificate, for the TLS listener.
pub fn status(tx: &Transaction, id: &str) -> Result<Option<String>, ApiError> {
    Ok(tx.query_row("SELECT status FROM certificates WHERE id = ?1", params![id], |r| r.get(0)).optional()?)
}

/// Writes a certificate's description and status.
pub fn put(tx: &Transaction, id: &str, status: &str, created: f64, doc: &str) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO certificates (id, status, created, doc) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, doc = excluded.doc",
        params![id, status, created, doc],
    )?;
    Ok(())
}

pub fn remove(tx: &Transaction, id: &str) -> Result<(), ApiError> {
    tx.execute("DELETE FROM certificates WHERE id = ?1", params![id])?;
    Ok(())
}

/// Up to `limit` descriptions after the certificate `after` (by creation, then
/// id), oldest first when `ascending`, else newest first.
pub fn page(
    tx: &Transaction,
    after: Option<(f64, &str)>,
    ascending: bool,
    limit: usize,
) -> Result<Vec<String>, ApiError> {
    let sql = match (ascending, after.is_some()) {
        (true, false) => "SELECT doc FROM certificates ORDER BY created, id LIMIT ?3",
        (true, true) => "SELECT doc FROM certificates WHERE (created, id) > (?1, ?2) ORDER BY created, id LIMIT ?3",
        (false, false) => "SELECT doc FROM certificates ORDER BY created DESC, id DESC LIMIT ?3",
        (false, true) => {
            "SELECT doc FROM certificates WHERE (created, id) < (?1, ?2) ORDER BY created DESC, id DESC LIMIT ?3"
        }
    };
    let (t, id) = after.unwrap_or((0.0, ""));
    let mut stmt = tx.prepare_cached(sql)?;
    Ok(stmt.query_map(params![t, id, limit as i64], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// Attaches a principal to a thing (twice is once).
pub fn attach(tx: &Transaction, thing: &str, principal: &str) -> Result<(), ApiError> {
    tx.execute("INSERT OR IGNORE INTO thing_principals (thing, principal) VALUES (?1, ?2)", params![thing, principal])?;
    Ok(())
}

/// Detaches a principal from a thing; false when it was not attached.
pub fn detach(tx: &Transaction, thing: &str, principal: &str) -> Result<bool, ApiError> {
    Ok(tx.execute("DELETE FROM thing_principals WHERE thing = ?1 AND principal = ?2", params![thing, principal])? > 0)
}

/// The principals attached to a thing, in order, after `after`.
pub fn of_thing(tx: &Transaction, thing: &str, after: Option<&str>, limit: usize) -> Result<Vec<String>, ApiError> {
    let mut stmt = tx.prepare_cached(
        "SELECT principal FROM thing_principals WHERE thing = ?1 AND principal > ?2 ORDER BY principal LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![thing, after.unwrap_or(""), limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The things a principal is attached to.
pub fn things_of(tx: &Transaction, principal: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT thing FROM thing_principals WHERE principal = ?1 ORDER BY thing")?;
    Ok(stmt.query_map(params![principal], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// Forgets a deleted thing's principals.
pub fn forget_thing(tx: &Transaction, thing: &str) -> Result<(), ApiError> {
    tx.execute("DELETE FROM thing_principals WHERE thing = ?1", params![thing])?;
    Ok(())
}
