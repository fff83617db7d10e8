//! What opens over a screen: the help, the delete prompt, the quit prompt,
//! the calls and the palette (and, inside the editor, the picker). An open
//! overlay gets the keys first; each is a `Component`.

pub mod calls;
pub mod delete;
pub mod help;
pub mod message;
pub mod palette;
pub mod picker;
pub mod quit;

use super::screens::component::Component;

/// The overlay over the screen, if any.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help(help::Help),
    Delete(delete::DeletePrompt),
    Quit(quit::QuitPrompt),
    Calls(calls::Calls),
    Palette(palette::Palette),
    /// The status line's whole text.
    Message(message::MessageView),
}

impl Overlay {
    pub fn component(&self) -> &dyn Component {
        match self {
            Overlay::Help(h) => h,
            Overlay::Delete(d) => d,
            Overlay::Quit(q) => q,
            Overlay::Calls(c) => c,
            Overlay::Palette(p) => p,
            Overlay::Message(m) => m,
        }
    }

    pub fn component_mut(&mut self) -> &mut dyn Component {
        match self {
            Overlay::Help(h) => h,
            Overlay::Delete(d) => d,
            Overlay::Quit(q) => q,
            Overlay::Calls(c) => c,
            Overlay::Palette(p) => p,
            Overlay::Message(m) => m,
        }
    }
}
