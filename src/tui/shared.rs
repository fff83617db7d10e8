//! What every screen reads and some write: the endpoint and what it knows,
//! the status line, the drafts (`drafting`), the settings that shape drawing
//! (colour, keymap, time zone), and the requests in flight.

use crate::domain::Context;
use crate::domain::metrics::CustomMetric;

use super::requests::Requests;

/// Why the status line says what it says: a message whose cause can go away
/// is cleared when it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cause {
    #[default]
    Note,
    /// Errors block the submit; cleared once there are none.
    Blocked,
}

/// The status line's message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Status {
    pub text: String,
    pub cause: Cause,
    /// The event during which it was set (messages outlive one screen change only if set by it).
    pub set_at: u64,
}

pub struct Shared {
    /// The status line's name for the endpoint.
    pub endpoint: String,
    /// What the rules know of the endpoint (its custom metrics and dimensions once loaded).
    pub ctx: Context,
    pub status: Status,
    /// The edit's draft on disk, the unsent drafts and the undo histories kept for them.
    pub drafting: super::drafting::Drafting,
    /// Requests on their way (the status line's "…" is the newest the user waits on).
    pub requests: Requests,
    /// Colours on (off with NO_COLOR or `theme = mono`).
    pub color: bool,
    /// `theme = contrast` / `palette`.
    pub look: super::theme::Look,
    /// Charts in braille (else half blocks, for a console font without braille).
    pub braille: bool,
    /// `keymap = vi`.
    pub vi: bool,
    /// Read-only (`--read-only` or `read_only = true`): nothing that writes is sent.
    pub read_only: bool,
    /// Whether an endpoint is connected (the setup connects later).
    pub connected: bool,
    /// Now, epoch seconds, as of the last event (drafts are stamped with it).
    pub now: f64,
    /// The user's time zone, for local dates beside UTC ones.
    pub tz: jiff::tz::TimeZone,
    /// Events handled so far.
    pub events: u64,
    /// The region a `:region` switch asked for, taken once the connection is up.
    pub switching_region: Option<String>,
    /// Where calls go, for "show the call" (None before the setup connects).
    pub destination: Option<crate::wire::destination::Destination>,
    /// The endpoint's thing groups (name, ARN), for targets.
    pub thing_groups: Vec<(String, String)>,
    /// The account ARNs on this endpoint name (from a profile or thing group), for target ARNs.
    pub account: Option<String>,
    /// The terminal's width, as of the frame being drawn.
    pub width: std::cell::Cell<u16>,
}

impl Shared {
    pub fn new(endpoint: String, region: Option<String>) -> Shared {
        Shared {
            endpoint,
            ctx: Context { region, ..Context::default() },
            status: Status::default(),
            drafting: super::drafting::Drafting::default(),
            requests: Requests::default(),
            color: true,
            look: super::theme::Look::Standard,
            braille: true,
            vi: false,
            read_only: false,
            connected: true,
            now: 0.0,
            tz: jiff::tz::TimeZone::UTC,
            events: 0,
            width: std::cell::Cell::new(80),
            thing_groups: Vec::new(),
            switching_region: None,
            destination: None,
            account: None,
        }
    }

    /// Asks for the endpoint's custom metrics and dimension names (a background load).
    pub fn load_known(&mut self) -> super::message::Effect {
        super::message::Effect::LoadKnown(self.requests.replace(super::requests::Wait::Known, None))
    }

    /// Asks for the endpoint's thing groups (a background load).
    pub fn load_thing_groups(&mut self) -> super::message::Effect {
        super::message::Effect::LoadThingGroups(self.requests.start(super::requests::Wait::ThingGroups, None))
    }

    /// Asks for the dimensions and custom metrics, described (the Resources screen).
    pub fn load_resources(&mut self) -> super::message::Effect {
        super::message::Effect::LoadResources(self.requests.replace(super::requests::Wait::Resources, None))
    }

    /// What the status line says is on its way, if the user waits on something.
    pub fn busy(&self) -> Option<&str> {
        self.requests.busy()
    }

    /// Says why a write is not sent in read-only mode; true when it is read-only.
    pub fn refuse_write(&mut self, what: &str) -> bool {
        self.refuse_write_then(what, "")
    }

    /// As `refuse_write`, adding what the screen offers instead (`then`,
    /// e.g. "; w writes the request to a file" where `w` is a key).
    pub fn refuse_write_then(&mut self, what: &str, then: &str) -> bool {
        if self.read_only {
            self.say(format!("Read-only: {what} is not sent (started with --read-only or read_only = true){then}"));
        }
        self.read_only
    }

    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Status { text: text.into(), cause: Cause::Note, set_at: self.events };
    }

    pub fn say_because(&mut self, text: impl Into<String>, cause: Cause) {
        self.status = Status { text: text.into(), cause, set_at: self.events };
    }

    /// Whether the endpoint is on this machine (`http://127.0.0.1:…`,
    /// `localhost`, `[::1]`): a sandbox, whose data arrives as devices send it.
    pub fn endpoint_is_local(&self) -> bool {
        self.destination.as_ref().is_some_and(|d| {
            let host = d.endpoint.split("://").nth(1).unwrap_or(&d.endpoint);
            ["127.", "localhost", "[::1]"].iter().any(|h| host.starts_with(h))
        })
    }

    pub fn clear_status(&mut self) {
        self.status = Status::default();
    }

    /// The endpoint's custom metrics and dimensions arrived.
    pub fn known(&mut self, custom_metrics: Vec<CustomMetric>, dimensions: Vec<String>) {
        self.ctx.custom_metrics = Some(custom_metrics);
        self.ctx.dimensions = Some(dimensions);
    }

    pub fn set_region(&mut self, region: Option<String>) {
        self.ctx.region = region;
    }

    /// The endpoint's region (the rules' context holds it: one copy).
    pub fn region(&self) -> Option<&str> {
        self.ctx.region.as_deref()
    }

    /// Learns the account (and region) from an ARN of this endpoint, if not known yet.
    pub fn learn_account(&mut self, arn: &str) {
        if self.account.is_none()
            && let Some((region, account)) = crate::domain::targets::region_and_account(arn)
        {
            self.account = Some(account);
            if self.region().is_none() {
                self.set_region(Some(region));
            }
        }
    }

    /// The palette's switch connected to the endpoint `label`: nothing asked
    /// of the old one is awaited, and nothing learnt from it (account,
    /// custom metrics, dimensions, thing groups) is kept; the region is the
    /// one switched to, else the one in use.
    pub fn switched(&mut self, label: String) {
        self.requests.clear();
        self.say(format!("Connected to {label}"));
        self.endpoint = label;
        self.account = None;
        let region = self.switching_region.take().or_else(|| self.region().map(str::to_owned));
        self.ctx = crate::domain::Context::default();
        self.set_region(region);
        self.thing_groups.clear();
    }

    /// What an editor claims for its draft while it runs (`drafts::Claim`).
    pub fn claim(&self, ed: &super::screens::editor::EditorScreen) -> crate::drafts::Claim {
        crate::drafts::Claim { id: ed.draft_id.clone(), endpoint: self.endpoint.clone(), name: ed.name().to_owned() }
    }

    /// A target's ARN on this endpoint, once the account is known.
    pub fn target_arn(&self, t: &crate::domain::targets::Target) -> Option<String> {
        Some(t.arn(self.region()?, self.account.as_deref()?))
    }
}
