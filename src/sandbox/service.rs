//! The sandbox's request handling, free of HTTP plumbing: a request (method,
//! target, headers, body) goes through SigV4, routing and fault injection, then
//! runs as one store transaction; the answer is a status, an optional error
//! type and a JSON body. The server and the fuzz target both call `handle`.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use rusqlite::Transaction;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::clock::now_epoch_seconds;
use super::errors::ApiError;
use super::faults::{Fault, Faults};
use super::resource::Env;
use super::router::{Route, Target, route};
use super::sigv4::{Keys, verify};
use super::store::Store;
use super::{custom_metrics, dimensions, profiles, tags, targets};
use crate::wire::input::{Format, parse};

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

/// The sandbox service: storage, region, keys and faults.
pub struct Service {
    store: Mutex<Store>,
    /// A second connection for reads, so they need not wait for a writer's fsync
    /// (WAL lets readers run beside one writer). None for an in-memory store.
    reader: Option<Mutex<Store>>,
    region: String,
    keys: Option<Keys>,
    faults: Faults,
    /// Requests still to throttle (`throttle-next`), counted down as they arrive.
    throttle_next: AtomicU32,
    /// Every request and its status, when recording.
    journal: Option<Mutex<Vec<Recorded>>>,
}

impl Service {
    pub fn new(store: Store, reader: Option<Store>, region: String, keys: Option<Keys>, faults: Faults) -> Service {
        let throttle_next = AtomicU32::new(faults.throttle_next);
        Service {
            store: Mutex::new(store),
            reader: reader.map(Mutex::new),
            region,
            keys,
            faults,
            throttle_next,
            journal: None,
        }
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
        if let Some(keys) = &self.keys
            && let Err(e) = verify(keys, &req.method, &req.target, &req.headers, &req.body)
        {
            return Response::error("-", &e);
        }
        let target = Target::parse(&req.target);
        let Some(route) = route(&req.method, &target) else {
            return Response::error("-", &ApiError::unknown_operation());
        };
        let operation = route.operation();
        if self.take_throttle() {
            return Response::error(operation, &ApiError::throttled());
        }
        match self.faults.pick(draw) {
            Fault::Throttle => return Response::error(operation, &ApiError::throttled()),
            Fault::Internal => return Response::error(operation, &ApiError::internal("Injected internal failure")),
            Fault::None => {}
        }
        let env = Env { region: self.region.clone(), now: now_epoch_seconds() };
        let write = !route.is_read();
        let connection = match (&self.reader, write) {
            (Some(reader), false) => reader,
            _ => &self.store,
        };
        let mut store = connection.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match store.transaction(write, |tx| run(tx, &env, route, &target, &req.body)) {
            Ok(body) => Response::ok(operation, &body),
            Err(e) => Response::error(operation, &e),
        }
    }
}

/// The body as a request shape; an empty body is `{}`.
fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ApiError::invalid("The request body is not UTF-8"))?;
    let text = if text.trim().is_empty() { "{}" } else { text };
    parse(text, Format::Json).map_err(|e| ApiError::invalid(format!("Invalid request body: {e}")))
}

/// A long query parameter such as expectedVersion or maxResults.
fn long(target: &Target, name: &str) -> Result<Option<i64>, ApiError> {
    target
        .param(name)
        .map(|v| v.parse::<i64>().map_err(|_| ApiError::invalid(format!("{name} must be a whole number, not {v:?}"))))
        .transpose()
}

fn run(tx: &Transaction, env: &Env, route: Route, t: &Target, raw: &[u8]) -> Result<Value, ApiError> {
    let token = t.param("nextToken");
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
        Route::ListTagsForResource => tags::list(tx, t.param("resourceArn"), token),
        Route::TagResource => tags::tag(tx, body(raw)?),
        Route::UntagResource => tags::untag(tx, body(raw)?),
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
        Route::AttachSecurityProfile(n) => targets::attach(tx, &n, t.param("securityProfileTargetArn")),
        Route::DetachSecurityProfile(n) => targets::detach(tx, &n, t.param("securityProfileTargetArn")),
        Route::ListTargetsForSecurityProfile(n) => targets::list(tx, &n, token, long(t, "maxResults")?),
    }
}
