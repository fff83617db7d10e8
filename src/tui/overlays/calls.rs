//! "Show the call": the `aws iot` commands that do what the editor would send
//! (the create or update, the tag changes, each attach and detach), quoted
//! for a POSIX shell so pasting them works, and the CloudFormation resource
//! for the profile. `y` copies them to the clipboard through the terminal
//! (OSC 52), `w` writes them to a file.

use crossterm::event::KeyEvent;

use crate::tui::message::Effect;
use crate::tui::screens::Go;
use crate::tui::screens::component::{Component, keys_only, no_results};
use crate::tui::screens::editor::EditorScreen;
use crate::tui::shared::Shared;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, safe};

#[derive(Debug, Clone, PartialEq)]
pub struct Calls {
    /// The profile's name, for the file `w` writes.
    pub name: String,
    /// The commands, ready to paste.
    pub commands: String,
    /// The CloudFormation resource, as JSON.
    pub cloudformation: String,
    /// The first line shown.
    pub scroll: u16,
    /// The last line it can scroll to, and the lines a page holds, as last drawn.
    pub max: std::cell::Cell<u16>,
    pub page: std::cell::Cell<u16>,
}

impl Calls {
    /// The calls for what `ed` would send, as `aws iot` commands, and its
    /// profile as a CloudFormation resource (target ARNs through `Fn::Sub`
    /// while the account is not known). None when the request cannot be written.
    pub fn of(ed: &EditorScreen, cx: &Shared) -> Option<Calls> {
        let submit = ed.request();
        let (attach, detach) = ed.target_changes();
        let arn = ed.base.as_ref().and_then(|b| b.security_profile_arn.clone());
        let place = match (cx.region(), &cx.account) {
            (Some(r), Some(a)) => Some((r, a.as_str())),
            _ => None,
        };
        let to = cx.destination.as_ref();
        let commands = crate::wire::export::calls(&submit, arn.as_deref(), &attach, &detach, place, to).ok()?;
        // The account not known yet (a fresh endpoint): the stack's own, through Fn::Sub.
        let arns: Vec<String> = match place {
            Some((r, a)) => ed.targets.iter().map(|t| t.arn(r, a)).collect(),
            None => ed.targets.iter().map(|t| t.arn("${AWS::Region}", "${AWS::AccountId}")).collect(),
        };
        let mut resource = crate::wire::export::cloudformation_resource(&ed.profile, &arns).ok()?;
        if place.is_none()
            && let Some(list) = resource.pointer_mut("/Properties/TargetArns").and_then(|v| v.as_array_mut())
        {
            for arn in list.iter_mut() {
                *arn = serde_json::json!({ "Fn::Sub": arn.take() });
            }
        }
        Some(Calls {
            name: ed.name().to_owned(),
            commands,
            cloudformation: crate::wire::skeleton::json_text(&resource),
            scroll: 0,
            max: Default::default(),
            page: Default::default(),
        })
    }

    /// Everything shown, as text (what `y` copies and `w` writes).
    pub fn text(&self) -> String {
        let cfn: String = self.cloudformation.lines().map(|l| format!("# {l}\n")).collect();
        format!("{}\n# The same profile as a CloudFormation resource:\n{cfn}", self.commands)
    }
}

impl Component for Calls {
    fn keys(&self) -> Vec<Context> {
        vec![Context::Calls]
    }

    keys_only!();

    fn on_key(&mut self, key: KeyEvent, cx: &mut Shared, out: &mut Vec<Effect>) -> Option<Go> {
        match keymap::lookup(&self.keys(), cx.vi, &key) {
            Some(Action::Copy) => {
                out.push(Effect::Clipboard(self.text()));
                cx.say("Copied (OSC 52): a terminal that does not allow it copies nothing; w writes a file");
            }
            Some(Action::Write) => {
                let name = if self.name.is_empty() { "unnamed" } else { self.name.as_str() };
                out.push(Effect::Write { path: format!("{name}.calls.sh"), json: self.text() });
            }
            Some(Action::Up) => self.scroll = self.scroll.saturating_sub(1),
            Some(Action::Down) => self.scroll = self.scroll.saturating_add(1).min(self.max.get()),
            Some(Action::PageUp) => self.scroll = self.scroll.saturating_sub(self.page.get().max(1)),
            Some(Action::PageDown) => {
                self.scroll = self.scroll.saturating_add(self.page.get().max(1)).min(self.max.get())
            }
            Some(Action::First) => self.scroll = 0,
            Some(Action::Last) => self.scroll = self.max.get(),
            Some(Action::Back) => return Some(Go::Close),
            // Any other key closes it too.
            _ => return Some(Go::Close),
        }
        None
    }

    no_results!();

    fn render(&self, _cx: &Shared, frame: &mut Frame, area: Rect, theme: &Theme) {
        render(self, frame, area, theme);
    }
}

pub fn render(c: &Calls, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, area.width.saturating_sub(2), area.height.saturating_sub(2));
    crate::tui::widgets::text::clear_around(frame, popup, area);
    let mut lines = vec![Line::from(Span::styled("The aws iot commands (paste into a POSIX shell):", theme.label()))];
    lines.extend(c.commands.lines().map(|l| Line::from(safe(l))));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "The profile as a CloudFormation resource (AWS::IoT::SecurityProfile):",
        theme.label(),
    )));
    lines.extend(c.cloudformation.lines().map(|l| Line::from(Span::styled(safe(l), theme.dim()))));
    // How far it can scroll: the lines as wrapped to the inside of the frame.
    let (width, height) = (popup.width.saturating_sub(2).max(1), popup.height.saturating_sub(2));
    let wrapped: usize = lines.iter().map(|l| l.width().div_ceil(usize::from(width)).max(1)).sum();
    c.max.set(u16::try_from(wrapped).unwrap_or(u16::MAX).saturating_sub(height));
    c.page.set(height);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((c.scroll.min(c.max.get()), 0)).block(
            Block::default().borders(Borders::ALL).title(Span::styled(
                " The calls · y copy · w write to a file · ↑↓ PgUp PgDn scroll · Esc close ",
                theme.title(),
            )),
        ),
        popup,
    );
}
