//! App: the router. It holds the shared state, the screen (each screen owns
//! its state, so a screen cannot exist without it), Home's list and the
//! overlay, and `update`: an event goes in, state changes, effects come out
//! as data. Keys go to the overlay first, then the quit keys, the help,
//! and the screen. No terminal and no I/O here; drawing is `view.rs`.

use crossterm::event::{KeyEvent, KeyEventKind};

use super::keymap::{self, Action, Context};
use super::message::{Effect, Event, RequestId};
use super::overlays::Overlay;
use super::overlays::delete::{Answer, DeletePrompt};
use super::overlays::help::Help;
use super::screens::component::Component;
use super::screens::confirm::ConfirmScreen;
use super::screens::conflict::ConflictScreen;
use super::screens::drafts::DraftsScreen;
use super::screens::editor::EditorScreen;
use super::screens::home::Home;
use super::screens::resources::ResourcesScreen;
use super::screens::result::ResultScreen;
use super::screens::setup::SetupScreen;
use super::screens::violations::ViolationsScreen;
use super::screens::{Go, Start};
use super::shared::{DraftState, Shared};

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
    pub fn component<'a>(&'a self, home: &'a Home) -> &'a dyn Component {
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

    pub fn component_mut<'a>(&'a mut self, home: &'a mut Home) -> &'a mut dyn Component {
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
    /// The delete on its way: its id and the profile's name.
    pub(super) deleting: Option<(RequestId, String)>,
}

impl App {
    pub fn new(endpoint: String, region: Option<String>) -> App {
        App {
            cx: Shared::new(endpoint, region),
            home: Home::default(),
            screen: Screen::Home,
            overlay: None,
            quit: false,
            deleting: None,
        }
    }

    /// The effects to run at start (once connected).
    pub fn start(&mut self) -> Vec<Effect> {
        vec![self.home.refresh(&mut self.cx), Effect::LoadKnown, Effect::LoadThingGroups]
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
    pub fn draft_deadline(&self) -> Option<f64> {
        self.editor().filter(|e| e.dirty).map(|_| self.cx.draft_handed_at + DRAFT_INTERVAL)
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
            Some(Overlay::Delete(_)) => return vec![Context::DeletePrompt],
            Some(Overlay::Quit(_)) => return vec![Context::QuitPrompt],
            Some(Overlay::Calls(_)) => return vec![Context::Calls],
            Some(Overlay::Palette(_)) => return Vec::new(),
            Some(Overlay::Help(_)) | None => {}
        }
        self.screen.component(&self.home).keys()
    }

    /// Whether a text field has the keys (then `?` is typed, not help).
    fn typing(&self) -> bool {
        self.screen.component(&self.home).typing(&self.cx)
    }

    pub(super) fn on_key(&mut self, key: KeyEvent, out: &mut Vec<Effect>) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        // A note is read once: the next key clears it (one whose cause can go away stays until it does).
        if self.cx.status.cause == super::shared::Cause::Note && self.cx.busy.is_none() {
            self.cx.clear_status();
        }
        let global = keymap::lookup(&[], self.cx.vi, &key);
        if global == Some(Action::Quit) {
            return self.ask_to_quit(out);
        }
        match self.overlay.take() {
            Some(Overlay::Help(mut h)) => {
                if h.scrolls(&key) {
                    self.overlay = Some(Overlay::Help(h));
                }
                return;
            }
            Some(Overlay::Quit(q)) => return self.quit_prompt_key(q, key, out),
            Some(Overlay::Palette(p)) => return self.palette_key(p, key, out),
            Some(Overlay::Calls(mut c)) => {
                match keymap::lookup(&[Context::Calls], self.cx.vi, &key) {
                    Some(Action::Copy) => {
                        out.push(Effect::Clipboard(c.text()));
                        self.cx
                            .say("Copied (OSC 52): a terminal that does not allow it copies nothing; w writes a file");
                    }
                    Some(Action::Write) => {
                        let name = if c.name.is_empty() { "unnamed".to_owned() } else { c.name.clone() };
                        out.push(Effect::Write { path: format!("{name}.calls.sh"), json: c.text() });
                    }
                    Some(Action::Up) => c.scroll = c.scroll.saturating_sub(1),
                    Some(Action::Down) => c.scroll = c.scroll.saturating_add(1),
                    _ => return,
                }
                self.overlay = Some(Overlay::Calls(c));
                return;
            }
            Some(Overlay::Delete(mut d)) => {
                match d.on_key(key, self.cx.vi) {
                    Answer::Typing => self.overlay = Some(Overlay::Delete(d)),
                    Answer::Cancel => {}
                    Answer::Delete => {
                        let id = self.cx.request();
                        self.cx.busy = Some(format!("Deleting {}…", d.name));
                        match d.what {
                            super::overlays::delete::Deleting::Profile => {
                                self.deleting = Some((id, d.name.clone()));
                                out.push(Effect::Delete { id, name: d.name, expected_version: d.version });
                            }
                            super::overlays::delete::Deleting::Resource(kind) => {
                                if let Screen::Resources(r) = &mut self.screen {
                                    r.deleting = Some(id);
                                }
                                out.push(Effect::DeleteResource { id, kind, name: d.name });
                            }
                        }
                    }
                }
                return;
            }
            None => {}
        }
        if global == Some(Action::Palette) && !self.typing() {
            return self.open_palette();
        }
        let help_key = key.code == crossterm::event::KeyCode::F(1);
        if global == Some(Action::Help) && (help_key || !self.typing()) {
            return self.go(Go::Help, out);
        }
        let go = self.screen.component_mut(&mut self.home).on_key(key, &mut self.cx, out);
        if let Some(go) = go {
            self.go(go, out);
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) {
        if let Some(Overlay::Delete(d)) = self.overlay.as_mut() {
            return d.paste(text);
        }
        if self.overlay.is_some() {
            return;
        }
        self.screen.component_mut(&mut self.home).paste(text, &mut self.cx);
    }

    /// `:q`: as Ctrl-Q.
    pub(super) fn ask_to_quit_now(&mut self, out: &mut Vec<Effect>) {
        self.ask_to_quit(out);
    }

    /// After each event: a changed edit goes to the draft writer, at most
    /// every `DRAFT_INTERVAL` while typing (the loop's `Tick` sends the last
    /// one on time); an edit undone back to where it started removes its draft.
    pub(super) fn hand_off_draft(&mut self, out: &mut Vec<Effect>, now: bool) {
        let Some(ed) = self.screen.editor_mut() else { return };
        if !ed.dirty {
            return;
        }
        if !now && !ed.untouched() && self.cx.now - self.cx.draft_handed_at < DRAFT_INTERVAL {
            return;
        }
        self.cx.draft_handed_at = self.cx.now;
        ed.dirty = false;
        if ed.untouched() {
            if ed.drafted {
                ed.drafted = false;
                out.push(Effect::RemoveDraft(ed.draft_id.clone()));
            }
            self.cx.draft_state = DraftState::None;
            return;
        }
        ed.drafted = true;
        out.push(Effect::SaveDraft(std::sync::Arc::new(ed.snapshot(&self.cx))));
        // Once saved, the status line keeps saying so while the next save is on its
        // way (within milliseconds): no flicker, and no bytes for it over SSH.
        if self.cx.draft_state != DraftState::Saved {
            self.cx.draft_state = DraftState::Saving;
        }
    }

    /// Moves where a screen asked to go.
    pub(super) fn go(&mut self, go: Go, out: &mut Vec<Effect>) {
        // Leaving Home another way: a profile being opened is no longer wanted.
        if matches!(go, Go::Resources | Go::Restore(_) | Go::Violations(_)) && self.home.opening.take().is_some() {
            self.cx.busy = None;
        }
        match go {
            Go::Help => {
                self.overlay = Some(Overlay::Help(Help::new(self.keys(), self.cx.vi)));
            }
            Go::DeletePrompt { .. } if self.cx.refuse_write("a delete") => {}
            Go::DeletePrompt { name, version } => {
                let mut prompt = DeletePrompt::new(name, version);
                prompt.draft = self.cx.draft_of(&prompt.name).is_some();
                self.overlay = Some(Overlay::Delete(prompt));
            }
            Go::Home | Go::NewProfile
                if self.editor().is_some_and(|e| e.submitting.is_some() || e.fetching.is_some()) =>
            {
                // Its answer is still on the way: the editor stays until it is in.
                self.cx.say("The submit is on its way: wait for its answer before leaving the profile");
            }
            Go::Home => {
                self.close_editor(out);
                self.screen = Screen::Home;
                out.push(self.home.refresh(&mut self.cx));
            }
            Go::NewProfile => {
                // A profile being opened is no longer wanted.
                if self.home.opening.take().is_some() {
                    self.cx.busy = None;
                }
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
            Go::Review => self.review(),
            Go::External(edit) => out.push(Effect::EditExternal(edit)),
            Go::ShowCalls => {
                if let Some(calls) = self.calls() {
                    self.overlay = Some(Overlay::Calls(calls));
                }
            }
            Go::Resources => {
                self.screen = Screen::Resources(Box::default());
                out.push(Effect::LoadResources);
            }
            Go::Violations(profile) => {
                let (screen, load) = ViolationsScreen::open(profile, &mut self.cx);
                self.screen = Screen::Violations(Box::new(screen));
                out.push(load);
            }
            Go::Restore(id) => {
                if let Some(i) = self.cx.drafts.iter().position(|d| d.id == id) {
                    self.restore_offered(i, out);
                }
            }
            Go::Resolve(choice) => self.conflict_choice(choice),
            Go::DeleteResource(kind, name) => self.confirm_resource_delete(kind, name),
            Go::Start(start) => {
                let Start { profile, from, target } = *start;
                self.start_from(profile, &from, target, out);
            }
            Go::Exit => {
                self.quit = true;
                out.push(Effect::Quit);
            }
        }
    }
}
