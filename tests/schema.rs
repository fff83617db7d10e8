//! `ddsp schema` against the `jsonschema` package from PyPI (scripts/test
//! installs it into .venv): every valid fixture and template passes, and the
//! invalid fixtures whose fault a schema can say are refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python with jsonschema and PyYAML: $DDSP_PYTHON, else .venv's.
fn python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DDSP_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    venv.exists().then_some(venv)
}

const CHECK: &str = r#"
import json, sys, yaml, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
out = []
for path in sys.argv[2:]:
    text = open(path).read()
    doc = yaml.safe_load(text) if path.endswith((".yaml", ".yml")) else json.loads(text)
    errors = list(v.iter_errors(doc))
    out.append({"file": path, "valid": not errors, "errors": [e.message for e in errors[:2]]})
print(json.dumps(out))
"#;

#[test]
#[ignore = "needs jsonschema in .venv: scripts/test installs it and runs it with --include-ignored"]
fn the_schema_accepts_the_valid_files_and_refuses_what_it_can_say() {
    let python = python().expect("jsonschema and PyYAML in .venv (scripts/test installs them)");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("ddsp-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("schema.json");
    let out = Command::new(env!("CARGO_BIN_EXE_ddsp")).arg("schema").output().unwrap();
    assert!(out.status.success());
    std::fs::write(&schema, &out.stdout).unwrap();
    let valid: Vec<PathBuf> =
        ["tests/fixtures/possible-issue-create.json", "tests/fixtures/possible-issue-create.yaml"]
            .iter()
            .map(|f| root.join(f))
            .chain(std::fs::read_dir(root.join("assets/templates")).unwrap().flatten().map(|e| e.path()))
            .collect();
    // The invalid fixtures that parse, whose fault is a member's type, an unknown member or a range.
    let invalid: Vec<PathBuf> = [
        "behavior-list.yaml",
        "behaviors-object.json",
        "criteria-list.json",
        "null-behaviors.json",
        "null-count.json",
        "null-criteria.json",
        "null-description.json",
        "null-tags.json",
        "tag-value-number.json",
        "unknown-key.json",
        "wrong-type.yaml",
        "yaml-description-number.yaml",
        "yaml-quoted-bool.yaml",
        "yaml-quoted-count.yaml",
        "yaml-quoted-duration.yaml",
        "yaml-tag-value-bool.yaml",
        "yaml-tag-value-float.yaml",
    ]
    .iter()
    .map(|f| root.join("tests/fixtures/invalid").join(f))
    .collect();
    let run =
        Command::new(python).args(["-c", CHECK]).arg(&schema).args(valid.iter().chain(&invalid)).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let results: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    for r in results.as_array().unwrap() {
        let file = r["file"].as_str().unwrap();
        let expected = valid.iter().any(|v| v.to_str() == Some(file));
        assert_eq!(r["valid"].as_bool(), Some(expected), "{file}: {}", r["errors"]);
    }
    let _ = std::fs::remove_dir_all(dir);
}
