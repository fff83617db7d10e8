//! The chart of a behavior's metric in its form (F4): 14 days of the
//! endpoint's data for the things the profile watches, the fleet's
//! p50/p90/p99 or one thing's values (F5 steps through them), the
//! threshold drawn over it and the windows that would alarm marked below,
//! re-evaluated with the criteria as they are typed. F6 (t) sets the value
//! `tune` finds for the alarm budget over the same data, as one undoable
//! edit; F7 / F8 make the budget smaller or larger and tune again.

use std::cell::RefCell;

use crate::domain::backtest::{self, Alarm};
use crate::domain::evaluate::{percentile, window_end};
use crate::domain::metric_data::{MetricKey, Series};
use crate::domain::profile::{Behavior, CriteriaKind};
use crate::domain::running_totals::{is_delta_metric, only_increases};
use crate::domain::tune::threshold::Limit;
use crate::domain::tune::{DEFAULT_SHARE, Outcome, allowed_alarms, tune};
use crate::domain::value_text::value_text;
use crate::tui::keymap::Action;
use crate::tui::message::{ChartData, Effect};
use crate::tui::shared::Shared;

/// How far back the chart reads (the 14 days ML Detect trains on).
pub const CHART_SECONDS: i64 = 14 * 86_400;
/// The window a metric without durationSeconds is drawn in (devices report every 5 minutes).
const DEFAULT_WINDOW: i64 = 300;
/// The alarm budgets F7 and F8 step through (alarms a week over every thing).
pub const BUDGETS: [f64; 9] = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
/// The budget a chart starts with: one alarm a week.
const DEFAULT_BUDGET: usize = 2;

/// Seconds between two readings of an open chart of a local endpoint's data.
pub const FOLLOW_INTERVAL: f64 = 30.0;

/// The fleet's p50, p90 and p99 at each window's end.
type Percentiles = Vec<(i64, [f64; 3])>;

/// A chart being shown: the data asked for, and what was computed from it.
pub struct Chart {
    pub key: MetricKey,
    pub data: Option<Result<ChartData, String>>,
    /// The thing whose values are shown; None: the fleet's percentiles.
    pub view: Option<String>,
    /// The alarm budget F6 tunes for: an index into `BUDGETS`.
    pub budget: usize,
    /// When the data last arrived (epoch seconds); None while it is on its way.
    loaded_at: Option<f64>,
    /// The targets the data was asked for, to ask again.
    targets: Vec<crate::domain::targets::Target>,
    /// The fleet's p50/p90/p99 per window, for a window length.
    fleet: RefCell<Option<(i64, Percentiles)>>,
    /// The alarms of the behavior as last drawn, and why it was not evaluated, if it was not.
    alarms: RefCell<Option<(Behavior, Judged)>>,
}

impl Chart {
    fn new(key: MetricKey, targets: Vec<crate::domain::targets::Target>) -> Chart {
        Chart {
            key,
            data: None,
            view: None,
            budget: DEFAULT_BUDGET,
            loaded_at: None,
            targets,
            fleet: RefCell::new(None),
            alarms: RefCell::new(None),
        }
    }

    fn series(&self) -> &[Series] {
        match &self.data {
            Some(Ok(d)) => d.data.series(&self.key),
            _ => &[],
        }
    }

    /// The fleet's p50/p90/p99 per window of `w` seconds (cached per window length).
    fn fleet(&self, w: i64) -> Percentiles {
        if let Some((cached, values)) = &*self.fleet.borrow()
            && *cached == w
        {
            return values.clone();
        }
        let mut by_window: std::collections::BTreeMap<i64, Vec<f64>> = std::collections::BTreeMap::new();
        for s in self.series().iter().filter(|s| s.is_numeric()) {
            for (t, n) in window_sums(s, w) {
                by_window.entry(t).or_default().push(n);
            }
        }
        let values: Percentiles = by_window
            .into_iter()
            .map(|(t, v)| (t, [percentile(v.clone(), 50.0), percentile(v.clone(), 90.0), percentile(v, 99.0)]))
            .collect();
        *self.fleet.borrow_mut() = Some((w, values.clone()));
        values
    }

    /// The things in the order F5 visits them: those `b` alarms on first
    /// (most alarms first), then the rest, each by name; with each its alarms.
    fn visit_order(&self, b: &Behavior) -> Vec<(String, usize)> {
        let (alarms, _) = self.alarms(b);
        let mut order: Vec<(String, usize)> = self
            .series()
            .iter()
            .map(|s| (s.thing.clone(), alarms.iter().filter(|a| *a.thing == *s.thing).count()))
            .collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        order
    }

    /// The thing F5 shows after the one shown (the first after the fleet;
    /// the fleet again after the last).
    fn next_thing(&self, b: &Behavior) -> Option<String> {
        let order = self.visit_order(b);
        let next = match &self.view {
            None => 0,
            Some(shown) => order.iter().position(|(thing, _)| thing == shown).map_or(0, |i| i + 1),
        };
        order.get(next).map(|(thing, _)| thing.clone())
    }

    /// The behavior's alarms over the data, and why it was not evaluated if
    /// it was not (recomputed when the behavior changed).
    fn alarms(&self, b: &Behavior) -> Judged {
        if let Some((last, judged)) = &*self.alarms.borrow()
            && last == b
        {
            return judged.clone();
        }
        let judged = match &self.data {
            Some(Ok(d)) => backtest::run_until(std::slice::from_ref(b), &d.data, Some(d.horizon))
                .pop()
                .map(|r| (r.alarms, r.not_evaluated))
                .unwrap_or_default(),
            _ => Judged::default(),
        };
        *self.alarms.borrow_mut() = Some((b.clone(), judged.clone()));
        judged
    }
}

/// A behavior's alarms, and why it was not evaluated if it was not.
type Judged = (Vec<Alarm>, Option<&'static str>);

/// A thing's values summed per window of `w` seconds, at each window's end.
fn window_sums(s: &Series, w: i64) -> Vec<(i64, f64)> {
    let mut out: Vec<(i64, f64)> = Vec::new();
    for (t, n) in s.times.iter().zip(&s.numbers) {
        let end = window_end(*t, w);
        match out.last_mut() {
            Some((e, sum)) if *e == end => *sum += n,
            _ => out.push((end, *n)),
        }
    }
    out
}

/// What the chart draws: lines of (time, value), the threshold, the alarm
/// spans, the time range and the words above it.
pub struct Model {
    pub lines: Vec<Vec<(f64, f64)>>,
    /// A flat threshold (a static rule's value).
    pub threshold: Option<f64>,
    pub alarms: Vec<(i64, Option<i64>)>,
    pub x: (f64, f64),
    /// The y axis's top: a round number (`axis_top`) above the highest value and the threshold.
    pub y_max: f64,
    pub title: String,
    pub summary: String,
}

/// What F4–F8 ask of a behavior's chart (`act`).
pub enum ChartAsk {
    /// Nothing to change in the behavior.
    Done,
    /// F6–F8 tuned it: the behavior as tuned, the undo step's words and the status line's.
    Tuned { behavior: Box<Behavior>, what: String, said: String },
}

/// F4 to F8 on the open behavior `b`: the chart on or off (asking for
/// `targets`' data), the next thing (F5), or the criterion tuned for the
/// chart's budget over its data (F6, and F7 / F8 with a smaller or larger
/// budget). What cannot be done is said on the status line.
pub fn act(
    slot: &mut Option<Chart>,
    action: Action,
    b: &Behavior,
    targets: Vec<crate::domain::targets::Target>,
    cx: &mut Shared,
    out: &mut Vec<Effect>,
) -> ChartAsk {
    let Some(metric) = b.metric.clone().filter(|m| !m.is_empty()) else {
        cx.say("Choose the behavior's metric first: the chart shows its data");
        return ChartAsk::Done;
    };
    let key = MetricKey::of_behavior(&metric, b.metric_dimension.as_ref());
    match action {
        Action::Chart if slot.as_ref().is_some_and(|c| c.key == key) => *slot = None,
        Action::Chart => {
            // A chart of another behavior replaces the one on its way.
            let id = cx.requests.replace(crate::tui::requests::Wait::Chart, None);
            *slot = Some(Chart::new(key.clone(), targets.clone()));
            out.push(Effect::LoadChart { id, key, targets });
        }
        Action::NextThing => {
            if let Some(c) = slot.as_mut() {
                c.view = c.next_thing(b);
            }
        }
        Action::Tune | Action::TuneFewer | Action::TuneMore => {
            let Some(c) = slot.as_mut() else {
                cx.say("F4 first: tuning reads the chart's data");
                return ChartAsk::Done;
            };
            if c.key != key {
                cx.say("The metric or dimension changed: F4 charts the new one, then F6 tunes it");
                return ChartAsk::Done;
            }
            c.budget = match action {
                Action::TuneFewer => c.budget.saturating_sub(1),
                Action::TuneMore => (c.budget + 1).min(BUDGETS.len() - 1),
                _ => c.budget,
            };
            match c.tune(b) {
                Ok((behavior, said)) => {
                    let what = format!("tuned {} for {}", b.name, budget_words(BUDGETS[c.budget]));
                    return ChartAsk::Tuned { behavior: Box::new(behavior), what, said };
                }
                Err(why) => cx.say(why),
            }
        }
        _ => {}
    }
    ChartAsk::Done
}

impl Chart {
    /// `b`'s criterion as `tune` finds it for the chart's budget over the
    /// chart's data, with the status line's words; Err says why nothing changes.
    fn tune(&self, b: &Behavior) -> Result<(Behavior, String), String> {
        let Some(Ok(d)) = &self.data else {
            return Err("The chart's data is still being read: F6 tunes once it is drawn".to_owned());
        };
        let per_week = BUDGETS[self.budget];
        let budget = budget_words(per_week);
        let limit = Limit::Alarms(allowed_alarms(per_week, CHART_SECONDS));
        let outcome = tune(b, &d.data, Some(d.horizon), limit, DEFAULT_SHARE);
        let mut tuned = b.clone();
        if !outcome.apply(&mut tuned) {
            return Err(match &outcome {
                Outcome::NotTuned(why) => format!("Not tuned: {why}"),
                Outcome::Threshold { search, .. } if search.below_zero => {
                    format!("No count meets {budget}: it would need a value below 0")
                }
                Outcome::Threshold { search, .. } if search.evaluations == 0 => {
                    "Not tuned: no data for this metric in the 14 days read".to_owned()
                }
                Outcome::Threshold { search, .. } if search.never_exceeded => {
                    format!("No value raises more than {budget} over this data: too little data to tune")
                }
                Outcome::Statistic { .. } => {
                    format!("Every statistic raises more than {budget}: try a static threshold")
                }
                _ => format!("No value meets {budget}: some values violate at any threshold"),
            });
        }
        let (alarms, things) = match &outcome {
            Outcome::Threshold { search, .. } => search.suggested.map(|k| search.rows[k]).map(|r| (r.alarms, r.things)),
            Outcome::Statistic { search, .. } => {
                search.suggested.map(|k| &search.rows[k]).map(|r| (r.alarms, r.things))
            }
            Outcome::AllowList { alarms, things, .. } => Some((*alarms, *things)),
            Outcome::NotTuned(_) => None,
        }
        .unwrap_or_default();
        let value = tuned.criteria.as_ref().map_or_else(String::new, |c| match &c.statistical_threshold {
            Some(t) => t.statistic.clone().unwrap_or_default(),
            None => c.value.as_ref().map(value_text).unwrap_or_default(),
        });
        if tuned == *b {
            return Err(format!("Already tuned for {budget}: {value} (F7 a smaller budget, F8 a larger one)"));
        }
        // A list's change is said item by item: what it left out is as much the news as what it kept.
        let items = |b: &Behavior| -> Vec<String> {
            let text = b.criteria.as_ref().and_then(|c| c.value.as_ref()).map(value_text).unwrap_or_default();
            text.split(", ").filter(|s| !s.is_empty()).map(str::to_owned).collect()
        };
        let (was, now) = (items(b), items(&tuned));
        let out: Vec<&str> = was.iter().filter(|i| !now.contains(i)).map(String::as_str).collect();
        let added: Vec<&str> = now.iter().filter(|i| !was.contains(i)).map(String::as_str).collect();
        let listed = tuned
            .criteria
            .as_ref()
            .and_then(|c| c.value.as_ref())
            .is_some_and(|v| v.count.is_none() && v.number.is_none());
        let value = match (listed, out.is_empty(), added.is_empty()) {
            (true, false, true) => format!("{value} ({} left out)", out.join(", ")),
            (true, true, false) => format!("{value} ({} added)", added.join(", ")),
            (true, false, false) => format!("{value} ({} added, {} left out)", added.join(", "), out.join(", ")),
            _ => value,
        };
        let said = format!(
            "Tuned to {value}: {alarms} alarm{} on {things} thing{} in 14 days, budget {}/week · Alt-U undoes",
            if alarms == 1 { "" } else { "s" },
            if things == 1 { "" } else { "s" },
            per_week
        );
        Ok((tuned, said))
    }

    /// The chart's data arrived (or did not); the router drops an answer to a replaced request.
    pub fn loaded(&mut self, result: Result<ChartData, String>, now: f64) {
        // A reading that failed while following keeps what is shown.
        if result.is_ok() || !matches!(self.data, Some(Ok(_))) {
            self.data = Some(result);
            self.fleet.replace(None);
            self.alarms.replace(None);
        }
        self.loaded_at = Some(now);
    }

    /// When the chart is next read by itself: `FOLLOW_INTERVAL` after its
    /// data arrived, when the endpoint is on this machine (a sandbox: its
    /// reports arrive as devices send them). Against AWS the chart stays as
    /// read: reading 14 days of every thing again costs many calls.
    pub fn follow_at(&self, cx: &Shared) -> Option<f64> {
        let local = cx.endpoint_is_local();
        let at = self.loaded_at?;
        local.then_some(at + FOLLOW_INTERVAL)
    }

    /// Reads the data again when its time has come; what is shown stays
    /// until the new data arrives.
    pub fn follow(&mut self, cx: &mut Shared, out: &mut Vec<Effect>) {
        if !self.follow_at(cx).is_some_and(|at| at <= cx.now) {
            return;
        }
        let id = cx.requests.replace(crate::tui::requests::Wait::Chart, None);
        self.loaded_at = None;
        out.push(Effect::LoadChart { id, key: self.key.clone(), targets: self.targets.clone() });
    }

    /// The row under the chart: the alarms (or why there are none), the
    /// budget F6 tunes to, and first a warning when things send running
    /// totals where deltas belong (any threshold alarms on those).
    fn summary(
        &self,
        kind: Option<CriteriaKind>,
        no_value: bool,
        not_evaluated: Option<&str>,
        alarms: &[Alarm],
        series: &[Series],
    ) -> String {
        let things: std::collections::BTreeSet<&str> = alarms.iter().map(|a| &*a.thing).collect();
        let summary = match kind {
            Some(CriteriaKind::MlDetect) => "ML Detect is not imitated: no alarms to mark".to_owned(),
            _ if no_value => "no value to compare with yet: type one".to_owned(),
            _ if let Some(why) = not_evaluated => format!("not evaluated: {why}"),
            _ if alarms.is_empty() => "no window would alarm".to_owned(),
            _ => format!(
                "▲ {} alarm{} on {} thing{}",
                alarms.len(),
                if alarms.len() == 1 { "" } else { "s" },
                things.len(),
                if things.len() == 1 { "" } else { "s" }
            ),
        };
        let summary = format!("{summary} · F6 tunes to {}/week", BUDGETS[self.budget]);
        // Data that lies comes first: counters sent as running totals make any threshold alarm.
        let rising =
            if is_delta_metric(&self.key.metric) { series.iter().filter(|s| only_increases(s)).count() } else { 0 };
        match rising {
            0 => summary,
            1 => format!("⚠ 1 thing sends running totals, not deltas · {summary}"),
            n => format!("⚠ {n} things send running totals, not deltas · {summary}"),
        }
    }

    /// What to draw for behavior `b` (the open one), or why nothing is drawn.
    pub fn model(&self, b: &Behavior) -> Result<Model, String> {
        let words = crate::domain::choices::metric_words(&self.key.metric);
        let data = match &self.data {
            None => return Err(format!("Reading 14 days of {words} from the endpoint…")),
            Some(Err(e)) => return Err(format!("No chart: {e}")),
            Some(Ok(d)) => d,
        };
        let series = self.series();
        if series.is_empty() {
            return Err(format!(
                "No {words} data for the {} things the profile watches in the last 14 days",
                data.things
            ));
        }
        let key = MetricKey::of_behavior(b.metric.as_deref().unwrap_or_default(), b.metric_dimension.as_ref());
        if key != self.key {
            return Err("The metric or dimension changed: F4 charts the new one".to_owned());
        }
        if !series.iter().any(Series::is_numeric) {
            let (alarms, _) = self.alarms(b);
            let things: std::collections::BTreeSet<&str> = alarms.iter().map(|a| &*a.thing).collect();
            return Err(format!(
                "{words} is a list metric: the chart draws numbers only. These criteria give {} alarm{} on {} thing{} over the data read.",
                alarms.len(),
                if alarms.len() == 1 { "" } else { "s" },
                things.len(),
                if things.len() == 1 { "" } else { "s" }
            ));
        }
        let criteria = b.criteria.as_ref();
        let w = criteria.and_then(|c| c.duration_seconds).filter(|d| *d > 0).unwrap_or(DEFAULT_WINDOW);
        let (alarms, not_evaluated) = self.alarms(b);
        let shown = self.view.as_ref().and_then(|name| series.iter().find(|s| s.thing == *name));
        let (lines, title, alarms) = if let Some(s) = shown {
            let values: Vec<(f64, f64)> = window_sums(s, w).into_iter().map(|(t, n)| (t as f64, n)).collect();
            let order = self.visit_order(b);
            let at = order.iter().position(|(thing, _)| *thing == s.thing).map_or(0, |i| i + 1);
            let mine: Vec<Alarm> = alarms.into_iter().filter(|a| *a.thing == *s.thing).collect();
            let count = match mine.len() {
                0 => "no alarm".to_owned(),
                1 => "1 alarm".to_owned(),
                n => format!("{n} alarms"),
            };
            let title = format!("{} · {count} · {at} of {} · F5 next", s.thing, series.len());
            (vec![values], title, mine)
        } else {
            let fleet = self.fleet(w);
            let line = |k: usize| fleet.iter().map(|(t, v)| (*t as f64, v[k])).collect::<Vec<_>>();
            let capped = if data.capped { " (first 100)" } else { "" };
            let title = format!("fleet p50 p90 p99 · {} things{capped} · F5 one thing", series.len());
            (vec![line(0), line(1), line(2)], title, alarms)
        };
        let threshold = criteria
            .filter(|c| c.kind() == CriteriaKind::Static)
            .and_then(|c| c.value.as_ref())
            .and_then(|v| v.count.map(|n| n as f64).or(v.number));
        let (x0, x1) = lines.iter().flatten().fold((f64::MAX, f64::MIN), |(a, b), (t, _)| (a.min(*t), b.max(*t)));
        let y_max = axis_top(lines.iter().flatten().map(|(_, v)| *v).fold(threshold.unwrap_or(0.0), f64::max));
        let no_value = threshold.is_none() && criteria.is_some_and(|c| c.kind() == CriteriaKind::Static);
        let summary = self.summary(criteria.map(|c| c.kind()), no_value, not_evaluated, &alarms, series);
        let alarms = alarms.iter().map(|a| (a.start, a.end)).collect();
        Ok(Model { lines, threshold, alarms, x: (x0, x1), y_max, title, summary })
    }
}

/// The y axis's top for values up to `highest`: the first of 1, 2, 2.5, 5
/// times a power of ten that leaves at least 5% above it, so the ticks read
/// as round numbers (at least 1).
pub fn axis_top(highest: f64) -> f64 {
    let want = (highest * 1.05).max(1.0);
    let power = 10f64.powf(want.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * power).find(|top| *top >= want).unwrap_or(10.0 * power)
}

/// "1 alarm a week", "0.5 alarms a week", "no alarm".
pub fn budget_words(per_week: f64) -> String {
    if per_week == 0.0 {
        "no alarm".to_owned()
    } else if per_week == 1.0 {
        "1 alarm a week".to_owned()
    } else {
        format!("{per_week} alarms a week")
    }
}
