//! A security profile's targets, as a person chooses them: all registered
//! things, all unregistered things, or a thing group (service.md §8:
//! `arn:aws:iot:REGION:ACCOUNT:all/registered-things`,
//! `…:all/unregistered-things`, `…:thinggroup/NAME`). A target becomes an
//! ARN with the region and account of the profile it is attached to.

use super::path::FieldPath;
use super::problem::{Problem, Rule, Severity};

/// At most this many security profiles on one target (LimitExceededException; service.md §8).
pub const PROFILES_PER_TARGET: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Target {
    AllRegistered,
    AllUnregistered,
    ThingGroup(String),
}

impl Target {
    /// The ARN in `region` and `account`.
    pub fn arn(&self, region: &str, account: &str) -> String {
        let resource = match self {
            Target::AllRegistered => "all/registered-things".to_owned(),
            Target::AllUnregistered => "all/unregistered-things".to_owned(),
            Target::ThingGroup(name) => format!("thinggroup/{name}"),
        };
        format!("arn:aws:iot:{region}:{account}:{resource}")
    }

    /// The target an ARN names, if it names one.
    pub fn of_arn(arn: &str) -> Option<Target> {
        let resource = arn.splitn(6, ':').nth(5)?;
        match resource.split_once('/')? {
            ("all", "registered-things") => Some(Target::AllRegistered),
            ("all", "unregistered-things") => Some(Target::AllUnregistered),
            // ThingGroupName: 1–128 of `[a-zA-Z0-9:_-]` (`thinggroup/../../x` is none).
            ("thinggroup", name) if crate::domain::rules::resource_name_fault(name).is_none() => {
                Some(Target::ThingGroup(name.to_owned()))
            }
            _ => None,
        }
    }

    /// How a person reads it: "all registered things", "thing group Sensors".
    pub fn label(&self) -> String {
        match self {
            Target::AllRegistered => "all registered things".to_owned(),
            Target::AllUnregistered => "all unregistered things".to_owned(),
            Target::ThingGroup(name) => format!("thing group {name}"),
        }
    }
}

/// The region and account of an AWS IoT ARN (`arn:aws:iot:REGION:ACCOUNT:…`).
pub fn region_and_account(arn: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iot", region, account, _] if !region.is_empty() && !account.is_empty() => {
            Some(((*region).to_owned(), (*account).to_owned()))
        }
        _ => None,
    }
}

/// The problems with a profile's targets, at `targets` / `targets[i]`:
/// none at all is a warning (the profile then monitors nothing); a target to
/// attach that already has `PROFILES_PER_TARGET` other profiles is an error
/// (LimitExceededException). `others(t)` is how many other profiles the
/// endpoint has on `t`, when known.
pub fn check(wanted: &[Target], attached: &[Target], others: impl Fn(&Target) -> Option<usize>) -> Vec<Problem> {
    let root = FieldPath::root().key("targets");
    let mut problems = Vec::new();
    if wanted.is_empty() {
        problems.push(Problem {
            path: root.clone(),
            severity: Severity::Warning,
            rule: Rule::NoTarget,
            message: "the profile is attached to no target, so it monitors nothing; add one in Targets (all registered things, or a thing group)".to_owned(),
        });
    }
    for (i, t) in wanted.iter().enumerate() {
        if attached.contains(t) {
            continue;
        }
        if let Some(n) = others(t).filter(|n| *n >= PROFILES_PER_TARGET) {
            problems.push(Problem {
                path: root.index(i),
                severity: Severity::Error,
                rule: Rule::TargetLimit,
                message: format!(
                    "{} already has {n} security profiles, the most a target can have ({PROFILES_PER_TARGET}); detach one there or choose another target",
                    t.label()
                ),
            });
        }
    }
    problems
}

/// What a submit changes: the targets to attach and to detach.
pub fn changes(wanted: &[Target], attached: &[Target]) -> (Vec<Target>, Vec<Target>) {
    let attach = wanted.iter().filter(|t| !attached.contains(t)).cloned().collect();
    let detach = attached.iter().filter(|t| !wanted.contains(t)).cloned().collect();
    (attach, detach)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_both_ways() {
        let g = Target::ThingGroup("Sensors".into());
        let arn = g.arn("us-east-1", "123456789012");
        assert_eq!(arn, "arn:aws:iot:us-east-1:123456789012:thinggroup/Sensors");
        assert_eq!(Target::of_arn(&arn), Some(g));
        assert_eq!(Target::of_arn("arn:aws:iot:us-east-1:1:all/registered-things"), Some(Target::AllRegistered));
        assert_eq!(region_and_account(&arn), Some(("us-east-1".into(), "123456789012".into())));
        let (a, d) = changes(&[Target::AllRegistered], &[Target::AllUnregistered]);
        assert_eq!((a, d), (vec![Target::AllRegistered], vec![Target::AllUnregistered]));
    }
}
