//! The editor's pickers and what they make: a metric, dimension or target
//! picked; a target removed; a dimension or custom metric made in place from
//! a picker's "new…" item and picked once the endpoint has it.

use crossterm::event::KeyEvent;

use super::EditorScreen;
use super::fields;
use super::keys::capitalise;
use super::rows::{FieldId, PickKind};
use crate::tui::message::Effect;
use crate::tui::overlays::picker::Picked;
use crate::tui::shared::Shared;

/// What a picker of `kind` lists from the endpoint, asked for again: its thing
/// groups (targets), else its dimensions and custom metrics.
pub(super) fn lists_for(kind: PickKind, cx: &mut Shared) -> Effect {
    if kind == PickKind::Target { cx.load_thing_groups() } else { cx.load_known() }
}

/// What the status line says while Ctrl-R reads the lists again.
const READING: &str = "Reading the endpoint's lists again…";

impl EditorScreen {
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
