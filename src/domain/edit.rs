//! Edits to a profile's lists, as an editor makes them: add an entry, remove
//! one, duplicate or move a behavior. A list left empty by a removal becomes
//! absent (an empty list is never sent). Each edit says what it did in words,
//! for a status line ("removed behavior Ports").

use super::profile::{Behavior, MetricToRetain, SecurityProfile, Tag};

/// An entry of one of the profile's lists, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    Tag(usize),
    Behavior(usize),
    /// An entry of `additionalMetricsToRetainV2`.
    Retained(usize),
    /// An entry of the deprecated `additionalMetricsToRetain`.
    Legacy(usize),
    /// A target (kept beside the profile, not in it: see `targets.rs`).
    Target(usize),
}

/// A name `stem-N` not taken by any behavior (N from `start`).
fn free_name(list: &[Behavior], stem: &str, start: usize) -> String {
    let mut n = start;
    while list.iter().any(|b| b.name == format!("{stem}-{n}")) {
        n += 1;
    }
    format!("{stem}-{n}")
}

/// Whether a behavior name is one `add_behavior` makes (`behavior-N`).
pub fn is_generated_name(name: &str) -> bool {
    name.strip_prefix("behavior-").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Adds a behavior named `behavior-N` (no metric yet); returns its index.
pub fn add_behavior(p: &mut SecurityProfile) -> usize {
    let list = p.behaviors.get_or_insert_with(Vec::new);
    let name = free_name(list, "behavior", list.len() + 1);
    list.push(Behavior { name, ..Default::default() });
    list.len() - 1
}

/// Adds an empty tag; returns its index.
pub fn add_tag(p: &mut SecurityProfile) -> usize {
    let tags = p.tags.get_or_insert_with(Vec::new);
    tags.push(Tag::default());
    tags.len() - 1
}

/// Adds an empty retained metric (V2); returns its index.
pub fn add_retained(p: &mut SecurityProfile) -> usize {
    let list = p.additional_metrics_to_retain_v2.get_or_insert_with(Vec::new);
    list.push(MetricToRetain::default());
    list.len() - 1
}

/// Copies behavior `i` just below it, named `NAME-2` (or the next free
/// number); returns the copy's index.
pub fn duplicate_behavior(p: &mut SecurityProfile, i: usize) -> Option<usize> {
    let list = p.behaviors.as_mut()?;
    let mut copy = list.get(i)?.clone();
    copy.name = free_name(list, &copy.name, 2);
    list.insert(i + 1, copy);
    Some(i + 1)
}

/// Moves behavior `i` up (`step` -1) or down (+1); returns its new index, or
/// `None` at either end.
pub fn move_behavior(p: &mut SecurityProfile, i: usize, step: i64) -> Option<usize> {
    let list = p.behaviors.as_mut()?;
    let j = usize::try_from(i as i64 + step).ok().filter(|j| *j < list.len() && i < list.len())?;
    list.swap(i, j);
    Some(j)
}

/// The entry in words: `behavior Ports`, `tag team`, `retained metric aws:num-disconnects`.
pub fn describe(p: &SecurityProfile, entry: Entry) -> String {
    let or = |s: &str, i: usize| if s.is_empty() { format!("#{}", i + 1) } else { s.to_owned() };
    match entry {
        Entry::Tag(i) => format!("tag {}", or(p.tags.iter().flatten().nth(i).map_or("", |t| t.key.as_str()), i)),
        Entry::Behavior(i) => {
            format!("behavior {}", or(p.behaviors.iter().flatten().nth(i).map_or("", |b| b.name.as_str()), i))
        }
        Entry::Retained(i) => format!(
            "retained metric {}",
            or(p.additional_metrics_to_retain_v2.iter().flatten().nth(i).map_or("", |m| m.metric.as_str()), i)
        ),
        Entry::Legacy(i) => format!(
            "retained metric {}",
            or(p.additional_metrics_to_retain.iter().flatten().nth(i).map_or("", String::as_str), i)
        ),
        Entry::Target(i) => format!("target #{}", i + 1),
    }
}

/// Removes the entry; a list left empty becomes absent. False when there is no such entry.
pub fn remove(p: &mut SecurityProfile, entry: Entry) -> bool {
    fn take<T>(list: &mut Option<Vec<T>>, i: usize) -> bool {
        let Some(l) = list.as_mut() else { return false };
        if i >= l.len() {
            return false;
        }
        l.remove(i);
        if l.is_empty() {
            *list = None;
        }
        true
    }
    match entry {
        Entry::Tag(i) => take(&mut p.tags, i),
        Entry::Behavior(i) => take(&mut p.behaviors, i),
        Entry::Retained(i) => take(&mut p.additional_metrics_to_retain_v2, i),
        Entry::Legacy(i) => take(&mut p.additional_metrics_to_retain, i),
        Entry::Target(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_edits() {
        let mut p = SecurityProfile::default();
        assert_eq!(add_behavior(&mut p), 0);
        assert_eq!(add_behavior(&mut p), 1);
        assert_eq!(duplicate_behavior(&mut p, 0), Some(1));
        let names: Vec<_> = p.behaviors.iter().flatten().map(|b| b.name.clone()).collect();
        assert_eq!(names, ["behavior-1", "behavior-1-2", "behavior-2"]);
        assert_eq!(move_behavior(&mut p, 0, -1), None);
        assert_eq!(move_behavior(&mut p, 0, 1), Some(1));
        assert_eq!(describe(&p, Entry::Behavior(1)), "behavior behavior-1");
        for _ in 0..3 {
            assert!(remove(&mut p, Entry::Behavior(0)));
        }
        assert!(p.behaviors.is_none(), "an emptied list is absent");
        assert!(is_generated_name("behavior-12") && !is_generated_name("behavior-x"));
    }
}
