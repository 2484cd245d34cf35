//! The writer: a header, then records one at a time, every value escaped.
//!
//! The root's `count` comes first in the file but is known only at the end of a stream.
//! Either pass it up front in [`Header::count`] (the writer then checks it at
//! [`SmsbrWriter::finish`]), or leave it `None`: the writer reserves a fixed-width
//! `count` and [`SmsbrWriter::finish_seekable`] fills in the real number on a seekable
//! output (a file). On a pipe with no count, `count="0"` stays, which the app only uses
//! for its progress bar.

use std::io::{self, Seek, SeekFrom, Write};

use base64::engine::general_purpose::STANDARD;

use super::{Header, MmsRecord, Record, SmsRecord};

/// Width reserved for a count patched in later (`u64::MAX` has 20 digits).
const COUNT_WIDTH: usize = 20;

/// Counts the bytes written so the count placeholder can be found again.
struct Counted<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Streaming SMS Backup & Restore writer.
pub struct SmsbrWriter<W: Write> {
    out: Counted<W>,
    promised: Option<u64>,
    records: u64,
    /// Byte offset of the reserved ` count="…"` when the count was not given.
    count_at: Option<u64>,
}

impl<W: Write> SmsbrWriter<W> {
    /// Writes the XML declaration and the root start tag.
    pub fn new(out: W, header: &Header) -> io::Result<Self> {
        let mut out = Counted { inner: out, written: 0 };
        out.write_all(b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")?;
        out.write_all(b"<!--File created by cpmctl-->\n<smses")?;
        let count_at = match header.count {
            Some(n) => {
                write!(out, " count=\"{n}\"")?;
                None
            }
            None => {
                let at = out.written;
                out.write_all(reserved_count(0).as_bytes())?;
                Some(at)
            }
        };
        let mut attrs: Vec<(&str, Option<String>)> = vec![
            ("backup_set", header.backup_set.clone()),
            ("backup_date", header.backup_date.map(|d| d.to_string())),
            ("type", header.kind.clone()),
        ];
        attrs.extend(header.extra.iter().map(|(k, v)| (k.as_str(), Some(v.clone()))));
        write_attributes(&mut out, &attrs)?;
        out.write_all(b">\n")?;
        Ok(SmsbrWriter { out, promised: header.count, records: 0, count_at })
    }

    /// Records written so far.
    pub fn records(&self) -> u64 {
        self.records
    }

    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        match record {
            Record::Sms(sms) => self.write_sms(sms),
            Record::Mms(mms) => self.write_mms(mms),
        }
    }

    pub fn write_sms(&mut self, sms: &SmsRecord) -> io::Result<()> {
        check_names(sms.extra.keys())?;
        self.out.write_all(b"  <sms")?;
        write_attributes(&mut self.out, &sms.attributes())?;
        self.out.write_all(b" />\n")?;
        self.records += 1;
        Ok(())
    }

    pub fn write_mms(&mut self, mms: &MmsRecord) -> io::Result<()> {
        check_names(mms.extra.keys())?;
        for part in &mms.parts {
            check_names(part.extra.keys())?;
        }
        for addr in &mms.addrs {
            check_names(addr.extra.keys())?;
        }
        self.out.write_all(b"  <mms")?;
        write_attributes(&mut self.out, &mms.attributes())?;
        self.out.write_all(b">\n    <parts>\n")?;
        for part in &mms.parts {
            self.out.write_all(b"      <part")?;
            write_attributes(&mut self.out, &part.attributes())?;
            if let Some(data) = &part.data {
                // Streamed: a large image is never held a second time as base64 text.
                self.out.write_all(b" data=\"")?;
                {
                    let mut encoder = base64::write::EncoderWriter::new(&mut self.out, &STANDARD);
                    encoder.write_all(data)?;
                    encoder.finish()?;
                }
                self.out.write_all(b"\"")?;
            }
            self.out.write_all(b" />\n")?;
        }
        self.out.write_all(b"    </parts>\n    <addrs>\n")?;
        for addr in &mms.addrs {
            self.out.write_all(b"      <addr")?;
            write_attributes(&mut self.out, &addr.attributes())?;
            self.out.write_all(b" />\n")?;
        }
        self.out.write_all(b"    </addrs>\n  </mms>\n")?;
        self.records += 1;
        Ok(())
    }

    /// Closes the root and flushes. Fails when a count was promised in the header and a
    /// different number of records was written (the file is complete, the header wrong).
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(b"</smses>\n")?;
        self.out.flush()?;
        if let Some(promised) = self.promised
            && promised != self.records
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the header promised {promised} records but {} were written", self.records),
            ));
        }
        Ok(self.out.inner)
    }
}

impl<W: Write + Seek> SmsbrWriter<W> {
    /// Like [`finish`](Self::finish), and writes the real count into the space the header
    /// reserved when no count was given.
    pub fn finish_seekable(self) -> io::Result<W> {
        let count_at = self.count_at;
        let records = self.records;
        let mut out = self.finish()?;
        if let Some(at) = count_at {
            let end = out.stream_position()?;
            out.seek(SeekFrom::Start(at))?;
            out.write_all(reserved_count(records).as_bytes())?;
            out.seek(SeekFrom::Start(end))?;
            out.flush()?;
        }
        Ok(out)
    }
}

/// ` count="N"` padded with spaces to a fixed width, so a later number fits in place.
fn reserved_count(n: u64) -> String {
    let digits = n.to_string();
    format!(" count=\"{digits}\"{}", " ".repeat(COUNT_WIDTH.saturating_sub(digits.len())))
}

fn write_attributes(out: &mut impl Write, attrs: &[(&str, Option<String>)]) -> io::Result<()> {
    check_names(attrs.iter().map(|(name, _)| *name))?;
    for (name, value) in attrs {
        let Some(value) = value else { continue };
        write!(out, " {name}=\"")?;
        write_escaped(out, value)?;
        out.write_all(b"\"")?;
    }
    Ok(())
}

/// Unknown attributes come from records built by hand or read from elsewhere; a key that
/// is no XML name cannot be written. Checked before a record's first byte is written, so
/// a refused record leaves no half tag behind.
fn check_names<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> io::Result<()> {
    match names.into_iter().find(|name| !is_name(name.as_ref())) {
        Some(name) => {
            let name = name.as_ref();
            Err(io::Error::new(io::ErrorKind::InvalidInput, format!("{name:?} is not an XML attribute name")))
        }
        None => Ok(()),
    }
}

fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.'))
}

/// Escapes an attribute value: markup characters as entities, line breaks and tabs and
/// other control characters as character references (a literal newline in an attribute
/// would become a space in a conforming parser).
fn write_escaped(out: &mut impl Write, value: &str) -> io::Result<()> {
    let bytes = value.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let replacement: Option<&[u8]> = match b {
            b'&' => Some(b"&amp;"),
            b'<' => Some(b"&lt;"),
            b'>' => Some(b"&gt;"),
            b'"' => Some(b"&quot;"),
            _ => None,
        };
        if replacement.is_none() && b >= 0x20 && b != 0x7f {
            continue;
        }
        out.write_all(&bytes[start..i])?;
        match replacement {
            Some(r) => out.write_all(r)?,
            None => write!(out, "&#{b};")?,
        }
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(s: &str) -> String {
        let mut out = Vec::new();
        assert!(write_escaped(&mut out, s).is_ok());
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(escaped("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d'");
        assert_eq!(escaped("l1\nl2\r\t\u{1}"), "l1&#10;l2&#13;&#9;&#1;");
        assert_eq!(escaped("😀 é"), "😀 é");
    }

    #[test]
    fn count_is_patched_in_place() {
        let header = Header::default();
        let Ok(mut w) = SmsbrWriter::new(io::Cursor::new(Vec::new()), &header) else { panic!("writer") };
        for _ in 0..3 {
            assert!(w.write_sms(&SmsRecord { date: 1, ..SmsRecord::default() }).is_ok());
        }
        let out = w.finish_seekable().map(io::Cursor::into_inner).unwrap_or_default();
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.contains("<smses count=\"3\"   "), "{text}");
        assert!(text.ends_with("</smses>\n"));
    }

    #[test]
    fn a_promised_count_is_checked() {
        let header = Header { count: Some(2), ..Header::default() };
        let Ok(mut w) = SmsbrWriter::new(Vec::new(), &header) else { panic!("writer") };
        assert!(w.write_sms(&SmsRecord::default()).is_ok());
        assert!(w.finish().is_err());
        let Ok(w) = SmsbrWriter::new(Vec::new(), &Header { count: Some(0), ..Header::default() }) else {
            panic!("writer")
        };
        assert!(w.finish().is_ok());
    }

    #[test]
    fn bad_attribute_names_are_refused() {
        let mut sms = SmsRecord::default();
        sms.extra.insert("bad name".into(), "x".into());
        let Ok(mut w) = SmsbrWriter::new(Vec::new(), &Header::default()) else { panic!("writer") };
        assert!(w.write_sms(&sms).is_err());
    }
}
