//! `cpmctl demo`: starts the embedded reference server with the demo box inside this process
//! and runs a short tour through the everyday commands, printing each command line and its
//! output. `--serve` keeps the server up afterwards and says how to point cpmctl at it.

use std::path::PathBuf;

use crate::cli::args::GlobalArgs;
use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::{Output, OutputFormat, Prompt, write_shared};
use crate::config::{self, Env, Paths};
use crate::server::{self, ServerConfig};

use super::common::args::FilterArgs;
use super::flag::{FlagAction, FlagArgs, FlagTargets};
use super::get::GetArgs;
use super::ls::LsArgs;
use super::search::SearchArgs;
use crate::message::view::ObjectView;

/// Try cpmctl on a demo message store: no setup, no network.
///
/// Starts the reference server with a demo box on a free local port inside this process,
/// runs a short tour (ls, search, get with an image saved to a file, a flag change) and
/// exits. With `--serve` the server stays up, and the environment lines to point other
/// cpmctl commands at it are printed; Ctrl-C stops it, removes its temp data and exits 130.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl demo                 # the tour
  cpmctl demo --serve         # the tour, then keep the demo server running
  cpmctl demo --serve --port 8080")]
pub struct DemoArgs {
    /// Keep the demo server running after the tour (until Ctrl-C).
    #[arg(long)]
    pub serve: bool,
    /// Port for the demo server (default: any free port).
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    pub port: u16,
    /// Directory for the saved image (default: a new directory under the system temp dir).
    #[arg(long, value_name = "DIR")]
    pub save_dir: Option<PathBuf>,
}

/// Prints `$ cpmctl …` before a step.
fn step(out: &mut Output, line: &str) -> Result<(), CliError> {
    if !out.is_machine() {
        out.write_bytes(format!("\n$ cpmctl {line}\n").as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

pub async fn run(ctx: &mut Ctx, args: DemoArgs) -> Result<(), CliError> {
    // Listen before anything is started: `main` leaves Ctrl-C to this command, so that the
    // server is stopped and its temp dir removed however the demo ends.
    let interrupted = crate::cli::interrupt_listener();
    tokio::pin!(interrupted);
    let data = tempfile::Builder::new()
        .prefix("cpmctl-demo-")
        .tempdir()
        .map_err(|e| CliError::failure(format!("cannot create a temp dir: {e}")))?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .map_err(|e| CliError::failure(format!("cannot listen on 127.0.0.1:{}: {e}", args.port)))?;
    let running = server::start(ServerConfig::new(data.path().join("server")), listener).await?;
    // The tour swaps `ctx.out` out while it runs; status lines after an interrupt go here.
    let stderr = ctx.out.stderr();
    let quiet = ctx.out.quiet();
    let result = tokio::select! {
        r = session(ctx, &args, &running, data.path()) => r,
        _ = &mut interrupted => Err(CliError::interrupted()),
    };
    let result = match result {
        Ok(()) if args.serve => {
            (&mut interrupted).await;
            // The tour said "press Ctrl-C to stop": that is no error to report (exit 130 stays).
            Err(CliError::stopped_as_announced())
        }
        other => other,
    };
    if args.serve && !quiet {
        write_shared(&stderr, "stopping the demo server\n");
    }
    running.shutdown().await;
    // Removing the data dir can fail only if something else holds it; say so, keep the exit code.
    let path = data.path().to_path_buf();
    if let Err(e) = data.close() {
        write_shared(&stderr, &format!("warning: cannot remove {}: {e}\n", path.display()));
    }
    result
}

/// Seeds the demo box, runs the tour and, with `--serve`, says how to reach the server.
async fn session(
    ctx: &mut Ctx,
    args: &DemoArgs,
    running: &server::RunningServer,
    data: &std::path::Path,
) -> Result<(), CliError> {
    let info = server::seed_demo(running).await?;
    ctx.out.status(format!(
        "demo server on {} (box {}, user {}, data in {})",
        running.root_url(),
        info.box_id,
        info.user,
        data.display()
    ));

    // The tour runs the real commands against a context that knows only the demo server:
    // no config file, no keyring, the caller's output settings.
    let placeholder = Output::captured(OutputFormat::Plain).0;
    let out = std::mem::replace(&mut ctx.out, placeholder);
    let env = Env::from_pairs([
        (config::env::SERVER, info.base_url.as_str()),
        (config::env::USER, info.user.as_str()),
        (config::env::PASSWORD, info.password.as_str()),
        (config::env::NO_KEYRING, "1"),
    ]);
    let globals = GlobalArgs { output: ctx.globals.output, retries: ctx.globals.retries, ..GlobalArgs::default() };
    let mut demo = Ctx::new(globals, out, env, Prompt::disabled()).with_paths(Paths::under(&data.join("cli")));
    let result = tour(&mut demo, args, data).await;
    ctx.out = demo.out;
    result?;

    if args.serve {
        let lines = [
            String::new(),
            "The demo server keeps running; point cpmctl at it from another terminal:".to_string(),
            format!("  export CPMCTL_SERVER='{}'", info.base_url),
            format!("  export CPMCTL_USER='{}'", info.user),
            format!("  export CPMCTL_PASSWORD='{}'", info.password),
            "  cpmctl ls -R /RCSMessageStore".to_string(),
            "Press Ctrl-C to stop it.".to_string(),
        ];
        ctx.out.flush()?;
        for l in lines {
            // On stderr with the other status lines: stdout stays the tour's output.
            ctx.out.status(l);
        }
    } else {
        // A newcomer who reached the end wants a next step, not a silent prompt.
        let mut lines = vec![
            String::new(),
            "Try next:".to_string(),
            "  cpmctl demo --serve          # keep the demo server running and point cpmctl at it".to_string(),
        ];
        if args.save_dir.is_none() {
            lines.push(
                "  cpmctl demo --save-dir DIR   # keep the saved image (it went with the demo's temp data)".into(),
            );
        }
        lines.push("  cpmctl --help                # every command, with examples".into());
        ctx.out.flush()?;
        for l in lines {
            ctx.out.status(l);
        }
    }
    Ok(())
}

async fn tour(ctx: &mut Ctx, args: &DemoArgs, data: &std::path::Path) -> Result<(), CliError> {
    step(&mut ctx.out, "ls /")?;
    super::ls::run(ctx, ls(Some("/"), None)).await?;

    step(&mut ctx.out, "ls /RCSMessageStore --limit 5")?;
    super::ls::run(ctx, ls(Some("/RCSMessageStore"), Some(5))).await?;

    step(&mut ctx.out, "search --context chat --since 30d --limit 5")?;
    let filters = FilterArgs { context: Some("chat".into()), since: Some("30d".into()), ..Default::default() };
    super::search::run(ctx, search(filters, 5)).await?;

    // A file-transfer object with an image part (else any object with a part), found
    // quietly for the next steps.
    let client = ctx.client().await?;
    let newest = crate::message::criteria::sort_criterion("-date").map_err(CliError::failure)?;
    let mut ft = None;
    for context in [Some("file-message"), None] {
        let c = crate::wire::SelectionCriteria {
            max_entries: 20,
            search_criteria: context.map(|v| crate::wire::SearchCriteria {
                criterion: vec![crate::wire::SearchCriterion::new("Attribute", Some("Message-Context"), v)],
                operator: None,
            }),
            sort: vec![newest.clone()],
            ..Default::default()
        };
        let page = client.search_page(&c).await?;
        ft = page.object.iter().map(ObjectView::new).find(|v| !v.parts.is_empty());
        if ft.is_some() {
            break;
        }
    }
    let Some(ft) = ft else {
        return Err(CliError::failure("the demo box has no object with a payload part"));
    };
    step(&mut ctx.out, &format!("get {}", ft.id))?;
    super::get::run(ctx, get(&ft.id, None, None)).await?;

    // Without --save-dir the image goes inside the demo's own temp dir, which is removed at
    // exit: a tour must leave nothing behind in the system temp dir.
    let dir = args.save_dir.clone().unwrap_or_else(|| data.join("files"));
    std::fs::create_dir_all(&dir).map_err(|e| CliError::failure(format!("cannot create {}: {e}", dir.display())))?;
    let part = ft.parts.iter().find(|p| p.content_type.starts_with("image/")).unwrap_or(&ft.parts[0]);
    let image = part.index;
    let name =
        part.filename.as_deref().and_then(crate::message::files::safe_filename).unwrap_or_else(|| {
            format!("{}-{image}.{}", ft.id, crate::message::files::extension_for(&part.content_type))
        });
    let file = dir.join(name);
    // The file is the tour's own (same name on every run), so a second tour into the same
    // --save-dir replaces it instead of refusing.
    step(&mut ctx.out, &format!("get {} --part {image} --out {} --force", ft.id, file.display()))?;
    let mut save = get(&ft.id, Some(image.to_string()), Some(file.clone()));
    save.force = true;
    super::get::run(ctx, save).await?;

    step(&mut ctx.out, &format!("flag add flagged {}", ft.id))?;
    let targets = FlagTargets { flag: "flagged".into(), items: vec![ft.id.clone()], concurrency: 1, keyword: false };
    super::flag::run(ctx, FlagArgs { action: FlagAction::Add(targets) }).await?;

    step(&mut ctx.out, "search --flag flagged --limit 3")?;
    let filters = FilterArgs { flags: vec!["flagged".into()], ..Default::default() };
    super::search::run(ctx, search(filters, 3)).await?;
    ctx.out.flush()
}

fn ls(folder: Option<&str>, limit: Option<u64>) -> LsArgs {
    LsArgs {
        folder: folder.map(String::from),
        recursive: false,
        limit,
        all: false,
        cursor: None,
        sort: super::ls::FolderSort::Name,
        page_size: 100,
    }
}

fn search(filters: FilterArgs, limit: u64) -> SearchArgs {
    SearchArgs {
        filters,
        folder: None,
        sort: None,
        limit: Some(limit),
        all: false,
        cursor: None,
        criteria: None,
        page_size: 100,
    }
}

fn get(id: &str, part: Option<String>, out: Option<PathBuf>) -> GetArgs {
    GetArgs {
        items: vec![id.to_string()],
        payload: false,
        part: part.into_iter().collect(),
        all_parts: false,
        out,
        force: false,
        concurrency: 1,
    }
}
