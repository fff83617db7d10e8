//! Writes a JSON value as block YAML, in the layout the AWS CLI v2 prints
//! (list items at their parent's indent, `''` for empty strings), with an
//! optional comment after any member. Used for `yaml-input` skeletons and
//! `--output yaml`. Strings are quoted whenever plain YAML would misread them.

use serde_json::Value;

/// The comment to put after a member, by member name.
pub type Comments<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The value as a YAML document (no `---`), ending in a newline.
pub fn to_yaml(value: &Value, comments: Comments) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_object(&mut out, map, 0, false, comments),
        Value::Array(items) if !items.is_empty() => write_array(&mut out, items, 0, comments),
        scalar => {
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
    out
}

fn is_block(value: &Value) -> bool {
    match value {
        Value::Object(map) => !map.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => false,
    }
}

fn push_comment(out: &mut String, key: &str, comments: Comments) {
    if let Some(text) = comments(key) {
        out.push_str(" # ");
        out.push_str(&text);
    }
}

/// Writes the members; when `first_inline` the first one continues a `- ` line.
fn write_object(
    out: &mut String,
    map: &serde_json::Map<String, Value>,
    indent: usize,
    first_inline: bool,
    comments: Comments,
) {
    for (i, (key, value)) in map.iter().enumerate() {
        if !(first_inline && i == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&key_text(key));
        out.push(':');
        if is_block(value) {
            push_comment(out, key, comments);
            out.push('\n');
            match value {
                Value::Object(inner) => write_object(out, inner, indent + 2, false, comments),
                Value::Array(items) => write_array(out, items, indent, comments),
                _ => {}
            }
        } else {
            out.push(' ');
            out.push_str(&scalar_text(value));
            push_comment(out, key, comments);
            out.push('\n');
        }
    }
}

fn write_array(out: &mut String, items: &[Value], indent: usize, comments: Comments) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => write_object(out, map, indent + 2, true, comments),
            Value::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_array(out, inner, indent + 2, comments);
            }
            scalar => {
                out.push_str(&scalar_text(scalar));
                out.push('\n');
            }
        }
    }
}

fn key_text(key: &str) -> String {
    string_text(key)
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string_text(s),
        Value::Array(_) => "[]".to_owned(),
        Value::Object(_) => "{}".to_owned(),
    }
}

/// A string as plain, single-quoted or double-quoted YAML, whichever reads back the same.
pub fn string_text(s: &str) -> String {
    if needs_double_quotes(s) {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if crate::domain::untrusted::is_unsafe(c) || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                    out.push_str(&format!("\\u{:04X}", u32::from(c)));
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    } else if needs_quotes(s) {
        format!("'{}'", s.replace('\'', "''"))
    } else {
        s.to_owned()
    }
}

fn needs_double_quotes(s: &str) -> bool {
    // Controls and bidi overrides are written as escapes: YAML reads them back the same, and no
    // terminal sees them raw.
    s.chars().any(|c| crate::domain::untrusted::is_unsafe(c) || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}'))
}

fn needs_quotes(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return true;
    };
    let last = s.chars().next_back().unwrap_or(first);
    if first.is_whitespace() || last.is_whitespace() {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~" | ".nan" | ".inf" | "-.inf" | "+.inf"
    ) {
        return true;
    }
    looks_numeric(s)
}

fn looks_numeric(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    !t.is_empty()
        && (t.parse::<f64>().is_ok()
            || t.starts_with("0x")
            || t.starts_with("0o")
            || t.chars().all(|c| c.is_ascii_digit() || c == '_' || c == '.' || c == 'e' || c == 'E'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn block_layout_like_the_aws_cli() {
        let v = json!({"name": "", "list": [{"a": 1, "b": [true]}], "empty": [], "num": 0.0});
        let none = |_: &str| None;
        assert_eq!(to_yaml(&v, &none), "name: ''\nlist:\n- a: 1\n  b:\n  - true\nempty: []\nnum: 0.0\n");
    }

    #[test]
    fn strings_read_back_the_same() {
        for s in [
            "",
            "plain",
            "yes",
            "123",
            "1e5",
            "a: b",
            "#x",
            " lead",
            "it's",
            "line\nbreak",
            "\u{1b}[31m",
            "aws:num-messages-sent",
            "-x",
        ] {
            let text = format!("k: {}\n", string_text(s));
            let back: std::collections::BTreeMap<String, String> = serde_saphyr::from_str(&text).unwrap();
            assert_eq!(back["k"], s, "{text}");
        }
    }
}
