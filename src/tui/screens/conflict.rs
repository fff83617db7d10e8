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
use super::component::{Component, Titled, keys_only};
use super::editor::EditorScreen;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, Event};
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
}

impl Titled for ConflictScreen {
    fn title(&self, _cx: &Shared) -> String {
        format!(" ddsp · {} changed on the server", safe(self.editor.name()))
    }
}

impl Component for ConflictScreen {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Conflict]
    }

    keys_only!();

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, _out: &mut Vec<Effect>) -> Option<Go> {
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Help => Some(Go::Help),
            Action::Reapply => Some(Go::Resolve(Choice::Reapply)),
            Action::Overwrite => Some(Go::Resolve(Choice::Overwrite)),
            Action::Back => Some(Go::Resolve(Choice::Back)),
            _ => None,
        }
    }

    /// The editor underneath gets its results (a chart, an external edit) here too.
    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        self.editor.on_result(event, cx, out)
    }

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
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
