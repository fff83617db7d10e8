//! The percentile a statistical threshold should use to meet an alarm
//! budget: each statistic the service allows, from the most lenient, through
//! the evaluator itself (the fleet's percentile changes with every window, so
//! there is no value to sort); the suggestion is the most sensitive statistic
//! at which it and every more lenient one stay within the budget.

use super::threshold::{Direction, Limit};
use crate::domain::backtest::run_until;
use crate::domain::choices::STATISTICS;
use crate::domain::metric_data::MetricData;
use crate::domain::profile::Behavior;

/// One statistic and what it would have raised.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticRow {
    /// `p90`, `p99.9`, …
    pub statistic: &'static str,
    pub alarms: u64,
    pub things: u64,
}

/// Each statistic from the most lenient to the strictest, and the one suggested.
#[derive(Debug, Clone, PartialEq)]
pub struct StatisticSearch {
    pub rows: Vec<StatisticRow>,
    pub suggested: Option<usize>,
}

/// The statistic's rank (p99.9 → 99.9).
fn rank(statistic: &str) -> f64 {
    statistic.strip_prefix('p').and_then(|r| r.parse().ok()).unwrap_or(f64::NAN)
}

/// Tries every allowed statistic on `behavior` (a statistical threshold).
pub fn search(
    behavior: &Behavior,
    direction: Direction,
    data: &MetricData,
    horizon: Option<i64>,
    limit: Limit,
) -> StatisticSearch {
    let mut order: Vec<&'static str> = STATISTICS.to_vec();
    // Large values alarm under less-than: a higher percentile is more lenient.
    order.sort_by(|a, b| match direction {
        Direction::High => rank(b).total_cmp(&rank(a)),
        Direction::Low => rank(a).total_cmp(&rank(b)),
    });
    let mut rows = Vec::new();
    let mut suggested = None;
    for statistic in order {
        let mut b = behavior.clone();
        if let Some(t) = b.criteria.as_mut().and_then(|c| c.statistical_threshold.as_mut()) {
            t.statistic = Some(statistic.to_owned());
        }
        let result = run_until(std::slice::from_ref(&b), data, horizon).remove(0);
        let (alarms, things) = (result.alarms.len() as u64, result.things() as u64);
        let over = match limit {
            Limit::Alarms(n) => alarms > n,
            Limit::Things(n) => things > n,
        };
        rows.push(StatisticRow { statistic, alarms, things });
        if over {
            break;
        }
        suggested = Some(rows.len() - 1);
    }
    StatisticSearch { rows, suggested }
}
