//! Drives the editor without a terminal: events through `App::update`, the
//! effects kept (not run), drafts handed to a pretend writer that reports
//! them saved at once, and the screen rendered on ratatui's TestBackend.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddsp::domain::enums::CustomMetricType;
use ddsp::domain::metrics::CustomMetric;
use ddsp::domain::profile::Tag;
use ddsp::tui::app::{App, Kind};
use ddsp::tui::message::{Applied, Details, Effect, Event, RequestId};
use ddsp::tui::requests::Wait;
use ddsp::tui::view;
use ddsp::wire::change::Submit;
use ddsp::wire::response::{SecurityProfileDescription, SecurityProfileIdentifier};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

pub const ARN_TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";
pub const ROLE: &str = "arn:aws:iam::123456789012:role/ddsp";

pub struct Harness {
    pub app: App,
    pub effects: Vec<Effect>,
    /// The drafts handed to the writer, oldest first.
    pub drafts: Vec<ddsp::drafts::Draft>,
    /// Drafts removed, by id.
    pub removed: Vec<String>,
    /// Whether the pretend writer fails.
    pub failing: bool,
}

impl Harness {
    pub fn bare(endpoint: &str) -> Harness {
        let mut app = App::new(endpoint.into(), Some("us-east-1".into()));
        // Local dates in a fixed zone, so the snapshots do not depend on the machine's.
        app.cx.tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(1));
        app.cx.drafting.dir = Some(std::path::PathBuf::from("/home/user/.local/share/ddsp/drafts"));
        Harness { app, effects: Vec::new(), drafts: Vec::new(), removed: Vec::new(), failing: false }
    }

    /// An app whose home has loaded `names` and whose endpoint knows one dimension and custom metric.
    pub fn new(names: &[&str]) -> Harness {
        let mut h = Harness::bare("sandbox http://127.0.0.1:7411");
        let start = h.app.start();
        let Some(Effect::ListProfiles(id)) = start.first().cloned() else { panic!("{start:?}") };
        h.list(id, names);
        let id = h.pending(Wait::Known);
        h.event(Event::Known {
            id,
            result: Ok((
                vec![CustomMetric { name: "batteryPercentage".into(), metric_type: CustomMetricType::Number }],
                vec!["TopicFilter".into()],
            )),
        });
        h.effects.clear();
        h
    }

    /// The newest request of this kind on its way (what an answer must name to be current).
    pub fn pending(&self, what: Wait) -> RequestId {
        self.app.cx.requests.newest(what).unwrap_or_else(|| panic!("no {what:?} request on its way"))
    }

    /// Answers a ListSecurityProfiles call with `names`, and their details.
    pub fn list(&mut self, id: RequestId, names: &[&str]) {
        let ids = names
            .iter()
            .map(|n| SecurityProfileIdentifier {
                name: (*n).into(),
                arn: format!("arn:aws:iot:us-east-1:123456789012:securityprofile/{n}"),
            })
            .collect();
        self.event(Event::Listed { id, result: Ok(ids) });
        for (i, n) in names.iter().enumerate() {
            let details = Details {
                name: (*n).into(),
                behaviors: i + 1,
                modified: Some(1_795_000_000.0 + i as f64 * 86_400.0),
                version: Some(i as i64 + 1),
            };
            self.event(Event::Details { id: self.pending(Wait::Describe), details });
        }
    }

    /// One event, as the loop runs it: effects kept, drafts "written" at once.
    pub fn event(&mut self, e: Event) {
        // Time passes between events, so every edit is due for its draft.
        self.app.cx.now += 1.0;
        let effects = self.app.update(e);
        for effect in effects {
            match effect {
                Effect::SaveDraft(s) => {
                    self.drafts.push(s.draft());
                    let report = if self.failing {
                        ddsp::drafts::Report::Failed("No space left on device".into())
                    } else {
                        ddsp::drafts::Report::Saved("draft.json".into())
                    };
                    let more = self.app.update(Event::DraftReport(report));
                    self.effects.extend(more);
                }
                Effect::RemoveDraft(id) => {
                    self.removed.push(id.clone());
                    self.effects.push(Effect::RemoveDraft(id));
                }
                other => self.effects.push(other),
            }
        }
    }

    pub fn key(&mut self, code: KeyCode) {
        self.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    pub fn ctrl(&mut self, c: char) {
        self.event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    }

    /// Ctrl-N on Home, then Enter on its first choice: a blank profile in the editor.
    pub fn new_profile(&mut self) {
        self.ctrl('n');
        self.key(KeyCode::Enter);
    }

    pub fn alt(&mut self, c: char) {
        self.event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)));
    }

    pub fn text(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    pub fn down(&mut self, n: usize) {
        for _ in 0..n {
            self.key(KeyCode::Down);
        }
    }

    pub fn backspace(&mut self, n: usize) {
        for _ in 0..n {
            self.key(KeyCode::Backspace);
        }
    }

    pub fn render(&self, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view::render(&self.app, f)).unwrap();
        terminal.backend().to_string()
    }

    /// Picks a metric in the open picker by searching for it.
    pub fn pick(&mut self, search: &str) {
        self.text(search);
        self.key(KeyCode::Enter);
    }

    pub fn kind(&self) -> Kind {
        self.app.kind()
    }

    pub fn editor(&self) -> &ddsp::tui::screens::editor::EditorScreen {
        self.app.editor().expect("an editor is open")
    }

    /// The id of the last effect of this kind.
    fn last(&self, pick: impl Fn(&Effect) -> Option<RequestId>) -> RequestId {
        self.effects.iter().rev().find_map(pick).unwrap_or_else(|| panic!("no such effect in {:?}", self.effects))
    }

    /// Answers the last Open with `description` and `tags`.
    pub fn opened(&mut self, description: SecurityProfileDescription, tags: Vec<Tag>) {
        let id = self.last(|e| if let Effect::Open { id, .. } = e { Some(*id) } else { None });
        self.event(Event::Opened { id, result: Ok((description, tags, Vec::new())) });
    }

    /// Presses Enter on the selected profile of Home and answers with `description`.
    pub fn open(&mut self, description: SecurityProfileDescription, tags: Vec<Tag>) {
        self.key(KeyCode::Enter);
        self.opened(description, tags);
    }

    /// The last submit sent, and its id.
    pub fn submit(&self) -> (RequestId, Submit) {
        self.effects
            .iter()
            .rev()
            .find_map(|e| if let Effect::Submit { id, change } = e { Some((*id, change.submit.clone())) } else { None })
            .unwrap_or_else(|| panic!("no submit in {:?}", self.effects))
    }

    pub fn submits(&self) -> usize {
        self.effects.iter().filter(|e| matches!(e, Effect::Submit { .. })).count()
    }

    /// Answers the last submit.
    pub fn answer(&mut self, result: Result<Applied, ddsp::client::ClientError>) {
        let (id, _) = self.submit();
        self.event(Event::Submitted { id, result });
    }

    /// Answers the last conflict look-up: the profile changed, its tags and targets as the editor knows them.
    pub fn server(&mut self, description: SecurityProfileDescription) {
        let ed = self.editor();
        let tags = ed.base_tags.clone();
        let arns = ed.base_targets.iter().filter_map(|t| self.app.cx.target_arn(t)).collect();
        self.server_with(description, tags, arns);
    }

    /// Answers the last conflict look-up with the server's description, tags and target ARNs.
    pub fn server_with(&mut self, description: SecurityProfileDescription, tags: Vec<Tag>, target_arns: Vec<String>) {
        let id = self.last(|e| if let Effect::FetchServer { id, .. } = e { Some(*id) } else { None });
        self.event(Event::Server { id, result: Ok((description, tags, target_arns)) });
    }

    pub fn status(&self) -> &str {
        &self.app.cx.status.text
    }

    /// The behaviors' names in the editor.
    pub fn behavior_names(&self) -> Vec<String> {
        self.editor().profile.behaviors.iter().flatten().map(|b| b.name.clone()).collect()
    }
}

pub fn service(code: &str, message: &str) -> ddsp::client::ClientError {
    ddsp::client::ClientError::Service {
        operation: "UpdateSecurityProfile",
        code: code.into(),
        message: message.into(),
    }
}

/// Builds a whole profile with the keyboard; each step is what a user presses.
pub fn build_profile(h: &mut Harness) {
    h.new_profile();
    h.text("Fleet-Baseline");
    h.down(1);
    h.text("Watches the fleet");
    h.ctrl('n'); // Behaviors
    // A static rule: messages sent above 100 in 5 minutes.
    h.key(KeyCode::Char('a'));
    h.pick("num-messages-sent");
    h.down(4); // Dimension, Criteria, Operator, Value
    h.text("100");
    h.key(KeyCode::Esc);
    // A statistical threshold on bytes out.
    h.key(KeyCode::Char('a'));
    h.pick("all-bytes-out");
    h.down(1); // Criteria
    h.key(KeyCode::Right);
    h.key(KeyCode::Esc);
    // ML Detect on authorization failures.
    h.key(KeyCode::Char('a'));
    h.pick("authorization-failures");
    h.down(2); // Dimension, Criteria
    h.key(KeyCode::Left); // Static → ML Detect (cycles backwards)
    h.key(KeyCode::Esc);
    h.ctrl('n'); // Alert targets
    h.text(ARN_TOPIC);
    h.down(1);
    h.text(ROLE);
    h.ctrl('n'); // Retained metrics
    h.ctrl('a');
    h.key(KeyCode::Enter);
    h.pick("num-disconnects");
    h.ctrl('n'); // Metrics export
    h.text("ddsp/metrics");
    h.down(1);
    h.text(ROLE);
}

pub fn base_profile() -> SecurityProfileDescription {
    serde_json::from_value(json!({
        "securityProfileName": "Fleet", "securityProfileArn": "arn:aws:iot:us-east-1:123456789012:securityprofile/Fleet",
        "securityProfileDescription": "The fleet", "version": 4, "creationDate": 1_795_000_000.25, "lastModifiedDate": 1_795_100_000.75,
        "alertTargets": {"SNS": {"alertTargetArn": ARN_TOPIC, "roleArn": ROLE}},
        "behaviors": [
            {"name": "Authorization", "metric": "aws:num-authorization-failures", "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 10}, "durationSeconds": 300}},
            {"name": "Ports", "metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [22]}}}
        ]
    }))
    .unwrap()
}

/// An existing profile opened from Home.
pub fn opened() -> Harness {
    let mut h = Harness::new(&["Fleet"]);
    h.open(base_profile(), Vec::new());
    h
}

/// An existing profile with a changed threshold and cleared alert targets, on the confirm screen.
pub fn opened_and_changed() -> Harness {
    let mut h = opened();
    h.ctrl('n'); // Behaviors
    h.key(KeyCode::Enter); // Authorization
    h.down(5); // Name → Metric, Dimension, Criteria, Operator, Value
    h.backspace(2);
    h.text("12");
    h.key(KeyCode::Esc);
    h.ctrl('n'); // Alert targets
    h.backspace(ARN_TOPIC.len());
    h.down(1);
    h.backspace(ROLE.len());
    h.ctrl('s');
    h
}

/// The server's copy after another client changed the description: version 5.
pub fn server_moved_on() -> SecurityProfileDescription {
    let mut server = base_profile();
    server.version = Some(5);
    server.security_profile_description = Some("Changed by a colleague".into());
    server
}

/// `opened_and_changed`, submitted, refused with a version conflict, and the server's copy fetched.
pub fn in_conflict() -> Harness {
    let mut h = opened_and_changed();
    h.key(KeyCode::Enter);
    let (id, _) = h.submit();
    h.effects.clear();
    h.event(Event::Submitted { id, result: Err(service("VersionConflictException", "stale")) });
    assert!(matches!(h.effects.as_slice(), [Effect::FetchServer { name, .. }] if name == "Fleet"), "{:?}", h.effects);
    h.server(server_moved_on());
    h
}

/// The saved answer to a submit of Fleet.
pub fn saved(version: i64) -> Applied {
    let mut d = base_profile();
    d.version = Some(version);
    d.last_modified_date = Some(1_795_600_000.5);
    Applied { name: "Fleet".into(), arn: d.security_profile_arn.clone().unwrap(), description: d, calls: Vec::new() }
}
