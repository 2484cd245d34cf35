//! Names of what an export writes: a conversation's folder (from its peer or subject plus its
//! short key) and each payload part's file (`<date>_<object id>_<part>.<ext>`). Both come from
//! network strings, so both are made safe: one path component, no separators, no `..`, no
//! control or bidi characters, bounded length.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::message::files::{extension_for, safe_filename};

/// The longest label part of a folder name, in characters.
const MAX_LABEL_CHARS: usize = 60;
/// The longest object-id part of an attachment name, in characters.
const MAX_ID_CHARS: usize = 64;

/// A folder name for a conversation: `LABEL_SHORTKEY`, the label made safe (spaces and commas
/// become `_`), or the short key alone when nothing of the label is usable.
pub fn conversation_folder(label: &str, short_key: &str) -> String {
    let cleaned: String = label
        .chars()
        .map(|c| if c.is_whitespace() || matches!(c, ',' | ';' | '/' | '\\' | '%') { '_' } else { c })
        .take(MAX_LABEL_CHARS)
        .collect();
    let key: String = short_key.chars().filter(char::is_ascii_alphanumeric).collect();
    match safe_filename(&cleaned) {
        Some(l) if !l.trim_matches(['_', '.']).is_empty() => format!("{}_{key}", l.trim_matches(['_', '.'])),
        _ => key,
    }
}

/// The file name of payload part `index` (1-based) of object `object_id` dated `date`:
/// `YYYYMMDD-HHMMSS_<id>_<index>.<ext>`, the extension from the announced name when it has a
/// plain one, else from the content type. Unique per object and part, so never colliding.
pub fn part_file(date: Option<Timestamp>, object_id: &str, index: usize, announced: Option<&str>, ct: &str) -> String {
    let date = date.map_or_else(|| "undated".to_string(), |t| t.strftime("%Y%m%d-%H%M%S").to_string());
    let id: String = object_id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '.') { c } else { '_' })
        .take(MAX_ID_CHARS)
        .collect();
    let id = id.trim_start_matches('.');
    let id = if id.is_empty() { "object" } else { id };
    let ext = announced
        .and_then(safe_filename)
        .and_then(|n| n.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()))
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or_else(|| extension_for(ct).to_string());
    format!("{date}_{id}_{index}.{ext}")
}

/// `dir/name` when `name` is one safe component; `None` otherwise.
pub fn join_safe(dir: &Path, name: &str) -> Option<PathBuf> {
    (safe_filename(name).as_deref() == Some(name)).then(|| dir.join(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_safe_and_keyed() {
        assert_eq!(conversation_folder("+15550002222", "0123456789ab"), "+15550002222_0123456789ab");
        assert_eq!(conversation_folder("Hike club", "0123456789ab"), "Hike_club_0123456789ab");
        assert_eq!(conversation_folder("../../etc", "0123456789ab"), "etc_0123456789ab");
        assert_eq!(conversation_folder("..", "0123456789ab"), "0123456789ab");
        assert_eq!(conversation_folder("a\u{202e}b\n", "k/../x"), "a_b_kx");
        assert!(conversation_folder(&"x".repeat(500), "k").len() < 80);
    }

    #[test]
    fn part_files_carry_date_object_and_part() {
        let t: Timestamp = "2024-05-01T10:00:00Z".parse().unwrap();
        assert_eq!(part_file(Some(t), "abc", 1, Some("image_0.png"), "image/png"), "20240501-100000_abc_1.png");
        assert_eq!(part_file(Some(t), "abc", 2, None, "image/jpeg"), "20240501-100000_abc_2.jpg");
        assert_eq!(part_file(None, "../x/y", 1, Some("a.p<n>g"), "text/plain"), "undated__x_y_1.txt");
        assert_eq!(part_file(None, "", 3, Some("noext"), "application/x-unknown-thing"), "undated_object_3.bin");
        let n = part_file(None, "..", 1, None, "text/plain");
        assert!(!n.starts_with('.'), "{n}");
    }
}
