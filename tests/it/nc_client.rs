//! Notification Channel client and watcher against a scripted wiremock server: request
//! shapes, gap recovery, duplicates, reordering, channel loss, 409 and Retry-After.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cpmctl::nms::notify::{WatchEvent, WatchOptions, Watcher, watch};
use cpmctl::nms::{Auth, ClientConfig, NmsClient};
use futures::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const BOX: &str = "tel%3A%2B15550001111";

fn nc(tail: &str) -> String {
    format!("/notificationchannel/v1/{BOX}{tail}")
}

fn nms(tail: &str) -> String {
    format!("/nms/v1/cpm/{BOX}{tail}")
}

fn client(server: &MockServer) -> NmsClient {
    let mut cfg = ClientConfig::from_base_url(
        &format!("{}/nms/v1/cpm/{BOX}", server.uri()),
        Auth::Basic { user: "demo".into(), password: "pw".into() },
    )
    .unwrap();
    cfg.backoff_base = Duration::from_millis(5);
    cfg.max_backoff = Duration::from_millis(20);
    cfg.retries = 2;
    NmsClient::new(cfg).unwrap()
}

/// Answers the scripted responses in order, then empty lists after a short wait (a long
/// poll that times out).
struct Script {
    items: Mutex<VecDeque<ResponseTemplate>>,
}

impl Script {
    fn new(items: Vec<ResponseTemplate>) -> Self {
        Script { items: Mutex::new(items.into()) }
    }
}

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        self.items.lock().unwrap().pop_front().unwrap_or_else(|| {
            ResponseTemplate::new(200)
                .set_body_json(json!({"notificationList": []}))
                .set_delay(Duration::from_millis(150))
        })
    }
}

fn channel_body(server: &MockServer, id: &str) -> Value {
    let base = format!("{}{}", server.uri(), nc(&format!("/channels/{id}")));
    json!({"notificationChannel": {
        "resourceURL": base,
        "callbackURL": format!("{base}/callback"),
        "channelType": "LongPolling",
        "channelLifetime": 3600,
        "channelData": {"channelURL": format!("{base}/notifications"), "maxNotifications": 10}
    }})
}

fn sub_body(server: &MockServer, id: &str, index: u64, token: &str) -> Value {
    json!({"nmsSubscription": {
        "resourceURL": format!("{}{}", server.uri(), nms(&format!("/subscriptions/{id}"))),
        "callbackReference": {"notifyURL": "x", "notificationFormat": "JSON"},
        "duration": 3600, "index": index, "restartToken": token
    }})
}

/// One nmsEventList of subscription `sub` with changedObject events (object id, lastModSeq).
fn list(server: &MockServer, sub: &str, index: u64, events: &[(&str, u64)]) -> Value {
    let events: Vec<Value> = events
        .iter()
        .map(|(id, seq)| {
            json!({"changedObject": {
                "resourceURL": format!("{}{}", server.uri(), nms(&format!("/objects/{id}"))),
                "parentFolder": format!("{}{}", server.uri(), nms("/folders/f1")),
                "flags": {"flag": ["\\Seen"]},
                "lastModSeq": seq
            }})
        })
        .collect();
    json!({"nmsEventList": {
        "index": index, "restartToken": format!("t{index}"),
        "link": [{"rel": "NmsSubscription", "href": format!("{}{}", server.uri(), nms(&format!("/subscriptions/{sub}")))}],
        "nmsEvent": events
    }})
}

fn poll_answer(lists: &[Value]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({ "notificationList": lists }))
}

/// Channel ch1, subscription sub1 (index 1, token t0), deletes; the poll script is the caller's.
async fn standard(server: &MockServer, polls: Vec<ResponseTemplate>) {
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(201).set_body_json(channel_body(server, "ch1")))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(server, "sub1", 1, "t0")))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nc("/channels/ch1/notifications")))
        .respond_with(Script::new(polls))
        .mount(server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(server).await;
}

fn quiet_options() -> WatchOptions {
    WatchOptions {
        hold: Duration::from_millis(300),
        tail_check: None,
        poll_timeout: Duration::from_secs(10),
        max_notifications: Some(10),
        ..Default::default()
    }
}

/// Reads the stream until `n` events and the checkpoint of their list came (or 20 s
/// passed); returns every item.
async fn collect(w: &mut Watcher, n: usize) -> Vec<WatchEvent> {
    let mut items = Vec::new();
    let mut events = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let item = tokio::time::timeout_at(deadline, w.next()).await.expect("timed out").expect("stream ended");
        let item = item.expect("watch error");
        if matches!(item, WatchEvent::Event { .. }) {
            events += 1;
        }
        let done = events >= n && matches!(item, WatchEvent::Checkpoint { .. });
        items.push(item);
        if done {
            return items;
        }
    }
}

fn keys(items: &[WatchEvent]) -> Vec<(String, u64)> {
    items
        .iter()
        .filter_map(|i| match i {
            WatchEvent::Event { event, .. } => Some((
                event.resource_url().rsplit('/').next().unwrap_or("").to_string(),
                event.last_mod_seq().unwrap_or(0),
            )),
            _ => None,
        })
        .collect()
}

async fn requests(server: &MockServer, verb: &str, p: &str) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == verb && r.url.path() == p)
        .map(|r| serde_json::from_slice(&r.body).unwrap_or(Value::Null))
        .collect()
}

#[tokio::test]
async fn request_shapes() {
    let server = MockServer::start().await;
    standard(&server, vec![poll_answer(&[list(&server, "sub1", 1, &[("a", 1)])])]).await;
    let filter = json!({"criterion": [{"type": "Flag", "name": "\\Seen", "value": "true"}]});
    let opts = WatchOptions {
        restart_token: Some("saved".into()),
        duration: Some(600),
        channel_lifetime: Some(1200),
        client_correlator: Some("cc-1".into()),
        filter: Some(serde_json::from_value(filter.clone()).unwrap()),
        ..quiet_options()
    };
    let mut w = watch(&client(&server), opts);
    let items = collect(&mut w, 1).await;
    assert!(
        matches!(&items[0], WatchEvent::Subscribed { from_token: Some(t), next_index: Some(1), recreated: false, .. } if t == "t0")
    );
    assert_eq!(keys(&items), [("a".to_string(), 1)]);
    assert!(
        items.iter().any(|i| matches!(i, WatchEvent::Checkpoint { restart_token: Some(t), index: 1 } if t == "t1"))
    );
    assert_eq!(w.restart_token().as_deref(), Some("t1"));

    let channels = requests(&server, "POST", &nc("/channels")).await;
    assert_eq!(
        channels,
        [json!({"notificationChannel": {"clientCorrelator": "cc-1", "channelType": "LongPolling",
            "channelData": {"maxNotifications": 10}, "channelLifetime": 1200}})]
    );
    let subs = requests(&server, "POST", &nms("/subscriptions")).await;
    let callback = format!("{}{}", server.uri(), nc("/channels/ch1/callback"));
    assert_eq!(
        subs,
        [json!({"nmsSubscription": {
            "callbackReference": {"notifyURL": callback, "notificationFormat": "JSON"},
            "duration": 600, "filter": filter, "clientCorrelator": "cc-1", "restartToken": "saved"}})]
    );
    let polls = requests(&server, "POST", &nc("/channels/ch1/notifications")).await;
    assert!(!polls.is_empty());
    assert!(polls.iter().all(|b| *b == json!({"longPollingRequestParameters": null})));

    w.close().await.unwrap();
    let deletes: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == "DELETE")
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(deletes, [nms("/subscriptions/sub1"), nc("/channels/ch1")]);
}

#[tokio::test]
async fn single_calls() {
    let server = MockServer::start().await;
    standard(&server, vec![]).await;
    Mock::given(method("PUT"))
        .and(path(nc("/channels/ch1/channelLifetime")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"notificationChannelLifetime": {"channelLifetime": 3600}})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"notificationChannelList": {
            "notificationChannel": [channel_body(&server, "ch1")["notificationChannel"].clone()],
            "resourceURL": "x"}})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(nms("/subscriptions/sub1")))
        .respond_with(ResponseTemplate::new(200).set_body_json(sub_body(&server, "sub1", 4, "t3")))
        .mount(&server)
        .await;
    let n = client(&server).notify();
    assert_eq!(n.nc_base().path(), nc(""));
    assert_eq!(n.set_channel_lifetime("ch1", 7200).await.unwrap(), 3600);
    let put = requests(&server, "PUT", &nc("/channels/ch1/channelLifetime")).await;
    assert_eq!(put, [json!({"notificationChannelLifetime": {"channelLifetime": 7200}})]);
    let list = n.list_channels().await.unwrap();
    assert_eq!(list.notification_channel.len(), 1);
    assert!(list.notification_channel[0].callback_url.as_deref().unwrap().ends_with("/channels/ch1/callback"));
    let sub = n.get_subscription("sub1").await.unwrap();
    assert_eq!((sub.index, sub.restart_token.as_deref()), (Some(4), Some("t3")));
    n.delete_subscription("sub1").await.unwrap();
    n.delete_channel(&format!("{}{}", server.uri(), nc("/channels/ch1"))).await.unwrap();
}

#[tokio::test]
async fn gap_rewinds_with_the_last_contiguous_token() {
    let server = MockServer::start().await;
    // List 2 is lost; 3 arrives and is held; after the hold the client rewinds to t1 and the
    // server replays 2 and 3 as list 4.
    standard_with_gate(&server, Arc::new(Mutex::new(false))).await;

    let mut w = watch(&client(&server), quiet_options());
    let items = collect(&mut w, 3).await;
    assert_eq!(keys(&items), [("a".to_string(), 1), ("b".to_string(), 2), ("c".to_string(), 3)]);
    assert!(
        items.iter().any(|i| matches!(i, WatchEvent::Recovered { from_token: Some(t), missing_from: 2 } if t == "t1"))
    );
    let updates = requests(&server, "POST", &nms("/subscriptions/sub1")).await;
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["nmsSubscriptionUpdate"]["restartToken"], "t1");
    assert_eq!(w.restart_token().as_deref(), Some("t4"));
    w.close().await.unwrap();
}

/// The gap scenario's server: first answers scripted, then the replay after the update.
async fn standard_with_gate(server: &MockServer, replay: Arc<Mutex<bool>>) {
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(201).set_body_json(channel_body(server, "ch1")))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(server, "sub1", 1, "t0")))
        .mount(server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(server).await;
    let flag = replay.clone();
    let srv = server.uri();
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions/sub1")))
        .respond_with(move |_: &Request| {
            *flag.lock().unwrap() = true;
            ResponseTemplate::new(200).set_body_json(json!({"nmsSubscription": {
                "resourceURL": format!("{srv}{}", nms("/subscriptions/sub1")), "callbackReference": {"notifyURL": "x"},
                "duration": 3600, "index": 4, "restartToken": "t1"}}))
        })
        .mount(server)
        .await;
    let first = Mutex::new(VecDeque::from([
        poll_answer(&[list(server, "sub1", 1, &[("a", 1)])]),
        poll_answer(&[list(server, "sub1", 3, &[("c", 3)])]),
    ]));
    let after = Mutex::new(Some(poll_answer(&[
        // A late copy of list 3 from before the update: below the answered index, dropped.
        list(server, "sub1", 3, &[("c", 3)]),
        list(server, "sub1", 4, &[("b", 2), ("c", 3)]),
    ])));
    Mock::given(method("POST"))
        .and(path(nc("/channels/ch1/notifications")))
        .respond_with(move |_: &Request| {
            if let Some(r) = first.lock().unwrap().pop_front() {
                return r;
            }
            if *replay.lock().unwrap()
                && let Some(r) = after.lock().unwrap().take()
            {
                return r;
            }
            ResponseTemplate::new(200)
                .set_body_json(json!({"notificationList": []}))
                .set_delay(Duration::from_millis(100))
        })
        .mount(server)
        .await;
}

#[tokio::test]
async fn duplicate_lists_and_events_are_dropped() {
    let server = MockServer::start().await;
    standard(
        &server,
        vec![
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)]), list(&server, "sub1", 1, &[("a", 1)])]),
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)])]),
            // A new list repeating an event already reported, plus a new one.
            poll_answer(&[list(&server, "sub1", 2, &[("a", 1), ("b", 2)])]),
            poll_answer(&[list(&server, "sub1", 3, &[("a", 5)])]),
        ],
    )
    .await;
    let mut w = watch(&client(&server), quiet_options());
    let items = collect(&mut w, 3).await;
    assert_eq!(keys(&items), [("a".to_string(), 1), ("b".to_string(), 2), ("a".to_string(), 5)]);
    assert!(requests(&server, "POST", &nms("/subscriptions/sub1")).await.is_empty(), "no rewind needed");
    w.close().await.unwrap();
}

#[tokio::test]
async fn reorder_within_hold_needs_no_update() {
    let server = MockServer::start().await;
    standard(
        &server,
        vec![
            poll_answer(&[list(&server, "sub1", 2, &[("b", 2)])]),
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)]), list(&server, "sub1", 3, &[("c", 3)])]),
        ],
    )
    .await;
    let opts = WatchOptions { hold: Duration::from_secs(30), ..quiet_options() };
    let mut w = watch(&client(&server), opts);
    let items = collect(&mut w, 3).await;
    assert_eq!(keys(&items), [("a".to_string(), 1), ("b".to_string(), 2), ("c".to_string(), 3)]);
    assert!(!items.iter().any(|i| matches!(i, WatchEvent::Recovered { .. })));
    assert!(requests(&server, "POST", &nms("/subscriptions/sub1")).await.is_empty());
    w.close().await.unwrap();
}

#[tokio::test]
async fn lost_channel_is_recreated_and_resubscribed_from_the_last_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(201).set_body_json(channel_body(&server, "ch1")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(201).set_body_json(channel_body(&server, "ch2")))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(&server, "sub1", 1, "t0")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(&server, "sub2", 1, "t1")))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nc("/channels/ch1/notifications")))
        .respond_with(Script::new(vec![
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)])]),
            ResponseTemplate::new(404).set_body_json(json!({"requestError": {"serviceException": {
                "messageId": "SVC0004", "text": "No valid addresses provided in message part %1", "variables": ["channel"]}}})),
        ]))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nc("/channels/ch2/notifications")))
        .respond_with(Script::new(vec![poll_answer(&[
            // The new subscription replays from t1: "a" again (dropped) and "b".
            list(&server, "sub2", 1, &[("a", 1), ("b", 2)]),
        ])]))
        .mount(&server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;

    let mut w = watch(&client(&server), quiet_options());
    let items = collect(&mut w, 2).await;
    assert_eq!(keys(&items), [("a".to_string(), 1), ("b".to_string(), 2)]);
    assert!(
        items
            .iter()
            .any(|i| matches!(i, WatchEvent::Subscribed { recreated: true, from_token: Some(t), .. } if t == "t1"))
    );
    let subs = requests(&server, "POST", &nms("/subscriptions")).await;
    assert_eq!(subs.len(), 2);
    assert!(subs[0]["nmsSubscription"].get("restartToken").is_none());
    assert_eq!(subs[1]["nmsSubscription"]["restartToken"], "t1");
    assert!(
        subs[1]["nmsSubscription"]["callbackReference"]["notifyURL"]
            .as_str()
            .unwrap()
            .ends_with("/channels/ch2/callback")
    );
    // The old subscription pointed at the dead channel and was deleted.
    let deletes: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method.as_str() == "DELETE")
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(deletes, [nms("/subscriptions/sub1")]);
    let snap = w.snapshot();
    assert!(snap.channel_url.unwrap().ends_with("/channels/ch2"));
    assert!(snap.subscription_url.unwrap().ends_with("/subscriptions/sub2"));
    w.close().await.unwrap();
}

#[tokio::test]
async fn conflict_409_polls_again() {
    let server = MockServer::start().await;
    standard(
        &server,
        vec![
            ResponseTemplate::new(409).set_body_json(json!({"requestError": {"serviceException": {
                "messageId": "SVC1012", "text": "Simultaneous channel requests not supported"}}})),
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)])]),
        ],
    )
    .await;
    let mut w = watch(&client(&server), quiet_options());
    let items = collect(&mut w, 1).await;
    assert_eq!(keys(&items), [("a".to_string(), 1)]);
    assert!(!items.iter().any(|i| matches!(i, WatchEvent::Retrying { .. })), "a conflict is not a failure");
    assert_eq!(requests(&server, "POST", &nc("/channels")).await.len(), 1, "the channel is kept");
    w.close().await.unwrap();
}

#[tokio::test]
async fn retry_after_and_server_errors_are_waited_out() {
    let server = MockServer::start().await;
    standard(
        &server,
        vec![
            ResponseTemplate::new(429).insert_header("Retry-After", "1"),
            ResponseTemplate::new(503).insert_header("Retry-After", "1"),
            ResponseTemplate::new(500),
            ResponseTemplate::new(500),
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)])]),
        ],
    )
    .await;
    let mut w = watch(&client(&server), quiet_options());
    let items = collect(&mut w, 1).await;
    assert_eq!(keys(&items), [("a".to_string(), 1)]);
    // The client's engine retries the poll after each Retry-After and once after the 500
    // (retries = 2); the 500 that exhausts it comes back to the watcher, which backs off,
    // says so, and polls again.
    let retrying = items.iter().filter(|i| matches!(i, WatchEvent::Retrying { .. })).count();
    assert_eq!(retrying, 1);
    assert!(requests(&server, "POST", &nc("/channels/ch1/notifications")).await.len() >= 5);
    w.close().await.unwrap();
}

#[tokio::test]
async fn auth_failure_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let mut w = watch(&client(&server), quiet_options());
    let first = tokio::time::timeout(Duration::from_secs(10), w.next()).await.unwrap().unwrap();
    assert!(first.unwrap_err().is_auth());
    assert!(w.next().await.is_none());
}

/// Answers subscription updates with the next index `index` and counts them.
fn update_answer(server: &MockServer, sub: &str, index: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(sub_body(server, sub, index, "ignored"))
}

#[tokio::test]
async fn lost_trailing_list_is_fetched_by_the_tail_check() {
    let server = MockServer::start().await;
    // List 2 is lost and nothing follows it, so no gap ever shows; the quiet-time rewind to
    // t1 makes the server replay it as list 3.
    let rewound = Arc::new(Mutex::new(false));
    let flag = rewound.clone();
    let answer = update_answer(&server, "sub1", 3);
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions/sub1")))
        .respond_with(move |_: &Request| {
            *flag.lock().unwrap() = true;
            answer.clone()
        })
        .mount(&server)
        .await;
    let first = Mutex::new(Some(poll_answer(&[list(&server, "sub1", 1, &[("a", 1)])])));
    let replay = Mutex::new(Some(poll_answer(&[list(&server, "sub1", 3, &[("b", 2)])])));
    Mock::given(method("POST"))
        .and(path(nc("/channels/ch1/notifications")))
        .respond_with(move |_: &Request| {
            if let Some(r) = first.lock().unwrap().take() {
                return r;
            }
            if *rewound.lock().unwrap()
                && let Some(r) = replay.lock().unwrap().take()
            {
                return r;
            }
            ResponseTemplate::new(200)
                .set_body_json(json!({"notificationList": []}))
                .set_delay(Duration::from_millis(100))
        })
        .with_priority(1)
        .mount(&server)
        .await;
    // Asked for its next index, the subscription says 3: list 2 was sent and never came.
    // Once the replay (list 3) is in, it says 4 and the checking stops.
    let probes = Arc::new(Mutex::new(0u32));
    let count = probes.clone();
    let (lost, done) = (sub_body(&server, "sub1", 3, "t2"), sub_body(&server, "sub1", 4, "t3"));
    Mock::given(method("GET"))
        .and(path(nms("/subscriptions/sub1")))
        .respond_with(move |_: &Request| {
            let mut n = count.lock().unwrap();
            *n += 1;
            ResponseTemplate::new(200).set_body_json(if *n == 1 { lost.clone() } else { done.clone() })
        })
        .mount(&server)
        .await;
    standard(&server, vec![]).await;
    let opts = WatchOptions { tail_check: Some(Duration::from_millis(300)), ..quiet_options() };
    let mut w = watch(&client(&server), opts);
    let items = collect(&mut w, 2).await;
    assert_eq!(keys(&items), [("a".to_string(), 1), ("b".to_string(), 2)]);
    let updates = requests(&server, "POST", &nms("/subscriptions/sub1")).await;
    assert_eq!(updates.len(), 1);
    assert_eq!(updates[0]["nmsSubscriptionUpdate"]["restartToken"], "t1");
    // Quiet again: one more look confirms nothing else is missing, and no rewind follows.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while *probes.lock().unwrap() < 2 {
        assert!(tokio::time::Instant::now() < deadline, "no second probe");
        // Dropping an unfinished `next` is fine: the watcher keeps its work in progress.
        let _ = tokio::time::timeout(Duration::from_millis(100), w.next()).await;
    }
    let _ = tokio::time::timeout(Duration::from_millis(700), w.next()).await;
    assert_eq!(*probes.lock().unwrap(), 2, "settled: no more probes while nothing arrives");
    assert_eq!(requests(&server, "POST", &nms("/subscriptions/sub1")).await.len(), 1);
    w.close().await.unwrap();
}

#[tokio::test]
async fn renewals_update_the_subscription_and_the_channel_lifetime() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions/sub1")))
        .respond_with(update_answer(&server, "sub1", 2))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(nc("/channels/ch1/channelLifetime")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"notificationChannelLifetime": {"channelLifetime": 2}})),
        )
        .mount(&server)
        .await;
    // The channel grants 2 s, the subscription 2 s: both are renewed after about 1 s.
    let mut ch = channel_body(&server, "ch1");
    ch["notificationChannel"]["channelLifetime"] = json!(2);
    let mut sub = sub_body(&server, "sub1", 1, "t0");
    sub["nmsSubscription"]["duration"] = json!(2);
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(201).set_body_json(ch))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub))
        .with_priority(1)
        .mount(&server)
        .await;
    standard(
        &server,
        vec![
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)])]),
            // Delivered after the first renewal.
            ResponseTemplate::new(200)
                .set_body_json(json!({"notificationList": [list(&server, "sub1", 2, &[("b", 2)])]}))
                .set_delay(Duration::from_millis(1500)),
        ],
    )
    .await;
    let opts = WatchOptions { duration: Some(2), channel_lifetime: Some(2), ..quiet_options() };
    let mut w = watch(&client(&server), opts);
    let items = collect(&mut w, 2).await;
    assert_eq!(keys(&items), [("a".to_string(), 1), ("b".to_string(), 2)]);
    let updates = requests(&server, "POST", &nms("/subscriptions/sub1")).await;
    assert!(!updates.is_empty());
    assert_eq!(updates[0]["nmsSubscriptionUpdate"]["duration"], 2);
    assert_eq!(updates[0]["nmsSubscriptionUpdate"]["restartToken"], "t1");
    let puts = requests(&server, "PUT", &nc("/channels/ch1/channelLifetime")).await;
    assert!(!puts.is_empty());
    assert_eq!(puts[0], json!({"notificationChannelLifetime": {"channelLifetime": 2}}));
    w.close().await.unwrap();
}

#[tokio::test]
async fn lost_subscription_is_recreated_on_the_same_channel() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions/sub1")))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(&server, "sub1", 1, "t0")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(&server, "sub2", 1, "t1")))
        .with_priority(2)
        .mount(&server)
        .await;
    standard(
        &server,
        vec![
            poll_answer(&[list(&server, "sub1", 1, &[("a", 1)]), list(&server, "sub1", 3, &[("c", 3)])]),
            // After the gap the update finds sub1 gone; sub2 replays from t1. A late list of sub1
            // is not sequenced against sub2.
            ResponseTemplate::new(200)
                .set_body_json(json!({"notificationList": [
                    list(&server, "sub1", 9, &[("z", 9)]),
                    list(&server, "sub2", 1, &[("b", 2), ("c", 3)])]}))
                .set_delay(Duration::from_millis(600)),
        ],
    )
    .await;
    let mut w = watch(&client(&server), quiet_options());
    let items = collect(&mut w, 3).await;
    assert_eq!(keys(&items), [("a".to_string(), 1), ("b".to_string(), 2), ("c".to_string(), 3)]);
    assert!(items.iter().any(|i| matches!(i, WatchEvent::Subscribed { recreated: true, .. })));
    let subs = requests(&server, "POST", &nms("/subscriptions")).await;
    assert_eq!(subs[1]["nmsSubscription"]["restartToken"], "t1");
    assert_eq!(requests(&server, "POST", &nc("/channels")).await.len(), 1);
    w.close().await.unwrap();
}

#[tokio::test]
async fn an_earlier_channel_and_subscription_are_reused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(nc("/channels/ch1")))
        .respond_with(ResponseTemplate::new(200).set_body_json(channel_body(&server, "ch1")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions/sub1")))
        .respond_with(update_answer(&server, "sub1", 7))
        .mount(&server)
        .await;
    standard(&server, vec![poll_answer(&[list(&server, "sub1", 7, &[("a", 4)])])]).await;
    let reuse = cpmctl::nms::notify::Reuse {
        channel_url: format!("{}{}", server.uri(), nc("/channels/ch1")),
        subscription_url: Some(format!("{}{}", server.uri(), nms("/subscriptions/sub1"))),
    };
    let opts = WatchOptions { reuse: Some(reuse), restart_token: Some("t6".into()), ..quiet_options() };
    let mut w = watch(&client(&server), opts);
    let items = collect(&mut w, 1).await;
    assert!(matches!(&items[0], WatchEvent::Subscribed { next_index: Some(7), recreated: false, .. }));
    assert_eq!(keys(&items), [("a".to_string(), 4)]);
    assert!(requests(&server, "POST", &nc("/channels")).await.is_empty());
    assert!(requests(&server, "POST", &nms("/subscriptions")).await.is_empty());
    let updates = requests(&server, "POST", &nms("/subscriptions/sub1")).await;
    assert_eq!(updates[0]["nmsSubscriptionUpdate"]["restartToken"], "t6");
    let snap = w.detach();
    assert_eq!(snap.restart_token.as_deref(), Some("t7"));
    assert!(snap.reuse().is_some());
}

/// Channel ch1; the first subscription (with the saved token) gets `rejection`, later ones sub1.
async fn token_rejected_with(server: &MockServer, rejection: Value) {
    Mock::given(method("POST"))
        .and(path(nc("/channels")))
        .respond_with(ResponseTemplate::new(201).set_body_json(channel_body(server, "ch1")))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(400).set_body_json(rejection))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nms("/subscriptions")))
        .respond_with(ResponseTemplate::new(201).set_body_json(sub_body(server, "sub1", 1, "t0")))
        .with_priority(2)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path(nc("/channels/ch1/notifications")))
        .respond_with(Script::new(vec![poll_answer(&[list(server, "sub1", 1, &[("a", 1)])])]))
        .mount(server)
        .await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(server).await;
}

/// The watcher decides by the requestError's variables, not its wording: a token rejection
/// whose text happens to mention notifyURL still falls back to "from now" with a Reset.
#[tokio::test]
async fn token_rejection_is_read_from_the_variables_not_the_text() {
    let server = MockServer::start().await;
    token_rejected_with(
        &server,
        json!({"requestError": {"serviceException": {"messageId": "SVC0002",
            "text": "Invalid input value for message part %1: %2",
            "variables": ["restartToken", "expired; subscribe again with the same notifyURL"]}}}),
    )
    .await;
    let opts = WatchOptions { restart_token: Some("stale".into()), ..quiet_options() };
    let mut w = watch(&client(&server), opts);
    let items = collect(&mut w, 1).await;
    assert!(items.iter().any(|i| matches!(i, WatchEvent::Reset { .. })), "{items:?}");
    let subs = requests(&server, "POST", &nms("/subscriptions")).await;
    assert_eq!(subs.len(), 2);
    assert_eq!(subs[0]["nmsSubscription"]["restartToken"], "stale");
    assert!(subs[1]["nmsSubscription"].get("restartToken").is_none());
    w.close().await.unwrap();
}

/// A 400 that names the notifyURL is not the token's fault, however its text reads: no
/// second subscription without the token, no Reset; the error ends the watch.
#[tokio::test]
async fn notify_url_rejection_does_not_drop_the_token() {
    let server = MockServer::start().await;
    token_rejected_with(
        &server,
        json!({"requestError": {"serviceException": {"messageId": "SVC0002",
            "text": "Invalid input value", "variables": ["notifyURL"]}}}),
    )
    .await;
    let opts = WatchOptions { restart_token: Some("saved".into()), ..quiet_options() };
    let mut w = watch(&client(&server), opts);
    let first = tokio::time::timeout(Duration::from_secs(20), w.next()).await.expect("timed out");
    assert!(matches!(first, Some(Err(_))), "{first:?}");
    let subs = requests(&server, "POST", &nms("/subscriptions")).await;
    assert_eq!(subs.len(), 1, "retried without the token: {subs:?}");
}
