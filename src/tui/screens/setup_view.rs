//! Drawing the setup: its steps, the choices with what each means, the name
//! and its problem as it is typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::setup::{SetupScreen, Step};
use crate::templates::TEMPLATES;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{safe, wrap};

/// Text wrapped to the area, each line indented by `indent` spaces.
fn indented(text: &str, indent: usize, area: Rect, style: Style) -> Vec<Line<'static>> {
    let width = usize::from(area.width).saturating_sub(indent + 1).max(20);
    wrap(&safe(text), width)
        .into_iter()
        .map(|l| Line::from(Span::styled(format!("{}{l}", " ".repeat(indent)), style)))
        .collect()
}

pub fn render(w: &SetupScreen, groups: &[(String, String)], frame: &mut Frame, area: Rect, theme: &Theme) {
    let step = |n: usize, title: &str, on: bool| {
        Span::styled(format!(" {n} {title} "), if on { theme.focused() } else { theme.dim() })
    };
    let bar = if w.new_only && w.step == Step::Template && w.template == 0 {
        // A blank profile is named in the editor: no name step.
        Line::from(vec![
            step(1, "Start from", true),
            Span::raw(" "),
            Span::styled(" 2 Name and edit, then send ", theme.dim()),
        ])
    } else if w.new_only {
        // One more profile: the connection and target are as they are.
        Line::from(vec![
            step(1, "Start from", w.step == Step::Template),
            Span::raw(" "),
            step(2, "Name", w.step == Step::Name),
            Span::raw(" "),
            Span::styled(" 3 Edit, then send ", theme.dim()),
        ])
    } else {
        Line::from(vec![
            step(1, "Connect", w.step == Step::Connect),
            Span::raw(" "),
            step(2, "Target", w.step == Step::Target),
            Span::raw(" "),
            step(3, "Start from", w.step == Step::Template),
            Span::raw(" "),
            step(4, "Name", w.step == Step::Name),
            Span::raw(" "),
            // The last step is the editor itself, then its confirm screen.
            Span::styled(" 5 Edit, then send ", theme.dim()),
        ])
    };
    let mut lines = vec![bar, Line::from("")];
    lines.extend(match w.step {
        Step::Target => target_lines(w, groups, area, theme),
        Step::Connect => connect_lines(w, area, theme),
        Step::Template => template_lines(w, area, theme),
        Step::Name => name_lines(w, area, theme),
    });
    if let Some(e) = &w.error {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(format!(" {}", safe(e)), theme.error())));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// Step 2: what the profile watches.
fn target_lines(w: &SetupScreen, groups: &[(String, String)], area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    lines.push(Line::from(Span::styled(" What should the profile watch?", theme.label())));
    for (i, (t, what)) in super::setup::target_choices(groups).iter().enumerate() {
        let on = i == w.target;
        let label = t.as_ref().map_or_else(|| "No target for now".to_owned(), |t| capitalise(&t.label()));
        lines.push(Line::from(Span::styled(
            format!(" {} {}", if on { ">" } else { " " }, safe(&label)),
            if on { theme.focused() } else { Style::default() },
        )));
        if on {
            lines.extend(indented(what, 5, area, theme.dim()));
        }
    }
    if groups.is_empty() {
        lines.extend(indented(
            "No thing groups on this endpoint yet (ddsp create-thing-group makes one).",
            3,
            area,
            theme.dim(),
        ));
    }
    lines
}

/// Step 1: where to connect (and the region a choice needs).
fn connect_lines(w: &SetupScreen, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    lines.push(Line::from(Span::styled(" Where should ddsp keep your security profiles?", theme.label())));
    for (i, c) in w.choices.iter().enumerate() {
        let style = if i == w.selected { theme.focused() } else { Style::default() };
        lines.push(Line::from(Span::styled(
            format!(" {} {}", if i == w.selected { ">" } else { " " }, safe(&c.label)),
            style,
        )));
        if i == w.selected {
            lines.extend(indented(&c.detail, 5, area, theme.dim()));
        }
    }
    if w.choices.iter().all(|c| c.options.sandbox) {
        lines.push(Line::from(Span::styled(
            "   (no AWS profiles found in ~/.aws; `aws configure` makes one)",
            theme.dim(),
        )));
    }
    if w.choices.get(w.selected).is_some_and(|c| c.needs_region) {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::styled(" Region: ", theme.label()),
            Span::styled(format!("{}▏", safe(&w.region)), Style::default()),
        ]));
    }
    if w.connecting {
        lines.push(Line::from(Span::styled(" Connecting…", theme.warning())));
    }
    lines
}

/// Step 3: a blank profile or a template, the highlighted one described.
fn template_lines(w: &SetupScreen, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    lines.push(Line::from(Span::styled(" Start from a template, or from nothing:", theme.label())));
    let mut items = vec![("Blank profile".to_owned(), "Add behaviors yourself with the metric picker.".to_owned())];
    items.extend(TEMPLATES.iter().map(|t| (t.title.to_owned(), t.description())));
    for (i, (title, what)) in items.iter().enumerate() {
        let on = i == w.template;
        lines.push(Line::from(Span::styled(
            format!(" {} {title}", if on { ">" } else { " " }),
            if on { theme.focused() } else { Style::default() },
        )));
        if on {
            lines.extend(indented(what, 5, area, theme.dim()));
        }
    }
    lines
}

/// Step 4: the name, and what is wrong with it.
fn name_lines(w: &SetupScreen, area: Rect, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    lines.push(Line::from(Span::styled(" Name the profile:", theme.label())));
    lines.push(Line::from(Span::styled(
        "   letters, digits, ':', '_' and '-', at most 128; it cannot change later",
        theme.dim(),
    )));
    lines.push(Line::from(""));
    lines.push(Line::from(vec![Span::raw(" > "), Span::raw(format!("{}▏", safe(&w.name)))]));
    if let Some(p) = w.name_problem().filter(|_| !w.name.is_empty()) {
        lines.extend(indented(&p, 3, area, theme.warning()));
    }
    lines
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}
