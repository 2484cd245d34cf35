//! File operations of the mirror: Maildir directories, a file written through the folder's
//! `tmp/` (fsync, rename into `cur/`, fsync the directory), hashes, and the trash.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::MirrorError;

/// Prefix of the temp files sync writes in a Maildir's `tmp/` (other tools' deliveries there are
/// left alone; ours are removed if a crash left them).
pub const TMP_PREFIX: &str = "cpmctl.";

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// `DIR/<rel>` for a relative path already checked by [`super::layout::is_safe_rel`].
pub fn abs(dir: &Path, rel: &str) -> PathBuf {
    if rel.is_empty() { dir.to_path_buf() } else { dir.join(rel) }
}

/// Creates `cur/ new/ tmp/` under a folder directory.
pub fn make_maildir(folder: &Path) -> Result<(), MirrorError> {
    for sub in ["cur", "new", "tmp"] {
        let p = folder.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| MirrorError::io(format!("cannot create {}", p.display()), e))?;
    }
    Ok(())
}

/// Writes `bytes` to `folder/cur/name` through `folder/tmp/`: a reader (or a crash) sees the
/// old state or the whole new file, never half of one. The caller syncs `cur/` (once per page,
/// before the index rows naming the files are committed) to make the rename durable.
pub fn write_message(folder: &Path, name: &str, bytes: &[u8]) -> Result<(), MirrorError> {
    let tmp = folder.join("tmp").join(format!("{TMP_PREFIX}{}.{name}", std::process::id()));
    let target = folder.join("cur").join(name);
    let ctx = |what: &str| format!("cannot {what} {}", target.display());
    let mut f = std::fs::File::create(&tmp).map_err(|e| MirrorError::io(ctx("write"), e))?;
    f.write_all(bytes).and_then(|()| f.sync_all()).map_err(|e| MirrorError::io(ctx("write"), e))?;
    drop(f);
    std::fs::rename(&tmp, &target).map_err(|e| MirrorError::io(ctx("rename into"), e))
}

/// Makes renames in `dir` durable (unix only can sync a directory).
pub fn sync_dir(dir: &Path) -> Result<(), MirrorError> {
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| MirrorError::io(format!("cannot sync {}", dir.display()), e))?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes temp files an interrupted sync left in a Maildir's `tmp/`.
pub fn clean_tmp(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder.join("tmp")) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
            // Best effort: a leftover temp file is harmless and retried next run.
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Moves a file or directory to `DIR/.cpmctl/trash/` (under a unique name), or deletes it when
/// `no_trash`. A path already gone is fine.
pub fn discard(dir: &Path, path: &Path, no_trash: bool) -> Result<(), MirrorError> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    let res = if no_trash {
        if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) }
    } else {
        let trash = dir.join(".cpmctl").join("trash");
        std::fs::create_dir_all(&trash).map_err(|e| MirrorError::io("cannot create the trash", e))?;
        let base = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "item".into());
        let stamp = jiff::Timestamp::now().as_nanosecond();
        std::fs::rename(path, trash.join(format!("{stamp}-{base}")))
    };
    res.map_err(|e| MirrorError::io(format!("cannot remove {}", path.display()), e))
}

/// Whether a directory holds nothing but empty `cur/ new/ tmp/` (a folder safe to remove).
pub fn is_empty_maildir(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else { return true };
    for e in entries.flatten() {
        let name = e.file_name();
        let sub = matches!(name.to_str(), Some("cur" | "new" | "tmp"));
        if !sub || std::fs::read_dir(e.path()).map(|mut d| d.next().is_some()).unwrap_or(true) {
            return false;
        }
    }
    true
}
