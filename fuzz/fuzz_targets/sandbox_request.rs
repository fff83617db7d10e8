//! The sandbox's request handling: method, path, headers and body taken from
//! the input; every request gets a well-formed AWS answer, never a panic.
//! Input layout: METHOD \n TARGET \n (NAME: VALUE \n)* \n BODY.
#![no_main]

use std::sync::OnceLock;

use ddsp::sandbox::{Faults, Request, Service, Store};
use libfuzzer_sys::fuzz_target;

fn service() -> &'static Service {
    static SERVICE: OnceLock<Service> = OnceLock::new();
    SERVICE.get_or_init(|| {
        Service::new(Store::open(None).expect("in-memory store"), None, "us-east-1".into(), None, Faults::default())
    })
}

fn request(data: &[u8]) -> Request {
    let text = String::from_utf8_lossy(data);
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let method = lines.next().unwrap_or("GET").to_owned();
    let target = lines.next().unwrap_or("/").to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Request { method, target, headers, body: body.as_bytes().to_vec() }
}

fuzz_target!(|data: &[u8]| {
    let response = service().handle(&request(data), 0.5);
    assert!((200..600).contains(&response.status));
    let body: serde_json::Value = serde_json::from_slice(&response.body).expect("a JSON body");
    if response.status >= 400 {
        assert!(response.error_type.is_some());
        assert!(body.get("message").is_some());
    }
});
