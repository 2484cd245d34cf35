//! The `Store` trait: everything handlers, the notifier and the demo seed ask of storage,
//! expressed in rows and paths (never URLs or HTTP), so another engine can stand in for SQLite.
//!
//! Methods return boxed futures so the trait stays object-safe: the server holds an
//! `Arc<dyn Store>` and never names the engine.

use std::collections::HashMap;

use futures::future::BoxFuture;
use rusqlite::Connection;
use tokio::sync::broadcast;

use super::SqliteStore;
use super::changes::{Change, ChangeNotice, ResourceKind};
use super::folders::FolderRow;
use super::objects::{ObjectRow, PartInfo};
use crate::server::error::{ApiError, ApiResult};
use crate::wire::multipart::Part;
use crate::wire::{
    AttributeList, BulkDelete, BulkUpdate, Folder, Object, Reference, SelectionCriteria, TargetSourceRef,
};

/// An object and its path (`/folder/…/objectId`): what a reference needs.
#[derive(Debug, Clone)]
pub struct ObjectEntry {
    pub row: ObjectRow,
    pub path: String,
}

/// An object with what its full wire form needs.
#[derive(Debug, Clone)]
pub struct ObjectView {
    pub row: ObjectRow,
    pub path: String,
    pub parts: Vec<PartInfo>,
}

/// A folder id and its path (the root's path is empty).
#[derive(Debug, Clone)]
pub struct FolderEntry {
    pub id: String,
    pub path: String,
}

/// Which child lists a folder answer carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    None,
    Subfolders,
    Objects,
    All,
}

/// One page of a folder's children: sub-folders first, then objects, each ordered by id.
#[derive(Debug, Clone)]
pub struct FolderPage {
    pub lists: Lists,
    pub cursor: Option<String>,
    pub max: usize,
    /// Server-computed counters to add to the attributes (MsgCount, SubtreeSize, …, or all).
    pub attr_filter: Vec<String>,
}

/// A folder as a client sees it, with the page of children asked for.
#[derive(Debug, Clone)]
pub struct FolderView {
    pub row: FolderRow,
    pub path: String,
    /// Stored attributes plus Name, Root and the counters asked for.
    pub attributes: AttributeList,
    pub sub_folders: Option<Vec<FolderEntry>>,
    pub objects: Option<Vec<ObjectEntry>>,
    /// Where the next page starts, when there is one.
    pub cursor: Option<String>,
}

/// One page of an object search.
#[derive(Debug, Clone)]
pub struct SearchPage {
    pub objects: Vec<ObjectView>,
    pub cursor: Option<String>,
}

/// One page of a folder search.
#[derive(Debug, Clone)]
pub struct FolderSearchPage {
    pub folders: Vec<FolderView>,
    pub cursor: Option<String>,
}

/// The result of one item of a bulk operation.
#[derive(Debug)]
pub enum BulkItem {
    Done(ObjectEntry),
    /// The target does not exist; `given` is the reference the client sent (may be empty).
    Missing {
        id: String,
        given: Reference,
    },
    Failed(ApiError),
}

/// moveToFolder or copyToFolder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    Move,
    Copy,
}

/// The result of one source of a move or copy.
#[derive(Debug)]
pub enum Transferred {
    Folder(FolderEntry),
    Object(ObjectEntry),
    Failed(ApiError),
}

/// What a subscription filter is evaluated against for one change-log resource.
#[derive(Debug, Clone)]
pub enum FilterSubject {
    Object(ObjectRow),
    /// A deleted object: the last attribute snapshot the change log kept, if any.
    DeletedObject(Option<AttributeList>),
    /// A folder's stored attributes (None once it is gone).
    Folder(Option<AttributeList>),
}

/// Content written in one transaction by [`Store::import`] (the demo seed).
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// Folder paths with attributes, created when missing (existing ones are kept as they are).
    pub folders: Vec<(String, AttributeList)>,
    /// Objects with payload parts; each names its folder by parentFolderPath.
    pub objects: Vec<(Object, Vec<Part>)>,
    /// A `meta` value set in the same transaction (marks the import as done).
    pub meta: Option<(String, String)>,
}

/// A stored subscription: the notifier owns the body's format.
#[derive(Debug, Clone)]
pub struct StoredSubscription {
    pub id: String,
    pub box_id: String,
    pub body: String,
}

/// The storage engine. Every mutation is atomic, stamps each change with the box's next
/// lastModSeq, appends it to the change log and, after commit, announces it on
/// [`Store::subscribe`]. Reads see the last commit.
pub trait Store: Send + Sync + 'static {
    // Boxes.
    /// Box ids that have storage.
    fn box_ids(&self) -> BoxFuture<'_, ApiResult<Vec<String>>>;
    /// Creates the box and its root folder on first use.
    fn ensure_box(&self, box_id: &str) -> BoxFuture<'_, ApiResult<()>>;
    /// The box's (lastModSeq, validity), when it exists.
    fn box_state(&self, box_id: &str) -> BoxFuture<'_, ApiResult<Option<(u64, String)>>>;

    // Objects.
    fn create_object(&self, box_id: &str, object: Object, parts: Vec<Part>) -> BoxFuture<'_, ApiResult<ObjectEntry>>;
    /// One object or 404.
    fn get_object(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<ObjectView>>;
    /// False when it did not exist.
    fn delete_object(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<bool>>;
    /// Replaces the flag set; the row after the change.
    fn set_flags(&self, box_id: &str, id: &str, flags: Vec<String>) -> BoxFuture<'_, ApiResult<ObjectRow>>;
    /// Adds or removes one flag; whether the set changed.
    fn change_flag(&self, box_id: &str, id: &str, flag: &str, add: bool) -> BoxFuture<'_, ApiResult<bool>>;
    /// All payload parts with bodies (404 when the object does not exist).
    fn payload(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<Vec<Part>>>;
    /// One payload part (404 when the object or part does not exist).
    fn payload_part(&self, box_id: &str, id: &str, part_id: &str) -> BoxFuture<'_, ApiResult<Part>>;
    /// The object at each `/folder/…/objectId` path, in order.
    fn objects_at_paths(&self, box_id: &str, paths: Vec<String>) -> BoxFuture<'_, ApiResult<Vec<Option<ObjectEntry>>>>;

    // Search and bulk operations.
    /// One page (at most `limit`) of the objects a selection matches.
    fn search(&self, box_id: &str, sel: SelectionCriteria, limit: usize) -> BoxFuture<'_, ApiResult<SearchPage>>;
    /// Creates each object in its own savepoint: a failing one leaves the others in.
    fn bulk_create(
        &self,
        box_id: &str,
        items: Vec<(Object, ApiResult<Vec<Part>>)>,
    ) -> BoxFuture<'_, ApiResult<Vec<BulkItem>>>;
    fn bulk_update(&self, box_id: &str, update: BulkUpdate) -> BoxFuture<'_, ApiResult<Vec<BulkItem>>>;
    fn bulk_delete(&self, box_id: &str, delete: BulkDelete) -> BoxFuture<'_, ApiResult<Vec<BulkItem>>>;

    // Folders.
    /// Creates a folder under the wire form's parentFolder or (existing) parentFolderPath.
    fn create_folder(&self, box_id: &str, folder: Folder) -> BoxFuture<'_, ApiResult<FolderEntry>>;
    /// One folder row or 404.
    fn folder(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<FolderRow>>;
    /// One folder with a page of its children, or 404.
    fn list_folder(&self, box_id: &str, id: &str, page: FolderPage) -> BoxFuture<'_, ApiResult<FolderView>>;
    fn rename_folder(&self, box_id: &str, id: &str, name: &str) -> BoxFuture<'_, ApiResult<FolderRow>>;
    /// Deletes a folder and everything below it.
    fn delete_folder(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<()>>;
    /// Folders matching a selection, each with all children (up to `children` of them).
    fn search_folders(
        &self,
        box_id: &str,
        sel: SelectionCriteria,
        max: usize,
        children: usize,
    ) -> BoxFuture<'_, ApiResult<FolderSearchPage>>;
    /// The folder at each path (empty: the root), in order.
    fn folders_at_paths(&self, box_id: &str, paths: Vec<String>) -> BoxFuture<'_, ApiResult<Vec<Option<FolderEntry>>>>;
    /// moveToFolder / copyToFolder: folders first, then objects, each in its own savepoint.
    fn transfer(&self, box_id: &str, tsr: TargetSourceRef, op: Transfer) -> BoxFuture<'_, ApiResult<Vec<Transferred>>>;

    // Change log.
    /// Entries with seq > `after`, oldest first, at most `limit`.
    fn changes_since(&self, box_id: &str, after: u64, limit: usize) -> BoxFuture<'_, ApiResult<Vec<Change>>>;
    /// The oldest seq still in the log.
    fn oldest_change(&self, box_id: &str) -> BoxFuture<'_, ApiResult<Option<u64>>>;
    /// Keeps the last `keep` entries; how many were removed.
    fn truncate_change_log(&self, box_id: &str, keep: u64) -> BoxFuture<'_, ApiResult<usize>>;
    /// What subscription filters see of each resource.
    fn filter_subjects(
        &self,
        box_id: &str,
        keys: Vec<(ResourceKind, String)>,
    ) -> BoxFuture<'_, ApiResult<HashMap<(ResourceKind, String), FilterSubject>>>;
    /// Notices "box X reached lastModSeq N", sent after each commit.
    fn subscribe(&self) -> broadcast::Receiver<ChangeNotice>;

    // Subscriptions, meta and bulk import.
    fn load_subscriptions(&self) -> BoxFuture<'_, ApiResult<Vec<StoredSubscription>>>;
    /// Inserts or replaces.
    fn save_subscriptions(&self, subs: Vec<StoredSubscription>) -> BoxFuture<'_, ApiResult<()>>;
    fn remove_subscriptions(&self, ids: Vec<String>) -> BoxFuture<'_, ApiResult<()>>;
    fn meta(&self, key: &str) -> BoxFuture<'_, ApiResult<Option<String>>>;
    fn import(&self, box_id: &str, content: Import) -> BoxFuture<'_, ApiResult<()>>;

    /// The SQLite engine behind this store, if that is what it is (tests and diagnostics).
    fn as_sqlite(&self) -> Option<&SqliteStore> {
        None
    }
}

impl dyn Store {
    /// Runs `f` on a read-only SQLite connection: an escape hatch for tests and diagnostics
    /// that look at tables directly; other engines answer 500.
    pub async fn read<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    {
        match self.as_sqlite() {
            Some(s) => s.read(f).await,
            None => Err(ApiError::internal("this storage engine has no SQLite connection")),
        }
    }
}
