//! What arrives (`Event`) and what the app asks the loop to do (`Effect`),
//! both plain data. A request to the endpoint carries a `RequestId`; its
//! result comes back with the same id, and a result whose id is not the one
//! the screen awaits is dropped (the user moved on). Errors stay typed
//! (`ClientError`) up to the screen that words them.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use crate::client::ClientError;
use crate::domain::metrics::CustomMetric;
use crate::domain::profile::Tag;
use crate::drafts::{Draft, Report, Snapshot};
use crate::wire::change::Submit;
use crate::wire::response::{SecurityProfileDescription, SecurityProfileIdentifier};

/// Names one request; ids only grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// What the service made of a submit.
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub name: String,
    pub arn: String,
    pub description: SecurityProfileDescription,
}

/// Why a submit did not end as asked.
#[derive(Debug, Clone, PartialEq)]
pub enum SubmitError {
    /// Refused by the service, or it never got there: nothing changed.
    Failed(ClientError),
    /// UpdateSecurityProfile was applied (a new version exists) but the tag
    /// changes (TagResource / UntagResource) that followed failed.
    TagsFailed { submitted: Box<Submitted>, error: ClientError },
}

impl SubmitError {
    /// Whether the service said the version moved on (VersionConflictException).
    pub fn is_version_conflict(&self) -> bool {
        matches!(self, SubmitError::Failed(ClientError::Service { code, .. }) if code == "VersionConflictException")
    }
}

/// The profile list's details for one row.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub name: String,
    pub behaviors: usize,
    pub modified: Option<f64>,
    pub version: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Key(KeyEvent),
    /// Text pasted into the terminal (bracketed paste): typed into the focused text field.
    Paste(String),
    Resize,
    /// The time for a draft held back while typing has come (see `App::draft_deadline`).
    Tick,
    Listed {
        id: RequestId,
        result: Result<Vec<SecurityProfileIdentifier>, ClientError>,
    },
    Details(Details),
    /// The endpoint's custom metrics and dimension names.
    Known(Result<(Vec<CustomMetric>, Vec<String>), ClientError>),
    Opened {
        id: RequestId,
        result: Result<(SecurityProfileDescription, Vec<Tag>), ClientError>,
    },
    Submitted {
        id: RequestId,
        result: Result<Submitted, SubmitError>,
    },
    Deleted {
        id: RequestId,
        result: Result<String, ClientError>,
    },
    /// The server's current copy, fetched after a version conflict.
    Server {
        id: RequestId,
        result: Result<SecurityProfileDescription, ClientError>,
    },
    /// Where a request file was written (its whole path), or why not.
    Written(Result<String, String>),
    /// Unsent drafts found at start.
    Drafts(Vec<Draft>),
    /// What the draft writer did.
    DraftReport(Report),
    /// Something for the status line (a settings file that could not be written).
    Notice(String),
    /// The setup's connection is up (its label for the status line), or why not.
    Connected(Result<String, String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    ListProfiles(RequestId),
    Describe(Vec<String>),
    LoadKnown,
    Open {
        id: RequestId,
        name: String,
    },
    Submit {
        id: RequestId,
        submit: Box<Submit>,
    },
    Delete {
        id: RequestId,
        name: String,
        expected_version: Option<i64>,
    },
    FetchServer {
        id: RequestId,
        name: String,
    },
    /// Writes a request to a new file in the current directory (never over one).
    Write {
        path: String,
        json: String,
    },
    /// Hands the edit to the draft writer.
    SaveDraft(Arc<Snapshot>),
    /// Removes a draft whose profile was submitted or deleted, or that the user discarded.
    RemoveDraft(String),
    /// Connects to the endpoint the setup chose.
    Connect(crate::client::ConnectOptions),
    /// Saves the settings the setup made (off the event loop).
    SaveSettings(crate::config::Settings),
    Quit,
}
