//! The AWS CLI's shorthand for `--behaviors` (and the other structure options)
//! sends exactly what the JSON form sends: both bodies are captured at a
//! recording sandbox and compared. A connected command judges custom metrics
//! and dimensions against the endpoint, never "offline".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::{Command, Output, Stdio};

use common::{sandbox_env, temp_dir};
use ddsp::sandbox::{Sandbox, SandboxConfig, serve};
use serde_json::Value;

struct Endpoint {
    runtime: tokio::runtime::Runtime,
    sandbox: Option<Sandbox>,
}

impl Endpoint {
    fn start() -> Endpoint {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let sandbox = runtime.block_on(serve(SandboxConfig { record: true, ..SandboxConfig::ephemeral() })).unwrap();
        Endpoint { runtime, sandbox: Some(sandbox) }
    }

    fn sandbox(&self) -> &Sandbox {
        self.sandbox.as_ref().unwrap()
    }

    fn ddsp(&self, args: &[&str]) -> Output {
        let home = temp_dir("shorthand");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ddsp"));
        cmd.args(args).args(["--endpoint-url", &self.sandbox().url()]).stdin(Stdio::null());
        sandbox_env(&mut cmd, &home);
        cmd.output().unwrap()
    }

    /// The body of the last request of `operation` the sandbox answered.
    fn last_body(&self, operation: &str) -> Value {
        let recorded = self.sandbox().recorded();
        let last = recorded.iter().rev().find(|r| r.operation == operation).expect(operation);
        assert_eq!(last.status, 200, "{}", String::from_utf8_lossy(&last.body));
        serde_json::from_slice(&last.body).unwrap()
    }

    fn operations(&self) -> Vec<&'static str> {
        self.sandbox().recorded().iter().map(|r| r.operation).collect()
    }
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        if let Some(sandbox) = self.sandbox.take() {
            self.runtime.block_on(sandbox.stop());
        }
    }
}

fn ok(out: &Output) {
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

const SHORTHAND: [&str; 2] = [
    "name=A,metric=aws:num-messages-sent,criteria={comparisonOperator=greater-than,value={count=100},durationSeconds=300}",
    "name=B,metric=aws:listening-tcp-ports,criteria={comparisonOperator=in-port-set,value={ports=[22,443]}},suppressAlerts=true",
];

const JSON: &str = r#"[
  {"name": "A", "metric": "aws:num-messages-sent",
   "criteria": {"comparisonOperator": "greater-than", "value": {"count": 100}, "durationSeconds": 300}},
  {"name": "B", "metric": "aws:listening-tcp-ports",
   "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22, 443]}}, "suppressAlerts": true}
]"#;

#[test]
fn behaviors_in_shorthand_send_what_json_sends() {
    let endpoint = Endpoint::start();
    let mut args = vec!["create-security-profile", "--security-profile-name", "Short", "--behaviors"];
    args.extend(SHORTHAND);
    ok(&endpoint.ddsp(&args));
    let short = endpoint.last_body("CreateSecurityProfile");
    ok(&endpoint.ddsp(&["create-security-profile", "--security-profile-name", "Long", "--behaviors", JSON]));
    let long = endpoint.last_body("CreateSecurityProfile");
    assert_eq!(short, long);
    assert_eq!(short["behaviors"][0]["criteria"]["value"]["count"], Value::from(100));
    assert_eq!(short["behaviors"][1]["suppressAlerts"], Value::Bool(true));

    // The same through update and validate-security-profile-behaviors.
    let mut args = vec!["update-security-profile", "--security-profile-name", "Short", "--behaviors"];
    args.extend(SHORTHAND);
    ok(&endpoint.ddsp(&args));
    assert_eq!(endpoint.last_body("UpdateSecurityProfile")["behaviors"], long["behaviors"]);
    let mut args = vec!["validate-security-profile-behaviors", "--behaviors"];
    args.extend(SHORTHAND);
    ok(&endpoint.ddsp(&args));
    assert_eq!(endpoint.last_body("ValidateSecurityProfileBehaviors")["behaviors"], long["behaviors"]);
}

#[test]
fn a_shorthand_value_of_the_wrong_type_names_its_member() {
    let endpoint = Endpoint::start();
    let out = endpoint.ddsp(&[
        "create-security-profile",
        "--security-profile-name",
        "Bad",
        "--behaviors",
        "name=A,metric=aws:num-messages-sent,criteria={comparisonOperator=greater-than,value={count=many},durationSeconds=300}",
    ]);
    assert_eq!(out.status.code(), Some(252));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Invalid type for parameter behaviors[0].criteria.value.count, value: \"many\" (a string); expected an integer"),
        "{err}"
    );
    assert!(endpoint.operations().is_empty(), "nothing was sent");
}

#[test]
fn a_connected_command_checks_custom_metrics_and_dimensions_on_the_endpoint() {
    let endpoint = Endpoint::start();
    let custom = "name=Battery,metric=batteryPercentage,criteria={comparisonOperator=less-than,value={number=10}}";
    let out = endpoint.ddsp(&["create-security-profile", "--security-profile-name", "P", "--behaviors", custom]);
    assert_eq!(out.status.code(), Some(252));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no custom metric \"batteryPercentage\" exists on the endpoint"), "{err}");
    assert!(!err.contains("offline"), "{err}");
    assert_eq!(endpoint.operations(), ["ListCustomMetrics"], "looked up, nothing created");

    // Once the metric and a dimension exist, the same request is judged clean and sent.
    let iot = ddsp::client::for_sandbox(&endpoint.sandbox().url(), &ddsp::sandbox::default_keys(), "us-east-1");
    endpoint.runtime.block_on(async {
        iot.create_custom_metric()
            .metric_name("batteryPercentage")
            .metric_type(aws_sdk_iot::types::CustomMetricType::Number)
            .client_request_token("t1")
            .send()
            .await
            .unwrap();
        iot.create_dimension()
            .name("Topics")
            .r#type(aws_sdk_iot::types::DimensionType::TopicFilter)
            .string_values("fleet/#")
            .client_request_token("t2")
            .send()
            .await
            .unwrap();
    });
    let scoped = "name=Sent,metric=aws:num-messages-sent,metricDimension={dimensionName=Topics},criteria={comparisonOperator=greater-than,value={count=5},durationSeconds=300}";
    let out =
        endpoint.ddsp(&["create-security-profile", "--security-profile-name", "P", "--behaviors", custom, scoped]);
    ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("offline"), "{err}");
    let ops = endpoint.operations();
    let tail = &ops[ops.len() - 4..];
    assert_eq!(tail, ["ListCustomMetrics", "DescribeCustomMetric", "ListDimensions", "CreateSecurityProfile"]);
    // `ddsp validate --remote` asks the same endpoint, so it judges them there too.
    let file = temp_dir("remote-validate").join("p.json");
    let doc = serde_json::json!({"securityProfileName": "R", "behaviors": [{"name": "Battery", "metric": "batteryPercentage",
        "criteria": {"comparisonOperator": "less-than", "value": {"number": 10}}}]});
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = endpoint.ddsp(&["validate", "--remote", file.to_str().unwrap()]);
    ok(&out);
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!said.contains("offline"), "{said}");
    assert!(said.contains("valid"), "{said}");
    // A request that names neither is judged without any look-up.
    ok(&endpoint.ddsp(&["create-security-profile", "--security-profile-name", "Q"]));
    assert_eq!(endpoint.operations().last(), Some(&"CreateSecurityProfile"));
    assert_eq!(endpoint.operations().iter().filter(|o| **o == "ListCustomMetrics").count(), 3);
}

#[test]
fn lists_where_structures_belong_are_refused_in_every_option() {
    let endpoint = Endpoint::start();
    let cases: [(&[&str], &str); 4] = [
        (&["--behaviors", r#"[["b", "aws:num-disconnects"]]"#], "behaviors[0], value: a list"),
        (&["--tags", r#"[["k", "v"]]"#], "tags[0], value: a list"),
        (&["--alert-targets", r#"{"SNS": ["arn", "role"]}"#], "alertTargets.SNS, value: a list"),
        (&["--cli-input-json", r#"["P"]"#], "Invalid type for the document, value: a list"),
    ];
    for (args, fragment) in cases {
        let mut all = vec!["create-security-profile", "--security-profile-name", "P"];
        all.extend(args);
        let out = endpoint.ddsp(&all);
        assert_eq!(out.status.code(), Some(252), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(fragment), "{args:?}: {err}");
    }
    assert!(endpoint.operations().is_empty(), "nothing was sent");
}

#[test]
fn errors_that_need_no_endpoint_stop_the_request_before_connecting() {
    // Nothing listens on port 9: a request with a custom metric and a plain error never gets there.
    let out = Command::new(env!("CARGO_BIN_EXE_ddsp"))
        .args(["create-security-profile", "--security-profile-name", "P", "--behaviors"])
        .arg("name=A,metric=batteryPercentage,criteria={comparisonOperator=less-than,value={number=10}}")
        .arg("name=B,metric=aws:num-disconnects,criteria={comparisonOperator=greater-than,value={count=-1},durationSeconds=300}")
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(252));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("behaviors[1].criteria.value.count: count is -1"), "{err}");
    assert!(!err.contains("offline"), "{err}");
}
