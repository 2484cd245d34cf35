//! Objects, attributes, flags, payload parts, object lists and references (TS 5.3.2.1–14).

use serde::{Deserialize, Serialize};

use super::lenient;

/// One attribute: a name (case-insensitive) and its values (always an array on output).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::string_or_seq")]
    pub value: Vec<String>,
}

impl Attribute {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Attribute { name: name.into(), value: vec![value.into()] }
    }
}

/// `AttributeList { attribute[] }` with case-insensitive lookups.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub attribute: Vec<Attribute>,
}

impl AttributeList {
    /// All values of the attribute `name` (case-insensitive), empty when absent.
    pub fn values(&self, name: &str) -> &[String] {
        self.attribute.iter().find(|a| a.name.eq_ignore_ascii_case(name)).map(|a| a.value.as_slice()).unwrap_or(&[])
    }

    /// The first value of the attribute `name`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.values(name).first().map(String::as_str)
    }

    /// Sets (replaces) the attribute `name`.
    pub fn set(&mut self, name: &str, values: Vec<String>) {
        match self.attribute.iter_mut().find(|a| a.name.eq_ignore_ascii_case(name)) {
            Some(a) => a.value = values,
            None => self.attribute.push(Attribute { name: name.to_string(), value: values }),
        }
    }

    /// Adds one value to the attribute `name`, creating it when absent.
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        match self.attribute.iter_mut().find(|a| a.name.eq_ignore_ascii_case(name)) {
            Some(a) => a.value.push(value.into()),
            None => self.attribute.push(Attribute::new(name, value)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.attribute.is_empty()
    }
}

/// `FlagList { flag[], resourceURL }`; flag names are case-insensitive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagList {
    #[serde(default, deserialize_with = "lenient::string_or_seq")]
    pub flag: Vec<String>,
    #[serde(rename = "resourceURL", default, skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
}

impl FlagList {
    pub fn new(flags: impl IntoIterator<Item = impl Into<String>>) -> Self {
        FlagList { flag: flags.into_iter().map(Into::into).collect(), resource_url: None }
    }

    pub fn contains(&self, flag: &str) -> bool {
        self.flag.iter().any(|f| f.eq_ignore_ascii_case(flag))
    }
}

/// `PayloadPartInfo`: one first-level part of an object's payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayloadPartInfo {
    #[serde(default)]
    pub content_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_location: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    #[serde(default)]
    pub href: String,
    /// Samsung extra: `attachment; filename="x"` or `icon`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_disposition: Option<String>,
    /// Samsung extra: `base64` and the like.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
}

/// `Object` (TS 5.3.2.1): metadata of one stored message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Object {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder_path: Option<String>,
    #[serde(default)]
    pub attributes: AttributeList,
    #[serde(default)]
    pub flags: FlagList,
    #[serde(rename = "resourceURL", default, skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(rename = "payloadURL", default, skip_serializing_if = "Option::is_none")]
    pub payload_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::one_or_many", skip_serializing_if = "Vec::is_empty")]
    pub payload_part: Vec<PayloadPartInfo>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub last_mod_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_tag: Option<String>,
}

/// `ObjectList { object[], cursor?, creationCursor? }`: a search answer page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub object: Vec<Object>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_cursor: Option<String>,
}

/// `Reference { resourceURL, path? }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "resourceURL", default)]
    pub resource_url: String,
    /// Folder names from the root joined by `/`; the root folder's path is empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl Reference {
    pub fn new(url: impl Into<String>) -> Self {
        Reference { resource_url: url.into(), path: None }
    }
}

/// `ObjectReferenceList { objectReference[] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectReferenceList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub object_reference: Vec<Reference>,
}

/// `FolderReferenceList { folderReference[] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FolderReferenceList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub folder_reference: Vec<Reference>,
}

/// `ReferenceList { folders, objects }` (no root element of its own).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceList {
    #[serde(default)]
    pub folders: FolderReferenceList,
    #[serde(default)]
    pub objects: ObjectReferenceList,
}

/// `TargetSourceRef { targetRef, sourceRefs }` for copyToFolder / moveToFolder.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetSourceRef {
    #[serde(default)]
    pub target_ref: Reference,
    #[serde(default)]
    pub source_refs: ReferenceList,
}

/// `PathList { path[] }` for the POST form of pathToId.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathList {
    #[serde(default, deserialize_with = "lenient::string_or_seq")]
    pub path: Vec<String>,
}

/// `Empty`: the dummy body `{"empty": null}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Empty {}

impl Serialize for Empty {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_none()
    }
}
