//! `cpmctl serve`: run the embedded reference NMS server on SQLite, optionally with a demo box.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Context;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::write_shared;
use crate::server::{self, ServerConfig, auth};

/// Run the reference NMS server (OMA NMS REST API over SQLite in WAL mode).
///
/// Every request is authenticated (HTTP Basic or Bearer) against the users file and, with
/// --demo, the demo user. Data lives in --data and survives restarts. Ctrl-C stops the server
/// cleanly.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl serve --demo --data ./nms-data
  cpmctl serve --listen 0.0.0.0:8080 --users users.toml --data /var/lib/cpmctl
  printf '%s' 'secret' | cpmctl serve --hash-password

Users file (TOML):
  [[user]]
  name = \"alice\"
  password_hash = \"pbkdf2-sha256$100000$...\"   # from --hash-password
  tokens_sha256 = [\"<sha256 hex of a bearer token>\"]
  boxes = [\"tel:+15550001111\"]
  admin = false")]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Directory of the SQLite database (default: the cpmctl data dir, `server/` below it).
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// TOML users file with salted password hashes and token hashes.
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,
    /// Seed a demo user and box (idempotent) and print its URL and credentials.
    #[arg(long)]
    pub demo: bool,
    /// Store name in the URL path (`/nms/v1/STORE/BOX`).
    #[arg(long, value_name = "NAME", default_value = "cpm")]
    pub store: String,
    /// Largest accepted request body (bytes, or with a K/M/G suffix); larger ones get 413.
    #[arg(long, value_name = "SIZE", default_value = "64M", value_parser = parse_size)]
    pub max_body: usize,
    // Input limits (hostile input): each refused with 400 when exceeded.
    /// Deepest folder level below the root (`/a/b` is level 2).
    #[arg(long, value_name = "N", default_value_t = server::store::Limits::DEFAULT.max_folder_depth as u16,
        value_parser = clap::value_parser!(u16).range(1..))]
    pub max_folder_depth: u16,
    /// Most attribute values one object or folder may carry.
    #[arg(long, value_name = "N", default_value_t = server::store::Limits::DEFAULT.max_attributes as u32,
        value_parser = clap::value_parser!(u32).range(1..))]
    pub max_attributes: u32,
    /// Longest attribute name or value (bytes, or with a K/M/G suffix).
    #[arg(long, value_name = "SIZE", default_value = "256K", value_parser = parse_size)]
    pub max_attribute_size: usize,
    /// A folder (box path, e.g. /Default) nothing may be created in or below, nor moved or copied into:
    /// 403 POL1031. Repeatable.
    #[arg(long = "protect-folder", value_name = "PATH")]
    pub protect_folders: Vec<String>,
    /// A folder that may not be renamed: 403 POL1030 (the root never may). Repeatable.
    #[arg(long = "fixed-folder", value_name = "PATH")]
    pub fixed_folders: Vec<String>,
    /// Open connections at most; at the cap the oldest idle connection is closed to make room.
    #[arg(long, value_name = "N", default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: u32,
    /// Time a client has to send a request's headers (also the keep-alive idle timeout).
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub header_timeout: std::time::Duration,
    /// Longest pause allowed while a request body arrives.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub body_timeout: std::time::Duration,
    /// Objects one bulkUpdate / bulkDelete by selection may touch.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_selection: u64,
    /// Commit durability: `full` survives power loss; `normal` is faster but may lose the last
    /// acknowledged writes on power loss or an OS crash.
    #[arg(long, value_name = "MODE", default_value = "full", value_parser = ["full", "normal"])]
    pub synchronous: String,
    /// Print a salted hash of the password read from stdin, for the users file, and exit.
    #[arg(long, hide = true)]
    pub hash_password: bool,
    /// Testing: share (0-1) of notification lists dropped.
    #[arg(long, hide = true, value_name = "SHARE", default_value_t = 0.0, value_parser = parse_share)]
    pub fault_drop: f64,
    /// Testing: share (0-1) of notification lists queued twice.
    #[arg(long, hide = true, value_name = "SHARE", default_value_t = 0.0, value_parser = parse_share)]
    pub fault_duplicate: f64,
    /// Testing: share (0-1) of notification lists held back and sent after the next one.
    #[arg(long, hide = true, value_name = "SHARE", default_value_t = 0.0, value_parser = parse_share)]
    pub fault_reorder: f64,
    /// Testing: seed of the fault injector.
    #[arg(long, hide = true, value_name = "N", default_value_t = 0)]
    pub fault_seed: u64,
}

fn parse_share(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("not a share between 0 and 1: {s:?}")),
    }
}

/// `123`, `64K`, `64M`, `1G` (binary multiples; `KiB`/`MB` spellings accepted).
fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: usize = num.parse().map_err(|_| format!("not a size: {s:?}"))?;
    let mult: usize = match unit.trim().to_ascii_lowercase().trim_end_matches("ib").trim_end_matches('b') {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return Err(format!("unknown size unit in {s:?} (use K, M or G)")),
    };
    n.checked_mul(mult).ok_or_else(|| format!("size too large: {s:?}"))
}

/// `30s`, `2m`, `500ms` (humantime); zero is refused.
fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    match humantime::parse_duration(s.trim()) {
        Ok(d) if !d.is_zero() => Ok(d),
        Ok(_) => Err("a timeout of zero is not allowed".into()),
        Err(e) => Err(format!("not a duration: {s:?} ({e})")),
    }
}

/// The warning printed when a hidden `--fault-*` option is active, naming the active ones.
fn fault_warning(args: &ServeArgs) -> Option<String> {
    let active: Vec<String> = [
        ("--fault-drop", args.fault_drop),
        ("--fault-duplicate", args.fault_duplicate),
        ("--fault-reorder", args.fault_reorder),
    ]
    .into_iter()
    .filter(|(_, v)| *v > 0.0)
    .map(|(n, v)| format!("{n} {v}"))
    .collect();
    (!active.is_empty()).then(|| {
        format!(
            "fault injection is on ({}): notifications are deliberately lost, repeated or reordered; for testing only",
            active.join(", ")
        )
    })
}

/// `server/` below the cpmctl data dir (`CPMCTL_DATA_DIR` or the platform's, as
/// `config::Paths` resolves it); `./nms-data` on a system without a home directory.
fn default_data_dir(ctx: &mut Ctx) -> PathBuf {
    match ctx.paths() {
        Ok(p) => p.data_dir.join("server"),
        Err(_) => PathBuf::from("nms-data"),
    }
}

/// Runs the server until Ctrl-C.
pub async fn run(ctx: &mut Ctx, args: ServeArgs) -> Result<(), CliError> {
    if args.hash_password {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("reading the password from stdin")?;
        let password = line.trim_end_matches(['\r', '\n']);
        if password.is_empty() {
            return Err(CliError::usage("no password on stdin"));
        }
        // A closed stdout is the reader's choice: quiet success (CliError maps BrokenPipe).
        ctx.out.write_bytes(format!("{}\n", auth::hash_password(password)).as_bytes())?;
        ctx.out.flush()?;
        return Ok(());
    }
    // Listen before the store opens and the demo is seeded: a Ctrl-C during start-up is
    // caught by the process-wide handler already, and a `ctrl_c()` made later would miss it.
    let interrupted = crate::cli::interrupt_listener();
    let data_dir = match args.data.clone() {
        Some(d) => d,
        None => default_data_dir(ctx),
    };
    let mut config = ServerConfig::new(&data_dir);
    config.users_file = args.users.clone();
    config.store_name = args.store.clone();
    config.max_body_bytes = args.max_body;
    config.max_folder_depth = usize::from(args.max_folder_depth);
    config.max_attributes = args.max_attributes as usize;
    config.max_attribute_value_bytes = args.max_attribute_size;
    config.protected_folders = args.protect_folders.clone();
    config.fixed_name_folders = args.fixed_folders.clone();
    config.max_connections = args.max_connections as usize;
    config.header_read_timeout = args.header_timeout;
    config.body_read_timeout = args.body_timeout;
    config.max_selection = args.max_selection;
    config.durability =
        if args.synchronous == "normal" { server::store::Durability::Normal } else { server::store::Durability::Full };
    if let Some(w) = fault_warning(&args) {
        ctx.out.warn(w);
    }
    if ctx.verbose() {
        let stderr = ctx.out.stderr();
        config.log = Some(crate::server::LogSink(std::sync::Arc::new(move |line: &str| {
            write_shared(&stderr, &format!("{line}\n"))
        })));
    }
    config.fault = server::FaultConfig {
        drop: args.fault_drop,
        duplicate: args.fault_duplicate,
        reorder: args.fault_reorder,
        seed: args.fault_seed,
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let running = server::start(config, listener).await?;
    ctx.out.status(format!("serving NMS on {} (data in {}); Ctrl-C stops", running.root_url(), data_dir.display()));
    if args.demo {
        let info = server::seed_demo(&running).await?;
        let banner = format!(
            "nms_base: {}\nbox: {}\nuser: {}\npassword: {}\n",
            info.base_url, info.box_id, info.user, info.password
        );
        // A closed stdout (`cpmctl serve --demo | head -1`) must not stop the server.
        if let Err(e) = ctx.out.write_bytes(banner.as_bytes()).and_then(|()| ctx.out.flush()) {
            ctx.out.debug(format!("stdout: {}", e.message));
        }
    }
    interrupted.await;
    ctx.out.status("shutting down");
    running.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("123"), Ok(123));
        assert_eq!(parse_size("64M"), Ok(64 << 20));
        assert_eq!(parse_size("2KiB"), Ok(2048));
        assert!(parse_size("1X").is_err());
    }

    #[test]
    fn shares() {
        assert_eq!(super::parse_share("0.2"), Ok(0.2));
        assert!(super::parse_share("1.5").is_err());
    }
}
