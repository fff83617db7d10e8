//! The question asked before quitting loses work: when the newest edit could
//! not be written as a draft (a full disk, a read-only data dir), or drafts
//! are off, Ctrl-Q and Ctrl-C do not quit at once. The prompt says why, and
//! offers to write the request elsewhere (the current directory, as the
//! confirm screen's `w` does), to quit anyway, or to go back to the edits.

use crossterm::event::KeyEvent;

use crate::tui::drafting::Drafting;
use crate::tui::message::Effect;
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, keys_only, no_results};
use crate::tui::screens::editor::EditorScreen;
use crate::tui::shared::Shared;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Padding, Paragraph, Wrap};

use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, safe};

/// The open prompt: why the edits are not on disk, and what `w` last did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuitPrompt {
    pub reason: String,
    /// Where `w` wrote the request, or why it could not.
    pub written: Option<Result<String, String>>,
    /// The request at risk, as --cli-input-json takes it: the file name `w` writes, and its JSON.
    pub request: Option<(String, String)>,
}

impl QuitPrompt {
    /// The prompt, when quitting now would lose an edit: the newest edit of
    /// the open `editor` (or of one closed since) was not written as a
    /// draft, or drafts are off and the editor holds an edit. None: nothing at risk.
    pub fn at_risk(editor: Option<&EditorScreen>, drafting: &Drafting) -> Option<QuitPrompt> {
        let editing = editor.is_some() || drafting.unsaved_closed.is_some();
        let reason = match &drafting.failure {
            Some(failure) if editing => failure.clone(),
            _ if drafting.dir.is_none() && editor.is_some_and(|e| !e.untouched()) => {
                "drafts are off: ddsp found no data directory to keep them in".to_owned()
            }
            _ => return None,
        };
        Some(QuitPrompt { reason, written: None, request: request_at_risk(editor, drafting) })
    }
}

/// The request at risk, as --cli-input-json takes it: the open editor's,
/// else the closed editor's draft (the file name to write, and the JSON).
fn request_at_risk(editor: Option<&EditorScreen>, drafting: &Drafting) -> Option<(String, String)> {
    let (name, verb, json) = if let Some(ed) = editor {
        let submit = ed.request();
        (submit.name().to_owned(), submit.verb(), submit.cli_input_json().ok()?)
    } else {
        let draft = drafting.unsaved_closed.as_ref()?;
        let verb = match draft.meta.operation {
            crate::drafts::Operation::UpdateSecurityProfile => "update",
            _ => "create",
        };
        (draft.meta.name.clone(), verb, crate::wire::skeleton::json_text(&draft.request))
    };
    let name = if name.is_empty() { "unnamed".to_owned() } else { name };
    Some((format!("{name}.{verb}.json"), json))
}

impl Component for QuitPrompt {
    fn keys(&self) -> Vec<Context> {
        vec![Context::QuitPrompt]
    }

    keys_only!();

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Back => Some(Go::Close),
            Action::QuitAnyway => Some(Go::Exit),
            Action::Write => {
                if let Some((path, json)) = &self.request {
                    out.push(Effect::Write { path: path.clone(), json: json.clone() });
                }
                None
            }
            _ => None,
        }
    }

    no_results!();

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
    }
}

/// Draws the prompt over the screen, its text wrapped to the width.
pub fn render(prompt: &QuitPrompt, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, 72.min(area.width), 11.min(area.height));
    crate::tui::widgets::text::clear_around(frame, popup, area);
    let mut lines = vec![
        Line::from(Span::raw("Your newest edit is not saved as a draft:")),
        Line::from(Span::styled(safe(&prompt.reason), theme.error())),
        Line::from(Span::raw("Quitting now loses it.")),
    ];
    match &prompt.written {
        Some(Ok(path)) => lines.push(Line::from(Span::styled(
            format!("Wrote {} (use it with --cli-input-json file://…).", safe(path)),
            theme.dim(),
        ))),
        Some(Err(e)) => lines.push(Line::from(Span::styled(format!("Could not write it: {}", safe(e)), theme.error()))),
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
