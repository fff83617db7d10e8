//! One case per rule of service.md: a good value that passes the rule and a bad
//! one that fails it, with the path, severity and message expected. A final test
//! proves every `Rule` has a case.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use ddsp::domain::enums::CustomMetricType;
use ddsp::domain::metrics::CustomMetric;
use ddsp::domain::profile::{ProfileUpdate, SecurityProfile, Tag};
use ddsp::domain::rules::{validate_target, validate_thing_group_name};
use ddsp::domain::{
    Context, CustomMetricRequest, DimensionRequest, Problem, Rule, Severity, validate, validate_custom_metric,
    validate_dimension, validate_list, validate_update,
};
use serde_json::{Value, json};

#[derive(Clone, Copy)]
enum Doc {
    Create,
    Update,
    List,
    /// A CreateDimension request: name, type, stringValues, tags, clientRequestToken.
    Dimension,
    /// A CreateCustomMetric request: metricName, metricType, displayName, tags, clientRequestToken.
    CustomMetric,
    /// An AttachSecurityProfile target: {"securityProfileTargetArn": …}.
    Target,
    /// A CreateThingGroup name: {"thingGroupName": …}.
    ThingGroup,
}

#[derive(Clone, Copy)]
enum Ctx {
    /// The endpoint's custom metrics and dimensions are known.
    Known,
    Offline,
    /// Known lists, region ap-southeast-5.
    NoMlRegion,
}

struct Case {
    rule: Rule,
    doc: Doc,
    ctx: Ctx,
    good: Value,
    bad: Value,
    path: &'static str,
    severity: Severity,
    fragment: &'static str,
}

fn context(ctx: Ctx) -> Context {
    let known = Context {
        custom_metrics: Some(vec![
            CustomMetric { name: "batteryPercentage".into(), metric_type: CustomMetricType::Number },
            CustomMetric { name: "allowedHosts".into(), metric_type: CustomMetricType::StringList },
            CustomMetric { name: "peerIps".into(), metric_type: CustomMetricType::IpAddressList },
            CustomMetric { name: "readings".into(), metric_type: CustomMetricType::NumberList },
        ]),
        dimensions: Some(vec!["TopicFilter".into()]),
        region: Some("us-east-1".into()),
    };
    match ctx {
        Ctx::Known => known,
        Ctx::Offline => Context::offline(),
        Ctx::NoMlRegion => Context { region: Some("ap-southeast-5".into()), ..known },
    }
}

fn run(doc: Doc, ctx: Ctx, value: &Value) -> Vec<Problem> {
    let ctx = context(ctx);
    match doc {
        Doc::Create => validate(&serde_json::from_value::<SecurityProfile>(value.clone()).unwrap(), &ctx),
        Doc::Update => validate_update(&serde_json::from_value::<ProfileUpdate>(value.clone()).unwrap(), &ctx),
        Doc::List => {
            validate_list(value["dimensionName"].as_str(), value["metricName"].as_str(), value["maxResults"].as_i64())
        }
        Doc::Dimension => {
            let values: Option<Vec<String>> =
                value.get("stringValues").map(|v| serde_json::from_value(v.clone()).unwrap());
            let tags: Option<Vec<Tag>> = value.get("tags").map(|v| serde_json::from_value(v.clone()).unwrap());
            validate_dimension(
                &DimensionRequest {
                    name: value["name"].as_str().unwrap_or_default(),
                    dimension_type: value["type"].as_str(),
                    string_values: values.as_deref(),
                    tags: tags.as_deref(),
                    client_request_token: value["clientRequestToken"].as_str(),
                },
                &ctx,
            )
        }
        Doc::Target => validate_target(
            value["securityProfileTargetArn"].as_str().unwrap_or_default(),
            &ddsp::domain::FieldPath::root().key("securityProfileTargetArn"),
            &ctx,
        ),
        Doc::ThingGroup => validate_thing_group_name(
            value["thingGroupName"].as_str().unwrap_or_default(),
            &ddsp::domain::FieldPath::root().key("thingGroupName"),
            &ctx,
        ),
        Doc::CustomMetric => {
            let tags: Option<Vec<Tag>> = value.get("tags").map(|v| serde_json::from_value(v.clone()).unwrap());
            validate_custom_metric(
                &CustomMetricRequest {
                    metric_name: value["metricName"].as_str().unwrap_or_default(),
                    metric_type: value["metricType"].as_str(),
                    display_name: value["displayName"].as_str(),
                    tags: tags.as_deref(),
                    client_request_token: value["clientRequestToken"].as_str(),
                },
                &ctx,
            )
        }
    }
}

/// A create request: `{"securityProfileName": "p"}` plus the given members.
fn profile(extra: Value) -> Value {
    let mut base = json!({"securityProfileName": "p"});
    if let (Some(map), Value::Object(more)) = (base.as_object_mut(), extra) {
        map.extend(more);
    }
    base
}

fn with_behaviors(behaviors: Value) -> Value {
    profile(json!({ "behaviors": behaviors }))
}

fn with_behavior(behavior: Value) -> Value {
    with_behaviors(json!([behavior]))
}

/// A profile with one behavior on `metric`, scoped by `dimension`.
fn dimensioned(metric: &str, dimension: Value, criteria: Value) -> Value {
    with_behavior(json!({"name": "b", "metric": metric, "metricDimension": dimension, "criteria": criteria}))
}

/// A behavior on aws:num-messages-sent with the given criteria.
fn sent(criteria: Value) -> Value {
    json!({"name": "b", "metric": "aws:num-messages-sent", "criteria": criteria})
}

fn rule_on(metric: &str, criteria: Value) -> Value {
    with_behavior(json!({"name": "b", "metric": metric, "criteria": criteria}))
}

fn good_static() -> Value {
    json!({"comparisonOperator": "greater-than", "value": {"count": 10}, "durationSeconds": 300})
}

fn many_behaviors(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"name": format!("b{i}"), "metric": "aws:num-messages-sent", "criteria": good_static()}))
            .collect(),
    )
}

fn ports_behavior(name: &str, count: i64) -> Value {
    json!({"name": name, "metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": (0..count).collect::<Vec<_>>()}}})
}

const ROLE: &str = "arn:aws:iam::123456789012:role/ddsp";
const TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";

fn alert(kind: &str, arn: &str, role: &str) -> Value {
    profile(json!({"alertTargets": {kind: {"alertTargetArn": arn, "roleArn": role}}}))
}

fn export(topic: &str, role: &str) -> Value {
    profile(json!({"metricsExportConfig": {"mqttTopic": topic, "roleArn": role}}))
}

fn tags(tags: Value) -> Value {
    profile(json!({ "tags": tags }))
}

fn update(extra: Value) -> Value {
    profile(extra)
}

fn ml(metric: &str, ml: Value) -> Value {
    rule_on(metric, json!({"mlDetectionConfig": ml}))
}

fn stat(metric: &str, statistic: &str, extra: Value) -> Value {
    let mut criteria = json!({"comparisonOperator": "greater-than", "statisticalThreshold": {"statistic": statistic}, "durationSeconds": 900});
    if let (Some(map), Value::Object(more)) = (criteria.as_object_mut(), extra) {
        map.extend(more);
    }
    rule_on(metric, criteria)
}

#[allow(clippy::too_many_arguments)]
fn case(
    rule: Rule,
    doc: Doc,
    ctx: Ctx,
    good: Value,
    bad: Value,
    path: &'static str,
    severity: Severity,
    fragment: &'static str,
) -> Case {
    Case { rule, doc, ctx, good, bad, path, severity, fragment }
}

fn cases() -> Vec<Case> {
    use Ctx::{Known, NoMlRegion, Offline};
    use Doc::{Create, CustomMetric, Dimension, List, Target, ThingGroup, Update};
    let dimension = |values: Value| json!({"name": "Topics", "type": "TOPIC_FILTER", "stringValues": values});
    let metric = |extra: Value| {
        let mut m = json!({"metricName": "batteryPercentage", "metricType": "number", "clientRequestToken": "t-1"});
        if let (Some(map), Value::Object(more)) = (m.as_object_mut(), extra) {
            map.extend(more);
        }
        m
    };
    use Rule as R;
    use Severity::{Error as E, Warning as W};
    vec![
        case(
            R::TargetArn,
            Target,
            Offline,
            json!({"securityProfileTargetArn": "arn:aws:iot:us-east-1:123456789012:thinggroup/Fleet"}),
            json!({"securityProfileTargetArn": "arn:aws:iot:us-east-1:123456789012:thing/sensor-1"}),
            "securityProfileTargetArn",
            E,
            "is not a target; use a thing group's ARN",
        ),
        case(
            R::ThingGroupName,
            ThingGroup,
            Offline,
            json!({"thingGroupName": "Fleet:north_1"}),
            json!({"thingGroupName": "Fleet north"}),
            "thingGroupName",
            E,
            "the thing group name contains a space",
        ),
        case(
            R::DimensionType,
            Dimension,
            Offline,
            dimension(json!(["fleet/#"])),
            json!({"name": "Topics", "type": "TOPIC", "stringValues": ["a"]}),
            "type",
            E,
            "\"TOPIC\" is not a dimension type; use TOPIC_FILTER",
        ),
        case(
            R::DimensionValues,
            Dimension,
            Offline,
            dimension(json!(["a/b", "${iot:ClientId}/+/data"])),
            dimension(json!([])),
            "stringValues",
            E,
            "0 topic filters; a dimension takes 1 to 100",
        ),
        case(
            R::DimensionValues,
            Dimension,
            Offline,
            dimension(json!(["x".repeat(256)])),
            dimension(json!(["x".repeat(257)])),
            "stringValues[0]",
            E,
            "257 characters long; use 1 to 256",
        ),
        case(
            R::TopicFilterWildcard,
            Dimension,
            Offline,
            dimension(json!(["a/+/c", "a/#"])),
            dimension(json!(["a/b#"])),
            "stringValues[0]",
            W,
            "# must be a level of its own, last",
        ),
        case(
            R::CustomMetricName,
            CustomMetric,
            Offline,
            metric(json!({})),
            metric(json!({"metricName": "aws:battery"})),
            "metricName",
            E,
            "cannot start with aws:",
        ),
        case(
            R::CustomMetricType,
            CustomMetric,
            Offline,
            metric(json!({"metricType": "ip-address-list"})),
            metric(json!({"metricType": "float"})),
            "metricType",
            E,
            "\"float\" is not a custom metric type; use one of string-list, ip-address-list, number-list, number",
        ),
        case(
            R::DisplayName,
            CustomMetric,
            Offline,
            metric(json!({"displayName": "Battery (%)"})),
            metric(json!({"displayName": "Batt\u{e9}ry"})),
            "displayName",
            E,
            "contains the character U+00E9",
        ),
        case(
            R::ClientRequestToken,
            CustomMetric,
            Offline,
            metric(json!({"clientRequestToken": "a1-b_2"})),
            metric(json!({"clientRequestToken": "a b"})),
            "clientRequestToken",
            E,
            "must be 1 to 64 of a-z, A-Z, 0-9, - and _",
        ),
        case(
            R::ProfileName,
            Create,
            Known,
            profile(json!({})),
            json!({"securityProfileName": "bad name"}),
            "securityProfileName",
            E,
            "contains a space; use only letters, digits",
        ),
        case(
            R::ProfileName,
            Create,
            Known,
            json!({"securityProfileName": "a:b_c-1"}),
            json!({}),
            "securityProfileName",
            E,
            "the profile name is required",
        ),
        case(
            R::DescriptionLength,
            Create,
            Known,
            profile(json!({"securityProfileDescription": "a".repeat(1000)})),
            profile(json!({"securityProfileDescription": "a".repeat(1001)})),
            "securityProfileDescription",
            E,
            "1001 characters long; shorten it to at most 1000",
        ),
        case(
            R::DescriptionCharacters,
            Create,
            Known,
            profile(json!({"securityProfileDescription": "Plain ASCII ~!"})),
            profile(json!({"securityProfileDescription": "tab\there"})),
            "securityProfileDescription",
            W,
            "contains a tab; the model allows only printable ASCII",
        ),
        case(
            R::BehaviorCount,
            Create,
            Known,
            with_behaviors(many_behaviors(100)),
            with_behaviors(many_behaviors(101)),
            "behaviors",
            E,
            "101 behaviors; a profile can have at most 100",
        ),
        case(
            R::MlMixedWithRules,
            Create,
            Known,
            with_behaviors(many_behaviors(2)),
            with_behaviors(json!([
                {"name": "rule", "metric": "aws:num-messages-sent", "criteria": good_static()},
                {"name": "ml", "metric": "aws:num-messages-sent", "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}}
            ])),
            "behaviors",
            W,
            "1 ML Detect behavior beside 1 rule behavior",
        ),
        case(
            R::BehaviorName,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(json!({"metric": "aws:num-messages-sent", "criteria": good_static()})),
            "behaviors[0].name",
            E,
            "the behavior name is required",
        ),
        case(
            R::BehaviorNameUnique,
            Create,
            Known,
            with_behaviors(many_behaviors(2)),
            with_behaviors(json!([sent(good_static()), sent(good_static())])),
            "behaviors[1].name",
            W,
            "another behavior is already named \"b\"",
        ),
        case(
            R::MetricMissing,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(json!({"name": "b", "criteria": good_static()})),
            "behaviors[0].metric",
            W,
            "the behavior has no metric",
        ),
        case(
            R::MetricName,
            Create,
            Known,
            with_behavior(sent(good_static())),
            rule_on("bad metric!", good_static()),
            "behaviors[0].metric",
            E,
            "the metric name contains a space",
        ),
        case(
            R::UnknownBuiltinMetric,
            Create,
            Known,
            with_behavior(sent(good_static())),
            rule_on("aws:num-message-sent", good_static()),
            "behaviors[0].metric",
            E,
            "is not a built-in metric; did you mean aws:num-messages-sent?",
        ),
        case(
            R::UnknownCustomMetric,
            Create,
            Known,
            rule_on("batteryPercentage", json!({"comparisonOperator": "less-than", "value": {"number": 10.5}})),
            rule_on("nope", json!({"comparisonOperator": "less-than", "value": {"number": 1}})),
            "behaviors[0].metric",
            E,
            "no custom metric \"nope\" exists on the endpoint",
        ),
        case(
            R::UnknownCustomMetric,
            Create,
            Offline,
            with_behavior(sent(good_static())),
            rule_on("batteryPercentage", json!({"comparisonOperator": "less-than", "value": {"number": 1}})),
            "behaviors[0].metric",
            W,
            "cannot check offline",
        ),
        case(
            R::DimensionName,
            Create,
            Known,
            dimensioned("aws:num-messages-sent", json!({"dimensionName": "TopicFilter"}), good_static()),
            dimensioned("aws:num-messages-sent", json!({"dimensionName": ""}), good_static()),
            "behaviors[0].metricDimension.dimensionName",
            E,
            "the dimension name is required",
        ),
        case(
            R::DimensionOperator,
            Create,
            Known,
            dimensioned(
                "aws:num-messages-sent",
                json!({"dimensionName": "TopicFilter", "operator": "NOT_IN"}),
                good_static(),
            ),
            dimensioned(
                "aws:num-messages-sent",
                json!({"dimensionName": "TopicFilter", "operator": "OUT"}),
                good_static(),
            ),
            "behaviors[0].metricDimension.operator",
            E,
            "\"OUT\" is not a dimension operator; use IN or NOT_IN",
        ),
        case(
            R::DimensionNotAllowed,
            Create,
            Known,
            dimensioned(
                "aws:source-ip-address",
                json!({"dimensionName": "TopicFilter"}),
                json!({"comparisonOperator": "in-cidr-set", "value": {"cidrs": ["10.0.0.0/8"]}}),
            ),
            dimensioned("aws:num-connection-attempts", json!({"dimensionName": "TopicFilter"}), good_static()),
            "behaviors[0].metricDimension",
            E,
            "aws:num-connection-attempts takes no dimension",
        ),
        case(
            R::DimensionNotAllowed,
            Create,
            Known,
            rule_on("batteryPercentage", json!({"comparisonOperator": "less-than", "value": {"number": 1}})),
            dimensioned(
                "batteryPercentage",
                json!({"dimensionName": "TopicFilter"}),
                json!({"comparisonOperator": "less-than", "value": {"number": 1}}),
            ),
            "behaviors[0].metricDimension",
            E,
            "dimensions can't be used with custom metrics",
        ),
        case(
            R::DimensionNotAllowedWithMl,
            Create,
            Known,
            dimensioned(
                "aws:num-messages-sent",
                json!({"dimensionName": "TopicFilter"}),
                json!({"mlDetectionConfig": {"confidenceLevel": "HIGH"}}),
            ),
            dimensioned(
                "aws:source-ip-address",
                json!({"dimensionName": "TopicFilter"}),
                json!({"mlDetectionConfig": {"confidenceLevel": "HIGH"}}),
            ),
            "behaviors[0].metricDimension",
            E,
            "takes a dimension only in rules, not with ML Detect",
        ),
        case(
            R::UnknownDimension,
            Create,
            Known,
            dimensioned("aws:num-messages-sent", json!({"dimensionName": "TopicFilter"}), good_static()),
            dimensioned("aws:num-messages-sent", json!({"dimensionName": "Other"}), good_static()),
            "behaviors[0].metricDimension.dimensionName",
            E,
            "no dimension \"Other\" exists on the endpoint",
        ),
        case(
            R::UnknownDimension,
            Create,
            Offline,
            with_behavior(sent(good_static())),
            dimensioned("aws:num-messages-sent", json!({"dimensionName": "TopicFilter"}), good_static()),
            "behaviors[0].metricDimension.dimensionName",
            W,
            "cannot check offline that the dimension \"TopicFilter\" exists",
        ),
        case(
            R::CriteriaMissing,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(json!({"name": "b", "metric": "aws:num-messages-sent"})),
            "behaviors[0].criteria",
            W,
            "the behavior has no criteria",
        ),
        case(
            R::ComparisonOperatorUnknown,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(json!({"comparisonOperator": "bogus", "value": {"count": 1}, "durationSeconds": 300}))),
            "behaviors[0].criteria.comparisonOperator",
            E,
            "\"bogus\" is not a comparison operator; use one of less-than,",
        ),
        case(
            R::ComparisonOperatorMissing,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(json!({"value": {"count": 1}, "durationSeconds": 300}))),
            "behaviors[0].criteria.comparisonOperator",
            E,
            "a rule needs a comparisonOperator",
        ),
        case(
            R::OperatorForMetricType,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(
                json!({"comparisonOperator": "in-cidr-set", "value": {"count": 1}, "durationSeconds": 300}),
            )),
            "behaviors[0].criteria.comparisonOperator",
            E,
            "in-cidr-set does not fit this metric; use less-than or less-than-equals or greater-than or greater-than-equals",
        ),
        case(
            R::OperatorForMetricType,
            Create,
            Known,
            rule_on("aws:disconnect-duration", json!({"comparisonOperator": "less-than", "value": {"count": 5}})),
            rule_on("aws:disconnect-duration", json!({"comparisonOperator": "greater-than", "value": {"count": 5}})),
            "behaviors[0].criteria.comparisonOperator",
            W,
            "(the docs do not confirm this metric's operators)",
        ),
        case(
            R::OperatorForMetricType,
            Create,
            Known,
            stat("aws:num-messages-sent", "p90", json!({})),
            rule_on(
                "aws:num-messages-sent",
                json!({"comparisonOperator": "in-set", "statisticalThreshold": {"statistic": "p90"}, "durationSeconds": 300}),
            ),
            "behaviors[0].criteria.comparisonOperator",
            E,
            "in-set does not fit a statistical threshold",
        ),
        case(
            R::ValueMissing,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(json!({"comparisonOperator": "greater-than", "durationSeconds": 300}))),
            "behaviors[0].criteria.value",
            E,
            "a rule needs a value to compare with",
        ),
        case(
            R::ValueFieldForOperator,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"cidrs": ["10.0.0.0/8"]}, "durationSeconds": 300}),
            )),
            "behaviors[0].criteria.value",
            E,
            "value has cidrs, but this metric and operator compare with value.count; set value.count",
        ),
        case(
            R::ValueFieldForOperator,
            Create,
            Offline,
            rule_on("hosts", json!({"comparisonOperator": "in-set", "value": {"strings": ["a"]}})),
            rule_on("hosts", json!({"comparisonOperator": "in-set", "value": {"count": 1}})),
            "behaviors[0].criteria.value",
            E,
            "compare with value.strings or numbers",
        ),
        case(
            R::ValueExtraFields,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": 1, "strings": ["x"]}, "durationSeconds": 300}),
            )),
            "behaviors[0].criteria.value",
            W,
            "value also sets strings",
        ),
        case(
            R::CountRange,
            Create,
            Known,
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": 0}, "durationSeconds": 300}),
            )),
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": -1}, "durationSeconds": 300}),
            )),
            "behaviors[0].criteria.value.count",
            E,
            "count is -1; use a whole number of 0 or more",
        ),
        case(
            R::PortRange,
            Create,
            Known,
            with_behaviors(json!([ports_behavior("b", 3)])),
            rule_on(
                "aws:listening-tcp-ports",
                json!({"comparisonOperator": "in-port-set", "value": {"ports": [22, 70000]}}),
            ),
            "behaviors[0].criteria.value.ports[1]",
            E,
            "port 70000 is out of range; use 0 to 65535",
        ),
        case(
            R::CidrFormat,
            Create,
            Known,
            rule_on(
                "aws:destination-ip-addresses",
                json!({"comparisonOperator": "not-in-cidr-set", "value": {"cidrs": ["10.0.0.0/8", "2001:db8::/32"]}}),
            ),
            rule_on(
                "aws:destination-ip-addresses",
                json!({"comparisonOperator": "not-in-cidr-set", "value": {"cidrs": ["10.0.0.0/8 "]}}),
            ),
            "behaviors[0].criteria.value.cidrs[0]",
            E,
            "is not a CIDR; write an address and prefix such as 10.0.0.0/8",
        ),
        case(
            R::CidrSyntax,
            Create,
            Known,
            rule_on(
                "aws:source-ip-address",
                json!({"comparisonOperator": "in-cidr-set", "value": {"cidrs": ["192.168.0.0/16"]}}),
            ),
            rule_on(
                "aws:source-ip-address",
                json!({"comparisonOperator": "in-cidr-set", "value": {"cidrs": ["10.0.0.0/40"]}}),
            ),
            "behaviors[0].criteria.value.cidrs[0]",
            W,
            "is not a valid IPv4 or IPv6 address with prefix length",
        ),
        case(
            R::ValueElementLimit,
            Create,
            Known,
            with_behaviors(json!([ports_behavior("a", 500), ports_behavior("b", 500)])),
            with_behaviors(json!([ports_behavior("a", 500), ports_behavior("b", 501)])),
            "behaviors",
            E,
            "the behaviors hold 1001 value elements",
        ),
        case(
            R::DurationNotAllowed,
            Create,
            Known,
            with_behaviors(json!([ports_behavior("b", 1)])),
            rule_on(
                "aws:listening-tcp-ports",
                json!({"comparisonOperator": "in-port-set", "value": {"ports": [22]}, "durationSeconds": 300}),
            ),
            "behaviors[0].criteria.durationSeconds",
            E,
            "durationSeconds cannot be used with list metrics",
        ),
        case(
            R::DurationNotAllowed,
            Create,
            Known,
            rule_on("allowedHosts", json!({"comparisonOperator": "in-set", "value": {"strings": ["a"]}})),
            rule_on(
                "allowedHosts",
                json!({"comparisonOperator": "in-set", "value": {"strings": ["a"]}, "durationSeconds": 300}),
            ),
            "behaviors[0].criteria.durationSeconds",
            E,
            "cannot be used with list metrics",
        ),
        case(
            R::DurationRequired,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(json!({"comparisonOperator": "greater-than", "value": {"count": 1}}))),
            "behaviors[0].criteria.durationSeconds",
            E,
            "set durationSeconds to one of 300, 600, 900, 1800, 3600",
        ),
        case(
            R::DurationValue,
            Create,
            Known,
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 3600}),
            )),
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 120}),
            )),
            "behaviors[0].criteria.durationSeconds",
            E,
            "durationSeconds is 120; use one of 300, 600, 900, 1800, 3600",
        ),
        case(
            R::DurationStatisticalOnly,
            Create,
            Known,
            rule_on("aws:message-byte-size", json!({"comparisonOperator": "greater-than", "value": {"count": 128}})),
            rule_on(
                "aws:message-byte-size",
                json!({"comparisonOperator": "greater-than", "value": {"count": 128}, "durationSeconds": 300}),
            ),
            "behaviors[0].criteria.durationSeconds",
            W,
            "only for statistical thresholds",
        ),
        case(
            R::DurationStatisticalMissing,
            Create,
            Known,
            stat("aws:message-byte-size", "p90", json!({})),
            rule_on(
                "aws:message-byte-size",
                json!({"comparisonOperator": "greater-than", "statisticalThreshold": {"statistic": "p90"}}),
            ),
            "behaviors[0].criteria.durationSeconds",
            W,
            "statistical thresholds are computed over durationSeconds",
        ),
        case(
            R::DatapointsRange,
            Create,
            Known,
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 300, "consecutiveDatapointsToAlarm": 10, "consecutiveDatapointsToClear": 1}),
            )),
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 300, "consecutiveDatapointsToAlarm": 100000}),
            )),
            "behaviors[0].criteria.consecutiveDatapointsToAlarm",
            E,
            "consecutiveDatapointsToAlarm is 100000; use a whole number from 1 to 10",
        ),
        case(
            R::DatapointsRange,
            Create,
            Known,
            with_behavior(sent(good_static())),
            with_behavior(sent(
                json!({"comparisonOperator": "greater-than", "value": {"count": 1}, "durationSeconds": 300, "consecutiveDatapointsToClear": 0}),
            )),
            "behaviors[0].criteria.consecutiveDatapointsToClear",
            E,
            "consecutiveDatapointsToClear is 0",
        ),
        case(
            R::StatisticValue,
            Create,
            Known,
            stat("aws:num-messages-sent", "p99.9", json!({})),
            stat("aws:num-messages-sent", "p95", json!({})),
            "behaviors[0].criteria.statisticalThreshold.statistic",
            E,
            "\"p95\" is not a statistic; use one of p0, p0.1",
        ),
        case(
            R::StatisticValue,
            Create,
            Known,
            stat("aws:num-messages-sent", "p50", json!({})),
            stat("aws:num-messages-sent", "Average", json!({})),
            "behaviors[0].criteria.statisticalThreshold.statistic",
            W,
            "Average appears only in the CloudFormation schema",
        ),
        case(
            R::StatisticalNotNumeric,
            Create,
            Known,
            stat("aws:all-bytes-out", "p90", json!({})),
            rule_on(
                "aws:source-ip-address",
                json!({"comparisonOperator": "greater-than", "statisticalThreshold": {"statistic": "p90"}}),
            ),
            "behaviors[0].criteria.statisticalThreshold",
            E,
            "a statistical threshold applies only to numeric metrics",
        ),
        case(
            R::StatisticalWithValue,
            Create,
            Known,
            stat("aws:num-messages-sent", "p90", json!({})),
            stat("aws:num-messages-sent", "p90", json!({"value": {"count": 3}})),
            "behaviors[0].criteria.value",
            W,
            "compares with the percentile, not a value",
        ),
        case(
            R::MlNotSupported,
            Create,
            Known,
            ml("aws:all-packets-in", json!({"confidenceLevel": "LOW"})),
            ml("aws:listening-tcp-ports", json!({"confidenceLevel": "LOW"})),
            "behaviors[0].criteria.mlDetectionConfig",
            E,
            "ML Detect does not support aws:listening-tcp-ports",
        ),
        case(
            R::MlNotSupported,
            Create,
            Known,
            ml("batteryPercentage", json!({"confidenceLevel": "MEDIUM"})),
            ml("readings", json!({"confidenceLevel": "MEDIUM"})),
            "behaviors[0].criteria.mlDetectionConfig",
            E,
            "ML Detect works only with custom metrics of type number, not number-list",
        ),
        case(
            R::MlConfidenceLevel,
            Create,
            Known,
            ml("aws:num-disconnects", json!({"confidenceLevel": "HIGH"})),
            ml("aws:num-disconnects", json!({})),
            "behaviors[0].criteria.mlDetectionConfig.confidenceLevel",
            E,
            "ML Detect needs a confidenceLevel: LOW, MEDIUM or HIGH",
        ),
        case(
            R::MlConfidenceLevel,
            Create,
            Known,
            ml("aws:num-disconnects", json!({"confidenceLevel": "LOW"})),
            ml("aws:num-disconnects", json!({"confidenceLevel": "High"})),
            "behaviors[0].criteria.mlDetectionConfig.confidenceLevel",
            E,
            "\"High\" is not a confidence level",
        ),
        case(
            R::MlWithRuleFields,
            Create,
            Known,
            ml("aws:num-disconnects", json!({"confidenceLevel": "HIGH"})),
            rule_on(
                "aws:num-disconnects",
                json!({"mlDetectionConfig": {"confidenceLevel": "HIGH"}, "durationSeconds": 300, "consecutiveDatapointsToAlarm": 2}),
            ),
            "behaviors[0].criteria",
            W,
            "ML Detect takes only mlDetectionConfig and the datapoint counts; remove durationSeconds",
        ),
        case(
            R::MlRegion,
            Create,
            NoMlRegion,
            with_behavior(sent(good_static())),
            ml("aws:num-disconnects", json!({"confidenceLevel": "HIGH"})),
            "behaviors[0].criteria.mlDetectionConfig",
            W,
            "unavailable in ap-southeast-5",
        ),
        case(
            R::ExportMetricNeedsConfig,
            Create,
            Known,
            profile(
                json!({"behaviors": [{"name": "b", "metric": "aws:num-messages-sent", "criteria": good_static(), "exportMetric": true}], "metricsExportConfig": {"mqttTopic": "metrics/out", "roleArn": ROLE}}),
            ),
            with_behavior(
                json!({"name": "b", "metric": "aws:num-messages-sent", "criteria": good_static(), "exportMetric": true}),
            ),
            "behaviors[0].exportMetric",
            W,
            "exportMetric is on but the profile has no metricsExportConfig",
        ),
        case(
            R::ExportMetricNeedsConfig,
            Create,
            Known,
            profile(json!({"additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects", "exportMetric": false}]})),
            profile(json!({"additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects", "exportMetric": true}]})),
            "additionalMetricsToRetainV2[0].exportMetric",
            W,
            "no metricsExportConfig",
        ),
        case(
            R::AlertTargetType,
            Create,
            Known,
            alert("SNS", TOPIC, ROLE),
            alert("EMAIL", TOPIC, ROLE),
            "alertTargets.EMAIL",
            E,
            "\"EMAIL\" is not an alert target type; the only type is SNS",
        ),
        case(
            R::AlertTargetArnRequired,
            Create,
            Known,
            alert("SNS", TOPIC, ROLE),
            alert("SNS", "", ROLE),
            "alertTargets.SNS.alertTargetArn",
            E,
            "alertTargetArn is required",
        ),
        case(
            R::AlertTargetArnSns,
            Create,
            Known,
            alert("SNS", TOPIC, ROLE),
            alert("SNS", "arn:aws:lambda:us-east-1:123456789012:function:f", ROLE),
            "alertTargets.SNS.alertTargetArn",
            W,
            "does not look like an SNS topic ARN",
        ),
        case(
            R::AlertTargetArnSns,
            Create,
            Known,
            alert("SNS", "arn:aws:sns:us-east-1:123456789012:alerts.fifo", ROLE),
            alert("SNS", "arn:aws:sns:us-east-1:123456789012:alerts v2", ROLE),
            "alertTargets.SNS.alertTargetArn",
            W,
            "does not look like an SNS topic ARN",
        ),
        case(
            R::RoleArnLength,
            Create,
            Known,
            alert("SNS", TOPIC, ROLE),
            alert("SNS", TOPIC, "arn:aws:iam::1:role"),
            "alertTargets.SNS.roleArn",
            E,
            "roleArn is 19 characters long; give an IAM role ARN of 20 to 2048 characters",
        ),
        case(
            R::RoleArnLength,
            Create,
            Known,
            export("m/out", ROLE),
            export("m/out", ""),
            "metricsExportConfig.roleArn",
            E,
            "roleArn is required",
        ),
        case(
            R::RoleArnFormat,
            Create,
            Known,
            export("m/out", ROLE),
            export("m/out", "arn:aws:sns:us-east-1:123456789012:t"),
            "metricsExportConfig.roleArn",
            W,
            "does not look like an IAM role ARN",
        ),
        case(
            R::MqttTopicLength,
            Create,
            Known,
            export(&"t".repeat(512), ROLE),
            export(&"t".repeat(513), ROLE),
            "metricsExportConfig.mqttTopic",
            E,
            "mqttTopic is 513 characters long",
        ),
        case(
            R::MqttTopicWildcard,
            Create,
            Known,
            export("things/metrics", ROLE),
            export("things/+/metrics", ROLE),
            "metricsExportConfig.mqttTopic",
            W,
            "contains an MQTT wildcard",
        ),
        case(
            R::RetainedMetricsDeprecated,
            Create,
            Known,
            profile(json!({"additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}]})),
            profile(json!({"additionalMetricsToRetain": ["aws:num-disconnects"]})),
            "additionalMetricsToRetain",
            W,
            "deprecated; list the metrics in additionalMetricsToRetainV2",
        ),
        case(
            R::RetainedBothLists,
            Create,
            Known,
            profile(json!({"additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}]})),
            profile(
                json!({"additionalMetricsToRetain": ["aws:num-disconnects"], "additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}]}),
            ),
            "additionalMetricsToRetain",
            W,
            "both additionalMetricsToRetain and additionalMetricsToRetainV2 are set",
        ),
        case(
            R::MetricName,
            Create,
            Known,
            profile(json!({"additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}]})),
            profile(json!({"additionalMetricsToRetainV2": [{"exportMetric": false}]})),
            "additionalMetricsToRetainV2[0].metric",
            E,
            "the retained metric name is required",
        ),
        case(
            R::TagKey,
            Create,
            Known,
            tags(json!([{"Key": "Owner team/ÄÖ=+-@.:_ 1", "Value": "x"}])),
            tags(json!([{"Key": "bad*key"}])),
            "tags[0].Key",
            E,
            "contains '*'",
        ),
        case(
            R::TagKeyReserved,
            Create,
            Known,
            tags(json!([{"Key": "awsome"}])),
            tags(json!([{"Key": "AWS:owner"}])),
            "tags[0].Key",
            E,
            "reserved for AWS",
        ),
        case(
            R::TagKeyGuideLength,
            Create,
            Known,
            tags(json!([{"Key": "k".repeat(127)}])),
            tags(json!([{"Key": "k".repeat(128)}])),
            "tags[0].Key",
            W,
            "the IoT tagging guide allows 127",
        ),
        case(
            R::TagKey,
            Create,
            Known,
            tags(json!([{"Key": "k".repeat(127)}])),
            tags(json!([{"Key": "k".repeat(129)}])),
            "tags[0].Key",
            E,
            "129 characters long; use at most 128",
        ),
        case(
            R::TagValueLength,
            Create,
            Known,
            tags(json!([{"Key": "k", "Value": "v".repeat(255)}])),
            tags(json!([{"Key": "k", "Value": "v".repeat(257)}])),
            "tags[0].Value",
            E,
            "257 characters long; use at most 256",
        ),
        case(
            R::TagValueLength,
            Create,
            Known,
            tags(json!([{"Key": "k", "Value": ""}])),
            tags(json!([{"Key": "k", "Value": "v".repeat(256)}])),
            "tags[0].Value",
            W,
            "allows 255",
        ),
        case(
            R::TagCount,
            Create,
            Known,
            tags(Value::Array((0..50).map(|i| json!({"Key": format!("k{i}")})).collect())),
            tags(Value::Array((0..51).map(|i| json!({"Key": format!("k{i}")})).collect())),
            "tags",
            E,
            "51 tags; a resource can have at most 50",
        ),
        case(
            R::TagKeyUnique,
            Create,
            Known,
            tags(json!([{"Key": "a"}, {"Key": "A"}])),
            tags(json!([{"Key": "a"}, {"Key": "a"}])),
            "tags[1].Key",
            E,
            "the tag key \"a\" is used twice",
        ),
        case(
            R::DeleteFlagConflict,
            Update,
            Known,
            update(json!({"deleteBehaviors": true})),
            update(json!({"deleteBehaviors": true, "behaviors": [sent(good_static())]})),
            "deleteBehaviors",
            E,
            "deleteBehaviors and behaviors are both set",
        ),
        case(
            R::DeleteFlagConflict,
            Update,
            Known,
            update(
                json!({"deleteAlertTargets": false, "alertTargets": {"SNS": {"alertTargetArn": TOPIC, "roleArn": ROLE}}}),
            ),
            update(
                json!({"deleteAlertTargets": true, "alertTargets": {"SNS": {"alertTargetArn": TOPIC, "roleArn": ROLE}}}),
            ),
            "deleteAlertTargets",
            E,
            "deleteAlertTargets and alertTargets are both set",
        ),
        case(
            R::DeleteFlagConflict,
            Update,
            Known,
            update(json!({"deleteAdditionalMetricsToRetain": true})),
            update(
                json!({"deleteAdditionalMetricsToRetain": true, "additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}]}),
            ),
            "deleteAdditionalMetricsToRetain",
            W,
            "(inferred: the flag also clears V2)",
        ),
        case(
            R::DeleteFlagConflict,
            Update,
            Known,
            update(json!({"deleteMetricsExportConfig": true})),
            update(
                json!({"deleteMetricsExportConfig": true, "metricsExportConfig": {"mqttTopic": "m", "roleArn": ROLE}}),
            ),
            "deleteMetricsExportConfig",
            W,
            "(unconfirmed)",
        ),
        case(
            R::EmptyListOnUpdate,
            Update,
            Known,
            update(json!({"deleteBehaviors": true})),
            update(json!({"behaviors": []})),
            "behaviors",
            W,
            "an empty behaviors leaves the profile's behaviors as they are; to remove them set deleteBehaviors",
        ),
        case(
            R::ListFilterConflict,
            List,
            Known,
            json!({"dimensionName": "TopicFilter"}),
            json!({"dimensionName": "TopicFilter", "metricName": "aws:num-messages-sent"}),
            "metricName",
            E,
            "cannot be used together",
        ),
        case(
            R::MaxResultsRange,
            List,
            Known,
            json!({"maxResults": 250}),
            json!({"maxResults": 0}),
            "maxResults",
            E,
            "maxResults is 0; use 1 to 250",
        ),
    ]
}

/// How many cases `cases()` holds: each is a test of its own below.
const CASES: usize = 92;

#[test]
fn every_case_is_a_test() {
    assert_eq!(cases().len(), CASES, "a case added or removed: list its index in the #[values] of the test below");
}

/// One test per case: the good value passes the rule, the bad one fails it
/// at its path, with its severity and words.
#[rstest::rstest]
fn a_rule_passes_a_good_value_and_fails_a_bad_one(
    #[values(
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
        30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57,
        58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85,
        86, 87, 88, 89, 90, 91
    )]
    i: usize,
) {
    let Some(c) = cases().into_iter().nth(i) else { panic!("no case {i} (there are {})", cases().len()) };
    let good = run(c.doc, c.ctx, &c.good);
    assert!(!good.iter().any(|p| p.rule == c.rule), "case {i} ({:?}): good value was flagged: {good:#?}", c.rule);
    assert!(!good.iter().any(Problem::is_error), "case {i} ({:?}): good value has errors: {good:#?}", c.rule);
    let bad = run(c.doc, c.ctx, &c.bad);
    let hit = bad.iter().find(|p| p.rule == c.rule && p.path.to_string() == c.path);
    let Some(hit) = hit else { panic!("case {i} ({:?}): no problem at {}: {bad:#?}", c.rule, c.path) };
    assert_eq!(hit.severity, c.severity, "case {i} ({:?}): {hit:?}", c.rule);
    assert!(
        hit.message.contains(c.fragment),
        "case {i} ({:?}): message {:?} lacks {:?}",
        c.rule,
        hit.message,
        c.fragment
    );
}

#[test]
fn number_values_must_be_finite() {
    // JSON cannot carry NaN, but the editor's form can produce one.
    let mut p: SecurityProfile = serde_json::from_value(rule_on(
        "batteryPercentage",
        json!({"comparisonOperator": "less-than", "value": {"number": 1.0}}),
    ))
    .unwrap();
    assert!(validate(&p, &context(Ctx::Known)).is_empty());
    p.behaviors.as_mut().unwrap()[0].criteria.as_mut().unwrap().value.as_mut().unwrap().number = Some(f64::NAN);
    let problems = validate(&p, &context(Ctx::Known));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].rule, Rule::NumberFinite);
    assert_eq!(problems[0].path.to_string(), "behaviors[0].criteria.value.number");
}

/// The target rules judge what the editor attaches, beside the request.
#[test]
fn target_rules_warn_when_there_is_none_and_block_a_full_target() {
    use ddsp::domain::targets::{Target, check};
    let none = check(&[], &[], |_| None);
    assert_eq!((none.len(), none[0].rule, none[0].is_error()), (1, Rule::NoTarget, false));
    let group = Target::ThingGroup("Sensors".into());
    let full = check(std::slice::from_ref(&group), &[], |_| Some(5));
    assert_eq!(
        (full[0].rule, full[0].path.to_string(), full[0].is_error()),
        (Rule::TargetLimit, "targets[0]".into(), true)
    );
    assert!(check(std::slice::from_ref(&group), &[], |_| Some(4)).is_empty());
    assert!(
        check(std::slice::from_ref(&group), std::slice::from_ref(&group), |_| Some(5)).is_empty(),
        "already attached"
    );
}

#[test]
fn a_certificate_id_is_64_hexadecimal_characters() {
    use ddsp::domain::rules::certificates::{DeviceRequest, validate_device_request};
    let judge = |id: &str| validate_device_request(&DeviceRequest { certificate_id: Some(id), ..Default::default() });
    assert!(judge(&"0a".repeat(32)).is_empty());
    assert!(judge(&format!("0x{}", "a".repeat(62))).is_empty(), "the model's (0x)? prefix");
    for bad in ["abc".to_owned(), "g".repeat(64), "a".repeat(65)] {
        let found = judge(&bad);
        assert_eq!((found.len(), found[0].rule, found[0].is_error()), (1, Rule::CertificateId, true), "{bad}");
        assert_eq!(found[0].path.to_string(), "certificateId");
    }
}

#[test]
fn every_rule_has_a_case() {
    let mut covered: BTreeSet<Rule> = cases().iter().map(|c| c.rule).collect();
    covered.insert(Rule::NumberFinite);
    covered.extend([Rule::NoTarget, Rule::TargetLimit, Rule::ProfileNameTaken]);
    // The editor's template advice: templates::tests and tests/tui_screens.rs.
    covered.insert(Rule::TemplateDescriptionStale);
    // The violation-query rules have their cases in domain::rules::violations and tests/violations.rs.
    covered.extend([Rule::ThingName, Rule::EnumValue, Rule::TimeWindow, Rule::ViolationId]);
    covered.extend([Rule::VerificationDescriptionLength, Rule::VerificationDescriptionPattern]);
    // The device requests' rule: `a_certificate_id_is_64_hexadecimal_characters` below.
    covered.insert(Rule::CertificateId);
    // The mitigation rules: domain::rules::mitigation's tests, and tests/alerts.rs
    // (each actionParams kind wrong, a task with no target, actions or token).
    covered.extend([Rule::MitigationActionName, Rule::ActionParams, Rule::SnsTopicArn]);
    covered.extend([Rule::TaskId, Rule::TaskTarget, Rule::TaskActions]);
    let missing: Vec<_> = Rule::ALL.iter().filter(|r| !covered.contains(r)).collect();
    assert!(missing.is_empty(), "rules without a case: {missing:?}");
}

#[test]
fn the_seed_profiles_validate_clean() {
    for file in ["possible-issue-create.json", "possible-issue-update.json"] {
        let text = std::fs::read_to_string(format!("tests/fixtures/{file}")).unwrap();
        let p: SecurityProfile = serde_json::from_str(&text).unwrap();
        assert_eq!(validate(&p, &Context::offline()), vec![], "{file}");
        let u: ProfileUpdate = serde_json::from_str(&text).unwrap();
        assert_eq!(validate_update(&u, &Context::offline()), vec![], "{file}");
    }
}

#[test]
fn the_seed_examples_round_trip() {
    use ddsp::wire::response::SecurityProfileDescription;
    for file in ["possible-issue-create.json", "possible-issue-update.json"] {
        let text = std::fs::read_to_string(format!("tests/fixtures/{file}")).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let p: SecurityProfile = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_value(&p).unwrap(), doc, "{file}");
        let u: ProfileUpdate = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_value(&u).unwrap(), doc, "{file}");
    }
    let text = std::fs::read_to_string("tests/fixtures/possible-issue-update-output.json").unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    let out: SecurityProfileDescription = serde_json::from_str(&text).unwrap();
    assert_eq!(out.version, Some(2));
    assert_eq!(serde_json::to_value(&out).unwrap(), doc);

    let yaml = std::fs::read_to_string("tests/fixtures/possible-issue-create.yaml").unwrap();
    let from_yaml: SecurityProfile = ddsp::wire::input::parse(&yaml, ddsp::wire::input::Format::Yaml).unwrap();
    let from_json: SecurityProfile =
        serde_json::from_str(&std::fs::read_to_string("tests/fixtures/possible-issue-create.json").unwrap()).unwrap();
    assert_eq!(from_yaml, from_json);
}
