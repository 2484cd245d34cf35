//! The rejects of a run: every record that could not be read or mapped goes, as it was in the
//! input, to `rejects.<ext>` in the input's format (`rejects.xml` an SMS Backup & Restore file,
//! `rejects.mbox` for mail of any form, `rejects.jsonl`), ready to be fixed and imported again,
//! and its source, position and reason to `rejects.log`. Files are written through a temp file
//! and appear (fsynced, renamed) when the run ends; nothing is created when nothing was rejected.

use std::path::{Path, PathBuf};

use crate::fsutil::{AtomicFile, Existing};

use super::source::{Format, Rejected};

struct Open {
    ext: &'static str,
    file: AtomicFile,
}

/// Collects rejected records for one run.
pub struct Rejects {
    /// `None`: rejects are counted, never written (`put`).
    dir: Option<PathBuf>,
    files: Vec<Open>,
    log: Option<AtomicFile>,
    pub count: u64,
}

fn io(path: &Path, e: std::io::Error) -> String {
    format!("{}: {e}", path.display())
}

/// Text for one log field: one line, no control characters.
fn field(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

impl Rejects {
    pub fn new(dir: &Path) -> Rejects {
        Rejects { dir: Some(dir.to_path_buf()), files: Vec::new(), log: None, count: 0 }
    }

    /// Counts without writing anything.
    pub fn disabled() -> Rejects {
        Rejects { dir: None, files: Vec::new(), log: None, count: 0 }
    }

    fn target(&self, name: &str) -> PathBuf {
        self.dir.as_deref().unwrap_or(Path::new(".")).join(name)
    }

    pub fn add(&mut self, r: &Rejected) -> Result<(), String> {
        self.count += 1;
        let Some(dir) = self.dir.clone() else { return Ok(()) };
        if self.log.is_none() {
            std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
            let path = self.target("rejects.log");
            self.log = Some(AtomicFile::create(&path, Existing::Replace).map_err(|e| io(&path, e))?.mode(0o644));
        }
        let line = format!("{}\t{}\t{}\n", field(&r.source), field(&r.position), field(&r.reason));
        if let Some(log) = self.log.as_mut() {
            log.write_all(line.as_bytes()).map_err(|e| io(&dir, e))?;
        }
        if r.raw.is_empty() {
            return Ok(());
        }
        let ext = r.format.reject_ext();
        if !self.files.iter().any(|o| o.ext == ext) {
            let path = self.target(&format!("rejects.{ext}"));
            let mut file = AtomicFile::create(&path, Existing::Replace).map_err(|e| io(&path, e))?.mode(0o644);
            if r.format == Format::Smsbr {
                file.write_all(b"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses>\n")
                    .map_err(|e| io(&path, e))?;
            }
            self.files.push(Open { ext, file });
        }
        let Some(open) = self.files.iter_mut().find(|o| o.ext == ext) else { return Ok(()) };
        let bytes = match r.format {
            Format::Smsbr | Format::Jsonl => {
                let mut b = r.raw.clone();
                if !b.ends_with(b"\n") {
                    b.push(b'\n');
                }
                b
            }
            _ => mbox_entry(&r.raw),
        };
        open.file.write_all(&bytes).map_err(|e| io(&dir, e))
    }

    /// Closes the files and puts them in place: (the first rejects file, the log).
    pub fn finish(self) -> Result<(Option<PathBuf>, Option<PathBuf>), String> {
        let dir = self.dir.unwrap_or_default();
        let mut first = None;
        for mut open in self.files {
            if open.ext == "xml" {
                open.file.write_all(b"</smses>\n").map_err(|e| io(&dir, e))?;
            }
            let p = open.file.commit().map_err(|e| io(&dir, e))?;
            first.get_or_insert(p);
        }
        let log = match self.log {
            Some(l) => Some(l.commit().map_err(|e| io(&dir, e))?),
            None => None,
        };
        Ok((first, log))
    }
}

/// One mail as an mboxrd entry: a `From ` line, `From ` lines of the body quoted with `>`.
fn mbox_entry(raw: &[u8]) -> Vec<u8> {
    let mut out = b"From cpmctl-import Thu Jan  1 00:00:00 1970\n".to_vec();
    for line in raw.split_inclusive(|&b| b == b'\n') {
        let i = line.iter().position(|&b| b != b'>').unwrap_or(line.len());
        if line[i..].starts_with(b"From ") {
            out.push(b'>');
        }
        out.extend_from_slice(line);
    }
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    out.push(b'\n');
    out
}
