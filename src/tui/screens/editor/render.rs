//! Drawing the editor: the section list, the form (or the open behavior's),
//! the focused row's help or problem, the problems pane, and the picker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::EditorScreen;
use super::rows::{Kind, Row, Section};
use crate::domain::Severity;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{count, fit, hanging, safe};

/// How many lines the problems pane takes.
fn pane_height(ed: &EditorScreen, area: Rect) -> u16 {
    if ed.problems.is_empty() {
        return 1;
    }
    if ed.pane.focused {
        return (ed.problems.len() as u16 * 2 + 1).min(area.height / 2).max(3);
    }
    if area.height < 30 { 1 } else { (ed.problems.len() as u16 + 2).min(8) }
}

pub fn render(ed: &EditorScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [main, pane] = Layout::vertical([Constraint::Min(3), Constraint::Length(pane_height(ed, area))]).areas(area);
    let nav_width = if main.width >= 100 { 24 } else { 18 };
    let [nav, form] = Layout::horizontal([Constraint::Length(nav_width), Constraint::Min(20)]).areas(main);
    render_sections(ed, frame, nav, theme);
    render_form(ed, frame, form, theme);
    render_pane(ed, frame, pane, theme);
    if let Some(picker) = &ed.picker {
        crate::tui::overlays::picker::render(picker, frame, area, theme);
    }
    if let Some((form, _)) = &ed.form {
        crate::tui::screens::resource_form::render(form, frame, area, theme);
    }
}

fn section_problems(ed: &EditorScreen, section: Section) -> (usize, usize) {
    let mut counts = (0, 0);
    for p in &ed.problems {
        if let Some(crate::domain::path::Segment::Key(first)) = p.path.segments().first()
            && section.members().contains(first)
        {
            if p.is_error() {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
    }
    counts
}

fn render_sections(ed: &EditorScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = Vec::new();
    ed.nav_right.set(area.right());
    *ed.section_hits.borrow_mut() = Section::ALL.iter().enumerate().map(|(i, s)| (area.y + i as u16, *s)).collect();
    for (i, s) in Section::ALL.iter().enumerate() {
        let count = match s {
            Section::Behaviors => format!(" ({})", ed.profile.behaviors.as_ref().map_or(0, Vec::len)),
            _ => String::new(),
        };
        let (errors, warnings) = section_problems(ed, *s);
        let mark = if errors > 0 {
            Span::styled("✗", theme.error())
        } else if warnings > 0 {
            Span::styled("!", theme.warning())
        } else {
            Span::raw(" ")
        };
        let style = if *s == ed.section { theme.focused() } else { Style::default() };
        let name = if area.width >= 24 { s.title() } else { s.short() };
        lines.push(Line::from(vec![mark, Span::styled(format!("{} {name}{count}", i + 1), style)]));
    }
    frame.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::RIGHT)), area);
}

/// The row a problem belongs to: the one whose path is the longest prefix of the problem's.
pub fn owner<'r>(rows: &'r [Row], path: &crate::domain::FieldPath) -> Option<&'r Row> {
    rows.iter().filter(|r| path.starts_with(&r.path)).max_by_key(|r| r.path.segments().len())
}

fn row_mark(ed: &EditorScreen, row: &Row, theme: &Theme) -> Span<'static> {
    let hit = ed
        .problems
        .iter()
        .filter(|p| owner(&ed.rows, &p.path).is_some_and(|o| o.id == row.id))
        .map(|p| p.severity)
        .min();
    match hit {
        Some(Severity::Error) => Span::styled("✗ ", theme.error()),
        Some(Severity::Warning) => Span::styled("! ", theme.warning()),
        None => Span::raw("  "),
    }
}

/// The lines under the form: the focused row's first problem, else its help, wrapped.
fn help_lines(ed: &EditorScreen, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let Some(row) = ed.focused() else { return Vec::new() };
    let first = ed.problems.iter().find(|p| owner(&ed.rows, &p.path).is_some_and(|o| o.id == row.id));
    match first {
        Some(p) => hanging(
            vec![Span::raw(" ")],
            &safe(&p.message),
            width,
            1,
            if p.is_error() { theme.error() } else { theme.warning() },
        ),
        // A behavior on the list: its criteria whole (the row may cut them), then the keys.
        None if matches!(row.id, super::rows::FieldId::Behavior(_)) => {
            let mut lines = hanging(vec![Span::raw(" ")], &safe(&row.value), width, 1, theme.label());
            lines.extend(hanging(vec![Span::raw(" ")], &row.help, width, 1, theme.dim()));
            lines
        }
        None => hanging(vec![Span::raw(" ")], &row.help, width, 1, theme.dim()),
    }
}

fn render_form(ed: &EditorScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let title = form_title(ed, area.width);
    let block = Block::default().borders(Borders::NONE).title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let help = help_lines(ed, inner.width, theme);
    let help_height = (help.len() as u16).clamp(2, 4).min(inner.height.saturating_sub(1));
    let [list, help_area] = Layout::vertical([Constraint::Min(1), Constraint::Length(help_height)]).areas(inner);
    let list = render_chart(ed, frame, list, theme);
    if ed.rows.is_empty() {
        let empty = match ed.section {
            Section::Behaviors => {
                "No behaviors yet. Press a (or Ctrl-A) to add one: a metric and the criteria devices must meet."
            }
            Section::Retained => {
                "No retained metrics. Ctrl-A adds one: its data is kept even when no behavior uses it."
            }
            _ => "Nothing here yet; Ctrl-A adds an entry.",
        };
        frame.render_widget(Paragraph::new(hanging(vec![Span::raw(" ")], empty, list.width, 1, theme.dim())), list);
        return;
    }
    // The labels (behavior names on the list) take up to a third of a wide form, 24 columns at least.
    let cap = usize::from(list.width / 3).max(24);
    let label_w = ed.rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(8).min(cap) + 1;
    let height = list.height as usize;
    let start = ed.focus.saturating_sub(height.saturating_sub(1));
    *ed.hits.borrow_mut() =
        (start..ed.rows.len()).take(height).enumerate().map(|(n, i)| (list.y + n as u16, i)).collect();
    for (n, (i, row)) in ed.rows.iter().enumerate().skip(start).take(height).enumerate() {
        let y = list.y + n as u16;
        let line_area = Rect { x: list.x, y, width: list.width, height: 1 };
        let focused = i == ed.focus && ed.picker.is_none() && !ed.pane.focused;
        let label_style = if focused { theme.focused() } else { theme.label() };
        let label = Span::styled(format!("{:<label_w$}", fit(&safe(&row.label), label_w - 1)), label_style);
        let value_x = list.x + 2 + label_w as u16 + 1;
        let value_area =
            Rect { x: value_x.min(list.right()), y, width: list.right().saturating_sub(value_x), height: 1 };
        frame.render_widget(Paragraph::new(Line::from(vec![row_mark(ed, row, theme), label])), line_area);
        if focused
            && row.kind == Kind::Text
            && let Some(field) = &ed.field
        {
            if field.is_selected() {
                frame.render_widget(Paragraph::new(Span::styled(safe(&field.text()), theme.focused())), value_area);
            } else {
                frame.render_widget(field.widget(), value_area);
            }
            continue;
        }
        // A gap before the edge, and an ellipsis where a value is cut.
        let room = usize::from(value_area.width.saturating_sub(1));
        let value = match &row.kind {
            Kind::Choice(_) => format!("‹ {} ›", safe(&row.value)),
            Kind::Pick(_) => {
                format!("{} ▾", if row.value.is_empty() { "(choose)".to_owned() } else { safe(&row.value) })
            }
            _ => safe(&row.value),
        };
        frame.render_widget(Paragraph::new(fit(&value, room)), value_area);
    }
    frame.render_widget(Paragraph::new(help), help_area);
}

/// The form's title: the open behavior's criteria in words, else the section's name.
fn form_title(ed: &EditorScreen, width: u16) -> String {
    match ed.open {
        Some(i) => {
            // What the criteria mean, as they are now.
            let words = ed.rows.iter().find(|r| r.id == super::rows::FieldId::Of(i, super::rows::BehaviorField::Value));
            let b = ed.profile.behaviors.as_ref().and_then(|l| l.get(i));
            let sentence = b.map(|b| crate::domain::choices::describe(b, words.map_or("", |r| r.value.as_str())));
            let room = usize::from(width).saturating_sub(16);
            format!(" Behavior {}: {} ", i + 1, fit(&safe(&sentence.unwrap_or_default()), room))
        }
        None => format!(" {} ", ed.section.title()),
    }
}

/// The fewest rows a chart is drawn in below all the fields; with less room
/// the fields fold to `FOLDED_FIELDS` rows around the focused one.
const CHART_ROWS: u16 = 12;
/// The fields' rows while the chart is open in a small terminal (80x24).
const FOLDED_FIELDS: u16 = 3;

/// A behavior's chart (F4) drawn in the rows below its fields: below all of
/// them when `CHART_ROWS` fit, else the fields fold to `FOLDED_FIELDS` rows
/// (the focused one in view) and the chart takes the rest. The area left for
/// the fields.
fn render_chart(ed: &EditorScreen, frame: &mut Frame, list: Rect, theme: &Theme) -> Rect {
    match ed.chart_model() {
        Some(model) if list.height >= 6 => {
            let below_all = list.height.saturating_sub(ed.rows.len() as u16);
            let folded = list.height.saturating_sub((ed.rows.len() as u16).min(FOLDED_FIELDS));
            let chart_height = if below_all >= CHART_ROWS { below_all } else { folded.max(5) };
            let [fields, chart] = Layout::vertical([Constraint::Min(1), Constraint::Length(chart_height)]).areas(list);
            match model {
                Ok(m) => crate::tui::widgets::chart::render(&m, frame, chart, theme),
                Err(note) => frame.render_widget(
                    Paragraph::new(hanging(vec![Span::raw(" ")], &note, chart.width, 1, theme.dim())),
                    chart,
                ),
            }
            fields
        }
        _ => list,
    }
}

fn render_pane(ed: &EditorScreen, frame: &mut Frame, area: Rect, theme: &Theme) {
    let errors = ed.errors();
    let warnings = ed.problems.len() - errors;
    if ed.problems.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(" ✓ No problems: Ctrl-S reviews the request", theme.ok())),
            area,
        );
        return;
    }
    let summary = format!(" {}, {}", count(errors, "error"), count(warnings, "warning"));
    let summary_style = if errors > 0 { theme.error() } else { theme.warning() };
    if area.height <= 1 {
        let first = &ed.problems[0];
        let text = format!(" · {}: {}", first.path, safe(&first.message));
        let room = usize::from(area.width).saturating_sub(summary.chars().count() + 6);
        let line = Line::from(vec![
            Span::styled(summary, summary_style),
            Span::raw(fit(&text, room)),
            Span::styled(" (F2)", theme.key()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let block = Block::default().borders(Borders::TOP).title(Span::styled(format!("{summary} · F2 "), summary_style));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Each problem wrapped with a hanging indent; the selected one kept in view.
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_at = 0;
    for (i, p) in ed.problems.iter().enumerate() {
        if i == ed.pane.selected {
            selected_at = lines.len();
        }
        let mark = if p.is_error() { Span::styled("✗ ", theme.error()) } else { Span::styled("! ", theme.warning()) };
        let style = if ed.pane.focused && i == ed.pane.selected { theme.focused() } else { Style::default() };
        let text = format!("{}: {}", p.path, safe(&p.message));
        if ed.pane.focused {
            lines.extend(hanging(vec![mark], &text, inner.width, 4, style));
        } else {
            let room = usize::from(inner.width).saturating_sub(2);
            lines.push(Line::from(vec![mark, Span::styled(fit(&text, room), style)]));
        }
    }
    let height = inner.height as usize;
    let start = selected_at.saturating_sub(height.saturating_sub(2));
    frame.render_widget(Paragraph::new(lines.into_iter().skip(start).take(height).collect::<Vec<_>>()), inner);
}
