//! `cpmctl import FILE…|DIR|-`: message histories (SMS Backup & Restore XML, mbox, EML, Maildir,
//! cpmctl's JSONL export) into the box, idempotent and resumable. Thin: parse, call
//! `import::run`, render the per-record results and the summary.

use std::path::PathBuf;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::progress::Progress;
use crate::import::{self, Format, ImportError, ImportReporter, Options, Outcome, RecordResult, Summary};
use crate::nms::items::batch::MAX_BULK;

/// The `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// Recognised by content, file by file.
    Auto,
    /// SMS Backup & Restore XML.
    Smsbr,
    Mbox,
    Eml,
    Maildir,
    /// cpmctl's `messages.jsonl` (an export).
    Jsonl,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Auto => Format::Auto,
            FormatArg::Smsbr => Format::Smsbr,
            FormatArg::Mbox => Format::Mbox,
            FormatArg::Eml => Format::Eml,
            FormatArg::Maildir => Format::Maildir,
            FormatArg::Jsonl => Format::Jsonl,
        }
    }
}

/// Import message histories into the box.
///
/// Reads SMS Backup & Restore XML backups, mbox files, EML files, Maildir folders and cpmctl's
/// own exports (every `messages.jsonl` in a directory), recognised by content. Each message goes
/// to its conversation folder under /RCSMessageStore (or all to `--folder`), through
/// bulkCreation in batches of 100. Importing the same file again, or an overlapping newer
/// backup, creates only what is not there yet: a ledger in the data directory remembers what
/// was imported, and every batch is compared with the store first. An interrupted run (Ctrl-C,
/// kill) is finished by running the same command again. Records that cannot be read go to
/// `rejects.<ext>` and `rejects.log` in `--rejects DIR`; the run goes on and exits 6.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl import sms-20240501.xml                 # an SMS Backup & Restore backup
  cpmctl import sms-20240601.xml                 # a newer one: only the new messages
  cpmctl import --dry-run -o ndjson backup.xml   # what would be created; writes nothing
  cpmctl import ~/Maildir --folder /Imported     # a Maildir, all into one folder
  cpmctl import ./export/                        # every messages.jsonl of an export
  gunzip -c backup.xml.gz | cpmctl import -")]
pub struct ImportArgs {
    /// Files or directories to import; `-` reads stdin.
    #[arg(value_name = "FILE|DIR|-", required = true)]
    pub inputs: Vec<PathBuf>,
    /// The input format (auto: recognised by content).
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,
    /// One folder for everything (path, created when missing, or folder id) instead of the
    /// conversation folders.
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
    /// Read and map everything and print what would be created; write nothing at all (not the
    /// ledger, not the rejects).
    #[arg(long)]
    pub dry_run: bool,
    /// bulkCreation requests in flight.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub concurrency: u64,
    /// Where `rejects.<ext>` and `rejects.log` are written when records are rejected.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub rejects: PathBuf,
    /// Objects per bulkCreation request (at most 100).
    #[arg(long, value_name = "N", default_value_t = MAX_BULK, hide = true)]
    pub batch_size: usize,
}

/// Progress of the engine on the terminal's bar or log lines.
struct Bar(Progress);

impl ImportReporter for Bar {
    fn total_hint(&self, records: u64) {
        self.0.set_total(records);
    }
    fn record(&self, r: &RecordResult) {
        match r.outcome {
            Outcome::Created | Outcome::WouldCreate => self.0.inc(),
            Outcome::Present => self.0.add_skipped(1),
            Outcome::Rejected | Outcome::Failed => {
                let what = format!("{} {}", r.source, r.position);
                self.0.fail(&what, r.reason.as_deref().unwrap_or("failed"));
            }
        }
    }
    fn note(&self, message: &str) {
        self.0.println(&format!("note: {}", crate::cli::output::sanitize(message)));
    }
}

pub async fn run(ctx: &mut Ctx, args: ImportArgs) -> Result<(), CliError> {
    ctx.out.expect_results();
    if args.inputs.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(CliError::usage("`-` (stdin) can be given only once"));
    }
    let ledger = ctx.paths()?.data_dir.join("import-ledger.sqlite");
    let client = ctx.client().await?;
    let opts = Options {
        inputs: args.inputs.clone(),
        format: args.format.into(),
        folder: args.folder.clone(),
        dry_run: args.dry_run,
        concurrency: usize::try_from(args.concurrency).unwrap_or(4),
        batch_size: args.batch_size,
        ledger,
        rejects_dir: args.rejects.clone(),
        own_address: client.box_id().to_string(),
    };
    let progress = ctx.out.progress(None, "import");
    let bar = Bar(progress.clone());
    let mut out_err: Option<CliError> = None;
    let machine = ctx.out.is_machine();
    let result = import::run(&client, &opts, &bar, |r| {
        let written = if machine {
            ctx.out.result(r)
        } else {
            let line = crate::cli::output::table::plain_line(&[
                r.id.clone().unwrap_or_else(|| "-".into()),
                outcome_word(r.outcome).to_string(),
                r.source.clone(),
                r.position.clone(),
            ]);
            ctx.out.write_bytes(line.as_bytes())
        };
        match written {
            Ok(()) => true,
            Err(e) => {
                out_err = Some(e);
                false
            }
        }
    })
    .await;
    progress.finish();
    ctx.out.flush()?;
    if let Some(e) = out_err {
        return Err(e);
    }
    let summary = result.map_err(error)?;
    report(ctx, &summary);
    if summary.rejected > 0 || summary.failed > 0 {
        return Err(CliError::partial(format!(
            "import: {} rejected, {} failed{}",
            summary.rejected,
            summary.failed,
            summary.rejects_log.as_ref().map(|l| format!(" (see {l})")).unwrap_or_default()
        )));
    }
    Ok(())
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Created => "created",
        Outcome::Present => "present",
        Outcome::WouldCreate => "would-create",
        Outcome::Rejected => "rejected",
        Outcome::Failed => "failed",
    }
}

/// The summary line on stderr (always, unless `-q`).
fn report(ctx: &Ctx, s: &Summary) {
    let verb = if s.dry_run { "would import" } else { "imported" };
    let rate = if s.seconds > 0.0 { s.imported as f64 / s.seconds } else { 0.0 };
    ctx.out.status(format!(
        "{verb} {}, already present {}, rejected {}, failed {}; {:.1}s ({rate:.0}/s)",
        s.imported, s.already_present, s.rejected, s.failed, s.seconds
    ));
    if let Some(f) = &s.rejects {
        ctx.out.status(format!("rejected records: {f}"));
    }
}

fn error(e: ImportError) -> CliError {
    match e {
        ImportError::Usage(m) => CliError::usage(m),
        ImportError::Local(m) => CliError::failure(m),
        ImportError::Nms(e) => (*e).into(),
    }
}
