//! The help: every key of the screen it opened over (and the global ones),
//! made from the keymap. It sizes itself to its content and wraps what does
//! not fit; any key closes it.

use crossterm::event::KeyEvent;

use crate::tui::message::Effect;
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, keys_only, no_results};
use crate::tui::shared::Shared;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, hanging};

#[derive(Debug, Clone, PartialEq)]
pub struct Help {
    /// The key contexts of the screen it opened over.
    pub chain: Vec<Context>,
    pub vi: bool,
    /// The first line shown, when the help is taller than the screen.
    pub scroll: u16,
    /// The last line it can scroll to, and the lines a page holds, as last drawn.
    pub max: std::cell::Cell<u16>,
    pub page: std::cell::Cell<u16>,
}

impl Help {
    pub fn new(chain: Vec<Context>, vi: bool) -> Help {
        Help { chain, vi, scroll: 0, max: std::cell::Cell::new(0), page: std::cell::Cell::new(0) }
    }
}

impl Component for Help {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Help]
    }

    keys_only!();

    /// ↑ ↓ PgUp PgDn scroll a help taller than the screen; any other key closes it.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, _out: &mut Vec<Effect>) -> Option<Go> {
        let max = self.max.get();
        match keymap::lookup(&[Context::Help], cx.vi, &key) {
            _ if max == 0 => return Some(Go::Close),
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Down) => self.scroll = (self.scroll + 1).min(max),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(self.page.get().max(1)),
            Some(Action::PageDown) => self.scroll = (self.scroll + self.page.get().max(1)).min(max),
            Some(Action::First) => self.scroll = 0,
            Some(Action::Last) => self.scroll = max,
            _ => return Some(Go::Close),
        }
        None
    }

    no_results!();

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
    }
}

pub fn render(help: &Help, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows = keymap::help_rows(&help.chain, help.vi);
    // Two spaces at least between the widest keys and their words.
    let key_w = rows.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(8).min(28) + 3;
    let text_w = rows.iter().map(|(_, h)| h.chars().count()).max().unwrap_or(20);
    let width = (key_w + text_w + 4).min(usize::from(area.width)) as u16;
    let inner_w = width.saturating_sub(2);
    let mut lines: Vec<Line> = Vec::new();
    for (keys, what) in rows {
        let lead = vec![Span::styled(format!(" {keys:<w$}", w = key_w - 1), theme.key())];
        lines.extend(hanging(lead, what, inner_w, key_w, ratatui::style::Style::default()));
    }
    let height = (lines.len() as u16 + 3).min(area.height);
    let inner = height.saturating_sub(3);
    let max = (lines.len() as u16).saturating_sub(inner);
    help.max.set(max);
    help.page.set(inner);
    let scroll = help.scroll.min(max);
    let footer = if max > 0 {
        let last = (scroll + inner).min(lines.len() as u16);
        format!(" ↑↓ PgUp PgDn scroll ({}-{last} of {}) · any other key closes", scroll + 1, lines.len())
    } else {
        " any key closes this help".to_owned()
    };
    let mut shown: Vec<Line> = lines.into_iter().skip(usize::from(scroll)).take(usize::from(inner)).collect();
    shown.push(Line::from(Span::styled(footer, theme.dim())));
    let popup = centered(area, width, height);
    crate::tui::widgets::text::clear_around(frame, popup, area);
    frame.render_widget(
        Paragraph::new(shown)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Keys ", theme.title()))),
        popup,
    );
}
