//! The sandbox's MQTT endpoint, where devices connect as they connect to AWS
//! IoT: MQTT 3.1.1 and 5 over TLS with client certificates (`--mqtt-port`,
//! 8883 by default; ALPN `x-amzn-mqtt-ca` accepted, so `--mqtt-port 443`
//! serves agents that have no port option), and optionally over plain TCP on
//! loopback for quick tests (`--mqtt-tcp-port`). A real broker: clients
//! publish and subscribe to their own topics too.
//!
//! Why not rumqttd, which embeds as a library: its TLS takes only file paths
//! and checks a client certificate against a CA, never a certificate's
//! status (an INACTIVE or REVOKED certificate must be refused, as AWS IoT
//! refuses it); it has no hook to refuse a subscription (the publish-only
//! report topics); and its MQTT 5 is experimental. So packets are read and
//! written by rumqttc's codec (the same project's), and the broker's
//! semantics, which are AWS IoT's and the sandbox's to imitate, are here.
//!
//! Bounds: a connection cap (past it a new connection is closed at once; a
//! device's connection is long-lived, so none is shed for it), 10 s for the
//! TLS handshake and for CONNECT, packets up to 128 KB of payload, a
//! queue of 256 messages per client (a slow client misses messages; it
//! never slows the others).

pub mod broker;
pub mod packets;
pub mod reports;
pub mod session;
pub mod tls;
pub mod topics;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinHandle;

use super::Service;

/// The TLS port AWS IoT serves MQTT on (and ddsp's default).
pub const DEFAULT_TLS_PORT: u16 = 8883;
/// Time for a TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Which MQTT listeners to open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MqttConfig {
    /// The TLS listener's port (0 picks a free one); None: no TLS listener.
    pub tls_port: Option<u16>,
    /// The plain-TCP listener's port, always on loopback; None: none.
    pub tcp_port: Option<u16>,
    /// Names and addresses the server certificate holds besides `localhost`,
    /// 127.0.0.1, ::1 and the bound address (`--allow-host`, ports dropped).
    pub hosts: Vec<String>,
}

/// Why a listener could not open.
#[derive(Debug, thiserror::Error)]
pub enum MqttError {
    #[error("cannot listen for MQTT on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the MQTT listener's TLS: {0}")]
    Tls(String),
}

/// The open listeners.
pub struct Mqtt {
    pub tls: Option<SocketAddr>,
    pub tcp: Option<SocketAddr>,
    shared: Arc<session::Shared>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Mqtt {
    /// `mqtts://ADDR` of the TLS listener.
    pub fn tls_url(&self) -> Option<String> {
        self.tls.map(|a| format!("mqtts://{a}"))
    }

    /// `mqtt://ADDR` of the plain listener.
    pub fn tcp_url(&self) -> Option<String> {
        self.tcp.map(|a| format!("mqtt://{a}"))
    }

    /// Clients connected now.
    pub fn sessions(&self) -> usize {
        self.shared.broker.sessions()
    }

    /// Stops accepting; open connections are dropped with the runtime.
    pub fn stop(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            t.abort();
        }
    }
}

/// Opens the listeners `config` asks for, on `bind` (the plain one on loopback).
///
/// Errors: a port that cannot be bound, or a CA that cannot make the server certificate.
pub async fn start(service: Arc<Service>, bind: IpAddr, config: &MqttConfig) -> Result<Mqtt, MqttError> {
    let shared = Arc::new(session::Shared {
        broker: broker::Broker::default(),
        reports: reports::Reports::start(Arc::clone(&service)),
    });
    let (stop, stopping) = watch::channel(false);
    let cap = Arc::new(Semaphore::new(connection_cap()));
    let mut tasks = Vec::new();
    // A certificate that leaves ACTIVE takes its connections with it.
    let mut leaving = service.devices().certificates_leaving();
    let watcher = Arc::clone(&shared);
    tasks.push(tokio::spawn(async move {
        loop {
            match leaving.recv().await {
                Ok(id) => {
                    let closed = watcher.broker.close_certificate(&id);
                    if closed > 0 {
                        tracing::info!(target: "ddsp::sandbox", certificate = %id, closed, "connections closed: the certificate left ACTIVE");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
            }
        }
    }));
    let mut tls_addr = None;
    if let Some(port) = config.tls_port {
        let addr = SocketAddr::new(bind, port);
        let listener = TcpListener::bind(addr).await.map_err(|source| MqttError::Bind { addr, source })?;
        let addr = listener.local_addr().map_err(|source| MqttError::Bind { addr, source })?;
        let authority = service.devices().authority().map_err(|e| MqttError::Tls(e.to_string()))?;
        let mut hosts = vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "::1".to_owned()];
        if !bind.is_unspecified() {
            hosts.push(bind.to_string());
        }
        hosts.extend(config.hosts.iter().cloned());
        let tls = tls::server_config(&authority, &hosts, Arc::clone(&service)).map_err(MqttError::Tls)?;
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let host = if bind.is_loopback() || bind.is_unspecified() { "localhost".to_owned() } else { bind.to_string() };
        service.devices().listening(&host, addr.port());
        tasks.push(tokio::spawn(accept(
            listener,
            Transport::Tls(acceptor),
            Arc::clone(&shared),
            Arc::clone(&cap),
            stopping.clone(),
        )));
        tls_addr = Some(addr);
    }
    let mut tcp_addr = None;
    if let Some(port) = config.tcp_port {
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
        let listener = TcpListener::bind(addr).await.map_err(|source| MqttError::Bind { addr, source })?;
        tcp_addr = Some(listener.local_addr().map_err(|source| MqttError::Bind { addr, source })?);
        tasks.push(tokio::spawn(accept(listener, Transport::Plain, Arc::clone(&shared), cap, stopping)));
    }
    Ok(Mqtt { tls: tls_addr, tcp: tcp_addr, shared, stop, tasks })
}

/// Connections at once: what the descriptor limit leaves after the HTTP
/// side's share and the stores (at least 16). The soft limit is raised to
/// the hard one first: a fleet's devices each hold a connection.
pub fn connection_cap() -> usize {
    #[cfg(unix)]
    {
        use nix::sys::resource::{Resource, getrlimit, setrlimit};
        if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE)
            && soft < hard
        {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, hard, hard);
        }
        if let Ok((soft, _)) = getrlimit(Resource::RLIMIT_NOFILE) {
            let soft = usize::try_from(soft).unwrap_or(usize::MAX);
            return soft.saturating_sub(super::server::connection_cap() + 256).clamp(16, 1_000_000);
        }
    }
    1024
}

/// How a listener's connections are served: with TLS (and its certificate
/// check), or as they are.
#[derive(Clone)]
enum Transport {
    Tls(tokio_rustls::TlsAcceptor),
    Plain,
}

/// Accepts connections until stopped; each, within the cap, gets its task:
/// the TLS handshake (bounded) when the listener has one, then its session.
async fn accept(
    listener: TcpListener,
    transport: Transport,
    shared: Arc<session::Shared>,
    cap: Arc<Semaphore>,
    mut stopping: watch::Receiver<bool>,
) {
    loop {
        let (stream, peer) = tokio::select! {
            _ = stopping.changed() => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(target: "ddsp::sandbox", "MQTT accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = Arc::clone(&cap).try_acquire_owned() else {
            tracing::warn!(target: "ddsp::sandbox", peer = %peer, "MQTT connection refused: at the connection cap");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (transport, shared) = (transport.clone(), Arc::clone(&shared));
        tokio::spawn(async move {
            let _permit = permit;
            let acceptor = match transport {
                Transport::Plain => return session::serve(stream, shared, peer.to_string(), None).await,
                Transport::Tls(acceptor) => acceptor,
            };
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => {
                    let certificate = tls
                        .get_ref()
                        .1
                        .peer_certificates()
                        .and_then(|chain| chain.first())
                        .map(|der| crate::sandbox::authority::certificate_id(der));
                    session::serve(tls, shared, peer.to_string(), certificate).await;
                }
                Ok(Err(e)) => {
                    tracing::info!(target: "ddsp::sandbox", peer = %peer, "MQTT TLS handshake failed: {e}");
                }
                Err(_) => tracing::info!(target: "ddsp::sandbox", peer = %peer, "MQTT TLS handshake timed out"),
            }
        });
    }
}
