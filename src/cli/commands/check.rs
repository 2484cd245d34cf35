//! `cpmctl check DIR`: compare a mirror with its store, changing neither; exit 0 when they are
//! identical, 1 with the differences. Thin: parse, call `mirror::check`, render.

use std::path::PathBuf;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::mirror;

/// Compare a mirror directory with the store without changing either.
///
/// Reports objects missing on either side, flag differences, objects in another folder, files
/// missing or edited locally (their hash against the index), folders missing on either side and
/// local files the store does not have; with `--download`, payload bytes that differ from the
/// store's. Exit 0 when identical, 1 otherwise.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl check ~/mirror/alice
  cpmctl check --download ~/mirror/alice   # also re-read every payload from the store
  cpmctl check -o json ~/mirror/alice | jq '.differences[] | select(.kind == \"edited\")'")]
pub struct CheckArgs {
    /// The mirror directory (made by `cpmctl sync`).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Also fetch every payload from the store again and compare its bytes with the file's.
    #[arg(long)]
    pub download: bool,
}

const HEADERS: [&str; 3] = ["KIND", "ID", "DETAIL"];

pub async fn run(ctx: &mut Ctx, args: CheckArgs) -> Result<(), CliError> {
    let client = ctx.client().await?;
    let report = mirror::check(&client, &args.dir, args.download).await.map_err(super::sync::error)?;
    if ctx.out.is_machine() {
        ctx.out.json(&report)?;
    } else if !report.identical() {
        let rows =
            report.differences.iter().map(|d| vec![d.kind.to_string(), d.id.clone(), d.detail.clone()]).collect();
        ctx.out.table(&HEADERS, rows)?;
        ctx.out.flush()?;
    }
    if report.identical() {
        ctx.out.status(format!(
            "identical: {} objects on the store, {} in the mirror",
            report.objects_on_store, report.objects_in_mirror
        ));
        return Ok(());
    }
    let listed = report.differences.len() as u64;
    let more = report.total_differences.saturating_sub(listed);
    let tail = if more > 0 { format!(" ({more} more not listed)") } else { String::new() };
    Err(CliError::failure(format!(
        "{} difference(s) between {} and the store{tail}",
        report.total_differences,
        args.dir.display()
    )))
}
