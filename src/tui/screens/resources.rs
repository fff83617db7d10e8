//! The endpoint's TOPIC_FILTER dimensions and custom metrics (F3 on Home):
//! listed with their topic filters, types and display names; Enter edits one,
//! Ctrl-A makes one, Ctrl-D deletes one, after checking that no profile uses
//! it (one in use says which profiles, and is not deleted).

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Go;
use super::component::{Component, Titled};
use super::resource_form::{FormAnswer, ResourceForm, ResourceKind};
use crate::client::ClientError;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, Event, RequestId, Resources};
use crate::tui::requests::Wait;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{fit, hanging, safe};

pub struct ResourcesScreen {
    pub tab: ResourceKind,
    pub selected: usize,
    pub list: Option<Result<Resources, String>>,
    pub form: Option<ResourceForm>,
    /// A delete asked for: the use check on its way.
    pub checking: Option<(ResourceKind, String)>,
    /// The draft the open form is kept in.
    pub draft_id: Option<String>,
}

impl ResourcesScreen {
    pub fn new() -> ResourcesScreen {
        ResourcesScreen {
            tab: ResourceKind::Dimension,
            selected: 0,
            list: None,
            form: None,
            checking: None,
            draft_id: None,
        }
    }

    /// The screen with the form of draft `d` (a dimension or custom metric
    /// left half made) open on its tab; the draft stays this screen's.
    pub fn of_draft(d: &crate::drafts::Draft, ctx: &crate::domain::Context) -> ResourcesScreen {
        let mut screen = ResourcesScreen::new();
        if let Some(mut form) = super::resource_form::ResourceForm::of_draft(d) {
            form.revalidate(ctx);
            screen.tab = form.kind;
            screen.form = Some(form);
        }
        screen.draft_id = Some(d.id.clone());
        screen
    }

    fn len(&self) -> usize {
        match (&self.list, self.tab) {
            (Some(Ok(r)), ResourceKind::Dimension) => r.dimensions.len(),
            (Some(Ok(r)), ResourceKind::CustomMetric) => r.metrics.len(),
            _ => 0,
        }
    }

    /// The highlighted one's name.
    fn chosen(&self) -> Option<String> {
        match (&self.list, self.tab) {
            (Some(Ok(r)), ResourceKind::Dimension) => r.dimensions.get(self.selected).map(|d| d.0.clone()),
            (Some(Ok(r)), ResourceKind::CustomMetric) => r.metrics.get(self.selected).map(|m| m.0.name.clone()),
            _ => None,
        }
    }

    pub fn loaded(&mut self, result: Result<Resources, ClientError>) {
        self.list = Some(result.map_err(|e| e.to_string()));
        self.selected = self.selected.min(self.len().saturating_sub(1));
    }

    /// The use check answered: a delete to confirm, or why not.
    pub fn used_by(
        &mut self,
        kind: ResourceKind,
        name: String,
        result: Result<Vec<String>, ClientError>,
        cx: &mut Shared,
    ) -> Option<Go> {
        if self.checking.as_ref() != Some(&(kind, name.clone())) {
            return None;
        }
        self.checking = None;
        match result {
            Ok(users) if users.is_empty() => Some(Go::DeleteResource(kind, name)),
            Ok(users) => {
                cx.say(format!(
                    "{name} is used by {}: remove it from their behaviors first; it is not deleted",
                    users.join(", ")
                ));
                None
            }
            Err(e) => {
                cx.say(format!("Could not check which profiles use {name}: {e}"));
                None
            }
        }
    }

    /// A save answered: the form closes, or shows why not.
    pub fn saved(
        &mut self,
        id: RequestId,
        result: Result<String, ClientError>,
        cx: &mut Shared,
        out: &mut Vec<Effect>,
    ) {
        let Some(form) = self.form.as_mut().filter(|f| f.sending == Some(id)) else { return };
        form.sending = None;
        match result {
            Ok(name) => {
                cx.say(format!("Saved the {} {name}", form.kind.label()));
                self.form = None;
                if let Some(id) = self.draft_id.take() {
                    out.push(Effect::RemoveDraft(id));
                }
                self.list = None;
                out.push(cx.load_resources());
                out.push(cx.load_known());
            }
            Err(e) => form.error = Some(e.to_string()),
        }
    }
}

impl Default for ResourcesScreen {
    fn default() -> Self {
        ResourcesScreen::new()
    }
}

impl Titled for ResourcesScreen {
    fn title(&self, _cx: &Shared) -> String {
        " ddsp · dimensions and custom metrics".to_owned()
    }
}

impl Component for ResourcesScreen {
    fn keys(&self) -> Vec<Context> {
        if self.form.is_some() { vec![Context::ResourceForm] } else { vec![Context::Resources] }
    }

    fn typing(&self, _cx: &Shared) -> bool {
        self.form.is_some()
    }

    fn enabled(&self, _action: Action, _cx: &Shared) -> bool {
        true
    }

    fn typed(&self, _cx: &Shared) -> Option<&'static str> {
        None
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        if let Some(form) = self.form.as_mut() {
            match form.on_key(key, &cx.ctx, cx.vi) {
                FormAnswer::Editing => {
                    // A half-made one is kept like a profile's edit: it survives a kill.
                    let id = self.draft_id.get_or_insert_with(|| crate::drafts::new_id(cx.now)).clone();
                    out.push(Effect::SaveWholeDraft(Box::new(form.as_draft(&id, &cx.endpoint, cx.now))));
                }
                FormAnswer::Cancel => {
                    self.form = None;
                    if let Some(id) = self.draft_id.take() {
                        out.push(Effect::RemoveDraft(id));
                    }
                }
                FormAnswer::Send(request) if cx.refuse_write(request.operation()) => {}
                FormAnswer::Send(request) => {
                    let label = format!("{} {}…", request.operation(), request.name());
                    let id = cx.requests.start(Wait::SaveResource, Some(label));
                    form.sending = Some(id);
                    out.push(Effect::SaveResource { id, request });
                }
            }
            return None;
        }
        let n = self.len();
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Help => return Some(Go::Help),
            Action::Back => return Some(Go::Home),
            Action::Left | Action::Right | Action::NextSection | Action::PrevSection => {
                self.tab = match self.tab {
                    ResourceKind::Dimension => ResourceKind::CustomMetric,
                    ResourceKind::CustomMetric => ResourceKind::Dimension,
                };
                self.selected = 0;
            }
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Refresh => {
                self.list = None;
                out.push(cx.load_resources());
            }
            Action::Add => {
                let mut form = ResourceForm::new(self.tab);
                form.revalidate(&cx.ctx);
                self.form = Some(form);
            }
            Action::Select => {
                let Some(Ok(r)) = &self.list else { return None };
                let form = match self.tab {
                    ResourceKind::Dimension => r
                        .dimensions
                        .get(self.selected)
                        .map(|(name, values)| ResourceForm::existing(self.tab, name, &values.join(", "), None)),
                    ResourceKind::CustomMetric => r.metrics.get(self.selected).map(|(m, display)| {
                        ResourceForm::existing(
                            self.tab,
                            &m.name,
                            display.as_deref().unwrap_or(""),
                            Some(&m.metric_type),
                        )
                    }),
                };
                self.form = form;
            }
            Action::Delete if cx.refuse_write("a delete") => {}
            Action::Delete => {
                if let Some(name) = self.chosen() {
                    let id = cx.requests.start(Wait::ResourceUse, Some(format!("Checking which profiles use {name}…")));
                    self.checking = Some((self.tab, name.clone()));
                    out.push(Effect::ResourceUse { id, kind: self.tab, name });
                }
            }
            _ => {}
        }
        None
    }

    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        match event {
            Event::Resources { result, .. } => self.loaded(result),
            Event::ResourceSaved { id, result } => self.saved(id, result, cx, out),
            Event::ResourceDeleted { result, .. } => match result {
                Ok(name) => {
                    cx.say(format!("Deleted {name}"));
                    self.list = None;
                    out.push(cx.load_resources());
                    out.push(cx.load_known());
                }
                Err(e) => cx.say(super::confirm::error_words(&e)),
            },
            Event::ResourceUse { kind, name, result, .. } => return self.used_by(kind, name, result, cx),
            _ => {}
        }
        None
    }

    fn paste(&mut self, text: &str, cx: &mut Shared) {
        if let Some(form) = self.form.as_mut() {
            form.paste(text, &cx.ctx);
        }
    }

    fn click(&mut self, _x: u16, _y: u16, _cx: &Shared) {}

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
    }
}

pub fn render(s: &ResourcesScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let tab = |k: ResourceKind, title: &str| {
        Span::styled(format!(" {title} "), if s.tab == k { theme.focused() } else { theme.dim() })
    };
    let mut lines = vec![
        Line::from(vec![
            tab(ResourceKind::Dimension, "Dimensions"),
            Span::raw(" "),
            tab(ResourceKind::CustomMetric, "Custom metrics"),
            Span::styled("   ← → switch", theme.dim()),
        ]),
        Line::from(""),
    ];
    let width = usize::from(area.width).saturating_sub(4);
    match &s.list {
        None => lines.push(Line::from(Span::styled(" Loading…", theme.dim()))),
        Some(Err(e)) => lines.extend(hanging(vec![Span::raw(" ")], &safe(e), area.width, 1, theme.error())),
        Some(Ok(r)) => {
            let rows: Vec<(String, String)> = match s.tab {
                ResourceKind::Dimension => r.dimensions.iter().map(|(n, v)| (n.clone(), v.join(", "))).collect(),
                ResourceKind::CustomMetric => r
                    .metrics
                    .iter()
                    .map(|(m, d)| (m.name.clone(), format!("{} · {}", m.metric_type, d.clone().unwrap_or_default())))
                    .collect(),
            };
            if rows.is_empty() {
                let what = match s.tab {
                    ResourceKind::Dimension => {
                        "No dimensions yet: Ctrl-A makes one (a set of MQTT topic filters a behavior can be narrowed to)."
                    }
                    ResourceKind::CustomMetric => {
                        "No custom metrics yet: Ctrl-A makes one (a value devices report that behaviors can watch)."
                    }
                };
                lines.extend(hanging(vec![Span::raw(" ")], what, area.width, 1, theme.dim()));
            }
            let name_w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(10).min(width / 2);
            // Scrolled so the highlight shows.
            let height = usize::from(area.height).saturating_sub(lines.len()).max(1);
            let start = s.selected.saturating_sub(height.saturating_sub(1));
            for (i, (name, detail)) in rows.iter().enumerate().skip(start).take(height) {
                let style = if i == s.selected { theme.focused() } else { Style::default() };
                let text = format!(" {:<name_w$}  {}", fit(&safe(name), name_w), safe(detail));
                lines.push(Line::from(Span::styled(fit(&text, width + 2), style)));
            }
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(form) = &s.form {
        super::resource_form::render(form, frame, area, theme);
    }
}
