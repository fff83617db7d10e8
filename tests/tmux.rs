//! The real binary in a real terminal: tmux at 80x24 runs `ddsp --sandbox`, a
//! profile with two behaviors is typed in and created (version 1), a threshold
//! is changed and updated (the confirm screen shows the one-line diff and
//! expectedVersion 1; version 2), and the SDK reads it back from the sandbox's
//! database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::tmux::{Tmux, require_tmux};
use common::{configured, temp_dir};
use ddsp::client::for_sandbox;
use ddsp::sandbox::{SandboxConfig, default_keys, serve};

#[test]
#[ignore = "end-to-end in tmux: scripts/test installs tmux and runs it with --include-ignored"]
fn a_profile_typed_in_tmux_is_saved_on_the_sandbox() {
    require_tmux();
    let data = temp_dir("tmux-data");
    let command = format!(
        "env XDG_DATA_HOME={} XDG_CONFIG_HOME={} TERM=xterm-256color {} --sandbox",
        data.display(),
        configured(&data).display(),
        env!("CARGO_BIN_EXE_ddsp")
    );
    let tmux = Tmux::start(&format!("ddsp-test-{}", std::process::id()), &command);
    tmux.wait_for("No security profiles on this endpoint yet.");

    tmux.keys(&["C-n"]);
    tmux.wait_for("1 Start from");
    tmux.keys(&["Enter"]);
    tmux.wait_for("new security profile");
    tmux.text("TmuxProfile");
    tmux.keys(&["Down"]);
    tmux.text("Made in tmux");
    tmux.keys(&["C-n"]);
    tmux.wait_for("No behaviors yet");
    tmux.text("a");
    tmux.wait_for("Search:");
    tmux.text("num-messages-sent");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Value (count)");
    tmux.keys(&["Down", "Down", "Down", "Down"]);
    tmux.text("100");
    tmux.wait_for("100");
    tmux.keys(&["Escape"]);
    tmux.wait_for("messages sent > 100 in 5 minutes");
    tmux.text("a");
    tmux.wait_for("Search:");
    tmux.text("listening-tcp-ports");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Value (ports)");
    tmux.keys(&["Down", "Down", "Down"]);
    tmux.text("22, 443");
    tmux.keys(&["Escape"]);
    tmux.wait_for("listening tcp ports outside [22, 443]");
    // Attached to nothing yet: a warning, which does not block.
    let screen = tmux.wait_for("0 errors, 1 warning");
    assert!(screen.lines().count() <= 24);
    tmux.keys(&["C-s"]);
    tmux.wait_for("The request, as --cli-input-json:");
    tmux.keys(&["Enter"]);
    tmux.wait_for("TmuxProfile is saved");
    tmux.wait_for("Version        1");

    // Back to the profile: change a threshold, see the one-line diff and the version expected, submit.
    tmux.keys(&["Enter"]);
    tmux.wait_for("version 1");
    tmux.keys(&["Up"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Behavior 1");
    tmux.keys(&["Down", "Down", "Down", "Down", "Down", "BSpace", "BSpace", "BSpace"]);
    tmux.text("150");
    tmux.keys(&["Escape"]);
    tmux.wait_for("messages sent > 150 in 5 minutes");
    tmux.keys(&["C-s"]);
    let confirm = tmux.wait_for("expectedVersion 1");
    assert!(confirm.contains("~ behaviors[behavior-1].criteria.value.count: 100 → 150"), "{confirm}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Version        2");
    tmux.keys(&["C-c"]);
    tmux.wait_exit();

    // Read it back through the SDK from the same database.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let db = data.join("ddsp").join("sandbox.db");
        assert!(db.exists(), "{} missing", db.display());
        let sandbox = serve(SandboxConfig { db: Some(db), ..SandboxConfig::ephemeral() }).await.unwrap();
        let iot = for_sandbox(&sandbox.url(), &default_keys(), "us-east-1");
        let p = iot.describe_security_profile().security_profile_name("TmuxProfile").send().await.unwrap();
        assert_eq!(p.security_profile_description(), Some("Made in tmux"));
        let behaviors = p.behaviors();
        assert_eq!(behaviors.len(), 2);
        assert_eq!(behaviors[0].metric(), Some("aws:num-messages-sent"));
        assert_eq!(p.version(), 2);
        assert_eq!(behaviors[0].criteria().unwrap().value().unwrap().count(), Some(150));
        assert_eq!(behaviors[1].criteria().unwrap().value().unwrap().ports(), [22, 443]);
        sandbox.stop().await;
    });
}

/// An in-process sandbox that records every request, on its own runtime, with
/// an SDK client for playing the other party.
struct Endpoint {
    runtime: tokio::runtime::Runtime,
    sandbox: Option<ddsp::sandbox::Sandbox>,
    iot: aws_sdk_iot::Client,
}

impl Endpoint {
    fn start() -> Endpoint {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let sandbox = runtime.block_on(serve(SandboxConfig { record: true, ..SandboxConfig::ephemeral() })).unwrap();
        let iot = for_sandbox(&sandbox.url(), &default_keys(), "us-east-1");
        Endpoint { runtime, sandbox: Some(sandbox), iot }
    }

    fn sandbox(&self) -> &ddsp::sandbox::Sandbox {
        self.sandbox.as_ref().unwrap()
    }

    /// The editor in `dir` against this endpoint, isolated from the user's AWS settings.
    fn editor_command(&self, dir: &Path) -> String {
        configured(dir);
        format!(
            "cd {dir} && env -u AWS_PROFILE -u AWS_REGION -u AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID={key} \
             AWS_SECRET_ACCESS_KEY={secret} AWS_CONFIG_FILE={dir}/aws-config AWS_SHARED_CREDENTIALS_FILE={dir}/aws-credentials \
             AWS_EC2_METADATA_DISABLED=true XDG_DATA_HOME={dir}/data XDG_CONFIG_HOME={dir}/config TERM=xterm-256color \
             {bin} --endpoint-url {url} --region us-east-1",
            dir = dir.display(),
            key = ddsp::sandbox::DEFAULT_ACCESS_KEY,
            secret = ddsp::sandbox::DEFAULT_SECRET_KEY,
            bin = env!("CARGO_BIN_EXE_ddsp"),
            url = self.sandbox().url(),
        )
    }

    /// Creates a profile with two count behaviors (Authorization > `auth`, Messages > 100).
    fn seed(&self, name: &str, auth: i64) {
        use aws_sdk_iot::types::{Behavior, BehaviorCriteria, ComparisonOperator, MetricValue};
        let b = |name: &str, metric: &str, count: i64| {
            Behavior::builder()
                .name(name)
                .metric(metric)
                .criteria(
                    BehaviorCriteria::builder()
                        .comparison_operator(ComparisonOperator::LessThanEquals)
                        .value(MetricValue::builder().count(count).build())
                        .duration_seconds(300)
                        .build(),
                )
                .build()
                .unwrap()
        };
        let behaviors = vec![
            b("Authorization", "aws:num-authorization-failures", auth),
            b("Messages", "aws:num-messages-sent", 100),
        ];
        self.runtime
            .block_on(
                self.iot
                    .create_security_profile()
                    .security_profile_name(name)
                    .security_profile_description("Fleet baseline")
                    .set_behaviors(Some(behaviors))
                    .send(),
            )
            .unwrap();
    }

    fn describe(&self, name: &str) -> aws_sdk_iot::operation::describe_security_profile::DescribeSecurityProfileOutput {
        self.runtime.block_on(self.iot.describe_security_profile().security_profile_name(name).send()).unwrap()
    }

    /// The requests of one operation, in order.
    fn recorded(&self, operation: &str) -> Vec<ddsp::sandbox::Recorded> {
        self.sandbox().recorded().into_iter().filter(|r| r.operation == operation).collect()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if let Some(s) = self.sandbox.take() {
            self.runtime.block_on(s.stop());
        }
    }
}

/// Compact JSON with every object's keys sorted.
fn canonical(v: &serde_json::Value) -> String {
    fn sorted(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                serde_json::Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&m[k]))).collect())
            }
            serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    serde_json::to_string(&sorted(v)).unwrap()
}

/// The count threshold of the named behavior.
fn count(p: &aws_sdk_iot::operation::describe_security_profile::DescribeSecurityProfileOutput, name: &str) -> i64 {
    let b = p.behaviors().iter().find(|b| b.name() == name).unwrap();
    b.criteria().unwrap().value().unwrap().count().unwrap()
}

#[test]
#[ignore = "end-to-end in tmux: scripts/test installs tmux and runs it with --include-ignored"]
fn a_conflict_made_by_another_client_is_reapplied_and_the_body_sent_is_the_one_shown() {
    require_tmux();
    let endpoint = Endpoint::start();
    endpoint.seed("Fleet", 10);
    let dir = temp_dir("tmux-conflict");
    let tmux = Tmux::start(&format!("ddsp-conflict-{}", std::process::id()), &endpoint.editor_command(&dir));
    tmux.wait_for("Fleet");
    tmux.keys(&["Enter"]);
    tmux.wait_for("version 1");
    // The description is the first field of an existing profile; the cursor is at its end.
    tmux.text(" (edited)");
    tmux.wait_for("Fleet baseline (edited)");

    // Another client raises the Authorization threshold meanwhile: version 2.
    let mut server = endpoint.describe("Fleet").behaviors().to_vec();
    let mut raised = server[0].criteria().unwrap().clone();
    raised.value = Some(aws_sdk_iot::types::MetricValue::builder().count(20).build());
    server[0].criteria = Some(raised);
    endpoint
        .runtime
        .block_on(
            endpoint
                .iot
                .update_security_profile()
                .security_profile_name("Fleet")
                .set_behaviors(Some(server))
                .expected_version(1)
                .send(),
        )
        .unwrap();

    tmux.keys(&["C-s"]);
    tmux.wait_for("expectedVersion 1");
    tmux.keys(&["Enter"]);
    let conflict = tmux.wait_for("it is now version 2");
    assert!(conflict.contains("behaviors[Authorization].criteria.value.count: 10 → 20"), "{conflict}");
    assert!(conflict.contains("securityProfileDescription"), "{conflict}");
    tmux.keys(&["r"]);
    tmux.wait_for("reapplied on version 2");
    tmux.keys(&["C-s"]);
    let confirm = tmux.wait_for("expectedVersion 2");
    assert!(confirm.contains("securityProfileDescription"), "{confirm}");
    assert!(!confirm.contains("count: 10"), "the server's change is not undone: {confirm}");
    tmux.keys(&["w"]);
    tmux.wait_for("Wrote Fleet.update.json (use");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Version        3");

    let p = endpoint.describe("Fleet");
    assert_eq!(p.version(), 3);
    assert_eq!(p.security_profile_description(), Some("Fleet baseline (edited)"));
    assert_eq!(count(&p, "Authorization"), 20);
    assert_eq!(count(&p, "Messages"), 100);

    // What reached the sandbox is what the confirm screen showed: the name in the
    // path, expectedVersion in the query, every other member in the body, in order.
    let shown: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("Fleet.update.json")).unwrap()).unwrap();
    let mut body = shown.clone();
    let map = body.as_object_mut().unwrap();
    assert_eq!(map.shift_remove("securityProfileName"), Some(serde_json::json!("Fleet")));
    assert_eq!(map.shift_remove("expectedVersion"), Some(serde_json::json!(2)));
    let updates = endpoint.recorded("UpdateSecurityProfile");
    let sent = updates.iter().rfind(|r| r.status == 200).unwrap();
    // The SDK writes the top-level members in its own order, so both sides are
    // put in one canonical order (keys sorted) before the bytes are compared.
    let sent_body: serde_json::Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(canonical(&sent_body), canonical(&body));
    assert_eq!(sent_body, body);
    assert_eq!(sent.target, "/security-profiles/Fleet?expectedVersion=2");
    // The first submit went out with the version the editor had opened.
    assert!(updates.iter().any(|r| r.status == 409 && r.target.ends_with("expectedVersion=1")));
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

#[test]
#[ignore = "end-to-end in tmux: scripts/test installs tmux and runs it with --include-ignored"]
fn a_throttled_submit_succeeds_after_retries_and_delete_wants_the_name() {
    require_tmux();
    let endpoint = Endpoint::start();
    endpoint.seed("Edge", 5);
    let dir = temp_dir("tmux-throttle");
    let tmux = Tmux::start(&format!("ddsp-throttle-{}", std::process::id()), &endpoint.editor_command(&dir));
    tmux.wait_for("Edge");
    tmux.keys(&["Enter"]);
    tmux.wait_for("version 1");
    tmux.text(" v2");
    tmux.keys(&["C-s"]);
    tmux.wait_for("expectedVersion 1");
    // The next two requests are throttled; the SDK's standard retry gets through on the third.
    endpoint.sandbox().throttle_next(2);
    tmux.keys(&["Enter"]);
    tmux.wait_for("Version        2");
    let statuses: Vec<u16> = endpoint.recorded("UpdateSecurityProfile").iter().map(|r| r.status).collect();
    assert_eq!(statuses, [400, 400, 200]);
    assert_eq!(endpoint.describe("Edge").security_profile_description(), Some("Fleet baseline v2"));

    // Delete from the editor: nothing happens until the name is typed exactly.
    tmux.keys(&["Enter"]);
    tmux.wait_for("version 2");
    tmux.keys(&["C-x"]);
    tmux.wait_for("Delete Edge (version 2)?");
    tmux.text("Edg");
    tmux.keys(&["Enter"]);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(endpoint.recorded("DeleteSecurityProfile").is_empty());
    tmux.text("e");
    tmux.wait_for("Enter deletes");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Deleted Edge");
    let deletes = endpoint.recorded("DeleteSecurityProfile");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0].target, "/security-profiles/Edge?expectedVersion=2");
    assert_eq!(deletes[0].status, 200);
    let gone = endpoint.runtime.block_on(endpoint.iot.describe_security_profile().security_profile_name("Edge").send());
    assert!(gone.unwrap_err().into_service_error().is_resource_not_found_exception());
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
}

#[test]
#[ignore = "end-to-end in tmux: scripts/test installs tmux and runs it with --include-ignored"]
fn escape_sequences_in_a_description_never_reach_the_terminal() {
    require_tmux();
    let endpoint = Endpoint::start();
    // The description's charset rule is a warning, so the sandbox takes this as AWS would.
    let hostile = "a\u{1b}[66;66Hb\u{1b}]52;c;SGVsbG8=\u{7}c\u{9b}31md\u{1b}P1$r\u{1b}\\e\u{202e}fed";
    endpoint
        .runtime
        .block_on(
            endpoint
                .iot
                .create_security_profile()
                .security_profile_name("Hostile")
                .security_profile_description(hostile)
                .send(),
        )
        .unwrap();
    let dir = temp_dir("tmux-hostile");
    let tmux = Tmux::start(&format!("ddsp-hostile-{}", std::process::id()), &endpoint.editor_command(&dir));
    let bytes = dir.join("pty-output");
    Tmux::tmux(&["pipe-pane", "-t", &tmux.session, "-o", &format!("cat >> {}", bytes.display())]);
    tmux.wait_for("Hostile");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Description");
    // Focus the description field (a text input): it opens at its start;
    // End shows its end.
    tmux.keys(&["Down", "Up"]);
    tmux.wait_for("[66;66H");
    tmux.keys(&["End"]);
    tmux.wait_for("\\u{202e}");
    tmux.keys(&["C-c"]);
    tmux.wait_exit();
    let out = std::fs::read(&bytes).unwrap();
    assert!(out.len() > 100, "nothing was captured");
    let find = |needle: &[u8]| out.windows(needle.len()).any(|w| w == needle);
    for (what, needle) in [
        ("the injected cursor move", &b"\x1b[66;66H"[..]),
        ("OSC 52", b"\x1b]52"),
        ("BEL", b"\x07"),
        ("C1 CSI", "\u{9b}".as_bytes()),
        ("DCS", b"\x1bP"),
        ("U+202E", "\u{202e}".as_bytes()),
    ] {
        assert!(!find(needle), "{what} reached the terminal");
    }
}
