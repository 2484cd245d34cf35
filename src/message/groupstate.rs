//! CPM group-state documents (`application/vnd.oma.cpm-groupstate+xml`, CPM profile): the
//! conference focus's list of a group chat's participants, read with quick-xml.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::events::Event;

/// The largest group-state document read, in bytes; a real one lists a few dozen members.
pub const MAX_BYTES: usize = 256 * 1024;
/// Participants read at most from one document.
pub const MAX_PARTICIPANTS: usize = 1024;
/// Elements read at most, so a hostile document cannot keep the parser busy.
const MAX_EVENTS: usize = 100_000;

/// One `<participant>` of a group-state document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub name: Option<String>,
    /// The `comm-addr` URI as written.
    pub address: String,
}

/// The participants a group-state document lists (each `<participant comm-addr=…>`, any
/// namespace prefix), in document order. Malformed or oversized XML is an error.
pub fn participants(xml: &[u8]) -> Result<Vec<Participant>, String> {
    if xml.len() > MAX_BYTES {
        return Err(format!("group-state document over {MAX_BYTES} bytes"));
    }
    let text = std::str::from_utf8(xml).map_err(|e| format!("group-state document is not UTF-8: {e}"))?;
    let mut reader = Reader::from_str(text);
    let mut out = Vec::new();
    for _ in 0..MAX_EVENTS {
        let event = reader.read_event().map_err(|e| format!("group-state document: {e}"))?;
        let e = match event {
            Event::Eof => return Ok(out),
            Event::Start(e) | Event::Empty(e) => e,
            _ => continue,
        };
        if !e.local_name().as_ref().eq_ignore_ascii_case("participant") {
            continue;
        }
        let (mut name, mut address) = (None, None);
        for a in e.attributes() {
            let a = a.map_err(|e| format!("group-state document: {e}"))?;
            let value =
                a.normalized_value(XmlVersion::Implicit1_0).map_err(|e| format!("group-state document: {e}"))?;
            match a.key.local_name().as_ref() {
                "comm-addr" => address = Some(value.trim().to_string()),
                "name" => name = Some(value.to_string()),
                _ => {}
            }
        }
        if let Some(address) = address.filter(|a| !a.is_empty())
            && out.len() < MAX_PARTICIPANTS
        {
            out.push(Participant { name, address });
        }
    }
    Err("group-state document has too many elements".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_members() {
        let xml = br#"<?xml version="1.0"?>
<groupstate timestamp="2024-05-01T10:00:00Z" lastfocussessionid="sip:f@conf" xmlns="urn:oma:xml:cpm:groupstate:1.0">
  <participant name="Demo User" comm-addr="tel:+15550001111"/>
  <participant name="Bob &amp; Co" comm-addr=" tel:+15550003333 "></participant>
  <gs:participant xmlns:gs="urn:x" comm-addr="sip:grace@x"/>
  <participant name="no address"/>
</groupstate>"#;
        let p = participants(xml).unwrap();
        let addrs: Vec<&str> = p.iter().map(|p| p.address.as_str()).collect();
        assert_eq!(addrs, ["tel:+15550001111", "tel:+15550003333", "sip:grace@x"]);
        assert_eq!(p[1].name.as_deref(), Some("Bob & Co"));
    }

    #[test]
    fn hostile_documents_are_errors() {
        assert!(participants(b"<groupstate><participant comm-addr=\"x").is_err());
        assert!(participants(b"\xff\xfe").is_err());
        assert!(participants(&vec![b' '; MAX_BYTES + 1]).is_err());
        assert_eq!(participants(b"").unwrap(), []);
    }
}
