//! Which flag names a person means: the CPM flags (`seen` is `\Seen`) versus free keywords,
//! so that `flag add read` is caught instead of silently creating a keyword `read`.

use crate::wire::names;

/// Words people type for a CPM flag, with the flag they mean (IMAP/mail habits).
const SYNONYMS: &[(&str, &str)] = &[
    ("read", "seen"),
    ("unread", "seen"),
    ("opened", "seen"),
    ("star", "flagged"),
    ("starred", "flagged"),
    ("important", "flagged"),
    ("replied", "answered"),
    ("reply", "answered"),
    ("trash", "deleted"),
    ("delete", "deleted"),
    ("forward", "forwarded"),
    ("archive", "archived"),
];

/// Whether `name` is one of the CPM flags, with or without its `\`/`$` prefix (any case).
pub fn is_cpm_flag(name: &str) -> bool {
    let canonical = names::canonical_flag(name.trim());
    names::FLAGS.iter().any(|f| *f == canonical)
}

/// Whether `name` spells a keyword on purpose: a leading `\` or `$` is never a slip.
pub fn is_explicit(name: &str) -> bool {
    name.trim().starts_with(['\\', '$'])
}

/// The CPM flag a person most likely meant by an unknown bare name, if any.
pub fn suggestion(name: &str) -> Option<&'static str> {
    let n = name.trim();
    SYNONYMS.iter().find(|(w, _)| w.eq_ignore_ascii_case(n)).map(|(_, f)| *f)
}

/// The CPM flags as typed on a command line (`seen, answered, …`).
pub fn known_list() -> String {
    names::FLAGS.iter().map(|f| f.trim_start_matches(['\\', '$']).to_ascii_lowercase()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpm_flags_and_slips() {
        assert!(is_cpm_flag("seen") && is_cpm_flag("\\Flagged") && is_cpm_flag("FORWARDED"));
        assert!(!is_cpm_flag("read") && !is_cpm_flag("$CNS-Greeting-On"));
        assert!(is_explicit("$CNS-Greeting-On") && !is_explicit("read"));
        assert_eq!(suggestion("Read"), Some("seen"));
        assert_eq!(suggestion("zzz"), None);
        assert!(known_list().starts_with("seen, answered, flagged"));
    }
}
