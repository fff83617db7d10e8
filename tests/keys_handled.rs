//! Every key the keymap binds is handled where it is bound: each action of a
//! context's table is matched (`Action::Name`) in the component that owns the
//! context, so no binding is listed in the help and the hint bar but dead,
//! and no component answers a key the keymap does not name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::tui::keymap::{Context, table};

/// The files of the component (or components) that own a context.
fn owners(ctx: Context) -> &'static [&'static str] {
    match ctx {
        Context::Global => &["src/tui/app/mod.rs", "src/tui/runner.rs"],
        Context::Home => &["src/tui/screens/home.rs"],
        Context::Editor | Context::Behaviors | Context::Problems => {
            &["src/tui/screens/editor/keys.rs", "src/tui/screens/editor/mod.rs", "src/tui/screens/editor/chart.rs"]
        }
        Context::Picker => &["src/tui/screens/editor/keys.rs", "src/tui/overlays/picker.rs"],
        Context::Confirm => &["src/tui/screens/confirm.rs"],
        Context::Result => &["src/tui/screens/result.rs"],
        Context::Conflict => &["src/tui/screens/conflict.rs"],
        Context::Drafts => &["src/tui/screens/drafts.rs"],
        Context::Setup | Context::SetupStart => &["src/tui/screens/setup.rs"],
        Context::DeletePrompt => &["src/tui/overlays/delete.rs"],
        Context::QuitPrompt => &["src/tui/overlays/quit.rs"],
        Context::Resources => &["src/tui/screens/resources.rs"],
        Context::ResourceForm => &["src/tui/screens/resource_form.rs"],
        Context::Calls => &["src/tui/overlays/calls.rs"],
        Context::Violations | Context::VerifyChoice => &["src/tui/screens/violations.rs"],
        Context::Mitigate => &["src/tui/screens/mitigate.rs"],
        Context::Help => &["src/tui/overlays/help.rs"],
        Context::Palette => &["src/tui/overlays/palette.rs"],
    }
}

#[test]
fn every_bound_action_is_handled_by_its_context_owner() {
    let mut dead = Vec::new();
    for ctx in Context::ALL {
        let source: String = owners(ctx).iter().map(|f| std::fs::read_to_string(f).expect(f)).collect();
        for b in table(ctx) {
            let name = format!("Action::{:?}", b.action);
            if !source.contains(&name) {
                dead.push(format!("{ctx:?}: {name} ({})", b.help));
            }
        }
    }
    assert!(dead.is_empty(), "bound but handled nowhere in their context's component: {dead:#?}");
}

/// Components read keys through the keymap: raw key codes are matched only
/// where text is typed (characters and Backspace), in the text widget, or by
/// the loop's test-only panic key.
#[test]
fn no_component_matches_raw_keys_for_commands() {
    let mut files = Vec::new();
    collect(std::path::Path::new("src/tui"), &mut files);
    let mut raw = Vec::new();
    for file in files {
        let name = file.display().to_string();
        if name.ends_with("bindings.rs") || name.ends_with("keymap.rs") || name.ends_with("text_field.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("KeyCode::") {
                let after = &rest[i + "KeyCode::".len()..];
                let code: String = after.chars().take_while(|c| c.is_alphanumeric()).collect();
                let typing = matches!(code.as_str(), "Char" | "Backspace");
                let test_key = name.ends_with("runner.rs") && code == "F";
                if !typing && !test_key {
                    raw.push(format!("{name}:{}: {}", n + 1, line.trim()));
                }
                rest = after;
            }
        }
    }
    assert!(raw.is_empty(), "raw key codes outside text typing: {raw:#?}");
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
