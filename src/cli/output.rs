//! How a command prints its result, as the AWS CLI does: `--query` (JMESPath)
//! first, then `--output json|yaml|yaml-stream|text|table`. Timestamps follow
//! the user's `cli_timestamp_format` as AWS CLI v2 reads it (`iso8601`, the
//! default: `2019-06-11T18:35:02.528000+00:00`; `none` or `wire`: epoch
//! seconds as sent).

use serde_json::Value;

use super::table;
use crate::wire::skeleton::json_text;
use crate::wire::yaml_out::to_yaml;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Json,
    Yaml,
    YamlStream,
    Text,
    Table,
}

impl OutputFormat {
    /// The format named in a config file or AWS_DEFAULT_OUTPUT.
    pub fn parse(text: &str) -> Option<OutputFormat> {
        match text.trim() {
            "json" => Some(OutputFormat::Json),
            "yaml" => Some(OutputFormat::Yaml),
            "yaml-stream" => Some(OutputFormat::YamlStream),
            "text" => Some(OutputFormat::Text),
            "table" => Some(OutputFormat::Table),
            _ => None,
        }
    }
}

/// `cli_timestamp_format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// As the service sent them (`none` / `wire`; the AWS CLI v1 default).
    Wire,
    /// The AWS CLI v2 default.
    Iso8601,
}

/// Everything that decides how output looks.
#[derive(Debug, Clone)]
pub struct OutputSettings {
    pub format: OutputFormat,
    pub timestamps: TimestampFormat,
    pub query: Option<String>,
    /// Colour table rows (`--color on`, or `auto` on a terminal).
    pub color: bool,
    /// Columns available to a table.
    pub width: usize,
    /// Output goes to a terminal: text and table neutralise control characters
    /// in values (JSON and YAML escape them anyway).
    pub terminal: bool,
}

/// Members that hold timestamps in the operations ddsp prints.
const TIMESTAMP_KEYS: &[&str] = &[
    "creationDate",
    "lastModifiedDate",
    "lastViolationTime",
    "violationStartTime",
    "violationEventTime",
    "timestamp",
    "trainingDataCollectionStartDate",
    "lastModelRefreshDate",
    "notBefore",
    "notAfter",
    "taskStartTime",
    "taskEndTime",
    "executionStartDate",
    "executionEndDate",
    "startTime",
    "endTime",
];

/// Renders a result; an empty object prints nothing, as the CLI does.
pub fn render(value: Value, title: &str, settings: &OutputSettings) -> Result<String, String> {
    let mut value = value;
    if settings.timestamps == TimestampFormat::Iso8601 {
        convert_timestamps(&mut value);
    }
    if let Some(query) = &settings.query {
        value = apply_query(query, &value)?;
    } else if value.as_object().is_some_and(|m| m.is_empty()) {
        return Ok(String::new());
    }
    Ok(match settings.format {
        OutputFormat::Json if settings.terminal => json_for_terminal(&json_text(&value)),
        OutputFormat::Json => json_text(&value),
        // The YAML writer escapes every unsafe character in a double-quoted scalar, pipe or not.
        OutputFormat::Yaml => to_yaml(&value, &|_| None),
        OutputFormat::YamlStream => format!("- {}", indent_stream(&to_yaml(&value, &|_| None))),
        OutputFormat::Text | OutputFormat::Table => {
            if settings.terminal {
                neutralise_values(&mut value);
            }
            match settings.format {
                OutputFormat::Text => text(&value),
                _ => table::render(title, &value, settings.width, settings.color),
            }
        }
    })
}

/// Every string and key of a document made inert for a terminal (escapes,
/// colour codes, newlines that would fake a row, bidi overrides shown as
/// `\u{..}`), before text or table output adds its own layout and colours.
/// Pipes get the values as sent.
fn neutralise_values(value: &mut Value) {
    use crate::domain::untrusted::{is_unsafe, neutralise};
    match value {
        Value::String(s) if s.chars().any(is_unsafe) => *s = neutralise(s).into_owned(),
        Value::Array(items) => items.iter_mut().for_each(neutralise_values),
        Value::Object(map) => {
            if map.keys().any(|k| k.chars().any(is_unsafe)) {
                let members = std::mem::take(map);
                for (k, mut v) in members {
                    neutralise_values(&mut v);
                    map.insert(neutralise(&k).into_owned(), v);
                }
            } else {
                map.values_mut().for_each(neutralise_values);
            }
        }
        _ => {}
    }
}

/// JSON for a terminal: the characters serde_json leaves raw inside strings
/// (DEL, C1 controls, bidi overrides) written as `\uXXXX` escapes, so the
/// document means the same and nothing reaches the terminal raw. C0 controls
/// are escaped by serde_json already.
fn json_for_terminal(text: &str) -> String {
    use crate::domain::untrusted::is_unsafe;
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c != '\n' && is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// yaml-stream writes each response as an element of a top-level list.
fn indent_stream(yaml: &str) -> String {
    let mut lines = yaml.lines();
    let mut out = String::new();
    if let Some(first) = lines.next() {
        out.push_str(first);
        out.push('\n');
    }
    for line in lines {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// JMESPath's legacy literals, as the AWS CLI (jmespath.py) takes them: a
/// backtick literal that is not JSON (`` `E` ``) is read as the string it
/// holds, leading spaces dropped; the Rust crate takes JSON only, so such a
/// literal is rewritten as the JSON string before compiling. Raw strings
/// ('…') and quoted identifiers ("…") are passed over as they are.
fn legacy_literals(query: &str) -> (std::borrow::Cow<'_, str>, Vec<Anchor>) {
    if !query.contains('`') {
        return (std::borrow::Cow::Borrowed(query), Vec::new());
    }
    let mut out = String::with_capacity(query.len() + 8);
    let mut anchors = vec![Anchor { rewritten: 0, typed: 0, verbatim: true }];
    // Characters read of `query` so far.
    let mut read = 0;
    let mut chars = query.chars().peekable();
    let mut next = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        let c = chars.next();
        read += usize::from(c.is_some());
        (c, read)
    };
    while let (Some(c), at) = next(&mut chars) {
        match c {
            '\'' | '"' => {
                // A raw string or a quoted identifier: copied up to its closing quote.
                out.push(c);
                while let (Some(d), _) = next(&mut chars) {
                    out.push(d);
                    if d == '\\' {
                        if let (Some(e), _) = next(&mut chars) {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '`' => {
                anchors.push(Anchor { rewritten: out.chars().count(), typed: at - 1, verbatim: false });
                let mut raw = String::new();
                let mut closed = false;
                let mut after = at;
                while let (Some(d), n) = next(&mut chars) {
                    after = n;
                    match d {
                        '\\' if chars.peek() == Some(&'`') => {
                            after = next(&mut chars).1;
                            raw.push('`');
                        }
                        '`' => {
                            closed = true;
                            break;
                        }
                        _ => raw.push(d),
                    }
                }
                let json = if !closed || serde_json::from_str::<serde_json::Value>(&raw).is_ok() {
                    raw
                } else {
                    serde_json::to_string(raw.trim_start()).unwrap_or(raw)
                };
                out.push('`');
                out.push_str(&json.replace('`', "\\`"));
                if closed {
                    out.push('`');
                }
                anchors.push(Anchor { rewritten: out.chars().count(), typed: after, verbatim: true });
            }
            _ => out.push(c),
        }
    }
    (std::borrow::Cow::Owned(out), anchors)
}

/// Where a stretch of the rewritten expression starts, in characters, and
/// where it came from in the expression as typed; `verbatim` when the
/// stretch was copied as it was (a place in a rewritten literal maps to the
/// literal's start).
#[derive(Debug, Clone, Copy)]
struct Anchor {
    rewritten: usize,
    typed: usize,
    verbatim: bool,
}

/// A compile error of the expression `legacy_literals` rewrote, said of the
/// expression as typed: its place taken back through the `anchors`.
fn as_typed(typed: &str, anchors: &[Anchor], e: jmespath::JmespathError) -> jmespath::JmespathError {
    let Some(a) = anchors.iter().rev().find(|a| a.rewritten <= e.offset) else { return e };
    let at = if a.verbatim { a.typed + (e.offset - a.rewritten) } else { a.typed };
    jmespath::JmespathError::new(typed, at.min(typed.chars().count()), e.reason)
}

/// Compiles and runs a JMESPath expression. The JMESPath crate sorts object
/// keys; the CLI keeps the service's order, so objects in the result take the
/// key order of the first object of the input that has all their keys.
pub fn apply_query(query: &str, value: &Value) -> Result<Value, String> {
    let shown = crate::domain::untrusted::neutralise(query);
    let depth = query_depth(query);
    if depth > MAX_QUERY_DEPTH {
        return Err(format!(
            "Bad value for --query: the expression has {depth} operators and brackets, which could nest that deep; at most {MAX_QUERY_DEPTH} are read"
        ));
    }
    let (rewritten, anchors) = legacy_literals(query);
    let expr = jmespath::compile(&rewritten)
        .map_err(|e| format!("Bad value for --query {shown}: {}", as_typed(query, &anchors, e)))?;
    let data = jmespath::Variable::from_serializable(value).map_err(|e| e.to_string())?;
    let result = expr.search(data).map_err(|e| format!("--query {shown}: {e}"))?;
    let mut out = serde_json::to_value(&*result).map_err(|e| e.to_string())?;
    let mut shapes = Vec::new();
    key_orders(value, &mut shapes);
    restore_order(&mut out, &shapes);
    Ok(out)
}

/// The deepest expression `--query` reads. The JMESPath parser and evaluator
/// recurse once per level, so 20,000 nested brackets would overflow the stack;
/// real queries are a few levels deep.
const MAX_QUERY_DEPTH: usize = 256;

/// How deep an expression's tree can be, counted from its text: every
/// bracket, parenthesis and brace, and every operator character (`.`, `|`,
/// `!`, `&`, `<`, `>`, `=`, `,`), outside quoted identifiers, raw strings and
/// literals. Each can add a level (`a[][]…`, `a && a && …` nest as deeply as
/// `[[[…]]]`), so their count bounds the depth.
fn query_depth(query: &str) -> usize {
    let mut count = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in query.chars() {
        if let Some(q) = quote {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                _ if c == q => quote = None,
                _ => {}
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '[' | '(' | '{' | '.' | '|' | '!' | '&' | '<' | '>' | '=' | ',' => count += 1,
            _ => {}
        }
    }
    count
}

/// The key order of every object in a document.
fn key_orders(value: &Value, shapes: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => {
            shapes.push(map.keys().cloned().collect());
            map.values().for_each(|v| key_orders(v, shapes));
        }
        Value::Array(items) => items.iter().for_each(|v| key_orders(v, shapes)),
        _ => {}
    }
}

fn restore_order(value: &mut Value, shapes: &[Vec<String>]) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(|v| restore_order(v, shapes));
            if let Some(order) = shapes.iter().find(|shape| map.keys().all(|k| shape.contains(k))) {
                let mut entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                entries.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
                map.extend(entries);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| restore_order(v, shapes)),
        _ => {}
    }
}

fn convert_timestamps(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if TIMESTAMP_KEYS.contains(&k.as_str())
                    && let Some(secs) = v.as_f64()
                {
                    *v = Value::String(iso8601(secs));
                } else {
                    convert_timestamps(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(convert_timestamps),
        _ => {}
    }
}

pub use crate::wire::time::iso8601;

/// A scalar as Python's `str()` writes it (`True`, `None`, `5.0`).
pub fn scalar(value: &Value) -> String {
    match value {
        Value::Null => "None".to_owned(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) => "False".to_owned(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Object(_) | Value::Array(_))
}

/// `--output text`: scalars of an object on one tab-separated line (keys
/// sorted), nested values below under their upper-cased key.
pub fn text(value: &Value) -> String {
    let mut out = String::new();
    // A `--max-items` listing's NextToken comes last, as the CLI prints it.
    if let Some(map) = value.as_object()
        && let Some(token) = map.get("NextToken").filter(|t| t.is_string())
    {
        let mut rest = map.clone();
        rest.remove("NextToken");
        text_item(&Value::Object(rest), None, None, &mut out);
        out.push_str(&format!("NEXTTOKEN\t{}\n", scalar(token)));
        return out;
    }
    text_item(value, None, None, &mut out);
    out
}

fn text_item(value: &Value, id: Option<&str>, keys: Option<&[String]>, out: &mut String) {
    match value {
        Value::Object(map) => {
            let (scalars, rest): (Vec<String>, Vec<(&String, &Value)>) = match keys {
                Some(keys) => {
                    let scalars = keys.iter().map(|k| map.get(k).map_or_else(String::new, scalar)).collect();
                    let mut rest: Vec<_> = map.iter().filter(|(k, _)| !keys.contains(k)).collect();
                    rest.sort_by(|a, b| a.0.cmp(b.0));
                    (scalars, rest)
                }
                None => {
                    let mut entries: Vec<_> = map.iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                    let scalars = entries.iter().filter(|(_, v)| is_scalar(v)).map(|(_, v)| scalar(v)).collect();
                    (scalars, entries.into_iter().filter(|(_, v)| !is_scalar(v)).collect())
                }
            };
            if !scalars.is_empty() {
                let mut line = scalars;
                if let Some(id) = id {
                    line.insert(0, id.to_uppercase());
                }
                out.push_str(&line.join("\t"));
                out.push('\n');
            }
            for (k, v) in rest {
                text_item(v, Some(k), None, out);
            }
        }
        Value::Array(items) => text_list(items, id, out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn text_list(items: &[Value], id: Option<&str>, out: &mut String) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(Value::is_object) {
        let mut keys: Vec<String> = items
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|m| m.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()))
            .collect();
        keys.sort();
        keys.dedup();
        for item in items {
            text_item(item, id, Some(&keys), out);
        }
    } else if items.iter().any(Value::is_array) {
        let (scalars, nested): (Vec<&Value>, Vec<&Value>) = items.iter().partition(|v| is_scalar(v));
        if !scalars.is_empty() {
            scalar_list(&scalars, id, out);
        }
        for n in nested {
            text_item(n, id, None, out);
        }
    } else {
        scalar_list(&items.iter().collect::<Vec<_>>(), id, out);
    }
}

fn scalar_list(items: &[&Value], id: Option<&str>, out: &mut String) {
    match id {
        Some(id) => {
            for item in items {
                out.push_str(&format!("{}\t{}\n", id.to_uppercase(), scalar(item)));
            }
        }
        None => {
            out.push_str(&items.iter().map(|v| scalar(v)).collect::<Vec<_>>().join("\t"));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The AWS CLI takes `` `E` `` as the string "E" (jmespath.py's legacy
    /// literal); JSON literals, raw strings and quoted identifiers are kept.
    #[test]
    fn an_error_in_an_expression_with_legacy_literals_is_shown_as_typed() {
        for typed in ["behaviors[?name==`msgs`", "behaviors[?name==`  two words`", "a[?b==`x\\`y`"] {
            let e = apply_query(typed, &json!({})).unwrap_err();
            let lines: Vec<&str> = e.lines().collect();
            assert_eq!(lines[1], typed, "{e}");
            assert_eq!(lines[2].find('^'), Some(typed.chars().count()), "the caret at the end, as typed: {e}");
        }
        // A place after a rewritten literal moves back by what the rewrite added.
        let e = apply_query("a[?b==`x`] | [?", &json!({})).unwrap_err();
        let lines: Vec<&str> = e.lines().collect();
        assert_eq!(lines[1], "a[?b==`x`] | [?", "{e}");
    }

    #[test]
    fn legacy_backtick_literals_read_as_strings() {
        let v = json!({"items": [{"n": "E", "k": 1}, {"n": "F", "k": 2}]});
        assert_eq!(apply_query("items[?n==`E`].k", &v).unwrap(), json!([1]));
        assert_eq!(apply_query("items[?n==`  F`].k", &v).unwrap(), json!([2]), "leading spaces dropped");
        assert_eq!(apply_query("items[?k==`2`].n", &v).unwrap(), json!(["F"]), "JSON stays JSON");
        assert_eq!(apply_query("items[?n=='`E`'].k", &v).unwrap(), json!([]), "a raw string is untouched");
        // An escaped backtick inside stays escaped in the JSON string.
        assert_eq!(legacy_literals(r"a[?b==`x\`y`]").0, r#"a[?b==`"x\`y"`]"#);
    }

    #[test]
    fn text_layout_follows_the_cli() {
        let v = json!({"securityProfileIdentifiers": [{"name": "a", "arn": "arn:a"}, {"name": "b", "arn": "arn:b"}], "nextToken": "t"});
        assert_eq!(text(&v), "t\nSECURITYPROFILEIDENTIFIERS\tarn:a\ta\nSECURITYPROFILEIDENTIFIERS\tarn:b\tb\n");
        let v = json!({"valid": true, "validationErrors": [], "n": null, "list": ["x", "y"]});
        assert_eq!(text(&v), "None\tTrue\nLIST\tx\nLIST\ty\n");
    }

    #[test]
    fn iso_timestamps_like_python() {
        assert_eq!(iso8601(1_560_278_102.528), "2019-06-11T18:35:02.528000+00:00");
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00+00:00");
    }

    #[test]
    fn queries_and_empty_results() {
        let settings = OutputSettings {
            format: OutputFormat::Json,
            timestamps: TimestampFormat::Wire,
            query: None,
            color: false,
            width: 80,
            terminal: false,
        };
        assert_eq!(render(json!({}), "X", &settings).unwrap(), "");
        let q = OutputSettings { query: Some("items[].name".into()), format: OutputFormat::Text, ..settings };
        assert_eq!(render(json!({"items": [{"name": "a"}, {"name": "b"}]}), "X", &q).unwrap(), "a\tb\n");
        let bad = OutputSettings { query: Some("items[".into()), ..q };
        assert!(render(json!({}), "X", &bad).is_err());
    }
}
