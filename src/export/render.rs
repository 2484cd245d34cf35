//! Phase 2 of an export: each conversation's records, read back one line at a time in date
//! order (merged with the previous run's on `--update`), become `messages.jsonl`,
//! `transcript.html` (pages of `--split N`), `transcript.txt`, the conversation's rows of
//! `index.csv` and the mail and SMS formats. Only one conversation's files are open at a time.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::fetch::{Conv, Plan, RECORDS_PART, is_message, label_of};
use super::mailbox::Mailboxes;
use super::manifest::Previous;
use super::source::Source;
use super::{ConvEntry, ExportError, Options, Reporter, Summary, UNSORTED_KEY, io_err};
use crate::formats::jsonl::{self, Record};
use crate::formats::transcript::{FileLink, Image, MessageCtx, Templates, human_size, txt_line};
use crate::message::{address, groupstate};
use crate::wire::multipart::media_type;

/// What rendering needs besides the plan.
pub(crate) struct Context<'a> {
    pub source: &'a Source<'a>,
    pub opts: &'a Options,
    pub templates: Option<&'a Templates>,
    pub reporter: &'a dyn Reporter,
}

/// The final name of a conversation's records.
pub(crate) const RECORDS: &str = "messages.jsonl";
/// Where the previous run's records that are still wanted wait for the merge.
const KEPT_PART: &str = ".messages.kept.part";
/// The most characters of a message's text in `index.csv`.
const EXCERPT_CHARS: usize = 200;

/// Renders every conversation and writes `index.csv`; returns the manifest entries.
pub(crate) async fn all(
    ctx: &Context<'_>,
    plan: &mut Plan,
    previous: Option<&Previous>,
    summary: &mut Summary,
) -> Result<Vec<ConvEntry>, ExportError> {
    if let Some(p) = previous {
        plan.add_previous(p);
    }
    let out = &ctx.opts.out;
    let csv_tmp = out.join(".index.csv.part");
    let mut csv = if ctx.opts.formats.csv || ctx.opts.formats.html || ctx.opts.formats.txt || ctx.opts.formats.jsonl {
        let f = File::create(&csv_tmp).map_err(io_err(format!("creating {}", csv_tmp.display())))?;
        let mut w = csv::Writer::from_writer(BufWriter::new(f));
        w.write_record(["conversation", "time", "direction", "from", "to", "kind", "text", "attachments"])
            .map_err(|e| ExportError::Failed(format!("writing index.csv: {e}")))?;
        Some(w)
    } else {
        None
    };
    let mut entries = Vec::new();
    for conv in &mut plan.convs {
        let written = render_conv(ctx, conv, summary, csv.as_mut()).await?;
        if written {
            entries.push(conv.entry.clone());
        }
    }
    if let Some(w) = csv {
        let inner = w.into_inner().map_err(|e| ExportError::Failed(format!("writing index.csv: {e}")))?;
        finish_file(inner, &csv_tmp, &out.join("index.csv"))?;
    }
    Ok(entries)
}

/// Flushes, syncs and renames a streamed file into place.
fn finish_file(w: BufWriter<File>, tmp: &Path, target: &Path) -> Result<(), ExportError> {
    let f = w.into_inner().map_err(|e| io_err(format!("writing {}", tmp.display()))(e.into_error()))?;
    f.sync_all().map_err(io_err(format!("syncing {}", tmp.display())))?;
    std::fs::rename(tmp, target).map_err(io_err(format!("renaming {}", target.display())))
}

/// Opens a streamed file under a temp name next to its target.
fn create_tmp(dir: &Path, name: &str) -> Result<(BufWriter<File>, PathBuf, PathBuf), ExportError> {
    let tmp = dir.join(format!(".{name}.part"));
    let f = File::create(&tmp).map_err(io_err(format!("creating {}", tmp.display())))?;
    Ok((BufWriter::new(f), tmp, dir.join(name)))
}

/// The open transcript page.
struct Page {
    w: BufWriter<File>,
    tmp: PathBuf,
    target: PathBuf,
    number: u64,
    written: u64,
}

/// A page file's name: `transcript.html`, then `transcript-2.html`, …
fn page_name(n: u64) -> String {
    if n <= 1 { "transcript.html".into() } else { format!("transcript-{n}.html") }
}

#[derive(Serialize)]
struct HeaderCtx<'a> {
    title: &'a str,
    kind_label: &'a str,
    participants: &'a [String],
    messages: u64,
    tz: &'a str,
    exported_at: String,
    short_key: &'a str,
    page: u64,
    pages: u64,
    prev: Option<String>,
    next: Option<String>,
    tool_version: &'a str,
    server: String,
    box_id: &'a str,
    written: u64,
}

/// Writes a conversation's files; false when it has no records at all (nothing written).
async fn render_conv(
    ctx: &Context<'_>,
    conv: &mut Conv,
    summary: &mut Summary,
    mut csv: Option<&mut csv::Writer<BufWriter<File>>>,
) -> Result<bool, ExportError> {
    let opts = ctx.opts;
    let dir = conv.dir.clone();
    let fresh = dir.join(RECORDS_PART);
    let old = dir.join(RECORDS);
    let (kept, old_ids) = if opts.update && old.is_file() { keep_old(ctx, &dir, &fresh).await? } else { (None, None) };
    if !fresh.is_file() && kept.is_none() {
        return Ok(false);
    }
    let total_messages = count_messages(&fresh)? + kept.as_ref().map_or(Ok(0), |k| count_messages(k))?;
    let pages = match opts.split {
        Some(n) if n > 0 => total_messages.div_ceil(n).max(1),
        _ => 1,
    };
    let title = conv_title(conv);
    let participants: Vec<String> = conv.entry.peers.clone();
    let kind_label = label_of(conv.kind);
    let server = ctx.source.server();
    let header = |page: u64, written: u64| HeaderCtx {
        title: &title,
        kind_label,
        participants: &participants,
        messages: total_messages,
        tz: &opts.tz_name,
        exported_at: super::manifest::rfc3339(opts.now, &opts.tz),
        short_key: &conv.entry.id,
        page,
        pages,
        prev: (page > 1).then(|| page_name(page - 1)),
        next: (page < pages).then(|| page_name(page + 1)),
        tool_version: &opts.tool_version,
        server: server.clone(),
        box_id: ctx.source.box_id(),
        written,
    };
    let mut jsonl_out = create_tmp(&dir, RECORDS)?;
    let mut txt = if opts.formats.txt { Some(create_tmp(&dir, "transcript.txt")?) } else { None };
    let mut mail = Mailboxes::open(opts, &dir, conv.kind)?;
    let mut page: Option<Page> = None;
    let mut last_day: Option<String> = None;
    let mut members: Option<BTreeSet<String>> = None;
    let own = address::normalise(ctx.source.box_id());
    let mut entry = conv.entry.clone();
    entry.objects = 0;
    entry.messages = 0;
    entry.attachments = 0;
    entry.deleted = 0;
    entry.by_kind.clear();
    let mut messages_seen = 0u64;
    // With pages, a report can come after its message's page is closed: read the reports first
    // (one more streaming pass) and mark each message on its own page. On one page each report
    // is written as it comes, so nothing is held.
    let early = if pages > 1 { Some(receipts_of(&fresh, kept.as_deref())?) } else { None };
    let mut merged = Merge::open(&fresh, kept.as_deref())?;
    while let Some(r) = merged.next_record()? {
        entry.objects += 1;
        let context = r.context.clone().unwrap_or_default();
        *entry.by_kind.entry(context.clone()).or_default() += 1;
        if r.deleted {
            entry.deleted += 1;
        }
        if let Some(old_ids) = &old_ids
            && !r.deleted
            && !old_ids.contains(&r.id)
        {
            summary.added += 1;
        }
        jsonl::write_record(&mut jsonl_out.0, &r).map_err(io_err("writing messages.jsonl"))?;
        mail.write(&dir, &r)?;
        summary.objects += 1;
        let zoned =
            r.date.as_deref().and_then(|d| d.trim().parse::<Timestamp>().ok()).map(|t| t.to_zoned(opts.tz.clone()));
        if context.eq_ignore_ascii_case("imdn-message") {
            if let (Some(p), Some(t), None) = (page.as_mut(), ctx.templates, &early)
                && let Some((original, status)) = receipt_of(&r)
            {
                write_receipt(t, p, &original, status)?;
            }
            continue;
        }
        if context.eq_ignore_ascii_case("group-state") {
            let now = group_members(&dir, &r, &own);
            if let (Some(before), Some(after)) = (&members, &now) {
                let joined: Vec<&String> = after.difference(before).collect();
                let left: Vec<&String> = before.difference(after).collect();
                let mut text = Vec::new();
                if !joined.is_empty() {
                    text.push(format!("joined: {}", join(&joined)));
                }
                if !left.is_empty() {
                    text.push(format!("left: {}", join(&left)));
                }
                if let (Some(p), Some(t), false) = (page.as_mut(), ctx.templates, text.is_empty()) {
                    let time = zoned.as_ref().map(|z| z.strftime("%H:%M %Z").to_string()).unwrap_or_default();
                    let html = t.render("event.html", &serde_json::json!({"time": time, "text": text.join("; ")}))?;
                    p.w.write_all(html.as_bytes()).map_err(io_err("writing transcript.html"))?;
                }
            }
            if now.is_some() {
                members = now;
            }
            continue;
        }
        if !is_message(Some(&context)) {
            continue;
        }
        entry.messages += 1;
        messages_seen += 1;
        summary.messages += 1;
        let shown = Shown::of(&r);
        entry.attachments += shown.images.len() as u64 + shown.files.len() as u64;
        let out = r.direction.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("out"));
        let sender = if out {
            "Me".to_string()
        } else {
            r.from.as_deref().map(address::normalise).filter(|s| !s.is_empty()).unwrap_or_else(|| "unknown".into())
        };
        let text = r.text.clone().unwrap_or_default();
        let time_full = zoned.as_ref().map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()).unwrap_or_default();
        let attachment_files: Vec<String> = shown.images.iter().chain(&shown.files).map(|(f, _)| f.clone()).collect();
        if let Some((w, _, _)) = txt.as_mut() {
            let time = if time_full.is_empty() { "undated".to_string() } else { time_full.clone() };
            w.write_all(txt_line(&time, &sender, &text, &attachment_files).as_bytes())
                .map_err(io_err("writing transcript.txt"))?;
        }
        if let Some(csv) = csv.as_deref_mut() {
            let excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
            let files: Vec<String> = attachment_files.iter().map(|f| format!("{}/{f}", conv.entry.folder)).collect();
            csv.write_record([
                conv.entry.folder.as_str(),
                &time_full,
                r.direction.as_deref().unwrap_or(""),
                r.from.as_deref().unwrap_or(""),
                &r.to.join(","),
                &context,
                &excerpt,
                &files.join(";"),
            ])
            .map_err(|e| ExportError::Failed(format!("writing index.csv: {e}")))?;
        }
        let Some(t) = ctx.templates else { continue };
        // A new page when the current one is full (or none is open yet).
        let per_page = opts.split.filter(|n| *n > 0).unwrap_or(u64::MAX);
        if page.as_ref().is_none_or(|p| p.written >= per_page) {
            if let Some(p) = page.take() {
                close_page(t, p, &header)?;
            }
            let number = (messages_seen - 1) / per_page.max(1) + 1;
            let (mut w, tmp, target) = create_tmp(&dir, &page_name(number))?;
            w.write_all(t.render("header.html", &header(number, 0))?.as_bytes())
                .map_err(io_err("writing transcript.html"))?;
            page = Some(Page { w, tmp, target, number, written: 0 });
            last_day = None;
        }
        let Some(p) = page.as_mut() else { continue };
        let day = zoned.as_ref().map(|z| z.strftime("%A, %Y-%m-%d").to_string());
        if day.is_some() && day != last_day {
            let html = t.render("day.html", &serde_json::json!({ "day": day }))?;
            p.w.write_all(html.as_bytes()).map_err(io_err("writing transcript.html"))?;
            last_day = day;
        }
        let m = MessageCtx {
            dom_id: dom_id(message_ref(&r).as_deref().unwrap_or(&r.id)),
            direction: if out { "out" } else { "in" },
            sender,
            show_sender: true,
            time: zoned.as_ref().map(|z| z.strftime("%H:%M %Z").to_string()).unwrap_or_default(),
            time_full,
            text,
            images: shown
                .images
                .iter()
                .map(|(f, name)| Image {
                    src: shown.thumbnail.clone().unwrap_or_else(|| f.clone()),
                    href: f.clone(),
                    name: name.clone(),
                })
                .collect(),
            files: shown
                .files
                .iter()
                .map(|(f, name)| {
                    let part = r.parts.iter().find(|p| p.file.as_deref() == Some(f.as_str()));
                    FileLink {
                        href: f.clone(),
                        name: name.clone(),
                        content_type: part.map(|p| media_type(&p.content_type)).unwrap_or_default(),
                        size: human_size(part.map_or(0, |p| p.size)),
                    }
                })
                .collect(),
            deleted: r.deleted,
        };
        p.w.write_all(t.render("message.html", &m)?.as_bytes()).map_err(io_err("writing transcript.html"))?;
        p.written += 1;
        if let (Some(early), Some(reference)) = (&early, message_ref(&r))
            && let Some(status) = early.get(&reference)
        {
            write_receipt(t, p, &reference, status)?;
        }
    }
    drop(merged);
    if let (Some(t), true) = (ctx.templates, opts.formats.html) {
        let p = match page.take() {
            Some(p) => p,
            None => {
                // A conversation of reports only still gets its page, saying so.
                let (mut w, tmp, target) = create_tmp(&dir, &page_name(1))?;
                w.write_all(t.render("header.html", &header(1, 0))?.as_bytes())
                    .map_err(io_err("writing transcript.html"))?;
                Page { w, tmp, target, number: 1, written: 0 }
            }
        };
        close_page(t, p, &header)?;
    }
    finish_file(jsonl_out.0, &jsonl_out.1, &jsonl_out.2)?;
    if !opts.formats.jsonl && !opts.update {
        // Kept only when asked for (an update needs it to merge, so it stays then).
        let _ = std::fs::remove_file(&jsonl_out.2);
    }
    if let Some((w, tmp, target)) = txt {
        finish_file(w, &tmp, &target)?;
    }
    mail.finish()?;
    for p in [fresh, dir.join(KEPT_PART)] {
        let _ = std::fs::remove_file(p);
    }
    summary.marked_deleted += entry.deleted;
    if conv.entry.key == UNSORTED_KEY {
        summary.unsorted += entry.objects;
    }
    conv.entry = entry;
    Ok(true)
}

fn join(v: &[&String]) -> String {
    v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

/// The heading of a conversation's pages: a group's subject, else its peers.
fn conv_title(conv: &Conv) -> String {
    if conv.entry.key == UNSORTED_KEY {
        return "Objects of no conversation".into();
    }
    match &conv.entry.subject {
        Some(s) => s.clone(),
        None if conv.entry.peers.is_empty() => conv.entry.key.clone(),
        None => conv.entry.peers.join(", "),
    }
}

fn close_page<'a>(t: &Templates, mut p: Page, header: &impl Fn(u64, u64) -> HeaderCtx<'a>) -> Result<(), ExportError> {
    let footer = t.render("footer.html", &header(p.number, p.written))?;
    p.w.write_all(footer.as_bytes()).map_err(io_err("writing transcript.html"))?;
    finish_file(p.w, &p.tmp, &p.target)
}

/// A DOM id for a message reference: hex digits of its hash, so it is safe in HTML and CSS.
fn dom_id(reference: &str) -> String {
    let h = hex::encode(Sha256::digest(reference.as_bytes()));
    format!("m-{}", &h[..16])
}

/// What IMDNs refer to a message by: its IMDN Message-ID (also its correlationId).
fn message_ref(r: &Record) -> Option<String> {
    r.object.attributes.first("IMDN-Message-ID").map(str::to_string).or_else(|| r.object.correlation_id.clone())
}

/// What an incoming delivery report says: the message it is about and ✓ delivered or ✓✓
/// displayed. A report may arrive long after its message, so it is written as a style rule that
/// ticks the message wherever it is on the page.
fn receipt_of(r: &Record) -> Option<(String, &'static str)> {
    let a = &r.object.attributes;
    if r.direction.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("out")) {
        return None;
    }
    let original = a.first("DispositionOriginalMessageID").or(r.object.correlation_id.as_deref())?;
    let status = match a.first("DispositionStatus").unwrap_or("").trim().to_ascii_lowercase().as_str() {
        "displayed" | "read" => "displayed",
        "delivered" => "delivered",
        _ => return None,
    };
    Some((original.to_string(), status))
}

/// Marks the message `original` refers to as delivered or displayed on the open page.
fn write_receipt(t: &Templates, p: &mut Page, original: &str, status: &str) -> Result<(), ExportError> {
    let html = t.render("receipt.html", &serde_json::json!({"dom_id": dom_id(original), "status": status}))?;
    p.w.write_all(html.as_bytes()).map_err(io_err("writing transcript.html"))
}

/// Every message's strongest report state (displayed over delivered), from the records' reports.
fn receipts_of(fresh: &Path, kept: Option<&Path>) -> Result<HashMap<String, &'static str>, ExportError> {
    let mut out: HashMap<String, &'static str> = HashMap::new();
    let mut records = Merge::open(fresh, kept)?;
    while let Some(r) = records.next_record()? {
        let is_report = r.context.as_deref().is_some_and(|c| c.eq_ignore_ascii_case("imdn-message"));
        if let Some((original, status)) = is_report.then(|| receipt_of(&r)).flatten() {
            let e = out.entry(original).or_insert(status);
            if status == "displayed" {
                *e = status;
            }
        }
    }
    Ok(out)
}

/// The members a group-state record's document lists (read from its saved part).
fn group_members(dir: &Path, r: &Record, own: &str) -> Option<BTreeSet<String>> {
    let part =
        r.parts.iter().find(|p| p.content_type.to_ascii_lowercase().contains("groupstate")).or(r.parts.first())?;
    let path = jsonl::resolve_part_file(dir, part.file.as_deref()?)?;
    if std::fs::metadata(&path).ok()?.len() > groupstate::MAX_BYTES as u64 {
        return None;
    }
    let xml = std::fs::read(path).ok()?;
    let members = groupstate::participants(&xml).ok()?;
    Some(members.iter().map(|p| address::normalise(&p.address)).filter(|a| !a.is_empty() && a != own).collect())
}

/// The parts of a message as a transcript shows them: images (with the thumbnail, when the
/// message has one), other files; text and thumbnails are not listed.
struct Shown {
    images: Vec<(String, String)>,
    files: Vec<(String, String)>,
    thumbnail: Option<String>,
}

impl Shown {
    fn of(r: &Record) -> Shown {
        let mut s = Shown { images: Vec::new(), files: Vec::new(), thumbnail: None };
        for (i, p) in r.parts.iter().enumerate() {
            let Some(file) = p.file.clone() else { continue };
            let info = r.object.payload_part.get(i);
            let icon = info
                .and_then(|x| x.content_disposition.as_deref())
                .is_some_and(|d| d.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("icon"));
            let ct = media_type(&p.content_type);
            let name = p.filename.clone().unwrap_or_else(|| file.rsplit('/').next().unwrap_or("").to_string());
            if icon {
                s.thumbnail.get_or_insert(file);
            } else if matches!(ct.as_str(), "text/plain" | "message/cpim" | "application/smil") {
                continue;
            } else if ct.starts_with("image/") {
                s.images.push((file, name));
            } else {
                s.files.push((file, name));
            }
        }
        s
    }
}

/// Messages among the records of a file.
fn count_messages(path: &Path) -> Result<u64, ExportError> {
    if !path.is_file() {
        return Ok(0);
    }
    let f = File::open(path).map_err(io_err(format!("reading {}", path.display())))?;
    let mut n = 0;
    for r in jsonl::Reader::new(BufReader::new(f)).flatten() {
        if is_message(r.context.as_deref()) {
            n += 1;
        }
    }
    Ok(n)
}

/// On `--update`: the previous run's records that stay (in their date order) in
/// [`KEPT_PART`], and the ids the previous run had. A record this run did not fetch is
/// checked on the store: gone (404) → kept and marked `deleted`; still there (outside this
/// run's selection) → kept as it was.
async fn keep_old(
    ctx: &Context<'_>,
    dir: &Path,
    fresh: &Path,
) -> Result<(Option<PathBuf>, Option<HashSet<String>>), ExportError> {
    let mut fresh_ids = HashSet::new();
    if fresh.is_file() {
        let f = File::open(fresh).map_err(io_err(format!("reading {}", fresh.display())))?;
        for r in jsonl::Reader::new(BufReader::new(f)) {
            match r {
                Ok(r) => {
                    fresh_ids.insert(r.id);
                }
                Err(e) => return Err(ExportError::Failed(format!("{}: {e}", fresh.display()))),
            }
        }
    }
    let old = dir.join(RECORDS);
    let f = File::open(&old).map_err(io_err(format!("reading {}", old.display())))?;
    let kept_path = dir.join(KEPT_PART);
    let mut kept =
        BufWriter::new(File::create(&kept_path).map_err(io_err(format!("creating {}", kept_path.display())))?);
    let mut old_ids = HashSet::new();
    for r in jsonl::Reader::new(BufReader::new(f)) {
        let mut r = match r {
            Ok(r) => r,
            Err(e) => {
                // A damaged line is reported, never silently dropped or rewritten as something else.
                ctx.reporter.note(&format!("{}: {e}", old.display()));
                continue;
            }
        };
        old_ids.insert(r.id.clone());
        if fresh_ids.contains(&r.id) {
            continue;
        }
        if !r.deleted && !r.id.is_empty() {
            match ctx.source.exists(&r.id).await {
                Ok(true) => {}
                Ok(false) => r.deleted = true,
                Err(e) => ctx.reporter.note(&format!("object {}: {e}; kept as it was", r.id)),
            }
        }
        jsonl::write_record(&mut kept, &r).map_err(io_err(format!("writing {}", kept_path.display())))?;
    }
    kept.flush().map_err(io_err(format!("writing {}", kept_path.display())))?;
    Ok((Some(kept_path), Some(old_ids)))
}

/// Two date-ordered record files read as one, in date order (the fresh one first on ties).
struct Merge {
    a: Option<jsonl::Reader<BufReader<File>>>,
    b: Option<jsonl::Reader<BufReader<File>>>,
    next_a: Option<Record>,
    next_b: Option<Record>,
}

impl Merge {
    fn open(a: &Path, b: Option<&Path>) -> Result<Merge, ExportError> {
        let open = |p: &Path| -> Result<Option<jsonl::Reader<BufReader<File>>>, ExportError> {
            if !p.is_file() {
                return Ok(None);
            }
            let f = File::open(p).map_err(io_err(format!("reading {}", p.display())))?;
            Ok(Some(jsonl::Reader::new(BufReader::new(f))))
        };
        let mut m = Merge { a: open(a)?, b: b.map(open).transpose()?.flatten(), next_a: None, next_b: None };
        m.next_a = pull(&mut m.a)?;
        m.next_b = pull(&mut m.b)?;
        Ok(m)
    }

    fn next_record(&mut self) -> Result<Option<Record>, ExportError> {
        let take_a = match (&self.next_a, &self.next_b) {
            (None, None) => return Ok(None),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(b)) => date_of(a) <= date_of(b),
        };
        if take_a {
            let r = self.next_a.take();
            self.next_a = pull(&mut self.a)?;
            Ok(r)
        } else {
            let r = self.next_b.take();
            self.next_b = pull(&mut self.b)?;
            Ok(r)
        }
    }
}

fn pull(r: &mut Option<jsonl::Reader<BufReader<File>>>) -> Result<Option<Record>, ExportError> {
    let Some(reader) = r.as_mut() else { return Ok(None) };
    match reader.next() {
        None => Ok(None),
        Some(Ok(rec)) => Ok(Some(rec)),
        // These files were written by this run; a bad line means the disk is failing.
        Some(Err(e)) => Err(ExportError::Failed(format!("reading records back: {e}"))),
    }
}

fn date_of(r: &Record) -> Option<Timestamp> {
    r.date.as_deref().and_then(|d| d.trim().parse().ok())
}
