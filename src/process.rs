//! Whether another ddsp process still runs, asked of `/proc` (Linux): the
//! drafts' claims and the in-memory sandboxes' CA files name their process.

use std::path::Path;

/// Whether `/proc` can be asked at all (false elsewhere: callers then
/// assume every process they cannot see still runs, or none, as they say).
pub fn can_ask() -> bool {
    Path::new("/proc/self").exists()
}

/// Whether `pid` is another process running this same program. Our choice:
/// `/proc/PID/comm` names the same program as this process's own and it is
/// not a zombie (a killed process not yet reaped, or its id taken since by
/// another program, does not count). Where there is no `/proc`, a process
/// whose comm cannot be read counts as running only if its own can't be
/// read either.
pub fn runs_as_us(pid: u32) -> bool {
    let comm = |p: &str| std::fs::read_to_string(Path::new("/proc").join(p).join("comm")).ok();
    // A killed process not yet reaped is a zombie (state Z, or X while it goes): not running.
    let stat = std::fs::read_to_string(Path::new("/proc").join(pid.to_string()).join("stat")).unwrap_or_default();
    let state = stat.rsplit_once(')').and_then(|(_, rest)| rest.trim_start().chars().next());
    if matches!(state, Some('Z' | 'X')) {
        return false;
    }
    let running = match (comm(&pid.to_string()), comm("self")) {
        (Some(theirs), Some(ours)) => theirs == ours,
        (theirs, None) => theirs.is_some(),
        (None, Some(_)) => false,
    };
    pid != std::process::id() && running
}
