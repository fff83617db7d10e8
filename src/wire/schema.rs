//! `ddsp schema`: a JSON Schema (2020-12) of the profile file — the
//! create-security-profile input, with ddsp's `x-ddsp` — for editors' JSON
//! and YAML language servers. Made from the same model and limits the rules
//! use, where a schema can say them: member names and types, enums, lengths,
//! patterns, ranges, required members and the built-in metric names. What
//! needs more than one member at once (an operator that fits the metric, a
//! duration a metric takes) stays with `ddsp validate`.

use serde_json::{Value, json};

use crate::domain::enums::{ComparisonOperator, ConfidenceLevel, DimensionValueOperator};
use crate::domain::metrics::BUILTIN_METRICS;
use crate::domain::rules::{
    BEHAVIORS_MAX, DESCRIPTION_MAX, MQTT_TOPIC_MAX, ROLE_ARN_MAX, ROLE_ARN_MIN, TAG_KEY_MAX, TAG_VALUE_MAX, TAGS_MAX,
};

/// Resource names: 1–128 of letters, digits, `:`, `_`, `-` (the API model's patterns).
const NAME: &str = "^[a-zA-Z0-9:_-]+$";

fn names<T>(all: &[T], name: impl Fn(&T) -> &str) -> Vec<Value> {
    all.iter().map(|x| Value::String(name(x).to_owned())).collect()
}

fn name(description: &str) -> Value {
    json!({"type": "string", "minLength": 1, "maxLength": 128, "pattern": NAME, "description": description})
}

fn role_arn() -> Value {
    json!({"type": "string", "minLength": ROLE_ARN_MIN, "maxLength": ROLE_ARN_MAX, "description": "An IAM role ARN"})
}

/// The schema.
pub fn profile_schema() -> Value {
    let operators =
        names(ComparisonOperator::ALL.iter().filter(|o| o.is_known()).collect::<Vec<_>>().as_slice(), |o| o.as_str());
    let levels =
        names(ConfidenceLevel::ALL.iter().filter(|l| l.is_known()).collect::<Vec<_>>().as_slice(), |l| l.as_str());
    let dim_ops =
        names(DimensionValueOperator::ALL.iter().filter(|o| o.is_known()).collect::<Vec<_>>().as_slice(), |o| {
            o.as_str()
        });
    let metrics = names(BUILTIN_METRICS, |m| m.name);
    let statistics: Vec<Value> = crate::domain::choices::STATISTICS.iter().map(|s| json!(s)).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ddsp.dev/schema/security-profile.json",
        "title": "AWS IoT Device Defender security profile (create-security-profile --cli-input-json, with ddsp's x-ddsp)",
        "type": "object",
        "additionalProperties": false,
        "required": ["securityProfileName"],
        "properties": {
            "securityProfileName": name("The security profile's name"),
            "securityProfileDescription": {"type": "string", "maxLength": DESCRIPTION_MAX},
            "behaviors": {"type": "array", "maxItems": BEHAVIORS_MAX, "items": {"$ref": "#/$defs/behavior"}},
            "alertTargets": {
                "type": "object",
                "propertyNames": {"enum": ["SNS"]},
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["alertTargetArn", "roleArn"],
                    "properties": {"alertTargetArn": {"type": "string"}, "roleArn": role_arn()}
                }
            },
            "additionalMetricsToRetain": {"type": "array", "items": {"type": "string"}, "deprecated": true},
            "additionalMetricsToRetainV2": {"type": "array", "items": {"$ref": "#/$defs/metricToRetain"}},
            "tags": {"type": "array", "maxItems": TAGS_MAX, "items": {"$ref": "#/$defs/tag"}},
            "metricsExportConfig": {
                "type": "object",
                "additionalProperties": false,
                "required": ["mqttTopic", "roleArn"],
                "properties": {"mqttTopic": {"type": "string", "minLength": 1, "maxLength": MQTT_TOPIC_MAX}, "roleArn": role_arn()}
            },
            "x-ddsp": {
                "type": "object",
                "additionalProperties": false,
                "description": "ddsp's own members: what the AWS call cannot carry",
                "properties": {
                    "targets": {
                        "type": "array",
                        "description": "all/registered-things, all/unregistered-things, thinggroup/NAME, or whole target ARNs",
                        "items": {"type": "string", "pattern": "^(arn:aws[a-z-]*:iot:[a-z0-9-]+:[0-9]{12}:)?(all/registered-things|all/unregistered-things|thinggroup/[a-zA-Z0-9:_-]+)$"}
                    }
                }
            }
        },
        "$defs": {
            "metric": {
                "anyOf": [
                    {"enum": metrics, "description": "A built-in metric"},
                    {"type": "string", "pattern": NAME, "not": {"pattern": "^aws:"}, "description": "A custom metric"}
                ]
            },
            "metricDimension": {
                "type": "object",
                "additionalProperties": false,
                "required": ["dimensionName"],
                "properties": {"dimensionName": name("A TOPIC_FILTER dimension"), "operator": {"enum": dim_ops}}
            },
            "behavior": {
                "type": "object",
                "additionalProperties": false,
                "required": ["name"],
                "properties": {
                    "name": name("A name unique in the profile"),
                    "metric": {"$ref": "#/$defs/metric"},
                    "metricDimension": {"$ref": "#/$defs/metricDimension"},
                    "criteria": {"$ref": "#/$defs/criteria"},
                    "suppressAlerts": {"type": "boolean"},
                    "exportMetric": {"type": "boolean"}
                }
            },
            "criteria": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "comparisonOperator": {"enum": operators},
                    "value": {"$ref": "#/$defs/value"},
                    "durationSeconds": {"type": "integer"},
                    "consecutiveDatapointsToAlarm": {"type": "integer", "minimum": 1, "maximum": 10},
                    "consecutiveDatapointsToClear": {"type": "integer", "minimum": 1, "maximum": 10},
                    "statisticalThreshold": {
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {"statistic": {"enum": statistics}}
                    },
                    "mlDetectionConfig": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": ["confidenceLevel"],
                        "properties": {"confidenceLevel": {"enum": levels}}
                    }
                }
            },
            "value": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "count": {"type": "integer", "minimum": 0, "maximum": i64::MAX},
                    "cidrs": {"type": "array", "items": {"type": "string", "minLength": 2, "maxLength": 43, "pattern": "^[a-fA-F0-9:./]+$"}},
                    "ports": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 65535}},
                    "number": {"type": "number"},
                    "numbers": {"type": "array", "items": {"type": "number"}},
                    "strings": {"type": "array", "items": {"type": "string"}}
                }
            },
            "metricToRetain": {
                "type": "object",
                "additionalProperties": false,
                "required": ["metric"],
                "properties": {
                    "metric": {"$ref": "#/$defs/metric"},
                    "metricDimension": {"$ref": "#/$defs/metricDimension"},
                    "exportMetric": {"type": "boolean"}
                }
            },
            "tag": {
                "type": "object",
                "additionalProperties": false,
                "required": ["Key"],
                "properties": {
                    "Key": {"type": "string", "minLength": 1, "maxLength": TAG_KEY_MAX},
                    "Value": {"type": "string", "maxLength": TAG_VALUE_MAX}
                }
            }
        }
    })
}
