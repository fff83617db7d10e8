//! Semantic styles. Only the 16 basic colours, so a bastion host's terminal
//! shows them; with NO_COLOR set (or `theme = mono`), modifiers alone carry
//! the meaning. `theme = contrast` uses the bright colours and bold for a
//! high-contrast look; `theme = palette` uses only the 8 base colours and
//! the dim attribute, so the terminal's own palette decides every colour
//! (no bright black, which some palettes make invisible).

use ratatui::style::{Color, Modifier, Style};

/// How colours are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Look {
    #[default]
    Standard,
    Contrast,
    Palette,
}

pub struct Theme {
    pub color: bool,
    pub look: Look,
    /// Charts in braille; else in half blocks (a console font without braille).
    pub braille: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if !self.color {
            return Style::default();
        }
        match self.look {
            Look::Standard | Look::Palette => Style::default().fg(c),
            Look::Contrast => {
                let bright = match c {
                    Color::Red => Color::LightRed,
                    Color::Green => Color::LightGreen,
                    Color::Yellow => Color::LightYellow,
                    Color::Cyan => Color::LightCyan,
                    Color::DarkGray => Color::Gray,
                    other => other,
                };
                Style::default().fg(bright).add_modifier(Modifier::BOLD)
            }
        }
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        match self.look {
            Look::Palette if self.color => Style::default().add_modifier(Modifier::DIM),
            _ => self.fg(Color::DarkGray),
        }
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
        // Without colour a warning is still told apart: underlined.
        if self.color { self.fg(Color::Yellow) } else { Style::default().add_modifier(Modifier::UNDERLINED) }
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_look_keeps_its_meaning() {
        let mono = Theme { color: false, look: Look::Standard, braille: true };
        assert_eq!(mono.error().fg, None);
        assert!(mono.error().add_modifier.contains(Modifier::BOLD));
        assert!(mono.warning().add_modifier.contains(Modifier::UNDERLINED));
        let contrast = Theme { color: true, look: Look::Contrast, braille: true };
        assert_eq!(contrast.error().fg, Some(Color::LightRed));
        let palette = Theme { color: true, look: Look::Palette, braille: true };
        assert_eq!(palette.dim().fg, None, "no bright black");
        assert!(palette.dim().add_modifier.contains(Modifier::DIM));
    }
}
