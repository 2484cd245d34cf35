//! The CPM IMAP form against the real demo box: every object of `serve --demo`, fetched with the
//! library's NMS client together with its payload parts, written as a MIME message and read back
//! identical (attributes, flags, ids, part bytes); Python's `email` finds no defect in the files and
//! `mailbox.Maildir` opens them under their Maildir names.

use std::path::Path;

use cpmctl::formats::{self, PartBytes};
use cpmctl::nms::{Auth, ClientConfig, NmsClient, id_from_url};
use cpmctl::server::{self, ServerConfig};
use cpmctl::wire::{Object, SelectionCriteria};
use futures::StreamExt;

/// One demo object as the store gives it, with its parts downloaded.
struct Fetched {
    id: String,
    object: Object,
    parts: Vec<PartBytes>,
}

/// Starts the reference server in-process with the demo box and downloads every object and part.
async fn fetch_demo_box(data: &Path) -> Vec<Fetched> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let s = server::start(ServerConfig::new(data), listener).await.unwrap();
    let info = server::seed_demo(&s).await.unwrap();
    let auth = Auth::Basic { user: info.user.clone(), password: info.password.clone() };
    let client = NmsClient::new(ClientConfig::from_base_url(&info.base_url, auth).unwrap()).unwrap();
    let mut pages = client.search_stream(SelectionCriteria { max_entries: 100, ..Default::default() });
    let mut all = Vec::new();
    while let Some(page) = pages.next().await {
        for mut object in page.unwrap().object {
            let id = id_from_url(object.resource_url.as_deref().unwrap());
            // The server answers with the object's full path; the form carries its folder's path.
            let path = object.path.clone().unwrap();
            object.parent_folder_path = Some(path.rsplit_once('/').map(|(p, _)| p.to_string()).unwrap());
            let mut parts = Vec::new();
            for info in &object.payload_part {
                let bytes = client.download(&info.href).await.unwrap().bytes().await.unwrap();
                parts.push(PartBytes::from_info(info, bytes));
            }
            all.push(Fetched { id, object, parts });
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_demo_object_round_trips_through_the_cpm_imap_form() {
    let dir = tempfile::tempdir().unwrap();
    let fetched = fetch_demo_box(&dir.path().join("server")).await;
    assert!(fetched.len() > 50, "demo box has {} objects", fetched.len());

    let mut contexts = std::collections::BTreeSet::new();
    let (mut with_parts, mut multi_part, mut empty) = (0, 0, 0);
    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    for f in &fetched {
        let mut bytes = Vec::new();
        formats::write(Some(&f.id), &f.object, &f.parts, &mut bytes).unwrap();
        let back = formats::read(&bytes).unwrap_or_else(|e| panic!("{}: {e}", f.id));
        let text = String::from_utf8_lossy(&bytes);
        assert!(back.cpm_form);
        assert_eq!(back.id.as_deref(), Some(f.id.as_str()));
        assert_eq!(back.object, formats::portable(&f.object), "{}\n{text}", f.id);
        assert_eq!(back.object.attributes, f.object.attributes);
        assert_eq!(back.object.flags.flag, f.object.flags.flag);
        assert_eq!(back.object.correlation_id, f.object.correlation_id);
        assert_eq!(back.parts.len(), f.parts.len(), "{}", f.id);
        for (a, b) in back.parts.iter().zip(&f.parts) {
            assert_eq!(a.bytes, b.bytes, "{}: part bytes", f.id);
            assert_eq!(a, b, "{}", f.id);
        }
        contexts.insert(f.object.attributes.first("Message-Context").unwrap_or("").to_string());
        with_parts += usize::from(!f.parts.is_empty());
        multi_part += usize::from(f.parts.len() > 1);
        empty += usize::from(f.parts.is_empty());

        let name = format!("{}:2,{}", formats::safe_file_name(&f.id), formats::maildir_flags(&f.object.flags.flag));
        std::fs::write(maildir.join("cur").join(name), &bytes).unwrap();
    }
    // The box really covers what the form must carry: thumbnails, MMS images, IMDNs and the rest.
    for kind in ["pager-message", "multimedia-message", "chat-message", "file-message", "imdn-message"] {
        assert!(contexts.contains(kind), "no {kind} in {contexts:?}");
    }
    assert!(with_parts > 0 && multi_part > 0 && empty > 0, "{with_parts} {multi_part} {empty}");
    // And one object with what the demo box lacks: control characters, long values, odd names.
    let tricky = tricky_object();
    let mut bytes = Vec::new();
    formats::write(Some("odd/id:1"), &tricky.0, &tricky.1, &mut bytes).unwrap();
    let back = formats::read(&bytes).unwrap();
    assert_eq!((back.object, back.parts), (formats::portable(&tricky.0), tricky.1));
    let name = format!("{}:2,{}", formats::safe_file_name("odd/id:1"), formats::maildir_flags(&tricky.0.flags.flag));
    std::fs::write(maildir.join("cur").join(name), &bytes).unwrap();
    python_reads_without_defects(&maildir, fetched.len() + 1);
}

fn tricky_object() -> (Object, Vec<PartBytes>) {
    let mut o = Object { correlation_tag: Some("7f3a".into()), ..Object::default() };
    let a = &mut o.attributes;
    a.set("Subject", vec!["Grüße 😀 from 東京\r\nBcc: evil@example.com ".repeat(8)]);
    a.set("From", vec!["sip:+1555;user=phone@ims.example.net".into()]);
    a.set("To", vec!["tel:+15550001111".into(), "\"weird\" <x>, y".into(), String::new()]);
    a.set("Cc", vec!["bob@example.com".into()]);
    a.set("Conversation-ID", vec!["line\nbreak\u{0}".into()]);
    a.set("TextContent", vec!["multi\nline\ttext 😀".repeat(100)]);
    o.flags.flag = vec!["\\Seen".into(), "$Forwarded".into(), "Archived".into()];
    let parts = vec![
        PartBytes {
            content_type: "text/plain; charset=utf-8".into(),
            bytes: "multi\nline 😀".into(),
            ..Default::default()
        },
        PartBytes {
            content_type: "image/png; name=\"a;b ü.png\"".into(),
            content_id: Some("<odd id>".into()),
            content_location: Some("a b;c.png".into()),
            disposition: Some("attachment".into()),
            filename: Some("Fotó; \"2024\"\r\n.png".repeat(5)),
            bytes: (0..=255u8).collect(),
        },
        PartBytes {
            content_type: "application/vnd.gsma.rcs-ft-http+xml".into(),
            bytes: b"<x/>".to_vec(),
            ..Default::default()
        },
    ];
    (o, parts)
}

/// Python's `email` parser (default policy, every header parsed) reports no defect in any file, and
/// `mailbox.Maildir` lists them all. Skipped with a note when python3 is missing, except under CI.
fn python_reads_without_defects(maildir: &Path, expected: usize) {
    // Structural defects count everywhere; header defects only outside message/* payloads (a
    // CPIM body's own headers are the store's content, not this form's).
    const SCRIPT: &str = r#"
import email, email.policy, mailbox, os, sys
d = sys.argv[1]
box = mailbox.Maildir(d, factory=None, create=False)
keys = box.keys()
bad = []
def check(k, part, inside):
    global bad
    bad += ['%s: %r' % (k, x) for x in part.defects]
    if not inside:
        for h, v in part.items():
            bad += ['%s %s: %r' % (k, h, x) for x in getattr(v, 'defects', ())]
    if part.is_multipart():
        nested = inside or part.get_content_maintype() == 'message'
        for sub in part.get_payload():
            check(k, sub, nested)
    else:
        part.get_payload(decode=True)
for k in keys:
    with open(os.path.join(d, box._lookup(k)), 'rb') as f:
        check(k, email.message_from_binary_file(f, policy=email.policy.default), False)
print(len(keys))
for b in bad[:20]:
    print(b, file=sys.stderr)
sys.exit(1 if bad else 0)
"#;
    let out = match std::process::Command::new("python3").arg("-c").arg(SCRIPT).arg(maildir).output() {
        Ok(out) => out,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "python3 is required under CI: {e}");
            // Straight to the process's stderr: libtest hides eprintln! of a passing test.
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("SKIPPED: the Python email check needs python3 ({e})\n"),
            );
            return;
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "Python found defects:\n{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected.to_string(), "{stderr}");
}
