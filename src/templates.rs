//! The starting points the guided setup offers: `--cli-input-json` files in
//! `assets/templates/`, compiled in. Each validates clean and its description
//! says what it watches.

use crate::domain::profile::SecurityProfile;
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
