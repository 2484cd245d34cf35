//! NMS subscriptions and their event lists (TS 5.3.2.20–29).

use serde::{Deserialize, Serialize};

use super::lenient::{self, Present};
use super::object::FlagList;
use super::search::SearchCriteria;

/// `Link { rel, href }` (common schema).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default)]
    pub rel: String,
    #[serde(default)]
    pub href: String,
}

/// `CallbackReference { notifyURL, callbackData?, notificationFormat? }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackReference {
    #[serde(rename = "notifyURL", default)]
    pub notify_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notification_format: Option<String>,
}

/// `NmsSubscription`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NmsSubscription {
    #[serde(default)]
    pub callback_reference: CallbackReference,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<SearchCriteria>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_correlator: Option<String>,
    #[serde(rename = "resourceURL", default, skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_token: Option<String>,
}

/// `NmsSubscriptionList { subscription[], resourceURL }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NmsSubscriptionList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub subscription: Vec<NmsSubscription>,
    #[serde(rename = "resourceURL", default)]
    pub resource_url: String,
}

/// `NmsSubscriptionUpdate { duration?, restartToken? }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NmsSubscriptionUpdate {
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_token: Option<String>,
}

/// `ChangedObject`: the full current mutable state of an object (never a diff).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangedObject {
    #[serde(default)]
    pub parent_folder: String,
    #[serde(default)]
    pub flags: FlagList,
    #[serde(rename = "resourceURL", default)]
    pub resource_url: String,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub last_mod_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_tag: Option<String>,
}

/// `DeletedObject` (also the shape of `expiredObject`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedObject {
    #[serde(rename = "resourceURL", default)]
    pub resource_url: String,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub last_mod_seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_tag: Option<String>,
}

/// `ChangedFolder`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangedFolder {
    #[serde(default)]
    pub parent_folder: String,
    #[serde(rename = "resourceURL", default)]
    pub resource_url: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub last_mod_seq: Option<u64>,
}

/// `DeletedFolder` (also the shape of `expiredFolder`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedFolder {
    #[serde(rename = "resourceURL", default)]
    pub resource_url: String,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub last_mod_seq: Option<u64>,
}

/// `NmsEvent`: exactly one member is set. Carrier extras are ignored on decode.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NmsEvent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_object: Option<ChangedObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_object: Option<DeletedObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_object: Option<DeletedObject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_folder: Option<ChangedFolder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_folder: Option<DeletedFolder>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expired_folder: Option<DeletedFolder>,
    #[serde(default, deserialize_with = "lenient::present", skip_serializing_if = "Option::is_none")]
    pub reset_box: Option<Present>,
}

impl NmsEvent {
    /// The event kind as its wire member name.
    pub fn kind(&self) -> &'static str {
        if self.changed_object.is_some() {
            "changedObject"
        } else if self.deleted_object.is_some() {
            "deletedObject"
        } else if self.expired_object.is_some() {
            "expiredObject"
        } else if self.changed_folder.is_some() {
            "changedFolder"
        } else if self.deleted_folder.is_some() {
            "deletedFolder"
        } else if self.expired_folder.is_some() {
            "expiredFolder"
        } else if self.reset_box.is_some() {
            "resetBox"
        } else {
            "unknown"
        }
    }

    /// The resource the event is about (empty for resetBox).
    pub fn resource_url(&self) -> &str {
        if let Some(o) = &self.changed_object {
            &o.resource_url
        } else if let Some(o) = self.deleted_object.as_ref().or(self.expired_object.as_ref()) {
            &o.resource_url
        } else if let Some(f) = &self.changed_folder {
            &f.resource_url
        } else if let Some(f) = self.deleted_folder.as_ref().or(self.expired_folder.as_ref()) {
            &f.resource_url
        } else {
            ""
        }
    }

    /// The lastModSeq the event carries, if any.
    pub fn last_mod_seq(&self) -> Option<u64> {
        if let Some(o) = &self.changed_object {
            o.last_mod_seq
        } else if let Some(o) = self.deleted_object.as_ref().or(self.expired_object.as_ref()) {
            o.last_mod_seq
        } else if let Some(f) = &self.changed_folder {
            f.last_mod_seq
        } else if let Some(f) = self.deleted_folder.as_ref().or(self.expired_folder.as_ref()) {
            f.last_mod_seq
        } else {
            None
        }
    }
}

/// `NmsEventList { nmsEvent[], callbackData?, index?, restartToken?, link[] }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NmsEventList {
    #[serde(default, deserialize_with = "lenient::one_or_many")]
    pub nms_event: Vec<NmsEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::one_or_many", skip_serializing_if = "Vec::is_empty")]
    pub link: Vec<Link>,
}

impl NmsEventList {
    /// The subscription this list belongs to: the href of a link whose rel is
    /// `NmsSubscription` or `subscription` (compared case-insensitively).
    pub fn subscription_href(&self) -> Option<&str> {
        self.link
            .iter()
            .find(|l| l.rel.eq_ignore_ascii_case("nmssubscription") || l.rel.eq_ignore_ascii_case("subscription"))
            .map(|l| l.href.as_str())
    }
}
