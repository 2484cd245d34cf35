//! The mail and phone formats of a conversation: `eml/` (one file per object) and
//! `messages.mbox` in the CPM IMAP form the mirror uses (`formats::cpm_imap::write`), and
//! `smsbr.xml`, SMS Backup & Restore XML for SMS and MMS conversations. Each is written one
//! record at a time as the records stream by, payload bytes read back from `attachments/`.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{ExportError, Options, io_err};
use crate::formats::cpm_imap::{self, PartBytes};
use crate::formats::jsonl::{self, Record};
use crate::formats::smsbr::{self, Header, SmsbrWriter};
use crate::message::conversations::Kind;
use crate::wire::multipart::Part;

/// The largest part read back into memory for a mail or SMS file; larger parts are left out
/// of those formats (they stay in `attachments/`).
const MAX_INLINE_BYTES: u64 = 64 * 1024 * 1024;

/// The open mail and SMS outputs of one conversation.
pub(crate) struct Mailboxes {
    eml: Option<PathBuf>,
    mbox: Option<(BufWriter<File>, PathBuf, PathBuf)>,
    smsbr: Option<(SmsbrWriter<BufWriter<File>>, PathBuf, PathBuf)>,
}

impl Mailboxes {
    pub fn open(opts: &Options, dir: &Path, kind: Option<Kind>) -> Result<Mailboxes, ExportError> {
        let f = &opts.formats;
        let eml = if f.eml {
            let d = dir.join("eml");
            std::fs::create_dir_all(&d).map_err(io_err(format!("creating {}", d.display())))?;
            Some(d)
        } else {
            None
        };
        let mbox = if f.mbox { Some(tmp(dir, "messages.mbox")?) } else { None };
        let smsbr = if f.smsbr && kind == Some(Kind::SmsMms) {
            let (w, t, target) = tmp(dir, "smsbr.xml")?;
            let header = Header { backup_date: Some(opts.now.as_millisecond()), ..Default::default() };
            let w = SmsbrWriter::new(w, &header).map_err(io_err("writing smsbr.xml"))?;
            Some((w, t, target))
        } else {
            None
        };
        Ok(Mailboxes { eml, mbox, smsbr })
    }

    /// Adds one record to every open output.
    pub fn write(&mut self, dir: &Path, r: &Record) -> Result<(), ExportError> {
        if self.eml.is_none() && self.mbox.is_none() && self.smsbr.is_none() {
            return Ok(());
        }
        let parts = part_bytes(dir, r);
        if self.eml.is_some() || self.mbox.is_some() {
            let infos: Vec<PartBytes> = r
                .object
                .payload_part
                .iter()
                .zip(&parts)
                .filter_map(|(info, bytes)| bytes.as_ref().map(|b| PartBytes::from_info(info, b.clone())))
                .collect();
            let mut msg = Vec::new();
            if let Err(e) = cpm_imap::write(Some(&r.id), &cpm_imap::portable(&r.object), &infos, &mut msg) {
                return Err(ExportError::Failed(format!("object {}: {e}", r.id)));
            }
            if let Some(d) = &self.eml {
                let name = format!("{}.eml", crate::formats::safe_file_name(&r.id));
                let path = d.join(name);
                crate::fsutil::write_atomic(&path, &msg, None)
                    .map_err(io_err(format!("writing {}", path.display())))?;
            }
            if let Some((w, _, _)) = self.mbox.as_mut() {
                write_mbox(w, r, &msg).map_err(io_err("writing messages.mbox"))?;
            }
        }
        if let Some((w, _, _)) = self.smsbr.as_mut() {
            let ctx = r.context.as_deref().unwrap_or("");
            let record = if ctx.eq_ignore_ascii_case("pager-message") {
                smsbr::object_to_sms(&r.object).ok().map(smsbr::Record::Sms)
            } else if ctx.eq_ignore_ascii_case("multimedia-message") {
                let wire_parts: Vec<Part> = r
                    .object
                    .payload_part
                    .iter()
                    .zip(parts)
                    .filter_map(|(info, bytes)| {
                        let mut p = Part::new(&info.content_type, bytes?);
                        for (name, v) in [
                            ("content-id", &info.content_id),
                            ("content-location", &info.content_location),
                            ("content-disposition", &info.content_disposition),
                        ] {
                            if let Some(v) = v {
                                p = p.with_header(name, v);
                            }
                        }
                        Some(p)
                    })
                    .collect();
                smsbr::object_to_mms(&r.object, &wire_parts).ok().map(smsbr::Record::Mms)
            } else {
                None
            };
            if let Some(rec) = record {
                w.write(&rec).map_err(io_err("writing smsbr.xml"))?;
            }
        }
        Ok(())
    }

    /// Puts every output in place.
    pub fn finish(self) -> Result<(), ExportError> {
        if let Some((w, t, target)) = self.mbox {
            finish(w, &t, &target)?;
        }
        if let Some((w, t, target)) = self.smsbr {
            let w = w.finish_seekable().map_err(io_err("writing smsbr.xml"))?;
            finish(w, &t, &target)?;
        }
        Ok(())
    }
}

fn tmp(dir: &Path, name: &str) -> Result<(BufWriter<File>, PathBuf, PathBuf), ExportError> {
    let t = dir.join(format!(".{name}.part"));
    let f = File::create(&t).map_err(io_err(format!("creating {}", t.display())))?;
    Ok((BufWriter::new(f), t, dir.join(name)))
}

fn finish(w: BufWriter<File>, t: &Path, target: &Path) -> Result<(), ExportError> {
    let f = w.into_inner().map_err(|e| io_err(format!("writing {}", t.display()))(e.into_error()))?;
    f.sync_all().map_err(io_err(format!("syncing {}", t.display())))?;
    std::fs::rename(t, target).map_err(io_err(format!("renaming {}", target.display())))
}

/// The bytes of each part (in `object.payloadPart` order) read back from the export.
fn part_bytes(dir: &Path, r: &Record) -> Vec<Option<Vec<u8>>> {
    (0..r.object.payload_part.len())
        .map(|i| {
            let p = r.parts.iter().find(|p| p.index == i + 1)?;
            let path = jsonl::resolve_part_file(dir, p.file.as_deref()?)?;
            if std::fs::metadata(&path).ok()?.len() > MAX_INLINE_BYTES {
                return None;
            }
            std::fs::read(path).ok()
        })
        .collect()
}

/// One mboxrd entry: a `From ` line, the message with `>`-quoted `From ` lines, a blank line.
fn write_mbox(w: &mut impl Write, r: &Record, msg: &[u8]) -> std::io::Result<()> {
    let date = r
        .date
        .as_deref()
        .and_then(|d| d.trim().parse::<jiff::Timestamp>().ok())
        .map(|t| t.strftime("%a %b %e %H:%M:%S %Y").to_string())
        .unwrap_or_else(|| "Thu Jan  1 00:00:00 1970".into());
    writeln!(w, "From cpmctl@export {date}")?;
    for line in msg.split_inclusive(|b| *b == b'\n') {
        let body = line.trim_start_matches_gt();
        if body.starts_with(b"From ") {
            w.write_all(b">")?;
        }
        w.write_all(line)?;
    }
    if !msg.ends_with(b"\n") {
        w.write_all(b"\n")?;
    }
    w.write_all(b"\n")
}

trait TrimGt {
    fn trim_start_matches_gt(&self) -> &[u8];
}

impl TrimGt for [u8] {
    /// The line after any leading `>` (mboxrd quotes `>From ` too, so it reads back exactly).
    fn trim_start_matches_gt(&self) -> &[u8] {
        let n = self.iter().take_while(|b| **b == b'>').count();
        &self[n..]
    }
}
