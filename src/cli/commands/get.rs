//! `cpmctl get ID|PATH…`: an object's metadata, or its payload / parts written to files or
//! to a non-terminal stdout. Reading never changes flags.

use std::path::{Path, PathBuf};

use futures::StreamExt;

use crate::cli::context::Ctx;
use crate::cli::error::{CliError, ErrorKind};
use crate::cli::output::OutputFormat;
use crate::nms::NmsClient;

use super::common::rows::human_size;
use crate::fsutil::{AtomicFile, Existing};
use crate::message::files::{Saved, inside, payload_file_name, unique_names};
use crate::message::view::{ObjectView, PartView, display_path, find_part};
use crate::nms::items::resolve::{self, Kind};
use crate::nms::items::targets::{self as ids, Target};

/// Show objects' metadata (attributes, flags, parts), or save their payload.
///
/// `--payload` saves the whole payload, `--part ID` one part (ID from the parts list, its
/// Content-ID, or its number), `--all-parts` every part. Bytes go to `--out FILE`, into
/// `--out DIR` (file names from the server, made safe), or to stdout when it is not a
/// terminal. When parts of several objects go into one directory (or a name repeats), every
/// file is named `OBJECT-PART-NAME`, so no part overwrites or blocks another. With
/// `--all-parts`, objects without payload parts are skipped with a note. Existing files are
/// kept unless `--force`. Reading never sets `\Seen`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl get 01HZX3K4                                # metadata as key/value lines
  cpmctl get /RCSMessageStore/conv-1/01HZX3K4 -o json
  cpmctl get 01HZX3K4 --part 1 --out img.png         # one part into a file
  cpmctl get 01HZX3K4 --all-parts --out export/      # every part into a directory
  cpmctl get 01HZX3K4 --payload > payload.bin        # stdout, when not a terminal")]
pub struct GetArgs {
    /// Object ids or paths (`-` reads ids from stdin, one per line).
    #[arg(required = true, value_name = "ID|PATH")]
    pub items: Vec<String>,
    /// Save the whole payload.
    #[arg(long, conflicts_with_all = ["part", "all_parts"])]
    pub payload: bool,
    /// Save this payload part (its id, Content-ID or 1-based number); repeatable.
    #[arg(long, value_name = "ID")]
    pub part: Vec<String>,
    /// Save every payload part.
    #[arg(long, conflicts_with = "part")]
    pub all_parts: bool,
    /// Write to FILE, or into DIR (an existing directory, a path ending in `/`, or whenever
    /// several payloads are saved).
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite existing files.
    #[arg(long)]
    pub force: bool,

    /// Metadata reads in flight at once, 1 to 64 (records still come out in the order given).
    // 16: the rate of `cargo bench --bench get` stops rising there against the reference
    // server on 2 cores (8 left it short of wrk's rate on the same connections).
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub concurrency: usize,
}

/// One thing to download.
struct Job {
    object_id: String,
    url: String,
    /// The name the server announces (may be hostile; made safe before use).
    name: Option<String>,
    /// Fallback name stem: `OBJECT` or `OBJECT-PART`.
    stem: String,
}

/// Where bytes go.
enum Dest {
    Stdout,
    File(PathBuf),
    Dir(PathBuf),
}

pub async fn run(ctx: &mut Ctx, args: GetArgs) -> Result<(), CliError> {
    if !(1..=MAX_CONCURRENCY).contains(&args.concurrency) {
        return Err(CliError::usage(format!("--concurrency must be 1 to {MAX_CONCURRENCY}")));
    }
    let targets = ids::expand(&args.items, std::io::stdin().lock()).map_err(CliError::usage)?;
    if targets.is_empty() {
        return Err(CliError::usage("no object given"));
    }
    let client = ctx.client().await?;
    let saving = args.payload || args.all_parts || !args.part.is_empty();
    if !saving {
        if args.out.is_some() || args.force {
            return Err(CliError::usage("--out and --force need --payload, --part or --all-parts"));
        }
        return show(ctx, &client, &targets, args.concurrency).await;
    }
    let mut jobs = Vec::new();
    // Objects skipped by `--all-parts` because they have nothing to save.
    let mut without_parts = Vec::new();
    for t in &targets {
        let item = resolve::item(&client, t).await?;
        if item.kind == Kind::Folder {
            return Err(CliError::usage(format!("{} is a folder; `get` reads objects", item.label)));
        }
        let o = client.get_object(&item.id).await.map_err(|e| resolve::not_found(e, "object", &item.label))?;
        let v = ObjectView::new(&o);
        let id = if v.id.is_empty() { item.id.clone() } else { v.id.clone() };
        if args.payload {
            let url = match &o.payload_url {
                Some(u) => u.clone(),
                None if v.parts.len() == 1 => v.parts[0].url.clone(),
                None => {
                    return Err(CliError::not_found(format!("object {id} has no payload"))
                        .hint("its text may be inline: see `TextContent` in `cpmctl get ID`"));
                }
            };
            let name = if v.parts.len() == 1 { v.parts[0].filename.clone() } else { None };
            jobs.push(Job { object_id: id.clone(), url, name, stem: id.clone() });
        } else {
            let chosen: Vec<&PartView> = if args.all_parts {
                v.parts.iter().collect()
            } else {
                let mut chosen = Vec::new();
                for want in &args.part {
                    let p = find_part(&v.parts, want).ok_or_else(|| {
                        let known: Vec<String> = v.parts.iter().map(|p| format!("{} ({})", p.index, p.id)).collect();
                        CliError::not_found(format!("object {id} has no part {want}")).hint(if known.is_empty() {
                            "it has no payload parts".to_string()
                        } else {
                            format!("its parts: {}", known.join(", "))
                        })
                    })?;
                    chosen.push(p);
                }
                chosen
            };
            if chosen.is_empty() {
                // In a batch, one text-only object must not stop the others: it is skipped
                // with a note, and only objects that had parts decide the exit code.
                if args.all_parts && targets.len() > 1 {
                    ctx.out.warn(format!("skipping {id}: it has no payload parts"));
                    without_parts.push(id.clone());
                    continue;
                }
                return Err(CliError::not_found(format!("object {id} has no payload parts")));
            }
            for p in chosen {
                let stem = format!("{id}-{}", p.index);
                jobs.push(Job { object_id: id.clone(), url: p.url.clone(), name: p.filename.clone(), stem });
            }
        }
    }
    if jobs.is_empty() {
        return Err(CliError::not_found(format!("none of the {} objects has payload parts", without_parts.len())));
    }
    let dest = destination(&args.out, jobs.len())?;
    if matches!(dest, Dest::Dir(_)) {
        make_names_unique(&mut jobs);
    }
    if matches!(dest, Dest::Stdout) && ctx.out.stdout_is_tty() {
        return Err(CliError::refused("not writing binary data to a terminal")
            .hint("use --out FILE (or --out DIR/), or redirect stdout: `cpmctl get … --payload > file`"));
    }
    if let Dest::Dir(d) = &dest {
        std::fs::create_dir_all(d).map_err(|e| CliError::failure(format!("cannot create {}: {e}", d.display())))?;
    }
    ctx.out.expect_results();
    let total = jobs.len();
    let mut failed = 0usize;
    let mut last_err = None;
    // Downloads move bytes: the bar shows them with their rate next to the count and ETA.
    let progress = ctx.out.progress(Some(total as u64), "get");
    for job in jobs {
        let saved = save(ctx, &client, &job, &dest, args.force, &progress).await;
        progress.inc();
        match saved {
            Ok(Some(path)) => {
                let rec = serde_json::json!({"id": job.object_id, "kind": "file", "file": path.display().to_string()});
                if ctx.out.is_machine() {
                    ctx.out.result(&rec)?;
                } else {
                    ctx.out.status(format!("saved {}", path.display()));
                }
            }
            Ok(None) => {}
            Err(e) if total > 1 => {
                failed += 1;
                ctx.out.warn(format!("{}: {e}", job.stem));
                last_err = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    ctx.out.flush()?;
    progress.finish();
    if failed > 0 {
        let e = last_err.map(|e| e.message).unwrap_or_default();
        return Err(CliError::partial(format!("{failed} of {total} downloads failed")).cause(e));
    }
    Ok(())
}

/// Names every job's file inside the output directory so that none blocks another
/// (see [`unique_names`]).
fn make_names_unique(jobs: &mut [Job]) {
    let files: Vec<Saved<'_>> =
        jobs.iter().map(|j| Saved { object: &j.object_id, stem: &j.stem, announced: j.name.as_deref() }).collect();
    let names = unique_names(&files);
    for (job, name) in jobs.iter_mut().zip(names) {
        job.name = name;
    }
}

fn destination(out: &Option<PathBuf>, jobs: usize) -> Result<Dest, CliError> {
    match out {
        None if jobs > 1 => Err(CliError::usage(format!("{jobs} payloads to save: give --out DIR"))),
        None => Ok(Dest::Stdout),
        Some(p) if p.as_os_str() == "-" && jobs == 1 => Ok(Dest::Stdout),
        Some(p) => {
            let slash = p.as_os_str().to_string_lossy().ends_with(['/', std::path::MAIN_SEPARATOR]);
            if p.is_dir() || slash || jobs > 1 {
                if p.exists() && !p.is_dir() {
                    return Err(CliError::usage(format!("{} is not a directory", p.display())));
                }
                Ok(Dest::Dir(p.clone()))
            } else {
                Ok(Dest::File(p.clone()))
            }
        }
    }
}

/// Streams one download to its destination; returns the file written (None for stdout).
async fn save(
    ctx: &mut Ctx,
    client: &NmsClient,
    job: &Job,
    dest: &Dest,
    force: bool,
    progress: &crate::cli::output::Progress,
) -> Result<Option<PathBuf>, CliError> {
    let mut dl = client.download(&job.url).await.map_err(|e| resolve::not_found(e, "payload of", &job.object_id))?;
    let target = match dest {
        Dest::Stdout => {
            while let Some(chunk) = dl.stream.next().await {
                let chunk = chunk?;
                progress.add_bytes(chunk.len() as u64);
                ctx.out.write_bytes(&chunk)?;
            }
            ctx.out.flush()?;
            return Ok(None);
        }
        Dest::File(p) => p.clone(),
        Dest::Dir(d) => {
            let name = payload_file_name(job.name.as_deref(), &job.stem, &dl.content_type);
            inside(d, &name).ok_or_else(|| CliError::failure(format!("refusing unsafe file name {name:?}")))?
        }
    };
    let mut file = AtomicFile::create(&target, if force { Existing::Replace } else { Existing::Keep })
        .map_err(|e| io_error(&target, e))?;
    while let Some(chunk) = dl.stream.next().await {
        let chunk = chunk?;
        progress.add_bytes(chunk.len() as u64);
        file.write_all(&chunk).map_err(|e| io_error(&target, e))?;
    }
    file.commit().map_err(|e| io_error(&target, e)).map(Some)
}

fn io_error(path: &Path, e: std::io::Error) -> CliError {
    let kind = if e.kind() == std::io::ErrorKind::AlreadyExists { ErrorKind::Refused } else { ErrorKind::Failure };
    let mut err = CliError::new(kind, format!("{}: {e}", path.display()));
    if kind == ErrorKind::Refused {
        err.message = format!("{} already exists", path.display());
        err = err.hint("use --force to overwrite, or another --out");
    }
    err
}

/// The most metadata reads `get --concurrency` keeps in flight.
const MAX_CONCURRENCY: usize = 64;

/// Fetched metadata of one argument.
enum Fetched {
    Folder(Box<crate::message::view::FolderView>),
    Object(Box<ObjectView>),
}

/// Resolves and reads one argument's metadata.
async fn fetch(client: &NmsClient, t: &Target) -> Result<Fetched, CliError> {
    // A bare object id needs no resolving: straight to its GET (the common case of `get -`).
    let item = match t {
        Target::Id { id, folder: false } => {
            resolve::Item { kind: Kind::Object, id: id.clone(), url: String::new(), label: id.clone() }
        }
        _ => resolve::item(client, t).await?,
    };
    if item.kind == Kind::Folder {
        let f = client
            .get_folder(&item.id, crate::nms::FolderListFilter::None, None, None)
            .await
            .map_err(|e| resolve::not_found(e, "folder", &item.label))?;
        return Ok(Fetched::Folder(Box::new(crate::message::view::FolderView::new(&f))));
    }
    let o = client.get_object(&item.id).await.map_err(|e| resolve::not_found(e, "object", &item.label))?;
    let mut v = ObjectView::from_object(o);
    v.path = v.path.as_deref().map(display_path);
    Ok(Fetched::Object(Box::new(v)))
}

/// How many finished reads may wait for an earlier, slower one, per read in flight. With none
/// (`buffered`), one slow answer left the other slots idle until it came; a small window keeps
/// them busy while memory stays bounded (at most this × `--concurrency` records held).
const REORDER_WINDOW: usize = 4;

/// How long printed records may wait in stdout's buffer for the next answer before they are
/// flushed anyway, and the longest they wait while answers keep coming.
const FLUSH_AFTER: std::time::Duration = std::time::Duration::from_millis(2);
const FLUSH_AT_MOST: std::time::Duration = std::time::Duration::from_millis(50);

/// Prints metadata: key/value lines per object (table/plain), the record (json/ndjson).
/// Up to `concurrency` reads are in flight; records come out in the order of the arguments.
/// Stdout is flushed when the next answer is slow to come, not after every record, so a reader
/// still sees each record soon (see [`FLUSH_AFTER`]).
async fn show(ctx: &mut Ctx, client: &NmsClient, targets: &[Target], concurrency: usize) -> Result<(), CliError> {
    use futures::FutureExt;
    use futures::stream::FuturesUnordered;
    use std::collections::VecDeque;

    let concurrency = concurrency.clamp(1, MAX_CONCURRENCY);
    let window = concurrency * REORDER_WINDOW;
    let mut views = Vec::new();
    // `-o json` prints one array whatever the number of ids, so a script reads one shape.
    let as_array = ctx.out.format() == OutputFormat::Json;
    let ndjson = ctx.out.format() == OutputFormat::Ndjson;
    let human = ctx.out.format() == OutputFormat::Table;
    let mut in_flight = FuturesUnordered::new();
    // Results from the next one to print on; `None` while still being read.
    let mut slots: VecDeque<Option<Result<Fetched, CliError>>> = VecDeque::new();
    let (mut started, mut printed) = (0usize, 0usize);
    let mut unflushed = false;
    let mut last_flush = std::time::Instant::now();
    let mut line = Vec::new();
    while printed < targets.len() {
        // Print what is ready at the front; the first error stops the run, as one read at a
        // time did.
        while matches!(slots.front(), Some(Some(_))) {
            let Some(Some(f)) = slots.pop_front() else { break };
            match f? {
                Fetched::Folder(v) if as_array => views.push(Shown::Folder(v)),
                Fetched::Object(v) if as_array => views.push(Shown::Object(v)),
                Fetched::Folder(v) if ndjson => ndjson_line(ctx, &mut line, &*v)?,
                Fetched::Object(v) if ndjson => ndjson_line(ctx, &mut line, &*v)?,
                Fetched::Folder(v) => {
                    let fields = vec![
                        ("id", v.id.clone()),
                        ("kind", "folder".to_string()),
                        ("path", v.path.clone().unwrap_or_default()),
                        ("name", v.name.clone()),
                    ];
                    separator(ctx, printed)?;
                    ctx.out.record(&*v, &fields)?;
                }
                Fetched::Object(v) => {
                    separator(ctx, printed)?;
                    ctx.out.record(&*v, &fields(&v, human))?;
                }
            }
            printed += 1;
            unflushed = true;
        }
        while in_flight.len() < concurrency && started < targets.len() && started - printed < window {
            let i = started;
            in_flight.push(fetch(client, &targets[i]).map(move |r| (i, r)));
            slots.push_back(None);
            started += 1;
        }
        if printed == targets.len() {
            break;
        }
        // Take a finished read without waiting if there is one. Otherwise printed records
        // wait in the buffer only while answers keep coming quickly (a write per record was a
        // good part of the client's CPU): when none comes within FLUSH_AFTER, or records have
        // waited FLUSH_AT_MOST, they go to the reader before the wait goes on.
        let done = match in_flight.next().now_or_never() {
            // That poll also handed the new reads' requests to their connections, whose tasks
            // write them only when this one yields: yield before decoding what came, or the
            // server waits for requests while a batch of answers is decoded and printed.
            Some(done) => {
                tokio::task::yield_now().await;
                done
            }
            None if !unflushed => in_flight.next().await,
            None => {
                let quick = if last_flush.elapsed() < FLUSH_AT_MOST {
                    tokio::time::timeout(FLUSH_AFTER, in_flight.next()).await.ok()
                } else {
                    None
                };
                match quick {
                    Some(done) => done,
                    None => {
                        ctx.out.flush()?;
                        unflushed = false;
                        last_flush = std::time::Instant::now();
                        in_flight.next().await
                    }
                }
            }
        };
        let Some((i, r)) = done else {
            return Err(CliError::failure("internal: a read went missing"));
        };
        if let Some(slot) = slots.get_mut(i - printed) {
            *slot = Some(r);
        }
    }
    if as_array {
        ctx.out.json(&views)?;
    }
    ctx.out.flush()
}

/// One `-o ndjson` record, written without the flush [`crate::cli::output::Output::record`]
/// does after each line (the caller flushes when answers stop coming quickly).
fn ndjson_line<T: serde::Serialize>(ctx: &mut Ctx, line: &mut Vec<u8>, v: &T) -> Result<(), CliError> {
    line.clear();
    serde_json::to_writer(&mut *line, v)?;
    line.push(b'\n');
    ctx.out.write_bytes(line)
}

/// One record of `get -o json`, serialised as the view itself (fields keep their order).
#[derive(serde::Serialize)]
#[serde(untagged)]
enum Shown {
    Object(Box<ObjectView>),
    Folder(Box<crate::message::view::FolderView>),
}

fn separator(ctx: &mut Ctx, i: usize) -> Result<(), CliError> {
    if i > 0 && !ctx.out.is_machine() {
        ctx.out.write_bytes(b"\n")?;
    }
    Ok(())
}

/// The key/value lines of an object: main fields, then every attribute, then the parts.
fn fields(v: &ObjectView, human: bool) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![("id", v.id.clone())];
    let opts =
        [("path", &v.path), ("folder", &v.folder), ("date", &v.date), ("direction", &v.direction), ("from", &v.from)];
    f.extend(opts.iter().filter_map(|(k, val)| val.as_ref().map(|x| (*k, x.clone()))));
    if !v.to.is_empty() {
        f.push(("to", v.to.join(", ")));
    }
    let opts = [("context", &v.context), ("subject", &v.subject), ("text", &v.text)];
    f.extend(opts.iter().filter_map(|(k, val)| val.as_ref().map(|x| (*k, x.clone()))));
    f.push(("flags", v.flags.join(" ")));
    if let Some(s) = v.size {
        f.push(("size", if human { human_size(s) } else { s.to_string() }));
    }
    if let Some(x) = &v.correlation_id {
        f.push(("correlationId", x.clone()));
    }
    if let Some(x) = &v.correlation_tag {
        f.push(("correlationTag", x.clone()));
    }
    if let Some(x) = v.last_mod_seq {
        f.push(("lastModSeq", x.to_string()));
    }
    for (name, values) in &v.attributes.0 {
        f.push(("attribute", format!("{name}: {}", values.join(", "))));
    }
    for p in &v.parts {
        let size = match p.size {
            Some(s) if human => human_size(s),
            Some(s) => s.to_string(),
            None => "?".into(),
        };
        let mut line = format!("{} [{}] {} {size}", p.index, p.id, p.content_type);
        if let Some(n) = &p.filename {
            line.push_str(&format!(" {n}"));
        }
        f.push(("part", line));
    }
    f
}
