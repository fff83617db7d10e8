//! `ddsp validate FILE`: reads a request document (JSON or YAML, `-` for
//! stdin), applies the service's rules offline and prints each problem as
//! `path: message` (or a JSON list). Exit 0 when nothing blocks submission,
//! 252 when the file is malformed or has errors.

use std::collections::BTreeMap;
use std::io::Write;

use serde::de::IgnoredAny;
use serde_json::json;

use super::exit;
use std::sync::Arc;

use super::global::GlobalArgs;
use crate::domain::profile::{Behavior, ProfileUpdate, SecurityProfile};
use crate::domain::untrusted::neutralise;
use crate::domain::{self, Context, EndpointReferences, Problem};
use crate::wire::input::{self, Format, InputError};
use crate::wire::request::ValidateSecurityProfileBehaviorsRequest;

/// Which request a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocumentKind {
    /// Decide from the keys: update-only keys mean an update, `behaviors` alone
    /// a ValidateSecurityProfileBehaviors input, anything else a create.
    Auto,
    Create,
    Update,
    Behaviors,
}

const UPDATE_ONLY_KEYS: &[&str] = &[
    "expectedVersion",
    "deleteBehaviors",
    "deleteAlertTargets",
    "deleteAdditionalMetricsToRetain",
    "deleteMetricsExportConfig",
];

/// Runs the command; with `remote`, the behaviors also go to the endpoint's
/// ValidateSecurityProfileBehaviors. With `json_output` every outcome, an
/// unreadable or malformed file included, is one JSON list of problems on
/// stdout. Returns the exit code.
/// Checks every file named and every profile file in the folders named; the
/// exit code is the worst of them.
pub fn run_all(paths: &[String], kind: DocumentKind, json_output: bool, global: &GlobalArgs, remote: bool) -> u8 {
    let mut files = Vec::new();
    for p in paths {
        let path = std::path::Path::new(p.strip_prefix("file://").unwrap_or(p));
        if p != "-" && path.is_dir() {
            let mut found: Vec<String> = match std::fs::read_dir(path) {
                Ok(entries) => entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|f| f.extension().is_some_and(|x| x == "json" || x == "yaml" || x == "yml"))
                    .map(|f| f.display().to_string())
                    .collect(),
                Err(e) => {
                    report_failure(&neutralise(p), &e.to_string(), None, json_output);
                    return exit::BAD_PARAMETERS;
                }
            };
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let mut worst = exit::OK;
    for f in &files {
        let code = if has_ddsp_members(f) {
            run_profile_file(f, json_output)
        } else {
            run(f, kind, json_output, global, remote)
        };
        worst = worst.max(code);
    }
    worst
}

/// Whether a file (not stdin) holds ddsp's own members (`x-ddsp`): a profile file for `plan`.
fn has_ddsp_members(file: &str) -> bool {
    // Read as any input is: never more than the cap (a file that never ends is `run`'s to report).
    let path = file.strip_prefix("file://").unwrap_or(file);
    file != "-"
        && std::fs::metadata(path).is_ok_and(|m| m.is_file())
        && std::fs::File::open(path)
            .and_then(crate::wire::input::read_capped)
            .is_ok_and(|bytes| String::from_utf8_lossy(&bytes).contains(crate::wire::plan::DDSP_KEY))
}

/// A profile file with `x-ddsp`: the create document by the rules, and its targets.
fn run_profile_file(file: &str, json_output: bool) -> u8 {
    let shown = neutralise(file).into_owned();
    let text = match std::fs::read_to_string(file.strip_prefix("file://").unwrap_or(file)) {
        Ok(t) => t,
        Err(e) => {
            report_failure(&shown, &e.to_string(), None, json_output);
            return exit::BAD_PARAMETERS;
        }
    };
    let read = match crate::wire::plan::read_file(&shown, &text) {
        Ok(r) => r,
        Err(e) => {
            report_failure(&shown, &e.to_string(), Some(&e), json_output);
            return exit::BAD_PARAMETERS;
        }
    };
    if let Err(e) = read.targets() {
        report_failure(&shown, &format!("x-ddsp.targets: {e}"), None, json_output);
        return exit::BAD_PARAMETERS;
    }
    let problems = crate::domain::validate(&read.profile, &Context::offline());
    print(&problems, json_output);
    let errors = problems.iter().filter(|p| p.is_error()).count();
    eprintln!(
        "{shown}: {} (profile file, CreateSecurityProfile request and x-ddsp)",
        summary(errors, problems.len() - errors)
    );
    if errors > 0 { exit::BAD_PARAMETERS } else { exit::OK }
}

pub fn run(file: &str, kind: DocumentKind, json_output: bool, global: &GlobalArgs, remote: bool) -> u8 {
    let region = global.region.clone();
    let shown = neutralise(file).into_owned();
    let (name, bytes) = match read(file) {
        Ok(read) => read,
        Err(message) => {
            report_failure(&shown, &message, None, json_output);
            return exit::BAD_PARAMETERS;
        }
    };
    let format = Format::from_file_name(file).unwrap_or_else(|| Format::detect(&String::from_utf8_lossy(&bytes)));
    let ctx = Context { region, ..Context::offline() };
    let mut checked = match check(&bytes, format, kind, &ctx) {
        Ok(result) => result,
        Err(unread) => return report_unread(&name, &unread, json_output),
    };
    if remote && !checked.refs.is_empty() {
        // Asking the endpoint anyway: its custom metrics and dimensions are judged there too.
        match endpoint_context(global, &checked.refs, ctx.region.clone()) {
            Ok(online) => match check(&bytes, format, checked.kind, &online) {
                Ok(again) => checked = again,
                Err(unread) => return report_unread(&name, &unread, json_output),
            },
            Err(code) => return code,
        }
    }
    let Checked { kind, problems, behaviors, .. } = checked;
    print(&problems, json_output);
    let errors = problems.iter().filter(|p| p.is_error()).count();
    let warnings = problems.len() - errors;
    eprintln!("{name}: {} ({} request)", summary(errors, warnings), kind_name(kind));
    // With --remote the endpoint is asked even after ddsp found errors: both judgements are shown.
    let endpoint = if remote && !behaviors.is_empty() { ask_endpoint(global, &name, behaviors) } else { exit::OK };
    if errors > 0 { exit::BAD_PARAMETERS } else { endpoint }
}

/// A file that could not be read or parsed: `ddsp: FILE: message` on stderr,
/// and with JSON output also a list on stdout of one problem per error found
/// (rule `input`, with the line and column when known).
fn report_failure(name: &str, message: &str, error: Option<&InputError>, json_output: bool) {
    // Each error of the document on a line of its own, each naming the file.
    for line in message.lines() {
        eprintln!("ddsp: {name}: {line}");
    }
    if json_output {
        let problems: Vec<_> = match error {
            Some(e) => e.all().map(|e| input_problem(Some(e), message)).collect(),
            None => vec![input_problem(None, message)],
        };
        let text = crate::wire::skeleton::json_text(&serde_json::Value::Array(problems));
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
}

/// A document that does not read: each wrong member on stderr (with JSON
/// output, one `input` problem each on stdout and a summary on stderr), the
/// rules' problems with the rest as for a document that reads, and the
/// totals. Exit 252.
fn report_unread(name: &str, unread: &Unread, json_output: bool) -> u8 {
    let faults = unread.error.all().count();
    if json_output {
        let mut list: Vec<serde_json::Value> = unread.error.all().map(|e| input_problem(Some(e), "")).collect();
        list.extend(unread.problems.iter().map(problem_json));
        let text = crate::wire::skeleton::json_text(&serde_json::Value::Array(list));
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    } else {
        for line in unread.error.to_string().lines() {
            eprintln!("ddsp: {name}: {line}");
        }
        print(&unread.problems, false);
    }
    let errors = faults + unread.problems.iter().filter(|p| p.is_error()).count();
    let warnings = unread.problems.len() + faults - errors;
    eprintln!("{name}: {} ({} where it does not read; the rules judged the rest)", summary(errors, warnings), faults);
    exit::BAD_PARAMETERS
}

/// A problem as `--output json` lists it.
fn problem_json(p: &Problem) -> serde_json::Value {
    json!({"path": p.path.to_string(), "severity": p.severity.as_str(), "rule": p.rule.code(), "message": p.message})
}

/// A fault of a file that could not be read or parsed, as `--output json`
/// lists it: rule `input`, with the line and column when known.
fn input_problem(e: Option<InputError>, message: &str) -> serde_json::Value {
    let mut problem = json!({
        "path": e.as_ref().and_then(|e| e.path.clone()).unwrap_or_default(),
        "severity": "error",
        "rule": "input",
        "message": e.as_ref().map_or_else(|| message.to_owned(), |e| e.message.clone()),
    });
    if let Some(e) = e {
        problem["line"] = json!(e.line);
        problem["column"] = json!(e.column);
    }
    problem
}

/// The endpoint's knowledge of the custom metrics and dimensions `refs` names.
fn endpoint_context(global: &GlobalArgs, refs: &EndpointReferences, region: Option<String>) -> Result<Context, u8> {
    let slot = Arc::new(std::sync::Mutex::new(None));
    let seen = Arc::clone(&slot);
    let refs = refs.clone();
    let code = super::commands::execute_quietly(global, move |c| {
        Box::pin(async move {
            let ctx = crate::client::operations::context_for(c, &refs, region).await?;
            if let Ok(mut s) = seen.lock() {
                *s = Some(ctx);
            }
            Ok(serde_json::Value::Null)
        })
    });
    let ctx = slot.lock().ok().and_then(|mut s| s.take());
    match ctx {
        Some(ctx) if code == exit::OK => Ok(ctx),
        _ => Err(if code == exit::OK { exit::OTHER } else { code }),
    }
}

/// ValidateSecurityProfileBehaviors on the endpoint: each message the service
/// gives prints as `endpoint: message`; invalid behaviors exit 252.
fn ask_endpoint(global: &GlobalArgs, name: &str, behaviors: Vec<Behavior>) -> u8 {
    let outcome = Arc::new(std::sync::Mutex::new(None));
    let seen = Arc::clone(&outcome);
    let code = super::commands::execute_quietly(global, move |c| {
        Box::pin(async move {
            let answer = crate::client::operations::validate_behaviors(c, &behaviors).await?;
            if let Ok(mut slot) = seen.lock() {
                *slot = Some(answer);
            }
            Ok(serde_json::Value::Null)
        })
    });
    if code != exit::OK {
        return code;
    }
    let answer = outcome.lock().ok().and_then(|mut a| a.take()).unwrap_or_default();
    for e in answer.validation_errors.iter().flatten() {
        println!("endpoint: {}", neutralise(e.error_message.as_deref().unwrap_or_default()));
    }
    if answer.valid == Some(false) {
        eprintln!("{name}: the endpoint found the behaviors invalid");
        exit::BAD_PARAMETERS
    } else {
        eprintln!("{name}: the endpoint accepts the behaviors");
        exit::OK
    }
}

fn read(file: &str) -> Result<(String, Vec<u8>), String> {
    let path = file.strip_prefix("file://").unwrap_or(file);
    if path == "-" {
        let bytes = super::input::read_capped(std::io::stdin().lock())
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(("<stdin>".to_owned(), bytes));
    }
    // The caller names the file; the message says only why it could not be read.
    let bytes = std::fs::File::open(path)
        .and_then(super::input::read_capped)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    Ok((neutralise(path).into_owned(), bytes))
}

/// Parses the document as the kind asked (or detected) and applies the rules.
/// A document that does not read says every wrong member at once, and the
/// rules' judgement of the rest (`Unread`).
pub fn check(bytes: &[u8], format: Format, kind: DocumentKind, ctx: &Context) -> Result<Checked, Box<Unread>> {
    let kind = match kind {
        DocumentKind::Auto => detect(bytes, format).map_err(Unread::alone)?,
        other => other,
    };
    Ok(match kind {
        DocumentKind::Update => {
            let update: ProfileUpdate = input::parse_mended(bytes, format).map_err(|(e, read)| {
                Unread::judged(at_top_level(e, REQUEST_OBJECT), read, |u: &ProfileUpdate| {
                    domain::validate_update(u, ctx)
                })
            })?;
            let refs = EndpointReferences::of_update(&update);
            let problems = domain::validate_update(&update, ctx);
            Checked { kind, problems, behaviors: update.behaviors.unwrap_or_default(), refs }
        }
        DocumentKind::Behaviors => {
            // The bare list `--behaviors file://…` takes, or the command's input document.
            let behaviors = if is_list(bytes, format) {
                input::parse_mended::<Vec<Behavior>>(bytes, format).map_err(|(e, read)| {
                    // The list's own paths (`[0].criteria`) are the rules' `behaviors[0].criteria`.
                    let mut e = at_top_level(e, "a list of behaviors");
                    let under = |p: &mut Option<String>| {
                        if let Some(path) = p.as_mut().filter(|p| p.starts_with('[')) {
                            *path = format!("behaviors{path}");
                        }
                    };
                    under(&mut e.path);
                    e.further.iter_mut().for_each(|f| under(&mut f.path));
                    Unread::judged(e, read, |b: &Vec<Behavior>| domain::validate_behaviors(b, ctx))
                })?
            } else {
                input::parse_mended::<ValidateSecurityProfileBehaviorsRequest>(bytes, format)
                    .map_err(|(e, read)| {
                        let e = at_top_level(e, "an object {\"behaviors\": [...]} or a list of behaviors");
                        Unread::judged(e, read, |r: &ValidateSecurityProfileBehaviorsRequest| {
                            domain::validate_behaviors(&r.behaviors, ctx)
                        })
                    })?
                    .behaviors
            };
            let refs = EndpointReferences::of(Some(&behaviors), None, None);
            Checked { kind, problems: domain::validate_behaviors(&behaviors, ctx), behaviors, refs }
        }
        DocumentKind::Create | DocumentKind::Auto => {
            let profile: SecurityProfile = input::parse_mended(bytes, format).map_err(|(e, read)| {
                Unread::judged(at_top_level(e, REQUEST_OBJECT), read, |p: &SecurityProfile| domain::validate(p, ctx))
            })?;
            let refs = EndpointReferences::of_profile(&profile);
            let problems = domain::validate(&profile, ctx);
            Checked { kind, problems, behaviors: profile.behaviors.unwrap_or_default(), refs }
        }
    })
}

/// A document that does not read: why (every wrong member), and the rules'
/// problems with the rest of it (none about a member found wrong).
pub struct Unread {
    pub error: InputError,
    pub problems: Vec<Problem>,
}

impl Unread {
    fn alone(error: InputError) -> Box<Unread> {
        Box::new(Unread { error, problems: Vec::new() })
    }

    /// The rules on the document as read with its wrong members mended,
    /// leaving out what they say about those members.
    fn judged<T>(error: InputError, read: Option<T>, rules: impl Fn(&T) -> Vec<Problem>) -> Box<Unread> {
        let wrong: Vec<String> = error.all().filter_map(|e| e.path).collect();
        let inside =
            |path: &str, at: &str| path == at || path.strip_prefix(at).is_some_and(|rest| rest.starts_with(['.', '[']));
        // What the rules say inside a member found wrong is about its stand-in, not the file.
        let problems = read
            .map(|doc| rules(&doc))
            .unwrap_or_default()
            .into_iter()
            .filter(|p| !wrong.iter().any(|w| inside(&p.path.to_string(), w)))
            .collect();
        Box::new(Unread { error, problems })
    }
}

/// A document judged by the rules.
pub struct Checked {
    /// The request the document is.
    pub kind: DocumentKind,
    pub problems: Vec<Problem>,
    /// Its behaviors, for ValidateSecurityProfileBehaviors on the endpoint.
    pub behaviors: Vec<Behavior>,
    /// The custom metrics and dimensions it names.
    pub refs: EndpointReferences,
}

/// What a request document's top level must be, said when it is something else.
const REQUEST_OBJECT: &str =
    "an object with the request's members ({\"securityProfileName\": …}); for a list of behaviors use --as behaviors";

/// True when the document's top level is a list (the `--behaviors` form).
fn is_list(bytes: &[u8], format: Format) -> bool {
    input::parse_bytes::<Vec<IgnoredAny>>(bytes, format).is_ok()
}

/// A wrong type at the document's top level, said as what the document must be.
fn at_top_level(e: InputError, expected: &str) -> InputError {
    let found = e
        .message
        .strip_prefix("Invalid type for the document, value: ")
        .and_then(|rest| rest.rsplit_once("; expected"))
        .map(|(found, _)| found.to_owned());
    match found {
        Some(found) if e.path.is_none() => {
            InputError { message: format!("the document is {found}; it must be {expected}"), ..e }
        }
        _ => e,
    }
}

fn detect(bytes: &[u8], format: Format) -> Result<DocumentKind, InputError> {
    if is_list(bytes, format) {
        return Ok(DocumentKind::Behaviors);
    }
    let keys: BTreeMap<String, IgnoredAny> =
        input::parse_bytes(bytes, format).map_err(|e| at_top_level(e, REQUEST_OBJECT))?;
    Ok(if keys.keys().any(|k| UPDATE_ONLY_KEYS.contains(&k.as_str())) {
        DocumentKind::Update
    } else if keys.len() == 1 && keys.contains_key("behaviors") {
        DocumentKind::Behaviors
    } else {
        DocumentKind::Create
    })
}

fn print(problems: &[Problem], json_output: bool) {
    let mut out = std::io::stdout().lock();
    let text = match json_output {
        false => problems.iter().map(|p| format!("{p}\n")).collect::<String>(),
        true => {
            let list: Vec<_> = problems.iter().map(problem_json).collect();
            crate::wire::skeleton::json_text(&serde_json::Value::Array(list))
        }
    };
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(text.as_bytes());
}

fn summary(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => "valid".to_owned(),
        (0, w) => format!("valid, with {}", plural(w, "warning")),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

fn kind_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Auto | DocumentKind::Create => "CreateSecurityProfile",
        DocumentKind::Update => "UpdateSecurityProfile",
        DocumentKind::Behaviors => "ValidateSecurityProfileBehaviors",
    }
}
