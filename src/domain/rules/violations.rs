//! Rules on the inputs of the operations that read what a profile found
//! (ListActiveViolations, ListViolationEvents, ListMetricValues,
//! GetBehaviorModelTrainingSummaries) and of PutVerificationStateOnViolation:
//! shapes, enums and lengths from the IoT model (service.md §8). Shared by the
//! commands and the sandbox.

use super::text::{characters, describe_char, quote, resource_name_fault};
use crate::domain::path::FieldPath;
use crate::domain::problem::{Problem, Rule, Severity};

/// BehaviorCriteriaType's values.
pub const CRITERIA_TYPES: &[&str] = &["STATIC", "STATISTICAL", "MACHINE_LEARNING"];
/// VerificationState's values.
pub const VERIFICATION_STATES: &[&str] = &["FALSE_POSITIVE", "BENIGN_POSITIVE", "TRUE_POSITIVE", "UNKNOWN"];
/// DimensionValueOperator's values.
pub const DIMENSION_OPERATORS: &[&str] = &["IN", "NOT_IN"];
/// VerificationStateDescription: at most 1,000 characters.
pub const VERIFICATION_DESCRIPTION_MAX: usize = 1000;

/// What one of these requests holds, as far as the rules care.
#[derive(Debug, Clone, Default)]
pub struct ViolationQuery<'a> {
    pub thing_name: Option<&'a str>,
    pub security_profile_name: Option<&'a str>,
    pub metric_name: Option<&'a str>,
    pub dimension_name: Option<&'a str>,
    pub dimension_value_operator: Option<&'a str>,
    pub behavior_criteria_type: Option<&'a str>,
    pub verification_state: Option<&'a str>,
    /// Epoch seconds.
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
    pub max_results: Option<i64>,
    /// The largest maxResults the operation takes: 250 (MaxResults), or 10
    /// for GetBehaviorModelTrainingSummaries (TinyMaxResults).
    pub max_results_limit: i64,
}

fn error(path: FieldPath, rule: Rule, message: String) -> Problem {
    Problem { path, severity: Severity::Error, rule, message }
}

fn enum_problem(member: &'static str, value: Option<&str>, allowed: &[&str]) -> Option<Problem> {
    let v = value?;
    (!allowed.contains(&v)).then(|| {
        error(
            FieldPath::root().key(member),
            Rule::EnumValue,
            format!("{member} is {}; use one of {}", quote(v), allowed.join(", ")),
        )
    })
}

/// Judges a query: names, enums, maxResults and the time window.
pub fn validate_violation_query(q: &ViolationQuery<'_>) -> Vec<Problem> {
    let root = FieldPath::root();
    let mut out = Vec::new();
    for (member, value, rule) in [
        ("thingName", q.thing_name, Rule::ThingName),
        ("securityProfileName", q.security_profile_name, Rule::ProfileName),
        ("metricName", q.metric_name, Rule::MetricName),
        ("dimensionName", q.dimension_name, Rule::DimensionName),
    ] {
        if let Some(fault) = value.and_then(resource_name_fault) {
            out.push(error(root.key(member), rule, format!("{member} {fault}")));
        }
    }
    // A misspelled built-in metric lists nothing: a warning, since the service would answer all the same.
    if let Some(m) = q.metric_name.filter(|m| m.starts_with("aws:") && crate::domain::metrics::builtin(m).is_none()) {
        let hint =
            crate::domain::metrics::closest_builtin(m).map_or_else(String::new, |c| format!("; did you mean {c}?"));
        out.push(Problem {
            path: root.key("metricName"),
            severity: Severity::Warning,
            rule: Rule::UnknownBuiltinMetric,
            message: format!("{} is not a built-in metric, so no thing reports it{hint}", quote(m)),
        });
    }
    out.extend(enum_problem("behaviorCriteriaType", q.behavior_criteria_type, CRITERIA_TYPES));
    out.extend(enum_problem("verificationState", q.verification_state, VERIFICATION_STATES));
    out.extend(enum_problem("dimensionValueOperator", q.dimension_value_operator, DIMENSION_OPERATORS));
    let limit = if q.max_results_limit > 0 { q.max_results_limit } else { 250 };
    if let Some(n) = q.max_results.filter(|n| !(1..=limit).contains(n)) {
        out.push(error(root.key("maxResults"), Rule::MaxResultsRange, format!("maxResults is {n}; use 1 to {limit}")));
    }
    if let (Some(s), Some(e)) = (q.start_time, q.end_time)
        && s > e
    {
        out.push(error(
            root.key("endTime"),
            Rule::TimeWindow,
            "endTime is before startTime; the window would hold nothing".to_owned(),
        ));
    }
    out
}

/// Judges PutVerificationStateOnViolation: the id (1–128 of letters, digits
/// and '-'), the state, and the description's length.
pub fn validate_verification(id: &str, state: Option<&str>, description: Option<&str>) -> Vec<Problem> {
    let root = FieldPath::root();
    let mut out = Vec::new();
    let length = id.chars().count();
    if id.is_empty() || length > 128 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        out.push(error(
            root.key("violationId"),
            Rule::ViolationId,
            format!("violationId is {}; use 1 to 128 letters, digits and '-'", quote(id)),
        ));
    }
    match state {
        None => out.push(error(root.key("verificationState"), Rule::EnumValue, "verificationState is required".into())),
        Some(_) => out.extend(enum_problem("verificationState", state, VERIFICATION_STATES)),
    }
    if let Some(d) = description.filter(|d| d.chars().count() > VERIFICATION_DESCRIPTION_MAX) {
        out.push(error(
            root.key("verificationStateDescription"),
            Rule::VerificationDescriptionLength,
            format!(
                "verificationStateDescription is {} long; use at most {VERIFICATION_DESCRIPTION_MAX}",
                characters(d.chars().count())
            ),
        ));
    }
    // VerificationStateDescription's pattern `[^\p{Cntrl}]*` (IoT API
    // reference): Java's \p{Cntrl} is U+0000–U+001F and U+007F.
    if let Some(c) = description.and_then(|d| d.chars().find(|c| c.is_ascii_control())) {
        out.push(error(
            root.key("verificationStateDescription"),
            Rule::VerificationDescriptionPattern,
            format!("verificationStateDescription contains {}; control characters are not allowed", describe_char(c)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verification_description_takes_no_control_character() {
        for text in ["a\u{1b}]52;c;SEVMTE8=\u{7}b", "line\nbreak", "nul\u{0}", "del\u{7f}"] {
            let problems = validate_verification("v-1", Some("BENIGN_POSITIVE"), Some(text));
            assert_eq!(
                problems.iter().map(|p| p.rule).collect::<Vec<_>>(),
                [Rule::VerificationDescriptionPattern],
                "{text:?}"
            );
        }
        assert!(validate_verification("v-1", Some("BENIGN_POSITIVE"), Some("Überprüft — ok ✓")).is_empty());
    }

    #[test]
    fn queries_and_verifications_are_judged_by_the_model() {
        let q = ViolationQuery {
            thing_name: Some("bad name"),
            behavior_criteria_type: Some("static"),
            start_time: Some(10),
            end_time: Some(5),
            max_results: Some(11),
            max_results_limit: 10,
            ..ViolationQuery::default()
        };
        let rules: Vec<Rule> = validate_violation_query(&q).iter().map(|p| p.rule).collect();
        assert_eq!(rules, [Rule::ThingName, Rule::EnumValue, Rule::MaxResultsRange, Rule::TimeWindow]);
        let v = validate_verification("ab_1", Some("TRUE_POSITIVE"), Some(&"x".repeat(1001)));
        let rules: Vec<Rule> = v.iter().map(|p| p.rule).collect();
        assert_eq!(rules, [Rule::ViolationId, Rule::VerificationDescriptionLength]);
        assert!(validate_verification("ab-1", Some("UNKNOWN"), None).is_empty());
        let typo = ViolationQuery { metric_name: Some("aws:num-message-sent"), ..ViolationQuery::default() };
        let p = validate_violation_query(&typo);
        assert_eq!((p[0].rule, p[0].is_error()), (Rule::UnknownBuiltinMetric, false));
        assert!(p[0].message.contains("did you mean aws:num-messages-sent?"), "{}", p[0].message);
    }
}
