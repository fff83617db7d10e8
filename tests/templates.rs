//! The setup's templates: each is a `--cli-input-json` file that validates with
//! no problem at all, says in its description what it watches, and is accepted
//! by the sandbox through the SDK as it is.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ddsp::domain::{Context, validate};
use ddsp::templates::TEMPLATES;

#[test]
fn every_template_validates_clean_and_says_what_it_watches() {
    assert!(TEMPLATES.len() >= 4);
    for t in TEMPLATES {
        let p = t.profile().unwrap();
        let problems = validate(&p, &Context { region: Some("us-east-1".into()), ..Context::default() });
        assert!(problems.is_empty(), "{}: {problems:?}", t.id);
        let description = t.description();
        assert!(description.len() > 60, "{}: the description should say what it watches", t.id);
        // Observe retains metrics and watches nothing yet; every other template has behaviors.
        let behaviors = p.behaviors.clone().unwrap_or_default();
        if t.id == "observe" {
            assert!(behaviors.is_empty() && !p.additional_metrics_to_retain_v2.unwrap_or_default().is_empty());
        } else {
            assert!(!behaviors.is_empty(), "{}", t.id);
        }
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/templates/{}.json", t.id));
        assert_eq!(std::fs::read_to_string(file).unwrap(), t.json);
    }
}

#[test]
fn the_ml_template_covers_every_metric_ml_detect_supports() {
    use ddsp::domain::metrics::{BUILTIN_METRICS, Support};
    let ml = TEMPLATES.iter().find(|t| t.id == "ml-detect").unwrap().profile().unwrap();
    let used: Vec<String> = ml.behaviors.unwrap().into_iter().filter_map(|b| b.metric).collect();
    for m in BUILTIN_METRICS.iter().filter(|m| m.ml == Support::Yes) {
        assert!(used.iter().any(|u| u == m.name), "{} is not in the ML Detect template", m.name);
    }
}

#[test]
fn ddsp_creates_every_template_as_it_is() {
    let data = std::env::temp_dir().join(format!("ddsp-templates-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    for t in TEMPLATES {
        let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("assets/templates/{}.json", t.id));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ddsp"))
            .args(["create-security-profile", "--sandbox", "--cli-input-json"])
            .arg(format!("file://{}", file.display()))
            .env("XDG_DATA_HOME", &data)
            .env("HOME", &data)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}: {}", t.id, String::from_utf8_lossy(&out.stderr));
        let answer: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            answer["securityProfileArn"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/{}", t.profile().unwrap().security_profile_name))
        );
    }
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn observe_retains_every_metric_the_rule_templates_watch() {
    let observe = TEMPLATES.iter().find(|t| t.id == "observe").unwrap().profile().unwrap();
    let kept: Vec<String> = observe.additional_metrics_to_retain_v2.unwrap().into_iter().map(|m| m.metric).collect();
    for t in TEMPLATES.iter().filter(|t| !matches!(t.id, "observe" | "ml-detect")) {
        for b in t.profile().unwrap().behaviors.unwrap() {
            let metric = b.metric.unwrap();
            assert!(kept.contains(&metric), "{} (in {}) is not retained by observe", metric, t.id);
        }
    }
}
