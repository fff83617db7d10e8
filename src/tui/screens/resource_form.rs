//! The form for a TOPIC_FILTER dimension or a custom metric: a name (fixed
//! once it exists), and the topic filters, or the metric's type and display
//! name. The same pure rules as `create-dimension` / `create-custom-metric`
//! judge it as it is typed; Ctrl-S sends it. Opened in place from the
//! metric and dimension pickers, and from the Resources screen.

use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::domain::enums::CustomMetricType;
use crate::domain::{
    Context, CustomMetricRequest, DimensionRequest, Problem, validate_custom_metric, validate_dimension,
};
use crate::tui::keymap::{self, Action, Context as Keys};
use crate::tui::theme::Theme;
use crate::tui::widgets::text::{centered, hanging, safe};
use crate::tui::widgets::text_field::TextField;

/// What the form makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ResourceKind {
    Dimension,
    CustomMetric,
}

impl ResourceKind {
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Dimension => "dimension",
            ResourceKind::CustomMetric => "custom metric",
        }
    }
}

/// The request the form sends.
#[derive(Debug, Clone, PartialEq)]
pub enum ResourceRequest {
    CreateDimension { name: String, values: Vec<String> },
    UpdateDimension { name: String, values: Vec<String> },
    CreateCustomMetric { name: String, metric_type: String, display_name: Option<String> },
    UpdateCustomMetric { name: String, display_name: String },
}

impl ResourceRequest {
    pub fn name(&self) -> &str {
        match self {
            ResourceRequest::CreateDimension { name, .. }
            | ResourceRequest::UpdateDimension { name, .. }
            | ResourceRequest::CreateCustomMetric { name, .. }
            | ResourceRequest::UpdateCustomMetric { name, .. } => name,
        }
    }

    pub fn operation(&self) -> &'static str {
        match self {
            ResourceRequest::CreateDimension { .. } => "CreateDimension",
            ResourceRequest::UpdateDimension { .. } => "UpdateDimension",
            ResourceRequest::CreateCustomMetric { .. } => "CreateCustomMetric",
            ResourceRequest::UpdateCustomMetric { .. } => "UpdateCustomMetric",
        }
    }
}

/// A half-made form, as a draft keeps it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormDraft {
    pub kind: ResourceKind,
    pub existing: bool,
    pub name: String,
    /// Topic filters (comma-separated) or the display name.
    pub text: String,
    pub metric_type: usize,
    /// The editor field it is picked into once made.
    #[serde(default)]
    pub field: Option<crate::tui::screens::editor::rows::FieldId>,
}

/// The custom metric types, in the order the choice cycles them.
const TYPES: [CustomMetricType; 4] = [
    CustomMetricType::Number,
    CustomMetricType::NumberList,
    CustomMetricType::StringList,
    CustomMetricType::IpAddressList,
];

pub struct ResourceForm {
    pub kind: ResourceKind,
    /// Editing one that exists (its name and type are fixed).
    pub existing: bool,
    pub name: TextField,
    /// Topic filters, comma-separated (dimension), or the display name (custom metric).
    pub text: TextField,
    pub metric_type: usize,
    /// 0 name, 1 text, 2 type.
    pub focus: usize,
    pub problems: Vec<Problem>,
    /// The service's answer to the last send, when it refused.
    pub error: Option<String>,
    /// The send on its way.
    pub sending: Option<crate::tui::message::RequestId>,
}

/// What a key in the form asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum FormAnswer {
    Editing,
    Cancel,
    Send(ResourceRequest),
}

impl ResourceForm {
    pub fn new(kind: ResourceKind) -> ResourceForm {
        ResourceForm {
            kind,
            existing: false,
            name: TextField::new("", false),
            text: TextField::new("", false),
            metric_type: 0,
            focus: 0,
            problems: Vec::new(),
            error: None,
            sending: None,
        }
    }

    /// The form for one that exists: a dimension's values, or a custom metric's display name.
    pub fn existing(
        kind: ResourceKind,
        name: &str,
        text: &str,
        metric_type: Option<&CustomMetricType>,
    ) -> ResourceForm {
        let mut f = ResourceForm::new(kind);
        f.existing = true;
        f.name = TextField::new(name, false);
        f.text = TextField::new(text, false);
        f.metric_type = metric_type.and_then(|t| TYPES.iter().position(|x| x == t)).unwrap_or(0);
        f.focus = 1;
        f
    }

    pub fn from_draft(d: &FormDraft) -> ResourceForm {
        let mut f = ResourceForm::new(d.kind);
        f.existing = d.existing;
        f.name = TextField::new(&d.name, false);
        f.text = TextField::new(&d.text, false);
        f.metric_type = d.metric_type.min(TYPES.len() - 1);
        f
    }

    pub fn draft(&self) -> FormDraft {
        FormDraft {
            kind: self.kind,
            existing: self.existing,
            name: self.name.text(),
            text: self.text.text(),
            metric_type: self.metric_type,
            field: None,
        }
    }

    fn values(&self) -> Vec<String> {
        self.text.text().split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
    }

    /// The request as it stands.
    pub fn request(&self) -> ResourceRequest {
        let name = self.name.text();
        match (self.kind, self.existing) {
            (ResourceKind::Dimension, false) => ResourceRequest::CreateDimension { name, values: self.values() },
            (ResourceKind::Dimension, true) => ResourceRequest::UpdateDimension { name, values: self.values() },
            (ResourceKind::CustomMetric, false) => {
                let display = self.text.text();
                ResourceRequest::CreateCustomMetric {
                    name,
                    metric_type: TYPES[self.metric_type].as_str().to_owned(),
                    display_name: (!display.is_empty()).then_some(display),
                }
            }
            (ResourceKind::CustomMetric, true) => {
                ResourceRequest::UpdateCustomMetric { name, display_name: self.text.text() }
            }
        }
    }

    /// Runs the rules `create-dimension` / `create-custom-metric` run.
    pub fn revalidate(&mut self, ctx: &Context) {
        let name = self.name.text();
        self.problems = match self.kind {
            ResourceKind::Dimension => {
                let values = self.values();
                validate_dimension(
                    &DimensionRequest { name: &name, string_values: Some(&values), ..Default::default() },
                    ctx,
                )
            }
            ResourceKind::CustomMetric => {
                let display = self.text.text();
                let metric_type = TYPES[self.metric_type].as_str().to_owned();
                let request = CustomMetricRequest {
                    metric_name: &name,
                    metric_type: (!self.existing).then_some(metric_type.as_str()),
                    display_name: Some(display.as_str()),
                    ..Default::default()
                };
                validate_custom_metric(&request, ctx)
            }
        };
    }

    fn fields(&self) -> usize {
        if self.kind == ResourceKind::CustomMetric { 3 } else { 2 }
    }

    /// The form as a draft: the command's input (`--cli-input-json` for
    /// create-dimension, update-custom-metric, …) and where it was made.
    pub fn as_draft(&self, id: &str, endpoint: &str, now: f64) -> crate::drafts::Draft {
        use crate::drafts::Operation;
        use serde_json::json;
        let (operation, request) = match self.request() {
            ResourceRequest::CreateDimension { name, values } => {
                (Operation::CreateDimension, json!({"name": name, "type": "TOPIC_FILTER", "stringValues": values}))
            }
            ResourceRequest::UpdateDimension { name, values } => {
                (Operation::UpdateDimension, json!({"name": name, "stringValues": values}))
            }
            ResourceRequest::CreateCustomMetric { name, metric_type, display_name } => {
                let mut r = json!({"metricName": name, "metricType": metric_type});
                if let Some(d) = display_name {
                    r["displayName"] = json!(d);
                }
                (Operation::CreateCustomMetric, r)
            }
            ResourceRequest::UpdateCustomMetric { name, display_name } => {
                (Operation::UpdateCustomMetric, json!({"metricName": name, "displayName": display_name}))
            }
        };
        crate::drafts::Draft {
            id: id.to_owned(),
            request,
            meta: crate::drafts::Meta {
                operation,
                endpoint: endpoint.to_owned(),
                name: self.name.text(),
                base_version: None,
                base: None,
                base_tags: Vec::new(),
                tags: None,
                cursor: crate::drafts::Cursor::default(),
                raw: Vec::new(),
                targets: None,
                base_targets: None,
                form: None,
                saved: now,
            },
        }
    }

    /// The form a draft of a dimension or custom metric holds.
    pub fn of_draft(d: &crate::drafts::Draft) -> Option<ResourceForm> {
        use crate::drafts::Operation;
        let r = &d.request;
        let text = |k: &str| r.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let values = || {
            r.get("stringValues")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(", "))
                .unwrap_or_default()
        };
        let (kind, existing, name, body, metric_type) = match d.meta.operation {
            Operation::CreateDimension => (ResourceKind::Dimension, false, text("name"), values(), None),
            Operation::UpdateDimension => (ResourceKind::Dimension, true, text("name"), values(), None),
            Operation::CreateCustomMetric => {
                (ResourceKind::CustomMetric, false, text("metricName"), text("displayName"), Some(text("metricType")))
            }
            Operation::UpdateCustomMetric => {
                (ResourceKind::CustomMetric, true, text("metricName"), text("displayName"), None)
            }
            _ => return None,
        };
        let metric_type = metric_type.and_then(|t| TYPES.iter().position(|x| x.as_str() == t)).unwrap_or(0);
        Some(ResourceForm::from_draft(&FormDraft { kind, existing, name, text: body, metric_type, field: None }))
    }

    /// A key, through the keymap's form context; what it does not bind is typed into the focused field.
    pub fn on_key(&mut self, key: KeyEvent, ctx: &Context, vi: bool) -> FormAnswer {
        let action = keymap::lookup(&[Keys::ResourceForm], vi, &key);
        if self.sending.is_some() {
            return if action == Some(Action::Back) { FormAnswer::Cancel } else { FormAnswer::Editing };
        }
        // Left, Right and Space choose the metric type on its field; elsewhere they are the text field's.
        let on_type = self.focus == 2 && !self.existing;
        match action {
            Some(Action::Back) => return FormAnswer::Cancel,
            Some(Action::Review) => {
                self.revalidate(ctx);
                if self.problems.iter().any(Problem::is_error) {
                    self.error = Some("Fix the problems shown first".to_owned());
                    return FormAnswer::Editing;
                }
                return FormAnswer::Send(self.request());
            }
            Some(Action::ClearField) => {
                match self.focus {
                    0 if !self.existing => self.name.clear(),
                    1 => self.text.clear(),
                    _ => false,
                };
            }
            Some(Action::Up) => self.focus = self.focus.saturating_sub(usize::from(!self.existing || self.focus > 1)),
            Some(Action::Down) => self.focus = (self.focus + 1).min(self.fields() - 1),
            Some(Action::Left) if on_type => self.metric_type = (self.metric_type + TYPES.len() - 1) % TYPES.len(),
            Some(Action::Right) if on_type => self.metric_type = (self.metric_type + 1) % TYPES.len(),
            _ if TextField::wants(&key) => {
                match self.focus {
                    0 if !self.existing => self.name.input(key),
                    1 => self.text.input(key),
                    _ => false,
                };
            }
            _ => {}
        }
        self.error = None;
        self.revalidate(ctx);
        FormAnswer::Editing
    }

    pub fn paste(&mut self, text: &str, ctx: &Context) {
        match self.focus {
            0 if !self.existing => self.name.paste(text),
            1 => self.text.paste(text),
            _ => false,
        };
        self.revalidate(ctx);
    }
}

pub fn render(f: &ResourceForm, frame: &mut Frame, area: Rect, theme: &Theme) {
    let popup = centered(area, area.width.saturating_sub(4).min(90), area.height.saturating_sub(2).min(16));
    crate::tui::widgets::text::clear_around(frame, popup, area);
    let verb = if f.existing { "Edit" } else { "New" };
    let title = format!(" {verb} {} ", f.kind.label());
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, theme.title()));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let field = |i: usize, label: &str, value: String| {
        let style = if f.focus == i { theme.focused() } else { theme.label() };
        let cursor = if f.focus == i { "▏" } else { "" };
        Line::from(vec![Span::styled(format!(" {label:<14}"), style), Span::raw(format!(" {}{cursor}", safe(&value)))])
    };
    let mut lines = vec![field(0, "Name", f.name.text())];
    match f.kind {
        ResourceKind::Dimension => {
            lines.push(field(1, "Topic filters", f.text.text()));
            lines.push(Line::from(Span::styled(
                "   MQTT topic filters, comma-separated: device/+/telemetry, alerts/#",
                theme.dim(),
            )));
        }
        ResourceKind::CustomMetric => {
            lines.push(field(1, "Display name", f.text.text()));
            // UpdateCustomMetric takes only the display name: an existing metric's type is fixed.
            let kind = TYPES[f.metric_type].as_str();
            let shown = if f.existing { format!("{kind} (fixed once created)") } else { format!("‹ {kind} ›") };
            lines.push(field(2, "Type", shown));
        }
    }
    lines.push(Line::from(""));
    for p in &f.problems {
        let mark =
            if p.is_error() { Span::styled(" ✗ ", theme.error()) } else { Span::styled(" ! ", theme.warning()) };
        let style = if p.is_error() { theme.error() } else { theme.warning() };
        lines.extend(hanging(vec![mark], &format!("{}: {}", p.path, safe(&p.message)), inner.width, 3, style));
    }
    if let Some(e) = &f.error {
        lines.extend(hanging(vec![Span::raw(" ")], &safe(e), inner.width, 1, theme.error()));
    }
    let how = if f.sending.is_some() {
        " Sending…".to_owned()
    } else {
        format!(" Ctrl-S {} it · ↑↓ field · Esc cancel", if f.existing { "saves" } else { "creates" })
    };
    lines.push(Line::from(Span::styled(how, theme.key())));
    frame.render_widget(Paragraph::new(lines), inner);
}
