//! `cpmctl import` of mail: an mbox written by Python's `mailbox` module imports (plain mail,
//! multipart with an attachment, an SMS Backup+ mail, a body line starting with `From `); the
//! same mails as a Maildir and as EML files then create nothing new. Also the CPM IMAP form
//! written by `sync` re-creates identical objects.

use crate::cmd_support;
use crate::import_support;

use cmd_support::Fixture;
use import_support::*;

const SCRIPT: &str = r#"
import mailbox, sys, os, email.message, email.utils
d = sys.argv[1]
msgs = []
for i in range(12):
    m = email.message.EmailMessage()
    m['From'] = 'Friend %d <friend%d@example.com>' % (i, i)
    m['To'] = 'me@example.com'
    m['Subject'] = 'Hello %d' % i
    m['Date'] = 'Thu, %02d Jan 2015 10:00:00 +0000' % (i + 1)
    m['Message-ID'] = '<m%d@example.com>' % i
    m.set_content('Body %d\nFrom the start of a line\n' % i)
    if i % 3 == 0:
        m.add_attachment(bytes(range(256)) * 4, maintype='application', subtype='octet-stream', filename='blob%d.bin' % i)
    msgs.append(m)
s = email.message.EmailMessage()
s['From'] = '+15550102222 <+15550102222@unknown.email>'
s['To'] = 'me@example.com'
s['Subject'] = 'SMS with +15550102222'
s['Date'] = 'Fri, 02 Jan 2015 10:00:00 +0000'
s['Message-ID'] = '<abc@sms-backup-plus.local>'
s['X-smssync-address'] = '+15550102222'
s['X-smssync-datatype'] = 'SMS'
s['X-smssync-type'] = '1'
s['X-smssync-date'] = '1420192800123'
s['X-smssync-read'] = '1'
s.set_content('Backed up text')
msgs.append(s)
mb = mailbox.mbox(os.path.join(d, 'mail.mbox'))
md = mailbox.Maildir(os.path.join(d, 'Maildir'), create=True)
os.makedirs(os.path.join(d, 'eml'), exist_ok=True)
for n, m in enumerate(msgs):
    mb.add(m)
    md.add(m)
    with open(os.path.join(d, 'eml', 'm%02d.eml' % n), 'wb') as f:
        f.write(m.as_bytes())
mb.flush()
mb.close()
print(len(msgs))
"#;

fn created(fx: &Fixture, args: &[&str]) -> (usize, usize) {
    let mut all = vec!["import", "-o", "ndjson"];
    all.extend_from_slice(args);
    let out = fx.ok(&all);
    let recs: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let c = recs.iter().filter(|r| r["outcome"] == "created").count();
    let p = recs.iter().filter(|r| r["outcome"] == "present").count();
    (c, p)
}

#[test]
fn python_mbox_imports_and_the_same_mails_as_maildir_and_eml_create_nothing() {
    let fx = Fixture::demo();
    let work = fx.work();
    let out = match std::process::Command::new("python3").arg("-c").arg(SCRIPT).arg(&work).output() {
        Ok(out) => out,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "python3 is required under CI: {e}");
            let _ = std::io::Write::write_fmt(
                &mut std::io::stderr(),
                format_args!("SKIPPED: the mbox import check needs python3 ({e})\n"),
            );
            return;
        }
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mbox = work.join("mail.mbox").display().to_string();
    assert_eq!(created(&fx, &[&mbox]), (13, 0));
    let objects = imported(&fx);
    assert_eq!(objects.len(), 13);
    let sms = objects.iter().find(|o| o.attributes.first("Message-Context") == Some("pager-message")).unwrap();
    assert_eq!(sms.attributes.first("From"), Some("tel:+15550102222"));
    assert!(sms.flags.contains("\\Seen"));
    let with_blob = objects.iter().find(|o| o.correlation_id.as_deref() == Some("m0@example.com")).unwrap();
    let blob = with_blob.payload_part.iter().find(|p| p.content_type.starts_with("application/octet-stream")).unwrap();
    let client = fx.client();
    let bytes = fx.rt.block_on(async { client.download(&blob.href).await.unwrap().bytes().await.unwrap() });
    assert_eq!(bytes, (0..=255u8).cycle().take(1024).collect::<Vec<u8>>());
    // The mbox's quoted `>From ` line is unquoted again.
    let text = with_blob.payload_part.iter().find(|p| p.content_type.starts_with("text/plain")).unwrap();
    let body = fx.rt.block_on(async { client.download(&text.href).await.unwrap().bytes().await.unwrap() });
    assert!(
        String::from_utf8_lossy(&body).contains("\nFrom the start of a line"),
        "{}",
        String::from_utf8_lossy(&body)
    );

    let maildir = work.join("Maildir").display().to_string();
    assert_eq!(created(&fx, &[&maildir]), (0, 13));
    let eml = work.join("eml").display().to_string();
    assert_eq!(created(&fx, &["--format", "eml", &eml]), (0, 13));
    assert_eq!(created(&fx, &[&eml]), (0, 13));
    assert_eq!(imported(&fx).len(), 13);
}

#[test]
fn a_sync_mirror_is_present_and_re_creates_identical_objects_once_deleted() {
    let fx = Fixture::demo();
    let file = write(&fx, "b.xml", backup(0..30, 0..4).as_bytes());
    fx.ok(&["import", &file]);
    let before = imported(&fx);
    let mirror = fx.work().join("mirror").display().to_string();
    fx.ok(&["sync", &mirror]);
    // Without the ledger the mirror's files are recognised in the store: nothing new.
    let ledger = fx.dir.path().join("data").join("import-ledger.sqlite");
    std::fs::remove_file(&ledger).unwrap();
    let (code, _, err) = fx.run(&["import", &mirror]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported 0, already present"), "{err}");
    // Deleted from the store (and the ledger), the mirror re-creates the same objects.
    let ids: Vec<String> =
        before.iter().map(|o| cpmctl::nms::id_from_url(o.resource_url.as_deref().unwrap())).collect();
    let mut rm = vec!["rm", "--yes"];
    rm.extend(ids.iter().map(String::as_str));
    fx.ok(&rm);
    assert!(imported(&fx).is_empty());
    std::fs::remove_file(&ledger).unwrap();
    fx.ok(&["import", &mirror]);
    let after = imported(&fx);
    assert_eq!(after.len(), before.len());
    let folder =
        |o: &cpmctl::wire::Object| o.path.as_deref().and_then(|p| p.rsplit_once('/')).map(|(f, _)| f.to_string());
    for b in &before {
        let key = cpmctl::import::key::content_key(b);
        let a = after.iter().find(|a| cpmctl::import::key::content_key(a) == key).unwrap();
        assert_eq!(a.attributes, b.attributes);
        let (mut fa, mut fb) = (a.flags.flag.clone(), b.flags.flag.clone());
        fa.sort();
        fb.sort();
        assert_eq!(fa, fb);
        assert_eq!((&a.correlation_id, &a.correlation_tag), (&b.correlation_id, &b.correlation_tag));
        assert_eq!(folder(a), folder(b));
        let sizes = |o: &cpmctl::wire::Object| {
            o.payload_part.iter().map(|p| (p.content_type.clone(), p.size)).collect::<Vec<_>>()
        };
        assert_eq!(sizes(a), sizes(b));
    }
}
