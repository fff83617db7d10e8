//! The metric data things report: one series per thing, metric and
//! dimension (the `series` table), its datapoints with numbers in their own
//! column (`datapoints`). Device reports, `ddsp sandbox ingest` and the demo
//! fleet all write through `Writer`.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{OptionalExtension, Transaction, params};

use crate::domain::metric_data::{MetricData, MetricKey, Reported, Series};
use crate::domain::profile::MetricValue;
use crate::sandbox::errors::ApiError;
use crate::wire::metric_reports::Reading;

/// Writes readings in one transaction, remembering series ids.
pub struct Writer<'t> {
    tx: &'t Transaction<'t>,
    ids: HashMap<(String, MetricKey), i64>,
    /// The last series written: readings come in runs of one series, so most
    /// look-ups end here without building a key.
    last: Option<(String, MetricKey, i64)>,
    /// The datapoint upsert, prepared at the first write and held: looking
    /// it up in the statement cache for every datapoint cost a fifth of a
    /// write.
    upsert: Option<rusqlite::CachedStatement<'t>>,
    written: usize,
}

/// Keeps a datapoint: of two at the same time, the higher version wins.
const UPSERT: &str =
    "INSERT INTO datapoints (series, time, version, number, is_number, other) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (series, time) DO UPDATE SET version = excluded.version, number = excluded.number,
         is_number = excluded.is_number, other = excluded.other
     WHERE excluded.version >= datapoints.version";

impl<'t> Writer<'t> {
    pub fn new(tx: &'t Transaction<'t>) -> Writer<'t> {
        Writer { tx, ids: HashMap::new(), last: None, upsert: None, written: 0 }
    }

    fn series_id(&mut self, thing: &str, key: &MetricKey) -> Result<i64, ApiError> {
        if let Some((t, k, id)) = &self.last
            && t == thing
            && k == key
        {
            return Ok(*id);
        }
        let id = self.lookup(thing, key)?;
        self.last = Some((thing.to_owned(), key.clone(), id));
        Ok(id)
    }

    fn lookup(&mut self, thing: &str, key: &MetricKey) -> Result<i64, ApiError> {
        if let Some(id) = self.ids.get(&(thing.to_owned(), key.clone())) {
            return Ok(*id);
        }
        let (dimension, operator) = key.dimension.clone().unwrap_or_default();
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO series (thing, metric, dimension, operator) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![thing, key.metric, dimension, operator])?;
        let id: i64 = self
            .tx
            .prepare_cached(
                "SELECT id FROM series WHERE thing = ?1 AND metric = ?2 AND dimension = ?3 AND operator = ?4",
            )?
            .query_row(params![thing, key.metric, dimension, operator], |r| r.get(0))?;
        self.ids.insert((thing.to_owned(), key.clone()), id);
        Ok(id)
    }

    /// Keeps one reading; of two at the same time the higher version wins
    /// (the metrics-export rule), and of equal versions the later one.
    pub fn write(&mut self, r: &Reading) -> Result<(), ApiError> {
        let id = self.series_id(&r.thing, &r.key)?;
        let (number, other) = match &r.value {
            Reported::Number(n) => (Some(*n), None),
            v => (None, Some(serde_json::to_string(&v.to_metric_value(false))?)),
        };
        let upsert = match &mut self.upsert {
            Some(statement) => statement,
            None => self.upsert.insert(self.tx.prepare_cached(UPSERT)?),
        };
        upsert.execute(params![id, r.time, r.version as i64, number, r.as_number, other])?;
        self.written += 1;
        Ok(())
    }

    /// Forgets the series ids it knows: after a rollback they may name nothing,
    /// or be handed out again for other series.
    pub fn forget(&mut self) {
        self.ids.clear();
        self.last = None;
    }

    /// How many readings were written.
    pub fn written(&self) -> usize {
        self.written
    }
}

/// Every thing that reported anything.
pub fn things_with_data(tx: &Transaction) -> Result<BTreeSet<String>, ApiError> {
    let mut stmt = tx.prepare_cached("SELECT DISTINCT thing FROM series")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The series of `key` for `things` with `from <= time < to`, each thing
/// read by itself through the series' unique index, so a report's thing
/// costs its own rows, not the fleet's.
pub fn load(
    tx: &Transaction,
    key: &MetricKey,
    things: &BTreeSet<String>,
    from: i64,
    to: i64,
) -> Result<MetricData, ApiError> {
    let (dimension, operator) = key.dimension.clone().unwrap_or_default();
    let mut data = MetricData::default();
    let mut stmt = tx.prepare_cached(
        "SELECT s.thing, d.time, d.number, d.other FROM series s JOIN datapoints d ON d.series = s.id
         WHERE s.thing = ?6 AND s.metric = ?1 AND s.dimension = ?2 AND s.operator = ?3
           AND d.time >= ?4 AND d.time < ?5
         ORDER BY d.time",
    )?;
    for thing in things {
        read_series(stmt.query(params![key.metric, dimension, operator, from, to, thing])?, key, &mut data)?;
    }
    Ok(data)
}

/// One kept datapoint, as `each` hands it over, with its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point<'a> {
    /// The series' id: the same for every datapoint of one thing's metric.
    pub series: i64,
    /// The thing that reported it.
    pub thing: &'a str,
    /// Its metric, and dimension when the series is dimension-scoped.
    pub key: &'a MetricKey,
    /// Epoch seconds.
    pub time: i64,
    /// The version it was stored with (0 when none was given).
    pub version: u64,
    /// The value, as the evaluator reads it.
    pub value: Reported,
}

/// Hands every datapoint with `from <= time < to` to `f`: series by series in the order they were made, each in
/// time order. Reads as it goes (the primary keys' order, nothing sorted), so
/// memory stays flat however much is kept.
///
/// Errors: the store's, or what `f` returns.
pub fn each(
    tx: &Transaction,
    from: i64,
    to: i64,
    f: &mut dyn FnMut(Point<'_>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut stmt = tx.prepare_cached(
        "SELECT s.id, s.thing, s.metric, s.dimension, s.operator, d.time, d.version, d.number, d.other
         FROM series s JOIN datapoints d ON d.series = s.id
         WHERE d.time >= ?1 AND d.time < ?2 ORDER BY s.id, d.time",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    let mut current: Option<(i64, String, MetricKey)> = None;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        if current.as_ref().is_none_or(|(c, _, _)| *c != id) {
            let (dimension, operator): (String, String) = (row.get(3)?, row.get(4)?);
            let key =
                MetricKey { metric: row.get(2)?, dimension: (!dimension.is_empty()).then_some((dimension, operator)) };
            current = Some((id, row.get(1)?, key));
        }
        let Some((series, thing, key)) = current.as_ref() else { continue };
        let Some(value) = kept_value(row.get(7)?, row.get(8)?)? else { continue };
        let version: i64 = row.get(6)?;
        f(Point { series: *series, thing, key, time: row.get(5)?, version: version.max(0) as u64, value })?;
    }
    Ok(())
}

/// A datapoint's value from its columns: the number, else the MetricValue
/// document of a list (None when it has neither).
fn kept_value(number: Option<f64>, other: Option<String>) -> Result<Option<Reported>, ApiError> {
    Ok(match (number, other) {
        (Some(n), _) => Some(Reported::Number(n)),
        (None, Some(doc)) => {
            let v: MetricValue = serde_json::from_str(&doc)?;
            Some(Reported::from_metric_value(&v).unwrap_or(Reported::Numbers(Vec::new())))
        }
        (None, None) => None,
    })
}

/// Reads rows of (thing, time, number, other), ordered by thing then time,
/// into `data`'s series of `key`.
fn read_series(mut rows: rusqlite::Rows<'_>, key: &MetricKey, data: &mut MetricData) -> Result<(), ApiError> {
    let mut current: Option<Series> = None;
    while let Some(row) = rows.next()? {
        // The thing's name is read in place: it changes once a series, not once a row.
        let thing = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        if current.as_ref().is_none_or(|s| s.thing != thing) {
            if let Some(done) = current.take() {
                data.insert(key.clone(), done);
            }
            current = Some(Series { thing: thing.to_owned(), ..Series::default() });
        }
        let Some(s) = current.as_mut() else { continue };
        let time: i64 = row.get(1)?;
        let Some(value) = kept_value(row.get(2)?, row.get(3)?)? else { continue };
        s.times.push(time);
        match value {
            Reported::Number(n) if s.others.is_empty() => s.numbers.push(n),
            other => {
                // A series that turns out mixed keeps every value as it came.
                let numbers = std::mem::take(&mut s.numbers);
                s.others.extend(numbers.into_iter().map(Reported::Number));
                s.others.push(other);
            }
        }
    }
    if let Some(done) = current {
        data.insert(key.clone(), done);
    }
    Ok(())
}

/// How many datapoints `things` reported for `key` with `from <= time < to`,
/// and the first time among them.
pub fn count(
    tx: &Transaction,
    key: &MetricKey,
    things: &BTreeSet<String>,
    from: i64,
    to: i64,
) -> Result<(i64, Option<i64>), ApiError> {
    let (dimension, operator) = key.dimension.clone().unwrap_or_default();
    let mut stmt = tx.prepare_cached(
        "SELECT s.thing, COUNT(*), MIN(d.time) FROM series s JOIN datapoints d ON d.series = s.id
         WHERE s.metric = ?1 AND s.dimension = ?2 AND s.operator = ?3 AND d.time >= ?4 AND d.time < ?5
         GROUP BY s.thing",
    )?;
    let rows = stmt.query_map(params![key.metric, dimension, operator, from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
    })?;
    let (mut total, mut first) = (0, None::<i64>);
    for row in rows {
        let (thing, n, min) = row?;
        if things.contains(&thing) {
            total += n;
            first = Some(first.map_or(min, |f| f.min(min)));
        }
    }
    Ok((total, first))
}

/// The id of a thing's series of `key`, if it reported any.
pub fn id_of(tx: &Transaction, thing: &str, key: &MetricKey) -> Result<Option<i64>, ApiError> {
    let (dimension, operator) = key.dimension.clone().unwrap_or_default();
    Ok(tx
        .prepare_cached("SELECT id FROM series WHERE thing = ?1 AND metric = ?2 AND dimension = ?3 AND operator = ?4")?
        .query_row(params![thing, key.metric, dimension, operator], |r| r.get(0))
        .optional()?)
}

/// One stored datapoint: its time (epoch seconds), the number (if it is one)
/// and whether it was reported as one, or any other value as MetricValue JSON.
pub struct Stored {
    pub time: i64,
    pub number: Option<f64>,
    pub is_number: bool,
    pub other: Option<String>,
}

/// A series' datapoints with `from <= time < to`, oldest first, at most `limit`.
pub fn values(tx: &Transaction, series: i64, from: i64, to: i64, limit: usize) -> Result<Vec<Stored>, ApiError> {
    let mut stmt = tx.prepare_cached(
        "SELECT time, number, is_number, other FROM datapoints WHERE series = ?1 AND time >= ?2 AND time < ?3
         ORDER BY time LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![series, from, to, limit as i64], |r| {
        Ok(Stored { time: r.get(0)?, number: r.get(1)?, is_number: r.get(2)?, other: r.get(3)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::store::Store;

    #[test]
    fn things_read_their_own_series_and_no_other_metric() {
        let mut store = Store::open(None).unwrap();
        let key = MetricKey::plain("aws:num-messages-sent");
        let ports = MetricKey::plain("aws:listening-tcp-ports");
        store
            .transaction(true, |tx| {
                let mut w = Writer::new(tx);
                for (thing, n) in [("b", 3), ("a", 2), ("c", 4)] {
                    for t in 0..n {
                        let value = Reported::Number(f64::from(t));
                        w.write(&Reading {
                            thing: thing.into(),
                            key: key.clone(),
                            time: 300 * i64::from(t),
                            version: 0,
                            value,
                            as_number: true,
                        })?;
                    }
                    let value = Reported::Ports(vec![22]);
                    w.write(&Reading {
                        thing: thing.into(),
                        key: ports.clone(),
                        time: 0,
                        version: 0,
                        value,
                        as_number: false,
                    })?;
                }
                let every = BTreeSet::from(["a".to_owned(), "b".to_owned(), "c".to_owned()]);
                let all = load(tx, &key, &every, 0, 600)?;
                let named = load(tx, &key, &BTreeSet::from(["c".to_owned(), "a".to_owned(), "z".to_owned()]), 0, 600)?;
                let things = |d: &MetricData| {
                    d.series(&key).iter().map(|s| (s.thing.clone(), s.times.clone())).collect::<Vec<_>>()
                };
                assert_eq!(
                    things(&all),
                    [("a".into(), vec![0, 300]), ("b".into(), vec![0, 300]), ("c".into(), vec![0, 300])]
                );
                assert_eq!(things(&named), [("a".into(), vec![0, 300]), ("c".into(), vec![0, 300])]);
                assert!(named.series(&ports).is_empty(), "another metric's series is not read");
                Ok(())
            })
            .unwrap();
    }
}
