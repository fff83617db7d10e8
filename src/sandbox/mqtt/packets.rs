//! The MQTT packets the broker reads and writes, in either protocol version
//! the listeners speak (3.1.1 and 5, as AWS IoT does). Every byte is read and
//! written by rumqttc's codec (`mqttbytes::v4` and `v5::mqttbytes::v5`);
//! this file only narrows the two versions to what the broker acts on.

use bytes::{Bytes, BytesMut};
use rumqttc::mqttbytes as m4;
use rumqttc::mqttbytes::v4;
use rumqttc::v5::mqttbytes as m5;
use rumqttc::v5::mqttbytes::v5;

/// The protocol version a client connected with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// MQTT 3.1.1 (protocol level 4).
    V311,
    /// MQTT 5.
    V5,
}

/// A packet from a client, as the broker sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Connect {
        version: Version,
        client_id: String,
        keep_alive: u16,
    },
    Publish {
        topic: String,
        payload: Bytes,
        qos: u8,
        pkid: u16,
    },
    /// The client's acknowledgement of a QoS 1 message sent to it.
    PubAck,
    Subscribe {
        pkid: u16,
        filters: Vec<(String, u8)>,
    },
    Unsubscribe {
        pkid: u16,
        filters: Vec<String>,
    },
    PingReq,
    Disconnect,
    /// A packet a client does not send to AWS IoT, or only in QoS 2's flow
    /// (which AWS IoT does not support): its name.
    Unexpected(&'static str),
}

/// Why the bytes read so far are not a packet the broker can take.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("the packet is larger than {0} bytes")]
    TooLarge(usize),
    #[error("malformed packet: {0}")]
    Malformed(String),
    #[error("the first packet is not CONNECT")]
    NotConnect,
    #[error("protocol level {0} is not MQTT 3.1.1 (4) or 5")]
    Level(u8),
}

/// Reads one packet from the front of `buf`, or None when more bytes are
/// needed. `version` is None until CONNECT, whose protocol level decides it.
/// `max` bounds a whole packet (bytes).
///
/// Errors: a packet over `max`, malformed, or (before CONNECT) anything else.
pub fn read(buf: &mut BytesMut, version: Option<Version>, max: usize) -> Result<Option<Incoming>, ReadError> {
    match version {
        Some(Version::V311) => read_v4(buf, max),
        Some(Version::V5) => read_v5(buf, max),
        None => {
            // The protocol level is in CONNECT's variable header: read as 3.1.1
            // first (on a copy), and as 5 when the level says so.
            let mut copy = buf.clone();
            match read_v4(&mut copy, max) {
                Ok(Some(p @ Incoming::Connect { .. })) => {
                    *buf = copy;
                    Ok(Some(p))
                }
                Ok(None) => Ok(None),
                Ok(Some(_)) => Err(ReadError::NotConnect),
                Err(ReadError::Level(5)) => match read_v5(buf, max)? {
                    Some(p @ Incoming::Connect { .. }) => Ok(Some(p)),
                    Some(_) => Err(ReadError::NotConnect),
                    None => Ok(None),
                },
                Err(e) => Err(e),
            }
        }
    }
}

fn error4(e: m4::Error, max: usize) -> ReadError {
    match e {
        m4::Error::PayloadSizeLimitExceeded(_) => ReadError::TooLarge(max),
        m4::Error::InvalidProtocolLevel(level) => ReadError::Level(level),
        other => ReadError::Malformed(other.to_string()),
    }
}

fn error5(e: m5::Error, max: usize) -> ReadError {
    match e {
        m5::Error::PayloadSizeLimitExceeded { .. } => ReadError::TooLarge(max),
        m5::Error::InvalidProtocolLevel(level) => ReadError::Level(level),
        other => ReadError::Malformed(other.to_string()),
    }
}

fn read_v4(buf: &mut BytesMut, max: usize) -> Result<Option<Incoming>, ReadError> {
    let packet = match v4::Packet::read(buf, max) {
        Ok(p) => p,
        Err(m4::Error::InsufficientBytes(_)) => return Ok(None),
        Err(e) => return Err(error4(e, max)),
    };
    Ok(Some(match packet {
        // The 3.1.1 reader also takes level 5, reading its properties as
        // the client ID: level 5 is read again as MQTT 5.
        v4::Packet::Connect(c) if c.protocol == m4::Protocol::V5 => return Err(ReadError::Level(5)),
        v4::Packet::Connect(c) => {
            Incoming::Connect { version: Version::V311, client_id: c.client_id, keep_alive: c.keep_alive }
        }
        v4::Packet::Publish(p) => {
            Incoming::Publish { topic: p.topic, payload: p.payload, qos: p.qos as u8, pkid: p.pkid }
        }
        v4::Packet::PubAck(_) => Incoming::PubAck,
        v4::Packet::Subscribe(s) => Incoming::Subscribe {
            pkid: s.pkid,
            filters: s.filters.into_iter().map(|f| (f.path, f.qos as u8)).collect(),
        },
        v4::Packet::Unsubscribe(u) => Incoming::Unsubscribe { pkid: u.pkid, filters: u.topics },
        v4::Packet::PingReq => Incoming::PingReq,
        v4::Packet::Disconnect => Incoming::Disconnect,
        v4::Packet::PubRec(_) => Incoming::Unexpected("PUBREC"),
        v4::Packet::PubRel(_) => Incoming::Unexpected("PUBREL"),
        v4::Packet::PubComp(_) => Incoming::Unexpected("PUBCOMP"),
        v4::Packet::ConnAck(_) => Incoming::Unexpected("CONNACK"),
        v4::Packet::SubAck(_) => Incoming::Unexpected("SUBACK"),
        v4::Packet::UnsubAck(_) => Incoming::Unexpected("UNSUBACK"),
        v4::Packet::PingResp => Incoming::Unexpected("PINGRESP"),
    }))
}

fn read_v5(buf: &mut BytesMut, max: usize) -> Result<Option<Incoming>, ReadError> {
    let packet = match v5::Packet::read(buf, Some(max as u32)) {
        Ok(p) => p,
        Err(m5::Error::InsufficientBytes(_)) => return Ok(None),
        Err(e) => return Err(error5(e, max)),
    };
    Ok(Some(match packet {
        v5::Packet::Connect(c, _, _) => {
            Incoming::Connect { version: Version::V5, client_id: c.client_id, keep_alive: c.keep_alive }
        }
        v5::Packet::Publish(p) => {
            let topic = String::from_utf8(p.topic.to_vec())
                .map_err(|_| ReadError::Malformed("the topic is not UTF-8".to_owned()))?;
            Incoming::Publish { topic, payload: p.payload, qos: p.qos as u8, pkid: p.pkid }
        }
        v5::Packet::PubAck(_) => Incoming::PubAck,
        v5::Packet::Subscribe(s) => Incoming::Subscribe {
            pkid: s.pkid,
            filters: s.filters.into_iter().map(|f| (f.path, f.qos as u8)).collect(),
        },
        v5::Packet::Unsubscribe(u) => Incoming::Unsubscribe { pkid: u.pkid, filters: u.filters },
        v5::Packet::PingReq(_) => Incoming::PingReq,
        v5::Packet::Disconnect(_) => Incoming::Disconnect,
        v5::Packet::PubRec(_) => Incoming::Unexpected("PUBREC"),
        v5::Packet::PubRel(_) => Incoming::Unexpected("PUBREL"),
        v5::Packet::PubComp(_) => Incoming::Unexpected("PUBCOMP"),
        v5::Packet::ConnAck(_) => Incoming::Unexpected("CONNACK"),
        v5::Packet::SubAck(_) => Incoming::Unexpected("SUBACK"),
        v5::Packet::UnsubAck(_) => Incoming::Unexpected("UNSUBACK"),
        v5::Packet::PingResp(_) => Incoming::Unexpected("PINGRESP"),
        v5::Packet::Auth(_) => Incoming::Unexpected("AUTH"),
    }))
}

/// A packet the broker sends.
#[derive(Debug, Clone, PartialEq)]
pub enum Outgoing {
    /// CONNACK: accepted, or refused as not authorized.
    ConnAck {
        accepted: bool,
    },
    /// SUBACK: per filter, the QoS granted, or None for a refused filter.
    SubAck {
        pkid: u16,
        granted: Vec<Option<u8>>,
    },
    UnsubAck {
        pkid: u16,
        count: usize,
    },
    PubAck {
        pkid: u16,
    },
    Publish {
        topic: std::sync::Arc<str>,
        payload: Bytes,
        qos: u8,
        pkid: u16,
    },
    PingResp,
}

fn qos4(q: u8) -> m4::QoS {
    if q >= 1 { m4::QoS::AtLeastOnce } else { m4::QoS::AtMostOnce }
}

fn qos5(q: u8) -> m5::QoS {
    if q >= 1 { m5::QoS::AtLeastOnce } else { m5::QoS::AtMostOnce }
}

/// Appends `packet`, encoded for `version`, to `buf`.
///
/// Errors: the codec's (a packet over the protocol's limits).
pub fn write(packet: &Outgoing, version: Version, buf: &mut BytesMut) -> Result<(), String> {
    const MAX: usize = 268_435_455;
    match version {
        Version::V311 => {
            let p = match packet {
                Outgoing::ConnAck { accepted } => v4::Packet::ConnAck(v4::ConnAck::new(
                    if *accepted { v4::ConnectReturnCode::Success } else { v4::ConnectReturnCode::NotAuthorized },
                    false,
                )),
                Outgoing::SubAck { pkid, granted } => v4::Packet::SubAck(v4::SubAck::new(
                    *pkid,
                    granted
                        .iter()
                        .map(|g| match g {
                            Some(q) => v4::SubscribeReasonCode::Success(qos4(*q)),
                            None => v4::SubscribeReasonCode::Failure,
                        })
                        .collect(),
                )),
                Outgoing::UnsubAck { pkid, .. } => v4::Packet::UnsubAck(v4::UnsubAck::new(*pkid)),
                Outgoing::PubAck { pkid } => v4::Packet::PubAck(v4::PubAck::new(*pkid)),
                Outgoing::Publish { topic, payload, qos, pkid } => v4::Packet::Publish(v4::Publish {
                    dup: false,
                    qos: qos4(*qos),
                    retain: false,
                    topic: topic.to_string(),
                    pkid: if *qos >= 1 { *pkid } else { 0 },
                    payload: payload.clone(),
                }),
                Outgoing::PingResp => v4::Packet::PingResp,
            };
            p.write(buf, MAX).map(|_| ()).map_err(|e| e.to_string())
        }
        Version::V5 => {
            let p = match packet {
                Outgoing::ConnAck { accepted } => v5::Packet::ConnAck(v5::ConnAck {
                    session_present: false,
                    code: if *accepted { v5::ConnectReturnCode::Success } else { v5::ConnectReturnCode::NotAuthorized },
                    properties: None,
                }),
                Outgoing::SubAck { pkid, granted } => v5::Packet::SubAck(v5::SubAck {
                    pkid: *pkid,
                    return_codes: granted
                        .iter()
                        .map(|g| match g {
                            Some(q) => v5::SubscribeReasonCode::Success(qos5(*q)),
                            None => v5::SubscribeReasonCode::NotAuthorized,
                        })
                        .collect(),
                    properties: None,
                }),
                Outgoing::UnsubAck { pkid, count } => v5::Packet::UnsubAck(v5::UnsubAck {
                    pkid: *pkid,
                    reasons: vec![v5::UnsubAckReason::Success; *count],
                    properties: None,
                }),
                Outgoing::PubAck { pkid } => {
                    v5::Packet::PubAck(v5::PubAck { pkid: *pkid, reason: v5::PubAckReason::Success, properties: None })
                }
                Outgoing::Publish { topic, payload, qos, pkid } => {
                    let mut p = v5::Publish::new(topic.as_ref(), qos5(*qos), payload.clone(), None);
                    p.pkid = if *qos >= 1 { *pkid } else { 0 };
                    v5::Packet::Publish(p)
                }
                Outgoing::PingResp => v5::Packet::PingResp(v5::PingResp),
            };
            p.write(buf, None).map(|_| ()).map_err(|e| e.to_string())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn connect_v4(id: &str) -> BytesMut {
        let mut buf = BytesMut::new();
        v4::Packet::Connect(v4::Connect::new(id)).write(&mut buf, 1 << 20).unwrap();
        buf
    }

    #[test]
    fn connect_decides_the_version_and_partial_packets_wait() {
        let whole = connect_v4("thing-1");
        let mut part = BytesMut::from(&whole[..whole.len() - 2]);
        assert_eq!(read(&mut part, None, 1024).unwrap(), None, "half a packet needs more bytes");
        let mut buf = whole.clone();
        match read(&mut buf, None, 1024).unwrap().unwrap() {
            Incoming::Connect { version, client_id, .. } => {
                assert_eq!((version, client_id.as_str()), (Version::V311, "thing-1"));
            }
            other => panic!("{other:?}"),
        }
        assert!(buf.is_empty());
        let mut v5buf = BytesMut::new();
        v5::Packet::Connect(
            v5::Connect { keep_alive: 30, client_id: "five".into(), clean_start: true, properties: None },
            None,
            None,
        )
        .write(&mut v5buf, None)
        .unwrap();
        match read(&mut v5buf, None, 1024).unwrap().unwrap() {
            Incoming::Connect { version, .. } => assert_eq!(version, Version::V5),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn too_large_malformed_and_not_connect_are_refused() {
        let mut buf = BytesMut::new();
        v4::Packet::Publish(v4::Publish::new("t", m4::QoS::AtMostOnce, vec![0u8; 2000]))
            .write(&mut buf, 1 << 20)
            .unwrap();
        assert_eq!(read(&mut buf.clone(), Some(Version::V311), 1000), Err(ReadError::TooLarge(1000)));
        assert_eq!(read(&mut buf, None, 1 << 20), Err(ReadError::NotConnect));
        let mut junk = BytesMut::from(&[0xF0u8, 0x00][..]);
        assert!(read(&mut junk, Some(Version::V311), 1024).is_err());
    }
}
