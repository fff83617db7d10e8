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
    match names_fault(thing, metric, custom_type) {
        Ok(kind) => value_fault(metric, kind, value),
        Err(fault) => Some(fault),
    }
}

/// The names' half of `datapoint_fault`: the metric's type and whether it
/// is built-in, or why the thing or metric name is refused. A reader that
/// meets the same thing and metric again may keep this and check only values.
///
/// Errors: the fault, said for the user.
pub fn names_fault(
    thing: &str,
    metric: &str,
    custom_type: impl FnOnce(&str) -> Option<MetricType>,
) -> Result<(MetricType, bool), String> {
    if let Some(fault) = resource_name_fault(thing) {
        return Err(format!("thing name {fault}"));
    }
    if metric.starts_with(BUILTIN_PREFIX) {
        return match builtin(metric) {
            Some(spec) => Ok((spec.data_type, true)),
            None => Err(format!("{} is not a built-in metric", super::quote(metric))),
        };
    }
    if let Some(fault) = resource_name_fault(metric) {
        return Err(format!("metric name {fault}"));
    }
    custom_type(metric).map(|t| (t, false)).ok_or_else(|| {
        format!("custom metric {} is not defined here; create it first (create-custom-metric)", super::quote(metric))
    })
}

/// The values' half of `datapoint_fault`: a value of the wrong kind for the
/// metric's type (and built-in or not), or out of its range.
pub fn value_fault(metric: &str, (data_type, builtin): (MetricType, bool), value: &Reported) -> Option<String> {
    let name = || super::quote(metric);
    match (data_type, value) {
        (MetricType::Number, Reported::Number(n)) if !n.is_finite() => {
            Some(format!("{} is not a finite number", name()))
        }
        (MetricType::Number, Reported::Number(n)) if builtin && *n < 0.0 => {
            Some(format!("{} is {n}; counts and totals are never negative", name()))
        }
        (MetricType::PortList, Reported::Ports(ports)) => ports
            .iter()
            .find(|p| !(1..=PORT_MAX).contains(*p))
            .map(|p| format!("{} holds port {p}; ports are 1 to {PORT_MAX}", name())),
        (MetricType::NumberList, Reported::Numbers(list)) => {
            list.iter().find(|n| !n.is_finite()).map(|_| format!("{} holds a number that is not finite", name()))
        }
        (MetricType::Number, Reported::Number(_))
        | (MetricType::IpAddressList, Reported::Addresses(_))
        | (MetricType::StringList, Reported::Strings(_)) => None,
        (t, _) => Some(format!("{} takes {} values, not {}", name(), t.label(), kind(value))),
    }
}

/// `datapoint_fault` for a stream of datapoints (a file being ingested):
/// the names are judged once per run of the same thing and metric, which
/// most files repeat many times, and the values each time.
pub struct DatapointCheck {
    custom: std::collections::HashMap<String, MetricType>,
    last: Option<(String, String, (MetricType, bool))>,
}

impl DatapointCheck {
    /// A check against these custom metrics (name → declared type).
    pub fn new(custom: std::collections::HashMap<String, MetricType>) -> DatapointCheck {
        DatapointCheck { custom, last: None }
    }

    /// As `datapoint_fault`.
    pub fn fault(&mut self, thing: &str, metric: &str, value: &Reported) -> Option<String> {
        let kind = match &self.last {
            Some((t, m, kind)) if t == thing && m == metric => *kind,
            _ => match names_fault(thing, metric, |m| self.custom.get(m).copied()) {
                Ok(kind) => {
                    self.last = Some((thing.to_owned(), metric.to_owned(), kind));
                    kind
                }
                Err(fault) => return Some(fault),
            },
        };
        value_fault(metric, kind, value)
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
