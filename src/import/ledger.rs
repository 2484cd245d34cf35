//! The import ledger: a SQLite file in the data directory mapping each imported record's
//! content key ([`super::key`]) to the object created for it, per target box. It is the journal
//! that makes imports resumable: a batch is written as *pending* before it is sent and each
//! record becomes *done* (with its object id) once the server answered, in one transaction per
//! batch. Rows left pending by a crash mean "may exist in the store": the next run searches
//! the store for them before creating anything.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

/// A record's state in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// Sent in a batch whose answer was never recorded, with the Date the object was sent with
    /// (a re-run of `put` sends the same Date again, so the store check can recognise it).
    Pending(Option<String>),
    /// Created (or found in the store) as this object.
    Done(String),
}

/// An open ledger for one target box (its `scope`: server URL and box).
pub struct Ledger {
    conn: Mutex<Connection>,
    scope: String,
    read_only: bool,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    object_id TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    sent_date TEXT,
    sent_at INTEGER,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;
";

type Result<T> = std::result::Result<T, String>;

fn err(e: rusqlite::Error) -> String {
    format!("import ledger: {e}")
}

impl Ledger {
    /// Opens (creating when missing) the ledger at `path` for `scope`.
    pub fn open(path: &Path, scope: &str) -> Result<Ledger> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("import ledger: {}: {e}", dir.display()))?;
        }
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(err)?;
        // WAL + NORMAL: a committed batch survives a killed process (only an OS crash could
        // lose the last commits, and those records are then simply checked against the store).
        conn.pragma_update(None, "journal_mode", "WAL").map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(err)?;
        conn.execute_batch(SCHEMA).map_err(err)?;
        Ok(Ledger { conn: Mutex::new(conn), scope: scope.to_string(), read_only: false })
    }

    /// Opens an existing ledger without writing anything (for `--dry-run`); `None` when there
    /// is no ledger yet.
    pub fn open_read_only(path: &Path, scope: &str) -> Result<Option<Ledger>> {
        if !path.exists() {
            return Ok(None);
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(err)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(err)?;
        let has_table: Option<String> = conn
            .query_row("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'entries'", [], |r| r.get(0))
            .optional()
            .map_err(err)?;
        if has_table.is_none() {
            return Ok(None);
        }
        Ok(Some(Ledger { conn: Mutex::new(conn), scope: scope.to_string(), read_only: true }))
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>> {
        self.conn.lock().map_err(|_| "import ledger: a writer panicked".to_string())
    }

    /// The entries of `keys` that the ledger holds.
    pub fn lookup(&self, keys: &[&str]) -> Result<HashMap<String, Entry>> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached("SELECT object_id, done, sent_date FROM entries WHERE scope = ?1 AND key = ?2")
            .map_err(err)?;
        let mut out = HashMap::new();
        for k in keys {
            let row: Option<(Option<String>, i64, Option<String>)> = stmt
                .query_row(params![self.scope, k], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()
                .map_err(err)?;
            if let Some((id, done, date)) = row {
                let e = if done != 0 { Entry::Done(id.unwrap_or_default()) } else { Entry::Pending(date) };
                out.insert((*k).to_string(), e);
            }
        }
        Ok(out)
    }

    /// Records `keys` (with the Date each object is sent with) as sent but not yet answered,
    /// never downgrading a done row.
    pub fn mark_pending(&self, keys: &[(&str, Option<&str>)]) -> Result<()> {
        if self.read_only {
            return Ok(());
        }
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(err)?;
        {
            let mut stmt = tx
                .prepare_cached(
                    "INSERT INTO entries (scope, key, object_id, done, sent_date, sent_at) VALUES (?1, ?2, NULL, 0, ?3, ?4)
                     ON CONFLICT (scope, key) DO UPDATE SET sent_date = excluded.sent_date, sent_at = excluded.sent_at
                     WHERE done = 0",
                )
                .map_err(err)?;
            let now = jiff::Timestamp::now().as_second();
            for (k, date) in keys {
                stmt.execute(params![self.scope, k, date, now]).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// Records created (or found) objects, and forgets pending rows of records that were
    /// certainly not created (`failed`), in one transaction.
    pub fn settle(&self, done: &[(&str, &str)], failed: &[&str]) -> Result<()> {
        if self.read_only || (done.is_empty() && failed.is_empty()) {
            return Ok(());
        }
        let mut conn = self.conn()?;
        let tx = conn.transaction().map_err(err)?;
        {
            let mut up = tx
                .prepare_cached(
                    "INSERT INTO entries (scope, key, object_id, done) VALUES (?1, ?2, ?3, 1)
                     ON CONFLICT (scope, key) DO UPDATE SET object_id = excluded.object_id, done = 1",
                )
                .map_err(err)?;
            for (k, id) in done {
                up.execute(params![self.scope, k, id]).map_err(err)?;
            }
            let mut del =
                tx.prepare_cached("DELETE FROM entries WHERE scope = ?1 AND key = ?2 AND done = 0").map_err(err)?;
            for k in failed {
                del.execute(params![self.scope, k]).map_err(err)?;
            }
        }
        tx.commit().map_err(err)
    }

    /// How many rows of this scope are pending (left by an interrupted run), and when the newest
    /// of them was sent (unix seconds).
    pub fn pending(&self) -> Result<(u64, Option<i64>)> {
        let conn = self.conn()?;
        conn.query_row(
            "SELECT COUNT(*), MAX(sent_at) FROM entries WHERE scope = ?1 AND done = 0",
            params![self.scope],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?)),
        )
        .map(|(n, at)| (u64::try_from(n).unwrap_or(0), at))
        .map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_then_done_and_scopes_apart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        let l = Ledger::open(&path, "box-a").unwrap();
        l.mark_pending(&[("k1", None), ("k2", Some("2024-01-01T00:00:00Z"))]).unwrap();
        assert_eq!(l.lookup(&["k2"]).unwrap().get("k2"), Some(&Entry::Pending(Some("2024-01-01T00:00:00Z".into()))));
        assert_eq!(l.pending().unwrap().0, 2);
        l.settle(&[("k1", "id1")], &["k2"]).unwrap();
        let got = l.lookup(&["k1", "k2"]).unwrap();
        assert_eq!(got.get("k1"), Some(&Entry::Done("id1".into())));
        assert_eq!(got.get("k2"), None);
        // Pending never downgrades a done row.
        l.mark_pending(&[("k1", None)]).unwrap();
        assert_eq!(l.lookup(&["k1"]).unwrap().get("k1"), Some(&Entry::Done("id1".into())));
        let other = Ledger::open(&path, "box-b").unwrap();
        assert!(other.lookup(&["k1"]).unwrap().is_empty());
        let ro = Ledger::open_read_only(&path, "box-a").unwrap().unwrap();
        ro.mark_pending(&[("k9", None)]).unwrap();
        assert!(ro.lookup(&["k9"]).unwrap().is_empty());
        assert!(Ledger::open_read_only(&dir.path().join("none"), "x").unwrap().is_none());
    }
}
