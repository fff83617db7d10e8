//! One keystroke in the editor on a 100-behavior profile: the key goes through
//! `App::update` (text field, model, validation) and the screen is rendered
//! into an 80x24 buffer. Target: under 200 µs. Measured as a pair (a character
//! typed, then Backspace) so the field's text stays the same length.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ddsp::tui::action::Event;
use ddsp::tui::app::App;
use ddsp::tui::view;
use ddsp::wire::response::SecurityProfileDescription;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
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

fn key(app: &mut App, code: KeyCode) {
    black_box(app.update(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))));
}

fn bench(c: &mut Criterion) {
    let mut app = App::new("sandbox http://127.0.0.1:7411".into(), None);
    app.update(Event::Opened(Ok((hundred(), Vec::new()))));
    // Overview: the name of an existing profile is fixed, so the first row is the description.
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| view::render(&app, f)).unwrap();
    assert_eq!(app.editor.as_ref().unwrap().problems.len(), 0);
    c.bench_function("keystroke pair on a 100-behavior profile (update + validate + render 80x24)", |b| {
        b.iter(|| {
            key(&mut app, KeyCode::Char('x'));
            terminal.draw(|f| view::render(&app, f)).unwrap();
            key(&mut app, KeyCode::Backspace);
            terminal.draw(|f| view::render(&app, f)).unwrap();
        })
    });
    // The loop also hands the edit's draft to the writer thread after each change:
    // this is what that snapshot costs, with the key pair that makes it due.
    c.bench_function("draft snapshot of a 100-behavior profile, with the key pair that makes it due", |b| {
        b.iter(|| {
            key(&mut app, KeyCode::Char('x'));
            black_box(app.take_draft());
            key(&mut app, KeyCode::Backspace);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
