//! Where an export (and `conversations --mirror`) reads objects from: the store through the
//! NMS client, or a local mirror made by `cpmctl sync`, offline (CPM profile §6.1.5: summaries
//! and histories without the server). A mirror object is read from its file in the CPM IMAP form
//! with the flags and lastModSeq of the mirror's index; its parts get `mirror:` URLs that
//! [`Source::part`] reads back from the same file.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use jiff::Timestamp;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::ExportError;
use crate::formats::cpm_imap;
use crate::message::conversations::{self, Grouper, Listing, MAX_PEERS, Query};
use crate::message::{address, groupstate};
use crate::mirror::index::{Index, ObjectRow};
use crate::nms::items::id_of;
use crate::nms::{self, NmsClient};
use crate::wire::{Object, PayloadPartInfo};

/// The largest mirror file read (a message with its parts).
const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;
/// Mirror rows read per page.
const PAGE: usize = 500;

/// The objects an offline read takes (the store applies these itself through search criteria).
#[derive(Debug, Clone, Default)]
pub struct OfflineFilter {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// A folder path (`/RCSMessageStore/x`) or id: only objects in its subtree.
    pub folder: Option<String>,
}

/// Where a date-ordered read of the mirror stopped: the last row's (date, id).
type Cursor = (String, String);

/// A local mirror opened for reading.
pub struct Mirror {
    dir: PathBuf,
    index: Index,
    box_id: String,
    server: String,
    /// Folder id → path, for the folder filter.
    folders: HashMap<String, String>,
    filter: OfflineFilter,
}

impl Mirror {
    /// Opens the mirror in `dir` read-only (nothing in it is written).
    pub fn open(dir: &Path, filter: OfflineFilter) -> Result<Mirror, ExportError> {
        let bad = |why: String| ExportError::Usage(format!("{}: {why}", dir.display()));
        let index = Index::open_read_only(dir)
            .map_err(|e| bad(format!("cannot read the mirror index: {e}")))?
            .ok_or_else(|| bad("not a mirror (no .cpmctl/index.sqlite; run `cpmctl sync DIR` first)".into()))?;
        let base = index
            .meta("nms_base")
            .map_err(|e| bad(e.to_string()))?
            .ok_or_else(|| bad("mirror index without a box".into()))?;
        let (server, _store, box_id, _) = nms::split_base_url(&base).map_err(|e| bad(e.to_string()))?;
        let folders = index.folders().map_err(|e| bad(e.to_string()))?.into_iter().map(|f| (f.id, f.path)).collect();
        if let Some(f) = &filter.folder {
            let known: &HashMap<String, String> = &folders;
            if !known.iter().any(|(id, path)| id == f || same_path(path, f)) {
                return Err(ExportError::NoSuchConversation(format!("folder {f}")));
            }
        }
        Ok(Mirror { dir: dir.to_path_buf(), index, box_id, server: server.to_string(), folders, filter })
    }

    /// One page of objects in date order after `after` (date, id), those the filter takes.
    fn page(&self, after: &Cursor) -> Result<(Vec<Object>, Option<Cursor>), ExportError> {
        let rows = self
            .index
            .objects_by_date_after(&after.0, &after.1, PAGE)
            .map_err(|e| ExportError::Failed(format!("reading the mirror index: {e}")))?;
        let next = rows.last().map(|r| (r.date.clone().unwrap_or_default(), r.id.clone()));
        let mut out = Vec::new();
        for row in rows {
            if !self.takes(&row) {
                continue;
            }
            out.push(self.object(&row)?);
        }
        Ok((out, next))
    }

    fn takes(&self, row: &ObjectRow) -> bool {
        let date = row.date.as_deref().and_then(|d| d.trim().parse::<Timestamp>().ok());
        if let Some(s) = self.filter.since
            && date.is_none_or(|d| d < s)
        {
            return false;
        }
        if let Some(u) = self.filter.until
            && date.is_none_or(|d| d >= u)
        {
            return false;
        }
        match &self.filter.folder {
            None => true,
            Some(f) => {
                let path = self.folders.get(&row.folder).map(String::as_str).unwrap_or("");
                let want = self.folders.get(f).map(String::as_str).unwrap_or(f);
                let (p, w) = (norm(path), norm(want));
                p == w || w.is_empty() || p.starts_with(&format!("{w}/"))
            }
        }
    }

    /// The object of an index row, read from its file.
    fn object(&self, row: &ObjectRow) -> Result<Object, ExportError> {
        let parsed = self.read(row)?;
        let enc = utf8_percent_encode(&row.id, NON_ALPHANUMERIC).to_string();
        let mut o = parsed.object;
        o.flags.flag = row.flags.clone();
        o.last_mod_seq = row.last_mod_seq;
        o.resource_url = Some(format!("mirror:objects/{enc}"));
        o.payload_part = parsed
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| PayloadPartInfo {
                content_type: p.content_type.clone(),
                content_id: p.content_id.clone(),
                content_location: p.content_location.clone(),
                size: Some(p.bytes.len() as u64),
                href: format!("mirror:objects/{enc}/parts/{}", i + 1),
                content_disposition: p.disposition.as_ref().map(|d| match &p.filename {
                    Some(n) => format!("{d}; filename=\"{}\"", n.replace(['"', '\\'], "_")),
                    None => d.clone(),
                }),
                content_encoding: None,
            })
            .collect();
        Ok(o)
    }

    fn read(&self, row: &ObjectRow) -> Result<cpm_imap::ParsedObject, ExportError> {
        let path = crate::formats::jsonl::resolve_part_file(&self.dir, &row.file)
            .ok_or_else(|| ExportError::Failed(format!("mirror index: unsafe file name {:?}", row.file)))?;
        let len = std::fs::metadata(&path).map_err(super::io_err(format!("reading {}", path.display())))?.len();
        if len > MAX_FILE_BYTES {
            return Err(ExportError::Failed(format!("{} is larger than {MAX_FILE_BYTES} bytes", path.display())));
        }
        let bytes = std::fs::read(&path).map_err(super::io_err(format!("reading {}", path.display())))?;
        cpm_imap::read(&bytes).map_err(|e| ExportError::Failed(format!("{}: {e}", path.display())))
    }

    /// The bytes of a `mirror:objects/ID/parts/N` part.
    fn part(&self, href: &str) -> Result<Vec<u8>, String> {
        let rest = href.strip_prefix("mirror:objects/").ok_or("not a mirror part")?;
        let (id, n) = rest.split_once("/parts/").ok_or("not a mirror part")?;
        let id = id_of(&format!("x/{id}"));
        let n: usize = n.parse().map_err(|_| "bad part number")?;
        let row = self.index.object(&id).map_err(|e| e.to_string())?.ok_or("object not in the mirror")?;
        let mut parsed = self.read(&row).map_err(|e| e.to_string())?;
        if n == 0 || n > parsed.parts.len() {
            return Err("no such part".into());
        }
        Ok(std::mem::take(&mut parsed.parts[n - 1].bytes))
    }
}

fn norm(p: &str) -> String {
    p.trim_matches('/').to_string()
}

fn same_path(a: &str, b: &str) -> bool {
    norm(a) == norm(b)
}

/// The store or a mirror.
pub enum Source<'a> {
    Store(&'a NmsClient),
    Mirror(&'a Mirror),
}

impl Source<'_> {
    /// The box's own address.
    pub fn box_id(&self) -> &str {
        match self {
            Source::Store(c) => c.box_id(),
            Source::Mirror(m) => &m.box_id,
        }
    }

    /// The server the objects come from (for a mirror: the one it mirrors).
    pub fn server(&self) -> String {
        match self {
            Source::Store(c) => c.base_url().as_str().to_string(),
            Source::Mirror(m) => m.server.clone(),
        }
    }

    /// A part's bytes, streamed into `sink` chunk by chunk.
    pub async fn part(&self, href: &str, mut sink: impl FnMut(&[u8]) -> Result<(), String>) -> Result<(), String> {
        match self {
            Source::Store(c) => {
                let mut download = c.download(href).await.map_err(|e| e.to_string())?;
                while let Some(chunk) = download.stream.next().await {
                    sink(&chunk.map_err(|e| e.to_string())?)?;
                }
                Ok(())
            }
            Source::Mirror(m) => sink(&m.part(href)?),
        }
    }

    /// Whether an object is still there: `Some(false)` when it is gone, `None` when unknown.
    pub async fn exists(&self, id: &str) -> Result<bool, String> {
        match self {
            Source::Store(c) => match c.get_object(id).await {
                Ok(_) => Ok(true),
                Err(e) if e.is_not_found() => Ok(false),
                Err(e) => Err(e.to_string()),
            },
            Source::Mirror(m) => m.index.object(id).map(|r| r.is_some()).map_err(|e| e.to_string()),
        }
    }
}

/// The pages of a selection, in date order (oldest first), from the store or a mirror.
pub struct Pages<'a> {
    inner: PagesInner<'a>,
}

type ObjectPages = futures::stream::BoxStream<'static, Result<crate::wire::ObjectList, nms::Error>>;

enum PagesInner<'a> {
    Store(ObjectPages),
    Mirror { m: &'a Mirror, after: Option<(String, String)> },
}

impl<'a> Pages<'a> {
    /// Starts reading; for the store, `criteria` is the search (sorted by the caller).
    pub fn new(source: &Source<'a>, criteria: crate::wire::SelectionCriteria) -> Pages<'a> {
        let inner = match source {
            Source::Store(c) => PagesInner::Store(c.search_stream(criteria).boxed()),
            Source::Mirror(m) => PagesInner::Mirror { m, after: Some((String::new(), String::new())) },
        };
        Pages { inner }
    }

    /// The next page; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Vec<Object>, ExportError>> {
        match &mut self.inner {
            PagesInner::Store(s) => s.next().await.map(|p| p.map(|l| l.object).map_err(ExportError::from)),
            PagesInner::Mirror { m, after } => {
                let from = after.take()?;
                match m.page(&from) {
                    Ok((objects, next)) => {
                        *after = next;
                        Some(Ok(objects))
                    }
                    Err(e) => Some(Err(e)),
                }
            }
        }
    }
}

/// The conversations of a mirror, as `conversations::list` gives those of the store: one pass
/// over the mirror in date order, group members from the newest group-state document.
pub fn list_mirror(m: &Mirror, participant: Option<&str>) -> Result<Listing, ExportError> {
    let mut grouper = Grouper::new(&m.box_id);
    let mut after = (String::new(), String::new());
    loop {
        let (objects, next) = m.page(&after)?;
        for o in &objects {
            grouper.add(o);
        }
        match next {
            Some(n) => after = n,
            None => break,
        }
    }
    let own = address::normalise(&m.box_id);
    let mut listing = Listing {
        conversations: Vec::new(),
        unsorted: grouper.unsorted(),
        dropped: grouper.dropped(),
        unreadable_group_states: 0,
        group_state_error: None,
    };
    for (mut summary, url) in grouper.finish_with_group_states() {
        if let Some(url) = url {
            let members = m.part(&url).and_then(|xml| groupstate::participants(&xml));
            match members {
                Ok(list) => {
                    let set: BTreeSet<String> = list
                        .iter()
                        .map(|p| address::normalise(&p.address))
                        .filter(|a| !a.is_empty() && *a != own)
                        .take(MAX_PEERS)
                        .collect();
                    if !set.is_empty() {
                        summary.peers = set.into_iter().collect();
                    }
                }
                Err(e) => {
                    listing.unreadable_group_states += 1;
                    listing.group_state_error.get_or_insert(e);
                }
            }
        }
        if participant.is_none_or(|p| summary.has_peer(p)) {
            listing.conversations.push(summary);
        }
    }
    Ok(listing)
}

/// The conversations of the source.
pub async fn list(source: &Source<'_>, q: Query) -> Result<Listing, ExportError> {
    match source {
        Source::Store(c) => Ok(conversations::list(c, q).await?),
        Source::Mirror(m) => list_mirror(m, q.participant.as_deref()),
    }
}
