//! The drafts as the editor keeps them while it runs: whether the edit's
//! draft is on disk (for the status line), why the last one could not be
//! written, the unsent drafts (found at start, or left by editors closed
//! since), the undo histories kept for them, and where they live. Each
//! endpoint-bound question takes the endpoint it is about.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::drafts::{Draft, Drafts, Operation};

use super::screens::editor::History;

/// Whether the edit's draft is on disk, for the status line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DraftState {
    #[default]
    None,
    Saving,
    Saved,
    Failed(String),
}

/// The drafts' side of the shared context.
#[derive(Debug)]
pub struct Drafting {
    pub state: DraftState,
    /// Why the last draft could not be written; cleared by the next save that works.
    pub failure: Option<String>,
    /// A closed editor's draft that could not be written, kept for the quit prompt's `w`.
    pub unsaved_closed: Option<Draft>,
    /// Unsent drafts: found at start, or left by an editor closed since. Home
    /// marks their profiles; reopening one resumes its draft.
    pub unsent: Vec<Draft>,
    /// Where drafts are kept (None: drafts are off).
    pub dir: Option<PathBuf>,
    /// When the edit was last handed to the draft writer (epoch seconds).
    pub handed_at: f64,
    /// Undo histories of closed editors, by draft id: reopening the draft brings its history back.
    pub histories: HashMap<String, History>,
}

impl Default for Drafting {
    fn default() -> Self {
        Drafting {
            state: DraftState::None,
            failure: None,
            unsaved_closed: None,
            unsent: Vec::new(),
            dir: None,
            handed_at: f64::NEG_INFINITY,
            histories: HashMap::new(),
        }
    }
}

impl Drafting {
    /// The unsent draft of the existing profile `name` on `endpoint`, if any.
    pub fn of_profile(&self, name: &str, endpoint: &str) -> Option<&Draft> {
        self.unsent.iter().find(|d| {
            d.meta.name == name && d.meta.endpoint == endpoint && d.meta.operation == Operation::UpdateSecurityProfile
        })
    }

    /// Keeps `draft` as the unsent draft of its profile (replacing an older one of the same id).
    pub fn keep(&mut self, draft: Draft) {
        self.unsent.retain(|d| d.id != draft.id);
        self.unsent.insert(0, draft);
    }

    /// Forgets the draft `id` and its undo history.
    pub fn forget(&mut self, id: &str) {
        self.unsent.retain(|d| d.id != id);
        self.histories.remove(id);
    }

    /// Drafts of new profiles (not on the server yet) on `endpoint` whose name contains `filter`.
    pub fn new_profiles(&self, filter: &str, endpoint: &str) -> Vec<&Draft> {
        let f = filter.to_lowercase();
        self.unsent
            .iter()
            .filter(|d| {
                d.meta.operation == Operation::CreateSecurityProfile
                    && d.meta.endpoint == endpoint
                    && d.meta.name.to_lowercase().contains(&f)
            })
            .collect()
    }

    /// The process id of another running ddsp that holds the draft `id`, if one does.
    pub fn held_elsewhere(&self, id: &str) -> Option<u32> {
        Drafts { dir: self.dir.clone()? }.live(id)
    }

    /// The process id of another running ddsp editing a draft of the profile `name` on `endpoint`, if one is.
    pub fn profile_held_elsewhere(&self, name: &str, endpoint: &str) -> Option<u32> {
        Drafts { dir: self.dir.clone()? }.held_elsewhere(endpoint, name)
    }

    /// The draft writer's report. `editor_clean`: the open editor has no
    /// edit newer than what was handed to the writer (then "saved" is shown).
    pub fn reported(&mut self, report: crate::drafts::Report, editor_clean: bool) {
        use crate::drafts::Report;
        match report {
            Report::Saved(path) => {
                self.failure = None;
                // A closed editor's draft is safe once its own file is written.
                let id = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                if self.unsaved_closed.as_ref().is_some_and(|d| Some(&d.id) == id.as_ref()) {
                    self.unsaved_closed = None;
                }
                if self.state == DraftState::Saving && editor_clean {
                    self.state = DraftState::Saved;
                }
            }
            Report::Removed(_) => {}
            Report::Failed(e) => {
                self.failure = Some(e.clone());
                self.state = DraftState::Failed(e);
            }
        }
    }

    /// Where a draft's request file is, as the status line shows it.
    pub fn path(&self, id: &str) -> String {
        match &self.dir {
            Some(dir) => Drafts { dir: dir.clone() }.request_path(id).display().to_string(),
            None => format!("{id}.json"),
        }
    }
}

/// A draft's profile name, or a note that it has none yet.
pub fn display_name(d: &Draft) -> String {
    if d.meta.name.is_empty() { "an unnamed profile".to_owned() } else { d.meta.name.clone() }
}
