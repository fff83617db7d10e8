//! Semantic styles. Only the 16 basic colours, so a bastion host's terminal
//! shows them; with NO_COLOR set, modifiers alone carry the meaning.

use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    pub color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color { Style::default().fg(c) } else { Style::default() }
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    pub fn focused(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    pub fn label(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn error(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}
