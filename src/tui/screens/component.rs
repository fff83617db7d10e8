//! The contract every screen and overlay keeps: its key contexts, whether a
//! text field has the keys, which actions can do something now, what a key,
//! a paste and a click do, and how it draws (a screen also has a title). The
//! app routes through it, so a new screen is one file that implements it and
//! one line in the router; there are no defaults, so a new screen decides
//! each of them.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::Go;
use crate::tui::keymap::{Action, Context};
use crate::tui::message::{Effect, Event};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;

/// A screen: a component with the title line's text.
pub trait Titled: Component {
    /// The title line's text (untrusted parts already made safe).
    fn title(&self, cx: &Shared) -> String;
}

pub trait Component {
    /// The key contexts in force, most specific first (`Global` is implied).
    fn keys(&self) -> Vec<Context>;

    /// Whether a text field has the keys (then `?` is typed, not help).
    fn typing(&self, cx: &Shared) -> bool;

    /// Whether `action` can do something now (the hint bar shows only those).
    fn enabled(&self, action: Action, cx: &Shared) -> bool;

    /// What typing does here, for the hint bar's first entry (`type` …), if anything.
    fn typed(&self, cx: &Shared) -> Option<&'static str>;

    /// A key: the component's own state changes, effects are pushed, and
    /// the answer says where to go, if anywhere. An overlay stays open on
    /// `None`, closes on `Go::Close`, and closes before any other move.
    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go>;

    /// A result addressed to it: the answer to a request it made (one it no
    /// longer awaits is dropped) or one it shows. Results for others are ignored.
    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go>;

    /// Pasted text, for the focused text field.
    fn paste(&mut self, text: &str, cx: &mut Shared);

    /// A left click at column `x` of screen line `y` (with `mouse = on`).
    fn click(&mut self, x: u16, y: u16, cx: &Shared);

    fn render(&self, cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme);
}

/// The part of a component that only takes keys: no text field (so `?` is
/// help), every action enabled, nothing for the hint bar's "type", pastes
/// and clicks ignored. Written in an impl, it is that component's decision,
/// said once.
macro_rules! keys_only {
    () => {
        fn typing(&self, _cx: &$crate::tui::shared::Shared) -> bool {
            false
        }

        fn enabled(&self, _action: $crate::tui::keymap::Action, _cx: &$crate::tui::shared::Shared) -> bool {
            true
        }

        fn typed(&self, _cx: &$crate::tui::shared::Shared) -> Option<&'static str> {
            None
        }

        fn paste(&mut self, _text: &str, _cx: &mut $crate::tui::shared::Shared) {}

        fn click(&mut self, _x: u16, _y: u16, _cx: &$crate::tui::shared::Shared) {}
    };
}

/// For a component that asks the endpoint for nothing: results are not its.
macro_rules! no_results {
    () => {
        fn on_result(
            &mut self,
            _event: $crate::tui::message::Event,
            _cx: &mut $crate::tui::shared::Shared,
            _out: &mut Vec<$crate::tui::message::Effect>,
        ) -> Option<$crate::tui::screens::Go> {
            None
        }
    };
}

pub(crate) use {keys_only, no_results};
