//! Writing a row back into the profile: text typed, a choice cycled, a switch
//! flipped, a metric or dimension picked. Text that does not parse (a port
//! `22x`) is kept as typed, with where and why it is wrong, and reported as
//! a problem at its field: nothing the user typed is lost.

use super::rows::{BehaviorField, FieldId, Kind, RawText, RawTexts, Row, behavior_path};
use crate::domain::choices;
use crate::domain::enums::{ComparisonOperator, ConfidenceLevel, DimensionValueOperator};
use crate::domain::profile::{
    AlertTarget, BehaviorCriteria, CriteriaKind, MetricDimension, MetricsExportConfig, MlDetectionConfig,
    SecurityProfile, StatisticalThreshold,
};
use crate::domain::value_text::{parse_value, parse_whole};
use crate::domain::{Context, Problem, Rule, Severity};

/// Writes a row's text into the profile; text that does not parse goes to `raw`.
pub fn set_text(p: &mut SecurityProfile, id: FieldId, text: &str, ctx: &Context, raw: &mut RawTexts) {
    raw.remove(&id);
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
        FieldId::Of(i, field) => set_behavior_text(p, i, field, text, ctx, raw),
        _ => {}
    }
}

fn set_behavior_text(
    p: &mut SecurityProfile,
    i: usize,
    field: BehaviorField,
    text: &str,
    ctx: &Context,
    raw: &mut RawTexts,
) {
    let Some(b) = p.behaviors.as_mut().and_then(|l| l.get_mut(i)) else { return };
    let cpath = behavior_path(i).key("criteria");
    let id = FieldId::Of(i, field);
    match field {
        BehaviorField::Name => b.name = text.to_owned(),
        BehaviorField::Value => {
            let value_field = choices::value_field(b, ctx);
            match parse_value(value_field, text) {
                Ok(v) => b.criteria.get_or_insert_with(Default::default).value = v,
                Err(e) => {
                    let at = cpath.key("value").key(value_field.wire_name());
                    let path = match e.item {
                        Some(item) => at.index(item),
                        None => at,
                    };
                    raw.insert(id, RawText { text: text.to_owned(), path, message: e.message });
                }
            }
        }
        BehaviorField::Alarm | BehaviorField::Clear => {
            let c = b.criteria.get_or_insert_with(Default::default);
            let (slot, member) = if field == BehaviorField::Alarm {
                (&mut c.consecutive_datapoints_to_alarm, "consecutiveDatapointsToAlarm")
            } else {
                (&mut c.consecutive_datapoints_to_clear, "consecutiveDatapointsToClear")
            };
            match text.trim() {
                "" => *slot = None,
                t => match parse_whole(t, "a datapoint count") {
                    Ok(n) => *slot = Some(n),
                    Err(message) => {
                        raw.insert(id, RawText { text: text.to_owned(), path: cpath.key(member), message });
                    }
                },
            }
        }
        _ => {}
    }
}

/// Problems for texts that did not parse, at their fields, so they block like any error.
pub fn raw_problems(raw: &RawTexts) -> impl Iterator<Item = Problem> + '_ {
    raw.values().map(|r| Problem {
        path: r.path.clone(),
        severity: Severity::Error,
        rule: Rule::ValueFieldForOperator,
        message: r.message.clone(),
    })
}

/// Cycles a choice row by `step` (±1) and writes the new option.
pub fn cycle(p: &mut SecurityProfile, row: &Row, step: i64, ctx: &Context) {
    let Kind::Choice(options) = &row.kind else { return };
    if options.is_empty() {
        return;
    }
    let n = options.len() as i64;
    let next = match options.iter().position(|o| *o == row.value) {
        Some(i) => (i as i64 + step).rem_euclid(n) as usize,
        None => 0,
    };
    set_choice(p, row.id, &options[next], ctx);
}

/// Writes a chosen option.
pub fn set_choice(p: &mut SecurityProfile, id: FieldId, option: &str, ctx: &Context) {
    let FieldId::Of(i, field) = id else { return };
    let Some(b) = p.behaviors.as_mut().and_then(|l| l.get_mut(i)) else { return };
    match field {
        BehaviorField::DimensionOperator => {
            if let Some(d) = b.metric_dimension.as_mut() {
                d.operator = Some(DimensionValueOperator::parse(option));
            }
        }
        BehaviorField::Kind => {
            let kind = [CriteriaKind::Static, CriteriaKind::Statistical, CriteriaKind::MlDetect]
                .into_iter()
                .find(|k| choices::kind_label(*k) == option)
                .unwrap_or(CriteriaKind::Static);
            let keep = b.criteria.clone();
            b.criteria = Some(choices::new_criteria(b, kind, ctx, keep.as_ref()));
            if !choices::dimension_allowed(b) {
                b.metric_dimension = None;
            }
        }
        BehaviorField::Operator => {
            b.criteria.get_or_insert_with(Default::default).comparison_operator =
                Some(ComparisonOperator::parse(option))
        }
        BehaviorField::Statistic => {
            b.criteria.get_or_insert_with(Default::default).statistical_threshold =
                Some(StatisticalThreshold { statistic: Some(option.to_owned()) });
        }
        BehaviorField::Confidence => {
            b.criteria.get_or_insert_with(Default::default).ml_detection_config =
                Some(MlDetectionConfig { confidence_level: Some(ConfidenceLevel::parse(option)) });
        }
        BehaviorField::Duration => {
            b.criteria.get_or_insert_with(Default::default).duration_seconds = option.parse().ok()
        }
        _ => {}
    }
}

/// Flips a switch row.
pub fn toggle(p: &mut SecurityProfile, id: FieldId) {
    let flip = |v: &mut Option<bool>| *v = if *v == Some(true) { None } else { Some(true) };
    match id {
        FieldId::RetainExport(i) => {
            if let Some(m) = p.additional_metrics_to_retain_v2.as_mut().and_then(|l| l.get_mut(i)) {
                flip(&mut m.export_metric);
            }
        }
        FieldId::Of(i, f @ (BehaviorField::Suppress | BehaviorField::Export)) => {
            if let Some(b) = p.behaviors.as_mut().and_then(|l| l.get_mut(i)) {
                flip(if f == BehaviorField::Suppress { &mut b.suppress_alerts } else { &mut b.export_metric });
            }
        }
        _ => {}
    }
}

/// Writes a picked metric or dimension ("" clears a dimension). A new metric
/// resets what depends on its type (criteria, dimension).
pub fn set_pick(p: &mut SecurityProfile, id: FieldId, value: &str, ctx: &Context) {
    let dimension = |v: &str| (!v.is_empty()).then(|| MetricDimension { dimension_name: v.to_owned(), operator: None });
    match id {
        FieldId::Of(i, BehaviorField::Metric) => {
            let Some(b) = p.behaviors.as_mut().and_then(|l| l.get_mut(i)) else { return };
            if b.metric.as_deref() == Some(value) {
                return;
            }
            b.metric = Some(value.to_owned());
            let kind = b.criteria.as_ref().map_or(CriteriaKind::Static, BehaviorCriteria::kind);
            let kind = if choices::kinds_for(b, ctx).contains(&kind) { kind } else { CriteriaKind::Static };
            let keep = b.criteria.clone();
            b.criteria = Some(choices::new_criteria(b, kind, ctx, keep.as_ref()));
            if !choices::dimension_allowed(b) {
                b.metric_dimension = None;
            }
        }
        FieldId::Of(i, BehaviorField::Dimension) => {
            if let Some(b) = p.behaviors.as_mut().and_then(|l| l.get_mut(i)) {
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

/// Moves raw texts along when behaviors move: `map(i)` is behavior i's new
/// index, or None when it was removed.
pub fn remap_raw(raw: &mut RawTexts, map: impl Fn(usize) -> Option<usize>) {
    let old = std::mem::take(raw);
    for (id, mut text) in old {
        match id {
            FieldId::Of(i, f) => {
                if let Some(j) = map(i) {
                    text.path = rebase(&text.path, j);
                    raw.insert(FieldId::Of(j, f), text);
                }
            }
            other => {
                raw.insert(other, text);
            }
        }
    }
}

/// A path under `behaviors[i]` moved to `behaviors[j]`.
fn rebase(path: &crate::domain::FieldPath, j: usize) -> crate::domain::FieldPath {
    use crate::domain::path::Segment;
    let mut out = behavior_path(j);
    for seg in path.segments().iter().skip(2) {
        out = match seg {
            Segment::Key(k) => out.key(k),
            Segment::Index(n) => out.index(*n),
            Segment::MapKey(k) => out.map_key(k),
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::Behavior;

    #[test]
    fn bad_text_is_kept_and_reported_once() {
        let mut p = SecurityProfile {
            behaviors: Some(vec![Behavior {
                name: "b".into(),
                metric: Some("aws:listening-tcp-ports".into()),
                ..Default::default()
            }]),
            ..Default::default()
        };
        let ctx = Context::default();
        let mut raw = RawTexts::new();
        let id = FieldId::Of(0, BehaviorField::Value);
        set_text(&mut p, id, "22, 8o", &ctx, &mut raw);
        assert_eq!(raw.get(&id).map(|r| r.text.as_str()), Some("22, 8o"));
        let problems: Vec<_> = raw_problems(&raw).collect();
        assert_eq!(problems[0].path.to_string(), "behaviors[0].criteria.value.ports[1]");
        set_text(&mut p, id, "22, 80", &ctx, &mut raw);
        assert!(raw.is_empty());
        let value = p.behaviors.as_ref().unwrap()[0].criteria.as_ref().unwrap().value.clone();
        assert_eq!(value.unwrap().ports, Some(vec![22, 80]));
        set_text(&mut p, id, "", &ctx, &mut raw);
        assert_eq!(p.behaviors.unwrap()[0].criteria.as_ref().unwrap().value, None, "an empty list is no value");
    }
}
