//! Files only their owner can read: drafts hold a user's unsent work, the
//! settings name their AWS profile, the sandbox database holds their profiles.
//! Directories ddsp makes are 0700 and files 0600 on Unix (elsewhere the
//! platform's defaults apply).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `dir` and its missing parents, the ones made here 0700; a directory
/// ddsp's own data lives in directly is tightened to 0700 if it already exists.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
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
        // An older, open file and directory are tightened.
        let old = root.join("old");
        std::fs::create_dir(&old).unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_dir(&old).unwrap();
        assert_eq!(mode(&old), 0o700);
        let db = old.join("s.db");
        std::fs::write(&db, b"").unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        touch(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
