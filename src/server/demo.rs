//! Deterministic demo content for `cpmctl serve --demo`: a realistic CPM box (SMS, MMS, chats, file transfers,
//! sessions, group state, IMDNs) generated from a fixed seed, with every date derived from `now`.
//!
//! The generator never reads a clock or any randomness source: the same `now` always yields the same box, so
//! tests and screenshots are reproducible and re-seeding is idempotent.

mod chat;
mod png;
mod sms;
#[cfg(test)]
mod tests;
mod text;

use crate::wire::multipart::Part;
use crate::wire::{AttributeList, FlagList, Object, names};

/// The demo user's login name.
pub const DEMO_USER: &str = "demo";
/// The demo box id (the demo user's own number).
pub const DEMO_BOX: &str = "tel:+15550001111";

/// The folder every CPM message of the demo box lives under.
const STORE: &str = "/RCSMessageStore";
/// Fixed so that the content's shape does not depend on `now`; only dates do.
const SEED: u64 = 0x5eed_c0ff_ee15_5551;
const MINUTE: i64 = 60;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;
/// How far back the oldest message goes (about six months).
const WINDOW: i64 = 182 * DAY;

/// The whole demo box: folders (parents before children) and the objects stored in them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoBox {
    pub folders: Vec<DemoFolder>,
    pub objects: Vec<DemoObject>,
}

/// A folder by its full path from the root (`/RCSMessageStore/conv-…`), with its attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFolder {
    pub path: String,
    pub attributes: AttributeList,
}

/// One message: the folder path it goes to, its client-side fields and its payload parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoObject {
    pub folder_path: String,
    /// Attributes, flags, correlationId / correlationTag; no server fields.
    pub object: Object,
    pub parts: Vec<Part>,
}

/// Generates the demo box with every date in the six months before `now`.
pub fn demo_content(now: jiff::Timestamp) -> DemoBox {
    let mut g = Gen { rng: Rng(SEED), now: now.as_second(), folders: Vec::new(), objects: Vec::new(), photos: 0 };
    g.folder(STORE, AttributeList::default());
    g.conversations();
    g.standalone();
    g.sms_threads();
    DemoBox { folders: g.folders, objects: g.objects }
}

/// splitmix64: tiny, fast and good enough to make demo data look varied.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    /// A value in `lo..hi` (`lo` when the range is empty).
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below(hi.saturating_sub(lo).max(0) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty table.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn word(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(*self.pick(alphabet))).collect()
    }

    fn hex(&mut self, n: usize) -> String {
        self.word(b"0123456789abcdef", n)
    }

    /// A version-4-shaped UUID, as clients use for Conversation-ID and Contribution-ID.
    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..])
    }

    /// An IMDN Message-ID: random alphanumerics, as RCS clients generate them.
    fn imdn_id(&mut self) -> String {
        self.word(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 22)
    }
}

/// The generator state: the PRNG, `now` in Unix seconds and what was produced so far.
struct Gen {
    rng: Rng,
    now: i64,
    folders: Vec<DemoFolder>,
    objects: Vec<DemoObject>,
    photos: u32,
}

/// Attribute list builder keeping the canonical names and the insertion order.
#[derive(Default)]
struct Attrs(AttributeList);

impl Attrs {
    fn one(mut self, name: &str, value: impl Into<String>) -> Self {
        self.0.push(&names::canonical_attribute(name), value);
        self
    }

    fn many(mut self, name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let name = names::canonical_attribute(name);
        self.0.set(&name, values.into_iter().map(Into::into).collect());
        self
    }

    fn opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.one(name, v),
            None => self,
        }
    }
}

impl Gen {
    /// `YYYY-MM-DDThh:mm:ssZ` for Unix seconds `t`, never later than now.
    fn date(&self, t: i64) -> String {
        jiff::Timestamp::from_second(t.min(self.now))
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    }

    fn folder(&mut self, path: &str, attributes: AttributeList) {
        self.folders.push(DemoFolder { path: path.to_string(), attributes });
    }

    /// `count` instants spread over the window, oldest first; the newest lies about `newest_age` before now.
    fn spread(&mut self, count: usize, newest_age: i64) -> Vec<i64> {
        let mut ages: Vec<i64> = (1..count).map(|_| self.rng.between(newest_age + DAY, WINDOW)).collect();
        ages.push(newest_age);
        let mut times: Vec<i64> = ages.into_iter().map(|age| self.now - age).map(|t| self.waking_hours(t)).collect();
        times.sort_unstable();
        times
    }

    /// Moves `t` into 13:00–03:00 UTC of its day (daytime in the US, where the demo numbers live), unless
    /// that would bring it closer than half a day to now.
    fn waking_hours(&self, t: i64) -> i64 {
        let of_day = t.rem_euclid(DAY);
        let moved = t - of_day + 13 * HOUR + of_day % (14 * HOUR);
        if moved > self.now - DAY / 2 || t > self.now - DAY / 2 { t } else { moved }
    }

    /// A plausible flag set: sent and older received messages are seen, recent ones may be unread;
    /// a sprinkling of the other flags, `Archived` only on old messages.
    fn flags(&mut self, incoming: bool, t: i64, read_reports: bool) -> FlagList {
        let age = self.now - t;
        let mut flags = Vec::new();
        let unread = incoming && age < 3 * DAY && self.rng.chance(60);
        if !unread {
            flags.push(names::SEEN);
            if incoming && read_reports && self.rng.chance(60) {
                flags.push(names::READ_REPORT_SENT);
            }
            if incoming && self.rng.chance(12) {
                flags.push(names::ANSWERED);
            }
        }
        if self.rng.chance(5) {
            flags.push(names::FLAGGED);
        }
        if self.rng.chance(3) {
            flags.push(names::FORWARDED);
        }
        if age > 90 * DAY && self.rng.chance(25) {
            flags.push(names::ARCHIVED);
        }
        if self.rng.chance(4) {
            flags.push(names::DELETED);
        }
        FlagList::new(flags)
    }

    fn push(&mut self, folder: &str, attrs: Attrs, flags: FlagList, correlation_id: Option<String>, parts: Vec<Part>) {
        let object = Object { attributes: attrs.0, flags, correlation_id, ..Object::default() };
        self.objects.push(DemoObject { folder_path: folder.to_string(), object, parts });
    }

    /// A photo and its thumbnail as an FT payload: the file part names its icon by Content-ID.
    fn photo_parts(&mut self) -> Vec<Part> {
        self.photos += 1;
        let n = self.photos;
        let seed = self.rng.next();
        vec![
            Part::new("image/png", png::gradient(32, 24, seed))
                .with_header("content-disposition", &format!("attachment; filename=\"photo-{n}.png\""))
                .with_header("file-icon", "cid:thumbnail"),
            Part::new("image/png", png::gradient(8, 6, seed))
                .with_header("content-disposition", &format!("icon; filename=\"thumbnail_photo-{n}.png\""))
                .with_header("content-id", "thumbnail"),
        ]
    }

    /// A small image for an MMS, addressed by Content-Location like MMS parts are.
    fn mms_image(&mut self, name: &str) -> Part {
        let seed = self.rng.next();
        Part::new("image/png", png::gradient(32, 24, seed))
            .with_header("content-location", name)
            .with_header("content-id", &format!("<{name}>"))
            .with_header("content-disposition", &format!("attachment; filename=\"{name}\""))
    }
}

/// Escapes text for an XML attribute or element.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

fn text_part(text: &str) -> Part {
    Part::new("text/plain; charset=utf-8", text.as_bytes().to_vec())
}
