//! The mouse, with `mouse = on`: a click focuses the row (or the section) it
//! lands on, the wheel moves as the arrow keys do. Where a row was drawn comes
//! from the last frame; the keys stay the one way to do everything.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::app::{App, Screen};
use super::message::Effect;

impl App {
    pub(super) fn on_mouse(&mut self, m: MouseEvent, out: &mut Vec<Effect>) {
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        match m.kind {
            MouseEventKind::ScrollUp => self.on_key(key(KeyCode::Up), out),
            MouseEventKind::ScrollDown => self.on_key(key(KeyCode::Down), out),
            MouseEventKind::Down(MouseButton::Left) if self.overlay.is_none() => self.click(m.column, m.row),
            _ => {}
        }
    }

    /// A left click at column `x` of the screen line `y`.
    fn click(&mut self, x: u16, y: u16) {
        match &mut self.screen {
            Screen::Home => {
                let hit = self.home.hits.borrow().iter().find(|(line, _)| *line == y).map(|(_, i)| *i);
                if let Some(i) = hit {
                    self.home.selected = i;
                }
            }
            Screen::Editor(ed) if ed.picker.is_none() && ed.form.is_none() && !ed.pane.focused => {
                if x < ed.nav_right.get() {
                    let section = ed.section_hits.borrow().iter().find(|(line, _)| *line == y).map(|(_, s)| *s);
                    if let Some(s) = section {
                        ed.go_to_section(s, &self.cx.ctx);
                    }
                } else {
                    let row = ed.hits.borrow().iter().find(|(line, _)| *line == y).map(|(_, i)| *i);
                    if let Some(i) = row {
                        ed.focus_row(i);
                    }
                }
            }
            _ => {}
        }
    }
}
