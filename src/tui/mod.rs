//! The editor: one event loop over terminal input and effect results, drawing
//! only when something changed. `App` (app.rs) holds the state and decides;
//! `view.rs` draws; `effects.rs` talks to the endpoint.

pub mod action;
pub mod app;
mod effects;
pub mod form;
mod frames;
pub mod merge;
pub mod picker;
pub mod quit_prompt;
mod restore;
pub mod theme;
pub mod view;
mod view_start;
pub mod wizard;

use std::io::IsTerminal;
use std::sync::Arc;

use crossterm::event::{Event as TermEvent, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::client::{ConnectOptions, Connection, connect};
use crate::config::{self, Keymap, Settings};
use crate::drafts::{Drafts, Writer};
use action::{Effect, Event};
use app::App;

/// Runs the editor until the user quits; returns the exit code. `init` opens
/// the guided setup even when settings exist (a first start always does).
pub fn run(mut options: ConnectOptions, init: bool) -> u8 {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!("ddsp: the editor needs a terminal; for scripts use the commands (ddsp --help)");
        return crate::cli::exit::BAD_PARAMETERS;
    }
    let settings_path = config::default_path();
    let loaded = match settings_path.as_deref().map(config::load).transpose() {
        Ok(s) => s.flatten(),
        Err(e) => {
            eprintln!("ddsp: {e}");
            return crate::cli::exit::BAD_CONFIG;
        }
    };
    let first_start = init || loaded.is_none();
    let settings = loaded.unwrap_or_default();
    if !first_start {
        settings.apply(&mut options);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ddsp: cannot start the runtime: {e}");
            return crate::cli::exit::OTHER;
        }
    };
    let code = runtime.block_on(async move {
        // The setup chooses where to connect; so does the command line when it says.
        let given = options.sandbox || options.endpoint_url.is_some() || options.profile.is_some();
        let connection = if first_start && !given {
            None
        } else {
            match connect(&options).await {
                Ok(c) => Some(Arc::new(c)),
                Err(e) => {
                    eprintln!("ddsp: {e}");
                    return crate::cli::exit::BAD_CONFIG;
                }
            }
        };
        let label = connection.as_ref().map_or_else(|| "not connected".to_owned(), |c| label(&options, c));
        let mut app = App::new(label, connection.as_ref().map(|c| c.region.clone()));
        app.color = settings.color();
        app.vi = settings.keymap == Keymap::Vi;
        app.now = now();
        app.tz = jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC);
        let drafts = Drafts::default_dir();
        app.drafts_dir = drafts.as_ref().map(|d| d.dir.clone());
        if first_start {
            app.connected = connection.is_some();
            let env_keys = std::env::var_os("AWS_ACCESS_KEY_ID").is_some();
            let choices = wizard::choices(&options, &config::aws_profiles(), env_keys);
            let region = std::env::var("AWS_REGION").or_else(|_| std::env::var("AWS_DEFAULT_REGION")).ok();
            app.start_wizard(wizard::Wizard::new(choices, settings, region));
        }
        if let Some(d) = &drafts {
            let (found, unreadable) = d.list();
            app.update(Event::Drafts(found));
            if let Some(u) = unreadable.first() {
                app.message = format!("A draft could not be read: {} ({})", u.path.display(), u.reason);
            }
        }
        let mut terminal = match frames::init() {
            Ok(t) => t,
            Err(e) => {
                restore_terminal();
                eprintln!("ddsp: cannot set up the terminal: {e}");
                return crate::cli::exit::OTHER;
            }
        };
        install_panic_hook();
        let mut runner = Runner::new(connection, options, drafts, settings_path);
        let result = runner.event_loop(&mut terminal, app).await;
        restore_terminal();
        runner.close().await;
        match result {
            Ok(()) => crate::cli::exit::OK,
            Err(e) => {
                eprintln!("ddsp: {e}");
                crate::cli::exit::OTHER
            }
        }
    });
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    code
}

/// The status line's name for an endpoint.
fn label(options: &ConnectOptions, c: &Connection) -> String {
    if options.sandbox {
        // The in-process sandbox listens on a new port each run; what names it is this machine.
        "local sandbox".to_owned()
    } else {
        format!("AWS {} {}", c.region, c.endpoint)
    }
}

fn now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// Leaves the alternate screen, ends raw mode and shows the cursor.
fn restore_terminal() {
    ratatui::restore();
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
}

/// On a panic: the terminal is restored first, the draft saved, then
/// color-eyre's report is printed, with the draft's path.
fn install_panic_hook() {
    let (panic_hook, _) = color_eyre::config::HookBuilder::default().display_env_section(false).into_hooks();
    let report = panic_hook.into_panic_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        let saved = crate::drafts::save_latest();
        report(info);
        match saved {
            Some(path) => eprintln!(
                "ddsp: your edits are saved in the draft {}; it is offered back on the next start",
                path.display()
            ),
            None => eprintln!("ddsp: there were no unsaved edits"),
        }
    }));
}

/// Ctrl-Z: gives the terminal back, stops until `fg`, then takes it again and redraws everything.
fn suspend(terminal: &mut frames::Term) -> std::io::Result<()> {
    restore_terminal();
    #[cfg(unix)]
    nix::sys::signal::raise(nix::sys::signal::Signal::SIGTSTP).map_err(std::io::Error::other)?;
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    terminal.clear()
}

/// Draws one frame; `frames::FrameWriter` sends it in one write.
fn draw(terminal: &mut frames::Term, app: &App) -> std::io::Result<()> {
    terminal.draw(|f| view::render(app, f)).map(|_| ())
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

    async fn next(&mut self) {
        #[cfg(unix)]
        {
            let waits = self.streams.iter_mut().map(|s| Box::pin(s.recv()));
            futures_util::future::select_all(waits).await;
        }
        #[cfg(not(unix))]
        std::future::pending::<()>().await;
    }
}

/// What the loop owns besides the app: the connection, the draft writer.
struct Runner {
    connection: Option<Arc<Connection>>,
    options: ConnectOptions,
    tx: mpsc::UnboundedSender<Event>,
    rx: mpsc::UnboundedReceiver<Event>,
    connected_tx: mpsc::UnboundedSender<Result<Connection, String>>,
    connected_rx: mpsc::UnboundedReceiver<Result<Connection, String>>,
    writer: Option<Writer>,
    settings_path: Option<std::path::PathBuf>,
}

impl Runner {
    fn new(
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
        Runner { connection, options, tx, rx, connected_tx, connected_rx, writer, settings_path }
    }

    /// Runs one effect; true when it asks to quit.
    fn dispatch(&mut self, effect: Effect) -> bool {
        match effect {
            Effect::Quit => return true,
            Effect::RemoveDraft(id) => {
                if let Some(w) = &self.writer {
                    w.remove(id);
                }
            }
            Effect::SaveSettings(settings) => self.save_settings(&settings),
            Effect::Connect(options) if options == self.options && self.connection.is_some() => {
                // Already connected there (the command line said so): nothing to redo.
                if let Some(c) = &self.connection {
                    let _ = self.tx.send(Event::Connected(Ok(label(&options, c))));
                }
            }
            Effect::Connect(options) => {
                let tx = self.connected_tx.clone();
                self.options = options.clone();
                tokio::spawn(async move {
                    let _ = tx.send(connect(&options).await.map_err(|e| e.to_string()));
                });
            }
            other => match &self.connection {
                Some(c) => effects::run(other, c, &self.tx),
                None => {
                    let _ = self.tx.send(Event::Listed(Err("not connected yet".into())));
                }
            },
        }
        false
    }

    fn save_settings(&self, settings: &Settings) {
        if let Some(path) = &self.settings_path
            && let Err(e) = config::save(path, settings)
        {
            let _ = self.tx.send(Event::Notice(format!("The settings could not be saved in {}: {e}", path.display())));
        }
    }

    /// Updates the app with one event, runs what it asks for, hands a changed
    /// draft to the writer. Returns whether to quit, and whether the screen may
    /// have changed (a draft report that changes nothing costs no frame).
    fn step(&mut self, app: &mut App, event: Event) -> (bool, bool) {
        app.now = now();
        let quiet = matches!(event, Event::DraftReport(_));
        let before = quiet.then(|| app.draft_state.clone());
        let mut quit = false;
        for effect in app.update(event) {
            quit |= self.dispatch(effect);
        }
        self.save_draft(app);
        let changed = before.is_none_or(|b| b != app.draft_state);
        (quit || app.quit, changed)
    }

    fn save_draft(&self, app: &mut App) {
        if let Some(writer) = &self.writer
            && let Some(draft) = app.take_draft()
        {
            writer.save(draft);
        }
    }

    async fn event_loop(&mut self, terminal: &mut frames::Term, mut app: App) -> std::io::Result<()> {
        let result = self.run_loop(terminal, &mut app).await;
        // Whatever ended the loop, the last edits go to the writer before it finishes.
        self.save_draft(&mut app);
        result
    }

    async fn run_loop(&mut self, terminal: &mut frames::Term, app: &mut App) -> std::io::Result<()> {
        let mut input = EventStream::new();
        let mut signals = Signals::new()?;
        if self.connection.is_some() {
            for effect in app.start() {
                self.dispatch(effect);
            }
        }
        draw(terminal, app)?;
        loop {
            // Results of effects go first: they are few and the screen should show them
            // before the next key is read.
            let event = tokio::select! {
                biased;
                // A dropped SSH session (SIGHUP), SIGTERM, SIGQUIT or SIGINT ends the editor
                // the normal way, so the terminal is restored and the draft saved.
                _ = signals.next() => return Ok(()),
                Some(e) = self.rx.recv() => e,
                Some(c) = self.connected_rx.recv() => match c {
                    Ok(c) => {
                        let c = Arc::new(c);
                        let label = label(&self.options, &c);
                        self.connection = Some(c);
                        Event::Connected(Ok(label))
                    }
                    Err(e) => Event::Connected(Err(e)),
                },
                term = input.next() => match term {
                    Some(Ok(TermEvent::Key(k))) if is_suspend(&k) => {
                        suspend(terminal)?;
                        Event::Resize
                    }
                    Some(Ok(TermEvent::Key(k))) => {
                        test_panic(&k);
                        Event::Key(k)
                    }
                    Some(Ok(TermEvent::Resize(_, _))) => Event::Resize,
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => return Err(e),
                    None => return Ok(()),
                },
            };
            let (quit, mut changed) = self.step(app, event);
            if quit {
                return Ok(());
            }
            // Draw once the queue is empty: a burst of results or keys costs one frame.
            while let Ok(e) = self.rx.try_recv() {
                let (quit, more) = self.step(app, e);
                if quit {
                    return Ok(());
                }
                changed |= more;
            }
            if changed {
                draw(terminal, app)?;
            }
        }
    }

    /// Finishes the draft writer (everything queued is written) and closes the connection.
    async fn close(mut self) {
        if let Some(w) = self.writer.take() {
            let _ = tokio::task::spawn_blocking(move || w.finish()).await;
        }
        if let Some(c) = self.connection.take()
            && let Ok(c) = Arc::try_unwrap(c)
        {
            c.close().await;
        }
    }
}

fn is_suspend(k: &KeyEvent) -> bool {
    k.kind != KeyEventKind::Release && k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL)
}

/// In debug builds only (the tests' binary), `DDSP_TEST_PANIC=1` makes F12
/// panic, so a test can check what a panic leaves behind. Release builds have
/// no such key.
fn test_panic(k: &KeyEvent) {
    #[cfg(debug_assertions)]
    #[allow(clippy::panic)]
    if k.code == KeyCode::F(12) && std::env::var_os("DDSP_TEST_PANIC").is_some() {
        panic!("test panic (F12 with DDSP_TEST_PANIC set)");
    }
    #[cfg(not(debug_assertions))]
    let _ = k;
}
