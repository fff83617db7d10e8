//! The editor without a terminal: key events through `App::update` (the
//! effects it returns are checked, not run), and every screen rendered on
//! ratatui's TestBackend at 80x24 and 160x48 as insta snapshots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddsp::domain::enums::CustomMetricType;
use ddsp::domain::metrics::CustomMetric;
use ddsp::tui::action::{Effect, Event, Submit};
use ddsp::tui::app::App;
use ddsp::tui::form::Known;
use ddsp::tui::view;
use ddsp::wire::response::{SecurityProfileDescription, SecurityProfileIdentifier};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

struct Harness {
    app: App,
    effects: Vec<Effect>,
    /// The drafts handed to the writer, oldest first.
    drafts: Vec<ddsp::drafts::Draft>,
}

impl Harness {
    /// An app whose home has loaded `names` and whose endpoint knows one dimension and custom metric.
    fn new(names: &[&str]) -> Harness {
        let app = App::new("sandbox http://127.0.0.1:7411".into(), Some("us-east-1".into()));
        let ids = names
            .iter()
            .map(|n| SecurityProfileIdentifier {
                name: (*n).into(),
                arn: format!("arn:aws:iot:us-east-1:123456789012:securityprofile/{n}"),
            })
            .collect();
        let mut h = Harness { app, effects: Vec::new(), drafts: Vec::new() };
        // Local dates in a fixed zone, so the snapshots do not depend on the machine's.
        h.app.tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(1));
        h.event(Event::Listed(Ok(ids)));
        h.event(Event::Known(Ok(Known {
            custom_metrics: vec![CustomMetric {
                name: "batteryPercentage".into(),
                metric_type: CustomMetricType::Number,
            }],
            dimensions: vec!["TopicFilter".into()],
        })));
        for (i, n) in names.iter().enumerate() {
            h.event(Event::Details {
                name: (*n).into(),
                behaviors: i + 1,
                modified: Some(1_795_000_000.0 + i as f64 * 86_400.0),
                version: Some(i as i64 + 1),
            });
        }
        h
    }

    /// One event, as the loop runs it: the effects are kept, and a changed
    /// draft is "written" at once (the writer's report comes back).
    fn event(&mut self, e: Event) {
        let effects = self.app.update(e);
        self.effects.extend(effects);
        if let Some(d) = self.app.take_draft() {
            self.drafts.push(d);
            self.app.update(Event::DraftReport(ddsp::drafts::Report::Saved("draft.json".into())));
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn ctrl(&mut self, c: char) {
        self.event(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)));
    }

    fn text(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn down(&mut self, n: usize) {
        for _ in 0..n {
            self.key(KeyCode::Down);
        }
    }

    fn render(&self, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| view::render(&self.app, f)).unwrap();
        terminal.backend().to_string()
    }

    /// Picks a metric in the open picker by searching for it.
    fn pick(&mut self, search: &str) {
        self.text(search);
        self.key(KeyCode::Enter);
    }
}

const ARN_TOPIC: &str = "arn:aws:sns:us-east-1:123456789012:alerts";
const ROLE: &str = "arn:aws:iam::123456789012:role/ddsp";

/// Builds a whole profile with the keyboard; each step is what a user presses.
fn build_profile(h: &mut Harness) {
    h.ctrl('n');
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

#[test]
fn a_profile_built_with_the_keyboard_is_the_expected_request() {
    let mut h = Harness::new(&[]);
    build_profile(&mut h);
    let problems = &h.app.editor.as_ref().unwrap().problems;
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:#?}");
    h.effects.clear();
    h.ctrl('s');
    assert_eq!(h.app.screen, ddsp::tui::app::Screen::Confirm);
    assert!(h.effects.is_empty(), "nothing is sent before the confirm screen");
    h.key(KeyCode::Enter);
    let Some(Effect::Submit(submit)) = h.effects.first() else { panic!("no submit: {:?}", h.effects) };
    let Submit::Create(profile) = submit.as_ref() else { panic!("not a create") };
    let expected = json!({
        "securityProfileName": "Fleet-Baseline",
        "securityProfileDescription": "Watches the fleet",
        "behaviors": [
            {"name": "behavior-1", "metric": "aws:num-messages-sent",
             "criteria": {"comparisonOperator": "greater-than", "value": {"count": 100}, "durationSeconds": 300}},
            {"name": "behavior-2", "metric": "aws:all-bytes-out",
             "criteria": {"comparisonOperator": "greater-than", "durationSeconds": 300, "statisticalThreshold": {"statistic": "p90"}}},
            {"name": "behavior-3", "metric": "aws:num-authorization-failures",
             "criteria": {"mlDetectionConfig": {"confidenceLevel": "MEDIUM"}}}
        ],
        "alertTargets": {"SNS": {"alertTargetArn": ARN_TOPIC, "roleArn": ROLE}},
        "additionalMetricsToRetainV2": [{"metric": "aws:num-disconnects"}],
        "metricsExportConfig": {"mqttTopic": "ddsp/metrics", "roleArn": ROLE}
    });
    assert_eq!(serde_json::to_value(profile).unwrap(), expected);
}

#[test]
fn errors_block_saving_and_the_pane_jumps_to_the_field() {
    let mut h = Harness::new(&[]);
    h.ctrl('n');
    h.text("p");
    h.ctrl('n');
    h.key(KeyCode::Char('a'));
    h.pick("listening-tcp-ports");
    h.down(3); // Criteria, Operator, Value
    h.text("22, 70000");
    h.key(KeyCode::Esc);
    h.effects.clear();
    h.ctrl('s');
    assert!(h.effects.is_empty(), "an invalid profile must not be sent");
    assert!(h.app.message.contains("1 error block submission"), "{}", h.app.message);
    let ed = h.app.editor.as_ref().unwrap();
    assert!(ed.pane.focused);
    assert_eq!(ed.problems[0].path.to_string(), "behaviors[0].criteria.value.ports[1]");
    h.key(KeyCode::Enter);
    let ed = h.app.editor.as_ref().unwrap();
    assert_eq!(ed.open, Some(0));
    let rows = h.app.rows();
    assert_eq!(rows[ed.focus].id, ddsp::tui::form::FieldId::BValue);
    // Fixing the value clears the problem as it is typed.
    for _ in 0..5 {
        h.key(KeyCode::Backspace);
    }
    h.text("8883");
    assert!(h.app.editor.as_ref().unwrap().problems.is_empty());
    // Text that does not parse is kept and reported at its item.
    h.text("x");
    let ed = h.app.editor.as_ref().unwrap();
    assert_eq!(ed.problems[0].path.to_string(), "behaviors[0].criteria.value.ports[1]");
    assert!(h.render(80, 24).contains("22, 8883x"));
}

#[test]
fn existing_profiles_update_with_their_version_and_delete_flags() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    assert_eq!(h.effects.last(), Some(&Effect::Open("Fleet".into())));
    let base: SecurityProfileDescription = serde_json::from_value(json!({
        "securityProfileName": "Fleet", "securityProfileArn": "arn:aws:iot:us-east-1:123456789012:securityprofile/Fleet",
        "version": 4, "alertTargets": {"SNS": {"alertTargetArn": ARN_TOPIC, "roleArn": ROLE}},
        "behaviors": [{"name": "b", "metric": "aws:num-disconnects", "criteria": {"comparisonOperator": "greater-than", "value": {"count": 3}, "durationSeconds": 300}}]
    }))
    .unwrap();
    h.event(Event::Opened(Ok((
        base,
        vec![ddsp::domain::profile::Tag { key: "team".into(), value: Some("iot".into()) }],
    ))));
    assert!(h.render(80, 24).contains("version 4"));
    h.ctrl('n');
    h.ctrl('n'); // Alert targets: clear both fields
    for _ in 0..ARN_TOPIC.len() {
        h.key(KeyCode::Backspace);
    }
    h.down(1);
    for _ in 0..ROLE.len() {
        h.key(KeyCode::Backspace);
    }
    h.effects.clear();
    h.ctrl('s');
    let confirm = h.app.confirm.clone().unwrap();
    assert_eq!(confirm.changes.len(), 1);
    assert!(confirm.changes[0].starts_with("- alertTargets: {\"SNS\""), "{:?}", confirm.changes);
    assert!(
        confirm.json.contains("\"deleteAlertTargets\": true") && confirm.json.contains("\"expectedVersion\": 4"),
        "{}",
        confirm.json
    );
    h.key(KeyCode::Enter);
    let Some(Effect::Submit(submit)) = h.effects.first() else { panic!("{:?}", h.effects) };
    let Submit::Update { update, tag, untag } = submit.as_ref() else { panic!() };
    assert_eq!(update.expected_version, Some(4));
    assert_eq!(update.delete_alert_targets, Some(true));
    assert!(update.alert_targets.is_none());
    assert!(tag.is_empty() && untag.is_empty());
    // The JSON on the confirm screen is the request sent.
    let shown: serde_json::Value = serde_json::from_str(&confirm.json).unwrap();
    assert_eq!(shown, serde_json::to_value(update).unwrap());
}

fn snapshot_states() -> Vec<(&'static str, Harness)> {
    let mut states = Vec::new();
    let loading = Harness {
        app: App::new("sandbox http://127.0.0.1:7411".into(), None),
        effects: Vec::new(),
        drafts: Vec::new(),
    };
    states.push(("home_loading", loading));
    states.push(("home_empty", Harness::new(&[])));
    let mut failed = Harness {
        app: App::new("AWS us-east-1 https://iot.us-east-1.amazonaws.com".into(), None),
        effects: Vec::new(),
        drafts: Vec::new(),
    };
    failed.event(Event::Listed(Err(
        "Could not connect to the endpoint URL: \"https://iot.us-east-1.amazonaws.com\"".into()
    )));
    states.push(("home_error", failed));
    states.push(("home_list", Harness::new(&["Fleet-Baseline", "Gateways", "PossibleIssue", "Sensors-ML"])));
    let mut filtered = Harness::new(&["Fleet-Baseline", "Gateways", "PossibleIssue", "Sensors-ML"]);
    filtered.text("se");
    states.push(("home_filtered", filtered));
    let mut new = Harness::new(&[]);
    new.ctrl('n');
    states.push(("editor_new", new));
    let mut built = Harness::new(&[]);
    build_profile(&mut built);
    built.ctrl('p');
    built.ctrl('p');
    built.ctrl('p');
    states.push(("editor_behaviors", built));
    let mut open = Harness::new(&[]);
    build_profile(&mut open);
    for _ in 0..3 {
        open.ctrl('p');
    }
    open.key(KeyCode::Enter);
    states.push(("behavior_static", open));
    let mut stat = Harness::new(&[]);
    build_profile(&mut stat);
    for _ in 0..3 {
        stat.ctrl('p');
    }
    stat.down(1);
    stat.key(KeyCode::Enter);
    states.push(("behavior_statistical", stat));
    let mut ml = Harness::new(&[]);
    build_profile(&mut ml);
    for _ in 0..3 {
        ml.ctrl('p');
    }
    ml.down(2);
    ml.key(KeyCode::Enter);
    states.push(("behavior_ml", ml));
    let mut picker = Harness::new(&[]);
    picker.ctrl('n');
    picker.ctrl('n');
    picker.key(KeyCode::Char('a'));
    picker.text("tcp");
    states.push(("metric_picker", picker));
    let mut alerts = Harness::new(&[]);
    build_profile(&mut alerts);
    alerts.ctrl('p');
    alerts.ctrl('p');
    states.push(("editor_alert_targets", alerts));
    let mut retained = Harness::new(&[]);
    build_profile(&mut retained);
    retained.ctrl('p');
    states.push(("editor_retained", retained));
    let mut export = Harness::new(&[]);
    build_profile(&mut export);
    states.push(("editor_export", export));
    let mut many = Harness::new(&[]);
    many.ctrl('n');
    many.text("bad name");
    many.down(1);
    many.text("tab\there");
    many.ctrl('n');
    for metric in ["listening-tcp-ports", "num-messages-sent", "source-ip"] {
        many.key(KeyCode::Char('a'));
        many.pick(metric);
        many.down(4);
        many.text("x");
        many.key(KeyCode::Esc);
    }
    states.push(("editor_many_problems", many));
    let mut pane = Harness::new(&[]);
    pane.ctrl('n');
    pane.text("bad name");
    pane.ctrl('n');
    pane.key(KeyCode::Char('a'));
    pane.pick("listening-udp-ports");
    pane.key(KeyCode::F(2));
    states.push(("pane_expanded", pane));
    let mut help = Harness::new(&[]);
    help.ctrl('n');
    help.key(KeyCode::F(1));
    states.push(("editor_help", help));
    let mut confirm = Harness::new(&[]);
    build_profile(&mut confirm);
    confirm.ctrl('s');
    states.push(("confirm_create", confirm));
    states.push(("confirm_update", opened_and_changed()));
    let mut refused = opened_and_changed();
    refused.key(KeyCode::Enter);
    refused.event(Event::Submitted(Err("An error occurred (VersionConflictException) when calling the UpdateSecurityProfile operation: The version for security profile Fleet does not match the expected version (4); the current version is 5.".into())));
    states.push(("confirm_refused", refused));
    let mut sending = opened_and_changed();
    sending.key(KeyCode::Enter);
    states.push(("confirm_submitting", sending));
    let mut offline = opened_and_changed();
    offline.key(KeyCode::Enter);
    offline.event(Event::Submitted(Err(
        "Could not connect to the endpoint URL: \"http://127.0.0.1:7411/security-profiles/Fleet\" (Connection refused)"
            .into(),
    )));
    states.push(("confirm_network_error", offline));
    let mut blocked = Harness::new(&[]);
    blocked.ctrl('n');
    blocked.text("bad name");
    blocked.ctrl('s');
    states.push(("confirm_blocked", blocked));
    let mut done = opened_and_changed();
    done.key(KeyCode::Enter);
    let mut saved = base_profile();
    saved.version = Some(5);
    saved.last_modified_date = Some(1_795_600_000.5);
    done.event(Event::Submitted(Ok(ddsp::tui::action::Submitted {
        name: "Fleet".into(),
        arn: saved.security_profile_arn.clone().unwrap(),
        description: saved,
    })));
    states.push(("result", done));
    let mut delete = Harness::new(&["Fleet-Baseline", "Gateways"]);
    delete.key(KeyCode::Delete);
    delete.text("Fleet-Base");
    states.push(("delete_prompt", delete));
    states.push(("conflict", in_conflict()));
    states.push(("untrusted_home", Harness::new(&[HOSTILE_NAME, "Plain"])));
    states.push(("drafts_offered", with_drafts()));
    for (name, step) in [("setup_connect", 0), ("setup_template", 1), ("setup_name", 2)] {
        states.push((name, in_setup(step)));
    }
    states.push(("untrusted_editor", hostile_opened()));
    let mut hostile_focus = hostile_opened();
    hostile_focus.key(KeyCode::Down);
    states.push(("untrusted_tag_focused", hostile_focus));
    states
}

/// Home with two drafts from an earlier run offered back.
fn with_drafts() -> Harness {
    let mut h = Harness::new(&["Fleet"]);
    let mut editing = Harness::new(&["Fleet"]);
    build_profile(&mut editing);
    let mut first = editing.drafts.last().unwrap().clone();
    first.meta.saved = 1_795_000_000.0;
    first.meta.endpoint = "local sandbox".into();
    let mut opened = opened_and_changed();
    opened.key(KeyCode::Esc);
    let mut second = opened.drafts.last().unwrap().clone();
    second.meta.saved = 1_795_003_600.0;
    second.meta.endpoint = "AWS eu-west-1 https://iot.eu-west-1.amazonaws.com".into();
    h.event(Event::Drafts(vec![second, first]));
    h
}

/// The first-time setup at step 0 (connect), 1 (template) or 2 (name).
fn in_setup(step: usize) -> Harness {
    use ddsp::tui::wizard::{Wizard, choices};
    let mut h = Harness { app: App::new("not connected".into(), None), effects: Vec::new(), drafts: Vec::new() };
    h.app.connected = false;
    let found = [("default".to_owned(), None), ("prod".to_owned(), Some("eu-west-1".to_owned()))];
    let w = Wizard::new(
        choices(&ddsp::client::ConnectOptions::default(), &found, true),
        Default::default(),
        Some("eu-west-1".into()),
    );
    h.app.start_wizard(w);
    if step == 0 {
        h.key(KeyCode::Down);
        h.key(KeyCode::Down);
        return h;
    }
    h.key(KeyCode::Enter);
    assert!(matches!(h.effects.last(), Some(Effect::Connect(o)) if o.sandbox));
    h.event(Event::Connected(Ok("local sandbox".into())));
    h.event(Event::Listed(Ok(Vec::new())));
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    if step == 2 {
        h.key(KeyCode::Enter);
        h.text(" x");
    }
    h
}

/// A name no AWS profile can have, as a hostile or broken server might send it.
const HOSTILE_NAME: &str = "Fleet\u{1b}]52;c;SGVsbG8=\u{7}\u{202e}gnp";
/// ESC, CSI, OSC 52, BEL, C1 CSI, DCS and a bidi override.
const HOSTILE_TEXT: &str = "a\u{1b}[66;66Hb\u{1b}]52;c;SGVsbG8=\u{7}c\u{9b}31md\u{1b}P1$r\u{1b}\\e\u{202e}fed";

/// An opened profile whose description and tags hold escape sequences.
fn hostile_opened() -> Harness {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    let mut base = base_profile();
    base.security_profile_description = Some(HOSTILE_TEXT.into());
    h.event(Event::Opened(Ok((
        base,
        vec![ddsp::domain::profile::Tag { key: HOSTILE_TEXT.into(), value: Some(format!("v{HOSTILE_TEXT}")) }],
    ))));
    h
}

fn base_profile() -> SecurityProfileDescription {
    serde_json::from_value(json!({
        "securityProfileName": "Fleet", "securityProfileArn": "arn:aws:iot:us-east-1:123456789012:securityprofile/Fleet",
        "securityProfileDescription": "The fleet", "version": 4, "creationDate": 1_795_000_000.25, "lastModifiedDate": 1_795_100_000.75,
        "alertTargets": {"SNS": {"alertTargetArn": ARN_TOPIC, "roleArn": ROLE}},
        "behaviors": [
            {"name": "Authorization", "metric": "aws:num-authorization-failures", "criteria": {"comparisonOperator": "greater-than", "value": {"count": 10}, "durationSeconds": 300}},
            {"name": "Ports", "metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [22]}}}
        ]
    }))
    .unwrap()
}

/// An existing profile with a changed threshold and cleared alert targets, on the confirm screen.
fn opened_and_changed() -> Harness {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    h.event(Event::Opened(Ok((base_profile(), Vec::new()))));
    h.ctrl('n'); // Behaviors
    h.key(KeyCode::Enter); // Authorization
    h.down(5); // Name → Metric, Dimension, Criteria, Operator, Value
    h.key(KeyCode::Backspace);
    h.key(KeyCode::Backspace);
    h.text("12");
    h.key(KeyCode::Esc);
    h.ctrl('n'); // Alert targets
    for _ in 0..ARN_TOPIC.len() {
        h.key(KeyCode::Backspace);
    }
    h.down(1);
    for _ in 0..ROLE.len() {
        h.key(KeyCode::Backspace);
    }
    h.ctrl('s');
    h
}

/// The server's copy after another client raised the Ports threshold: version 5.
fn server_moved_on() -> SecurityProfileDescription {
    let mut server = base_profile();
    server.version = Some(5);
    server.security_profile_description = Some("Changed by a colleague".into());
    server
}

/// `opened_and_changed`, submitted, refused with a version conflict, and the server's copy fetched.
fn in_conflict() -> Harness {
    let mut h = opened_and_changed();
    h.key(KeyCode::Enter);
    h.effects.clear();
    h.event(Event::Submitted(Err(
        "An error occurred (VersionConflictException) when calling the UpdateSecurityProfile operation: stale".into(),
    )));
    assert_eq!(h.effects, [Effect::FetchServer("Fleet".into())]);
    h.event(Event::Server(Ok(server_moved_on())));
    h
}

#[test]
fn a_conflict_is_resolved_by_reapplying_both_changes() {
    let mut h = in_conflict();
    assert_eq!(h.app.screen, ddsp::tui::app::Screen::Conflict);
    let conflict = h.app.conflict.clone().unwrap();
    assert_eq!(conflict.theirs, ["~ securityProfileDescription: \"The fleet\" → \"Changed by a colleague\""]);
    assert_eq!(conflict.mine[0], "~ behaviors[Authorization].criteria.value.count: 10 → 12");
    h.key(KeyCode::Char('r'));
    assert_eq!(h.app.screen, ddsp::tui::app::Screen::Editor);
    h.effects.clear();
    h.ctrl('s');
    h.key(KeyCode::Enter);
    let Some(Effect::Submit(submit)) = h.effects.first() else { panic!("{:?}", h.effects) };
    let Submit::Update { update, .. } = submit.as_ref() else { panic!() };
    let sent = serde_json::to_value(update).unwrap();
    assert_eq!(sent["expectedVersion"], 5);
    assert_eq!(sent["securityProfileDescription"], "Changed by a colleague", "their change");
    assert_eq!(sent["behaviors"][0]["criteria"]["value"]["count"], 12, "my change");
    assert_eq!(sent["deleteAlertTargets"], true, "my cleared section");
}

#[test]
fn a_conflict_can_be_overwritten_or_left_for_later() {
    let mut h = in_conflict();
    h.key(KeyCode::Char('o'));
    assert_eq!(h.app.screen, ddsp::tui::app::Screen::Confirm);
    assert!(h.app.confirm.as_ref().unwrap().json.contains("\"expectedVersion\": 5"));
    let mut h = in_conflict();
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, ddsp::tui::app::Screen::Editor);
    let profile = &h.app.editor.as_ref().unwrap().profile;
    assert_eq!(
        serde_json::to_value(profile).unwrap()["behaviors"][0]["criteria"]["value"]["count"],
        12,
        "the edits are kept"
    );
}

#[test]
fn the_update_diff_is_one_line_per_change() {
    let h = opened_and_changed();
    let confirm = h.app.confirm.as_ref().unwrap();
    assert_eq!(confirm.changes[0], "~ behaviors[Authorization].criteria.value.count: 10 → 12");
    assert!(confirm.changes[1].starts_with("- alertTargets:"));
    assert_eq!(confirm.changes.len(), 2);
}

#[test]
fn the_vi_keymap_moves_with_j_and_k_and_filters_after_a_slash() {
    let mut h = Harness::new(&["Alpha", "Beta", "Gamma"]);
    h.app.vi = true;
    h.text("jj");
    assert_eq!(h.app.home.selected, 2);
    h.text("k");
    assert_eq!(h.app.home.selected, 1);
    assert!(h.app.home.filter.is_empty());
    h.text("/ga");
    assert_eq!(h.app.home.filter, "ga");
    assert_eq!(h.app.home.visible().len(), 1);
    // Without vi, letters filter at once.
    let mut plain = Harness::new(&["Alpha", "Beta"]);
    plain.text("j");
    assert_eq!(plain.app.home.filter, "j");
}

#[test]
fn drafts_are_made_by_edits_removed_by_a_submit_and_restored_where_they_were_left() {
    let mut h = Harness::new(&[]);
    h.ctrl('n');
    assert!(h.drafts.is_empty(), "opening an editor is not an edit");
    h.text("Fleet");
    let draft = h.drafts.last().unwrap().clone();
    assert_eq!(draft.request["securityProfileName"], "Fleet");
    assert_eq!(draft.meta.operation, ddsp::drafts::Operation::CreateSecurityProfile);
    h.ctrl('s');
    h.key(KeyCode::Enter);
    let mut saved = base_profile();
    saved.security_profile_name = Some("Fleet".into());
    h.event(Event::Submitted(Ok(ddsp::tui::action::Submitted {
        name: "Fleet".into(),
        arn: saved.security_profile_arn.clone().unwrap(),
        description: saved,
    })));
    assert!(h.effects.contains(&Effect::RemoveDraft(draft.id.clone())), "{:?}", h.effects);

    // An update draft restores with its base: the confirm screen expects its version.
    let mut edited = opened_and_changed();
    edited.key(KeyCode::Esc);
    let update = edited.drafts.last().unwrap().clone();
    assert_eq!(update.request["expectedVersion"], 4);
    assert_eq!(update.request["deleteAlertTargets"], true);
    let mut next = Harness::new(&["Fleet"]);
    next.event(Event::Drafts(vec![update.clone()]));
    assert_eq!(next.app.screen, ddsp::tui::app::Screen::Drafts);
    next.key(KeyCode::Enter);
    let ed = next.app.editor.as_ref().unwrap();
    assert_eq!(ed.draft_id, update.id);
    assert_eq!(ed.base.as_ref().and_then(|b| b.version), Some(4));
    next.ctrl('s');
    let confirm = next.app.confirm.clone().unwrap();
    assert!(confirm.json.contains("\"expectedVersion\": 4"), "{}", confirm.json);
    assert!(confirm.changes.iter().any(|c| c.contains("count: 10 → 12")), "{:?}", confirm.changes);
}

#[test]
fn untrusted_text_reaches_no_cell_raw() {
    for (name, h) in snapshot_states().into_iter().filter(|(n, _)| n.starts_with("untrusted")) {
        for (w, hgt) in [(80, 24), (160, 48)] {
            let screen = h.render(w, hgt);
            for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
                assert!(!screen.contains(bad), "{name} {w}x{hgt} shows {bad:?} raw:\n{screen}");
            }
        }
    }
}

#[test]
fn every_screen_at_80x24_and_160x48() {
    for (name, h) in snapshot_states() {
        insta::assert_snapshot!(format!("{name}_80x24"), h.render(80, 24));
        insta::assert_snapshot!(format!("{name}_160x48"), h.render(160, 48));
    }
}

#[test]
fn an_existing_profile_is_judged_by_the_update_rules() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    h.event(Event::Opened(Ok((base_profile(), Vec::new()))));
    let ed = h.app.editor.as_mut().unwrap();
    // An empty list in an UpdateSecurityProfile clears nothing: only the update rules know it.
    ed.profile.behaviors = Some(Vec::new());
    h.app.revalidate();
    let problems = &h.app.editor.as_ref().unwrap().problems;
    let hit = problems.iter().find(|p| p.rule == ddsp::domain::Rule::EmptyListOnUpdate).expect("update rule");
    assert_eq!(hit.path.to_string(), "behaviors");
    // Tag rules still apply, though tags go through TagResource.
    h.app.editor.as_mut().unwrap().profile.tags =
        Some(vec![ddsp::domain::profile::Tag { key: "aws:reserved".into(), value: None }]);
    h.app.revalidate();
    let problems = &h.app.editor.as_ref().unwrap().problems;
    assert!(problems.iter().any(|p| p.path.to_string() == "tags[0].Key" && p.is_error()), "{problems:#?}");
    // A new profile is a create: the same empty list is no problem there.
    let mut fresh = Harness::new(&[]);
    fresh.ctrl('n');
    fresh.app.editor.as_mut().unwrap().profile.behaviors = Some(Vec::new());
    fresh.app.revalidate();
    assert!(
        !fresh.app.editor.as_ref().unwrap().problems.iter().any(|p| p.rule == ddsp::domain::Rule::EmptyListOnUpdate)
    );
}

#[test]
fn quitting_asks_first_when_the_newest_edit_is_not_on_disk() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    h.event(Event::Opened(Ok((base_profile(), Vec::new()))));
    h.text("x");
    h.event(Event::DraftReport(ddsp::drafts::Report::Failed("No space left on device".into())));
    h.effects.clear();
    h.ctrl('q');
    assert!(!h.effects.contains(&Effect::Quit), "{:?}", h.effects);
    let screen = h.render(80, 24);
    assert!(screen.contains("not saved as a draft") && screen.contains("No space left on device"), "{screen}");
    assert!(screen.contains("w write the request"), "{screen}");
    // `w` writes the request elsewhere, and the prompt says where.
    h.key(KeyCode::Char('w'));
    let Some(Effect::Write { path, json }) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    assert_eq!(path, "Fleet.update.json");
    assert!(json.contains("\"expectedVersion\": 4"), "{json}");
    h.event(Event::Written(Ok(path.clone())));
    assert!(h.render(80, 24).contains("Wrote Fleet.update.json"));
    // Esc goes back to the edits; asked again, `q` quits.
    h.key(KeyCode::Esc);
    assert!(h.app.quit_prompt.is_none() && !h.app.quit);
    h.ctrl('q');
    assert!(h.app.quit_prompt.is_some());
    h.key(KeyCode::Char('q'));
    assert!(h.app.quit && h.effects.last() == Some(&Effect::Quit));
}

#[test]
fn quitting_with_every_edit_on_disk_is_immediate() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    h.event(Event::Opened(Ok((base_profile(), Vec::new()))));
    h.text("x");
    h.effects.clear();
    h.ctrl('q');
    assert_eq!(h.effects, vec![Effect::Quit]);
    // A second Ctrl-Q in the prompt means it, too.
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    h.event(Event::Opened(Ok((base_profile(), Vec::new()))));
    h.event(Event::DraftReport(ddsp::drafts::Report::Failed("read-only file system".into())));
    h.ctrl('c');
    h.ctrl('c');
    assert!(h.app.quit);
}

#[test]
fn a_failed_draft_is_still_asked_about_after_more_typing_and_after_closing_the_editor() {
    use ddsp::drafts::Report;
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    h.event(Event::Opened(Ok((base_profile(), Vec::new()))));
    // From here the writer fails every draft it is handed.
    let failing = |h: &mut Harness, e: Event| {
        let effects = h.app.update(e);
        h.effects.extend(effects);
        if h.app.take_draft().is_some() {
            h.app.update(Event::DraftReport(Report::Failed("No space left on device".into())));
        }
    };
    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let ctrl = |c: char| Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    failing(&mut h, key(KeyCode::Char('x')));
    // More typing starts another save; until one works, the failure stands.
    h.app.update(key(KeyCode::Char('y')));
    failing(&mut h, ctrl('q'));
    assert!(h.app.quit_prompt.is_some() && !h.app.quit);
    failing(&mut h, key(KeyCode::Esc));
    // Closing the editor keeps its draft for the prompt's `w`.
    failing(&mut h, key(KeyCode::Esc));
    assert!(h.app.editor.is_none());
    failing(&mut h, ctrl('q'));
    assert!(h.app.quit_prompt.is_some());
    failing(&mut h, key(KeyCode::Char('w')));
    let Some(Effect::Write { path, json }) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    assert_eq!(path, "Fleet.update.json");
    assert!(json.contains("\"securityProfileName\": \"Fleet\""), "{json}");
    // A save that works clears it: quitting is immediate again.
    h.app.update(key(KeyCode::Esc));
    h.app.update(Event::DraftReport(Report::Saved(std::path::PathBuf::from("/tmp/d.json"))));
    h.app.update(ctrl('q'));
    assert!(h.app.quit);
}

#[test]
fn enter_twice_on_the_confirm_screen_sends_once() {
    let mut h = opened_and_changed();
    h.effects.clear();
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.ctrl('s');
    let submits = h.effects.iter().filter(|e| matches!(e, Effect::Submit(_))).count();
    assert_eq!(submits, 1, "{:?}", h.effects);
    let screen = h.render(80, 24);
    assert!(!screen.contains("Enter submit"), "no submit offered while one is on its way:\n{screen}");
}

#[test]
fn closing_a_behavior_leaves_the_highlight_on_it() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    h.event(Event::Opened(Ok((base_profile(), Vec::new()))));
    h.ctrl('n'); // Behaviors: Authorization, Ports
    h.down(1);
    h.key(KeyCode::Enter); // open Ports
    h.down(3); // a field further down the form
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('d'));
    let left: Vec<String> =
        h.app.editor.as_ref().unwrap().profile.behaviors.iter().flatten().map(|b| b.name.clone()).collect();
    assert_eq!(left, ["Authorization"], "the behavior just closed is the one deleted");
}
