//! Metric data as the Detect evaluator reads it: per metric (and dimension),
//! one time-ordered series per thing, numbers kept in their own column so
//! that evaluating millions of datapoints touches nothing but `i64`s and
//! `f64`s. Built from metrics-export files, device reports, the sandbox's
//! store or ListMetricValues answers. Pure: no I/O.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::profile::{DimensionValueOperator, MetricDimension, MetricValue};

/// One reported value.
#[derive(Debug, Clone, PartialEq)]
pub enum Reported {
    /// count and number metrics.
    Number(f64),
    /// Listening ports.
    Ports(Vec<i64>),
    /// IP addresses (source IP, destination IPs, ip-address-list metrics).
    Addresses(Vec<IpAddr>),
    Numbers(Vec<f64>),
    Strings(Vec<String>),
}

impl Reported {
    /// The value a MetricValue carries (MetricValue shape, IoT API reference):
    /// `count` and `number` are numbers; `cidrs` are read as addresses (a
    /// `/32` or `/128` suffix is dropped); None when it carries nothing usable.
    pub fn from_metric_value(v: &MetricValue) -> Option<Reported> {
        if let Some(c) = v.count {
            return Some(Reported::Number(c as f64));
        }
        if let Some(n) = v.number {
            return Some(Reported::Number(n));
        }
        if let Some(p) = &v.ports {
            return Some(Reported::Ports(p.clone()));
        }
        if let Some(c) = &v.cidrs {
            let parse = |s: &String| s.split('/').next().and_then(|a| a.parse::<IpAddr>().ok());
            return Some(Reported::Addresses(c.iter().filter_map(parse).collect()));
        }
        if let Some(n) = &v.numbers {
            return Some(Reported::Numbers(n.clone()));
        }
        v.strings.as_ref().map(|s| Reported::Strings(s.clone()))
    }

    /// The value as a MetricValue; a whole number is a `count` unless `number` is asked for.
    pub fn to_metric_value(&self, as_number: bool) -> MetricValue {
        let mut v = MetricValue::default();
        match self {
            Reported::Number(n) if !as_number && n.fract() == 0.0 && n.abs() < 9.0e15 => v.count = Some(*n as i64),
            Reported::Number(n) => v.number = Some(*n),
            Reported::Ports(p) => v.ports = Some(p.clone()),
            Reported::Addresses(a) => v.cidrs = Some(a.iter().map(IpAddr::to_string).collect()),
            Reported::Numbers(n) => v.numbers = Some(n.clone()),
            Reported::Strings(s) => v.strings = Some(s.clone()),
        }
        v
    }

    /// The number, for number metrics.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Reported::Number(n) => Some(*n),
            _ => None,
        }
    }
}

/// A metric and, for a dimension-scoped datapoint, its dimension and operator
/// (the metrics-export `dimension` member; a behavior's `metricDimension`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MetricKey {
    pub metric: String,
    /// (dimensionName, operator `IN` or `NOT_IN`).
    pub dimension: Option<(String, String)>,
}

impl MetricKey {
    pub fn plain(metric: &str) -> MetricKey {
        MetricKey { metric: metric.to_owned(), dimension: None }
    }

    /// The key a behavior reads: its metric, and its dimension with the
    /// operator defaulting to IN (DimensionValueOperator's documented default).
    pub fn of_behavior(metric: &str, dimension: Option<&MetricDimension>) -> MetricKey {
        MetricKey {
            metric: metric.to_owned(),
            dimension: dimension.map(|d| {
                let op = d.operator.clone().unwrap_or(DimensionValueOperator::In);
                (d.dimension_name.clone(), op.as_str().to_owned())
            }),
        }
    }
}

/// A thing's values in time order. Numbers live in `numbers`, anything else in
/// `others`; a series holds one kind or the other.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Series {
    pub thing: String,
    /// Epoch seconds, ascending, no two equal.
    pub times: Vec<i64>,
    pub numbers: Vec<f64>,
    pub others: Vec<Reported>,
}

impl Series {
    /// A series of `(time, value)` in ascending, distinct times: numbers in
    /// their own column when every value (as kept) is a number.
    pub fn of(thing: String, points: Vec<(i64, Reported)>) -> Series {
        let numeric = points.iter().all(|(_, v)| matches!(v, Reported::Number(_)));
        let mut s = Series { thing, ..Series::default() };
        for (time, value) in points {
            s.times.push(time);
            match value {
                Reported::Number(n) if numeric => s.numbers.push(n),
                other => s.others.push(other),
            }
        }
        s
    }

    pub fn len(&self) -> usize {
        self.times.len()
    }

    pub fn is_empty(&self) -> bool {
        self.times.is_empty()
    }

    /// True when the values are numbers.
    pub fn is_numeric(&self) -> bool {
        self.others.is_empty()
    }

    /// The value at `i`.
    pub fn value(&self, i: usize) -> Reported {
        if self.is_numeric() { Reported::Number(self.numbers[i]) } else { self.others[i].clone() }
    }
}

/// Every series, by metric key, each key's series ordered by thing name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricData {
    series: BTreeMap<MetricKey, Vec<Series>>,
}

impl MetricData {
    /// The series of a metric key, by thing (empty when nothing reported it).
    pub fn series(&self, key: &MetricKey) -> &[Series] {
        self.series.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every key that has data.
    pub fn keys(&self) -> impl Iterator<Item = &MetricKey> {
        self.series.keys()
    }

    /// Every thing that reported anything, once each, in name order.
    pub fn things(&self) -> Vec<&str> {
        let mut things: Vec<&str> = self.series.values().flatten().map(|s| s.thing.as_str()).collect();
        things.sort_unstable();
        things.dedup();
        things
    }

    /// True when `thing` reported any metric after `after` and up to
    /// `until` (epoch seconds, `after` excluded).
    pub fn reported_between(&self, thing: &str, after: i64, until: i64) -> bool {
        self.series.values().any(|list| {
            list.binary_search_by(|s| s.thing.as_str().cmp(thing)).is_ok_and(|i| {
                let times = &list[i].times;
                let first = times.partition_point(|t| *t <= after);
                times.get(first).is_some_and(|t| *t <= until)
            })
        })
    }

    /// How many datapoints it holds.
    pub fn len(&self) -> usize {
        self.series.values().flatten().map(Series::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a thing's whole series (its times ascending) under `key`; the caller
    /// keeps each thing to one series per key.
    pub fn insert(&mut self, key: MetricKey, series: Series) {
        let all = self.series.entry(key).or_default();
        let at = all.partition_point(|s| s.thing < series.thing);
        all.insert(at, series);
    }

    /// Only the datapoints with `from <= time < to`.
    pub fn between(mut self, from: Option<i64>, to: Option<i64>) -> MetricData {
        let (from, to) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
        for all in self.series.values_mut() {
            for s in all.iter_mut() {
                let start = s.times.partition_point(|t| *t < from);
                let end = s.times.partition_point(|t| *t < to);
                if s.is_numeric() {
                    s.times = s.times[start..end].to_vec();
                    s.numbers = s.numbers[start..end].to_vec();
                } else {
                    // What is left may be numbers only: then it is a series of numbers.
                    let points =
                        s.times[start..end].iter().copied().zip(s.others[start..end].iter().cloned()).collect();
                    *s = Series::of(std::mem::take(&mut s.thing), points);
                }
            }
            all.retain(|s| !s.is_empty());
        }
        self.series.retain(|_, all| !all.is_empty());
        self
    }
}

/// A datapoint waiting to be sorted: time, version, arrival order, value.
type Pending = (i64, u64, usize, Reported);

/// Collects datapoints in any order into `MetricData`. Where a thing reports
/// one metric twice at the same time, the higher `version` wins, and of equal
/// versions the later one (the metrics-export documentation's rule).
#[derive(Debug, Default)]
pub struct Builder {
    points: BTreeMap<MetricKey, BTreeMap<String, Vec<Pending>>>,
    seen: usize,
}

impl Builder {
    pub fn push(&mut self, thing: &str, key: MetricKey, time: i64, version: u64, value: Reported) {
        let by_thing = self.points.entry(key).or_default();
        let series = match by_thing.get_mut(thing) {
            Some(s) => s,
            None => by_thing.entry(thing.to_owned()).or_default(),
        };
        series.push((time, version, self.seen, value));
        self.seen += 1;
    }

    pub fn finish(self) -> MetricData {
        let mut data = MetricData::default();
        for (key, by_thing) in self.points {
            let mut all = Vec::with_capacity(by_thing.len());
            for (thing, mut points) in by_thing {
                points.sort_unstable_by_key(|(t, v, seq, _)| (*t, *v, *seq));
                // One value per time: of equal times, the last sorted (higher version, later) wins.
                let mut kept: Vec<(i64, Reported)> = Vec::with_capacity(points.len());
                for (time, _, _, value) in points {
                    match kept.last_mut() {
                        Some(last) if last.0 == time => last.1 = value,
                        _ => kept.push((time, value)),
                    }
                }
                all.push(Series::of(thing, kept));
            }
            data.series.insert(key, all);
        }
        data
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_higher_version_wins_and_series_are_time_ordered() {
        let mut b = Builder::default();
        let k = MetricKey::plain("aws:num-messages-sent");
        b.push("a", k.clone(), 600, 0, Reported::Number(3.0));
        b.push("a", k.clone(), 300, 2, Reported::Number(2.0));
        b.push("a", k.clone(), 300, 1, Reported::Number(1.0));
        b.push("b", k.clone(), 0, 0, Reported::Number(9.0));
        let data = b.finish();
        let s = data.series(&k);
        assert_eq!(s[0].thing, "a");
        assert_eq!((s[0].times.as_slice(), s[0].numbers.as_slice()), ([300, 600].as_slice(), [2.0, 3.0].as_slice()));
        assert_eq!(data.len(), 3);
        assert_eq!(data.clone().between(Some(300), Some(600)).len(), 1);
        assert_eq!(data.things(), ["a", "b"]);
    }

    #[test]
    fn metric_values_convert_both_ways() {
        let v = MetricValue { cidrs: Some(vec!["10.0.0.1/32".into()]), ..MetricValue::default() };
        let r = Reported::from_metric_value(&v).unwrap();
        assert_eq!(r, Reported::Addresses(vec!["10.0.0.1".parse().unwrap()]));
        assert_eq!(Reported::Number(4.0).to_metric_value(false).count, Some(4));
        assert_eq!(Reported::Number(4.5).to_metric_value(false).number, Some(4.5));
    }
}
