//! A Device Defender Detect evaluator as pure code: given a profile's
//! behaviors and each thing's datapoints, the violation events Detect would
//! raise. No I/O. Where the Developer Guide leaves a rule open, the choice and
//! its reason are named here (service.md §8):
//!
//! - A behavior's criteria describe *normal* behavior: a datapoint violates it
//!   when the comparison is false (`less-than 10` alarms at 10 or more;
//!   `in-port-set [443]` alarms when a port outside the set listens). This is
//!   how the guide's examples read (Detect, "Behaviors").
//! - With `durationSeconds`, datapoints are summed over tumbling windows of
//!   that length aligned to the epoch, and the sum is compared; a window with
//!   no datapoint is not evaluated. Without it, each datapoint is compared.
//!   (Assumption: the guide says cloud-side counts are aggregated "in the
//!   window"; how windows align is not documented.)
//! - An alarm starts after `consecutiveDatapointsToAlarm` violating
//!   evaluations in a row and clears after `consecutiveDatapointsToClear`
//!   compliant ones (both 1 when absent), as the API reference defines them.
//! - A statistical threshold compares a thing's value with the fleet's
//!   percentile (nearest rank) of the same window over every thing that
//!   reported in it.
//! - `suppressAlerts` still yields the events, marked suppressed (Detect keeps
//!   such violations; only the SNS alert is suppressed).
//! - ML Detect is not imitated: such behaviors are reported as not evaluated.
//! - A thing in alarm that reports nothing for more than two days has its
//!   violation set to `alarm-invalidated` two days after its last datapoint
//!   ("If the device doesn't publish any metrics for more than two days, the
//!   violation event is set to alarm-invalidated automatically", Device
//!   Defender troubleshooting guide). "Any metrics" is read over the data
//!   given: a datapoint of any metric of the thing ends the silence. The next
//!   violation starts afresh, and so does a run of evaluations counting
//!   towards consecutiveDatapointsToAlarm when the thing was not in alarm
//!   (assumption: the guide is silent; two days' silence ends any run). Without a horizon (a backtest of past data) the
//!   silence after the last datapoint is not judged.
//! - `alarm-invalidated` events from profile and target changes come from
//!   writes, not datapoints; the sandbox records them (`sandbox/invalidated.rs`).
//! - An empty list of ports or addresses conforms, and so clears a violation
//!   (troubleshooting guide: "An empty list of ports or IP addresses is always
//!   considered in conformity with the corresponding behavior").
//! - A statistical threshold is not evaluated while any value of its metric
//!   is negative ("Percentile statistics are not available for metrics when
//!   any of the metric values are negative numbers", custom metrics page).
//! - A behavior scoped by `metricDimension` reads the datapoints reported
//!   with that dimension and operator (the metrics-export `dimension` member);
//!   one without reads the datapoints reported without a dimension.
//! - Things are evaluated apart, so they are split over the machine's cores.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use super::metric_data::{Builder, MetricData, MetricKey, Series};
use super::profile::{Behavior, BehaviorCriteria, ComparisonOperator, CriteriaKind};

pub use super::metric_data::Reported;

/// A thing's value of a metric at a time (epoch seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Datapoint {
    pub thing: String,
    pub metric: String,
    /// (dimensionName, operator), for a dimension-scoped datapoint.
    pub dimension: Option<(String, String)>,
    pub time: i64,
    pub value: Reported,
}

/// in-alarm or alarm-cleared (ViolationEvent's violationEventType).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    InAlarm,
    AlarmCleared,
    /// The thing stopped reporting for more than two days while in alarm.
    AlarmInvalidated,
}

impl EventKind {
    /// The violationEventType on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::InAlarm => "in-alarm",
            EventKind::AlarmCleared => "alarm-cleared",
            EventKind::AlarmInvalidated => "alarm-invalidated",
        }
    }
}

/// One violation event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Shared with the thing's other events: a fleet's alarm storm costs no string copies.
    pub thing: Arc<str>,
    pub behavior: Arc<str>,
    pub kind: EventKind,
    /// When the evaluation that decided it took place: the datapoint's time, or the end of its window.
    pub time: i64,
    /// The value evaluated (a window's sum, or the datapoint's value).
    pub value: Reported,
    /// The behavior suppresses alerts.
    pub suppressed: bool,
    /// When the violation this event belongs to started (its in-alarm time):
    /// the two events of one violation share it, and with it the violation's id.
    pub since: i64,
}

/// A violation still in alarm after the last datapoint (an ActiveViolation).
#[derive(Debug, Clone, PartialEq)]
pub struct Active {
    pub thing: String,
    pub behavior: String,
    /// The in-alarm event's time (violationStartTime).
    pub since: i64,
    /// The last violating evaluation (lastViolationTime, lastViolationValue).
    pub last_time: i64,
    pub last_value: Reported,
    pub suppressed: bool,
}

/// What evaluating a profile gave: the events in time order, and the
/// behaviors that could not be evaluated, with why.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evaluation {
    pub events: Vec<Event>,
    /// The violations in alarm at the end, by thing then behavior.
    pub active: Vec<Active>,
    pub not_evaluated: Vec<(String, &'static str)>,
}

/// Evaluates every behavior over the datapoints (in any order).
pub fn evaluate(behaviors: &[Behavior], datapoints: &[Datapoint]) -> Evaluation {
    let mut b = Builder::default();
    for d in datapoints {
        let key = MetricKey { metric: d.metric.clone(), dimension: d.dimension.clone() };
        b.push(&d.thing, key, d.time, 0, d.value.clone());
    }
    evaluate_data(behaviors, &b.finish())
}

/// Evaluates every behavior over `data`, things split over the cores; the
/// events in time order (ties keep behavior order, then thing-name order).
pub fn evaluate_data(behaviors: &[Behavior], data: &MetricData) -> Evaluation {
    evaluate_data_until(behaviors, data, None)
}

/// As `evaluate_data`, judging no window that ends after `horizon` (epoch
/// seconds; "now" on a live endpoint): a window still filling is not judged.
pub fn evaluate_data_until(behaviors: &[Behavior], data: &MetricData, horizon: Option<i64>) -> Evaluation {
    let mut out = evaluate_grouped(behaviors, data, horizon);
    out.events.sort_by_key(|e| e.time);
    out
}

/// As `evaluate_data_until`, with the events left grouped: by behavior, then
/// thing name, then time (no sort, for callers that walk each thing's events).
pub fn evaluate_grouped(behaviors: &[Behavior], data: &MetricData, horizon: Option<i64>) -> Evaluation {
    let mut out = Evaluation::default();
    for b in behaviors {
        let behavior = match Prepared::new(b, data, horizon) {
            Ok(p) => p,
            Err(why) => {
                out.not_evaluated.push((b.name.clone(), why));
                continue;
            }
        };
        let (events, active) = in_parallel(behavior.series(), |s, out| behavior.thing_events(s, out));
        append(&mut out.events, events);
        append(&mut out.active, active);
    }
    out.active.sort_by(|a, b| (&a.thing, &a.behavior).cmp(&(&b.thing, &b.behavior)));
    out
}

/// What one part of the things gave.
#[derive(Default)]
struct Part {
    events: Vec<Event>,
    active: Vec<Active>,
}

/// Runs `f` over the series, split into one chunk per core.
fn in_parallel(series: &[Series], f: impl Fn(&Series, &mut Part) + Sync) -> (Vec<Event>, Vec<Active>) {
    let mut parts = split_over_cores(series, |part| {
        let mut out = Part::default();
        part.iter().for_each(|s| f(s, &mut out));
        out
    });
    // One part (below 100,000 datapoints, or one core) is the answer as it is.
    // Several are put in vectors sized once: a fleet's events run to a hundred
    // megabytes, and growing a vector part by part would copy them again at
    // each doubling.
    if parts.len() == 1
        && let Some(part) = parts.pop()
    {
        return (part.events, part.active);
    }
    let mut events = Vec::with_capacity(parts.iter().map(|p| p.events.len()).sum());
    let mut active = Vec::with_capacity(parts.iter().map(|p| p.active.len()).sum());
    for mut part in parts {
        events.append(&mut part.events);
        active.append(&mut part.active);
    }
    (events, active)
}

/// Moves `more` onto the end of `all`: into an empty `all` with no room
/// reserved, by taking `more`'s buffer instead of copying it.
fn append<T>(all: &mut Vec<T>, mut more: Vec<T>) {
    if all.is_empty() && all.capacity() <= more.capacity() {
        *all = more;
    } else {
        all.append(&mut more);
    }
}

/// Runs `f` on one chunk of the series per core (one chunk below 100,000
/// datapoints), the chunks' results in series order. A panic in one chunk is
/// a bug: it is raised again here, never an answer with that chunk's
/// violations silently missing.
pub fn split_over_cores<T: Send>(series: &[Series], f: impl Fn(&[Series]) -> T + Sync) -> Vec<T> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let points: usize = series.iter().map(Series::len).sum();
    if cores == 1 || points < 100_000 {
        return vec![f(series)];
    }
    let chunk = series.len().div_ceil(cores).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = series
            .chunks(chunk)
            .map(|part| {
                let f = &f;
                scope.spawn(move || f(part))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// One step of a thing's evaluations of a behavior, in time order.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// An evaluation at `at` (the datapoint's time, or its window's end) of
    /// `value` (the datapoint, or the window's sum), against `bound`: the
    /// criteria's value, or the fleet's percentile of the window. `bound` is
    /// None where a statistical threshold has no percentile for the window
    /// (the value is then normal).
    Evaluate { at: i64, value: f64, bound: Option<f64> },
    /// The thing had reported nothing for two days by `at`: its alarm state
    /// starts afresh (an alarm is invalidated).
    Silence { at: i64 },
}

/// A behavior ready to evaluate each thing's series: its series, windows,
/// fleet percentiles and horizon, read once. Built by `Prepared::new`; the
/// evaluator and `tune` both walk things through it.
pub struct Prepared<'a> {
    b: &'a Behavior,
    criteria: &'a BehaviorCriteria,
    series: &'a [Series],
    window: Option<i64>,
    /// Whether the metric counts per window (its datapoints are summed).
    sums: bool,
    /// No window ending after this is judged.
    horizon: i64,
    /// The horizon when one was given: the silence after a thing's last
    /// datapoint is judged up to it.
    judged_until: Option<i64>,
    /// All the data, for whether a thing reported any metric in a gap.
    data: &'a MetricData,
    thresholds: Option<HashMap<i64, f64>>,
    check: NumericCheck,
}

/// Why a statistical threshold on a metric with a negative value is not evaluated.
pub const NEGATIVE_PERCENTILE: &str =
    "percentile statistics are not available while a value of the metric is negative (Device Defender custom metrics)";

/// How long a thing may report nothing before its violation is invalidated (seconds).
pub const SILENCE_INVALIDATES: i64 = 2 * 86_400;

impl<'a> Prepared<'a> {
    /// Reads a behavior against the data; Err says why it cannot be evaluated
    /// (no metric or criteria, ML Detect, a statistic that is not a
    /// percentile, no value to compare with, a percentile over negative values).
    pub fn new(b: &'a Behavior, data: &'a MetricData, horizon: Option<i64>) -> Result<Prepared<'a>, &'static str> {
        let (Some(metric), Some(criteria)) = (b.metric.as_deref(), b.criteria.as_ref()) else {
            return Err("it names no metric or criteria");
        };
        if criteria.kind() == CriteriaKind::MlDetect {
            return Err("ML Detect models are not imitated");
        }
        if let Some(why) = unevaluable(criteria) {
            return Err(why);
        }
        let series = data.series(&MetricKey::of_behavior(metric, b.metric_dimension.as_ref()));
        if criteria.statistical_threshold.is_some() && series.iter().any(|s| s.numbers.iter().any(|n| *n < 0.0)) {
            return Err(NEGATIVE_PERCENTILE);
        }
        let window = criteria.duration_seconds.filter(|d| *d > 0);
        let sums = counts_per_window(metric);
        let thresholds = statistical_thresholds(series, criteria, window, sums);
        Ok(Prepared {
            b,
            criteria,
            series,
            window,
            sums,
            horizon: horizon.unwrap_or(i64::MAX),
            judged_until: horizon,
            data,
            thresholds,
            check: NumericCheck::of(criteria),
        })
    }

    /// Every thing's series of the behavior's metric (and dimension), by thing name.
    pub fn series(&self) -> &'a [Series] {
        self.series
    }

    /// The behavior's criteria.
    pub fn criteria(&self) -> &'a BehaviorCriteria {
        self.criteria
    }

    /// Walks a numeric series' evaluations and silences in time order: a
    /// silence due at `t` comes before every evaluation after `t`. A window
    /// ending after the horizon is not evaluated. (A series of other values
    /// yields only its silences.)
    pub fn walk(&self, s: &Series, mut f: impl FnMut(Step)) {
        let silences = self.silences(s);
        let mut next = 0;
        let mut evaluate = |at: i64, key: i64, value: f64| {
            if key > self.horizon {
                return;
            }
            while let Some(&due) = silences.get(next).filter(|due| **due < at) {
                next += 1;
                f(Step::Silence { at: due });
            }
            let bound = match &self.thresholds {
                Some(t) => t.get(&key).copied(),
                None => Some(self.check.bound),
            };
            f(Step::Evaluate { at, value, bound });
        };
        if s.is_numeric() {
            self.numeric(s, &mut evaluate);
        }
        for due in &silences[next..] {
            f(Step::Silence { at: *due });
        }
    }

    /// Whether one evaluation is normal: `n` against `bound` for a series of
    /// numbers, else the reported `value` against the criteria (a series that
    /// is not all numbers has no fleet percentile: normal); no bound, normal.
    fn normal(&self, numeric: bool, n: f64, bound: Option<f64>, value: &Reported) -> bool {
        match bound {
            None => true,
            Some(bound) if numeric => self.check.normal(n, bound),
            Some(_) if self.thresholds.is_some() => true,
            Some(_) => compare(self.criteria, value, None),
        }
    }

    fn thing_events(&self, s: &Series, out: &mut Part) {
        let mut state = State::default();
        let rule = AlarmRule::of(self.criteria);
        // One behavior name per series: threads never share a reference count.
        let (thing, behavior): (Arc<str>, Arc<str>) = (Arc::from(s.thing.as_str()), Arc::from(self.b.name.as_str()));
        let suppressed = self.b.suppress_alerts == Some(true);
        // The current violation: its start, and its last violating evaluation.
        let mut current: Option<(i64, i64, Reported)> = None;
        let event = |kind: EventKind, time: i64, value: Reported, since: i64| Event {
            thing: Arc::clone(&thing),
            behavior: Arc::clone(&behavior),
            kind,
            time,
            value,
            suppressed,
            since,
        };
        let mut take = |step: Step, value: Option<Reported>, out: &mut Part| match step {
            Step::Silence { at } => {
                let was_in_alarm = state.in_alarm;
                state = State::default();
                if was_in_alarm {
                    let (since, _, value) = current.take().unwrap_or((at, at, Reported::Number(f64::NAN)));
                    out.events.push(event(EventKind::AlarmInvalidated, at, value, since));
                }
            }
            Step::Evaluate { at, value: n, bound } => {
                let value = value.unwrap_or(Reported::Number(n));
                let normal = self.normal(s.is_numeric(), n, bound, &value);
                let kind = state.step(!normal, rule);
                if kind == Some(EventKind::InAlarm) {
                    current = Some((at, at, value.clone()));
                } else if state.in_alarm
                    && !normal
                    && let Some(c) = current.as_mut()
                {
                    (c.1, c.2) = (at, value.clone());
                }
                if let Some(kind) = kind {
                    let since = current.as_ref().map_or(at, |c| c.0);
                    if kind == EventKind::AlarmCleared {
                        current = None;
                    }
                    out.events.push(event(kind, at, value, since));
                }
            }
        };
        if s.is_numeric() {
            self.walk(s, |step| take(step, None, out));
        } else {
            // Values that are not numbers are judged one by one, between the same silences.
            let silences = self.silences(s);
            let mut next = 0;
            for (i, time) in s.times.iter().enumerate() {
                while let Some(&due) = silences.get(next).filter(|due| **due < *time) {
                    next += 1;
                    take(Step::Silence { at: due }, None, out);
                }
                take(Step::Evaluate { at: *time, value: f64::NAN, bound: Some(f64::NAN) }, Some(s.value(i)), out);
            }
            for due in &silences[next..] {
                take(Step::Silence { at: *due }, None, out);
            }
        }
        if let Some((since, last_time, last_value)) = current {
            out.active.push(Active {
                thing: s.thing.clone(),
                behavior: self.b.name.clone(),
                since,
                last_time,
                last_value,
                suppressed,
            });
        }
    }

    /// The times at which the thing had reported nothing (no metric at all)
    /// for two days: two days after a datapoint of this series followed by a
    /// longer gap, in any metric, or by the horizon.
    fn silences(&self, s: &Series) -> Vec<i64> {
        let mut out = Vec::new();
        let mut check = |last: i64, next: Option<i64>| {
            let due = last.saturating_add(SILENCE_INVALIDATES);
            let gap_ends = next.or(self.judged_until);
            if gap_ends.is_some_and(|end| end > due) && !self.data.reported_between(&s.thing, last, due) {
                out.push(due);
            }
        };
        for pair in s.times.windows(2) {
            check(pair[0], Some(pair[1]));
        }
        if let Some(last) = s.times.last() {
            check(*last, None);
        }
        out
    }

    /// Walks a series of numbers: a counting metric per window sum, any
    /// other per datapoint; `f(at, key, value)`, where `at` is when the
    /// evaluation happens and `key` the window its fleet percentile is of.
    fn numeric(&self, s: &Series, f: &mut impl FnMut(i64, i64, f64)) {
        match self.window.filter(|_| self.sums) {
            None => {
                for (time, n) in s.times.iter().zip(&s.numbers) {
                    let key = self.window.map_or(*time, |w| window_end(*time, w));
                    f(*time, key, *n);
                }
            }
            Some(w) => {
                let mut current: Option<(i64, f64)> = None;
                for (time, n) in s.times.iter().zip(&s.numbers) {
                    let end = window_end(*time, w);
                    match &mut current {
                        Some((e, sum)) if *e == end => *sum += n,
                        _ => {
                            if let Some((e, sum)) = current.take() {
                                f(e, e, sum);
                            }
                            current = Some((end, *n));
                        }
                    }
                }
                if let Some((e, sum)) = current {
                    f(e, e, sum);
                }
            }
        }
    }
}

/// Whether a metric counts what happened in a window (messages, bytes,
/// failures): the built-in metrics that require durationSeconds. Their
/// datapoints in a window are summed; the others (sizes, gauges such as open
/// connections or listening ports, custom numbers) are judged one by one.
/// (Assumption: the guide says cloud-side counts are aggregated in the
/// window and statistical measurements "accumulated"; summing a gauge would
/// multiply it by how often it is reported.)
pub fn counts_per_window(metric: &str) -> bool {
    super::metrics::builtin(metric).is_some_and(|m| m.duration == super::metrics::DurationRule::Required)
}

/// The end of the tumbling window of length `w` (seconds) holding `time`
/// (saturating at the end of time rather than overflowing).
pub fn window_end(time: i64, w: i64) -> i64 {
    time.div_euclid(w).checked_add(1).and_then(|k| k.checked_mul(w)).unwrap_or(i64::MAX)
}

/// A numeric comparison, read once from the criteria.
pub struct NumericCheck {
    pub op: Option<ComparisonOperator>,
    /// The criteria's value (NaN when it has none).
    pub bound: f64,
}

impl NumericCheck {
    pub fn of(criteria: &BehaviorCriteria) -> NumericCheck {
        let bound = criteria.value.as_ref().and_then(|v| v.count.map(|c| c as f64).or(v.number)).unwrap_or(f64::NAN);
        NumericCheck { op: criteria.comparison_operator.clone().filter(ComparisonOperator::is_numeric), bound }
    }

    /// True when `n` meets the criteria against `bound`; an operator that
    /// does not compare numbers says nothing, so the value is normal.
    pub fn normal(&self, n: f64, bound: f64) -> bool {
        use ComparisonOperator as Op;
        match &self.op {
            Some(Op::LessThan) => n < bound,
            Some(Op::LessThanEquals) => n <= bound,
            Some(Op::GreaterThan) => n > bound,
            Some(Op::GreaterThanEquals) => n >= bound,
            _ => true,
        }
    }
}

/// Why criteria cannot be compared with anything: a statistic that is not a
/// percentile, or a numeric comparison with no value (the rules report both).
fn unevaluable(criteria: &BehaviorCriteria) -> Option<&'static str> {
    if let Some(t) = &criteria.statistical_threshold {
        let rank = t.statistic.as_deref().and_then(|s| s.strip_prefix('p')).and_then(|r| r.parse::<f64>().ok());
        return rank.filter(|r| (0.0..=100.0).contains(r)).is_none().then_some("its statistic is not a percentile");
    }
    let numeric = criteria.comparison_operator.as_ref().is_some_and(ComparisonOperator::is_numeric);
    let value = criteria.value.as_ref().is_some_and(|v| v.count.is_some() || v.number.is_some());
    (numeric && !value).then_some("its comparison has no value to compare with")
}

/// For a statistical threshold, the fleet's percentile at each evaluation
/// time (window end, or datapoint time), over every thing evaluated then.
fn statistical_thresholds(
    series: &[Series],
    criteria: &BehaviorCriteria,
    window: Option<i64>,
    sums: bool,
) -> Option<HashMap<i64, f64>> {
    let statistic = criteria.statistical_threshold.as_ref()?.statistic.as_deref()?;
    let rank: f64 = statistic.strip_prefix('p')?.parse().ok()?;
    let mut by_time: HashMap<i64, Vec<f64>> = HashMap::new();
    for s in series.iter().filter(|s| s.is_numeric()) {
        // A counting metric ranks each thing's window sum; any other, every value in the window.
        let mut values: Vec<(i64, f64)> = Vec::new();
        for (time, n) in s.times.iter().zip(&s.numbers) {
            let at = window.map_or(*time, |w| window_end(*time, w));
            match values.last_mut() {
                Some((t, sum)) if *t == at && sums => *sum += n,
                _ => values.push((at, *n)),
            }
        }
        for (at, value) in values {
            by_time.entry(at).or_default().push(value);
        }
    }
    Some(by_time.into_iter().map(|(time, values)| (time, percentile(values, rank))).collect())
}

/// Nearest-rank percentile (p0 is the least value, p100 the greatest).
pub fn percentile(mut values: Vec<f64>, rank: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        return f64::NAN;
    }
    // rank·n/100 rather than (rank/100)·n: p99.9 of 1000 values is the 999th, not the 1000th.
    let position = (rank * values.len() as f64 / 100.0).ceil() as usize;
    values[position.clamp(1, values.len()) - 1]
}

/// Whether a value meets the criteria (is normal). `threshold` replaces the
/// criteria's value for a statistical threshold.
fn compare(criteria: &BehaviorCriteria, value: &Reported, threshold: Option<f64>) -> bool {
    use ComparisonOperator as Op;
    let Some(op) = &criteria.comparison_operator else { return true };
    let expected = criteria.value.as_ref();
    match (value, op) {
        (Reported::Number(n), Op::LessThan | Op::LessThanEquals | Op::GreaterThan | Op::GreaterThanEquals) => {
            let bound =
                threshold.or_else(|| expected.and_then(|v| v.count.map(|c| c as f64).or(v.number))).unwrap_or(f64::NAN);
            match op {
                Op::LessThan => *n < bound,
                Op::LessThanEquals => *n <= bound,
                Op::GreaterThan => *n > bound,
                _ => *n >= bound,
            }
        }
        (Reported::Ports(ports), Op::InPortSet | Op::NotInPortSet) => {
            let set = expected.and_then(|v| v.ports.as_deref()).unwrap_or_default();
            let inside = ports.iter().all(|p| set.contains(p));
            let outside = ports.iter().all(|p| !set.contains(p));
            if *op == Op::InPortSet { inside } else { outside }
        }
        (Reported::Addresses(addresses), Op::InCidrSet | Op::NotInCidrSet) => {
            let cidrs = expected.and_then(|v| v.cidrs.as_deref()).unwrap_or_default();
            let within = |a: &IpAddr| cidrs.iter().any(|c| in_cidr(a, c));
            if *op == Op::InCidrSet { addresses.iter().all(within) } else { !addresses.iter().any(within) }
        }
        (Reported::Strings(items), Op::InSet | Op::NotInSet) => {
            let set = expected.and_then(|v| v.strings.as_deref()).unwrap_or_default();
            let inside = items.iter().all(|s| set.contains(s));
            if *op == Op::InSet { inside } else { items.iter().all(|s| !set.contains(s)) }
        }
        (Reported::Numbers(items), Op::InSet | Op::NotInSet) => {
            let set = expected.and_then(|v| v.numbers.as_deref()).unwrap_or_default();
            let inside = items.iter().all(|n| set.contains(n));
            if *op == Op::InSet { inside } else { items.iter().all(|n| !set.contains(n)) }
        }
        // A value of another kind than the operator compares says nothing.
        _ => true,
    }
}

/// True when `address` lies in `cidr` (`10.0.0.0/8`; a bare address is /32 or /128).
pub fn in_cidr(address: &IpAddr, cidr: &str) -> bool {
    if !super::rules::is_cidr(cidr) {
        return false;
    }
    let (net, prefix) = match cidr.split_once('/') {
        Some((n, p)) => (n, p.parse::<u32>().ok()),
        None => (cidr, None),
    };
    let Ok(net) = net.parse::<IpAddr>() else { return false };
    match (address, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let bits = prefix.unwrap_or(32).min(32);
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(*a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let bits = prefix.unwrap_or(128).min(128);
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(*a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// consecutiveDatapointsToAlarm and consecutiveDatapointsToClear (1 when
/// absent or below 1), as the API reference defines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlarmRule {
    pub to_alarm: i64,
    pub to_clear: i64,
}

impl AlarmRule {
    pub fn of(criteria: &BehaviorCriteria) -> AlarmRule {
        AlarmRule {
            to_alarm: criteria.consecutive_datapoints_to_alarm.unwrap_or(1).max(1),
            to_clear: criteria.consecutive_datapoints_to_clear.unwrap_or(1).max(1),
        }
    }
}

/// A thing's alarm state for one behavior, counting runs of evaluations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct State {
    pub in_alarm: bool,
    /// Evaluations in a row that point away from the current state.
    pub run: i64,
}

impl State {
    /// Takes one evaluation; answers the event it raises, if any.
    pub fn step(&mut self, violating: bool, rule: AlarmRule) -> Option<EventKind> {
        if violating != self.in_alarm {
            self.run += 1;
        } else {
            self.run = 0;
        }
        let needed = if self.in_alarm { rule.to_clear } else { rule.to_alarm };
        if self.run >= needed {
            self.in_alarm = !self.in_alarm;
            self.run = 0;
            return Some(if self.in_alarm { EventKind::InAlarm } else { EventKind::AlarmCleared });
        }
        None
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    fn behavior(value: serde_json::Value) -> Behavior {
        serde_json::from_value(value).unwrap()
    }

    fn point(thing: &str, metric: &str, time: i64, value: Reported) -> Datapoint {
        Datapoint { thing: thing.into(), metric: metric.into(), dimension: None, time, value }
    }

    fn kinds(e: &Evaluation) -> Vec<(String, EventKind, i64)> {
        e.events.iter().map(|e| (e.thing.to_string(), e.kind, e.time)).collect()
    }

    #[test]
    fn a_count_over_a_window_alarms_and_clears_with_the_datapoint_counts() {
        let b = behavior(json!({"name": "Sent", "metric": "aws:num-messages-sent", "criteria": {
            "comparisonOperator": "less-than", "value": {"count": 100}, "durationSeconds": 300,
            "consecutiveDatapointsToAlarm": 2, "consecutiveDatapointsToClear": 1}}));
        // Windows end at 300, 600, 900, 1200: sums 60, 120, 150, 30.
        let points = [(0, 60.0), (310, 70.0), (320, 50.0), (610, 150.0), (905, 30.0)]
            .map(|(t, n)| point("a", "aws:num-messages-sent", t, Reported::Number(n)));
        let e = evaluate(&[b], &points);
        assert_eq!(kinds(&e), [("a".into(), EventKind::InAlarm, 900), ("a".into(), EventKind::AlarmCleared, 1200)]);
        assert_eq!(e.events[0].value, Reported::Number(150.0));
    }

    #[test]
    fn ports_cidrs_and_sets_compare_as_the_operator_says() {
        let ports = behavior(json!({"name": "Ports", "metric": "aws:listening-tcp-ports",
            "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22, 443]}}}));
        let ips = behavior(json!({"name": "Out", "metric": "aws:destination-ip-addresses",
            "criteria": {"comparisonOperator": "not-in-cidr-set", "value": {"cidrs": ["10.0.0.0/8"]}}}));
        let addr = |s: &str| s.parse::<IpAddr>().unwrap();
        let points = [
            point("a", "aws:listening-tcp-ports", 0, Reported::Ports(vec![22, 443])),
            point("a", "aws:listening-tcp-ports", 300, Reported::Ports(vec![22, 8080])),
            point("b", "aws:destination-ip-addresses", 0, Reported::Addresses(vec![addr("192.168.1.1")])),
            point("b", "aws:destination-ip-addresses", 300, Reported::Addresses(vec![addr("10.1.2.3")])),
        ];
        let e = evaluate(&[ports, ips], &points);
        assert_eq!(
            e.events.iter().map(|e| (&*e.behavior, &*e.thing, e.time)).collect::<Vec<_>>(),
            [("Ports", "a", 300), ("Out", "b", 300)]
        );
        assert!(in_cidr(&addr("2001:db8::1"), "2001:db8::/32") && !in_cidr(&addr("10.0.0.1"), "2001:db8::/32"));
    }

    #[test]
    fn a_statistical_threshold_is_the_fleets_percentile_of_the_window() {
        let b = behavior(json!({"name": "Bytes", "metric": "aws:all-bytes-out", "suppressAlerts": true, "criteria": {
            "comparisonOperator": "less-than-equals", "statisticalThreshold": {"statistic": "p50"}, "durationSeconds": 300}}));
        let points: Vec<Datapoint> = [("a", 10.0), ("b", 20.0), ("c", 900.0)]
            .iter()
            .map(|(t, n)| point(t, "aws:all-bytes-out", 10, Reported::Number(*n)))
            .collect();
        let e = evaluate(&[b], &points);
        // p50 of {10, 20, 900} is 20: only c is above it.
        assert_eq!(kinds(&e), [("c".into(), EventKind::InAlarm, 300)]);
        assert!(e.events[0].suppressed);
        assert_eq!(percentile(vec![5.0, 1.0, 3.0, 2.0, 4.0], 90.0), 5.0);
        assert_eq!(percentile(vec![5.0, 1.0, 3.0, 2.0, 4.0], 0.0), 1.0);
        let thousand: Vec<f64> = (1..=1000).map(f64::from).collect();
        assert_eq!(percentile(thousand, 99.9), 999.0);
    }

    #[test]
    fn ml_behaviors_are_reported_not_evaluated() {
        let b = behavior(
            json!({"name": "Ml", "metric": "aws:num-messages-sent", "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}}),
        );
        let e = evaluate(&[b], &[point("a", "aws:num-messages-sent", 0, Reported::Number(1.0))]);
        assert!(e.events.is_empty());
        assert_eq!(e.not_evaluated, [("Ml".to_owned(), "ML Detect models are not imitated")]);
    }
}
