//! Thing groups beyond their documents: each group's parent (a column, for
//! the look-up of children) and the `thing_group_members` table.

use rusqlite::{OptionalExtension, Transaction, params};

use crate::sandbox::errors::ApiError;

/// Stores a new thing group's document under its name, with its parent.
pub fn insert<T: serde::Serialize>(
    tx: &Transaction,
    name: &str,
    parent: Option<&str>,
    doc: &T,
) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO thing_groups (name, parent, doc) VALUES (?1, ?2, ?3)",
        params![name, parent, serde_json::to_string(doc)?],
    )?;
    Ok(())
}

/// One child group of `name`, if it has any.
pub fn a_child_of(tx: &Transaction, name: &str) -> Result<Option<String>, ApiError> {
    Ok(tx
        .query_row("SELECT name FROM thing_groups WHERE parent = ?1 LIMIT 1", params![name], |r| r.get(0))
        .optional()?)
}

/// Every group's name, parent and document, in name order.
pub fn all_with_parents(tx: &Transaction) -> Result<Vec<(String, Option<String>, String)>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT name, parent, doc FROM thing_groups ORDER BY name")?;
    Ok(stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?)
}

/// Puts a thing in a group (twice is once).
pub fn add_member(tx: &Transaction, group: &str, thing: &str) -> Result<(), ApiError> {
    tx.execute(
        "INSERT OR IGNORE INTO thing_group_members (thing_group, thing) VALUES (?1, ?2)",
        params![group, thing],
    )?;
    Ok(())
}

/// The things directly in a group.
pub fn members(tx: &Transaction, group: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT thing FROM thing_group_members WHERE thing_group = ?1")?;
    Ok(stmt.query_map(params![group], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// A deleted group's memberships go with it.
pub fn remove_group_members(tx: &Transaction, group: &str) -> Result<(), ApiError> {
    tx.execute("DELETE FROM thing_group_members WHERE thing_group = ?1", params![group])?;
    Ok(())
}

/// A deleted thing leaves every group.
pub fn remove_thing_memberships(tx: &Transaction, thing: &str) -> Result<(), ApiError> {
    tx.execute("DELETE FROM thing_group_members WHERE thing = ?1", params![thing])?;
    Ok(())
}

/// Every registered thing's name.
pub fn thing_names(tx: &Transaction) -> Result<Vec<String>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT name FROM things")?;
    Ok(stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?)
}

/// The groups a thing is directly in, by name.
pub fn groups_of(tx: &Transaction, thing: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt =
        tx.prepare_cached("SELECT thing_group FROM thing_group_members WHERE thing = ?1 ORDER BY thing_group")?;
    Ok(stmt.query_map(params![thing], |r| r.get(0))?.collect::<Result<_, _>>()?)
}
