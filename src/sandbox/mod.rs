//! The sandbox: a local endpoint that speaks AWS IoT's restJson1 protocol for
//! the security-profile operations, stored in SQLite, on loopback. `serve`
//! starts it on the current tokio runtime and returns a handle with its URL;
//! `ddsp sandbox` and `ddsp --sandbox` both use it.

mod alerts;
pub mod authority;
mod certificates;
mod clock;
mod custom_metrics;
mod datapoints;
mod demo_fleet;
pub mod device_reports;
pub mod devices;
mod dimensions;
mod errors;
mod faults;
mod invalidated;
mod metrics_export;
mod mitigation;
pub mod mqtt;
mod page_token;
mod profiles;
pub use crate::domain::regions;
mod resource;
mod router;
mod server;
mod service;
mod sigv4;
pub mod sns;
mod store;
mod tags;
mod targets;
mod thing_groups;
mod things;
mod violations;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::response::Response as HttpResponse;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use demo_fleet::{
    BYTES_PER_DATAPOINT as DEMO_BYTES_PER_DATAPOINT, DATAPOINTS_PER_THING as DEMO_DATAPOINTS_PER_THING, DemoFleet,
    GROUP as DEMO_GROUP, MAX_THINGS as DEMO_MAX_THINGS, PROFILE as DEMO_PROFILE,
};
pub use errors::ApiError;
pub use faults::Faults;
pub use metrics_export::Exported;
pub use server::Limits;
pub use service::{Ingest, Recorded, Request, Response, Service};
pub use sigv4::Keys;
pub use store::{Store, StoreError};

/// The port `ddsp sandbox` listens on by default.
pub const DEFAULT_PORT: u16 = 7411;
/// The region the sandbox's ARNs name by default.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The access key the sandbox accepts by default (not a real AWS key).
pub const DEFAULT_ACCESS_KEY: &str = crate::wire::keys::SANDBOX_ACCESS_KEY;
/// Its secret.
pub const DEFAULT_SECRET_KEY: &str = crate::wire::keys::SANDBOX_SECRET_KEY;
/// How long `stop` waits for requests in flight.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(6);
/// Largest request body accepted.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// How to run a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    pub bind: SocketAddr,
    /// None keeps everything in memory.
    pub db: Option<PathBuf>,
    pub region: String,
    /// None accepts unsigned requests (`--no-auth`).
    pub keys: Option<Keys>,
    pub faults: Faults,
    /// Keep every request, for tests (`Sandbox::recorded`).
    pub record: bool,
    /// `Host` values accepted besides the listening address and `localhost`
    /// (`--allow-host`, for a TLS front or proxy before the sandbox).
    pub allowed_hosts: Vec<String>,
    /// Connection cap and timeouts.
    pub limits: Limits,
    /// The MQTT listeners to open (none by default in process; `ddsp
    /// sandbox` opens the TLS one on 8883).
    pub mqtt: mqtt::MqttConfig,
    /// Seconds between two accepted Device Defender reports of one thing
    /// (`devices::REPORT_INTERVAL`, 300, unless lowered for tests and demos).
    pub report_interval: i64,
    /// Where alerts are published; None keeps them only (`ddsp sandbox alerts` lists them).
    pub sns: Option<sns::SnsConfig>,
}

impl SandboxConfig {
    /// In memory, on a free loopback port, default region and keys.
    pub fn ephemeral() -> SandboxConfig {
        SandboxConfig {
            bind: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            db: None,
            region: DEFAULT_REGION.to_owned(),
            keys: Some(default_keys()),
            faults: Faults::default(),
            record: false,
            allowed_hosts: Vec::new(),
            limits: Limits::default(),
            mqtt: mqtt::MqttConfig::default(),
            report_interval: devices::REPORT_INTERVAL,
            sns: None,
        }
    }
}

/// The documented default keys.
pub fn default_keys() -> Keys {
    Keys::sandbox()
}

/// Where `ddsp sandbox` keeps its database: the user's data dir.
pub fn default_db_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ddsp").map(|d| d.data_dir().join("sandbox.db"))
}

/// Why a sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot open the database {path}: {source}")]
    Database { path: String, source: store::StoreError },
    #[error("cannot create {path}: {source}")]
    Directory { path: String, source: std::io::Error },
    #[error("{0:?} is not an AWS region; use one such as us-east-1 or eu-west-1")]
    Region(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error(transparent)]
    Mqtt(#[from] mqtt::MqttError),
}

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
    service: Arc<Service>,
    mqtt: Option<mqtt::Mqtt>,
    /// The minute's alert sweep and the SNS publisher.
    background: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// The MQTT listeners, when any was asked for.
    pub fn mqtt(&self) -> Option<&mqtt::Mqtt> {
        self.mqtt.as_ref()
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, for `--endpoint-url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests received so far (empty unless started with `record`).
    pub fn recorded(&self) -> Vec<Recorded> {
        self.service.recorded()
    }

    /// The service behind it, for writing data in process (the demo fleet, tests).
    pub fn service(&self) -> &Service {
        &self.service
    }

    /// Throttles exactly the next `n` requests (ThrottlingException).
    pub fn throttle_next(&self, n: u32) {
        self.service.throttle_next(n);
    }

    /// Stops accepting requests, finishes those in flight, and returns.
    pub async fn stop(mut self) {
        for task in self.background.drain(..) {
            task.abort();
        }
        if let Some(m) = self.mqtt.take() {
            m.stop();
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // Idle connections close at once; requests in flight get `server::DRAIN`
        // to finish, then whatever is left is closed.
        if tokio::time::timeout(SHUTDOWN_GRACE, &mut self.task).await.is_err() {
            self.task.abort();
        }
    }
}

/// Opens the store and starts serving on the current tokio runtime.
pub async fn serve(config: SandboxConfig) -> Result<Sandbox, SandboxError> {
    let service = open(&config)?;
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|source| SandboxError::Bind { addr: config.bind, source })?;
    let addr = listener.local_addr().map_err(|source| SandboxError::Bind { addr: config.bind, source })?;
    let mut service = service.listening_on(addr, &config.allowed_hosts);
    if config.record {
        service = service.recording();
    }
    if config.sns.is_some() {
        service = service.publishing_alerts();
    }
    let service = Arc::new(service);
    let limits = config.limits;
    let app = Router::new().fallback(handle).with_state(Shared { service: Arc::clone(&service), limits });
    let (tx, rx) = oneshot::channel::<()>();
    let mqtt = if config.mqtt.tls_port.is_some() || config.mqtt.tcp_port.is_some() {
        Some(mqtt::start(Arc::clone(&service), config.bind.ip(), &config.mqtt).await?)
    } else {
        None
    };
    let task = tokio::spawn(server::run(listener, app, limits, async {
        let _ = rx.await;
    }));
    let mut background = vec![tokio::spawn(sweep_alerts(Arc::clone(&service)))];
    if let Some(sns) = config.sns.clone() {
        background.push(tokio::spawn(sns::publish(Arc::clone(&service), sns)));
    }
    Ok(Sandbox { addr, shutdown: Some(tx), task, service, mqtt, background })
}

/// How often the sandbox looks for alerts no request raises (a silence of two
/// days ends a violation with no report to say so).
const ALERT_SWEEP: std::time::Duration = std::time::Duration::from_secs(60);

/// Sweeps for alerts every minute, until aborted.
async fn sweep_alerts(service: Arc<Service>) {
    let mut tick = tokio::time::interval(ALERT_SWEEP);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let worker = Arc::clone(&service);
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || worker.sweep_alerts()).await {
            tracing::warn!(target: "ddsp::sandbox", "the alert sweep failed: {}", e.message);
        }
    }
}

/// Opens the sandbox's stores as `config` says, without listening: for
/// `serve`, and for writing data into a database offline (`ddsp sandbox ingest`).
///
/// Errors: an unknown region, a directory or database that cannot be opened.
pub fn open(config: &SandboxConfig) -> Result<Service, SandboxError> {
    if !regions::is_known(&config.region) {
        return Err(SandboxError::Region(config.region.clone()));
    }
    if let Some(dir) = config.db.as_ref().and_then(|p| p.parent()).filter(|d| !d.as_os_str().is_empty()) {
        // ddsp's own data dir is tightened; a directory the user named is left as it is.
        let own = config.db.is_some() && config.db == default_db_path();
        let made = if own { crate::private_files::create_own_dir(dir) } else { crate::private_files::create_dir(dir) };
        made.map_err(|source| SandboxError::Directory { path: dir.display().to_string(), source })?;
    }
    if let Some(path) = config.db.as_deref() {
        // Owner-only from the start; SQLite gives the -wal and -shm files the same mode.
        crate::private_files::touch(path)
            .map_err(|source| SandboxError::Directory { path: path.display().to_string(), source })?;
    }
    let store = Store::open(config.db.as_deref()).map_err(|source| SandboxError::Database {
        path: config.db.as_ref().map_or_else(|| ":memory:".to_owned(), |p| p.display().to_string()),
        source,
    })?;
    let reader = match config.db.as_deref() {
        Some(path) => Some(
            Store::open(Some(path))
                .map_err(|source| SandboxError::Database { path: path.display().to_string(), source })?,
        ),
        None => None,
    };
    // The database holds the region it was first used with; started later with
    // another --region, it still holds that region's resources, and the new
    // region gets a file beside it.
    let home = match config.db.as_deref() {
        Some(path) => store
            .region_or_adopt(&config.region)
            .map_err(|source| SandboxError::Database { path: path.display().to_string(), source: source.into() })?,
        None => config.region.clone(),
    };
    Service::new(store, reader, home, config.keys.clone(), config.faults)
        .with_default_region(config.region.clone())
        .with_database(config.db.clone())
        .with_devices(devices::Devices::new(config.db.clone(), config.report_interval))
        .open_existing_regions()
        .map_err(|(path, source)| SandboxError::Database { path: path.display().to_string(), source })
}

/// Why a request body could not be read, said as what is wrong with it: too
/// large, or malformed (a bad chunk size or trailer in a chunked body, a body
/// cut short), with the HTTP library's own words.
/// A body that did not arrive within the body timeout.
#[derive(Debug, thiserror::Error)]
#[error("it did not arrive within {} seconds", .0.as_secs())]
struct BodyTimedOut(std::time::Duration);

fn unreadable_body(error: &axum::Error) -> String {
    if let Some(late) = std::error::Error::source(error).and_then(|e| e.downcast_ref::<BodyTimedOut>()) {
        return format!("The request body did not arrive within {} seconds", late.0.as_secs());
    }
    let mut causes = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    while let Some(c) = cause {
        causes.push(c.to_string());
        cause = c.source();
    }
    if causes.iter().any(|c| c.contains("length limit exceeded")) {
        return format!("The request body is larger than {} MiB", MAX_BODY / (1024 * 1024));
    }
    let detail = causes.last().cloned().unwrap_or_default();
    format!("The request body is malformed and could not be read: {}", crate::domain::untrusted::neutralise(&detail))
}

/// What every request handler shares.
#[derive(Clone)]
struct Shared {
    service: Arc<Service>,
    limits: Limits,
}

async fn handle(State(shared): State<Shared>, req: axum::extract::Request) -> HttpResponse {
    let Shared { service, limits } = shared;
    let start = Instant::now();
    let (parts, body) = req.into_parts();
    let read = tokio::time::timeout(limits.body_timeout, axum::body::to_bytes(body, MAX_BODY)).await;
    let read = read.unwrap_or_else(|_| Err(axum::Error::new(BodyTimedOut(limits.body_timeout))));
    let response = match read {
        Err(e) => {
            let e = ApiError::invalid(unreadable_body(&e));
            service::Response {
                status: e.status,
                error_type: Some(e.code),
                body: e.body().to_string().into_bytes(),
                operation: "-",
            }
        }
        Ok(bytes) => {
            let request = Request {
                method: parts.method.as_str().to_owned(),
                target: parts
                    .uri
                    .path_and_query()
                    .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
                headers: parts
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect(),
                body: bytes.to_vec(),
            };
            let draw = fastrand::f64();
            let worker = Arc::clone(&service);
            tokio::task::spawn_blocking(move || worker.handle(&request, draw)).await.unwrap_or_else(|_| {
                let e = ApiError::internal("The request handler failed");
                service::Response {
                    status: e.status,
                    error_type: Some(e.code),
                    body: e.body().to_string().into_bytes(),
                    operation: "-",
                }
            })
        }
    };
    let latency = service.faults().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    tracing::info!(
        target: "ddsp::sandbox",
        operation = response.operation,
        status = response.status,
        ms = format!("{:.2}", start.elapsed().as_secs_f64() * 1000.0),
        "request"
    );
    let mut builder = http::Response::builder()
        .status(response.status)
        .header("content-type", "application/json")
        .header("x-amzn-RequestId", uuid::Uuid::new_v4().to_string());
    if let Some(code) = response.error_type {
        builder = builder.header("x-amzn-ErrorType", code);
    }
    builder.body(Body::from(response.body)).unwrap_or_else(|_| HttpResponse::new(Body::empty()))
}
