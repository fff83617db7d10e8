//! Rendering: a pure function of `App`. Untrusted text (names, descriptions,
//! tags, ARNs, messages from the service) goes through `domain::untrusted`
//! before it reaches a widget.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, DraftState, Editor, Load, Screen};
use super::form::{Kind, Row, Section};
use super::theme::Theme;
use crate::domain::Severity;
use crate::domain::untrusted::neutralise;

pub(super) fn safe(text: &str) -> String {
    neutralise(text).into_owned()
}

pub fn render(app: &App, frame: &mut Frame) {
    let theme = Theme { color: app.color };
    let area = frame.area();
    let [title, body, hints, status] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1), Constraint::Length(1)])
            .areas(area);
    let heading = match (&app.screen, &app.editor) {
        (Screen::Confirm, Some(ed)) => format!(" ddsp · review {}", safe(&ed.profile.security_profile_name)),
        (Screen::Result, Some(ed)) => format!(" ddsp · {} saved", safe(&ed.profile.security_profile_name)),
        (Screen::Conflict, Some(ed)) => {
            format!(" ddsp · {} changed on the server", safe(&ed.profile.security_profile_name))
        }
        (Screen::Editor, Some(ed)) if ed.base.is_some() => {
            format!(" ddsp · {}", safe(&ed.profile.security_profile_name))
        }
        (Screen::Editor, _) => " ddsp · new security profile".to_owned(),
        (Screen::Drafts, _) => " ddsp · unsent drafts".to_owned(),
        (Screen::Wizard, _) => " ddsp · setup".to_owned(),
        _ => " ddsp · security profiles".to_owned(),
    };
    frame.render_widget(Paragraph::new(Line::from(Span::styled(heading, theme.title()))), title);
    match app.screen {
        Screen::Home => render_home(app, frame, body, &theme),
        Screen::Drafts => super::view_start::render_drafts(app, frame, body, &theme),
        Screen::Wizard => {
            if let Some(w) = &app.wizard {
                super::view_start::render_wizard(w, frame, body, &theme);
            }
        }
        Screen::Editor => {
            if let Some(ed) = &app.editor {
                render_editor(app, ed, frame, body, &theme);
            }
        }
        Screen::Confirm => {
            if let Some(c) = &app.confirm {
                render_confirm(c, frame, body, &theme);
            }
        }
        Screen::Result => {
            if let Some(o) = &app.outcome {
                render_result(o, &app.tz, frame, body, &theme);
            }
        }
        Screen::Conflict => {
            if let Some(c) = &app.conflict {
                render_conflict(c, app, frame, body, &theme);
            }
        }
    }
    frame.render_widget(Paragraph::new(hint_line(app, &theme)), hints);
    frame.render_widget(Paragraph::new(status_line(app, &theme)), status);
    if let Some(d) = &app.delete {
        render_delete(d, frame, area, &theme);
    }
    if let Some(q) = &app.quit_prompt {
        super::quit_prompt::render(q, frame, area, &theme);
    }
    if app.help {
        render_help(app, frame, area, &theme);
    }
}

fn render_confirm(c: &super::app::Confirm, frame: &mut Frame, area: Rect, theme: &Theme) {
    let (verb, name, version, flags) = match &c.submit {
        super::action::Submit::Create(p) => {
            ("CreateSecurityProfile", p.security_profile_name.clone(), None, Vec::new())
        }
        super::action::Submit::Update { update, .. } => (
            "UpdateSecurityProfile",
            update.security_profile_name.clone(),
            update.expected_version,
            delete_flags(update),
        ),
    };
    let mut header = vec![
        Span::styled(format!(" {verb} "), theme.title()),
        Span::raw(safe(&name)),
        Span::styled(version.map_or_else(String::new, |v| format!("  expectedVersion {v}")), theme.warning()),
    ];
    for flag in flags {
        header.push(Span::styled(format!("  {flag}"), theme.error()));
    }
    let mut lines = vec![Line::from(header)];
    if let Some(e) = &c.error {
        // The AWS CLI's wording marks an answer from the service; anything else never got one.
        let what = if e.starts_with("An error occurred (") {
            "The service refused it"
        } else {
            "The request did not get through"
        };
        // Wrapped by hand: the JSON below scrolls line by line and must not wrap.
        let width = usize::from(area.width.saturating_sub(2)).max(20);
        for chunk in wrap_chars(&format!("{what}: {}", safe(e)), width) {
            lines.push(Line::from(Span::styled(format!(" {chunk}"), theme.error())));
        }
        lines.push(Line::from(Span::styled(
            " Your edits are kept: Esc returns to them, Enter tries again.",
            theme.dim(),
        )));
    }
    if version.is_some() {
        lines.push(Line::from(Span::styled(" Changes against the server's version:", theme.label())));
        if c.changes.is_empty() {
            lines.push(Line::from(Span::styled("   (none: the update sends the profile as it is)", theme.dim())));
        }
        for change in &c.changes {
            let style = match change.chars().next() {
                Some('+') => theme.ok(),
                Some('-') => theme.error(),
                _ => theme.warning(),
            };
            lines.push(Line::from(Span::styled(format!("   {}", safe(change)), style)));
        }
    }
    lines.push(Line::from(Span::styled(" The request, as --cli-input-json:", theme.label())));
    for l in c.json.lines() {
        lines.push(json_line(l, theme));
    }
    frame.render_widget(Paragraph::new(lines).scroll((c.scroll, 0)), area);
}

/// Cuts text into pieces of at most `width` characters, at spaces where it can.
pub(super) fn wrap_chars(text: &str, width: usize) -> Vec<String> {
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
    if !line.is_empty() {
        out.push(line);
    }
    out
}

/// The delete-* flags an update sends: what clearing a section produces.
fn delete_flags(update: &crate::domain::profile::ProfileUpdate) -> Vec<&'static str> {
    [
        ("deleteBehaviors", update.delete_behaviors),
        ("deleteAlertTargets", update.delete_alert_targets),
        ("deleteAdditionalMetricsToRetain", update.delete_additional_metrics_to_retain),
        ("deleteMetricsExportConfig", update.delete_metrics_export_config),
    ]
    .into_iter()
    .filter(|(_, on)| *on == Some(true))
    .map(|(name, _)| name)
    .collect()
}

/// A line of pretty JSON with keys, strings and literals coloured.
fn json_line(line: &str, theme: &Theme) -> Line<'static> {
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

/// `2026-11-18 11:06:40.250 UTC`.
pub(super) fn utc(epoch: Option<f64>) -> String {
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
fn local(epoch: Option<f64>, tz: &jiff::tz::TimeZone) -> String {
    let Some(ts) = epoch.and_then(|e| jiff::Timestamp::from_millisecond((e * 1000.0).round() as i64).ok()) else {
        return String::new();
    };
    let zoned = ts.to_zoned(tz.clone());
    let name = tz.iana_name().map_or_else(String::new, |n| format!(" ({n})"));
    format!("{} local time{name}", zoned.strftime("%Y-%m-%d %H:%M:%S %:z"))
}

fn render_conflict(c: &super::app::Conflict, app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let opened = app.editor.as_ref().and_then(|e| e.base.as_ref()).and_then(|b| b.version);
    let v = |x: Option<i64>| x.map_or_else(|| "?".to_owned(), |v| v.to_string());
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                " The profile changed on the server: you opened version {}, it is now version {}.",
                v(opened),
                v(c.server.version)
            ),
            theme.warning(),
        )),
        Line::from(Span::styled(" Changed on the server:", theme.label())),
    ];
    for l in &c.theirs {
        lines.push(Line::from(format!("   {}", safe(l))));
    }
    lines.push(Line::from(Span::styled(" Your changes:", theme.label())));
    for l in &c.mine {
        lines.push(Line::from(format!("   {}", safe(l))));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled(" r", theme.key()),
        Span::raw(" reapply your changes on the new version (both kept; clashes listed)"),
    ]));
    lines.push(Line::from(vec![
        Span::styled(" o", theme.key()),
        Span::raw(" overwrite: send your version, expecting the new one"),
    ]));
    lines.push(Line::from(vec![Span::styled(" Esc", theme.key()), Span::raw(" back to your edits; nothing is lost")]));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn render_result(o: &super::app::Outcome, tz: &jiff::tz::TimeZone, frame: &mut Frame, area: Rect, theme: &Theme) {
    let row = |label: &str, value: String| {
        Line::from(vec![Span::styled(format!(" {label:<15}"), theme.label()), Span::raw(value)])
    };
    let lines = vec![
        Line::from(Span::styled(format!(" ✓ {} is saved", safe(&o.name)), theme.ok())),
        Line::from(""),
        row("ARN", safe(&o.arn)),
        row("Version", o.version.map_or_else(|| "-".to_owned(), |v| v.to_string())),
        row("Created", utc(o.created)),
        row("", local(o.created, tz)),
        row("Last modified", utc(o.modified)),
        row("", local(o.modified, tz)),
        Line::from(""),
        Line::from(Span::styled(" Enter: back to the profile · Esc: home · Ctrl-N: a new profile", theme.dim())),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn render_delete(d: &super::app::DeletePrompt, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, 64.min(area.width), 7);
    frame.render_widget(Clear, popup);
    let ready = d.typed == d.name;
    let lines = vec![
        Line::from(Span::raw(format!(
            " Delete {}{}?",
            safe(&d.name),
            d.version.map_or_else(String::new, |v| format!(" (version {v})"))
        ))),
        Line::from(Span::styled(" This cannot be undone. Type the profile's name:", theme.dim())),
        Line::from(vec![
            Span::raw(" > "),
            Span::styled(safe(&d.typed), if ready { theme.error() } else { Style::default() }),
        ]),
        Line::from(Span::styled(if ready { " Enter deletes · Esc cancels" } else { " Esc cancels" }, theme.key())),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::default().borders(Borders::ALL).title(Span::styled(" Delete ", theme.error()))),
        popup,
    );
}

fn hint_line(app: &App, theme: &Theme) -> Line<'static> {
    if app.delete.is_some() {
        return Line::from(vec![
            Span::styled(" type", theme.key()),
            Span::raw(" the name  "),
            Span::styled("Enter", theme.key()),
            Span::raw(" delete  "),
            Span::styled("Esc", theme.key()),
            Span::raw(" cancel"),
        ]);
    }
    let pairs: Vec<(&str, &str)> = match app.screen {
        Screen::Confirm if app.busy.is_some() => {
            vec![("Esc", "back to edit"), ("w", "write to a file"), ("↑↓ PgUp PgDn", "scroll")]
        }
        Screen::Confirm => {
            vec![("Enter", "submit"), ("Esc", "back to edit"), ("w", "write to a file"), ("↑↓ PgUp PgDn", "scroll")]
        }
        Screen::Result => vec![("Enter", "profile"), ("Esc", "home"), ("^N", "new profile"), ("^C", "quit")],
        Screen::Conflict => vec![("r", "reapply"), ("o", "overwrite"), ("Esc", "keep editing")],
        Screen::Drafts => {
            vec![("Enter", "restore"), ("d", "discard"), ("o", "as a file"), ("Esc", "later"), ("^C", "quit")]
        }
        Screen::Wizard => super::view_start::wizard_hints(app.wizard.as_ref()),
        Screen::Home => vec![
            ("type", "filter"),
            ("Enter", "open"),
            ("^N", "new"),
            ("^R", "refresh"),
            ("F1", "help"),
            ("^C", "quit"),
        ],
        Screen::Editor => match &app.editor {
            Some(ed) if ed.picker.is_some() => {
                vec![("type", "search"), ("↑↓", "choose"), ("Enter", "pick"), ("Esc", "cancel")]
            }
            Some(ed) if ed.pane.focused => vec![("↑↓", "problem"), ("Enter", "go to field"), ("Esc", "back")],
            Some(ed) if ed.open.is_some() => vec![
                ("↑↓", "field"),
                ("←→", "choose"),
                ("Esc", "back"),
                ("F2", "problems"),
                ("^S", "save"),
                ("F1", "help"),
            ],
            _ => vec![
                ("↑↓", "field"),
                ("^N/^P", "section"),
                ("^A", "add"),
                ("^D", "delete"),
                ("F2", "problems"),
                ("^S", "save"),
                ("Esc", "home"),
            ],
        },
    };
    let mut spans = Vec::new();
    for (k, what) in pairs {
        spans.push(Span::styled(format!(" {k}"), theme.key()));
        spans.push(Span::raw(format!(" {what} ")));
    }
    Line::from(spans)
}

/// What is happening first (it must be read), then the version, the draft
/// and the endpoint, which a narrow terminal may cut.
fn status_line(app: &App, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    if let Some(busy) = &app.busy {
        spans.push(Span::styled(format!(" {busy} ·"), theme.warning()));
    } else if !app.message.is_empty() {
        spans.push(Span::raw(format!(" {} ·", safe(&app.message))));
    }
    if let Some(ed) = &app.editor
        && app.screen == Screen::Editor
    {
        if let Some(v) = ed.base.as_ref().and_then(|b| b.version) {
            spans.push(Span::styled(format!(" version {v} ·"), theme.dim()));
        }
        match &app.draft_state {
            DraftState::None => {}
            DraftState::Saving => spans.push(Span::styled(" saving draft ·".to_owned(), theme.dim())),
            DraftState::Saved => spans.push(Span::styled(" draft saved ·".to_owned(), theme.dim())),
            DraftState::Failed(e) => {
                spans.push(Span::styled(format!(" draft NOT saved: {} ·", safe(e)), theme.error()))
            }
        }
    }
    spans.push(Span::styled(format!(" {}", safe(&app.endpoint)), theme.dim()));
    Line::from(spans)
}

pub(super) fn date(epoch: f64) -> String {
    let iso = crate::wire::time::iso8601(epoch.floor());
    iso.get(..16).unwrap_or(&iso).replace('T', " ")
}

fn render_home(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [filter, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let prompt = if app.home.filter.is_empty() {
        Span::styled(" Filter: type to narrow the list", theme.dim())
    } else {
        Span::raw(format!(" Filter: {}", safe(&app.home.filter)))
    };
    frame.render_widget(Paragraph::new(Line::from(prompt)), filter);
    let block = Block::default().borders(Borders::TOP).title(" Profiles ");
    let inner = block.inner(list);
    frame.render_widget(block, list);
    let visible = app.home.visible();
    let lines: Vec<Line> = match &app.home.load {
        Load::Loading => vec![Line::from(Span::styled(" Loading security profiles…", theme.dim()))],
        Load::Failed(e) => vec![
            Line::from(Span::styled(" Could not list the security profiles:", theme.error())),
            Line::from(format!(" {}", safe(e))),
            Line::from(Span::styled(" ^R tries again; ^N starts a new profile offline.", theme.dim())),
        ],
        Load::Ready if app.home.rows.is_empty() => vec![
            Line::from(" No security profiles on this endpoint yet."),
            Line::from(Span::styled(" Press ^N to write your first one.", theme.ok())),
        ],
        Load::Ready if visible.is_empty() => {
            vec![Line::from(Span::styled(" No profile matches the filter (Esc clears it).", theme.dim()))]
        }
        Load::Ready => {
            let width = inner.width as usize;
            let name_w = width.saturating_sub(34).max(12);
            let mut lines = vec![Line::from(Span::styled(
                format!(" {:<name_w$} {:>9}  {}", "NAME", "BEHAVIORS", "LAST MODIFIED (UTC)"),
                theme.dim(),
            ))];
            let height = inner.height.saturating_sub(1) as usize;
            let start = app.home.selected.saturating_sub(height.saturating_sub(1));
            for (i, row) in visible.iter().enumerate().skip(start).take(height) {
                let behaviors = row.behaviors.map_or_else(|| "…".to_owned(), |b| b.to_string());
                let modified = row.modified.map_or_else(|| "…".to_owned(), date);
                let mut name = safe(&row.name);
                if name.chars().count() > name_w {
                    name = name.chars().take(name_w.saturating_sub(1)).collect::<String>() + "…";
                }
                let text = format!(" {name:<name_w$} {behaviors:>9}  {modified}");
                let style = if i == app.home.selected { theme.focused() } else { Style::default() };
                lines.push(Line::from(Span::styled(text, style)));
            }
            lines
        }
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Rows of problems: how many lines the pane takes.
fn pane_height(ed: &Editor, area: Rect) -> u16 {
    if ed.problems.is_empty() {
        return 1;
    }
    if ed.pane.focused {
        return (ed.problems.len() as u16 + 2).min(area.height / 2).max(3);
    }
    if area.height < 30 { 1 } else { (ed.problems.len() as u16 + 2).min(8) }
}

fn render_editor(app: &App, ed: &Editor, frame: &mut Frame, area: Rect, theme: &Theme) {
    let [main, pane] = Layout::vertical([Constraint::Min(3), Constraint::Length(pane_height(ed, area))]).areas(area);
    let nav_width = if main.width >= 100 { 24 } else { 18 };
    let [nav, form] = Layout::horizontal([Constraint::Length(nav_width), Constraint::Min(20)]).areas(main);
    render_sections(ed, frame, nav, theme);
    render_form(app, ed, frame, form, theme);
    render_pane(ed, frame, pane, theme);
    if let Some(picker) = &ed.picker {
        render_picker(picker, frame, area, theme);
    }
}

fn section_problems(ed: &Editor, section: Section) -> (usize, usize) {
    let key = |s: Section| match s {
        Section::Overview => &["securityProfileName", "securityProfileDescription", "tags"][..],
        Section::Behaviors => &["behaviors"][..],
        Section::AlertTargets => &["alertTargets"][..],
        Section::Retained => &["additionalMetricsToRetain", "additionalMetricsToRetainV2"][..],
        Section::Export => &["metricsExportConfig"][..],
    };
    let mut counts = (0, 0);
    for p in &ed.problems {
        if let Some(crate::domain::path::Segment::Key(first)) = p.path.segments().first()
            && key(section).contains(first)
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

fn render_sections(ed: &Editor, frame: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = Vec::new();
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
    let block = Block::default().borders(Borders::RIGHT);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The row a problem belongs to: the one whose path is the longest prefix of the problem's.
pub fn owner<'r>(rows: &'r [Row], path: &crate::domain::FieldPath) -> Option<&'r Row> {
    rows.iter().filter(|r| path.starts_with(&r.path)).max_by_key(|r| r.path.segments().len())
}

fn row_mark(ed: &Editor, rows: &[Row], row: &Row, theme: &Theme) -> Span<'static> {
    let hit =
        ed.problems.iter().filter(|p| owner(rows, &p.path).is_some_and(|o| o.id == row.id)).map(|p| p.severity).min();
    match hit {
        Some(Severity::Error) => Span::styled("✗ ", theme.error()),
        Some(Severity::Warning) => Span::styled("! ", theme.warning()),
        None => Span::raw("  "),
    }
}

fn render_form(app: &App, ed: &Editor, frame: &mut Frame, area: Rect, theme: &Theme) {
    let rows = app.rows();
    let title = match ed.open {
        Some(i) => format!(" Behavior {} · Esc returns to the list ", i + 1),
        None => format!(" {} ", ed.section.title()),
    };
    let block = Block::default().borders(Borders::NONE).title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [list, help] = Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(inner);
    if rows.is_empty() {
        let empty = match ed.section {
            Section::Behaviors => {
                "No behaviors yet. Press a (or ^A) to add one: a metric and the criteria devices must meet."
            }
            Section::Retained => "No retained metrics. ^A adds one: its data is kept even when no behavior uses it.",
            _ => "Nothing here yet; ^A adds an entry.",
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {empty}"), theme.dim())).wrap(Wrap { trim: true }),
            list,
        );
        return;
    }
    let label_w = rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(8).min(24) + 1;
    let height = list.height as usize;
    let start = ed.focus.saturating_sub(height.saturating_sub(1));
    for (n, (i, row)) in rows.iter().enumerate().skip(start).take(height).enumerate() {
        let y = list.y + n as u16;
        let line_area = Rect { x: list.x, y, width: list.width, height: 1 };
        let focused = i == ed.focus && ed.picker.is_none() && !ed.pane.focused;
        let label_style = if focused { theme.focused() } else { theme.label() };
        let label = Span::styled(format!("{:<label_w$}", row.label), label_style);
        let value_x = list.x + 2 + label_w as u16 + 1;
        let value_area =
            Rect { x: value_x.min(list.right()), y, width: list.right().saturating_sub(value_x), height: 1 };
        frame.render_widget(Paragraph::new(Line::from(vec![row_mark(ed, &rows, row, theme), label])), line_area);
        if focused && row.kind == Kind::Text {
            if let Some(input) = &ed.input {
                frame.render_widget(input, value_area);
            }
            continue;
        }
        let value = match &row.kind {
            Kind::Choice(_) => format!("‹ {} ›", safe(&row.value)),
            Kind::Pick(_) => {
                format!("{} ▾", if row.value.is_empty() { "(choose)".to_owned() } else { safe(&row.value) })
            }
            Kind::Entry => safe(&row.value),
            _ => safe(&row.value),
        };
        frame.render_widget(Paragraph::new(value), value_area);
    }
    if let Some(row) = rows.get(ed.focus) {
        let first = ed.problems.iter().find(|p| owner(&rows, &p.path).is_some_and(|o| o.id == row.id));
        let text = match first {
            Some(p) => Line::from(Span::styled(
                format!(" {}", safe(&p.message)),
                if p.is_error() { theme.error() } else { theme.warning() },
            )),
            None => Line::from(Span::styled(format!(" {}", row.help), theme.dim())),
        };
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), help);
    }
}

fn render_pane(ed: &Editor, frame: &mut Frame, area: Rect, theme: &Theme) {
    let errors = ed.problems.iter().filter(|p| p.is_error()).count();
    let warnings = ed.problems.len() - errors;
    if ed.problems.is_empty() {
        frame.render_widget(Paragraph::new(Span::styled(" ✓ No problems: ready to save (^S)", theme.ok())), area);
        return;
    }
    let summary = format!(
        " {errors} error{}, {warnings} warning{}",
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    );
    if area.height <= 1 {
        let first = &ed.problems[0];
        let line = Line::from(vec![
            Span::styled(summary, if errors > 0 { theme.error() } else { theme.warning() }),
            Span::raw(format!(" · {}: {} ", first.path, safe(&first.message))),
            Span::styled("(F2)", theme.key()),
        ]);
        frame.render_widget(Paragraph::new(line), area);
        return;
    }
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(format!("{summary} · F2 ",), if errors > 0 { theme.error() } else { theme.warning() }));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = inner.height as usize;
    let start = ed.pane.selected.saturating_sub(height.saturating_sub(1));
    let lines: Vec<Line> = ed
        .problems
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, p)| {
            let mark =
                if p.is_error() { Span::styled("✗ ", theme.error()) } else { Span::styled("! ", theme.warning()) };
            let text = format!("{}: {}", p.path, safe(&p.message));
            let style = if ed.pane.focused && i == ed.pane.selected { theme.focused() } else { Style::default() };
            Line::from(vec![mark, Span::styled(text, style)])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

pub(super) fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

fn render_picker(picker: &super::picker::Picker, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, area.width.saturating_sub(4).min(110), area.height.saturating_sub(2).min(24));
    frame.render_widget(Clear, popup);
    let title = match picker.kind {
        super::form::PickKind::Metric => " Metric ",
        super::form::PickKind::Dimension => " Dimension ",
    };
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [query, list] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled("Search: ", theme.label()), Span::raw(safe(&picker.query))])),
        query,
    );
    let visible = picker.visible();
    let height = list.height as usize / 2;
    let start = picker.selected.saturating_sub(height.saturating_sub(1));
    let mut lines = Vec::new();
    if visible.is_empty() {
        lines.push(Line::from(Span::styled("Nothing matches; Backspace widens the search.", theme.dim())));
    }
    for (i, item) in visible.iter().enumerate().skip(start).take(height.max(1)) {
        let style = if i == picker.selected { theme.focused() } else { Style::default() };
        let name = if item.value.is_empty() { "(none)".to_owned() } else { safe(&item.value) };
        lines.push(Line::from(Span::styled(name, style)));
        lines.push(Line::from(Span::styled(format!("  {}", safe(&item.detail)), theme.dim())));
    }
    frame.render_widget(Paragraph::new(lines), list);
}

fn render_help(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let keys: &[(&str, &str)] = match app.screen {
        Screen::Confirm => &[
            ("Enter / Ctrl-S", "send the request shown"),
            ("Esc", "back to the editor; nothing is sent"),
            ("w", "write the request to NAME.create.json / NAME.update.json"),
            ("↑ ↓ PgUp PgDn Home", "scroll"),
        ],
        Screen::Result => &[("Enter", "back to the profile"), ("Esc / h", "home"), ("Ctrl-N", "a new profile")],
        Screen::Drafts => &[
            ("Enter / r", "restore the draft in the editor, where it was left"),
            ("d / Delete", "discard the draft"),
            ("o", "show its file (works with --cli-input-json)"),
            ("Esc", "go on to the profiles; drafts are kept"),
        ],
        Screen::Wizard => &[
            ("↑ ↓", "choose"),
            ("typing", "the region (AWS) or the name"),
            ("Enter", "next step"),
            ("Esc", "back a step"),
            ("Ctrl-C", "quit"),
        ],
        Screen::Conflict => &[
            ("r", "reapply your changes on the server's new version"),
            ("o", "overwrite: resend yours with the new expectedVersion"),
            ("Esc", "back to the editor with your edits"),
        ],
        Screen::Home => &[
            ("letters (/ with keymap vi)", "filter the list"),
            ("↑ ↓ PgUp PgDn", "move"),
            ("Enter", "open the profile"),
            ("Ctrl-N", "new profile"),
            ("Ctrl-R", "refresh"),
            ("Esc", "clear the filter"),
            ("Delete", "delete the profile (asks for its name)"),
            ("Ctrl-C / Ctrl-Q", "quit"),
        ],
        Screen::Editor => &[
            ("↑ ↓ Tab", "move between fields"),
            ("typing", "edits the focused text field"),
            ("← → Space", "change a choice; Space toggles"),
            ("Enter", "open a picker or a behavior"),
            ("Ctrl-N / Ctrl-P, PgDn / PgUp", "next / previous section"),
            ("Ctrl-A / Ctrl-D", "add / delete a list entry"),
            ("a c d  K J", "on behaviors: add, duplicate, delete, move"),
            ("F2", "problems: ↑↓ choose, Enter jumps to the field"),
            ("Ctrl-S", "review the request, then submit"),
            ("Ctrl-X", "delete the profile (asks for its name)"),
            ("Esc", "back (behavior → list → home)"),
        ],
    };
    let popup = centered(area, 64, keys.len() as u16 + 4);
    frame.render_widget(Clear, popup);
    let mut lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| Line::from(vec![Span::styled(format!(" {k:<30}"), theme.key()), Span::raw(*what)]))
        .collect();
    lines.push(Line::from(Span::styled(" any key closes this help", theme.dim())));
    frame.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" Keys ")), popup);
}
