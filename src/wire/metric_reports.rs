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

/// The most one metrics-export document may hold, whitespace before it
/// included. Detect publishes each batch as one MQTT message (at most 128 KB,
/// AWS IoT's quota), so real documents are far smaller; this bounds what a
/// file of whitespace or a hand-made giant can make ddsp read for one document.
pub const EXPORT_DOCUMENT_LIMIT: u64 = 1 << 30;

/// The most one metrics-export file may unpack to: 64 GiB, far past any
/// file a bastion host keeps, and a bound on a gzip bomb or `/dev/zero`.
pub const EXPORT_FILE_LIMIT: u64 = 64 << 30;

/// Counts the bytes handed to the parser and ends the stream with an error
/// past a file's or a document's limit.
struct Limited<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
    document_start: std::rc::Rc<std::cell::Cell<u64>>,
    limits: (u64, u64),
    /// The parser's buffer reads ahead of it by up to this much.
    ahead: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let read = self.read.get() + n as u64;
        self.read.set(read);
        let (file, document) = self.limits;
        if read > file {
            return Err(std::io::Error::other(format!(
                "it unpacks to more than {}; no metrics-export file is that large",
                crate::wire::input::bytes_in_words(file)
            )));
        }
        if read - self.document_start.get() > document + self.ahead {
            return Err(std::io::Error::other(format!(
                "one document (or the space before it) is larger than {}; Detect sends each batch as one MQTT message of at most 128 KB",
                crate::wire::input::bytes_in_words(document)
            )));
        }
        Ok(n)
    }
}

/// Gzip's errors said as such.
struct Gunzip<R>(flate2::read::MultiGzDecoder<R>);

impl<R: std::io::BufRead> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf).map_err(|e| std::io::Error::new(e.kind(), format!("not a readable gzip file: {e}")))
    }
}

/// Reads every metrics-export document from `reader` (gzip-compressed when
/// it starts with gzip's magic number), streaming: one document is never held
/// whole, so memory stays flat however large the file. Each datapoint goes to
/// `each`; its error stops the reading and is given at the datapoint's line
/// and column.
///
/// Errors: unreadable or damaged input, text that is not UTF-8 or not
/// metrics-export JSON (at line and column), more than `EXPORT_FILE_LIMIT`
/// unpacked or `EXPORT_DOCUMENT_LIMIT` in one document, or `each`'s error.
pub fn read_export_from(
    reader: impl Read,
    each: impl FnMut(Reading) -> Result<(), String>,
) -> Result<usize, ReportError> {
    read_export_limited(reader, (EXPORT_FILE_LIMIT, EXPORT_DOCUMENT_LIMIT), each)
}

/// `read_export_from` with the file's and a document's limits given, in bytes.
pub fn read_export_limited(
    reader: impl Read,
    limits: (u64, u64),
    each: impl FnMut(Reading) -> Result<(), String>,
) -> Result<usize, ReportError> {
    use std::io::BufRead;
    // The buffers are 256 KiB, less for a small document limit, which is
    // then exact to within a quarter of itself.
    let buffer = (limits.1 / 4).clamp(4096, 256 * 1024) as usize;
    let mut raw = std::io::BufReader::with_capacity(buffer, reader);
    let gzip = raw.fill_buf().map_err(|e| fault(e.to_string()))?.starts_with(&[0x1f, 0x8b]);
    let plain: Box<dyn Read> =
        if gzip { Box::new(Gunzip(flate2::read::MultiGzDecoder::new(raw))) } else { Box::new(raw) };
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let document_start = std::rc::Rc::new(std::cell::Cell::new(0));
    let limited = Limited {
        inner: plain,
        read: read.clone(),
        document_start: document_start.clone(),
        limits,
        ahead: buffer as u64,
    };
    // Documents are split whole in a buffer and parsed in place; one larger
    // than SPLIT_LIMIT (or one that does not start as a document should) is
    // streamed instead, with the rest of the input, so memory stays bounded.
    let mut each = each;
    let mut count = 0;
    let mut documents = super::documents::Documents::new(limited, buffer);
    loop {
        let next = documents.next(SPLIT_LIMIT).map_err(|e| fault(e.to_string()))?;
        match next {
            super::documents::Next::End => return Ok(count),
            super::documents::Next::Document { range, line, column } => {
                use serde::de::DeserializeSeed;
                let mut de = serde_json::Deserializer::from_slice(documents.text(range));
                BatchSeed { each: &mut each, count: &mut count }
                    .deserialize(&mut de)
                    .map_err(|e| shifted(e.into(), line, column))?;
                document_start.set(read.get());
            }
            super::documents::Next::Rest => {
                let (rest, line, column) = documents.into_rest();
                let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(buffer, rest));
                let before = count;
                return read_documents(&mut de, &mut each, || document_start.set(read.get()))
                    .map(|n| before + n)
                    .map_err(|e| shifted(e, line, column));
            }
        }
    }
}

/// A document larger than this is streamed rather than held whole.
const SPLIT_LIMIT: usize = 64 << 20;

/// An error found in a part that starts at `line` and `column` of the
/// input, placed in the whole input.
fn shifted(mut e: ReportError, line: usize, column: usize) -> ReportError {
    if e.line == 1 {
        e.column += column - 1;
    }
    if e.line > 0 {
        e.line += line - 1;
    }
    e
}

/// Reads every metrics-export document in `text` (one after another,
/// whitespace between) and hands each datapoint to `each`.
///
/// Errors: the first malformed document, at its line and column; a value
/// carrying no member, named by its position.
pub fn read_export(text: &str, mut each: impl FnMut(Reading)) -> Result<usize, ReportError> {
    // The text is in memory already: documents are read whole, one after
    // another (a stream deserializer keeps its place, so this is linear).
    let mut count = 0;
    for batch in serde_json::Deserializer::from_str(text).into_iter::<Batch<'_>>() {
        for (i, d) in batch?.metrics.into_iter().enumerate() {
            each(export_reading(i, d).map_err(fault)?);
            count += 1;
        }
    }
    Ok(count)
}

/// One metrics-export document, whole.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Batch<'a> {
    #[serde(borrow, default)]
    #[allow(dead_code)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    metrics: Vec<ExportDatum<'a>>,
}

/// The documents one after another until only whitespace is left;
/// `document_done` is called after each. For a reader only: `end()`'s error
/// on a slice would count lines from the start each time (quadratic).
fn read_documents<'de, R: serde_json::de::Read<'de>>(
    de: &mut serde_json::Deserializer<R>,
    mut each: impl FnMut(Reading) -> Result<(), String>,
    mut document_done: impl FnMut(),
) -> Result<usize, ReportError> {
    use serde::de::DeserializeSeed;
    let mut count = 0;
    loop {
        match de.end() {
            Ok(()) => return Ok(count),
            // Trailing characters: the next document starts there.
            Err(e) if e.is_syntax() => {}
            Err(e) => return Err(e.into()),
        }
        BatchSeed { each: &mut each, count: &mut count }.deserialize(&mut *de)?;
        document_done();
    }
}

/// One metrics-export document, its datapoints handed on as they are read.
struct BatchSeed<'a, F> {
    each: &'a mut F,
    count: &'a mut usize,
}

impl<'de, F: FnMut(Reading) -> Result<(), String>> serde::de::DeserializeSeed<'de> for BatchSeed<'_, F> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, F: FnMut(Reading) -> Result<(), String>> serde::de::Visitor<'de> for BatchSeed<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a metrics-export document {\"version\", \"metrics\": [...]}")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut metrics = false;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "version" => {
                    map.next_value::<Option<Cow<'de, str>>>()?;
                }
                "metrics" if metrics => return Err(A::Error::duplicate_field("metrics")),
                "metrics" => {
                    metrics = true;
                    map.next_value_seed(MetricsSeed { each: &mut *self.each, count: &mut *self.count })?;
                }
                other => return Err(A::Error::unknown_field(other, &["version", "metrics"])),
            }
        }
        if metrics { Ok(()) } else { Err(A::Error::missing_field("metrics")) }
    }
}

/// A document's `metrics` array, read one datapoint at a time.
struct MetricsSeed<'a, F> {
    each: &'a mut F,
    count: &'a mut usize,
}

impl<'de, F: FnMut(Reading) -> Result<(), String>> serde::de::DeserializeSeed<'de> for MetricsSeed<'_, F> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Reading) -> Result<(), String>> serde::de::Visitor<'de> for MetricsSeed<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of datapoints")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut i = 0;
        while let Some(d) = seq.next_element::<ExportDatum<'de>>()? {
            let reading = export_reading(i, d).map_err(A::Error::custom)?;
            (self.each)(reading).map_err(A::Error::custom)?;
            *self.count += 1;
            i += 1;
        }
        Ok(())
    }
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

/// The datapoint `metrics[i]` as a reading.
fn export_reading(i: usize, d: ExportDatum<'_>) -> Result<Reading, String> {
    let value = Reported::from_metric_value(&d.value)
        .ok_or_else(|| format!("metrics[{i}] ({}) has a value with no member", neutralise(&d.name)))?;
    let time = epoch_seconds(d.timestamp);
    if !(0..=crate::wire::time::LAST_SECOND).contains(&time) {
        return Err(format!(
            "metrics[{i}] ({}) has timestamp {}, not a time from 1970 to 9999",
            neutralise(&d.name),
            d.timestamp
        ));
    }
    let dimension = d.dimension.map(|x| (x.name.into_owned(), x.operator.map_or("IN".into(), Cow::into_owned)));
    Ok(Reading {
        thing: d.thing.into_owned(),
        key: MetricKey { metric: d.name.into_owned(), dimension },
        time,
        version: d.version.unwrap_or(0),
        as_number: d.value.number.is_some(),
        value,
    })
}

/// A device-side metrics report (long names, or the short ones agents use to
/// save bytes). Every member that the specification gives as an object is read
/// only from an object (`object`): an array in its place is refused, never
/// read by position, so a report never invents a datapoint.
#[derive(Debug, Deserialize)]
pub struct DeviceReport {
    #[serde(alias = "hed", deserialize_with = "object")]
    pub header: Header,
    #[serde(default, alias = "met", deserialize_with = "some_object")]
    pub metrics: Option<DeviceMetrics>,
    #[serde(default, alias = "cmet", deserialize_with = "custom_values")]
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
    #[serde(default, alias = "tp", deserialize_with = "some_object")]
    pub listening_tcp_ports: Option<Ports>,
    #[serde(default, alias = "up", deserialize_with = "some_object")]
    pub listening_udp_ports: Option<Ports>,
    #[serde(default, alias = "ns", deserialize_with = "some_object")]
    pub network_stats: Option<NetworkStats>,
    #[serde(default, alias = "tc", deserialize_with = "some_object")]
    pub tcp_connections: Option<TcpConnections>,
}

#[derive(Debug, Deserialize)]
pub struct Ports {
    #[serde(default, alias = "pts", deserialize_with = "objects")]
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
    #[serde(alias = "ec", deserialize_with = "object")]
    pub established_connections: Established,
}

#[derive(Debug, Deserialize)]
pub struct Established {
    #[serde(default, alias = "cs", deserialize_with = "objects")]
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

/// A `T` read only from a map: serde's derived structs also take a sequence,
/// by position, which would turn `"metrics": [...]` into datapoints.
struct Obj<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        object(d).map(Obj)
    }
}

fn object<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    struct Only<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Only<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(Only(std::marker::PhantomData))
}

fn some_object<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    object(d).map(Some)
}

fn objects<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(Vec::<Obj<T>>::deserialize(d)?.into_iter().map(|o| o.0).collect())
}

type CustomValues = BTreeMap<String, Vec<CustomValue>>;

fn custom_values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<CustomValues>, D::Error> {
    let read: Obj<BTreeMap<String, Vec<Obj<CustomValue>>>> = Obj::deserialize(d)?;
    Ok(Some(read.0.into_iter().map(|(k, v)| (k, v.into_iter().map(|o| o.0).collect())).collect()))
}

impl DeviceReport {
    /// Reads a report published in JSON (`…/defender/metrics/json`).
    ///
    /// Errors: malformed JSON, a member missing or of the wrong type, at line
    /// and column, with the member's path (`metrics.network_stats.bytes_in`).
    pub fn from_json(bytes: &[u8]) -> Result<DeviceReport, ReportError> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let read = serde_path_to_error::deserialize::<_, Obj<DeviceReport>>(&mut de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let syntax =
                matches!(inner.classify(), serde_json::error::Category::Syntax | serde_json::error::Category::Eof);
            let mut out = ReportError::from(inner);
            out.message = if syntax {
                format!("not valid JSON ({})", out.message)
            } else if path != "." {
                format!("{}: {}", neutralise(&path), out.message)
            } else {
                out.message
            };
            out
        })?;
        de.end().map_err(|e| {
            let mut out = ReportError::from(e);
            out.message = format!("not valid JSON ({})", out.message);
            out
        })?;
        Ok(read.0)
    }

    /// Reads a report published in CBOR (`…/defender/metrics/cbor`), the same
    /// document in RFC 8949's encoding. It is read into a JSON value first,
    /// so a number is a number whether the agent wrote it as an integer or a
    /// float (as in JSON), then read as a report.
    ///
    /// Errors: malformed CBOR at its byte offset; a member missing or of the
    /// wrong type with the member's path.
    pub fn from_cbor(bytes: &[u8]) -> Result<DeviceReport, ReportError> {
        let doc: serde_json::Value = ciborium::de::from_reader(bytes).map_err(|e| {
            let message = match e {
                ciborium::de::Error::Io(e) => format!("not valid CBOR: it ends early ({e})"),
                ciborium::de::Error::Syntax(at) => format!("not valid CBOR at byte {at}"),
                ciborium::de::Error::Semantic(Some(at), m) => format!("at byte {at}: {m}"),
                ciborium::de::Error::Semantic(None, m) => m,
                ciborium::de::Error::RecursionLimitExceeded => "the CBOR is nested too deeply".to_owned(),
            };
            fault(neutralise(&message).into_owned())
        })?;
        let read = serde_path_to_error::deserialize::<_, Obj<DeviceReport>>(doc).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            let message = if path != "." { format!("{path}: {message}") } else { message };
            fault(neutralise(&message).into_owned())
        })?;
        Ok(read.0)
    }

    /// True when the report carries `metrics`, `custom_metrics` or both, as
    /// "A report can have both or at least one" requires (document specification).
    pub fn has_metrics(&self) -> bool {
        self.metrics.is_some() || self.custom_metrics.is_some()
    }
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
    DeviceReport::from_json(text.as_bytes())?.readings(thing, time)
}

impl DeviceReport {
    /// The report's datapoints for `thing` at `time` (epoch seconds): ports and
    /// their totals, the four network counters, established TCP connections and
    /// their remote addresses, and each custom metric.
    ///
    /// Errors: a listening port outside 1–65535 ("ports should be numbers
    /// greater than 0", document specification), a local port outside
    /// 0–65535, an address that is not one, a custom metric value with no
    /// member or more than one value.
    pub fn readings(self, thing: &str, time: i64) -> Result<Vec<Reading>, ReportError> {
        let reading = |name: &str, value: Reported, as_number: bool| Reading {
            thing: thing.to_owned(),
            key: MetricKey::plain(name),
            time,
            version: 0,
            value,
            as_number,
        };
        let mut out: Vec<Reading> = self
            .metrics
            .unwrap_or_default()
            .values()?
            .into_iter()
            .map(|(metric, value)| reading(metric, value, false))
            .collect();
        for (name, values) in self.custom_metrics.unwrap_or_default() {
            let value = custom_value(&name, values)?;
            out.push(reading(&name, value, true));
        }
        Ok(out)
    }
}

impl DeviceMetrics {
    /// The built-in metrics' values: ports and their totals, the four network
    /// counters, established TCP connections and their remote addresses.
    /// Errors: as `DeviceReport::readings`.
    fn values(&self) -> Result<Vec<(&'static str, Reported)>, ReportError> {
        let mut out = Vec::new();
        for (ports, list, count) in [
            (&self.listening_tcp_ports, "aws:listening-tcp-ports", "aws:num-listening-tcp-ports"),
            (&self.listening_udp_ports, "aws:listening-udp-ports", "aws:num-listening-udp-ports"),
        ] {
            if let Some(p) = ports {
                if let Some(bad) =
                    p.ports.iter().find(|p| !(1..=crate::domain::rules::datapoints::PORT_MAX).contains(&p.port))
                {
                    return Err(fault(format!("port {} is not a listening port (1 to 65535)", bad.port)));
                }
                let mut numbers: Vec<i64> = p.ports.iter().map(|p| p.port).collect();
                numbers.sort_unstable();
                numbers.dedup();
                out.push((count, Reported::Number(p.total.unwrap_or(numbers.len() as i64) as f64)));
                out.push((list, Reported::Ports(numbers)));
            }
        }
        if let Some(ns) = &self.network_stats {
            for (v, metric) in [
                (ns.bytes_in, "aws:all-bytes-in"),
                (ns.bytes_out, "aws:all-bytes-out"),
                (ns.packets_in, "aws:all-packets-in"),
                (ns.packets_out, "aws:all-packets-out"),
            ] {
                if let Some(v) = v {
                    out.push((metric, Reported::Number(v)));
                }
            }
        }
        if let Some(tc) = &self.tcp_connections {
            let ec = &tc.established_connections;
            out.push((
                "aws:num-established-tcp-connections",
                Reported::Number(ec.total.unwrap_or(ec.connections.len() as i64) as f64),
            ));
            let mut addresses = Vec::new();
            for c in &ec.connections {
                // "local_port … >= 0" (the document specification); a port is at most 65535.
                if let Some(p) = c.local_port.filter(|p| !(0..=crate::domain::rules::datapoints::PORT_MAX).contains(p))
                {
                    return Err(fault(format!("local_port {p} is not a port (0 to 65535)")));
                }
                addresses.push(remote_address(&c.remote_addr).ok_or_else(|| {
                    fault(format!(
                        "remote_addr {:?} is not an IP address (with an optional :port)",
                        neutralise(&c.remote_addr)
                    ))
                })?);
            }
            addresses.sort_unstable();
            addresses.dedup();
            out.push(("aws:destination-ip-addresses", Reported::Addresses(addresses)));
        }
        Ok(out)
    }
}

/// The custom metric `name`'s value as sent: "an array of one object"
/// (Developer Guide, custom metrics in the device document) with exactly
/// one member. Errors: a built-in metric's name, no value or several, no
/// member or several, an `ip_list` entry that is not an address.
fn custom_value(name: &str, values: Vec<CustomValue>) -> Result<Reported, ReportError> {
    // Custom metric names never start with `aws:` (CreateCustomMetric): a
    // report cannot write a built-in metric through `custom_metrics`.
    if name.starts_with(crate::domain::metrics::BUILTIN_PREFIX) {
        return Err(fault(format!(
            "custom_metrics carries {}, a built-in metric's name; custom metric names never start with aws:",
            neutralise(name)
        )));
    }
    let [v] = <[CustomValue; 1]>::try_from(values).map_err(|values| {
        fault(format!("custom metric {} has {} values; send an array of exactly one", neutralise(name), values.len()))
    })?;
    Ok(match (v.number, v.number_list, v.string_list, v.ip_list) {
        (Some(n), None, None, None) => Reported::Number(n),
        (None, Some(l), None, None) => Reported::Numbers(l),
        (None, None, Some(l), None) => Reported::Strings(l),
        (None, None, None, Some(l)) => Reported::Addresses(
            l.iter()
                .map(|a| {
                    remote_address(a).ok_or_else(|| {
                        fault(format!(
                            "custom metric {}: {:?} in ip_list is not an IP address",
                            neutralise(name),
                            neutralise(a)
                        ))
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        _ => {
            return Err(fault(format!(
                "custom metric {} needs exactly one of number, number_list, string_list, ip_list",
                neutralise(name)
            )));
        }
    })
}

/// A report error with no position (the value is named instead).
fn fault(message: String) -> ReportError {
    ReportError { line: 0, column: 0, message }
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
    use std::io::{Read, Write};

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
        assert_eq!(read_export_from(&bytes[..], |_| Ok(())).unwrap(), 0);
    }

    #[test]
    fn a_file_or_document_past_its_limit_is_cut_short_with_a_reason() {
        // A gzip bomb of whitespace: 1 MiB of spaces before the document.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&vec![b' '; 1 << 20]).unwrap();
        gz.write_all(b"{\"version\":\"1.0\",\"metrics\":[]}").unwrap();
        let bomb = gz.finish().unwrap();
        let e = read_export_limited(&bomb[..], (1 << 30, 1 << 16), |_| Ok(())).unwrap_err();
        assert!(e.message.contains("one document (or the space before it) is larger than 65536 bytes"), "{e}");
        let e = read_export_limited(&bomb[..], (1 << 16, 1 << 30), |_| Ok(())).unwrap_err();
        assert!(e.message.contains("unpacks to more than 65536 bytes"), "{e}");
        assert_eq!(read_export_limited(&bomb[..], (1 << 30, 1 << 30), |_| Ok(())).unwrap(), 0);
        // The limit counts each document anew: many small documents pass.
        let many = "{\"version\":\"1.0\",\"metrics\":[]}\n".repeat(10_000);
        assert_eq!(read_export_limited(many.as_bytes(), (1 << 30, 1 << 16), |_| Ok(())).unwrap(), 0);
        // Zero bytes (`/dev/zero`) fail at once.
        let e = read_export_from(std::io::repeat(0).take(1 << 30), |_| Ok(())).unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }

    #[test]
    fn a_datapoint_refused_by_the_caller_stops_the_reading_at_its_line() {
        let text = "{\"version\":\"1.0\",\"metrics\":[\n{\"name\":\"aws:num-messages-sent\",\"thing\":\"\",\"value\":{\"count\":1},\"timestamp\":1700000000}]}";
        let e = read_export_from(text.as_bytes(), |_| Err("thing name is required".into())).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("thing name is required"), "{e}");
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
