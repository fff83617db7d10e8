//! The alerts Detect sends to a profile's SNS alert target: the message of
//! one violation event, and how many a profile would have sent over metric
//! data. Pure; the sandbox keeps and publishes them (`sandbox/alerts.rs`),
//! backtests and the confirm screen count them.
//!
//! The message is not in the Developer Guide. Its members, their order and
//! their units come from AWS's own samples, each named at its member below:
//! the Device Defender builders' session ("an example of a
//! `aws:num-messages-sent` message"), the IoT Security Workshop (Module 4,
//! Lab 3) and aws-samples/iot-device-defender-integration-with-securityhub
//! (`import_security_hub_detect.py`). The samples agree on every member they
//! share; where one has a member the others lack it is emitted only when it
//! has a value.

use std::collections::BTreeMap;

use serde::Serialize;

use super::backtest::BehaviorResult;
use super::profile::{Behavior, MetricValue};

/// One alert as published: the `Message` of the SNS notification, as JSON text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertMessage {
    /// Epoch **milliseconds** (both workshop samples: `1573786800000`,
    /// `1582745400000`), where the List* APIs answer seconds.
    pub violation_event_time: i64,
    /// Both samples.
    pub thing_name: String,
    /// The behavior as the profile holds it, criteria and all (both samples).
    pub behavior: Behavior,
    /// `in-alarm`, `alarm-cleared` or `alarm-invalidated` (both samples show
    /// `in-alarm`; the Security Hub sample reads the other two).
    pub violation_event_type: String,
    /// The value evaluated, as a MetricValue (both samples: `{"count": 54}`).
    pub metric_value: MetricValue,
    /// 32 hex digits, the violation's id in ListActiveViolations (both samples).
    pub violation_id: String,
    /// Both samples.
    pub security_profile_name: String,
    /// The verification state put on the violation, when one was
    /// (the Security Hub sample reads `verificationState` on alarm-invalidated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_state: Option<String>,
}

impl AlertMessage {
    /// The message as SNS carries it: compact JSON text.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// True when the behavior's events are sent to the alert targets:
/// "suppressed alarms wouldn't be forwarded for SNS notification"
/// (Developer Guide, Detect concepts, `suppressAlerts`).
pub fn alerts_sent(behavior: &Behavior) -> bool {
    behavior.suppress_alerts != Some(true)
}

/// How many messages one alert target would have received.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlertVolume {
    /// Every message: an in-alarm, and an alarm-cleared or alarm-invalidated
    /// for each alarm that ended.
    pub messages: usize,
    /// The UTC day (epoch seconds of its midnight) with the most, and how many.
    pub busiest_day: Option<(i64, usize)>,
}

/// The messages a profile's behaviors would have sent to each of its alert
/// targets, from a backtest's alarms (each target receives every message).
pub fn volume(behaviors: &[Behavior], results: &[BehaviorResult]) -> AlertVolume {
    let mut days: BTreeMap<i64, usize> = BTreeMap::new();
    for r in results {
        if !behaviors.iter().find(|b| b.name == r.name).is_some_and(alerts_sent) {
            continue;
        }
        for a in &r.alarms {
            for t in std::iter::once(a.start).chain(a.end) {
                *days.entry(t.div_euclid(86_400) * 86_400).or_default() += 1;
            }
        }
    }
    let messages = days.values().sum();
    // The earliest of equally busy days.
    let busiest_day = days.iter().fold(None, |best: Option<(i64, usize)>, (d, n)| match best {
        Some((_, m)) if m >= *n => best,
        _ => Some((*d, *n)),
    });
    AlertVolume { messages, busiest_day }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::backtest::Alarm;
    use crate::domain::metric_data::Reported;

    fn behavior(name: &str, suppress: Option<bool>) -> Behavior {
        Behavior { name: name.into(), suppress_alerts: suppress, ..Behavior::default() }
    }

    fn alarm(start: i64, end: Option<i64>) -> Alarm {
        Alarm { thing: "t".into(), start, value: Reported::Number(1.0), end }
    }

    #[test]
    fn suppressed_behaviors_send_nothing_and_each_end_is_a_message() {
        let behaviors = [behavior("a", None), behavior("b", Some(true)), behavior("c", Some(false))];
        let results = [
            BehaviorResult {
                name: "a".into(),
                alarms: vec![alarm(100, Some(400)), alarm(86_400 * 2 + 5, None)],
                not_evaluated: None,
            },
            BehaviorResult { name: "b".into(), alarms: vec![alarm(100, Some(200))], not_evaluated: None },
            BehaviorResult {
                name: "c".into(),
                alarms: vec![alarm(86_400 * 2 + 9, Some(86_400 * 3))],
                not_evaluated: None,
            },
        ];
        let v = volume(&behaviors, &results);
        assert_eq!(v.messages, 5);
        assert_eq!(v.busiest_day, Some((0, 2)), "the earliest of two days with two (days 0 and 2)");
        assert_eq!(volume(&behaviors, &[]), AlertVolume::default());
    }

    #[test]
    fn the_message_has_the_samples_members_in_their_order() {
        let m = AlertMessage {
            violation_event_time: 1_573_786_800_000,
            thing_name: "dev-IZWB".into(),
            behavior: behavior("MessagesPub", None),
            violation_event_type: "in-alarm".into(),
            metric_value: MetricValue { count: Some(54), ..MetricValue::default() },
            violation_id: "37e18651d207bbc74236c13faf146127".into(),
            security_profile_name: "MySecProfile".into(),
            verification_state: None,
        };
        let text = m.to_text();
        let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
            .unwrap()
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            keys,
            [
                "violationEventTime",
                "thingName",
                "behavior",
                "violationEventType",
                "metricValue",
                "violationId",
                "securityProfileName"
            ]
        );
    }
}
