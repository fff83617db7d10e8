//! Bad input never panics and always says where and what: the files in
//! tests/fixtures/invalid/ (each with the message it must give in NAME.expect),
//! truncated documents, wrong types, huge numbers, deep nesting, invalid UTF-8
//! and 10 MB strings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::domain::profile::SecurityProfile;
use ddsp::domain::{Context, Rule, validate};
use ddsp::wire::input::{Format, InputError, parse, parse_bytes};

fn read(bytes: &[u8], format: Format) -> Result<SecurityProfile, InputError> {
    parse_bytes(bytes, format)
}

#[test]
fn each_invalid_fixture_gives_its_message() {
    let mut seen = 0;
    for entry in std::fs::read_dir("tests/fixtures/invalid").unwrap() {
        let path = entry.unwrap().path();
        let format = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Format::Json,
            Some("yaml") => Format::Yaml,
            _ => continue,
        };
        let expected = std::fs::read_to_string(path.with_extension("expect")).unwrap();
        let err = read(&std::fs::read(&path).unwrap(), format).expect_err(&path.display().to_string());
        let shown = err.to_string();
        let expected = expected.trim_end_matches('\n');
        assert!(
            shown.contains(expected) || err.path.as_deref() == Some(expected),
            "{}: {shown:?} lacks {expected:?}",
            path.display()
        );
        assert!(err.line.is_some(), "{}: no line in {shown}", path.display());
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} invalid fixtures");
}

#[test]
fn every_truncation_of_a_good_file_is_an_error_with_a_place() {
    for file in ["possible-issue-create.json", "possible-issue-create.yaml"] {
        let bytes = std::fs::read(format!("tests/fixtures/{file}")).unwrap();
        let format = if file.ends_with("json") { Format::Json } else { Format::Yaml };
        let whole = bytes.trim_ascii_end().len();
        for cut in 0..whole {
            // YAML prefixes can be complete documents; they must still never panic.
            if let Err(e) = read(&bytes[..cut], format) {
                assert!(e.line.is_some() || e.message.contains("empty"), "{file} cut at {cut}: {e}");
            } else {
                assert_eq!(format, Format::Yaml, "{file} cut at {cut} parsed");
            }
        }
    }
}

#[test]
fn wrong_types_and_huge_numbers_are_errors() {
    let cases = [
        (r#"{"securityProfileName": 5}"#, "securityProfileName"),
        (
            r#"{"securityProfileName": "p", "behaviors": [{"name": "b", "suppressAlerts": "yes"}]}"#,
            "behaviors[0].suppressAlerts",
        ),
        (
            r#"{"securityProfileName": "p", "behaviors": [{"name": "b", "criteria": {"value": {"count": 99999999999999999999}}}]}"#,
            "behaviors[0].criteria.value.count",
        ),
        (
            r#"{"securityProfileName": "p", "behaviors": [{"name": "b", "criteria": {"value": {"ports": [1.5]}}}]}"#,
            "behaviors[0].criteria.value.ports[0]",
        ),
        (
            r#"{"securityProfileName": "p", "behaviors": [{"name": "b", "criteria": {"durationSeconds": -1e999}}]}"#,
            "behaviors[0].criteria.durationSeconds",
        ),
        (r#"{"securityProfileName": "p", "alertTargets": []}"#, "alertTargets"),
        (
            r#"{"securityProfileName": "p", "behaviors": [{"name": "b", "criteria": {"comparisonOperator": 3}}]}"#,
            "behaviors[0].criteria.comparisonOperator",
        ),
    ];
    for (text, path) in cases {
        let e = read(text.as_bytes(), Format::Json).unwrap_err();
        assert_eq!(e.path.as_deref(), Some(path), "{text}: {e}");
        assert!(e.line.is_some(), "{text}");
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let depth = 100_000;
    let json = format!(r#"{{"securityProfileName": "p", "behaviors": [{}{}]}}"#, "[".repeat(depth), "]".repeat(depth));
    assert!(read(json.as_bytes(), Format::Json).is_err());
    let yaml = format!("securityProfileName: p\nbehaviors: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    assert!(read(yaml.as_bytes(), Format::Yaml).is_err());
    let bare = "[".repeat(depth);
    assert!(parse::<serde_json::Value>(&bare, Format::Json).is_err());
}

#[test]
fn ten_megabyte_strings_are_read_then_reported_briefly() {
    let big = "x".repeat(10 * 1024 * 1024);
    let json = format!(r#"{{"securityProfileName": "{big}"}}"#);
    let p = read(json.as_bytes(), Format::Json).unwrap();
    let problems = validate(&p, &Context::offline());
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].rule, Rule::ProfileName);
    assert!(problems[0].message.len() < 200, "{}", problems[0].message);

    let json = format!(
        r#"{{"securityProfileName": "p", "behaviors": [{{"name": "b", "criteria": {{"value": {{"count": "{big}"}}}}}}]}}"#
    );
    let e = read(json.as_bytes(), Format::Json).unwrap_err();
    assert!(e.message.chars().count() <= 301, "message of {} characters", e.message.len());

    let yaml = format!("securityProfileName: p\nsecurityProfileDescription: {big}\n");
    let p = read(yaml.as_bytes(), Format::Yaml).unwrap();
    assert!(validate(&p, &Context::offline()).iter().any(|p| p.rule == Rule::DescriptionLength));
}

#[test]
fn escape_sequences_in_input_never_reach_messages_raw() {
    let e = read(b"{\"securityProfileName\": \"p\", \"\x1b]52;c;aGk=\x07\": 1}", Format::Json).unwrap_err();
    assert!(!e.message.contains('\u{1b}') && !e.message.contains('\u{7}'), "{e}");
    let p = read("{\"securityProfileName\": \"p\\u001b[2J\"}".as_bytes(), Format::Json).unwrap();
    let problems = validate(&p, &Context::offline());
    assert!(problems.iter().all(|p| !p.to_string().contains('\u{1b}')), "{problems:?}");
    let p = read(
        r#"{"securityProfileName": "p", "alertTargets": {"\u001b[31m": {"alertTargetArn": "a", "roleArn": "r"}}}"#
            .as_bytes(),
        Format::Json,
    )
    .unwrap();
    let problems = validate(&p, &Context::offline());
    assert!(problems.iter().all(|p| !p.to_string().contains('\u{1b}')), "{problems:?}");
}
