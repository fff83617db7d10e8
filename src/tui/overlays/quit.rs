//! The question asked before quitting loses work: when the newest edit could
//! not be written as a draft (a full disk, a read-only data dir), or drafts
//! are off, Ctrl-Q and Ctrl-C do not quit at once. The prompt says why, and
//! offers to write the request elsewhere (the current directory, as the
//! confirm screen's `w` does), to quit anyway, or to go back to the edits.

use crossterm::event::KeyEvent;

use crate::tui::message::Effect;
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, keys_only, no_results};
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
