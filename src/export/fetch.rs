//! Phase 1 of an export: one search of the selection sorted by Date ascending, streamed page by
//! page; each object goes to its conversation (or `unsorted/`), its payload parts are
//! downloaded concurrently (bounded) into the conversation's `attachments/`, and its record is
//! appended to the conversation's `.messages.jsonl.part`. Nothing here holds more than one page.

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use futures::StreamExt;
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use super::manifest::{Previous, hash_file};
use super::source::{Pages, Source};
use super::{ConvEntry, ExportError, Options, Reporter, Summary, UNSORTED_KEY, io_err, kind_label, names};
use crate::formats::jsonl::{self, PartFile, Record};
use crate::fsutil::{AtomicFile, Existing};
use crate::message::context::Direction;
use crate::message::conversations::{Kind, Summary as ConvSummary};
use crate::message::view::part_filename;
use crate::message::{address, conversation};
use crate::nms::items::id_of;
use crate::wire::{Object, SelectionCriteria, SortCriterion, names as wn};

/// The largest payload part written; a larger one is reported and skipped.
pub const MAX_PART_BYTES: u64 = 4 * 1024 * 1024 * 1024;
/// The most text read from a text part to show in transcripts.
const MAX_TEXT_BYTES: u64 = 64 * 1024;
/// The temp name of a conversation's records of this run.
pub(crate) const RECORDS_PART: &str = ".records.part";

/// One conversation being exported.
pub(crate) struct Conv {
    pub entry: ConvEntry,
    pub kind: Option<Kind>,
    pub dir: PathBuf,
    pub expected_objects: u64,
    /// Objects of this run written to [`RECORDS_PART`].
    pub written: u64,
}

/// The conversations of an export and where their files go.
pub(crate) struct Plan {
    own: String,
    pub convs: Vec<Conv>,
    by_key: HashMap<String, usize>,
    with_unsorted: bool,
    folders: HashSet<String>,
    out: PathBuf,
}

impl Plan {
    pub fn new(own: &str, selected: &[ConvSummary], with_unsorted: bool, previous: Option<&Previous>) -> Plan {
        let mut plan = Plan {
            own: address::normalise(own),
            convs: Vec::new(),
            by_key: HashMap::new(),
            with_unsorted,
            folders: HashSet::new(),
            out: PathBuf::new(),
        };
        // Folders of the previous run keep their names, so an update lands in the same place.
        if let Some(p) = previous {
            plan.folders.extend(p.conversations.iter().map(|c| c.folder.to_lowercase()));
        }
        for s in selected {
            plan.add(s, previous);
        }
        plan
    }

    /// Sets the export directory every conversation folder lives in.
    pub fn set_out(&mut self, out: &Path) {
        self.out = out.to_path_buf();
        for c in &mut self.convs {
            c.dir = out.join(&c.entry.folder);
        }
    }

    fn add(&mut self, s: &ConvSummary, previous: Option<&Previous>) -> usize {
        let label = match &s.subject {
            Some(subject) => subject.clone(),
            None if s.peers.is_empty() => s.key.clone(),
            None => s.peers.join(","),
        };
        let folder = match previous.and_then(|p| p.conversations.iter().find(|c| c.key == s.key)) {
            Some(old) => old.folder.clone(),
            None => self.unique_folder(&names::conversation_folder(&label, &s.id)),
        };
        let entry = ConvEntry {
            key: s.key.clone(),
            id: s.id.clone(),
            folder: folder.clone(),
            conversation_type: s.conversation_type.as_str().to_string(),
            subject: s.subject.clone(),
            peers: s.peers.clone(),
            ..Default::default()
        };
        self.convs.push(Conv {
            entry,
            kind: Some(s.conversation_type),
            dir: self.out.join(&folder),
            expected_objects: s.objects,
            written: 0,
        });
        let i = self.convs.len() - 1;
        self.by_key.insert(s.key.clone(), i);
        i
    }

    /// The unsorted pseudo-conversation, created on first use.
    fn unsorted(&mut self) -> usize {
        if let Some(i) = self.by_key.get(UNSORTED_KEY) {
            return *i;
        }
        let entry = ConvEntry {
            key: UNSORTED_KEY.into(),
            id: UNSORTED_KEY.into(),
            folder: UNSORTED_KEY.into(),
            conversation_type: "unsorted".into(),
            ..Default::default()
        };
        self.convs.push(Conv { entry, kind: None, dir: self.out.join(UNSORTED_KEY), expected_objects: 0, written: 0 });
        let i = self.convs.len() - 1;
        self.by_key.insert(UNSORTED_KEY.into(), i);
        i
    }

    fn unique_folder(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while name.eq_ignore_ascii_case(UNSORTED_KEY) || !self.folders.insert(name.to_lowercase()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        name
    }

    /// Objects the selection is expected to hold (for the progress total).
    pub fn expected_objects(&self) -> u64 {
        self.convs.iter().map(|c| c.expected_objects).sum()
    }

    /// Adds the conversations of a previous run that this run did not select, so an update
    /// re-checks them (their objects may all be gone from the store).
    pub fn add_previous(&mut self, previous: &Previous) {
        for old in &previous.conversations {
            if self.by_key.contains_key(&old.key) {
                continue;
            }
            let mut entry = old.clone();
            entry.objects = 0;
            entry.messages = 0;
            entry.attachments = 0;
            entry.deleted = 0;
            entry.by_kind.clear();
            self.convs.push(Conv {
                kind: kind_of(&entry.conversation_type),
                dir: self.out.join(&entry.folder),
                entry,
                expected_objects: 0,
                written: 0,
            });
            self.by_key.insert(old.key.clone(), self.convs.len() - 1);
        }
    }

    /// The conversation an object goes to: its own if selected, `unsorted/` for objects of no
    /// conversation when everything is exported, else none.
    fn route(&mut self, o: &Object) -> Option<(usize, Option<String>)> {
        match conversation::key(&o.attributes, &self.own) {
            Some(k) => {
                let k = k.to_string();
                self.by_key.get(&k).map(|i| (*i, Some(k)))
            }
            None if self.with_unsorted => Some((self.unsorted(), None)),
            None => None,
        }
    }
}

/// The conversation type a manifest entry names.
pub(crate) fn kind_of(name: &str) -> Option<Kind> {
    [Kind::Chat, Kind::GroupChat, Kind::SmsMms].into_iter().find(|k| k.as_str() == name)
}

/// Whether an object is a message (not a delivery report, session record or group state).
pub(crate) fn is_message(ctx: Option<&str>) -> bool {
    !ctx.is_some_and(|c| ["imdn-message", "session-info", "group-state"].iter().any(|r| r.eq_ignore_ascii_case(c)))
}

/// One part to fetch: where it goes and where it comes from.
struct Job {
    url: String,
    target: PathBuf,
    label: String,
}

/// A part's outcome: size, SHA-256 and whether it was downloaded, or why it was not saved.
type Saved = Result<(u64, String, bool), String>;

/// Streams the selection into the conversations' record files and attachment folders.
pub(crate) async fn run(
    source: &Source<'_>,
    opts: &Options,
    plan: &mut Plan,
    reporter: &dyn Reporter,
) -> Result<Summary, ExportError> {
    plan.set_out(&opts.out);
    let mut summary = Summary::default();
    // Records of an earlier, interrupted run are not this run's.
    for c in &plan.convs {
        remove_if_there(&c.dir.join(RECORDS_PART))?;
    }
    let criteria = SelectionCriteria {
        max_entries: opts.page_size.max(1),
        search_scope: opts.scope.clone(),
        search_criteria: opts.criteria.clone(),
        sort: vec![SortCriterion { kind: "Date".into(), name: None, order: Some("Ascending".into()) }],
        ..Default::default()
    };
    let mut pages = Pages::new(source, criteria);
    while let Some(page) = pages.next().await {
        let page = page?;
        // Route and name every part of the page first, then download them all at once.
        let mut routed = Vec::new();
        let mut jobs = Vec::new();
        for o in page {
            let Some((conv, key)) = plan.route(&o) else { continue };
            let dir = plan.convs[conv].dir.join("attachments");
            let id = o.resource_url.as_deref().map(id_of).unwrap_or_default();
            let date = o.attributes.first(wn::DATE).and_then(|d| d.trim().parse::<Timestamp>().ok());
            let mut files = Vec::new();
            for (i, p) in o.payload_part.iter().enumerate() {
                let name = names::part_file(date, &id, i + 1, part_filename(p).as_deref(), &p.content_type);
                let file = format!("attachments/{name}");
                if !p.href.is_empty() {
                    jobs.push((
                        routed.len(),
                        i,
                        Job { url: p.href.clone(), target: dir.join(&name), label: format!("{id} part {}", i + 1) },
                    ));
                }
                files.push(file);
            }
            routed.push((conv, key, id, o, files));
        }
        let dirs: HashSet<PathBuf> =
            jobs.iter().filter_map(|(_, _, j)| j.target.parent().map(Path::to_path_buf)).collect();
        for d in dirs {
            std::fs::create_dir_all(&d).map_err(io_err(format!("creating {}", d.display())))?;
        }
        let results: Vec<(usize, usize, Saved)> =
            futures::stream::iter(jobs.into_iter().map(|(obj, part, job)| async move {
                let r = save_part(source, &job).await.map_err(|e| format!("{}: {e}", job.label));
                (obj, part, r)
            }))
            .buffered(opts.concurrency.max(1))
            .collect()
            .await;
        let mut saved: Vec<Vec<Option<(u64, String)>>> =
            routed.iter().map(|(_, _, _, o, _)| vec![None; o.payload_part.len()]).collect();
        for (obj, part, r) in results {
            match r {
                Ok((size, sha, downloaded)) => {
                    if downloaded {
                        summary.bytes += size;
                    }
                    saved[obj][part] = Some((size, sha));
                }
                Err(e) => {
                    summary.failed_parts += 1;
                    reporter.note(&format!("part not saved: {e}"));
                }
            }
        }
        for ((conv, key, id, o, files), saved) in routed.into_iter().zip(saved) {
            let c = &mut plan.convs[conv];
            let bytes: u64 = saved.iter().flatten().map(|(s, _)| *s).sum();
            let record = record_of(&plan.own, key, id, o, &files, saved, &c.dir);
            summary.parts += record.parts.iter().filter(|p| p.file.is_some()).count() as u64;
            append_record(&c.dir, &record)?;
            c.written += 1;
            reporter.object_done(bytes);
        }
    }
    Ok(summary)
}

fn remove_if_there(p: &Path) -> Result<(), ExportError> {
    match std::fs::remove_file(p) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err(format!("removing {}", p.display()))(e)),
        _ => Ok(()),
    }
}

/// Appends one record line to a conversation's record file (opened per write, so any number
/// of conversations can be written without holding a file open for each).
fn append_record(dir: &Path, record: &Record) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
    let path = dir.join(RECORDS_PART);
    let mut line = Vec::with_capacity(1024);
    jsonl::write_record(&mut line, record).map_err(io_err("encoding a record"))?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(io_err(format!("opening {}", path.display())))?;
    f.write_all(&line).map_err(io_err(format!("writing {}", path.display())))
}

/// Writes one part to `job.target`: downloaded and hashed on the way, or, when the file is
/// already there from an earlier run (names are unique per object and part; payloads never
/// change), hashed from disk. Returns size, SHA-256 and whether it was downloaded.
async fn save_part(source: &Source<'_>, job: &Job) -> Result<(u64, String, bool), String> {
    if job.target.is_file() {
        let (size, sha) = hash_file(&job.target).map_err(|e| e.to_string())?;
        return Ok((size, sha, false));
    }
    let mut file = AtomicFile::create(&job.target, Existing::Keep).map_err(|e| e.to_string())?.mode(0o644);
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    source
        .part(&job.url, |chunk| {
            size += chunk.len() as u64;
            if size > MAX_PART_BYTES {
                return Err(format!("larger than {MAX_PART_BYTES} bytes"));
            }
            hasher.update(chunk);
            file.write_all(chunk).map_err(|e| e.to_string())
        })
        .await?;
    file.commit().map_err(|e| e.to_string())?;
    Ok((size, hex::encode(hasher.finalize()), true))
}

/// The record of one object with the files its parts went to.
fn record_of(
    own: &str,
    key: Option<String>,
    id: String,
    o: Object,
    files: &[String],
    saved: Vec<Option<(u64, String)>>,
    dir: &Path,
) -> Record {
    let a = &o.attributes;
    let first = |n: &str| a.first(n).map(str::to_string);
    let from = first(wn::FROM);
    let direction = Direction::of(a).unwrap_or_else(|| {
        if from.as_deref().is_some_and(|f| address::normalise(f) == own) { Direction::Out } else { Direction::infer(a) }
    });
    let parts: Vec<PartFile> = o
        .payload_part
        .iter()
        .zip(saved)
        .enumerate()
        .map(|(i, (p, s))| PartFile {
            index: i + 1,
            content_type: p.content_type.clone(),
            content_id: p.content_id.clone(),
            filename: part_filename(p),
            file: s.as_ref().and_then(|_| files.get(i).cloned()),
            size: s.as_ref().map_or(p.size.unwrap_or(0), |(n, _)| *n),
            sha256: s.map(|(_, h)| h).unwrap_or_default(),
        })
        .collect();
    let text = first(wn::TEXT_CONTENT).or_else(|| text_of_parts(&parts, dir));
    Record {
        format: jsonl::FORMAT.into(),
        id,
        conversation: key,
        date: first(wn::DATE),
        direction: Some(direction.as_str().to_string()),
        from,
        to: a.values(wn::TO).to_vec(),
        context: first(wn::MESSAGE_CONTEXT),
        text,
        parts,
        object: o,
        deleted: false,
    }
}

/// The text of a message without a TextContent attribute: its first `text/plain` part, or the
/// body inside its first `message/cpim` part, read from the saved file (bounded).
fn text_of_parts(parts: &[PartFile], dir: &Path) -> Option<String> {
    let p = parts.iter().find(|p| {
        let ct = crate::wire::multipart::media_type(&p.content_type);
        (ct == "text/plain" || ct == "message/cpim") && p.file.is_some()
    })?;
    let path = jsonl::resolve_part_file(dir, p.file.as_deref()?)?;
    let mut bytes = Vec::new();
    std::fs::File::open(path).ok()?.take(MAX_TEXT_BYTES).read_to_end(&mut bytes).ok()?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if crate::wire::multipart::media_type(&p.content_type) == "message/cpim" {
        // CPIM: message headers, a blank line, MIME headers, a blank line, then the body.
        let mut rest = text.as_str();
        for _ in 0..2 {
            rest = rest.split_once("\r\n\r\n").or_else(|| rest.split_once("\n\n")).map(|(_, b)| b)?;
        }
        return Some(rest.to_string());
    }
    Some(text)
}

/// A conversation type's label, for kinds the plan knows.
pub(crate) fn label_of(kind: Option<Kind>) -> &'static str {
    kind.map_or("Objects of no conversation", kind_label)
}
