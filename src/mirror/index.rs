//! The mirror's index, `DIR/.cpmctl/index.sqlite` (WAL): which server, store and box the mirror
//! belongs to, folder id ↔ directory, object id ↔ file with flags, lastModSeq and the file's
//! SHA-256. Identity lives here, never parsed back from file names.

use std::collections::BTreeSet;
use std::path::Path;

use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

/// Schema version written to `meta`; an index of another version is refused, not guessed at.
const SCHEMA: &str = "1";

const CREATE: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
    id TEXT PRIMARY KEY, dir TEXT NOT NULL UNIQUE, parent TEXT, name TEXT NOT NULL,
    path TEXT NOT NULL, last_mod_seq INTEGER, run INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS objects (
    id TEXT PRIMARY KEY, file TEXT NOT NULL UNIQUE, base TEXT NOT NULL, folder TEXT NOT NULL,
    flags TEXT NOT NULL, last_mod_seq INTEGER, sha256 TEXT NOT NULL, correlation_id TEXT,
    correlation_tag TEXT, date TEXT, run INTEGER NOT NULL DEFAULT 0);
-- Objects whose store changes a `--pull-only` replay passed over (their file was renamed in
-- the mirror): fetched again once they are no longer held.
CREATE TABLE IF NOT EXISTS stale (id TEXT PRIMARY KEY);
CREATE INDEX IF NOT EXISTS objects_base ON objects (base);
CREATE INDEX IF NOT EXISTS objects_run ON objects (run);
CREATE INDEX IF NOT EXISTS objects_correlation_id ON objects (correlation_id);
CREATE INDEX IF NOT EXISTS objects_correlation_tag ON objects (correlation_tag);
";

/// One folder row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderRow {
    pub id: String,
    /// Relative to the mirror, `/`-separated; `""` is the root.
    pub dir: String,
    pub parent: Option<String>,
    pub name: String,
    pub path: String,
    pub last_mod_seq: Option<u64>,
}

/// One object row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRow {
    pub id: String,
    /// Relative to the mirror: `<folder dir>/cur/<name>`.
    pub file: String,
    pub folder: String,
    /// The full flag set, as the store gave it.
    pub flags: Vec<String>,
    pub last_mod_seq: Option<u64>,
    /// SHA-256 of the file as written (hex), to see local edits.
    pub sha256: String,
    pub correlation_id: Option<String>,
    pub correlation_tag: Option<String>,
    pub date: Option<String>,
}

impl ObjectRow {
    pub fn flag_set(&self) -> BTreeSet<String> {
        super::plan::flag_set(&self.flags)
    }
}

/// The index, open read-write or read-only. A clone shares the connection (the file writer
/// commits a page's rows on the blocking pool through one).
#[derive(Clone)]
pub struct Index {
    // A mutex makes the index `Sync`, so the async engine stays `Send` while it holds a `&Index`
    // across awaits; every call locks it briefly and never across an await.
    conn: Arc<Mutex<Connection>>,
}

/// Where the index file of a mirror is.
pub fn path_in(dir: &Path) -> std::path::PathBuf {
    dir.join(".cpmctl").join("index.sqlite")
}

impl Index {
    /// Opens (creating) the index read-write, in WAL mode with full syncs.
    pub fn open(dir: &Path) -> rusqlite::Result<Index> {
        let conn = Connection::open(path_in(dir))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL, not NORMAL, although the pages' files are synced before their rows commit (so
        // NORMAL would never leave a row naming a missing file): under NORMAL a power cut can
        // roll back commits already reported, and the push records "created on the store" and
        // a replay's token there; losing those means matching again what the store already
        // has (deduplicated, but a fallback, not the plan). The WAL sync costs
        // one fsync per batch (a page, or up to 5 pages of small objects), overlapped with the next
        // page's downloads.
        conn.pragma_update(None, "synchronous", "FULL")?;
        // One transaction: each statement of its own was a commit, and a sync of the WAL, each
        // (a dozen syncs before a first sync's first request).
        // A new index gets its schema version in the same transaction (an existing one keeps
        // the one it has, checked below).
        conn.execute_batch(&format!(
            "BEGIN; {CREATE} INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '{SCHEMA}'); COMMIT;"
        ))?;
        let index = Index { conn: Arc::new(Mutex::new(conn)) };
        match index.meta("schema")? {
            None => index.set_meta("schema", SCHEMA)?,
            Some(v) if v == SCHEMA => {}
            Some(v) => {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "index schema {v}, this cpmctl reads {SCHEMA}"
                )));
            }
        }
        Ok(index)
    }

    /// Opens an existing index without writing anything, not even SQLite's `-wal`/`-shm` files
    /// (`immutable=1`): for `--dry-run` and `check`. `None` when there is no index.
    pub fn open_read_only(dir: &Path) -> rusqlite::Result<Option<Index>> {
        let path = path_in(dir);
        if !path.is_file() {
            return Ok(None);
        }
        // A live WAL holds committed rows `immutable` would not see: then read through SQLite's
        // normal read-only mode (which may touch `-shm`, as any reader does).
        let wal = path.with_extension("sqlite-wal");
        let conn = if wal.exists() {
            Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?
        } else {
            // A file: URI needs an absolute path; DIR is often given relative (`check mirror`).
            let abs = std::path::absolute(&path).map_err(|_| rusqlite::Error::InvalidPath(path.clone()))?;
            let url = url::Url::from_file_path(&abs).map_err(|()| rusqlite::Error::InvalidPath(path.clone()))?;
            let uri = format!("{url}?immutable=1");
            Connection::open_with_flags(uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI)?
        };
        Ok(Some(Index { conn: Arc::new(Mutex::new(conn)) }))
    }

    /// A second connection to the same index that only reads (`query_only`): it sees committed
    /// transactions only, and is not held up by one being written through this one (WAL).
    pub fn reader(&self) -> rusqlite::Result<Index> {
        let path =
            self.c().path().map(std::path::PathBuf::from).ok_or_else(|| rusqlite::Error::InvalidPath("".into()))?;
        let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "query_only", true)?;
        Ok(Index { conn: Arc::new(Mutex::new(conn)) })
    }

    fn c(&self) -> MutexGuard<'_, Connection> {
        // A panic elsewhere cannot leave the connection half-changed from our side: SQLite
        // rolls back an open transaction on its own, so a poisoned lock is still usable.
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn meta(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.c().query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0)).optional()
    }

    pub fn set_meta(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.c().execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", [key, value])?;
        Ok(())
    }

    pub fn delete_meta(&self, key: &str) -> rusqlite::Result<()> {
        self.c().execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Remembers objects whose store changes were passed over (see the `stale` table).
    pub fn mark_stale(&self, ids: &[String]) -> rusqlite::Result<()> {
        let c = self.c();
        let mut st = c.prepare_cached("INSERT OR IGNORE INTO stale (id) VALUES (?1)")?;
        for id in ids {
            st.execute([id])?;
        }
        Ok(())
    }

    /// The objects [`Index::mark_stale`] remembered.
    pub fn stale(&self) -> rusqlite::Result<Vec<String>> {
        let c = self.c();
        let mut st = c.prepare_cached("SELECT id FROM stale ORDER BY id")?;
        let rows = st.query_map([], |r| r.get(0))?;
        rows.collect()
    }

    /// Forgets stale objects once their current state was fetched.
    pub fn clear_stale(&self, ids: &[String]) -> rusqlite::Result<()> {
        let c = self.c();
        let mut st = c.prepare_cached("DELETE FROM stale WHERE id = ?1")?;
        for id in ids {
            st.execute([id])?;
        }
        Ok(())
    }

    pub fn begin(&self) -> rusqlite::Result<()> {
        self.c().execute_batch("BEGIN IMMEDIATE")
    }

    pub fn commit(&self) -> rusqlite::Result<()> {
        self.c().execute_batch("COMMIT")
    }

    /// Runs `f`, which only reads the index, in one read transaction: its statements share one
    /// snapshot and take the WAL's read lock once, not once each (a file lock call per statement
    /// was most of what a lookup cost). Nothing may write through the index inside `f`.
    pub fn reading<T, E: From<rusqlite::Error>>(&self, f: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        self.c().execute_batch("BEGIN DEFERRED")?;
        let out = f();
        // Nothing to keep either way: COMMIT ends a read transaction as ROLLBACK would.
        let ended = self.c().execute_batch("COMMIT");
        let value = out?;
        ended?;
        Ok(value)
    }

    /// Ends an open transaction without its changes (a step that failed half-way).
    pub fn rollback(&self) -> rusqlite::Result<()> {
        self.c().execute_batch("ROLLBACK")
    }

    /// Up to `limit` objects of one folder.
    pub fn objects_in_folder(&self, folder: &str, limit: usize) -> rusqlite::Result<Vec<ObjectRow>> {
        let c = self.c();
        let mut st = c.prepare_cached(&format!("SELECT {OBJECT_COLS} FROM objects WHERE folder = ?1 LIMIT ?2"))?;
        let rows = st.query_map(params![folder, limit as i64], object_row)?;
        rows.collect()
    }

    pub fn folders(&self) -> rusqlite::Result<Vec<FolderRow>> {
        let c = self.c();
        let mut st = c.prepare("SELECT id, dir, parent, name, path, last_mod_seq FROM folders ORDER BY dir")?;
        let rows = st.query_map([], |r| {
            Ok(FolderRow {
                id: r.get(0)?,
                dir: r.get(1)?,
                parent: r.get(2)?,
                name: r.get(3)?,
                path: r.get(4)?,
                last_mod_seq: r.get::<_, Option<i64>>(5)?.map(|v| v as u64),
            })
        })?;
        rows.collect()
    }

    pub fn upsert_folder(&self, f: &FolderRow, run: u64) -> rusqlite::Result<()> {
        self.c().execute(
            "INSERT INTO folders (id, dir, parent, name, path, last_mod_seq, run) VALUES (?1,?2,?3,?4,?5,?6,?7)
             ON CONFLICT(id) DO UPDATE SET dir=?2, parent=?3, name=?4, path=?5, last_mod_seq=?6, run=?7",
            params![f.id, f.dir, f.parent, f.name, f.path, f.last_mod_seq.map(|v| v as i64), run as i64],
        )?;
        Ok(())
    }

    pub fn delete_folder(&self, id: &str) -> rusqlite::Result<()> {
        self.c().execute("DELETE FROM folders WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Rewrites the directory prefix `old` to `new` in every object file path (a folder moved).
    pub fn move_files_prefix(&self, old: &str, new: &str) -> rusqlite::Result<()> {
        let (old_p, new_p) = (format!("{old}/"), format!("{new}/"));
        let c = self.c();
        let mut st = c.prepare("SELECT id, file FROM objects WHERE substr(file, 1, length(?1)) = ?1")?;
        let rows: Vec<(String, String)> =
            st.query_map([&old_p], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (id, file) in rows {
            let moved = format!("{new_p}{}", &file[old_p.len()..]);
            c.execute("UPDATE objects SET file = ?2 WHERE id = ?1", [&id, &moved])?;
        }
        Ok(())
    }

    pub fn object(&self, id: &str) -> rusqlite::Result<Option<ObjectRow>> {
        // Cached statements: a page runs these once per object.
        let c = self.c();
        let mut st = c.prepare_cached(&format!("SELECT {OBJECT_COLS} FROM objects WHERE id = ?1"))?;
        st.query_row([id], object_row).optional()
    }

    /// The rows of those of `ids` the index has, in one query: a listing's page looks up all of
    /// its objects at once, not one statement (and one WAL read lock) per object.
    pub fn objects_by_id(&self, ids: &[String]) -> rusqlite::Result<std::collections::HashMap<String, ObjectRow>> {
        if ids.is_empty() {
            return Ok(Default::default());
        }
        let list = serde_json::to_string(ids).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        let c = self.c();
        let mut st = c.prepare_cached(&format!(
            "SELECT {OBJECT_COLS} FROM objects WHERE id IN (SELECT value FROM json_each(?1))"
        ))?;
        let rows = st.query_map([list], object_row)?;
        rows.map(|r| r.map(|row| (row.id.clone(), row))).collect()
    }

    /// Those of `files` (paths relative to the mirror) some row names, in one query: the sweep,
    /// the push's scan and `check` look at a folder's files a batch at a time, not one statement
    /// per file.
    pub fn known_files(&self, files: &[String]) -> rusqlite::Result<std::collections::HashSet<String>> {
        if files.is_empty() {
            return Ok(Default::default());
        }
        let list = serde_json::to_string(files).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        let c = self.c();
        let mut st = c.prepare_cached("SELECT file FROM objects WHERE file IN (SELECT value FROM json_each(?1))")?;
        let rows = st.query_map([list], |r| r.get::<_, String>(0))?;
        rows.collect()
    }

    /// The indexed object whose file name has the base `base` (its safe id).
    pub fn object_by_base(&self, base: &str) -> rusqlite::Result<Option<ObjectRow>> {
        self.c()
            .query_row(&format!("SELECT {OBJECT_COLS} FROM objects WHERE base = ?1 LIMIT 1"), [base], object_row)
            .optional()
    }

    /// Whether an indexed object's file name starts with `base` (its safe id).
    pub fn base_known(&self, base: &str) -> rusqlite::Result<bool> {
        let c = self.c();
        let mut st = c.prepare_cached("SELECT 1 FROM objects WHERE base = ?1 LIMIT 1")?;
        Ok(st.query_row([base], |_| Ok(())).optional()?.is_some())
    }

    pub fn upsert_object(&self, o: &ObjectRow, run: u64) -> rusqlite::Result<()> {
        let flags = serde_json::to_string(&o.flags).map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        let base = super::layout::base_of(o.file.rsplit('/').next().unwrap_or(&o.file)).to_string();
        let c = self.c();
        let mut st = c.prepare_cached(
            "INSERT INTO objects (id, file, base, folder, flags, last_mod_seq, sha256, correlation_id, correlation_tag, date, run)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)
             ON CONFLICT(id) DO UPDATE SET file=?2, base=?3, folder=?4, flags=?5, last_mod_seq=?6, sha256=?7,
               correlation_id=?8, correlation_tag=?9, date=?10, run=?11",
        )?;
        st.execute(params![
            o.id,
            o.file,
            base,
            o.folder,
            flags,
            o.last_mod_seq.map(|v| v as i64),
            o.sha256,
            o.correlation_id,
            o.correlation_tag,
            o.date,
            run as i64
        ])?;
        Ok(())
    }

    pub fn mark_seen(&self, id: &str, run: u64) -> rusqlite::Result<()> {
        let c = self.c();
        c.prepare_cached("UPDATE objects SET run = ?2 WHERE id = ?1")?.execute(params![id, run as i64])?;
        Ok(())
    }

    pub fn delete_object(&self, id: &str) -> rusqlite::Result<()> {
        self.c().execute("DELETE FROM objects WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Up to `limit` objects not seen in run `run` (gone from the store).
    pub fn unseen_objects(&self, run: u64, limit: usize) -> rusqlite::Result<Vec<ObjectRow>> {
        let c = self.c();
        let mut st = c.prepare(&format!("SELECT {OBJECT_COLS} FROM objects WHERE run < ?1 LIMIT ?2"))?;
        let rows = st.query_map(params![run as i64, limit as i64], object_row)?;
        rows.collect()
    }

    /// Rows not seen in run `run` with this correlationId (a few at most).
    pub fn unseen_by_correlation_id(&self, cid: &str, run: u64) -> rusqlite::Result<Vec<ObjectRow>> {
        let c = self.c();
        let mut st = c.prepare_cached(&format!(
            "SELECT {OBJECT_COLS} FROM objects WHERE correlation_id = ?1 AND run < ?2 LIMIT 10"
        ))?;
        let rows = st.query_map(params![cid, run as i64], object_row)?;
        rows.collect()
    }

    /// Rows not seen in run `run` with this correlationTag and Date (a few at most).
    pub fn unseen_by_tag_and_date(&self, tag: &str, date: &str, run: u64) -> rusqlite::Result<Vec<ObjectRow>> {
        let c = self.c();
        let mut st = c.prepare_cached(&format!(
            "SELECT {OBJECT_COLS} FROM objects WHERE correlation_tag = ?1 AND date = ?2 AND run < ?3 LIMIT 10"
        ))?;
        let rows = st.query_map(params![tag, date, run as i64], object_row)?;
        rows.collect()
    }

    /// Whether any row is not seen in run `run` yet (rows only go from unseen to seen in a run).
    pub fn any_unseen(&self, run: u64) -> rusqlite::Result<bool> {
        self.c().query_row("SELECT EXISTS (SELECT 1 FROM objects WHERE run < ?1)", [run as i64], |r| r.get(0))
    }

    pub fn count_unseen(&self, run: u64) -> rusqlite::Result<u64> {
        self.c()
            .query_row("SELECT count(*) FROM objects WHERE run < ?1", [run as i64], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
    }

    pub fn count_objects(&self) -> rusqlite::Result<u64> {
        self.c().query_row("SELECT count(*) FROM objects", [], |r| r.get::<_, i64>(0)).map(|n| n as u64)
    }

    /// Every object row, `page` at a time in id order, after `after` (keyset paging: constant
    /// memory for `check`).
    pub fn objects_after(&self, after: &str, page: usize) -> rusqlite::Result<Vec<ObjectRow>> {
        let c = self.c();
        let mut st = c.prepare(&format!("SELECT {OBJECT_COLS} FROM objects WHERE id > ?1 ORDER BY id LIMIT ?2"))?;
        let rows = st.query_map(params![after, page as i64], object_row)?;
        rows.collect()
    }

    /// Object rows `page` at a time in date order (then id), after (`date`, `id`): keyset
    /// paging for offline readers (`export --mirror`) that want a conversation oldest first.
    /// Rows without a date sort first, as the empty string.
    pub fn objects_by_date_after(&self, date: &str, id: &str, page: usize) -> rusqlite::Result<Vec<ObjectRow>> {
        let c = self.c();
        let mut st = c.prepare(&format!(
            "SELECT {OBJECT_COLS} FROM objects WHERE (coalesce(date, ''), id) > (?1, ?2) \
             ORDER BY coalesce(date, ''), id LIMIT ?3"
        ))?;
        let rows = st.query_map(params![date, id, page as i64], object_row)?;
        rows.collect()
    }
}

const OBJECT_COLS: &str = "id, file, folder, flags, last_mod_seq, sha256, correlation_id, correlation_tag, date";

fn object_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ObjectRow> {
    let flags: String = r.get(3)?;
    Ok(ObjectRow {
        id: r.get(0)?,
        file: r.get(1)?,
        folder: r.get(2)?,
        flags: serde_json::from_str(&flags)
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, e.into()))?,
        last_mod_seq: r.get::<_, Option<i64>>(4)?.map(|v| v as u64),
        sha256: r.get(5)?,
        correlation_id: r.get(6)?,
        correlation_tag: r.get(7)?,
        date: r.get(8)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_and_read_only_sees_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".cpmctl")).unwrap();
        let ix = Index::open(dir.path()).unwrap();
        ix.set_meta("nms_base", "http://h/nms/v1/cpm/b").unwrap();
        let o = ObjectRow {
            id: "o1".into(),
            file: "A/cur/o1:2,S".into(),
            folder: "f1".into(),
            flags: vec!["\\Seen".into(), "Archived".into()],
            last_mod_seq: Some(4),
            sha256: "ab".into(),
            correlation_id: None,
            correlation_tag: Some("t".into()),
            date: None,
        };
        ix.upsert_object(&o, 2).unwrap();
        assert_eq!(ix.object("o1").unwrap(), Some(o.clone()));
        assert!(ix.base_known("o1").unwrap());
        assert_eq!(ix.count_unseen(3).unwrap(), 1);
        ix.move_files_prefix("A", "B/C").unwrap();
        assert_eq!(ix.object("o1").unwrap().unwrap().file, "B/C/cur/o1:2,S");
        drop(ix);
        let ro = Index::open_read_only(dir.path()).unwrap().unwrap();
        assert_eq!(ro.meta("nms_base").unwrap().as_deref(), Some("http://h/nms/v1/cpm/b"));
        assert!(ro.set_meta("x", "y").is_err());
        assert!(Index::open_read_only(&dir.path().join("none")).unwrap().is_none());
    }
}
