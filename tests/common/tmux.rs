//! Drives the real binary in a tmux session: type keys, read the screen.

use std::process::Command;
use std::time::{Duration, Instant};

use super::timeout;

/// A detached tmux session running one command; killed when dropped.
pub struct Tmux {
    pub session: String,
}

/// Fails the test when tmux cannot run (the tests that need it are ignored
/// unless asked for; scripts/test installs tmux and asks for them).
pub fn require_tmux() {
    assert!(Command::new("tmux").arg("-V").output().is_ok(), "tmux is missing; scripts/test installs it");
}

impl Tmux {
    pub fn tmux(args: &[&str]) -> String {
        let out = Command::new("tmux").args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts `command` in a new 80x24 session.
    pub fn start(session: &str, command: &str) -> Tmux {
        Self::start_sized(session, command, 80, 24)
    }

    pub fn start_sized(session: &str, command: &str, width: u16, height: u16) -> Tmux {
        let _ = Command::new("tmux").args(["kill-session", "-t", session]).output();
        let (w, h) = (width.to_string(), height.to_string());
        let status = Command::new("tmux")
            .args(["new-session", "-d", "-s", session, "-x", &w, "-y", &h, command])
            .status()
            .unwrap();
        assert!(status.success());
        // Keep the pane after the program exits, so its last screen can be read.
        Self::tmux(&["set-option", "-t", session, "remain-on-exit", "on"]);
        Tmux { session: session.to_owned() }
    }

    pub fn screen(&self) -> String {
        Self::tmux(&["capture-pane", "-p", "-t", &self.session])
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.session];
        args.extend(keys);
        Self::tmux(&args);
    }

    /// Types literal text.
    pub fn text(&self, text: &str) {
        Self::tmux(&["send-keys", "-t", &self.session, "-l", "--", text]);
    }

    /// Waits until the screen shows `text` (DDSP_TEST_TIMEOUT_SECS bounds it).
    pub fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + timeout();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {text:?}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The status line's whole message (Alt-M), as its box shows it; the box is closed after.
    #[allow(dead_code)]
    pub fn read_message(&self) -> String {
        self.keys(&["M-m"]);
        let screen = self.wait_for("The whole message");
        // Any key closes it; not Esc, which a quick next key would turn into Alt-that-key.
        self.keys(&["x"]);
        let deadline = Instant::now() + timeout();
        while self.screen().contains("The whole message") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        screen
    }

    /// The pid of the program running in the pane.
    pub fn pid(&self) -> u32 {
        Self::tmux(&["display-message", "-p", "-t", &self.session, "#{pane_pid}"]).trim().parse().unwrap()
    }

    /// True once the program in the pane has exited.
    pub fn exited(&self) -> bool {
        Self::tmux(&["display-message", "-p", "-t", &self.session, "#{pane_dead}"]).trim() == "1"
    }

    /// Waits until the program has exited.
    pub fn wait_exit(&self) {
        let deadline = Instant::now() + timeout();
        while !self.exited() {
            assert!(Instant::now() < deadline, "the program did not exit; the screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["kill-session", "-t", &self.session]).output();
    }
}
