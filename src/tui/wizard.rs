//! The guided first-time setup: where to connect (with what each choice
//! means), a template or a blank profile, a name; then the editor and the
//! confirm screen as usual. Runs on a first start (no settings file yet) and
//! with `ddsp init`. Pure like `App`; connecting and saving settings are effects.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Effect;
use super::app::{App, Screen};
use crate::client::ConnectOptions;
use crate::config::{Connect, Settings};
use crate::domain::profile::SecurityProfile;
use crate::domain::{Context, validate};
use crate::templates::TEMPLATES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Connect,
    Template,
    Name,
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
pub struct Wizard {
    pub step: Step,
    pub choices: Vec<Choice>,
    pub selected: usize,
    /// The region for an AWS choice, as typed.
    pub region: String,
    /// 0 is a blank profile, then the templates.
    pub template: usize,
    pub name: String,
    pub connecting: bool,
    pub error: Option<String>,
    /// Settings to keep (theme, keymap) when the connection is saved.
    pub settings: Settings,
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
                 Profiles are kept in ddsp's data dir."
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

impl Wizard {
    /// `region` is the environment's (AWS_REGION / AWS_DEFAULT_REGION), if any.
    pub fn new(choices: Vec<Choice>, settings: Settings, region: Option<String>) -> Wizard {
        let region =
            choices.first().and_then(|c| c.options.region.clone()).or(region).unwrap_or_else(|| "us-east-1".to_owned());
        Wizard {
            step: Step::Connect,
            choices,
            selected: 0,
            region,
            template: 0,
            name: String::new(),
            connecting: false,
            error: None,
            settings,
        }
    }

    /// The problem with the name typed, if any (the service's rules).
    pub fn name_problem(&self) -> Option<String> {
        let profile = SecurityProfile { security_profile_name: self.name.clone(), ..SecurityProfile::default() };
        validate(&profile, &Context::default())
            .into_iter()
            .find(|p| p.is_error() && p.path.to_string() == "securityProfileName")
            .map(|p| p.message)
    }

    fn chosen(&self) -> Option<&Choice> {
        self.choices.get(self.selected)
    }
}

impl App {
    /// Opens the setup.
    pub fn start_wizard(&mut self, wizard: Wizard) {
        self.wizard = Some(wizard);
        self.screen = Screen::Wizard;
    }

    /// The setup's connection came up (or not).
    pub(super) fn connected(&mut self, result: Result<String, String>) -> Vec<Effect> {
        let Some(w) = self.wizard.as_mut() else { return Vec::new() };
        w.connecting = false;
        match result {
            Ok(label) => {
                self.endpoint = label;
                self.connected = true;
                w.step = Step::Template;
                w.error = None;
                let mut settings = w.settings.clone();
                if let Some(c) = w.chosen() {
                    self.region = c.options.region.clone().or_else(|| self.region.clone());
                    settings.connect = Some(if c.options.sandbox {
                        Connect::Sandbox
                    } else {
                        Connect::Aws { profile: c.options.profile.clone(), region: c.options.region.clone() }
                    });
                }
                let mut effects = self.start();
                effects.push(Effect::SaveSettings(settings));
                effects
            }
            Err(e) => {
                w.error = Some(e);
                Vec::new()
            }
        }
    }

    pub(super) fn wizard_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let connected = self.connected;
        let vi = self.vi;
        let Some(w) = self.wizard.as_mut() else { return Vec::new() };
        if w.connecting {
            return Vec::new();
        }
        match w.step {
            Step::Connect => match key.code {
                KeyCode::Up => w.selected = w.selected.saturating_sub(1),
                KeyCode::Down => w.selected = (w.selected + 1).min(w.choices.len().saturating_sub(1)),
                KeyCode::Char('k') if vi => w.selected = w.selected.saturating_sub(1),
                KeyCode::Char('j') if vi => w.selected = (w.selected + 1).min(w.choices.len().saturating_sub(1)),
                KeyCode::Backspace if w.chosen().is_some_and(|c| c.needs_region) => {
                    w.region.pop();
                }
                KeyCode::Char(c)
                    if !ctrl
                        && w.chosen().is_some_and(|c| c.needs_region)
                        && (c.is_ascii_alphanumeric() || c == '-') =>
                {
                    w.region.push(c);
                }
                KeyCode::Enter => {
                    let Some(choice) = w.chosen().cloned() else { return Vec::new() };
                    let mut options = choice.options;
                    if choice.needs_region {
                        if w.region.is_empty() {
                            w.error = Some("Type the AWS region to use, e.g. us-east-1".into());
                            return Vec::new();
                        }
                        options.region = Some(w.region.clone());
                    }
                    if let Some(c) = w.choices.get_mut(w.selected) {
                        c.options = options.clone();
                    }
                    w.connecting = true;
                    w.error = None;
                    return vec![Effect::Connect(options)];
                }
                KeyCode::Esc if connected => {
                    // Already connected (the command line said where): straight to Home.
                    self.wizard = None;
                    self.screen = Screen::Home;
                }
                KeyCode::Esc => {
                    self.quit = true;
                    return vec![Effect::Quit];
                }
                _ => {}
            },
            Step::Template => match key.code {
                KeyCode::Up => w.template = w.template.saturating_sub(1),
                KeyCode::Down => w.template = (w.template + 1).min(TEMPLATES.len()),
                KeyCode::Char('k') if vi => w.template = w.template.saturating_sub(1),
                KeyCode::Char('j') if vi => w.template = (w.template + 1).min(TEMPLATES.len()),
                KeyCode::Enter => {
                    w.name = match w.template {
                        0 => String::new(),
                        i => TEMPLATES[i - 1].profile().map(|p| p.security_profile_name).unwrap_or_default(),
                    };
                    w.step = Step::Name;
                }
                KeyCode::Esc => {
                    // Connected already: skip the rest of the setup.
                    self.wizard = None;
                    self.screen = Screen::Home;
                }
                _ => {}
            },
            Step::Name => match key.code {
                KeyCode::Char(c) if !ctrl && w.name.chars().count() < 200 => w.name.push(c),
                KeyCode::Backspace => {
                    w.name.pop();
                }
                KeyCode::Esc => w.step = Step::Template,
                KeyCode::Enter => {
                    if let Some(problem) = w.name_problem() {
                        w.error = Some(problem);
                        return Vec::new();
                    }
                    let mut profile = match w.template {
                        0 => SecurityProfile::default(),
                        i => match TEMPLATES[i - 1].profile() {
                            Ok(p) => p,
                            Err(e) => {
                                w.error = Some(e);
                                return Vec::new();
                            }
                        },
                    };
                    profile.security_profile_name = w.name.clone();
                    let from = match w.template {
                        0 => "a blank profile".to_owned(),
                        i => format!("the {} template", TEMPLATES[i - 1].id),
                    };
                    self.wizard = None;
                    self.new_profile_from(profile);
                    self.message = format!("Started from {from}; review, then ^S to submit");
                }
                _ => {}
            },
        }
        Vec::new()
    }

    /// A new profile with these contents, edited from the start.
    fn new_profile_from(&mut self, profile: SecurityProfile) {
        self.start_editor(profile, None, Vec::new());
        // A template is already an edit worth keeping.
        if let Some(ed) = self.editor.as_mut() {
            ed.dirty = true;
        }
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
