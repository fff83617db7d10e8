//! "Show the call": the `aws iot` commands that do what the editor would send
//! (the create or update, the tag changes, each attach and detach), quoted
//! for a POSIX shell so pasting them works, and the CloudFormation resource
//! for the profile. `y` copies them to the clipboard through the terminal
//! (OSC 52), `w` writes them to a file.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

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
    pub scroll: u16,
}

impl Calls {
    /// Everything shown, as text (what `y` copies and `w` writes).
    pub fn text(&self) -> String {
        let cfn: String = self.cloudformation.lines().map(|l| format!("# {l}\n")).collect();
        format!("{}\n# The same profile as a CloudFormation resource:\n{cfn}", self.commands)
    }
}

pub fn render(c: &Calls, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, area.width.saturating_sub(2), area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let mut lines = vec![Line::from(Span::styled("The aws iot commands (paste into a POSIX shell):", theme.label()))];
    lines.extend(c.commands.lines().map(|l| Line::from(safe(l))));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "The profile as a CloudFormation resource (AWS::IoT::SecurityProfile):",
        theme.label(),
    )));
    lines.extend(c.cloudformation.lines().map(|l| Line::from(Span::styled(safe(l), theme.dim()))));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((c.scroll, 0)).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" The calls · y copy · w write to a file · ↑↓ scroll · Esc close ", theme.title())),
        ),
        popup,
    );
}
