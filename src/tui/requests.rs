//! Requests in flight: every request to the endpoint gets an id here and an
//! entry saying what it is (and, for one the user waits on, the words the
//! status line shows while it is on its way). An answer is current while its
//! entry is here: the router takes the entry out when the answer arrives,
//! and drops an answer whose entry is gone (the user moved on, abandoned the
//! wait, or switched endpoints since it was asked for).

use std::collections::BTreeMap;

use super::message::RequestId;

/// What a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// ListSecurityProfiles, every page (Home).
    List,
    /// DescribeSecurityProfile of each listed profile, for Home's details (one answer per profile).
    Describe,
    /// The endpoint's custom metrics and dimension names.
    Known,
    ThingGroups,
    /// The profiles attached to a target.
    TargetProfiles,
    /// A profile opened in the editor.
    Open,
    /// The server's copy of a profile whose draft was restored (its tags and targets now).
    Refresh,
    Submit,
    /// The server's copy after a version conflict.
    FetchServer,
    Delete,
    /// The endpoint's dimensions and custom metrics, described.
    Resources,
    SaveResource,
    DeleteResource,
    /// Which profiles use a dimension or custom metric.
    ResourceUse,
    /// A behavior's chart data.
    Chart,
    Violations,
    Verify,
    /// The alerts a profile would have sent (the confirm screen).
    CountAlerts,
    /// The alerts the sandbox kept for a violation.
    Alerts,
    MitigationActions,
    Mitigate,
    /// A connection: the setup's, or the palette's switch.
    Connect,
}

/// One request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub what: Wait,
    /// What the status line says while it is on its way (none: a background load).
    pub label: Option<String>,
}

#[derive(Debug, Default)]
pub struct Requests {
    next: u64,
    pending: BTreeMap<RequestId, Pending>,
}

impl Requests {
    /// A new request: its id (ids only grow), recorded as on its way.
    pub fn start(&mut self, what: Wait, label: Option<String>) -> RequestId {
        self.next += 1;
        let id = RequestId(self.next);
        self.pending.insert(id, Pending { what, label });
        id
    }

    /// A new request that replaces any of its kind still on its way (their
    /// answers will be dropped): a list read again, a screen opened again.
    pub fn replace(&mut self, what: Wait, label: Option<String>) -> RequestId {
        self.abandon_all(what);
        self.start(what, label)
    }

    /// Whether a request of this kind is on its way.
    pub fn waiting(&self, what: Wait) -> bool {
        self.pending.values().any(|p| p.what == what)
    }

    /// The answer to `id` arrived: its entry is taken out. What it was, when
    /// it was still awaited (its answer is current); None when it is stale.
    pub fn finish(&mut self, id: RequestId) -> Option<Wait> {
        self.pending.remove(&id).map(|p| p.what)
    }

    /// Whether `id` is still awaited (for a request answered in several parts).
    pub fn awaits(&self, id: RequestId) -> bool {
        self.pending.contains_key(&id)
    }

    /// The newest request of this kind still on its way.
    pub fn newest(&self, what: Wait) -> Option<RequestId> {
        self.pending.iter().rev().find(|(_, p)| p.what == what).map(|(id, _)| *id)
    }

    /// The user stopped waiting for `id`: its answer will be dropped.
    pub fn abandon(&mut self, id: RequestId) {
        self.pending.remove(&id);
    }

    /// Every request of this kind is abandoned (a newer one replaces them).
    pub fn abandon_all(&mut self, what: Wait) {
        self.pending.retain(|_, p| p.what != what);
    }

    /// Another endpoint is in use: nothing asked of the old one is awaited.
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// What the status line says: the newest request the user waits on.
    pub fn busy(&self) -> Option<&str> {
        self.pending.values().rev().find_map(|p| p.label.as_deref())
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_is_the_newest_labelled_wait_and_answers_are_current_once() {
        let mut r = Requests::default();
        let list = r.start(Wait::List, None);
        let open = r.start(Wait::Open, Some("Opening A…".into()));
        let known = r.start(Wait::Known, None);
        assert_eq!(r.busy(), Some("Opening A…"));
        assert_eq!(r.finish(open), Some(Wait::Open));
        assert!(r.finish(open).is_none(), "a second answer is stale");
        assert_eq!(r.busy(), None);
        let first = r.start(Wait::Violations, None);
        let second = r.replace(Wait::Violations, None);
        assert!(r.waiting(Wait::Violations));
        assert!(r.finish(first).is_none(), "a replaced request's answer is stale");
        assert!(r.finish(second).is_some());
        assert!(!r.waiting(Wait::Violations));
        r.clear();
        assert!(r.finish(list).is_none() && r.finish(known).is_none(), "a switched endpoint's answers are stale");
        assert!(r.is_empty());
    }
}
