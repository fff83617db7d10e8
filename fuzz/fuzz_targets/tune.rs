//! `tune`'s inputs: a behavior (any of the operators, windows and
//! datapoints to alarm and clear, a static rule, a percentile or a
//! list metric) and a fleet's data made from the bytes. Never a panic;
//! for a static count the suggestion must hold what it claims: the
//! evaluator gives it exactly the row's alarms and things, within the
//! budget, and the next stricter value goes over it.
#![no_main]

use ddsp::domain::backtest::run_until;
use ddsp::domain::metric_data::{Builder, MetricData, MetricKey, Reported};
use ddsp::domain::profile::Behavior;
use ddsp::domain::tune::threshold::Limit;
use ddsp::domain::tune::{Outcome, tune};
use libfuzzer_sys::fuzz_target;

const OPERATORS: [&str; 4] = ["less-than", "less-than-equals", "greater-than", "greater-than-equals"];

/// The behavior's counts (alarms, things) with its value set to `x`.
fn cost(b: &Behavior, x: f64, data: &MetricData) -> (u64, u64) {
    let mut b = b.clone();
    if let Some(c) = b.criteria.as_mut() {
        let v = c.value.get_or_insert_with(Default::default);
        (v.count, v.number) = (Some(x as i64), None);
    }
    let r = run_until(std::slice::from_ref(&b), data, None).remove(0);
    (r.alarms.len() as u64, r.things() as u64)
}

fuzz_target!(|bytes: &[u8]| {
    let [shape, alarm, clear, budget, rest @ ..] = bytes else { return };
    let kind = shape % 4; // 0, 1: a static count; 2: a percentile; 3: listening ports
    let windowed = shape & 4 != 0;
    let by_things = shape & 8 != 0;
    let op = OPERATORS[usize::from(shape >> 4) % 4];
    let (metric, window) = match (kind, windowed) {
        (3, _) => ("aws:listening-tcp-ports", None),
        (_, true) => ("aws:num-messages-sent", Some(300)),
        (_, false) => ("aws:message-byte-size", None),
    };
    let mut criteria = serde_json::json!({
        "consecutiveDatapointsToAlarm": i64::from(alarm % 4 + 1),
        "consecutiveDatapointsToClear": i64::from(clear % 3 + 1),
    });
    match kind {
        2 => criteria["statisticalThreshold"] = serde_json::json!({"statistic": "p90"}),
        3 => {
            criteria["comparisonOperator"] = "in-port-set".into();
            criteria["value"] = serde_json::json!({"ports": [22]});
        }
        _ => {
            criteria["comparisonOperator"] = op.into();
            criteria["value"] = serde_json::json!({"count": 0});
        }
    }
    if kind != 3 {
        criteria["comparisonOperator"] = op.into();
    }
    if let Some(w) = window.or((kind == 2).then_some(300)) {
        criteria["durationSeconds"] = w.into();
    }
    let Ok(behavior) = serde_json::from_value::<Behavior>(serde_json::json!({"name": "B", "metric": metric, "criteria": criteria}))
    else {
        return;
    };
    // Three bytes a datapoint: the thing (of four), the gap since the thing's last one, the value.
    let mut data = Builder::default();
    let mut clocks = [0i64; 4];
    for chunk in rest.chunks_exact(3).take(400) {
        let thing = usize::from(chunk[0] % 4);
        clocks[thing] += match chunk[1] {
            255 => 3 * 86_400, // over two days of silence
            g => 60 * (i64::from(g % 10) + 1),
        };
        let value = match kind {
            3 => Reported::Ports(vec![i64::from(chunk[2] % 4) * 1000 + 22]),
            _ => Reported::Number(f64::from(chunk[2] % 32)),
        };
        data.push(&format!("t{thing}"), MetricKey::plain(metric), clocks[thing], 0, value);
    }
    let data = data.finish();
    let budget = u64::from(*budget % 5);
    let limit = if by_things { Limit::Things(budget) } else { Limit::Alarms(budget) };
    let outcome = tune(&behavior, &data, None, limit, 0.95);
    let mut tuned = behavior.clone();
    let _ = outcome.apply(&mut tuned);
    let within = |(alarms, things): (u64, u64)| if by_things { things <= budget } else { alarms <= budget };
    if let Outcome::Threshold { comparison, search, .. } = &outcome
        && let Some(i) = search.suggested
    {
        let row = search.rows[i];
        let at = cost(&behavior, row.value, &data);
        assert_eq!(at, (row.alarms, row.things), "the row's counts are the evaluator's");
        assert!(within(at), "suggested {} gives {at:?}", row.value);
        assert!(!within(cost(&behavior, comparison.stricter(row.value), &data)), "the stricter value is within too");
    }
});
