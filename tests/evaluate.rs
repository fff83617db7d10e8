//! The Detect evaluator's events, for any stream of datapoints: per thing and
//! behavior they alternate in-alarm / alarm-cleared starting with in-alarm,
//! and each comes after exactly the run of evaluations the datapoint counts ask.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::domain::evaluate::{Datapoint, EventKind, Reported, evaluate};
use ddsp::domain::profile::Behavior;
use proptest::prelude::*;
use serde_json::json;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn events_alternate_and_respect_the_datapoint_counts(
        values in proptest::collection::vec(0u32..200, 0..80),
        to_alarm in 1i64..=10,
        to_clear in 1i64..=10,
        bound in 0u32..200,
    ) {
        // message-byte-size takes no window: each datapoint is one evaluation.
        let b: Behavior = serde_json::from_value(json!({"name": "Size", "metric": "aws:message-byte-size",
            "criteria": {"comparisonOperator": "less-than", "value": {"count": bound},
                         "consecutiveDatapointsToAlarm": to_alarm, "consecutiveDatapointsToClear": to_clear}})).unwrap();
        let points: Vec<Datapoint> = values.iter().enumerate().map(|(i, v)| Datapoint {
            thing: "t".into(), metric: "aws:message-byte-size".into(), dimension: None, time: i as i64 * 300, value: Reported::Number(f64::from(*v)),
        }).collect();
        let violating: Vec<bool> = values.iter().map(|v| *v >= bound).collect();
        let events = evaluate(&[b], &points).events;
        // The events a plain reading of the counts gives, so a missing one fails too.
        let mut reference = Vec::new();
        let (mut in_alarm, mut run) = (false, 0i64);
        for (i, v) in violating.iter().enumerate() {
            run = if *v != in_alarm { run + 1 } else { 0 };
            if run >= if in_alarm { to_clear } else { to_alarm } {
                in_alarm = !in_alarm;
                run = 0;
                reference.push((i as i64 * 300, if in_alarm { EventKind::InAlarm } else { EventKind::AlarmCleared }));
            }
        }
        let got: Vec<(i64, EventKind)> = events.iter().map(|e| (e.time, e.kind)).collect();
        prop_assert_eq!(got, reference);
        let mut expected = EventKind::InAlarm;
        for e in &events {
            prop_assert_eq!(e.kind, expected);
            let at = (e.time / 300) as usize;
            let (run, want) = match e.kind {
                EventKind::InAlarm => (to_alarm as usize, true),
                EventKind::AlarmCleared => (to_clear as usize, false),
            };
            prop_assert!(at + 1 >= run, "an event before enough evaluations");
            prop_assert!(violating[at + 1 - run..=at].iter().all(|v| *v == want), "{:?} at {} without {} in a row", e.kind, at, run);
            expected = if e.kind == EventKind::InAlarm { EventKind::AlarmCleared } else { EventKind::InAlarm };
        }
    }
}
