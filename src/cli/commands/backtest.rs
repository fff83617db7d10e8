//! `ddsp backtest FILE (--metrics EXPORT… | --endpoint) [--from --to]`: which
//! things each behavior of a profile file would have alarmed over real metric
//! data, and how that compares with the profile of the same name on the
//! endpoint ("alarm when messages sent ≥ 100 in 5 minutes: 340 alarms → 12").
//! The data comes from metrics-export files (gzip too), or from the endpoint
//! (ListMetricValues for the things the profile's targets hold).

use std::time::Instant;

use clap::Args;
use serde_json::{Value, json};

use super::metric_source::{DataArgs, endpoint_data, endpoint_targets, now_seconds, read_exports, read_profile_file};
use super::runtime;
use crate::cli::exit;
use crate::cli::global::GlobalArgs;
use crate::client::{ClientError, Connection, operations};
use crate::domain::alerts::{AlertVolume, volume};
use crate::domain::backtest::{BehaviorResult, compare, run_until};
use crate::domain::choices::describe;
use crate::domain::metric_data::{MetricData, Reported};
use crate::domain::profile::Behavior;
use crate::domain::untrusted::neutralise;
use crate::domain::value_text::value_text;
use crate::endpoint::connect;
use crate::wire::time::iso8601;

#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// The profile file (the create-security-profile --cli-input-json/yaml document).
    pub file: String,
    #[command(flatten)]
    pub data: DataArgs,
    /// Do not compare with the endpoint's profile (no connection at all with --metrics).
    #[arg(long, conflicts_with = "endpoint")]
    pub offline: bool,
    /// Alarms listed per behavior (the counts are always whole).
    #[arg(long, default_value_t = 10)]
    pub show: usize,
    /// Print a script that computes the same violation events where the data lives instead (spark: Spark SQL).
    #[arg(long, value_name = "ENGINE", value_parser = ["spark"], requires = "input", conflicts_with_all = ["metrics", "endpoint", "offline"])]
    pub emit_sql: Option<String>,
    /// With --emit-sql: the metrics export to read (a path or prefix Spark reads, s3://… included, or a table name).
    #[arg(long, value_name = "PATH_OR_TABLE", requires = "emit_sql")]
    pub input: Option<String>,
    /// With --emit-sql: how the export is stored.
    #[arg(long, value_enum, default_value = "json", requires = "emit_sql")]
    pub format: crate::wire::spark_sql::InputFormat,
}

pub fn run_backtest(args: BacktestArgs, global: &GlobalArgs) -> u8 {
    if let Some(input) = args.input.as_deref().filter(|_| args.emit_sql.is_some()) {
        return emit_sql(&args, input);
    }
    let window = match args.data.window("backtest") {
        Ok(w) => w,
        Err(code) => return code,
    };
    let file = match read_profile_file(&args.file) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let behaviors = file.profile.behaviors.clone().unwrap_or_default();
    let name = file.profile.security_profile_name.clone();
    let started = Instant::now();
    // Offline data first: a bad file is reported before anything connects.
    let offline_data = if args.data.endpoint {
        None
    } else {
        match read_exports(&args.data.metrics) {
            Ok(d) => Some(d.between(window.0, window.1)),
            Err(code) => return code,
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let options = global.connect_options();
    let want_endpoint = args.data.endpoint || !args.offline;
    let outcome: Result<Sides, ClientError> = rt.block_on(async {
        if !want_endpoint {
            return Ok((offline_data.unwrap_or_default(), None, None));
        }
        let c = match connect(&options).await {
            Ok(c) => c,
            Err(e) if !args.data.endpoint => {
                let note = format!("not compared with the endpoint ({e}); --offline leaves it out");
                return Ok((offline_data.unwrap_or_default(), None, Some(note)));
            }
            Err(e) => return Err(e),
        };
        let result = endpoint_side(&c, &name, &behaviors, offline_data, window, args.data.endpoint).await;
        c.close().await;
        result
    });
    let (data, old, note) = match outcome {
        Ok(o) => o,
        Err(e) => {
            return super::failed(&e);
        }
    };
    // From the endpoint, a window still filling at the end is not judged (as the sandbox does).
    let horizon = args.data.endpoint.then(|| window.1.unwrap_or_else(now_seconds));
    let new = run_until(&behaviors, &data, horizon);
    let old = old.map(|b| (run_until(&b, &data, horizon), b));
    let seconds = started.elapsed().as_secs_f64();
    let warnings = crate::domain::running_totals::warnings(&data, 5);
    let report = Report {
        name: &name,
        alert_targets: file.profile.alert_targets.as_ref(),
        data: &data,
        behaviors: &behaviors,
        new: &new,
        old: old.as_ref(),
        note,
        warnings,
        seconds,
    };
    if global.output == Some(crate::cli::output::OutputFormat::Json) {
        println!("{}", crate::wire::skeleton::json_text(&report.json()).trim_end());
    } else {
        print!("{}", crate::domain::untrusted::neutralise_lines(&report.text(args.show)));
    }
    exit::OK
}

/// `--emit-sql spark`: the script on stdout; the behaviors it leaves out, and why, on stderr.
fn emit_sql(args: &BacktestArgs, input: &str) -> u8 {
    let window = match args.data.times() {
        Ok(w) => w,
        Err(code) => return code,
    };
    let file = match read_profile_file(&args.file) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let behaviors = file.profile.behaviors.unwrap_or_default();
    let script = crate::wire::spark_sql::script(&behaviors, input, args.format, window);
    for (name, why) in &script.left_out {
        eprintln!("not evaluated: {}: {why}", neutralise(name));
    }
    print!("{}", crate::domain::untrusted::neutralise_lines(&script.sql));
    exit::OK
}

/// The data, the endpoint profile's behaviors (if it has one of that name)
/// and a note on what could not be compared.
type Sides = (MetricData, Option<Vec<Behavior>>, Option<String>);

/// The data (from the endpoint when asked) and the endpoint profile's
/// behaviors, if it has one of that name.
async fn endpoint_side(
    c: &Connection,
    name: &str,
    behaviors: &[Behavior],
    offline: Option<MetricData>,
    window: (Option<i64>, Option<i64>),
    from_endpoint: bool,
) -> Result<Sides, ClientError> {
    let old = match operations::describe(c, name).await {
        Ok(d) => Some(d.behaviors.unwrap_or_default()),
        Err(ClientError::Service { ref code, .. }) if code == "ResourceNotFoundException" => None,
        Err(e) if !from_endpoint => return Ok((offline.unwrap_or_default(), None, Some(format!("not compared: {e}")))),
        Err(e) => return Err(e),
    };
    if !from_endpoint {
        let note = old.is_none().then(|| format!("{name} is not on the endpoint; nothing to compare with"));
        return Ok((offline.unwrap_or_default(), old, note));
    }
    let Some(old) = old else {
        let note = format!("{name} is not on the endpoint, so the things it would watch are unknown; give --metrics");
        return Ok((MetricData::default(), None, Some(note)));
    };
    let targets = endpoint_targets(c, name).await?;
    let all: Vec<&Behavior> = behaviors.iter().chain(&old).collect();
    let read = endpoint_data(c, &targets, &all, window).await?;
    let (data, mut note) = (read.data, read.note);
    if read.things == 0 {
        note = Some(format!(
            "{name} on the endpoint watches no thing that can be listed; attach it to a thing group, or give --metrics"
        ));
    }
    Ok((data, Some(old), note))
}

/// What a backtest found, for printing.
struct Report<'a> {
    name: &'a str,
    /// The file's alert targets: each would have received every alert.
    alert_targets: Option<&'a crate::domain::profile::AlertTargets>,
    data: &'a MetricData,
    behaviors: &'a [Behavior],
    new: &'a [BehaviorResult],
    old: Option<&'a (Vec<BehaviorResult>, Vec<Behavior>)>,
    note: Option<String>,
    /// Data that lies: delta metrics holding running totals.
    warnings: Vec<String>,
    seconds: f64,
}

/// The behavior's criteria in words ("alarm when messages sent ≥ 100 in 5 minutes").
pub(super) fn words(b: &Behavior) -> String {
    let value = b.criteria.as_ref().and_then(|c| c.value.as_ref()).map(value_text).unwrap_or_default();
    describe(b, &value)
}

fn count(r: Option<&BehaviorResult>) -> String {
    match r {
        None => "—".to_owned(),
        Some(r) if r.not_evaluated.is_some() => "not evaluated".to_owned(),
        Some(r) => {
            format!("{} alarm{} on {} thing{}", r.alarms.len(), plural(r.alarms.len()), r.things(), plural(r.things()))
        }
    }
}

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(super) fn short_time(t: i64) -> String {
    // 2026-11-30T10:05 from the CLI's ISO form.
    iso8601(t as f64).chars().take(16).collect()
}

fn value_words(v: &Reported) -> String {
    match v {
        Reported::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
        Reported::Number(n) => format!("{n}"),
        other => value_text(&other.to_metric_value(false)),
    }
}

impl Report<'_> {
    fn span(&self) -> Option<(i64, i64)> {
        let mut times = self
            .data
            .keys()
            .flat_map(|k| self.data.series(k))
            .filter_map(|s| Some((*s.times.first()?, *s.times.last()?)));
        let first = times.next()?;
        Some(times.fold(first, |(a, b), (c, d)| (a.min(c), b.max(d))))
    }

    fn text(&self, show: usize) -> String {
        let mut out = String::new();
        let span =
            self.span().map_or_else(|| "no data".to_owned(), |(a, b)| format!("{} → {}", short_time(a), short_time(b)));
        out.push_str(&format!(
            "Backtest of {} over {span} (UTC): {} things, {} datapoints ({:.2} s)\n",
            self.name,
            self.data.things().len(),
            self.data.len(),
            self.seconds
        ));
        if let Some(n) = &self.note {
            out.push_str(&format!("note: {n}\n"));
        }
        for w in &self.warnings {
            // Thing names come from the data: one line each, whatever they hold.
            out.push_str(&format!("warning: {}\n", crate::domain::untrusted::neutralise(w)));
        }
        if self.data.is_empty() {
            out.push_str("note: there are no datapoints for these behaviors' metrics, so nothing could alarm\n");
        }
        out.push_str(&self.alerts_text());
        let old = self.old.map(|(r, _)| r.as_slice());
        for c in compare(self.new, old) {
            let behavior = self
                .behaviors
                .iter()
                .chain(self.old.map(|(_, b)| b.as_slice()).unwrap_or_default())
                .find(|b| b.name == c.name);
            let said = behavior.map(words).unwrap_or_default();
            out.push_str(&format!("\n{}: {said}\n", c.name));
            let line = match (self.old.is_some(), c.old, c.new) {
                (false, _, new) => format!("  {}", count(new)),
                (true, None, new) => format!("  new here: {}", count(new)),
                (true, old, None) => format!("  dropped here (on the endpoint: {})", count(old)),
                (true, old, new) => format!("  endpoint: {} → file: {}", count(old), count(new)),
            };
            out.push_str(&line);
            out.push('\n');
            let Some(new) = c.new else { continue };
            if let Some(why) = new.not_evaluated {
                out.push_str(&format!("  ({why})\n"));
                continue;
            }
            for a in new.alarms.iter().take(show) {
                let end = a.end.map_or_else(|| "still in alarm".to_owned(), |e| format!("cleared {}", short_time(e)));
                out.push_str(&format!(
                    "  {}  {}  value {}  {end}\n",
                    a.thing,
                    short_time(a.start),
                    value_words(&a.value)
                ));
            }
            if new.alarms.len() > show {
                out.push_str(&format!("  … and {} more (--show N lists more)\n", new.alarms.len() - show));
            }
        }
        out
    }

    fn json(&self) -> Value {
        let old = self.old.map(|(r, _)| r.as_slice());
        let result = |r: Option<&BehaviorResult>| -> Value {
            let Some(r) = r else { return Value::Null };
            json!({
                "alarms": r.alarms.len(),
                "things": r.things(),
                "notEvaluated": r.not_evaluated,
                "violations": r.alarms.iter().map(|a| json!({
                    "thingName": &*a.thing,
                    "startTime": iso8601(a.start as f64),
                    "value": serde_json::to_value(a.value.to_metric_value(false)).unwrap_or_default(),
                    "endTime": a.end.map(|e| iso8601(e as f64)),
                })).collect::<Vec<_>>(),
            })
        };
        let behaviors: Vec<Value> = compare(self.new, old)
            .into_iter()
            .map(|c| {
                let b = self.behaviors.iter().find(|b| b.name == c.name);
                let mut v = json!({"name": c.name, "criteria": b.map(words), "file": result(c.new)});
                if self.old.is_some() {
                    v["endpoint"] = result(c.old);
                }
                v
            })
            .collect();
        let span = self.span();
        json!({
            "securityProfileName": self.name,
            "startTime": span.map(|s| iso8601(s.0 as f64)),
            "endTime": span.map(|s| iso8601(s.1 as f64)),
            "things": self.data.things().len(),
            "datapoints": self.data.len(),
            "comparedWithEndpoint": self.old.is_some(),
            "note": self.note,
            "warnings": self.warnings,
            "behaviors": behaviors,
            "alerts": self.alerts_json(),
        })
    }

    /// The messages each alert target would have received (Detect sends one
    /// per in-alarm, alarm-cleared and alarm-invalidated event of a behavior
    /// that does not suppress alerts), and the busiest day.
    fn alert_volume(&self) -> AlertVolume {
        volume(self.behaviors, self.new)
    }

    fn alerts_text(&self) -> String {
        let Some(targets) = self.alert_targets.filter(|t| !t.is_empty()) else {
            return String::new();
        };
        let v = self.alert_volume();
        let mut out = String::new();
        for (kind, t) in targets {
            let busiest = v.busiest_day.map_or_else(String::new, |(day, n)| {
                format!("; busiest day {} with {n}", iso8601(day as f64).chars().take(10).collect::<String>())
            });
            out.push_str(&format!(
                "alerts: {} message{} to {kind} {}{busiest}\n",
                v.messages,
                plural(v.messages),
                t.alert_target_arn
            ));
        }
        out
    }

    fn alerts_json(&self) -> Value {
        let v = self.alert_volume();
        let targets = self.alert_targets.into_iter().flatten();
        Value::Array(
            targets
                .map(|(kind, t)| {
                    json!({
                        "alertTargetType": kind,
                        "alertTargetArn": t.alert_target_arn,
                        "messages": v.messages,
                        "busiestDay": v.busiest_day.map(|(d, n)| json!({
                            "date": iso8601(d as f64).chars().take(10).collect::<String>(),
                            "messages": n,
                        })),
                    })
                })
                .collect(),
        )
    }
}
