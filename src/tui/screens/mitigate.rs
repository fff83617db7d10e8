//! Starting a mitigation task from the violations view (m): the violations
//! chosen (Space) or the highlighted one, then a mitigation action picked
//! from the endpoint's (or one made in place, as dimensions are made from the
//! picker: a thing group to move the things into, and the role that allows
//! it), then the StartDetectMitigationActionsTask request shown as it will
//! be sent, then each execution the task made. The violations view holds it
//! while it is open.

use crossterm::event::KeyEvent;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::{Value, json};

use crate::client::ClientError;
use crate::domain::mitigation::{
    AddThingsToThingGroupParams, MitigationActionParams, MitigationActionRequest, StartTaskRequest, TaskTarget,
};
use crate::domain::rules::mitigation::{validate_mitigation_action, validate_start_task};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, NewMitigationAction, RequestId};
use crate::tui::requests::Wait;
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{fit, hanging, safe};
use crate::tui::widgets::text_field::TextField;

/// One violation a task is for.
#[derive(Debug, Clone, PartialEq)]
pub struct Chosen {
    pub violation_id: String,
    pub thing: String,
    pub behavior: String,
}

/// Where the task stands.
pub enum Step {
    /// Reading the endpoint's mitigation actions.
    Loading(RequestId),
    /// Picking one (the row after the last makes a new one).
    Choose {
        actions: Vec<Value>,
        selected: usize,
    },
    /// Making one in place: the group (field 0) and the role (field 1).
    New {
        actions: Vec<Value>,
        group: Box<TextField>,
        role: Box<TextField>,
        field: usize,
        problem: Option<String>,
    },
    /// The request, as it will be sent; Enter sends it, Esc goes back.
    Review(Box<Review>),
    Sending {
        id: RequestId,
        task_id: String,
    },
    /// What the task did to each thing, or why it was not started.
    Done {
        task_id: String,
        result: Result<Vec<Value>, String>,
    },
    /// The actions could not be read.
    Failed(String),
}

/// The review step: what Enter sends, and the step Esc goes back to.
pub struct Review {
    create: Option<NewMitigationAction>,
    task_id: String,
    request: StartTaskRequest,
    /// The request as JSON text (with the CreateMitigationAction before it, if any).
    json: String,
    /// Said above the JSON: the action, and what may go wrong.
    notes: Vec<String>,
    /// The first JSON line shown.
    scroll: usize,
    back: Step,
}

pub struct Mitigate {
    /// The profile whose violations they are (it narrows the task's target).
    pub profile: String,
    pub violations: Vec<Chosen>,
    pub step: Step,
}

/// What the pane asks of the violations view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// Closed: the view is shown again (read again when a task ran).
    Close {
        ran: bool,
    },
}

impl Mitigate {
    /// The pane for `violations`, and the effect that reads the actions.
    pub fn open(profile: String, violations: Vec<Chosen>, cx: &mut Shared) -> (Mitigate, Effect) {
        let id = cx.requests.start(Wait::MitigationActions, Some("Reading the mitigation actions…".into()));
        (Mitigate { profile, violations, step: Step::Loading(id) }, Effect::LoadMitigationActions(id))
    }

    pub fn keys(&self) -> Vec<Context> {
        vec![Context::Mitigate]
    }

    /// Text is typed into the new action's fields.
    pub fn typing(&self) -> bool {
        matches!(self.step, Step::New { .. })
    }

    pub fn actions_loaded(&mut self, id: RequestId, result: Result<Vec<Value>, ClientError>) {
        if !matches!(self.step, Step::Loading(i) if i == id) {
            return;
        }
        self.step = match result {
            Ok(actions) => Step::Choose { actions, selected: 0 },
            Err(e) => Step::Failed(e.to_string()),
        };
    }

    pub fn mitigated(&mut self, id: RequestId, result: Result<Vec<Value>, ClientError>) {
        let Step::Sending { id: sent, task_id } = &self.step else { return };
        if *sent != id {
            return;
        }
        self.step = Step::Done { task_id: task_id.clone(), result: result.map_err(|e| e.to_string()) };
    }

    pub fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Outcome {
        if let Step::New { group, role, field, problem, .. } = &mut self.step
            && TextField::wants(&key)
        {
            let f = if *field == 0 { group } else { role };
            f.input(key);
            *problem = None;
            return Outcome::Stay;
        }
        let Some(action) = keymap::lookup(&self.keys(), cx.vi, &key) else { return Outcome::Stay };
        let step = std::mem::replace(&mut self.step, Step::Failed(String::new()));
        self.step = match (step, action) {
            (Step::Choose { actions, selected }, Action::Up) => {
                Step::Choose { actions, selected: selected.saturating_sub(1) }
            }
            (Step::Choose { actions, selected }, Action::Down) => {
                let last = actions.len();
                Step::Choose { actions, selected: (selected + 1).min(last) }
            }
            (Step::Choose { actions, selected }, Action::Select) if selected == actions.len() => {
                // A role another action uses is the likeliest one to work here too.
                let role = actions.iter().find_map(|a| a["roleArn"].as_str()).unwrap_or_default().to_owned();
                Step::New {
                    actions,
                    group: Box::new(TextField::new("quarantine", true)),
                    role: Box::new(TextField::new(&role, false)),
                    field: 0,
                    problem: None,
                }
            }
            (Step::Choose { actions, selected }, Action::Select) => {
                let name = actions[selected]["actionName"].as_str().unwrap_or_default().to_owned();
                let note = format!("Action {name}, as it is on the endpoint.");
                self.review(None, name, vec![note], Step::Choose { actions, selected })
            }
            (Step::New { actions, group, role, field, problem }, Action::Up | Action::Down) => {
                Step::New { actions, group, role, field: 1 - field, problem }
            }
            (Step::New { actions, mut group, mut role, field, .. }, Action::ClearField) => {
                if field == 0 {
                    group = Box::new(TextField::new("", false))
                } else {
                    role = Box::new(TextField::new("", false))
                }
                Step::New { actions, group, role, field, problem: None }
            }
            (Step::New { actions, group, role, field, .. }, Action::Select) => {
                self.new_action(actions, group, role, field, cx)
            }
            (Step::New { actions, .. }, Action::Back) => Step::Choose { selected: actions.len(), actions },
            (step @ Step::Review(_), Action::Select) if cx.refuse_write("StartDetectMitigationActionsTask") => step,
            (Step::Review(r), Action::Select) => send(*r, cx, out),
            (Step::Review(mut r), Action::Up) => {
                r.scroll = r.scroll.saturating_sub(1);
                Step::Review(r)
            }
            (Step::Review(mut r), Action::Down) => {
                r.scroll = (r.scroll + 1).min(r.json.lines().count().saturating_sub(1));
                Step::Review(r)
            }
            (Step::Review(r), Action::Back) => r.back,
            (Step::Done { result, .. }, Action::Back | Action::Select) => {
                return Outcome::Close { ran: result.is_ok() };
            }
            (Step::Choose { .. } | Step::Failed(_) | Step::Loading(_), Action::Back) => {
                return Outcome::Close { ran: false };
            }
            (step, _) => step,
        };
        Outcome::Stay
    }

    /// Enter on the form of a new action (a thing group and a role): the
    /// review of the action it makes (or of the one of that name that
    /// exists), or the form again with the rules' first error.
    fn new_action(
        &self,
        actions: Vec<Value>,
        group: Box<TextField>,
        role: Box<TextField>,
        field: usize,
        cx: &Shared,
    ) -> Step {
        let (g, r) = (group.text().trim().to_owned(), role.text().trim().to_owned());
        let name = format!("move-to-{g}");
        let mut notes = Vec::new();
        if !cx.thing_groups.is_empty() && !cx.thing_groups.iter().any(|(n, _)| *n == g) {
            notes.push(format!(
                "! The endpoint has no thing group {g}: each execution fails until it exists (create-thing-group)."
            ));
        }
        // An action of that name already: used as it is, not made again.
        if actions.iter().any(|a| a["actionName"] == name.as_str()) {
            notes.insert(0, format!("Action {name} exists already: it is used as it is on the endpoint."));
            let back = Step::New { actions, group, role, field, problem: None };
            return self.review(None, name, notes, back);
        }
        let params = MitigationActionParams {
            add_things_to_thing_group: Some(AddThingsToThingGroupParams {
                thing_group_names: Some(vec![g.clone()]),
                override_dynamic_groups: None,
            }),
            ..MitigationActionParams::default()
        };
        let req =
            MitigationActionRequest { role_arn: Some(r.clone()), action_params: Some(params.clone()), tags: None };
        match validate_mitigation_action(&name, &req, true).into_iter().find(|p| p.is_error()) {
            Some(p) => Step::New { actions, group, role, field, problem: Some(p.message) },
            None => {
                notes.insert(0, format!("Makes the action {name}: it moves the things into {g}."));
                let made = NewMitigationAction { name: name.clone(), role_arn: r, params };
                let back = Step::New { actions, group, role, field, problem: None };
                self.review(Some(made), name, notes, back)
            }
        }
    }

    /// The request to review: what it acts on, the notes, and the request
    /// scrolled within `room` lines.
    fn review_lines(&self, r: &Review, width: u16, room: usize, theme: &Theme) -> Vec<Line<'static>> {
        let w = usize::from(width);
        let things: Vec<String> = self.violations.iter().map(|v| format!("{} ({})", v.thing, v.behavior)).collect();
        let on = if things.len() > 3 {
            format!("{} and {} more", things[..3].join(", "), things.len() - 3)
        } else {
            things.join(", ")
        };
        let mut lines = hanging(vec![Span::raw("   ")], &safe(&format!("On {on}.")), width, 5, theme.label());
        for n in &r.notes {
            let style = if n.starts_with('!') { theme.warning() } else { theme.label() };
            lines.extend(hanging(vec![Span::raw("   ")], &safe(n), width, 5, style));
        }
        lines.push(Line::from(Span::styled(
            "   The request (Enter sends it, ↑↓ scroll, Esc goes back):",
            theme.label(),
        )));
        let room = room.saturating_sub(lines.len()).max(3);
        let all: Vec<&str> = r.json.lines().collect();
        let start = r.scroll.min(all.len().saturating_sub(room));
        for l in all.iter().skip(start).take(room) {
            lines.push(Line::from(Span::raw(fit(&format!("   {}", safe(l)), w))));
        }
        lines
    }

    /// The review step for the action `name` (made first when `create`);
    /// Esc goes back to `back`.
    fn review(&self, create: Option<NewMitigationAction>, name: String, notes: Vec<String>, back: Step) -> Step {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let task_id = format!("ddsp-{now}");
        let request = StartTaskRequest {
            target: Some(TaskTarget {
                violation_ids: Some(self.violations.iter().map(|v| v.violation_id.clone()).collect()),
                security_profile_name: Some(self.profile.clone()),
                behavior_name: None,
            }),
            actions: Some(vec![name]),
            include_suppressed_alerts: Some(true),
            client_request_token: Some(uuid::Uuid::new_v4().to_string()),
            ..StartTaskRequest::default()
        };
        let mut doc = json!({"taskId": task_id});
        if let (Some(d), Ok(Value::Object(body))) = (doc.as_object_mut(), serde_json::to_value(&request)) {
            d.extend(body);
        }
        let mut json = crate::wire::skeleton::json_text(&doc);
        if let Some(a) = &create {
            let made = json!({"actionName": a.name, "roleArn": a.role_arn, "actionParams": a.params});
            json = format!(
                "CreateMitigationAction first:\n{}\nthen StartDetectMitigationActionsTask:\n{json}",
                crate::wire::skeleton::json_text(&made)
            );
        }
        // The rules the sandbox shares: a request they refuse is never shown as sendable.
        if let Some(p) = validate_start_task(&task_id, &request).into_iter().find(|p| p.is_error()) {
            return Step::Failed(p.message);
        }
        Step::Review(Box::new(Review { create, task_id, request, json, notes, scroll: 0, back }))
    }

    /// The pane's lines, under the violations table, at most `height` of them
    /// (the request scrolls within).
    pub fn lines(&self, width: u16, height: usize, theme: &Theme) -> Vec<Line<'static>> {
        let w = usize::from(width);
        let n = self.violations.len();
        let what = if n == 1 {
            format!("{} ({})", self.violations[0].thing, self.violations[0].behavior)
        } else {
            format!("{n} violations")
        };
        let mut lines = vec![Line::from(Span::styled(fit(&format!(" Mitigate {}", safe(&what)), w), theme.title()))];
        match &self.step {
            Step::Loading(_) => lines.push(Line::from(Span::styled("   Reading the mitigation actions…", theme.dim()))),
            Step::Failed(e) => {
                lines.extend(hanging(vec![Span::raw("   ")], &safe(e), width, 5, theme.error()));
                lines.push(Line::from(Span::styled("   Esc closes.", theme.dim())));
            }
            Step::Choose { actions, selected } => lines.extend(choice_lines(actions, *selected, w, theme)),
            Step::New { group, role, field, problem, .. } => {
                lines.push(Line::from(Span::styled(
                    "   A new action (Tab moves, Enter reviews, Esc goes back):",
                    theme.label(),
                )));
                for (i, (label, f)) in [("Thing group", &**group), ("Role ARN", &**role)].into_iter().enumerate() {
                    let style = if i == *field { theme.focused() } else { Style::default() };
                    let row = format!("   {label:<12} {}", f.text());
                    lines.push(Line::from(Span::styled(fit(&safe(&row), w), style)));
                }
                if let Some(p) = problem {
                    lines.extend(hanging(vec![Span::raw("   ")], &safe(p), width, 5, theme.error()));
                }
            }
            Step::Review(r) => {
                let room = height.saturating_sub(lines.len());
                lines.extend(self.review_lines(r, width, room, theme));
            }
            Step::Sending { task_id, .. } => lines.push(Line::from(Span::styled(
                format!("   Starting the mitigation task {}…", safe(task_id)),
                theme.dim(),
            ))),
            Step::Done { task_id, result: Err(e) } => {
                let text = format!("The task {task_id} was not started: {e}");
                lines.extend(hanging(vec![Span::raw("   ")], &safe(&text), width, 5, theme.error()));
                lines.push(Line::from(Span::styled("   Esc closes.", theme.dim())));
            }
            Step::Done { task_id, result: Ok(executions) } => {
                lines.extend(execution_lines(task_id, executions, w, theme))
            }
        }
        lines
    }
}

/// The endpoint's mitigation actions to choose from, then "a new action".
fn choice_lines(actions: &[Value], selected: usize, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled("   Which action (Enter chooses, Esc closes):", theme.label()))];
    for (i, a) in actions.iter().enumerate() {
        let kind = a["actionType"].as_str().unwrap_or_default();
        let groups = a["actionParams"]["addThingsToThingGroupParams"]["thingGroupNames"]
            .as_array()
            .map(|g| g.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "));
        let said = match groups {
            Some(g) => format!("moves the things into {g}"),
            None => format!("{kind} (Detect carries out only ADD_THINGS_TO_THING_GROUP)"),
        };
        let row = format!("   {} · {}", a["actionName"].as_str().unwrap_or_default(), said);
        let style = if i == selected { theme.focused() } else { Style::default() };
        lines.push(Line::from(Span::styled(fit(&safe(&row), w), style)));
    }
    let style = if selected == actions.len() { theme.focused() } else { theme.dim() };
    lines.push(Line::from(Span::styled("   + a new action: move the things into a thing group", style)));
    lines
}

/// A task that started: each execution's thing, status and message.
fn execution_lines(task_id: &str, executions: &[Value], w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let n = executions.len();
    let mut lines = vec![Line::from(Span::styled(
        format!("   Task {} · {n} execution{} · Esc closes", safe(task_id), if n == 1 { "" } else { "s" }),
        theme.ok(),
    ))];
    for e in executions {
        let status = e["status"].as_str().unwrap_or_default();
        let row = format!(
            "   {:<16} {:<11} {}",
            e["thingName"].as_str().unwrap_or_default(),
            status,
            e["message"].as_str().or(e["errorCode"].as_str()).unwrap_or_default()
        );
        let style = match status {
            "SUCCESSFUL" => theme.ok(),
            "FAILED" => theme.error(),
            _ => theme.warning(),
        };
        lines.push(Line::from(Span::styled(fit(&safe(&row), w), style)));
    }
    lines
}

/// Enter on the review: the action made if it is new, then the task started.
fn send(r: Review, cx: &mut Shared, out: &mut Vec<Effect>) -> Step {
    let Review { create, task_id, request, .. } = r;
    let id = cx.requests.start(Wait::Mitigate, Some(format!("Starting the mitigation task {task_id}…")));
    out.push(Effect::StartMitigation {
        id,
        create: create.map(Box::new),
        task_id: task_id.clone(),
        request: Box::new(request),
    });
    Step::Sending { id, task_id }
}
