//! Where things go in a mirror directory (pure, no I/O): the directory of each NMS folder from
//! its path, made safe (no `..`, separators, control characters, no clash with Maildir's own
//! `cur`/`new`/`tmp` or with a sibling), and the file name of each object.

use std::collections::HashSet;

use crate::formats::{maildir_flags, safe_file_name};

/// Names a folder directory may not take: Maildir's own subdirectories.
const RESERVED: &[&str] = &["cur", "new", "tmp"];

/// The directory name of one folder segment: the name made file-safe; a Maildir subdirectory
/// name gets a `~` appended (a literal `~` is always escaped by [`safe_file_name`], so this
/// stays injective).
pub fn segment_dir(name: &str) -> String {
    let safe = safe_file_name(name);
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&safe)) { format!("{safe}~") } else { safe }
}

/// The directory of a child folder named `name` under `parent_dir` (relative to the mirror;
/// `""` is the root), unique among `taken` siblings: a clash (two folders of one name, or names
/// equal up to case) is disambiguated with a `~` and a digest of the folder id.
pub fn child_dir(parent_dir: &str, name: &str, folder_id: &str, taken: &HashSet<String>) -> String {
    let mut seg = segment_dir(name);
    let join = |seg: &str| if parent_dir.is_empty() { seg.to_string() } else { format!("{parent_dir}/{seg}") };
    if taken.contains(&join(&seg).to_lowercase()) {
        let digest = safe_file_name(&format!("~{folder_id}"));
        // `safe_file_name` of a name starting with `~` starts with `%7E`: distinct from any plain
        // segment; long ids are cut and hashed by it.
        seg = format!("{seg}{digest}");
        if seg.len() > 240 {
            seg = segment_dir(&format!("{name}\u{1}{folder_id}"));
        }
    }
    join(&seg)
}

/// The file name of an object: `<safe id>:2,<maildir letters>`.
pub fn object_file_name<S: AsRef<str>>(object_id: &str, flags: &[S]) -> String {
    format!("{}:2,{}", safe_file_name(object_id), maildir_flags(flags))
}

/// The relative path of an object's file: `<folder dir>/cur/<file name>`.
pub fn object_rel_path(folder_dir: &str, file_name: &str) -> String {
    if folder_dir.is_empty() { format!("cur/{file_name}") } else { format!("{folder_dir}/cur/{file_name}") }
}

/// The part of a Maildir file name before its info (`:2,…`): the safe id for files we wrote.
pub fn base_of(file_name: &str) -> &str {
    file_name.split_once(":2,").map_or(file_name, |(b, _)| b)
}

/// Whether a relative path from the index stays inside the mirror: no absolute path, no `..`,
/// no empty or `.` segment. Index rows are checked with it before any file is touched, so an
/// edited index cannot make sync write or delete outside `DIR`.
pub fn is_safe_rel(rel: &str) -> bool {
    if rel.is_empty() {
        return true;
    }
    !rel.starts_with('/') && !rel.contains('\\') && rel.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_made_safe() {
        assert_eq!(segment_dir("RCSMessageStore"), "RCSMessageStore");
        assert_eq!(segment_dir(".."), "%2E.");
        assert_eq!(segment_dir("a/b"), "a%2Fb");
        assert_eq!(segment_dir("cur"), "cur~");
        assert_eq!(segment_dir("TMP"), "TMP~");
        assert_eq!(segment_dir(".cpmctl"), "%2Ecpmctl");
        for n in ["..", ".", "a/b", "x\0y", "cur", "new", "tmp", ""] {
            let d = child_dir("", n, "id", &HashSet::new());
            assert!(is_safe_rel(&d), "{n:?} -> {d}");
            assert!(!RESERVED.contains(&d.as_str()));
        }
    }

    #[test]
    fn sibling_clashes_are_disambiguated() {
        let mut taken = HashSet::new();
        let a = child_dir("p", "Inbox", "1", &taken);
        assert_eq!(a, "p/Inbox");
        taken.insert(a.to_lowercase());
        let b = child_dir("p", "inbox", "2", &taken);
        assert_ne!(b.to_lowercase(), "p/inbox");
        assert!(b.starts_with("p/inbox") && is_safe_rel(&b));
        taken.insert(b.to_lowercase());
        let c = child_dir("p", "INBOX", "3", &taken);
        assert!(!taken.contains(&c.to_lowercase()));
    }

    #[test]
    fn object_names_and_paths() {
        assert_eq!(object_file_name("a:b", &["\\Seen", "\\Flagged"]), "a%3Ab:2,FS");
        assert_eq!(object_rel_path("", "x:2,"), "cur/x:2,");
        assert_eq!(object_rel_path("A/B", "x:2,S"), "A/B/cur/x:2,S");
        assert_eq!(base_of("x:2,S"), "x");
        assert_eq!(base_of("plain.eml"), "plain.eml");
        assert!(!is_safe_rel("../x") && !is_safe_rel("/etc") && !is_safe_rel("a//b") && !is_safe_rel("a/./b"));
        assert!(is_safe_rel("a/cur/x:2,S"));
    }
}
