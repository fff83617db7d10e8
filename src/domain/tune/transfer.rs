//! A thing's alarm count under any set of violating evaluations, updated one
//! flip at a time: a segment tree of the evaluator's state machine. Each leaf
//! is what one evaluation (or a stretch of evaluations that stay normal, or a
//! silence) does to every possible alarm state; each node composes its two
//! halves. Flipping an evaluation from normal to violating rewrites its leaf
//! and the nodes above it, so the count after any flip costs O(log n · S)
//! where S = consecutiveDatapointsToAlarm + consecutiveDatapointsToClear ≤ 20.
//! The states and their steps are the evaluator's own (`State::step`).

use crate::domain::evaluate::{AlarmRule, EventKind, State};

/// One piece of a thing's evaluations, in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// `n` evaluations in a row of one value, whose side depends on the
    /// threshold: normal until flipped, all together (n ≥ 1).
    Flip(u32),
    /// An evaluation that violates at every threshold (a value that is not a number).
    Violating,
    /// `n` evaluations that stay normal at every threshold tried (n ≥ 1).
    Normal(u32),
    /// Two days' silence: the state starts afresh.
    Silence,
}

/// What a stretch of evaluations does to each starting state: where it ends,
/// and how many in-alarm events it raised on the way.
type Map = Vec<(u8, u32)>;

/// The tree over one thing's pieces.
#[derive(Debug, Clone)]
pub struct Transfers {
    rule: AlarmRule,
    states: Vec<State>,
    /// Leaves at `size..size + pieces`, the root at 1; each node `states.len()` entries.
    nodes: Vec<(u8, u32)>,
    size: usize,
}

impl Transfers {
    /// Builds the tree with every `Flip` normal.
    pub fn new(pieces: &[Piece], rule: AlarmRule) -> Transfers {
        let mut states: Vec<State> = (0..rule.to_alarm).map(|run| State { in_alarm: false, run }).collect();
        states.extend((0..rule.to_clear).map(|run| State { in_alarm: true, run }));
        let size = pieces.len().next_power_of_two().max(1);
        let width = states.len();
        let identity: Map = (0..width as u8).map(|s| (s, 0)).collect();
        let mut t = Transfers { rule, states, nodes: Vec::new(), size };
        let mut nodes = Vec::with_capacity(2 * size * width);
        nodes.resize(2 * size * width, (0, 0));
        for i in 0..size {
            let map = match pieces.get(i) {
                Some(Piece::Flip(n)) => t.evaluations(*n, false),
                Some(Piece::Violating) => t.evaluations(1, true),
                Some(Piece::Normal(n)) => t.evaluations(*n, false),
                Some(Piece::Silence) => vec![(0, 0); width],
                None => identity.clone(),
            };
            nodes[(size + i) * width..(size + i + 1) * width].copy_from_slice(&map);
        }
        t.nodes = nodes;
        for node in (1..size).rev() {
            t.compose(node);
        }
        t
    }

    /// In-alarm events over the whole sequence, from the state every thing starts in.
    pub fn alarms(&self) -> u32 {
        self.nodes[self.width()].1
    }

    /// Makes the `i`th piece, a `Flip(n)`, violating.
    pub fn flip(&mut self, i: usize, n: u32) {
        let map = self.evaluations(n, true);
        let w = self.width();
        let leaf = self.size + i;
        self.nodes[leaf * w..(leaf + 1) * w].copy_from_slice(&map);
        let mut node = leaf / 2;
        while node >= 1 {
            self.compose(node);
            node /= 2;
        }
    }

    fn width(&self) -> usize {
        self.states.len()
    }

    fn index(&self, s: State) -> u8 {
        let i = if s.in_alarm { self.rule.to_alarm + s.run } else { s.run };
        i as u8
    }

    /// `n` evaluations on the same side, from each state. After
    /// to_alarm + to_clear of them every start has met the same fate, so
    /// no more than that many steps are taken.
    fn evaluations(&self, n: u32, violating: bool) -> Map {
        let limit = (self.rule.to_alarm + self.rule.to_clear) as u32;
        self.states
            .iter()
            .map(|start| {
                let mut s = *start;
                let mut alarms = 0;
                for _ in 0..n.min(limit) {
                    if s.step(violating, self.rule) == Some(EventKind::InAlarm) {
                        alarms += 1;
                    }
                }
                (self.index(s), alarms)
            })
            .collect()
    }

    fn compose(&mut self, node: usize) {
        let w = self.width();
        let (left, right) = (2 * node * w, (2 * node + 1) * w);
        for s in 0..w {
            let (mid, a) = self.nodes[left + s];
            let (end, b) = self.nodes[right + mid as usize];
            self.nodes[node * w + s] = (end, a + b);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The evaluator's count, step by step, for a side per piece.
    fn direct(sides: &[Option<bool>], rule: AlarmRule) -> u32 {
        let mut s = State::default();
        let mut alarms = 0;
        for side in sides {
            match side {
                None => s = State::default(),
                Some(v) => alarms += u32::from(s.step(*v, rule) == Some(EventKind::InAlarm)),
            }
        }
        alarms
    }

    #[test]
    fn flips_count_as_the_evaluator_steps() {
        let pieces = [
            Piece::Flip(1),
            Piece::Normal(1),
            Piece::Flip(1),
            Piece::Flip(2),
            Piece::Normal(3),
            Piece::Flip(1),
            Piece::Violating,
            Piece::Flip(1),
            Piece::Silence,
            Piece::Flip(3),
            Piece::Flip(1),
            Piece::Flip(1),
        ];
        for (to_alarm, to_clear) in [(1, 1), (2, 1), (3, 2), (1, 3)] {
            let rule = AlarmRule { to_alarm, to_clear };
            let mut t = Transfers::new(&pieces, rule);
            // Each piece's evaluations spelled out: Some(violating), or None for a silence.
            let mut sides: Vec<Vec<Option<bool>>> = pieces
                .iter()
                .map(|p| match p {
                    Piece::Normal(n) => vec![Some(false); *n as usize],
                    Piece::Silence => vec![None],
                    Piece::Violating => vec![Some(true)],
                    Piece::Flip(n) => vec![Some(false); *n as usize],
                })
                .collect();
            let flat: Vec<Option<bool>> = sides.iter().flatten().copied().collect();
            assert_eq!(t.alarms(), direct(&flat, rule), "rule {rule:?} before any flip");
            // Flip from the last to the first, and every other one first, to cross runs and merges.
            let mut order: Vec<usize> = (0..pieces.len()).filter(|i| matches!(pieces[*i], Piece::Flip(_))).collect();
            order.sort_by_key(|i| (i % 2, usize::MAX - i));
            for f in order {
                let Piece::Flip(n) = pieces[f] else { unreachable!() };
                t.flip(f, n);
                sides[f] = vec![Some(true); n as usize];
                let flat: Vec<Option<bool>> = sides.iter().flatten().copied().collect();
                assert_eq!(t.alarms(), direct(&flat, rule), "rule {rule:?} after flipping {f}");
            }
        }
    }
}
