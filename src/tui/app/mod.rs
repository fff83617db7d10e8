//! App: the router. It holds the shared state, the screen (each screen owns
//! its state, so a screen cannot exist without it), Home's list and the
//! overlay, and `update`: an event goes in, state changes, effects come out
//! as data. Keys go to the quit keys, then the overlay, the palette and help
//! keys, and the screen, each through its `Component`; the screens' answers
//! (`Go`) are carried out here. This file is the only match over screens.
//! What arrives from outside the keyboard is routed here too; `flow.rs`
//! holds the moves that carry an edit between screens (open, restore,
//! review, submit, conflict, delete). No terminal and no I/O; drawing is
//! `view.rs`.

mod flow;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};

use crate::tui::drafting::DraftState;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, Event};
use crate::tui::overlays::Overlay;
use crate::tui::overlays::delete::{DeletePrompt, Deleting};
use crate::tui::overlays::help::Help;
use crate::tui::overlays::palette::{Chosen, Palette, Pick, Typed};
use crate::tui::overlays::quit::QuitPrompt;
use crate::tui::requests::Wait;
use crate::tui::screens::component::{Component, Titled};
use crate::tui::screens::confirm::ConfirmScreen;
use crate::tui::screens::conflict::ConflictScreen;
use crate::tui::screens::drafts::DraftsScreen;
use crate::tui::screens::editor::EditorScreen;
use crate::tui::screens::home::Home;
use crate::tui::screens::resources::ResourcesScreen;
use crate::tui::screens::result::ResultScreen;
use crate::tui::screens::setup::SetupScreen;
use crate::tui::screens::violations::ViolationsScreen;
use crate::tui::screens::{Go, Start};
use crate::tui::shared::Shared;

/// Drafts go to the writer at most this often while typing (seconds): a
/// kill loses at most this much typing plus the write itself, well under the
/// 200 ms the drafts promise.
pub const DRAFT_INTERVAL: f64 = 0.05;

pub enum Screen {
    Home,
    Editor(Box<EditorScreen>),
    /// The request about to be sent, over the editor it came from.
    Confirm(Box<ConfirmScreen>),
    Result(Box<ResultScreen>),
    /// The profile changed on the server since it was opened.
    Conflict(Box<ConflictScreen>),
    /// Unsent drafts from an earlier run, offered back at start.
    Drafts(DraftsScreen),
    /// The guided first-time setup.
    Setup(Box<SetupScreen>),
    /// The endpoint's dimensions and custom metrics.
    Resources(Box<ResourcesScreen>),
    /// A profile's violations and model status.
    Violations(Box<ViolationsScreen>),
}

/// Which screen, without its state (for titles and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Editor,
    Confirm,
    Result,
    Conflict,
    Drafts,
    Setup,
    Resources,
    Violations,
}

impl Screen {
    pub fn kind(&self) -> Kind {
        match self {
            Screen::Home => Kind::Home,
            Screen::Editor(_) => Kind::Editor,
            Screen::Confirm(_) => Kind::Confirm,
            Screen::Result(_) => Kind::Result,
            Screen::Conflict(_) => Kind::Conflict,
            Screen::Drafts(_) => Kind::Drafts,
            Screen::Setup(_) => Kind::Setup,
            Screen::Resources(_) => Kind::Resources,
            Screen::Violations(_) => Kind::Violations,
        }
    }

    /// The editor, under whichever screen holds it.
    pub fn editor(&self) -> Option<&EditorScreen> {
        match self {
            Screen::Editor(e) => Some(e),
            Screen::Confirm(c) => Some(&c.editor),
            Screen::Result(r) => Some(&r.editor),
            Screen::Conflict(c) => Some(&c.editor),
            _ => None,
        }
    }

    pub fn editor_mut(&mut self) -> Option<&mut EditorScreen> {
        match self {
            Screen::Editor(e) => Some(e),
            Screen::Confirm(c) => Some(&mut c.editor),
            Screen::Result(r) => Some(&mut r.editor),
            Screen::Conflict(c) => Some(&mut c.editor),
            _ => None,
        }
    }

    /// The screen's component (Home's state lives in the app, kept between visits).
    pub fn component<'a>(&'a self, home: &'a Home) -> &'a dyn Titled {
        match self {
            Screen::Home => home,
            Screen::Editor(e) => e.as_ref(),
            Screen::Confirm(c) => c.as_ref(),
            Screen::Result(r) => r.as_ref(),
            Screen::Conflict(c) => c.as_ref(),
            Screen::Drafts(d) => d,
            Screen::Setup(s) => s.as_ref(),
            Screen::Resources(r) => r.as_ref(),
            Screen::Violations(v) => v.as_ref(),
        }
    }

    pub fn component_mut<'a>(&'a mut self, home: &'a mut Home) -> &'a mut dyn Titled {
        match self {
            Screen::Home => home,
            Screen::Editor(e) => e.as_mut(),
            Screen::Confirm(c) => c.as_mut(),
            Screen::Result(r) => r.as_mut(),
            Screen::Conflict(c) => c.as_mut(),
            Screen::Drafts(d) => d,
            Screen::Setup(s) => s.as_mut(),
            Screen::Resources(r) => r.as_mut(),
            Screen::Violations(v) => v.as_mut(),
        }
    }

    /// Takes the editor out, leaving Home.
    pub fn take_editor(&mut self) -> Option<Box<EditorScreen>> {
        match std::mem::replace(self, Screen::Home) {
            Screen::Editor(e) => Some(e),
            Screen::Confirm(c) => Some(c.editor),
            Screen::Result(r) => Some(r.editor),
            Screen::Conflict(c) => Some(c.editor),
            other => {
                *self = other;
                None
            }
        }
    }
}

pub struct App {
    pub cx: Shared,
    pub home: Home,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub quit: bool,
}

impl App {
    pub fn new(endpoint: String, region: Option<String>) -> App {
        App {
            cx: Shared::new(endpoint, region),
            home: Home::default(),
            screen: Screen::Home,
            overlay: None,
            quit: false,
        }
    }

    /// The app as `start` says: the endpoint, and the settings that shape drawing, keys, writing and drafts.
    pub fn with(start: crate::tui::startup::Startup) -> App {
        let mut app = App::new(start.endpoint, start.region);
        let cx = &mut app.cx;
        cx.destination = start.destination;
        cx.connected = start.connected;
        cx.color = start.color;
        cx.look = start.look;
        cx.braille = start.braille;
        cx.vi = start.vi;
        cx.read_only = start.read_only;
        cx.tz = start.tz;
        cx.drafting.dir = start.drafts_dir;
        cx.now = start.now;
        app
    }

    /// The effects to run at start (once connected).
    pub fn start(&mut self) -> Vec<Effect> {
        vec![self.home.refresh(&mut self.cx), self.cx.load_known(), self.cx.load_thing_groups()]
    }

    pub fn editor(&self) -> Option<&EditorScreen> {
        self.screen.editor()
    }

    pub fn kind(&self) -> Kind {
        self.screen.kind()
    }

    /// Opens the setup.
    pub fn start_setup(&mut self, setup: SetupScreen) {
        self.screen = Screen::Setup(Box::new(setup));
    }

    pub fn update(&mut self, event: Event) -> Vec<Effect> {
        self.cx.events += 1;
        let before = self.kind();
        let mut out = Vec::new();
        self.handle(event, &mut out);
        if self.kind() != before && self.cx.status.set_at < self.cx.events {
            // A message about the screen left behind is stale on the next one.
            self.cx.clear_status();
        }
        self.hand_off_draft(&mut out, false);
        out
    }

    /// When a draft held back while typing must go to the writer (epoch
    /// seconds), if one is held back.
    /// When the loop must wake without a key (epoch seconds): a draft held
    /// back while typing, or an open violations view following new data.
    pub fn wake_at(&self) -> Option<f64> {
        let draft = self.editor().filter(|e| e.dirty).map(|_| self.cx.drafting.handed_at + DRAFT_INTERVAL);
        let follow = match (&self.screen, &self.overlay) {
            (Screen::Violations(v), None) => v.follow_at(&self.cx),
            (Screen::Editor(e), None) => e.chart.as_ref().and_then(|c| c.follow_at(&self.cx)),
            _ => None,
        };
        [draft, follow].into_iter().flatten().min_by(f64::total_cmp)
    }

    /// Everything not yet handed to the draft writer, now (the loop is ending).
    pub fn flush(&mut self) -> Vec<Effect> {
        let mut out = Vec::new();
        self.hand_off_draft(&mut out, true);
        out
    }

    /// The key contexts in force (for lookups, hints and the help).
    pub fn keys(&self) -> Vec<Context> {
        match &self.overlay {
            Some(o) => o.component().keys(),
            None => self.screen.component(&self.home).keys(),
        }
    }

    /// Whether a text field has the keys (then `?` is typed, not help).
    fn typing(&self) -> bool {
        self.screen.component(&self.home).typing(&self.cx)
    }

    pub(super) fn on_key(&mut self, key: KeyEvent, out: &mut Vec<Effect>) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        let global = keymap::lookup(&[], self.cx.vi, &key);
        // Alt-M reads the status line's message whole: before a key clears it.
        if global == Some(Action::Message) && !matches!(self.overlay, Some(Overlay::Message(_))) {
            let text = crate::tui::view::status_text(self);
            self.overlay = Some(Overlay::Message(crate::tui::overlays::message::MessageView { text }));
            return;
        }
        // A note is read once: the next key clears it (one whose cause can go away stays until it does).
        if self.cx.status.cause == crate::tui::shared::Cause::Note && self.cx.busy().is_none() {
            self.cx.clear_status();
        }
        if global == Some(Action::Quit) {
            return self.ask_to_quit(out);
        }
        if let Some(mut overlay) = self.overlay.take() {
            match overlay.component_mut().on_key(key, &mut self.cx, out) {
                None => self.overlay = Some(overlay),
                Some(Go::Close) => {}
                Some(go) => self.go(go, out),
            }
            return;
        }
        if global == Some(Action::Palette) && !self.typing() {
            return self.open_palette();
        }
        // A help key that is a character (`?`) is typed where a text field has the keys; F1 is not.
        let character = matches!(key.code, crossterm::event::KeyCode::Char(_));
        if global == Some(Action::Help) && (!character || !self.typing()) {
            return self.go(Go::Help, out);
        }
        let go = self.screen.component_mut(&mut self.home).on_key(key, &mut self.cx, out);
        if let Some(go) = go {
            self.go(go, out);
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) {
        match self.overlay.as_mut() {
            Some(o) => o.component_mut().paste(text, &mut self.cx),
            None => self.screen.component_mut(&mut self.home).paste(text, &mut self.cx),
        }
    }

    /// After each event: a changed edit goes to the draft writer, at most
    /// every `DRAFT_INTERVAL` while typing (the loop's `Tick` sends the last
    /// one on time); an edit undone back to where it started removes its draft.
    pub(super) fn hand_off_draft(&mut self, out: &mut Vec<Effect>, now: bool) {
        let Some(ed) = self.screen.editor_mut() else { return };
        if !ed.dirty {
            return;
        }
        if !now && !ed.untouched() && self.cx.now - self.cx.drafting.handed_at < DRAFT_INTERVAL {
            return;
        }
        self.cx.drafting.handed_at = self.cx.now;
        ed.dirty = false;
        if ed.untouched() {
            if ed.drafted {
                ed.drafted = false;
                out.push(Effect::RemoveDraft(ed.draft_id.clone()));
            }
            self.cx.drafting.state = DraftState::None;
            return;
        }
        ed.drafted = true;
        out.push(Effect::SaveDraft(std::sync::Arc::new(ed.snapshot(&self.cx))));
        // Once saved, the status line keeps saying so while the next save is on its
        // way (within milliseconds): no flicker, and no bytes for it over SSH.
        if self.cx.drafting.state != DraftState::Saved {
            self.cx.drafting.state = DraftState::Saving;
        }
    }

    /// Moves where a screen asked to go.
    pub(super) fn go(&mut self, go: Go, out: &mut Vec<Effect>) {
        // Leaving Home another way: a profile being opened is no longer wanted.
        if matches!(go, Go::Resources | Go::Restore(_) | Go::Violations(_) | Go::NewProfile | Go::Blank) {
            Home::abandon_open(&mut self.cx);
        }
        match go {
            Go::Help => {
                self.overlay = Some(Overlay::Help(Help::new(self.keys(), self.cx.vi)));
            }
            Go::DeletePrompt { .. } if self.cx.refuse_write("a delete") => {}
            Go::DeletePrompt { name, version } => {
                let mut prompt = DeletePrompt::new(name, version);
                prompt.draft = self.cx.drafting.of_profile(&prompt.name, &self.cx.endpoint).is_some();
                self.overlay = Some(Overlay::Delete(prompt));
            }
            Go::Home | Go::NewProfile | Go::Blank if self.editor().is_some_and(|e| e.send.busy()) => {
                // Its answer is still on the way: the editor stays until it is in.
                self.cx.say("The submit is on its way: wait for its answer before leaving the profile");
            }
            Go::Home => {
                self.close_editor(out);
                self.screen = Screen::Home;
                out.push(self.home.refresh(&mut self.cx));
            }
            Go::NewProfile => {
                self.close_editor(out);
                self.screen = Screen::Setup(Box::new(SetupScreen::new_profile()));
            }
            Go::Blank => {
                self.start_editor(crate::domain::profile::SecurityProfile::default(), None, Vec::new(), out);
            }
            Go::Editor => {
                let from_result = matches!(self.screen, Screen::Result(_));
                if let Some(mut ed) = self.screen.take_editor() {
                    if from_result && ed.open.take().is_some() {
                        // Back from a result: the list, not inside a behavior.
                        ed.refresh(&self.cx.ctx);
                    }
                    self.screen = Screen::Editor(ed);
                }
            }
            Go::Review => self.review(out),
            Go::External(edit) => out.push(Effect::EditExternal(edit)),
            Go::ShowCalls => {
                if let Some(calls) = self.calls() {
                    self.overlay = Some(Overlay::Calls(calls));
                }
            }
            Go::Resources => {
                self.screen = Screen::Resources(Box::default());
                out.push(self.cx.load_resources());
            }
            Go::Violations(profile) => {
                let (screen, load) = ViolationsScreen::open(profile, &mut self.cx);
                self.screen = Screen::Violations(Box::new(screen));
                out.push(load);
            }
            Go::Restore(id) => {
                if let Some(i) = self.cx.drafting.unsent.iter().position(|d| d.id == id) {
                    self.restore_offered(i, out);
                }
            }
            Go::Resolve(choice) => self.conflict_choice(choice, out),
            Go::DeleteResource(kind, name) => self.confirm_resource_delete(kind, name),
            Go::Start(start) => {
                let Start { profile, from, target } = *start;
                self.start_from(profile, &from, target, out);
            }
            Go::Exit => {
                self.quit = true;
                out.push(Effect::Quit);
            }
            Go::Close => {}
            Go::Connected => out.extend(self.start()),
            Go::Delete { what, name, version } => self.send_delete(what, name, version, out),
            Go::Palette(Chosen::Typed(typed)) => self.switch(typed, out),
            Go::Palette(Chosen::Pick(pick)) => self.pick(pick, out),
        }
    }

    /// The delete prompt's name matched: the delete goes, expecting the version shown.
    fn send_delete(&mut self, what: Deleting, name: String, version: Option<i64>, out: &mut Vec<Effect>) {
        let wait = if what == Deleting::Profile { Wait::Delete } else { Wait::DeleteResource };
        let id = self.cx.requests.start(wait, Some(format!("Deleting {name}…")));
        match what {
            Deleting::Profile => {
                out.push(Effect::Delete { id, name, expected_version: version });
            }
            Deleting::Resource(kind) => {
                out.push(Effect::DeleteResource { id, kind, name });
            }
        }
    }

    /// The mouse, with `mouse = on`: the wheel is the Up and Down actions (sent
    /// as the key the screen binds to them); a left click goes to the screen.
    pub(super) fn on_mouse(&mut self, m: MouseEvent, out: &mut Vec<Effect>) {
        let action = match m.kind {
            MouseEventKind::ScrollUp => Action::Up,
            MouseEventKind::ScrollDown => Action::Down,
            MouseEventKind::Down(MouseButton::Left) if self.overlay.is_none() => {
                return self.screen.component_mut(&mut self.home).click(m.column, m.row, &self.cx);
            }
            _ => return,
        };
        if let Some(key) = keymap::key_for(&self.keys(), self.cx.vi, action) {
            self.on_key(key, out);
        }
    }

    /// Opens the palette over the screen.
    fn open_palette(&mut self) {
        let profiles: Vec<String> = self.home.rows.iter().map(|r| r.name.clone()).collect();
        let mut resources: Vec<String> = self.cx.ctx.dimensions.clone().unwrap_or_default();
        resources.extend(self.cx.ctx.custom_metrics.iter().flatten().map(|m| m.name.clone()));
        self.overlay = Some(Overlay::Palette(Palette::new(&self.keys(), self.cx.vi, &profiles, &resources)));
    }

    /// The palette's chosen entry, done on the screen it opened over.
    fn pick(&mut self, pick: Pick, out: &mut Vec<Effect>) {
        match pick {
            Pick::Quit => self.ask_to_quit(out),
            Pick::Help => self.go(Go::Help, out),
            // Done as its key would be.
            Pick::Action(_, key) => self.on_key(key, out),
            Pick::Profile(name) => {
                self.go(Go::Home, out);
                if matches!(self.screen, Screen::Home) {
                    self.home.filter.clear();
                    if let Some(i) = self.home.rows.iter().position(|r| r.name == name) {
                        self.home.selected = i;
                        out.push(crate::tui::screens::home::open(name, &mut self.cx));
                    }
                }
            }
            Pick::Resource(_) => self.go(Go::Resources, out),
        }
    }

    /// `:region NAME` / `:profile NAME` / `:sandbox`: reconnects, unless an edit is open (its edits belong to this endpoint).
    fn switch(&mut self, typed: Typed, out: &mut Vec<Effect>) {
        if self.editor().is_some() {
            self.cx.say("Close the profile first (Esc): its edits belong to this endpoint");
            return;
        }
        let (region, profile, sandbox) = match typed {
            Typed::Region(r) if !crate::domain::regions::is_known(&r) => {
                self.cx.say(format!(
                    "Not an AWS region: {}; give one such as us-east-1 or eu-west-1",
                    crate::domain::rules::quote(&r)
                ));
                return;
            }
            Typed::Region(r) => (Some(r), None, false),
            Typed::Profile(p) => (None, Some(p), false),
            Typed::Sandbox => (None, None, true),
        };
        self.cx.switching_region = region.clone();
        let id = self.cx.requests.start(Wait::Connect, Some("Connecting…".into()));
        out.push(Effect::Reconnect { id, region, profile, sandbox });
    }

    /// Ctrl-Q / Ctrl-C: quits, unless the newest edit is not on disk; then asks once.
    fn ask_to_quit(&mut self, out: &mut Vec<Effect>) {
        match QuitPrompt::at_risk(self.editor(), &self.cx.drafting) {
            Some(prompt) if !matches!(self.overlay, Some(Overlay::Quit(_))) => {
                self.overlay = Some(Overlay::Quit(prompt));
            }
            // Asked already: the second Ctrl-Q means it.
            _ => {
                self.quit = true;
                out.push(Effect::Quit);
            }
        }
    }

    // What arrives from outside the keyboard: results of effects, the draft
    // writer's reports, notices and connections. Results are matched by request id.

    pub(super) fn handle(&mut self, event: Event, out: &mut Vec<Effect>) {
        // An answer ends its wait; one nobody awaits any more (the user moved
        // on, or switched endpoints since) is dropped here, whoever it was for.
        let mut what = None;
        if let Some(id) = event.request() {
            // A Describe answers one profile at a time: it stays awaited until a newer list replaces it.
            what = match event {
                Event::Details { .. } => self.cx.requests.awaits(id).then_some(Wait::Describe),
                _ => self.cx.requests.finish(id),
            };
            if what.is_none() {
                return;
            }
        }
        match event {
            Event::Key(key) => self.on_key(key, out),
            Event::Paste(text) => self.on_paste(&text),
            Event::Mouse(m) => self.on_mouse(m, out),
            Event::Resize => {}
            Event::Tick => {
                self.hand_off_draft(out, true);
                match (&mut self.screen, &self.overlay) {
                    (Screen::Violations(v), None) => v.follow(&mut self.cx, out),
                    (Screen::Editor(e), None) => {
                        if let Some(c) = e.chart.as_mut() {
                            c.follow(&mut self.cx, out);
                        }
                    }
                    _ => {}
                }
            }
            // Home keeps its list while other screens are shown.
            event @ (Event::Listed { .. } | Event::Details { .. }) => {
                self.home.on_result(event, &mut self.cx, out);
            }
            // Answers to what a screen asked for: that screen's.
            event @ (Event::TargetProfiles { .. }
            | Event::ChartData { .. }
            | Event::Edited { .. }
            | Event::Resources { .. }
            | Event::ResourceSaved { .. }
            | Event::ResourceDeleted { .. }
            | Event::ResourceUse { .. }
            | Event::Violations { .. }
            | Event::Verified { .. }
            | Event::AlertVolume { .. }
            | Event::Alerts { .. }
            | Event::MitigationActions { .. }
            | Event::Mitigated { .. }) => self.deliver(event, out),
            event @ Event::Connected { .. } if self.kind() == Kind::Setup => self.deliver(event, out),
            Event::Connected { result, .. } => self.reconnected(result, out),
            Event::ThingGroups { result, .. } => self.thing_groups(result),
            Event::Known { result, .. } => self.known(result),
            Event::Opened { result, .. } => self.opened(result, out),
            Event::Submitted { id, result } => self.submitted(id, result, out),
            Event::Server { result, .. } if what == Some(Wait::Refresh) => {
                if let Some(ed) = self.screen.editor_mut() {
                    ed.server_read(result, &mut self.cx);
                }
            }
            Event::Server { id, result } => self.server(id, result),
            Event::Deleted { result, .. } => self.deleted(result, out),
            Event::Written(result) => self.written(result),
            Event::Drafts(found) => {
                if found.is_empty() {
                    return;
                }
                self.cx.drafting.unsent = found;
                if matches!(self.screen, Screen::Home) {
                    self.screen = Screen::Drafts(DraftsScreen::default());
                }
            }
            Event::DraftReport(report) => {
                let clean = self.editor().is_some_and(|e| !e.dirty);
                self.cx.drafting.reported(report, clean);
            }
            Event::Notice(text) => self.cx.say(text),
        }
    }

    /// The endpoint's thing groups (for targets): kept, and shown by an open picker.
    fn thing_groups(&mut self, result: Result<Vec<(String, String)>, crate::client::ClientError>) {
        match result {
            Ok(groups) => {
                if let Some((_, arn)) = groups.first() {
                    self.cx.learn_account(arn);
                }
                self.cx.thing_groups = groups;
                if let Some(ed) = self.screen.editor_mut() {
                    ed.lists_changed(true, &mut self.cx);
                }
            }
            Err(e) => self.cx.say(format!("Thing groups could not be listed ({e}); targets offer all things only")),
        }
    }

    /// The endpoint's custom metrics and dimension names: the rules check against them from now on.
    fn known(
        &mut self,
        result: Result<(Vec<crate::domain::metrics::CustomMetric>, Vec<String>), crate::client::ClientError>,
    ) {
        match result {
            Ok((metrics, dimensions)) => {
                self.cx.known(metrics, dimensions);
                let ctx = self.cx.ctx.clone();
                if let Some(ed) = self.screen.editor_mut() {
                    ed.revalidate(&ctx);
                    ed.refresh(&ctx);
                    ed.lists_changed(false, &mut self.cx);
                }
            }
            Err(e) => self
                .cx
                .say(format!("Custom metrics and dimensions could not be loaded ({e}); they are checked offline")),
        }
    }

    /// Where a request file was written, or why not (the quit prompt shows it too).
    fn written(&mut self, result: Result<String, String>) {
        if let Some(Overlay::Quit(q)) = self.overlay.as_mut() {
            q.written = Some(result.clone());
        }
        match result {
            Ok(path) => {
                // The file's name first: it is what fits on the status line (Alt-M shows the rest).
                let name = std::path::Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned());
                let name = name.unwrap_or_else(|| path.clone());
                // The calls are a shell script of `aws iot` commands; a request is JSON input.
                let hint = if path.ends_with(".sh") {
                    format!("run it with: sh {path}")
                } else {
                    format!("use it with --cli-input-json file://{path}")
                };
                self.cx.say(format!("Wrote {name} ({hint})"))
            }
            Err(e) => self.cx.say(format!("Could not write the request: {e}")),
        }
    }

    fn deliver(&mut self, event: Event, out: &mut Vec<Effect>) {
        if let Some(go) = self.screen.component_mut(&mut self.home).on_result(event, &mut self.cx, out) {
            self.go(go, out);
        }
    }

    /// The palette's :region / :profile / :sandbox: the same app on another endpoint.
    fn reconnected(&mut self, result: Result<String, String>, out: &mut Vec<Effect>) {
        match result {
            Ok(label) => {
                self.cx.switched(label);
                self.home.rows.clear();
                out.extend(self.start());
            }
            Err(e) => {
                self.cx.switching_region = None;
                self.cx.say(format!("Could not connect: {e}; still on {}", self.cx.endpoint));
            }
        }
    }

    pub(super) fn confirm_resource_delete(&mut self, kind: crate::tui::message::ResourceKind, name: String) {
        let mut prompt = DeletePrompt::new(name, None);
        prompt.what = crate::tui::overlays::delete::Deleting::Resource(kind);
        self.overlay = Some(Overlay::Delete(prompt));
    }
}
