//! The `tags` table: each resource's tags, by ARN.

use rusqlite::{Transaction, params};

use crate::domain::profile::Tag;
use crate::sandbox::errors::ApiError;

/// The tags of a resource, in key order.
pub fn of(tx: &Transaction, arn: &str) -> Result<Vec<Tag>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT key, value FROM tags WHERE arn = ?1 ORDER BY key")?;
    let rows = stmt.query_map(params![arn], |r| Ok(Tag { key: r.get(0)?, value: r.get(1)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets a resource's tags to exactly `tags` (none: its tags are gone).
pub fn replace(tx: &Transaction, arn: &str, tags: Vec<Tag>) -> Result<(), ApiError> {
    tx.execute("DELETE FROM tags WHERE arn = ?1", params![arn])?;
    let mut stmt = tx.prepare_cached("INSERT INTO tags (arn, key, value) VALUES (?1, ?2, ?3)")?;
    for tag in tags {
        stmt.execute(params![arn, tag.key, tag.value])?;
    }
    Ok(())
}
