//! Drawing: a pure function of `App`. The title, the screen, the hint bar
//! (made from the keymap), the status line (wrapped when long) and the
//! overlay. Untrusted text goes through `widgets::text::safe` before it
//! reaches a cell.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::app::{App, Kind};
use super::keymap::{self, Action};
use super::overlays::Overlay;
use super::shared::DraftState;
use super::theme::Theme;
use super::widgets::text::{fit, safe};

pub fn render(app: &App, frame: &mut Frame) {
    let theme = Theme { color: app.cx.color, look: app.cx.look };
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
    // What does not fit goes, from the right, keeping the last two (back, help): F1 lists it all.
    let width = |p: &[(String, &str)]| p.iter().map(|(k, w)| k.chars().count() + w.chars().count() + 3).sum::<usize>();
    while width(&pairs) > usize::from(app_width(app)) && pairs.len() > 3 {
        pairs.remove(pairs.len() - 3);
    }
    let mut spans = Vec::new();
    for (k, what) in pairs {
        spans.push(Span::styled(format!(" {k}"), theme.key()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    Line::from(spans)
}

/// What is happening first (it must be read), then the version, the draft
/// and the endpoint, each with its style.
fn status_parts(app: &App, theme: &Theme) -> Vec<(String, ratatui::style::Style)> {
    let mut parts: Vec<(String, ratatui::style::Style)> = Vec::new();
    if let Some(busy) = app.cx.busy() {
        parts.push((safe(busy), theme.warning()));
    } else if !app.cx.status.text.is_empty() {
        parts.push((safe(&app.cx.status.text), ratatui::style::Style::default()));
    }
    if let (Kind::Editor, Some(ed)) = (app.kind(), app.editor()) {
        if let Some(v) = ed.version() {
            parts.push((format!("version {v}"), theme.dim()));
        }
        match &app.cx.draft_state {
            DraftState::None => {}
            DraftState::Saving => parts.push(("saving draft".to_owned(), theme.dim())),
            DraftState::Saved => parts.push(("draft saved".to_owned(), theme.dim())),
            DraftState::Failed(e) => parts.push((format!("draft NOT saved: {}", safe(e)), theme.error())),
        }
    }
    if app.cx.read_only {
        parts.push(("READ-ONLY".to_owned(), theme.warning()));
    }
    // The sandbox in its own colour, so nobody takes it for an account.
    let endpoint_style = if app.cx.endpoint.contains("sandbox") { theme.ok() } else { theme.dim() };
    parts.push((safe(&app.cx.endpoint), endpoint_style));
    parts
}

/// The status line's whole text (what Alt-M shows when the line cuts it).
pub fn status_text(app: &App) -> String {
    let theme = Theme { color: false, look: app.cx.look };
    status_parts(app, &theme).into_iter().map(|(t, _)| t).collect::<Vec<_>>().join(" · ")
}

/// What Alt-M adds to a message the status line had to cut.
const CUT_HINT: &str = " Alt-M";

/// The status line: always one row. When everything does not fit, the
/// message (first) is cut with "…" and Alt-M, which shows it whole; the
/// version, draft and endpoint keep their place while the message keeps at
/// least a few words, else the message alone is shown.
fn status_lines(app: &App, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let parts = status_parts(app, theme);
    let width = usize::from(width);
    let joined = |parts: &[(String, ratatui::style::Style)]| -> Vec<Span<'static>> {
        let n = parts.len();
        parts
            .iter()
            .enumerate()
            .map(|(i, (t, s))| Span::styled(if i + 1 == n { format!(" {t}") } else { format!(" {t} ·") }, *s))
            .collect()
    };
    let length = |spans: &[Span]| spans.iter().map(|s| s.content.chars().count()).sum::<usize>();
    let all = joined(&parts);
    if length(&all) <= width {
        return vec![Line::from(all)];
    }
    let has_message = parts.len() > 1 && (app.cx.busy().is_some() || !app.cx.status.text.is_empty());
    if !has_message {
        // No message: the line is cut at its end.
        let text: String = all.iter().map(|s| s.content.as_ref()).collect();
        return vec![Line::from(Span::styled(fit(&text, width), theme.dim()))];
    }
    let (message, style) = parts[0].clone();
    let rest = joined(&parts[1..]);
    let hint = CUT_HINT.chars().count();
    // " message… Alt-M ·" then the rest.
    let room = width.saturating_sub(length(&rest) + hint + 3);
    let (room, rest) = if room >= 16 { (room, rest) } else { (width.saturating_sub(hint + 1), Vec::new()) };
    let mut spans = vec![Span::styled(format!(" {}", fit(&message, room)), style), Span::styled(CUT_HINT, theme.key())];
    if !rest.is_empty() {
        spans.push(Span::raw(" ·"));
        spans.extend(rest);
    }
    vec![Line::from(spans)]
}
