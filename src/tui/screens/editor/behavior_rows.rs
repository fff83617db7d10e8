//! The rows of one behavior's form: name, metric, dimension, criteria kind,
//! operator, value (or statistic, or confidence), duration, datapoints,
//! suppress and export, offered as the behavior's metric allows
//! (`domain::choices`).

use super::rows::{BehaviorField, FieldId, Kind, PickKind, RawTexts, Row, behavior_path, choices, on_off, row};
use crate::domain::Context;
use crate::domain::choices::{self as metric, CONFIDENCE_LEVELS, DURATIONS, STATISTICS};
use crate::domain::enums::DimensionValueOperator;
use crate::domain::metrics::ValueField;
use crate::domain::profile::{Behavior, CriteriaKind};
use crate::domain::value_text::value_text;

/// The rows of the behavior editor for behavior `i`.
pub fn behavior_rows(b: &Behavior, i: usize, ctx: &Context, raw: &RawTexts) -> Vec<Row> {
    use BehaviorField as F;
    let at = behavior_path(i);
    let id = |f: F| FieldId::Of(i, f);
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
    if metric::dimension_allowed(b) {
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
    rows.extend(criteria_rows(b, i, ctx, raw));
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

/// The criteria's rows: their kind, the operator, the value (or statistic,
/// or confidence), the duration and the datapoints to alarm and clear.
fn criteria_rows(b: &Behavior, i: usize, ctx: &Context, raw: &RawTexts) -> Vec<Row> {
    use BehaviorField as F;
    let cpath = behavior_path(i).key("criteria");
    let c = b.criteria.clone().unwrap_or_default();
    let kind = c.kind();
    let id = |f: F| FieldId::Of(i, f);
    let text = |f: F, value: String| raw.get(&FieldId::Of(i, f)).map_or(value, |r| r.text.clone());
    let mut rows = Vec::new();
    rows.push(row(
        id(F::Kind),
        "Criteria",
        metric::kind_label(kind).into(),
        choices(metric::kinds_for(b, ctx).into_iter().map(|k| metric::kind_label(k).to_owned())),
        cpath.clone(),
        "Static: compare with a value; Statistical: with a percentile of all devices; ML Detect: learned",
    ));
    if kind != CriteriaKind::MlDetect {
        rows.push(row(
            id(F::Operator),
            "Operator",
            c.comparison_operator.as_ref().map(|o| o.to_string()).unwrap_or_default(),
            choices(metric::operators_for(b, ctx).iter().map(|o| o.as_str().to_owned())),
            cpath.key("comparisonOperator"),
            "How the measured value is compared",
        ));
    }
    rows.push(threshold_row(b, i, ctx, raw));
    if metric::duration_allowed(b, ctx) {
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
    rows
}

/// What the criteria compare with: a static rule's value (as typed, when it
/// does not read yet), a statistical threshold's percentile, or ML Detect's
/// confidence.
fn threshold_row(b: &Behavior, i: usize, ctx: &Context, raw: &RawTexts) -> Row {
    use BehaviorField as F;
    let cpath = behavior_path(i).key("criteria");
    let c = b.criteria.clone().unwrap_or_default();
    let id = |f: F| FieldId::Of(i, f);
    match c.kind() {
        CriteriaKind::Static => {
            let field = metric::value_field(b, ctx);
            let shown = c.value.as_ref().map(value_text).unwrap_or_default();
            row(
                id(F::Value),
                format!("Value ({})", field.wire_name()),
                raw.get(&id(F::Value)).map_or(shown, |r| r.text.clone()),
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
            )
        }
        CriteriaKind::Statistical => row(
            id(F::Statistic),
            "Statistic",
            c.statistical_threshold.as_ref().and_then(|s| s.statistic.clone()).unwrap_or_default(),
            choices(STATISTICS.iter().map(|s| (*s).to_owned())),
            cpath.key("statisticalThreshold").key("statistic"),
            "The percentile of all devices' values that is the threshold",
        ),
        CriteriaKind::MlDetect => row(
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
        ),
    }
}
