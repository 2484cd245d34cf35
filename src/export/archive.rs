//! `--zip`: the finished export as one archive beside it (`DIR.zip`), ready to attach to a
//! ticket, holding exactly the files of the directory (manifest included), written atomically.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;

use super::{ExportError, io_err};

/// Writes `dir.zip` next to `dir` and returns its path.
pub fn zip_dir(dir: &Path) -> Result<PathBuf, ExportError> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
    let target = dir.with_file_name(format!("{name}.zip"));
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new()
        .prefix(".cpmctl-")
        .suffix(".zip.part")
        .tempfile_in(parent)
        .map_err(io_err(format!("creating a temp file in {}", parent.display())))?;
    let mut zip = zip::ZipWriter::new(tmp.reopen().map_err(io_err("opening the archive"))?);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    let zerr = |e: zip::result::ZipError| ExportError::Failed(format!("writing {}: {e}", target.display()));
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    let mut buf = vec![0u8; 64 * 1024];
    while let Some((d, rel)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .map_err(io_err(format!("reading {}", d.display())))?
            .collect::<Result<_, _>>()
            .map_err(io_err(format!("reading {}", d.display())))?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let relp = if rel.is_empty() { name } else { format!("{rel}/{name}") };
            let ft = e.file_type().map_err(io_err(format!("reading {}", e.path().display())))?;
            if ft.is_dir() {
                stack.push((e.path(), relp));
            } else if ft.is_file() {
                zip.start_file(relp.as_str(), options).map_err(zerr)?;
                let mut f = std::fs::File::open(e.path()).map_err(io_err(format!("reading {}", e.path().display())))?;
                loop {
                    let n = f.read(&mut buf).map_err(io_err(format!("reading {}", e.path().display())))?;
                    if n == 0 {
                        break;
                    }
                    zip.write_all(&buf[..n]).map_err(io_err(format!("writing {}", target.display())))?;
                }
            }
        }
    }
    let f = zip.finish().map_err(zerr)?;
    f.sync_all().map_err(io_err(format!("syncing {}", target.display())))?;
    tmp.persist(&target).map_err(|e| io_err(format!("writing {}", target.display()))(e.error))?;
    Ok(target)
}
