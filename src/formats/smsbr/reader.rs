//! The streaming reader: one record at a time in bounded memory, a bad record becomes a
//! [`Reject`] (reason, position, its raw XML) and reading goes on with the next one.
//!
//! Memory is bounded by [`Limits`], not by the file: one token (tag, text, comment,
//! DOCTYPE) reads at most its budget, a record's raw copy at most `max_record_bytes`,
//! nesting deeper than `max_depth` is only counted. After a token that cannot be parsed
//! the reader skips to the next `<` and resynchronises on the next `<sms`/`<mms` or the
//! end of the current record, which never nest inside a record.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead};

use base64::Engine;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::source::{OverBudget, Source};
use super::unescape::unescape;
use super::{Header, MmsAddr, MmsPart, MmsRecord, NULL, Record, SmsRecord};

/// How much of a rejected record's raw text is kept when it is incomplete anyway
/// (cut by a size limit): enough to find it in the file, not the whole monster.
const TRUNCATED_RAW_KEEP: usize = 64 * 1024;

/// Bounds on what one backup may make the reader hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The base64 text of one part's `data`.
    pub max_data_bytes: usize,
    /// Any other attribute value (bodies, part text, SMIL, …).
    pub max_attr_bytes: usize,
    /// One record's XML text; also its raw copy kept for a reject.
    pub max_record_bytes: usize,
    /// Element nesting (a real backup needs 4: smses, mms, parts, part).
    pub max_depth: usize,
    /// Attributes on one element.
    pub max_attributes: usize,
    /// Parts or addrs of one MMS.
    pub max_children: usize,
    /// Problems outside records before the reader gives up on the file.
    pub max_document_errors: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_data_bytes: 64 << 20,
            max_attr_bytes: 1 << 20,
            max_record_bytes: 128 << 20,
            max_depth: 16,
            max_attributes: 256,
            max_children: 1024,
            max_document_errors: 1000,
        }
    }
}

impl Limits {
    /// The most one token may read: a `<part>` carries `data` plus small attributes.
    fn part_budget(&self) -> u64 {
        (self.max_data_bytes as u64).saturating_add(4 * self.max_attr_bytes as u64).saturating_add(64 << 10)
    }

    /// Any other token: an `<sms>` carries a body, a subject and small attributes.
    fn small_budget(&self) -> u64 {
        (4 * self.max_attr_bytes as u64).saturating_add(64 << 10)
    }
}

/// A record (or a stretch of the file) that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub reason: String,
    /// Byte offset of the record's `<` (or of the bad token) from the start of the input.
    pub offset: u64,
    /// 1-based line of that byte.
    pub line: u64,
    /// The record's XML text as it was in the file, to be fixed and re-imported; empty for
    /// problems outside records.
    pub raw: Vec<u8>,
    /// `raw` is only the start of the record (it was cut by a size limit or the file ended).
    pub raw_truncated: bool,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} (byte {}): {}", self.line, self.offset, self.reason)
    }
}

impl std::error::Error for Reject {}

/// What an open element is, as far as the reader cares.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Elem {
    Root,
    Record,
    Parts,
    Addrs,
    Part,
    Addr,
    Other(Box<[u8]>),
}

impl Elem {
    fn matches(&self, name: &[u8]) -> bool {
        match self {
            Elem::Root => true,
            Elem::Record => name == b"sms" || name == b"mms",
            Elem::Parts => name == b"parts",
            Elem::Addrs => name == b"addrs",
            Elem::Part => name == b"part",
            Elem::Addr => name == b"addr",
            // Names longer than NAME_KEEP were cut when stored: compare what was kept.
            Elem::Other(n) if n.len() < NAME_KEEP => name == &n[..],
            Elem::Other(n) => name.starts_with(n),
        }
    }
}

/// Longest element name remembered for end-tag checks.
const NAME_KEEP: usize = 64;

/// The record being read.
struct Pending {
    offset: u64,
    line: u64,
    record: Option<Record>,
    failure: Option<String>,
}

impl Pending {
    fn fail(&mut self, reason: impl Into<String>) {
        if self.failure.is_none() {
            self.failure = Some(reason.into());
        }
        // Free decoded parts now: the record will not be used.
        self.record = None;
    }
}

type Item = Result<Record, Reject>;

/// Streaming SMS Backup & Restore reader: an iterator of records and rejects.
pub struct SmsbrReader<R: BufRead> {
    xml: Option<Reader<Source<R>>>,
    buf: Vec<u8>,
    limits: Limits,
    stack: Vec<Elem>,
    /// Open elements beyond `max_depth`, counted, not kept.
    overflow: u64,
    /// Open elements in quick-xml's own name stack since it was (re)built.
    xml_depth: usize,
    header: Option<Header>,
    pending: Option<Pending>,
    /// After a token that could not be parsed inside a record: ignore everything up to
    /// that record's end or the next record.
    resync: bool,
    queue: VecDeque<Item>,
    document_errors: usize,
    seen_root: bool,
    /// The root's name (cut to NAME_KEEP), to recognise its end during a resync.
    root_name: Vec<u8>,
    finished: bool,
}

impl<R: BufRead> SmsbrReader<R> {
    pub fn new(input: R) -> Self {
        Self::with_limits(input, Limits::default())
    }

    pub fn with_limits(input: R, limits: Limits) -> Self {
        let source = Source::new(input, limits.max_record_bytes);
        SmsbrReader {
            xml: Some(parser(source)),
            buf: Vec::new(),
            limits,
            stack: Vec::new(),
            overflow: 0,
            xml_depth: 0,
            header: None,
            pending: None,
            resync: false,
            queue: VecDeque::new(),
            document_errors: 0,
            seen_root: false,
            root_name: Vec::new(),
            finished: false,
        }
    }

    /// The root element's attributes, once the reader has passed it (after the first
    /// `next`). `count` is a hint for a progress bar, nothing more.
    pub fn header(&self) -> Option<&Header> {
        self.header.as_ref()
    }

    /// Bytes consumed so far (for progress against the file size).
    pub fn position(&self) -> u64 {
        self.xml.as_ref().map_or(0, |x| x.get_ref().offset)
    }

    fn source(&mut self) -> Option<&mut Source<R>> {
        self.xml.as_mut().map(Reader::get_mut)
    }

    /// Reads one token and handles it.
    fn step(&mut self) {
        let budget = if matches!(self.stack.last(), Some(Elem::Parts)) && !self.resync {
            self.limits.part_budget()
        } else {
            self.limits.small_budget()
        };
        let in_record = self.pending.is_some();
        let Some(xml) = self.xml.as_mut() else {
            self.finished = true;
            return;
        };
        let source = xml.get_mut();
        source.begin_token(budget);
        if !in_record {
            source.reset_capture();
        }
        let at = (source.offset, source.lines + 1);
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(event) => self.handle(event, at),
            Err(error) => self.recover(&error, at),
        }
        // A huge token leaves a huge buffer behind; give it back.
        if buf.capacity() > (1 << 20) {
            buf = Vec::new();
        }
        self.buf = buf;
        if let Some(p) = self.pending.as_mut()
            && p.failure.is_none()
            && self.xml.as_ref().is_some_and(|x| x.get_ref().capture_full())
        {
            p.fail(format!("record larger than {} bytes", self.limits.max_record_bytes));
        }
    }

    fn handle(&mut self, event: Event<'_>, at: (u64, u64)) {
        match event {
            Event::Start(e) => self.open(&e, at, false),
            Event::Empty(e) => self.open(&e, at, true),
            Event::End(e) => self.close(e.name().as_ref().as_bytes(), at),
            Event::Text(t) => {
                if self.pending.is_none() && !self.stack.is_empty() && !t.trim().is_empty() {
                    self.document_error("text outside any record", at);
                }
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                let harmless = name.starts_with('#') || matches!(name, "lt" | "gt" | "amp" | "apos" | "quot");
                if !harmless {
                    let reason = format!("unknown entity &{name}; (entities declared in a DTD are never expanded)");
                    match self.pending.as_mut() {
                        Some(p) => p.fail(reason),
                        None => self.document_error(&reason, at),
                    }
                }
            }
            Event::DocType(_) => {
                self.document_error("a DOCTYPE is not allowed here; its entity declarations are ignored", at)
            }
            Event::Decl(d) => {
                if let Some(Ok(encoding)) = d.encoding() {
                    let encoding: &str = &encoding;
                    if !encoding.eq_ignore_ascii_case("utf-8") && !encoding.eq_ignore_ascii_case("utf8") {
                        self.document_error(&format!("encoding {encoding} is not supported (only UTF-8)"), at);
                    }
                }
            }
            Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => self.eof(at),
        }
    }

    fn depth(&self) -> u64 {
        self.stack.len() as u64 + self.overflow
    }

    fn open(&mut self, e: &BytesStart<'_>, at: (u64, u64), empty: bool) {
        if !empty {
            self.xml_depth += 1;
        }
        let name = e.name().as_ref().as_bytes().to_vec();
        if self.resync {
            if self.stack.len() == 1 && (name == b"sms" || name == b"mms") {
                // The broken record ended without its end tag in sight; this tag starts the
                // next one, so its bytes belong to the next record's raw copy, not this one's.
                let tag_len = e.len() as u64 + if empty { 3 } else { 2 };
                if let Some(s) = self.source() {
                    s.drop_capture_tail(tag_len);
                }
                self.overflow = 0;
                self.finish_record();
                if let Some(s) = self.source() {
                    s.reset_capture();
                    s.seed_capture(&[b"<", e.as_bytes(), if empty { b"/>" } else { b">" }]);
                }
            } else {
                if !empty {
                    self.overflow += 1;
                }
                self.rebuild_if_deep();
                return;
            }
        }
        if self.depth() >= self.limits.max_depth as u64 {
            let reason = format!("elements nested deeper than {}", self.limits.max_depth);
            match self.pending.as_mut() {
                Some(p) => p.fail(reason),
                None if self.overflow == 0 => self.document_error(&reason, at),
                None => {}
            }
            if !empty {
                self.overflow += 1;
            }
            self.rebuild_if_deep();
            return;
        }
        let elem = match (self.stack.last(), name.as_slice()) {
            (None, _) => {
                if self.seen_root {
                    self.document_error("a second root element", at);
                }
                self.seen_root = true;
                self.root_name = name[..name.len().min(NAME_KEEP)].to_vec();
                let mut header = Header::default();
                if let Err(reason) = self.attributes(e, |k, v| {
                    header.set(k, v.into_owned());
                    Ok(())
                }) {
                    self.document_error(&format!("root element: {reason}"), at);
                }
                self.header = Some(header);
                Elem::Root
            }
            (Some(Elem::Root), b"sms" | b"mms") => {
                self.start_record(e, at, name == b"sms");
                if empty {
                    self.finish_record();
                    return;
                }
                Elem::Record
            }
            (Some(Elem::Record), b"parts") if self.in_mms() => Elem::Parts,
            (Some(Elem::Record), b"addrs") if self.in_mms() => Elem::Addrs,
            (Some(Elem::Parts), b"part") => {
                self.child(e, true);
                Elem::Part
            }
            (Some(Elem::Addrs), b"addr") => {
                self.child(e, false);
                Elem::Addr
            }
            (Some(Elem::Root), _) => {
                let shown = String::from_utf8_lossy(&name[..name.len().min(NAME_KEEP)]).into_owned();
                self.document_error(&format!("unexpected element <{shown}> (not sms or mms)"), at);
                Elem::Other(name[..name.len().min(NAME_KEEP)].into())
            }
            // Unknown children of a record, or of an unknown element: carried, not read.
            _ => Elem::Other(name[..name.len().min(NAME_KEEP)].into()),
        };
        if !empty {
            self.stack.push(elem);
        }
        self.rebuild_if_deep();
    }

    fn in_mms(&self) -> bool {
        matches!(self.pending.as_ref().and_then(|p| p.record.as_ref()), Some(Record::Mms(_)))
            || self.pending.as_ref().is_some_and(|p| p.record.is_none())
    }

    fn close(&mut self, name: &[u8], at: (u64, u64)) {
        self.xml_depth = self.xml_depth.saturating_sub(1);
        if self.resync {
            // Records never nest, so their end tag ends the broken one whatever was left
            // open inside it.
            if name == b"sms" || name == b"mms" {
                self.overflow = 0;
                self.finish_record();
                return;
            }
            if self.overflow > 0 {
                self.overflow -= 1;
                return;
            }
            if !self.root_name.as_slice().eq(&name[..name.len().min(NAME_KEEP)]) {
                return;
            }
            // The root closes: the broken record ends here too.
            self.finish_record();
        }
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        let Some(top) = self.stack.pop() else {
            let shown = String::from_utf8_lossy(&name[..name.len().min(NAME_KEEP)]).into_owned();
            self.document_error(&format!("an end tag </{shown}> without its start"), at);
            return;
        };
        if !top.matches(name) {
            let shown = String::from_utf8_lossy(&name[..name.len().min(NAME_KEEP)]).into_owned();
            let reason = format!("mismatched end tag </{shown}>");
            match self.pending.as_mut() {
                Some(p) => {
                    // The record's structure is lost: find its end by name from here on.
                    p.fail(reason);
                    self.stack.truncate(1);
                    self.overflow = 0;
                    self.resync = true;
                    if name == b"sms" || name == b"mms" {
                        self.finish_record();
                    }
                    return;
                }
                None => self.document_error(&reason, at),
            }
        }
        if top == Elem::Record {
            self.finish_record();
        }
    }

    fn eof(&mut self, at: (u64, u64)) {
        if self.pending.is_some() {
            if let Some(p) = self.pending.as_mut() {
                p.fail("the file ends inside this record (truncated)");
            }
            self.finish_record();
            if let Some(Err(r)) = self.queue.back_mut() {
                r.raw_truncated = true;
            }
        }
        if !self.seen_root {
            self.document_error("no XML element at all: not an SMS Backup & Restore file", at);
        } else if !self.stack.is_empty() {
            self.document_error("the file ends before </smses> (truncated)", at);
        }
        self.finished = true;
    }

    fn start_record(&mut self, e: &BytesStart<'_>, at: (u64, u64), sms: bool) {
        let mut required = [false; 2];
        let (record, result) = if sms {
            let mut rec = SmsRecord::default();
            let result = self.attributes(e, |k, v| rec.set(k, v.into_owned(), &mut required));
            (Record::Sms(rec), result)
        } else {
            let mut rec = MmsRecord::default();
            let result = self.attributes(e, |k, v| rec.set(k, v.into_owned(), &mut required));
            (Record::Mms(rec), result)
        };
        let mut pending = Pending { offset: at.0, line: at.1, record: Some(record), failure: None };
        match result {
            Err(reason) => pending.fail(reason),
            Ok(()) if !required[0] => pending.fail("no date"),
            Ok(()) if !required[1] => pending.fail(if sms { "no type" } else { "no msg_box" }),
            Ok(()) => {}
        }
        self.pending = Some(pending);
    }

    /// A `<part>` or `<addr>` of the MMS being read.
    fn child(&mut self, e: &BytesStart<'_>, part: bool) {
        let limits = self.limits;
        let Some(Record::Mms(mms)) = self.pending.as_mut().and_then(|p| p.record.as_mut()) else { return };
        let count = if part { mms.parts.len() } else { mms.addrs.len() };
        if count >= limits.max_children {
            let what = if part { "parts" } else { "addrs" };
            if let Some(p) = self.pending.as_mut() {
                p.fail(format!("more than {} {what}", limits.max_children));
            }
            return;
        }
        let result = if part {
            let mut p = MmsPart::default();
            let mut data_error = None;
            let r = self.attributes(e, |k, v| {
                if k == "data" {
                    match decode_base64(&v) {
                        Ok(bytes) => p.data = Some(bytes),
                        Err(reason) => data_error = Some(reason),
                    }
                } else {
                    p.set(k, v.into_owned());
                }
                Ok(())
            });
            let r = r.and(data_error.map_or(Ok(()), Err));
            r.map(|()| Child::Part(Box::new(p)))
        } else {
            let mut a = MmsAddr::default();
            self.attributes(e, |k, v| a.set(k, v.into_owned())).map(|()| Child::Addr(a))
        };
        let Some(pending) = self.pending.as_mut() else { return };
        match (result, pending.record.as_mut()) {
            (Err(reason), _) => pending.fail(format!("{}: {reason}", if part { "part" } else { "addr" })),
            (Ok(Child::Part(p)), Some(Record::Mms(m))) => m.parts.push(*p),
            (Ok(Child::Addr(a)), Some(Record::Mms(m))) => m.addrs.push(a),
            _ => {}
        }
    }

    /// Decodes every attribute of `e` (bounded count and sizes; `null` skipped) into `set`.
    fn attributes(
        &self,
        e: &BytesStart<'_>,
        mut set: impl FnMut(&str, Cow<'_, str>) -> Result<(), String>,
    ) -> Result<(), String> {
        for (n, attr) in e.attributes().enumerate() {
            if n >= self.limits.max_attributes {
                return Err(format!("more than {} attributes", self.limits.max_attributes));
            }
            let attr = attr.map_err(|err| format!("malformed attribute: {err}"))?;
            let key: &str = attr.key.as_ref();
            let limit = if key == "data" { self.limits.max_data_bytes } else { self.limits.max_attr_bytes };
            if attr.value.len() > limit {
                return Err(format!("attribute {key} is longer than {limit} bytes"));
            }
            let value = unescape(&attr.value).map_err(|reason| format!("attribute {key}: {reason}"))?;
            // Passed on borrowed: a large `data` is decoded straight from the parser's buffer.
            if value != NULL {
                set(key, value)?;
            }
        }
        Ok(())
    }

    /// Hands the finished record (or its reject) to the queue.
    fn finish_record(&mut self) {
        self.resync = false;
        let Some(pending) = self.pending.take() else { return };
        let (mut raw, full) = self.source().map(Source::take_capture).unwrap_or_default();
        let item = match (pending.failure, pending.record) {
            (None, Some(record)) if !full => Ok(record),
            (failure, _) => {
                let reason =
                    failure.unwrap_or_else(|| format!("record larger than {} bytes", self.limits.max_record_bytes));
                if full {
                    raw.truncate(TRUNCATED_RAW_KEEP);
                    raw.shrink_to_fit();
                }
                Err(Reject { reason, offset: pending.offset, line: pending.line, raw, raw_truncated: full })
            }
        };
        self.queue.push_back(item);
    }

    fn document_error(&mut self, reason: &str, at: (u64, u64)) {
        self.document_errors += 1;
        let reason = if self.document_errors > self.limits.max_document_errors {
            self.finished = true;
            format!("more than {} problems outside records; giving up on this file", self.limits.max_document_errors)
        } else {
            reason.to_string()
        };
        self.queue.push_back(Err(Reject { reason, offset: at.0, line: at.1, raw: Vec::new(), raw_truncated: false }));
    }

    /// A token the parser refused: reject what it belonged to, skip to the next `<`, and
    /// carry on with a fresh parser (quick-xml's state after an error is not to be trusted).
    fn recover(&mut self, error: &quick_xml::Error, at: (u64, u64)) {
        let over_budget =
            matches!(error, quick_xml::Error::Io(e) if e.get_ref().is_some_and(|inner| inner.is::<OverBudget>()));
        let io_failure = matches!(error, quick_xml::Error::Io(_)) && !over_budget;
        let reason = if over_budget {
            let budget = if matches!(self.stack.last(), Some(Elem::Parts)) && !self.resync {
                self.limits.part_budget()
            } else {
                self.limits.small_budget()
            };
            format!("an XML token longer than {budget} bytes (a value over its size limit)")
        } else if io_failure {
            format!("cannot read the input: {error}")
        } else if matches!(error, quick_xml::Error::Syntax(_))
            && self.source().is_some_and(|s| s.at_end().unwrap_or(false))
        {
            format!("the file ends inside this record (truncated: {error})")
        } else {
            format!("malformed XML: {error}")
        };
        if io_failure {
            // The input itself failed: nothing more can be read.
            if let Some(p) = self.pending.as_mut() {
                p.fail(reason.clone());
            }
            self.finish_record();
            self.document_error(&reason, at);
            self.finished = true;
            return;
        }
        // The element the broken token starts, if it is a start tag (from its raw bytes).
        let started: Option<Vec<u8>> = {
            let capture = self.xml.as_ref().map(|x| x.get_ref().capture()).unwrap_or_default();
            let token_len = self.xml.as_ref().map_or(0, |x| x.get_ref().offset.saturating_sub(at.0));
            let from = capture.len().saturating_sub(usize::try_from(token_len).unwrap_or(usize::MAX));
            let token = &capture[from..];
            match token.strip_prefix(b"<") {
                Some(rest) if rest.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') => {
                    let end = rest.iter().position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>');
                    let name = &rest[..end.unwrap_or(rest.len())];
                    Some(name[..name.len().min(NAME_KEEP)].to_vec())
                }
                _ => None,
            }
        };
        let record_start = started.as_deref().is_some_and(|n| n == b"sms" || n == b"mms");
        if self.pending.is_none() && self.stack.len() == 1 && record_start {
            // The broken token is a record's own start tag: reject that record.
            self.pending = Some(Pending { offset: at.0, line: at.1, record: None, failure: None });
            self.stack.push(Elem::Record);
        } else if let (true, Some(name)) = (self.stack.is_empty(), started) {
            // The broken token is the root's start tag: the records inside still count.
            self.seen_root = true;
            self.root_name = name;
            self.stack.push(Elem::Root);
        }
        match self.pending.as_mut() {
            Some(p) => {
                p.fail(reason);
                if over_budget && let Some(s) = self.source() {
                    s.freeze_capture();
                }
                // Forget the record's inner structure: resync finds its end by name.
                self.stack.truncate(1);
                self.overflow = 0;
                self.resync = true;
            }
            None => self.document_error(&reason, at),
        }
        let Some(xml) = self.xml.take() else { return };
        let mut source = xml.into_inner();
        if source.offset == at.0 {
            // The parser did not move: step over the byte it choked on.
            if let Err(e) = source.skip_byte() {
                self.document_error(&format!("cannot read the input: {e}"), at);
                self.finished = true;
                return;
            }
        }
        match source.skip_to_markup() {
            Ok(_) => {
                self.xml_depth = 0;
                self.xml = Some(parser(source));
            }
            Err(e) => {
                self.document_error(&format!("cannot read the input: {e}"), at);
                self.finished = true;
            }
        }
    }

    /// quick-xml keeps every open element's name; past our own depth limit we count
    /// levels ourselves and give it a fresh, empty stack so deep nesting costs nothing.
    fn rebuild_if_deep(&mut self) {
        if self.xml_depth > self.limits.max_depth + 4
            && let Some(xml) = self.xml.take()
        {
            self.xml = Some(parser(xml.into_inner()));
            self.xml_depth = 0;
        }
    }
}

enum Child {
    Part(Box<MmsPart>),
    Addr(MmsAddr),
}

fn parser<R: BufRead>(source: R) -> Reader<R> {
    let mut reader = Reader::from_reader(source);
    let config = reader.config_mut();
    // We check end names against our own bounded stack (see `rebuild_if_deep`).
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    reader
}

/// Decodes a part's `data`: standard base64, padding optional, line breaks tolerated.
fn decode_base64(value: &str) -> Result<Vec<u8>, String> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let result = if value.bytes().any(|b| b.is_ascii_whitespace()) {
        let compact: Vec<u8> = value.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        LENIENT.decode(compact)
    } else {
        LENIENT.decode(value)
    };
    result.map_err(|e| format!("data is not base64: {e}"))
}

impl<R: BufRead> Iterator for SmsbrReader<R> {
    type Item = Result<Record, Reject>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Some(item);
            }
            if self.finished {
                return None;
            }
            self.step();
        }
    }
}

impl From<Reject> for io::Error {
    fn from(r: Reject) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, r)
    }
}

#[cfg(test)]
mod tests;
