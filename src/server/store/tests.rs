//! Store tests: readers run beside the writer and each other; the trait object covers what the server uses.

use std::sync::mpsc;

use super::objects::{self, NewObject};
use super::*;
use crate::wire::AttributeList;

const BOX: &str = "tel:+15550009999";

async fn add_objects(store: &SqliteStore, n: usize) {
    store
        .write(BOX, move |t| {
            for i in 0..n {
                let mut attributes = AttributeList::default();
                attributes.set("Subject", vec![format!("message {i}")]);
                let folder_id = t.root_id.clone();
                objects::insert(t, NewObject { folder_id, attributes, ..Default::default() })?;
            }
            Ok(())
        })
        .await
        .expect("write");
}

/// Counts the box's objects, pausing after the first row until `release` fires: the read
/// stays open (statement stepping, snapshot held) for as long as the test wants.
fn paused_count(
    store: &SqliteStore,
    started: mpsc::Sender<()>,
    release: mpsc::Receiver<()>,
) -> impl std::future::Future<Output = ApiResult<usize>> + use<> {
    let store = store.clone();
    async move {
        store
            .read(move |c| {
                let mut st = c.prepare("SELECT id FROM objects WHERE box = ?1 ORDER BY date_ns, id")?;
                let mut rows = st.query(params![BOX])?;
                let mut n = 0;
                if rows.next()?.is_some() {
                    n += 1;
                }
                let _ = started.send(());
                release.recv().map_err(|_| ApiError::internal("test released nothing"))?;
                while rows.next()?.is_some() {
                    n += 1;
                }
                Ok(n)
            })
            .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_read_does_not_block_writers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).expect("open");
    add_objects(&store, 500).await;

    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    let reader = tokio::spawn(paused_count(&store, started_tx, release_rx));
    tokio::task::spawn_blocking(move || started_rx.recv()).await.expect("join").expect("reader started");

    // The reader is mid-scan. With one shared connection these writes would wait for it
    // forever (it only finishes after they do): completing them is the assertion.
    let mut writers = Vec::new();
    for _ in 0..4 {
        let s = store.clone();
        writers.push(tokio::spawn(async move { add_objects(&s, 25).await }));
    }
    for w in writers {
        w.await.expect("writer");
    }
    assert!(!reader.is_finished(), "the reader is still parked on its channel");
    release_tx.send(()).expect("release");

    // The paused read kept its snapshot; a new read sees every write.
    assert_eq!(reader.await.expect("join").expect("read"), 500);
    let total: i64 = store
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM objects WHERE box = ?1", params![BOX], |r| r.get(0))?))
        .await
        .expect("count");
    assert_eq!(total, 600);
    // Writes stayed serialised: one change-log row per seq, no gaps or repeats.
    let log = store.read(|c| changes::since(c, BOX, 0, 10_000)).await.expect("log");
    assert_eq!(log.len(), 601, "root folder + 600 objects");
    assert!(log.windows(2).all(|w| w[1].seq == w[0].seq + 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_run_side_by_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_with_readers(dir.path(), 2).expect("open");
    add_objects(&store, 3).await;
    let (a_started, a_started_rx) = mpsc::channel();
    let (b_started, b_started_rx) = mpsc::channel();
    let (a_release, a_release_rx) = mpsc::channel();
    let (b_release, b_release_rx) = mpsc::channel();
    let a = tokio::spawn(paused_count(&store, a_started, a_release_rx));
    let b = tokio::spawn(paused_count(&store, b_started, b_release_rx));
    // Both reads are inside their closures at once: neither waits for the other.
    tokio::task::spawn_blocking(move || (a_started_rx.recv(), b_started_rx.recv()))
        .await
        .map(|(x, y)| x.and(y))
        .expect("join")
        .expect("both readers started");
    a_release.send(()).expect("release a");
    b_release.send(()).expect("release b");
    assert_eq!(a.await.expect("join").expect("read a"), 3);
    assert_eq!(b.await.expect("join").expect("read b"), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn point_reads_run_on_the_calling_thread_and_wait_for_a_reader_when_all_are_busy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_with_readers(dir.path(), 1).expect("open");
    add_objects(&store, 3).await;
    let count = |c: &Connection| -> ApiResult<i64> {
        Ok(c.query_row("SELECT COUNT(*) FROM objects WHERE box = ?1", params![BOX], |r| r.get(0))?)
    };
    // A reader is free: the read runs right here, on the caller's thread (no blocking-pool hop).
    let here = std::thread::current().id();
    let ran_on =
        store.read_point(move |c| count(c).map(|n| (n, std::thread::current().id()))).await.expect("point read");
    assert_eq!(ran_on, (3, here));
    // The only reader is leased by a long read: the point read waits for it, then answers.
    let (started, started_rx) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let long = tokio::spawn(paused_count(&store, started, release_rx));
    tokio::task::spawn_blocking(move || started_rx.recv()).await.expect("join").expect("long read started");
    let waiting = tokio::spawn({
        let store = store.clone();
        async move { store.read_point(count).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert!(!waiting.is_finished(), "a point read ran without a free reader");
    release.send(()).expect("release");
    assert_eq!(long.await.expect("join").expect("long read"), 3);
    assert_eq!(waiting.await.expect("join").expect("point read after the wait"), 3);
}

#[tokio::test]
async fn readers_refuse_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).expect("open");
    let r = store.read(|c| Ok(c.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])?)).await;
    assert!(r.is_err(), "a query_only reader must not write");
    store.maintain(|c| Ok(c.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])?)).await.expect("maintain");
    assert_eq!(store.meta("k").await.expect("meta").as_deref(), Some("v"));
}

#[tokio::test]
async fn the_trait_object_covers_objects_change_log_and_subscriptions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store: Arc<dyn Store> = Arc::new(open(dir.path()).expect("open"));
    let mut notices = store.subscribe();
    let mut object = crate::wire::Object { parent_folder_path: Some("/a/b".into()), ..Default::default() };
    object.attributes.set("Subject", vec!["hello".into()]);
    let entry = store.create_object(BOX, object, Vec::new()).await.expect("create");
    assert!(entry.path.starts_with("/a/b/"), "path {}", entry.path);
    let notice = notices.recv().await.expect("notice after commit");
    assert_eq!(notice.box_id, BOX);

    let page = store.search(BOX, crate::wire::SelectionCriteria::default(), 10).await.expect("search");
    assert_eq!(page.objects.len(), 1);
    assert!(store.delete_object(BOX, &entry.row.id).await.expect("delete"));
    let subjects =
        store.filter_subjects(BOX, vec![(ResourceKind::Object, entry.row.id.clone())]).await.expect("subjects");
    match subjects.get(&(ResourceKind::Object, entry.row.id.clone())) {
        Some(FilterSubject::DeletedObject(Some(a))) => assert_eq!(a.first("Subject"), Some("hello")),
        other => panic!("expected the deletion snapshot, got {other:?}"),
    }
    let (last, _) = store.box_state(BOX).await.expect("state").expect("box exists");
    let log = store.changes_since(BOX, 0, 100).await.expect("log");
    assert_eq!(log.last().map(|c| c.seq), Some(last));

    let sub = StoredSubscription { id: "s1".into(), box_id: BOX.into(), body: "{}".into() };
    store.save_subscriptions(vec![sub]).await.expect("save");
    assert_eq!(store.load_subscriptions().await.expect("load").len(), 1);
    store.remove_subscriptions(vec!["s1".into()]).await.expect("remove");
    assert!(store.load_subscriptions().await.expect("load").is_empty());
}

#[test]
fn attribute_merge_is_linear_and_keeps_order() {
    // 200k distinct names: a merge that scans what it merged so far does ~2*10^10 name
    // comparisons here and does not finish in any test timeout; a linear one takes well under
    // a second. Repeated names (in any case) still merge into the first one's slot.
    const N: usize = 200_000;
    let mut attrs = AttributeList::default();
    for i in 0..N {
        attrs.attribute.push(crate::wire::Attribute::new(format!("X-Name-{i}"), format!("v{i}")));
    }
    attrs.attribute.push(crate::wire::Attribute::new("x-name-7", "again"));
    attrs.attribute.push(crate::wire::Attribute::new("  date ", "2024-01-01T00:00:00Z"));
    attrs.attribute.push(crate::wire::Attribute { name: "X-NAME-7".into(), value: vec![] });
    attrs.attribute.push(crate::wire::Attribute { name: " ".into(), value: vec!["dropped".into()] });
    let merged = objects::canonical_attributes(&attrs);
    assert_eq!(merged.attribute.len(), N + 1);
    assert_eq!(merged.attribute[7].name, "X-Name-7");
    assert_eq!(merged.attribute[7].value, ["v7", "again"]);
    assert_eq!(merged.attribute[N].name, "Date");
    assert_eq!(merged.values("x-name-199999"), ["v199999"]);
}

/// The query plan of `sql` (its detail column), with every parameter bound to "x".
fn plan(c: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    let params: Vec<&dyn rusqlite::ToSql> = (0..st.parameter_count()).map(|_| &"x" as &dyn rusqlite::ToSql).collect();
    st.query_map(params.as_slice(), |r| r.get::<_, String>(3)).unwrap().collect::<Result<_, _>>().unwrap()
}

#[tokio::test]
async fn tree_steps_use_the_parent_indexes() {
    // A step down the tree (children, a child by name, the objects of a folder) must find its
    // rows through the parent/folder index, not by walking the whole box in id order: that
    // made every step linear in the box size and deep trees quadratic.
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).unwrap();
    add_objects(&store, 10).await;
    let plans = store
        .read(|c| {
            Ok([
                format!("SELECT id FROM folders WHERE box = ?1 AND parent_id = ?2 {}", folders::BY_ID),
                format!(
                    "SELECT id FROM folders WHERE box = ?1 AND parent_id = ?2 AND name = ?3 {} LIMIT 1",
                    folders::BY_ID
                ),
                "SELECT id FROM objects WHERE box = ?1 AND folder_id = ?2 ORDER BY +id".to_string(),
            ]
            .iter()
            .map(|q| (q.clone(), plan(c, q)))
            .collect::<Vec<_>>())
        })
        .await
        .unwrap();
    for (q, p) in plans {
        let search = p.iter().find(|s| s.starts_with("SEARCH")).cloned().unwrap_or_default();
        assert!(search.contains("parent_id=?") || search.contains("folder_id=?"), "{q}: {p:?}");
    }
}

#[tokio::test]
async fn deep_paths_are_created_and_walked_in_linear_steps() {
    // 3,000 levels in one transaction, then the subtree and the path of the deepest folder.
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path()).unwrap().with_limits(Limits { max_folder_depth: 3000, ..Limits::DEFAULT });
    let path: String = (1..=3000).map(|i| format!("/d{i}")).collect();
    let p2 = path.clone();
    let deepest = store.write(BOX, move |t| folders::ensure_path(t, &p2)).await.unwrap();
    let (ids, whole, depth) = store
        .read(move |c| {
            let root = root_id(c, BOX)?;
            Ok((
                folders::subtree(c, BOX, &root)?,
                folders::path_of(c, BOX, &deepest)?,
                folders::depth_of(c, BOX, &deepest)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(ids.len(), 3001);
    assert_eq!(whole, path);
    assert_eq!(depth, 3000);
    let too_deep = format!("{path}/x");
    let err = store.write(BOX, move |t| folders::ensure_path(t, &too_deep)).await.unwrap_err();
    assert_eq!(err.status.as_u16(), 400);
}

#[tokio::test]
async fn a_small_part_is_a_point_read_and_a_big_one_is_read_whole_on_the_pool() {
    use crate::wire::multipart::Part;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open(dir.path()).expect("open");
    let big = vec![7u8; 300 * 1024];
    let parts = vec![Part::new("text/plain", b"hello".to_vec()), Part::new("image/jpeg", big.clone())];
    let entry = store.create_object(BOX, crate::wire::Object::default(), parts).await.expect("create");
    let id = entry.row.id.clone();
    let ids: Vec<String> = {
        let id = id.clone();
        store
            .read(move |c| {
                let mut st = c.prepare("SELECT part_id FROM parts WHERE object_id = ?1 ORDER BY idx")?;
                let rows = st.query_map([&id], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })
            .await
            .expect("part ids")
    };
    assert_eq!(ids.len(), 2);
    let up_to = |part: String| {
        let id = id.clone();
        store.read(move |c| ops::payload_part_up_to(c, BOX, &id, &part, 256 * 1024))
    };
    assert_eq!(up_to(ids[0].clone()).await.expect("small").map(|p| p.body), Some(b"hello".to_vec()));
    assert!(up_to(ids[1].clone()).await.expect("big").is_none(), "a part over the limit is not read inline");
    assert!(up_to("nope".into()).await.is_err(), "a missing part is an error, not a big part");
    // Through the store: both whole, whichever way they were read.
    assert_eq!(store.payload_part(BOX, &id, &ids[0]).await.expect("small part").body, b"hello");
    assert_eq!(store.payload_part(BOX, &id, &ids[1]).await.expect("big part").body, big);
}
