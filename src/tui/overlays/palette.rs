//! The command palette (`:` wherever no text field has focus, as in k9s):
//! every action of the screen it opened over, with its key; every profile,
//! dimension and custom metric by name; and the commands `:q`, `:help`,
//! `:region NAME` and `:profile NAME` (switch the connection without a
//! restart). Typing narrows the list by every word, in order of how well it matches.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::Effect;
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, no_results};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, fit, safe};

/// What an entry does.
#[derive(Debug, Clone, PartialEq)]
pub enum Pick {
    /// An action of the screen, done as its key would.
    Action(Action, crossterm::event::KeyEvent),
    /// Open the profile of this name.
    Profile(String),
    /// The dimensions and custom metrics screen, at this one.
    Resource(String),
    Quit,
    Help,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub label: String,
    pub detail: String,
    pub pick: Pick,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    pub query: String,
    pub selected: usize,
    pub entries: Vec<Entry>,
}

/// What Enter chose: a command typed in full, or an entry's pick.
#[derive(Debug, Clone, PartialEq)]
pub enum Chosen {
    Typed(Typed),
    Pick(Pick),
}

/// A typed command (`region eu-west-1`, `profile prod`, `q`), if the query is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Typed {
    Region(String),
    Profile(String),
    /// Back to the local sandbox.
    Sandbox,
}

impl Palette {
    /// The palette for a screen whose keys are `chain`, with the names the app knows.
    pub fn new(chain: &[Context], vi: bool, profiles: &[String], resources: &[String]) -> Palette {
        let mut entries = vec![
            Entry { label: "q".into(), detail: "quit (asks first when an edit is not saved)".into(), pick: Pick::Quit },
            Entry { label: "help".into(), detail: "every key of this screen".into(), pick: Pick::Help },
        ];
        for ctx in chain {
            for b in keymap::table(*ctx).iter().filter(|b| vi || !b.vi) {
                // Moving the highlight is not a command: the palette lists what a key does.
                let movement = matches!(
                    b.action,
                    Action::Up
                        | Action::Down
                        | Action::Left
                        | Action::Right
                        | Action::PageUp
                        | Action::PageDown
                        | Action::First
                        | Action::Last
                );
                if movement || matches!(b.action, Action::Help | Action::Quit | Action::Suspend) {
                    continue;
                }
                if let Some(k) = b.keys.first() {
                    let key = crossterm::event::KeyEvent::new(k.code, k.mods);
                    entries.push(Entry {
                        label: b.help.to_owned(),
                        detail: k.long(),
                        pick: Pick::Action(b.action, key),
                    });
                }
            }
        }
        entries.extend(profiles.iter().map(|p| Entry {
            label: p.clone(),
            detail: "open this security profile".into(),
            pick: Pick::Profile(p.clone()),
        }));
        entries.extend(resources.iter().map(|r| Entry {
            label: r.clone(),
            detail: "dimension or custom metric (F3)".into(),
            pick: Pick::Resource(r.clone()),
        }));
        Palette { query: String::new(), selected: 0, entries }
    }

    /// `region NAME`, `profile NAME` or `sandbox`, typed in full.
    pub fn typed(&self) -> Option<Typed> {
        let q = self.query.trim();
        if q == "sandbox" {
            return Some(Typed::Sandbox);
        }
        let (word, rest) = q.split_once(' ')?;
        let rest = rest.trim();
        if rest.is_empty() {
            return None;
        }
        match word {
            "region" => Some(Typed::Region(rest.to_owned())),
            "profile" => Some(Typed::Profile(rest.to_owned())),
            _ => None,
        }
    }

    /// The entries that match every word of the query, best first.
    pub fn visible(&self) -> Vec<&Entry> {
        let q = self.query.trim().to_lowercase();
        let words: Vec<&str> = q.split_whitespace().collect();
        let mut hits: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| {
                let hay = format!("{} {}", e.label, e.detail).to_lowercase();
                words.iter().all(|w| hay.contains(w))
            })
            .collect();
        hits.sort_by_key(|e| {
            let label = e.label.to_lowercase();
            if q.is_empty() {
                2
            } else if label == q {
                0
            } else if label.starts_with(&q) {
                1
            } else {
                2
            }
        });
        hits
    }

    pub fn chosen(&self) -> Option<&Entry> {
        self.visible().get(self.selected).copied()
    }

    pub fn move_by(&mut self, step: i64) {
        let n = self.visible().len() as i64;
        if n > 0 {
            self.selected = (self.selected as i64 + step).clamp(0, n - 1) as usize;
        }
    }
}

impl Component for Palette {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Palette]
    }

    fn typing(&self, _cx: &Shared) -> bool {
        true
    }

    fn enabled(&self, _action: Action, _cx: &Shared) -> bool {
        true
    }

    fn typed(&self, _cx: &Shared) -> Option<&'static str> {
        Some("to narrow")
    }

    /// Characters and Backspace edit the query; the keymap moves, does and closes.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, _out: &mut Vec<Effect>) -> Option<Go> {
        match key.code {
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                self.query.push(c);
                self.selected = 0;
                return None;
            }
            KeyCode::Backspace => {
                self.query.pop();
                self.selected = 0;
                return None;
            }
            _ => {}
        }
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Back => return Some(Go::Close),
            Action::Select => {
                let chosen = match self.typed() {
                    Some(t) => Chosen::Typed(t),
                    None => Chosen::Pick(self.chosen()?.pick.clone()),
                };
                return Some(Go::Palette(chosen));
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-10),
            Action::PageDown => self.move_by(10),
            _ => {}
        }
        None
    }

    no_results!();

    fn paste(&mut self, text: &str, _cx: &mut Shared) {
        self.query.extend(text.chars().filter(|c| !c.is_control()));
        self.selected = 0;
    }

    fn click(&mut self, _x: u16, _y: u16, _cx: &Shared) {}

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
    }
}

pub fn render(p: &Palette, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, area.width.saturating_sub(4).min(90), area.height.saturating_sub(2).min(20));
    crate::tui::widgets::text::clear_around(frame, popup, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" : · region NAME, profile NAME or sandbox switches the connection ", theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = vec![Line::from(vec![Span::styled(":", theme.key()), Span::raw(format!("{}▏", safe(&p.query)))])];
    if let Some(t) = p.typed() {
        let text = match t {
            Typed::Region(r) if !crate::domain::regions::is_known(&r) => {
                format!("not an AWS region: {}", crate::domain::rules::quote(&r))
            }
            Typed::Region(r) => format!("Enter: connect to region {r}"),
            Typed::Profile(n) => format!("Enter: connect with the AWS profile {n}"),
            Typed::Sandbox => "Enter: switch to the local sandbox".to_owned(),
        };
        lines.push(Line::from(Span::styled(safe(&text), theme.ok())));
    }
    let height = usize::from(inner.height).saturating_sub(lines.len()).max(1);
    let visible = p.visible();
    let start = p.selected.saturating_sub(height.saturating_sub(1));
    let width = usize::from(inner.width);
    for (i, e) in visible.iter().enumerate().skip(start).take(height) {
        let style = if i == p.selected { theme.focused() } else { ratatui::style::Style::default() };
        let detail = safe(&e.detail);
        let room = width.saturating_sub(detail.chars().count() + 3);
        let text = format!(" {:<room$} {detail}", fit(&safe(&e.label), room));
        lines.push(Line::from(Span::styled(fit(&text, width), style)));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
