//! `cpmctl mkdir PATH`: creates a folder; `-p` creates missing parents and accepts an
//! existing folder.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::nms::items::mkdir::{self, Made, MkdirError};

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

pub async fn run(ctx: &mut Ctx, args: MkdirArgs) -> Result<(), CliError> {
    let segments = mkdir::segments(&args.path).map_err(error)?;
    let client = ctx.client().await?;
    let full = format!("/{}", segments.join("/"));
    // Output is not shared with the request future; the parents made are told once it ends
    // (also when it failed half-way, so the user knows what is there now).
    let mut parents_made = Vec::new();
    let made = mkdir::make_path(&client, &segments, args.parents, |here| parents_made.push(here.to_string())).await;
    for here in parents_made {
        ctx.out.status(format!("created {here}"));
    }
    let made = made.map_err(error)?;
    match made {
        Made::Existing(f) => emit(ctx, &f.id, &full, false),
        Made::Created(id) => emit(ctx, &id, &full, true),
    }
}

/// The words of `mkdir` for each way a path is not made.
fn error(e: MkdirError) -> CliError {
    match e {
        MkdirError::Root => CliError::usage("the root folder always exists; give a path like /RCSMessageStore/archive"),
        MkdirError::DotSegment(path) => CliError::usage(format!("{path}: `.` and `..` are not folder names")),
        MkdirError::Exists(full) => {
            CliError::failure(format!("{full} already exists")).hint("use -p to accept an existing folder")
        }
        MkdirError::MissingParent(missing) => CliError::not_found(format!("parent folder {missing} does not exist"))
            .hint("use -p to create missing parents"),
        MkdirError::Items(e) => e.into(),
    }
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
