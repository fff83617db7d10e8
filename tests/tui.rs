//! The editor without a terminal: whole flows through `App::update` (the
//! effects it returns are checked, not run), and every screen rendered on
//! ratatui's TestBackend at 80x24 and 160x48 as insta snapshots, one test
//! per screen.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use crossterm::event::KeyCode;
use ddsp::tui::app::Kind;
use ddsp::tui::message::{Effect, Event};
use ddsp::tui::screens::editor::rows::{BehaviorField, FieldId};
use ddsp::wire::change::Submit;
use harness::*;
use serde_json::json;

#[test]
fn a_profile_built_with_the_keyboard_is_the_expected_request() {
    let mut h = Harness::new(&[]);
    build_profile(&mut h);
    let problems = &h.editor().problems;
    assert!(problems.iter().all(|p| !p.is_error()), "{problems:#?}");
    h.effects.clear();
    h.ctrl('s');
    assert_eq!(h.kind(), Kind::Confirm);
    assert!(h.effects.is_empty(), "nothing is sent before the confirm screen");
    h.key(KeyCode::Enter);
    let (_, Submit::Create(profile)) = h.submit() else { panic!("not a create") };
    let expected = json!({
        "securityProfileName": "Fleet-Baseline",
        "securityProfileDescription": "Watches the fleet",
        "behaviors": [
            {"name": "behavior-1", "metric": "aws:num-messages-sent",
             "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 100}, "durationSeconds": 300}},
            {"name": "behavior-2", "metric": "aws:all-bytes-out",
             "criteria": {"comparisonOperator": "less-than-equals", "durationSeconds": 300, "statisticalThreshold": {"statistic": "p90"}}},
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
    h.new_profile();
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
    assert!(h.status().contains("1 error blocks submission"), "{}", h.status());
    let ed = h.editor();
    assert!(ed.pane.focused);
    assert_eq!(ed.problems[0].path.to_string(), "behaviors[0].criteria.value.ports[1]");
    h.key(KeyCode::Enter);
    let ed = h.editor();
    assert_eq!(ed.open, Some(0));
    assert_eq!(ed.focused().unwrap().id, FieldId::Of(0, BehaviorField::Value));
    // Fixing the value clears the problem as it is typed, and the stale status with it.
    h.backspace(5);
    h.text("8883");
    assert_eq!(h.editor().errors(), 0);
    assert!(h.status().is_empty(), "the blocked message goes with its cause: {}", h.status());
    // Text that does not parse is kept and reported at its item.
    h.text("x");
    assert_eq!(h.editor().problems[0].path.to_string(), "behaviors[0].criteria.value.ports[1]");
    assert!(h.render(80, 24).contains("22, 8883x"));
}

#[test]
fn existing_profiles_update_with_their_version_and_delete_flags() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    assert!(matches!(h.effects.last(), Some(Effect::Open { name, .. }) if name == "Fleet"));
    let base: ddsp::wire::response::SecurityProfileDescription = serde_json::from_value(json!({
        "securityProfileName": "Fleet", "securityProfileArn": "arn:aws:iot:us-east-1:123456789012:securityprofile/Fleet",
        "version": 4, "alertTargets": {"SNS": {"alertTargetArn": ARN_TOPIC, "roleArn": ROLE}},
        "behaviors": [{"name": "b", "metric": "aws:num-disconnects", "criteria": {"comparisonOperator": "less-than-equals", "value": {"count": 3}, "durationSeconds": 300}}]
    }))
    .unwrap();
    h.opened(base, vec![ddsp::domain::profile::Tag { key: "team".into(), value: Some("iot".into()) }]);
    assert!(h.render(80, 24).contains("version 4"));
    h.ctrl('n');
    h.ctrl('n'); // Alert targets: clear both fields
    h.backspace(ARN_TOPIC.len());
    h.down(1);
    h.backspace(ROLE.len());
    h.effects.clear();
    h.ctrl('s');
    let ddsp::tui::app::Screen::Confirm(confirm) = &h.app.screen else { panic!() };
    assert_eq!(confirm.changes.len(), 1);
    assert!(confirm.changes[0].starts_with("- alertTargets: {\"SNS\""), "{:?}", confirm.changes);
    let json = confirm.json.clone();
    assert!(json.contains("\"deleteAlertTargets\": true") && json.contains("\"expectedVersion\": 4"), "{json}");
    h.key(KeyCode::Enter);
    let (_, Submit::Update { update, tag, untag }) = h.submit() else { panic!() };
    assert_eq!(update.expected_version, Some(4));
    assert_eq!(update.delete_alert_targets, Some(true));
    assert!(update.alert_targets.is_none());
    assert!(tag.is_empty() && untag.is_empty());
    // The JSON on the confirm screen is the request sent.
    let shown: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(shown, serde_json::to_value(update).unwrap());
}

#[test]
fn a_conflict_is_resolved_by_reapplying_both_changes() {
    let mut h = in_conflict();
    assert_eq!(h.kind(), Kind::Conflict);
    let ddsp::tui::app::Screen::Conflict(c) = &h.app.screen else { panic!() };
    assert_eq!(c.theirs, ["~ securityProfileDescription: \"The fleet\" → \"Changed by a colleague\""]);
    assert_eq!(c.mine[0], "~ behaviors[Authorization].criteria.value.count: 10 → 12");
    h.key(KeyCode::Char('r'));
    assert_eq!(h.kind(), Kind::Editor);
    h.effects.clear();
    h.ctrl('s');
    h.key(KeyCode::Enter);
    let (_, Submit::Update { update, .. }) = h.submit() else { panic!() };
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
    let ddsp::tui::app::Screen::Confirm(c) = &h.app.screen else { panic!("{:?}", h.kind()) };
    assert!(c.json.contains("\"expectedVersion\": 5"));
    let mut h = in_conflict();
    h.key(KeyCode::Esc);
    assert_eq!(h.kind(), Kind::Editor);
    let profile = &h.editor().profile;
    assert_eq!(serde_json::to_value(profile).unwrap()["behaviors"][0]["criteria"]["value"]["count"], 12, "kept");
}

#[test]
fn the_update_diff_is_one_line_per_change() {
    let h = opened_and_changed();
    let ddsp::tui::app::Screen::Confirm(c) = &h.app.screen else { panic!() };
    assert_eq!(c.changes[0], "~ behaviors[Authorization].criteria.value.count: 10 → 12");
    assert!(c.changes[1].starts_with("- alertTargets:"));
    assert_eq!(c.changes.len(), 2);
}

#[test]
fn the_vi_keymap_moves_with_j_and_k_and_filters_after_a_slash() {
    let mut h = Harness::new(&["Alpha", "Beta", "Gamma"]);
    h.app.cx.vi = true;
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
    h.new_profile();
    assert!(h.drafts.is_empty(), "opening an editor is not an edit");
    h.text("Fleet");
    let draft = h.drafts.last().unwrap().clone();
    assert_eq!(draft.request["securityProfileName"], "Fleet");
    assert_eq!(draft.meta.operation, ddsp::drafts::Operation::CreateSecurityProfile);
    h.ctrl('s');
    h.key(KeyCode::Enter);
    let mut done = saved(1);
    done.description.security_profile_name = Some("Fleet".into());
    h.answer(Ok(done));
    assert!(h.removed.contains(&draft.id), "{:?}", h.effects);

    // An update draft restores with its base: the confirm screen expects its version.
    let mut edited = opened_and_changed();
    edited.key(KeyCode::Esc);
    let update = edited.drafts.last().unwrap().clone();
    assert_eq!(update.request["expectedVersion"], 4);
    assert_eq!(update.request["deleteAlertTargets"], true);
    let mut next = Harness::new(&["Fleet"]);
    next.event(Event::Drafts(vec![update.clone()]));
    assert_eq!(next.kind(), Kind::Drafts);
    next.key(KeyCode::Enter);
    assert_eq!(next.editor().draft_id, update.id);
    assert_eq!(next.editor().version(), Some(4));
    next.ctrl('s');
    let ddsp::tui::app::Screen::Confirm(c) = &next.app.screen else { panic!() };
    assert!(c.json.contains("\"expectedVersion\": 4"), "{}", c.json);
    assert!(c.changes.iter().any(|l| l.contains("count: 10 → 12")), "{:?}", c.changes);
}

#[test]
fn an_existing_profile_is_judged_by_the_update_rules() {
    let mut h = opened();
    let ctx = h.app.cx.ctx.clone();
    let ed = h.app.screen.editor_mut().unwrap();
    // An empty list in an UpdateSecurityProfile clears nothing: only the update rules know it.
    ed.profile.behaviors = Some(Vec::new());
    ed.revalidate(&ctx);
    let hit = ed.problems.iter().find(|p| p.rule == ddsp::domain::Rule::EmptyListOnUpdate).expect("update rule");
    assert_eq!(hit.path.to_string(), "behaviors");
    // Tag rules still apply, though tags go through TagResource.
    ed.profile.tags = Some(vec![ddsp::domain::profile::Tag { key: "aws:reserved".into(), value: None }]);
    ed.revalidate(&ctx);
    assert!(ed.problems.iter().any(|p| p.path.to_string() == "tags[0].Key" && p.is_error()), "{:#?}", ed.problems);
    // A new profile is a create: the same empty list is no problem there.
    let mut fresh = Harness::new(&[]);
    fresh.new_profile();
    let ed = fresh.app.screen.editor_mut().unwrap();
    ed.profile.behaviors = Some(Vec::new());
    ed.revalidate(&ctx);
    assert!(!ed.problems.iter().any(|p| p.rule == ddsp::domain::Rule::EmptyListOnUpdate));
}

#[test]
fn quitting_asks_first_when_the_newest_edit_is_not_on_disk() {
    let mut h = opened();
    h.failing = true;
    h.text("x");
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
    assert!(h.app.overlay.is_none() && !h.app.quit);
    h.ctrl('q');
    assert!(h.app.overlay.is_some());
    h.key(KeyCode::Char('q'));
    assert!(h.app.quit && h.effects.last() == Some(&Effect::Quit));
}

#[test]
fn the_calls_written_to_a_file_are_run_as_a_script() {
    let mut h = opened();
    h.ctrl('k');
    h.key(KeyCode::Char('w'));
    let Some(Effect::Write { path, .. }) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    assert_eq!(path, "Fleet.calls.sh");
    h.event(Event::Written(Ok(format!("/work/{path}"))));
    assert!(h.status().contains("run it with: sh /work/Fleet.calls.sh"), "{}", h.status());
    assert!(!h.status().contains("--cli-input-json"), "{}", h.status());
}

#[test]
fn quitting_with_every_edit_on_disk_is_immediate() {
    let mut h = opened();
    h.text("x");
    h.effects.clear();
    h.ctrl('q');
    assert_eq!(h.effects, vec![Effect::Quit]);
    // A second Ctrl-Q in the prompt means it, too.
    let mut h = opened();
    h.event(Event::DraftReport(ddsp::drafts::Report::Failed("read-only file system".into())));
    h.ctrl('c');
    h.ctrl('c');
    assert!(h.app.quit);
}

#[test]
fn a_failed_draft_is_still_asked_about_after_more_typing_and_after_closing_the_editor() {
    let mut h = opened();
    h.failing = true;
    h.text("xy");
    h.ctrl('q');
    assert!(matches!(h.app.overlay, Some(ddsp::tui::overlays::Overlay::Quit(_))) && !h.app.quit);
    h.key(KeyCode::Esc);
    // Closing the editor keeps its draft for the prompt's `w`.
    h.key(KeyCode::Esc);
    assert!(h.app.editor().is_none());
    h.ctrl('q');
    assert!(h.app.overlay.is_some());
    h.key(KeyCode::Char('w'));
    let Some(Effect::Write { path, json }) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    assert_eq!(path, "Fleet.update.json");
    assert!(json.contains("\"securityProfileName\": \"Fleet\""), "{json}");
    // A save that works clears it: quitting is immediate again.
    h.key(KeyCode::Esc);
    h.event(Event::DraftReport(ddsp::drafts::Report::Saved(std::path::PathBuf::from("/tmp/d.json"))));
    h.ctrl('q');
    assert!(h.app.quit);
}

#[test]
fn a_tag_failure_after_an_applied_update_is_reported_as_that() {
    let mut h = opened_and_changed();
    h.key(KeyCode::Enter);
    let mut done = saved(5);
    done.calls.push(ddsp::tui::message::Call {
        kind: ddsp::tui::message::CallKind::Retag,
        detail: "1 tag(s) set, 0 removed".into(),
        target: None,
        error: Some(service("ThrottlingException", "Rate exceeded")),
    });
    h.answer(Ok(done));
    assert_eq!(h.kind(), Kind::Result);
    let screen = h.render(80, 24);
    assert!(screen.contains("applied (version 5)") && screen.contains("TagResource / UntagResource"), "{screen}");
    assert!(screen.contains("(ThrottlingException)"), "{screen}");
    // Back in the editor the update's version is the base now.
    h.key(KeyCode::Enter);
    assert_eq!(h.editor().version(), Some(5));
}

/// A name no AWS profile can have, as a hostile or broken server might send it.
const HOSTILE_NAME: &str = "Fleet\u{1b}]52;c;SGVsbG8=\u{7}\u{202e}gnp";
/// ESC, CSI, OSC 52, BEL, C1 CSI, DCS and a bidi override.
const HOSTILE_TEXT: &str = "a\u{1b}[66;66Hb\u{1b}]52;c;SGVsbG8=\u{7}c\u{9b}31md\u{1b}P1$r\u{1b}\\e\u{202e}fed";

/// An opened profile whose description and tags hold escape sequences.
fn hostile_opened() -> Harness {
    let mut h = Harness::new(&["Fleet"]);
    let mut base = base_profile();
    base.security_profile_description = Some(HOSTILE_TEXT.into());
    h.open(
        base,
        vec![ddsp::domain::profile::Tag { key: HOSTILE_TEXT.into(), value: Some(format!("v{HOSTILE_TEXT}")) }],
    );
    h
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
    use ddsp::tui::screens::setup::{SetupScreen, choices};
    let mut h = Harness::bare("not connected");
    h.app.cx.connected = false;
    let found = [("default".to_owned(), None), ("prod".to_owned(), Some("eu-west-1".to_owned()))];
    let s = SetupScreen::new(
        choices(&ddsp::client::ConnectOptions::default(), &found, true),
        Default::default(),
        Some("eu-west-1".into()),
    );
    h.app.start_setup(s);
    if step == 0 {
        h.key(KeyCode::Down);
        h.key(KeyCode::Down);
        return h;
    }
    h.key(KeyCode::Enter);
    assert!(matches!(h.effects.last(), Some(Effect::Connect { options, .. }) if options.sandbox));
    let id = h.pending(ddsp::tui::requests::Wait::Connect);
    h.event(Event::Connected { id, result: Ok("local sandbox".into()) });
    let Some(Effect::ListProfiles(id)) = h.effects.iter().find(|e| matches!(e, Effect::ListProfiles(_))).cloned()
    else {
        panic!("{:?}", h.effects)
    };
    h.list(id, &[]);
    let id = h.pending(ddsp::tui::requests::Wait::ThingGroups);
    let groups = vec![("Sensors".into(), "arn:aws:iot:us-east-1:123456789012:thinggroup/Sensors".into())];
    h.event(Event::ThingGroups { id, result: Ok(groups) });
    if step == 3 {
        h.key(KeyCode::Down);
        h.key(KeyCode::Down);
        return h;
    }
    h.key(KeyCode::Enter); // the target: all registered things
    h.key(KeyCode::Down);
    h.key(KeyCode::Down);
    if step == 2 {
        h.key(KeyCode::Enter);
        h.text(" x");
    }
    h
}

fn state(name: &str) -> Harness {
    match name {
        "home_loading" => Harness::bare("sandbox http://127.0.0.1:7411"),
        "home_empty" => Harness::new(&[]),
        "home_error" => {
            let mut h = Harness::bare("AWS us-east-1 https://iot.us-east-1.amazonaws.com");
            let start = h.app.start();
            let Some(Effect::ListProfiles(id)) = start.first().cloned() else { panic!() };
            h.event(Event::Listed {
                id,
                result: Err(ddsp::client::ClientError::Network(
                    "Could not connect to the endpoint URL: \"https://iot.us-east-1.amazonaws.com\"".into(),
                )),
            });
            h
        }
        "home_list" => Harness::new(&["Fleet-Baseline", "Gateways", "PossibleIssue", "Sensors-ML"]),
        "home_filtered" => {
            let mut h = Harness::new(&["Fleet-Baseline", "Gateways", "PossibleIssue", "Sensors-ML"]);
            h.text("se");
            h
        }
        "editor_new" => {
            let mut h = Harness::new(&[]);
            h.new_profile();
            h
        }
        "editor_behaviors" | "behavior_static" | "behavior_statistical" | "behavior_ml" => {
            let mut h = Harness::new(&[]);
            build_profile(&mut h);
            for _ in 0..3 {
                h.ctrl('p');
            }
            match name {
                "behavior_static" => h.key(KeyCode::Enter),
                "behavior_statistical" => {
                    h.down(1);
                    h.key(KeyCode::Enter)
                }
                "behavior_ml" => {
                    h.down(2);
                    h.key(KeyCode::Enter)
                }
                _ => {}
            }
            h
        }
        "metric_picker" => {
            let mut h = Harness::new(&[]);
            h.new_profile();
            h.ctrl('n');
            h.key(KeyCode::Char('a'));
            h.text("tcp");
            h
        }
        "editor_alert_targets" | "editor_retained" | "editor_export" => {
            let mut h = Harness::new(&[]);
            build_profile(&mut h);
            let back = match name {
                "editor_alert_targets" => 2,
                "editor_retained" => 1,
                _ => 0,
            };
            for _ in 0..back {
                h.ctrl('p');
            }
            h
        }
        "editor_many_problems" => {
            let mut h = Harness::new(&[]);
            h.new_profile();
            h.text("bad name");
            h.down(1);
            h.text("tab\there");
            h.ctrl('n');
            for metric in ["listening-tcp-ports", "num-messages-sent", "source-ip"] {
                h.key(KeyCode::Char('a'));
                h.pick(metric);
                h.down(4);
                h.text("x");
                h.key(KeyCode::Esc);
            }
            h
        }
        "pane_expanded" => {
            let mut h = Harness::new(&[]);
            h.new_profile();
            h.text("bad name");
            h.ctrl('n');
            h.key(KeyCode::Char('a'));
            h.pick("listening-udp-ports");
            h.key(KeyCode::F(2));
            h
        }
        "editor_help" => {
            let mut h = Harness::new(&[]);
            h.new_profile();
            h.key(KeyCode::F(1));
            h
        }
        "confirm_create" => {
            let mut h = Harness::new(&[]);
            build_profile(&mut h);
            h.ctrl('s');
            h
        }
        "confirm_update" => opened_and_changed(),
        "confirm_refused" => {
            let mut h = opened_and_changed();
            h.key(KeyCode::Enter);
            h.answer(Err(service(
                "InvalidRequestException",
                "The version for security profile Fleet does not match the expected version (4); the current version is 5.",
            )));
            h
        }
        "confirm_submitting" => {
            let mut h = opened_and_changed();
            h.key(KeyCode::Enter);
            h
        }
        "confirm_network_error" => {
            let mut h = opened_and_changed();
            h.key(KeyCode::Enter);
            h.answer(Err(ddsp::client::ClientError::Network(
                "Could not connect to the endpoint URL: \"http://127.0.0.1:7411/security-profiles/Fleet\" (Connection refused)".into(),
            )));
            h
        }
        "confirm_blocked" => {
            let mut h = Harness::new(&[]);
            h.new_profile();
            h.text("bad name");
            h.ctrl('s');
            h
        }
        "result" => {
            let mut h = opened_and_changed();
            h.key(KeyCode::Enter);
            h.answer(Ok(saved(5)));
            h
        }
        "delete_prompt" => {
            let mut h = Harness::new(&["Fleet-Baseline", "Gateways"]);
            h.key(KeyCode::Delete);
            h.text("Fleet-Base");
            h
        }
        "conflict" => in_conflict(),
        "untrusted_home" => Harness::new(&[HOSTILE_NAME, "Plain"]),
        "drafts_offered" => with_drafts(),
        "setup_connect" => in_setup(0),
        "setup_template" => in_setup(1),
        "setup_name" => in_setup(2),
        "setup_target" => in_setup(3),
        "untrusted_editor" => hostile_opened(),
        "untrusted_tag_focused" => {
            let mut h = hostile_opened();
            h.key(KeyCode::Down);
            h
        }
        "help_home" => {
            let mut h = Harness::new(&["Fleet"]);
            h.key(KeyCode::Char('?'));
            h
        }
        other => panic!("no state {other}"),
    }
}

macro_rules! screens {
    ($($name:ident),+ $(,)?) => {
        $(
            #[test]
            fn $name() {
                let h = state(stringify!($name));
                insta::assert_snapshot!(concat!(stringify!($name), "_80x24"), h.render(80, 24));
                insta::assert_snapshot!(concat!(stringify!($name), "_160x48"), h.render(160, 48));
            }
        )+
    };
}

mod every_screen {
    use super::*;
    screens!(
        home_loading,
        home_empty,
        home_error,
        home_list,
        home_filtered,
        editor_new,
        editor_behaviors,
        behavior_static,
        behavior_statistical,
        behavior_ml,
        metric_picker,
        editor_alert_targets,
        editor_retained,
        editor_export,
        editor_many_problems,
        pane_expanded,
        editor_help,
        confirm_create,
        confirm_update,
        confirm_refused,
        confirm_submitting,
        confirm_network_error,
        confirm_blocked,
        result,
        delete_prompt,
        conflict,
        untrusted_home,
        drafts_offered,
        setup_connect,
        setup_template,
        setup_name,
        untrusted_editor,
        untrusted_tag_focused,
        help_home,
        setup_target,
    );
}

#[test]
fn untrusted_text_reaches_no_cell_raw() {
    for name in ["untrusted_home", "untrusted_editor", "untrusted_tag_focused"] {
        let h = state(name);
        for (w, hgt) in [(80, 24), (160, 48)] {
            let screen = h.render(w, hgt);
            for bad in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
                assert!(!screen.contains(bad), "{name} {w}x{hgt} shows {bad:?} raw:\n{screen}");
            }
        }
    }
}

/// The setup's name step: Ctrl-U clears the template's prefilled name, so
/// typing replaces it instead of appending to it.
#[test]
fn ctrl_u_clears_the_setups_prefilled_name() {
    let mut h = in_setup(2);
    assert!(h.render(80, 24).contains(" x"), "the prefilled name with ' x' typed after it");
    h.ctrl('u');
    h.text("fleet-baseline");
    let screen = h.render(80, 24);
    assert!(screen.contains("fleet-baseline"), "{screen}");
    assert!(!screen.contains("xfleet"), "nothing of the old name is left: {screen}");
}

/// Discarding an unsent draft asks once more: the first `d` says what is
/// lost, a second discards it, and any other key keeps it.
#[test]
fn discarding_a_draft_asks_once_more() {
    let mut h = with_drafts();
    assert!(h.render(80, 24).contains("unsent draft"), "the drafts screen is up");
    let removed = |h: &Harness| h.effects.iter().filter(|e| matches!(e, Effect::RemoveDraft(_))).count();
    h.key(KeyCode::Char('d'));
    assert_eq!(removed(&h), 0, "the first d only asks");
    assert!(h.status().contains("lost for good"), "{}", h.status());
    h.key(KeyCode::Down);
    h.key(KeyCode::Char('d'));
    assert_eq!(removed(&h), 0, "another key in between keeps the draft; d asks again");
    h.key(KeyCode::Char('d'));
    assert_eq!(removed(&h), 1, "the second d in a row discards it");
}

/// At 80 columns an unsent new profile's row on Home keeps its whole date
/// (it was cut to `saved 2026-12-06 21:1`).
#[test]
fn an_unsent_new_profile_keeps_its_whole_date_at_80_columns() {
    let mut h = Harness::new(&["Fleet"]);
    h.new_profile();
    h.text("Unsent");
    h.key(KeyCode::Esc);
    let screen = h.render(80, 24);
    let header = screen.lines().position(|l| l.contains("UNSENT NEW PROFILES")).expect(&screen);
    let row = screen.lines().nth(header + 1).unwrap().trim_matches('"').trim_end();
    let date = row.rsplit("  ").next().unwrap_or_default();
    let shape: String = date.chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect();
    assert_eq!(shape, "9999-99-99 99:99", "the whole date: {row:?} in\n{screen}");
}

/// Esc on the setup's first step, when the command line said where to
/// connect (`ddsp --sandbox`), goes to Home and writes the settings file, so
/// the next start goes to Home too (README: `ddsp init` opens it again).
#[test]
fn esc_on_the_setup_of_a_given_connection_is_remembered() {
    use ddsp::tui::screens::setup::{SetupScreen, choices};
    let mut h = Harness::bare("sandbox http://127.0.0.1:7411");
    let options = ddsp::client::ConnectOptions { sandbox: true, ..Default::default() };
    h.app.start_setup(SetupScreen::new(choices(&options, &[], false), Default::default(), None));
    h.effects.clear();
    h.key(KeyCode::Esc);
    assert!(h.render(80, 24).contains("ddsp · security profiles"), "Home:\n{}", h.render(80, 24));
    let saved = h.effects.iter().find_map(|e| match e {
        Effect::SaveSettings(s) => Some(s.clone()),
        _ => None,
    });
    assert_eq!(saved.map(|s| s.connect), Some(None), "written, choosing no connection: {:?}", h.effects);
}

/// An overlay clears two columns each side of its box: nothing of the screen
/// below touches its border (the palette over Home showed `P┌`, `N│`).
#[test]
fn an_overlay_leaves_nothing_of_the_screen_below_touching_its_border() {
    let mut h = Harness::new(&["Fleet", "Alpha"]);
    h.key(KeyCode::Char(':'));
    assert!(h.app.overlay.is_some());
    let screen = h.render(80, 24);
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.trim_matches('"').chars().collect()).collect();
    let top = lines.iter().position(|l| l.contains(&'┌')).expect(&screen);
    let left = lines[top].iter().position(|c| *c == '┌').unwrap();
    let right = lines[top].iter().position(|c| *c == '┐').unwrap();
    for line in lines.iter().skip(top).take_while(|l| matches!(l.get(left), Some('│' | '└' | '┌'))) {
        let beside: String =
            line[left.saturating_sub(2)..left].iter().chain(line.iter().skip(right + 1).take(2)).collect();
        assert!(beside.trim().is_empty(), "{beside:?} beside the box:\n{screen}");
    }
}

/// Esc on the setup's second step (the target) goes back to the first (the
/// connection), as its hint says; Esc there leaves for Home.
#[test]
fn esc_on_the_setups_target_step_goes_back_to_the_connection() {
    let mut h = in_setup(3);
    assert!(h.render(80, 24).contains("What should the profile watch?"));
    h.key(KeyCode::Esc);
    let screen = h.render(80, 24);
    assert!(screen.contains("1 Connect") && !screen.contains("What should the profile watch?"), "{screen}");
    h.key(KeyCode::Esc);
    assert!(h.render(80, 24).contains("ddsp · security profiles"), "{}", h.render(80, 24));
    // Leaving from there keeps the connection the setup saved.
    let saved: Vec<_> = h
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveSettings(s) => Some(s.connect.clone()),
            _ => None,
        })
        .collect();
    assert!(saved.len() >= 2 && saved.iter().all(Option::is_some), "{saved:?}");
}

/// A message that names the endpoint ("Connected to …") is not followed by
/// the endpoint again on the status line.
#[test]
fn the_status_line_names_the_endpoint_once() {
    let mut h = Harness::new(&["Fleet"]);
    let endpoint = h.app.cx.endpoint.clone();
    h.app.cx.say(format!("Connected to {endpoint}"));
    let text = ddsp::tui::view::status_text(&h.app);
    assert_eq!(text.matches(endpoint.as_str()).count(), 1, "{text}");
    h.app.cx.say("Saved");
    assert_eq!(ddsp::tui::view::status_text(&h.app).matches(endpoint.as_str()).count(), 1);
}

/// The result screen's ARN goes on under its value when it does not fit,
/// never under its label (at column 0).
#[test]
fn a_long_arn_wraps_under_its_value() {
    let mut h = opened_and_changed();
    h.key(KeyCode::Enter);
    h.answer(Ok(saved(5)));
    let screen = h.render(60, 24);
    let lines: Vec<&str> = screen.lines().map(|l| l.trim_matches('"')).collect();
    let at = lines.iter().position(|l| l.starts_with(" ARN")).expect(&screen);
    let next = lines[at + 1];
    assert!(next.starts_with(&" ".repeat(16)) && next.trim_end().ends_with("Fleet"), "{screen}");
}

/// The palette lists commands, not the keys that move a highlight.
#[test]
fn the_palette_lists_no_movement() {
    use ddsp::tui::keymap::{Action, Context};
    use ddsp::tui::overlays::palette::{Palette, Pick};
    let p = Palette::new(&[Context::Behaviors, Context::Editor], false, &[], &[]);
    assert!(p.entries.iter().any(|e| matches!(e.pick, Pick::Action(Action::Review, _))));
    for e in &p.entries {
        assert!(
            !matches!(e.pick, Pick::Action(Action::Up | Action::Down | Action::PageUp | Action::PageDown, _)),
            "{}",
            e.label
        );
    }
}

#[test]
fn a_change_to_tags_alone_sends_no_update_and_keeps_the_version() {
    let mut h = opened(); // Fleet, version 4, on Overview: the description is focused
    h.ctrl('a'); // a tag
    h.text("owner");
    h.key(KeyCode::Down);
    h.text("ops");
    h.ctrl('s');
    let screen = h.render(100, 30);
    assert!(screen.contains("Tags of Fleet"), "{screen}");
    assert!(screen.contains("its version is checked first (still 4)"), "{screen}");
    h.key(KeyCode::Enter);
    let change = h
        .effects
        .iter()
        .rev()
        .find_map(|e| if let Effect::Submit { change, .. } = e { Some(change.clone()) } else { None })
        .expect("a submit");
    assert!(change.profile_unchanged && change.retags(), "only TagResource: {change:?}");
    assert!(change.changes_something());
}
