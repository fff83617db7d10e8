//! What the readings of an open violations view changed since it opened.

use std::collections::BTreeSet;

/// The violations that came and went while the view was open: a row that
/// arrived after the first reading is marked `+`, and the head counts those
/// and the ones that ended, so a device's report is seen as it lands.
#[derive(Debug, Default)]
pub struct SinceOpened {
    /// The ids of the last reading that arrived (None before the first).
    last: Option<BTreeSet<String>>,
    /// Ids that arrived after the first reading and are still active.
    pub arrived: BTreeSet<String>,
    /// How many violations listed by an earlier reading are gone.
    pub ended: usize,
}

impl SinceOpened {
    /// A reading's ids arrived: counts what is new and what has gone.
    pub fn read(&mut self, ids: BTreeSet<String>) {
        if let Some(last) = &self.last {
            self.ended += last.difference(&ids).count();
            self.arrived.extend(ids.difference(last).cloned());
        }
        self.arrived.retain(|id| ids.contains(id));
        self.last = Some(ids);
    }

    /// What the readings since the view opened changed, for its head:
    /// " · 1 new (+) · 2 ended", or nothing.
    pub fn said(&self) -> String {
        let mut text = String::new();
        if !self.arrived.is_empty() {
            text += &format!(" · {} new (+)", self.arrived.len());
        }
        if self.ended > 0 {
            text += &format!(" · {} ended", self.ended);
        }
        text
    }
}
