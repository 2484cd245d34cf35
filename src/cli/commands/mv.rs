//! `cpmctl mv SRC… DEST`: moves objects and folders into a folder (moveToFolder), reporting
//! each item; a single folder and a DEST that does not exist yet is a rename (folderName).

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::wire::{FolderReferenceList, ObjectReferenceList, Reference, ReferenceList, TargetSourceRef};

use crate::nms::items::batch::MAX_BULK;
use crate::nms::items::bulk::{self, Failure};
use crate::nms::items::rename;
use crate::nms::items::resolve::{self, Item, Kind};
use crate::nms::items::targets as ids;

/// Move objects and folders into a folder.
///
/// Sources are ids or paths (`-` reads ids from stdin); DEST is a folder path or id. When
/// DEST does not exist and the one source is a folder, the folder is renamed (and moved
/// when DEST's parent differs), as `mv` does in a shell. Paths without a leading `/` start
/// at the root.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl mv 01HZX3K4 /RCSMessageStore/archive
  cpmctl mv /RCSMessageStore/conv-1 /Archive          # a folder with its contents
  cpmctl mv /RCSMessageStore/tickets/T-5678 /RCSMessageStore/tickets/T-9999   # rename
  cpmctl mv RCSMessageStore/old Archive/2023          # move and rename, relative paths
  cpmctl search --conversation 1f3c… --all -o plain | cpmctl mv - /Archive")]
pub struct MvArgs {
    /// Sources (ids, paths, or `-`), then the destination folder.
    #[arg(required = true, num_args = 2.., value_name = "SRC… DEST")]
    pub paths: Vec<String>,
    /// Parallel requests.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
}

pub async fn run(ctx: &mut Ctx, args: MvArgs) -> Result<(), CliError> {
    ctx.out.expect_results();
    let Some((dest, sources)) = args.paths.split_last() else {
        return Err(CliError::usage("give sources and a destination folder"));
    };
    if dest == "-" {
        return Err(CliError::usage("the destination must be a folder path or id, not `-`"));
    }
    let targets = ids::expand(sources, std::io::stdin().lock()).map_err(CliError::usage)?;
    if targets.is_empty() {
        ctx.out.status("nothing to move");
        return Ok(());
    }
    let client = ctx.client().await?;
    let dest_folder = match resolve::folder(&client, Some(dest)).await {
        Ok(f) => f,
        // As in a shell: a destination that does not exist names the folder's new name.
        Err(e) if e.is_not_found() => return rename_one(ctx, &client, &targets, dest, e).await,
        Err(e) => return Err(e.into()),
    };
    let dest_label = dest_folder.path.clone().unwrap_or_else(|| dest_folder.id.clone());
    let mut items: Vec<Item> = Vec::with_capacity(targets.len());
    for t in &targets {
        let item = resolve::item(&client, t).await?;
        if item.kind == Kind::Folder && item.id == dest_folder.id {
            return Err(CliError::usage(format!("cannot move {} into itself", item.label)));
        }
        items.push(item);
    }
    let progress = ctx.out.progress(Some(items.len() as u64), "mv");
    let machine = ctx.out.is_machine();
    let out = &mut ctx.out;
    let (objects, folders): (Vec<Item>, Vec<Item>) = items.into_iter().partition(|i| i.kind == Kind::Object);
    let target_url = dest_folder.url.clone();
    let dest_id = dest_folder.id.clone();
    let mut report = |item: &Item, res: Result<(), &Failure>| -> Result<(), CliError> {
        if res.is_ok() {
            let rec = serde_json::json!({"id": item.id, "kind": item.kind.name(), "action": "move", "folder": dest_id});
            if machine {
                out.result(&rec)?;
            } else {
                let line = crate::cli::output::table::plain_line(&[item.id.clone(), format!("→ {dest_label}")]);
                out.write_bytes(line.as_bytes())?;
            }
        }
        Ok(())
    };
    let mut total = bulk::Tally::default();
    for (group, is_folder) in [(objects, false), (folders, true)] {
        if group.is_empty() {
            continue;
        }
        let c = client.clone();
        let target = target_url.clone();
        let request = move |refs: Vec<Reference>| {
            let c = c.clone();
            let target = target.clone();
            async move {
                let mut source_refs = ReferenceList::default();
                if is_folder {
                    source_refs.folders = FolderReferenceList { folder_reference: refs };
                } else {
                    source_refs.objects = ObjectReferenceList { object_reference: refs };
                }
                c.move_to_folder(&TargetSourceRef { target_ref: Reference::new(target), source_refs }).await
            }
        };
        let one = request.clone();
        let single = move |item: Item| {
            let one = one.clone();
            async move {
                let list = one(vec![Reference::new(item.url.clone())]).await?;
                match list.response.first() {
                    Some(r) if !r.is_success() => {
                        Err(crate::nms::Error::Api { status: r.code, error: r.failure.clone().unwrap_or_default() })
                    }
                    _ => Ok(()),
                }
            }
        };
        let t =
            bulk::run(bulk::chunks(group, MAX_BULK), args.concurrency, &progress, request, single, &mut report).await?;
        total.merge(t);
    }
    out.flush()?;
    progress.finish();
    super::common::outcome(&total, "mv")
}

/// The rename form of `mv`: one folder source and a DEST whose parent exists.
async fn rename_one(
    ctx: &mut Ctx,
    client: &crate::nms::NmsClient,
    targets: &[ids::Target],
    dest: &str,
    not_found: crate::nms::items::Error,
) -> Result<(), CliError> {
    let [target] = targets else {
        // Several sources need a folder to go into, as `mv a b missing/` says in a shell.
        return Err(CliError::from(not_found)
            .hint("several sources move into an existing folder: create it with `cpmctl mkdir -p`"));
    };
    let item = resolve::item(client, target).await?;
    if item.kind != Kind::Folder {
        // Only folders have names to change: for an object the missing folder is the error.
        return Err(CliError::from(not_found).hint("create the folder with `cpmctl mkdir -p` first"));
    }
    let Some(to) = rename::destination(client, dest).await? else {
        return Err(not_found.into());
    };
    let done = rename::rename(client, &item, &to).await?;
    if ctx.out.is_machine() {
        let rec = serde_json::json!({"id": done.id, "kind": "folder", "action": "rename", "path": done.path});
        ctx.out.result(&rec)?;
    } else {
        let line = crate::cli::output::table::plain_line(&[done.id.clone(), format!("→ {}", done.path)]);
        ctx.out.write_bytes(line.as_bytes())?;
    }
    ctx.out.flush()?;
    Ok(())
}
