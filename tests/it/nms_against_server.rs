//! The NMS client end to end against the reference server running in-process on port 0:
//! multipart create and byte-exact part download, search paging, bulk operations, folders,
//! flags, and the error kinds a real server produces.

use std::collections::HashMap;

use cpmctl::nms::{Auth, ClientConfig, FolderListFilter, NewObject, NmsClient, id_from_url};
use cpmctl::server::{self, RunningServer, ServerConfig, UserSpec};
use cpmctl::wire::multipart::{self, Part};
use cpmctl::wire::{
    Attribute, AttributeList, BulkDelete, BulkOperation, BulkUpdate, FlagList, Object, ObjectReferenceList, Reference,
    ReferenceList, SelectionCriteria, TargetSourceRef,
};
use futures::StreamExt;
use tokio::net::TcpListener;

const BOX: &str = "tel:+15550001111";
const USER: &str = "alice";
const PASSWORD: &str = "correct horse";
const TOKEN: &str = "tok-alice";

struct Env {
    server: RunningServer,
    client: NmsClient,
    _dir: tempfile::TempDir,
}

async fn start() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = ServerConfig::new(dir.path());
    cfg.users.push(UserSpec {
        name: USER.into(),
        password: Some(PASSWORD.into()),
        tokens: vec![TOKEN.into()],
        boxes: vec![BOX.into()],
        admin: false,
    });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = server::start(cfg, listener).await.unwrap();
    let client = client_for(&server, Auth::Basic { user: USER.into(), password: PASSWORD.into() });
    Env { server, client, _dir: dir }
}

fn client_for(server: &RunningServer, auth: Auth) -> NmsClient {
    let mut cfg = ClientConfig::from_base_url(&server.nms_base(BOX), auth).unwrap();
    cfg.backoff_base = std::time::Duration::from_millis(5);
    NmsClient::new(cfg).unwrap()
}

fn message(folder: &str, context: &str, text: &str) -> Object {
    Object {
        parent_folder_path: Some(folder.into()),
        attributes: AttributeList {
            attribute: vec![
                Attribute::new("Date", "2024-05-01T10:00:00Z"),
                Attribute::new("Direction", "In"),
                Attribute::new("From", "tel:+15550002222"),
                Attribute::new("To", BOX),
                Attribute::new("Message-Context", context),
                Attribute::new("TextContent", text),
            ],
        },
        ..Default::default()
    }
}

fn sms(i: usize) -> NewObject {
    let text = format!("message number {i}");
    NewObject {
        object: message("/RCSMessageStore/bulk", "pager-message", &text),
        parts: vec![
            Part::new("text/plain", text.into_bytes())
                .with_header("content-disposition", "attachment; filename=\"sms.txt\""),
        ],
    }
}

fn all() -> SelectionCriteria {
    SelectionCriteria { max_entries: 37, ..Default::default() }
}

fn refs(urls: &[String]) -> ObjectReferenceList {
    ObjectReferenceList { object_reference: urls.iter().map(|u| Reference::new(u.clone())).collect() }
}

#[tokio::test]
async fn multipart_create_and_byte_exact_parts() {
    let env = start().await;
    let c = &env.client;
    let image: Vec<u8> = (0..70_000u32).map(|i| (i.wrapping_mul(7919) % 256) as u8).collect();
    let thumb = b"\x89PNG\r\n\x1a\n\0\0thumb\r\n--not-a-boundary".to_vec();
    let new = NewObject {
        object: message("/RCSMessageStore/conv-1", "file-message", ""),
        parts: vec![
            Part::new("image/jpeg", image.clone())
                .with_header("content-disposition", "attachment; filename=\"photo.jpg\"")
                .with_header("file-icon", "cid:thumbnail"),
            Part::new("image/png", thumb.clone())
                .with_header("content-disposition", "icon; filename=\"thumbnail_photo.png\"")
                .with_header("content-id", "thumbnail"),
        ],
    };
    let r = c.create_object(&new).await.unwrap();
    assert!(r.resource_url.starts_with(&env.server.root_url()), "{}", r.resource_url);
    let id = id_from_url(&r.resource_url);
    assert_eq!(c.object_url(&id).as_str(), r.resource_url);

    let o = c.get_object(&id).await.unwrap();
    assert_eq!(o.attributes.first("message-context"), Some("file-message"));
    assert_eq!(o.payload_part.len(), 2, "{o:?}");
    let mut by_type: HashMap<String, Vec<u8>> = HashMap::new();
    for part in &o.payload_part {
        let d = c.download(&part.href).await.unwrap();
        assert!(d.content_type.starts_with(&part.content_type), "{} vs {}", d.content_type, part.content_type);
        let bytes = d.bytes().await.unwrap();
        if let Some(size) = part.size {
            assert_eq!(size, bytes.len() as u64);
        }
        by_type.insert(part.content_type.clone(), bytes);
    }
    assert_eq!(by_type["image/jpeg"], image);
    assert_eq!(by_type["image/png"], thumb);

    // The whole payload is a MIME multipart holding both parts.
    let d = c.download(o.payload_url.as_deref().unwrap()).await.unwrap();
    let ctype = d.content_type.clone();
    let body = d.bytes().await.unwrap();
    let parts = multipart::parse(&ctype, &body).unwrap();
    assert!(parts.iter().any(|p| p.body == image));
    assert!(parts.iter().any(|p| p.body == thumb));

    // JSON-only objects are fine too.
    let r2 = c
        .create_object(&NewObject { object: message("/RCSMessageStore/conv-1", "imdn-message", ""), parts: vec![] })
        .await
        .unwrap();
    assert!(c.get_object(&id_from_url(&r2.resource_url)).await.unwrap().payload_part.is_empty());

    c.delete_object(&id).await.unwrap();
    let err = c.get_object(&id).await.unwrap_err();
    assert!(err.is_not_found(), "{err}");
    env.server.shutdown().await;
}

#[tokio::test]
async fn bulk_create_then_search_pages_each_object_once() {
    let env = start().await;
    let c = &env.client;
    let mut created = Vec::new();
    for batch in (0..230).collect::<Vec<_>>().chunks(100) {
        let objs: Vec<NewObject> = batch.iter().map(|i| sms(*i)).collect();
        let res = c.bulk_create(&objs).await.unwrap();
        assert_eq!(res.response.len(), objs.len());
        for r in res.response {
            assert!(r.is_success(), "{r:?}");
            created.push(id_from_url(&r.success.unwrap().resource_url));
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut pages = 0;
    let mut stream = c.search_stream(all());
    while let Some(page) = stream.next().await {
        let page = page.unwrap();
        assert!(page.object.len() <= 37);
        pages += 1;
        for o in page.object {
            *seen.entry(id_from_url(o.resource_url.as_deref().unwrap())).or_default() += 1;
        }
    }
    assert!(pages >= 230 / 37, "{pages}");
    assert_eq!(seen.len(), 230);
    assert!(seen.values().all(|n| *n == 1));
    for id in &created {
        assert_eq!(seen.get(id), Some(&1), "{id}");
    }
    // Each created object carries its text payload.
    let o = c.get_object(&created[5]).await.unwrap();
    let text = c.download(&o.payload_part[0].href).await.unwrap().bytes().await.unwrap();
    assert!(String::from_utf8(text).unwrap().starts_with("message number"));
    env.server.shutdown().await;
}

#[tokio::test]
async fn bulk_update_and_bulk_delete() {
    let env = start().await;
    let c = &env.client;
    let res = c.bulk_create(&(0..5).map(sms).collect::<Vec<_>>()).await.unwrap();
    let urls: Vec<String> = res.response.iter().map(|r| r.success.as_ref().unwrap().resource_url.clone()).collect();

    let u = BulkUpdate {
        objects: Some(refs(&urls[..3])),
        selection_criteria: None,
        operation: BulkOperation::AddFlag,
        flags: FlagList::new(["\\Seen"]),
    };
    let res = c.bulk_update(&u).await.unwrap();
    assert!(res.response.iter().all(|r| r.is_success()), "{res:?}");
    for (i, url) in urls.iter().enumerate() {
        let flags = c.get_flags(url).await.unwrap();
        assert_eq!(flags.contains("\\Seen"), i < 3, "{i}: {flags:?}");
    }
    let u = BulkUpdate { operation: BulkOperation::RemoveFlag, ..u };
    c.bulk_update(&u).await.unwrap();
    assert!(!c.get_flags(&urls[0]).await.unwrap().contains("\\Seen"));

    let d = BulkDelete { objects: Some(refs(&urls[..4])), selection_criteria: None };
    let res = c.bulk_delete(&d).await.unwrap();
    assert!(res.response.iter().all(|r| r.is_success()), "{res:?}");
    for (i, url) in urls.iter().enumerate() {
        assert_eq!(c.get_object(url).await.is_err(), i < 4, "{i}");
    }
    // Deleting again reports per-item failures, not a failed request.
    let res = c.bulk_delete(&d).await.unwrap();
    assert!(res.response.iter().all(|r| !r.is_success()), "{res:?}");
    env.server.shutdown().await;
}

#[tokio::test]
async fn flags_one_by_one() {
    let env = start().await;
    let c = &env.client;
    let r = c.create_object(&sms(1)).await.unwrap();
    let id = id_from_url(&r.resource_url);
    assert!(c.add_flag(&id, "\\Seen").await.unwrap());
    assert!(!c.add_flag(&id, "\\Seen").await.unwrap());
    assert!(c.add_flag(&id, "$CNS-Greeting-On").await.unwrap());
    let f = c.get_flags(&id).await.unwrap();
    assert!(f.contains("\\Seen") && f.contains("$CNS-Greeting-On"), "{f:?}");
    assert!(c.remove_flag(&id, "\\Seen").await.unwrap());
    assert!(!c.remove_flag(&id, "\\Seen").await.unwrap());
    let set = c.set_flags(&id, &FlagList::new(["\\Flagged", "\\Answered"])).await.unwrap();
    assert!(set.contains("\\Flagged") && set.contains("\\Answered") && !set.contains("$CNS-Greeting-On"), "{set:?}");
    assert_eq!(c.get_object(&id).await.unwrap().flags.flag.len(), 2);
    let err = c.add_flag("no-such-object", "\\Seen").await.unwrap_err();
    assert!(err.is_not_found());
    env.server.shutdown().await;
}

#[tokio::test]
async fn folders_end_to_end() {
    let env = start().await;
    let c = &env.client;
    let root = c.root_folder().await.unwrap();
    let root_url = root.resource_url.clone().unwrap();
    assert_eq!(c.folder_path_to_id(None).await.unwrap().resource_url, root_url);

    let a = c.create_folder(Some(&root_url), None, "alpha").await.unwrap();
    let b = c.create_folder(None, Some("/alpha"), "beta").await.unwrap();
    assert_eq!(c.folder_path_to_id(Some("/alpha/beta")).await.unwrap().resource_url, b.resource_url);

    // Objects into alpha, then list them page by page.
    for i in 0..7 {
        let mut o = sms(i);
        o.object.parent_folder_path = Some("/alpha".into());
        c.create_object(&o).await.unwrap();
    }
    let mut objects = Vec::new();
    let mut subfolders = Vec::new();
    let mut pages = c.folder_pages(&a.resource_url, FolderListFilter::All, 3);
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        objects.extend(page.objects.unwrap_or_default().object_reference.into_iter().map(|r| r.resource_url));
        subfolders.extend(page.sub_folders.unwrap_or_default().folder_reference.into_iter().map(|r| r.resource_url));
    }
    assert_eq!(objects.len(), 7, "{objects:?}");
    assert_eq!(subfolders, vec![b.resource_url.clone()]);

    // An object's path resolves back to it.
    let o = c.get_object(&objects[0]).await.unwrap();
    let path = o.path.clone().unwrap();
    assert_eq!(c.object_path_to_id(&path).await.unwrap().resource_url, objects[0]);

    // Rename, move, copy.
    c.rename_folder(&id_from_url(&b.resource_url), "gamma").await.unwrap();
    assert_eq!(c.folder_path_to_id(Some("/alpha/gamma")).await.unwrap().resource_url, b.resource_url);
    let mv = TargetSourceRef {
        target_ref: Reference::new(b.resource_url.clone()),
        source_refs: ReferenceList { objects: refs(&objects[..2]), ..Default::default() },
    };
    let res = c.move_to_folder(&mv).await.unwrap();
    assert!(res.response.iter().all(|r| r.is_success()), "{res:?}");
    let moved = c.get_object(&objects[0]).await.unwrap();
    assert_eq!(moved.parent_folder.as_deref(), Some(b.resource_url.as_str()));
    let res = c.copy_to_folder(&mv).await.unwrap();
    assert_eq!(res.response.len(), 2);
    let gamma = c.get_folder(&b.resource_url, FolderListFilter::Objects, None, None).await.unwrap();
    assert_eq!(gamma.objects.unwrap_or_default().object_reference.len(), 4);

    // Folder search and rename refusal on the root.
    let found = c.search_folders(&SelectionCriteria { max_entries: 100, ..Default::default() }).await.unwrap();
    assert!(found.folder.len() >= 3, "{found:?}");
    assert!(c.rename_folder(&root_url, "x").await.is_err());

    // Deleting alpha removes everything below it.
    c.delete_folder(&a.resource_url).await.unwrap();
    assert!(c.get_folder(&b.resource_url, FolderListFilter::None, None, None).await.unwrap_err().is_not_found());
    assert!(c.get_object(&objects[3]).await.unwrap_err().is_not_found());
    env.server.shutdown().await;
}

#[tokio::test]
async fn auth_and_not_found_errors() {
    let env = start().await;
    let wrong = client_for(&env.server, Auth::Basic { user: USER.into(), password: "nope".into() });
    let err = wrong.root_folder().await.unwrap_err();
    assert!(err.is_auth(), "{err}");
    let bearer = client_for(&env.server, Auth::Bearer(TOKEN.into()));
    assert!(bearer.root_folder().await.unwrap().resource_url.is_some());
    let anonymous = client_for(&env.server, Auth::None);
    assert!(anonymous.get_object("x").await.unwrap_err().is_auth());

    let err = env.client.get_object("does-not-exist").await.unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.message_id(), Some("SVC0004"));

    // An empty search is an empty first page, and the stream ends.
    let pages: Vec<_> = env.client.search_stream(all()).collect().await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].as_ref().unwrap().object.is_empty());
    env.server.shutdown().await;
}

#[tokio::test]
async fn demo_box_is_readable_through_the_client() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = server::start(ServerConfig::new(dir.path()), listener).await.unwrap();
    let demo = server::seed_demo(&server).await.unwrap();
    let cfg =
        ClientConfig::from_base_url(&demo.base_url, Auth::Basic { user: demo.user, password: demo.password }).unwrap();
    assert_eq!(cfg.box_id, demo.box_id);
    let c = NmsClient::new(cfg).unwrap();
    let root = c.root_folder().await.unwrap();
    let top =
        c.get_folder(root.resource_url.as_deref().unwrap(), FolderListFilter::Subfolders, None, None).await.unwrap();
    assert!(!top.sub_folders.unwrap_or_default().folder_reference.is_empty());

    let mut total = 0;
    let mut with_image = None;
    let mut stream = c.search_stream(SelectionCriteria { max_entries: 10, ..Default::default() });
    while let Some(page) = stream.next().await {
        for o in page.unwrap().object {
            total += 1;
            if with_image.is_none()
                && let Some(part) = o.payload_part.iter().find(|p| p.content_type.starts_with("image/"))
            {
                with_image = Some(part.clone());
            }
        }
    }
    assert!(total > 10, "{total}");
    let part = with_image.expect("the demo box holds an image");
    let bytes = c.download(&part.href).await.unwrap().bytes().await.unwrap();
    assert!(!bytes.is_empty());
    if let Some(size) = part.size {
        assert_eq!(size, bytes.len() as u64);
    }
    server.shutdown().await;
}
