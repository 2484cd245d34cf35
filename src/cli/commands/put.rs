//! `cpmctl put FILE…|-`: stores files as message objects (one object per file, or one object
//! from `--json` with the files as its parts). Many files go through bulkCreation in
//! batches, falling back to one POST per object when the server refuses bulk requests.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use jiff::Timestamp;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::Progress;
use crate::nms::{NewObject, NmsClient};
use crate::wire::{self, Object};

use super::common::args::ComposeArgs;
use super::common::id_of;
use crate::message::compose::{Payload, creatable};
use crate::message::files::{expand_inputs, guess_content_type};
use crate::nms::items::batch::{self, MAX_BULK, MAX_BULK_BYTES};
use crate::nms::items::bulk::{Failure, Tally, bulk_refused};

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
}

/// One input: a file path or stdin, with its size for batching.
#[derive(Debug, Clone)]
struct Input {
    path: PathBuf,
    size: u64,
}

impl Input {
    fn label(&self) -> String {
        if self.is_stdin() { "stdin".into() } else { self.path.display().to_string() }
    }

    fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// What every object of the run shares.
struct Plan {
    compose: ComposeArgs,
    template: Object,
    stdin: Option<Arc<Vec<u8>>>,
    now: Timestamp,
}

impl Plan {
    async fn payload(&self, input: &Input) -> Result<Payload, String> {
        let (bytes, name) = if input.is_stdin() {
            (self.stdin.as_ref().map(|b| b.as_ref().clone()).unwrap_or_default(), "stdin".to_string())
        } else {
            let bytes = tokio::fs::read(&input.path).await.map_err(|e| e.to_string())?;
            let name = input.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (bytes, name)
        };
        let content_type = match &self.compose.content_type {
            Some(t) => t.clone(),
            None if input.is_stdin() => {
                if std::str::from_utf8(&bytes).is_ok() { "text/plain" } else { "application/octet-stream" }.to_string()
            }
            None => guess_content_type(&input.path),
        };
        Ok(Payload { filename: name, content_type, bytes })
    }

    /// One object per input file.
    async fn object(&self, input: &Input) -> Result<NewObject, String> {
        let payload = self.payload(input).await?;
        let mut object = self.template.clone();
        self.compose.apply(&mut object, Some(&payload), self.now)?;
        Ok(NewObject { object, parts: vec![payload.part()] })
    }
}

/// The result of one item: the new id, or why not (with the kind of failure).
type ItemResult = (Input, Result<String, Failure>);

pub async fn run(ctx: &mut Ctx, args: PutArgs) -> Result<(), CliError> {
    ctx.out.expect_results();
    if args.files.is_empty() && args.json.is_none() {
        return Err(CliError::usage("nothing to store: give FILEs, `-` for stdin, or --json OBJECT.json"));
    }
    if args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1 {
        return Err(CliError::usage("`-` (stdin) can be given only once"));
    }
    let paths = expand_inputs(&args.files, args.recursive).map_err(|e| CliError::usage(e.to_string()))?;
    let mut inputs = Vec::with_capacity(paths.len());
    for p in paths {
        let size = if p.as_os_str() == "-" { 0 } else { std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0) };
        inputs.push(Input { path: p, size });
    }
    let stdin = if inputs.iter().any(Input::is_stdin) {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .map_err(|e| CliError::usage(format!("reading stdin: {e}")))?;
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
    let plan = Arc::new(Plan { compose: args.compose.clone(), template, stdin, now: Timestamp::now() });
    if args.json.is_some() {
        return put_one_json(ctx, &client, &plan, &inputs).await;
    }
    if inputs.is_empty() {
        return Err(CliError::usage("no files found in the given directories"));
    }
    put_many(ctx, client, plan, inputs, &args).await
}

/// `--json`: one object, every file a part of it.
async fn put_one_json(ctx: &mut Ctx, client: &NmsClient, plan: &Plan, inputs: &[Input]) -> Result<(), CliError> {
    let mut parts = Vec::new();
    let mut first = None;
    for i in inputs {
        let p = plan.payload(i).await.map_err(|e| CliError::usage(format!("{}: {e}", i.label())))?;
        parts.push(p.part());
        if first.is_none() {
            first = Some(p);
        }
    }
    let mut object = plan.template.clone();
    plan.compose.apply(&mut object, first.as_ref(), plan.now).map_err(CliError::usage)?;
    let r = client.create_object(&NewObject { object, parts }).await?;
    let id = id_of(&r.resource_url);
    let label = inputs.first().map(Input::label).unwrap_or_else(|| "json".into());
    emit(ctx, &id, &label, &r.resource_url)?;
    ctx.out.flush()
}

fn emit(ctx: &mut Ctx, id: &str, file: &str, url: &str) -> Result<(), CliError> {
    let rec = serde_json::json!({"id": id, "kind": "object", "file": file, "url": url});
    if ctx.out.is_machine() {
        ctx.out.result(&rec)
    } else {
        ctx.out.write_bytes(crate::cli::output::table::plain_line(&[id.to_string(), file.to_string()]).as_bytes())
    }
}

async fn put_many(
    ctx: &mut Ctx,
    client: NmsClient,
    plan: Arc<Plan>,
    inputs: Vec<Input>,
    args: &PutArgs,
) -> Result<(), CliError> {
    let sizes: Vec<u64> = inputs.iter().map(|i| i.size).collect();
    let per = if args.no_bulk || inputs.len() == 1 { 1 } else { args.batch_size.clamp(1, MAX_BULK) };
    let ranges = batch::plan(&sizes, per, MAX_BULK_BYTES);
    let progress = ctx.out.progress(Some(inputs.len() as u64), "put");
    let single = Arc::new(AtomicBool::new(per == 1));
    let inputs = Arc::new(inputs);
    let concurrency = args.concurrency.max(1);
    let mut results = futures::stream::iter(ranges.into_iter().map(|r| {
        let client = client.clone();
        let plan = Arc::clone(&plan);
        let single = Arc::clone(&single);
        let batch: Vec<Input> = inputs[r].to_vec();
        let progress = progress.clone();
        async move { run_batch(&client, &plan, batch, &single, &progress).await }
    }))
    .buffer_unordered(concurrency);
    let mut tally = Tally::default();
    let mut fatal: Option<CliError> = None;
    while let Some(batch) = results.next().await {
        let items = match batch {
            Ok(items) => items,
            Err(e) => {
                fatal = Some(e);
                break;
            }
        };
        for (input, res) in items {
            match res {
                Ok(id) => {
                    tally.ok();
                    progress.inc();
                    let url = client.object_url(&id).to_string();
                    emit(ctx, &id, &input.label(), &url)?;
                }
                Err(f) => {
                    tally.fail(&f);
                    progress.fail(&input.label(), &f.message);
                }
            }
        }
    }
    drop(results);
    ctx.out.flush()?;
    progress.finish();
    if let Some(e) = fatal {
        return Err(e);
    }
    super::common::outcome(&tally, "put")
}

/// Stores one batch; per-item results. A whole-request failure fails every item of the
/// batch (reported per item), except an auth failure, which stops the run (Err).
async fn run_batch(
    client: &NmsClient,
    plan: &Plan,
    batch: Vec<Input>,
    single: &AtomicBool,
    progress: &Progress,
) -> Result<Vec<ItemResult>, CliError> {
    let mut objects = Vec::with_capacity(batch.len());
    let mut out: Vec<ItemResult> = Vec::with_capacity(batch.len());
    let mut ready: Vec<Input> = Vec::with_capacity(batch.len());
    for input in batch {
        match plan.object(&input).await {
            Ok(o) => {
                objects.push(o);
                ready.push(input);
            }
            Err(e) => out.push((input, Err(Failure::item(e)))),
        }
    }
    if objects.is_empty() {
        return Ok(out);
    }
    if !single.load(Ordering::Relaxed) && objects.len() > 1 {
        match client.bulk_create(&objects).await {
            Ok(list) => {
                let n = list.response.len();
                for (i, input) in ready.into_iter().enumerate() {
                    let r = if n == objects.len() { list.response.get(i) } else { None };
                    let res = match r {
                        Some(r) if r.is_success() => match &r.success {
                            Some(s) if !s.resource_url.is_empty() => Ok(id_of(&s.resource_url)),
                            _ => Err(Failure::item("created, but the server sent no reference")),
                        },
                        Some(r) => Err(Failure::item(
                            r.failure
                                .as_ref()
                                .map(|f| f.message())
                                .filter(|m| !m.is_empty())
                                .unwrap_or_else(|| format!("{} {}", r.code, r.reason)),
                        )),
                        None => {
                            Err(Failure::item(format!("the server answered {n} results for {} objects", objects.len())))
                        }
                    };
                    out.push((input, res));
                }
                return Ok(out);
            }
            Err(e) if bulk_refused(&e) => {
                if !single.swap(true, Ordering::Relaxed) {
                    progress.println(&format!("note: bulk creation refused ({e}); storing objects one by one"));
                }
            }
            Err(e) if e.is_auth() => return Err(e.into()),
            Err(e) => {
                let f = Failure::from(&e);
                out.extend(ready.into_iter().map(|i| (i, Err(f.clone()))));
                return Ok(out);
            }
        }
    }
    for (input, o) in ready.into_iter().zip(objects.iter()) {
        match client.create_object(o).await {
            Ok(r) => out.push((input, Ok(id_of(&r.resource_url)))),
            Err(e) if e.is_auth() => return Err(e.into()),
            Err(e) => out.push((input, Err(Failure::from(&e)))),
        }
    }
    Ok(out)
}
