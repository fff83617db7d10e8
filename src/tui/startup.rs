//! What the editor starts with, gathered in one place before the app is
//! built: the endpoint it is connected to (if any), and what the settings
//! file, the command line and the environment say about drawing, keys,
//! writing and drafts. `App::with` builds the app from it.

use std::path::PathBuf;

use super::theme::Look;
use crate::config::{Keymap, Settings, Theme};
use crate::wire::destination::Destination;

#[derive(Debug, Clone)]
pub struct Startup {
    /// The status line's name for the endpoint ("not connected" before the setup connects).
    pub endpoint: String,
    pub region: Option<String>,
    /// Where calls go, for "show the call" (none before the setup connects).
    pub destination: Option<Destination>,
    pub connected: bool,
    /// Colours on (off with NO_COLOR or `theme = mono`), and which look.
    pub color: bool,
    pub look: Look,
    /// Charts in braille (else half blocks): `charts =` and `$TERM`.
    pub braille: bool,
    /// `keymap = vi`.
    pub vi: bool,
    /// `--read-only` or `read_only = true`: nothing that writes is sent.
    pub read_only: bool,
    /// The user's time zone, for local dates beside UTC ones.
    pub tz: jiff::tz::TimeZone,
    /// Where drafts are kept (none: drafts are off).
    pub drafts_dir: Option<PathBuf>,
    /// Now, epoch seconds.
    pub now: f64,
}

impl Startup {
    /// The settings' part of the start: colour, look, keys and read-only (or'd
    /// with the command line's `--read-only`); the rest as given.
    pub fn new(endpoint: String, region: Option<String>, settings: &Settings, read_only: bool) -> Startup {
        Startup {
            endpoint,
            region,
            destination: None,
            connected: true,
            color: settings.color(),
            look: match settings.theme {
                Theme::Contrast => Look::Contrast,
                Theme::Palette => Look::Palette,
                _ => Look::Standard,
            },
            braille: settings.charts.braille(std::env::var("TERM").ok().as_deref()),
            vi: settings.keymap == Keymap::Vi,
            read_only: read_only || settings.read_only,
            tz: jiff::tz::TimeZone::try_system().unwrap_or(jiff::tz::TimeZone::UTC),
            drafts_dir: None,
            now: 0.0,
        }
    }
}
