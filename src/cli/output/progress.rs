//! Progress of bulk work on stderr: an indicatif bar on a terminal, a plain line every few seconds
//! with `--progress log`, and a one-line summary at the end (`done N, failed N, skipped N in 1.2s`).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{ProgressMode, SharedWriter, write_shared};

/// The bar currently drawn on stderr, so that writes to a terminal stdout can hide it while
/// they print: otherwise a row printed under a live bar leaves a stale bar frame behind.
static ACTIVE_BAR: Mutex<Option<ProgressBar>> = Mutex::new(None);

fn set_active(bar: Option<&ProgressBar>) {
    if let Ok(mut active) = ACTIVE_BAR.lock() {
        *active = bar.cloned();
    }
}

/// Runs `f` with the active bar (if any) hidden.
pub fn suspend_bar<R>(f: impl FnOnce() -> R) -> R {
    let bar = ACTIVE_BAR.lock().ok().and_then(|b| b.clone());
    match bar {
        Some(bar) => bar.suspend(f),
        None => f(),
    }
}

/// A writer that hides the progress bar around every write, for stdout on a terminal.
pub struct BarAwareWriter<W>(pub W);

impl<W: std::io::Write> std::io::Write for BarAwareWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        suspend_bar(|| {
            let n = self.0.write(buf)?;
            self.0.flush()?;
            Ok(n)
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        suspend_bar(|| self.0.flush())
    }
}

/// The indicatif template of the bar: count, rate and (with a known total) ETA, so a long
/// run says how fast it goes and when it ends rather than a bare `600/3000` (issue 14, item 13).
fn bar_template(total_known: bool) -> &'static str {
    if total_known {
        "{spinner} {prefix} [{bar:30}] {pos}/{len} {rate} ETA {eta}{moved} {wide_msg} {elapsed}"
    } else {
        "{spinner} {prefix} {pos} {rate}{moved} {wide_msg} {elapsed}"
    }
}

/// The `{moved}` part of the bar: ` 1.2 MiB (300 KiB/s)`, or nothing before any byte moved.
fn moved_text(bytes: u64, elapsed: Duration) -> String {
    if bytes == 0 {
        return String::new();
    }
    let secs = elapsed.as_secs_f64().max(0.001);
    // Truncation is fine: the rate is shown rounded anyway.
    let rate = (bytes as f64 / secs) as u64;
    format!(" {} ({}/s)", indicatif::HumanBytes(bytes), indicatif::HumanBytes(rate))
}

/// The `{rate}` part of the bar: items per second, whole above 10 (`2519/s`; indicatif's own
/// `{per_sec}` shows `2,519.345/s`, which reads as two and a half thousand, or million).
fn rate_text(per_sec: f64) -> String {
    if !per_sec.is_finite() || per_sec <= 0.0 {
        "0/s".to_string()
    } else if per_sec < 10.0 {
        format!("{per_sec:.1}/s")
    } else {
        format!("{per_sec:.0}/s")
    }
}

/// Styles the bar: with a total (count of total, rate, ETA) or without (count and rate).
fn set_bar_style(bar: &ProgressBar, counters: &Arc<Counters>, total_known: bool) {
    if let Ok(style) = ProgressStyle::with_template(bar_template(total_known)) {
        let moved = Arc::clone(counters);
        let style = style.with_key("moved", move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&moved_text(moved.bytes.load(Ordering::Relaxed), state.elapsed()));
        });
        let style = style.with_key("rate", |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = w.write_str(&rate_text(state.per_sec()));
        });
        bar.set_style(style.progress_chars("=> "));
    }
}

/// What [`Progress::start`] needs (built by [`super::Output::progress`]).
pub struct ProgressConfig {
    pub total: Option<u64>,
    pub label: String,
    /// Already resolved: `Bar`, `Log` or `None` (`Auto` is treated as `None`).
    pub mode: ProgressMode,
    pub quiet: bool,
    pub interval: Duration,
    pub stderr: SharedWriter,
}

#[derive(Default)]
struct Counters {
    total: AtomicU64,
    total_known: AtomicBool,
    done: AtomicU64,
    failed: AtomicU64,
    skipped: AtomicU64,
    /// Payload bytes moved so far (0: a run that moves no bytes shows none).
    bytes: AtomicU64,
}

impl Counters {
    fn processed(&self) -> u64 {
        self.done.load(Ordering::Relaxed) + self.failed.load(Ordering::Relaxed) + self.skipped.load(Ordering::Relaxed)
    }

    fn line(&self, label: &str, elapsed: Duration) -> String {
        let total = if self.total_known.load(Ordering::Relaxed) {
            format!(" of {}", self.total.load(Ordering::Relaxed))
        } else {
            String::new()
        };
        format!(
            "{}{}{total}: done {}, failed {}, skipped {}{} ({}s)",
            label,
            if label.is_empty() { "progress" } else { "" },
            self.done.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
            self.skipped.load(Ordering::Relaxed),
            // Bytes and their rate, when the run moves any (a log line off a terminal says as
            // much as the bar does on one).
            moved_text(self.bytes.load(Ordering::Relaxed), elapsed),
            elapsed.as_secs()
        )
    }
}

/// Counts at the end of a bulk operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub done: u64,
    pub failed: u64,
    pub skipped: u64,
    pub elapsed: Duration,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "done {}, failed {}, skipped {} in {:.1}s",
            self.done,
            self.failed,
            self.skipped,
            self.elapsed.as_secs_f64()
        )
    }
}

struct Inner {
    label: String,
    counters: Arc<Counters>,
    start: Instant,
    bar: Option<ProgressBar>,
    /// Dropping the sender stops the log ticker thread.
    ticker: Mutex<Option<mpsc::Sender<()>>>,
    stderr: SharedWriter,
    quiet: bool,
    finished: AtomicBool,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            set_active(None);
        }
    }
}

/// A progress reporter. Cheap to clone and `Send + Sync`, so concurrent tasks can share one.
#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

impl Progress {
    pub fn start(cfg: ProgressConfig) -> Progress {
        let counters = Arc::new(Counters::default());
        if let Some(t) = cfg.total {
            counters.total.store(t, Ordering::Relaxed);
            counters.total_known.store(true, Ordering::Relaxed);
        }
        let bar = (cfg.mode == ProgressMode::Bar).then(|| {
            let bar = match cfg.total {
                Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
                None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            };
            set_bar_style(&bar, &counters, cfg.total.is_some());
            bar.set_prefix(cfg.label.clone());
            bar.enable_steady_tick(Duration::from_millis(120));
            set_active(Some(&bar));
            bar
        });
        let start = Instant::now();
        let ticker = (cfg.mode == ProgressMode::Log).then(|| {
            let (tx, rx) = mpsc::channel::<()>();
            let (counters, stderr, label, interval) =
                (Arc::clone(&counters), Arc::clone(&cfg.stderr), cfg.label.clone(), cfg.interval);
            let spawned = std::thread::Builder::new().name("cpmctl-progress".into()).spawn(move || {
                // Wakes every `interval` until the sender is dropped.
                while let Err(mpsc::RecvTimeoutError::Timeout) = rx.recv_timeout(interval) {
                    write_shared(&stderr, &format!("{}\n", counters.line(&label, start.elapsed())));
                }
            });
            spawned.ok().map(|_| tx)
        });
        Progress {
            inner: Arc::new(Inner {
                label: cfg.label,
                counters,
                start,
                bar,
                ticker: Mutex::new(ticker.flatten()),
                stderr: cfg.stderr,
                quiet: cfg.quiet,
                finished: AtomicBool::new(false),
            }),
        }
    }

    fn tick_bar(&self) {
        if let Some(bar) = &self.inner.bar {
            bar.set_position(self.inner.counters.processed());
        }
    }

    /// One item succeeded.
    pub fn inc(&self) {
        self.add_done(1);
    }

    pub fn add_done(&self, n: u64) {
        self.inner.counters.done.fetch_add(n, Ordering::Relaxed);
        self.tick_bar();
    }

    /// Payload bytes moved (uploaded or downloaded), shown on the bar with their rate.
    pub fn add_bytes(&self, n: u64) {
        self.inner.counters.bytes.fetch_add(n, Ordering::Relaxed);
    }

    pub fn add_failed(&self, n: u64) {
        self.inner.counters.failed.fetch_add(n, Ordering::Relaxed);
        self.tick_bar();
    }

    pub fn add_skipped(&self, n: u64) {
        self.inner.counters.skipped.fetch_add(n, Ordering::Relaxed);
        self.tick_bar();
    }

    /// One item failed: counts it and prints `error: ITEM: REASON` on stderr (above the bar).
    pub fn fail(&self, item: &str, reason: impl fmt::Display) {
        self.add_failed(1);
        self.println(&format!("error: {}: {reason}", super::sanitize(item)));
    }

    /// An item failed, said in a sentence that names it.
    pub fn fail_in_words(&self, sentence: &str) {
        self.add_failed(1);
        self.println(&format!("error: {}", super::sanitize(sentence)));
    }

    /// Sets or changes the total (e.g. once a listing has been counted).
    pub fn set_total(&self, total: u64) {
        self.inner.counters.total.store(total, Ordering::Relaxed);
        let was_known = self.inner.counters.total_known.swap(true, Ordering::Relaxed);
        if let Some(bar) = &self.inner.bar {
            bar.set_length(total);
            // A bar started without a total gets the one with the ETA once the total is known.
            if !was_known {
                set_bar_style(bar, &self.inner.counters, true);
            }
        }
    }

    /// A short message next to the bar (e.g. the current file name).
    pub fn set_message(&self, msg: &str) {
        if let Some(bar) = &self.inner.bar {
            bar.set_message(super::sanitize(msg).into_owned());
        }
    }

    /// A line on stderr that does not break the bar.
    pub fn println(&self, line: &str) {
        let text = format!("{line}\n");
        match &self.inner.bar {
            Some(bar) => bar.suspend(|| write_shared(&self.inner.stderr, &text)),
            None => write_shared(&self.inner.stderr, &text),
        }
    }

    /// Counts so far.
    pub fn summary(&self) -> Summary {
        let c = &self.inner.counters;
        Summary {
            done: c.done.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            skipped: c.skipped.load(Ordering::Relaxed),
            elapsed: self.inner.start.elapsed(),
        }
    }

    /// Stops the bar / log lines and prints the summary line (unless `-q`). Idempotent.
    pub fn finish(&self) -> Summary {
        let summary = self.summary();
        if self.inner.finished.swap(true, Ordering::Relaxed) {
            return summary;
        }
        if let Ok(mut t) = self.inner.ticker.lock() {
            t.take();
        }
        if let Some(bar) = &self.inner.bar {
            bar.finish_and_clear();
            set_active(None);
        }
        if !self.inner.quiet {
            let label = if self.inner.label.is_empty() { String::new() } else { format!("{}: ", self.inner.label) };
            // Bytes moved and their mean rate end the line when the run moved any.
            let moved = moved_text(self.inner.counters.bytes.load(Ordering::Relaxed), summary.elapsed);
            write_shared(&self.inner.stderr, &format!("{label}{summary}{moved}\n"));
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Output, OutputFormat};
    use super::*;

    #[test]
    fn summary_line_counts_everything() {
        let (out, _, stderr) = Output::captured(OutputFormat::Plain);
        let p = out.progress(Some(4), "put");
        p.inc();
        p.add_done(1);
        p.add_skipped(1);
        p.fail("file\x1b[2J.txt", "too large");
        let s = p.finish();
        assert_eq!((s.done, s.failed, s.skipped), (2, 1, 1));
        let text = stderr.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "error: file.txt: too large");
        assert!(lines[1].starts_with("put: done 2, failed 1, skipped 1 in "), "{text}");
        assert!(lines[1].ends_with('s'));
        // finish twice prints once
        p.finish();
        assert_eq!(stderr.text().lines().count(), 2);
    }

    #[test]
    fn summary_display() {
        let s = Summary { done: 3, failed: 0, skipped: 2, elapsed: Duration::from_millis(1234) };
        assert_eq!(s.to_string(), "done 3, failed 0, skipped 2 in 1.2s");
    }

    #[test]
    fn log_mode_writes_plain_lines() {
        let (out, _, stderr) = Output::captured(OutputFormat::Plain);
        let out = out.with_progress(ProgressMode::Log, Duration::from_millis(1));
        let p = out.progress(Some(10), "rm");
        p.add_done(3);
        // Wait for at least one tick without asserting on timing: poll the buffer.
        while !stderr.text().contains("rm of 10: done") {
            std::thread::yield_now();
        }
        p.finish();
        let text = stderr.text();
        assert!(text.lines().last().unwrap().starts_with("rm: done 3, failed 0, skipped 0 in "), "{text}");
    }

    #[test]
    fn bar_templates_parse_and_show_rate_and_eta() {
        for known in [true, false] {
            assert!(ProgressStyle::with_template(bar_template(known)).is_ok(), "{known}");
            assert!(bar_template(known).contains("{rate}"));
        }
        assert!(bar_template(true).contains("{eta}"));
    }

    #[test]
    fn the_rate_is_a_plain_number_per_second() {
        assert_eq!(rate_text(2519.345), "2519/s");
        assert_eq!(rate_text(12.5), "12/s");
        assert_eq!(rate_text(3.25), "3.2/s");
        assert_eq!(rate_text(0.0), "0/s");
        assert_eq!(rate_text(f64::INFINITY), "0/s");
    }

    #[test]
    fn moved_bytes_with_rate() {
        assert_eq!(moved_text(0, Duration::from_secs(1)), "");
        assert_eq!(moved_text(2048, Duration::from_secs(2)), " 2.00 KiB (1.00 KiB/s)");
    }

    #[test]
    fn log_and_summary_lines_show_bytes_when_moved() {
        let (out, _, stderr) = Output::captured(OutputFormat::Plain);
        let out = out.with_progress(ProgressMode::Log, Duration::from_millis(1));
        let p = out.progress(None, "sync");
        p.add_done(2);
        p.add_bytes(4096);
        while !stderr.text().contains("4.00 KiB") {
            std::thread::yield_now();
        }
        p.set_total(5);
        p.finish();
        let text = stderr.text();
        let last = text.lines().last().unwrap();
        assert!(last.starts_with("sync: done 2, failed 0, skipped 0 in ") && last.contains(" 4.00 KiB ("), "{text}");
    }

    #[test]
    fn quiet_prints_nothing() {
        let (out, _, stderr) = Output::captured(OutputFormat::Plain);
        let p = out.with_quiet(true).progress(None, "x");
        p.inc();
        assert_eq!(p.finish().done, 1);
        assert_eq!(stderr.text(), "");
    }
}
