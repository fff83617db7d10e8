//! What the sandbox's device side shares with its operations: the certificate
//! authority (made or read on first use), the MQTT endpoint's address
//! (DescribeEndpoint's answer), and the shortest time between two reports of
//! one thing.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use super::authority::{Authority, AuthorityError};

/// The documented throttle: "Devices are throttled to one metric report every
/// 5 minutes" (Developer Guide, device-side metrics).
pub const REPORT_INTERVAL: i64 = 300;

/// Devices' side of the sandbox.
pub struct Devices {
    /// The database the CA is kept beside (None: in memory).
    db: Option<PathBuf>,
    authority: Mutex<Option<Arc<Authority>>>,
    /// `iot:Data-ATS`'s address, set when the TLS listener is bound.
    endpoint: OnceLock<String>,
    /// Seconds a thing must wait between two accepted reports: 300 unless
    /// `--report-interval` lowers it for tests and demos.
    pub report_interval: i64,
    /// The ids of certificates that left ACTIVE, for the MQTT listeners to
    /// drop the connections made with them.
    left_active: tokio::sync::broadcast::Sender<String>,
}

impl Devices {
    pub fn new(db: Option<PathBuf>, report_interval: i64) -> Devices {
        let (left_active, _) = tokio::sync::broadcast::channel(64);
        Devices { db, authority: Mutex::new(None), endpoint: OnceLock::new(), report_interval, left_active }
    }

    /// The CA, read from beside the database or made on first use.
    ///
    /// Errors: its files cannot be read or written.
    pub fn authority(&self) -> Result<Arc<Authority>, AuthorityError> {
        let mut slot = self.authority.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(a) = slot.as_ref() {
            return Ok(Arc::clone(a));
        }
        let made = Arc::new(Authority::open(self.db.as_deref())?);
        *slot = Some(Arc::clone(&made));
        Ok(made)
    }

    /// Records where the TLS listener is: the host alone on 8883 or 443 (as
    /// AWS IoT answers: clients pick the port), `host:port` on any other
    /// port, so that the port is not lost.
    pub fn listening(&self, host: &str, port: u16) {
        let address = if port == 8883 || port == 443 { host.to_owned() } else { format!("{host}:{port}") };
        let _ = self.endpoint.set(address);
    }

    /// A certificate left ACTIVE (INACTIVE or REVOKED): "AWS IoT disconnects
    /// all devices that are using the certificate" (UpdateCertificate, API
    /// reference; AWS takes minutes, the sandbox does it at once).
    pub fn certificate_left_active(&self, id: &str) {
        let _ = self.left_active.send(id.to_owned());
    }

    /// Hears each certificate that leaves ACTIVE.
    pub fn certificates_leaving(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.left_active.subscribe()
    }

    /// DescribeEndpoint's answer for the data endpoint; before any TLS
    /// listener is bound, `localhost`.
    pub fn data_endpoint(&self) -> String {
        self.endpoint.get().cloned().unwrap_or_else(|| "localhost".to_owned())
    }
}
