//! `cpmctl rm ID|PATH…|-`: deletes objects (bulkDelete, at most 100 per request) and, with
//! `-r`, folders with their contents. Asks first on the controlling terminal; needs `--yes`
//! without one.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::wire::{BulkDelete, ObjectReferenceList};

use crate::nms::items::batch::MAX_BULK;
use crate::nms::items::bulk::{self, Failure};
use crate::nms::items::feed::{self, Feed, FeedOptions, FolderRule, Targets};
use crate::nms::items::resolve::{self, Item, Kind};
use crate::nms::items::targets as ids;

/// Delete objects, or folders with everything in them (`-r`).
///
/// Ids come from the arguments or, with `-`, from stdin: one per line, as `search -o plain`
/// prints them (the first tab-separated field) or as `-o ndjson` prints records (`id`).
/// With a terminal it asks there for confirmation, also when the ids come from a pipe;
/// without one it needs `--yes`. `--dry-run`
/// lists what would go and changes nothing.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl rm 01HZX3K4 01HZX3K5
  cpmctl rm -r /RCSMessageStore/conv-1              # a folder and its contents
  cpmctl search --context sms --until 2020-01-01 --all -o plain | cpmctl rm --dry-run -
  cpmctl search --context sms --all -o ndjson | jq -r .id | cpmctl rm --yes -")]
pub struct RmArgs {
    /// Object ids, paths, or `-` to read ids from stdin.
    #[arg(required = true, value_name = "ID|PATH|-")]
    pub items: Vec<String>,
    /// Also delete folders (with all they contain).
    #[arg(short = 'r', long)]
    pub recursive: bool,
    /// Do not ask for confirmation (required when not on a terminal).
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Show what would be deleted; change nothing.
    #[arg(short = 'n', long)]
    pub dry_run: bool,
    /// Parallel requests.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Objects under folders counted up to this many; above it the prompt says "at least".
const COUNT_LIMIT: u64 = 10_000;

/// "3 objects", "1 folder with everything in it (301 objects)", "2 objects and 2 folders with
/// everything in them (at least 10000 objects)".
fn describe(objects: u64, folders: u64, inside: Option<(u64, bool)>) -> String {
    let own = plural(objects, "object", "objects");
    if folders == 0 {
        return own;
    }
    let mut f = format!(
        "{} with everything in {}",
        plural(folders, "folder", "folders"),
        if folders == 1 { "it" } else { "them" }
    );
    if let Some((n, capped)) = inside {
        let at_least = if capped { "at least " } else { "" };
        f.push_str(&format!(" ({at_least}{})", plural(n, "object", "objects")));
    }
    if objects == 0 { f } else { format!("{own} and {f}") }
}

fn not_recursive(folder: &Item) -> CliError {
    CliError::usage(format!("{} is a folder", folder.label)).hint("use -r to delete folders with everything in them")
}

pub async fn run(ctx: &mut Ctx, args: RmArgs) -> Result<(), CliError> {
    ctx.out.expect_results();
    let reads_stdin = args.items.iter().any(|a| a == "-");
    // Only a stdin list can be long; a command line is resolved whole first, so a folder
    // given without -r refuses the run before anything is deleted.
    if reads_stdin && (args.yes || args.dry_run) {
        return run_streaming(ctx, args).await;
    }
    let targets = ids::expand(&args.items, std::io::stdin().lock()).map_err(CliError::usage)?;
    if targets.is_empty() {
        if reads_stdin {
            ctx.out.status("nothing to delete (no ids on stdin)");
            return Ok(());
        }
        return Err(CliError::usage("nothing to delete"));
    }
    // The question needs the count, so this path reads the whole list first.
    let client = ctx.client().await?;
    let mut objects: Vec<Item> = Vec::new();
    let mut folders: Vec<Item> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for t in &targets {
        let mut item = resolve::item(&client, t).await?;
        // With -r a bare id may name a folder: ask the server (only then, as it costs a request).
        if args.recursive
            && item.kind == Kind::Object
            && !item.label.starts_with('/')
            && let Ok(f) = client.get_folder(&item.id, crate::nms::FolderListFilter::None, None, None).await
        {
            item.kind = Kind::Folder;
            item.url = f.resource_url.unwrap_or_else(|| client.folder_url(&item.id).to_string());
        }
        if !seen.insert((item.kind, item.id.clone())) {
            continue;
        }
        match item.kind {
            Kind::Object => objects.push(item),
            Kind::Folder => folders.push(item),
        }
    }
    drop(seen);
    if let Some(f) = folders.first()
        && !args.recursive
    {
        return Err(not_recursive(f));
    }
    // Say how much a folder takes with it: a bounded count, so a huge folder costs a few
    // searches rather than a walk of the whole box.
    let inside = if folders.is_empty() || (args.yes && !args.dry_run) {
        None
    } else {
        Some(crate::nms::items::count_objects(&client, &folders, COUNT_LIMIT).await?)
    };
    let what = describe(objects.len() as u64, folders.len() as u64, inside);
    if args.dry_run {
        for item in objects.iter().chain(&folders) {
            dry_run_line(&mut ctx.out, item)?;
        }
        ctx.out.flush()?;
        ctx.out.status(format!("dry run: would delete {what}; nothing was changed"));
        return Ok(());
    }
    if !args.yes {
        // Ids from a pipe do not stop a person from answering: the question goes to the
        // controlling terminal. Only without one (a script, a cron job) is --yes needed.
        if !ctx.prompt.can_confirm() {
            return Err(CliError::refused(format!("not deleting {what} without confirmation"))
                .hint("pass --yes to delete when not on a terminal (or --dry-run to see what would go)"));
        }
        ctx.prompt.confirm_or_refuse(&format!("Delete {what}?"), "--yes")?;
    }
    let total = objects.len() + folders.len();
    let progress = ctx.out.progress(Some(total as u64), "rm");
    let mut tally =
        delete_objects(&mut ctx.out, &client, bulk::chunks(objects, MAX_BULK), args.concurrency, &progress).await?;
    delete_folders(&mut ctx.out, &client, folders, &progress, &mut tally).await?;
    ctx.out.flush()?;
    progress.finish();
    super::common::outcome(&tally, "rm")
}

/// `--yes` / `--dry-run`: no question, so nothing needs counting first. Ids are read,
/// batched and deleted as they arrive (memory stays flat for any list length); folders are
/// kept aside and deleted after the objects. Duplicates are skipped within
/// [`feed::DEDUP_WINDOW`] items. A bad line, or a folder without `-r`, stops the reading:
/// batches already sent finish, the rest is not touched, and the error is the exit status.
async fn run_streaming(ctx: &mut Ctx, args: RmArgs) -> Result<(), CliError> {
    let reads_stdin = args.items.iter().any(|a| a == "-");
    let mut targets = Targets::new(args.items)?;
    if targets.is_empty().await? {
        if reads_stdin {
            ctx.out.status("nothing to delete (no ids on stdin)");
            return Ok(());
        }
        return Err(CliError::usage("nothing to delete"));
    }
    let client = ctx.client().await?;
    let folders = if args.recursive { FolderRule::Collect { probe_ids: true } } else { FolderRule::Refuse };
    let opts = FeedOptions { per: MAX_BULK, queue: args.concurrency.max(1), dedup: true, folders };
    let Feed { mut batches, end } = Feed::start(targets, client.clone(), opts);
    if args.dry_run {
        let mut objects = 0u64;
        while let Some(batch) = batches.recv().await {
            for item in &batch {
                dry_run_line(&mut ctx.out, item)?;
                objects += 1;
            }
        }
        let fed = Feed::finish(end).await;
        ctx.out.flush()?;
        let fed = fed.map_err(|e| super::common::refuse_folder(e, not_recursive))?;
        for item in &fed.folders {
            dry_run_line(&mut ctx.out, item)?;
        }
        ctx.out.flush()?;
        ctx.out.status(format!(
            "dry run: would delete {} and {}; nothing was changed",
            plural(objects, "object", "objects"),
            plural(fed.folders.len() as u64, "folder", "folders")
        ));
        return Ok(());
    }
    let progress = ctx.out.progress(None, "rm");
    let tally = delete_objects(&mut ctx.out, &client, feed::stream(batches), args.concurrency, &progress).await;
    let mut tally = match tally {
        Ok(t) => t,
        Err(e) => {
            end.abort();
            return Err(e);
        }
    };
    let fed = Feed::finish(end).await;
    if let Ok(fed) = &fed {
        progress.set_total(fed.objects + fed.folders.len() as u64);
    }
    let result = match fed {
        Ok(fed) => delete_folders(&mut ctx.out, &client, fed.folders, &progress, &mut tally).await,
        Err(e) => Err(super::common::refuse_folder(e, not_recursive)),
    };
    ctx.out.flush()?;
    progress.finish();
    result?;
    super::common::outcome(&tally, "rm")
}

fn dry_run_line(out: &mut crate::cli::output::Output, i: &Item) -> Result<(), CliError> {
    if out.is_machine() {
        let rec = serde_json::json!({"id": i.id, "kind": i.kind.name(), "action": "delete", "dryRun": true});
        out.result(&rec)
    } else {
        let line = crate::cli::output::table::plain_line(&[
            i.id.clone(),
            i.kind.name().to_string(),
            format!("would delete {}", i.label),
        ]);
        out.write_bytes(line.as_bytes())
    }
}

/// Deletes the objects of `batches` through bulkDelete (one by one if refused).
async fn delete_objects(
    out: &mut crate::cli::output::Output,
    client: &crate::nms::NmsClient,
    batches: impl futures::Stream<Item = Vec<Item>>,
    concurrency: usize,
    progress: &crate::cli::output::Progress,
) -> Result<bulk::Tally, CliError> {
    let machine = out.is_machine();
    let c1 = client.clone();
    let c2 = client.clone();
    bulk::run(
        batches,
        concurrency,
        progress,
        move |refs| {
            let c = c1.clone();
            async move {
                let d = BulkDelete {
                    objects: Some(ObjectReferenceList { object_reference: refs }),
                    selection_criteria: None,
                };
                c.bulk_delete(&d).await
            }
        },
        move |item: Item| {
            let c = c2.clone();
            async move { c.delete_object(&item.id).await }
        },
        |item, res| {
            if res.is_ok() && machine {
                out.result(&deleted_record(&item.id, "object"))?;
            }
            Ok(())
        },
    )
    .await
}

/// Deletes folders (with their contents) one request each, counting into `tally`.
async fn delete_folders(
    out: &mut crate::cli::output::Output,
    client: &crate::nms::NmsClient,
    folders: Vec<Item>,
    progress: &crate::cli::output::Progress,
    tally: &mut bulk::Tally,
) -> Result<(), CliError> {
    let machine = out.is_machine();
    for f in folders {
        match client.delete_folder(&f.id).await {
            Ok(()) => {
                tally.ok();
                progress.inc();
                if machine {
                    out.result(&deleted_record(&f.id, "folder"))?;
                }
            }
            Err(e) => {
                let failure = Failure::from(&e);
                progress.fail(&f.label, &failure.message);
                tally.fail(&failure);
            }
        }
    }
    Ok(())
}

fn deleted_record(id: &str, kind: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "kind": kind, "action": "delete", "deleted": true})
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn the_question_says_what_goes() {
        assert_eq!(describe(3, 0, None), "3 objects");
        assert_eq!(describe(0, 1, Some((301, false))), "1 folder with everything in it (301 objects)");
        assert_eq!(
            describe(1, 2, Some((10_000, true))),
            "1 object and 2 folders with everything in them (at least 10000 objects)"
        );
        assert_eq!(describe(0, 1, None), "1 folder with everything in it");
    }
}
