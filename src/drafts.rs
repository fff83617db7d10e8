//! Drafts: the profile being edited, saved atomically as the user types, so a
//! dropped SSH session, a kill or a panic loses nothing. A draft is two files in
//! the user's data dir (`~/.local/share/ddsp/drafts/` on Linux):
//!
//! - `ID.json`, the request in `--cli-input-json` form (CreateSecurityProfile,
//!   or UpdateSecurityProfile with its `expectedVersion` and delete-* flags),
//!   which the AWS CLI and `ddsp` accept as it is;
//! - `ID.meta.json`, what the editor needs to carry on: the endpoint, the
//!   server's copy the edit started from, the tags, the cursor, and any text
//!   typed into a field that did not parse yet.
//!
//! Each file is written to a temporary file in the same directory, synced,
//! renamed over the old one, and the directory synced: a reader sees the old
//! file or the new one, never half of one.
//!
//! A running editor also marks the drafts it writes, restores or opens a
//! profile for as its own (`ID.owner`: its process id, the endpoint and the
//! profile's name, one a line), and removes the marks when it ends or closes
//! a profile it did not change: a second ddsp on the same home neither
//! offers a draft another one is still editing (`Drafts::live`) nor opens a
//! profile another one has open (`Drafts::held_elsewhere`). A mark left by a
//! killed editor names a process that is gone, and counts for nothing.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::domain::profile::{ProfileUpdate, SecurityProfile, Tag};
use crate::wire::response::SecurityProfileDescription;

/// Which operation a draft's request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Operation {
    CreateSecurityProfile,
    UpdateSecurityProfile,
    /// A dimension or custom metric being made or changed (its request is the command's input).
    CreateDimension,
    UpdateDimension,
    CreateCustomMetric,
    UpdateCustomMetric,
}

impl Operation {
    /// The command that takes the draft's request file.
    pub fn command(self) -> &'static str {
        match self {
            Operation::CreateSecurityProfile => "create-security-profile",
            Operation::UpdateSecurityProfile => "update-security-profile",
            Operation::CreateDimension => "create-dimension",
            Operation::UpdateDimension => "update-dimension",
            Operation::CreateCustomMetric => "create-custom-metric",
            Operation::UpdateCustomMetric => "update-custom-metric",
        }
    }

    /// Whether the draft is of a security profile (else a dimension or custom metric).
    pub fn is_profile(self) -> bool {
        matches!(self, Operation::CreateSecurityProfile | Operation::UpdateSecurityProfile)
    }
}

/// Where the cursor was: section, open behavior, focused row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    pub section: String,
    pub behavior: Option<usize>,
    pub row: usize,
}

/// Text typed into a field that did not parse, kept with the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawText {
    pub behavior: Option<usize>,
    pub field: Value,
    pub text: String,
}

/// Everything but the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    pub operation: Operation,
    /// The endpoint the edit was made against, as the status line names it.
    pub endpoint: String,
    pub name: String,
    /// The version the edit started from (an update's expectedVersion).
    pub base_version: Option<i64>,
    /// The server's copy the edit started from.
    pub base: Option<SecurityProfileDescription>,
    pub base_tags: Vec<Tag>,
    /// The profile's tags (an update's request has none: they go through TagResource).
    pub tags: Option<Vec<Tag>>,
    pub cursor: Cursor,
    pub raw: Vec<RawText>,
    /// The targets the edit attaches the profile to, and those the server had.
    #[serde(default)]
    pub targets: Option<Vec<crate::domain::targets::Target>>,
    #[serde(default)]
    pub base_targets: Option<Vec<crate::domain::targets::Target>>,
    /// A dimension or custom metric half made in the editor (the editor's own form, as JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Value>,
    /// When it was saved, epoch seconds.
    pub saved: f64,
}

/// One draft: its id, the request and the rest.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub id: String,
    pub request: Value,
    pub meta: Meta,
}

impl Draft {
    /// The profile the draft holds, as the editor edits it.
    pub fn profile(&self) -> Result<SecurityProfile, String> {
        let mut profile = match self.meta.operation {
            Operation::CreateSecurityProfile => {
                serde_json::from_value::<SecurityProfile>(self.request.clone()).map_err(|e| e.to_string())?
            }
            other if !other.is_profile() => {
                return Err(format!("it is a draft of {}, not of a security profile", other.command()));
            }
            _ => {
                let u: ProfileUpdate = serde_json::from_value(self.request.clone()).map_err(|e| e.to_string())?;
                u.into_profile(None)
            }
        };
        if self.meta.operation == Operation::UpdateSecurityProfile {
            profile.tags = self.meta.tags.clone();
        }
        Ok(profile)
    }
}

/// An edit as the editor hands it to the writer: typed, and cheap to take on
/// every keystroke (the server's copy is shared, nothing is serialised); the
/// writer's thread turns it into a `Draft`.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub id: String,
    pub endpoint: String,
    pub profile: SecurityProfile,
    pub base: Option<Arc<SecurityProfileDescription>>,
    pub base_tags: Vec<Tag>,
    pub cursor: Cursor,
    pub raw: Vec<RawText>,
    pub targets: Option<Vec<crate::domain::targets::Target>>,
    pub base_targets: Option<Vec<crate::domain::targets::Target>>,
    pub form: Option<Value>,
    /// Epoch seconds.
    pub saved: f64,
}

impl Snapshot {
    /// The draft: the request the edit makes, and the rest.
    pub fn draft(&self) -> Draft {
        let submit = crate::wire::change::request(&self.profile, self.base.as_deref(), &self.base_tags);
        let (operation, tags) = match &submit {
            crate::wire::change::Submit::Create(_) => (Operation::CreateSecurityProfile, None),
            crate::wire::change::Submit::Update { .. } => (Operation::UpdateSecurityProfile, self.profile.tags.clone()),
        };
        Draft {
            id: self.id.clone(),
            // The model's shapes always serialise; Null would only mark a bug.
            request: submit.body().unwrap_or(Value::Null),
            meta: Meta {
                operation,
                endpoint: self.endpoint.clone(),
                name: self.profile.security_profile_name.clone(),
                base_version: self.base.as_ref().and_then(|b| b.version),
                base: self.base.as_deref().cloned(),
                base_tags: self.base_tags.clone(),
                tags,
                cursor: self.cursor.clone(),
                raw: self.raw.clone(),
                targets: self.targets.clone(),
                base_targets: self.base_targets.clone(),
                form: self.form.clone(),
                saved: self.saved,
            },
        }
    }
}

/// The drafts directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drafts {
    pub dir: PathBuf,
}

/// A draft file that could not be read, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreadable {
    pub path: PathBuf,
    pub reason: String,
}

impl Drafts {
    /// `drafts/` in the user's data dir.
    pub fn default_dir() -> Option<Drafts> {
        directories::ProjectDirs::from("", "", "ddsp").map(|d| Drafts { dir: d.data_dir().join("drafts") })
    }

    pub fn request_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.json"))
    }

    fn meta_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.meta.json"))
    }

    fn owner_path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.owner"))
    }

    /// Marks the draft as this process's while it runs, with the endpoint and
    /// the profile it is of (owner-only, as the drafts are).
    fn own(&self, claim: &Claim) -> io::Result<()> {
        crate::private_files::create_own_dir(&self.dir)?;
        let text = format!("{}\n{}\n{}\n", std::process::id(), claim.endpoint, claim.name);
        write_atomic(&self.owner_path(&claim.id), text.as_bytes())
    }

    /// The process id of another running ddsp that has the profile `name` on
    /// `endpoint` open (a draft of it, or the profile opened), if one has.
    pub fn held_elsewhere(&self, endpoint: &str, name: &str) -> Option<u32> {
        let entries = fs::read_dir(&self.dir).ok()?;
        entries.flatten().find_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let id = file.strip_suffix(".owner")?;
            let text = fs::read_to_string(e.path()).ok()?;
            let mut lines = text.lines().skip(1);
            let (of_endpoint, of_name) = match (lines.next(), lines.next()) {
                (Some(ep), Some(n)) => (ep.to_owned(), n.to_owned()),
                // A mark with the process id alone: the draft's meta says whose it is.
                _ => self.load(id).ok().map(|d| (d.meta.endpoint, d.meta.name))?,
            };
            (of_endpoint == endpoint && of_name == name).then(|| self.live(id)).flatten()
        })
    }

    /// Removes this process's mark from the draft (another's is left).
    fn disown(&self, id: &str) {
        let ours = fs::read_to_string(self.owner_path(id))
            .is_ok_and(|t| t.lines().next().map(str::trim) == Some(&std::process::id().to_string()));
        if ours {
            let _ = fs::remove_file(self.owner_path(id));
        }
    }

    /// The process id of another running ddsp that is editing the draft, if
    /// one is (`process::runs_as_us`: where there is no `/proc`, no draft
    /// counts as another's).
    pub fn live(&self, id: &str) -> Option<u32> {
        let pid: u32 = fs::read_to_string(self.owner_path(id)).ok()?.lines().next()?.trim().parse().ok()?;
        crate::process::runs_as_us(pid).then_some(pid)
    }

    /// Saves both files atomically (the request first); returns the request's path.
    pub fn save(&self, draft: &Draft) -> io::Result<PathBuf> {
        crate::private_files::create_own_dir(&self.dir)?;
        let request = crate::wire::skeleton::json_text(&draft.request);
        let meta = serde_json::to_string_pretty(&draft.meta).map_err(io::Error::other)? + "\n";
        let path = self.request_path(&draft.id);
        write_atomic(&path, request.as_bytes())?;
        write_atomic(&self.meta_path(&draft.id), meta.as_bytes())?;
        sync_dir(&self.dir)?;
        Ok(path)
    }

    /// Removes a draft (both files, and its mark); a draft that is not there is not an error.
    pub fn remove(&self, id: &str) -> io::Result<()> {
        for path in [self.request_path(id), self.meta_path(id), self.owner_path(id)] {
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        sync_dir(&self.dir)
    }

    /// Every draft, newest first, and the files that could not be read.
    pub fn list(&self) -> (Vec<Draft>, Vec<Unreadable>) {
        let mut drafts = Vec::new();
        let mut bad = Vec::new();
        let Ok(entries) = fs::read_dir(&self.dir) else { return (drafts, bad) };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".meta.json") else { continue };
            match self.load(id) {
                Ok(d) => drafts.push(d),
                Err(reason) => bad.push(Unreadable { path: entry.path(), reason }),
            }
        }
        drafts.sort_by(|a, b| b.meta.saved.total_cmp(&a.meta.saved).then_with(|| a.id.cmp(&b.id)));
        (drafts, bad)
    }

    /// Reads one draft.
    pub fn load(&self, id: &str) -> Result<Draft, String> {
        let read = |p: PathBuf| fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()));
        let meta: Meta =
            serde_json::from_str(&read(self.meta_path(id))?).map_err(|e| format!("{id}.meta.json: {e}"))?;
        let request: Value =
            serde_json::from_str(&read(self.request_path(id))?).map_err(|e| format!("{id}.json: {e}"))?;
        Ok(Draft { id: id.to_owned(), request, meta })
    }
}

/// A new draft id: the time and a random suffix, safe as a file name.
pub fn new_id(now_epoch: f64) -> String {
    let secs = now_epoch.floor();
    let stamp = crate::wire::time::iso8601(secs);
    let compact: String = stamp.chars().take(19).filter(char::is_ascii_digit).collect();
    format!("draft-{compact}-{:04x}", fastrand::u16(..))
}

/// Writes `bytes` to a temporary file beside `path`, syncs it and renames it over `path`.
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = crate::private_files::options().write(true).create(true).truncate(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Syncs a directory, so a rename in it survives a crash.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// The newest draft handed to the writer, for the panic hook to save.
static LATEST: Mutex<Option<(Drafts, Arc<Snapshot>)>> = Mutex::new(None);

/// Saves the newest draft now, from any thread (the panic hook); returns its path.
pub fn save_latest() -> Option<PathBuf> {
    let guard = LATEST.try_lock().ok()?;
    let (drafts, snapshot) = guard.as_ref()?;
    drafts.save(&snapshot.draft()).ok()
}

enum Job {
    Save(Box<Draft>),
    Snapshot(Arc<Snapshot>),
    Remove(String),
    /// Mark a draft as this editor's (restored, or its profile opened, not yet written).
    Own(Claim),
    /// Take the mark off: the profile was closed with nothing to keep.
    Disown(String),
    Finish,
}

/// What the writer did, reported back to the editor.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    Saved(PathBuf),
    Removed(String),
    Failed(String),
}

/// What an editor claims while it runs: the draft, and the profile (endpoint, name) it is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub id: String,
    pub endpoint: String,
    pub name: String,
}

/// Saves drafts on a thread of its own, so typing never waits on the disk.
/// When drafts come faster than they are written, only the newest is written.
pub struct Writer {
    drafts: Drafts,
    jobs: mpsc::Sender<Job>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Writer {
    /// Starts the writer; `report` hears about every save.
    pub fn start(drafts: Drafts, report: impl Fn(Report) + Send + Sync + 'static) -> Writer {
        let (jobs, rx) = mpsc::channel::<Job>();
        let dir = drafts.clone();
        let report = Arc::new(report);
        let on_failure = Arc::clone(&report);
        let thread = std::thread::Builder::new()
            .name("ddsp-drafts".into())
            .spawn(move || {
                // The drafts this editor wrote and marked as its own: unmarked when it ends.
                let mut owned: Vec<String> = Vec::new();
                while let Ok(first) = rx.recv() {
                    // Coalesce: of the saves waiting for one draft, the newest wins.
                    let mut batch = vec![first];
                    batch.extend(rx.try_iter());
                    let mut finish = false;
                    // Drafts are made from snapshots only once they are the newest of their id.
                    let mut pending: Vec<(String, Job)> = Vec::new();
                    for job in batch {
                        match job {
                            Job::Save(d) => {
                                pending.retain(|(id, _)| *id != d.id);
                                pending.push((d.id.clone(), Job::Save(d)));
                            }
                            Job::Snapshot(s) => {
                                pending.retain(|(id, _)| *id != s.id);
                                pending.push((s.id.clone(), Job::Snapshot(s)));
                            }
                            Job::Remove(id) => {
                                pending.retain(|(p, _)| *p != id);
                                owned.retain(|o| *o != id);
                                clear_latest(&id);
                                report(match drafts.remove(&id) {
                                    Ok(()) => Report::Removed(id),
                                    Err(e) => Report::Failed(format!("could not remove the draft {id}: {e}")),
                                });
                            }
                            Job::Own(claim) => {
                                if !owned.contains(&claim.id) && drafts.own(&claim).is_ok() {
                                    owned.push(claim.id);
                                }
                            }
                            Job::Disown(id) => {
                                drafts.disown(&id);
                                owned.retain(|o| *o != id);
                            }
                            Job::Finish => finish = true,
                        }
                    }
                    for (_, job) in pending {
                        let d = match job {
                            Job::Save(d) => *d,
                            Job::Snapshot(s) => s.draft(),
                            Job::Remove(_) | Job::Own(_) | Job::Disown(_) | Job::Finish => continue,
                        };
                        report(match drafts.save(&d) {
                            Ok(path) => Report::Saved(path),
                            Err(e) => {
                                Report::Failed(format!("the draft could not be saved in {}: {e}", drafts.dir.display()))
                            }
                        });
                        let claim =
                            Claim { id: d.id.clone(), endpoint: d.meta.endpoint.clone(), name: d.meta.name.clone() };
                        if !owned.contains(&d.id) && drafts.own(&claim).is_ok() {
                            owned.push(d.id.clone());
                        }
                    }
                    if finish {
                        break;
                    }
                }
                owned.iter().for_each(|id| drafts.disown(id));
            })
            .map_err(|e| {
                // Without the thread no draft is written: say so, so the quit prompt asks.
                on_failure(Report::Failed(format!("the draft writer could not start: {e}")));
            })
            .ok();
        Writer { drafts: dir, jobs, thread }
    }

    /// Queues a save of a finished draft.
    pub fn save(&self, draft: Draft) {
        let _ = self.jobs.send(Job::Save(Box::new(draft)));
    }

    /// Queues a save of an edit; the panic hook can save it too from now on.
    /// Costs the caller a pointer copy: the draft is made on the writer's thread.
    pub fn save_snapshot(&self, snapshot: Arc<Snapshot>) {
        if let Ok(mut latest) = LATEST.lock() {
            *latest = Some((self.drafts.clone(), Arc::clone(&snapshot)));
        }
        let _ = self.jobs.send(Job::Snapshot(snapshot));
    }

    /// Marks a draft as this editor's while it runs: one it restored, or
    /// the one a profile it opened will be written as, which another ddsp
    /// must not offer or open even before it is written.
    pub fn own(&self, claim: Claim) {
        let _ = self.jobs.send(Job::Own(claim));
    }

    /// Takes this editor's mark off a draft it will not write (a profile closed unchanged).
    pub fn disown(&self, id: String) {
        let _ = self.jobs.send(Job::Disown(id));
    }

    /// Queues the removal of a draft (after its profile was submitted).
    pub fn remove(&self, id: String) {
        let _ = self.jobs.send(Job::Remove(id));
    }

    /// Writes whatever is queued and stops the thread.
    pub fn finish(mut self) {
        let _ = self.jobs.send(Job::Finish);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn clear_latest(id: &str) {
    if let Ok(mut latest) = LATEST.lock()
        && latest.as_ref().is_some_and(|(_, d)| d.id == id)
    {
        *latest = None;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sample(id: &str, saved: f64) -> Draft {
        Draft {
            id: id.into(),
            request: serde_json::json!({"securityProfileName": "Fleet", "securityProfileDescription": "d"}),
            meta: Meta {
                operation: Operation::CreateSecurityProfile,
                endpoint: "sandbox".into(),
                name: "Fleet".into(),
                base_version: None,
                base: None,
                base_tags: Vec::new(),
                tags: None,
                cursor: Cursor { section: "Overview".into(), behavior: None, row: 1 },
                raw: Vec::new(),
                targets: None,
                base_targets: None,
                form: None,
                saved,
            },
        }
    }

    #[test]
    fn saves_lists_newest_first_and_removes() {
        let dir = std::env::temp_dir().join(format!("ddsp-drafts-unit-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let drafts = Drafts { dir: dir.clone() };
        drafts.save(&sample("a", 1.0)).unwrap();
        let path = drafts.save(&sample("b", 2.0)).unwrap();
        #[cfg(unix)]
        {
            // Drafts hold unsent work: the owner's only.
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&dir.join("b.meta.json")), 0o600);
        }
        assert_eq!(
            fs::read_to_string(path).unwrap(),
            "{\n    \"securityProfileName\": \"Fleet\",\n    \"securityProfileDescription\": \"d\"\n}\n"
        );
        fs::write(dir.join("c.meta.json"), "{").unwrap();
        let (list, bad) = drafts.list();
        assert_eq!(list.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(bad.len(), 1);
        assert_eq!(list[0].profile().unwrap().security_profile_description.as_deref(), Some("d"));
        drafts.remove("a").unwrap();
        drafts.remove("a").unwrap();
        assert_eq!(drafts.list().0.len(), 1);
        // No temporary file is left behind.
        assert!(fs::read_dir(&dir).unwrap().flatten().all(|e| !e.file_name().to_string_lossy().ends_with(".tmp")));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_writer_keeps_the_newest_and_finishes_what_is_queued() {
        let dir = std::env::temp_dir().join(format!("ddsp-drafts-writer-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let drafts = Drafts { dir: dir.clone() };
        let writer = Writer::start(drafts.clone(), |_| {});
        for i in 0..50 {
            let mut d = sample("w", f64::from(i));
            d.request["securityProfileDescription"] = Value::from(format!("edit {i}"));
            writer.save(d);
        }
        writer.save(sample("other", 99.0));
        writer.finish();
        let d = drafts.load("w").unwrap();
        assert_eq!(d.request["securityProfileDescription"], "edit 49");
        assert!(drafts.load("other").is_ok(), "a draft queued beside another is written too");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_draft_another_running_editor_writes_is_its_until_it_ends() {
        let dir = std::env::temp_dir().join(format!("ddsp-drafts-owner-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let drafts = Drafts { dir: dir.clone() };
        let writer = Writer::start(drafts.clone(), |_| {});
        writer.save(sample("mine", 1.0));
        // Another editor: a process under this program's name (`sleep`, copied to it).
        let ours = fs::read_to_string("/proc/self/comm").unwrap_or_default();
        let twin = dir.join(ours.trim());
        fs::create_dir_all(&dir).unwrap();
        fs::copy("/bin/sleep", &twin).unwrap();
        let mut other = std::process::Command::new(&twin).arg("30").spawn().unwrap();
        drafts.save(&sample("theirs", 2.0)).unwrap();
        fs::write(dir.join("theirs.owner"), format!("{}\nsandbox\nFleet\n", other.id())).unwrap();
        // Process 1 is not a ddsp; a mark left by a killed editor names a gone process.
        drafts.save(&sample("init", 3.0)).unwrap();
        fs::write(dir.join("init.owner"), "1").unwrap();
        drafts.save(&sample("orphan", 4.0)).unwrap();
        fs::write(dir.join("orphan.owner"), u32::MAX.to_string()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(dir.join("mine.owner").exists(), "marked while this editor runs");
        assert_eq!(drafts.live("mine"), None, "never another's to this process");
        if Path::new("/proc/self/comm").exists() {
            assert_eq!(drafts.live("theirs"), Some(other.id()));
            assert_eq!(drafts.held_elsewhere("sandbox", "Fleet"), Some(other.id()));
            assert_eq!(drafts.live("init"), None, "another program's process is not an editor");
        }
        assert_eq!(drafts.live("orphan"), None, "a gone process's mark counts for nothing");
        let _ = other.kill();
        let _ = other.wait();
        writer.finish();
        assert!(!dir.join("mine.owner").exists(), "unmarked when the editor ends");
        assert!(dir.join("theirs.owner").exists(), "another's mark is left");
        drafts.remove("theirs").unwrap();
        assert!(!dir.join("theirs.owner").exists(), "a removed draft takes its mark along");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn ids_are_file_names() {
        let id = new_id(1_795_000_000.0);
        assert!(id.starts_with("draft-20261118"), "{id}");
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
