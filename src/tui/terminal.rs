//! The terminal's modes: raw mode, the alternate screen and bracketed paste
//! on while the editor runs, all undone by `TerminalGuard`'s `Drop` however
//! the editor ends (a return, an error, a panic unwinding). The panic hook
//! restores first as well, before the report is printed. Ctrl-Z gives the
//! terminal back and takes it again after `fg`.

use std::io;

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};

use super::frames;

/// Undoes the terminal's modes when dropped.
pub struct TerminalGuard {
    pub terminal: frames::Term,
    /// Mouse reports are on (`mouse = on`).
    pub mouse: bool,
}

impl TerminalGuard {
    /// Raw mode, the alternate screen, bracketed paste; restored on drop.
    pub fn enter(mouse: bool) -> io::Result<TerminalGuard> {
        enable_raw_mode()?;
        let guard = TerminalGuard { terminal: frames::new_terminal()?, mouse };
        crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        if mouse {
            crossterm::execute!(io::stdout(), EnableMouseCapture)?;
        }
        Ok(guard)
    }

    /// Ctrl-Z: gives the terminal back, stops until `fg`, then takes it again and redraws everything.
    pub fn suspend(&mut self) -> io::Result<()> {
        restore();
        #[cfg(unix)]
        nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP).map_err(io::Error::other)?;
        enable_raw_mode()?;
        crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        if self.mouse {
            crossterm::execute!(io::stdout(), EnableMouseCapture)?;
        }
        self.terminal.clear()
    }
}

impl TerminalGuard {
    /// Hands the terminal to `$VISUAL` / `$EDITOR` (vi when neither is set) on
    /// a private temporary file holding `text` (`EditFile`), takes it back
    /// when the editor ends, and gives what the file then holds.
    pub fn run_editor(&mut self, text: &str) -> Result<String, String> {
        let file = crate::edit_file::EditFile::create(text).map_err(|e| e.to_string())?;
        let editor = std::env::var("VISUAL")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .or_else(|| std::env::var("EDITOR").ok().filter(|v| !v.trim().is_empty()))
            .unwrap_or_else(|| "vi".to_owned());
        restore();
        // Through the shell, so an editor given with its own options (`code --wait`) works.
        let status = std::process::Command::new("sh")
            .args(["-c", &format!("{editor} \"$1\""), "ddsp-editor"])
            .arg(file.path())
            .status();
        let back = (|| {
            enable_raw_mode()?;
            crossterm::execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
            if self.mouse {
                crossterm::execute!(io::stdout(), EnableMouseCapture)?;
            }
            self.terminal.clear()
        })();
        let result = match status {
            Ok(s) if s.success() => file.read_back().map_err(|e| e.to_string()),
            Ok(s) => Err(format!("{editor} ended with {s}; the profile is as it was")),
            Err(e) => Err(format!("{editor}: {e}")),
        };
        drop(file);
        back.map_err(|e| e.to_string())?;
        result
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
    let _ = crossterm::execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}
