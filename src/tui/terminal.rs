//! The terminal's modes: raw mode, the alternate screen and bracketed paste
//! on while the editor runs, all undone by `TerminalGuard`'s `Drop` however
//! the editor ends (a return, an error, a panic unwinding). The panic hook
//! restores first as well, before the report is printed. Ctrl-Z gives the
//! terminal back and takes it again after `fg`.

use std::io;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};

use super::frames;

/// Undoes the terminal's modes when dropped.
pub struct TerminalGuard {
    pub terminal: frames::Term,
}

impl TerminalGuard {
    /// Raw mode, the alternate screen, bracketed paste; restored on drop.
    pub fn enter() -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        let guard = TerminalGuard { terminal: frames::new_terminal()? };
        crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        Ok(guard)
    }

    /// Ctrl-Z: gives the terminal back, stops until `fg`, then takes it again and redraws everything.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        #[cfg(unix)]
        nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP).map_err(io::Error::other)?;
        enable_raw_mode()?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        self.terminal.clear()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves the alternate screen, ends bracketed paste and raw mode, shows the cursor.
/// Safe to call more than once.
pub fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableBracketedPaste, LeaveAlternateScreen, crossterm::cursor::Show);
    let _ = disable_raw_mode();
}
