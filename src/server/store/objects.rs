//! Object rows and their payload parts: insert, read, flag changes, move, copy, delete.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::Write;

use rusqlite::blob::ZeroBlob;
use rusqlite::{Connection, MAIN_DB, OptionalExtension, Row, params};

use super::changes::{self, Change, ChangeKind, ResourceKind};
use super::{Tx, new_id, now_string};
use crate::server::error::{ApiError, ApiResult};
use crate::wire::multipart::Part;
use crate::wire::{Attribute, AttributeList, names};

/// A stored object without its payload bodies.
#[derive(Debug, Clone)]
pub struct ObjectRow {
    pub id: String,
    pub folder_id: String,
    pub date_ns: i64,
    pub attributes: AttributeList,
    pub flags: Vec<String>,
    pub correlation_id: Option<String>,
    pub correlation_tag: Option<String>,
    pub search_text: String,
    pub size: u64,
    pub last_mod_seq: u64,
}

/// Metadata of one payload part.
#[derive(Debug, Clone)]
pub struct PartInfo {
    pub part_id: String,
    pub headers: Vec<(String, String)>,
    pub size: u64,
}

impl PartInfo {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What a create stores.
#[derive(Debug, Clone, Default)]
pub struct NewObject {
    pub folder_id: String,
    pub attributes: AttributeList,
    pub flags: Vec<String>,
    pub correlation_id: Option<String>,
    pub correlation_tag: Option<String>,
    pub parts: Vec<Part>,
}

pub const COLUMNS: &str =
    "id, folder_id, date_ns, attributes, flags, correlation_id, correlation_tag, search_text, size, last_mod_seq";

/// Maps a row selected with [`COLUMNS`].
pub fn from_row(r: &Row<'_>) -> rusqlite::Result<ObjectRow> {
    let attrs: String = r.get(3)?;
    let flags: String = r.get(4)?;
    Ok(ObjectRow {
        id: r.get(0)?,
        folder_id: r.get(1)?,
        date_ns: r.get(2)?,
        attributes: serde_json::from_str(&attrs).unwrap_or_default(),
        flags: serde_json::from_str(&flags).unwrap_or_default(),
        correlation_id: r.get(5)?,
        correlation_tag: r.get(6)?,
        search_text: r.get(7)?,
        size: r.get::<_, i64>(8)? as u64,
        last_mod_seq: r.get::<_, i64>(9)? as u64,
    })
}

/// Canonical attribute names, in the order given; values of repeated names are merged.
/// Linear in the number of attributes: names are found through an index keyed by the
/// ASCII-lower-cased name (the case-insensitivity the names have everywhere), not by a scan
/// of what was merged so far.
pub fn canonical_attributes(attrs: &AttributeList) -> AttributeList {
    let mut out = AttributeList::default();
    let mut index: HashMap<String, usize> = HashMap::with_capacity(attrs.attribute.len());
    for a in &attrs.attribute {
        let name = names::canonical_attribute(a.name.trim());
        if name.is_empty() {
            continue;
        }
        match index.entry(name.to_ascii_lowercase()) {
            Entry::Occupied(at) => {
                if let Some(merged) = out.attribute.get_mut(*at.get()) {
                    merged.value.extend(a.value.iter().cloned());
                }
            }
            Entry::Vacant(slot) => {
                slot.insert(out.attribute.len());
                out.attribute.push(Attribute { name, value: a.value.clone() });
            }
        }
    }
    out
}

/// Canonical flag names without duplicates (flag names are case-insensitive).
pub fn canonical_flags(flags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for f in flags {
        let f = names::canonical_flag(f.trim());
        if !f.is_empty() && !out.iter().any(|o| o.eq_ignore_ascii_case(&f)) {
            out.push(f);
        }
    }
    out
}

/// Parses a stored-date value (RFC 3339; a missing offset is taken as UTC) to nanoseconds;
/// None for a value that is not a date or lies outside what nanoseconds in an i64 can hold.
pub fn parse_date(s: &str) -> Option<i64> {
    parse_date_checked(s).ok().flatten()
}

/// [`parse_date`] telling the two failures apart: `Ok(None)` for a value that is not a date,
/// `Err` for a date outside 1677-09-21…2262-04-11 (the i64 nanosecond range), which would
/// otherwise wrap around and sort among the wrong objects.
pub fn parse_date_checked(s: &str) -> Result<Option<i64>, String> {
    let s = s.trim();
    let ts = if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        ts
    } else if let Ok(dt) = s.parse::<jiff::civil::DateTime>() {
        match dt.to_zoned(jiff::tz::TimeZone::UTC) {
            Ok(z) => z.timestamp(),
            Err(_) => return Ok(None),
        }
    } else if let Ok(d) = s.parse::<jiff::civil::Date>() {
        match d.to_zoned(jiff::tz::TimeZone::UTC) {
            Ok(z) => z.timestamp(),
            Err(_) => return Ok(None),
        }
    } else if s.get(..5).is_some_and(|y| y.ends_with('-') && y[..4].bytes().all(|b| b.is_ascii_digit()))
        && !(1677..=2262).contains(&s[..4].parse::<u32>().unwrap_or(0))
    {
        // Dates the parser cannot even hold (year 9999 near its edge) are as far out of range.
        return Err(format!("date {s:?} is outside the supported range 1677-09-21 to 2262-04-11"));
    } else {
        return Ok(None);
    };
    i64::try_from(ts.as_nanosecond())
        .map(Some)
        .map_err(|_| format!("date {s:?} is outside the supported range 1677-09-21 to 2262-04-11"))
}

fn search_text(attrs: &AttributeList, parts: &[Part]) -> String {
    let mut text = String::new();
    for a in &attrs.attribute {
        for v in &a.value {
            text.push_str(&v.to_lowercase());
            text.push('\n');
        }
    }
    for p in parts {
        if p.media_type().starts_with("text/") {
            let body = &p.body[..p.body.len().min(64 * 1024)];
            text.push_str(&String::from_utf8_lossy(body).to_lowercase());
            text.push('\n');
        }
    }
    text
}

/// A form-data disposition says nothing about the payload; keep only its filename.
fn normalise_part(mut p: Part) -> Part {
    if let Some(d) = p.header("content-disposition").map(str::to_string)
        && d.trim_start().to_ascii_lowercase().starts_with("form-data")
    {
        p.headers.retain(|(n, _)| n != "content-disposition");
        if let Some(f) = crate::wire::multipart::param(&d, "filename") {
            p.headers.push(("content-disposition".into(), crate::wire::multipart::disposition("attachment", &f)));
        }
    }
    p.headers.retain(|(n, _)| n != "content-length");
    p
}

/// An id unused by any live or deleted object or folder of the box.
pub fn unique_id(c: &Connection, box_id: &str) -> ApiResult<String> {
    loop {
        let id = new_id();
        let taken: bool = c.query_row(
            "SELECT EXISTS(SELECT 1 FROM objects WHERE box=?1 AND id=?2)
                 OR EXISTS(SELECT 1 FROM folders WHERE box=?1 AND id=?2)
                 OR EXISTS(SELECT 1 FROM tombstones WHERE box=?1 AND id=?2)",
            params![box_id, id],
            |r| r.get(0),
        )?;
        if !taken {
            return Ok(id);
        }
    }
}

fn object_change(box_id: &str, seq: u64, kind: ChangeKind, row: &ObjectRow) -> Change {
    Change {
        box_id: box_id.to_string(),
        seq,
        kind,
        resource: ResourceKind::Object,
        id: row.id.clone(),
        parent_id: Some(row.folder_id.clone()),
        flags: row.flags.clone(),
        name: None,
        correlation_id: row.correlation_id.clone(),
        correlation_tag: row.correlation_tag.clone(),
        attributes: (kind == ChangeKind::Deleted).then(|| row.attributes.clone()),
        at: now_string(),
    }
}

/// Stores a new object with its parts; returns its id and lastModSeq.
pub fn insert(t: &mut Tx<'_>, new: NewObject) -> ApiResult<ObjectRow> {
    let mut attributes = canonical_attributes(&new.attributes);
    let given = attributes.first(names::DATE).map(parse_date_checked).transpose();
    let given = given.map_err(|e| ApiError::invalid_because(names::DATE, e))?.flatten();
    let date_ns = match given {
        Some(d) => d,
        None => {
            // The spec sorts on the date the store records: undated (or unparseable) objects
            // get the arrival time; a Date the client gave is kept as given.
            let now = jiff::Timestamp::now();
            if attributes.values(names::DATE).is_empty() {
                attributes.set(names::DATE, vec![now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()]);
            }
            now.as_nanosecond() as i64
        }
    };
    let flags = canonical_flags(&new.flags);
    let parts: Vec<Part> = new.parts.into_iter().map(normalise_part).collect();
    let size: u64 = parts.iter().map(|p| p.body.len() as u64).sum();
    let text = search_text(&attributes, &parts);
    let id = unique_id(&t.tx, &t.box_id)?;
    let seq = t.next_seq()?;
    let row = ObjectRow {
        id,
        folder_id: new.folder_id,
        date_ns,
        attributes,
        flags,
        correlation_id: new.correlation_id.filter(|s| !s.is_empty()),
        correlation_tag: new.correlation_tag.filter(|s| !s.is_empty()),
        search_text: text,
        size,
        last_mod_seq: seq,
    };
    t.tx.execute(
        &format!("INSERT INTO objects (box, {COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
        params![
            t.box_id,
            row.id,
            row.folder_id,
            row.date_ns,
            serde_json::to_string(&row.attributes).unwrap_or_default(),
            serde_json::to_string(&row.flags).unwrap_or_default(),
            row.correlation_id,
            row.correlation_tag,
            row.search_text,
            row.size as i64,
            seq as i64
        ],
    )?;
    insert_parts(&t.tx, &t.box_id, &row.id, &parts)?;
    changes::append(&t.tx, &t.box_id.clone(), &object_change(&t.box_id, seq, ChangeKind::Created, &row))?;
    Ok(row)
}

fn insert_parts(c: &Connection, box_id: &str, id: &str, parts: &[Part]) -> ApiResult<()> {
    let mut st = c.prepare_cached(
        "INSERT INTO parts (box, object_id, idx, part_id, headers, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, p) in parts.iter().enumerate() {
        let headers = serde_json::to_string(&p.headers).unwrap_or_else(|_| "[]".into());
        // A zero-filled blob, then the bytes written into it: binding the body would make
        // SQLite copy it twice (the bound value and the record) and hold a large upload 3 times.
        let len = i32::try_from(p.body.len()).map_err(|_| ApiError::internal("payload part too large"))?;
        st.execute(params![box_id, id, i as i64, format!("part{}", i + 1), headers, ZeroBlob(len)])?;
        let mut blob = c.blob_open(MAIN_DB, c"parts", c"body", c.last_insert_rowid(), false)?;
        blob.write_all(&p.body).map_err(|e| ApiError::internal(format!("storage: {e}")))?;
    }
    Ok(())
}

/// One object, when it exists.
pub fn get(c: &Connection, box_id: &str, id: &str) -> ApiResult<Option<ObjectRow>> {
    let mut st = c.prepare_cached(&format!("SELECT {COLUMNS} FROM objects WHERE box = ?1 AND id = ?2"))?;
    Ok(st.query_row(params![box_id, id], from_row).optional()?)
}

/// One object or 404 SVC0004.
pub fn require(c: &Connection, box_id: &str, id: &str) -> ApiResult<ObjectRow> {
    get(c, box_id, id)?.ok_or_else(|| ApiError::not_found(format!("object {id}")))
}

/// Part metadata of an object, in order.
pub fn part_infos(c: &Connection, box_id: &str, id: &str) -> ApiResult<Vec<PartInfo>> {
    let mut st = c.prepare_cached(
        "SELECT part_id, headers, length(body) FROM parts WHERE box = ?1 AND object_id = ?2 ORDER BY idx",
    )?;
    let rows = st.query_map(params![box_id, id], |r| {
        let headers: String = r.get(1)?;
        Ok(PartInfo {
            part_id: r.get(0)?,
            headers: serde_json::from_str(&headers).unwrap_or_default(),
            size: r.get::<_, i64>(2)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// All parts of an object with their bodies, in order.
pub fn parts(c: &Connection, box_id: &str, id: &str) -> ApiResult<Vec<Part>> {
    let mut st = c.prepare_cached("SELECT headers, body FROM parts WHERE box = ?1 AND object_id = ?2 ORDER BY idx")?;
    let rows = st.query_map(params![box_id, id], |r| {
        let headers: String = r.get(0)?;
        Ok(Part { headers: serde_json::from_str(&headers).unwrap_or_default(), body: r.get(1)? })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// One part by its id.
pub fn part(c: &Connection, box_id: &str, id: &str, part_id: &str) -> ApiResult<Option<Part>> {
    let mut st =
        c.prepare_cached("SELECT headers, body FROM parts WHERE box = ?1 AND object_id = ?2 AND part_id = ?3")?;
    Ok(st
        .query_row(params![box_id, id, part_id], |r| {
            let headers: String = r.get(0)?;
            Ok(Part { headers: serde_json::from_str(&headers).unwrap_or_default(), body: r.get(1)? })
        })
        .optional()?)
}

/// One payload part, when its body is at most `max` bytes: `Ok(Some(None))` when it is bigger
/// (the body is not read: SQLite knows a blob's length from its record header), `Ok(None)` when
/// there is no such part.
pub fn part_up_to(
    c: &Connection,
    box_id: &str,
    id: &str,
    part_id: &str,
    max: usize,
) -> ApiResult<Option<Option<Part>>> {
    let mut st = c.prepare_cached(
        "SELECT headers, CASE WHEN length(body) <= ?4 THEN body END FROM parts \
         WHERE box = ?1 AND object_id = ?2 AND part_id = ?3",
    )?;
    Ok(st
        .query_row(params![box_id, id, part_id, max as i64], |r| {
            let headers: String = r.get(0)?;
            let body: Option<Vec<u8>> = r.get(1)?;
            Ok(body.map(|body| Part { headers: serde_json::from_str(&headers).unwrap_or_default(), body }))
        })
        .optional()?)
}

/// Replaces the flag set; returns the row after the change and whether anything changed
/// (a no-op keeps the lastModSeq, as the spec asks).
pub fn set_flags(t: &mut Tx<'_>, id: &str, flags: &[String]) -> ApiResult<(ObjectRow, bool)> {
    let mut row = require(&t.tx, &t.box_id, id)?;
    let flags = canonical_flags(flags);
    let same =
        flags.len() == row.flags.len() && flags.iter().all(|f| row.flags.iter().any(|o| o.eq_ignore_ascii_case(f)));
    if same {
        return Ok((row, false));
    }
    let seq = t.next_seq()?;
    row.flags = flags;
    row.last_mod_seq = seq;
    t.tx.execute(
        "UPDATE objects SET flags = ?3, last_mod_seq = ?4 WHERE box = ?1 AND id = ?2",
        params![t.box_id, id, serde_json::to_string(&row.flags).unwrap_or_default(), seq as i64],
    )?;
    changes::append(&t.tx, &t.box_id.clone(), &object_change(&t.box_id, seq, ChangeKind::Changed, &row))?;
    Ok((row, true))
}

/// Adds (`add`) or removes one flag; returns whether the set changed.
pub fn change_flag(t: &mut Tx<'_>, id: &str, flag: &str, add: bool) -> ApiResult<bool> {
    let row = require(&t.tx, &t.box_id, id)?;
    let flag = names::canonical_flag(flag);
    let present = row.flags.iter().any(|f| f.eq_ignore_ascii_case(&flag));
    let mut flags = row.flags.clone();
    match (add, present) {
        (true, false) => flags.push(flag),
        (false, true) => flags.retain(|f| !f.eq_ignore_ascii_case(&flag)),
        _ => return Ok(false),
    }
    set_flags(t, id, &flags).map(|(_, changed)| changed)
}

/// Deletes an object (tombstone + change-log entry); false when it did not exist.
pub fn delete(t: &mut Tx<'_>, id: &str) -> ApiResult<bool> {
    let Some(row) = get(&t.tx, &t.box_id, id)? else { return Ok(false) };
    let seq = t.next_seq()?;
    t.tx.execute("DELETE FROM objects WHERE box = ?1 AND id = ?2", params![t.box_id, id])?;
    t.tx.execute("DELETE FROM parts WHERE box = ?1 AND object_id = ?2", params![t.box_id, id])?;
    t.tx.execute(
        "INSERT OR REPLACE INTO tombstones (box, id, resource, last_mod_seq) VALUES (?1, ?2, 'object', ?3)",
        params![t.box_id, id, seq as i64],
    )?;
    changes::append(&t.tx, &t.box_id.clone(), &object_change(&t.box_id, seq, ChangeKind::Deleted, &row))?;
    Ok(true)
}

/// Moves an object to another folder (a no-op when it is already there).
pub fn move_to(t: &mut Tx<'_>, id: &str, folder_id: &str) -> ApiResult<ObjectRow> {
    let mut row = require(&t.tx, &t.box_id, id)?;
    if row.folder_id == folder_id {
        return Ok(row);
    }
    let seq = t.next_seq()?;
    row.folder_id = folder_id.to_string();
    row.last_mod_seq = seq;
    t.tx.execute(
        "UPDATE objects SET folder_id = ?3, last_mod_seq = ?4 WHERE box = ?1 AND id = ?2",
        params![t.box_id, id, folder_id, seq as i64],
    )?;
    changes::append(&t.tx, &t.box_id.clone(), &object_change(&t.box_id, seq, ChangeKind::Moved, &row))?;
    Ok(row)
}

/// Copies an object (attributes, flags, correlation ids and parts) into a folder under a new id.
pub fn copy_to(t: &mut Tx<'_>, id: &str, folder_id: &str) -> ApiResult<ObjectRow> {
    let row = require(&t.tx, &t.box_id, id)?;
    let parts = parts(&t.tx, &t.box_id, id)?;
    insert(
        t,
        NewObject {
            folder_id: folder_id.to_string(),
            attributes: row.attributes,
            flags: row.flags,
            correlation_id: row.correlation_id,
            correlation_tag: row.correlation_tag,
            parts,
        },
    )
}

/// Ids of the objects directly in a folder (`+id`: see [`super::folders::BY_ID`]).
pub fn ids_in_folder(c: &Connection, box_id: &str, folder_id: &str) -> ApiResult<Vec<String>> {
    let mut st = c.prepare_cached("SELECT id FROM objects WHERE box = ?1 AND folder_id = ?2 ORDER BY +id")?;
    let rows = st.query_map(params![box_id, folder_id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
