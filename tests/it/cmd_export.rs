//! `cpmctl export` through the real binary against the reference server's demo box: every
//! object once, attachments byte-identical to the server's parts, a manifest that verifies,
//! readable transcripts (texts, subject, participants, receipts), update, zip, split, SMS
//! Backup & Restore, hostile strings and the refusal of a non-empty directory.

use crate::cmd_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use cmd_support::{Fixture, file_part};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Every regular file under `dir`, relative, `/`-separated.
fn files(dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// Every record of every `messages.jsonl`, with the folder it is in.
fn records(dir: &Path) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for f in files(dir) {
        if f.ends_with("/messages.jsonl") {
            let folder = f.trim_end_matches("/messages.jsonl").to_string();
            for line in std::fs::read_to_string(dir.join(&f)).unwrap().lines() {
                out.push((folder.clone(), serde_json::from_str(line).unwrap()));
            }
        }
    }
    out
}

fn manifest(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Checks that the manifest lists exactly the files of the export, with their hashes.
fn manifest_verifies(dir: &Path) {
    let m = manifest(dir);
    let listed: BTreeMap<String, (u64, String)> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                (f["size"].as_u64().unwrap(), f["sha256"].as_str().unwrap().into()),
            )
        })
        .collect();
    let mut on_disk = files(dir);
    on_disk.remove("manifest.json");
    assert_eq!(listed.keys().cloned().collect::<BTreeSet<_>>(), on_disk, "the manifest lists every file");
    for (path, (size, hash)) in &listed {
        let bytes = std::fs::read(dir.join(path)).unwrap();
        assert_eq!((bytes.len() as u64, sha(&bytes)), (*size, hash.clone()), "{path}");
    }
}

fn dom_id(reference: &str) -> String {
    format!("m-{}", &sha(reference.as_bytes())[..16])
}

fn out_dir(f: &Fixture, name: &str) -> PathBuf {
    f.work().join(name)
}

#[test]
fn all_of_the_demo_box_once_verified_and_readable() {
    let f = Fixture::demo();
    // A standalone file at the root belongs to no conversation: it goes to unsorted/.
    let loose = f.create(
        "/",
        &[("Date", "2024-05-01T10:00:00Z"), ("Message-Context", "standalone-message")],
        &[],
        vec![file_part("application/pdf", "report.pdf", b"%PDF-1.4 not really")],
    );
    let before = f.records(&["search", "--all"]);
    let unread_before: BTreeSet<String> = before
        .iter()
        .filter(|r| !r["flags"].as_array().unwrap().iter().any(|x| x == "\\Seen"))
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let out = out_dir(&f, "all");
    let summary: Value =
        serde_json::from_str(&f.ok(&["-o", "json", "export", "--all", "--out", "all", "--tz", "UTC"])).unwrap();
    assert_eq!(summary["objects"].as_u64().unwrap(), before.len() as u64);

    // Every demo object exactly once across the messages.jsonl files.
    let recs = records(&out);
    let ids: Vec<&str> = recs.iter().map(|(_, r)| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no object twice");
    let want: BTreeSet<&str> = before.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(unique, want, "every object");
    let unsorted: Vec<&str> =
        recs.iter().filter(|(folder, _)| folder == "unsorted").map(|(_, r)| r["id"].as_str().unwrap()).collect();
    assert_eq!(unsorted, [loose.as_str()]);
    assert_eq!(summary["unsorted"], 1);

    // Every part's file holds exactly the server's bytes, and its record says so.
    let client = f.client();
    let mut checked = 0;
    for (folder, r) in &recs {
        let hrefs: Vec<&str> = r["object"]["payloadPart"]
            .as_array()
            .map(|a| a.iter().map(|p| p["href"].as_str().unwrap()).collect())
            .unwrap_or_default();
        let parts = r["parts"].as_array().cloned().unwrap_or_default();
        assert_eq!(parts.len(), hrefs.len(), "{}", r["id"]);
        for (p, href) in parts.iter().zip(hrefs) {
            let server = f.rt.block_on(async { client.download(href).await.unwrap().bytes().await.unwrap() });
            let file = p["file"].as_str().unwrap();
            assert!(file.starts_with("attachments/"), "{file}");
            let local = std::fs::read(out.join(folder).join(file)).unwrap();
            assert_eq!(sha(&local), sha(&server), "{file}");
            assert_eq!(p["sha256"].as_str().unwrap(), sha(&server));
            assert_eq!(p["size"].as_u64().unwrap(), server.len() as u64);
            checked += 1;
        }
    }
    assert!(checked > 20, "the demo has many parts ({checked})");
    manifest_verifies(&out);
    let m = manifest(&out);
    assert_eq!(m["box"], f.info.box_id.as_str());
    assert_eq!(m["counts"]["objects"].as_u64().unwrap(), before.len() as u64);
    assert_eq!(m["query"]["all"], true);

    // Names are safe: no hidden files, nothing but ordinary characters, folders end in their key.
    for path in files(&out) {
        for c in path.split('/') {
            assert!(!c.starts_with('.') && !c.is_empty(), "{path}");
            assert!(!c.chars().any(|ch| ch.is_control() || "<>:\"\\|?*".contains(ch)), "{path}");
        }
    }
    for c in m["conversations"].as_array().unwrap() {
        let folder = c["folder"].as_str().unwrap();
        assert!(folder == "unsorted" || folder.ends_with(c["id"].as_str().unwrap()), "{folder}");
    }

    // A group chat: each message's text, the subject once in the heading, the participants.
    let hike = m["conversations"].as_array().unwrap().iter().find(|c| c["subject"] == "Weekend hike 🥾").unwrap();
    let folder = out.join(hike["folder"].as_str().unwrap());
    let html = std::fs::read_to_string(folder.join("transcript.html")).unwrap();
    let txt = std::fs::read_to_string(folder.join("transcript.txt")).unwrap();
    assert_eq!(html.matches("<h1>Weekend hike 🥾</h1>").count(), 1);
    for p in ["+15550001234", "+15550002222", "+15550003333", "+15550006666"] {
        assert!(html.contains(&format!("<li>{p}</li>")), "participant {p}");
    }
    let texts: Vec<String> = recs
        .iter()
        .filter(|(_, r)| r["conversation"] == hike["key"] && r["context"] == "chat-message")
        .map(|(_, r)| {
            r["object"]["attributes"]["attribute"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["name"] == "TextContent")
                .unwrap()["value"][0]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(!texts.is_empty());
    for t in &texts {
        let escaped = t
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;")
            .replace('/', "&#x2f;");
        assert!(html.contains(&escaped), "html shows {t:?}");
        assert!(txt.contains(t.as_str()), "txt shows {t:?}");
    }
    assert_eq!(txt.lines().count(), hike["messages"].as_u64().unwrap() as usize, "one line per message");
    assert!(txt.lines().all(|l| l.get(19..25) == Some("+00:00")), "RFC 3339 with offset");
    // The subject is the heading, never a message's text.
    assert_eq!(html.matches("Weekend hike 🥾").count(), 2, "title and heading only");

    // Read state from IMDNs: each displayed report ticks its message twice, delivered once.
    let mut ticks = 0;
    for (folder, r) in &recs {
        if r["context"] != "imdn-message" || r["direction"] != "In" {
            continue;
        }
        let attrs = r["object"]["attributes"]["attribute"].as_array().unwrap();
        let get = |n: &str| attrs.iter().find(|a| a["name"] == n).map(|a| a["value"][0].as_str().unwrap().to_string());
        let original = get("DispositionOriginalMessageID").unwrap();
        let id = dom_id(&original);
        let page = std::fs::read_to_string(out.join(folder).join("transcript.html")).unwrap();
        assert!(page.contains(&format!("id=\"{id}\"")), "the message of report {}", r["id"]);
        let rule = match get("DispositionStatus").as_deref() {
            Some("displayed") => format!("#{id} .rcpt .d, #{id} .rcpt .r {{ display: inline; }}"),
            _ => format!("#{id} .rcpt .d {{ display: inline; }}"),
        };
        assert!(page.contains(&rule), "{rule}");
        ticks += 1;
    }
    assert!(ticks > 5, "the demo has delivery reports ({ticks})");

    // index.csv: a row per message.
    let csv = std::fs::read_to_string(out.join("index.csv")).unwrap();
    assert_eq!(csv.lines().count() as u64, 1 + m["counts"]["messages"].as_u64().unwrap());

    // Reading never set \Seen.
    let after = f.records(&["search", "--all"]);
    let unread_after: BTreeSet<String> = after
        .iter()
        .filter(|r| !r["flags"].as_array().unwrap().iter().any(|x| x == "\\Seen"))
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(unread_before, unread_after);

    // A non-empty directory is refused with exit 7 and left alone.
    let before_files = files(&out);
    let (code, _, err) = f.run(&["export", "--all", "--out", "all"]);
    assert_eq!(code, 7, "{err}");
    assert!(err.contains("not empty"), "{err}");
    assert_eq!(files(&out), before_files);
}

#[test]
fn update_adds_the_new_message_and_marks_the_deleted_one() {
    let f = Fixture::demo();
    let convs = f.records(&["conversations"]);
    let sms = convs.iter().find(|c| c["key"] == "peers:+15550002222").unwrap();
    let id = sms["id"].as_str().unwrap();
    let out = out_dir(&f, "bob");
    f.ok(&["export", "--conversation", id, "--out", "bob", "--tz", "UTC"]);
    let first = records(&out);
    let m1 = manifest(&out);
    manifest_verifies(&out);
    let folder = first[0].0.clone();

    // One new message on the store, one old one deleted.
    let new_id = f.create(
        "/RCSMessageStore",
        &[
            ("Date", "2099-01-01T00:00:00Z"),
            ("Message-Context", "pager-message"),
            ("Direction", "In"),
            ("From", "tel:+15550002222"),
            ("To", "tel:+15550001111"),
            ("TextContent", "a brand new message"),
        ],
        &[],
        vec![],
    );
    let gone =
        first.iter().find(|(_, r)| r["context"] == "pager-message").unwrap().1["id"].as_str().unwrap().to_string();
    f.ok(&["rm", "--yes", &gone]);

    let summary: Value = serde_json::from_str(&f.ok(&[
        "-o",
        "json",
        "export",
        "--conversation",
        id,
        "--out",
        "bob",
        "--update",
        "--tz",
        "UTC",
    ]))
    .unwrap();
    assert_eq!(summary["added"], 1, "{summary}");
    assert_eq!(summary["markedDeleted"], 1, "{summary}");
    let second = records(&out);
    assert_eq!(second.len(), first.len() + 1, "exactly one record more");
    let ids1: BTreeSet<&str> = first.iter().map(|(_, r)| r["id"].as_str().unwrap()).collect();
    let ids2: BTreeSet<&str> = second.iter().map(|(_, r)| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids2.difference(&ids1).copied().collect::<Vec<_>>(), [new_id.as_str()]);
    let deleted: Vec<&str> =
        second.iter().filter(|(_, r)| r["deleted"] == true).map(|(_, r)| r["id"].as_str().unwrap()).collect();
    assert_eq!(deleted, [gone.as_str()], "kept and marked, never dropped");
    assert!(second.iter().all(|(f2, _)| *f2 == folder), "same folder");
    let txt = std::fs::read_to_string(out.join(&folder).join("transcript.txt")).unwrap();
    assert!(txt.lines().last().unwrap().ends_with("a brand new message"));
    let m2 = manifest(&out);
    assert_eq!(m2["counts"]["objects"].as_u64().unwrap(), m1["counts"]["objects"].as_u64().unwrap() + 1);
    assert_eq!(m2["counts"]["deleted"], 1);
    manifest_verifies(&out);
    let hash_of =
        |m: &Value, p: &str| m["files"].as_array().unwrap().iter().find(|f| f["path"] == p).unwrap()["sha256"].clone();
    let jsonl = format!("{folder}/messages.jsonl");
    assert_ne!(hash_of(&m1, &jsonl), hash_of(&m2, &jsonl), "re-hashed");

    // Nothing new: an update changes nothing.
    let summary: Value = serde_json::from_str(&f.ok(&[
        "-o",
        "json",
        "export",
        "--conversation",
        id,
        "--out",
        "bob",
        "--update",
        "--tz",
        "UTC",
    ]))
    .unwrap();
    assert_eq!(summary["added"], 0);
    assert_eq!(records(&out).len(), second.len());
}

#[test]
fn zip_split_smsbr_and_mail_formats() {
    let f = Fixture::demo();
    let convs = f.records(&["conversations"]);
    let sms = convs.iter().find(|c| c["key"] == "peers:+15550002222").unwrap();
    let id = sms["id"].as_str().unwrap();
    let out = out_dir(&f, "t");
    f.ok(&[
        "export",
        "--conversation",
        id,
        "--out",
        "t",
        "--zip",
        "--split",
        "3",
        "--format",
        "html,txt,jsonl,eml,mbox,csv,smsbr",
        "--tz",
        "America/New_York",
    ]);
    manifest_verifies(&out);

    // The archive holds exactly the same files, byte for byte.
    let zip_path = f.work().join("t.zip");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut in_zip = BTreeSet::new();
    for i in 0..zip.len() {
        let mut e = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut bytes).unwrap();
        let name = e.name().unwrap().to_string();
        assert_eq!(bytes, std::fs::read(out.join(&name)).unwrap(), "{name}");
        in_zip.insert(name);
    }
    assert_eq!(in_zip, files(&out));

    // Pages of 3 messages, linked both ways.
    let folder = out.join(records(&out)[0].0.clone());
    let messages = sms["messages"].as_u64().unwrap();
    let pages = messages.div_ceil(3);
    assert!(pages >= 2, "the demo thread is long enough ({messages})");
    for n in 1..=pages {
        let name = if n == 1 { "transcript.html".to_string() } else { format!("transcript-{n}.html") };
        let page = std::fs::read_to_string(folder.join(&name)).unwrap();
        assert!(page.contains(&format!("Page {n} of {pages}")), "{name}");
        if n < pages {
            assert!(page.contains(&format!("href=\"transcript-{}.html\"", n + 1)), "{name} links on");
        }
        assert!(page.matches("class=\"msg ").count() <= 3);
    }

    // SMS Backup & Restore: every SMS and MMS of the thread, direction and read state right.
    let xml = std::fs::read(folder.join("smsbr.xml")).unwrap();
    let reader = cpmctl::formats::smsbr::SmsbrReader::new(&xml[..]);
    let got: Vec<_> = reader.map(|r| r.unwrap()).collect();
    let recs = records(&out);
    let sms_mms: Vec<&Value> = recs
        .iter()
        .map(|(_, r)| r)
        .filter(|r| r["context"] == "pager-message" || r["context"] == "multimedia-message")
        .collect();
    assert_eq!(got.len(), sms_mms.len());
    let smsbr_text = String::from_utf8_lossy(&xml);
    for r in &sms_mms {
        let seen = r["object"]["flags"]["flag"].as_array().is_some_and(|a| a.iter().any(|x| x == "\\Seen"));
        if r["context"] == "pager-message" {
            let ty = if r["direction"] == "In" { "type=\"1\"" } else { "type=\"2\"" };
            let date = r["date"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap().as_millisecond();
            let line = smsbr_text.lines().find(|l| l.contains(&format!("date=\"{date}\""))).unwrap();
            assert!(line.contains(ty), "{line}");
            assert!(line.contains(if seen { "read=\"1\"" } else { "read=\"0\"" }), "{line}");
        }
    }

    // eml/ and messages.mbox in the CPM IMAP form: each reads back as its object.
    let eml = files(&folder.join("eml"));
    assert_eq!(eml.len(), recs.len());
    for name in &eml {
        let bytes = std::fs::read(folder.join("eml").join(name)).unwrap();
        let parsed = cpmctl::formats::read(&bytes).unwrap();
        assert!(
            recs.iter()
                .any(|(_, r)| r["object"]["attributes"] == serde_json::to_value(&parsed.object.attributes).unwrap())
        );
    }
    let mbox = std::fs::read_to_string(folder.join("messages.mbox")).unwrap();
    assert_eq!(mbox.lines().filter(|l| l.starts_with("From ")).count(), recs.len());
}

#[test]
fn hostile_strings_are_escaped_and_names_stay_inside() {
    let f = Fixture::demo();
    let hostile = "<script>alert(1)</script>\u{202e}evil";
    f.create(
        "/RCSMessageStore/hostile",
        &[
            ("Date", "2024-05-01T10:00:00Z"),
            ("Message-Context", "chat-message"),
            ("Direction", "In"),
            ("From", "sip:<img src=x onerror=alert(2)>@evil"),
            ("To", "tel:+15550001111"),
            ("Conversation-ID", "../../../etc/passwd"),
            ("Is-CPM-Group", "yes"),
            ("Subject", "\"><script>alert(3)</script>"),
            ("TextContent", hostile),
        ],
        &[],
        vec![file_part("text/html", "../../../evil.html", b"<script>alert(4)</script>")],
    );
    let out = out_dir(&f, "h");
    let convs = f.records(&["conversations"]);
    let c = convs.iter().find(|c| c["key"] == "conversation:../../../etc/passwd").unwrap();
    f.ok(&["export", "--conversation", c["id"].as_str().unwrap(), "--out", "h", "--format", "html,txt,jsonl,csv"]);

    // A user's template replaces the default piece and is escaped the same way.
    let tpl = f.work().join("tpl");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("message.html"), "<p class=\"custom\">{{ sender }}: {{ text }}</p>\n").unwrap();
    f.ok(&["export", "--conversation", c["id"].as_str().unwrap(), "--out", "h2", "--template", "tpl"]);
    let custom: String = files(&out_dir(&f, "h2"))
        .iter()
        .filter(|p| p.ends_with("transcript.html"))
        .map(|p| std::fs::read_to_string(out_dir(&f, "h2").join(p)).unwrap())
        .collect();
    assert!(custom.contains("<p class=\"custom\">"), "{custom}");
    assert!(custom.contains("&lt;script&gt;alert(1)"), "{custom}");
    assert!(!custom.contains("<script>"), "{custom}");
    let all = files(&out);
    for p in &all {
        assert!(!p.contains(".."), "{p}");
        assert!(out.join(p).canonicalize().unwrap().starts_with(out.canonicalize().unwrap()));
    }
    let page = all.iter().find(|p| p.ends_with("transcript.html")).unwrap();
    let html = std::fs::read_to_string(out.join(page)).unwrap();
    assert!(!html.contains("<script>"), "no server markup survives");
    assert!(!html.contains("<img src=x"), "no server markup survives");
    assert!(html.contains("&lt;script&gt;alert(1)"), "{html}");
    assert!(html.contains("&quot;&gt;&lt;script&gt;alert(3)"), "{html}");
    let txt = std::fs::read_to_string(out.join(page.replace(".html", ".txt"))).unwrap();
    assert!(!txt.contains('\u{202e}'), "bidi controls do not reach the text transcript");
    // The attachment keeps its bytes under a safe name.
    let att: Vec<&String> = all.iter().filter(|p| p.contains("/attachments/")).collect();
    assert_eq!(att.len(), 1);
    assert!(att[0].ends_with(".html"));
    manifest_verifies(&out);
}

#[test]
fn unknown_conversation_and_bad_flags_are_refused() {
    let f = Fixture::demo();
    let (code, _, err) = f.run(&["export", "--conversation", "ffffffffffff", "--out", "x"]);
    assert_eq!(code, 4, "{err}");
    let (code, _, err) = f.run(&["export", "--all", "--out", "x", "--format", "pdf"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = f.run(&["export", "--all", "--out", "x", "--tz", "Mars/Olympus"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = f.run(&["export", "--out", "x"]);
    assert_eq!(code, 2, "a selection is required");
    assert!(!f.work().join("x").exists(), "nothing written");

    // --participant: every conversation with that party (any spelling), nothing else.
    f.ok(&["export", "--participant", "+1 (555) 000-2222", "--out", "p", "--format", "jsonl"]);
    let m = manifest(&out_dir(&f, "p"));
    let convs = m["conversations"].as_array().unwrap();
    assert!(convs.len() >= 2, "{convs:?}");
    assert!(convs.iter().all(|c| c["peers"].as_array().unwrap().iter().any(|p| p == "+15550002222")));
    assert!(!out_dir(&f, "p").join("unsorted").exists());
    manifest_verifies(&out_dir(&f, "p"));

    // --folder: what is below that folder.
    f.ok(&["export", "--folder", "/RCSMessageStore/sms-+15550002222", "--out", "fo", "--format", "txt"]);
    let m = manifest(&out_dir(&f, "fo"));
    let keys: Vec<&str> = m["conversations"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["peers:+15550002222"]);
}

/// A group chat whose membership changes between two group-state documents: the transcript says
/// who joined and who left, at that point of the conversation, and nothing for an unchanged list.
#[test]
fn group_state_changes_show_joins_and_leaves() {
    let f = cmd_support::Fixture::demo();
    let conv = "9f1b2c3d-0000-4000-8000-00000000abcd";
    let state = |date: &str, members: &[&str]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<groupstate timestamp=\"x\" lastfocussessionid=\"sip:focus@x\" \
             xmlns=\"urn:oma:xml:cpm:groupstate:1.0\">\n",
        );
        for m in std::iter::once(&"tel:+15550001111").chain(members) {
            xml.push_str(&format!("  <participant comm-addr=\"{m}\"/>\n"));
        }
        xml.push_str("</groupstate>\n");
        f.create(
            "/RCSMessageStore/grp",
            &[
                ("Date", date),
                ("Direction", "In"),
                ("From", "sip:focus@x"),
                ("To", "tel:+15550001111"),
                ("Message-Context", "group-state"),
                ("Conversation-ID", conv),
                ("Is-CPM-Group", "yes"),
                ("Subject", "Membership"),
            ],
            &["\\Seen"],
            vec![cpmctl::wire::multipart::Part::new("application/vnd.oma.cpm-groupstate+xml", xml.into_bytes())],
        );
    };
    let message = |date: &str, from: &str, text: &str| {
        f.create(
            "/RCSMessageStore/grp",
            &[
                ("Date", date),
                ("Direction", "In"),
                ("From", from),
                ("To", "tel:+15550001111"),
                ("Message-Context", "chat-message"),
                ("Conversation-ID", conv),
                ("Is-CPM-Group", "yes"),
                ("Subject", "Membership"),
                ("TextContent", text),
            ],
            &["\\Seen"],
            vec![],
        );
    };
    state("2026-03-01T10:00:00Z", &["tel:+15550007001", "tel:+15550007002"]);
    message("2026-03-01T10:01:00Z", "tel:+15550007001", "first words");
    state("2026-03-01T10:02:00Z", &["tel:+15550007001", "tel:+15550007002"]);
    state("2026-03-01T10:05:00Z", &["tel:+15550007001", "tel:+15550007003"]);
    message("2026-03-01T10:06:00Z", "tel:+15550007003", "hello, new here");
    let out = f.work().join("grp");
    f.ok(&["export", "--conversation", &format!("conversation:{conv}"), "--tz", "UTC", "--out", out.to_str().unwrap()]);
    let dir = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir() && p.join("transcript.html").exists())
        .expect("the conversation's folder");
    let html = std::fs::read_to_string(dir.join("transcript.html")).unwrap();
    let events: Vec<&str> = html.lines().filter(|l| l.contains("class=\"event\"")).collect();
    assert_eq!(events.len(), 1, "one change, one event line: {events:?}");
    assert!(events[0].contains("joined: +15550007003") && events[0].contains("left: +15550007002"), "{events:?}");
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle} in the transcript"));
    assert!(at("first words") < at("joined: +15550007003") && at("joined: +15550007003") < at("hello, new here"));
}

/// `--split`: a receipt that arrives after its message's page was closed still marks that
/// message (the receipts are read before the pages are written).
#[test]
fn split_pages_keep_receipts_of_their_own_messages() {
    let f = cmd_support::Fixture::demo();
    let conv = "5e1f0a2b-0000-4000-8000-0000000000aa";
    for k in 1..=4 {
        f.create(
            "/RCSMessageStore/split",
            &[
                ("Date", &format!("2026-04-01T10:0{k}:00Z")),
                ("Direction", "Out"),
                ("From", "tel:+15550001111"),
                ("To", "tel:+15550007777"),
                ("Message-Context", "chat-message"),
                ("Conversation-ID", conv),
                ("IMDN-Message-ID", &format!("split-imdn-{k}")),
                ("TextContent", &format!("split message {k}")),
            ],
            &["\\Seen"],
            vec![],
        );
    }
    // The first message's display report comes in after the fourth message.
    f.create(
        "/RCSMessageStore/split",
        &[
            ("Date", "2026-04-01T10:09:00Z"),
            ("Direction", "In"),
            ("From", "tel:+15550007777"),
            ("To", "tel:+15550001111"),
            ("Message-Context", "imdn-message"),
            ("Conversation-ID", conv),
            ("DispositionOriginalMessageID", "split-imdn-1"),
            ("DispositionStatus", "displayed"),
        ],
        &["\\Seen"],
        vec![],
    );
    let out = f.work().join("split");
    f.ok(&[
        "export",
        "--conversation",
        &format!("conversation:{conv}"),
        "--split",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    let dir = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.join("transcript-2.html").exists())
        .expect("a conversation split into two pages");
    let page1 = std::fs::read_to_string(dir.join("transcript.html")).unwrap();
    let page2 = std::fs::read_to_string(dir.join("transcript-2.html")).unwrap();
    assert!(page1.contains("split message 1") && page2.contains("split message 4"));
    let id = page1.split("id=\"").nth(1).and_then(|s| s.split('"').next()).expect("the first message's element id");
    assert!(page1.contains(&format!("#{id} .rcpt .r")), "page 1 marks its first message displayed:\n{page1}");
    assert!(!page2.contains(&format!("#{id} ")), "the rule belongs on the message's own page");
}
