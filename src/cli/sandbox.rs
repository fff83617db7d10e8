//! `ddsp sandbox`: runs the local AWS IoT endpoint in the foreground, prints
//! where it listens and how to reach it (with the AWS CLI line), logs one line
//! per request on stderr, and stops cleanly on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::exit;
use crate::sandbox::{
    DEFAULT_ACCESS_KEY, DEFAULT_PORT, DEFAULT_REGION, DEFAULT_SECRET_KEY, Faults, Keys, SandboxConfig, default_db_path,
    serve,
};

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port to listen on; 0 picks a free one (printed at start).
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// The SQLite database (default: sandbox.db in the user's data dir).
    #[arg(long, conflicts_with = "in_memory")]
    pub db: Option<PathBuf>,
    /// Keep everything in memory; nothing survives a restart.
    #[arg(long)]
    pub in_memory: bool,
    /// The access key requests must be signed with (default: $AWS_ACCESS_KEY_ID, else the documented sandbox key).
    #[arg(long)]
    pub access_key: Option<String>,
    /// Its secret (default: $AWS_SECRET_ACCESS_KEY, else the documented sandbox secret).
    #[arg(long)]
    pub secret_key: Option<String>,
    /// Address to listen on. Anything but loopback exposes the sandbox to the network.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub bind: IpAddr,
    /// Accept requests without checking their signature.
    #[arg(long)]
    pub no_auth: bool,
    /// Also accept requests whose Host is this (HOST:PORT), e.g. a TLS front before the sandbox; repeatable.
    #[arg(long, value_name = "HOST:PORT")]
    pub allow_host: Vec<String>,
    /// Inject faults, e.g. throttle=0.1,internal=0.05,latency=50ms (throttle-next=N throttles exactly the next N requests).
    #[arg(long, default_value = "", value_parser = Faults::parse)]
    pub faults: Faults,
    /// The MQTT listener over TLS with client certificates, as AWS IoT's 8883 (443 works too: ALPN
    /// x-amzn-mqtt-ca is accepted); 0 picks a free port.
    #[arg(long, value_name = "PORT", default_value_t = crate::sandbox::mqtt::DEFAULT_TLS_PORT)]
    pub mqtt_port: u16,
    /// Also listen for MQTT over plain TCP, on loopback only and without certificates: for quick tests.
    #[arg(long, value_name = "PORT")]
    pub mqtt_tcp_port: Option<u16>,
    /// Open no MQTT listener.
    #[arg(long, conflicts_with_all = ["mqtt_tcp_port"])]
    pub no_mqtt: bool,
    /// Seconds a thing must wait between two Device Defender reports (AWS throttles to one every 300).
    #[arg(long, value_name = "SECONDS", default_value_t = crate::sandbox::devices::REPORT_INTERVAL,
          value_parser = clap::value_parser!(i64).range(0..=86_400))]
    pub report_interval: i64,
    /// Before serving, fill the sandbox with N things reporting 14 days of metrics (a few misbehaving),
    /// in the thing group demo-fleet watched by the profile demo-fleet-watch.
    #[arg(long, value_name = "N")]
    pub demo_fleet: Option<usize>,
    /// Publish the alerts profiles raise to their SNS alert targets, in the account the standard AWS
    /// credential chain names (without it alerts are kept only: `ddsp sandbox alerts`).
    #[arg(long)]
    pub sns: bool,
    /// Publish alerts to this SNS endpoint instead (moto_server, LocalStack), e.g. http://127.0.0.1:5000.
    #[arg(long, value_name = "URL")]
    pub sns_endpoint_url: Option<String>,
    #[command(subcommand)]
    pub action: Option<SandboxAction>,
}

#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Store metrics-export files as things' datapoints (and/or seed the demo fleet), then exit.
    Ingest(IngestArgs),
    /// Write the datapoints the sandbox keeps as metrics-export documents, one a line (gzip when FILE
    /// ends in .gz): what backtest --metrics, tune --metrics, ingest and backtest's Spark SQL read.
    ExportMetrics(super::commands::export_metrics::ExportMetricsArgs),
    /// Print the sandbox's CA certificate (PEM): what devices trust instead of AmazonRootCA1.
    Ca(super::sandbox_ca::CaArgs),
    /// List the alerts a running sandbox sent (or kept) for profiles' SNS alert targets, as JSON lines.
    Alerts(super::commands::alerts::AlertsArgs),
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Metrics-export files, or folders of them: the batches Detect publishes to a profile's
    /// metricsExportConfig topic, one document after another; gzip is read as such.
    pub files: Vec<PathBuf>,
    /// The SQLite database (default: sandbox.db in the user's data dir).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Also seed the demo fleet of N things.
    #[arg(long, value_name = "N")]
    pub demo_fleet: Option<usize>,
}

/// Where a key came from, so a secret from the environment is never printed.
enum Source {
    Flag,
    Env(&'static str),
    Default,
}

fn pick(flag: Option<String>, var: &'static str, default: &str) -> (String, Source) {
    if let Some(v) = flag {
        return (v, Source::Flag);
    }
    match std::env::var(var) {
        Ok(v) if !v.is_empty() => (v, Source::Env(var)),
        _ => (default.to_owned(), Source::Default),
    }
}

pub fn run(args: SandboxArgs, global: &super::global::GlobalArgs) -> u8 {
    let region = global.region.clone().unwrap_or_else(|| DEFAULT_REGION.to_owned());
    // The subcommands that work on the database file talk to no endpoint: an
    // endpoint named for them would be silently ignored, so it is refused.
    let on_file = match &args.action {
        Some(SandboxAction::Ingest(_)) => Some("ingest"),
        Some(SandboxAction::ExportMetrics(_)) => Some("export-metrics"),
        Some(SandboxAction::Ca(_)) => Some("ca"),
        _ => None,
    };
    if let Some(command) = on_file
        && (global.endpoint_url.is_some() || global.profile.is_some())
    {
        eprintln!(
            "ddsp sandbox {command}: works on the sandbox's database file (--db), not through an endpoint: \
             --endpoint-url and --profile do not apply"
        );
        return exit::BAD_PARAMETERS;
    }
    match args.action {
        Some(SandboxAction::Ingest(ingest)) => return run_ingest(ingest, &region),
        Some(SandboxAction::Ca(ca)) => return super::sandbox_ca::run(ca),
        Some(SandboxAction::ExportMetrics(e)) => return super::commands::export_metrics::run(e, &region),
        Some(SandboxAction::Alerts(alerts)) => return super::commands::alerts::run(alerts, global),
        None => {}
    }
    let (access_key, _) = pick(args.access_key.clone(), "AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY);
    let (secret_key, secret_source) = pick(args.secret_key.clone(), "AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_KEY);
    let db = if args.in_memory { None } else { args.db.clone().or_else(default_db_path) };
    let keys = (!args.no_auth).then(|| Keys { access_key: access_key.clone(), secret_key: secret_key.clone() });
    let config = config_of(&args, &region, db.clone(), keys);
    let connections = config.limits.max_connections;
    if !args.bind.is_loopback() {
        eprintln!("ddsp sandbox: warning: listening on {} makes the sandbox reachable from the network", args.bind);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ddsp sandbox: cannot start the runtime: {e}");
            return exit::OTHER;
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO)
        .with_target(false)
        .try_init();
    let code = runtime.block_on(async move {
        let sandbox = match serve(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("ddsp sandbox: {}", crate::domain::untrusted::neutralise(&e.to_string()));
                return exit::OTHER;
            }
        };
        if let Some(n) = args.demo_fleet {
            let started = std::time::Instant::now();
            match seed_fleet(sandbox.service(), &region, n, db.is_none()) {
                Ok(fleet) => print_fleet(&fleet, started.elapsed()),
                Err(e) => {
                    eprintln!("ddsp sandbox: --demo-fleet: {}", crate::domain::untrusted::neutralise(&e.message));
                    sandbox.stop().await;
                    return exit::BAD_PARAMETERS;
                }
            }
        }
        let text =
            banner(&sandbox, &args, db.as_deref(), &region, (&access_key, &secret_key, &secret_source), connections);
        // The path and keys are the user's own text: shown, but never raw.
        let text = crate::domain::untrusted::neutralise_lines(&text);
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        drop(out);
        wait_for_stop().await;
        eprintln!("ddsp sandbox: stopping");
        sandbox.stop().await;
        if db.is_none() {
            let _ = std::fs::remove_file(super::sandbox_ca::in_memory_path());
        }
        exit::OK
    });
    // Idle worker threads need not be waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    code
}

/// The sandbox's configuration as the command line gives it.
fn config_of(args: &SandboxArgs, region: &str, db: Option<std::path::PathBuf>, keys: Option<Keys>) -> SandboxConfig {
    SandboxConfig {
        bind: SocketAddr::new(args.bind, args.port),
        db,
        region: region.to_owned(),
        keys,
        faults: args.faults,
        record: false,
        allowed_hosts: args.allow_host.clone(),
        limits: crate::sandbox::Limits::default(),
        mqtt: crate::sandbox::mqtt::MqttConfig {
            tls_port: (!args.no_mqtt).then_some(args.mqtt_port),
            tcp_port: args.mqtt_tcp_port,
            hosts: args.allow_host.iter().map(|h| host_of(h).to_owned()).collect(),
        },
        report_interval: args.report_interval,
        sns: (args.sns || args.sns_endpoint_url.is_some())
            .then(|| crate::sandbox::sns::SnsConfig { endpoint_url: args.sns_endpoint_url.clone() }),
    }
}

/// What the sandbox prints when it is up: its endpoint, MQTT and alerts,
/// database, region and keys (a secret from the environment is not shown),
/// and how to use it from the AWS CLI.
fn banner(
    sandbox: &crate::sandbox::Sandbox,
    args: &SandboxArgs,
    db: Option<&std::path::Path>,
    region: &str,
    (access_key, secret_key, secret_source): (&str, &str, &Source),
    connections: usize,
) -> String {
    let url = sandbox.url();
    let secret_shown = match secret_source {
        Source::Env(var) => format!("(from ${var}, not shown)"),
        Source::Flag | Source::Default => secret_key.to_owned(),
    };
    let auth = if args.no_auth {
        "off (--no-auth): any signature is accepted".to_owned()
    } else {
        "SigV4, service iot".to_owned()
    };
    let mut mqtt = mqtt_lines(sandbox, db, args.report_interval);
    mqtt.push_str(&match &args.sns_endpoint_url {
        Some(url) => format!("alerts: published to the SNS endpoint {url} (and kept: ddsp sandbox alerts)\n"),
        None if args.sns => {
            "alerts: published to SNS in the account your AWS credentials name (and kept: ddsp sandbox alerts)\n"
                .to_owned()
        }
        None => "alerts: kept, not published (ddsp sandbox alerts lists them; --sns-endpoint-url or --sns publishes)\n"
            .to_owned(),
    });
    format!(
        "endpoint: {url}\n\
         {mqtt}\
         database: {}\n\
         region: {}\n\
         access key: {access_key}\n\
         secret key: {secret_shown}\n\
         auth: {auth}\n\
         connections: {connections} at once (from the descriptor limit); past that the oldest is closed\n\
         \n\
         Use it from the AWS CLI:\n  \
         AWS_ACCESS_KEY_ID={access_key} AWS_SECRET_ACCESS_KEY={} aws iot list-security-profiles --endpoint-url {url} --region {}\n\
         Stop it with Ctrl-C.\n",
        db.as_ref().map_or_else(|| "in memory".to_owned(), |p| p.display().to_string()),
        region,
        match secret_source {
            Source::Env(var) => format!("\"${var}\""),
            _ => secret_key.to_owned(),
        },
        region,
    )
}

/// The banner's MQTT lines: each listener as a URL, the CA, the throttle.
fn mqtt_lines(sandbox: &crate::sandbox::Sandbox, db: Option<&std::path::Path>, interval: i64) -> String {
    let Some(mqtt) = sandbox.mqtt() else { return "mqtt: off (--no-mqtt)\n".to_owned() };
    let mut out = String::new();
    if let Some(url) = mqtt.tls_url() {
        out.push_str(&format!(
            "mqtt: {url} (TLS; client certificates from create-keys-and-certificate; ALPN x-amzn-mqtt-ca accepted)\n"
        ));
    }
    if let Some(url) = mqtt.tcp_url() {
        out.push_str(&format!("mqtt: {url} (plain TCP on loopback, no certificates: for quick tests only)\n"));
    }
    let ca = match db {
        Some(db) => crate::sandbox::authority::files(db).0.display().to_string(),
        // In memory, the CA lives as long as the process: its certificate
        // (not its key) is written where devices can read it.
        None => match super::sandbox_ca::write_in_memory(sandbox) {
            Ok(path) => format!("{} (this run's CA; its key stays in memory)", path.display()),
            Err(e) => format!("in memory; it could not be written for devices: {e}"),
        },
    };
    let reports = if interval == 0 {
        "reports: any number per thing (--report-interval 0: none throttled)".to_owned()
    } else {
        format!("reports: one per thing every {interval} s (Device Defender topics)")
    };
    out.push_str(&format!("ca: {ca}\n{reports}\n"));
    out
}

/// The host of `HOST:PORT` (or of `[V6]:PORT`, or a bare host).
fn host_of(host_port: &str) -> &str {
    if let Some(rest) = host_port.strip_prefix('[') {
        return rest.split_once(']').map_or(rest, |(h, _)| h);
    }
    match host_port.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') && p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host_port,
    }
}

/// Seeds the demo fleet, saying first what a large one costs (size and time)
/// and then how far it has got, every tenth of the way, on stderr.
fn seed_fleet(
    service: &crate::sandbox::Service,
    region: &str,
    n: usize,
    in_memory: bool,
) -> Result<crate::sandbox::DemoFleet, crate::sandbox::ApiError> {
    /// Smaller fleets take under a few seconds: nothing to announce.
    const ANNOUNCE_FROM: usize = 500;
    if n >= ANNOUNCE_FROM {
        let datapoints = n * crate::sandbox::DEMO_DATAPOINTS_PER_THING;
        let (disk, memory) = crate::sandbox::DEMO_BYTES_PER_DATAPOINT;
        let (bytes, place) =
            if in_memory { (datapoints * memory, "of memory") } else { (datapoints * disk, "on disk") };
        eprintln!(
            "demo fleet: {n} things, about {:.1} million datapoints, about {:.1} GB {place}; \
             this takes a while (about 25 ms a thing)",
            datapoints as f64 / 1e6,
            bytes as f64 / 1e9,
        );
    }
    let mut shown = 0;
    let mut progress = |done: usize| {
        let tenth = done * 10 / n;
        if n >= ANNOUNCE_FROM && tenth > shown {
            shown = tenth;
            eprintln!("demo fleet: {}% ({done} of {n} things)", tenth * 10);
        }
    };
    service.seed_demo_fleet(region, n, &mut progress)
}

/// Says what the demo fleet holds and where to look.
fn print_fleet(fleet: &crate::sandbox::DemoFleet, took: std::time::Duration) {
    let made = if fleet.profile_created { "made and attached" } else { "kept as it was" };
    println!(
        "demo fleet: {} things in thing group {}, {} datapoints over 14 days ({:.1} s); profile {} {made} \
         (and demo-fleet-model, for ML Detect)\n\
         misbehaving: {}\n",
        fleet.things,
        crate::sandbox::DEMO_GROUP,
        fleet.datapoints,
        took.as_secs_f64(),
        crate::sandbox::DEMO_PROFILE,
        fleet.misbehaving.join(", "),
    );
}

/// `ddsp sandbox ingest`: stores metrics-export files (and the demo fleet) in the database.
fn run_ingest(args: IngestArgs, region: &str) -> u8 {
    use crate::sandbox::Ingest;
    if args.files.is_empty() && args.demo_fleet.is_none() {
        eprintln!("ddsp sandbox ingest: give metrics-export files, or --demo-fleet N");
        return exit::BAD_PARAMETERS;
    }
    if let Some(n) = args.demo_fleet.filter(|n| !(1..=crate::sandbox::DEMO_MAX_THINGS).contains(n)) {
        eprintln!("ddsp sandbox ingest: --demo-fleet takes 1 to {} things, not {n}", crate::sandbox::DEMO_MAX_THINGS);
        return exit::BAD_PARAMETERS;
    }
    let db = args.db.or_else(default_db_path);
    let config = SandboxConfig { db: db.clone(), region: region.to_owned(), ..SandboxConfig::ephemeral() };
    let service = match crate::sandbox::open(&config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ddsp sandbox ingest: {}", crate::domain::untrusted::neutralise(&e.to_string()));
            return exit::OTHER;
        }
    };
    let mut code = exit::OK;
    if let Some(n) = args.demo_fleet {
        let started = std::time::Instant::now();
        match seed_fleet(&service, region, n, db.is_none()) {
            Ok(fleet) => print_fleet(&fleet, started.elapsed()),
            Err(e) => {
                eprintln!("ddsp sandbox ingest: --demo-fleet: {}", crate::domain::untrusted::neutralise(&e.message));
                return exit::BAD_PARAMETERS;
            }
        }
    }
    if args.files.is_empty() {
        return code;
    }
    // Each datapoint is checked by the rules every report path uses, against
    // the custom metrics this region defines: the sandbox stores nothing AWS refuses.
    let custom = match service.custom_metric_types(region) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ddsp sandbox ingest: {}", crate::domain::untrusted::neutralise(&e.message));
            return exit::OTHER;
        }
    };
    // Files are read (streaming, so memory stays flat) on a thread of their
    // own while the store takes what is read, so the two overlap; a file that
    // does not read stores nothing.
    let started = std::time::Instant::now();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Ingest>(4);
    let files = match super::commands::metric_source::export_files(&args.files) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("ddsp sandbox ingest: {e}");
            return exit::BAD_PARAMETERS;
        }
    };
    let reader = read_exports(files.clone(), custom, tx);
    let outcomes = service.ingest(region, rx);
    let reading = reader.join().unwrap_or(0.0);
    let seconds = started.elapsed().as_secs_f64();
    let outcomes = match outcomes {
        Ok(o) => o,
        Err(e) => {
            eprintln!("ddsp sandbox ingest: nothing was stored: {}", crate::domain::untrusted::neutralise(&e.message));
            return exit::OTHER;
        }
    };
    let mut total = 0;
    for (path, outcome) in files.iter().zip(outcomes) {
        let shown = crate::domain::untrusted::neutralise(&path.display().to_string()).into_owned();
        match outcome {
            Ok(n) => {
                total += n;
                println!("{shown}: {n} datapoints");
            }
            Err(e) => {
                // A bad file stores nothing; the others still go in.
                eprintln!("{shown}: {}", crate::domain::untrusted::neutralise(&e));
                code = exit::BAD_PARAMETERS;
            }
        }
    }
    let rate = if seconds > 0.0 { total as f64 / seconds } else { 0.0 };
    println!(
        "stored {total} datapoints in {} ({seconds:.2} s, reading {reading:.2} s of it alongside; {rate:.0} datapoints/s)",
        db.as_ref().map_or_else(|| "memory".to_owned(), |p| p.display().to_string())
    );
    code
}

/// Reads metrics-export files on a thread of its own, streaming (memory stays
/// flat), each datapoint checked by the rules every report path uses
/// (`custom`: the region's custom metrics), in batches sent to `tx`, each
/// file ended by its outcome. The thread answers the seconds it read for.
fn read_exports(
    files: Vec<std::path::PathBuf>,
    custom: std::collections::HashMap<String, crate::domain::metrics::MetricType>,
    tx: std::sync::mpsc::SyncSender<crate::sandbox::Ingest>,
) -> std::thread::JoinHandle<f64> {
    use crate::sandbox::Ingest;
    use crate::wire::metric_reports::read_export_from;
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        for path in files {
            let mut batch = Vec::with_capacity(INGEST_BATCH);
            let mut check = crate::domain::rules::datapoints::DatapointCheck::new(custom.clone());
            let read = std::fs::File::open(&path).map_err(|e| e.to_string()).and_then(|file| {
                read_export_from(file, |r| {
                    if let Some(fault) = check.fault(&r.thing, &r.key.metric, &r.value) {
                        return Err(fault);
                    }
                    batch.push(r);
                    if batch.len() == INGEST_BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(INGEST_BATCH));
                        let _ = tx.send(Ingest::Readings(full));
                    }
                    Ok(())
                })
                .map_err(|e| e.to_string())
            });
            if read.is_ok() && !batch.is_empty() {
                let _ = tx.send(Ingest::Readings(batch));
            }
            let _ = tx.send(Ingest::End(read.map(|_| ())));
        }
        started.elapsed().as_secs_f64()
    })
}

/// Readings per batch handed from the reader thread to the store.
const INGEST_BATCH: usize = 10_000;

/// Ctrl-C, SIGTERM or SIGHUP.
async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
            let _ = tokio::signal::ctrl_c().await;
            return;
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
