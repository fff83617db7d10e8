//! The sandbox against the IoT service model (boto/botocore's service-2.json,
//! its HTTP bindings, output members and error status codes, kept as
//! tests/fixtures/iot-model-bindings.json): every operation is routed from
//! the model's method and path, every answer of the device operations names
//! only the model's members, and every error carries the model's status.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::sandbox::{Faults, Request, Service, Store};
use serde_json::Value;

fn model() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/iot-model-bindings.json"))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn service() -> Service {
    Service::new(Store::open(None).unwrap(), None, "us-east-1".into(), None, Faults::default())
}

fn call(
    s: &Service,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Option<&'static str>, Value, &'static str) {
    let req = Request {
        method: method.into(),
        target: target.into(),
        headers: headers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        body: body.as_bytes().to_vec(),
    };
    let r = s.handle(&req, 0.5);
    (r.status, r.error_type, serde_json::from_slice(&r.body).unwrap_or(Value::Null), r.operation)
}

/// The model's path with every label filled.
fn filled(uri: &str) -> String {
    let mut out = String::new();
    let mut rest = uri;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').unwrap() + start;
        let label = &rest[start + 1..end];
        out.push_str(if label == "certificateId" {
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        } else {
            "label-1"
        });
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_operation_is_routed_from_the_models_method_and_path() {
    let s = service();
    let model = model();
    let ops = model["operations"].as_object().unwrap();
    assert!(ops.len() >= 47);
    for (name, op) in ops {
        let uri = filled(op["requestUri"].as_str().unwrap());
        let (_, _, _, routed) = call(&s, op["method"].as_str().unwrap(), &uri, &[], "{}");
        assert_eq!(routed, name, "{} {uri}", op["method"]);
    }
}

/// Every member of `answer` is one of the model's (`shape`), recursively.
fn only_model_members(answer: &Value, shape: &Value, at: &str) {
    match (answer, shape) {
        (Value::Object(a), Value::Object(s)) => {
            for (k, v) in a {
                let Some(inner) = s.get(k) else { panic!("{at}.{k} is not in the model") };
                only_model_members(v, inner, &format!("{at}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(s)) if !s.is_empty() => {
            for v in a {
                only_model_members(v, &s[0], &format!("{at}[]"));
            }
        }
        _ => {}
    }
}

#[test]
fn the_device_operations_answer_with_the_models_members_and_status_codes() {
    let s = service();
    let model = model();
    let output = |op: &str| model["operations"][op]["output"].clone();
    let status_of = |error: &str| model["errors"][error].as_u64().unwrap() as u16;

    let (status, _, made, _) = call(&s, "POST", "/keys-and-certificate?setAsActive=true", &[], "");
    assert_eq!(status, 200);
    only_model_members(&made, &output("CreateKeysAndCertificate"), "CreateKeysAndCertificate");
    let id = made["certificateId"].as_str().unwrap().to_owned();
    let arn = made["certificateArn"].as_str().unwrap().to_owned();
    for (op, method, target) in [
        ("DescribeCertificate", "GET", format!("/certificates/{id}")),
        ("ListCertificates", "GET", "/certificates?pageSize=1&isAscendingOrder=true".to_owned()),
        ("DescribeEndpoint", "GET", "/endpoint?endpointType=iot%3AData-ATS".to_owned()),
    ] {
        let (status, _, answer, _) = call(&s, method, &target, &[], "");
        assert_eq!(status, 200, "{op}: {answer}");
        only_model_members(&answer, &output(op), op);
    }
    assert_eq!(call(&s, "POST", "/things/dev-1", &[], "{}").0, 200);
    let (status, _, answer, _) = call(&s, "PUT", "/things/dev-1/principals", &[("x-amzn-principal", &arn)], "");
    assert_eq!(status, 200, "{answer}");
    let (_, _, listed, _) = call(&s, "GET", "/things/dev-1/principals", &[], "");
    only_model_members(&listed, &output("ListThingPrincipals"), "ListThingPrincipals");
    assert_eq!(listed["principals"][0], arn.as_str());

    // Errors: the model's exception and its status.
    for (method, target, error) in [
        ("DELETE", format!("/certificates/{id}"), "CertificateStateException"),
        ("GET", format!("/certificates/{}", "f".repeat(64)), "ResourceNotFoundException"),
        ("GET", "/certificates/xyz".to_owned(), "InvalidRequestException"),
        ("PUT", format!("/certificates/{id}?newStatus=PENDING_TRANSFER"), "InvalidRequestException"),
        ("PUT", "/things/nobody/principals".to_owned(), "InvalidRequestException"),
    ] {
        let (status, code, body, op) = call(&s, method, &target, &[], "");
        assert_eq!(code, Some(error), "{method} {target}: {body}");
        assert_eq!(status, status_of(error), "{method} {target}");
        let listed: Vec<&str> =
            model["operations"][op]["errors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
        assert!(listed.contains(&error), "{op} does not list {error} in the model");
    }
    assert_eq!(call(&s, "PUT", &format!("/certificates/{id}?newStatus=INACTIVE"), &[], "").0, 200);
    let (status, code, _, _) = call(&s, "DELETE", &format!("/certificates/{id}"), &[], "");
    assert_eq!((status, code), (status_of("DeleteConflictException"), Some("DeleteConflictException")));
}

/// A profile watching every unregistered thing's ports, and a report of
/// `thing` that breaks it: one violation in alarm.
fn violating(s: &Service, thing: &str) {
    let profile = r#"{"behaviors": [{"name": "Ports", "metric": "aws:listening-tcp-ports",
        "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22]}}}]}"#;
    assert_eq!(call(s, "POST", "/security-profiles/ports", &[], profile).0, 200);
    let target = "arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Aall%2Funregistered-things";
    assert_eq!(
        call(s, "PUT", &format!("/security-profiles/ports/targets?securityProfileTargetArn={target}"), &[], "").0,
        200
    );
    let report = r#"{"header": {"report_id": 1, "version": "1.0"},
        "metrics": {"listening_tcp_ports": {"ports": [{"port": 22}, {"port": 8883}], "total": 2}}}"#;
    let (status, _, answer, _) = call(s, "POST", &format!("/sandbox/things/{thing}/metrics"), &[], report);
    assert_eq!((status, answer["status"].as_str()), (200, Some("ACCEPTED")), "{answer}");
}

#[test]
fn the_mitigation_operations_answer_with_the_models_members_and_status_codes() {
    let s = service();
    let model = model();
    let output = |op: &str| model["operations"][op]["output"].clone();
    let status_of = |error: &str| model["errors"][error].as_u64().unwrap() as u16;
    let errors_of = |op: &str| -> Vec<String> {
        model["operations"][op]["errors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect()
    };
    violating(&s, "sensor-1");
    let action = r#"{"roleArn": "arn:aws:iam::123456789012:role/dd-mitigation",
        "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": ["quarantine"]}}}"#;
    assert_eq!(call(&s, "POST", "/thing-groups/quarantine", &[], "{}").0, 200);
    let task = r#"{"target": {"securityProfileName": "ports"}, "actions": ["quarantine"], "clientRequestToken": "t1"}"#;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let window = format!("startTime={}&endTime={}", now - 60, now + 60);
    for (op, method, target, body) in [
        ("CreateMitigationAction", "POST", "/mitigationactions/actions/quarantine".to_owned(), action),
        ("DescribeMitigationAction", "GET", "/mitigationactions/actions/quarantine".to_owned(), ""),
        (
            "ListMitigationActions",
            "GET",
            "/mitigationactions/actions?actionType=ADD_THINGS_TO_THING_GROUP".to_owned(),
            "",
        ),
        ("UpdateMitigationAction", "PATCH", "/mitigationactions/actions/quarantine".to_owned(), action),
        ("StartDetectMitigationActionsTask", "PUT", "/detect/mitigationactions/tasks/task-1".to_owned(), task),
        ("DescribeDetectMitigationActionsTask", "GET", "/detect/mitigationactions/tasks/task-1".to_owned(), ""),
        ("ListDetectMitigationActionsTasks", "GET", format!("/detect/mitigationactions/tasks?{window}"), ""),
        (
            "ListDetectMitigationActionsExecutions",
            "GET",
            "/detect/mitigationactions/executions?taskId=task-1".to_owned(),
            "",
        ),
        (
            "ListDetectMitigationActionsExecutions",
            "GET",
            format!("/detect/mitigationactions/executions?{window}&thingName=sensor-1"),
            "",
        ),
    ] {
        let (status, _, answer, routed) = call(&s, method, &target, &[], body);
        assert_eq!((status, routed), (200, op), "{op}: {answer}");
        only_model_members(&answer, &output(op), op);
    }
    let (_, _, executions, _) = call(&s, "GET", "/detect/mitigationactions/executions?taskId=task-1", &[], "");
    let first = &executions["actionsExecutions"][0];
    assert_eq!(
        (first["status"].as_str(), first["errorCode"].as_str()),
        (Some("FAILED"), Some("ResourceNotFoundException")),
        "sensor-1 is not registered: {executions}"
    );

    // Errors: the model's exception, its status, and listed for the operation.
    let other_token =
        r#"{"target": {"securityProfileName": "ports"}, "actions": ["quarantine"], "clientRequestToken": "t2"}"#;
    for (method, target, body, error) in [
        ("POST", "/mitigationactions/actions/quarantine", action, "ResourceAlreadyExistsException"),
        ("GET", "/mitigationactions/actions/nothing", "", "ResourceNotFoundException"),
        ("PUT", "/detect/mitigationactions/tasks/task-1", other_token, "TaskAlreadyExistsException"),
        ("GET", "/detect/mitigationactions/tasks/nothing", "", "ResourceNotFoundException"),
        ("PUT", "/detect/mitigationactions/tasks/task-1/cancel", "", "InvalidRequestException"),
        ("GET", "/detect/mitigationactions/executions", "", "InvalidRequestException"),
        ("GET", "/mitigationactions/actions?actionType=NUKE", "", "InvalidRequestException"),
    ] {
        let (status, code, answer, op) = call(&s, method, target, &[], body);
        assert_eq!(code, Some(error), "{method} {target}: {answer}");
        assert_eq!(status, status_of(error), "{method} {target}");
        assert!(errors_of(op).iter().any(|e| e == error), "{op} does not list {error} in the model");
    }
    assert_eq!(call(&s, "DELETE", "/mitigationactions/actions/quarantine", &[], "").0, 200);
    assert_eq!(
        call(&s, "DELETE", "/mitigationactions/actions/quarantine", &[], "").0,
        200,
        "deleting twice is no error"
    );
}
