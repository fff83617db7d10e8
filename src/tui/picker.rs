//! The searchable picker for metrics and dimensions: a query typed as a
//! filter over items, each with a detail line (type, unit, description).

use super::form::{FieldId, Known, PickKind};
use crate::domain::metrics::BUILTIN_METRICS;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub value: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picker {
    pub kind: PickKind,
    pub target: FieldId,
    pub query: String,
    pub selected: usize,
    pub items: Vec<Item>,
}

impl Picker {
    pub fn new(kind: PickKind, target: FieldId, known: &Known, current: &str) -> Picker {
        let items = match kind {
            PickKind::Metric => BUILTIN_METRICS
                .iter()
                .map(|m| Item {
                    value: m.name.to_owned(),
                    detail: format!(
                        "{} · {}{} · {}",
                        m.data_type.label(),
                        if m.unit.is_empty() { "-" } else { m.unit },
                        match m.side {
                            crate::domain::metrics::Side::Cloud => " · cloud",
                            crate::domain::metrics::Side::Device => " · device",
                        },
                        m.description
                    ),
                })
                .chain(
                    known
                        .custom_metrics
                        .iter()
                        .map(|m| Item { value: m.name.clone(), detail: format!("{} · custom metric", m.metric_type) }),
                )
                .collect(),
            PickKind::Dimension => std::iter::once(Item { value: String::new(), detail: "(none) no dimension".into() })
                .chain(
                    known.dimensions.iter().map(|d| Item { value: d.clone(), detail: "TOPIC_FILTER dimension".into() }),
                )
                .collect(),
        };
        let mut picker = Picker { kind, target, query: String::new(), selected: 0, items };
        picker.selected = picker.visible().iter().position(|i| i.value == current).unwrap_or(0);
        picker
    }

    /// The items matching the query (every word, anywhere in name or detail),
    /// names that are the query, then names that start with it, first.
    pub fn visible(&self) -> Vec<&Item> {
        let query = self.query.trim().to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        let mut hits: Vec<&Item> = self
            .items
            .iter()
            .filter(|i| {
                let hay = format!("{} {}", i.value, i.detail).to_lowercase();
                words.iter().all(|w| hay.contains(w))
            })
            .collect();
        let rank = |i: &Item| {
            let name = i.value.to_lowercase();
            let bare = name.strip_prefix("aws:").unwrap_or(&name);
            if query.is_empty() {
                2
            } else if name == query || bare == query {
                0
            } else if bare.starts_with(&query) {
                1
            } else {
                2
            }
        };
        hits.sort_by_key(|i| rank(i));
        hits
    }

    pub fn choice(&self) -> Option<String> {
        self.visible().get(self.selected).map(|i| i.value.clone())
    }

    pub fn move_by(&mut self, step: i64) {
        let n = self.visible().len() as i64;
        if n > 0 {
            self.selected = (self.selected as i64 + step).clamp(0, n - 1) as usize;
        }
    }

    pub fn type_char(&mut self, c: char) {
        self.query.push(c);
        self.selected = 0;
    }

    pub fn backspace(&mut self) {
        self.query.pop();
        self.selected = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_by_every_word() {
        let mut p = Picker::new(PickKind::Metric, FieldId::BMetric, &Known::default(), "");
        assert_eq!(p.visible().len(), 18);
        for c in "tcp ports".chars() {
            p.type_char(c);
        }
        let names: Vec<_> = p.visible().iter().map(|i| i.value.clone()).collect();
        assert_eq!(names, ["aws:num-listening-tcp-ports", "aws:listening-tcp-ports"]);
        p.move_by(5);
        assert_eq!(p.choice().as_deref(), Some("aws:listening-tcp-ports"));
    }
}
