//! The sandbox's connections: each served by hyper with the router, closed
//! when a client is slow to send a request's headers or stays idle between
//! requests (hyper's header-read timeout runs whenever it waits for headers,
//! keep-alive included), and told to finish when the sandbox stops. At the
//! cap, a new client is still served: the oldest connection is told to close
//! (at once when idle or still sending its headers, after its request when
//! one is in flight), so a handful of idle sockets cannot lock everyone out
//! even under a low descriptor limit.

use std::collections::VecDeque;
use std::future::Future;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How many connections, and how long each may take or wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Connections kept open at once; past it the oldest is shed for each new one.
    pub max_connections: usize,
    /// Time for a request's headers to arrive, counted from when the
    /// connection waits for them: a slow client's, or an idle keep-alive
    /// connection's next request. Past it the connection is closed.
    pub header_timeout: Duration,
    /// Time for a request's body to arrive.
    pub body_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: connection_cap(),
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
        }
    }
}

/// A cap well inside the process's file-descriptor limit, at most 1024. The
/// rest is kept for the stores (each region's database, WAL and shared-memory
/// files, twice), the listener and the terminal: 256 descriptors, or half the
/// limit when it is under 512 (`ulimit -n 160` gives 80 connections).
pub fn connection_cap() -> usize {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, getrlimit};
        if let Ok((soft, _)) = getrlimit(Resource::RLIMIT_NOFILE) {
            let soft = usize::try_from(soft).unwrap_or(usize::MAX);
            let spare = if soft >= 512 { soft - 256 } else { soft / 2 };
            return spare.clamp(8, 1024);
        }
    }
    256
}

/// Accepts and serves connections until `shutdown` fires, then lets the open
/// ones finish their requests (at most 5 s).
pub async fn run(listener: TcpListener, app: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let (stop, stopping) = watch::channel(false);
    let mut connections = JoinSet::new();
    // Each open connection's own signal to close, oldest first.
    let mut open: VecDeque<watch::Sender<bool>> = VecDeque::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors or a reset before accept: shed the
                    // oldest connection, wait, then go on.
                    tracing::warn!(target: "ddsp::sandbox", "accept failed: {e}");
                    if let Some(oldest) = open.pop_front() {
                        let _ = oldest.send(true);
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        open.retain(|c| !c.is_closed());
        while open.len() >= limits.max_connections.max(1) {
            if let Some(oldest) = open.pop_front() {
                let _ = oldest.send(true);
            }
        }
        let _ = stream.set_nodelay(true);
        let (shed, shedding) = watch::channel(false);
        open.push_back(shed);
        connections.spawn(serve(stream, app.clone(), limits, stopping.clone(), shedding));
        while connections.try_join_next().is_some() {}
    }
    // No new connections while the open ones finish.
    drop(listener);
    let _ = stop.send(true);
    let drained = tokio::time::timeout(DRAIN, async { while connections.join_next().await.is_some() {} });
    if drained.await.is_err() {
        connections.abort_all();
    }
}

/// How long open connections get to finish their requests when the sandbox stops.
pub const DRAIN: Duration = Duration::from_secs(5);

/// Serves one connection until it ends, times out, or the sandbox stops
/// (graceful: a request in flight is answered, an idle connection closes).
async fn serve(
    stream: TcpStream,
    app: Router,
    limits: Limits,
    mut stopping: watch::Receiver<bool>,
    mut shedding: watch::Receiver<bool>,
) {
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
        _ = shedding.changed() => connection.as_mut().graceful_shutdown(),
    }
    let _ = connection.await;
}
