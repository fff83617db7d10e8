//! Tune: for each behavior, the criterion that would have raised at most a
//! budget of alarms over the fleet's own data, with what each nearby choice
//! would have cost. AWS's only advice is trial and error ("start by creating
//! a security profile behavior with low thresholds … view the current
//! metrics, and then fine-tune", Device Defender troubleshooting guide); this
//! answers it from the data, through the evaluator's own rules. Pure.
//!
//! - A static numeric threshold: the exact boundary (`threshold`).
//! - A statistical threshold: the percentile among the allowed statistics (`statistic`).
//! - `in-port-set`, `in-cidr-set`, `in-set`: the allow-list the fleet shows (`allow_list`).
//! - ML Detect and deny-lists are not tuned, and say why.

pub mod allow_list;
pub mod statistic;
pub mod threshold;
pub mod transfer;

use self::allow_list::{AllowList, allow_list};
use self::statistic::StatisticSearch;
use self::threshold::{Comparison, Limit, Search};
use super::backtest::run_until;
use super::enums::ComparisonOperator;
use super::evaluate::Prepared;
use super::metric_data::MetricData;
use super::metrics::{ValueField, builtin};
use super::profile::{Behavior, CriteriaKind, MetricValue};

/// Seconds in a week, the budget's period.
pub const WEEK: i64 = 7 * 86_400;

/// The share of things an allow-list item needs by default.
pub const DEFAULT_SHARE: f64 = 0.95;

/// The in-alarm events a budget of `per_week` allows over `span` seconds of
/// data: ⌊per_week × span / week⌋ (so a budget of 1 a week over 3 days allows none).
pub fn allowed_alarms(per_week: f64, span: i64) -> u64 {
    let n = per_week * span.max(0) as f64 / WEEK as f64;
    if n.is_finite() && n > 0.0 { n.floor() as u64 } else { 0 }
}

/// What tuning one behavior found.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A static numeric threshold.
    Threshold { comparison: Comparison, search: Search, current: Option<f64> },
    /// A statistical threshold's percentile.
    Statistic { search: StatisticSearch, current: Option<String> },
    /// An allow-list, with what it would have raised.
    AllowList { list: AllowList, alarms: u64, things: u64, share: f64 },
    /// Not tuned, and why.
    NotTuned(String),
}

impl Outcome {
    /// True when there is something to write into the behavior.
    pub fn suggests(&self) -> bool {
        match self {
            Outcome::Threshold { search, .. } => search.suggested.is_some(),
            Outcome::Statistic { search, .. } => search.suggested.is_some(),
            Outcome::AllowList { .. } => true,
            Outcome::NotTuned(_) => false,
        }
    }

    /// Writes the suggestion into the behavior's criteria; false when there is none.
    pub fn apply(&self, behavior: &mut Behavior) -> bool {
        let Some(criteria) = behavior.criteria.as_mut() else { return false };
        match self {
            Outcome::Threshold { comparison, search, .. } => {
                let Some(row) = search.suggested.map(|i| search.rows[i]) else { return false };
                let value = criteria.value.get_or_insert_with(MetricValue::default);
                if comparison.whole {
                    (value.count, value.number) = (Some(row.value as i64), None);
                } else {
                    (value.count, value.number) = (None, Some(row.value));
                }
                true
            }
            Outcome::Statistic { search, .. } => {
                let Some(row) = search.suggested.map(|i| &search.rows[i]) else { return false };
                let Some(t) = criteria.statistical_threshold.as_mut() else { return false };
                t.statistic = Some(row.statistic.to_owned());
                true
            }
            Outcome::AllowList { list, .. } => {
                criteria.value = Some(list.value.clone());
                true
            }
            Outcome::NotTuned(_) => false,
        }
    }
}

/// Tunes one behavior over `data`, judging no window after `horizon`.
/// `share` is the allow-list's threshold (0 to 1).
pub fn tune(behavior: &Behavior, data: &MetricData, horizon: Option<i64>, limit: Limit, share: f64) -> Outcome {
    let not = |why: &str| Outcome::NotTuned(why.to_owned());
    let (Some(metric), Some(criteria)) = (behavior.metric.as_deref(), behavior.criteria.as_ref()) else {
        return not("it names no metric or criteria");
    };
    if criteria.kind() == CriteriaKind::MlDetect {
        return not(
            "ML Detect learns its own thresholds from 14 days of the fleet's data; choose its confidenceLevel instead",
        );
    }
    let Some(op) = criteria.comparison_operator.as_ref() else { return not("it has no comparison operator") };
    let rule = super::evaluate::AlarmRule::of(criteria);
    if rule.to_alarm > 10 || rule.to_clear > 10 {
        return not(
            "consecutiveDatapointsToAlarm and consecutiveDatapointsToClear must be 1 to 10 (the service's range)",
        );
    }
    use ComparisonOperator as Op;
    match op {
        Op::NotInPortSet | Op::NotInCidrSet | Op::NotInSet => {
            return not("a deny-list names what must never be seen; the data cannot say what that is");
        }
        Op::InPortSet | Op::InCidrSet | Op::InSet => {
            let Some(list) = allow_list(behavior, data, share) else { return not("its operator is not an allow-list") };
            let mut tuned = behavior.clone();
            if let Some(c) = tuned.criteria.as_mut() {
                c.value = Some(list.value.clone());
            }
            let result = run_until(std::slice::from_ref(&tuned), data, horizon).remove(0);
            return Outcome::AllowList {
                alarms: result.alarms.len() as u64,
                things: result.things() as u64,
                list,
                share,
            };
        }
        _ => {}
    }
    let whole = match criteria.value.as_ref() {
        Some(v) if v.count.is_some() => true,
        Some(v) if v.number.is_some() => false,
        _ => builtin(metric).is_some_and(|m| m.value_field == ValueField::Count),
    };
    let Some(comparison) = Comparison::of(op, whole) else { return not("its operator does not compare numbers") };
    if criteria.statistical_threshold.is_some() {
        if let Err(why) = Prepared::new(behavior, data, horizon) {
            return not(why);
        }
        let current = criteria.statistical_threshold.as_ref().and_then(|t| t.statistic.clone());
        return Outcome::Statistic {
            search: statistic::search(behavior, comparison.direction, data, horizon, limit),
            current,
        };
    }
    // The bound is not read while searching; a behavior with none yet is tuned all the same.
    let mut prepared = behavior.clone();
    if let Some(c) = prepared.criteria.as_mut() {
        let v = c.value.get_or_insert_with(MetricValue::default);
        if v.count.is_none() && v.number.is_none() {
            v.number = Some(0.0);
        }
    }
    let current = criteria.value.as_ref().and_then(|v| v.count.map(|c| c as f64).or(v.number));
    match Prepared::new(&prepared, data, horizon) {
        Ok(p) => Outcome::Threshold { comparison, search: threshold::search(&p, comparison, limit), current },
        Err(why) => not(why),
    }
}
