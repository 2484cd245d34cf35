//! Storage of boxes, folders, objects, payload parts and the change log: the [`Store`] trait
//! the server talks to (`engine`) and its SQLite engine, [`SqliteStore`] (`sqlite`, `ops`,
//! `folder_ops` over the table modules `objects`, `folders`, `changes`, `search`).
//!
//! WAL mode with one writer connection behind a mutex (every mutation is one IMMEDIATE
//! transaction that bumps the box's lastModSeq, so seqs stay unique and gap-free) and a small
//! pool of `query_only` readers, so long reads never hold up writers.

pub mod changes;
pub mod engine;
pub mod folder_ops;
pub mod folders;
pub mod objects;
pub mod ops;
pub mod pool;
pub mod search;
pub mod sort;
pub mod sqlite;
#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::broadcast;

use super::error::{ApiError, ApiResult};

pub use changes::{Change, ChangeKind, ChangeNotice, ResourceKind};
pub use engine::{
    BulkItem, FilterSubject, FolderEntry, FolderPage, FolderSearchPage, FolderView, Import, Lists, ObjectEntry,
    ObjectView, SearchPage, Store, StoredSubscription, Transfer, Transferred,
};

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS boxes (
    box TEXT PRIMARY KEY,
    last_mod_seq INTEGER NOT NULL DEFAULT 0,
    validity TEXT NOT NULL,
    root_id TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS folders (
    box TEXT NOT NULL,
    id TEXT NOT NULL,
    parent_id TEXT,
    name TEXT NOT NULL,
    attributes TEXT NOT NULL,
    last_mod_seq INTEGER NOT NULL,
    PRIMARY KEY (box, id)
);
CREATE INDEX IF NOT EXISTS folders_by_parent ON folders (box, parent_id, name);
CREATE TABLE IF NOT EXISTS objects (
    box TEXT NOT NULL,
    id TEXT NOT NULL,
    folder_id TEXT NOT NULL,
    date_ns INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    flags TEXT NOT NULL,
    correlation_id TEXT,
    correlation_tag TEXT,
    search_text TEXT NOT NULL,
    size INTEGER NOT NULL,
    last_mod_seq INTEGER NOT NULL,
    PRIMARY KEY (box, id)
);
CREATE INDEX IF NOT EXISTS objects_by_date ON objects (box, date_ns, id);
CREATE INDEX IF NOT EXISTS objects_by_folder ON objects (box, folder_id, date_ns, id);
CREATE INDEX IF NOT EXISTS objects_by_correlation_id ON objects (box, correlation_id);
CREATE TABLE IF NOT EXISTS parts (
    box TEXT NOT NULL,
    object_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    part_id TEXT NOT NULL,
    headers TEXT NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (box, object_id, idx)
);
CREATE TABLE IF NOT EXISTS tombstones (
    box TEXT NOT NULL,
    id TEXT NOT NULL,
    resource TEXT NOT NULL,
    last_mod_seq INTEGER NOT NULL,
    PRIMARY KEY (box, id)
);
CREATE TABLE IF NOT EXISTS nc_subscriptions (
    id TEXT PRIMARY KEY,
    box TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    box TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    resource TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    parent_id TEXT,
    flags TEXT,
    name TEXT,
    correlation_id TEXT,
    correlation_tag TEXT,
    attributes TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (box, seq)
);
"#;

/// Bounds on what one request may make the store hold or walk (issue 9: hostile input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest folder level below the root (the root is level 0).
    pub max_folder_depth: usize,
    /// Attribute values one object or folder may carry (all names together).
    pub max_attributes: usize,
    /// Bytes of one attribute name or value.
    pub max_attribute_value_bytes: usize,
}

impl Limits {
    pub const DEFAULT: Limits =
        Limits { max_folder_depth: 64, max_attributes: 1000, max_attribute_value_bytes: 256 * 1024 };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Folders a provider protects (NMS TS §7.2.1–7.2.2; the CPM profile lets a provider forbid renaming
/// the root). Paths are box-relative (`/Default`); the root folder can never be renamed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderPolicy {
    /// Nothing may be created in these folders or below them, nor moved or copied there (403 POL1031).
    pub protected: Vec<String>,
    /// These folders keep their names (403 POL1030); protected folders keep theirs too.
    pub fixed_names: Vec<String>,
}

/// `/a/b/` and `a/b` are `/a/b`; the root is `/`.
fn normal_path(p: &str) -> String {
    let inner: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    format!("/{}", inner.join("/"))
}

impl FolderPolicy {
    pub fn new(protected: &[String], fixed_names: &[String]) -> Self {
        let norm = |v: &[String]| v.iter().map(|p| normal_path(p)).collect();
        FolderPolicy { protected: norm(protected), fixed_names: norm(fixed_names) }
    }

    pub fn is_empty(&self) -> bool {
        self.protected.is_empty() && self.fixed_names.is_empty()
    }

    /// The protected folder that `path` is, or lies below, if any.
    pub fn protecting(&self, path: &str) -> Option<&str> {
        let path = normal_path(path);
        self.protected
            .iter()
            .map(String::as_str)
            .find(|p| *p == "/" || path == *p || path.strip_prefix(*p).is_some_and(|rest| rest.starts_with('/')))
    }

    /// Whether the folder at `path` keeps its name.
    pub fn name_is_fixed(&self, path: &str) -> bool {
        let path = normal_path(path);
        self.fixed_names.contains(&path) || self.protected.contains(&path)
    }
}

/// The SQLite engine (see the module docs); the server reaches it through [`Store`].
#[derive(Clone)]
pub struct SqliteStore {
    /// Input bounds enforced inside write transactions (set with [`SqliteStore::with_limits`]).
    limits: Limits,
    /// Protected and fixed-name folders (set with [`SqliteStore::with_policy`]).
    policy: Arc<FolderPolicy>,
    /// The only connection that writes.
    conn: Arc<Mutex<Connection>>,
    readers: Arc<pool::ReadPool>,
    ensured: Arc<Mutex<HashSet<String>>>,
    notices: broadcast::Sender<ChangeNotice>,
}

/// How hard a commit waits for the disk (SQLite `synchronous` in WAL mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Durability {
    /// `synchronous=FULL`: every acknowledged commit survives a power loss (the default:
    /// the server answers 201/200 only after the data is on disk).
    #[default]
    Full,
    /// `synchronous=NORMAL`: commits survive a crash of the process but the last ones may be
    /// lost on power loss or an OS crash; faster for bulk imports into a throw-away store.
    Normal,
}

impl Durability {
    fn pragma(self) -> &'static str {
        match self {
            Durability::Full => "FULL",
            Durability::Normal => "NORMAL",
        }
    }
}

/// Opens (creating when needed) `data_dir/nms.sqlite3` in WAL mode.
pub fn open(data_dir: &Path) -> anyhow::Result<SqliteStore> {
    open_with(data_dir, pool::DEFAULT_READERS, Durability::default())
}

/// [`open`] with a chosen number of reader connections.
pub fn open_with_readers(data_dir: &Path, readers: usize) -> anyhow::Result<SqliteStore> {
    open_with(data_dir, readers, Durability::default())
}

/// [`open`] with a chosen number of readers and commit durability.
pub fn open_with(data_dir: &Path, readers: usize, durability: Durability) -> anyhow::Result<SqliteStore> {
    let path = pool::private_db_path(data_dir)?;
    let conn = Connection::open(&path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", durability.pragma())?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch(SCHEMA)?;
    // Readers come after the writer so the schema and WAL mode exist when they attach.
    let readers = Arc::new(pool::ReadPool::open(&path, readers)?);
    let (notices, _) = broadcast::channel(1024);
    Ok(SqliteStore {
        limits: Limits::DEFAULT,
        policy: Arc::new(FolderPolicy::default()),
        conn: Arc::new(Mutex::new(conn)),
        readers,
        ensured: Arc::new(Mutex::new(HashSet::new())),
        notices,
    })
}

/// A write transaction on one box: allocates lastModSeq values and appends change-log rows.
pub struct Tx<'a> {
    pub tx: rusqlite::Transaction<'a>,
    pub box_id: String,
    pub root_id: String,
    pub limits: Limits,
    pub policy: Arc<FolderPolicy>,
    seqs: Vec<u64>,
}

impl Tx<'_> {
    /// The next lastModSeq of the box; unique because the counter row is updated in this transaction.
    pub fn next_seq(&mut self) -> ApiResult<u64> {
        let seq: i64 = self.tx.query_row(
            "UPDATE boxes SET last_mod_seq = last_mod_seq + 1 WHERE box = ?1 RETURNING last_mod_seq",
            params![self.box_id],
            |r| r.get(0),
        )?;
        let seq = seq as u64;
        self.seqs.push(seq);
        Ok(seq)
    }

    /// Runs one item of a bulk operation under a savepoint: a failing item leaves no trace
    /// and the others still commit.
    pub fn item<R>(&mut self, f: impl FnOnce(&mut Tx<'_>) -> ApiResult<R>) -> ApiResult<R> {
        self.tx.execute_batch("SAVEPOINT bulk_item")?;
        let mark = self.seqs.len();
        match f(self) {
            Ok(r) => {
                self.tx.execute_batch("RELEASE bulk_item")?;
                Ok(r)
            }
            Err(e) => {
                self.tx.execute_batch("ROLLBACK TO bulk_item; RELEASE bulk_item")?;
                self.seqs.truncate(mark);
                Err(e)
            }
        }
    }
}

impl SqliteStore {
    /// The same store enforcing `limits` in its write transactions.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The same store enforcing `policy` on creates, moves, copies and renames.
    pub fn with_policy(mut self, policy: FolderPolicy) -> Self {
        self.policy = Arc::new(policy);
        self
    }

    /// Runs `f` on a read-only connection (a snapshot of the last commit) in the blocking pool.
    pub async fn read<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    {
        self.readers.run(f).await
    }

    /// [`SqliteStore::read`] for a point read (one row by key), run on the calling task when a
    /// reader is free (see [`pool::ReadPool::run_point`]).
    pub async fn read_point<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    {
        self.readers.run_point(f).await
    }

    /// Runs `f` in one IMMEDIATE transaction on the writer without touching any box's
    /// lastModSeq: bookkeeping (subscriptions, change-log pruning) that is not an NMS change.
    pub async fn maintain<R, F>(&self, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| ApiError::internal("storage lock poisoned"))?;
            let tx = guard.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let r = f(&tx)?;
            tx.commit()?;
            Ok(r)
        })
        .await
        .map_err(|e| ApiError::internal(format!("storage task: {e}")))?
    }

    /// Runs `f` in one IMMEDIATE transaction on `box_id` (created with its root folder on
    /// first use), commits, then announces the new lastModSeq values.
    pub async fn write<R, F>(&self, box_id: &str, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> ApiResult<R> + Send + 'static,
    {
        let conn = self.conn.clone();
        let limits = self.limits;
        let policy = self.policy.clone();
        let box_id = box_id.to_string();
        let (result, seqs, box_id) = tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| ApiError::internal("storage lock poisoned"))?;
            let tx = guard.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let root_id = ensure_box(&tx, &box_id)?;
            let mut t = Tx { tx, box_id, root_id, limits, policy, seqs: Vec::new() };
            let result = f(&mut t)?;
            let Tx { tx, box_id, seqs, .. } = t;
            tx.commit()?;
            Ok::<_, ApiError>((result, seqs, box_id))
        })
        .await
        .map_err(|e| ApiError::internal(format!("storage task: {e}")))??;
        if let Some(&last) = seqs.iter().max() {
            // Nobody listening is fine: the change log is the durable record.
            let _ = self.notices.send(ChangeNotice { box_id, last_mod_seq: last });
        }
        Ok(result)
    }

    /// Makes sure the box row and its root folder exist (cached after the first call).
    pub async fn ensure_box(&self, box_id: &str) -> ApiResult<()> {
        if self.ensured.lock().map(|s| s.contains(box_id)).unwrap_or(false) {
            return Ok(());
        }
        self.write(box_id, |_| Ok(())).await?;
        if let Ok(mut s) = self.ensured.lock() {
            s.insert(box_id.to_string());
        }
        Ok(())
    }

    /// A receiver of "box X reached lastModSeq N" notices, sent after each commit.
    pub fn subscribe(&self) -> broadcast::Receiver<ChangeNotice> {
        self.notices.subscribe()
    }

    /// Box ids that have storage.
    pub async fn box_ids(&self) -> ApiResult<Vec<String>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT box FROM boxes ORDER BY box")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// A value of the `meta` table (markers such as the demo seed).
    pub async fn meta(&self, key: &str) -> ApiResult<Option<String>> {
        let key = key.to_string();
        self.read(move |c| {
            Ok(c.query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| r.get(0)).optional()?)
        })
        .await
    }
}

/// Sets a `meta` value inside a transaction.
pub fn set_meta(tx: &rusqlite::Transaction<'_>, key: &str, value: &str) -> ApiResult<()> {
    tx.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", params![key, value])?;
    Ok(())
}

/// The box's lastModSeq counter and validity, when the box exists.
pub fn box_state(c: &Connection, box_id: &str) -> ApiResult<Option<(u64, String)>> {
    Ok(c.query_row("SELECT last_mod_seq, validity FROM boxes WHERE box = ?1", params![box_id], |r| {
        Ok((r.get::<_, i64>(0)? as u64, r.get::<_, String>(1)?))
    })
    .optional()?)
}

/// The root folder id of an existing box.
pub fn root_id(c: &Connection, box_id: &str) -> ApiResult<String> {
    c.query_row("SELECT root_id FROM boxes WHERE box = ?1", params![box_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| ApiError::not_found(box_id.to_string()))
}

fn ensure_box(tx: &rusqlite::Transaction<'_>, box_id: &str) -> ApiResult<String> {
    if let Some(root) =
        tx.query_row("SELECT root_id FROM boxes WHERE box = ?1", params![box_id], |r| r.get(0)).optional()?
    {
        return Ok(root);
    }
    let root = new_id();
    let now = now_string();
    tx.execute(
        "INSERT INTO boxes (box, last_mod_seq, validity, root_id, created_at) VALUES (?1, 1, ?2, ?3, ?4)",
        params![box_id, new_id(), root, now],
    )?;
    tx.execute(
        "INSERT INTO folders (box, id, parent_id, name, attributes, last_mod_seq) VALUES (?1, ?2, NULL, '', ?3, 1)",
        params![box_id, root, r#"{"attribute":[]}"#],
    )?;
    changes::append(
        tx,
        box_id,
        &Change::folder(box_id, 1, ChangeKind::Created, &root, None, Some(String::new()), now),
    )?;
    Ok(root)
}

/// A fresh random id: 16 lower-case hex digits (URL-safe, never `operations`).
pub fn new_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        // Extremely unlikely; fall back to the clock so ids stay distinct.
        let n = jiff::Timestamp::now().as_nanosecond() as u64;
        bytes = n.to_be_bytes();
    }
    hex::encode(bytes)
}

/// The current time as an RFC 3339 UTC string with second precision.
pub fn now_string() -> String {
    jiff::Timestamp::now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
