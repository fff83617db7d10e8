//! The app's answers to what arrives from outside the keyboard: results of
//! effects (lists, opens, submits, deletes, thing groups, dimensions and
//! custom metrics), the draft writer's reports, notices and the setup's
//! connection. Results are matched by request id (see `flow.rs`).

use super::{App, Kind, Screen};
use crate::tui::message::{Effect, Event};
use crate::tui::overlays::Overlay;
use crate::tui::overlays::delete::DeletePrompt;
use crate::tui::screens::component::Component;
use crate::tui::screens::drafts::DraftsScreen;
use crate::tui::shared::DraftState;

impl App {
    pub(super) fn handle(&mut self, event: Event, out: &mut Vec<Effect>) {
        // An answer ends its wait; one nobody awaits any more (the user moved
        // on, or switched endpoints since) is dropped here, whoever it was for.
        if let Some(id) = event.request() {
            // A Describe answers one profile at a time: it stays awaited until a newer list replaces it.
            let current = match event {
                Event::Details { .. } => self.cx.requests.awaits(id),
                _ => self.cx.requests.finish(id),
            };
            if !current {
                return;
            }
        }
        match event {
            Event::Key(key) => self.on_key(key, out),
            Event::Paste(text) => self.on_paste(&text),
            Event::Mouse(m) => self.on_mouse(m, out),
            Event::Resize => {}
            Event::Tick => self.hand_off_draft(out, true),
            // Home keeps its list while other screens are shown.
            event @ (Event::Listed { .. } | Event::Details { .. }) => {
                self.home.on_result(event, &mut self.cx, out);
            }
            // Answers to what a screen asked for: that screen's.
            event @ (Event::TargetProfiles { .. }
            | Event::ChartData { .. }
            | Event::Edited { .. }
            | Event::Resources { .. }
            | Event::ResourceSaved { .. }
            | Event::ResourceDeleted { .. }
            | Event::ResourceUse { .. }
            | Event::Violations { .. }
            | Event::Verified { .. }) => self.deliver(event, out),
            event @ Event::Connected { .. } if self.kind() == Kind::Setup => self.deliver(event, out),
            Event::Connected { result, .. } => self.reconnected(result, out),
            Event::ThingGroups { result, .. } => self.thing_groups(result),
            Event::Known { result, .. } => self.known(result),
            Event::Opened { id, result } => self.opened(id, result, out),
            Event::Submitted { id, result } => self.submitted(id, result, out),
            Event::Server { id, result } => self.server(id, result),
            Event::Deleted { id, result } => self.deleted(id, result, out),
            Event::Written(result) => self.written(result),
            Event::Drafts(found) => {
                if found.is_empty() {
                    return;
                }
                self.cx.drafts = found;
                if matches!(self.screen, Screen::Home) {
                    self.screen = Screen::Drafts(DraftsScreen::default());
                }
            }
            Event::DraftReport(report) => self.draft_reported(report),
            Event::Notice(text) => self.cx.say(text),
        }
    }

    /// The endpoint's thing groups (for targets): kept, and shown by an open picker.
    fn thing_groups(&mut self, result: Result<Vec<(String, String)>, crate::client::ClientError>) {
        match result {
            Ok(groups) => {
                if let Some((_, arn)) = groups.first() {
                    self.cx.learn_account(arn);
                }
                self.cx.thing_groups = groups;
                if let Some(ed) = self.screen.editor_mut() {
                    ed.lists_changed(&self.cx);
                }
            }
            Err(e) => self.cx.say(format!("Thing groups could not be listed ({e}); targets offer all things only")),
        }
    }

    /// The endpoint's custom metrics and dimension names: the rules check against them from now on.
    fn known(
        &mut self,
        result: Result<(Vec<crate::domain::metrics::CustomMetric>, Vec<String>), crate::client::ClientError>,
    ) {
        match result {
            Ok((metrics, dimensions)) => {
                self.cx.known(metrics, dimensions);
                let ctx = self.cx.ctx.clone();
                if let Some(ed) = self.screen.editor_mut() {
                    ed.revalidate(&ctx);
                    ed.refresh(&ctx);
                    ed.lists_changed(&self.cx);
                }
            }
            Err(e) => self
                .cx
                .say(format!("Custom metrics and dimensions could not be loaded ({e}); they are checked offline")),
        }
    }

    /// Where a request file was written, or why not (the quit prompt shows it too).
    fn written(&mut self, result: Result<String, String>) {
        if let Some(Overlay::Quit(q)) = self.overlay.as_mut() {
            q.written = Some(result.clone());
        }
        match result {
            Ok(path) => {
                // The file's name first: it is what fits on the status line (Alt-M shows the rest).
                let name = std::path::Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned());
                let name = name.unwrap_or_else(|| path.clone());
                self.cx.say(format!("Wrote {name} (use it with --cli-input-json file://{path})"))
            }
            Err(e) => self.cx.say(format!("Could not write the request: {e}")),
        }
    }

    fn deliver(&mut self, event: Event, out: &mut Vec<Effect>) {
        if let Some(go) = self.screen.component_mut(&mut self.home).on_result(event, &mut self.cx, out) {
            self.go(go, out);
        }
    }

    /// The palette's :region / :profile / :sandbox: the same app on another endpoint.
    fn reconnected(&mut self, result: Result<String, String>, out: &mut Vec<Effect>) {
        match result {
            Ok(label) => {
                // Nothing asked of the old endpoint is awaited any more.
                self.cx.requests.clear();
                self.cx.say(format!("Connected to {label}"));
                self.cx.endpoint = label;
                self.cx.account = None;
                let region = self.cx.switching_region.take().or_else(|| self.cx.region().map(str::to_owned));
                self.cx.ctx = crate::domain::Context::default();
                self.cx.set_region(region);
                self.cx.thing_groups.clear();
                self.home.rows.clear();
                out.extend(self.start());
            }
            Err(e) => {
                self.cx.switching_region = None;
                self.cx.say(format!("Could not connect: {e}; still on {}", self.cx.endpoint));
            }
        }
    }

    pub(super) fn confirm_resource_delete(&mut self, kind: crate::tui::message::ResourceKind, name: String) {
        let mut prompt = DeletePrompt::new(name, None);
        prompt.what = crate::tui::overlays::delete::Deleting::Resource(kind);
        self.overlay = Some(Overlay::Delete(prompt));
    }

    fn draft_reported(&mut self, report: crate::drafts::Report) {
        use crate::drafts::Report;
        match report {
            Report::Saved(path) => {
                self.cx.draft_failure = None;
                // A closed editor's draft is safe once its own file is written.
                let id = path.file_stem().map(|s| s.to_string_lossy().into_owned());
                if self.cx.unsaved_closed.as_ref().is_some_and(|d| Some(&d.id) == id.as_ref()) {
                    self.cx.unsaved_closed = None;
                }
                if self.cx.draft_state == DraftState::Saving && self.editor().is_some_and(|e| !e.dirty) {
                    self.cx.draft_state = DraftState::Saved;
                }
            }
            Report::Removed(_) => {}
            Report::Failed(e) => {
                self.cx.draft_failure = Some(e.clone());
                self.cx.draft_state = DraftState::Failed(e);
            }
        }
    }
}
