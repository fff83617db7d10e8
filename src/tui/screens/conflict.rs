//! The profile changed on the server since it was opened
//! (VersionConflictException): what changed there, what the user changed,
//! and the choice to reapply the edits on the new version, overwrite, or go
//! back to the edits.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Go;
use super::component::{Component, Titled, keys_only};
use super::editor::EditorScreen;
use crate::domain::profile::Tag;
use crate::domain::targets::Target;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::message::ServerCopy;
use crate::tui::message::{Effect, Event};
use crate::tui::shared::Shared;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{hanging, safe};
use crate::wire::response::SecurityProfileDescription;

pub struct ConflictScreen {
    pub editor: Box<EditorScreen>,
    pub server: SecurityProfileDescription,
    /// The server's tags and targets now (not versioned: they may have moved too).
    pub server_tags: Vec<Tag>,
    pub server_targets: Vec<Target>,
    pub theirs: Vec<String>,
    pub mine: Vec<String>,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Reapply,
    Overwrite,
    Back,
}

impl ConflictScreen {
    /// The conflict of the edit with the server's copy: the members, tags
    /// and targets each side changed since the edit's base.
    pub fn new(
        editor: Box<EditorScreen>,
        (server, server_tags, target_arns): ServerCopy,
    ) -> Result<ConflictScreen, (Box<EditorScreen>, String)> {
        use crate::wire::merge::{tag_lines, target_lines};
        let server_targets: Vec<Target> = target_arns.iter().filter_map(|a| Target::of_arn(a)).collect();
        let mine_tags = editor.profile.tags.clone().unwrap_or_default();
        let diffs = editor.base.as_deref().map(|base| {
            let mut theirs = crate::wire::change::changes(base, &server)?;
            theirs.extend(tag_lines(&editor.base_tags, &server_tags));
            theirs.extend(target_lines(&editor.base_targets, &server_targets));
            let mut mine = crate::wire::change::changes(base, &editor.profile)?;
            mine.extend(tag_lines(&editor.base_tags, &mine_tags));
            mine.extend(target_lines(&editor.base_targets, &editor.targets));
            Ok::<_, serde_json::Error>((theirs, mine))
        });
        match diffs {
            Some(Ok((theirs, mine))) => {
                Ok(ConflictScreen { editor, server, server_tags, server_targets, theirs, mine })
            }
            Some(Err(e)) => Err((editor, format!("The changes could not be compared: {e}"))),
            None => Err((editor, "A new profile cannot be in conflict".to_owned())),
        }
    }

    /// What `choice` makes of the edit: back to it as it was; overwrite
    /// (the request expects the server's version and is reviewed again:
    /// true); or reapply the edits on the server's version (a three-way
    /// merge; what both sides changed is said).
    pub fn choose(self, choice: Choice, cx: &mut Shared) -> (Box<EditorScreen>, bool) {
        let ConflictScreen { mut editor, server, server_tags, server_targets, .. } = self;
        match choice {
            Choice::Back => (editor, false),
            Choice::Overwrite => {
                editor.base = Some(std::sync::Arc::new(server));
                // Yours are sent as they are: the calls are counted from what the server has.
                editor.base_tags = server_tags;
                editor.base_targets = server_targets;
                editor.dirty = true;
                cx.say("Overwriting: the request now expects the server's current version");
                (editor, true)
            }
            Choice::Reapply => {
                let version = server.version.unwrap_or(0);
                let clashes = editor.reapply(server, cx);
                editor.rebase(server_tags, server_targets, &cx.ctx);
                cx.say(if clashes.is_empty() {
                    format!("Your changes are reapplied on version {version}; review them and Ctrl-S")
                } else {
                    format!(
                        "Reapplied on version {version}; changed on both sides, yours kept: {} (check them)",
                        clashes.join(", ")
                    )
                });
                (editor, false)
            }
        }
    }
}

impl Titled for ConflictScreen {
    fn title(&self, _cx: &Shared) -> String {
        format!(" ddsp · {} changed on the server", safe(self.editor.name()))
    }
}

impl Component for ConflictScreen {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Conflict]
    }

    keys_only!();

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, _out: &mut Vec<Effect>) -> Option<Go> {
        match keymap::lookup(&self.keys(), cx.vi, &key)? {
            Action::Help => Some(Go::Help),
            Action::Reapply => Some(Go::Resolve(Choice::Reapply)),
            Action::Overwrite => Some(Go::Resolve(Choice::Overwrite)),
            Action::Back => Some(Go::Resolve(Choice::Back)),
            _ => None,
        }
    }

    /// The editor underneath gets its results (a chart, an external edit) here too.
    fn on_result(&mut self, event: Event, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        self.editor.on_result(event, cx, out)
    }

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
    }
}

pub fn render(c: &ConflictScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let v = |x: Option<i64>| x.map_or_else(|| "?".to_owned(), |v| v.to_string());
    let mut lines = hanging(
        vec![Span::raw(" ")],
        &format!(
            "The profile changed on the server: you opened version {}, it is now version {}.",
            v(c.editor.version()),
            v(c.server.version)
        ),
        area.width,
        1,
        theme.warning(),
    );
    lines.push(Line::from(Span::styled(" Changed on the server:", theme.label())));
    if c.theirs.is_empty() {
        lines.push(Line::from(Span::styled("   (no member, tag or target: only the version moved)", theme.dim())));
    }
    for l in &c.theirs {
        lines.extend(hanging(vec![Span::raw("   ")], &safe(l), area.width, 5, ratatui::style::Style::default()));
    }
    lines.push(Line::from(Span::styled(" Your changes:", theme.label())));
    for l in &c.mine {
        lines.extend(hanging(vec![Span::raw("   ")], &safe(l), area.width, 5, ratatui::style::Style::default()));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled(" r", theme.key()),
        Span::raw(" reapply your changes on the new version (both kept; clashes listed)"),
    ]));
    lines.push(Line::from(vec![
        Span::styled(" o", theme.key()),
        Span::raw(" overwrite: send your version, expecting the new one"),
    ]));
    lines.push(Line::from(vec![Span::styled(" Esc", theme.key()), Span::raw(" back to your edits; nothing is lost")]));
    frame.render_widget(Paragraph::new(lines), area);
}
