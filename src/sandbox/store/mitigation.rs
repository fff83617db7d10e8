//! The `mitigation_tasks` and `mitigation_executions` tables: Detect's
//! mitigation tasks (the summary as JSON, the client's token beside it) and
//! what each did to each violation's thing. Times in epoch seconds.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use crate::sandbox::errors::ApiError;

/// A task's summary (DetectMitigationActionsTaskSummary JSON) and the
/// clientRequestToken it was started with.
pub fn task(tx: &Transaction, id: &str) -> Result<Option<(String, String)>, ApiError> {
    Ok(tx
        .query_row("SELECT doc, token FROM mitigation_tasks WHERE task_id = ?1", params![id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Writes a task's summary.
pub fn put_task(tx: &Transaction, id: &str, token: &str, started: f64, doc: &str) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO mitigation_tasks (task_id, token, started, doc) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (task_id) DO UPDATE SET doc = excluded.doc",
        params![id, token, started, doc],
    )?;
    Ok(())
}

/// The summaries of the tasks started in [from, to], by start time then id.
pub fn tasks_between(tx: &Transaction, from: f64, to: f64) -> Result<Vec<(String, String)>, ApiError> {
    let mut stmt = tx.prepare_cached(
        "SELECT task_id, doc FROM mitigation_tasks WHERE started >= ?1 AND started <= ?2 ORDER BY started, task_id",
    )?;
    let rows = stmt.query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One execution: an action carried out (or not) on a violation's thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Execution {
    pub task_id: String,
    pub violation_id: String,
    pub action_name: String,
    pub thing: String,
    pub started: f64,
    pub ended: Option<f64>,
    /// DetectMitigationActionExecutionStatus.
    pub status: String,
    pub error_code: Option<String>,
    pub message: Option<String>,
}

fn read(r: &Row) -> rusqlite::Result<Execution> {
    Ok(Execution {
        task_id: r.get(0)?,
        violation_id: r.get(1)?,
        action_name: r.get(2)?,
        thing: r.get(3)?,
        started: r.get(4)?,
        ended: r.get(5)?,
        status: r.get(6)?,
        error_code: r.get(7)?,
        message: r.get(8)?,
    })
}

pub fn put_execution(tx: &Transaction, e: &Execution) -> Result<(), ApiError> {
    tx.execute(
        "INSERT OR REPLACE INTO mitigation_executions
             (task_id, violation_id, action_name, thing, started, ended, status, error_code, message)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            e.task_id,
            e.violation_id,
            e.action_name,
            e.thing,
            e.started,
            e.ended,
            e.status,
            e.error_code,
            e.message
        ],
    )?;
    Ok(())
}

/// Which executions `executions` answers.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    pub task_id: Option<&'a str>,
    /// Started within [from, to] (epoch seconds).
    pub between: Option<(f64, f64)>,
    pub thing: Option<&'a str>,
    pub violation_id: Option<&'a str>,
}

/// The executions that pass `f`, by start time, then task, violation and action.
pub fn executions(tx: &Transaction, f: &Filter<'_>) -> Result<Vec<Execution>, ApiError> {
    let (from, to) = f.between.unwrap_or((f64::MIN, f64::MAX));
    let mut stmt = tx.prepare_cached(
        "SELECT task_id, violation_id, action_name, thing, started, ended, status, error_code, message
         FROM mitigation_executions
         WHERE (?1 IS NULL OR task_id = ?1) AND started >= ?2 AND started <= ?3
           AND (?4 IS NULL OR thing = ?4) AND (?5 IS NULL OR violation_id = ?5)
         ORDER BY started, task_id, violation_id, action_name",
    )?;
    let rows = stmt.query_map(params![f.task_id, from, to, f.thing, f.violation_id], read)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
