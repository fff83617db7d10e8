//! Whether a profile fires, end to end with the real binary: metric data into
//! the sandbox (metrics-export files with `ddsp sandbox ingest`, gzip too; a
//! device report over HTTP; the demo fleet), the violations the sandbox
//! computes (read with ddsp's commands, through the SDK, and with the real AWS
//! CLI), and `ddsp backtest` agreeing with them on the same data.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{SystemTime, UNIX_EPOCH};

use common::{SandboxProcess, aws_cli, sandbox_env, temp_dir};
use serde_json::{Value, json};

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn ddsp(home: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ddsp"));
    sandbox_env(&mut cmd, home);
    cmd.env("XDG_DATA_HOME", home.join("data")).env("XDG_CONFIG_HOME", home.join("config"));
    cmd.args(args).output().unwrap()
}

/// The arguments, then the endpoint's.
fn at<'a>(endpoint: &[&'a str], args: &[&'a str]) -> Vec<&'a str> {
    [args, endpoint].concat()
}

fn ok_json(out: Output, what: &str) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{what}: {stderr}");
    if out.stdout.iter().all(u8::is_ascii_whitespace) {
        return Value::Null;
    }
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{what}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// One day of 5-minute message counts for six unregistered things: `bursty`
/// sends 160 for an hour, then 200 for another, `dev-5` spikes once, the
/// others never go above 60; and the listening ports of two of them, one
/// opening 4444 for a while.
fn export_documents(start: i64) -> (String, String) {
    let mut first = Vec::new();
    let mut second = Vec::new();
    for t in 0..6 {
        let thing = if t == 2 {
            "bursty".to_owned()
        } else if t == 4 {
            "quiet".to_owned()
        } else {
            format!("dev-{t}")
        };
        for i in 0..288i64 {
            let time = start + i * 300;
            let hour = i / 12;
            let mut count = 20 + (i * 7 + t * 13) % 40;
            if thing == "bursty" && hour == 3 {
                count = 160;
            }
            if thing == "bursty" && hour == 15 {
                count = 200;
            }
            if thing == "dev-5" && i == 100 {
                count = 120;
            }
            let datum = json!({"name": "aws:num-messages-sent", "thing": thing, "value": {"count": count},
                               "version": 1, "timestamp": time});
            if i < 144 { first.push(datum) } else { second.push(datum) }
        }
        if t < 2 {
            for i in (0..288i64).step_by(12) {
                let mut ports = vec![22, 443];
                if t == 1 && (100..200).contains(&i) {
                    ports.push(4444);
                }
                first.push(json!({"name": "aws:listening-tcp-ports", "thing": format!("dev-{t}"),
                                  "value": {"ports": ports}, "timestamp": start + i * 300}));
            }
        }
    }
    // Of two values for one time, the higher version wins whatever their order:
    // dev-0's first two windows stay at 10 (version 3), not 500 (version 2, sent after).
    for (version, count) in [(3, 10), (2, 500)] {
        for time in [start, start + 300] {
            second.push(json!({"name": "aws:num-messages-sent", "thing": "dev-0", "value": {"count": count},
                               "version": version, "timestamp": time}));
        }
    }
    let doc = |m: Vec<Value>| json!({"version": "1.0", "metrics": m}).to_string();
    (doc(first), doc(second))
}

fn profile_file(dir: &Path, count: i64) -> PathBuf {
    let path = dir.join(format!("watch-{count}.json"));
    let doc = json!({
        "securityProfileName": "Watch",
        "behaviors": [
            {"name": "Sent", "metric": "aws:num-messages-sent", "criteria": {
                "comparisonOperator": "less-than-equals", "value": {"count": count}, "durationSeconds": 300,
                "consecutiveDatapointsToAlarm": 2, "consecutiveDatapointsToClear": 2}},
            {"name": "Ports", "metric": "aws:listening-tcp-ports", "criteria": {
                "comparisonOperator": "in-port-set", "value": {"ports": [22, 443]}}}
        ]
    });
    std::fs::write(&path, doc.to_string()).unwrap();
    path
}

/// (behavior, thing, start) of every in-alarm event a listing holds.
fn alarms_listed(events: &Value) -> BTreeSet<(String, String, String)> {
    events["violationEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["violationEventType"] == "in-alarm")
        .map(|e| {
            (
                e["behavior"]["name"].as_str().unwrap().to_owned(),
                e["thingName"].as_str().unwrap().to_owned(),
                // ddsp prints ISO 8601 as AWS CLI v2 does; AWS CLI v1 prints the number sent.
                match &e["violationEventTime"] {
                    Value::Number(n) => ddsp::wire::time::iso8601(n.as_f64().unwrap()),
                    other => other.as_str().unwrap().to_owned(),
                },
            )
        })
        .collect()
}

/// The same triples from `ddsp backtest --output json` (the file's side, or the endpoint's).
fn alarms_backtested(report: &Value, side: &str) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for b in report["behaviors"].as_array().unwrap() {
        for v in b[side]["violations"].as_array().into_iter().flatten() {
            out.insert((
                b["name"].as_str().unwrap().to_owned(),
                v["thingName"].as_str().unwrap().to_owned(),
                v["startTime"].as_str().unwrap().to_owned(),
            ));
        }
    }
    out
}

#[test]
fn ingested_exports_give_the_same_violations_to_the_sandbox_the_aws_cli_and_backtest() {
    let dir = temp_dir("violations-export");
    let start = (now() - 2 * 86_400) / 300 * 300;
    let (first, second) = export_documents(start);
    let plain = dir.join("export-1.json");
    std::fs::write(&plain, format!("{first}\n")).unwrap();
    let gz = dir.join("export-2.json.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(second.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();
    let db = dir.join("sandbox.db");
    let (plain_s, gz_s, db_s) = (plain.to_str().unwrap(), gz.to_str().unwrap(), db.to_str().unwrap());

    // A broken file is named with its line and column, and stores nothing; the good ones still go in.
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"version\": \"1.0\",\n \"metrics\": [ {\"name\": 3} ]}").unwrap();
    let out = ddsp(&dir, &["sandbox", "ingest", plain_s, broken.to_str().unwrap(), gz_s, "--db", db_s]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(252), "{stdout}{stderr}");
    assert!(stderr.contains("broken.json: line 2, column"), "{stderr}");
    assert!(stdout.contains("datapoints/s"), "{stdout}");

    let sandbox = SandboxProcess::start(&["--db", db_s]);
    let e = ["--endpoint-url", sandbox.url.as_str(), "--region", "us-east-1"];
    let watch = profile_file(&dir, 100);
    let file_arg = format!("file://{}", watch.display());
    ok_json(ddsp(&dir, &at(&e, &["create-security-profile", "--cli-input-json", &file_arg])), "create");
    let target = "arn:aws:iot:us-east-1:123456789012:all/unregistered-things";
    ok_json(
        ddsp(
            &dir,
            &at(
                &e,
                &[
                    "attach-security-profile",
                    "--security-profile-name",
                    "Watch",
                    "--security-profile-target-arn",
                    target,
                ],
            ),
        ),
        "attach",
    );

    let (from, to) = (start.to_string(), now().to_string());
    let events = ok_json(
        ddsp(
            &dir,
            &at(
                &e,
                &[
                    "list-violation-events",
                    "--start-time",
                    &from,
                    "--end-time",
                    &to,
                    "--security-profile-name",
                    "Watch",
                ],
            ),
        ),
        "list-violation-events",
    );
    let listed = alarms_listed(&events);
    let things: BTreeSet<&str> = listed.iter().map(|(_, t, _)| t.as_str()).collect();
    assert!(things.contains("bursty") && things.contains("dev-1"), "{listed:?}");
    assert!(!things.contains("quiet") && !things.contains("dev-0"), "dev-0's 500 lost to version 3: {listed:?}");
    assert!(!things.contains("dev-5"), "two 5-minute windows in a row are needed to alarm: {listed:?}");
    assert_eq!(listed.iter().filter(|(b, t, _)| b == "Sent" && t == "bursty").count(), 2, "{listed:?}");

    // Every alarm has cleared: bursty calmed down and dev-1 closed 4444.
    let active = ok_json(ddsp(&dir, &at(&e, &["list-active-violations", "--thing-name", "bursty"])), "active");
    assert_eq!(active["activeViolations"].as_array().unwrap().len(), 0, "{active}");

    // ddsp backtest on the same files, offline, finds exactly the events the sandbox listed.
    let report = ok_json(
        ddsp(&dir, &["backtest", watch.to_str().unwrap(), "--metrics", plain_s, gz_s, "--offline", "--output", "json"]),
        "backtest --metrics",
    );
    assert_eq!(alarms_backtested(&report, "file"), listed);

    // A higher threshold against the endpoint's profile: fewer alarms, said as endpoint → file.
    let higher = profile_file(&dir, 170);
    let report = ok_json(
        ddsp(&dir, &at(&e, &["backtest", higher.to_str().unwrap(), "--metrics", plain_s, gz_s, "--output", "json"])),
        "backtest compared",
    );
    assert_eq!(report["comparedWithEndpoint"], true, "{report}");
    let sent = &report["behaviors"][0];
    assert!(sent["file"]["alarms"].as_u64().unwrap() < sent["endpoint"]["alarms"].as_u64().unwrap(), "{sent}");
    assert_eq!(alarms_backtested(&report, "endpoint"), listed);
    let text = ddsp(&dir, &at(&e, &["backtest", higher.to_str().unwrap(), "--metrics", plain_s, gz_s]));
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("alarm when messages sent > 170 in 5 minutes"), "{text}");
    assert!(text.contains("endpoint: 2 alarms on 1 thing → file: 1 alarm on 1 thing"), "{text}");

    // The real AWS CLI reads the same events, ids and all.
    if let Some(exe) = aws_cli() {
        let mut cmd = Command::new(exe);
        sandbox_env(&mut cmd, &dir);
        let out = cmd
            .args(["iot", "list-violation-events", "--start-time", &from, "--end-time", &to])
            .args(["--security-profile-name", "Watch", "--endpoint-url", &sandbox.url])
            .output()
            .unwrap();
        let theirs = ok_json(out, "aws iot list-violation-events");
        let ids = |v: &Value| -> BTreeSet<String> {
            v["violationEvents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["violationId"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(ids(&theirs), ids(&events));
        assert_eq!(alarms_listed(&theirs), listed);
    } else {
        eprintln!("no AWS CLI: the cross-check with it is skipped (scripts/test installs one)");
    }
}

#[test]
fn the_demo_fleet_shows_violations_model_status_and_verification_states() {
    let dir = temp_dir("violations-demo");
    let db = dir.join("sandbox.db");
    let out = ddsp(&dir, &["sandbox", "ingest", "--demo-fleet", "12", "--db", db.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("demo fleet: 12 things in thing group demo-fleet"), "{stdout}");
    assert!(
        stdout.contains("misbehaving: demo-device-002, demo-device-005, demo-device-008, demo-device-011"),
        "{stdout}"
    );

    let sandbox = SandboxProcess::start(&["--db", db.to_str().unwrap()]);
    let e = ["--endpoint-url", sandbox.url.as_str(), "--region", "us-east-1"];
    let active = ok_json(
        ddsp(&dir, &at(&e, &["list-active-violations", "--security-profile-name", "demo-fleet-watch"])),
        "active",
    );
    let list = active["activeViolations"].as_array().unwrap();
    assert!(!list.is_empty(), "{active}");
    assert!(list.iter().all(|v| v["thingName"].as_str().unwrap().starts_with("demo-device-")), "{active}");

    // Twelve things x 14 days of 5-minute datapoints is over ML Detect's 25,000: the model is active.
    let summaries = ok_json(ddsp(&dir, &at(&e, &["get-behavior-model-training-summaries"])), "training");
    let s = &summaries["summaries"][0];
    assert_eq!(
        (s["behaviorName"].as_str(), s["modelStatus"].as_str()),
        (Some("MessagesReceivedModel"), Some("ACTIVE"))
    );
    assert_eq!(s["datapointsCollectionPercentage"], 100.0);
    let out = ddsp(&dir, &at(&e, &["get-behavior-model-training-summaries", "--max-results", "11"]));
    assert_eq!(out.status.code(), Some(252), "TinyMaxResults is 1–10");

    // A verification state sticks to the violation and filters the listing.
    let id = list[0]["violationId"].as_str().unwrap().to_owned();
    let put = ["put-verification-state-on-violation", "--violation-id", &id, "--verification-state", "TRUE_POSITIVE"];
    ok_json(
        ddsp(&dir, &at(&e, &[&put[..], &["--verification-state-description", "confirmed by the fleet team"]].concat())),
        "put",
    );
    let marked =
        ok_json(ddsp(&dir, &at(&e, &["list-active-violations", "--verification-state", "TRUE_POSITIVE"])), "marked");
    let marked = marked["activeViolations"].as_array().unwrap();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0]["verificationStateDescription"], "confirmed by the fleet team");
    // An id nobody has, and a state the model does not have.
    let out = ddsp(
        &dir,
        &at(&e, &["put-verification-state-on-violation", "--violation-id", "abc", "--verification-state", "UNKNOWN"]),
    );
    assert_eq!(out.status.code(), Some(254), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("InvalidRequestException"));
    let out = ddsp(
        &dir,
        &at(&e, &["put-verification-state-on-violation", "--violation-id", "abc", "--verification-state", "MAYBE"]),
    );
    assert_eq!(out.status.code(), Some(252), "refused before sending");

    // Backtest from the endpoint's own data (ListMetricValues for the group's things) agrees with its events.
    let profile = ok_json(
        ddsp(
            &dir,
            &at(
                &e,
                &[
                    "describe-security-profile",
                    "--security-profile-name",
                    "demo-fleet-watch",
                    "--query",
                    "{securityProfileName: securityProfileName, behaviors: behaviors}",
                ],
            ),
        ),
        "describe",
    );
    let file = dir.join("demo.json");
    let mut profile = profile;
    let topic = "arn:aws:sns:us-east-1:123456789012:fleet-alerts";
    profile["alertTargets"] = json!({"SNS": {"alertTargetArn": topic, "roleArn": "arn:aws:iam::123456789012:role/dd"}});
    std::fs::write(&file, profile.to_string()).unwrap();
    let report = ok_json(
        ddsp(&dir, &at(&e, &["backtest", file.to_str().unwrap(), "--endpoint", "--output", "json"])),
        "backtest",
    );
    assert_eq!(report["things"], 12, "{}", report["note"]);
    // The alert target would have had a message for each alarm and for each end of one.
    let events: usize = report["behaviors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["file"]["violations"].as_array().cloned().unwrap_or_default())
        .map(|v| 1 + usize::from(!v["endTime"].is_null()))
        .sum();
    let alerts = &report["alerts"][0];
    assert_eq!((alerts["alertTargetArn"].as_str(), alerts["messages"].as_u64()), (Some(topic), Some(events as u64)));
    assert!(alerts["busiestDay"]["messages"].as_u64().unwrap() >= 1, "{alerts}");
    // To past the end of the last 5-minute window, which may close after now.
    let (from, to) = ((now() - 15 * 86_400).to_string(), (now() + 600).to_string());
    let events =
        ok_json(ddsp(&dir, &at(&e, &["list-violation-events", "--start-time", &from, "--end-time", &to])), "events");
    assert_eq!(alarms_backtested(&report, "file"), alarms_listed(&events));
    assert_eq!(alarms_backtested(&report, "endpoint"), alarms_listed(&events));
}

#[test]
fn a_device_report_over_http_becomes_metric_values() {
    let sandbox = SandboxProcess::start(&["--in-memory", "--no-auth"]);
    let dir = temp_dir("violations-report");
    let addr = sandbox.url.trim_start_matches("http://").to_owned();
    let report = r#"{"header":{"report_id":1,"version":"1.0"},"metrics":{
        "listening_tcp_ports":{"ports":[{"port":22},{"port":8883}],"total":2},
        "network_stats":{"bytes_in":100,"bytes_out":2500,"packets_in":3,"packets_out":9}}}"#;
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "POST /sandbox/things/sensor-1/metrics HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{report}",
        report.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"status\":\"ACCEPTED\""), "{answer}");

    let e = ["--endpoint-url", sandbox.url.as_str(), "--region", "us-east-1"];
    let (from, to) = ((now() - 60).to_string(), (now() + 60).to_string());
    let values = ok_json(
        ddsp(
            &dir,
            &[
                &[
                    "list-metric-values",
                    "--thing-name",
                    "sensor-1",
                    "--metric-name",
                    "aws:all-bytes-out",
                    "--start-time",
                    &from,
                    "--end-time",
                    &to,
                ][..],
                &e[..],
            ]
            .concat(),
        ),
        "list-metric-values",
    );
    assert_eq!(values["metricDatumList"][0]["value"], json!({"count": 2500}), "{values}");
    let ports = ok_json(
        ddsp(
            &dir,
            &[
                &[
                    "list-metric-values",
                    "--thing-name",
                    "sensor-1",
                    "--metric-name",
                    "aws:listening-tcp-ports",
                    "--start-time",
                    &from,
                    "--end-time",
                    &to,
                ][..],
                &e[..],
            ]
            .concat(),
        ),
        "ports",
    );
    assert_eq!(ports["metricDatumList"][0]["value"], json!({"ports": [22, 8883]}), "{ports}");
    // Missing the required window: refused before anything is sent.
    let out = ddsp(
        &dir,
        &[&["list-metric-values", "--thing-name", "sensor-1", "--metric-name", "aws:all-bytes-out"][..], &e[..]]
            .concat(),
    );
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--start-time"));
}

#[test]
fn a_file_that_turns_out_broken_stores_nothing_even_after_its_first_batches_went_in() {
    use ddsp::domain::metric_data::{MetricKey, Reported};
    use ddsp::sandbox::{Faults, Ingest, Request, Service, Store};
    use ddsp::wire::metric_reports::Reading;
    let service = Service::new(Store::open(None).unwrap(), None, "us-east-1".into(), None, Faults::default());
    let reading = |thing: &str, time: i64| Reading {
        thing: thing.into(),
        key: MetricKey::plain("aws:num-messages-sent"),
        time,
        version: 0,
        value: Reported::Number(7.0),
        as_number: false,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(Ingest::Readings(vec![reading("bad", 0), reading("bad", 300)])).unwrap();
    tx.send(Ingest::End(Err("line 9, column 3: expected `,`".into()))).unwrap();
    tx.send(Ingest::Readings(vec![reading("good", 0)])).unwrap();
    // The broken file's series ids were rolled back: a good file naming the same thing still lands.
    tx.send(Ingest::Readings(vec![reading("good", 300), reading("bad", 600)])).unwrap();
    tx.send(Ingest::End(Ok(()))).unwrap();
    drop(tx);
    let outcomes = service.ingest("us-east-1", rx).unwrap();
    assert_eq!(outcomes, [Err("line 9, column 3: expected `,`".to_owned()), Ok(3)]);
    let values = |thing: &str| {
        let target =
            format!("/metric-values?thingName={thing}&metricName=aws%3Anum-messages-sent&startTime=0&endTime=1000");
        let answer = service.handle(&Request { method: "GET".into(), target, ..Request::default() }, 0.5);
        let body: Value = serde_json::from_slice(&answer.body).unwrap();
        body["metricDatumList"].as_array().unwrap().len()
    };
    assert_eq!((values("bad"), values("good")), (1, 2));
}

/// The events of one violation id, as (type, time), in time order.
fn events_of(events: &Value, id: &str) -> Vec<(String, i64)> {
    events["violationEvents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["violationId"] == id)
        .map(|v| {
            let time = &v["violationEventTime"];
            let time = time
                .as_f64()
                .map_or_else(|| ddsp::wire::time::parse_time(time.as_str().unwrap()).unwrap(), |t| t as i64);
            (v["violationEventType"].as_str().unwrap().to_owned(), time)
        })
        .collect()
}

#[test]
fn a_write_that_takes_a_behavior_away_invalidates_its_violations() {
    let dir = temp_dir("violations-invalidated");
    let db = dir.join("sandbox.db");
    let out = ddsp(&dir, &["sandbox", "ingest", "--demo-fleet", "12", "--db", db.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let sandbox = SandboxProcess::start(&["--db", db.to_str().unwrap()]);
    let e = ["--endpoint-url", sandbox.url.as_str(), "--region", "us-east-1"];
    let watch = ["--security-profile-name", "demo-fleet-watch"];
    let active = |what: &str| {
        let v = ok_json(ddsp(&dir, &at(&e, &[&["list-active-violations"][..], &watch].concat())), what);
        v["activeViolations"].as_array().unwrap().clone()
    };
    let events = |what: &str| {
        let (from, to) = ((now() - 15 * 86_400).to_string(), (now() + 600).to_string());
        let args = [&["list-violation-events", "--start-time", &from, "--end-time", &to][..], &watch].concat();
        ok_json(ddsp(&dir, &at(&e, &args)), what)
    };

    // The extra port of a misbehaving device is still open: in alarm now.
    let before = active("before");
    let ports = before.iter().find(|v| v["behavior"]["name"] == "ListeningPorts").expect("a port violation");
    let ports_id = ports["violationId"].as_str().unwrap().to_owned();
    let others: Vec<String> = before
        .iter()
        .filter(|v| v["behavior"]["name"] != "ListeningPorts")
        .map(|v| v["violationId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        events_of(&events("events before"), &ports_id).iter().map(|x| x.0.as_str()).collect::<Vec<_>>(),
        ["in-alarm"]
    );

    // An update that drops the behavior ends its violation there.
    let profile = ok_json(ddsp(&dir, &at(&e, &[&["describe-security-profile"][..], &watch].concat())), "describe");
    let kept: Vec<Value> =
        profile["behaviors"].as_array().unwrap().iter().filter(|b| b["name"] != "ListeningPorts").cloned().collect();
    let behaviors = Value::Array(kept).to_string();
    let written = now();
    ok_json(
        ddsp(&dir, &at(&e, &[&["update-security-profile", "--behaviors", &behaviors][..], &watch].concat())),
        "update",
    );
    let after = active("after the update");
    assert!(after.iter().all(|v| v["violationId"] != ports_id.as_str()), "{after:?}");
    let listed = events("events after the update");
    let ports_events = events_of(&listed, &ports_id);
    assert_eq!(ports_events.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), ["in-alarm", "alarm-invalidated"]);
    assert!((ports_events[1].1 - written).abs() <= 5, "invalidated at the write: {ports_events:?}");
    // The others are untouched, and the ended one can still be marked.
    let still: Vec<String> = after.iter().map(|v| v["violationId"].as_str().unwrap().to_owned()).collect();
    assert_eq!(still, others);
    let put =
        ["put-verification-state-on-violation", "--violation-id", &ports_id, "--verification-state", "BENIGN_POSITIVE"];
    ok_json(ddsp(&dir, &at(&e, &put)), "put on an ended violation");

    // Detaching the profile from its group ends every other violation; attaching it back does not revive them.
    let group = ok_json(ddsp(&dir, &at(&e, &[&["list-targets-for-security-profile"][..], &watch].concat())), "targets");
    let arn = group["securityProfileTargets"][0]["arn"].as_str().unwrap().to_owned();
    let target = ["--security-profile-target-arn", arn.as_str()];
    ok_json(ddsp(&dir, &at(&e, &[&["detach-security-profile"][..], &watch, &target].concat())), "detach");
    assert!(active("after the detach").is_empty());
    let listed = events("events after the detach");
    for id in &others {
        let kinds: Vec<String> = events_of(&listed, id).into_iter().map(|x| x.0).collect();
        assert_eq!(kinds.last().map(String::as_str), Some("alarm-invalidated"), "{id}: {kinds:?}");
    }
    ok_json(ddsp(&dir, &at(&e, &[&["attach-security-profile"][..], &watch, &target].concat())), "attach");
    let back = active("after attaching again");
    assert!(back.iter().all(|v| !others.contains(&v["violationId"].as_str().unwrap().to_owned())), "{back:?}");

    // A profile deleted and made again starts with violations of its own (new ids), in alarm again.
    ok_json(ddsp(&dir, &at(&e, &[&["delete-security-profile"][..], &watch].concat())), "delete");
    let document = json!({"securityProfileName": "demo-fleet-watch", "behaviors": profile["behaviors"]}).to_string();
    ok_json(ddsp(&dir, &at(&e, &["create-security-profile", "--cli-input-json", &document])), "create again");
    ok_json(ddsp(&dir, &at(&e, &[&["attach-security-profile"][..], &watch, &target].concat())), "attach the new one");
    let renewed = active("the profile made again");
    assert!(renewed.iter().any(|v| v["behavior"]["name"] == "ListeningPorts"), "{renewed:?}");
    assert!(
        renewed.iter().all(|v| v["violationId"] != ports_id.as_str()
            && !others.contains(&v["violationId"].as_str().unwrap().to_owned()))
    );
}

#[test]
fn what_the_sandbox_keeps_exports_as_metrics_export_files_that_read_back_the_same() {
    let dir = temp_dir("violations-export");
    let (db, copy) = (dir.join("sandbox.db"), dir.join("copy.db"));
    let (db_s, copy_s) = (db.to_str().unwrap(), copy.to_str().unwrap());
    let out = ddsp(&dir, &["sandbox", "ingest", "--demo-fleet", "3", "--db", db_s]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::create_dir(dir.join("export")).unwrap();
    let file = dir.join("export").join("fleet.json.gz");
    let out = ddsp(&dir, &["sandbox", "export-metrics", file.to_str().unwrap(), "--db", db_s]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.starts_with("Wrote ") && said.contains(" series in ") && said.contains("fleet.json.gz"), "{said}");
    assert_eq!(std::fs::read(&file).unwrap()[..2], [0x1f, 0x8b], "gzip, by the name");
    // Read back into another sandbox and written again: the same documents.
    let out = ddsp(&dir, &["sandbox", "ingest", "--db", copy_s, file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let first = ddsp(&dir, &["sandbox", "export-metrics", "-", "--db", db_s]);
    let again = ddsp(&dir, &["sandbox", "export-metrics", "-", "--db", copy_s]);
    assert!(!first.stdout.is_empty());
    assert_eq!(first.stdout, again.stdout, "a round trip changes nothing");
    let doc: Value = serde_json::from_slice(first.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let m = &doc["metrics"][0];
    assert_eq!(doc["version"], "1.0");
    assert!(
        m["thing"].is_string() && m["name"].is_string() && m["timestamp"].as_i64().unwrap() > 1_000_000_000_000,
        "{doc}"
    );
    // A window: only its datapoints; a bad time is refused before anything is read.
    let day =
        ddsp(&dir, &["sandbox", "export-metrics", "-", "--db", db_s, "--from", "2020-01-01", "--to", "2020-01-02"]);
    assert_eq!((day.status.code(), day.stdout.len()), (Some(0), 0), "{}", String::from_utf8_lossy(&day.stderr));
    let bad = ddsp(&dir, &["sandbox", "export-metrics", "-", "--db", db_s, "--from", "yesterday"]);
    assert_eq!(bad.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a timestamp"));
    // What would be silently wrong is refused: a folder for the file, an endpoint, a region with nothing kept.
    let export_dir = dir.join("export");
    let refused = [
        (
            vec!["sandbox", "export-metrics", export_dir.to_str().unwrap(), "--db", db_s],
            "is a folder: give a file name",
        ),
        (
            vec!["sandbox", "export-metrics", "-", "--db", db_s, "--endpoint-url", "http://127.0.0.1:9"],
            "not through an endpoint",
        ),
        (vec!["sandbox", "export-metrics", "-", "--db", db_s, "--region", "eu-west-1"], "keeps nothing for eu-west-1"),
    ];
    for (args, why) in refused {
        let out = ddsp(&dir, &args);
        assert_eq!(out.status.code(), Some(252), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(why), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(!dir.join("sandbox.eu-west-1.db").exists(), "asking made no database");
    // The file is what backtest --metrics reads, named or as its folder (Hadoop's _SUCCESS skipped).
    std::fs::write(dir.join("export").join("_SUCCESS"), "").unwrap();
    let profile = dir.join("watch.json");
    std::fs::write(
        &profile,
        json!({"securityProfileName": "watch", "behaviors": [{"name": "Sent", "metric": "aws:num-messages-sent",
            "criteria": {"comparisonOperator": "greater-than", "value": {"count": 100}, "durationSeconds": 300}}]})
        .to_string(),
    )
    .unwrap();
    let backtest = |data: &Path| {
        let args = ["backtest", profile.to_str().unwrap(), "--metrics", data.to_str().unwrap(), "--offline"];
        ok_json(ddsp(&dir, &[&args[..], &["--output", "json"]].concat()), "backtest")
    };
    let run = backtest(&file);
    assert_eq!(run["things"], 3, "{run}");
    assert_eq!(backtest(&dir.join("export")), run);
    // A folder with nothing to read is named, not read as no data.
    std::fs::create_dir(dir.join("empty")).unwrap();
    std::fs::write(dir.join("empty").join("_SUCCESS"), "").unwrap();
    let empty = dir.join("empty");
    let out = ddsp(&dir, &["sandbox", "ingest", "--db", copy_s, empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(252));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the folder holds no metrics-export file"));
}
