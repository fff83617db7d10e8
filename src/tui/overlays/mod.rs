//! What opens over a screen: the help, the delete prompt, the quit prompt
//! (and, inside the editor, the picker). An open overlay gets the keys first.

pub mod calls;
pub mod delete;
pub mod help;
pub mod palette;
pub mod picker;
pub mod quit;

/// The overlay over the screen, if any.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help(help::Help),
    Delete(delete::DeletePrompt),
    Quit(quit::QuitPrompt),
    Calls(calls::Calls),
    Palette(palette::Palette),
}
