//! What a stored datapoint must be, on every path a datapoint takes into the
//! sandbox (a device report over HTTP or MQTT, `ddsp sandbox ingest`): the
//! sandbox stores nothing AWS would refuse.
//!
//! Sources:
//! - thing names: ThingName `[a-zA-Z0-9:_-]+`, 1–128 (IoT API reference);
//! - built-in metric values: MetricValue's `count` is an UnsignedLong
//!   (minimum 0); the device metrics document gives ports as "> 0", totals
//!   and the network-stats deltas as ">= 0" (Developer Guide, "Device metrics
//!   document specification"); a port is at most 65535 (TCP and UDP);
//! - custom metrics: a report may carry only custom metrics defined with
//!   CreateCustomMetric, each of its declared type (Developer Guide, "Custom
//!   metrics"); a custom metric's name never starts with `aws:`.

use super::text::resource_name_fault;
use crate::domain::metric_data::Reported;
use crate::domain::metrics::{BUILTIN_PREFIX, MetricType, builtin};

/// The highest TCP or UDP port.
pub const PORT_MAX: i64 = 65_535;

/// Why a datapoint of `metric` for `thing` holding `value` is not stored, or
/// `None` when it may be. `custom_type` gives a custom metric's declared type
/// when the sandbox defines it (ListCustomMetrics), `None` when it does not.
pub fn datapoint_fault(
    thing: &str,
    metric: &str,
    value: &Reported,
    custom_type: impl FnOnce(&str) -> Option<MetricType>,
) -> Option<String> {
    if let Some(fault) = resource_name_fault(thing) {
        return Some(format!("thing name {fault}"));
    }
    if metric.starts_with(BUILTIN_PREFIX) {
        let Some(spec) = builtin(metric) else {
            return Some(format!("{} is not a built-in metric", super::quote(metric)));
        };
        return value_fault(metric, spec.data_type, value, true);
    }
    if let Some(fault) = resource_name_fault(metric) {
        return Some(format!("metric name {fault}"));
    }
    match custom_type(metric) {
        Some(t) => value_fault(metric, t, value, false),
        None => Some(format!(
            "custom metric {} is not defined here; create it first (create-custom-metric)",
            super::quote(metric)
        )),
    }
}

/// A value of the wrong kind for the metric's type, or out of its range.
fn value_fault(metric: &str, data_type: MetricType, value: &Reported, builtin: bool) -> Option<String> {
    let name = super::quote(metric);
    match (data_type, value) {
        (MetricType::Number, Reported::Number(n)) if !n.is_finite() => Some(format!("{name} is not a finite number")),
        (MetricType::Number, Reported::Number(n)) if builtin && *n < 0.0 => {
            Some(format!("{name} is {n}; counts and totals are never negative"))
        }
        (MetricType::PortList, Reported::Ports(ports)) => ports
            .iter()
            .find(|p| !(1..=PORT_MAX).contains(*p))
            .map(|p| format!("{name} holds port {p}; ports are 1 to {PORT_MAX}")),
        (MetricType::NumberList, Reported::Numbers(list)) => {
            list.iter().find(|n| !n.is_finite()).map(|_| format!("{name} holds a number that is not finite"))
        }
        (MetricType::Number, Reported::Number(_))
        | (MetricType::IpAddressList, Reported::Addresses(_))
        | (MetricType::StringList, Reported::Strings(_)) => None,
        (t, _) => Some(format!("{name} takes {} values, not {}", t.label(), kind(value))),
    }
}

/// The kind of value a datapoint holds, in words.
fn kind(value: &Reported) -> &'static str {
    match value {
        Reported::Number(_) => "a number",
        Reported::Ports(_) => "ports",
        Reported::Addresses(_) => "addresses",
        Reported::Numbers(_) => "a number list",
        Reported::Strings(_) => "a string list",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined(name: &str) -> Option<MetricType> {
        (name == "temperature").then_some(MetricType::Number)
    }

    #[test]
    fn good_datapoints_pass() {
        assert_eq!(datapoint_fault("t-1", "aws:all-bytes-in", &Reported::Number(5.0), defined), None);
        assert_eq!(datapoint_fault("t", "aws:listening-tcp-ports", &Reported::Ports(vec![1, 65535]), defined), None);
        assert_eq!(
            datapoint_fault("t", "temperature", &Reported::Number(-40.0), defined),
            None,
            "custom numbers may be negative"
        );
    }

    #[test]
    fn what_aws_refuses_is_refused() {
        let fault = |thing: &str, metric: &str, v: Reported| datapoint_fault(thing, metric, &v, defined).unwrap();
        assert!(fault("", "aws:all-bytes-in", Reported::Number(1.0)).contains("thing name is required"));
        assert!(fault("a\u{1b}b", "aws:all-bytes-in", Reported::Number(1.0)).contains("thing name contains"));
        assert!(fault("t", "aws:all-bytes-in", Reported::Number(-5.0)).contains("never negative"));
        assert!(fault("t", "aws:listening-tcp-ports", Reported::Ports(vec![70000])).contains("ports are 1 to 65535"));
        assert!(fault("t", "aws:listening-udp-ports", Reported::Ports(vec![0])).contains("port 0"));
        assert!(fault("t", "aws:nope", Reported::Number(1.0)).contains("not a built-in metric"));
        assert!(fault("t", "humidity", Reported::Number(1.0)).contains("not defined here"));
        assert!(fault("t", "temperature", Reported::Strings(vec![])).contains("not a string list"));
        assert!(fault("t", "x\u{1b}", Reported::Number(1.0)).contains("metric name contains"));
    }
}
