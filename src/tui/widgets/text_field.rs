//! A one-line text field over ratatui-textarea. It owns its text; `input`
//! says whether the text changed. A prefilled value can start selected, so
//! the first character typed replaces it. Pasted text is typed as it is,
//! with newlines turned into spaces: a paste never submits anything.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::{CursorMove, TextArea};

pub struct TextField {
    area: TextArea<'static>,
    /// The whole text is selected: typing replaces it, Backspace clears it.
    selected: bool,
    /// Opened showing its start (`at_start`): the first text typed, pasted
    /// or erased with Backspace still goes at the end, as in any other
    /// field; a cursor key or Delete works from the start instead.
    append: bool,
}

impl TextField {
    /// A field showing `value` (made safe: text from the network or a file may
    /// hold escape sequences), the cursor at its end.
    pub fn new(value: &str, selected: bool) -> TextField {
        let mut area = TextArea::new(vec![crate::domain::untrusted::neutralise(value).into_owned()]);
        // No underline on the line being edited: the field is one line, and
        // each keystroke then costs fewer bytes over SSH.
        area.set_cursor_line_style(ratatui::style::Style::default());
        area.move_cursor(CursorMove::End);
        TextField { area, selected: selected && !value.is_empty(), append: false }
    }

    /// The same field showing the start of its text, so a long text opens
    /// with its beginning in view (a description reads from its start).
    /// Typing still adds at the end, unless a cursor key moved first.
    pub fn at_start(mut self) -> TextField {
        self.area.move_cursor(CursorMove::Head);
        self.append = !self.selected;
        self
    }

    /// Before an edit: a field opened at its start edits at its end.
    fn end_before_edit(&mut self) {
        if std::mem::take(&mut self.append) {
            self.area.move_cursor(CursorMove::End);
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("")
    }

    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Whether a key is one the field handles (typing and moving in the text).
    pub fn wants(key: &KeyEvent) -> bool {
        let ctrl_alt = key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        match key.code {
            KeyCode::Char(_) => !ctrl_alt,
            KeyCode::Backspace | KeyCode::Delete | KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End => {
                true
            }
            _ => false,
        }
    }

    /// Handles a key; true when the text changed.
    pub fn input(&mut self, key: KeyEvent) -> bool {
        match key.code {
            // Delete works where the cursor is shown, as the cursor keys do.
            KeyCode::Char(_) | KeyCode::Backspace => self.end_before_edit(),
            _ => self.append = false,
        }
        if self.selected {
            self.selected = false;
            match key.code {
                KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete => {
                    self.clear();
                    if matches!(key.code, KeyCode::Backspace | KeyCode::Delete) {
                        return true;
                    }
                    self.area.input(key);
                    return true;
                }
                _ => {}
            }
        }
        self.area.input(key)
    }

    /// Types pasted text at the cursor (newlines and tabs become spaces); true when it changed.
    pub fn paste(&mut self, text: &str) -> bool {
        self.end_before_edit();
        if self.selected {
            self.selected = false;
            self.clear();
        }
        let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let clean = clean.trim_end_matches(' ');
        !clean.is_empty() && self.area.insert_str(clean)
    }

    /// Empties the field; true when it had text.
    pub fn clear(&mut self) -> bool {
        let had = !self.text().is_empty();
        self.selected = false;
        self.area = {
            let mut a = TextArea::default();
            a.set_cursor_line_style(ratatui::style::Style::default());
            a
        };
        had
    }

    /// The widget; a selected text is drawn reversed.
    pub fn widget(&self) -> &TextArea<'static> {
        &self.area
    }
}
