//! Attribute names, Message-Context values and flag names, with their case rules.

/// Canonical spellings of the attributes the CPM profile and carriers use
/// (../shared/docs/nms-protocol.md §4.1). Names are compared case-insensitively.
pub const ATTRIBUTES: &[&str] = &[
    "Date",
    "Direction",
    "From",
    "To",
    "Cc",
    "Bcc",
    "Subject",
    "Message-Context",
    "TextContent",
    "Content-Type",
    "Content-Location",
    "Conversation-ID",
    "Contribution-ID",
    "InReplyTo-Contribution-ID",
    "IMDN-Message-ID",
    "P-Asserted-Service",
    "Is-CPM-Group",
    "Is-OPEN-Group",
    "DispositionType",
    "DispositionStatus",
    "DispositionOriginalMessageID",
    "DispositionOriginalTo",
    "Message-Id",
    "MIME-Version",
    "Charset",
    "Content-Transfer-Encoding",
    "Content-Duration",
    "Importance",
    "Sensitivity",
    ROOT,
    NAME,
    MSG_COUNT,
    UNREAD_MSG_COUNT,
    SIZE,
    SUBTREE_MSG_COUNT,
    SUBTREE_UNREAD_MSG_COUNT,
    SUBTREE_SIZE,
];

// Folder attributes the server computes (NMS TS 5.2.2.2 and the CPM profile's counters);
// a client cannot set them, and the counters appear only when asked for with attrFilter.
pub const ROOT: &str = "Root";
pub const NAME: &str = "Name";
pub const MSG_COUNT: &str = "MsgCount";
pub const UNREAD_MSG_COUNT: &str = "UnreadMsgCount";
pub const SIZE: &str = "Size";
pub const SUBTREE_MSG_COUNT: &str = "SubtreeMsgCount";
pub const SUBTREE_UNREAD_MSG_COUNT: &str = "SubtreeUnreadMsgCount";
pub const SUBTREE_SIZE: &str = "SubtreeSize";

/// Every folder attribute the server computes rather than stores.
pub const FOLDER_COMPUTED: &[&str] =
    &[NAME, ROOT, MSG_COUNT, UNREAD_MSG_COUNT, SIZE, SUBTREE_MSG_COUNT, SUBTREE_UNREAD_MSG_COUNT, SUBTREE_SIZE];

/// Whether `name` (any case) is a folder attribute the server computes.
pub fn is_folder_computed(name: &str) -> bool {
    FOLDER_COMPUTED.iter().any(|n| n.eq_ignore_ascii_case(name))
}

pub const DATE: &str = "Date";
pub const DIRECTION: &str = "Direction";
pub const FROM: &str = "From";
pub const TO: &str = "To";
pub const SUBJECT: &str = "Subject";
pub const MESSAGE_CONTEXT: &str = "Message-Context";
pub const TEXT_CONTENT: &str = "TextContent";
pub const CONVERSATION_ID: &str = "Conversation-ID";
pub const CONTRIBUTION_ID: &str = "Contribution-ID";
pub const IN_REPLY_TO_CONTRIBUTION_ID: &str = "InReplyTo-Contribution-ID";

/// The canonical spelling of an attribute name, or the name as given when unknown.
pub fn canonical_attribute(name: &str) -> String {
    canonical_attribute_owned(name.to_string())
}

/// [`canonical_attribute`] of a name the caller owns: kept as it is (no copy) when it is
/// already canonical or unknown, as most names in a server's answers are.
pub fn canonical_attribute_owned(name: String) -> String {
    match ATTRIBUTES.iter().find(|a| a.eq_ignore_ascii_case(&name)) {
        Some(a) if **a != *name => (*a).to_string(),
        _ => name,
    }
}

/// Message-Context values (../shared/docs/nms-protocol.md §4.2) with the short names the CLI accepts.
pub const MESSAGE_CONTEXTS: &[(&str, &str)] = &[
    ("sms", "pager-message"),
    ("mms", "multimedia-message"),
    ("chat", "chat-message"),
    ("file", "file-message"),
    ("standalone", "standalone-message"),
    ("imdn", "imdn-message"),
    ("voice", "voice-message"),
    ("video", "video-message"),
    ("fax", "fax-message"),
    ("text", "text-message"),
    ("session", "session-info"),
    ("group-state", "group-state"),
    ("geolocation", "geolocation-message"),
    ("none", "none"),
];

/// Expands a short context name (`sms`) to its wire value (`pager-message`);
/// full values pass through unchanged.
pub fn message_context(short_or_full: &str) -> String {
    MESSAGE_CONTEXTS
        .iter()
        .find(|(s, f)| s.eq_ignore_ascii_case(short_or_full) || f.eq_ignore_ascii_case(short_or_full))
        .map(|(_, f)| (*f).to_string())
        .unwrap_or_else(|| short_or_full.to_string())
}

pub const SEEN: &str = "\\Seen";
pub const ANSWERED: &str = "\\Answered";
pub const FLAGGED: &str = "\\Flagged";
pub const DELETED: &str = "\\Deleted";
pub const DRAFT: &str = "\\Draft";
pub const RECENT: &str = "\\Recent";
pub const FORWARDED: &str = "$Forwarded";
pub const MDN_SENT: &str = "$MDNSent";
pub const READ_REPORT_SENT: &str = "\\read-report-sent";
pub const ARCHIVED: &str = "Archived";

/// The flags of App H plus the CPM profile's `Archived`.
pub const FLAGS: &[&str] =
    &[SEEN, ANSWERED, FLAGGED, DELETED, DRAFT, RECENT, FORWARDED, MDN_SENT, READ_REPORT_SENT, ARCHIVED];

/// The canonical spelling of a flag, accepting `seen` for `\Seen` and
/// `forwarded` for `$Forwarded`; unknown flags pass through unchanged.
pub fn canonical_flag(name: &str) -> String {
    canonical_flag_owned(name.to_string())
}

/// [`canonical_flag`] of a flag the caller owns: kept as it is when already canonical or
/// unknown.
pub fn canonical_flag_owned(name: String) -> String {
    let bare = name.trim_start_matches(['\\', '$']);
    match FLAGS
        .iter()
        .find(|f| f.eq_ignore_ascii_case(&name) || f.trim_start_matches(['\\', '$']).eq_ignore_ascii_case(bare))
    {
        Some(f) if **f != *name => (*f).to_string(),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_names() {
        assert_eq!(canonical_attribute("message-context"), "Message-Context");
        assert_eq!(canonical_attribute("textcontent"), "TextContent");
        assert_eq!(canonical_attribute("X-Custom"), "X-Custom");
        assert_eq!(canonical_flag("seen"), "\\Seen");
        assert_eq!(canonical_flag("\\SEEN"), "\\Seen");
        assert_eq!(canonical_flag("forwarded"), "$Forwarded");
        assert_eq!(canonical_flag("$CNS-Greeting-On"), "$CNS-Greeting-On");
        assert_eq!(message_context("sms"), "pager-message");
        assert_eq!(message_context("chat-message"), "chat-message");
    }
}
