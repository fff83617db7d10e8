//! The profile changed on the server since it was opened
//! (VersionConflictException): what changed there, what the user changed,
//! and the choice to reapply the edits on the new version, overwrite, or go
//! back to the edits.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Go;
use super::editor::EditorScreen;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{hanging, safe};
use crate::wire::response::SecurityProfileDescription;

pub struct ConflictScreen {
    pub editor: Box<EditorScreen>,
    pub server: SecurityProfileDescription,
    pub theirs: Vec<String>,
    pub mine: Vec<String>,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Reapply,
    Overwrite,
    Back,
}

impl ConflictScreen {
    pub fn new(
        editor: Box<EditorScreen>,
        server: SecurityProfileDescription,
    ) -> Result<ConflictScreen, (Box<EditorScreen>, String)> {
        let diffs = editor.base.as_deref().map(|base| {
            Ok::<_, serde_json::Error>((
                crate::wire::change::changes(base, &server)?,
                crate::wire::change::changes(base, &editor.profile)?,
            ))
        });
        match diffs {
            Some(Ok((theirs, mine))) => Ok(ConflictScreen { editor, server, theirs, mine }),
            Some(Err(e)) => Err((editor, format!("The changes could not be compared: {e}"))),
            None => Err((editor, "A new profile cannot be in conflict".to_owned())),
        }
    }

    pub fn keys(&self) -> Vec<Context> {
        vec![Context::Conflict]
    }

    pub fn on_key(&mut self, key: KeyEvent, cx: &mut Shared) -> Result<Option<Choice>, Go> {
        Ok(match keymap::lookup(&self.keys(), cx.vi, &key) {
            Some(Action::Help) => return Err(Go::Help),
            Some(Action::Reapply) => Some(Choice::Reapply),
            Some(Action::Overwrite) => Some(Choice::Overwrite),
            Some(Action::Back) => Some(Choice::Back),
            _ => None,
        })
    }
}

pub fn render(c: &ConflictScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let v = |x: Option<i64>| x.map_or_else(|| "?".to_owned(), |v| v.to_string());
    let mut lines = hanging(
        vec![Span::raw(" ")],
        &format!(
            "The profile changed on the server: you opened version {}, it is now version {}.",
            v(c.editor.version()),
            v(c.server.version)
        ),
        area.width,
        1,
        theme.warning(),
    );
    lines.push(Line::from(Span::styled(" Changed on the server:", theme.label())));
    for l in &c.theirs {
        lines.extend(hanging(vec![Span::raw("   ")], &safe(l), area.width, 5, ratatui::style::Style::default()));
    }
    lines.push(Line::from(Span::styled(" Your changes:", theme.label())));
    for l in &c.mine {
        lines.extend(hanging(vec![Span::raw("   ")], &safe(l), area.width, 5, ratatui::style::Style::default()));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled(" r", theme.key()),
        Span::raw(" reapply your changes on the new version (both kept; clashes listed)"),
    ]));
    lines.push(Line::from(vec![
        Span::styled(" o", theme.key()),
        Span::raw(" overwrite: send your version, expecting the new one"),
    ]));
    lines.push(Line::from(vec![Span::styled(" Esc", theme.key()), Span::raw(" back to your edits; nothing is lost")]));
    frame.render_widget(Paragraph::new(lines), area);
}
