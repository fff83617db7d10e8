//! The editor's rows: what each section shows, as rows over the one
//! `SecurityProfile` being edited, with the field each row writes, how it is
//! edited and where its problems are reported. Rebuilt after each change;
//! what a metric allows comes from `domain::choices`.

use std::collections::BTreeMap;

use crate::domain::choices::{self, CONFIDENCE_LEVELS, DURATIONS, STATISTICS};
use crate::domain::edit::Entry;
use crate::domain::enums::DimensionValueOperator;
use crate::domain::metrics::ValueField;
use crate::domain::profile::{Behavior, CriteriaKind, SecurityProfile};
use crate::domain::value_text::value_text;
use crate::domain::{Context, FieldPath};

/// The sections of the profile editor, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Behaviors,
    AlertTargets,
    Retained,
    Export,
}

impl Section {
    pub const ALL: [Section; 5] =
        [Section::Overview, Section::Behaviors, Section::AlertTargets, Section::Retained, Section::Export];

    /// The name in the section list when space is short (and in drafts' cursors).
    pub fn short(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Behaviors => "Behaviors",
            Section::AlertTargets => "Alerts",
            Section::Retained => "Retained",
            Section::Export => "Export",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Behaviors => "Behaviors",
            Section::AlertTargets => "Alert targets",
            Section::Retained => "Retained metrics",
            Section::Export => "Metrics export",
        }
    }

    /// The request members the section edits (for its problem marks).
    pub fn members(self) -> &'static [&'static str] {
        match self {
            Section::Overview => &["securityProfileName", "securityProfileDescription", "tags"],
            Section::Behaviors => &["behaviors"],
            Section::AlertTargets => &["alertTargets"],
            Section::Retained => &["additionalMetricsToRetain", "additionalMetricsToRetainV2"],
            Section::Export => &["metricsExportConfig"],
        }
    }
}

/// A field of the open behavior.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum BehaviorField {
    Name,
    Metric,
    Dimension,
    DimensionOperator,
    Kind,
    Operator,
    Value,
    Duration,
    Statistic,
    Confidence,
    Alarm,
    Clear,
    Suppress,
    Export,
}

/// Every editable thing, with the indexes it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum FieldId {
    ProfileName,
    Description,
    TagKey(usize),
    TagValue(usize),
    /// A behavior's line in the behaviors list.
    Behavior(usize),
    AlertArn,
    AlertRole,
    RetainMetric(usize),
    RetainDimension(usize),
    RetainExport(usize),
    Legacy(usize),
    ExportTopic,
    ExportRole,
    /// A field of behavior `.0`.
    Of(usize, BehaviorField),
}

impl FieldId {
    /// The list entry the row belongs to, if it belongs to one.
    pub fn entry(self) -> Option<Entry> {
        match self {
            FieldId::TagKey(i) | FieldId::TagValue(i) => Some(Entry::Tag(i)),
            FieldId::Behavior(i) => Some(Entry::Behavior(i)),
            FieldId::RetainMetric(i) | FieldId::RetainDimension(i) | FieldId::RetainExport(i) => {
                Some(Entry::Retained(i))
            }
            FieldId::Legacy(i) => Some(Entry::Legacy(i)),
            _ => None,
        }
    }

    /// The behavior the field is of, if any.
    pub fn behavior(self) -> Option<usize> {
        match self {
            FieldId::Of(i, _) | FieldId::Behavior(i) => Some(i),
            _ => None,
        }
    }
}

/// How a row is edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Free text, typed in place.
    Text,
    /// One of a few values; ← → cycle.
    Choice(Vec<String>),
    /// On or off; Space toggles.
    Toggle,
    /// Chosen from a searchable list (Enter).
    Pick(PickKind),
    /// A behavior in the list; Enter opens it.
    Entry,
}

/// What a picker lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickKind {
    Metric,
    Dimension,
}

/// One line of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: FieldId,
    pub label: String,
    pub value: String,
    pub kind: Kind,
    /// Where problems about this row are reported.
    pub path: FieldPath,
    /// A one-line help text shown when the row has focus.
    pub help: String,
}

/// Text typed into a field that did not parse, kept until fixed, with where
/// and why it is wrong (found once, when it was typed).
#[derive(Debug, Clone, PartialEq)]
pub struct RawText {
    pub text: String,
    pub path: FieldPath,
    pub message: String,
}

/// Raw texts by field.
pub type RawTexts = BTreeMap<FieldId, RawText>;

fn root() -> FieldPath {
    FieldPath::root()
}

pub fn behavior_path(i: usize) -> FieldPath {
    root().key("behaviors").index(i)
}

fn row(id: FieldId, label: impl Into<String>, value: String, kind: Kind, path: FieldPath, help: &str) -> Row {
    Row { id, label: label.into(), value, kind, path, help: help.to_owned() }
}

fn choices(items: impl IntoIterator<Item = String>) -> Kind {
    Kind::Choice(items.into_iter().collect())
}

fn on_off(on: bool) -> String {
    if on { "on".into() } else { "off".into() }
}

/// The rows of a section (`existing`: the name of an existing profile is fixed, so not shown).
pub fn section_rows(p: &SecurityProfile, section: Section, raw: &RawTexts, existing: bool) -> Vec<Row> {
    let text = |id: FieldId, value: String| raw.get(&id).map_or(value, |r| r.text.clone());
    let mut rows = Vec::new();
    match section {
        Section::Overview => {
            if !existing {
                rows.push(row(
                    FieldId::ProfileName,
                    "Name",
                    p.security_profile_name.clone(),
                    Kind::Text,
                    root().key("securityProfileName"),
                    "1-128 letters, digits, ':', '_' or '-'; fixed once the profile exists",
                ));
            }
            rows.push(row(
                FieldId::Description,
                "Description",
                p.security_profile_description.clone().unwrap_or_default(),
                Kind::Text,
                root().key("securityProfileDescription"),
                "What this profile watches (printable ASCII, up to 1000 characters)",
            ));
            for (i, tag) in p.tags.iter().flatten().enumerate() {
                let at = root().key("tags").index(i);
                rows.push(row(
                    FieldId::TagKey(i),
                    format!("Tag {} key", i + 1),
                    tag.key.clone(),
                    Kind::Text,
                    at.key("Key"),
                    "Tag key (Ctrl-A adds a tag, Ctrl-D removes this one)",
                ));
                rows.push(row(
                    FieldId::TagValue(i),
                    format!("Tag {} value", i + 1),
                    tag.value.clone().unwrap_or_default(),
                    Kind::Text,
                    at.key("Value"),
                    "Tag value (up to 255 characters)",
                ));
            }
        }
        Section::Behaviors => {
            for (i, b) in p.behaviors.iter().flatten().enumerate() {
                rows.push(row(
                    FieldId::Behavior(i),
                    if b.name.is_empty() { format!("#{}", i + 1) } else { b.name.clone() },
                    behavior_summary(b, raw.get(&FieldId::Of(i, BehaviorField::Value)).map(|r| r.text.as_str())),
                    Kind::Entry,
                    behavior_path(i),
                    "Enter edits; a adds, c duplicates, d deletes, K/J move",
                ));
            }
        }
        Section::AlertTargets => {
            let sns = p.alert_targets.as_ref().and_then(|t| t.get("SNS"));
            let at = root().key("alertTargets").map_key("SNS");
            rows.push(row(
                FieldId::AlertArn,
                "SNS topic ARN",
                sns.map(|t| t.alert_target_arn.clone()).unwrap_or_default(),
                Kind::Text,
                at.key("alertTargetArn"),
                "arn:aws:sns:REGION:ACCOUNT:TOPIC that receives alerts; empty for none",
            ));
            rows.push(row(
                FieldId::AlertRole,
                "Role ARN",
                sns.map(|t| t.role_arn.clone()).unwrap_or_default(),
                Kind::Text,
                at.key("roleArn"),
                "arn:aws:iam::ACCOUNT:role/NAME allowed to publish to the topic",
            ));
        }
        Section::Retained => {
            for (i, m) in p.additional_metrics_to_retain_v2.iter().flatten().enumerate() {
                let at = root().key("additionalMetricsToRetainV2").index(i);
                rows.push(row(
                    FieldId::RetainMetric(i),
                    format!("Metric {}", i + 1),
                    m.metric.clone(),
                    Kind::Pick(PickKind::Metric),
                    at.key("metric"),
                    "Enter picks the metric (Ctrl-A adds one, Ctrl-D removes this one)",
                ));
                rows.push(row(
                    FieldId::RetainDimension(i),
                    "  dimension",
                    m.metric_dimension.as_ref().map(|d| d.dimension_name.clone()).unwrap_or_else(|| "(none)".into()),
                    Kind::Pick(PickKind::Dimension),
                    at.key("metricDimension"),
                    "Enter picks a dimension to narrow the metric by topic",
                ));
                rows.push(row(
                    FieldId::RetainExport(i),
                    "  export",
                    on_off(m.export_metric == Some(true)),
                    Kind::Toggle,
                    at.key("exportMetric"),
                    "Space: also export this metric (needs Metrics export)",
                ));
            }
            for (i, m) in p.additional_metrics_to_retain.iter().flatten().enumerate() {
                rows.push(row(
                    FieldId::Legacy(i),
                    format!("Legacy {} (deprecated)", i + 1),
                    text(FieldId::Legacy(i), m.clone()),
                    Kind::Text,
                    root().key("additionalMetricsToRetain").index(i),
                    "Deprecated list: prefer the entries above; Ctrl-D removes this one",
                ));
            }
        }
        Section::Export => {
            let e = p.metrics_export_config.as_ref();
            let at = root().key("metricsExportConfig");
            rows.push(row(
                FieldId::ExportTopic,
                "MQTT topic",
                e.map(|e| e.mqtt_topic.clone()).unwrap_or_default(),
                Kind::Text,
                at.key("mqttTopic"),
                "Topic Device Defender publishes exported metrics to; empty for none",
            ));
            rows.push(row(
                FieldId::ExportRole,
                "Role ARN",
                e.map(|e| e.role_arn.clone()).unwrap_or_default(),
                Kind::Text,
                at.key("roleArn"),
                "arn:aws:iam::ACCOUNT:role/NAME allowed to publish there",
            ));
        }
    }
    rows
}

/// A behavior in one line: its criteria in words ("messages sent > 100 in 5 minutes").
pub fn behavior_summary(b: &Behavior, raw_value: Option<&str>) -> String {
    let value = raw_value
        .map(str::to_owned)
        .unwrap_or_else(|| b.criteria.as_ref().and_then(|c| c.value.as_ref()).map(value_text).unwrap_or_default());
    let words = choices::describe(b, &value);
    words.strip_prefix("alarm when ").map_or(words.clone(), str::to_owned)
}

/// The rows of the behavior editor for behavior `i`.
pub fn behavior_rows(b: &Behavior, i: usize, ctx: &Context, raw: &RawTexts) -> Vec<Row> {
    use BehaviorField as F;
    let at = behavior_path(i);
    let cpath = at.key("criteria");
    let c = b.criteria.clone().unwrap_or_default();
    let kind = c.kind();
    let id = |f: F| FieldId::Of(i, f);
    let text = |f: F, value: String| raw.get(&FieldId::Of(i, f)).map_or(value, |r| r.text.clone());
    let mut rows = vec![
        row(
            id(F::Name),
            "Name",
            b.name.clone(),
            Kind::Text,
            at.key("name"),
            "A name unique in the profile: letters, digits, ':', '_', '-'",
        ),
        row(
            id(F::Metric),
            "Metric",
            b.metric.clone().unwrap_or_default(),
            Kind::Pick(PickKind::Metric),
            at.key("metric"),
            "Enter opens the metric picker: built-in metrics and the endpoint's custom metrics",
        ),
    ];
    if choices::dimension_allowed(b) {
        rows.push(row(
            id(F::Dimension),
            "Dimension",
            b.metric_dimension.as_ref().map(|d| d.dimension_name.clone()).unwrap_or_else(|| "(none)".into()),
            Kind::Pick(PickKind::Dimension),
            at.key("metricDimension"),
            "Enter picks a TOPIC_FILTER dimension to count only matching topics",
        ));
        if let Some(d) = &b.metric_dimension {
            rows.push(row(
                id(F::DimensionOperator),
                "  operator",
                d.operator.clone().unwrap_or(DimensionValueOperator::In).to_string(),
                choices(["IN".to_owned(), "NOT_IN".to_owned()]),
                at.key("metricDimension").key("operator"),
                "IN counts matching topics, NOT_IN the others",
            ));
        }
    }
    rows.push(row(
        id(F::Kind),
        "Criteria",
        choices::kind_label(kind).into(),
        choices(choices::kinds_for(b, ctx).into_iter().map(|k| choices::kind_label(k).to_owned())),
        cpath.clone(),
        "Static: compare with a value; Statistical: with a percentile of all devices; ML Detect: learned",
    ));
    if kind != CriteriaKind::MlDetect {
        rows.push(row(
            id(F::Operator),
            "Operator",
            c.comparison_operator.as_ref().map(|o| o.to_string()).unwrap_or_default(),
            choices(choices::operators_for(b, ctx).iter().map(|o| o.as_str().to_owned())),
            cpath.key("comparisonOperator"),
            "How the measured value is compared",
        ));
    }
    match kind {
        CriteriaKind::Static => {
            let field = choices::value_field(b, ctx);
            let shown = c.value.as_ref().map(value_text).unwrap_or_default();
            rows.push(row(
                id(F::Value),
                format!("Value ({})", field.wire_name()),
                text(F::Value, shown),
                Kind::Text,
                cpath.key("value"),
                match field {
                    ValueField::Count => "A whole number of 0 or more",
                    ValueField::Number => "A number",
                    ValueField::Cidrs => "CIDRs separated by commas: 10.0.0.0/8, 192.168.0.0/16",
                    ValueField::Ports => "Ports separated by commas: 22, 443",
                    ValueField::Numbers => "Numbers separated by commas",
                    ValueField::Strings => "Strings separated by commas",
                },
            ));
        }
        CriteriaKind::Statistical => rows.push(row(
            id(F::Statistic),
            "Statistic",
            c.statistical_threshold.as_ref().and_then(|s| s.statistic.clone()).unwrap_or_default(),
            choices(STATISTICS.iter().map(|s| (*s).to_owned())),
            cpath.key("statisticalThreshold").key("statistic"),
            "The percentile of all devices' values that is the threshold",
        )),
        CriteriaKind::MlDetect => rows.push(row(
            id(F::Confidence),
            "Confidence",
            c.ml_detection_config
                .as_ref()
                .and_then(|m| m.confidence_level.clone())
                .map(|l| l.to_string())
                .unwrap_or_default(),
            choices(CONFIDENCE_LEVELS.iter().map(|l| l.as_str().to_owned())),
            cpath.key("mlDetectionConfig").key("confidenceLevel"),
            "HIGH alarms only on the clearest anomalies; LOW on more",
        )),
    }
    if choices::duration_allowed(b, ctx) {
        rows.push(row(
            id(F::Duration),
            "Duration (s)",
            c.duration_seconds.map_or_else(|| "none".into(), |d| d.to_string()),
            choices(std::iter::once("none".to_owned()).chain(DURATIONS.iter().map(i64::to_string))),
            cpath.key("durationSeconds"),
            "The time window the metric is counted over",
        ));
    }
    for (f, label, value, member) in [
        (F::Alarm, "Datapoints to alarm", c.consecutive_datapoints_to_alarm, "consecutiveDatapointsToAlarm"),
        (F::Clear, "Datapoints to clear", c.consecutive_datapoints_to_clear, "consecutiveDatapointsToClear"),
    ] {
        rows.push(row(
            id(f),
            label,
            text(f, value.map(|v| v.to_string()).unwrap_or_default()),
            Kind::Text,
            cpath.key(member),
            "1 to 10 consecutive datapoints (empty means 1)",
        ));
    }
    rows.push(row(
        id(F::Suppress),
        "Suppress alerts",
        on_off(b.suppress_alerts == Some(true)),
        Kind::Toggle,
        at.key("suppressAlerts"),
        "Space: record violations without sending alerts",
    ));
    rows.push(row(
        id(F::Export),
        "Export metric",
        on_off(b.export_metric == Some(true)),
        Kind::Toggle,
        at.key("exportMetric"),
        "Space: export this metric (needs Metrics export)",
    ));
    rows
}
