//! The keys: one `Action` per verb, and one table of bindings per context
//! (standard, plus what `keymap = vi` adds). Key handling looks actions up
//! here; the hint bar, the help overlay and README's key table are all made
//! from the same tables, so they cannot disagree. One verb has one key on
//! every screen: Esc goes back, Ctrl-A adds, Ctrl-D deletes, Ctrl-N / Ctrl-P
//! change section, F1 (or `?` where no text field has focus) shows the help.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    /// F3 on Home: the dimensions and custom metrics screen.
    Resources,
    /// The `aws iot` commands (and CloudFormation) for what would be sent.
    ShowCalls,
    /// Copy to the clipboard (OSC 52).
    Copy,
    /// Edit the profile or the behavior in $VISUAL / $EDITOR.
    EditExternal,
    /// The command palette.
    Palette,
    /// The status line's whole message, when it is cut.
    Message,
    /// Ctrl-Z: handled by the loop (the terminal is given back); listed for the help.
    Suspend,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    /// The previous option of a choice.
    Left,
    /// The next option of a choice.
    Right,
    NextField,
    PrevField,
    /// Enter: open, pick, restore, go to the field.
    Select,
    NextSection,
    PrevSection,
    Add,
    Duplicate,
    Delete,
    MoveUp,
    MoveDown,
    /// Ctrl-S in the editor: show the request before anything is sent.
    Review,
    /// Enter on the confirm screen: send the request shown.
    Send,
    Problems,
    DeleteProfile,
    NewProfile,
    Refresh,
    Undo,
    Redo,
    ClearField,
    Toggle,
    Write,
    Reapply,
    Overwrite,
    ShowFile,
    Filter,
    QuitAnyway,
    /// F4 in a behavior's form: the chart of its metric.
    Chart,
    /// F5 with the chart on: the next thing (after the last, the fleet).
    NextThing,
    /// F6 (t) with the chart on: the value tuned to the alarm budget, as one undoable edit.
    Tune,
    /// F7 with the chart on: a smaller alarm budget, tuned again.
    TuneFewer,
    /// F8 with the chart on: a larger alarm budget, tuned again.
    TuneMore,
    /// F4 on Home: the highlighted profile's violations.
    Violations,
    /// Enter on a violation: mark it true, benign or false positive.
    Verify,
    /// m in the violations view: start a mitigation task on the chosen violations.
    Mitigate,
}

/// Where a key is pressed. Lookups go through a chain, most specific first,
/// ending in `Global`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Global,
    Home,
    Editor,
    /// The behaviors list of the editor (no behavior open).
    Behaviors,
    Picker,
    Problems,
    Confirm,
    Result,
    Conflict,
    Drafts,
    Setup,
    /// The setup's first step, where Esc skips the rest (before `Setup`).
    SetupStart,
    DeletePrompt,
    QuitPrompt,
    /// Dimensions and custom metrics (F3 on Home).
    Resources,
    /// The form for a dimension or custom metric.
    ResourceForm,
    /// The calls overlay.
    Calls,
    /// A profile's violations (F4 on Home).
    Violations,
    /// Choosing the verification state to put on a violation.
    VerifyChoice,
    /// Starting a mitigation task from the violations view.
    Mitigate,
    /// The help overlay (any key not listed closes it).
    Help,
    /// The command palette (typing narrows it).
    Palette,
}

impl Context {
    /// Every context, in the order the help and README list them.
    pub const ALL: [Context; 22] = [
        Context::Global,
        Context::Home,
        Context::Editor,
        Context::Behaviors,
        Context::Picker,
        Context::Problems,
        Context::Confirm,
        Context::Result,
        Context::Conflict,
        Context::Drafts,
        Context::Setup,
        Context::SetupStart,
        Context::DeletePrompt,
        Context::QuitPrompt,
        Context::Resources,
        Context::ResourceForm,
        Context::Calls,
        Context::Violations,
        Context::VerifyChoice,
        Context::Mitigate,
        Context::Help,
        Context::Palette,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Home => "Home (profiles)",
            Context::Editor => "Editor",
            Context::Behaviors => "Behaviors list",
            Context::Picker => "Metric / dimension picker",
            Context::Problems => "Problems pane (F2)",
            Context::Confirm => "Review (confirm)",
            Context::Result => "Result",
            Context::Conflict => "Version conflict",
            Context::Drafts => "Unsent drafts",
            Context::Setup => "Setup",
            Context::SetupStart => "Setup, first step",
            Context::DeletePrompt => "Delete prompt",
            Context::QuitPrompt => "Quit prompt",
            Context::Resources => "Dimensions and custom metrics",
            Context::ResourceForm => "Dimension / custom metric form",
            Context::Calls => "The calls (aws iot commands)",
            Context::Violations => "Violations (F4 on Home)",
            Context::VerifyChoice => "Verification state (Enter on a violation)",
            Context::Mitigate => "Mitigation task (m on violations)",
            Context::Help => "Help (F1)",
            Context::Palette => "Command palette (:)",
        }
    }
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

pub(super) const fn plain(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}

pub(super) const fn ch(c: char) -> Key {
    plain(KeyCode::Char(c))
}

pub(super) const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

pub(super) const fn alt(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::ALT }
}

pub(super) const fn ctrl_code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::CONTROL }
}

pub(super) const UP: Key = plain(KeyCode::Up);
pub(super) const DOWN: Key = plain(KeyCode::Down);
pub(super) const ENTER: Key = plain(KeyCode::Enter);
pub(super) const ESC: Key = plain(KeyCode::Esc);
pub(super) const PGUP: Key = plain(KeyCode::PageUp);
pub(super) const PGDN: Key = plain(KeyCode::PageDown);
pub(super) const HOME: Key = plain(KeyCode::Home);
pub(super) const END: Key = plain(KeyCode::End);
pub(super) const DELETE: Key = plain(KeyCode::Delete);

impl Key {
    /// Whether a pressed key is this one. Shift is part of an upper-case
    /// letter, so it is not compared for characters.
    pub fn matches(&self, k: &KeyEvent) -> bool {
        let mods = |m: KeyModifiers| m & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        match (self.code, k.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                let strip = |m: KeyModifiers| mods(m) - KeyModifiers::SHIFT;
                let (a, b) = if self.mods.contains(KeyModifiers::CONTROL) {
                    (a.to_ascii_lowercase(), b.to_ascii_lowercase())
                } else {
                    (a, b)
                };
                a == b && strip(self.mods) == strip(k.modifiers)
            }
            (a, b) => a == b && mods(self.mods) == mods(k.modifiers),
        }
    }

    fn code_name(&self) -> String {
        match self.code {
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Delete => "Delete".into(),
            KeyCode::Backspace => "Backspace".into(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        }
    }

    /// `Ctrl-S`, `Alt-U`, `Enter`: as the help and README write it.
    pub fn long(&self) -> String {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("Alt-");
        }
        let name = self.code_name();
        if self.mods.contains(KeyModifiers::CONTROL) { s + &name.to_uppercase() } else { s + &name }
    }

    /// `^S`, `M-u`, `Enter`: as the hint bar writes it.
    pub fn short(&self) -> String {
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("^{}", self.code_name().to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            format!("M-{}", self.code_name())
        } else {
            self.code_name()
        }
    }
}

/// One binding: the action, its keys (the first is the one hints show), a
/// short hint (empty: not on the hint bar) and what the help says.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub action: Action,
    pub keys: &'static [Key],
    pub hint: &'static str,
    pub help: &'static str,
    /// Only with `keymap = vi`.
    pub vi: bool,
}

pub(super) const fn b(action: Action, keys: &'static [Key], hint: &'static str, help: &'static str) -> Binding {
    Binding { action, keys, hint, help, vi: false }
}

pub(super) const fn vi(action: Action, keys: &'static [Key], help: &'static str) -> Binding {
    Binding { action, keys, hint: "", help, vi: true }
}

use super::bindings::{
    BEHAVIOR_KEYS, CALL_KEYS, CONFIRM_KEYS, CONFLICT_KEYS, DELETE_KEYS, DRAFT_KEYS, EDITOR_KEYS, FORM_KEYS, GLOBAL,
    HELP_KEYS, HOME_KEYS, MITIGATE_KEYS, PALETTE_KEYS, PICKER_KEYS, PROBLEM_KEYS, QUIT_KEYS, RESOURCE_KEYS,
    RESULT_KEYS, SETUP_KEYS, SETUP_START_KEYS, VERIFY_KEYS, VIOLATION_KEYS,
};

/// The bindings of one context (vi's included; `Binding::vi` marks them).
pub fn table(ctx: Context) -> &'static [Binding] {
    match ctx {
        Context::Global => GLOBAL,
        Context::Home => HOME_KEYS,
        Context::Editor => EDITOR_KEYS,
        Context::Behaviors => BEHAVIOR_KEYS,
        Context::Picker => PICKER_KEYS,
        Context::Problems => PROBLEM_KEYS,
        Context::Confirm => CONFIRM_KEYS,
        Context::Result => RESULT_KEYS,
        Context::Conflict => CONFLICT_KEYS,
        Context::Drafts => DRAFT_KEYS,
        Context::Setup => SETUP_KEYS,
        Context::SetupStart => SETUP_START_KEYS,
        Context::DeletePrompt => DELETE_KEYS,
        Context::QuitPrompt => QUIT_KEYS,
        Context::Resources => RESOURCE_KEYS,
        Context::ResourceForm => FORM_KEYS,
        Context::Calls => CALL_KEYS,
        Context::Violations => VIOLATION_KEYS,
        Context::VerifyChoice => VERIFY_KEYS,
        Context::Mitigate => MITIGATE_KEYS,
        Context::Help => HELP_KEYS,
        Context::Palette => PALETTE_KEYS,
    }
}

/// The action a key means in a chain of contexts (most specific first), then `Global`.
pub fn lookup(chain: &[Context], vi_keys: bool, key: &KeyEvent) -> Option<Action> {
    chain
        .iter()
        .chain(std::iter::once(&Context::Global))
        .flat_map(|c| table(*c))
        .filter(|b| vi_keys || !b.vi)
        .find(|b| b.keys.iter().any(|k| k.matches(key)))
        .map(|b| b.action)
}

/// The key a chain binds to `action` (its first), as a key event: how the
/// mouse wheel reaches a screen as Up and Down.
pub fn key_for(chain: &[Context], vi_keys: bool, action: Action) -> Option<KeyEvent> {
    chain
        .iter()
        .chain(std::iter::once(&Context::Global))
        .flat_map(|c| table(*c))
        .filter(|b| vi_keys || !b.vi)
        .find(|b| b.action == action)
        .and_then(|b| b.keys.first())
        .map(|k| KeyEvent::new(k.code, k.mods))
}

/// The hint bar: `(key, hint)` for each hinted binding of the chain whose
/// action `enabled` allows, an action hinted once (the most specific
/// context's words win). An arrow whose opposite arrow the same context
/// binds to the opposite action shows both (`↑↓ choose`, `←→ change`): the
/// hint is about moving either way.
pub fn hints(chain: &[Context], enabled: impl Fn(Action) -> bool) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let mut hinted: Vec<Action> = Vec::new();
    for ctx in chain {
        for b in table(*ctx) {
            if b.hint.is_empty()
                || b.vi
                || !enabled(b.action)
                || out.iter().any(|(_, h)| *h == b.hint)
                || hinted.contains(&b.action)
            {
                continue;
            }
            if let Some(k) = b.keys.first() {
                out.push((arrow_pair(*ctx, b.action, k).unwrap_or_else(|| k.short()), b.hint));
                hinted.push(b.action);
            }
        }
    }
    out
}

/// `↑↓` or `←→` when `key` is an arrow bound to `action` and `ctx` binds the
/// opposite arrow (first) to the opposite action.
fn arrow_pair(ctx: Context, action: Action, key: &Key) -> Option<String> {
    if !key.mods.is_empty() {
        return None;
    }
    let (opposite, opposite_code, pair) = match (action, key.code) {
        (Action::Up, KeyCode::Up) => (Action::Down, KeyCode::Down, "↑↓"),
        (Action::Down, KeyCode::Down) => (Action::Up, KeyCode::Up, "↑↓"),
        (Action::Left, KeyCode::Left) => (Action::Right, KeyCode::Right, "←→"),
        (Action::Right, KeyCode::Right) => (Action::Left, KeyCode::Left, "←→"),
        _ => return None,
    };
    let bound = table(ctx).iter().any(|b| {
        !b.vi && b.action == opposite && b.keys.first().is_some_and(|k| k.code == opposite_code && k.mods.is_empty())
    });
    bound.then(|| pair.to_owned())
}

/// The help rows of a chain (then `Global`): keys and what they do.
pub fn help_rows(chain: &[Context], vi_keys: bool) -> Vec<(String, &'static str)> {
    chain
        .iter()
        .chain(std::iter::once(&Context::Global))
        .flat_map(|c| table(*c))
        .filter(|b| vi_keys || !b.vi)
        .map(|b| (b.keys.iter().map(Key::long).collect::<Vec<_>>().join(" / "), b.help))
        .collect()
}

/// README's key table, as markdown: one row per binding, vi's marked.
pub fn markdown() -> String {
    let mut out = String::from("| Where | Keys | What |\n|---|---|---|\n");
    for ctx in Context::ALL {
        for b in table(ctx) {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.long())).collect();
            let what = if b.vi { format!("{} (keymap = vi)", b.help) } else { b.help.to_owned() };
            out.push_str(&format!("| {} | {} | {} |\n", ctx.title(), keys.join(" "), what.replace('|', "\\|")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_one_action_per_context() {
        for ctx in Context::ALL {
            let keys: Vec<(Key, bool)> = table(ctx).iter().flat_map(|b| b.keys.iter().map(|k| (*k, b.vi))).collect();
            for (i, (a, _)) in keys.iter().enumerate() {
                for (b, _) in &keys[i + 1..] {
                    assert!(a != b, "{ctx:?}: {} is bound twice", a.long());
                }
            }
        }
    }

    #[test]
    fn lookups() {
        let key = |code, mods| KeyEvent::new(code, mods);
        let shift_k = key(KeyCode::Char('K'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&[Context::Behaviors, Context::Editor], false, &shift_k), Some(Action::MoveUp));
        assert_eq!(lookup(&[Context::Home], false, &key(KeyCode::Char('j'), KeyModifiers::NONE)), None);
        assert_eq!(lookup(&[Context::Home], true, &key(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(lookup(&[Context::Editor], false, &key(KeyCode::Char('u'), KeyModifiers::ALT)), Some(Action::Undo));
        assert_eq!(
            lookup(&[Context::Confirm], false, &key(KeyCode::Char('s'), KeyModifiers::CONTROL)),
            None,
            "a second Ctrl-S does not send"
        );
    }

    #[test]
    fn a_chooser_hints_both_arrows() {
        let verify = hints(&[Context::VerifyChoice], |_| true);
        assert_eq!(verify.first(), Some(&("↑↓".to_owned(), "choose")), "{verify:?}");
        let calls = hints(&[Context::Calls], |_| true);
        assert!(calls.contains(&("↑↓".to_owned(), "scroll")), "{calls:?}");
        // Ctrl-arrows and keys other than arrows keep their own name.
        assert_eq!(arrow_pair(Context::Calls, Action::Copy, &ch('y')), None);
        assert_eq!(arrow_pair(Context::Calls, Action::Up, &ctrl('p')), None);
    }
}
