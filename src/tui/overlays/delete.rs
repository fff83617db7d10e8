//! Delete asks for the profile's name, typed; Enter deletes once it matches
//! and says so when it does not. The delete expects the version shown.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, safe};

/// What is being deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleting {
    Profile,
    Resource(crate::tui::screens::resource_form::ResourceKind),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletePrompt {
    pub what: Deleting,
    pub name: String,
    pub version: Option<i64>,
    pub typed: String,
    /// Enter was pressed with a name that does not match.
    pub mismatch: bool,
    /// The profile has an unsent draft (✎), which the delete removes too.
    pub draft: bool,
}

/// What a key in the prompt asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Typing,
    Cancel,
    Delete,
}

impl DeletePrompt {
    pub fn new(name: String, version: Option<i64>) -> DeletePrompt {
        DeletePrompt { what: Deleting::Profile, name, version, typed: String::new(), mismatch: false, draft: false }
    }

    pub fn on_key(&mut self, key: KeyEvent, vi: bool) -> Answer {
        if key.code == KeyCode::Char('u') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.typed.clear();
            self.mismatch = false;
            return Answer::Typing;
        }
        match key.code {
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                self.typed.push(c);
                self.mismatch = false;
                return Answer::Typing;
            }
            KeyCode::Backspace => {
                self.typed.pop();
                self.mismatch = false;
                return Answer::Typing;
            }
            _ => {}
        }
        match keymap::lookup(&[Context::DeletePrompt], vi, &key) {
            Some(Action::Back) => Answer::Cancel,
            Some(Action::Select) if self.typed == self.name => Answer::Delete,
            Some(Action::Select) => {
                self.mismatch = true;
                Answer::Typing
            }
            _ => Answer::Typing,
        }
    }

    /// Pasted text is typed (without newlines).
    pub fn paste(&mut self, text: &str) {
        self.typed.extend(text.chars().filter(|c| !c.is_control()));
        self.mismatch = false;
    }
}

pub fn render(d: &DeletePrompt, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, 64.min(area.width), 8 + u16::from(d.draft));
    frame.render_widget(Clear, popup);
    let ready = d.typed == d.name;
    let mut lines = vec![
        Line::from(Span::raw(format!(
            " Delete {}{}{}?",
            match d.what {
                Deleting::Profile => String::new(),
                Deleting::Resource(k) => format!("the {} ", k.label()),
            },
            safe(&d.name),
            d.version.map_or_else(String::new, |v| format!(" (version {v})"))
        ))),
        Line::from(Span::styled(
            match d.what {
                Deleting::Profile => " This cannot be undone. Type the profile's name:",
                Deleting::Resource(_) => " This cannot be undone. Type its name:",
            },
            theme.dim(),
        )),
        Line::from(vec![
            Span::raw(" > "),
            Span::styled(safe(&d.typed), if ready { theme.error() } else { Style::default() }),
        ]),
    ];
    if d.draft {
        lines.insert(2, Line::from(Span::styled(" Its unsent draft (✎) is discarded with it.", theme.warning())));
    }
    if d.mismatch {
        lines.push(Line::from(Span::styled(
            format!(" That does not match {}; nothing was deleted.", safe(&d.name)),
            theme.warning(),
        )));
    }
    lines.push(Line::from(Span::styled(
        if ready { " Enter deletes · Esc cancels" } else { " Esc cancels" },
        theme.key(),
    )));
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Delete ", theme.error()))),
        popup,
    );
}
