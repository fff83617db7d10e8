//! Where a command's request comes from, as in the AWS CLI: `--cli-input-json`
//! / `--cli-input-yaml` (inline or `file://`), then each explicit option on top,
//! every value may be `file://PATH` (text) or `fileb://PATH` (bytes).

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::domain::non_null::non_null;
use crate::domain::profile::{AlertTargets, Behavior, MetricToRetain, MetricsExportConfig, ProfileUpdate};
use crate::wire::input::{Format, parse};

/// A bad parameter: printed as is, exit 252.
pub type ParamResult<T> = Result<T, String>;

pub use crate::wire::input::{MAX_INPUT_BYTES, read_capped};

/// The value, or the contents of the file it names.
pub fn load(param: &str, value: &str) -> ParamResult<String> {
    let (path, binary) = if let Some(p) = value.strip_prefix("file://") {
        (p, false)
    } else if let Some(p) = value.strip_prefix("fileb://") {
        (p, true)
    } else {
        return Ok(value.to_owned());
    };
    let path = expand_home(path);
    let bytes = std::fs::File::open(&path)
        .and_then(read_capped)
        .map_err(|e| format!("Error parsing parameter '--{param}': Unable to load paramfile {value}: {e}"))?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) if binary => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(_) => Err(format!("Error parsing parameter '--{param}': {value} is not UTF-8 text")),
    }
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), directories::BaseDirs::new()) {
        (Some(rest), Some(dirs)) => dirs.home_dir().join(rest).display().to_string(),
        _ => path.to_owned(),
    }
}

/// The `--cli-input-json` or `--cli-input-yaml` document, if given.
pub fn cli_input<T: DeserializeOwned>(json: Option<&str>, yaml: Option<&str>) -> ParamResult<Option<T>> {
    let (param, value, format) = match (json, yaml) {
        (Some(_), Some(_)) => return Err("--cli-input-json and --cli-input-yaml cannot be used together".to_owned()),
        (Some(v), None) => ("cli-input-json", v, Format::Json),
        (None, Some(v)) => ("cli-input-yaml", v, Format::Yaml),
        (None, None) => return Ok(None),
    };
    let text = load(param, value)?;
    parse(&text, format).map(Some).map_err(|e| format!("Error parsing parameter '--{param}': {e}"))
}

/// An update input that may also be a saved DescribeSecurityProfile output: its
/// output-only members (ARN, version, dates) are accepted and dropped, so
/// `aws iot describe-security-profile > p.json` can be edited and fed back.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateInput {
    #[serde(default)]
    security_profile_name: String,
    #[serde(default, deserialize_with = "non_null")]
    security_profile_description: Option<String>,
    #[serde(default, deserialize_with = "non_null")]
    behaviors: Option<Vec<Behavior>>,
    #[serde(default, deserialize_with = "non_null")]
    alert_targets: Option<AlertTargets>,
    #[serde(default, deserialize_with = "non_null")]
    additional_metrics_to_retain: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null")]
    additional_metrics_to_retain_v2: Option<Vec<MetricToRetain>>,
    #[serde(default, deserialize_with = "non_null")]
    delete_behaviors: Option<bool>,
    #[serde(default, deserialize_with = "non_null")]
    delete_alert_targets: Option<bool>,
    #[serde(default, deserialize_with = "non_null")]
    delete_additional_metrics_to_retain: Option<bool>,
    #[serde(default, deserialize_with = "non_null")]
    expected_version: Option<i64>,
    #[serde(default, deserialize_with = "non_null")]
    metrics_export_config: Option<MetricsExportConfig>,
    #[serde(default, deserialize_with = "non_null")]
    delete_metrics_export_config: Option<bool>,
    #[serde(default)]
    security_profile_arn: Option<String>,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    creation_date: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    last_modified_date: Option<serde::de::IgnoredAny>,
}

impl UpdateInput {
    /// The update, and the output-only members that were dropped.
    pub fn into_update(self) -> (ProfileUpdate, Vec<&'static str>) {
        let mut dropped = Vec::new();
        if self.security_profile_arn.is_some() {
            dropped.push("securityProfileArn");
        }
        if self.version.is_some() {
            dropped.push("version");
        }
        if self.creation_date.is_some() {
            dropped.push("creationDate");
        }
        if self.last_modified_date.is_some() {
            dropped.push("lastModifiedDate");
        }
        let update = ProfileUpdate {
            security_profile_name: self.security_profile_name,
            security_profile_description: self.security_profile_description,
            behaviors: self.behaviors,
            alert_targets: self.alert_targets,
            additional_metrics_to_retain: self.additional_metrics_to_retain,
            additional_metrics_to_retain_v2: self.additional_metrics_to_retain_v2,
            delete_behaviors: self.delete_behaviors,
            delete_alert_targets: self.delete_alert_targets,
            delete_additional_metrics_to_retain: self.delete_additional_metrics_to_retain,
            expected_version: self.expected_version,
            metrics_export_config: self.metrics_export_config,
            delete_metrics_export_config: self.delete_metrics_export_config,
        };
        (update, dropped)
    }
}

/// `--x` / `--no-x` as the optional boolean the request carries.
pub fn flag(on: bool, off: bool) -> Option<bool> {
    match (on, off) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_output_is_an_update_input() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/possible-issue-update-output.json"
        ))
        .unwrap();
        let input: UpdateInput = parse(&text, Format::Json).unwrap();
        let (update, dropped) = input.into_update();
        assert_eq!(update.security_profile_name, "PossibleIssue");
        assert_eq!(update.behaviors.unwrap().len(), 2);
        assert_eq!(dropped, ["securityProfileArn", "version", "creationDate", "lastModifiedDate"]);
    }

    #[test]
    fn file_references() {
        assert_eq!(load("x", "plain").unwrap(), "plain");
        let e = load("behaviors", "file:///no/such/file.json").unwrap_err();
        assert!(
            e.starts_with("Error parsing parameter '--behaviors': Unable to load paramfile file:///no/such/file.json"),
            "{e}"
        );
        assert_eq!(flag(false, true), Some(false));
        assert_eq!(flag(false, false), None);
    }
}
