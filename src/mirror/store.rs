//! What the mirror reads from the store: the folder tree (breadth first, bounded) and one
//! object's payload parts.

use std::collections::{HashMap, HashSet};

use futures::StreamExt;

use super::MirrorError;
use super::layout::child_dir;
use crate::formats::PartBytes;
use crate::nms::{FolderListFilter, NmsClient, id_from_url};
use crate::wire::Object;

/// Most folders a box may have for the mirror (more is refused, not half-mirrored).
pub const MAX_FOLDERS: usize = 100_000;
/// Deepest folder nesting followed.
pub const MAX_DEPTH: usize = 64;
/// Largest payload of one object accepted (the CPM form's own cap).
pub const MAX_OBJECT_BYTES: u64 = crate::formats::cpm_imap::MAX_MESSAGE_BYTES as u64;

/// One folder of the store with the directory it gets in the mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFolder {
    pub id: String,
    pub parent: Option<String>,
    pub name: String,
    pub path: String,
    pub dir: String,
    pub depth: usize,
}

/// The store's folder tree, parents before children, each with its mirror directory.
pub struct Tree {
    pub folders: Vec<StoreFolder>,
    pub by_id: HashMap<String, usize>,
    pub by_path: HashMap<String, usize>,
}

impl Tree {
    pub fn get(&self, id: &str) -> Option<&StoreFolder> {
        self.by_id.get(id).map(|&i| &self.folders[i])
    }

    /// The folder id an object belongs to (by its parentFolder URL, else its path).
    pub fn folder_of(&self, o: &Object) -> Option<String> {
        if let Some(url) = o.parent_folder.as_deref().filter(|u| !u.trim().is_empty()) {
            let id = id_from_url(url);
            if self.by_id.contains_key(&id) {
                return Some(id);
            }
        }
        let path = o.parent_folder_path.as_deref()?;
        self.by_path
            .get(path.trim_end_matches('/'))
            .or_else(|| self.by_path.get(path))
            .map(|&i| self.folders[i].id.clone())
    }
}

/// The last segment of a folder path (its name).
fn name_of(path: &str) -> String {
    path.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
}

/// Lists the whole folder tree from the root, breadth first; siblings are taken in id order so
/// the directories assigned to clashing names do not change between runs.
pub async fn folder_tree(client: &NmsClient) -> Result<Tree, MirrorError> {
    let root = client.root_folder().await?;
    let root_url =
        root.resource_url.clone().ok_or_else(|| MirrorError::Invalid("the root folder has no URL".into()))?;
    let root_id = id_from_url(&root_url);
    let root_path = root.path.clone().unwrap_or_else(|| "/".into());
    let mut tree = Tree { folders: Vec::new(), by_id: HashMap::new(), by_path: HashMap::new() };
    let mut taken: HashSet<String> = HashSet::new();
    push(
        &mut tree,
        StoreFolder { id: root_id, parent: None, name: String::new(), path: root_path, dir: String::new(), depth: 0 },
    );
    // Breadth first, a level at a time: a level's folders are listed [`WALK_CONCURRENCY`] at a
    // time (a box has a folder per conversation, and one request after the other cost a round
    // trip each), then taken in the order a one-at-a-time walk would take them, so the tree and
    // its directory names are the same.
    let mut level = vec![0usize];
    while !level.is_empty() {
        for &i in &level {
            let f = &tree.folders[i];
            if f.depth >= MAX_DEPTH {
                return Err(MirrorError::Invalid(format!(
                    "folder {} is nested deeper than {MAX_DEPTH} levels",
                    f.path
                )));
            }
        }
        let listed: Vec<Result<Vec<(String, String)>, MirrorError>> = futures::stream::iter(
            level.iter().map(|&i| (tree.folders[i].id.clone(), tree.folders[i].path.clone())).collect::<Vec<_>>(),
        )
        .map(|(id, path)| async move { subfolders(client, &id, &path).await })
        .buffered(WALK_CONCURRENCY)
        .collect()
        .await;
        let mut next = Vec::new();
        for (&i, children) in level.iter().zip(listed) {
            let (id, dir, depth) = {
                let f = &tree.folders[i];
                (f.id.clone(), f.dir.clone(), f.depth)
            };
            let mut children: Vec<(String, String)> =
                children?.into_iter().filter(|(cid, _)| !tree.by_id.contains_key(cid)).collect();
            if tree.folders.len() + children.len() > MAX_FOLDERS {
                return Err(MirrorError::Invalid(format!("the box has more than {MAX_FOLDERS} folders")));
            }
            children.sort();
            children.dedup_by(|a, b| a.0 == b.0);
            for (cid, cpath) in children {
                let name = name_of(&cpath);
                let cdir = child_dir(&dir, &name, &cid, &taken);
                taken.insert(cdir.to_lowercase());
                let at = push(
                    &mut tree,
                    StoreFolder { id: cid, parent: Some(id.clone()), name, path: cpath, dir: cdir, depth: depth + 1 },
                );
                next.push(at);
            }
        }
        level = next;
    }
    Ok(tree)
}

/// Folders listed at once while the tree is walked.
const WALK_CONCURRENCY: usize = 8;

/// The subfolders of folder `id` (at `path`), as (id, path): at most [`MAX_FOLDERS`] of them.
async fn subfolders(client: &NmsClient, id: &str, path: &str) -> Result<Vec<(String, String)>, MirrorError> {
    let mut children = Vec::new();
    let mut pages = client.folder_pages(id, FolderListFilter::Subfolders, 0);
    while let Some(page) = pages.next().await {
        for r in page?.sub_folders.map(|s| s.folder_reference).unwrap_or_default() {
            let cid = id_from_url(&r.resource_url);
            if cid.is_empty() {
                continue;
            }
            let cpath = r.path.clone().unwrap_or_else(|| crate::nms::items::join_path(path, &cid));
            children.push((cid, cpath));
        }
        if children.len() > MAX_FOLDERS {
            return Err(MirrorError::Invalid(format!("the box has more than {MAX_FOLDERS} folders")));
        }
    }
    Ok(children)
}

fn push(tree: &mut Tree, f: StoreFolder) -> usize {
    let at = tree.folders.len();
    tree.by_id.insert(f.id.clone(), at);
    tree.by_path.insert(f.path.trim_end_matches('/').to_string(), at);
    tree.folders.push(f);
    at
}

/// Downloads an object's payload: each `payloadPart` by its href, or the single `payloadURL`.
/// The object itself comes from the search page (it carries everything but the bytes).
pub async fn payload(client: &NmsClient, o: &Object) -> Result<Vec<PartBytes>, MirrorError> {
    payload_by(client, &o.payload_part, o.payload_url.as_deref()).await
}

/// What [`payload_by`] needs of an object, owned (for a download that runs on its own).
pub struct PayloadRefs {
    pub parts: Vec<crate::wire::PayloadPartInfo>,
    pub url: Option<String>,
}

impl PayloadRefs {
    pub fn of(o: &Object) -> PayloadRefs {
        PayloadRefs { parts: o.payload_part.clone(), url: o.payload_url.clone() }
    }
}

/// [`payload`] of an object whose payload parts are `part_infos`, or whose whole payload is at
/// `url` when it has none.
pub async fn payload_by(
    client: &NmsClient,
    part_infos: &[crate::wire::PayloadPartInfo],
    url: Option<&str>,
) -> Result<Vec<PartBytes>, MirrorError> {
    let mut parts = Vec::with_capacity(part_infos.len());
    let mut total = 0u64;
    if part_infos.is_empty() {
        if let Some(url) = url.filter(|u| !u.trim().is_empty()) {
            let (content_type, bytes) = fetch(client, url, &mut total).await?;
            parts.push(PartBytes { content_type, bytes, ..PartBytes::default() });
        }
        return Ok(parts);
    }
    for info in part_infos {
        let (_, bytes) = fetch(client, &info.href, &mut total).await?;
        parts.push(PartBytes::from_info(info, bytes));
    }
    Ok(parts)
}

/// Attempts at one payload download whose body broke off (the client retries a failed request,
/// but not a body cut short after its status line: that is seen only here, while streaming).
const BODY_ATTEMPTS: usize = 4;

/// Downloads one part, again from the start when its body breaks off part-way (a GET of an
/// immutable payload is safe to repeat).
async fn fetch(client: &NmsClient, url: &str, total: &mut u64) -> Result<(String, Vec<u8>), MirrorError> {
    let mut attempt = 0;
    loop {
        attempt += 1;
        let before = *total;
        let result = match client.download(url).await {
            Ok(d) => {
                let content_type = d.content_type.clone();
                bounded(d, total).await.map(|b| (content_type, b))
            }
            Err(e) => Err(e.into()),
        };
        match result {
            Err(MirrorError::Nms(e)) if e.is_network() && attempt < BODY_ATTEMPTS => {
                *total = before;
                tokio::time::sleep(std::time::Duration::from_millis(100 * attempt as u64)).await;
            }
            other => return other,
        }
    }
}

/// Collects a download, failing once the object's bytes pass [`MAX_OBJECT_BYTES`].
async fn bounded(mut d: crate::nms::Download, total: &mut u64) -> Result<Vec<u8>, MirrorError> {
    // Sized by the announced length (not trusted past 1 MiB: a bigger body grows as it comes).
    let announced = d.content_length.unwrap_or(0).min(1 << 20);
    let mut out = Vec::with_capacity(usize::try_from(announced).unwrap_or(0));
    while let Some(chunk) = d.stream.next().await {
        let chunk = chunk?;
        *total += chunk.len() as u64;
        if *total > MAX_OBJECT_BYTES {
            return Err(MirrorError::Invalid(format!("an object's payload is over {MAX_OBJECT_BYTES} bytes")));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
