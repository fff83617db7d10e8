//! The searchable picker for metrics and dimensions: a query typed as a
//! filter over items, each with a one-line detail (type, unit, where it is
//! measured) and, for the highlighted one, its whole description and the
//! time window a rule on it takes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crossterm::event::{KeyCode, KeyEvent};

use crate::domain::Context;
use crate::domain::metrics::{BUILTIN_METRICS, DurationRule, Side};
use crate::tui::keymap::{self, Action, Context as Keys};
use crate::tui::screens::editor::rows::{FieldId, PickKind};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{hanging, safe};

/// The value of the picker's "new…" item (no metric or dimension name can be it).
pub const NEW: &str = "\u{1}new";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub value: String,
    pub detail: String,
    /// The whole description, shown for the highlighted item.
    pub about: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub kind: PickKind,
    pub target: FieldId,
    pub query: String,
    pub selected: usize,
    pub items: Vec<Item>,
}

impl Picker {
    /// A picker of `kind` for the field `target`; `groups` are the endpoint's thing groups (for targets).
    pub fn new(kind: PickKind, target: FieldId, ctx: &Context, groups: &[String], current: &str) -> Picker {
        let items: Vec<Item> = match kind {
            PickKind::Target => [
                ("all/registered-things", "All registered things", "Every thing in the registry, now and later."),
                (
                    "all/unregistered-things",
                    "All unregistered things",
                    "Devices that connect without a registry entry (device-side metrics only from the Device Defender agent).",
                ),
            ]
            .into_iter()
            .map(|(value, detail, about)| Item { value: value.to_owned(), detail: detail.to_owned(), about: about.to_owned() })
            .chain(groups.iter().map(|g| Item {
                value: format!("thinggroup/{g}"),
                detail: format!("thing group {g}"),
                about: format!("The things in the thing group {g} (and its child groups)."),
            }))
            .collect(),
            PickKind::Metric => metric_items(ctx),
            PickKind::Dimension => std::iter::once(Item {
                value: String::new(),
                detail: "(none) no dimension".into(),
                about: "The metric counts every topic.".into(),
            })
            .chain(ctx.dimensions.iter().flatten().map(|d| Item {
                value: d.clone(),
                detail: "TOPIC_FILTER dimension".into(),
                about: "A dimension defined on this endpoint: the metric counts only topics it matches (IN) or the others (NOT_IN).".into(),
            }))
            .collect(),
        };
        let mut items = items;
        let new = match kind {
            PickKind::Metric => Some((
                "New custom metric…",
                "Make a custom metric on the endpoint (a value devices report), then pick it.",
            )),
            PickKind::Dimension => Some((
                "New dimension…",
                "Make a TOPIC_FILTER dimension on the endpoint (MQTT topic filters), then pick it.",
            )),
            PickKind::Target => None,
        };
        if let Some((detail, about)) = new {
            items.push(Item { value: NEW.to_owned(), detail: detail.to_owned(), about: about.to_owned() });
        }
        let mut picker = Picker { kind, target, query: String::new(), selected: 0, items };
        picker.selected = picker.visible().iter().position(|i| i.value == current).unwrap_or(0);
        picker
    }

    /// The items matching the query (every word, anywhere in name or detail),
    /// names that are the query, then names that start with it, first.
    pub fn visible(&self) -> Vec<&Item> {
        let query = self.query.trim().to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        let mut hits: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| {
                let hay = format!("{} {}", i.value, i.detail).to_lowercase();
                words.iter().all(|w| hay.contains(w))
            })
            .collect();
        let rank = |i: &Item| {
            let name = i.value.to_lowercase();
            let bare = name.strip_prefix("aws:").unwrap_or(&name);
            if query.is_empty() {
                2
            } else if name == query || bare == query {
                0
            } else if bare.starts_with(&query) {
                1
            } else {
                2
            }
        };
        hits.sort_by_key(|i| rank(i));
        hits
    }

    pub fn choice(&self) -> Option<String> {
        self.visible().get(self.selected).map(|i| i.value.clone())
    }

    pub fn move_by(&mut self, step: i64) {
        let n = self.visible().len() as i64;
        if n > 0 {
            self.selected = (self.selected as i64 + step).clamp(0, n - 1) as usize;
        }
    }

    pub fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.selected = 0;
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.selected = 0;
    }

    /// A key in the picker (the `Picker` keymap context; typing searches).
    pub fn on_key(&mut self, key: KeyEvent, vi: bool) -> Picked {
        if crate::tui::widgets::text_field::TextField::wants(&key) {
            match key.code {
                KeyCode::Char(c) => self.type_char(c),
                KeyCode::Backspace => self.backspace(),
                _ => {}
            }
            return Picked::Open { refresh: false };
        }
        match keymap::lookup(&[Keys::Picker], vi, &key) {
            Some(Action::Up) => self.move_by(-1),
            Some(Action::Down) => self.move_by(1),
            Some(Action::PageUp) => self.move_by(-10),
            Some(Action::PageDown) => self.move_by(10),
            Some(Action::Refresh) => return Picked::Open { refresh: true },
            Some(Action::ClearField) => {
                self.query.clear();
                self.selected = 0;
            }
            Some(Action::Back) => return Picked::Cancelled,
            Some(Action::Select) => return Picked::Chosen(self.choice()),
            _ => {}
        }
        Picked::Open { refresh: false }
    }

    /// The same picker over the endpoint's lists as they are now (`groups`:
    /// its thing groups), keeping the search typed and the highlight.
    pub fn refreshed(&mut self, ctx: &Context, groups: &[String]) {
        let mut fresh = Picker::new(self.kind, self.target, ctx, groups, "");
        fresh.query = std::mem::take(&mut self.query);
        fresh.selected = self.selected.min(fresh.visible().len().saturating_sub(1));
        *self = fresh;
    }
}

/// The metric picker's items: every built-in metric with its type, unit,
/// side and window rule, then the endpoint's custom metrics.
fn metric_items(ctx: &Context) -> Vec<Item> {
    BUILTIN_METRICS
        .iter()
        .map(|m| Item {
            value: m.name.to_owned(),
            detail: format!(
                "{} · {}{} · {}",
                m.data_type.label(),
                if m.unit.is_empty() { "-" } else { m.unit },
                match m.side {
                    Side::Cloud => " · cloud",
                    Side::Device => " · device",
                },
                m.description
            ),
            about: format!(
                "{}{} Unit: {}. {}",
                m.description,
                if m.description.ends_with('.') { "" } else { "." },
                if m.unit.is_empty() { "none" } else { m.unit },
                match m.duration {
                    DurationRule::Required => "Rules count it over a window (durationSeconds 300 to 3600).",
                    DurationRule::Optional => "A window (durationSeconds) may be given or left out.",
                    DurationRule::StatisticalOnly => "Only a statistical threshold takes a window.",
                    DurationRule::Forbidden => "A list metric: compared as a set, no window.",
                    DurationRule::Unconfirmed => "No source says whether it takes a window.",
                }
            ),
        })
        .chain(ctx.custom_metrics.iter().flatten().map(|m| Item {
            value: m.name.clone(),
            detail: format!("{} · custom metric", m.metric_type),
            about: format!("A custom metric of type {} defined on this endpoint.", m.metric_type),
        }))
        .collect()
}

/// What a key did in a picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// Still open; `refresh`: Ctrl-R asks for the endpoint's lists again.
    Open { refresh: bool },
    /// Esc: closed, nothing chosen.
    Cancelled,
    /// Enter: the highlighted item's value (None when nothing matches).
    Chosen(Option<String>),
}

/// Draws the picker over `area`: the search, the matches, and what the highlighted one is.
pub fn render(picker: &Picker, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = crate::tui::widgets::text::centered(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(24),
    );
    crate::tui::widgets::text::clear_around(frame, popup, area);
    let title = match picker.kind {
        PickKind::Metric => " Metric ",
        PickKind::Dimension => " Dimension ",
        PickKind::Target => " Target ",
    };
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let visible = picker.visible();
    let about = visible
        .get(picker.selected)
        .map(|i| hanging(Vec::new(), &safe(&i.about), inner.width, 0, theme.label()))
        .unwrap_or_default();
    let about_height = (about.len() as u16).min(inner.height / 3);
    let [query, list, detail] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(about_height)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled("Search: ", theme.label()), Span::raw(safe(&picker.query))])),
        query,
    );
    let height = list.height as usize / 2;
    let start = picker.selected.saturating_sub(height.saturating_sub(1));
    let mut lines = Vec::new();
    if visible.is_empty() {
        lines.push(Line::from(Span::styled("Nothing matches; Backspace widens the search.", theme.dim())));
    }
    let room = usize::from(list.width).saturating_sub(2);
    for (i, item) in visible.iter().enumerate().skip(start).take(height.max(1)) {
        let style = if i == picker.selected { theme.focused() } else { ratatui::style::Style::default() };
        let name = match item.value.as_str() {
            "" => "(none)".to_owned(),
            NEW => format!("+ {}", item.detail),
            v => safe(v),
        };
        lines.push(Line::from(Span::styled(name, style)));
        // The line under a name says more than the name: for "(none)" and "+ New …", what choosing it does.
        let under = if matches!(item.value.as_str(), "" | NEW) { &item.about } else { &item.detail };
        let detail = crate::tui::widgets::text::fit(&safe(under), room);
        lines.push(Line::from(Span::styled(format!("  {detail}"), theme.dim())));
    }
    frame.render_widget(Paragraph::new(lines), list);
    frame.render_widget(Paragraph::new(about), detail);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_by_every_word() {
        let id = FieldId::Of(0, crate::tui::screens::editor::rows::BehaviorField::Metric);
        let mut p = Picker::new(PickKind::Metric, id, &Context::default(), &[], "");
        assert_eq!(p.visible().len(), 19, "the built-in metrics and \"new custom metric…\"");
        for c in "tcp ports".chars() {
            p.type_char(c);
        }
        let names: Vec<_> = p.visible().iter().map(|i| i.value.clone()).collect();
        assert_eq!(names, ["aws:num-listening-tcp-ports", "aws:listening-tcp-ports"]);
        p.move_by(5);
        assert_eq!(p.choice().as_deref(), Some("aws:listening-tcp-ports"));
    }
}
