//! Data that lies: the device-side network counters (`bytes_in/out`,
//! `packets_in/out` in a Device Defender report) must be what was counted
//! since the last report. Agents that send running totals instead (known in
//! the Python agent and the Greengrass component) make every threshold on
//! them alarm sooner or later. A thing whose series of such a metric only
//! ever grows is named, so that `tune`, `backtest` and the chart can say so
//! before the operator trusts their numbers.

use super::metric_data::{MetricData, Series};

/// The metrics reported as per-interval deltas of a device's counters
/// (Device Defender device-side metrics: "bytes out", "packets in", …).
pub const DELTA_METRICS: [&str; 4] =
    ["aws:all-bytes-in", "aws:all-bytes-out", "aws:all-packets-in", "aws:all-packets-out"];

/// The fewest datapoints that, all rising, read as a running total: half an
/// hour of five-minute reports. (Assumption: deltas of a real device rise six
/// times in a row rarely enough; fewer would name healthy things.)
pub const RISING_DATAPOINTS: usize = 6;

/// True when `metric` must be reported as per-interval deltas.
pub fn is_delta_metric(metric: &str) -> bool {
    DELTA_METRICS.contains(&metric)
}

/// True when a series of a delta metric only ever increases over at least
/// `RISING_DATAPOINTS` datapoints: it holds running totals.
pub fn only_increases(s: &Series) -> bool {
    s.numbers.len() >= RISING_DATAPOINTS && s.numbers.windows(2).all(|w| w[1] > w[0])
}

/// For each delta metric in `data` (any dimension), the things whose series
/// only ever increases, by metric then thing name.
pub fn running_totals(data: &MetricData) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for key in data.keys().filter(|k| is_delta_metric(&k.metric)) {
        let things: Vec<String> =
            data.series(key).iter().filter(|s| only_increases(s)).map(|s| s.thing.clone()).collect();
        if things.is_empty() {
            continue;
        }
        match out.iter_mut().find(|(m, _)| *m == key.metric) {
            Some((_, list)) => {
                list.extend(things);
                list.sort();
                list.dedup();
            }
            None => out.push((key.metric.clone(), things)),
        }
    }
    out
}

/// One line per metric naming the things ("aws:all-bytes-out only ever
/// increases for sensor-1, sensor-2 (and 3 more): …"), at most `shown` names each.
pub fn warnings(data: &MetricData, shown: usize) -> Vec<String> {
    running_totals(data)
        .into_iter()
        .map(|(metric, things)| {
            let names = things.iter().take(shown).map(String::as_str).collect::<Vec<_>>().join(", ");
            let more = things.len().saturating_sub(shown);
            let more = if more > 0 { format!(" (and {more} more)") } else { String::new() };
            format!(
                "{metric} only ever increases for {names}{more}: the agent sends running totals, not what was \
                 counted since its last report, so thresholds on it alarm sooner or later"
            )
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::metric_data::{Builder, MetricKey, Reported};

    #[test]
    fn a_counter_that_only_grows_is_named_and_deltas_are_not() {
        let mut b = Builder::default();
        let key = MetricKey::plain("aws:all-bytes-out");
        for i in 0..8 {
            b.push("totals", key.clone(), i * 300, 0, Reported::Number((i * 1000) as f64));
            b.push("deltas", key.clone(), i * 300, 0, Reported::Number(if i % 3 == 0 { 900.0 } else { 1000.0 }));
            b.push(
                "rising-messages",
                MetricKey::plain("aws:num-messages-sent"),
                i * 300,
                0,
                Reported::Number(i as f64),
            );
        }
        b.push("short", key, 0, 0, Reported::Number(1.0));
        let data = b.finish();
        assert_eq!(running_totals(&data), [("aws:all-bytes-out".to_owned(), vec!["totals".to_owned()])]);
        assert!(warnings(&data, 3)[0].starts_with("aws:all-bytes-out only ever increases for totals:"));
    }
}
