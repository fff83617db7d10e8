//! The app's moves between screens that carry an edit: opening a profile
//! (resuming its draft when it has one), starting a new one, restoring a
//! draft, reviewing, and what the service's answers to a submit, a conflict
//! look-up and a delete do. Results are matched by request id: an answer
//! nobody awaits any more is dropped.

use std::sync::Arc;

use super::{App, Screen};
use crate::client::ClientError;
use crate::domain::profile::{SecurityProfile, Tag};
use crate::drafts::{Draft, Operation};
use crate::tui::drafting::{DraftState, display_name};
use crate::tui::message::{Applied, Effect, RequestId, ServerCopy};
use crate::tui::requests::Wait;
use crate::tui::screens::confirm::{ConfirmScreen, error_words};
use crate::tui::screens::conflict::{Choice, ConflictScreen};
use crate::tui::screens::editor::EditorScreen;
use crate::tui::screens::editor::send::Send;
use crate::tui::screens::result::ResultScreen;
use crate::tui::shared::Cause;
use crate::wire::response::SecurityProfileDescription;

impl App {
    /// The calls for what the open editor would send.
    pub fn calls(&self) -> Option<crate::tui::overlays::calls::Calls> {
        crate::tui::overlays::calls::Calls::of(self.editor()?, &self.cx)
    }

    /// Closes the editor; its unsent edits stay as a draft (handed to the writer now).
    pub(super) fn close_editor(&mut self, out: &mut Vec<Effect>) {
        let Some(mut ed) = self.screen.take_editor() else { return };
        // The server's copy read for this editor's draft is not another editor's.
        self.cx.requests.abandon_all(Wait::Refresh);
        if ed.untouched() {
            out.push(if ed.drafted {
                Effect::RemoveDraft(ed.draft_id.clone())
            } else {
                // Opened and left as it was: another ddsp may open it now.
                Effect::DisownDraft(ed.draft_id.clone())
            });
        } else {
            let snapshot = ed.snapshot(&self.cx);
            let draft = snapshot.draft();
            // Held back while typing, or not written last time: it goes to the writer now.
            if ed.dirty || self.cx.drafting.failure.is_some() {
                out.push(Effect::SaveDraft(Arc::new(snapshot)));
            }
            if self.cx.drafting.failure.is_some() {
                // The writer may fail again: the quit prompt can still write it elsewhere.
                self.cx.drafting.unsaved_closed = Some(draft.clone());
            }
            // Home marks it (an update) or lists it (a new profile); its undo history waits for it.
            self.cx.drafting.histories.insert(draft.id.clone(), std::mem::take(&mut ed.history));
            self.cx.drafting.keep(draft);
        }
        self.cx.drafting.state = DraftState::None;
    }

    pub(super) fn start_editor(
        &mut self,
        profile: SecurityProfile,
        base: Option<SecurityProfileDescription>,
        base_tags: Vec<Tag>,
        out: &mut Vec<Effect>,
    ) {
        self.close_editor(out);
        let id = crate::drafts::new_id(self.cx.now);
        let mut ed = EditorScreen::new(profile, base, base_tags, id, &self.cx.ctx);
        ed.taken = self.home.rows.iter().map(|r| r.name.clone()).collect();
        if ed.base.is_some() {
            // An existing profile is this editor's while it is open: another ddsp will not open it too.
            out.push(Effect::OwnDraft(self.cx.claim(&ed)));
        }
        ed.revalidate(&self.cx.ctx);
        self.screen = Screen::Editor(Box::new(ed));
    }

    /// A new profile with these contents (from the setup); a template is already an edit worth keeping.
    pub(super) fn start_from(
        &mut self,
        profile: SecurityProfile,
        from: &str,
        target: Option<crate::domain::targets::Target>,
        out: &mut Vec<Effect>,
    ) {
        self.start_editor(profile, None, Vec::new(), out);
        let ctx = self.cx.ctx.clone();
        if let Some(ed) = self.screen.editor_mut() {
            ed.targets = target.into_iter().collect();
            // A template is an edit worth keeping: measured from a blank profile.
            ed.from_blank();
            ed.revalidate(&ctx);
            ed.dirty = true;
            out.extend(ed.count_targets(&mut self.cx));
        }
        self.cx.say(format!("Started from {from}; review, then Ctrl-S to submit"));
    }

    /// Opens a draft in the editor, where it was left; the editor is now its live copy.
    fn restore_draft(&mut self, d: Draft, out: &mut Vec<Effect>) -> bool {
        let gone = self
            .cx
            .drafting
            .dir
            .clone()
            .is_some_and(|dir| dir.is_dir() && crate::drafts::Drafts { dir }.load(&d.id).is_err());
        if gone && !self.cx.drafting.histories.contains_key(&d.id) {
            // Listed at start, sent or discarded since by another ddsp: it is spent.
            self.cx.drafting.forget(&d.id);
            self.cx.say(format!(
                "The draft of {} is gone from the drafts folder (sent or discarded by another ddsp since); nothing to restore",
                display_name(&d)
            ));
            return false;
        }
        if let Some(pid) = self.cx.drafting.held_elsewhere(&d.id) {
            // Restored there since this editor started: two editors on one draft lose one's edits.
            self.cx.say(format!(
                "The draft of {} is open in another ddsp (process {pid}): finish there, or quit it and restore it here",
                display_name(&d)
            ));
            return false;
        }
        let profile = match d.profile() {
            Ok(p) => p,
            Err(e) => {
                self.cx.say(format!("The draft cannot be read ({e}); its file is {}", self.cx.drafting.path(&d.id)));
                return false;
            }
        };
        self.close_editor(out);
        let history = self.cx.drafting.histories.remove(&d.id);
        self.cx.drafting.forget(&d.id);
        if let Some(h) = history {
            self.cx.drafting.histories.insert(d.id.clone(), h);
        }
        let history = self.cx.drafting.histories.remove(&d.id);
        let mut ed = EditorScreen::of_draft(&d, profile, history, &self.cx.ctx);
        ed.taken = self.home.rows.iter().map(|r| r.name.clone()).collect();
        if ed.base.is_some() && d.meta.endpoint == self.cx.endpoint && self.home.lost(ed.name()) {
            // Deleted on the server since: only a create can send it now.
            ed.as_new_profile(ed.taken.clone(), &self.cx.ctx);
        } else if ed.base.is_some() {
            // Home's list knows the server's version: a newer one is said, as on a reopen from Home.
            let now = self.home.rows.iter().find(|r| r.name == ed.name()).and_then(|r| r.version);
            ed.server_version = now.filter(|v| d.meta.base_version.is_some_and(|b| *v > b));
        }
        ed.revalidate(&self.cx.ctx);
        ed.drafted = true;
        // This editor's from now on, even before it is written again.
        out.push(Effect::OwnDraft(self.cx.claim(&ed)));
        out.extend(ed.count_targets(&mut self.cx));
        self.screen = Screen::Editor(Box::new(ed));
        self.cx.drafting.state = DraftState::Saved;
        true
    }

    /// The drafts screen's choice.
    pub(super) fn restore_offered(&mut self, i: usize, out: &mut Vec<Effect>) {
        let Some(d) = self.cx.drafting.unsent.get(i).cloned() else { return };
        if !d.meta.operation.is_profile() {
            // A dimension or custom metric left half made: its form, on the Resources screen.
            let screen = crate::tui::screens::resources::ResourcesScreen::of_draft(&d, &self.cx.ctx);
            let what = screen.form.as_ref().map_or("dimension", |f| f.kind.label());
            self.cx.drafting.forget(&d.id);
            self.close_editor(out);
            self.screen = Screen::Resources(Box::new(screen));
            out.push(self.cx.load_resources());
            self.cx.say(format!("Restored the draft of the {what} {}", display_name(&d)));
            return;
        }
        if self.restore_draft(d.clone(), out) {
            let made = if d.meta.endpoint == self.cx.endpoint {
                String::new()
            } else {
                format!(" (made against {})", d.meta.endpoint)
            };
            let remade = d.meta.operation == Operation::UpdateSecurityProfile
                && self.screen.editor().is_some_and(|ed| ed.base.is_none());
            // An update's tags and targets are not versioned: read what the server has now.
            let here = d.meta.endpoint == self.cx.endpoint && self.cx.connected;
            if d.meta.operation == Operation::UpdateSecurityProfile && !remade && here {
                let id = self.cx.requests.replace(Wait::Refresh, None);
                out.push(Effect::FetchServer { id, name: d.meta.name.clone() });
            }
            self.cx.say(if remade {
                format!(
                    "{} was deleted on the server: its draft is now a new profile, and Ctrl-S reviews it as CreateSecurityProfile",
                    display_name(&d)
                )
            } else if let Some(now) = self.screen.editor().and_then(|ed| ed.server_version) {
                format!(
                    "Restored the draft of {}{made}, made on version {}; the server is now at version {now}: submitting shows what changed there",
                    display_name(&d),
                    d.meta.base_version.unwrap_or_default()
                )
            } else {
                format!("Restored the draft of {}{made}", display_name(&d))
            });
        }
    }

    /// DescribeSecurityProfile answered for the profile being opened.
    pub(super) fn opened(
        &mut self,
        result: Result<(SecurityProfileDescription, Vec<Tag>, Vec<String>), ClientError>,
        out: &mut Vec<Effect>,
    ) {
        // Home was left since: the answer is not wanted (the router dropped one that was replaced).
        if !matches!(self.screen, Screen::Home) {
            return;
        }
        let (d, tags, target_arns) = match result {
            Ok(found) => found,
            Err(e) => return self.cx.say(e.to_string()),
        };
        if let Some(arn) = &d.security_profile_arn {
            self.cx.learn_account(arn);
        }
        let attached: Vec<crate::domain::targets::Target> =
            target_arns.iter().filter_map(|a| crate::domain::targets::Target::of_arn(a)).collect();
        let name = d.security_profile_name.clone().unwrap_or_default();
        if let Some(pid) = self.cx.drafting.profile_held_elsewhere(&name, &self.cx.endpoint) {
            // Two editors on one profile make two drafts, and sending one would leave the other stale.
            return self.cx.say(format!(
                "{name} is open in another ddsp (process {pid}): finish there (or leave it there), then open it here"
            ));
        }
        if let Some(draft) = self.cx.drafting.of_profile(&name, &self.cx.endpoint).cloned() {
            // One draft per profile: reopening resumes it (an unreadable one opens the server's copy).
            let was = draft.meta.base_version;
            let path = self.cx.drafting.path(&draft.id);
            if self.restore_draft(draft, out) {
                // What is attached is what the server says now, whatever the draft remembers.
                let ctx = self.cx.ctx.clone();
                if let Some(ed) = self.screen.editor_mut() {
                    // Tags and targets are not versioned: the edit's changes go on top of what the server has now.
                    ed.rebase(tags.clone(), attached.clone(), &ctx);
                    ed.server_version = d.version.filter(|_| was != d.version);
                }
                let v = |x: Option<i64>| x.map_or_else(|| "?".to_owned(), |v| v.to_string());
                let text = if was == d.version {
                    format!("Resumed your unsent draft of {name}")
                } else {
                    format!(
                        "Resumed your unsent draft of {name}, made on version {}; the server is now at version {}: submitting shows what changed there",
                        v(was),
                        v(d.version)
                    )
                };
                self.cx.say(text);
                return;
            }
            let why = std::mem::take(&mut self.cx.status.text);
            let profile = crate::wire::change::profile_of(&d, &tags);
            self.start_editor(profile, Some(d), tags, out);
            let ctx = self.cx.ctx.clone();
            if let Some(ed) = self.screen.editor_mut() {
                ed.attached(attached, &ctx);
            }
            self.cx.say(format!("{why}; this is the server's copy, and the draft stays at {path}"));
            return;
        }
        let profile = crate::wire::change::profile_of(&d, &tags);
        self.start_editor(profile, Some(d), tags, out);
        let ctx = self.cx.ctx.clone();
        if let Some(ed) = self.screen.editor_mut() {
            ed.attached(attached, &ctx);
        }
    }

    /// Ctrl-S in the editor: the confirm screen, unless errors block it.
    pub(super) fn review(&mut self, out: &mut Vec<Effect>) {
        let Screen::Editor(ed) = &mut self.screen else { return };
        let errors = ed.errors();
        if errors > 0 {
            self.cx.say_because(
                format!(
                    "{} submission · F2 lists them, Enter jumps to one",
                    if errors == 1 { "1 error blocks".to_owned() } else { format!("{errors} errors block") }
                ),
                Cause::Blocked,
            );
            ed.pane.focused = true;
            ed.pane.selected = 0;
            return;
        }
        let Some(ed) = self.screen.take_editor() else { return };
        match ConfirmScreen::new(ed) {
            Ok(mut c) => {
                out.extend(c.count_alerts(&mut self.cx));
                self.screen = Screen::Confirm(Box::new(c));
            }
            Err((ed, why)) => {
                self.screen = Screen::Editor(ed);
                self.cx.say(why);
            }
        }
    }

    /// The answer to a submit: the result screen, the conflict look-up, or the error on the confirm screen.
    pub(super) fn submitted(&mut self, id: RequestId, result: Result<Applied, ClientError>, out: &mut Vec<Effect>) {
        let awaited = self.screen.editor().is_some_and(|e| e.send.sending(id));
        if !awaited {
            return;
        }
        let done = match result {
            Ok(done) => done,
            Err(e) => return self.submit_failed(e, out),
        };
        let version = done.description.version;
        let Some(ed) = self.screen.editor_mut() else { return };
        ed.landed(&done, &mut self.cx, out);
        out.push(self.home.refresh(&mut self.cx));
        if let Screen::Confirm(c) = &self.screen
            && !c.sent
        {
            // This review was made after the request went: it is rebuilt on the new version.
            self.go(crate::tui::screens::Go::Editor, out);
            self.review(out);
            return;
        }
        if matches!(self.screen, Screen::Confirm(_))
            && let Some(editor) = self.screen.take_editor()
        {
            self.screen = Screen::Result(Box::new(ResultScreen {
                editor,
                name: done.name,
                arn: done.arn,
                version,
                created: done.description.creation_date,
                modified: done.description.last_modified_date,
                calls: done.calls,
            }));
        }
    }

    fn submit_failed(&mut self, error: ClientError, out: &mut Vec<Effect>) {
        let Some(name) = self.screen.editor().map(|ed| ed.name().to_owned()) else { return };
        let taken: Vec<String> = self.home.rows.iter().filter(|r| r.name != name).map(|r| r.name.clone()).collect();
        let Some(ed) = self.screen.editor_mut() else { return };
        if ed.refused(error.clone(), taken, &mut self.cx, out) {
            out.push(self.home.refresh(&mut self.cx));
            return self.go(crate::tui::screens::Go::Editor, out);
        }
        // The confirm screen shows the error itself, wrapped (from `send`).
        if !matches!(self.screen, Screen::Confirm(_)) {
            self.cx.say(error_words(&error));
        }
    }

    /// The server's copy after a version conflict: the conflict screen.
    pub(super) fn server(&mut self, id: RequestId, result: Result<ServerCopy, ClientError>) {
        let Some(ed) = self.screen.editor_mut() else { return };
        if !ed.send.fetching(id) {
            return;
        }
        let Send::Fetching { after, .. } = std::mem::take(&mut ed.send) else { return };
        let server = match result {
            Ok(s) => s,
            Err(e) => {
                // The conflict is still the news on the confirm screen.
                ed.send = Send::Failed(after);
                return self.cx.say(format!("Could not fetch the server's version: {e}"));
            }
        };
        if !matches!(self.screen, Screen::Confirm(_)) {
            let v = server.0.version.unwrap_or(0);
            return self
                .cx
                .say(format!("The profile changed on the server (now version {v}); Ctrl-S shows what changed"));
        }
        let Some(editor) = self.screen.take_editor() else { return };
        match ConflictScreen::new(editor, server) {
            Ok(c) => self.screen = Screen::Conflict(Box::new(c)),
            Err((editor, why)) => {
                self.screen = Screen::Editor(editor);
                self.cx.say(why);
            }
        }
    }

    /// The conflict screen's choice: back to the editor, reviewed again when it overwrites.
    pub(super) fn conflict_choice(&mut self, choice: Choice, out: &mut Vec<Effect>) {
        let Screen::Conflict(c) = std::mem::replace(&mut self.screen, Screen::Home) else { return };
        let (editor, review) = c.choose(choice, &mut self.cx);
        self.screen = Screen::Editor(editor);
        if review {
            self.review(out);
        }
    }

    /// The answer to a delete.
    pub(super) fn deleted(&mut self, result: Result<String, ClientError>, out: &mut Vec<Effect>) {
        let name = match result {
            Ok(name) => name,
            Err(e) => return self.cx.say(error_words(&e)),
        };
        if self.screen.editor().is_some_and(|e| e.name() == name && e.base.is_some()) {
            if let Some(ed) = self.screen.take_editor()
                && ed.drafted
            {
                out.push(Effect::RemoveDraft(ed.draft_id.clone()));
            }
            self.cx.drafting.state = DraftState::None;
            self.screen = Screen::Home;
        }
        // A draft of a deleted profile cannot be sent as an update any more.
        while let Some(d) = self.cx.drafting.of_profile(&name, &self.cx.endpoint).cloned() {
            self.cx.drafting.forget(&d.id);
            out.push(Effect::RemoveDraft(d.id));
        }
        self.cx.say(format!("Deleted {name}"));
        out.push(self.home.refresh(&mut self.cx));
    }
}
