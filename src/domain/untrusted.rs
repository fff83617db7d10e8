//! Makes text from the network or a file safe to show in a terminal: C0 and C1
//! control characters, DEL and Unicode bidi controls are replaced by visible,
//! inert escapes (`\u{1b}`), so an ESC sequence (CSI, OSC 52, DCS…) in a name,
//! description, tag or error message can never reach the terminal raw.

use std::borrow::Cow;

/// True for a character that must not be written to a terminal as is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() // C0, DEL and C1
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The text with every unsafe character shown as `\u{XX}`; borrowed when clean.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// As `neutralise`, but line breaks stay: for messages of several lines that
/// quote untrusted text (a shorthand error with its caret line).
pub fn neutralise_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let lines: Vec<Cow<'_, str>> = text.split('\n').map(neutralise).collect();
    Cow::Owned(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_made_visible_and_clean_text_is_borrowed() {
        assert!(matches!(neutralise("plain ÄÖ text"), Cow::Borrowed(_)));
        assert_eq!(neutralise("a\u{1b}]52;c;aGk=\u{7}b"), "a\\u{1b}]52;c;aGk=\\u{7}b");
        assert_eq!(neutralise("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(neutralise("x\u{202e}y\u{7f}"), "x\\u{202e}y\\u{7f}");
        assert_eq!(neutralise("tab\there"), "tab\\u{9}here");
        assert_eq!(neutralise_lines("a\nb\u{1b}[2J\n^"), "a\nb\\u{1b}[2J\n^");
        assert!(matches!(neutralise_lines("two\nlines"), Cow::Borrowed(_)));
    }
}
