//! `cpmctl import` of JSONL records (`messages.jsonl`, what `export` writes): the whole demo box
//! written as records with its part files, deleted from the store, and imported again comes back
//! with identical attributes, flags, correlation ids, folders and payload bytes.

use crate::cmd_support;
use crate::import_support;

use std::collections::HashMap;

use futures::StreamExt;
use sha2::{Digest, Sha256};

use cmd_support::Fixture;
use cpmctl::formats::jsonl::{self, PartFile, Record};
use cpmctl::wire::{Object, SelectionCriteria};

fn all_objects(fx: &Fixture) -> Vec<Object> {
    let client = fx.client();
    fx.rt.block_on(async {
        let mut pages = client.search_stream(SelectionCriteria { max_entries: 1000, ..Default::default() });
        let mut out = Vec::new();
        while let Some(p) = pages.next().await {
            out.extend(p.unwrap().object);
        }
        out
    })
}

/// Part bytes of every object, by content key.
fn payloads(fx: &Fixture, objects: &[Object]) -> HashMap<String, Vec<Vec<u8>>> {
    let client = fx.client();
    objects
        .iter()
        .map(|o| {
            let parts = o
                .payload_part
                .iter()
                .map(|p| fx.rt.block_on(async { client.download(&p.href).await.unwrap().bytes().await.unwrap() }))
                .collect();
            (cpmctl::import::key::content_key(o), parts)
        })
        .collect()
}

#[test]
fn the_demo_box_as_jsonl_re_creates_identical_objects() {
    let fx = Fixture::demo();
    let before = all_objects(&fx);
    assert!(before.len() > 100);
    let bytes = payloads(&fx, &before);
    let dir = fx.work().join("export");
    std::fs::create_dir_all(dir.join("parts")).unwrap();
    let mut lines = Vec::new();
    for (n, o) in before.iter().enumerate() {
        let data = &bytes[&cpmctl::import::key::content_key(o)];
        let parts = o
            .payload_part
            .iter()
            .zip(data)
            .enumerate()
            .map(|(i, (p, b))| {
                let file = format!("parts/{n}-{i}.bin");
                std::fs::write(dir.join(&file), b).unwrap();
                PartFile {
                    index: i + 1,
                    content_type: p.content_type.clone(),
                    content_id: p.content_id.clone(),
                    filename: None,
                    file: Some(file),
                    size: b.len() as u64,
                    sha256: hex::encode(Sha256::digest(b)),
                }
            })
            .collect();
        let record = Record {
            format: jsonl::FORMAT.into(),
            id: cpmctl::nms::id_from_url(o.resource_url.as_deref().unwrap()),
            conversation: None,
            date: None,
            direction: None,
            from: None,
            to: vec![],
            context: None,
            text: None,
            object: o.clone(),
            parts,
            deleted: false,
        };
        jsonl::write_record(&mut lines, &record).unwrap();
    }
    std::fs::write(dir.join("messages.jsonl"), &lines).unwrap();

    // Present as they are.
    let (code, _, err) = fx.run(&["import", &dir.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(&format!("imported 0, already present {}", before.len())), "{err}");

    // Gone from the store and the ledger, they come back identical.
    let ids: String =
        before.iter().map(|o| cpmctl::nms::id_from_url(o.resource_url.as_deref().unwrap()) + "\n").collect();
    let out = fx.cmd().args(["rm", "--yes", "-"]).write_stdin(ids).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(all_objects(&fx).is_empty());
    std::fs::remove_file(fx.dir.path().join("data").join("import-ledger.sqlite")).unwrap();
    let (code, _, err) = fx.run(&["import", &dir.display().to_string()]);
    assert_eq!(code, 0, "{err}");
    let after = all_objects(&fx);
    assert_eq!(after.len(), before.len());
    let after_bytes = payloads(&fx, &after);
    let folder = |o: &Object| o.path.as_deref().and_then(|p| p.rsplit_once('/')).map(|(f, _)| f.to_string());
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
        assert_eq!(after_bytes[&key], bytes[&key]);
        let info = |o: &Object| {
            o.payload_part
                .iter()
                .map(|p| (p.content_type.clone(), p.content_id.clone(), p.content_disposition.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(info(a), info(b));
    }
}

#[test]
fn a_part_file_outside_the_export_is_rejected() {
    let fx = Fixture::demo();
    let dir = fx.work().join("evil");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(fx.work().join("secret.txt"), b"secret").unwrap();
    let mut o = Object::default();
    o.attributes.set("Date", vec!["2015-03-01T00:00:00Z".into()]);
    o.attributes.set("Message-Context", vec!["standalone-message".into()]);
    o.payload_part.push(cpmctl::wire::PayloadPartInfo { content_type: "text/plain".into(), ..Default::default() });
    let record = Record {
        format: jsonl::FORMAT.into(),
        id: "x".into(),
        conversation: None,
        date: None,
        direction: None,
        from: None,
        to: vec![],
        context: None,
        text: None,
        object: o,
        parts: vec![PartFile {
            index: 1,
            content_type: "text/plain".into(),
            content_id: None,
            filename: None,
            file: Some("../secret.txt".into()),
            size: 6,
            sha256: hex::encode(Sha256::digest(b"secret")),
        }],
        deleted: false,
    };
    let mut line = Vec::new();
    jsonl::write_record(&mut line, &record).unwrap();
    // The same through a symlink inside the export.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(fx.work().join("secret.txt"), dir.join("link.txt")).unwrap();
        let mut linked = record.clone();
        linked.parts[0].file = Some("link.txt".into());
        jsonl::write_record(&mut line, &linked).unwrap();
    }
    line.extend_from_slice(b"{not json\n");
    std::fs::write(dir.join("messages.jsonl"), &line).unwrap();
    let (code, _, err) = fx.run(&["import", "--rejects", "rej", &dir.display().to_string()]);
    assert_eq!(code, 6, "{err}");
    let log = std::fs::read_to_string(fx.work().join("rej").join("rejects.log")).unwrap();
    assert!(log.contains("leaves the export"), "{log}");
    let expected = if cfg!(unix) { 3 } else { 2 };
    assert_eq!(log.lines().count(), expected, "{log}");
    assert!(!cfg!(unix) || log.contains("leads outside the export"), "{log}");
    assert!(import_support::imported(&fx).is_empty());
}
