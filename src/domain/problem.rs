//! Problem: one thing wrong with a request, at a field, with what to do about it.
//! `Rule` names every rule the validator applies, so tests can prove each one is
//! exercised and the editor can group or explain them.

use std::fmt;

use super::path::FieldPath;

/// Whether a problem blocks submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The service would reject the request (or a documented rule says so).
    Error,
    /// Likely wrong, or a rule no source confirms; submission is not blocked.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: FieldPath,
    pub severity: Severity,
    pub rule: Rule,
    pub message: String,
}

impl Problem {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    /// `path: message`, with warnings marked as such.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "{}: {}", self.path, self.message),
            Severity::Warning => write!(f, "{}: warning: {}", self.path, self.message),
        }
    }
}

macro_rules! rules {
    ($($variant:ident => $code:literal,)+) => {
        /// Every rule the validator applies (service.md §2 and §3).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule { $($variant,)+ }

        impl Rule {
            /// All rules, for coverage tests.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)+];

            /// A stable kebab-case code, used in `--output json`.
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)+ }
            }
        }
    };
}

rules! {
    ProfileName => "profile-name",
    DescriptionLength => "description-length",
    DescriptionCharacters => "description-characters",
    BehaviorCount => "behavior-count",
    BehaviorName => "behavior-name",
    BehaviorNameUnique => "behavior-name-unique",
    MetricMissing => "metric-missing",
    MetricName => "metric-name",
    UnknownBuiltinMetric => "unknown-builtin-metric",
    UnknownCustomMetric => "unknown-custom-metric",
    DimensionName => "dimension-name",
    DimensionOperator => "dimension-operator",
    DimensionNotAllowed => "dimension-not-allowed",
    DimensionNotAllowedWithMl => "dimension-not-allowed-with-ml",
    UnknownDimension => "unknown-dimension",
    CriteriaMissing => "criteria-missing",
    ComparisonOperatorUnknown => "comparison-operator-unknown",
    ComparisonOperatorMissing => "comparison-operator-missing",
    OperatorForMetricType => "operator-for-metric-type",
    ValueMissing => "value-missing",
    ValueFieldForOperator => "value-field-for-operator",
    ValueExtraFields => "value-extra-fields",
    CountRange => "count-range",
    PortRange => "port-range",
    CidrFormat => "cidr-format",
    CidrSyntax => "cidr-syntax",
    NumberFinite => "number-finite",
    ValueElementLimit => "value-element-limit",
    DurationNotAllowed => "duration-not-allowed",
    DurationRequired => "duration-required",
    DurationValue => "duration-value",
    DurationStatisticalOnly => "duration-statistical-only",
    DurationStatisticalMissing => "duration-statistical-missing",
    DatapointsRange => "datapoints-range",
    StatisticValue => "statistic-value",
    StatisticalNotNumeric => "statistical-not-numeric",
    StatisticalWithValue => "statistical-with-value",
    MlNotSupported => "ml-not-supported",
    MlConfidenceLevel => "ml-confidence-level",
    MlWithRuleFields => "ml-with-rule-fields",
    MlMixedWithRules => "ml-mixed-with-rules",
    NoTarget => "no-target",
    ProfileNameTaken => "profile-name-taken",
    TemplateDescriptionStale => "template-description-stale",
    TargetLimit => "target-limit",
    MlRegion => "ml-region",
    ExportMetricNeedsConfig => "export-metric-needs-config",
    AlertTargetType => "alert-target-type",
    AlertTargetArnRequired => "alert-target-arn-required",
    AlertTargetArnSns => "alert-target-arn-sns",
    RoleArnLength => "role-arn-length",
    RoleArnFormat => "role-arn-format",
    MqttTopicLength => "mqtt-topic-length",
    MqttTopicWildcard => "mqtt-topic-wildcard",
    RetainedMetricsDeprecated => "retained-metrics-deprecated",
    RetainedBothLists => "retained-both-lists",
    TagKey => "tag-key",
    TagKeyReserved => "tag-key-reserved",
    TagKeyGuideLength => "tag-key-guide-length",
    TagValueLength => "tag-value-length",
    TagCount => "tag-count",
    TagKeyUnique => "tag-key-unique",
    DeleteFlagConflict => "delete-flag-conflict",
    EmptyListOnUpdate => "empty-list-on-update",
    ListFilterConflict => "list-filter-conflict",
    MaxResultsRange => "max-results-range",
    DimensionType => "dimension-type",
    DimensionValues => "dimension-values",
    TopicFilterWildcard => "topic-filter-wildcard",
    CustomMetricName => "custom-metric-name",
    CustomMetricType => "custom-metric-type",
    DisplayName => "display-name",
    ClientRequestToken => "client-request-token",
    TargetArn => "target-arn",
    ThingGroupName => "thing-group-name",
    ThingName => "thing-name",
    EnumValue => "enum-value",
    TimeWindow => "time-window",
    ViolationId => "violation-id",
    VerificationDescriptionLength => "verification-description-length",
    VerificationDescriptionPattern => "verification-description-pattern",
    CertificateId => "certificate-id",
    MitigationActionName => "mitigation-action-name",
    ActionParams => "action-params",
    SnsTopicArn => "sns-topic-arn",
    TaskId => "task-id",
    TaskTarget => "task-target",
    TaskActions => "task-actions",
}
