//! `cpmctl export`: conversation histories into a directory (transcripts, records, attachments,
//! index and manifest). Thin: parse, call `export::run`, render the summary.

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::cli::output::progress::Progress;
use crate::export::{self, ExportError, Formats, Mirror, OfflineFilter, Options, Select, Source, Summary};
use crate::message::address;
use crate::message::criteria::Filter;
use crate::nms::items::resolve;
use crate::wire::Reference;

/// Export conversations: transcripts (HTML, text), full-fidelity records and attachments.
///
/// Each conversation gets a folder named from its peer or subject plus its short key, holding
/// `transcript.html`, `transcript.txt`, `messages.jsonl` (every object with all attributes,
/// flags and correlation ids, each part with its file and SHA-256) and `attachments/`. Objects of
/// no conversation go to `unsorted/` (with --all). `index.csv` lists every message and
/// `manifest.json` the query, the counts and the SHA-256 of every file. Reading never changes
/// flags. A non-empty DIR is refused (exit 7) unless --update merges into it.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl conversations                      # find the conversation's ID
  cpmctl export --conversation 3f2a9c01b7de --out ticket-4711
  cpmctl export --participant +15550002222 --since 2024-01-01 --out bob --zip
  cpmctl export --all --format html,txt,jsonl,eml,smsbr --out box
  cpmctl export --all --update --out box   # later: add what is new, mark what was deleted")]
#[command(group(clap::ArgGroup::new("what").required(true).args(["conversation", "participant", "folder", "all"])))]
pub struct ExportArgs {
    /// The conversations (IDs from `cpmctl conversations`, 6+ digit prefixes, or full keys).
    #[arg(long, value_name = "KEY", num_args = 1..)]
    pub conversation: Vec<String>,
    /// Every conversation this address takes part in (any spelling of a number).
    #[arg(long, value_name = "ADDR")]
    pub participant: Option<String>,
    /// Everything in this folder's subtree (path or id), objects of no conversation included.
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
    /// Every object of the box.
    #[arg(long)]
    pub all: bool,
    /// Only objects stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only objects stored before (exclusive): same forms as --since.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// The export directory (created; must be empty unless --update).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Formats, comma-separated: html, txt, jsonl, eml, mbox, csv, smsbr.
    #[arg(long, value_name = "LIST", default_value = Formats::DEFAULT)]
    pub format: String,
    /// Time zone of transcript times (IANA name such as Europe/Berlin); default: this machine's.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<String>,
    /// Merge into an existing export: new messages added, changed flags updated, messages gone
    /// from the store marked deleted (never dropped); transcripts and manifest rewritten.
    #[arg(long)]
    pub update: bool,
    /// At most N messages per transcript page (numbered pages linked to each other).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub split: Option<u64>,
    /// Also write DIR.zip holding the same files.
    #[arg(long)]
    pub zip: bool,
    /// A directory of templates (header.html, message.html, …) replacing the default ones.
    #[arg(long, value_name = "DIR")]
    pub template: Option<PathBuf>,
    /// Payload parts downloaded at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub concurrency: u64,
    /// Read a mirror made by `cpmctl sync DIR` instead of the server (offline).
    #[arg(long, value_name = "DIR")]
    pub mirror: Option<PathBuf>,
    /// Objects per search request.
    #[arg(long, value_name = "N", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=1000), hide = true)]
    pub page_size: u64,
}

/// Progress of the engine on the terminal's bar or log lines.
struct Bar(Progress);

impl export::Reporter for Bar {
    fn total(&self, objects: u64) {
        self.0.set_total(objects);
    }
    fn object_done(&self, bytes: u64) {
        self.0.add_bytes(bytes);
        self.0.inc();
    }
    fn note(&self, message: &str) {
        self.0.println(&format!("note: {message}"));
    }
}

pub async fn run(ctx: &mut Ctx, args: ExportArgs) -> Result<(), CliError> {
    let formats = Formats::parse(&args.format).map_err(|e| CliError::usage(format!("--format: {e}")))?;
    let (tz, tz_name) = time_zone(args.tz.as_deref())?;
    let select = if !args.conversation.is_empty() {
        Select::Conversations(args.conversation.clone())
    } else if let Some(p) = &args.participant {
        match address::normalise(p) {
            n if n.is_empty() => return Err(CliError::usage("--participant: the address is empty")),
            n => Select::Participant(n),
        }
    } else {
        Select::All
    };
    let now = Timestamp::now();
    let filter = Filter { since: args.since.clone(), until: args.until.clone(), ..Default::default() };
    let criteria = filter.build(now, None).map_err(CliError::usage)?.criteria;
    let mirror = match &args.mirror {
        Some(dir) => Some(open_mirror(dir, &args.since, &args.until, &args.folder, now)?),
        None => None,
    };
    let client = match &mirror {
        Some(_) => None,
        None => Some(ctx.client().await?),
    };
    let scope = match (&args.folder, &client) {
        (Some(f), Some(client)) => Some(Reference::new(resolve::folder(client, Some(f)).await?.url)),
        _ => None,
    };
    let query = serde_json::json!({
        "conversation": args.conversation,
        "participant": args.participant,
        "folder": args.folder,
        "all": args.all,
        "since": args.since,
        "until": args.until,
        "split": args.split,
        "mirror": args.mirror.as_ref().map(|m| m.display().to_string()),
    });
    let opts = Options {
        out: args.out.clone(),
        select,
        scope,
        criteria,
        formats,
        tz,
        tz_name,
        update: args.update,
        split: args.split,
        zip: args.zip,
        template_dir: args.template.clone(),
        concurrency: usize::try_from(args.concurrency).unwrap_or(8),
        page_size: args.page_size,
        query,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        now,
    };
    let progress = ctx.out.progress(None, "export");
    let source = match (&mirror, &client) {
        (Some(m), _) => Source::Mirror(m),
        (None, Some(c)) => Source::Store(c),
        (None, None) => return Err(CliError::failure("no source to export from")),
    };
    let result = export::run(&source, &opts, &Bar(progress.clone())).await;
    progress.finish();
    let summary = result.map_err(error)?;
    emit(ctx, &summary)?;
    if summary.failed_parts > 0 {
        return Err(CliError::partial(format!(
            "{} payload parts could not be saved (each reported above); their records say so",
            summary.failed_parts
        )));
    }
    Ok(())
}

/// Opens a mirror for offline reading with the filters the server would otherwise apply.
pub fn open_mirror(
    dir: &std::path::Path,
    since: &Option<String>,
    until: &Option<String>,
    folder: &Option<String>,
    now: Timestamp,
) -> Result<Mirror, CliError> {
    let when = |flag: &str, v: &Option<String>| -> Result<Option<Timestamp>, CliError> {
        v.as_deref()
            .map(|s| crate::message::time::parse_when(s, now).map_err(|e| CliError::usage(format!("{flag}: {e}"))))
            .transpose()
    };
    let filter =
        OfflineFilter { since: when("--since", since)?, until: when("--until", until)?, folder: folder.clone() };
    Mirror::open(dir, filter).map_err(error)
}

/// The zone named by `--tz`, else this machine's.
fn time_zone(name: Option<&str>) -> Result<(TimeZone, String), CliError> {
    match name {
        Some(n) => TimeZone::get(n.trim())
            .map(|tz| (tz, n.trim().to_string()))
            .map_err(|e| CliError::usage(format!("--tz {n:?}: {e}"))),
        None => {
            let tz = TimeZone::system();
            let name = tz.iana_name().unwrap_or("local").to_string();
            Ok((tz, name))
        }
    }
}

/// The exit code and words for each way an export stops.
pub fn error(e: ExportError) -> CliError {
    match e {
        e @ ExportError::NotEmpty(_) => CliError::refused(e.to_string())
            .hint("choose an empty or new directory, or add --update to merge into an earlier export"),
        e @ ExportError::Usage(_) => CliError::usage(e.to_string()),
        e @ ExportError::NoSuchConversation(_) => {
            CliError::not_found(e.to_string()).hint("`cpmctl conversations` lists the IDs")
        }
        ExportError::Nms(e) => (*e).into(),
        e => CliError::failure(e.to_string()),
    }
}

fn emit(ctx: &mut Ctx, s: &Summary) -> Result<(), CliError> {
    if ctx.out.is_machine() {
        return ctx.out.json(s);
    }
    let mut line = format!(
        "exported {} conversations ({} objects, {} messages, {} parts, {} bytes downloaded) to {} in {:.1}s",
        s.conversations, s.objects, s.messages, s.parts, s.bytes, s.out, s.seconds
    );
    if s.unsorted > 0 {
        line.push_str(&format!("; {} objects of no conversation in unsorted/", s.unsorted));
    }
    if s.added > 0 || s.marked_deleted > 0 {
        line.push_str(&format!("; {} new, {} marked deleted", s.added, s.marked_deleted));
    }
    if let Some(z) = &s.zip {
        line.push_str(&format!("; archive {z}"));
    }
    let line = format!("{}\n", crate::cli::output::sanitize::sanitize(&line));
    ctx.out.write_bytes(line.as_bytes())?;
    ctx.out.flush()
}
