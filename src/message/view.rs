//! The stable record shapes of objects, folders and parts, as every output and every
//! engine sees them (JSON/NDJSON output, exports, the mirror index). Every record carries
//! `id` and `kind`. Their table and plain row forms belong to the CLI.

use serde::Serialize;
use serde::ser::SerializeMap;

use crate::nms::items::id_of;
pub use crate::nms::items::{display_path, join_path};
use crate::wire::{self, Folder, Object, PayloadPartInfo, Reference, names};

/// Attributes in server order, serialised as a JSON object `{name: [values]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attrs(pub Vec<(String, Vec<String>)>);

impl Serialize for Attrs {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl From<&wire::AttributeList> for Attrs {
    fn from(list: &wire::AttributeList) -> Self {
        Attrs(list.attribute.iter().map(|a| (names::canonical_attribute(&a.name), a.value.clone())).collect())
    }
}

impl From<wire::AttributeList> for Attrs {
    fn from(list: wire::AttributeList) -> Self {
        Attrs(list.attribute.into_iter().map(|a| (names::canonical_attribute_owned(a.name), a.value)).collect())
    }
}

/// One payload part of an object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartView {
    /// The part id usable with `get --part`: the last segment of its URL, else its 1-based index.
    pub id: String,
    pub index: usize,
    pub content_type: String,
    pub size: Option<u64>,
    pub filename: Option<String>,
    pub content_id: Option<String>,
    pub url: String,
}

impl PartView {
    pub fn new(index: usize, p: &PayloadPartInfo) -> Self {
        Self::from_part(index, p.clone())
    }

    /// [`PartView::new`] taking the part, so its strings move instead of being copied.
    pub fn from_part(index: usize, p: PayloadPartInfo) -> Self {
        let id = if p.href.is_empty() { index.to_string() } else { id_of(&p.href) };
        let filename = part_filename(&p);
        PartView {
            id,
            index,
            content_type: p.content_type,
            size: p.size,
            filename,
            content_id: p.content_id,
            url: p.href,
        }
    }
}

/// The file name a part announces: Content-Disposition `filename`, else Content-Location.
pub fn part_filename(p: &PayloadPartInfo) -> Option<String> {
    p.content_disposition
        .as_deref()
        .and_then(|d| wire::multipart::param(d, "filename"))
        .or_else(|| p.content_location.clone())
        .filter(|n| !n.trim().is_empty())
}

/// An object record (the same shape from `ls`, `search` and `get`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectView {
    pub id: String,
    pub kind: &'static str,
    pub path: Option<String>,
    pub folder: Option<String>,
    pub date: Option<String>,
    pub direction: Option<String>,
    pub from: Option<String>,
    pub to: Vec<String>,
    pub context: Option<String>,
    pub conversation: Option<String>,
    pub contribution: Option<String>,
    pub subject: Option<String>,
    pub text: Option<String>,
    pub flags: Vec<String>,
    pub size: Option<u64>,
    pub correlation_id: Option<String>,
    pub correlation_tag: Option<String>,
    pub last_mod_seq: Option<u64>,
    pub parts: Vec<PartView>,
    pub attributes: Attrs,
    pub url: Option<String>,
}

impl ObjectView {
    pub fn new(o: &Object) -> Self {
        Self::from_object(o.clone())
    }

    /// [`ObjectView::new`] taking the object, so its strings move into the view instead of
    /// being copied (a bulk `get` or listing makes one view per object it reads).
    pub fn from_object(o: Object) -> Self {
        let a = &o.attributes;
        let first = |n: &str| a.first(n).map(str::to_string);
        let (date, direction, from, context) =
            (first(names::DATE), first(names::DIRECTION), first(names::FROM), first(names::MESSAGE_CONTEXT));
        let (conversation, contribution, subject, text) = (
            first(names::CONVERSATION_ID),
            first(names::CONTRIBUTION_ID),
            first(names::SUBJECT),
            first(names::TEXT_CONTENT),
        );
        let to = a.values(names::TO).to_vec();
        let parts: Vec<PartView> =
            o.payload_part.into_iter().enumerate().map(|(i, p)| PartView::from_part(i + 1, p)).collect();
        let size = if parts.is_empty() || parts.iter().any(|p| p.size.is_none()) {
            None
        } else {
            Some(parts.iter().filter_map(|p| p.size).sum())
        };
        ObjectView {
            id: o.resource_url.as_deref().map(id_of).unwrap_or_default(),
            kind: "object",
            path: o.path,
            folder: o.parent_folder.as_deref().map(id_of),
            date,
            direction,
            from,
            to,
            context,
            conversation,
            contribution,
            subject,
            text,
            flags: o.flags.flag.into_iter().map(names::canonical_flag_owned).collect(),
            size,
            correlation_id: o.correlation_id,
            correlation_tag: o.correlation_tag,
            last_mod_seq: o.last_mod_seq,
            parts,
            attributes: Attrs::from(o.attributes),
            url: o.resource_url,
        }
    }

    /// What a listing shows: the message's own text, else its subject, else the first part's
    /// file name. Text comes first because a group chat's messages all carry the group's
    /// Subject; showing it would hide what each message says.
    pub fn preview(&self) -> String {
        self.text
            .clone()
            .or_else(|| self.subject.clone())
            .or_else(|| self.parts.iter().find_map(|p| p.filename.clone()))
            .unwrap_or_default()
    }
}

/// A folder record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderView {
    pub id: String,
    pub kind: &'static str,
    pub path: Option<String>,
    pub name: String,
    pub parent_folder: Option<String>,
    pub last_mod_seq: Option<u64>,
    pub attributes: Attrs,
    pub url: Option<String>,
    /// The conversation the folder holds, when a listing summarised it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation: Option<super::folders::FolderSummary>,
}

impl FolderView {
    pub fn new(f: &Folder) -> Self {
        let name = f
            .name
            .clone()
            .or_else(|| f.attributes.first("Name").map(str::to_string))
            .or_else(|| f.path.as_deref().map(last_segment))
            .unwrap_or_default();
        FolderView {
            id: f.resource_url.as_deref().map(id_of).unwrap_or_default(),
            kind: "folder",
            path: f.path.as_deref().map(display_path),
            name,
            parent_folder: f.parent_folder.as_deref().map(id_of),
            last_mod_seq: f.last_mod_seq,
            attributes: Attrs::from(&f.attributes),
            url: f.resource_url.clone(),
            conversation: None,
        }
    }

    /// A sub-folder known only by its reference (folder listings carry just URL and path).
    pub fn from_reference(r: &Reference, parent_path: Option<&str>, parent_id: Option<&str>) -> Self {
        let id = id_of(&r.resource_url);
        let path = match (&r.path, parent_path) {
            (Some(p), _) => Some(display_path(p)),
            (None, Some(pp)) => Some(join_path(pp, &id)),
            (None, None) => None,
        };
        let name = path.as_deref().map(last_segment).unwrap_or_else(|| id.clone());
        FolderView {
            id,
            kind: "folder",
            path,
            name,
            parent_folder: parent_id.map(str::to_string),
            last_mod_seq: None,
            attributes: Attrs::default(),
            url: Some(r.resource_url.clone()),
            conversation: None,
        }
    }
}

fn last_segment(p: &str) -> String {
    p.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
}

/// The part `want` names: its id, its Content-ID (with or without `<>`), its 1-based
/// index, or its file name, tried in that order.
pub fn find_part<'a>(parts: &'a [PartView], want: &str) -> Option<&'a PartView> {
    let w = want.trim().trim_start_matches('<').trim_end_matches('>');
    parts
        .iter()
        .find(|p| p.id == w)
        .or_else(|| parts.iter().find(|p| p.content_id.as_deref() == Some(w)))
        .or_else(|| w.parse::<usize>().ok().and_then(|n| parts.iter().find(|p| p.index == n)))
        .or_else(|| parts.iter().find(|p| p.filename.as_deref() == Some(w)))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An SMS object with one image part, shared with the CLI's row tests.
    pub(crate) fn object() -> Object {
        let mut o = Object {
            resource_url: Some("http://h/nms/v1/cpm/tel%3A%2B1/objects/abc".into()),
            parent_folder: Some("http://h/nms/v1/cpm/tel%3A%2B1/folders/f1".into()),
            ..Default::default()
        };
        o.attributes.push("date", "2024-05-01T10:00:00Z");
        o.attributes.push("From", "tel:+15550002222");
        o.attributes.push("To", "tel:+15550001111");
        o.attributes.push("message-context", "pager-message");
        o.attributes.push("TextContent", "hello\tthere\nfriend");
        o.flags = wire::FlagList::new(["\\seen"]);
        o.payload_part = vec![PayloadPartInfo {
            content_type: "image/jpeg".into(),
            size: Some(2048),
            href: "http://h/objects/abc/payloadParts/p1".into(),
            content_disposition: Some("attachment; filename=\"cat.jpg\"".into()),
            ..Default::default()
        }];
        o
    }

    #[test]
    fn object_view() {
        let v = ObjectView::new(&object());
        assert_eq!(v.id, "abc");
        assert_eq!(v.folder.as_deref(), Some("f1"));
        assert_eq!(v.flags, vec!["\\Seen"]);
        assert_eq!(v.size, Some(2048));
        assert_eq!(v.parts[0].id, "p1");
        assert_eq!(v.parts[0].filename.as_deref(), Some("cat.jpg"));
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(json["attributes"]["Message-Context"][0], "pager-message");
        assert_eq!(json["kind"], "object");
        assert!(json["subject"].is_null());
    }

    #[test]
    fn folder_views() {
        let r = Reference { resource_url: "http://h/folders/f9".into(), path: Some("RCSMessageStore/conv-1".into()) };
        let v = FolderView::from_reference(&r, None, Some("f1"));
        assert_eq!(v.path.as_deref(), Some("/RCSMessageStore/conv-1"));
        assert_eq!(v.name, "conv-1");
        assert_eq!(join_path("/", "a"), "/a");
        assert_eq!(join_path("/a", "b"), "/a/b");
    }

    #[test]
    fn parts_by_id_cid_index_or_name() {
        let mut o = object();
        o.payload_part[0].content_id = Some("c1@x".into());
        let v = ObjectView::new(&o);
        for want in ["p1", "<c1@x>", "1", "cat.jpg"] {
            assert_eq!(find_part(&v.parts, want).map(|p| p.id.as_str()), Some("p1"), "{want}");
        }
        assert!(find_part(&v.parts, "2").is_none());
    }
}
