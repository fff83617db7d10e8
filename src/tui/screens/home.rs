//! Home: the endpoint's security profiles, filtered as the user types, with
//! each one's behaviors count and last change, and a mark on those with an
//! unsent draft. With `keymap = vi`, j/k/g/G move and `/` starts the filter.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Go;
use super::component::{Component, Titled};
use crate::client::ClientError;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Details, Effect, Event};
use crate::tui::requests::Wait;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{date, fit, safe, wrap};
use crate::wire::response::SecurityProfileIdentifier;

#[derive(Debug, Clone, PartialEq)]
pub enum Load {
    Loading,
    Ready,
    Failed(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct HomeRow {
    pub name: String,
    pub behaviors: Option<usize>,
    pub modified: Option<f64>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Home {
    pub rows: Vec<HomeRow>,
    pub filter: String,
    pub selected: usize,
    pub load: Load,
    /// With `keymap = vi`: typing goes to the filter only after `/`.
    pub filtering: bool,
    /// Where each row was drawn (its screen line and its index), for clicks.
    pub hits: std::cell::RefCell<Vec<(u16, usize)>>,
    /// The unsent new profile a first Ctrl-D asked about (its draft id): a second one discards it.
    pub discarding: Option<String>,
}

impl Default for Home {
    fn default() -> Self {
        Home {
            rows: Vec::new(),
            filter: String::new(),
            selected: 0,
            load: Load::Loading,
            filtering: false,
            discarding: None,
            hits: std::cell::RefCell::new(Vec::new()),
        }
    }
}

impl Home {
    /// The rows the filter keeps (case-insensitive substring).
    pub fn visible(&self) -> Vec<&HomeRow> {
        let f = self.filter.to_lowercase();
        self.rows.iter().filter(|r| r.name.to_lowercase().contains(&f)).collect()
    }

    /// The drafts listed under the profiles, filtered: the unsent new
    /// profiles, then the edits of profiles no longer on the endpoint
    /// (deleted on the server since), once the list is read.
    pub fn unsent<'a>(&self, cx: &'a Shared) -> Vec<&'a crate::drafts::Draft> {
        let mut drafts = cx.drafting.new_profiles(&self.filter, &cx.endpoint);
        drafts.extend(self.deleted(cx));
        drafts
    }

    /// Drafts of edits to profiles the endpoint's list no longer has (deleted
    /// on the server), filtered; none until the list is read.
    pub fn deleted<'a>(&self, cx: &'a Shared) -> Vec<&'a crate::drafts::Draft> {
        if self.load != Load::Ready {
            return Vec::new();
        }
        let f = self.filter.to_lowercase();
        cx.drafting
            .unsent
            .iter()
            .filter(|d| {
                d.meta.operation == crate::drafts::Operation::UpdateSecurityProfile
                    && d.meta.endpoint == cx.endpoint
                    && d.meta.name.to_lowercase().contains(&f)
                    && !self.rows.iter().any(|r| r.name == d.meta.name)
            })
            .collect()
    }

    /// Whether the profile `name` is known to be gone from the endpoint: the
    /// list is read and does not have it.
    pub fn lost(&self, name: &str) -> bool {
        self.load == Load::Ready && !self.rows.iter().any(|r| r.name == name)
    }

    /// Leaving Home another way: a profile being opened is no longer wanted.
    pub fn abandon_open(cx: &mut Shared) {
        cx.requests.abandon_all(Wait::Open);
    }

    /// Asks for the list again.
    pub fn refresh(&mut self, cx: &mut Shared) -> Effect {
        let id = cx.requests.replace(Wait::List, None);
        if self.rows.is_empty() {
            self.load = Load::Loading;
        }
        Effect::ListProfiles(id)
    }

    /// The list arrived (the router drops a replaced one's answer); the details of each row are asked for.
    pub fn listed(
        &mut self,
        result: Result<Vec<SecurityProfileIdentifier>, ClientError>,
        cx: &mut Shared,
    ) -> Vec<Effect> {
        match result {
            Ok(ids) => {
                let old = std::mem::take(&mut self.rows);
                self.rows = ids
                    .into_iter()
                    .map(|i| {
                        let known = old.iter().find(|r| r.name == i.name);
                        HomeRow {
                            behaviors: known.and_then(|r| r.behaviors),
                            modified: known.and_then(|r| r.modified),
                            version: known.and_then(|r| r.version),
                            name: i.name,
                        }
                    })
                    .collect();
                self.load = Load::Ready;
                self.selected = self.selected.min(self.rows.len().saturating_sub(1));
                let names: Vec<String> = self.rows.iter().map(|r| r.name.clone()).collect();
                // A newer list replaces the details still coming for the last one.
                cx.requests.abandon_all(Wait::Describe);
                if names.is_empty() {
                    Vec::new()
                } else {
                    vec![Effect::Describe { id: cx.requests.start(Wait::Describe, None), names }]
                }
            }
            Err(e) => {
                self.load = Load::Failed(e.to_string());
                Vec::new()
            }
        }
    }

    pub fn details(&mut self, d: Details) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.name == d.name) {
            row.behaviors = Some(d.behaviors);
            row.modified = d.modified;
            row.version = d.version;
        }
    }

    /// Ctrl-D: a profile on the endpoint asks for its name; an unsent new
    /// profile is discarded on a second Ctrl-D (`asked`: the draft the last key asked about).
    fn delete(&mut self, asked: Option<String>, profiles: usize, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        if let Some(row) = self.visible().get(self.selected) {
            return Some(Go::DeletePrompt { name: row.name.clone(), version: row.version });
        }
        let draft = self.unsent(cx).get(self.selected - profiles).map(|d| (*d).clone());
        if let Some(pid) = draft.as_ref().and_then(|d| cx.drafting.held_elsewhere(&d.id)) {
            cx.say(format!("That draft is open in another ddsp (process {pid}): it is not discarded"));
            return None;
        }
        if let Some(d) = draft.as_ref().filter(|d| asked.as_deref() != Some(d.id.as_str())) {
            cx.say(format!(
                "Discard the unsent profile {}? Its edits are lost for good: Ctrl-D again discards it, any other key keeps it",
                crate::tui::drafting::display_name(d)
            ));
            self.discarding = Some(d.id.clone());
        } else if let Some(d) = draft {
            cx.drafting.forget(&d.id);
            let why = if d.meta.operation == crate::drafts::Operation::UpdateSecurityProfile {
                "its profile was deleted on the server"
            } else {
                "it was never created"
            };
            cx.say(format!("Discarded the draft of {} ({why})", crate::tui::drafting::display_name(&d)));
            out.push(Effect::RemoveDraft(d.id));
            self.selected = self.selected.saturating_sub(1);
        }
        None
    }
}

impl Titled for Home {
    fn title(&self, _cx: &Shared) -> String {
        " ddsp · security profiles".to_owned()
    }
}

impl Component for Home {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Home]
    }

    /// Whether typed characters go to the filter (then `?` is typed, not help).
    fn typing(&self, cx: &Shared) -> bool {
        if cx.vi { self.filtering } else { !self.filter.is_empty() }
    }

    fn enabled(&self, _action: Action, _cx: &Shared) -> bool {
        true
    }

    fn typed(&self, cx: &Shared) -> Option<&'static str> {
        (!cx.vi).then_some("filter")
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        // Discarding an unsent new profile loses it for good: asked once more, any other key keeps it.
        let asked = self.discarding.take();
        let profiles = self.visible().len();
        let n = profiles + self.unsent(cx).len();
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if let KeyCode::Char(c) = key.code
            && plain
            && (!cx.vi || self.filtering)
            && !(c == '?' && self.filter.is_empty())
        {
            self.filter.push(c);
            self.selected = 0;
            return None;
        }
        if key.code == KeyCode::Backspace {
            self.filter.pop();
            self.selected = 0;
            return None;
        }
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Help => return Some(Go::Help),
            Action::NewProfile => return Some(Go::NewProfile),
            Action::Refresh => {
                out.push(self.refresh(cx));
                out.push(cx.load_known());
                out.push(cx.load_thing_groups());
            }
            Action::Filter => self.filtering = true,
            Action::Resources => return Some(Go::Resources),
            Action::Violations => {
                if let Some(row) = self.visible().get(self.selected) {
                    return Some(Go::Violations(row.name.clone()));
                }
                cx.say("Highlight a profile on the endpoint: F4 shows its violations");
            }
            Action::Back => {
                self.filter.clear();
                self.filtering = false;
            }
            Action::Delete => return self.delete(asked, profiles, cx, out),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(n.saturating_sub(1)),
            Action::First => self.selected = 0,
            Action::Last => self.selected = n.saturating_sub(1),
            Action::Select if self.selected >= profiles => {
                let id = self.unsent(cx).get(self.selected - profiles).map(|d| d.id.clone());
                return id.map(Go::Restore);
            }
            Action::Select => {
                if let Some(row) = self.visible().get(self.selected) {
                    out.push(open(row.name.clone(), cx));
                }
            }
            _ => {}
        }
        None
    }

    /// The list and each row's details (Home keeps its list while other screens are shown).
    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        match event {
            Event::Listed { result, .. } => {
                if let Ok(ids) = &result
                    && let Some(first) = ids.first()
                {
                    cx.learn_account(&first.arn);
                }
                out.extend(self.listed(result, cx));
            }
            Event::Details { details, .. } => self.details(details),
            _ => {}
        }
        None
    }

    fn paste(&mut self, text: &str, _cx: &mut Shared) {
        self.filter.extend(text.chars().filter(|c| !c.is_control()));
        self.selected = 0;
    }

    /// A click on a profile's row highlights it.
    fn click(&mut self, _x: u16, y: u16, _cx: &Shared) {
        let hit = self.hits.borrow().iter().find(|(line, _)| *line == y).map(|(_, i)| *i);
        if let Some(i) = hit {
            self.selected = i;
        }
    }

    fn render(&self, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, cx, frame, area, theme);
    }
}

pub fn render(home: &Home, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [filter, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let prompt = if home.filter.is_empty() {
        let how = if cx.vi { " Filter: / then type to narrow the list" } else { " Filter: type to narrow the list" };
        Span::styled(how, theme.dim())
    } else {
        Span::raw(format!(" Filter: {}", safe(&home.filter)))
    };
    frame.render_widget(Paragraph::new(Line::from(prompt)), filter);
    let block = Block::default().borders(Borders::TOP).title(" Profiles ");
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let visible = home.visible();
    let lines: Vec<Line> = match &home.load {
        Load::Loading => vec![Line::from(Span::styled(" Loading security profiles…", theme.dim()))],
        Load::Failed(e) => failed_lines(e, usize::from(inner.width).saturating_sub(1), theme),
        Load::Ready if home.rows.is_empty() && home.unsent(cx).is_empty() => vec![
            Line::from(" No security profiles on this endpoint yet."),
            Line::from(Span::styled(" Press Ctrl-N to write your first one.", theme.ok())),
        ],
        Load::Ready if visible.is_empty() && home.unsent(cx).is_empty() => {
            vec![Line::from(Span::styled(" No profile matches the filter (Esc clears it).", theme.dim()))]
        }
        Load::Ready => profile_lines(home, &visible, cx, inner, theme),
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Opens the profile `name`: its DescribeSecurityProfile, replacing one
/// still on its way (the router opens what answers, if Home is still shown).
pub fn open(name: String, cx: &mut Shared) -> Effect {
    let id = cx.requests.replace(Wait::Open, Some(format!("Opening {name}…")));
    Effect::Open { id, name }
}

/// The listing's error, whole and wrapped to `width` (its second line may say what the first means).
fn failed_lines(e: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    // The whole message, wrapped: its second line may say what the first means.
    let mut lines = vec![Line::from(Span::styled(" Could not list the security profiles:", theme.error()))];
    for part in e.lines() {
        lines.extend(wrap(&safe(part), width).into_iter().map(|piece| Line::from(format!(" {piece}"))));
    }
    lines.push(Line::from(Span::styled(" Ctrl-R tries again; Ctrl-N starts a new profile offline.", theme.dim())));
    lines
}

/// The profiles (`visible`, filtered), then the unsent new profiles under a
/// header, scrolled so the highlight shows; the rows drawn are kept for clicks.
fn profile_lines(home: &Home, visible: &[&HomeRow], cx: &Shared, inner: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let width = inner.width as usize;
    let name_w = width.saturating_sub(36).max(12);
    let mut lines = vec![Line::from(Span::styled(
        format!(" {:<name_w$}   {:>9}  {}", "NAME", "BEHAVIORS", "LAST MODIFIED (UTC)"),
        theme.dim(),
    ))];
    // Every row (profiles, then unsent new profiles under a header), scrolled so the highlight shows.
    let mut rows: Vec<Line> = Vec::new();
    let mut index: Vec<Option<usize>> = Vec::new();
    let mut selected_at = 0;
    for (i, row) in visible.iter().enumerate() {
        let behaviors = row.behaviors.map_or_else(|| "…".to_owned(), |b| b.to_string());
        let modified = row.modified.map_or_else(|| "…".to_owned(), date);
        let name = fit(&safe(&row.name), name_w);
        let mark = if cx.drafting.of_profile(&row.name, &cx.endpoint).is_some() { "✎" } else { " " };
        let text = format!(" {name:<name_w$} {mark} {behaviors:>9}  {modified}");
        if i == home.selected {
            selected_at = rows.len();
        }
        let style = if i == home.selected { theme.focused() } else { Style::default() };
        rows.push(Line::from(Span::styled(text, style)));
        index.push(Some(i));
    }
    let drafts = home.unsent(cx);
    let new = cx.drafting.new_profiles(&home.filter, &cx.endpoint).len();
    for (j, d) in drafts.iter().enumerate() {
        let header = match j {
            0 if new > 0 => Some(" UNSENT NEW PROFILES (not created yet)"),
            j if j == new => Some(" EDITS OF PROFILES DELETED ON THE SERVER (Enter makes them again)"),
            _ => None,
        };
        if let Some(header) = header {
            rows.push(Line::from(Span::styled(fit(header, width), theme.dim())));
            index.push(None);
        }
        let name = fit(&safe(&crate::tui::drafting::display_name(d)), name_w);
        let behaviors = d.request.get("behaviors").and_then(|b| b.as_array()).map_or(0, Vec::len);
        // The date in the LAST MODIFIED column is when the draft was saved: the same 16
        // characters as a profile's, so it fits at 80 columns.
        // A new profile whose name the endpoint has since taken cannot be created as it is.
        let taken = j < new && home.rows.iter().any(|r| r.name == d.meta.name);
        let when = if taken { "name now taken".to_owned() } else { date(d.meta.saved) };
        let text = format!(" {name:<name_w$} ✎ {behaviors:>9}  {when}");
        let on = visible.len() + j == home.selected;
        if on {
            selected_at = rows.len();
        }
        rows.push(Line::from(Span::styled(text, if on { theme.focused() } else { Style::default() })));
        index.push(Some(visible.len() + j));
    }
    let marked = visible.iter().any(|r| cx.drafting.of_profile(&r.name, &cx.endpoint).is_some()) || !drafts.is_empty();
    if marked {
        rows.push(Line::from(Span::styled(" ✎ unsent draft: Enter resumes it", theme.dim())));
    }
    let height = inner.height.saturating_sub(1) as usize;
    let start = selected_at.saturating_sub(height.saturating_sub(1));
    *home.hits.borrow_mut() = index
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .enumerate()
        .filter_map(|(k, (_, i))| i.map(|i| (inner.y + 1 + k as u16, i)))
        .collect();
    lines.extend(rows.into_iter().skip(start).take(height));
    lines
}
