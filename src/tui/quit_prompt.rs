//! The question asked before quitting loses work: when the newest edit could
//! not be written as a draft (a full disk, a read-only data dir), Ctrl-Q and
//! Ctrl-C do not quit at once. The prompt says why, and offers to write the
//! request elsewhere (the current directory, as the confirm screen's `w`
//! does), to quit anyway, or to go back to the edits.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph, Wrap};

use super::action::{Effect, Submit};
use super::app::App;
use super::theme::Theme;
use crate::domain::untrusted::neutralise;

/// The open prompt: why the edits are not on disk, and what `w` last did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuitPrompt {
    pub reason: String,
    /// Where `w` wrote the request, or why it could not.
    pub written: Option<Result<String, String>>,
}

impl App {
    /// Why quitting now would lose an edit, if it would: the last draft could
    /// not be written (until a later one is), with an editor open or its draft
    /// kept; or drafts are off (no data directory) and the editor has edits.
    fn unsaved_reason(&self) -> Option<String> {
        let editing = self.editor.is_some() || self.unsaved_closed.is_some();
        if let Some(failure) = &self.draft_failure
            && editing
        {
            return Some(failure.clone());
        }
        let edited = self.editor.as_ref().is_some_and(|e| e.dirty) || self.pending_draft.is_some();
        (self.drafts_dir.is_none() && edited)
            .then(|| "drafts are off: ddsp found no data directory to keep them in".to_owned())
    }

    /// Ctrl-Q / Ctrl-C: quits, unless the newest edit is not on disk; then asks.
    pub(super) fn ask_to_quit(&mut self) -> Vec<Effect> {
        match self.unsaved_reason() {
            Some(reason) if self.quit_prompt.is_none() => {
                self.quit_prompt = Some(QuitPrompt { reason, written: None });
                Vec::new()
            }
            // Asked already: the second Ctrl-Q means it.
            _ => {
                self.quit = true;
                vec![Effect::Quit]
            }
        }
    }

    pub(super) fn quit_prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.quit_prompt = None,
            KeyCode::Char('q') if !ctrl => {
                self.quit = true;
                return vec![Effect::Quit];
            }
            KeyCode::Char('w') if !ctrl => {
                if let Some((name, op, json)) = self.unsaved_request() {
                    let name = if name.is_empty() { "unnamed".to_owned() } else { name };
                    return vec![Effect::Write { path: format!("{name}.{op}.json"), json }];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// The request at risk, as `--cli-input-json` takes it: the open editor's,
    /// else the closed editor's draft (name, operation, JSON).
    fn unsaved_request(&self) -> Option<(String, &'static str, String)> {
        if let Some(ed) = &self.editor {
            return Some(match ed.request() {
                Submit::Create(p) => {
                    (p.security_profile_name.clone(), "create", crate::wire::skeleton::json_text(&to_value(&p)))
                }
                Submit::Update { update, .. } => (
                    update.security_profile_name.clone(),
                    "update",
                    crate::wire::skeleton::json_text(&to_value(&update)),
                ),
            });
        }
        let draft = self.unsaved_closed.as_ref().or(self.pending_draft.as_ref())?;
        let op = match draft.meta.operation {
            crate::drafts::Operation::CreateSecurityProfile => "create",
            crate::drafts::Operation::UpdateSecurityProfile => "update",
        };
        Some((draft.meta.name.clone(), op, crate::wire::skeleton::json_text(&draft.request)))
    }

    /// The result of `w`, shown in the prompt when it is open.
    pub(super) fn quit_prompt_written(&mut self, result: &Result<String, String>) {
        if let Some(prompt) = self.quit_prompt.as_mut() {
            prompt.written = Some(result.clone());
        }
    }
}

fn to_value<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// Draws the prompt over the screen, its text wrapped to the width.
pub fn render(prompt: &QuitPrompt, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = super::view::centered(area, 72.min(area.width), 11.min(area.height));
    frame.render_widget(Clear, popup);
    let mut lines = vec![
        Line::from(Span::raw("Your newest edit is not saved as a draft:")),
        Line::from(Span::styled(neutralise(&prompt.reason).into_owned(), theme.error())),
        Line::from(Span::raw("Quitting now loses it.")),
    ];
    match &prompt.written {
        Some(Ok(path)) => lines.push(Line::from(Span::styled(
            format!("Wrote {} (use it with --cli-input-json file://…).", neutralise(path)),
            theme.dim(),
        ))),
        Some(Err(e)) => {
            lines.push(Line::from(Span::styled(format!("Could not write it: {}", neutralise(e)), theme.error())))
        }
        None => {}
    }
    lines.push(Line::from(Span::styled(
        "w write the request to the current directory · q quit anyway · Esc keep editing",
        theme.key(),
    )));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .padding(Padding::horizontal(1))
                .title(Span::styled(" Quit? ", theme.error())),
        ),
        popup,
    );
}
