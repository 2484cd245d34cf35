//! File operations of the mirror: Maildir directories, files written through the folder's
//! `tmp/` (made durable, then renamed into `cur/`, then the directory synced), hashes, and the trash.

use std::collections::BTreeSet;
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

/// Creates `cur/ new/ tmp/` under a folder directory; says whether `cur/` is new (nothing but
/// what this run writes can be in it then).
pub fn make_maildir(folder: &Path) -> Result<bool, MirrorError> {
    let created = !folder.join("cur").exists();
    for sub in ["cur", "new", "tmp"] {
        let p = folder.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| MirrorError::io(format!("cannot create {}", p.display()), e))?;
    }
    Ok(created)
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

/// A file written for a Maildir's `cur/` and not yet durable nor visible there (see
/// [`stage_message`] and [`write_batch`]).
pub struct Staged {
    file: std::fs::File,
    /// Its name in `tmp/`; `None` for a file without a name yet (Linux `O_TMPFILE`).
    tmp: Option<PathBuf>,
    tmp_dir: PathBuf,
    target: PathBuf,
}

/// Temp files of this process get a sequence number: two objects of one batch can have the same
/// file name (an object listed twice while the store changes), and must not share a temp file.
static STAGED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn tmp_name(tmp_dir: &Path, name: &str) -> PathBuf {
    let seq = STAGED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tmp_dir.join(format!("{TMP_PREFIX}{}.{seq}.{name}", std::process::id()))
}

/// Writes `bytes` to a new file for `folder/cur/name` without syncing it: a batch of them is
/// made durable together by [`write_batch`], which then gives each its name in `cur/`. On
/// Linux the file has no name until then (`O_TMPFILE` in `tmp/`): a crash leaves nothing
/// behind, and syncing it does not also sync `tmp/` (which a new named file's first sync does
/// on ext4 without a journal); elsewhere it is a named file in `tmp/`.
pub fn stage_message(folder: &Path, name: &str, bytes: &[u8]) -> Result<Staged, MirrorError> {
    let tmp_dir = folder.join("tmp");
    let target = folder.join("cur").join(name);
    let ctx = || format!("cannot write {}", target.display());
    let (mut file, tmp) = match unnamed_in(&tmp_dir) {
        Some(f) => (f, None),
        None => {
            let tmp = tmp_name(&tmp_dir, name);
            (std::fs::File::create(&tmp).map_err(|e| MirrorError::io(ctx(), e))?, Some(tmp))
        }
    };
    file.write_all(bytes).map_err(|e| MirrorError::io(ctx(), e))?;
    Ok(Staged { file, tmp, tmp_dir, target })
}

/// A new file without a name in `dir`, when the system can give one and later link it by its
/// descriptor (through `/proc/self/fd`); `None` means: use a named temp file.
#[cfg(target_os = "linux")]
fn unnamed_in(dir: &Path) -> Option<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    static PROC_FD: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*PROC_FD.get_or_init(|| Path::new("/proc/self/fd").is_dir()) {
        return None;
    }
    // A file system without O_TMPFILE refuses it (EOPNOTSUPP, EISDIR on old kernels).
    let fd =
        rustix::fs::open(dir, OFlags::TMPFILE | OFlags::WRONLY | OFlags::CLOEXEC, Mode::from_raw_mode(0o666)).ok()?;
    Some(std::fs::File::from(fd))
}

#[cfg(not(target_os = "linux"))]
fn unnamed_in(_: &Path) -> Option<std::fs::File> {
    None
}

/// Whether `linkat` takes a descriptor itself (`AT_EMPTY_PATH`): Linux 6.10 and later allow it
/// for a file the caller opened, older kernels only with `CAP_DAC_READ_SEARCH`. Cleared at the
/// first refusal; then every link goes through `/proc/self/fd`.
#[cfg(target_os = "linux")]
static LINK_BY_FD: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Gives a synced unnamed file its name `target` (a hard link by descriptor). A name already
/// there is replaced, as a rename would: the file is linked into `tmp/` and renamed over it.
#[cfg(target_os = "linux")]
fn link_unnamed(f: &Staged) -> std::io::Result<()> {
    use std::os::fd::AsRawFd;
    use std::sync::atomic::Ordering::Relaxed;
    let link = |to: &Path| {
        // By the descriptor: the `/proc/self/fd/N` path costs a walk through procfs per file
        // (a quarter of what linking took).
        if LINK_BY_FD.load(Relaxed) {
            match rustix::fs::linkat(&f.file, "", rustix::fs::CWD, to, rustix::fs::AtFlags::EMPTY_PATH) {
                // Refused (an older kernel without the capability says ENOENT): by path from now on.
                Err(rustix::io::Errno::NOENT | rustix::io::Errno::PERM | rustix::io::Errno::INVAL) => {
                    LINK_BY_FD.store(false, Relaxed);
                }
                done => return done,
            }
        }
        let proc_path = format!("/proc/self/fd/{}", f.file.as_raw_fd());
        rustix::fs::linkat(
            rustix::fs::CWD,
            proc_path.as_str(),
            rustix::fs::CWD,
            to,
            rustix::fs::AtFlags::SYMLINK_FOLLOW,
        )
    };
    match link(&f.target) {
        Ok(()) => Ok(()),
        Err(rustix::io::Errno::EXIST) => {
            let tmp = tmp_name(&f.tmp_dir, "replace");
            link(&tmp)?;
            std::fs::rename(&tmp, &f.target)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn link_unnamed(_: &Staged) -> std::io::Result<()> {
    Err(std::io::Error::other("unnamed files are Linux only"))
}

/// Most threads syncing files at once: each `fsync` mostly waits for the disk, so syncs in
/// flight together overlap (with a journal, ext4 folds them into one commit) instead of
/// queueing one behind the other.
const SYNC_THREADS: usize = 32;

/// Files handed to a sync thread at a time: one wake-up per few files, not per file (on a fast
/// disk, or tmpfs, the hand-offs otherwise cost more CPU than the syncs).
const SYNC_CHUNK: usize = 8;

/// Makes a batch of files durable, gives each its name in `cur/`, and syncs every `cur/` that
/// got one, in that order: when this returns, every file of the batch is durable under its
/// final name (a crash before leaves unnamed files, which vanish, temp files, removed by the
/// next run, or some files already named, which the index does not name yet and the next run
/// adopts or replaces). Files are named in batch order: of two with one name the later wins.
///
/// `produce` stages the batch ([`stage_message`]) one file at a time through the callback it
/// is given: each file's sync starts on a pool of threads as soon as it is staged, so the syncs
/// (waiting on the disk) overlap the rendering and writing of the files after it (work for the
/// CPU) instead of starting once the whole batch is written. `hint` is about how many files
/// come (it sizes the pool). An error stops the batch with nothing more named.
///
/// A batch of [`FLUSH_FROM`] files or more is made durable by one flush of the file system
/// (`syncfs`) instead of a sync per file, where the kernel reports a failed flush (see
/// [`flush_reports_errors`]): one disk flush per page instead of one per file was 4-6x less
/// time on this project's test disk.
pub fn write_batch<F>(hint: usize, produce: F) -> Result<(), MirrorError>
where
    F: FnOnce(&mut dyn FnMut(Staged) -> Result<(), MirrorError>) -> Result<(), MirrorError>,
{
    if hint >= FLUSH_FROM && flush_reports_errors() {
        let mut order: Vec<Staged> = Vec::with_capacity(hint);
        produce(&mut |f: Staged| {
            order.push(f);
            Ok(())
        })?;
        if let Some(first) = order.first() {
            flush_file_system(&first.file)
                .map_err(|e| MirrorError::io(format!("cannot write {}", first.target.display()), e))?;
        }
        return name_synced(order);
    }
    use std::sync::{Arc, Mutex, mpsc};
    let threads = hint.div_ceil(SYNC_CHUNK).clamp(1, SYNC_THREADS);
    let mut order: Vec<Arc<Staged>> = Vec::with_capacity(hint);
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel::<Vec<Arc<Staged>>>();
        let rx = Arc::new(Mutex::new(rx));
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let rx = Arc::clone(&rx);
                s.spawn(move || {
                    loop {
                        // The lock is held only to take the next chunk, not while syncing it.
                        let next =
                            rx.lock().map_err(|_| MirrorError::Invalid("a file-sync thread panicked".into()))?.recv();
                        let Ok(chunk) = next else { return Ok::<(), MirrorError>(()) };
                        for f in chunk {
                            f.file
                                .sync_all()
                                .map_err(|e| MirrorError::io(format!("cannot write {}", f.target.display()), e))?;
                        }
                    }
                })
            })
            .collect();
        let mut chunk = Vec::with_capacity(SYNC_CHUNK);
        let produced = produce(&mut |f: Staged| {
            let f = Arc::new(f);
            order.push(Arc::clone(&f));
            chunk.push(f);
            if chunk.len() == SYNC_CHUNK {
                // A closed channel means every worker stopped on an error: reported below.
                let _ = tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(SYNC_CHUNK)));
            }
            Ok(())
        });
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
        // No more files: the workers drain the queue and end.
        drop(tx);
        let mut synced = Ok(());
        for w in workers {
            let r = w.join().map_err(|_| MirrorError::Invalid("a file-sync thread panicked".into())).and_then(|r| r);
            if synced.is_ok() {
                synced = r;
            }
        }
        produced.and(synced)
    })?;
    name_synced(order)
}

/// Gives every durable staged file its name in `cur/`, in batch order, then syncs each `cur/`
/// that got one. A big batch whose names are all different is named by two threads (the order
/// only matters between files of one name), each closing its files as it goes: naming and
/// closing a batch of 1,000 files took a thread about 25 ms at the end of a run, with the
/// other cores idle.
fn name_synced<S: std::borrow::Borrow<Staged> + Send>(mut order: Vec<S>) -> Result<(), MirrorError> {
    fn name_all<S: std::borrow::Borrow<Staged>>(files: Vec<S>) -> Result<BTreeSet<PathBuf>, MirrorError> {
        let mut dirs = BTreeSet::new();
        for f in files {
            let f = f.borrow();
            let named = match &f.tmp {
                Some(tmp) => std::fs::rename(tmp, &f.target),
                None => link_unnamed(f),
            };
            named.map_err(|e| MirrorError::io(format!("cannot name {}", f.target.display()), e))?;
            if let Some(d) = f.target.parent() {
                dirs.insert(d.to_path_buf());
            }
        }
        Ok(dirs)
    }
    let distinct = order.len() >= NAME_HELPER_FROM && {
        let mut seen = std::collections::HashSet::with_capacity(order.len());
        order.iter().all(|f| seen.insert(&f.borrow().target))
    };
    let dirs = if distinct {
        let second = order.split_off(order.len() / 2);
        std::thread::scope(|s| {
            let helper = s.spawn(|| name_all(second));
            let mine = name_all(order);
            let theirs = helper.join().map_err(|_| MirrorError::Invalid("a file-naming thread panicked".into()))?;
            let (mut mine, theirs) = (mine?, theirs?);
            mine.extend(theirs);
            Ok::<_, MirrorError>(mine)
        })?
    } else {
        name_all(order)?
    };
    for d in dirs {
        sync_dir(&d)?;
    }
    Ok(())
}

/// Batches from this many files on are named by two threads (see [`name_synced`]).
const NAME_HELPER_FROM: usize = 128;

/// Most files a batch stages (each holding an open descriptor until it is named) before they
/// are made durable and named: an eighth of the process's limit on open files (two batches are
/// written while a third gathers, besides the connections and the index), between 16 and 1,024
/// (a whole batch of the default page size, made durable by one flush).
///
/// The soft limit is raised first, toward the hard one, up to [`OPEN_FILES_WANTED`] (as Go
/// programs do at start): the usual soft limit of 1,024 would otherwise split every batch into
/// several flushes.
pub(super) fn max_open_staged() -> usize {
    use rustix::process::{Resource, getrlimit, setrlimit};
    static MAX: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *MAX.get_or_init(|| {
        let mut limit = getrlimit(Resource::Nofile);
        let wanted = limit.maximum.map_or(OPEN_FILES_WANTED, |hard| hard.min(OPEN_FILES_WANTED));
        if limit.current.is_some_and(|soft| soft < wanted) {
            limit.current = Some(wanted);
            // Best effort: the limit as it was still gives a working (smaller) batch.
            let _ = setrlimit(Resource::Nofile, limit);
        }
        let soft = getrlimit(Resource::Nofile).current;
        soft.map_or(1024, |n| usize::try_from(n / 8).unwrap_or(1024)).clamp(16, 1024)
    })
}

/// The soft limit on open files [`max_open_staged`] asks for.
const OPEN_FILES_WANTED: u64 = 8192;

/// Batches from this many files on are flushed with one `syncfs` (see [`write_batch`]); a
/// smaller one (a replay's few changes) syncs its files, which leaves the rest of the file
/// system's dirty data alone.
const FLUSH_FROM: usize = 16;

/// Whether `syncfs` reports a failed write-back: Linux 5.8 and later (before, it returned
/// success whatever happened, and only a sync per file would see the error).
fn flush_reports_errors() -> bool {
    static OK: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *OK.get_or_init(|| {
        cfg!(target_os = "linux")
            && std::fs::read_to_string("/proc/sys/kernel/osrelease").is_ok_and(|r| release_at_least(&r, 5, 8))
    })
}

/// Whether a kernel release string (`6.18.44-fc`, `5.8.0`) is `major.minor` or later.
fn release_at_least(release: &str, major: u32, minor: u32) -> bool {
    let mut nums = release.trim().split(['.', '-']).map(|p| p.parse::<u32>().ok());
    match (nums.next().flatten(), nums.next().flatten()) {
        (Some(a), Some(b)) => (a, b) >= (major, minor),
        _ => false,
    }
}

/// Writes back every dirty file of the file system `file` is on, and waits for the disk.
#[cfg(target_os = "linux")]
fn flush_file_system(file: &std::fs::File) -> std::io::Result<()> {
    rustix::fs::syncfs(file).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn flush_file_system(file: &std::fs::File) -> std::io::Result<()> {
    file.sync_all()
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

/// Refuses a folder directory reached through a symbolic link: whatever the names, a link
/// planted inside the mirror must not make sync write (or move files) outside `DIR`.
pub fn refuse_symlinks(dir: &Path, rel: &str) -> Result<(), MirrorError> {
    let mut at = dir.to_path_buf();
    for seg in rel.split('/').filter(|s| !s.is_empty()) {
        at.push(seg);
        match std::fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                return Err(MirrorError::Invalid(format!(
                    "{} is a symbolic link: the mirror does not follow links out of {}",
                    at.display(),
                    dir.display()
                )));
            }
            Ok(_) => {}
            // Not there yet: nothing below it can be a link.
            Err(_) => break,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_batch_lands_in_cur_the_later_of_two_names_wins_and_tmp_stays_empty() {
        let dir = tempfile::tempdir().unwrap();
        make_maildir(dir.path()).unwrap();
        std::fs::write(dir.path().join("cur/a:2,"), b"old").unwrap();
        let batch = vec![
            stage_message(dir.path(), "a:2,", b"first").unwrap(),
            stage_message(dir.path(), "b:2,S", b"b").unwrap(),
            stage_message(dir.path(), "a:2,", b"second").unwrap(),
        ];
        write_batch(batch.len(), |stage| batch.into_iter().try_for_each(stage)).unwrap();
        assert_eq!(std::fs::read(dir.path().join("cur/a:2,")).unwrap(), b"second");
        assert_eq!(std::fs::read(dir.path().join("cur/b:2,S")).unwrap(), b"b");
        assert_eq!(std::fs::read_dir(dir.path().join("cur")).unwrap().count(), 2);
        assert_eq!(std::fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
    }

    #[test]
    fn a_page_sized_batch_is_flushed_once_and_every_file_lands_whole() {
        let dir = tempfile::tempdir().unwrap();
        make_maildir(dir.path()).unwrap();
        let n = FLUSH_FROM * 3;
        write_batch(n, |stage| {
            (0..n).try_for_each(|i| {
                stage(stage_message(dir.path(), &format!("m{i}:2,"), format!("body {i}").as_bytes())?)
            })
        })
        .unwrap();
        for i in 0..n {
            assert_eq!(std::fs::read(dir.path().join(format!("cur/m{i}:2,"))).unwrap(), format!("body {i}").as_bytes());
        }
        assert_eq!(std::fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        // A failure part-way through a flushed batch names nothing either.
        let r = write_batch(n, |stage| {
            stage(stage_message(dir.path(), "late:2,", b"x")?)?;
            Err(MirrorError::Invalid("render failed".into()))
        });
        assert!(r.is_err());
        assert!(!dir.path().join("cur/late:2,").exists());
    }

    /// Both ways of naming an unnamed file, by its descriptor and through `/proc/self/fd`, give
    /// the same result, a name already there replaced included.
    #[cfg(target_os = "linux")]
    #[test]
    fn unnamed_files_are_named_alike_by_descriptor_and_through_proc() {
        use std::sync::atomic::Ordering::Relaxed;
        for by_fd in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            make_maildir(dir.path()).unwrap();
            std::fs::write(dir.path().join("cur/a:2,"), b"old").unwrap();
            // Other tests only ever see a working way: either one is.
            LINK_BY_FD.store(by_fd, Relaxed);
            let batch = vec![
                stage_message(dir.path(), "a:2,", b"new").unwrap(),
                stage_message(dir.path(), "b:2,", b"b").unwrap(),
            ];
            assert!(batch.iter().all(|f| f.tmp.is_none()), "O_TMPFILE is expected on Linux test disks");
            write_batch(batch.len(), |stage| batch.into_iter().try_for_each(stage)).unwrap();
            assert_eq!(std::fs::read(dir.path().join("cur/a:2,")).unwrap(), b"new", "by_fd {by_fd}");
            assert_eq!(std::fs::read(dir.path().join("cur/b:2,")).unwrap(), b"b", "by_fd {by_fd}");
            assert_eq!(std::fs::read_dir(dir.path().join("tmp")).unwrap().count(), 0);
        }
        LINK_BY_FD.store(true, Relaxed);
    }

    #[test]
    fn kernel_releases_compare_by_major_and_minor() {
        assert!(release_at_least("6.18.44-fc-v595\n", 5, 8));
        assert!(release_at_least("5.8.0", 5, 8));
        assert!(!release_at_least("5.7.19", 5, 8));
        assert!(!release_at_least("4.19.0-25-amd64", 5, 8));
        assert!(!release_at_least("garbage", 5, 8));
    }

    #[test]
    fn a_batch_that_fails_part_way_names_none_of_its_files() {
        let dir = tempfile::tempdir().unwrap();
        make_maildir(dir.path()).unwrap();
        let r = write_batch(2, |stage| {
            stage(stage_message(dir.path(), "a:2,", b"a")?)?;
            Err(MirrorError::Invalid("render failed".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path().join("cur")).unwrap().count(), 0);
    }
}
