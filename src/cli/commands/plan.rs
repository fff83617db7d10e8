//! `ddsp plan`, `ddsp apply` and `ddsp export`: profiles kept as files.
//! `plan` reads files and folders of profile files, reads the endpoint's
//! profiles (with their tags and targets), and prints per profile what
//! `apply` would do; `apply` does it, with the `expectedVersion` the plan saw
//! (a profile changed since is a conflict, never overwritten); `export`
//! writes the endpoint's profiles as files that `plan` then finds unchanged.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use futures_util::StreamExt;

use super::{exit_code, failed, runtime};
use crate::cli::global::GlobalArgs;
use crate::client::apply::CallKind;
use crate::client::{ClientError, Connection, operations, targets};
use crate::domain::targets::Target;
use crate::domain::{Context, validate};
use crate::endpoint::connect;
use crate::exit;
use crate::wire::change::Submit;
use crate::wire::plan::{Action, Current, Item, ProfileFile, export_document, plan, read_file};
use crate::wire::saved_plan::SavedPlan;

#[derive(Debug, Clone, Args)]
pub struct PlanArgs {
    /// Profile files (JSON or YAML, as create-security-profile --cli-input-json/yaml takes them) and folders of them.
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Also delete the endpoint's profiles that no file names.
    #[arg(long)]
    pub prune: bool,
    /// Exit 0 when nothing would change, 2 when something would, 1 on errors.
    #[arg(long)]
    pub detailed_exitcode: bool,
    /// Save the plan to this file, for `ddsp apply PLAN` to carry out exactly (one region).
    #[arg(long)]
    pub out: Option<String>,
    /// Plan against each of these regions at once (comma-separated), one section each.
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// And each of these AWS profiles (accounts; comma-separated), with every region given.
    #[arg(long, value_delimiter = ',')]
    pub profiles: Vec<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// Profile files and folders, or one plan file saved by `ddsp plan --out`.
    #[arg(required = true)]
    pub paths: Vec<String>,
    /// Also delete the endpoint's profiles that no file names (asks first).
    #[arg(long)]
    pub prune: bool,
    /// Apply without asking (needed when not run on a terminal).
    #[arg(long)]
    pub auto_approve: bool,
    /// Apply in each of these regions at once (comma-separated); a failure in one does not stop the others.
    #[arg(long, value_delimiter = ',')]
    pub regions: Vec<String>,
    /// And with each of these AWS profiles (accounts; comma-separated), in every region given.
    #[arg(long, value_delimiter = ',')]
    pub profiles: Vec<String>,
    /// Carry out a saved plan on this endpoint and region even if it was made against another.
    #[arg(long)]
    pub anywhere: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The folder to write into (made if missing; existing files are not overwritten).
    pub dir: String,
    /// files: NAME.json per profile (for plan / apply); cloudformation: one template;
    /// aws-cli: the `aws iot` commands that recreate them.
    #[arg(long, value_enum, default_value = "files")]
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Files,
    Cloudformation,
    AwsCli,
}

/// Every profile file under the paths (folders: their `.json`, `.yaml`, `.yml` files, sorted).
fn files(paths: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        let path = Path::new(p.strip_prefix("file://").unwrap_or(p));
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json" || x == "yaml" || x == "yml"))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(path.to_path_buf());
        }
    }
    Ok(out)
}

/// Reads and checks every file; every fault of every file is printed. Two files may not name one profile.
pub(super) fn read_all(paths: &[String]) -> Result<Vec<ProfileFile>, u8> {
    let list = files(paths).map_err(|e| super::bad_parameter(&e))?;
    let mut read = Vec::new();
    let mut bad = false;
    for path in list {
        let shown = path.display().to_string();
        let text = match std::fs::File::open(&path).and_then(crate::wire::input::read_capped) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                eprintln!("{}: {e}", crate::domain::untrusted::neutralise(&shown));
                bad = true;
                continue;
            }
        };
        match read_file(&shown, &text) {
            Ok(f) => {
                let mut problems = validate(&f.profile, &Context::offline());
                // A plan is made against an endpoint, which judges its custom metrics and
                // dimensions when it is applied: "ddsp cannot check offline" is no news here.
                problems.retain(|p| {
                    p.is_error()
                        || !matches!(
                            p.rule,
                            crate::domain::Rule::UnknownCustomMetric | crate::domain::Rule::UnknownDimension
                        )
                });
                for p in &problems {
                    eprintln!("{}: {p}", crate::domain::untrusted::neutralise(&shown));
                }
                if let Err(e) = f.targets() {
                    eprintln!("{}: x-ddsp.targets: {e}", crate::domain::untrusted::neutralise(&shown));
                    bad = true;
                }
                bad |= problems.iter().any(|p| p.is_error());
                read.push(f);
            }
            Err(e) => {
                eprintln!("{}: {e}", crate::domain::untrusted::neutralise(&shown));
                bad = true;
            }
        }
    }
    let mut seen = BTreeMap::new();
    for f in &read {
        if let Some(other) = seen.insert(f.profile.security_profile_name.clone(), f.path.clone()) {
            eprintln!("{}: names the profile {} as {other} does", f.path, f.profile.security_profile_name);
            bad = true;
        }
    }
    if bad { Err(exit::BAD_PARAMETERS) } else { Ok(read) }
}

/// Every profile of the endpoint with its tags and targets, read a few at a time.
async fn current(c: &Connection) -> Result<BTreeMap<String, Current>, ClientError> {
    let mut names = Vec::new();
    let mut req = crate::wire::request::ListSecurityProfilesRequest { max_results: Some(250), ..Default::default() };
    loop {
        let page = operations::list_page(c, &req).await?;
        names.extend(page.security_profile_identifiers.unwrap_or_default().into_iter().map(|i| i.name));
        match page.next_token.filter(|t| !t.is_empty()) {
            Some(t) => req.next_token = Some(t),
            None => break,
        }
    }
    let one = |name: String| async move {
        let description = operations::describe(c, &name).await?;
        let tags = async {
            match &description.security_profile_arn {
                Some(arn) => operations::list_tags(c, arn).await,
                None => Ok(Vec::new()),
            }
        };
        // The tags and the targets at once: two round trips per profile after the describe, not three.
        let (tags, arns) = futures_util::future::join(tags, targets::all_targets(c, &name)).await;
        let targets = arns?.iter().filter_map(|a| Target::of_arn(a)).collect();
        Ok::<_, ClientError>((name, Current { description, tags: tags?, targets }))
    };
    // A bounded pool: latency is paid sixteen profiles at a time, not once per profile in
    // series; a throttled call is retried with backoff by the SDK.
    let results: Vec<_> = futures_util::stream::iter(names.into_iter().map(one)).buffer_unordered(16).collect().await;
    results.into_iter().collect()
}

fn target_text(t: &Target) -> String {
    t.label()
}

/// The plan as a person reads it.
fn print_plan(items: &[Item]) -> String {
    let safe = |s: &str| crate::domain::untrusted::neutralise(s).into_owned();
    let mut out = String::new();
    for i in items {
        let (mark, verb) = match i.action {
            Action::Create => ("+", "create"),
            Action::Update => ("~", "update"),
            Action::Unchanged if i.changes_something() => ("~", "targets of"),
            Action::Unchanged => ("=", "unchanged"),
            Action::Delete => ("-", "delete"),
        };
        let version = i.expected_version.map_or_else(String::new, |v| format!(" (expectedVersion {v})"));
        out.push_str(&format!("{mark} {verb} {}{version}\n", safe(&i.name)));
        if i.action != Action::Create || i.file.is_none() {
            for c in &i.changes {
                out.push_str(&format!("    {}\n", safe(c)));
            }
        }
        let Some(change) = &i.change else { continue };
        if let Submit::Create(profile) = &change.submit {
            // What a create makes: its behaviors in words, its alert target and export.
            for b in profile.behaviors.iter().flatten() {
                let words = crate::domain::choices::summary(b, None);
                out.push_str(&format!("    + behavior {}: {}\n", safe(&b.name), safe(&words)));
            }
            for (kind, t) in profile.alert_targets.iter().flatten() {
                out.push_str(&format!("    + alert target {kind} {}\n", safe(&t.alert_target_arn)));
            }
            if let Some(e) = &profile.metrics_export_config {
                out.push_str(&format!("    + metrics export to {}\n", safe(&e.mqtt_topic)));
            }
        }
        if !change.profile_unchanged {
            for flag in change.submit.delete_flags() {
                out.push_str(&format!("    {flag}\n"));
            }
        }
        if let Submit::Update { tag, untag, .. } = &change.submit {
            for t in tag {
                out.push_str(&format!("    + tag {}={}\n", safe(&t.key), safe(t.value.as_deref().unwrap_or(""))));
            }
            for k in untag {
                out.push_str(&format!("    - tag {}\n", safe(k)));
            }
        }
        for t in &change.attach {
            out.push_str(&format!("    + attach {}\n", safe(&target_text(t))));
        }
        for t in &change.detach {
            out.push_str(&format!("    - detach {}\n", safe(&target_text(t))));
        }
    }
    let count = |a: Action| items.iter().filter(|i| i.action == a).count();
    out.push_str(&format!(
        "Plan: {} to create, {} to update, {} to delete, {} unchanged.\n",
        count(Action::Create),
        count(Action::Update) + items.iter().filter(|i| i.action == Action::Unchanged && i.changes_something()).count(),
        count(Action::Delete),
        items.iter().filter(|i| !i.changes_something()).count()
    ));
    out
}

/// Where to plan: the one endpoint the options name, or one per AWS profile
/// and region asked for (each profile in each region), with its label.
fn endpoints(
    global: &GlobalArgs,
    regions: &[String],
    profiles: &[String],
) -> Vec<(Option<String>, crate::client::ConnectOptions)> {
    let base = global.connect_options();
    if regions.is_empty() && profiles.is_empty() {
        return vec![(None, base)];
    }
    let regions: Vec<Option<&String>> =
        if regions.is_empty() { vec![None] } else { regions.iter().map(Some).collect() };
    let profiles: Vec<Option<&String>> =
        if profiles.is_empty() { vec![None] } else { profiles.iter().map(Some).collect() };
    let mut out = Vec::new();
    for p in &profiles {
        for r in &regions {
            let label = match (p, r) {
                (Some(p), Some(r)) => format!("{p}/{r}"),
                (Some(p), None) => (*p).clone(),
                (None, Some(r)) => (*r).clone(),
                (None, None) => String::new(),
            };
            let mut options = base.clone();
            if let Some(p) = p {
                options.profile = Some((*p).clone());
                // The profile's own region, unless one is given.
                options.region = global.region.clone();
            }
            if let Some(r) = r {
                options.region = Some((*r).clone());
            }
            out.push((Some(label), options));
        }
    }
    out
}

/// One endpoint's plan: the endpoint's name and the plan, or why there is none.
/// Where a plan was made (endpoint, region), and the plan or why there is none.
type Planned = Result<((String, String), Result<Vec<Item>, String>), ClientError>;

/// Plans against one endpoint. A target of another region is an error here,
/// before anything is applied.
async fn plan_one(options: crate::client::ConnectOptions, files: &[ProfileFile], prune: bool) -> Planned {
    let c = connect(&options).await?;
    let place = (c.endpoint.clone(), c.region.clone());
    if let Some(e) = files
        .iter()
        .find_map(|f| f.check_target_region(&c.region).err().map(|e| (f, e)))
        .map(|(f, e)| format!("{}: x-ddsp.targets: {e}", f.path))
    {
        c.close().await;
        return Ok((place, Err(e)));
    }
    let now = current(&c).await;
    c.close().await;
    Ok((place, plan(files, &now?, prune)))
}

pub fn run_plan(args: PlanArgs, global: &GlobalArgs) -> u8 {
    let error = |code: u8| if args.detailed_exitcode { 1 } else { code };
    if args.out.is_some() && (args.regions.len() > 1 || args.profiles.len() > 1) {
        return error(super::bad_parameter("--out saves the plan of one region; give one --region"));
    }
    let files = match read_all(&args.paths) {
        Ok(f) => f,
        Err(code) => return error(code),
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return error(code),
    };
    let targets = endpoints(global, &args.regions, &args.profiles);
    // Each region at once; a failure in one does not hide the others.
    let results = rt.block_on(futures_util::future::join_all(
        targets.iter().map(|(_, options)| plan_one(options.clone(), &files, args.prune)),
    ));
    let json = global.output == Some(crate::cli::output::OutputFormat::Json);
    let mut code = exit::OK;
    let mut changes = false;
    let mut sections = Vec::new();
    let mut text = String::new();
    for ((region, _), result) in targets.iter().zip(results) {
        if let Some(r) = region {
            let what = if args.profiles.is_empty() { "Region" } else { "Profile" };
            text.push_str(&format!("{what} {}:\n", crate::domain::untrusted::neutralise(r)));
        }
        match result {
            Ok(((endpoint, plan_region), Ok(items))) => {
                changes |= items.iter().any(Item::changes_something);
                if let Some(out) = &args.out {
                    let saved = SavedPlan::new(endpoint, plan_region, items.clone());
                    let doc = crate::wire::skeleton::json_text(&serde_json::to_value(&saved).unwrap_or_default());
                    if let Err(e) = std::fs::write(out, doc) {
                        return error(super::bad_parameter(&format!("{out}: {e}")));
                    }
                }
                text.push_str(&print_plan(&items));
                sections.push(serde_json::json!({"region": region, "profiles": items}));
            }
            Ok((_, Err(e))) => {
                text.push_str(&format!("! {}\n", crate::domain::untrusted::neutralise(&e)));
                code = exit::BAD_PARAMETERS;
            }
            Err(e) => {
                text.push_str(&format!("! {}\n", crate::domain::untrusted::neutralise(&e.to_string())));
                code = exit_code(&e);
            }
        }
    }
    let shown = if json {
        let doc = match sections.as_slice() {
            [one] if args.regions.is_empty() => serde_json::json!({"profiles": one["profiles"], "changes": changes}),
            _ => serde_json::json!({"regions": sections, "changes": changes}),
        };
        crate::wire::skeleton::json_text(&doc)
    } else {
        text
    };
    let _ = std::io::stdout().lock().write_all(shown.as_bytes());
    if code != exit::OK {
        return error(code);
    }
    if args.detailed_exitcode && changes { 2 } else { exit::OK }
}

/// Carries out one item: a line saying what it did, and whether all of it went.
async fn apply_item(c: &Connection, i: &Item) -> Result<(bool, String), ClientError> {
    let name = &i.name;
    let Some(change) = &i.change else {
        operations::delete(c, name, i.expected_version).await?;
        return Ok((true, format!("- {name}: deleted")));
    };
    let applied = crate::client::apply::apply(c, change).await?;
    let mut done = Vec::new();
    match &change.submit {
        Submit::Create(_) => done.push("created".to_owned()),
        Submit::Update { .. } if change.profile_unchanged => {}
        Submit::Update { .. } => done.push(format!("updated to version {}", applied.description.version.unwrap_or(0))),
    }
    let mut failed = Vec::new();
    for call in &applied.calls {
        let what = match (call.kind, &call.target) {
            (CallKind::Retag, _) => "tags changed".to_owned(),
            (CallKind::AttachSecurityProfile, Some(t)) => format!("attached to {}", t.label()),
            (CallKind::DetachSecurityProfile, Some(t)) => format!("detached from {}", t.label()),
            (kind, None) => format!("{} {}", kind.operation(), call.detail),
        };
        match &call.error {
            None => done.push(what),
            Some(e) => failed.push(format!("{} {} failed: {e}", call.kind.operation(), call.detail)),
        }
    }
    let mark = if matches!(change.submit, Submit::Create(_)) { "+" } else { "~" };
    if failed.is_empty() {
        return Ok((true, format!("{mark} {name}: {}", done.join(", "))));
    }
    // What went is said too: the profile was applied, the failed calls were not.
    let went = if done.is_empty() { String::new() } else { format!("{}; ", done.join(", ")) };
    Ok((false, format!("! {name}: {went}{}", failed.join("; "))))
}

/// Applies `items` on one endpoint, in order; a line per profile, failures marked.
async fn apply_on(
    options: crate::client::ConnectOptions,
    items: Vec<Item>,
) -> Result<Vec<(bool, String)>, ClientError> {
    let c = connect(&options).await?;
    let mut lines = Vec::new();
    for i in items.iter().filter(|i| i.changes_something()) {
        match apply_item(&c, i).await {
            Ok(line) => lines.push(line),
            Err(e) => lines.push((false, format!("! {}: {e}", i.name))),
        }
    }
    c.close().await;
    Ok(lines)
}

pub fn run_apply(args: ApplyArgs, global: &GlobalArgs) -> u8 {
    // One plan file, or files and folders planned now.
    let saved = match saved_plan(&args.paths) {
        Ok(saved) => saved,
        Err(code) => return code,
    };
    if saved.is_some() && (!args.regions.is_empty() || !args.profiles.is_empty()) {
        return super::bad_parameter("a saved plan is for the endpoint it was made against; --regions plans anew");
    }
    let files = match &saved {
        Some(_) => Vec::new(),
        None => match read_all(&args.paths) {
            Ok(f) => f,
            Err(code) => return code,
        },
    };
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let targets = endpoints(global, &args.regions, &args.profiles);
    let plans = match make_plans(&rt, &targets, saved, &files, &args) {
        Ok(plans) => plans,
        Err(code) => return code,
    };
    let mut code = exit::OK;
    let mut work = Vec::new();
    for ((region, options), result) in targets.iter().zip(plans) {
        if let Some(r) = region {
            let what = if args.profiles.is_empty() { "Region" } else { "Profile" };
            println!("{what} {}:", crate::domain::untrusted::neutralise(r));
        }
        match result {
            Ok((_, Ok(items))) => {
                print!("{}", print_plan(&items));
                if items.iter().any(Item::changes_something) {
                    work.push((region.clone(), options.clone(), items));
                }
            }
            Ok((_, Err(e))) => {
                eprintln!("! {}", crate::domain::untrusted::neutralise(&e));
                code = exit::BAD_PARAMETERS;
            }
            Err(e) => {
                eprintln!("! {}", crate::domain::untrusted::neutralise(&e.to_string()));
                code = exit_code(&e);
            }
        }
    }
    if work.is_empty() {
        println!("No changes: the endpoint has what the files say.");
        return code;
    }
    if !args.auto_approve
        && let Err(code) = approved(&work)
    {
        return code;
    }
    // Each region at once; within a region, profile after profile.
    let results = rt.block_on(futures_util::future::join_all(
        work.iter().map(|(_, options, items)| apply_on(options.clone(), items.clone())),
    ));
    for ((region, _, _), result) in work.iter().zip(results) {
        // The last failure's code is the command's.
        let failed = print_applied(region.as_deref(), result);
        if failed != exit::OK {
            code = failed;
        }
    }
    code
}

/// The plans to apply, one per endpoint: the saved plan (checked against the
/// endpoint it was made for, unless `--anywhere`), or the files planned now.
fn make_plans(
    rt: &tokio::runtime::Runtime,
    targets: &[(Option<String>, crate::client::ConnectOptions)],
    saved: Option<SavedPlan>,
    files: &[ProfileFile],
    args: &ApplyArgs,
) -> Result<Vec<Planned>, u8> {
    Ok(match saved {
        Some(p) => {
            // Carried out where it was reviewed, unless told otherwise.
            let here = rt.block_on(async {
                let c = connect(&targets[0].1).await?;
                let place = (c.endpoint.clone(), c.region.clone());
                c.close().await;
                Ok::<_, ClientError>(place)
            });
            match here {
                Ok((endpoint, region)) => {
                    if let (Err(e), false) = (p.check_place(&endpoint, &region), args.anywhere) {
                        return Err(super::bad_parameter(&e));
                    }
                    vec![Ok(((endpoint, region), Ok(p.profiles)))]
                }
                Err(e) => vec![Err(e)],
            }
        }
        None => rt.block_on(futures_util::future::join_all(
            targets.iter().map(|(_, options)| plan_one(options.clone(), files, args.prune)),
        )),
    })
}

/// The paths as one saved plan (`ddsp plan --out`), when they are one file
/// that reads as one; Err(252) for a plan file that does not read.
fn saved_plan(paths: &[String]) -> Result<Option<SavedPlan>, u8> {
    let [one] = paths else { return Ok(None) };
    match std::fs::File::open(one.strip_prefix("file://").unwrap_or(one))
        .and_then(crate::wire::input::read_capped)
        .map(|b| SavedPlan::read(&String::from_utf8_lossy(&b)))
    {
        Ok(Err(e)) => Err(super::bad_parameter(&format!("{one}: {e}"))),
        Ok(Ok(plan)) => Ok(plan),
        Err(_) => Ok(None),
    }
}

/// Asks on the terminal before changing the endpoint (`yes` applies, saying
/// how many profiles would be deleted); in a script, refuses (252). Err is
/// the exit code: 252, or `DECLINED` when the answer is not yes.
fn approved(work: &[(Option<String>, crate::client::ConnectOptions, Vec<Item>)]) -> Result<(), u8> {
    if !std::io::stdin().is_terminal() {
        eprintln!("\napply changes the endpoint: on a terminal it asks first; in a script, give --auto-approve");
        return Err(exit::BAD_PARAMETERS);
    }
    let deletes: usize =
        work.iter().map(|(_, _, items)| items.iter().filter(|i| i.action == Action::Delete).count()).sum();
    let warning = if deletes > 0 { format!(" ({deletes} profile(s) will be DELETED)") } else { String::new() };
    print!("Apply these changes{warning}? Type yes: ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    if answer.trim() != "yes" {
        println!("Nothing applied.");
        return Err(exit::DECLINED);
    }
    Ok(())
}

/// Prints what was applied in one region (`region` prefixes each line when
/// several were planned): the exit code it calls for, 0 when all went through.
fn print_applied(region: Option<&str>, result: Result<Vec<(bool, String)>, ClientError>) -> u8 {
    let prefix = region.map_or_else(String::new, |r| format!("[{r}] "));
    let mut code = exit::OK;
    match result {
        Ok(lines) => {
            for (ok, line) in lines {
                let line = crate::domain::untrusted::neutralise(&format!("{prefix}{line}")).into_owned();
                if ok {
                    println!("{line}");
                } else {
                    // One profile's failure does not hide the others'.
                    eprintln!("{line}");
                    code = exit::SERVICE_ERROR;
                }
            }
        }
        Err(e) => {
            eprintln!("{}", crate::domain::untrusted::neutralise(&format!("{prefix}! {e}")));
            code = exit_code(&e);
        }
    }
    code
}

pub fn run_export(args: ExportArgs, global: &GlobalArgs) -> u8 {
    let dir = PathBuf::from(&args.dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        return super::bad_parameter(&format!("{}: {e}", dir.display()));
    }
    let rt = match runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let options = global.connect_options();
    let result = rt.block_on(async {
        let c = connect(&options).await?;
        let now = current(&c).await;
        c.close().await;
        now
    });
    let now = match result {
        Ok(now) => now,
        Err(e) => return failed(&e),
    };
    let single = match args.format {
        ExportFormat::Files => None,
        ExportFormat::Cloudformation => Some((
            "security-profiles.template.json",
            crate::wire::export::cloudformation(&now).map(|v| crate::wire::skeleton::json_text(&v)),
        )),
        ExportFormat::AwsCli => Some(("recreate-security-profiles.sh", crate::wire::export::aws_cli(&now))),
    };
    if let Some((file, text)) = single {
        let text = match text {
            Ok(t) => t,
            Err(e) => return super::bad_parameter(&e.to_string()),
        };
        return match crate::private_files::write_new(&dir, file, text.as_bytes()) {
            Ok(path) => {
                println!("{}", crate::domain::untrusted::neutralise(&path.display().to_string()));
                exit::OK
            }
            Err(e) => super::bad_parameter(&format!("{file}: {e}")),
        };
    }
    for (name, c) in &now {
        let doc = match export_document(c) {
            Ok(d) => d,
            Err(e) => return super::bad_parameter(&format!("{name}: {e}")),
        };
        let text = crate::wire::skeleton::json_text(&doc);
        match crate::private_files::write_new(&dir, &format!("{name}.json"), text.as_bytes()) {
            Ok(path) => println!("{}", crate::domain::untrusted::neutralise(&path.display().to_string())),
            Err(e) => return super::bad_parameter(&format!("{name}: {e}")),
        }
    }
    exit::OK
}
