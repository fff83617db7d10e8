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
