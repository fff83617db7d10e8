//! Draws a metric chart in a few terminal rows: a title line, the series in
//! braille (the fleet's percentiles, or one thing's values), the threshold as
//! a line across, and a strip of ▲ under the windows that would alarm, so
//! that where alarms fall reads without colour too. The last row names the
//! dates at both ends and the count of alarms.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::widgets::canvas::{Canvas, Line as CanvasLine};

use crate::tui::screens::editor::chart::Model;
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{fit, safe};

/// The colours of the lines, in order (p50, p90, p99; one thing's values use the first).
const LINE_COLORS: [Color; 3] = [Color::Cyan, Color::Blue, Color::Magenta];

/// Draws `model` in `area` (at least 4 rows: title, plot, alarm strip, dates).
pub fn render(model: &Model, frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.height < 4 || area.width < 20 {
        return;
    }
    let width = usize::from(area.width);
    let title = fit(&format!(" {}", safe(&model.title)), width.saturating_sub(12));
    let mut spans = Vec::new();
    // The legend: the percentile names in their lines' colours.
    match title.split_once("p50 p90 p99") {
        Some((before, after)) if theme.color && model.lines.len() == LINE_COLORS.len() => {
            spans.push(Span::styled(before.to_owned(), theme.title()));
            for (k, name) in ["p50", "p90", "p99"].iter().enumerate() {
                spans.push(Span::styled(
                    format!("{name}{}", if k < 2 { " " } else { "" }),
                    theme.title().fg(LINE_COLORS[k]),
                ));
            }
            spans.push(Span::styled(after.to_owned(), theme.title()));
        }
        _ => spans.push(Span::styled(title, theme.title())),
    }
    spans.push(Span::styled(format!("  0–{}", short_number(model.y_max / 1.1)), theme.dim()));
    if let Some(t) = model.threshold {
        // The threshold's key, in its line's colour, as long as the row has room for.
        let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
        let style = if theme.color { theme.dim().fg(Color::Red) } else { theme.dim() };
        let key = [format!("  ─ threshold {}", short_number(t)), format!("  ─ {}", short_number(t))]
            .into_iter()
            .find(|k| used + k.chars().count() <= width);
        if let Some(key) = key {
            spans.push(Span::styled(key, style));
        }
    }
    let title = Line::from(spans);
    frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
    let plot = Rect { x: area.x + 1, y: area.y + 1, width: area.width.saturating_sub(2), height: area.height - 3 };
    let (x0, x1) = (model.x.0, model.x.1.max(model.x.0 + 1.0));
    let step = (x1 - x0) / f64::from(plot.width.max(1) * 2);
    let canvas =
        Canvas::default().marker(Marker::Braille).x_bounds([x0, x1]).y_bounds([0.0, model.y_max]).paint(|ctx| {
            for (k, line) in model.lines.iter().enumerate() {
                let color = if theme.color { LINE_COLORS[k % LINE_COLORS.len()] } else { Color::Reset };
                // One braille dot column per bucket: the bucket's highest value, so spikes stay visible.
                for pair in bucket_max(line, x0, step).windows(2) {
                    let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
                    ctx.draw(&CanvasLine { x1: xa, y1: ya, x2: xb, y2: yb, color });
                }
            }
            if let Some(t) = model.threshold {
                let color = if theme.color { Color::Red } else { Color::Reset };
                ctx.draw(&CanvasLine { x1: x0, y1: t, x2: x1, y2: t, color });
            }
        });
    frame.render_widget(canvas, plot);
    // The alarm strip: ▲ under each column that an alarm covers.
    let columns = usize::from(plot.width);
    let mut strip = vec![' '; columns];
    for (start, end) in &model.alarms {
        let end = end.map_or(x1, |e| e as f64);
        let from = (((*start as f64 - x0) / (x1 - x0)) * columns as f64).floor().max(0.0) as usize;
        let to = (((end - x0) / (x1 - x0)) * columns as f64).ceil().max(0.0) as usize;
        for c in strip.iter_mut().take(to.max(from + 1).min(columns)).skip(from.min(columns.saturating_sub(1))) {
            *c = '▲';
        }
    }
    let strip: String = strip.into_iter().collect();
    frame.render_widget(
        Paragraph::new(Span::styled(strip, theme.error())),
        Rect { x: plot.x, y: plot.bottom(), width: plot.width, height: 1 },
    );
    let dates = format!("{} → {}", day(x0), day(x1));
    let line = Line::from(vec![
        Span::styled(format!(" {dates}  "), theme.dim()),
        Span::styled(fit(&model.summary, width.saturating_sub(dates.chars().count() + 3)), theme.warning()),
    ]);
    frame.render_widget(Paragraph::new(line), Rect { x: area.x, y: area.bottom() - 1, width: area.width, height: 1 });
}

/// The points reduced to one per bucket of `step` (the highest), in order.
fn bucket_max(points: &[(f64, f64)], x0: f64, step: f64) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::new();
    let mut bucket = i64::MIN;
    for (x, y) in points {
        let b = ((x - x0) / step.max(f64::MIN_POSITIVE)).floor() as i64;
        match out.last_mut() {
            Some(last) if b == bucket => last.1 = last.1.max(*y),
            _ => {
                bucket = b;
                out.push((*x, *y));
            }
        }
    }
    out
}

/// `11-30` from epoch seconds.
fn day(secs: f64) -> String {
    crate::wire::time::iso8601(secs.floor()).chars().skip(5).take(5).collect()
}

/// 1234 → "1234", 12345 → "12.3k", 1.2e6 → "1.2M".
fn short_number(n: f64) -> String {
    match n {
        n if n >= 1e6 => format!("{:.1}M", n / 1e6),
        n if n >= 1e4 => format!("{:.1}k", n / 1e3),
        // A whole number, give or take the float error of a division.
        n if (n - n.round()).abs() < 1e-6 => format!("{n:.0}"),
        n => format!("{n:.1}"),
    }
}
