//! The broker's shared state: the sessions connected now and their
//! subscriptions, and delivery of a message to every subscriber. Exact
//! filters are kept in a map by topic, so a reply to one thing's report
//! reaches its subscriber without scanning every session; wildcard filters
//! are matched one by one.
//!
//! As AWS IoT's broker: a second connection with a client ID already
//! connected takes over, and the first is closed; sessions are clean (no
//! messages are kept for a client that is not connected, and none are
//! retained: named choices, the sandbox keeps no persistent sessions).
//! Delivery never waits on a slow client: a subscriber whose queue is full
//! does not get the message, and is counted.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::topics::{filter_covers, has_wildcards};

/// What a session's writer is handed.
#[derive(Debug)]
pub enum Delivery {
    /// A packet to send as it is.
    Packet(super::packets::Outgoing),
    /// A message for a subscription granted at `qos`.
    Message { topic: Arc<str>, payload: Bytes, qos: u8 },
    /// Close the connection: another took its client ID.
    Close,
}

/// How many messages wait for one client's writer at most.
pub const QUEUE: usize = 256;

struct Session {
    client_id: String,
    /// The certificate it connected with (TLS), by certificateId.
    certificate: Option<String>,
    tx: mpsc::Sender<Delivery>,
    filters: Vec<String>,
}

#[derive(Default)]
struct Routes {
    sessions: HashMap<u64, Session>,
    by_client: HashMap<String, u64>,
    exact: HashMap<String, Vec<(u64, u8)>>,
    /// By the filter's literal prefix (its levels before the first wildcard).
    wildcards: HashMap<String, Vec<(String, u64, u8)>>,
}

/// The levels of a filter before its first wildcard, joined by `/`.
fn literal_prefix(filter: &str) -> String {
    filter.split('/').take_while(|l| *l != "+" && *l != "#").collect::<Vec<_>>().join("/")
}

/// The sessions and their subscriptions.
#[derive(Default)]
pub struct Broker {
    routes: Mutex<Routes>,
    next: AtomicU64,
    /// Messages not delivered because a subscriber's queue was full.
    pub dropped: AtomicU64,
}

impl Broker {
    /// Registers a connected client (and the certificate it connected with);
    /// a session with the same client ID is told to close.
    pub fn join(&self, client_id: &str, certificate: Option<String>, tx: mpsc::Sender<Delivery>) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut r = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = r.by_client.insert(client_id.to_owned(), id)
            && let Some(s) = r.sessions.get(&old)
        {
            let _ = s.tx.try_send(Delivery::Close);
        }
        r.sessions.insert(id, Session { client_id: client_id.to_owned(), certificate, tx, filters: Vec::new() });
        id
    }

    /// Tells every session connected with this certificate to close; answers how many.
    pub fn close_certificate(&self, certificate: &str) -> usize {
        let r = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut closed = 0;
        for s in r.sessions.values().filter(|s| s.certificate.as_deref() == Some(certificate)) {
            // A full queue still closes: the session's writer ends on Close or when the queue drains.
            if s.tx.try_send(Delivery::Close).is_ok() {
                closed += 1;
            }
        }
        closed
    }

    /// Forgets a session and its subscriptions.
    pub fn leave(&self, id: u64) {
        let mut r = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let Some(s) = r.sessions.remove(&id) else { return };
        if r.by_client.get(&s.client_id) == Some(&id) {
            r.by_client.remove(&s.client_id);
        }
        for f in &s.filters {
            remove_route(&mut r, id, f);
        }
    }

    /// Subscribes a session to a filter at `qos` (again: the new QoS).
    pub fn subscribe(&self, id: u64, filter: &str, qos: u8) {
        let mut r = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        remove_route(&mut r, id, filter);
        let Some(s) = r.sessions.get_mut(&id) else { return };
        s.filters.push(filter.to_owned());
        if has_wildcards(filter) {
            r.wildcards.entry(literal_prefix(filter)).or_default().push((filter.to_owned(), id, qos));
        } else {
            r.exact.entry(filter.to_owned()).or_default().push((id, qos));
        }
    }

    pub fn unsubscribe(&self, id: u64, filter: &str) {
        let mut r = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        remove_route(&mut r, id, filter);
        if let Some(s) = r.sessions.get_mut(&id) {
            s.filters.retain(|f| f != filter);
        }
    }

    /// Delivers a message to every subscription that covers `topic`, at the
    /// lower of `qos` and the QoS granted; a session gets it once however
    /// many of its filters match (at the highest of their QoS). Answers how
    /// many sessions it was queued for.
    pub fn publish(&self, topic: &str, payload: Bytes, qos: u8) -> usize {
        let r = self.routes.lock().unwrap_or_else(|p| p.into_inner());
        let mut targets: HashMap<u64, u8> = HashMap::new();
        for (id, granted) in r.exact.get(topic).into_iter().flatten() {
            let e = targets.entry(*id).or_default();
            *e = (*e).max(*granted);
        }
        // The empty prefix, then each of the topic's own: "a", "a/b", … "a/b/c".
        let ends =
            std::iter::once(0).chain(topic.match_indices('/').map(|(i, _)| i)).chain(std::iter::once(topic.len()));
        for (i, end) in ends.enumerate() {
            let prefix = if i == 0 { "" } else { &topic[..end] };
            for (filter, id, granted) in r.wildcards.get(prefix).into_iter().flatten() {
                if filter_covers(filter, topic) {
                    let e = targets.entry(*id).or_default();
                    *e = (*e).max(*granted);
                }
            }
        }
        if targets.is_empty() {
            return 0;
        }
        let topic: Arc<str> = Arc::from(topic);
        let mut queued = 0;
        for (id, granted) in targets {
            let Some(s) = r.sessions.get(&id) else { continue };
            let message =
                Delivery::Message { topic: Arc::clone(&topic), payload: payload.clone(), qos: qos.min(granted) };
            if s.tx.try_send(message).is_ok() {
                queued += 1;
            } else {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
        queued
    }

    /// How many clients are connected.
    pub fn sessions(&self) -> usize {
        self.routes.lock().unwrap_or_else(|p| p.into_inner()).sessions.len()
    }
}

fn remove_route(r: &mut Routes, id: u64, filter: &str) {
    if has_wildcards(filter) {
        let prefix = literal_prefix(filter);
        if let Some(list) = r.wildcards.get_mut(&prefix) {
            list.retain(|(f, i, _)| !(*i == id && f == filter));
            if list.is_empty() {
                r.wildcards.remove(&prefix);
            }
        }
    } else if let Some(list) = r.exact.get_mut(filter) {
        list.retain(|(i, _)| *i != id);
        if list.is_empty() {
            r.exact.remove(filter);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn messages_reach_each_matching_session_once_and_a_takeover_closes_the_first() {
        let broker = Broker::default();
        let (a_tx, mut a_rx) = mpsc::channel(4);
        let (b_tx, mut b_rx) = mpsc::channel(4);
        let a = broker.join("a", Some("cert-a".into()), a_tx);
        let b = broker.join("b", None, b_tx);
        broker.subscribe(a, "x/y", 1);
        broker.subscribe(a, "x/+", 0);
        broker.subscribe(b, "other", 0);
        broker.subscribe(b, "#", 0);
        broker.subscribe(b, "x/y/#", 0);
        broker.unsubscribe(b, "#");
        assert_eq!(broker.publish("x/y", Bytes::from_static(b"hi"), 1), 2, "a (twice over) and b");
        match a_rx.try_recv().unwrap() {
            Delivery::Message { qos, .. } => assert_eq!(qos, 1, "the highest QoS of the matching filters"),
            other => panic!("{other:?}"),
        }
        assert!(a_rx.try_recv().is_err(), "once, not once per filter");
        assert!(matches!(b_rx.try_recv().unwrap(), Delivery::Message { .. }), "x/y/# covers x/y");
        assert!(b_rx.try_recv().is_err());
        broker.unsubscribe(b, "x/y/#");
        broker.unsubscribe(a, "x/y");
        broker.unsubscribe(a, "x/+");
        assert_eq!(broker.publish("x/y", Bytes::new(), 0), 0);
        let (c_tx, _c_rx) = mpsc::channel(4);
        broker.join("b", None, c_tx);
        assert!(matches!(b_rx.try_recv().unwrap(), Delivery::Close));
        assert_eq!(broker.close_certificate("cert-a"), 1, "a certificate that left ACTIVE closes its sessions");
        assert!(matches!(a_rx.try_recv().unwrap(), Delivery::Close));
        broker.leave(b);
        assert_eq!(broker.sessions(), 2, "a and the new b");
    }

    #[test]
    fn a_full_queue_drops_instead_of_waiting() {
        let broker = Broker::default();
        let (tx, _rx) = mpsc::channel(1);
        let id = broker.join("slow", None, tx);
        broker.subscribe(id, "t", 0);
        assert_eq!(broker.publish("t", Bytes::new(), 0), 1);
        assert_eq!(broker.publish("t", Bytes::new(), 0), 0);
        assert_eq!(broker.dropped.load(Ordering::Relaxed), 1);
    }
}
