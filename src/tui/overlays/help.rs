//! The help: every key of the screen it opened over (and the global ones),
//! made from the keymap. It sizes itself to its content and wraps what does
//! not fit; any key closes it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::tui::keymap::{self, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, hanging};

#[derive(Debug, Clone, PartialEq)]
pub struct Help {
    /// The key contexts of the screen it opened over.
    pub chain: Vec<Context>,
    pub vi: bool,
}

pub fn render(help: &Help, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows = keymap::help_rows(&help.chain, help.vi);
    let key_w = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(8).min(28) + 2;
    let text_w = rows.iter().map(|(_, h)| h.chars().count()).max().unwrap_or(20);
    let width = (key_w + text_w + 4).min(usize::from(area.width)) as u16;
    let inner_w = width.saturating_sub(2);
    let mut lines: Vec<Line> = Vec::new();
    for (keys, what) in rows {
        let lead = vec![Span::styled(format!(" {keys:<w$}", w = key_w - 1), theme.key())];
        lines.extend(hanging(lead, what, inner_w, key_w, ratatui::style::Style::default()));
    }
    lines.push(Line::from(Span::styled(" any key closes this help", theme.dim())));
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Keys ", theme.title()))),
        popup,
    );
}
