//! What `ddsp export` writes besides profile files: a CloudFormation template
//! (`AWS::IoT::SecurityProfile` resources: members in CloudFormation's
//! PascalCase, `Count` as a string as CloudFormation wants it, targets as
//! `TargetArns`), and the `aws iot …` commands, quoted for a POSIX shell, that
//! recreate the profiles and attach their targets.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::plan::Current;
use crate::domain::targets::region_and_account;

/// A JSON member name in CloudFormation's case: `alertTargetArn` → `AlertTargetArn`.
fn pascal(key: &str) -> String {
    let mut c = key.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// A profile member as CloudFormation writes it: keys in PascalCase, except
/// under `AlertTargets` (whose keys are alert target types) and in `Tags`
/// (already `Key` / `Value`); a `count` becomes a string.
fn to_cfn(value: &Value, key: &str) -> Value {
    match value {
        Value::Object(map) => {
            let keep_keys = key == "alertTargets";
            let out: Map<String, Value> = map
                .iter()
                .map(|(k, v)| {
                    let name = if keep_keys { k.clone() } else { pascal(k) };
                    let v = if k == "count" { Value::String(v.to_string()) } else { to_cfn(v, k) };
                    (name, v)
                })
                .collect();
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| to_cfn(v, key)).collect()),
        other => other.clone(),
    }
}

/// A logical id for a profile name (CloudFormation allows letters and digits only).
fn logical_id(name: &str, taken: &mut BTreeMap<String, usize>) -> String {
    let base: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    let base = format!("SecurityProfile{base}");
    let n = taken.entry(base.clone()).or_insert(0);
    *n += 1;
    if *n == 1 { base } else { format!("{base}{n}") }
}

/// One profile as an `AWS::IoT::SecurityProfile` resource, with its targets' ARNs.
pub fn cloudformation_resource(
    profile: &crate::domain::profile::SecurityProfile,
    target_arns: &[String],
) -> Result<Value, serde_json::Error> {
    let mut props = match to_cfn(&serde_json::to_value(profile)?, "") {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if !target_arns.is_empty() {
        props.insert("TargetArns".into(), json!(target_arns));
    }
    Ok(json!({"Type": "AWS::IoT::SecurityProfile", "Properties": props}))
}

/// The `aws iot` commands one submit makes: the create or update (its
/// `--cli-input-json`, expectedVersion and delete-* flags included), the tag
/// changes of an update, then each attach and detach. `arn` is the profile's
/// when it exists; `place` the region and account targets are in, else the
/// commands use `$REGION` and `$ACCOUNT`, set at the top for the user to fill.
/// With `to`, a comment names the endpoint and every command carries its
/// endpoint, region, profile and (for ddsp's own sandbox) keys.
pub fn calls(
    submit: &super::change::Submit,
    arn: Option<&str>,
    attach: &[crate::domain::targets::Target],
    detach: &[crate::domain::targets::Target],
    place: Option<(&str, &str)>,
    to: Option<&super::destination::Destination>,
) -> Result<String, serde_json::Error> {
    use super::change::Submit;
    let name = submit.name();
    let aws = |args: String| match to {
        Some(d) => d.command(&args),
        None => format!("aws iot {args}\n"),
    };
    let mut out = to.map_or_else(String::new, super::destination::Destination::comment);
    if place.is_none() && (!attach.is_empty() || !detach.is_empty()) {
        out.push_str("REGION=us-east-1        # the profile's region\nACCOUNT=123456789012    # your AWS account id\n");
    }
    let input = serde_json::to_string(&submit.body()?)?;
    let command =
        if matches!(submit, Submit::Create(_)) { "create-security-profile" } else { "update-security-profile" };
    out.push_str(&aws(format!("{command} --cli-input-json {}", shell_quote(&input))));
    if let (Submit::Update { tag, untag, .. }, Some(arn)) = (submit, arn) {
        if !tag.is_empty() {
            out.push_str(&aws(format!(
                "tag-resource --resource-arn {} --tags {}",
                shell_quote(arn),
                shell_quote(&serde_json::to_string(tag)?)
            )));
        }
        if !untag.is_empty() {
            let keys: Vec<String> = untag.iter().map(|k| shell_quote(k)).collect();
            out.push_str(&aws(format!(
                "untag-resource --resource-arn {} --tag-keys {}",
                shell_quote(arn),
                keys.join(" ")
            )));
        }
    }
    let target_arn = |t: &crate::domain::targets::Target| match place {
        Some((region, account)) => shell_quote(&t.arn(region, account)),
        None => format!("\"{}\"", t.arn("$REGION", "$ACCOUNT")),
    };
    for (verb, list) in [("attach", attach), ("detach", detach)] {
        for t in list {
            out.push_str(&aws(format!(
                "{verb}-security-profile --security-profile-name {} --security-profile-target-arn {}",
                shell_quote(name),
                target_arn(t)
            )));
        }
    }
    Ok(out)
}

/// The CloudFormation template for the profiles.
pub fn cloudformation(profiles: &BTreeMap<String, Current>) -> Result<Value, serde_json::Error> {
    let mut resources = Map::new();
    let mut taken = BTreeMap::new();
    for (name, c) in profiles {
        let profile = super::change::profile_of(&c.description, &c.tags);
        let arns: Vec<String> = match c.description.security_profile_arn.as_deref().and_then(region_and_account) {
            Some((region, account)) => c.targets.iter().map(|t| t.arn(&region, &account)).collect(),
            None => Vec::new(),
        };
        resources.insert(logical_id(name, &mut taken), cloudformation_resource(&profile, &arns)?);
    }
    Ok(json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "AWS IoT Device Defender security profiles, exported by ddsp",
        "Resources": resources
    }))
}

/// A word quoted for a POSIX shell: in single quotes, a quote as `'\''`.
pub fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// The `aws iot` commands that recreate the profiles (create, then attach each target).
pub fn aws_cli(profiles: &BTreeMap<String, Current>) -> Result<String, serde_json::Error> {
    let mut out = String::from("#!/bin/sh\n# AWS IoT Device Defender security profiles, exported by ddsp.\nset -e\n");
    for (name, c) in profiles {
        let profile = super::change::profile_of(&c.description, &c.tags);
        let input = serde_json::to_string(&profile)?;
        out.push_str(&format!("\naws iot create-security-profile --cli-input-json {}\n", shell_quote(&input)));
        if let Some((region, account)) = c.description.security_profile_arn.as_deref().and_then(region_and_account) {
            for t in &c.targets {
                out.push_str(&format!(
                    "aws iot attach-security-profile --security-profile-name {} --security-profile-target-arn {}\n",
                    shell_quote(name),
                    shell_quote(&t.arn(&region, &account))
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloudformation_case_and_counts() {
        let v = to_cfn(
            &json!({"behaviors": [{"name": "b", "criteria": {"value": {"count": 5}}}], "alertTargets": {"SNS": {"roleArn": "r"}}}),
            "",
        );
        assert_eq!(v["Behaviors"][0]["Criteria"]["Value"]["Count"], "5");
        assert_eq!(v["AlertTargets"]["SNS"]["RoleArn"], "r");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
    }
}
