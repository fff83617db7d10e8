//! The file handed to `$VISUAL` / `$EDITOR` (Ctrl-E): a fresh directory
//! with a random name made by `mkdtemp` (owner-only, created exclusively, so
//! nothing another user planted in the temp dir is reused or followed), a
//! `profile.yaml` inside it, and a read-back that refuses anything but a
//! regular file (a symlink or a FIFO put there by the editor is not
//! followed, and cannot block). The directory and whatever is left in it
//! are removed when the `EditFile` is dropped.
//!
//! `tempfile` does the exclusive creation: it is the well-kept library for
//! this, and getting `mkdtemp`'s guarantees right by hand is what went wrong before.

use std::io;
use std::path::{Path, PathBuf};

/// A private temporary file holding the text being edited.
pub struct EditFile {
    dir: tempfile::TempDir,
    path: PathBuf,
}

impl EditFile {
    /// Makes a new `ddsp-edit-XXXXXX` directory (0700, random name) in the
    /// system temp dir and writes `text` to `profile.yaml` (0600) in it.
    /// Errors: the temp dir is unwritable or full.
    pub fn create(text: &str) -> io::Result<EditFile> {
        EditFile::create_in(&std::env::temp_dir(), text)
    }

    /// As `create`, in `parent` instead of the system temp dir.
    pub fn create_in(parent: &Path, text: &str) -> io::Result<EditFile> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("ddsp-edit-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Made with this mode, not tightened after: no moment when another user could enter.
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(parent)?;
        let path = dir.path().join("profile.yaml");
        let mut file = crate::private_files::options().write(true).create_new(true).open(&path)?;
        io::Write::write_all(&mut file, text.as_bytes())?;
        Ok(EditFile { dir, path })
    }

    /// The file the editor is given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The directory holding it.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// What the file holds now. Errors when it is no longer a regular file
    /// (replaced by a symlink, a FIFO or a directory), is not UTF-8, or is
    /// larger than `MAX_INPUT_BYTES` (16 MiB).
    pub fn read_back(&self) -> io::Result<String> {
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // No link is followed, and opening a FIFO does not wait for a writer.
            options.custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_NONBLOCK);
        }
        let file = options.open(&self.path).map_err(|e| {
            #[cfg(unix)]
            if e.raw_os_error() == Some(nix::libc::ELOOP) {
                return io::Error::other("the edited file was replaced by a symbolic link; it is not followed");
            }
            e
        })?;
        if !file.metadata()?.is_file() {
            return Err(io::Error::other("the edited file is no longer a regular file; it is not read"));
        }
        let bytes = crate::wire::input::read_capped(file)?;
        String::from_utf8(bytes).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the edited file is not UTF-8"))
    }
}
