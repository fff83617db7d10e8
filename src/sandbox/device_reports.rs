//! Device Defender's device-side metrics reports, as the service takes them
//! on `$aws/things/THING/defender/metrics/json` and `/cbor` (the MQTT
//! listeners) and on the sandbox's HTTP path: checked, stored as the thing's
//! datapoints at the time they arrive, and answered with the documented
//! reply document (Developer Guide, device-side metrics; detect-facts §2).
//!
//! A report is rejected, with `ErrorCode` `InvalidPayload` ("Malformed
//! metrics report", the one code AWS documents), when: it does not read (JSON
//! or CBOR, long or short names); it has no `header`, or neither `metrics`
//! nor `custom_metrics`; its `report_id` is not a positive integer; a member
//! the specification gives as an object is anything else; a custom metric is
//! not an array of one value, is not defined here, or has a value of the
//! wrong type; a value breaks the rules every datapoint follows
//! (`domain::rules::datapoint_fault`); or the thing name is over 128 bytes or
//! holds control characters.
//!
//! Choices where the documentation is silent, named:
//! - **Throttle.** "Devices are throttled to one metric report every 5
//!   minutes": a second report within `Devices::report_interval` seconds of
//!   the last accepted one is rejected with `ErrorCode` `Throttled` (the code
//!   is not documented; it is the name the rustot client gives this case),
//!   so that an agent waiting on `…/rejected` learns why.
//! - **Duplicates.** "Reports for a Thing with a previously used report ID
//!   will be assumed to be duplicates and discarded" (embedded-C SDK demo): a
//!   report_id the thing used in the last 14 days is not stored, and the
//!   reply is `rejected` with `InvalidPayload` and a message that says so.
//! - **Port 0.** "ports should be numbers greater than 0": a listening port
//!   of 0 is rejected.
//! - The reply carries `reportId`, which the embedded-C SDK and other
//!   clients read, beside the documented `thingName`, `status`,
//!   `statusDetails` and `timestamp` (epoch milliseconds).

use rusqlite::Transaction;
use serde_json::{Value, json};

use super::errors::ApiError;
use super::resource::Env;
use super::store::device_reports as store;
use crate::wire::metric_reports::{DeviceReport, Reading};

/// How long a thing's report_ids are remembered, for duplicates (seconds).
pub const REPORT_IDS_KEPT: i64 = 14 * 86_400;
/// The longest thing name a report may carry (bytes), as IoT's thing names.
pub const THING_NAME_MAX: usize = 128;

/// The encoding of a report: the last level of its topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Cbor,
}

impl Format {
    /// `json` or `cbor`, as the topic spells it.
    pub fn topic_level(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Cbor => "cbor",
        }
    }
}

/// What the service answers a report with, on `…/accepted` or `…/rejected`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub accepted: bool,
    /// The reply document.
    pub document: Value,
    /// The datapoints stored (0 for a rejected report).
    pub stored: usize,
    /// The metrics-export batches the report makes, to publish.
    pub exports: Vec<super::metrics_export::Batch>,
}

/// Why a report is rejected: the `ErrorCode` and the `ErrorMessage`.
struct Rejection {
    code: &'static str,
    message: String,
}

fn malformed(detail: impl std::fmt::Display) -> Rejection {
    Rejection { code: "InvalidPayload", message: format!("Malformed metrics report: {detail}") }
}

/// What reports are judged against, read once for a batch of them: the
/// custom metrics defined here and the profiles that export metrics.
pub struct Known {
    custom: std::collections::HashMap<String, crate::domain::metrics::MetricType>,
    exporting: Vec<crate::wire::response::SecurityProfileDescription>,
}

impl Known {
    /// Errors: the store's.
    pub fn load(tx: &Transaction) -> Result<Known, ApiError> {
        Ok(Known { custom: super::custom_metrics::types(tx)?, exporting: super::metrics_export::exporting(tx)? })
    }
}

/// Takes one report `thing` published in `format`, at `env.now`: stores its
/// datapoints and answers accepted, or stores nothing and answers rejected.
/// `interval` is the shortest time between two accepted reports of a thing
/// (seconds).
///
/// Errors: only the store's; every fault of the report is a rejected reply.
pub fn take(
    tx: &Transaction,
    env: &Env,
    (interval, known): (i64, &Known),
    thing: &str,
    format: Format,
    payload: &[u8],
) -> Result<Reply, ApiError> {
    let now = env.now.floor() as i64;
    let millis = (env.now * 1000.0).round() as i64;
    let parsed = match format {
        Format::Json => DeviceReport::from_json(payload),
        Format::Cbor => DeviceReport::from_cbor(payload),
    };
    // A report that does not read may still name its report_id, which
    // clients match replies by (the embedded-C SDK reads `reportId` in both).
    let report_id = match &parsed {
        Ok(r) => Some(r.header.report_id),
        Err(_) => loose_report_id(format, payload),
    };
    let outcome = match parsed {
        Err(e) => Err(malformed(e)),
        Ok(report) => store_report(tx, now, (interval, known), thing, report)?,
    };
    let mut document = json!({"thingName": thing});
    if let Some(id) = report_id {
        document["reportId"] = json!(id);
    }
    Ok(match outcome {
        Ok(readings) => {
            document["status"] = json!("ACCEPTED");
            document["timestamp"] = json!(millis);
            let exports = super::metrics_export::batches(tx, env, &known.exporting, thing, &readings)?;
            Reply { accepted: true, document, stored: readings.len(), exports }
        }
        Err(r) => {
            document["status"] = json!("REJECTED");
            document["statusDetails"] = json!({"ErrorCode": r.code, "ErrorMessage": r.message});
            document["timestamp"] = json!(millis);
            Reply { accepted: false, document, stored: 0, exports: Vec::new() }
        }
    })
}

fn store_report(
    tx: &Transaction,
    now: i64,
    (interval, known): (i64, &Known),
    thing: &str,
    report: DeviceReport,
) -> Result<Result<Vec<Reading>, Rejection>, ApiError> {
    if let Some(fault) = thing_name_fault(thing) {
        return Ok(Err(malformed(fault)));
    }
    let report_id = report.header.report_id;
    if report_id <= 0 {
        return Ok(Err(malformed(format!("report_id {report_id} is not a positive integer"))));
    }
    if !report.has_metrics() {
        return Ok(Err(malformed("the report has neither metrics nor custom_metrics; send at least one")));
    }
    if store::seen(tx, thing, report_id)? {
        return Ok(Err(Rejection {
            code: "InvalidPayload",
            message: format!(
                "Duplicate report: {thing} already sent report_id {report_id}; the report is discarded (use a new report_id for each report, such as the epoch time)"
            ),
        }));
    }
    if let Some(last) = store::last_received(tx, thing)?
        && now - last < interval
    {
        return Ok(Err(Rejection {
            code: "Throttled",
            message: format!(
                "Throttled: one report every {interval} seconds per thing; the last was accepted {} ago",
                seconds(now - last)
            ),
        }));
    }
    let readings = match report.readings(thing, now) {
        Ok(r) => r,
        Err(e) => return Ok(Err(malformed(e))),
    };
    for r in &readings {
        if let Some(fault) =
            crate::domain::rules::datapoint_fault(&r.thing, &r.key.metric, &r.value, |m| known.custom.get(m).copied())
        {
            return Ok(Err(malformed(fault)));
        }
    }
    let mut writer = super::store::series::Writer::new(tx);
    for r in &readings {
        writer.write(r)?;
    }
    store::record(tx, thing, report_id, now, now - REPORT_IDS_KEPT)?;
    Ok(Ok(readings))
}

/// `header.report_id` (or `hed.rid`) of a document that is not a report
/// but is JSON or CBOR with an integer there.
fn loose_report_id(format: Format, payload: &[u8]) -> Option<i64> {
    let doc: serde_json::Value = match format {
        Format::Json => serde_json::from_slice(payload).ok()?,
        Format::Cbor => ciborium::de::from_reader(payload).ok()?,
    };
    let header = doc.get("header").or_else(|| doc.get("hed"))?;
    header.get("report_id").or_else(|| header.get("rid"))?.as_i64()
}

/// `1 second`, `5 seconds`.
fn seconds(n: i64) -> String {
    if n == 1 { "1 second".to_owned() } else { format!("{n} seconds") }
}

/// Why a thing name cannot carry a report: empty, over 128 bytes, or with
/// control characters.
pub fn thing_name_fault(thing: &str) -> Option<String> {
    if thing.is_empty() {
        return Some("the thing name is empty".to_owned());
    }
    if thing.len() > THING_NAME_MAX {
        return Some(format!("the thing name is {} bytes; at most {THING_NAME_MAX}", thing.len()));
    }
    if thing.chars().any(char::is_control) {
        return Some("the thing name contains control characters".to_owned());
    }
    None
}

/// The HTTP path's answer: the accepted document, or InvalidRequestException
/// whose body is the rejected document.
pub fn over_http(tx: &Transaction, env: &Env, interval: i64, thing: &str, payload: &[u8]) -> Result<Value, ApiError> {
    let reply = take(tx, env, (interval, &Known::load(tx)?), thing, Format::Json, payload)?;
    if reply.accepted {
        return Ok(reply.document);
    }
    let message =
        reply.document["statusDetails"]["ErrorMessage"].as_str().unwrap_or("Malformed metrics report").to_owned();
    Err(ApiError::with_document(message, reply.document))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::sandbox::store::Store;

    fn env(now: f64) -> Env {
        Env { region: "us-east-1".into(), now }
    }

    /// Takes each (time, payload) in turn for thing `t`, 300 s apart at most
    /// once; answers the replies.
    fn replies(interval: i64, reports: &[(f64, &str)]) -> Vec<Value> {
        let mut store = Store::open(None).unwrap();
        reports
            .iter()
            .map(|(now, payload)| {
                store
                    .transaction(true, |tx| {
                        let known = Known::load(tx)?;
                        take(tx, &env(*now), (interval, &known), "t", Format::Json, payload.as_bytes())
                    })
                    .unwrap()
                    .document
            })
            .collect()
    }

    fn code(reply: &Value) -> &str {
        reply["statusDetails"]["ErrorCode"].as_str().unwrap_or("ACCEPTED")
    }

    const GOOD: &str = r#"{"header":{"report_id":1,"version":"1.0"},"metrics":{"network_stats":{"bytes_in":1}}}"#;
    const NEXT: &str = r#"{"header":{"report_id":2,"version":"1.0"},"metrics":{"network_stats":{"bytes_in":1}}}"#;

    #[test]
    fn the_throttle_and_duplicates_are_rejected_as_named() {
        let r = replies(300, &[(1000.0, GOOD), (1100.0, NEXT), (1400.0, GOOD), (1400.0, NEXT)]);
        assert_eq!(code(&r[0]), "ACCEPTED");
        assert_eq!(r[0]["reportId"], 1);
        assert_eq!(r[0]["timestamp"], 1_000_000, "milliseconds");
        assert_eq!(code(&r[1]), "Throttled", "{}", r[1]);
        assert_eq!(code(&r[2]), "InvalidPayload");
        assert!(r[2]["statusDetails"]["ErrorMessage"].as_str().unwrap().contains("Duplicate"));
        assert_eq!(code(&r[3]), "ACCEPTED", "300 s later, a new report_id");
    }

    #[test]
    fn reports_that_would_invent_or_break_datapoints_are_rejected() {
        for (payload, says) in [
            (r#"{"header":{"report_id":1,"version":"1.0"},"metrics":[1,2]}"#, "expected an object"),
            (r#"{"header":{"report_id":1,"version":"1.0"}}"#, "neither metrics nor custom_metrics"),
            (r#"{"header":{"report_id":0,"version":"1.0"},"metrics":{}}"#, "not a positive integer"),
            (
                r#"{"header":{"report_id":1,"version":"1.0"},"metrics":{"listening_tcp_ports":{"ports":[{"port":0}]}}}"#,
                "port 0",
            ),
            (
                r#"{"header":{"report_id":1,"version":"1.0"},"custom_metrics":{"temp":[{"number":1}]}}"#,
                "not defined here",
            ),
            (r#"{"header":{"report_id":9},"metrics":{}}"#, "missing field `version`"),
        ] {
            let r = &replies(0, &[(1000.0, payload)])[0];
            assert_eq!(r["status"], "REJECTED", "{payload}");
            let message = r["statusDetails"]["ErrorMessage"].as_str().unwrap();
            assert!(message.starts_with("Malformed metrics report") && message.contains(says), "{payload}: {message}");
        }
        let r = &replies(0, &[(1000.0, r#"{"header":{"report_id":9},"metrics":{}}"#)])[0];
        assert_eq!(r["reportId"], 9, "a report that does not read still names its report_id");
        assert_eq!(thing_name_fault(&"t".repeat(129)).unwrap(), "the thing name is 129 bytes; at most 128");
        assert!(thing_name_fault("a\u{7}b").is_some());
    }
}
