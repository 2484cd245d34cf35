//! Conversation-history folders: 1-1 and group chats with their sessions, file transfers, group state and IMDNs.

use super::text::{CONTACTS, Contact, GROUP_DIALOGUES, GROUPS, ONE_TO_ONE};
use super::{Attrs, DAY, DEMO_BOX, Gen, HOUR, MINUTE, STORE, text_part, xml_escape};
use crate::wire::FlagList;
use crate::wire::multipart::Part;

/// How many 1-1 conversations the box holds (the first contacts).
const ONE_TO_ONE_COUNT: usize = 8;
const SESSIONS: usize = 3;
const SESSION_TYPE: &str = "Application/X-CPM-Session";
const GROUPSTATE_TYPE: &str = "application/vnd.oma.cpm-groupstate+xml";

/// One conversation being generated.
struct Conv {
    id: String,
    folder: String,
    peers: Vec<&'static Contact>,
    subject: Option<&'static str>,
}

impl Conv {
    fn is_group(&self) -> bool {
        self.subject.is_some()
    }

    fn group_flag(&self) -> &'static str {
        if self.is_group() { "yes" } else { "no" }
    }

    fn peer_uris(&self) -> Vec<String> {
        self.peers.iter().map(|p| p.uri.to_string()).collect()
    }

    /// The speaker of a dialogue line: `None` for the demo user.
    fn speaker(&self, n: usize) -> Option<&'static Contact> {
        (n > 0).then(|| self.peers[(n - 1) % self.peers.len()])
    }

    /// (From, To) of a message by `speaker`.
    fn addresses(&self, speaker: Option<&Contact>) -> (String, Vec<String>) {
        match speaker {
            None => (DEMO_BOX.to_string(), self.peer_uris()),
            Some(c) => (c.uri.to_string(), vec![DEMO_BOX.to_string()]),
        }
    }

    /// The attributes every object of this conversation carries.
    fn base(&self, g: &Gen, context: &str, t: i64, speaker: Option<&Contact>, contribution: &str) -> Attrs {
        let (from, to) = self.addresses(speaker);
        Attrs::default()
            .one("Date", g.date(t))
            .one("Direction", if speaker.is_none() { "Out" } else { "In" })
            .one("From", from)
            .many("To", to)
            .one("Message-Context", context)
            .one("Conversation-ID", &self.id)
            .one("Contribution-ID", contribution)
            .one("Is-CPM-Group", self.group_flag())
            .opt("Subject", self.subject)
    }
}

/// (DispositionType, DispositionStatus) pairs.
const DELIVERED: (&str, &str) = ("delivery", "delivered");
const DISPLAYED: (&str, &str) = ("display", "displayed");

/// One disposition notification between two parties about `original`.
struct Report<'a> {
    from: &'a str,
    to: &'a str,
    kind: (&'static str, &'static str),
    original: &'a str,
    original_to: &'a str,
}

/// One chat session of a conversation.
struct Session {
    contribution: String,
    in_reply_to: Option<String>,
    /// The conference focus of a group session (`lastfocussessionid` of the group state).
    focus: String,
}

impl Gen {
    pub(super) fn conversations(&mut self) {
        let convs: Vec<Conv> = CONTACTS[..ONE_TO_ONE_COUNT]
            .iter()
            .map(|c| (vec![c], None))
            .chain(GROUPS.iter().map(|gr| (gr.members.iter().map(|&i| &CONTACTS[i]).collect(), Some(gr.subject))))
            .map(|(peers, subject)| {
                let id = self.rng.uuid();
                Conv { folder: format!("{STORE}/conv-{id}"), id, peers, subject }
            })
            .collect();
        for (i, conv) in convs.iter().enumerate() {
            let attrs = Attrs::default()
                .one("Conversation-ID", &conv.id)
                .one("Is-CPM-Group", conv.group_flag())
                .opt("Subject", conv.subject)
                .many("To", conv.peer_uris());
            self.folder(&conv.folder, attrs.0);
            // Two conversations in three were active in the last week, the rest within the month.
            let newest =
                if i % 3 == 2 { self.rng.between(8 * DAY, 28 * DAY) } else { self.rng.between(2 * HOUR, 6 * DAY) };
            let starts = self.spread(SESSIONS, newest);
            let mut previous: Option<String> = None;
            for start in starts {
                let session = Session {
                    contribution: self.rng.uuid(),
                    in_reply_to: previous.take(),
                    focus: format!("sip:{}@conf.ims.example.net", self.rng.uuid()),
                };
                self.session(conv, &session, start);
                previous = Some(session.contribution);
            }
        }
    }

    fn session(&mut self, conv: &Conv, session: &Session, start: i64) {
        let table = if conv.is_group() { GROUP_DIALOGUES } else { ONE_TO_ONE };
        let dialogue = *self.rng.pick(table);
        let initiator = conv.speaker(dialogue[0].0);
        self.session_info(conv, session, initiator, start);
        let file_after = self.rng.chance(60).then(|| self.rng.below(dialogue.len() as u64) as usize);
        let mut t = start;
        for (i, &(who, text)) in dialogue.iter().enumerate() {
            t += self.rng.between(20, 6 * MINUTE);
            let speaker = conv.speaker(who);
            let reply_to = if i == 0 { session.in_reply_to.as_deref() } else { None };
            let imdn = self.chat_message(conv, session, speaker, text, t, reply_to);
            self.imdns(conv, speaker, &imdn, t);
            if file_after == Some(i) {
                t += self.rng.between(30, 3 * MINUTE);
                let sender = if self.rng.chance(50) { None } else { conv.speaker(1 + self.rng.below(4) as usize) };
                let imdn = self.file_message(conv, sender, t);
                self.imdns(conv, sender, &imdn, t);
            }
        }
        if conv.is_group() {
            let at = t + self.rng.between(MINUTE, 10 * MINUTE);
            self.group_state(conv, session, at);
        }
    }

    /// The session-history object that opens every chat session.
    fn session_info(&mut self, conv: &Conv, session: &Session, initiator: Option<&Contact>, t: i64) {
        let attrs = conv
            .base(self, "session-info", t, initiator, &session.contribution)
            .one("Content-Type", SESSION_TYPE)
            .opt("InReplyTo-Contribution-ID", session.in_reply_to.clone());
        let invited: Vec<&str> = std::iter::once(DEMO_BOX).chain(conv.peers.iter().map(|p| p.uri)).collect::<Vec<_>>();
        let session_type = if conv.is_group() { "Group" } else { "1-1" };
        let sdp = format!(
            "v=0\r\no=- {t} {t} IN IP4 198.51.100.7\r\ns=-\r\nc=IN IP4 198.51.100.7\r\nt=0 0\r\n\
             m=message 9 TCP/MSRP *\r\na=accept-types:message/cpim application/im-iscomposing+xml\r\n\
             a=path:msrp://198.51.100.7:9/{};tcp\r\n",
            &session.contribution[..8]
        );
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<session-info>\r\n<session-type>{session_type}</session-type>\r\n\
             <sdp>{}</sdp>\r\n<invited-participants>{}</invited-participants>\r\n</session-info>\r\n",
            xml_escape(&sdp),
            xml_escape(&invited.join(", "))
        );
        let flags = FlagList::new([crate::wire::names::SEEN]);
        self.push(&conv.folder, attrs, flags, None, vec![Part::new(SESSION_TYPE, xml.into_bytes())]);
    }

    /// A chat message; returns its IMDN Message-ID.
    fn chat_message(
        &mut self,
        conv: &Conv,
        session: &Session,
        speaker: Option<&Contact>,
        text: &str,
        t: i64,
        reply_to: Option<&str>,
    ) -> String {
        let imdn = self.rng.imdn_id();
        let attrs = conv
            .base(self, "chat-message", t, speaker, &session.contribution)
            .one("IMDN-Message-ID", &imdn)
            .opt("InReplyTo-Contribution-ID", reply_to)
            .one("P-Asserted-Service", "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.session")
            .one("TextContent", text);
        let flags = self.flags(speaker.is_some(), t, true);
        let part = if conv.is_group() {
            // Group chats are stored as received: CPIM-wrapped with the IMDN headers.
            let from = speaker.map_or(DEMO_BOX, |c| c.uri);
            let cpim = format!(
                "From: <{from}>\r\nTo: <sip:anonymous@anonymous.invalid>\r\nNS: imdn <urn:ietf:params:imdn>\r\n\
                 imdn.Message-ID: {imdn}\r\nDateTime: {}\r\nimdn.Disposition-Notification: positive-delivery, display\r\n\
                 \r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{text}",
                self.date(t),
                text.len()
            );
            Part::new("message/cpim", cpim.into_bytes())
        } else {
            text_part(text)
        };
        self.push(&conv.folder, attrs, flags, Some(imdn.clone()), vec![part]);
        imdn
    }

    /// A file-transfer history object with a real PNG and its thumbnail; returns its IMDN Message-ID.
    fn file_message(&mut self, conv: &Conv, sender: Option<&Contact>, t: i64) -> String {
        let imdn = self.rng.imdn_id();
        // A file transfer runs in its own MSRP session, hence its own Contribution-ID.
        let contribution = self.rng.uuid();
        let attrs = conv
            .base(self, "file-message", t, sender, &contribution)
            .one("IMDN-Message-ID", &imdn)
            .one("P-Asserted-Service", "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.filetransfer");
        let flags = self.flags(sender.is_some(), t, true);
        let parts = self.photo_parts();
        self.push(&conv.folder, attrs, flags, Some(imdn.clone()), parts);
        imdn
    }

    /// Delivery and display notifications: received for sent messages, and a few sent for received ones.
    fn imdns(&mut self, conv: &Conv, speaker: Option<&Contact>, original: &str, t: i64) {
        match speaker {
            None => {
                let (p_delivered, p_displayed) = if conv.is_group() { (20, 15) } else { (50, 35) };
                for peer in conv.peers.clone() {
                    let mut at = t;
                    for (kind, p) in [(DELIVERED, p_delivered), (DISPLAYED, p_displayed)] {
                        if !self.rng.chance(p) {
                            break;
                        }
                        at += self.rng.between(2, 40 * MINUTE);
                        let report = Report { from: peer.uri, to: DEMO_BOX, kind, original, original_to: peer.uri };
                        self.imdn(conv, &report, at);
                    }
                }
            }
            Some(sender) => {
                if self.rng.chance(15) {
                    let at = t + self.rng.between(MINUTE, 2 * HOUR);
                    let report =
                        Report { from: DEMO_BOX, to: sender.uri, kind: DISPLAYED, original, original_to: DEMO_BOX };
                    self.imdn(conv, &report, at);
                }
            }
        }
    }

    /// One IMDN object: no payload; the correlationId is the original message's IMDN id.
    fn imdn(&mut self, conv: &Conv, r: &Report, t: i64) {
        let attrs = Attrs::default()
            .one("Date", self.date(t))
            .one("Direction", if r.from == DEMO_BOX { "Out" } else { "In" })
            .one("From", r.from)
            .one("To", r.to)
            .one("Message-Context", "imdn-message")
            .one("Conversation-ID", &conv.id)
            .one("DispositionType", r.kind.0)
            .one("DispositionStatus", r.kind.1)
            .one("DispositionOriginalMessageID", r.original)
            .one("DispositionOriginalTo", r.original_to);
        let flags = FlagList::new([crate::wire::names::SEEN]);
        self.push(&conv.folder, attrs, flags, Some(r.original.to_string()), Vec::new());
    }

    /// The group-state document the focus reports at the end of a session.
    fn group_state(&mut self, conv: &Conv, session: &Session, t: i64) {
        let focus = session.focus.clone();
        let attrs = Attrs::default()
            .one("Date", self.date(t))
            .one("Direction", "In")
            .one("From", &focus)
            .one("To", DEMO_BOX)
            .one("Message-Context", "group-state")
            .one("Content-Type", GROUPSTATE_TYPE)
            .one("Conversation-ID", &conv.id)
            .one("Contribution-ID", &session.contribution)
            .one("Is-CPM-Group", "yes")
            .opt("Subject", conv.subject);
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<groupstate timestamp=\"{}\" lastfocussessionid=\"{}\" \
             xmlns=\"urn:oma:xml:cpm:groupstate:1.0\">\r\n",
            self.date(t),
            xml_escape(&focus)
        );
        let members = std::iter::once(("Demo User", DEMO_BOX)).chain(conv.peers.iter().map(|p| (p.name, p.uri)));
        for (name, uri) in members {
            xml.push_str(&format!(
                "  <participant name=\"{}\" comm-addr=\"{}\"/>\r\n",
                xml_escape(name),
                xml_escape(uri)
            ));
        }
        xml.push_str("</groupstate>\r\n");
        let flags = FlagList::new([crate::wire::names::SEEN]);
        self.push(&conv.folder, attrs, flags, None, vec![Part::new(GROUPSTATE_TYPE, xml.into_bytes())]);
    }
}
