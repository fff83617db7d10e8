//! Files people actually write, judged as AWS judges them (service.md §7): each
//! example of a fault found with real profiles, with the path, severity and
//! message ddsp must give. JSON and YAML are read with the same strict types.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::domain::enums::CustomMetricType;
use ddsp::domain::metrics::CustomMetric;
use ddsp::domain::profile::SecurityProfile;
use ddsp::domain::{Context, Problem, Rule, Severity, validate};
use ddsp::wire::input::{Format, InputError, parse};
use serde_json::{Value, json};

fn judged(doc: &Value, ctx: &Context) -> Vec<Problem> {
    let profile: SecurityProfile = parse(&doc.to_string(), Format::Json).unwrap();
    validate(&profile, ctx)
}

fn one_behavior(behavior: Value) -> Value {
    json!({"securityProfileName": "p", "behaviors": [behavior]})
}

/// The problem at `path`, which must be the only error.
fn the_error(problems: &[Problem], path: &str) -> Problem {
    let errors: Vec<&Problem> = problems.iter().filter(|p| p.is_error()).collect();
    assert_eq!(errors.len(), 1, "{problems:#?}");
    assert_eq!(errors[0].path.to_string(), path, "{problems:#?}");
    errors[0].clone()
}

#[test]
fn values_are_checked_beside_ml_detect() {
    let base = json!({"name": "b", "metric": "aws:num-messages-sent", "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}});
    let with = |member: &str, value: Value| {
        let mut b = base.clone();
        b["criteria"][member] = value;
        judged(&one_behavior(b), &Context::offline())
    };
    let count = the_error(&with("value", json!({"count": -1})), "behaviors[0].criteria.value.count");
    assert_eq!((count.rule, count.severity), (Rule::CountRange, Severity::Error));
    assert_eq!(count.message, "count is -1; use a whole number of 0 or more");

    let port = the_error(&with("value", json!({"ports": [-1]})), "behaviors[0].criteria.value.ports[0]");
    assert_eq!(port.rule, Rule::PortRange);
    assert_eq!(port.message, "port -1 is out of range; use 0 to 65535");

    let cidr = the_error(&with("value", json!({"cidrs": ["1"]})), "behaviors[0].criteria.value.cidrs[0]");
    assert_eq!(cidr.rule, Rule::CidrFormat);
    assert!(cidr.message.starts_with("\"1\" is not a CIDR"), "{}", cidr.message);

    let op = the_error(&with("comparisonOperator", json!("bogus")), "behaviors[0].criteria.comparisonOperator");
    assert_eq!(op.rule, Rule::ComparisonOperatorUnknown);
    assert!(op.message.starts_with("\"bogus\" is not a comparison operator; use one of less-than"), "{}", op.message);

    let stat = the_error(
        &with("statisticalThreshold", json!({"statistic": "p42"})),
        "behaviors[0].criteria.statisticalThreshold.statistic",
    );
    assert_eq!(stat.rule, Rule::StatisticValue);
    assert!(stat.message.starts_with("\"p42\" is not a statistic; use one of p0,"), "{}", stat.message);
}

#[test]
fn values_are_checked_beside_a_statistical_threshold() {
    let doc = one_behavior(json!({"name": "b", "metric": "aws:num-messages-sent", "criteria": {
        "comparisonOperator": "greater-than", "statisticalThreshold": {"statistic": "p90"},
        "durationSeconds": 300, "value": {"count": -1}}}));
    let problems = judged(&doc, &Context::offline());
    let count = the_error(&problems, "behaviors[0].criteria.value.count");
    assert_eq!(count.rule, Rule::CountRange);
    // Beside it, the value a statistical threshold ignores is still a warning.
    assert!(problems.iter().any(|p| p.rule == Rule::StatisticalWithValue && !p.is_error()));
}

fn input_error(text: &str, format: Format) -> InputError {
    parse::<SecurityProfile>(text, format).unwrap_err()
}

#[test]
fn json_null_is_not_absent() {
    let cases = [
        (r#"{"securityProfileName":"p","behaviors":null}"#, "behaviors", "a list"),
        (
            r#"{"securityProfileName":"p","behaviors":[{"name":"b","criteria":null}]}"#,
            "behaviors[0].criteria",
            "an object (BehaviorCriteria)",
        ),
        (r#"{"securityProfileName":"p","securityProfileDescription":null}"#, "securityProfileDescription", "a string"),
        (r#"{"securityProfileName":"p","tags":null}"#, "tags", "a list"),
        (
            r#"{"securityProfileName":"p","behaviors":[{"name":"b","criteria":{"value":{"count":null}}}]}"#,
            "behaviors[0].criteria.value.count",
            "an integer",
        ),
        (r#"{"securityProfileName":"p","tags":[{"Key":"a","Value":null}]}"#, "tags[0].Value", "a string"),
    ];
    for (text, path, expected) in cases {
        let e = input_error(text, Format::Json);
        assert_eq!(e.path.as_deref(), Some(path), "{text}");
        assert_eq!(e.message, format!("Invalid type for parameter {path}, value: null; expected {expected}"), "{text}");
        assert_eq!(e.line, Some(1), "{text}");
        // The YAML spelling of null is refused the same way.
        let yaml: Value = serde_json::from_str(text).unwrap();
        let y = input_error(&ddsp::wire::yaml_out::to_yaml(&yaml, &|_| None), Format::Yaml);
        assert_eq!(y.path.as_deref(), Some(path), "{text} as YAML");
        assert!(y.line.is_some(), "{text} as YAML");
    }
}

#[test]
fn yaml_types_are_as_strict_as_json() {
    let behavior = |criteria: &str| {
        format!(
            "securityProfileName: p\nbehaviors:\n  - name: b\n    metric: aws:num-messages-sent\n    criteria:\n{criteria}"
        )
    };
    let cases = [
        (
            behavior(
                "      comparisonOperator: greater-than\n      value:\n        count: \"100\"\n      durationSeconds: 300\n",
            ),
            "behaviors[0].criteria.value.count",
            (8, 16),
            "value: \"100\" (a string); expected an integer",
        ),
        (
            behavior(
                "      comparisonOperator: greater-than\n      value:\n        count: 100\n      durationSeconds: \"300\"\n",
            ),
            "behaviors[0].criteria.durationSeconds",
            (9, 24),
            "value: \"300\" (a string); expected an integer",
        ),
        (
            "securityProfileName: p\nbehaviors:\n  - name: b\n    suppressAlerts: \"true\"\n".to_owned(),
            "behaviors[0].suppressAlerts",
            (4, 21),
            "value: \"true\" (a string); expected a boolean",
        ),
        (
            "securityProfileName: p\ntags:\n  - Key: release\n    Value: 1.10\n".to_owned(),
            "tags[0].Value",
            (4, 12),
            "value: 1.1 (a number); expected a string",
        ),
        (
            "securityProfileName: p\ntags:\n  - Key: on\n    Value: true\n".to_owned(),
            "tags[0].Value",
            (4, 12),
            "value: true (a boolean); expected a string",
        ),
        (
            "securityProfileName: p\nsecurityProfileDescription: 12345\n".to_owned(),
            "securityProfileDescription",
            (2, 29),
            "value: 12345 (an integer); expected a string",
        ),
    ];
    for (text, path, (line, column), fragment) in cases {
        let e = input_error(&text, Format::Yaml);
        assert_eq!(e.path.as_deref(), Some(path), "{text}");
        assert_eq!((e.line, e.column), (Some(line), Some(column)), "{text}");
        assert_eq!(e.message, format!("Invalid type for parameter {path}, {fragment}"), "{text}");
    }
    // Quoted where a string belongs, the same values are fine; `on` is a string in YAML 1.2.
    let good = "securityProfileName: p\nsecurityProfileDescription: '12345'\ntags:\n  - Key: on\n    Value: '1.10'\n";
    let p: SecurityProfile = parse(good, Format::Yaml).unwrap();
    assert_eq!(p.tags.unwrap()[0].value.as_deref(), Some("1.10"));
}

#[test]
fn listening_port_counts_take_an_optional_duration() {
    for metric in ["aws:num-listening-tcp-ports", "aws:num-listening-udp-ports"] {
        let bare = one_behavior(json!({"name": "b", "metric": metric,
            "criteria": {"comparisonOperator": "greater-than", "value": {"count": 5}}}));
        assert_eq!(judged(&bare, &Context::offline()), vec![], "{metric}");
        let with = one_behavior(json!({"name": "b", "metric": metric,
            "criteria": {"comparisonOperator": "greater-than", "value": {"count": 5}, "durationSeconds": 300}}));
        assert_eq!(judged(&with, &Context::offline()), vec![], "{metric}");
        let odd = one_behavior(json!({"name": "b", "metric": metric,
            "criteria": {"comparisonOperator": "greater-than", "value": {"count": 5}, "durationSeconds": 301}}));
        let e = the_error(&judged(&odd, &Context::offline()), "behaviors[0].criteria.durationSeconds");
        assert_eq!(e.rule, Rule::DurationValue);
    }
    // The other time-window metrics still need one.
    let sent = one_behavior(json!({"name": "b", "metric": "aws:num-messages-sent",
        "criteria": {"comparisonOperator": "greater-than", "value": {"count": 5}}}));
    assert_eq!(
        the_error(&judged(&sent, &Context::offline()), "behaviors[0].criteria.durationSeconds").rule,
        Rule::DurationRequired
    );
}

#[test]
fn a_set_operator_makes_a_custom_metric_a_list_metric_even_offline() {
    for (op, value) in [
        ("in-set", json!({"strings": ["a"]})),
        ("not-in-set", json!({"numbers": [1.5]})),
        ("in-cidr-set", json!({"cidrs": ["10.0.0.0/8"]})),
    ] {
        let doc = one_behavior(json!({"name": "b", "metric": "allowedHosts",
            "criteria": {"comparisonOperator": op, "value": value, "durationSeconds": 300}}));
        let problems = judged(&doc, &Context::offline());
        let e = the_error(&problems, "behaviors[0].criteria.durationSeconds");
        assert_eq!((e.rule, e.severity), (Rule::DurationNotAllowed, Severity::Error), "{op}");
        assert_eq!(e.message, "durationSeconds cannot be used with list metrics; remove it");
    }
    // A numeric operator on an unknown custom metric says nothing either way.
    let number = one_behavior(json!({"name": "b", "metric": "batteryPercentage",
        "criteria": {"comparisonOperator": "less-than", "value": {"number": 10}, "durationSeconds": 300}}));
    assert!(judged(&number, &Context::offline()).iter().all(|p| !p.is_error()));
    // With the endpoint's list the type decides.
    let known = Context {
        custom_metrics: Some(vec![CustomMetric {
            name: "batteryPercentage".into(),
            metric_type: CustomMetricType::Number,
        }]),
        ..Context::offline()
    };
    assert_eq!(judged(&number, &known), vec![]);
}

#[test]
fn lengths_are_counted_in_characters() {
    let accented = one_behavior(json!({"name": "é".repeat(65), "metric": "aws:num-disconnects",
        "criteria": {"comparisonOperator": "greater-than", "value": {"count": 5}, "durationSeconds": 300}}));
    let e = the_error(&judged(&accented, &Context::offline()), "behaviors[0].name");
    assert!(e.message.contains("contains the character U+00E9"), "{}", e.message);
    assert!(!e.message.contains("characters long"), "{}", e.message);
    let long = json!({"securityProfileName": "a".repeat(129)});
    let e = the_error(&judged(&long, &Context::offline()), "securityProfileName");
    assert!(e.message.contains("is 129 characters long; use at most 128"), "{}", e.message);
    // Tag values allow any character: 255 of them pass, in any script.
    let tags = json!({"securityProfileName": "p", "tags": [{"Key": "ключ".repeat(31), "Value": "é".repeat(255)}]});
    assert_eq!(judged(&tags, &Context::offline()), vec![]);
}

#[test]
fn misremembered_metric_names_get_a_suggestion() {
    for (typed, meant) in [
        ("aws:num-connections", "aws:num-connection-attempts"),
        ("aws:num-messages-published", "aws:num-messages-sent"),
        ("aws:num-message-sent", "aws:num-messages-sent"),
    ] {
        let doc = one_behavior(json!({"name": "b", "metric": typed}));
        let e = the_error(&judged(&doc, &Context::offline()), "behaviors[0].metric");
        assert_eq!(e.rule, Rule::UnknownBuiltinMetric);
        assert!(e.message.ends_with(&format!("did you mean {meant}?")), "{typed}: {}", e.message);
    }
}
