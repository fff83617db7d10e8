//! FieldPath: where in a request a value sits, written the way the AWS CLI and
//! our messages write it: `behaviors[2].criteria.durationSeconds`,
//! `alertTargets.SNS.roleArn`. The editor maps a path back to its field.

use std::fmt;

use super::untrusted::neutralise;

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A member with its wire name.
    Key(&'static str),
    /// A list element.
    Index(usize),
    /// A map key from the input (alert target types).
    MapKey(String),
}

/// A path from the request's root; empty means the request itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(Vec<Segment>);

impl FieldPath {
    /// The request itself.
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// This path followed by a member.
    pub fn key(&self, name: &'static str) -> Self {
        self.with(Segment::Key(name))
    }

    /// This path followed by a list index.
    pub fn index(&self, i: usize) -> Self {
        self.with(Segment::Index(i))
    }

    /// This path followed by a map key.
    pub fn map_key(&self, key: &str) -> Self {
        self.with(Segment::MapKey(key.to_owned()))
    }

    fn with(&self, segment: Segment) -> Self {
        let mut segments = Vec::with_capacity(self.0.len() + 1);
        segments.extend_from_slice(&self.0);
        segments.push(segment);
        FieldPath(segments)
    }

    /// The steps from the root.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// True when `self` is `other` or lies inside it.
    pub fn starts_with(&self, other: &FieldPath) -> bool {
        self.0.starts_with(&other.0)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("input");
        }
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(name) if i == 0 => f.write_str(name)?,
                Segment::Key(name) => write!(f, ".{name}")?,
                Segment::MapKey(key) if i == 0 => f.write_str(&neutralise(key))?,
                Segment::MapKey(key) => write!(f, ".{}", neutralise(key))?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_the_aws_cli() {
        let p = FieldPath::root().key("behaviors").index(2).key("criteria").key("durationSeconds");
        assert_eq!(p.to_string(), "behaviors[2].criteria.durationSeconds");
        let q = FieldPath::root().key("alertTargets").map_key("SNS").key("roleArn");
        assert_eq!(q.to_string(), "alertTargets.SNS.roleArn");
        assert_eq!(FieldPath::root().to_string(), "input");
        assert!(p.starts_with(&FieldPath::root().key("behaviors").index(2)));
        assert!(!p.starts_with(&FieldPath::root().key("behaviors").index(1)));
    }
}
