//! A criteria value as a person types it: one number, or items separated by
//! commas (`22, 443`, `10.0.0.0/8, 192.168.0.0/16`). Parsing names the item
//! that is wrong and says why in the words a person would use; range checks
//! (a port above 65535, a negative count) are the rules' job, not the parser's.

use super::metrics::ValueField;
use super::profile::MetricValue;

/// Why a value text does not parse: the item (0-based, for list members) and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueTextError {
    pub item: Option<usize>,
    pub message: String,
}

/// A value as the user types it.
pub fn value_text(v: &MetricValue) -> String {
    let join = |items: Vec<String>| items.join(", ");
    if let Some(n) = v.count {
        return n.to_string();
    }
    if let Some(n) = v.number {
        return n.to_string();
    }
    if let Some(c) = &v.cidrs {
        return join(c.clone());
    }
    if let Some(p) = &v.ports {
        return join(p.iter().map(i64::to_string).collect());
    }
    if let Some(n) = &v.numbers {
        return join(n.iter().map(f64::to_string).collect());
    }
    v.strings.as_ref().map(|s| join(s.clone())).unwrap_or_default()
}

fn items(text: &str) -> Vec<&str> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn quoted(s: &str) -> String {
    super::rules::quote(s)
}

/// A whole number (a count, a port, a datapoint count); `what` names it in messages.
/// Errors: not a whole number; too large for the API's Long; numbers separated by spaces.
pub fn parse_whole(text: &str, what: &str) -> Result<i64, String> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Ok(n);
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let sign = if t.starts_with('-') { "small" } else { "large" };
        return Err(format!("{t} is too {sign} for {what} (the API's limit is ±9223372036854775807)"));
    }
    if t.split_whitespace().count() > 1 && t.split_whitespace().all(|w| w.parse::<i64>().is_ok()) {
        return Err(format!(
            "{} has spaces between numbers; separate them with commas: {}",
            quoted(t),
            t.split_whitespace().collect::<Vec<_>>().join(", ")
        ));
    }
    Err(format!("{} is not a whole number", quoted(t)))
}

fn parse_number(text: &str) -> Result<f64, String> {
    let t = text.trim();
    match t.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        Ok(_) => Err(format!("{} is not a finite number", quoted(t))),
        Err(_) if t.split_whitespace().count() > 1 => {
            Err(format!("{} has spaces between numbers; separate them with commas", quoted(t)))
        }
        Err(_) => Err(format!("{} is not a number", quoted(t))),
    }
}

/// Parses the value text for a value member. Empty text is no value (`None`),
/// whatever the member: an empty list is never sent.
pub fn parse_value(field: ValueField, text: &str) -> Result<Option<MetricValue>, ValueTextError> {
    let t = text.trim();
    if items(t).is_empty() {
        return Ok(None);
    }
    let whole = |message: String| ValueTextError { item: None, message };
    let mut v = MetricValue::default();
    match field {
        ValueField::Count => v.count = Some(parse_whole(t, "a count").map_err(whole)?),
        ValueField::Number => v.number = Some(parse_number(t).map_err(whole)?),
        ValueField::Ports => {
            let mut ports = Vec::new();
            // Every item that does not read is said at once, with the items the
            // range rule would refuse (`port_fault`), which it cannot judge until all read.
            let mut faults: Vec<(usize, String)> = Vec::new();
            for (i, item) in items(t).into_iter().enumerate() {
                match parse_whole(item, "a port") {
                    Ok(port) => {
                        faults.extend(super::rules::criteria::port_fault(port).map(|f| (i, f)));
                        ports.push(port);
                    }
                    Err(m) => faults.push((i, m.replace("is not a whole number", "is not a port number"))),
                }
            }
            if ports.len() < items(t).len() {
                let item = faults.first().map(|(i, _)| *i);
                let message = faults.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("; ");
                return Err(ValueTextError { item, message });
            }
            v.ports = Some(ports);
        }
        ValueField::Numbers => {
            let mut numbers = Vec::new();
            for (i, item) in items(t).into_iter().enumerate() {
                numbers.push(parse_number(item).map_err(|message| ValueTextError { item: Some(i), message })?);
            }
            v.numbers = Some(numbers);
        }
        ValueField::Cidrs => v.cidrs = Some(items(t).into_iter().map(str::to_owned).collect()),
        ValueField::Strings => v.strings = Some(items(t).into_iter().map(str::to_owned).collect()),
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_texts_parse_per_item() {
        assert_eq!(parse_value(ValueField::Ports, "22, 443").unwrap().unwrap().ports, Some(vec![22, 443]));
        let e = parse_value(ValueField::Ports, "22, x").unwrap_err();
        assert_eq!((e.item, e.message.as_str()), (Some(1), "\"x\" is not a port number"));
        // Every fault at once while the list does not read: the range too.
        let e = parse_value(ValueField::Ports, "22, 70000, ssh").unwrap_err();
        assert_eq!(
            (e.item, e.message.as_str()),
            (Some(1), "port 70000 is out of range; use 0 to 65535; \"ssh\" is not a port number")
        );
        assert_eq!(parse_value(ValueField::Count, "12").unwrap().unwrap().count, Some(12));
        assert!(parse_value(ValueField::Count, "1.5").is_err());
        let cidrs = parse_value(ValueField::Cidrs, "10.0.0.0/8,  ::1/128").unwrap().unwrap();
        assert_eq!(value_text(&cidrs), "10.0.0.0/8, ::1/128");
    }

    #[test]
    fn empty_text_is_no_value_whatever_the_member() {
        for field in [ValueField::Count, ValueField::Ports, ValueField::Cidrs, ValueField::Strings] {
            assert_eq!(parse_value(field, " , ").unwrap(), None, "{field:?}");
        }
    }

    #[test]
    fn messages_say_what_is_wrong() {
        let e = parse_value(ValueField::Count, "99999999999999999999999").unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
        let e = parse_value(ValueField::Ports, "22 443").unwrap_err();
        assert!(e.message.contains("separate them with commas"), "{}", e.message);
    }
}
