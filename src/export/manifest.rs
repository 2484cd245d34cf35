//! `manifest.json`: what was exported, from where, by which query and tool, the counts per
//! conversation and kind, and the size and SHA-256 of every file in the export (everything but
//! the manifest itself), so a recipient can verify that nothing was altered. The file list is
//! produced by walking the directory once the export is complete, streamed through a temp file,
//! so it is right after `--update` too and costs no memory per file.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::source::Source;
use super::{ConvEntry, ExportError, Options, Summary, io_err};

/// The manifest's name in the export directory.
pub const MANIFEST: &str = "manifest.json";
/// The `format` value of this manifest layout.
pub const FORMAT: &str = "cpmctl.export/1";
/// The largest manifest read back on `--update`.
const MAX_MANIFEST_BYTES: u64 = 512 * 1024 * 1024;

/// A time in `tz` as RFC 3339 with its offset.
pub fn rfc3339(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// One file of the export.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// What an update needs of the previous run: its conversations and their folders.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Previous {
    pub format: String,
    #[serde(default, rename = "box")]
    pub box_id: String,
    #[serde(default)]
    pub conversations: Vec<ConvEntry>,
}

impl Previous {
    /// Reads `DIR/manifest.json`; a directory without one is not an export (refused, exit 7).
    pub fn read(dir: &Path) -> Result<Previous, ExportError> {
        let path = dir.join(MANIFEST);
        let meta = std::fs::metadata(&path).map_err(|_| ExportError::NotEmpty(dir.to_path_buf()))?;
        if meta.len() > MAX_MANIFEST_BYTES {
            return Err(ExportError::Failed(format!("{} is larger than {MAX_MANIFEST_BYTES} bytes", path.display())));
        }
        let f = File::open(&path).map_err(io_err(format!("reading {}", path.display())))?;
        let p: Previous = serde_json::from_reader(BufReader::new(f))
            .map_err(|e| ExportError::Failed(format!("{} is not an export manifest: {e}", path.display())))?;
        if p.format.split('.').next() != Some("cpmctl") || !p.format.starts_with("cpmctl.export/1") {
            return Err(ExportError::Failed(format!("{}: unknown manifest format {:?}", path.display(), p.format)));
        }
        // Folder names come from a file: they must stay inside the export.
        for c in &p.conversations {
            if super::names::join_safe(dir, &c.folder).is_none() {
                return Err(ExportError::Failed(format!("{}: unsafe folder name {:?}", path.display(), c.folder)));
            }
        }
        Ok(p)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Head<'a> {
    format: &'static str,
    tool: &'static str,
    tool_version: &'a str,
    server: String,
    #[serde(rename = "box")]
    box_id: &'a str,
    query: &'a serde_json::Value,
    exported_at: String,
    time_zone: &'a str,
    formats: Vec<&'static str>,
    counts: Counts,
    conversations: &'a [ConvEntry],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Counts {
    conversations: u64,
    objects: u64,
    messages: u64,
    attachments: u64,
    deleted: u64,
    by_kind: std::collections::BTreeMap<String, u64>,
}

/// Hashes every file and writes the manifest; returns the number of files listed.
pub fn write(
    out: &Path,
    opts: &Options,
    source: &Source<'_>,
    entries: &[ConvEntry],
    _summary: &Summary,
) -> Result<u64, ExportError> {
    let list_tmp = out.join(".manifest-files.part");
    let mut n = 0u64;
    {
        let mut list = BufWriter::new(File::create(&list_tmp).map_err(io_err("creating the file list"))?);
        let mut stack = vec![(out.to_path_buf(), String::new())];
        while let Some((dir, rel)) = stack.pop() {
            let rd = std::fs::read_dir(&dir).map_err(io_err(format!("reading {}", dir.display())))?;
            for e in rd {
                let e = e.map_err(io_err(format!("reading {}", dir.display())))?;
                let name = e.file_name().to_string_lossy().into_owned();
                // Temp files (ours start with a dot) and the manifest are not part of the export.
                if name.starts_with('.') || (rel.is_empty() && name == MANIFEST) {
                    continue;
                }
                let path = e.path();
                let relp = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
                let ft = e.file_type().map_err(io_err(format!("reading {}", path.display())))?;
                if ft.is_dir() {
                    stack.push((path, relp));
                } else if ft.is_file() {
                    let (size, sha256) = hash_file(&path).map_err(io_err(format!("hashing {}", path.display())))?;
                    serde_json::to_writer(&mut list, &FileEntry { path: relp, size, sha256 })
                        .map_err(|e| ExportError::Failed(format!("writing the file list: {e}")))?;
                    list.write_all(b"\n").map_err(io_err("writing the file list"))?;
                    n += 1;
                }
            }
        }
        list.flush().map_err(io_err("writing the file list"))?;
    }
    let mut by_kind = std::collections::BTreeMap::new();
    for e in entries {
        for (k, v) in &e.by_kind {
            *by_kind.entry(k.clone()).or_insert(0) += v;
        }
    }
    let head = Head {
        format: FORMAT,
        tool: "cpmctl",
        tool_version: &opts.tool_version,
        server: source.server(),
        box_id: source.box_id(),
        query: &opts.query,
        exported_at: rfc3339(opts.now, &opts.tz),
        time_zone: &opts.tz_name,
        formats: opts.formats.names(),
        counts: Counts {
            conversations: entries.iter().filter(|e| e.key != super::UNSORTED_KEY).count() as u64,
            objects: entries.iter().map(|e| e.objects).sum(),
            messages: entries.iter().map(|e| e.messages).sum(),
            attachments: entries.iter().map(|e| e.attachments).sum(),
            deleted: entries.iter().map(|e| e.deleted).sum(),
            by_kind,
        },
        conversations: entries,
    };
    // The head as JSON without its closing brace, then the file list streamed in as an array.
    let head_json = serde_json::to_string_pretty(&head).map_err(|e| ExportError::Failed(e.to_string()))?;
    let head_json = head_json.trim_end().strip_suffix('}').unwrap_or(&head_json).trim_end();
    let target = out.join(MANIFEST);
    let mut file = crate::fsutil::AtomicFile::create(&target, crate::fsutil::Existing::Replace)
        .map_err(io_err(format!("creating {}", target.display())))?
        .mode(0o644);
    let mut buf = Vec::with_capacity(64 * 1024);
    buf.extend_from_slice(head_json.as_bytes());
    buf.extend_from_slice(b",\n  \"files\": [");
    let list = BufReader::new(File::open(&list_tmp).map_err(io_err("reading the file list"))?);
    for (i, line) in list.lines().enumerate() {
        let line = line.map_err(io_err("reading the file list"))?;
        buf.extend_from_slice(if i == 0 { b"\n    " } else { b",\n    " });
        buf.extend_from_slice(line.as_bytes());
        if buf.len() > 60 * 1024 {
            file.write_all(&buf).map_err(io_err("writing the manifest"))?;
            buf.clear();
        }
    }
    buf.extend_from_slice(b"\n  ]\n}\n");
    file.write_all(&buf).map_err(io_err("writing the manifest"))?;
    file.commit().map_err(io_err("writing the manifest"))?;
    let _ = std::fs::remove_file(&list_tmp);
    Ok(n)
}

/// Size and SHA-256 of a file, read in chunks.
pub(crate) fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hex::encode(hasher.finalize())))
}
