//! `--demo-fleet N`: N things in the thing group `demo-fleet`, 14 days of
//! seeded datapoints every 5 minutes (as agents and Detect's cloud-side
//! aggregation report them), a few devices misbehaving, and a profile
//! `demo-fleet-watch` attached to the group, so a first-time user sees
//! violations, metric values and charts at once. The same N gives the same
//! data relative to the time it is seeded.
//!
//! The demo also has a thing group `quarantine`, which no profile watches,
//! and a mitigation action `quarantine` that moves a violation's thing there
//! (ADD_THINGS_TO_THING_GROUP), for trying a mitigation task.
//!
//! The fleet: messages sent follow a daily cycle around 40 per 5 minutes;
//! bytes out follow the messages. Misbehaving devices (about one in twelve,
//! at least four): a device that bursts to 300–340 messages per 5 minutes for
//! a few hours on some days, one that fails authorization in bursts, one that opens
//! port 4444 halfway through, and one that still sends too much at the end,
//! so it has an active violation.

use rusqlite::Transaction;
use serde_json::json;

use super::errors::ApiError;
use super::resource::Env;
use super::store::series::Writer;
use super::{profiles, targets, thing_groups, things};
use crate::domain::metric_data::{MetricKey, Reported};
use crate::wire::metric_reports::Reading;

pub const GROUP: &str = "demo-fleet";
pub const PROFILE: &str = "demo-fleet-watch";
/// The ML Detect profile, apart: the guide makes a profile either rules-based or ML Detect.
pub const MODEL_PROFILE: &str = "demo-fleet-model";
/// The thing group the demo's mitigation action moves things to, and the action's name.
pub const QUARANTINE: &str = "quarantine";
const STEP: i64 = 300;
const DAYS: i64 = 14;

/// What seeding made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFleet {
    pub things: usize,
    pub datapoints: usize,
    /// The misbehaving devices.
    pub misbehaving: Vec<String>,
    /// False when the profile was already there and was left as it was.
    pub profile_created: bool,
}

/// The name of the i-th device (from 1).
pub fn thing_name(i: usize) -> String {
    format!("demo-device-{i:03}")
}

/// The profile the demo attaches: rule, statistical and ML behaviors.
pub fn profile() -> serde_json::Value {
    json!({
        "securityProfileDescription": "Watches the demo fleet: message bursts, authorization failures, unexpected ports, bytes out",
        "behaviors": [
            {"name": "MessagesSent", "metric": "aws:num-messages-sent", "criteria": {
                "comparisonOperator": "less-than", "value": {"count": 100}, "durationSeconds": 300,
                "consecutiveDatapointsToAlarm": 2, "consecutiveDatapointsToClear": 2}},
            {"name": "AuthorizationFailures", "metric": "aws:num-authorization-failures", "criteria": {
                "comparisonOperator": "less-than", "value": {"count": 5}, "durationSeconds": 300,
                "consecutiveDatapointsToAlarm": 1, "consecutiveDatapointsToClear": 3}},
            {"name": "ListeningPorts", "metric": "aws:listening-tcp-ports", "criteria": {
                "comparisonOperator": "in-port-set", "value": {"ports": [22, 443, 8883]}}},
            {"name": "BytesOut", "metric": "aws:all-bytes-out", "criteria": {
                "comparisonOperator": "less-than", "statisticalThreshold": {"statistic": "p99"},
                "durationSeconds": 300, "consecutiveDatapointsToAlarm": 6, "consecutiveDatapointsToClear": 3}}
        ]
    })
}

/// The ML Detect profile the demo attaches beside the rules.
pub fn model_profile() -> serde_json::Value {
    json!({
        "securityProfileDescription": "ML Detect on the demo fleet's messages received",
        "behaviors": [
            {"name": "MessagesReceivedModel", "metric": "aws:num-messages-received",
             "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}}
        ]
    })
}

/// The largest demo fleet.
pub const MAX_THINGS: usize = 10_000;

/// Seeds `count` things (1–10,000) ending at `env.now`, replacing an earlier
/// demo fleet's things and data (the profiles, if edited, are kept).
///
/// Errors: InvalidRequestException for a count out of range; the store's errors.
/// About how many datapoints one device gets: 17,472 for a well-behaved one
/// (its metrics over 14 days of five-minute steps), a few more for a misbehaving one.
pub const DATAPOINTS_PER_THING: usize = 17_500;

/// About how many bytes a datapoint takes in the database file (measured:
/// 10,000 things, 174.7 M datapoints, 5.0 GB) and in memory (3.4 GB).
pub const BYTES_PER_DATAPOINT: (usize, usize) = (29, 20);

pub fn seed(tx: &Transaction, env: &Env, count: usize, progress: &mut dyn FnMut(usize)) -> Result<DemoFleet, ApiError> {
    if !(1..=MAX_THINGS).contains(&count) {
        return Err(ApiError::invalid(format!("--demo-fleet takes 1 to {MAX_THINGS} things, not {count}")));
    }
    super::store::remove_things_named(tx, "demo-device-")?;
    if !thing_groups::exists(tx, GROUP)? {
        thing_groups::create(tx, env, GROUP, serde_json::from_value(json!({}))?)?;
    }
    let names: Vec<String> = (1..=count).map(thing_name).collect();
    for name in &names {
        things::create(tx, env, name, serde_json::from_value(json!({}))?)?;
        thing_groups::add_thing(tx, env, serde_json::from_value(json!({"thingGroupName": GROUP, "thingName": name}))?)?;
    }
    if !thing_groups::exists(tx, QUARANTINE)? {
        thing_groups::create(tx, env, QUARANTINE, serde_json::from_value(json!({}))?)?;
    }
    if super::store::get_doc(tx, super::store::Table::MitigationActions, QUARANTINE)?.is_none() {
        let action = json!({
            "roleArn": format!("arn:{}:iam::{}:role/ddsp-demo-mitigation", env.partition(), super::resource::ACCOUNT),
            "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": [QUARANTINE]}},
        });
        super::mitigation::create(tx, env, QUARANTINE, serde_json::from_value(action)?)?;
    }
    let existing = profiles::all(tx)?;
    let missing = |name: &str| existing.iter().all(|p| p.security_profile_name.as_deref() != Some(name));
    let profile_created = missing(PROFILE);
    for (name, doc) in [(PROFILE, profile()), (MODEL_PROFILE, model_profile())] {
        if missing(name) {
            profiles::create(tx, env, name, serde_json::from_value(doc)?)?;
            targets::attach(tx, env, name, Some(&env.arn("thinggroup", GROUP)))?;
        }
    }
    // About one device in twelve misbehaves (at least four, so each way shows,
    // or half of a tiny fleet), spread evenly over the names.
    let bad_count = if count >= 8 { (count / 12).max(4) } else { count.div_ceil(2) };
    let step = count / bad_count;
    let bad: Vec<usize> = (0..bad_count).map(|k| k * step + step / 2).collect();
    let end = (env.now.floor() as i64).div_euclid(STEP) * STEP;
    let start = end - DAYS * 86_400;
    let mut writer = Writer::new(tx);
    for (i, name) in names.iter().enumerate() {
        let role = bad.iter().position(|b| *b == i).map(|k| k % 4);
        let mut rng = fastrand::Rng::with_seed(0x00dd_5eed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let device = Device { rng: &mut rng, role, start, end };
        device.write(name, &mut writer)?;
        progress(i + 1);
    }
    Ok(DemoFleet {
        things: count,
        datapoints: writer.written(),
        misbehaving: bad.iter().map(|i| names[*i].clone()).collect(),
        profile_created,
    })
}

/// One device's behavior over the period.
struct Device<'r> {
    rng: &'r mut fastrand::Rng,
    /// 0 bursts of messages, 1 authorization failures, 2 an extra port, 3 sends too much at the end.
    role: Option<usize>,
    start: i64,
    end: i64,
}

impl Device<'_> {
    fn write(self, thing: &str, w: &mut Writer<'_>) -> Result<(), ApiError> {
        let Device { rng, role, start, end } = self;
        let point = |metric: &str, time: i64, value: Reported| Reading {
            thing: thing.to_owned(),
            key: MetricKey::plain(metric),
            time,
            version: 0,
            value,
            as_number: false,
        };
        let base = 25.0 + rng.f64() * 20.0;
        // Burst days for the bursting device: three of the fourteen.
        let burst_days = [rng.i64(1..5), rng.i64(5..10), rng.i64(10..13)];
        let mut t = start + STEP;
        while t <= end {
            let day = (t - start) / 86_400;
            let hour = (t.rem_euclid(86_400)) as f64 / 3600.0;
            let cycle = 1.0 + 0.5 * ((hour - 14.0) / 24.0 * std::f64::consts::TAU).cos();
            let mut sent = (base * cycle + rng.f64() * 12.0 - 6.0).max(0.0).round();
            let in_burst = burst_days.contains(&day) && (9.0..12.0).contains(&hour);
            if role == Some(0) && in_burst {
                sent = (300.0 + rng.f64() * 40.0).round();
            }
            if role == Some(3) && end - t < 3 * 3600 {
                sent = (180.0 + rng.f64() * 60.0).round();
            }
            w.write(&point("aws:num-messages-sent", t, Reported::Number(sent)))?;
            let received = (sent * 0.6 + rng.f64() * 4.0).round();
            w.write(&point("aws:num-messages-received", t, Reported::Number(received)))?;
            let bytes = (sent * 900.0 * (0.8 + rng.f64() * 0.4)).round();
            let bytes = if role == Some(3) && end - t < 3 * 3600 { bytes * 6.0 } else { bytes };
            w.write(&point("aws:all-bytes-out", t, Reported::Number(bytes)))?;
            let failures = if role == Some(1) && burst_days.contains(&day) && (2.0..4.0).contains(&hour) {
                6.0 + rng.f64() * 20.0
            } else if rng.f64() < 0.01 {
                1.0
            } else {
                0.0
            };
            w.write(&point("aws:num-authorization-failures", t, Reported::Number(failures.round())))?;
            // Agents report ports with every report; every 15 minutes is enough to see them change.
            if t % 900 == 0 {
                let mut ports = vec![22, 443];
                if role == Some(2) && t > start + DAYS * 86_400 / 2 {
                    ports.push(4444);
                }
                w.write(&point("aws:listening-tcp-ports", t, Reported::Ports(ports)))?;
            }
            t += STEP;
        }
        Ok(())
    }
}
