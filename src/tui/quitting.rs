//! Quitting without losing an edit: Ctrl-Q / Ctrl-C quits at once unless the
//! newest edit is not on disk; then the quit prompt says why, and offers to
//! write the request to a file first.

use crossterm::event::KeyEvent;

use super::app::App;
use super::keymap::{self, Action, Context};
use super::message::Effect;
use super::overlays::Overlay;
use super::overlays::quit::QuitPrompt;

impl App {
    /// Ctrl-Q / Ctrl-C: quits, unless the newest edit is not on disk; then asks once.
    pub(super) fn ask_to_quit(&mut self, out: &mut Vec<Effect>) {
        match self.unsaved_reason() {
            Some(reason) if !matches!(self.overlay, Some(Overlay::Quit(_))) => {
                self.overlay = Some(Overlay::Quit(QuitPrompt { reason, written: None }));
            }
            // Asked already: the second Ctrl-Q means it.
            _ => {
                self.quit = true;
                out.push(Effect::Quit);
            }
        }
    }

    /// Why quitting now would lose an edit, if it would.
    fn unsaved_reason(&self) -> Option<String> {
        let editing = self.editor().is_some() || self.cx.unsaved_closed.is_some();
        if let Some(failure) = &self.cx.draft_failure
            && editing
        {
            return Some(failure.clone());
        }
        let edited = self.editor().is_some_and(|e| !e.untouched());
        (self.cx.drafts_dir.is_none() && edited)
            .then(|| "drafts are off: ddsp found no data directory to keep them in".to_owned())
    }

    pub(super) fn quit_prompt_key(&mut self, q: QuitPrompt, key: KeyEvent, out: &mut Vec<Effect>) {
        match keymap::lookup(&[Context::QuitPrompt], self.cx.vi, &key) {
            Some(Action::Back) => {}
            Some(Action::QuitAnyway) => {
                self.quit = true;
                out.push(Effect::Quit);
            }
            Some(Action::Write) => {
                if let Some((name, verb, json)) = self.unsaved_request() {
                    let name = if name.is_empty() { "unnamed".to_owned() } else { name };
                    out.push(Effect::Write { path: format!("{name}.{verb}.json"), json });
                }
                self.overlay = Some(Overlay::Quit(q));
            }
            _ => self.overlay = Some(Overlay::Quit(q)),
        }
    }

    /// The request at risk, as --cli-input-json takes it: the open editor's,
    /// else the closed editor's draft (name, verb, JSON).
    fn unsaved_request(&self) -> Option<(String, &'static str, String)> {
        if let Some(ed) = self.editor() {
            let submit = ed.request();
            return submit.cli_input_json().ok().map(|json| (submit.name().to_owned(), submit.verb(), json));
        }
        let draft = self.cx.unsaved_closed.as_ref()?;
        let verb = match draft.meta.operation {
            crate::drafts::Operation::UpdateSecurityProfile => "update",
            _ => "create",
        };
        Some((draft.meta.name.clone(), verb, crate::wire::skeleton::json_text(&draft.request)))
    }
}
