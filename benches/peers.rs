//! ddsp's sandbox against moto, the local AWS emulator people run. moto has no
//! security-profile operations, so it runs the same protocol's nearest kind of
//! work: thing groups (create, describe, update with expectedVersion, list),
//! which it validates, stores and versions as ddsp does security profiles.
//! Both servers run as processes on loopback (`ddsp sandbox --port 0
//! --in-memory`, `moto_server -p PORT`) and get the same bounded load from the
//! same client: aws-sdk-iot, 4 concurrent tasks. A request counts with its
//! retries (the SDK's standard retry); requests that still fail are counted
//! (moto answers some concurrent list calls with a 500). Prints one JSON object.
//!
//! `cargo bench --bench peers` runs it when moto_server is found
//! (`$DDSP_MOTO_SERVER`, or `.venv/bin/moto_server`, which benches/run-all
//! installs); under `cargo test` it only checks the arguments.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_iot::Client;
use aws_sdk_iot::types::{Behavior, BehaviorCriteria, ComparisonOperator, MetricValue, ThingGroupProperties};
use ddsp::client::for_sandbox;
use ddsp::sandbox::default_keys;

const CLIENTS: usize = 4;
const ROUNDS: usize = 100;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn ddsp_sandbox() -> (Server, String) {
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/ddsp");
    let mut child = Command::new(&bin)
        .args(["sandbox", "--port", "0", "--no-mqtt", "--in-memory"])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e} (cargo build --release first)", bin.display()));
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("the sandbox printed its endpoint").unwrap();
        if let Some(u) = line.strip_prefix("endpoint: ") {
            break u.to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (Server(child), url)
}

fn moto(path: &PathBuf) -> (Server, String) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(path)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "moto_server did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (Server(child), url)
}

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

#[derive(Clone, Copy)]
enum Kind {
    SecurityProfiles,
    ThingGroups,
}

/// One round of four requests; returns how many failed (after the SDK's retries).
async fn round(iot: &Client, kind: Kind, name: &str, latencies: &mut Vec<Duration>) -> usize {
    let mut failed = 0;
    let t = Instant::now();
    match kind {
        Kind::SecurityProfiles => {
            failed += usize::from(
                iot.create_security_profile().security_profile_name(name).behaviors(behavior(1)).send().await.is_err(),
            );
        }
        Kind::ThingGroups => {
            let props = ThingGroupProperties::builder().thing_group_description("v1").build();
            failed += usize::from(
                iot.create_thing_group().thing_group_name(name).thing_group_properties(props).send().await.is_err(),
            );
        }
    }
    latencies.push(t.elapsed());
    let t = Instant::now();
    match kind {
        Kind::SecurityProfiles => {
            drop(iot.describe_security_profile().security_profile_name(name).send().await.unwrap())
        }
        Kind::ThingGroups => drop(iot.describe_thing_group().thing_group_name(name).send().await.unwrap()),
    }
    latencies.push(t.elapsed());
    let t = Instant::now();
    match kind {
        Kind::SecurityProfiles => {
            failed += usize::from(
                iot.update_security_profile()
                    .security_profile_name(name)
                    .expected_version(1)
                    .behaviors(behavior(2))
                    .send()
                    .await
                    .is_err(),
            )
        }
        Kind::ThingGroups => {
            let props = ThingGroupProperties::builder().thing_group_description("v2").build();
            failed += usize::from(
                iot.update_thing_group()
                    .thing_group_name(name)
                    .thing_group_properties(props)
                    .expected_version(1)
                    .send()
                    .await
                    .is_err(),
            )
        }
    }
    latencies.push(t.elapsed());
    let t = Instant::now();
    match kind {
        Kind::SecurityProfiles => {
            failed += usize::from(iot.list_security_profiles().max_results(25).send().await.is_err())
        }
        Kind::ThingGroups => failed += usize::from(iot.list_thing_groups().max_results(25).send().await.is_err()),
    }
    latencies.push(t.elapsed());
    failed
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0
}

async fn load(url: &str, kind: Kind) -> serde_json::Value {
    // A warm-up round, then the measured load.
    let warm = for_sandbox(url, &default_keys(), "us-east-1");
    assert_eq!(round(&warm, kind, "warm-up", &mut Vec::new()).await, 0, "the warm-up round failed");
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let iot = for_sandbox(url, &default_keys(), "us-east-1");
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(ROUNDS * 4);
            let mut failed = 0;
            for r in 0..ROUNDS {
                failed += round(&iot, kind, &format!("bench-{c}-{r}"), &mut latencies).await;
            }
            (latencies, failed)
        }));
    }
    let mut all = Vec::new();
    let mut failed = 0;
    for t in tasks {
        let (latencies, f) = t.await.unwrap();
        all.extend(latencies);
        failed += f;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    serde_json::json!({
        "requests": all.len(),
        "rps": all.len() as f64 / elapsed,
        "p50_ms": percentile(&all, 0.5),
        "p99_ms": percentile(&all, 0.99),
        "failed": failed,
    })
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let moto_path = std::env::var_os("DDSP_MOTO_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server"));
    if !moto_path.exists() {
        eprintln!("peers: no moto_server at {}; benches/run-all installs it", moto_path.display());
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let (ddsp_server, ddsp_url) = ddsp_sandbox();
    let ours = runtime.block_on(load(&ddsp_url, Kind::SecurityProfiles));
    drop(ddsp_server);
    let (moto_server, moto_url) = moto(&moto_path);
    let theirs = runtime.block_on(load(&moto_url, Kind::ThingGroups));
    drop(moto_server);
    println!("{}", serde_json::json!({"clients": CLIENTS, "ddsp": ours, "moto": theirs}));
}
