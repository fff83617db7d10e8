//! App: all the editor's state, and `update`, the only thing that changes it.
//! An event goes in, state changes, effects come out as data; rendering reads
//! the state and nothing else (view.rs). No terminal, no I/O here.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui_textarea::TextArea;

use super::action::{Effect, Event, Submit};
use super::form::{self, FieldId, Kind, Known, RawTexts, Row, Section};
use super::picker::Picker;
use crate::domain::profile::{ProfileUpdate, SecurityProfile, Tag};
use crate::domain::{Context, FieldPath, Problem, path::Segment, validate, validate_tags, validate_update};
use crate::wire::response::SecurityProfileDescription;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Home,
    Editor,
    /// The request about to be sent, and for an update what it changes.
    Confirm,
    /// What the service made of a submit.
    Result,
    /// The profile changed on the server since it was opened.
    Conflict,
    /// Unsent drafts from an earlier run, offered back at start.
    Drafts,
    /// The guided first-time setup.
    Wizard,
}

/// The conflict screen: what changed on the server and what the user changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub server: SecurityProfileDescription,
    pub theirs: Vec<String>,
    pub mine: Vec<String>,
}

/// The confirm screen: exactly what will be sent.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub submit: Submit,
    /// The request as a `--cli-input-json` document (4-space JSON).
    pub json: String,
    /// For an update: the changes against the server's version, one per line.
    pub changes: Vec<String>,
    pub scroll: u16,
    /// The service's answer when a submit failed; the edits stay as they are.
    pub error: Option<String>,
}

/// The result screen.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub name: String,
    pub arn: String,
    pub version: Option<i64>,
    pub created: Option<f64>,
    pub modified: Option<f64>,
}

/// Delete asks for the profile's name, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletePrompt {
    pub name: String,
    pub version: Option<i64>,
    pub typed: String,
}

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
}

impl Home {
    /// The rows the filter keeps (case-insensitive substring).
    pub fn visible(&self) -> Vec<&HomeRow> {
        let f = self.filter.to_lowercase();
        self.rows.iter().filter(|r| r.name.to_lowercase().contains(&f)).collect()
    }
}

/// The validation pane: collapsed to one line on small terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pane {
    pub focused: bool,
    pub selected: usize,
}

pub struct Editor {
    pub profile: SecurityProfile,
    /// The server's copy when editing an existing profile.
    pub base: Option<SecurityProfileDescription>,
    pub base_tags: Vec<Tag>,
    pub section: Section,
    pub focus: usize,
    /// The behavior whose editor is open.
    pub open: Option<usize>,
    pub input: Option<TextArea<'static>>,
    pub raw: RawTexts,
    pub problems: Vec<Problem>,
    pub pane: Pane,
    pub picker: Option<Picker>,
    /// The draft this edit is saved as.
    pub draft_id: String,
    /// Edited since the draft was last handed to the writer.
    pub dirty: bool,
}

pub struct App {
    pub screen: Screen,
    pub home: Home,
    pub editor: Option<Editor>,
    pub known: Known,
    /// Whether `known` came from the endpoint (then unknown references are errors).
    pub known_loaded: bool,
    pub endpoint: String,
    pub region: Option<String>,
    pub message: String,
    pub busy: Option<String>,
    pub help: bool,
    pub quit: bool,
    pub confirm: Option<Confirm>,
    pub outcome: Option<Outcome>,
    pub delete: Option<DeletePrompt>,
    /// Asking before a quit that would lose the newest edit.
    pub quit_prompt: Option<super::quit_prompt::QuitPrompt>,
    /// Why the last draft could not be written; cleared by the next save that works.
    pub draft_failure: Option<String>,
    /// A closed editor's draft that could not be written, kept for the quit prompt's `w`.
    pub unsaved_closed: Option<crate::drafts::Draft>,
    pub conflict: Option<Conflict>,
    /// The draft of an editor closed with unsaved edits, for the writer.
    pub pending_draft: Option<crate::drafts::Draft>,
    /// Drafts offered back, and the one selected.
    pub offered: Vec<crate::drafts::Draft>,
    pub offered_selected: usize,
    /// Whether the edits are on disk, for the status line.
    pub draft_state: DraftState,
    pub wizard: Option<super::wizard::Wizard>,
    /// Colours on (off with NO_COLOR or `theme = mono`).
    pub color: bool,
    /// `keymap = vi`: j/k move in lists, / filters on Home.
    pub vi: bool,
    /// Whether an endpoint is connected (the wizard connects later).
    pub connected: bool,
    /// Now, epoch seconds, as of the last event (drafts are stamped with it).
    pub now: f64,
    /// The user's time zone, for local dates beside UTC ones (UTC until the loop says).
    pub tz: jiff::tz::TimeZone,
    /// Where drafts are kept, to name their files (None: drafts are not kept).
    pub drafts_dir: Option<std::path::PathBuf>,
}

/// Whether the draft of the edit is saved.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DraftState {
    #[default]
    None,
    Saving,
    Saved,
    Failed(String),
}

impl Editor {
    /// The rules for the request this edit makes, as the commands and the
    /// sandbox run them: CreateSecurityProfile's for a new profile; for an
    /// existing one UpdateSecurityProfile's (delete-* flags, empty lists that
    /// clear nothing) plus the tag rules, since tags go through TagResource.
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

    /// The request this edit makes: a create, or for an existing profile the
    /// update (expecting the version it started from, with the delete-* flags
    /// that cleared sections produce) and the tag changes.
    pub fn request(&self) -> Submit {
        let Some(base) = &self.base else { return Submit::Create(self.profile.clone()) };
        let p = &self.profile;
        let mut update = ProfileUpdate::from(p.clone());
        update.expected_version = base.version;
        update.delete_behaviors = (base.behaviors.is_some() && p.behaviors.is_none()).then_some(true);
        update.delete_alert_targets = (base.alert_targets.is_some() && p.alert_targets.is_none()).then_some(true);
        update.delete_additional_metrics_to_retain = ((base.additional_metrics_to_retain.is_some()
            || base.additional_metrics_to_retain_v2.is_some())
            && p.additional_metrics_to_retain.is_none()
            && p.additional_metrics_to_retain_v2.is_none())
        .then_some(true);
        update.delete_metrics_export_config =
            (base.metrics_export_config.is_some() && p.metrics_export_config.is_none()).then_some(true);
        let now = p.tags.clone().unwrap_or_default();
        let tag: Vec<Tag> = now.iter().filter(|t| !self.base_tags.contains(t)).cloned().collect();
        let untag: Vec<String> =
            self.base_tags.iter().filter(|t| !now.iter().any(|n| n.key == t.key)).map(|t| t.key.clone()).collect();
        Submit::Update { update, tag, untag }
    }
}

impl App {
    pub fn new(endpoint: String, region: Option<String>) -> App {
        App {
            screen: Screen::Home,
            home: Home { rows: Vec::new(), filter: String::new(), selected: 0, load: Load::Loading, filtering: false },
            editor: None,
            known: Known::default(),
            known_loaded: false,
            endpoint,
            region,
            message: String::new(),
            busy: None,
            help: false,
            quit: false,
            confirm: None,
            outcome: None,
            delete: None,
            quit_prompt: None,
            draft_failure: None,
            unsaved_closed: None,
            conflict: None,
            pending_draft: None,
            offered: Vec::new(),
            offered_selected: 0,
            draft_state: DraftState::None,
            wizard: None,
            color: true,
            vi: false,
            connected: true,
            now: 0.0,
            tz: jiff::tz::TimeZone::UTC,
            drafts_dir: None,
        }
    }

    /// The effects to run at start.
    pub fn start(&self) -> Vec<Effect> {
        vec![Effect::ListProfiles, Effect::LoadKnown]
    }

    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => self.on_key(key),
            Event::Resize => Vec::new(),
            Event::Drafts(drafts) => {
                self.offer(drafts);
                Vec::new()
            }
            Event::DraftReport(report) => {
                self.draft_reported(report);
                Vec::new()
            }
            Event::Connected(result) => self.connected(result),
            Event::Notice(text) => {
                self.message = text;
                Vec::new()
            }
            Event::Listed(Ok(ids)) => {
                let names: Vec<String> = ids.iter().map(|i| i.name.clone()).collect();
                self.home.rows = ids
                    .into_iter()
                    .map(|i| HomeRow { name: i.name, behaviors: None, modified: None, version: None })
                    .collect();
                self.home.load = Load::Ready;
                self.home.selected = self.home.selected.min(self.home.rows.len().saturating_sub(1));
                if names.is_empty() { Vec::new() } else { vec![Effect::Describe(names)] }
            }
            Event::Listed(Err(e)) => {
                self.home.load = Load::Failed(e);
                Vec::new()
            }
            Event::Details { name, behaviors, modified, version } => {
                if let Some(row) = self.home.rows.iter_mut().find(|r| r.name == name) {
                    row.behaviors = Some(behaviors);
                    row.modified = modified;
                    row.version = version;
                }
                Vec::new()
            }
            Event::Deleted(result) => {
                self.busy = None;
                match result {
                    Ok(name) => {
                        self.message = format!("Deleted {name}");
                        let mut effects = vec![Effect::ListProfiles];
                        if let Some(ed) = self.editor.take() {
                            effects.push(Effect::RemoveDraft(ed.draft_id));
                        }
                        self.draft_state = DraftState::None;
                        self.screen = Screen::Home;
                        self.home.load = Load::Loading;
                        return effects;
                    }
                    Err(e) => self.message = e,
                }
                Vec::new()
            }
            Event::Server(result) => {
                self.busy = None;
                match result {
                    Ok(server) => self.show_conflict(server),
                    Err(e) => self.message = format!("Could not fetch the server's version: {e}"),
                }
                Vec::new()
            }
            Event::Written(result) => {
                self.quit_prompt_written(&result);
                self.message = match result {
                    Ok(path) => format!("Wrote {path} (use it with --cli-input-json file://{path})"),
                    Err(e) => format!("Could not write the request: {e}"),
                };
                Vec::new()
            }
            Event::Known(Ok(known)) => {
                self.known = known;
                self.known_loaded = true;
                self.revalidate();
                Vec::new()
            }
            Event::Known(Err(e)) => {
                self.message =
                    format!("Custom metrics and dimensions could not be loaded ({e}); they are checked offline");
                Vec::new()
            }
            Event::Opened(result) => {
                self.busy = None;
                match result {
                    Ok((description, tags)) => self.open_existing(description, tags),
                    Err(e) => self.message = e,
                }
                Vec::new()
            }
            Event::Submitted(result) => {
                self.busy = None;
                match result {
                    Ok(done) => {
                        let version = done.description.version.unwrap_or(0);
                        self.message = format!("Saved {} (version {version})", done.name);
                        self.outcome = Some(Outcome {
                            name: done.name.clone(),
                            arn: done.arn.clone(),
                            version: done.description.version,
                            created: done.description.creation_date,
                            modified: done.description.last_modified_date,
                        });
                        let mut effects = vec![Effect::ListProfiles];
                        if let Some(ed) = self.editor.as_mut() {
                            ed.base_tags = ed.profile.tags.clone().unwrap_or_default();
                            ed.base = Some(done.description);
                            // Sent: the draft has done its job. Edits from here make a new one.
                            ed.dirty = false;
                            effects.push(Effect::RemoveDraft(ed.draft_id.clone()));
                            ed.draft_id = crate::drafts::new_id(self.now);
                        }
                        self.draft_state = DraftState::None;
                        self.confirm = None;
                        self.screen = Screen::Result;
                        effects
                    }
                    Err(e) => {
                        // The edits stay; the confirm screen shows what the service said.
                        let update = self.confirm.as_ref().and_then(|c| match &c.submit {
                            Submit::Update { update, .. } => Some(update.security_profile_name.clone()),
                            Submit::Create(_) => None,
                        });
                        if let Some(c) = self.confirm.as_mut() {
                            c.error = Some(e.clone());
                        }
                        if let Some(name) = update.filter(|_| e.contains("(VersionConflictException)")) {
                            self.busy = Some("The profile changed on the server; fetching its version…".into());
                            self.message = e;
                            return vec![Effect::FetchServer(name)];
                        }
                        self.message = e;
                        Vec::new()
                    }
                }
            }
        }
    }

    fn context(&self) -> Context {
        let lists = self.known_loaded;
        Context {
            custom_metrics: lists.then(|| self.known.custom_metrics.clone()),
            dimensions: lists.then(|| self.known.dimensions.clone()),
            region: self.region.clone(),
        }
    }

    /// Runs the rules on the profile being edited.
    pub fn revalidate(&mut self) {
        let ctx = self.context();
        let known = self.known.clone();
        if let Some(ed) = self.editor.as_mut() {
            let mut problems = ed.rules(&ctx);
            problems.extend(form::raw_problems(&ed.profile, &ed.raw, &known));
            problems.sort_by_key(|p| p.severity);
            ed.problems = problems;
            ed.pane.selected = ed.pane.selected.min(ed.problems.len().saturating_sub(1));
        }
    }

    pub fn new_profile(&mut self) {
        self.start_editor(SecurityProfile::default(), None, Vec::new());
    }

    fn open_existing(&mut self, d: SecurityProfileDescription, tags: Vec<Tag>) {
        let profile = SecurityProfile {
            security_profile_name: d.security_profile_name.clone().unwrap_or_default(),
            security_profile_description: d.security_profile_description.clone(),
            behaviors: d.behaviors.clone(),
            alert_targets: d.alert_targets.clone(),
            additional_metrics_to_retain: d.additional_metrics_to_retain.clone(),
            additional_metrics_to_retain_v2: d.additional_metrics_to_retain_v2.clone(),
            tags: (!tags.is_empty()).then(|| tags.clone()),
            metrics_export_config: d.metrics_export_config.clone(),
        };
        self.start_editor(profile, Some(d), tags);
    }

    pub(super) fn start_editor(
        &mut self,
        profile: SecurityProfile,
        base: Option<SecurityProfileDescription>,
        base_tags: Vec<Tag>,
    ) {
        self.close_editor();
        self.draft_state = DraftState::None;
        self.editor = Some(Editor {
            draft_id: crate::drafts::new_id(self.now),
            dirty: false,
            profile,
            base,
            base_tags,
            section: Section::Overview,
            focus: 0,
            open: None,
            input: None,
            raw: RawTexts::new(),
            problems: Vec::new(),
            pane: Pane::default(),
            picker: None,
        });
        self.screen = Screen::Editor;
        self.message.clear();
        self.revalidate();
        self.refocus();
    }

    /// The rows on screen: the open behavior's, or the section's.
    pub fn rows(&self) -> Vec<Row> {
        let Some(ed) = &self.editor else { return Vec::new() };
        match ed.open {
            Some(i) => match ed.profile.behaviors.as_ref().and_then(|l| l.get(i)) {
                Some(b) => form::behavior_rows(b, i, &self.known, &ed.raw),
                None => Vec::new(),
            },
            None => {
                let mut rows = form::section_rows(&ed.profile, ed.section, &ed.raw);
                if ed.base.is_some() {
                    // The name of an existing profile is fixed.
                    rows.retain(|r| r.id != FieldId::ProfileName);
                }
                rows
            }
        }
    }

    /// Makes the text input follow the focused row.
    pub(super) fn refocus(&mut self) {
        let rows = self.rows();
        let Some(ed) = self.editor.as_mut() else { return };
        ed.focus = ed.focus.min(rows.len().saturating_sub(1));
        ed.input = rows.get(ed.focus).filter(|r| r.kind == Kind::Text).map(|r| {
            // Text from the network or a file may hold escape sequences: the input shows
            // them made visible, and what is typed there is checked like any text.
            let mut t = TextArea::new(vec![crate::domain::untrusted::neutralise(&r.value).into_owned()]);
            // No underline on the line being edited: the field is one line, and each
            // keystroke then costs fewer bytes over SSH.
            t.set_cursor_line_style(ratatui::style::Style::default());
            t.move_cursor(ratatui_textarea::CursorMove::End);
            t
        });
    }

    fn focus_id(&mut self, id: FieldId) {
        let rows = self.rows();
        if let (Some(ed), Some(i)) = (self.editor.as_mut(), rows.iter().position(|r| r.id == id)) {
            ed.focus = i;
        }
        self.refocus();
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('q')) {
            return self.ask_to_quit();
        }
        if self.quit_prompt.is_some() {
            return self.quit_prompt_key(key);
        }
        if self.help {
            self.help = false;
            return Vec::new();
        }
        if key.code == KeyCode::F(1) {
            self.help = true;
            return Vec::new();
        }
        if self.delete.is_some() {
            return self.delete_key(key);
        }
        match self.screen {
            Screen::Drafts => self.drafts_key(key),
            Screen::Wizard => self.wizard_key(key),
            Screen::Home => self.home_key(key),
            Screen::Editor => self.editor_key(key),
            Screen::Confirm => self.confirm_key(key),
            Screen::Result => self.result_key(key),
            Screen::Conflict => self.conflict_key(key),
        }
    }

    fn home_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let n = self.home.visible().len();
        match key.code {
            KeyCode::Char('n') if ctrl => self.new_profile(),
            KeyCode::Char('r') if ctrl => {
                self.home.load = Load::Loading;
                return vec![Effect::ListProfiles, Effect::LoadKnown];
            }
            KeyCode::Char('?') if self.home.filter.is_empty() => self.help = true,
            KeyCode::Char(c) if !ctrl && self.vi && !self.home.filtering => match c {
                'j' => self.home.selected = (self.home.selected + 1).min(n.saturating_sub(1)),
                'k' => self.home.selected = self.home.selected.saturating_sub(1),
                'g' => self.home.selected = 0,
                'G' => self.home.selected = n.saturating_sub(1),
                '/' => self.home.filtering = true,
                _ => {}
            },
            KeyCode::Char(c) if !ctrl => {
                self.home.filter.push(c);
                self.home.selected = 0;
            }
            KeyCode::Backspace => {
                self.home.filter.pop();
                self.home.selected = 0;
            }
            KeyCode::Esc => {
                self.home.filter.clear();
                self.home.filtering = false;
            }
            KeyCode::Delete => {
                if let Some(row) = self.home.visible().get(self.home.selected) {
                    self.delete =
                        Some(DeletePrompt { name: row.name.clone(), version: row.version, typed: String::new() });
                }
            }
            KeyCode::Up => self.home.selected = self.home.selected.saturating_sub(1),
            KeyCode::Down => self.home.selected = (self.home.selected + 1).min(n.saturating_sub(1)),
            KeyCode::PageUp => self.home.selected = self.home.selected.saturating_sub(10),
            KeyCode::PageDown => self.home.selected = (self.home.selected + 10).min(n.saturating_sub(1)),
            KeyCode::Enter => {
                if let Some(row) = self.home.visible().get(self.home.selected) {
                    let name = row.name.clone();
                    self.busy = Some(format!("Opening {name}…"));
                    return vec![Effect::Open(name)];
                }
            }
            _ => {}
        }
        Vec::new()
    }

    fn editor_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let Some(ed) = self.editor.as_mut() else { return Vec::new() };
        if let Some(picker) = ed.picker.as_mut() {
            match key.code {
                KeyCode::Esc => ed.picker = None,
                KeyCode::Enter => {
                    let (target, choice) = (picker.target, picker.choice());
                    ed.picker = None;
                    if let Some(value) = choice {
                        form::set_pick(&mut ed.profile, ed.open, target, &value, &self.known);
                        self.changed();
                    }
                }
                KeyCode::Up => picker.move_by(-1),
                KeyCode::Down => picker.move_by(1),
                KeyCode::PageUp => picker.move_by(-10),
                KeyCode::PageDown => picker.move_by(10),
                KeyCode::Backspace => picker.backspace(),
                KeyCode::Char(c) if !ctrl => picker.type_char(c),
                _ => {}
            }
            return Vec::new();
        }
        if ed.pane.focused {
            match key.code {
                KeyCode::Esc | KeyCode::F(2) => ed.pane.focused = false,
                KeyCode::Up => ed.pane.selected = ed.pane.selected.saturating_sub(1),
                KeyCode::Down => ed.pane.selected = (ed.pane.selected + 1).min(ed.problems.len().saturating_sub(1)),
                KeyCode::Enter => {
                    if let Some(path) = ed.problems.get(ed.pane.selected).map(|p| p.path.clone()) {
                        ed.pane.focused = false;
                        self.jump(&path);
                    }
                }
                _ => {}
            }
            return Vec::new();
        }
        let rows = self.rows();
        let Some(ed) = self.editor.as_mut() else { return Vec::new() };
        let row = rows.get(ed.focus).cloned();
        match key.code {
            KeyCode::Char('s') if ctrl => return self.submit(),
            KeyCode::Char('x') if ctrl => {
                if let Some(base) = &ed.base {
                    self.delete = Some(DeletePrompt {
                        name: base.security_profile_name.clone().unwrap_or_default(),
                        version: base.version,
                        typed: String::new(),
                    });
                }
                return Vec::new();
            }
            KeyCode::F(2) => {
                ed.pane.focused = !ed.problems.is_empty();
                return Vec::new();
            }
            KeyCode::Char('n') | KeyCode::PageDown if ctrl || key.code == KeyCode::PageDown => {
                self.switch_section(1);
                return Vec::new();
            }
            KeyCode::Char('p') | KeyCode::PageUp if ctrl || key.code == KeyCode::PageUp => {
                self.switch_section(-1);
                return Vec::new();
            }
            KeyCode::Esc => {
                if let Some(closed) = ed.open.take() {
                    self.focus_after_close(closed);
                } else {
                    // Unsent edits stay as a draft, offered back on the next start.
                    self.close_editor();
                    self.screen = Screen::Home;
                    return vec![Effect::ListProfiles];
                }
                return Vec::new();
            }
            KeyCode::Up | KeyCode::BackTab if !ctrl && !alt => {
                ed.focus = ed.focus.saturating_sub(1);
                self.refocus();
                return Vec::new();
            }
            KeyCode::Down | KeyCode::Tab if !ctrl && !alt => {
                ed.focus = (ed.focus + 1).min(rows.len().saturating_sub(1));
                self.refocus();
                return Vec::new();
            }
            KeyCode::Char('a') if ctrl => {
                self.add_entry();
                return Vec::new();
            }
            KeyCode::Char('d') if ctrl => {
                self.remove_entry(row.as_ref());
                return Vec::new();
            }
            _ => {}
        }
        let Some(row) = row else {
            if key.code == KeyCode::Char('a') && ed.open.is_none() {
                self.add_entry();
            }
            return Vec::new();
        };
        match &row.kind {
            Kind::Text => {
                let Some(input) = ed.input.as_mut() else { return Vec::new() };
                if matches!(key.code, KeyCode::Enter) {
                    ed.focus = (ed.focus + 1).min(rows.len().saturating_sub(1));
                    self.refocus();
                    return Vec::new();
                }
                if input.input(key) {
                    let text = input.lines().join("");
                    form::set_text(&mut ed.profile, ed.open, row.id, &text, &self.known, &mut ed.raw);
                    self.changed_keep_input();
                }
            }
            Kind::Choice(_) => match key.code {
                KeyCode::Left => self.cycle(&row, -1),
                KeyCode::Right | KeyCode::Char(' ') | KeyCode::Enter => self.cycle(&row, 1),
                _ => {}
            },
            Kind::Toggle => {
                if matches!(key.code, KeyCode::Char(' ') | KeyCode::Enter) {
                    form::toggle(&mut ed.profile, ed.open, row.id);
                    self.changed();
                }
            }
            Kind::Pick(kind) => match key.code {
                KeyCode::Enter | KeyCode::Char(' ') => {
                    let current = if row.value == "(none)" { String::new() } else { row.value.clone() };
                    ed.picker = Some(Picker::new(*kind, row.id, &self.known, &current));
                }
                KeyCode::Delete => self.remove_entry(Some(&row)),
                _ => {}
            },
            Kind::Entry => self.entry_key(key, &row),
        }
        Vec::new()
    }

    fn entry_key(&mut self, key: KeyEvent, row: &Row) {
        let FieldId::Behavior(i) = row.id else { return };
        let Some(ed) = self.editor.as_mut() else { return };
        let moving = key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Enter => {
                ed.open = Some(i);
                ed.focus = 0;
                self.refocus();
            }
            KeyCode::Char('a') => self.add_entry(),
            KeyCode::Char('c') => {
                if let Some(list) = ed.profile.behaviors.as_mut() {
                    let mut copy = list[i].clone();
                    let mut n = 2;
                    while list.iter().any(|b| b.name == format!("{}-{n}", list[i].name)) {
                        n += 1;
                    }
                    copy.name = format!("{}-{n}", list[i].name);
                    list.insert(i + 1, copy);
                    form::remap_raw(&mut ed.raw, |k| Some(if k > i { k + 1 } else { k }));
                    ed.focus = i + 1;
                    self.changed();
                }
            }
            KeyCode::Delete | KeyCode::Char('d') => self.remove_entry(Some(row)),
            KeyCode::Up | KeyCode::Char('K') if moving || key.code == KeyCode::Char('K') => self.move_behavior(i, -1),
            KeyCode::Down | KeyCode::Char('J') if moving || key.code == KeyCode::Char('J') => self.move_behavior(i, 1),
            _ => {}
        }
    }

    fn move_behavior(&mut self, i: usize, step: i64) {
        let Some(ed) = self.editor.as_mut() else { return };
        let Some(list) = ed.profile.behaviors.as_mut() else { return };
        let j = i as i64 + step;
        if j < 0 || j as usize >= list.len() {
            return;
        }
        list.swap(i, j as usize);
        let j = j as usize;
        form::remap_raw(&mut ed.raw, |k| {
            Some(if k == i {
                j
            } else if k == j {
                i
            } else {
                k
            })
        });
        ed.focus = j;
        self.changed();
    }

    fn cycle(&mut self, row: &Row, step: i64) {
        if let Some(ed) = self.editor.as_mut() {
            form::cycle(&mut ed.profile, ed.open, row, step, &self.known);
            self.changed();
        }
    }

    fn add_entry(&mut self) {
        let Some(ed) = self.editor.as_mut() else { return };
        if ed.open.is_some() {
            return;
        }
        match form::add_entry(&mut ed.profile, ed.section) {
            Some(FieldId::Behavior(i)) => {
                // A new behavior opens straight on its metric: nothing else makes sense before it.
                ed.open = Some(i);
                ed.focus = 0;
                ed.picker = Some(Picker::new(form::PickKind::Metric, FieldId::BMetric, &self.known, ""));
                self.changed();
                self.focus_id(FieldId::BMetric);
            }
            Some(id) => {
                self.changed();
                self.focus_id(id);
            }
            None => self.message = "This section has no list to add to".into(),
        }
    }

    fn remove_entry(&mut self, row: Option<&Row>) {
        let Some(ed) = self.editor.as_mut() else { return };
        if let Some(row) = row
            && ed.open.is_none()
            && form::remove_entry(&mut ed.profile, row.id)
        {
            if let FieldId::Behavior(i) = row.id {
                form::remap_raw(&mut ed.raw, |k| match k.cmp(&i) {
                    std::cmp::Ordering::Less => Some(k),
                    std::cmp::Ordering::Equal => None,
                    std::cmp::Ordering::Greater => Some(k - 1),
                });
            }
            self.changed();
        }
    }

    fn switch_section(&mut self, step: i64) {
        let Some(ed) = self.editor.as_mut() else { return };
        ed.open = None;
        let i = Section::ALL.iter().position(|s| *s == ed.section).unwrap_or(0) as i64;
        ed.section = Section::ALL[(i + step).rem_euclid(Section::ALL.len() as i64) as usize];
        ed.focus = 0;
        self.refocus();
    }

    /// Back on the behaviors list, the highlight is on the behavior just closed
    /// (not on the row whose number the closed form's focus had).
    fn focus_after_close(&mut self, closed: usize) {
        let Some(ed) = self.editor.as_mut() else { return };
        ed.section = Section::Behaviors;
        self.focus_id(FieldId::Behavior(closed));
    }

    /// After a change: validate, and rebuild the text input for the focused row.
    fn changed(&mut self) {
        self.mark_dirty();
        self.revalidate();
        self.refocus();
    }

    /// After typing: validate, keep the text input (and its cursor) as it is.
    fn changed_keep_input(&mut self) {
        self.mark_dirty();
        self.revalidate();
    }

    fn mark_dirty(&mut self) {
        if let Some(ed) = self.editor.as_mut() {
            ed.dirty = true;
            // Once saved, the status line keeps saying so while the next save is on its
            // way (within milliseconds): no flicker, and no bytes for it over SSH.
            if self.draft_state != DraftState::Saved {
                self.draft_state = DraftState::Saving;
            }
        }
    }

    /// Moves focus to the field a problem is about.
    pub fn jump(&mut self, path: &FieldPath) {
        let Some(ed) = self.editor.as_mut() else { return };
        let segs = path.segments();
        let section = match segs.first() {
            Some(Segment::Key("behaviors")) => Section::Behaviors,
            Some(Segment::Key("alertTargets")) => Section::AlertTargets,
            Some(Segment::Key("additionalMetricsToRetain" | "additionalMetricsToRetainV2")) => Section::Retained,
            Some(Segment::Key("metricsExportConfig")) => Section::Export,
            _ => Section::Overview,
        };
        ed.section = section;
        ed.open = match segs {
            [Segment::Key("behaviors"), Segment::Index(i), _, ..] => Some(*i),
            _ => None,
        };
        let rows = self.rows();
        let best = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| path.starts_with(&r.path) || r.path.starts_with(path))
            .max_by_key(|(_, r)| r.path.segments().len())
            .map(|(i, _)| i);
        if let Some(ed) = self.editor.as_mut() {
            ed.focus = best.unwrap_or(0);
        }
        self.refocus();
    }

    fn submit(&mut self) -> Vec<Effect> {
        let Some(ed) = self.editor.as_mut() else { return Vec::new() };
        let errors = ed.problems.iter().filter(|p| p.is_error()).count();
        if errors > 0 {
            self.message = format!(
                "{errors} error{} block submission · F2 lists them, Enter jumps to one",
                if errors == 1 { "" } else { "s" }
            );
            ed.pane.focused = true;
            ed.pane.selected = 0;
            return Vec::new();
        }
        let submit = ed.request();
        let (json, changes) = match &submit {
            Submit::Create(p) => {
                (crate::wire::skeleton::json_text(&serde_json::to_value(p).unwrap_or_default()), Vec::new())
            }
            Submit::Update { update, tag, untag } => {
                let json = crate::wire::skeleton::json_text(&serde_json::to_value(update).unwrap_or_default());
                let mut changes = Vec::new();
                if let Some(base) = &ed.base {
                    let mut before = serde_json::to_value(base).unwrap_or_default();
                    if let Some(map) = before.as_object_mut() {
                        for k in ["securityProfileArn", "version", "creationDate", "lastModifiedDate"] {
                            map.shift_remove(k);
                        }
                    }
                    let mut after = serde_json::to_value(&ed.profile).unwrap_or_default();
                    if let Some(map) = after.as_object_mut() {
                        map.shift_remove("tags");
                    }
                    changes = crate::wire::diff::diff(&before, &after).iter().map(ToString::to_string).collect();
                }
                changes.extend(
                    tag.iter()
                        .map(|t| format!("+ tag {}={} (TagResource)", t.key, t.value.clone().unwrap_or_default())),
                );
                changes.extend(untag.iter().map(|k| format!("- tag {k} (UntagResource)")));
                (json, changes)
            }
        };
        self.confirm = Some(Confirm { submit, json, changes, scroll: 0, error: None });
        self.screen = Screen::Confirm;
        Vec::new()
    }

    fn confirm_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(c) = self.confirm.as_mut() else { return Vec::new() };
        match key.code {
            // One request per confirmation: while it is on its way, Enter does nothing.
            KeyCode::Enter if self.busy.is_some() => {}
            KeyCode::Enter => {
                c.error = None;
                let name = match &c.submit {
                    Submit::Create(p) => p.security_profile_name.clone(),
                    Submit::Update { update, .. } => update.security_profile_name.clone(),
                };
                self.busy = Some(format!("Submitting {name}…"));
                return vec![Effect::Submit(Box::new(c.submit.clone()))];
            }
            KeyCode::Char('s') if ctrl => {
                return self.confirm_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
            }
            KeyCode::Esc => {
                self.confirm = None;
                self.screen = Screen::Editor;
            }
            KeyCode::Char('w') => {
                let (name, op) = match &c.submit {
                    Submit::Create(p) => (p.security_profile_name.clone(), "create"),
                    Submit::Update { update, .. } => (update.security_profile_name.clone(), "update"),
                };
                return vec![Effect::Write { path: format!("{name}.{op}.json"), json: c.json.clone() }];
            }
            KeyCode::Up => c.scroll = c.scroll.saturating_sub(1),
            KeyCode::Down => c.scroll = c.scroll.saturating_add(1),
            KeyCode::PageUp => c.scroll = c.scroll.saturating_sub(10),
            KeyCode::PageDown => c.scroll = c.scroll.saturating_add(10),
            KeyCode::Home => c.scroll = 0,
            _ => {}
        }
        Vec::new()
    }

    /// Members of a profile as JSON, without what only the server sets.
    fn comparable(value: serde_json::Value) -> serde_json::Value {
        let mut value = value;
        if let Some(map) = value.as_object_mut() {
            for k in ["securityProfileArn", "version", "creationDate", "lastModifiedDate", "tags"] {
                map.shift_remove(k);
            }
        }
        value
    }

    fn show_conflict(&mut self, server: SecurityProfileDescription) {
        let Some(ed) = &self.editor else { return };
        let Some(base) = &ed.base else { return };
        let base_v = Self::comparable(serde_json::to_value(base).unwrap_or_default());
        let theirs =
            crate::wire::diff::diff(&base_v, &Self::comparable(serde_json::to_value(&server).unwrap_or_default()));
        let mine =
            crate::wire::diff::diff(&base_v, &Self::comparable(serde_json::to_value(&ed.profile).unwrap_or_default()));
        self.conflict = Some(Conflict {
            server,
            theirs: theirs.iter().map(ToString::to_string).collect(),
            mine: mine.iter().map(ToString::to_string).collect(),
        });
        self.screen = Screen::Conflict;
    }

    fn conflict_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(conflict) = self.conflict.clone() else { return Vec::new() };
        match key.code {
            KeyCode::Char('r') => {
                let Some(ed) = self.editor.as_mut() else { return Vec::new() };
                let Some(base) = &ed.base else { return Vec::new() };
                let merged = super::merge::reapply(base, &ed.profile, &conflict.server);
                ed.profile = merged.profile;
                ed.base = Some(conflict.server.clone());
                let version = conflict.server.version.unwrap_or(0);
                self.message = if merged.clashes.is_empty() {
                    format!("Your changes are reapplied on version {version}; review them and ^S")
                } else {
                    format!(
                        "Reapplied on version {version}; changed on both sides, yours kept: {} (check them)",
                        merged.clashes.join(", ")
                    )
                };
                self.conflict = None;
                self.confirm = None;
                self.screen = Screen::Editor;
                self.revalidate();
                self.refocus();
            }
            KeyCode::Char('o') => {
                if let Some(ed) = self.editor.as_mut() {
                    ed.base = Some(conflict.server.clone());
                }
                self.conflict = None;
                self.message = "Overwriting: the request now expects the server's current version".into();
                return self.submit();
            }
            KeyCode::Esc => {
                self.conflict = None;
                self.confirm = None;
                self.screen = Screen::Editor;
            }
            _ => {}
        }
        Vec::new()
    }

    fn result_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Enter => self.screen = Screen::Editor,
            KeyCode::Char('n') if ctrl => self.new_profile(),
            KeyCode::Esc | KeyCode::Char('h') => {
                self.screen = Screen::Home;
                self.close_editor();
                return vec![Effect::ListProfiles];
            }
            _ => {}
        }
        Vec::new()
    }

    fn delete_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(d) = self.delete.as_mut() else { return Vec::new() };
        match key.code {
            KeyCode::Esc => self.delete = None,
            KeyCode::Backspace => {
                d.typed.pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => d.typed.push(c),
            KeyCode::Enter if d.typed == d.name => {
                let effect = Effect::Delete { name: d.name.clone(), expected_version: d.version };
                self.busy = Some(format!("Deleting {}…", d.name));
                self.delete = None;
                return vec![effect];
            }
            _ => {}
        }
        Vec::new()
    }
}
