//! Demo box content (placeholder until the demo helper's version lands; that version wins).

use crate::wire::multipart::Part;
use crate::wire::{Attribute, AttributeList, FlagList, Object};

pub const DEMO_USER: &str = "demo";
pub const DEMO_BOX: &str = "tel:+15550001111";

/// Everything the demo box holds.
#[derive(Debug, Clone, Default)]
pub struct DemoBox {
    pub folders: Vec<DemoFolder>,
    pub objects: Vec<DemoObject>,
}

/// A folder, by path, with its attributes.
#[derive(Debug, Clone, Default)]
pub struct DemoFolder {
    pub path: String,
    pub attributes: AttributeList,
}

/// An object with the path of its folder and its payload parts.
#[derive(Debug, Clone, Default)]
pub struct DemoObject {
    pub folder_path: String,
    pub object: Object,
    pub parts: Vec<Part>,
}

/// A minimal deterministic box: one conversation folder with a few SMS.
pub fn demo_content(now: jiff::Timestamp) -> DemoBox {
    let folder = "/RCSMessageStore/conv-1".to_string();
    let objects = (0..3i64)
        .map(|i| {
            let when = now.checked_sub(jiff::SignedDuration::from_hours(24 * (i + 1))).unwrap_or(now);
            let text = format!("Hello number {i}");
            DemoObject {
                folder_path: folder.clone(),
                object: Object {
                    attributes: AttributeList {
                        attribute: vec![
                            Attribute::new("Date", when.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()),
                            Attribute::new("Direction", "In"),
                            Attribute::new("From", "tel:+15550002222"),
                            Attribute::new("To", DEMO_BOX),
                            Attribute::new("Message-Context", "pager-message"),
                        ],
                    },
                    flags: FlagList::new(if i == 0 { vec![] } else { vec!["\\Seen"] }),
                    correlation_tag: Some(crate::wire::correlation::correlation_tag(Some("+15550002222"), true, &text)),
                    ..Default::default()
                },
                parts: vec![Part::new("text/plain", text)],
            }
        })
        .collect();
    DemoBox { folders: vec![DemoFolder { path: folder, attributes: AttributeList::default() }], objects }
}
