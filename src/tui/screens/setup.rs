//! The guided first-time setup: where to connect (with what each choice
//! means), a template or a blank profile, a name; then the editor and the
//! confirm screen as usual. Runs on a first start (no settings file yet) and
//! with `ddsp init`. Connecting and saving settings are effects.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Go;
use super::Start;
use super::component::{Component, Titled};
use crate::client::ConnectOptions;
use crate::config::{Connect, Settings};
use crate::domain::profile::SecurityProfile;
use crate::domain::targets::Target;
use crate::templates::TEMPLATES;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::{Effect, Event};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Connect,
    /// What the profile will watch: all things, or a thing group (as the console's wizard starts).
    Target,
    Template,
    Name,
}

/// The target choices: all registered things, all unregistered things, each
/// thing group, then none for now.
pub fn target_choices(groups: &[(String, String)]) -> Vec<(Option<Target>, String)> {
    let mut out = vec![
        (Some(Target::AllRegistered), "Every thing in the registry, now and later.".to_owned()),
        (Some(Target::AllUnregistered), "Devices that connect without a registry entry.".to_owned()),
    ];
    out.extend(groups.iter().map(|(g, _)| {
        (Some(Target::ThingGroup(g.clone())), format!("The things in the thing group {g} (and its child groups)."))
    }));
    out.push((None, "Attach it later in the editor's Targets section; until then it monitors nothing.".to_owned()));
    out
}

/// One place to connect to.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub label: String,
    /// What choosing it means, in a sentence.
    pub detail: String,
    pub options: ConnectOptions,
    /// Whether the region can be typed (AWS choices).
    pub needs_region: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SetupScreen {
    pub step: Step,
    pub choices: Vec<Choice>,
    pub selected: usize,
    /// The region for an AWS choice, as typed.
    pub region: String,
    /// 0 is a blank profile, then the templates.
    pub template: usize,
    /// The target choice highlighted (see `target_choices`), and the one chosen.
    pub target: usize,
    pub chosen_target: Option<Target>,
    pub name: String,
    pub connecting: bool,
    pub error: Option<String>,
    /// Settings to keep (theme, keymap) when the connection is saved.
    pub settings: Settings,
    /// Opened for one more profile (Ctrl-N on Home), not the first start:
    /// the connection stays, the steps are "Start from" and "Name", a blank
    /// profile goes straight to the editor, and Esc on the first step goes
    /// back to Home.
    pub new_only: bool,
}

/// The choices: what the command line named first, then the sandbox, the
/// environment's credentials and every AWS profile found.
pub fn choices(given: &ConnectOptions, profiles: &[(String, Option<String>)], env_keys: bool) -> Vec<Choice> {
    let mut out = Vec::new();
    if given.endpoint_url.is_some() || given.profile.is_some() {
        out.push(Choice {
            label: "As on the command line".into(),
            detail: format!(
                "{}{}",
                given.profile.as_deref().map_or_else(String::new, |p| format!("profile {p} ")),
                given.endpoint_url.as_deref().unwrap_or("")
            ),
            options: given.clone(),
            needs_region: true,
        });
    }
    out.push(Choice {
        label: "Sandbox on this machine".into(),
        detail: "A local endpoint that behaves like AWS IoT; no AWS account, nothing leaves this machine. \
                 Profiles are kept in ddsp's data dir (in memory when there is no home directory)."
            .into(),
        options: ConnectOptions { sandbox: true, ..given.clone() },
        needs_region: false,
    });
    if env_keys {
        out.push(Choice {
            label: "AWS, with the credentials in the environment".into(),
            detail: "AWS_ACCESS_KEY_ID and its secret are set in this shell; profiles are created in your AWS account."
                .into(),
            options: ConnectOptions { sandbox: false, profile: None, ..given.clone() },
            needs_region: true,
        });
    }
    for (name, region) in profiles {
        out.push(Choice {
            label: format!("AWS profile {name}"),
            detail: format!(
                "From ~/.aws{}; profiles are created in that account.",
                region.as_deref().map_or_else(String::new, |r| format!(" (region {r})"))
            ),
            options: ConnectOptions {
                sandbox: false,
                profile: Some(name.clone()),
                region: region.clone(),
                ..given.clone()
            },
            needs_region: true,
        });
    }
    if given.sandbox {
        // `--sandbox` on the command line: that choice first.
        if let Some(i) = out.iter().position(|c| c.options.sandbox) {
            let c = out.remove(i);
            out.insert(0, c);
        }
    }
    out
}

impl SetupScreen {
    /// `region` is the environment's (AWS_REGION / AWS_DEFAULT_REGION), if any.
    pub fn new(choices: Vec<Choice>, settings: Settings, region: Option<String>) -> SetupScreen {
        let region =
            choices.first().and_then(|c| c.options.region.clone()).or(region).unwrap_or_else(|| "us-east-1".to_owned());
        SetupScreen {
            step: Step::Connect,
            choices,
            selected: 0,
            region,
            template: 0,
            target: 0,
            chosen_target: None,
            name: String::new(),
            connecting: false,
            error: None,
            settings,
            new_only: false,
        }
    }

    /// The choice of a blank profile or a template for one more profile (Ctrl-N on Home).
    pub fn new_profile() -> SetupScreen {
        SetupScreen { step: Step::Template, new_only: true, ..SetupScreen::new(Vec::new(), Settings::default(), None) }
    }

    /// The problem with the name typed, if any (the service's rule for names).
    pub fn name_problem(&self) -> Option<String> {
        crate::domain::rules::resource_name_fault(&self.name).map(|f| format!("the profile name {f}"))
    }

    pub fn chosen(&self) -> Option<&Choice> {
        self.choices.get(self.selected)
    }

    /// The setup's connection came up (true; the settings are saved), or not.
    pub fn connected(&mut self, result: Result<String, String>, cx: &mut Shared, out: &mut Vec<Effect>) -> bool {
        self.connecting = false;
        match result {
            Ok(label) => {
                cx.endpoint = label;
                cx.connected = true;
                self.step = Step::Target;
                self.error = None;
                let mut settings = self.settings.clone();
                if let Some(c) = self.chosen() {
                    let region = c.options.region.clone().or_else(|| cx.region().map(str::to_owned));
                    cx.set_region(region);
                    settings.connect = Some(if c.options.sandbox {
                        Connect::Sandbox
                    } else {
                        Connect::Aws { profile: c.options.profile.clone(), region: c.options.region.clone() }
                    });
                }
                // What was saved is what Esc back on the first step saves again.
                self.settings = settings.clone();
                out.push(Effect::SaveSettings(settings));
                true
            }
            Err(e) => {
                self.error = Some(e);
                false
            }
        }
    }

    fn typed(&mut self, key: &KeyEvent) -> bool {
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match (self.step, key.code) {
            (Step::Connect, KeyCode::Char(c)) if plain && self.types_text() => {
                if c.is_ascii_alphanumeric() || c == '-' {
                    self.region.push(c);
                }
                true
            }
            (Step::Connect, KeyCode::Backspace) if self.types_text() => {
                self.region.pop();
                true
            }
            (Step::Name, KeyCode::Char(c)) if plain => {
                if self.name.chars().count() < 200 {
                    self.name.push(c);
                }
                self.error = None;
                true
            }
            (Step::Name, KeyCode::Backspace) => {
                self.name.pop();
                self.error = None;
                true
            }
            _ => false,
        }
    }

    /// Whether typed characters are text (the region or the name), so `?` is typed.
    fn types_text(&self) -> bool {
        match self.step {
            Step::Connect => self.chosen().is_some_and(|c| c.needs_region),
            Step::Target | Step::Template => false,
            Step::Name => true,
        }
    }

    fn next(&mut self, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        match self.step {
            Step::Target => {
                // The choice is kept as it was seen: groups listed later do not shift it.
                self.chosen_target = target_choices(&cx.thing_groups).get(self.target).and_then(|(t, _)| t.clone());
                self.step = Step::Template;
                None
            }
            Step::Connect => {
                let choice = self.chosen()?.clone();
                let mut options = choice.options;
                if choice.needs_region {
                    if self.region.is_empty() {
                        self.error = Some("Type the AWS region to use, e.g. us-east-1".into());
                        return None;
                    }
                    options.region = Some(self.region.clone());
                }
                if let Some(c) = self.choices.get_mut(self.selected) {
                    c.options = options.clone();
                }
                self.connecting = true;
                self.error = None;
                let id = cx.requests.start(crate::tui::requests::Wait::Connect, None);
                out.push(Effect::Connect { id, options });
                None
            }
            // A blank profile is named in the editor, as it always was.
            Step::Template if self.new_only && self.template == 0 => Some(Go::Blank),
            Step::Template => {
                self.name = match self.template.checked_sub(1).and_then(|i| TEMPLATES.get(i)) {
                    Some(t) => t.profile().map(|p| p.security_profile_name).unwrap_or_default(),
                    None => String::new(),
                };
                self.step = Step::Name;
                None
            }
            Step::Name => {
                if let Some(problem) = self.name_problem() {
                    self.error = Some(problem);
                    return None;
                }
                let template = self.template.checked_sub(1).and_then(|i| TEMPLATES.get(i));
                let mut profile = match template.map(|t| t.profile()) {
                    None => SecurityProfile::default(),
                    Some(Ok(p)) => p,
                    Some(Err(e)) => {
                        self.error = Some(e);
                        return None;
                    }
                };
                profile.security_profile_name = self.name.clone();
                let from = template.map_or_else(|| "a blank profile".to_owned(), |t| format!("the {} template", t.id));
                Some(Go::Start(Box::new(Start { profile, from, target: self.chosen_target.clone() })))
            }
        }
    }
}

impl Titled for SetupScreen {
    fn title(&self, _cx: &Shared) -> String {
        if self.new_only { " ddsp · new profile".to_owned() } else { " ddsp · setup".to_owned() }
    }
}

impl Component for SetupScreen {
    fn keys(&self) -> Vec<Context> {
        // On the first step Esc skips the setup, and its hint says so.
        if self.step == Step::Connect { vec![Context::SetupStart, Context::Setup] } else { vec![Context::Setup] }
    }

    fn typing(&self, _cx: &Shared) -> bool {
        self.types_text()
    }

    fn enabled(&self, action: Action, _cx: &Shared) -> bool {
        match action {
            Action::Up | Action::Down => self.step != Step::Name,
            _ => true,
        }
    }

    fn typed(&self, _cx: &Shared) -> Option<&'static str> {
        None
    }

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        if self.connecting || self.typed(&key) {
            return None;
        }
        let action = keymap::lookup(&self.keys(), cx.vi, &key)?;
        let last = match self.step {
            Step::Connect => self.choices.len().saturating_sub(1),
            Step::Target => target_choices(&cx.thing_groups).len().saturating_sub(1),
            Step::Template => TEMPLATES.len(),
            Step::Name => 0,
        };
        let cursor = match self.step {
            Step::Template => &mut self.template,
            Step::Target => &mut self.target,
            _ => &mut self.selected,
        };
        match action {
            Action::Help => return Some(Go::Help),
            Action::Up if self.step != Step::Name => *cursor = cursor.saturating_sub(1),
            Action::Down if self.step != Step::Name => *cursor = (*cursor + 1).min(last),
            Action::Select => return self.next(cx, out),
            // The template's prefilled name is replaced, not appended to.
            Action::ClearField if self.step == Step::Name => {
                self.name.clear();
                self.error = None;
            }
            Action::ClearField if self.step == Step::Connect && self.types_text() => self.region.clear(),
            Action::Back => match self.step {
                // Already connected (the command line said where): straight to
                // Home, and the settings file is written as it is, so the next
                // start goes to Home too (`ddsp init` opens the setup again).
                Step::Connect if cx.connected => {
                    out.push(Effect::SaveSettings(self.settings.clone()));
                    return Some(Go::Home);
                }
                Step::Connect => return Some(Go::Exit),
                Step::Template if self.new_only => return Some(Go::Home),
                // The connection can be chosen again; Esc there skips the rest.
                Step::Target => self.step = Step::Connect,
                Step::Template => self.step = Step::Target,
                Step::Name => self.step = Step::Template,
            },
            _ => {}
        }
        None
    }

    /// The connection it asked for came up (Home starts loading), or not.
    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        let Event::Connected { result, .. } = event else { return None };
        self.connected(result, cx, out).then_some(Go::Connected)
    }

    fn paste(&mut self, text: &str, _cx: &mut Shared) {
        let clean = text.chars().filter(|c| !c.is_control());
        match self.step {
            Step::Connect if self.types_text() => {
                self.region.extend(clean.filter(|c| c.is_ascii_alphanumeric() || *c == '-'))
            }
            Step::Name => self.name.extend(clean),
            _ => {}
        }
    }

    fn click(&mut self, _x: u16, _y: u16, _cx: &Shared) {}

    fn render(&self, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        super::setup_view::render(self, &cx.thing_groups, frame, area, theme);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_command_line_choice_comes_first() {
        let given = ConnectOptions { sandbox: true, ..ConnectOptions::default() };
        let c = choices(&given, &[("prod".into(), Some("eu-west-1".into()))], true);
        assert!(c[0].options.sandbox);
        assert_eq!(c.len(), 3);
        assert_eq!(c[2].options.profile.as_deref(), Some("prod"));
        let plain = choices(&ConnectOptions::default(), &[], false);
        assert_eq!(plain.len(), 1);
    }
}
