//! Dates and ages as people write them (`7d`, `12h`, `2024-05-01`, RFC 3339) and the wire
//! form of NMS dates.

use jiff::civil::{Date, DateTime};
use jiff::{SignedDuration, Timestamp, tz::TimeZone};

/// Parses a point in time: an age before `now` (`30m`, `12h`, `7d`, `2w`, `1h30m`), a day
/// (`2024-05-01`, midnight UTC), a date-time without zone (`2024-05-01T10:00:00`, UTC), or a
/// full RFC 3339 timestamp (`2024-05-01T10:00:00+02:00`).
pub fn parse_when(input: &str, now: Timestamp) -> Result<Timestamp, String> {
    let s = input.trim();
    if s.is_empty() {
        return Err("empty date".into());
    }
    if s.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) && s.ends_with(|c: char| c.is_ascii_alphabetic()) && !s.contains('-')
    {
        let age = parse_age(s)?;
        return now.checked_sub(age).map_err(|e| format!("age {s:?} reaches too far back: {e}"));
    }
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Ok(dt) = s.parse::<DateTime>()
        && s.contains(['T', 't', ' '])
    {
        return dt.to_zoned(TimeZone::UTC).map(|z| z.timestamp()).map_err(|e| e.to_string());
    }
    if let Ok(d) = s.parse::<Date>() {
        return d.to_zoned(TimeZone::UTC).map(|z| z.timestamp()).map_err(|e| e.to_string());
    }
    Err(format!("cannot read {s:?} as a date or an age (examples: 7d, 12h, 2024-05-01, 2024-05-01T10:00:00Z)"))
}

/// Parses an age such as `90s`, `30m`, `12h`, `7d`, `2w` or a combination like `1d12h`.
pub fn parse_age(s: &str) -> Result<SignedDuration, String> {
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let mut unit = c.to_string();
        while let Some(n) = chars.peek().copied().filter(|n| n.is_ascii_alphabetic()) {
            unit.push(n);
            chars.next();
        }
        let n: i64 = digits.parse().map_err(|_| format!("age {s:?}: a number must come before {unit:?}"))?;
        digits.clear();
        let secs = match unit.to_ascii_lowercase().as_str() {
            "s" | "sec" | "secs" => 1,
            "m" | "min" | "mins" => 60,
            "h" | "hr" | "hrs" => 3600,
            "d" | "day" | "days" => 86_400,
            "w" | "week" | "weeks" => 7 * 86_400,
            "y" | "year" | "years" => 365 * 86_400,
            other => return Err(format!("age {s:?}: unknown unit {other:?} (use s, m, h, d, w or y)")),
        };
        total = n.checked_mul(secs).and_then(|v| total.checked_add(v)).ok_or_else(|| format!("age {s:?} too large"))?;
        any = true;
    }
    if !digits.is_empty() || !any {
        return Err(format!("age {s:?} needs a unit, e.g. 7d or 12h"));
    }
    Ok(SignedDuration::from_secs(total))
}

/// The wire form of a date: `YYYY-MM-DDThh:mm:ssZ` in UTC, as every client sends it.
pub fn wire_date(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2024-06-10T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn ages() {
        assert_eq!(wire_date(parse_when("7d", now()).unwrap()), "2024-06-03T12:00:00Z");
        assert_eq!(wire_date(parse_when("12h", now()).unwrap()), "2024-06-10T00:00:00Z");
        assert_eq!(wire_date(parse_when("1d12h", now()).unwrap()), "2024-06-09T00:00:00Z");
        assert_eq!(wire_date(parse_when("2w", now()).unwrap()), "2024-05-27T12:00:00Z");
        assert_eq!(wire_date(parse_when("90s", now()).unwrap()), "2024-06-10T11:58:30Z");
        assert!(parse_when("7x", now()).is_err());
        assert!(parse_age("7").is_err());
    }

    #[test]
    fn dates() {
        assert_eq!(wire_date(parse_when("2024-05-01", now()).unwrap()), "2024-05-01T00:00:00Z");
        assert_eq!(wire_date(parse_when("2024-05-01T10:00:00Z", now()).unwrap()), "2024-05-01T10:00:00Z");
        assert_eq!(wire_date(parse_when("2024-05-01T10:00:00+02:00", now()).unwrap()), "2024-05-01T08:00:00Z");
        assert_eq!(wire_date(parse_when("2024-05-01T10:00:00", now()).unwrap()), "2024-05-01T10:00:00Z");
        assert_eq!(wire_date(parse_when("2024-05-01T10:00:00.250Z", now()).unwrap()), "2024-05-01T10:00:00Z");
        assert!(parse_when("yesterday", now()).is_err());
        assert!(parse_when("2024-13-01", now()).is_err());
    }
}
