//! One transition per test, no terminal and no I/O (the atuin pattern): a
//! screen's state, an event, the state and effects after. Each defect a new
//! user hit has its test here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod harness;

use crossterm::event::KeyCode;
use ddsp::domain::Rule;
use ddsp::tui::app::{Kind, Screen};
use ddsp::tui::message::{Effect, Event};
use ddsp::tui::screens::editor::rows::{BehaviorField, FieldId};
use harness::*;

fn behavior_value(h: &Harness, i: usize) -> serde_json::Value {
    serde_json::to_value(&h.editor().profile.behaviors.as_ref().unwrap()[i]).unwrap()
}

#[test]
fn enter_twice_on_the_confirm_screen_sends_once() {
    let mut h = opened_and_changed();
    h.effects.clear();
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.ctrl('s');
    assert_eq!(h.submits(), 1, "{:?}", h.effects);
    let screen = h.render(80, 24);
    assert!(!screen.contains("Enter submit"), "no submit offered while one is on its way:\n{screen}");
    // Once answered with an error, Enter tries again: a second request.
    h.answer(Err(ddsp::client::ClientError::Network("refused".into())));
    h.key(KeyCode::Enter);
    assert_eq!(h.submits(), 2);
}

#[test]
fn a_stale_result_is_ignored() {
    let mut h = Harness::new(&["Alpha", "Fleet"]);
    h.key(KeyCode::Enter); // opens Alpha…
    let Some(Effect::Open { id: first, .. }) = h.effects.last().cloned() else { panic!() };
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter); // …then Fleet, before Alpha's answer came
    let mut alpha = base_profile();
    alpha.security_profile_name = Some("Alpha".into());
    h.event(Event::Opened { id: first, result: Ok((alpha, Vec::new(), Vec::new())) });
    assert_eq!(h.kind(), Kind::Home, "the answer for Alpha is no longer awaited");
    h.opened(base_profile(), Vec::new());
    assert_eq!(h.editor().name(), "Fleet");
    // A list answer nobody awaits changes nothing.
    let before = h.app.home.rows.clone();
    h.event(Event::Listed { id: ddsp::tui::message::RequestId(9999), result: Ok(Vec::new()) });
    assert_eq!(h.app.home.rows, before);
    // A submit answer for another request is dropped too.
    let mut c = opened_and_changed();
    c.key(KeyCode::Enter);
    c.event(Event::Submitted { id: ddsp::tui::message::RequestId(9999), result: Ok(saved(9)) });
    assert_eq!(c.kind(), Kind::Confirm);
}

#[test]
fn closing_a_behavior_leaves_the_highlight_on_it() {
    let mut h = opened();
    h.ctrl('n'); // Behaviors: Authorization, Ports
    h.down(1);
    h.key(KeyCode::Enter); // open Ports
    h.down(3); // a field further down the form
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('d'));
    assert_eq!(h.behavior_names(), ["Authorization"], "the behavior just closed is the one deleted");
}

#[test]
fn deleting_a_behavior_says_so_and_undo_brings_it_back() {
    let mut h = opened();
    h.ctrl('n');
    h.key(KeyCode::Char('d'));
    assert_eq!(h.behavior_names(), ["Ports"]);
    assert!(h.status().contains("Removed behavior Authorization") && h.status().contains("Alt-U"), "{}", h.status());
    h.alt('u');
    assert_eq!(h.behavior_names(), ["Authorization", "Ports"]);
    assert!(h.status().starts_with("Undid: removed behavior Authorization"), "{}", h.status());
    h.alt('e');
    assert_eq!(h.behavior_names(), ["Ports"]);
    h.alt('u');
    // Back to the profile as opened: nothing to send, no draft left.
    assert!(h.editor().untouched());
    assert!(h.removed.contains(&h.editor().draft_id), "an edit undone to the start leaves no draft");
}

#[test]
fn every_kind_of_edit_undoes() {
    let mut h = opened();
    // Typing in one field is one step.
    h.text("abc");
    assert_eq!(h.editor().profile.security_profile_description.as_deref(), Some("The fleetabc"));
    h.alt('u');
    assert_eq!(h.editor().profile.security_profile_description.as_deref(), Some("The fleet"));
    // A tag added and typed, then removed.
    h.ctrl('a');
    h.text("team");
    h.ctrl('d');
    assert!(h.editor().profile.tags.is_none());
    h.alt('u');
    assert_eq!(h.editor().profile.tags.as_ref().unwrap()[0].key, "team");
    // A choice, a switch, a pick.
    h.ctrl('n');
    h.key(KeyCode::Enter); // Authorization
    h.down(3); // Criteria
    h.key(KeyCode::Right);
    assert!(behavior_value(&h, 0)["criteria"]["statisticalThreshold"].is_object());
    h.alt('u');
    assert_eq!(behavior_value(&h, 0)["criteria"]["value"]["count"], 10);
    h.down(10); // Export metric
    h.key(KeyCode::Char(' '));
    assert_eq!(behavior_value(&h, 0)["exportMetric"], true);
    h.alt('u');
    assert!(behavior_value(&h, 0).get("exportMetric").is_none());
    // Duplicate and move on the list.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('c'));
    assert_eq!(h.behavior_names(), ["Authorization", "Authorization-2", "Ports"]);
    h.key(KeyCode::Char('J'));
    assert_eq!(h.behavior_names(), ["Authorization", "Ports", "Authorization-2"]);
    h.alt('u');
    h.alt('u');
    assert_eq!(h.behavior_names(), ["Authorization", "Ports"]);
    // A retained metric removed.
    h.ctrl('n');
    h.ctrl('n');
    h.ctrl('a');
    h.key(KeyCode::Enter);
    h.pick("num-disconnects");
    h.ctrl('d');
    assert!(h.editor().profile.additional_metrics_to_retain_v2.is_none());
    h.alt('u');
    assert_eq!(h.editor().profile.additional_metrics_to_retain_v2.as_ref().unwrap()[0].metric, "aws:num-disconnects");
}

#[test]
fn reopening_a_profile_resumes_its_draft_and_home_marks_it() {
    let mut h = opened();
    h.text(" (edited)");
    let id = h.editor().draft_id.clone();
    h.key(KeyCode::Esc); // home
    let home = h.render(80, 24);
    assert!(
        home.contains('✎'),
        "Home marks the profile with an unsent draft:\n{home}\n{:?}",
        h.app.cx.drafting.unsent.len()
    );
    h.open(base_profile(), Vec::new());
    assert_eq!(h.editor().profile.security_profile_description.as_deref(), Some("The fleet (edited)"));
    assert_eq!(h.editor().draft_id, id, "the same draft, not a new one");
    assert!(h.status().starts_with("Resumed your unsent draft of Fleet"), "{}", h.status());
    // Reopened after the server moved on: it says so.
    h.key(KeyCode::Esc);
    h.open(server_moved_on(), Vec::new());
    assert!(h.status().contains("the server is now at version 5"), "{}", h.status());
    assert_eq!(h.editor().version(), Some(4), "the draft's base is kept: submitting shows the conflict");
    // The review says its diff is against the version opened, not the server's.
    h.ctrl('s');
    let review = h.render(120, 40);
    assert!(
        review.contains("Changes against version 4, the base of this edit (the server is now at version 5"),
        "{review}"
    );
    assert!(!review.contains("the server's version:"), "{review}");
    h.key(KeyCode::Esc);
    let ids: std::collections::HashSet<_> = h.drafts.iter().map(|d| d.id.clone()).collect();
    assert_eq!(ids.len(), 1, "one draft per profile");
}

#[test]
fn an_untouched_profile_leaves_no_draft() {
    let mut h = opened();
    h.key(KeyCode::Esc);
    h.open(base_profile(), Vec::new());
    h.key(KeyCode::Esc);
    assert!(h.drafts.is_empty());
    assert!(!h.render(80, 24).contains('✎'));
}

#[test]
fn an_emptied_list_value_is_the_missing_value_error() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.text("p");
    h.ctrl('n');
    h.key(KeyCode::Char('a'));
    h.pick("listening-tcp-ports");
    h.down(3);
    h.text("22");
    h.backspace(2);
    let problems = &h.editor().problems;
    assert!(problems.iter().any(|p| p.rule == Rule::ValueMissing && p.is_error()), "{problems:#?}");
    assert!(behavior_value(&h, 0)["criteria"].get("value").is_none(), "no \"ports\": [] is sent");
}

#[test]
fn a_value_that_does_not_parse_gets_only_its_parse_error() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.text("p");
    h.ctrl('n');
    h.key(KeyCode::Char('a'));
    h.pick("num-messages-sent");
    h.down(4); // Value
    h.text("abc");
    let at_value: Vec<_> =
        h.editor().problems.iter().filter(|p| p.path.to_string().contains("criteria.value")).collect();
    assert_eq!(at_value.len(), 1, "{at_value:#?}");
    assert_eq!(at_value[0].message, "\"abc\" is not a whole number");
    h.backspace(3);
    h.text("99999999999999999999999");
    assert!(h.editor().problems[0].message.contains("too large"), "{:?}", h.editor().problems[0]);
    // Ports typed with spaces: say to use commas.
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('a'));
    h.pick("listening-tcp-ports");
    h.down(3);
    h.text("22 443");
    assert!(h.editor().problems.iter().any(|p| p.message.contains("separate them with commas")));
}

#[test]
fn esc_on_a_new_behaviors_metric_picker_cancels_the_add() {
    let mut h = opened();
    h.ctrl('n');
    h.key(KeyCode::Char('a'));
    assert!(h.editor().picker.is_some());
    h.key(KeyCode::Esc);
    assert_eq!(h.behavior_names(), ["Authorization", "Ports"]);
    assert!(h.editor().open.is_none() || h.editor().profile.behaviors.as_ref().unwrap().len() == 2);
}

#[test]
fn a_generated_name_is_selected_and_space_does_not_cycle_a_choice() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.ctrl('n');
    h.key(KeyCode::Char('a'));
    h.pick("num-messages-sent");
    h.key(KeyCode::Up); // Name: "behavior-1", selected
    h.text("Chatty");
    assert_eq!(h.behavior_names(), ["Chatty"], "typing replaced the generated name");
    h.ctrl('u');
    assert_eq!(h.behavior_names(), [""], "Ctrl-U clears the field");
    h.down(3); // Operator
    let before = behavior_value(&h, 0);
    h.key(KeyCode::Char(' '));
    assert_eq!(behavior_value(&h, 0), before, "Space does not cycle a choice");
    assert!(h.status().contains("← →"), "{}", h.status());
}

#[test]
fn a_paste_with_a_newline_stays_in_its_field() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.event(Event::Paste("Fleet\nsecond line".into()));
    assert_eq!(h.editor().profile.security_profile_name, "Fleet second line");
    assert_eq!(h.editor().focused().unwrap().id, FieldId::ProfileName, "the paste did not move on");
}

#[test]
fn a_long_description_opens_at_its_start() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.key(KeyCode::Tab);
    assert_eq!(h.editor().focused().unwrap().id, FieldId::Description);
    let long = format!("Watches the cameras of the north site {} the end", "and their uplinks ".repeat(8));
    h.event(Event::Paste(long));
    h.key(KeyCode::Up);
    h.key(KeyCode::Down);
    assert_eq!(h.editor().focused().unwrap().id, FieldId::Description);
    let screen = h.render(80, 24);
    assert!(screen.contains("Watches the cameras"), "the description reads from its start:\n{screen}");
    h.text(".");
    let description = h.editor().profile.security_profile_description.clone().unwrap_or_default();
    assert!(
        description.starts_with("Watches") && description.ends_with("the end."),
        "typing adds at the end: {description}"
    );
}

#[test]
fn the_delete_prompt_says_when_the_name_does_not_match() {
    let mut h = Harness::new(&["Fleet"]);
    h.ctrl('d');
    h.text("Flee");
    h.key(KeyCode::Enter);
    assert!(h.render(80, 24).contains("does not match Fleet"));
    assert!(!h.effects.iter().any(|e| matches!(e, Effect::Delete { .. })));
    h.text("t");
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.effects.last(), Some(Effect::Delete { name, expected_version: Some(1), .. }) if name == "Fleet")
    );
}

#[test]
fn review_scrolling_is_clamped_and_end_reaches_the_last_line() {
    let mut h = Harness::new(&[]);
    build_profile(&mut h);
    h.ctrl('s');
    h.render(80, 24);
    h.key(KeyCode::End);
    let screen = h.render(80, 24);
    assert!(screen.lines().nth(21).unwrap().contains('}'), "the last line of the JSON is on screen:\n{screen}");
    for _ in 0..50 {
        h.key(KeyCode::Down);
    }
    let Screen::Confirm(c) = &h.app.screen else { panic!() };
    assert_eq!(c.scroll, c.max_scroll.get(), "scrolling stops at the end");
    h.key(KeyCode::Up);
    let Screen::Confirm(c) = &h.app.screen else { panic!() };
    assert_eq!(c.scroll, c.max_scroll.get() - 1, "and one key brings it back up");
}

#[test]
fn the_confirm_screen_wraps_and_lists_each_delete_flag() {
    let mut h = opened();
    h.ctrl('n');
    for _ in 0..2 {
        h.key(KeyCode::Char('d'));
    }
    h.ctrl('n');
    h.backspace(ARN_TOPIC.len());
    h.down(1);
    h.backspace(ROLE.len());
    h.ctrl('s');
    let screen = h.render(80, 24);
    for flag in ["deleteBehaviors: true", "deleteAlertTargets: true", "expectedVersion 4"] {
        assert!(screen.contains(flag), "{flag} missing:\n{screen}");
    }
    insta::assert_snapshot!("confirm_flags_80x24", screen);
}

#[test]
fn a_mix_of_ml_and_rule_behaviors_is_a_warning() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.text("Mixed");
    h.ctrl('n');
    h.key(KeyCode::Char('a'));
    h.pick("num-messages-sent");
    h.down(4);
    h.text("5");
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char('a'));
    h.pick("authorization-failures");
    h.down(2);
    h.key(KeyCode::Left);
    let hit = h.editor().problems.iter().find(|p| p.rule == Rule::MlMixedWithRules).expect("warned");
    assert!(!hit.is_error(), "unconfirmed: never blocking");
    h.key(KeyCode::Esc);
    h.ctrl('s');
    assert_eq!(h.kind(), Kind::Confirm);
}

#[test]
fn help_opens_with_a_question_mark_only_outside_text_fields() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Char('?'));
    assert!(h.app.overlay.is_some());
    h.key(KeyCode::Char('x')); // any key closes it
    assert!(h.app.overlay.is_none());
    h.new_profile();
    h.key(KeyCode::Char('?'));
    assert!(h.app.overlay.is_none(), "in a text field ? is typed");
    assert_eq!(h.editor().profile.security_profile_name, "?");
    h.ctrl('n'); // Behaviors, empty: no text field
    h.key(KeyCode::Char('?'));
    assert!(h.app.overlay.is_some());
}

#[test]
fn criteria_are_said_in_words_on_the_behaviors_list() {
    let mut h = opened();
    h.ctrl('n');
    let screen = h.render(80, 24);
    assert!(screen.contains("authorization failures > 10 in 5 minutes"), "{screen}");
    assert!(screen.contains("listening tcp ports in [22]"), "{screen}");
    let _ = BehaviorField::Value;
}

/// Read-only: whatever keys are pressed, on any screen, no effect that writes
/// leaves the app (and the loop drops one if it did).
#[test]
fn read_only_sends_nothing_that_writes_whatever_the_keys() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    let keys: Vec<KeyEvent> = [
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Delete, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::F(3), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('x'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('F'), KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE),
    ]
    .to_vec();
    // The same keys without read-only do write (so the test can fail).
    let run = |read_only: bool| {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut writes = 0;
        for _ in 0..200 {
            let mut h = opened();
            h.app.cx.read_only = read_only;
            for _ in 0..60 {
                let key = keys[rng.usize(..keys.len())];
                h.event(Event::Key(key));
                if let Some(Effect::ResourceUse { id, kind, name }) = h.effects.last().cloned() {
                    h.event(Event::ResourceUse { id, kind, name, result: Ok(Vec::new()) });
                }
                if h.app.quit {
                    break;
                }
            }
            writes += h.effects.iter().filter(|e| e.writes()).count();
        }
        writes
    };
    assert!(run(false) > 0, "the key sequences do reach writes when allowed");
    assert_eq!(run(true), 0, "read-only sent a write");
    let mut h = opened_and_changed();
    h.app.cx.read_only = true;
    h.key(KeyCode::Enter);
    assert!(h.status().starts_with("Read-only"), "it says why: {}", h.status());
    assert!(h.render(80, 24).contains("READ-ONLY"));
    // Where `w` is no key (a delete from Home), the refusal does not offer it.
    let mut h = Harness::new(&["Alpha"]);
    h.app.cx.read_only = true;
    h.ctrl('d');
    assert!(h.status().starts_with("Read-only: a delete"), "{}", h.status());
    assert!(!h.status().contains("w writes"), "{}", h.status());
}

#[test]
fn editing_in_the_external_editor_takes_the_text_back() {
    use ddsp::tui::screens::editor::external::ExternalEdit;
    let mut h = opened();
    h.ctrl('e');
    let Some(Effect::EditExternal(edit)) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    assert!(edit.text.contains("securityProfileName: Fleet"), "{}", edit.text);
    // Unchanged: nothing happens.
    h.event(Event::Edited { edit: edit.clone(), result: Ok(edit.text.clone()) });
    assert!(h.status().starts_with("No change"), "{}", h.status());
    assert!(h.editor().untouched());
    // A broken edit says where, and the same key reopens the broken text.
    let broken = edit.text.replace("securityProfileDescription: The fleet", "securityProfileDescription: [unclosed");
    h.event(Event::Edited { edit: edit.clone(), result: Ok(broken.clone()) });
    assert!(h.status().contains("line"), "{}", h.status());
    h.ctrl('e');
    let Some(Effect::EditExternal(again)) = h.effects.last().cloned() else { panic!() };
    assert_eq!(again.text, broken, "reopened with the user's text");
    // A good edit lands in the form, and undo takes it back.
    let good = edit.text.replace("The fleet", "Edited outside");
    h.event(Event::Edited { edit: Box::new(ExternalEdit { ..*again }), result: Ok(good) });
    assert_eq!(h.editor().profile.security_profile_description.as_deref(), Some("Edited outside"));
    h.alt('u');
    assert_eq!(h.editor().profile.security_profile_description.as_deref(), Some("The fleet"));
}

#[test]
fn the_palette_finds_actions_and_profiles_and_switches_region() {
    let mut h = Harness::new(&["Alpha", "Fleet"]);
    h.key(KeyCode::Char(':'));
    assert!(matches!(h.app.overlay, Some(ddsp::tui::overlays::Overlay::Palette(_))));
    assert!(h.render(80, 24).contains("a new profile"), "actions with their keys");
    // A profile by name opens it.
    h.text("fleet");
    h.key(KeyCode::Enter);
    assert!(matches!(h.effects.last(), Some(Effect::Open { name, .. }) if name == "Fleet"), "{:?}", h.effects);
    // An action runs as its key would.
    h.key(KeyCode::Esc);
    let mut h = Harness::new(&["Alpha"]);
    h.key(KeyCode::Char(':'));
    h.text("new profile");
    h.key(KeyCode::Enter);
    assert_eq!(h.kind(), Kind::Setup, "blank or a template first");
    h.key(KeyCode::Enter);
    assert_eq!(h.kind(), Kind::Editor);
    // :region switches the connection (not while a profile is open).
    h.key(KeyCode::Esc);
    h.key(KeyCode::Char(':'));
    h.text("region eu-west-1");
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.effects.last(), Some(Effect::Reconnect { region: Some(r), profile: None, sandbox: false, .. }) if r == "eu-west-1"),
        "{:?}",
        h.effects
    );
    let id = h.pending(ddsp::tui::requests::Wait::Connect);
    h.event(Event::Connected { id, result: Ok("AWS eu-west-1 https://iot.eu-west-1.amazonaws.com".into()) });
    assert_eq!(h.app.cx.region(), Some("eu-west-1"));
    assert!(h.status().contains("Connected to AWS eu-west-1"), "{}", h.status());
    // In a text field, : is typed.
    h.new_profile();
    h.key(KeyCode::Char(':'));
    assert_eq!(h.editor().profile.security_profile_name, ":");
}

/// An account Detect does not serve (closed to new customers on 2026-08-31)
/// is told so on Home, whole, with where to go instead.
#[test]
fn home_says_plainly_that_detect_is_closed_to_this_account() {
    let mut h = Harness::bare("AWS us-east-1 https://iot.us-east-1.amazonaws.com");
    let start = h.app.start();
    let Some(Effect::ListProfiles(id)) = start.first().cloned() else { panic!("{start:?}") };
    h.event(Event::Listed {
        id,
        result: Err(ddsp::client::ClientError::Service {
            operation: "ListSecurityProfiles",
            code: "UnauthorizedException".into(),
            message: "This feature is no longer available to new customers.".into(),
        }),
    });
    let screen = h.render(80, 24);
    assert!(screen.contains("This AWS account cannot use Device Defender Detect"), "{screen}");
    assert!(screen.contains("ddsp --sandbox"), "{screen}");
}

/// `:region` takes only a region ddsp knows: no switch to a name that
/// cannot be one, and a long or hostile name is cut in the message.
#[test]
fn the_palette_refuses_a_region_that_is_not_one() {
    for bad in ["xx-nowhere-9", "us-east-1; touch x", "../../etc", &"a".repeat(5000)] {
        let mut h = Harness::new(&["Alpha"]);
        let before = h.app.cx.region().map(str::to_owned);
        h.key(KeyCode::Char(':'));
        h.text(&format!("region {bad}"));
        let screen = h.render(80, 24);
        assert!(screen.contains("not an AWS region"), "the palette says so before Enter:\n{screen}");
        h.key(KeyCode::Enter);
        assert!(!h.effects.iter().any(|e| matches!(e, Effect::Reconnect { .. })), "{bad}: no reconnect");
        assert_eq!(h.app.cx.region().map(str::to_owned), before, "{bad}: the connection is kept");
        assert!(h.status().contains("Not an AWS region"), "{}", h.status());
        assert!(h.status().chars().count() < 200, "a 5,000-character name is cut");
    }
}

#[test]
fn a_click_focuses_a_row_or_a_section_and_the_wheel_moves() {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let at = |kind, column, row| MouseEvent { kind, column, row, modifiers: crossterm::event::KeyModifiers::NONE };
    let mouse = |kind, row| at(kind, 5, row);
    let mut h = Harness::new(&["Alpha", "Beta", "Gamma"]);
    let screen = h.render(80, 24);
    let y = screen.lines().position(|l| l.contains("Gamma")).unwrap() as u16;
    h.event(Event::Mouse(mouse(MouseEventKind::Down(MouseButton::Left), y)));
    assert_eq!(h.app.home.selected, 2, "the clicked profile is selected");
    h.event(Event::Mouse(mouse(MouseEventKind::ScrollUp, 0)));
    assert_eq!(h.app.home.selected, 1, "the wheel moves as ↑ does");
    // In the editor: a click on a section, then on a row.
    let mut h = opened();
    let screen = h.render(80, 24);
    let y = screen.lines().position(|l| l.contains("Behaviors (2)")).unwrap() as u16;
    h.event(Event::Mouse(mouse(MouseEventKind::Down(MouseButton::Left), y)));
    assert_eq!(h.editor().section, ddsp::tui::screens::editor::rows::Section::Behaviors);
    let screen = h.render(80, 24);
    let y = screen.lines().position(|l| l.contains("Ports")).unwrap() as u16;
    h.event(Event::Mouse(at(MouseEventKind::Down(MouseButton::Left), 30, y)));
    assert_eq!(h.editor().focused().unwrap().id, FieldId::Behavior(1));
}

/// Deleting a profile with an unsent draft says the draft goes with it.
#[test]
fn the_delete_prompt_says_the_unsent_draft_goes_too() {
    let mut h = opened_and_changed();
    for _ in 0..4 {
        if h.kind() != Kind::Home {
            h.key(KeyCode::Esc);
        }
    }
    assert_eq!(h.kind(), Kind::Home);
    let name = h.app.home.rows[h.app.home.selected].name.clone();
    assert!(h.app.cx.drafting.of_profile(&name, &h.app.cx.endpoint).is_some(), "the edit was kept as a draft");
    h.ctrl('d');
    let screen = h.render(80, 24);
    assert!(screen.contains("Its unsent draft (✎) is discarded with it."), "{screen}");
    // A profile without a draft is not warned so.
    let mut h = Harness::new(&["Alpha"]);
    h.ctrl('d');
    assert!(!h.render(80, 24).contains("unsent draft (✎)"));
    // F1 says what the delete does, and what is typed stays.
    h.text("Alp");
    h.key(KeyCode::F(1));
    let screen = h.render(80, 24);
    assert!(screen.contains("DeleteSecurityProfile removes the profile"), "{screen}");
    assert!(screen.contains("expecting version 1"), "{screen}");
    assert!(screen.contains("> Alp"), "{screen}");
    h.text("ha");
    h.key(KeyCode::Enter);
    assert!(h.effects.iter().any(|e| matches!(e, Effect::Delete { name, .. } if name == "Alpha")), "{:?}", h.effects);
}

#[test]
fn after_a_region_switch_a_late_answer_from_the_old_region_is_dropped() {
    use ddsp::domain::enums::CustomMetricType;
    use ddsp::domain::metrics::CustomMetric;
    use ddsp::tui::requests::Wait;
    let mut h = Harness::bare("AWS us-east-1");
    let start = h.app.start();
    let Some(Effect::ListProfiles(list)) = start.first().cloned() else { panic!("{start:?}") };
    h.list(list, &["Fleet"]);
    // The old region's custom metrics and dimensions are still on their way.
    let old_known = h.pending(Wait::Known);
    let old_groups = h.pending(Wait::ThingGroups);
    h.key(KeyCode::Char(':'));
    h.text("region eu-west-1");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.cx.busy(), Some("Connecting…"), "busy is the wait the user is in");
    let id = h.pending(Wait::Connect);
    h.event(Event::Connected { id, result: Ok("AWS eu-west-1".into()) });
    assert_eq!(h.app.cx.busy(), None);
    let metric = |name: &str| CustomMetric { name: name.into(), metric_type: CustomMetricType::Number };
    h.event(Event::Known { id: old_known, result: Ok((vec![metric("oldMetric")], vec!["OldDimension".into()])) });
    h.event(Event::ThingGroups { id: old_groups, result: Ok(vec![("OldGroup".into(), "arn:old".into())]) });
    assert_eq!(h.app.cx.ctx.dimensions, None, "the old region's dimensions are not this one's");
    assert!(h.app.cx.thing_groups.is_empty());
    let id = h.pending(Wait::Known);
    h.event(Event::Known { id, result: Ok((vec![metric("newMetric")], vec!["NewDimension".into()])) });
    assert_eq!(h.app.cx.ctx.dimensions, Some(vec!["NewDimension".to_owned()]));
    // The same answer twice is taken once.
    h.event(Event::Known { id, result: Ok((Vec::new(), vec!["Again".into()])) });
    assert_eq!(h.app.cx.ctx.dimensions, Some(vec!["NewDimension".to_owned()]));
}

#[test]
fn an_abandoned_open_leaves_no_wait_on_the_status_line_and_its_answer_is_dropped() {
    use ddsp::tui::requests::Wait;
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::Enter);
    assert_eq!(h.app.cx.busy(), Some("Opening Fleet…"));
    let id = h.pending(Wait::Open);
    h.key(KeyCode::F(3));
    assert_eq!(h.kind(), Kind::Resources);
    assert_eq!(h.app.cx.busy(), None, "leaving Home abandons the open");
    h.event(Event::Opened { id, result: Err(ddsp::client::ClientError::Network("late".into())) });
    assert!(!h.status().contains("late"), "{}", h.status());
}

#[test]
fn an_unsent_new_profile_is_discarded_only_when_asked_twice() {
    let mut h = Harness::new(&["Fleet"]);
    h.new_profile();
    h.text("Scratch");
    h.key(KeyCode::Esc);
    assert_eq!(h.kind(), Kind::Home);
    h.key(KeyCode::Down);
    h.ctrl('d');
    assert!(h.status().contains("Discard the unsent profile Scratch?"), "{}", h.status());
    assert_eq!(h.app.cx.drafting.unsent.len(), 1, "asked, not discarded");
    // Any other key keeps it.
    h.key(KeyCode::Up);
    h.key(KeyCode::Down);
    h.ctrl('d');
    assert_eq!(h.app.cx.drafting.unsent.len(), 1);
    h.ctrl('d');
    assert!(h.app.cx.drafting.unsent.is_empty(), "the second Ctrl-D discards it");
    assert!(h.status().contains("Discarded the draft of Scratch"), "{}", h.status());
}

#[test]
fn the_status_line_is_one_row_and_alt_m_shows_the_whole_message() {
    let mut h = Harness::new(&["Fleet"]);
    let long = "A message far longer than eighty columns, which the status line cannot show whole and so cuts, ending here: END";
    h.app.cx.say(long);
    let screen = h.render(80, 24);
    let last: Vec<&str> = screen.lines().rev().take(2).collect();
    assert!(last[0].contains("Alt-M") && last[0].contains('…'), "{screen}");
    assert!(!last[0].contains("END") && !last[1].contains("END"), "cut, on one row: {screen}");
    h.event(Event::Key(crossterm::event::KeyEvent::new(KeyCode::Char('m'), crossterm::event::KeyModifiers::ALT)));
    let shown = h.render(80, 24);
    assert!(shown.contains("The whole message") && shown.contains("END"), "{shown}");
    h.key(KeyCode::Char('x'));
    assert!(h.app.overlay.is_none(), "any key closes it");
}

#[test]
fn a_draft_whose_profile_was_deleted_on_the_server_is_listed_and_made_again() {
    let mut h = opened();
    h.text(" (edited)");
    h.key(KeyCode::Esc); // Home: the draft is kept
    // Another user deletes Fleet: the next list does not have it.
    h.ctrl('r');
    let id = h.pending(ddsp::tui::requests::Wait::List);
    h.list(id, &["Other"]);
    let home = h.render(80, 24);
    assert!(home.contains("EDITS OF PROFILES DELETED ON THE SERVER"), "{home}");
    h.key(KeyCode::Down); // past Other, to Fleet's draft
    h.key(KeyCode::Enter);
    assert!(
        h.status().starts_with("Fleet was deleted on the server: its draft is now a new profile"),
        "{}",
        h.status()
    );
    assert!(h.editor().base.is_none(), "only a create can send it now");
    assert_eq!(h.editor().profile.security_profile_description.as_deref(), Some("The fleet (edited)"));
    h.ctrl('s');
    let review = h.render(120, 40);
    assert!(review.contains("CreateSecurityProfile"), "{review}");
}

#[test]
fn an_update_refused_as_not_found_becomes_a_create_instead_of_failing_again() {
    let mut h = opened_and_changed();
    h.key(KeyCode::Enter); // send
    h.answer(Err(service("ResourceNotFoundException", "The security profile Fleet does not exist")));
    assert_eq!(h.kind(), Kind::Editor, "{}", h.render(80, 24));
    assert!(h.status().contains("Fleet is no longer on the server"), "{}", h.status());
    assert!(h.editor().base.is_none());
    h.ctrl('s');
    assert!(h.render(120, 40).contains("CreateSecurityProfile"));
}

#[test]
fn home_says_when_an_unsent_new_profiles_name_was_taken_since() {
    let mut h = Harness::new(&["Fleet"]);
    h.new_profile();
    h.text("Edge");
    h.key(KeyCode::Esc); // Home: the new profile is kept as a draft
    assert!(h.render(80, 24).contains("UNSENT NEW PROFILES"));
    h.ctrl('r');
    let id = h.pending(ddsp::tui::requests::Wait::List);
    h.list(id, &["Edge", "Fleet"]);
    let home = h.render(80, 24);
    let line = home.lines().rfind(|l| l.contains("Edge")).unwrap_or_default();
    assert!(line.contains("name now taken"), "{home}");
}

#[test]
fn restoring_from_the_drafts_screen_says_when_the_server_moved_on() {
    let mut h = opened(); // Fleet at version 4
    h.text(" (edited)");
    h.key(KeyCode::Esc);
    let drafts = h.app.cx.drafting.unsent.clone();
    // Home's list knows the server is at version 5 now; the next start offers the draft.
    if let Some(row) = h.app.home.rows.iter_mut().find(|r| r.name == "Fleet") {
        row.version = Some(5);
    }
    h.event(Event::Drafts(drafts));
    assert_eq!(h.kind(), Kind::Drafts);
    h.key(KeyCode::Enter);
    assert!(h.status().contains("made on version 4; the server is now at version 5"), "{}", h.status());
    assert_eq!(h.editor().server_version, Some(5));
}

#[test]
fn ctrl_n_on_home_offers_a_blank_profile_or_a_template_and_esc_goes_back() {
    let mut h = Harness::new(&["Fleet"]);
    h.ctrl('n');
    let screen = h.render(80, 24);
    assert!(screen.contains("ddsp · new profile") && screen.contains("1 Start from"), "{screen}");
    assert!(!screen.contains("Connect"), "the connection stays as it is: {screen}");
    h.key(KeyCode::Esc);
    assert_eq!(h.kind(), Kind::Home);
    // A template, then its name, then the editor with the template's behaviors.
    h.ctrl('n');
    h.key(KeyCode::Down);
    h.key(KeyCode::Enter);
    assert!(h.render(80, 24).contains("2 Name"));
    h.ctrl('u');
    h.text("Edge-Rules");
    h.key(KeyCode::Enter);
    assert_eq!(h.kind(), Kind::Editor);
    assert_eq!(h.editor().profile.security_profile_name, "Edge-Rules");
    assert!(!h.behavior_names().is_empty(), "the template's behaviors");
    assert!(h.status().starts_with("Started from the"), "{}", h.status());
    // The template's description said what its behaviors did: once they change, a warning says it may not.
    let stale = |h: &Harness| h.editor().problems.iter().any(|p| p.rule == Rule::TemplateDescriptionStale);
    assert!(!stale(&h));
    h.ctrl('n'); // Behaviors
    h.key(KeyCode::Enter);
    h.down(5); // the value
    h.text("0");
    assert!(stale(&h), "{:#?}", h.editor().problems);
    assert!(h.editor().problems.iter().all(|p| p.rule != Rule::TemplateDescriptionStale || !p.is_error()));
}

#[test]
fn a_profile_another_running_editor_holds_a_draft_of_is_not_opened_twice() {
    let dir = std::env::temp_dir().join(format!("ddsp-held-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut h = opened();
    h.text(" (theirs)");
    let endpoint = h.app.cx.endpoint.clone();
    let snapshot = h.editor().snapshot(&h.app.cx);
    let drafts = ddsp::drafts::Drafts { dir: dir.clone() };
    drafts.save(&snapshot.draft()).unwrap();
    // Another editor: a process under this program's name (`sleep`, copied to it), holding this draft.
    let ours = std::fs::read_to_string("/proc/self/comm").unwrap_or_default();
    let twin = dir.join(ours.trim());
    std::fs::copy("/bin/sleep", &twin).unwrap();
    let mut other = std::process::Command::new(&twin).arg("30").spawn().unwrap();
    std::fs::write(dir.join(format!("{}.owner", snapshot.id)), other.id().to_string()).unwrap();
    h.key(KeyCode::Esc);
    h.app.cx.drafting.unsent.clear();
    h.app.cx.drafting.dir = Some(dir.clone());
    assert_eq!(h.app.cx.endpoint, endpoint);
    h.open(base_profile(), Vec::new());
    let _ = other.kill();
    let _ = other.wait();
    assert_eq!(h.kind(), Kind::Home, "not opened a second time");
    let said = format!("Fleet is open in another ddsp (process {})", other.id());
    assert!(h.status().contains(&said), "{}", h.status());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_conflict_lists_the_servers_tag_and_target_changes_and_reapply_keeps_them() {
    let mut h = opened_and_changed();
    h.key(KeyCode::Enter);
    let (id, _) = h.submit();
    h.event(Event::Submitted { id, result: Err(service("VersionConflictException", "stale")) });
    // A colleague tagged the profile and attached it to every registered thing.
    let env = ddsp::domain::profile::Tag { key: "env".into(), value: Some("prod".into()) };
    let all = "arn:aws:iot:us-east-1:123456789012:all/registered-things".to_owned();
    h.server_with(server_moved_on(), vec![env.clone()], vec![all]);
    let screen = h.render(120, 40);
    let theirs = screen.split("Changed on the server:").nth(1).unwrap_or_default();
    let theirs = theirs.split("Your changes:").next().unwrap_or_default();
    assert!(theirs.contains("+ tags.env: prod") && theirs.contains("+ target: all registered things"), "{screen}");
    h.key(KeyCode::Char('r'));
    let ed = h.editor();
    assert_eq!(ed.profile.tags.as_deref(), Some(&[env][..]), "their tag is kept, not untagged");
    assert_eq!(ed.targets, [ddsp::domain::targets::Target::AllRegistered]);
    let (attach, detach) = ed.target_changes();
    assert!(attach.is_empty() && detach.is_empty(), "nothing to attach or detach: {attach:?} {detach:?}");
    assert!(!ed.problems.iter().any(|p| p.rule == Rule::NoTarget), "it has a target: {:#?}", ed.problems);
}

#[test]
fn a_draft_restored_at_start_reads_the_servers_tags_and_targets_again() {
    let mut h = opened(); // Fleet, no tags, no targets
    h.text(" (mine)");
    h.key(KeyCode::Esc);
    let drafts = h.app.cx.drafting.unsent.clone();
    h.event(Event::Drafts(drafts));
    h.key(KeyCode::Enter);
    // The draft's profile was detached and tagged since: the server is asked.
    let env = ddsp::domain::profile::Tag { key: "env".into(), value: Some("prod".into()) };
    let group = "arn:aws:iot:us-east-1:123456789012:thinggroup/Pumps".to_owned();
    h.server_with(base_profile(), vec![env.clone()], vec![group]);
    let ed = h.editor();
    assert_eq!(ed.base_tags, std::slice::from_ref(&env));
    assert_eq!(ed.profile.tags.as_deref(), Some(&[env][..]));
    assert_eq!(ed.targets, [ddsp::domain::targets::Target::ThingGroup("Pumps".into())]);
    assert_eq!(ed.profile.security_profile_description.as_deref(), Some("The fleet (mine)"), "the edit stays");
    assert!(h.status().contains("tags or targets changed on the server"), "{}", h.status());
}
