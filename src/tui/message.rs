//! What arrives (`Event`) and what the app asks the loop to do (`Effect`),
//! both plain data. A request to the endpoint carries a `RequestId`; its
//! result comes back with the same id, and a result whose id is not the one
//! the screen awaits is dropped (the user moved on). Errors stay typed
//! (`ClientError`) up to the screen that words them.

use std::sync::Arc;

use crossterm::event::KeyEvent;

pub use super::screens::resource_form::{ResourceKind, ResourceRequest};
use crate::client::ClientError;
pub use crate::client::apply::{Applied, Call, CallKind};
use crate::domain::metrics::CustomMetric;
use crate::domain::profile::Tag;
use crate::drafts::{Draft, Report, Snapshot};
use crate::wire::change::ProfileChange;
use crate::wire::response::{SecurityProfileDescription, SecurityProfileIdentifier};

/// A profile as the server has it: its description, its tags
/// (ListTagsForResource) and the ARNs of its targets
/// (ListTargetsForSecurityProfile). Tags and targets are not versioned, so a
/// version says nothing of them.
pub type ServerCopy = (SecurityProfileDescription, Vec<Tag>, Vec<String>);

/// Names one request; ids only grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// A behavior's metric data for its chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    pub data: crate::domain::metric_data::MetricData,
    /// How many things the profile's targets hold.
    pub things: usize,
    /// More things than the chart reads (it reads the first 100 by name).
    pub capped: bool,
    /// When the data was read (epoch seconds): a window ending later is still filling.
    pub horizon: i64,
}

/// A mitigation action made in place, from the violations view.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMitigationAction {
    pub name: String,
    pub role_arn: String,
    pub params: crate::domain::mitigation::MitigationActionParams,
}

/// The violations view's data: active violations and ML model status.
#[derive(Debug, Clone, PartialEq)]
pub struct Violations {
    /// ListActiveViolations items, as the CLI prints them (epoch-second times).
    pub active: Vec<serde_json::Value>,
    /// GetBehaviorModelTrainingSummaries items.
    pub models: Vec<serde_json::Value>,
}

/// The endpoint's dimensions and custom metrics, described.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resources {
    /// Name and topic filters.
    pub dimensions: Vec<(String, Vec<String>)>,
    /// The metric and its display name.
    pub metrics: Vec<(CustomMetric, Option<String>)>,
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
    /// A click or the wheel (with `mouse = on`).
    Mouse(crossterm::event::MouseEvent),
    Resize,
    /// The time for a draft held back while typing has come (see `App::wake_at`), or an open view's time to read again.
    Tick,
    Listed {
        id: RequestId,
        result: Result<Vec<SecurityProfileIdentifier>, ClientError>,
    },
    /// One listed profile's details (a Describe's answers come one profile at a time).
    Details {
        id: RequestId,
        details: Details,
    },
    /// The endpoint's custom metrics and dimension names.
    Known {
        id: RequestId,
        result: Result<(Vec<CustomMetric>, Vec<String>), ClientError>,
    },
    /// A profile opened: its description, tags and target ARNs.
    Opened {
        id: RequestId,
        result: Result<ServerCopy, ClientError>,
    },
    /// The endpoint's thing groups: names and ARNs.
    ThingGroups {
        id: RequestId,
        result: Result<Vec<(String, String)>, ClientError>,
    },
    /// The profiles attached to a target, for the 5-per-target limit.
    TargetProfiles {
        id: RequestId,
        arn: String,
        result: Result<Vec<String>, ClientError>,
    },
    /// The answer to a submit: the profile as it now is and the calls that followed.
    Submitted {
        id: RequestId,
        result: Result<Applied, ClientError>,
    },
    Deleted {
        id: RequestId,
        result: Result<String, ClientError>,
    },
    /// The server's current copy, fetched after a version conflict.
    Server {
        id: RequestId,
        result: Result<ServerCopy, ClientError>,
    },
    /// The endpoint's dimensions (with their topic filters) and custom metrics (with display names).
    Resources {
        id: RequestId,
        result: Result<Resources, ClientError>,
    },
    /// A dimension or custom metric created or updated: its name.
    ResourceSaved {
        id: RequestId,
        result: Result<String, ClientError>,
    },
    ResourceDeleted {
        id: RequestId,
        result: Result<String, ClientError>,
    },
    /// The profiles that use a dimension or custom metric (ListSecurityProfiles filtered by it).
    ResourceUse {
        id: RequestId,
        kind: ResourceKind,
        name: String,
        result: Result<Vec<String>, ClientError>,
    },
    /// A behavior's chart data.
    ChartData {
        id: RequestId,
        result: Result<ChartData, ClientError>,
    },
    /// A profile's active violations and model status.
    Violations {
        id: RequestId,
        result: Result<Violations, ClientError>,
    },
    /// A verification state put on a violation.
    Verified {
        id: RequestId,
        result: Result<(), ClientError>,
    },
    /// The alerts a profile would have sent over the endpoint's last 14 days
    /// (None: the endpoint has no data for its behaviors).
    AlertVolume {
        id: RequestId,
        result: Result<Option<crate::domain::alerts::AlertVolume>, ClientError>,
    },
    /// The alerts the sandbox kept for a violation (ListSandboxAlerts items).
    Alerts {
        id: RequestId,
        violation_id: String,
        result: Result<Vec<serde_json::Value>, ClientError>,
    },
    /// The endpoint's mitigation actions, described.
    MitigationActions {
        id: RequestId,
        result: Result<Vec<serde_json::Value>, ClientError>,
    },
    /// A mitigation task started: its executions (ListDetectMitigationActionsExecutions items).
    Mitigated {
        id: RequestId,
        result: Result<Vec<serde_json::Value>, ClientError>,
    },
    /// The external editor is done: the text it left (or why there is none).
    Edited {
        edit: Box<super::screens::editor::external::ExternalEdit>,
        result: Result<String, String>,
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
    Connected {
        id: RequestId,
        result: Result<String, String>,
    },
}

impl Event {
    /// The request it answers, if it is an answer.
    pub fn request(&self) -> Option<RequestId> {
        match self {
            Event::Listed { id, .. }
            | Event::Details { id, .. }
            | Event::Known { id, .. }
            | Event::Opened { id, .. }
            | Event::ThingGroups { id, .. }
            | Event::TargetProfiles { id, .. }
            | Event::Submitted { id, .. }
            | Event::Deleted { id, .. }
            | Event::Server { id, .. }
            | Event::Resources { id, .. }
            | Event::ResourceSaved { id, .. }
            | Event::ResourceDeleted { id, .. }
            | Event::ResourceUse { id, .. }
            | Event::ChartData { id, .. }
            | Event::Violations { id, .. }
            | Event::Verified { id, .. }
            | Event::AlertVolume { id, .. }
            | Event::Alerts { id, .. }
            | Event::MitigationActions { id, .. }
            | Event::Mitigated { id, .. }
            | Event::Connected { id, .. } => Some(*id),
            Event::Key(_)
            | Event::Paste(_)
            | Event::Mouse(_)
            | Event::Resize
            | Event::Tick
            | Event::Edited { .. }
            | Event::Written(_)
            | Event::Drafts(_)
            | Event::DraftReport(_)
            | Event::Notice(_) => None,
        }
    }
}

impl Effect {
    /// Whether it changes something on the endpoint (read-only mode sends none of these).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Effect::Submit { .. }
                | Effect::Delete { .. }
                | Effect::SaveResource { .. }
                | Effect::DeleteResource { .. }
                | Effect::PutVerification { .. }
                | Effect::StartMitigation { .. }
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    ListProfiles(RequestId),
    /// Describes each listed profile, for Home's details.
    Describe {
        id: RequestId,
        names: Vec<String>,
    },
    LoadKnown(RequestId),
    Open {
        id: RequestId,
        name: String,
    },
    Submit {
        id: RequestId,
        change: Box<ProfileChange>,
    },
    LoadThingGroups(RequestId),
    /// Lists the profiles attached to a target (ARN).
    CountTarget {
        id: RequestId,
        arn: String,
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
    LoadResources(RequestId),
    SaveResource {
        id: RequestId,
        request: ResourceRequest,
    },
    DeleteResource {
        id: RequestId,
        kind: ResourceKind,
        name: String,
    },
    ResourceUse {
        id: RequestId,
        kind: ResourceKind,
        name: String,
    },
    /// Reads 14 days of a metric for the things the targets hold (all registered things when none).
    LoadChart {
        id: RequestId,
        key: crate::domain::metric_data::MetricKey,
        targets: Vec<crate::domain::targets::Target>,
    },
    /// A profile's active violations and its ML behaviors' model status.
    LoadViolations {
        id: RequestId,
        profile: String,
    },
    /// Counts the alerts `behaviors` would have sent over the last 14 days of
    /// the endpoint's data for the things the targets hold.
    CountAlerts {
        id: RequestId,
        behaviors: Vec<crate::domain::profile::Behavior>,
        targets: Vec<crate::domain::targets::Target>,
    },
    /// ListSandboxAlerts for one violation.
    LoadAlerts {
        id: RequestId,
        violation_id: String,
    },
    /// ListMitigationActions, each described.
    LoadMitigationActions(RequestId),
    /// CreateMitigationAction first when `create` names one, then
    /// StartDetectMitigationActionsTask, then the task's executions.
    StartMitigation {
        id: RequestId,
        create: Option<Box<NewMitigationAction>>,
        task_id: String,
        request: Box<crate::domain::mitigation::StartTaskRequest>,
    },
    /// PutVerificationStateOnViolation.
    PutVerification {
        id: RequestId,
        violation_id: String,
        state: String,
        /// verificationStateDescription, when one was typed.
        description: Option<String>,
    },
    /// Writes a request to a new file in the current directory (never over one).
    Write {
        path: String,
        json: String,
    },
    /// Hands the edit to the draft writer.
    SaveDraft(Arc<Snapshot>),
    /// Hands a finished draft to the writer (a dimension or custom metric being made).
    SaveWholeDraft(Box<Draft>),
    /// Copies text to the terminal's clipboard (OSC 52).
    Clipboard(String),
    /// Hands the terminal to $VISUAL / $EDITOR on this text; `Event::Edited` brings it back.
    EditExternal(Box<super::screens::editor::external::ExternalEdit>),
    /// Removes a draft whose profile was submitted or deleted, or that the user discarded.
    RemoveDraft(String),
    /// Marks a draft as this editor's: restored, or its profile opened (`drafts::Writer::own`).
    OwnDraft(crate::drafts::Claim),
    /// Takes this editor's mark off a draft it will not write (a profile closed unchanged).
    DisownDraft(String),
    /// Connects again with another region or AWS profile, or to the local
    /// sandbox (the palette's `:region`, `:profile`, `:sandbox`). The
    /// connection in use stays until the new one is up.
    Reconnect {
        id: RequestId,
        region: Option<String>,
        profile: Option<String>,
        sandbox: bool,
    },
    /// Connects to the endpoint the setup chose.
    Connect {
        id: RequestId,
        options: crate::client::ConnectOptions,
    },
    /// Saves the settings the setup made (off the event loop).
    SaveSettings(crate::config::Settings),
    Quit,
}
