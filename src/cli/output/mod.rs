//! `Output`: the only way commands write. Data goes to stdout in the one format chosen at startup
//! (table on a TTY, plain when piped, JSON/NDJSON only when asked); status, warnings and progress
//! go to stderr. A closed stdout pipe surfaces as [`CliError::pipe_closed`] (exit 0, quiet).

pub mod progress;
pub mod prompt;
pub mod sanitize;
pub mod table;

use std::fmt::Display;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::error::CliError;
pub use progress::{Progress, Summary};
pub use prompt::Prompt;
pub use sanitize::sanitize;
pub use table::TableStyle;

/// `-o/--output`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// Aligned columns for people (default on a terminal).
    Table,
    /// Tab-separated rows, no header (default when piped).
    Plain,
    /// One JSON document.
    Json,
    /// One JSON object per line, written as results arrive.
    Ndjson,
}

impl OutputFormat {
    /// An explicit choice wins; otherwise table on a TTY and plain when piped — never JSON by itself.
    pub fn resolve(explicit: Option<OutputFormat>, stdout_is_tty: bool) -> OutputFormat {
        explicit.unwrap_or(if stdout_is_tty { OutputFormat::Table } else { OutputFormat::Plain })
    }

    pub fn is_machine(self) -> bool {
        matches!(self, OutputFormat::Json | OutputFormat::Ndjson)
    }
}

/// `--progress`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// A bar when stderr is a terminal, nothing otherwise (the summary line is always printed).
    #[default]
    Auto,
    /// Always try to draw a bar.
    Bar,
    /// A plain progress line every few seconds (for logs and CI).
    Log,
    /// Only the final summary line.
    None,
}

/// `--color`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// A writer shared between `Output`, progress reporters and prompts.
pub type SharedWriter = Arc<Mutex<Box<dyn Write + Send>>>;

/// Writes `s` to a shared writer, ignoring failure (stderr going away is not worth an error).
pub(crate) fn write_shared(w: &SharedWriter, s: &str) {
    if let Ok(mut w) = w.lock() {
        let _ = w.write_all(s.as_bytes());
        let _ = w.flush();
    }
}

/// Settings that decide how `Output` behaves, from the global flags.
#[derive(Debug, Clone, Copy, Default)]
pub struct OutputOptions {
    pub format: Option<OutputFormat>,
    pub color: ColorChoice,
    pub progress: ProgressMode,
    pub quiet: bool,
    pub verbose: u8,
}

/// A byte buffer usable as a writer by `Output` while a test keeps a handle to read it.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        self.0.lock().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The output side of a command run.
pub struct Output {
    format: OutputFormat,
    stdout: Box<dyn Write + Send>,
    stderr: SharedWriter,
    stdout_tty: bool,
    stderr_tty: bool,
    color: bool,
    width: Option<u16>,
    quiet: bool,
    verbose: u8,
    progress_mode: ProgressMode,
    progress_interval: Duration,
    results: Results,
}

/// The result records of a write command (`put`, `rm`, `mv`, `flag`, `get --out`) under
/// `-o json`: one array, opened by the first record and closed when the command ends, so
/// that the output is one JSON document however many items there were.
#[derive(Debug, Default, Clone, Copy)]
struct Results {
    /// The command announced results: an empty run still prints `[]`.
    expected: bool,
    /// Records written so far.
    written: u64,
}

impl Output {
    /// The real terminal: buffered stdout, unbuffered stderr, TTY detection, `NO_COLOR`, `COLUMNS`.
    pub fn new(opts: OutputOptions) -> Output {
        let stdout_tty = std::io::stdout().is_terminal();
        let stderr_tty = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
            || std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let color = match opts.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_tty && !no_color,
        };
        let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok()).filter(|w| *w > 0);
        let width = columns.or_else(|| if stdout_tty { terminal_width() } else { None });
        Output {
            format: OutputFormat::resolve(opts.format, stdout_tty),
            stdout: if stdout_tty {
                Box::new(std::io::BufWriter::new(progress::BarAwareWriter(std::io::stdout())))
            } else {
                Box::new(std::io::BufWriter::new(std::io::stdout()))
            },
            stderr: Arc::new(Mutex::new(Box::new(std::io::stderr()))),
            stdout_tty,
            stderr_tty,
            color,
            width,
            quiet: opts.quiet,
            verbose: opts.verbose,
            progress_mode: opts.progress,
            progress_interval: Duration::from_secs(2),
            results: Results::default(),
        }
    }

    /// Output into in-memory buffers (tests): no TTY, no colour, natural table width.
    pub fn captured(format: OutputFormat) -> (Output, Captured, Captured) {
        let (out, err) = (Captured::default(), Captured::default());
        let output = Output {
            format,
            stdout: Box::new(out.clone()),
            stderr: Arc::new(Mutex::new(Box::new(err.clone()))),
            stdout_tty: false,
            stderr_tty: false,
            color: false,
            width: None,
            quiet: false,
            verbose: 0,
            progress_mode: ProgressMode::Auto,
            progress_interval: Duration::from_secs(2),
            results: Results::default(),
        };
        (output, out, err)
    }

    /// Table width for tests and `--width`-like overrides.
    #[must_use]
    pub fn with_width(mut self, width: Option<u16>) -> Output {
        self.width = width;
        self
    }

    #[must_use]
    pub fn with_progress(mut self, mode: ProgressMode, interval: Duration) -> Output {
        self.progress_mode = mode;
        self.progress_interval = interval;
        self
    }

    #[must_use]
    pub fn with_quiet(mut self, quiet: bool) -> Output {
        self.quiet = quiet;
        self
    }

    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// `json` or `ndjson`.
    pub fn is_machine(&self) -> bool {
        self.format.is_machine()
    }

    pub fn stdout_is_tty(&self) -> bool {
        self.stdout_tty
    }

    pub fn stderr_is_tty(&self) -> bool {
        self.stderr_tty
    }

    pub fn quiet(&self) -> bool {
        self.quiet
    }

    pub fn verbose(&self) -> u8 {
        self.verbose
    }

    pub fn stderr(&self) -> SharedWriter {
        Arc::clone(&self.stderr)
    }

    fn table_style(&self) -> TableStyle {
        TableStyle { width: self.width, color: self.color }
    }

    fn write_out(&mut self, s: &str) -> Result<(), CliError> {
        self.stdout.write_all(s.as_bytes())?;
        Ok(())
    }

    /// Raw bytes to stdout (payload downloads). Callers check [`Output::stdout_is_tty`] first.
    pub fn write_bytes(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        self.stdout.write_all(bytes)?;
        Ok(())
    }

    pub fn flush(&mut self) -> Result<(), CliError> {
        self.stdout.flush()?;
        Ok(())
    }

    /// A whole list at once. table: aligned columns; plain: tab-separated rows without header;
    /// json: an array of objects keyed by the lower-case headers; ndjson: one such object per line.
    /// Prefer [`Output::list`] with serialisable records when the JSON shape matters.
    pub fn table(&mut self, headers: &[&str], rows: Vec<Vec<String>>) -> Result<(), CliError> {
        self.table_keeping(headers, rows, &[])
    }

    /// [`Output::table`] where the columns named in `whole` are never cut in a table.
    pub fn table_keeping(&mut self, headers: &[&str], rows: Vec<Vec<String>>, whole: &[&str]) -> Result<(), CliError> {
        let mut list = self.list(headers).keep_whole(whole);
        for row in rows {
            let obj: serde_json::Map<String, serde_json::Value> = headers
                .iter()
                .map(|h| h.to_lowercase().replace(' ', "_"))
                .zip(row.iter().map(|c| serde_json::Value::String(c.clone())))
                .collect();
            list.push(&obj, row)?;
        }
        list.finish()
    }

    /// Starts a streamed list: `push` each record (its JSON form and its table/plain cells), then `finish`.
    pub fn list(&mut self, headers: &[&str]) -> ListWriter<'_> {
        ListWriter {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            whole: vec![false; headers.len()],
            rows: Vec::new(),
            widths: None,
            droppable: Vec::new(),
            dropped: None,
            count: 0,
            out: self,
        }
    }

    /// One record. table: `key  value` lines; plain: `key<TAB>value` lines; json: the document;
    /// ndjson: one line.
    pub fn record<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
        plain_fields: &[(&str, String)],
    ) -> Result<(), CliError> {
        match self.format {
            OutputFormat::Table => {
                let s = table::render_record(plain_fields, self.table_style());
                self.write_out(&s)
            }
            OutputFormat::Plain => {
                for (k, v) in plain_fields {
                    let line = table::plain_line(&[k.to_string(), v.clone()]);
                    self.write_out(&line)?;
                }
                Ok(())
            }
            OutputFormat::Json => self.json(value),
            OutputFormat::Ndjson => self.ndjson_line(value),
        }
    }

    /// One JSON document (pretty on a terminal, compact when piped), whatever the chosen format.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CliError> {
        if self.stdout_tty {
            serde_json::to_writer_pretty(&mut self.stdout, value)?;
        } else {
            serde_json::to_writer(&mut self.stdout, value)?;
        }
        self.stdout.write_all(b"\n")?;
        Ok(())
    }

    /// One compact JSON object and a newline, flushed at once (streaming consumers see it immediately).
    pub fn ndjson_line<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CliError> {
        serde_json::to_writer(&mut self.stdout, value)?;
        self.stdout.write_all(b"\n")?;
        self.stdout.flush()?;
        Ok(())
    }

    /// Announces result records (see [`Output::result`]): with `-o json`, a run that writes
    /// none still prints an empty array.
    pub fn expect_results(&mut self) {
        self.results.expected = true;
    }

    /// One result record of a write command, for the machine formats: a line with `ndjson`
    /// (flushed at once), the next element of one streamed array with `json`. Table and plain
    /// output are the command's own.
    pub fn result<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), CliError> {
        if self.format != OutputFormat::Json {
            return self.ndjson_line(value);
        }
        array_element(&mut self.stdout, self.results.written == 0, self.stdout_tty, value)?;
        self.results.written += 1;
        self.stdout.flush()?;
        Ok(())
    }

    /// Ends the command's output: closes an open result array (also after a failure, so that
    /// what was done is still one readable document); prints `[]` for an announced, successful
    /// run without results.
    pub fn finish(&mut self, ok: bool) -> Result<(), CliError> {
        if self.format == OutputFormat::Json {
            if self.results.written > 0 {
                self.stdout.write_all(b"\n]\n")?;
            } else if self.results.expected && ok {
                self.stdout.write_all(b"[]\n")?;
            }
            self.results = Results::default();
        }
        self.flush()
    }

    /// A status line on stderr, hidden by `-q`.
    pub fn status(&self, msg: impl Display) {
        if !self.quiet {
            write_shared(&self.stderr, &format!("{msg}\n"));
        }
    }

    /// `warning: …` on stderr (shown even with `-q`).
    pub fn warn(&self, msg: impl Display) {
        write_shared(&self.stderr, &format!("warning: {msg}\n"));
    }

    /// A diagnostic line on stderr, only with `-v`.
    pub fn debug(&self, msg: impl Display) {
        if self.verbose > 0 {
            write_shared(&self.stderr, &format!("debug: {msg}\n"));
        }
    }

    /// A progress reporter for `total` items (`None`: unknown). Always ends with a summary line
    /// (unless `-q`) when [`Progress::finish`] is called.
    pub fn progress(&self, total: Option<u64>, label: &str) -> Progress {
        let mode = match self.progress_mode {
            ProgressMode::Auto if self.stderr_tty && !self.quiet => ProgressMode::Bar,
            ProgressMode::Auto => ProgressMode::None,
            ProgressMode::Bar if self.quiet => ProgressMode::None,
            other => other,
        };
        Progress::start(progress::ProgressConfig {
            total,
            label: label.to_string(),
            mode,
            quiet: self.quiet,
            interval: self.progress_interval,
            stderr: Arc::clone(&self.stderr),
        })
    }
}

/// One element of a JSON array streamed to `w`: opens the array before the first, separates
/// the others; indented on a terminal, compact when piped. The caller writes the closing `]`.
fn array_element<T: Serialize + ?Sized>(
    w: &mut dyn Write,
    first: bool,
    pretty: bool,
    value: &T,
) -> Result<(), CliError> {
    w.write_all(if first { b"[\n" } else { b",\n" })?;
    if pretty {
        let text = serde_json::to_string_pretty(value)?;
        let indented: Vec<String> = text.lines().map(|l| format!("  {l}")).collect();
        w.write_all(indented.join("\n").as_bytes())?;
    } else {
        serde_json::to_writer(&mut *w, value)?;
    }
    Ok(())
}

/// Terminal width of stdout, if it is a terminal.
fn terminal_width() -> Option<u16> {
    // comfy-table asks crossterm; reuse that instead of adding a dependency.
    let mut probe = comfy_table::Table::new();
    probe.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    probe.width()
}

/// Table rows held at most before they are printed: the first chunk fixes the column widths
/// for the rest, so `ls --all` on a terminal prints as it goes in bounded memory.
const TABLE_CHUNK: usize = 500;

/// A list being written record by record (see [`Output::list`]). Plain and NDJSON rows go out as
/// they come; JSON is streamed as one array; tables are printed in chunks of aligned rows.
pub struct ListWriter<'a> {
    out: &'a mut Output,
    headers: Vec<String>,
    /// Per column: never cut in a table (ids, dates, flags).
    whole: Vec<bool>,
    rows: Vec<Vec<String>>,
    /// Column widths fixed by the first printed chunk.
    widths: Option<Vec<u16>>,
    /// Columns a narrow table may leave out, in the order they go (see [`ListWriter::drop_first`]).
    droppable: Vec<usize>,
    /// The columns left out, decided by the first printed chunk so later rows line up.
    dropped: Option<Vec<usize>>,
    count: u64,
}

impl ListWriter<'_> {
    /// Marks the columns named in `columns` (headers, any case) as never cut in a table, so
    /// that ids stay copyable on a narrow terminal; the other columns absorb the squeeze.
    #[must_use]
    pub fn keep_whole(mut self, columns: &[&str]) -> Self {
        for (i, h) in self.headers.iter().enumerate() {
            self.whole[i] = columns.iter().any(|c| c.eq_ignore_ascii_case(h));
        }
        self
    }

    /// Names (headers, any case) of low-value columns that a narrow table leaves out, first
    /// to last, rather than cut a free-text column below [`table::FREE_TEXT_MIN`] characters.
    #[must_use]
    pub fn drop_first(mut self, columns: &[&str]) -> Self {
        self.droppable =
            columns.iter().filter_map(|c| self.headers.iter().position(|h| h.eq_ignore_ascii_case(c))).collect();
        self
    }

    /// Adds a record: `record` is its JSON form (should carry `id`), `cells` its table/plain row.
    pub fn push<T: Serialize + ?Sized>(&mut self, record: &T, cells: Vec<String>) -> Result<(), CliError> {
        match self.out.format {
            OutputFormat::Table => {
                self.rows.push(cells);
                if self.rows.len() >= TABLE_CHUNK {
                    self.print_rows()?;
                }
            }
            OutputFormat::Plain => {
                let line = table::plain_line(&cells);
                self.out.write_out(&line)?;
                // Someone is watching: show rows as they come rather than when the buffer fills.
                if self.out.stdout_tty {
                    self.out.flush()?;
                }
            }
            OutputFormat::Ndjson => self.out.ndjson_line(record)?,
            OutputFormat::Json => array_element(&mut self.out.stdout, self.count == 0, self.out.stdout_tty, record)?,
        }
        self.count += 1;
        Ok(())
    }

    /// Prints the held table rows (with the header and fitted widths the first time).
    fn print_rows(&mut self) -> Result<(), CliError> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let style = self.out.table_style();
        let dropped = match (&self.dropped, style.width) {
            (Some(d), _) => d.clone(),
            (None, Some(width)) if !self.droppable.is_empty() => {
                let chars = |s: &str| u16::try_from(s.chars().count()).unwrap_or(u16::MAX);
                let header: Vec<u16> = self.headers.iter().map(|h| chars(h)).collect();
                let mut natural = header.clone();
                for r in &self.rows {
                    for (n, c) in natural.iter_mut().zip(r) {
                        *n = (*n).max(chars(c));
                    }
                }
                table::columns_to_drop(&natural, &header, &self.whole, &self.droppable, width)
            }
            (None, _) => Vec::new(),
        };
        self.dropped = Some(dropped.clone());
        let keep = |i: &usize| !dropped.contains(i);
        let headers: Vec<&str> =
            self.headers.iter().enumerate().filter(|(i, _)| keep(i)).map(|(_, h)| h.as_str()).collect();
        let whole: Vec<bool> = self.whole.iter().enumerate().filter(|(i, _)| keep(i)).map(|(_, w)| *w).collect();
        if !dropped.is_empty() {
            for r in &mut self.rows {
                let mut i = 0;
                r.retain(|_| {
                    i += 1;
                    keep(&(i - 1))
                });
            }
        }
        let (s, widths) = table::render_chunk(&headers, &self.rows, style, &whole, self.widths.as_deref());
        self.widths = Some(widths);
        self.rows.clear();
        self.out.write_out(&s)?;
        self.out.flush()
    }

    /// Prints the held table rows now (a page arrived and someone may be watching). Only the
    /// first print of a list or section carries the header; later ones reuse its widths.
    pub fn print_held(&mut self) -> Result<(), CliError> {
        self.print_rows()
    }

    /// Table rows held and not yet printed.
    pub fn held(&self) -> usize {
        self.rows.len()
    }

    /// Ends the table so far and writes `line` (a section title); the next rows start a new
    /// table with its own header and widths.
    pub fn section(&mut self, line: &str) -> Result<(), CliError> {
        self.print_rows()?;
        self.widths = None;
        self.out.write_out(line)?;
        self.out.flush()
    }

    /// Records pushed so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Access to the underlying output (status lines while listing).
    pub fn output(&self) -> &Output {
        self.out
    }

    /// Ends the list (prints the table, closes the JSON array) and flushes stdout.
    pub fn finish(mut self) -> Result<(), CliError> {
        match self.out.format {
            OutputFormat::Table => self.print_rows()?,
            OutputFormat::Json => {
                let end: &[u8] = if self.count == 0 { b"[]\n" } else { b"\n]\n" };
                self.out.stdout.write_all(end)?;
            }
            OutputFormat::Plain | OutputFormat::Ndjson => {}
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Rec {
        id: &'static str,
        subject: &'static str,
    }

    const RECS: [Rec; 2] = [Rec { id: "a1", subject: "hi" }, Rec { id: "b2", subject: "\x1b[31mred\u{202e}" }];

    fn render(format: OutputFormat) -> String {
        let (mut out, stdout, _) = Output::captured(format);
        let mut list = out.list(&["id", "subject"]);
        for r in &RECS {
            list.push(r, vec![r.id.into(), r.subject.into()]).unwrap();
        }
        list.finish().unwrap();
        stdout.text()
    }

    #[test]
    fn a_long_table_prints_in_aligned_chunks_with_one_header() {
        let (out, stdout, _) = Output::captured(OutputFormat::Table);
        let mut out = out.with_width(Some(50));
        let mut list = out.list(&["id", "subject"]).keep_whole(&["id"]);
        let n = TABLE_CHUNK * 2 + 7;
        for i in 0..n {
            let subject = if i == n - 1 { "z".repeat(80) } else { format!("subject {i}") };
            list.push(&serde_json::json!({"id": i}), vec![format!("{i:08}"), subject]).unwrap();
            // Held rows never exceed one chunk.
            assert!(list.rows.len() < TABLE_CHUNK);
        }
        list.finish().unwrap();
        let text = stdout.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), n + 1, "one header, one line per row");
        assert_eq!(lines.iter().filter(|l| l.starts_with("ID")).count(), 1);
        let col = lines[1].find("subject").unwrap_or(0);
        assert!(lines[1..].iter().all(|l| l.find(['s', 'z']) == Some(col)), "columns line up");
        assert!(lines.iter().all(|l| l.chars().count() <= 50));
    }

    #[test]
    fn format_is_never_json_by_itself() {
        assert_eq!(OutputFormat::resolve(None, true), OutputFormat::Table);
        assert_eq!(OutputFormat::resolve(None, false), OutputFormat::Plain);
        assert_eq!(OutputFormat::resolve(Some(OutputFormat::Json), true), OutputFormat::Json);
    }

    #[test]
    fn list_in_every_format() {
        assert_eq!(render(OutputFormat::Table), "ID  SUBJECT\na1  hi\nb2  red\n");
        assert_eq!(render(OutputFormat::Plain), "a1\thi\nb2\tred\n");
        let json: serde_json::Value = serde_json::from_str(&render(OutputFormat::Json)).unwrap();
        assert_eq!(json[1]["id"], "b2");
        // JSON keeps the server's string exactly; serde escapes the controls.
        assert_eq!(json[1]["subject"], "\x1b[31mred\u{202e}");
        let nd = render(OutputFormat::Ndjson);
        let lines: Vec<serde_json::Value> = nd.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "a1");
    }

    #[test]
    fn empty_list() {
        let (mut out, stdout, _) = Output::captured(OutputFormat::Json);
        out.list(&["id"]).finish().unwrap();
        assert_eq!(stdout.text(), "[]\n");
        let (mut out, stdout, _) = Output::captured(OutputFormat::Table);
        out.list(&["id"]).finish().unwrap();
        assert_eq!(stdout.text(), "");
    }

    #[test]
    fn record_in_every_format() {
        let fields = [("id", "a1".to_string()), ("subject", "two\nlines".to_string())];
        let rec = Rec { id: "a1", subject: "hi" };
        let run = |f| {
            let (mut out, stdout, _) = Output::captured(f);
            out.record(&rec, &fields).unwrap();
            out.flush().unwrap();
            stdout.text()
        };
        assert_eq!(run(OutputFormat::Table), "id       a1\nsubject  two lines\n");
        assert_eq!(run(OutputFormat::Plain), "id\ta1\nsubject\ttwo lines\n");
        assert_eq!(run(OutputFormat::Json), "{\"id\":\"a1\",\"subject\":\"hi\"}\n");
        assert_eq!(run(OutputFormat::Ndjson), "{\"id\":\"a1\",\"subject\":\"hi\"}\n");
    }

    #[test]
    fn table_helper_keys_json_by_header() {
        let (mut out, stdout, _) = Output::captured(OutputFormat::Ndjson);
        out.table(&["ID", "Last Seen"], vec![vec!["x".into(), "now".into()]]).unwrap();
        assert_eq!(stdout.text(), "{\"id\":\"x\",\"last_seen\":\"now\"}\n");
    }

    #[test]
    fn status_goes_to_stderr_and_quiet_hides_it() {
        let (out, stdout, stderr) = Output::captured(OutputFormat::Plain);
        out.status("saved");
        out.warn("careful");
        assert_eq!(stdout.text(), "");
        assert_eq!(stderr.text(), "saved\nwarning: careful\n");
        let (out, _, stderr) = Output::captured(OutputFormat::Plain);
        let out = out.with_quiet(true);
        out.status("saved");
        assert_eq!(stderr.text(), "");
    }

    struct Closed;
    impl Write for Closed {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "closed"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "closed"))
        }
    }

    #[test]
    fn closed_pipe_is_quiet_success() {
        let (mut out, _, _) = Output::captured(OutputFormat::Ndjson);
        out.stdout = Box::new(Closed);
        let err = out.ndjson_line(&RECS[0]).unwrap_err();
        assert_eq!(err.kind, crate::cli::error::ErrorKind::PipeClosed);
        assert_eq!(err.exit_code(), 0);
        out.format = OutputFormat::Json;
        let err = out.json(&RECS[0]).unwrap_err();
        assert_eq!(err.exit_code(), 0);
    }
}
