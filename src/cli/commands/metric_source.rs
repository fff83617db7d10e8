//! Where `backtest` and `tune` read metric data: metrics-export files
//! (`--metrics`, gzip too), or the endpoint (`--endpoint`: ListMetricValues
//! for the things the profile's targets hold), within `--from` / `--to`.

use std::collections::BTreeSet;

use clap::Args;

use super::bad_parameter;
use super::plan::read_all;
use crate::cli::exit;
use crate::client::{ClientError, Connection, targets, violations};
use crate::domain::metric_data::{Builder, MetricData, MetricKey};

use crate::domain::profile::Behavior;
use crate::domain::targets::Target;
use crate::domain::untrusted::neutralise;
use crate::wire::metric_reports::read_export_from;
use crate::wire::plan::ProfileFile;
use crate::wire::time::parse_time;

/// How far back `--endpoint` reads without `--from`: the 14 days Detect's ML models train on.
pub const DEFAULT_PERIOD: i64 = 14 * 86_400;

/// The data options both commands take.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Metrics-export files, or folders of them (the batches Detect publishes to metricsExportConfig's
    /// topic; .gz read as gzip).
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
}

impl DataArgs {
    /// `--from` and `--to` in epoch seconds. Errors (exit 252, said on
    /// stderr): no data source, a time that does not parse, or an empty window.
    pub fn window(&self, command: &str) -> Result<(Option<i64>, Option<i64>), u8> {
        if self.metrics.is_empty() && !self.endpoint {
            return Err(bad_parameter(&format!(
                "{command} needs data: --metrics EXPORT… (metrics-export files) or --endpoint"
            )));
        }
        self.times()
    }

    /// `--from` and `--to` alone, checked as `window` checks them.
    pub fn times(&self) -> Result<(Option<i64>, Option<i64>), u8> {
        let window =
            match (self.from.as_deref().map(parse_time).transpose(), self.to.as_deref().map(parse_time).transpose()) {
                (Ok(f), Ok(t)) => (f, t),
                (Err(e), _) => return Err(bad_parameter(&format!("--from: {e}"))),
                (_, Err(e)) => return Err(bad_parameter(&format!("--to: {e}"))),
            };
        if let (Some(from), Some(to)) = window
            && from >= to
        {
            return Err(bad_parameter("--to is not after --from: the window would hold nothing"));
        }
        Ok(window)
    }
}

/// Reads the one profile file `backtest` and `tune` take, checked as `plan`
/// checks files. Errors (said on stderr): the exit code.
pub fn read_profile_file(path: &str) -> Result<ProfileFile, u8> {
    read_all(std::slice::from_ref(&path.to_owned()))?
        .into_iter()
        .next()
        .ok_or_else(|| bad_parameter(&format!("{}: no profile file there", neutralise(path))))
}

/// Now, in epoch seconds.
pub fn now_seconds() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The files `paths` name: a file as it is; a folder's files, by name (not
/// its subfolders: *our choice*, where Spark also reads `key=value`
/// partition folders; names starting with `.` or `_` skipped, as Hadoop's
/// `_SUCCESS` and `.crc` files are). A folder that cannot be listed is kept
/// as it is, so reading it says why.
///
/// Errors: a folder with no file to read, named.
pub fn export_files<P: AsRef<std::path::Path>>(paths: &[P]) -> Result<Vec<std::path::PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let Ok(entries) = std::fs::read_dir(path) else {
            files.push(path.to_path_buf());
            continue;
        };
        let mut inside: Vec<std::path::PathBuf> = entries
            .flatten()
            .filter(|e| e.path().is_file())
            .filter(|e| !e.file_name().to_string_lossy().starts_with(['.', '_']))
            .map(|e| e.path())
            .collect();
        if inside.is_empty() {
            return Err(format!(
                "{}: the folder holds no metrics-export file (names starting with . or _ are skipped)",
                neutralise(&path.display().to_string())
            ));
        }
        inside.sort();
        files.extend(inside);
    }
    Ok(files)
}

/// Reads every metrics-export file (a folder's files, `export_files`); each
/// bad one is reported (exit 252), none is half-read.
pub fn read_exports(paths: &[String]) -> Result<MetricData, u8> {
    let mut b = Builder::default();
    let mut bad = false;
    let files = export_files(paths).map_err(|e| bad_parameter(&e))?;
    for path in &files {
        let shown = neutralise(&path.display().to_string()).into_owned();
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

/// What `endpoint_data` read.
pub struct EndpointData {
    pub data: MetricData,
    /// The things the targets hold.
    pub things: usize,
    /// What could not be read.
    pub note: Option<String>,
    /// The window read (epoch seconds, `to` excluded).
    pub window: (i64, i64),
}

/// The endpoint's data for `behaviors`' metrics, over the things `targets`
/// hold (from `from`, a day boundary 14 days back by default, to `to` or now).
pub async fn endpoint_data(
    c: &Connection,
    targets: &[Target],
    behaviors: &[&Behavior],
    (from, to): (Option<i64>, Option<i64>),
) -> Result<EndpointData, ClientError> {
    let mut things = BTreeSet::new();
    let mut note = None;
    for target in targets {
        if *target == Target::AllUnregistered {
            note = Some("unregistered things cannot be listed; give --metrics to include them".to_owned());
        }
        things.extend(violations::things_of_target(c, target).await?);
    }
    let mut keys: Vec<MetricKey> = behaviors
        .iter()
        .filter_map(|b| b.metric.as_deref().map(|m| MetricKey::of_behavior(m, b.metric_dimension.as_ref())))
        .collect();
    keys.sort();
    keys.dedup();
    let to = to.unwrap_or_else(now_seconds);
    // From a day boundary by default, so that no window starts half read.
    let from = from.unwrap_or_else(|| to.saturating_sub(DEFAULT_PERIOD).div_euclid(86_400) * 86_400);
    let things: Vec<String> = things.into_iter().collect();
    let data = violations::metric_data(c, &things, &keys, (from, to)).await?;
    Ok(EndpointData { data, things: things.len(), note, window: (from, to) })
}

/// The targets of the endpoint's profile `name`, read as targets (ARNs that
/// are not targets are skipped).
pub async fn endpoint_targets(c: &Connection, name: &str) -> Result<Vec<Target>, ClientError> {
    Ok(targets::all_targets(c, name).await?.iter().filter_map(|arn| Target::of_arn(arn)).collect())
}

/// The seconds `data` covers: `from` to `to` where given, otherwise its
/// first datapoint to its last plus one reporting interval (the shortest gap
/// in any series), since each datapoint stands for the interval it ends.
pub fn span(data: &MetricData, (from, to): (Option<i64>, Option<i64>)) -> i64 {
    let (mut first, mut last, mut step) = (i64::MAX, i64::MIN, i64::MAX);
    for s in data.keys().flat_map(|k| data.series(k)) {
        if let (Some(a), Some(b)) = (s.times.first(), s.times.last()) {
            (first, last) = (first.min(*a), last.max(*b));
        }
        step = s.times.windows(2).map(|w| w[1] - w[0]).fold(step, i64::min);
    }
    if first > last {
        return to.zip(from).map_or(0, |(t, f)| (t - f).max(0));
    }
    let end = to.unwrap_or(last.saturating_add(if step == i64::MAX { 0 } else { step }));
    end.saturating_sub(from.unwrap_or(first)).max(0)
}
