//! `ddsp sandbox export-metrics FILE`: the datapoints a sandbox keeps, as
//! metrics-export documents (the Device Defender export schema, one JSON
//! document a line, gzip when FILE ends in `.gz`): what `ddsp backtest
//! --metrics`, `ddsp tune --metrics`, `ddsp sandbox ingest` and the Spark SQL
//! of `ddsp backtest --emit-sql spark` read. So a demo fleet, or what devices
//! reported to the sandbox, can be carried to Spark, or to another sandbox
//! (which takes custom metrics' values only once it defines those metrics).
//! A file is written whole or not at all (a temporary file beside it,
//! renamed over it; its folder made if missing); `-` writes to standard
//! output.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::cli::exit;
use crate::domain::untrusted::neutralise;
use crate::sandbox::{ApiError, Exported, SandboxConfig, default_db_path};
use crate::wire::time::{LAST_SECOND, iso8601, parse_time};

/// `ddsp sandbox export-metrics`'s arguments.
#[derive(Debug, Clone, Args)]
pub struct ExportMetricsArgs {
    /// Where to write: a file (gzip when it ends in .gz), or - for standard output.
    #[arg(value_name = "FILE")]
    pub out: PathBuf,
    /// The SQLite database (default: sandbox.db in the user's data dir).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Only datapoints at or after this time (ISO 8601, a date or epoch seconds).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only datapoints before this time (ISO 8601, a date or epoch seconds).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
}

/// Runs the command: 0 when written, 252 for a bad time, a database that
/// does not exist or keeps nothing for the region, or a folder given as
/// FILE; 255 for a store or file error.
pub fn run(args: ExportMetricsArgs, region: &str) -> u8 {
    let window = (args.from.as_deref().map(parse_time).transpose(), args.to.as_deref().map(parse_time).transpose());
    let (from, to) = match window {
        (Ok(from), Ok(to)) => (from.unwrap_or(0), to.unwrap_or(LAST_SECOND)),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("ddsp sandbox export-metrics: {e}");
            return exit::BAD_PARAMETERS;
        }
    };
    if from >= to {
        eprintln!(
            "ddsp sandbox export-metrics: --from ({}) must be before --to ({})",
            iso8601(from as f64),
            iso8601(to as f64)
        );
        return exit::BAD_PARAMETERS;
    }
    let Some(db) = args.db.or_else(default_db_path) else {
        eprintln!("ddsp sandbox export-metrics: no data directory; give --db");
        return exit::OTHER;
    };
    if !db.exists() {
        eprintln!(
            "ddsp sandbox export-metrics: {} does not exist: nothing is kept there",
            neutralise(&db.display().to_string())
        );
        return exit::BAD_PARAMETERS;
    }
    if args.out.is_dir() {
        let shown = neutralise(&args.out.display().to_string()).into_owned();
        eprintln!("ddsp sandbox export-metrics: {shown} is a folder: give a file name, e.g. {shown}/metrics.json.gz");
        return exit::BAD_PARAMETERS;
    }
    let config = SandboxConfig { db: Some(db), region: region.to_owned(), ..SandboxConfig::ephemeral() };
    let service = match crate::sandbox::open(&config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ddsp sandbox export-metrics: {}", neutralise(&e.to_string()));
            return exit::OTHER;
        }
    };
    if !service.keeps_region(region) {
        eprintln!("ddsp sandbox export-metrics: the sandbox keeps nothing for {} here", neutralise(region));
        return exit::BAD_PARAMETERS;
    }
    let to_stdout = args.out.as_os_str() == "-";
    let shown =
        if to_stdout { "standard output".to_owned() } else { neutralise(&args.out.display().to_string()).into_owned() };
    let written = if to_stdout {
        let stdout = std::io::stdout();
        let mut out = Piped { closed: false, out: std::io::BufWriter::new(stdout.lock()) };
        let done = service.export_metrics(region, from, to, &mut |doc| lines(&mut out, doc)).and_then(|done| {
            out.flush().map_err(io_error)?;
            Ok(done)
        });
        if out.closed {
            // The reader stopped reading (`| head`): what it took was what it wanted.
            return exit::OK;
        }
        done
    } else {
        to_file(&service, region, (from, to), &args.out)
    };
    match written {
        Ok(done) => {
            eprintln!(
                "Wrote {} datapoints of {} series in {} documents to {shown}",
                done.datapoints, done.series, done.documents
            );
            exit::OK
        }
        Err(e) => {
            eprintln!("ddsp sandbox export-metrics: {shown}: {}", neutralise(&e.message));
            exit::OTHER
        }
    }
}

/// Writes the documents to `path` whole or not at all
/// (`private_files::write_whole`), gzipped when its name ends in `.gz`.
fn to_file(
    service: &crate::sandbox::Service,
    region: &str,
    (from, to): (i64, i64),
    path: &Path,
) -> Result<Exported, ApiError> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // The file's own folder is made, as `ddsp export` makes its own; not its parents.
    if !dir.exists() {
        std::fs::create_dir(dir).map_err(io_error)?;
    }
    let gzip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    // The store's errors pass through the file writer as I/O errors, their message kept.
    let said = |e: ApiError| std::io::Error::other(e.message);
    crate::private_files::write_whole(path, |file| {
        if gzip {
            let mut out = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
            let done = service.export_metrics(region, from, to, &mut |doc| lines(&mut out, doc)).map_err(said)?;
            out.finish()?;
            Ok(done)
        } else {
            service.export_metrics(region, from, to, &mut |doc| lines(file, doc)).map_err(said)
        }
    })
    .map_err(io_error)
}

/// Standard output, noting when its reader has gone (a broken pipe).
struct Piped<W> {
    closed: bool,
    out: W,
}

impl<W: Write> Write for Piped<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.out.write(bytes);
        self.closed |= written.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
        written
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let flushed = self.out.flush();
        self.closed |= flushed.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
        flushed
    }
}

/// One document and its newline. Errors: the writer's, said as such (not as
/// the store's).
fn lines(out: &mut dyn Write, doc: &serde_json::Value) -> Result<(), ApiError> {
    serde_json::to_writer(&mut *out, doc).map_err(|e| io_error(e.into()))?;
    out.write_all(b"\n").map_err(io_error)
}

/// An I/O error as said to the user: the system's words, without the
/// temporary file's name that some errors carry.
fn io_error(e: std::io::Error) -> ApiError {
    let said =
        e.raw_os_error().map_or_else(|| e.to_string(), |code| std::io::Error::from_raw_os_error(code).to_string());
    ApiError::internal(said)
}
