//! The static threshold that meets an alarm budget, found exactly from the
//! data rather than by trying backtests: every evaluation's value (a window's
//! sum, or a datapoint) is read once, the values are taken from the most
//! extreme inwards, and each one turned violating updates its thing's alarm
//! count in a `Transfers` tree. The first point where the fleet's count goes
//! over the budget gives the suggestion: the most sensitive threshold that
//! still leaves that value normal.
//!
//! Alarm counts do not only grow as a threshold tightens: a lower threshold
//! can join two alarms into one long one. So "within budget" is read from the
//! lenient side: the suggestion is the most sensitive threshold at which every
//! more lenient one also stays within the budget; the next stricter allowed
//! value goes over it. Only the most extreme values are visited: those above a
//! cut read from a histogram of the values, lowered while the budget is not
//! yet exceeded.

use super::transfer::{Piece, Transfers};
use crate::domain::enums::ComparisonOperator;
use crate::domain::evaluate::{AlarmRule, Prepared, Step, split_over_cores};

/// What the budget limits, over the whole data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// In-alarm events, over every thing.
    Alarms(u64),
    /// Things that alarmed at least once.
    Things(u64),
}

impl Limit {
    fn exceeded(self, alarms: u64, things: u64) -> bool {
        match self {
            Limit::Alarms(n) => alarms > n,
            Limit::Things(n) => things > n,
        }
    }
}

/// One threshold, with what it would have raised over the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Row {
    /// The threshold: the most sensitive value giving these counts.
    pub value: f64,
    pub alarms: u64,
    /// Things alarmed at least once.
    pub things: u64,
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// Each distinct (alarms, things) the thresholds visited gave, from the
    /// most lenient to the strictest.
    pub rows: Vec<Row>,
    /// The row suggested, None when no row is within the budget (values that
    /// violate at any threshold already exceed it) or none exceeds it (the
    /// data is too small to tell).
    pub suggested: Option<usize>,
    /// True when even the strictest threshold stays within the budget.
    pub never_exceeded: bool,
    /// True when the budget would need a `count` below 0, which the service
    /// refuses (the rows below 0 are left out).
    pub below_zero: bool,
    /// Evaluations read (windows or datapoints, over every thing).
    pub evaluations: u64,
}

/// Which way a numeric operator alarms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// less-than(-equals): large values violate.
    High,
    /// greater-than(-equals): small values violate.
    Low,
}

/// A numeric operator's side, and whether its bound is included in normal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    pub direction: Direction,
    /// less-than-equals, greater-than-equals.
    pub inclusive: bool,
    /// The criteria's value is a `count`: thresholds are whole numbers.
    pub whole: bool,
}

impl Comparison {
    /// None for an operator that does not compare numbers.
    pub fn of(op: &ComparisonOperator, whole: bool) -> Option<Comparison> {
        use ComparisonOperator as Op;
        let (direction, inclusive) = match op {
            Op::LessThan => (Direction::High, false),
            Op::LessThanEquals => (Direction::High, true),
            Op::GreaterThan => (Direction::Low, false),
            Op::GreaterThanEquals => (Direction::Low, true),
            _ => return None,
        };
        Some(Comparison { direction, inclusive, whole })
    }

    /// True when `value` is normal against `threshold` (the evaluator's comparison).
    pub fn normal(self, value: f64, threshold: f64) -> bool {
        match (self.direction, self.inclusive) {
            (Direction::High, false) => value < threshold,
            (Direction::High, true) => value <= threshold,
            (Direction::Low, false) => value > threshold,
            (Direction::Low, true) => value >= threshold,
        }
    }

    /// The value as the comparison sees it against whole thresholds X, so
    /// that the search works on whole values and stays exact: `v ≥ X` is
    /// `⌊v⌋ ≥ X` (less-than violates), `v > X` is `⌈v⌉ > X` (less-than-equals),
    /// `v ≤ X` is `⌈v⌉ ≤ X` (greater-than), `v < X` is `⌊v⌋ < X` (greater-than-equals).
    fn seen(self, v: f64) -> f64 {
        let v = match (self.whole, self.direction, self.inclusive) {
            (false, ..) => v,
            (true, Direction::High, false) | (true, Direction::Low, true) => v.floor(),
            (true, Direction::High, true) | (true, Direction::Low, false) => v.ceil(),
        };
        v + 0.0 // -0.0 is 0.0
    }

    /// The most sensitive allowed threshold at which `v` (a seen value) is normal.
    pub fn keeping_normal(self, v: f64) -> f64 {
        match (self.direction, self.inclusive, self.whole) {
            (_, true, _) => v,
            (Direction::High, false, true) => v + 1.0,
            (Direction::High, false, false) => v.next_up(),
            (Direction::Low, false, true) => v - 1.0,
            (Direction::Low, false, false) => v.next_down(),
        }
    }

    /// The least sensitive allowed threshold at which `v` violates.
    pub fn making_violating(self, v: f64) -> f64 {
        match (self.direction, self.inclusive, self.whole) {
            (_, false, _) => v,
            (Direction::High, true, true) => v - 1.0,
            (Direction::High, true, false) => v.next_down(),
            (Direction::Low, true, true) => v + 1.0,
            (Direction::Low, true, false) => v.next_up(),
        }
    }

    /// The next allowed threshold in the strict direction (more alarms).
    pub fn stricter(self, threshold: f64) -> f64 {
        match (self.direction, self.whole) {
            (Direction::High, true) => threshold - 1.0,
            (Direction::High, false) => threshold.next_down(),
            (Direction::Low, true) => threshold + 1.0,
            (Direction::Low, false) => threshold.next_up(),
        }
    }

    /// A key that orders values from the most extreme (violating first) up:
    /// larger keys violate at more lenient thresholds.
    fn key(self, v: f64) -> u64 {
        let bits = v.to_bits();
        let ordered = if bits >> 63 == 1 { !bits } else { bits | 1 << 63 };
        match self.direction {
            Direction::High => ordered,
            Direction::Low => !ordered,
        }
    }

    fn value(self, key: u64) -> f64 {
        let ordered = match self.direction {
            Direction::High => key,
            Direction::Low => !key,
        };
        f64::from_bits(if ordered >> 63 == 1 { ordered & !(1 << 63) } else { !ordered })
    }
}

/// Bits of a key the histogram keeps: sign, exponent and 8 bits of mantissa
/// (a bucket per whole number up to 256, 1/256 of the value beyond).
const BUCKET_SHIFT: u32 = 44;

/// Rows kept past the suggestion: what stricter values would cost.
const STRICTER_ROWS: usize = 6;

/// Finds the threshold for a prepared behavior with a static numeric criterion.
pub fn search(p: &Prepared, comparison: Comparison, limit: Limit) -> Search {
    let rule = AlarmRule::of(p.criteria());
    let series = p.series();
    let (needed, extra) = match limit {
        Limit::Alarms(n) | Limit::Things(n) => (n.saturating_add(1).saturating_mul(rule.to_alarm as u64), n),
    };
    let mut wanted = needed.saturating_mul(64).max(4096).saturating_add(extra);
    // Fewer datapoints than `wanted` (a thing or a few, as typed in the
    // editor): every value is scanned, which is what the histogram would say
    // after zeroing and reading its million buckets (milliseconds each time).
    let points: u64 = series.iter().map(|s| s.len() as u64).sum();
    let buckets = if points < wanted { 0 } else { 1 << (64 - BUCKET_SHIFT) };
    // Pass 1: how many evaluations lie in each bucket of keys.
    let parts = split_over_cores(series, |part| {
        let mut counts = vec![0u32; buckets];
        let mut evaluations = 0u64;
        for s in part {
            p.walk(s, |step| {
                if let Step::Evaluate { value, .. } = step {
                    evaluations += 1;
                    if buckets > 0 && !value.is_nan() {
                        let b = (comparison.key(comparison.seen(value)) >> BUCKET_SHIFT) as usize;
                        counts[b] = counts[b].saturating_add(1);
                    }
                }
            });
        }
        (counts, evaluations)
    });
    let mut histogram = vec![0u64; buckets];
    let mut evaluations = 0;
    for (counts, n) in parts {
        evaluations += n;
        histogram.iter_mut().zip(counts).for_each(|(h, c)| *h += u64::from(c));
    }
    loop {
        let cut = cut_for(&histogram, wanted);
        let everything = cut == 0;
        if let Some(found) = scan(p, comparison, limit, rule, cut, everything) {
            return Search { evaluations, ..found };
        }
        wanted = wanted.saturating_mul(16);
    }
}

/// The lowest key whose bucket keeps at least `wanted` values at or above it
/// (0: every value; so with no buckets).
fn cut_for(histogram: &[u64], wanted: u64) -> u64 {
    let mut seen = 0u64;
    for (bucket, count) in histogram.iter().enumerate().rev() {
        seen += count;
        if seen >= wanted {
            return if bucket == 0 { 0 } else { (bucket as u64) << BUCKET_SHIFT };
        }
    }
    0
}

/// One thing's pieces, and its flips: (key, piece).
struct Thing {
    pieces: Vec<Piece>,
    flips: Vec<(u64, u32)>,
}

/// A flip in the scan: its key, thing, piece and evaluations.
type Flip = (u64, u32, u32, u32);

/// Pass 2 and the scan, over the values at or above `cut`. None when the
/// budget was not exceeded among them and lower values remain.
fn scan(
    p: &Prepared,
    comparison: Comparison,
    limit: Limit,
    rule: AlarmRule,
    cut: u64,
    everything: bool,
) -> Option<Search> {
    let things = things_above(p, comparison, cut);
    let mut trees: Vec<Transfers> = things.iter().map(|t| Transfers::new(&t.pieces, rule)).collect();
    let flips = flips_of(&things);
    drop(things);
    let mut alarms: u64 = trees.iter().map(|t| u64::from(t.alarms())).sum();
    let mut alarmed: u64 = trees.iter().filter(|t| t.alarms() > 0).count() as u64;
    let mut rows: Vec<Row> = Vec::new();
    let mut suggested = None;
    if limit.exceeded(alarms, alarmed) {
        // Values that violate at any threshold already exceed the budget.
        let value = flips.first().map_or(f64::NAN, |f| comparison.keeping_normal(comparison.value(f.0)));
        rows.push(Row { value, alarms, things: alarmed });
        return Some(Search { rows, suggested: None, never_exceeded: false, below_zero: false, evaluations: 0 });
    }
    let mut i = 0;
    while i < flips.len() {
        let key = flips[i].0;
        let seen = comparison.value(key);
        // Before this group turns violating: the most sensitive threshold keeping it normal.
        push_row(&mut rows, comparison, Row { value: comparison.keeping_normal(seen), alarms, things: alarmed });
        while i < flips.len() && flips[i].0 == key {
            let (_, thing, piece, n) = flips[i];
            let tree = &mut trees[thing as usize];
            let before = u64::from(tree.alarms());
            tree.flip(piece as usize, n);
            let after = u64::from(tree.alarms());
            alarms = alarms - before + after;
            alarmed = alarmed + u64::from(after > 0) - u64::from(before > 0);
            i += 1;
        }
        if suggested.is_none() && limit.exceeded(alarms, alarmed) {
            suggested = Some(rows.len() - 1);
        }
        if let Some(s) = suggested
            && rows.len() > s + STRICTER_ROWS
        {
            break;
        }
        if i == flips.len() {
            if suggested.is_none() && !everything {
                return None;
            }
            // Every value read violates: the least sensitive threshold doing that.
            push_row(&mut rows, comparison, Row { value: comparison.making_violating(seen), alarms, things: alarmed });
        }
    }
    if suggested.is_none() && !everything {
        return None;
    }
    let never_exceeded = suggested.is_none();
    let below_zero = comparison.whole && drop_below_zero(&mut rows, &mut suggested);
    Some(Search { rows, suggested, never_exceeded, below_zero, evaluations: 0 })
}

/// Pass 2: each thing's pieces and flips, over the values at or above `cut`
/// (the values below it stay normal at every threshold the scan reaches,
/// counted into `Piece::Normal` runs). Things with nothing but silence are left out.
fn things_above(p: &Prepared, comparison: Comparison, cut: u64) -> Vec<Thing> {
    let parts = split_over_cores(p.series(), |part| {
        let mut things: Vec<Thing> = Vec::new();
        for s in part {
            let mut t = Thing { pieces: Vec::new(), flips: Vec::new() };
            let mut normal = 0u32;
            let mut any = false;
            p.walk(s, |step| {
                let piece = match step {
                    Step::Silence { .. } => Piece::Silence,
                    Step::Evaluate { value, .. } if value.is_nan() => Piece::Violating,
                    Step::Evaluate { value, .. } => {
                        let key = comparison.key(comparison.seen(value));
                        if key < cut {
                            normal += 1;
                            return;
                        }
                        // A run of one value right after the same value is one piece: flipped together.
                        if normal == 0
                            && let (Some(Piece::Flip(n)), Some(last)) = (t.pieces.last_mut(), t.flips.last())
                            && last.0 == key
                        {
                            *n += 1;
                            return;
                        }
                        t.flips.push((key, t.pieces.len() as u32 + u32::from(normal > 0)));
                        Piece::Flip(1)
                    }
                };
                if normal > 0 {
                    t.pieces.push(Piece::Normal(normal));
                    normal = 0;
                }
                any |= piece != Piece::Silence;
                t.pieces.push(piece);
            });
            if any {
                things.push(t);
            }
        }
        things
    });
    parts.into_iter().flatten().collect()
}

/// Every thing's flips, the most extreme value first (the order the scan
/// turns them violating in).
fn flips_of(things: &[Thing]) -> Vec<Flip> {
    let mut flips: Vec<Flip> = things
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            t.flips.iter().map(move |(key, piece)| {
                let n = match t.pieces[*piece as usize] {
                    Piece::Flip(n) => n,
                    _ => 1,
                };
                (*key, i as u32, *piece, n)
            })
        })
        .collect();
    flips.sort_unstable_by_key(|f| std::cmp::Reverse(f.0));
    flips
}

/// Adds `row`, or, when it has the last row's counts, lets its more
/// sensitive value stand for them (a count's threshold no lower than 0).
fn push_row(rows: &mut Vec<Row>, comparison: Comparison, row: Row) {
    match rows.last_mut() {
        Some(last) if (last.alarms, last.things) == (row.alarms, row.things) => {
            if !(comparison.whole && row.value < 0.0) {
                last.value = row.value;
            }
        }
        _ => rows.push(row),
    }
}

/// A count cannot be below 0 (CountRange): those rows go, and a suggestion
/// among them with them (true), else the suggestion's index follows its row.
fn drop_below_zero(rows: &mut Vec<Row>, suggested: &mut Option<usize>) -> bool {
    let mut below_zero = false;
    if let Some(s) = *suggested {
        if rows[s].value < 0.0 {
            below_zero = true;
            *suggested = None;
        } else {
            *suggested = Some(rows[..s].iter().filter(|r| r.value >= 0.0).count());
        }
    }
    rows.retain(|r| r.value >= 0.0);
    below_zero
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_keeps_at_least_the_wanted_values_at_or_above_it() {
        let mut histogram = vec![0u64; 8];
        (histogram[7], histogram[5], histogram[0]) = (2, 3, 10);
        assert_eq!(cut_for(&histogram, 2), 7 << BUCKET_SHIFT);
        assert_eq!(cut_for(&histogram, 4), 5 << BUCKET_SHIFT);
        // Only the lowest bucket reaches it, or nothing does: every value.
        assert_eq!(cut_for(&histogram, 15), 0);
        assert_eq!(cut_for(&histogram, 100), 0);
        // A fleet scanned whole has no buckets.
        assert_eq!(cut_for(&[], 1), 0);
    }
}
