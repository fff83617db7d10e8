//! Rules on the other requests' inputs (ListSecurityProfiles), shared by the
//! commands and the sandbox.

use super::text::{quote, resource_name_fault};
use crate::domain::path::FieldPath;
use crate::domain::problem::{Problem, Rule, Severity};

/// ListSecurityProfiles: dimensionName and metricName exclude each other, and
/// maxResults is 1–250 (service.md §2 MaxResults, §3 ListSecurityProfiles).
pub fn validate_list(
    dimension_name: Option<&str>,
    metric_name: Option<&str>,
    max_results: Option<i64>,
) -> Vec<Problem> {
    let mut problems = Vec::new();
    let root = FieldPath::root();
    let mut push = |path: FieldPath, rule, message: String| {
        problems.push(Problem { path, severity: Severity::Error, rule, message })
    };
    if dimension_name.is_some() && metric_name.is_some() {
        push(
            root.key("metricName"),
            Rule::ListFilterConflict,
            "dimensionName and metricName cannot be used together; filter by one of them".to_owned(),
        );
    }
    if let Some(n) = max_results.filter(|n| !(1..=250).contains(n)) {
        push(root.key("maxResults"), Rule::MaxResultsRange, format!("maxResults is {n}; use 1 to 250"));
    }
    for (key, value) in [("dimensionName", dimension_name), ("metricName", metric_name)] {
        if let Some(fault) = value.and_then(resource_name_fault) {
            let shown = value.map(quote).unwrap_or_default();
            push(
                root.key(key),
                if key == "dimensionName" { Rule::DimensionName } else { Rule::MetricName },
                format!("{key} {shown} {fault}"),
            );
        }
    }
    problems
}
