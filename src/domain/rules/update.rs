//! Rules that apply only to UpdateSecurityProfile: a delete-* flag together with
//! the member it clears, and empty lists that do not clear anything
//! (service.md §3 "UpdateSecurityProfile is a PATCH"). A false flag is absent.

use super::Checker;
use crate::domain::path::FieldPath;
use crate::domain::problem::{Rule, Severity};
use crate::domain::profile::ProfileUpdate;

pub(super) fn check(c: &mut Checker, u: &ProfileUpdate) {
    let root = FieldPath::root();
    let on = |flag: Option<bool>| flag == Some(true);
    let conflict = |c: &mut Checker, flag: &'static str, member: &str, severity: Severity, note: &str| {
        c.report(
            severity,
            root.key(flag),
            Rule::DeleteFlagConflict,
            format!("{flag} and {member} are both set; the service raises an exception for that{note}. Drop {member}, or drop {flag} to replace it instead"),
        );
    };
    if on(u.delete_behaviors) && u.behaviors.is_some() {
        conflict(c, "deleteBehaviors", "behaviors", Severity::Error, "");
    }
    if on(u.delete_alert_targets) && u.alert_targets.is_some() {
        conflict(c, "deleteAlertTargets", "alertTargets", Severity::Error, "");
    }
    if on(u.delete_additional_metrics_to_retain) {
        if u.additional_metrics_to_retain.is_some() {
            conflict(c, "deleteAdditionalMetricsToRetain", "additionalMetricsToRetain", Severity::Error, "");
        }
        if u.additional_metrics_to_retain_v2.is_some() {
            conflict(
                c,
                "deleteAdditionalMetricsToRetain",
                "additionalMetricsToRetainV2",
                Severity::Warning,
                " (inferred: the flag also clears V2)",
            );
        }
    }
    if on(u.delete_metrics_export_config) && u.metrics_export_config.is_some() {
        conflict(c, "deleteMetricsExportConfig", "metricsExportConfig", Severity::Warning, " (unconfirmed)");
    }
    let empty_note = |c: &mut Checker, member: &'static str, flag: &str| {
        c.warn(
            root.key(member),
            Rule::EmptyListOnUpdate,
            format!("an empty {member} leaves the profile's {member} as they are; to remove them set {flag} instead"),
        );
    };
    if !on(u.delete_behaviors) && u.behaviors.as_ref().is_some_and(Vec::is_empty) {
        empty_note(c, "behaviors", "deleteBehaviors");
    }
    if !on(u.delete_alert_targets) && u.alert_targets.as_ref().is_some_and(|m| m.is_empty()) {
        empty_note(c, "alertTargets", "deleteAlertTargets");
    }
    if !on(u.delete_additional_metrics_to_retain) {
        if u.additional_metrics_to_retain_v2.as_ref().is_some_and(Vec::is_empty) {
            empty_note(c, "additionalMetricsToRetainV2", "deleteAdditionalMetricsToRetain");
        }
        if u.additional_metrics_to_retain.as_ref().is_some_and(Vec::is_empty) {
            empty_note(c, "additionalMetricsToRetain", "deleteAdditionalMetricsToRetain");
        }
    }
}
