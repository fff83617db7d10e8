//! The service commands as a script uses them, against `ddsp sandbox`: the
//! round trip with the real AWS CLI, outputs compared with its outputs, every
//! exit code, and bad input that is refused before anything is sent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::{SandboxProcess, aws_cli, sandbox_env, temp_dir};
use serde_json::{Value, json};

struct Clis {
    url: String,
    home: PathBuf,
    aws: Option<PathBuf>,
}

impl Clis {
    /// Both CLIs print timestamps in ISO 8601: ddsp by default (as AWS CLI v2),
    /// the AWS CLI v1 from PyPI by the profile's `cli_timestamp_format`.
    fn new(sandbox: &SandboxProcess, name: &str) -> Clis {
        let home = temp_dir(name);
        std::fs::write(home.join("config"), "[default]\ncli_timestamp_format = iso8601\n").unwrap();
        Clis { url: sandbox.url.clone(), home, aws: aws_cli() }
    }

    fn command(&self, exe: &Path, iot: bool, args: &[&str]) -> Command {
        let mut cmd = Command::new(exe);
        if iot {
            cmd.arg("iot");
        }
        cmd.args(args).args(["--endpoint-url", &self.url]);
        sandbox_env(&mut cmd, &self.home);
        cmd.stdin(Stdio::null());
        cmd
    }

    fn ddsp(&self, args: &[&str]) -> Output {
        self.command(Path::new(env!("CARGO_BIN_EXE_ddsp")), false, args).output().unwrap()
    }

    fn aws(&self, args: &[&str]) -> Output {
        self.command(self.aws.as_ref().unwrap(), true, args).output().unwrap()
    }

    fn ddsp_json(&self, args: &[&str]) -> Value {
        json_of(&self.ddsp(args), args)
    }

    fn aws_json(&self, args: &[&str]) -> Value {
        json_of(&self.aws(args), args)
    }

    fn file(&self, name: &str, value: &Value) -> String {
        let path = self.home.join(name);
        std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
        format!("file://{}", path.display())
    }
}

fn json_of(out: &Output, args: &[&str]) -> Value {
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Fails the test when the AWS CLI is missing (these tests are ignored unless asked for).
fn require_aws(clis: &Clis) {
    assert!(clis.aws.is_some(), "the AWS CLI is missing; scripts/test installs it into .venv");
}

/// A skeleton from `ddsp skeleton`, filled in with good values.
fn filled_skeleton(clis: &Clis) -> Value {
    let mut doc: Value =
        serde_json::from_slice(&clis.ddsp(&["create-security-profile", "--generate-cli-skeleton"]).stdout).unwrap();
    let role = "arn:aws:iam::123456789012:role/ddsp";
    doc["securityProfileName"] = json!("FromSkeleton");
    doc["securityProfileDescription"] = json!("Filled in from ddsp's skeleton");
    doc["behaviors"] = json!([{
        "name": "Ports", "metric": "aws:listening-tcp-ports",
        "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [22, 8883]}, "consecutiveDatapointsToAlarm": 1, "consecutiveDatapointsToClear": 1},
        "suppressAlerts": false, "exportMetric": true
    }]);
    doc["alertTargets"] =
        json!({"SNS": {"alertTargetArn": "arn:aws:sns:us-east-1:123456789012:alerts", "roleArn": role}});
    doc["additionalMetricsToRetain"] = json!(["aws:num-disconnects"]);
    doc["additionalMetricsToRetainV2"] = json!([{"metric": "aws:num-connection-attempts", "exportMetric": true}]);
    doc["tags"] = json!([{"Key": "team", "Value": "iot"}]);
    doc["metricsExportConfig"] = json!({"mqttTopic": "ddsp/metrics", "roleArn": role});
    doc
}

fn without(mut v: Value, keys: &[&str]) -> Value {
    for k in keys {
        v.as_object_mut().unwrap().remove(*k);
    }
    v
}

#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn round_trip_with_the_aws_cli() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "roundtrip");
    require_aws(&clis);
    // ddsp's skeleton, filled, goes to the AWS CLI; ddsp reads the result back.
    let input = clis.file("filled.json", &filled_skeleton(&clis));
    let by_aws = clis.aws_json(&["create-security-profile", "--cli-input-json", &input]);
    let by_ddsp = clis.ddsp_json(&["create-security-profile", "--cli-input-json", &input]);
    assert_eq!(by_ddsp, by_aws, "create (the same input is idempotent, so both answers name the same profile)");

    let described = clis.ddsp_json(&["describe-security-profile", "--security-profile-name", "FromSkeleton"]);
    assert_eq!(described, clis.aws_json(&["describe-security-profile", "--security-profile-name", "FromSkeleton"]));
    let created = described["creationDate"].as_str().unwrap();
    assert!(created.ends_with("+00:00") && created.contains('T'), "{created}");

    // `cli_timestamp_format = none` (or `wire`) keeps the number as sent, as in AWS CLI v2.
    for setting in ["none", "wire"] {
        std::fs::write(clis.home.join("config"), format!("[default]\ncli_timestamp_format = {setting}\n")).unwrap();
        let raw = clis.ddsp_json(&["describe-security-profile", "--security-profile-name", "FromSkeleton"]);
        assert!(raw["creationDate"].is_f64(), "{setting}: {}", raw["creationDate"]);
        let by_aws_v1 = clis.aws_json(&["describe-security-profile", "--security-profile-name", "FromSkeleton"]);
        assert_eq!(raw["creationDate"], by_aws_v1["creationDate"], "{setting}");
    }
    std::fs::write(clis.home.join("config"), "[default]\ncli_timestamp_format = iso8601\n").unwrap();
    assert_eq!(described["behaviors"][0]["criteria"]["value"]["ports"], json!([22, 8883]));

    // A profile described by the AWS CLI, saved, edited and fed to ddsp's update.
    let mut saved = clis.aws_json(&["describe-security-profile", "--security-profile-name", "FromSkeleton"]);
    saved["securityProfileDescription"] = json!("Changed through ddsp");
    let saved = clis.file("described.json", &saved);
    let updated = clis.ddsp_json(&["update-security-profile", "--cli-input-json", &saved, "--expected-version", "1"]);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["securityProfileDescription"], "Changed through ddsp");
    let by_aws = clis.aws_json(&[
        "update-security-profile",
        "--security-profile-name",
        "FromSkeleton",
        "--security-profile-description",
        "Changed through ddsp",
        "--expected-version",
        "2",
    ]);
    assert_eq!(by_aws["version"], 3);
    let volatile = ["version", "lastModifiedDate"];
    assert_eq!(without(updated, &volatile), without(by_aws, &volatile), "update");

    assert_eq!(clis.ddsp_json(&["list-security-profiles"]), clis.aws_json(&["list-security-profiles"]), "list");
}

#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn text_and_table_outputs_match_the_aws_cli() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "formats");
    require_aws(&clis);
    let input = clis.file("filled.json", &filled_skeleton(&clis));
    clis.ddsp_json(&["create-security-profile", "--cli-input-json", &input]);
    let path = format!("file://{}/tests/fixtures/possible-issue-create.json", env!("CARGO_MANIFEST_DIR"));
    clis.ddsp_json(&["create-security-profile", "--cli-input-json", &path]);
    let calls: &[&[&str]] = &[
        &["describe-security-profile", "--security-profile-name", "FromSkeleton"],
        &["describe-security-profile", "--security-profile-name", "PossibleIssue"],
        &["list-security-profiles"],
        &["list-security-profiles", "--query", "securityProfileIdentifiers[].name"],
        &["describe-security-profile", "--security-profile-name", "PossibleIssue", "--query", "behaviors[0].criteria"],
    ];
    for call in calls {
        for format in ["json", "text", "table"] {
            let mut args = call.to_vec();
            args.extend(["--output", format]);
            let ours = clis.ddsp(&args);
            let theirs = clis.aws(&args);
            assert_eq!(ours.status.code(), Some(0), "{args:?}: {}", stderr(&ours));
            assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&theirs.stdout), "{args:?}");
        }
    }
}

#[test]
fn every_exit_code() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "exits");
    let create = format!("file://{}/tests/fixtures/possible-issue-create.json", env!("CARGO_MANIFEST_DIR"));

    // 0
    let out = clis.ddsp(&["create-security-profile", "--cli-input-json", &create]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // 252: a bad command line, a malformed or unknown-key file, a bad shorthand, a rules error, a missing name.
    assert_eq!(clis.ddsp(&["create-security-profile", "--no-such-option"]).status.code(), Some(252));
    let bad_json = format!("file://{}/tests/fixtures/invalid/missing-comma.json", env!("CARGO_MANIFEST_DIR"));
    let out = clis.ddsp(&["create-security-profile", "--cli-input-json", &bad_json]);
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr(&out).contains("line 3, column 5: malformed JSON"), "{}", stderr(&out));
    let out = clis.ddsp(&["create-security-profile", "--cli-input-yaml", "securityProfileName: p\nbehaviours: []\n"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr(&out).contains(
            "line 2, column 1: Unknown parameter in input: \"behaviours\", must be one of: securityProfileName,"
        ),
        "{}",
        stderr(&out)
    );
    let out = clis.ddsp(&[
        "create-security-profile",
        "--security-profile-name",
        "p2",
        "--metrics-export-config",
        "mqttTopic",
    ]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr(&out).contains("Expected: '=', received: 'EOF' for input:\nmqttTopic\n         ^"),
        "{}",
        stderr(&out)
    );
    let out = clis.ddsp(&[
        "create-security-profile",
        "--security-profile-name",
        "p3",
        "--behaviors",
        r#"[{"name":"Ports","metric":"aws:listening-tcp-ports","criteria":{"comparisonOperator":"in-port-set","value":{"ports":[70000]}}}]"#,
    ]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr(&out).contains("behaviors[0].criteria.value.ports[0]: port 70000 is out of range"),
        "{}",
        stderr(&out)
    );
    let out = clis.ddsp(&["describe-security-profile"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(stderr(&out).contains("the following arguments are required: --security-profile-name"));
    // Nothing of that was sent.
    let listed = clis.ddsp_json(&["list-security-profiles", "--query", "securityProfileIdentifiers[].name"]);
    assert_eq!(listed, json!(["PossibleIssue"]));

    // 253: no region, an unknown profile, no credentials.
    let mut no_region = clis.command(Path::new(env!("CARGO_BIN_EXE_ddsp")), false, &["list-security-profiles"]);
    no_region.env_remove("AWS_DEFAULT_REGION");
    let out = no_region.output().unwrap();
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    assert!(stderr(&out).contains("You must specify a region"));
    let out = clis.ddsp(&["list-security-profiles", "--profile", "no-such-profile"]);
    assert_eq!(out.status.code(), Some(253));
    let mut no_keys = clis.command(Path::new(env!("CARGO_BIN_EXE_ddsp")), false, &["list-security-profiles"]);
    no_keys.env_remove("AWS_ACCESS_KEY_ID").env_remove("AWS_SECRET_ACCESS_KEY").env("HOME", &clis.home);
    let out = no_keys.output().unwrap();
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    assert!(stderr(&out).contains("Unable to locate credentials"), "{}", stderr(&out));

    // 254: the service says no.
    let out =
        clis.ddsp(&["update-security-profile", "--security-profile-name", "PossibleIssue", "--expected-version", "7"]);
    assert_eq!(out.status.code(), Some(254));
    assert!(
        stderr(&out).contains(
            "An error occurred (VersionConflictException) when calling the UpdateSecurityProfile operation: "
        ),
        "{}",
        stderr(&out)
    );

    // 255: nobody listens.
    let mut refused = Command::new(env!("CARGO_BIN_EXE_ddsp"));
    refused.args(["list-security-profiles", "--endpoint-url", "http://127.0.0.1:1"]);
    sandbox_env(&mut refused, &clis.home);
    let out = refused.output().unwrap();
    assert_eq!(out.status.code(), Some(255), "{}", stderr(&out));
    assert!(stderr(&out).contains("Could not connect to the endpoint URL"));
}

#[test]
fn ctrl_c_exits_130() {
    let slow = SandboxProcess::start(&["--in-memory", "--faults", "latency=20s"]);
    let clis = Clis::new(&slow, "ctrlc");
    let mut child = clis
        .command(Path::new(env!("CARGO_BIN_EXE_ddsp")), false, &["list-security-profiles"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert_eq!(child.wait().unwrap().code(), Some(130));
}

#[test]
fn pagination_max_items_and_tokens() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "pages");
    for i in 0..7 {
        clis.ddsp_json(&["create-security-profile", "--security-profile-name", &format!("p{i}")]);
    }
    let all =
        clis.ddsp_json(&["list-security-profiles", "--page-size", "2", "--query", "securityProfileIdentifiers[].name"]);
    assert_eq!(all, json!(["p0", "p1", "p2", "p3", "p4", "p5", "p6"]));
    let first = clis.ddsp_json(&["list-security-profiles", "--page-size", "2", "--max-items", "3"]);
    assert_eq!(first["securityProfileIdentifiers"].as_array().unwrap().len(), 3);
    let token = first["NextToken"].as_str().unwrap();
    let rest = clis.ddsp_json(&[
        "list-security-profiles",
        "--page-size",
        "2",
        "--starting-token",
        token,
        "--query",
        "securityProfileIdentifiers[].name",
    ]);
    assert_eq!(rest, json!(["p3", "p4", "p5", "p6"]));
    let one = clis.ddsp_json(&["list-security-profiles", "--no-paginate", "--max-results", "2"]);
    assert_eq!(one["securityProfileIdentifiers"].as_array().unwrap().len(), 2);
    assert!(one["nextToken"].is_string());
    if clis.aws.is_some() {
        // The AWS CLI resumes from ddsp's token.
        let theirs = clis.aws_json(&[
            "list-security-profiles",
            "--starting-token",
            token,
            "--query",
            "securityProfileIdentifiers[].name",
        ]);
        assert_eq!(theirs, json!(["p3", "p4", "p5", "p6"]));
    }
}

#[test]
fn validate_remote_asks_the_endpoint() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "remote");
    let doc = json!({"behaviors": [{"name": "Battery", "metric": "batteryPercentage",
        "criteria": {"comparisonOperator": "less-than", "value": {"number": 10}}}]});
    let file = clis.file("behaviors.json", &doc);
    // Offline the unknown custom metric is only a warning …
    let out = clis.ddsp(&["validate", &file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // … the endpoint knows its custom metrics and refuses it.
    let out = clis.ddsp(&["validate", &file, "--remote"]);
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("endpoint: Behavior Battery is malformed."), "{stdout}");
    assert!(stdout.contains("no custom metric \"batteryPercentage\" exists"), "{stdout}");
}

#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn targets_and_thing_groups_match_the_aws_cli() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "targets");
    require_aws(&clis);
    let group = |name: &str| format!("arn:aws:iot:us-east-1:123456789012:thinggroup/{name}");
    // Skeletons: the same members, in the same order, as the AWS CLI's.
    let target = ["--security-profile-target-arn", "arn:aws:iot:us-east-1:123456789012:all/registered-things"];
    let named = ["--security-profile-name", "P"];
    let group_name = ["--thing-group-name", "G"];
    // The AWS CLI checks the required options even for an output skeleton.
    let commands: [(&str, Vec<&str>); 7] = [
        ("attach-security-profile", [named, target].concat()),
        ("detach-security-profile", [named, target].concat()),
        ("list-targets-for-security-profile", named.to_vec()),
        ("list-security-profiles-for-target", target.to_vec()),
        ("create-thing-group", group_name.to_vec()),
        ("delete-thing-group", group_name.to_vec()),
        ("list-thing-groups", Vec::new()),
    ];
    for (command, required) in &commands {
        for kind in ["input", "output"] {
            let mut args = vec![*command, "--generate-cli-skeleton", kind];
            if kind == "output" {
                args.extend(required);
            }
            let ours = clis.ddsp(&args);
            let theirs = clis.aws(&args);
            assert_eq!(
                String::from_utf8_lossy(&ours.stdout),
                String::from_utf8_lossy(&theirs.stdout),
                "{command} {kind}"
            );
        }
    }
    // Thing groups made by each CLI, in shorthand and in JSON, answer alike.
    let ours = clis.ddsp_json(&[
        "create-thing-group",
        "--thing-group-name",
        "Fleet",
        "--thing-group-properties",
        "thingGroupDescription=All sensors,attributePayload={attributes={site=north},merge=true}",
        "--tags",
        "Key=team,Value=iot",
    ]);
    assert_eq!(ours["thingGroupArn"], json!(group("Fleet")));
    let theirs = clis.aws_json(&[
        "create-thing-group",
        "--thing-group-name",
        "Cameras",
        "--parent-group-name",
        "Fleet",
        "--thing-group-properties",
        r#"{"thingGroupDescription": "Cameras"}"#,
    ]);
    assert_eq!(theirs["thingGroupArn"], json!(group("Cameras")));
    let by_ddsp = clis.ddsp_json(&["list-thing-groups", "--parent-group", "Fleet"]);
    assert_eq!(by_ddsp, clis.aws_json(&["list-thing-groups", "--parent-group", "Fleet"]));
    assert_eq!(by_ddsp["thingGroups"][0]["groupName"], "Cameras");

    // Profiles attached to both targets; listed both ways and in every format.
    let profile = format!("file://{}/tests/fixtures/possible-issue-create.json", env!("CARGO_MANIFEST_DIR"));
    clis.ddsp_json(&["create-security-profile", "--cli-input-json", &profile]);
    for name in ["Second", "Third"] {
        clis.ddsp_json(&["create-security-profile", "--security-profile-name", name]);
    }
    let attach = |cli: &str, name: &str, target: &str| {
        let args =
            ["attach-security-profile", "--security-profile-name", name, "--security-profile-target-arn", target];
        let out = if cli == "ddsp" { clis.ddsp(&args) } else { clis.aws(&args) };
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "attach prints nothing, as the CLI");
    };
    attach("ddsp", "PossibleIssue", &group("Fleet"));
    attach("aws", "Second", &group("Fleet"));
    attach("ddsp", "Third", &group("Cameras"));
    attach("ddsp", "PossibleIssue", "arn:aws:iot:us-east-1:123456789012:all/registered-things");
    let calls: Vec<Vec<String>> = vec![
        vec!["list-targets-for-security-profile".into(), "--security-profile-name".into(), "PossibleIssue".into()],
        vec!["list-security-profiles-for-target".into(), "--security-profile-target-arn".into(), group("Fleet")],
        vec![
            "list-security-profiles-for-target".into(),
            "--security-profile-target-arn".into(),
            group("Fleet"),
            "--recursive".into(),
        ],
        vec!["list-thing-groups".into()],
        vec!["list-thing-groups".into(), "--page-size".into(), "1".into()],
        vec!["list-thing-groups".into(), "--max-items".into(), "1".into()],
        // The service's own page options mean one call, as in the AWS CLI.
        vec!["list-thing-groups".into(), "--max-results".into(), "1".into()],
    ];
    for call in &calls {
        for format in ["json", "text", "table"] {
            let mut args: Vec<&str> = call.iter().map(String::as_str).collect();
            args.extend(["--output", format]);
            let ours = clis.ddsp(&args);
            let theirs = clis.aws(&args);
            assert_eq!(ours.status.code(), Some(0), "{args:?}: {}", stderr(&ours));
            assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&theirs.stdout), "{args:?}");
        }
    }
    // Errors before sending: a target that is not one; the service's: a group that does not exist.
    let bad = clis.ddsp(&[
        "attach-security-profile",
        "--security-profile-name",
        "Second",
        "--security-profile-target-arn",
        "arn:aws:iot:us-east-1:123456789012:thing/cam-1",
    ]);
    assert_eq!(bad.status.code(), Some(252));
    assert!(stderr(&bad).contains("is not a target"), "{}", stderr(&bad));
    let missing = clis.ddsp(&[
        "attach-security-profile",
        "--security-profile-name",
        "Second",
        "--security-profile-target-arn",
        &group("Nowhere"),
    ]);
    assert_eq!(missing.status.code(), Some(254));
    assert!(stderr(&missing).contains("ResourceNotFoundException"), "{}", stderr(&missing));
    // Detach, and deleting a group detaches what it held.
    let detach = clis.ddsp(&[
        "detach-security-profile",
        "--security-profile-name",
        "Second",
        "--security-profile-target-arn",
        &group("Fleet"),
    ]);
    assert_eq!(detach.status.code(), Some(0), "{}", stderr(&detach));
    assert_eq!(clis.ddsp(&["delete-thing-group", "--thing-group-name", "Cameras"]).status.code(), Some(0));
    let third = clis.ddsp_json(&["list-targets-for-security-profile", "--security-profile-name", "Third"]);
    assert_eq!(third["securityProfileTargets"], json!([]));
}

#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn dimensions_and_custom_metrics_match_the_aws_cli() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "resources");
    require_aws(&clis);
    // Skeletons: the same members in the same order (metricType aside: the CLI picks an enum value at random).
    let commands: [(&str, &[&str]); 10] = [
        ("create-dimension", &["--name", "D", "--type", "TOPIC_FILTER", "--string-values", "a/#"]),
        ("update-dimension", &["--name", "D", "--string-values", "a/#"]),
        ("describe-dimension", &["--name", "D"]),
        ("list-dimensions", &[]),
        ("delete-dimension", &["--name", "D"]),
        ("create-custom-metric", &["--metric-name", "M", "--metric-type", "number"]),
        ("update-custom-metric", &["--metric-name", "M", "--display-name", "m"]),
        ("describe-custom-metric", &["--metric-name", "M"]),
        ("list-custom-metrics", &[]),
        ("delete-custom-metric", &["--metric-name", "M"]),
    ];
    let without_type = |text: &[u8]| {
        let mut v: Value = serde_json::from_slice(text).unwrap_or(Value::Null);
        if let Some(m) = v.as_object_mut() {
            m.remove("metricType");
        }
        (v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()), v)
    };
    for (command, required) in commands {
        for kind in ["input", "output"] {
            let mut args = vec![command, "--generate-cli-skeleton", kind];
            if kind == "output" {
                args.extend(required);
            }
            let (ours, theirs) = (clis.ddsp(&args), clis.aws(&args));
            assert_eq!(without_type(&ours.stdout), without_type(&theirs.stdout), "{command} {kind}");
        }
    }
    // Made by either CLI (the token filled in when left out), read back alike in every format.
    let made = clis.ddsp_json(&[
        "create-dimension",
        "--name",
        "Topics",
        "--type",
        "TOPIC_FILTER",
        "--string-values",
        "fleet/+/telemetry",
        "fleet/#",
        "--tags",
        "Key=team,Value=iot",
    ]);
    assert_eq!(made["arn"], "arn:aws:iot:us-east-1:123456789012:dimension/Topics");
    clis.aws_json(&["create-dimension", "--name", "Other", "--type", "TOPIC_FILTER", "--string-values", "x/y"]);
    clis.ddsp_json(&[
        "create-custom-metric",
        "--metric-name",
        "battery",
        "--metric-type",
        "number",
        "--display-name",
        "Battery %",
    ]);
    clis.aws_json(&["create-custom-metric", "--metric-name", "hosts", "--metric-type", "string-list"]);
    let updated = clis.ddsp_json(&["update-dimension", "--name", "Other", "--string-values", "x/#"]);
    assert_eq!(updated["stringValues"], json!(["x/#"]));
    let calls: [&[&str]; 6] = [
        &["describe-dimension", "--name", "Topics"],
        &["list-dimensions"],
        &["list-dimensions", "--max-items", "1"],
        &["describe-custom-metric", "--metric-name", "battery"],
        &["list-custom-metrics"],
        &["update-custom-metric", "--metric-name", "hosts", "--display-name", "Allowed hosts"],
    ];
    for call in calls {
        for format in ["json", "text", "table"] {
            let mut args = call.to_vec();
            args.extend(["--output", format]);
            let (ours, theirs) = (clis.ddsp(&args), clis.aws(&args));
            assert_eq!(ours.status.code(), Some(0), "{args:?}: {}", stderr(&ours));
            // Dates move on between the two calls of an update; describe the same state instead.
            if call[0] == "update-custom-metric" {
                continue;
            }
            assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&theirs.stdout), "{args:?}");
        }
    }
    // The rules run first: nothing is sent for a bad name, type or token.
    for (args, fragment) in [
        (
            vec!["create-custom-metric", "--metric-name", "aws:battery", "--metric-type", "number"],
            "cannot start with aws:",
        ),
        (vec!["create-custom-metric", "--metric-name", "m", "--metric-type", "float"], "is not a custom metric type"),
        (vec!["create-dimension", "--name", "D", "--type", "TOPIC", "--string-values", "a"], "is not a dimension type"),
        (
            vec![
                "create-dimension",
                "--name",
                "D",
                "--type",
                "TOPIC_FILTER",
                "--string-values",
                "a",
                "--client-request-token",
                "a b",
            ],
            "clientRequestToken",
        ),
    ] {
        let out = clis.ddsp(&args);
        assert_eq!(out.status.code(), Some(252), "{args:?}");
        assert!(stderr(&out).contains(fragment), "{args:?}: {}", stderr(&out));
    }
    // In use, a dimension cannot be deleted; unused, it can.
    let behavior = "name=Sent,metric=aws:num-messages-sent,metricDimension={dimensionName=Topics},criteria={comparisonOperator=greater-than,value={count=5},durationSeconds=300}";
    clis.ddsp_json(&["create-security-profile", "--security-profile-name", "Scoped", "--behaviors", behavior]);
    let in_use = clis.ddsp(&["delete-dimension", "--name", "Topics"]);
    assert_eq!(in_use.status.code(), Some(254), "{}", stderr(&in_use));
    assert_eq!(clis.ddsp(&["delete-dimension", "--name", "Other"]).status.code(), Some(0));
    assert_eq!(clis.ddsp(&["delete-custom-metric", "--metric-name", "hosts"]).status.code(), Some(0));
    assert_eq!(clis.ddsp_json(&["list-custom-metrics"])["metricNames"], json!(["battery"]));
}

#[test]
fn a_named_profile_wins_over_the_environments_keys_as_in_the_aws_cli() {
    let sandbox = SandboxProcess::start(&["--in-memory"]);
    let clis = Clis::new(&sandbox, "profile-precedence");
    std::fs::write(
        clis.home.join("credentials"),
        format!(
            "[sandbox]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
            ddsp::sandbox::DEFAULT_ACCESS_KEY,
            ddsp::sandbox::DEFAULT_SECRET_KEY
        ),
    )
    .unwrap();
    let args = ["list-security-profiles", "--profile", "sandbox"];
    let ddsp = Path::new(env!("CARGO_BIN_EXE_ddsp"));
    for exe in std::iter::once(ddsp).chain(clis.aws.as_deref()) {
        let iot = exe != ddsp;
        // The environment holds other keys, which the sandbox refuses.
        let mut cmd = clis.command(exe, iot, &args);
        cmd.env("AWS_ACCESS_KEY_ID", "AKIAOTHERKEYS0000000").env("AWS_SECRET_ACCESS_KEY", "not-the-sandbox-secret");
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}: {}", exe.display(), stderr(&out));
        // Without --profile, the environment's keys are the ones used.
        let mut cmd = clis.command(exe, iot, &args[..1]);
        cmd.env("AWS_ACCESS_KEY_ID", "AKIAOTHERKEYS0000000").env("AWS_SECRET_ACCESS_KEY", "not-the-sandbox-secret");
        let out = cmd.output().unwrap();
        // (254 from ddsp, as AWS CLI v2; 255 from the AWS CLI v1 of PyPI.)
        assert_ne!(out.status.code(), Some(0), "{}", exe.display());
        assert!(stderr(&out).contains("UnrecognizedClientException"), "{}: {}", exe.display(), stderr(&out));
    }
}
