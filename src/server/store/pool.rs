//! A small pool of read-only SQLite connections, so long reads (searches, folder listings,
//! payload downloads) run beside the single writer instead of queueing behind it.
//!
//! WAL gives each reader a consistent snapshot while the writer commits; `query_only` makes
//! an accidental write through a reader fail loudly instead of racing the writer's seq counter.
//!
//! Also the database's place on disk: stored messages are private, so the directory is 0700
//! and the database 0600 (SQLite gives its `-wal` and `-shm` files the database's mode).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::Semaphore;

use crate::server::error::{ApiError, ApiResult};

/// Readers opened by default: the server's blocking pool is large, but SQLite readers on a
/// small machine stop paying off beyond a handful.
pub const DEFAULT_READERS: usize = 4;

/// Idle reader connections plus a semaphore that bounds how many are leased at once.
pub struct ReadPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    permits: Arc<Semaphore>,
}

/// The database file name inside the data directory.
pub const DB_FILE: &str = "nms.sqlite3";

/// Creates `data_dir` (0700) and the database file (0600) when missing, tightens the modes of
/// existing ones (a store made by an older version was 0755/0644), and returns the file's path.
pub fn private_db_path(data_dir: &Path) -> std::io::Result<PathBuf> {
    let path = data_dir.join(DB_FILE);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(data_dir)?;
        std::fs::set_permissions(data_dir, std::fs::Permissions::from_mode(0o700))?;
        // Created here, not by SQLite, so it never exists with the umask's mode even briefly.
        std::fs::OpenOptions::new().write(true).create(true).truncate(false).mode(0o600).open(&path)?;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let f = data_dir.join(format!("{DB_FILE}{suffix}"));
            if f.exists() {
                std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(data_dir)?;
    Ok(path)
}

/// Opens one reader on `path` (the writer must have created the schema and WAL mode first).
pub fn open_reader(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "query_only", 1)?;
    Ok(conn)
}

impl ReadPool {
    pub fn open(path: &Path, size: usize) -> rusqlite::Result<ReadPool> {
        let size = size.max(1);
        let idle = (0..size).map(|_| open_reader(path)).collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ReadPool { path: path.to_path_buf(), idle: Mutex::new(idle), permits: Arc::new(Semaphore::new(size)) })
    }

    /// Runs `f` on a leased reader in the blocking pool; waits (asynchronously) while every
    /// reader is busy.
    pub async fn run<R, F>(self: &Arc<Self>, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    {
        let permit =
            self.permits.clone().acquire_owned().await.map_err(|_| ApiError::internal("storage read pool closed"))?;
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            pool.with_reader(f)
        })
        .await
        .map_err(|e| ApiError::internal(format!("storage task: {e}")))?
    }

    /// Runs a point read `f` (one object by id: an indexed lookup of well under a millisecond)
    /// on the calling task, when a reader is free at once; otherwise as [`ReadPool::run`]. A
    /// hop through the blocking pool and back cost such a read more than the read itself: two
    /// thread wake-ups and about nine futex calls per request, and a server too busy handing
    /// work between threads to keep both cores busy.
    pub async fn run_point<R, F>(self: &Arc<Self>, f: F) -> ApiResult<R>
    where
        R: Send + 'static,
        F: FnOnce(&Connection) -> ApiResult<R> + Send + 'static,
    {
        let Ok(permit) = self.permits.clone().try_acquire_owned() else { return self.run(f).await };
        let _permit = permit;
        self.with_reader(f)
    }

    /// Runs `f` here on a leased reader (the caller holds a permit).
    fn with_reader<R>(self: &Arc<Self>, f: impl FnOnce(&Connection) -> ApiResult<R>) -> ApiResult<R> {
        let lease = self.lease()?;
        match lease.conn.as_ref() {
            Some(c) => f(c),
            None => Err(ApiError::internal("storage reader missing")),
        }
    }

    fn lease(self: &Arc<Self>) -> ApiResult<Lease> {
        let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            // Only after a reader was lost (a panicking closure drops its lease mid-unwind
            // before it can be returned); reopen rather than shrink the pool for good.
            None => open_reader(&self.path)?,
        };
        Ok(Lease { conn: Some(conn), pool: self.clone() })
    }
}

/// A reader taken from the pool; goes back on drop, also when the closure panics.
struct Lease {
    conn: Option<Connection>,
    pool: Arc<ReadPool>,
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            self.pool.idle.lock().unwrap_or_else(|p| p.into_inner()).push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Durability, open, open_with};

    fn synchronous(store: &super::super::SqliteStore) -> i64 {
        let conn = store.conn.lock().unwrap_or_else(|p| p.into_inner());
        conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap_or(-1)
    }

    #[test]
    fn commits_are_durable_unless_relaxed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        // 2 = FULL: a commit is on disk before the server acknowledges it.
        let store = open(dir.path()).unwrap_or_else(|e| panic!("open: {e}"));
        assert_eq!(synchronous(&store), 2);
        drop(store);
        let store = open_with(dir.path(), 1, Durability::Normal).unwrap_or_else(|e| panic!("open: {e}"));
        assert_eq!(synchronous(&store), 1);
    }
}
