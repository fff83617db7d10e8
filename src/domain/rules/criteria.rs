//! Rules on a behavior's criteria: operator against metric type, value member
//! against operator, durationSeconds, datapoints, statistics and ML Detect
//! (service.md §2 and §3 "Criteria shapes", "Operator ↔ value field ↔ metric type").

use super::Checker;
use super::behavior::MetricRef;
use super::text::{is_cidr, is_cidr_shape, quote};
use crate::domain::metrics::{DurationRule, MetricType, Support, ValueField};
use crate::domain::path::FieldPath;
use crate::domain::problem::{Rule, Severity};
use crate::domain::profile::{BehaviorCriteria, ComparisonOperator, ConfidenceLevel, CriteriaKind, MetricValue};

/// The durations the docs list for time-window metrics.
pub const DURATIONS: &[i64] = &[300, 600, 900, 1800, 3600];
/// EvaluationStatistic values of the API model.
pub const STATISTICS: &[&str] = &["p0", "p0.1", "p0.01", "p1", "p10", "p50", "p90", "p99", "p99.9", "p99.99", "p100"];
const DATAPOINTS: std::ops::RangeInclusive<i64> = 1..=10;
const PORTS: std::ops::RangeInclusive<i64> = 0..=65535;
/// The docs say ML Detect is unavailable here.
const ML_UNAVAILABLE_REGIONS: &[&str] = &["ap-southeast-5"];

pub(super) fn check(c: &mut Checker, path: &FieldPath, cr: &BehaviorCriteria, metric: MetricRef) {
    check_datapoints(c, path, "consecutiveDatapointsToAlarm", cr.consecutive_datapoints_to_alarm);
    check_datapoints(c, path, "consecutiveDatapointsToClear", cr.consecutive_datapoints_to_clear);
    check_members(c, path, cr);
    match cr.kind() {
        CriteriaKind::Static => check_static(c, path, cr, metric),
        CriteriaKind::Statistical => check_statistical(c, path, cr, metric),
        CriteriaKind::MlDetect => check_ml(c, path, cr, metric),
    }
}

fn check_datapoints(c: &mut Checker, path: &FieldPath, member: &'static str, value: Option<i64>) {
    if let Some(n) = value.filter(|n| !DATAPOINTS.contains(n)) {
        c.error(
            path.key(member),
            Rule::DatapointsRange,
            format!("{member} is {n}; use a whole number from 1 to 10 (1 when left out)"),
        );
    }
}

/// Every member against its own shape, whatever the criteria's kind: the AWS
/// CLI refuses `ports: [-1]` or a bogus operator beside `mlDetectionConfig` or
/// `statisticalThreshold` too (service.md §7 "Every `value` member is checked").
fn check_members(c: &mut Checker, path: &FieldPath, cr: &BehaviorCriteria) {
    if let Some(op) = cr.comparison_operator.as_ref().filter(|op| !op.is_known()) {
        c.error(
            path.key("comparisonOperator"),
            Rule::ComparisonOperatorUnknown,
            format!(
                "{} is not a comparison operator; use one of {}",
                quote(op.as_str()),
                ComparisonOperator::allowed_list()
            ),
        );
    }
    if let Some(value) = &cr.value {
        check_value_elements(c, &path.key("value"), value);
    }
    let statistic = cr.statistical_threshold.as_ref().and_then(|s| s.statistic.as_deref());
    let statistic_path = || path.key("statisticalThreshold").key("statistic");
    match statistic {
        None => {}
        Some(s) if STATISTICS.contains(&s) => {}
        Some("Average") => c.warn(statistic_path(), Rule::StatisticValue, "Average appears only in the CloudFormation schema, not the API model (unconfirmed); prefer a percentile such as p50"),
        Some(s) => c.error(statistic_path(), Rule::StatisticValue, format!("{} is not a statistic; use one of {}", quote(s), STATISTICS.join(", "))),
    }
}

/// A rule about a metric the docs only name is a warning, not an error.
fn severity_for(metric: MetricRef) -> Severity {
    if metric.confirmed() { Severity::Error } else { Severity::Warning }
}

/// Reports a missing operator; returns the operator when it is known.
fn check_operator_present<'a>(
    c: &mut Checker,
    path: &FieldPath,
    cr: &'a BehaviorCriteria,
    form: &str,
) -> Option<&'a ComparisonOperator> {
    match &cr.comparison_operator {
        None => {
            c.error(
                path.key("comparisonOperator"),
                Rule::ComparisonOperatorMissing,
                format!("{form} needs a comparisonOperator"),
            );
            None
        }
        // An unknown operator is reported by `check_members`.
        Some(op) if !op.is_known() => None,
        Some(op) => Some(op),
    }
}

fn operators_of(metric: MetricRef) -> Option<&'static [ComparisonOperator]> {
    match metric {
        MetricRef::Builtin(spec) => Some(spec.operators),
        other => other.data_type().map(MetricType::operators),
    }
}

fn check_static(c: &mut Checker, path: &FieldPath, cr: &BehaviorCriteria, metric: MetricRef) {
    let op = check_operator_present(c, path, cr, "a rule");
    if let (Some(op), Some(allowed)) = (op, operators_of(metric))
        && !allowed.contains(op)
    {
        let names: Vec<&str> = allowed.iter().map(ComparisonOperator::as_str).collect();
        let qualifier = if metric.confirmed() { "" } else { " (the docs do not confirm this metric's operators)" };
        c.report(
            severity_for(metric),
            path.key("comparisonOperator"),
            Rule::OperatorForMetricType,
            format!("{op} does not fit this metric; use {}{qualifier}", names.join(" or ")),
        );
    }
    match &cr.value {
        None => c.error(path.key("value"), Rule::ValueMissing, "a rule needs a value to compare with; set value"),
        Some(value) => check_value_fields(c, &path.key("value"), value, op, metric),
    }
    check_duration(c, path, cr.duration_seconds, metric, op, CriteriaKind::Static);
}

/// The value members that fit: the one expected, and any also accepted.
fn fitting_fields(
    op: Option<&ComparisonOperator>,
    metric: MetricRef,
) -> Option<(Option<ValueField>, &'static [ValueField])> {
    use ValueField as F;
    match metric {
        MetricRef::Builtin(spec) => Some((Some(spec.value_field), std::slice::from_ref(&spec.value_field))),
        MetricRef::Custom(Some(t)) => Some(match t {
            MetricType::Number => (Some(F::Number), &[F::Number, F::Count]),
            MetricType::NumberList => (Some(F::Numbers), &[F::Numbers]),
            MetricType::StringList => (Some(F::Strings), &[F::Strings]),
            MetricType::IpAddressList => (Some(F::Cidrs), &[F::Cidrs]),
            MetricType::PortList => (Some(F::Ports), &[F::Ports]),
        }),
        MetricRef::Custom(None) | MetricRef::Unresolved => {
            let op = op?;
            Some(if op.is_numeric() {
                (Some(F::Number), &[F::Number, F::Count])
            } else if ComparisonOperator::CIDR.contains(op) {
                (Some(F::Cidrs), &[F::Cidrs])
            } else if ComparisonOperator::PORT.contains(op) {
                (Some(F::Ports), &[F::Ports])
            } else {
                (None, &[F::Strings, F::Numbers])
            })
        }
    }
}

fn check_value_fields(
    c: &mut Checker,
    path: &FieldPath,
    value: &MetricValue,
    op: Option<&ComparisonOperator>,
    metric: MetricRef,
) {
    let Some((expected, accepted)) = fitting_fields(op, metric) else {
        return;
    };
    let set = value.fields_present();
    let is_set = |f: ValueField| set.iter().any(|(g, on)| *on && *g == f);
    let accepted_set = accepted.iter().filter(|f| is_set(**f)).count();
    let total_set = set.iter().filter(|(_, on)| *on).count();
    if accepted_set == 0 {
        let accepted_names: Vec<&str> = accepted.iter().map(|f| f.wire_name()).collect();
        let names: Vec<&str> = set.iter().filter(|(_, on)| *on).map(|(f, _)| f.wire_name()).collect();
        let wanted = expected.map_or_else(|| accepted_names.join(" or "), |f| f.wire_name().to_owned());
        let found =
            if names.is_empty() { "value is empty".to_owned() } else { format!("value has {}", names.join(", ")) };
        c.report(
            severity_for(metric),
            path.clone(),
            Rule::ValueFieldForOperator,
            format!("{found}, but this metric and operator compare with value.{wanted}; set value.{wanted}"),
        );
        return;
    }
    if total_set == 1 {
        return;
    }
    // Several members: everything but the one the comparison uses is extra.
    let keep = expected.filter(|f| is_set(*f)).or_else(|| accepted.iter().copied().find(|f| is_set(*f)));
    let extra: Vec<&str> = set.iter().filter(|(f, on)| *on && Some(*f) != keep).map(|(f, _)| f.wire_name()).collect();
    c.warn(
        path.clone(),
        Rule::ValueExtraFields,
        format!(
            "value also sets {}, which this comparison does not use; remove it (the service probably rejects several value members)",
            extra.join(", ")
        ),
    );
}

/// Why a port number is refused (0 to 65535, the model's `Port` range), if it is.
pub fn port_fault(port: i64) -> Option<String> {
    (!PORTS.contains(&port)).then(|| format!("port {port} is out of range; use 0 to 65535"))
}

fn check_value_elements(c: &mut Checker, path: &FieldPath, value: &MetricValue) {
    if let Some(n) = value.count.filter(|n| *n < 0) {
        c.error(path.key("count"), Rule::CountRange, format!("count is {n}; use a whole number of 0 or more"));
    }
    for (i, port) in value.ports.iter().flatten().enumerate() {
        if let Some(fault) = port_fault(*port) {
            c.error(path.key("ports").index(i), Rule::PortRange, fault);
        }
    }
    for (i, cidr) in value.cidrs.iter().flatten().enumerate() {
        let at = path.key("cidrs").index(i);
        if !is_cidr_shape(cidr) {
            c.error(at, Rule::CidrFormat, format!("{} is not a CIDR; write an address and prefix such as 10.0.0.0/8 (2 to 43 characters of hex digits, '.', ':' and '/')", quote(cidr)));
        } else if !is_cidr(cidr) {
            c.warn(
                at,
                Rule::CidrSyntax,
                format!("{} is not a valid IPv4 or IPv6 address with prefix length; check it", quote(cidr)),
            );
        }
    }
    if value.number.is_some_and(|n| !n.is_finite()) {
        c.error(path.key("number"), Rule::NumberFinite, "number must be a finite number");
    }
    for (i, n) in value.numbers.iter().flatten().enumerate() {
        if !n.is_finite() {
            c.error(path.key("numbers").index(i), Rule::NumberFinite, "each of numbers must be a finite number");
        }
    }
}

fn check_duration(
    c: &mut Checker,
    path: &FieldPath,
    duration: Option<i64>,
    metric: MetricRef,
    op: Option<&ComparisonOperator>,
    kind: CriteriaKind,
) {
    let at = || path.key("durationSeconds");
    let builtin = match metric {
        MetricRef::Builtin(spec) => Some(spec),
        _ => None,
    };
    let Some(seconds) = duration else {
        if kind == CriteriaKind::Static && builtin.is_some_and(|s| s.duration == DurationRule::Required) {
            c.error(
                at(),
                Rule::DurationRequired,
                format!("this metric is counted over a time window; set durationSeconds to one of {}", list(DURATIONS)),
            );
        }
        return;
    };
    // A list operator makes a metric of unknown type a list metric (service.md §7).
    let list_by_operator =
        matches!(metric, MetricRef::Custom(None)) && op.is_some_and(|op| op.is_known() && !op.is_numeric());
    if metric.data_type().is_some_and(MetricType::is_list) || list_by_operator {
        c.error(at(), Rule::DurationNotAllowed, "durationSeconds cannot be used with list metrics; remove it");
        return;
    }
    if !DURATIONS.contains(&seconds) {
        let documented = builtin.is_some_and(|s| s.confirmed && s.duration != DurationRule::Unconfirmed);
        let severity = if documented { Severity::Error } else { Severity::Warning };
        c.report(
            severity,
            at(),
            Rule::DurationValue,
            format!("durationSeconds is {seconds}; use one of {}", list(DURATIONS)),
        );
    } else if kind == CriteriaKind::Static && builtin.is_some_and(|s| s.duration == DurationRule::StatisticalOnly) {
        c.warn(at(), Rule::DurationStatisticalOnly, "the docs use durationSeconds with this metric only for statistical thresholds; remove it from a static rule");
    }
}

fn check_statistical(c: &mut Checker, path: &FieldPath, cr: &BehaviorCriteria, metric: MetricRef) {
    let op = check_operator_present(c, path, cr, "a statistical threshold");
    if let Some(op) = op.filter(|op| !op.is_numeric()) {
        c.error(path.key("comparisonOperator"), Rule::OperatorForMetricType, format!("{op} does not fit a statistical threshold; use less-than, less-than-equals, greater-than or greater-than-equals"));
    }
    let st_path = path.key("statisticalThreshold");
    let not_numeric = match metric {
        MetricRef::Builtin(spec) => match spec.statistical {
            Support::No => Some(Severity::Error),
            Support::Unconfirmed => Some(Severity::Warning),
            Support::Yes => None,
        },
        other => other.data_type().filter(|t| t.is_list()).map(|_| Severity::Error),
    };
    if let Some(severity) = not_numeric {
        let why = if severity == Severity::Error {
            "applies only to numeric metrics"
        } else {
            "is not documented for this metric"
        };
        c.report(
            severity,
            st_path.clone(),
            Rule::StatisticalNotNumeric,
            format!("a statistical threshold {why}; use a static rule instead"),
        );
    }
    // A statistic that is set is checked by `check_members`.
    if cr.statistical_threshold.as_ref().is_some_and(|s| s.statistic.is_none()) {
        c.error(
            st_path.key("statistic"),
            Rule::StatisticValue,
            format!("choose a statistic: one of {}", STATISTICS.join(", ")),
        );
    }
    if cr.value.is_some() {
        c.warn(path.key("value"), Rule::StatisticalWithValue, "a statistical threshold compares with the percentile, not a value; remove value (whether the service rejects both is unconfirmed)");
    }
    match cr.duration_seconds {
        None => c.warn(
            path.key("durationSeconds"),
            Rule::DurationStatisticalMissing,
            format!("statistical thresholds are computed over durationSeconds; every documented example sets one of {} (unconfirmed whether it is required)", list(DURATIONS)),
        ),
        Some(_) => check_duration(c, path, cr.duration_seconds, metric, op, CriteriaKind::Statistical),
    }
}

fn check_ml(c: &mut Checker, path: &FieldPath, cr: &BehaviorCriteria, metric: MetricRef) {
    let level_path = path.key("mlDetectionConfig").key("confidenceLevel");
    match cr.ml_detection_config.as_ref().and_then(|m| m.confidence_level.as_ref()) {
        None => c.error(level_path, Rule::MlConfidenceLevel, "ML Detect needs a confidenceLevel: LOW, MEDIUM or HIGH"),
        Some(level @ ConfidenceLevel::Unknown(_)) => c.error(
            level_path,
            Rule::MlConfidenceLevel,
            format!("{} is not a confidence level; use LOW, MEDIUM or HIGH", quote(level.as_str())),
        ),
        Some(_) => {}
    }
    match metric {
        MetricRef::Builtin(spec) if spec.ml != Support::Yes => {
            c.error(
                path.key("mlDetectionConfig"),
                Rule::MlNotSupported,
                format!("ML Detect does not support {}; use a static rule", spec.name),
            );
        }
        MetricRef::Custom(Some(t)) if t != MetricType::Number => {
            c.error(
                path.key("mlDetectionConfig"),
                Rule::MlNotSupported,
                format!("ML Detect works only with custom metrics of type number, not {}", t.label()),
            );
        }
        _ => {}
    }
    let mut extra = Vec::new();
    if cr.comparison_operator.is_some() {
        extra.push("comparisonOperator");
    }
    if cr.value.is_some() {
        extra.push("value");
    }
    if cr.statistical_threshold.is_some() {
        extra.push("statisticalThreshold");
    }
    if cr.duration_seconds.is_some() {
        extra.push("durationSeconds");
    }
    if !extra.is_empty() {
        c.warn(
            path.clone(),
            Rule::MlWithRuleFields,
            format!("ML Detect takes only mlDetectionConfig and the datapoint counts; remove {} (whether the service rejects them is unconfirmed)", extra.join(", ")),
        );
    }
    if let Some(region) = c.ctx.region.as_deref().filter(|r| ML_UNAVAILABLE_REGIONS.contains(r)) {
        c.warn(
            path.key("mlDetectionConfig"),
            Rule::MlRegion,
            format!("the docs say ML Detect is unavailable in {region}"),
        );
    }
}

fn list(values: &[i64]) -> String {
    values.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}
