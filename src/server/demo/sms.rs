//! SMS / MMS threads (one folder per peer) and the standalone-message folder of the demo box.

use super::text::{CONTACTS, MMS, SHORT_CODE_LINES, SMS_LINES, STANDALONE_LINES, STANDALONE_OUT, STANDALONE_SENDERS};
use super::{Attrs, DAY, DEMO_BOX, Gen, HOUR, MINUTE, STORE, text_part};
use crate::wire::AttributeList;
use crate::wire::correlation::{bare_number, correlation_tag};

/// The contacts with an SMS thread, by index in [`CONTACTS`].
const SMS_PEERS: &[usize] = &[0, 1, 4, 7, 13];
/// A bank / delivery / OTP short code that only sends.
const SHORT_CODE: &str = "tel:72345";
const EXCHANGES: usize = 8;
const MMS_PER_PEER: usize = 2;
const STANDALONE_COUNT: usize = 14;

impl Gen {
    pub(super) fn sms_threads(&mut self) {
        for (i, &c) in SMS_PEERS.iter().enumerate() {
            let peer = CONTACTS[c].uri;
            let folder = format!("{STORE}/sms-{}", bare_number(peer));
            self.folder(&folder, AttributeList::default());
            let newest = if i < 3 { self.rng.between(HOUR, 5 * DAY) } else { self.rng.between(10 * DAY, 40 * DAY) };
            let pairs = SMS_LINES.len() / 2;
            for t in self.spread(EXCHANGES, newest) {
                let k = self.rng.below(pairs as u64) as usize;
                let (first, second) = (SMS_LINES[2 * k], SMS_LINES[2 * k + 1]);
                self.sms(&folder, peer, first.0 != 0, first.1, t);
                let reply = t + self.rng.between(MINUTE, 30 * MINUTE);
                self.sms(&folder, peer, second.0 != 0, second.1, reply);
            }
            let newest_mms = newest + self.rng.between(HOUR, 20 * DAY);
            for t in self.spread(MMS_PER_PEER, newest_mms) {
                let incoming = self.rng.chance(50);
                self.mms(&folder, peer, incoming, t);
            }
        }
        let folder = format!("{STORE}/sms-{}", bare_number(SHORT_CODE));
        self.folder(&folder, AttributeList::default());
        let newest = self.rng.between(HOUR, 2 * DAY);
        let times = self.spread(SHORT_CODE_LINES.len(), newest);
        for (t, text) in times.into_iter().zip(SHORT_CODE_LINES) {
            self.sms(&folder, SHORT_CODE, true, text, t);
        }
    }

    /// One SMS with the carrier correlationTag over the remote number and the text.
    fn sms(&mut self, folder: &str, peer: &str, incoming: bool, text: &str, t: i64) {
        let (from, to) = if incoming { (peer, DEMO_BOX) } else { (DEMO_BOX, peer) };
        let attrs = Attrs::default()
            .one("Date", self.date(t))
            .one("Direction", if incoming { "In" } else { "Out" })
            .one("From", from)
            .one("To", to)
            .one("Is-CPM-Group", "no")
            .one("Message-Context", "pager-message")
            .one("TextContent", text);
        let flags = self.flags(incoming, t, false);
        let part = text_part(text).with_header("content-disposition", "attachment; filename=\"sms.txt\"");
        self.push(folder, attrs, flags, None, vec![part]);
        if let Some(last) = self.objects.last_mut() {
            last.object.correlation_tag = Some(correlation_tag(Some(bare_number(peer)), incoming, text));
        }
    }

    /// One MMS: a caption and a photo, correlated by its MMS Message-ID.
    fn mms(&mut self, folder: &str, peer: &str, incoming: bool, t: i64) {
        let &(subject, caption) = self.rng.pick(MMS);
        let message_id = self.rng.hex(24).to_ascii_uppercase();
        let (from, to) = if incoming { (peer, DEMO_BOX) } else { (DEMO_BOX, peer) };
        let subject = (!subject.is_empty()).then_some(subject);
        let attrs = Attrs::default()
            .one("Date", self.date(t))
            .one("Direction", if incoming { "In" } else { "Out" })
            .one("From", from)
            .one("To", to)
            .opt("Subject", subject)
            .one("Is-CPM-Group", "no")
            .one("Message-Context", "multimedia-message")
            .one("Message-Id", &message_id)
            .one("TextContent", caption);
        let flags = self.flags(incoming, t, false);
        let parts = vec![
            text_part(caption)
                .with_header("content-location", "text_0.txt")
                .with_header("content-id", "<text_0>")
                .with_header("content-disposition", "attachment; filename=\"text_0.txt\""),
            self.mms_image("image_0.png"),
        ];
        self.push(folder, attrs, flags, Some(message_id), parts);
    }

    /// Standalone (pager-mode) messages: service bots and a few people, each peer its own Conversation-ID.
    pub(super) fn standalone(&mut self) {
        let folder = format!("{STORE}/standalone");
        self.folder(&folder, AttributeList::default());
        let mut peers: Vec<(&str, String)> =
            STANDALONE_SENDERS.iter().map(|&(_, uri)| (uri, self.rng.uuid())).collect();
        let outgoing_to = [&CONTACTS[2], &CONTACTS[5], &CONTACTS[11]];
        for c in outgoing_to {
            peers.push((c.uri, self.rng.uuid()));
        }
        let newest = self.rng.between(3 * HOUR, 2 * DAY);
        for t in self.spread(STANDALONE_COUNT, newest) {
            let incoming = self.rng.chance(75);
            let (peer, conversation) = if incoming {
                self.rng.pick(&peers[..STANDALONE_SENDERS.len()]).clone()
            } else {
                self.rng.pick(&peers[STANDALONE_SENDERS.len()..]).clone()
            };
            let text = if incoming { *self.rng.pick(STANDALONE_LINES) } else { *self.rng.pick(STANDALONE_OUT) };
            let (from, to) = if incoming { (peer, DEMO_BOX) } else { (DEMO_BOX, peer) };
            let imdn = self.rng.imdn_id();
            let attrs = Attrs::default()
                .one("Date", self.date(t))
                .one("Direction", if incoming { "In" } else { "Out" })
                .one("From", from)
                .one("To", to)
                .one("Message-Context", "standalone-message")
                .one("Conversation-ID", conversation)
                .one("Contribution-ID", self.rng.uuid())
                .one("IMDN-Message-ID", &imdn)
                .one("Is-CPM-Group", "no")
                .one("P-Asserted-Service", "urn:urn-7:3gpp-service.ims.icsi.oma.cpm.msg")
                .one("TextContent", text);
            let flags = self.flags(incoming, t, true);
            self.push(&folder, attrs, flags, Some(imdn), vec![text_part(text)]);
        }
    }
}
