//! The status line's whole text, when the line had to cut it at the
//! terminal's width (Alt-M): wrapped in a box over the screen; any key closes it.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::keymap::Context;
use crate::tui::message::Effect;
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, keys_only, no_results};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, safe, wrap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageView {
    /// The status line's parts, joined.
    pub text: String,
}

impl Component for MessageView {
    fn keys(&self) -> Vec<Context> {
        Vec::new()
    }

    keys_only!();

    /// Any key closes it.
    fn on_key(&mut self, _key: KeyEvent, _cx: &mut Shared, _out: &mut Vec<Effect>) -> Option<Go> {
        Some(Go::Close)
    }

    no_results!();

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        let width = area.width.saturating_sub(4).min(76);
        let lines: Vec<Line> = wrap(&safe(&self.text), usize::from(width.saturating_sub(4)))
            .into_iter()
            .map(|l| Line::from(format!(" {l}")))
            .collect();
        let height = (lines.len() as u16 + 2).min(area.height);
        let popup = centered(area, width, height);
        crate::tui::widgets::text::clear_around(frame, popup, area);
        let title = Span::styled(" The whole message · any key closes ", theme.title());
        frame.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)), popup);
    }
}
