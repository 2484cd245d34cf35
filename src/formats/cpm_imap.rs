//! The CPM IMAP form of an NMS object: one RFC 5322/MIME message carrying the headers the CPM
//! Message Store shows over IMAP (From, To, Cc, Date, Subject, Message-Context, Direction and the
//! CPM profile's Appendix C headers) plus an `X-NMS-*` block from which the object is re-created
//! exactly. Written with mail-builder, read with mail-parser.
//!
//! Layout of a written message:
//! - Display headers: From/To/Cc/Subject/Date/Message-ID, `Message-Context`, `Direction`,
//!   `Conversation-ID`, `Contribution-ID`, `InReplyTo-Contribution-ID`, `IMDN-Message-ID`,
//!   `P-Asserted-Service`, `Message-Correlator` (from the attributes of those names). They are for
//!   mail clients and people; reading a CPM-form file never takes attributes from them.
//! - `X-NMS-Version: 1` marks the CPM form. Then `X-NMS-Object-Id`, `X-NMS-Correlation-Id`,
//!   `X-NMS-Correlation-Tag`, `X-NMS-Last-Mod-Seq`, `X-NMS-Parent-Folder-Path` (each only when the
//!   object has it), `X-NMS-Flags` (the flags, space-separated), `X-NMS-Payload-Parts` (how many
//!   parts follow; 0 means the body is a placeholder) and one `X-NMS-Attribute: Name: value` per
//!   value of every attribute, in order (an attribute without values is `X-NMS-Attribute: Name`).
//! - Payload parts: one text part is the message body itself; anything else is `multipart/mixed`.
//!   Each part has its Content-Type, Content-ID, Content-Location and Content-Disposition with the
//!   file name for mail clients, and the exact values again as `X-NMS-Content-Type`,
//!   `X-NMS-Content-ID`, `X-NMS-Content-Location`, `X-NMS-Disposition`, `X-NMS-Filename`, because
//!   MIME parameter syntax cannot carry every string the NMS allows. A short one-line UTF-8 text
//!   is stored `8bit` (readable, greppable); every other body is base64, a `message/*` body (CPIM)
//!   too, shown to mail clients as `text/plain` since RFC 2046 allows no base64 under its own type.
//!   Bodies are read back from the raw bytes with the declared transfer encoding, never
//!   charset-converted, so they are exact. Lines end with LF, as local mail files do.
//! - Deterministic: no clock, no random boundary; a missing Date attribute gives the epoch.
//!
//! Value encoding of every `X-NMS-*` header: the UTF-8 bytes, with every byte that is not printable
//! ASCII (0x21–0x7E), and `%` itself, written as `%XX` (upper-case hex; a space is `%20`; names
//! also escape `:`). Long values get spaces inserted so the header can be folded; a reader drops
//! all white space before decoding. So any Unicode, newline or control character survives.

mod read;
#[cfg(test)]
mod tests;
mod write;

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::wire::{FlagList, Object};

pub use read::read;
pub use write::{to_vec, write};

/// Largest message [`read`] accepts, in bytes (the CPM form of a big file transfer included).
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;
/// Most MIME parts (containers included) [`read`] accepts in one message.
pub const MAX_PARTS: usize = 1_000;
/// Most header fields [`read`] accepts in one part (the top level carries one per attribute value).
pub const MAX_HEADERS: usize = 10_000;
/// Most attributes (and values of one attribute) [`read`] accepts.
pub const MAX_ATTRIBUTES: usize = 5_000;

/// One payload part: what the MIME part's headers say about it, and its exact bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartBytes {
    /// The full Content-Type, parameters included (`text/plain; charset=utf-8`).
    pub content_type: String,
    /// The Content-ID without angle brackets (how the NMS `payloadPart.contentId` carries it).
    pub content_id: Option<String>,
    pub content_location: Option<String>,
    /// The disposition type (`attachment`, `inline`, `icon`, `render`), without parameters.
    pub disposition: Option<String>,
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
}

impl PartBytes {
    /// A part from the NMS description of it (`payloadPart[]`) and its downloaded bytes: the
    /// Content-Disposition string is split into its type and file name.
    pub fn from_info(info: &crate::wire::PayloadPartInfo, bytes: Vec<u8>) -> Self {
        let (disposition, filename) = match info.content_disposition.as_deref() {
            Some(d) => read::split_disposition(d),
            None => (None, None),
        };
        PartBytes {
            content_type: info.content_type.clone(),
            content_id: info.content_id.clone(),
            content_location: info.content_location.clone(),
            disposition,
            filename,
            bytes,
        }
    }
}

/// What [`read`] found: the object (the fields [`portable`] keeps), its id when the message names
/// one, and its payload parts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedObject {
    pub id: Option<String>,
    pub object: Object,
    pub parts: Vec<PartBytes>,
    /// Whether the message was in the CPM form (an `X-NMS-Version` header); `false` for any other
    /// mail, whose object was mapped from its From/To/Cc/Date/Subject/Message-ID.
    pub cpm_form: bool,
}

/// Why a message could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ImapFormError {
    #[error("cannot write the message: {0}")]
    Io(#[from] std::io::Error),
    #[error("the message is {size} bytes, more than the {max} accepted")]
    TooLarge { size: usize, max: usize },
    #[error("not an RFC 5322 message: no header section found")]
    NotMime,
    #[error("the message has more than {max} {what}")]
    TooMany { what: &'static str, max: usize },
    #[error("bad {header} header: {why}")]
    BadHeader { header: &'static str, why: String },
    #[error("X-NMS-Payload-Parts says {said} parts but the message has {found}")]
    PartCount { said: usize, found: usize },
    #[error("part {index}: {why}")]
    BadPart { index: usize, why: String },
}

/// The fields of an object the CPM form carries (everything but server URLs and the server's own
/// payload descriptions, which a store assigns again): `read(write(o)).object == portable(o)`.
pub fn portable(o: &Object) -> Object {
    Object {
        parent_folder_path: o.parent_folder_path.clone(),
        attributes: o.attributes.clone(),
        flags: FlagList { flag: o.flags.flag.clone(), resource_url: None },
        last_mod_seq: o.last_mod_seq,
        correlation_id: o.correlation_id.clone(),
        correlation_tag: o.correlation_tag.clone(),
        ..Object::default()
    }
}

/// Bytes escaped in `X-NMS-*` values: controls, space, `%` (non-ASCII is always escaped).
const VALUE_SET: &AsciiSet = &CONTROLS.add(b' ').add(b'%');
/// Attribute names also escape `:`, the name/value separator.
const NAME_SET: &AsciiSet = &VALUE_SET.add(b':');
/// Where fold points are inserted into long encoded values.
const FOLD_EVERY: usize = 64;

/// A value in the `X-NMS-*` encoding, without fold points (for short tokens such as flags).
/// Borrowed when nothing needs escaping, as most values: a file's writer calls this for every
/// header value of every file a sync writes.
fn enc_word(s: &str) -> Cow<'_, str> {
    // Most values need no escape: checking that alone is cheaper than percent-encoding's
    // iterator (and this runs for every `X-NMS-*` value of every file a sync writes).
    if s.bytes().all(is_plain) {
        return Cow::Borrowed(s);
    }
    utf8_percent_encode(s, VALUE_SET).into()
}

fn enc_name(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| is_plain(b) && b != b':') {
        return Cow::Borrowed(s);
    }
    utf8_percent_encode(s, NAME_SET).into()
}

/// Whether `b` stands for itself in an `X-NMS-*` value: not in [`VALUE_SET`], not non-ASCII.
fn is_plain(b: u8) -> bool {
    (0x21..=0x7e).contains(&b) && b != b'%'
}

/// A value in the `X-NMS-*` encoding with a space every [`FOLD_EVERY`] characters so that
/// mail-builder can fold the line under RFC 5322's length limit (spaces are not data here).
fn enc_value(s: &str) -> Cow<'_, str> {
    let e = enc_word(s);
    if e.len() <= FOLD_EVERY {
        return e;
    }
    let mut out = String::with_capacity(e.len() + e.len() / FOLD_EVERY);
    // The encoded form is ASCII, so byte chunks are character chunks.
    for (i, chunk) in e.as_bytes().chunks(FOLD_EVERY).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(chunk.iter().map(|&b| char::from(b)));
    }
    out.into()
}

/// Decodes an `X-NMS-*` value: white space (folding, fold points) dropped, `%XX` decoded, UTF-8.
fn dec(raw: &str, header: &'static str) -> Result<String, ImapFormError> {
    let compact: String = raw.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    percent_decode_str(&compact)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|e| ImapFormError::BadHeader { header, why: format!("not UTF-8 after %-decoding: {e}") })
}
