//! A profile's violations (F4 on Home): the active violations by behavior and
//! thing, since when, the last value, and the verification state, which Enter
//! sets (PutVerificationStateOnViolation); the alerts the sandbox sent for the
//! highlighted one (ListSandboxAlerts; AWS sends them to SNS only); a
//! mitigation task on the chosen ones (Space chooses, m starts,
//! `mitigate.rs`); and the model status of each ML Detect behavior
//! (GetBehaviorModelTrainingSummaries).

use std::collections::{BTreeSet, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use serde_json::Value;

use super::Go;
use super::component::{Component, Titled};
use super::mitigate::{Chosen, Mitigate, Outcome};
use super::since_opened::SinceOpened;
use crate::client::ClientError;
use crate::domain::rules::violations::{VERIFICATION_DESCRIPTION_MAX, VERIFICATION_STATES};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, Event, Violations};
use crate::tui::requests::Wait;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{fit, hanging, safe};

pub struct ViolationsScreen {
    pub profile: String,
    pub list: Option<Result<Violations, String>>,
    pub selected: usize,
    /// Choosing a verification state: the highlighted one's index in `VERIFICATION_STATES`.
    pub choosing: Option<usize>,
    /// The verificationStateDescription typed while choosing (the violation's own to start).
    pub description: String,
    /// When the list last arrived (epoch seconds): it is read again
    /// `FOLLOW_INTERVAL` later, so violations appear as reports arrive.
    pub loaded_at: f64,
    /// The violations chosen for a mitigation task, by id.
    pub marked: BTreeSet<String>,
    /// The mitigation task being started, when its pane is open.
    pub mitigate: Option<Mitigate>,
    /// The alerts kept for each violation read so far (ListSandboxAlerts
    /// items), by id; or why they could not be read this time.
    pub alerts: HashMap<String, Result<Vec<Value>, String>>,
    /// Why alerts cannot be read here (the endpoint is not a ddsp sandbox): asked once.
    pub alerts_unavailable: Option<String>,
    /// What the readings since the view opened changed.
    pub since_opened: SinceOpened,
    /// The violation highlighted when a reading failed (its list is gone
    /// until the next one arrives): its id, and "BEHAVIOR on THING".
    highlighted_before: Option<(String, String)>,
}

/// Seconds between two readings of an open violations view.
pub const FOLLOW_INTERVAL: f64 = 10.0;

impl ViolationsScreen {
    /// The screen for `profile`, and the effect that loads it.
    pub fn open(profile: String, cx: &mut Shared) -> (ViolationsScreen, Effect) {
        // What an earlier violations screen asked for is not this one's.
        for wait in [Wait::Verify, Wait::Alerts] {
            cx.requests.abandon_all(wait);
        }
        let id = cx.requests.replace(Wait::Violations, None);
        let effect = Effect::LoadViolations { id, profile: profile.clone() };
        (
            ViolationsScreen {
                profile,
                list: None,
                selected: 0,
                choosing: None,
                description: String::new(),
                loaded_at: cx.now,
                marked: BTreeSet::new(),
                mitigate: None,
                alerts: HashMap::new(),
                alerts_unavailable: None,
                since_opened: SinceOpened::default(),
                highlighted_before: None,
            },
            effect,
        )
    }

    fn active(&self) -> &[Value] {
        match &self.list {
            Some(Ok(v)) => &v.active,
            _ => &[],
        }
    }

    /// The list arrived (the router drops an answer that was replaced).
    /// The highlighted violation stays highlighted wherever its row moved;
    /// a reading that failed keeps what was chosen. When the highlighted
    /// violation is gone, the row below it takes its place and the answer
    /// says which one ended, for the status line.
    pub fn loaded(&mut self, result: Result<Violations, ClientError>, now: f64) -> Option<String> {
        self.loaded_at = now;
        // After a reading that failed, the one highlighted before it.
        let highlighted = self.selected_named().or(self.highlighted_before.take());
        self.list = Some(result.map(sorted).map_err(|e| e.to_string()));
        // Alerts are read again for the violation in view: a new one may have been sent.
        self.alerts.clear();
        let Some(Ok(list)) = &self.list else {
            self.highlighted_before = highlighted;
            return None;
        };
        let ids: BTreeSet<String> =
            list.active.iter().filter_map(|v| v["violationId"].as_str().map(str::to_owned)).collect();
        let at = highlighted
            .as_ref()
            .and_then(|(id, _)| list.active.iter().position(|v| v["violationId"].as_str() == Some(id)));
        self.selected = at.unwrap_or(self.selected).min(list.active.len().saturating_sub(1));
        self.marked.retain(|id| ids.contains(id));
        self.since_opened.read(ids);
        let ended = highlighted.filter(|_| at.is_none());
        ended.map(|(_, named)| format!("The highlighted violation ended: {named}"))
    }

    /// The highlighted violation's id, and "BEHAVIOR on THING".
    fn selected_named(&self) -> Option<(String, String)> {
        let v = self.active().get(self.selected)?;
        let named = format!(
            "{} on {}",
            safe(v["behavior"]["name"].as_str().unwrap_or_default()),
            safe(v["thingName"].as_str().unwrap_or_default())
        );
        Some((v["violationId"].as_str()?.to_owned(), named))
    }

    /// The highlighted violation's id.
    fn selected_id(&self) -> Option<String> {
        self.active().get(self.selected).and_then(|v| v["violationId"].as_str()).map(str::to_owned)
    }

    /// Reads the highlighted violation's alerts, unless they are known, on
    /// their way, or cannot be read from this endpoint.
    fn want_alerts(&mut self, cx: &mut Shared, out: &mut Vec<Effect>) {
        let Some(violation_id) = self.selected_id() else { return };
        if self.alerts_unavailable.is_some()
            || cx.requests.waiting(Wait::Alerts)
            || self.alerts.contains_key(&violation_id)
        {
            return;
        }
        let id = cx.requests.start(Wait::Alerts, None);
        out.push(Effect::LoadAlerts { id, violation_id });
    }

    fn alerts_loaded(&mut self, violation_id: String, result: Result<Vec<Value>, ClientError>) {
        match result {
            Ok(items) => {
                self.alerts.insert(violation_id, Ok(items));
            }
            // AWS has no such call: it sends alerts to SNS only (said once).
            Err(ClientError::Request(e)) => self.alerts_unavailable = Some(e),
            // Anything else may pass: shown for this violation, asked again with the next reading.
            Err(e) => {
                self.alerts.insert(violation_id, Err(e.to_string()));
            }
        }
    }

    /// The violations a task is for: those chosen, else the highlighted one.
    fn chosen(&self) -> Vec<Chosen> {
        let pick = |v: &Value| Chosen {
            violation_id: v["violationId"].as_str().unwrap_or_default().to_owned(),
            thing: v["thingName"].as_str().unwrap_or_default().to_owned(),
            behavior: v["behavior"]["name"].as_str().unwrap_or_default().to_owned(),
        };
        let marked: Vec<Chosen> = self
            .active()
            .iter()
            .filter(|v| v["violationId"].as_str().is_some_and(|id| self.marked.contains(id)))
            .map(pick)
            .collect();
        if !marked.is_empty() {
            return marked;
        }
        self.active().get(self.selected).map(pick).into_iter().collect()
    }

    /// The state was put: the list is read again to show it.
    pub fn verified(&mut self, result: Result<(), ClientError>, cx: &mut Shared, out: &mut Vec<Effect>) {
        match result {
            Ok(()) => {
                cx.say("Verification state saved");
                self.reload(cx, out);
            }
            Err(e) => cx.say(format!("The verification state was not saved: {e}")),
        }
    }

    /// When the list is next read by itself: `FOLLOW_INTERVAL` after it
    /// arrived, unless a request is on its way or a state is being chosen.
    pub fn follow_at(&self, cx: &Shared) -> Option<f64> {
        let waiting = cx.requests.waiting(Wait::Violations) || cx.requests.waiting(Wait::Verify);
        (!waiting && self.choosing.is_none() && self.mitigate.is_none()).then_some(self.loaded_at + FOLLOW_INTERVAL)
    }

    /// Reads the list again when its time has come.
    pub fn follow(&mut self, cx: &mut Shared, out: &mut Vec<Effect>) {
        if self.follow_at(cx).is_some_and(|at| at <= cx.now) {
            self.reload(cx, out);
        }
    }

    fn reload(&mut self, cx: &mut Shared, out: &mut Vec<Effect>) {
        let id = cx.requests.replace(Wait::Violations, None);
        out.push(Effect::LoadViolations { id, profile: self.profile.clone() });
    }

    /// Puts `state` and the description typed on the highlighted violation,
    /// once the rules take them (else says why, and the chooser stays open).
    fn put(&mut self, state: &str, cx: &mut Shared, out: &mut Vec<Effect>) {
        if cx.refuse_write("PutVerificationStateOnViolation") {
            return;
        }
        let Some(v) = self.active().get(self.selected) else { return };
        let violation_id = v["violationId"].as_str().unwrap_or_default().to_owned();
        let description = Some(self.description.trim().to_owned()).filter(|d| !d.is_empty());
        let problems =
            crate::domain::rules::violations::validate_verification(&violation_id, Some(state), description.as_deref());
        if let Some(p) = problems.iter().find(|p| p.is_error()) {
            return cx.say(format!("{}: {}", p.path, p.message));
        }
        self.choosing = None;
        let id = cx.requests.start(Wait::Verify, Some(format!("Marking the violation {state}…")));
        out.push(Effect::PutVerification { id, violation_id, state: state.to_owned(), description });
    }
}

/// Active violations by behavior, then thing.
fn sorted(mut v: Violations) -> Violations {
    let key = |x: &Value| {
        (
            x["behavior"]["name"].as_str().unwrap_or_default().to_owned(),
            x["thingName"].as_str().unwrap_or_default().to_owned(),
        )
    };
    v.active.sort_by_key(key);
    v
}

/// The highlighted violation's verification state and its description, when it has one.
fn verdict_lines(s: &ViolationsScreen, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let Some(v) = s.active().get(s.selected) else { return Vec::new() };
    let Some(description) = v["verificationStateDescription"].as_str().filter(|d| !d.is_empty()) else {
        return Vec::new();
    };
    let state = v["verificationState"].as_str().unwrap_or("UNKNOWN");
    let text = format!("Marked {state}: {description}");
    hanging(vec![Span::raw(" ")], &safe(&text), width, 3, theme.label())
}

/// The alerts the sandbox sent for the highlighted violation: a heading and
/// one line each ("11-30 14:10 in-alarm → alerts · DELIVERED"), at most four.
fn alert_lines(s: &ViolationsScreen, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if s.active().is_empty() {
        return Vec::new();
    }
    if let Some(why) = &s.alerts_unavailable {
        return vec![Line::from(Span::styled(fit(&format!(" Alerts: {}", safe(why)), width), theme.dim()))];
    }
    let alerts = match s.selected_id().and_then(|id| s.alerts.get(&id)) {
        None => return vec![Line::from(Span::styled(" Alerts: reading…", theme.dim()))],
        Some(Err(e)) => {
            let text = format!(" Alerts: not read ({}); read again with the list", safe(e));
            return vec![Line::from(Span::styled(fit(&text, width), theme.dim()))];
        }
        Some(Ok(alerts)) => alerts,
    };
    if alerts.is_empty() {
        return vec![Line::from(Span::styled(" Alerts: none sent for this violation", theme.dim()))];
    }
    let mut lines =
        vec![Line::from(Span::styled(format!(" Alerts sent for this violation ({}):", alerts.len()), theme.label()))];
    for a in alerts.iter().rev().take(4).rev() {
        let topic = a["topicArn"].as_str().unwrap_or_default();
        let topic = topic.rsplit(':').next().unwrap_or(topic);
        let delivery = a["delivery"]["status"].as_str().unwrap_or_default();
        let row = format!(
            "   {} {:<17} → {} · {}",
            when(&a["violationEventTime"]),
            a["violationEventType"].as_str().unwrap_or_default(),
            topic,
            delivery
        );
        let style = match delivery {
            "DELIVERED" => theme.ok(),
            "FAILED" => theme.error(),
            _ => Style::default(),
        };
        lines.push(Line::from(Span::styled(fit(&safe(&row), width), style)));
    }
    lines
}

/// `11-30 14:10` (UTC) from epoch seconds.
fn when(v: &Value) -> String {
    v.as_f64().map_or_else(String::new, |t| {
        let iso = crate::wire::time::iso8601(t.floor());
        format!("{} {}", iso.get(0..10).unwrap_or(""), iso.get(11..16).unwrap_or(""))
    })
}

/// A MetricValue in a few characters, with the built-in metric's unit
/// ("1442850 bytes"); a list or a custom metric's value as it is.
fn value(v: &Value, metric: &str) -> String {
    let parsed: Option<crate::domain::profile::MetricValue> = serde_json::from_value(v.clone()).ok();
    let text = parsed.as_ref().map_or_else(String::new, crate::domain::value_text::value_text);
    let numeric = parsed.is_some_and(|m| m.count.is_some() || m.number.is_some());
    match crate::domain::metrics::builtin(metric).map(|m| m.unit).filter(|u| numeric && !u.is_empty()) {
        Some(unit) => format!("{text} {unit}"),
        None => text,
    }
}

impl Titled for ViolationsScreen {
    fn title(&self, _cx: &Shared) -> String {
        format!(" ddsp · violations of {}", safe(&self.profile))
    }
}

impl Component for ViolationsScreen {
    fn keys(&self) -> Vec<Context> {
        match (&self.mitigate, self.choosing) {
            (Some(m), _) => m.keys(),
            (None, Some(_)) => vec![Context::VerifyChoice],
            (None, None) => vec![Context::Violations],
        }
    }

    /// The task pane's fields, or the verification state's description, take typed characters.
    fn typing(&self, _cx: &Shared) -> bool {
        self.mitigate.as_ref().is_some_and(Mitigate::typing) || self.choosing.is_some()
    }

    fn enabled(&self, _action: Action, _cx: &Shared) -> bool {
        true
    }

    fn typed(&self, cx: &Shared) -> Option<&'static str> {
        match self.choosing {
            Some(_) => Some("the description"),
            None => self.typing(cx).then_some("the new action's fields"),
        }
    }

    fn paste(&mut self, _text: &str, _cx: &mut Shared) {}

    fn click(&mut self, _x: u16, _y: u16, _cx: &Shared) {}

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        if let Some(m) = &mut self.mitigate {
            if let Outcome::Close { ran } = m.on_key(key, cx, out) {
                self.mitigate = None;
                if ran {
                    self.marked.clear();
                    self.reload(cx, out);
                }
            }
            return None;
        }
        let go = self.on_list_key(key, cx, out);
        self.want_alerts(cx, out);
        go
    }

    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        match event {
            Event::Violations { result, .. } => {
                if let Some(ended) = self.loaded(result, cx.now) {
                    cx.say(ended);
                }
                self.want_alerts(cx, out);
            }
            Event::Verified { result, .. } => self.verified(result, cx, out),
            Event::Alerts { violation_id, result, .. } => self.alerts_loaded(violation_id, result),
            Event::MitigationActions { id, result } => {
                if let Some(m) = &mut self.mitigate {
                    m.actions_loaded(id, result);
                }
            }
            Event::Mitigated { id, result } => {
                if let Some(m) = &mut self.mitigate {
                    m.mitigated(id, result);
                }
            }
            _ => {}
        }
        None
    }

    fn render(&self, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, cx.endpoint_is_local(), frame, area, theme);
    }
}

impl ViolationsScreen {
    /// Keys on the list itself (no state being chosen, no task pane open).
    fn on_list_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        if self.choosing.is_some() {
            // Characters are the description's; the keymap has the rest.
            let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            match key.code {
                KeyCode::Char(c) if plain => {
                    if self.description.chars().count() < VERIFICATION_DESCRIPTION_MAX {
                        self.description.push(c);
                    }
                    return None;
                }
                KeyCode::Backspace => {
                    self.description.pop();
                    return None;
                }
                _ => {}
            }
        }
        let action = keymap::lookup(&self.keys(), cx.vi, &key)?;
        if let Some(choice) = self.choosing {
            match action {
                Action::Up => self.choosing = Some(choice.saturating_sub(1)),
                Action::Down => self.choosing = Some((choice + 1).min(VERIFICATION_STATES.len() - 1)),
                Action::ClearField => self.description.clear(),
                Action::Select => self.put(VERIFICATION_STATES[choice], cx, out),
                Action::Back => self.choosing = None,
                _ => {}
            }
            return None;
        }
        let n = self.active().len();
        match action {
            Action::Back => return Some(Go::Home),
            Action::Help => return Some(Go::Help),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::First => self.selected = 0,
            Action::Last => self.selected = n.saturating_sub(1),
            Action::Refresh => self.reload(cx, out),
            Action::Toggle => {
                if let Some(id) = self.selected_id()
                    && !self.marked.remove(&id)
                {
                    self.marked.insert(id);
                }
            }
            Action::Mitigate if n > 0 => {
                let (pane, load) = Mitigate::open(self.profile.clone(), self.chosen(), cx);
                self.mitigate = Some(pane);
                out.push(load);
            }
            Action::Verify | Action::Select if n > 0 => {
                let current = self.active()[self.selected]["verificationState"].as_str().unwrap_or("UNKNOWN");
                // The state it has; with none put yet (UNKNOWN), the first state.
                let at = VERIFICATION_STATES.iter().position(|s| *s == current).filter(|_| current != "UNKNOWN");
                let said = self.active()[self.selected]["verificationStateDescription"].as_str().unwrap_or_default();
                self.description = said.to_owned();
                self.choosing = Some(at.unwrap_or(0));
            }
            _ => {}
        }
        None
    }
}

/// Draws the view; `local`: the endpoint is on this machine (a sandbox,
/// which does not evaluate ML Detect behaviors).
pub fn render(s: &ViolationsScreen, local: bool, frame: &mut Frame, area: Rect, theme: &Theme) {
    let width = usize::from(area.width);
    let mut lines: Vec<Line> = Vec::new();
    let list = match &s.list {
        None => {
            let text = format!("Reading the violations of {}…", safe(&s.profile));
            frame.render_widget(Paragraph::new(Span::styled(format!(" {text}"), theme.dim())), area);
            return;
        }
        Some(Err(e)) => {
            let text = format!("The violations could not be read: {}. Ctrl-R tries again.", safe(e));
            frame.render_widget(
                Paragraph::new(hanging(vec![Span::raw(" ")], &text, area.width, 1, theme.error())),
                area,
            );
            return;
        }
        Some(Ok(v)) => v,
    };
    let (came_and_went, read_at) = (s.since_opened.said(), read_at(s.loaded_at));
    let head = if list.active.is_empty() {
        // An ML Detect behavior needs Detect's trained models, which a local
        // sandbox does not imitate: an empty list says so rather than "all is well".
        let ml =
            if local { " (A ddsp sandbox does not evaluate ML Detect behaviors; only AWS's models do.)" } else { "" };
        format!("No active violations: no thing this profile watches is in alarm{came_and_went}{read_at}.{ml}")
    } else {
        let chosen = if s.marked.is_empty() {
            String::new()
        } else {
            format!(" · {} chosen (m mitigates them)", s.marked.len())
        };
        let n = list.active.len();
        format!("{n} active violation{}{came_and_went}{chosen}{read_at}", if n == 1 { "" } else { "s" })
    };
    let head = hanging(vec![Span::raw(" ")], &head, area.width, 1, theme.title());
    let head_rows = head.len();
    lines.extend(head);
    let (bw, tw) = column_widths(&list.active, width);
    let columns = format!(" {:<bw$} {:<tw$} {:<16} {:<15} {}", "Behavior", "Thing", "Since (UTC)", "Last", "Verified");
    lines.push(Line::from(Span::styled(fit(&columns, width), theme.label())));
    // Under the table: the task being started, else the highlighted violation's alerts.
    let below = match &s.mitigate {
        // The table keeps a row or two; the pane scrolls its request within the rest.
        Some(m) => m.lines(area.width, usize::from(area.height).saturating_sub(7 + list.models.len().min(4)), theme),
        None => {
            let mut below = verdict_lines(s, area.width, theme);
            below.extend(alert_lines(s, width, theme));
            below
        }
    };
    let rows_room = usize::from(area.height)
        .saturating_sub(3 + head_rows + list.models.len().min(4) + usize::from(s.choosing.is_some()) * 7 + below.len());
    let start = s.selected.saturating_sub(rows_room.saturating_sub(1));
    for (i, v) in list.active.iter().enumerate().skip(start).take(rows_room.max(1)) {
        let state = safe(v["verificationState"].as_str().unwrap_or("—"));
        let metric = v["behavior"]["metric"].as_str().unwrap_or_default();
        let marked = v["violationId"].as_str().is_some_and(|id| s.marked.contains(id));
        let row = format!(
            "{}{:<bw$} {:<tw$} {:<16} {:<15} {}",
            match (marked, v["violationId"].as_str().is_some_and(|id| s.since_opened.arrived.contains(id))) {
                (true, _) => "*",
                (false, true) => "+",
                (false, false) => " ",
            },
            fit(&safe(v["behavior"]["name"].as_str().unwrap_or_default()), bw),
            fit(&safe(v["thingName"].as_str().unwrap_or_default()), tw),
            when(&v["violationStartTime"]),
            fit(&safe(&value(&v["lastViolationValue"], metric)), 15),
            state
        );
        let style = if i == s.selected { theme.focused() } else { Style::default() };
        lines.push(Line::from(Span::styled(fit(&row, width), style)));
    }
    lines.extend(below);
    if let Some(choice) = s.choosing {
        lines.extend(verification_lines(choice, &s.description, width, theme));
    }
    lines.extend(model_lines(&list.models, width, theme));
    frame.render_widget(Paragraph::new(lines), area);
}

/// When the list was last read (epoch seconds): " · read 21:20:13 UTC".
fn read_at(epoch: f64) -> String {
    let iso = crate::wire::time::iso8601(epoch.floor());
    format!(" · read {} UTC", iso.get(11..19).unwrap_or_default())
}

/// The widths of the Behavior and Thing columns: past 80 columns the names
/// get the room, and a long behavior name what the Verified column does not need.
fn column_widths(active: &[Value], width: usize) -> (usize, usize) {
    // Past 80 columns, the names get the room (half each to the behavior and the thing, up to 20 more).
    let extra = width.saturating_sub(80).min(40) / 2;
    let (mut bw, tw) = (13 + extra, 16 + extra);
    // What the Verified column does not need goes to a long behavior name.
    let longest = |key: &str, sub: Option<&str>| {
        active
            .iter()
            .map(|v| sub.map_or(&v[key], |s| &v[key][s]).as_str().map_or(1, |t| t.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let verified = longest("verificationState", None).max("Verified".len());
    let room = width.saturating_sub(1 + bw + 1 + tw + 1 + 16 + 1 + 15 + 1 + verified);
    bw += room.min(longest("behavior", Some("name")).saturating_sub(bw));
    (bw, tw)
}

/// The verification states to choose from, the highlighted one `choice`,
/// and the description typed (its end shown when it is longer than the row).
fn verification_lines(choice: usize, description: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines =
        vec![Line::from(Span::styled(" Mark the highlighted violation (Enter saves, Esc cancels):", theme.title()))];
    for (k, state) in VERIFICATION_STATES.iter().enumerate() {
        let style = if k == choice { theme.focused() } else { Style::default() };
        lines.push(Line::from(Span::styled(format!("   {state}"), style)));
    }
    let label = "   Description (optional, type it): ";
    let room = width.saturating_sub(label.chars().count() + 2);
    let typed = safe(description);
    let shown: String = typed.chars().skip(typed.chars().count().saturating_sub(room)).collect();
    lines
        .push(Line::from(vec![Span::styled(label, theme.label()), Span::styled(format!("{shown}▏"), theme.focused())]));
    lines
}

/// The profile's ML Detect models (four at most): status and data collected.
fn model_lines(models: &[Value], width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if models.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::from(Span::styled(" ML Detect models", theme.title()))];
    for m in models.iter().take(4) {
        let status = safe(m["modelStatus"].as_str().unwrap_or("?"));
        let pct = m["datapointsCollectionPercentage"].as_f64().unwrap_or(0.0);
        let refreshed = when(&m["lastModelRefreshDate"]);
        let refreshed = if refreshed.is_empty() { String::new() } else { format!(" · refreshed {refreshed}") };
        let text = format!(
            "  {}: {status} · {pct:.0}% of its data{refreshed}",
            safe(m["behaviorName"].as_str().unwrap_or_default())
        );
        let style = if status == "ACTIVE" { theme.ok() } else { theme.warning() };
        lines.push(Line::from(Span::styled(fit(&text, width), style)));
    }
    lines
}
