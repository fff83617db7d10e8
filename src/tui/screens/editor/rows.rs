//! The editor's rows: what each section shows, as rows over the one
//! `SecurityProfile` being edited, with the field each row writes, how it is
//! edited and where its problems are reported. Rebuilt after each change;
//! what a metric allows comes from `domain::choices`.

use std::collections::BTreeMap;

use crate::domain::FieldPath;
use crate::domain::choices;
use crate::domain::edit::Entry;
use crate::domain::profile::{Behavior, SecurityProfile};
use crate::domain::targets::Target;

/// The sections of the profile editor, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Behaviors,
    AlertTargets,
    Retained,
    Export,
    /// What the profile is attached to (AttachSecurityProfile; not part of the profile's request).
    Targets,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Overview,
        Section::Behaviors,
        Section::AlertTargets,
        Section::Retained,
        Section::Export,
        Section::Targets,
    ];

    /// The name in the section list when space is short (and in drafts' cursors).
    pub fn short(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Behaviors => "Behaviors",
            Section::AlertTargets => "Alerts",
            Section::Retained => "Retained",
            Section::Export => "Export",
            Section::Targets => "Targets",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Behaviors => "Behaviors",
            Section::AlertTargets => "Alert targets",
            Section::Retained => "Retained metrics",
            Section::Export => "Metrics export",
            Section::Targets => "Targets",
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
            Section::Targets => &["targets"],
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
    /// A target in the Targets section.
    Target(usize),
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
            FieldId::Target(i) => Some(Entry::Target(i)),
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
    Target,
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

pub(super) fn row(
    id: FieldId,
    label: impl Into<String>,
    value: String,
    kind: Kind,
    path: FieldPath,
    help: &str,
) -> Row {
    Row { id, label: label.into(), value, kind, path, help: help.to_owned() }
}

pub(super) fn choices(items: impl IntoIterator<Item = String>) -> Kind {
    Kind::Choice(items.into_iter().collect())
}

pub(super) fn on_off(on: bool) -> String {
    if on { "on".into() } else { "off".into() }
}

/// The rows of the Targets section.
pub fn target_rows(targets: &[Target], attached: &[Target]) -> Vec<Row> {
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let state = if attached.contains(t) { "attached" } else { "attached when submitted" };
            row(
                FieldId::Target(i),
                t.label(),
                state.to_owned(),
                Kind::Entry,
                root().key("targets").index(i),
                "Ctrl-A adds a target; Ctrl-D removes this one (detached when submitted)",
            )
        })
        .collect()
}

/// The rows of a section (`existing`: the name of an existing profile is fixed, so not shown).
pub fn section_rows(p: &SecurityProfile, section: Section, raw: &RawTexts, existing: bool) -> Vec<Row> {
    match section {
        Section::Overview => overview_rows(p, existing),
        Section::Behaviors => behavior_list_rows(p, raw),
        Section::AlertTargets => alert_target_rows(p),
        Section::Retained => retained_rows(p, raw),
        // Targets are not part of the profile: `target_rows` makes them.
        Section::Targets => Vec::new(),
        Section::Export => export_rows(p),
    }
}

/// The overview: the name (of a profile not yet created), the description, the tags.
fn overview_rows(p: &SecurityProfile, existing: bool) -> Vec<Row> {
    let mut rows = Vec::new();
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
    rows
}

/// The behaviors, one row each, said in words.
fn behavior_list_rows(p: &SecurityProfile, raw: &RawTexts) -> Vec<Row> {
    let mut rows = Vec::new();
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
    rows
}

/// The SNS alert target: its topic and role.
fn alert_target_rows(p: &SecurityProfile) -> Vec<Row> {
    let mut rows = Vec::new();
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
    rows
}

/// The retained metrics, with their dimension and export flag.
fn retained_rows(p: &SecurityProfile, raw: &RawTexts) -> Vec<Row> {
    let text = |id: FieldId, value: String| raw.get(&id).map_or(value, |r| r.text.clone());
    let mut rows = Vec::new();
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
    rows
}

/// The metrics export: its MQTT topic and role.
fn export_rows(p: &SecurityProfile) -> Vec<Row> {
    let mut rows = Vec::new();
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
    rows
}

/// A behavior in one line: its criteria in words ("messages sent > 100 in 5 minutes").
pub fn behavior_summary(b: &Behavior, raw_value: Option<&str>) -> String {
    choices::summary(b, raw_value)
}

pub use super::behavior_rows::behavior_rows;
