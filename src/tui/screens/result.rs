//! The result of a submit: the profile's ARN, version and dates (UTC and
//! local), or, when the update was applied but the tag changes that followed
//! failed, exactly that.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Go;
use super::component::{Component, Titled, keys_only};
use super::editor::EditorScreen;
use crate::client::apply::Call;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, Event};
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
    /// The calls made after the create or update (tags, attaches, detaches).
    pub calls: Vec<Call>,
}

impl ResultScreen {}

impl Titled for ResultScreen {
    fn title(&self, _cx: &Shared) -> String {
        format!(" ddsp · {} saved", safe(self.editor.name()))
    }
}

impl Component for ResultScreen {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Result]
    }

    keys_only!();

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, _out: &mut Vec<Effect>) -> Option<Go> {
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Help => Some(Go::Help),
            Action::Select => Some(Go::Editor),
            Action::Back => Some(Go::Home),
            Action::NewProfile => Some(Go::NewProfile),
            _ => None,
        }
    }

    /// The editor underneath gets its results (a chart, an external edit) here too.
    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        self.editor.on_result(event, cx, out)
    }

    fn render(&self, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, &cx.tz, frame, area, theme);
    }
}

pub fn render(o: &ResultScreen, tz: &jiff::tz::TimeZone, frame: &mut Frame, area: Rect, theme: &Theme) {
    let row = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!(" {label:<15}"), theme.label()), Span::raw(value)])
    };
    let mut lines = vec![Line::from(Span::styled(format!(" ✓ {} is saved", safe(&o.name)), theme.ok()))];
    // Each call after the profile, one by one: what was applied and what was not.
    for call in &o.calls {
        let (mark, style) = if call.error.is_some() { ("✗", theme.error()) } else { ("✓", theme.ok()) };
        let text = match &call.error {
            None => format!("{} {}", call.kind.operation(), safe(&call.detail)),
            Some(e) => format!("{} {} failed: {}", call.kind.operation(), safe(&call.detail), safe(&e.to_string())),
        };
        lines.extend(hanging(vec![Span::styled(format!(" {mark} "), style)], &text, area.width, 3, style));
    }
    if o.calls.iter().any(|c| c.error.is_some()) {
        let text = format!(
            "The profile is applied (version {}); what failed above is not. Your edits keep it: Enter returns to the profile, and Ctrl-S there sends what is left.",
            o.version.map_or_else(|| "?".to_owned(), |v| v.to_string()),
        );
        lines.extend(hanging(vec![Span::raw(" ")], &text, area.width, 1, theme.warning()));
    }
    if o.editor.targets.is_empty() {
        let text = "This profile is attached to no target, so it monitors nothing yet: Enter, then Ctrl-N or Ctrl-P to section 6 Targets, where Ctrl-A adds one (all registered things, or a thing group).";
        lines.extend(hanging(vec![Span::raw(" ! ")], text, area.width, 3, theme.warning()));
    }
    lines.push(Line::from(""));
    // A long ARN goes on under its value, never under its label.
    let label = vec![Span::styled(format!(" {:<15}", "ARN"), theme.label())];
    lines.extend(hanging(label, &safe(&o.arn), area.width, 16, ratatui::style::Style::default()));
    lines.extend([
        row("Version", o.version.map_or_else(|| "-".to_owned(), |v| v.to_string())),
        row("Created", utc(o.created)),
        row("", local(o.created, tz)),
        row("Last modified", utc(o.modified)),
        row("", local(o.modified, tz)),
        Line::from(""),
        Line::from(Span::styled(" Enter: back to the profile · Esc: home · Ctrl-N: a new profile", theme.dim())),
    ]);
    frame.render_widget(Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }), area);
}
