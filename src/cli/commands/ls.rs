//! `cpmctl ls [FOLDER]`: a folder's sub-folders and objects, page by page, optionally the
//! whole tree (`-R`).

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

use super::common::rows::{DROP_FIRST, LIST_HEADERS, TABLE_HEADERS, WHOLE_COLUMNS, folder_row, object_row, one_line};
use super::common::sink::Sink;
use crate::message::listing::{Entries, FolderOrder, Lister, Position};
use crate::message::view::{FolderView, ObjectView};
use crate::nms::items::resolve;

/// Entries shown when neither --limit nor --all is given.
pub const DEFAULT_LIMIT: u64 = 100;

/// List a folder: its sub-folders, then its objects (newest first).
///
/// Objects show date, direction, from, to, message context, flags, size and subject or text.
/// Reading never changes flags.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Examples:
  cpmctl ls                                  # the root folder
  cpmctl ls /RCSMessageStore                 # a folder by path
  cpmctl ls RCSMessageStore --sort activity  # conversations with recent messages first
  cpmctl ls -R /RCSMessageStore --all        # the whole tree below it
  cpmctl ls /RCSMessageStore --limit 20 -o ndjson
  cpmctl ls /RCSMessageStore --cursor 'o:…'  # continue where a previous run stopped")]
pub struct LsArgs {
    /// Folder path (`/RCSMessageStore/conv-1`) or folder id; default: the root.
    #[arg(value_name = "FOLDER")]
    pub folder: Option<String>,
    /// List the whole tree below the folder: one section per folder in a table, the
    /// folder's path as a last column in plain rows.
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Show at most N entries [default: 100; with -R: all].
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub limit: Option<u64>,
    /// Show every entry (fetched page by page).
    #[arg(long)]
    pub all: bool,
    /// Continue a listing from the cursor a previous run printed.
    #[arg(long, value_name = "CURSOR", conflicts_with = "recursive")]
    pub cursor: Option<String>,
    /// Order of sub-folders: by name, or by last activity (newest conversation first).
    /// Objects always come newest first.
    #[arg(long, value_enum, value_name = "KEY", default_value_t = FolderSort::Name)]
    pub sort: FolderSort,
    /// Entries per request (the server may answer fewer).
    #[arg(long, value_name = "N", default_value_t = 100, hide = true)]
    pub page_size: u64,
}

/// `ls --sort`: how sub-folders are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FolderSort {
    Name,
    Activity,
}

/// Plain columns of `ls -R`: the listing's, then the folder each row is in, so rows of a
/// whole tree still say where they are once cut, sorted or grepped.
pub const TREE_HEADERS: [&str; 10] =
    ["ID", "DATE", "DIR", "FROM", "TO", "CONTEXT", "FLAGS", "SIZE", "SUBJECT/TEXT", "FOLDER"];

/// Rows of the listing go to the sink as they arrive; under `-R` plain rows end with the
/// path of the folder being listed (tables say it in a section title instead).
struct Rows<'s, 'a> {
    sink: &'s mut Sink<'a>,
    folder: Option<String>,
}

impl Rows<'_, '_> {
    fn push<T: serde::Serialize>(&mut self, record: &T, mut cells: Vec<String>) -> Result<(), CliError> {
        if let Some(f) = &self.folder
            && !self.sink.human()
        {
            cells.push(one_line(f));
        }
        self.sink.push(record, cells)
    }
}

impl Entries for Rows<'_, '_> {
    type Error = CliError;

    fn folder(&mut self, v: &FolderView) -> Result<(), CliError> {
        let cells = folder_row(v, self.sink.human());
        self.push(v, cells)
    }

    fn object(&mut self, v: &ObjectView) -> Result<(), CliError> {
        let cells = object_row(v, self.sink.human());
        self.push(v, cells)
    }

    fn end_page(&mut self) -> Result<(), CliError> {
        self.sink.end_page()
    }
}

pub async fn run(ctx: &mut Ctx, args: LsArgs) -> Result<(), CliError> {
    if args.page_size == 0 {
        return Err(CliError::usage("--page-size must be at least 1"));
    }
    let start = args.cursor.as_deref().map(Position::parse).transpose().map_err(CliError::usage)?;
    let client = ctx.client().await?;
    let at_root = args.folder.as_deref().is_none_or(|f| f.trim().chars().all(|c| c == '/'));
    let root = match resolve::folder(&client, args.folder.as_deref()).await {
        Ok(r) => r,
        // The root folder is missing only when the box itself is: say that, not the stock text.
        Err(crate::nms::items::Error::Request { source, .. }) if at_root && source.is_not_found() => {
            let mut err = CliError::not_found(format!("box {} not found", client.box_id()));
            // The server's messageId stays available to `-v` and JSON errors.
            err.message_id = source.message_id().map(str::to_string);
            return Err(err);
        }
        Err(e) => return Err(e.into()),
    };
    let client_box = client.box_id().to_string();
    // `ls -R` means the whole tree, as in a shell: no default stop in the middle of a folder.
    let limit = match (args.all, args.limit) {
        (true, _) => None,
        (false, Some(n)) => Some(n),
        (false, None) if args.recursive => None,
        (false, None) => Some(DEFAULT_LIMIT),
    };
    let order = match args.sort {
        FolderSort::Name => FolderOrder::Name,
        FolderSort::Activity => FolderOrder::Activity,
    };
    let mut lister = Lister::new(client, args.page_size, limit).order(order);
    if !args.recursive || args.sort == FolderSort::Activity {
        // One bounded search of the folder says who each conversation folder is with; a
        // tree costs one per folder, so `-R` pays it only when sorting by activity.
        lister = lister.summaries(&client_box);
    }
    let headers: &'static [&'static str] = if args.recursive { &TREE_HEADERS } else { &LIST_HEADERS };
    let mut sink = Sink::new(&mut ctx.out, &TABLE_HEADERS, headers).keep_whole(&WHOLE_COLUMNS).drop_first(&DROP_FIRST);
    let human = sink.human();
    let lister_count;
    let stopped = if args.recursive {
        // Depth first, in listing order, like `ls -R`: a folder's entries, then each sub-folder.
        let mut stack = vec![root.clone()];
        let mut stopped = None;
        while let Some(f) = stack.pop() {
            let here = f.path.clone().unwrap_or_else(|| f.id.clone());
            sink.section(&here)?;
            let mut children = Vec::new();
            let mut rows = Rows { sink: &mut sink, folder: Some(here) };
            if lister.folder(&mut rows, &f, Position::Folders(None), Some(&mut children)).await?.is_some() {
                stopped = Some(());
                break;
            }
            stack.extend(children.into_iter().rev());
        }
        lister_count = sink.count();
        sink.finish()?;
        stopped.map(|_| None)
    } else {
        let pos = start.unwrap_or(Position::Folders(None));
        let stop = lister.folder(&mut Rows { sink: &mut sink, folder: None }, &root, pos, None).await?;
        lister_count = sink.count();
        sink.finish()?;
        stop.map(Some)
    };
    // A person looking at a table gets a word for "nothing here"; scripts get no rows. After
    // a --cursor, no rows means the end of the listing, not an empty folder.
    if human && lister_count == 0 && stopped.is_none() && args.cursor.is_none() {
        let what = if at_root { format!("box {}", client_box) } else { root.path.clone().unwrap_or(root.id.clone()) };
        ctx.out.status(format!("{what} is empty"));
    }
    if let Some(pos) = stopped {
        let folder = args.folder.as_deref().unwrap_or("/");
        match pos {
            Some(pos) => ctx.out.status(format!(
                "more entries: cpmctl ls {} --cursor '{}' (or --all)",
                shell_word(folder),
                pos.render()
            )),
            None => ctx.out.status("more entries: raise --limit or use --all"),
        }
    }
    Ok(())
}

/// Quotes a word for the hint line when it has characters a shell would split or expand.
fn shell_word(s: &str) -> String {
    if s.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.:+@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hint_words_are_quoted() {
        assert_eq!(shell_word("/a b"), "'/a b'");
        assert_eq!(shell_word("/RCSMessageStore"), "/RCSMessageStore");
    }
}
