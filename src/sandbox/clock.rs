//! Time as the wire carries it: epoch seconds with a millisecond fraction for
//! creationDate / lastModifiedDate, and SigV4's `YYYYMMDDTHHMMSSZ`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A time as SigV4 writes it (`20150830T123600Z`), to the whole second.
pub fn amz_date(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let iso = crate::wire::time::iso8601(secs as f64);
    let stamp: String = iso.trim_end_matches("+00:00").chars().filter(|c| !matches!(c, '-' | ':')).collect();
    format!("{stamp}Z")
}

/// Parses an `x-amz-date` value (`20150830T123600Z`).
pub fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, minute, second) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    u64::try_from(secs).ok().map(|s| UNIX_EPOCH + Duration::from_secs(s))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates() {
        let t = parse_amz_date("20150830T123600Z").unwrap();
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1_440_938_160);
        assert!(parse_amz_date("2015-08-30T12:36:00Z").is_none());
        assert!(parse_amz_date("20151330T123600Z").is_none());
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(amz_date(t), "20150830T123600Z");
    }
}
