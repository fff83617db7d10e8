//! What the command palette's keys do: typing narrows it, Enter does the
//! chosen entry (an action as its key would, a profile opened, a region or
//! AWS profile switched to without a restart), Esc closes it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Screen};
use super::message::Effect;
use super::overlays::Overlay;
use super::overlays::palette::{Palette, Pick, Typed};
use super::screens::Go;

impl App {
    /// Opens the palette over the screen.
    pub(super) fn open_palette(&mut self) {
        let profiles: Vec<String> = self.home.rows.iter().map(|r| r.name.clone()).collect();
        let mut resources: Vec<String> = self.cx.ctx.dimensions.clone().unwrap_or_default();
        resources.extend(self.cx.ctx.custom_metrics.iter().flatten().map(|m| m.name.clone()));
        self.overlay = Some(Overlay::Palette(Palette::new(&self.keys(), self.cx.vi, &profiles, &resources)));
    }

    pub(super) fn palette_key(&mut self, mut p: Palette, key: KeyEvent, out: &mut Vec<Effect>) {
        let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Esc => return,
            KeyCode::Enter => return self.palette_do(&p, out),
            KeyCode::Up => p.move_by(-1),
            KeyCode::Down => p.move_by(1),
            KeyCode::PageUp => p.move_by(-10),
            KeyCode::PageDown => p.move_by(10),
            KeyCode::Backspace => {
                p.query.pop();
                p.selected = 0;
            }
            KeyCode::Char(c) if plain => {
                p.query.push(c);
                p.selected = 0;
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Palette(p));
    }

    fn palette_do(&mut self, p: &Palette, out: &mut Vec<Effect>) {
        if let Some(typed) = p.typed() {
            return self.switch(typed, out);
        }
        let Some(entry) = p.chosen().cloned() else { return };
        match entry.pick {
            Pick::Quit => self.ask_to_quit_now(out),
            Pick::Help => self.go(Go::Help, out),
            // Done as its key would be, on the screen the palette opened over.
            Pick::Action(_, key) => self.on_key(key, out),
            Pick::Profile(name) => {
                self.go(Go::Home, out);
                if matches!(self.screen, Screen::Home) {
                    self.home.filter.clear();
                    if let Some(i) = self.home.rows.iter().position(|r| r.name == name) {
                        self.home.selected = i;
                        let id = self.cx.request();
                        self.home.opening = Some((id, name.clone()));
                        self.cx.busy = Some(format!("Opening {name}…"));
                        out.push(Effect::Open { id, name });
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
        self.cx.busy = Some("Connecting…".into());
        out.push(Effect::Reconnect { region, profile, sandbox });
    }
}
