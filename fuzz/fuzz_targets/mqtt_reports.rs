//! The MQTT side of Device Defender reports: any bytes as MQTT packets (both
//! protocol versions, before and after CONNECT), and as a report published in
//! JSON and in CBOR, taken by the sandbox. A report always gets a reply
//! document (accepted or rejected, with `ErrorCode` and `ErrorMessage`), the
//! reply written as a PUBLISH reads back as the same topic and payload, and
//! nothing panics. Input layout: byte 0 picks JSON or CBOR, the rest is the
//! payload (and the packet bytes).
#![no_main]

use std::sync::OnceLock;

use bytes::{Bytes, BytesMut};
use ddsp::sandbox::device_reports::Format;
use ddsp::sandbox::mqtt::packets::{self, Incoming, Outgoing, Version};
use ddsp::sandbox::{Faults, Service, Store};
use libfuzzer_sys::fuzz_target;

fn service() -> &'static Service {
    static SERVICE: OnceLock<Service> = OnceLock::new();
    SERVICE.get_or_init(|| {
        Service::new(Store::open(None).expect("in-memory store"), None, "us-east-1".into(), None, Faults::default())
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, payload)) = data.split_first() else { return };
    for version in [None, Some(Version::V311), Some(Version::V5)] {
        let mut buf = BytesMut::from(payload);
        while let Ok(Some(_)) = packets::read(&mut buf, version, 4096) {}
    }
    let format = if first % 2 == 0 { Format::Json } else { Format::Cbor };
    // A thing of its own per input, so the throttle and the report_ids of
    // one input never decide another's.
    let thing = format!("t{}", u64::from_le_bytes(std::array::from_fn(|i| *data.get(i).unwrap_or(&0))));
    let replies = service().take_reports(&[(thing.clone(), format, Bytes::copy_from_slice(payload))]);
    let reply = replies.into_iter().next().expect("one reply").expect("the in-memory store never fails");
    let status = reply.document["status"].as_str().expect("a status");
    assert_eq!(status == "ACCEPTED", reply.accepted);
    if !reply.accepted {
        assert!(reply.document["statusDetails"]["ErrorCode"].is_string());
        assert!(reply.document["statusDetails"]["ErrorMessage"].is_string());
    }
    let topic = format!("$aws/things/{thing}/defender/metrics/json/{}", status.to_ascii_lowercase());
    let body = Bytes::from(reply.document.to_string());
    for version in [Version::V311, Version::V5] {
        let mut out = BytesMut::new();
        let publish = Outgoing::Publish { topic: topic.as_str().into(), payload: body.clone(), qos: 1, pkid: 9 };
        packets::write(&publish, version, &mut out).expect("a reply is written");
        match packets::read(&mut out, Some(version), 1 << 20) {
            Ok(Some(Incoming::Publish { topic: t, payload: p, .. })) => assert!(t == topic && p == body),
            other => panic!("the reply does not read back: {other:?}"),
        }
    }
});
