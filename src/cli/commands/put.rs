//! `cpmctl put FILE…|-`: stores files as message objects (one object per file, or one object
//! from `--json` with the files as its parts). Many files go through bulkCreation in
//! batches, falling back to one POST per object when the server refuses bulk requests.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::nms::NmsClient;
use crate::wire::{self, Object};

use super::common::args::ComposeArgs;
use crate::cli::output::progress::Progress;
use crate::import::{ImportError, ImportReporter, Outcome, PutOptions, RecordResult, put};
use crate::message::compose::creatable;
use crate::message::create::{Input, Plan};
use crate::message::files::expand_inputs;
use crate::nms::items::batch::MAX_BULK;

/// Store files as message objects.
///
/// Each FILE becomes one object whose payload is the file (content type guessed from the
/// name, `--content-type` to override) with attributes from the flags. A directory stands
/// for the files in it. With `--context sms` and a text file, TextContent and the SMS
/// correlationTag are set too. `--json OBJECT.json` stores one full object instead, with
/// the FILEs as its payload parts. Prints the new ids (`-o json`: records).
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl put photo.jpg --context file --from tel:+15550002222 --to tel:+15550001111 \\
      --folder /RCSMessageStore/conv-1
  echo 'See you at 8' | cpmctl put - --context sms --from tel:+15550002222 --to tel:+15550001111
  cpmctl put ./export/ --context sms --direction in --from tel:+15550002222 --concurrency 8
  cpmctl put --json object.json picture.png          # a full object with one part")]
pub struct PutArgs {
    /// Files or directories to store; `-` reads one payload from stdin.
    #[arg(value_name = "FILE|-")]
    pub files: Vec<PathBuf>,
    /// Folder path (created when missing) or folder id to store into.
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
    /// A full object (JSON `object`, wrapped or bare) to store; FILEs become its parts.
    #[arg(long, value_name = "OBJECT.json")]
    pub json: Option<PathBuf>,
    #[command(flatten)]
    pub compose: ComposeArgs,
    /// Also take files from sub-directories.
    #[arg(short = 'r', long)]
    pub recursive: bool,
    /// Parallel requests.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
    /// Objects per bulkCreation request (at most 100).
    #[arg(long, value_name = "N", default_value_t = MAX_BULK, hide = true)]
    pub batch_size: usize,
    /// One POST per object instead of bulkCreation.
    #[arg(long)]
    pub no_bulk: bool,
    /// Keep stdin exactly as read (by default one trailing newline, what `echo` adds, is
    /// dropped from text on stdin, so an SMS's correlationTag matches what a phone computes).
    #[arg(long)]
    pub raw: bool,
}

pub async fn run(ctx: &mut Ctx, args: PutArgs) -> Result<(), CliError> {
    ctx.out.expect_results();
    if args.files.is_empty() && args.json.is_none() {
        return Err(CliError::usage("nothing to store: give FILEs, `-` for stdin, or --json OBJECT.json"));
    }
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(CliError::usage("`-` (stdin) can be given only once"));
    }
    let paths = expand_inputs(&args.files, args.recursive).map_err(|e| CliError::usage(e.to_string()))?;
    let inputs: Vec<Input> = paths.into_iter().map(Input::new).collect();
    let stdin = if inputs.iter().any(Input::is_stdin) {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .map_err(|e| CliError::usage(format!("reading stdin: {e}")))?;
        if !args.raw && std::str::from_utf8(&buf).is_ok() {
            drop_one_newline(&mut buf);
        }
        Some(Arc::new(buf))
    } else {
        None
    };
    let mut template = match &args.json {
        Some(p) => {
            let text = std::fs::read(p).map_err(|e| CliError::usage(format!("{}: {e}", p.display())))?;
            creatable(
                wire::decode::<Object>(&text)
                    .map_err(|e| CliError::usage(format!("{}: not an NMS object: {e}", p.display())))?,
            )
        }
        None => Object::default(),
    };
    let client = ctx.client().await?;
    if let Some(f) = &args.folder {
        if f.starts_with('/') {
            template.parent_folder_path = Some(f.trim_end_matches('/').to_string()).filter(|s| !s.is_empty());
            if template.parent_folder_path.is_none() {
                template.parent_folder = Some(crate::nms::items::resolve::folder(&client, Some("/")).await?.url);
            } else {
                template.parent_folder = None;
            }
        } else {
            template.parent_folder = Some(client.folder_url(f).to_string());
            template.parent_folder_path = None;
        }
    }
    let plan = Arc::new(Plan { compose: args.compose.compose(), template, stdin, now: Timestamp::now() });
    if inputs.is_empty() && args.json.is_none() {
        return Err(CliError::usage("no files found in the given directories"));
    }
    put_many(ctx, client, plan, inputs, &args).await
}

fn emit(ctx: &mut Ctx, id: &str, file: &str, url: &str) -> Result<(), CliError> {
    let rec = serde_json::json!({"id": id, "kind": "object", "file": file, "url": url});
    if ctx.out.is_machine() {
        ctx.out.result(&rec)
    } else {
        ctx.out.write_bytes(crate::cli::output::table::plain_line(&[id.to_string(), file.to_string()]).as_bytes())
    }
}

/// One trailing line break (`\n` or `\r\n`) removed, as `echo` and editors add one.
fn drop_one_newline(buf: &mut Vec<u8>) {
    if buf.ends_with(b"\r\n") {
        buf.truncate(buf.len() - 2);
    } else if buf.ends_with(b"\n") {
        buf.pop();
    }
}

/// Progress of the run on the terminal's bar or log lines.
struct Bar(Progress);

impl ImportReporter for Bar {
    fn total_hint(&self, _records: u64) {}
    fn record(&self, r: &RecordResult) {
        match r.outcome {
            Outcome::Created | Outcome::WouldCreate => self.0.inc(),
            Outcome::Present => self.0.add_skipped(1),
            Outcome::Rejected | Outcome::Failed => self.0.fail(&r.source, r.reason.as_deref().unwrap_or("failed")),
        }
    }
    fn note(&self, message: &str) {
        self.0.println(&format!("note: {}", crate::cli::output::sanitize(message)));
    }
}

/// Files through the import engine (one object each, or with `--json` one object of them all):
/// batches, the ledger (a re-run stores nothing twice) and per-object results; what an earlier
/// run stored prints its existing id.
async fn put_many(
    ctx: &mut Ctx,
    client: NmsClient,
    plan: Arc<Plan>,
    inputs: Vec<Input>,
    args: &PutArgs,
) -> Result<(), CliError> {
    let combined = args.json.is_some();
    let per = if args.no_bulk || combined || inputs.len() == 1 { 1 } else { args.batch_size.clamp(1, MAX_BULK) };
    let opts = PutOptions {
        ledger: ctx.paths()?.data_dir.join("import-ledger.sqlite"),
        per,
        concurrency: args.concurrency,
        combined,
    };
    let sizes: std::collections::HashMap<String, u64> = inputs.iter().map(|i| (i.label(), i.size)).collect();
    let objects = if combined { 1 } else { inputs.len() as u64 };
    let progress = ctx.out.progress(Some(objects), "put");
    let bar = Bar(progress.clone());
    let mut out_err: Option<CliError> = None;
    let result = put(&client, plan, inputs, &opts, &bar, |r| {
        let Some(id) = r.id.as_deref().filter(|_| matches!(r.outcome, Outcome::Created | Outcome::Present)) else {
            return true;
        };
        progress.add_bytes(sizes.get(&r.source).copied().unwrap_or(0));
        let url = client.object_url(id).to_string();
        match emit(ctx, id, &r.source, &url) {
            Ok(()) => true,
            Err(e) => {
                out_err = Some(e);
                false
            }
        }
    })
    .await;
    ctx.out.flush()?;
    progress.finish();
    if let Some(e) = out_err {
        return Err(e);
    }
    let summary = result.map_err(|e| match e {
        ImportError::Usage(m) => CliError::usage(m),
        ImportError::Local(m) => CliError::failure(m),
        ImportError::Nms(e) => (*e).into(),
    })?;
    let failed = summary.failed + summary.rejected;
    if failed == 0 {
        return Ok(());
    }
    if summary.imported == 0 && summary.already_present == 0 {
        return Err(CliError::failure(format!("put: nothing stored, all {failed} files failed (see above)")));
    }
    Err(CliError::partial(format!(
        "put: {failed} of {} files failed",
        failed + summary.imported + summary.already_present
    )))
}
