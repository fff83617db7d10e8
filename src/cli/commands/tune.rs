//! `ddsp tune FILE (--metrics EXPORT… | --endpoint) [--from --to]
//! [--alarms-per-week N | --things N] [--behavior NAME…] [--share PCT]
//! [--out FILE]`: for each behavior of a profile file, the criterion that
//! would have raised at most a budget of alarms over the fleet's own data,
//! with what nearby choices would have cost (`domain/tune`). `--out` writes
//! the file with the suggestions, ready for `plan`, and prints the diff.

use std::time::Instant;

use clap::Args;
use serde_json::{Value, json};

use super::backtest::{plural, short_time, words};
use super::bad_parameter;
use super::metric_source::{
    DataArgs, endpoint_data, endpoint_targets, now_seconds, read_exports, read_profile_file, span,
};
use super::runtime;
use crate::cli::exit;
use crate::cli::global::GlobalArgs;
use crate::client::{ClientError, operations};
use crate::domain::backtest::run_until;
use crate::domain::metric_data::MetricData;
use crate::domain::profile::Behavior;
use crate::domain::running_totals;
use crate::domain::tune::threshold::{Limit, Row};
use crate::domain::tune::{DEFAULT_SHARE, Outcome, allowed_alarms, tune};
use crate::domain::untrusted::{neutralise, neutralise_lines};
use crate::endpoint::connect;
use crate::wire::diff::diff;
use crate::wire::input::{Format, parse};
use crate::wire::plan::ProfileFile;

#[derive(Debug, Args)]
pub struct TuneArgs {
    /// The profile file (the create-security-profile --cli-input-json/yaml document).
    pub file: String,
    #[command(flatten)]
    pub data: DataArgs,
    /// The budget: at most N alarms a week over every thing (default 1), counted over the data's span.
    #[arg(long, value_name = "N", conflicts_with = "things")]
    pub alarms_per_week: Option<f64>,
    /// The budget instead: at most N things alarmed over the whole data.
    #[arg(long, value_name = "N")]
    pub things: Option<u64>,
    /// Only these behaviors (by name).
    #[arg(long, num_args = 1.., value_name = "NAME")]
    pub behavior: Vec<String>,
    /// An allow-list keeps each port, address or item used by at least this share of things (percent).
    #[arg(long, value_name = "PCT", default_value_t = DEFAULT_SHARE * 100.0)]
    pub share: f64,
    /// With --endpoint, read the things this profile's targets hold (an observe profile) instead of the file's own.
    #[arg(long, value_name = "PROFILE", requires = "endpoint")]
    pub things_of: Option<String>,
    /// Write the profile file with the suggestions here (JSON or YAML as FILE was), and print the diff.
    #[arg(long, value_name = "FILE")]
    pub out: Option<String>,
}

/// One behavior's outcome, and what its current criterion raised.
struct Tuned<'a> {
    behavior: &'a Behavior,
    outcome: Outcome,
    /// (alarms, things) of the behavior as it is, when it could be evaluated.
    now: Option<(u64, u64)>,
}

pub fn run_tune(args: TuneArgs, global: &GlobalArgs) -> u8 {
    let window = match args.data.window("tune") {
        Ok(w) => w,
        Err(code) => return code,
    };
    if !(0.0..=100.0).contains(&args.share) {
        return bad_parameter("--share is a percentage: 0 to 100");
    }
    if let Some(n) = args.alarms_per_week
        && !(n.is_finite() && n >= 0.0)
    {
        return bad_parameter("--alarms-per-week is a number of alarms: 0 or more");
    }
    let file = match read_profile_file(&args.file) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let all = file.profile.behaviors.clone().unwrap_or_default();
    if let Some(unknown) = args.behavior.iter().find(|n| all.iter().all(|b| &b.name != *n)) {
        let names: Vec<&str> = all.iter().map(|b| b.name.as_str()).collect();
        return bad_parameter(&format!(
            "--behavior {}: the file has no behavior of that name (it has {})",
            neutralise(unknown),
            if names.is_empty() { "none".to_owned() } else { neutralise(&names.join(", ")).into_owned() }
        ));
    }
    let chosen: Vec<&Behavior> =
        all.iter().filter(|b| args.behavior.is_empty() || args.behavior.contains(&b.name)).collect();
    let started = Instant::now();
    let (data, note, read) = if args.data.endpoint {
        match endpoint(&file, args.things_of.as_deref(), &chosen, window, global) {
            Ok(d) => d,
            Err(code) => return code,
        }
    } else {
        match read_exports(&args.data.metrics) {
            Ok(d) => (d.between(window.0, window.1), None, None),
            Err(code) => return code,
        }
    };
    let span = span(&data, read.map_or(window, |(f, t)| (Some(f), Some(t))));
    let limit = match args.things {
        Some(n) => Limit::Things(n),
        None => Limit::Alarms(allowed_alarms(args.alarms_per_week.unwrap_or(1.0), span)),
    };
    let horizon = args.data.endpoint.then(|| window.1.unwrap_or_else(now_seconds));
    let tuned: Vec<Tuned> = chosen
        .iter()
        .map(|b| {
            let outcome = tune(b, &data, horizon, limit, args.share / 100.0);
            let now = run_until(std::slice::from_ref(*b), &data, horizon)
                .pop()
                .filter(|r| r.not_evaluated.is_none())
                .map(|r| (r.alarms.len() as u64, r.things() as u64));
            Tuned { behavior: b, outcome, now }
        })
        .collect();
    let report = Report {
        name: &file.profile.security_profile_name,
        data: &data,
        span,
        window: read,
        limit,
        per_week: args.alarms_per_week.unwrap_or(1.0),
        tuned: &tuned,
        note,
        warnings: running_totals::warnings(&data, 5),
        seconds: started.elapsed().as_secs_f64(),
    };
    if global.output == Some(crate::cli::output::OutputFormat::Json) {
        println!("{}", crate::wire::skeleton::json_text(&report.json()).trim_end());
    } else {
        print!("{}", neutralise_lines(&report.text()));
    }
    match &args.out {
        Some(out) => write_out(&args.file, out, &tuned, global),
        None => exit::OK,
    }
}

/// The data, a note on it, and the window it was read over.
type Read = (MetricData, Option<String>, Option<(i64, i64)>);

/// The endpoint's data for the chosen behaviors: over the things the
/// endpoint's profile `things_of` (by default the file's) watches, or, when
/// the endpoint has no profile of the file's name, the targets the file's
/// `x-ddsp` names.
fn endpoint(
    file: &ProfileFile,
    things_of: Option<&str>,
    chosen: &[&Behavior],
    window: (Option<i64>, Option<i64>),
    global: &GlobalArgs,
) -> Result<Read, u8> {
    let rt = runtime()?;
    let name = things_of.unwrap_or(&file.profile.security_profile_name);
    let from_file = if things_of.is_some() { None } else { file.targets().ok().flatten() };
    let options = global.connect_options();
    let outcome: Result<Read, ClientError> = rt.block_on(async {
        let c = connect(&options).await?;
        let result = async {
            let targets = match operations::describe(&c, name).await {
                Ok(_) => endpoint_targets(&c, name).await?,
                Err(ClientError::Service { ref code, .. })
                    if code == "ResourceNotFoundException" && things_of.is_some() =>
                {
                    return Err(ClientError::Service {
                        operation: "DescribeSecurityProfile",
                        code: code.clone(),
                        message: format!("--things-of {name}: the endpoint has no profile of that name"),
                    });
                }
                Err(ClientError::Service { ref code, .. }) if code == "ResourceNotFoundException" => match &from_file {
                    Some(t) => t.clone(),
                    None => {
                        let note = format!(
                            "{name} is not on the endpoint and the file names no x-ddsp targets, so the things \
                                 to read are unknown; give --metrics, or targets in the file"
                        );
                        return Ok((MetricData::default(), Some(note), None));
                    }
                },
                Err(e) => return Err(e),
            };
            let read = endpoint_data(&c, &targets, chosen, window).await?;
            let note = if read.things == 0 {
                Some(format!("{name}'s targets hold no thing that can be listed; give --metrics"))
            } else {
                read.note
            };
            // The budget is counted over the window read.
            Ok((read.data, note, Some(read.window)))
        }
        .await;
        c.close().await;
        result
    });
    outcome.map_err(|e| super::failed(&e))
}

/// Writes the file with every suggestion applied, in its own format, and prints the diff.
fn write_out(input: &str, out: &str, tuned: &[Tuned], global: &GlobalArgs) -> u8 {
    let text = match std::fs::read_to_string(input) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", neutralise(input));
            return exit::OTHER;
        }
    };
    let format = Format::detect(&text);
    let Ok(before) = parse::<Value>(&text, format) else {
        eprintln!("{}: changed since it was read; nothing written", neutralise(input));
        return exit::OTHER;
    };
    let mut after = before.clone();
    if let Some(list) = after.get_mut("behaviors").and_then(Value::as_array_mut) {
        for item in list.iter_mut() {
            let Some(t) = tuned.iter().find(|t| item.get("name").and_then(Value::as_str) == Some(&t.behavior.name))
            else {
                continue;
            };
            let mut b = t.behavior.clone();
            if t.outcome.apply(&mut b)
                && let Some(criteria) = b.criteria.and_then(|c| serde_json::to_value(c).ok())
            {
                item["criteria"] = criteria;
            }
        }
    }
    let written = match format {
        Format::Json => crate::wire::skeleton::json_text(&after),
        Format::Yaml => crate::wire::yaml_out::to_yaml(&after, &|_| None),
    };
    if let Err(e) = write_whole(out, &written) {
        eprintln!("{}: {e}", neutralise(out));
        return exit::OTHER;
    }
    let changes = diff(&before, &after);
    println!("\nWrote {} ({} change{}):", neutralise(out), changes.len(), plural(changes.len()));
    for c in &changes {
        println!("  {}", neutralise(&c.to_string()));
    }
    if !changes.is_empty() {
        println!("Next: ddsp plan {}{}", neutralise(out), neutralise(&global.connection_flags()));
    }
    exit::OK
}

/// Writes `text` to `path` whole or not at all (`private_files::write_whole`).
fn write_whole(path: &str, text: &str) -> std::io::Result<()> {
    crate::private_files::write_whole(std::path::Path::new(path), |out| out.write_all(text.as_bytes()))
}

/// Rows shown around the suggestion: the first (fewest alarms), two more lenient, then the stricter ones.
const LENIENT_ROWS: usize = 2;

/// What tune found, for printing.
struct Report<'a> {
    name: &'a str,
    data: &'a MetricData,
    /// The seconds the budget is counted over: the window read (the endpoint's
    /// 14 days from a day's start), else the data's own.
    span: i64,
    /// The window read from the endpoint (epoch seconds), shown as the span tuned over.
    window: Option<(i64, i64)>,
    limit: Limit,
    per_week: f64,
    tuned: &'a [Tuned<'a>],
    note: Option<String>,
    warnings: Vec<String>,
    seconds: f64,
}

/// A threshold as the criteria's value writes it.
fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { format!("{v:.0}") } else { format!("{v}") }
}

fn counts(alarms: u64, things: u64) -> String {
    format!("{alarms} alarm{} on {things} thing{}", plural(alarms as usize), plural(things as usize))
}

/// The rows worth showing, with the suggestion's and the knee's positions among them.
fn shown_rows(rows: &[Row], suggested: Option<usize>) -> (Vec<Row>, Option<usize>, Option<usize>) {
    let Some(s) = suggested else {
        let keep = rows.len().min(LENIENT_ROWS + 1 + 4);
        return (rows[rows.len() - keep..].to_vec(), None, None);
    };
    let mut picked: Vec<usize> = vec![0];
    picked.extend(s.saturating_sub(LENIENT_ROWS).max(1)..rows.len());
    picked.dedup();
    let shown: Vec<Row> = picked.iter().map(|i| rows[*i]).collect();
    let at = picked.iter().position(|i| *i == s);
    // The knee: past the suggestion, where things alarmed grow the most
    // against the row before, then alarms; the first of equals.
    let jump = |i: usize| {
        let ratio = |now: u64, before: u64| now as f64 / before.max(1) as f64;
        (ratio(shown[i].things, shown[i - 1].things), ratio(shown[i].alarms, shown[i - 1].alarms))
    };
    let knee = at.and_then(|at| {
        (at + 1..shown.len()).filter(|i| shown[*i].alarms > shown[*i - 1].alarms).fold(
            None,
            |best: Option<usize>, i| match best {
                Some(b) if jump(b).0.total_cmp(&jump(i).0).then(jump(b).1.total_cmp(&jump(i).1)).is_ge() => Some(b),
                _ => Some(i),
            },
        )
    });
    (shown, at, knee)
}

impl Report<'_> {
    fn budget_words(&self) -> String {
        let days = self.span as f64 / 86_400.0;
        match self.limit {
            Limit::Things(n) => format!("at most {n} thing{} alarmed over {days:.1} days", plural(n as usize)),
            Limit::Alarms(n) => format!(
                "at most {} alarm{} a week over every thing: {n} alarm{} in {days:.1} days",
                number(self.per_week),
                if self.per_week == 1.0 { "" } else { "s" },
                plural(n as usize)
            ),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        // The span the budget counts: the window read, else from the first datapoint to the last.
        let seen =
            self.data.keys().flat_map(|k| self.data.series(k)).filter_map(|s| s.times.first().zip(s.times.last()));
        let span = self.window.or_else(|| {
            seen.fold(None, |acc: Option<(i64, i64)>, (a, b)| {
                Some(acc.map_or((*a, *b), |(x, y)| (x.min(*a), y.max(*b))))
            })
        });
        let span = span.map_or_else(|| "no data".to_owned(), |(a, b)| format!("{} → {}", short_time(a), short_time(b)));
        out.push_str(&format!(
            "Tune of {} over {span} (UTC): {} things, {} datapoints ({:.2} s)\nBudget: {}.\n",
            self.name,
            self.data.things().len(),
            self.data.len(),
            self.seconds,
            self.budget_words()
        ));
        if let Some(n) = &self.note {
            out.push_str(&format!("note: {n}\n"));
        }
        for w in &self.warnings {
            // Thing names come from the data: one line each, whatever they hold.
            out.push_str(&format!("warning: {}\n", crate::domain::untrusted::neutralise(w)));
        }
        if self.tuned.is_empty() {
            out.push_str("\nThe file has no behaviors to tune.\n");
        }
        for t in self.tuned {
            out.push_str(&format!("\n{}: {}\n", t.behavior.name, words(t.behavior)));
            if let Some((alarms, things)) = t.now {
                out.push_str(&format!("  as it is: {}\n", counts(alarms, things)));
            }
            match &t.outcome {
                Outcome::NotTuned(why) => out.push_str(&format!("  not tuned: {why}\n")),
                Outcome::Threshold { comparison, search, .. } => {
                    out.push_str(&threshold_text(t.behavior, &t.outcome, comparison.whole, search))
                }
                Outcome::Statistic { search, .. } => out.push_str(&statistic_text(search)),
                Outcome::AllowList { list, alarms, things, share } => {
                    out.push_str(&allow_list_text(list, *alarms, *things, *share))
                }
            }
        }
        out
    }

    fn json(&self) -> Value {
        let behaviors: Vec<Value> = self
            .tuned
            .iter()
            .map(|t| {
                let mut v = json!({"name": t.behavior.name, "criteria": words(t.behavior)});
                if let Some((alarms, things)) = t.now {
                    v["current"] = json!({"alarms": alarms, "things": things});
                }
                let mut tuned = t.behavior.clone();
                if t.outcome.apply(&mut tuned) {
                    v["suggestedCriteria"] = serde_json::to_value(&tuned.criteria).unwrap_or_default();
                }
                match &t.outcome {
                    Outcome::NotTuned(why) => v["notTuned"] = json!(why),
                    Outcome::Threshold { comparison, search, current } => {
                        let row = |r: &Row| json!({"value": r.value, "alarms": r.alarms, "things": r.things});
                        v["threshold"] = json!({
                            "field": if comparison.whole { "count" } else { "number" },
                            "current": current,
                            "suggested": search.suggested.map(|i| row(&search.rows[i])),
                            "neverExceeded": search.never_exceeded,
                            "belowZero": search.below_zero,
                            "evaluations": search.evaluations,
                            "candidates": search.rows.iter().map(row).collect::<Vec<_>>(),
                        });
                    }
                    Outcome::Statistic { search, current } => {
                        v["statistic"] = json!({
                            "current": current,
                            "suggested": search.suggested.map(|i| search.rows[i].statistic),
                            "candidates": search.rows.iter().map(|r| json!({"statistic": r.statistic, "alarms": r.alarms, "things": r.things})).collect::<Vec<_>>(),
                        });
                    }
                    Outcome::AllowList { list, alarms, things, share } => {
                        v["allowList"] = json!({
                            "share": share,
                            "things": list.things,
                            "alarms": alarms,
                            "thingsAlarmed": things,
                            "items": list.items.iter().map(|i| json!({"item": i.text, "things": i.things, "share": i.share})).collect::<Vec<_>>(),
                        });
                    }
                }
                v
            })
            .collect();
        let budget = match self.limit {
            Limit::Alarms(n) => json!({"alarmsPerWeek": self.per_week, "alarms": n, "seconds": self.span}),
            Limit::Things(n) => json!({"things": n, "seconds": self.span}),
        };
        json!({
            "securityProfileName": self.name,
            "things": self.data.things().len(),
            "datapoints": self.data.len(),
            "budget": budget,
            "note": self.note,
            "warnings": self.warnings,
            "behaviors": behaviors,
        })
    }
}

/// A static threshold's tuning: the value suggested (or why none), then the
/// alarms and things of each value tried, the suggestion and the knee marked.
fn threshold_text(
    behavior: &Behavior,
    outcome: &Outcome,
    whole: bool,
    search: &crate::domain::tune::threshold::Search,
) -> String {
    let mut out = String::new();
    let field = if whole { "count" } else { "number" };
    match search.suggested.map(|i| search.rows[i]) {
        Some(row) => {
            let mut b = behavior.clone();
            outcome.apply(&mut b);
            out.push_str(&format!(
                "  suggested {field} {}: {} ({})\n",
                number(row.value),
                counts(row.alarms, row.things),
                words(&b)
            ));
        }
        None if search.below_zero => {
            out.push_str("  no count meets the budget: it would need a value below 0, which the service refuses\n")
        }
        None if search.evaluations == 0 => {
            out.push_str("  no data for its metric in this window: nothing to tune from\n")
        }
        None if search.never_exceeded => out.push_str(&format!(
            "  no threshold raises more than the budget over this data ({} evaluations): too little \
                 data to tune\n",
            search.evaluations
        )),
        None => out.push_str("  no threshold meets the budget: values that are not numbers violate at any threshold\n"),
    }
    let (rows, at, knee) = shown_rows(&search.rows, search.suggested);
    if !rows.is_empty() {
        out.push_str(&format!("  {:>14}  {:>8}  {:>7}\n", field, "alarms", "things"));
    }
    for (i, r) in rows.iter().enumerate() {
        let mark = if Some(i) == at {
            "  ← suggested"
        } else if Some(i) == knee {
            "  ← knee"
        } else {
            ""
        };
        out.push_str(&format!("  {:>14}  {:>8}  {:>7}{mark}\n", number(r.value), r.alarms, r.things));
    }
    out
}

/// A statistical threshold's tuning: the statistic suggested (or why none),
/// then the alarms and things of each statistic.
fn statistic_text(search: &crate::domain::tune::statistic::StatisticSearch) -> String {
    let mut out = String::new();
    match search.suggested.map(|i| &search.rows[i]) {
        Some(row) => {
            out.push_str(&format!("  suggested statistic {}: {}\n", row.statistic, counts(row.alarms, row.things)))
        }
        None => out.push_str(
            "  every statistic raises more than the budget: the fleet's top share alarms in every \
                 window; try a static threshold\n",
        ),
    }
    out.push_str(&format!("  {:>9}  {:>8}  {:>7}\n", "statistic", "alarms", "things"));
    for (i, r) in search.rows.iter().enumerate() {
        let mark = if Some(i) == search.suggested { "  ← suggested" } else { "" };
        out.push_str(&format!("  {:>9}  {:>8}  {:>7}{mark}\n", r.statistic, r.alarms, r.things));
    }
    out
}

/// An allow-list's tuning: the items used by at least `share` of the things
/// (twenty at most shown), with what the list would have raised.
fn allow_list_text(list: &crate::domain::tune::allow_list::AllowList, alarms: u64, things: u64, share: f64) -> String {
    let mut out = String::new();
    let kept = list.items.iter().filter(|i| i.share >= share).count();
    out.push_str(&format!(
        "  suggested: the {kept} used by at least {}% of {} things: {}\n",
        number(share * 100.0),
        list.things,
        counts(alarms, things)
    ));
    let width = list.items.iter().take(20).map(|i| i.text.chars().count()).max().unwrap_or(0);
    for item in list.items.iter().take(20) {
        let mark = if item.share >= share { "" } else { "  (left out)" };
        out.push_str(&format!(
            "  {:>width$}  {:>5.1}%  {:>6} thing{}{mark}\n",
            neutralise(&item.text),
            item.share * 100.0,
            item.things,
            plural(item.things as usize)
        ));
    }
    if list.items.len() > 20 {
        out.push_str(&format!("  … and {} more (--output json lists all)\n", list.items.len() - 20));
    }
    out
}
