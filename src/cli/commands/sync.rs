//! `cpmctl sync DIR`: mirror a box into a local directory (a Maildir per folder, one file per
//! object, an index in `DIR/.cpmctl/`). Thin: parse, call `mirror::sync`, render.

use std::path::PathBuf;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::progress::Progress;
use crate::mirror::{self, MirrorError, SyncOptions, SyncReporter, SyncSummary};

/// `--concurrency` when not given (see the option).
const DEFAULT_CONCURRENCY: u64 = 16;

/// Mirror a box into a local directory and bring it up to date with the store.
///
/// Every folder becomes a Maildir (`cur/ new/ tmp/`) at its path under DIR, every object one
/// RFC 5322 file in the CPM IMAP form named after its id with its flags as Maildir letters.
/// `DIR/.cpmctl/` holds the index (object id ↔ file, flags, hashes), the lock and the trash.
/// The first run downloads everything; later runs fetch what is new, rename or move files whose
/// flags or folder changed and move files of deleted objects to `.cpmctl/trash/`.
/// Changes made in the mirror go to the store first: a file renamed to other Maildir letters
/// changes the object's flags, a message file dropped into a folder's `new/` or `cur/` is
/// created there, and a file deleted in the mirror is deleted on the store only with `--delete`
/// (otherwise it comes back). Flags merge: added on either side stays, removed on either goes.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl sync ~/mirror/alice            # first time: download the whole box
  cpmctl sync ~/mirror/alice            # later: apply what changed on the store
  cpmctl sync --dry-run ~/mirror/alice  # counts only, writes nothing
  cpmctl sync --delete ~/mirror/alice   # files deleted in the mirror are deleted on the store
  cpmctl sync --watch ~/mirror/alice    # then keep applying changes as they happen (Ctrl-C)
  cpmctl check ~/mirror/alice           # is the mirror identical to the store?")]
pub struct SyncArgs {
    /// The mirror directory (created when missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Objects downloaded at once.
    // 16, as `get`'s: on 2 cores a first-time sync of 10,000 objects against a local `serve`
    // was faster than with 8 in 36 of 60 paired runs (0.965x; 20 of 35 in `cargo bench --bench
    // sync`, 0.98x), with about a quarter less of the cores idle, while wrk's rate on the same
    // server is no better at 16 connections than at 8: with 8, the server more often ran out
    // of requests while the client's single async thread was busy.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub concurrency: u64,
    /// Plan and print the counts; write nothing at all (not the index, not the lock).
    #[arg(long)]
    pub dry_run: bool,
    /// Reconcile from a full listing as on the first run (files matching by id are kept).
    #[arg(long)]
    pub resync: bool,
    /// Delete files of objects gone from the store instead of moving them to `.cpmctl/trash/`.
    #[arg(long)]
    pub no_trash: bool,
    /// Objects per search page; the index is committed after each page (pages of small objects
    /// in batches of up to 5 pages or 8 MiB of payload).
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=1000), hide = true)]
    pub page_size: u64,
    /// How long a steady-state run waits after the last replayed change list for another (ms),
    /// when the lists do not end at the store's current restartToken.
    #[arg(long, value_name = "MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(50..=60_000), hide = true)]
    pub quiet_ms: u64,
    /// A full reconciling run deletes at most this many of the mirror's objects (`N`) or this
    /// share of them (`P%`); more refuse the run and delete nothing (exit 7).
    #[arg(long, value_name = "N|P%", default_value = "50%", value_parser = mirror::DeleteLimit::parse)]
    pub max_delete: mirror::DeleteLimit,
    /// Files deleted in the mirror are deleted on the store too (without it they come back).
    #[arg(long)]
    pub delete: bool,
    /// Only bring the store's changes into the mirror; push nothing.
    #[arg(long, conflicts_with = "push_only")]
    pub pull_only: bool,
    /// Only push the mirror's changes to the store; pull nothing.
    #[arg(long)]
    pub push_only: bool,
    /// After catching up, stay on the notification channel and apply each change as it
    /// arrives; Ctrl-C finishes the change in hand, commits it and exits 130.
    #[arg(long, conflicts_with_all = ["dry_run", "push_only"])]
    pub watch: bool,
}

/// Progress of the engine on the terminal's bar or log lines.
struct Bar(Progress);

impl SyncReporter for Bar {
    fn object_done(&self, bytes: u64) {
        self.0.add_bytes(bytes);
        self.0.inc();
    }
    fn expect(&self, total: u64) {
        self.0.set_total(total);
    }
    fn note(&self, message: &str) {
        // Notes carry ids, file names and reasons from the server or the disk: one clean line.
        self.0.println(&format!("note: {}", crate::cli::output::sanitize(message)));
    }
}

pub async fn run(ctx: &mut Ctx, args: SyncArgs) -> Result<(), CliError> {
    let client = ctx.client().await?;
    let opts = SyncOptions {
        dir: args.dir.clone(),
        concurrency: usize::try_from(args.concurrency).unwrap_or(DEFAULT_CONCURRENCY as usize),
        dry_run: args.dry_run,
        resync: args.resync,
        no_trash: args.no_trash,
        page_size: args.page_size,
        quiet_ms: args.quiet_ms,
        max_delete: args.max_delete,
        delete: args.delete,
        pull_only: args.pull_only,
        push_only: args.push_only,
        watch: args.watch,
    };
    let progress = ctx.out.progress(None, "sync");
    // Ctrl-C asks the watch to stop between change lists (the list in hand is committed).
    let stop = std::sync::Arc::new(tokio::sync::Notify::new());
    let waiter = args.watch.then(|| {
        let stop = std::sync::Arc::clone(&stop);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                stop.notify_one();
            }
        })
    });
    let result = mirror::sync_until(&client, &opts, &Bar(progress.clone()), Some(&stop)).await;
    if let Some(w) = waiter {
        w.abort();
    }
    progress.finish();
    let summary = result.map_err(error)?;
    emit(ctx, &summary)?;
    if summary.interrupted {
        return Err(CliError::interrupted());
    }
    Ok(())
}

/// The exit code and words for each way a mirror run stops.
pub fn error(e: MirrorError) -> CliError {
    match e {
        MirrorError::Locked(l @ mirror::lock::LockError::Held { .. }) => {
            CliError::refused(l.to_string()).hint("wait for it to finish; a lock of a process that died is taken over")
        }
        MirrorError::Locked(l) => CliError::failure(l.to_string()),
        e @ MirrorError::WrongBox { .. } => {
            CliError::usage(e.to_string()).hint("use another directory, or the server, store and box it was made for")
        }
        e @ MirrorError::NotAMirror(_) => CliError::usage(e.to_string()),
        e @ MirrorError::DeleteGuard { .. } => CliError::refused(e.to_string())
            .hint("nothing was deleted; check the box, then re-run with --max-delete 100% if the deletions are right"),
        MirrorError::Nms(e) => e.into(),
        e => CliError::failure(e.to_string()),
    }
}

fn emit(ctx: &mut Ctx, s: &SyncSummary) -> Result<(), CliError> {
    if ctx.out.is_machine() {
        return ctx.out.json(s);
    }
    let verb = if s.dry_run { "would sync" } else { "synced" };
    let line = format!(
        "{verb}: {} downloaded, {} updated, {} moved, {} deleted, {} unchanged; pushed {} uploaded, {} flag changes, {} deleted; folders {} created, {} moved, {} deleted; {} bytes in {:.1}s\n",
        s.downloaded,
        s.updated,
        s.moved,
        s.deleted,
        s.unchanged,
        s.uploaded,
        s.flags_pushed,
        s.deleted_on_store,
        s.folders_created,
        s.folders_moved,
        s.folders_deleted,
        s.bytes,
        s.seconds
    );
    ctx.out.write_bytes(line.as_bytes())?;
    ctx.out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::{Output, OutputFormat};

    #[test]
    fn notes_reach_the_terminal_sanitised() {
        let (out, _, stderr) = Output::captured(OutputFormat::Plain);
        let bar = Bar(out.progress(None, "sync"));
        bar.note("the store refused it (400 \u{1b}[2Jbad\u{7})");
        let text = stderr.text();
        assert!(text.starts_with("note: the store refused it (400 ") && !text.contains('\u{1b}'), "{text:?}");
        assert!(!text.contains('\u{7}'), "{text:?}");
    }
}
