//! The editor's fields: what each section shows, as rows over the one
//! `SecurityProfile` being edited, and how a row's text is written back. Pure:
//! no terminal, no I/O. Text that does not parse (a port `22x`) is kept as typed
//! and reported as a problem at its field, so nothing the user typed is lost.

use std::collections::BTreeMap;

use crate::domain::enums::{ComparisonOperator, ConfidenceLevel, DimensionValueOperator};
use crate::domain::metrics::{self, DimensionSupport, DurationRule, MetricType, Support, ValueField};
use crate::domain::profile::{
    AlertTarget, Behavior, BehaviorCriteria, CriteriaKind, MetricDimension, MetricToRetain, MetricValue,
    MetricsExportConfig, MlDetectionConfig, SecurityProfile, StatisticalThreshold, Tag,
};
use crate::domain::{FieldPath, Problem, Rule, Severity};

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

    /// The name in the section list when space is short.
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
}

/// Every editable thing, with the indexes it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum FieldId {
    ProfileName,
    Description,
    TagKey(usize),
    TagValue(usize),
    Behavior(usize),
    AlertArn,
    AlertRole,
    RetainMetric(usize),
    RetainDimension(usize),
    RetainExport(usize),
    Legacy(usize),
    ExportTopic,
    ExportRole,
    BName,
    BMetric,
    BDimension,
    BDimOperator,
    BKind,
    BOperator,
    BValue,
    BDuration,
    BStatistic,
    BConfidence,
    BAlarm,
    BClear,
    BSuppress,
    BExport,
}

/// How a row is edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// Free text, typed in place.
    Text,
    /// One of a few values; Left/Right (or Space) cycles.
    Choice(Vec<String>),
    /// On or off; Space toggles.
    Toggle,
    /// Chosen from a searchable list (Enter).
    Pick(PickKind),
    /// An entry of a list; Enter opens it.
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
    pub help: &'static str,
}

/// Texts typed into fields that did not parse, by behavior (None for the
/// profile's own fields) and field, kept until fixed.
pub type RawTexts = BTreeMap<(Option<usize>, FieldId), String>;

/// Moves raw texts along when behaviors move: `map(i)` is behavior i's new
/// index, or None when it was removed.
pub fn remap_raw(raw: &mut RawTexts, map: impl Fn(usize) -> Option<usize>) {
    let old = std::mem::take(raw);
    for ((b, id), text) in old {
        match b {
            None => {
                raw.insert((None, id), text);
            }
            Some(i) => {
                if let Some(j) = map(i) {
                    raw.insert((Some(j), id), text);
                }
            }
        }
    }
}

fn root() -> FieldPath {
    FieldPath::root()
}

fn behavior_path(i: usize) -> FieldPath {
    root().key("behaviors").index(i)
}

/// What the endpoint knows, for pickers and for which options to offer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Known {
    pub custom_metrics: Vec<crate::domain::metrics::CustomMetric>,
    pub dimensions: Vec<String>,
}

/// The rows of a section of the profile editor.
pub fn section_rows(p: &SecurityProfile, section: Section, raw: &RawTexts) -> Vec<Row> {
    let text = |id: FieldId, value: String| raw.get(&(None, id)).cloned().unwrap_or(value);
    let mut rows = Vec::new();
    match section {
        Section::Overview => {
            rows.push(Row {
                id: FieldId::ProfileName,
                label: "Name".into(),
                value: p.security_profile_name.clone(),
                kind: Kind::Text,
                path: root().key("securityProfileName"),
                help: "1-128 letters, digits, ':', '_' or '-'; fixed once the profile exists",
            });
            rows.push(Row {
                id: FieldId::Description,
                label: "Description".into(),
                value: p.security_profile_description.clone().unwrap_or_default(),
                kind: Kind::Text,
                path: root().key("securityProfileDescription"),
                help: "What this profile watches (printable ASCII, up to 1000 characters)",
            });
            for (i, tag) in p.tags.iter().flatten().enumerate() {
                let at = root().key("tags").index(i);
                rows.push(Row {
                    id: FieldId::TagKey(i),
                    label: format!("Tag {} key", i + 1),
                    value: tag.key.clone(),
                    kind: Kind::Text,
                    path: at.key("Key"),
                    help: "Tag key (a: adds a tag, Delete removes this one)",
                });
                rows.push(Row {
                    id: FieldId::TagValue(i),
                    label: format!("Tag {} value", i + 1),
                    value: tag.value.clone().unwrap_or_default(),
                    kind: Kind::Text,
                    path: at.key("Value"),
                    help: "Tag value (up to 255 characters)",
                });
            }
        }
        Section::Behaviors => {
            for (i, b) in p.behaviors.iter().flatten().enumerate() {
                rows.push(Row {
                    id: FieldId::Behavior(i),
                    label: if b.name.is_empty() { format!("#{}", i + 1) } else { b.name.clone() },
                    value: behavior_summary(b),
                    kind: Kind::Entry,
                    path: behavior_path(i),
                    help: "Enter edits; a adds, c duplicates, Delete removes, Ctrl-Up/Down move",
                });
            }
        }
        Section::AlertTargets => {
            let sns = p.alert_targets.as_ref().and_then(|t| t.get("SNS"));
            let at = root().key("alertTargets").map_key("SNS");
            rows.push(Row {
                id: FieldId::AlertArn,
                label: "SNS topic ARN".into(),
                value: sns.map(|t| t.alert_target_arn.clone()).unwrap_or_default(),
                kind: Kind::Text,
                path: at.key("alertTargetArn"),
                help: "arn:aws:sns:REGION:ACCOUNT:TOPIC that receives alerts; empty for none",
            });
            rows.push(Row {
                id: FieldId::AlertRole,
                label: "Role ARN".into(),
                value: sns.map(|t| t.role_arn.clone()).unwrap_or_default(),
                kind: Kind::Text,
                path: at.key("roleArn"),
                help: "arn:aws:iam::ACCOUNT:role/NAME allowed to publish to the topic",
            });
        }
        Section::Retained => {
            for (i, m) in p.additional_metrics_to_retain_v2.iter().flatten().enumerate() {
                let at = root().key("additionalMetricsToRetainV2").index(i);
                rows.push(Row {
                    id: FieldId::RetainMetric(i),
                    label: format!("Metric {}", i + 1),
                    value: m.metric.clone(),
                    kind: Kind::Pick(PickKind::Metric),
                    path: at.key("metric"),
                    help: "Enter picks the metric (a adds one, Delete removes this one)",
                });
                rows.push(Row {
                    id: FieldId::RetainDimension(i),
                    label: "  dimension".into(),
                    value: m
                        .metric_dimension
                        .as_ref()
                        .map(|d| d.dimension_name.clone())
                        .unwrap_or_else(|| "(none)".into()),
                    kind: Kind::Pick(PickKind::Dimension),
                    path: at.key("metricDimension"),
                    help: "Enter picks a dimension to narrow the metric by topic",
                });
                rows.push(Row {
                    id: FieldId::RetainExport(i),
                    label: "  export".into(),
                    value: on_off(m.export_metric == Some(true)),
                    kind: Kind::Toggle,
                    path: at.key("exportMetric"),
                    help: "Space: also export this metric (needs Metrics export)",
                });
            }
            for (i, m) in p.additional_metrics_to_retain.iter().flatten().enumerate() {
                rows.push(Row {
                    id: FieldId::Legacy(i),
                    label: format!("Legacy {} (deprecated)", i + 1),
                    value: text(FieldId::Legacy(i), m.clone()),
                    kind: Kind::Text,
                    path: root().key("additionalMetricsToRetain").index(i),
                    help: "Deprecated list: prefer the entries above; Delete removes this one",
                });
            }
        }
        Section::Export => {
            let e = p.metrics_export_config.as_ref();
            let at = root().key("metricsExportConfig");
            rows.push(Row {
                id: FieldId::ExportTopic,
                label: "MQTT topic".into(),
                value: e.map(|e| e.mqtt_topic.clone()).unwrap_or_default(),
                kind: Kind::Text,
                path: at.key("mqttTopic"),
                help: "Topic Device Defender publishes exported metrics to; empty for none",
            });
            rows.push(Row {
                id: FieldId::ExportRole,
                label: "Role ARN".into(),
                value: e.map(|e| e.role_arn.clone()).unwrap_or_default(),
                kind: Kind::Text,
                path: at.key("roleArn"),
                help: "arn:aws:iam::ACCOUNT:role/NAME allowed to publish there",
            });
        }
    }
    rows
}

fn on_off(on: bool) -> String {
    if on { "on".into() } else { "off".into() }
}

/// A behavior in one line: metric, form and threshold.
pub fn behavior_summary(b: &Behavior) -> String {
    let metric = b.metric.clone().unwrap_or_else(|| "(no metric)".into());
    let Some(c) = &b.criteria else { return format!("{metric}  (no criteria)") };
    let op = c.comparison_operator.as_ref().map_or("?", ComparisonOperator::as_str);
    match c.kind() {
        CriteriaKind::MlDetect => {
            let level = c
                .ml_detection_config
                .as_ref()
                .and_then(|m| m.confidence_level.as_ref())
                .map_or("?", ConfidenceLevel::as_str);
            format!("{metric}  ML Detect {level}")
        }
        CriteriaKind::Statistical => {
            let stat = c.statistical_threshold.as_ref().and_then(|s| s.statistic.clone()).unwrap_or_default();
            format!("{metric}  {op} {stat}")
        }
        CriteriaKind::Static => format!("{metric}  {op} {}", c.value.as_ref().map(value_text).unwrap_or_default()),
    }
}

/// The metric's data type, from the catalogue or the endpoint's custom metrics.
pub fn metric_type(metric: Option<&str>, known: &Known) -> Option<MetricType> {
    let name = metric?;
    if let Some(spec) = metrics::builtin(name) {
        return Some(spec.data_type);
    }
    known.custom_metrics.iter().find(|m| m.name == name).and_then(|m| MetricType::of_custom(&m.metric_type))
}

/// The value member the behavior's metric compares with.
pub fn value_field(b: &Behavior, known: &Known) -> ValueField {
    let metric = b.metric.as_deref();
    if let Some(spec) = metric.and_then(metrics::builtin) {
        return spec.value_field;
    }
    match metric_type(metric, known) {
        Some(MetricType::Number) | None => {
            let op = b.criteria.as_ref().and_then(|c| c.comparison_operator.clone());
            match op {
                Some(o) if ComparisonOperator::CIDR.contains(&o) => ValueField::Cidrs,
                Some(o) if ComparisonOperator::PORT.contains(&o) => ValueField::Ports,
                Some(o) if ComparisonOperator::SET.contains(&o) => ValueField::Strings,
                _ => ValueField::Number,
            }
        }
        Some(MetricType::NumberList) => ValueField::Numbers,
        Some(MetricType::StringList) => ValueField::Strings,
        Some(MetricType::IpAddressList) => ValueField::Cidrs,
        Some(MetricType::PortList) => ValueField::Ports,
    }
}

/// A value as the user types it: one number, or items separated by commas.
pub fn value_text(v: &MetricValue) -> String {
    let join = |items: Vec<String>| items.join(", ");
    if let Some(n) = v.count {
        return n.to_string();
    }
    if let Some(n) = v.number {
        return n.to_string();
    }
    if let Some(c) = &v.cidrs {
        return join(c.clone());
    }
    if let Some(p) = &v.ports {
        return join(p.iter().map(i64::to_string).collect());
    }
    if let Some(n) = &v.numbers {
        return join(n.iter().map(f64::to_string).collect());
    }
    v.strings.as_ref().map(|s| join(s.clone())).unwrap_or_default()
}

fn split_items(text: &str) -> Vec<&str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// Parses the value text for a value member; the error names the bad item.
pub fn parse_value(field: ValueField, text: &str) -> Result<MetricValue, (Option<usize>, String)> {
    let mut v = MetricValue::default();
    let t = text.trim();
    match field {
        ValueField::Count => {
            if !t.is_empty() {
                v.count = Some(t.parse().map_err(|_| (None, format!("{t:?} is not a whole number")))?);
            }
        }
        ValueField::Number => {
            if !t.is_empty() {
                v.number = Some(t.parse().map_err(|_| (None, format!("{t:?} is not a number")))?);
            }
        }
        ValueField::Ports => {
            let mut ports = Vec::new();
            for (i, item) in split_items(t).into_iter().enumerate() {
                ports.push(item.parse::<i64>().map_err(|_| (Some(i), format!("{item:?} is not a port number")))?);
            }
            v.ports = Some(ports);
        }
        ValueField::Numbers => {
            let mut numbers = Vec::new();
            for (i, item) in split_items(t).into_iter().enumerate() {
                numbers.push(item.parse::<f64>().map_err(|_| (Some(i), format!("{item:?} is not a number")))?);
            }
            v.numbers = Some(numbers);
        }
        ValueField::Cidrs => v.cidrs = Some(split_items(t).into_iter().map(str::to_owned).collect()),
        ValueField::Strings => v.strings = Some(split_items(t).into_iter().map(str::to_owned).collect()),
    }
    Ok(v)
}

/// The criteria forms the metric supports, as the choice shows them.
pub fn kinds_for(b: &Behavior, known: &Known) -> Vec<CriteriaKind> {
    let mut kinds = vec![CriteriaKind::Static];
    match b.metric.as_deref().and_then(metrics::builtin) {
        Some(spec) => {
            if spec.statistical == Support::Yes {
                kinds.push(CriteriaKind::Statistical);
            }
            if spec.ml == Support::Yes {
                kinds.push(CriteriaKind::MlDetect);
            }
        }
        None => {
            // A custom number metric, or one whose type is not known yet: every form.
            if b.metric.is_some() && matches!(metric_type(b.metric.as_deref(), known), Some(MetricType::Number) | None)
            {
                kinds.extend([CriteriaKind::Statistical, CriteriaKind::MlDetect]);
            }
        }
    }
    kinds
}

pub fn kind_label(k: CriteriaKind) -> &'static str {
    match k {
        CriteriaKind::Static => "Static rule",
        CriteriaKind::Statistical => "Statistical threshold",
        CriteriaKind::MlDetect => "ML Detect",
    }
}

/// The operators the metric allows, in the order the choice cycles them.
pub fn operators_for(b: &Behavior, known: &Known) -> Vec<ComparisonOperator> {
    if let Some(spec) = b.metric.as_deref().and_then(metrics::builtin) {
        return spec.operators.to_vec();
    }
    match metric_type(b.metric.as_deref(), known) {
        Some(t) => t.operators().to_vec(),
        None => ComparisonOperator::ALL.to_vec(),
    }
}

const DURATIONS: [&str; 6] = ["none", "300", "600", "900", "1800", "3600"];
const STATISTICS: [&str; 11] = ["p0", "p0.1", "p0.01", "p1", "p10", "p50", "p90", "p99", "p99.9", "p99.99", "p100"];

fn choices(items: &[&str]) -> Kind {
    Kind::Choice(items.iter().map(|s| (*s).to_owned()).collect())
}

/// Whether the metric allows a dimension in this form.
fn dimension_allowed(b: &Behavior) -> bool {
    let kind = b.criteria.as_ref().map_or(CriteriaKind::Static, BehaviorCriteria::kind);
    match b.metric.as_deref().and_then(metrics::builtin) {
        Some(spec) => match spec.dimension {
            DimensionSupport::None => false,
            DimensionSupport::RulesOnly => kind != CriteriaKind::MlDetect,
            DimensionSupport::RulesAndMl => true,
        },
        None => false,
    }
}

/// Whether durationSeconds is offered: not for list metrics, not for ML Detect.
fn duration_allowed(b: &Behavior, known: &Known) -> bool {
    let kind = b.criteria.as_ref().map_or(CriteriaKind::Static, BehaviorCriteria::kind);
    if kind == CriteriaKind::MlDetect {
        return false;
    }
    match b.metric.as_deref().and_then(metrics::builtin) {
        Some(spec) => spec.duration != DurationRule::Forbidden,
        None => !metric_type(b.metric.as_deref(), known).is_some_and(MetricType::is_list),
    }
}

/// The rows of the behavior editor for behavior `i`.
pub fn behavior_rows(b: &Behavior, i: usize, known: &Known, raw: &RawTexts) -> Vec<Row> {
    let at = behavior_path(i);
    let cpath = at.key("criteria");
    let c = b.criteria.clone().unwrap_or_default();
    let kind = c.kind();
    let mut rows = vec![
        Row {
            id: FieldId::BName,
            label: "Name".into(),
            value: b.name.clone(),
            kind: Kind::Text,
            path: at.key("name"),
            help: "A name unique in the profile: letters, digits, ':', '_', '-'",
        },
        Row {
            id: FieldId::BMetric,
            label: "Metric".into(),
            value: b.metric.clone().unwrap_or_default(),
            kind: Kind::Pick(PickKind::Metric),
            path: at.key("metric"),
            help: "Enter opens the metric picker: built-in metrics and the endpoint's custom metrics",
        },
    ];
    if dimension_allowed(b) {
        rows.push(Row {
            id: FieldId::BDimension,
            label: "Dimension".into(),
            value: b.metric_dimension.as_ref().map(|d| d.dimension_name.clone()).unwrap_or_else(|| "(none)".into()),
            kind: Kind::Pick(PickKind::Dimension),
            path: at.key("metricDimension"),
            help: "Enter picks a TOPIC_FILTER dimension to count only matching topics",
        });
        if b.metric_dimension.is_some() {
            rows.push(Row {
                id: FieldId::BDimOperator,
                label: "  operator".into(),
                value: b
                    .metric_dimension
                    .as_ref()
                    .and_then(|d| d.operator.clone())
                    .unwrap_or(DimensionValueOperator::In)
                    .to_string(),
                kind: choices(&["IN", "NOT_IN"]),
                path: at.key("metricDimension").key("operator"),
                help: "IN counts matching topics, NOT_IN the others",
            });
        }
    }
    let kinds = kinds_for(b, known);
    rows.push(Row {
        id: FieldId::BKind,
        label: "Criteria".into(),
        value: kind_label(kind).into(),
        kind: Kind::Choice(kinds.iter().map(|k| kind_label(*k).to_owned()).collect()),
        path: cpath.clone(),
        help: "Static: compare with a value; Statistical: with a percentile of all devices; ML Detect: learned",
    });
    if kind != CriteriaKind::MlDetect {
        let ops: Vec<String> = operators_for(b, known)
            .iter()
            .filter(|o| kind == CriteriaKind::Static || o.is_numeric())
            .map(|o| o.as_str().to_owned())
            .collect();
        rows.push(Row {
            id: FieldId::BOperator,
            label: "Operator".into(),
            value: c.comparison_operator.as_ref().map(|o| o.to_string()).unwrap_or_default(),
            kind: Kind::Choice(ops),
            path: cpath.key("comparisonOperator"),
            help: "How the measured value is compared",
        });
    }
    match kind {
        CriteriaKind::Static => {
            let field = value_field(b, known);
            let shown = c.value.as_ref().map(value_text).unwrap_or_default();
            rows.push(Row {
                id: FieldId::BValue,
                label: format!("Value ({})", field.wire_name()),
                value: raw.get(&(Some(i), FieldId::BValue)).cloned().unwrap_or(shown),
                kind: Kind::Text,
                path: cpath.key("value"),
                help: match field {
                    ValueField::Count => "A whole number of 0 or more",
                    ValueField::Number => "A number",
                    ValueField::Cidrs => "CIDRs separated by commas: 10.0.0.0/8, 192.168.0.0/16",
                    ValueField::Ports => "Ports separated by commas: 22, 443",
                    ValueField::Numbers => "Numbers separated by commas",
                    ValueField::Strings => "Strings separated by commas",
                },
            });
        }
        CriteriaKind::Statistical => rows.push(Row {
            id: FieldId::BStatistic,
            label: "Statistic".into(),
            value: c.statistical_threshold.as_ref().and_then(|s| s.statistic.clone()).unwrap_or_default(),
            kind: choices(&STATISTICS),
            path: cpath.key("statisticalThreshold").key("statistic"),
            help: "The percentile of all devices' values that is the threshold",
        }),
        CriteriaKind::MlDetect => rows.push(Row {
            id: FieldId::BConfidence,
            label: "Confidence".into(),
            value: c
                .ml_detection_config
                .as_ref()
                .and_then(|m| m.confidence_level.clone())
                .map(|l| l.to_string())
                .unwrap_or_default(),
            kind: choices(&["LOW", "MEDIUM", "HIGH"]),
            path: cpath.key("mlDetectionConfig").key("confidenceLevel"),
            help: "HIGH alarms only on the clearest anomalies; LOW on more",
        }),
    }
    if duration_allowed(b, known) {
        rows.push(Row {
            id: FieldId::BDuration,
            label: "Duration (s)".into(),
            value: c.duration_seconds.map_or_else(|| "none".into(), |d| d.to_string()),
            kind: choices(&DURATIONS),
            path: cpath.key("durationSeconds"),
            help: "The time window the metric is counted over",
        });
    }
    for (id, label, value, member) in [
        (FieldId::BAlarm, "Datapoints to alarm", c.consecutive_datapoints_to_alarm, "consecutiveDatapointsToAlarm"),
        (FieldId::BClear, "Datapoints to clear", c.consecutive_datapoints_to_clear, "consecutiveDatapointsToClear"),
    ] {
        rows.push(Row {
            id,
            label: label.into(),
            value: raw.get(&(Some(i), id)).cloned().unwrap_or_else(|| value.map(|v| v.to_string()).unwrap_or_default()),
            kind: Kind::Text,
            path: cpath.key(member),
            help: "1 to 10 consecutive datapoints (empty means 1)",
        });
    }
    rows.push(Row {
        id: FieldId::BSuppress,
        label: "Suppress alerts".into(),
        value: on_off(b.suppress_alerts == Some(true)),
        kind: Kind::Toggle,
        path: at.key("suppressAlerts"),
        help: "Space: record violations without sending alerts",
    });
    rows.push(Row {
        id: FieldId::BExport,
        label: "Export metric".into(),
        value: on_off(b.export_metric == Some(true)),
        kind: Kind::Toggle,
        path: at.key("exportMetric"),
        help: "Space: export this metric (needs Metrics export)",
    });
    rows
}

/// A new behavior on a metric: a static rule with the metric's first operator.
pub fn new_criteria(b: &Behavior, kind: CriteriaKind, known: &Known) -> BehaviorCriteria {
    let needs_duration =
        b.metric.as_deref().and_then(metrics::builtin).is_some_and(|s| s.duration == DurationRule::Required);
    match kind {
        CriteriaKind::Static => BehaviorCriteria {
            // Most rules alarm above a threshold; list metrics start with their first operator.
            comparison_operator: operators_for(b, known)
                .iter()
                .find(|o| **o == ComparisonOperator::GreaterThan)
                .or(operators_for(b, known).first())
                .cloned(),
            duration_seconds: needs_duration.then_some(300),
            ..Default::default()
        },
        CriteriaKind::Statistical => BehaviorCriteria {
            comparison_operator: Some(ComparisonOperator::GreaterThan),
            statistical_threshold: Some(StatisticalThreshold { statistic: Some("p90".into()) }),
            duration_seconds: Some(300),
            ..Default::default()
        },
        CriteriaKind::MlDetect => BehaviorCriteria {
            ml_detection_config: Some(MlDetectionConfig { confidence_level: Some(ConfidenceLevel::Medium) }),
            ..Default::default()
        },
    }
}

/// Writes a row's text into the profile (`open` is the behavior being edited).
/// Text that does not parse is kept in `raw` and reported by `raw_problems`.
pub fn set_text(
    p: &mut SecurityProfile,
    open: Option<usize>,
    id: FieldId,
    text: &str,
    known: &Known,
    raw: &mut RawTexts,
) {
    let key = (if id >= FieldId::BName { open } else { None }, id);
    raw.remove(&key);
    match id {
        FieldId::ProfileName => p.security_profile_name = text.to_owned(),
        FieldId::Description => p.security_profile_description = (!text.is_empty()).then(|| text.to_owned()),
        FieldId::TagKey(i) => {
            if let Some(t) = p.tags.as_mut().and_then(|t| t.get_mut(i)) {
                t.key = text.to_owned();
            }
        }
        FieldId::TagValue(i) => {
            if let Some(t) = p.tags.as_mut().and_then(|t| t.get_mut(i)) {
                t.value = (!text.is_empty()).then(|| text.to_owned());
            }
        }
        FieldId::AlertArn | FieldId::AlertRole => {
            let mut target = p.alert_targets.as_ref().and_then(|t| t.get("SNS")).cloned().unwrap_or_default();
            if id == FieldId::AlertArn {
                target.alert_target_arn = text.to_owned();
            } else {
                target.role_arn = text.to_owned();
            }
            p.alert_targets = (!(target.alert_target_arn.is_empty() && target.role_arn.is_empty()))
                .then(|| [("SNS".to_owned(), AlertTarget { ..target })].into());
        }
        FieldId::ExportTopic | FieldId::ExportRole => {
            let mut e = p
                .metrics_export_config
                .clone()
                .unwrap_or(MetricsExportConfig { mqtt_topic: String::new(), role_arn: String::new() });
            if id == FieldId::ExportTopic {
                e.mqtt_topic = text.to_owned();
            } else {
                e.role_arn = text.to_owned();
            }
            p.metrics_export_config = (!(e.mqtt_topic.is_empty() && e.role_arn.is_empty())).then_some(e);
        }
        FieldId::Legacy(i) => {
            if let Some(m) = p.additional_metrics_to_retain.as_mut().and_then(|l| l.get_mut(i)) {
                *m = text.to_owned();
            }
        }
        FieldId::BName | FieldId::BValue | FieldId::BAlarm | FieldId::BClear => {
            let Some(b) = open.and_then(|i| p.behaviors.as_mut()?.get_mut(i)) else { return };
            match id {
                FieldId::BName => b.name = text.to_owned(),
                FieldId::BValue => {
                    let field = value_field(b, known);
                    match parse_value(field, text) {
                        Ok(v) => b.criteria.get_or_insert_with(Default::default).value = Some(v),
                        Err(_) => {
                            raw.insert(key, text.to_owned());
                        }
                    }
                }
                _ => {
                    let c = b.criteria.get_or_insert_with(Default::default);
                    let slot = if id == FieldId::BAlarm {
                        &mut c.consecutive_datapoints_to_alarm
                    } else {
                        &mut c.consecutive_datapoints_to_clear
                    };
                    match text.trim() {
                        "" => *slot = None,
                        t => match t.parse() {
                            Ok(n) => *slot = Some(n),
                            Err(_) => {
                                raw.insert(key, text.to_owned());
                            }
                        },
                    }
                }
            }
        }
        _ => {}
    }
}

/// Problems for texts that did not parse, at their fields, so they block like any error.
pub fn raw_problems(p: &SecurityProfile, raw: &RawTexts, known: &Known) -> Vec<Problem> {
    let mut problems = Vec::new();
    for ((behavior, id), text) in raw {
        let Some(i) = *behavior else { continue };
        let Some(b) = p.behaviors.as_ref().and_then(|l| l.get(i)) else { continue };
        let cpath = behavior_path(i).key("criteria");
        let (path, message) = match id {
            FieldId::BValue => {
                let field = value_field(b, known);
                match parse_value(field, text) {
                    Err((Some(item), m)) => (cpath.key("value").key(field.wire_name()).index(item), m),
                    Err((None, m)) => (cpath.key("value").key(field.wire_name()), m),
                    Ok(_) => continue,
                }
            }
            FieldId::BAlarm => (cpath.key("consecutiveDatapointsToAlarm"), format!("{text:?} is not a whole number")),
            FieldId::BClear => (cpath.key("consecutiveDatapointsToClear"), format!("{text:?} is not a whole number")),
            _ => continue,
        };
        problems.push(Problem { path, severity: Severity::Error, rule: Rule::ValueFieldForOperator, message });
    }
    problems
}

/// Cycles a choice row by `step` (±1) and writes the new option.
pub fn cycle(p: &mut SecurityProfile, open: Option<usize>, row: &Row, step: i64, known: &Known) {
    let Kind::Choice(options) = &row.kind else { return };
    if options.is_empty() {
        return;
    }
    let current = options.iter().position(|o| *o == row.value);
    let n = options.len() as i64;
    let next = match current {
        Some(i) => (i as i64 + step).rem_euclid(n) as usize,
        None => 0,
    };
    set_choice(p, open, row.id, &options[next], known);
}

/// Writes a chosen option.
pub fn set_choice(p: &mut SecurityProfile, open: Option<usize>, id: FieldId, option: &str, known: &Known) {
    let Some(b) = open.and_then(|i| p.behaviors.as_mut()?.get_mut(i)) else { return };
    match id {
        FieldId::BDimOperator => {
            if let Some(d) = b.metric_dimension.as_mut() {
                d.operator = Some(DimensionValueOperator::parse(option));
            }
        }
        FieldId::BKind => {
            let kind = [CriteriaKind::Static, CriteriaKind::Statistical, CriteriaKind::MlDetect]
                .into_iter()
                .find(|k| kind_label(*k) == option)
                .unwrap_or(CriteriaKind::Static);
            let keep = b.criteria.clone().unwrap_or_default();
            let mut fresh = new_criteria(b, kind, known);
            fresh.consecutive_datapoints_to_alarm = keep.consecutive_datapoints_to_alarm;
            fresh.consecutive_datapoints_to_clear = keep.consecutive_datapoints_to_clear;
            b.criteria = Some(fresh);
            if kind == CriteriaKind::MlDetect && !dimension_allowed(b) {
                b.metric_dimension = None;
            }
        }
        FieldId::BOperator => {
            b.criteria.get_or_insert_with(Default::default).comparison_operator =
                Some(ComparisonOperator::parse(option))
        }
        FieldId::BStatistic => {
            b.criteria.get_or_insert_with(Default::default).statistical_threshold =
                Some(StatisticalThreshold { statistic: Some(option.to_owned()) });
        }
        FieldId::BConfidence => {
            b.criteria.get_or_insert_with(Default::default).ml_detection_config =
                Some(MlDetectionConfig { confidence_level: Some(ConfidenceLevel::parse(option)) });
        }
        FieldId::BDuration => b.criteria.get_or_insert_with(Default::default).duration_seconds = option.parse().ok(),
        _ => {}
    }
}

/// Flips a toggle row.
pub fn toggle(p: &mut SecurityProfile, open: Option<usize>, id: FieldId) {
    let flip = |v: &mut Option<bool>| *v = if *v == Some(true) { None } else { Some(true) };
    match id {
        FieldId::RetainExport(i) => {
            if let Some(m) = p.additional_metrics_to_retain_v2.as_mut().and_then(|l| l.get_mut(i)) {
                flip(&mut m.export_metric);
            }
        }
        FieldId::BSuppress | FieldId::BExport => {
            if let Some(b) = open.and_then(|i| p.behaviors.as_mut()?.get_mut(i)) {
                flip(if id == FieldId::BSuppress { &mut b.suppress_alerts } else { &mut b.export_metric });
            }
        }
        _ => {}
    }
}

/// Writes a picked metric or dimension ("" clears a dimension).
pub fn set_pick(p: &mut SecurityProfile, open: Option<usize>, id: FieldId, value: &str, known: &Known) {
    let dimension = |v: &str| (!v.is_empty()).then(|| MetricDimension { dimension_name: v.to_owned(), operator: None });
    match id {
        FieldId::BMetric => {
            if let Some(b) = open.and_then(|i| p.behaviors.as_mut()?.get_mut(i)) {
                if b.metric.as_deref() == Some(value) {
                    return;
                }
                b.metric = Some(value.to_owned());
                // A new metric resets what depends on its type.
                let kind = b.criteria.as_ref().map_or(CriteriaKind::Static, BehaviorCriteria::kind);
                let kind = if kinds_for(b, known).contains(&kind) { kind } else { CriteriaKind::Static };
                let keep = b.criteria.clone().unwrap_or_default();
                let mut fresh = new_criteria(b, kind, known);
                fresh.consecutive_datapoints_to_alarm = keep.consecutive_datapoints_to_alarm;
                fresh.consecutive_datapoints_to_clear = keep.consecutive_datapoints_to_clear;
                b.criteria = Some(fresh);
                if !dimension_allowed(b) {
                    b.metric_dimension = None;
                }
            }
        }
        FieldId::BDimension => {
            if let Some(b) = open.and_then(|i| p.behaviors.as_mut()?.get_mut(i)) {
                b.metric_dimension = dimension(value);
            }
        }
        FieldId::RetainMetric(i) => {
            if let Some(m) = p.additional_metrics_to_retain_v2.as_mut().and_then(|l| l.get_mut(i)) {
                m.metric = value.to_owned();
            }
        }
        FieldId::RetainDimension(i) => {
            if let Some(m) = p.additional_metrics_to_retain_v2.as_mut().and_then(|l| l.get_mut(i)) {
                m.metric_dimension = dimension(value);
            }
        }
        _ => {}
    }
}

/// Adds an entry to the section's list; returns the id of its first field.
pub fn add_entry(p: &mut SecurityProfile, section: Section) -> Option<FieldId> {
    match section {
        Section::Overview => {
            let tags = p.tags.get_or_insert_with(Vec::new);
            tags.push(Tag::default());
            Some(FieldId::TagKey(tags.len() - 1))
        }
        Section::Behaviors => {
            let list = p.behaviors.get_or_insert_with(Vec::new);
            let mut n = list.len() + 1;
            while list.iter().any(|b| b.name == format!("behavior-{n}")) {
                n += 1;
            }
            list.push(Behavior { name: format!("behavior-{n}"), ..Default::default() });
            Some(FieldId::Behavior(list.len() - 1))
        }
        Section::Retained => {
            let list = p.additional_metrics_to_retain_v2.get_or_insert_with(Vec::new);
            list.push(MetricToRetain::default());
            Some(FieldId::RetainMetric(list.len() - 1))
        }
        Section::AlertTargets | Section::Export => None,
    }
}

/// Removes the list entry a row belongs to. Empty lists become absent.
pub fn remove_entry(p: &mut SecurityProfile, id: FieldId) -> bool {
    fn take<T>(list: &mut Option<Vec<T>>, i: usize) -> bool {
        let Some(l) = list.as_mut() else { return false };
        if i >= l.len() {
            return false;
        }
        l.remove(i);
        if l.is_empty() {
            *list = None;
        }
        true
    }
    match id {
        FieldId::TagKey(i) | FieldId::TagValue(i) => take(&mut p.tags, i),
        FieldId::Behavior(i) => take(&mut p.behaviors, i),
        FieldId::RetainMetric(i) | FieldId::RetainDimension(i) | FieldId::RetainExport(i) => {
            take(&mut p.additional_metrics_to_retain_v2, i)
        }
        FieldId::Legacy(i) => take(&mut p.additional_metrics_to_retain, i),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_texts_parse_per_item() {
        assert_eq!(parse_value(ValueField::Ports, "22, 443").unwrap().ports, Some(vec![22, 443]));
        assert_eq!(
            parse_value(ValueField::Ports, "22, x").unwrap_err(),
            (Some(1), "\"x\" is not a port number".to_owned())
        );
        assert_eq!(parse_value(ValueField::Count, "12").unwrap().count, Some(12));
        assert!(parse_value(ValueField::Count, "1.5").is_err());
        assert_eq!(value_text(&parse_value(ValueField::Cidrs, "10.0.0.0/8,  ::1/128").unwrap()), "10.0.0.0/8, ::1/128");
    }

    #[test]
    fn bad_text_is_kept_and_reported() {
        let mut p = SecurityProfile {
            behaviors: Some(vec![Behavior {
                name: "b".into(),
                metric: Some("aws:listening-tcp-ports".into()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let known = Known::default();
        let mut raw = RawTexts::new();
        set_text(&mut p, Some(0), FieldId::BValue, "22, 8o", &known, &mut raw);
        assert_eq!(raw.get(&(Some(0), FieldId::BValue)).map(String::as_str), Some("22, 8o"));
        let problems = raw_problems(&p, &raw, &known);
        assert_eq!(problems[0].path.to_string(), "behaviors[0].criteria.value.ports[1]");
        set_text(&mut p, Some(0), FieldId::BValue, "22, 80", &known, &mut raw);
        assert!(raw.is_empty());
        assert_eq!(
            p.behaviors.unwrap()[0].criteria.as_ref().unwrap().value.as_ref().unwrap().ports,
            Some(vec![22, 80])
        );
    }

    #[test]
    fn choices_follow_the_metric() {
        let known = Known::default();
        let mut b = Behavior { name: "b".into(), metric: Some("aws:source-ip-address".into()), ..Default::default() };
        assert_eq!(kinds_for(&b, &known), vec![CriteriaKind::Static]);
        assert_eq!(operators_for(&b, &known), ComparisonOperator::CIDR.to_vec());
        b.metric = Some("aws:all-bytes-out".into());
        assert_eq!(kinds_for(&b, &known).len(), 3);
        let rows = behavior_rows(&b, 0, &known, &RawTexts::new());
        assert!(rows.iter().any(|r| r.id == FieldId::BDuration));
        assert!(!rows.iter().any(|r| r.id == FieldId::BDimension));
    }
}
