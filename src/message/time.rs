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

/// Parses an age such as `90s`, `30m`, `12h`, `7d`, `2w`, `1y` or a combination like
/// `1d12h` (the `humantime` crate; a year is 365.25 days there). Units are read
/// case-insensitively as before, so `7D` is 7 days and `5M` is 5 minutes, not months.
pub fn parse_age(s: &str) -> Result<SignedDuration, String> {
    let t = s.trim();
    if t.is_empty() || t.ends_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("age {s:?} needs a unit, e.g. 7d or 12h"));
    }
    let d = humantime::parse_duration(&t.to_ascii_lowercase())
        .map_err(|e| format!("age {s:?}: {e} (use s, m, h, d, w or y, e.g. 7d or 1d12h)"))?;
    SignedDuration::try_from(d).map_err(|_| format!("age {s:?} too large"))
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
        assert!(parse_age("1d7").is_err());
        assert_eq!(parse_age("7D"), Ok(SignedDuration::from_hours(7 * 24)));
        assert_eq!(parse_age("5M"), Ok(SignedDuration::from_mins(5)));
        assert_eq!(parse_age("1d 12h"), Ok(SignedDuration::from_hours(36)));
        assert!(parse_age("99999999999999999999y").is_err());
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
