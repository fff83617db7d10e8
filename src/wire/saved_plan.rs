//! A plan saved by `ddsp plan --out` and carried out by `ddsp apply FILE`:
//! exactly what was reviewed, where it was reviewed. The file records its
//! format version, the endpoint and region it was made against, and a
//! SHA-256 digest of its items; `apply` refuses a plan of another format, one
//! whose items were changed after it was written, one whose entry names a
//! profile its request does not, and (unless told) one made against another
//! endpoint or region.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[cfg(test)]
use super::plan::Action;
use super::plan::Item;

/// The format this ddsp writes and reads. Format 1 (no region, no digest) is refused.
pub const PLAN_FORMAT: u64 = 2;

/// A saved plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SavedPlan {
    pub ddsp_plan: u64,
    /// The endpoint URL the plan was made against.
    pub endpoint: String,
    /// Its region.
    pub region: String,
    /// `sha256:` and the hex SHA-256 of the items' compact JSON.
    pub digest: String,
    pub profiles: Vec<Item>,
}

/// The digest of a plan's items.
fn digest(items: &[Item]) -> String {
    let json = serde_json::to_vec(items).unwrap_or_default();
    let sum = Sha256::digest(&json);
    format!("sha256:{}", sum.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// True for an endpoint on this machine (a sandbox), whose port changes from run to run.
fn is_local(endpoint: &str) -> bool {
    let rest = endpoint.strip_prefix("http://").or_else(|| endpoint.strip_prefix("https://")).unwrap_or(endpoint);
    let host = rest.split(['/', '?']).next().unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, port)| if port.contains(']') { host } else { h });
    matches!(host, "localhost" | "[::1]") || host.starts_with("127.")
}

impl SavedPlan {
    /// The plan of `items` made against `endpoint` in `region`.
    pub fn new(endpoint: String, region: String, items: Vec<Item>) -> SavedPlan {
        SavedPlan { ddsp_plan: PLAN_FORMAT, endpoint, region, digest: digest(&items), profiles: items }
    }

    /// Reads a saved plan from a file's text: `Ok(None)` when the text is
    /// not a plan at all (a profile file), so the caller plans it anew.
    ///
    /// Errors (the reason, for the user): another format version, a member
    /// missing or unknown, items changed since the plan was written, or an
    /// entry whose name is not the profile its request names.
    pub fn read(text: &str) -> Result<Option<SavedPlan>, String> {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text) else { return Ok(None) };
        let Some(version) = value.get("ddspPlan") else { return Ok(None) };
        if version.as_u64() != Some(PLAN_FORMAT) {
            return Err(format!(
                "this plan's format is ddspPlan {version}; this ddsp carries out format {PLAN_FORMAT}: make the plan again with ddsp plan --out"
            ));
        }
        let plan: SavedPlan = serde_json::from_value(value).map_err(|e| format!("not a plan ddsp wrote: {e}"))?;
        if digest(&plan.profiles) != plan.digest {
            return Err(
                "the plan was changed after ddsp plan wrote it (its digest does not match its entries); nothing was applied: make it again with ddsp plan --out".into(),
            );
        }
        for item in &plan.profiles {
            let Some(change) = &item.change else { continue };
            let named = change.submit.name();
            if named != item.name {
                return Err(format!(
                    "the entry {:?} carries a request for {named:?}; an entry's name and its request must name one profile",
                    item.name,
                ));
            }
        }
        Ok(Some(plan))
    }

    /// Checks that the plan is carried out where it was made: the same
    /// region, and the same endpoint (any sandbox on this machine counts as
    /// the same one, its port changing from run to run).
    ///
    /// Errors: the difference, said for the user.
    pub fn check_place(&self, endpoint: &str, region: &str) -> Result<(), String> {
        if self.region != region {
            return Err(format!(
                "this plan was made for region {} and would be applied in {region}; plan again there, or give --anywhere",
                self.region
            ));
        }
        let same = self.endpoint == endpoint || (is_local(&self.endpoint) && is_local(endpoint));
        if !same {
            return Err(format!(
                "this plan was made against {} and would be applied to {endpoint}; plan again there, or give --anywhere",
                self.endpoint
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::profile::{ProfileUpdate, SecurityProfile};
    use crate::wire::change::{ProfileChange, Submit};

    fn item(name: &str, action: Action, request_name: Option<&str>) -> Item {
        Item {
            name: name.into(),
            action,
            file: None,
            expected_version: Some(1),
            change: request_name.map(|n| {
                let submit = match action {
                    Action::Create => Submit::Create(SecurityProfile {
                        security_profile_name: n.into(),
                        behaviors: Some(vec![]),
                        ..SecurityProfile::default()
                    }),
                    _ => Submit::Update {
                        update: ProfileUpdate {
                            security_profile_name: n.into(),
                            behaviors: Some(vec![]),
                            expected_version: Some(1),
                            ..ProfileUpdate::default()
                        },
                        tag: vec![],
                        untag: vec![],
                    },
                };
                ProfileChange { submit, attach: vec![], detach: vec![], profile_unchanged: false }
            }),
            changes: vec![],
        }
    }

    fn saved(items: Vec<Item>) -> String {
        serde_json::to_string(&SavedPlan::new("http://127.0.0.1:4000".into(), "us-east-1".into(), items)).unwrap()
    }

    #[test]
    fn a_plan_reads_back_as_written() {
        let text = saved(vec![item("P1", Action::Update, Some("P1")), item("P2", Action::Delete, None)]);
        let plan = SavedPlan::read(&text).unwrap().unwrap();
        assert_eq!(plan.profiles.len(), 2);
        assert!(plan.check_place("http://localhost:5000", "us-east-1").is_ok(), "any local sandbox");
        assert!(plan.check_place("http://127.0.0.1:4000", "eu-west-1").unwrap_err().contains("region us-east-1"));
        assert!(
            plan.check_place("https://iot.us-east-1.amazonaws.com", "us-east-1").unwrap_err().contains("made against")
        );
        assert_eq!(SavedPlan::read("{\"securityProfileName\":\"x\"}").unwrap(), None, "a profile file is no plan");
    }

    #[test]
    fn a_changed_plan_is_refused_with_the_reason() {
        let mut plan: serde_json::Value =
            serde_json::from_str(&saved(vec![item("P1", Action::Update, Some("P1"))])).unwrap();
        plan["profiles"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"name": "P2", "action": "delete", "expectedVersion": 1}));
        assert!(SavedPlan::read(&plan.to_string()).unwrap_err().contains("digest"));
        plan["ddspPlan"] = 1.into();
        assert!(SavedPlan::read(&plan.to_string()).unwrap_err().contains("format is ddspPlan 1"));
        let mismatched = saved(vec![item("Inj", Action::Create, Some("Other"))]);
        assert!(SavedPlan::read(&mismatched).unwrap_err().contains("must name one profile"));
    }
}
