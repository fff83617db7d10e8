//! Editing in `$VISUAL` / `$EDITOR`: the profile (or one behavior) as YAML
//! goes out to the user's own editor; what comes back is read with the usual
//! reader. Unchanged text changes nothing; text that does not read is kept
//! and its line and column said, to be reopened with the same key; text that
//! reads replaces the profile or the behavior as one edit, which undo takes
//! back.

use crate::domain::profile::{Behavior, SecurityProfile};
use crate::wire::input::{Format, parse};

/// What goes to the external editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Profile,
    Behavior(usize),
}

/// Text handed out, and what it is of.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalEdit {
    pub scope: Scope,
    pub text: String,
    /// The text as first handed out (an edit back to it is no change).
    pub original: String,
}

/// What came back from the external editor, for the editor to apply.
pub enum Returned {
    /// Nothing to apply: the status line's words, and the text to keep for a
    /// reopen (text that does not read, or that came back as it went unread).
    Kept {
        said: String,
        keep: Option<String>,
    },
    Profile(Box<SecurityProfile>),
    Behavior(usize, Box<Behavior>),
}

impl ExternalEdit {
    /// The YAML to edit of `profile`: all of it, or one behavior.
    pub fn text_of(profile: &SecurityProfile, scope: Scope) -> Option<String> {
        let value = match scope {
            Scope::Profile => serde_json::to_value(profile).ok()?,
            Scope::Behavior(i) => serde_json::to_value(profile.behaviors.as_ref()?.get(i)?).ok()?,
        };
        Some(crate::wire::yaml_out::to_yaml(&value, &|_| None))
    }

    /// Reads the text `back` from the external editor. `fixed_name` is the
    /// name of a profile that exists on the endpoint (it cannot change).
    pub fn returned(&self, back: &str, fixed_name: Option<&str>) -> Returned {
        let kept = |said: String, keep: Option<String>| Returned::Kept { said, keep };
        if back == self.text {
            if self.text == self.original {
                return kept("No change: the file came back as it went".into(), None);
            }
            let said = "No change: the text came back as it went, still not read; Ctrl-E reopens it";
            return kept(said.into(), Some(self.text.clone()));
        }
        let unread = |e: crate::wire::input::InputError| {
            kept(format!("The edit does not read: {}; Ctrl-E reopens your text", e.summary()), Some(back.to_owned()))
        };
        let format = Format::detect(back);
        match self.scope {
            Scope::Profile => match parse::<SecurityProfile>(back, format) {
                Ok(p) if fixed_name.is_some_and(|n| n != p.security_profile_name) => kept(
                    "The name of an existing profile is fixed: change it back and Ctrl-E reopens your text".into(),
                    Some(back.to_owned()),
                ),
                Ok(p) => Returned::Profile(Box::new(p)),
                Err(e) => unread(e),
            },
            Scope::Behavior(i) => match parse::<Behavior>(back, format) {
                Ok(b) => Returned::Behavior(i, Box::new(b)),
                Err(e) => unread(e),
            },
        }
    }
}
