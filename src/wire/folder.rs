//! Folders and folder lists (TS 5.3.2.8, App J/K).

use serde::{Deserialize, Serialize};

use super::lenient;
use super::object::{AttributeList, FolderReferenceList, ObjectReferenceList};

/// `Folder`: a node of the box's tree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Folder {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_folder_path: Option<String>,
    #[serde(default)]
    pub attributes: AttributeList,
    #[serde(rename = "resourceURL", default, skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub last_mod_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_folders: Option<FolderReferenceList>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objects: Option<ObjectReferenceList>,
}

/// `FolderList { folder[], cursor? }`: a folder search answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub folder: Vec<Folder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// The `folderName` light-weight resource: root element `name`, a bare string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FolderName(pub String);
