//! The mirror lock, `DIR/.cpmctl/lock`: one sync of a directory at a time. The file holds the
//! PID, host and an expiry; a lock whose process is gone (same host) or whose expiry passed is
//! stale and taken over; a live one is refused at once.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How long a lock counts as live without its process being checkable (another host).
const LIFETIME_SECS: i64 = 6 * 3600;
/// Largest lock file read: anything bigger is not ours and counts as unreadable (stale).
const MAX_LOCK_BYTES: u64 = 4096;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct LockInfo {
    pid: u32,
    host: String,
    /// Unix seconds after which the lock is stale whatever its process.
    expires: i64,
}

/// A held lock; dropping it removes the file.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

/// Why the lock was not taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another sync (pid {pid} on {host}) holds {path}")]
    Held { pid: u32, host: String, path: String },
    #[error("cannot take the lock {path}: {source}")]
    Io { path: String, source: std::io::Error },
}

fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|s| s.trim().to_string())
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into())
}

/// Whether process `pid` runs on this machine; `None` when it cannot be told (no /proc).
fn process_alive(pid: u32) -> Option<bool> {
    let proc_root = Path::new("/proc");
    if !proc_root.join("self").exists() {
        return None;
    }
    Some(proc_root.join(pid.to_string()).exists())
}

/// Whether a lock found on disk is stale (pure apart from the liveness probe passed in).
fn is_stale(info: &LockInfo, now: i64, here: &str, alive: impl Fn(u32) -> Option<bool>) -> bool {
    if info.expires < now {
        return true;
    }
    if info.host == here {
        return alive(info.pid) == Some(false);
    }
    false
}

impl Lock {
    /// Takes `DIR/.cpmctl/lock` (the `.cpmctl` directory must exist).
    pub fn acquire(dir: &Path) -> Result<Lock, LockError> {
        let path = dir.join(".cpmctl").join("lock");
        let io = |source| LockError::Io { path: path.display().to_string(), source };
        let here = host_name();
        // Two tries: the second after removing a stale lock (someone else may win that race; then
        // their lock is live and we refuse).
        for _ in 0..2 {
            match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    let info = LockInfo {
                        pid: std::process::id(),
                        host: here.clone(),
                        expires: jiff::Timestamp::now().as_second() + LIFETIME_SECS,
                    };
                    let bytes = serde_json::to_vec(&info).map_err(|e| io(std::io::Error::other(e)))?;
                    f.write_all(&bytes).and_then(|()| f.sync_all()).map_err(io)?;
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let found = read_info(&path);
                    let now = jiff::Timestamp::now().as_second();
                    match found {
                        Some(info) if !is_stale(&info, now, &here, process_alive) => {
                            return Err(LockError::Held {
                                pid: info.pid,
                                host: info.host,
                                path: path.display().to_string(),
                            });
                        }
                        // Stale or unreadable (a crash while writing it): take it over.
                        _ => match std::fs::remove_file(&path) {
                            Ok(()) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                            Err(e) => return Err(io(e)),
                        },
                    }
                }
                Err(e) => return Err(io(e)),
            }
        }
        let info = read_info(&path);
        Err(LockError::Held {
            pid: info.as_ref().map_or(0, |i| i.pid),
            host: info.map_or_else(String::new, |i| i.host),
            path: path.display().to_string(),
        })
    }
}

fn read_info(path: &Path) -> Option<LockInfo> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.len() > MAX_LOCK_BYTES {
        return None;
    }
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Best effort: a lock left behind by a failed removal is stale once we are gone.
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staleness() {
        let info = LockInfo { pid: 42, host: "h".into(), expires: 100 };
        assert!(is_stale(&info, 101, "h", |_| Some(true)), "expired");
        assert!(is_stale(&info, 50, "h", |_| Some(false)), "dead process here");
        assert!(!is_stale(&info, 50, "h", |_| Some(true)), "live process here");
        assert!(!is_stale(&info, 50, "h", |_| None), "cannot tell");
        assert!(!is_stale(&info, 50, "other", |_| Some(false)), "another host");
    }

    #[test]
    fn second_lock_refused_stale_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".cpmctl")).unwrap();
        let held = Lock::acquire(dir.path()).unwrap();
        assert!(matches!(Lock::acquire(dir.path()), Err(LockError::Held { .. })));
        drop(held);
        // A lock of a process that is gone (pid beyond any real one) is taken over.
        let stale = LockInfo { pid: u32::MAX - 1, host: host_name(), expires: i64::MAX };
        std::fs::write(dir.path().join(".cpmctl/lock"), serde_json::to_vec(&stale).unwrap()).unwrap();
        let _l = Lock::acquire(dir.path()).unwrap();
    }
}
