//! Backtests: which things each behavior would have alarmed over metric data,
//! and how that compares with another version of the profile (the one on the
//! endpoint). Pure: the evaluator's events grouped into alarms, per behavior.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::evaluate::{EventKind, evaluate_grouped};
use super::metric_data::{MetricData, Reported};
use super::profile::Behavior;

/// One alarm: from its in-alarm event to its alarm-cleared event, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub thing: Arc<str>,
    /// Epoch seconds of the in-alarm event.
    pub start: i64,
    /// The value that raised it.
    pub value: Reported,
    /// Epoch seconds of the alarm-cleared event; None while still in alarm.
    pub end: Option<i64>,
}

/// What one behavior would have done.
#[derive(Debug, Clone, PartialEq)]
pub struct BehaviorResult {
    pub name: String,
    /// Alarms by thing name, then start.
    pub alarms: Vec<Alarm>,
    /// Why it was not evaluated (ML Detect, no metric, …).
    pub not_evaluated: Option<&'static str>,
}

impl BehaviorResult {
    /// How many distinct things alarmed.
    pub fn things(&self) -> usize {
        self.alarms.iter().map(|a| &*a.thing).collect::<BTreeSet<_>>().len()
    }

    /// The things alarmed, each with its alarm count, most alarms first.
    pub fn by_thing(&self) -> Vec<(&str, usize)> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &self.alarms {
            *counts.entry(&*a.thing).or_default() += 1;
        }
        let mut out: Vec<(&str, usize)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out
    }
}

/// Evaluates each behavior over `data` and groups its events into alarms.
pub fn run(behaviors: &[Behavior], data: &MetricData) -> Vec<BehaviorResult> {
    run_until(behaviors, data, None)
}

/// As `run`, judging no window that ends after `horizon` (epoch seconds).
pub fn run_until(behaviors: &[Behavior], data: &MetricData, horizon: Option<i64>) -> Vec<BehaviorResult> {
    behaviors
        .iter()
        .map(|b| {
            let e = evaluate_grouped(std::slice::from_ref(b), data, horizon);
            let not_evaluated = e.not_evaluated.first().map(|(_, why)| *why);
            // Events come grouped by thing, in time order: a cleared event
            // closes the alarm just before it, which is its thing's.
            let mut alarms: Vec<Alarm> =
                Vec::with_capacity(e.events.iter().filter(|ev| ev.kind == EventKind::InAlarm).count());
            for ev in e.events {
                match ev.kind {
                    EventKind::InAlarm => {
                        alarms.push(Alarm { thing: ev.thing, start: ev.time, value: ev.value, end: None });
                    }
                    EventKind::AlarmCleared | EventKind::AlarmInvalidated => {
                        if let Some(last) = alarms.last_mut().filter(|a| a.thing == ev.thing && a.end.is_none()) {
                            last.end = Some(ev.time);
                        }
                    }
                }
            }
            BehaviorResult { name: b.name.clone(), alarms, not_evaluated }
        })
        .collect()
}

/// One behavior of the file beside the same-named one of the other profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'a> {
    pub name: &'a str,
    /// The file's behavior (None: only the other profile has it).
    pub new: Option<&'a BehaviorResult>,
    /// The other profile's (None: it has no behavior of that name, or there is no other profile).
    pub old: Option<&'a BehaviorResult>,
}

/// Pairs behaviors by name: the file's in order, then the other's that the file dropped.
pub fn compare<'a>(new: &'a [BehaviorResult], old: Option<&'a [BehaviorResult]>) -> Vec<Comparison<'a>> {
    let old = old.unwrap_or_default();
    let mut out: Vec<Comparison<'a>> = new
        .iter()
        .map(|n| Comparison { name: &n.name, new: Some(n), old: old.iter().find(|o| o.name == n.name) })
        .collect();
    for o in old {
        if new.iter().all(|n| n.name != o.name) {
            out.push(Comparison { name: &o.name, new: None, old: Some(o) });
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::domain::metric_data::{Builder, MetricKey};

    #[test]
    fn alarms_pair_their_events_and_behaviors_pair_by_name() {
        let b: Behavior = serde_json::from_value(json!({"name": "Sent", "metric": "aws:num-messages-sent",
            "criteria": {"comparisonOperator": "less-than", "value": {"count": 100}, "durationSeconds": 300}}))
        .unwrap();
        let mut data = Builder::default();
        for (t, n) in [(0, 150.0), (300, 10.0), (600, 200.0)] {
            data.push("a", MetricKey::plain("aws:num-messages-sent"), t, 0, Reported::Number(n));
        }
        let results = run(std::slice::from_ref(&b), &data.finish());
        let alarms = &results[0].alarms;
        assert_eq!((alarms.len(), alarms[0].start, alarms[0].end, alarms[1].end), (2, 300, Some(600), None));
        assert_eq!(results[0].by_thing(), [("a", 2)]);
        let pairs = compare(&results, Some(&[]));
        assert_eq!((pairs.len(), pairs[0].old.is_none()), (1, true));
    }
}
