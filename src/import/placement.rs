//! Where an imported message goes: one folder for everything (`--folder`), the folder its own
//! record names (the CPM IMAP form and JSONL keep it), or its conversation folder laid out as
//! CPM stores do: `/RCSMessageStore/sms-<number>` for an SMS/MMS thread with one peer (the
//! demo box's layout), `/RCSMessageStore/group-<hash>` for a group MMS thread (the sorted peer
//! set, hashed: a folder name has a length limit), `/RCSMessageStore/conv-<Conversation-ID>`
//! for a chat, and `/RCSMessageStore/standalone` for anything without a peer.

use sha2::{Digest, Sha256};

use crate::message::conversation::{self, Key};
use crate::wire::Object;

const STORE: &str = "/RCSMessageStore";

/// One folder for everything.
#[derive(Debug, Clone)]
pub enum Folder {
    /// A folder path (created when missing).
    Path(String),
    /// A folder URL (from a folder id).
    Url(String),
}

/// How objects are placed, and the box's own address.
#[derive(Debug, Clone)]
pub struct Placement {
    pub folder: Option<Folder>,
    pub own: String,
}

/// A folder name made from network- or file-supplied text: no separators, controls or dots
/// alone, bounded in length.
fn safe_name(s: &str) -> String {
    let mut out: String =
        s.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).take(120).collect();
    if out.trim_matches('.').is_empty() {
        out = "_".into();
    }
    out
}

impl Placement {
    pub fn apply(&self, object: &mut Object) {
        match &self.folder {
            Some(Folder::Path(p)) => {
                object.parent_folder = None;
                object.parent_folder_path = Some(p.clone());
            }
            Some(Folder::Url(u)) => {
                object.parent_folder = Some(u.clone());
                object.parent_folder_path = None;
            }
            None if object.parent_folder_path.is_some() => {}
            None => object.parent_folder_path = Some(self.conversation_folder(object)),
        }
    }

    fn conversation_folder(&self, object: &Object) -> String {
        match conversation::key(&object.attributes, &self.own) {
            Some(Key::Conversation(id)) => format!("{STORE}/conv-{}", safe_name(&id)),
            Some(Key::Peers(peers)) if peers.len() == 1 => {
                let p = crate::wire::correlation::bare_number(&peers[0]);
                format!("{STORE}/sms-{}", safe_name(p))
            }
            Some(Key::Peers(peers)) => {
                let h = hex::encode(Sha256::digest(peers.join(",").as_bytes()));
                format!("{STORE}/group-{}", &h[..16])
            }
            None => format!("{STORE}/standalone"),
        }
    }
}
