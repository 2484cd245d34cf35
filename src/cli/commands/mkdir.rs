//! `cpmctl mkdir PATH`: creates a folder; `-p` creates missing parents and accepts an
//! existing folder.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::nms::NmsClient;

use super::common::id_of;
use crate::message::view::display_path;
use crate::nms::items::resolve;

/// Create a folder.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl mkdir /RCSMessageStore/archive
  cpmctl mkdir -p /Exports/2024/May")]
pub struct MkdirArgs {
    /// The new folder's path, e.g. `/RCSMessageStore/archive`.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// Create missing parent folders; an existing folder is not an error.
    #[arg(short = 'p', long)]
    pub parents: bool,
}

/// Looks a folder path up; `None` when it does not exist.
async fn lookup(client: &NmsClient, path: &str) -> Result<Option<resolve::FolderRef>, CliError> {
    match resolve::folder(client, Some(path)).await {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

pub async fn run(ctx: &mut Ctx, args: MkdirArgs) -> Result<(), CliError> {
    let path = display_path(args.path.trim());
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err(CliError::usage("the root folder always exists; give a path like /RCSMessageStore/archive"));
    }
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err(CliError::usage(format!("{path}: `.` and `..` are not folder names")));
    }
    let client = ctx.client().await?;
    let full = format!("/{}", segments.join("/"));
    if let Some(existing) = lookup(&client, &full).await? {
        if args.parents {
            return emit(ctx, &existing.id, &full, false);
        }
        return Err(CliError::failure(format!("{full} already exists")).hint("use -p to accept an existing folder"));
    }
    // Find the deepest existing ancestor, then create the rest below it.
    let mut parent = resolve::folder(&client, None).await?;
    let mut first_missing = 0;
    for i in (1..segments.len()).rev() {
        let p = format!("/{}", segments[..i].join("/"));
        if let Some(f) = lookup(&client, &p).await? {
            parent = f;
            first_missing = i;
            break;
        }
    }
    if first_missing < segments.len() - 1 && !args.parents {
        let missing = format!("/{}", segments[..segments.len() - 1].join("/"));
        return Err(CliError::not_found(format!("parent folder {missing} does not exist"))
            .hint("use -p to create missing parents"));
    }
    let mut id = String::new();
    for (i, name) in segments.iter().enumerate().skip(first_missing) {
        let r = client.create_folder(Some(&parent.url), None, name).await?;
        id = id_of(&r.resource_url);
        let here = format!("/{}", segments[..=i].join("/"));
        if i + 1 < segments.len() {
            ctx.out.status(format!("created {here}"));
        }
        parent = resolve::FolderRef { id: id.clone(), url: r.resource_url, path: Some(here) };
    }
    emit(ctx, &id, &full, true)
}

fn emit(ctx: &mut Ctx, id: &str, path: &str, created: bool) -> Result<(), CliError> {
    let rec = serde_json::json!({"id": id, "kind": "folder", "path": path, "created": created});
    if ctx.out.is_machine() {
        ctx.out.record(&rec, &[])?;
    } else {
        let line = crate::cli::output::table::plain_line(&[id.to_string(), path.to_string()]);
        ctx.out.write_bytes(line.as_bytes())?;
    }
    ctx.out.flush()
}
