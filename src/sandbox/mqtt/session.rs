//! One client connection, from CONNECT to its end, as AWS IoT's broker serves
//! it: QoS 0 and 1 (a QoS 2 publish ends the connection: AWS IoT does not
//! support QoS 2; a QoS 2 subscription is granted QoS 1), payloads up to 128
//! KB ("message size", AWS IoT quotas), the keep-alive enforced at 1.5 times
//! the period (0 and anything over 1200 s count as 1200 s, anything under 30
//! s as 30 s: AWS IoT's range). Device Defender reports published to a
//! thing's `defender/metrics/json|cbor` topic are stored and answered on its
//! `accepted` or `rejected` topic; subscribing to the publish-only topic is
//! refused (SUBACK failure), and publishing to a reply topic ends the
//! connection ("Unsupported publish or subscribe operations to reserved
//! topics can result in a terminated connection", Reserved topics).
//!
//! Choices, named: any connected client may publish any thing's reports
//! (the sandbox has no IoT policies); a client ID may be empty (a random one
//! is given, as MQTT 5 servers do); a bad packet ends that connection and
//! nothing else.

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::mpsc;

use super::broker::{Broker, Delivery, QUEUE};
use super::packets::{self, Incoming, Outgoing, ReadError, Version};
use super::reports::Reports;
use super::topics::{self, Topic};
use crate::domain::untrusted::neutralise;
use crate::sandbox::device_reports::Format;

/// AWS IoT's limit on a message's payload: 128 KB.
pub const PAYLOAD_MAX: usize = 128 * 1024;
/// A whole packet: the payload, its topic and the headers.
pub const PACKET_MAX: usize = PAYLOAD_MAX + 1024;
/// Time for a client to send CONNECT after the connection opens.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What every session shares.
pub struct Shared {
    pub broker: Broker,
    pub reports: Reports,
}

/// Why a session ended, for the log.
enum End {
    Closed,
    Disconnected,
    TakenOver,
    Protocol(String),
    Idle,
}

impl std::fmt::Display for End {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            End::Closed => f.write_str("the client closed the connection"),
            End::Disconnected => f.write_str("DISCONNECT"),
            End::TakenOver => f.write_str("another connection took its client ID, or its certificate left ACTIVE"),
            End::Protocol(why) => write!(f, "{}", neutralise(why)),
            End::Idle => f.write_str("nothing within 1.5 keep-alive periods"),
        }
    }
}

/// Serves one connection until it ends. `peer` names it in the log;
/// `certificate` is the certificateId it connected with (TLS).
pub async fn serve<S>(stream: S, shared: Arc<Shared>, peer: String, certificate: Option<String>)
where
    S: AsyncRead + AsyncWrite + Send + 'static,
{
    let (mut rd, wr) = tokio::io::split(stream);
    let mut buf = BytesMut::with_capacity(1024);
    let first = tokio::time::timeout(CONNECT_TIMEOUT, next(&mut rd, &mut buf, None)).await;
    let (version, client_id, keep_alive) = match first {
        Ok(Ok(Some(Incoming::Connect { version, client_id, keep_alive }))) => (version, client_id, keep_alive),
        Ok(Ok(_)) => return,
        Ok(Err(e)) => {
            tracing::info!(target: "ddsp::sandbox", peer = %peer, "MQTT connection refused: {e}");
            return;
        }
        Err(_) => {
            tracing::info!(target: "ddsp::sandbox", peer = %peer, "MQTT connection closed: no CONNECT within 10 s");
            return;
        }
    };
    let client_id = if client_id.is_empty() { format!("ddsp-{}", uuid::Uuid::new_v4()) } else { client_id };
    let (tx, rx) = mpsc::channel(QUEUE);
    let id = shared.broker.join(&client_id, certificate, tx.clone());
    let mut writer = tokio::spawn(write_loop(wr, rx, version));
    let _ = tx.send(Delivery::Packet(Outgoing::ConnAck { accepted: true })).await;
    tracing::info!(target: "ddsp::sandbox", peer = %peer, client = %neutralise(&client_id), "MQTT connected");
    let period = match keep_alive {
        0 => 1200,
        k => k.clamp(30, 1200),
    };
    let idle = Duration::from_millis(u64::from(period) * 1500);
    let mut writer_done = false;
    let end = loop {
        let packet = tokio::select! {
            read = tokio::time::timeout(idle, next(&mut rd, &mut buf, Some(version))) => read,
            _ = &mut writer => {
                writer_done = true;
                break End::TakenOver;
            }
        };
        let packet = match packet {
            Err(_) => break End::Idle,
            Ok(Err(e)) => break End::Protocol(e.to_string()),
            Ok(Ok(None)) => break End::Closed,
            Ok(Ok(Some(p))) => p,
        };
        match handle(packet, id, &tx, &shared).await {
            Ok(true) => {}
            Ok(false) => break End::Disconnected,
            Err(why) => break End::Protocol(why),
        }
    };
    shared.broker.leave(id);
    drop(tx);
    // The writer ends once the queue is empty and every sender is gone (a
    // finished JoinHandle is never polled again).
    if !writer_done {
        let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    }
    tracing::info!(target: "ddsp::sandbox", peer = %peer, client = %neutralise(&client_id), "MQTT disconnected: {end}");
}

/// Reads the next packet: None when the client closed the connection.
async fn next<R: AsyncRead + Unpin>(
    rd: &mut R,
    buf: &mut BytesMut,
    version: Option<Version>,
) -> Result<Option<Incoming>, ReadError> {
    loop {
        if let Some(p) = packets::read(buf, version, PACKET_MAX)? {
            return Ok(Some(p));
        }
        if buf.capacity() - buf.len() < 512 {
            buf.reserve(4096);
        }
        match rd.read_buf(buf).await {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
    }
}

/// Acts on one packet: Ok(false) when the client disconnected.
///
/// Errors: what ends the connection, said for the log.
async fn handle(packet: Incoming, id: u64, tx: &mpsc::Sender<Delivery>, shared: &Arc<Shared>) -> Result<bool, String> {
    let send = |p: Outgoing| async move { tx.send(Delivery::Packet(p)).await.map_err(|_| "closed".to_owned()) };
    match packet {
        Incoming::Connect { .. } => return Err("a second CONNECT".to_owned()),
        Incoming::Publish { topic, payload, qos, pkid } => {
            if qos > 1 {
                return Err("QoS 2 is not supported (AWS IoT supports QoS 0 and 1)".to_owned());
            }
            if let Some(fault) = topics::topic_fault(&topic) {
                return Err(format!("publish refused: {fault}"));
            }
            if payload.len() > PAYLOAD_MAX {
                return Err(format!("the payload is {} bytes; AWS IoT takes at most {PAYLOAD_MAX}", payload.len()));
            }
            if qos == 1 {
                send(Outgoing::PubAck { pkid }).await?;
            }
            match topics::classify(&topic) {
                Topic::Report { thing, format } => {
                    let thing = thing.to_owned();
                    let shared = Arc::clone(shared);
                    tokio::spawn(async move { answer_report(&shared, thing, format, payload).await });
                }
                Topic::Reply => {
                    return Err(format!("publish to {} refused: the service publishes there", neutralise(&topic)));
                }
                Topic::Plain => {
                    shared.broker.publish(&topic, payload, qos);
                }
            }
        }
        Incoming::PubAck => {}
        Incoming::Subscribe { pkid, filters } => {
            let mut granted = Vec::with_capacity(filters.len());
            for (filter, qos) in filters {
                if topics::filter_fault(&filter).is_some() || topics::is_publish_only(&filter) {
                    granted.push(None);
                    continue;
                }
                let qos = qos.min(1);
                shared.broker.subscribe(id, &filter, qos);
                granted.push(Some(qos));
            }
            send(Outgoing::SubAck { pkid, granted }).await?;
        }
        Incoming::Unsubscribe { pkid, filters } => {
            for f in &filters {
                shared.broker.unsubscribe(id, f);
            }
            send(Outgoing::UnsubAck { pkid, count: filters.len() }).await?;
        }
        Incoming::PingReq => send(Outgoing::PingResp).await?,
        Incoming::Disconnect => return Ok(false),
        Incoming::Unexpected(name) => return Err(format!("a client does not send {name}")),
    }
    Ok(true)
}

/// Stores a report and publishes the service's reply on its topic.
async fn answer_report(shared: &Shared, thing: String, format: Format, payload: Bytes) {
    match shared.reports.take(&thing, format, payload).await {
        Ok(reply) => {
            let topic = topics::reply_topic(&thing, format, reply.accepted);
            tracing::info!(
                target: "ddsp::sandbox",
                thing = %neutralise(&thing),
                status = if reply.accepted { "ACCEPTED" } else { "REJECTED" },
                datapoints = reply.stored,
                "Device Defender report"
            );
            // The reply is in the report's own encoding: agents decode what
            // arrives on `…/cbor/accepted` as CBOR.
            let payload = match format {
                Format::Json => reply.document.to_string().into_bytes(),
                Format::Cbor => {
                    let mut out = Vec::new();
                    if let Err(e) = ciborium::ser::into_writer(&reply.document, &mut out) {
                        tracing::warn!(target: "ddsp::sandbox", "reply not encoded: {e}");
                        return;
                    }
                    out
                }
            };
            shared.broker.publish(&topic, Bytes::from(payload), 1);
            for batch in reply.exports {
                shared.broker.publish(&batch.topic, Bytes::from(batch.document.to_string()), 1);
            }
        }
        Err(e) => {
            tracing::warn!(target: "ddsp::sandbox", thing = %neutralise(&thing), "report not stored: {}", e.message);
        }
    }
}

/// Writes what the session is handed, in order; ends when told to close or
/// when every sender is gone.
async fn write_loop<W: AsyncWrite + Unpin>(mut wr: W, mut rx: mpsc::Receiver<Delivery>, version: Version) {
    let mut out = BytesMut::with_capacity(1024);
    let mut pkid: u16 = 0;
    while let Some(first) = rx.recv().await {
        let mut next = Some(first);
        // Everything already waiting goes out in one write.
        while let Some(d) = next.take() {
            let packet = match d {
                Delivery::Close => {
                    let _ = wr.write_all(&out).await;
                    let _ = wr.shutdown().await;
                    return;
                }
                Delivery::Packet(p) => p,
                Delivery::Message { topic, payload, qos } => {
                    if qos >= 1 {
                        pkid = pkid.checked_add(1).filter(|p| *p != 0).unwrap_or(1);
                    }
                    Outgoing::Publish { topic, payload, qos, pkid }
                }
            };
            if let Err(e) = packets::write(&packet, version, &mut out) {
                tracing::warn!(target: "ddsp::sandbox", "MQTT packet not sent: {e}");
            }
            next = rx.try_recv().ok();
        }
        if wr.write_all(&out).await.is_err() || wr.flush().await.is_err() {
            return;
        }
        out.clear();
    }
    let _ = wr.shutdown().await;
}
