//! restJson1 routing: method + percent-decoded path (+ query) → the operation,
//! exactly as the IoT model's `@http` traits lay them out (service.md §1).
//! Pure: it parses, it does not run anything.

use percent_encoding::percent_decode_str;

/// One operation with its path labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    CreateSecurityProfile(String),
    UpdateSecurityProfile(String),
    DescribeSecurityProfile(String),
    DeleteSecurityProfile(String),
    ListSecurityProfiles,
    ValidateSecurityProfileBehaviors,
    ListTagsForResource,
    TagResource,
    UntagResource,
    CreateDimension(String),
    DescribeDimension(String),
    UpdateDimension(String),
    DeleteDimension(String),
    ListDimensions,
    CreateCustomMetric(String),
    DescribeCustomMetric(String),
    UpdateCustomMetric(String),
    DeleteCustomMetric(String),
    ListCustomMetrics,
    AttachSecurityProfile(String),
    DetachSecurityProfile(String),
    ListTargetsForSecurityProfile(String),
    ListSecurityProfilesForTarget,
    CreateThingGroup(String),
    DescribeThingGroup(String),
    DeleteThingGroup(String),
    ListThingGroups,
    AddThingToThingGroup,
    CreateThing(String),
    DescribeThing(String),
    DeleteThing(String),
    ListThings,
    ListActiveViolations,
    ListViolationEvents,
    ListMetricValues,
    GetBehaviorModelTrainingSummaries,
    PutVerificationStateOnViolation(String),
    /// Sandbox-only: a device-side metrics report a thing sends (as agents
    /// publish to `$aws/things/THING/defender/metrics/json`), over HTTP.
    PutDeviceMetricsReport(String),
    ListThingsInThingGroup(String),
}

impl Route {
    /// True for the operations that only read, which may run beside a writer.
    pub fn is_read(&self) -> bool {
        matches!(
            self,
            Route::DescribeSecurityProfile(_)
                | Route::ListSecurityProfiles
                | Route::ListTagsForResource
                | Route::DescribeDimension(_)
                | Route::ListDimensions
                | Route::DescribeCustomMetric(_)
                | Route::ListCustomMetrics
                | Route::ListTargetsForSecurityProfile(_)
                | Route::ListSecurityProfilesForTarget
                | Route::DescribeThingGroup(_)
                | Route::ListThingGroups
                | Route::DescribeThing(_)
                | Route::ListThings
                | Route::ListActiveViolations
                | Route::ListViolationEvents
                | Route::ListMetricValues
                | Route::GetBehaviorModelTrainingSummaries
                | Route::ListThingsInThingGroup(_)
        )
    }

    /// True for Device Defender Detect's operations (not IoT's things and
    /// thing groups, nor the sandbox's own device reports).
    pub fn is_detect(&self) -> bool {
        !matches!(
            self,
            Route::CreateThingGroup(_)
                | Route::DescribeThingGroup(_)
                | Route::DeleteThingGroup(_)
                | Route::ListThingGroups
                | Route::AddThingToThingGroup
                | Route::CreateThing(_)
                | Route::DescribeThing(_)
                | Route::DeleteThing(_)
                | Route::ListThings
                | Route::ListThingsInThingGroup(_)
                | Route::PutDeviceMetricsReport(_)
                | Route::ListTagsForResource
                | Route::TagResource
                | Route::UntagResource
        )
    }

    /// The operation's name, for logs.
    pub fn operation(&self) -> &'static str {
        match self {
            Route::CreateSecurityProfile(_) => "CreateSecurityProfile",
            Route::UpdateSecurityProfile(_) => "UpdateSecurityProfile",
            Route::DescribeSecurityProfile(_) => "DescribeSecurityProfile",
            Route::DeleteSecurityProfile(_) => "DeleteSecurityProfile",
            Route::ListSecurityProfiles => "ListSecurityProfiles",
            Route::ValidateSecurityProfileBehaviors => "ValidateSecurityProfileBehaviors",
            Route::ListTagsForResource => "ListTagsForResource",
            Route::TagResource => "TagResource",
            Route::UntagResource => "UntagResource",
            Route::CreateDimension(_) => "CreateDimension",
            Route::DescribeDimension(_) => "DescribeDimension",
            Route::UpdateDimension(_) => "UpdateDimension",
            Route::DeleteDimension(_) => "DeleteDimension",
            Route::ListDimensions => "ListDimensions",
            Route::CreateCustomMetric(_) => "CreateCustomMetric",
            Route::DescribeCustomMetric(_) => "DescribeCustomMetric",
            Route::UpdateCustomMetric(_) => "UpdateCustomMetric",
            Route::DeleteCustomMetric(_) => "DeleteCustomMetric",
            Route::ListCustomMetrics => "ListCustomMetrics",
            Route::AttachSecurityProfile(_) => "AttachSecurityProfile",
            Route::DetachSecurityProfile(_) => "DetachSecurityProfile",
            Route::ListTargetsForSecurityProfile(_) => "ListTargetsForSecurityProfile",
            Route::ListSecurityProfilesForTarget => "ListSecurityProfilesForTarget",
            Route::CreateThingGroup(_) => "CreateThingGroup",
            Route::DescribeThingGroup(_) => "DescribeThingGroup",
            Route::DeleteThingGroup(_) => "DeleteThingGroup",
            Route::ListThingGroups => "ListThingGroups",
            Route::AddThingToThingGroup => "AddThingToThingGroup",
            Route::CreateThing(_) => "CreateThing",
            Route::DescribeThing(_) => "DescribeThing",
            Route::DeleteThing(_) => "DeleteThing",
            Route::ListThings => "ListThings",
            Route::ListActiveViolations => "ListActiveViolations",
            Route::ListViolationEvents => "ListViolationEvents",
            Route::ListMetricValues => "ListMetricValues",
            Route::GetBehaviorModelTrainingSummaries => "GetBehaviorModelTrainingSummaries",
            Route::PutVerificationStateOnViolation(_) => "PutVerificationStateOnViolation",
            Route::PutDeviceMetricsReport(_) => "PutDeviceMetricsReport",
            Route::ListThingsInThingGroup(_) => "ListThingsInThingGroup",
        }
    }
}

/// A request target split into decoded path segments and query pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Target {
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
}

impl Target {
    /// Splits `/a/b%3Ac?x=1&y=%2F`; `+` stays a plus, as AWS clients encode spaces as %20.
    pub fn parse(target: &str) -> Target {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
        let segments = path.split('/').filter(|s| !s.is_empty()).map(decode).collect();
        let query = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(pair), String::new()),
            })
            .collect();
        Target { segments, query }
    }

    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The operation a method and target name, if any.
pub fn route(method: &str, target: &Target) -> Option<Route> {
    let segs: Vec<&str> = target.segments.iter().map(String::as_str).collect();
    let name = |s: &str| s.to_owned();
    Some(match (method, segs.as_slice()) {
        ("POST", ["security-profiles", n]) => Route::CreateSecurityProfile(name(n)),
        ("PATCH", ["security-profiles", n]) => Route::UpdateSecurityProfile(name(n)),
        ("GET", ["security-profiles", n]) => Route::DescribeSecurityProfile(name(n)),
        ("DELETE", ["security-profiles", n]) => Route::DeleteSecurityProfile(name(n)),
        ("GET", ["security-profiles"]) => Route::ListSecurityProfiles,
        ("PUT", ["security-profiles", n, "targets"]) => Route::AttachSecurityProfile(name(n)),
        ("DELETE", ["security-profiles", n, "targets"]) => Route::DetachSecurityProfile(name(n)),
        ("GET", ["security-profiles", n, "targets"]) => Route::ListTargetsForSecurityProfile(name(n)),
        ("POST", ["security-profile-behaviors", "validate"]) => Route::ValidateSecurityProfileBehaviors,
        ("GET", ["tags"]) => Route::ListTagsForResource,
        ("POST", ["tags"]) => Route::TagResource,
        ("POST", ["untag"]) => Route::UntagResource,
        ("POST", ["dimensions", n]) => Route::CreateDimension(name(n)),
        ("GET", ["dimensions", n]) => Route::DescribeDimension(name(n)),
        ("PATCH", ["dimensions", n]) => Route::UpdateDimension(name(n)),
        ("DELETE", ["dimensions", n]) => Route::DeleteDimension(name(n)),
        ("GET", ["dimensions"]) => Route::ListDimensions,
        ("POST", ["custom-metric", n]) => Route::CreateCustomMetric(name(n)),
        ("GET", ["custom-metric", n]) => Route::DescribeCustomMetric(name(n)),
        ("PATCH", ["custom-metric", n]) => Route::UpdateCustomMetric(name(n)),
        ("DELETE", ["custom-metric", n]) => Route::DeleteCustomMetric(name(n)),
        ("GET", ["custom-metrics"]) => Route::ListCustomMetrics,
        ("GET", ["security-profiles-for-target"]) => Route::ListSecurityProfilesForTarget,
        // Before the `{thingGroupName}` routes: this literal path is its own operation.
        ("PUT", ["thing-groups", "addThingToThingGroup"]) => Route::AddThingToThingGroup,
        ("GET", ["thing-groups", n, "things"]) => Route::ListThingsInThingGroup(name(n)),
        ("POST", ["thing-groups", n]) => Route::CreateThingGroup(name(n)),
        ("GET", ["thing-groups", n]) => Route::DescribeThingGroup(name(n)),
        ("DELETE", ["thing-groups", n]) => Route::DeleteThingGroup(name(n)),
        ("GET", ["thing-groups"]) => Route::ListThingGroups,
        ("POST", ["things", n]) => Route::CreateThing(name(n)),
        ("GET", ["things", n]) => Route::DescribeThing(name(n)),
        ("DELETE", ["things", n]) => Route::DeleteThing(name(n)),
        ("GET", ["things"]) => Route::ListThings,
        ("GET", ["active-violations"]) => Route::ListActiveViolations,
        ("GET", ["violation-events"]) => Route::ListViolationEvents,
        ("GET", ["metric-values"]) => Route::ListMetricValues,
        ("GET", ["behavior-model-training", "summaries"]) => Route::GetBehaviorModelTrainingSummaries,
        ("POST", ["violations", "verification-state", id]) => Route::PutVerificationStateOnViolation(name(id)),
        ("POST", ["sandbox", "things", n, "metrics"]) => Route::PutDeviceMetricsReport(name(n)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_queries_are_decoded() {
        let t = Target::parse("/security-profiles/a%3Ab?expectedVersion=3");
        assert_eq!(route("PATCH", &t), Some(Route::UpdateSecurityProfile("a:b".into())));
        assert_eq!(t.param("expectedVersion"), Some("3"));
        let t = Target::parse("/tags?resourceArn=arn%3Aaws%3Aiot%3Aus-east-1%3A123456789012%3Asecurityprofile%2Fa%3Ab");
        assert_eq!(route("GET", &t), Some(Route::ListTagsForResource));
        assert_eq!(t.param("resourceArn"), Some("arn:aws:iot:us-east-1:123456789012:securityprofile/a:b"));
        assert_eq!(
            route("PUT", &Target::parse("/security-profiles/p/targets")),
            Some(Route::AttachSecurityProfile("p".into()))
        );
        assert_eq!(route("GET", &Target::parse("/custom-metric/m")), Some(Route::DescribeCustomMetric("m".into())));
        assert_eq!(route("GET", &Target::parse("/things")), Some(Route::ListThings));
        assert_eq!(
            route("PUT", &Target::parse("/thing-groups/addThingToThingGroup")),
            Some(Route::AddThingToThingGroup)
        );
        assert_eq!(route("PATCH", &Target::parse("/things/t")), None);
        assert_eq!(
            route("POST", &Target::parse("/violations/verification-state/ab12")),
            Some(Route::PutVerificationStateOnViolation("ab12".into()))
        );
        assert_eq!(
            route("GET", &Target::parse("/behavior-model-training/summaries")),
            Some(Route::GetBehaviorModelTrainingSummaries)
        );
        assert_eq!(route("PUT", &Target::parse("/security-profiles/p")), None);
    }
}
