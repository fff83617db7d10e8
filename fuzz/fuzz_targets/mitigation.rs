//! Mitigation action parameters and task requests: the commands' reader of
//! `--action-params` / `--target` (JSON or shorthand), the shared rules, and
//! the sandbox's CreateMitigationAction, UpdateMitigationAction and
//! StartDetectMitigationActionsTask on a fleet with a violation. Never a
//! panic; every answer a well-formed AWS answer; what the rules refuse, the
//! sandbox refuses too (it is never stricter, and never looser).
//! Input layout: the first byte picks the operation, the rest is the body
//! (or the option's value).
#![no_main]

use std::sync::OnceLock;

use ddsp::domain::mitigation::{MitigationActionParams, MitigationActionRequest, StartTaskRequest, TaskTarget};
use ddsp::domain::rules::mitigation::{validate_mitigation_action, validate_start_task};
use ddsp::sandbox::{Faults, Request, Service, Store};
use libfuzzer_sys::fuzz_target;

fn call(s: &Service, method: &str, target: &str, body: &[u8]) -> (u16, serde_json::Value) {
    let req = Request { method: method.into(), target: target.into(), headers: Vec::new(), body: body.to_vec() };
    let r = s.handle(&req, 0.5);
    let body: serde_json::Value = serde_json::from_slice(&r.body).expect("a JSON body");
    if r.status >= 400 {
        assert!(r.error_type.is_some() && body.get("message").is_some());
    }
    (r.status, body)
}

/// A sandbox with a thing group, an action and one violation in alarm.
fn service() -> &'static Service {
    static SERVICE: OnceLock<Service> = OnceLock::new();
    SERVICE.get_or_init(|| {
        let s = Service::new(Store::open(None).expect("in-memory store"), None, "us-east-1".into(), None, Faults::default());
        call(&s, "POST", "/thing-groups/quarantine", b"{}");
        call(&s, "POST", "/things/cam-1", b"{}");
        let action = br#"{"roleArn": "arn:aws:iam::123456789012:role/dd", "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": ["quarantine"]}}}"#;
        call(&s, "POST", "/mitigationactions/actions/quarantine", action);
        let profile = br#"{"behaviors": [{"name": "Ports", "metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22]}}}]}"#;
        call(&s, "POST", "/security-profiles/p", profile);
        let target = "arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Aall%2Fregistered-things";
        call(&s, "PUT", &format!("/security-profiles/p/targets?securityProfileTargetArn={target}"), b"");
        let report = br#"{"header": {"report_id": 1, "version": "1.0"}, "metrics": {"listening_tcp_ports": {"ports": [{"port": 22}, {"port": 8883}]}}}"#;
        call(&s, "POST", "/sandbox/things/cam-1/metrics", report);
        s
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&op, rest)) = data.split_first() else { return };
    let s = service();
    let text = String::from_utf8_lossy(rest);
    match op % 5 {
        // The option readers the commands use.
        0 => {
            if let Ok(p) = ddsp::wire::params::structure::<MitigationActionParams>("action-params", "actionParams", &text) {
                let req = MitigationActionRequest { role_arn: Some("arn:aws:iam::123456789012:role/dd".into()), action_params: Some(p), tags: None };
                let _ = validate_mitigation_action("a", &req, true);
            }
            let _ = ddsp::wire::params::structure::<TaskTarget>("target", "target", &text);
        }
        // CreateMitigationAction: refused by the rules ⇒ refused by the sandbox.
        1 | 2 => {
            let creating = op % 5 == 1;
            let (method, name) = if creating { ("POST", "fuzzed") } else { ("PATCH", "quarantine") };
            let (status, _) = call(s, method, &format!("/mitigationactions/actions/{name}"), rest);
            if let Ok(req) = serde_json::from_slice::<MitigationActionRequest>(rest) {
                let refused = validate_mitigation_action(name, &req, creating).iter().any(|p| p.is_error());
                if refused {
                    assert_eq!(status, 400, "the rules refuse it, the sandbox must too");
                }
            }
            // Leave the fleet as it was for the next input.
            call(s, "DELETE", "/mitigationactions/actions/fuzzed", b"");
        }
        // StartDetectMitigationActionsTask.
        3 => {
            let (status, _) = call(s, "PUT", "/detect/mitigationactions/tasks/fuzz-task", rest);
            if let Ok(req) = serde_json::from_slice::<StartTaskRequest>(rest)
                && validate_start_task("fuzz-task", &req).iter().any(|p| p.is_error())
            {
                assert_eq!(status, 400, "the rules refuse it, the sandbox must too");
            }
        }
        // Executions and tasks listed with fuzzed query strings.
        _ => {
            call(s, "GET", &format!("/detect/mitigationactions/executions?{text}"), b"");
            call(s, "GET", &format!("/detect/mitigationactions/tasks?{text}"), b"");
            call(s, "GET", &format!("/sandbox/alerts?{text}"), b"");
        }
    }
});
