//! Any request — method, path, query, headers, body — gets a well-formed AWS
//! answer from the sandbox's handler: a known status, a JSON object body, and
//! for errors an `x-amzn-ErrorType` and a `message`. Nothing panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::sandbox::{Faults, Request, Service, Store, default_keys};
use proptest::prelude::*;

fn service(auth: bool) -> Service {
    Service::new(Store::open(None).unwrap(), None, "us-east-1".into(), auth.then(default_keys), Faults::default())
}

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("security-profiles".to_owned()),
        Just("security-profile-behaviors".to_owned()),
        Just("validate".to_owned()),
        Just("tags".to_owned()),
        Just("untag".to_owned()),
        Just("dimensions".to_owned()),
        Just("custom-metric".to_owned()),
        Just("custom-metrics".to_owned()),
        Just("targets".to_owned()),
        "[a-zA-Z0-9:_-]{1,12}",
        "(%[0-9A-Fa-f]{2}|[^/?#]){0,8}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        Just(b"{}".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..64),
        "\\{\"(behaviors|tags|resourceArn|type|stringValues|metricType|securityProfileDescription|deleteBehaviors)\": (\\[\\]|\\{\\}|\"x\"|1|true|null|\\[\\{\"name\":\"b\"\\}\\])\\}"
            .prop_map(String::into_bytes),
    ]
}

fn request() -> impl Strategy<Value = Request> {
    (
        prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("PATCH"), Just("DELETE"), Just("HEAD"), Just("BREW")],
        proptest::collection::vec(segment(), 0..4),
        proptest::option::of("(expectedVersion|maxResults|nextToken|resourceArn|securityProfileTargetArn|metricName|dimensionName)=[a-z0-9%:-]{0,10}"),
        proptest::collection::vec(("[a-zA-Z-]{1,12}", "[ -~]{0,20}"), 0..3),
        body(),
    )
        .prop_map(|(method, segments, query, headers, body)| Request {
            method: method.to_owned(),
            target: format!("/{}{}", segments.join("/"), query.map(|q| format!("?{q}")).unwrap_or_default()),
            headers,
            body,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_request_gets_a_well_formed_answer(req in request(), auth in any::<bool>(), draw in 0.0f64..1.0) {
        let svc = service(auth);
        let res = svc.handle(&req, draw);
        prop_assert!([200u16, 400, 403, 404, 409, 410, 500].contains(&res.status), "{}", res.status);
        let body: serde_json::Value = serde_json::from_slice(&res.body).unwrap();
        prop_assert!(body.is_object());
        if res.status == 200 {
            prop_assert!(res.error_type.is_none());
        } else {
            prop_assert!(res.error_type.is_some());
            prop_assert!(body["message"].is_string());
        }
    }
}
