//! `ddsp backtest FILE (--metrics EXPORT… | --endpoint) [--from --to]`: which
//! things each behavior of a profile file would have alarmed over real metric
//! data, and how that compares with the profile of the same name on the
//! endpoint ("alarm when messages sent ≥ 100 in 5 minutes: 340 alarms → 12").
//! The data comes from metrics-export files (gzip too), or from the endpoint
//! (ListMetricValues for the things the profile's targets hold).

use std::collections::BTreeSet;
use std::time::Instant;

use clap::Args;
use serde_json::{Value, json};

use super::bad_parameter;
use super::plan::{failed_code, read_all, runtime};
use crate::cli::exit;
use crate::cli::global::GlobalArgs;
use crate::client::{ClientError, Connection, connect, operations, targets, violations};
use crate::domain::backtest::{BehaviorResult, compare, run_until};
use crate::domain::choices::describe;
use crate::domain::metric_data::{Builder, MetricData, MetricKey, Reported};
use crate::domain::profile::Behavior;
use crate::domain::targets::Target;
use crate::domain::untrusted::neutralise;
use crate::domain::value_text::value_text;
use crate::wire::metric_reports::read_export_from;
use crate::wire::time::{iso8601, parse_time};

/// How far back `--endpoint` reads without `--from`: the 14 days Detect's ML models train on.
const DEFAULT_PERIOD: i64 = 14 * 86_400;

#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// The profile file (the create-security-profile --cli-input-json/yaml document).
    pub file: String,
    /// Metrics-export files (the batches Detect publishes to metricsExportConfig's topic; .gz read as gzip).
    #[arg(long, num_args = 1.., conflicts_with = "endpoint")]
    pub metrics: Vec<String>,
    /// Read the data from the endpoint instead: ListMetricValues for the things the profile's targets hold.
    #[arg(long)]
    pub endpoint: bool,
    /// Only data from this time on (2024-05-01T00:00:00Z, 2024-05-01 or epoch seconds).
    #[arg(long)]
    pub from: Option<String>,
    /// Only data before this time.
    #[arg(long)]
    pub to: Option<String>,
    /// Do not compare with the endpoint's profile (no connection at all with --metrics).
    #[arg(long, conflicts_with = "endpoint")]
    pub offline: bool,
    /// Alarms listed per behavior (the counts are always whole).
    #[arg(long, default_value_t = 10)]
    pub show: usize,
}

pub fn run_backtest(args: BacktestArgs, global: &GlobalArgs) -> u8 {
    if args.metrics.is_empty() && !args.endpoint {
        return bad_parameter("backtest needs data: --metrics EXPORT… (metrics-export files) or --endpoint");
    }
    let window =
        match (args.from.as_deref().map(parse_time).transpose(), args.to.as_deref().map(parse_time).transpose()) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(e), _) => return bad_parameter(&format!("--from: {e}")),
            (_, Err(e)) => return bad_parameter(&format!("--to: {e}")),
        };
    if let (Some(from), Some(to)) = window
        && from >= to
    {
        return bad_parameter("--to is not after --from: the window would hold nothing");
    }
    let files = match read_all(std::slice::from_ref(&args.file)) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let Some(file) = files.into_iter().next() else {
        return bad_parameter(&format!("{}: no profile file there", neutralise(&args.file)));
    };
    let behaviors = file.profile.behaviors.clone().unwrap_or_default();
    let name = file.profile.security_profile_name.clone();
    let started = Instant::now();
    // Offline data first: a bad file is reported before anything connects.
    let offline_data = if args.endpoint {
        None
    } else {
        match read_exports(&args.metrics) {
            Ok(d) => Some(d.between(window.0, window.1)),
            Err(code) => return code,
        }
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let options = global.connect_options();
    let want_endpoint = args.endpoint || !args.offline;
    let outcome: Result<Sides, ClientError> = rt.block_on(async {
        if !want_endpoint {
            return Ok((offline_data.unwrap_or_default(), None, None));
        }
        let c = match connect(&options).await {
            Ok(c) => c,
            Err(e) if !args.endpoint => {
                let note = format!("not compared with the endpoint: {e}");
                return Ok((offline_data.unwrap_or_default(), None, Some(note)));
            }
            Err(e) => return Err(e),
        };
        let result = endpoint_side(&c, &name, &behaviors, offline_data, window, args.endpoint).await;
        c.close().await;
        result
    });
    let (data, old, note) = match outcome {
        Ok(o) => o,
        Err(e) => {
            eprintln!("\n{}", neutralise(&e.to_string()));
            return failed_code(&e);
        }
    };
    // From the endpoint, a window still filling at the end is not judged (as the sandbox does).
    let horizon = args.endpoint.then(|| window.1.unwrap_or_else(now_seconds));
    let new = run_until(&behaviors, &data, horizon);
    let old = old.map(|b| (run_until(&b, &data, horizon), b));
    let seconds = started.elapsed().as_secs_f64();
    let report =
        Report { name: &name, data: &data, behaviors: &behaviors, new: &new, old: old.as_ref(), note, seconds };
    if global.output == Some(crate::cli::output::OutputFormat::Json) {
        println!("{}", crate::wire::skeleton::json_text(&report.json()).trim_end());
    } else {
        print!("{}", crate::domain::untrusted::neutralise_lines(&report.text(args.show)));
    }
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
    (from, to): (Option<i64>, Option<i64>),
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
    let mut things = BTreeSet::new();
    let mut note = None;
    if old.is_none() {
        let note = format!("{name} is not on the endpoint, so the things it would watch are unknown; give --metrics");
        return Ok((MetricData::default(), None, Some(note)));
    }
    {
        for arn in targets::all_targets(c, name).await? {
            let Some(target) = Target::of_arn(&arn) else { continue };
            if target == Target::AllUnregistered {
                note = Some("unregistered things cannot be listed; give --metrics to include them".to_owned());
            }
            things.extend(violations::things_of_target(c, &target).await?);
        }
    }
    if things.is_empty() {
        note = Some(format!(
            "{name} on the endpoint watches no thing that can be listed; attach it to a thing group, or give --metrics"
        ));
    }
    let mut keys: Vec<MetricKey> = behaviors
        .iter()
        .chain(old.iter().flatten())
        .filter_map(|b| b.metric.as_deref().map(|m| MetricKey::of_behavior(m, b.metric_dimension.as_ref())))
        .collect();
    keys.sort();
    keys.dedup();
    let to = to.unwrap_or_else(now_seconds);
    // From a day boundary by default, so that no window starts half read.
    let from = from.unwrap_or_else(|| to.saturating_sub(DEFAULT_PERIOD).div_euclid(86_400) * 86_400);
    let things: Vec<String> = things.into_iter().collect();
    let data = violations::metric_data(c, &things, &keys, (from, to)).await?;
    Ok((data, old, note))
}

/// Now, in epoch seconds.
fn now_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Reads every metrics-export file; each bad one is reported (exit 252), none is half-read.
fn read_exports(paths: &[String]) -> Result<MetricData, u8> {
    let mut b = Builder::default();
    let mut bad = false;
    for path in paths {
        let shown = neutralise(path);
        let mut readings = Vec::new();
        let read = std::fs::File::open(path).map_err(|e| e.to_string()).and_then(|file| {
            read_export_from(file, |r| {
                readings.push(r);
                Ok(())
            })
            .map_err(|e| e.to_string())
        });
        match read {
            Ok(_) => {
                for r in readings {
                    b.push(&r.thing, r.key, r.time, r.version, r.value);
                }
            }
            Err(e) => {
                eprintln!("{shown}: {e}");
                bad = true;
            }
        }
    }
    if bad { Err(exit::BAD_PARAMETERS) } else { Ok(b.finish()) }
}

/// What a backtest found, for printing.
struct Report<'a> {
    name: &'a str,
    data: &'a MetricData,
    behaviors: &'a [Behavior],
    new: &'a [BehaviorResult],
    old: Option<&'a (Vec<BehaviorResult>, Vec<Behavior>)>,
    note: Option<String>,
    seconds: f64,
}

/// The behavior's criteria in words ("alarm when messages sent ≥ 100 in 5 minutes").
fn words(b: &Behavior) -> String {
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

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn short_time(t: i64) -> String {
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
        if self.data.is_empty() {
            out.push_str("note: there are no datapoints for these behaviors' metrics, so nothing could alarm\n");
        }
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
            "behaviors": behaviors,
        })
    }
}
