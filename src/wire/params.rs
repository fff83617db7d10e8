//! The values of the per-field options (`--tags`, `--alert-targets`,
//! `--metrics-export-config`, `--additional-metrics-to-retain-v2`, `--behaviors`,
//! …): JSON when the value starts with `{` or `[`, the shorthand syntax
//! otherwise, as the AWS CLI decides. Lists of structures take one shorthand
//! item per argument (`--tags Key=a,Value=b Key=c,Value=d`).

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::input::{self, Format, InputError};
use super::shorthand::{self, ShorthandError};
use crate::domain::profile::{AlertTargets, Behavior, MetricToRetain, MetricsExportConfig, Tag};

/// A parameter value that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParamError {
    #[error("Error parsing parameter '--{param}': {source}")]
    Json { param: &'static str, source: InputError },
    #[error("Error parsing parameter '--{param}': {source}")]
    Shorthand { param: &'static str, source: ShorthandError },
    #[error("Parameter validation failed for '--{param}': {message}")]
    Invalid { param: &'static str, message: String },
}

fn is_json(text: &str) -> bool {
    Format::detect(text) == Format::Json
}

fn from_json<T: DeserializeOwned>(param: &'static str, text: &str) -> Result<T, ParamError> {
    input::parse(text, Format::Json).map_err(|source| ParamError::Json { param, source })
}

/// Converts a shorthand tree into `T`, turning the string scalars that the model
/// types as booleans into booleans first.
fn from_tree<T: DeserializeOwned>(param: &'static str, mut tree: Value, bool_keys: &[&str]) -> Result<T, ParamError> {
    coerce_bools(&mut tree, bool_keys);
    let text = tree.to_string();
    input::parse::<T>(&text, Format::Json).map_err(|e| ParamError::Invalid {
        param,
        message: e.message.replace("Invalid value for input", "Invalid value").replace("in input:", "in the value:"),
    })
}

fn coerce_bools(value: &mut Value, keys: &[&str]) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if keys.contains(&k.as_str()) {
                    if let Value::String(s) = v {
                        match s.to_ascii_lowercase().as_str() {
                            "true" => *v = Value::Bool(true),
                            "false" => *v = Value::Bool(false),
                            _ => {}
                        }
                    }
                } else {
                    coerce_bools(v, keys);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| coerce_bools(v, keys)),
        _ => {}
    }
}

fn shorthand_tree(param: &'static str, text: &str) -> Result<Value, ParamError> {
    shorthand::parse(text).map_err(|source| ParamError::Shorthand { param, source })
}

/// A list of structures: one JSON list, or one shorthand item per argument.
fn struct_list<T: DeserializeOwned>(
    param: &'static str,
    args: &[String],
    bool_keys: &[&str],
) -> Result<Vec<T>, ParamError> {
    if let [only] = args
        && is_json(only)
    {
        return from_json(param, only);
    }
    args.iter().map(|a| from_tree(param, shorthand_tree(param, a)?, bool_keys)).collect()
}

/// `--tags`: `Key=a,Value=b Key=c,Value=d` or a JSON list.
pub fn tags(args: &[String]) -> Result<Vec<Tag>, ParamError> {
    struct_list("tags", args, &[])
}

/// `--additional-metrics-to-retain-v2`: `metric=…,metricDimension={…},exportMetric=true …` or JSON.
pub fn retain_v2(args: &[String]) -> Result<Vec<MetricToRetain>, ParamError> {
    struct_list("additional-metrics-to-retain-v2", args, &["exportMetric"])
}

/// `--additional-metrics-to-retain`: names as separate arguments, or a JSON list.
pub fn retain_v1(args: &[String]) -> Result<Vec<String>, ParamError> {
    match args {
        [only] if is_json(only) => from_json("additional-metrics-to-retain", only),
        _ => Ok(args.to_vec()),
    }
}

/// `--metrics-export-config`: `mqttTopic=…,roleArn=…` or JSON.
pub fn metrics_export_config(arg: &str) -> Result<MetricsExportConfig, ParamError> {
    const P: &str = "metrics-export-config";
    if is_json(arg) { from_json(P, arg) } else { from_tree(P, shorthand_tree(P, arg)?, &[]) }
}

/// `--alert-targets`: `SNS={alertTargetArn=…,roleArn=…}` or JSON.
pub fn alert_targets(arg: &str) -> Result<AlertTargets, ParamError> {
    const P: &str = "alert-targets";
    if is_json(arg) {
        return from_json(P, arg);
    }
    let tree = shorthand_tree(P, arg)?;
    let flat = tree.as_object().is_some_and(|m| m.values().any(|v| v.as_str().is_some_and(|s| s.contains('='))));
    from_tree(P, tree, &[]).map_err(|e| match e {
        ParamError::Invalid { param, message } if flat => ParamError::Invalid {
            param,
            message: format!("{message}. Write each target in braces: SNS={{alertTargetArn=ARN,roleArn=ARN}}"),
        },
        other => other,
    })
}

/// `--behaviors`: JSON only (the CLI documents no shorthand for it).
pub fn behaviors(arg: &str) -> Result<Vec<Behavior>, ParamError> {
    from_json("behaviors", arg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn shorthand_and_json_give_the_same_values() {
        let short = tags(&args(&["Key=env,Value=prod", "Key=team"])).unwrap();
        let json = tags(&args(&[r#"[{"Key":"env","Value":"prod"},{"Key":"team"}]"#])).unwrap();
        assert_eq!(short, json);
        assert_eq!(short[1].value, None);

        let v2 = retain_v2(&args(&["metric=aws:num-messages-sent,metricDimension={dimensionName=TopicFilter,operator=NOT_IN},exportMetric=true"])).unwrap();
        assert_eq!(v2[0].export_metric, Some(true));
        assert_eq!(v2[0].metric_dimension.as_ref().unwrap().dimension_name, "TopicFilter");

        let export =
            metrics_export_config("mqttTopic=$aws/things/x/metrics,roleArn=arn:aws:iam::123456789012:role/r").unwrap();
        assert_eq!(export.mqtt_topic, "$aws/things/x/metrics");

        let targets = alert_targets(
            "SNS={alertTargetArn=arn:aws:sns:us-east-1:123456789012:t,roleArn=arn:aws:iam::123456789012:role/r}",
        )
        .unwrap();
        assert_eq!(targets["SNS"].role_arn, "arn:aws:iam::123456789012:role/r");
        assert_eq!(retain_v1(&args(&["a", "b"])).unwrap(), vec!["a", "b"]);
    }

    #[test]
    fn errors_say_what_to_fix() {
        let e = alert_targets("SNS=alertTargetArn=a,roleArn=b").unwrap_err().to_string();
        assert!(e.contains("SNS={alertTargetArn=ARN,roleArn=ARN}"), "{e}");
        let e = tags(&args(&["Key=a,Colour=b"])).unwrap_err().to_string();
        assert!(e.contains("Unknown parameter in the value: \"Colour\", must be one of: Key, Value"), "{e}");
        let e = metrics_export_config("mqttTopic").unwrap_err().to_string();
        assert!(e.starts_with("Error parsing parameter '--metrics-export-config': Expected: '='"), "{e}");
        let e = behaviors("[{\"name\": 1}]").unwrap_err().to_string();
        assert!(e.contains("line 1, column 11"), "{e}");
    }
}
