//! A line of pretty JSON with keys, strings and literals coloured.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::safe;
use crate::tui::theme::Theme;

pub fn json_line(line: &str, theme: &Theme) -> Line<'static> {
    let text = safe(line);
    let indent = text.len() - text.trim_start().len();
    let rest = text.trim_start();
    let mut spans = vec![Span::raw(format!(" {}", &text[..indent]))];
    match rest.split_once("\": ") {
        Some((key, value)) if rest.starts_with('"') => {
            spans.push(Span::styled(format!("{key}\":"), theme.label()));
            let style = if value.starts_with('"') {
                theme.ok()
            } else if value.starts_with(['{', '[']) {
                Style::default()
            } else {
                theme.warning()
            };
            spans.push(Span::styled(format!(" {value}"), style));
        }
        _ => {
            let style = if rest.starts_with('"') {
                theme.ok()
            } else if rest.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == 't' || c == 'f') {
                theme.warning()
            } else {
                Style::default()
            };
            spans.push(Span::styled(rest.to_owned(), style));
        }
    }
    Line::from(spans)
}
