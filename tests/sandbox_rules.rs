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
