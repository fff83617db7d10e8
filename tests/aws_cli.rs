//! The real AWS CLI (awscli from PyPI, installed by scripts/test into .venv) as
//! an independent client of `ddsp sandbox`: create, describe, update with
//! --expected-version, list, the tag calls and delete, with their outputs and
//! exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod harness;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{SandboxProcess, temp_dir};
use ddsp::sandbox::{DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY};
use serde_json::Value;

struct Aws {
    exe: PathBuf,
    url: String,
    home: PathBuf,
}

impl Aws {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(&self.exe)
            .arg("iot")
            .args(args)
            .args(["--endpoint-url", &self.url, "--cli-connect-timeout", "5", "--cli-read-timeout", "30"])
            .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_KEY)
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", self.home.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.home.join("credentials"))
            .env("AWS_PAGER", "")
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_SESSION_TOKEN")
            .output()
            .unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "aws iot {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        if out.stdout.iter().all(u8::is_ascii_whitespace) {
            return Value::Null;
        }
        serde_json::from_slice(&out.stdout).unwrap()
    }

    fn fails(&self, args: &[&str], code: &str) {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(255), "aws iot {args:?}: {stderr}");
        assert!(stderr.contains(&format!("An error occurred ({code})")), "{stderr}");
    }
}

fn fixture(name: &str) -> String {
    format!("file://{}", Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name).display())
}

#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn the_aws_cli_drives_the_sandbox() {
    let exe = common::require_aws_cli();
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let aws = Aws { exe, url: sandbox.url.clone(), home: temp_dir("awscli") };
    let arn = "arn:aws:iot:us-east-1:123456789012:securityprofile/PossibleIssue";

    let created = aws.json(&["create-security-profile", "--cli-input-json", &fixture("possible-issue-create.json")]);
    assert_eq!(created["securityProfileArn"], arn);

    let described = aws.json(&["describe-security-profile", "--security-profile-name", "PossibleIssue"]);
    assert_eq!(described["version"], 1);
    let input: Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture("possible-issue-create.json")[7..]).unwrap()).unwrap();
    assert_eq!(described["behaviors"], input["behaviors"]);
    assert!(described["creationDate"].is_number(), "{described}");

    let updated = aws.json(&[
        "update-security-profile",
        "--cli-input-json",
        &fixture("possible-issue-update.json"),
        "--expected-version",
        "1",
    ]);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["behaviors"][1]["criteria"]["value"]["count"], 12);
    assert_eq!(updated["creationDate"], described["creationDate"]);
    aws.fails(
        &["update-security-profile", "--security-profile-name", "PossibleIssue", "--expected-version", "1"],
        "VersionConflictException",
    );
    let flags =
        aws.json(&["update-security-profile", "--security-profile-name", "PossibleIssue", "--no-delete-behaviors"]);
    assert_eq!(flags["version"], 3, "a false delete flag is no delete");
    assert_eq!(flags["behaviors"].as_array().unwrap().len(), 2);

    let listed = aws.json(&["list-security-profiles"]);
    assert_eq!(listed["securityProfileIdentifiers"][0]["name"], "PossibleIssue");

    aws.json(&["tag-resource", "--resource-arn", arn, "--tags", "Key=team,Value=iot", "Key=env,Value=test"]);
    let tags = aws.json(&["list-tags-for-resource", "--resource-arn", arn]);
    assert_eq!(tags["tags"].as_array().unwrap().len(), 2);
    aws.json(&["untag-resource", "--resource-arn", arn, "--tag-keys", "env"]);
    let tags = aws.json(&["list-tags-for-resource", "--resource-arn", arn]);
    assert_eq!(tags["tags"], serde_json::json!([{"Key": "team", "Value": "iot"}]));

    aws.fails(
        &["delete-security-profile", "--security-profile-name", "PossibleIssue", "--expected-version", "2"],
        "VersionConflictException",
    );
    aws.json(&["delete-security-profile", "--security-profile-name", "PossibleIssue", "--expected-version", "3"]);
    aws.fails(&["describe-security-profile", "--security-profile-name", "PossibleIssue"], "ResourceNotFoundException");
    aws.fails(&["create-security-profile", "--security-profile-name", "bad name"], "InvalidRequestException");
}

/// A draft the editor saved, written by `ddsp::drafts`, is a file the AWS CLI
/// takes as it is: a create draft, then an update draft with its
/// expectedVersion.
#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn drafts_are_files_the_aws_cli_accepts() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ddsp::drafts::Drafts;
    use ddsp::tui::app::App;
    use ddsp::tui::message::{Effect, Event};

    let exe = common::require_aws_cli();
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let aws = Aws { exe, url: sandbox.url.clone(), home: temp_dir("awscli-drafts") };
    let drafts = Drafts { dir: temp_dir("awscli-drafts-dir") };
    // Every draft the app hands to the writer is kept; the last is the newest.
    let handed = std::cell::RefCell::new(Vec::new());
    let keep = |effects: Vec<Effect>| {
        for e in &effects {
            if let Effect::SaveDraft(s) = e {
                handed.borrow_mut().push(s.draft());
            }
        }
        effects
    };
    let key = |app: &mut App, code: KeyCode, m: KeyModifiers| keep(app.update(Event::Key(KeyEvent::new(code, m))));
    let draft = |app: &mut App| {
        keep(app.flush());
        handed.borrow().last().cloned().expect("a draft was handed over")
    };

    // A new profile typed in the editor: a name and a description.
    let mut app = App::new("sandbox".into(), Some("us-east-1".into()));
    key(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE); // a blank profile
    for c in "FromDraft".chars() {
        key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    for c in "Typed, then saved as a draft".chars() {
        key(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
    }
    let path = drafts.save(&draft(&mut app)).unwrap();
    aws.json(&["create-security-profile", "--cli-input-json", &format!("file://{}", path.display())]);
    let described = aws.json(&["describe-security-profile", "--security-profile-name", "FromDraft"]);
    assert_eq!(described["securityProfileDescription"], "Typed, then saved as a draft");

    // Opened again from Home (version 1), a character typed: the update draft.
    let description: ddsp::wire::response::SecurityProfileDescription = serde_json::from_value(described).unwrap();
    let mut app = App::new("sandbox".into(), Some("us-east-1".into()));
    let Some(Effect::ListProfiles(id)) = app.start().first().cloned() else { panic!() };
    let row = ddsp::wire::response::SecurityProfileIdentifier { name: "FromDraft".into(), arn: String::new() };
    app.update(Event::Listed { id, result: Ok(vec![row]) });
    let effects = key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    let Some(Effect::Open { id, .. }) = effects.first().cloned() else { panic!("{effects:?}") };
    app.update(Event::Opened { id, result: Ok((description, Vec::new(), Vec::new())) });
    key(&mut app, KeyCode::Char('x'), KeyModifiers::NONE);
    let draft = draft(&mut app);
    assert_eq!(draft.request["expectedVersion"], 1);
    let path = drafts.save(&draft).unwrap();
    aws.json(&["update-security-profile", "--cli-input-json", &format!("file://{}", path.display())]);
    let updated = aws.json(&["describe-security-profile", "--security-profile-name", "FromDraft"]);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["securityProfileDescription"], "Typed, then saved as a draftx");
}

/// "Show the call" says where the call goes: pasted into a shell whose own
/// AWS settings point at another endpoint, region and keys, the shown
/// commands change the editor's endpoint only.
#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn the_shown_calls_go_to_the_editors_endpoint_whatever_the_shell_says() {
    let exe = common::require_aws_cli();
    let editors = SandboxProcess::start(&["--in-memory"]);
    let elsewhere =
        SandboxProcess::start(&["--in-memory", "--access-key", "AKIAELSEWHERE0000001", "--secret-key", "other"]);
    let mut h = harness::Harness::new(&[]);
    h.app.cx.destination = Some(ddsp::wire::destination::Destination {
        label: "local sandbox · us-east-1".into(),
        endpoint: editors.url.clone(),
        region: "us-east-1".into(),
        profile: None,
        keys: Some((DEFAULT_ACCESS_KEY.into(), DEFAULT_SECRET_KEY.into())),
        while_running: true,
    });
    h.new_profile();
    h.text("ShownCall");
    let calls = h.app.calls().expect("the calls of the open editor");
    assert!(calls.commands.starts_with("# These go to local sandbox"), "{}", calls.commands);
    let home = temp_dir("aws-cli-shown-calls");
    // The shell's defaults: another endpoint, region and keys; the aws on PATH is the real CLI.
    let path = format!("{}:{}", exe.parent().unwrap().display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("sh")
        .args(["-c", &calls.commands])
        .env("PATH", path)
        .env("AWS_ENDPOINT_URL", &elsewhere.url)
        .env("AWS_DEFAULT_REGION", "eu-west-1")
        .env("AWS_ACCESS_KEY_ID", "AKIAELSEWHERE0000001")
        .env("AWS_SECRET_ACCESS_KEY", "other")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_PAGER", "")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", calls.commands, String::from_utf8_lossy(&out.stderr));
    let on = |url: &str, key: &str, secret: &str| {
        let listed = Command::new(&exe)
            .args(["iot", "list-security-profiles", "--endpoint-url", url, "--region", "us-east-1"])
            .env("AWS_ACCESS_KEY_ID", key)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .env("AWS_CONFIG_FILE", home.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        String::from_utf8_lossy(&listed.stdout).contains("ShownCall")
    };
    assert!(on(&editors.url, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY), "the editor's endpoint has the profile");
    assert!(!on(&elsewhere.url, "AKIAELSEWHERE0000001", "other"), "the shell's default endpoint does not");
}
