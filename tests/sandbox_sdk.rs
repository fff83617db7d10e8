//! Every sandbox operation and error through the real aws-sdk-iot client, as
//! ddsp will call AWS: typed outputs and typed error variants.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aws_sdk_iot::Client;
use aws_sdk_iot::error::ProvideErrorMetadata;
use aws_sdk_iot::types::{
    AlertTarget, AlertTargetType, Behavior, BehaviorCriteria, ComparisonOperator, ConfidenceLevel, CustomMetricType,
    DimensionType, MachineLearningDetectionConfig, MetricDimension, MetricValue, Tag,
};
use ddsp::client::for_sandbox;
use ddsp::sandbox::{Faults, Keys, Sandbox, SandboxConfig, default_keys, serve};

async fn start(config: SandboxConfig) -> (Sandbox, Client) {
    let keys = config.keys.clone().unwrap_or_else(default_keys);
    let sandbox = serve(config).await.unwrap();
    let client = for_sandbox(&sandbox.url(), &keys, "us-east-1");
    (sandbox, client)
}

fn behavior(name: &str, count: i64) -> Behavior {
    Behavior::builder()
        .name(name)
        .metric("aws:num-messages-sent")
        .criteria(
            BehaviorCriteria::builder()
                .comparison_operator(ComparisonOperator::GreaterThan)
                .value(MetricValue::builder().count(count).build())
                .duration_seconds(300)
                .build(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn profile_lifecycle_with_versions() {
    let (sandbox, iot) = start(SandboxConfig::ephemeral()).await;
    let created = iot
        .create_security_profile()
        .security_profile_name("a:b")
        .security_profile_description("first")
        .behaviors(behavior("Sent", 10))
        .tags(Tag::builder().key("env").value("test").build().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(created.security_profile_arn(), Some("arn:aws:iot:us-east-1:123456789012:securityprofile/a:b"));

    let described = iot.describe_security_profile().security_profile_name("a:b").send().await.unwrap();
    assert_eq!(described.version(), 1);
    assert_eq!(described.behaviors()[0].name(), "Sent");
    let created_at = described.creation_date().unwrap().as_secs_f64();
    assert_eq!(described.last_modified_date().unwrap().as_secs_f64(), created_at);

    let updated = iot
        .update_security_profile()
        .security_profile_name("a:b")
        .expected_version(1)
        .behaviors(behavior("Sent", 20))
        .alert_targets(
            AlertTargetType::Sns,
            AlertTarget::builder()
                .alert_target_arn("arn:aws:sns:us-east-1:123456789012:alerts")
                .role_arn("arn:aws:iam::123456789012:role/alerts")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(updated.version(), 2);
    assert_eq!(updated.security_profile_description(), Some("first"), "PATCH keeps what was not sent");
    assert_eq!(updated.behaviors()[0].criteria().unwrap().value().unwrap().count(), Some(20));
    assert_eq!(updated.creation_date().unwrap().as_secs_f64(), created_at);
    assert!(updated.last_modified_date().unwrap().as_secs_f64() >= created_at);

    // A stale version conflicts; the delete-* flag clears.
    let stale =
        iot.update_security_profile().security_profile_name("a:b").expected_version(1).send().await.unwrap_err();
    assert!(stale.into_service_error().is_version_conflict_exception());
    let cleared =
        iot.update_security_profile().security_profile_name("a:b").delete_alert_targets(true).send().await.unwrap();
    assert_eq!(cleared.version(), 3);
    assert!(cleared.alert_targets().is_none());

    // Same create again is idempotent only while nothing differs.
    let again = iot.create_security_profile().security_profile_name("a:b").send().await.unwrap_err();
    let again = again.into_service_error();
    assert!(again.is_resource_already_exists_exception(), "{again:?}");

    let tags = iot.list_tags_for_resource().resource_arn(created.security_profile_arn().unwrap()).send().await.unwrap();
    assert_eq!(tags.tags()[0].key(), "env");

    let conflict =
        iot.delete_security_profile().security_profile_name("a:b").expected_version(1).send().await.unwrap_err();
    assert!(conflict.into_service_error().is_version_conflict_exception());
    iot.delete_security_profile().security_profile_name("a:b").expected_version(3).send().await.unwrap();
    iot.delete_security_profile().security_profile_name("a:b").send().await.unwrap();
    let gone = iot.describe_security_profile().security_profile_name("a:b").send().await.unwrap_err();
    assert!(gone.into_service_error().is_resource_not_found_exception());
    let gone = iot.update_security_profile().security_profile_name("a:b").send().await.unwrap_err();
    assert!(gone.into_service_error().is_resource_not_found_exception());
    sandbox.stop().await;
}

#[tokio::test]
async fn create_is_idempotent_for_identical_input() {
    let (sandbox, iot) = start(SandboxConfig::ephemeral()).await;
    for _ in 0..2 {
        let out = iot
            .create_security_profile()
            .security_profile_name("same")
            .behaviors(behavior("b", 1))
            .send()
            .await
            .unwrap();
        assert_eq!(out.security_profile_name(), Some("same"));
    }
    let different = iot
        .create_security_profile()
        .security_profile_name("same")
        .behaviors(behavior("b", 2))
        .send()
        .await
        .unwrap_err();
    let e = different.into_service_error();
    assert!(e.is_resource_already_exists_exception());
    assert!(e.message().unwrap().contains("different properties"));
    sandbox.stop().await;
}

#[tokio::test]
async fn the_rules_reject_bad_profiles_with_invalid_request() {
    let (sandbox, iot) = start(SandboxConfig::ephemeral()).await;
    let bad = Behavior::builder()
        .name("Ports")
        .metric("aws:listening-tcp-ports")
        .criteria(
            BehaviorCriteria::builder()
                .comparison_operator(ComparisonOperator::InPortSet)
                .value(MetricValue::builder().ports(70000).build())
                .build(),
        )
        .build()
        .unwrap();
    let e = iot
        .create_security_profile()
        .security_profile_name("p")
        .behaviors(bad.clone())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_invalid_request_exception(), "{e:?}");
    assert!(
        e.message().unwrap().contains("behaviors[0].criteria.value.ports[0]: port 70000 is out of range"),
        "{:?}",
        e.message()
    );

    let e =
        iot.create_security_profile().security_profile_name("bad name").send().await.unwrap_err().into_service_error();
    assert!(e.is_invalid_request_exception(), "{e:?}");

    // A behavior that names a custom metric or dimension that does not exist is rejected.
    let custom = Behavior::builder()
        .name("Battery")
        .metric("batteryPercentage")
        .criteria(
            BehaviorCriteria::builder()
                .comparison_operator(ComparisonOperator::LessThan)
                .value(MetricValue::builder().number(10.0).build())
                .build(),
        )
        .build()
        .unwrap();
    let e = iot
        .create_security_profile()
        .security_profile_name("p")
        .behaviors(custom.clone())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.message().unwrap().contains("no custom metric \"batteryPercentage\" exists"), "{:?}", e.message());
    iot.create_custom_metric()
        .metric_name("batteryPercentage")
        .metric_type(CustomMetricType::Number)
        .client_request_token("t1")
        .send()
        .await
        .unwrap();
    iot.create_security_profile().security_profile_name("p").behaviors(custom).send().await.unwrap();

    // A delete flag with the same member is rejected.
    let e = iot
        .update_security_profile()
        .security_profile_name("p")
        .delete_behaviors(true)
        .behaviors(behavior("b", 1))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_invalid_request_exception());

    let valid = iot.validate_security_profile_behaviors().behaviors(bad).send().await.unwrap();
    assert!(!valid.valid());
    assert!(valid.validation_errors()[0].error_message().unwrap().starts_with("Behavior Ports is malformed."));
    let valid = iot.validate_security_profile_behaviors().behaviors(behavior("ok", 1)).send().await.unwrap();
    assert!(valid.valid());
    sandbox.stop().await;
}

#[tokio::test]
async fn list_paginates_and_filters() {
    let (sandbox, iot) = start(SandboxConfig::ephemeral()).await;
    iot.create_dimension()
        .name("TopicFilter")
        .r#type(DimensionType::TopicFilter)
        .string_values("device/+/telemetry")
        .client_request_token("d1")
        .send()
        .await
        .unwrap();
    for i in 0..7 {
        let mut b = behavior("Sent", 1);
        if i % 2 == 0 {
            b = Behavior::builder()
                .name("Sent")
                .metric("aws:num-messages-sent")
                .metric_dimension(MetricDimension::builder().dimension_name("TopicFilter").build().unwrap())
                .criteria(b.criteria().unwrap().clone())
                .build()
                .unwrap();
        }
        iot.create_security_profile().security_profile_name(format!("p{i}")).behaviors(b).send().await.unwrap();
    }
    let pages: Vec<_> = iot
        .list_security_profiles()
        .max_results(3)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    let names: Vec<String> =
        pages.iter().flat_map(|p| p.security_profile_identifiers().iter().map(|i| i.name().to_owned())).collect();
    assert_eq!(names, ["p0", "p1", "p2", "p3", "p4", "p5", "p6"]);

    let with_dim = iot.list_security_profiles().dimension_name("TopicFilter").send().await.unwrap();
    assert_eq!(with_dim.security_profile_identifiers().len(), 4);
    let with_metric = iot.list_security_profiles().metric_name("aws:num-messages-sent").send().await.unwrap();
    assert_eq!(with_metric.security_profile_identifiers().len(), 7);
    let both = iot
        .list_security_profiles()
        .dimension_name("TopicFilter")
        .metric_name("aws:num-messages-sent")
        .send()
        .await
        .unwrap_err();
    assert!(both.into_service_error().is_invalid_request_exception());
    let missing = iot.list_security_profiles().dimension_name("Nope").send().await.unwrap_err();
    assert!(missing.into_service_error().is_resource_not_found_exception());

    // A dimension in use cannot be deleted.
    let in_use = iot.delete_dimension().name("TopicFilter").send().await.unwrap_err().into_service_error();
    assert!(in_use.is_invalid_request_exception());
    sandbox.stop().await;
}

#[tokio::test]
async fn dimensions_custom_metrics_tags_and_targets() {
    let (sandbox, iot) = start(SandboxConfig::ephemeral()).await;
    let dim = iot
        .create_dimension()
        .name("Topics")
        .r#type(DimensionType::TopicFilter)
        .string_values("a/#")
        .client_request_token("x")
        .send()
        .await
        .unwrap();
    assert_eq!(dim.arn(), Some("arn:aws:iot:us-east-1:123456789012:dimension/Topics"));
    let d = iot.describe_dimension().name("Topics").send().await.unwrap();
    assert_eq!(d.string_values(), ["a/#"]);
    assert!(d.creation_date().is_some());
    assert_eq!(iot.list_dimensions().send().await.unwrap().dimension_names(), ["Topics"]);
    let e = iot.describe_dimension().name("Nope").send().await.unwrap_err().into_service_error();
    assert!(e.is_resource_not_found_exception());
    let updated = iot.update_dimension().name("Topics").string_values("b/+").send().await.unwrap();
    assert_eq!(updated.string_values(), ["b/+"]);
    iot.delete_dimension().name("Topics").send().await.unwrap();

    let m = iot
        .create_custom_metric()
        .metric_name("cpu")
        .metric_type(CustomMetricType::Number)
        .display_name("CPU load")
        .client_request_token("y")
        .send()
        .await
        .unwrap();
    assert_eq!(m.metric_arn(), Some("arn:aws:iot:us-east-1:123456789012:custommetric/cpu"));
    let described = iot.describe_custom_metric().metric_name("cpu").send().await.unwrap();
    assert_eq!(described.metric_type(), Some(&CustomMetricType::Number));
    assert_eq!(iot.list_custom_metrics().send().await.unwrap().metric_names(), ["cpu"]);
    let renamed = iot.update_custom_metric().metric_name("cpu").display_name("CPU %").send().await.unwrap();
    assert_eq!(renamed.display_name(), Some("CPU %"));
    let e = iot
        .create_custom_metric()
        .metric_name("aws:mine")
        .metric_type(CustomMetricType::Number)
        .client_request_token("z")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_invalid_request_exception());

    // ML Detect on the custom metric, then the metric cannot be deleted.
    let ml = Behavior::builder()
        .name("Cpu")
        .metric("cpu")
        .criteria(
            BehaviorCriteria::builder()
                .ml_detection_config(
                    MachineLearningDetectionConfig::builder().confidence_level(ConfidenceLevel::High).build().unwrap(),
                )
                .build(),
        )
        .build()
        .unwrap();
    let p = iot.create_security_profile().security_profile_name("ml").behaviors(ml).send().await.unwrap();
    let e = iot.delete_custom_metric().metric_name("cpu").send().await.unwrap_err().into_service_error();
    assert!(e.is_invalid_request_exception());

    // Tags on the profile.
    let arn = p.security_profile_arn().unwrap();
    iot.tag_resource()
        .resource_arn(arn)
        .tags(Tag::builder().key("team").value("iot").build().unwrap())
        .send()
        .await
        .unwrap();
    iot.untag_resource().resource_arn(arn).tag_keys("nothing").send().await.unwrap();
    assert_eq!(iot.list_tags_for_resource().resource_arn(arn).send().await.unwrap().tags().len(), 1);
    iot.untag_resource().resource_arn(arn).tag_keys("team").send().await.unwrap();
    assert!(iot.list_tags_for_resource().resource_arn(arn).send().await.unwrap().tags().is_empty());
    let e = iot
        .tag_resource()
        .resource_arn("arn:aws:iot:us-east-1:123456789012:securityprofile/none")
        .tags(Tag::builder().key("k").build().unwrap())
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_resource_not_found_exception());
    let too_many: Vec<Tag> = (0..51).map(|i| Tag::builder().key(format!("k{i}")).build().unwrap()).collect();
    let e =
        iot.tag_resource().resource_arn(arn).set_tags(Some(too_many)).send().await.unwrap_err().into_service_error();
    assert!(e.is_limit_exceeded_exception(), "{e:?}");

    // Targets.
    let group = "arn:aws:iot:us-east-1:123456789012:thinggroup/fleet";
    iot.create_thing_group().thing_group_name("fleet").send().await.unwrap();
    iot.attach_security_profile().security_profile_name("ml").security_profile_target_arn(group).send().await.unwrap();
    iot.attach_security_profile()
        .security_profile_name("ml")
        .security_profile_target_arn("arn:aws:iot:us-east-1:123456789012:all/registered-things")
        .send()
        .await
        .unwrap();
    let targets = iot.list_targets_for_security_profile().security_profile_name("ml").send().await.unwrap();
    assert_eq!(targets.security_profile_targets().len(), 2);
    let e = iot
        .attach_security_profile()
        .security_profile_name("ml")
        .security_profile_target_arn("arn:aws:iot:us-east-1:123456789012:thing/x")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_invalid_request_exception());
    let e = iot
        .attach_security_profile()
        .security_profile_name("none")
        .security_profile_target_arn(group)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(e.is_resource_not_found_exception());
    iot.detach_security_profile().security_profile_name("ml").security_profile_target_arn(group).send().await.unwrap();
    let targets = iot.list_targets_for_security_profile().security_profile_name("ml").send().await.unwrap();
    assert_eq!(targets.security_profile_targets().len(), 1);
    sandbox.stop().await;
}

#[tokio::test]
async fn signatures_are_checked() {
    let (sandbox, _) = start(SandboxConfig::ephemeral()).await;
    let wrong_secret = Keys { secret_key: "not-the-secret".into(), ..default_keys() };
    let iot = for_sandbox(&sandbox.url(), &wrong_secret, "us-east-1");
    let e = iot.list_security_profiles().send().await.unwrap_err().into_service_error();
    assert_eq!(e.code(), Some("InvalidSignatureException"), "{e:?}");
    let wrong_key = Keys { access_key: "AKIAOTHER".into(), ..default_keys() };
    let iot = for_sandbox(&sandbox.url(), &wrong_key, "us-east-1");
    let e = iot.list_security_profiles().send().await.unwrap_err().into_service_error();
    assert_eq!(e.code(), Some("UnrecognizedClientException"));
    sandbox.stop().await;

    let (sandbox, _) = start(SandboxConfig { keys: None, ..SandboxConfig::ephemeral() }).await;
    let anyone = for_sandbox(&sandbox.url(), &wrong_key, "us-east-1");
    anyone.list_security_profiles().send().await.unwrap();
    sandbox.stop().await;
}

#[tokio::test]
async fn injected_faults_come_back_as_typed_errors() {
    let faults = Faults { throttle: 1.0, ..Faults::default() };
    let (sandbox, iot) = start(SandboxConfig { faults, ..SandboxConfig::ephemeral() }).await;
    let e = iot.list_security_profiles().send().await.unwrap_err().into_service_error();
    assert!(e.is_throttling_exception(), "{e:?}");
    sandbox.stop().await;

    let faults = Faults { internal: 1.0, ..Faults::default() };
    let (sandbox, iot) = start(SandboxConfig { faults, ..SandboxConfig::ephemeral() }).await;
    let e = iot.describe_security_profile().security_profile_name("x").send().await.unwrap_err().into_service_error();
    assert!(e.is_internal_failure_exception(), "{e:?}");
    sandbox.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixteen_racing_updates_one_wins() {
    let (sandbox, iot) = start(SandboxConfig::ephemeral()).await;
    iot.create_security_profile().security_profile_name("race").send().await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..16 {
        let iot = iot.clone();
        tasks.push(tokio::spawn(async move {
            iot.update_security_profile()
                .security_profile_name("race")
                .expected_version(1)
                .security_profile_description(format!("writer {i}"))
                .send()
                .await
        }));
    }
    let mut ok = 0;
    let mut conflicts = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => {
                let e = e.into_service_error();
                assert!(e.is_version_conflict_exception(), "{e:?}");
                conflicts += 1;
            }
        }
    }
    assert_eq!((ok, conflicts), (1, 15));
    assert_eq!(iot.describe_security_profile().security_profile_name("race").send().await.unwrap().version(), 2);
    sandbox.stop().await;
}

#[tokio::test]
async fn a_restarted_sandbox_keeps_its_profiles() {
    let dir = std::env::temp_dir().join(format!("ddsp-restart-{}", std::process::id()));
    let db = dir.join("sandbox.db");
    let _ = std::fs::remove_dir_all(&dir);
    let config = SandboxConfig { db: Some(db.clone()), ..SandboxConfig::ephemeral() };
    let (sandbox, iot) = start(config.clone()).await;
    iot.create_security_profile().security_profile_name("kept").behaviors(behavior("b", 5)).send().await.unwrap();
    iot.update_security_profile()
        .security_profile_name("kept")
        .security_profile_description("v2")
        .send()
        .await
        .unwrap();
    let before = iot.describe_security_profile().security_profile_name("kept").send().await.unwrap();
    sandbox.stop().await;

    let (sandbox, iot) = start(config).await;
    let after = iot.describe_security_profile().security_profile_name("kept").send().await.unwrap();
    assert_eq!(after.version(), 2);
    assert_eq!(after.behaviors(), before.behaviors());
    assert_eq!(after.creation_date(), before.creation_date());
    sandbox.stop().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn each_region_keeps_its_own_resources_and_arns() {
    let (sandbox, us) = start(SandboxConfig::ephemeral()).await;
    let keys = default_keys();
    let eu = for_sandbox(&sandbox.url(), &keys, "eu-west-1");
    let cn = for_sandbox(&sandbox.url(), &keys, "cn-north-1");
    let made_us = us.create_security_profile().security_profile_name("Same").send().await.unwrap();
    let made_eu = eu.create_security_profile().security_profile_name("Same").send().await.unwrap();
    assert_eq!(made_us.security_profile_arn(), Some("arn:aws:iot:us-east-1:123456789012:securityprofile/Same"));
    assert_eq!(made_eu.security_profile_arn(), Some("arn:aws:iot:eu-west-1:123456789012:securityprofile/Same"));
    let made_cn = cn.create_security_profile().security_profile_name("China").send().await.unwrap();
    assert_eq!(made_cn.security_profile_arn(), Some("arn:aws-cn:iot:cn-north-1:123456789012:securityprofile/China"));
    // Each region lists only its own, and an update in one leaves the other alone.
    let names = |out: aws_sdk_iot::operation::list_security_profiles::ListSecurityProfilesOutput| {
        out.security_profile_identifiers().iter().map(|i| i.name().to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(names(us.list_security_profiles().send().await.unwrap()), ["Same"]);
    assert_eq!(names(cn.list_security_profiles().send().await.unwrap()), ["China"]);
    eu.update_security_profile().security_profile_name("Same").security_profile_description("eu").send().await.unwrap();
    let us_copy = us.describe_security_profile().security_profile_name("Same").send().await.unwrap();
    assert_eq!((us_copy.version(), us_copy.security_profile_description()), (1, None));
    // An ARN of another region names nothing here.
    let foreign = us
        .tag_resource()
        .resource_arn(made_eu.security_profile_arn().unwrap())
        .tags(Tag::builder().key("k").value("v").build().unwrap())
        .send()
        .await
        .unwrap_err();
    assert_eq!(foreign.code(), Some("ResourceNotFoundException"));
    // A scope that names no region is refused.
    let nowhere = for_sandbox(&sandbox.url(), &keys, "xx-nowhere-9");
    let e = nowhere.list_security_profiles().send().await.unwrap_err();
    assert_eq!(e.code(), Some("InvalidSignatureException"));
    assert!(e.message().unwrap_or_default().contains("valid region"), "{e:?}");
    sandbox.stop().await;
}

#[tokio::test]
async fn browsers_and_foreign_hosts_are_refused() {
    let (sandbox, _) = start(SandboxConfig { keys: None, ..SandboxConfig::ephemeral() }).await;
    let addr = sandbox.addr();
    // A raw HTTP/1.1 request with the given extra headers; the status line comes back.
    let status = |host: String, extra: &'static str| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "POST /security-profiles/Web HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_string(&mut answer))
            .await
            .unwrap()
            .unwrap();
        answer
    };
    let from_page = status(addr.to_string(), "Origin: https://evil.example\r\n").await;
    assert!(from_page.starts_with("HTTP/1.1 403"), "{from_page}");
    assert!(from_page.contains("Origin header"), "{from_page}");
    let rebound = status("evil.example:7411".into(), "").await;
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
    assert!(rebound.contains("The Host header must name this sandbox"), "{rebound}");
    let local = status(format!("localhost:{}", addr.port()), "").await;
    assert!(local.starts_with("HTTP/1.1 200"), "{local}");
    sandbox.stop().await;
}

#[tokio::test]
async fn idle_and_slow_clients_are_closed_and_cannot_lock_others_out() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let limits = ddsp::sandbox::Limits {
        max_connections: 4,
        header_timeout: Duration::from_millis(800),
        body_timeout: Duration::from_millis(500),
    };
    let (sandbox, iot) = start(SandboxConfig { limits, ..SandboxConfig::ephemeral() }).await;
    let addr = sandbox.addr();
    // As many silent clients as the cap allows, and one that sends half its headers.
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /security-profiles HTTP/1.1\r\nHost: ").await.unwrap();
    // A real client still gets through once the silent ones are closed.
    let began = Instant::now();
    let listed = tokio::time::timeout(Duration::from_secs(20), iot.list_security_profiles().send()).await;
    assert!(listed.expect("served within 20 s").is_ok());
    assert!(began.elapsed() < Duration::from_secs(10), "took {:?}", began.elapsed());
    // Each silent connection was closed by the sandbox: reading gives end of file, not a hang.
    for mut stream in idle {
        let mut byte = [0u8; 1];
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut byte)).await;
        assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
    }
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), slow.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "the slow client was not closed");
    sandbox.stop().await;
}

#[tokio::test]
async fn targets_refer_to_thing_groups_that_exist() {
    use aws_sdk_iot::types::{AttributePayload, ThingGroupProperties};
    let (sandbox, iot) = start(SandboxConfig::ephemeral()).await;
    let group_arn = |name: &str| format!("arn:aws:iot:us-east-1:123456789012:thinggroup/{name}");
    // Thing groups, nested, and things in them.
    let fleet = iot
        .create_thing_group()
        .thing_group_name("Fleet")
        .thing_group_properties(ThingGroupProperties::builder().thing_group_description("All sensors").build())
        .send()
        .await
        .unwrap();
    assert_eq!(fleet.thing_group_arn(), Some(group_arn("Fleet").as_str()));
    iot.create_thing_group().thing_group_name("Cameras").parent_group_name("Fleet").send().await.unwrap();
    let described = iot.describe_thing_group().thing_group_name("Cameras").send().await.unwrap();
    assert_eq!(described.version(), 1);
    let meta = described.thing_group_metadata().unwrap();
    assert_eq!(meta.parent_group_name(), Some("Fleet"));
    assert_eq!(meta.root_to_parent_thing_groups()[0].group_name(), Some("Fleet"));
    let orphan = iot.create_thing_group().thing_group_name("Lost").parent_group_name("Nowhere").send().await;
    assert_eq!(orphan.unwrap_err().code(), Some("ResourceNotFoundException"));
    let made = iot
        .create_thing()
        .thing_name("cam-1")
        .attribute_payload(AttributePayload::builder().attributes("site", "north").build())
        .send()
        .await
        .unwrap();
    assert_eq!(made.thing_arn(), Some("arn:aws:iot:us-east-1:123456789012:thing/cam-1"));
    iot.add_thing_to_thing_group().thing_group_name("Cameras").thing_name("cam-1").send().await.unwrap();
    let missing = iot.add_thing_to_thing_group().thing_group_name("Cameras").thing_name("cam-9").send().await;
    assert_eq!(missing.unwrap_err().code(), Some("ResourceNotFoundException"));
    // One group per hierarchy, at most 10 groups: cam-1 is in Cameras, below Fleet.
    iot.add_thing_to_thing_group().thing_group_name("Cameras").thing_name("cam-1").send().await.unwrap();
    let same_tree = iot.add_thing_to_thing_group().thing_group_name("Fleet").thing_name("cam-1").send().await;
    let same_tree = same_tree.unwrap_err();
    assert_eq!(same_tree.code(), Some("InvalidRequestException"));
    assert!(same_tree.message().unwrap_or_default().contains("one group per hierarchy"), "{same_tree:?}");
    for i in 0..9 {
        iot.create_thing_group().thing_group_name(format!("Tree{i}")).send().await.unwrap();
        iot.add_thing_to_thing_group().thing_group_name(format!("Tree{i}")).thing_name("cam-1").send().await.unwrap();
    }
    iot.create_thing_group().thing_group_name("Tree9").send().await.unwrap();
    let eleventh = iot.add_thing_to_thing_group().thing_group_name("Tree9").thing_name("cam-1").send().await;
    assert_eq!(eleventh.unwrap_err().code(), Some("LimitExceededException"));
    let things = iot.list_things().attribute_name("site").attribute_value("north").send().await.unwrap();
    assert_eq!(things.things()[0].thing_name(), Some("cam-1"));
    let under_fleet = iot.list_thing_groups().parent_group("Fleet").send().await.unwrap();
    assert_eq!(under_fleet.thing_groups().iter().filter_map(|g| g.group_name()).collect::<Vec<_>>(), ["Cameras"]);

    // Attaching: the group must exist; six profiles on one target is one too many.
    for i in 0..6 {
        iot.create_security_profile().security_profile_name(format!("P{i}")).send().await.unwrap();
    }
    let nowhere = iot
        .attach_security_profile()
        .security_profile_name("P0")
        .security_profile_target_arn(group_arn("Nowhere"))
        .send()
        .await;
    assert_eq!(nowhere.unwrap_err().code(), Some("ResourceNotFoundException"));
    for i in 0..5 {
        iot.attach_security_profile()
            .security_profile_name(format!("P{i}"))
            .security_profile_target_arn(group_arn("Fleet"))
            .send()
            .await
            .unwrap();
    }
    let sixth = iot
        .attach_security_profile()
        .security_profile_name("P5")
        .security_profile_target_arn(group_arn("Fleet"))
        .send()
        .await;
    assert_eq!(sixth.unwrap_err().code(), Some("LimitExceededException"));
    iot.attach_security_profile()
        .security_profile_name("P5")
        .security_profile_target_arn(group_arn("Cameras"))
        .send()
        .await
        .unwrap();

    // ListSecurityProfilesForTarget, one page at a time, and recursive below the group.
    let direct =
        iot.list_security_profiles_for_target().security_profile_target_arn(group_arn("Fleet")).send().await.unwrap();
    assert_eq!(direct.security_profile_target_mappings().len(), 5);
    let first = direct.security_profile_target_mappings()[0].clone();
    assert_eq!(first.security_profile_identifier().unwrap().name(), "P0");
    assert_eq!(first.target().unwrap().arn(), group_arn("Fleet"));
    let paged = iot
        .list_security_profiles_for_target()
        .security_profile_target_arn(group_arn("Fleet"))
        .recursive(true)
        .max_results(4)
        .into_paginator()
        .items()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .unwrap();
    assert_eq!(paged.len(), 6, "recursive includes Cameras' profile");

    // Deleting a group detaches its profiles; a group with children is refused first.
    let parent = iot.delete_thing_group().thing_group_name("Fleet").send().await;
    assert_eq!(parent.unwrap_err().code(), Some("InvalidRequestException"));
    iot.delete_thing_group().thing_group_name("Cameras").send().await.unwrap();
    let targets = iot.list_targets_for_security_profile().security_profile_name("P5").send().await.unwrap();
    assert!(targets.security_profile_targets().is_empty());
    iot.delete_thing_group().thing_group_name("Cameras").send().await.unwrap();
    iot.delete_thing().thing_name("cam-1").send().await.unwrap();
    assert_eq!(
        iot.describe_thing().thing_name("cam-1").send().await.unwrap_err().code(),
        Some("ResourceNotFoundException")
    );
    // Targets are per region: the same group name in eu-west-1 does not exist.
    let eu = for_sandbox(&sandbox.url(), &default_keys(), "eu-west-1");
    eu.create_security_profile().security_profile_name("P0").send().await.unwrap();
    let eu_attach = eu
        .attach_security_profile()
        .security_profile_name("P0")
        .security_profile_target_arn("arn:aws:iot:eu-west-1:123456789012:thinggroup/Fleet")
        .send()
        .await;
    assert_eq!(eu_attach.unwrap_err().code(), Some("ResourceNotFoundException"));
    sandbox.stop().await;
}
