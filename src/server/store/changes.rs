//! The durable change log: one row per lastModSeq of a box, replayable by subscriptions.
//!
//! Every mutation appends exactly one row per affected object or folder, carrying the
//! state an NMS event needs (parent folder, flags, name, correlation ids). Deleted objects
//! keep an attribute snapshot so a subscription filter can still be evaluated on them.

use rusqlite::{Connection, params};

use super::super::error::ApiResult;
use crate::wire::AttributeList;

/// What happened to the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Created,
    Changed,
    Moved,
    Deleted,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Changed => "changed",
            ChangeKind::Moved => "moved",
            ChangeKind::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> ChangeKind {
        match s {
            "created" => ChangeKind::Created,
            "moved" => ChangeKind::Moved,
            "deleted" => ChangeKind::Deleted,
            _ => ChangeKind::Changed,
        }
    }
}

/// An object or a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    Object,
    Folder,
}

impl ResourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Object => "object",
            ResourceKind::Folder => "folder",
        }
    }
}

/// One change-log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub box_id: String,
    /// The lastModSeq this change stamped on the resource.
    pub seq: u64,
    pub kind: ChangeKind,
    pub resource: ResourceKind,
    /// Object or folder id.
    pub id: String,
    /// The parent folder id after the change (None for the root folder).
    pub parent_id: Option<String>,
    /// Objects: the flags after the change.
    pub flags: Vec<String>,
    /// Folders: the name after the change.
    pub name: Option<String>,
    pub correlation_id: Option<String>,
    pub correlation_tag: Option<String>,
    /// Deleted objects: the attributes they had (the tombstone's filter view).
    pub attributes: Option<AttributeList>,
    /// When the change was made (RFC 3339 UTC).
    pub at: String,
}

impl Change {
    pub fn folder(
        box_id: &str,
        seq: u64,
        kind: ChangeKind,
        id: &str,
        parent_id: Option<&str>,
        name: Option<String>,
        at: String,
    ) -> Change {
        Change {
            box_id: box_id.to_string(),
            seq,
            kind,
            resource: ResourceKind::Folder,
            id: id.to_string(),
            parent_id: parent_id.map(str::to_string),
            flags: Vec::new(),
            name,
            correlation_id: None,
            correlation_tag: None,
            attributes: None,
            at,
        }
    }
}

/// Sent after a commit: the box reached this lastModSeq (the log holds the details).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNotice {
    pub box_id: String,
    pub last_mod_seq: u64,
}

/// Appends one entry (inside the caller's transaction).
pub fn append(c: &Connection, box_id: &str, ch: &Change) -> ApiResult<()> {
    let flags = match ch.resource {
        ResourceKind::Object => Some(serde_json::to_string(&ch.flags).unwrap_or_else(|_| "[]".into())),
        ResourceKind::Folder => None,
    };
    let attrs = ch.attributes.as_ref().and_then(|a| serde_json::to_string(a).ok());
    c.execute(
        "INSERT INTO changes (box, seq, kind, resource, resource_id, parent_id, flags, name, correlation_id,
             correlation_tag, attributes, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            box_id,
            ch.seq as i64,
            ch.kind.as_str(),
            ch.resource.as_str(),
            ch.id,
            ch.parent_id,
            flags,
            ch.name,
            ch.correlation_id,
            ch.correlation_tag,
            attrs,
            ch.at
        ],
    )?;
    Ok(())
}

/// Entries of `box_id` with seq > `after`, oldest first, at most `limit`.
pub fn since(c: &Connection, box_id: &str, after: u64, limit: usize) -> ApiResult<Vec<Change>> {
    let mut st = c.prepare_cached(
        "SELECT seq, kind, resource, resource_id, parent_id, flags, name, correlation_id, correlation_tag,
                attributes, at
         FROM changes WHERE box = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = st.query_map(params![box_id, after as i64, limit as i64], |r| {
        let flags: Option<String> = r.get(5)?;
        let attrs: Option<String> = r.get(9)?;
        let resource: String = r.get(2)?;
        Ok(Change {
            box_id: box_id.to_string(),
            seq: r.get::<_, i64>(0)? as u64,
            kind: ChangeKind::parse(&r.get::<_, String>(1)?),
            resource: if resource == "folder" { ResourceKind::Folder } else { ResourceKind::Object },
            id: r.get(3)?,
            parent_id: r.get(4)?,
            flags: flags.and_then(|f| serde_json::from_str(&f).ok()).unwrap_or_default(),
            name: r.get(6)?,
            correlation_id: r.get(7)?,
            correlation_tag: r.get(8)?,
            attributes: attrs.and_then(|a| serde_json::from_str(&a).ok()),
            at: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// The oldest seq still in the log for the box (None when the log is empty).
pub fn oldest(c: &Connection, box_id: &str) -> ApiResult<Option<u64>> {
    let v: Option<i64> = c.query_row("SELECT MIN(seq) FROM changes WHERE box = ?1", params![box_id], |r| r.get(0))?;
    Ok(v.map(|v| v as u64))
}
