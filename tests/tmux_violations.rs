//! The demo fleet in a real terminal: `ddsp sandbox ingest --demo-fleet`,
//! then `ddsp --sandbox` in tmux at 80x24. The violations view lists the
//! misbehaving devices and marks one; a behavior's chart shows, and raising
//! its threshold marks fewer windows.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::tmux::{Tmux, require_tmux};
use common::{configured, temp_dir};

/// The ▲ marks on the chart's alarm row.
fn marks(screen: &str) -> usize {
    screen.lines().filter(|l| !l.contains("alarm")).map(|l| l.matches('▲').count()).sum()
}

#[test]
#[ignore = "end-to-end in tmux: scripts/test installs tmux and runs it with --include-ignored"]
fn the_demo_fleet_shows_its_violations_and_a_chart_that_follows_the_threshold() {
    require_tmux();
    let data = temp_dir("tmux-demo");
    let config = configured(&data);
    let seeded = Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(["sandbox", "ingest", "--demo-fleet", "24"])
        .env("XDG_DATA_HOME", &data)
        .env("XDG_CONFIG_HOME", &config)
        .output()
        .unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    let stdout = String::from_utf8_lossy(&seeded.stdout);
    let misbehaving: Vec<String> =
        stdout.lines().find_map(|l| l.strip_prefix("misbehaving: ")).unwrap().split(", ").map(str::to_owned).collect();

    let command = format!(
        "env XDG_DATA_HOME={} XDG_CONFIG_HOME={} TERM=xterm-256color {} --sandbox",
        data.display(),
        config.display(),
        env!("CARGO_BIN_EXE_ddsp")
    );
    let tmux = Tmux::start(&format!("ddsp-demo-{}", std::process::id()), &command);
    tmux.wait_for("demo-fleet-watch");

    // The first profile by name is the ML one: its model status.
    tmux.keys(&["F4"]);
    tmux.wait_for("violations of demo-fleet-model");
    tmux.wait_for("MessagesReceivedModel: ACTIVE · 100% of its data");
    tmux.keys(&["Escape"]);
    tmux.wait_for("Enter open");
    // The rules profile: the devices still in alarm are misbehaving ones.
    tmux.text("watch");
    tmux.keys(&["F4"]);
    tmux.wait_for("violations of demo-fleet-watch");
    let screen = tmux.wait_for("active violation");
    let listed: Vec<&String> = misbehaving.iter().filter(|d| screen.contains(d.as_str())).collect();
    assert!(!listed.is_empty(), "{screen}");
    tmux.keys(&["Enter", "Down", "Down", "Enter"]); // from the first state: FALSE, BENIGN, TRUE_POSITIVE
    tmux.wait_for("Verification state saved");
    tmux.wait_for("TRUE_POSITIVE");
    assert!(tmux.screen().lines().count() <= 24);
    tmux.keys(&["Escape"]);
    tmux.wait_for("Enter open");

    // The profile, its first behavior (MessagesSent), the chart.
    // Esc clears the filter; wait for it, so the next letter is not read as Alt+w.
    tmux.keys(&["Escape"]);
    tmux.wait_for("demo-fleet-model");
    tmux.text("watch");
    tmux.wait_for("Filter: watch");
    tmux.keys(&["Enter"]);
    tmux.wait_for("version 1");
    tmux.keys(&["C-n", "Enter"]);
    tmux.wait_for("Behavior 1: alarm when messages sent ≥ 100");
    tmux.keys(&["F4"]);
    let before = tmux.wait_for("F5 one thing");
    let before_alarms = tmux.wait_for("alarms on");
    assert!(before_alarms.contains("▲"), "{before_alarms}");
    let marked = marks(&before_alarms);
    assert!(marked > 0, "{before}");

    // Raise the threshold far above the bursts: fewer windows are marked.
    tmux.keys(&["Down", "Down", "Down", "Down", "Down", "C-u"]);
    tmux.text("1000");
    let after = tmux.wait_for("alarm when messages sent ≥ 1000");
    let after = if after.contains("no window would alarm") { after } else { tmux.wait_for("would alarm") };
    assert!(marks(&after) < marked, "before:\n{before_alarms}\nafter:\n{after}");
    assert!(after.lines().count() <= 24);
    tmux.keys(&["C-q"]);
}
