//! The sandbox's CA as the command line shows it: `ddsp sandbox ca`, and
//! the certificate an in-memory sandbox writes to the temp dir for devices
//! (removed when it stops; those of sandboxes killed before they could are
//! removed by the next one).

use std::path::PathBuf;

use clap::Args;

use super::exit;
use crate::sandbox::default_db_path;

#[derive(Debug, Args)]
pub struct CaArgs {
    /// The SQLite database whose CA to print (default: sandbox.db in the user's data dir);
    /// the CA is made beside it if there is none yet.
    #[arg(long)]
    pub db: Option<PathBuf>,
}

/// `ddsp sandbox ca`: prints the CA certificate of a database, making it first if needed.
pub fn run(args: CaArgs) -> u8 {
    let db = args.db.or_else(default_db_path);
    let Some(db) = db else {
        eprintln!("ddsp sandbox ca: no data directory; give --db");
        return exit::OTHER;
    };
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = crate::private_files::create_dir(dir)
    {
        eprintln!(
            "ddsp sandbox ca: cannot create {}: {e}",
            crate::domain::untrusted::neutralise(&dir.display().to_string())
        );
        return exit::OTHER;
    }
    match crate::sandbox::authority::Authority::open(Some(&db)) {
        Ok(ca) => {
            print!("{}", ca.pem());
            exit::OK
        }
        Err(e) => {
            eprintln!("ddsp sandbox ca: {}", crate::domain::untrusted::neutralise(&e.to_string()));
            exit::OTHER
        }
    }
}

/// Writes the in-memory CA's certificate to the temp dir, for devices to trust.
pub fn write_in_memory(sandbox: &crate::sandbox::Sandbox) -> Result<PathBuf, String> {
    let authority = sandbox.service().devices().authority().map_err(|e| e.to_string())?;
    let path = in_memory_path();
    remove_orphaned_cas();
    crate::private_files::touch(&path).map_err(|e| e.to_string())?;
    std::fs::write(&path, authority.pem()).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Where an in-memory sandbox writes its CA certificate (removed when it stops).
pub fn in_memory_path() -> PathBuf {
    std::env::temp_dir().join(format!("ddsp-sandbox-{}.ca.pem", std::process::id()))
}

/// Removes the CA certificates left in the temp dir by in-memory sandboxes
/// that were killed before they could: a regular file of this user named
/// `ddsp-sandbox-PID.ca.pem` exactly as `in_memory_path` names it, whose
/// process no longer runs as ddsp (`process::runs_as_us`). Where `/proc`
/// cannot be asked, nothing is removed: *our choice*, rather than guess which
/// sandboxes still run. (A sandbox in another PID namespace sharing this temp
/// dir looks gone from here; its file is made again at its next start.)
fn remove_orphaned_cas() {
    use std::os::unix::fs::MetadataExt;
    if !crate::process::can_ask() {
        return;
    }
    let Ok(me) = std::fs::metadata("/proc/self").map(|m| m.uid()) else { return };
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("ddsp-sandbox-")?.strip_suffix(".ca.pem")) else {
            continue;
        };
        let Some(parsed) = pid.parse::<u32>().ok().filter(|p| p.to_string() == pid) else { continue };
        let ours = entry.path().symlink_metadata().is_ok_and(|m| m.is_file() && m.uid() == me);
        if ours && !crate::process::runs_as_us(parsed) && parsed != std::process::id() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_users_ca_files_of_gone_sandboxes_are_removed() {
        let dir = std::env::temp_dir();
        // No process has an id over pid_max (at most 2^22); a leading zero is no name of ours.
        let gone = dir.join("ddsp-sandbox-4000000001.ca.pem");
        let odd = dir.join("ddsp-sandbox-04000000002.ca.pem");
        let mine = dir.join(format!("ddsp-sandbox-{}.ca.pem", std::process::id()));
        let link = dir.join("ddsp-sandbox-4000000003.ca.pem");
        for path in [&gone, &odd, &mine] {
            std::fs::write(path, "pem").unwrap();
        }
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&odd, &link).unwrap();
        remove_orphaned_cas();
        let kept = |p: &PathBuf| p.symlink_metadata().is_ok();
        assert!(!kept(&gone), "a gone sandbox's file is removed");
        assert!(kept(&odd) && kept(&mine) && kept(&link), "odd names, this process's own and links are left");
        for path in [&odd, &mine, &link] {
            let _ = std::fs::remove_file(path);
        }
    }
}
