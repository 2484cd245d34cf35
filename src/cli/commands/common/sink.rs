//! Writing a listing page by page: plain, JSON and NDJSON records go out as they arrive
//! (one JSON array across all pages); a table is rendered per page so a huge listing is
//! never held in memory.

use serde::Serialize;

use crate::cli::error::CliError;
use crate::cli::output::{ListWriter, Output, OutputFormat};

/// Rows a table holds before it is printed.
const TABLE_ROWS: usize = 100;

/// A listing in progress.
pub enum Sink<'a> {
    Stream(ListWriter<'a>),
    Paged {
        out: &'a mut Output,
        headers: &'static [&'static str],
        whole: &'static [&'static str],
        rows: Vec<Vec<String>>,
        count: u64,
    },
}

impl<'a> Sink<'a> {
    /// `table_headers` head a table; `headers` name the plain/JSON columns.
    pub fn new(
        out: &'a mut Output,
        table_headers: &'static [&'static str],
        headers: &'static [&'static str],
    ) -> Sink<'a> {
        if out.format() == OutputFormat::Table {
            Sink::Paged { out, headers: table_headers, whole: &[], rows: Vec::new(), count: 0 }
        } else {
            Sink::Stream(out.list(headers))
        }
    }

    /// Table columns (by header) that are never cut on a narrow terminal.
    #[must_use]
    pub fn keep_whole(self, columns: &'static [&'static str]) -> Self {
        match self {
            Sink::Stream(l) => Sink::Stream(l.keep_whole(columns)),
            Sink::Paged { out, headers, rows, count, .. } => Sink::Paged { out, headers, whole: columns, rows, count },
        }
    }

    /// Whether rows are for people (short values) rather than scripts.
    pub fn human(&self) -> bool {
        matches!(self, Sink::Paged { .. })
    }

    pub fn push<T: Serialize + ?Sized>(&mut self, record: &T, cells: Vec<String>) -> Result<(), CliError> {
        match self {
            Sink::Stream(l) => l.push(record, cells),
            Sink::Paged { rows, count, .. } => {
                rows.push(cells);
                *count += 1;
                Ok(())
            }
        }
    }

    /// Records pushed so far.
    pub fn count(&self) -> u64 {
        match self {
            Sink::Stream(l) => l.count(),
            Sink::Paged { count, .. } => *count,
        }
    }

    /// Ends a page: a table prints what it holds once that is a screenful or more, so small
    /// listings (a few sub-folders, then objects) stay one aligned table.
    pub fn end_page(&mut self) -> Result<(), CliError> {
        if let Sink::Paged { rows, .. } = self
            && rows.len() < TABLE_ROWS
        {
            return Ok(());
        }
        self.flush_table()
    }

    fn flush_table(&mut self) -> Result<(), CliError> {
        if let Sink::Paged { out, headers, whole, rows, .. } = self
            && !rows.is_empty()
        {
            out.table_keeping(headers, std::mem::take(rows), whole)?;
            out.flush()?;
        }
        Ok(())
    }

    /// A section title (`/path:`) before a folder's entries; tables only, so plain rows
    /// keep their id in the first column.
    pub fn section(&mut self, title: &str) -> Result<(), CliError> {
        self.flush_table()?;
        if let Sink::Paged { out, count, .. } = self {
            let sep = if *count > 0 { "\n" } else { "" };
            let line = format!("{sep}{}:\n", crate::cli::output::sanitize(title));
            out.write_bytes(line.as_bytes())?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<(), CliError> {
        self.flush_table()?;
        match self {
            Sink::Stream(l) => l.finish(),
            Sink::Paged { out, .. } => out.flush(),
        }
    }
}
