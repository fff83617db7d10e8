//! Drafts in the editor: the snapshot of the edit handed to the draft writer
//! after every change, and the screen that offers unsent drafts back at start.
//! Pure, like the rest of `App`: the files are written by `crate::drafts`.

use crossterm::event::{KeyCode, KeyEvent};

use super::action::{Effect, Submit};
use super::app::{App, DraftState, Editor, Screen};
use super::form::{FieldId, Section};
use crate::drafts::{Cursor, Draft, Meta, Operation, RawText, Report};

impl Editor {
    /// The edit as a draft: the request it would send, and the rest.
    pub fn draft(&self, endpoint: &str, now: f64) -> Draft {
        let (operation, request, tags) = match self.request() {
            Submit::Create(p) => (Operation::CreateSecurityProfile, serde_json::to_value(p), None),
            Submit::Update { update, .. } => {
                (Operation::UpdateSecurityProfile, serde_json::to_value(update), self.profile.tags.clone())
            }
        };
        let raw = self
            .raw
            .iter()
            .map(|((behavior, id), text)| RawText {
                behavior: *behavior,
                field: serde_json::to_value(id).unwrap_or_default(),
                text: text.clone(),
            })
            .collect();
        Draft {
            id: self.draft_id.clone(),
            request: request.unwrap_or_default(),
            meta: Meta {
                operation,
                endpoint: endpoint.to_owned(),
                name: self.profile.security_profile_name.clone(),
                base_version: self.base.as_ref().and_then(|b| b.version),
                base: self.base.clone(),
                base_tags: self.base_tags.clone(),
                tags,
                cursor: Cursor { section: self.section.short().to_owned(), behavior: self.open, row: self.focus },
                raw,
                saved: now,
            },
        }
    }
}

impl App {
    /// The draft to save now, if the edit changed since the last one.
    pub fn take_draft(&mut self) -> Option<Draft> {
        if let Some(d) = self.pending_draft.take() {
            return Some(d);
        }
        let ed = self.editor.as_mut()?;
        if !ed.dirty {
            return None;
        }
        ed.dirty = false;
        Some(ed.draft(&self.endpoint, self.now))
    }

    /// Closes the editor; unsaved edits go to the writer as a pending draft.
    pub(super) fn close_editor(&mut self) {
        if let Some(ed) = self.editor.take()
            && (ed.dirty || self.draft_failure.is_some())
        {
            let draft = ed.draft(&self.endpoint, self.now);
            if self.draft_failure.is_some() {
                // The writer may fail again: the quit prompt can still write it elsewhere.
                self.unsaved_closed = Some(draft.clone());
            }
            self.pending_draft = Some(draft);
        }
    }

    /// Offers drafts from an earlier run (none: nothing changes).
    pub(super) fn offer(&mut self, drafts: Vec<Draft>) {
        if drafts.is_empty() {
            return;
        }
        self.offered = drafts;
        self.offered_selected = 0;
        if matches!(self.screen, Screen::Home) {
            self.screen = Screen::Drafts;
        }
    }

    pub(super) fn draft_reported(&mut self, report: Report) {
        match report {
            Report::Saved(_) => {
                self.draft_failure = None;
                self.unsaved_closed = None;
                if self.draft_state == DraftState::Saving && self.editor.as_ref().is_some_and(|e| !e.dirty) {
                    self.draft_state = DraftState::Saved;
                }
            }
            Report::Removed(_) => {}
            Report::Failed(e) => {
                self.draft_failure = Some(e.clone());
                self.draft_state = DraftState::Failed(e);
            }
        }
    }

    pub(super) fn drafts_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let n = self.offered.len();
        let vi = self.vi;
        match key.code {
            KeyCode::Up => self.offered_selected = self.offered_selected.saturating_sub(1),
            KeyCode::Char('k') if vi => self.offered_selected = self.offered_selected.saturating_sub(1),
            KeyCode::Down => self.offered_selected = (self.offered_selected + 1).min(n.saturating_sub(1)),
            KeyCode::Char('j') if vi => self.offered_selected = (self.offered_selected + 1).min(n.saturating_sub(1)),
            KeyCode::Enter | KeyCode::Char('r') => self.restore(),
            KeyCode::Char('d') | KeyCode::Delete if self.offered_selected < n => {
                let d = self.offered.remove(self.offered_selected);
                self.offered_selected = self.offered_selected.min(self.offered.len().saturating_sub(1));
                self.message = format!("Discarded the draft of {}", display_name(&d));
                if self.offered.is_empty() {
                    self.screen = Screen::Home;
                }
                return vec![Effect::RemoveDraft(d.id)];
            }
            KeyCode::Char('o') => {
                if let Some(d) = self.offered.get(self.offered_selected) {
                    self.message = format!(
                        "ddsp {} --cli-input-json file://{}",
                        d.meta.operation.command(),
                        self.draft_path(&d.id)
                    );
                }
            }
            KeyCode::Esc => {
                self.screen = Screen::Home;
                self.message = "Drafts kept; they are offered again on the next start".into();
            }
            _ => {}
        }
        Vec::new()
    }

    /// Where a draft's request file is, as the status line shows it.
    pub fn draft_path(&self, id: &str) -> String {
        match &self.drafts_dir {
            Some(dir) => crate::drafts::Drafts { dir: dir.clone() }.request_path(id).display().to_string(),
            None => format!("{id}.json"),
        }
    }

    /// Opens the selected draft in the editor, where it was left.
    fn restore(&mut self) {
        let Some(d) = self.offered.get(self.offered_selected).cloned() else { return };
        let profile = match d.profile() {
            Ok(p) => p,
            Err(e) => {
                self.message = format!("The draft cannot be read ({e}); its file is {}", self.draft_path(&d.id));
                return;
            }
        };
        let base = d.meta.base.clone().filter(|_| d.meta.operation == Operation::UpdateSecurityProfile);
        self.start_editor(profile, base, d.meta.base_tags.clone());
        let section =
            Section::ALL.iter().copied().find(|s| s.short() == d.meta.cursor.section).unwrap_or(Section::Overview);
        if let Some(ed) = self.editor.as_mut() {
            ed.draft_id = d.id.clone();
            for r in &d.meta.raw {
                if let Ok(id) = serde_json::from_value::<FieldId>(r.field.clone()) {
                    ed.raw.insert((r.behavior, id), r.text.clone());
                }
            }
            ed.section = section;
            ed.open = d.meta.cursor.behavior.filter(|i| ed.profile.behaviors.as_ref().is_some_and(|b| *i < b.len()));
            ed.focus = d.meta.cursor.row;
        }
        self.revalidate();
        self.refocus();
        self.offered.remove(self.offered_selected);
        self.offered_selected = 0;
        self.draft_state = DraftState::Saved;
        self.message = if d.meta.endpoint == self.endpoint {
            format!("Restored the draft of {}", display_name(&d))
        } else {
            format!("Restored the draft of {} (made against {})", display_name(&d), d.meta.endpoint)
        };
    }
}

/// A draft's profile name, or a note that it has none yet.
pub fn display_name(d: &Draft) -> String {
    if d.meta.name.is_empty() { "an unnamed profile".to_owned() } else { d.meta.name.clone() }
}
