//! What the readings of an open violations view changed since it opened.

use std::collections::BTreeSet;

/// The violations that came and went while the view was open: a row that
/// arrived after the first reading is marked `+` while it lasts, and the
/// head counts every arrival and every end, so the first reading's count,
/// plus those arrived, less those ended, is the count active now.
#[derive(Debug, Default)]
pub struct SinceOpened {
    /// The ids of the last reading that arrived (None before the first).
    last: Option<BTreeSet<String>>,
    /// Ids that arrived after the first reading and are still active (the `+` rows).
    pub arrived: BTreeSet<String>,
    /// How many violations arrived after the first reading, whether they last or not.
    pub arrivals: usize,
    /// How many violations listed by an earlier reading are gone.
    pub ended: usize,
}

impl SinceOpened {
    /// A reading's ids arrived: counts what is new and what has gone.
    pub fn read(&mut self, ids: BTreeSet<String>) {
        if let Some(last) = &self.last {
            self.ended += last.difference(&ids).count();
            let new: Vec<String> = ids.difference(last).cloned().collect();
            self.arrivals += new.len();
            self.arrived.extend(new);
        }
        self.arrived.retain(|id| ids.contains(id));
        self.last = Some(ids);
    }

    /// What the readings since the view opened changed, for its head:
    /// " · 3 arrived (+) · 2 ended", or nothing.
    pub fn said(&self) -> String {
        let mut text = String::new();
        if self.arrivals > 0 {
            text += &format!(" · {} arrived (+)", self.arrivals);
        }
        if self.ended > 0 {
            text += &format!(" · {} ended", self.ended);
        }
        text
    }
}
