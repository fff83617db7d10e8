//! Validation as pure functions: the one set of rules the editor, the commands
//! and the sandbox all call. No I/O, no async, no UI. Each rule cites the part
//! of service.md it enforces. A rule service.md marks *unconfirmed* or
//! *inferred* reports a warning, never an error, so that a request AWS would
//! accept is never blocked.

mod behavior;
pub mod certificates;
pub mod criteria;
pub mod datapoints;
pub mod mitigation;
mod profile;
mod requests;
mod resources;
mod text;
mod update;
pub mod violations;

pub use behavior::BEHAVIORS_MAX;
pub use datapoints::datapoint_fault;
pub use profile::{DESCRIPTION_MAX, MQTT_TOPIC_MAX, ROLE_ARN_MAX, ROLE_ARN_MIN, TAG_KEY_MAX, TAG_VALUE_MAX, TAGS_MAX};
pub use requests::validate_list;
pub use resources::{
    CustomMetricRequest, DimensionRequest, validate_custom_metric, validate_dimension, validate_target,
    validate_thing_group_name, wildcard_fault,
};
pub use text::{characters, describe_char, first_non_graph, is_cidr, quote, resource_name_fault};
pub use violations::{ViolationQuery, validate_verification, validate_violation_query};

use super::metrics::CustomMetric;
use super::path::FieldPath;
use super::problem::{Problem, Rule, Severity};
use super::profile::{
    AlertTargets, Behavior, MetricToRetain, MetricsExportConfig, ProfileUpdate, SecurityProfile, Tag,
};

/// What is known about the endpoint a request is for. Offline, the lists are
/// `None`: a custom metric or dimension then gets a warning that it cannot be
/// checked; with the endpoint's lists, an unknown one is an error.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Custom metrics defined on the endpoint (ListCustomMetrics).
    pub custom_metrics: Option<Vec<CustomMetric>>,
    /// Dimension names defined on the endpoint (ListDimensions).
    pub dimensions: Option<Vec<String>>,
    /// The region requests go to, for region-specific rules.
    pub region: Option<String>,
}

impl Context {
    /// No knowledge of any endpoint.
    pub fn offline() -> Self {
        Context::default()
    }

    fn custom_metric(&self, name: &str) -> Option<Option<&CustomMetric>> {
        self.custom_metrics.as_ref().map(|list| list.iter().find(|m| m.name == name))
    }
}

/// The custom metrics and dimensions a request names: what the rules must
/// know of the endpoint to judge it. A command connected to an endpoint looks
/// these up (ListCustomMetrics, DescribeCustomMetric, ListDimensions) instead
/// of judging them offline; a request that names none needs no look-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointReferences {
    /// Custom metric names (every metric name outside `aws:`), sorted, once each.
    pub custom_metrics: Vec<String>,
    /// Whether any behavior or retained metric carries a metricDimension.
    pub dimensions: bool,
}

impl EndpointReferences {
    /// What the behaviors and retained metrics of a request name.
    pub fn of(
        behaviors: Option<&[Behavior]>,
        retain_v1: Option<&[String]>,
        retain_v2: Option<&[MetricToRetain]>,
    ) -> Self {
        let behaviors = behaviors.unwrap_or_default();
        let retain_v2 = retain_v2.unwrap_or_default();
        let names = behaviors
            .iter()
            .filter_map(|b| b.metric.as_deref())
            .chain(retain_v1.unwrap_or_default().iter().map(String::as_str))
            .chain(retain_v2.iter().map(|m| m.metric.as_str()));
        let mut custom_metrics: Vec<String> = names
            .filter(|n| !n.is_empty() && !n.starts_with(super::metrics::BUILTIN_PREFIX))
            .map(str::to_owned)
            .collect();
        custom_metrics.sort();
        custom_metrics.dedup();
        let dimensions = behaviors.iter().any(|b| b.metric_dimension.is_some())
            || retain_v2.iter().any(|m| m.metric_dimension.is_some());
        EndpointReferences { custom_metrics, dimensions }
    }

    /// What a CreateSecurityProfile request names.
    pub fn of_profile(p: &SecurityProfile) -> Self {
        Self::of(
            p.behaviors.as_deref(),
            p.additional_metrics_to_retain.as_deref(),
            p.additional_metrics_to_retain_v2.as_deref(),
        )
    }

    /// What an UpdateSecurityProfile request names.
    pub fn of_update(u: &ProfileUpdate) -> Self {
        Self::of(
            u.behaviors.as_deref(),
            u.additional_metrics_to_retain.as_deref(),
            u.additional_metrics_to_retain_v2.as_deref(),
        )
    }

    /// True when the request can be judged without the endpoint.
    pub fn is_empty(&self) -> bool {
        self.custom_metrics.is_empty() && !self.dimensions
    }
}

/// Whether the profile will have a metricsExportConfig once the request is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportState {
    Present,
    Absent,
    /// An update that neither sets nor deletes it: the server's copy decides.
    Unknown,
}

/// The members CreateSecurityProfile and UpdateSecurityProfile share.
pub(crate) struct ProfileView<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub behaviors: Option<&'a [Behavior]>,
    pub alert_targets: Option<&'a AlertTargets>,
    pub retain_v1: Option<&'a [String]>,
    pub retain_v2: Option<&'a [MetricToRetain]>,
    pub tags: Option<&'a [Tag]>,
    pub export: Option<&'a MetricsExportConfig>,
    pub export_state: ExportState,
}

/// Collects problems while the rules walk a request.
pub(crate) struct Checker<'a> {
    pub ctx: &'a Context,
    pub problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    fn new(ctx: &'a Context) -> Self {
        Checker { ctx, problems: Vec::new() }
    }

    pub fn report(&mut self, severity: Severity, path: FieldPath, rule: Rule, message: impl Into<String>) {
        self.problems.push(Problem { path, severity, rule, message: message.into() });
    }

    pub fn error(&mut self, path: FieldPath, rule: Rule, message: impl Into<String>) {
        self.report(Severity::Error, path, rule, message);
    }

    pub fn warn(&mut self, path: FieldPath, rule: Rule, message: impl Into<String>) {
        self.report(Severity::Warning, path, rule, message);
    }
}

/// Checks a CreateSecurityProfile request (the profile as the user edits it).
pub fn validate(profile: &SecurityProfile, ctx: &Context) -> Vec<Problem> {
    let view = ProfileView {
        name: &profile.security_profile_name,
        description: profile.security_profile_description.as_deref(),
        behaviors: profile.behaviors.as_deref(),
        alert_targets: profile.alert_targets.as_ref(),
        retain_v1: profile.additional_metrics_to_retain.as_deref(),
        retain_v2: profile.additional_metrics_to_retain_v2.as_deref(),
        tags: profile.tags.as_deref(),
        export: profile.metrics_export_config.as_ref(),
        export_state: if profile.metrics_export_config.is_some() { ExportState::Present } else { ExportState::Absent },
    };
    let mut checker = Checker::new(ctx);
    profile::check(&mut checker, &view);
    checker.problems
}

/// Checks an UpdateSecurityProfile request, including the delete-* flag rules.
pub fn validate_update(update: &ProfileUpdate, ctx: &Context) -> Vec<Problem> {
    let deletes_export = update.delete_metrics_export_config == Some(true);
    let view = ProfileView {
        name: &update.security_profile_name,
        description: update.security_profile_description.as_deref(),
        behaviors: update.behaviors.as_deref(),
        alert_targets: update.alert_targets.as_ref(),
        retain_v1: update.additional_metrics_to_retain.as_deref(),
        retain_v2: update.additional_metrics_to_retain_v2.as_deref(),
        tags: None,
        export: update.metrics_export_config.as_ref(),
        export_state: match (&update.metrics_export_config, deletes_export) {
            (Some(_), _) => ExportState::Present,
            (None, true) => ExportState::Absent,
            (None, false) => ExportState::Unknown,
        },
    };
    let mut checker = Checker::new(ctx);
    profile::check(&mut checker, &view);
    update::check(&mut checker, update);
    checker.problems
}

/// Checks a resource's tags as TagResource takes them (paths `tags[i].Key`):
/// an existing profile's tags change through TagResource, not the update, and
/// the sandbox judges TagResource with the same rules.
pub fn validate_tags(tags: &[Tag], ctx: &Context) -> Vec<Problem> {
    let mut checker = Checker::new(ctx);
    profile::check_tags(&mut checker, &FieldPath::root().key("tags"), tags);
    checker.problems
}

/// Checks the input of ValidateSecurityProfileBehaviors: behaviors alone.
pub fn validate_behaviors(behaviors: &[Behavior], ctx: &Context) -> Vec<Problem> {
    let mut checker = Checker::new(ctx);
    behavior::check_all(&mut checker, behaviors, ExportState::Unknown);
    checker.problems
}
