//! `--output table`, laid out by the AWS CLI's rules: one section per object
//! (scalar members as a header row and a value row, sorted by key), nested
//! objects and lists as indented sub-sections, columns scaled to the widest
//! section, and a vertical layout when that would not fit the terminal.

use serde_json::Value;
use unicode_width::UnicodeWidthChar;

use super::output::scalar;

#[derive(Debug, Default)]
struct Section {
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    indent: usize,
    max_widths: Vec<usize>,
}

/// Display width: East Asian wide, full-width and ambiguous characters count 2.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.width_cjk() == Some(2) { 2 } else { 1 }).sum()
}

impl Section {
    fn update_widths(&mut self, row: &[String]) {
        if self.max_widths.is_empty() {
            self.max_widths = row.iter().map(|c| width(c)).collect();
        } else {
            for (i, c) in row.iter().enumerate() {
                if let Some(w) = self.max_widths.get_mut(i) {
                    *w = (*w).max(width(c));
                }
            }
        }
    }

    fn add_header(&mut self, headers: Vec<String>) {
        self.update_widths(&headers);
        self.headers = headers;
    }

    fn add_row(&mut self, row: Vec<String>) {
        self.update_widths(&row);
        self.rows.push(row);
    }

    /// Column widths plus padding, scaled to fill `max_width` (Python's rounding).
    fn column_widths(&self, padding: usize, max_width: Option<usize>) -> Vec<usize> {
        let unscaled: Vec<usize> = self.max_widths.iter().map(|w| w + padding).collect();
        let Some(max_width) = max_width else { return unscaled };
        if unscaled.is_empty() {
            return unscaled;
        }
        let factor = max_width as f64 / unscaled.iter().sum::<usize>() as f64;
        let mut scaled: Vec<i64> = unscaled.iter().map(|&w| (factor * w as f64).round_ties_even() as i64).collect();
        let mut off_by = scaled.iter().sum::<i64>() - max_width as i64;
        while off_by != 0 {
            let order: Vec<usize> =
                if off_by < 0 { (0..scaled.len()).rev().collect() } else { (0..scaled.len()).collect() };
            for i in order {
                if off_by > 0 {
                    scaled[i] -= 1;
                    off_by -= 1;
                } else {
                    scaled[i] += 1;
                    off_by += 1;
                }
                if off_by == 0 {
                    break;
                }
            }
        }
        scaled.into_iter().map(|w| w.max(0) as usize).collect()
    }

    fn total_width(&self) -> usize {
        let columns: usize = self.column_widths(0, None).iter().map(|w| w + 4).sum();
        (width(&self.title) + 2 + 2 * self.indent).max(columns + 2 + 2 * self.indent)
    }
}

struct Builder {
    sections: Vec<Section>,
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::Object(_) | Value::Array(_))
}

/// Python truthiness, which decides whether a value gets a section at all.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

impl Builder {
    fn current(&mut self) -> &mut Section {
        if self.sections.is_empty() {
            self.sections.push(Section::default());
        }
        let last = self.sections.len() - 1;
        &mut self.sections[last]
    }

    fn new_section(&mut self, title: &str, indent: usize) {
        self.sections.push(Section { title: title.to_owned(), indent, ..Section::default() });
    }

    fn build(&mut self, title: Option<&str>, current: &Value, indent: usize) -> bool {
        if !truthy(current) {
            return false;
        }
        if let Some(title) = title {
            self.new_section(title, indent);
        }
        match current {
            Value::Array(items) if items.first().is_some_and(Value::is_object) => {
                self.list_sections(items, indent, title)
            }
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Array(inner) if inner.iter().all(is_scalar) => {
                            self.current().add_row(inner.iter().map(scalar).collect())
                        }
                        v if is_scalar(v) => self.current().add_row(vec![scalar(v)]),
                        other => {
                            self.build(None, other, 0);
                        }
                    }
                }
            }
            Value::Object(_) => self.object_section(current, indent),
            _ => {}
        }
        true
    }

    fn split_keys(map: &serde_json::Map<String, Value>) -> (Vec<String>, Vec<String>) {
        let mut headers: Vec<String> = map.iter().filter(|(_, v)| is_scalar(v)).map(|(k, _)| k.clone()).collect();
        let mut more: Vec<String> = map.iter().filter(|(_, v)| !is_scalar(v)).map(|(k, _)| k.clone()).collect();
        headers.sort();
        more.sort();
        (headers, more)
    }

    fn object_section(&mut self, current: &Value, indent: usize) {
        let Some(map) = current.as_object() else { return };
        let (headers, more) = Self::split_keys(map);
        if headers.len() == 1 {
            let value = scalar(&map[&headers[0]]);
            self.current().add_row(vec![headers[0].clone(), value]);
        } else if !headers.is_empty() {
            let row = headers.iter().map(|h| scalar(&map[h])).collect();
            self.current().add_header(headers);
            self.current().add_row(row);
        }
        for key in more {
            self.build(Some(&key), &map[&key], indent + 1);
        }
    }

    fn list_sections(&mut self, items: &[Value], indent: usize, title: Option<&str>) {
        let mut headers = Vec::new();
        let mut more = Vec::new();
        for map in items.iter().filter_map(Value::as_object) {
            let (h, m) = Self::split_keys(map);
            headers.extend(h);
            more.extend(m);
        }
        headers.sort();
        headers.dedup();
        more.sort();
        more.dedup();
        self.current().add_header(headers.clone());
        for (i, item) in items.iter().enumerate() {
            if i > 0 && !more.is_empty() {
                self.new_section(title.unwrap_or_default(), indent);
                self.current().add_header(headers.clone());
            }
            let row = headers.iter().map(|h| item.get(h).map_or_else(String::new, scalar)).collect();
            self.current().add_row(row);
            for key in &more {
                if let Some(v) = item.get(key) {
                    self.build(Some(key), v, indent + 1);
                }
            }
        }
    }
}

fn center(text: &str, length: usize, left: &str, right: &str) -> String {
    let text_len = width(text) as i64;
    let char_start = (length as i64) / 2 - text_len / 2 - 1;
    let so_far = left.len() as i64 + char_start + text_len;
    let right_spaces = length as i64 - right.len() as i64 - so_far;
    format!("{left}{}{text}{}{right}", " ".repeat(char_start.max(0) as usize), " ".repeat(right_spaces.max(0) as usize))
}

fn align_left(text: &str, styled: &str, length: usize, left: &str, right: &str) -> String {
    let text_len = width(text);
    let padding = if length >= text_len + 2 + left.len() + right.len() { 2 } else { 0 };
    let so_far = left.len() + padding + text_len;
    let fill = length.saturating_sub(so_far + right.len());
    format!("{left}{}{styled}{}{right}", " ".repeat(padding), " ".repeat(fill))
}

fn line_break(widths: &[usize]) -> String {
    let mut out = String::new();
    for (i, w) in widths.iter().enumerate() {
        if i == 0 {
            out.push_str(&format!("+{}+", "-".repeat(w.saturating_sub(2))));
        } else {
            out.push_str(&format!("{}+", "-".repeat(w.saturating_sub(1))));
        }
    }
    out
}

/// The value as the AWS CLI's table under `title` (the operation name).
pub fn render(title: &str, value: &Value, terminal_width: usize, color: bool) -> String {
    let mut builder = Builder { sections: Vec::new() };
    if !builder.build(Some(title), value, 0) {
        return String::new();
    }
    let mut sections = builder.sections;
    let mut max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    if max_width > terminal_width {
        for s in sections.iter_mut() {
            if s.rows.len() == 1 && !s.headers.is_empty() {
                let mut vertical =
                    Section { title: std::mem::take(&mut s.title), indent: s.indent, ..Section::default() };
                for (h, e) in s.headers.iter().zip(&s.rows[0]) {
                    vertical.add_row(vec![h.clone(), e.clone()]);
                }
                *s = vertical;
            }
        }
        max_width = sections.iter().map(Section::total_width).max().unwrap_or(0);
    }
    let (bar, row_on, off) =
        if color { ("\u{1b}[2m\u{1b}[33m|\u{1b}[0m", "\u{1b}[1m\u{1b}[34m", "\u{1b}[0m") } else { ("|", "", "") };
    let mut out = format!("{}\n", "-".repeat(max_width));
    for s in &sections {
        let edge = bar.repeat(s.indent);
        let mut line = |text: String| out.push_str(&format!("{edge}{text}{edge}\n"));
        let inner = max_width - s.indent * 2;
        if !s.title.is_empty() {
            line(center(&s.title, inner, "|", "|"));
            if s.headers.is_empty() && s.rows.is_empty() {
                line(format!("+{}+", "-".repeat(inner.saturating_sub(2))));
            }
        }
        if !s.headers.is_empty() {
            let widths = s.column_widths(4, Some(inner));
            let mut current = String::new();
            for (i, (w, h)) in widths.iter().zip(&s.headers).enumerate() {
                current.push_str(&center(h, *w, if i == 0 { "|" } else { "" }, "|"));
            }
            line(line_break(&widths));
            line(current);
        }
        if !s.rows.is_empty() {
            let widths = s.column_widths(4, Some(inner));
            if widths.is_empty() {
                continue;
            }
            line(line_break(&widths));
            for row in &s.rows {
                let mut current = String::new();
                for (i, (w, e)) in widths.iter().zip(row).enumerate() {
                    let styled = format!("{row_on}{e}{off}");
                    current.push_str(&align_left(e, &styled, *w, if i == 0 { "|" } else { "" }, "|"));
                }
                line(current);
            }
            line(line_break(&widths));
        }
    }
    out
}
