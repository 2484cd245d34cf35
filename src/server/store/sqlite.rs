//! `Store` for [`SqliteStore`]: each method runs the matching SQLite function in one read
//! snapshot (the reader pool) or one write transaction (the writer).

use std::collections::HashMap;

use futures::future::BoxFuture;
use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::broadcast;

use super::changes::{self, Change, ChangeNotice, ResourceKind};
use super::engine::{
    BulkItem, FilterSubject, FolderEntry, FolderPage, FolderSearchPage, FolderView, Import, ObjectEntry, ObjectView,
    SearchPage, Store, StoredSubscription, Transfer, Transferred,
};
use super::folders::{self, FolderRow};
use super::objects::{self as obj, ObjectRow};
use super::{SqliteStore, folder_ops, ops};
use crate::server::error::ApiResult;

/// Payload parts up to this size are read on the request's own task (see
/// [`SqliteStore::read_point`]): copying 256 KiB out of SQLite's cache takes well under a
/// millisecond, less than the hop through the blocking pool it saves.
const POINT_PART_BYTES: usize = 256 * 1024;
use crate::wire::multipart::Part;
use crate::wire::{AttributeList, BulkDelete, BulkUpdate, Folder, Object, SelectionCriteria, TargetSourceRef};

/// Keeps the last `keep` change-log entries of the box; returns how many were removed.
pub fn prune(c: &Connection, box_id: &str, keep: u64) -> ApiResult<usize> {
    let Some((last, _)) = super::box_state(c, box_id)? else { return Ok(0) };
    if last <= keep {
        return Ok(0);
    }
    Ok(c.execute("DELETE FROM changes WHERE box = ?1 AND seq <= ?2", params![box_id, (last - keep) as i64])?)
}

/// The newest attribute snapshot the change log kept for a (deleted) object.
fn last_snapshot(c: &Connection, box_id: &str, id: &str) -> ApiResult<Option<AttributeList>> {
    Ok(c.query_row(
        "SELECT attributes FROM changes WHERE box = ?1 AND resource = 'object' AND resource_id = ?2
         AND attributes IS NOT NULL ORDER BY seq DESC LIMIT 1",
        params![box_id, id],
        |r| r.get::<_, String>(0),
    )
    .optional()?
    .and_then(|s| serde_json::from_str::<AttributeList>(&s).ok()))
}

fn filter_subjects(
    c: &Connection,
    box_id: &str,
    keys: Vec<(ResourceKind, String)>,
) -> ApiResult<HashMap<(ResourceKind, String), FilterSubject>> {
    let mut out = HashMap::new();
    for key in keys {
        if out.contains_key(&key) {
            continue;
        }
        let subject = match key.0 {
            ResourceKind::Object => match obj::get(c, box_id, &key.1)? {
                Some(row) => FilterSubject::Object(row),
                None => FilterSubject::DeletedObject(last_snapshot(c, box_id, &key.1)?),
            },
            ResourceKind::Folder => FilterSubject::Folder(folders::get(c, box_id, &key.1)?.map(|f| f.attributes)),
        };
        out.insert(key, subject);
    }
    Ok(out)
}

fn owned(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

impl Store for SqliteStore {
    fn box_ids(&self) -> BoxFuture<'_, ApiResult<Vec<String>>> {
        Box::pin(SqliteStore::box_ids(self))
    }

    fn ensure_box(&self, box_id: &str) -> BoxFuture<'_, ApiResult<()>> {
        let b = box_id.to_string();
        Box::pin(async move { SqliteStore::ensure_box(self, &b).await })
    }

    fn box_state(&self, box_id: &str) -> BoxFuture<'_, ApiResult<Option<(u64, String)>>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| super::box_state(c, &b)))
    }

    fn create_object(&self, box_id: &str, object: Object, parts: Vec<Part>) -> BoxFuture<'_, ApiResult<ObjectEntry>> {
        let b = box_id.to_string();
        Box::pin(async move { self.write(&b, move |t| ops::create_object(t, object, parts)).await })
    }

    fn get_object(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<ObjectView>> {
        let (b, id) = owned(box_id, id);
        Box::pin(self.read_point(move |c| ops::get_object(c, &b, &id)))
    }

    fn delete_object(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<bool>> {
        let (b, id) = owned(box_id, id);
        Box::pin(async move { self.write(&b, move |t| obj::delete(t, &id)).await })
    }

    fn set_flags(&self, box_id: &str, id: &str, flags: Vec<String>) -> BoxFuture<'_, ApiResult<ObjectRow>> {
        let (b, id) = owned(box_id, id);
        Box::pin(async move { self.write(&b, move |t| obj::set_flags(t, &id, &flags).map(|(row, _)| row)).await })
    }

    fn change_flag(&self, box_id: &str, id: &str, flag: &str, add: bool) -> BoxFuture<'_, ApiResult<bool>> {
        let (b, id) = owned(box_id, id);
        let flag = flag.to_string();
        Box::pin(async move { self.write(&b, move |t| obj::change_flag(t, &id, &flag, add)).await })
    }

    fn payload(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<Vec<Part>>> {
        let (b, id) = owned(box_id, id);
        Box::pin(self.read(move |c| ops::payload(c, &b, &id)))
    }

    fn payload_part(&self, box_id: &str, id: &str, part_id: &str) -> BoxFuture<'_, ApiResult<Part>> {
        let (b, id) = owned(box_id, id);
        let part_id = part_id.to_string();
        Box::pin(async move {
            // Most parts (texts, thumbnails, photos) are read as a point read, on the request's
            // task; a bigger one is read on the pool, not on a thread that serves requests.
            let (b2, id2, part2) = (b.clone(), id.clone(), part_id.clone());
            let small = self.read_point(move |c| ops::payload_part_up_to(c, &b2, &id2, &part2, POINT_PART_BYTES));
            match small.await? {
                Some(part) => Ok(part),
                None => self.read(move |c| ops::payload_part(c, &b, &id, &part_id)).await,
            }
        })
    }

    fn objects_at_paths(&self, box_id: &str, paths: Vec<String>) -> BoxFuture<'_, ApiResult<Vec<Option<ObjectEntry>>>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| ops::objects_at_paths(c, &b, &paths)))
    }

    fn search(&self, box_id: &str, sel: SelectionCriteria, limit: usize) -> BoxFuture<'_, ApiResult<SearchPage>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| ops::search(c, &b, &sel, limit)))
    }

    fn bulk_create(
        &self,
        box_id: &str,
        items: Vec<(Object, ApiResult<Vec<Part>>)>,
    ) -> BoxFuture<'_, ApiResult<Vec<BulkItem>>> {
        let b = box_id.to_string();
        Box::pin(async move { self.write(&b, move |t| ops::bulk_create(t, items)).await })
    }

    fn bulk_update(&self, box_id: &str, update: BulkUpdate) -> BoxFuture<'_, ApiResult<Vec<BulkItem>>> {
        let b = box_id.to_string();
        Box::pin(async move { self.write(&b, move |t| ops::bulk_update(t, &update)).await })
    }

    fn bulk_delete(&self, box_id: &str, delete: BulkDelete) -> BoxFuture<'_, ApiResult<Vec<BulkItem>>> {
        let b = box_id.to_string();
        Box::pin(async move { self.write(&b, move |t| ops::bulk_delete(t, &delete)).await })
    }

    fn create_folder(&self, box_id: &str, folder: Folder) -> BoxFuture<'_, ApiResult<FolderEntry>> {
        let b = box_id.to_string();
        Box::pin(async move { self.write(&b, move |t| folder_ops::create_folder(t, folder)).await })
    }

    fn folder(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<FolderRow>> {
        let (b, id) = owned(box_id, id);
        Box::pin(self.read(move |c| folders::require(c, &b, &id)))
    }

    fn list_folder(&self, box_id: &str, id: &str, page: FolderPage) -> BoxFuture<'_, ApiResult<FolderView>> {
        let (b, id) = owned(box_id, id);
        Box::pin(self.read(move |c| folder_ops::list_folder(c, &b, &id, &page)))
    }

    fn rename_folder(&self, box_id: &str, id: &str, name: &str) -> BoxFuture<'_, ApiResult<FolderRow>> {
        let (b, id) = owned(box_id, id);
        let name = name.to_string();
        Box::pin(async move { self.write(&b, move |t| folders::rename(t, &id, &name)).await })
    }

    fn delete_folder(&self, box_id: &str, id: &str) -> BoxFuture<'_, ApiResult<()>> {
        let (b, id) = owned(box_id, id);
        Box::pin(async move { self.write(&b, move |t| folders::delete(t, &id)).await })
    }

    fn search_folders(
        &self,
        box_id: &str,
        sel: SelectionCriteria,
        max: usize,
        children: usize,
    ) -> BoxFuture<'_, ApiResult<FolderSearchPage>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| folder_ops::search_folders(c, &b, &sel, max, children)))
    }

    fn folders_at_paths(&self, box_id: &str, paths: Vec<String>) -> BoxFuture<'_, ApiResult<Vec<Option<FolderEntry>>>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| folder_ops::folders_at_paths(c, &b, &paths)))
    }

    fn transfer(&self, box_id: &str, tsr: TargetSourceRef, op: Transfer) -> BoxFuture<'_, ApiResult<Vec<Transferred>>> {
        let b = box_id.to_string();
        Box::pin(async move { self.write(&b, move |t| folder_ops::transfer(t, &tsr, op)).await })
    }

    fn changes_since(&self, box_id: &str, after: u64, limit: usize) -> BoxFuture<'_, ApiResult<Vec<Change>>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| changes::since(c, &b, after, limit)))
    }

    fn oldest_change(&self, box_id: &str) -> BoxFuture<'_, ApiResult<Option<u64>>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| changes::oldest(c, &b)))
    }

    fn truncate_change_log(&self, box_id: &str, keep: u64) -> BoxFuture<'_, ApiResult<usize>> {
        let b = box_id.to_string();
        Box::pin(self.maintain(move |c| prune(c, &b, keep)))
    }

    fn filter_subjects(
        &self,
        box_id: &str,
        keys: Vec<(ResourceKind, String)>,
    ) -> BoxFuture<'_, ApiResult<HashMap<(ResourceKind, String), FilterSubject>>> {
        let b = box_id.to_string();
        Box::pin(self.read(move |c| filter_subjects(c, &b, keys)))
    }

    fn subscribe(&self) -> broadcast::Receiver<ChangeNotice> {
        SqliteStore::subscribe(self)
    }

    fn load_subscriptions(&self) -> BoxFuture<'_, ApiResult<Vec<StoredSubscription>>> {
        Box::pin(self.read(|c| {
            let mut st = c.prepare("SELECT id, box, body FROM nc_subscriptions")?;
            let rows =
                st.query_map([], |r| Ok(StoredSubscription { id: r.get(0)?, box_id: r.get(1)?, body: r.get(2)? }))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        }))
    }

    fn save_subscriptions(&self, subs: Vec<StoredSubscription>) -> BoxFuture<'_, ApiResult<()>> {
        Box::pin(async move {
            if subs.is_empty() {
                return Ok(());
            }
            self.maintain(move |c| {
                for s in &subs {
                    c.execute(
                        "INSERT OR REPLACE INTO nc_subscriptions (id, box, body) VALUES (?1, ?2, ?3)",
                        params![s.id, s.box_id, s.body],
                    )?;
                }
                Ok(())
            })
            .await
        })
    }

    fn remove_subscriptions(&self, ids: Vec<String>) -> BoxFuture<'_, ApiResult<()>> {
        Box::pin(async move {
            if ids.is_empty() {
                return Ok(());
            }
            self.maintain(move |c| {
                for id in &ids {
                    c.execute("DELETE FROM nc_subscriptions WHERE id = ?1", params![id])?;
                }
                Ok(())
            })
            .await
        })
    }

    fn meta(&self, key: &str) -> BoxFuture<'_, ApiResult<Option<String>>> {
        let key = key.to_string();
        Box::pin(async move { SqliteStore::meta(self, &key).await })
    }

    fn import(&self, box_id: &str, content: Import) -> BoxFuture<'_, ApiResult<()>> {
        let b = box_id.to_string();
        Box::pin(async move { self.write(&b, move |t| ops::import(t, content)).await })
    }

    fn as_sqlite(&self) -> Option<&SqliteStore> {
        Some(self)
    }
}
