//! Device Defender reports over MQTT with TLS, as a fleet sends them:
//!
//! 1. **Throughput**: 1,000 concurrent TLS connections (client certificates
//!    from CreateKeysAndCertificate), each publishing reports to its own
//!    thing's `defender/metrics/json` topic and waiting for its `accepted`
//!    reply before the next (closed loop), for 20 s. Reports accepted per
//!    second (target ≥ 3,500/s: a million devices reporting every 5 minutes).
//! 2. **Report to violation**: the same 1,000 devices then report at a steady
//!    1,000 reports a second (each once a second), and 200 probes run one
//!    after another: a report whose value breaks a behavior, for a new thing,
//!    then ListActiveViolations for that thing, asked again until the
//!    violation is there. p50, p99 and max (target p99 < 100 ms). (At the
//!    saturation of part 1 every figure is queueing; a fleet's steady load is
//!    what a violation must be seen under.)
//!
//! The sandbox is the release binary, as a process on loopback (`ddsp
//! sandbox --db FILE --mqtt-port 0 --report-interval 0 --no-auth`): a file
//! database, so every commit is fsynced as in use. The load generator shares
//! the machine's cores with it. Prints one JSON object.
//!
//! `cargo bench --bench mqtt`; under `cargo test` it does nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use rumqttc::mqttbytes::QoS;
use rumqttc::mqttbytes::v4::{Connect, Packet, Publish, Subscribe};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CONNECTIONS: usize = 1000;
const LOAD: Duration = Duration::from_secs(20);
const PROBES: usize = 200;
/// Each device's time between reports while the probes run (0: as fast as it can).
const STEADY_MS: u64 = 1000;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The sandbox's HTTP endpoint and MQTT TLS address.
fn sandbox(db: &std::path::Path) -> (Server, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(["sandbox", "--port", "0", "--mqtt-port", "0", "--report-interval", "0", "--no-auth"])
        .arg("--db")
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut http, mut mqtt) = (None, None);
    while http.is_none() || mqtt.is_none() {
        let line = lines.next().expect("the sandbox's banner").unwrap();
        if let Some(u) = line.strip_prefix("endpoint: http://") {
            http = Some(u.to_owned());
        }
        if let Some(rest) = line.strip_prefix("mqtt: mqtts://") {
            mqtt = rest.split_whitespace().next().map(str::to_owned);
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (Server(child), http.unwrap(), mqtt.unwrap())
}

/// One unsigned HTTP request (the sandbox runs with --no-auth); the body.
fn http(addr: &str, method: &str, target: &str, body: &str) -> serde_json::Value {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let (_, body) = answer.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or(serde_json::Value::Null)
}

fn tls_config(ca: &str, cert: &str, key: &str) -> Arc<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(ca.as_bytes()).unwrap()).unwrap();
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![CertificateDer::from_pem_slice(cert.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
        )
        .unwrap();
    Arc::new(config)
}

fn encode(p: Packet) -> Vec<u8> {
    let mut buf = BytesMut::new();
    p.write(&mut buf, 1 << 20).unwrap();
    buf.to_vec()
}

fn report(id: u64, ports: &[u16]) -> String {
    let ports: Vec<String> = ports.iter().map(|p| format!(r#"{{"port":{p}}}"#)).collect();
    format!(
        r#"{{"header":{{"report_id":{id},"version":"1.0"}},"metrics":{{"listening_tcp_ports":{{"ports":[{}],"total":{}}},"network_stats":{{"bytes_in":100,"bytes_out":200,"packets_in":3,"packets_out":4}}}}}}"#,
        ports.join(","),
        ports.len()
    )
}

/// A connected device: TLS, CONNECT, SUBSCRIBE to its accepted topic.
struct Device {
    stream: tokio_rustls::client::TlsStream<tokio::net::TcpStream>,
    buf: BytesMut,
    thing: String,
}

impl Device {
    async fn connect(addr: &str, tls: Arc<rustls::ClientConfig>, thing: String) -> Device {
        let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let connector = tokio_rustls::TlsConnector::from(tls);
        let stream = connector.connect(ServerName::try_from("localhost").unwrap(), tcp).await.unwrap();
        let mut d = Device { stream, buf: BytesMut::with_capacity(4096), thing };
        d.send(Packet::Connect(Connect::new(d.thing.clone()))).await;
        assert!(matches!(d.next().await, Packet::ConnAck(_)));
        let mut sub = Subscribe::new(format!("$aws/things/{}/defender/metrics/json/+", d.thing), QoS::AtMostOnce);
        sub.pkid = 1;
        d.send(Packet::Subscribe(sub)).await;
        assert!(matches!(d.next().await, Packet::SubAck(_)));
        d
    }

    async fn send(&mut self, p: Packet) {
        self.stream.write_all(&encode(p)).await.unwrap();
    }

    async fn next(&mut self) -> Packet {
        loop {
            match Packet::read(&mut self.buf, 1 << 20) {
                Ok(p) => return p,
                Err(rumqttc::mqttbytes::Error::InsufficientBytes(_)) => {}
                Err(e) => panic!("{e}"),
            }
            let n = self.stream.read_buf(&mut self.buf).await.unwrap();
            assert!(n > 0, "the sandbox closed the connection");
        }
    }

    /// Publishes a report and waits for its reply; true when accepted.
    async fn report(&mut self, id: u64, ports: &[u16]) -> bool {
        let topic = format!("$aws/things/{}/defender/metrics/json", self.thing);
        self.send(Packet::Publish(Publish::new(topic, QoS::AtMostOnce, report(id, ports)))).await;
        loop {
            if let Packet::Publish(p) = self.next().await {
                return p.topic.ends_with("/accepted");
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sandbox.db");
    let (_server, http_addr, mqtt_addr) = sandbox(&db);
    let made = http(&http_addr, "POST", "/keys-and-certificate?setAsActive=true", "");
    let cert = made["certificatePem"].as_str().unwrap().to_owned();
    let key = made["keyPair"]["PrivateKey"].as_str().unwrap().to_owned();
    let ca = String::from_utf8(
        Command::new(env!("CARGO_BIN_EXE_ddsp")).args(["sandbox", "ca", "--db"]).arg(&db).output().unwrap().stdout,
    )
    .unwrap();
    // The probes' profile: any listening port but 22 is a violation.
    let behaviors = r#"{"behaviors":[{"name":"OnlySsh","metric":"aws:listening-tcp-ports","criteria":{"comparisonOperator":"in-port-set","value":{"ports":[22]}}}]}"#;
    http(&http_addr, "POST", "/security-profiles/bench-watch", behaviors);
    http(
        &http_addr,
        "PUT",
        "/security-profiles/bench-watch/targets?securityProfileTargetArn=arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Aall%2Funregistered-things",
        "",
    );
    let tls = tls_config(&ca, &cert, &key);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let accepted = Arc::new(AtomicU64::new(0));
    let rejected = Arc::new(AtomicU64::new(0));
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let pace_ms = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let devices = runtime.block_on(async {
        let mut set = tokio::task::JoinSet::new();
        for i in 0..CONNECTIONS {
            let (addr, tls) = (mqtt_addr.clone(), Arc::clone(&tls));
            set.spawn(async move { Device::connect(&addr, tls, format!("load-{i}")).await });
        }
        set.join_all().await
    });
    let connect_seconds = started.elapsed().as_secs_f64();
    let mut load = Vec::new();
    for mut d in devices {
        let (accepted, rejected, measuring, stop, pace_ms) = (
            Arc::clone(&accepted),
            Arc::clone(&rejected),
            Arc::clone(&measuring),
            Arc::clone(&stop),
            Arc::clone(&pace_ms),
        );
        load.push(runtime.spawn(async move {
            let mut id = 1;
            while !stop.load(Ordering::Relaxed) {
                let started = tokio::time::Instant::now();
                let ok = d.report(id, &[22]).await;
                id += 1;
                if measuring.load(Ordering::Relaxed) {
                    if ok { &accepted } else { &rejected }.fetch_add(1, Ordering::Relaxed);
                }
                let pace = pace_ms.load(Ordering::Relaxed);
                if pace > 0 {
                    // Spread over the period, not in step.
                    let jitter = fastrand::u64(0..pace / 4 + 1);
                    tokio::time::sleep_until(started + Duration::from_millis(pace - pace / 8 + jitter)).await;
                }
            }
        }));
    }
    // Part 1: as fast as the devices are answered.
    std::thread::sleep(Duration::from_secs(2));
    measuring.store(true, Ordering::Relaxed);
    let window = Instant::now();
    std::thread::sleep(LOAD);
    measuring.store(false, Ordering::Relaxed);
    let seconds = window.elapsed().as_secs_f64();
    let done = accepted.load(Ordering::Relaxed);

    // Part 2: a steady fleet, and the probes.
    pace_ms.store(STEADY_MS, Ordering::Relaxed);
    std::thread::sleep(Duration::from_secs(3));
    accepted.store(0, Ordering::Relaxed);
    measuring.store(true, Ordering::Relaxed);
    let steady = Instant::now();
    let mut latencies = Vec::new();
    // Each ListActiveViolations call's own time, and how many a probe needed.
    let mut calls = Vec::new();
    let mut polls_needed = Vec::new();
    let mut probe = runtime.block_on(Device::connect(&mqtt_addr, Arc::clone(&tls), "probe".to_owned()));
    for i in 0..PROBES {
        let thing = format!("probe-{i}");
        probe.thing = thing.clone();
        let sent = Instant::now();
        runtime.block_on(async {
            let topic = format!("$aws/things/{thing}/defender/metrics/json");
            probe.send(Packet::Publish(Publish::new(topic, QoS::AtMostOnce, report(1, &[22, 4444])))).await;
        });
        let mut polls = 0;
        loop {
            let asked = Instant::now();
            let listed = http(&http_addr, "GET", &format!("/active-violations?thingName={thing}"), "");
            calls.push(asked.elapsed().as_secs_f64() * 1000.0);
            polls += 1;
            if listed["activeViolations"].as_array().is_some_and(|l| !l.is_empty()) {
                break;
            }
            assert!(sent.elapsed() < Duration::from_secs(30), "no violation for {thing}");
        }
        polls_needed.push(polls);
        latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(50));
    }
    let steady_rate = accepted.load(Ordering::Relaxed) as f64 / steady.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    runtime.shutdown_timeout(Duration::from_secs(1));
    latencies.sort_by(f64::total_cmp);
    calls.sort_by(f64::total_cmp);
    let mean_polls = polls_needed.iter().sum::<usize>() as f64 / polls_needed.len().max(1) as f64;
    println!(
        "{}",
        serde_json::json!({
            "connections": CONNECTIONS,
            "connect_seconds": (connect_seconds * 100.0).round() / 100.0,
            "window_seconds": (seconds * 10.0).round() / 10.0,
            "accepted": done,
            "rejected": rejected.load(Ordering::Relaxed),
            "reports_per_second": (done as f64 / seconds).round(),
            "target_reports_per_second": 3500,
            "steady_reports_per_second": steady_rate.round(),
            "probes": latencies.len(),
            "report_to_violation_ms": {
                "p50": (percentile(&latencies, 0.5) * 10.0).round() / 10.0,
                "p99": (percentile(&latencies, 0.99) * 10.0).round() / 10.0,
                "max": (latencies.last().copied().unwrap_or(0.0) * 10.0).round() / 10.0,
                "target_p99": 100,
            },
            "list_active_violations_ms": {
                "p50": (percentile(&calls, 0.5) * 10.0).round() / 10.0,
                "p99": (percentile(&calls, 0.99) * 10.0).round() / 10.0,
                "calls_per_probe": (mean_polls * 10.0).round() / 10.0,
            },
        })
    );
}
