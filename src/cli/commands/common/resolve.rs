//! Resolving `ID|PATH` arguments against the server: a leading `/` is a path (pathToId),
//! anything else an id. Objects and folders share the path space, so a path is tried as an
//! object first and then as a folder, unless a trailing `/` says it is a folder.

use crate::cli::error::CliError;
use crate::nms::{FolderListFilter, NmsClient};

use super::id_of;
use super::ids::Target;
use super::view::display_path;

/// Whether an item is a message object or a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Object,
    Folder,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Object => "object",
            Kind::Folder => "folder",
        }
    }
}

/// A resolved item: its kind, id and server URL, plus what the user typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub id: String,
    pub url: String,
    pub label: String,
}

/// A resolved folder: id, URL and display path (`/` for the root) when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderRef {
    pub id: String,
    pub url: String,
    pub path: Option<String>,
}

/// Resolves a folder argument: none, `` or `/` is the root, `/a/b` a path, else an id.
pub async fn folder(client: &NmsClient, arg: Option<&str>) -> Result<FolderRef, CliError> {
    let arg = arg.map(str::trim).unwrap_or("");
    if arg.is_empty() || arg.chars().all(|c| c == '/') {
        let root = client.root_folder().await.map_err(|e| CliError::from(e).context("cannot find the root folder"))?;
        let url = root.resource_url.clone().unwrap_or_default();
        return Ok(FolderRef { id: id_of(&url), url, path: Some("/".into()) });
    }
    if arg.starts_with('/') {
        let path = arg.trim_end_matches('/');
        let r = client.folder_path_to_id(Some(path)).await.map_err(|e| not_found(e, "folder", path))?;
        return Ok(FolderRef { id: id_of(&r.resource_url), url: r.resource_url, path: Some(display_path(path)) });
    }
    let f =
        client.get_folder(arg, FolderListFilter::None, None, None).await.map_err(|e| not_found(e, "folder", arg))?;
    let url = f.resource_url.clone().unwrap_or_else(|| client.folder_url(arg).to_string());
    Ok(FolderRef { id: arg.to_string(), url, path: f.path.as_deref().map(display_path) })
}

/// Resolves one item. Bare ids are taken as given (objects unless the record said folder),
/// without a request, so long id lists cost nothing here.
pub async fn item(client: &NmsClient, t: &Target) -> Result<Item, CliError> {
    match t {
        Target::Id { id, folder: false } => {
            Ok(Item { kind: Kind::Object, id: id.clone(), url: client.object_url(id).to_string(), label: id.clone() })
        }
        Target::Id { id, folder: true } => {
            Ok(Item { kind: Kind::Folder, id: id.clone(), url: client.folder_url(id).to_string(), label: id.clone() })
        }
        Target::Path(p) => {
            let label = p.clone();
            if !p.ends_with('/') {
                match client.object_path_to_id(p).await {
                    Ok(r) => {
                        return Ok(Item { kind: Kind::Object, id: id_of(&r.resource_url), url: r.resource_url, label });
                    }
                    Err(e) if e.is_not_found() || e.status() == Some(400) => {}
                    Err(e) => return Err(CliError::from(e).context(format!("cannot resolve {p}"))),
                }
            }
            let f = folder(client, Some(p)).await.map_err(|e| {
                if e.kind == crate::cli::error::ErrorKind::NotFound {
                    CliError::not_found(format!("no object or folder at {p}"))
                } else {
                    e
                }
            })?;
            Ok(Item { kind: Kind::Folder, id: f.id, url: f.url, label })
        }
    }
}

/// Maps a not-found answer to a message naming what was looked up.
pub fn not_found(e: crate::nms::Error, what: &str, name: &str) -> CliError {
    if e.is_not_found() {
        let mut err = CliError::not_found(format!("no {what} {name}")).cause(e.to_string());
        err.message_id = e.message_id().map(str::to_string);
        err
    } else {
        CliError::from(e).context(format!("cannot look up {what} {name}"))
    }
}
