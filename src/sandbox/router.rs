//! restJson1 routing: method + percent-decoded path (+ query) → the operation,
//! exactly as the IoT model's `@http` traits lay them out (service.md §1).
//! Pure: it parses, it does not run anything.

use percent_encoding::percent_decode_str;

/// Declares the operations once: each row gives the operation's name (and
/// its path label), its method and path as the IoT model's `@http` trait
/// lays them out, whether it only reads (reads may run beside a writer), and
/// whose it is: Device Defender Detect's, IoT's (things, thing groups,
/// tags), IoT's for devices (certificates, principals, the data endpoint),
/// or the sandbox's own. Rows are matched in order.
macro_rules! operations {
    ($( $(#[$doc:meta])* $op:ident $(($label:ident))? = $method:literal [$($seg:tt),*] $access:ident $family:ident; )*) => {
        /// One operation with its path label.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Route {
            $( $(#[$doc])* $op $((operations!(@label $label)))?, )*
        }

        impl Route {
            /// True for the operations that only read, which may run beside a writer.
            pub fn is_read(&self) -> bool {
                match self {
                    $( Route::$op { .. } => operations!(@read $access), )*
                }
            }

            /// True for Device Defender Detect's operations (not IoT's things,
            /// thing groups and tags, nor the sandbox's own device reports).
            pub fn is_detect(&self) -> bool {
                match self {
                    $( Route::$op { .. } => operations!(@detect $family), )*
                }
            }

            /// The operation's name, as the API spells it.
            pub fn operation(&self) -> &'static str {
                match self {
                    $( Route::$op { .. } => stringify!($op), )*
                }
            }
        }

        /// The operation a method and target name, if any.
        pub fn route(method: &str, target: &Target) -> Option<Route> {
            let segs: Vec<&str> = target.segments.iter().map(String::as_str).collect();
            Some(match (method, segs.as_slice()) {
                $( ($method, [$($seg),*]) => Route::$op $(($label.to_string()))?, )*
                _ => return None,
            })
        }
    };
    (@label $label:ident) => { String };
    (@read read) => { true };
    (@read write) => { false };
    (@detect detect) => { true };
    (@detect iot) => { false };
    (@detect devices) => { false };
    (@detect sandbox) => { false };
}

operations! {
    CreateSecurityProfile(n) = "POST" ["security-profiles", n] write detect;
    UpdateSecurityProfile(n) = "PATCH" ["security-profiles", n] write detect;
    DescribeSecurityProfile(n) = "GET" ["security-profiles", n] read detect;
    DeleteSecurityProfile(n) = "DELETE" ["security-profiles", n] write detect;
    ListSecurityProfiles = "GET" ["security-profiles"] read detect;
    AttachSecurityProfile(n) = "PUT" ["security-profiles", n, "targets"] write detect;
    DetachSecurityProfile(n) = "DELETE" ["security-profiles", n, "targets"] write detect;
    ListTargetsForSecurityProfile(n) = "GET" ["security-profiles", n, "targets"] read detect;
    ValidateSecurityProfileBehaviors = "POST" ["security-profile-behaviors", "validate"] write detect;
    ListTagsForResource = "GET" ["tags"] read iot;
    TagResource = "POST" ["tags"] write iot;
    UntagResource = "POST" ["untag"] write iot;
    CreateDimension(n) = "POST" ["dimensions", n] write detect;
    DescribeDimension(n) = "GET" ["dimensions", n] read detect;
    UpdateDimension(n) = "PATCH" ["dimensions", n] write detect;
    DeleteDimension(n) = "DELETE" ["dimensions", n] write detect;
    ListDimensions = "GET" ["dimensions"] read detect;
    CreateCustomMetric(n) = "POST" ["custom-metric", n] write detect;
    DescribeCustomMetric(n) = "GET" ["custom-metric", n] read detect;
    UpdateCustomMetric(n) = "PATCH" ["custom-metric", n] write detect;
    DeleteCustomMetric(n) = "DELETE" ["custom-metric", n] write detect;
    ListCustomMetrics = "GET" ["custom-metrics"] read detect;
    ListSecurityProfilesForTarget = "GET" ["security-profiles-for-target"] read detect;
    // Before the `{thingGroupName}` routes: this literal path is its own operation.
    AddThingToThingGroup = "PUT" ["thing-groups", "addThingToThingGroup"] write iot;
    ListThingsInThingGroup(n) = "GET" ["thing-groups", n, "things"] read iot;
    CreateThingGroup(n) = "POST" ["thing-groups", n] write iot;
    DescribeThingGroup(n) = "GET" ["thing-groups", n] read iot;
    DeleteThingGroup(n) = "DELETE" ["thing-groups", n] write iot;
    ListThingGroups = "GET" ["thing-groups"] read iot;
    // Before `{thingName}`'s own routes: one more segment.
    AttachThingPrincipal(n) = "PUT" ["things", n, "principals"] write devices;
    DetachThingPrincipal(n) = "DELETE" ["things", n, "principals"] write devices;
    ListThingPrincipals(n) = "GET" ["things", n, "principals"] read devices;
    CreateThing(n) = "POST" ["things", n] write iot;
    DescribeThing(n) = "GET" ["things", n] read iot;
    DeleteThing(n) = "DELETE" ["things", n] write iot;
    ListThings = "GET" ["things"] read iot;
    ListActiveViolations = "GET" ["active-violations"] read detect;
    ListViolationEvents = "GET" ["violation-events"] read detect;
    ListMetricValues = "GET" ["metric-values"] read detect;
    GetBehaviorModelTrainingSummaries = "GET" ["behavior-model-training", "summaries"] read detect;
    PutVerificationStateOnViolation(id) = "POST" ["violations", "verification-state", id] write detect;
    CreateKeysAndCertificate = "POST" ["keys-and-certificate"] write devices;
    DescribeCertificate(id) = "GET" ["certificates", id] read devices;
    UpdateCertificate(id) = "PUT" ["certificates", id] write devices;
    DeleteCertificate(id) = "DELETE" ["certificates", id] write devices;
    ListCertificates = "GET" ["certificates"] read devices;
    DescribeEndpoint = "GET" ["endpoint"] read devices;
    CreateMitigationAction(n) = "POST" ["mitigationactions", "actions", n] write detect;
    DescribeMitigationAction(n) = "GET" ["mitigationactions", "actions", n] read detect;
    UpdateMitigationAction(n) = "PATCH" ["mitigationactions", "actions", n] write detect;
    DeleteMitigationAction(n) = "DELETE" ["mitigationactions", "actions", n] write detect;
    ListMitigationActions = "GET" ["mitigationactions", "actions"] read detect;
    // Before `{taskId}`'s own routes: one more segment.
    CancelDetectMitigationActionsTask(id) = "PUT" ["detect", "mitigationactions", "tasks", id, "cancel"] write detect;
    StartDetectMitigationActionsTask(id) = "PUT" ["detect", "mitigationactions", "tasks", id] write detect;
    DescribeDetectMitigationActionsTask(id) = "GET" ["detect", "mitigationactions", "tasks", id] read detect;
    ListDetectMitigationActionsTasks = "GET" ["detect", "mitigationactions", "tasks"] read detect;
    ListDetectMitigationActionsExecutions = "GET" ["detect", "mitigationactions", "executions"] read detect;
    /// Sandbox-only: a device-side metrics report a thing sends (as agents
    /// publish to `$aws/things/THING/defender/metrics/json`), over HTTP.
    PutDeviceMetricsReport(n) = "POST" ["sandbox", "things", n, "metrics"] write sandbox;
    /// Sandbox-only: the alerts kept for profiles' SNS alert targets.
    ListSandboxAlerts = "GET" ["sandbox", "alerts"] read sandbox;
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
