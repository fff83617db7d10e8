//! Undo and redo for every edit in the editor. Each step keeps the profile
//! and the texts that did not parse as they were before the edit, where the
//! cursor was, and what the edit did in words ("removed behavior Ports").
//! Typing in one field is one step until the focus leaves the field.

use super::rows::{FieldId, RawTexts, Section};
use crate::domain::profile::SecurityProfile;

/// The editor's state an edit changes, and the cursor to return to.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub profile: SecurityProfile,
    /// The server's copy the edit is against (a reapplied conflict moves it).
    pub base: Option<std::sync::Arc<crate::wire::response::SecurityProfileDescription>>,
    pub targets: Vec<crate::domain::targets::Target>,
    pub raw: RawTexts,
    pub section: Section,
    pub open: Option<usize>,
    pub focus: usize,
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    state: State,
    what: String,
}

/// The steps to undo and to redo.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The field being typed in, whose typing is one step so far.
    typing: Option<FieldId>,
}

/// Steps kept; the oldest go first.
const LIMIT: usize = 200;

impl History {
    /// Records the state before an edit described by `what`. Typing in the
    /// field that was typed in last adds nothing (it is the same step).
    pub fn record(&mut self, before: impl FnOnce() -> State, what: String, typing: Option<FieldId>) {
        if typing.is_some() && typing == self.typing {
            return;
        }
        self.typing = typing;
        self.undo.push(Step { state: before(), what });
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Whether typing in `typing` goes on the step already recorded.
    pub fn continues(&self, typing: Option<FieldId>) -> bool {
        typing.is_some() && typing == self.typing
    }

    /// The focus left the field: the next typing is a new step.
    pub fn end_typing(&mut self) {
        self.typing = None;
    }

    /// Undoes: gives the state to return to and what is undone, keeping `now` for redo.
    pub fn undo(&mut self, now: State) -> Option<(State, String)> {
        let step = self.undo.pop()?;
        self.typing = None;
        self.redo.push(Step { state: now, what: step.what.clone() });
        Some((step.state, step.what))
    }

    /// Redoes what was undone last.
    pub fn redo(&mut self, now: State) -> Option<(State, String)> {
        let step = self.redo.pop()?;
        self.typing = None;
        self.undo.push(Step { state: now, what: step.what.clone() });
        Some((step.state, step.what))
    }

    /// The service took the edit: every step is against the new version now,
    /// so an undo after a submit never brings back an older `base`.
    pub fn rebase(&mut self, base: &std::sync::Arc<crate::wire::response::SecurityProfileDescription>) {
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            step.state.base = Some(std::sync::Arc::clone(base));
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
}

impl History {
    /// Drops the last step without a redo (an add cancelled before it was
    /// made): gives the state before it.
    pub fn cancel(&mut self) -> Option<State> {
        self.typing = None;
        self.undo.pop().map(|s| s.state)
    }
}
