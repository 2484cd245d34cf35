//! The sync decisions, pure (no I/O) so they are unit-tested on tables of (index state, store
//! state) → action. The engine in `pull.rs` does the I/O each action names.

use std::collections::BTreeSet;

/// What the index remembers of one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub folder: String,
    pub flags: BTreeSet<String>,
    pub last_mod_seq: Option<u64>,
    /// Whether the file on disk still has the bytes the index recorded (false: missing or
    /// edited locally, so its payload cannot be reused).
    pub file_intact: bool,
}

/// What the store says of one object now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub folder: String,
    pub flags: BTreeSet<String>,
    pub last_mod_seq: Option<u64>,
}

/// What to do with one object the store has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Nothing changed: only mark it seen in this run.
    Keep,
    /// Not in the mirror (or its file is gone or edited): fetch object and payload.
    Download,
    /// Flags, folder or lastModSeq changed: rewrite the file from the local payload (no
    /// download) under its new name and folder. `moved` says whether the folder changed.
    Rewrite { moved: bool },
}

/// Flags compared case-insensitively (IMAP system flags are), as a set.
pub fn flag_set<S: AsRef<str>>(flags: &[S]) -> BTreeSet<String> {
    flags.iter().map(|f| f.as_ref().to_ascii_lowercase()).collect()
}

/// The action for one object the store lists. The payload of an NMS object never changes (only
/// its flags and folder do), so a known object with an intact file is never downloaded again.
pub fn decide(known: Option<&Known>, remote: &Remote) -> Action {
    let Some(k) = known else { return Action::Download };
    if !k.file_intact {
        return Action::Download;
    }
    let moved = k.folder != remote.folder;
    if moved || k.flags != remote.flags || k.last_mod_seq != remote.last_mod_seq {
        return Action::Rewrite { moved };
    }
    Action::Keep
}

/// How many deletions a finished listing allows: none at all when the listing did not reach its
/// end (a failed page must not look like deleted objects).
pub fn deletions_allowed(listing_complete: bool, unseen: u64) -> u64 {
    if listing_complete { unseen } else { 0 }
}

/// What pushing one object's local flag change does. Only flags with a Maildir letter can be
/// changed by renaming a file; the rest (\Recent, keywords, Archived) are the store's alone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlagPush {
    /// Flags the file gained since the last sync (added on the store with bulkUpdate).
    pub add: Vec<String>,
    /// Flags the file lost since the last sync (removed on the store).
    pub remove: Vec<String>,
}

impl FlagPush {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.remove.is_empty()
    }
}

/// The flag change a renamed file asks for: its Maildir letters against the flags the index
/// recorded at the last sync. Only the difference is pushed (add and remove, never "set"), so
/// what the store changed meanwhile stays: see [`merge_flags`].
pub fn flag_push(index_flags: &[String], local_letters: &str) -> FlagPush {
    let local = flag_set(&crate::formats::flags_from_maildir(local_letters));
    let had = flag_set(index_flags);
    let mut push = FlagPush::default();
    // Only flags a letter can express: the index's \Recent or keywords are not "removed" by a
    // file name that cannot carry them.
    for f in crate::formats::flags_from_maildir("DFPRST") {
        let key = f.to_ascii_lowercase();
        match (had.contains(&key), local.contains(&key)) {
            (false, true) => push.add.push(f),
            (true, false) => push.remove.push(f),
            _ => {}
        }
    }
    push
}

/// The flags an object has after a sync, from the flags at the last sync (`index`), the store's
/// now and the file's letters now. The rule (documented in the README): a flag added on either
/// side since the last sync stays added, a flag removed on either side goes; the two sides
/// cannot disagree about one flag, as both changes are relative to the same last state.
/// Flags without a letter follow the store.
pub fn merge_flags(index: &[String], store: &[String], local_letters: &str) -> BTreeSet<String> {
    let push = flag_push(index, local_letters);
    let mut out = flag_set(store);
    out.extend(push.add.iter().map(|f| f.to_ascii_lowercase()));
    for f in &push.remove {
        out.remove(&f.to_ascii_lowercase());
    }
    out
}

/// What a file deleted in the mirror does on the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalDelete {
    /// Without `--delete`: nothing on the store; the file comes back at the pull.
    Restore,
    /// Delete it on the store.
    Delete,
    /// The store changed the object since the last sync: a delete of an object changed on the
    /// other side keeps it (it comes back, with its new state).
    KeepChanged,
    /// The store no longer has it either: only the index row goes.
    Forget,
}

/// The decision for one file deleted locally: `store_seq` is `None` when the store no longer has
/// the object, `Some(seq)` with its lastModSeq otherwise.
pub fn local_delete(delete: bool, index_seq: Option<u64>, store_seq: Option<Option<u64>>) -> LocalDelete {
    match store_seq {
        None => LocalDelete::Forget,
        Some(_) if !delete => LocalDelete::Restore,
        Some(seq) if seq != index_seq => LocalDelete::KeepChanged,
        Some(_) => LocalDelete::Delete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(f: &[&str]) -> BTreeSet<String> {
        flag_set(f)
    }

    fn known(folder: &str, flags: &[&str], seq: u64, intact: bool) -> Known {
        Known { folder: folder.into(), flags: set(flags), last_mod_seq: Some(seq), file_intact: intact }
    }

    fn remote(folder: &str, flags: &[&str], seq: u64) -> Remote {
        Remote { folder: folder.into(), flags: set(flags), last_mod_seq: Some(seq) }
    }

    #[test]
    fn table_of_decisions() {
        let cases: Vec<(Option<Known>, Remote, Action)> = vec![
            (None, remote("f", &[], 1), Action::Download),
            (Some(known("f", &["\\Seen"], 3, true)), remote("f", &["\\seen"], 3), Action::Keep),
            (Some(known("f", &[], 3, true)), remote("f", &["\\Seen"], 4), Action::Rewrite { moved: false }),
            (Some(known("f", &["\\Seen"], 3, true)), remote("g", &["\\Seen"], 4), Action::Rewrite { moved: true }),
            (Some(known("f", &[], 3, true)), remote("f", &[], 5), Action::Rewrite { moved: false }),
            (Some(known("f", &[], 3, false)), remote("f", &[], 3), Action::Download),
            (Some(known("f", &[], 3, false)), remote("g", &["\\Seen"], 9), Action::Download),
        ];
        for (i, (k, r, want)) in cases.iter().enumerate() {
            assert_eq!(decide(k.as_ref(), r), *want, "case {i}");
        }
    }

    #[test]
    fn no_deletions_after_an_incomplete_listing() {
        assert_eq!(deletions_allowed(true, 7), 7);
        assert_eq!(deletions_allowed(false, 7), 0);
    }

    fn v(f: &[&str]) -> Vec<String> {
        f.iter().map(|s| s.to_string()).collect()
    }

    /// (index flags, store flags, local letters, flags after the sync).
    type MergeCase = (&'static [&'static str], &'static [&'static str], &'static str, &'static [&'static str]);

    #[test]
    fn table_of_flag_merges() {
        let cases: Vec<MergeCase> = vec![
            // Nothing changed anywhere.
            (&["\\Seen"], &["\\Seen"], "S", &["\\Seen"]),
            // Added locally (a mail client marked it read).
            (&[], &[], "S", &["\\Seen"]),
            // Removed locally.
            (&["\\Seen"], &["\\Seen"], "", &[]),
            // Added on the store, file unchanged: stays.
            (&[], &["\\Flagged"], "", &["\\Flagged"]),
            // Removed on the store, file unchanged: goes.
            (&["\\Flagged"], &[], "F", &[]),
            // Added on both sides, different flags: both stay.
            (&[], &["\\Flagged"], "S", &["\\Seen", "\\Flagged"]),
            // Removed locally, added another on the store.
            (&["\\Seen"], &["\\Seen", "\\Answered"], "", &["\\Answered"]),
            // Added locally, removed on the store (different flags).
            (&["\\Flagged"], &[], "FS", &["\\Seen"]),
            // Flags without a letter follow the store; the file cannot remove them.
            (&["Archived", "\\Recent"], &["Archived"], "", &["Archived"]),
            (&[], &["$label"], "D", &["$label", "\\Draft"]),
            // Lower-case letters and unknown letters mean nothing.
            (&["\\Seen"], &["\\Seen"], "Sa", &["\\Seen"]),
        ];
        for (i, (index, store, letters, want)) in cases.into_iter().enumerate() {
            assert_eq!(merge_flags(&v(index), &v(store), letters), set(want), "case {i}");
        }
    }

    #[test]
    fn flag_push_is_the_local_difference_only() {
        let p = flag_push(&v(&["\\Seen", "Archived"]), "F");
        assert_eq!(p.add, v(&["\\Flagged"]));
        assert_eq!(p.remove, v(&["\\Seen"]));
        assert!(flag_push(&v(&["\\seen"]), "S").is_empty());
    }

    /// (--delete, index lastModSeq, store lastModSeq or gone) -> what happens.
    #[test]
    fn table_of_local_deletes() {
        use LocalDelete::*;
        let cases = [
            (false, Some(3), Some(Some(3)), Restore),
            (false, Some(3), Some(Some(5)), Restore),
            (true, Some(3), Some(Some(3)), Delete),
            (true, Some(3), Some(Some(5)), KeepChanged),
            (true, Some(3), None, Forget),
            (false, Some(3), None, Forget),
            (true, None, Some(None), Delete),
        ];
        for (i, (delete, index, store, want)) in cases.into_iter().enumerate() {
            assert_eq!(local_delete(delete, index, store), want, "case {i}");
        }
    }
}
