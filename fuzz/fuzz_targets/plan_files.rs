//! Profile files as `ddsp plan` reads them (the create document with `x-ddsp`
//! beside it, JSON or YAML): any text gives a file or an error with its line
//! and column, never a panic; a file that reads is planned against an endpoint
//! that has the same profile (an update or unchanged) and one that has none
//! (a create), with prune. The same text is also read as a saved plan
//! (`ddsp apply PLAN`): a plan or a reason, never a panic, and a plan read
//! back checks its place.
#![no_main]

use std::collections::BTreeMap;

use ddsp::wire::plan::{Current, plan, read_file};
use ddsp::wire::response::SecurityProfileDescription;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(Some(saved)) = ddsp::wire::saved_plan::SavedPlan::read(text) {
        let _ = saved.check_place("http://127.0.0.1:1", "us-east-1");
    }
    let Ok(file) = read_file("fuzz.json", text) else { return };
    let _ = plan(std::slice::from_ref(&file), &BTreeMap::new(), true);
    let description: SecurityProfileDescription = serde_json::from_value(serde_json::json!({
        "securityProfileName": file.profile.security_profile_name,
        "behaviors": [{"name": "b", "metric": "aws:num-messages-sent",
                       "criteria": {"comparisonOperator": "less-than", "value": {"count": 5}, "durationSeconds": 300}}],
        "version": 3
    }))
    .unwrap_or_default();
    let mut current = BTreeMap::new();
    current.insert(
        file.profile.security_profile_name.clone(),
        Current { description, tags: Vec::new(), targets: Vec::new() },
    );
    let _ = plan(std::slice::from_ref(&file), &current, true);
});
