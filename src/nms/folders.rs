//! Folders: root discovery, listing pages, create / rename / delete, folder search,
//! move / copy, and both pathToId resources (TS 6.10–6.16).

use futures::Stream;
use reqwest::Method;
use url::Url;

use super::client::{Call, NmsClient, Reply};
use super::error::Error;
use super::search::{next_cursor, root_is};
use super::urls;
use crate::wire::folder::FolderName;
use crate::wire::{
    BulkResponseList, Folder, FolderList, FolderReferenceList, Reference, SearchCriteria, SearchCriterion,
    SelectionCriteria, TargetSourceRef,
};

/// What `GET folders/{id}` lists besides the folder itself (`listFilter`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FolderListFilter {
    /// No child lists.
    #[default]
    None,
    Subfolders,
    Objects,
    All,
}

impl FolderListFilter {
    /// The `listFilter` query value.
    pub fn as_query(self) -> Option<&'static str> {
        match self {
            FolderListFilter::None => None,
            FolderListFilter::Subfolders => Some("Subfolders"),
            FolderListFilter::Objects => Some("Objects"),
            FolderListFilter::All => Some("All"),
        }
    }
}

/// Whether a failed root search should fall back to `pathToId`: the server may not
/// implement folder search (it is optional) or may want another body form.
fn root_search_unsupported(e: &Error) -> bool {
    match e {
        Error::Decode { .. } => true,
        _ => match e.status() {
            Some(403) => !e.is_auth(),
            Some(s) => matches!(s, 400 | 404 | 405 | 406 | 415 | 422 | 501),
            None => false,
        },
    }
}

impl NmsClient {
    fn folder_target(&self, id: &str) -> Url {
        urls::target(id, self.base_url(), "folders")
    }

    /// The box's root folder: `folders/operations/search` for `Root`=`Yes`, falling back to
    /// `GET folders/operations/pathToId` (no path answers the root) and a GET of it.
    pub async fn root_folder(&self) -> Result<Folder, Error> {
        let c = SelectionCriteria {
            max_entries: 10,
            search_criteria: Some(SearchCriteria {
                criterion: vec![SearchCriterion::new("Attribute", Some("Root"), "Yes")],
                operator: None,
            }),
            ..Default::default()
        };
        match self.search_folders(&c).await {
            Ok(list) => {
                if let Some(f) = list.folder.into_iter().find(|f| f.resource_url.is_some()) {
                    return Ok(f);
                }
            }
            Err(e) if !root_search_unsupported(&e) => return Err(e),
            Err(_) => {}
        }
        let r = self.folder_path_to_id(None).await?;
        self.get_folder(&r.resource_url, FolderListFilter::None, None, None).await
    }

    /// `GET folders/{id}` (an id or a folder URL) with `listFilter`, `fromCursor`,
    /// `maxEntries`.
    pub async fn get_folder(
        &self,
        id: &str,
        filter: FolderListFilter,
        cursor: Option<&str>,
        max: Option<u64>,
    ) -> Result<Folder, Error> {
        let url = self.folder_target(id);
        let max = max.map(|m| m.to_string());
        let mut query: Vec<(&str, &str)> = Vec::new();
        if let Some(f) = filter.as_query() {
            query.push(("listFilter", f));
        }
        if let Some(c) = cursor {
            query.push(("fromCursor", c));
        }
        if let Some(m) = &max {
            query.push(("maxEntries", m));
        }
        let reply = self.execute(Call::new(Method::GET, url.clone()).query(&query)).await?;
        self.folder_from(&reply, &url)
    }

    fn folder_from(&self, reply: &Reply, url: &Url) -> Result<Folder, Error> {
        let mut value = reply.json()?;
        // T-Mobile puts the folder's resourceURL inside `attributes`: lift it out.
        let inner = match value.as_object_mut() {
            Some(m) if m.len() == 1 && m.contains_key("folder") => m.get_mut("folder"),
            _ => Some(&mut value),
        };
        if let Some(serde_json::Value::Object(f)) = inner
            && !f.contains_key("resourceURL")
            && let Some(u) = f.get("attributes").and_then(|a| a.get("resourceURL")).cloned()
        {
            f.insert("resourceURL".into(), u);
        }
        let mut folder: Folder = self.decode_value(reply, value)?;
        if folder.resource_url.is_none() {
            let mut own = url.clone();
            own.set_query(None);
            folder.resource_url = Some(own.to_string());
        }
        Ok(folder)
    }

    /// All pages of a folder listing (`page` entries each; 0 lets the server choose),
    /// fetched as the stream is polled. Each item is the folder with one page of children.
    pub fn folder_pages(
        &self,
        id: &str,
        filter: FolderListFilter,
        page: u64,
    ) -> impl Stream<Item = Result<Folder, Error>> + Send + Unpin + use<> {
        let client = self.clone();
        let id = id.to_string();
        let max = (page > 0).then_some(page);
        Box::pin(futures::stream::try_unfold(Some(None::<String>), move |state| {
            let client = client.clone();
            let id = id.clone();
            async move {
                let Some(cursor) = state else { return Ok(None) };
                let folder = client.get_folder(&id, filter, cursor.as_deref(), max).await?;
                let next = next_cursor(folder.cursor.as_deref(), cursor.as_deref()).map(Some);
                Ok(Some((folder, next)))
            }
        }))
    }

    /// `POST folders` under a parent given as a folder URL or id, or as a path.
    pub async fn create_folder(
        &self,
        parent: Option<&str>,
        parent_path: Option<&str>,
        name: &str,
    ) -> Result<Reference, Error> {
        if parent.is_none() && parent_path.is_none() {
            return Err(Error::Invalid("a new folder needs a parent folder or a parent path".into()));
        }
        let folder = Folder {
            parent_folder: parent.map(|p| self.folder_target(p).to_string()),
            parent_folder_path: parent_path.map(String::from),
            name: (!name.is_empty()).then(|| name.to_string()),
            ..Default::default()
        };
        let reply = self.execute(Call::new(Method::POST, self.url(&["folders"])).json(&folder)).await?;
        self.reference_from(&reply)
    }

    /// `PUT folders/{id}/folderName` with `{"name": …}`.
    pub async fn rename_folder(&self, id: &str, name: &str) -> Result<(), Error> {
        let url = urls::join_segments(&self.folder_target(id), &["folderName"]);
        self.execute(Call::new(Method::PUT, url).json(&FolderName(name.to_string()))).await.map(|_| ())
    }

    /// `DELETE folders/{id}` (recursive on the server).
    pub async fn delete_folder(&self, id: &str) -> Result<(), Error> {
        self.execute(Call::new(Method::DELETE, self.folder_target(id))).await.map(|_| ())
    }

    /// `POST folders/operations/search`. 204 / empty is an empty list; a
    /// `folderReferenceList` answer becomes folders with only their URL.
    pub async fn search_folders(&self, c: &SelectionCriteria) -> Result<FolderList, Error> {
        let call = Call::new(Method::POST, self.url(&["folders", "operations", "search"])).json(c).idempotent(true);
        let reply = self.execute(call).await?;
        if reply.is_empty() {
            return Ok(FolderList::default());
        }
        let value = reply.json()?;
        if root_is(&value, "folderReferenceList") {
            let refs: FolderReferenceList = self.decode_value(&reply, value)?;
            let folder = refs
                .folder_reference
                .into_iter()
                .map(|r| Folder { resource_url: Some(r.resource_url), path: r.path, ..Default::default() })
                .collect();
            return Ok(FolderList { folder, cursor: None });
        }
        self.decode_value(&reply, value)
    }

    async fn folder_operation(&self, op: &str, t: &TargetSourceRef) -> Result<BulkResponseList, Error> {
        let call = Call::new(Method::POST, self.url(&["folders", "operations", op])).json(t);
        let reply = self.execute(call).await?;
        if reply.is_empty() { Ok(BulkResponseList::default()) } else { self.decode(&reply) }
    }

    /// `POST folders/operations/moveToFolder`.
    pub async fn move_to_folder(&self, t: &TargetSourceRef) -> Result<BulkResponseList, Error> {
        self.folder_operation("moveToFolder", t).await
    }

    /// `POST folders/operations/copyToFolder`.
    pub async fn copy_to_folder(&self, t: &TargetSourceRef) -> Result<BulkResponseList, Error> {
        self.folder_operation("copyToFolder", t).await
    }

    /// `GET objects/operations/pathToId?path=…`.
    pub async fn object_path_to_id(&self, path: &str) -> Result<Reference, Error> {
        let call = Call::new(Method::GET, self.url(&["objects", "operations", "pathToId"])).query(&[("path", path)]);
        let reply = self.execute(call).await?;
        self.decode(&reply)
    }

    /// `GET folders/operations/pathToId[?path=…]`; without a path the server answers the root.
    pub async fn folder_path_to_id(&self, path: Option<&str>) -> Result<Reference, Error> {
        let mut call = Call::new(Method::GET, self.url(&["folders", "operations", "pathToId"]));
        if let Some(p) = path {
            call = call.query(&[("path", p)]);
        }
        let reply = self.execute(call).await?;
        self.decode(&reply)
    }
}
