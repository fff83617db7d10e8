//! Validating a 100-behavior profile (target: under 40 µs), plus parsing it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ddsp::domain::profile::SecurityProfile;
use ddsp::domain::{Context, validate};
use ddsp::wire::input::{Format, parse};
use serde_json::{Value, json};

/// A mix of static, statistical and ML behaviors over the catalogue, 100 in all.
fn hundred_behaviors() -> Value {
    let kinds = [
        json!({"metric": "aws:num-messages-sent", "metricDimension": {"dimensionName": "TopicFilter"}, "criteria": {"comparisonOperator": "greater-than", "value": {"count": 100}, "durationSeconds": 300, "consecutiveDatapointsToAlarm": 2}}),
        json!({"metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [22, 443, 8883]}}}),
        json!({"metric": "aws:destination-ip-addresses", "criteria": {"comparisonOperator": "not-in-cidr-set", "value": {"cidrs": ["10.0.0.0/8", "192.168.0.0/16"]}}}),
        json!({"metric": "aws:all-bytes-out", "criteria": {"comparisonOperator": "greater-than", "statisticalThreshold": {"statistic": "p90"}, "durationSeconds": 900}}),
        json!({"metric": "aws:num-authorization-failures", "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}, "consecutiveDatapointsToAlarm": 1}}),
    ];
    let behaviors: Vec<Value> = (0..100)
        .map(|i| {
            let mut b = kinds[i % kinds.len()].clone();
            b["name"] = json!(format!("behavior-{i}"));
            b
        })
        .collect();
    json!({
        "securityProfileName": "Fleet-Baseline",
        "securityProfileDescription": "One hundred behaviors",
        "behaviors": behaviors,
        "alertTargets": {"SNS": {"alertTargetArn": "arn:aws:sns:us-east-1:123456789012:alerts", "roleArn": "arn:aws:iam::123456789012:role/alerts"}},
        "tags": [{"Key": "env", "Value": "prod"}]
    })
}

fn bench(c: &mut Criterion) {
    let doc = hundred_behaviors();
    let text = doc.to_string();
    let profile: SecurityProfile = serde_json::from_value(doc).unwrap_or_default();
    let ctx = Context { custom_metrics: Some(vec![]), dimensions: Some(vec!["TopicFilter".into()]), region: None };
    assert!(validate(&profile, &ctx).iter().all(|p| !p.is_error()), "the bench profile must be valid");
    c.bench_function("validate 100 behaviors", |b| b.iter(|| validate(black_box(&profile), black_box(&ctx))));
    c.bench_function("parse 100 behaviors (JSON)", |b| {
        b.iter(|| parse::<SecurityProfile>(black_box(&text), Format::Json).map(|p| p.behaviors.map(|b| b.len())))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
