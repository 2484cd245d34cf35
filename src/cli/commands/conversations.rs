//! `cpmctl conversations`: the box's conversations (chats, group chats, SMS/MMS threads)
//! with counts and dates, newest activity first, from one pass of search.

use jiff::Timestamp;

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

use super::common::rows::{one_line, short_date, truncate};
use super::common::sink::Sink;
use crate::message::address;
use crate::message::conversations::{self, Query, Summary};
use crate::message::criteria::Filter;
use crate::nms::items::resolve;
use crate::wire::Reference;

/// Columns of the plain form (and the names of JSON-less rows).
const HEADERS: [&str; 10] =
    ["ID", "TYPE", "LAST", "FIRST", "MESSAGES", "ATTACHMENTS", "UNREAD", "PEERS", "SUBJECT", "KEY"];
/// Columns of a table.
const TABLE_HEADERS: [&str; 7] = ["ID", "LAST", "TYPE", "MSGS", "FILES", "UNREAD", "WITH"];
/// Table columns never cut on a narrow terminal (WITH gives way).
const WHOLE: [&str; 6] = ["ID", "LAST", "TYPE", "MSGS", "FILES", "UNREAD"];

/// List conversations: 1-1 chats and group chats by Conversation-ID, SMS/MMS by peer set.
///
/// Each has a stable short ID (usable as `export --conversation ID`), its type (chat,
/// group-chat, sms-mms), peers or group subject, message, attachment and unread counts, and
/// first and last dates; newest activity first. IMDNs, session and group-state records count
/// as objects, not messages. Reading never changes flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl conversations
  cpmctl conversations --participant +15550002222 --since 30d
  cpmctl conversations --folder /RCSMessageStore -o ndjson | jq -r '.id + \" \" + .type'
  cpmctl conversations --mirror ~/mirror/alice   # offline, from a `cpmctl sync` mirror")]
pub struct ConversationsArgs {
    /// Only conversations this address takes part in (any spelling of a number).
    #[arg(long, value_name = "ADDR")]
    pub participant: Option<String>,
    /// Only objects stored on or after: an age (30m, 12h, 7d, 2w), a day (2024-05-01, UTC) or RFC 3339.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only objects stored before (exclusive): same forms as --since.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    /// Only this folder's subtree (path or id).
    #[arg(long, value_name = "FOLDER")]
    pub folder: Option<String>,
    /// Read a mirror made by `cpmctl sync DIR` instead of the server (offline).
    #[arg(long, value_name = "DIR")]
    pub mirror: Option<std::path::PathBuf>,
    /// Objects per request (the server may answer fewer).
    #[arg(long, value_name = "N", default_value_t = 200, hide = true)]
    pub page_size: u64,
}

pub async fn run(ctx: &mut Ctx, args: ConversationsArgs) -> Result<(), CliError> {
    if args.page_size == 0 {
        return Err(CliError::usage("--page-size must be at least 1"));
    }
    let participant = match &args.participant {
        None => None,
        Some(p) => match address::normalise(p) {
            n if n.is_empty() => return Err(CliError::usage("--participant: the address is empty")),
            n => Some(n),
        },
    };
    let filter = Filter { since: args.since.clone(), until: args.until.clone(), ..Default::default() };
    let now = Timestamp::now();
    let criteria = filter.build(now, None).map_err(CliError::usage)?.criteria;
    let listing = match &args.mirror {
        // Offline: the mirror's files and index, the same grouping (CPM profile §6.1.5).
        Some(dir) => {
            let m = super::export::open_mirror(dir, &args.since, &args.until, &args.folder, now)?;
            crate::export::source::list_mirror(&m, participant.as_deref()).map_err(super::export::error)?
        }
        None => {
            let client = ctx.client().await?;
            let scope = match &args.folder {
                Some(f) => Some(Reference::new(resolve::folder(&client, Some(f)).await?.url)),
                None => None,
            };
            let query = Query { scope, criteria, participant, page_size: args.page_size };
            conversations::list(&client, query).await?
        }
    };
    if listing.unsorted > 0 {
        ctx.out.status(format!("{} objects belong to no conversation", listing.unsorted));
    }
    if listing.dropped > 0 {
        ctx.out.warn(format!(
            "more than {} conversations: {} objects not summarised",
            conversations::MAX_CONVERSATIONS,
            listing.dropped
        ));
    }
    if listing.unreadable_group_states > 0 {
        ctx.out.warn(format!(
            "{} group-state documents unreadable ({}); those groups list the addresses on their messages",
            listing.unreadable_group_states,
            listing.group_state_error.as_deref().unwrap_or("unknown error")
        ));
    }
    let mut sink = Sink::new(&mut ctx.out, &TABLE_HEADERS, &HEADERS).keep_whole(&WHOLE);
    for s in &listing.conversations {
        let cells = row(s, sink.human());
        sink.push(s, cells)?;
    }
    sink.finish()
}

/// Who a conversation is with: a group's subject (and size), else its peers.
fn with(s: &Summary) -> String {
    let peers = s.peers.join(", ");
    match &s.subject {
        Some(subject) => format!("{subject} ({} peers)", s.peers.len()),
        None => peers,
    }
}

fn row(s: &Summary, human: bool) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    if human {
        vec![
            s.id.clone(),
            s.last_date.as_deref().map(short_date).unwrap_or_default(),
            s.conversation_type.as_str().to_string(),
            s.messages.to_string(),
            s.attachments.to_string(),
            s.unread.to_string(),
            truncate(&one_line(&with(s)), 60),
        ]
    } else {
        vec![
            s.id.clone(),
            s.conversation_type.as_str().to_string(),
            opt(&s.last_date),
            opt(&s.first_date),
            s.messages.to_string(),
            s.attachments.to_string(),
            s.unread.to_string(),
            one_line(&s.peers.join(",")),
            one_line(&opt(&s.subject)),
            one_line(&s.key),
        ]
    }
}
