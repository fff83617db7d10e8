//! Unsent drafts from an earlier run, offered back at start: restore one in
//! the editor where it was left, discard it, or see its request file (which
//! the AWS CLI and ddsp take with --cli-input-json).

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Go;
use super::component::{Component, Titled, keys_only, no_results};
use crate::drafts::Operation;
use crate::tui::drafting::display_name;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::Effect;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{count, date, safe};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftsScreen {
    pub selected: usize,
    /// The draft a first discard key asked about: a second one discards it.
    pub discarding: Option<String>,
}

impl Titled for DraftsScreen {
    fn title(&self, _cx: &Shared) -> String {
        " ddsp · unsent drafts".to_owned()
    }
}

impl Component for DraftsScreen {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Drafts]
    }

    keys_only!();

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        let n = cx.drafting.unsent.len();
        let action = keymap::lookup(&self.keys(), cx.vi, &key)?;
        // A discard loses the edits for good: it is asked once more, and any other key keeps the draft.
        let asked = self.discarding.take();
        match action {
            Action::Help => return Some(Go::Help),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Select if self.selected < n => {
                return Some(Go::Restore(cx.drafting.unsent[self.selected].id.clone()));
            }
            Action::Delete
                if let Some(pid) =
                    cx.drafting.unsent.get(self.selected).and_then(|d| cx.drafting.held_elsewhere(&d.id)) =>
            {
                // Another ddsp has it open since this one started: its edits are not ours to discard.
                cx.say(format!("That draft is open in another ddsp (process {pid}): it is not discarded"));
            }
            Action::Delete
                if self.selected < n && asked.as_deref() != Some(cx.drafting.unsent[self.selected].id.as_str()) =>
            {
                let d = &cx.drafting.unsent[self.selected];
                let (name, id) = (display_name(d), d.id.clone());
                cx.say(format!(
                    "Discard the draft of {name}? Its edits are lost for good: d again discards it, any other key keeps it"
                ));
                self.discarding = Some(id);
            }
            Action::Delete if self.selected < n => {
                let d = cx.drafting.unsent.remove(self.selected);
                self.selected = self.selected.min(cx.drafting.unsent.len().saturating_sub(1));
                cx.say(format!("Discarded the draft of {}", display_name(&d)));
                out.push(Effect::RemoveDraft(d.id));
                if cx.drafting.unsent.is_empty() {
                    return Some(Go::Home);
                }
            }
            Action::ShowFile => {
                if let Some(d) = cx.drafting.unsent.get(self.selected) {
                    let text = format!(
                        "ddsp {} --cli-input-json file://{}",
                        d.meta.operation.command(),
                        cx.drafting.path(&d.id)
                    );
                    cx.say(text);
                }
            }
            Action::Back => {
                cx.say("Drafts kept: Home marks their profiles with ✎, and they are offered again on the next start");
                return Some(Go::Home);
            }
            _ => {}
        }
        None
    }

    no_results!();

    fn render(&self, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, cx, frame, area, theme);
    }
}

pub fn render(s: &DraftsScreen, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
    let n = cx.drafting.unsent.len();
    let mut lines = vec![
        Line::from(Span::styled(
            format!(" {} from an earlier session: your edits, as they were left.", count(n, "unsent draft")),
            theme.label(),
        )),
        Line::from(""),
    ];
    let room = (area.height as usize).saturating_sub(3) / 2;
    let start = s.selected.saturating_sub(room.saturating_sub(1));
    for (i, d) in cx.drafting.unsent.iter().enumerate().skip(start).take(room.max(1)) {
        let style = if i == s.selected { theme.focused() } else { Style::default() };
        let what = match d.meta.operation {
            Operation::CreateSecurityProfile => "new profile".to_owned(),
            Operation::CreateDimension => "new dimension".to_owned(),
            Operation::UpdateDimension => "changes to a dimension".to_owned(),
            Operation::CreateCustomMetric => "new custom metric".to_owned(),
            Operation::UpdateCustomMetric => "changes to a custom metric".to_owned(),
            Operation::UpdateSecurityProfile => {
                format!("changes to version {}", d.meta.base_version.map_or_else(|| "?".to_owned(), |v| v.to_string()))
            }
        };
        let size = if d.meta.operation.is_profile() {
            count(d.request.get("behaviors").and_then(|b| b.as_array()).map_or(0, Vec::len), "behavior")
        } else if let Some(values) = d.request.get("stringValues").and_then(|v| v.as_array()) {
            count(values.len(), "topic filter")
        } else {
            d.request.get("metricType").and_then(|t| t.as_str()).unwrap_or("custom metric").to_owned()
        };
        lines.push(Line::from(Span::styled(format!(" {} · {what}", safe(&display_name(d))), style)));
        lines.push(Line::from(Span::styled(
            format!("   {} · saved {} UTC · {}", size, date(d.meta.saved), safe(&d.meta.endpoint)),
            theme.dim(),
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
