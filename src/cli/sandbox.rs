//! `ddsp sandbox`: runs the local AWS IoT endpoint in the foreground, prints
//! where it listens and how to reach it (with the AWS CLI line), logs one line
//! per request on stderr, and stops cleanly on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use clap::Args;

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
    let (access_key, _) = pick(args.access_key, "AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY);
    let (secret_key, secret_source) = pick(args.secret_key, "AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_KEY);
    let db = if args.in_memory { None } else { args.db.or_else(default_db_path) };
    let config = SandboxConfig {
        bind: SocketAddr::new(args.bind, args.port),
        db: db.clone(),
        region: region.clone(),
        keys: (!args.no_auth).then(|| Keys { access_key: access_key.clone(), secret_key: secret_key.clone() }),
        faults: args.faults,
        record: false,
        allowed_hosts: args.allow_host,
        limits: crate::sandbox::Limits::default(),
    };
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
        let url = sandbox.url();
        let secret_shown = match secret_source {
            Source::Env(var) => format!("(from ${var}, not shown)"),
            Source::Flag | Source::Default => secret_key.clone(),
        };
        let auth = if args.no_auth { "off (--no-auth): any signature is accepted".to_owned() } else { "SigV4, service iot".to_owned() };
        let text = format!(
            "endpoint: {url}\n\
             database: {}\n\
             region: {}\n\
             access key: {access_key}\n\
             secret key: {secret_shown}\n\
             auth: {auth}\n\
             \n\
             Use it from the AWS CLI:\n  \
             AWS_ACCESS_KEY_ID={access_key} AWS_SECRET_ACCESS_KEY={} aws iot list-security-profiles --endpoint-url {url} --region {}\n\
             Stop it with Ctrl-C.\n",
            db.as_ref().map_or_else(|| "in memory".to_owned(), |p| p.display().to_string()),
            region,
            match secret_source {
                Source::Env(var) => format!("\"${var}\""),
                _ => secret_key.clone(),
            },
            region,
        );
        // The path and keys are the user's own text: shown, but never raw.
        let text = crate::domain::untrusted::neutralise_lines(&text);
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
        drop(out);
        wait_for_stop().await;
        eprintln!("ddsp sandbox: stopping");
        sandbox.stop().await;
        exit::OK
    });
    // Idle worker threads need not be waited for.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    code
}

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
