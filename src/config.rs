//! The editor's settings: a small `key = value` file in the user's config dir
//! (`~/.config/ddsp/config` on Linux). Its absence means a first start, which
//! opens the guided setup; the setup writes it.
//!
//! ```text
//! # ddsp settings
//! theme = auto        # auto | color | mono | contrast | palette
//! keymap = standard   # standard | vi (j/k move in lists, / filters)
//! connect = sandbox   # sandbox | aws: where a plain `ddsp` connects
//! profile = prod      # with connect = aws: the AWS profile
//! region = eu-west-1  # with connect = aws: the region
//! read_only = true    # the editor sends nothing that writes (as --read-only)
//! mouse = on          # clicks focus rows, the wheel scrolls (off by default)
//! charts = auto       # auto | braille | blocks: the glyphs charts are drawn with
//! ```

use std::path::{Path, PathBuf};

use crate::client::ConnectOptions;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Colours unless NO_COLOR is set.
    #[default]
    Auto,
    Color,
    /// No colours: bold, reverse and dim carry the meaning.
    Mono,
    /// Bright colours and bold: high contrast.
    Contrast,
    /// The 8 base colours and the dim attribute only: the terminal's own palette decides.
    Palette,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Keymap {
    #[default]
    Standard,
    Vi,
}

/// The glyphs charts are drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Charts {
    /// Braille, except on a terminal whose font has none (`Charts::braille`).
    #[default]
    Auto,
    /// Braille dots: 2x4 points a cell.
    Braille,
    /// Half blocks (▀ ▄ █): 1x2 points a cell, in every console font.
    Blocks,
}

impl Charts {
    /// Whether charts use braille under the terminal `term` (`$TERM`). Our
    /// choice: the Linux virtual console (`linux`) and the old consoles
    /// (`vt…`, `cons…`) draw with the VGA font of CP437, which has block
    /// characters but no braille, so `auto` draws blocks there.
    pub fn braille(self, term: Option<&str>) -> bool {
        match self {
            Charts::Braille => true,
            Charts::Blocks => false,
            Charts::Auto => !term.is_some_and(|t| t == "linux" || t.starts_with("vt") || t.starts_with("cons")),
        }
    }
}

/// Where a plain `ddsp` connects, as the setup chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connect {
    Sandbox,
    Aws { profile: Option<String>, region: Option<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    pub theme: Theme,
    pub keymap: Keymap,
    pub connect: Option<Connect>,
    /// The editor sends nothing that writes (for a production account).
    pub read_only: bool,
    /// Clicks focus rows and the wheel scrolls (`mouse = on`); off by default,
    /// so the terminal's own selection keeps working.
    pub mouse: bool,
    /// `charts = auto | braille | blocks`.
    pub charts: Charts,
}

impl Settings {
    /// Whether the editor draws colours.
    pub fn color(&self) -> bool {
        match self.theme {
            Theme::Color | Theme::Contrast | Theme::Palette => true,
            Theme::Mono => false,
            Theme::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// Fills in the connection the command line left open.
    pub fn apply(&self, options: &mut ConnectOptions) {
        let given = options.sandbox || options.endpoint_url.is_some() || options.profile.is_some();
        match (&self.connect, given) {
            (Some(Connect::Sandbox), false) => options.sandbox = true,
            (Some(Connect::Aws { profile, region }), false) => {
                options.profile = profile.clone();
                if options.region.is_none() {
                    options.region = region.clone();
                }
            }
            _ => {}
        }
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let mut out = String::from("# ddsp settings (see `ddsp --help`)\n");
        out.push_str(match self.theme {
            Theme::Auto => "theme = auto\n",
            Theme::Color => "theme = color\n",
            Theme::Mono => "theme = mono\n",
            Theme::Contrast => "theme = contrast\n",
            Theme::Palette => "theme = palette\n",
        });
        out.push_str(match self.keymap {
            Keymap::Standard => "keymap = standard\n",
            Keymap::Vi => "keymap = vi\n",
        });
        match &self.connect {
            Some(Connect::Sandbox) => out.push_str("connect = sandbox\n"),
            Some(Connect::Aws { profile, region }) => {
                out.push_str("connect = aws\n");
                if let Some(p) = profile {
                    out.push_str(&format!("profile = {p}\n"));
                }
                if let Some(r) = region {
                    out.push_str(&format!("region = {r}\n"));
                }
            }
            None => {}
        }
        if self.read_only {
            out.push_str("read_only = true\n");
        }
        if self.mouse {
            out.push_str("mouse = on\n");
        }
        match self.charts {
            Charts::Auto => {}
            Charts::Braille => out.push_str("charts = braille\n"),
            Charts::Blocks => out.push_str("charts = blocks\n"),
        }
        out
    }
}

/// A line of the file that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct ConfigError {
    pub path: String,
    pub line: usize,
    pub message: String,
}

/// Parses the file's text; `path` names it in errors.
pub fn parse(text: &str, path: &str) -> Result<Settings, ConfigError> {
    let mut settings = Settings::default();
    let mut connect: Option<String> = None;
    let (mut profile, mut region) = (None, None);
    for (i, line) in text.lines().enumerate() {
        let err = |message: String| ConfigError { path: path.to_owned(), line: i + 1, message };
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once('=').ok_or_else(|| err(format!("expected key = value, not {line:?}")))?;
        let (key, value) = (key.trim(), value.trim().trim_matches('"'));
        match key {
            "theme" => {
                settings.theme = match value {
                    "auto" => Theme::Auto,
                    "color" | "colour" => Theme::Color,
                    "mono" => Theme::Mono,
                    "contrast" => Theme::Contrast,
                    "palette" => Theme::Palette,
                    _ => return Err(err(format!("theme {value:?}: use auto, color, mono, contrast or palette"))),
                }
            }
            "keymap" => {
                settings.keymap = match value {
                    "standard" => Keymap::Standard,
                    "vi" => Keymap::Vi,
                    _ => return Err(err(format!("keymap {value:?}: use standard or vi"))),
                }
            }
            "connect" => match value {
                "sandbox" | "aws" => connect = Some(value.to_owned()),
                _ => return Err(err(format!("connect {value:?}: use sandbox or aws"))),
            },
            "mouse" => {
                settings.mouse = match value {
                    "on" | "true" => true,
                    "off" | "false" => false,
                    _ => return Err(err(format!("mouse {value:?}: use on or off"))),
                }
            }
            "charts" => {
                settings.charts = match value {
                    "auto" => Charts::Auto,
                    "braille" => Charts::Braille,
                    "blocks" => Charts::Blocks,
                    _ => return Err(err(format!("charts {value:?}: use auto, braille or blocks"))),
                }
            }
            "read_only" => {
                settings.read_only = match value {
                    "true" | "yes" => true,
                    "false" | "no" => false,
                    _ => return Err(err(format!("read_only {value:?}: use true or false"))),
                }
            }
            "profile" => profile = Some(value.to_owned()),
            "region" => region = Some(value.to_owned()),
            _ => {
                return Err(err(format!(
                    "unknown setting {key:?}; known: theme, keymap, connect, profile, region, read_only, mouse, charts"
                )));
            }
        }
    }
    settings.connect = match connect.as_deref() {
        Some("sandbox") => Some(Connect::Sandbox),
        Some(_) => Some(Connect::Aws { profile, region }),
        None => None,
    };
    Ok(settings)
}

/// `config` in the user's config dir.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ddsp").map(|d| d.config_dir().join("config"))
}

/// Reads the settings; Ok(None) when the file does not exist (a first start).
pub fn load(path: &Path) -> Result<Option<Settings>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, &path.display().to_string()).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError { path: path.display().to_string(), line: 0, message: e.to_string() }),
    }
}

/// Writes the settings (creating the directory).
pub fn save(path: &Path, settings: &Settings) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::private_files::create_own_dir(dir)?;
    }
    let tmp = path.with_extension("tmp");
    crate::private_files::write(&tmp, settings.to_text().as_bytes())?;
    std::fs::rename(&tmp, path)
}

/// The AWS profiles named in `~/.aws/config` and `~/.aws/credentials` (or the
/// files AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE name), with the region
/// each config section sets, in file order.
pub fn aws_profiles() -> Vec<(String, Option<String>)> {
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let config = std::env::var_os("AWS_CONFIG_FILE").map_or_else(|| home.join(".aws/config"), PathBuf::from);
    let credentials =
        std::env::var_os("AWS_SHARED_CREDENTIALS_FILE").map_or_else(|| home.join(".aws/credentials"), PathBuf::from);
    let mut found: Vec<(String, Option<String>)> = Vec::new();
    for (path, prefixed) in [(config, true), (credentials, false)] {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let mut current: Option<usize> = None;
        for line in text.lines().map(str::trim) {
            if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                let section = section.trim();
                let name = if prefixed {
                    match section.strip_prefix("profile ") {
                        Some(n) => n.trim(),
                        None if section == "default" => "default",
                        None => {
                            current = None;
                            continue;
                        }
                    }
                } else {
                    section
                };
                current = Some(match found.iter().position(|(n, _)| n == name) {
                    Some(i) => i,
                    None => {
                        found.push((name.to_owned(), None));
                        found.len() - 1
                    }
                });
            } else if let (Some(i), Some((k, v))) = (current, line.split_once('='))
                && k.trim() == "region"
                && prefixed
            {
                found[i].1 = Some(v.trim().to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn charts_draw_blocks_where_the_console_font_has_no_braille() {
        assert!(Charts::Auto.braille(Some("xterm-256color")));
        assert!(Charts::Auto.braille(None));
        assert!(!Charts::Auto.braille(Some("linux")));
        assert!(!Charts::Auto.braille(Some("vt220")));
        assert!(Charts::Braille.braille(Some("linux")));
        assert!(!Charts::Blocks.braille(Some("xterm")));
    }

    #[test]
    fn round_trips_and_names_the_bad_line() {
        let s = Settings {
            theme: Theme::Mono,
            keymap: Keymap::Vi,
            connect: Some(Connect::Aws { profile: Some("prod".into()), region: Some("eu-west-1".into()) }),
            read_only: true,
            mouse: true,
            charts: Charts::Blocks,
        };
        assert_eq!(parse(&s.to_text(), "c").unwrap(), s);
        let sandbox = Settings { connect: Some(Connect::Sandbox), ..Settings::default() };
        assert_eq!(parse(&sandbox.to_text(), "c").unwrap(), sandbox);
        let e = parse("theme = auto\n\nkeymap = emacs\n", "cfg").unwrap_err();
        assert_eq!(e.to_string(), "cfg:3: keymap \"emacs\": use standard or vi");
        assert_eq!(parse("# only a comment\n", "c").unwrap(), Settings::default());
    }

    #[test]
    fn the_saved_connection_fills_in_what_the_command_line_left_open() {
        let s = Settings {
            connect: Some(Connect::Aws { profile: Some("prod".into()), region: Some("eu-west-1".into()) }),
            ..Settings::default()
        };
        let mut o = ConnectOptions::default();
        s.apply(&mut o);
        assert_eq!((o.profile.as_deref(), o.region.as_deref()), (Some("prod"), Some("eu-west-1")));
        let mut given = ConnectOptions { sandbox: true, ..ConnectOptions::default() };
        s.apply(&mut given);
        assert!(given.profile.is_none());
    }
}
