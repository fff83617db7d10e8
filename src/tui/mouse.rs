//! The mouse, with `mouse = on`: a click focuses the row (or the section) it
//! lands on, the wheel moves as the arrow keys do. Where a row was drawn comes
//! from the last frame; the keys stay the one way to do everything.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::app::App;
use super::message::Effect;

impl App {
    pub(super) fn on_mouse(&mut self, m: MouseEvent, out: &mut Vec<Effect>) {
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        match m.kind {
            MouseEventKind::ScrollUp => self.on_key(key(KeyCode::Up), out),
            MouseEventKind::ScrollDown => self.on_key(key(KeyCode::Down), out),
            MouseEventKind::Down(MouseButton::Left) if self.overlay.is_none() => {
                self.screen.component_mut(&mut self.home).click(m.column, m.row, &self.cx)
            }
            _ => {}
        }
    }
}
