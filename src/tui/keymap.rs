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
    DeletePrompt,
    QuitPrompt,
    /// Dimensions and custom metrics (F3 on Home).
    Resources,
    /// The form for a dimension or custom metric.
    ResourceForm,
}

impl Context {
    /// Every context, in the order the help and README list them.
    pub const ALL: [Context; 15] = [
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
        Context::DeletePrompt,
        Context::QuitPrompt,
        Context::Resources,
        Context::ResourceForm,
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
            Context::DeletePrompt => "Delete prompt",
            Context::QuitPrompt => "Quit prompt",
            Context::Resources => "Dimensions and custom metrics",
            Context::ResourceForm => "Dimension / custom metric form",
        }
    }
}

/// A key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn plain(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}

const fn ch(c: char) -> Key {
    plain(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::CONTROL }
}

const fn alt(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::ALT }
}

const fn ctrl_code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::CONTROL }
}

const UP: Key = plain(KeyCode::Up);
const DOWN: Key = plain(KeyCode::Down);
const ENTER: Key = plain(KeyCode::Enter);
const ESC: Key = plain(KeyCode::Esc);
const PGUP: Key = plain(KeyCode::PageUp);
const PGDN: Key = plain(KeyCode::PageDown);
const HOME: Key = plain(KeyCode::Home);
const END: Key = plain(KeyCode::End);
const DELETE: Key = plain(KeyCode::Delete);

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

const fn b(action: Action, keys: &'static [Key], hint: &'static str, help: &'static str) -> Binding {
    Binding { action, keys, hint, help, vi: false }
}

const fn vi(action: Action, keys: &'static [Key], help: &'static str) -> Binding {
    Binding { action, keys, hint: "", help, vi: true }
}

const GLOBAL: &[Binding] = &[
    b(Action::Help, &[plain(KeyCode::F(1)), ch('?')], "help", "this help (? where no text field has focus)"),
    b(Action::Quit, &[ctrl('q'), ctrl('c')], "quit", "quit (asks first when an edit is not saved as a draft)"),
    b(Action::Suspend, &[ctrl('z')], "", "suspend to the shell; fg comes back"),
];

const HOME_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "open", "open the profile (resumes its draft if it has one)"),
    b(Action::NewProfile, &[ctrl('n')], "new", "a new profile"),
    b(Action::Refresh, &[ctrl('r')], "refresh", "list the profiles again"),
    b(Action::Resources, &[plain(KeyCode::F(3))], "dims/metrics", "the endpoint's dimensions and custom metrics"),
    b(Action::Delete, &[ctrl('d'), DELETE], "delete", "delete the profile (asks for its name)"),
    b(Action::Up, &[UP], "", "move up"),
    b(Action::Down, &[DOWN], "", "move down"),
    b(Action::PageUp, &[PGUP], "", "a page up"),
    b(Action::PageDown, &[PGDN], "", "a page down"),
    b(Action::First, &[HOME], "", "first profile"),
    b(Action::Last, &[END], "", "last profile"),
    b(Action::Back, &[ESC], "", "clear the filter (typing filters the list)"),
    vi(Action::Down, &[ch('j')], "move down"),
    vi(Action::Up, &[ch('k')], "move up"),
    vi(Action::First, &[ch('g')], "first profile"),
    vi(Action::Last, &[ch('G')], "last profile"),
    vi(Action::Filter, &[ch('/')], "filter: typing goes to the filter until Esc"),
];

const EDITOR_KEYS: &[Binding] = &[
    b(Action::Up, &[UP, plain(KeyCode::BackTab)], "", "previous field"),
    b(Action::Down, &[DOWN, plain(KeyCode::Tab)], "", "next field (Enter too, from a text field)"),
    b(Action::Left, &[plain(KeyCode::Left)], "", "previous option of a choice"),
    b(Action::Right, &[plain(KeyCode::Right)], "choose", "next option of a choice"),
    b(Action::Toggle, &[ch(' ')], "", "turn a switch on or off"),
    b(Action::Select, &[ENTER], "", "open a picker or a behavior; next field from a text field"),
    b(Action::NextSection, &[ctrl('n'), PGDN], "section", "next section"),
    b(Action::PrevSection, &[ctrl('p'), PGUP], "", "previous section"),
    b(Action::Add, &[ctrl('a')], "add", "add a list entry (behavior, tag, retained metric)"),
    b(Action::Delete, &[ctrl('d'), DELETE], "delete", "delete the list entry (Delete outside text fields)"),
    b(Action::Undo, &[alt('u')], "undo", "undo the last edit"),
    b(Action::Redo, &[alt('e')], "", "redo what was undone"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the text field"),
    b(Action::Problems, &[plain(KeyCode::F(2))], "problems", "list the problems; Enter jumps to one"),
    b(Action::Review, &[ctrl('s')], "review", "review the request; nothing is sent before Enter there"),
    b(Action::DeleteProfile, &[ctrl('x')], "", "delete the profile (asks for its name)"),
    b(Action::Back, &[ESC], "back", "back: behavior → list → home (edits stay as a draft)"),
];

const BEHAVIOR_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "edit", "edit the behavior"),
    b(Action::Add, &[ch('a')], "", "add a behavior"),
    b(Action::Duplicate, &[ch('c')], "", "duplicate the behavior"),
    b(Action::Delete, &[ch('d')], "", "delete the behavior"),
    b(Action::MoveUp, &[ch('K'), ctrl_code(KeyCode::Up)], "", "move the behavior up"),
    b(Action::MoveDown, &[ch('J'), ctrl_code(KeyCode::Down)], "", "move the behavior down"),
];

const PICKER_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "choose", "previous item (typing searches)"),
    b(Action::Down, &[DOWN], "", "next item"),
    b(Action::PageUp, &[PGUP], "", "a page up"),
    b(Action::PageDown, &[PGDN], "", "a page down"),
    b(Action::Select, &[ENTER], "pick", "pick it"),
    b(Action::Back, &[ESC], "cancel", "cancel (a new behavior's first pick cancels the add)"),
];

const PROBLEM_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "problem", "previous problem"),
    b(Action::Down, &[DOWN], "", "next problem"),
    b(Action::Select, &[ENTER], "go to field", "go to the field"),
    b(Action::Back, &[ESC, plain(KeyCode::F(2))], "back", "back to the form"),
];

const CONFIRM_KEYS: &[Binding] = &[
    b(Action::Send, &[ENTER], "submit", "send the request shown (once)"),
    b(Action::Back, &[ESC], "back to edit", "back to the editor; nothing is sent"),
    b(Action::Write, &[ch('w')], "write", "write the request to a new file in the current directory"),
    b(Action::Up, &[UP], "scroll", "scroll up"),
    b(Action::Down, &[DOWN], "", "scroll down"),
    b(Action::PageUp, &[PGUP], "", "a page up"),
    b(Action::PageDown, &[PGDN], "", "a page down"),
    b(Action::First, &[HOME], "", "the top"),
    b(Action::Last, &[END], "", "the last line"),
];

const RESULT_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "profile", "back to the profile"),
    b(Action::Back, &[ESC], "home", "home"),
    b(Action::NewProfile, &[ctrl('n')], "new", "a new profile"),
];

const CONFLICT_KEYS: &[Binding] = &[
    b(Action::Reapply, &[ch('r')], "reapply", "reapply your changes on the server's new version"),
    b(Action::Overwrite, &[ch('o')], "overwrite", "overwrite: resend yours, expecting the new version"),
    b(Action::Back, &[ESC], "keep editing", "back to the editor with your edits"),
];

const DRAFT_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "restore", "restore the draft in the editor, where it was left"),
    b(Action::Delete, &[ctrl('d'), DELETE, ch('d')], "discard", "discard the draft"),
    b(Action::ShowFile, &[ch('o')], "file", "show its request file (works with --cli-input-json)"),
    b(Action::Up, &[UP], "", "previous draft"),
    b(Action::Down, &[DOWN], "", "next draft"),
    b(Action::Back, &[ESC], "later", "go on to the profiles; drafts are kept"),
    vi(Action::Down, &[ch('j')], "next draft"),
    vi(Action::Up, &[ch('k')], "previous draft"),
];

const SETUP_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "choose", "previous choice (typing edits the region or name)"),
    b(Action::Down, &[DOWN], "", "next choice"),
    b(Action::Select, &[ENTER], "next", "next step"),
    b(Action::Back, &[ESC], "back", "back a step (skips the setup on the first)"),
];

const DELETE_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "delete", "delete, once the name typed matches"),
    b(Action::Back, &[ESC], "cancel", "cancel"),
];

const QUIT_KEYS: &[Binding] = &[
    b(Action::Write, &[ch('w')], "write", "write the request to the current directory"),
    b(Action::QuitAnyway, &[ch('q')], "quit anyway", "quit and lose the newest edit"),
    b(Action::Back, &[ESC], "keep editing", "back to the edits"),
];

const RESOURCE_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "edit", "edit it (a dimension's topic filters, a metric's display name)"),
    b(Action::Add, &[ctrl('a')], "new", "make a new one"),
    b(Action::Delete, &[ctrl('d'), DELETE], "delete", "delete it (asks for its name; refused while a profile uses it)"),
    b(Action::Right, &[plain(KeyCode::Right), plain(KeyCode::Tab)], "switch", "dimensions ↔ custom metrics"),
    b(Action::Left, &[plain(KeyCode::Left)], "", "dimensions ↔ custom metrics"),
    b(Action::Up, &[UP], "", "move up"),
    b(Action::Down, &[DOWN], "", "move down"),
    b(Action::Refresh, &[ctrl('r')], "", "list them again"),
    b(Action::Back, &[ESC], "home", "home"),
];

const FORM_KEYS: &[Binding] = &[
    b(Action::Review, &[ctrl('s')], "send", "send it (CreateDimension / CreateCustomMetric, or the update)"),
    b(Action::Down, &[DOWN, plain(KeyCode::Tab), ENTER], "field", "next field"),
    b(Action::Up, &[UP, plain(KeyCode::BackTab)], "", "previous field"),
    b(Action::Right, &[plain(KeyCode::Right), ch(' ')], "", "next metric type"),
    b(Action::Left, &[plain(KeyCode::Left)], "", "previous metric type"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the field"),
    b(Action::Back, &[ESC], "cancel", "cancel; nothing is sent"),
];

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
        Context::DeletePrompt => DELETE_KEYS,
        Context::QuitPrompt => QUIT_KEYS,
        Context::Resources => RESOURCE_KEYS,
        Context::ResourceForm => FORM_KEYS,
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

/// The hint bar: `(key, hint)` for each hinted binding of the chain whose action `enabled` allows.
pub fn hints(chain: &[Context], enabled: impl Fn(Action) -> bool) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for b in chain.iter().flat_map(|c| table(*c)) {
        if b.hint.is_empty() || b.vi || !enabled(b.action) || out.iter().any(|(_, h)| *h == b.hint) {
            continue;
        }
        if let Some(k) = b.keys.first() {
            out.push((k.short(), b.hint));
        }
    }
    out
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
}
