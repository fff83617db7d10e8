//! `ddsp backtest --emit-sql spark`: the Detect evaluator as a Spark SQL
//! script, for fleets whose metrics export lives in S3 and is too large to
//! download. The script reads metrics-export documents (JSON lines, or
//! Parquet with the same columns) and returns the violation events the
//! in-process evaluator (`domain/evaluate.rs`) gives for the same data: one
//! row per event with the thing, the behavior, `in-alarm` / `alarm-cleared` /
//! `alarm-invalidated`, the time and the value.
//!
//! Every rule is written from the evaluator's own definitions, not again:
//! windows end where `window_end` puts them, counting metrics are summed per
//! window as `counts_per_window` says, the percentile is the nearest rank with
//! `rank · n / 100` as `percentile` computes it, two days of silence come from
//! `SILENCE_INVALIDATES`, and the alarm state machine steps as `State::step`
//! (a run-length count, folded per thing with Spark's `aggregate`). Where SQL
//! cannot say a rule the same way (an IPv6 CIDR), the behavior is left out
//! with a comment saying why, as ML Detect behaviors are.
//!
//! Choices named here:
//! - Of two datapoints of one thing, metric and time with the same `version`,
//!   the one later in the input as Spark reads it wins (in-process: the later
//!   in the file).
//! - A backtest of past data has no horizon: the silence after a thing's last
//!   datapoint is not judged, as in-process.

use std::net::IpAddr;

use crate::domain::enums::ComparisonOperator;
use crate::domain::evaluate::{AlarmRule, Prepared, SILENCE_INVALIDATES, counts_per_window};
use crate::domain::metric_data::{MetricData, MetricKey};
use crate::domain::profile::{Behavior, BehaviorCriteria};

/// How the input is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Metrics-export documents, one per line (as Firehose and IoT rules write them).
    Json,
    /// Parquet with the export's columns (`version`, `metrics`).
    Parquet,
}

/// The script, and the behaviors it leaves out with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    pub sql: String,
    pub left_out: Vec<(String, String)>,
}

/// The export's schema, written out so that members no document has
/// (`ports`, `dimension`) still read as null rather than failing.
const SCHEMA: &str = "version STRING, metrics ARRAY<STRUCT<name: STRING, thing: STRING, \
    value: STRUCT<count: BIGINT, number: DOUBLE, cidrs: ARRAY<STRING>, ports: ARRAY<BIGINT>, \
    numbers: ARRAY<DOUBLE>, strings: ARRAY<STRING>>, version: BIGINT, timestamp: DOUBLE, \
    dimension: STRUCT<name: STRING, operator: STRING>>>";

/// A SQL string literal.
fn text(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// A SQL double literal that reads back as the same f64.
fn double(n: f64) -> String {
    format!("CAST({} AS DOUBLE)", text(&format!("{n:?}")))
}

/// A SQL array of `items` (SQL expressions).
fn array(items: Vec<String>) -> String {
    format!("array({})", items.join(", "))
}

/// Whether `input` names a table rather than a path.
fn is_table(input: &str) -> bool {
    !input.is_empty() && input.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// Writes the script for `behaviors` over `input` (a path or prefix Spark
/// reads, `s3://…` included, or a table name), with datapoints from `from`
/// (included) to `to` (excluded), epoch seconds.
pub fn script(
    behaviors: &[Behavior],
    input: &str,
    format: InputFormat,
    (from, to): (Option<i64>, Option<i64>),
) -> Script {
    let mut sql = String::from(
        "-- ddsp backtest --emit-sql spark: the violation events Device Defender Detect would raise\n\
         -- over metrics-export data, as `ddsp backtest` computes them in process.\n\n",
    );
    sql.push_str(&input_view(input, format));
    sql.push_str(&points_views(from, to));
    let mut selects = Vec::new();
    let mut left_out = Vec::new();
    let empty = MetricData::default();
    for (i, b) in behaviors.iter().enumerate() {
        if let Err(why) = Prepared::new(b, &empty, None) {
            left_out.push((b.name.clone(), why.to_owned()));
            continue;
        }
        match behavior_view(i, b) {
            Ok(view) => {
                sql.push_str(&view);
                selects.push(format!("SELECT * FROM ddsp_events_{i}"));
            }
            Err(why) => left_out.push((b.name.clone(), why)),
        }
    }
    for (name, why) in &left_out {
        sql.push_str(&format!("-- Not evaluated: {}: {}\n", name.replace('\n', " "), why));
    }
    if selects.is_empty() {
        sql.push_str(NO_EVENTS);
    } else {
        sql.push_str(&format!(
            "{}\nORDER BY event_time, behavior_order, thing_name, event_index;\n",
            selects.join("\nUNION ALL\n")
        ));
    }
    Script { sql, left_out }
}

/// The script's answer when no behavior can be evaluated: the events' columns, no row.
const NO_EVENTS: &str = "SELECT CAST(NULL AS STRING) AS thing_name, CAST(NULL AS STRING) AS behavior_name, \
     CAST(NULL AS INT) AS behavior_order, CAST(NULL AS STRING) AS violation_event_type, CAST(NULL AS BIGINT) AS event_time, \
     CAST(NULL AS DOUBLE) AS value, CAST(NULL AS STRING) AS value_list, \
     CAST(NULL AS BOOLEAN) AS suppressed, CAST(NULL AS BIGINT) AS violation_start_time, \
     CAST(NULL AS INT) AS event_index WHERE false;\n";

/// The view `ddsp_input` over `input`: a table's columns, or the files at a path in `format`.
fn input_view(input: &str, format: InputFormat) -> String {
    if is_table(input) {
        return format!("CREATE OR REPLACE TEMPORARY VIEW ddsp_input AS SELECT version, metrics FROM {input};\n\n");
    }
    let using = match format {
        InputFormat::Json => "json",
        InputFormat::Parquet => "parquet",
    };
    format!("CREATE OR REPLACE TEMPORARY VIEW ddsp_input ({SCHEMA})\nUSING {using} OPTIONS (path {});\n\n", text(input))
}

/// The views every behavior reads: `ddsp_points` (each datapoint once,
/// within `from`..`to`, epoch seconds) and `ddsp_times` (each thing's next
/// datapoint of any metric).
fn points_views(from: Option<i64>, to: Option<i64>) -> String {
    let mut window = Vec::new();
    if let Some(f) = from {
        window.push(format!("t >= {f}"));
    }
    if let Some(t) = to {
        window.push(format!("t < {t}"));
    }
    let window = if window.is_empty() { String::new() } else { format!(" AND {}", window.join(" AND ")) };
    // Every datapoint once: the highest version of a thing's metric at a time.
    format!(
        "CREATE OR REPLACE TEMPORARY VIEW ddsp_points AS
WITH exploded AS (
  SELECT d.doc, p.pos, p.m
  FROM (SELECT monotonically_increasing_id() AS doc, metrics FROM ddsp_input) d
  LATERAL VIEW posexplode(d.metrics) p AS pos, m
), typed AS (
  SELECT m.thing AS thing, m.name AS metric, m.dimension.name AS dimension_name,
         CASE WHEN m.dimension IS NULL THEN NULL ELSE coalesce(m.dimension.operator, 'IN') END AS dimension_operator,
         CAST(CASE WHEN abs(m.timestamp) > 1e11 THEN floor(m.timestamp / 1000) ELSE floor(m.timestamp) END AS BIGINT) AS t,
         coalesce(m.version, 0) AS version, doc, pos,
         coalesce(CAST(m.value.count AS DOUBLE), m.value.number) AS number, m.value AS value
  FROM exploded
)
SELECT thing, metric, dimension_name, dimension_operator, t, number, value FROM (
  SELECT *, row_number() OVER (
    PARTITION BY thing, metric, dimension_name, dimension_operator, t ORDER BY version DESC, doc DESC, pos DESC) AS pick
  FROM typed
) WHERE pick = 1{window};

-- Read once for every behavior (spills to disk when it does not fit in memory).
CACHE TABLE ddsp_points;

-- Each thing's next datapoint of any metric, for two days of silence.
CREATE OR REPLACE TEMPORARY VIEW ddsp_times AS
SELECT thing, t, lead(t) OVER (PARTITION BY thing ORDER BY t) AS next_any
FROM (SELECT DISTINCT thing, t FROM ddsp_points);

"
    )
}

/// What a behavior compares, as SQL: the violating condition over an
/// evaluation's `v` (numbers) or `value` (the datapoint's lists), and whether
/// the evaluations are numbers.
fn violating(c: &BehaviorCriteria) -> Result<(String, bool), String> {
    use ComparisonOperator as Op;
    let op = c.comparison_operator.as_ref().ok_or("it has no comparison operator")?;
    let value = c.value.clone().unwrap_or_default();
    Ok(match op {
        Op::LessThan | Op::LessThanEquals | Op::GreaterThan | Op::GreaterThanEquals => {
            let symbol = match op {
                Op::LessThan => "<",
                Op::LessThanEquals => "<=",
                Op::GreaterThan => ">",
                _ => ">=",
            };
            // The bound: the window's percentile, or the criteria's value (count first, as the evaluator reads it).
            let bound = if c.statistical_threshold.is_some() {
                "bound".to_owned()
            } else {
                double(value.count.map(|n| n as f64).or(value.number).unwrap_or(f64::NAN))
            };
            // A NaN bound (no value) compares false in process, so it violates; Spark sorts NaN
            // above every number, which only a Parquet input with NaN could reach.
            (format!("v IS NOT NULL AND NOT coalesce(v {symbol} {bound}, false)"), true)
        }
        Op::InPortSet | Op::NotInPortSet => {
            let set = array(value.ports.unwrap_or_default().iter().map(|p| format!("CAST({p} AS BIGINT)")).collect());
            let normal = if *op == Op::InPortSet {
                format!("forall(value.ports, p -> array_contains({set}, p))")
            } else {
                format!("forall(value.ports, p -> NOT array_contains({set}, p))")
            };
            (
                format!("value.count IS NULL AND value.number IS NULL AND value.ports IS NOT NULL AND NOT ({normal})"),
                false,
            )
        }
        Op::InCidrSet | Op::NotInCidrSet => {
            (cidrs_violating(*op == Op::InCidrSet, value.cidrs.unwrap_or_default())?, false)
        }
        Op::InSet | Op::NotInSet => (set_violating(*op == Op::InSet, value), false),
        Op::Unknown(o) => return Err(format!("{o:?} is not an operator the service knows")),
    })
}

/// in-cidr-set / not-in-cidr-set (`within_set`: in-cidr-set) over the
/// datapoint's addresses, as SQL. Errors: an IPv6 CIDR, which Spark SQL
/// cannot compare addresses with.
fn cidrs_violating(within_set: bool, cidrs: Vec<String>) -> Result<String, String> {
    let mut ranges = Vec::new();
    for cidr in cidrs {
        if !crate::domain::rules::is_cidr(&cidr) {
            continue; // in process too, a CIDR that does not read matches nothing
        }
        let (net, prefix) = cidr.split_once('/').map_or((cidr.as_str(), None), |(n, p)| (n, p.parse::<u32>().ok()));
        match net.parse::<IpAddr>() {
            Ok(IpAddr::V4(n)) => {
                let bits = prefix.unwrap_or(32).min(32);
                let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
                let start = u32::from(n) & mask;
                ranges.push(format!("(a BETWEEN {start} AND {})", u64::from(start) + u64::from(!mask)));
            }
            _ => {
                return Err(format!(
                    "{} is an IPv6 CIDR, which Spark SQL has no function to compare addresses with",
                    cidr
                ));
            }
        }
    }
    let within = if ranges.is_empty() { "false".to_owned() } else { ranges.join(" OR ") };
    // The addresses as the evaluator reads them: before any '/', those that parse; an IPv4 one as a number.
    let addresses = "transform(filter(transform(value.cidrs, c -> split(c, '/')[0]), \
         a -> (a RLIKE '^(0|[1-9][0-9]{0,2})(\\\\.(0|[1-9][0-9]{0,2})){3}$' \
         AND forall(split(a, '\\\\.'), o -> CAST(o AS INT) <= 255)) OR a RLIKE '^[0-9a-fA-F:.]*:[0-9a-fA-F:.]*$'), \
         a -> IF(a LIKE '%:%', CAST(-1 AS BIGINT), \
         CAST(split(a, '\\\\.')[0] AS BIGINT) * 16777216 + CAST(split(a, '\\\\.')[1] AS BIGINT) * 65536 \
         + CAST(split(a, '\\\\.')[2] AS BIGINT) * 256 + CAST(split(a, '\\\\.')[3] AS BIGINT)))";
    let normal = if within_set {
        format!("forall({addresses}, a -> {within})")
    } else {
        format!("NOT exists({addresses}, a -> {within})")
    };
    Ok(format!("value.count IS NULL AND value.number IS NULL AND value.cidrs IS NOT NULL AND NOT ({normal})"))
}

/// in-set / not-in-set (`within_set`: in-set) over the datapoint's numbers
/// or strings, as SQL.
fn set_violating(within_set: bool, value: crate::domain::profile::MetricValue) -> String {
    // The datapoint's kind decides, in `Reported::from_metric_value`'s order; each
    // kind is compared with the criteria's member of that kind (empty when absent).
    let strings = array(value.strings.as_deref().unwrap_or_default().iter().map(|x| text(x)).collect());
    let numbers = array(value.numbers.as_deref().unwrap_or_default().iter().map(|x| double(*x)).collect());
    let (strings, numbers) = (
        if strings == "array()" { "CAST(array() AS ARRAY<STRING>)".to_owned() } else { strings },
        if numbers == "array()" { "CAST(array() AS ARRAY<DOUBLE>)".to_owned() } else { numbers },
    );
    let normal = |member: &str, set: &str| {
        if within_set {
            format!("forall(value.{member}, x -> array_contains({set}, x))")
        } else {
            format!("forall(value.{member}, x -> NOT array_contains({set}, x))")
        }
    };
    let before = "value.count IS NULL AND value.number IS NULL AND value.ports IS NULL AND value.cidrs IS NULL";
    format!(
        "{before} AND ((value.numbers IS NOT NULL AND NOT ({})) \
         OR (value.numbers IS NULL AND value.strings IS NOT NULL AND NOT ({})))",
        normal("numbers", &numbers),
        normal("strings", &strings)
    )
}

/// A datapoint's list (ports, CIDRs, numbers or strings) as JSON text, for an event's value.
const LIST_TEXT: &str = "CASE WHEN value.ports IS NOT NULL THEN to_json(value.ports) \
     WHEN value.cidrs IS NOT NULL THEN to_json(value.cidrs) WHEN value.numbers IS NOT NULL THEN to_json(value.numbers) \
     WHEN value.strings IS NOT NULL THEN to_json(value.strings) END";

/// The view of one behavior's events: `ddsp_events_{i}`.
fn behavior_view(i: usize, b: &Behavior) -> Result<String, String> {
    let metric = b.metric.as_deref().ok_or("it names no metric")?;
    let c = b.criteria.as_ref().ok_or("it has no criteria")?;
    let (violating, numeric) = violating(c)?;
    let key = MetricKey::of_behavior(metric, b.metric_dimension.as_ref());
    let dimension = match &key.dimension {
        Some((name, op)) => format!("dimension_name <=> {} AND dimension_operator <=> {}", text(name), text(op)),
        None => "dimension_name IS NULL".to_owned(),
    };
    let window = c.duration_seconds.filter(|d| *d > 0);
    let sums = counts_per_window(metric) && numeric;
    let numeric_things = format!("(SELECT thing FROM ddsp_kinds_{i} WHERE numeric)");
    let evaluations = evaluations(i, window, sums, &numeric_things);
    let statistic = c.statistical_threshold.as_ref().and_then(|t| t.statistic.as_deref());
    let rank: Option<f64> = statistic.and_then(|s| s.strip_prefix('p')).and_then(|r| r.parse().ok());
    // The fleet's percentile of each window: nearest rank, position ⌈rank·n/100⌉ clamped to 1..n.
    let (bounds, bound_join, negatives) = match rank {
        Some(r) => (
            format!(
                ", ddsp_bounds_{i} AS (SELECT key, element_at(sort_array(collect_list(v)), \
                 CAST(greatest(1, least(count(v), ceil({r} * CAST(count(v) AS DOUBLE) / CAST(100 AS DOUBLE)))) AS INT)) AS bound \
                 FROM evaluations WHERE NOT mixed GROUP BY key)",
                r = double(r)
            ),
            format!(" LEFT JOIN ddsp_bounds_{i} USING (key)"),
            // Percentiles are not evaluated while any value of the metric is negative.
            format!(" WHERE NOT EXISTS (SELECT 1 FROM ddsp_series_{i} WHERE number < 0 AND thing IN {numeric_things})"),
        ),
        None => (String::new(), String::new(), String::new()),
    };
    // A window with no percentile is normal (bound NULL makes the comparison unknown: coalesced to normal).
    // A series that is not all numbers has no percentile: normal (as `Prepared::thing_events` judges it).
    let violating = if rank.is_some() { format!("NOT mixed AND bound IS NOT NULL AND {violating}") } else { violating };
    let suppressed = b.suppress_alerts == Some(true);
    let (state, step) = fold(AlarmRule::of(c));
    Ok(format!(
        "-- {name}: {metric}
CREATE OR REPLACE TEMPORARY VIEW ddsp_series_{i} AS
SELECT thing, t, number, value FROM ddsp_points WHERE metric = {metric_text} AND {dimension};

CREATE OR REPLACE TEMPORARY VIEW ddsp_kinds_{i} AS
SELECT thing, bool_and(number IS NOT NULL) AS numeric FROM ddsp_series_{i} GROUP BY thing;

CREATE OR REPLACE TEMPORARY VIEW ddsp_events_{i} AS
WITH evaluations AS ({evaluations}){bounds},
judged AS (
  SELECT thing, at, 0 AS kind, coalesce({violating}, false) AS violating, v, {LIST_TEXT} AS vtext
  FROM evaluations{bound_join}{negatives}
), silences AS (
  -- A series datapoint followed by more than two days with no datapoint of any metric of the thing.
  SELECT s.thing, s.t + {silence} AS at, 1 AS kind, false AS violating, CAST(NULL AS DOUBLE) AS v, CAST(NULL AS STRING) AS vtext
  FROM (SELECT thing, t, lead(t) OVER (PARTITION BY thing ORDER BY t) AS next_t FROM ddsp_series_{i}) s
  JOIN ddsp_times a ON a.thing = s.thing AND a.t = s.t
  WHERE s.next_t IS NOT NULL AND a.next_any > s.t + {silence}{negatives_silence}
), steps AS (
  SELECT thing, sort_array(collect_list(struct(at, kind, violating, v, vtext))) AS steps
  FROM (SELECT * FROM judged UNION ALL SELECT * FROM silences) GROUP BY thing
), folded AS (
  SELECT thing, aggregate(steps, {state},
      {step}) AS state
  FROM steps
)
SELECT thing AS thing_name, {name_text} AS behavior_name, {i} AS behavior_order, e.kind AS violation_event_type,
       e.at AS event_time, e.v AS value, e.vtext AS value_list, {suppressed} AS suppressed, e.since AS violation_start_time,
       event_index
FROM folded LATERAL VIEW posexplode(state.events) x AS event_index, e;

",
        name = b.name.replace('\n', " "),
        metric_text = text(metric),
        name_text = text(&b.name),
        silence = SILENCE_INVALIDATES,
        negatives_silence = if rank.is_some() {
            format!(" AND NOT EXISTS (SELECT 1 FROM ddsp_series_{i} WHERE number < 0 AND thing IN {numeric_things})")
        } else {
            String::new()
        },
    ))
}

/// The evaluations of behavior `i`'s series, as a SELECT of (thing, at,
/// key, v, value, mixed): windows of `window` seconds summed when `sums`
/// (a counting metric's numbers), else each datapoint; `numeric_things` is
/// the SELECT of the things whose series are numbers only.
fn evaluations(i: usize, window: Option<i64>, sums: bool, numeric_things: &str) -> String {
    let end = |t: &str, w: i64| format!("(CAST(floor({t} / {w}) AS BIGINT) + 1) * {w}");
    // The evaluations: (thing, at, key, v, value, mixed), as `Prepared::walk` gives them.
    // A thing's series of numbers only (`Series::is_numeric`) is summed per window for a
    // counting metric; any other is judged datapoint by datapoint (`mixed`).
    let judged_alone = format!(
        "SELECT thing, t AS at, t AS key, number AS v, value, true AS mixed FROM ddsp_series_{i} \
         WHERE thing NOT IN {numeric_things}"
    );
    match window.filter(|_| sums) {
        Some(w) => format!(
            "SELECT thing, {e} AS at, {e} AS key, sum(number) AS v, CAST(NULL AS {vt}) AS value, false AS mixed \
             FROM ddsp_series_{i} WHERE thing IN {numeric_things} GROUP BY thing, {e} UNION ALL {judged_alone}",
            e = end("t", w),
            vt = "STRUCT<count: BIGINT, number: DOUBLE, cidrs: ARRAY<STRING>, ports: ARRAY<BIGINT>, numbers: ARRAY<DOUBLE>, strings: ARRAY<STRING>>"
        ),
        None => {
            let k = window.map_or_else(|| "t".to_owned(), |w| end("t", w));
            format!(
                "SELECT thing, t AS at, {k} AS key, number AS v, value, false AS mixed FROM ddsp_series_{i} \
                 WHERE thing IN {numeric_things} UNION ALL {judged_alone}"
            )
        }
    }
}

/// The alarm state machine as a Spark `aggregate`: its start state and its
/// step, `State::step` over an evaluation (kind 0) or a silence (kind 1)
/// that starts the state afresh, raising `in-alarm`, `alarm-cleared` and
/// `alarm-invalidated` events after `rule`'s runs.
fn fold(rule: AlarmRule) -> (String, String) {
    let event = "STRUCT<kind: STRING, at: BIGINT, v: DOUBLE, vtext: STRING, since: BIGINT>";
    let state = format!(
        "named_struct('in_alarm', false, 'run', 0, 'since', CAST(NULL AS BIGINT), 'last_v', CAST(NULL AS DOUBLE), \
         'last_text', CAST(NULL AS STRING), 'events', CAST(array() AS ARRAY<{event}>))"
    );
    // One step of `State::step`, or a silence (kind 1) that starts the state afresh.
    let step = format!(
        "(acc, s) -> CASE
        WHEN s.kind = 1 THEN named_struct('in_alarm', false, 'run', 0, 'since', CAST(NULL AS BIGINT),
          'last_v', CAST(NULL AS DOUBLE), 'last_text', CAST(NULL AS STRING),
          'events', IF(acc.in_alarm, concat(acc.events, array(named_struct('kind', 'alarm-invalidated', 'at', s.at,
            'v', acc.last_v, 'vtext', acc.last_text, 'since', acc.since))), acc.events))
        WHEN IF(s.violating <> acc.in_alarm, acc.run + 1, 0) >= IF(acc.in_alarm, {clear}, {alarm}) THEN
          IF(acc.in_alarm,
            named_struct('in_alarm', false, 'run', 0, 'since', CAST(NULL AS BIGINT), 'last_v', CAST(NULL AS DOUBLE),
              'last_text', CAST(NULL AS STRING), 'events', concat(acc.events, array(named_struct('kind', 'alarm-cleared',
                'at', s.at, 'v', s.v, 'vtext', s.vtext, 'since', acc.since)))),
            named_struct('in_alarm', true, 'run', 0, 'since', s.at, 'last_v', s.v, 'last_text', s.vtext,
              'events', concat(acc.events, array(named_struct('kind', 'in-alarm', 'at', s.at, 'v', s.v,
                'vtext', s.vtext, 'since', s.at)))))
        ELSE named_struct('in_alarm', acc.in_alarm, 'run', IF(s.violating <> acc.in_alarm, acc.run + 1, 0),
          'since', acc.since,
          'last_v', IF(acc.in_alarm AND s.violating, s.v, acc.last_v),
          'last_text', IF(acc.in_alarm AND s.violating, s.vtext, acc.last_text), 'events', acc.events)
      END",
        alarm = rule.to_alarm,
        clear = rule.to_clear
    );
    (state, step)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn ml_detect_and_ipv6_ranges_are_left_out_with_why_and_the_rest_read_the_evaluators_rules() {
        let behaviors: Vec<Behavior> = serde_json::from_value(json!([
            {"name": "Sent", "metric": "aws:num-messages-sent", "criteria": {"comparisonOperator": "less-than",
                "value": {"count": 100}, "durationSeconds": 600, "consecutiveDatapointsToAlarm": 3}},
            {"name": "Model", "metric": "aws:num-messages-sent", "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}},
            {"name": "Out", "metric": "aws:destination-ip-addresses",
                "criteria": {"comparisonOperator": "in-cidr-set", "value": {"cidrs": ["10.0.0.0/8", "2001:db8::/32"]}}},
        ]))
        .unwrap();
        let s = script(&behaviors, "s3://bucket/export/", InputFormat::Json, (Some(100), None));
        assert_eq!(s.left_out.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["Model", "Out"]);
        assert!(s.left_out[0].1.contains("ML Detect") && s.left_out[1].1.contains("IPv6"));
        assert!(s.sql.contains("USING json OPTIONS (path 's3://bucket/export/')"));
        assert!(s.sql.contains("WHERE pick = 1 AND t >= 100;"));
        // Windows end where window_end puts them; the fold steps as State::step with these counts.
        assert!(s.sql.contains("(CAST(floor(t / 600) AS BIGINT) + 1) * 600"));
        assert!(s.sql.contains("IF(acc.in_alarm, 1, 3)"));
        assert!(s.sql.contains(&format!("s.t + {SILENCE_INVALIDATES}")));
        assert!(s.sql.contains("-- Not evaluated: Model: ML Detect models are not imitated"));
        let table = script(&behaviors[..1], "detect.export", InputFormat::Parquet, (None, None));
        assert!(table.sql.contains("AS SELECT version, metrics FROM detect.export;"));
    }

    /// The names of a SELECT list's columns: each item's last word.
    fn columns(list: &str) -> Vec<String> {
        list.split(',').filter_map(|item| item.split_whitespace().last()).map(str::to_owned).collect()
    }

    #[test]
    fn a_script_that_evaluates_nothing_answers_the_events_columns() {
        let behaviors: Vec<Behavior> = serde_json::from_value(json!([
            {"name": "Sent", "metric": "aws:num-messages-sent", "criteria": {"comparisonOperator": "less-than",
                "value": {"count": 100}, "durationSeconds": 300}},
        ]))
        .unwrap();
        let events = script(&behaviors, "x/", InputFormat::Json, (None, None)).sql;
        let start = events.find("SELECT thing AS thing_name").unwrap() + "SELECT".len();
        let end = start + events[start..].find("\nFROM folded").unwrap();
        let none = NO_EVENTS.trim_start_matches("SELECT").split(" WHERE false").next().unwrap();
        assert_eq!(columns(none), columns(&events[start..end]));
    }
}
