//! The table and plain row forms of object and folder records (the records themselves are
//! `message::view`): short dates, sizes and flags for people, exact values for scripts.

use jiff::Timestamp;

use crate::message::context;
use crate::message::view::{FolderView, ObjectView};

/// A compact human form for tables: `2024-05-01 10:00` (UTC) when the value is a date,
/// else the value itself.
pub fn short_date(value: &str) -> String {
    match value.parse::<Timestamp>() {
        Ok(ts) => ts.strftime("%Y-%m-%d %H:%M").to_string(),
        Err(_) => value.to_string(),
    }
}

/// Flags without their `\`/`$` prefixes, lower-cased and the long ones abbreviated:
/// `seen,flagged,rr-sent`.
pub fn short_flags(flags: &[String]) -> String {
    flags
        .iter()
        .map(|f| {
            let bare = f.trim_start_matches(['\\', '$']).to_ascii_lowercase();
            match bare.as_str() {
                "read-report-sent" => "rr-sent".to_string(),
                "forwarded" => "fwd".to_string(),
                "mdnsent" => "mdn-sent".to_string(),
                _ => bare,
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `1.2 KB`-style sizes for tables.
pub fn human_size(n: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// One line of text: tabs and line breaks become spaces so a plain row stays one row.
pub fn one_line(s: &str) -> String {
    s.chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect()
}

pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Columns of a listing in plain rows (ls and search share them; no header is printed).
pub const LIST_HEADERS: [&str; 9] = ["ID", "DATE", "DIR", "FROM", "TO", "CONTEXT", "FLAGS", "SIZE", "SUBJECT/TEXT"];

/// Columns of a listing in a table: the other party instead of From and To, so it fits a terminal.
pub const TABLE_HEADERS: [&str; 8] = ["ID", "DATE", "DIR", "PEER", "CONTEXT", "FLAGS", "SIZE", "SUBJECT/TEXT"];

/// Table columns that are never cut on a narrow terminal (PEER and SUBJECT/TEXT give way).
pub const WHOLE_COLUMNS: [&str; 6] = ["ID", "DATE", "DIR", "CONTEXT", "FLAGS", "SIZE"];

/// Table columns a narrow terminal leaves out, first to last, so that PEER and
/// SUBJECT/TEXT keep about 20 characters (issue 14, item 10).
pub const DROP_FIRST: [&str; 4] = ["SIZE", "DIR", "CONTEXT", "FLAGS"];

/// The other party of a message: the sender of an incoming one, the recipients of an outgoing one.
pub fn peer(v: &ObjectView) -> String {
    let out = v.direction.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("out"));
    let who = if out { v.to.clone() } else { v.from.iter().cloned().collect() };
    who.iter().map(|a| display_address(a)).collect::<Vec<_>>().join(",")
}

/// An address as people know it: a phone number in any spelling (`tel:`, `sip:+1…@host`)
/// as `+1555…`; anything else as given.
pub fn display_address(a: &str) -> String {
    let n = crate::message::address::normalise(a);
    if n.starts_with('+') || (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit())) {
        return n;
    }
    // For the eye only: `sip:+1555…@host` without `;user=phone` is still read as a number
    // (matching keeps the strict rule of `address::normalise`).
    let lower = a.trim();
    if let Some((scheme, rest)) = lower.split_once(':')
        && (scheme.eq_ignore_ascii_case("sip") || scheme.eq_ignore_ascii_case("sips"))
        && let Some(user) = rest.split(['@', ';']).next()
        && let Some(body) = user.strip_prefix('+')
        && !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit())
    {
        return user.to_string();
    }
    lower.to_string()
}

/// A listing row for an object. `human` picks the table form (short values) over the
/// plain form (exact values, tab-separable).
pub fn object_row(v: &ObjectView, human: bool) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    if human {
        vec![
            v.id.clone(),
            v.date.as_deref().map(short_date).unwrap_or_default(),
            opt(&v.direction),
            one_line(&peer(v)),
            v.context.as_deref().map(context::short).unwrap_or_default(),
            short_flags(&v.flags),
            v.size.map(human_size).unwrap_or_default(),
            truncate(&one_line(&v.preview()), 60),
        ]
    } else {
        vec![
            v.id.clone(),
            opt(&v.date),
            opt(&v.direction),
            one_line(&opt(&v.from)),
            one_line(&v.to.join(",")),
            one_line(&opt(&v.context)),
            v.flags.join(","),
            v.size.map(|s| s.to_string()).unwrap_or_default(),
            one_line(&v.preview()),
        ]
    }
}

/// A listing row for a folder: context column `folder`, the name (with a trailing `/`) last.
/// In a table, a folder holding a conversation also shows its last date, peers, message
/// count (in SIZE) and a group's subject after the name.
pub fn folder_row(v: &FolderView, human: bool) -> Vec<String> {
    let (len, ctx) = if human { (TABLE_HEADERS.len(), 4) } else { (LIST_HEADERS.len(), 5) };
    let mut row = vec![String::new(); len];
    row[0] = v.id.clone();
    row[ctx] = "folder".into();
    row[len - 1] = format!("{}/", one_line(&v.name));
    if human && let Some(c) = &v.conversation {
        row[1] = c.last_date.as_deref().map(short_date).unwrap_or_default();
        row[3] = one_line(&c.peers.iter().map(|p| display_address(p)).collect::<Vec<_>>().join(","));
        row[6] = if c.messages == 1 { "1 msg".into() } else { format!("{} msgs", c.messages) };
        if let Some(subject) = &c.subject {
            // The subject is what people call a group; the generated folder name follows.
            row[len - 1] = format!("{} · {}/", truncate(&one_line(subject), 60), one_line(&v.name));
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Reference;

    #[test]
    fn object_rows() {
        let v = ObjectView::new(&crate::message::view::tests::object());
        let table = object_row(&v, true);
        assert_eq!(table[1], "2024-05-01 10:00");
        assert_eq!(table[3], "+15550002222");
        assert_eq!(table[4], "sms");
        assert_eq!(table[5], "seen");
        assert_eq!(table[6], "2.0 KB");
        let plain = object_row(&v, false);
        assert_eq!(plain[8], "hello there friend");
        assert_eq!(plain[5], "pager-message");
    }

    #[test]
    fn folder_rows_and_sizes() {
        let r = Reference { resource_url: "http://h/folders/f9".into(), path: Some("RCSMessageStore/conv-1".into()) };
        let v = FolderView::from_reference(&r, None, Some("f1"));
        assert_eq!(folder_row(&v, true)[7], "conv-1/");
        assert_eq!(folder_row(&v, false)[8], "conv-1/");
        assert_eq!(human_size(10), "10 B");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
    }

    #[test]
    fn short() {
        assert_eq!(short_date("2024-05-01T10:00:00Z"), "2024-05-01 10:00");
        assert_eq!(short_date("garbage"), "garbage");
    }
}
