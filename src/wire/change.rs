//! What an edit of a profile sends, and what it changes: the request
//! (CreateSecurityProfile for a new profile; for an existing one
//! UpdateSecurityProfile with `expectedVersion`, the delete-* flags that
//! cleared sections produce, and the tag changes that go through
//! TagResource / UntagResource), the request as a `--cli-input-json`
//! document, and the changes against the server's copy, one line each.
//! Used by the editor, its drafts, and the commands that plan changes.

use serde_json::Value;

use crate::domain::profile::{ProfileUpdate, SecurityProfile, Tag};
use crate::domain::targets::Target;
use crate::wire::response::SecurityProfileDescription;

/// A submit, as it goes to the service.
#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Create(SecurityProfile),
    /// The update, and the tag changes that go through TagResource / UntagResource.
    Update {
        update: ProfileUpdate,
        tag: Vec<Tag>,
        untag: Vec<String>,
    },
}

/// Everything one submit of a profile does, in order: the create or update
/// (an update carries `expectedVersion` and the tag changes), then the
/// attaches and detaches. Built by the editor's confirm screen and by `plan`;
/// applied by `client::apply`, the one place that sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileChange {
    pub submit: Submit,
    /// Targets to attach, then to detach, once the profile is applied.
    pub attach: Vec<Target>,
    pub detach: Vec<Target>,
    /// The profile's members are as on the server: UpdateSecurityProfile is
    /// not sent (it would only raise the version, and a colleague holding it
    /// would meet a needless conflict); the version is checked with
    /// DescribeSecurityProfile instead, and only the tags (TagResource,
    /// UntagResource, which are not versioned) and the targets change.
    pub profile_unchanged: bool,
}

impl ProfileChange {
    /// Whether applying it calls anything that changes the endpoint.
    pub fn changes_something(&self) -> bool {
        !self.profile_unchanged || self.retags() || !self.attach.is_empty() || !self.detach.is_empty()
    }

    /// Whether it sets or removes tags.
    pub fn retags(&self) -> bool {
        matches!(&self.submit, Submit::Update { tag, untag, .. } if !tag.is_empty() || !untag.is_empty())
    }
}

/// The members only the service sets, left out when comparing profiles.
pub const OUTPUT_ONLY: &[&str] = &["securityProfileArn", "version", "creationDate", "lastModifiedDate"];

impl Submit {
    pub fn name(&self) -> &str {
        match self {
            Submit::Create(p) => &p.security_profile_name,
            Submit::Update { update, .. } => &update.security_profile_name,
        }
    }

    /// `CreateSecurityProfile` or `UpdateSecurityProfile`.
    pub fn operation(&self) -> &'static str {
        match self {
            Submit::Create(_) => "CreateSecurityProfile",
            Submit::Update { .. } => "UpdateSecurityProfile",
        }
    }

    /// `create` or `update`, for file names.
    pub fn verb(&self) -> &'static str {
        match self {
            Submit::Create(_) => "create",
            Submit::Update { .. } => "update",
        }
    }

    /// The request body as JSON (the create or update input).
    pub fn body(&self) -> Result<Value, serde_json::Error> {
        match self {
            Submit::Create(p) => serde_json::to_value(p),
            Submit::Update { update, .. } => serde_json::to_value(update),
        }
    }

    /// The request as `--cli-input-json` takes it (4-space JSON, as the AWS CLI's skeletons).
    pub fn cli_input_json(&self) -> Result<String, serde_json::Error> {
        Ok(super::skeleton::json_text(&self.body()?))
    }

    /// The delete-* flags an update sends, by their member names.
    pub fn delete_flags(&self) -> Vec<&'static str> {
        let Submit::Update { update, .. } = self else { return Vec::new() };
        [
            ("deleteBehaviors", update.delete_behaviors),
            ("deleteAlertTargets", update.delete_alert_targets),
            ("deleteAdditionalMetricsToRetain", update.delete_additional_metrics_to_retain),
            ("deleteMetricsExportConfig", update.delete_metrics_export_config),
        ]
        .into_iter()
        .filter(|(_, on)| *on == Some(true))
        .map(|(name, _)| name)
        .collect()
    }

    /// The profile back from the request `into_request` made; an update's
    /// tags (which it does not carry) are `tags`.
    pub fn into_profile(self, tags: Option<Vec<Tag>>) -> SecurityProfile {
        match self {
            Submit::Create(p) => p,
            Submit::Update { update, .. } => update.into_profile(tags),
        }
    }

    pub fn expected_version(&self) -> Option<i64> {
        match self {
            Submit::Create(_) => None,
            Submit::Update { update, .. } => update.expected_version,
        }
    }
}

/// The editable members of a described profile, with its tags (ListTagsForResource).
pub fn profile_of(d: &SecurityProfileDescription, tags: &[Tag]) -> SecurityProfile {
    SecurityProfile {
        security_profile_name: d.security_profile_name.clone().unwrap_or_default(),
        security_profile_description: d.security_profile_description.clone(),
        behaviors: d.behaviors.clone(),
        alert_targets: d.alert_targets.clone(),
        additional_metrics_to_retain: d.additional_metrics_to_retain.clone(),
        additional_metrics_to_retain_v2: d.additional_metrics_to_retain_v2.clone(),
        tags: (!tags.is_empty()).then(|| tags.to_vec()),
        metrics_export_config: d.metrics_export_config.clone(),
    }
}

/// The request an edit makes: a create when there is no `base`; else the
/// update expecting `base`'s version, with a delete-* flag for each section
/// the server has and the edit cleared, and the tags added, changed
/// (TagResource) and removed (UntagResource) against `base_tags`.
pub fn request(profile: &SecurityProfile, base: Option<&SecurityProfileDescription>, base_tags: &[Tag]) -> Submit {
    into_request(profile.clone(), base, base_tags)
}

/// `request`, moving the profile in rather than copying it; `Submit::into_profile` gives it back.
pub fn into_request(profile: SecurityProfile, base: Option<&SecurityProfileDescription>, base_tags: &[Tag]) -> Submit {
    let Some(base) = base else { return Submit::Create(profile) };
    let p = &profile;
    let delete_retained = (base.additional_metrics_to_retain.is_some()
        || base.additional_metrics_to_retain_v2.is_some())
        && p.additional_metrics_to_retain.is_none()
        && p.additional_metrics_to_retain_v2.is_none();
    let flags = ProfileUpdate {
        expected_version: base.version,
        delete_behaviors: (base.behaviors.is_some() && p.behaviors.is_none()).then_some(true),
        delete_alert_targets: (base.alert_targets.is_some() && p.alert_targets.is_none()).then_some(true),
        delete_additional_metrics_to_retain: delete_retained.then_some(true),
        delete_metrics_export_config: (base.metrics_export_config.is_some() && p.metrics_export_config.is_none())
            .then_some(true),
        ..ProfileUpdate::default()
    };
    let now = p.tags.clone().unwrap_or_default();
    let tag: Vec<Tag> = now.iter().filter(|t| !base_tags.contains(t)).cloned().collect();
    let untag: Vec<String> =
        base_tags.iter().filter(|t| !now.iter().any(|n| n.key == t.key)).map(|t| t.key.clone()).collect();
    let mut update = ProfileUpdate::from(profile);
    update.expected_version = flags.expected_version;
    update.delete_behaviors = flags.delete_behaviors;
    update.delete_alert_targets = flags.delete_alert_targets;
    update.delete_additional_metrics_to_retain = flags.delete_additional_metrics_to_retain;
    update.delete_metrics_export_config = flags.delete_metrics_export_config;
    Submit::Update { update, tag, untag }
}

/// A profile as JSON without what only the service sets, and without tags
/// (they are not part of the profile's version).
pub fn comparable<T: serde::Serialize>(profile: &T) -> Result<Value, serde_json::Error> {
    let mut value = serde_json::to_value(profile)?;
    if let Some(map) = value.as_object_mut() {
        for k in OUTPUT_ONLY.iter().chain(&["tags"]) {
            map.shift_remove(*k);
        }
    }
    Ok(value)
}

/// The changes from `before` to `after`, one line each (`~ path: a → b`).
pub fn changes<A: serde::Serialize, B: serde::Serialize>(
    before: &A,
    after: &B,
) -> Result<Vec<String>, serde_json::Error> {
    Ok(super::diff::diff(&comparable(before)?, &comparable(after)?).iter().map(ToString::to_string).collect())
}

/// What an update changes against the server's copy: the profile's members,
/// then the tag changes with the operation that makes them.
pub fn update_changes(
    base: &SecurityProfileDescription,
    profile: &SecurityProfile,
    tag: &[Tag],
    untag: &[String],
) -> Result<Vec<String>, serde_json::Error> {
    let mut lines = changes(base, profile)?;
    lines.extend(tag.iter().map(|t| format!("+ tag {}={} (TagResource)", t.key, t.value.clone().unwrap_or_default())));
    lines.extend(untag.iter().map(|k| format!("- tag {k} (UntagResource)")));
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_update_clears_what_the_edit_cleared_and_retags() {
        let base: SecurityProfileDescription = serde_json::from_value(json!({
            "securityProfileName": "p", "version": 3,
            "alertTargets": {"SNS": {"alertTargetArn": "arn:aws:sns:us-east-1:123456789012:t", "roleArn": "arn:aws:iam::123456789012:role/r"}}
        }))
        .unwrap();
        let base_tags = vec![Tag { key: "a".into(), value: Some("1".into()) }];
        let mut p = profile_of(&base, &base_tags);
        p.alert_targets = None;
        p.tags = Some(vec![Tag { key: "b".into(), value: None }]);
        let submit = request(&p, Some(&base), &base_tags);
        assert_eq!(submit.delete_flags(), ["deleteAlertTargets"]);
        assert_eq!(submit.expected_version(), Some(3));
        let Submit::Update { tag, untag, .. } = &submit else { panic!() };
        assert_eq!((tag.len(), untag.as_slice()), (1, ["a".to_owned()].as_slice()));
        let lines = update_changes(&base, &p, tag, untag).unwrap();
        assert!(lines[0].starts_with("- alertTargets"), "{lines:?}");
        assert_eq!(lines.len(), 3);
    }
}
