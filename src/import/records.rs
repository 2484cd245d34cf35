//! SMS Backup & Restore records → the objects to create: the format's own mapping
//! (`formats::smsbr`) with the phone's Date kept to the millisecond. Used for `<sms>` and `<mms>`
//! elements and for SMS Backup+ mails, which carry the same records.

use crate::formats::smsbr::{self, SmsRecord};
use crate::nms::NewObject;
use crate::wire::names;

/// The Date of an SMS Backup & Restore record with its milliseconds (the phone's own value).
fn date_with_ms(ms: i64) -> Option<String> {
    let t = jiff::Timestamp::from_millisecond(ms).ok()?;
    Some(if ms % 1000 == 0 {
        t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
    })
}

/// `<sms>` → the object to create (text payload, Date to the millisecond).
pub fn sms_object(sms: &SmsRecord, own: &str) -> Result<NewObject, String> {
    let mut object = smsbr::sms_to_object(sms, own).map_err(|e| e.to_string())?;
    if let Some(d) = date_with_ms(sms.date) {
        object.attributes.set(names::DATE, vec![d]);
    }
    Ok(NewObject { object, parts: vec![smsbr::sms_payload(sms)] })
}

/// `<mms>` → the object to create (every part, Date to the millisecond).
pub fn mms_object(mms: &smsbr::MmsRecord, own: &str) -> Result<NewObject, String> {
    let (mut object, parts) = smsbr::mms_to_object(mms, own).map_err(|e| e.to_string())?;
    if let Some(d) = date_with_ms(mms.date) {
        object.attributes.set(names::DATE, vec![d]);
    }
    Ok(NewObject { object, parts })
}
