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
}
