//! Applying a profile change (`wire::change::ProfileChange`): the one
//! sequence the editor's submit and `ddsp apply` both send. The create or
//! update goes first; once it is applied, the tag changes, the attaches and
//! the detaches follow, each reported on its own: a call that fails after the
//! profile was applied does not undo it, and the calls after it still go.

use super::{ClientError, Connection, operations, targets};
use crate::domain::targets::{Target, region_and_account};
use crate::wire::change::{ProfileChange, Submit};
use crate::wire::response::SecurityProfileDescription;

/// Which call followed the create or update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    /// TagResource and UntagResource, as one step.
    Retag,
    AttachSecurityProfile,
    DetachSecurityProfile,
}

impl CallKind {
    /// The operation's name, as the AWS API spells it.
    pub fn operation(self) -> &'static str {
        match self {
            CallKind::Retag => "TagResource / UntagResource",
            CallKind::AttachSecurityProfile => "AttachSecurityProfile",
            CallKind::DetachSecurityProfile => "DetachSecurityProfile",
        }
    }
}

/// A call made after the create or update was applied, and how it went.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub kind: CallKind,
    /// What it was about: the tag changes, or the target's ARN (its label when no ARN could be made).
    pub detail: String,
    /// The target it attached or detached (none for the tag changes).
    pub target: Option<Target>,
    pub error: Option<ClientError>,
}

/// What the service made of a change: the profile as it now is, and each call that followed.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub name: String,
    pub arn: String,
    pub description: SecurityProfileDescription,
    pub calls: Vec<Call>,
}

impl Applied {
    /// The calls that failed.
    pub fn failed(&self) -> impl Iterator<Item = &Call> {
        self.calls.iter().filter(|c| c.error.is_some())
    }
}

/// The answer when the profile's version is not the one the change was made
/// against, found before anything was sent: the service's own
/// VersionConflictException, as UpdateSecurityProfile would have answered.
pub fn version_conflict(name: &str, server: Option<i64>, expected: Option<i64>) -> ClientError {
    ClientError::Service {
        operation: "UpdateSecurityProfile",
        code: "VersionConflictException".into(),
        message: format!(
            "{name} is at version {} on the server, not {} (checked before attaching)",
            server.unwrap_or(0),
            expected.unwrap_or(0)
        ),
    }
}

/// Sends `change`. An error means nothing was changed (the create or update
/// was refused, or never got there); a call that failed afterwards is in
/// `Applied::calls`.
pub async fn apply(c: &Connection, change: &ProfileChange) -> Result<Applied, ClientError> {
    let mut calls = Vec::new();
    let (name, description) = match &change.submit {
        Submit::Create(profile) => {
            let created = operations::create(c, profile).await?;
            let name = created.security_profile_name.unwrap_or_else(|| profile.security_profile_name.clone());
            (name.clone(), operations::describe(c, &name).await?)
        }
        Submit::Update { update, tag, untag } => {
            let description = if change.profile_unchanged {
                let description = operations::describe(c, &update.security_profile_name).await?;
                // No update goes, so nothing else checks the version: a profile
                // changed meanwhile is a conflict, as the update would have been.
                if description.version != update.expected_version {
                    let name = &update.security_profile_name;
                    return Err(version_conflict(name, description.version, update.expected_version));
                }
                description
            } else {
                operations::update(c, update).await?
            };
            if !tag.is_empty() || !untag.is_empty() {
                let arn = description.security_profile_arn.clone().unwrap_or_default();
                let error = operations::retag(c, &arn, tag, untag).await.err();
                let detail = format!("{} tag(s) set, {} removed", tag.len(), untag.len());
                calls.push(Call { kind: CallKind::Retag, detail, target: None, error });
            }
            (update.security_profile_name.clone(), description)
        }
    };
    let arn = description.security_profile_arn.clone().unwrap_or_default();
    // Targets live in the profile's region and account.
    let home = region_and_account(&arn);
    let steps = (change.attach.iter().map(|t| (CallKind::AttachSecurityProfile, t)))
        .chain(change.detach.iter().map(|t| (CallKind::DetachSecurityProfile, t)));
    for (kind, target) in steps {
        let Some((region, account)) = &home else {
            // Without the profile's ARN there is no account to name the target in: not sent.
            let error = ClientError::Other("the profile's ARN was not returned, so the target's ARN is unknown".into());
            calls.push(Call { kind, detail: target.label(), target: Some(target.clone()), error: Some(error) });
            continue;
        };
        let target_arn = target.arn(region, account);
        let result = match kind {
            CallKind::DetachSecurityProfile => targets::detach(c, &name, &target_arn).await,
            _ => targets::attach(c, &name, &target_arn).await,
        };
        calls.push(Call { kind, detail: target_arn, target: Some(target.clone()), error: result.err() });
    }
    Ok(Applied { name, arn, description, calls })
}
