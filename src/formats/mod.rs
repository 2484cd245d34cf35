//! Pure converters between NMS objects and file formats, over `Read`/`Write` only (no network, no
//! terminal; may use `wire`, nothing higher): the CPM IMAP form of an object as one RFC 5322/MIME
//! message (`cpm_imap`, shared by the mirror, export and import), the Maildir naming rules that go
//! with it (`maildir`), the JSONL message record of exports (`jsonl`), SMS Backup & Restore XML, streamed (`smsbr`), and
//! conversation transcripts, HTML from templates and plain text (`transcript`).

pub mod cpm_imap;
pub mod jsonl;
pub mod maildir;
pub mod smsbr;
pub mod transcript;

pub use cpm_imap::{ImapFormError, ParsedObject, PartBytes, portable, read, write};
pub use maildir::{flags_from_maildir, maildir_flags, safe_file_name};
