//! Inputs → prepared objects: recognising formats by content, walking directories, reading each
//! format in bounded memory, mapping each record to an object, and turning what cannot be read
//! or mapped into a rejection (with its raw bytes, to be fixed and imported again).
//!
//! Runs on a plain thread (the readers are blocking `Read`s) and hands items to the engine
//! through a bounded channel, so a multi-gigabyte backup never sits in memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::sync::mpsc::Sender;

use crate::formats::jsonl;
use crate::formats::smsbr::{self, Record, SmsbrReader};
use crate::message::compose::creatable;
use crate::nms::NewObject;
use crate::wire::multipart::Part;

use super::placement::Placement;
use super::records::{mms_object, sms_object};

/// Largest single mail or part file accepted; bigger ones are rejected without being read whole.
pub const MAX_MAIL_BYTES: u64 = 64 << 20;
/// Deepest directory level walked below an input directory.
const MAX_DEPTH: usize = 32;
/// Most files one run walks (a hostile tree cannot make the walk endless).
const MAX_FILES: usize = 10_000_000;
/// How much of a file is looked at to recognise its format.
const SNIFF: usize = 8 * 1024;

/// The input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Recognised by content, per file.
    Auto,
    /// SMS Backup & Restore XML.
    Smsbr,
    Mbox,
    /// One RFC 5322 message per file.
    Eml,
    Maildir,
    /// cpmctl's `messages.jsonl`.
    Jsonl,
}

impl Format {
    /// The file extension of its rejects file.
    pub fn reject_ext(self) -> &'static str {
        match self {
            Format::Smsbr => "xml",
            Format::Jsonl => "jsonl",
            _ => "mbox",
        }
    }
}

/// A record ready to be created.
pub struct Prepared {
    pub source: String,
    pub position: String,
    /// The ledger's key: the content key for imported records, the file for `put`.
    pub key: String,
    /// What store objects are compared by ([`super::key::content_key`] of the object; for `put`
    /// with the part sizes, [`super::key::sized_key`]).
    pub match_key: String,
    /// Whether the store is searched for it before it is sent.
    pub check_store: bool,
    pub object: NewObject,
    pub bytes: u64,
}

/// A record that could not be read or mapped.
pub struct Rejected {
    pub source: String,
    pub position: String,
    pub reason: String,
    /// The rejects file it goes to (its format).
    pub format: Format,
    /// The record as it was in the input (may be empty when nothing usable is left).
    pub raw: Vec<u8>,
}

pub enum Item {
    Record(Box<Prepared>),
    Reject(Rejected),
    /// The inputs announce this many records.
    Hint(u64),
    Note(String),
}

/// Where the reader thread sends items; `false` from `send` means the engine stopped.
struct Out {
    tx: Sender<Item>,
    place: Placement,
}

impl Out {
    fn send(&self, item: Item) -> bool {
        self.tx.blocking_send(item).is_ok()
    }

    fn record(&self, source: &str, position: String, mut object: NewObject) -> bool {
        self.place.apply(&mut object.object);
        let key = super::key::content_key(&object.object);
        let bytes = object.parts.iter().map(|p| p.body.len() as u64).sum();
        let match_key = key.clone();
        self.send(Item::Record(Box::new(Prepared {
            source: source.to_string(),
            position,
            key,
            match_key,
            check_store: true,
            object,
            bytes,
        })))
    }

    fn reject(&self, source: &str, position: String, reason: String, format: Format, raw: Vec<u8>) -> bool {
        self.send(Item::Reject(Rejected { source: source.to_string(), position, reason, format, raw }))
    }
}

/// Starts reading `inputs` on a thread; items arrive on the channel until it closes.
pub fn spawn(inputs: Vec<PathBuf>, format: Format, place: Placement, tx: Sender<Item>) -> io::Result<()> {
    std::thread::Builder::new().name("import-reader".into()).spawn(move || {
        let out = Out { tx, place };
        for input in inputs {
            if !read_input(&out, &input, format) {
                return;
            }
        }
    })?;
    Ok(())
}

/// One command-line input. False when the engine stopped listening.
fn read_input(out: &Out, input: &Path, format: Format) -> bool {
    if input.as_os_str() == "-" {
        let mut r = BufReader::with_capacity(64 << 10, io::stdin().lock());
        let fmt = match format {
            Format::Auto => match r.fill_buf() {
                Ok(head) => sniff(head, None),
                Err(e) => return out.send(Item::Note(format!("stdin: {e}"))),
            },
            f => Some(f),
        };
        return match fmt {
            Some(f) => read_stream(out, "-", f, r, None),
            None => {
                out.reject("-", "stdin".into(), "the input's format was not recognised".into(), Format::Eml, vec![])
            }
        };
    }
    let meta = match std::fs::metadata(input) {
        Ok(m) => m,
        Err(e) => return out.reject(&label(input), "file".into(), e.to_string(), Format::Eml, vec![]),
    };
    if meta.is_dir() {
        return read_dir(out, input, format);
    }
    read_file(out, input, format, true)
}

fn label(p: &Path) -> String {
    p.display().to_string()
}

/// One file: its format given or recognised. A file that is not recognised is rejected when
/// named on the command line (`named`) and skipped when found in a directory walk.
fn read_file(out: &Out, path: &Path, format: Format, named: bool) -> bool {
    let name = label(path);
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => return out.reject(&name, "file".into(), e.to_string(), Format::Eml, vec![]),
    };
    let mut r = BufReader::with_capacity(64 << 10, file);
    let fmt = match format {
        Format::Auto | Format::Maildir => match r.fill_buf() {
            Ok(head) => sniff(head, Some(path)),
            Err(e) => return out.reject(&name, "file".into(), e.to_string(), Format::Eml, vec![]),
        },
        f => Some(f),
    };
    match fmt {
        Some(Format::Maildir) => read_mail_file(out, path, maildir_letters(path)),
        Some(f) => read_stream(out, &name, f, r, path.parent()),
        None if named => {
            out.reject(&name, "file".into(), "the file's format was not recognised".into(), Format::Eml, vec![])
        }
        None => true,
    }
}

/// Recognises a format from the start of a file (and its name, for `.eml`/`.jsonl`).
pub fn sniff(head: &[u8], path: Option<&Path>) -> Option<Format> {
    let head = &head[..head.len().min(SNIFF)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let ext = path.and_then(|p| p.extension()).map(|e| e.to_string_lossy().to_ascii_lowercase());
    if (t.starts_with("<?xml") || t.starts_with("<smses") || t.starts_with("<!--")) && t.contains("<smses") {
        return Some(Format::Smsbr);
    }
    if t.starts_with('{') || ext.as_deref() == Some("jsonl") {
        return Some(Format::Jsonl);
    }
    if head.starts_with(b"From ") {
        return Some(Format::Mbox);
    }
    if ext.as_deref() == Some("eml") || looks_like_headers(t) {
        return Some(Format::Eml);
    }
    None
}

/// Whether text starts with RFC 5322 header fields (`Name: value` lines, one of them a mail header).
fn looks_like_headers(t: &str) -> bool {
    let mut fields = 0;
    let mut mailish = false;
    for line in t.lines().take(20) {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else { return false };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        fields += 1;
        mailish |= ["from", "to", "subject", "date", "message-id", "received", "mime-version", "x-nms-version"]
            .contains(&name.to_ascii_lowercase().as_str());
    }
    fields >= 2 && mailish
}

/// A directory: a whole export (every `messages.jsonl`), Maildir folders (`cur/`, `new/`, nested
/// too), or any other tree whose files are recognised one by one. Walked iteratively, symlinks
/// not followed, bounded in depth and count.
fn read_dir(out: &Out, root: &Path, format: Format) -> bool {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut maildirs: Vec<PathBuf> = Vec::new();
    let mut stack: Vec<(PathBuf, usize)> = vec![(root.to_path_buf(), 0)];
    let mut skipped_deep = false;
    while let Some((dir, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                if !out.send(Item::Note(format!("{}: {e}", dir.display()))) {
                    return false;
                }
                continue;
            }
        };
        let mut subdirs = Vec::new();
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_dir() {
                subdirs.push(path);
            } else if ft.is_file() && files.len() < MAX_FILES {
                files.push(path);
            }
        }
        let is_maildir = subdirs.iter().any(|d| d.file_name().is_some_and(|n| n == "cur"))
            && subdirs.iter().any(|d| d.file_name().is_some_and(|n| n == "new"));
        if is_maildir {
            maildirs.push(dir.clone());
        }
        for d in subdirs {
            let name = d.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if is_maildir && (name == "cur" || name == "new" || name == "tmp") {
                continue;
            }
            if name == ".cpmctl" {
                continue;
            }
            if depth + 1 > MAX_DEPTH {
                skipped_deep = true;
                continue;
            }
            stack.push((d, depth + 1));
        }
    }
    if skipped_deep
        && !out.send(Item::Note(format!("{}: folders deeper than {MAX_DEPTH} levels skipped", root.display())))
    {
        return false;
    }
    let exports: Vec<&PathBuf> =
        files.iter().filter(|f| f.file_name().is_some_and(|n| n == "messages.jsonl")).collect();
    if matches!(format, Format::Auto | Format::Jsonl) && !exports.is_empty() {
        let mut exports: Vec<PathBuf> = exports.into_iter().cloned().collect();
        exports.sort();
        return exports.iter().all(|f| read_file(out, f, Format::Jsonl, true));
    }
    if matches!(format, Format::Auto | Format::Maildir) && !maildirs.is_empty() {
        maildirs.sort();
        for m in maildirs {
            for sub in ["cur", "new"] {
                let mut names: Vec<PathBuf> = match std::fs::read_dir(m.join(sub)) {
                    Ok(e) => {
                        e.flatten().filter(|e| e.file_type().is_ok_and(|t| t.is_file())).map(|e| e.path()).collect()
                    }
                    Err(_) => continue,
                };
                names.sort();
                for f in names {
                    if !read_mail_file(out, &f, maildir_letters(&f)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
    files.sort();
    files.iter().all(|f| read_file(out, f, format, false))
}

/// The Maildir info letters of a file name (`…:2,FS`).
fn maildir_letters(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    name.rsplit_once(":2,").map(|(_, l)| l.to_string())
}

/// One mail in a file of its own (EML, Maildir).
fn read_mail_file(out: &Out, path: &Path, letters: Option<String>) -> bool {
    let name = label(path);
    let bytes = match read_bounded(path, MAX_MAIL_BYTES) {
        Ok(b) => b,
        Err(e) => return out.reject(&name, "file".into(), e, Format::Eml, vec![]),
    };
    match super::mail::to_object(&bytes, letters.as_deref(), &out.place.own) {
        Ok(o) => out.record(&name, "file".into(), o),
        Err(e) => out.reject(&name, "file".into(), e, Format::Eml, bytes),
    }
}

/// A whole file, refusing one over `max` bytes without reading it.
fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    let f = File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    f.take(max + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!("larger than the {max} bytes accepted"));
    }
    Ok(bytes)
}

/// A stream holding many records (SMS Backup & Restore, mbox, JSONL) or one mail (EML).
fn read_stream<R: BufRead>(out: &Out, name: &str, format: Format, r: R, base: Option<&Path>) -> bool {
    match format {
        Format::Smsbr => read_smsbr(out, name, r),
        Format::Mbox => read_mbox(out, name, r),
        Format::Jsonl => read_jsonl(out, name, r, base.unwrap_or(Path::new("."))),
        Format::Eml | Format::Maildir | Format::Auto => {
            let mut bytes = Vec::new();
            if let Err(e) = r.take(MAX_MAIL_BYTES + 1).read_to_end(&mut bytes) {
                return out.reject(name, "file".into(), e.to_string(), Format::Eml, vec![]);
            }
            if bytes.len() as u64 > MAX_MAIL_BYTES {
                bytes.truncate(64 << 10);
                return out.reject(
                    name,
                    "file".into(),
                    format!("larger than the {MAX_MAIL_BYTES} bytes accepted"),
                    Format::Eml,
                    vec![],
                );
            }
            match super::mail::to_object(&bytes, None, &out.place.own) {
                Ok(o) => out.record(name, "file".into(), o),
                Err(e) => out.reject(name, "file".into(), e, Format::Eml, bytes),
            }
        }
    }
}

/// One SMS Backup & Restore record → the object to create.
fn map_record(record: &Record, own: &str) -> Result<NewObject, String> {
    match record {
        Record::Sms(sms) => sms_object(sms, own),
        Record::Mms(mms) => mms_object(mms, own),
    }
}

/// A record written back as XML (for the rejects file), without the document around it.
fn record_xml(record: &Record) -> Vec<u8> {
    let mut buf = Vec::new();
    let written = smsbr::SmsbrWriter::new(&mut buf, &smsbr::Header::default()).and_then(|mut w| {
        w.write(record)?;
        w.finish().map(|_| ())
    });
    if written.is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&buf);
    let start = text.find("\n  <").map_or(0, |i| i + 1);
    let end = text.rfind("</smses>").unwrap_or(text.len());
    text.get(start..end).unwrap_or("").as_bytes().to_vec()
}

fn read_smsbr<R: BufRead>(out: &Out, name: &str, r: R) -> bool {
    let mut reader = SmsbrReader::new(r);
    let mut n = 0u64;
    let mut hinted = false;
    while let Some(item) = reader.next() {
        if !hinted && let Some(count) = reader.header().and_then(|h| h.count) {
            hinted = true;
            if !out.send(Item::Hint(count)) {
                return false;
            }
        }
        n += 1;
        let ok = match item {
            Ok(record) => {
                let position = format!("record {n} (byte {})", reader.position());
                match map_record(&record, &out.place.own) {
                    Ok(o) => out.record(name, position, o),
                    Err(e) => out.reject(name, position, e, Format::Smsbr, record_xml(&record)),
                }
            }
            Err(rej) => {
                let mut raw = rej.raw;
                if rej.raw_truncated {
                    // Only the start survives: not re-importable, but findable.
                    raw = Vec::new();
                }
                out.reject(name, format!("line {} (byte {})", rej.line, rej.offset), rej.reason, Format::Smsbr, raw)
            }
        };
        if !ok {
            return false;
        }
    }
    true
}

/// Reads one line of at most `max` bytes into `buf` (newline included); the rest of a longer
/// line is consumed and dropped. `Ok(None)` at the end of input, `Ok(Some(true))` when cut.
fn bounded_line<R: BufRead>(r: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<Option<bool>> {
    buf.clear();
    let mut cut = false;
    loop {
        let available = r.fill_buf()?;
        if available.is_empty() {
            return Ok(if buf.is_empty() && !cut { None } else { Some(cut) });
        }
        let (chunk, used, found) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..=i], i + 1, true),
            None => (available, available.len(), false),
        };
        if buf.len() + chunk.len() <= max {
            buf.extend_from_slice(chunk);
        } else {
            cut = true;
        }
        r.consume(used);
        if found {
            return Ok(Some(cut));
        }
    }
}

/// An mbox (mboxrd or mboxo, as Python's `mailbox` and most tools write), split on `From `
/// lines with every line and message bounded (mail-parser's own iterator holds any line whole).
fn read_mbox<R: BufRead>(out: &Out, name: &str, mut r: R) -> bool {
    let mut line = Vec::new();
    let mut msg: Vec<u8> = Vec::new();
    let mut start_line = 0u64;
    let mut line_no = 0u64;
    let mut too_big = false;
    let mut in_message = false;
    let flush = |msg: &mut Vec<u8>, start: u64, too_big: bool| -> bool {
        let position = format!("line {start}");
        // The empty line before the next `From ` separates messages; it is not part of this one.
        if msg.ends_with(b"\r\n\r\n") {
            msg.truncate(msg.len() - 2);
        } else if msg.ends_with(b"\n\n") {
            msg.pop();
        }
        let ok = if too_big {
            out.reject(
                name,
                position,
                format!("a message larger than the {MAX_MAIL_BYTES} bytes accepted"),
                Format::Mbox,
                vec![],
            )
        } else {
            match super::mail::to_object(msg, None, &out.place.own) {
                Ok(o) => out.record(name, position, o),
                Err(e) => out.reject(name, position, e, Format::Mbox, std::mem::take(msg)),
            }
        };
        msg.clear();
        ok
    };
    loop {
        let cut = match bounded_line(&mut r, &mut line, 1 << 20) {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return out.reject(name, format!("line {}", line_no + 1), e.to_string(), Format::Mbox, vec![]),
        };
        line_no += 1;
        if line.starts_with(b"From ") {
            if in_message && !flush(&mut msg, start_line, too_big) {
                return false;
            }
            in_message = true;
            too_big = false;
            start_line = line_no;
            continue;
        }
        if !in_message {
            continue;
        }
        too_big |= cut;
        // mboxrd: one `>` is dropped from `>From `, `>>From `, … lines.
        let body: &[u8] = match line.iter().position(|&b| b != b'>') {
            Some(i) if i > 0 && line[i..].starts_with(b"From ") => &line[1..],
            _ => &line,
        };
        if too_big || msg.len() as u64 + body.len() as u64 > MAX_MAIL_BYTES {
            too_big = true;
            msg.clear();
        } else {
            msg.extend_from_slice(body);
        }
    }
    if in_message {
        return flush(&mut msg, start_line, too_big);
    }
    true
}

fn read_jsonl<R: BufRead>(out: &Out, name: &str, r: R, base: &Path) -> bool {
    for item in jsonl::Reader::new(r) {
        let ok = match item {
            Ok(record) => {
                let position = format!("record {}", record.id);
                match jsonl_object(&record, base) {
                    Ok(o) => out.record(name, position, o),
                    Err(e) => {
                        let mut raw = Vec::new();
                        let _ = jsonl::write_record(&mut raw, &record);
                        out.reject(name, position, e, Format::Jsonl, raw)
                    }
                }
            }
            Err(e) => out.reject(name, format!("line {}", e.line()), e.to_string(), Format::Jsonl, vec![]),
        };
        if !ok {
            return false;
        }
    }
    true
}

/// A JSONL record → the object it was exported from, its parts read from the files beside the
/// JSONL file (names that would leave that directory refused, sizes and SHA-256 checked).
fn jsonl_object(record: &jsonl::Record, base: &Path) -> Result<NewObject, String> {
    if record.deleted {
        return Err("the record is marked deleted (gone from the store it was exported from)".into());
    }
    let mut parts = Vec::with_capacity(record.parts.len());
    for pf in &record.parts {
        let file = pf.file.as_deref().ok_or_else(|| format!("part {} names no file", pf.index))?;
        let path = jsonl::resolve_part_file(base, file)
            .ok_or_else(|| format!("part {}: the file name {file:?} leaves the export", pf.index))?;
        // A symlink (of the file or a folder on the way) must not lead outside the export either.
        let inside = match (std::fs::canonicalize(&path), std::fs::canonicalize(base)) {
            (Ok(real), Ok(root)) => real.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err(format!("part {}: the file {file:?} is missing or leads outside the export", pf.index));
        }
        let bytes = read_bounded(&path, MAX_MAIL_BYTES).map_err(|e| format!("part {} ({file}): {e}", pf.index))?;
        if bytes.len() as u64 != pf.size || hex::encode(Sha256::digest(&bytes)) != pf.sha256.to_ascii_lowercase() {
            return Err(format!("part {} ({file}): size or SHA-256 differs from the record", pf.index));
        }
        let info = record.object.payload_part.get(pf.index - 1);
        let mut part = Part::new(&pf.content_type, bytes);
        if let Some(id) = pf.content_id.as_ref().or(info.and_then(|i| i.content_id.as_ref())) {
            part = part.with_header("content-id", &format!("<{id}>"));
        }
        if let Some(loc) = info.and_then(|i| i.content_location.as_ref()) {
            part = part.with_header("content-location", loc);
        }
        if let Some(d) = info.and_then(|i| i.content_disposition.as_ref()) {
            part = part.with_header("content-disposition", d);
        } else if let Some(f) = &pf.filename {
            part = part.with_header("content-disposition", &crate::wire::multipart::disposition("attachment", f));
        }
        parts.push(part);
    }
    let mut object = creatable(record.object.clone());
    object.parent_folder = None;
    if object.parent_folder_path.is_none() {
        // The exported object's own path (`/folder/…/id`) names its folder.
        object.parent_folder_path = record
            .object
            .path
            .as_deref()
            .and_then(|p| p.rsplit_once('/'))
            .map(|(folder, _)| folder.to_string())
            .filter(|f| !f.is_empty());
    }
    Ok(NewObject { object, parts })
}
