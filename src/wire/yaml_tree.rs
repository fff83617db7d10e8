//! A YAML document read as YAML 1.2's core schema types it, with the place of
//! every node. The AWS CLI loads YAML first and validates types after
//! (service.md §7 "Types are strict whatever the file format"): a quoted
//! `"100"` is a string and is refused where an integer is expected, `1.10` is a
//! number and is refused where a string is expected. Reading the typed model
//! straight from serde-saphyr would coerce both, so the input reader turns the
//! YAML into this tree, the tree into a JSON value, and the value into the
//! model with JSON's strictness; `Locations` maps each field path back to its
//! line and column for the error.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::{Location, Spanned};

/// One node, typed as the YAML core schema resolves it (plain `true` is a
/// boolean, `"true"` a string).
#[derive(Debug)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::UInt(v))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Node, E> {
        // Beyond 64 bits no member fits; kept as a float so the model refuses it as out of range.
        Ok(Node::Float(v as f64))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Node, E> {
        Ok(Node::Float(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        Ok(Node::Str(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<Node>>()?;
            members.push((key, value));
        }
        Ok(Node::Map(members))
    }
}

/// Where each field path's key and value sit, 1-based (line, column).
#[derive(Debug, Default)]
pub struct Locations {
    places: HashMap<String, Place>,
}

#[derive(Debug, Clone, Copy)]
struct Place {
    key: (usize, usize),
    value: (usize, usize),
}

impl Locations {
    /// The place of the value at `path` (`behaviors[0].criteria.value.count`).
    pub fn value(&self, path: &str) -> Option<(usize, usize)> {
        self.places.get(path).map(|p| p.value)
    }

    /// The place of the key that names `path`, or of the value for a list item.
    pub fn key(&self, path: &str) -> Option<(usize, usize)> {
        self.places.get(path).map(|p| p.key)
    }
}

/// A YAML value that JSON cannot hold (`.inf`, `.nan`).
#[derive(Debug)]
pub struct NotFinite {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

fn at(location: Location) -> (usize, usize) {
    (location.line() as usize, location.column() as usize)
}

/// The tree as a JSON value, and the place of every path in it.
pub fn into_json(root: Spanned<Node>) -> Result<(Value, Locations), NotFinite> {
    let mut locations = Locations::default();
    let here = at(root.referenced);
    locations.places.insert(String::new(), Place { key: here, value: here });
    let value = convert(root.value, String::new(), &mut locations)?;
    Ok((value, locations))
}

fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") }
}

fn convert(node: Node, path: String, locations: &mut Locations) -> Result<Value, NotFinite> {
    Ok(match node {
        Node::Null => Value::Null,
        Node::Bool(b) => Value::Bool(b),
        Node::Int(i) => Value::from(i),
        Node::UInt(u) => Value::from(u),
        Node::Str(s) => Value::String(s),
        Node::Float(f) => match Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None => {
                let (line, column) = locations.value(&path).unwrap_or((0, 0));
                return Err(NotFinite { path, line, column });
            }
        },
        Node::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let item_path = format!("{path}[{i}]");
                let place = at(item.referenced);
                locations.places.insert(item_path.clone(), Place { key: place, value: place });
                out.push(convert(item.value, item_path, locations)?);
            }
            Value::Array(out)
        }
        Node::Map(members) => {
            let mut out = Map::with_capacity(members.len());
            for (key, value) in members {
                let member_path = child(&path, &key.value);
                let place = Place { key: at(key.referenced), value: at(value.referenced) };
                locations.places.insert(member_path.clone(), place);
                let converted = convert(value.value, member_path, locations)?;
                out.insert(key.value, converted);
            }
            Value::Object(out)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> (Value, Locations) {
        let root: Spanned<Node> = serde_saphyr::from_str(text).unwrap();
        into_json(root).unwrap()
    }

    #[test]
    fn quoted_scalars_stay_strings_and_plain_ones_are_typed() {
        let (value, _) = tree("a: \"100\"\nb: 100\nc: 'true'\nd: true\ne: 1.10\nf: yes\ng:\n");
        assert_eq!(value["a"], Value::String("100".into()));
        assert_eq!(value["b"], Value::from(100));
        assert_eq!(value["c"], Value::String("true".into()));
        assert_eq!(value["d"], Value::Bool(true));
        assert_eq!(value["e"], Value::from(1.1));
        assert_eq!(value["g"], Value::Null);
        // Members keep the file's order.
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["a", "b", "c", "d", "e", "f", "g"]);
    }

    #[test]
    fn every_path_has_its_place() {
        let (_, places) = tree("behaviors:\n  - name: a\n    criteria:\n      value:\n        count: \"5\"\n");
        assert_eq!(places.value("behaviors[0].criteria.value.count"), Some((5, 16)));
        assert_eq!(places.key("behaviors[0].criteria.value.count"), Some((5, 9)));
        assert_eq!(places.value("behaviors[0]").map(|p| p.0), Some(2));
    }

    #[test]
    fn non_finite_numbers_never_reach_the_tree() {
        // serde-saphyr refuses `.inf` and `.nan` by default, with their place;
        // `into_json` names them too should that policy ever change.
        let e = serde_saphyr::from_str::<Spanned<Node>>("a:\n  b: .inf\n").unwrap_err();
        assert_eq!(e.location().map(|l| l.line()), Some(2));
        let root = Spanned { value: Node::Float(f64::NAN), referenced: Location::UNKNOWN, defined: Location::UNKNOWN };
        assert!(into_json(root).is_err());
    }
}
