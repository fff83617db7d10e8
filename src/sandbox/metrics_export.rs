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
            .map(|r| {
                Ok(json!({
                    "name": r.key.metric,
                    "thing": thing,
                    "value": super::violations::metric_value(&r.key.metric, &r.value)?,
                    "version": 1,
                    "timestamp": r.time * 1000,
                }))
            })
            .collect::<Result<Vec<Value>, ApiError>>()?;
        out.push(Batch { topic: config.mqtt_topic.clone(), document: json!({"version": "1.0", "metrics": metrics}) });
    }
    Ok(out)
}
