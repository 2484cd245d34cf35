//! Listing a folder page by page: its sub-folders, then its objects (newest first), within a
//! limit, resumable from a printed position, feeding each entry to an [`Entries`] sink (the
//! CLI renders rows; an engine may collect records).

use crate::nms::items::FolderRef;
use crate::nms::{self, FolderListFilter, NmsClient};
use crate::wire::{Reference, SelectionCriteria, SortCriterion};

use super::view::{FolderView, ObjectView, display_path, join_path};

/// Where a listing stands: in the sub-folder phase or the object phase, with the
/// server's cursor of that phase. Printed as `f:CURSOR` / `o:CURSOR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    Folders(Option<String>),
    Objects(Option<String>),
    /// Sorted sub-folders from the n-th on (printed `s:N`): a sorted listing has no server
    /// cursor, so it is listed again and the first n skipped.
    Sorted(u64),
}

impl Position {
    /// Reads a position printed by [`Position::render`].
    pub fn parse(s: &str) -> Result<Position, String> {
        let bad = || format!("--cursor {s:?} is not a cursor printed by `cpmctl ls`");
        let (phase, rest) = s.split_once(':').ok_or_else(bad)?;
        let cur = (!rest.is_empty()).then(|| rest.to_string());
        match phase {
            "f" => Ok(Position::Folders(cur)),
            "o" => Ok(Position::Objects(cur)),
            "s" => rest.parse().map(Position::Sorted).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }

    /// The printable form (`f:CURSOR`, `o:CURSOR`).
    pub fn render(&self) -> String {
        match self {
            Position::Folders(c) => format!("f:{}", c.as_deref().unwrap_or("")),
            Position::Objects(c) => format!("o:{}", c.as_deref().unwrap_or("")),
            Position::Sorted(n) => format!("s:{n}"),
        }
    }
}

/// Where a listing's entries go, page by page.
pub trait Entries {
    type Error: From<nms::Error>;
    fn folder(&mut self, v: &FolderView) -> Result<(), Self::Error>;
    fn object(&mut self, v: &ObjectView) -> Result<(), Self::Error>;
    /// A page (one server answer) is complete.
    fn end_page(&mut self) -> Result<(), Self::Error>;
}

/// Sub-folders sorted in memory at most; further ones follow in the server's order.
pub const MAX_SORTED_FOLDERS: usize = 100_000;

/// The order of a listing's sub-folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FolderOrder {
    /// By name, as `ls` sorts (case-insensitively).
    #[default]
    Name,
    /// Newest last message first (needs summaries; folders without one go last, by name).
    Activity,
    /// As the server answers, page by page (resumable with a printed cursor).
    Server,
}

/// One listing run: the page size and how many entries are still allowed.
pub struct Lister {
    client: NmsClient,
    page: u64,
    remaining: Option<u64>,
    order: FolderOrder,
    /// The box's own address when sub-folders get conversation summaries.
    summaries: Option<String>,
}

impl Lister {
    /// A run asking `page` entries per request, `limit` in all (`None`: every entry).
    /// Sub-folders come in the server's order until [`Lister::order`] says otherwise.
    pub fn new(client: NmsClient, page: u64, limit: Option<u64>) -> Lister {
        Lister { client, page, remaining: limit, order: FolderOrder::Server, summaries: None }
    }

    /// Sorts sub-folders (all of them are read and sorted in memory, up to
    /// [`MAX_SORTED_FOLDERS`]); a cut listing resumes from [`Position::Sorted`].
    #[must_use]
    pub fn order(mut self, order: FolderOrder) -> Lister {
        self.order = order;
        self
    }

    /// Summarises the conversation in each sub-folder (one bounded search of the folder);
    /// `own` is the box's own address.
    #[must_use]
    pub fn summaries(mut self, own: &str) -> Lister {
        self.summaries = Some(own.to_string());
        self
    }

    /// The sub-folder phase, sorted, from the `skip`-th folder on; returns where to go on
    /// from: the objects, the rest of the sorted folders when the limit cut them, or the
    /// server's cursor when [`MAX_SORTED_FOLDERS`] stopped the collection.
    async fn sorted_folders<S: Entries>(
        &mut self,
        sink: &mut S,
        f: &FolderRef,
        skip: u64,
        mut children: Option<&mut Vec<FolderRef>>,
    ) -> Result<Position, S::Error> {
        let mut views: Vec<FolderView> = Vec::new();
        let mut cur: Option<String> = None;
        let mut more = None;
        loop {
            let page =
                self.client.get_folder(&f.url, FolderListFilter::Subfolders, cur.as_deref(), Some(self.page)).await?;
            let refs: Vec<Reference> = page.sub_folders.map(|l| l.folder_reference).unwrap_or_default();
            let n = refs.len();
            views.extend(refs.iter().map(|r| FolderView::from_reference(r, f.path.as_deref(), Some(&f.id))));
            match next(page.cursor.as_deref(), cur.as_deref()) {
                Some(c) if n > 0 => {
                    if views.len() >= MAX_SORTED_FOLDERS {
                        more = Some(c);
                        break;
                    }
                    cur = Some(c);
                }
                _ => break,
            }
        }
        if let Some(own) = &self.summaries {
            let ids: Vec<String> = views.iter().map(|v| v.id.clone()).collect();
            let mut sums = super::folders::summarise(&self.client, &f.url, &ids, own, self.page.max(100)).await?;
            for v in &mut views {
                v.conversation = sums.by_folder.remove(&v.id);
            }
        }
        let by_name = |a: &FolderView, b: &FolderView| {
            a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.name.cmp(&b.name))
        };
        match self.order {
            FolderOrder::Activity => views.sort_by(|a, b| {
                let last = |v: &FolderView| v.conversation.as_ref().and_then(|c| c.last_date.clone());
                // Newest first; `None` sorts before any date, so compare reversed.
                last(b).cmp(&last(a)).then_with(|| by_name(a, b))
            }),
            FolderOrder::Name | FolderOrder::Server => views.sort_by(by_name),
        }
        let skip = usize::try_from(skip).unwrap_or(usize::MAX).min(views.len());
        let want = usize::try_from(self.remaining.unwrap_or(u64::MAX)).unwrap_or(usize::MAX);
        let end = skip.saturating_add(want).min(views.len());
        for v in &views[skip..end] {
            sink.folder(v)?;
            if let Some(c) = children.as_deref_mut() {
                c.push(FolderRef { id: v.id.clone(), url: v.url.clone().unwrap_or_default(), path: v.path.clone() });
            }
        }
        self.took((end - skip) as u64);
        sink.end_page()?;
        Ok(if end < views.len() {
            Position::Sorted(end as u64)
        } else {
            match more {
                Some(c) => Position::Folders(Some(c)),
                None => Position::Objects(None),
            }
        })
    }

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
    pub async fn folder<S: Entries>(
        &mut self,
        sink: &mut S,
        f: &FolderRef,
        mut pos: Position,
        mut children: Option<&mut Vec<FolderRef>>,
    ) -> Result<Option<Position>, S::Error> {
        let sorted_from = match &pos {
            Position::Sorted(n) => Some(*n),
            Position::Folders(None) if self.order != FolderOrder::Server => Some(0),
            _ => None,
        };
        if let Some(skip) = sorted_from {
            pos = self.sorted_folders(sink, f, skip, children.as_deref_mut()).await?;
            if let Position::Sorted(_) = pos {
                return Ok(Some(pos));
            }
        }
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
                    sink.folder(&v)?;
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
        // Newest first, as every listing shows objects.
        let sort = SortCriterion { kind: "Date".into(), name: None, order: Some("Descending".into()) };
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
            for o in page.object {
                let mut v = ObjectView::from_object(o);
                if v.path.is_none()
                    && let Some(p) = &f.path
                {
                    v.path = Some(join_path(p, &v.id));
                }
                if let Some(p) = &v.path {
                    v.path = Some(display_path(p));
                }
                sink.object(&v)?;
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
    }

    #[test]
    fn the_listing_sort_is_newest_first() {
        assert_eq!(
            crate::message::criteria::sort_criterion("-date").unwrap(),
            SortCriterion { kind: "Date".into(), name: None, order: Some("Descending".into()) }
        );
    }
}
