//! SMS Backup & Restore XML, the de facto Android SMS/MMS backup (SyncTech's published
//! field list): plain record types, a streaming reader that turns bad records into
//! rejects instead of stopping, a writer, and the mapping to and from NMS objects.
//!
//! The file is `<smses count backup_set backup_date type>` holding `<sms …/>` and
//! `<mms …><parts><part …/></parts><addrs><addr …/></addrs></mms>` records, every value in
//! an attribute. The literal string `null` in an attribute means "absent": it becomes
//! `None` when read and is written for the standard SMS attributes that are absent,
//! because that is what the phone app writes and restores. A body that is literally
//! the text `null` therefore cannot be told apart from a missing one, as in the app.

mod map;
mod reader;
mod source;
mod unescape;
mod writer;

use std::collections::BTreeMap;

pub use map::{
    BOX_ATTRIBUTE, MapError, mms_to_object, object_to_mms, object_to_sms, part_from_wire, sms_payload, sms_to_object,
};
pub use reader::{Limits, Reject, SmsbrReader};
pub use writer::SmsbrWriter;

/// The value that stands for "absent" in every attribute.
pub const NULL: &str = "null";

/// The root element's attributes. `count` is the number of records the writer promised;
/// readers use it only as a hint (for a progress bar), never trust it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub count: Option<u64>,
    pub backup_set: Option<String>,
    pub backup_date: Option<i64>,
    /// `type` (`full` or `incremental` in the app's archive mode).
    pub kind: Option<String>,
    pub extra: BTreeMap<String, String>,
}

/// One record of a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    Sms(SmsRecord),
    Mms(MmsRecord),
}

/// Android's `Telephony.Sms` box type (the `type` attribute).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum SmsType {
    #[default]
    Received,
    Sent,
    Draft,
    Outbox,
    Failed,
    Queued,
}

impl SmsType {
    pub fn code(self) -> u8 {
        match self {
            SmsType::Received => 1,
            SmsType::Sent => 2,
            SmsType::Draft => 3,
            SmsType::Outbox => 4,
            SmsType::Failed => 5,
            SmsType::Queued => 6,
        }
    }

    pub fn from_code(code: &str) -> Option<SmsType> {
        Some(match code.trim() {
            "1" => SmsType::Received,
            "2" => SmsType::Sent,
            "3" => SmsType::Draft,
            "4" => SmsType::Outbox,
            "5" => SmsType::Failed,
            "6" => SmsType::Queued,
            _ => return None,
        })
    }
}

/// Android's `Telephony.Mms` box (the `msg_box` attribute).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum MsgBox {
    #[default]
    Inbox,
    Sent,
    Drafts,
    Outbox,
    Failed,
}

impl MsgBox {
    pub fn code(self) -> u8 {
        match self {
            MsgBox::Inbox => 1,
            MsgBox::Sent => 2,
            MsgBox::Drafts => 3,
            MsgBox::Outbox => 4,
            MsgBox::Failed => 5,
        }
    }

    pub fn from_code(code: &str) -> Option<MsgBox> {
        Some(match code.trim() {
            "1" => MsgBox::Inbox,
            "2" => MsgBox::Sent,
            "3" => MsgBox::Drafts,
            "4" => MsgBox::Outbox,
            "5" => MsgBox::Failed,
            _ => return None,
        })
    }
}

/// One `<sms>`: every attribute of the published field list; any other attribute in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SmsRecord {
    pub protocol: Option<String>,
    pub address: Option<String>,
    /// Java milliseconds since the epoch (required).
    pub date: i64,
    /// `type` (required).
    pub kind: SmsType,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub toa: Option<String>,
    pub sc_toa: Option<String>,
    pub service_center: Option<String>,
    pub read: Option<bool>,
    /// -1 none, 0 complete, 32 pending, 64 failed.
    pub status: Option<i32>,
    pub locked: Option<bool>,
    /// Java milliseconds; 0 when the phone did not record it.
    pub date_sent: Option<i64>,
    pub sub_id: Option<String>,
    /// Locale- and phone-dependent: kept for a round trip, never interpreted.
    pub readable_date: Option<String>,
    /// Phone-dependent: kept for a round trip, never interpreted.
    pub contact_name: Option<String>,
    pub extra: BTreeMap<String, String>,
}

/// One `<mms>` with its parts and addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MmsRecord {
    /// Java milliseconds since the epoch (required; the app writes MMS dates in ms too).
    pub date: i64,
    /// `msg_box` (required).
    pub msg_box: MsgBox,
    /// Peers joined by `~` in group MMS; `addrs` is the reliable source.
    pub address: Option<String>,
    pub m_id: Option<String>,
    pub m_type: Option<String>,
    pub ct_t: Option<String>,
    pub tr_id: Option<String>,
    pub sub: Option<String>,
    pub sub_cs: Option<String>,
    pub read: Option<bool>,
    pub seen: Option<bool>,
    pub text_only: Option<bool>,
    pub locked: Option<bool>,
    /// Kept as written: phones disagree on seconds or milliseconds here.
    pub date_sent: Option<String>,
    pub m_size: Option<String>,
    pub sub_id: Option<String>,
    pub rr: Option<String>,
    pub read_status: Option<String>,
    pub readable_date: Option<String>,
    pub contact_name: Option<String>,
    /// Every other attribute (ct_l, d_rpt, exp, pri, resp_st, retr_st, st, v, …).
    pub extra: BTreeMap<String, String>,
    pub parts: Vec<MmsPart>,
    pub addrs: Vec<MmsAddr>,
}

/// One `<part>` of an MMS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MmsPart {
    pub seq: Option<String>,
    /// `ct`, the content type (`application/smil`, `text/plain`, `image/jpeg`, …).
    pub ct: Option<String>,
    pub name: Option<String>,
    /// `chset`, a MIBenum (106 is UTF-8).
    pub chset: Option<String>,
    pub cd: Option<String>,
    /// `fn`.
    pub file_name: Option<String>,
    pub cid: Option<String>,
    pub cl: Option<String>,
    pub ctt_s: Option<String>,
    pub ctt_t: Option<String>,
    /// Inline text of text and SMIL parts.
    pub text: Option<String>,
    /// The decoded bytes of `data` (base64 in the file).
    pub data: Option<Vec<u8>>,
    pub extra: BTreeMap<String, String>,
}

/// One `<addr>` of an MMS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MmsAddr {
    pub address: Option<String>,
    /// 137 From, 151 To, 130 Cc, 129 Bcc.
    pub kind: Option<u16>,
    pub charset: Option<String>,
    pub extra: BTreeMap<String, String>,
}

/// PDU header field codes used in `<addr type>`.
pub const ADDR_FROM: u16 = 137;
pub const ADDR_TO: u16 = 151;
pub const ADDR_CC: u16 = 130;
pub const ADDR_BCC: u16 = 129;

fn parse_bool(name: &str, value: &str) -> Result<bool, String> {
    match value.trim() {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        other => Err(format!("{name}=\"{}\" is not 0 or 1", clip(other))),
    }
}

fn parse_int<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value.trim().parse().map_err(|_| format!("{name}=\"{}\" is not a number", clip(value)))
}

/// A value shortened for an error message.
fn clip(value: &str) -> String {
    const KEEP: usize = 40;
    if value.chars().count() <= KEEP { value.to_string() } else { value.chars().take(KEEP).collect::<String>() + "…" }
}

fn bool_str(b: bool) -> String {
    if b { "1" } else { "0" }.to_string()
}

impl SmsRecord {
    /// Applies one attribute as read from the file (`null` already filtered out).
    fn set(&mut self, name: &str, value: String, seen_required: &mut [bool; 2]) -> Result<(), String> {
        match name {
            "protocol" => self.protocol = Some(value),
            "address" => self.address = Some(value),
            "date" => {
                self.date = parse_int("date", &value)?;
                seen_required[0] = true;
            }
            "type" => {
                self.kind =
                    SmsType::from_code(&value).ok_or_else(|| format!("type=\"{}\" is not 1 to 6", clip(&value)))?;
                seen_required[1] = true;
            }
            "subject" => self.subject = Some(value),
            "body" => self.body = Some(value),
            "toa" => self.toa = Some(value),
            "sc_toa" => self.sc_toa = Some(value),
            "service_center" => self.service_center = Some(value),
            "read" => self.read = Some(parse_bool(name, &value)?),
            "status" => self.status = Some(parse_int(name, &value)?),
            "locked" => self.locked = Some(parse_bool(name, &value)?),
            "date_sent" => self.date_sent = Some(parse_int(name, &value)?),
            "sub_id" => self.sub_id = Some(value),
            "readable_date" => self.readable_date = Some(value),
            "contact_name" => self.contact_name = Some(value),
            _ => {
                self.extra.insert(name.to_string(), value);
            }
        }
        Ok(())
    }

    /// The attributes in the app's order. The standard ones are always written (`null`
    /// when absent, as the app does); `readable_date` and `contact_name` only when set.
    fn attributes(&self) -> Vec<(&str, Option<String>)> {
        let mut out: Vec<(&str, Option<String>)> = vec![
            ("protocol", Some(self.protocol.clone().unwrap_or_else(|| NULL.into()))),
            ("address", Some(self.address.clone().unwrap_or_else(|| NULL.into()))),
            ("date", Some(self.date.to_string())),
            ("type", Some(self.kind.code().to_string())),
            ("subject", Some(self.subject.clone().unwrap_or_else(|| NULL.into()))),
            ("body", Some(self.body.clone().unwrap_or_else(|| NULL.into()))),
            ("toa", Some(self.toa.clone().unwrap_or_else(|| NULL.into()))),
            ("sc_toa", Some(self.sc_toa.clone().unwrap_or_else(|| NULL.into()))),
            ("service_center", Some(self.service_center.clone().unwrap_or_else(|| NULL.into()))),
            ("read", self.read.map(bool_str)),
            ("status", self.status.map(|s| s.to_string())),
            ("locked", self.locked.map(bool_str)),
            ("date_sent", self.date_sent.map(|d| d.to_string())),
            ("sub_id", self.sub_id.clone()),
            ("readable_date", self.readable_date.clone()),
            ("contact_name", self.contact_name.clone()),
        ];
        out.extend(self.extra.iter().map(|(k, v)| (k.as_str(), Some(v.clone()))));
        out
    }
}

impl MmsRecord {
    fn set(&mut self, name: &str, value: String, seen_required: &mut [bool; 2]) -> Result<(), String> {
        match name {
            "date" => {
                self.date = parse_int("date", &value)?;
                seen_required[0] = true;
            }
            "msg_box" => {
                self.msg_box =
                    MsgBox::from_code(&value).ok_or_else(|| format!("msg_box=\"{}\" is not 1 to 5", clip(&value)))?;
                seen_required[1] = true;
            }
            "address" => self.address = Some(value),
            "m_id" => self.m_id = Some(value),
            "m_type" => self.m_type = Some(value),
            "ct_t" => self.ct_t = Some(value),
            "tr_id" => self.tr_id = Some(value),
            "sub" => self.sub = Some(value),
            "sub_cs" => self.sub_cs = Some(value),
            "read" => self.read = Some(parse_bool(name, &value)?),
            "seen" => self.seen = Some(parse_bool(name, &value)?),
            "text_only" => self.text_only = Some(parse_bool(name, &value)?),
            "locked" => self.locked = Some(parse_bool(name, &value)?),
            "date_sent" => self.date_sent = Some(value),
            "m_size" => self.m_size = Some(value),
            "sub_id" => self.sub_id = Some(value),
            "rr" => self.rr = Some(value),
            "read_status" => self.read_status = Some(value),
            "readable_date" => self.readable_date = Some(value),
            "contact_name" => self.contact_name = Some(value),
            _ => {
                self.extra.insert(name.to_string(), value);
            }
        }
        Ok(())
    }

    fn attributes(&self) -> Vec<(&str, Option<String>)> {
        let mut out: Vec<(&str, Option<String>)> = vec![
            ("date", Some(self.date.to_string())),
            ("msg_box", Some(self.msg_box.code().to_string())),
            ("address", self.address.clone()),
            ("m_id", self.m_id.clone()),
            ("m_type", self.m_type.clone()),
            ("ct_t", self.ct_t.clone()),
            ("tr_id", self.tr_id.clone()),
            ("sub", self.sub.clone()),
            ("sub_cs", self.sub_cs.clone()),
            ("read", self.read.map(bool_str)),
            ("seen", self.seen.map(bool_str)),
            ("text_only", self.text_only.map(bool_str)),
            ("locked", self.locked.map(bool_str)),
            ("date_sent", self.date_sent.clone()),
            ("m_size", self.m_size.clone()),
            ("sub_id", self.sub_id.clone()),
            ("rr", self.rr.clone()),
            ("read_status", self.read_status.clone()),
            ("readable_date", self.readable_date.clone()),
            ("contact_name", self.contact_name.clone()),
        ];
        out.extend(self.extra.iter().map(|(k, v)| (k.as_str(), Some(v.clone()))));
        out
    }
}

impl MmsPart {
    /// `data` is decoded by the reader itself (it needs the size limit and the raw value).
    fn set(&mut self, name: &str, value: String) {
        match name {
            "seq" => self.seq = Some(value),
            "ct" => self.ct = Some(value),
            "name" => self.name = Some(value),
            "chset" => self.chset = Some(value),
            "cd" => self.cd = Some(value),
            "fn" => self.file_name = Some(value),
            "cid" => self.cid = Some(value),
            "cl" => self.cl = Some(value),
            "ctt_s" => self.ctt_s = Some(value),
            "ctt_t" => self.ctt_t = Some(value),
            "text" => self.text = Some(value),
            _ => {
                self.extra.insert(name.to_string(), value);
            }
        }
    }

    /// Every attribute but `data`, which the writer streams as base64.
    fn attributes(&self) -> Vec<(&str, Option<String>)> {
        let mut out: Vec<(&str, Option<String>)> = vec![
            ("seq", self.seq.clone()),
            ("ct", self.ct.clone()),
            ("name", self.name.clone()),
            ("chset", self.chset.clone()),
            ("cd", self.cd.clone()),
            ("fn", self.file_name.clone()),
            ("cid", self.cid.clone()),
            ("cl", self.cl.clone()),
            ("ctt_s", self.ctt_s.clone()),
            ("ctt_t", self.ctt_t.clone()),
            ("text", self.text.clone()),
        ];
        out.extend(self.extra.iter().map(|(k, v)| (k.as_str(), Some(v.clone()))));
        out
    }
}

impl MmsAddr {
    fn set(&mut self, name: &str, value: String) -> Result<(), String> {
        match name {
            "address" => self.address = Some(value),
            "type" => self.kind = Some(parse_int("type", &value)?),
            "charset" => self.charset = Some(value),
            _ => {
                self.extra.insert(name.to_string(), value);
            }
        }
        Ok(())
    }

    fn attributes(&self) -> Vec<(&str, Option<String>)> {
        let mut out: Vec<(&str, Option<String>)> = vec![
            ("address", self.address.clone()),
            ("type", self.kind.map(|k| k.to_string())),
            ("charset", self.charset.clone()),
        ];
        out.extend(self.extra.iter().map(|(k, v)| (k.as_str(), Some(v.clone()))));
        out
    }
}

impl Header {
    fn set(&mut self, name: &str, value: String) {
        match name {
            // A bad count or date in the header is only a hint gone wrong: ignore it.
            "count" => self.count = value.trim().parse().ok(),
            "backup_set" => self.backup_set = Some(value),
            "backup_date" => self.backup_date = value.trim().parse().ok(),
            "type" => self.kind = Some(value),
            _ => {
                self.extra.insert(name.to_string(), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in 1..=6u8 {
            let t = SmsType::from_code(&code.to_string());
            assert_eq!(t.map(SmsType::code), Some(code));
        }
        assert_eq!(SmsType::from_code("0"), None);
        assert_eq!(SmsType::from_code("7"), None);
        for code in 1..=5u8 {
            assert_eq!(MsgBox::from_code(&code.to_string()).map(MsgBox::code), Some(code));
        }
        assert_eq!(MsgBox::from_code("x"), None);
    }

    #[test]
    fn required_and_typed_attributes_are_checked() {
        let mut seen = [false; 2];
        let mut sms = SmsRecord::default();
        assert!(sms.set("type", "9".into(), &mut seen).is_err());
        assert!(sms.set("read", "yes".into(), &mut seen).is_err());
        assert!(sms.set("date", "12x".into(), &mut seen).is_err());
        assert!(sms.set("date", "1700000000000".into(), &mut seen).is_ok());
        assert!(sms.set("x_custom", "v".into(), &mut seen).is_ok());
        assert_eq!(sms.extra.get("x_custom").map(String::as_str), Some("v"));
        assert_eq!(seen, [true, false]);
    }
}
