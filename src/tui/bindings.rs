//! The binding tables, one per context (see `keymap.rs`): each action with
//! its keys, its hint and its help line; `vi` marks what `keymap = vi` adds.

use crossterm::event::KeyCode;

use super::keymap::{
    Action, Binding, DELETE, DOWN, END, ENTER, ESC, HOME, PGDN, PGUP, UP, alt, b, ch, ctrl, ctrl_code, plain, vi,
};

pub(super) const GLOBAL: &[Binding] = &[
    b(Action::Help, &[plain(KeyCode::F(1)), ch('?')], "help", "this help (? where no text field has focus)"),
    b(Action::Quit, &[ctrl('q'), ctrl('c')], "quit", "quit (asks first when an edit is not saved as a draft)"),
    b(Action::Suspend, &[ctrl('z')], "", "suspend to the shell; fg comes back"),
    b(Action::Message, &[alt('m')], "", "the status line's whole message, when it had to be cut"),
    b(
        Action::Palette,
        &[ch(':')],
        "",
        "the command palette: actions, profiles, :region NAME, :profile NAME, :sandbox (where no text field has focus)",
    ),
];

pub(super) const HOME_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "open", "open the profile (resumes its draft if it has one)"),
    b(Action::NewProfile, &[ctrl('n')], "new", "a new profile: blank, or from a template"),
    // F4 and F3 before the rest: the hint bar keeps what fits at 80 columns, left first.
    b(Action::Violations, &[plain(KeyCode::F(4))], "violations", "the profile's active violations and ML model status"),
    b(Action::Resources, &[plain(KeyCode::F(3))], "dims/metrics", "the endpoint's dimensions and custom metrics"),
    // Refresh before delete: at 80 columns the hint bar drops it first and keeps delete.
    b(Action::Refresh, &[ctrl('r')], "refresh", "list the profiles again"),
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

pub(super) const EDITOR_KEYS: &[Binding] = &[
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
    b(Action::EditExternal, &[ctrl('e')], "", "edit the profile (or the open behavior) as YAML in $VISUAL / $EDITOR"),
    b(
        Action::ShowCalls,
        &[ctrl('k')],
        "",
        "the aws iot commands for what would be sent, and the CloudFormation resource",
    ),
    b(
        Action::Chart,
        &[plain(KeyCode::F(4))],
        "chart",
        "in a behavior: chart 14 days of its metric, the threshold and the windows that would alarm",
    ),
    b(
        Action::NextThing,
        &[plain(KeyCode::F(5))],
        "",
        "with the chart on: one thing after another, those that alarm first, then the fleet again",
    ),
    b(
        Action::Tune,
        &[plain(KeyCode::F(6)), ch('t')],
        "tune",
        "with the chart on: set the value that meets the alarm budget over the data (t where no text field has focus)",
    ),
    b(Action::TuneFewer, &[plain(KeyCode::F(7))], "", "with the chart on: a smaller alarm budget, tuned again"),
    b(Action::TuneMore, &[plain(KeyCode::F(8))], "", "with the chart on: a larger alarm budget, tuned again"),
    b(Action::Back, &[ESC], "back", "back: behavior → list → home (edits stay as a draft)"),
];

pub(super) const BEHAVIOR_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "edit", "edit the behavior"),
    b(Action::Add, &[ch('a')], "", "add a behavior"),
    b(Action::Duplicate, &[ch('c')], "", "duplicate the behavior"),
    b(Action::EditExternal, &[ch('e')], "", "edit the behavior as YAML in $VISUAL / $EDITOR"),
    b(Action::Delete, &[ch('d')], "", "delete the behavior"),
    b(Action::MoveUp, &[ch('K'), ctrl_code(KeyCode::Up)], "", "move the behavior up"),
    b(Action::MoveDown, &[ch('J'), ctrl_code(KeyCode::Down)], "", "move the behavior down"),
];

pub(super) const PICKER_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "choose", "previous item (typing searches)"),
    b(Action::Down, &[DOWN], "", "next item"),
    b(Action::PageUp, &[PGUP], "", "a page up"),
    b(Action::PageDown, &[PGDN], "", "a page down"),
    b(Action::Select, &[ENTER], "pick", "pick it"),
    b(Action::Refresh, &[ctrl('r')], "", "read the endpoint's lists again (thing groups, dimensions, custom metrics)"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the search"),
    b(Action::Back, &[ESC], "cancel", "cancel (a new behavior's first pick cancels the add)"),
];

pub(super) const PROBLEM_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "problem", "previous problem"),
    b(Action::Down, &[DOWN], "", "next problem"),
    b(Action::Select, &[ENTER], "go to field", "go to the field"),
    b(Action::Back, &[ESC, plain(KeyCode::F(2))], "back", "back to the form"),
];

pub(super) const CONFIRM_KEYS: &[Binding] = &[
    b(Action::Send, &[ENTER], "submit", "send the request shown (once)"),
    b(Action::Back, &[ESC], "back to edit", "back to the editor; nothing is sent"),
    b(Action::Write, &[ch('w')], "write", "write the request to a new file in the current directory"),
    b(Action::ShowCalls, &[ch('c')], "calls", "the aws iot commands that do the same, and the CloudFormation resource"),
    b(Action::Up, &[UP], "scroll", "scroll up"),
    b(Action::Down, &[DOWN], "", "scroll down"),
    b(Action::PageUp, &[PGUP], "", "a page up"),
    b(Action::PageDown, &[PGDN], "", "a page down"),
    b(Action::First, &[HOME], "", "the top"),
    b(Action::Last, &[END], "", "the last line"),
];

pub(super) const RESULT_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "profile", "back to the profile"),
    b(Action::Back, &[ESC], "home", "home"),
    b(Action::NewProfile, &[ctrl('n')], "new", "a new profile: blank, or from a template"),
];

pub(super) const CONFLICT_KEYS: &[Binding] = &[
    b(Action::Reapply, &[ch('r')], "reapply", "reapply your changes on the server's new version"),
    b(Action::Overwrite, &[ch('o')], "overwrite", "overwrite: resend yours, expecting the new version"),
    b(Action::Back, &[ESC], "keep editing", "back to the editor with your edits"),
];

pub(super) const DRAFT_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "restore", "restore the draft in the editor, where it was left"),
    b(Action::Delete, &[ctrl('d'), DELETE, ch('d')], "discard", "discard the draft (asks once more)"),
    b(Action::ShowFile, &[ch('o')], "file", "show its request file (works with --cli-input-json)"),
    b(Action::Up, &[UP], "", "previous draft"),
    b(Action::Down, &[DOWN], "", "next draft"),
    b(Action::Back, &[ESC], "later", "go on to the profiles; drafts are kept"),
    vi(Action::Down, &[ch('j')], "next draft"),
    vi(Action::Up, &[ch('k')], "previous draft"),
];

pub(super) const SETUP_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "choose", "previous choice (typing edits the region or name)"),
    b(Action::Down, &[DOWN], "", "next choice"),
    b(Action::Select, &[ENTER], "next", "next step"),
    b(Action::Back, &[ESC], "back", "back a step"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the name or region being typed"),
];

pub(super) const SETUP_START_KEYS: &[Binding] =
    &[b(Action::Back, &[ESC], "skip setup", "skip the rest of the setup, for Home (ddsp init opens it again)")];

pub(super) const DELETE_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "delete", "delete, once the name typed matches"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the name typed"),
    b(Action::Back, &[ESC], "cancel", "cancel"),
];

pub(super) const QUIT_KEYS: &[Binding] = &[
    b(Action::Write, &[ch('w')], "write", "write the request to the current directory"),
    b(Action::QuitAnyway, &[ch('q')], "quit anyway", "quit and lose the newest edit"),
    b(Action::Back, &[ESC], "keep editing", "back to the edits"),
];

pub(super) const RESOURCE_KEYS: &[Binding] = &[
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

pub(super) const VIOLATION_KEYS: &[Binding] = &[
    b(Action::Verify, &[ENTER], "verify", "mark the violation true, benign or false positive (a list to choose from)"),
    b(
        Action::Mitigate,
        &[ch('m')],
        "mitigate",
        "start a mitigation task on the chosen violations (or the highlighted one)",
    ),
    b(Action::Toggle, &[ch(' ')], "choose", "choose the violation for a mitigation task, or leave it out again"),
    b(Action::Refresh, &[ctrl('r')], "refresh", "read the violations again"),
    b(Action::Up, &[UP], "", "previous violation"),
    b(Action::Down, &[DOWN], "", "next violation"),
    b(Action::First, &[HOME], "", "the first"),
    b(Action::Last, &[END], "", "the last"),
    b(Action::Back, &[ESC], "home", "home"),
    vi(Action::Down, &[ch('j')], "next violation"),
    vi(Action::Up, &[ch('k')], "previous violation"),
];

pub(super) const MITIGATE_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "choose/send", "choose the action; on the request, send it"),
    b(Action::Down, &[DOWN, plain(KeyCode::Tab)], "", "next action, or the next field"),
    b(Action::Up, &[UP, plain(KeyCode::BackTab)], "", "previous action, or the previous field"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the field"),
    b(Action::Back, &[ESC], "back", "one step back; closes the task when it ran, nothing is sent before Enter"),
];

pub(super) const VERIFY_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "choose", "previous state"),
    b(Action::Down, &[DOWN], "", "next state"),
    b(Action::Select, &[ENTER], "save", "put this verification state on the violation"),
    b(Action::Back, &[ESC], "cancel", "keep the state it has"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the description typed"),
];

pub(super) const CALL_KEYS: &[Binding] = &[
    b(Action::Copy, &[ch('y')], "copy", "copy them to the clipboard (OSC 52, where the terminal allows it)"),
    b(Action::Write, &[ch('w')], "write", "write them to a new file in the current directory"),
    b(Action::Up, &[UP], "scroll", "scroll up"),
    b(Action::Down, &[DOWN], "", "scroll down"),
    b(Action::PageUp, &[PGUP], "", "a page up"),
    b(Action::PageDown, &[PGDN], "", "a page down"),
    b(Action::First, &[HOME], "", "the top"),
    b(Action::Last, &[END], "", "the end"),
    b(Action::Back, &[ESC], "close", "close"),
];

pub(super) const FORM_KEYS: &[Binding] = &[
    b(Action::Review, &[ctrl('s')], "send", "send it (CreateDimension / CreateCustomMetric, or the update)"),
    b(Action::Down, &[DOWN, plain(KeyCode::Tab), ENTER], "field", "next field"),
    b(Action::Up, &[UP, plain(KeyCode::BackTab)], "", "previous field"),
    b(Action::Right, &[plain(KeyCode::Right), ch(' ')], "", "next metric type"),
    b(Action::Left, &[plain(KeyCode::Left)], "", "previous metric type"),
    b(Action::ClearField, &[ctrl('u')], "", "clear the field"),
    b(Action::Back, &[ESC], "cancel", "cancel; nothing is sent"),
];

pub(super) const HELP_KEYS: &[Binding] = &[
    b(Action::Up, &[UP], "", "scroll up, when the help is taller than the screen"),
    b(Action::Down, &[DOWN], "", "scroll down"),
    b(Action::PageUp, &[PGUP], "", "scroll a page up"),
    b(Action::PageDown, &[PGDN], "", "scroll a page down"),
    b(Action::First, &[HOME], "", "the top"),
    b(Action::Last, &[END], "", "the end"),
];

pub(super) const PALETTE_KEYS: &[Binding] = &[
    b(Action::Select, &[ENTER], "do", "do the chosen entry (or the command typed)"),
    b(Action::Up, &[UP], "", "previous entry"),
    b(Action::Down, &[DOWN], "", "next entry"),
    b(Action::PageUp, &[PGUP], "", "ten entries up"),
    b(Action::PageDown, &[PGDN], "", "ten entries down"),
    b(Action::Back, &[ESC], "close", "close it"),
];
