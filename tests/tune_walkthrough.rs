//! README's walkthrough "observe, tune, plan, apply on the demo fleet", run
//! as written: each `$ ` line of its console block in one bash session, with
//! the real binary on PATH and a fresh sandbox database (a fleet of 12 things
//! instead of 50, so the suite stays quick; every step is the same). Checks
//! that each step succeeds and says what the README shows, that the tuned
//! file changes only values, and that the violations fall.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::temp_dir;

const HEADING: &str = "### Walkthrough: observe, tune, plan, apply on the demo fleet";

/// The `$ ` commands of the walkthrough's console block.
fn commands() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = readme.split(HEADING).nth(1).expect("the walkthrough's heading is in README.md");
    let block = section.split("```console\n").nth(1).unwrap().split("```").next().unwrap();
    block
        .lines()
        .filter_map(|l| l.strip_prefix("$ "))
        .map(|c| c.replace("--demo-fleet 50", "--demo-fleet 12"))
        .collect()
}

#[test]
fn the_readme_walkthrough_observes_tunes_plans_applies_and_the_violations_fall() {
    let commands = commands();
    assert!(commands.len() >= 10, "{commands:?}");
    let dir = temp_dir("tune-walkthrough");
    std::os::unix::fs::symlink(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets"), dir.join("assets")).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_ddsp")).parent().unwrap().to_owned();
    // One shell, so `group=$(…)` carries on; a marker before each command splits the output.
    let script: String = commands.iter().enumerate().map(|(i, c)| format!("echo '@@@ {i}'\n{c}\n")).collect();
    let out = Command::new("bash")
        .args(["-e", "-o", "pipefail", "-c", &script])
        .current_dir(&dir)
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
        .env("HOME", &dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "a step failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let outputs: Vec<&str> = stdout.split("@@@ ").skip(1).map(|s| s.split_once('\n').map_or("", |(_, o)| o)).collect();
    assert_eq!(outputs.len(), commands.len());
    let output_of = |needle: &str| -> Vec<&str> {
        commands.iter().zip(&outputs).filter(|(c, _)| c.contains(needle)).map(|(_, o)| *o).collect()
    };

    // Observe: made and attached to the fleet's group.
    assert!(output_of("create-security-profile")[0].contains(":securityprofile/Observe\""), "{stdout}");
    // Tune over Observe's things: a budget, suggestions, and the file written with only values changed.
    let tuned = output_of("tune rules.json")[0];
    assert!(tuned.contains("Tune of Cloud-Rules-Baseline") && tuned.contains("12 things"), "{tuned}");
    // The window starts at midnight UTC 14 days back, so its span is 14 to 15 days with the hour; 2 alarms either way.
    let budget = "Budget: at most 1 alarm a week over every thing: 2 alarms in ";
    let days: f64 = tuned
        .split_once(budget)
        .and_then(|(_, rest)| rest.split_once(" days"))
        .and_then(|(d, _)| d.parse().ok())
        .unwrap_or_else(|| panic!("{tuned}"));
    assert!((14.0..=15.0).contains(&days), "{tuned}");
    assert!(tuned.contains("← suggested") && tuned.contains("Wrote rules.json"), "{tuned}");
    let changes: Vec<&str> = tuned.lines().filter(|l| l.trim_start().starts_with('~')).collect();
    assert!(!changes.is_empty() && changes.iter().all(|l| l.contains(".criteria.value.count")), "{tuned}");
    assert!(tuned.contains("Next: ddsp plan rules.json --sandbox"), "{tuned}");
    let rules: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("rules.json")).unwrap()).unwrap();
    assert_eq!(rules["securityProfileName"], "Cloud-Rules-Baseline");
    // The profile already watching: tuned, backtested lower, planned as an update, applied.
    let backtest = output_of("backtest")[0];
    let messages = backtest.split("\nMessagesSent:").nth(1).unwrap_or_default();
    let line = messages.lines().find(|l| l.contains("endpoint:")).unwrap_or_default();
    let alarms = |side: &str| -> usize {
        line.split(side).nth(1).and_then(|r| r.split_whitespace().next()).and_then(|n| n.parse().ok()).unwrap()
    };
    assert!(alarms("file: ") < alarms("endpoint: "), "{backtest}");
    eprintln!("{stdout}");
    let plan = output_of("ddsp plan")[0];
    assert!(plan.contains("~ update demo-fleet-watch"), "{plan}");
    assert!(output_of("ddsp apply")[0].contains("demo-fleet-watch: updated to version 2"));
    // The violations fall: the count in alarm before the apply, and after.
    let counts: Vec<usize> = output_of("length(activeViolations)").iter().map(|o| o.trim().parse().unwrap()).collect();
    assert_eq!(counts.len(), 2, "{counts:?}");
    assert!(counts[1] < counts[0], "active violations before and after: {counts:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
