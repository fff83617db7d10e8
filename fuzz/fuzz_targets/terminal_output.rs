//! The terminal side of the commands' output: any text as a value (and as a
//! key), rendered in every output format for a terminal, never writes ESC, C1
//! controls, DEL or bidi controls raw (tab and newline are the layout's own).
#![no_main]

use ddsp::cli::output::{OutputFormat, OutputSettings, TimestampFormat, render};
use ddsp::domain::untrusted::{is_unsafe, neutralise, neutralise_lines};
use libfuzzer_sys::fuzz_target;

fn inert(text: &str, layout: &[char]) -> bool {
    text.chars().all(|c| !is_unsafe(c) || layout.contains(&c))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    assert!(inert(&neutralise(&text), &[]));
    assert!(inert(&neutralise_lines(&text), &['\n']));
    let value = serde_json::json!({ "name": text, text.to_string(): [text, 1] });
    for format in [OutputFormat::Json, OutputFormat::Yaml, OutputFormat::YamlStream, OutputFormat::Text, OutputFormat::Table] {
        for color in [false, true] {
            let settings = OutputSettings {
                format,
                timestamps: TimestampFormat::Wire,
                query: None,
                color,
                width: 80,
                terminal: true,
            };
            let shown = render(value.clone(), "Fuzz", &settings).expect("renders");
            let shown = if color { shown.replace("\u{1b}[0m", "").replace("\u{1b}[2m\u{1b}[33m", "").replace("\u{1b}[1m\u{1b}[34m", "") } else { shown };
            assert!(inert(&shown, &['\n', '\t']), "{format:?}: {shown:?}");
        }
    }
});
