//! The sandbox judges requests as the validator does and as AWS does (service.md
//! §7): raw requests, as a client other than the SDKs and the CLI would send
//! them, straight into `Service::handle`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::sandbox::{Faults, Request, Response, Service, Store};
use serde_json::{Value, json};

fn service() -> Service {
    Service::new(Store::open(None).unwrap(), None, "us-east-1".into(), None, Faults::default())
}

fn send(service: &Service, method: &str, target: &str, body: Value) -> (u16, Option<&'static str>, Value) {
    let request = Request {
        method: method.into(),
        target: target.into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: serde_json::to_vec(&body).unwrap(),
    };
    let Response { status, error_type, body, .. } = service.handle(&request, 0.5);
    let body = if body.is_empty() { json!({}) } else { serde_json::from_slice(&body).unwrap() };
    (status, error_type, body)
}

#[test]
fn create_dimension_and_custom_metric_need_a_client_request_token() {
    let s = service();
    let (status, code, body) =
        send(&s, "POST", "/dimensions/Topics", json!({"type": "TOPIC_FILTER", "stringValues": ["a/#"]}));
    assert_eq!((status, code), (400, Some("InvalidRequestException")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("clientRequestToken is required"), "{body}");
    let (status, code, _) = send(&s, "POST", "/custom-metric/battery", json!({"metricType": "number"}));
    assert_eq!((status, code), (400, Some("InvalidRequestException")));
    // With the token the SDKs and the CLI fill in, both are created.
    let (status, _, body) = send(
        &s,
        "POST",
        "/dimensions/Topics",
        json!({"type": "TOPIC_FILTER", "stringValues": ["a/#"], "clientRequestToken": "t-1"}),
    );
    assert_eq!(status, 200, "{body}");
    let (status, _, body) =
        send(&s, "POST", "/custom-metric/battery", json!({"metricType": "number", "clientRequestToken": "t-2"}));
    assert_eq!(status, 200, "{body}");
}

#[test]
fn tag_resource_numbers_the_tags_as_sent() {
    let s = service();
    let tags = json!([{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]);
    let (status, _, created) = send(&s, "POST", "/security-profiles/P", json!({"tags": tags}));
    assert_eq!(status, 200, "{created}");
    let arn = created["securityProfileArn"].as_str().unwrap();
    let (status, code, body) =
        send(&s, "POST", "/tags", json!({"resourceArn": arn, "tags": [{"Key": "aws:reserved", "Value": "x"}]}));
    assert_eq!((status, code), (400, Some("InvalidRequestException")), "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("tags[0].Key"), "{message}");
    assert!(!message.contains("tags[2]"), "{message}");
}

#[test]
fn a_retried_create_is_idempotent_whatever_the_tag_order() {
    let s = service();
    let first =
        json!({"securityProfileDescription": "d", "tags": [{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]});
    let again =
        json!({"securityProfileDescription": "d", "tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]});
    let (status, _, one) = send(&s, "POST", "/security-profiles/P", first);
    assert_eq!(status, 200);
    let (status, _, two) = send(&s, "POST", "/security-profiles/P", again);
    assert_eq!(status, 200, "{two}");
    assert_eq!(one["securityProfileArn"], two["securityProfileArn"]);
    // Different tags are different parameters.
    let other = json!({"securityProfileDescription": "d", "tags": [{"Key": "a", "Value": "9"}]});
    let (status, code, _) = send(&s, "POST", "/security-profiles/P", other);
    assert_eq!((status, code), (409, Some("ResourceAlreadyExistsException")));
}

#[test]
fn what_the_validator_only_warns_about_is_not_refused() {
    let s = service();
    let role = "arn:aws:iam::123456789012:role/export";
    let (status, _, _) = send(
        &s,
        "POST",
        "/security-profiles/P",
        json!({"metricsExportConfig": {"mqttTopic": "t", "roleArn": role},
               "additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}]}),
    );
    assert_eq!(status, 200);
    // Both are unconfirmed rules (service.md §7): a warning in ddsp, so accepted here.
    let (status, _, body) = send(
        &s,
        "PATCH",
        "/security-profiles/P?expectedVersion=1",
        json!({"deleteMetricsExportConfig": true, "metricsExportConfig": {"mqttTopic": "u", "roleArn": role}}),
    );
    assert_eq!(status, 200, "{body}");
    let (status, _, body) = send(
        &s,
        "PATCH",
        "/security-profiles/P?expectedVersion=2",
        json!({"deleteAdditionalMetricsToRetain": true, "additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}]}),
    );
    assert_eq!(status, 200, "{body}");
    // The documented conflict is still refused.
    let (status, code, _) = send(
        &s,
        "PATCH",
        "/security-profiles/P",
        json!({"deleteBehaviors": true, "behaviors": [{"name": "b", "metric": "aws:num-disconnects",
               "criteria": {"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 300}}]}),
    );
    assert_eq!((status, code), (400, Some("InvalidRequestException")));
}

#[test]
fn null_members_are_refused_by_the_sandbox_as_by_the_validator() {
    let s = service();
    let (status, code, body) = send(&s, "POST", "/security-profiles/P", json!({"behaviors": null}));
    assert_eq!((status, code), (400, Some("InvalidRequestException")), "{body}");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("Invalid type for parameter behaviors, value: null"), "{message}");
    // A list where a structure belongs is refused too, at its path.
    let (status, _, body) = send(
        &s,
        "POST",
        "/security-profiles/P",
        json!({"behaviors": [{"name": "b", "metric": "aws:num-disconnects", "criteria": ["greater-than"]}]}),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body["message"].as_str().unwrap().contains("behaviors[0].criteria, value: a list"), "{body}");
}

/// The headers of a request signed with the sandbox's keys at `time`.
fn signed_headers(method: &str, target: &str, body: &[u8], time: std::time::SystemTime) -> Vec<(String, String)> {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    use aws_sigv4::sign::v4;
    let keys = ddsp::sandbox::default_keys();
    let identity: aws_smithy_runtime_api::client::identity::Identity =
        aws_credential_types::Credentials::new(&keys.access_key, &keys.secret_key, None, None, "test").into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("iot")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let uri = format!("http://127.0.0.1:7411{target}");
    let request = SignableRequest::new(method, uri, std::iter::empty(), SignableBody::Bytes(body)).unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let mut headers = vec![("host".to_owned(), "127.0.0.1:7411".to_owned())];
    headers.extend(instructions.headers().map(|(k, v)| (k.to_owned(), v.to_owned())));
    headers
}

#[test]
fn a_captured_request_cannot_be_replayed_later() {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, SystemTime};
    let now = Arc::new(Mutex::new(SystemTime::now()));
    let clock = Arc::clone(&now);
    let service = Service::new(
        Store::open(None).unwrap(),
        None,
        "us-east-1".into(),
        Some(ddsp::sandbox::default_keys()),
        Faults::default(),
    )
    .with_clock(Arc::new(move || *clock.lock().unwrap()));
    let sent_at = *now.lock().unwrap();
    let request = Request {
        method: "GET".into(),
        target: "/security-profiles".into(),
        headers: signed_headers("GET", "/security-profiles", b"", sent_at),
        body: Vec::new(),
    };
    assert_eq!(service.handle(&request, 0.5).status, 200, "fresh");
    *now.lock().unwrap() = sent_at + Duration::from_secs(14 * 60);
    assert_eq!(service.handle(&request, 0.5).status, 200, "14 minutes later");
    *now.lock().unwrap() = sent_at + Duration::from_secs(16 * 60);
    let replayed = service.handle(&request, 0.5);
    assert_eq!((replayed.status, replayed.error_type), (403, Some("InvalidSignatureException")));
    let body: Value = serde_json::from_slice(&replayed.body).unwrap();
    assert!(body["message"].as_str().unwrap().starts_with("Signature expired: "), "{body}");
    // A request dated in the future is refused too.
    *now.lock().unwrap() = sent_at - Duration::from_secs(16 * 60);
    let early = service.handle(&request, 0.5);
    assert_eq!(early.status, 403);
}
