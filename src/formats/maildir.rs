//! Maildir naming: the info letters of a file name (`:2,FS`) for the NMS flags that have one, and
//! object ids made safe to use as file names.

use sha2::{Digest, Sha256};

use crate::wire::names;

/// Maildir info letters and the NMS flag each stands for, in ASCII order of the letter (the order
/// the Maildir spec wants them written in).
const LETTERS: &[(char, &str)] = &[
    ('D', names::DRAFT),
    ('F', names::FLAGGED),
    ('P', names::FORWARDED),
    ('R', names::ANSWERED),
    ('S', names::SEEN),
    ('T', names::DELETED),
];

/// The Maildir info letters of `flags` (case-insensitive names), in ASCII order, each at most once.
/// Flags without a letter (\Recent, \read-report-sent, Archived, keywords) are left out: the
/// mirror's index holds the full set.
pub fn maildir_flags<S: AsRef<str>>(flags: &[S]) -> String {
    LETTERS
        .iter()
        .filter(|(_, flag)| flags.iter().any(|f| f.as_ref().eq_ignore_ascii_case(flag)))
        .map(|(letter, _)| *letter)
        .collect()
}

/// The NMS flags named by Maildir info letters (the part after `:2,`), in the order of
/// [`maildir_flags`]; unknown letters (other tools' extensions, lower-case keywords) are ignored and
/// repeated letters count once.
pub fn flags_from_maildir(letters: &str) -> Vec<String> {
    LETTERS.iter().filter(|(l, _)| letters.contains(*l)).map(|(_, flag)| (*flag).to_string()).collect()
}

/// Longest file name [`safe_file_name`] returns, in bytes: well below the 255 of common file
/// systems, leaving room for the `:2,DFPRST` suffix and a Maildir tmp prefix.
pub const MAX_SAFE_NAME: usize = 200;

/// An object id as a file name: `%`, `/`, `\`, `:`, `~`, control characters (C0, DEL, C1) and a
/// leading `.` are percent-escaped (so `.` and `..` cannot occur and Maildir readers, which skip
/// dot files, see every file); an empty id becomes a lone `%`. Names longer than
/// [`MAX_SAFE_NAME`] bytes are cut at a character boundary and end in `~` plus 32 hex digits of the
/// id's SHA-256. Injective: escaping is reversible because `%` is escaped, and only cut names
/// contain a literal `~`.
pub fn safe_file_name(object_id: &str) -> String {
    if object_id.is_empty() {
        // `%` followed by nothing cannot come out of escaping, so this stays injective.
        return "%".to_string();
    }
    let mut out = String::with_capacity(object_id.len());
    for (i, c) in object_id.char_indices() {
        let escape = matches!(c, '%' | '/' | '\\' | ':' | '~') || c.is_control() || (i == 0 && c == '.');
        if escape {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    if out.len() <= MAX_SAFE_NAME {
        return out;
    }
    let digest = hex::encode(&Sha256::digest(object_id.as_bytes())[..16]);
    let mut cut = MAX_SAFE_NAME - 1 - digest.len();
    while !out.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{digest}", &out[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_in_ascii_order_and_only_known_flags() {
        let flags = ["\\Seen", "\\deleted", "Archived", "\\Recent", "$Forwarded", "\\Draft", "\\Flagged", "\\ANSWERED"];
        assert_eq!(maildir_flags(&flags), "DFPRST");
        assert_eq!(maildir_flags(&["\\Seen", "\\Seen"]), "S");
        assert_eq!(maildir_flags::<&str>(&[]), "");
        assert_eq!(maildir_flags(&["\\read-report-sent", "keyword"]), "");
    }

    #[test]
    fn letters_back_to_flags() {
        assert_eq!(flags_from_maildir("ST"), vec!["\\Seen", "\\Deleted"]);
        assert_eq!(flags_from_maildir("SSxaP"), vec!["$Forwarded", "\\Seen"]);
        assert_eq!(flags_from_maildir(""), Vec::<String>::new());
        let all = flags_from_maildir("DFPRST");
        assert_eq!(maildir_flags(&all), "DFPRST");
    }

    #[test]
    fn safe_names_have_no_separators_controls_or_dots() {
        assert_eq!(safe_file_name("abc-123"), "abc-123");
        assert_eq!(safe_file_name("a/b:c"), "a%2Fb%3Ac");
        assert_eq!(safe_file_name("."), "%2E");
        assert_eq!(safe_file_name(".."), "%2E.");
        assert_eq!(safe_file_name(".hidden"), "%2Ehidden");
        assert_eq!(safe_file_name("a\nb\u{7f}\u{85}"), "a%0Ab%7F%C2%85");
        assert_eq!(safe_file_name("50%"), "50%25");
        assert_eq!(safe_file_name("naïve 😀"), "naïve 😀");
        for id in ["", ".", "..", "a/b", "x:2,S", "\u{0}", "%2F", "~"] {
            let name = safe_file_name(id);
            assert!(
                !name.contains(['/', ':', '\0']) && name != "." && name != ".." && !name.starts_with('.'),
                "{id:?}"
            );
        }
    }

    #[test]
    fn safe_names_are_bounded_and_injective() {
        let long = "é".repeat(300);
        let name = safe_file_name(&long);
        assert!(name.len() <= MAX_SAFE_NAME, "{}", name.len());
        assert!(name.contains('~'));
        let other = format!("{}x", "é".repeat(299));
        assert_ne!(safe_file_name(&other), name);
        let ids = ["a", "a%", "a%25", "a/", "a%2F", "~", "%7E", "", "%", "..", "%2E.", "a:b", "a%3Ab", &long];
        let names: std::collections::HashSet<String> = ids.iter().map(|i| safe_file_name(i)).collect();
        assert_eq!(names.len(), ids.len());
        // A cut name cannot be forged by an id that already looks like one: its `~` gets escaped.
        assert_ne!(safe_file_name(&name), name);
    }
}
