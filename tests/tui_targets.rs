//! The editor's part of a profile that monitors something: targets attached
//! after the submit and reported one by one, the 5-profiles-per-target limit,
//! dimensions and custom metrics made in place or from Home, and drafts that
//! keep all of it. No terminal: events in, state and effects out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod harness;

use crossterm::event::KeyCode;
use ddsp::domain::Rule;
use ddsp::domain::targets::Target;
use ddsp::tui::app::{Kind, Screen};
use ddsp::tui::message::{Call, Effect, Event, ResourceKind, ResourceRequest, Resources};
use ddsp::tui::requests::Wait;
use harness::*;

const GROUP_ARN: &str = "arn:aws:iot:us-east-1:123456789012:thinggroup/Sensors";

/// Fleet opened, with the endpoint's thing groups Sensors and Gateways known.
fn opened_with_groups() -> Harness {
    let mut h = opened();
    let id = h.pending(Wait::ThingGroups);
    h.event(Event::ThingGroups {
        id,
        result: Ok(vec![
            ("Sensors".into(), GROUP_ARN.into()),
            ("Gateways".into(), "arn:aws:iot:us-east-1:123456789012:thinggroup/Gateways".into()),
        ]),
    });
    h
}

/// Goes to the Targets section and adds the target the picker finds for `search`.
fn add_target(h: &mut Harness, search: &str) {
    while h.editor().section != ddsp::tui::screens::editor::rows::Section::Targets {
        h.ctrl('p');
    }
    h.ctrl('a');
    h.pick(search);
}

#[test]
fn targets_are_attached_after_the_update_and_shown_before_it() {
    let mut h = opened_with_groups();
    assert!(h.editor().problems.iter().any(|p| p.rule == Rule::NoTarget), "no target: warned");
    // Reviewed before any change, the screen says there is none.
    h.ctrl('s');
    let screen = h.render(100, 40);
    assert!(screen.contains(" No change to "), "titled as what it does:\n{screen}");
    assert!(screen.contains("there is nothing to send"), "{screen}");
    h.key(KeyCode::Esc);
    add_target(&mut h, "Sensors");
    add_target(&mut h, "all registered");
    assert_eq!(h.editor().targets, [Target::ThingGroup("Sensors".into()), Target::AllRegistered]);
    assert!(!h.editor().problems.iter().any(|p| p.rule == Rule::NoTarget));
    // The endpoint is asked how many profiles each new target has.
    assert!(
        h.effects.iter().any(|e| matches!(e, Effect::CountTarget { arn, .. } if arn == GROUP_ARN)),
        "{:?}",
        h.effects
    );
    h.ctrl('s');
    let screen = h.render(100, 40);
    assert!(screen.contains("AttachSecurityProfile arn:aws:iot:us-east-1:123456789012:thinggroup/Sensors"), "{screen}");
    assert!(screen.contains("no update is sent"), "only the targets change:\n{screen}");
    assert!(screen.contains(" Targets of "), "titled as what it does:\n{screen}");
    assert!(screen.contains("its version is checked first"), "{screen}");
    assert!(!screen.contains("expectedVersion") && !screen.contains("once it is applied"), "{screen}");
    h.key(KeyCode::Enter);
    let Some(Effect::Submit { change: targets, .. }) =
        h.effects.iter().rev().find(|e| matches!(e, Effect::Submit { .. }))
    else {
        panic!("{:?}", h.effects)
    };
    assert_eq!(targets.attach.len(), 2);
    assert!(targets.profile_unchanged);
}

#[test]
fn a_partial_failure_says_what_was_applied_and_the_draft_keeps_the_rest() {
    let mut h = opened_with_groups();
    add_target(&mut h, "Sensors");
    add_target(&mut h, "Gateways");
    h.ctrl('s');
    h.key(KeyCode::Enter);
    let mut done = saved(4);
    done.calls = vec![
        Call {
            kind: ddsp::client::apply::CallKind::AttachSecurityProfile,
            detail: GROUP_ARN.into(),
            target: Some(Target::ThingGroup("Sensors".into())),
            error: None,
        },
        Call {
            kind: ddsp::client::apply::CallKind::AttachSecurityProfile,
            detail: "arn:aws:iot:us-east-1:123456789012:thinggroup/Gateways".into(),
            target: Some(Target::ThingGroup("Gateways".into())),
            error: Some(service("LimitExceededException", "The target already has 5 security profiles")),
        },
    ];
    h.answer(Ok(done));
    assert_eq!(h.kind(), Kind::Result);
    let screen = h.render(100, 30);
    assert!(
        screen.contains("✓ AttachSecurityProfile arn:aws:iot:us-east-1:123456789012:thinggroup/Sensors"),
        "{screen}"
    );
    assert!(screen.contains("✗ AttachSecurityProfile") && screen.contains("LimitExceededException"), "{screen}");
    assert!(screen.contains("what failed above is not"), "{screen}");
    // The edits keep what was not applied: Gateways is still to attach, and a draft holds it.
    assert_eq!(h.editor().base_targets, [Target::ThingGroup("Sensors".into())]);
    assert_eq!(h.editor().target_changes().0, [Target::ThingGroup("Gateways".into())]);
    let draft = h.drafts.last().expect("a draft of what is left");
    assert_eq!(draft.meta.targets.as_deref().map(<[Target]>::len), Some(2));
    assert_eq!(draft.meta.base_targets.as_deref(), Some(&[Target::ThingGroup("Sensors".into())][..]));
}

#[test]
fn a_target_with_five_profiles_blocks_the_submit() {
    let mut h = opened_with_groups();
    add_target(&mut h, "Sensors");
    let five = (1..=5).map(|i| format!("Other{i}")).collect();
    let id = h.pending(Wait::TargetProfiles);
    h.event(Event::TargetProfiles { id, arn: GROUP_ARN.into(), result: Ok(five) });
    let hit = h.editor().problems.iter().find(|p| p.rule == Rule::TargetLimit).expect("limit");
    assert!(hit.is_error() && hit.message.contains("already has 5"), "{hit:?}");
    h.ctrl('s');
    assert_eq!(h.kind(), Kind::Editor, "blocked before anything is sent");
}

#[test]
fn the_setup_target_step_gives_the_new_profile_its_target() {
    use ddsp::tui::screens::setup::{SetupScreen, choices};
    let mut h = Harness::bare("not connected");
    h.app.cx.connected = false;
    h.app.start_setup(SetupScreen::new(
        choices(&ddsp::client::ConnectOptions::default(), &[], false),
        Default::default(),
        None,
    ));
    h.key(KeyCode::Enter);
    let id = h.pending(Wait::Connect);
    h.event(Event::Connected { id, result: Ok("local sandbox".into()) });
    let id = h.pending(Wait::ThingGroups);
    h.event(Event::ThingGroups { id, result: Ok(vec![("Sensors".into(), GROUP_ARN.into())]) });
    assert!(h.render(80, 24).contains("What should the profile watch?"));
    h.down(2);
    h.key(KeyCode::Enter); // thing group Sensors
    h.key(KeyCode::Enter); // a blank profile
    h.text("Watched");
    h.key(KeyCode::Enter);
    assert_eq!(h.kind(), Kind::Editor);
    assert_eq!(h.editor().targets, [Target::ThingGroup("Sensors".into())]);
}

#[test]
fn a_dimension_made_from_the_picker_is_picked_and_a_half_made_one_survives_in_the_draft() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.text("Topics");
    h.ctrl('n');
    h.key(KeyCode::Char('a'));
    h.pick("num-messages-sent");
    h.down(1); // Dimension
    h.key(KeyCode::Enter);
    // Under "(none)" and "+ New dimension…", what choosing it does, not the name again.
    let picker = h.render(100, 30);
    assert!(picker.contains("The metric counts every topic.") && !picker.contains("(none) no dimension"), "{picker}");
    assert!(picker.contains("Make a TOPIC_FILTER dimension on the endpoint"), "{picker}");
    h.pick("new dimension");
    assert!(h.editor().form.is_some(), "the form opens in place");
    h.text("Telemetry");
    // Half made: the draft holds the form.
    let draft = h.drafts.last().unwrap().clone();
    assert!(draft.meta.form.as_ref().is_some_and(|f| f["name"] == "Telemetry"), "{:?}", draft.meta.form);
    h.down(1);
    h.text("device/+/telemetry");
    h.ctrl('s');
    let Some(Effect::SaveResource { id, request }) = h.effects.last().cloned() else { panic!("{:?}", h.effects) };
    assert_eq!(
        request,
        ResourceRequest::CreateDimension { name: "Telemetry".into(), values: vec!["device/+/telemetry".into()] }
    );
    h.event(Event::ResourceSaved { id, result: Ok("Telemetry".into()) });
    assert!(h.editor().form.is_none());
    let b = &h.editor().profile.behaviors.as_ref().unwrap()[0];
    assert_eq!(b.metric_dimension.as_ref().map(|d| d.dimension_name.as_str()), Some("Telemetry"));
    assert!(h.editor().problems.iter().all(|p| p.rule != Rule::UnknownDimension), "{:?}", h.editor().problems);

    // The half-made draft restores with its form open.
    let mut next = Harness::new(&[]);
    next.event(Event::Drafts(vec![draft]));
    next.key(KeyCode::Enter);
    let (form, _) = next.editor().form.as_ref().expect("the form comes back");
    assert_eq!(form.name.text(), "Telemetry");
}

#[test]
fn a_dimension_in_use_is_not_deleted_and_one_unused_asks_for_its_name() {
    let mut h = Harness::new(&["Fleet"]);
    h.key(KeyCode::F(3));
    assert_eq!(h.kind(), Kind::Resources);
    assert!(h.effects.iter().any(|e| matches!(e, Effect::LoadResources(_))));
    let id = h.pending(Wait::Resources);
    h.event(Event::Resources {
        id,
        result: Ok(Resources {
            dimensions: vec![
                ("Telemetry".into(), vec!["device/+/telemetry".into()]),
                ("Spare".into(), vec!["x/#".into()]),
            ],
            metrics: Vec::new(),
        }),
    });
    assert!(h.render(80, 24).contains("device/+/telemetry"));
    h.ctrl('d');
    assert!(
        h.effects.iter().any(
            |e| matches!(e, Effect::ResourceUse { kind: ResourceKind::Dimension, name, .. } if name == "Telemetry")
        )
    );
    h.event(Event::ResourceUse {
        id: h.pending(Wait::ResourceUse),
        kind: ResourceKind::Dimension,
        name: "Telemetry".into(),
        result: Ok(vec!["Fleet".into()]),
    });
    assert!(h.status().contains("used by Fleet") && h.app.overlay.is_none(), "{}", h.status());
    h.key(KeyCode::Down);
    h.ctrl('d');
    let id = h.pending(Wait::ResourceUse);
    h.event(Event::ResourceUse { id, kind: ResourceKind::Dimension, name: "Spare".into(), result: Ok(Vec::new()) });
    assert!(h.app.overlay.is_some(), "an unused one asks for its name");
    h.text("Spare");
    h.key(KeyCode::Enter);
    assert!(
        matches!(h.effects.last(), Some(Effect::DeleteResource { name, .. }) if name == "Spare"),
        "{:?}",
        h.effects
    );
    let Screen::Resources(_) = &h.app.screen else { panic!() };
}

#[test]
fn a_create_whose_second_attach_is_refused_says_so_and_keeps_it_to_send() {
    let mut h = Harness::new(&[]);
    let id = h.pending(Wait::ThingGroups);
    h.event(Event::ThingGroups {
        id,
        result: Ok(vec![
            ("Sensors".into(), GROUP_ARN.into()),
            ("Gateways".into(), "arn:aws:iot:us-east-1:123456789012:thinggroup/Gateways".into()),
        ]),
    });
    h.new_profile();
    h.text("Fleet");
    add_target(&mut h, "Sensors");
    add_target(&mut h, "Gateways");
    h.ctrl('s');
    h.key(KeyCode::Enter);
    let (_, submit) = h.submit();
    assert!(matches!(submit, ddsp::wire::change::Submit::Create(_)));
    let mut done = saved(1);
    done.calls = vec![
        Call {
            kind: ddsp::client::apply::CallKind::AttachSecurityProfile,
            detail: GROUP_ARN.into(),
            target: Some(Target::ThingGroup("Sensors".into())),
            error: None,
        },
        Call {
            kind: ddsp::client::apply::CallKind::AttachSecurityProfile,
            detail: "arn:aws:iot:us-east-1:123456789012:thinggroup/Gateways".into(),
            target: Some(Target::ThingGroup("Gateways".into())),
            error: Some(service("ResourceNotFoundException", "The thing group Gateways does not exist")),
        },
    ];
    h.answer(Ok(done));
    let screen = h.render(100, 30);
    assert!(screen.contains("Fleet is saved") && screen.contains("✗ AttachSecurityProfile"), "{screen}");
    assert!(h.status().contains("1 call"), "{}", h.status());
    // Now an existing profile: what is left is an attach of Gateways, kept in a draft.
    assert_eq!(h.editor().version(), Some(1));
    assert_eq!(h.editor().target_changes().0, [Target::ThingGroup("Gateways".into())]);
    let draft = h.drafts.last().unwrap();
    assert_eq!(draft.meta.operation, ddsp::drafts::Operation::UpdateSecurityProfile);
    assert_eq!(draft.meta.base_targets.as_deref(), Some(&[Target::ThingGroup("Sensors".into())][..]));
}

#[test]
fn a_half_made_dimension_on_the_resources_screen_is_a_draft_the_cli_takes() {
    let mut h = Harness::new(&[]);
    h.key(KeyCode::F(3));
    let id = h.pending(Wait::Resources);
    h.event(Event::Resources { id, result: Ok(Resources::default()) });
    h.ctrl('a');
    h.text("Alerts");
    h.key(KeyCode::Down);
    h.text("alerts/#");
    let Some(Effect::SaveWholeDraft(draft)) =
        h.effects.iter().rev().find(|e| matches!(e, Effect::SaveWholeDraft(_))).cloned()
    else {
        panic!("{:?}", h.effects)
    };
    assert_eq!(draft.meta.operation, ddsp::drafts::Operation::CreateDimension);
    assert_eq!(
        draft.request,
        serde_json::json!({"name": "Alerts", "type": "TOPIC_FILTER", "stringValues": ["alerts/#"]})
    );
    // The next start offers it back, with its form.
    let id = draft.id.clone();
    let mut next = Harness::new(&[]);
    next.event(Event::Drafts(vec![*draft]));
    assert!(next.render(80, 24).contains("new dimension"));
    next.key(KeyCode::Enter);
    let Screen::Resources(r) = &next.app.screen else { panic!("{:?}", next.kind()) };
    let form = r.form.as_ref().expect("the form is back");
    assert_eq!((form.name.text(), form.text.text()), ("Alerts".to_owned(), "alerts/#".to_owned()));
    // Esc cancels it: the draft goes.
    next.key(KeyCode::Esc);
    assert!(next.removed.contains(&id), "{:?}", next.removed);
}

/// "Show the call": the aws iot commands shown, run by the real AWS CLI
/// against an empty sandbox, make the profile the editor would have sent.
#[test]
#[ignore = "needs the AWS CLI: scripts/test installs it into .venv and runs it with --include-ignored"]
fn the_calls_shown_make_the_profile_the_editor_would_send() {
    let aws = common::require_aws_cli();
    let mut h = Harness::new(&[]);
    h.app.cx.account = Some("123456789012".into());
    build_profile(&mut h);
    add_target(&mut h, "all registered");
    h.ctrl('s');
    h.key(KeyCode::Char('c'));
    let Some(ddsp::tui::overlays::Overlay::Calls(calls)) = h.app.overlay.clone() else { panic!("no calls shown") };
    assert!(h.render(100, 40).contains("aws iot create-security-profile --cli-input-json"));
    let Screen::Confirm(confirm) = &h.app.screen else { panic!() };
    let sent = confirm.submit.body().unwrap();

    let home = common::temp_dir("calls");
    let empty = common::SandboxProcess::start(&["--in-memory"]);
    let bin = aws.parent().unwrap().to_path_buf();
    let ran = std::process::Command::new("sh")
        .args(["-e", "-c", &calls.commands])
        .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()))
        .env("AWS_ENDPOINT_URL", &empty.url)
        .env("AWS_ACCESS_KEY_ID", ddsp::sandbox::DEFAULT_ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", ddsp::sandbox::DEFAULT_SECRET_KEY)
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", home.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
        .env("AWS_PAGER", "")
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap();
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    let aws_json = |args: &[&str]| {
        let out = std::process::Command::new(&aws)
            .arg("iot")
            .args(args)
            .args(["--endpoint-url", &empty.url, "--output", "json"])
            .env("AWS_ACCESS_KEY_ID", ddsp::sandbox::DEFAULT_ACCESS_KEY)
            .env("AWS_SECRET_ACCESS_KEY", ddsp::sandbox::DEFAULT_SECRET_KEY)
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", home.join("none"))
            .env("AWS_SHARED_CREDENTIALS_FILE", home.join("none"))
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let described = aws_json(&["describe-security-profile", "--security-profile-name", "Fleet-Baseline"]);
    for member in [
        "securityProfileDescription",
        "behaviors",
        "alertTargets",
        "additionalMetricsToRetainV2",
        "metricsExportConfig",
    ] {
        assert_eq!(described[member], sent[member], "{member}");
    }
    let targets = aws_json(&["list-targets-for-security-profile", "--security-profile-name", "Fleet-Baseline"]);
    assert_eq!(targets["securityProfileTargets"][0]["arn"], "arn:aws:iot:us-east-1:123456789012:all/registered-things");
}

#[test]
fn the_target_picker_reads_the_thing_groups_when_it_opens_and_on_ctrl_r() {
    let mut h = opened_with_groups();
    while h.editor().section != ddsp::tui::screens::editor::rows::Section::Targets {
        h.ctrl('p');
    }
    h.ctrl('a');
    // Opening it asked for the endpoint's thing groups again.
    assert!(h.effects.iter().any(|e| matches!(e, Effect::LoadThingGroups(_))), "{:?}", h.effects);
    h.text("demo");
    let id = h.pending(Wait::ThingGroups);
    // A group made since the editor opened (in another shell) is offered, with the search kept.
    h.event(Event::ThingGroups {
        id,
        result: Ok(vec![
            ("Sensors".into(), GROUP_ARN.into()),
            ("demo-fleet".into(), "arn:aws:iot:us-east-1:123456789012:thinggroup/demo-fleet".into()),
        ]),
    });
    let picker = h.editor().picker.as_ref().expect("the picker stays open");
    assert_eq!(picker.query, "demo");
    assert!(picker.visible().iter().any(|i| i.value == "thinggroup/demo-fleet"), "{:?}", picker.visible());
    h.effects.clear();
    h.ctrl('r');
    assert!(h.effects.iter().any(|e| matches!(e, Effect::LoadThingGroups(_))), "Ctrl-R reads them again");
    assert!(h.status().starts_with("Reading the endpoint's lists again"), "{}", h.status());
    let id = h.pending(Wait::ThingGroups);
    h.event(Event::ThingGroups { id, result: Ok(vec![("Sensors".into(), GROUP_ARN.into())]) });
    assert!(h.status().starts_with("The endpoint's lists are read again"), "the reading is over: {}", h.status());
    // Ctrl-U clears the search, as it clears every text field.
    h.text("zz");
    h.ctrl('u');
    assert_eq!(h.editor().picker.as_ref().map(|p| p.query.as_str()), Some(""));
}

#[test]
fn the_cloudformation_resource_names_its_targets_even_before_the_account_is_known() {
    let mut h = Harness::new(&[]);
    h.new_profile();
    h.text("Fresh");
    add_target(&mut h, "registered");
    assert_eq!(h.editor().targets, [Target::AllRegistered]);
    let calls = h.app.calls().expect("the calls");
    assert!(
        calls
            .cloudformation
            .contains("\"Fn::Sub\": \"arn:aws:iot:${AWS::Region}:${AWS::AccountId}:all/registered-things\""),
        "{}",
        calls.cloudformation
    );
}
