//! Notification Channel bodies (NC TS 5.2).

use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::envelope::Root;
use super::lenient;
use super::subscription::NmsEventList;

/// `channelData`; JSON carries no type discriminator, so one struct holds the members of every
/// channel type of NC TS §5.2.2 (LongPolling, OMAPush, WebSockets, NativeChannel): a request for a
/// type this server does not offer must decode, so that it is answered 400 POL1023 rather than
/// refused as malformed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChannelData {
    #[serde(rename = "channelURL", default, skip_serializing_if = "Option::is_none")]
    pub channel_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub max_notifications: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub max_wait_time: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_sub_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_token: Option<String>,
    /// OMAPushData (NC TS §5.2.2.7): the push application id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    /// WebSocketsData (NC TS §5.2.2.10): seconds between keep-alive checks.
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub check_interval: Option<u64>,
}

/// `NotificationChannel`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationChannel {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_correlator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application_tag: Option<String>,
    #[serde(default)]
    pub channel_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_data: Option<ChannelData>,
    #[serde(default, deserialize_with = "lenient::opt_u64", skip_serializing_if = "Option::is_none")]
    pub channel_lifetime: Option<u64>,
    #[serde(rename = "callbackURL", default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    #[serde(rename = "resourceURL", default, skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
}

/// `NotificationChannelList`; accepts the OMA form (`{notificationChannel: [...],
/// resourceURL}`) and AT&T's array of wrapped channels (../shared/docs/nms-protocol.md §3.11).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationChannelList {
    pub notification_channel: Vec<NotificationChannel>,
    #[serde(rename = "resourceURL", skip_serializing_if = "Option::is_none")]
    pub resource_url: Option<String>,
}

impl<'de> Deserialize<'de> for NotificationChannelList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Oma {
            #[serde(rename = "notificationChannel", default, deserialize_with = "lenient::one_or_many")]
            channels: Vec<NotificationChannel>,
            #[serde(rename = "resourceURL", default)]
            resource_url: Option<String>,
        }
        match Value::deserialize(d)? {
            Value::Array(items) => {
                let mut channels = Vec::new();
                for item in items {
                    let inner = super::envelope::unwrap_root(item, "notificationChannel");
                    let inner = match inner {
                        Value::Object(mut m) if m.contains_key("notificationChannel") => {
                            m.remove("notificationChannel").unwrap_or(Value::Null)
                        }
                        other => other,
                    };
                    channels.push(serde_json::from_value(inner).map_err(serde::de::Error::custom)?);
                }
                Ok(NotificationChannelList { notification_channel: channels, resource_url: None })
            }
            Value::Null => Ok(NotificationChannelList::default()),
            other => {
                let oma: Oma = serde_json::from_value(other).map_err(serde::de::Error::custom)?;
                Ok(NotificationChannelList { notification_channel: oma.channels, resource_url: oma.resource_url })
            }
        }
    }
}

/// `NotificationChannelLifetime { channelLifetime }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationChannelLifetime {
    #[serde(default, deserialize_with = "lenient::u64_or_string")]
    pub channel_lifetime: u64,
}

/// `LargePollingNotification { channelURL, channelExpiry }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LargePollingNotification {
    #[serde(rename = "channelURL", default)]
    pub channel_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_expiry: Option<String>,
}

/// One entry of a notification list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    NmsEventList(NmsEventList),
    LargePolling(LargePollingNotification),
    /// A notification of another enabler, kept as it came.
    Other(Value),
}

/// `NotificationList`: what a long poll answers. On input it may be `null` (timeout),
/// one notification object, an array of one-key objects, or a bare `nmsEventList`
/// root (checklist §2.0). On output it is always an array.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationList {
    pub notifications: Vec<Notification>,
}

impl NotificationList {
    /// The NMS event lists it carries, in order.
    pub fn event_lists(&self) -> impl Iterator<Item = &NmsEventList> {
        self.notifications.iter().filter_map(|n| match n {
            Notification::NmsEventList(l) => Some(l),
            _ => None,
        })
    }

    /// Decodes any of the tolerated shapes of a long-poll answer body.
    pub fn decode_body(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(NotificationList::default());
        }
        let v: Value = serde_json::from_slice(bytes)?;
        match v {
            Value::Object(mut m) if m.len() == 1 && m.contains_key("notificationList") => {
                Self::from_value(m.remove("notificationList").unwrap_or(Value::Null))
            }
            other => Self::from_value(other),
        }
    }

    fn from_value(v: Value) -> Result<Self, serde_json::Error> {
        let items = match v {
            Value::Null => Vec::new(),
            Value::Array(items) => items,
            Value::Object(m) => {
                // One object may hold several roots, e.g. {"nmsEventList": …}.
                m.into_iter().map(|(k, v)| Value::Object([(k, v)].into_iter().collect())).collect()
            }
            other => vec![other],
        };
        let mut notifications = Vec::with_capacity(items.len());
        for item in items {
            notifications.push(Self::one(item)?);
        }
        Ok(NotificationList { notifications })
    }

    fn one(item: Value) -> Result<Notification, serde_json::Error> {
        if let Value::Object(m) = &item {
            if let Some(inner) = m.get("nmsEventList") {
                return Ok(Notification::NmsEventList(serde_json::from_value(inner.clone())?));
            }
            if let Some(inner) = m.get("largePollingNotification") {
                return Ok(Notification::LargePolling(serde_json::from_value(inner.clone())?));
            }
        }
        Ok(Notification::Other(item))
    }

    /// The canonical body: `{"notificationList": [{"nmsEventList": …}, …]}`.
    pub fn to_value(&self) -> Value {
        let items: Vec<Value> = self
            .notifications
            .iter()
            .map(|n| match n {
                Notification::NmsEventList(l) => super::envelope::encode_value(l),
                Notification::LargePolling(p) => {
                    serde_json::json!({ "largePollingNotification": p })
                }
                Notification::Other(v) => v.clone(),
            })
            .collect();
        serde_json::json!({ "notificationList": items })
    }
}

impl Root for NotificationList {
    const ROOT: &'static str = "notificationList";
}

impl Serialize for NotificationList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.to_value() {
            Value::Object(mut m) => m.remove("notificationList").unwrap_or(Value::Null).serialize(s),
            other => other.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for NotificationList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        NotificationList::from_value(v).map_err(serde::de::Error::custom)
    }
}
