//! The built-in Device Defender metric catalogue (service.md §3, "Built-in
//! metrics"), generated at compile time from `assets/metrics.tsv` by build.rs,
//! and the custom metrics an endpoint knows. Pure data and look-ups.

use super::enums::{ComparisonOperator, CustomMetricType};

/// Where a metric is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Measured by AWS IoT from the device's MQTT traffic.
    Cloud,
    /// Reported by an agent on the device.
    Device,
}

/// A metric's data type, which decides its operators and value member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetricType {
    Number,
    IpAddressList,
    /// The built-in listening-port metrics.
    PortList,
    StringList,
    NumberList,
}

/// The `MetricValue` member a static rule uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueField {
    Count,
    Cidrs,
    Ports,
    Number,
    Numbers,
    Strings,
}

/// When durationSeconds applies to a built-in metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationRule {
    /// A time-window metric: every rule needs a duration.
    Required,
    /// A duration may be given (one of the five values) or left out of a static
    /// rule: the listening-port counts (service.md §7, aws-samples templates and
    /// the 2019–2020 guide examples omit it).
    Optional,
    /// Only a statistical threshold takes a duration.
    StatisticalOnly,
    /// A list metric: never.
    Forbidden,
    /// No source says.
    Unconfirmed,
}

/// Whether a feature applies, with "no source says" kept apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Yes,
    No,
    Unconfirmed,
}

/// Whether a TOPIC_FILTER dimension may narrow the metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DimensionSupport {
    None,
    RulesOnly,
    RulesAndMl,
}

/// One built-in metric and everything the rules and the picker need to know.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricSpec {
    pub name: &'static str,
    pub side: Side,
    pub data_type: MetricType,
    pub value_field: ValueField,
    pub unit: &'static str,
    pub duration: DurationRule,
    pub statistical: Support,
    pub ml: Support,
    pub dimension: DimensionSupport,
    pub operators: &'static [ComparisonOperator],
    /// False when the docs give only the metric's name; rules on it are warnings.
    pub confirmed: bool,
    pub description: &'static str,
}

/// Every built-in metric, in the order of service.md's table.
pub static BUILTIN_METRICS: &[MetricSpec] = include!(concat!(env!("OUT_DIR"), "/metric_catalogue.rs"));

/// The prefix every built-in metric has, and no custom metric may have.
pub const BUILTIN_PREFIX: &str = "aws:";

/// The built-in metric of that name.
pub fn builtin(name: &str) -> Option<&'static MetricSpec> {
    BUILTIN_METRICS.iter().find(|m| m.name == name)
}

/// The built-in metric a misspelt or misremembered name most likely means, if
/// any: a close spelling first (`aws:num-message-sent`), then the metric whose
/// words overlap most (`aws:num-connections` → `aws:num-connection-attempts`,
/// `aws:num-messages-published` → `aws:num-messages-sent`, MQTT's "publish"
/// being Device Defender's "sent").
pub fn closest_builtin(name: &str) -> Option<&'static str> {
    let by_spelling = BUILTIN_METRICS
        .iter()
        .filter_map(|m| Some((distance_within(name, m.name, 4)?, m.name)))
        .min_by_key(|(d, _)| *d);
    if let Some((d, n)) = by_spelling
        && d <= 2
    {
        return Some(n);
    }
    let words = metric_words(name);
    let by_words = BUILTIN_METRICS
        .iter()
        .map(|m| (word_overlap(&words, &metric_words(m.name)), m.name))
        .filter(|(score, _)| *score >= 0.5)
        // Equal overlaps go to the closer spelling.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| edit_distance(name, b.1).cmp(&edit_distance(name, a.1))));
    by_words.map(|(_, n)| n).or(by_spelling.map(|(_, n)| n))
}

/// The name among `candidates` closest to a misspelt one (at most a third of
/// its letters off), for a custom metric or dimension the endpoint does not have.
pub fn closest_name<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.len() / 3).max(1);
    let name = name.to_ascii_lowercase();
    candidates
        .into_iter()
        .filter_map(|c| Some((distance_within(&name, &c.to_ascii_lowercase(), limit)?, c)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The edit distance of `a` and `b` when it is at most `limit`. It is never
/// less than their difference in length, so names far longer or shorter
/// are turned away before the quadratic count: a 4 KB value in a hostile
/// document costs nothing to compare with the catalogue's names.
fn distance_within(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    Some(edit_distance(a, b)).filter(|d| *d <= limit)
}

/// The words of a metric name, lower-cased, singular and in Device Defender's
/// vocabulary: `aws:num-messages-published` → {num, message, sent}.
fn metric_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = name
        .split([':', '-', '_', ' '])
        .filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("aws"))
        .map(|w| {
            let w = w.to_ascii_lowercase();
            let singular = match w.strip_suffix('s') {
                Some(stem) if stem.len() > 2 && !stem.ends_with('s') => stem.to_owned(),
                _ => w,
            };
            match singular.as_str() {
                "publish" | "published" | "publishe" | "send" | "out" | "outgoing" => "sent".to_owned(),
                "receive" | "delivered" | "in" | "incoming" => "received".to_owned(),
                "number" | "count" => "num".to_owned(),
                _ => singular,
            }
        })
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Shared words over all words (Jaccard index), 0 to 1.
fn word_overlap(a: &[String], b: &[String]) -> f64 {
    let shared = a.iter().filter(|w| b.contains(w)).count();
    let all = a.len() + b.len() - shared;
    if all == 0 { 0.0 } else { shared as f64 / all as f64 }
}

/// A custom metric known on an endpoint (ListCustomMetrics + DescribeCustomMetric).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomMetric {
    pub name: String,
    pub metric_type: CustomMetricType,
}

impl MetricType {
    /// The type a custom metric's declared type maps to.
    pub fn of_custom(t: &CustomMetricType) -> Option<MetricType> {
        match t {
            CustomMetricType::Number => Some(MetricType::Number),
            CustomMetricType::NumberList => Some(MetricType::NumberList),
            CustomMetricType::StringList => Some(MetricType::StringList),
            CustomMetricType::IpAddressList => Some(MetricType::IpAddressList),
            CustomMetricType::Unknown(_) => None,
        }
    }

    /// The operators the service allows for this type (service.md §3).
    pub fn operators(self) -> &'static [ComparisonOperator] {
        match self {
            MetricType::Number => ComparisonOperator::NUMERIC,
            MetricType::IpAddressList => ComparisonOperator::CIDR,
            MetricType::PortList => ComparisonOperator::PORT,
            MetricType::StringList | MetricType::NumberList => ComparisonOperator::SET,
        }
    }

    /// True for the list types, which take no durationSeconds and no statistics.
    pub fn is_list(self) -> bool {
        !matches!(self, MetricType::Number)
    }

    /// The name used in messages, as the docs spell it.
    pub fn label(self) -> &'static str {
        match self {
            MetricType::Number => "number",
            MetricType::IpAddressList => "ip-address-list",
            MetricType::PortList => "port list",
            MetricType::StringList => "string-list",
            MetricType::NumberList => "number-list",
        }
    }
}

impl ValueField {
    /// The member's wire name.
    pub fn wire_name(self) -> &'static str {
        match self {
            ValueField::Count => "count",
            ValueField::Cidrs => "cidrs",
            ValueField::Ports => "ports",
            ValueField::Number => "number",
            ValueField::Numbers => "numbers",
            ValueField::Strings => "strings",
        }
    }
}

/// Levenshtein distance over bytes; names are ASCII and short.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.bytes().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitute.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_far_longer_or_shorter_than_any_candidate_get_no_suggestion() {
        // From a fuzz input: a 4 KB value compared with every name took a quarter of a second.
        let long = "b".repeat(4000);
        assert_eq!(closest_name(&long, ["TelemetryTopics", "bbbb"]), None);
        assert_eq!(closest_builtin(&long), None);
        assert_eq!(closest_name("TelemetryTopic", ["TelemetryTopics", "Other"]), Some("TelemetryTopics"));
        assert_eq!(closest_builtin("aws:num-message-sent"), Some("aws:num-messages-sent"));
        assert_eq!(distance_within("abc", "abcdef", 2), None, "three apart in length");
        assert_eq!(distance_within("abc", "abd", 2), Some(1));
    }

    #[test]
    fn catalogue_holds_every_builtin_metric_of_the_service_table() {
        assert_eq!(BUILTIN_METRICS.len(), 18);
        for m in BUILTIN_METRICS {
            assert!(m.name.starts_with(BUILTIN_PREFIX), "{}", m.name);
            assert!(!m.description.is_empty(), "{}", m.name);
            assert_eq!(m.data_type.is_list(), m.duration == DurationRule::Forbidden, "{}", m.name);
        }
        let ml: Vec<_> = BUILTIN_METRICS.iter().filter(|m| m.ml == Support::Yes).collect();
        assert_eq!(ml.iter().filter(|m| m.side == Side::Cloud).count(), 6);
        assert_eq!(ml.iter().filter(|m| m.side == Side::Device).count(), 7);
    }

    #[test]
    fn look_ups() {
        let ports = builtin("aws:listening-tcp-ports").unwrap();
        assert_eq!(ports.value_field, ValueField::Ports);
        assert_eq!(ports.operators, ComparisonOperator::PORT);
        assert!(builtin("aws:nope").is_none());
        assert_eq!(closest_builtin("aws:num-message-sent"), Some("aws:num-messages-sent"));
        assert_eq!(closest_builtin("completely-different"), None);
        assert_eq!(closest_builtin("aws:num-connections"), Some("aws:num-connection-attempts"));
        assert_eq!(closest_builtin("aws:num-messages-published"), Some("aws:num-messages-sent"));
        assert_eq!(closest_builtin("aws:listening-tcp-port"), Some("aws:listening-tcp-ports"));
        assert_eq!(closest_builtin("aws:bytes-out"), Some("aws:all-bytes-out"));
        assert_eq!(closest_name("battery", ["batteryLevel", "hosts"]), None);
        assert_eq!(closest_name("baterryLevel", ["batteryLevel", "hosts"]), Some("batteryLevel"));
        assert_eq!(closest_name("Topic", ["Topics", "Other"]), Some("Topics"));
    }
}
