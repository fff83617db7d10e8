//! The allow-list a fleet shows: for an `in-port-set`, `in-cidr-set` or
//! `in-set` behavior, each port, address or item with the share of things
//! that used it, and the set used by at least a chosen share of them. An
//! address is listed as itself (`/32`, `/128`): the data shows addresses, not
//! the networks an operator may mean (choice: no prefix is guessed).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::enums::ComparisonOperator;
use crate::domain::metric_data::{MetricData, MetricKey, Reported};
use crate::domain::profile::{Behavior, MetricValue};

/// One item of the fleet's data.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// As the criteria's value writes it: `443`, `10.0.0.1/32`, `eth0`.
    pub text: String,
    /// Things that reported it at least once.
    pub things: u64,
    /// `things` over the things that reported the metric (0 to 1).
    pub share: f64,
}

/// What the data shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AllowList {
    /// Most used first.
    pub items: Vec<Item>,
    /// Things that reported the metric.
    pub things: u64,
    /// The criteria's value with the items used by at least the share asked.
    pub value: MetricValue,
}

/// An item's sort key and text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Port(i64),
    Address(std::net::IpAddr),
    Number(u64, String),
    Text(String),
}

/// None for a behavior whose operator is not an allow-list.
pub fn allow_list(behavior: &Behavior, data: &MetricData, min_share: f64) -> Option<AllowList> {
    let criteria = behavior.criteria.as_ref()?;
    let op = criteria.comparison_operator.as_ref()?;
    if !matches!(op, ComparisonOperator::InPortSet | ComparisonOperator::InCidrSet | ComparisonOperator::InSet) {
        return None;
    }
    let key = MetricKey::of_behavior(behavior.metric.as_deref()?, behavior.metric_dimension.as_ref());
    let mut used: BTreeMap<Key, u64> = BTreeMap::new();
    let series = data.series(&key);
    for s in series {
        let mut mine: BTreeSet<Key> = BTreeSet::new();
        for i in 0..s.len() {
            match s.value(i) {
                Reported::Ports(p) => mine.extend(p.into_iter().map(Key::Port)),
                Reported::Addresses(a) => mine.extend(a.into_iter().map(Key::Address)),
                Reported::Numbers(n) => mine.extend(n.into_iter().map(|n| Key::Number(n.to_bits(), n.to_string()))),
                Reported::Strings(t) => mine.extend(t.into_iter().map(Key::Text)),
                Reported::Number(_) => {}
            }
        }
        for k in mine {
            *used.entry(k).or_default() += 1;
        }
    }
    let things = series.len() as u64;
    let mut items: Vec<(Key, Item)> = used
        .into_iter()
        .map(|(k, n)| {
            let text = match &k {
                Key::Port(p) => p.to_string(),
                Key::Address(a) if a.is_ipv4() => format!("{a}/32"),
                Key::Address(a) => format!("{a}/128"),
                Key::Number(_, t) | Key::Text(t) => t.clone(),
            };
            (k, Item { text, things: n, share: n as f64 / things.max(1) as f64 })
        })
        .collect();
    items.sort_by(|a, b| b.1.things.cmp(&a.1.things).then(a.0.cmp(&b.0)));
    let mut kept: Vec<&(Key, Item)> = items.iter().filter(|(_, i)| i.share >= min_share).collect();
    kept.sort_by(|a, b| a.0.cmp(&b.0));
    let mut value = MetricValue::default();
    match op {
        ComparisonOperator::InPortSet => {
            value.ports =
                Some(kept.iter().filter_map(|(k, _)| if let Key::Port(p) = k { Some(*p) } else { None }).collect())
        }
        ComparisonOperator::InCidrSet => value.cidrs = Some(kept.iter().map(|(_, i)| i.text.clone()).collect()),
        _ if criteria.value.as_ref().is_some_and(|v| v.numbers.is_some())
            || kept.iter().any(|(k, _)| matches!(k, Key::Number(..))) =>
        {
            value.numbers = Some(kept.iter().filter_map(|(_, i)| i.text.parse().ok()).collect())
        }
        _ => value.strings = Some(kept.iter().map(|(_, i)| i.text.clone()).collect()),
    }
    Some(AllowList { items: items.into_iter().map(|(_, i)| i).collect(), things, value })
}
