//! Reads `--cli-input-json` / `--cli-input-yaml` documents (and any other
//! request document) into the typed model. Every failure names the line and
//! column, the field path where known, and what was expected, in the AWS CLI's
//! words where it has them ("Unknown parameter in behaviors[0]: …").

use std::fmt;

use serde::de::DeserializeOwned;

use super::strict::Strict;
use serde_json::Value;

use super::yaml_tree::{self, Locations, Node};
use crate::domain::untrusted::neutralise;

/// The two document formats the AWS CLI reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
}

impl Format {
    /// JSON when the document starts with `{` or `[`, as the AWS CLI decides
    /// between JSON and shorthand; YAML otherwise (YAML also reads JSON).
    pub fn detect(text: &str) -> Format {
        match text.trim_start_matches('\u{feff}').trim_start().chars().next() {
            Some('{' | '[') => Format::Json,
            _ => Format::Yaml,
        }
    }

    /// The format a file name implies, if any.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            Some(Format::Json)
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Some(Format::Yaml)
        } else {
            None
        }
    }
}

/// A document that could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// 1-based line, when the reader knows it.
    pub line: Option<usize>,
    /// 1-based column (in characters), when the reader knows it.
    pub column: Option<usize>,
    /// The field path (`behaviors[0].criteria`), when the error is about a field.
    pub path: Option<String>,
    /// What was wrong and what was expected.
    pub message: String,
    /// The document's other wrong members, in the order they were read: as
    /// botocore lists every parameter error of a request at once, so a file
    /// is fixed in one pass. Empty for a syntax error (nothing after it reads).
    pub further: Vec<InputError>,
}

impl InputError {
    fn at(line: usize, column: usize, message: String) -> InputError {
        InputError { line: Some(line), column: Some(column), path: None, message, further: Vec::new() }
    }

    /// The first error and how many more there are, on one line (the editor's
    /// status line): `line 3, column 5: Invalid type … (and 2 more errors)`.
    pub fn summary(&self) -> String {
        match self.further.len() {
            0 => self.to_string(),
            1 => format!("{} (and 1 more error)", self.first()),
            n => format!("{} (and {n} more errors)", self.first()),
        }
    }

    /// This error alone, without the further ones.
    pub fn first(&self) -> InputError {
        InputError { further: Vec::new(), ..self.clone() }
    }

    /// This error and each further one, in document order.
    pub fn all(&self) -> impl Iterator<Item = InputError> + '_ {
        std::iter::once(self.first()).chain(self.further.iter().cloned())
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        // One error per line, as botocore's "Parameter validation failed:" list.
        self.further.iter().try_for_each(|e| write!(f, "\n{e}"))
    }
}

/// Longest message kept: values echoed in errors are cut (a 10 MB string stays out).
const MESSAGE_LIMIT: usize = 300;

/// The most a request file may hold: far more than any real profile (100
/// behaviors of 1000 values are well under 1 MiB), and a bound on what
/// `file:///dev/zero` or a wrong file can make ddsp read.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// A size limit in words: `16 MiB`, `1 GiB`, `64 GiB`, or bytes when it is neither.
pub fn bytes_in_words(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b => format!("{b} bytes"),
    }
}

/// Reads at most `MAX_INPUT_BYTES` from `reader`; more is an error that says so.
/// Reading a FIFO or a device ends at the cap too.
pub fn read_capped(mut reader: impl std::io::Read) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.by_ref().take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            "it is larger than 16 MiB, more than any profile request can be; check that it is the right file",
        ));
    }
    Ok(bytes)
}

/// Parses bytes as a document of the given format into `T`.
pub fn parse_bytes<T: DeserializeOwned>(bytes: &[u8], format: Format) -> Result<T, InputError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, format),
        Err(e) => {
            let (line, column) = line_column(bytes, e.valid_up_to());
            let message =
                format!("the input is not valid UTF-8 (byte {} of the file); save it as UTF-8", e.valid_up_to() + 1);
            Err(InputError::at(line, column, message))
        }
    }
}

/// Reads bytes as `T` like `parse_bytes`; when the document does not read
/// for wrong members (not for its syntax), also the document as read once
/// each of them was mended (`read_mended`), so the rules can judge the rest
/// in the same run (`ddsp validate`).
pub fn parse_mended<T: DeserializeOwned>(bytes: &[u8], format: Format) -> Result<T, (InputError, Option<T>)> {
    let error = match parse_bytes::<T>(bytes, format) {
        Ok(read) => return Ok(read),
        Err(e) => e,
    };
    let Ok(text) = std::str::from_utf8(bytes) else { return Err((error, None)) };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (value, places) = match format {
        Format::Json => (serde_json::from_str::<Value>(text).ok(), json_places(text)),
        Format::Yaml => {
            let options = serde_saphyr::options! { strict_booleans: true };
            let read = serde_saphyr::from_str_with_options::<serde_saphyr::Spanned<Node>>(text, options)
                .ok()
                .and_then(|root| yaml_tree::into_json(root).ok());
            match read {
                Some((value, places)) => (Some(value), Some(places)),
                None => (None, None),
            }
        }
    };
    let (_, read) = read_mended::<T>(error.first(), value, places.as_ref(), "");
    Err((error, read))
}

/// Parses text as a document of the given format into `T`.
pub fn parse<T: DeserializeOwned>(text: &str, format: Format) -> Result<T, InputError> {
    parse_member(text, format, "")
}

/// Parses the value of one request member (`--behaviors`, `--tags`): field
/// paths in errors start with `member` (`behaviors[0].criteria.value.count`),
/// as the AWS CLI names them.
pub fn parse_member<T: DeserializeOwned>(text: &str, format: Format, member: &str) -> Result<T, InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(InputError::at(1, 1, "the input is empty; expected a JSON or YAML object".into()));
    }
    match format {
        Format::Json => parse_json(text, member),
        Format::Yaml => parse_yaml(text, member),
    }
}

fn parse_json<T: DeserializeOwned>(text: &str, member: &str) -> Result<T, InputError> {
    let mut de = serde_json::Deserializer::from_str(text);
    // `Strict`: a structure must be an object, never a list of its members.
    let value = serde_path_to_error::deserialize(Strict(&mut de)).map_err(|e| {
        let raw_path = e.path().to_string();
        let mut path = path_of(&raw_path, member);
        let mut inner = e.into_inner();
        // A syntax error is the text's, not a member's: said as the plain JSON
        // reader says it, whatever type was being read (a typed member and a
        // free-form one word the same `,}` differently). A number out of
        // range is one member's value, and keeps its path.
        if inner.is_syntax() && !inner.to_string().starts_with("number out of range") {
            if let Err(plain) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
                inner = plain;
            }
            path = None;
        }
        let raw = inner.to_string();
        let suffix = format!(" at line {} column {}", inner.line(), inner.column());
        let bare = raw.strip_suffix(&suffix).unwrap_or(&raw);
        let bare =
            if inner.is_syntax() && after_comma(text, inner.line(), inner.column()) { "trailing comma" } else { bare };
        if inner.is_eof() {
            // serde_json places EOF past a final newline (column 0); point at the last character instead.
            let (line, column) = line_column(text.trim_end().as_bytes(), text.trim_end().len());
            return build_error(line, column, path, &describe_eof(bare), true);
        }
        if inner.is_data() {
            // serde_json places a wrong type just before the value; the value's own place is exact.
            let own = path_of(&raw_path, "").unwrap_or_default();
            let places = json_places(text);
            let place = places.as_ref().and_then(|p| place_of(p, &own, bare)).filter(|(line, _)| *line > 0);
            let (line, column) = place.unwrap_or((inner.line(), inner.column()));
            let first = build_error(line, column, path, bare, false);
            let value = serde_json::from_str(text).ok();
            return with_further::<T>(first, value, places.as_ref(), member);
        }
        build_error(inner.line(), inner.column(), path, bare, inner.is_syntax())
    })?;
    de.end().map_err(|e| {
        InputError::at(e.line(), e.column(), "unexpected text after the end of the JSON document".into())
    })?;
    Ok(value)
}

fn parse_yaml<T: DeserializeOwned>(text: &str, member: &str) -> Result<T, InputError> {
    // YAML 1.2 booleans only (`yes` is a string, as in the AWS CLI v2's loader).
    let options = serde_saphyr::options! { strict_booleans: true };
    let root: serde_saphyr::Spanned<Node> = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
        let raw = e.without_snippet().to_string();
        let suffix = format!(" at line {line}, column {column}");
        let bare = raw.strip_suffix(&suffix).unwrap_or(&raw);
        build_error(line, column, None, bare, false)
    })?;
    let (value, places) = yaml_tree::into_json(root).map_err(|e| {
        let message = "invalid value: not a finite number; JSON and the service take only finite numbers";
        build_error(e.line, e.column, Some(e.path), message, false)
    })?;
    // The same strictness as JSON: the value's types are the YAML's, never coerced.
    match serde_path_to_error::deserialize(Strict(&value)) {
        Ok(read) => Ok(read),
        Err(e) => {
            let first = located(e, &places, member);
            Err(with_further::<T>(first, Some(value), Some(&places), member))
        }
    }
}

/// A wrong member of a document read as a value, placed by `places`.
fn located(e: serde_path_to_error::Error<serde_json::Error>, places: &Locations, member: &str) -> InputError {
    let raw_path = e.path().to_string();
    let path = path_of(&raw_path, member);
    let bare = e.into_inner().to_string();
    // Places are kept by the document's own paths, without the member.
    let own = path_of(&raw_path, "").unwrap_or_default();
    // A member that is missing is reported where its object starts.
    let place = place_of(places, &own, &bare).or_else(|| places.value(&parent_path(&own))).unwrap_or((0, 0));
    build_error(place.0, place.1, path, &bare, false)
}

/// Where the error `bare` about `own` points: an unknown member at its key,
/// anything else at its value.
fn place_of(places: &Locations, own: &str, bare: &str) -> Option<(usize, usize)> {
    if bare.starts_with("unknown field") { places.key(own) } else { places.value(own) }
}

/// The most errors one document reports. botocore lists every parameter
/// error of a request; a document of thousands of wrong values is not read
/// to its end.
pub const MOST_ERRORS: usize = 20;

/// `first` with the document's other wrong members: each one found is
/// mended in `value` (an unknown member removed, a wrong value given a
/// stand-in of the expected type, a missing one put in as `null` so that the
/// next read names its type) and the value read again, until it reads, a
/// member cannot be mended, or `MOST_ERRORS` are found. An error that only a
/// mend caused (a member removed, then missing; a `null` put in) is not
/// reported.
fn with_further<T: DeserializeOwned>(
    first: InputError,
    value: Option<Value>,
    places: Option<&Locations>,
    member: &str,
) -> InputError {
    read_mended::<T>(first, value, places, member).0
}

/// `with_further`, and the document as read once every wrong member was
/// mended (None when a member could not be mended, or there were more than
/// `MOST_ERRORS`).
fn read_mended<T: DeserializeOwned>(
    mut first: InputError,
    value: Option<Value>,
    places: Option<&Locations>,
    member: &str,
) -> (InputError, Option<T>) {
    let Some(mut value) = value else { return (first, None) };
    let none = Locations::default();
    let places = places.unwrap_or(&none);
    let mut mended: Vec<String> = Vec::new();
    // Members put in as `null` for a missing one: their type error is ours.
    let mut put_in: Vec<String> = Vec::new();
    for _ in 0..3 * MOST_ERRORS {
        let e = match serde_path_to_error::deserialize::<_, T>(Strict(&value)) {
            Ok(read) => return (first, Some(read)),
            Err(e) => e,
        };
        let own = path_of(&e.path().to_string(), "").unwrap_or_default();
        let bare = e.inner().to_string();
        if put_in.contains(&own) {
            if !mend(&mut value, &own, &bare) {
                break;
            }
            put_in.retain(|p| *p != own);
            continue;
        }
        if let Some(field) = bare.strip_prefix("missing field `").map(|f| f.trim_end_matches('`')) {
            let missing = if own.is_empty() { field.to_owned() } else { format!("{own}.{field}") };
            if mended.iter().any(|m| within(&missing, m) || within(&own, m)) {
                break;
            }
            let error = located(e, places, member);
            if (&error.path, &error.message) != (&first.path, &first.message) {
                first.further.push(error);
            }
            if first.further.len() + 1 >= MOST_ERRORS || !put_null(&mut value, &own, field) {
                break;
            }
            put_in.push(missing);
            continue;
        }
        let error = located(e, places, member);
        if (&error.path, &error.message) != (&first.path, &first.message) {
            first.further.push(error);
        }
        if first.further.len() + 1 >= MOST_ERRORS || !mend(&mut value, &own, &bare) {
            break;
        }
        mended.push(own);
    }
    (first, None)
}

/// Whether `path` is `at` or inside it (`a.b[0]` is inside `a.b`).
fn within(path: &str, at: &str) -> bool {
    path == at || path.strip_prefix(at).is_some_and(|rest| rest.starts_with(['.', '[']))
}

/// Mends the member at `own` that `bare` is about, so the next read goes past
/// it: an unknown member is removed, a wrong value replaced by a stand-in of
/// the type expected. False when it cannot be (the place is not found, or the
/// type expected is not one of JSON's).
fn mend(value: &mut Value, own: &str, bare: &str) -> bool {
    let Some(segments) = segments(own) else { return false };
    let Some((last, parents)) = segments.split_last() else { return false };
    let mut parent = &mut *value;
    for segment in parents {
        let next = match segment {
            Segment::Key(key) => parent.get_mut(key.as_str()),
            Segment::Index(i) => parent.get_mut(*i),
        };
        let Some(next) = next else { return false };
        parent = next;
    }
    if bare.starts_with("unknown field") {
        return match (parent, last) {
            (Value::Object(map), Segment::Key(key)) => map.shift_remove(key.as_str()).is_some(),
            _ => false,
        };
    }
    let Some(stand_in) = stand_in(bare) else { return false };
    let slot = match last {
        Segment::Key(key) => parent.get_mut(key.as_str()),
        Segment::Index(i) => parent.get_mut(*i),
    };
    match slot {
        Some(slot) if *slot != stand_in => {
            *slot = stand_in;
            true
        }
        _ => false,
    }
}

/// Puts `field` in as `null` in the object at `own`, so that the next read
/// names the type it must have. False when there is no object there.
fn put_null(value: &mut Value, own: &str, field: &str) -> bool {
    let Some(segments) = segments(own) else { return false };
    let mut at = &mut *value;
    for segment in &segments {
        let next = match segment {
            Segment::Key(key) => at.get_mut(key.as_str()),
            Segment::Index(i) => at.get_mut(*i),
        };
        let Some(next) = next else { return false };
        at = next;
    }
    match at {
        Value::Object(map) if !map.contains_key(field) => {
            map.insert(field.to_owned(), Value::Null);
            true
        }
        _ => false,
    }
}

/// A value of the type serde's "…, expected X" names: `0` for a number, `""`,
/// `false`, `[]`, `{}`, or an enum's first variant.
fn stand_in(bare: &str) -> Option<Value> {
    let (_, expected) = bare.rsplit_once("expected ")?;
    if let Some(variant) = expected.split('`').nth(1) {
        return Some(Value::String(variant.to_owned()));
    }
    let number = ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "integer"];
    Some(match expected {
        e if number.iter().any(|n| e.contains(n)) => Value::from(0),
        e if e.contains("f64") || e.contains("f32") || e.contains("number") => Value::from(0.0),
        e if e.contains("string") => Value::String(String::new()),
        e if e.contains("bool") => Value::Bool(false),
        e if e.contains("sequence") || e.contains("list") => Value::Array(Vec::new()),
        e if e.contains("map") || e.contains("struct") || e.contains("object") => Value::Object(Default::default()),
        _ => return None,
    })
}

/// One step of a field path.
enum Segment {
    Key(String),
    Index(usize),
}

/// `behaviors[0].criteria` → key `behaviors`, index 0, key `criteria`. None
/// when the path does not split cleanly (a key holding `.` or `[`).
fn segments(path: &str) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key.to_owned()));
        }
        for index in rest.split('[').filter(|i| !i.is_empty()) {
            out.push(Segment::Index(index.strip_suffix(']')?.parse().ok()?));
        }
    }
    Some(out)
}

/// Every place of a JSON document that parsed: JSON is YAML too, and the YAML
/// reader keeps places. Only an error takes this second read.
fn json_places(text: &str) -> Option<Locations> {
    let root = serde_saphyr::from_str::<serde_saphyr::Spanned<Node>>(text).ok()?;
    yaml_tree::into_json(root).ok().map(|(_, places)| places)
}

/// Whether the character at serde_json's `line` and `column` (1-based, in
/// bytes) closes, right after a comma, the object or list that is open
/// there: `{"a": 1,}`, `[1,]` (not `[1,}`, a closer of the wrong kind).
fn after_comma(text: &str, line: usize, column: usize) -> bool {
    let Some(l) = text.split('\n').nth(line.saturating_sub(1)) else { return false };
    let start = text.split('\n').take(line.saturating_sub(1)).map(|l| l.len() + 1).sum::<usize>();
    let at = start + column.saturating_sub(1).min(l.len());
    let Some(&closer) = text.as_bytes().get(at) else { return false };
    let after_comma = text.get(..at).is_some_and(|before| before.trim_end().ends_with(','));
    after_comma
        && innermost_open(&text.as_bytes()[..at]) == Some(if closer == b'}' { b'{' } else { b'[' })
        && matches!(closer, b'}' | b']')
}

/// The innermost `{` or `[` still open at the end of `bytes` (strings skipped).
fn innermost_open(bytes: &[u8]) -> Option<u8> {
    let (mut open, mut in_string, mut escaped) = (Vec::new(), false, false);
    for &b in bytes {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'{' | b'[') => open.push(b),
            (false, _, b'}' | b']') => {
                open.pop();
            }
            _ => {}
        }
    }
    open.last().copied()
}

/// `behaviors[0].criteria` → `behaviors[0]`; `behaviors[0]` → `behaviors`.
fn parent_path(path: &str) -> String {
    match path.rfind(['.', '[']) {
        Some(i) => path[..i].to_owned(),
        None => String::new(),
    }
}

/// serde_json's "EOF while parsing X", said as what is missing.
fn describe_eof(bare: &str) -> String {
    match bare {
        "EOF while parsing an object" => "the input ends inside an object; a `}` is missing".to_owned(),
        "EOF while parsing a list" => "the input ends inside a list; a `]` is missing".to_owned(),
        "EOF while parsing a string" => "the input ends inside a string; a closing `\"` is missing".to_owned(),
        "EOF while parsing a value" => "the input ends where a value was expected".to_owned(),
        other => other.to_owned(),
    }
}

/// serde_path_to_error writes the root as "." and an unknown place as "?";
/// the path is put under `member` when there is one.
fn path_of(raw: &str, member: &str) -> Option<String> {
    let inner = match raw {
        "." | "?" | "" => None,
        other => Some(other),
    };
    match (member, inner) {
        ("", inner) => inner.map(str::to_owned),
        (member, None) => Some(member.to_owned()),
        (member, Some(p)) if p.starts_with('[') => Some(format!("{member}{p}")),
        (member, Some(p)) => Some(format!("{member}.{p}")),
    }
}

fn build_error(line: usize, column: usize, path: Option<String>, bare: &str, syntax: bool) -> InputError {
    let message = if syntax { format!("malformed JSON: {bare}") } else { describe(bare, path.as_deref()) };
    InputError {
        line: (line > 0).then_some(line),
        column: (line > 0).then_some(column),
        path,
        message: clip(&neutralise(&message)),
        further: Vec::new(),
    }
}

/// Rewords serde's messages the way the AWS CLI's parameter validation words them.
fn describe(bare: &str, path: Option<&str>) -> String {
    let place = path.unwrap_or("input");
    if let Some(rest) = bare.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let allowed = expected
            .trim_start_matches(", ")
            .trim_start_matches("expected one of ")
            .trim_start_matches("expected ")
            .replace('`', "")
            .replace(" or ", ", ");
        let field_place = parent_of(place);
        if allowed.starts_with("there are no fields") {
            return format!("Unknown parameter in {field_place}: \"{field}\"; no parameters are allowed there");
        }
        // The AWS CLI's words, then the member most likely meant.
        let meant = crate::domain::metrics::closest_name(field, allowed.split(", "))
            .map_or_else(String::new, |m| format!(" (did you mean {m}?)"));
        return format!("Unknown parameter in {field_place}: \"{field}\", must be one of: {allowed}{meant}");
    }
    if let Some(rest) = bare.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        return format!("Missing required parameter in {place}: \"{field}\"");
    }
    if let Some(rest) = bare.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        let subject = match path {
            Some(p) => format!("parameter {p}"),
            None => "the document".to_owned(),
        };
        return format!(
            "Invalid type for {subject}, value: {}; expected {}",
            describe_found(found),
            replace_struct_names(&friendly_types(&format!("expected {expected}"))).trim_start_matches("expected ")
        );
    }
    format!("Invalid value for {place}: {}", replace_struct_names(&friendly_types(bare)))
}

/// serde's type names said as the AWS CLI's users know them.
fn friendly_types(message: &str) -> String {
    message
        .replace("expected i64", "expected an integer")
        .replace("invalid i64", "expected an integer")
        .replace("expected f64", "expected a number")
        .replace("invalid f64", "expected a number")
        .replace("expected a sequence", "expected a list")
        .replace("expected a map", "expected an object")
}

/// serde's description of a value found (`string "ten"`, ``integer `5` ``,
/// `null`, `map`) as `"ten" (a string)`, `5 (an integer)`, `null`, `an object`.
fn describe_found(found: &str) -> String {
    let unquote = |s: &str| s.trim_matches('`').to_owned();
    if let Some(text) = found.strip_prefix("string ") {
        format!("{text} (a string)")
    } else if let Some(n) = found.strip_prefix("integer ") {
        format!("{} (an integer)", unquote(n))
    } else if let Some(n) = found.strip_prefix("floating point ") {
        format!("{} (a number)", unquote(n))
    } else if let Some(b) = found.strip_prefix("boolean ") {
        format!("{} (a boolean)", unquote(b))
    } else {
        match found {
            "map" => "an object".to_owned(),
            "sequence" => "a list".to_owned(),
            "unit value" | "null" => "null".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// The place a key sits: `behaviors[0].criteria.bogus` → `behaviors[0].criteria`.
fn parent_of(path: &str) -> String {
    match path.rfind('.') {
        Some(i) => path[..i].to_owned(),
        None if path.ends_with(']') => path.to_owned(),
        None => "input".to_owned(),
    }
}

/// "expected struct Behavior" → "expected an object (Behavior)".
fn replace_struct_names(message: &str) -> String {
    match message.find("expected struct ") {
        Some(i) => {
            let name = &message[i + "expected struct ".len()..];
            format!("{}expected an object ({name})", &message[..i])
        }
        None => message.to_owned(),
    }
}

fn clip(message: &str) -> String {
    if message.chars().count() <= MESSAGE_LIMIT {
        return message.to_owned();
    }
    let mut cut: String = message.chars().take(MESSAGE_LIMIT).collect();
    cut.push('…');
    cut
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::profile::SecurityProfile;

    fn err(text: &str, format: Format) -> InputError {
        parse::<SecurityProfile>(text, format).unwrap_err()
    }

    #[test]
    fn unknown_keys_name_the_key_and_the_allowed_keys() {
        let e = err(
            "{\n  \"securityProfileName\": \"a\",\n  \"behaviors\": [{\"name\": \"b\", \"metrik\": \"x\"}]\n}",
            Format::Json,
        );
        assert_eq!(e.line, Some(3));
        assert_eq!(
            e.message,
            "Unknown parameter in behaviors[0]: \"metrik\", must be one of: name, metric, metricDimension, criteria, suppressAlerts, exportMetric (did you mean metric?)"
        );
        let y = err("securityProfileName: a\nbogus: 1\n", Format::Yaml);
        assert_eq!((y.line, y.column), (Some(2), Some(1)));
        assert!(
            y.message.starts_with("Unknown parameter in input: \"bogus\", must be one of: securityProfileName,"),
            "{}",
            y.message
        );
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = err("{\n  \"securityProfileName\": \"a\"\n  \"x\": 1\n}", Format::Json);
        assert_eq!((e.line, e.column), (Some(3), Some(3)));
        assert_eq!(e.to_string(), "line 3, column 3: malformed JSON: expected `,` or `}`");
        let y = err("securityProfileName: 'a\n", Format::Yaml);
        assert_eq!(y.line, Some(1));
        assert!(y.message.contains("unclosed quote"), "{}", y.message);
    }

    #[test]
    fn a_trailing_comma_is_said_so_wherever_it_is() {
        use crate::domain::profile::SecurityProfile;
        let typed = "{\"securityProfileName\": \"x\",\r\n \"behaviors\": [{\"name\": \"a\", \"criteria\": {\"value\": {\"count\": 1},}}]}";
        for text in [typed, "{\"securityProfileName\": \"x\",}"] {
            let e = parse::<SecurityProfile>(text, Format::Json).unwrap_err();
            assert!(e.message.ends_with("malformed JSON: trailing comma"), "{text}: {e}");
            assert_eq!(e.path, None, "a syntax error is the text's, not a member's");
        }
        let free = parse::<serde_json::Value>("[1, 2,]", Format::Json).unwrap_err();
        assert!(free.message.ends_with("trailing comma"), "{free}");
        let crossed = parse::<serde_json::Value>("[1, \"}\",}", Format::Json).unwrap_err();
        assert!(!crossed.message.contains("trailing comma"), "a closer of the wrong kind: {crossed}");
    }

    #[test]
    fn wrong_types_name_the_field() {
        let e = err(
            r#"{"securityProfileName":"a","behaviors":[{"name":"b","criteria":{"value":{"count":"ten"}}}]}"#,
            Format::Json,
        );
        assert_eq!(e.path.as_deref(), Some("behaviors[0].criteria.value.count"));
        assert_eq!(
            e.message,
            "Invalid type for parameter behaviors[0].criteria.value.count, value: \"ten\" (a string); expected an integer"
        );
    }

    #[test]
    fn every_wrong_member_is_reported_at_once_in_document_order() {
        let json = "{\"securityProfileName\": \"a\",\n \"behaviors\": [{\"name\": \"b\", \"criteria\": {\"value\": {\"count\": \"ten\"}, \"durationSeconds\": \"300\"}},\n  {\"name\": \"c\", \"metrik\": 1}],\n \"alertTargets\": 5}";
        let yaml = "securityProfileName: a\nbehaviors:\n  - name: b\n    criteria:\n      value: {count: ten}\n      durationSeconds: '300'\n  - name: c\n    metrik: 1\nalertTargets: 5\n";
        for (text, format) in [(json, Format::Json), (yaml, Format::Yaml)] {
            let e = err(text, format);
            let paths: Vec<_> = e.all().map(|e| e.path.unwrap_or_default()).collect();
            assert_eq!(
                paths,
                [
                    "behaviors[0].criteria.value.count",
                    "behaviors[0].criteria.durationSeconds",
                    "behaviors[1].metrik",
                    "alertTargets"
                ],
                "{format:?}: {e}"
            );
            assert!(e.all().all(|e| e.line.is_some()), "each error has its place: {e}");
            assert_eq!(e.to_string().lines().count(), 4, "one line each: {e}");
            assert!(e.summary().ends_with("(and 3 more errors)"), "{}", e.summary());
        }
    }

    #[test]
    fn an_error_a_mend_caused_is_not_reported_and_the_list_is_bounded() {
        // `criteria` of the wrong type is mended to `{}`: its missing members are not the user's errors.
        let e = err(r#"{"securityProfileName":"a","behaviors":[{"name":"b","criteria":5}]}"#, Format::Json);
        assert!(e.further.iter().all(|f| !f.message.contains("Missing")), "{e}");
        let many: String = (0..100).map(|i| format!("\"k{i}\": 1, ")).collect();
        let e = err(&format!("{{{many}\"securityProfileName\": \"a\"}}"), Format::Json);
        assert_eq!(e.all().count(), MOST_ERRORS, "{e}");
        // A missing member is reported, and the reading goes on past it.
        // (The profile's shapes leave every member to the rules; a request with a required one:)
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Item {
            key: String,
            count: Option<i64>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Request {
            items: Vec<Item>,
            bogus_free: Option<bool>,
        }
        let e = parse::<Request>(r#"{"items":[{"count":1},{"key":"b","count":"x"}],"bogus_free":5}"#, Format::Json)
            .unwrap_err();
        let paths: Vec<_> = e.all().map(|e| e.path.unwrap_or_default()).collect();
        assert_eq!(paths, ["items[0]", "items[1].count", "bogus_free"], "{e}");
        assert!(e.message.contains("Missing required parameter in items[0]: \"key\""), "{e}");
        // A valid document after the first error still reads as one error.
        let one = err(r#"{"securityProfileName":"a","bogus":1}"#, Format::Json);
        assert!(one.further.is_empty(), "{one}");
    }

    #[test]
    fn bad_bytes_and_empty_input() {
        let e = parse_bytes::<SecurityProfile>(b"{\"securityProfileName\": \"a\xff\"}", Format::Json).unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(27)));
        assert!(e.message.contains("not valid UTF-8"));
        assert!(err("  \n", Format::Json).message.contains("empty"));
        assert_eq!(Format::detect("  {\"a\":1}"), Format::Json);
        assert_eq!(Format::detect("a: 1"), Format::Yaml);
    }
}
