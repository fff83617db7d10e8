//! The Detect evaluator at fleet scale, and the chart's re-evaluation.
//!
//! - backtest: 14 days of 5-minute datapoints for 10,000 things and one
//!   behavior, about 40 million datapoints (target: under 1 s on 2 cores);
//! - chart: one thing's 14 days re-evaluated after a keystroke changes the
//!   threshold (target: under 5 ms);
//! - tune: the threshold of one behavior that meets a budget of one alarm a
//!   week over the same 40 million datapoints (target: under 2 s on 2 cores);
//! - ingest: metrics-export text read into datapoints and grouped into series
//!   (the store's rate is measured by `ddsp sandbox ingest`, which prints it).
//!
//! Under `cargo test` (no `--bench`), the fleet is 100 things, so the suite
//! stays quick; the figures come from `cargo bench --bench backtest`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ddsp::domain::backtest;
use ddsp::domain::metric_data::{Builder, MetricData, MetricKey, Series};
use ddsp::domain::profile::Behavior;
use ddsp::domain::tune::threshold::Limit;
use ddsp::domain::tune::{allowed_alarms, tune};
use ddsp::wire::metric_reports::read_export;
use serde_json::json;

const STEP: i64 = 300;
const POINTS: usize = 14 * 24 * 12;

fn benching() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// `things` series of seeded, cycling message counts.
fn fleet(things: usize) -> MetricData {
    let mut data = MetricData::default();
    let key = MetricKey::plain("aws:num-messages-sent");
    let mut rng = fastrand::Rng::with_seed(7);
    for t in 0..things {
        let times: Vec<i64> = (0..POINTS as i64).map(|i| 1_700_000_000 - 1_700_000_000 % STEP + i * STEP).collect();
        let base = 30.0 + rng.f64() * 20.0;
        let numbers: Vec<f64> = (0..POINTS)
            .map(|i| base + ((i % 288) as f64 / 288.0 * std::f64::consts::TAU).sin() * 10.0 + rng.f64() * 80.0)
            .collect();
        data.insert(key.clone(), Series { thing: format!("thing-{t:05}"), times, numbers, others: Vec::new() });
    }
    data
}

fn behavior(count: i64) -> Behavior {
    serde_json::from_value(json!({"name": "MessagesSent", "metric": "aws:num-messages-sent", "criteria": {
        "comparisonOperator": "less-than-equals", "value": {"count": count}, "durationSeconds": 300,
        "consecutiveDatapointsToAlarm": 2, "consecutiveDatapointsToClear": 2}}))
    .unwrap()
}

fn bench(c: &mut Criterion) {
    let things = if benching() { 10_000 } else { 100 };
    let data = fleet(things);
    let b = behavior(100);
    let mut group = c.benchmark_group("backtest");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements((things * POINTS) as u64));
    group.bench_function(format!("{things} things x 14 days of 5-minute datapoints"), |bench| {
        bench.iter(|| black_box(backtest::run(std::slice::from_ref(&b), &data)))
    });
    group.finish();

    let mut group = c.benchmark_group("tune");
    group.sample_size(10).measurement_time(Duration::from_secs(30));
    group.throughput(Throughput::Elements((things * POINTS) as u64));
    let budget = Limit::Alarms(allowed_alarms(1.0, 14 * 86_400));
    group.bench_function(format!("{things} things x 14 days: one behavior, 1 alarm a week"), |bench| {
        bench.iter(|| black_box(tune(&b, &data, None, budget, 0.95)))
    });
    group.finish();

    let one = fleet(1);
    let mut threshold = 100;
    c.bench_function("chart: one thing re-evaluated after a keystroke", |bench| {
        bench.iter(|| {
            threshold = if threshold == 100 { 101 } else { 100 };
            black_box(backtest::run(&[behavior(threshold)], &one))
        })
    });

    // Metrics-export text for 200 things x 288 datapoints.
    let mut batches = String::new();
    for t in 0..200 {
        let metrics: Vec<_> = (0..288)
            .map(|i| {
                json!({"name": "aws:num-messages-sent", "thing": format!("thing-{t}"), "value": {"count": i % 97},
                       "version": 1, "timestamp": 1_700_000_000 + i * 300})
            })
            .collect();
        batches.push_str(&json!({"version": "1.0", "metrics": metrics}).to_string());
        batches.push('\n');
    }
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(200 * 288));
    group.bench_function("read metrics-export batches into series", |bench| {
        bench.iter(|| {
            let mut b = Builder::default();
            read_export(&batches, |r| b.push(&r.thing, r.key, r.time, r.version, r.value)).unwrap();
            black_box(b.finish())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
