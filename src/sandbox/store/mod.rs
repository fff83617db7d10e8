//! SQLite storage for the sandbox: a versioned schema migration, WAL with
//! synchronous=FULL (an acknowledged write survives kill -9 and power loss of
//! the process), and one IMMEDIATE transaction per request. All SQL lives
//! here, behind typed functions: this file holds the schema and the named
//! documents (profiles, dimensions, custom metrics, things, thing groups);
//! each other table has its own file.

pub mod alerts;
pub mod certificates;
pub mod device_reports;
pub mod groups;
pub mod mitigation;
pub mod series;
pub mod tags;
pub mod targets;
pub mod verdicts;

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::errors::ApiError;

/// The schema, one step per version; `user_version` records how far a file got.
const MIGRATIONS: &[&str] = &[
    // 1: profiles, tags, dimensions, custom metrics, targets.
    "CREATE TABLE profiles (
         name TEXT PRIMARY KEY,
         version INTEGER NOT NULL,
         doc TEXT NOT NULL
     );
     CREATE TABLE tags (
         arn TEXT NOT NULL,
         key TEXT NOT NULL,
         value TEXT,
         PRIMARY KEY (arn, key)
     );
     CREATE TABLE dimensions (
         name TEXT PRIMARY KEY,
         doc TEXT NOT NULL
     );
     CREATE TABLE custom_metrics (
         name TEXT PRIMARY KEY,
         doc TEXT NOT NULL
     );
     CREATE TABLE targets (
         profile TEXT NOT NULL,
         target_arn TEXT NOT NULL,
         PRIMARY KEY (profile, target_arn)
     );",
    // 2: facts about the file itself, such as the region whose resources it holds.
    "CREATE TABLE sandbox (
         key TEXT PRIMARY KEY,
         value TEXT NOT NULL
     );",
    // 3: things and thing groups, for targets that refer to something real.
    "CREATE TABLE thing_groups (
         name TEXT PRIMARY KEY,
         parent TEXT,
         doc TEXT NOT NULL
     );
     CREATE TABLE things (
         name TEXT PRIMARY KEY,
         doc TEXT NOT NULL
     );
     CREATE TABLE thing_group_members (
         thing_group TEXT NOT NULL,
         thing TEXT NOT NULL,
         PRIMARY KEY (thing_group, thing)
     );",
    // 4: look-ups by target and by parent; and a thing group for every group an
    // older sandbox let profiles attach to without one, so those attachments
    // can still be listed, detached and deleted with their group.
    "CREATE INDEX targets_by_target ON targets (target_arn);
     CREATE INDEX thing_groups_by_parent ON thing_groups (parent);
     INSERT OR IGNORE INTO thing_groups (name, parent, doc)
         SELECT DISTINCT substr(target_arn, instr(target_arn, ':thinggroup/') + 12), NULL,
             json_object(
                 'thingGroupName', substr(target_arn, instr(target_arn, ':thinggroup/') + 12),
                 'thingGroupId', lower(hex(randomblob(16))),
                 'thingGroupArn', target_arn,
                 'version', 1,
                 'thingGroupProperties', json_object(),
                 'thingGroupMetadata', json_object('rootToParentThingGroups', json_array(), 'creationDate', 0)
             )
         FROM targets WHERE instr(target_arn, ':thinggroup/') > 0;",
    // 5: metric data (one series per thing, metric and dimension; numbers in
    // their own column) and the verification state put on violations.
    "CREATE TABLE series (
         id INTEGER PRIMARY KEY,
         thing TEXT NOT NULL,
         metric TEXT NOT NULL,
         dimension TEXT NOT NULL DEFAULT '',
         operator TEXT NOT NULL DEFAULT '',
         UNIQUE (thing, metric, dimension, operator)
     );
     CREATE INDEX series_by_metric ON series (metric, dimension, operator);
     CREATE TABLE datapoints (
         series INTEGER NOT NULL,
         time INTEGER NOT NULL,
         version INTEGER NOT NULL,
         number REAL,
         is_number INTEGER NOT NULL DEFAULT 0,
         other TEXT,
         PRIMARY KEY (series, time)
     ) WITHOUT ROWID;
     CREATE TABLE verification_states (
         violation_id TEXT PRIMARY KEY,
         state TEXT NOT NULL,
         description TEXT
     );",
    // 6: violations a write ended (alarm-invalidated): the behavior as JSON,
    // the first and last violating values as MetricValue JSON, times in
    // epoch seconds.
    "CREATE TABLE invalidated_violations (
         violation_id TEXT PRIMARY KEY,
         profile TEXT NOT NULL,
         thing TEXT NOT NULL,
         behavior TEXT NOT NULL,
         started INTEGER NOT NULL,
         invalidated INTEGER NOT NULL,
         first_value TEXT NOT NULL,
         last_value TEXT NOT NULL,
         suppressed INTEGER NOT NULL
     );",
    // 7: device certificates (the description as JSON, the status in its own
    // column for the TLS listener's look-up), the principals attached to
    // things, and what each thing last reported over the Device Defender
    // topics (for the throttle and the duplicate report_id check).
    "CREATE TABLE certificates (
         id TEXT PRIMARY KEY,
         status TEXT NOT NULL,
         created REAL NOT NULL,
         doc TEXT NOT NULL
     );
     CREATE TABLE thing_principals (
         thing TEXT NOT NULL,
         principal TEXT NOT NULL,
         PRIMARY KEY (thing, principal)
     );
     CREATE INDEX thing_principals_by_principal ON thing_principals (principal);
     CREATE TABLE device_reports (
         thing TEXT NOT NULL,
         report_id INTEGER NOT NULL,
         received INTEGER NOT NULL,
         PRIMARY KEY (thing, report_id)
     );
     CREATE INDEX device_reports_by_time ON device_reports (thing, received);",
    // 8: the alerts sent to profiles' SNS alert targets (the message as JSON
    // text, its delivery beside it; times in epoch seconds), the time each
    // profile version began alerting, mitigation actions (the description as
    // JSON), Detect's mitigation tasks (the summary as JSON) and their
    // executions.
    "CREATE TABLE alerts (
         id INTEGER PRIMARY KEY,
         violation_id TEXT NOT NULL,
         event_type TEXT NOT NULL,
         topic_arn TEXT NOT NULL,
         role_arn TEXT NOT NULL,
         profile TEXT NOT NULL,
         behavior TEXT NOT NULL,
         thing TEXT NOT NULL,
         event_time INTEGER NOT NULL,
         created REAL NOT NULL,
         message TEXT NOT NULL,
         status TEXT NOT NULL,
         attempts INTEGER NOT NULL DEFAULT 0,
         next_attempt REAL,
         message_id TEXT,
         last_error TEXT,
         UNIQUE (violation_id, event_type, topic_arn)
     );
     CREATE INDEX alerts_by_status ON alerts (status, next_attempt);
     CREATE INDEX alerts_by_created ON alerts (created);
     CREATE INDEX alerts_by_violation ON alerts (violation_id);
     CREATE TABLE alerting_since (
         profile TEXT PRIMARY KEY,
         stamp TEXT NOT NULL,
         since REAL NOT NULL
     );
     CREATE TABLE mitigation_actions (
         name TEXT PRIMARY KEY,
         doc TEXT NOT NULL
     );
     CREATE TABLE mitigation_tasks (
         task_id TEXT PRIMARY KEY,
         token TEXT NOT NULL,
         started REAL NOT NULL,
         doc TEXT NOT NULL
     );
     CREATE TABLE mitigation_executions (
         task_id TEXT NOT NULL,
         violation_id TEXT NOT NULL,
         action_name TEXT NOT NULL,
         thing TEXT NOT NULL,
         started REAL NOT NULL,
         ended REAL,
         status TEXT NOT NULL,
         error_code TEXT,
         message TEXT,
         PRIMARY KEY (task_id, violation_id, action_name)
     );
     CREATE INDEX mitigation_executions_by_time ON mitigation_executions (started);",
];

/// The open database.
pub struct Store {
    conn: Connection,
}

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// Opening a file a newer ddsp wrote would fail every request with "no such table".
    #[error(
        "it was written by a newer ddsp (schema version {found}; this ddsp knows up to {known}); use that ddsp, or another --db"
    )]
    NewerSchema { found: i64, known: i64 },
    /// A region's file that records another region (renamed by hand).
    #[error("it holds the resources of {found}, not of {wanted}")]
    OtherRegion { found: String, wanted: String },
}

impl Store {
    /// Opens (creating if needed) the database at `path`, or a private in-memory one.
    ///
    /// Errors: SQLite's, or `NewerSchema` for a file whose schema is newer than
    /// this ddsp's migrations.
    pub fn open(path: Option<&Path>) -> Result<Store, StoreError> {
        let conn = match path {
            Some(p) => Connection::open(p)?,
            None => Connection::open_in_memory()?,
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        if path.is_some() {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // A fleet's reports write across thousands of series: a page
            // cache of up to 32 MiB (SQLite's default is 2 MiB; it grows only
            // as used) keeps their B-tree pages in hand, and reads map the
            // file instead of copying it.
            conn.pragma_update(None, "cache_size", -32_768)?;
            conn.pragma_update(None, "mmap_size", 268_435_456)?;
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let current: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let known = MIGRATIONS.len() as i64;
        if current > known {
            return Err(StoreError::NewerSchema { found: current, known });
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Exclusive)?;
        for (i, step) in MIGRATIONS.iter().enumerate() {
            let version = i as i64 + 1;
            if version > current {
                tx.execute_batch(step)?;
                tx.pragma_update(None, "user_version", version)?;
            }
        }
        Ok(tx.commit()?)
    }

    /// The region whose resources this file holds, recorded at its first use
    /// with a region (None for a file from before regions were kept apart).
    pub fn region(&self) -> Result<Option<String>, rusqlite::Error> {
        self.conn.query_row("SELECT value FROM sandbox WHERE key = 'region'", [], |r| r.get(0)).optional()
    }

    /// The region this file holds; a file that records none takes `region`.
    pub fn region_or_adopt(&self, region: &str) -> Result<String, rusqlite::Error> {
        if let Some(recorded) = self.region()? {
            return Ok(recorded);
        }
        self.conn.execute("INSERT INTO sandbox (key, value) VALUES ('region', ?1)", params![region])?;
        Ok(region.to_owned())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64, rusqlite::Error> {
        self.conn.pragma_query_value(None, "user_version", |r| r.get(0))
    }

    /// Runs `f` in one transaction, committed only when it succeeds. Writers take
    /// the write lock up front (IMMEDIATE); readers see one consistent snapshot.
    pub fn transaction<T>(
        &mut self,
        write: bool,
        f: impl FnOnce(&Transaction) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let behavior = if write { TransactionBehavior::Immediate } else { TransactionBehavior::Deferred };
        let tx = self.conn.transaction_with_behavior(behavior)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// A stored JSON document by key, from one of the keyed tables.
pub fn get_doc(tx: &Transaction, table: Table, name: &str) -> Result<Option<String>, ApiError> {
    let sql = format!("SELECT doc FROM {} WHERE name = ?1", table.name());
    Ok(tx.query_row(&sql, params![name], |r| r.get(0)).optional()?)
}

/// Every key of a table, in order, from `after` (exclusive) on, at most `limit`.
pub fn names_page(tx: &Transaction, table: Table, after: Option<&str>, limit: usize) -> Result<Vec<String>, ApiError> {
    let sql = format!("SELECT name FROM {} WHERE name > ?1 ORDER BY name LIMIT ?2", table.name());
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![after.unwrap_or(""), limit as i64], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One page of a table's names as a List* output: `{KEY: [...], nextToken}`.
pub fn list_names(
    tx: &Transaction,
    table: Table,
    next_token: Option<&str>,
    max_results: Option<i64>,
    key: &'static str,
) -> Result<serde_json::Value, ApiError> {
    let size = super::resource::page_size(max_results)?;
    let after = super::resource::decode_token(next_token)?;
    let names = names_page(tx, table, after.as_deref(), size + 1)?;
    let (names, next) = super::resource::page(names, None, size, |n| n.as_str());
    super::resource::answer(crate::wire::response::Page::new(key, names, next))
}

/// Removes every thing whose name starts with `prefix` (the demo fleet's),
/// with its group memberships, series and datapoints.
pub fn remove_things_named(tx: &Transaction, prefix: &str) -> Result<(), ApiError> {
    let like = format!("{}%", prefix.replace('%', "\\%").replace('_', "\\_"));
    tx.execute(
        "DELETE FROM datapoints WHERE series IN (SELECT id FROM series WHERE thing LIKE ?1 ESCAPE '\\')",
        params![like],
    )?;
    tx.execute("DELETE FROM series WHERE thing LIKE ?1 ESCAPE '\\'", params![like])?;
    tx.execute("DELETE FROM thing_group_members WHERE thing LIKE ?1 ESCAPE '\\'", params![like])?;
    tx.execute("DELETE FROM things WHERE name LIKE ?1 ESCAPE '\\'", params![like])?;
    Ok(())
}

/// A savepoint inside the transaction: what follows can be rolled back alone.
pub fn savepoint(tx: &Transaction) -> Result<(), ApiError> {
    tx.prepare_cached("SAVEPOINT part")?.execute([])?;
    Ok(())
}

/// Ends the savepoint, keeping (`keep`) or undoing what was written since.
pub fn end_savepoint(tx: &Transaction, keep: bool) -> Result<(), ApiError> {
    if !keep {
        tx.prepare_cached("ROLLBACK TO part")?.execute([])?;
    }
    tx.prepare_cached("RELEASE part")?.execute([])?;
    Ok(())
}

/// A stored document by key, read as its type.
pub fn get<T: serde::de::DeserializeOwned>(tx: &Transaction, table: Table, name: &str) -> Result<Option<T>, ApiError> {
    Ok(match get_doc(tx, table, name)? {
        Some(doc) => Some(serde_json::from_str(&doc)?),
        None => None,
    })
}

/// Stores a document under its key, replacing the one there. A profile's
/// version and a thing group's parent have columns of their own, set by
/// `put_profile` and `put_thing_group`.
pub fn put<T: serde::Serialize>(tx: &Transaction, table: Table, name: &str, doc: &T) -> Result<(), ApiError> {
    let sql = format!(
        "INSERT INTO {} (name, doc) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET doc = excluded.doc",
        table.name()
    );
    tx.execute(&sql, params![name, serde_json::to_string(doc)?])?;
    Ok(())
}

/// Stores a profile with its version.
pub fn put_profile(tx: &Transaction, p: &crate::wire::response::SecurityProfileDescription) -> Result<(), ApiError> {
    let name = p.security_profile_name.as_deref().unwrap_or_default();
    tx.execute(
        "INSERT INTO profiles (name, version, doc) VALUES (?1, ?2, ?3)
         ON CONFLICT(name) DO UPDATE SET version = excluded.version, doc = excluded.doc",
        params![name, p.version.unwrap_or(0), serde_json::to_string(p)?],
    )?;
    Ok(())
}

/// Removes the document of this key (none there: nothing to do).
pub fn remove(tx: &Transaction, table: Table, name: &str) -> Result<(), ApiError> {
    tx.execute(&format!("DELETE FROM {} WHERE name = ?1", table.name()), params![name])?;
    Ok(())
}

/// Every document of a table, in key order, read as its type.
pub fn all<T: serde::de::DeserializeOwned>(tx: &Transaction, table: Table) -> Result<Vec<T>, ApiError> {
    all_docs(tx, table)?.iter().map(|d| Ok(serde_json::from_str(d)?)).collect()
}

/// Every document of a table, in key order.
pub fn all_docs(tx: &Transaction, table: Table) -> Result<Vec<String>, ApiError> {
    let sql = format!("SELECT doc FROM {} ORDER BY name", table.name());
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The tables keyed by a resource name.
#[derive(Debug, Clone, Copy)]
pub enum Table {
    Profiles,
    Dimensions,
    CustomMetrics,
    ThingGroups,
    Things,
    MitigationActions,
}

impl Table {
    fn name(self) -> &'static str {
        match self {
            Table::Profiles => "profiles",
            Table::Dimensions => "dimensions",
            Table::CustomMetrics => "custom_metrics",
            Table::ThingGroups => "thing_groups",
            Table::Things => "things",
            Table::MitigationActions => "mitigation_actions",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_and_survive_reopening() {
        let dir = std::env::temp_dir().join(format!("ddsp-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.db");
        let _ = std::fs::remove_file(&path);
        {
            let mut s = Store::open(Some(&path)).unwrap();
            assert_eq!(s.schema_version().unwrap(), MIGRATIONS.len() as i64);
            s.transaction(true, |tx| {
                tx.execute("INSERT INTO profiles (name, version, doc) VALUES ('a', 1, '{}')", [])?;
                Ok(())
            })
            .unwrap();
        }
        let mut s = Store::open(Some(&path)).unwrap();
        let doc = s.transaction(true, |tx| get_doc(tx, Table::Profiles, "a")).unwrap();
        assert_eq!(doc.as_deref(), Some("{}"));
        let failed: Result<(), ApiError> = s.transaction(true, |tx| {
            tx.execute("INSERT INTO profiles (name, version, doc) VALUES ('b', 1, '{}')", [])?;
            Err(ApiError::invalid("no"))
        });
        assert!(failed.is_err());
        assert_eq!(s.transaction(true, |tx| get_doc(tx, Table::Profiles, "b")).unwrap(), None, "rolled back");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn groups_an_older_sandbox_let_profiles_attach_to_are_made_on_upgrade() {
        let dir = std::env::temp_dir().join(format!("ddsp-store-upgrade-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.db");
        let _ = std::fs::remove_file(&path);
        let conn = Connection::open(&path).unwrap();
        for step in &MIGRATIONS[..3] {
            conn.execute_batch(step).unwrap();
        }
        conn.pragma_update(None, "user_version", 3).unwrap();
        conn.execute(
            "INSERT INTO targets (profile, target_arn) VALUES ('P', 'arn:aws:iot:us-east-1:123456789012:thinggroup/Ghost')",
            [],
        )
        .unwrap();
        drop(conn);
        let mut s = Store::open(Some(&path)).unwrap();
        let doc = s.transaction(false, |tx| get_doc(tx, Table::ThingGroups, "Ghost")).unwrap().unwrap();
        let group: serde_json::Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(group["thingGroupArn"], "arn:aws:iot:us-east-1:123456789012:thinggroup/Ghost");
        assert_eq!(group["version"], 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_database_from_a_newer_ddsp_is_refused_at_open() {
        let dir = std::env::temp_dir().join(format!("ddsp-store-newer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("s.db");
        let _ = std::fs::remove_file(&path);
        drop(Store::open(Some(&path)).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", MIGRATIONS.len() as i64 + 1).unwrap();
        drop(conn);
        let Err(e) = Store::open(Some(&path)) else { panic!("opened a newer schema") };
        assert!(matches!(e, StoreError::NewerSchema { .. }), "{e}");
        let known = MIGRATIONS.len();
        let expected =
            format!("it was written by a newer ddsp (schema version {}; this ddsp knows up to {known})", known + 1);
        assert!(e.to_string().starts_with(&expected), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
