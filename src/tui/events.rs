//! The app's answers to what arrives from outside the keyboard: results of
//! effects (lists, opens, submits, deletes, thing groups, dimensions and
//! custom metrics), the draft writer's reports, notices and the setup's
//! connection. Results are matched by request id (see `flow.rs`).

use super::app::{App, Screen};
use super::message::{Effect, Event, RequestId};
use super::overlays::Overlay;
use super::overlays::delete::DeletePrompt;
use super::screens::drafts::DraftsScreen;
use super::shared::DraftState;

impl App {
    pub(super) fn handle(&mut self, event: Event, out: &mut Vec<Effect>) {
        // An answer ends its wait, whether or not anyone still awaits it (a wait
        // abandoned with Esc would otherwise keep "…" on the status line).
        if matches!(
            event,
            Event::ResourceSaved { .. }
                | Event::ResourceDeleted { .. }
                | Event::ResourceUse { .. }
                | Event::Opened { .. }
        ) {
            self.cx.busy = None;
        }
        match event {
            Event::Key(key) => self.on_key(key, out),
            Event::Paste(text) => self.on_paste(&text),
            Event::Mouse(m) => self.on_mouse(m, out),
            Event::Resize => {}
            Event::Tick => self.hand_off_draft(out, true),
            Event::Listed { id, result } => {
                if let Ok(ids) = &result
                    && let Some(first) = ids.first()
                {
                    self.cx.learn_account(&first.arn);
                }
                out.extend(self.home.listed(id, result));
            }
            Event::ThingGroups(Ok(groups)) => {
                if let Some((_, arn)) = groups.first() {
                    self.cx.learn_account(arn);
                }
                self.cx.thing_groups = groups;
            }
            Event::ThingGroups(Err(e)) => {
                self.cx.say(format!("Thing groups could not be listed ({e}); targets offer all things only"))
            }
            Event::TargetProfiles { arn, result } => {
                if let (Ok(names), Some(t)) = (result, crate::domain::targets::Target::of_arn(&arn)) {
                    let ctx = self.cx.ctx.clone();
                    if let Some(ed) = self.screen.editor_mut() {
                        let others = names.iter().filter(|n| **n != ed.profile.security_profile_name).count();
                        ed.target_use.insert(t, others);
                        ed.revalidate(&ctx);
                    }
                }
            }
            Event::Details(d) => self.home.details(d),
            Event::Known(Ok((metrics, dimensions))) => {
                self.cx.known(metrics, dimensions);
                let ctx = self.cx.ctx.clone();
                if let Some(ed) = self.screen.editor_mut() {
                    ed.revalidate(&ctx);
                    ed.refresh(&ctx);
                }
            }
            Event::Known(Err(e)) => self
                .cx
                .say(format!("Custom metrics and dimensions could not be loaded ({e}); they are checked offline")),
            Event::Opened { id, result } => self.opened(id, result, out),
            Event::Submitted { id, result } => self.submitted(id, result, out),
            Event::Server { id, result } => self.server(id, result),
            Event::Deleted { id, result } => self.deleted(id, result, out),
            Event::Written(result) => {
                if let Some(Overlay::Quit(q)) = self.overlay.as_mut() {
                    q.written = Some(result.clone());
                }
                match result {
                    Ok(path) => self.cx.say(format!("Wrote {path} (use it with --cli-input-json file://{path})")),
                    Err(e) => self.cx.say(format!("Could not write the request: {e}")),
                }
            }
            Event::Resources(result) => {
                if let Screen::Resources(r) = &mut self.screen {
                    r.loaded(result);
                }
            }
            Event::ResourceSaved { id, result } => self.resource_saved(id, result, out),
            Event::ChartData { id, result } => {
                if let Some(ed) = self.screen.editor_mut() {
                    ed.chart_loaded(id, result.map_err(|e| e.to_string()));
                }
            }
            Event::Violations { id, result } => {
                if let Screen::Violations(v) = &mut self.screen {
                    v.loaded(id, result);
                }
            }
            Event::Verified { id, result } => {
                if let Screen::Violations(v) = &mut self.screen {
                    v.verified(id, result, &mut self.cx, out);
                } else {
                    self.cx.busy = None;
                }
            }
            Event::ResourceDeleted { id, result } => {
                if let Screen::Resources(r) = &mut self.screen
                    && r.deleting == Some(id)
                {
                    r.deleting = None;
                    self.cx.busy = None;
                    match result {
                        Ok(name) => {
                            self.cx.say(format!("Deleted {name}"));
                            r.list = None;
                            out.push(Effect::LoadResources);
                            out.push(Effect::LoadKnown);
                        }
                        Err(e) => self.cx.say(super::screens::confirm::error_words(&e)),
                    }
                }
            }
            Event::ResourceUse { kind, name, result } => {
                if let Screen::Resources(r) = &mut self.screen
                    && let Some(go) = r.used_by(kind, name, result, &mut self.cx)
                {
                    self.go(go, out);
                }
            }
            Event::Edited { edit, result } => {
                let Some(ed) = self.screen.editor_mut() else { return };
                match result {
                    Ok(text) => {
                        ed.pending_external = ed.external_done(&edit, &text, &mut self.cx).map(|t| (edit.scope, t));
                    }
                    Err(e) => self.cx.say(format!("The editor could not run: {e}")),
                }
            }
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
            Event::Connected(result) => {
                if let Screen::Setup(s) = &mut self.screen {
                    let home = vec![self.home.refresh(&mut self.cx), Effect::LoadKnown, Effect::LoadThingGroups];
                    out.extend(s.connected(result, &mut self.cx, home));
                    return;
                }
                // The palette's :region / :profile: the same editor on another endpoint.
                self.cx.busy = None;
                match result {
                    Ok(label) => {
                        self.cx.say(format!("Connected to {label}"));
                        self.cx.endpoint = label;
                        self.cx.account = None;
                        let region = self.cx.switching_region.take().or_else(|| self.cx.region.clone());
                        self.cx.ctx = crate::domain::Context::default();
                        self.cx.set_region(region);
                        self.cx.thing_groups.clear();
                        self.home.rows.clear();
                        out.push(self.home.refresh(&mut self.cx));
                        out.push(Effect::LoadKnown);
                        out.push(Effect::LoadThingGroups);
                    }
                    Err(e) => {
                        self.cx.switching_region = None;
                        self.cx.say(format!("Could not connect: {e}; still on {}", self.cx.endpoint));
                    }
                }
            }
        }
    }

    pub(super) fn confirm_resource_delete(&mut self, kind: super::message::ResourceKind, name: String) {
        let mut prompt = DeletePrompt::new(name, None);
        prompt.what = super::overlays::delete::Deleting::Resource(kind);
        self.overlay = Some(Overlay::Delete(prompt));
    }

    /// A dimension or custom metric saved: the Resources screen's form, or the editor's in-place one.
    fn resource_saved(
        &mut self,
        id: RequestId,
        result: Result<String, crate::client::ClientError>,
        out: &mut Vec<Effect>,
    ) {
        match &mut self.screen {
            Screen::Resources(r) => r.saved(id, result, &mut self.cx, out),
            Screen::Editor(ed) => ed.resource_saved(id, result, &mut self.cx, out),
            _ => {}
        }
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
