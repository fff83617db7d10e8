//! Rules on the resources behaviors refer to: dimensions (CreateDimension /
//! UpdateDimension) and custom metrics (CreateCustomMetric /
//! UpdateCustomMetric), from the IoT model's shapes (service.md §2:
//! DimensionName, DimensionType, DimensionStringValues, MetricName,
//! CustomMetricType, CustomMetricDisplayName, ClientRequestToken) and §3
//! (custom metric names may not start with `aws:`). The commands check these
//! before sending and the sandbox refuses what they call an error.

use super::Checker;
use super::text::{describe_char, first_non_graph, quote, resource_name_fault};
use crate::domain::enums::CustomMetricType;
use crate::domain::metrics::BUILTIN_PREFIX;
use crate::domain::path::FieldPath;
use crate::domain::problem::{Problem, Rule};
use crate::domain::profile::Tag;
use crate::domain::rules::Context;

/// The members of a CreateDimension or UpdateDimension request; `None` for
/// what the request does not carry.
#[derive(Debug, Clone, Copy, Default)]
pub struct DimensionRequest<'a> {
    pub name: &'a str,
    /// `type`: TOPIC_FILTER, the only type.
    pub dimension_type: Option<&'a str>,
    pub string_values: Option<&'a [String]>,
    pub tags: Option<&'a [Tag]>,
    pub client_request_token: Option<&'a str>,
}

/// The members of a CreateCustomMetric or UpdateCustomMetric request.
#[derive(Debug, Clone, Copy, Default)]
pub struct CustomMetricRequest<'a> {
    pub metric_name: &'a str,
    pub metric_type: Option<&'a str>,
    pub display_name: Option<&'a str>,
    pub tags: Option<&'a [Tag]>,
    pub client_request_token: Option<&'a str>,
}

/// DimensionStringValues: 1–100 items, each 1–256 characters.
const VALUES_MAX: usize = 100;
const VALUE_LENGTH_MAX: usize = 256;
/// CustomMetricDisplayName: 0–128.
const DISPLAY_NAME_MAX: usize = 128;
/// ClientRequestToken: 1–64.
const TOKEN_MAX: usize = 64;

/// Checks a dimension request.
pub fn validate_dimension(d: &DimensionRequest, ctx: &Context) -> Vec<Problem> {
    let mut c = Checker::new(ctx);
    let root = FieldPath::root();
    if let Some(fault) = resource_name_fault(d.name) {
        c.error(root.key("name"), Rule::DimensionName, format!("the dimension name {fault}"));
    }
    if let Some(t) = d.dimension_type.filter(|t| *t != "TOPIC_FILTER") {
        c.error(
            root.key("type"),
            Rule::DimensionType,
            format!("{} is not a dimension type; use TOPIC_FILTER", quote(t)),
        );
    }
    if let Some(values) = d.string_values {
        check_values(&mut c, &root.key("stringValues"), values);
    }
    check_common(&mut c, d.tags, d.client_request_token);
    c.problems
}

/// Checks a custom metric request.
pub fn validate_custom_metric(m: &CustomMetricRequest, ctx: &Context) -> Vec<Problem> {
    let mut c = Checker::new(ctx);
    let root = FieldPath::root();
    if let Some(fault) = resource_name_fault(m.metric_name) {
        c.error(root.key("metricName"), Rule::MetricName, format!("the custom metric name {fault}"));
    } else if m.metric_name.starts_with(BUILTIN_PREFIX) {
        c.error(
            root.key("metricName"),
            Rule::CustomMetricName,
            "custom metric names cannot start with aws:, which marks the built-in metrics; choose another name",
        );
    }
    if let Some(t) = m.metric_type.filter(|t| !CustomMetricType::parse(t).is_known()) {
        c.error(
            root.key("metricType"),
            Rule::CustomMetricType,
            format!("{} is not a custom metric type; use one of {}", quote(t), CustomMetricType::allowed_list()),
        );
    }
    if let Some(name) = m.display_name {
        let length = name.chars().count();
        if length > DISPLAY_NAME_MAX {
            c.error(
                root.key("displayName"),
                Rule::DisplayName,
                format!("the display name is {} long; use at most {DISPLAY_NAME_MAX}", super::text::characters(length)),
            );
        } else if let Some(ch) = first_non_graph(name) {
            c.error(
                root.key("displayName"),
                Rule::DisplayName,
                format!("the display name contains {}; use printable ASCII and spaces", describe_char(ch)),
            );
        }
    }
    check_common(&mut c, m.tags, m.client_request_token);
    c.problems
}

fn check_common(c: &mut Checker, tags: Option<&[Tag]>, token: Option<&str>) {
    if let Some(tags) = tags {
        super::profile::check_tags(c, &FieldPath::root().key("tags"), tags);
    }
    if let Some(t) = token {
        let bad = t.is_empty()
            || t.chars().count() > TOKEN_MAX
            || !t.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_'));
        if bad {
            c.error(
                FieldPath::root().key("clientRequestToken"),
                Rule::ClientRequestToken,
                format!("clientRequestToken {} must be 1 to {TOKEN_MAX} of a-z, A-Z, 0-9, - and _", quote(t)),
            );
        }
    }
}

fn check_values(c: &mut Checker, path: &FieldPath, values: &[String]) {
    if values.is_empty() || values.len() > VALUES_MAX {
        c.error(
            path.clone(),
            Rule::DimensionValues,
            format!("{} topic filters; a dimension takes 1 to {VALUES_MAX}", values.len()),
        );
    }
    for (i, v) in values.iter().enumerate() {
        let length = v.chars().count();
        if length == 0 || length > VALUE_LENGTH_MAX {
            c.error(
                path.index(i),
                Rule::DimensionValues,
                format!("the topic filter is {} long; use 1 to {VALUE_LENGTH_MAX}", super::text::characters(length)),
            );
        } else if let Some(fault) = wildcard_fault(v) {
            c.warn(
                path.index(i),
                Rule::TopicFilterWildcard,
                format!(
                    "{} {fault} (MQTT's rule for topic filters; whether the service checks it is unconfirmed)",
                    quote(v)
                ),
            );
        }
    }
}

/// Why a topic filter breaks MQTT's wildcard rules: `+` is a whole level,
/// `#` a whole level and the last one. `${iot:ClientId}` is a substitution,
/// not a wildcard, and is allowed.
pub fn wildcard_fault(filter: &str) -> Option<&'static str> {
    let levels: Vec<&str> = filter.split('/').collect();
    for (i, level) in levels.iter().enumerate() {
        if level.contains('#') && (*level != "#" || i + 1 != levels.len()) {
            return Some("uses # inside a level or before the last one; # must be a level of its own, last (a/b/#)");
        }
        if level.contains('+') && *level != "+" {
            return Some("uses + inside a level; + must be a level of its own (a/+/c)");
        }
    }
    None
}

/// Checks a security profile target (service.md §8): a thing group's ARN,
/// `…:all/registered-things` or `…:all/unregistered-things`, at `path`.
pub fn validate_target(arn: &str, path: &FieldPath, ctx: &Context) -> Vec<Problem> {
    let mut c = Checker::new(ctx);
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let resource = match parts.as_slice() {
        ["arn", partition, "iot", region, account, resource]
            if partition.starts_with("aws") && !region.is_empty() && account.len() == 12 =>
        {
            Some(*resource)
        }
        _ => None,
    };
    let good = match resource.and_then(|r| r.split_once('/')) {
        Some(("thinggroup", name)) => resource_name_fault(name).is_none(),
        Some(("all", "registered-things" | "unregistered-things")) => true,
        _ => false,
    };
    if !good {
        c.error(
            path.clone(),
            Rule::TargetArn,
            format!(
                "{} is not a target; use a thing group's ARN (arn:aws:iot:REGION:ACCOUNT:thinggroup/NAME) or arn:aws:iot:REGION:ACCOUNT:all/registered-things (or unregistered-things)",
                quote(arn)
            ),
        );
    }
    c.problems
}

/// Checks a thing group name (ThingGroupName: 1–128 of `[a-zA-Z0-9:_-]`) at `path`.
pub fn validate_thing_group_name(name: &str, path: &FieldPath, ctx: &Context) -> Vec<Problem> {
    let mut c = Checker::new(ctx);
    if let Some(fault) = resource_name_fault(name) {
        c.error(path.clone(), Rule::ThingGroupName, format!("the thing group name {fault}"));
    }
    c.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topic_filter_wildcards() {
        for good in ["a/b", "a/+/c", "+", "#", "a/#", "things/${iot:ClientId}/data", "+/+/#"] {
            assert_eq!(wildcard_fault(good), None, "{good}");
        }
        for bad in ["a/b#", "a/#/c", "a+", "a/+b/c", "#/a"] {
            assert!(wildcard_fault(bad).is_some(), "{bad}");
        }
    }
}
