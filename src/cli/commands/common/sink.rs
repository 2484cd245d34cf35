//! Writing a listing page by page: plain, JSON and NDJSON records go out as they arrive
//! (one JSON array across all pages); a table is printed in aligned chunks under one header
//! so a huge listing is never held in memory.

use serde::Serialize;

use crate::cli::error::CliError;
use crate::cli::output::{ListWriter, Output, OutputFormat};

/// Rows a table holds before it is printed.
const TABLE_ROWS: usize = 100;

/// A listing in progress: `Paged` is a table (rows for people), `Stream` the other formats.
pub enum Sink<'a> {
    Stream(ListWriter<'a>),
    Paged(ListWriter<'a>),
}

impl<'a> Sink<'a> {
    /// `table_headers` head a table; `headers` name the plain/JSON columns.
    pub fn new(
        out: &'a mut Output,
        table_headers: &'static [&'static str],
        headers: &'static [&'static str],
    ) -> Sink<'a> {
        if out.format() == OutputFormat::Table {
            Sink::Paged(out.list(table_headers))
        } else {
            Sink::Stream(out.list(headers))
        }
    }

    /// Table columns (by header) that are never cut on a narrow terminal.
    #[must_use]
    pub fn keep_whole(self, columns: &'static [&'static str]) -> Self {
        match self {
            Sink::Stream(l) => Sink::Stream(l.keep_whole(columns)),
            Sink::Paged(l) => Sink::Paged(l.keep_whole(columns)),
        }
    }

    /// Table columns (by header) a narrow terminal leaves out, first to last, before a
    /// free-text column is cut short.
    #[must_use]
    pub fn drop_first(self, columns: &[&str]) -> Self {
        match self {
            Sink::Stream(l) => Sink::Stream(l),
            Sink::Paged(l) => Sink::Paged(l.drop_first(columns)),
        }
    }

    /// Whether rows are for people (short values) rather than scripts.
    pub fn human(&self) -> bool {
        matches!(self, Sink::Paged(_))
    }

    pub fn push<T: Serialize + ?Sized>(&mut self, record: &T, cells: Vec<String>) -> Result<(), CliError> {
        match self {
            Sink::Stream(l) | Sink::Paged(l) => l.push(record, cells),
        }
    }

    /// Records pushed so far.
    pub fn count(&self) -> u64 {
        match self {
            Sink::Stream(l) | Sink::Paged(l) => l.count(),
        }
    }

    /// Ends a page: a table prints what it holds once that is a screenful or more, so small
    /// listings (a few sub-folders, then objects) stay one aligned table. The header is
    /// printed once per table, not once per page (issue 14, item 14).
    pub fn end_page(&mut self) -> Result<(), CliError> {
        match self {
            Sink::Paged(l) if l.held() >= TABLE_ROWS => l.print_held(),
            _ => Ok(()),
        }
    }

    /// A section title (`/path:`) before a folder's entries; tables only, so plain rows
    /// keep their id in the first column.
    pub fn section(&mut self, title: &str) -> Result<(), CliError> {
        if let Sink::Paged(l) = self {
            let sep = if l.count() > 0 { "\n" } else { "" };
            let line = format!("{sep}{}:\n", crate::cli::output::sanitize(title));
            l.section(&line)?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<(), CliError> {
        match self {
            Sink::Stream(l) | Sink::Paged(l) => l.finish(),
        }
    }
}
