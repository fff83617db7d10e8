//! The screens, one component each: its state, its key handling and its
//! drawing, behind one contract (`Component`). A screen's `on_key` changes
//! its own state, pushes effects, and may ask the app to go somewhere else
//! (`Go`, the one answer every screen gives); the app makes the move, so a
//! screen never exists without its state.

pub mod component;
pub mod confirm;
pub mod conflict;
pub mod drafts;
pub mod editor;
pub mod home;
pub mod mitigate;
pub mod resource_form;
pub mod resources;
pub mod result;
pub mod setup;
pub mod setup_view;
pub mod since_opened;
pub mod violations;

/// Where a screen asks the app to go.
#[derive(Debug, Clone, PartialEq)]
pub enum Go {
    /// Home, closing the editor (its unsent edits stay as a draft).
    Home,
    /// From the editor to the confirm screen.
    Review,
    /// Back to the editor from the confirm, result or conflict screen.
    Editor,
    /// A new profile: the choice of a blank one or a template first.
    NewProfile,
    /// A new, blank profile in the editor.
    Blank,
    /// Ask for the profile's name before deleting it.
    DeletePrompt {
        name: String,
        version: Option<i64>,
    },
    Help,
    /// Restore the unsent draft of this id in the editor.
    Restore(String),
    /// The dimensions and custom metrics screen.
    Resources,
    /// A profile's violations.
    Violations(String),
    /// The `aws iot` commands for what the editor would send.
    ShowCalls,
    /// Hand the terminal to $VISUAL / $EDITOR.
    External(Box<editor::external::ExternalEdit>),
    /// The conflict screen's choice.
    Resolve(conflict::Choice),
    /// Ask for a dimension's or custom metric's name before deleting it.
    DeleteResource(resource_form::ResourceKind, String),
    /// The setup is done: edit this profile.
    Start(Box<Start>),
    /// Leave ddsp now (the setup before anything was edited, or the quit prompt's "quit anyway").
    Exit,
    /// Close the overlay.
    Close,
    /// The setup's connection is up: Home starts loading.
    Connected,
    /// The delete prompt's name matched: delete it, expecting this version.
    Delete {
        what: crate::tui::overlays::delete::Deleting,
        name: String,
        version: Option<i64>,
    },
    /// The palette's choice.
    Palette(crate::tui::overlays::palette::Chosen),
}

/// What the setup hands the editor: the profile, where it came from (for the status line), and its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Start {
    pub profile: crate::domain::profile::SecurityProfile,
    pub from: String,
    pub target: Option<crate::domain::targets::Target>,
}
