//! `check`: compares a mirror with its store without changing either: objects missing on
//! either side, flag differences, objects in another folder, files missing or edited locally
//! (their hash against the index), folders missing, and local files the index does not know.

use std::collections::HashSet;
use std::path::Path;

use futures::StreamExt;
use serde::Serialize;

use super::fsio::{abs, sha256_hex};
use super::index::Index;
use super::layout::{self, is_safe_rel};
use super::pull::{check_identity, mirror_identity};
use super::sweep::for_each_unknown;
use super::{MirrorError, plan, store};
use crate::nms::{NmsClient, id_from_url};
use crate::wire::SelectionCriteria;

/// Differences reported one by one at most; beyond that only counted.
pub const MAX_LISTED: usize = 10_000;

/// One difference between the mirror and the store.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Difference {
    /// `missing-locally`, `missing-on-store`, `flags`, `folder`, `file-missing`, `edited`,
    /// `folder-missing-locally`, `folder-missing-on-store`, `untracked`, `payload` (bytes differ
    /// from the store's, `--download`).
    pub kind: &'static str,
    /// The object or folder id, or for `untracked` the file's path in the mirror.
    pub id: String,
    pub detail: String,
}

/// What `check` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckReport {
    pub objects_on_store: u64,
    pub objects_in_mirror: u64,
    /// Objects whose payload was fetched again and compared (`--download`).
    pub downloaded: u64,
    /// Every difference found (the first [`MAX_LISTED`] are in `differences`).
    pub total_differences: u64,
    pub differences: Vec<Difference>,
}

impl CheckReport {
    pub fn identical(&self) -> bool {
        self.total_differences == 0
    }

    fn add(&mut self, kind: &'static str, id: impl Into<String>, detail: impl Into<String>) {
        self.total_differences += 1;
        if self.differences.len() < MAX_LISTED {
            self.differences.push(Difference { kind, id: id.into(), detail: detail.into() });
        }
    }
}

/// Compares `dir` with the client's box. Reads only: the index is opened read-only. With
/// `download`, every object's payload is fetched again and compared with the parts of its file
/// (a file that matches its index hash can still hold bytes the store does not have).
pub async fn check(client: &NmsClient, dir: &Path, download: bool) -> Result<CheckReport, MirrorError> {
    let index = Index::open_read_only(dir)?.ok_or_else(|| MirrorError::NotAMirror(dir.display().to_string()))?;
    check_identity(&index, dir, &mirror_identity(client))?;
    let mut report = CheckReport { objects_in_mirror: index.count_objects()?, ..Default::default() };
    let tree = store::folder_tree(client).await?;
    let folders = index.folders()?;
    for f in &tree.folders {
        match folders.iter().find(|k| k.id == f.id) {
            None => report.add("folder-missing-locally", &f.id, f.path.clone()),
            Some(k) if !abs(dir, &k.dir).is_dir() || !is_safe_rel(&k.dir) => {
                report.add("folder-missing-locally", &f.id, format!("{} (directory {:?} is gone)", f.path, k.dir))
            }
            Some(_) => {}
        }
    }
    for k in &folders {
        if tree.get(&k.id).is_none() {
            report.add("folder-missing-on-store", &k.id, k.path.clone());
        }
    }
    // Ids of the store's objects, to find the mirror's objects the store no longer has.
    let mut seen: HashSet<String> = HashSet::new();
    let mut pages = client.search_stream(SelectionCriteria { max_entries: 500, ..Default::default() });
    while let Some(page) = pages.next().await {
        for o in page?.object {
            let Some(url) = o.resource_url.as_deref() else { continue };
            let id = id_from_url(url);
            report.objects_on_store += 1;
            let folder = tree.folder_of(&o).unwrap_or_default();
            let Some(k) = index.object(&id)? else {
                report.add("missing-locally", &id, o.parent_folder_path.clone().unwrap_or_default());
                continue;
            };
            seen.insert(id.clone());
            if k.folder != folder {
                let want = tree.get(&folder).map_or(folder.clone(), |f| f.path.clone());
                report.add("folder", &id, format!("in {} locally, {want} on the store", k.folder));
            }
            if k.flag_set() != plan::flag_set(&o.flags.flag) {
                report.add("flags", &id, format!("{:?} locally, {:?} on the store", k.flags, o.flags.flag));
            }
            if !is_safe_rel(&k.file) {
                report.add("file-missing", &id, format!("unsafe path {:?} in the index", k.file));
                continue;
            }
            match std::fs::read(abs(dir, &k.file)) {
                Ok(bytes) if sha256_hex(&bytes) == k.sha256 => {
                    if download {
                        report.downloaded += 1;
                        if let Some(why) = payload_differs(client, &o, &bytes).await? {
                            report.add("payload", &id, format!("{}: {why}", k.file));
                        }
                    }
                }
                Ok(_) => report.add("edited", &id, k.file.clone()),
                Err(_) => report.add("file-missing", &id, k.file.clone()),
            }
        }
    }
    let mut after = String::new();
    loop {
        let rows = index.objects_after(&after, 1000)?;
        let Some(last) = rows.last() else { break };
        after = last.id.clone();
        for k in rows {
            if !seen.contains(&k.id) {
                report.add("missing-on-store", &k.id, k.file.clone());
            }
        }
    }
    for f in &folders {
        if !is_safe_rel(&f.dir) {
            continue;
        }
        for sub in ["cur", "new"] {
            let Ok(entries) = std::fs::read_dir(abs(dir, &f.dir).join(sub)) else { continue };
            let names = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned());
            let untracked = |name: String| {
                let rel = if f.dir.is_empty() { format!("{sub}/{name}") } else { format!("{}/{sub}/{name}", f.dir) };
                report.add("untracked", rel, "a local file the store does not have");
                Ok(())
            };
            // Only `cur/` holds files of ours: those a row names, checked a batch at a time.
            if sub == "cur" {
                for_each_unknown(&index, names, |name| layout::object_rel_path(&f.dir, name), untracked)?;
            } else {
                names.into_iter().try_for_each(untracked)?;
            }
        }
    }
    Ok(report)
}

/// Why a file's payload parts differ from the store's (hashes of each part), or `None`.
async fn payload_differs(
    client: &NmsClient,
    o: &crate::wire::Object,
    file: &[u8],
) -> Result<Option<String>, MirrorError> {
    let local = match crate::formats::read(file) {
        Ok(p) => p.parts,
        Err(e) => return Ok(Some(format!("the file cannot be read: {e}"))),
    };
    let remote = match store::payload(client, o).await {
        Ok(p) => p,
        // Deleted since the listing: not a payload difference.
        Err(MirrorError::Nms(e)) if e.is_not_found() => return Ok(None),
        Err(e) => return Err(e),
    };
    if local.len() != remote.len() {
        return Ok(Some(format!("{} part(s) in the file, {} on the store", local.len(), remote.len())));
    }
    for (i, (l, r)) in local.iter().zip(&remote).enumerate() {
        let (lh, rh) = (sha256_hex(&l.bytes), sha256_hex(&r.bytes));
        if lh != rh {
            return Ok(Some(format!("part {} has SHA-256 {lh} in the file, {rh} on the store", i + 1)));
        }
    }
    Ok(None)
}
