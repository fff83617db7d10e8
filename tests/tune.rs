//! `tune`'s suggestions, checked by the evaluator itself: hand-worked cases
//! for each operator, window, datapoint count, a percentile and a port
//! allow-list; and on random fleets, that the suggested value raises at most
//! the budget, every more lenient value too, and the next stricter allowed
//! value more (the boundary is exact).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::domain::backtest::run;
use ddsp::domain::metric_data::{Builder, MetricData, MetricKey, Reported};
use ddsp::domain::profile::Behavior;
use ddsp::domain::tune::threshold::{Comparison, Limit};
use ddsp::domain::tune::{Outcome, allowed_alarms, tune};
use proptest::prelude::*;
use serde_json::{Value, json};

fn behavior(v: Value) -> Behavior {
    serde_json::from_value(v).unwrap()
}

/// Things' values of `metric`, one datapoint every `step` seconds.
fn fleet(metric: &str, step: i64, things: &[(&str, &[f64])]) -> MetricData {
    let mut b = Builder::default();
    for (thing, values) in things {
        for (i, v) in values.iter().enumerate() {
            b.push(thing, MetricKey::plain(metric), i as i64 * step, 0, Reported::Number(*v));
        }
    }
    b.finish()
}

/// Alarms and things alarmed by the evaluator for `b` with its value set to `x`.
fn cost(b: &Behavior, x: f64, whole: bool, data: &MetricData) -> (u64, u64) {
    let mut b = b.clone();
    let v = b.criteria.as_mut().unwrap().value.get_or_insert_with(Default::default);
    if whole {
        (v.count, v.number) = (Some(x as i64), None);
    } else {
        (v.count, v.number) = (None, Some(x));
    }
    let r = run(std::slice::from_ref(&b), data).remove(0);
    (r.alarms.len() as u64, r.things() as u64)
}

/// The suggested value, its counts, and the comparison.
fn suggestion(b: &Behavior, data: &MetricData, limit: Limit) -> Option<(f64, u64, u64, Comparison)> {
    match tune(b, data, None, limit, 0.95) {
        Outcome::Threshold { comparison, search, .. } => {
            let row = search.rows[search.suggested?];
            Some((row.value, row.alarms, row.things, comparison))
        }
        other => panic!("not a threshold: {other:?}"),
    }
}

#[test]
fn less_than_on_window_sums_suggests_one_above_the_budgets_last_value() {
    // Sums of 5-minute windows: each datapoint is its window's sum here.
    let b = behavior(json!({"name": "Sent", "metric": "aws:num-messages-sent",
        "criteria": {"comparisonOperator": "less-than", "value": {"count": 1}, "durationSeconds": 300}}));
    let data = fleet(
        "aws:num-messages-sent",
        300,
        &[("a", &[10.0, 12.0, 90.0, 11.0, 10.0]), ("b", &[9.0, 40.0, 9.0, 8.0, 70.0]), ("c", &[10.0; 5])],
    );
    // One alarm allowed: 90 alone alarms; 70 too makes two. So normal below 71.
    let (x, alarms, things, _) = suggestion(&b, &data, Limit::Alarms(1)).unwrap();
    assert_eq!((x, alarms, things), (71.0, 1, 1));
    assert_eq!(cost(&b, 71.0, true, &data), (1, 1));
    assert_eq!(cost(&b, 70.0, true, &data), (2, 2));
    // No alarm at all: normal below 91.
    assert_eq!(suggestion(&b, &data, Limit::Alarms(0)).unwrap().0, 91.0);
    // Two things may alarm: a and b, as long as c's 10s stay normal, so 11.
    assert_eq!(suggestion(&b, &data, Limit::Things(2)).unwrap().0, 11.0);
    assert_eq!(suggestion(&b, &data, Limit::Things(1)).unwrap().0, 71.0);
}

#[test]
fn windows_sum_datapoints_before_comparing() {
    // Ten-minute windows sum two 5-minute datapoints: a's sums are 22, 101, 10.
    let b = behavior(json!({"name": "Sent", "metric": "aws:num-messages-sent",
        "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 1}, "durationSeconds": 600}}));
    let data = fleet("aws:num-messages-sent", 300, &[("a", &[10.0, 12.0, 90.0, 11.0, 10.0])]);
    let (x, alarms, ..) = suggestion(&b, &data, Limit::Alarms(0)).unwrap();
    assert_eq!((x, alarms), (101.0, 0));
    assert_eq!(cost(&b, 100.0, true, &data).0, 1);
}

#[test]
fn greater_than_operators_alarm_low_values() {
    // Normal when above the value: low counts alarm.
    let gt = behavior(json!({"name": "Alive", "metric": "aws:num-messages-sent",
        "criteria": {"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 300}}));
    let data = fleet("aws:num-messages-sent", 300, &[("a", &[10.0, 2.0, 10.0, 10.0]), ("b", &[10.0, 10.0, 5.0, 10.0])]);
    assert_eq!(suggestion(&gt, &data, Limit::Alarms(1)).unwrap().0, 4.0, "2 alarms, 5 stays normal above 4");
    assert_eq!(suggestion(&gt, &data, Limit::Alarms(0)).unwrap().0, 1.0);
    let gte = behavior(json!({"name": "Alive", "metric": "aws:num-messages-sent",
        "criteria": {"comparisonOperator": "greater-than-equals", "value": {"count": 1}, "durationSeconds": 300}}));
    assert_eq!(suggestion(&gte, &data, Limit::Alarms(1)).unwrap().0, 5.0);
    assert_eq!(cost(&gte, 6.0, true, &data).0, 2);
}

#[test]
fn three_datapoints_to_alarm_need_three_in_a_row() {
    let b = behavior(json!({"name": "Size", "metric": "aws:message-byte-size", "criteria": {
        "comparisonOperator": "less-than", "value": {"count": 1},
        "consecutiveDatapointsToAlarm": 3, "consecutiveDatapointsToClear": 1}}));
    // a has 900 once (never three in a row above 100); 150, 160, 170 in a row alarm once.
    let data = fleet("aws:message-byte-size", 300, &[("a", &[50.0, 900.0, 50.0, 150.0, 160.0, 170.0, 50.0])]);
    let (x, alarms, ..) = suggestion(&b, &data, Limit::Alarms(0)).unwrap();
    assert_eq!((x, alarms), (151.0, 0), "150 normal breaks the run; 900 alone never alarms");
    assert_eq!(cost(&b, 150.0, true, &data).0, 1);
}

#[test]
fn a_count_over_fractional_values_and_a_count_below_zero() {
    // less-than 3 keeps 2.5 normal (2.5 < 3): the suggestion is 3, not 4.
    let lt = behavior(json!({"name": "Size", "metric": "aws:message-byte-size",
        "criteria": {"comparisonOperator": "less-than", "value": {"count": 1}}}));
    let data = fleet("aws:message-byte-size", 300, &[("a", &[1.0, 2.5, 1.0])]);
    assert_eq!(suggestion(&lt, &data, Limit::Alarms(0)).unwrap().0, 3.0);
    assert_eq!(cost(&lt, 3.0, true, &data).0, 0);
    // greater-than alarms at or below the value: keeping a 0 normal would need -1.
    let gt = behavior(json!({"name": "Alive", "metric": "aws:num-messages-sent",
        "criteria": {"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 300}}));
    let zeros = fleet("aws:num-messages-sent", 300, &[("a", &[5.0, 0.0, 5.0]), ("b", &[0.0, 5.0, 0.0])]);
    match tune(&gt, &zeros, None, Limit::Alarms(0), 0.95) {
        Outcome::Threshold { search, .. } => {
            assert!(search.below_zero && search.suggested.is_none(), "{search:?}");
            assert!(search.rows.iter().all(|r| r.value >= 0.0));
        }
        other => panic!("{other:?}"),
    }
    // One 0 that can never alarm alone (2 in a row needed): nothing exceeds, and the
    // strictest row is a count of 0, not -1 (a case the property test found).
    let two = behavior(json!({"name": "Size", "metric": "aws:message-byte-size", "criteria": {
        "comparisonOperator": "less-than-equals", "value": {"count": 1}, "consecutiveDatapointsToAlarm": 2}}));
    let one = fleet("aws:message-byte-size", 300, &[("a", &[0.0])]);
    match tune(&two, &one, None, Limit::Alarms(0), 0.95) {
        Outcome::Threshold { search, .. } => {
            assert!(search.never_exceeded, "{search:?}");
            assert_eq!(search.rows.iter().map(|r| r.value).collect::<Vec<_>>(), [0.0]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_number_threshold_is_the_exact_float() {
    let b = behavior(json!({"name": "Temp", "metric": "temperature",
        "criteria": {"comparisonOperator": "less-than", "value": {"number": 1.0}}}));
    let data = fleet("temperature", 300, &[("a", &[20.5, 21.0, 80.25, 20.0])]);
    let (x, ..) = suggestion(&b, &data, Limit::Alarms(0)).unwrap();
    assert_eq!(x, 80.25f64.next_up());
    assert_eq!(cost(&b, x, false, &data).0, 0);
    assert_eq!(cost(&b, 80.25, false, &data).0, 1);
}

#[test]
fn a_percentile_meets_the_budget_from_the_lenient_side() {
    let b = behavior(json!({"name": "Out", "metric": "aws:all-bytes-out", "criteria": {
        "comparisonOperator": "less-than-equals", "statisticalThreshold": {"statistic": "p50"}, "durationSeconds": 300}}));
    // Ten things, one window: p90 of 1..10 is 9 (10 alarms); p99 and above is 10 (none).
    let values: Vec<(String, f64)> = (1..=10).map(|i| (format!("t{i:02}"), f64::from(i))).collect();
    let mut d = Builder::default();
    for (t, v) in &values {
        d.push(t, MetricKey::plain("aws:all-bytes-out"), 0, 0, Reported::Number(*v));
    }
    match tune(&b, &d.finish(), None, Limit::Alarms(0), 0.95) {
        Outcome::Statistic { search, current } => {
            assert_eq!(current.as_deref(), Some("p50"));
            let chosen = &search.rows[search.suggested.unwrap()];
            assert_eq!((chosen.statistic, chosen.alarms), ("p99", 0));
            assert_eq!(search.rows.last().map(|r| (r.statistic, r.alarms)), Some(("p90", 1)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_port_allow_list_keeps_what_most_things_use() {
    let b = behavior(json!({"name": "Ports", "metric": "aws:listening-tcp-ports",
        "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22]}}}));
    let mut d = Builder::default();
    for i in 0..20 {
        let ports = if i == 0 { vec![443, 8883, 31337] } else { vec![443, 8883] };
        d.push(&format!("t{i:02}"), MetricKey::plain("aws:listening-tcp-ports"), 0, 0, Reported::Ports(ports));
    }
    match tune(&b, &d.finish(), None, Limit::Alarms(0), 0.95) {
        Outcome::AllowList { list, alarms, things, .. } => {
            assert_eq!(list.value.ports, Some(vec![443, 8883]));
            assert_eq!((list.items[2].text.as_str(), list.items[2].share), ("31337", 0.05));
            assert_eq!((alarms, things), (1, 1), "t00's 31337 alarms");
        }
        other => panic!("{other:?}"),
    }
    let deny = behavior(json!({"name": "Ports", "metric": "aws:listening-tcp-ports",
        "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [23]}}}));
    assert!(matches!(tune(&deny, &MetricData::default(), None, Limit::Alarms(0), 0.95), Outcome::NotTuned(_)));
}

#[test]
fn ml_behaviors_are_not_tuned_and_say_why() {
    let b = behavior(json!({"name": "Ml", "metric": "aws:num-messages-sent",
        "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}}));
    match tune(&b, &MetricData::default(), None, Limit::Alarms(0), 0.95) {
        Outcome::NotTuned(why) => assert!(why.contains("ML Detect"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_weekly_budget_is_floored_over_the_span() {
    assert_eq!(allowed_alarms(1.0, 14 * 86_400), 2);
    assert_eq!(allowed_alarms(1.0, 3 * 86_400), 0);
    assert_eq!(allowed_alarms(10.0, 86_400), 1);
}

const OPERATORS: [&str; 4] = ["less-than", "less-than-equals", "greater-than", "greater-than-equals"];

/// A fleet with more datapoints than the scan takes whole (4,096 plus the
/// budget, for these) goes through the histogram, which first scans only the most
/// extreme values; its suggestion must still be the evaluator's boundary.
/// In the zigzag fleet every high value sits between two low ones, so with
/// two datapoints to alarm the extreme values alone never go over the
/// budget and the search must widen to all of them.
#[rstest::rstest]
#[case::alarms(Limit::Alarms(3), "greater-than", false)]
#[case::things(Limit::Things(2), "less-than-equals", false)]
#[case::none(Limit::Alarms(0), "greater-than-equals", false)]
#[case::widened(Limit::Alarms(3), "less-than-equals", true)]
fn a_fleet_past_the_whole_scan_gets_the_evaluators_boundary(
    #[case] limit: Limit,
    #[case] op: &str,
    #[case] zigzag: bool,
) {
    let b = behavior(json!({"name": "B", "metric": "aws:message-byte-size", "criteria": {
        "comparisonOperator": op, "value": {"count": 0}, "consecutiveDatapointsToAlarm": 2,
        "consecutiveDatapointsToClear": 1}}));
    let mut rng = fastrand::Rng::with_seed(11);
    let things: Vec<(String, Vec<f64>)> = (0..40)
        .map(|t| {
            let values = (0..300)
                .map(|i| match (zigzag, i % 2) {
                    (true, 0) => f64::from(rng.u32(1000..2000)),
                    (true, _) => f64::from(rng.u32(0..100)),
                    (false, _) => f64::from(rng.u32(0..5000)) / 4.0,
                })
                .collect();
            (format!("t{t:02}"), values)
        })
        .collect();
    let refs: Vec<(&str, &[f64])> = things.iter().map(|(t, v)| (t.as_str(), v.as_slice())).collect();
    let data = fleet("aws:message-byte-size", 300, &refs);
    let Outcome::Threshold { comparison, search, .. } = tune(&b, &data, None, limit, 0.95) else { panic!() };
    assert_eq!(search.evaluations, 40 * 300);
    let row = search.rows[search.suggested.expect("a suggestion")];
    let within = |(alarms, things): (u64, u64)| match limit {
        Limit::Alarms(n) => alarms <= n,
        Limit::Things(n) => things <= n,
    };
    let at = cost(&b, row.value, true, &data);
    assert_eq!(at, (row.alarms, row.things), "the row's counts are the evaluator's");
    assert!(within(at), "suggested {} gives {at:?}", row.value);
    assert!(!within(cost(&b, comparison.stricter(row.value), true, &data)), "the stricter value is within too");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_suggestion_is_within_budget_and_the_next_stricter_value_is_not(
        fleet_values in proptest::collection::vec(proptest::collection::vec(0u32..12, 1..40), 1..5),
        gaps in proptest::collection::vec(0u8..40, 40),
        op in 0usize..4,
        to_alarm in 1i64..=3,
        to_clear in 1i64..=2,
        windowed in any::<bool>(),
        budget in 0u64..4,
        by_things in any::<bool>(),
        halves in any::<bool>(),
    ) {
        // Counting metric with 10-minute windows, or a per-datapoint one; a
        // gap of 39 steps is over two days of silence.
        let (metric, window) = if windowed { ("aws:num-messages-sent", json!(600)) } else { ("aws:message-byte-size", Value::Null) };
        let mut criteria = json!({"comparisonOperator": OPERATORS[op], "value": {"count": 0},
            "consecutiveDatapointsToAlarm": to_alarm, "consecutiveDatapointsToClear": to_clear});
        if windowed {
            criteria["durationSeconds"] = window;
        }
        let b = behavior(json!({"name": "B", "metric": metric, "criteria": criteria}));
        let mut d = Builder::default();
        for (i, values) in fleet_values.iter().enumerate() {
            let mut time = 0i64;
            for (j, v) in values.iter().enumerate() {
                let gap = gaps[j % gaps.len()];
                time += if gap == 39 { 3 * 86_400 } else { 300 };
                // Halves too: a whole threshold over fractional values must stay exact.
                let value = if halves { f64::from(*v) / 2.0 } else { f64::from(*v) };
                d.push(&format!("t{i}"), MetricKey::plain(metric), time, 0, Reported::Number(value));
            }
        }
        let data = d.finish();
        let limit = if by_things { Limit::Things(budget) } else { Limit::Alarms(budget) };
        let within = |(alarms, things): (u64, u64)| if by_things { things <= budget } else { alarms <= budget };
        let Outcome::Threshold { comparison, search, .. } = tune(&b, &data, None, limit, 0.95) else { panic!("not a threshold") };
        match search.suggested {
            Some(i) => {
                let row = search.rows[i];
                let at = cost(&b, row.value, true, &data);
                prop_assert_eq!(at, (row.alarms, row.things), "the row's counts are the evaluator's");
                prop_assert!(within(at), "suggested {} gives {:?}", row.value, at);
                let stricter = comparison.stricter(row.value);
                prop_assert!(!within(cost(&b, stricter, true, &data)), "stricter {} is within budget too", stricter);
                // Every more lenient value is within budget: try each from the suggestion to beyond the data.
                let mut x = row.value;
                for _ in 0..16 {
                    x = match comparison.direction {
                        ddsp::domain::tune::threshold::Direction::High => x + 1.0,
                        ddsp::domain::tune::threshold::Direction::Low => x - 1.0,
                    };
                    prop_assert!(within(cost(&b, x, true, &data)), "more lenient {} exceeds", x);
                }
            }
            None if search.below_zero => {
                // The least strict count allowed, 0, already goes over the budget.
                prop_assert!(!within(cost(&b, 0.0, true, &data)), "0 is within budget: {:?}", search);
            }
            None if search.never_exceeded => {
                // Even the strictest value (and the one past it) stays within the budget.
                let strictest = search.rows.last().map(|r| r.value);
                prop_assert!(strictest.is_some(), "no row at all: {:?}", search);
                prop_assert!(within(cost(&b, comparison.stricter(strictest.unwrap_or_default()), true, &data)));
            }
            None => {
                // Values that violate at any threshold: only NaN, which this data has none of.
                // (Fractional values too, below: whole thresholds over them stay exact.)
                prop_assert!(false, "no suggestion: {:?}", search);
            }
        }
    }
}

/// Runs the real binary with no AWS settings from the environment.
fn ddsp(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap()
}

#[test]
fn the_command_tunes_a_yaml_file_from_an_export_and_names_running_totals() {
    let dir = std::env::temp_dir().join(format!("ddsp-tune-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // A day of 5-minute datapoints: bytes out per interval for a and b (b bursts
    // to 9000 twice), running totals for c.
    let mut docs = String::new();
    for i in 0..288i64 {
        let mut metrics = Vec::new();
        for (thing, value) in
            [("a", 1000 + i % 7), ("b", if i == 100 || i == 200 { 9000 } else { 1200 }), ("c", 500 * i)]
        {
            metrics.push(json!({"name": "aws:all-bytes-out", "thing": thing, "value": {"count": value},
                "version": 1, "timestamp": 1_790_000_000 + i * 300}));
        }
        docs.push_str(&json!({"version": "1.0", "metrics": metrics}).to_string());
        docs.push('\n');
    }
    std::fs::write(dir.join("export.json"), docs).unwrap();
    let yaml = "securityProfileName: bytes\nbehaviors:\n- name: BytesOut\n  metric: aws:all-bytes-out\n  criteria:\n    comparisonOperator: less-than\n    value:\n      count: 100\n    durationSeconds: 300\n";
    std::fs::write(dir.join("bytes.yaml"), yaml).unwrap();
    // Without c, whose totals pass everything: --alarms-per-week 14 allows 2 over the day.
    let out =
        ddsp(&dir, &["tune", "bytes.yaml", "--metrics", "export.json", "--alarms-per-week", "14", "--output", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warning = report["warnings"][0].as_str().unwrap();
    assert!(warning.starts_with("aws:all-bytes-out only ever increases for c:"), "{warning}");
    assert_eq!(report["budget"]["alarms"], 2);
    let threshold = &report["behaviors"][0]["threshold"];
    assert_eq!(threshold["field"], "count");
    // c's running totals are one long alarm at any threshold under its top;
    // b's two bursts of 9000 would make three: so 9000 stays normal.
    assert_eq!(threshold["suggested"]["value"], 9001.0, "{threshold}");
    assert_eq!(threshold["suggested"]["alarms"], 1, "{threshold}");
    // --out writes YAML back, only the value changed, and prints the diff.
    let out = ddsp(&dir, &["tune", "bytes.yaml", "--metrics", "export.json", "--things", "2", "--out", "tuned.yaml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("warning: aws:all-bytes-out only ever increases for c"), "{text}");
    assert!(text.contains("~ behaviors[BytesOut].criteria.value.count: 100 →"), "{text}");
    let written = std::fs::read_to_string(dir.join("tuned.yaml")).unwrap();
    assert!(written.starts_with("securityProfileName: bytes\n") && !written.contains("count: 100\n"), "{written}");
    // backtest names the same things.
    let out = ddsp(&dir, &["backtest", "tuned.yaml", "--metrics", "export.json", "--offline"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("warning: aws:all-bytes-out only ever increases for c"));
    // A behavior the file does not have is refused by name.
    let out = ddsp(&dir, &["tune", "bytes.yaml", "--metrics", "export.json", "--behavior", "Nope"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no behavior of that name (it has BytesOut)"));
    let _ = std::fs::remove_dir_all(&dir);
}
