//! `cpmctl stats`: a box overview in one streaming pass (message::stats), or one row per box
//! for many boxes (`--box-id` repeated, `--boxes FILE`) with bounded concurrency and a total.

use std::path::PathBuf;

use futures::StreamExt;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::OutputFormat;
use crate::message::stats::{self, Group, Report};

use super::common::rows::human_size;

/// Boxes surveyed in one run at most.
const MAX_BOXES: usize = 100_000;

/// Overview of a box: objects and bytes by message context, by folder (top N) and by month,
/// unread, oldest and newest, the largest objects.
///
/// One streaming pass of search, so memory does not grow with the box. With `--box-id`
/// repeated or `--boxes FILE` (one box id a line), many boxes are surveyed with bounded
/// concurrency: one row per box and a total.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl stats
  cpmctl stats -o json | jq .byContext
  cpmctl stats --box-id tel:+15550001111 --box-id tel:+15550002222
  cpmctl stats --boxes boxes.txt --concurrency 8 -o ndjson")]
pub struct StatsArgs {
    /// Folders and largest objects to list.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// Survey this box (repeat for several; the profile's credentials must open them).
    /// (`--box` is the global single-box option, hence the other name.)
    #[arg(long = "box-id", value_name = "ID")]
    pub boxes: Vec<String>,
    /// Survey the boxes listed in FILE, one id a line (`#` comments, blank lines skipped).
    #[arg(long = "boxes", value_name = "FILE")]
    pub boxes_file: Option<PathBuf>,
    /// Boxes surveyed at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
}

pub async fn run(ctx: &mut Ctx, args: StatsArgs) -> Result<(), CliError> {
    if !(1..=1000).contains(&args.top) {
        return Err(CliError::usage("--top must be 1 to 1000"));
    }
    if !(1..=64).contains(&args.concurrency) {
        return Err(CliError::usage("--concurrency must be 1 to 64"));
    }
    let mut boxes = args.boxes.clone();
    if let Some(file) = &args.boxes_file {
        let text = std::fs::read_to_string(file)
            .map_err(|e| CliError::usage(format!("cannot read {}: {e}", file.display())))?;
        boxes.extend(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(String::from));
    }
    if boxes.len() > MAX_BOXES {
        return Err(CliError::usage(format!("at most {MAX_BOXES} boxes in one run")));
    }
    if boxes.is_empty() {
        let client = ctx.client().await?;
        let report = stats::collect(&client, args.top, 1000).await?;
        return show_one(ctx, &report);
    }
    let maker = ctx.box_clients(&boxes[0]).await?;
    let progress = ctx.out.progress(Some(boxes.len() as u64), "stats");
    let top = args.top;
    let mut results = futures::stream::iter(boxes)
        .map(|b| {
            let client = maker.client(&b);
            async move {
                let r = match client {
                    Ok(c) => stats::collect(&c, top, 1000).await.map_err(CliError::from),
                    Err(e) => Err(e),
                };
                (b, r)
            }
        })
        .buffered(args.concurrency);
    let mut reports = Vec::new();
    let mut failed = 0u64;
    let mut first_err = None;
    while let Some((b, r)) = results.next().await {
        match r {
            Ok(rep) => {
                progress.inc();
                reports.push(rep);
            }
            Err(e) => {
                progress.fail(&b, &e.message);
                failed += 1;
                first_err.get_or_insert(e);
            }
        }
    }
    progress.finish();
    show_many(ctx, &reports)?;
    match first_err {
        Some(e) if reports.is_empty() => Err(e),
        Some(e) => Err(CliError::partial(format!("stats: {failed} of {} boxes failed", failed + reports.len() as u64))
            .cause(e.message)),
        None => Ok(()),
    }
}

fn show_one(ctx: &mut Ctx, r: &Report) -> Result<(), CliError> {
    if ctx.out.is_machine() {
        ctx.out.json(r)?;
        return ctx.out.flush();
    }
    let mut text = format!(
        "box {}: {} objects, {}, {} unread\noldest {}, newest {}\n",
        r.box_id,
        r.total.objects,
        human_size(r.total.bytes),
        r.unread,
        r.oldest.as_deref().unwrap_or("-"),
        r.newest.as_deref().unwrap_or("-")
    );
    let section = |title: &str, groups: &[Group], text: &mut String| {
        text.push_str(&format!("\n{title}\n"));
        let w = groups.iter().map(|g| g.name.chars().count()).max().unwrap_or(0).min(60);
        for g in groups {
            let name = super::common::rows::truncate(&crate::cli::output::sanitize(&g.name), 60);
            text.push_str(&format!("  {name:<w$}  {:>8}  {:>10}\n", g.count.objects, human_size(g.count.bytes)));
        }
    };
    section("by message context", &r.by_context, &mut text);
    section("by folder", &r.by_folder, &mut text);
    if r.other_folders > 0 {
        text.push_str(&format!("  … and {} more folders\n", r.other_folders));
    }
    section("by month", &r.by_month, &mut text);
    text.push_str("\nlargest objects\n");
    for l in &r.largest {
        text.push_str(&format!(
            "  {}  {:>10}  {}\n",
            l.id,
            human_size(l.bytes),
            crate::cli::output::sanitize(&l.folder)
        ));
    }
    ctx.out.write_bytes(text.as_bytes())?;
    ctx.out.flush()
}

const HEADERS: [&str; 6] = ["BOX", "OBJECTS", "BYTES", "UNREAD", "OLDEST", "NEWEST"];

fn show_many(ctx: &mut Ctx, reports: &[Report]) -> Result<(), CliError> {
    let total = stats::total(reports);
    let human = ctx.out.format() == OutputFormat::Table;
    let row = |r: &Report| {
        vec![
            r.box_id.clone(),
            r.total.objects.to_string(),
            if human { human_size(r.total.bytes) } else { r.total.bytes.to_string() },
            r.unread.to_string(),
            r.oldest.clone().unwrap_or_default(),
            r.newest.clone().unwrap_or_default(),
        ]
    };
    let mut list = ctx.out.list(&HEADERS);
    for r in reports.iter().chain(std::iter::once(&total)) {
        // Scripts get the whole report per box (groups included), the total last.
        list.push(r, row(r))?;
    }
    list.finish()
}
