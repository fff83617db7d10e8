//! The editor's keys: the picker and the problems pane first when open, then
//! the focused text field (typing, and `?` typed as text), then the keymap.
//! Every edit goes through `edit`, which records the undo step, marks the
//! draft due, revalidates and rebuilds the rows. What a picker answers is
//! applied here too: a metric, dimension or target picked, a target removed,
//! a dimension or custom metric made in place and then picked.

use crossterm::event::KeyEvent;

use super::EditorScreen;
use super::external::{ExternalEdit, Returned, Scope};
use super::fields;
use super::history::State;
use super::rows::{BehaviorField, FieldId, Kind, PickKind, Section};
use crate::domain::edit::{self, Entry};
use crate::domain::profile::CriteriaKind;
use crate::tui::keymap::{self, Action, Context as Keys};
use crate::tui::message::{Effect, Event};
use crate::tui::overlays::picker::{Picked, Picker};
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, Titled};
use crate::tui::shared::{Cause, Shared};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::safe;
use ratatui::Frame;
use ratatui::layout::Rect;

/// What a picker of `kind` lists from the endpoint, asked for again: its thing
/// groups (targets), else its dimensions and custom metrics.
pub(super) fn lists_for(kind: PickKind, cx: &mut Shared) -> Effect {
    if kind == PickKind::Target { cx.load_thing_groups() } else { cx.load_known() }
}

/// What the status line says while Ctrl-R reads the lists again.
const READING: &str = "Reading the endpoint's lists again…";

impl EditorScreen {
    fn state(&self) -> State {
        State {
            profile: self.profile.clone(),
            base: self.base.clone(),
            targets: self.targets.clone(),
            raw: self.raw.clone(),
            section: self.section,
            open: self.open,
            focus: self.focus,
        }
    }

    /// Records an undo step for a change made from outside the form (a reapplied conflict).
    pub fn record_external(&mut self, what: String) {
        let before = self.state();
        self.history.record(move || before, what, None);
    }

    pub(super) fn restore(&mut self, s: State, cx: &Shared) {
        self.profile = s.profile;
        self.base = s.base;
        self.targets = s.targets;
        self.raw = s.raw;
        self.section = s.section;
        self.open = s.open;
        self.focus = s.focus;
        self.changed(cx);
        self.refresh(&cx.ctx);
    }

    /// Drops texts that did not parse for fields no longer there (a value
    /// after the criteria became statistical or ML Detect, a removed behavior).
    fn prune_raw(&mut self) {
        let behaviors = self.profile.behaviors.as_deref().unwrap_or_default();
        self.raw.retain(|id, _| match id {
            FieldId::Of(i, BehaviorField::Value) => behaviors.get(*i).is_some_and(|b| {
                b.criteria.as_ref().map_or(CriteriaKind::Static, |c| c.kind()) == CriteriaKind::Static
            }),
            FieldId::Of(i, _) => *i < behaviors.len(),
            _ => true,
        });
    }

    /// After any change: due for the draft writer, revalidated; a "blocked" status goes once no error is left.
    fn changed(&mut self, cx: &Shared) {
        self.dirty = true;
        self.revalidate(&cx.ctx);
    }

    /// One edit: recorded for undo (typing in one field is one step), applied,
    /// checked, and the rows rebuilt from the result.
    pub(super) fn edit(
        &mut self,
        cx: &mut Shared,
        what: String,
        typing: Option<FieldId>,
        apply: impl FnOnce(&mut EditorScreen, &crate::domain::Context),
    ) {
        // Typing on in the same field is the same step: no copy of the state for it.
        if !self.history.continues(typing) {
            let before = self.state();
            self.history.record(move || before, what, typing);
        }
        apply(self, &cx.ctx);
        self.prune_raw();
        self.changed(cx);
        self.refresh(&cx.ctx);
        if self.errors() == 0 && cx.status.cause == Cause::Blocked {
            cx.clear_status();
        }
    }

    /// The focused text field's text changed: write it back (the field keeps its cursor).
    fn type_text(&mut self, text: &str, cx: &mut Shared) {
        let Some(row) = self.focused().cloned() else { return };
        let what = format!("typing in {}", row.label.trim());
        // The rows change (a summary, a label), but the field being typed in stays as it is.
        let field = self.field.take();
        self.edit(cx, what, Some(row.id), |ed, ctx| fields::set_text(&mut ed.profile, row.id, text, ctx, &mut ed.raw));
        self.field = field.or(self.field.take());
    }

    /// F4 to F8 with a behavior open: the chart (`chart::act`), and a
    /// tuned criterion applied as one undoable edit.
    fn chart_action(&mut self, action: Action, cx: &mut Shared, out: &mut Vec<Effect>) {
        let Some((i, b)) = self.open.and_then(|i| Some((i, self.profile.behaviors.as_ref()?.get(i)?.clone()))) else {
            cx.say("Open a behavior (Enter on it) to chart its metric");
            return;
        };
        let targets = if self.targets.is_empty() { self.base_targets.clone() } else { self.targets.clone() };
        if let super::chart::ChartAsk::Tuned { behavior, what, said } =
            super::chart::act(&mut self.chart, action, &b, targets, cx, out)
        {
            self.edit(cx, what, None, |ed, _| {
                if let Some(slot) = ed.profile.behaviors.as_mut().and_then(|l| l.get_mut(i)) {
                    *slot = *behavior;
                }
                ed.raw.remove(&FieldId::Of(i, BehaviorField::Value));
            });
            cx.say(said);
        }
    }

    /// What the key asks to edit in $EDITOR: the open behavior, the highlighted one on the list, else the profile.
    fn external_scope(&self) -> Scope {
        match (self.open, self.focused().map(|r| r.id)) {
            (Some(i), _) => Scope::Behavior(i),
            (None, Some(FieldId::Behavior(i))) => Scope::Behavior(i),
            _ => Scope::Profile,
        }
    }

    /// Takes the text back from $EDITOR (`edit` is what went out): applied
    /// as one edit, or kept for a reopen when it does not read.
    fn external_done(&mut self, edit: &ExternalEdit, back: &str, cx: &mut Shared) -> Option<String> {
        let fixed = self.base.is_some().then(|| self.profile.security_profile_name.clone());
        match edit.returned(back, fixed.as_deref()) {
            Returned::Kept { said, keep } => {
                cx.say(said);
                keep
            }
            Returned::Profile(p) => {
                self.edit(cx, "edited in $EDITOR".into(), None, |ed, _| ed.profile = *p);
                cx.say("Took the profile from $EDITOR · Alt-U undoes");
                None
            }
            Returned::Behavior(i, b) => {
                self.edit(cx, format!("edited behavior {} in $EDITOR", b.name), None, |ed, _| {
                    if let Some(slot) = ed.profile.behaviors.as_mut().and_then(|l| l.get_mut(i)) {
                        *slot = *b;
                    }
                });
                cx.say("Took the behavior from $EDITOR · Alt-U undoes");
                None
            }
        }
    }

    /// Ctrl-D on a behavior: a copy of it below, focused.
    fn duplicate_behavior(&mut self, i: usize, cx: &mut Shared) {
        let name = edit::describe(&self.profile, Entry::Behavior(i));
        let mut copy = None;
        // The raw texts move with the behaviors before the edit is checked.
        self.edit(cx, format!("duplicated {name}"), None, |ed, _| {
            copy = edit::duplicate_behavior(&mut ed.profile, i);
            fields::remap_raw(&mut ed.raw, |k| Some(if k > i { k + 1 } else { k }));
        });
        if let Some(j) = copy {
            self.focus_id(FieldId::Behavior(j));
        }
    }

    /// Shift-↑/↓ on a behavior: moved one place (`step` -1 or 1), still focused.
    fn move_behavior(&mut self, i: usize, step: i64, cx: &mut Shared) {
        let name = edit::describe(&self.profile, Entry::Behavior(i));
        let mut moved = None;
        self.edit(cx, format!("moved {name}"), None, |ed, _| {
            moved = edit::move_behavior(&mut ed.profile, i, step);
            if let Some(j) = moved {
                fields::remap_raw(&mut ed.raw, |k| Some(swap(k, i, j)));
            }
        });
        if let Some(j) = moved {
            self.refresh(&cx.ctx);
            self.focus_id(FieldId::Behavior(j));
        }
    }

    /// Ctrl-E: the text for $EDITOR (a text that did not read comes back as it was left).
    fn external_edit(&mut self) -> Option<ExternalEdit> {
        let scope = self.external_scope();
        let original = ExternalEdit::text_of(&self.profile, scope)?;
        let text = self.pending_external.take().filter(|(s, _)| *s == scope).map_or(original.clone(), |(_, t)| t);
        Some(ExternalEdit { scope, text, original })
    }

    fn action(&mut self, action: Action, cx: &mut Shared) -> Option<Go> {
        let row = self.focused().cloned();
        match action {
            Action::Review => return Some(Go::Review),
            Action::ShowCalls => return Some(Go::ShowCalls),
            Action::EditExternal => return self.external_edit().map(|edit| Go::External(Box::new(edit))),
            Action::Help => return Some(Go::Help),
            Action::DeleteProfile => {
                if self.base.is_none() {
                    cx.say("This profile was never created, so there is nothing to delete on the endpoint; Ctrl-D on its row at Home discards its draft");
                }
                return self.base.as_ref().map(|b| Go::DeletePrompt {
                    name: b.security_profile_name.clone().unwrap_or_default(),
                    version: b.version,
                });
            }
            Action::Problems => self.pane.focused = !self.problems.is_empty(),
            Action::NextSection => self.switch_section(1, cx),
            Action::PrevSection => self.switch_section(-1, cx),
            Action::Up => self.move_focus(-1),
            Action::Down => self.move_focus(1),
            Action::Back => {
                if let Some(closed) = self.open.take() {
                    // Back on the list, the highlight is on the behavior just closed.
                    self.section = Section::Behaviors;
                    self.history.end_typing();
                    self.refresh(&cx.ctx);
                    self.focus_id(FieldId::Behavior(closed));
                } else {
                    return Some(Go::Home);
                }
            }
            Action::Undo => self.undo(cx),
            Action::Redo => self.redo(cx),
            Action::Add => self.add(cx),
            Action::Delete => {
                if let Some(FieldId::Target(i)) = row.as_ref().map(|r| r.id) {
                    self.remove_target(i, cx);
                } else if let Some(entry) = row.as_ref().and_then(|r| r.id.entry()) {
                    self.remove(entry, cx);
                } else {
                    cx.say("Nothing to delete here: Ctrl-D deletes a list entry (a behavior, tag or retained metric)");
                }
            }
            Action::Duplicate => {
                if let Some(FieldId::Behavior(i)) = row.as_ref().map(|r| r.id) {
                    self.duplicate_behavior(i, cx);
                }
            }
            Action::MoveUp | Action::MoveDown => {
                if let Some(FieldId::Behavior(i)) = row.as_ref().map(|r| r.id) {
                    self.move_behavior(i, if action == Action::MoveUp { -1 } else { 1 }, cx);
                }
            }
            Action::ClearField => {
                if let Some(field) = self.field.as_mut()
                    && field.clear()
                {
                    self.type_text("", cx);
                }
            }
            Action::Left | Action::Right | Action::Toggle | Action::Select => {
                if let Some(row) = row {
                    self.row_action(action, &row, cx);
                } else if action == Action::Select && self.section == Section::Behaviors {
                    self.add(cx);
                }
            }
            _ => {}
        }
        None
    }

    fn row_action(&mut self, action: Action, row: &super::rows::Row, cx: &mut Shared) {
        match (&row.kind, action) {
            (Kind::Text, Action::Select) => self.move_focus(1),
            (Kind::Choice(_), Action::Left | Action::Right | Action::Select) => {
                let step = if action == Action::Left { -1 } else { 1 };
                let what = format!("changed {}", row.label.trim());
                self.edit(cx, what, None, |ed, ctx| fields::cycle(&mut ed.profile, row, step, ctx));
            }
            (Kind::Choice(_), Action::Toggle) => cx.say("← → change this choice"),
            (Kind::Toggle, Action::Toggle | Action::Select) => {
                let what = format!("switched {}", row.label.trim());
                self.edit(cx, what, None, |ed, _| fields::toggle(&mut ed.profile, row.id));
            }
            (Kind::Pick(kind), Action::Select) => {
                let current = if row.value == "(none)" { String::new() } else { row.value.clone() };
                self.picker = Some(Picker::new(*kind, row.id, &cx.ctx, &[], &current));
            }
            (Kind::Entry, Action::Select) => {
                if let FieldId::Behavior(i) = row.id {
                    self.open = Some(i);
                    self.focus = 0;
                    self.history.end_typing();
                    self.refresh(&cx.ctx);
                }
            }
            _ => {}
        }
    }

    fn move_focus(&mut self, step: i64) {
        let n = self.rows.len() as i64;
        self.focus = (self.focus as i64 + step).clamp(0, (n - 1).max(0)) as usize;
        self.history.end_typing();
        self.refocus();
    }

    fn switch_section(&mut self, step: i64, cx: &Shared) {
        self.open = None;
        let i = Section::ALL.iter().position(|s| *s == self.section).unwrap_or(0) as i64;
        self.section = Section::ALL[(i + step).rem_euclid(Section::ALL.len() as i64) as usize];
        self.focus = 0;
        self.history.end_typing();
        self.refresh(&cx.ctx);
    }

    fn add(&mut self, cx: &mut Shared) {
        if self.open.is_some() {
            cx.say("Esc back to the behaviors list to add a behavior");
            return;
        }
        match self.section {
            Section::Behaviors => {
                let mut i = 0;
                self.edit(cx, "added a behavior".into(), None, |ed, _| i = edit::add_behavior(&mut ed.profile));
                // A new behavior opens straight on its metric: nothing else makes sense before it.
                self.open = Some(i);
                self.focus = 0;
                self.refresh(&cx.ctx);
                self.adding = Some(i);
                let id = FieldId::Of(i, super::rows::BehaviorField::Metric);
                self.picker = Some(Picker::new(PickKind::Metric, id, &cx.ctx, &[], ""));
                self.focus_id(id);
            }
            Section::Overview => {
                let mut i = 0;
                self.edit(cx, "added a tag".into(), None, |ed, _| i = edit::add_tag(&mut ed.profile));
                self.focus_id(FieldId::TagKey(i));
            }
            Section::Retained => {
                let mut i = 0;
                self.edit(cx, "added a retained metric".into(), None, |ed, _| i = edit::add_retained(&mut ed.profile));
                self.focus_id(FieldId::RetainMetric(i));
            }
            Section::Targets => {
                let groups: Vec<String> = cx.thing_groups.iter().map(|(n, _)| n.clone()).collect();
                self.picker =
                    Some(Picker::new(PickKind::Target, FieldId::Target(self.targets.len()), &cx.ctx, &groups, ""));
            }
            Section::AlertTargets | Section::Export => cx.say("This section has no list to add to"),
        }
    }

    fn remove(&mut self, entry: Entry, cx: &mut Shared) {
        if self.open.is_some() {
            return;
        }
        let what = format!("removed {}", edit::describe(&self.profile, entry));
        let mut done = false;
        self.edit(cx, what.clone(), None, |ed, _| {
            done = edit::remove(&mut ed.profile, entry);
            if let (true, Entry::Behavior(i)) = (done, entry) {
                fields::remap_raw(&mut ed.raw, |k| match k.cmp(&i) {
                    std::cmp::Ordering::Less => Some(k),
                    std::cmp::Ordering::Equal => None,
                    std::cmp::Ordering::Greater => Some(k - 1),
                });
            }
        });
        if !done {
            return;
        }
        self.refresh(&cx.ctx);
        cx.say(format!("{} · Alt-U undoes", capitalise(&what)));
    }

    fn undo(&mut self, cx: &mut Shared) {
        match self.history.undo(self.state()) {
            Some((state, what)) => {
                self.restore(state, cx);
                cx.say(format!("Undid: {what} · Alt-E redoes"));
            }
            None => cx.say("Nothing to undo"),
        }
    }

    fn redo(&mut self, cx: &mut Shared) {
        match self.history.redo(self.state()) {
            Some((state, what)) => {
                self.restore(state, cx);
                cx.say(format!("Redid: {what} · Alt-U undoes"));
            }
            None => cx.say("Nothing to redo"),
        }
    }

    fn pane_action(&mut self, action: Action, cx: &mut Shared) {
        match action {
            Action::Back => self.pane.focused = false,
            Action::Up => self.pane.selected = self.pane.selected.saturating_sub(1),
            Action::Down => self.pane.selected = (self.pane.selected + 1).min(self.problems.len().saturating_sub(1)),
            Action::Select => {
                if let Some(path) = self.problems.get(self.pane.selected).map(|p| p.path.clone()) {
                    self.pane.focused = false;
                    self.jump(&path, &cx.ctx);
                }
            }
            _ => {}
        }
    }

    /// The endpoint's thing groups (`groups`), or its custom metrics and
    /// dimensions, arrived: an open picker lists them, keeping what was
    /// typed, and Ctrl-R's "reading" on the status line gives way to what
    /// was read, once the list it asked for is in.
    pub fn lists_changed(&mut self, groups: bool, cx: &mut Shared) {
        let reading = cx.status.text == READING;
        let Some(p) = self.picker.as_mut() else {
            if reading {
                cx.clear_status();
            }
            return;
        };
        let names: Vec<String> = cx.thing_groups.iter().map(|(n, _)| n.clone()).collect();
        p.refreshed(&cx.ctx, &names);
        if reading && (p.kind == PickKind::Target) == groups {
            cx.say(format!("The endpoint's lists are read again: {} to choose from here", p.visible().len()));
        }
    }

    /// A key in the open picker (`Picker::on_key`), and what the editor does with its answer.
    pub(super) fn picker_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) {
        let Some(picker) = self.picker.as_mut() else { return };
        let (target, kind) = (picker.target, picker.kind);
        match picker.on_key(key, cx.vi) {
            Picked::Open { refresh: false } => {}
            Picked::Open { refresh: true } => {
                out.push(lists_for(kind, cx));
                cx.say(READING);
            }
            Picked::Cancelled => {
                self.picker = None;
                if let Some(i) = self.adding.take() {
                    // The first pick of a new behavior: Esc cancels the add.
                    if let Some(state) = self.history.cancel() {
                        self.restore(state, cx);
                        cx.say(format!("Cancelled: behavior {} was not added", i + 1));
                    }
                }
            }
            Picked::Chosen(choice) => {
                self.picker = None;
                self.adding = None;
                if choice.as_deref() == Some(crate::tui::overlays::picker::NEW) {
                    // Made in place, then picked into the field.
                    use crate::tui::screens::resource_form::{ResourceForm, ResourceKind};
                    let kind =
                        if kind == PickKind::Metric { ResourceKind::CustomMetric } else { ResourceKind::Dimension };
                    let mut form = ResourceForm::new(kind);
                    form.revalidate(&cx.ctx);
                    self.form = Some((form, target));
                } else if let (Some(value), FieldId::Target(_)) = (&choice, target) {
                    self.add_target(value, cx, out);
                } else if let Some(value) = choice {
                    let ctx = cx.ctx.clone();
                    self.edit(cx, format!("picked {value}"), None, |ed, _| {
                        fields::set_pick(&mut ed.profile, target, &value, &ctx)
                    });
                }
            }
        }
    }

    pub(super) fn remove_target(&mut self, i: usize, cx: &mut Shared) {
        let Some(t) = self.targets.get(i).cloned() else { return };
        let what = format!("removed target {}", t.label());
        self.edit(cx, what.clone(), None, |ed, _| {
            ed.targets.remove(i);
        });
        let when = if self.base_targets.contains(&t) { " (detached when submitted)" } else { "" };
        cx.say(format!("{}{when} · Alt-U undoes", capitalise(&what)));
    }

    /// A target picked: added (once), and the endpoint asked how many profiles it has.
    pub(super) fn add_target(&mut self, value: &str, cx: &mut Shared, out: &mut Vec<Effect>) {
        let Some(t) = crate::domain::targets::Target::of_arn(&format!("arn:aws:iot:r:a:{value}")) else { return };
        if self.targets.contains(&t) {
            cx.say(format!("{} is a target already", t.label()));
            return;
        }
        self.edit(cx, format!("added target {}", t.label()), None, |ed, _| ed.targets.push(t.clone()));
        if let Some(arn) = cx.target_arn(&t) {
            let id = cx.requests.start(crate::tui::requests::Wait::TargetProfiles, None);
            out.push(Effect::CountTarget { id, arn });
        }
        self.refresh(&cx.ctx);
        self.focus = self.targets.len().saturating_sub(1);
        self.refocus();
    }

    /// The in-place dimension or custom metric was saved: it is known on the
    /// endpoint now, and picked into the field it was made for.
    pub fn resource_saved(
        &mut self,
        id: crate::tui::message::RequestId,
        result: Result<String, crate::client::ClientError>,
        cx: &mut Shared,
        out: &mut Vec<Effect>,
    ) {
        let Some((form, field)) = self.form.as_mut().filter(|(f, _)| f.sending == Some(id)) else { return };
        form.sending = None;
        let name = match result {
            Ok(name) => name,
            Err(e) => {
                form.error = Some(e.to_string());
                return;
            }
        };
        let field = *field;
        use crate::tui::screens::resource_form::{ResourceKind, ResourceRequest};
        match (form.kind, form.request()) {
            (ResourceKind::Dimension, _) => cx.ctx.dimensions.get_or_insert_with(Vec::new).push(name.clone()),
            (ResourceKind::CustomMetric, ResourceRequest::CreateCustomMetric { metric_type, .. }) => {
                let metric_type = crate::domain::enums::CustomMetricType::parse(&metric_type);
                cx.ctx
                    .custom_metrics
                    .get_or_insert_with(Vec::new)
                    .push(crate::domain::metrics::CustomMetric { name: name.clone(), metric_type });
            }
            _ => {}
        }
        let kind = form.kind;
        self.form = None;
        self.edit(cx, format!("picked the new {} {name}", kind.label()), None, |ed, ctx| {
            fields::set_pick(&mut ed.profile, field, &name, ctx)
        });
        cx.say(format!("Made the {} {name} on the endpoint, and picked it", kind.label()));
        out.push(cx.load_known());
    }
}

/// Index `k` after behaviors `i` and `j` swapped.
fn swap(k: usize, i: usize, j: usize) -> usize {
    if k == i {
        j
    } else if k == j {
        i
    } else {
        k
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

impl Titled for EditorScreen {
    fn title(&self, _cx: &Shared) -> String {
        match &self.base {
            Some(_) => format!(" ddsp · {}", safe(self.name())),
            None => " ddsp · new security profile".to_owned(),
        }
    }
}

impl Component for EditorScreen {
    /// The key contexts in force, most specific first.
    fn keys(&self) -> Vec<Keys> {
        if self.form.is_some() {
            vec![Keys::ResourceForm]
        } else if self.picker.is_some() {
            vec![Keys::Picker]
        } else if self.pane.focused {
            vec![Keys::Problems]
        } else if self.open.is_none() && self.section == Section::Behaviors {
            vec![Keys::Behaviors, Keys::Editor]
        } else {
            vec![Keys::Editor]
        }
    }

    /// Whether a text field has the keys (then `?` is typed, not help).
    fn typing(&self, _cx: &Shared) -> bool {
        self.form.is_some() || self.picker.is_some() || (self.field.is_some() && !self.pane.focused)
    }

    fn enabled(&self, action: Action, _cx: &Shared) -> bool {
        match action {
            Action::Delete => self.focused().is_some_and(|r| r.id.entry().is_some()) && self.open.is_none(),
            Action::Add => self.open.is_none() && !matches!(self.section, Section::AlertTargets | Section::Export),
            Action::Undo => self.history.can_undo(),
            Action::Problems => !self.problems.is_empty(),
            Action::Right => self.focused().is_some_and(|r| matches!(r.kind, Kind::Choice(_))),
            Action::Chart => self.open.is_some(),
            // The chart's keys work only where the chart is drawn: in an open behavior.
            Action::NextThing | Action::TuneFewer | Action::TuneMore => self.open.is_some() && self.chart.is_some(),
            Action::Tune => self.open.is_some() && self.chart.as_ref().is_some_and(|c| matches!(c.data, Some(Ok(_)))),
            _ => true,
        }
    }

    fn typed(&self, _cx: &Shared) -> Option<&'static str> {
        self.picker.is_some().then_some("search")
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        if let Some((form, _)) = self.form.as_mut() {
            use crate::tui::screens::resource_form::FormAnswer;
            match form.on_key(key, &cx.ctx, cx.vi) {
                FormAnswer::Editing => {}
                FormAnswer::Cancel => self.form = None,
                FormAnswer::Send(request) if cx.refuse_write(request.operation()) => {}
                FormAnswer::Send(request) => {
                    let label = format!("{} {}…", request.operation(), request.name());
                    let id = cx.requests.start(crate::tui::requests::Wait::SaveResource, Some(label));
                    form.sending = Some(id);
                    out.push(Effect::SaveResource { id, request });
                }
            }
            // The half-made form is part of the draft.
            self.dirty = true;
            return None;
        }
        if self.picker.is_some() {
            self.picker_key(key, cx, out);
            return None;
        }
        if !self.pane.focused
            && let Some(field) = self.field.as_mut()
            && crate::tui::widgets::text_field::TextField::wants(&key)
        {
            if field.input(key) {
                let text = field.text();
                self.type_text(&text, cx);
            }
            return None;
        }
        let action = keymap::lookup(&self.keys(), cx.vi, &key)?;
        if self.pane.focused {
            self.pane_action(action, cx);
            return None;
        }
        if matches!(action, Action::Chart | Action::NextThing | Action::Tune | Action::TuneFewer | Action::TuneMore) {
            self.chart_action(action, cx, out);
            return None;
        }
        let picking = self.picker.is_some();
        let go = self.action(action, cx);
        // A picker just opened reads the endpoint's lists: what it shows is never older than its opening.
        if let (false, Some(kind)) = (picking, self.picker.as_ref().map(|p| p.kind)) {
            out.push(lists_for(kind, cx));
        }
        go
    }

    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        match event {
            Event::TargetProfiles { arn, result, .. } => {
                if let (Ok(names), Some(t)) = (result, crate::domain::targets::Target::of_arn(&arn)) {
                    let others = names.iter().filter(|n| **n != self.profile.security_profile_name).count();
                    self.target_use.insert(t, others);
                    self.revalidate(&cx.ctx);
                }
            }
            Event::ChartData { result, .. } => {
                if let Some(c) = self.chart.as_mut() {
                    c.loaded(result.map_err(|e| e.to_string()), cx.now);
                }
            }
            Event::Edited { edit, result } => match result {
                Ok(text) => self.pending_external = self.external_done(&edit, &text, cx).map(|t| (edit.scope, t)),
                Err(e) => cx.say(format!("The editor could not run: {e}")),
            },
            Event::ResourceSaved { id, result } => self.resource_saved(id, result, cx, out),
            _ => {}
        }
        None
    }

    /// Pasted text goes into the focused text field (or the picker's search) as typed.
    fn paste(&mut self, text: &str, cx: &mut Shared) {
        if let Some((form, _)) = self.form.as_mut() {
            form.paste(text, &cx.ctx);
            self.dirty = true;
        } else if let Some(picker) = self.picker.as_mut() {
            for c in text.chars().filter(|c| !c.is_control()) {
                picker.type_char(c);
            }
        } else if let Some(field) = self.field.as_mut()
            && field.paste(text)
        {
            let text = field.text();
            self.type_text(&text, cx);
        }
    }

    /// A click on a section (left of the list) goes to it; on a row, focuses it.
    fn click(&mut self, x: u16, y: u16, cx: &Shared) {
        if self.picker.is_some() || self.form.is_some() || self.pane.focused {
            return;
        }
        if x < self.nav_right.get() {
            let section = self.section_hits.borrow().iter().find(|(line, _)| *line == y).map(|(_, s)| *s);
            if let Some(s) = section {
                self.go_to_section(s, &cx.ctx);
            }
        } else {
            let row = self.hits.borrow().iter().find(|(line, _)| *line == y).map(|(_, i)| *i);
            if let Some(i) = row {
                self.focus_row(i);
            }
        }
    }

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        super::render(self, frame, area, theme);
    }
}
