//! Rules on each behavior: its name, metric and dimension, and the limits
//! that span all behaviors (count, unique names, value elements). The criteria
//! rules are in `criteria.rs` (service.md §2, §3).

use std::collections::HashSet;

use super::text::{quote, resource_name_fault};
use super::{Checker, ExportState, criteria};
use crate::domain::metrics::{self, BUILTIN_PREFIX, DimensionSupport, MetricSpec, MetricType};
use crate::domain::path::FieldPath;
use crate::domain::problem::Rule;
use crate::domain::profile::{Behavior, CriteriaKind, DimensionValueOperator, MetricDimension};

pub const BEHAVIORS_MAX: usize = 100;
const VALUE_ELEMENTS_MAX: usize = 1000;

/// What a metric name refers to, once checked.
#[derive(Debug, Clone, Copy)]
pub(super) enum MetricRef {
    Builtin(&'static MetricSpec),
    /// A custom metric; its type is known only with the endpoint's list.
    Custom(Option<MetricType>),
    /// Missing, malformed or an unknown built-in: nothing more can be checked.
    Unresolved,
}

impl MetricRef {
    pub fn data_type(self) -> Option<MetricType> {
        match self {
            MetricRef::Builtin(spec) => Some(spec.data_type),
            MetricRef::Custom(t) => t,
            MetricRef::Unresolved => None,
        }
    }

    /// False for a built-in metric the docs only name: rules on it are warnings.
    pub fn confirmed(self) -> bool {
        !matches!(self, MetricRef::Builtin(spec) if !spec.confirmed)
    }
}

/// Where a dimension is used: a behavior (Rules or ML) or a retained metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DimensionUse {
    Behavior(CriteriaKind),
    Retained,
}

pub(super) fn check_all(c: &mut Checker, behaviors: &[Behavior], export: ExportState) {
    let path = FieldPath::root().key("behaviors");
    if behaviors.len() > BEHAVIORS_MAX {
        c.error(
            path.clone(),
            Rule::BehaviorCount,
            format!("{} behaviors; a profile can have at most {BEHAVIORS_MAX}, so remove some", behaviors.len()),
        );
    }
    let mut names = HashSet::with_capacity(behaviors.len());
    let mut elements = 0;
    for (i, behavior) in behaviors.iter().enumerate() {
        let at = path.index(i);
        if !names.insert(behavior.name.as_str()) && !behavior.name.is_empty() {
            c.warn(
                at.key("name"),
                Rule::BehaviorNameUnique,
                format!("another behavior is already named {}; give each behavior its own name (unconfirmed, but likely required)", quote(&behavior.name)),
            );
        }
        check_one(c, &at, behavior, export);
        elements += behavior.criteria.as_ref().and_then(|cr| cr.value.as_ref()).map_or(0, |v| v.element_count());
    }
    let ml =
        behaviors.iter().filter(|b| b.criteria.as_ref().is_some_and(|c| c.kind() == CriteriaKind::MlDetect)).count();
    if ml > 0 && ml < behaviors.len() {
        // The Device Defender guide describes a profile as rules-based or ML; the API model does not say.
        c.warn(
            path.clone(),
            Rule::MlMixedWithRules,
            format!("{ml} ML Detect behavior{} beside {} rule behavior{}; the Device Defender guide makes a profile either rules-based or ML Detect, so consider two profiles (unconfirmed whether the service refuses a mix)", if ml == 1 { "" } else { "s" }, behaviors.len() - ml, if behaviors.len() - ml == 1 { "" } else { "s" }),
        );
    }
    if elements > VALUE_ELEMENTS_MAX {
        c.error(path, Rule::ValueElementLimit, format!("the behaviors hold {elements} value elements (counts, CIDRs, ports…); a profile can hold at most {VALUE_ELEMENTS_MAX}"));
    }
}

fn check_one(c: &mut Checker, at: &FieldPath, behavior: &Behavior, export: ExportState) {
    if let Some(fault) = resource_name_fault(&behavior.name) {
        c.error(at.key("name"), Rule::BehaviorName, format!("the behavior name {fault}"));
    }
    let metric = match &behavior.metric {
        None => {
            c.warn(at.key("metric"), Rule::MetricMissing, "the behavior has no metric; choose what it measures (the model lets it be omitted, but then it measures nothing)");
            MetricRef::Unresolved
        }
        Some(name) => check_metric_name(c, &|| at.key("metric"), name, false),
    };
    let kind = behavior.criteria.as_ref().map_or(CriteriaKind::Static, |cr| cr.kind());
    if let Some(d) = &behavior.metric_dimension {
        check_dimension(c, &at.key("metricDimension"), d, &metric, DimensionUse::Behavior(kind));
    }
    match &behavior.criteria {
        Some(cr) => criteria::check(c, &at.key("criteria"), cr, metric),
        None => c.warn(
            at.key("criteria"),
            Rule::CriteriaMissing,
            "the behavior has no criteria; add a static value, a statistical threshold or ML Detect",
        ),
    }
    if behavior.export_metric == Some(true) {
        check_export_metric(c, &at.key("exportMetric"), export);
    }
}

/// exportMetric needs somewhere to export to (unconfirmed but likely).
pub(super) fn check_export_metric(c: &mut Checker, path: &FieldPath, export: ExportState) {
    if export == ExportState::Absent {
        c.warn(
            path.clone(),
            Rule::ExportMetricNeedsConfig,
            "exportMetric is on but the profile has no metricsExportConfig; add one (the service likely requires it)",
        );
    }
}

/// Checks a metric name and says what it refers to. `retained` words messages for
/// the retained-metric lists; a missing name there is an error (the member is required).
pub(super) fn check_metric_name(
    c: &mut Checker,
    path: &dyn Fn() -> FieldPath,
    name: &str,
    retained: bool,
) -> MetricRef {
    if let Some(fault) = resource_name_fault(name) {
        let what = if retained { "the retained metric" } else { "the metric" };
        c.error(path(), Rule::MetricName, format!("{what} name {fault}"));
        return MetricRef::Unresolved;
    }
    if name.starts_with(BUILTIN_PREFIX) {
        return match metrics::builtin(name) {
            Some(spec) => MetricRef::Builtin(spec),
            None => {
                let hint = metrics::closest_builtin(name).map_or_else(String::new, |n| format!("; did you mean {n}?"));
                c.error(path(), Rule::UnknownBuiltinMetric, format!("{} is not a built-in metric{hint}", quote(name)));
                MetricRef::Unresolved
            }
        };
    }
    match c.ctx.custom_metric(name) {
        None => {
            c.warn(
                path(),
                Rule::UnknownCustomMetric,
                format!(
                    "{} is a custom metric name; ddsp cannot check offline that it exists on the endpoint",
                    quote(name)
                ),
            );
            MetricRef::Custom(None)
        }
        Some(None) => {
            let known = c.ctx.custom_metrics.iter().flatten().map(|m| m.name.as_str());
            let hint = metrics::closest_name(name, known)
                .map_or_else(String::new, |n| format!(" (did you mean {}?)", quote(n)));
            c.error(
                path(),
                Rule::UnknownCustomMetric,
                format!(
                    "no custom metric {} exists on the endpoint{hint}; create it first (create-custom-metric) or pick another metric",
                    quote(name)
                ),
            );
            MetricRef::Unresolved
        }
        Some(Some(known)) => MetricRef::Custom(MetricType::of_custom(&known.metric_type)),
    }
}

pub(super) fn check_dimension(
    c: &mut Checker,
    path: &FieldPath,
    d: &MetricDimension,
    metric: &MetricRef,
    usage: DimensionUse,
) {
    let name_path = || path.key("dimensionName");
    if let Some(fault) = resource_name_fault(&d.dimension_name) {
        c.error(name_path(), Rule::DimensionName, format!("the dimension name {fault}"));
    } else {
        match &c.ctx.dimensions {
            None => c.warn(
                name_path(),
                Rule::UnknownDimension,
                format!("ddsp cannot check offline that the dimension {} exists; it must be created (CreateDimension) first", quote(&d.dimension_name)),
            ),
            Some(known) if !known.contains(&d.dimension_name) => {
                let hint = metrics::closest_name(&d.dimension_name, known.iter().map(String::as_str))
                    .map_or_else(String::new, |n| format!(" (did you mean {}?)", quote(n)));
                c.error(
                    name_path(),
                    Rule::UnknownDimension,
                    format!(
                        "no dimension {} exists on the endpoint{hint}; create it first (create-dimension) or pick another",
                        quote(&d.dimension_name)
                    ),
                )
            }
            Some(_) => {}
        }
    }
    if let Some(op @ DimensionValueOperator::Unknown(_)) = &d.operator {
        c.error(
            path.key("operator"),
            Rule::DimensionOperator,
            format!("{} is not a dimension operator; use IN or NOT_IN (or leave it out for IN)", quote(op.as_str())),
        );
    }
    match metric {
        MetricRef::Custom(_) => {
            c.error(path.clone(), Rule::DimensionNotAllowed, "dimensions can't be used with custom metrics; remove metricDimension");
        }
        MetricRef::Builtin(spec) => match (spec.dimension, usage) {
            (DimensionSupport::None, _) => c.error(
                path.clone(),
                Rule::DimensionNotAllowed,
                format!("{} takes no dimension; only message and authorization metrics (and source IP for rules) can be scoped by topic", spec.name),
            ),
            (DimensionSupport::RulesOnly, DimensionUse::Behavior(CriteriaKind::MlDetect)) => c.error(
                path.clone(),
                Rule::DimensionNotAllowedWithMl,
                format!("{} takes a dimension only in rules, not with ML Detect; remove metricDimension or use a static rule", spec.name),
            ),
            _ => {}
        },
        MetricRef::Unresolved => {}
    }
}
