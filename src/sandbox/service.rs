//! The sandbox's request handling, free of HTTP plumbing: a request (method,
//! target, headers, body) goes through SigV4, routing and fault injection, then
//! runs as one store transaction; the answer is a status, an optional error
//! type and a JSON body. The server and the fuzz target both call `handle`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::Transaction;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::devices::Devices;
use super::errors::ApiError;
use super::faults::{Fault, Faults};
use super::regions;
use super::resource::Env;
use super::router::{Route, Target, route};
use super::sigv4::{Keys, verify};
use super::store::{Store, StoreError};
use super::{
    alerts, certificates, custom_metrics, datapoints, device_reports, dimensions, invalidated, mitigation, profiles,
    tags, targets, thing_groups, things, violations,
};
use crate::wire::input::{Format, parse};

/// What a reader of metric files hands to `Service::ingest`.
#[derive(Debug)]
pub enum Ingest {
    /// Readings of the current file.
    Readings(Vec<crate::wire::metric_reports::Reading>),
    /// The current file is done: read whole, or not (its readings are dropped).
    End(Result<(), String>),
}

/// One HTTP request as received.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    /// Path and query exactly as sent (still percent-encoded).
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// The answer to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    /// The `x-amzn-ErrorType` header, for errors.
    pub error_type: Option<&'static str>,
    pub body: Vec<u8>,
    /// The operation, for logs ("-" when the request named none).
    pub operation: &'static str,
}

impl Response {
    fn ok(operation: &'static str, body: &Value) -> Response {
        Response { status: 200, error_type: None, body: body.to_string().into_bytes(), operation }
    }

    fn error(operation: &'static str, e: &ApiError) -> Response {
        Response { status: e.status, error_type: Some(e.code), body: e.body().to_string().into_bytes(), operation }
    }
}

/// A request as the sandbox received it, with the status it answered; kept
/// when the sandbox records (tests compare what a client sent).
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub operation: &'static str,
    pub method: String,
    pub target: String,
    pub body: Vec<u8>,
    pub status: u16,
}

/// The clock the sandbox reads (for dates and signature ages); tests inject one.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// One region's resources: a writer connection, and for a file a second
/// connection for reads, so they need not wait for a writer's fsync (WAL lets
/// readers run beside one writer).
struct RegionStore {
    writer: Mutex<Store>,
    reader: Option<Mutex<Store>>,
}

/// The sandbox service: storage per region, keys, faults and what it accepts.
pub struct Service {
    /// Each region's store, opened on its first request (service.md §3: names
    /// are unique per account and region, so regions never share resources).
    regions: Mutex<HashMap<String, Arc<RegionStore>>>,
    /// The default region's database file; other regions sit beside it as
    /// `STEM.REGION.db`. None: every region in memory.
    db: Option<PathBuf>,
    /// The region of requests that carry no signature (`--no-auth`), and the
    /// one the first store belongs to.
    region: String,
    keys: Option<Keys>,
    clock: Clock,
    /// What `Host` may name; None accepts any (in-process use without a listener).
    hosts: Option<Hosts>,
    faults: Faults,
    /// Requests still to throttle (`throttle-next`), counted down as they arrive.
    throttle_next: AtomicU32,
    /// Every request and its status, when recording.
    journal: Option<Mutex<Vec<Recorded>>>,
    /// The certificate authority, the MQTT endpoint, the report throttle.
    devices: Arc<Devices>,
    /// Whether alerts are published, and the signal that some wait.
    alerts: Arc<AlertDelivery>,
}

/// Whether the sandbox publishes the alerts it keeps (`sns.rs`), and the
/// signal its publisher waits on.
#[derive(Debug, Default)]
pub struct AlertDelivery {
    pub publishing: bool,
    pub waiting: tokio::sync::Notify,
}

impl Service {
    /// A service whose default `region` keeps its resources in `store` (and
    /// reads through `reader`); other regions are kept in memory unless
    /// `with_database` names the file they sit beside.
    pub fn new(store: Store, reader: Option<Store>, region: String, keys: Option<Keys>, faults: Faults) -> Service {
        let throttle_next = AtomicU32::new(faults.throttle_next);
        let first = Arc::new(RegionStore { writer: Mutex::new(store), reader: reader.map(Mutex::new) });
        Service {
            regions: Mutex::new(HashMap::from([(region.clone(), first)])),
            db: None,
            region,
            keys,
            clock: Arc::new(SystemTime::now),
            hosts: None,
            faults,
            throttle_next,
            journal: None,
            devices: Arc::new(Devices::new(None, super::devices::REPORT_INTERVAL)),
            alerts: Arc::new(AlertDelivery::default()),
        }
    }

    /// Marks the alerts it keeps for publishing (to SNS, by `sns::publish`).
    pub fn publishing_alerts(mut self) -> Service {
        self.alerts = Arc::new(AlertDelivery { publishing: true, waiting: tokio::sync::Notify::new() });
        self
    }

    /// Whether alerts are published, and the signal that some wait.
    pub fn alert_delivery(&self) -> &AlertDelivery {
        &self.alerts
    }

    /// Sweeps every open region for alerts not yet kept (the minute's sweep:
    /// silences that end violations raise no request). Answers how many.
    ///
    /// Errors: the first store's error met.
    pub fn sweep_alerts(&self) -> Result<usize, ApiError> {
        let publishing = self.alerts.publishing;
        let mut made = 0;
        for region in self.open_regions() {
            made +=
                self.write_region(&region, |tx, env| Ok(alerts::sweep_after(tx, env, alerts::Scope::All, publishing)))?;
        }
        if made > 0 {
            self.alerts.waiting.notify_one();
        }
        Ok(made)
    }

    /// The regions whose store is open.
    fn open_regions(&self) -> Vec<String> {
        self.regions.lock().unwrap_or_else(|p| p.into_inner()).keys().cloned().collect()
    }

    /// The alerts waiting to be published whose attempt is due, in every open
    /// region, oldest first (at most `limit` from each).
    ///
    /// Errors: the store's.
    pub fn due_alerts(&self, limit: usize) -> Result<Vec<(String, super::store::alerts::Alert)>, ApiError> {
        let now = epoch_seconds((self.clock)());
        let mut out = Vec::new();
        for region in self.open_regions() {
            let due = self.write_region(&region, |tx, _| super::store::alerts::due(tx, now, limit))?;
            out.extend(due.into_iter().map(|a| (region.clone(), a)));
        }
        Ok(out)
    }

    /// Seconds until the soonest alert attempt still to come (None: none waits).
    ///
    /// Errors: the store's.
    pub fn next_alert_due(&self) -> Result<Option<f64>, ApiError> {
        let now = epoch_seconds((self.clock)());
        let mut soonest: Option<f64> = None;
        for region in self.open_regions() {
            if let Some(t) = self.write_region(&region, |tx, _| super::store::alerts::next_due(tx))? {
                soonest = Some(soonest.map_or(t, |s: f64| s.min(t)));
            }
        }
        Ok(soonest.map(|t| (t - now).max(0.0)))
    }

    /// Records one publishing attempt of alert `id` in `region`: SNS's
    /// MessageId, or the error and when to try again (None: never).
    ///
    /// Errors: the store's.
    pub fn record_alert_attempt(
        &self,
        region: &str,
        id: i64,
        outcome: Result<&str, (&str, Option<f64>)>,
    ) -> Result<(), ApiError> {
        self.write_region(region, |tx, _| super::store::alerts::record_attempt(tx, id, outcome))
    }

    /// Epoch seconds by the service's clock.
    pub fn now(&self) -> f64 {
        epoch_seconds((self.clock)())
    }

    /// The device side: its CA, its MQTT endpoint, its report throttle.
    pub fn with_devices(mut self, devices: Devices) -> Service {
        self.devices = Arc::new(devices);
        self
    }

    pub fn devices(&self) -> &Devices {
        &self.devices
    }

    /// Takes Device Defender reports (MQTT's reserved topics), in order, in
    /// one write transaction of the default region's store: each under its
    /// own savepoint, so one that fails in the store leaves the others. One
    /// commit (one fsync) for many reports is what lets a single SQLite
    /// writer keep up with a fleet.
    ///
    /// Errors: per report, only the store's (a bad report is a rejected
    /// reply); all of them when the transaction cannot commit.
    pub fn take_reports(
        &self,
        reports: &[(String, device_reports::Format, bytes::Bytes)],
    ) -> Vec<Result<device_reports::Reply, ApiError>> {
        let interval = self.devices.report_interval;
        let publishing = self.alerts.publishing;
        let taken = self.write_region(&self.region, |tx, env| {
            let mut out = Vec::with_capacity(reports.len());
            let known = device_reports::Known::load(tx)?;
            let mut reported = std::collections::BTreeSet::new();
            for (thing, format, payload) in reports {
                super::store::savepoint(tx)?;
                let reply = device_reports::take(tx, env, (interval, &known), thing, *format, payload);
                super::store::end_savepoint(tx, reply.is_ok())?;
                if reply.as_ref().is_ok_and(|r| r.accepted) {
                    reported.insert(thing.clone());
                }
                out.push(reply);
            }
            // The alerts these reports raise, in the same commit.
            let made = if reported.is_empty() {
                0
            } else {
                alerts::sweep_after(tx, env, alerts::Scope::Things(&reported), publishing)
            };
            Ok((out, made))
        });
        match taken {
            Ok((replies, made)) => {
                if made > 0 {
                    self.alerts.waiting.notify_one();
                }
                replies
            }
            Err(e) => reports.iter().map(|_| Err(e.clone())).collect(),
        }
    }

    /// The status of a certificate in the default region (None: unknown), for
    /// the MQTT listeners: only an ACTIVE one connects.
    ///
    /// Errors: the store's.
    pub fn certificate_status(&self, id: &str) -> Result<Option<String>, ApiError> {
        let store = self.region_store(&self.region)?;
        let connection = store.reader.as_ref().unwrap_or(&store.writer);
        let mut store = connection.lock().unwrap_or_else(|p| p.into_inner());
        store.transaction(false, |tx| certificates::status(tx, id))
    }

    /// Other regions keep their files beside `db` (`sandbox.eu-west-1.db`).
    pub fn with_database(mut self, db: Option<PathBuf>) -> Service {
        self.db = db;
        self
    }

    /// The region of requests that carry no signature (`--no-auth`), when it
    /// is not the one the first store holds.
    pub fn with_default_region(mut self, region: String) -> Service {
        self.region = region;
        self
    }

    /// Opens every region file already beside the database, so that one
    /// written by a newer ddsp is refused at start, not at its first request.
    ///
    /// Errors: the file that could not be opened, and why.
    pub fn open_existing_regions(self) -> Result<Service, (PathBuf, StoreError)> {
        let Some(db) = self.db.clone() else { return Ok(self) };
        for region in regions::REGIONS {
            let path = region_path(&db, region);
            if path.exists() && !self.has_region(region) {
                let opened = open_region(Some(&db), region).map_err(|e| (path, e))?;
                self.regions.lock().unwrap_or_else(|p| p.into_inner()).insert((*region).to_owned(), Arc::new(opened));
            }
        }
        Ok(self)
    }

    fn has_region(&self, region: &str) -> bool {
        self.regions.lock().unwrap_or_else(|p| p.into_inner()).contains_key(region)
    }

    /// Reads time from `clock` instead of the system's.
    pub fn with_clock(mut self, clock: Clock) -> Service {
        self.clock = clock;
        self
    }

    /// Accepts only requests whose `Host` names this sandbox: its address (any
    /// IP address on its port when it listens on all of them), `localhost` on
    /// its port, or one of `also`. A web page reaching it through DNS
    /// rebinding sends a name, and is refused.
    pub fn listening_on(mut self, addr: SocketAddr, also: &[String]) -> Service {
        self.hosts = Some(Hosts { addr, also: also.to_vec() });
        self
    }

    /// The store of `region`, opened on first use. The file is opened outside
    /// the lock, so other regions' requests never wait on it; when two first
    /// requests race, the store inserted first is the one kept.
    fn region_store(&self, region: &str) -> Result<Arc<RegionStore>, ApiError> {
        if let Some(found) = self.regions.lock().unwrap_or_else(|p| p.into_inner()).get(region) {
            return Ok(Arc::clone(found));
        }
        let opened = open_region(self.db.as_deref(), region)
            .map_err(|e| ApiError::internal(format!("cannot open the store of {region}: {e}")))?;
        let mut regions = self.regions.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Arc::clone(regions.entry(region.to_owned()).or_insert_with(|| Arc::new(opened))))
    }

    /// Keeps every request from now on (see `recorded`).
    pub fn recording(mut self) -> Service {
        self.journal = Some(Mutex::new(Vec::new()));
        self
    }

    /// The requests received so far, oldest first (empty unless recording).
    pub fn recorded(&self) -> Vec<Recorded> {
        self.journal.as_ref().map_or_else(Vec::new, |j| j.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    /// Throttles exactly the next `n` requests that name an operation.
    pub fn throttle_next(&self, n: u32) {
        self.throttle_next.store(n, Ordering::SeqCst);
    }

    /// True when this request is one of the `throttle-next` ones.
    fn take_throttle(&self) -> bool {
        self.throttle_next.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
    }

    /// Runs `f` in one write transaction of `region`'s store, at the
    /// service's clock (the demo fleet and `ddsp sandbox ingest` write so).
    ///
    /// Errors: what `f` returns, or the store's.
    pub fn write_region<T>(
        &self,
        region: &str,
        f: impl FnOnce(&Transaction, &Env) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let store = self.region_store(region)?;
        let env = Env { region: region.to_owned(), now: epoch_seconds((self.clock)()) };
        let mut writer = store.writer.lock().unwrap_or_else(|p| p.into_inner());
        writer.transaction(true, |tx| f(tx, &env))
    }

    /// Seeds the demo fleet (see `demo_fleet`) in `region`.
    /// `progress` is told how many things are done, after each.
    pub fn seed_demo_fleet(
        &self,
        region: &str,
        things: usize,
        progress: &mut dyn FnMut(usize),
    ) -> Result<super::DemoFleet, ApiError> {
        self.write_region(region, |tx, env| super::demo_fleet::seed(tx, env, things, progress))
    }

    /// Whether `region` keeps anything here: its store is open already, or
    /// its file exists beside the database (asking makes no file).
    pub fn keeps_region(&self, region: &str) -> bool {
        if self.regions.lock().unwrap_or_else(|p| p.into_inner()).contains_key(region) {
            return true;
        }
        self.db.as_deref().is_some_and(|db| region_path(db, region).exists())
    }

    /// Hands `region`'s kept datapoints with `from <= time < to` to `write`
    /// as metrics-export documents (`metrics_export::export`), in one read
    /// transaction on the reading connection where the store is a file: the
    /// export is one moment's data (the WAL's snapshot) and a running
    /// sandbox on the same file keeps writing meanwhile, however slowly the
    /// documents are taken.
    ///
    /// Errors: the store's, or what `write` returns.
    pub fn export_metrics(
        &self,
        region: &str,
        from: i64,
        to: i64,
        write: &mut dyn FnMut(&serde_json::Value) -> Result<(), ApiError>,
    ) -> Result<super::Exported, ApiError> {
        let store = self.region_store(region)?;
        let connection = store.reader.as_ref().unwrap_or(&store.writer);
        let mut store = connection.lock().unwrap_or_else(|p| p.into_inner());
        store.transaction(false, |tx| super::metrics_export::export(tx, from, to, write))
    }

    /// The custom metrics `region` defines and their types, for checking
    /// readings with `datapoint_fault` before they are handed to `ingest`.
    ///
    /// Errors: the store's.
    pub fn custom_metric_types(
        &self,
        region: &str,
    ) -> Result<std::collections::HashMap<String, crate::domain::metrics::MetricType>, ApiError> {
        self.write_region(region, |tx, _| super::custom_metrics::types(tx))
    }

    /// Stores readings as they are read, in one transaction: each file's
    /// batches (`Ingest::Readings`) go under a savepoint that its
    /// `Ingest::End` keeps, or rolls back when the file turned out not to
    /// read, so a bad file stores nothing. Reading and storing overlap when
    /// the reader runs on another thread. Answers each file's count, or why it
    /// stored nothing.
    ///
    /// Errors: the store's (nothing is kept then).
    pub fn ingest(
        &self,
        region: &str,
        files: std::sync::mpsc::Receiver<Ingest>,
    ) -> Result<Vec<Result<usize, String>>, ApiError> {
        self.write_region(region, |tx, _| {
            let mut w = super::store::series::Writer::new(tx);
            let mut outcomes = Vec::new();
            let (mut open, mut before) = (false, 0);
            for item in files {
                match item {
                    Ingest::Readings(batch) => {
                        if !open {
                            super::store::savepoint(tx)?;
                            (open, before) = (true, w.written());
                        }
                        for r in &batch {
                            w.write(r)?;
                        }
                    }
                    Ingest::End(result) => {
                        if open {
                            super::store::end_savepoint(tx, result.is_ok())?;
                            if result.is_err() {
                                // The rolled-back series' ids may be handed out again.
                                w.forget();
                            }
                            open = false;
                        }
                        let written = w.written() - before;
                        outcomes.push(result.map(|()| written));
                        before = w.written();
                    }
                }
            }
            Ok(outcomes)
        })
    }

    pub fn faults(&self) -> Faults {
        self.faults
    }

    /// Handles one request; `draw` is a uniform number in [0, 1) for fault injection.
    pub fn handle(&self, req: &Request, draw: f64) -> Response {
        let response = self.answer(req, draw);
        if let Some(journal) = &self.journal {
            journal.lock().unwrap_or_else(|p| p.into_inner()).push(Recorded {
                operation: response.operation,
                method: req.method.clone(),
                target: req.target.clone(),
                body: req.body.clone(),
                status: response.status,
            });
        }
        response
    }

    fn answer(&self, req: &Request, draw: f64) -> Response {
        if let Err(e) = self.check_origin(&req.headers) {
            return Response::error("-", &e);
        }
        let now = (self.clock)();
        let region = match &self.keys {
            Some(keys) => match verify(keys, &req.method, &req.target, &req.headers, &req.body, now) {
                Ok(scope_region) => scope_region,
                Err(e) => return Response::error("-", &e),
            },
            // Unchecked, but a signed request still names its region.
            None => super::sigv4::scope_region(&req.headers)
                .filter(|r| regions::is_known(r))
                .unwrap_or_else(|| self.region.clone()),
        };
        let target = Target::parse(&req.target);
        let Some(route) = route(&req.method, &target) else {
            return Response::error("-", &ApiError::unknown_operation());
        };
        let operation = route.operation();
        if self.take_throttle() {
            return Response::error(operation, &ApiError::throttled());
        }
        if self.faults.new_customer && route.is_detect() {
            return Response::error(operation, &ApiError::detect_closed());
        }
        match self.faults.pick(draw) {
            Fault::Throttle => return Response::error(operation, &ApiError::throttled()),
            Fault::Internal => return Response::error(operation, &ApiError::internal("Injected internal failure")),
            Fault::None => {}
        }
        let store = match self.region_store(&region) {
            Ok(store) => store,
            Err(e) => return Response::error(operation, &e),
        };
        let env = Env { region, now: epoch_seconds(now) };
        let write = !route.is_read();
        let connection = match (&store.reader, write) {
            (Some(reader), false) => reader,
            _ => &store.writer,
        };
        let mut store = connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let call = Call {
            target: &target,
            body: &req.body,
            headers: &req.headers,
            devices: &self.devices,
            publishing: self.alerts.publishing,
            alerts_made: std::cell::Cell::new(0),
        };
        match store.transaction(write, |tx| run(tx, &env, route, &call)) {
            Ok(body) => {
                if call.alerts_made.get() > 0 {
                    self.alerts.waiting.notify_one();
                }
                Response::ok(operation, &body)
            }
            Err(e) => Response::error(operation, &e),
        }
    }
}

impl Service {
    /// Refuses what no SDK or CLI sends but a web page does: an `Origin` header
    /// (a browser's cross-origin request), and a `Host` that is not the
    /// sandbox's own address (DNS rebinding).
    fn check_origin(&self, headers: &[(String, String)]) -> Result<(), ApiError> {
        let header = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        if header("origin").is_some() {
            return Err(ApiError::forbidden(
                "Requests from web browsers are not accepted: the request carries an Origin header",
            ));
        }
        if let Some(hosts) = &self.hosts {
            let host = header("host").unwrap_or_default();
            if !hosts.accepts(host) {
                return Err(ApiError::forbidden(format!(
                    "The Host header must name this sandbox ({}); a request for {:?} is not served",
                    hosts.describe(),
                    crate::domain::untrusted::neutralise(host)
                )));
            }
        }
        Ok(())
    }
}

/// The names a request's `Host` may give for this sandbox.
struct Hosts {
    addr: SocketAddr,
    also: Vec<String>,
}

impl Hosts {
    fn accepts(&self, host: &str) -> bool {
        if self.also.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return true;
        }
        let port = self.addr.port();
        if host.eq_ignore_ascii_case(&format!("localhost:{port}")) {
            return true;
        }
        match host.parse::<SocketAddr>() {
            Ok(asked) if asked.port() == port => {
                asked.ip() == self.addr.ip() || asked.ip().is_loopback() || self.addr.ip().is_unspecified()
            }
            _ => false,
        }
    }

    fn describe(&self) -> String {
        let mut names = vec![self.addr.to_string(), format!("localhost:{}", self.addr.port())];
        names.extend(self.also.iter().cloned());
        names.join(" or ")
    }
}

/// Where a region other than the database's own keeps its file.
fn region_path(db: &Path, region: &str) -> PathBuf {
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "sandbox".into());
    db.with_file_name(format!("{stem}.{region}.db"))
}

/// Opens the store of a region other than the first: beside the default
/// database file when there is one (owner-only, recording its region), else
/// in memory.
fn open_region(db: Option<&Path>, region: &str) -> Result<RegionStore, StoreError> {
    let Some(db) = db else {
        return Ok(RegionStore { writer: Mutex::new(Store::open(None)?), reader: None });
    };
    let path = region_path(db, region);
    crate::private_files::touch(&path)?;
    let writer = Store::open(Some(&path))?;
    let recorded = writer.region_or_adopt(region)?;
    if recorded != region {
        return Err(StoreError::OtherRegion { found: recorded, wanted: region.to_owned() });
    }
    let reader = Store::open(Some(&path))?;
    Ok(RegionStore { writer: Mutex::new(writer), reader: Some(Mutex::new(reader)) })
}

/// Epoch seconds rounded to the millisecond, as IoT returns dates.
fn epoch_seconds(time: SystemTime) -> f64 {
    let millis = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    millis as f64 / 1000.0
}

/// The body as a request shape; an empty body is `{}`.
fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ApiError::invalid("The request body is not UTF-8"))?;
    let text = if text.trim().is_empty() { "{}" } else { text };
    parse(text, Format::Json).map_err(|e| ApiError::invalid(format!("Invalid request body: {e}")))
}

/// A boolean query parameter (`recursive=true`); absent is false.
fn flag(target: &Target, name: &str) -> Result<bool, ApiError> {
    match target.param(name) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(ApiError::invalid(format!(
            "{name} must be true or false, not {:?}",
            crate::domain::untrusted::neutralise(v)
        ))),
    }
}

/// A timestamp query parameter, as SDKs send it (ISO 8601, `2024-05-01T00:00:00Z`)
/// or as epoch seconds; None when absent.
fn time(target: &Target, name: &str) -> Result<Option<i64>, ApiError> {
    use aws_smithy_types::date_time::{DateTime, Format};
    let Some(v) = target.param(name) else { return Ok(None) };
    DateTime::from_str(v, Format::DateTime)
        .or_else(|_| DateTime::from_str(v, Format::EpochSeconds))
        .map(|d| Some(d.secs()))
        .map_err(|_| {
            ApiError::invalid(format!(
                "{name} must be a timestamp (2024-05-01T00:00:00Z or epoch seconds), not {:?}",
                crate::domain::untrusted::neutralise(v)
            ))
        })
}

/// The filters ListActiveViolations and ListViolationEvents share.
fn violation_filter(t: &Target) -> Result<violations::Filter<'_>, ApiError> {
    Ok(violations::Filter {
        thing_name: t.param("thingName"),
        security_profile_name: t.param("securityProfileName"),
        behavior_criteria_type: t.param("behaviorCriteriaType"),
        list_suppressed_alerts: t.param("listSuppressedAlerts").map(|_| flag(t, "listSuppressedAlerts")).transpose()?,
        verification_state: t.param("verificationState"),
    })
}

/// A long query parameter such as expectedVersion or maxResults.
fn long(target: &Target, name: &str) -> Result<Option<i64>, ApiError> {
    target
        .param(name)
        .map(|v| v.parse::<i64>().map_err(|_| ApiError::invalid(format!("{name} must be a whole number, not {v:?}"))))
        .transpose()
}

/// What one operation is handed besides the store and its environment.
struct Call<'a> {
    target: &'a Target,
    body: &'a [u8],
    headers: &'a [(String, String)],
    devices: &'a Devices,
    /// Alerts kept are marked for publishing.
    publishing: bool,
    /// How many alerts the operation's sweep made (the publisher is woken for them).
    alerts_made: std::cell::Cell<usize>,
}

impl Call<'_> {
    /// Sweeps for alerts after the operation's write, counting what it made.
    fn sweep(&self, tx: &Transaction, env: &Env, scope: alerts::Scope<'_>) {
        let made = alerts::sweep_after(tx, env, scope, self.publishing);
        self.alerts_made.set(self.alerts_made.get() + made);
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Runs a route; a write that can take behaviors away from things records
/// the violations it ends (alarm-invalidated, `invalidated.rs`).
fn run(tx: &Transaction, env: &Env, route: Route, call: &Call) -> Result<Value, ApiError> {
    if let Route::UpdateSecurityProfile(n) = &route {
        let n = n.clone();
        // The profile as it was, when it watches anything (else nothing can end).
        let old = if invalidated::has_targets(tx, &n)? { profiles::load(tx, &n)? } else { None };
        let out = dispatch(tx, env, route, call)?;
        if let Some(old) = old {
            invalidated::record_ended_by_update(tx, env, &old)?;
        }
        // The new version alerts from now: the sweep notes when it began.
        call.sweep(tx, env, alerts::Scope::EndedOf(&n));
        return Ok(out);
    }
    if let Route::CreateSecurityProfile(n) = &route {
        // A new profile alerts from now: the sweep notes when it began.
        let name = n.clone();
        let out = dispatch(tx, env, route, call)?;
        call.sweep(tx, env, alerts::Scope::EndedOf(&name));
        return Ok(out);
    }
    if let Route::PutDeviceMetricsReport(thing) = &route {
        let things = std::collections::BTreeSet::from([thing.clone()]);
        let out = dispatch(tx, env, route.clone(), call)?;
        call.sweep(tx, env, alerts::Scope::Things(&things));
        return Ok(out);
    }
    let reach = match &route {
        Route::DeleteSecurityProfile(n) | Route::DetachSecurityProfile(n) => {
            Some(invalidated::Reach::Profile(n.clone()))
        }
        Route::DeleteThingGroup(_) | Route::DeleteThing(_) => Some(invalidated::Reach::All),
        _ => None,
    };
    let Some(reach) = reach else { return dispatch(tx, env, route, call) };
    let before = invalidated::watched_before(tx, env, &reach)?;
    let out = dispatch(tx, env, route, call)?;
    invalidated::record_lost(tx, env, before)?;
    match &reach {
        invalidated::Reach::Profile(n) => call.sweep(tx, env, alerts::Scope::EndedOf(n)),
        invalidated::Reach::All => call.sweep(tx, env, alerts::Scope::Ended),
    }
    Ok(out)
}

/// Answers one operation. A list's `nextToken` is opened here and its next
/// one sealed, bound to the query (`page_token`), so handlers see only their
/// own resume keys.
fn dispatch(tx: &Transaction, env: &Env, route: Route, call: &Call) -> Result<Value, ApiError> {
    let t = call.target;
    let scope = super::page_token::scope(route.operation(), &env.region, t);
    let token =
        t.param("nextToken").filter(|t| !t.is_empty()).map(|t| super::page_token::open(&scope, t)).transpose()?;
    let mut out = run_operation(tx, env, route, call, token)?;
    if let Some(next) = out.get_mut("nextToken")
        && let Some(inner) = next.as_str()
    {
        *next = Value::String(super::page_token::seal(&scope, inner));
    }
    Ok(out)
}

fn run_operation(
    tx: &Transaction,
    env: &Env,
    route: Route,
    call: &Call,
    token: Option<&str>,
) -> Result<Value, ApiError> {
    let (t, raw) = (call.target, call.body);
    match route {
        Route::CreateSecurityProfile(n) => profiles::create(tx, env, &n, body(raw)?),
        Route::UpdateSecurityProfile(n) => profiles::update(tx, env, &n, body(raw)?, long(t, "expectedVersion")?),
        Route::DescribeSecurityProfile(n) => profiles::describe(tx, &n),
        Route::DeleteSecurityProfile(n) => profiles::delete(tx, env, &n, long(t, "expectedVersion")?),
        Route::ListSecurityProfiles => {
            let req = crate::wire::request::ListSecurityProfilesRequest {
                next_token: token.map(str::to_owned),
                max_results: long(t, "maxResults")?,
                dimension_name: t.param("dimensionName").map(str::to_owned),
                metric_name: t.param("metricName").map(str::to_owned),
            };
            profiles::list(tx, env, req)
        }
        Route::ValidateSecurityProfileBehaviors => profiles::validate_request(tx, env, body(raw)?),
        Route::ListTagsForResource => tags::list(tx, env, t.param("resourceArn"), token),
        Route::TagResource => tags::tag(tx, env, body(raw)?),
        Route::UntagResource => tags::untag(tx, env, body(raw)?),
        Route::CreateDimension(n) => dimensions::create(tx, env, &n, body(raw)?),
        Route::DescribeDimension(n) => dimensions::describe(tx, &n),
        Route::UpdateDimension(n) => dimensions::update(tx, env, &n, body(raw)?),
        Route::DeleteDimension(n) => dimensions::delete(tx, env, &n),
        Route::ListDimensions => dimensions::list(tx, token, long(t, "maxResults")?),
        Route::CreateCustomMetric(n) => custom_metrics::create(tx, env, &n, body(raw)?),
        Route::DescribeCustomMetric(n) => custom_metrics::describe(tx, &n),
        Route::UpdateCustomMetric(n) => custom_metrics::update(tx, env, &n, body(raw)?),
        Route::DeleteCustomMetric(n) => custom_metrics::delete(tx, env, &n),
        Route::ListCustomMetrics => custom_metrics::list(tx, token, long(t, "maxResults")?),
        Route::AttachSecurityProfile(n) => targets::attach(tx, env, &n, t.param("securityProfileTargetArn")),
        Route::DetachSecurityProfile(n) => targets::detach(tx, env, &n, t.param("securityProfileTargetArn")),
        Route::ListTargetsForSecurityProfile(n) => targets::list(tx, &n, token, long(t, "maxResults")?),
        Route::ListSecurityProfilesForTarget => targets::for_target(
            tx,
            env,
            t.param("securityProfileTargetArn"),
            flag(t, "recursive")?,
            token,
            long(t, "maxResults")?,
        ),
        Route::CreateThingGroup(n) => thing_groups::create(tx, env, &n, body(raw)?),
        Route::DescribeThingGroup(n) => thing_groups::describe(tx, &n),
        Route::DeleteThingGroup(n) => thing_groups::delete(tx, env, &n, long(t, "expectedVersion")?),
        Route::ListThingGroups => {
            let filter = thing_groups::ListFilter {
                parent_group: t.param("parentGroup"),
                name_prefix: t.param("namePrefixFilter"),
                recursive: flag(t, "recursive")?,
            };
            thing_groups::list(tx, filter, token, long(t, "maxResults")?)
        }
        Route::AddThingToThingGroup => thing_groups::add_thing(tx, env, body(raw)?),
        Route::CreateThing(n) => things::create(tx, env, &n, body(raw)?),
        Route::DescribeThing(n) => things::describe(tx, &n),
        Route::DeleteThing(n) => things::delete(tx, &n, long(t, "expectedVersion")?),
        Route::ListThings => {
            let filter = things::ListFilter {
                attribute_name: t.param("attributeName"),
                attribute_value: t.param("attributeValue"),
                use_prefix: flag(t, "usePrefixAttributeValue")?,
                thing_type_name: t.param("thingTypeName"),
            };
            things::list(tx, filter, token, long(t, "maxResults")?)
        }
        Route::ListActiveViolations => {
            violations::list_active(tx, env, violation_filter(t)?, token, long(t, "maxResults")?)
        }
        Route::ListViolationEvents => {
            let window = (time(t, "startTime")?, time(t, "endTime")?);
            violations::list_events(tx, env, window, violation_filter(t)?, token, long(t, "maxResults")?)
        }
        Route::ListMetricValues => {
            let query = datapoints::MetricValuesQuery {
                thing_name: t.param("thingName"),
                metric_name: t.param("metricName"),
                dimension_name: t.param("dimensionName"),
                dimension_value_operator: t.param("dimensionValueOperator"),
                start_time: time(t, "startTime")?,
                end_time: time(t, "endTime")?,
            };
            datapoints::list_metric_values(tx, query, token, long(t, "maxResults")?)
        }
        Route::GetBehaviorModelTrainingSummaries => {
            violations::training_summaries(tx, env, t.param("securityProfileName"), token, long(t, "maxResults")?)
        }
        Route::PutVerificationStateOnViolation(id) => violations::put_verification(tx, env, &id, body(raw)?),
        Route::PutDeviceMetricsReport(thing) => {
            device_reports::over_http(tx, env, call.devices.report_interval, &thing, raw)
        }
        Route::CreateKeysAndCertificate => certificates::create(tx, env, call.devices, flag(t, "setAsActive")?),
        Route::DescribeCertificate(id) => certificates::describe(tx, &id),
        Route::UpdateCertificate(id) => certificates::update(tx, env, call.devices, &id, t.param("newStatus")),
        Route::DeleteCertificate(id) => certificates::delete(tx, &id),
        Route::ListCertificates => {
            certificates::list(tx, long(t, "pageSize")?, t.param("marker"), flag(t, "isAscendingOrder")?)
        }
        Route::AttachThingPrincipal(n) => {
            certificates::attach(tx, env, &n, call.header("x-amzn-principal"), t.param("thingPrincipalType"))
        }
        Route::DetachThingPrincipal(n) => certificates::detach(tx, &n, call.header("x-amzn-principal")),
        Route::ListThingPrincipals(n) => certificates::principals(tx, &n, token, long(t, "maxResults")?),
        Route::DescribeEndpoint => certificates::endpoint(call.devices, t.param("endpointType")),
        Route::CreateMitigationAction(n) => mitigation::create(tx, env, &n, body(raw)?),
        Route::DescribeMitigationAction(n) => mitigation::describe(tx, &n),
        Route::UpdateMitigationAction(n) => mitigation::update(tx, env, &n, body(raw)?),
        Route::DeleteMitigationAction(n) => mitigation::delete(tx, env, &n),
        Route::ListMitigationActions => mitigation::list(tx, t.param("actionType"), token, long(t, "maxResults")?),
        Route::StartDetectMitigationActionsTask(id) => mitigation::start(tx, env, &id, body(raw)?),
        Route::DescribeDetectMitigationActionsTask(id) => mitigation::describe_task(tx, &id),
        Route::CancelDetectMitigationActionsTask(id) => mitigation::cancel_task(tx, &id),
        Route::ListDetectMitigationActionsTasks => {
            mitigation::list_tasks(tx, (time(t, "startTime")?, time(t, "endTime")?), token, long(t, "maxResults")?)
        }
        Route::ListDetectMitigationActionsExecutions => mitigation::list_executions(
            tx,
            t.param("taskId"),
            (time(t, "startTime")?, time(t, "endTime")?),
            (t.param("thingName"), t.param("violationId")),
            token,
            long(t, "maxResults")?,
        ),
        Route::ListSandboxAlerts => {
            let filter = super::store::alerts::Filter {
                after: long(t, "after")?,
                topic_arn: t.param("topicArn"),
                violation_id: t.param("violationId"),
                thing: t.param("thingName"),
                profile: t.param("securityProfileName"),
            };
            alerts::list(tx, filter, token, long(t, "maxResults")?)
        }
        Route::ListThingsInThingGroup(n) => {
            thing_groups::things_in(tx, &n, flag(t, "recursive")?, token, long(t, "maxResults")?)
        }
    }
}
