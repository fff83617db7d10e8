//! What arrives (`Event`) and what the app asks the loop to do (`Effect`).
//! Effects are plain data; `effects.rs` runs them and answers with events.

use crossterm::event::KeyEvent;

use super::form::Known;
use crate::domain::profile::{ProfileUpdate, SecurityProfile, Tag};
use crate::wire::response::{SecurityProfileDescription, SecurityProfileIdentifier};

/// A submit, as it goes to the service.
#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    Create(SecurityProfile),
    /// The update, and the tag changes that go through TagResource / UntagResource.
    Update {
        update: ProfileUpdate,
        tag: Vec<Tag>,
        untag: Vec<String>,
    },
}

/// What the service said about a submit.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub name: String,
    pub arn: String,
    pub description: SecurityProfileDescription,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Key(KeyEvent),
    Resize,
    Listed(Result<Vec<SecurityProfileIdentifier>, String>),
    /// Behaviors count and last modified date of a listed profile.
    Details {
        name: String,
        behaviors: usize,
        modified: Option<f64>,
        version: Option<i64>,
    },
    Known(Result<Known, String>),
    Opened(Result<(SecurityProfileDescription, Vec<Tag>), String>),
    Submitted(Result<Submitted, String>),
    Deleted(Result<String, String>),
    /// The server's current copy, fetched after a version conflict.
    Server(Result<SecurityProfileDescription, String>),
    Written(Result<String, String>),
    /// Unsent drafts found at start.
    Drafts(Vec<crate::drafts::Draft>),
    /// What the draft writer did.
    DraftReport(crate::drafts::Report),
    /// Something for the status line (a settings file that could not be written).
    Notice(String),
    /// The setup's connection is up (its label for the status line), or why not.
    Connected(Result<String, String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    ListProfiles,
    Describe(Vec<String>),
    LoadKnown,
    Open(String),
    Submit(Box<Submit>),
    Delete {
        name: String,
        expected_version: Option<i64>,
    },
    FetchServer(String),
    /// Writes the confirm screen's request to a file usable with --cli-input-json.
    Write {
        path: String,
        json: String,
    },
    /// Removes a draft whose profile was submitted or deleted, or that the user discarded.
    RemoveDraft(String),
    /// Connects to the endpoint the setup chose.
    Connect(crate::client::ConnectOptions),
    /// Saves the settings the setup made.
    SaveSettings(crate::config::Settings),
    Quit,
}
