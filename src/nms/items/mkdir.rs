//! Creating a folder by path, optionally with its missing parents (`mkdir -p`): the deepest
//! existing ancestor is found first, then the rest is created below it, one level a request.

use crate::nms::NmsClient;

use super::resolve::{self, FolderRef};
use super::{Error, display_path, id_of};

/// What [`make_path`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    /// The folder was there already (only with `parents`).
    Existing(FolderRef),
    /// The folder was created; its id.
    Created(String),
}

/// Why a path was not made.
#[derive(Debug)]
pub enum MkdirError {
    /// The path names the root, which always exists.
    Root,
    /// A segment is `.` or `..`; the path as given.
    DotSegment(String),
    /// The folder exists and `parents` was not asked for; its path.
    Exists(String),
    /// A parent is missing and `parents` was not asked for; the parent's path.
    MissingParent(String),
    /// A lookup or a request failed.
    Items(Error),
}

impl From<Error> for MkdirError {
    fn from(e: Error) -> Self {
        MkdirError::Items(e)
    }
}

impl From<crate::nms::Error> for MkdirError {
    fn from(e: crate::nms::Error) -> Self {
        MkdirError::Items(Error::Stopped(e))
    }
}

/// The path's segments, checked: none of them `.` or `..`, and at least one.
pub fn segments(path: &str) -> Result<Vec<String>, MkdirError> {
    let path = display_path(path.trim());
    let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
    if segments.is_empty() {
        return Err(MkdirError::Root);
    }
    if segments.iter().any(|s| s == "." || s == "..") {
        return Err(MkdirError::DotSegment(path));
    }
    Ok(segments)
}

/// Looks a folder path up; `None` when it does not exist.
async fn lookup(client: &NmsClient, path: &str) -> Result<Option<FolderRef>, Error> {
    match resolve::folder(client, Some(path)).await {
        Ok(f) => Ok(Some(f)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Makes the folder at `segments` (see [`segments`]); with `parents`, missing parents are
/// created too and an existing folder is accepted. `created` hears of each parent made.
pub async fn make_path(
    client: &NmsClient,
    segments: &[String],
    parents: bool,
    mut created: impl FnMut(&str),
) -> Result<Made, MkdirError> {
    let full = format!("/{}", segments.join("/"));
    if let Some(existing) = lookup(client, &full).await? {
        return if parents { Ok(Made::Existing(existing)) } else { Err(MkdirError::Exists(full)) };
    }
    // Find the deepest existing ancestor, then create the rest below it.
    let mut parent = resolve::folder(client, None).await?;
    let mut first_missing = 0;
    for i in (1..segments.len()).rev() {
        let p = format!("/{}", segments[..i].join("/"));
        if let Some(f) = lookup(client, &p).await? {
            parent = f;
            first_missing = i;
            break;
        }
    }
    if first_missing + 1 < segments.len() && !parents {
        return Err(MkdirError::MissingParent(format!("/{}", segments[..segments.len() - 1].join("/"))));
    }
    let mut id = String::new();
    for (i, name) in segments.iter().enumerate().skip(first_missing) {
        let r = client.create_folder(Some(&parent.url), None, name).await?;
        id = id_of(&r.resource_url);
        let here = format!("/{}", segments[..=i].join("/"));
        if i + 1 < segments.len() {
            created(&here);
        }
        parent = FolderRef { id: id.clone(), url: r.resource_url, path: Some(here) };
    }
    Ok(Made::Created(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_checked() {
        assert_eq!(segments(" /a//b/ ").unwrap(), ["a", "b"]);
        assert_eq!(segments("a").unwrap(), ["a"]);
        assert!(matches!(segments("/"), Err(MkdirError::Root)));
        assert!(matches!(segments("/a/../b"), Err(MkdirError::DotSegment(p)) if p == "/a/../b"));
    }
}
