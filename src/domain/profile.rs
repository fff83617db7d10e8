//! The security profile as AWS IoT's JSON has it: one Rust type per shape of
//! CreateSecurityProfile / UpdateSecurityProfile (service.md §1–2), with serde
//! names exactly as on the wire. Parsing never judges values: a bad operator or
//! an out-of-range port still parses, so the rules can name the field. An
//! unknown key is refused by serde (`deny_unknown_fields`), as the AWS CLI does.
//! Members the service requires but that are plain strings default to "" when
//! absent; the rules report them as missing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::non_null::non_null;

pub use super::enums::{ComparisonOperator, ConfidenceLevel, DimensionValueOperator};

/// The body of CreateSecurityProfile plus its name: the profile a user edits.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SecurityProfile {
    #[serde(default)]
    pub security_profile_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub security_profile_description: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub behaviors: Option<Vec<Behavior>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub alert_targets: Option<AlertTargets>,
    /// Deprecated by the service in favour of `additional_metrics_to_retain_v2`.
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub additional_metrics_to_retain: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub additional_metrics_to_retain_v2: Option<Vec<MetricToRetain>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metrics_export_config: Option<MetricsExportConfig>,
}

/// The input of UpdateSecurityProfile, members in the model's order (which is
/// also the order `--generate-cli-skeleton` prints). Tags are not part of it:
/// an existing profile's tags change through TagResource / UntagResource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProfileUpdate {
    #[serde(default)]
    pub security_profile_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub security_profile_description: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub behaviors: Option<Vec<Behavior>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub alert_targets: Option<AlertTargets>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub additional_metrics_to_retain: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub additional_metrics_to_retain_v2: Option<Vec<MetricToRetain>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub delete_behaviors: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub delete_alert_targets: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub delete_additional_metrics_to_retain: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub expected_version: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metrics_export_config: Option<MetricsExportConfig>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub delete_metrics_export_config: Option<bool>,
}

/// Alert targets keyed by AlertTargetType. The only type is `SNS`; the key is
/// kept as text so that another key is reported by the rules, not by the parser.
pub type AlertTargets = BTreeMap<String, AlertTarget>;

/// One behavior: a metric, how it is scoped and the criteria a device must meet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Behavior {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metric: Option<String>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metric_dimension: Option<MetricDimension>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub criteria: Option<BehaviorCriteria>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub suppress_alerts: Option<bool>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub export_metric: Option<bool>,
}

/// A TOPIC_FILTER dimension that narrows a metric; `operator` absent means IN.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricDimension {
    #[serde(default)]
    pub dimension_name: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub operator: Option<DimensionValueOperator>,
}

/// The criteria of a behavior: a static rule, a statistical threshold or ML Detect.
/// Integers are held as i64 so that out-of-range values reach the rules.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BehaviorCriteria {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub comparison_operator: Option<ComparisonOperator>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub value: Option<MetricValue>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub duration_seconds: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub consecutive_datapoints_to_alarm: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub consecutive_datapoints_to_clear: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub statistical_threshold: Option<StatisticalThreshold>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub ml_detection_config: Option<MlDetectionConfig>,
}

/// The value a static rule compares with; exactly one member should be set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricValue {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub cidrs: Option<Vec<String>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub ports: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Vec<f64>>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub strings: Option<Vec<String>>,
}

/// A percentile threshold (`p90`, …) computed over all reporting devices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct StatisticalThreshold {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub statistic: Option<String>,
}

/// ML Detect: the model learns the normal range; only the sensitivity is set.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MlDetectionConfig {
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub confidence_level: Option<ConfidenceLevel>,
}

/// Where alerts go (an SNS topic) and the role that may publish to it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AlertTarget {
    #[serde(default)]
    pub alert_target_arn: String,
    #[serde(default)]
    pub role_arn: String,
}

/// A metric whose data is retained beyond those the behaviors use.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricToRetain {
    #[serde(default)]
    pub metric: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub metric_dimension: Option<MetricDimension>,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub export_metric: Option<bool>,
}

/// The MQTT topic Device Defender publishes exported metrics to, and its role.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MetricsExportConfig {
    #[serde(default)]
    pub mqtt_topic: String,
    #[serde(default)]
    pub role_arn: String,
}

/// A resource tag; the wire names are `Key` and `Value`, unlike the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Tag {
    #[serde(default)]
    pub key: String,
    #[serde(default, deserialize_with = "non_null", skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// The three forms a behavior's criteria take (service.md §3 "Criteria shapes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CriteriaKind {
    /// comparisonOperator + value.
    Static,
    /// comparisonOperator + statisticalThreshold + durationSeconds.
    Statistical,
    /// mlDetectionConfig only.
    MlDetect,
}

impl Behavior {
    /// Whether the behavior's threshold is drawn from the whole fleet's data
    /// (a statistical threshold: "measurements from all devices are
    /// accumulated over this time duration before being used to calculate
    /// percentiles", API BehaviorCriteria.durationSeconds), so judging one
    /// thing needs every watched thing's data.
    pub fn is_fleet_wide(&self) -> bool {
        self.criteria.as_ref().is_some_and(|c| c.kind() == CriteriaKind::Statistical)
    }
}

impl BehaviorCriteria {
    /// The form this criteria takes; ML Detect wins over a statistical threshold,
    /// which wins over a static value, so extra members are reported against it.
    pub fn kind(&self) -> CriteriaKind {
        if self.ml_detection_config.is_some() {
            CriteriaKind::MlDetect
        } else if self.statistical_threshold.is_some() {
            CriteriaKind::Statistical
        } else {
            CriteriaKind::Static
        }
    }
}

impl MetricValue {
    /// Each member with whether it is set, in model order; no allocation.
    pub fn fields_present(&self) -> [(crate::domain::metrics::ValueField, bool); 6] {
        use crate::domain::metrics::ValueField as F;
        [
            (F::Count, self.count.is_some()),
            (F::Cidrs, self.cidrs.is_some()),
            (F::Ports, self.ports.is_some()),
            (F::Number, self.number.is_some()),
            (F::Numbers, self.numbers.is_some()),
            (F::Strings, self.strings.is_some()),
        ]
    }

    /// How many `value` elements this counts towards the per-profile quota of 1000.
    pub fn element_count(&self) -> usize {
        usize::from(self.count.is_some())
            + usize::from(self.number.is_some())
            + self.cidrs.as_ref().map_or(0, Vec::len)
            + self.ports.as_ref().map_or(0, Vec::len)
            + self.numbers.as_ref().map_or(0, Vec::len)
            + self.strings.as_ref().map_or(0, Vec::len)
    }
}

impl ProfileUpdate {
    /// The profile this update leaves, with `tags` (an update carries none:
    /// they go through TagResource). The delete-* flags and the expected
    /// version are the request's, not the profile's, and are dropped.
    pub fn into_profile(self, tags: Option<Vec<Tag>>) -> SecurityProfile {
        SecurityProfile {
            security_profile_name: self.security_profile_name,
            security_profile_description: self.security_profile_description,
            behaviors: self.behaviors,
            alert_targets: self.alert_targets,
            additional_metrics_to_retain: self.additional_metrics_to_retain,
            additional_metrics_to_retain_v2: self.additional_metrics_to_retain_v2,
            tags,
            metrics_export_config: self.metrics_export_config,
        }
    }
}

impl From<SecurityProfile> for ProfileUpdate {
    /// The update that replaces every section the profile sets (no delete flags,
    /// no expected version). Tags are dropped: they go through TagResource.
    fn from(profile: SecurityProfile) -> Self {
        ProfileUpdate {
            security_profile_name: profile.security_profile_name,
            security_profile_description: profile.security_profile_description,
            behaviors: profile.behaviors,
            alert_targets: profile.alert_targets,
            additional_metrics_to_retain: profile.additional_metrics_to_retain,
            additional_metrics_to_retain_v2: profile.additional_metrics_to_retain_v2,
            metrics_export_config: profile.metrics_export_config,
            ..ProfileUpdate::default()
        }
    }
}
