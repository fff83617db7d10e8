//! The pure core stays pure: nothing under src/domain does I/O, runs async,
//! draws, or reaches for JSON values or AWS types (style.md "Module layout").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "std::fs",
    "std::io",
    "std::net::TcpStream",
    "std::process",
    "std::env",
    "tokio",
    "ratatui",
    "crossterm",
    "aws_sdk_iot",
    "axum",
    "rusqlite",
    "serde_json::Value",
    "println!",
    "eprintln!",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn domain_has_no_io_ui_or_network() {
    let mut files = Vec::new();
    rust_files(Path::new("src/domain"), &mut files);
    assert!(files.len() >= 10, "found only {} files", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Unit tests may use what they like.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for word in FORBIDDEN {
            assert!(!code.contains(word), "{} uses {word}", file.display());
        }
    }
}

/// The editor works through the client and the wire shapes: it names no AWS
/// SDK type, no sandbox internals, and not the commands (no `cli` ↔ `tui` cycle).
#[test]
fn tui_stays_above_the_wire_and_off_the_commands() {
    let mut files = Vec::new();
    rust_files(Path::new("src/tui"), &mut files);
    assert!(files.len() >= 20, "found only {} files", files.len());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for word in ["aws_sdk_iot", "crate::cli::", "crate::sandbox", "rusqlite", "axum"] {
            assert!(!text.contains(word), "{} uses {word}", file.display());
        }
        // Files of roughly 150-400 lines; none over 500.
        let lines = text.lines().count();
        assert!(lines <= 500, "{} has {lines} lines", file.display());
    }
}
