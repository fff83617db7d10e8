//! The starting points the guided setup offers: `--cli-input-json` files in
//! `assets/templates/`, compiled in. Each validates clean and its description
//! says what it watches.

use crate::domain::profile::SecurityProfile;
use crate::domain::{FieldPath, Problem, Rule, Severity};
use crate::wire::input::{Format, parse};

/// One template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    /// Its file name without `.json`.
    pub id: &'static str,
    pub title: &'static str,
    pub json: &'static str,
}

pub const TEMPLATES: [Template; 5] = [
    Template {
        id: "cloud-rules-baseline",
        title: "Cloud-side rules baseline (no agent needed)",
        json: include_str!("../assets/templates/cloud-rules-baseline.json"),
    },
    Template {
        id: "device-network-baseline",
        title: "Device-side network baseline (ports, destinations, bytes out)",
        json: include_str!("../assets/templates/device-network-baseline.json"),
    },
    Template {
        id: "ml-detect",
        title: "ML Detect on every supported metric",
        json: include_str!("../assets/templates/ml-detect.json"),
    },
    Template {
        id: "statistical-thresholds",
        title: "Statistical thresholds (percentiles of the fleet)",
        json: include_str!("../assets/templates/statistical-thresholds.json"),
    },
    Template {
        id: "observe",
        title: "Observe first: retain metrics, no behaviors (then ddsp tune)",
        json: include_str!("../assets/templates/observe.json"),
    },
];

impl Template {
    /// The template as a profile.
    pub fn profile(&self) -> Result<SecurityProfile, String> {
        parse::<SecurityProfile>(self.json, Format::Json).map_err(|e| format!("{}: {e}", self.id))
    }

    /// What it watches: its description.
    pub fn description(&self) -> String {
        self.profile().ok().and_then(|p| p.security_profile_description).unwrap_or_default()
    }
}

/// A warning for a profile whose description is still a template's while
/// its behaviors are no longer that template's: the description says what
/// the template watched ("more than 1000 messages"), not what the profile
/// does now. ddsp's own advice (no service rule): a warning, never a block.
pub fn stale_description(profile: &SecurityProfile) -> Option<Problem> {
    let description = profile.security_profile_description.as_deref().filter(|d| !d.is_empty())?;
    // Read once: this runs on every keystroke.
    static READ: std::sync::OnceLock<Vec<(&'static str, SecurityProfile)>> = std::sync::OnceLock::new();
    let read = READ.get_or_init(|| TEMPLATES.iter().filter_map(|t| Some((t.id, t.profile().ok()?))).collect());
    let (id, original) = read.iter().find(|(_, p)| p.security_profile_description.as_deref() == Some(description))?;
    let same = |a: &SecurityProfile, b: &SecurityProfile| {
        a.behaviors == b.behaviors
            && a.additional_metrics_to_retain_v2 == b.additional_metrics_to_retain_v2
            && a.alert_targets.is_some() == b.alert_targets.is_some()
    };
    if same(profile, original) {
        return None;
    }
    Some(Problem {
        path: FieldPath::root().key("securityProfileDescription"),
        severity: Severity::Warning,
        rule: Rule::TemplateDescriptionStale,
        message: format!(
            "this is the {id} template's description, written for its behaviors; they have changed since, so it may no longer say what the profile watches: edit it to match (ddsp's advice, not a service rule)"
        ),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_templates_description_is_flagged_once_its_behaviors_change() {
        let mut p = TEMPLATES[0].profile().unwrap();
        assert_eq!(stale_description(&p), None, "as the template made it");
        p.security_profile_name = "Mine".into();
        assert_eq!(stale_description(&p), None, "a new name changes nothing the description says");
        if let Some(b) = p.behaviors.as_mut().and_then(|b| b.first_mut()) {
            b.name = "Renamed".into();
        }
        let w = stale_description(&p).unwrap();
        assert_eq!((w.severity, w.rule), (Severity::Warning, Rule::TemplateDescriptionStale));
        assert!(w.message.contains("cloud-rules-baseline template's description"), "{}", w.message);
        p.security_profile_description = Some("My own words".into());
        assert_eq!(stale_description(&p), None, "a description of one's own is not a template's");
    }
}
