//! The result of a submit: the profile's ARN, version and dates (UTC and
//! local), or, when the update was applied but the tag changes that followed
//! failed, exactly that.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Go;
use super::editor::EditorScreen;
use crate::client::ClientError;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{hanging, local, safe, utc};

pub struct ResultScreen {
    pub editor: Box<EditorScreen>,
    pub name: String,
    pub arn: String,
    pub version: Option<i64>,
    pub created: Option<f64>,
    pub modified: Option<f64>,
    /// The tag changes failed after the update was applied.
    pub tags_failed: Option<ClientError>,
}

impl ResultScreen {
    pub fn keys(&self) -> Vec<Context> {
        vec![Context::Result]
    }

    pub fn on_key(&mut self, key: KeyEvent, cx: &mut Shared) -> Option<Go> {
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Help => Some(Go::Help),
            Action::Select => Some(Go::Editor),
            Action::Back => Some(Go::Home),
            Action::NewProfile => Some(Go::NewProfile),
            _ => None,
        }
    }
}

pub fn render(o: &ResultScreen, tz: &jiff::tz::TimeZone, frame: &mut Frame, area: Rect, theme: &Theme) {
    let row = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!(" {label:<15}"), theme.label()), Span::raw(value)])
    };
    let mut lines = vec![Line::from(Span::styled(format!(" ✓ {} is saved", safe(&o.name)), theme.ok()))];
    if let Some(e) = &o.tags_failed {
        let text = format!(
            "The update is applied (version {}), but the tag changes failed: {}. Enter returns to the profile; Ctrl-S there sends the tag changes again.",
            o.version.map_or_else(|| "?".to_owned(), |v| v.to_string()),
            safe(&e.to_string())
        );
        lines.extend(hanging(vec![Span::raw(" ")], &text, area.width, 1, theme.error()));
    }
    lines.extend([
        Line::from(""),
        row("ARN", safe(&o.arn)),
        row("Version", o.version.map_or_else(|| "-".to_owned(), |v| v.to_string())),
        row("Created", utc(o.created)),
        row("", local(o.created, tz)),
        row("Last modified", utc(o.modified)),
        row("", local(o.modified, tz)),
        Line::from(""),
        Line::from(Span::styled(" Enter: back to the profile · Esc: home · Ctrl-N: a new profile", theme.dim())),
    ]);
    frame.render_widget(Paragraph::new(lines), area);
}
