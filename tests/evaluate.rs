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
                EventKind::AlarmInvalidated => {
                    prop_assert!(false, "no silence in a series every 5 minutes");
                    (0, false)
                }
            };
            prop_assert!(at + 1 >= run, "an event before enough evaluations");
            prop_assert!(violating[at + 1 - run..=at].iter().all(|v| *v == want), "{:?} at {} without {} in a row", e.kind, at, run);
            expected = if e.kind == EventKind::InAlarm { EventKind::AlarmCleared } else { EventKind::InAlarm };
        }
    }
}

/// The evaluator's documented rules, each from the sentence it comes from.
mod documented {
    use ddsp::domain::evaluate::{Datapoint, EventKind, NEGATIVE_PERCENTILE, Reported, evaluate, evaluate_data_until};
    use ddsp::domain::metric_data::{Builder, MetricKey};
    use ddsp::domain::profile::Behavior;

    fn behavior(json: &str) -> Behavior {
        serde_json::from_str(json).unwrap()
    }

    fn point(thing: &str, metric: &str, time: i64, value: Reported) -> Datapoint {
        Datapoint { thing: thing.into(), metric: metric.into(), dimension: None, time, value }
    }

    const PORTS: &str = r#"{"name":"ports","metric":"aws:listening-tcp-ports",
        "criteria":{"comparisonOperator":"in-port-set","value":{"ports":[443]}}}"#;

    /// "If the device doesn't publish any metrics for more than two days, the
    /// violation event is set to alarm-invalidated automatically."
    #[test]
    fn two_days_of_silence_invalidate_a_violation() {
        let b = behavior(PORTS);
        let day = 86_400;
        let points = [
            point("t", "aws:listening-tcp-ports", 0, Reported::Ports(vec![22])),
            point("t", "aws:listening-tcp-ports", 3 * day, Reported::Ports(vec![22])),
        ];
        let kinds: Vec<(EventKind, i64)> =
            evaluate(std::slice::from_ref(&b), &points).events.iter().map(|e| (e.kind, e.time)).collect();
        assert_eq!(
            kinds,
            [(EventKind::InAlarm, 0), (EventKind::AlarmInvalidated, 2 * day), (EventKind::InAlarm, 3 * day)],
            "invalidated two days after the last report; the next violation starts afresh"
        );
        // Any metric ends the silence: a report of another metric on day 1.
        let mut b2 = Builder::default();
        for p in &points {
            b2.push(&p.thing, MetricKey::plain(&p.metric), p.time, 0, p.value.clone());
        }
        b2.push("t", MetricKey::plain("aws:all-bytes-in"), day, 0, Reported::Number(1.0));
        let e = evaluate_data_until(std::slice::from_ref(&b), &b2.finish(), None);
        assert!(e.events.iter().all(|e| e.kind != EventKind::AlarmInvalidated), "{:?}", e.events);
        // Silence up to the horizon: only when one is given.
        let one = [point("t", "aws:listening-tcp-ports", 0, Reported::Ports(vec![22]))];
        let mut b3 = Builder::default();
        b3.push("t", MetricKey::plain("aws:listening-tcp-ports"), 0, 0, Reported::Ports(vec![22]));
        let data = b3.finish();
        assert_eq!(
            evaluate(std::slice::from_ref(&b), &one).active.len(),
            1,
            "a backtest does not judge after the data"
        );
        let e = evaluate_data_until(std::slice::from_ref(&b), &data, Some(3 * day));
        assert!(e.active.is_empty(), "invalidated by now");
        assert_eq!(e.events.last().map(|e| (e.kind, e.time)), Some((EventKind::AlarmInvalidated, 2 * day)));
        let e = evaluate_data_until(std::slice::from_ref(&b), &data, Some(day));
        assert_eq!(e.active.len(), 1, "one day of silence changes nothing");
    }

    /// "An empty list of ports or IP addresses is always considered in
    /// conformity with the corresponding behavior. If the corresponding
    /// behavior was in violation, the violation is cleared."
    #[test]
    fn an_empty_list_conforms_and_clears() {
        let addresses = behavior(
            r#"{"name":"dest","metric":"aws:destination-ip-addresses",
                "criteria":{"comparisonOperator":"in-cidr-set","value":{"cidrs":["10.0.0.0/8"]}}}"#,
        );
        for (b, bad, empty) in [
            (behavior(PORTS), Reported::Ports(vec![22]), Reported::Ports(vec![])),
            (addresses, Reported::Addresses(vec!["192.0.2.1".parse().unwrap()]), Reported::Addresses(vec![])),
        ] {
            let metric = b.metric.clone().unwrap();
            let points =
                [point("t", &metric, 0, empty.clone()), point("t", &metric, 300, bad), point("t", &metric, 600, empty)];
            let kinds: Vec<EventKind> = evaluate(&[b], &points).events.iter().map(|e| e.kind).collect();
            assert_eq!(kinds, [EventKind::InAlarm, EventKind::AlarmCleared], "{metric}");
        }
    }

    /// "Percentile statistics are not available for metrics when any of the
    /// metric values are negative numbers."
    #[test]
    fn a_percentile_is_not_evaluated_while_a_value_is_negative() {
        let b = behavior(
            r#"{"name":"temp","metric":"temperature",
                "criteria":{"comparisonOperator":"less-than","statisticalThreshold":{"statistic":"p90"}}}"#,
        );
        let points = [
            point("a", "temperature", 0, Reported::Number(-3.0)),
            point("b", "temperature", 0, Reported::Number(50.0)),
        ];
        let e = evaluate(&[b], &points);
        assert!(e.events.is_empty());
        assert_eq!(e.not_evaluated, [("temp".to_owned(), NEGATIVE_PERCENTILE)]);
    }
}

/// Hand-worked cases: what each operator, value type, window and count gives.
mod worked {
    use ddsp::domain::evaluate::{Datapoint, EventKind, Reported, evaluate};
    use ddsp::domain::profile::Behavior;
    use serde_json::{Value, json};

    fn behavior(metric: &str, criteria: Value) -> Behavior {
        serde_json::from_value(json!({"name": "b", "metric": metric, "criteria": criteria})).unwrap()
    }

    fn point(thing: &str, metric: &str, time: i64, value: Reported) -> Datapoint {
        Datapoint { thing: thing.into(), metric: metric.into(), dimension: None, time, value }
    }

    /// The times of the in-alarm events.
    fn alarms(b: Behavior, points: &[Datapoint]) -> Vec<(String, i64)> {
        evaluate(&[b], points)
            .events
            .iter()
            .filter(|e| e.kind == EventKind::InAlarm)
            .map(|e| (e.thing.to_string(), e.time))
            .collect()
    }

    #[test]
    fn each_numeric_operator_alarms_on_the_far_side_of_its_bound() {
        // A datapoint of exactly 100 against a bound of 100; the criteria say what is normal.
        let size = |v: f64| [point("t", "aws:message-byte-size", 0, Reported::Number(v))];
        for (op, at_100, at_101, at_99) in [
            ("less-than", true, true, false),
            ("less-than-equals", false, true, false),
            ("greater-than", true, false, true),
            ("greater-than-equals", false, false, true),
        ] {
            let b = || behavior("aws:message-byte-size", json!({"comparisonOperator": op, "value": {"count": 100}}));
            assert_eq!(!alarms(b(), &size(100.0)).is_empty(), at_100, "{op} at 100");
            assert_eq!(!alarms(b(), &size(101.0)).is_empty(), at_101, "{op} at 101");
            assert_eq!(!alarms(b(), &size(99.0)).is_empty(), at_99, "{op} at 99");
        }
        // A custom number metric compares with `number`, fractions and all.
        let b = behavior("temperature", json!({"comparisonOperator": "less-than", "value": {"number": 40.5}}));
        let t = |v| [point("t", "temperature", 0, Reported::Number(v))];
        assert!(alarms(b.clone(), &t(40.4)).is_empty());
        assert_eq!(alarms(b, &t(40.5)), [("t".into(), 0)]);
    }

    #[test]
    fn windows_sum_their_datapoints_and_evaluate_at_their_end() {
        let sent = |t: i64, n: f64| point("t", "aws:num-messages-sent", t, Reported::Number(n));
        let points = [sent(0, 60.0), sent(100, 50.0), sent(300, 90.0), sent(900, 70.0), sent(1000, 40.0)];
        let b = |d: i64| {
            behavior(
                "aws:num-messages-sent",
                json!({"comparisonOperator": "less-than-equals", "value": {"count": 100}, "durationSeconds": d}),
            )
        };
        // 5 minutes: windows [0,300) = 110 alarms at 300; [300,600) = 90 clears; [900,1200) = 110 alarms again.
        assert_eq!(alarms(b(300), &points), [("t".into(), 300), ("t".into(), 1200)]);
        // 15 minutes: [0,900) = 200 alarms at 900; [900,1800) = 110 stays.
        assert_eq!(alarms(b(900), &points), [("t".into(), 900)]);
        // 1 hour: one window of 310.
        assert_eq!(alarms(b(3600), &points), [("t".into(), 3600)]);
        // No window (a metric without one): each datapoint alone; none is over 100.
        let none = behavior(
            "aws:message-byte-size",
            json!({"comparisonOperator": "less-than-equals", "value": {"count": 100}}),
        );
        let sizes: Vec<Datapoint> =
            points.iter().map(|p| Datapoint { metric: "aws:message-byte-size".into(), ..p.clone() }).collect();
        assert!(alarms(none, &sizes).is_empty());
    }

    #[test]
    fn alarms_wait_for_their_datapoint_count_and_clear_after_theirs() {
        let b = behavior(
            "aws:message-byte-size",
            json!({"comparisonOperator": "less-than", "value": {"count": 10},
                   "consecutiveDatapointsToAlarm": 3, "consecutiveDatapointsToClear": 2}),
        );
        // Violating: 0 1 1 0 1 1 1 1 0 1 0 0 → alarms at the 3rd of 1 1 1 (t=6), clears at 0 0 (t=11).
        let pattern = [0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 0];
        let points: Vec<Datapoint> = pattern
            .iter()
            .enumerate()
            .map(|(i, v)| {
                point("t", "aws:message-byte-size", i as i64, Reported::Number(if *v == 1 { 50.0 } else { 1.0 }))
            })
            .collect();
        let e = evaluate(&[b], &points);
        let kinds: Vec<(EventKind, i64)> = e.events.iter().map(|e| (e.kind, e.time)).collect();
        assert_eq!(kinds, [(EventKind::InAlarm, 6), (EventKind::AlarmCleared, 11)]);
        assert_eq!(e.events[1].since, 6, "the cleared event names the violation it ends");
        assert!(e.active.is_empty());
    }

    #[test]
    fn lists_compare_as_sets() {
        let ports = |p: Vec<i64>| [point("t", "aws:listening-tcp-ports", 0, Reported::Ports(p))];
        let allow = behavior(
            "aws:listening-tcp-ports",
            json!({"comparisonOperator": "in-port-set", "value": {"ports": [22, 443]}}),
        );
        let deny = behavior(
            "aws:listening-tcp-ports",
            json!({"comparisonOperator": "not-in-port-set", "value": {"ports": [23]}}),
        );
        assert!(alarms(allow.clone(), &ports(vec![22])).is_empty());
        assert_eq!(alarms(allow, &ports(vec![22, 8080])).len(), 1, "a port outside the allowed set");
        assert!(alarms(deny.clone(), &ports(vec![22, 443])).is_empty());
        assert_eq!(alarms(deny, &ports(vec![22, 23])).len(), 1, "a denied port listens");

        let ip = |a: &str| a.parse().unwrap();
        let dests = |a: Vec<&str>| {
            [point("t", "aws:destination-ip-addresses", 0, Reported::Addresses(a.into_iter().map(ip).collect()))]
        };
        let inside = behavior(
            "aws:destination-ip-addresses",
            json!({"comparisonOperator": "in-cidr-set", "value": {"cidrs": ["10.0.0.0/8"]}}),
        );
        let outside = behavior(
            "aws:destination-ip-addresses",
            json!({"comparisonOperator": "not-in-cidr-set", "value": {"cidrs": ["203.0.113.0/24"]}}),
        );
        assert!(alarms(inside.clone(), &dests(vec!["10.1.2.3"])).is_empty());
        assert_eq!(alarms(inside, &dests(vec!["10.1.2.3", "8.8.8.8"])).len(), 1);
        assert!(alarms(outside.clone(), &dests(vec!["8.8.8.8"])).is_empty());
        assert_eq!(alarms(outside, &dests(vec!["203.0.113.9"])).len(), 1);

        let strings =
            |s: Vec<&str>| [point("t", "firmware", 0, Reported::Strings(s.into_iter().map(String::from).collect()))];
        let known = behavior("firmware", json!({"comparisonOperator": "in-set", "value": {"strings": ["v1", "v2"]}}));
        assert!(alarms(known.clone(), &strings(vec!["v2"])).is_empty());
        assert_eq!(alarms(known, &strings(vec!["v3"])).len(), 1);
        let numbers = |n: Vec<f64>| [point("t", "codes", 0, Reported::Numbers(n))];
        let banned = behavior("codes", json!({"comparisonOperator": "not-in-set", "value": {"numbers": [13.0]}}));
        assert!(alarms(banned.clone(), &numbers(vec![1.0, 2.0])).is_empty());
        assert_eq!(alarms(banned, &numbers(vec![2.0, 13.0])).len(), 1);
    }

    #[test]
    fn a_statistical_threshold_ranks_each_window_over_the_fleet() {
        // Ten things; in window 1 thing-9 sends 1,000, the rest 10 to 90; in window 2 all send 50.
        let mut points = Vec::new();
        for t in 0..10 {
            let thing = format!("thing-{t}");
            let first = if t == 9 { 1000.0 } else { 10.0 * f64::from(t + 1) };
            points.push(point(&thing, "aws:all-bytes-out", 10, Reported::Number(first)));
            points.push(point(&thing, "aws:all-bytes-out", 310, Reported::Number(50.0)));
        }
        let b = behavior(
            "aws:all-bytes-out",
            json!({"comparisonOperator": "less-than-equals", "statisticalThreshold": {"statistic": "p90"}, "durationSeconds": 300}),
        );
        // p90 (nearest rank) of window 1 is the 9th smallest, 90: only thing-9 is above it; window 2 has no one above 50.
        let e = evaluate(std::slice::from_ref(&b), &points);
        let got: Vec<(String, EventKind, i64)> =
            e.events.iter().map(|e| (e.thing.to_string(), e.kind, e.time)).collect();
        assert_eq!(
            got,
            [("thing-9".into(), EventKind::InAlarm, 300), ("thing-9".into(), EventKind::AlarmCleared, 600)]
        );
    }

    #[test]
    fn suppressed_behaviors_still_raise_events_marked_suppressed() {
        let b: Behavior =
            serde_json::from_value(json!({"name": "quiet", "metric": "aws:message-byte-size", "suppressAlerts": true,
            "criteria": {"comparisonOperator": "less-than", "value": {"count": 10}}}))
            .unwrap();
        let e = evaluate(&[b], &[point("t", "aws:message-byte-size", 5, Reported::Number(99.0))]);
        assert!(e.events[0].suppressed && e.active[0].suppressed);
        assert_eq!((e.active[0].since, e.active[0].last_time), (5, 5));
    }

    #[test]
    fn a_dimension_scoped_behavior_reads_only_its_dimensions_datapoints() {
        let scoped: Behavior = serde_json::from_value(json!({"name": "telemetry", "metric": "aws:num-messages-sent",
            "metricDimension": {"dimensionName": "Telemetry"},
            "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 10}, "durationSeconds": 300}}))
        .unwrap();
        let outside: Behavior = serde_json::from_value(json!({"name": "other", "metric": "aws:num-messages-sent",
            "metricDimension": {"dimensionName": "Telemetry", "operator": "NOT_IN"},
            "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 10}, "durationSeconds": 300}}))
        .unwrap();
        let with = |dim: Option<(&str, &str)>, n: f64| Datapoint {
            thing: "t".into(),
            metric: "aws:num-messages-sent".into(),
            dimension: dim.map(|(d, o)| (d.to_owned(), o.to_owned())),
            time: 0,
            value: Reported::Number(n),
        };
        let points =
            [with(None, 500.0), with(Some(("Telemetry", "IN")), 50.0), with(Some(("Telemetry", "NOT_IN")), 5.0)];
        let e = evaluate(&[scoped, outside], &points);
        let names: Vec<&str> = e.events.iter().map(|e| &*e.behavior).collect();
        assert_eq!(names, ["telemetry"], "the unscoped 500 and the NOT_IN 5 are not the IN dimension's");
    }

    #[test]
    fn a_window_still_filling_at_the_horizon_is_not_judged() {
        let b = behavior(
            "aws:num-messages-sent",
            json!({"comparisonOperator": "less-than-equals", "value": {"count": 100}, "durationSeconds": 300}),
        );
        let points = [point("t", "aws:num-messages-sent", 610, Reported::Number(500.0))];
        // The window [600, 900) ends at 900: judged once the horizon has passed it, not before.
        let until =
            |h| ddsp::domain::evaluate::evaluate_data_until(std::slice::from_ref(&b), &points_data(&points), Some(h));
        assert!(until(899).events.is_empty());
        assert_eq!(until(900).events.len(), 1);
    }

    fn points_data(points: &[Datapoint]) -> ddsp::domain::metric_data::MetricData {
        let mut b = ddsp::domain::metric_data::Builder::default();
        for p in points {
            b.push(&p.thing, ddsp::domain::metric_data::MetricKey::plain(&p.metric), p.time, 0, p.value.clone());
        }
        b.finish()
    }

    #[test]
    fn gauges_and_sizes_are_judged_one_by_one_not_summed() {
        // Two reports of 6 open connections in one window: 6 each, not 12.
        let b = behavior(
            "aws:num-established-tcp-connections",
            json!({"comparisonOperator": "less-than-equals", "value": {"count": 10}, "durationSeconds": 300}),
        );
        let conn = |t| point("t", "aws:num-established-tcp-connections", t, Reported::Number(6.0));
        assert!(alarms(b, &[conn(0), conn(100)]).is_empty());
        // A statistical threshold on message sizes ranks each message against the window's sizes.
        let size = behavior(
            "aws:message-byte-size",
            json!({"comparisonOperator": "less-than-equals", "statisticalThreshold": {"statistic": "p50"}, "durationSeconds": 300}),
        );
        let msg = |thing: &str, t, n| point(thing, "aws:message-byte-size", t, Reported::Number(n));
        // Sizes in the window: 10, 20, 30, 40, 900; p50 is 30; only the 40 and the 900 are above.
        let points =
            [msg("a", 0, 10.0), msg("a", 10, 20.0), msg("b", 20, 30.0), msg("b", 30, 40.0), msg("c", 40, 900.0)];
        assert_eq!(alarms(size, &points), [("b".into(), 30), ("c".into(), 40)]);
    }
}
