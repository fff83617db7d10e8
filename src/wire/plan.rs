//! Profiles as code: a folder of profile files (each the
//! `create-security-profile --cli-input-json` / `--cli-input-yaml` document,
//! with ddsp's own members kept under one key, `x-ddsp`) planned against what
//! an endpoint has. The plan says, per profile, create / update / unchanged /
//! delete, with the request, `expectedVersion`, the delete-* flags, the tag
//! and target changes and the field-by-field diff: what the editor's confirm
//! screen shows, for a whole folder.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::change::{ProfileChange, Submit, changes, request};
use super::input::{Format, InputError, parse};
use super::response::SecurityProfileDescription;
use crate::domain::profile::{ProfileUpdate, SecurityProfile, Tag};
use crate::domain::targets::Target;

/// The key of ddsp's own members in a profile file.
pub const DDSP_KEY: &str = "x-ddsp";

/// ddsp's own members of a profile file: what the AWS call cannot carry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Extra {
    /// Targets: `all/registered-things`, `all/unregistered-things`,
    /// `thinggroup/NAME`, or whole ARNs. Absent: the targets are not managed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    /// Protects the profile from `--prune` once it is on the endpoint (even if
    /// its file goes): it carries the tag `ddsp:protect` = `true`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub protect: bool,
}

/// The tag that protects a profile from `--prune`.
pub const PROTECT_TAG: &str = "ddsp:protect";

fn protected(tags: &[Tag]) -> bool {
    tags.iter().any(|t| t.key == PROTECT_TAG && t.value.as_deref() == Some("true"))
}

/// One profile file, read.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileFile {
    pub path: String,
    pub profile: SecurityProfile,
    pub extra: Extra,
}

impl ProfileFile {
    /// The targets the file asks for (`None`: not managed), or the first it cannot read.
    pub fn targets(&self) -> Result<Option<Vec<Target>>, String> {
        let Some(list) = &self.extra.targets else { return Ok(None) };
        list.iter()
            .map(|t| {
                let arn = if t.starts_with("arn:") { t.clone() } else { format!("arn:aws:iot:region:account:{t}") };
                Target::of_arn(&arn).ok_or_else(|| {
                    format!(
                        "{t:?} is not a target; use all/registered-things, all/unregistered-things or thinggroup/NAME"
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }
}

impl ProfileFile {
    /// Checks that every whole ARN among the targets is in `region`: a plan
    /// for one region cannot attach a target of another (the attach would
    /// fail after the profile was made).
    ///
    /// Errors: the first target of another region, said for the user.
    pub fn check_target_region(&self, region: &str) -> Result<(), String> {
        for t in self.extra.targets.iter().flatten().filter(|t| t.starts_with("arn:")) {
            match crate::domain::targets::region_and_account(t) {
                Some((r, _)) if r == region => {}
                Some((r, _)) => {
                    return Err(format!(
                        "{t:?} is in region {r}, and this plan is for {region}; name it as thinggroup/NAME"
                    ));
                }
                None => return Err(format!("{t:?} is not an AWS IoT ARN")),
            }
        }
        Ok(())
    }
}

/// Reads a profile file: the create document, and `x-ddsp` beside it.
/// Errors: the reader's, with line and column (a bad member's path when
/// `x-ddsp` was present).
pub fn read_file(path: &str, text: &str) -> Result<ProfileFile, InputError> {
    let format = Format::detect(text);
    let mut doc: Value = parse(text, format)?;
    let extra = match doc.as_object_mut().and_then(|m| m.shift_remove(DDSP_KEY)) {
        None => {
            let profile = parse(text, format).map_err(with_ddsp_key)?;
            return Ok(ProfileFile { path: path.to_owned(), profile, extra: Extra::default() });
        }
        Some(extra) => extra,
    };
    let at = |e: serde_json::Error, member: &str| InputError {
        line: None,
        column: None,
        path: Some(member.to_owned()),
        message: e.to_string(),
        further: Vec::new(),
    };
    let extra: Extra = serde_json::from_value(extra).map_err(|e| at(e, DDSP_KEY))?;
    // The rest is read as strictly as a file without the key.
    let rest = serde_json::to_string(&doc).map_err(|e| at(e, ""))?;
    let mut profile: SecurityProfile = parse(&rest, Format::Json).map_err(with_ddsp_key)?;
    if extra.protect {
        let tags = profile.tags.get_or_insert_with(Vec::new);
        if !protected(tags) {
            tags.retain(|t| t.key != PROTECT_TAG);
            tags.push(Tag { key: PROTECT_TAG.to_owned(), value: Some("true".to_owned()) });
        }
    }
    Ok(ProfileFile { path: path.to_owned(), profile, extra })
}

/// A profile file also takes `x-ddsp`: an unknown top-level member says so.
fn with_ddsp_key(mut e: InputError) -> InputError {
    if e.message.starts_with("Unknown parameter in input:") {
        e.message.push_str(&format!("; a profile file may also hold {DDSP_KEY} (ddsp's own: targets, protect)"));
    }
    e
}

/// A profile as the endpoint has it.
#[derive(Debug, Clone, PartialEq)]
pub struct Current {
    pub description: SecurityProfileDescription,
    pub tags: Vec<Tag>,
    pub targets: Vec<Target>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
    Delete,
}

/// What the plan does to one profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ItemFile", into = "ItemFile")]
pub struct Item {
    pub name: String,
    pub action: Action,
    /// The file it comes from (none for a delete).
    pub file: Option<String>,
    /// The version the plan was made against (an update's or delete's expectedVersion).
    pub expected_version: Option<i64>,
    /// What applying it sends (`client::apply`); none for a delete.
    pub change: Option<ProfileChange>,
    /// The changes against the endpoint's copy, one line each.
    pub changes: Vec<String>,
}

/// An item as `plan --output json` prints it and `plan --out` saves it: the
/// request body as sent, the tag changes, the attaches and the detaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemFile {
    name: String,
    action: Action,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected_version: Option<i64>,
    /// The request body (create or update input), as sent; none when no create or update goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request: Option<Value>,
    /// Tags to set and keys to remove (TagResource / UntagResource).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tag: Vec<Tag>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    untag: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    attach: Vec<Target>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    detach: Vec<Target>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    changes: Vec<String>,
}

impl From<Item> for ItemFile {
    fn from(i: Item) -> ItemFile {
        let mut file = ItemFile {
            name: i.name,
            action: i.action,
            file: i.file,
            expected_version: i.expected_version,
            request: None,
            tag: Vec::new(),
            untag: Vec::new(),
            attach: Vec::new(),
            detach: Vec::new(),
            changes: i.changes,
        };
        if let Some(change) = i.change {
            file.attach = change.attach;
            file.detach = change.detach;
            match change.submit {
                // Both are plain data: serializing them cannot fail.
                Submit::Create(profile) => file.request = serde_json::to_value(profile).ok(),
                Submit::Update { update, tag, untag } => {
                    if !change.profile_unchanged {
                        file.request = serde_json::to_value(update).ok();
                    }
                    file.tag = tag;
                    file.untag = untag;
                }
            }
        }
        file
    }
}

impl TryFrom<ItemFile> for Item {
    type Error = String;

    /// Errors: a create or update without its request, or a request that is not one.
    fn try_from(f: ItemFile) -> Result<Item, String> {
        let missing = |what: &str| format!("the {what} of {:?} carries no request", f.name);
        let submit = match f.action {
            Action::Delete => None,
            Action::Create => Some(Submit::Create(
                serde_json::from_value(f.request.clone().ok_or_else(|| missing("create"))?)
                    .map_err(|e| format!("{}: {e}", f.name))?,
            )),
            Action::Update | Action::Unchanged => {
                let mut update: ProfileUpdate = match &f.request {
                    Some(r) => serde_json::from_value(r.clone()).map_err(|e| format!("{}: {e}", f.name))?,
                    // Unchanged, or an update of tags alone: no UpdateSecurityProfile is sent.
                    None if f.action == Action::Unchanged || !f.tag.is_empty() || !f.untag.is_empty() => {
                        ProfileUpdate { security_profile_name: f.name.clone(), ..ProfileUpdate::default() }
                    }
                    None => return Err(missing("update")),
                };
                // The version the plan saw: a profile changed since is a conflict.
                update.expected_version = f.expected_version;
                Some(Submit::Update { update, tag: f.tag, untag: f.untag })
            }
        };
        let change = submit.map(|submit| ProfileChange {
            profile_unchanged: f.request.is_none() && matches!(submit, Submit::Update { .. }),
            submit,
            attach: f.attach,
            detach: f.detach,
        });
        Ok(Item {
            name: f.name,
            action: f.action,
            file: f.file,
            expected_version: f.expected_version,
            change,
            changes: f.changes,
        })
    }
}

/// The plan for `files` against `current` (by profile name). With `prune`,
/// the endpoint's profiles that no file names are deleted.
pub fn plan(files: &[ProfileFile], current: &BTreeMap<String, Current>, prune: bool) -> Result<Vec<Item>, String> {
    let mut items = Vec::new();
    for f in files {
        let name = f.profile.security_profile_name.clone();
        let wanted_targets = f.targets().map_err(|e| format!("{}: {e}", f.path))?;
        let now = current.get(&name);
        let (attach, detach) = match (&wanted_targets, now) {
            (Some(w), Some(c)) => crate::domain::targets::changes(w, &c.targets),
            (Some(w), None) => (w.clone(), Vec::new()),
            (None, _) => (Vec::new(), Vec::new()),
        };
        let item = match now {
            None => Item {
                name,
                action: Action::Create,
                file: Some(f.path.clone()),
                expected_version: None,
                change: Some(ProfileChange {
                    submit: Submit::Create(f.profile.clone()),
                    attach,
                    detach,
                    profile_unchanged: false,
                }),
                changes: changes(&serde_json::json!({}), &f.profile).map_err(|e| e.to_string())?,
            },
            Some(c) => {
                let submit = request(&f.profile, Some(&c.description), &c.tags);
                let Submit::Update { tag, untag, .. } = &submit else {
                    return Err(format!("{}: the plan for an existing profile is not an update", f.path));
                };
                let lines = changes(&c.description, &f.profile).map_err(|e| e.to_string())?;
                let members_same = lines.is_empty();
                let same = members_same && tag.is_empty() && untag.is_empty();
                let action = if same { Action::Unchanged } else { Action::Update };
                Item {
                    name,
                    action,
                    file: Some(f.path.clone()),
                    expected_version: c.description.version,
                    change: Some(ProfileChange { submit, attach, detach, profile_unchanged: members_same }),
                    changes: lines,
                }
            }
        };
        items.push(item);
    }
    if prune {
        for (name, c) in current {
            if files.iter().any(|f| f.profile.security_profile_name == *name) {
                continue;
            }
            items.push(if protected(&c.tags) {
                let kept = format!("kept: no file names it, but its {PROTECT_TAG} tag protects it from --prune");
                Item::endpoint_only(name, Action::Unchanged, c.description.version, vec![kept])
            } else {
                Item::endpoint_only(name, Action::Delete, c.description.version, Vec::new())
            });
        }
    }
    Ok(items)
}

impl Item {
    /// An item for a profile no file names: deleted (`--prune`), or kept.
    fn endpoint_only(name: &str, action: Action, version: Option<i64>, changes: Vec<String>) -> Item {
        Item { name: name.to_owned(), action, file: None, expected_version: version, change: None, changes }
    }

    /// Whether applying it changes anything (an unchanged profile may still gain or lose targets).
    pub fn changes_something(&self) -> bool {
        match self.action {
            Action::Delete => true,
            _ => self.change.as_ref().is_some_and(ProfileChange::changes_something),
        }
    }
}

/// The file `export` writes for a profile: the create document, its tags, and its targets under `x-ddsp`.
pub fn export_document(c: &Current) -> Result<Value, serde_json::Error> {
    let profile = super::change::profile_of(&c.description, &c.tags);
    let mut doc = serde_json::to_value(profile)?;
    if let Some(map) = doc.as_object_mut() {
        let targets: Vec<String> = c
            .targets
            .iter()
            .map(|t| match t {
                Target::AllRegistered => "all/registered-things".to_owned(),
                Target::AllUnregistered => "all/unregistered-things".to_owned(),
                Target::ThingGroup(g) => format!("thinggroup/{g}"),
            })
            .collect();
        map.insert(DDSP_KEY.to_owned(), serde_json::to_value(Extra { targets: Some(targets), protect: false })?);
    }
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn current(v: Value, targets: Vec<Target>) -> Current {
        Current { description: serde_json::from_value(v).unwrap(), tags: Vec::new(), targets }
    }

    #[test]
    fn creates_updates_unchanged_and_prunes() {
        let a = read_file("a.json", r#"{"securityProfileName": "A", "securityProfileDescription": "new", "x-ddsp": {"targets": ["thinggroup/G"]}}"#).unwrap();
        let b = read_file("b.yaml", "securityProfileName: B\nsecurityProfileDescription: same\n").unwrap();
        let c = read_file("c.json", r#"{"securityProfileName": "C"}"#).unwrap();
        let mut now = BTreeMap::new();
        now.insert(
            "A".to_owned(),
            current(json!({"securityProfileName": "A", "securityProfileDescription": "old", "version": 3}), vec![]),
        );
        now.insert(
            "B".to_owned(),
            current(json!({"securityProfileName": "B", "securityProfileDescription": "same", "version": 1}), vec![]),
        );
        now.insert("Z".to_owned(), current(json!({"securityProfileName": "Z", "version": 9}), vec![]));
        let items = plan(&[a, b, c], &now, true).unwrap();
        let actions: Vec<(String, Action)> = items.iter().map(|i| (i.name.clone(), i.action)).collect();
        assert_eq!(
            actions,
            [
                ("A".into(), Action::Update),
                ("B".into(), Action::Unchanged),
                ("C".into(), Action::Create),
                ("Z".into(), Action::Delete)
            ]
        );
        assert_eq!(items[0].expected_version, Some(3));
        assert_eq!(items[0].changes, ["~ securityProfileDescription: \"old\" → \"new\""]);
        assert_eq!(items[0].change.as_ref().unwrap().attach, [Target::ThingGroup("G".into())]);
        assert_eq!(items[3].expected_version, Some(9));
        assert!(!items[1].changes_something());
    }

    #[test]
    fn items_read_back_as_written_and_keep_their_json_shape() {
        let a = read_file("a.json", r#"{"securityProfileName": "A", "tags": [{"Key": "team", "Value": "x"}], "x-ddsp": {"targets": ["thinggroup/G"]}}"#).unwrap();
        let b = read_file("b.yaml", "securityProfileName: B\nx-ddsp:\n  targets: [all/registered-things]\n").unwrap();
        let n = read_file("n.json", r#"{"securityProfileName": "N"}"#).unwrap();
        let mut now = BTreeMap::new();
        let described = json!({"securityProfileName": "A", "behaviors": [], "version": 3});
        now.insert("A".to_owned(), current(described, vec![]));
        now.insert("B".to_owned(), current(json!({"securityProfileName": "B", "version": 2}), vec![]));
        now.insert("Z".to_owned(), current(json!({"securityProfileName": "Z", "version": 9}), vec![]));
        let items = plan(&[a, b, n], &now, true).unwrap();
        let text = serde_json::to_value(&items).unwrap();
        // The update: its request (with the delete flag for the cleared behaviors) and tag changes.
        assert_eq!(text[0]["request"]["deleteBehaviors"], json!(true), "{text}");
        assert_eq!(text[0]["tag"], json!([{"Key": "team", "Value": "x"}]));
        // Targets only: no request, the attach.
        assert!(
            text[1].get("request").is_none() && text[1]["attach"].as_array().is_some_and(|a| a.len() == 1),
            "{text}"
        );
        assert_eq!(text[2]["request"]["securityProfileName"], "N");
        assert!(text[3].get("request").is_none() && text[3]["action"] == "delete");
        let back: Vec<Item> = serde_json::from_value(text).unwrap();
        assert_eq!(back, items);
        assert!(back[1].change.as_ref().unwrap().profile_unchanged);
        // Tags alone: no request, the tag; it reads back as the same change.
        let t =
            read_file("t.json", r#"{"securityProfileName": "T", "tags": [{"Key": "env", "Value": "prod"}]}"#).unwrap();
        let mut now = BTreeMap::new();
        now.insert("T".to_owned(), current(json!({"securityProfileName": "T", "version": 4}), vec![]));
        let tagged = plan(&[t], &now, false).unwrap();
        let text = serde_json::to_value(&tagged).unwrap();
        assert!(text[0].get("request").is_none() && text[0]["action"] == "update", "{text}");
        let back: Vec<Item> = serde_json::from_value(text).unwrap();
        assert_eq!(back, tagged);
        let change = back[0].change.as_ref().unwrap();
        assert!(change.profile_unchanged && change.retags() && change.changes_something());
        let bad = json!([{"name": "A", "action": "update", "expectedVersion": 3}]);
        let e = serde_json::from_value::<Vec<Item>>(bad).unwrap_err().to_string();
        assert!(e.contains("carries no request"), "{e}");
    }

    #[test]
    fn an_unknown_ddsp_member_is_named() {
        let e = read_file("x.json", r#"{"securityProfileName": "A", "x-ddsp": {"target": []}}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field"), "{e}");
    }
}
