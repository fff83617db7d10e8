//! The real binary in a real terminal: tmux at 80x24 runs `ddsp --sandbox`, a
//! profile with two behaviors is typed in and created (version 1), a threshold
//! is changed and updated (the confirm screen shows the one-line diff and
//! expectedVersion 1; version 2), and the SDK reads it back from the sandbox's
//! database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{temp_dir, timeout};
use ddsp::client::for_sandbox;
use ddsp::sandbox::{SandboxConfig, default_keys, serve};

struct Tmux {
    session: String,
}

impl Tmux {
    fn tmux(args: &[&str]) -> String {
        let out = Command::new("tmux").args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn start(session: &str, command: &str) -> Tmux {
        let _ = Command::new("tmux").args(["kill-session", "-t", session]).output();
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", session, "-x", "80", "-y", "24", command])
            .status()
            .unwrap();
        assert!(status.success());
        Tmux { session: session.to_owned() }
    }

    fn screen(&self) -> String {
        Self::tmux(&["capture-pane", "-p", "-t", &self.session])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend(keys);
        Self::tmux(&args);
    }

    /// Types literal text.
    fn text(&self, text: &str) {
        Self::tmux(&["send-keys", "-t", &self.session, "-l", text]);
    }

    /// Waits until the screen shows `text` (DDSP_TEST_TIMEOUT_SECS bounds it).
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + timeout();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {text:?}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.session]).output();
    }
}

#[test]
fn a_profile_typed_in_tmux_is_saved_on_the_sandbox() {
    if Command::new("tmux").arg("-V").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "tmux is missing; scripts/test installs it");
        eprintln!("skipped: no tmux");
        return;
    }
    let data = temp_dir("tmux-data");
    let command =
        format!("env XDG_DATA_HOME={} TERM=xterm-256color {} --sandbox", data.display(), env!("CARGO_BIN_EXE_ddsp"));
    let tmux = Tmux::start(&format!("ddsp-test-{}", std::process::id()), &command);
    tmux.wait_for("No security profiles on this endpoint yet.");

    tmux.keys(&["C-n"]);
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
    tmux.wait_for("greater-than 100");
    tmux.text("a");
    tmux.wait_for("Search:");
    tmux.text("listening-tcp-ports");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Value (ports)");
    tmux.keys(&["Down", "Down", "Down"]);
    tmux.text("22, 443");
    tmux.keys(&["Escape"]);
    tmux.wait_for("in-port-set 22, 443");
    let screen = tmux.wait_for("No problems");
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
    tmux.wait_for("greater-than 150");
    tmux.keys(&["C-s"]);
    let confirm = tmux.wait_for("expectedVersion 1");
    assert!(confirm.contains("~ behaviors[behavior-1].criteria.value.count: 100 → 150"), "{confirm}");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Version        2");
    tmux.keys(&["C-c"]);
    let deadline = Instant::now() + timeout();
    while Tmux::tmux(&["list-sessions"]).contains(&tmux.session) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }

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
