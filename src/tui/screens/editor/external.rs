//! Editing in `$VISUAL` / `$EDITOR`: the profile (or one behavior) as YAML
//! goes out to the user's own editor; what comes back is read with the usual
//! reader. Unchanged text changes nothing; text that does not read is kept
//! and its line and column said, to be reopened with the same key; text that
//! reads replaces the profile or the behavior as one edit, which undo takes
//! back.

use super::EditorScreen;
use crate::domain::profile::{Behavior, SecurityProfile};
use crate::tui::shared::Shared;
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

impl EditorScreen {
    /// The YAML to edit: the profile, or the open (or highlighted) behavior.
    pub fn external_text(&self, scope: Scope) -> Option<String> {
        let value = match scope {
            Scope::Profile => serde_json::to_value(&self.profile).ok()?,
            Scope::Behavior(i) => serde_json::to_value(self.profile.behaviors.as_ref()?.get(i)?).ok()?,
        };
        Some(crate::wire::yaml_out::to_yaml(&value, &|_| None))
    }

    /// What the key asks to edit: the open behavior, the highlighted one on the list, else the profile.
    pub fn external_scope(&self) -> Scope {
        match (self.open, self.focused().map(|r| r.id)) {
            (Some(i), _) => Scope::Behavior(i),
            (None, Some(super::rows::FieldId::Behavior(i))) => Scope::Behavior(i),
            _ => Scope::Profile,
        }
    }

    /// Takes the text back from the external editor (`back`; `edit` is what
    /// went out). Returns the text to keep for a reopen when it does not read.
    pub fn external_done(&mut self, edit: &ExternalEdit, back: &str, cx: &mut Shared) -> Option<String> {
        if back == edit.text {
            if edit.text == edit.original {
                cx.say("No change: the file came back as it went");
                return None;
            }
            cx.say("No change: the text came back as it went, still not read; Ctrl-E reopens it");
            return Some(edit.text.clone());
        }
        let edit = &ExternalEdit { text: back.to_owned(), ..edit.clone() };
        let format = Format::detect(&edit.text);
        match edit.scope {
            Scope::Profile => match parse::<SecurityProfile>(&edit.text, format) {
                Ok(p) if self.base.is_some() && p.security_profile_name != self.profile.security_profile_name => {
                    cx.say("The name of an existing profile is fixed: change it back and Ctrl-E reopens your text");
                    Some(edit.text.clone())
                }
                Ok(p) => {
                    self.edit(cx, "edited in $EDITOR".into(), None, |ed, _| ed.profile = p);
                    cx.say("Took the profile from $EDITOR · Alt-U undoes");
                    None
                }
                Err(e) => {
                    cx.say(format!("The edit does not read: {e}; Ctrl-E reopens your text"));
                    Some(edit.text.clone())
                }
            },
            Scope::Behavior(i) => match parse::<Behavior>(&edit.text, format) {
                Ok(b) => {
                    self.edit(cx, format!("edited behavior {} in $EDITOR", b.name), None, |ed, _| {
                        if let Some(slot) = ed.profile.behaviors.as_mut().and_then(|l| l.get_mut(i)) {
                            *slot = b;
                        }
                    });
                    cx.say("Took the behavior from $EDITOR · Alt-U undoes");
                    None
                }
                Err(e) => {
                    cx.say(format!("The edit does not read: {e}; Ctrl-E reopens your text"));
                    Some(edit.text.clone())
                }
            },
        }
    }
}
