//! The editor's chart of a behavior (F4) and the violations view (F4 on
//! Home), one transition at a time, without a terminal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use crossterm::event::KeyCode;
use ddsp::domain::metric_data::{MetricData, MetricKey, Series};
use ddsp::tui::message::{ChartData, Effect, Event, Violations};
use harness::{Harness, opened};
use serde_json::json;

/// 288 five-minute windows for three things: `calm` stays at 2, `noisy`
/// reaches 50 for six windows, `twitchy` 20 for three.
fn fleet() -> MetricData {
    let key = MetricKey::plain("aws:num-authorization-failures");
    let mut data = MetricData::default();
    for (thing, high, from, len) in [("calm", 2.0, 0, 0), ("noisy", 50.0, 100, 6), ("twitchy", 20.0, 200, 3)] {
        let times: Vec<i64> = (0..288).map(|i| 1_795_000_000 + i * 300).collect();
        let numbers = (0..288).map(|i| if (from..from + len).contains(&i) { high } else { 2.0 }).collect();
        data.insert(key.clone(), Series { thing: thing.into(), times, numbers, others: Vec::new() });
    }
    data
}

fn chart_opened() -> Harness {
    let mut h = opened();
    h.ctrl('n'); // Behaviors
    h.key(KeyCode::Enter); // Authorization: alarm when failures > 10 in 5 minutes
    h.key(KeyCode::F(4));
    let id = match h.effects.iter().rev().find(|e| matches!(e, Effect::LoadChart { .. })) {
        Some(Effect::LoadChart { id, key, .. }) => {
            assert_eq!(key.metric, "aws:num-authorization-failures");
            *id
        }
        other => panic!("{other:?}"),
    };
    assert!(h.render(80, 24).contains("Reading 14 days of authorization failures"));
    h.event(Event::ChartData {
        id,
        result: Ok(ChartData { data: fleet(), things: 3, capped: false, horizon: 1_796_000_000 }),
    });
    h
}

#[test]
fn the_chart_marks_the_windows_that_would_alarm_and_follows_the_threshold_as_typed() {
    let mut h = chart_opened();
    let screen = h.render(80, 24);
    assert!(screen.contains("fleet p50 p90 p99 · 3 things · F5 one thing"), "{screen}");
    assert!(screen.contains("▲ 2 alarms on 2 things"), "{screen}");
    assert!(screen.contains('▲') && screen.lines().count() == 24, "{screen}");
    // Raise the threshold to 30: only noisy's 50 is above it.
    h.down(5);
    h.ctrl('u');
    h.text("30");
    let screen = h.render(80, 24);
    assert!(screen.contains("alarm when authorization failures > 30"), "{screen}");
    assert!(screen.contains("▲ 1 alarm on 1 thing"), "{screen}");
    // One thing at a time, those that alarm first, then the fleet again.
    h.key(KeyCode::F(5));
    let screen = h.render(120, 40);
    assert!(screen.contains("noisy · 1 alarm · 1 of 3 · F5 next"), "{screen}");
    assert!(screen.contains("▲ 1 alarm on 1 thing"), "{screen}");
    h.key(KeyCode::F(5));
    assert!(h.render(80, 24).contains("calm · no alarm · 2 of 3 · F5 next"));
    h.key(KeyCode::F(5));
    assert!(h.render(80, 24).contains("twitchy · no alarm · 3 of 3"));
    h.key(KeyCode::F(5));
    assert!(h.render(80, 24).contains("fleet p50 p90 p99"));
    // F4 again: the chart goes, the form has its rows back.
    h.key(KeyCode::F(4));
    assert!(!h.render(80, 24).contains('▲'));
}

#[test]
fn at_80x24_the_form_folds_for_the_chart_whose_axis_and_lines_are_named_without_colour() {
    let mut h = chart_opened();
    h.app.cx.color = false;
    let screen = h.render(80, 24);
    // The fields fold to three rows (the focused one among them); the plot gets the rest.
    assert!(screen.contains("Name") && !screen.contains("Datapoints to clear"), "{screen}");
    let axis: Vec<&str> = screen.lines().filter(|l| l.contains('┤')).collect();
    assert_eq!(axis.len(), 3, "top, middle and 0: {screen}");
    assert!(axis[0].contains("100┤") && axis[1].contains("50┤") && axis[2].contains("0┤"), "{screen}");
    let top = screen.lines().position(|l| l.contains("100┤")).unwrap();
    let zero = screen.lines().position(|l| l.contains(" 0┤")).unwrap();
    assert!(zero - top >= 9, "at least ten plot rows at 80x24: {screen}");
    for name in ["◂p50", "◂p90", "◂p99"] {
        assert!(screen.contains(name), "{name} named at its line's end: {screen}");
    }
    // Moving down keeps the focused row in view.
    h.down(5);
    assert!(h.render(80, 24).contains("Value (count)"));
    // With room, the fields stay whole above the chart.
    assert!(h.render(120, 40).contains("Datapoints to clear"));
}

#[test]
fn without_braille_glyphs_the_chart_is_drawn_in_half_blocks() {
    let mut h = chart_opened();
    let braille = |s: &str| s.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c));
    assert!(braille(&h.render(80, 24)));
    h.app.cx.braille = false;
    let screen = h.render(80, 24);
    assert!(!braille(&screen), "{screen}");
    assert!(screen.contains('▄') || screen.contains('▀') || screen.contains('█'), "{screen}");
    assert!(screen.contains("◄p99"), "{screen}");
    // The threshold is a row of ─, told apart from the blocks of the data.
    assert!(screen.lines().any(|l| l.matches('─').count() > 20), "{screen}");
}

/// The value row's text on the screen.
fn value_row(screen: &str) -> String {
    let line = screen.lines().find(|l| l.contains("Value (count)")).unwrap_or_default();
    line.split("Value (count)")
        .nth(1)
        .unwrap_or_default()
        .trim_matches(|c: char| c == '"' || c.is_whitespace())
        .to_owned()
}

#[test]
fn f6_tunes_the_value_to_the_alarm_budget_as_one_undoable_edit() {
    // At 120x40 the form stays whole above the chart, so the value row is in view.
    let mut h = chart_opened();
    assert!(h.render(120, 40).contains("· F6 tunes to 1/week"));
    // One alarm a week over the 14 days read allows 2: noisy's and twitchy's.
    // Below 2, calm's steady 2s would alarm too.
    h.key(KeyCode::F(6));
    let screen = h.render(120, 40);
    assert_eq!(value_row(&screen), "2", "{screen}");
    assert!(h.status().contains("Tuned to 2: 2 alarms on 2 things in 14 days, budget 1/week"), "{}", h.status());
    // A smaller budget (F7): half an alarm a week allows 1, so twitchy's 20 must be normal.
    h.key(KeyCode::F(7));
    let screen = h.render(120, 40);
    assert_eq!(value_row(&screen), "20", "{screen}");
    assert!(screen.contains("▲ 1 alarm on 1 thing · F6 tunes to 0.5/week"), "{screen}");
    // Each tune is one undoable edit.
    h.alt('u');
    assert_eq!(value_row(&h.render(120, 40)), "2");
    // No alarm at all: above noisy's 50.
    h.key(KeyCode::F(7));
    h.key(KeyCode::F(7));
    let screen = h.render(120, 40);
    assert_eq!(value_row(&screen), "50", "{screen}");
    assert!(screen.contains("no window would alarm"), "{screen}");
    h.key(KeyCode::F(6));
    assert!(h.status().contains("Already tuned for no alarm"), "{}", h.status());
}

#[test]
fn the_chart_says_why_it_has_nothing_to_draw() {
    let mut h = opened();
    h.key(KeyCode::F(4));
    assert!(h.status().contains("Open a behavior"), "{}", h.status());
    h.ctrl('n');
    h.key(KeyCode::Enter);
    h.key(KeyCode::F(4));
    let Some(Effect::LoadChart { id, .. }) = h.effects.last().cloned() else { panic!() };
    h.event(Event::ChartData {
        id,
        result: Ok(ChartData { data: MetricData::default(), things: 7, capped: false, horizon: 1_796_000_000 }),
    });
    let screen = h.render(80, 24);
    assert!(screen.contains("No authorization failures data for the 7 things"), "{screen}");
}

#[test]
fn a_list_metric_is_not_drawn_but_its_alarms_are_counted() {
    let mut h = opened();
    h.ctrl('n');
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter); // Ports: not-in-port-set [22]
    h.key(KeyCode::F(4));
    let Some(Effect::LoadChart { id, key, .. }) = h.effects.last().cloned() else { panic!() };
    let mut data = MetricData::default();
    let ports = |p: Vec<i64>| ddsp::domain::metric_data::Reported::Ports(p);
    let others = vec![ports(vec![443]), ports(vec![22, 443]), ports(vec![443])];
    data.insert(key, Series { thing: "gate".into(), times: vec![0, 300, 600], numbers: Vec::new(), others });
    h.event(Event::ChartData { id, result: Ok(ChartData { data, things: 1, capped: false, horizon: 1_796_000_000 }) });
    let screen = h.render(80, 24);
    assert!(screen.contains("is a list metric"), "{screen}");
    assert!(screen.contains("1 alarm on 1 thing"), "{screen}");
    // A deny-list is not tuned: the data cannot say what must never be seen.
    h.key(KeyCode::F(6));
    assert!(h.status().contains("a deny-list names what must never be seen"), "{}", h.status());
}

fn violations_opened() -> Harness {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::F(4));
    let id = match h.effects.last() {
        Some(Effect::LoadViolations { id, profile }) => {
            assert_eq!(profile, "Fleet");
            *id
        }
        other => panic!("{other:?}"),
    };
    let active = vec![
        json!({"violationId": "v2", "thingName": "sensor-9", "securityProfileName": "Fleet",
               "behavior": {"name": "Ports"}, "lastViolationValue": {"ports": [22, 4444]},
               "violationStartTime": 1_795_000_000.0, "lastViolationTime": 1_795_000_900.0}),
        json!({"violationId": "v1", "thingName": "sensor-1", "securityProfileName": "Fleet",
               "behavior": {"name": "Authorization", "metric": "aws:num-authorization-failures"},
               "lastViolationValue": {"count": 40},
               "violationStartTime": 1_795_000_300.0, "lastViolationTime": 1_795_000_600.0,
               "verificationState": "TRUE_POSITIVE"}),
    ];
    let models = vec![json!({"securityProfileName": "Fleet", "behaviorName": "Model", "modelStatus": "PENDING_BUILD",
                             "datapointsCollectionPercentage": 42.5})];
    h.event(Event::Violations { id, result: Ok(Violations { active, models }) });
    h
}

#[test]
fn the_violations_view_lists_by_behavior_and_sets_a_verification_state() {
    let mut h = violations_opened();
    let screen = h.render(80, 24);
    assert!(screen.contains("violations of Fleet") && screen.contains("2 active violations"), "{screen}");
    let auth = screen.lines().position(|l| l.contains("sensor-1")).unwrap();
    let ports = screen.lines().position(|l| l.contains("sensor-9")).unwrap();
    assert!(auth < ports, "by behavior: Authorization before Ports\n{screen}");
    assert!(screen.contains("TRUE_POSITIVE") && screen.contains("22, 4444"), "{screen}");
    // "Since" carries its year, and a count its metric's unit.
    assert!(screen.contains("2026-11-18 "), "{screen}");
    assert!(screen.contains("40 failures"), "{screen}");
    assert!(screen.contains("Model: PENDING_BUILD · 42% of its data"), "{screen}");
    // Enter on sensor-1: the list of states starts at its own (TRUE_POSITIVE); Up, Enter marks it BENIGN_POSITIVE.
    h.key(KeyCode::Enter);
    let choosing = h.render(80, 24);
    assert!(choosing.contains("Mark the highlighted violation"));
    // The hint bar follows the chooser: its own keys, not the list's.
    let hints = choosing.lines().rev().nth(1).unwrap_or_default();
    assert!(hints.contains("save") && hints.contains("cancel") && !hints.contains("refresh"), "{hints}");
    h.key(KeyCode::Up);
    // A description is typed beside the state (`?` and `j` are the text's here).
    h.text("lab test rig? just");
    h.key(KeyCode::Backspace);
    assert!(h.render(80, 24).contains("Description (optional, type it): lab test rig? jus▏"));
    h.key(KeyCode::Enter);
    let put = match h.effects.last() {
        Some(Effect::PutVerification { id, violation_id, state, description }) => {
            assert_eq!((violation_id.as_str(), state.as_str()), ("v1", "BENIGN_POSITIVE"));
            assert_eq!(description.as_deref(), Some("lab test rig? jus"));
            *id
        }
        other => panic!("{other:?}"),
    };
    h.event(Event::Verified { id: put, result: Ok(()) });
    assert!(matches!(h.effects.last(), Some(Effect::LoadViolations { .. })), "read again to show it");
    assert!(h.status().contains("Verification state saved"));
    // Read again with the description: it shows under the table, and the chooser starts from it.
    let id = h.pending(ddsp::tui::requests::Wait::Violations);
    let mut active = vec![json!({"violationId": "v1", "thingName": "sensor-1", "securityProfileName": "Fleet",
        "behavior": {"name": "Authorization", "metric": "aws:num-authorization-failures"},
        "lastViolationValue": {"count": 40}, "violationStartTime": 1_795_000_300.0,
        "verificationState": "BENIGN_POSITIVE", "verificationStateDescription": "lab test rig? jus"})];
    h.event(Event::Violations {
        id,
        result: Ok(Violations { active: std::mem::take(&mut active), models: Vec::new() }),
    });
    assert!(h.render(80, 24).contains("Marked BENIGN_POSITIVE: lab test rig? jus"));
    h.key(KeyCode::Enter);
    h.ctrl('u');
    assert!(h.render(80, 24).contains("Description (optional, type it): ▏"));
    h.key(KeyCode::Esc);
    h.key(KeyCode::Esc);
    assert_eq!(h.kind(), ddsp::tui::app::Kind::Home);
}

#[test]
fn read_only_mode_sends_no_verification_state() {
    let mut h = violations_opened();
    h.app.cx.read_only = true;
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::PutVerification { .. })));
    assert!(h.status().contains("read-only"), "{}", h.status());
}

#[test]
fn an_open_violations_view_reads_again_by_itself_and_keeps_its_place() {
    let mut h = violations_opened();
    h.key(KeyCode::Down);
    let wake = h.app.wake_at().expect("an open view wakes the loop to read again");
    assert!(wake > h.app.cx.now, "not at once");
    // The harness lets a second pass before each event.
    h.app.cx.now = wake - 1.5;
    let before = h.effects.len();
    h.event(Event::Tick);
    assert!(!h.effects[before..].iter().any(|e| matches!(e, Effect::LoadViolations { .. })), "not before its time");
    h.app.cx.now = wake - 1.0;
    h.event(Event::Tick);
    let id = match h.effects.last() {
        Some(Effect::LoadViolations { id, profile }) => {
            assert_eq!(profile, "Fleet");
            *id
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(h.app.wake_at(), None, "one reading on its way at a time");
    // sensor-9 is highlighted; sensor-4's violation arrives, sorted above it.
    let v = |id: &str, thing: &str, behavior: &str| {
        json!({"violationId": id, "thingName": thing, "securityProfileName": "Fleet",
            "behavior": {"name": behavior}, "lastViolationValue": {"ports": [4444]},
            "violationStartTime": 1_795_001_000.0, "lastViolationTime": 1_795_001_000.0})
    };
    let active = vec![v("v1", "sensor-1", "Authorization"), v("v2", "sensor-9", "Ports"), v("v3", "sensor-4", "Ports")];
    h.app.cx.now = 1_796_678_412.0; // the harness lets a second pass
    h.event(Event::Violations { id, result: Ok(Violations { active, models: Vec::new() }) });
    let screen = h.render(80, 24);
    assert!(screen.contains("+Ports         sensor-4"), "the new violation is shown, marked new:\n{screen}");
    assert!(screen.contains("3 active violations · 1 arrived (+) · read 21:20:13 UTC"), "{screen}");
    // The highlight stayed on sensor-9 although a row came above it: Space chooses sensor-9's.
    h.key(KeyCode::Char(' '));
    assert!(h.render(80, 24).contains("*Ports         sensor-9"), "{}", h.render(80, 24));
    h.key(KeyCode::Char(' '));
    assert!(h.app.wake_at().is_some(), "and the next reading is due");
    // A reading that fails changes nothing it knew: the next one still counts from the last
    // (sensor-1's violation has ended, two more arrived) and still highlights sensor-9,
    // now fourth where it was third.
    h.ctrl('r');
    let id = h.pending(ddsp::tui::requests::Wait::Violations);
    h.event(Event::Violations { id, result: Err(ddsp::client::ClientError::Request("throttled".into())) });
    h.ctrl('r');
    let id = h.pending(ddsp::tui::requests::Wait::Violations);
    let active = vec![
        v("v2", "sensor-9", "Ports"),
        v("v3", "sensor-4", "Ports"),
        v("v5", "sensor-6", "Ports"),
        v("v6", "sensor-7", "Ports"),
    ];
    h.event(Event::Violations { id, result: Ok(Violations { active, models: Vec::new() }) });
    assert!(h.render(80, 24).contains("4 active violations · 3 arrived (+) · 1 ended · read"), "{}", h.render(80, 24));
    // Enter, Enter marks sensor-9's.
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    let put = match h.effects.last() {
        Some(Effect::PutVerification { id, violation_id, .. }) if violation_id == "v2" => *id,
        other => panic!("{other:?}"),
    };
    // Saved, the list is read again: sensor-9's violation has ended meanwhile, and the status says so.
    h.event(Event::Verified { id: put, result: Ok(()) });
    let id = h.pending(ddsp::tui::requests::Wait::Violations);
    let active = vec![v("v3", "sensor-4", "Ports"), v("v5", "sensor-6", "Ports")];
    h.event(Event::Violations { id, result: Ok(Violations { active, models: Vec::new() }) });
    assert!(h.status().contains("The highlighted violation ended: Ports on sensor-9"), "{}", h.status());
    assert!(h.render(80, 24).contains("2 active violations · 3 arrived (+) · 3 ended"), "{}", h.render(80, 24));
}

#[test]
fn a_chart_of_a_local_endpoint_follows_new_data_and_one_of_aws_does_not() {
    let mut h = chart_opened();
    assert_eq!(h.app.wake_at(), None, "the harness's endpoint is AWS's: no following");
    h.app.cx.destination = Some(ddsp::wire::destination::Destination {
        label: "local sandbox".into(),
        endpoint: "http://127.0.0.1:7411".into(),
        region: "us-east-1".into(),
        profile: None,
        keys: None,
        while_running: false,
    });
    let wake = h.app.wake_at().expect("a local chart reads again");
    h.app.cx.now = wake - 1.0;
    h.event(Event::Tick);
    assert!(matches!(h.effects.last(), Some(Effect::LoadChart { .. })), "{:?}", h.effects.last());
    assert!(h.render(80, 24).contains("▲"), "what is shown stays while the new data comes");
}

/// The LoadAlerts asked for last: its id and violation.
fn alerts_asked(h: &Harness) -> (ddsp::tui::message::RequestId, String) {
    match h.effects.iter().rev().find(|e| matches!(e, Effect::LoadAlerts { .. })) {
        Some(Effect::LoadAlerts { id, violation_id }) => (*id, violation_id.clone()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_violations_view_shows_the_alerts_sent_for_the_highlighted_violation() {
    let mut h = violations_opened();
    let (id, violation_id) = alerts_asked(&h);
    assert_eq!(violation_id, "v1", "the highlighted one's");
    assert!(h.render(80, 24).contains("Alerts: reading…"));
    let alert = |kind: &str, t: f64, delivery: &str| {
        json!({"alertId": 1, "topicArn": "arn:aws:sns:us-east-1:123456789012:fleet-alerts", "violationId": "v1",
               "violationEventType": kind, "violationEventTime": t, "delivery": {"status": delivery, "attempts": 1}})
    };
    let alerts =
        vec![alert("in-alarm", 1_795_000_300.0, "DELIVERED"), alert("alarm-cleared", 1_795_000_900.0, "FAILED")];
    h.event(Event::Alerts { id, violation_id, result: Ok(alerts) });
    let screen = h.render(80, 24);
    assert!(screen.contains("Alerts sent for this violation (2):"), "{screen}");
    assert!(screen.contains("in-alarm") && screen.contains("→ fleet-alerts · DELIVERED"), "{screen}");
    assert!(screen.contains("alarm-cleared") && screen.contains("FAILED"), "{screen}");
    // The next one's are read when it is highlighted; from AWS, the view says why there are none, once.
    h.key(KeyCode::Down);
    let (id, violation_id) = alerts_asked(&h);
    assert_eq!(violation_id, "v2");
    let why = "http://x is not a ddsp sandbox: only the sandbox keeps the alerts it sends (AWS sends them to SNS only)";
    h.event(Event::Alerts { id, violation_id, result: Err(ddsp::client::ClientError::Request(why.into())) });
    assert!(h.render(120, 24).contains("Alerts: http://x is not a ddsp sandbox"));
    let asked = h.effects.iter().filter(|e| matches!(e, Effect::LoadAlerts { .. })).count();
    h.key(KeyCode::Up);
    assert_eq!(h.effects.iter().filter(|e| matches!(e, Effect::LoadAlerts { .. })).count(), asked, "asked once");
}

/// The actions the endpoint has: `quarantine` moves things into a group.
fn actions_answered(h: &mut Harness) {
    let id = match h.effects.last() {
        Some(Effect::LoadMitigationActions(id)) => *id,
        other => panic!("{other:?}"),
    };
    let quarantine = json!({"actionName": "quarantine", "actionType": "ADD_THINGS_TO_THING_GROUP",
        "roleArn": "arn:aws:iam::123456789012:role/dd-mitigation",
        "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": ["quarantine"]}}});
    h.event(Event::MitigationActions { id, result: Ok(vec![quarantine]) });
}

#[test]
fn a_mitigation_task_starts_on_the_chosen_violations_and_lists_each_execution() {
    let mut h = violations_opened();
    h.key(KeyCode::Char(' '));
    h.key(KeyCode::Down);
    h.key(KeyCode::Char(' '));
    let screen = h.render(80, 24);
    assert_eq!(
        screen.lines().filter(|l| l.trim_start_matches('"').starts_with('*')).count(),
        2,
        "both chosen\n{screen}"
    );
    h.key(KeyCode::Char('m'));
    actions_answered(&mut h);
    let screen = h.render(80, 24);
    assert!(
        screen.contains("Mitigate 2 violations") && screen.contains("quarantine · moves the things into quarantine"),
        "{screen}"
    );
    h.key(KeyCode::Enter);
    // The request as it will be sent, before anything is: the things named, the JSON scrolled at 80x24.
    let review = h.render(80, 40);
    assert!(review.contains("\"violationIds\"") && review.contains("\"v1\"") && review.contains("\"v2\""), "{review}");
    let small = h.render(80, 24);
    assert!(small.contains("On sensor-1 (Authorization), sensor-9 (Ports)."), "{small}");
    assert!(!small.contains("clientRequestToken"), "not all of it fits: {small}");
    h.down(8);
    assert!(h.render(80, 24).contains("clientRequestToken"), "scrolled: {}", h.render(80, 24));
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::StartMitigation { .. })));
    // Esc goes back one step, to the actions; Enter comes back to the request.
    h.key(KeyCode::Esc);
    assert!(h.render(80, 24).contains("Which action"), "{}", h.render(80, 24));
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    let id = match h.effects.last() {
        Some(Effect::StartMitigation { id, create, task_id, request }) => {
            assert!(create.is_none() && task_id.starts_with("ddsp-"));
            assert_eq!(request.actions.as_deref(), Some(&["quarantine".to_owned()][..]));
            let ids = request.target.as_ref().and_then(|t| t.violation_ids.clone()).unwrap();
            assert_eq!(ids, ["v1", "v2"]);
            *id
        }
        other => panic!("{other:?}"),
    };
    let execution = |thing: &str, status: &str, message: &str| json!({"thingName": thing, "status": status, "message": message, "actionName": "quarantine"});
    let executions = vec![
        execution("sensor-1", "SUCCESSFUL", "sensor-1 added to quarantine"),
        execution("sensor-9", "FAILED", "sensor-9 is not a registered thing"),
    ];
    h.event(Event::Mitigated { id, result: Ok(executions) });
    let screen = h.render(80, 24);
    assert!(screen.contains("2 executions") && screen.contains("sensor-1 added to quarantine"), "{screen}");
    assert!(screen.contains("FAILED") && screen.contains("not a registered thing"), "{screen}");
    h.key(KeyCode::Esc);
    assert!(matches!(h.effects.last(), Some(Effect::LoadViolations { .. })), "read again after a task ran");
    assert!(!h.render(80, 24).lines().any(|l| l.trim_start_matches('"').starts_with('*')), "the choice is done with");
}

#[test]
fn a_mitigation_action_is_made_in_place_and_judged_before_it_is_sent() {
    let mut h = violations_opened();
    h.key(KeyCode::Char('m'));
    actions_answered(&mut h);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    let screen = h.render(80, 24);
    assert!(screen.contains("Mitigate sensor-1 (Authorization)") && screen.contains("A new action"), "{screen}");
    assert!(screen.contains("role/dd-mitigation"), "the role other actions use, offered: {screen}");
    h.text("isolation");
    h.key(KeyCode::Tab);
    h.ctrl('u');
    h.text("short");
    h.key(KeyCode::Enter);
    assert!(h.render(80, 24).contains("roleArn is 5 characters long"), "{}", h.render(80, 24));
    h.ctrl('u');
    h.text("arn:aws:iam::123456789012:role/dd-isolate");
    h.key(KeyCode::Enter);
    let review = h.render(80, 40);
    assert!(review.contains("CreateMitigationAction first") && review.contains("move-to-isolation"), "{review}");
    // Esc goes back to the form, as typed.
    h.key(KeyCode::Esc);
    assert!(h.render(80, 24).contains("Thing group  isolation"), "{}", h.render(80, 24));
    h.key(KeyCode::Enter);
    // Read-only: nothing is sent.
    h.app.cx.read_only = true;
    h.key(KeyCode::Enter);
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::StartMitigation { .. })));
    h.app.cx.read_only = false;
    h.key(KeyCode::Enter);
    match h.effects.last() {
        Some(Effect::StartMitigation { create: Some(a), .. }) => {
            assert_eq!(
                (a.name.as_str(), a.role_arn.as_str()),
                ("move-to-isolation", "arn:aws:iam::123456789012:role/dd-isolate")
            );
            let groups = a.params.add_things_to_thing_group.as_ref().and_then(|p| p.thing_group_names.clone());
            assert_eq!(groups.unwrap(), ["isolation"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_confirm_screen_counts_the_alerts_a_profile_would_have_sent() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    let id = match h.effects.last() {
        Some(Effect::Open { id, .. }) => *id,
        other => panic!("{other:?}"),
    };
    let group = "arn:aws:iot:us-east-1:123456789012:thinggroup/fleet".to_owned();
    h.event(Event::Opened { id, result: Ok((harness::base_profile(), Vec::new(), vec![group])) });
    h.ctrl('s');
    let id = match h.effects.last() {
        Some(Effect::CountAlerts { id, behaviors, targets }) => {
            assert_eq!((behaviors.len(), targets.len()), (2, 1));
            *id
        }
        other => panic!("{other:?}"),
    };
    assert!(h.render(100, 24).contains("Alerts: counting what its alert target would have received"));
    let volume = ddsp::domain::alerts::AlertVolume { messages: 33, busiest_day: Some((1_795_046_400, 6)) };
    h.event(Event::AlertVolume { id, result: Ok(Some(volume)) });
    let screen = h.render(120, 24);
    assert!(
        screen.contains("Alerts: 33 messages to its alert target over the endpoint's last 14 days of data (busiest day 2026-11-19 with 6)"),
        "{screen}"
    );
}

#[test]
fn an_action_made_in_place_warns_of_a_missing_group_and_an_existing_one_is_used() {
    let mut h = violations_opened();
    h.app.cx.thing_groups =
        vec![("quarantine".into(), "arn:aws:iot:us-east-1:123456789012:thinggroup/quarantine".into())];
    h.key(KeyCode::Char('m'));
    actions_answered(&mut h);
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.text("isolation");
    h.key(KeyCode::Enter);
    let review = h.render(100, 40);
    assert!(
        review.contains("The endpoint has no thing group isolation: each execution fails until it exists"),
        "{review}"
    );
    // An action of the name it would make is used, not made again.
    h.key(KeyCode::Esc); // to the form
    h.key(KeyCode::Esc); // to the actions
    h.key(KeyCode::Esc); // closed
    h.key(KeyCode::Char('m'));
    let id = match h.effects.last() {
        Some(Effect::LoadMitigationActions(id)) => *id,
        other => panic!("{other:?}"),
    };
    let existing = json!({"actionName": "move-to-isolation", "actionType": "ADD_THINGS_TO_THING_GROUP",
        "roleArn": "arn:aws:iam::123456789012:role/dd", "actionParams": {"addThingsToThingGroupParams": {"thingGroupNames": ["isolation"]}}});
    h.event(Event::MitigationActions { id, result: Ok(vec![existing]) });
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    h.text("isolation");
    h.key(KeyCode::Enter);
    assert!(h.render(100, 40).contains("Action move-to-isolation exists already"), "{}", h.render(100, 40));
    h.key(KeyCode::Enter);
    match h.effects.last() {
        Some(Effect::StartMitigation { create: None, request, .. }) => {
            assert_eq!(request.actions.as_deref(), Some(&["move-to-isolation".to_owned()][..]));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_violation_says_what_the_sandbox_does_not_evaluate_and_wraps_at_80_columns() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::F(4));
    let Some(Effect::LoadViolations { id, .. }) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    h.event(Event::Violations { id, result: Ok(Violations { active: Vec::new(), models: Vec::new() }) });
    let screen = h.render(80, 24);
    assert!(screen.contains("No active violations"), "{screen}");
    assert!(!screen.contains("ML Detect"), "the harness's endpoint is AWS's, which evaluates them:\n{screen}");
    h.app.cx.destination = Some(ddsp::wire::destination::Destination {
        label: "local sandbox".into(),
        endpoint: "http://127.0.0.1:7411".into(),
        region: "us-east-1".into(),
        profile: None,
        keys: None,
        while_running: false,
    });
    let screen = h.render(80, 24);
    // Wrapped, not cut: read as one text, the sentence is whole.
    let words = screen.lines().map(|l| l.trim_matches(['"', ' '])).collect::<Vec<_>>().join(" ");
    assert!(words.contains("does not evaluate ML Detect behaviors; only AWS's models do.)"), "{screen}");
}

#[test]
fn a_long_behavior_name_takes_the_room_the_verified_column_does_not_need() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::F(4));
    let Some(Effect::LoadViolations { id, .. }) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    let active = vec![json!({"violationId": "v1", "thingName": "demo-device-031", "securityProfileName": "Fleet",
        "behavior": {"name": "ListeningPorts"}, "lastViolationValue": {"ports": [22, 443, 4444]},
        "violationStartTime": 1_795_000_000.0, "lastViolationTime": 1_795_000_900.0})];
    h.event(Event::Violations { id, result: Ok(Violations { active, models: Vec::new() }) });
    let screen = h.render(80, 24);
    assert!(screen.contains("ListeningPorts demo-device-031"), "{screen}");
}
