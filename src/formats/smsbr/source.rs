//! The byte source under the XML parser: counts offsets and lines, keeps a copy of the
//! current record's bytes (for a reject), and caps how much one XML token may read.
//!
//! quick-xml collects a whole tag in memory before it returns it, so a 1 GiB attribute
//! would be 1 GiB of RAM. This source hands the parser at most `budget` bytes per
//! token and then fails the read, which the reader turns into a reject and a resync.

use std::io::{self, BufRead, Read};

/// Bytes read from the inner reader at a time.
const CHUNK: usize = 64 * 1024;

/// The marker error of a token that went over its budget.
#[derive(Debug)]
pub(super) struct OverBudget;

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("token over budget")
    }
}

impl std::error::Error for OverBudget {}

pub(super) struct Source<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    /// Bytes consumed since the start of the input.
    pub(super) offset: u64,
    /// Newlines consumed since the start of the input.
    pub(super) lines: u64,
    budget: u64,
    spent: u64,
    capture: Vec<u8>,
    capture_cap: usize,
    capture_full: bool,
}

impl<R: Read> Source<R> {
    pub(super) fn new(inner: R, capture_cap: usize) -> Self {
        Source {
            inner,
            buf: vec![0; CHUNK].into_boxed_slice(),
            pos: 0,
            len: 0,
            offset: 0,
            lines: 0,
            budget: u64::MAX,
            spent: 0,
            capture: Vec::new(),
            capture_cap,
            capture_full: false,
        }
    }

    /// Starts a new token that may read at most `budget` bytes.
    pub(super) fn begin_token(&mut self, budget: u64) {
        self.budget = budget;
        self.spent = 0;
    }

    /// Forgets the captured bytes (between records).
    pub(super) fn reset_capture(&mut self) {
        // A huge record leaves a huge allocation behind; give it back.
        if self.capture.capacity() > 4 * CHUNK {
            self.capture = Vec::new();
        } else {
            self.capture.clear();
        }
        self.capture_full = false;
    }

    /// Stops capturing for the rest of this record (it is already rejected as too big).
    pub(super) fn freeze_capture(&mut self) {
        self.capture_full = true;
    }

    /// Whether the record outgrew the capture limit.
    pub(super) fn capture_full(&self) -> bool {
        self.capture_full
    }

    pub(super) fn capture(&self) -> &[u8] {
        &self.capture
    }

    /// Drops the last `n` captured bytes (they belong to the next record), unless the
    /// capture stopped early and never got them.
    pub(super) fn drop_capture_tail(&mut self, n: u64) {
        if !self.capture_full {
            let keep = self.capture.len().saturating_sub(usize::try_from(n).unwrap_or(usize::MAX));
            self.capture.truncate(keep);
        }
    }

    /// Starts the capture with bytes already consumed (a record's start tag).
    pub(super) fn seed_capture(&mut self, pieces: &[&[u8]]) {
        for piece in pieces {
            self.capture.extend_from_slice(piece);
        }
    }

    /// Hands over the captured bytes and starts afresh.
    pub(super) fn take_capture(&mut self) -> (Vec<u8>, bool) {
        let full = self.capture_full;
        self.capture_full = false;
        (std::mem::take(&mut self.capture), full)
    }

    /// Consumes bytes up to (not including) the next `<`, ignoring the budget.
    /// Returns false at the end of the input.
    pub(super) fn skip_to_markup(&mut self) -> io::Result<bool> {
        loop {
            self.refill()?;
            if self.pos == self.len {
                return Ok(false);
            }
            let available = &self.buf[self.pos..self.len];
            match memchr::memchr(b'<', available) {
                Some(i) => {
                    self.advance(i);
                    return Ok(true);
                }
                None => {
                    let n = available.len();
                    self.advance(n);
                }
            }
        }
    }

    /// Whether the input is exhausted.
    pub(super) fn at_end(&mut self) -> io::Result<bool> {
        self.refill()?;
        Ok(self.pos == self.len)
    }

    /// Consumes one byte so that a parser stuck on it makes progress.
    pub(super) fn skip_byte(&mut self) -> io::Result<()> {
        self.refill()?;
        if self.pos < self.len {
            self.advance(1);
        }
        Ok(())
    }

    fn refill(&mut self) -> io::Result<()> {
        if self.pos == self.len {
            self.pos = 0;
            self.len = 0;
            loop {
                match self.inner.read(&mut self.buf) {
                    Ok(n) => {
                        self.len = n;
                        break;
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    fn advance(&mut self, n: usize) {
        let n = n.min(self.len - self.pos);
        let bytes = &self.buf[self.pos..self.pos + n];
        self.lines += memchr::memchr_iter(b'\n', bytes).count() as u64;
        if !self.capture_full {
            let room = self.capture_cap.saturating_sub(self.capture.len());
            if bytes.len() > room {
                self.capture.extend_from_slice(&bytes[..room]);
                self.capture_full = true;
            } else {
                self.capture.extend_from_slice(bytes);
            }
        }
        self.pos += n;
        self.offset += n as u64;
        self.spent += n as u64;
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.spent >= self.budget {
            return Err(io::Error::other(OverBudget));
        }
        self.refill()?;
        // Never show the parser more than the budget left, so its buffer stays bounded.
        let left = usize::try_from(self.budget - self.spent).unwrap_or(usize::MAX);
        let end = self.len.min(self.pos.saturating_add(left));
        Ok(&self.buf[self.pos..end])
    }

    fn consume(&mut self, n: usize) {
        self.advance(n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_offsets_lines_and_caps_tokens() {
        let data = b"ab\ncd\nef<gh".to_vec();
        let mut s = Source::new(&data[..], 4);
        s.begin_token(3);
        let got = s.fill_buf().map(<[u8]>::to_vec).unwrap_or_default();
        assert_eq!(got, b"ab\n");
        s.consume(3);
        assert!(s.fill_buf().is_err(), "the budget is spent");
        assert_eq!((s.offset, s.lines), (3, 1));
        assert!(s.skip_to_markup().unwrap_or(false));
        assert_eq!((s.offset, s.lines), (8, 2));
        assert!(s.capture_full());
        assert_eq!(s.capture(), b"ab\nc");
        s.reset_capture();
        s.begin_token(100);
        let mut rest = Vec::new();
        assert!(s.read_to_end(&mut rest).is_ok());
        assert_eq!(rest, b"<gh");
        assert_eq!(s.capture(), b"<gh");
    }
}
