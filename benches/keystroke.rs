//! One keystroke in the editor on a 100-behavior profile, through the real
//! loop step: `Runner::step` (the key through `App::update`: the text field,
//! the model, validation with the update rules, the edit's snapshot handed
//! to the draft writer thread) and the frame drawn through crossterm into a
//! sink (the diff of cells and the bytes written). Target: under 100 µs.
//! Measured as a pair (a character typed, then Backspace) so the field's text
//! stays the same length.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddsp::tui::app::App;
use ddsp::tui::message::{Effect, Event};
use ddsp::tui::runner::Runner;
use ddsp::tui::view;
use ddsp::wire::response::{SecurityProfileDescription, SecurityProfileIdentifier};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde_json::{Value, json};

fn hundred() -> SecurityProfileDescription {
    let kinds = [
        json!({"metric": "aws:num-messages-sent", "criteria": {"comparisonOperator": "greater-than", "value": {"count": 100}, "durationSeconds": 300}}),
        json!({"metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [22, 443, 8883]}}}),
        json!({"metric": "aws:destination-ip-addresses", "criteria": {"comparisonOperator": "not-in-cidr-set", "value": {"cidrs": ["10.0.0.0/8"]}}}),
        json!({"metric": "aws:all-bytes-out", "criteria": {"comparisonOperator": "greater-than", "statisticalThreshold": {"statistic": "p90"}, "durationSeconds": 900}}),
        json!({"metric": "aws:num-authorization-failures", "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}}),
    ];
    let behaviors: Vec<Value> = (0..100)
        .map(|i| {
            let mut b = kinds[i % kinds.len()].clone();
            b["name"] = json!(format!("behavior-{i}"));
            b
        })
        .collect();
    serde_json::from_value(json!({
        "securityProfileName": "Fleet", "securityProfileArn": "arn:aws:iot:us-east-1:123456789012:securityprofile/Fleet",
        "securityProfileDescription": "A hundred behaviors", "behaviors": behaviors, "version": 3
    }))
    .unwrap()
}

fn key(runner: &mut Runner, app: &mut App, code: KeyCode) {
    black_box(runner.step(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE))));
}

/// The app with the 100-behavior profile open, as Home's Enter opens it.
fn opened() -> App {
    let mut app = App::new("sandbox http://127.0.0.1:7411".into(), None);
    let Some(Effect::ListProfiles(id)) = app.start().first().cloned() else { panic!() };
    let fleet = SecurityProfileIdentifier {
        name: "Fleet".into(),
        arn: "arn:aws:iot:us-east-1:123456789012:securityprofile/Fleet".into(),
    };
    app.update(Event::Listed { id, result: Ok(vec![fleet]) });
    let effects = app.update(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    let Some(Effect::Open { id, .. }) = effects.first().cloned() else { panic!("{effects:?}") };
    app.update(Event::Opened { id, result: Ok((hundred(), Vec::new(), Vec::new())) });
    app
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("ddsp-keystroke-bench-{}", std::process::id()));
    let mut runner = Runner::offline(Some(ddsp::drafts::Drafts { dir: dir.clone() }));
    let mut app = opened();
    assert_eq!(app.editor().unwrap().errors(), 0);
    // Overview: the name of an existing profile is fixed, so the first row is the description.
    let backend = CrosstermBackend::new(std::io::sink());
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, 80, 24)) };
    let mut terminal = Terminal::with_options(backend, options).unwrap();
    terminal.draw(|f| view::render(&app, f)).unwrap();
    c.bench_function("keystroke pair on a 100-behavior profile (loop step + draft hand-off + frame written)", |b| {
        b.iter(|| {
            key(&mut runner, &mut app, KeyCode::Char('x'));
            terminal.draw(|f| view::render(&app, f)).unwrap();
            key(&mut runner, &mut app, KeyCode::Backspace);
            terminal.draw(|f| view::render(&app, f)).unwrap();
        })
    });
    c.bench_function("parts: update only (pair)", |b| {
        b.iter(|| {
            black_box(app.update(Event::Key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE))));
            black_box(app.update(Event::Key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE))));
        })
    });
    c.bench_function("parts: render only (pair)", |b| {
        b.iter(|| {
            terminal.draw(|f| view::render(&app, f)).unwrap();
            terminal.draw(|f| view::render(&app, f)).unwrap();
        })
    });
    c.bench_function("parts: rules only (pair)", |b| {
        let ctx = app.cx.ctx.clone();
        b.iter(|| {
            black_box(app.editor().unwrap().rules(&ctx));
            black_box(app.editor().unwrap().rules(&ctx));
        })
    });
    c.bench_function("parts: snapshot only (pair)", |b| {
        b.iter(|| {
            black_box(app.editor().unwrap().snapshot(&app.cx));
            black_box(app.editor().unwrap().snapshot(&app.cx));
        })
    });
    // The same on the behaviors list, where each key rebuilds 100 rows.
    for _ in 0..1 {
        runner.step(&mut app, Event::Key(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)));
    }
    c.bench_function("moving on the 100-behavior list (loop step + frame written)", |b| {
        b.iter(|| {
            key(&mut runner, &mut app, KeyCode::Down);
            terminal.draw(|f| view::render(&app, f)).unwrap();
            key(&mut runner, &mut app, KeyCode::Up);
            terminal.draw(|f| view::render(&app, f)).unwrap();
        })
    });
    runner.finish_drafts();
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
