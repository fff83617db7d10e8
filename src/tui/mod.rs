//! The editor: components (one per screen and overlay, each owning its state,
//! keys and drawing) under a router (`app.rs`), one keymap (`keymap.rs`) from
//! which the hint bar, the help and README's key table are made, and one
//! event loop (`runner.rs`) over terminal input and effect results, drawing
//! only when something changed. Everything below `runner` and `terminal` is
//! pure: `App::update(Event) -> Vec<Effect>`.

pub mod app;
mod bindings;
pub mod drafting;
mod effects;
mod frames;
pub mod keymap;
pub mod message;
pub mod overlays;
pub mod requests;
pub mod runner;
pub mod screens;
pub mod shared;
pub mod startup;
mod terminal;
pub mod theme;
pub mod view;
pub mod widgets;

use std::io::IsTerminal;
use std::sync::Arc;

use crate::client::ConnectOptions;
use crate::config;
use crate::drafts::Drafts;
use crate::endpoint::connect;
use crate::exit;
use app::App;
use message::Event;
use runner::{Runner, label, now};
use screens::setup::{self, SetupScreen};
use startup::Startup;

/// Runs the editor until the user quits; returns the exit code. `init` opens
/// the guided setup even when settings exist (a first start always does).
pub fn run(mut options: ConnectOptions, init: bool, read_only: bool) -> u8 {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!("ddsp: the editor needs a terminal; for scripts use the commands (ddsp --help)");
        return exit::BAD_PARAMETERS;
    }
    let settings_path = config::default_path();
    let loaded = match settings_path.as_deref().map(config::load).transpose() {
        Ok(s) => s.flatten(),
        Err(e) => {
            eprintln!("ddsp: {e}");
            return exit::BAD_CONFIG;
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
            return exit::OTHER;
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
                    return exit::BAD_CONFIG;
                }
            }
        };
        let drafts = Drafts::default_dir();
        let settings_mouse = settings.mouse;
        let mut app = app_for(&options, connection.as_ref(), settings, first_start, read_only, drafts.as_ref());
        // The hook first: a panic from here on restores the terminal before its report.
        install_panic_hook();
        let mut guard = match terminal::TerminalGuard::enter(settings_mouse) {
            Ok(g) => g,
            Err(e) => {
                terminal::restore();
                eprintln!("ddsp: cannot set up the terminal: {e}");
                return exit::OTHER;
            }
        };
        let mut runner = Runner::new(connection, options, drafts, settings_path);
        runner.read_only = app.cx.read_only;
        let result = runner.run_loop(&mut guard, &mut app).await;
        // Whatever ended the loop, the last edits go to the writer before it finishes.
        runner.flush(&mut app);
        drop(guard);
        let drafts_on = runner.drafts_on();
        runner.close().await;
        exit_code(result, drafts_on)
    });
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    code
}

/// The app as it starts: connected (or not yet, on a first start that the
/// setup connects), the setup open on a first start, and the drafts found.
fn app_for(
    options: &ConnectOptions,
    connection: Option<&Arc<crate::client::Connection>>,
    settings: crate::config::Settings,
    first_start: bool,
    read_only: bool,
    drafts: Option<&Drafts>,
) -> App {
    let endpoint = connection.as_ref().map_or_else(|| "not connected".to_owned(), |c| label(options, c));
    let mut start = Startup::new(endpoint, connection.as_ref().map(|c| c.region.clone()), &settings, read_only);
    start.destination = connection.as_ref().map(|c| runner::destination(options, c));
    start.connected = connection.is_some() || !first_start;
    start.drafts_dir = drafts.map(|d| d.dir.clone());
    start.now = now();
    let mut app = App::with(start);
    if first_start {
        let env_keys = std::env::var_os("AWS_ACCESS_KEY_ID").is_some();
        let choices = setup::choices(options, &config::aws_profiles(), env_keys);
        let region = std::env::var("AWS_REGION").or_else(|_| std::env::var("AWS_DEFAULT_REGION")).ok();
        app.start_setup(SetupScreen::new(choices, settings, region));
    }
    if drafts.is_none() {
        // directories finds no home (HOME unset, as in `env -i`): say what that costs.
        app.cx
            .say("No home directory (HOME is unset): drafts are off and the sandbox lives in memory until ddsp exits");
    }
    if let Some(d) = drafts {
        let (found, unreadable) = d.list();
        // A draft another running ddsp is editing is its, not ours to offer.
        // Each mark is read once: the drafts another ddsp holds, with its process id.
        let (live, found): (Vec<_>, Vec<_>) =
            found.into_iter().map(|x| (d.live(&x.id), x)).partition(|(pid, _)| pid.is_some());
        app.update(Event::Drafts(found.into_iter().map(|(_, x)| x).collect()));
        if let Some(pid) = live.first().and_then(|(pid, _)| *pid) {
            let n = live.len();
            app.cx.say(format!(
                "{n} draft{} open in another ddsp (process {pid}): offered at the next start after it ends",
                if n == 1 { " is" } else { "s are" }
            ));
        }
        if let Some(u) = unreadable.first() {
            app.cx.say(format!("A draft could not be read: {} ({})", u.path.display(), u.reason));
        }
    }
    app
}

/// The editor's exit code, and its one line on stderr: 0; the shell's
/// 128 + N when a signal ended it, saying whether the work is safe; 255 on
/// an error.
fn exit_code(result: Result<Option<i32>, std::io::Error>, drafts_on: bool) -> u8 {
    match result {
        Ok(None) => exit::OK,
        // Ended by a signal: the shell's 128 + N, and one line saying the work is safe.
        Ok(Some(signal)) => {
            let name = match signal {
                1 => "SIGHUP",
                2 => "SIGINT",
                3 => "SIGQUIT",
                _ => "SIGTERM",
            };
            let kept = if drafts_on {
                "any edit in progress was saved as a draft and is offered at the next start"
            } else {
                "drafts are off (no home directory), so an edit in progress is lost"
            };
            eprintln!("ddsp: ended by {name}; {kept}");
            128 + signal as u8
        }
        Err(e) => {
            eprintln!("ddsp: {e}");
            exit::OTHER
        }
    }
}

/// On a panic: the terminal is restored first, the draft saved, then
/// color-eyre's report is printed, with the draft's path.
fn install_panic_hook() {
    let (panic_hook, _) = color_eyre::config::HookBuilder::default().display_env_section(false).into_hooks();
    let report = panic_hook.into_panic_hook();
    std::panic::set_hook(Box::new(move |info| {
        terminal::restore();
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
