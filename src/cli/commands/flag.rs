//! `cpmctl flag add|rm FLAG ID…|-`: adds or removes a flag on many objects through
//! bulkUpdate (AddFlag / RemoveFlag, at most 100 objects per request).

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::message::flags;
use crate::wire::{BulkOperation, BulkUpdate, FlagList, ObjectReferenceList, names};

use crate::nms::items::Item;
use crate::nms::items::batch::MAX_BULK;
use crate::nms::items::bulk;
use crate::nms::items::feed::{self, Feed, FeedOptions, FolderRule, Targets};

/// Add or remove a flag on objects.
///
/// Flag names are case-insensitive and may omit the backslash: `seen` is `\Seen`,
/// `flagged` is `\Flagged`, `forwarded` is `$Forwarded`. Any other name is refused unless it
/// starts with `\` or `$` or `--keyword` is given.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl flag add seen 01HZX3K4 01HZX3K5
  cpmctl flag rm flagged /RCSMessageStore/conv-1/01HZX3K4
  cpmctl search --context sms --no-flag seen --all -o plain | cpmctl flag add seen -")]
pub struct FlagArgs {
    #[command(subcommand)]
    pub action: FlagAction,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum FlagAction {
    /// Set FLAG on the objects.
    #[command(after_help = "Examples:
  cpmctl flag add seen 01HZX3K4 01HZX3K5
  cpmctl flag add flagged /RCSMessageStore/conv-1/01HZX3K4
  cpmctl flag add --keyword todo 01HZX3K4
  cpmctl search --context sms --no-flag seen --all -o plain | cpmctl flag add seen -")]
    Add(FlagTargets),
    /// Clear FLAG on the objects.
    #[command(after_help = "Examples:
  cpmctl flag rm flagged 01HZX3K4
  cpmctl search --flag flagged --all -o plain | cpmctl flag rm flagged -")]
    Rm(FlagTargets),
}

#[derive(Debug, Clone, clap::Args)]
pub struct FlagTargets {
    /// The flag: seen, answered, flagged, deleted, draft, forwarded, … or any `\Name`/`$Name`.
    pub flag: String,
    /// Object ids, paths, or `-` to read ids from stdin (one per line).
    #[arg(required = true, value_name = "ID|PATH|-")]
    pub items: Vec<String>,
    /// Parallel requests.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
    /// FLAG is a free keyword, set exactly as given (without it, a bare name that is not a
    /// CPM flag, such as `read`, is refused as a likely slip).
    #[arg(long)]
    pub keyword: bool,
}

pub async fn run(ctx: &mut Ctx, args: FlagArgs) -> Result<(), CliError> {
    ctx.out.expect_results();
    let (op, t) = match args.action {
        FlagAction::Add(t) => (BulkOperation::AddFlag, t),
        FlagAction::Rm(t) => (BulkOperation::RemoveFlag, t),
    };
    let flag = if t.keyword { t.flag.trim().to_string() } else { names::canonical_flag(t.flag.trim()) };
    if flag.is_empty() {
        return Err(CliError::usage("the flag name is empty"));
    }
    // `flag add read` would create a keyword nobody else reads; a `\`/`$` prefix or
    // --keyword says a keyword is meant.
    if !t.keyword && !flags::is_explicit(&flag) && !flags::is_cpm_flag(&flag) {
        let name = crate::cli::output::sanitize(&flag);
        let mut err = CliError::usage(format!("`{name}` is not a CPM flag (those are: {})", flags::known_list()));
        err = match flags::suggestion(&flag) {
            Some(s) => err.hint(format!("did you mean `{s}`? To set the keyword `{name}` anyway, add --keyword")),
            None => err.hint(format!("to set the keyword `{name}` anyway, add --keyword")),
        };
        return Err(err);
    }
    // No question to ask, so ids are flagged as they arrive (a list of any length runs in
    // flat memory); a folder stops the reading, batches already sent still finish.
    let mut targets = Targets::new(t.items)?;
    if targets.is_empty().await? {
        ctx.out.status("nothing to do (no ids given)");
        return Ok(());
    }
    let client = ctx.client().await?;
    let opts = FeedOptions { per: MAX_BULK, queue: t.concurrency.max(1), dedup: false, folders: FolderRule::Refuse };
    let Feed { batches, end } = Feed::start(targets, client.clone(), opts);
    let verb = if op == BulkOperation::AddFlag { "flag add" } else { "flag rm" };
    let progress = ctx.out.progress(None, verb);
    let machine = ctx.out.is_machine();
    let out = &mut ctx.out;
    let (c1, c2) = (client.clone(), client.clone());
    let (f1, f2) = (flag.clone(), flag.clone());
    let action = if op == BulkOperation::AddFlag { "add" } else { "remove" };
    let tally = bulk::run(
        feed::stream(batches),
        t.concurrency,
        &progress,
        move |refs| {
            let (c, flag) = (c1.clone(), f1.clone());
            async move {
                let u = BulkUpdate {
                    objects: Some(ObjectReferenceList { object_reference: refs }),
                    selection_criteria: None,
                    operation: op,
                    flags: FlagList::new([flag]),
                };
                c.bulk_update(&u).await
            }
        },
        move |item: Item| {
            let (c, flag) = (c2.clone(), f2.clone());
            async move {
                match op {
                    BulkOperation::AddFlag => c.add_flag(&item.id, &flag).await.map(|_| ()),
                    BulkOperation::RemoveFlag => c.remove_flag(&item.id, &flag).await.map(|_| ()),
                }
            }
        },
        |item, res| {
            if res.is_ok() && machine {
                out.result(&serde_json::json!({"id": item.id, "kind": "object", "action": action, "flag": flag}))?;
            }
            Ok(())
        },
    )
    .await;
    let tally = match tally {
        Ok(t) => t,
        Err(e) => {
            end.abort();
            return Err(e);
        }
    };
    let fed = Feed::finish(end).await;
    out.flush()?;
    progress.finish();
    fed.map_err(|e| super::common::refuse_folder(e, on_folder))?;
    super::common::outcome(&tally, verb)
}

fn on_folder(item: &Item) -> CliError {
    CliError::usage(format!("{} is a folder; flags are set on objects", item.label))
}
