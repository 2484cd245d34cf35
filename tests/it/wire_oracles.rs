//! Every JSON body of the NMS and Notification Channel spec appendices decodes through
//! `wire`, re-encodes under the same root, and decodes again to the same value; plus the
//! carrier variants of ../shared/docs/nms-protocol.md and the correlationTag vectors.
//! The oracle files live in ../shared/oracles (not vendored); see `oracle_support::oracle` for what
//! happens when they are absent (a failure under CI, a visible skip elsewhere).

use crate::oracle_support;

use cpmctl::wire::{self, Root};
use oracle_support::oracle;
use serde_json::{Value, json};

fn round_trip<T: Root + PartialEq + std::fmt::Debug>(body: &Value) -> Result<(), String> {
    let decoded: T = wire::decode_value(body.clone()).map_err(|e| format!("decode: {e}"))?;
    let encoded = wire::encode_value(&decoded);
    let root = encoded.as_object().and_then(|m| m.keys().next().cloned()).unwrap_or_default();
    if root != T::ROOT {
        return Err(format!("re-encoded under {root}, expected {}", T::ROOT));
    }
    let again: T = wire::decode_value(encoded).map_err(|e| format!("re-decode: {e}"))?;
    if again != decoded {
        return Err(format!("not stable: {decoded:?} vs {again:?}"));
    }
    Ok(())
}

fn check_root(root: &str, body: &Value) -> Result<bool, String> {
    use wire::*;
    match root {
        "object" => round_trip::<Object>(body),
        "objectList" => round_trip::<ObjectList>(body),
        "flagList" => round_trip::<FlagList>(body),
        "reference" => round_trip::<Reference>(body),
        "empty" => round_trip::<Empty>(body),
        "selectionCriteria" => round_trip::<SelectionCriteria>(body),
        "pathList" => round_trip::<PathList>(body),
        "bulkResponseList" => round_trip::<BulkResponseList>(body),
        "folder" => round_trip::<Folder>(body),
        "name" => round_trip::<folder::FolderName>(body),
        "folderList" => round_trip::<FolderList>(body),
        "targetSourceRef" => round_trip::<TargetSourceRef>(body),
        "nmsSubscriptionList" => round_trip::<NmsSubscriptionList>(body),
        "nmsSubscription" => round_trip::<NmsSubscription>(body),
        "nmsSubscriptionUpdate" => round_trip::<NmsSubscriptionUpdate>(body),
        "nmsEventList" => round_trip::<NmsEventList>(body),
        "requestError" => round_trip::<RequestError>(body),
        "notificationChannel" => round_trip::<NotificationChannel>(body),
        "notificationChannelList" => round_trip::<NotificationChannelList>(body),
        "notificationChannelLifetime" => round_trip::<NotificationChannelLifetime>(body),
        "notificationList" => round_trip::<NotificationList>(body),
        // Bodies of other enablers or with no content of their own.
        "longPollingRequestParameters" | "presenceNotification" => return Ok(false),
        other => return Err(format!("no wire type for root {other}")),
    }
    .map(|_| true)
}

fn run_examples(rel: &str) {
    let Some(Value::Array(examples)) = oracle(rel) else { return };
    let mut checked = 0;
    let mut failures = Vec::new();
    for ex in &examples {
        let Some(Value::Object(body)) = ex.get("json") else { continue };
        let id = ex.get("example").and_then(Value::as_str).unwrap_or("?");
        for (root, _) in body {
            match check_root(root, &Value::Object(body.clone())) {
                Ok(true) => checked += 1,
                Ok(false) => {}
                Err(e) => failures.push(format!("{id} {root}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(checked > 10, "only {checked} bodies checked in {rel}");
}

#[test]
fn nms_appendix_d_bodies_round_trip() {
    run_examples("oma-nms/nms-appendixD-examples.json");
}

#[test]
fn nc_appendix_d_bodies_round_trip() {
    run_examples("oma-nc/nc-appendixD-examples.json");
}

#[test]
fn correlation_tag_vectors() {
    let Some(Value::Array(vectors)) = oracle("correlationtag/us-sms-correlationtag-vectors.json") else { return };
    assert_eq!(vectors.len(), 18);
    for v in vectors {
        let number = v["number"].as_str();
        let incoming = v["android_type"].as_i64() == Some(1);
        let body = v["body"].as_str().unwrap_or_default();
        assert_eq!(
            wire::correlation::hashed_string(number, incoming, body),
            v["hashed_string"].as_str().unwrap_or_default()
        );
        assert_eq!(
            wire::correlation::correlation_tag(number, incoming, body),
            v["correlationTag"].as_str().unwrap_or_default(),
            "{v}"
        );
    }
}

#[test]
fn carrier_variants_decode() {
    // T-Mobile: lower-case attribute names, size and code as strings, no cursor.
    let list: wire::ObjectList = wire::decode(
        br#"{"objectList":{"object":[{"resourceURL":"https://x/objects/a%3A1","attributes":{"attribute":[
            {"name":"date","value":["2024-01-01T00:00:00Z"]},{"name":"message-context","value":"voice-message"}]},
            "flags":{"flag":"\\Seen"},"payloadPart":{"contentType":"audio/amr","size":"1234","href":"https://x/p1"},
            "extraField":{"nested":true}}]}}"#,
    )
    .expect("decode");
    let o = &list.object[0];
    assert_eq!(o.attributes.first("Message-Context"), Some("voice-message"));
    assert_eq!(o.attributes.first("DATE"), Some("2024-01-01T00:00:00Z"));
    assert!(o.flags.contains("\\seen"));
    assert_eq!(o.payload_part[0].size, Some(1234));
    assert_eq!(list.cursor, None);

    let bulk: wire::BulkResponseList = wire::decode(
        br#"{"bulkResponseList":{"response":[{"code":"200","reason":"OK","success":{"resourceURL":"u"}}]}}"#,
    )
    .expect("bulk");
    assert_eq!(bulk.response[0].code, 200);

    // Korean MCS: attribute values as plain strings or embedded JSON.
    let obj: wire::Object = wire::decode(
        br#"{"object":{"attributes":{"attribute":[{"name":"MessageBody","value":{"a":1}},{"name":"To","value":["tel:+1"]}]}}}"#,
    )
    .expect("mcs");
    assert_eq!(obj.attributes.first("MessageBody"), Some(r#"{"a":1}"#));

    // Samsung: bare (unwrapped) bodies and JSON escapes like \u003d.
    let sc: wire::SelectionCriteria = wire::decode(
        br#"{"maxEntries":"10","searchCriteria":{"criterion":{"type":"Date","value":"minDate\u003d2024-01-01T00:00:00Z"}},
            "sortCriterion":{"type":"Date","order":"Ascending"}}"#,
    )
    .expect("bare criteria");
    assert_eq!(sc.max_entries, 10);
    assert_eq!(
        sc.search_criteria.as_ref().map(|c| c.criterion[0].value.as_str()),
        Some("minDate=2024-01-01T00:00:00Z")
    );
    assert_eq!(sc.sort.len(), 1);
    let out = wire::encode_value(&sc);
    assert_eq!(out["selectionCriteria"]["sortCriteria"]["criterion"][0]["order"], "Ascending");

    // Notification lists: null, single object, array, bare root; resetBox as {} or null.
    for body in [
        &br#"{"notificationList":null}"#[..],
        br#"{"notificationList":{"nmsEventList":{"index":"3","nmsEvent":{"resetBox":null}}}}"#,
        br#"{"notificationList":[{"nmsEventList":{"index":3,"nmsEvent":[{"resetBox":{}}]}}]}"#,
        br#"{"nmsEventList":{"index":3,"nmsEvent":[{"resetBox":{}}],"link":{"rel":"NmsSubscription","href":"h/s1"}}}"#,
    ] {
        let list = wire::NotificationList::decode_body(body).expect("notification list");
        for l in list.event_lists() {
            assert_eq!(l.index, Some(3));
            assert_eq!(l.nms_event[0].kind(), "resetBox");
        }
    }
    let canonical = wire::NotificationList::decode_body(
        br#"{"nmsEventList":{"index":3,"nmsEvent":[{"resetBox":{}}],"link":{"rel":"NmsSubscription","href":"h/s1"}}}"#,
    )
    .expect("bare");
    assert_eq!(canonical.event_lists().next().and_then(|l| l.subscription_href()), Some("h/s1"));
    assert_eq!(
        canonical.to_value(),
        json!({"notificationList":[{"nmsEventList":{"index":3,"nmsEvent":[{"resetBox":{}}],"link":[{"rel":"NmsSubscription","href":"h/s1"}]}}]})
    );

    // AT&T channel list: an array of wrapped channels.
    let chans: wire::NotificationChannelList = wire::decode(
        br#"{"notificationChannelList":[{"notificationChannel":{"channelType":"LongPolling","channelLifetime":"7200"},"resourceURL":"r"}]}"#,
    )
    .expect("att list");
    assert_eq!(chans.notification_channel[0].channel_lifetime, Some(7200));
}

#[test]
fn canonical_encoding() {
    let mut o = wire::Object::default();
    o.attributes.push("Date", "2024-01-01T00:00:00Z");
    o.flags = wire::FlagList::new(["\\Seen"]);
    let v = wire::encode_value(&o);
    assert_eq!(
        v,
        json!({"object":{"attributes":{"attribute":[{"name":"Date","value":["2024-01-01T00:00:00Z"]}]},"flags":{"flag":["\\Seen"]}}})
    );
    assert_eq!(wire::encode_value(&wire::Empty {}), json!({"empty": null}));
    let e =
        wire::RequestError::service("SVC0002", "Invalid input value for message part %1", vec!["maxEntries".into()]);
    assert_eq!(e.message(), "Invalid input value for message part maxEntries");
    assert_eq!(e.message_id(), Some("SVC0002"));
}

/// Runs one test of this binary again in a child process with the oracles pointed at a missing folder.
fn rerun_without_oracles(test: &str, ci: Option<&str>) -> std::process::Output {
    let exe = std::env::current_exe().expect("test binary path");
    let mut cmd = std::process::Command::new(exe);
    cmd.args([test, "--exact", "--test-threads=1"]).env("CPMCTL_ORACLES", "/nonexistent/cpmctl-oracles");
    match ci {
        Some(v) => cmd.env("CI", v),
        None => cmd.env_remove("CI"),
    };
    cmd.output().expect("rerun the test binary")
}

#[test]
fn missing_oracles_fail_under_ci_and_are_visibly_skipped_elsewhere() {
    let test = "wire_oracles::nms_appendix_d_bodies_round_trip";
    let ci = rerun_without_oracles(test, Some("true"));
    assert!(!ci.status.success(), "under CI a missing oracle must fail the test");
    assert!(String::from_utf8_lossy(&ci.stdout).contains("missing under CI"));

    let dev = rerun_without_oracles(test, None);
    assert!(dev.status.success(), "off CI a missing oracle is a skip");
    let stderr = String::from_utf8_lossy(&dev.stderr);
    assert!(stderr.contains("SKIPPED, NOTHING CHECKED"), "the skip is visible on stderr: {stderr}");
}
