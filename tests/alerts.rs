//! What a violation sets off: the SNS alerts Detect sends (kept by the
//! sandbox, published through a real SNS API) and mitigation tasks that move
//! violating things into a thing group. In process for the alert document
//! and bad input; end to end on the demo fleet through the AWS CLI and
//! moto_server's SNS and SQS.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, UNIX_EPOCH};

use common::{SandboxProcess, require_aws_cli, sandbox_env, temp_dir, timeout};
use ddsp::domain::metric_data::{MetricKey, Reported};
use ddsp::sandbox::{Faults, Ingest, Request, Service, Store};
use ddsp::wire::metric_reports::Reading;
use serde_json::{Value, json};

fn service() -> Service {
    Service::new(Store::open(None).unwrap(), None, "us-east-1".into(), None, Faults::default())
}

fn call(s: &Service, method: &str, target: &str, body: &str) -> (u16, Value) {
    let req =
        Request { method: method.into(), target: target.into(), headers: Vec::new(), body: body.as_bytes().to_vec() };
    let r = s.handle(&req, 0.5);
    (r.status, serde_json::from_slice(&r.body).unwrap_or(Value::Null))
}

fn ok(s: &Service, method: &str, target: &str, body: &str) -> Value {
    let (status, answer) = call(s, method, target, body);
    assert_eq!(status, 200, "{method} {target}: {answer}");
    answer
}

const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";
const ALL_UNREGISTERED: &str = "arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Aall%2Funregistered-things";

/// A report of `thing` with `sent` messages and these ports.
fn report(s: &Service, thing: &str, id: i64, ports: &[u16]) {
    let ports: Vec<Value> = ports.iter().map(|p| json!({"port": p})).collect();
    let body = json!({"header": {"report_id": id, "version": "1.0"},
        "metrics": {"listening_tcp_ports": {"ports": ports, "total": ports.len()}}});
    let answer = ok(s, "POST", &format!("/sandbox/things/{thing}/metrics"), &body.to_string());
    assert_eq!(answer["status"], "ACCEPTED", "{answer}");
}

#[test]
fn the_alert_document_has_the_members_of_awss_sample_in_their_units() {
    // The builders' session sample (detect-facts §4.3), Records[0].Sns.Message:
    let sample: Value = serde_json::from_str(
        r#"{"violationEventTime": 1573786800000, "thingName": "dev-IZWB",
            "behavior": {"criteria": {"consecutiveDatapointsToClear": 1, "value": {"count": 10},
                "durationSeconds": 300, "consecutiveDatapointsToAlarm": 1, "comparisonOperator": "less-than"},
                "name": "MessagesPub", "metric": "aws:num-messages-sent"},
            "violationEventType": "in-alarm", "metricValue": {"count": 54},
            "violationId": "37e18651d207bbc74236c13faf146127", "securityProfileName": "MySecProfile"}"#,
    )
    .unwrap();
    // The sample's behavior on the sample's data, at a clock the test moves:
    // 54 messages in one five-minute window, judged once the window closes.
    let t0: u64 = 1_800_000_000;
    let now = Arc::new(AtomicU64::new(t0 + 1));
    let clock = Arc::clone(&now);
    let s = service().with_clock(Arc::new(move || UNIX_EPOCH + Duration::from_secs(clock.load(Ordering::SeqCst))));
    let profile = json!({
        "behaviors": [sample["behavior"]],
        "alertTargets": {"SNS": {"alertTargetArn": TOPIC, "roleArn": "arn:aws:iam::123456789012:role/dd-alerts"}}
    });
    ok(&s, "POST", "/security-profiles/MySecProfile", &profile.to_string());
    ok(&s, "PUT", &format!("/security-profiles/MySecProfile/targets?securityProfileTargetArn={ALL_UNREGISTERED}"), "");
    let (tx, rx) = std::sync::mpsc::channel();
    tx.send(Ingest::Readings(vec![reading(t0 as i64 + 10)])).unwrap();
    tx.send(Ingest::End(Ok(()))).unwrap();
    drop(tx);
    s.ingest("us-east-1", rx).unwrap();
    now.store(t0 + 301, Ordering::SeqCst);
    assert_eq!(s.sweep_alerts().unwrap(), 1, "one alert to one target");
    let listed = ok(&s, "GET", "/sandbox/alerts", "");
    let alert = &listed["alerts"][0];
    let message = &alert["message"];
    // Every member of the sample, no other, each of the sample's JSON type,
    // and the same values where the sample's are not its own fleet's.
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(message), keys(&sample), "{message}");
    for (member, value) in sample.as_object().unwrap() {
        let same_type = std::mem::discriminant(value) == std::mem::discriminant(&message[member]);
        assert!(same_type, "{member}: {} beside the sample's {value}", message[member]);
    }
    for member in ["thingName", "behavior", "violationEventType", "metricValue", "securityProfileName"] {
        assert_eq!(message[member], sample[member], "{member}");
    }
    // Milliseconds, where the List* operations answer seconds: the window's end.
    assert_eq!(message["violationEventTime"], json!((t0 + 300) * 1000));
    assert_eq!(alert["violationEventTime"], json!(t0 + 300));
    assert_eq!(message["violationId"].as_str().unwrap().len(), 32);
    let active = ok(&s, "GET", "/active-violations?thingName=dev-IZWB", "");
    assert_eq!(active["activeViolations"][0]["violationId"], message["violationId"]);
    assert_eq!((alert["topicArn"].as_str(), alert["delivery"]["status"].as_str()), (Some(TOPIC), Some("KEPT")));
    assert_eq!(s.sweep_alerts().unwrap(), 0, "the same event is never sent twice");
    // History read anew sends nothing: a thing whose data an hour-old window holds, found two hours on.
    let (tx, rx) = std::sync::mpsc::channel();
    let late = Reading { thing: "dev-OLD".into(), ..reading(t0 as i64 + 20) };
    tx.send(Ingest::Readings(vec![late])).unwrap();
    tx.send(Ingest::End(Ok(()))).unwrap();
    drop(tx);
    s.ingest("us-east-1", rx).unwrap();
    now.store(t0 + 2 * 3600, Ordering::SeqCst);
    assert_eq!(s.sweep_alerts().unwrap(), 0, "an event found more than an hour after its time is not sent");
    assert_eq!(
        ok(&s, "GET", "/active-violations?thingName=dev-OLD", "")["activeViolations"].as_array().unwrap().len(),
        1
    );
}

/// 54 messages sent by dev-IZWB at `time`.
fn reading(time: i64) -> Reading {
    Reading {
        thing: "dev-IZWB".into(),
        key: MetricKey::plain("aws:num-messages-sent"),
        time,
        version: 0,
        value: Reported::Number(54.0),
        as_number: false,
    }
}

#[test]
fn alerts_follow_each_event_once_and_suppressed_behaviors_send_none() {
    // No throttle: one thing reports three times at once.
    let s = service().with_devices(ddsp::sandbox::devices::Devices::new(None, 0));
    let ports = json!({
        "behaviors": [{"name": "Ports", "metric": "aws:listening-tcp-ports",
            "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22]}}}],
        "alertTargets": {"SNS": {"alertTargetArn": TOPIC, "roleArn": "arn:aws:iam::123456789012:role/dd-alerts"}}
    });
    ok(&s, "POST", "/security-profiles/ports", &ports.to_string());
    ok(&s, "PUT", &format!("/security-profiles/ports/targets?securityProfileTargetArn={ALL_UNREGISTERED}"), "");
    report(&s, "dev-IZWB", 1, &[22, 8883]);
    let first = &ok(&s, "GET", "/sandbox/alerts?securityProfileName=ports", "")["alerts"][0];
    assert_eq!(first["message"]["metricValue"], json!({"ports": [22, 8883]}));
    // Cleared: a second alert; a suppressed behavior sends none; the same
    // event is never sent twice, however often the sandbox sweeps.
    // A second later: datapoints are kept per second.
    std::thread::sleep(Duration::from_millis(1100));
    report(&s, "dev-IZWB", 2, &[22]);
    let events: Vec<String> = ok(&s, "GET", "/sandbox/alerts?thingName=dev-IZWB", "")["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["violationEventType"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(events, ["in-alarm", "alarm-cleared"]);
    s.sweep_alerts().unwrap();
    assert_eq!(ok(&s, "GET", "/sandbox/alerts", "")["alerts"].as_array().unwrap().len(), 2);
    let quiet = json!({"behaviors": [{"name": "Ports", "metric": "aws:listening-tcp-ports", "suppressAlerts": true,
        "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22]}}}]});
    ok(&s, "PATCH", "/security-profiles/ports", &quiet.to_string());
    std::thread::sleep(Duration::from_millis(1100));
    report(&s, "dev-IZWB", 3, &[22, 4444]);
    assert_eq!(ok(&s, "GET", "/sandbox/alerts", "")["alerts"].as_array().unwrap().len(), 2, "suppressed");
    assert_eq!(
        ok(&s, "GET", "/active-violations?thingName=dev-IZWB", "")["activeViolations"].as_array().unwrap().len(),
        1,
        "a suppressed behavior is still evaluated"
    );
}

#[test]
fn bad_mitigation_input_is_refused_at_its_field_and_nothing_is_kept() {
    let s = service();
    let role = "arn:aws:iam::123456789012:role/dd-mitigation";
    for (params, field) in [
        (json!({"addThingsToThingGroupParams": {"thingGroupNames": []}}), "thingGroupNames"),
        (json!({"addThingsToThingGroupParams": {"thingGroupNames": ["bad group"]}}), "thingGroupNames[0]"),
        (json!({"updateDeviceCertificateParams": {"action": "ACTIVATE"}}), "updateDeviceCertificateParams.action"),
        (json!({"updateCACertificateParams": {}}), "updateCACertificateParams.action"),
        (json!({"replaceDefaultPolicyVersionParams": {"templateName": "FULL"}}), "templateName"),
        (json!({"enableIoTLoggingParams": {"roleArnForLogging": role, "logLevel": "LOUD"}}), "logLevel"),
        (json!({"publishFindingToSnsParams": {"topicArn": "x".repeat(351)}}), "topicArn"),
        (json!({}), "actionParams"),
        (
            json!({"addThingsToThingGroupParams": {"thingGroupNames": ["q"]}, "publishFindingToSnsParams": {"topicArn": TOPIC}}),
            "exactly one",
        ),
    ] {
        let body = json!({"roleArn": role, "actionParams": params}).to_string();
        let (status, answer) = call(&s, "POST", "/mitigationactions/actions/a1", &body);
        let message = answer["message"].as_str().unwrap_or_default();
        assert_eq!(status, 400, "{params}: {answer}");
        assert!(message.contains(field), "{params}: {message}");
    }
    assert_eq!(ok(&s, "GET", "/mitigationactions/actions", "")["actionIdentifiers"], json!([]), "nothing kept");

    // A task: an unknown action, a profile with no violation, a repeated id with another token.
    ok(&s, "POST", "/thing-groups/quarantine", "{}");
    let action =
        json!({"roleArn": role, "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": ["quarantine"]}}});
    ok(&s, "POST", "/mitigationactions/actions/quarantine", &action.to_string());
    ok(
        &s,
        "POST",
        "/security-profiles/quiet",
        r#"{"behaviors": [{"name": "Ports", "metric": "aws:listening-tcp-ports",
        "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22]}}}]}"#,
    );
    let task = |actions: &[&str], token: &str| {
        json!({"target": {"securityProfileName": "quiet"}, "actions": actions, "clientRequestToken": token}).to_string()
    };
    let (status, answer) = call(&s, "PUT", "/detect/mitigationactions/tasks/t1", &task(&["nuke"], "a"));
    assert_eq!(status, 400);
    assert!(answer["message"].as_str().unwrap().contains("Mitigation action nuke does not exist"), "{answer}");
    let (status, answer) = call(&s, "PUT", "/detect/mitigationactions/tasks/t1", &task(&["quarantine"], "a"));
    assert_eq!(status, 400);
    assert!(answer["message"].as_str().unwrap().starts_with("No violation matches"), "{answer}");
    assert_eq!(call(&s, "GET", "/detect/mitigationactions/tasks/t1", "").0, 404, "nothing half-done");

    // With a violation of a registered thing: it moves into the group, once.
    ok(&s, "POST", "/things/cam-1", "{}");
    ok(&s, "PUT", &format!("/security-profiles/quiet/targets?securityProfileTargetArn={ALL_UNREGISTERED}"), "");
    let registered = "arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Aall%2Fregistered-things";
    ok(&s, "PUT", &format!("/security-profiles/quiet/targets?securityProfileTargetArn={registered}"), "");
    report(&s, "cam-1", 1, &[22, 8883]);
    assert_eq!(ok(&s, "PUT", "/detect/mitigationactions/tasks/t1", &task(&["quarantine"], "a"))["taskId"], "t1");
    assert_eq!(ok(&s, "PUT", "/detect/mitigationactions/tasks/t1", &task(&["quarantine"], "a"))["taskId"], "t1");
    let (status, answer) = call(&s, "PUT", "/detect/mitigationactions/tasks/t1", &task(&["quarantine"], "b"));
    assert_eq!((status, answer["__type"].as_str().or(answer["message"].as_str()).is_some()), (400, true));
    assert!(answer["message"].as_str().unwrap().contains("another clientRequestToken"), "{answer}");
    assert_eq!(ok(&s, "GET", "/thing-groups/quarantine/things", "")["things"], json!(["cam-1"]));
    let summary = &ok(&s, "GET", "/detect/mitigationactions/tasks/t1", "")["taskSummary"];
    assert_eq!(summary["taskStatistics"], json!({"actionsExecuted": 1, "actionsSkipped": 0, "actionsFailed": 0}));

    // Another kind of action is skipped, saying why; a second group in the
    // same hierarchy fails the execution and leaves the thing's groups.
    let log = json!({"roleArn": role, "actionParams": {"enableIoTLoggingParams": {"roleArnForLogging": role, "logLevel": "INFO"}}});
    ok(&s, "POST", "/mitigationactions/actions/logging", &log.to_string());
    ok(&s, "POST", "/thing-groups/quarantine-west", r#"{"parentGroupName": "quarantine"}"#);
    let west = json!({"roleArn": role, "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": ["quarantine-west"]}}});
    ok(&s, "POST", "/mitigationactions/actions/west", &west.to_string());
    ok(&s, "PUT", "/detect/mitigationactions/tasks/t2", &task(&["logging", "west"], "c"));
    let executions = ok(&s, "GET", "/detect/mitigationactions/executions?taskId=t2", "");
    let by_action = |name: &str| {
        executions["actionsExecutions"].as_array().unwrap().iter().find(|e| e["actionName"] == name).unwrap().clone()
    };
    assert_eq!(by_action("logging")["status"], "SKIPPED");
    assert!(by_action("logging")["message"].as_str().unwrap().contains("only ADD_THINGS_TO_THING_GROUP"));
    assert_eq!(
        (by_action("west")["status"].as_str(), by_action("west")["errorCode"].as_str()),
        (Some("FAILED"), Some("InvalidRequestException"))
    );
    assert_eq!(ok(&s, "GET", "/thing-groups/quarantine-west/things", "")["things"], json!([]));
}

#[test]
fn the_commands_refuse_bad_mitigation_input_before_sending_anything() {
    let dir = temp_dir("alerts-commands");
    let ddsp = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ddsp"));
        sandbox_env(&mut cmd, &dir);
        // Nothing listens there: a request that got through would fail differently.
        cmd.args(args).args(["--endpoint-url", "http://127.0.0.1:9"]).output().unwrap()
    };
    let role = "arn:aws:iam::123456789012:role/dd";
    for (args, said) in [
        (
            vec![
                "create-mitigation-action",
                "--action-name",
                "a",
                "--role-arn",
                role,
                "--action-params",
                "updateDeviceCertificateParams={action=ACTIVATE}",
            ],
            "actionParams.updateDeviceCertificateParams.action",
        ),
        (
            vec![
                "create-mitigation-action",
                "--action-name",
                "a",
                "--role-arn",
                role,
                "--action-params",
                "addThingsToThingGroupParams={thingGroupNames=[a,a]}",
            ],
            "thingGroupNames[1]",
        ),
        (
            vec![
                "start-detect-mitigation-actions-task",
                "--task-id",
                "t",
                "--target",
                "behaviorName=b",
                "--actions",
                "a",
            ],
            "target",
        ),
        (vec!["list-detect-mitigation-actions-executions"], "taskId"),
    ] {
        let out = ddsp(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{args:?}: {stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
}

/// moto_server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    url: String,
}

impl Moto {
    fn start() -> Moto {
        let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/moto_server");
        assert!(bin.exists(), "moto_server is missing; scripts/test installs it into .venv");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + timeout();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, url }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn aws(dir: &Path, url: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(require_aws_cli());
    sandbox_env(&mut cmd, dir);
    cmd.current_dir(dir).args(["--endpoint-url", url, "--output", "json"]).args(args).output().unwrap()
}

fn aws_json(dir: &Path, url: &str, args: &[&str]) -> Value {
    let out = aws(dir, url, args);
    assert!(out.status.success(), "aws {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() }
}

fn ddsp(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ddsp"));
    sandbox_env(&mut cmd, dir);
    cmd.current_dir(dir).args(args).output().unwrap()
}

/// Posts a report of `thing` listening on 22 and `port` to the sandbox's
/// unsigned HTTP report path (the sandbox runs with --no-auth); it must be accepted.
fn post_report(url: &str, thing: &str, port: u16) {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let body = format!(
        r#"{{"header":{{"report_id":1,"version":"1.0"}},"metrics":{{"listening_tcp_ports":{{"ports":[{{"port":22}},{{"port":{port}}}],"total":2}}}}}}"#
    );
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "POST /sandbox/things/{thing}/metrics HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.contains("\"status\":\"ACCEPTED\""), "{answer}");
}

/// Polls `f` until it answers, for at most the test timeout.
fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

#[test]
#[ignore = "needs the AWS CLI and moto_server: scripts/test installs them into .venv"]
fn a_violation_alerts_through_sns_and_a_mitigation_task_quarantines_its_thing() {
    let dir: PathBuf = temp_dir("alerts-end-to-end");
    // Times as sent, in both CLIs (AWS CLI v1 prints epoch seconds; ddsp, as v2, ISO 8601 unless told).
    std::fs::write(dir.join("config"), "[default]\ncli_timestamp_format = none\n").unwrap();
    let moto = Moto::start();
    // An SNS topic with an SQS queue subscribed, in moto's account.
    let topic = aws_json(&dir, &moto.url, &["sns", "create-topic", "--name", "alerts"])["TopicArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue = aws_json(&dir, &moto.url, &["sqs", "create-queue", "--queue-name", "alerts"])["QueueUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue_arn = aws_json(
        &dir,
        &moto.url,
        &["sqs", "get-queue-attributes", "--queue-url", &queue, "--attribute-names", "QueueArn"],
    )["Attributes"]["QueueArn"]
        .as_str()
        .unwrap()
        .to_owned();
    aws_json(
        &dir,
        &moto.url,
        &["sns", "subscribe", "--topic-arn", &topic, "--protocol", "sqs", "--notification-endpoint", &queue_arn],
    );

    let sandbox = SandboxProcess::start(&[
        "--in-memory",
        "--no-auth",
        "--no-mqtt",
        "--demo-fleet",
        "24",
        "--report-interval",
        "0",
        "--sns-endpoint-url",
        &moto.url,
    ]);
    let iot = |args: &[&str]| aws_json(&dir, &sandbox.url, &[&["iot"][..], args].concat());
    let targets = format!("SNS={{alertTargetArn={topic},roleArn=arn:aws:iam::123456789012:role/dd-alerts}}");
    iot(&["update-security-profile", "--security-profile-name", "demo-fleet-watch", "--alert-targets", &targets]);

    // demo-device-003 starts listening on 4444: a violation of ListeningPorts.
    post_report(&sandbox.url, "demo-device-003", 4444);

    // The alert, listed by ddsp sandbox alerts once SNS took it.
    let alert = wait_for("the alert's delivery", || {
        let out = ddsp(&dir, &["sandbox", "alerts", "--endpoint-url", &sandbox.url, "--thing-name", "demo-device-003"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let first: Value = serde_json::from_str(text.lines().next()?).unwrap();
        (first["delivery"]["status"] == "DELIVERED").then_some(first)
    });
    assert_eq!(alert["topicArn"], topic.as_str());
    assert_eq!(alert["violationEventType"], "in-alarm");
    assert_eq!(alert["message"]["behavior"]["name"], "ListeningPorts");
    let table = ddsp(&dir, &["sandbox", "alerts", "--endpoint-url", &sandbox.url, "--output", "table"]);
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.lines().next().unwrap().starts_with("TIME"), "{table}");
    assert!(table.contains("demo-device-003") && table.contains("DELIVERED"), "{table}");

    // The same document, read from the queue SNS delivered it to.
    let received = wait_for("the SQS message", || {
        let got =
            aws_json(&dir, &moto.url, &["sqs", "receive-message", "--queue-url", &queue, "--wait-time-seconds", "2"]);
        got["Messages"].as_array().and_then(|m| m.first().cloned())
    });
    let envelope: Value = serde_json::from_str(received["Body"].as_str().unwrap()).unwrap();
    assert_eq!(envelope["TopicArn"], topic.as_str());
    assert_eq!(envelope["MessageId"], alert["delivery"]["messageId"]);
    let message: Value = serde_json::from_str(envelope["Message"].as_str().unwrap()).unwrap();
    assert_eq!(message, alert["message"]);

    // A mitigation task on that violation: the thing lands in quarantine.
    let violation = alert["violationId"].as_str().unwrap();
    let started = iot(&[
        "start-detect-mitigation-actions-task",
        "--task-id",
        "quarantine-1",
        "--target",
        &format!("violationIds={violation}"),
        "--actions",
        "quarantine",
        "--client-request-token",
        "first",
    ]);
    assert_eq!(started["taskId"], "quarantine-1");
    let members = iot(&["list-things-in-thing-group", "--thing-group-name", "quarantine"]);
    assert_eq!(members["things"], json!(["demo-device-003"]));
    let executions = iot(&["list-detect-mitigation-actions-executions", "--task-id", "quarantine-1"]);
    let e = &executions["actionsExecutions"][0];
    assert_eq!(
        (e["thingName"].as_str(), e["violationId"].as_str(), e["status"].as_str()),
        (Some("demo-device-003"), Some(violation), Some("SUCCESSFUL"))
    );
    let ours = ddsp(
        &dir,
        &["list-detect-mitigation-actions-executions", "--task-id", "quarantine-1", "--endpoint-url", &sandbox.url],
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&ours.stdout).unwrap(),
        executions,
        "ddsp prints what the AWS CLI prints"
    );
    let summary = iot(&["describe-detect-mitigation-actions-task", "--task-id", "quarantine-1"]);
    assert_eq!(summary["taskSummary"]["taskStatus"], "SUCCESSFUL");
    // The same id with another token: refused, and the task is as it was.
    let again = aws(
        &dir,
        &sandbox.url,
        &[
            "iot",
            "start-detect-mitigation-actions-task",
            "--task-id",
            "quarantine-1",
            "--target",
            &format!("violationIds={violation}"),
            "--actions",
            "quarantine",
            "--client-request-token",
            "second",
        ],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("TaskAlreadyExistsException"));
}

#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv"]
fn the_mitigation_input_skeletons_are_the_aws_clis() {
    let dir = temp_dir("alerts-skeletons");
    // The AWS CLI fills an enum with a random one of its values: strings are
    // compared as strings, the members, their order and the other types as they are.
    fn shape(v: &Value) -> Value {
        match v {
            Value::String(_) => json!(""),
            Value::Array(items) => Value::Array(items.iter().map(shape).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
            other => other.clone(),
        }
    }
    for command in [
        "create-mitigation-action",
        "describe-mitigation-action",
        "list-mitigation-actions",
        "update-mitigation-action",
        "delete-mitigation-action",
        "start-detect-mitigation-actions-task",
        "describe-detect-mitigation-actions-task",
        "list-detect-mitigation-actions-tasks",
        "cancel-detect-mitigation-actions-task",
        "list-detect-mitigation-actions-executions",
    ] {
        let theirs = aws(&dir, "http://127.0.0.1:9", &["iot", command, "--generate-cli-skeleton", "input"]);
        let ours = ddsp(&dir, &[command, "--generate-cli-skeleton", "input"]);
        let read = |out: &std::process::Output| -> Value { serde_json::from_slice(&out.stdout).unwrap() };
        let (ours, theirs) = (read(&ours), read(&theirs));
        assert_eq!(
            serde_json::to_string(&shape(&ours)).unwrap(),
            serde_json::to_string(&shape(&theirs)).unwrap(),
            "{command}"
        );
    }
}

#[test]
fn an_alert_sns_refuses_is_tried_again_and_its_error_kept() {
    let dir = temp_dir("alerts-retry");
    // Nothing listens on the SNS endpoint: every publish fails to connect.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sns = format!("http://127.0.0.1:{closed}");
    let sandbox = SandboxProcess::start(&[
        "--in-memory",
        "--no-auth",
        "--no-mqtt",
        "--report-interval",
        "0",
        "--sns-endpoint-url",
        &sns,
    ]);
    let profile = json!({
        "behaviors": [{"name": "Ports", "metric": "aws:listening-tcp-ports",
            "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22]}}}],
        "alertTargets": {"SNS": {"alertTargetArn": TOPIC, "roleArn": "arn:aws:iam::123456789012:role/dd-alerts"}}
    });
    let e = ["--endpoint-url", sandbox.url.as_str(), "--region", "us-east-1"];
    let file = dir.join("ports.json");
    std::fs::write(&file, profile.to_string()).unwrap();
    let made = ddsp(
        &dir,
        &[
            &[
                "create-security-profile",
                "--security-profile-name",
                "ports",
                "--cli-input-json",
                &format!("file://{}", file.display()),
            ][..],
            &e[..],
        ]
        .concat(),
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let target = "arn:aws:iot:us-east-1:123456789012:all/unregistered-things";
    let attached =
        ddsp(
            &dir,
            &[
                &[
                    "attach-security-profile",
                    "--security-profile-name",
                    "ports",
                    "--security-profile-target-arn",
                    target,
                ][..],
                &e[..],
            ]
            .concat(),
        );
    assert!(attached.status.success(), "{}", String::from_utf8_lossy(&attached.stderr));
    post_report(&sandbox.url, "cam-1", 8883);
    // Two attempts (the second a second after the first), each error kept.
    let alert = wait_for("a second attempt", || {
        let out = ddsp(&dir, &["sandbox", "alerts", "--endpoint-url", &sandbox.url]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let first: Value = serde_json::from_str(text.lines().next()?).unwrap();
        (first["delivery"]["attempts"].as_i64() >= Some(2)).then_some(first)
    });
    let delivery = &alert["delivery"];
    assert_eq!(delivery["status"], "PENDING", "tried again later: {delivery}");
    assert!(delivery["lastError"].as_str().is_some_and(|e| !e.is_empty()), "{delivery}");
    assert!(delivery["nextAttempt"].as_f64().is_some(), "{delivery}");
}

#[test]
fn a_statistical_thresholds_alert_comes_from_the_minutes_sweep_not_after_each_report() {
    // Three things' messages in one window: 1, 2 and 100; p50 is 2, so the one at 100 alarms.
    let t0: u64 = 1_800_000_000;
    let now = Arc::new(AtomicU64::new(t0 + 1));
    let clock = Arc::clone(&now);
    let s = service()
        .with_devices(ddsp::sandbox::devices::Devices::new(None, 0))
        .with_clock(Arc::new(move || UNIX_EPOCH + Duration::from_secs(clock.load(Ordering::SeqCst))));
    let profile = json!({
        "behaviors": [{"name": "Sent", "metric": "aws:num-messages-sent", "criteria": {
            "comparisonOperator": "less-than-equals", "statisticalThreshold": {"statistic": "p50"}, "durationSeconds": 300}}],
        "alertTargets": {"SNS": {"alertTargetArn": TOPIC, "roleArn": "arn:aws:iam::123456789012:role/dd-alerts"}}
    });
    ok(&s, "POST", "/security-profiles/fleet", &profile.to_string());
    ok(&s, "PUT", &format!("/security-profiles/fleet/targets?securityProfileTargetArn={ALL_UNREGISTERED}"), "");
    let (tx, rx) = std::sync::mpsc::channel();
    let sent =
        |thing: &str, n: f64| Reading { thing: thing.into(), value: Reported::Number(n), ..reading(t0 as i64 + 10) };
    tx.send(Ingest::Readings(vec![sent("quiet", 1.0), sent("usual", 2.0), sent("loud", 100.0)])).unwrap();
    tx.send(Ingest::End(Ok(()))).unwrap();
    drop(tx);
    s.ingest("us-east-1", rx).unwrap();
    now.store(t0 + 301, Ordering::SeqCst);
    // The window has closed and loud's violation is listed; its report does not sweep the fleet-wide behavior.
    let active = ok(&s, "GET", "/active-violations?thingName=loud", "");
    assert_eq!(active["activeViolations"].as_array().unwrap().len(), 1, "{active}");
    report(&s, "loud", 1, &[22]);
    assert_eq!(ok(&s, "GET", "/sandbox/alerts", "")["alerts"].as_array().unwrap().len(), 0);
    // The minute's sweep sends it.
    assert_eq!(s.sweep_alerts().unwrap(), 1);
    let alert = &ok(&s, "GET", "/sandbox/alerts", "")["alerts"][0];
    assert_eq!((alert["thingName"].as_str(), alert["violationEventType"].as_str()), (Some("loud"), Some("in-alarm")));
}
