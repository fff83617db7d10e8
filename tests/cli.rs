//! The `ddsp` binary as a script uses it: output, exit codes, stdin.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn ddsp(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_valid_file_exits_0() {
    for file in [
        "tests/fixtures/possible-issue-create.json",
        "tests/fixtures/possible-issue-create.yaml",
        "file://tests/fixtures/possible-issue-update.json",
    ] {
        let out = ddsp(&["validate", file], None);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", text(&out.stderr));
        assert!(out.stdout.is_empty());
        assert!(text(&out.stderr).contains("valid (CreateSecurityProfile request)"), "{}", text(&out.stderr));
    }
}

#[test]
fn problems_print_as_path_colon_message_and_exit_252() {
    let doc = br#"{"securityProfileName": "p", "behaviors": [{"name": "b", "metric": "aws:num-messages-sent",
        "criteria": {"comparisonOperator": "greater-than", "value": {"count": 5}}}]}"#;
    let out = ddsp(&["validate", "-"], Some(doc));
    assert_eq!(out.status.code(), Some(252));
    assert_eq!(
        text(&out.stdout),
        "behaviors[0].criteria.durationSeconds: this metric is counted over a time window; set durationSeconds to one of 300, 600, 900, 1800, 3600\n"
    );
    assert!(text(&out.stderr).contains("<stdin>: 1 error"), "{}", text(&out.stderr));

    let out = ddsp(&["validate", "--output", "json", "-"], Some(doc));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list[0]["path"], "behaviors[0].criteria.durationSeconds");
    assert_eq!(list[0]["severity"], "error");
    assert_eq!(list[0]["rule"], "duration-required");
}

#[test]
fn warnings_alone_exit_0_and_update_files_are_recognised() {
    let doc = br#"{"securityProfileName": "p", "expectedVersion": 3, "behaviors": []}"#;
    let out = ddsp(&["validate", "-"], Some(doc));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("behaviors: warning: an empty behaviors leaves"), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("valid, with 1 warning (UpdateSecurityProfile request)"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_file_that_does_not_read_gets_every_wrong_member_and_the_rules_on_the_rest_in_one_run() {
    let doc = br#"{"securityProfileName": "bad name", "bogus": 1, "behaviors": [
        {"name": "a", "metric": "aws:num-messages-sent", "criteria": {"comparisonOperator": "greater-than", "value": {"count": "ten"}, "durationSeconds": 300}},
        {"name": "b", "metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [70000]}}}]}"#;
    let out = ddsp(&["validate", "-"], Some(doc));
    assert_eq!(out.status.code(), Some(252));
    let (stderr, stdout) = (text(&out.stderr), text(&out.stdout));
    assert!(stderr.contains("Unknown parameter in input: \"bogus\""), "{stderr}");
    assert!(stderr.contains("Invalid type for parameter behaviors[0].criteria.value.count"), "{stderr}");
    // The rules judge what read, and say nothing of the members found wrong.
    assert!(stdout.contains("securityProfileName: the profile name contains a space"), "{stdout}");
    assert!(stdout.contains("behaviors[1].criteria.value.ports[0]: port 70000 is out of range"), "{stdout}");
    assert!(!stdout.contains("behaviors[0].criteria.value"), "{stdout}");
    assert!(stderr.contains("<stdin>: 4 errors (2 where it does not read; the rules judged the rest)"), "{stderr}");
    // With JSON output: one list of all of them on stdout, the totals alone on stderr.
    let out = ddsp(&["validate", "--output", "json", "-"], Some(doc));
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["input", "input", "profile-name", "port-range"], "{list}");
    assert_eq!(text(&out.stderr).lines().count(), 1, "{}", text(&out.stderr));
    // A bare list of behaviors: the rules say nothing of the stand-in a wrong member was given.
    let list = br#"[{"name": "a", "metric": "aws:num-messages-sent", "criteria": {"comparisonOperator": "less-than", "value": {"count": 5}, "durationSeconds": "300"}}]"#;
    let out = ddsp(&["validate", "-"], Some(list));
    assert!(text(&out.stdout).is_empty(), "no rule problem from the stand-in: {}", text(&out.stdout));
    assert!(text(&out.stderr).contains("1 error (1 where it does not read"), "{}", text(&out.stderr));
}

#[test]
fn malformed_files_and_bad_command_lines_exit_252() {
    let out = ddsp(&["validate", "tests/fixtures/invalid/missing-comma.json"], None);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        text(&out.stderr).contains("missing-comma.json: line 3, column 5: malformed JSON"),
        "{}",
        text(&out.stderr)
    );
    let out = ddsp(&["validate", "no/such/file.json"], None);
    assert_eq!(out.status.code(), Some(252));
    assert!(text(&out.stderr).contains("no/such/file.json: cannot read the file"));
    assert_eq!(ddsp(&["no-such-command"], None).status.code(), Some(252));
    assert_eq!(ddsp(&["--help"], None).status.code(), Some(0));
}

#[test]
fn skeletons_print_like_the_aws_cli() {
    let out = ddsp(&["skeleton", "create-security-profile"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), std::fs::read_to_string("tests/fixtures/skeleton-create-input.json").unwrap());
    let out = ddsp(&["skeleton", "delete-security-profile", "yaml-input"], None);
    assert!(text(&out.stdout).starts_with("securityProfileName: '' # [REQUIRED]"), "{}", text(&out.stdout));
    assert_eq!(ddsp(&["skeleton", "create-thing"], None).status.code(), Some(252));
}

/// A reader that stops early closes the pipe: the command ends quietly
/// (exit 0, nothing on stderr), not with a panic.
#[test]
fn a_closed_pipe_ends_a_command_quietly() {
    let dir = std::env::temp_dir().join(format!("ddsp-cli-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (profile, metrics) = (dir.join("p.json"), dir.join("m.json"));
    std::fs::write(
        &profile,
        r#"{"securityProfileName":"P","behaviors":[{"name":"msgs","metric":"aws:num-messages-sent",
            "criteria":{"comparisonOperator":"less-than","value":{"count":5},"durationSeconds":300}}]}"#,
    )
    .unwrap();
    let points: Vec<String> = (0..2000)
        .map(|i| {
            format!(
                r#"{{"name":"aws:num-messages-sent","thing":"t{}","value":{{"count":{}}},"timestamp":{}}}"#,
                i % 50,
                i % 11,
                1_700_000_000 + i * 300
            )
        })
        .collect();
    std::fs::write(&metrics, format!(r#"{{"version":"1.0","metrics":[{}]}}"#, points.join(","))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(["backtest", profile.to_str().unwrap(), "--metrics", metrics.to_str().unwrap(), "--output", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
}

/// After the editor's setup chose the sandbox, a command that finds no AWS
/// region says how to reach the sandbox instead of only "You must specify a region".
#[test]
fn a_command_without_a_region_names_the_sandbox_the_setup_chose() {
    let home = std::env::temp_dir().join(format!("ddsp-cli-setup-hint-{}", std::process::id()));
    std::fs::create_dir_all(home.join("config/ddsp")).unwrap();
    std::fs::write(home.join("config/ddsp/config"), "connect = sandbox\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .arg("list-security-profiles")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_PROFILE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(253), "{err}");
    assert!(err.contains("You must specify a region"), "{err}");
    assert!(err.contains("add --sandbox"), "{err}");
}
