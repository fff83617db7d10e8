//! Text for cells: untrusted text made safe, wrapping with a hanging indent,
//! dates, and the centred rectangle popups use.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::domain::untrusted::neutralise;

/// Untrusted text (names, descriptions, tags, messages from the service) made safe for a cell.
pub fn safe(text: &str) -> String {
    neutralise(text).into_owned()
}

/// Cuts text into pieces of at most `width` characters, at spaces where it can.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let (lw, ww) = (line.chars().count(), word.chars().count());
        if lw > 0 && lw + 1 + ww > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            line = line.chars().skip(width).collect();
            out.push(head);
        }
    }
    if !line.is_empty() || out.is_empty() {
        out.push(line);
    }
    out
}

/// `text` wrapped to `width` columns, every line after the first indented by
/// `indent` spaces (a hanging indent), each styled `style`; `first` precedes
/// the first line and sets how far the text starts.
pub fn hanging(first: Vec<Span<'static>>, text: &str, width: u16, indent: usize, style: Style) -> Vec<Line<'static>> {
    let lead: usize = first.iter().map(|s| s.content.chars().count()).sum();
    let width = usize::from(width);
    let room_first = width.saturating_sub(lead).max(10);
    let room_rest = width.saturating_sub(indent).max(10);
    let mut lines = Vec::new();
    let pieces = wrap(text, room_first);
    let mut rest = String::new();
    if let Some(head) = pieces.first() {
        let mut spans = first;
        spans.push(Span::styled(head.clone(), style));
        lines.push(Line::from(spans));
        // The rest of the text as it was (the first line is a prefix of it).
        let after: String = text.chars().skip(head.chars().count()).collect();
        rest = after.strip_prefix(' ').unwrap_or(&after).to_owned();
    }
    if !rest.is_empty() {
        for piece in wrap(&rest, room_rest) {
            lines.push(Line::from(vec![Span::raw(" ".repeat(indent)), Span::styled(piece, style)]));
        }
    }
    lines
}

/// `2026-11-18 11:06:40.250 UTC`.
pub fn utc(epoch: Option<f64>) -> String {
    epoch.map_or_else(
        || "-".to_owned(),
        |e| {
            let iso = crate::wire::time::iso8601(e).replace('T', " ");
            let iso = iso.trim_end_matches("+00:00");
            match iso.split_once('.') {
                Some((secs, frac)) => format!("{secs}.{} UTC", &frac[..3.min(frac.len())]),
                None => format!("{iso} UTC"),
            }
        },
    )
}

/// `2026-11-18 12:06:40 +01:00 local time (Europe/Paris)`.
pub fn local(epoch: Option<f64>, tz: &jiff::tz::TimeZone) -> String {
    let Some(ts) = epoch.and_then(|e| jiff::Timestamp::from_millisecond((e * 1000.0).round() as i64).ok()) else {
        return String::new();
    };
    let zoned = ts.to_zoned(tz.clone());
    let name = tz.iana_name().map_or_else(String::new, |n| format!(" ({n})"));
    format!("{} local time{name}", zoned.strftime("%Y-%m-%d %H:%M:%S %:z"))
}

/// `2026-11-18 11:06` (UTC).
pub fn date(epoch: f64) -> String {
    let iso = crate::wire::time::iso8601(epoch.floor());
    iso.get(..16).unwrap_or(&iso).replace('T', " ")
}

/// A rectangle of at most `width` x `height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Clears an overlay's `popup` and two columns each side of it (within
/// `area`), so no character of the screen below is left touching its
/// border (`P┌`, `┐──`).
pub fn clear_around(frame: &mut ratatui::Frame, popup: Rect, area: Rect) {
    let x = popup.x.saturating_sub(2).max(area.x);
    let right = (popup.x + popup.width + 2).min(area.x + area.width);
    let margin = Rect { x, width: right.saturating_sub(x), ..popup };
    frame.render_widget(ratatui::widgets::Clear, margin);
}

/// `1 error`, `2 errors`.
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Text cut to `width` characters with an ellipsis when it is longer.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        text.chars().take(width.saturating_sub(1)).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hanging_indent() {
        let lines = hanging(vec![Span::raw("✗ path: ")], "one two three four five six", 20, 4, Style::default());
        let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, ["✗ path: one two", "    three four five", "    six"]);
        assert_eq!(fit("greater-than 100", 10), "greater-t…");
        let long = hanging(vec![Span::raw("   ")], "- x: [{\"a\":\"bbbbbbbbbbbbbbbbbbbb\"}]", 20, 5, Style::default());
        let text: Vec<String> = long.iter().map(|l| l.to_string()).collect();
        assert_eq!(
            text,
            ["   - x:", "     [{\"a\":\"bbbbbbbb", "     bbbbbbbbbbbb\"}]"],
            "a split word gains no space"
        );
    }
}
