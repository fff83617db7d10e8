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

fn from_json<T: DeserializeOwned>(param: &'static str, member: &str, text: &str) -> Result<T, ParamError> {
    input::parse_member(text, Format::Json, member).map_err(|source| ParamError::Json { param, source })
}

/// The model's non-string scalars, by member name: shorthand values are text,
/// and the AWS CLI converts each to its member's type before validating
/// (awscli `ParamShorthandParser`). Member names are unique in type across the
/// security-profile shapes, so the name decides.
const SCALAR_MEMBERS: &[(&str, Scalar)] = &[
    ("count", Scalar::Integer),
    ("ports", Scalar::Integer),
    ("durationSeconds", Scalar::Integer),
    ("consecutiveDatapointsToAlarm", Scalar::Integer),
    ("consecutiveDatapointsToClear", Scalar::Integer),
    ("number", Scalar::Double),
    ("numbers", Scalar::Double),
    ("suppressAlerts", Scalar::Boolean),
    ("exportMetric", Scalar::Boolean),
    ("merge", Scalar::Boolean),
    ("overrideDynamicGroups", Scalar::Boolean),
];

/// The model's list members that a shorthand may give one value for
/// (`violationIds=ID`, `ports=22`): the AWS CLI makes that value a list of
/// one (awscli `ParamShorthandParser`, for a list-typed member).
const LIST_MEMBERS: &[&str] = &["ports", "numbers", "strings", "cidrs", "violationIds", "thingGroupNames"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    Integer,
    Double,
    Boolean,
}

/// Converts a shorthand tree, the value of request member `member`, into `T`,
/// turning the text of the members the model types as integers, doubles and
/// booleans into those types first. Text that does not convert stays text, so
/// the reader names the member (`behaviors[0].criteria.value.count`).
fn from_tree<T: DeserializeOwned>(param: &'static str, member: &str, mut tree: Value) -> Result<T, ParamError> {
    convert_scalars(&mut tree, None);
    let text = tree.to_string();
    input::parse_member::<T>(&text, Format::Json, member).map_err(|e| ParamError::Invalid { param, message: e.message })
}

fn convert_scalars(value: &mut Value, kind: Option<Scalar>) {
    match value {
        Value::Object(map) => {
            for (key, member) in map.iter_mut() {
                if LIST_MEMBERS.contains(&key.as_str()) && member.is_string() {
                    *member = Value::Array(vec![member.take()]);
                }
                let kind = SCALAR_MEMBERS.iter().find(|(name, _)| name == key).map(|(_, k)| *k);
                convert_scalars(member, kind);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| convert_scalars(v, kind)),
        Value::String(text) => {
            let converted = match kind {
                Some(Scalar::Integer) => text.trim().parse::<i64>().ok().map(Value::from),
                Some(Scalar::Double) => {
                    text.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number)
                }
                Some(Scalar::Boolean) => match text.to_ascii_lowercase().as_str() {
                    "true" => Some(Value::Bool(true)),
                    "false" => Some(Value::Bool(false)),
                    _ => None,
                },
                None => None,
            };
            if let Some(v) = converted {
                *value = v;
            }
        }
        _ => {}
    }
}

fn shorthand_tree(param: &'static str, text: &str) -> Result<Value, ParamError> {
    shorthand::parse(text).map_err(|source| ParamError::Shorthand { param, source })
}

/// A list of structures: one JSON list, or one shorthand item per argument;
/// the items are read as one list, so a fault names its item (`tags[1].Key`).
fn struct_list<T: DeserializeOwned>(param: &'static str, member: &str, args: &[String]) -> Result<Vec<T>, ParamError> {
    if let [only] = args
        && is_json(only)
    {
        return from_json(param, member, only);
    }
    let items = args.iter().map(|a| shorthand_tree(param, a)).collect::<Result<Vec<_>, _>>()?;
    from_tree(param, member, Value::Array(items))
}

/// `--tags`: `Key=a,Value=b Key=c,Value=d` or a JSON list.
pub fn tags(args: &[String]) -> Result<Vec<Tag>, ParamError> {
    struct_list("tags", "tags", args)
}

/// `--additional-metrics-to-retain-v2`: `metric=…,metricDimension={…},exportMetric=true …` or JSON.
pub fn retain_v2(args: &[String]) -> Result<Vec<MetricToRetain>, ParamError> {
    struct_list("additional-metrics-to-retain-v2", "additionalMetricsToRetainV2", args)
}

/// `--additional-metrics-to-retain`: names as separate arguments, or a JSON list.
pub fn retain_v1(args: &[String]) -> Result<Vec<String>, ParamError> {
    match args {
        [only] if is_json(only) => from_json("additional-metrics-to-retain", "additionalMetricsToRetain", only),
        _ => Ok(args.to_vec()),
    }
}

/// A structure option (`--thing-group-properties`), the value of request
/// member `member`: JSON, or the shorthand.
pub fn structure<T: DeserializeOwned>(param: &'static str, member: &str, arg: &str) -> Result<T, ParamError> {
    if is_json(arg) { from_json(param, member, arg) } else { from_tree(param, member, shorthand_tree(param, arg)?) }
}

/// `--metrics-export-config`: `mqttTopic=…,roleArn=…` or JSON.
pub fn metrics_export_config(arg: &str) -> Result<MetricsExportConfig, ParamError> {
    const P: &str = "metrics-export-config";
    if is_json(arg) {
        from_json(P, "metricsExportConfig", arg)
    } else {
        from_tree(P, "metricsExportConfig", shorthand_tree(P, arg)?)
    }
}

/// `--alert-targets`: `SNS={alertTargetArn=…,roleArn=…}` or JSON.
pub fn alert_targets(arg: &str) -> Result<AlertTargets, ParamError> {
    const P: &str = "alert-targets";
    if is_json(arg) {
        return from_json(P, "alertTargets", arg);
    }
    let tree = shorthand_tree(P, arg)?;
    let flat = tree.as_object().is_some_and(|m| m.values().any(|v| v.as_str().is_some_and(|s| s.contains('='))));
    from_tree(P, "alertTargets", tree).map_err(|e| match e {
        ParamError::Invalid { param, message } if flat => ParamError::Invalid {
            param,
            message: format!("{message}. Write each target in braces: SNS={{alertTargetArn=ARN,roleArn=ARN}}"),
        },
        other => other,
    })
}

/// `--behaviors`: a JSON list, or one shorthand behavior per argument
/// (`name=A,metric=aws:num-disconnects,criteria={comparisonOperator=greater-than,value={count=5},durationSeconds=300}`),
/// as the AWS CLI parses it (service.md §7 "Shorthand works for `--behaviors` too").
pub fn behaviors(args: &[String]) -> Result<Vec<Behavior>, ParamError> {
    struct_list("behaviors", "behaviors", args)
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
    fn one_value_of_a_list_member_is_a_list_of_one_as_the_aws_cli_reads_it() {
        let target: Value = structure("target", "target", "violationIds=6996056c").unwrap();
        assert_eq!(target, serde_json::json!({"violationIds": ["6996056c"]}));
        let target: Value = structure("target", "target", "violationIds=[a,b]").unwrap();
        assert_eq!(target["violationIds"], serde_json::json!(["a", "b"]));
        let b = behaviors(&args(&[
            "name=P,metric=aws:listening-tcp-ports,criteria={comparisonOperator=in-port-set,value={ports=22}}",
        ]))
        .unwrap();
        assert_eq!(b[0].criteria.as_ref().unwrap().value.as_ref().unwrap().ports, Some(vec![22]));
    }

    #[test]
    fn errors_say_what_to_fix() {
        let e = alert_targets("SNS=alertTargetArn=a,roleArn=b").unwrap_err().to_string();
        assert!(e.contains("SNS={alertTargetArn=ARN,roleArn=ARN}"), "{e}");
        let e = tags(&args(&["Key=a,Colour=b"])).unwrap_err().to_string();
        assert!(e.contains("Unknown parameter in tags[0]: \"Colour\", must be one of: Key, Value"), "{e}");
        let e = metrics_export_config("mqttTopic").unwrap_err().to_string();
        assert!(e.starts_with("Error parsing parameter '--metrics-export-config': Expected: '='"), "{e}");
        let e = behaviors(&args(&["[{\"name\": 1}]"])).unwrap_err().to_string();
        assert!(e.contains("line 1, column 11"), "{e}");
    }
}
