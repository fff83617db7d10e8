//! Topic names and filters as AWS IoT's message broker treats them: MQTT's
//! matching (a `$` topic is never matched by a wildcard in the first level),
//! and the Device Defender reserved topics (Developer Guide, "Reserved
//! topics": `$aws/things/THING/defender/metrics/json|cbor` take publishes
//! only, "AWS IoT Device Defender topics only support MQTT publish"; their
//! `/accepted` and `/rejected` topics are the service's to publish on).

use crate::sandbox::device_reports::Format;

/// AWS IoT's limit on a topic name or filter (bytes; "Topic size", AWS IoT quotas).
pub const TOPIC_MAX: usize = 256;

/// What a topic name is to the broker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topic<'a> {
    /// A thing's Device Defender report: the thing and the encoding.
    Report { thing: &'a str, format: Format },
    /// A reply topic of the service (`…/accepted`, `…/rejected`).
    Reply,
    /// Any other topic: delivered to its subscribers.
    Plain,
}

/// Sorts a topic a client published to.
pub fn classify(topic: &str) -> Topic<'_> {
    let Some(rest) = topic.strip_prefix("$aws/things/") else { return Topic::Plain };
    let Some((thing, tail)) = rest.split_once("/defender/metrics/") else { return Topic::Plain };
    if thing.is_empty() || thing.contains('/') {
        return Topic::Plain;
    }
    match tail {
        "json" => Topic::Report { thing, format: Format::Json },
        "cbor" => Topic::Report { thing, format: Format::Cbor },
        "json/accepted" | "json/rejected" | "cbor/accepted" | "cbor/rejected" => Topic::Reply,
        _ => Topic::Plain,
    }
}

/// The topic the service answers a report on.
pub fn reply_topic(thing: &str, format: Format, accepted: bool) -> String {
    let outcome = if accepted { "accepted" } else { "rejected" };
    format!("$aws/things/{thing}/defender/metrics/{}/{outcome}", format.topic_level())
}

/// True when a filter names a publish-only topic: a report topic, exactly or
/// through wildcards under `$aws/things/…/defender/metrics/`.
pub fn is_publish_only(filter: &str) -> bool {
    matches!(classify(filter), Topic::Report { .. })
        || (filter.starts_with("$aws/things/")
            && ["$aws/things/t/defender/metrics/json", "$aws/things/t/defender/metrics/cbor"]
                .iter()
                .any(|t| filter_covers(filter, t)))
}

/// Why a topic name cannot be published to, if it cannot: empty, too long,
/// with a wildcard or a NUL.
pub fn topic_fault(topic: &str) -> Option<&'static str> {
    if topic.is_empty() {
        Some("the topic is empty")
    } else if topic.len() > TOPIC_MAX {
        Some("the topic is longer than 256 bytes")
    } else if topic.contains(['+', '#', '\0']) {
        Some("a topic name has no wildcards")
    } else {
        None
    }
}

/// Why a topic filter cannot be subscribed to, if it cannot: empty, too
/// long, `#` not last or a wildcard sharing a level.
pub fn filter_fault(filter: &str) -> Option<&'static str> {
    if filter.is_empty() {
        return Some("the filter is empty");
    }
    if filter.len() > TOPIC_MAX {
        return Some("the filter is longer than 256 bytes");
    }
    let levels: Vec<&str> = filter.split('/').collect();
    for (i, level) in levels.iter().enumerate() {
        if level.contains('#') && (*level != "#" || i + 1 != levels.len()) {
            return Some("# must be a whole level, and the last");
        }
        if level.contains('+') && *level != "+" {
            return Some("+ must be a whole level");
        }
    }
    if filter.contains('\0') {
        return Some("the filter contains NUL");
    }
    None
}

/// True when a filter has a wildcard.
pub fn has_wildcards(filter: &str) -> bool {
    filter.contains(['+', '#'])
}

/// MQTT's matching of a topic name by a filter (MQTT 3.1.1 §4.7): `+` one
/// level, `#` the rest (and the parent level); a topic starting with `$` is
/// not matched by a wildcard in the first level.
pub fn filter_covers(filter: &str, topic: &str) -> bool {
    if topic.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    let mut topic_levels = topic.split('/');
    for f in filter.split('/') {
        match (f, topic_levels.next()) {
            ("#", _) => return true,
            ("+", Some(_)) => {}
            (f, Some(t)) if f == t => {}
            _ => return false,
        }
    }
    topic_levels.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_and_reply_topics_are_told_apart() {
        assert_eq!(
            classify("$aws/things/t-1/defender/metrics/json"),
            Topic::Report { thing: "t-1", format: Format::Json }
        );
        assert_eq!(
            classify("$aws/things/t-1/defender/metrics/cbor"),
            Topic::Report { thing: "t-1", format: Format::Cbor }
        );
        assert_eq!(classify("$aws/things/t-1/defender/metrics/json/accepted"), Topic::Reply);
        assert_eq!(classify("$aws/things/t-1/shadow/update"), Topic::Plain);
        assert_eq!(classify("devices/t-1"), Topic::Plain);
        assert_eq!(reply_topic("t", Format::Cbor, false), "$aws/things/t/defender/metrics/cbor/rejected");
    }

    #[test]
    fn publish_only_filters_include_wildcards_over_them() {
        assert!(is_publish_only("$aws/things/t/defender/metrics/json"));
        assert!(is_publish_only("$aws/things/+/defender/metrics/+"));
        assert!(is_publish_only("$aws/things/#"));
        assert!(!is_publish_only("$aws/things/t/defender/metrics/json/accepted"));
        assert!(!is_publish_only("$aws/things/+/defender/metrics/json/+"));
        assert!(!is_publish_only("#"), "a first-level wildcard never matches $ topics");
    }

    #[test]
    fn matching_follows_mqtt() {
        assert!(filter_covers("a/+/c", "a/b/c"));
        assert!(filter_covers("a/#", "a"));
        assert!(filter_covers("a/#", "a/b/c"));
        assert!(!filter_covers("a/+", "a/b/c"));
        assert!(!filter_covers("#", "$aws/x"));
        assert!(filter_covers(
            "$aws/things/+/defender/metrics/json/accepted",
            "$aws/things/t/defender/metrics/json/accepted"
        ));
        assert_eq!(filter_fault("a/#/b"), Some("# must be a whole level, and the last"));
        assert_eq!(filter_fault("a/b+"), Some("+ must be a whole level"));
        assert_eq!(topic_fault("a/+"), Some("a topic name has no wildcards"));
    }
}
