//! Rules on the profile's own members: name, description, alert targets,
//! retained metrics, metrics export and tags (service.md §2, §3).

use super::behavior::{self, DimensionUse, check_dimension, check_metric_name};
use super::text::{describe_char, first_bad_tag_char, first_non_graph, quote, resource_name_fault};
use super::{Checker, ExportState, ProfileView};
use crate::domain::path::FieldPath;
use crate::domain::problem::{Rule, Severity};
use crate::domain::profile::{AlertTargets, MetricToRetain, MetricsExportConfig, Tag};

pub const DESCRIPTION_MAX: usize = 1000;
pub const ROLE_ARN_MIN: usize = 20;
pub const ROLE_ARN_MAX: usize = 2048;
pub const MQTT_TOPIC_MAX: usize = 512;
pub const TAGS_MAX: usize = 50;
pub const TAG_KEY_MAX: usize = 128;
pub const TAG_VALUE_MAX: usize = 256;

pub(super) fn check(c: &mut Checker, p: &ProfileView) {
    let root = FieldPath::root();
    if let Some(fault) = resource_name_fault(p.name) {
        c.error(root.key("securityProfileName"), Rule::ProfileName, format!("the profile name {fault}"));
    }
    if let Some(description) = p.description {
        check_description(c, &root.key("securityProfileDescription"), description);
    }
    if let Some(behaviors) = p.behaviors {
        behavior::check_all(c, behaviors, p.export_state);
    }
    if let Some(targets) = p.alert_targets {
        check_alert_targets(c, &root.key("alertTargets"), targets);
    }
    if let Some(v1) = p.retain_v1 {
        check_retain_v1(c, &root.key("additionalMetricsToRetain"), v1, p.retain_v2.is_some());
    }
    if let Some(v2) = p.retain_v2 {
        check_retain_v2(c, &root.key("additionalMetricsToRetainV2"), v2, p.export_state);
    }
    if let Some(export) = p.export {
        check_export(c, &root.key("metricsExportConfig"), export);
    }
    if let Some(tags) = p.tags {
        check_tags(c, &root.key("tags"), tags);
    }
}

fn check_description(c: &mut Checker, path: &FieldPath, description: &str) {
    let length = description.chars().count();
    if length > DESCRIPTION_MAX {
        c.error(
            path.clone(),
            Rule::DescriptionLength,
            format!(
                "the description is {} long; shorten it to at most {DESCRIPTION_MAX}",
                super::text::characters(length)
            ),
        );
    }
    if let Some(ch) = first_non_graph(description) {
        c.warn(
            path.clone(),
            Rule::DescriptionCharacters,
            format!(
                "the description contains {}; the model allows only printable ASCII and spaces (inferred from its pattern, unconfirmed on the live service)",
                describe_char(ch)
            ),
        );
    }
}

fn check_alert_targets(c: &mut Checker, path: &FieldPath, targets: &AlertTargets) {
    for (kind, target) in targets {
        let at = path.map_key(kind);
        if kind != "SNS" {
            c.error(
                at.clone(),
                Rule::AlertTargetType,
                format!("{} is not an alert target type; the only type is SNS", quote(kind)),
            );
        }
        let arn_path = at.key("alertTargetArn");
        if target.alert_target_arn.is_empty() {
            c.error(
                arn_path,
                Rule::AlertTargetArnRequired,
                "alertTargetArn is required: the ARN of the SNS topic that receives alerts",
            );
        } else if !is_sns_topic_arn(&target.alert_target_arn) {
            c.warn(
                arn_path,
                Rule::AlertTargetArnSns,
                format!("{} does not look like an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:TOPIC); the service likely requires one", quote(&target.alert_target_arn)),
            );
        }
        check_role_arn(c, &at.key("roleArn"), &target.role_arn);
    }
}

/// `arn:PARTITION:sns:REGION:ACCOUNT:TOPIC`, the topic's name as SNS allows
/// it: "Topic names must be made up of only uppercase and lowercase ASCII
/// letters, numbers, underscores, and hyphens, and must be between 1 and 256
/// characters long", a FIFO topic's ending in `.fifo` (Amazon SNS API
/// reference, CreateTopic).
pub(super) fn is_sns_topic_arn(arn: &str) -> bool {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, _region, _account, topic] = parts[..] else { return false };
    let name = topic.strip_suffix(".fifo").unwrap_or(topic);
    prefix == "arn"
        && partition.starts_with("aws")
        && service == "sns"
        && (1..=256).contains(&topic.chars().count())
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// RoleArn: 20–2048 characters; an IAM role ARN by intent.
pub(super) fn check_role_arn(c: &mut Checker, path: &FieldPath, arn: &str) {
    check_named_role_arn(c, path, "roleArn", arn);
}

/// As `check_role_arn`, for a role member of another name (`roleArnForLogging`).
pub(super) fn check_named_role_arn(c: &mut Checker, path: &FieldPath, member: &str, arn: &str) {
    let length = arn.chars().count();
    if !(ROLE_ARN_MIN..=ROLE_ARN_MAX).contains(&length) {
        let what = if arn.is_empty() {
            format!("{member} is required")
        } else {
            format!("{member} is {} long", super::text::characters(length))
        };
        c.error(
            path.clone(),
            Rule::RoleArnLength,
            format!("{what}; give an IAM role ARN of {ROLE_ARN_MIN} to {ROLE_ARN_MAX} characters"),
        );
    } else if !(arn.starts_with("arn:aws") && arn.contains(":iam::") && arn.contains(":role/")) {
        c.warn(
            path.clone(),
            Rule::RoleArnFormat,
            format!("{} does not look like an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", quote(arn)),
        );
    }
}

fn check_retain_v1(c: &mut Checker, path: &FieldPath, metrics: &[String], has_v2: bool) {
    c.warn(
        path.clone(),
        Rule::RetainedMetricsDeprecated,
        "additionalMetricsToRetain is deprecated; list the metrics in additionalMetricsToRetainV2 instead",
    );
    if has_v2 {
        c.warn(
            path.clone(),
            Rule::RetainedBothLists,
            "both additionalMetricsToRetain and additionalMetricsToRetainV2 are set; whether the service accepts both is unconfirmed, so keep only V2",
        );
    }
    for (i, metric) in metrics.iter().enumerate() {
        check_metric_name(c, &|| path.index(i), metric, true);
    }
}

fn check_retain_v2(c: &mut Checker, path: &FieldPath, metrics: &[MetricToRetain], export: ExportState) {
    for (i, m) in metrics.iter().enumerate() {
        let at = path.index(i);
        let resolved = check_metric_name(c, &|| at.key("metric"), &m.metric, true);
        if let Some(d) = &m.metric_dimension {
            check_dimension(c, &at.key("metricDimension"), d, &resolved, DimensionUse::Retained);
        }
        if m.export_metric == Some(true) {
            behavior::check_export_metric(c, &at.key("exportMetric"), export);
        }
    }
}

fn check_export(c: &mut Checker, path: &FieldPath, export: &MetricsExportConfig) {
    let topic = &export.mqtt_topic;
    let length = topic.chars().count();
    if !(1..=MQTT_TOPIC_MAX).contains(&length) {
        let what = if topic.is_empty() {
            "mqttTopic is required".to_owned()
        } else {
            format!("mqttTopic is {} long", super::text::characters(length))
        };
        c.error(
            path.key("mqttTopic"),
            Rule::MqttTopicLength,
            format!("{what}; give the topic to publish metrics to, 1 to {MQTT_TOPIC_MAX} characters"),
        );
    } else if topic.contains(['+', '#']) {
        c.warn(
            path.key("mqttTopic"),
            Rule::MqttTopicWildcard,
            "mqttTopic contains an MQTT wildcard (+ or #); metrics are published to one topic, so name it exactly",
        );
    }
    check_role_arn(c, &path.key("roleArn"), &export.role_arn);
}

pub(super) fn check_tags(c: &mut Checker, path: &FieldPath, tags: &[Tag]) {
    if tags.len() > TAGS_MAX {
        c.error(path.clone(), Rule::TagCount, format!("{} tags; a resource can have at most {TAGS_MAX}", tags.len()));
    }
    for (i, tag) in tags.iter().enumerate() {
        let at = path.index(i);
        check_tag_key(c, &at.key("Key"), &tag.key);
        if tags[..i].iter().any(|t| t.key == tag.key) {
            c.error(
                at.key("Key"),
                Rule::TagKeyUnique,
                format!("the tag key {} is used twice; each key may appear once", quote(&tag.key)),
            );
        }
        if let Some(value) = &tag.value {
            let length = value.chars().count();
            if length > TAG_VALUE_MAX {
                c.error(
                    at.key("Value"),
                    Rule::TagValueLength,
                    format!("the tag value is {} long; use at most {TAG_VALUE_MAX}", super::text::characters(length)),
                );
            } else if length == TAG_VALUE_MAX {
                c.warn(
                    at.key("Value"),
                    Rule::TagValueLength,
                    "the tag value is 256 characters long; the IoT tagging guide allows 255, so shorten it by one",
                );
            }
        }
    }
}

fn check_tag_key(c: &mut Checker, path: &FieldPath, key: &str) {
    let length = key.chars().count();
    if length == 0 {
        c.error(path.clone(), Rule::TagKey, "the tag key is required");
        return;
    }
    if length > TAG_KEY_MAX {
        c.error(
            path.clone(),
            Rule::TagKey,
            format!("the tag key is {} long; use at most {TAG_KEY_MAX}", super::text::characters(length)),
        );
    } else if length == TAG_KEY_MAX {
        c.report(
            Severity::Warning,
            path.clone(),
            Rule::TagKeyGuideLength,
            "the tag key is 128 characters long; the IoT tagging guide allows 127, so shorten it by one",
        );
    }
    if let Some(ch) = first_bad_tag_char(key) {
        c.error(
            path.clone(),
            Rule::TagKey,
            format!("the tag key contains {}; use letters, digits, spaces and _ . : / = + - @", describe_char(ch)),
        );
    }
    if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
        c.error(
            path.clone(),
            Rule::TagKeyReserved,
            "tag keys starting with aws: are reserved for AWS; choose another key",
        );
    }
}
