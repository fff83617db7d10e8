//! Reapplying the user's edits on top of a newer server version after a
//! VersionConflictException: a three-way merge of base (what the user opened),
//! mine (the edits) and theirs (the server now), member by member and behavior
//! by behavior (matched by name). Where both sides changed the same thing
//! differently, the user's version is kept and the clash is reported.

use crate::domain::profile::{Behavior, SecurityProfile, Tag};
use crate::domain::targets::Target;
use crate::wire::response::SecurityProfileDescription;

/// The merged profile and the names of what both sides changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub profile: SecurityProfile,
    pub clashes: Vec<String>,
}

fn pick<T: Clone + PartialEq>(name: &str, base: &T, mine: &T, theirs: &T, clashes: &mut Vec<String>) -> T {
    if mine == base || mine == theirs {
        theirs.clone()
    } else if theirs == base {
        mine.clone()
    } else {
        clashes.push(name.to_owned());
        mine.clone()
    }
}

fn find<'a>(list: &'a Option<Vec<Behavior>>, name: &str) -> Option<&'a Behavior> {
    list.as_ref().and_then(|l| l.iter().find(|b| b.name == name))
}

fn merge_behaviors(
    base: &Option<Vec<Behavior>>,
    mine: &Option<Vec<Behavior>>,
    theirs: &Option<Vec<Behavior>>,
    clashes: &mut Vec<String>,
) -> Option<Vec<Behavior>> {
    let mut names: Vec<String> = Vec::new();
    for list in [theirs, mine, base] {
        for b in list.iter().flatten() {
            if !names.contains(&b.name) {
                names.push(b.name.clone());
            }
        }
    }
    let merged: Vec<Behavior> = names
        .iter()
        .filter_map(|n| {
            let (b, m, t) = (find(base, n).cloned(), find(mine, n).cloned(), find(theirs, n).cloned());
            pick(&format!("behaviors[{n}]"), &b, &m, &t, clashes)
        })
        .collect();
    (!merged.is_empty()).then_some(merged)
}

/// Merges `mine` (edited from `base`) onto `theirs`.
pub fn reapply(
    base: &SecurityProfileDescription,
    mine: &SecurityProfile,
    theirs: &SecurityProfileDescription,
) -> Merged {
    let mut clashes = Vec::new();
    let c = &mut clashes;
    let profile = SecurityProfile {
        security_profile_name: mine.security_profile_name.clone(),
        security_profile_description: pick(
            "securityProfileDescription",
            &base.security_profile_description,
            &mine.security_profile_description,
            &theirs.security_profile_description,
            c,
        ),
        behaviors: merge_behaviors(&base.behaviors, &mine.behaviors, &theirs.behaviors, c),
        alert_targets: pick("alertTargets", &base.alert_targets, &mine.alert_targets, &theirs.alert_targets, c),
        additional_metrics_to_retain: pick(
            "additionalMetricsToRetain",
            &base.additional_metrics_to_retain,
            &mine.additional_metrics_to_retain,
            &theirs.additional_metrics_to_retain,
            c,
        ),
        additional_metrics_to_retain_v2: pick(
            "additionalMetricsToRetainV2",
            &base.additional_metrics_to_retain_v2,
            &mine.additional_metrics_to_retain_v2,
            &theirs.additional_metrics_to_retain_v2,
            c,
        ),
        tags: mine.tags.clone(),
        metrics_export_config: pick(
            "metricsExportConfig",
            &base.metrics_export_config,
            &mine.metrics_export_config,
            &theirs.metrics_export_config,
            c,
        ),
    };
    Merged { profile, clashes }
}

/// The tags an edit leaves once rebased on the server's: the server's tags
/// (`theirs`), with each key the edit set or changed against its base
/// (`base`) set as the edit has it, and each key the edit removed removed.
/// Tags are not versioned: another client's tags are kept, never undone.
pub fn rebase_tags(base: &[Tag], mine: &[Tag], theirs: &[Tag]) -> Vec<Tag> {
    let mut out: Vec<Tag> = theirs.to_vec();
    for t in mine.iter().filter(|t| !base.contains(t)) {
        out.retain(|o| o.key != t.key);
        out.push(t.clone());
    }
    for gone in base.iter().filter(|b| !mine.iter().any(|m| m.key == b.key)) {
        out.retain(|o| o.key != gone.key);
    }
    out
}

/// The targets an edit leaves once rebased on the server's: the server's
/// (`theirs`), plus what the edit attached and less what it detached against
/// its base (`base`). Attachments are not versioned either.
pub fn rebase_targets(base: &[Target], mine: &[Target], theirs: &[Target]) -> Vec<Target> {
    let mut out: Vec<Target> = theirs.iter().filter(|t| !base.contains(t) || mine.contains(t)).cloned().collect();
    for t in mine.iter().filter(|t| !base.contains(t)) {
        if !out.contains(t) {
            out.push(t.clone());
        }
    }
    out
}

/// What changed between two tag lists, one line each: `+ tags.env: prod`,
/// `- tags.owner`, `~ tags.stage: a → b`.
pub fn tag_lines(from: &[Tag], to: &[Tag]) -> Vec<String> {
    let value = |t: &Tag| t.value.clone().unwrap_or_default();
    let mut out = Vec::new();
    for t in to {
        match from.iter().find(|f| f.key == t.key) {
            None => out.push(format!("+ tags.{}: {}", t.key, value(t))),
            Some(f) if f.value != t.value => out.push(format!("~ tags.{}: {} → {}", t.key, value(f), value(t))),
            Some(_) => {}
        }
    }
    out.extend(from.iter().filter(|f| !to.iter().any(|t| t.key == f.key)).map(|f| format!("- tags.{}", f.key)));
    out
}

/// What changed between two target lists, one line each: `+ target: …`, `- target: …`.
pub fn target_lines(from: &[Target], to: &[Target]) -> Vec<String> {
    let mut out: Vec<String> =
        to.iter().filter(|t| !from.contains(t)).map(|t| format!("+ target: {}", t.label())).collect();
    out.extend(from.iter().filter(|f| !to.contains(f)).map(|f| format!("- target: {}", f.label())));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn desc(v: serde_json::Value) -> SecurityProfileDescription {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn both_changes_survive_and_clashes_are_named() {
        let b = |name: &str, count: i64| json!({"name": name, "metric": "aws:num-disconnects", "criteria": {"comparisonOperator": "greater-than", "value": {"count": count}, "durationSeconds": 300}});
        let base = desc(
            json!({"securityProfileName": "p", "securityProfileDescription": "d", "behaviors": [b("A", 1), b("B", 1)], "version": 1}),
        );
        let theirs = desc(
            json!({"securityProfileName": "p", "securityProfileDescription": "server", "behaviors": [b("A", 1), b("B", 5), b("C", 1)], "version": 2}),
        );
        let mine: SecurityProfile = serde_json::from_value(
            json!({"securityProfileName": "p", "securityProfileDescription": "d", "behaviors": [b("A", 9), b("B", 7)]}),
        )
        .unwrap();
        let merged = reapply(&base, &mine, &theirs);
        let v = serde_json::to_value(&merged.profile).unwrap();
        assert_eq!(v["securityProfileDescription"], "server");
        assert_eq!(v["behaviors"][0]["criteria"]["value"]["count"], 9, "my change to A");
        assert_eq!(v["behaviors"][1]["criteria"]["value"]["count"], 7, "B changed on both sides: mine is kept");
        assert_eq!(v["behaviors"][2]["name"], "C", "their new behavior");
        assert_eq!(merged.clashes, ["behaviors[B]"]);
    }

    #[test]
    fn tags_and_targets_rebase_onto_the_servers_keeping_both_sides() {
        let tag = |k: &str, v: &str| Tag { key: k.into(), value: Some(v.into()) };
        let base = [tag("owner", "ops"), tag("stage", "a")];
        // Mine: stage changed, owner removed, team added. Theirs: env added, stage kept.
        let mine = [tag("stage", "b"), tag("team", "red")];
        let theirs = [tag("owner", "ops"), tag("stage", "a"), tag("env", "prod")];
        let got = rebase_tags(&base, &mine, &theirs);
        assert_eq!(got, [tag("env", "prod"), tag("stage", "b"), tag("team", "red")]);
        assert_eq!(tag_lines(&base, &theirs), ["+ tags.env: prod"]);
        assert_eq!(tag_lines(&base, &mine), ["~ tags.stage: a → b", "+ tags.team: red", "- tags.owner"]);
        let g = |n: &str| Target::ThingGroup(n.into());
        // The server detached everything; mine attached a group.
        let targets = rebase_targets(&[Target::AllRegistered], &[Target::AllRegistered, g("Pumps")], &[]);
        assert_eq!(targets, [g("Pumps")], "the server's detach is kept");
        assert_eq!(target_lines(&[Target::AllRegistered], &[]), ["- target: all registered things"]);
    }
}
