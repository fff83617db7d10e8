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
    }
}

/// The client talks to an endpoint at a URL; it does not link the sandbox:
/// whoever wants one starts it (`crate::endpoint`) and hands it over.
#[test]
fn the_client_does_not_link_the_sandbox() {
    let mut files = Vec::new();
    rust_files(Path::new("src/client"), &mut files);
    assert!(files.len() >= 5, "found only {} files", files.len());
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for word in ["crate::sandbox", "rusqlite", "axum"] {
            assert!(!text.contains(word), "{} uses {word}", file.display());
        }
    }
}

/// One type and its behaviour in one place: every inherent `impl` of a type
/// is in the file that defines it, or in the type's own folder (the type is
/// defined in that folder's `mod.rs`). Files are split by meaning, never by size.
#[test]
fn each_type_has_one_home() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let defines = |file: &Path, name: &str| {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        // A type a macro defines is named at the start of its line: `Name {`.
        text.lines().any(|l| l.trim_start().starts_with(&format!("{name} {{")))
            || text.lines().any(|l| {
                let l = l
                    .trim_start()
                    .trim_start_matches("pub ")
                    .trim_start_matches("pub(crate) ")
                    .trim_start_matches("pub(super) ");
                ["struct ", "enum "].iter().any(|k| {
                    l.strip_prefix(k).is_some_and(|r| {
                        r.strip_prefix(name).is_some_and(|t| !t.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
                    })
                })
            })
    };
    let mut away = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("impl") else { continue };
            let rest =
                if rest.starts_with('<') { rest.split_once("> ").map_or("", |(_, r)| r) } else { rest.trim_start() };
            if rest.contains(" for ") || !rest.ends_with('{') {
                continue;
            }
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let folder_home = file.parent().unwrap().join("mod.rs");
            if !defines(file, &name) && !defines(&folder_home, &name) {
                away.push(format!("{name} in {}", file.display()));
            }
        }
    }
    assert!(away.is_empty(), "inherent impls away from their type's file or folder: {away:#?}");
}

/// The sandbox's SQL lives in its store (`src/sandbox/store/`), behind typed
/// functions: a schema change is one folder's business. (The Spark SQL that
/// `backtest --emit-sql` writes is text for another engine, in `wire`.)
#[test]
fn sql_stays_in_the_sandbox_store() {
    let mut files = Vec::new();
    rust_files(Path::new("src/sandbox"), &mut files);
    let mut outside = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with("src/sandbox/store")) {
        let text = std::fs::read_to_string(file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let sql = ["SELECT ", "INSERT ", "DELETE FROM", "UPDATE ", ".execute(", "execute_batch", "prepare_cached"];
            if sql.iter().any(|s| line.contains(s)) && !line.trim_start().starts_with("//") {
                outside.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(outside.is_empty(), "SQL outside src/sandbox/store: {outside:#?}");
}
