//! `mv SRC DEST` where DEST does not exist yet: rename the folder (and first move it when
//! DEST's parent is another folder), as `mv` does in a shell.

use crate::nms::{FolderListFilter, NmsClient};
use crate::wire::{FolderReferenceList, Reference, ReferenceList, TargetSourceRef};

use super::resolve::{self, FolderRef, Item, Kind};
use super::{Error, id_of, join_path};

/// Where a rename goes: the existing parent folder and the new last segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub parent: FolderRef,
    pub name: String,
}

/// Splits a destination path into parent and new name, checking the name; the parent must
/// exist. `None` when DEST has no usable last segment (the root, `.`/`..`).
pub async fn destination(client: &NmsClient, dest: &str) -> Result<Option<Destination>, Error> {
    let path = resolve::absolute(dest.trim().trim_end_matches('/'));
    let Some((parent, name)) = path.rsplit_once('/') else {
        return Ok(None);
    };
    if name.is_empty() || name == "." || name == ".." || parent.split('/').any(|s| s == "." || s == "..") {
        return Ok(None);
    }
    let parent = if parent.is_empty() { "/" } else { parent };
    let parent = resolve::folder(client, Some(parent)).await?;
    Ok(Some(Destination { parent, name: name.to_string() }))
}

/// What a rename did, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub id: String,
    /// The folder's new path.
    pub path: String,
    /// Whether the folder changed parent before being renamed.
    pub moved: bool,
}

/// Renames folder `item` to `to.name` under `to.parent`, moving it there first when its
/// parent is another folder. Objects have no names to change: a usage error.
pub async fn rename(client: &NmsClient, item: &Item, to: &Destination) -> Result<Renamed, Error> {
    if item.kind != Kind::Folder {
        return Err(Error::Usage(format!(
            "{} is a message object: it can only move into an existing folder (create it with `cpmctl mkdir -p`)",
            item.label
        )));
    }
    if item.id == to.parent.id {
        return Err(Error::Usage(format!("cannot move {} into itself", item.label)));
    }
    let current = client
        .get_folder(&item.url, FolderListFilter::None, None, Some(1))
        .await
        .map_err(|e| Error::Request { context: format!("cannot read folder {}", item.label), source: e })?;
    let parent_id = current.parent_folder.as_deref().map(id_of);
    let moved = parent_id.as_deref() != Some(to.parent.id.as_str());
    if moved {
        let t = TargetSourceRef {
            target_ref: Reference::new(to.parent.url.clone()),
            source_refs: ReferenceList {
                folders: FolderReferenceList { folder_reference: vec![Reference::new(item.url.clone())] },
                ..Default::default()
            },
        };
        let answer = client
            .move_to_folder(&t)
            .await
            .map_err(|e| Error::Request { context: format!("cannot move {}", item.label), source: e })?;
        if let Some(r) = answer.response.first().filter(|r| !r.is_success()) {
            let source = crate::nms::Error::Api { status: r.code, error: r.failure.clone().unwrap_or_default() };
            return Err(Error::Request { context: format!("cannot move {}", item.label), source });
        }
    }
    client
        .rename_folder(&item.id, &to.name)
        .await
        .map_err(|e| Error::Request { context: format!("cannot rename {}", item.label), source: e })?;
    let parent_path = to.parent.path.clone().unwrap_or_else(|| "/".into());
    Ok(Renamed { id: item.id.clone(), path: join_path(&parent_path, &to.name), moved })
}
