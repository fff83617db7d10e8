//! The event loop: terminal input, signals and effect results in one
//! `select!`, a draw only when something changed. `Runner::step` is one turn
//! of it (update, the effects run, the draft handed to its writer), and is
//! what the keystroke benchmark measures.

use std::sync::Arc;

use crossterm::event::{Event as TermEvent, EventStream, KeyEvent, KeyEventKind};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::app::App;
use super::effects;
use super::message::{Effect, Event, RequestId};
use super::terminal::TerminalGuard;
use crate::client::{ConnectOptions, Connection};
use crate::config::{self, Settings};
use crate::drafts::{Drafts, Writer};
use crate::endpoint::connect;

/// What the loop owns besides the app: the connection, the draft writer, the channels.
/// A connection's outcome, with the request that asked for it.
type Connected = (RequestId, Result<(Connection, ConnectOptions), String>);

pub struct Runner {
    connection: Option<Arc<Connection>>,
    options: ConnectOptions,
    tx: mpsc::UnboundedSender<Event>,
    rx: mpsc::UnboundedReceiver<Event>,
    /// A connection asked for (its request id) and how it went.
    connected_tx: mpsc::UnboundedSender<Connected>,
    connected_rx: mpsc::UnboundedReceiver<Connected>,
    writer: Option<Writer>,
    settings_path: Option<std::path::PathBuf>,
    /// Read-only: effects that write to the endpoint are dropped here too, whatever the screens do.
    pub read_only: bool,
    /// An external edit asked for: the loop hands the terminal over after this turn.
    external: Option<Box<super::screens::editor::external::ExternalEdit>>,
}

/// Where the editor's calls go, as "show the call" must say it.
pub fn destination(options: &ConnectOptions, c: &Connection) -> crate::wire::destination::Destination {
    crate::wire::destination::Destination {
        label: label(options, c),
        endpoint: c.endpoint.clone(),
        region: c.region.clone(),
        profile: options.profile.clone(),
        // ddsp's own sandbox signs with its documented default keys.
        keys: options.sandbox.then(crate::client::sandbox_keys),
        while_running: options.sandbox,
    }
}

/// The status line's name for an endpoint.
pub fn label(options: &ConnectOptions, c: &Connection) -> String {
    if options.sandbox {
        // The in-process sandbox listens on a new port each run; what names it is this machine.
        format!("local sandbox · {}", c.region)
    } else {
        // Endpoint, region and AWS profile: which account this is must never be a guess.
        let profile = options.profile.as_deref().map_or_else(String::new, |p| format!(" profile {p}"));
        format!("AWS{profile} {} {}", c.region, c.endpoint)
    }
}

pub fn now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

impl Runner {
    pub fn new(
        connection: Option<Arc<Connection>>,
        options: ConnectOptions,
        drafts: Option<Drafts>,
        settings_path: Option<std::path::PathBuf>,
    ) -> Runner {
        let (tx, rx) = mpsc::unbounded_channel::<Event>();
        let (connected_tx, connected_rx) = mpsc::unbounded_channel();
        let writer = drafts.map(|d| {
            let tx = tx.clone();
            Writer::start(d, move |report| {
                let _ = tx.send(Event::DraftReport(report));
            })
        });
        Runner {
            connection,
            options,
            tx,
            rx,
            connected_tx,
            connected_rx,
            writer,
            settings_path,
            read_only: false,
            external: None,
        }
    }

    /// Runs one effect; true when it asks to quit.
    fn dispatch(&mut self, effect: Effect) -> bool {
        if self.read_only && effect.writes() {
            let _ = self.tx.send(Event::Notice("Read-only: a write was not sent".into()));
            return false;
        }
        match effect {
            Effect::Quit => return true,
            Effect::SaveDraft(snapshot) => {
                if let Some(w) = &self.writer {
                    w.save_snapshot(snapshot);
                }
            }
            Effect::EditExternal(edit) => self.external = Some(edit),
            Effect::Clipboard(text) => {
                // OSC 52: the terminal (or tmux with set-clipboard on) puts it on the clipboard.
                use base64::Engine;
                let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
                let mut out = std::io::stdout();
                let _ = std::io::Write::write_all(&mut out, format!("\x1b]52;c;{encoded}\x07").as_bytes());
                let _ = std::io::Write::flush(&mut out);
            }
            Effect::SaveWholeDraft(draft) => {
                if let Some(w) = &self.writer {
                    w.save(*draft);
                }
            }
            Effect::RemoveDraft(id) => {
                if let Some(w) = &self.writer {
                    w.remove(id);
                }
            }
            Effect::OwnDraft(claim) => {
                if let Some(w) = &self.writer {
                    w.own(claim);
                }
            }
            Effect::DisownDraft(id) => {
                if let Some(w) = &self.writer {
                    w.disown(id);
                }
            }
            Effect::SaveSettings(settings) => self.save_settings(settings),
            Effect::Write { path, json } => {
                let tx = self.tx.clone();
                tokio::task::spawn_blocking(move || {
                    // In the current directory, never over an existing file; the whole path is shown.
                    let result = std::env::current_dir()
                        .and_then(|dir| crate::private_files::write_new(&dir, &path, json.as_bytes()))
                        .map(|written| written.display().to_string())
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Event::Written(result));
                });
            }
            Effect::Reconnect { id, region, profile, sandbox } => {
                let mut options = self.options.clone();
                if sandbox {
                    options = ConnectOptions { sandbox: true, region: None, ..ConnectOptions::default() };
                }
                if let Some(p) = profile {
                    // Checked before anything changes: a profile the config files do not name.
                    if !crate::config::aws_profiles().iter().any(|(name, _)| *name == p) {
                        let result = Err(format!(
                            "there is no AWS profile named {} in ~/.aws/config or ~/.aws/credentials",
                            crate::domain::rules::quote(&p)
                        ));
                        let _ = self.tx.send(Event::Connected { id, result });
                        return false;
                    }
                    // An AWS profile: AWS, with that profile's own region unless one is given.
                    options.profile = Some(p);
                    options.sandbox = false;
                    options.endpoint_url = None;
                    options.region = None;
                }
                if let Some(r) = region {
                    options.region = Some(r);
                }
                return self.dispatch(Effect::Connect { id, options });
            }
            Effect::Connect { id, options } if options == self.options && self.connection.is_some() => {
                // Already connected there (the command line said so): nothing to redo.
                if let Some(c) = &self.connection {
                    let _ = self.tx.send(Event::Connected { id, result: Ok(label(&options, c)) });
                }
            }
            Effect::Connect { id, options } => {
                // The options in use change only once the new connection is up:
                // a switch that fails leaves the previous one working and shown.
                let tx = self.connected_tx.clone();
                tokio::spawn(async move {
                    let result = connect(&options).await.map_err(|e| e.to_string());
                    let _ = tx.send((id, result.map(|c| (c, options))));
                });
            }
            other => match &self.connection {
                Some(c) => effects::run(other, c, &self.tx),
                None => {
                    if let Some(e) = effects::unconnected(&other) {
                        let _ = self.tx.send(e);
                    }
                }
            },
        }
        false
    }

    /// Writes the settings on a blocking thread: the loop never waits on the disk.
    fn save_settings(&self, settings: Settings) {
        let Some(path) = self.settings_path.clone() else { return };
        let tx = self.tx.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = config::save(&path, &settings) {
                let _ = tx.send(Event::Notice(format!("The settings could not be saved in {}: {e}", path.display())));
            }
        });
    }

    /// One turn: the app updated with the event, its effects run (the edit's
    /// snapshot handed to the draft writer among them). Returns whether to
    /// quit, and whether the screen may have changed (a draft report that
    /// changes nothing costs no frame).
    pub fn step(&mut self, app: &mut App, event: Event) -> (bool, bool) {
        app.cx.now = now();
        let quiet = matches!(event, Event::DraftReport(_));
        let before = quiet.then(|| app.cx.drafting.state.clone());
        let mut quit = false;
        for effect in app.update(event) {
            quit |= self.dispatch(effect);
        }
        let changed = before.is_none_or(|b| b != app.cx.drafting.state);
        (quit || app.quit, changed)
    }

    /// A runner with no endpoint, writing drafts to `drafts` (benchmarks, tests).
    pub fn offline(drafts: Option<Drafts>) -> Runner {
        Runner::new(None, ConnectOptions::default(), drafts, None)
    }

    /// Runs the editor until it is quit or a signal ends it. Answers the
    /// signal's number when one did (1 SIGHUP, 2 SIGINT, 3 SIGQUIT, 15 SIGTERM).
    ///
    /// Errors: the terminal's.
    pub async fn run_loop(&mut self, guard: &mut TerminalGuard, app: &mut App) -> std::io::Result<Option<i32>> {
        let mut input = EventStream::new();
        let mut signals = Signals::new()?;
        if self.connection.is_some() {
            for effect in app.start() {
                self.dispatch(effect);
            }
        }
        draw(guard, app)?;
        loop {
            // Results of effects go first: they are few and the screen should show them
            // before the next key is read.
            // A draft held back while typing goes to the writer at its deadline.
            let due = app.wake_at().map(|at| {
                let wait = (at - now()).max(0.0);
                tokio::time::Instant::now() + std::time::Duration::from_secs_f64(wait)
            });
            let event = tokio::select! {
                biased;
                // A dropped SSH session (SIGHUP), SIGTERM, SIGQUIT or SIGINT ends the editor
                // the normal way, so the terminal is restored and the draft saved.
                signal = signals.next() => return Ok(Some(signal)),
                Some(e) = self.rx.recv() => e,
                _ = tokio::time::sleep_until(due.unwrap_or_else(tokio::time::Instant::now)), if due.is_some() => Event::Tick,
                Some((id, c)) = self.connected_rx.recv() => match c {
                    Ok((c, options)) => {
                        self.options = options;
                        let c = Arc::new(c);
                        let label = label(&self.options, &c);
                        app.cx.destination = Some(destination(&self.options, &c));
                        self.connection = Some(c);
                        Event::Connected { id, result: Ok(label) }
                    }
                    Err(e) => Event::Connected { id, result: Err(e) },
                },
                term = input.next() => match term {
                    Some(Ok(TermEvent::Key(k))) if is_suspend(&k) => {
                        guard.suspend()?;
                        Event::Resize
                    }
                    Some(Ok(TermEvent::Key(k))) => {
                        test_panic(&k);
                        Event::Key(k)
                    }
                    Some(Ok(TermEvent::Paste(text))) => Event::Paste(text),
                    Some(Ok(TermEvent::Mouse(m))) => Event::Mouse(m),
                    Some(Ok(TermEvent::Resize(_, _))) => Event::Resize,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(e),
                    None => return Ok(None),
                },
            };
            let (quit, mut changed) = self.step(app, event);
            if quit {
                return Ok(None);
            }
            if let Some(edit) = self.external.take() {
                // $EDITOR has the terminal until it ends; its text comes back as an event.
                let result = guard.run_editor(&edit.text);
                let (quit, _) = self.step(app, Event::Edited { edit, result });
                if quit {
                    return Ok(None);
                }
                changed = true;
            }
            // Results that arrived meanwhile are applied before drawing; each key is
            // its own frame (keys are not drained here, so typing stays responsive).
            while let Ok(e) = self.rx.try_recv() {
                let (quit, more) = self.step(app, e);
                if quit {
                    return Ok(None);
                }
                changed |= more;
            }
            if changed {
                draw(guard, app)?;
            }
        }
    }

    /// Hands whatever the app still holds back to the draft writer (the loop ended).
    pub fn flush(&mut self, app: &mut App) {
        for effect in app.flush() {
            self.dispatch(effect);
        }
    }

    /// Finishes the draft writer (everything queued is written) and closes the connection.
    /// True when drafts are written (there is a home directory for them).
    pub fn drafts_on(&self) -> bool {
        self.writer.is_some()
    }

    pub async fn close(mut self) {
        if let Some(w) = self.writer.take() {
            let _ = tokio::task::spawn_blocking(move || w.finish()).await;
        }
        if let Some(c) = self.connection.take()
            && let Ok(c) = Arc::try_unwrap(c)
        {
            c.close().await;
        }
    }

    /// Finishes the draft writer now (benchmarks and tests, outside a runtime).
    pub fn finish_drafts(mut self) {
        if let Some(w) = self.writer.take() {
            w.finish();
        }
    }
}

/// Draws one frame; `frames::FrameWriter` sends it in one write.
fn draw(guard: &mut TerminalGuard, app: &App) -> std::io::Result<()> {
    guard.terminal.draw(|f| super::view::render(app, f)).map(|_| ())
}

/// The signals that end the editor cleanly.
struct Signals {
    #[cfg(unix)]
    streams: Vec<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let streams = vec![
                signal(SignalKind::hangup())?,
                signal(SignalKind::terminate())?,
                signal(SignalKind::quit())?,
                signal(SignalKind::interrupt())?,
            ];
            Ok(Signals { streams })
        }
        #[cfg(not(unix))]
        Ok(Signals {})
    }

    /// The next signal's number.
    async fn next(&mut self) -> i32 {
        #[cfg(unix)]
        {
            /// The numbers of the signals in `new`'s order.
            const NUMBERS: [i32; 4] = [1, 15, 3, 2];
            let waits = self.streams.iter_mut().map(|s| Box::pin(s.recv()));
            let (_, i, _) = futures_util::future::select_all(waits).await;
            NUMBERS.get(i).copied().unwrap_or(15)
        }
        #[cfg(not(unix))]
        std::future::pending::<i32>().await
    }
}

fn is_suspend(k: &KeyEvent) -> bool {
    k.kind != KeyEventKind::Release && super::keymap::lookup(&[], false, k) == Some(super::keymap::Action::Suspend)
}

/// In debug builds only (the tests' binary), `DDSP_TEST_PANIC=1` makes F12
/// panic, so a test can check what a panic leaves behind. Release builds have
/// no such key.
fn test_panic(k: &KeyEvent) {
    #[cfg(debug_assertions)]
    #[allow(clippy::panic)]
    if k.code == crossterm::event::KeyCode::F(12) && std::env::var_os("DDSP_TEST_PANIC").is_some() {
        panic!("test panic (F12 with DDSP_TEST_PANIC set)");
    }
    #[cfg(not(debug_assertions))]
    let _ = k;
}
