//! Field-by-field differences between the profile on the server and the one
//! about to be sent, for the confirm screen, the conflict screen and `plan`.
//! Behaviors are matched by name, so a changed threshold reads as one change,
//! not a removal and an addition; a behavior added or removed is said in the
//! editor's words ("messages sent > 100 in 5 minutes").

use serde_json::Value;

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added { path: String, value: String },
    Removed { path: String, value: String },
    Changed { path: String, before: String, after: String },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added { path, value } => write!(f, "+ {path}: {value}"),
            Change::Removed { path, value } => write!(f, "- {path}: {value}"),
            Change::Changed { path, before, after } => write!(f, "~ {path}: {before} → {after}"),
        }
    }
}

/// Values longer than this are cut with `…`; the screens wrap what is shorter.
const LONGEST: usize = 400;

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > LONGEST { text.chars().take(LONGEST - 1).collect::<String>() + "…" } else { text }
}

/// A behavior added or removed, in words; its JSON when it does not read as one.
fn behavior_words(v: &Value) -> String {
    match serde_json::from_value::<crate::domain::profile::Behavior>(v.clone()) {
        Ok(b) => crate::domain::choices::summary(&b, None),
        Err(_) => short(v),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

/// The differences from `before` to `after` (both JSON objects of profile members).
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", before, after, &mut out);
    out
}

fn named(items: &[Value]) -> Option<Vec<(&str, &Value)>> {
    items.iter().map(|v| v.get("name").and_then(Value::as_str).map(|n| (n, v))).collect()
}

fn walk(path: &str, before: &Value, after: &Value, out: &mut Vec<Change>) {
    if before == after {
        return;
    }
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    Some(vb) => walk(&join(path, k), va, vb, out),
                    None => out.push(Change::Removed { path: join(path, k), value: short(va) }),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    out.push(Change::Added { path: join(path, k), value: short(vb) });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => match (named(a), named(b)) {
            (Some(na), Some(nb)) => {
                for (name, va) in &na {
                    let at = format!("{path}[{name}]");
                    match nb.iter().find(|(n, _)| n == name) {
                        Some((_, vb)) => walk(&at, va, vb, out),
                        None => out.push(Change::Removed { path: at, value: behavior_words(va) }),
                    }
                }
                for (name, vb) in &nb {
                    if !na.iter().any(|(n, _)| n == name) {
                        out.push(Change::Added { path: format!("{path}[{name}]"), value: behavior_words(vb) });
                    }
                }
                let order_a: Vec<&str> =
                    na.iter().map(|(n, _)| *n).filter(|n| nb.iter().any(|(m, _)| m == n)).collect();
                let order_b: Vec<&str> =
                    nb.iter().map(|(n, _)| *n).filter(|n| na.iter().any(|(m, _)| m == n)).collect();
                if order_a != order_b {
                    out.push(Change::Changed {
                        path: format!("{path} order"),
                        before: order_a.join(", "),
                        after: order_b.join(", "),
                    });
                }
            }
            _ => out.push(Change::Changed { path: path.to_owned(), before: short(before), after: short(after) }),
        },
        _ => out.push(Change::Changed { path: path.to_owned(), before: short(before), after: short(after) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_changed_threshold_is_one_change() {
        let before = json!({"behaviors": [{"name": "A", "criteria": {"value": {"count": 10}}}, {"name": "B", "metric": "aws:num-disconnects", "criteria": {"comparisonOperator": "less-than", "value": {"count": 5}, "durationSeconds": 300}}], "alertTargets": {"SNS": {}}});
        let after = json!({"behaviors": [{"name": "A", "criteria": {"value": {"count": 12}}}, {"name": "C", "metric": "aws:num-messages-sent", "criteria": {"comparisonOperator": "less-than", "value": {"count": 100}, "durationSeconds": 300}}], "securityProfileDescription": "d".repeat(150)});
        let lines: Vec<String> = diff(&before, &after).iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "~ behaviors[A].criteria.value.count: 10 → 12",
                "- behaviors[B]: alarm when disconnects ≥ 5 in 5 minutes",
                "+ behaviors[C]: alarm when messages sent ≥ 100 in 5 minutes",
                "- alertTargets: {\"SNS\":{}}",
                format!("+ securityProfileDescription: \"{}\"", "d".repeat(150)).as_str(),
            ]
        );
    }
}
