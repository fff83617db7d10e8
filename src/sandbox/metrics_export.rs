//! Metrics export, as Detect does it for device-side and custom metrics: a
//! profile whose `metricsExportConfig` names an `mqttTopic` and that watches
//! a thing gets, for each accepted report of that thing, one batch in the
//! documented export schema (Device Defender Developer Guide, "Metrics export
//! schema") holding the report's values of every metric the profile exports
//! (a behavior's or a retained metric's `exportMetric: true`). "Custom metrics
//! and device-side metrics are not aggregated" (metrics export page), so each
//! report's values go out as they came.
//!
//! Choices where the schema says only "number", named: `timestamp` is in
//! epoch milliseconds (as the reply documents' are), `version` is 1. The
//! sandbox publishes the batch itself: the profile's roleArn is not assumed.

use rusqlite::Transaction;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::resource::Env;
use crate::domain::metric_data::{MetricKey, Reported};
use crate::wire::metric_reports::Reading;
use crate::wire::response::SecurityProfileDescription;

/// One batch to publish: its topic and document.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub topic: String,
    pub document: Value,
}

/// The profiles that name an export topic.
///
/// Errors: the store's.
pub fn exporting(tx: &Transaction) -> Result<Vec<SecurityProfileDescription>, ApiError> {
    Ok(super::profiles::all(tx)?
        .into_iter()
        .filter(|p| p.metrics_export_config.as_ref().is_some_and(|c| !c.mqtt_topic.is_empty()))
        .collect())
}

/// The batches the readings of one accepted report of `thing` make, for the
/// `exporting` profiles.
///
/// Errors: the store's.
pub fn batches(
    tx: &Transaction,
    env: &Env,
    exporting: &[SecurityProfileDescription],
    thing: &str,
    readings: &[Reading],
) -> Result<Vec<Batch>, ApiError> {
    let mut out = Vec::new();
    for profile in exporting {
        let Some(config) = profile.metrics_export_config.as_ref() else { continue };
        let mut exported: Vec<&str> = profile
            .behaviors
            .iter()
            .flatten()
            .filter(|b| b.export_metric == Some(true))
            .filter_map(|b| b.metric.as_deref())
            .collect();
        exported.extend(
            profile
                .additional_metrics_to_retain_v2
                .iter()
                .flatten()
                .filter(|m| m.export_metric == Some(true))
                .map(|m| m.metric.as_str()),
        );
        let chosen: Vec<&Reading> = readings
            .iter()
            .filter(|r| r.key.dimension.is_none() && exported.contains(&r.key.metric.as_str()))
            .collect();
        if chosen.is_empty() {
            continue;
        }
        let name = profile.security_profile_name.as_deref().unwrap_or_default();
        if !super::violations::things_watched(tx, env, name)?.contains(thing) {
            continue;
        }
        let metrics = chosen
            .iter()
            .map(|r| entry(thing, &r.key, &r.value, 1, r.time))
            .collect::<Result<Vec<Value>, ApiError>>()?;
        out.push(Batch { topic: config.mqtt_topic.clone(), document: document(metrics) });
    }
    Ok(out)
}

/// One datapoint in the export schema: `{"name", "thing", "value",
/// "version", "timestamp"}` (epoch milliseconds), with `"dimension":
/// {"name", "operator"}` for a dimension-scoped series.
///
/// Errors: a value that does not write as a MetricValue.
fn entry(thing: &str, key: &MetricKey, value: &Reported, version: u64, time: i64) -> Result<Value, ApiError> {
    let mut e = json!({
        "name": key.metric,
        "thing": thing,
        "value": super::violations::metric_value(&key.metric, value)?,
        "version": version,
        "timestamp": time * 1000,
    });
    if let Some((name, operator)) = &key.dimension {
        e["dimension"] = json!({"name": name, "operator": operator});
    }
    Ok(e)
}

/// A batch document: `{"version": "1.0", "metrics": [...]}`.
fn document(metrics: Vec<Value>) -> Value {
    json!({"version": "1.0", "metrics": metrics})
}

/// Datapoints per document `export` writes: a series' run of them, as a
/// batch of one thing's metric (`ddsp sandbox export-metrics`).
pub const EXPORT_BATCH: usize = 288;

/// What `export` wrote.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    /// Documents handed over (one a line in a file).
    pub documents: usize,
    /// Datapoints in them.
    pub datapoints: usize,
    /// Series they came from (one thing's metric, with its dimension).
    pub series: usize,
}

/// Every datapoint kept with `from <= time < to`, as metrics-export
/// documents handed to `write` one by one: each holds up to
/// `EXPORT_BATCH` datapoints of one series, in time order, with the version
/// each was stored with. `ddsp sandbox ingest` and `ddsp backtest --metrics`
/// read them back as they were, and the Spark SQL `backtest --emit-sql`
/// writes reads them as Detect's own export.
///
/// Errors: the store's, or what `write` returns.
pub fn export(
    tx: &Transaction,
    from: i64,
    to: i64,
    write: &mut dyn FnMut(&Value) -> Result<(), ApiError>,
) -> Result<Exported, ApiError> {
    let mut done = Exported::default();
    let mut batch: Vec<Value> = Vec::new();
    let mut flush = |batch: &mut Vec<Value>, done: &mut Exported| -> Result<(), ApiError> {
        if !batch.is_empty() {
            write(&document(std::mem::take(batch)))?;
            done.documents += 1;
        }
        Ok(())
    };
    let mut last_series = None;
    super::store::series::each(tx, from, to, &mut |point| {
        if last_series != Some(point.series) || batch.len() == EXPORT_BATCH {
            flush(&mut batch, &mut done)?;
            if last_series != Some(point.series) {
                done.series += 1;
                last_series = Some(point.series);
            }
        }
        batch.push(entry(point.thing, point.key, &point.value, point.version, point.time)?);
        done.datapoints += 1;
        Ok(())
    })?;
    flush(&mut batch, &mut done)?;
    Ok(done)
}

#[cfg(test)]
mod export_tests {
    use super::*;
    use crate::sandbox::store::Store;
    use crate::sandbox::store::series::Writer;

    /// A time of this century: the reader takes a timestamp over 10^11 as milliseconds.
    const T: i64 = 1_800_000_000;

    #[test]
    fn every_datapoint_goes_out_once_with_its_dimension_and_version_in_batches_of_one_series() {
        let mut store = Store::open(None).unwrap();
        let sent = MetricKey {
            metric: "aws:num-messages-sent".into(),
            dimension: Some(("Telemetry".into(), "NOT_IN".into())),
        };
        let ports = MetricKey::plain("aws:listening-tcp-ports");
        let docs = store
            .transaction(true, |tx| {
                let mut w = Writer::new(tx);
                for i in 0..(EXPORT_BATCH as i64 + 2) {
                    let value = Reported::Number(i as f64);
                    w.write(&Reading {
                        thing: "a".into(),
                        key: sent.clone(),
                        time: T + 300 * i,
                        version: 3,
                        value,
                        as_number: false,
                    })?;
                }
                let value = Reported::Ports(vec![22, 4444]);
                w.write(&Reading {
                    thing: "b".into(),
                    key: ports.clone(),
                    time: T,
                    version: 0,
                    value,
                    as_number: false,
                })?;
                let mut docs = Vec::new();
                let done = export(tx, T, T + 300 * (EXPORT_BATCH as i64 + 1), &mut |d| {
                    docs.push(d.clone());
                    Ok(())
                })?;
                // `to` is left out: the last of a's datapoints is not exported.
                assert_eq!(done, Exported { documents: 3, datapoints: EXPORT_BATCH + 2, series: 2 });
                Ok(docs)
            })
            .unwrap();
        let sizes: Vec<usize> = docs.iter().map(|d| d["metrics"].as_array().unwrap().len()).collect();
        assert_eq!(sizes, [EXPORT_BATCH, 1, 1], "a series' run split at the batch size, then the next series");
        assert_eq!(
            docs[0]["metrics"][1],
            serde_json::json!({"name": "aws:num-messages-sent", "thing": "a", "value": {"count": 1},
                "version": 3, "timestamp": (T + 300) * 1000, "dimension": {"name": "Telemetry", "operator": "NOT_IN"}})
        );
        assert_eq!(docs[2]["metrics"][0]["value"], serde_json::json!({"ports": [22, 4444]}));
        assert!(docs[2]["metrics"][0].get("dimension").is_none());
        // What the export wrote reads back as the same readings.
        let text: String = docs.iter().map(|d| format!("{d}\n")).collect();
        let mut back = Vec::new();
        crate::wire::metric_reports::read_export_from(text.as_bytes(), |r| {
            back.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(back.len(), EXPORT_BATCH + 2);
        assert_eq!((back[0].key.clone(), back[0].version, back[0].time), (sent, 3, T));
    }
}
