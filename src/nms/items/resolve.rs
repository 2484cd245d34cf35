//! Resolving `ID|PATH` arguments against the server: anything with a `/` is a path
//! (pathToId; relative ones start at the root), anything else an id (a folder argument falls
//! back to a top-level folder name). Objects and folders share the path space, so a path is tried as an
//! object first and then as a folder, unless a trailing `/` says it is a folder.

use crate::nms::{self, FolderListFilter, NmsClient};

use super::targets::Target;
use super::{Error, display_path, id_of};

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
pub async fn folder(client: &NmsClient, arg: Option<&str>) -> Result<FolderRef, Error> {
    let arg = arg.map(str::trim).unwrap_or("");
    if arg.is_empty() || arg.chars().all(|c| c == '/') {
        let root = client
            .root_folder()
            .await
            .map_err(|e| Error::Request { context: "cannot find the root folder".into(), source: e })?;
        let url = root.resource_url.clone().unwrap_or_default();
        return Ok(FolderRef { id: id_of(&url), url, path: Some("/".into()) });
    }
    if arg.contains('/') {
        // Relative paths resolve from the root, as there is no working folder to start from.
        let path = absolute(arg.trim_end_matches('/'));
        let r = client.folder_path_to_id(Some(&path)).await.map_err(|e| not_found(e, "folder", &path))?;
        return Ok(FolderRef { id: id_of(&r.resource_url), url: r.resource_url, path: Some(display_path(&path)) });
    }
    match client.get_folder(arg, FolderListFilter::None, None, None).await {
        Ok(f) => {
            let url = f.resource_url.clone().unwrap_or_else(|| client.folder_url(arg).to_string());
            Ok(FolderRef { id: arg.to_string(), url, path: f.path.as_deref().map(display_path) })
        }
        // A bare word is an id first; failing that, the name of a folder under the root
        // (`ls RCSMessageStore`), which is what a newcomer means by it.
        Err(e) if e.is_not_found() || e.status() == Some(400) => {
            let path = absolute(arg);
            match client.folder_path_to_id(Some(&path)).await {
                Ok(r) => Ok(FolderRef { id: id_of(&r.resource_url), url: r.resource_url, path: Some(path) }),
                Err(e2) if e2.is_not_found() || e2.status() == Some(400) => {
                    let source = if e.is_not_found() { e } else { e2 };
                    Err(Error::NotFound { what: "folder".into(), name: arg.to_string(), source })
                }
                Err(e2) => Err(not_found(e2, "folder", &path)),
            }
        }
        Err(e) => Err(not_found(e, "folder", arg)),
    }
}

/// `a/b` → `/a/b`; an absolute path stays as it is.
pub fn absolute(path: &str) -> String {
    if path.starts_with('/') { path.to_string() } else { format!("/{path}") }
}

/// Resolves one item. Bare ids are taken as given (objects unless the record said folder),
/// without a request, so long id lists cost nothing here.
pub async fn item(client: &NmsClient, t: &Target) -> Result<Item, Error> {
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
                    Err(e) => return Err(Error::Request { context: format!("cannot resolve {p}"), source: e }),
                }
            }
            let f = folder(client, Some(p))
                .await
                .map_err(|e| if e.is_not_found() { Error::NoSuchPath(p.clone()) } else { e })?;
            Ok(Item { kind: Kind::Folder, id: f.id, url: f.url, label })
        }
    }
}

/// Maps a not-found answer to an error naming what was looked up.
pub fn not_found(e: nms::Error, what: &str, name: &str) -> Error {
    if e.is_not_found() {
        Error::NotFound { what: what.to_string(), name: name.to_string(), source: e }
    } else {
        Error::Request { context: format!("cannot look up {what} {name}"), source: e }
    }
}

impl Error {
    /// Whether the error says that something named does not exist (as opposed to a failed
    /// or refused request); an authorization failure never counts as not found.
    pub fn is_not_found(&self) -> bool {
        match self {
            Error::NotFound { .. } | Error::NoSuchPath(_) => true,
            Error::Request { source, .. } | Error::Stopped(source) => !source.is_auth() && source.is_not_found(),
            Error::Usage(_) | Error::Failure(_) | Error::Folder(_) => false,
        }
    }
}
