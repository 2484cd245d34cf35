//! `cpmctl search`: objects matching filter flags or raw criteria, streamed page by page.

use std::path::PathBuf;

use jiff::Timestamp;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::wire::{Reference, SelectionCriteria};

use super::common::args::FilterArgs;
use super::common::rows::{DROP_FIRST, LIST_HEADERS, TABLE_HEADERS, WHOLE_COLUMNS, object_row};
use super::common::sink::Sink;
use crate::message::criteria::{read_criteria, sort_criterion};
use crate::message::view::{ObjectView, display_path};
use crate::nms::items::resolve;

/// Results shown when neither --limit nor --all is given.
pub const DEFAULT_LIMIT: u64 = 50;

/// Search objects. Filters combine with AND; results stream page by page, newest first.
///
/// No result is not an error (exit 0). `-o plain` prints the id first on each line and
/// `-o ndjson` one record per line, both ready for `cpmctl rm -` or `cpmctl flag add … -`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl search --context sms --since 7d
  cpmctl search --participant tel:+15550002222 --no-flag seen
  cpmctl search --conversation 1f3c… --since 30d --sort date
  cpmctl search --text invoice --folder /RCSMessageStore --all -o ndjson
  cpmctl search --criteria criteria.json           # raw selectionCriteria or searchCriteria
  cpmctl search --context sms --all -o ndjson | jq -r .id | cpmctl rm --yes -")]
pub struct SearchArgs {
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Only this folder's subtree (path or id).
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
    /// Sort: date (oldest first), -date (newest first, the default), size / -size, or NAME /
    /// -NAME for an attribute (e.g. from, subject).
    #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Show at most N results [default: 50].
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub limit: Option<u64>,
    /// Show every result (fetched page by page).
    #[arg(long)]
    pub all: bool,
    /// Continue from the cursor a previous run printed.
    #[arg(long, value_name = "CURSOR")]
    pub cursor: Option<String>,
    /// Raw JSON criteria from FILE or `-` (stdin): a selectionCriteria or a searchCriteria,
    /// wrapped in its root element or bare. Filter flags are AND-ed to it.
    #[arg(long, value_name = "FILE|-")]
    pub criteria: Option<PathBuf>,
    /// Results per request (the server may answer fewer).
    #[arg(long, value_name = "N", default_value_t = 100, hide = true)]
    pub page_size: u64,
}

pub async fn run(ctx: &mut Ctx, args: SearchArgs) -> Result<(), CliError> {
    if args.page_size == 0 {
        return Err(CliError::usage("--page-size must be at least 1"));
    }
    let raw = match &args.criteria {
        None => None,
        Some(p) => {
            let text = if p.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(|e| CliError::usage(format!("reading stdin: {e}")))?
            } else {
                std::fs::read_to_string(p).map_err(|e| CliError::usage(format!("{}: {e}", p.display())))?
            };
            Some(read_criteria(&text).map_err(|e| CliError::usage(format!("--criteria {}: {e}", p.display())))?)
        }
    };
    let raw_search = raw.as_ref().and_then(|r| r.search_criteria.clone());
    let filters = args.filters.build(Timestamp::now(), raw_search).map_err(CliError::usage)?;
    let sort = match (&args.sort, raw.as_ref().map(|r| &r.sort)) {
        (Some(s), _) => vec![sort_criterion(s).map_err(CliError::usage)?],
        (None, Some(s)) if !s.is_empty() => s.clone(),
        _ => vec![sort_criterion("-date").map_err(CliError::usage)?],
    };
    // An unknown context is legal on the wire but mostly a slip that matches nothing; the
    // exact value can still be searched with --attr Message-Context=VALUE, without a warning.
    if let Some(c) = args.filters.context.as_deref()
        && !crate::message::context::is_known(c.trim())
    {
        ctx.out.warn(format!(
            "--context {}: not a known Message-Context (known: {}); searching for it as given \
             (use --attr Message-Context=VALUE for any other value)",
            crate::cli::output::sanitize(c),
            crate::message::context::known_list()
        ));
    }
    let client = ctx.client().await?;
    let (scope, non_recursive) = match &args.folder {
        Some(f) => (Some(Reference::new(resolve::folder(&client, Some(f)).await?.url)), None),
        None => (raw.as_ref().and_then(|r| r.search_scope.clone()), raw.as_ref().and_then(|r| r.non_recursive_scope)),
    };
    let limit = if args.all { None } else { Some(args.limit.unwrap_or(DEFAULT_LIMIT)) };
    let mut criteria = SelectionCriteria {
        max_entries: args.page_size,
        from_cursor: args.cursor.clone(),
        search_scope: scope,
        non_recursive_scope: non_recursive,
        search_criteria: filters.criteria.clone(),
        sort,
    };
    let local_filter = filters.is_local();
    let mut sink =
        Sink::new(&mut ctx.out, &TABLE_HEADERS, &LIST_HEADERS).keep_whole(&WHOLE_COLUMNS).drop_first(&DROP_FIRST);
    let mut shown = 0u64;
    let mut more: Option<Option<String>> = None;
    loop {
        let want = match limit {
            // With a local filter, pages are not cut to the limit: fewer than asked may pass.
            Some(l) if !local_filter => (l - shown).min(args.page_size),
            _ => args.page_size,
        };
        if want == 0 {
            more = Some(criteria.from_cursor.clone());
            break;
        }
        criteria.max_entries = want;
        let page = client.search_page(&criteria).await?;
        let n = page.object.len();
        let mut cut = false;
        for o in page.object {
            if !filters.accepts(&o.attributes) {
                continue;
            }
            if limit.is_some_and(|l| shown >= l) {
                cut = true;
                break;
            }
            let mut v = ObjectView::from_object(o);
            v.path = v.path.as_deref().map(display_path);
            let cells = object_row(&v, sink.human());
            sink.push(&v, cells)?;
            shown += 1;
        }
        sink.end_page()?;
        let next = page.cursor.as_deref().filter(|c| !c.is_empty() && Some(*c) != criteria.from_cursor.as_deref());
        match next {
            Some(c) if n > 0 => {
                if cut {
                    more = Some(None);
                    break;
                }
                criteria.from_cursor = Some(c.to_string());
            }
            _ => {
                if cut {
                    more = Some(None);
                }
                break;
            }
        }
        if local_filter && limit.is_some_and(|l| shown >= l) {
            more = Some(None);
            break;
        }
    }
    sink.finish()?;
    match more {
        Some(Some(c)) => ctx.out.status(format!("more results: add --cursor '{c}' (or use --all)")),
        Some(None) => ctx.out.status("more results may exist: raise --limit or use --all"),
        None if shown == 0 && !ctx.out.is_machine() => ctx.out.status("no objects match"),
        None => {}
    }
    Ok(())
}
