//! The editor: one event loop over terminal input and effect results, drawing
//! only when something changed. `App` (app.rs) holds the state and decides;
//! `view.rs` draws; `effects.rs` talks to the endpoint.

pub mod action;
pub mod app;
mod effects;
pub mod form;
pub mod merge;
pub mod picker;
pub mod theme;
pub mod view;

use std::io::IsTerminal;
use std::sync::Arc;

use crossterm::event::{Event as TermEvent, EventStream};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::client::{ConnectOptions, connect};
use action::{Effect, Event};
use app::App;

/// Runs the editor until the user quits; returns the exit code.
pub fn run(options: ConnectOptions) -> u8 {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!("ddsp: the editor needs a terminal; for scripts use the commands (ddsp --help)");
        return crate::cli::exit::BAD_PARAMETERS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ddsp: cannot start the runtime: {e}");
            return crate::cli::exit::OTHER;
        }
    };
    let code = runtime.block_on(async move {
        let connection = match connect(&options).await {
            Ok(c) => Arc::new(c),
            Err(e) => {
                eprintln!("ddsp: {e}");
                return crate::cli::exit::BAD_CONFIG;
            }
        };
        let label = if options.sandbox {
            format!("sandbox {}", connection.endpoint)
        } else {
            format!("AWS {} {}", connection.region, connection.endpoint)
        };
        let mut terminal = ratatui::init();
        let result = event_loop(&mut terminal, App::new(label, Some(connection.region.clone())), &connection).await;
        ratatui::restore();
        if let Ok(c) = Arc::try_unwrap(connection) {
            c.close().await;
        }
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

/// Draws one frame inside a synchronized update, so a terminal that supports it
/// shows the frame at once instead of cell by cell (no tearing over slow links).
fn draw(terminal: &mut ratatui::DefaultTerminal, app: &App) -> std::io::Result<()> {
    use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
    crossterm::queue!(std::io::stdout(), BeginSynchronizedUpdate)?;
    terminal.draw(|f| view::render(app, f))?;
    crossterm::execute!(std::io::stdout(), EndSynchronizedUpdate)
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
            let streams =
                vec![signal(SignalKind::hangup())?, signal(SignalKind::terminate())?, signal(SignalKind::quit())?];
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

async fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    mut app: App,
    connection: &Arc<crate::client::Connection>,
) -> std::io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Event>();
    let mut input = EventStream::new();
    let mut signals = Signals::new()?;
    for effect in app.start() {
        effects::run(effect, connection, &tx);
    }
    draw(terminal, &app)?;
    loop {
        // Results of effects go first: they are few and the screen should show them
        // before the next key is read.
        let event = tokio::select! {
            biased;
            // A dropped SSH session (SIGHUP), SIGTERM or SIGQUIT ends the editor the
            // normal way, so the terminal is restored before the process exits.
            _ = signals.next() => return Ok(()),
            Some(e) = rx.recv() => e,
            term = input.next() => match term {
                Some(Ok(TermEvent::Key(k))) => Event::Key(k),
                Some(Ok(TermEvent::Resize(_, _))) => Event::Resize,
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                None => return Ok(()),
            },
        };
        for effect in app.update(event) {
            if effect == Effect::Quit {
                return Ok(());
            }
            effects::run(effect, connection, &tx);
        }
        if app.quit {
            return Ok(());
        }
        // Draw once the queue is empty: a burst of results or keys costs one frame.
        while let Ok(e) = rx.try_recv() {
            for effect in app.update(e) {
                effects::run(effect, connection, &tx);
            }
        }
        draw(terminal, &app)?;
    }
}
