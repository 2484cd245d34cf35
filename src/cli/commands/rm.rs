//! `cpmctl rm ID|PATH…|-`: deletes objects (bulkDelete, at most 100 per request) and, with
//! `-r`, folders with their contents. Asks first on a terminal; needs `--yes` otherwise.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::wire::{BulkDelete, ObjectReferenceList};

use super::common::batch::MAX_BULK;
use super::common::bulk::{self, Failure};
use super::common::ids;
use super::common::resolve::{self, Item, Kind};

/// Delete objects, or folders with everything in them (`-r`).
///
/// Ids come from the arguments or, with `-`, from stdin: one per line, as `search -o plain`
/// prints them (the first tab-separated field) or as `-o ndjson` prints records (`id`).
/// On a terminal it asks for confirmation; off a terminal it needs `--yes`. `--dry-run`
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub async fn run(ctx: &mut Ctx, args: RmArgs) -> Result<(), CliError> {
    let reads_stdin = args.items.iter().any(|a| a == "-");
    let targets = ids::expand(&args.items, std::io::stdin().lock()).map_err(CliError::usage)?;
    if targets.is_empty() {
        if reads_stdin {
            ctx.out.status("nothing to delete (no ids on stdin)");
            return Ok(());
        }
        return Err(CliError::usage("nothing to delete"));
    }
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
    if !folders.is_empty() && !args.recursive {
        return Err(CliError::usage(format!("{} is a folder", folders[0].label))
            .hint("use -r to delete folders with everything in them"));
    }
    if args.dry_run {
        for i in objects.iter().chain(folders.iter()) {
            let rec = serde_json::json!({"id": i.id, "kind": i.kind.name(), "action": "delete", "dryRun": true});
            if ctx.out.is_machine() {
                ctx.out.ndjson_line(&rec)?;
            } else {
                let line = crate::cli::output::table::plain_line(&[
                    i.id.clone(),
                    i.kind.name().to_string(),
                    format!("would delete {}", i.label),
                ]);
                ctx.out.write_bytes(line.as_bytes())?;
            }
        }
        ctx.out.flush()?;
        ctx.out.status(format!(
            "dry run: would delete {} and {}; nothing was changed",
            plural(objects.len(), "object", "objects"),
            plural(folders.len(), "folder", "folders")
        ));
        return Ok(());
    }
    if !args.yes {
        let what = match (objects.len(), folders.len()) {
            (o, 0) => plural(o, "object", "objects"),
            (0, f) => format!("{} with everything in them", plural(f, "folder", "folders")),
            (o, f) => format!(
                "{} and {} with everything in them",
                plural(o, "object", "objects"),
                plural(f, "folder", "folders")
            ),
        };
        if reads_stdin || !ctx.prompt.is_interactive() {
            return Err(CliError::refused(format!("not deleting {what} without confirmation"))
                .hint("pass --yes to delete when not on a terminal (or --dry-run to see what would go)"));
        }
        ctx.prompt.confirm_or_refuse(&format!("Delete {what}?"), "--yes")?;
    }
    let total = objects.len() + folders.len();
    let progress = ctx.out.progress(Some(total as u64), "rm");
    let machine = ctx.out.is_machine();
    let out = &mut ctx.out;
    let c1 = client.clone();
    let c2 = client.clone();
    let mut tally = bulk::run(
        bulk::chunks(objects, MAX_BULK),
        args.concurrency,
        &progress,
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
                out.ndjson_line(&deleted_record(&item.id, "object"))?;
            }
            Ok(())
        },
    )
    .await?;
    for f in folders {
        match client.delete_folder(&f.id).await {
            Ok(()) => {
                tally.ok();
                progress.inc();
                if machine {
                    out.ndjson_line(&deleted_record(&f.id, "folder"))?;
                }
            }
            Err(e) => {
                let failure = Failure::from(&e);
                progress.fail(&f.label, &failure.message);
                tally.fail(&failure);
            }
        }
    }
    out.flush()?;
    progress.finish();
    tally.outcome("rm")
}

fn deleted_record(id: &str, kind: &str) -> serde_json::Value {
    serde_json::json!({"id": id, "kind": kind, "action": "delete", "deleted": true})
}
