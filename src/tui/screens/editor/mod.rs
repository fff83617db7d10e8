//! The profile editor: sections of rows over one `SecurityProfile`, a
//! behavior's own form, the metric picker, the problems pane, undo and redo.
//! Every change revalidates with the rules the request will meet
//! (CreateSecurityProfile's, or UpdateSecurityProfile's plus the tag rules)
//! and marks the edit for the draft writer.

mod behavior_rows;
pub mod chart;
pub mod external;
mod fields;
mod history;
mod keys;
mod render;
pub mod rows;
pub mod send;

use std::sync::Arc;

pub use history::History;
pub use render::render;
use rows::{FieldId, Kind, RawTexts, Row, Section};

use super::super::overlays::picker::Picker;
use super::super::shared::Shared;
use super::super::widgets::text::count;
use super::super::widgets::text_field::TextField;
use crate::client::ClientError;
use crate::client::apply::CallKind;
use crate::domain::path::Segment;
use crate::domain::profile::{SecurityProfile, Tag};
use crate::domain::targets::Target;
use crate::domain::{Context, FieldPath, Problem, validate, validate_tags, validate_update};
use crate::drafts::{Cursor, Snapshot};
use crate::tui::message::Effect;
use crate::wire::change::Submit;
use crate::wire::response::SecurityProfileDescription;

/// The problems pane: collapsed to one line on small terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pane {
    pub focused: bool,
    pub selected: usize,
}

pub struct EditorScreen {
    pub profile: SecurityProfile,
    /// The server's copy when editing an existing profile.
    pub base: Option<Arc<SecurityProfileDescription>>,
    pub base_tags: Vec<Tag>,
    /// What the profile is to be attached to, and what it is attached to on the server.
    pub targets: Vec<Target>,
    pub base_targets: Vec<Target>,
    /// The names of the endpoint's profiles (a new profile cannot take one).
    pub taken: Vec<String>,
    /// How many other profiles the endpoint has on a target (ListSecurityProfilesForTarget).
    pub target_use: std::collections::HashMap<Target, usize>,
    /// The profile as the edit started: an edit undone back to it leaves no draft.
    pristine: SecurityProfile,
    pristine_targets: Vec<Target>,
    pub section: Section,
    pub focus: usize,
    /// The behavior whose form is open.
    pub open: Option<usize>,
    /// The focused text row's field.
    pub field: Option<TextField>,
    pub raw: RawTexts,
    pub problems: Vec<Problem>,
    pub pane: Pane,
    pub picker: Option<Picker>,
    /// A dimension or custom metric being made in place from a picker, and the field it is picked into.
    pub form: Option<(crate::tui::screens::resource_form::ResourceForm, FieldId)>,
    /// Text from $EDITOR that did not read, kept for a reopen.
    pub pending_external: Option<(external::Scope, String)>,
    /// A behavior just added, whose first metric pick is open: Esc there cancels the add.
    adding: Option<usize>,
    /// The draft this edit is saved as.
    pub draft_id: String,
    /// Changed since the last snapshot went to the draft writer.
    pub dirty: bool,
    /// A draft of this edit was handed to the writer.
    pub drafted: bool,
    pub history: History,
    /// The rows on screen, rebuilt after each change.
    pub rows: Vec<Row>,
    /// Where rows and sections were drawn (screen line, row index or section), for clicks.
    pub hits: std::cell::RefCell<Vec<(u16, usize)>>,
    pub section_hits: std::cell::RefCell<Vec<(u16, Section)>>,
    /// The section list's right edge: clicks left of it are on a section.
    pub nav_right: std::cell::Cell<u16>,
    /// Where the submit is (ready, sending, fetching the server's copy,
    /// failed). Kept here, so it is known whichever screen the editor is
    /// under when the answer comes.
    pub send: send::Send,
    /// The open behavior's chart (F4), not part of the draft.
    pub chart: Option<chart::Chart>,
    /// The server's version, when it was seen newer than `base`'s (a draft
    /// resumed after the profile changed on the server): the review then says
    /// its changes are against the older version.
    pub server_version: Option<i64>,
}

impl EditorScreen {
    pub fn new(
        profile: SecurityProfile,
        base: Option<SecurityProfileDescription>,
        base_tags: Vec<Tag>,
        draft_id: String,
        ctx: &Context,
    ) -> EditorScreen {
        let mut ed = EditorScreen {
            targets: Vec::new(),
            taken: Vec::new(),
            base_targets: Vec::new(),
            target_use: std::collections::HashMap::new(),
            pristine_targets: Vec::new(),
            pristine: profile.clone(),
            profile,
            base: base.map(Arc::new),
            base_tags,
            section: Section::Overview,
            focus: 0,
            open: None,
            field: None,
            raw: RawTexts::new(),
            problems: Vec::new(),
            pane: Pane::default(),
            picker: None,
            form: None,
            pending_external: None,
            adding: None,
            draft_id,
            dirty: false,
            drafted: false,
            history: History::default(),
            rows: Vec::new(),
            hits: std::cell::RefCell::new(Vec::new()),
            section_hits: std::cell::RefCell::new(Vec::new()),
            nav_right: std::cell::Cell::new(0),
            send: send::Send::Ready,
            chart: None,
            server_version: None,
        };
        ed.revalidate(ctx);
        ed.refresh(ctx);
        ed
    }

    /// The profile's name as the title shows it.
    pub fn name(&self) -> &str {
        &self.profile.security_profile_name
    }

    pub fn version(&self) -> Option<i64> {
        self.base.as_ref().and_then(|b| b.version)
    }

    /// The request this edit makes (see `wire::change::request`).
    pub fn request(&self) -> Submit {
        crate::wire::change::request(&self.profile, self.base.as_deref(), &self.base_tags)
    }

    /// The rules for the request this edit makes, as the commands and the
    /// sandbox run them: CreateSecurityProfile's for a new profile; for an
    /// existing one UpdateSecurityProfile's plus the tag rules (tags go
    /// through TagResource).
    pub fn rules(&self, ctx: &Context) -> Vec<Problem> {
        match self.request() {
            Submit::Create(profile) => validate(&profile, ctx),
            Submit::Update { update, .. } => {
                let mut problems = validate_update(&update, ctx);
                problems.extend(validate_tags(self.profile.tags.as_deref().unwrap_or_default(), ctx));
                problems
            }
        }
    }

    /// Runs the rules. Where typed text did not parse, its parse error is the
    /// one problem at that field (not also "value is empty").
    pub fn revalidate(&mut self, ctx: &Context) {
        let roots: Vec<FieldPath> = self.raw.values().map(|r| field_root(&r.path)).collect();
        // The request is made by moving the profile in and out (no copy on a keystroke).
        let profile = std::mem::take(&mut self.profile);
        let tags = profile.tags.clone();
        let submit = crate::wire::change::into_request(profile, self.base.as_deref(), &self.base_tags);
        let rules = match &submit {
            Submit::Create(profile) => validate(profile, ctx),
            Submit::Update { update, .. } => {
                let mut problems = validate_update(update, ctx);
                problems.extend(validate_tags(tags.as_deref().unwrap_or_default(), ctx));
                problems
            }
        };
        self.profile = submit.into_profile(tags);
        let mut problems: Vec<Problem> =
            rules.into_iter().filter(|p| !roots.iter().any(|r| p.path.starts_with(r))).collect();
        problems.extend(fields::raw_problems(&self.raw));
        if self.base.is_none() && self.taken.contains(&self.profile.security_profile_name) {
            problems.push(Problem {
                path: FieldPath::root().key("securityProfileName"),
                severity: crate::domain::Severity::Error,
                rule: crate::domain::Rule::ProfileNameTaken,
                message: format!(
                    "a profile named {} exists on this endpoint already, so CreateSecurityProfile would fail (ResourceAlreadyExistsException); choose another name, or open it from Home",
                    crate::domain::rules::quote(&self.profile.security_profile_name)
                ),
            });
        }
        problems.extend(crate::templates::stale_description(&self.profile));
        problems.extend(crate::domain::targets::check(&self.targets, &self.base_targets, |t| {
            self.target_use.get(t).copied()
        }));
        problems.sort_by_key(|p| p.severity);
        self.problems = problems;
        self.pane.selected = self.pane.selected.min(self.problems.len().saturating_sub(1));
    }

    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.is_error()).count()
    }

    /// Rebuilds the rows and the focused field's text input.
    pub fn refresh(&mut self, ctx: &Context) {
        self.rows = match self.open {
            Some(i) => match self.profile.behaviors.as_ref().and_then(|l| l.get(i)) {
                Some(b) => rows::behavior_rows(b, i, ctx, &self.raw),
                None => Vec::new(),
            },
            None if self.section == Section::Targets => rows::target_rows(&self.targets, &self.base_targets),
            None => rows::section_rows(&self.profile, self.section, &self.raw, self.base.is_some()),
        };
        self.focus = self.focus.min(self.rows.len().saturating_sub(1));
        self.refocus();
    }

    /// Makes the text input follow the focused row. A generated behavior name
    /// starts selected, so typing replaces it; the description opens at its
    /// start, since it is prose read from the beginning (other fields, names
    /// and ARNs, open at their end, where one types more).
    fn refocus(&mut self) {
        self.field = self.rows.get(self.focus).filter(|r| r.kind == Kind::Text).map(|r| {
            let generated = matches!(r.id, FieldId::Of(_, rows::BehaviorField::Name))
                && crate::domain::edit::is_generated_name(&r.value);
            let field = TextField::new(&r.value, generated);
            if r.id == FieldId::Description { field.at_start() } else { field }
        });
    }

    /// The behavior whose form is open.
    pub fn open_behavior(&self) -> Option<&crate::domain::profile::Behavior> {
        self.open.and_then(|i| self.profile.behaviors.as_ref()?.get(i))
    }

    /// What the open behavior's chart draws, when it is on.
    pub fn chart_model(&self) -> Option<Result<chart::Model, String>> {
        Some(self.chart.as_ref()?.model(self.open_behavior()?))
    }

    pub fn focused(&self) -> Option<&Row> {
        self.rows.get(self.focus)
    }

    /// Focuses row `i` (a click).
    pub fn focus_row(&mut self, i: usize) {
        self.focus = i.min(self.rows.len().saturating_sub(1));
        self.history.end_typing();
        self.refocus();
    }

    /// Shows section `s` (a click on the section list), closing an open behavior.
    pub fn go_to_section(&mut self, s: Section, ctx: &Context) {
        self.open = None;
        self.section = s;
        self.focus = 0;
        self.history.end_typing();
        self.refresh(ctx);
    }

    /// Focuses the row of `id`, if it is on screen.
    fn focus_id(&mut self, id: FieldId) {
        if let Some(i) = self.rows.iter().position(|r| r.id == id) {
            self.focus = i;
        }
        self.refocus();
    }

    /// Moves focus to the field a problem is about.
    pub fn jump(&mut self, path: &FieldPath, ctx: &Context) {
        let segs = path.segments();
        self.section = match segs.first() {
            Some(Segment::Key("behaviors")) => Section::Behaviors,
            Some(Segment::Key("alertTargets")) => Section::AlertTargets,
            Some(Segment::Key("additionalMetricsToRetain" | "additionalMetricsToRetainV2")) => Section::Retained,
            Some(Segment::Key("metricsExportConfig")) => Section::Export,
            Some(Segment::Key("targets")) => Section::Targets,
            _ => Section::Overview,
        };
        self.open = match segs {
            [Segment::Key("behaviors"), Segment::Index(i), _, ..] => Some(*i),
            _ => None,
        };
        self.history.end_typing();
        self.refresh(ctx);
        let best = self
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| path.starts_with(&r.path) || r.path.starts_with(path))
            .max_by_key(|(_, r)| r.path.segments().len())
            .map(|(i, _)| i);
        self.focus = best.unwrap_or(0);
        self.refocus();
    }

    /// The edit as the draft writer takes it.
    pub fn snapshot(&self, cx: &Shared) -> Snapshot {
        let raw = self
            .raw
            .iter()
            .map(|(id, r)| crate::drafts::RawText {
                behavior: id.behavior(),
                field: serde_json::to_value(id).unwrap_or(serde_json::Value::Null),
                text: r.text.clone(),
            })
            .collect();
        Snapshot {
            id: self.draft_id.clone(),
            endpoint: cx.endpoint.clone(),
            profile: self.profile.clone(),
            base: self.base.clone(),
            base_tags: self.base_tags.clone(),
            cursor: Cursor { section: self.section.short().to_owned(), behavior: self.open, row: self.focus },
            raw,
            targets: Some(self.targets.clone()),
            base_targets: Some(self.base_targets.clone()),
            form: self.form.as_ref().and_then(|(f, field)| {
                serde_json::to_value(crate::tui::screens::resource_form::FormDraft { field: Some(*field), ..f.draft() })
                    .ok()
            }),
            saved: cx.now,
        }
    }

    /// The service took the edit: the new version is the base, the sent
    /// profile is where "untouched" is measured from. Edits made while the
    /// submit was on its way stay unsent (and in the draft).
    pub fn submitted(
        &mut self,
        description: SecurityProfileDescription,
        calls: &[crate::client::apply::Call],
        cx: &Shared,
    ) {
        let tags_applied = !calls.iter().any(|c| c.target.is_none() && c.error.is_some());
        // What is attached now: what was, with the attaches and detaches that went through.
        for call in calls.iter().filter(|c| c.error.is_none()) {
            match (&call.target, call.kind) {
                (Some(t), CallKind::AttachSecurityProfile) if !self.base_targets.contains(t) => {
                    self.base_targets.push(t.clone())
                }
                (Some(t), CallKind::DetachSecurityProfile) => self.base_targets.retain(|b| b != t),
                _ => {}
            }
        }
        self.pristine_targets = self.base_targets.clone();
        let sent = self.send.landed();
        if tags_applied {
            self.base_tags = sent.as_ref().and_then(|p| p.tags.clone()).unwrap_or_default();
        }
        let base = Arc::new(description);
        // What was sent is on the server: undo starts again from here, so it
        // never takes back what the service already has.
        self.history = History::default();
        self.base = Some(base);
        if let Some(sent) = sent {
            let mut pristine = sent;
            if !tags_applied {
                pristine.tags = (!self.base_tags.is_empty()).then(|| self.base_tags.clone());
            }
            self.pristine = pristine;
        }
        self.dirty = !self.untouched();
        self.revalidate(&cx.ctx);
        self.refresh(&cx.ctx);
    }

    /// The submit landed: the new version is the base (`submitted`), the
    /// draft has done its job (edits made since, or calls still to make,
    /// make a new one under a new id, still this editor's), and the status
    /// line says what was saved, and whether another ddsp's draft of the
    /// profile was kept.
    pub fn landed(&mut self, done: &crate::tui::message::Applied, cx: &mut Shared, out: &mut Vec<Effect>) {
        cx.learn_account(&done.arn);
        self.submitted(done.description.clone(), &done.calls, cx);
        if self.drafted {
            out.push(Effect::RemoveDraft(self.draft_id.clone()));
        }
        let name = self.name().to_owned();
        self.drafted = false;
        self.draft_id = crate::drafts::new_id(cx.now);
        out.push(Effect::OwnDraft(cx.claim(self)));
        cx.drafting.state = crate::tui::drafting::DraftState::None;
        let others =
            cx.drafting.unsent.iter().filter(|d| d.meta.name == name && d.meta.endpoint == cx.endpoint).count();
        let v = done.description.version.unwrap_or(0);
        let failed = done.failed().count();
        let kept = match others {
            0 => String::new(),
            n => format!(" · {} of {name} from another ddsp kept (Home marks it ✎)", count(n, "unsent draft")),
        };
        cx.say(if failed == 0 {
            format!("Saved {} (version {v}){kept}", done.name)
        } else {
            format!(
                "Saved {} (version {v}), but {} of the calls after it failed; your edits keep what was not applied{kept}",
                done.name,
                count(failed, "call")
            )
        });
    }

    /// The submit was refused with `error`. A version conflict on an
    /// update fetches the server's copy (the conflict screen follows); an
    /// update of a profile gone from the server becomes a create (`taken`:
    /// the names it cannot take), and true is returned: the edit goes back
    /// to the editor. Anything else is the confirm screen's to show.
    pub fn refused(&mut self, error: ClientError, taken: Vec<String>, cx: &mut Shared, out: &mut Vec<Effect>) -> bool {
        let name = self.name().to_owned();
        self.send = if error.is_version_conflict() && self.base.is_some() {
            let label = "The profile changed on the server; fetching its version…".to_owned();
            let id = cx.requests.start(crate::tui::requests::Wait::FetchServer, Some(label));
            out.push(Effect::FetchServer { id, name: name.clone() });
            send::Send::Fetching { id, after: error.clone() }
        } else {
            send::Send::Failed(error.clone())
        };
        if !(error.is_not_found() && self.base.is_some()) {
            return false;
        }
        // Trying the update again can never work: the edit becomes a create.
        self.as_new_profile(taken, &cx.ctx);
        self.send = send::Send::Ready;
        cx.say(format!(
            "{name} is no longer on the server (deleted since this edit began): your edit is now a new profile, and Ctrl-S reviews it as CreateSecurityProfile"
        ));
        true
    }

    /// The server's copy read after a draft was restored: its tags and
    /// targets go under the edit's (`rebase`), its version is said when it
    /// moved on, and a profile gone from the server makes the draft a new profile.
    pub fn server_read(&mut self, result: Result<crate::tui::message::ServerCopy, ClientError>, cx: &mut Shared) {
        let (d, tags, arns) = match result {
            Ok(copy) => copy,
            Err(e) if e.is_not_found() => {
                let name = self.name().to_owned();
                let taken = self.taken.clone();
                self.as_new_profile(taken, &cx.ctx);
                return cx.say(format!(
                    "{name} is no longer on the server: your draft is now a new profile, and Ctrl-S reviews it as CreateSecurityProfile"
                ));
            }
            Err(e) => return cx.say(format!("Could not read the server's tags and targets: {e}")),
        };
        let attached: Vec<Target> = arns.iter().filter_map(|a| Target::of_arn(a)).collect();
        let mut moved = crate::wire::merge::tag_lines(&self.base_tags, &tags);
        moved.extend(crate::wire::merge::target_lines(&self.base_targets, &attached));
        self.rebase(tags, attached, &cx.ctx);
        let was = self.version();
        self.server_version = d.version.filter(|v| Some(*v) != was);
        if !moved.is_empty() {
            cx.say(format!(
                "The profile's tags or targets changed on the server since the draft ({}); your edits are kept on top of them",
                moved.join(", ")
            ));
        }
    }

    /// Whether the edit is back where it started (then it needs no draft).
    pub fn untouched(&self) -> bool {
        // Targets are a set: the order they were added in changes nothing.
        let same_targets = self.targets.len() == self.pristine_targets.len()
            && self.targets.iter().all(|t| self.pristine_targets.contains(t));
        self.raw.is_empty() && self.profile == self.pristine && same_targets && self.form.is_none()
    }

    /// The profile is no longer on the server (deleted since the edit
    /// began): the edit becomes a new profile, its CreateSecurityProfile
    /// carrying its tags, its targets attached after it; nothing counts as
    /// attached on the server, and `taken` are the names it cannot take.
    pub fn as_new_profile(&mut self, taken: Vec<String>, ctx: &Context) {
        self.base = None;
        self.base_tags = Vec::new();
        self.base_targets = Vec::new();
        self.server_version = None;
        self.taken = taken;
        self.from_blank();
        self.dirty = true;
        self.revalidate(ctx);
        self.refresh(ctx);
    }

    /// The edit counts from a blank profile with no target (a template is an edit).
    pub fn from_blank(&mut self) {
        self.pristine = SecurityProfile::default();
        self.pristine_targets = Vec::new();
    }

    /// Sets the targets the server has; the edit starts with the same.
    pub fn attached(&mut self, targets: Vec<Target>, ctx: &Context) {
        self.targets = targets.clone();
        self.pristine_targets = targets.clone();
        self.base_targets = targets;
        self.revalidate(ctx);
        self.refresh(ctx);
    }

    /// The endpoint lookups the limit check needs: each target to attach, by ARN.
    pub fn count_targets(&self, cx: &mut Shared) -> Vec<crate::tui::message::Effect> {
        let arns: Vec<String> = self
            .targets
            .iter()
            .filter(|t| !self.base_targets.contains(t) && !self.target_use.contains_key(t))
            .filter_map(|t| cx.target_arn(t))
            .collect();
        arns.into_iter()
            .map(|arn| {
                let id = cx.requests.start(crate::tui::requests::Wait::TargetProfiles, None);
                crate::tui::message::Effect::CountTarget { id, arn }
            })
            .collect()
    }

    /// The attaches and detaches a submit makes.
    pub fn target_changes(&self) -> (Vec<Target>, Vec<Target>) {
        crate::domain::targets::changes(&self.targets, &self.base_targets)
    }

    /// The editor of draft `d` whose profile reads as `profile`: its base
    /// (an update's), tags and targets, raw texts and cursor (`resume`), the
    /// undo `history` it had in this ddsp, and a dimension or custom metric
    /// form left half made.
    pub fn of_draft(
        d: &crate::drafts::Draft,
        profile: SecurityProfile,
        history: Option<History>,
        ctx: &Context,
    ) -> EditorScreen {
        let base = d.meta.base.clone().filter(|_| d.meta.operation == crate::drafts::Operation::UpdateSecurityProfile);
        let mut ed = EditorScreen::new(profile, base, d.meta.base_tags.clone(), d.id.clone(), ctx);
        ed.base_targets = d.meta.base_targets.clone().unwrap_or_default();
        ed.targets = d.meta.targets.clone().unwrap_or_else(|| ed.base_targets.clone());
        ed.resume(&d.meta.cursor, &d.meta.raw, ctx);
        if let Some(history) = history {
            ed.history = history;
            // Typing after the reopen is a step of its own.
            ed.history.end_typing();
        }
        // A dimension or custom metric left half made comes back too.
        let form = d
            .meta
            .form
            .as_ref()
            .and_then(|v| serde_json::from_value::<crate::tui::screens::resource_form::FormDraft>(v.clone()).ok());
        if let Some(f) = form
            && let Some(field) = f.field
        {
            let mut made = crate::tui::screens::resource_form::ResourceForm::from_draft(&f);
            made.revalidate(ctx);
            ed.form = Some((made, field));
        }
        ed
    }

    /// Puts back raw texts and the cursor a draft kept. The draft is an edit:
    /// "untouched" is measured from the server's copy (or a blank profile).
    pub fn resume(&mut self, cursor: &Cursor, raw: &[crate::drafts::RawText], ctx: &Context) {
        self.pristine = match &self.base {
            Some(base) => crate::wire::change::profile_of(base, &self.base_tags),
            None => SecurityProfile::default(),
        };
        self.pristine_targets = self.base_targets.clone();
        for r in raw {
            if let Some(id) = legacy_field(&r.field, r.behavior) {
                fields::set_text(&mut self.profile, id, &r.text, ctx, &mut self.raw);
            }
        }
        self.section = Section::ALL.iter().copied().find(|s| s.short() == cursor.section).unwrap_or(Section::Overview);
        let behaviors = self.profile.behaviors.as_ref().map_or(0, Vec::len);
        self.open = cursor.behavior.filter(|i| *i < behaviors);
        self.focus = cursor.row;
        self.revalidate(ctx);
        self.refresh(ctx);
    }

    /// Reapplies the edits on the server's newer version (a three-way merge);
    /// returns what both sides changed. Undo goes back to before.
    /// The server's tags and targets as they are now (they are not
    /// versioned, so a draft or a conflict may not know them): the edit's own
    /// tag and target changes are kept on top of them (`merge::rebase_tags`,
    /// `rebase_targets`), and the calls are counted from them.
    pub fn rebase(&mut self, server_tags: Vec<Tag>, server_targets: Vec<Target>, ctx: &Context) {
        if server_tags != self.base_tags || server_targets != self.base_targets {
            // Undo steps hold tags and targets against the old base: taken back, they would
            // untag or detach what the server has now. Undo starts again from here.
            self.history = History::default();
        }
        let mine = self.profile.tags.clone().unwrap_or_default();
        let tags = crate::wire::merge::rebase_tags(&self.base_tags, &mine, &server_tags);
        self.profile.tags = (!tags.is_empty()).then_some(tags);
        self.base_tags = server_tags;
        self.targets = crate::wire::merge::rebase_targets(&self.base_targets, &self.targets, &server_targets);
        self.base_targets = server_targets;
        self.revalidate(ctx);
        self.refresh(ctx);
    }

    pub fn reapply(&mut self, server: SecurityProfileDescription, cx: &Shared) -> Vec<String> {
        let Some(base) = self.base.clone() else { return Vec::new() };
        let merged = crate::wire::merge::reapply(&base, &self.profile, &server);
        self.record_external(format!("reapplied on version {}", server.version.unwrap_or(0)));
        self.profile = merged.profile;
        self.base = Some(Arc::new(server));
        self.dirty = true;
        self.revalidate(&cx.ctx);
        self.refresh(&cx.ctx);
        merged.clashes
    }
}

/// The field a raw text is about: `behaviors[i].criteria.value` for any item of the value.
fn field_root(path: &FieldPath) -> FieldPath {
    let mut root = FieldPath::root();
    for seg in path.segments().iter().take(4) {
        root = match seg {
            Segment::Key(k) => root.key(k),
            Segment::Index(n) => root.index(*n),
            Segment::MapKey(k) => root.map_key(k),
        };
    }
    root
}

/// A draft's field name: this version's, or an older one's (`"BValue"`).
fn legacy_field(value: &serde_json::Value, behavior: Option<usize>) -> Option<FieldId> {
    if let Ok(id) = serde_json::from_value::<FieldId>(value.clone()) {
        return Some(id);
    }
    let name = value.as_str()?.strip_prefix('B')?;
    let field = serde_json::from_value::<rows::BehaviorField>(serde_json::Value::from(name)).ok()?;
    Some(FieldId::Of(behavior?, field))
}
