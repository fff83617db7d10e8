//! What a behavior's metric allows, so an editor offers only those choices:
//! the criteria kinds, the comparison operators, the value member, whether a
//! duration or a dimension fits, the statistics and confidence levels. The
//! facts come from the metric catalogue (`metrics.rs`, service.md §3) and the
//! endpoint's custom metrics (`Context`); the rules (`rules/criteria.rs`)
//! judge a request by the same facts. Also: a behavior's criteria said in
//! words ("alarm when messages sent > 100 in 5 minutes").

use super::enums::{ComparisonOperator, ConfidenceLevel};
use super::metrics::{self, DimensionSupport, DurationRule, MetricType, Support, ValueField};
use super::profile::{Behavior, BehaviorCriteria, CriteriaKind, MlDetectionConfig, StatisticalThreshold};
use super::rules::Context;
pub use super::rules::criteria::{DURATIONS, STATISTICS};

/// The ML Detect confidence levels (ConfidenceLevel in the API model), from the most alarms to the fewest.
pub const CONFIDENCE_LEVELS: &[ConfidenceLevel] =
    &[ConfidenceLevel::Low, ConfidenceLevel::Medium, ConfidenceLevel::High];

/// The metric's data type: a built-in metric's, or a custom metric's as the endpoint defines it.
/// `None` when the metric is unnamed or a custom metric the endpoint has not described.
pub fn metric_type(metric: Option<&str>, ctx: &Context) -> Option<MetricType> {
    let name = metric?;
    if let Some(spec) = metrics::builtin(name) {
        return Some(spec.data_type);
    }
    ctx.custom_metrics.iter().flatten().find(|m| m.name == name).and_then(|m| MetricType::of_custom(&m.metric_type))
}

/// The `MetricValue` member a static rule on this behavior compares with. A
/// custom metric of unknown type follows its operator (a set operator means a
/// list metric, as the rules read it).
pub fn value_field(b: &Behavior, ctx: &Context) -> ValueField {
    let metric = b.metric.as_deref();
    if let Some(spec) = metric.and_then(metrics::builtin) {
        return spec.value_field;
    }
    match metric_type(metric, ctx) {
        Some(MetricType::Number) | None => match b.criteria.as_ref().and_then(|c| c.comparison_operator.as_ref()) {
            Some(o) if ComparisonOperator::CIDR.contains(o) => ValueField::Cidrs,
            Some(o) if ComparisonOperator::PORT.contains(o) => ValueField::Ports,
            Some(o) if ComparisonOperator::SET.contains(o) => ValueField::Strings,
            _ => ValueField::Number,
        },
        Some(MetricType::NumberList) => ValueField::Numbers,
        Some(MetricType::StringList) => ValueField::Strings,
        Some(MetricType::IpAddressList) => ValueField::Cidrs,
        Some(MetricType::PortList) => ValueField::Ports,
    }
}

/// The criteria kinds the metric supports: always a static rule; a
/// statistical threshold and ML Detect where the catalogue says so, and for
/// a custom number metric (or one whose type is not known yet).
pub fn kinds_for(b: &Behavior, ctx: &Context) -> Vec<CriteriaKind> {
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
            let number = matches!(metric_type(b.metric.as_deref(), ctx), Some(MetricType::Number) | None);
            if b.metric.is_some() && number {
                kinds.extend([CriteriaKind::Statistical, CriteriaKind::MlDetect]);
            }
        }
    }
    kinds
}

/// A criteria kind as a person reads it.
pub fn kind_label(k: CriteriaKind) -> &'static str {
    match k {
        CriteriaKind::Static => "Static rule",
        CriteriaKind::Statistical => "Statistical threshold",
        CriteriaKind::MlDetect => "ML Detect",
    }
}

/// The operators the metric allows, in the order a choice cycles them; a
/// statistical threshold takes only the numeric ones.
pub fn operators_for(b: &Behavior, ctx: &Context) -> Vec<ComparisonOperator> {
    let all = match b.metric.as_deref().and_then(metrics::builtin) {
        Some(spec) => spec.operators.to_vec(),
        None => match metric_type(b.metric.as_deref(), ctx) {
            Some(t) => t.operators().to_vec(),
            None => ComparisonOperator::ALL.to_vec(),
        },
    };
    let kind = b.criteria.as_ref().map_or(CriteriaKind::Static, BehaviorCriteria::kind);
    all.into_iter().filter(|o| kind == CriteriaKind::Static || o.is_numeric()).collect()
}

/// Whether a TOPIC_FILTER dimension may narrow the metric in the behavior's
/// criteria kind (only built-in metrics take one; ML Detect only where the
/// catalogue says so).
pub fn dimension_allowed(b: &Behavior) -> bool {
    let kind = b.criteria.as_ref().map_or(CriteriaKind::Static, BehaviorCriteria::kind);
    match b.metric.as_deref().and_then(metrics::builtin).map(|s| s.dimension) {
        Some(DimensionSupport::RulesOnly) => kind != CriteriaKind::MlDetect,
        Some(DimensionSupport::RulesAndMl) => true,
        Some(DimensionSupport::None) | None => false,
    }
}

/// Whether durationSeconds may be set: never with ML Detect, never on a list metric.
pub fn duration_allowed(b: &Behavior, ctx: &Context) -> bool {
    let kind = b.criteria.as_ref().map_or(CriteriaKind::Static, BehaviorCriteria::kind);
    if kind == CriteriaKind::MlDetect {
        return false;
    }
    match b.metric.as_deref().and_then(metrics::builtin) {
        Some(spec) => spec.duration != DurationRule::Forbidden,
        None => !metric_type(b.metric.as_deref(), ctx).is_some_and(MetricType::is_list),
    }
}

/// Fresh criteria of `kind` for the behavior's metric: a static rule starts
/// with `less-than-equals` (normal at or below the value, so it alarms above
/// it; or the metric's first operator) and, on a time-window
/// metric, 300 seconds; a statistical threshold with p90 over 300 seconds; ML
/// Detect with MEDIUM confidence. The datapoint counts of `keep` carry over.
pub fn new_criteria(
    b: &Behavior,
    kind: CriteriaKind,
    ctx: &Context,
    keep: Option<&BehaviorCriteria>,
) -> BehaviorCriteria {
    let needs_duration =
        b.metric.as_deref().and_then(metrics::builtin).is_some_and(|s| s.duration == DurationRule::Required);
    let probe = Behavior { criteria: None, ..b.clone() };
    let operators = operators_for(&probe, ctx);
    let first = operators.iter().find(|o| **o == ComparisonOperator::LessThanEquals).or(operators.first()).cloned();
    let mut fresh = match kind {
        CriteriaKind::Static => BehaviorCriteria {
            comparison_operator: first,
            duration_seconds: needs_duration.then_some(300),
            ..Default::default()
        },
        CriteriaKind::Statistical => BehaviorCriteria {
            comparison_operator: Some(ComparisonOperator::LessThanEquals),
            statistical_threshold: Some(StatisticalThreshold { statistic: Some("p90".into()) }),
            duration_seconds: Some(300),
            ..Default::default()
        },
        CriteriaKind::MlDetect => BehaviorCriteria {
            ml_detection_config: Some(MlDetectionConfig { confidence_level: Some(ConfidenceLevel::Medium) }),
            ..Default::default()
        },
    };
    if let Some(keep) = keep {
        fresh.consecutive_datapoints_to_alarm = keep.consecutive_datapoints_to_alarm;
        fresh.consecutive_datapoints_to_clear = keep.consecutive_datapoints_to_clear;
    }
    fresh
}

/// A metric's name as words: `aws:num-messages-sent` → "messages sent".
pub fn metric_words(metric: &str) -> String {
    let bare = metric.strip_prefix(metrics::BUILTIN_PREFIX).unwrap_or(metric);
    let bare = bare.strip_prefix("num-").unwrap_or(bare);
    bare.replace('-', " ")
}

/// When a value violates criteria with `op`. Criteria describe *normal*
/// behavior ("The criteria by which the behavior is determined to be normal",
/// BehaviorCriteria in the IoT API reference), so the words say the opposite
/// of the operator: `less-than 100` alarms at 100 or more; `in-port-set`
/// alarms when a port outside the set listens.
fn operator_words(op: &ComparisonOperator) -> &'static str {
    match op {
        ComparisonOperator::LessThan => "≥",
        ComparisonOperator::LessThanEquals => ">",
        ComparisonOperator::GreaterThan => "≤",
        ComparisonOperator::GreaterThanEquals => "<",
        ComparisonOperator::InCidrSet | ComparisonOperator::InPortSet | ComparisonOperator::InSet => "outside",
        ComparisonOperator::NotInCidrSet | ComparisonOperator::NotInPortSet | ComparisonOperator::NotInSet => "in",
        _ => "?",
    }
}

/// `300` → "5 minutes", `3600` → "1 hour".
pub fn duration_words(seconds: i64) -> String {
    let plural = |n: i64, unit: &str| format!("{n} {unit}{}", if n == 1 { "" } else { "s" });
    if seconds % 3600 == 0 && seconds > 0 {
        plural(seconds / 3600, "hour")
    } else if seconds % 60 == 0 && seconds > 0 {
        plural(seconds / 60, "minute")
    } else {
        plural(seconds, "second")
    }
}

/// What the behavior's criteria mean, in a sentence: "alarm when messages
/// sent > 100 in 5 minutes", "alarm when all bytes out > p90 of all devices
/// in 5 minutes", "alarm when ML Detect finds authorization failures
/// anomalous (MEDIUM confidence)". `value` is the value as the user types it.
pub fn describe(b: &Behavior, value: &str) -> String {
    let Some(metric) = b.metric.as_deref().filter(|m| !m.is_empty()) else {
        return "choose a metric".to_owned();
    };
    let mut what = metric_words(metric);
    if let Some(d) = &b.metric_dimension {
        let not = matches!(d.operator, Some(super::enums::DimensionValueOperator::NotIn));
        what = format!("{what} {} {} topics", if not { "outside" } else { "on" }, d.dimension_name);
    }
    let Some(c) = &b.criteria else { return format!("{what}: no criteria yet") };
    let window = c.duration_seconds.map_or_else(String::new, |d| format!(" in {}", duration_words(d)));
    let datapoints = match c.consecutive_datapoints_to_alarm {
        Some(n) if n > 1 => format!(", {n} datapoints in a row"),
        _ => String::new(),
    };
    let op = c.comparison_operator.as_ref().map_or("?", operator_words);
    match c.kind() {
        CriteriaKind::MlDetect => {
            let level = c.ml_detection_config.as_ref().and_then(|m| m.confidence_level.as_ref());
            format!(
                "alarm when ML Detect finds {what} anomalous ({} confidence){datapoints}",
                level.map_or("?", ConfidenceLevel::as_str)
            )
        }
        CriteriaKind::Statistical => {
            let stat = c.statistical_threshold.as_ref().and_then(|s| s.statistic.as_deref()).unwrap_or("?");
            format!("alarm when {what} {op} {stat} of all devices{window}{datapoints}")
        }
        CriteriaKind::Static => {
            let value = if value.trim().is_empty() { "?" } else { value.trim() };
            if matches!(op, "outside" | "in") {
                return format!("alarm on {what} {op} [{value}]{window}{datapoints}");
            }
            format!("alarm when {what} {op} {value}{window}{datapoints}")
        }
    }
}

/// A behavior's criteria in words, as `describe` says them: "alarm when
/// messages sent > 100 in 5 minutes". The "alarm when" stays: Detect's
/// criteria say what is normal (`less-than 100`), so a bare "> 100" would
/// read as the operator. `raw_value` is the value as typed, when it differs
/// from the one the behavior holds (a text that does not read yet).
pub fn summary(b: &Behavior, raw_value: Option<&str>) -> String {
    let value = raw_value.map(str::to_owned).unwrap_or_else(|| {
        b.criteria.as_ref().and_then(|c| c.value.as_ref()).map(super::value_text::value_text).unwrap_or_default()
    });
    describe(b, &value)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::profile::MetricValue;

    fn behavior(metric: &str) -> Behavior {
        Behavior { name: "b".into(), metric: Some(metric.into()), ..Default::default() }
    }

    #[test]
    fn choices_follow_the_metric() {
        let ctx = Context::default();
        let b = behavior("aws:source-ip-address");
        assert_eq!(kinds_for(&b, &ctx), vec![CriteriaKind::Static]);
        assert_eq!(operators_for(&b, &ctx), ComparisonOperator::CIDR.to_vec());
        let b = behavior("aws:all-bytes-out");
        assert_eq!(kinds_for(&b, &ctx).len(), 3);
        assert!(duration_allowed(&b, &ctx));
        assert!(!dimension_allowed(&b));
        assert!(dimension_allowed(&behavior("aws:num-messages-sent")));
    }

    #[test]
    fn criteria_in_words() {
        let mut b = behavior("aws:num-messages-sent");
        b.criteria = Some(BehaviorCriteria {
            comparison_operator: Some(ComparisonOperator::LessThanEquals),
            value: Some(MetricValue { count: Some(100), ..Default::default() }),
            duration_seconds: Some(300),
            ..Default::default()
        });
        assert_eq!(describe(&b, "100"), "alarm when messages sent > 100 in 5 minutes");
        b.criteria.as_mut().unwrap().comparison_operator = Some(ComparisonOperator::LessThan);
        assert_eq!(describe(&b, "100"), "alarm when messages sent ≥ 100 in 5 minutes");
        let mut ports = behavior("aws:listening-tcp-ports");
        ports.criteria = Some(BehaviorCriteria {
            comparison_operator: Some(ComparisonOperator::NotInPortSet),
            ..Default::default()
        });
        assert_eq!(describe(&ports, "22, 443"), "alarm on listening tcp ports in [22, 443]");
        ports.criteria.as_mut().unwrap().comparison_operator = Some(ComparisonOperator::InPortSet);
        assert_eq!(describe(&ports, "22, 443"), "alarm on listening tcp ports outside [22, 443]");
        assert_eq!(duration_words(3600), "1 hour");
    }
}
