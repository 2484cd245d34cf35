//! The JSONL message record (`messages.jsonl`): one line per stored object with full fidelity,
//! written by `export` and read by `import`, so an export re-imports into another box with
//! identical attributes, flags and payload bytes.
//!
//! The NMS `object` is kept exactly as the server gave it (attributes, flags, correlationId,
//! correlationTag, lastModSeq, parts); the few fields beside it (`date`, `from`, `text`, …) are
//! conveniences for `jq` and are ignored on import. Each payload part names the file that holds
//! its bytes, relative to the directory of the JSONL file, with its size and SHA-256.

use std::io::{self, BufRead, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::wire::Object;

/// The `format` value of every record this version writes; readers refuse other major versions.
pub const FORMAT: &str = "cpmctl.message/1";

/// Longest line a reader accepts. A record is metadata only (payload bytes live in files), so a
/// longer line is hostile or corrupt and is rejected without being buffered whole.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// One exported object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub format: String,
    /// The object id on the box it was exported from.
    pub id: String,
    /// The export's conversation key (`conversation:<id>` / `peers:<addr>,…`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub to: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The object as the NMS server returned it: the source of truth on import.
    pub object: Object,
    /// Payload parts in the order of `object.payloadPart`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartFile>,
    /// Set by `export --update` when the object is gone from the store: kept, never dropped.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleted: bool,
}

/// Where one payload part's bytes were written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartFile {
    /// 1-based position in `object.payloadPart`.
    pub index: usize,
    pub content_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_id: Option<String>,
    /// The name the part announced (Content-Disposition / Content-Location), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// The file, relative to the JSONL file's directory, `/`-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub size: u64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
}

/// A line that could not be read as a record; the reader goes on with the next line.
#[derive(Debug, thiserror::Error)]
pub enum JsonlError {
    #[error("line {line}: {reason}")]
    Bad { line: u64, reason: String },
    #[error("line {line}: {source}")]
    Io { line: u64, source: io::Error },
}

impl JsonlError {
    pub fn line(&self) -> u64 {
        match self {
            JsonlError::Bad { line, .. } | JsonlError::Io { line, .. } => *line,
        }
    }
}

/// Writes one record as one line.
pub fn write_record<W: Write>(w: &mut W, record: &Record) -> io::Result<()> {
    serde_json::to_writer(&mut *w, record)?;
    w.write_all(b"\n")
}

/// Streams records from a JSONL source, one line at a time, in constant memory.
pub struct Reader<R> {
    inner: R,
    line: u64,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> Reader<R> {
    pub fn new(inner: R) -> Self {
        Reader { inner, line: 0, buf: Vec::new(), done: false }
    }

    /// Reads the next line into `buf`, refusing (and skipping to its end) a line over the cap.
    fn next_line(&mut self) -> io::Result<Option<bool>> {
        self.buf.clear();
        let mut too_long = false;
        loop {
            let available = self.inner.fill_buf()?;
            if available.is_empty() {
                return Ok(if self.buf.is_empty() && !too_long { None } else { Some(too_long) });
            }
            let (chunk, found) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..i], Some(i + 1)),
                None => (available, None),
            };
            if !too_long && self.buf.len() + chunk.len() <= MAX_LINE_BYTES {
                self.buf.extend_from_slice(chunk);
            } else {
                too_long = true;
                self.buf.clear();
            }
            let used = found.unwrap_or(available.len());
            self.inner.consume(used);
            if found.is_some() {
                return Ok(Some(too_long));
            }
        }
    }
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Result<Record, JsonlError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let too_long = match self.next_line() {
                Ok(Some(t)) => t,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(source) => {
                    self.done = true;
                    return Some(Err(JsonlError::Io { line: self.line + 1, source }));
                }
            };
            self.line += 1;
            let line = self.line;
            if too_long {
                return Some(Err(JsonlError::Bad { line, reason: format!("longer than {MAX_LINE_BYTES} bytes") }));
            }
            if self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some(parse_line(&self.buf, line));
        }
        None
    }
}

fn parse_line(bytes: &[u8], line: u64) -> Result<Record, JsonlError> {
    let record: Record =
        serde_json::from_slice(bytes).map_err(|e| JsonlError::Bad { line, reason: format!("not a record: {e}") })?;
    let major_ok = record.format.strip_prefix("cpmctl.message/").is_some_and(|v| v.split('.').next() == Some("1"));
    if !major_ok {
        return Err(JsonlError::Bad { line, reason: format!("unknown record format {:?}", record.format) });
    }
    if record.parts.iter().any(|p| p.index == 0 || p.index > record.object.payload_part.len().max(record.parts.len())) {
        return Err(JsonlError::Bad { line, reason: "a part index is out of range".into() });
    }
    Ok(record)
}

/// Resolves a part's `file` against the JSONL file's directory. A name that is absolute, climbs
/// with `..`, or carries a drive or root is refused: a record never reaches outside its export.
pub fn resolve_part_file(base: &Path, file: &str) -> Option<PathBuf> {
    if file.is_empty() || file.contains('\0') || file.contains('\\') {
        return None;
    }
    let rel = Path::new(file);
    let mut out = base.to_path_buf();
    for c in rel.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (out != base).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{Attribute, AttributeList, FlagList, PayloadPartInfo};

    fn sample() -> Record {
        Record {
            format: FORMAT.into(),
            id: "abc".into(),
            conversation: Some("peers:+15550002222".into()),
            date: Some("2026-01-02T03:04:05Z".into()),
            direction: Some("In".into()),
            from: Some("tel:+15550002222".into()),
            to: vec!["tel:+15550001111".into()],
            context: Some("pager-message".into()),
            text: Some("hi\nthere".into()),
            object: Object {
                attributes: AttributeList { attribute: vec![Attribute::new("Date", "2026-01-02T03:04:05Z")] },
                flags: FlagList::new(["\\Seen"]),
                correlation_tag: Some("tag".into()),
                payload_part: vec![PayloadPartInfo { content_type: "text/plain".into(), ..Default::default() }],
                ..Default::default()
            },
            parts: vec![PartFile {
                index: 1,
                content_type: "text/plain".into(),
                content_id: None,
                filename: None,
                file: Some("attachments/a.txt".into()),
                size: 8,
                sha256: "00".repeat(32),
            }],
            deleted: false,
        }
    }

    #[test]
    fn a_record_round_trips_through_one_line() {
        let mut out = Vec::new();
        write_record(&mut out, &sample()).unwrap();
        assert_eq!(out.iter().filter(|b| **b == b'\n').count(), 1);
        let back: Vec<_> = Reader::new(&out[..]).collect();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].as_ref().unwrap(), &sample());
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number_and_reading_goes_on() {
        let mut out = Vec::new();
        write_record(&mut out, &sample()).unwrap();
        out.extend_from_slice(b"{not json\n\n");
        let mut other = sample();
        other.format = "cpmctl.message/2".into();
        write_record(&mut out, &other).unwrap();
        write_record(&mut out, &sample()).unwrap();
        let got: Vec<_> = Reader::new(&out[..]).collect();
        assert_eq!(got.len(), 4);
        assert!(got[0].is_ok());
        assert_eq!(got[1].as_ref().unwrap_err().line(), 2);
        assert_eq!(got[2].as_ref().unwrap_err().line(), 4);
        assert!(got[3].is_ok());
    }

    #[test]
    fn an_oversized_line_is_refused_without_stopping_the_reader() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.push(b'\n');
        write_record(&mut input, &sample()).unwrap();
        let got: Vec<_> = Reader::new(io::BufReader::with_capacity(4096, &input[..])).collect();
        assert_eq!(got.len(), 2);
        assert!(got[0].as_ref().unwrap_err().to_string().contains("longer than"));
        assert!(got[1].is_ok());
    }

    #[test]
    fn part_files_never_leave_their_export() {
        let base = Path::new("/exp/conv");
        assert_eq!(resolve_part_file(base, "attachments/a.png"), Some(base.join("attachments/a.png")));
        for bad in ["", "../x", "a/../../x", "/etc/passwd", "a\\..\\b", ".", "a\0b"] {
            assert_eq!(resolve_part_file(base, bad), None, "{bad:?}");
        }
    }
}
