//! Files only their owner can read: drafts hold a user's unsent work, the
//! settings name their AWS profile, the sandbox database holds their profiles.
//! Directories ddsp makes are 0700 and files 0600 on Unix (elsewhere the
//! platform's defaults apply).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `dir` and its missing parents, the ones made here 0700. A
/// directory that exists already is left as it is: it may be the user's.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// As `create_dir`, for a directory that is ddsp's own (its drafts, its
/// settings, its default data dir): one left 0755 by an older ddsp is tightened.
pub fn create_own_dir(dir: &Path) -> io::Result<()> {
    create_dir(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(dir)?.permissions().mode() & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Options that create a file readable and writable by its owner only.
pub fn options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Creates (or truncates) `path` as an owner-only file and writes `bytes`.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let mut file = options().write(true).create(true).truncate(true).open(path)?;
    file.write_all(bytes)
}

/// Writes `bytes` to a new owner-only file in `dir` named from `name`: any
/// character but letters, digits, `.`, `_`, `-` and `:` becomes `_` (a
/// profile name cannot climb out of `dir`), and an existing file is never
/// overwritten: `NAME-1.json`, `NAME-2.json`… are tried instead. Returns the path.
pub fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<std::path::PathBuf> {
    use std::io::Write;
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | ':') { c } else { '_' })
        .collect();
    let clean = clean.trim_start_matches('.');
    let clean = if clean.is_empty() { "request.json" } else { clean };
    let (stem, ext) = clean.rsplit_once('.').map_or((clean, ""), |(s, e)| (s, e));
    for n in 0..100 {
        let file = match (n, ext) {
            (0, _) => clean.to_owned(),
            (n, "") => format!("{stem}-{n}"),
            (n, ext) => format!("{stem}-{n}.{ext}"),
        };
        let path = dir.join(file);
        match options().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(bytes)?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("{clean} and 99 numbered copies exist already")))
}

/// Makes sure `path` exists as an owner-only file without touching its
/// contents (SQLite then gives its -wal and -shm files the same mode).
pub fn touch(path: &Path) -> io::Result<File> {
    let file = options().write(true).create(true).truncate(false).open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

#[cfg(all(test, unix))]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn directories_are_0700_and_files_0600() {
        let root = std::env::temp_dir().join(format!("ddsp-private-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("a/b");
        create_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&root.join("a")), 0o700);
        let file = dir.join("f.json");
        write(&file, b"{}").unwrap();
        assert_eq!(mode(&file), 0o600);
        // A directory of the user's is left alone; ddsp's own is tightened.
        let old = root.join("old");
        std::fs::create_dir(&old).unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_dir(&old).unwrap();
        assert_eq!(mode(&old), 0o755);
        create_own_dir(&old).unwrap();
        assert_eq!(mode(&old), 0o700);
        let db = old.join("s.db");
        std::fs::write(&db, b"").unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        touch(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        // New files are never overwritten and never leave the directory.
        let first = write_new(&old, "Fleet.update.json", b"1").unwrap();
        let second = write_new(&old, "Fleet.update.json", b"2").unwrap();
        assert_eq!(first.file_name().unwrap(), "Fleet.update.json");
        assert_eq!(second.file_name().unwrap(), "Fleet.update-1.json");
        assert_eq!(std::fs::read(&first).unwrap(), b"1");
        let climbing = write_new(&old, "../../x/evil.json", b"3").unwrap();
        assert_eq!(climbing.parent().unwrap(), old.as_path());
        assert_eq!(mode(&climbing), 0o600);
        std::fs::remove_dir_all(&root).unwrap();
    }
}

/// Writes `path` whole or not at all: `write` fills an owner-only temporary
/// file beside it, which is synced and renamed over `path`, and the folder is
/// synced; if `write` or any step fails, `path` is left as it was and the
/// temporary file is removed. `path`'s folder must exist. Answers what
/// `write` answered.
///
/// Errors: `write`'s, or the file system's.
pub fn write_whole<T, E: From<io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> Result<T, E>,
) -> Result<T, E> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)?;
    let mut out = std::io::BufWriter::new(tmp.as_file());
    let value = write(&mut out)?;
    out.flush()?;
    drop(out);
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(folder) = File::open(dir) {
        // Not every file system syncs a folder; the file itself is synced.
        let _ = folder.sync_all();
    }
    Ok(value)
}
