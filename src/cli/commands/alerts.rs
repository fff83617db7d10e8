//! `ddsp sandbox alerts`: the alerts a running sandbox sent (or kept) for
//! profiles' SNS alert targets, one JSON document per line, oldest first;
//! `--output table` prints one row per alert, `--output yaml|text` and
//! `--query` print `{"alerts": [...]}` as every command prints its answer
//! (times as the epoch seconds sent: the message's own are milliseconds);
//! `--follow` keeps listing them as they are made, and again when an alert's
//! delivery changes, until Ctrl-C. The sandbox is the one at
//! `--endpoint-url`, else the default `http://127.0.0.1:7411`, signed with
//! the environment's keys when set (as `ddsp sandbox` takes them) or the
//! sandbox's documented ones, for `--region`, the environment's region, or
//! the sandbox's default.

use std::io::Write;
use std::time::Duration;

use clap::Args;
use serde_json::Value;

use crate::cli::exit;
use crate::cli::global::GlobalArgs;
use crate::cli::output::{OutputFormat, OutputSettings, TimestampFormat, render};
use crate::client::sandbox_calls::{AlertsQuery, alerts_page};
use crate::client::{ClientError, Connection};
use crate::domain::untrusted::neutralise;

/// How often `--follow` asks for new alerts.
const FOLLOW_EVERY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Args)]
pub struct AlertsArgs {
    /// Keep listing alerts as the sandbox makes them, until Ctrl-C.
    #[arg(long)]
    pub follow: bool,
    /// Only the alerts sent to this SNS topic.
    #[arg(long, value_name = "ARN")]
    pub topic: Option<String>,
    /// Only the alerts of this violation.
    #[arg(long)]
    pub violation_id: Option<String>,
    /// Only the alerts about this thing.
    #[arg(long)]
    pub thing_name: Option<String>,
    /// Only the alerts of this security profile.
    #[arg(long)]
    pub security_profile_name: Option<String>,
}

/// The connection: `--sandbox` as every command takes it, else the sandbox
/// at `--endpoint-url` (default: the local one), which needs no AWS
/// configuration: its keys are the environment's or its documented ones.
async fn connect(global: &GlobalArgs) -> Result<Connection, ClientError> {
    if global.sandbox {
        return crate::endpoint::connect(&global.connect_options()).await;
    }
    let url =
        global.endpoint_url.clone().unwrap_or_else(|| format!("http://127.0.0.1:{}", crate::sandbox::DEFAULT_PORT));
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let keys = match (env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY")) {
        (Some(access_key), Some(secret_key)) => crate::sandbox::Keys { access_key, secret_key },
        _ => crate::sandbox::default_keys(),
    };
    let region = global
        .region
        .clone()
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .unwrap_or_else(|| crate::sandbox::DEFAULT_REGION.to_owned());
    Ok(Connection::to_sandbox(&url, &keys, &region))
}

/// How the alerts are printed.
enum Shown {
    /// One JSON document per line (the default, and `--output json`).
    Lines,
    /// One row per alert (`--output table`).
    Table,
    /// `{"alerts": [...]}` as every command prints its answer (`--output yaml|text`, `--query`).
    Rendered(OutputSettings),
}

pub fn run(args: AlertsArgs, global: &GlobalArgs) -> u8 {
    let mut settings = global.output_settings();
    // The message's own time is milliseconds: times stay as sent.
    settings.timestamps = TimestampFormat::Wire;
    let shown = match (settings.format, &settings.query) {
        (OutputFormat::Json, None) => Shown::Lines,
        (OutputFormat::Table, None) => Shown::Table,
        _ => Shown::Rendered(settings),
    };
    let runtime = match super::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let outcome = runtime.block_on(async {
        let connection = connect(global).await?;
        let listed = tokio::select! {
            r = list(&connection, &args, &shown) => r,
            _ = tokio::signal::ctrl_c() => Ok(()),
        };
        connection.close().await;
        listed
    });
    match outcome {
        Ok(()) => exit::OK,
        Err(e) => super::failed(&e),
    }
}

/// Prints every alert kept, then (with `--follow`) each new one as it comes,
/// and one whose delivery was still PENDING again when it changes.
async fn list(c: &Connection, args: &AlertsArgs, shown: &Shown) -> Result<(), ClientError> {
    let mut query = AlertsQuery {
        topic_arn: args.topic.clone(),
        violation_id: args.violation_id.clone(),
        thing_name: args.thing_name.clone(),
        security_profile_name: args.security_profile_name.clone(),
        max_results: Some(1000),
        ..AlertsQuery::default()
    };
    if matches!(shown, Shown::Table) {
        print(&format!("{}\n", header()));
    }
    // The last alert printed, and those printed while their delivery was PENDING.
    let mut last = 0;
    let mut pending: std::collections::BTreeSet<i64> = std::collections::BTreeSet::new();
    loop {
        query.after = pending.first().map(|p| p - 1).or(Some(last)).filter(|a| *a > 0);
        let mut batch = Vec::new();
        let mut token = None;
        loop {
            let (items, next) = alerts_page(c, &query, token).await?;
            batch.extend(items);
            match next {
                Some(t) => token = Some(t),
                None => break,
            }
        }
        let fresh: Vec<Value> = batch
            .into_iter()
            .filter(|a| {
                let id = a["alertId"].as_i64().unwrap_or_default();
                let still = a["delivery"]["status"] == "PENDING";
                let show = id > last || (pending.contains(&id) && !still);
                if show && !still {
                    pending.remove(&id);
                }
                if show && still {
                    pending.insert(id);
                }
                last = last.max(id);
                show
            })
            .collect();
        if !fresh.is_empty() || !args.follow {
            print(&shown_text(&fresh, shown)?);
        }
        if !args.follow {
            return Ok(());
        }
        tokio::time::sleep(FOLLOW_EVERY).await;
    }
}

/// The alerts as `shown` says.
fn shown_text(alerts: &[Value], shown: &Shown) -> Result<String, ClientError> {
    Ok(match shown {
        Shown::Lines => alerts.iter().map(|a| format!("{a}\n")).collect(),
        Shown::Table => alerts.iter().map(|a| format!("{}\n", row(a))).collect(),
        Shown::Rendered(settings) => render(serde_json::json!({ "alerts": alerts }), "ListSandboxAlerts", settings)
            .map_err(ClientError::Request)?,
    })
}

fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The table's columns and their widths; a longer value is cut (…), the JSON has it whole.
const COLUMNS: [(&str, usize); 6] =
    [("TIME", 20), ("EVENT", 17), ("DELIVERY", 9), ("THING", 24), ("PROFILE / BEHAVIOR", 40), ("TOPIC", 0)];

fn header() -> String {
    COLUMNS.iter().map(|(name, w)| format!("{name:<w$}  ", w = *w)).collect::<String>().trim_end().to_owned()
}

/// One alert as a table row; the names are the user's text, neutralised.
fn row(a: &Value) -> String {
    let s = |k: &str| neutralise(a[k].as_str().unwrap_or("")).into_owned();
    let time = a["violationEventTime"]
        .as_i64()
        .and_then(|t| jiff::Timestamp::from_second(t).ok())
        .map_or_else(String::new, |t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
    let cells = [
        time,
        s("violationEventType"),
        neutralise(a["delivery"]["status"].as_str().unwrap_or("")).into_owned(),
        s("thingName"),
        format!("{} / {}", s("securityProfileName"), s("behaviorName")),
        s("topicArn"),
    ];
    let mut out = String::new();
    for ((_, w), cell) in COLUMNS.iter().zip(cells) {
        let cell = if *w > 0 { crate::tui::widgets::text::fit(&cell, *w) } else { cell };
        out.push_str(&format!("{cell:<w$}  ", w = *w));
    }
    out.trim_end().to_owned()
}
