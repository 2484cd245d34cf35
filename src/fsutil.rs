//! Atomic file writes, the one helper every layer may use (it sits at the bottom with `wire`):
//! a temp file in the target's directory, fsync, rename over the target, fsync the directory.
//!
//! The config file, the credentials file, the subscription state, the demo password of the
//! reference server and every file `get --out` writes go through here, so a crash or a full
//! disk never leaves half a file under the real name, and a file meant to be private is
//! never readable by others, not even between create and rename (the temp file is 0600
//! from its creation; `mode` is applied before the rename).
//!
//! This module lives outside `wire` (which does no I/O) and outside the client-side library,
//! because the server (`server → wire` only) needs it as much as the client does.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether a commit may replace a file that is already at the target path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Replace it (atomically: readers see the old or the new file, never a mix).
    Replace,
    /// Refuse with [`std::io::ErrorKind::AlreadyExists`], even when the file appeared while
    /// the temp file was being written.
    Keep,
}

/// A file being written: bytes go to a hidden temp file next to the target; [`commit`]
/// puts it in place. Dropping it uncommitted removes the temp file.
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    temp: tempfile::NamedTempFile,
    target: PathBuf,
    existing: Existing,
    mode: Option<u32>,
}

impl AtomicFile {
    /// Opens a temp file in the target's directory (same file system, so the rename is
    /// atomic). With [`Existing::Keep`] an existing target is refused right away, before
    /// anything is downloaded or written.
    pub fn create(target: &Path, existing: Existing) -> std::io::Result<Self> {
        if existing == Existing::Keep && target.exists() {
            return Err(exists_error(target));
        }
        let temp = tempfile::Builder::new().prefix(".cpmctl-").suffix(".part").tempfile_in(parent_dir(target))?;
        Ok(AtomicFile { temp, target: target.to_path_buf(), existing, mode: None })
    }

    /// Unix permission bits the file gets before it appears under its name (default: the
    /// temp file's 0600). Ignored elsewhere.
    #[must_use]
    pub fn mode(mut self, mode: u32) -> Self {
        self.mode = Some(mode);
        self
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.temp.write_all(bytes)
    }

    /// Flushes the data to disk, applies the mode, renames into place and syncs the
    /// directory so the new name survives a crash too.
    pub fn commit(self) -> std::io::Result<PathBuf> {
        self.temp.as_file().sync_all()?;
        #[cfg(unix)]
        if let Some(mode) = self.mode {
            use std::os::unix::fs::PermissionsExt;
            self.temp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        let target = self.target;
        match self.existing {
            Existing::Replace => {
                self.temp.persist(&target).map_err(|e| e.error)?;
            }
            Existing::Keep => {
                self.temp.persist_noclobber(&target).map_err(|e| {
                    if e.error.kind() == std::io::ErrorKind::AlreadyExists { exists_error(&target) } else { e.error }
                })?;
            }
        }
        sync_dir(parent_dir(&target))?;
        Ok(target)
    }
}

/// Replaces `path` with `bytes` atomically, creating missing parent directories. `mode`
/// (unix) defaults to 0644; pass 0600 for anything secret.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    std::fs::create_dir_all(parent_dir(path))?;
    let mut file = AtomicFile::create(path, Existing::Replace)?.mode(mode.unwrap_or(0o644));
    file.write_all(bytes)?;
    file.commit()?;
    Ok(())
}

/// The directory a path lives in (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Makes a rename in `dir` durable. Only unix can open a directory to sync it; elsewhere the
/// rename is as durable as the platform makes it.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn exists_error(target: &Path) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("{} already exists", target.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_refuses_and_replace_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.bin");
        let mut f = AtomicFile::create(&target, Existing::Keep).unwrap();
        f.write_all(b"one").unwrap();
        f.commit().unwrap();
        let err = AtomicFile::create(&target, Existing::Keep).err().unwrap();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        let mut f = AtomicFile::create(&target, Existing::Replace).unwrap();
        f.write_all(b"two").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"two");
        // An abandoned write leaves nothing behind.
        let other = dir.path().join("y.bin");
        let mut f = AtomicFile::create(&other, Existing::Keep).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_file_that_appears_meanwhile_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("x.bin");
        let mut f = AtomicFile::create(&target, Existing::Keep).unwrap();
        f.write_all(b"late").unwrap();
        std::fs::write(&target, b"first").unwrap();
        assert_eq!(f.commit().unwrap_err().kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&target).unwrap(), b"first");
    }

    #[cfg(unix)]
    #[test]
    fn write_atomic_sets_the_mode_of_a_replaced_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/secret");
        write_atomic(&path, b"one", None).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o644);
        write_atomic(&path, b"two", Some(0o600)).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        // Only the file itself is left: no temp files.
        assert_eq!(std::fs::read_dir(dir.path().join("sub")).unwrap().count(), 1);
    }
}
