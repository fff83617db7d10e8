//! wire ⇄ aws-sdk-iot: requests built from ddsp's model, responses turned back
//! into ddsp's AWS-shaped types, member for member, so what the commands print
//! is what the service sent.

use std::collections::HashMap;

use aws_sdk_iot::error::BuildError;
use aws_sdk_iot::primitives::DateTime;
use aws_sdk_iot::types as sdk;

use crate::domain::profile::{
    AlertTarget, AlertTargets, Behavior, BehaviorCriteria, ComparisonOperator, ConfidenceLevel, DimensionValueOperator,
    MetricDimension, MetricToRetain, MetricValue, MetricsExportConfig, MlDetectionConfig, StatisticalThreshold, Tag,
};

/// A wire integer the SDK types as i32. The rules refuse values out of range
/// before anything is built; saturating keeps this total.
fn int(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

fn dimension_to_sdk(d: &MetricDimension) -> Result<sdk::MetricDimension, BuildError> {
    sdk::MetricDimension::builder()
        .dimension_name(&d.dimension_name)
        .set_operator(d.operator.as_ref().map(|o| sdk::DimensionValueOperator::from(o.as_str())))
        .build()
}

fn criteria_to_sdk(c: &BehaviorCriteria) -> Result<sdk::BehaviorCriteria, BuildError> {
    let value = c.value.as_ref().map(|v| {
        sdk::MetricValue::builder()
            .set_count(v.count)
            .set_cidrs(v.cidrs.clone())
            .set_ports(v.ports.as_ref().map(|p| p.iter().copied().map(int).collect()))
            .set_number(v.number)
            .set_numbers(v.numbers.clone())
            .set_strings(v.strings.clone())
            .build()
    });
    let ml = match &c.ml_detection_config {
        Some(m) => Some(
            sdk::MachineLearningDetectionConfig::builder()
                .set_confidence_level(m.confidence_level.as_ref().map(|l| sdk::ConfidenceLevel::from(l.as_str())))
                .build()?,
        ),
        None => None,
    };
    Ok(sdk::BehaviorCriteria::builder()
        .set_comparison_operator(c.comparison_operator.as_ref().map(|o| sdk::ComparisonOperator::from(o.as_str())))
        .set_value(value)
        .set_duration_seconds(c.duration_seconds.map(int))
        .set_consecutive_datapoints_to_alarm(c.consecutive_datapoints_to_alarm.map(int))
        .set_consecutive_datapoints_to_clear(c.consecutive_datapoints_to_clear.map(int))
        .set_statistical_threshold(
            c.statistical_threshold
                .as_ref()
                .map(|s| sdk::StatisticalThreshold::builder().set_statistic(s.statistic.clone()).build()),
        )
        .set_ml_detection_config(ml)
        .build())
}

pub fn behavior_to_sdk(b: &Behavior) -> Result<sdk::Behavior, BuildError> {
    sdk::Behavior::builder()
        .name(&b.name)
        .set_metric(b.metric.clone())
        .set_metric_dimension(b.metric_dimension.as_ref().map(dimension_to_sdk).transpose()?)
        .set_criteria(b.criteria.as_ref().map(criteria_to_sdk).transpose()?)
        .set_suppress_alerts(b.suppress_alerts)
        .set_export_metric(b.export_metric)
        .build()
}

pub fn behaviors_to_sdk(list: &Option<Vec<Behavior>>) -> Result<Option<Vec<sdk::Behavior>>, BuildError> {
    list.as_ref().map(|l| l.iter().map(behavior_to_sdk).collect()).transpose()
}

pub fn alert_targets_to_sdk(
    targets: &Option<AlertTargets>,
) -> Result<Option<HashMap<sdk::AlertTargetType, sdk::AlertTarget>>, BuildError> {
    targets
        .as_ref()
        .map(|t| {
            t.iter()
                .map(|(kind, target)| {
                    let value = sdk::AlertTarget::builder()
                        .alert_target_arn(&target.alert_target_arn)
                        .role_arn(&target.role_arn)
                        .build()?;
                    Ok((sdk::AlertTargetType::from(kind.as_str()), value))
                })
                .collect()
        })
        .transpose()
}

pub fn retain_v2_to_sdk(list: &Option<Vec<MetricToRetain>>) -> Result<Option<Vec<sdk::MetricToRetain>>, BuildError> {
    list.as_ref()
        .map(|l| {
            l.iter()
                .map(|m| {
                    sdk::MetricToRetain::builder()
                        .metric(&m.metric)
                        .set_metric_dimension(m.metric_dimension.as_ref().map(dimension_to_sdk).transpose()?)
                        .set_export_metric(m.export_metric)
                        .build()
                })
                .collect()
        })
        .transpose()
}

pub fn export_to_sdk(e: &Option<MetricsExportConfig>) -> Result<Option<sdk::MetricsExportConfig>, BuildError> {
    e.as_ref()
        .map(|e| sdk::MetricsExportConfig::builder().mqtt_topic(&e.mqtt_topic).role_arn(&e.role_arn).build())
        .transpose()
}

pub fn tags_to_sdk(tags: &Option<Vec<Tag>>) -> Result<Option<Vec<sdk::Tag>>, BuildError> {
    tags.as_ref()
        .map(|l| l.iter().map(|t| sdk::Tag::builder().key(&t.key).set_value(t.value.clone()).build()).collect())
        .transpose()
}

fn dimension_from_sdk(d: &sdk::MetricDimension) -> MetricDimension {
    MetricDimension {
        dimension_name: d.dimension_name.clone(),
        operator: d.operator.as_ref().map(|o| DimensionValueOperator::parse(o.as_str())),
    }
}

/// A MetricValue from the SDK's.
pub fn metric_value_from_sdk(v: &sdk::MetricValue) -> MetricValue {
    MetricValue {
        count: v.count,
        cidrs: v.cidrs.clone(),
        ports: v.ports.as_ref().map(|p| p.iter().map(|&x| i64::from(x)).collect()),
        number: v.number,
        numbers: v.numbers.clone(),
        strings: v.strings.clone(),
    }
}

fn criteria_from_sdk(c: &sdk::BehaviorCriteria) -> BehaviorCriteria {
    BehaviorCriteria {
        comparison_operator: c.comparison_operator.as_ref().map(|o| ComparisonOperator::parse(o.as_str())),
        value: c.value.as_ref().map(metric_value_from_sdk),
        duration_seconds: c.duration_seconds.map(i64::from),
        consecutive_datapoints_to_alarm: c.consecutive_datapoints_to_alarm.map(i64::from),
        consecutive_datapoints_to_clear: c.consecutive_datapoints_to_clear.map(i64::from),
        statistical_threshold: c
            .statistical_threshold
            .as_ref()
            .map(|s| StatisticalThreshold { statistic: s.statistic.clone() }),
        ml_detection_config: c
            .ml_detection_config
            .as_ref()
            .map(|m| MlDetectionConfig { confidence_level: Some(ConfidenceLevel::parse(m.confidence_level.as_str())) }),
    }
}

pub fn behavior_from_sdk(b: &sdk::Behavior) -> Behavior {
    Behavior {
        name: b.name.clone(),
        metric: b.metric.clone(),
        metric_dimension: b.metric_dimension.as_ref().map(dimension_from_sdk),
        criteria: b.criteria.as_ref().map(criteria_from_sdk),
        suppress_alerts: b.suppress_alerts,
        export_metric: b.export_metric,
    }
}

pub fn behaviors_from_sdk(list: &Option<Vec<sdk::Behavior>>) -> Option<Vec<Behavior>> {
    list.as_ref().map(|l| l.iter().map(behavior_from_sdk).collect())
}

pub fn alert_targets_from_sdk(map: &Option<HashMap<sdk::AlertTargetType, sdk::AlertTarget>>) -> Option<AlertTargets> {
    map.as_ref().map(|m| {
        m.iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    AlertTarget { alert_target_arn: v.alert_target_arn.clone(), role_arn: v.role_arn.clone() },
                )
            })
            .collect()
    })
}

pub fn retain_v2_from_sdk(list: &Option<Vec<sdk::MetricToRetain>>) -> Option<Vec<MetricToRetain>> {
    list.as_ref().map(|l| {
        l.iter()
            .map(|m| MetricToRetain {
                metric: m.metric.clone(),
                metric_dimension: m.metric_dimension.as_ref().map(dimension_from_sdk),
                export_metric: m.export_metric,
            })
            .collect()
    })
}

pub fn export_from_sdk(e: &Option<sdk::MetricsExportConfig>) -> Option<MetricsExportConfig> {
    e.as_ref().map(|e| MetricsExportConfig { mqtt_topic: e.mqtt_topic.clone(), role_arn: e.role_arn.clone() })
}

pub fn tags_from_sdk(tags: &[sdk::Tag]) -> Vec<Tag> {
    tags.iter().map(|t| Tag { key: t.key.clone(), value: t.value.clone() }).collect()
}

/// Epoch seconds rounded to the millisecond, as the service sent them.
pub fn epoch_seconds(t: &Option<DateTime>) -> Option<f64> {
    t.as_ref().map(|t| {
        // The SDK's parse of `1795595971.018` can land a nanosecond short: round, don't truncate.
        let nanos = i128::from(t.secs()) * 1_000_000_000 + i128::from(t.subsec_nanos());
        (nanos + 500_000).div_euclid(1_000_000) as f64 / 1000.0
    })
}

/// Members that are set, in the model's order.
pub fn object(members: Vec<(&str, Option<serde_json::Value>)>) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for (key, value) in members {
        if let Some(v) = value {
            out.insert(key.to_owned(), v);
        }
    }
    serde_json::Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaviors_survive_the_round_trip_through_the_sdk_types() {
        let json = r#"{"name": "b", "metric": "aws:listening-tcp-ports", "metricDimension": {"dimensionName": "d", "operator": "NOT_IN"},
            "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [22, 443], "cidrs": ["10.0.0.0/8"], "count": 3,
            "number": 1.5, "numbers": [2.5], "strings": ["x"]}, "durationSeconds": 300, "consecutiveDatapointsToAlarm": 2,
            "consecutiveDatapointsToClear": 3, "statisticalThreshold": {"statistic": "p90"}, "mlDetectionConfig": {"confidenceLevel": "LOW"}},
            "suppressAlerts": true, "exportMetric": false}"#;
        let b: Behavior = serde_json::from_str(json).unwrap();
        assert_eq!(behavior_from_sdk(&behavior_to_sdk(&b).unwrap()), b);
        assert_eq!(epoch_seconds(&Some(DateTime::from_millis(1_560_278_102_528))), Some(1_560_278_102.528));
        assert_eq!(
            epoch_seconds(&Some(DateTime::from_fractional_secs(1_795_595_971, 0.017_999_99))),
            Some(1_795_595_971.018)
        );
    }
}
