//! Character-class and length checks for the model's patterns (service.md §2).
//! Patterns there are Java-style and match the whole string.

use std::net::IpAddr;

use crate::domain::untrusted::is_unsafe;

/// Why a name fails `[a-zA-Z0-9:_-]+`, 1–128 (SecurityProfileName, BehaviorName,
/// DimensionName, custom MetricName and, per the CFN schema, BehaviorMetric),
/// said so that the message tells what to do; `None` when it is a good name.
pub fn resource_name_fault(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("is required".to_owned());
    }
    // The model's lengths count characters (code points), not bytes (service.md §7).
    let length = s.chars().count();
    if length > 128 {
        return Some(format!("is {} long; use at most 128", characters(length)));
    }
    s.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ':' | '_' | '-')))
        .map(|c| format!("contains {}; use only letters, digits, ':', '_' and '-'", describe_char(c)))
}

/// `[\p{Graph}\x20]*` in Java: printable ASCII and space only.
pub fn first_non_graph(s: &str) -> Option<char> {
    s.chars().find(|c| !(' '..='~').contains(c))
}

/// TagKey `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`. Letters are checked with Rust's
/// Alphabetic property, a close superset of \p{L}; \p{Z} is White_Space minus
/// the control characters, which is exactly Zs + Zl + Zp.
pub fn first_bad_tag_char(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        !(c.is_alphabetic()
            || c.is_numeric()
            || (c.is_whitespace() && !c.is_control())
            || matches!(c, '_' | '.' | ':' | '/' | '=' | '+' | '-' | '@'))
    })
}

/// Cidr: 2–43 characters of `[a-fA-F0-9:\.\/]+`.
pub fn is_cidr_shape(s: &str) -> bool {
    (2..=43).contains(&s.chars().count()) && s.bytes().all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.' | b'/'))
}

/// An address with an optional prefix length that fits it: `10.0.0.0/8`, `2001:db8::/32`.
pub fn is_cidr(s: &str) -> bool {
    let (address, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let Ok(ip) = address.parse::<IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    match prefix {
        None => true,
        Some(p) => !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|n| n <= max),
    }
}

/// A character named so a message can show it without writing it raw.
pub fn describe_char(c: char) -> String {
    if c == ' ' {
        "a space".to_owned()
    } else if c == '\t' {
        "a tab".to_owned()
    } else if c.is_control() || c.is_whitespace() || !c.is_ascii() {
        format!("the character U+{:04X}", u32::from(c))
    } else {
        format!("'{c}'")
    }
}

/// `n characters`, with `1 character` for one.
pub fn characters(n: usize) -> String {
    if n == 1 { "1 character".to_owned() } else { format!("{n} characters") }
}

/// A value quoted for a message: control characters escaped and long values cut.
pub fn quote(s: &str) -> String {
    const LIMIT: usize = 60;
    let mut out = String::from("\"");
    for (i, c) in s.chars().enumerate() {
        if i == LIMIT {
            out.push('…');
            break;
        }
        if is_unsafe(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(resource_name_fault("Possible-Issue:1_x"), None);
        assert_eq!(resource_name_fault("").unwrap(), "is required");
        assert!(resource_name_fault(&"a".repeat(129)).unwrap().starts_with("is 129 characters"));
        assert_eq!(resource_name_fault("a b").unwrap(), "contains a space; use only letters, digits, ':', '_' and '-'");
    }

    #[test]
    fn cidrs() {
        for good in ["10.0.0.0/8", "192.168.1.1", "2001:db8::/32", "::1/128"] {
            assert!(is_cidr_shape(good) && is_cidr(good), "{good}");
        }
        assert!(is_cidr_shape("abc") && !is_cidr("abc"));
        assert!(!is_cidr("10.0.0.0/33"));
        assert!(!is_cidr("10.0.0.0/"));
        assert!(!is_cidr_shape("10.0.0.0/8 "));
    }

    #[test]
    fn tag_keys_and_quoting() {
        assert_eq!(first_bad_tag_char("Owner team/ÄÖ=+-@.:_ 1"), None);
        assert_eq!(first_bad_tag_char("a*b"), Some('*'));
        assert_eq!(first_bad_tag_char("a\tb"), Some('\t'));
        assert_eq!(quote("a\u{1b}[31m"), "\"a\\u{1b}[31m\"");
        assert!(quote(&"x".repeat(100)).ends_with("…\""));
    }
}
