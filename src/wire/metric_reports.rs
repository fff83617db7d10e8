//! Readers for the two ways metric data reaches ddsp:
//!
//! - **metrics-export batches**, the documented schema Detect publishes to a
//!   profile's `metricsExportConfig.mqttTopic` (Device Defender Developer
//!   Guide, "Metrics export schema"): `{"version": "1.0", "metrics": [{name,
//!   thing, value: MetricValue, version, timestamp, dimension?}]}`. IoT rules
//!   commonly write them to files one document after another, so a file may
//!   hold many documents, and may be gzip-compressed.
//! - **device-side metrics reports**, the document agents publish to
//!   `$aws/things/THING/defender/metrics/json` (Developer Guide, "Device-side
//!   metrics", document specification), long or short member names.
//!
//! Every failure names the document's line and column.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::net::IpAddr;

use serde::Deserialize;

use crate::domain::metric_data::{MetricKey, Reported};
use crate::domain::profile::MetricValue;
use crate::domain::untrusted::neutralise;

/// One datapoint read from a report.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub thing: String,
    pub key: MetricKey,
    /// Epoch seconds.
    pub time: i64,
    /// The export's `version` (0 when absent): of two values for the same
    /// thing, metric and time, the higher version wins.
    pub version: u64,
    pub value: Reported,
    /// The value as reported, for ListMetricValues to answer with.
    pub as_number: bool,
}

/// Why a report could not be read: where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, "{}", self.message);
        }
        write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
    }
}

impl From<serde_json::Error> for ReportError {
    fn from(e: serde_json::Error) -> ReportError {
        // serde_json's message ends with " at line L column C"; the position is given apart.
        let text = e.to_string();
        let message = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m).to_owned();
        ReportError { line: e.line(), column: e.column(), message: neutralise(&message).into_owned() }
    }
}

/// Unpacks gzip (by its magic number) and checks the text is UTF-8.
///
/// Errors: a damaged gzip stream, or bytes that are not UTF-8.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ReportError> {
    let plain: Cow<'_, [u8]> = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).map_err(|e| ReportError {
            line: 0,
            column: 0,
            message: format!("not a readable gzip file: {e}"),
        })?;
        Cow::Owned(out)
    } else {
        Cow::Borrowed(bytes)
    };
    let utf8 = |e: std::str::Utf8Error| ReportError {
        line: 0,
        column: 0,
        message: format!("not UTF-8 text (byte {} is not valid UTF-8)", e.valid_up_to()),
    };
    // Plain text is borrowed, not copied: export files run to hundreds of megabytes.
    match plain {
        Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed).map_err(utf8),
        Cow::Owned(v) => String::from_utf8(v).map(Cow::Owned).map_err(|e| utf8(e.utf8_error())),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch<'a> {
    #[serde(borrow, default)]
    #[allow(dead_code)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    metrics: Vec<ExportDatum<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportDatum<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    thing: Cow<'a, str>,
    value: MetricValue,
    #[serde(default)]
    version: Option<u64>,
    timestamp: f64,
    #[serde(default, borrow)]
    dimension: Option<ExportDimension<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportDimension<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    operator: Option<Cow<'a, str>>,
}

/// Epoch seconds from a timestamp the schema calls only "number": values
/// above 10^11 (past the year 5138 in seconds) are read as milliseconds, as
/// IoT's own timestamps in rules (`timestamp()`) are. (Assumption: the
/// export page does not give the unit.)
pub fn epoch_seconds(timestamp: f64) -> i64 {
    if timestamp.abs() > 1.0e11 { (timestamp / 1000.0).floor() as i64 } else { timestamp.floor() as i64 }
}

/// Reads every metrics-export document in `text` (one after another,
/// whitespace between) and hands each datapoint to `each`.
///
/// Errors: the first malformed document, at its line and column; a value
/// carrying no member, named by its position.
pub fn read_export(text: &str, mut each: impl FnMut(Reading)) -> Result<usize, ReportError> {
    let mut count = 0;
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Batch<'_>>();
    for batch in stream.by_ref() {
        for (i, d) in batch?.metrics.into_iter().enumerate() {
            let value = Reported::from_metric_value(&d.value).ok_or_else(|| ReportError {
                line: 0,
                column: 0,
                message: format!("metrics[{i}] ({}) has a value with no member", neutralise(&d.name)),
            })?;
            let time = epoch_seconds(d.timestamp);
            if !(0..=crate::wire::time::LAST_SECOND).contains(&time) {
                return Err(ReportError {
                    line: 0,
                    column: 0,
                    message: format!(
                        "metrics[{i}] ({}) has timestamp {}, not a time from 1970 to 9999",
                        neutralise(&d.name),
                        d.timestamp
                    ),
                });
            }
            let dimension = d.dimension.map(|x| (x.name.into_owned(), x.operator.map_or("IN".into(), Cow::into_owned)));
            each(Reading {
                thing: d.thing.into_owned(),
                key: MetricKey { metric: d.name.into_owned(), dimension },
                time,
                version: d.version.unwrap_or(0),
                as_number: d.value.number.is_some(),
                value,
            });
            count += 1;
        }
    }
    Ok(count)
}

/// A device-side metrics report (long names, or the short ones agents use to save bytes).
#[derive(Debug, Deserialize)]
pub struct DeviceReport {
    #[serde(alias = "hed")]
    pub header: Header,
    #[serde(default, alias = "met")]
    pub metrics: Option<DeviceMetrics>,
    #[serde(default, alias = "cmet")]
    pub custom_metrics: Option<BTreeMap<String, Vec<CustomValue>>>,
}

#[derive(Debug, Deserialize)]
pub struct Header {
    #[serde(alias = "rid")]
    pub report_id: i64,
    #[serde(alias = "v")]
    pub version: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DeviceMetrics {
    #[serde(default, alias = "tp")]
    pub listening_tcp_ports: Option<Ports>,
    #[serde(default, alias = "up")]
    pub listening_udp_ports: Option<Ports>,
    #[serde(default, alias = "ns")]
    pub network_stats: Option<NetworkStats>,
    #[serde(default, alias = "tc")]
    pub tcp_connections: Option<TcpConnections>,
}

#[derive(Debug, Deserialize)]
pub struct Ports {
    #[serde(default, alias = "pts")]
    pub ports: Vec<Port>,
    #[serde(default, alias = "t")]
    pub total: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Port {
    #[serde(alias = "pt")]
    pub port: i64,
    #[serde(default, alias = "if")]
    pub interface: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NetworkStats {
    #[serde(default, alias = "bi")]
    pub bytes_in: Option<f64>,
    #[serde(default, alias = "bo")]
    pub bytes_out: Option<f64>,
    #[serde(default, alias = "pi")]
    pub packets_in: Option<f64>,
    #[serde(default, alias = "po")]
    pub packets_out: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct TcpConnections {
    #[serde(alias = "ec")]
    pub established_connections: Established,
}

#[derive(Debug, Deserialize)]
pub struct Established {
    #[serde(default, alias = "cs")]
    pub connections: Vec<Connection>,
    #[serde(default, alias = "t")]
    pub total: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct Connection {
    #[serde(alias = "rad")]
    pub remote_addr: String,
    #[serde(default, alias = "lp")]
    pub local_port: Option<i64>,
    #[serde(default, alias = "li")]
    pub local_interface: Option<String>,
}

/// One custom metric value: exactly one of its members.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomValue {
    #[serde(default)]
    pub number: Option<f64>,
    #[serde(default)]
    pub number_list: Option<Vec<f64>>,
    #[serde(default)]
    pub string_list: Option<Vec<String>>,
    #[serde(default)]
    pub ip_list: Option<Vec<String>>,
}

/// Reads a device report sent by `thing` at `time` (epoch seconds) into datapoints:
/// ports and their totals, the four network counters, established TCP
/// connections and their remote addresses, and each custom metric.
///
/// Errors: malformed JSON or a member of the wrong type, at line and column;
/// a custom metric value with no member, or a remote address that is not one.
pub fn read_device_report(text: &str, thing: &str, time: i64) -> Result<Vec<Reading>, ReportError> {
    let report: DeviceReport = serde_json::from_str(text)?;
    let mut out = Vec::new();
    let mut push = |metric: &str, value: Reported| {
        out.push(Reading {
            thing: thing.to_owned(),
            key: MetricKey::plain(metric),
            time,
            version: 0,
            value,
            as_number: false,
        });
    };
    let m = report.metrics.unwrap_or_default();
    for (ports, list, count) in [
        (&m.listening_tcp_ports, "aws:listening-tcp-ports", "aws:num-listening-tcp-ports"),
        (&m.listening_udp_ports, "aws:listening-udp-ports", "aws:num-listening-udp-ports"),
    ] {
        if let Some(p) = ports {
            let mut numbers: Vec<i64> = p.ports.iter().map(|p| p.port).collect();
            numbers.sort_unstable();
            numbers.dedup();
            push(count, Reported::Number(p.total.unwrap_or(numbers.len() as i64) as f64));
            push(list, Reported::Ports(numbers));
        }
    }
    if let Some(ns) = &m.network_stats {
        for (v, metric) in [
            (ns.bytes_in, "aws:all-bytes-in"),
            (ns.bytes_out, "aws:all-bytes-out"),
            (ns.packets_in, "aws:all-packets-in"),
            (ns.packets_out, "aws:all-packets-out"),
        ] {
            if let Some(v) = v {
                push(metric, Reported::Number(v));
            }
        }
    }
    if let Some(tc) = &m.tcp_connections {
        let ec = &tc.established_connections;
        push(
            "aws:num-established-tcp-connections",
            Reported::Number(ec.total.unwrap_or(ec.connections.len() as i64) as f64),
        );
        let mut addresses = Vec::new();
        for c in &ec.connections {
            addresses.push(remote_address(&c.remote_addr).ok_or_else(|| ReportError {
                line: 0,
                column: 0,
                message: format!(
                    "remote_addr {:?} is not an IP address (with an optional :port)",
                    neutralise(&c.remote_addr)
                ),
            })?);
        }
        addresses.sort_unstable();
        addresses.dedup();
        push("aws:destination-ip-addresses", Reported::Addresses(addresses));
    }
    for (name, values) in report.custom_metrics.unwrap_or_default() {
        for v in values {
            let value = match v {
                CustomValue { number: Some(n), .. } => Reported::Number(n),
                CustomValue { number_list: Some(l), .. } => Reported::Numbers(l),
                CustomValue { string_list: Some(l), .. } => Reported::Strings(l),
                CustomValue { ip_list: Some(l), .. } => {
                    Reported::Addresses(l.iter().filter_map(|a| remote_address(a)).collect())
                }
                _ => {
                    return Err(ReportError {
                        line: 0,
                        column: 0,
                        message: format!(
                            "custom metric {} has a value with none of number, number_list, string_list, ip_list",
                            neutralise(&name)
                        ),
                    });
                }
            };
            out.push(Reading {
                thing: thing.to_owned(),
                key: MetricKey::plain(&name),
                time,
                version: 0,
                as_number: true,
                value,
            });
        }
    }
    Ok(out)
}

/// `192.168.0.1:8000`, `[2001:db8::1]:443` or a bare address.
fn remote_address(text: &str) -> Option<IpAddr> {
    if let Ok(a) = text.parse::<IpAddr>() {
        return Some(a);
    }
    if let Ok(s) = text.parse::<std::net::SocketAddr>() {
        return Some(s.ip());
    }
    text.rsplit_once(':').and_then(|(a, _)| a.parse().ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn export_batches_read_one_after_another_with_versions_and_dimensions() {
        let text = r#"{"version":"1.0","metrics":[
            {"name":"aws:num-messages-sent","thing":"t1","value":{"count":12},"version":1,"timestamp":1700000000},
            {"name":"aws:num-messages-sent","thing":"t1","value":{"count":14},"version":2,"timestamp":1700000000000,
             "dimension":{"name":"TopicFilter","operator":"NOT_IN"}}]}
            {"version":"1.0","metrics":[{"name":"aws:listening-tcp-ports","thing":"t2","value":{"ports":[22]},"timestamp":1700000300}]}"#;
        let mut got = Vec::new();
        assert_eq!(read_export(text, |r| got.push(r)).unwrap(), 3);
        assert_eq!(got[1].time, 1_700_000_000, "milliseconds are read as such");
        assert_eq!(got[1].key.dimension, Some(("TopicFilter".into(), "NOT_IN".into())));
        assert_eq!(got[2].value, Reported::Ports(vec![22]));
    }

    #[test]
    fn a_broken_export_names_line_and_column_and_gzip_is_read() {
        let e = read_export("{\"version\":\"1.0\",\n \"metrics\": [ {\"name\": 3} ]}", |_| {}).unwrap_err();
        assert_eq!((e.line, e.column > 0), (2, true), "{e}");
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"version\":\"1.0\",\"metrics\":[]}").unwrap();
        let bytes = gz.finish().unwrap();
        let text = decode(&bytes).unwrap();
        assert_eq!(read_export(&text, |_| {}).unwrap(), 0);
    }

    #[test]
    fn a_device_report_in_short_names_gives_every_metric() {
        let text = r#"{"hed":{"rid":1,"v":"1.0"},"met":{
            "tp":{"pts":[{"pt":443,"if":"eth0"},{"pt":22}],"t":2},
            "ns":{"bi":100,"bo":200,"pi":3,"po":4},
            "tc":{"ec":{"cs":[{"rad":"10.0.0.9:8883","lp":5000,"li":"eth0"}],"t":1}}},
            "cmet":{"temperature":[{"number":21.5}]}}"#;
        let got = read_device_report(text, "dev", 600).unwrap();
        let find = |m: &str| got.iter().find(|r| r.key.metric == m).map(|r| r.value.clone()).unwrap();
        assert_eq!(find("aws:listening-tcp-ports"), Reported::Ports(vec![22, 443]));
        assert_eq!(find("aws:num-listening-tcp-ports"), Reported::Number(2.0));
        assert_eq!(find("aws:all-bytes-out"), Reported::Number(200.0));
        assert_eq!(find("aws:destination-ip-addresses"), Reported::Addresses(vec!["10.0.0.9".parse().unwrap()]));
        assert_eq!(find("temperature"), Reported::Number(21.5));
        let e = read_device_report("{\"header\": {\"report_id\": \"x\"}}", "dev", 0).unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }
}
