//! `cpmctl ls [FOLDER]`: a folder's sub-folders and objects, page by page, optionally the
//! whole tree (`-R`).

use crate::cli::context::Ctx;
use crate::cli::error::CliError;
use crate::nms::{FolderListFilter, NmsClient};
use crate::wire::{Reference, SelectionCriteria};

use super::common::rows::{LIST_HEADERS, TABLE_HEADERS, WHOLE_COLUMNS, folder_row, object_row};
use super::common::sink::Sink;
use crate::message::criteria::sort_criterion;
use crate::message::view::{FolderView, ObjectView, display_path, join_path};
use crate::nms::items::resolve::{self, FolderRef};

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
  cpmctl ls -R /RCSMessageStore --all        # the whole tree below it
  cpmctl ls /RCSMessageStore --limit 20 -o ndjson
  cpmctl ls /RCSMessageStore --cursor 'o:…'  # continue where a previous run stopped")]
pub struct LsArgs {
    /// Folder path (`/RCSMessageStore/conv-1`) or folder id; default: the root.
    #[arg(value_name = "FOLDER")]
    pub folder: Option<String>,
    /// List sub-folders recursively (one section per folder in a table).
    #[arg(short = 'R', long)]
    pub recursive: bool,
    /// Show at most N entries [default: 100].
    #[arg(long, value_name = "N", conflicts_with = "all")]
    pub limit: Option<u64>,
    /// Show every entry (fetched page by page).
    #[arg(long)]
    pub all: bool,
    /// Continue a listing from the cursor a previous run printed.
    #[arg(long, value_name = "CURSOR", conflicts_with = "recursive")]
    pub cursor: Option<String>,
    /// Entries per request (the server may answer fewer).
    #[arg(long, value_name = "N", default_value_t = 100, hide = true)]
    pub page_size: u64,
}

/// Where a listing stands: in the sub-folder phase or the object phase, with the
/// server's cursor of that phase. Printed as `f:CURSOR` / `o:CURSOR`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    Folders(Option<String>),
    Objects(Option<String>),
}

impl Position {
    fn parse(s: &str) -> Result<Position, CliError> {
        let bad = || CliError::usage(format!("--cursor {s:?} is not a cursor printed by `cpmctl ls`"));
        let (phase, rest) = s.split_once(':').ok_or_else(bad)?;
        let cur = (!rest.is_empty()).then(|| rest.to_string());
        match phase {
            "f" => Ok(Position::Folders(cur)),
            "o" => Ok(Position::Objects(cur)),
            _ => Err(bad()),
        }
    }

    fn render(&self) -> String {
        match self {
            Position::Folders(c) => format!("f:{}", c.as_deref().unwrap_or("")),
            Position::Objects(c) => format!("o:{}", c.as_deref().unwrap_or("")),
        }
    }
}

/// Shared state of one `ls` run.
struct Lister {
    client: NmsClient,
    page: u64,
    remaining: Option<u64>,
}

impl Lister {
    /// How many entries the next request may ask for; 0 when the limit is reached.
    fn want(&self) -> u64 {
        match self.remaining {
            Some(r) => r.min(self.page),
            None => self.page,
        }
    }

    fn took(&mut self, n: u64) {
        if let Some(r) = &mut self.remaining {
            *r = r.saturating_sub(n);
        }
    }

    /// Lists one folder from `pos`; sub-folders found are appended to `children` when given.
    /// Returns where it stopped when the limit cut it short.
    async fn folder(
        &mut self,
        sink: &mut Sink<'_>,
        f: &FolderRef,
        mut pos: Position,
        mut children: Option<&mut Vec<FolderRef>>,
    ) -> Result<Option<Position>, CliError> {
        if let Position::Folders(mut cur) = pos {
            loop {
                let want = self.want();
                if want == 0 {
                    return Ok(Some(Position::Folders(cur)));
                }
                let page =
                    self.client.get_folder(&f.url, FolderListFilter::Subfolders, cur.as_deref(), Some(want)).await?;
                let refs: Vec<Reference> = page.sub_folders.map(|l| l.folder_reference).unwrap_or_default();
                let n = refs.len() as u64;
                for r in refs {
                    let v = FolderView::from_reference(&r, f.path.as_deref(), Some(&f.id));
                    let cells = folder_row(&v, sink.human());
                    sink.push(&v, cells)?;
                    if let Some(c) = children.as_deref_mut() {
                        c.push(FolderRef { id: v.id.clone(), url: r.resource_url.clone(), path: v.path.clone() });
                    }
                }
                self.took(n);
                sink.end_page()?;
                match next(page.cursor.as_deref(), cur.as_deref()) {
                    Some(c) if n > 0 => cur = Some(c),
                    _ => break,
                }
            }
            pos = Position::Objects(None);
        }
        let Position::Objects(mut cur) = pos else { return Ok(None) };
        let sort = sort_criterion("-date").map_err(CliError::usage)?;
        loop {
            let want = self.want();
            if want == 0 {
                return Ok(Some(Position::Objects(cur)));
            }
            let c = SelectionCriteria {
                max_entries: want,
                from_cursor: cur.clone(),
                search_scope: Some(Reference::new(f.url.clone())),
                non_recursive_scope: Some(true),
                search_criteria: None,
                sort: vec![sort.clone()],
            };
            let page = self.client.search_page(&c).await?;
            let n = page.object.len() as u64;
            for o in &page.object {
                let mut v = ObjectView::new(o);
                if v.path.is_none()
                    && let Some(p) = &f.path
                {
                    v.path = Some(join_path(p, &v.id));
                }
                if let Some(p) = &v.path {
                    v.path = Some(display_path(p));
                }
                let cells = object_row(&v, sink.human());
                sink.push(&v, cells)?;
            }
            self.took(n);
            sink.end_page()?;
            match next(page.cursor.as_deref(), cur.as_deref()) {
                Some(c) if n > 0 => cur = Some(c),
                _ => return Ok(None),
            }
        }
    }
}

fn next(answered: Option<&str>, sent: Option<&str>) -> Option<String> {
    answered.filter(|c| !c.is_empty() && Some(*c) != sent).map(str::to_string)
}

pub async fn run(ctx: &mut Ctx, args: LsArgs) -> Result<(), CliError> {
    if args.page_size == 0 {
        return Err(CliError::usage("--page-size must be at least 1"));
    }
    let start = args.cursor.as_deref().map(Position::parse).transpose()?;
    let client = ctx.client().await?;
    let root = resolve::folder(&client, args.folder.as_deref()).await?;
    let mut lister = Lister {
        client,
        page: args.page_size,
        remaining: if args.all { None } else { Some(args.limit.unwrap_or(DEFAULT_LIMIT)) },
    };
    let mut sink = Sink::new(&mut ctx.out, &TABLE_HEADERS, &LIST_HEADERS).keep_whole(&WHOLE_COLUMNS);
    let stopped = if args.recursive {
        // Depth first, in listing order, like `ls -R`: a folder's entries, then each sub-folder.
        let mut stack = vec![root.clone()];
        let mut stopped = None;
        while let Some(f) = stack.pop() {
            sink.section(f.path.as_deref().unwrap_or(&f.id))?;
            let mut children = Vec::new();
            if lister.folder(&mut sink, &f, Position::Folders(None), Some(&mut children)).await?.is_some() {
                stopped = Some(());
                break;
            }
            stack.extend(children.into_iter().rev());
        }
        sink.finish()?;
        stopped.map(|_| None)
    } else {
        let pos = start.unwrap_or(Position::Folders(None));
        let stop = lister.folder(&mut sink, &root, pos, None).await?;
        sink.finish()?;
        stop.map(Some)
    };
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
    fn positions_round_trip() {
        for p in [Position::Folders(None), Position::Objects(Some("abc:1".into())), Position::Objects(None)] {
            assert_eq!(Position::parse(&p.render()).unwrap(), p);
        }
        assert!(Position::parse("zzz").is_err());
        assert!(Position::parse("x:1").is_err());
        assert_eq!(shell_word("/a b"), "'/a b'");
    }
}
