//! Pure converters between NMS objects and file formats, over `Read`/`Write` only (no network, no
//! terminal): the CPM IMAP form of an object as one RFC 5322/MIME message (`cpm_imap`, shared by the
//! mirror, export and import) and the Maildir naming rules that go with it (`maildir`).

pub mod cpm_imap;
pub mod maildir;

pub use cpm_imap::{ImapFormError, ParsedObject, PartBytes, portable, read, write};
pub use maildir::{flags_from_maildir, maildir_flags, safe_file_name};
