//! `cpmctl subscribe`: watch a box live through a Notification Channel and an NMS
//! subscription, print each change once as it arrives, and keep the restartToken per profile
//! so that `--resume` continues where the last run stopped.

use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::{FutureExt, StreamExt};
use serde::Serialize;

use super::common::changes::{Described, Describer};
use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::{Output, OutputFormat, sanitize};
use crate::message::criteria;
use crate::nms::notify::state::{self, Loaded, SavedState, save_state, state_path};
use crate::nms::notify::{Reuse, Snapshot, WatchEvent, WatchOptions, Watcher, watch};
use crate::nms::{NmsClient, id_from_url};
use crate::wire::{self, NmsEvent, SearchCriteria, SearchCriterion, names};

/// Watch a box: print every change (new, flagged, moved, deleted objects and folders) as it happens.
///
/// Runs until Ctrl-C, which deletes the subscription and the channel (unless --keep) and exits
/// with 130. The position reached is saved per profile after every batch, so `--resume`
/// prints exactly the changes made since the last run stopped, even while it was down.
/// With `-o ndjson` (or `-o json`) each event is one JSON object on its own line, flushed at once.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl subscribe                               # live changes, table on a terminal
  cpmctl subscribe -o ndjson | jq -c 'select(.kind == \"deletedObject\")'
  cpmctl subscribe --context chat --resume       # continue from the last run of this profile
  cpmctl subscribe --filter criteria.json        # a searchCriteria, wrapped or bare
  cpmctl subscribe --keep --resume               # reuse the channel and subscription left by --keep")]
pub struct SubscribeArgs {
    /// Only report changes of objects matching this searchCriteria (JSON FILE, or `-` for stdin).
    #[arg(long, value_name = "FILE|-")]
    pub filter: Option<PathBuf>,
    /// Only this message context: sms, mms, chat, file, … or a full value such as pager-message.
    #[arg(long, value_name = "CONTEXT")]
    pub context: Option<String>,
    /// Only this Conversation-ID.
    #[arg(long, value_name = "ID")]
    pub conversation: Option<String>,
    /// Continue from the position saved by the previous run of this profile.
    #[arg(long)]
    pub resume: bool,
    /// Leave the subscription and the channel on the server when stopping (a later
    /// `--resume --keep` reuses them).
    #[arg(long)]
    pub keep: bool,
    /// Subscription duration to ask for, in seconds (renewed before it runs out).
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    pub duration: u64,
    /// How long later notifications wait for a missing one before it is fetched again (ms).
    #[arg(long, value_name = "MS", default_value_t = 2000, hide = true)]
    pub hold_ms: u64,
}

/// The JSON form of one event (`-o json` / `-o ndjson`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct EventRecord<'a> {
    kind: &'a str,
    id: String,
    #[serde(rename = "resourceURL")]
    resource_url: &'a str,
    last_mod_seq: Option<u64>,
    flags: Vec<String>,
    parent_folder: Option<&'a str>,
    /// Folder name (changedFolder only).
    name: Option<&'a str>,
    index: u64,
    restart_token: Option<&'a str>,
}

/// The table says what changed, for people; the JSON stays the event as it came.
const TABLE_HEADERS: [&str; 5] = ["TIME", "CHANGE", "PEER", "TEXT", "ID"];
const TABLE_WIDTHS: [usize; 4] = [8, 22, 16, 36];

pub async fn run(ctx: &mut Ctx, args: SubscribeArgs) -> Result<(), CliError> {
    // Installed before anything slow, so an early Ctrl-C still ends in an orderly exit 130.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let filter = build_filter(&args)?;
    let setup = async {
        let client = ctx.client().await?;
        let profile = ctx.settings()?.profile;
        let path = state_path(&ctx.paths()?.data_dir, &profile);
        Ok::<_, CliError>((client, profile, path))
    };
    let (client, profile, path) = tokio::select! {
        r = setup => r?,
        _ = &mut interrupted => return Err(CliError::interrupted()),
    };
    let base = client.base_url().to_string();
    let saved = load_state(&path, &base, &ctx.out);

    let mut opts = WatchOptions {
        filter,
        duration: Some(args.duration),
        hold: Duration::from_millis(args.hold_ms),
        ..Default::default()
    };
    let mut leftovers = saved.as_ref().map(|s| (s.subscription_url.clone(), s.channel_url.clone()));
    if args.resume {
        match saved.as_ref().and_then(|s| s.restart_token.clone()) {
            Some(token) => {
                opts.restart_token = Some(token);
                if args.keep
                    && let Some(s) = &saved
                    && let Some(channel_url) = s.channel_url.clone()
                {
                    opts.reuse = Some(Reuse { channel_url, subscription_url: s.subscription_url.clone() });
                    leftovers = None;
                }
            }
            None => ctx.out.warn(format!("no saved position for profile `{profile}`: starting from now")),
        }
    }
    if let Some((sub, channel)) = leftovers {
        // What an earlier `--keep` run left and this run does not reuse would only pile up.
        remove_leftovers(&client, sub.as_deref(), channel.as_deref()).await;
    }

    let mut state = SavedState { nms_base: base, restart_token: opts.restart_token.clone(), ..Default::default() };
    let mut watcher = watch(&client, opts);
    let describer = (ctx.out.format() == OutputFormat::Table).then(|| Describer::new(client.clone()));
    let mut printer = Printer { header_done: false, subscribed: false, describer, described: None };
    let outcome = loop {
        tokio::select! {
            item = watcher.next() => match item {
                None => break Ok(()),
                Some(Err(e)) => break Err(CliError::from(e).context("watching the box failed")),
                Some(Ok(event)) => {
                    // A table row says what changed, which takes a look at the object first.
                    let described = match (&mut printer.describer, &event) {
                        (Some(d), WatchEvent::Event { event, .. }) => Some(d.describe(event).await),
                        _ => None,
                    };
                    printer.described = described;
                    if let Err(e) = handle(&mut ctx.out, &mut printer, &mut state, &path, event) {
                        break Err(e);
                    }
                }
            },
            _ = &mut interrupted => {
                // Finish the list in hand: events of a list already printed must reach the
                // checkpoint that follows them, or `--resume` would print them a second time.
                // Only items that are ready now are taken; nothing waits on the network.
                for _ in 0..MAX_DRAIN {
                    let Some(Some(Ok(event))) = watcher.next().now_or_never() else { break };
                    if handle(&mut ctx.out, &mut printer, &mut state, &path, event).is_err() {
                        break;
                    }
                }
                break Err(CliError::interrupted());
            }
        }
    };
    finish(watcher, &mut state, &path, args.keep, &mut ctx.out).await;
    outcome
}

/// Records the final position and either leaves the channel and subscription (`--keep`) or
/// deletes them, bounded in time so a dead server cannot hold the exit.
async fn finish(watcher: Watcher, state: &mut SavedState, path: &Path, keep: bool, out: &mut Output) {
    let snap: Snapshot = watcher.snapshot();
    if snap.restart_token.is_some() {
        state.restart_token = snap.restart_token.clone();
    }
    if keep {
        state.channel_url = snap.channel_url.clone();
        state.subscription_url = snap.subscription_url.clone();
        let _ = watcher.detach();
        if let Some(sub) = &snap.subscription_url {
            out.status(format!("kept subscription {sub}"));
        }
    } else {
        state.channel_url = None;
        state.subscription_url = None;
        match tokio::time::timeout(Duration::from_secs(5), watcher.close()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => out.warn(format!("could not delete the subscription or the channel: {e}")),
            Err(_) => out.warn("deleting the subscription and the channel timed out"),
        }
    }
    if let Err(e) = save_state(path, state) {
        out.warn(format!("could not save the position to {}: {e}", path.display()));
    }
}

async fn remove_leftovers(client: &NmsClient, sub: Option<&str>, channel: Option<&str>) {
    let nc = client.notify();
    if let Some(sub) = sub {
        let _ = tokio::time::timeout(Duration::from_secs(5), nc.delete_subscription(sub)).await;
    }
    if let Some(channel) = channel {
        let _ = tokio::time::timeout(Duration::from_secs(5), nc.delete_channel(channel)).await;
    }
}

/// Ready items taken after Ctrl-C at most (a list holds at most a few hundred events).
const MAX_DRAIN: usize = 10_000;

struct Printer {
    header_done: bool,
    subscribed: bool,
    /// Table output only.
    describer: Option<Describer>,
    /// What the next event printed means (table output; taken by [`print_event`]).
    described: Option<Described>,
}

fn handle(
    out: &mut Output,
    printer: &mut Printer,
    state: &mut SavedState,
    path: &Path,
    event: WatchEvent,
) -> Result<(), CliError> {
    match event {
        WatchEvent::Event { event, restart_token, index } => {
            print_event(out, printer, &event, restart_token.as_deref(), index)?;
        }
        WatchEvent::Reset { restart_token, index } => {
            out.warn("the box was reset (resetBox): everything known about it before is stale");
            print_event(
                out,
                printer,
                &NmsEvent { reset_box: Some(wire::lenient::Present), ..Default::default() },
                restart_token.as_deref(),
                index,
            )?;
        }
        WatchEvent::Checkpoint { restart_token, .. } => {
            if restart_token.is_some() && restart_token != state.restart_token {
                state.restart_token = restart_token;
                if let Err(e) = save_state(path, state) {
                    out.warn(format!("could not save the position to {}: {e}", path.display()));
                }
            }
        }
        WatchEvent::Subscribed { subscription_url, recreated, from_token, .. } => {
            if recreated {
                out.warn("the channel or the subscription was lost; subscribed again from the last position");
            } else if !printer.subscribed {
                out.status("watching for changes (Ctrl-C to stop)");
            }
            out.debug(format!("subscription {subscription_url} from {}", from_token.as_deref().unwrap_or("now")));
            printer.subscribed = true;
            if state.restart_token.is_none() && from_token.is_some() {
                // The starting position: a later --resume must not miss what happens from here.
                state.restart_token = from_token;
                if let Err(e) = save_state(path, state) {
                    out.warn(format!("could not save the position to {}: {e}", path.display()));
                }
            }
        }
        WatchEvent::Recovered { from_token, missing_from } => {
            out.debug(format!(
                "notifications from index {missing_from} went missing; replaying from {}",
                from_token.as_deref().unwrap_or("(no token: skipped)")
            ));
        }
        WatchEvent::Retrying { reason, delay } => {
            out.warn(format!("{reason}; retrying in {}", humantime::format_duration(round(delay))));
        }
    }
    Ok(())
}

fn round(d: Duration) -> Duration {
    Duration::from_millis(d.as_millis().min(u128::from(u64::MAX)) as u64 / 100 * 100)
}

fn print_event(
    out: &mut Output,
    printer: &mut Printer,
    event: &NmsEvent,
    restart_token: Option<&str>,
    index: u64,
) -> Result<(), CliError> {
    let kind = event.kind();
    let url = event.resource_url();
    let (flags, parent, name) = match (&event.changed_object, &event.changed_folder) {
        (Some(o), _) => (o.flags.flag.clone(), Some(o.parent_folder.as_str()), None),
        (_, Some(f)) => (Vec::new(), Some(f.parent_folder.as_str()), Some(f.name.as_str())),
        _ => (Vec::new(), None, None),
    };
    let parent = parent.filter(|p| !p.is_empty());
    let record = EventRecord {
        kind,
        id: if url.is_empty() { String::new() } else { id_from_url(url) },
        resource_url: url,
        last_mod_seq: event.last_mod_seq(),
        flags,
        parent_folder: parent,
        name,
        index,
        restart_token,
    };
    match out.format() {
        OutputFormat::Json | OutputFormat::Ndjson => out.ndjson_line(&record),
        OutputFormat::Plain => {
            let cells = cells(&record, jiff::Timestamp::now().to_string());
            let line = crate::cli::output::table::plain_line(&cells);
            out.write_bytes(line.as_bytes())?;
            out.flush()
        }
        OutputFormat::Table => {
            if !printer.header_done {
                printer.header_done = true;
                let header: Vec<String> = TABLE_HEADERS.iter().map(|h| h.to_string()).collect();
                out.write_bytes(fixed_line(&header, &TABLE_WIDTHS).as_bytes())?;
            }
            let time = jiff::Zoned::now().strftime("%H:%M:%S").to_string();
            let d = printer
                .described
                .take()
                .unwrap_or_else(|| Described { change: kind.to_string(), ..Default::default() });
            let cells = vec![time, d.change, d.peer, d.text, record.id.clone()];
            out.write_bytes(fixed_line(&cells, &TABLE_WIDTHS).as_bytes())?;
            out.flush()
        }
    }
}

fn cells(r: &EventRecord<'_>, time: String) -> Vec<String> {
    let mut id = r.id.clone();
    if let Some(name) = r.name.filter(|n| !n.is_empty()) {
        id = format!("{id} ({name})");
    }
    vec![
        time,
        r.kind.to_string(),
        id,
        r.last_mod_seq.map(|s| s.to_string()).unwrap_or_default(),
        r.flags.join(","),
        r.parent_folder.map(id_from_url).unwrap_or_default(),
    ]
}

/// Fixed columns so that rows line up as they stream in (a table cannot be measured first):
/// cells padded (or cut with `…`) to `widths`, the last one as it is; one line always.
fn fixed_line(cells: &[String], widths: &[usize]) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        let cell = super::common::rows::one_line(&sanitize(cell));
        match widths.get(i) {
            Some(w) => {
                let cut = super::common::rows::truncate(&cell, *w);
                let pad = w.saturating_sub(cut.chars().count());
                line.push_str(&cut);
                line.push_str(&" ".repeat(pad + 2));
            }
            None => line.push_str(&cell),
        }
    }
    let mut line = line.trim_end().to_string();
    line.push('\n');
    line
}

/// `--filter` plus the simple flags, And-ed.
fn build_filter(args: &SubscribeArgs) -> Result<Option<SearchCriteria>, CliError> {
    let criteria = match &args.filter {
        None => None,
        Some(p) => {
            let text = if p.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| CliError::usage(format!("reading stdin: {e}")))?
            } else {
                std::fs::read_to_string(p).map_err(|e| CliError::usage(format!("--filter {}: {e}", p.display())))?
            };
            Some(criteria::read_search(&text).map_err(|e| CliError::usage(format!("--filter {}: {e}", p.display())))?)
        }
    };
    let mut simple = Vec::new();
    if let Some(c) = &args.context {
        simple.push(SearchCriterion::new("Attribute", Some(names::MESSAGE_CONTEXT), names::message_context(c)));
    }
    if let Some(c) = &args.conversation {
        simple.push(SearchCriterion::new("Attribute", Some(names::CONVERSATION_ID), c.clone()));
    }
    criteria::and(criteria, simple).ok_or_else(|| {
        CliError::usage("--context/--conversation can only be combined with a --filter whose operator is And")
    })
}

/// The saved state of this profile when it belongs to `base`; problems are warnings.
fn load_state(path: &Path, base: &str, out: &Output) -> Option<SavedState> {
    match state::load(path, base) {
        Loaded::Found(s) => Some(s),
        Loaded::Missing => None,
        Loaded::Unusable(why) => {
            out.warn(why);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> SubscribeArgs {
        SubscribeArgs {
            filter: None,
            context: None,
            conversation: None,
            resume: false,
            keep: false,
            duration: 3600,
            hold_ms: 2000,
        }
    }

    #[test]
    fn filters_combine() {
        assert_eq!(build_filter(&args()).unwrap(), None);
        let a = SubscribeArgs { context: Some("sms".into()), conversation: Some("c1".into()), ..args() };
        let f = build_filter(&a).unwrap().unwrap();
        assert_eq!(f.criterion.len(), 2);
        assert_eq!(f.criterion[0].name.as_deref(), Some("Message-Context"));
        assert_eq!(f.criterion[0].value, "pager-message");
        assert_eq!(f.criterion[1].value, "c1");
    }

    #[test]
    fn a_state_of_another_box_is_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let path = state_path(dir.path(), "p");
        let mut s = SavedState { nms_base: "http://h/nms/v1/cpm/b".into(), ..Default::default() };
        save_state(&path, &mut s).unwrap();
        let (out, _, err) = Output::captured(OutputFormat::Plain);
        assert_eq!(load_state(&path, "http://h/nms/v1/cpm/b", &out), Some(s));
        assert_eq!(load_state(&path, "http://h/nms/v1/cpm/other", &out), None);
        assert!(err.text().contains("not used"));
    }

    #[test]
    fn rows_line_up() {
        let r = EventRecord {
            kind: "changedObject",
            id: "abc".into(),
            resource_url: "http://h/objects/abc",
            last_mod_seq: Some(7),
            flags: vec!["\\Seen".into()],
            parent_folder: Some("http://h/folders/f1"),
            name: None,
            index: 1,
            restart_token: None,
        };
        assert_eq!(cells(&r, "12:00:00".into())[1..], ["changedObject", "abc", "7", "\\Seen", "f1"]);
        let row = |c: &[&str]| fixed_line(&c.iter().map(|x| x.to_string()).collect::<Vec<_>>(), &TABLE_WIDTHS);
        let a = row(&["12:00:00", "new", "+15550002222", "hello", "abc"]);
        let b = row(&["12:00:01", "moved to /a/very/long/folder/path/name", "+1555", &"x".repeat(80), "abc"]);
        // Every column starts at the same place whatever the cells hold.
        let at = |s: &str| s[..s.find("abc").unwrap()].chars().count();
        assert_eq!(at(&a), at(&b), "{a}{b}");
        assert!(b.contains('…'));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["resourceURL"], "http://h/objects/abc");
        assert_eq!(json["lastModSeq"], 7);
        assert_eq!(json["parentFolder"], "http://h/folders/f1");
    }
}
