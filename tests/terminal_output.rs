//! What the commands write to a terminal never carries a value's escape
//! sequences raw: a profile whose alert target holds ESC, CSI, OSC 52, C1 CSI,
//! a bidi override and a newline is described in every output format under a
//! pty (`script`), and every byte written is checked. The same JSON written to
//! a pipe stays byte-exact. Error paths that echo file names and option values
//! are checked the same way.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{SandboxProcess, sandbox_env, temp_dir};

const HOSTILE: &str =
    "arn:aws:sns:us-east-1:123456789012:t\u{1b}[31mRED\u{1b}[0m\u{1b}]52;c;aGk=\u{7}\u{9b}2J\u{202e}gnp\nfake\trow";

/// Runs the binary under a pseudo-terminal and returns every byte it wrote there.
fn under_pty(home: &Path, args: &[&str]) -> Vec<u8> {
    let quoted: Vec<String> = std::iter::once(env!("CARGO_BIN_EXE_ddsp"))
        .chain(args.iter().copied())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let mut cmd = Command::new("script");
    cmd.args(["-qec", &quoted.join(" "), "/dev/null"]).stdin(Stdio::null());
    sandbox_env(&mut cmd, home);
    cmd.env("TERM", "xterm").env("COLUMNS", "200");
    cmd.output().unwrap().stdout
}

/// The raw escapes a hostile value carries; none may reach the terminal.
fn assert_inert(bytes: &[u8], what: &str) {
    let text = String::from_utf8_lossy(bytes);
    assert!(!bytes.contains(&0x1b), "{what}: ESC reached the terminal: {text:?}");
    assert!(!bytes.contains(&0x07), "{what}: BEL reached the terminal: {text:?}");
    for c in ['\u{9b}', '\u{202e}'] {
        assert!(!text.contains(c), "{what}: {c:?} reached the terminal: {text:?}");
    }
}

#[test]
#[ignore = "needs script (util-linux) for a terminal: scripts/test runs it with --include-ignored"]
fn hostile_values_are_inert_in_every_output_format_and_exact_in_a_pipe() {
    common::require_script();
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let home = temp_dir("terminal-output");
    let targets =
        serde_json::json!({"SNS": {"alertTargetArn": HOSTILE, "roleArn": "arn:aws:iam::123456789012:role/alerts"}});
    let mut create = Command::new(env!("CARGO_BIN_EXE_ddsp"));
    create
        .args(["create-security-profile", "--security-profile-name", "Hostile", "--alert-targets"])
        .arg(targets.to_string())
        .args(["--endpoint-url", &sandbox.url])
        .stdin(Stdio::null());
    sandbox_env(&mut create, &home);
    let made = create.output().unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let describe = ["describe-security-profile", "--security-profile-name", "Hostile", "--endpoint-url", &sandbox.url];
    for format in ["json", "yaml", "yaml-stream", "text", "table"] {
        let mut args = describe.to_vec();
        args.extend(["--output", format, "--color", "off"]);
        let bytes = under_pty(&home, &args);
        assert!(String::from_utf8_lossy(&bytes).contains("RED"), "{format}: {}", String::from_utf8_lossy(&bytes));
        assert_inert(&bytes, format);
        if format == "text" || format == "table" {
            // The newline in the value does not start a row of its own.
            assert!(!String::from_utf8_lossy(&bytes).lines().any(|l| l.trim_start().starts_with("fake")), "{format}");
        }
    }
    // A coloured table keeps its own colours and escapes the value's.
    let mut args = describe.to_vec();
    args.extend(["--output", "table", "--color", "on"]);
    let coloured = String::from_utf8_lossy(&under_pty(&home, &args)).into_owned();
    assert!(coloured.contains("\u{1b}[0m") && coloured.contains("\\u{1b}[31mRED"), "{coloured:?}");

    // A pipe gets the document exactly: the value round-trips as sent.
    let mut piped = Command::new(env!("CARGO_BIN_EXE_ddsp"));
    piped.args(describe).stdin(Stdio::null());
    sandbox_env(&mut piped, &home);
    let out = piped.output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["alertTargets"]["SNS"]["alertTargetArn"], HOSTILE);
}

#[test]
#[ignore = "needs script (util-linux) for a terminal: scripts/test runs it with --include-ignored"]
fn error_paths_echo_names_and_values_inert() {
    common::require_script();
    let home = temp_dir("terminal-errors");
    let file = home.join("evil\u{1b}]52;c;aGk=\u{7}\u{202e}.json");
    std::fs::write(&file, "{\"securityProfileName\": \"p\", \"bogus\": 1}").unwrap();
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("validate of a hostile file name", vec!["validate".into(), file.display().to_string()]),
        ("a missing hostile file", vec!["validate".into(), home.join("gone\u{1b}[2J.json").display().to_string()]),
        ("clap's unknown argument", vec!["--bogus\u{1b}]52;c;aGk=\u{7}".into()]),
        (
            "a bad --query",
            vec!["--sandbox".into(), "list-security-profiles".into(), "--query".into(), "[\u{1b}[2J".into()],
        ),
        (
            "a bad shorthand value",
            vec![
                "create-security-profile".into(),
                "--security-profile-name".into(),
                "p".into(),
                "--metrics-export-config".into(),
                "mqttTopic\u{1b}[2J".into(),
            ],
        ),
    ];
    for (what, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let bytes = under_pty(&home, &args);
        assert!(!bytes.is_empty(), "{what}: nothing written");
        assert_inert(&bytes, what);
    }
}

mod any_text {
    use ddsp::cli::output::{OutputFormat, OutputSettings, TimestampFormat, render};
    use ddsp::domain::untrusted::is_unsafe;
    use proptest::prelude::*;

    fn inert(text: &str) -> bool {
        text.chars().all(|c| !is_unsafe(c) || matches!(c, '\n' | '\t'))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Any text as a value and as a key, in every format for a terminal: nothing unsafe out.
        #[test]
        fn any_value_renders_inert(text in "\\PC*|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}a-z]{0,40}") {
            let value = serde_json::json!({ "name": text.clone(), text.clone(): [text, 1] });
            for format in [OutputFormat::Json, OutputFormat::Yaml, OutputFormat::YamlStream, OutputFormat::Text, OutputFormat::Table] {
                let settings = OutputSettings {
                    format, timestamps: TimestampFormat::Wire, query: None, color: false, width: 80, terminal: true,
                };
                let shown = render(value.clone(), "Any", &settings).unwrap();
                prop_assert!(inert(&shown), "{:?}: {:?}", format, shown);
            }
        }
    }
}
