//! Timestamps as the AWS CLI prints them (ISO 8601, from epoch seconds),
//! shared by the commands' output and the editor's screens; and as users
//! give them (`--start-time 2024-05-01T00:00:00Z`, epoch seconds, or a date).

use serde::{Deserialize, Serialize};

/// A timestamp member of a request document: the AWS CLI takes an ISO 8601
/// string or epoch seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TimeInput {
    Seconds(f64),
    Text(String),
}

impl TimeInput {
    /// Epoch seconds.
    ///
    /// Errors: text that is no timestamp, in words.
    pub fn epoch_seconds(&self) -> Result<i64, String> {
        match self {
            TimeInput::Seconds(s) => Ok(s.floor() as i64),
            TimeInput::Text(t) => parse_time(t),
        }
    }
}

/// The last second of the year 9999, the latest time ddsp reads.
pub const LAST_SECOND: i64 = 253_402_300_799;

/// Reads `2024-05-01T12:00:00Z` (RFC 3339, any offset, optional fraction;
/// seconds may be left out), `2024-05-01` (midnight UTC) or epoch seconds
/// (`1714521600`; milliseconds when over 10^11), into epoch seconds.
///
/// Errors: anything else, with the forms accepted.
pub fn parse_time(text: &str) -> Result<i64, String> {
    use aws_smithy_types::date_time::{DateTime, Format};
    let t = text.trim();
    let bad = || {
        format!(
            "{:?} is not a timestamp: give 2024-05-01T12:00:00Z, 2024-05-01 or epoch seconds",
            crate::domain::untrusted::neutralise(text)
        )
    };
    // Epoch seconds; over 10^11 (13 digits), milliseconds, as metrics-export timestamps are read.
    if let Ok(n) = t.parse::<f64>() {
        let secs = if n.abs() > 1.0e11 { n / 1000.0 } else { n };
        return if (0.0..=LAST_SECOND as f64).contains(&secs) { Ok(secs.floor() as i64) } else { Err(bad()) };
    }
    let mut full = if t.len() == 10 { format!("{t}T00:00:00Z") } else { t.replace(' ', "T") };
    // `2026-11-30T16:00`: the seconds left out.
    if full.len() == 16 && full.as_bytes().get(13) == Some(&b':') {
        full.push_str(":00");
    }
    // RFC 3339 with an offset: smithy reads only `Z`, so the offset is applied here.
    let (base, offset) = split_offset(&full);
    let parsed = DateTime::from_str(&format!("{base}Z"), Format::DateTime).map_err(|_| bad())?;
    Ok(parsed.secs() - offset)
}

/// `…T12:00:00+02:00` → (`…T12:00:00`, 7200); `…Z` → (`…`, 0).
fn split_offset(text: &str) -> (&str, i64) {
    if let Some(base) = text.strip_suffix('Z').or_else(|| text.strip_suffix('z')) {
        return (base, 0);
    }
    let Some(t_at) = text.find('T') else { return (text, 0) };
    let time = &text[t_at..];
    if let Some(sign_at) = time.rfind(['+', '-']) {
        let (base, offset) = text.split_at(t_at + sign_at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let digits: String = offset[1..].chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 4 {
            let hours: i64 = digits[..2].parse().unwrap_or(0);
            let minutes: i64 = digits[2..].parse().unwrap_or(0);
            return (base, sign * (hours * 3600 + minutes * 60));
        }
    }
    (text, 0)
}

/// Python's `datetime.isoformat()` of a UTC time, as the CLI prints it.
pub fn iso8601(epoch_seconds: f64) -> String {
    let micros = (epoch_seconds * 1_000_000.0).round() as i64;
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let time = format!("{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60);
    if frac == 0 {
        format!("{y:04}-{m:02}-{d:02}T{time}+00:00")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{time}.{frac:06}+00:00")
    }
}

/// (year, month, day) of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn timestamps_read_in_every_form_the_cli_takes() {
        assert_eq!(parse_time("2024-05-01T00:00:00Z"), Ok(1_714_521_600));
        assert_eq!(parse_time("2024-05-01"), Ok(1_714_521_600));
        assert_eq!(parse_time("2024-05-01T02:00:00+02:00"), Ok(1_714_521_600));
        assert_eq!(parse_time("2024-05-01T00:00:00.500Z"), Ok(1_714_521_600));
        assert_eq!(parse_time("1714521600"), Ok(1_714_521_600));
        assert_eq!(parse_time("1714521600000"), Ok(1_714_521_600), "milliseconds");
        assert_eq!(parse_time("2024-05-01T00:00"), Ok(1_714_521_600), "no seconds");
        assert!(parse_time("1e300").is_err() && parse_time("-5").is_err());
        assert!(parse_time("yesterday").unwrap_err().contains("not a timestamp"));
    }
}
