//! Delete asks for the profile's name, typed; Enter deletes once it matches
//! and says so when it does not. The delete expects the version shown.

use crate::tui::message::Effect;
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, no_results};
use crate::tui::shared::Shared;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

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
    /// F1: what the delete does, below the prompt (what is typed stays).
    pub help: bool,
}

impl DeletePrompt {
    pub fn new(name: String, version: Option<i64>) -> DeletePrompt {
        DeletePrompt {
            what: Deleting::Profile,
            name,
            version,
            typed: String::new(),
            mismatch: false,
            draft: false,
            help: false,
        }
    }

    /// What the delete does, for F1: the call, its version check and what
    /// goes with it.
    pub fn explained(&self) -> String {
        match self.what {
            Deleting::Profile => format!(
                "DeleteSecurityProfile removes the profile from the endpoint{}. The things it targeted are no longer watched by it, its violations end without an alert, and nothing keeps a copy: `ddsp export` first if you may want it back.",
                self.version.map_or_else(String::new, |v| format!(
                    ", expecting version {v}: it fails with VersionConflictException if the profile changed since"
                ))
            ),
            Deleting::Resource(crate::tui::screens::resource_form::ResourceKind::CustomMetric) => {
                "DeleteCustomMetric removes the custom metric. As the API reference says, remove it from every security profile that uses it first.".to_owned()
            }
            Deleting::Resource(_) => "DeleteDimension removes the dimension from the account.".to_owned(),
        }
    }
}

impl Component for DeletePrompt {
    fn keys(&self) -> Vec<Context> {
        vec![Context::DeletePrompt]
    }

    fn typing(&self, _cx: &Shared) -> bool {
        true
    }

    fn enabled(&self, _action: Action, _cx: &Shared) -> bool {
        true
    }

    fn typed(&self, _cx: &Shared) -> Option<&'static str> {
        Some("the name")
    }

    /// Characters and Backspace edit the name typed; Enter deletes once it matches.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, _out: &mut Vec<Effect>) -> Option<Go> {
        let action = keymap::lookup(&self.keys(), cx.vi, &key);
        match key.code {
            // Every character is the name's (a name may hold `:`), so the keymap comes after.
            KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                self.typed.push(c);
            }
            KeyCode::Backspace => {
                self.typed.pop();
            }
            _ => match action {
                Some(Action::ClearField) => self.typed.clear(),
                Some(Action::Help) => {
                    self.help = !self.help;
                    return None;
                }
                Some(Action::Back) => return Some(Go::Close),
                Some(Action::Select) if self.typed == self.name => {
                    return Some(Go::Delete { what: self.what, name: self.name.clone(), version: self.version });
                }
                Some(Action::Select) => {
                    self.mismatch = true;
                    return None;
                }
                _ => return None,
            },
        }
        self.mismatch = false;
        None
    }

    no_results!();

    /// Pasted text is typed (without newlines).
    fn paste(&mut self, text: &str, _cx: &mut Shared) {
        self.typed.extend(text.chars().filter(|c| !c.is_control()));
        self.mismatch = false;
    }

    fn click(&mut self, _x: u16, _y: u16, _cx: &Shared) {}

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
    }
}

pub fn render(d: &DeletePrompt, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = 64.min(area.width);
    let help: Vec<Line> = if d.help {
        let mut help: Vec<Line> =
            crate::tui::widgets::text::wrap(&safe(&d.explained()), usize::from(width).saturating_sub(4))
                .into_iter()
                .map(|l| Line::from(Span::styled(format!(" {l}"), theme.dim())))
                .collect();
        help.insert(0, Line::from(""));
        help
    } else {
        Vec::new()
    };
    let popup = centered(area, width, (8 + u16::from(d.draft) + help.len() as u16).min(area.height));
    crate::tui::widgets::text::clear_around(frame, popup, area);
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
        match (ready, d.help) {
            (true, false) => " Enter deletes · Esc cancels · F1 what it does",
            (false, false) => " Esc cancels · F1 what it does",
            (true, true) => " Enter deletes · Esc cancels · F1 hides this",
            (false, true) => " Esc cancels · F1 hides this",
        },
        theme.key(),
    )));
    lines.extend(help);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Delete ", theme.error()))),
        popup,
    );
}
