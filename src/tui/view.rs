//! Drawing: a pure function of `App`. The title, the screen, the hint bar
//! (made from the keymap), the status line (wrapped when long) and the
//! overlay. Untrusted text goes through `widgets::text::safe` before it
//! reaches a cell.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Kind};
use super::drafting::DraftState;
use super::keymap::{self, Action};
use super::overlays::Overlay;
use super::theme::Theme;
use super::widgets::text::{fit, safe};

pub fn render(app: &App, frame: &mut Frame) {
    let theme = Theme { color: app.cx.color, look: app.cx.look, braille: app.cx.braille };
    let area = frame.area();
    app.cx.width.set(area.width);
    let status = status_lines(app, &theme, area.width);
    let [title, body, hints, status_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(status.len() as u16),
    ])
    .areas(area);
    frame.render_widget(Paragraph::new(Line::from(Span::styled(heading(app), theme.title()))), title);
    app.screen.component(&app.home).render(&app.cx, frame, body, &theme);
    frame.render_widget(Paragraph::new(hint_line(app, &theme)), hints);
    frame.render_widget(Paragraph::new(status), status_area);
    if let Some(overlay) = &app.overlay {
        overlay.component().render(&app.cx, frame, area, &theme);
    }
}

fn heading(app: &App) -> String {
    app.screen.component(&app.home).title(&app.cx)
}

/// Whether an action can do something now (the hint bar shows only those).
fn enabled(app: &App, action: Action) -> bool {
    app.screen.component(&app.home).enabled(action, &app.cx)
}

/// The width the hint bar has (set by the last frame drawn; 80 before).
fn app_width(app: &App) -> u16 {
    app.cx.width.get()
}

fn hint_line(app: &App, theme: &Theme) -> Line<'static> {
    let chain = app.keys();
    let mut pairs = keymap::hints(&chain, |a| enabled(app, a));
    match &app.overlay {
        Some(Overlay::Help(_)) => pairs = vec![("any key".to_owned(), "closes the help")],
        Some(Overlay::Message(_)) => pairs = vec![("any key".to_owned(), "closes it")],
        overlay => {
            let typed = match overlay {
                Some(o) => o.component().typed(&app.cx),
                None => app.screen.component(&app.home).typed(&app.cx),
            };
            if let Some(what) = typed {
                pairs.insert(0, ("type".to_owned(), what));
            }
        }
    }
    if app.overlay.is_none() {
        pairs.push(("F1".to_owned(), "help"));
    }
    // What does not fit goes, from the right, keeping the last two (back,
    // help) and, while anything else can go, the way forward (review, send)
    // and to the problems: F1 lists it all.
    const KEEP: [&str; 3] = ["review", "send", "problems"];
    let width = |p: &[(String, &str)]| p.iter().map(|(k, w)| k.chars().count() + w.chars().count() + 3).sum::<usize>();
    // "type …" goes first: the screen itself says what typing does (Home's filter line).
    if width(&pairs) > usize::from(app_width(app)) && pairs.first().is_some_and(|(k, _)| k == "type") {
        pairs.remove(0);
    }
    while width(&pairs) > usize::from(app_width(app)) && pairs.len() > 3 {
        let last = pairs.len() - 3;
        let drop = (0..=last).rev().find(|&i| !KEEP.contains(&pairs[i].1)).unwrap_or(last);
        pairs.remove(drop);
    }
    let mut spans = Vec::new();
    for (k, what) in pairs {
        spans.push(Span::styled(format!(" {k}"), theme.key()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    Line::from(spans)
}

/// One part of the status line: its text, its style, and whether it must
/// stay when the line is short (the message, an unsaved draft, read-only).
struct Part {
    text: String,
    style: ratatui::style::Style,
    must: bool,
}

/// What is happening first (it must be read), then the version, the draft
/// and the endpoint, each with its style.
fn status_parts(app: &App, theme: &Theme) -> Vec<Part> {
    let part = |text: String, style, must| Part { text, style, must };
    let mut parts = Vec::new();
    if let Some(busy) = app.cx.busy() {
        parts.push(part(safe(busy), theme.warning(), true));
    } else if !app.cx.status.text.is_empty() {
        parts.push(part(safe(&app.cx.status.text), ratatui::style::Style::default(), true));
    }
    if let (Kind::Editor, Some(ed)) = (app.kind(), app.editor()) {
        if let Some(v) = ed.version() {
            parts.push(part(format!("version {v}"), theme.dim(), false));
        }
        match &app.cx.drafting.state {
            DraftState::None => {}
            DraftState::Saving => parts.push(part("saving draft".to_owned(), theme.dim(), false)),
            DraftState::Saved => parts.push(part("draft saved".to_owned(), theme.dim(), false)),
            DraftState::Failed(e) => parts.push(part(format!("draft NOT saved: {}", safe(e)), theme.error(), true)),
        }
    }
    if app.cx.read_only {
        parts.push(part("READ-ONLY".to_owned(), theme.warning(), true));
    }
    // The sandbox in its own colour, so nobody takes it for an account; not
    // again when the message names it ("Connected to …", "still on …").
    let endpoint_style = if app.cx.endpoint.contains("sandbox") { theme.ok() } else { theme.dim() };
    if !app.cx.status.text.contains(app.cx.endpoint.as_str()) {
        parts.push(part(safe(&app.cx.endpoint), endpoint_style, false));
    }
    parts
}

/// The status line's whole text (what Alt-M shows when the line cuts it).
pub fn status_text(app: &App) -> String {
    let theme = Theme { color: false, look: app.cx.look, braille: app.cx.braille };
    status_parts(app, &theme).into_iter().map(|p| p.text).collect::<Vec<_>>().join(" · ")
}

/// What Alt-M adds to a message the status line had to cut.
const CUT_HINT: &str = " Alt-M";

/// The status line: always one row. When everything does not fit, what must
/// stay (the message first, an unsaved draft, read-only) stays, and the rest
/// (the endpoint, then the draft's state, then the version) joins while it
/// fits; if what must stay is too long, the first part is cut with "…" and
/// Alt-M, which shows the whole line in a box.
fn status_lines(app: &App, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let width = usize::from(width);
    let parts = status_parts(app, theme);
    // " a · b · c": one space before each part, " ·" after all but the last.
    let length = |shown: &[&Part]| {
        shown.iter().map(|p| p.text.chars().count() + 1).sum::<usize>() + 2 * shown.len().saturating_sub(1)
    };
    let mut keep: Vec<bool> = parts.iter().map(|p| p.must).collect();
    let chosen = |keep: &[bool]| parts.iter().zip(keep).filter(|(_, k)| **k).map(|(p, _)| p).collect::<Vec<_>>();
    // The optional parts, most useful first: the endpoint (last), then the draft's state, then the version.
    for i in (0..parts.len()).rev().filter(|i| !parts[*i].must) {
        keep[i] = true;
        if length(&chosen(&keep)) > width {
            keep[i] = false;
        }
    }
    // Nothing fits whole: the endpoint, cut, rather than an empty line.
    if !keep.contains(&true)
        && let Some(last) = keep.last_mut()
    {
        *last = true;
    }
    let shown = chosen(&keep);
    let mut spans = Vec::new();
    let n = shown.len();
    let over = length(&shown).saturating_sub(width);
    for (i, p) in shown.into_iter().enumerate() {
        let sep = if i + 1 == n { "" } else { " ·" };
        if i == 0 && over > 0 {
            // The first part gives up what does not fit, and says where the rest is.
            let room = p.text.chars().count().saturating_sub(over + CUT_HINT.len());
            spans.push(Span::styled(format!(" {}", fit(&p.text, room.max(1))), p.style));
            spans.push(Span::styled(CUT_HINT, theme.key()));
            spans.push(Span::raw(sep));
        } else {
            spans.push(Span::styled(format!(" {}{sep}", p.text), p.style));
        }
    }
    vec![Line::from(spans)]
}
