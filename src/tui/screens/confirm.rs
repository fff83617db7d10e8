//! The confirm screen: exactly what will be sent — the operation, the name,
//! `expectedVersion` and each delete-* flag on its own line, the changes
//! against the server's copy, then the request as `--cli-input-json` takes
//! it. Enter sends it once; while it is on its way Enter does nothing.

use std::cell::Cell;

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Go;
use super::component::{Component, Titled};
use super::editor::EditorScreen;
use crate::client::ClientError;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, Event};
use crate::tui::requests::Wait;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::json::json_line;
use crate::tui::widgets::text::{hanging, safe};
use crate::wire::change::{ProfileChange, Submit};

pub struct ConfirmScreen {
    pub editor: Box<EditorScreen>,
    pub submit: Submit,
    /// The request as a `--cli-input-json` document (4-space JSON).
    pub json: String,
    /// For an update: the changes against the server's version, one per line.
    pub changes: Vec<String>,
    /// An update that changes no member of the profile (only tags or targets, or nothing).
    pub members_unchanged: bool,
    pub scroll: u16,
    /// The last line the screen can scroll to, and its height, as last drawn.
    pub max_scroll: Cell<u16>,
    pub page: Cell<u16>,
    /// Whether the submit on its way was sent from this review (one made
    /// after it went is rebuilt on the version it makes).
    pub sent: bool,
    /// What the profile's alert targets would have received over the
    /// endpoint's last 14 days of data (none asked: no alert target).
    pub alerts: Option<AlertCount>,
}

/// The alerts a profile with alert targets would have sent, as counted.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertCount {
    Counting(crate::tui::message::RequestId),
    Counted(crate::domain::alerts::AlertVolume),
    /// The endpoint has no data for the behaviors that send alerts.
    NoData,
    Failed(String),
}

impl ConfirmScreen {
    /// The confirm screen for the editor's request; the editor back with why, if it cannot be shown.
    pub fn new(editor: Box<EditorScreen>) -> Result<ConfirmScreen, (Box<EditorScreen>, String)> {
        let submit = editor.request();
        let json = match submit.cli_input_json() {
            Ok(json) => json,
            Err(e) => return Err((editor, format!("The request could not be written as JSON: {e}"))),
        };
        let (changes, members_unchanged) = match (&submit, &editor.base) {
            (Submit::Update { tag, untag, .. }, Some(base)) => {
                let listed = crate::wire::change::changes(base, &editor.profile).and_then(|members| {
                    Ok((crate::wire::change::update_changes(base, &editor.profile, tag, untag)?, members.is_empty()))
                });
                match listed {
                    Ok(c) => c,
                    Err(e) => return Err((editor, format!("The changes could not be listed: {e}"))),
                }
            }
            _ => (Vec::new(), false),
        };
        let mut editor = editor;
        if !editor.send.busy() {
            // A new review: an older failure is no longer the news.
            editor.send = super::editor::send::Send::Ready;
        }
        Ok(ConfirmScreen {
            editor,
            submit,
            json,
            changes,
            members_unchanged,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
            page: Cell::new(10),
            sent: false,
            alerts: None,
        })
    }

    /// Asks how many alerts the profile would have sent over the endpoint's
    /// last 14 days of data, when it has alert targets and behaviors that send them.
    pub fn count_alerts(&mut self, cx: &mut Shared) -> Option<Effect> {
        let p = &self.editor.profile;
        let behaviors = p.behaviors.clone().unwrap_or_default();
        let has_targets = p.alert_targets.as_ref().is_some_and(|t| !t.is_empty());
        if !has_targets || !behaviors.iter().any(crate::domain::alerts::alerts_sent) || self.editor.targets.is_empty() {
            return None;
        }
        let id = cx.requests.start(Wait::CountAlerts, None);
        self.alerts = Some(AlertCount::Counting(id));
        Some(Effect::CountAlerts { id, behaviors, targets: self.editor.targets.clone() })
    }

    fn counted(
        &mut self,
        id: crate::tui::message::RequestId,
        result: Result<Option<crate::domain::alerts::AlertVolume>, ClientError>,
    ) {
        if self.alerts != Some(AlertCount::Counting(id)) {
            return;
        }
        self.alerts = Some(match result {
            Ok(Some(v)) => AlertCount::Counted(v),
            Ok(None) => AlertCount::NoData,
            Err(e) => AlertCount::Failed(e.to_string()),
        });
    }

    /// An update that changes no member of the profile (its tags and targets may change):
    /// no UpdateSecurityProfile is sent.
    pub fn profile_unchanged(&self) -> bool {
        matches!(&self.submit, Submit::Update { .. }) && self.members_unchanged
    }

    /// What Enter sends: the request, then the editor's attaches and detaches.
    pub fn change(&self) -> ProfileChange {
        let (attach, detach) = self.editor.target_changes();
        ProfileChange { submit: self.submit.clone(), attach, detach, profile_unchanged: self.profile_unchanged() }
    }

    /// Nothing at all would change: no update, no attach, no detach.
    pub fn nothing_to_send(&self) -> bool {
        !self.change().changes_something()
    }

    pub fn sending(&self) -> bool {
        self.editor.send.busy()
    }
}

/// Words for a failed submit: the service's answer, or why it never got one.
pub fn error_words(e: &ClientError) -> String {
    match e {
        ClientError::Service { .. } => format!("The service refused it: {e}"),
        ClientError::Config(_) => format!("The request was not sent (configuration): {e}"),
        ClientError::Network(_) | ClientError::Request(_) | ClientError::Other(_) => {
            format!("The request did not get through: {e}")
        }
    }
}

fn lines(c: &ConfirmScreen, cx: &Shared, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = heading_lines(c, theme);
    lines.extend(warning_lines(c, width, theme));
    if let Some(count) = &c.alerts {
        lines.extend(alert_lines(c, count, width, theme));
    }
    if let Some(e) = c.editor.send.error() {
        lines.extend(hanging(vec![Span::raw(" ")], &safe(&error_words(e)), width, 3, theme.error()));
        lines.push(Line::from(Span::styled(
            " Your edits are kept: Esc returns to them, Enter tries again.",
            theme.dim(),
        )));
    }
    lines.extend(change_lines(c, width, theme));
    lines.extend(call_lines(c, cx, width, theme));
    let label = if c.profile_unchanged() {
        " The profile as it is (not sent), as --cli-input-json:"
    } else {
        " The request, as --cli-input-json:"
    };
    lines.push(Line::from(Span::styled(label, theme.label())));
    // The JSON is what is sent: a line wider than the screen goes on, marked ↪, below.
    for l in c.json.lines() {
        lines.extend(json_lines(l, width, theme));
    }
    lines
}

/// The operation and profile, the version checked and the delete flags.
fn heading_lines(c: &ConfirmScreen, theme: &Theme) -> Vec<Line<'static>> {
    let targets_only = c.profile_unchanged();
    let change = c.change();
    let operation = if c.nothing_to_send() {
        "No change to"
    } else if targets_only && change.retags() && (!change.attach.is_empty() || !change.detach.is_empty()) {
        "Tags and targets of"
    } else if targets_only && change.retags() {
        "Tags of"
    } else if targets_only {
        "Targets of"
    } else {
        c.submit.operation()
    };
    let mut lines =
        vec![Line::from(vec![Span::styled(format!(" {operation} "), theme.title()), Span::raw(safe(c.submit.name()))])];
    match c.submit.expected_version() {
        // Only the targets change: no update is sent, but the version is checked first.
        Some(v) if targets_only => lines.push(Line::from(Span::styled(
            format!("   The profile is not changed; its version is checked first (still {v})"),
            theme.dim(),
        ))),
        Some(v) => lines.push(Line::from(Span::styled(format!("   expectedVersion {v}"), theme.warning()))),
        None => {}
    }
    // No update goes when only tags or targets change: it has no delete flags to send.
    for flag in c.submit.delete_flags().into_iter().filter(|_| !targets_only) {
        lines.push(Line::from(Span::styled(format!("   {flag}: true"), theme.error())));
    }
    lines
}

/// What the rules warn of (ML beside rules, exportMetric without an export
/// config, no target…), said above the request: sending is allowed, but it
/// should not come as a surprise.
fn warning_lines(c: &ConfirmScreen, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let warnings: Vec<&crate::domain::Problem> = c.editor.problems.iter().filter(|p| !p.is_error()).collect();
    if warnings.is_empty() {
        return Vec::new();
    }
    let count = if warnings.len() == 1 { "1 warning".to_owned() } else { format!("{} warnings", warnings.len()) };
    let mut lines = vec![Line::from(Span::styled(format!(" {count} (sending is allowed):"), theme.warning()))];
    for w in warnings {
        let at = w.path.to_string();
        let text = if at.is_empty() { w.message.clone() } else { format!("{at}: {}", w.message) };
        lines.extend(hanging(vec![Span::styled("   ! ", theme.warning())], &safe(&text), width, 5, theme.warning()));
    }
    lines
}

/// An update's changes, against the version the edit was opened on (the
/// server may have moved on since: only the send's version check knows).
fn change_lines(c: &ConfirmScreen, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let Some(v) = c.submit.expected_version() else { return Vec::new() };
    let against = match c.editor.server_version.filter(|s| *s != v) {
        Some(now) => format!(
            "Changes against version {v}, the base of this edit (the server is now at version {now}: Enter shows what changed there first):"
        ),
        None => format!("Changes against version {v}, the base of this edit:"),
    };
    let mut lines = hanging(vec![Span::raw(" ")], &against, width, 3, theme.label());
    if c.nothing_to_send() {
        lines.push(Line::from(Span::styled("   (none: there is nothing to send)", theme.dim())));
    } else if c.profile_unchanged() {
        let change = c.change();
        let what = match (change.retags(), !change.attach.is_empty() || !change.detach.is_empty()) {
            (true, true) => "the tags and the targets below change",
            (true, false) => "the tags below change",
            _ => "the targets below change",
        };
        let text = format!("   (no member of the profile: only {what}; no update is sent)");
        lines.push(Line::from(Span::styled(text, theme.dim())));
    }
    for change in &c.changes {
        let style = match change.chars().next() {
            Some('+') => theme.ok(),
            Some('-') => theme.error(),
            _ => theme.warning(),
        };
        lines.extend(hanging(vec![Span::raw("   ")], &safe(change), width, 5, style));
    }
    lines
}

/// The calls after the request, each its own: the attaches and detaches.
fn call_lines(c: &ConfirmScreen, cx: &Shared, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let plan = c.change();
    if plan.attach.is_empty() && plan.detach.is_empty() {
        return Vec::new();
    }
    let then = if c.profile_unchanged() { " The calls:" } else { " Then, once it is applied:" };
    let mut lines = vec![Line::from(Span::styled(then, theme.label()))];
    let arn = |t: &crate::domain::targets::Target| match (cx.region(), &cx.account) {
        (Some(r), Some(a)) => t.arn(r, a),
        _ => format!("{} (in the profile's account and region)", t.label()),
    };
    let calls = plan.attach.iter().map(|t| ("   + ", "AttachSecurityProfile", t, theme.ok()));
    for (mark, call, t, style) in
        calls.chain(plan.detach.iter().map(|t| ("   - ", "DetachSecurityProfile", t, theme.error())))
    {
        lines.extend(hanging(vec![Span::styled(mark, style)], &format!("{call} {}", safe(&arn(t))), width, 5, style));
    }
    lines
}

/// What the alert targets would have received: "Alerts: 33 messages to each
/// alert target over the endpoint's last 14 days (busiest day 2026-11-26 with 6)".
fn alert_lines(c: &ConfirmScreen, count: &AlertCount, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let targets = c.editor.profile.alert_targets.as_ref().map_or(0, |t| t.len());
    let to = if targets == 1 { "its alert target".to_owned() } else { format!("each of its {targets} alert targets") };
    let (text, style) = match count {
        AlertCount::Counting(_) => {
            (format!("Alerts: counting what {to} would have received over the endpoint's last 14 days…"), theme.dim())
        }
        AlertCount::Counted(v) => {
            let busiest = v.busiest_day.map_or_else(String::new, |(day, n)| {
                let date: String = crate::wire::time::iso8601(day as f64).chars().take(10).collect();
                format!(" (busiest day {date} with {n})")
            });
            let messages = if v.messages == 1 { "1 message".to_owned() } else { format!("{} messages", v.messages) };
            (format!("Alerts: {messages} to {to} over the endpoint's last 14 days of data{busiest}"), theme.label())
        }
        AlertCount::NoData => (
            format!("Alerts: the endpoint has no data yet for the behaviors that alert, so none are counted for {to}"),
            theme.dim(),
        ),
        AlertCount::Failed(e) => (format!("Alerts: not counted ({e})"), theme.dim()),
    };
    hanging(vec![Span::raw(" ")], &safe(&text), width, 3, style)
}

/// A JSON line, and its continuation lines when it is wider than `width`.
fn json_lines(line: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width).max(20);
    if line.chars().count() < width {
        return vec![json_line(line, theme)];
    }
    let indent = line.len() - line.trim_start().len() + 4;
    let head: String = line.chars().take(width - 1).collect();
    let mut out = vec![json_line(&head, theme)];
    let rest: Vec<char> = line.chars().skip(width - 1).collect();
    let room = width.saturating_sub(indent + 3).max(10);
    for piece in rest.chunks(room) {
        let text: String = piece.iter().collect();
        out.push(Line::from(vec![
            Span::styled(format!("{}↪ ", " ".repeat(indent)), theme.dim()),
            Span::raw(safe(&text)),
        ]));
    }
    out
}

impl Titled for ConfirmScreen {
    fn title(&self, _cx: &Shared) -> String {
        format!(" ddsp · review {}", safe(self.editor.name()))
    }
}

impl Component for ConfirmScreen {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Confirm]
    }

    fn typing(&self, _cx: &Shared) -> bool {
        false
    }

    fn enabled(&self, action: Action, cx: &Shared) -> bool {
        action != Action::Send || !(cx.read_only || self.sending() || self.nothing_to_send())
    }

    fn typed(&self, _cx: &Shared) -> Option<&'static str> {
        None
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        let max = self.max_scroll.get();
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Help => return Some(Go::Help),
            // One request per confirmation: while it is on its way, Enter does nothing.
            Action::Send if self.sending() => {}
            Action::Send if cx.refuse_write_then(self.submit.operation(), "; w writes the request to a file") => {}
            Action::Send if self.nothing_to_send() => {
                cx.say("Nothing to send: the profile, its tags and its targets are as on the server");
            }
            Action::Send => {
                let id = cx.requests.start(Wait::Submit, Some(format!("Submitting {}…", self.submit.name())));
                self.sent = true;
                let sent = Box::new(self.editor.profile.clone());
                self.editor.send = super::editor::send::Send::Sending { id, sent };
                out.push(Effect::Submit { id, change: Box::new(self.change()) });
            }
            Action::Back => return Some(Go::Editor),
            Action::ShowCalls => return Some(Go::ShowCalls),
            Action::Write => {
                let name = self.submit.name();
                let name = if name.is_empty() { "unnamed" } else { name };
                out.push(Effect::Write {
                    path: format!("{name}.{}.json", self.submit.verb()),
                    json: self.json.clone(),
                });
            }
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Down => self.scroll = self.scroll.saturating_add(1).min(max),
            Action::PageUp => self.scroll = self.scroll.saturating_sub(self.page.get()),
            Action::PageDown => self.scroll = self.scroll.saturating_add(self.page.get()).min(max),
            Action::First => self.scroll = 0,
            Action::Last => self.scroll = max,
            _ => {}
        }
        None
    }

    /// The editor underneath gets its results (a chart, an external edit) here too.
    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        if let Event::AlertVolume { id, result } = event {
            self.counted(id, result);
            return None;
        }
        self.editor.on_result(event, cx, out)
    }

    fn paste(&mut self, _text: &str, _cx: &mut Shared) {}

    fn click(&mut self, _x: u16, _y: u16, _cx: &Shared) {}

    fn render(&self, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, cx, frame, area, theme);
    }
}

pub fn render(c: &ConfirmScreen, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
    let lines = lines(c, cx, area.width, theme);
    let max = (lines.len() as u16).saturating_sub(area.height);
    c.max_scroll.set(max);
    c.page.set(area.height.saturating_sub(1).max(1));
    frame.render_widget(Paragraph::new(lines).scroll((c.scroll.min(max), 0)), area);
}
