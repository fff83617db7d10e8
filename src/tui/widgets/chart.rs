//! Draws a metric chart in a few terminal rows: a title line, the series in
//! braille (the fleet's percentiles, or one thing's values), the threshold as
//! a line across, and a strip of ▲ under the windows that would alarm, so
//! that where alarms fall reads without colour too. The y axis is marked at
//! its top, middle and 0; the fleet's p50, p90 and p99 are named at their
//! lines' right ends, so they are told apart without colour. Where the
//! console font has no braille (`Theme::braille` off) the lines are drawn in
//! half blocks. The last row names the dates at both ends and the count of
//! alarms.

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
    let title = title_line(model, usize::from(area.width), theme);
    frame.render_widget(Paragraph::new(title), Rect { height: 1, ..area });
    // The y axis on the left: the top, the middle (with room) and 0.
    let rows = area.height - 3;
    let ticks: Vec<(u16, String)> = [(0, model.y_max), (rows / 2, model.y_max / 2.0), (rows - 1, 0.0)]
        .into_iter()
        .filter(|(row, _)| *row == 0 || *row == rows - 1 || rows >= 5)
        .map(|(row, value)| (row, short_number(value)))
        .collect();
    let axis = ticks.iter().map(|(_, t)| t.chars().count()).max().unwrap_or(1) as u16 + 1;
    // The fleet's lines are named at their right ends, so they are told apart without colour.
    let named = model.lines.len() == LINE_COLORS.len();
    let legend = if named { 4 } else { 0 };
    let plot =
        Rect { x: area.x + 1 + axis, y: area.y + 1, width: area.width.saturating_sub(2 + axis + legend), height: rows };
    for (row, tick) in &ticks {
        let at = Rect { x: area.x, y: plot.y + row, width: axis + 1, height: 1 };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{tick:>w$}┤", w = usize::from(axis)), theme.dim())),
            at,
        );
    }
    let (x0, x1) = (model.x.0, model.x.1.max(model.x.0 + 1.0));
    plot_lines(model, frame, plot, (x0, x1), theme);
    if named {
        name_lines(model, frame, plot, legend, theme);
    }
    let strip = alarm_strip(&model.alarms, (x0, x1), usize::from(plot.width));
    frame.render_widget(
        Paragraph::new(Span::styled(strip, theme.error())),
        Rect { x: plot.x, y: plot.bottom(), width: plot.width, height: 1 },
    );
    let dates = format!("{} → {}", day(x0), day(x1));
    let line = Line::from(vec![
        Span::styled(format!(" {dates}  "), theme.dim()),
        Span::styled(
            fit(&model.summary, usize::from(area.width).saturating_sub(dates.chars().count() + 3)),
            theme.warning(),
        ),
    ]);
    frame.render_widget(Paragraph::new(line), Rect { x: area.x, y: area.bottom() - 1, width: area.width, height: 1 });
}

/// The lines and the threshold, on a canvas over `plot` spanning `x0`–`x1`.
fn plot_lines(model: &Model, frame: &mut Frame, plot: Rect, (x0, x1): (f64, f64), theme: &Theme) {
    let points_across = if theme.braille { 2 } else { 1 };
    let step = (x1 - x0) / f64::from(plot.width.max(1) * points_across);
    // A console font without braille (TERM=linux) has the half blocks.
    let marker = if theme.braille { Marker::Braille } else { Marker::HalfBlock };
    let canvas = Canvas::default().marker(marker).x_bounds([x0, x1]).y_bounds([0.0, model.y_max]).paint(|ctx| {
        for (k, line) in model.lines.iter().enumerate() {
            let color = if theme.color { LINE_COLORS[k % LINE_COLORS.len()] } else { Color::Reset };
            // One dot column per bucket: the bucket's highest value, so spikes stay visible.
            for pair in bucket_max(line, x0, step).windows(2) {
                let ((xa, ya), (xb, yb)) = (pair[0], pair[1]);
                ctx.draw(&CanvasLine { x1: xa, y1: ya, x2: xb, y2: yb, color });
            }
        }
        if let Some(t) = model.threshold {
            let color = if theme.color { Color::Red } else { Color::Reset };
            if theme.braille {
                ctx.draw(&CanvasLine { x1: x0, y1: t, x2: x1, y2: t, color });
            } else {
                // Half blocks look like the data: the threshold is a row of ─ over it, as its key says.
                ctx.layer();
                let across = f64::from(plot.width.max(1));
                for c in 0..plot.width {
                    let x = x0 + (x1 - x0) * f64::from(c) / across;
                    ctx.print(x, t, Span::styled("─", ratatui::style::Style::default().fg(color)));
                }
            }
        }
    });
    frame.render_widget(canvas, plot);
}

/// The fleet's lines named at their right ends (`◂p50`…), in the `legend` columns right of `plot`.
fn name_lines(model: &Model, frame: &mut Frame, plot: Rect, legend: u16, theme: &Theme) {
    let ends: Vec<Option<f64>> = model.lines.iter().map(|l| l.last().map(|(_, y)| *y)).collect();
    for (k, row) in label_rows(&ends, model.y_max, plot.height) {
        let style = if theme.color { theme.dim().fg(LINE_COLORS[k]) } else { theme.dim() };
        let at = Rect { x: plot.right(), y: plot.y + row, width: legend, height: 1 };
        let arrow = if theme.braille { "◂" } else { "◄" };
        frame.render_widget(Paragraph::new(Span::styled(format!("{arrow}{}", ["p50", "p90", "p99"][k]), style)), at);
    }
}

/// The alarm strip: ▲ under each of `columns` columns spanning `x0`–`x1` that an alarm covers.
fn alarm_strip(alarms: &[(i64, Option<i64>)], (x0, x1): (f64, f64), columns: usize) -> String {
    let mut strip = vec![' '; columns];
    for (start, end) in alarms {
        let end = end.map_or(x1, |e| e as f64);
        let from = (((*start as f64 - x0) / (x1 - x0)) * columns as f64).floor().max(0.0) as usize;
        let to = (((end - x0) / (x1 - x0)) * columns as f64).ceil().max(0.0) as usize;
        for c in strip.iter_mut().take(to.max(from + 1).min(columns)).skip(from.min(columns.saturating_sub(1))) {
            *c = '▲';
        }
    }
    strip.into_iter().collect()
}

/// The title row: the model's title (the percentile names in their lines'
/// colours) and the threshold's key, as long as the row has room for.
fn title_line(model: &Model, width: usize, theme: &Theme) -> Line<'static> {
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
    Line::from(spans)
}

/// The rows (from the plot's top) where the lines' names go: each beside its
/// line's last value, in the lines' order from the top (p99 above p90 above
/// p50, as their values are), one row each: a name that would share a row
/// goes below the one above it, and names pushed past the bottom push the
/// others up.
fn label_rows(ends: &[Option<f64>], y_max: f64, height: u16) -> Vec<(usize, u16)> {
    let h = i64::from(height.max(1));
    let row_of = |y: f64| (((1.0 - y / y_max.max(f64::MIN_POSITIVE)) * h as f64) as i64).clamp(0, h - 1);
    // The highest line (the last: p99) first.
    let mut placed: Vec<(usize, i64)> =
        ends.iter().enumerate().rev().filter_map(|(k, y)| y.map(|y| (k, row_of(y)))).collect();
    for i in 1..placed.len() {
        placed[i].1 = placed[i].1.max(placed[i - 1].1 + 1);
    }
    let n = placed.len() as i64;
    for (i, slot) in placed.iter_mut().enumerate() {
        slot.1 = slot.1.min(h - (n - i as i64)).max(0);
    }
    placed.into_iter().filter(|(_, r)| *r < h).map(|(k, r)| (k, r as u16)).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_is_named_beside_its_end_and_two_names_never_share_a_row() {
        // p50 and p90 end at the same low value: p50 keeps the bottom row, p90 goes above it.
        assert_eq!(label_rows(&[Some(10.0), Some(10.0), Some(85.0)], 100.0, 10), [(2, 1), (1, 8), (0, 9)]);
        // All three at 0: stacked upwards from the bottom, p99 on top.
        assert_eq!(label_rows(&[Some(0.0), Some(0.0), Some(0.0)], 100.0, 10), [(2, 7), (1, 8), (0, 9)]);
        // In the middle, a shared row pushes the lower name down.
        assert_eq!(label_rows(&[Some(50.0), Some(50.0), Some(90.0)], 100.0, 10), [(2, 0), (1, 5), (0, 6)]);
        // A line with no point is not named; a value at 0 sits on the last row.
        assert_eq!(label_rows(&[Some(0.0), None, None], 100.0, 10), [(0, 9)]);
    }

    #[test]
    fn the_axis_top_is_a_round_number_above_the_highest_value() {
        use crate::tui::screens::editor::chart::axis_top;
        assert_eq!(axis_top(340.0), 500.0);
        assert_eq!(axis_top(100.0), 200.0);
        assert_eq!(axis_top(45.0), 50.0);
        assert_eq!(axis_top(0.0), 1.0);
        assert_eq!(axis_top(2.2), 2.5);
    }
}
