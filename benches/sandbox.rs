//! Sandbox throughput and latency: N concurrent aws-sdk-iot clients on loopback
//! run a create / describe / update / list mix against an in-process sandbox
//! backed by a SQLite file; prints requests/s, p50 and p99 (target: p50 < 1 ms).
//! `cargo bench --bench sandbox` runs the full load; under `cargo test` it runs
//! a few requests as a smoke test.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use aws_sdk_iot::types::{Behavior, BehaviorCriteria, ComparisonOperator, MetricValue};
use ddsp::client::for_sandbox;
use ddsp::sandbox::{SandboxConfig, default_keys, serve};

fn behavior(count: i64) -> Behavior {
    Behavior::builder()
        .name("Sent")
        .metric("aws:num-messages-sent")
        .criteria(
            BehaviorCriteria::builder()
                .comparison_operator(ComparisonOperator::GreaterThan)
                .value(MetricValue::builder().count(count).build())
                .duration_seconds(300)
                .build(),
        )
        .build()
        .unwrap()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

async fn run(clients: usize, rounds: usize) -> (f64, Duration, Duration, usize) {
    let dir = std::env::temp_dir().join(format!("ddsp-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let config = SandboxConfig { db: Some(dir.join("bench.db")), ..SandboxConfig::ephemeral() };
    let sandbox = serve(config).await.unwrap();
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let iot = for_sandbox(&sandbox.url(), &default_keys(), "us-east-1");
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(rounds * 4);
            for r in 0..rounds {
                let name = format!("bench-{c}-{r}");
                let t = Instant::now();
                iot.create_security_profile().security_profile_name(&name).behaviors(behavior(1)).send().await.unwrap();
                latencies.push(t.elapsed());
                let t = Instant::now();
                iot.describe_security_profile().security_profile_name(&name).send().await.unwrap();
                latencies.push(t.elapsed());
                let t = Instant::now();
                iot.update_security_profile()
                    .security_profile_name(&name)
                    .expected_version(1)
                    .behaviors(behavior(2))
                    .send()
                    .await
                    .unwrap();
                latencies.push(t.elapsed());
                let t = Instant::now();
                iot.list_security_profiles().max_results(25).send().await.unwrap();
                latencies.push(t.elapsed());
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed();
    sandbox.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    all.sort();
    (all.len() as f64 / elapsed.as_secs_f64(), percentile(&all, 0.5), percentile(&all, 0.99), all.len())
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let plans: &[(usize, usize)] = if full { &[(1, 500), (4, 250), (16, 100)] } else { &[(2, 3)] };
    println!("| clients | requests | requests/s | p50 (ms) | p99 (ms) |");
    println!("|---:|---:|---:|---:|---:|");
    for &(clients, rounds) in plans {
        let (rate, p50, p99, n) = runtime.block_on(run(clients, rounds));
        println!(
            "| {clients} | {n} | {rate:.0} | {:.3} | {:.3} |",
            p50.as_secs_f64() * 1000.0,
            p99.as_secs_f64() * 1000.0
        );
    }
}
