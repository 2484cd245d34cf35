//! Folders over HTTP: root folder, create, list with paging and attrFilter, rename, delete,
//! search, pathToId, moveToFolder and copyToFolder, with their error paths.

use crate::server_support;

use std::collections::HashSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use server_support::*;

async fn create_folder(env: &Env, body: Value) -> (String, Value) {
    let r = env.post_json("folders", &body).await;
    assert_eq!(r.status(), 201, "{body}");
    assert!(r.headers().contains_key("location"));
    let v: Value = r.json().await.unwrap();
    (id_of(v["reference"]["resourceURL"].as_str().unwrap()), v)
}

#[tokio::test]
async fn exactly_one_root_folder() {
    let env = start().await;
    let body = json!({"selectionCriteria": {"maxEntries": 10,
        "searchCriteria": {"criterion": [{"type": "Attribute", "name": "Root", "value": "Yes"}]}}});
    env.create_simple("/a/b", "2024-01-01T00:00:00Z", "x").await;
    let v: Value = env.post_json("folders/operations/search", &body).await.json().await.unwrap();
    let folders = v["folderList"]["folder"].as_array().unwrap();
    assert_eq!(folders.len(), 1);
    let root = &folders[0];
    assert_eq!(root["name"], "");
    assert_eq!(root["path"], "");
    assert!(root.get("parentFolder").is_none());
    assert!(root["lastModSeq"].as_u64().is_some());
    assert_eq!(root["subFolders"]["folderReference"].as_array().unwrap().len(), 1);
    assert_eq!(root["subFolders"]["folderReference"][0]["path"], "/a");
    assert!(root["objects"]["objectReference"].as_array().unwrap().is_empty());
    // The bare (Samsung) body gives the same answer.
    let v2: Value = env.post_json("folders/operations/search", &body["selectionCriteria"]).await.json().await.unwrap();
    assert_eq!(v2["folderList"]["folder"][0]["resourceURL"], root["resourceURL"]);
    // pathToId without a path names the root.
    let v = env.get_json("folders/operations/pathToId").await;
    assert_eq!(v["reference"]["resourceURL"], root["resourceURL"]);
}

#[tokio::test]
async fn create_get_rename_delete() {
    let env = start().await;
    let root = env.root_folder_id().await;
    // A folder's parent path must exist (spec D.31), and a parent is required (D.33).
    let r = env.post_json("folders", &json!({"folder": {"parentFolderPath": "/RCSMessageStore", "name": "x"}})).await;
    assert_eq!(r.status(), 400);
    assert_eq!(message_id(r).await, "SVC0002");
    let r = env.post_json("folders", &json!({"folder": {"name": "x"}})).await;
    assert_eq!(r.status(), 400);
    create_folder(&env, json!({"folder": {"parentFolderPath": "/", "name": "RCSMessageStore"}})).await;
    let (conv, v) = create_folder(
        &env,
        json!({"folder": {"parentFolderPath": "/RCSMessageStore", "name": "conv-1",
            "attributes": {"attribute": [{"name": "conversation-id", "value": ["c1"]}, {"name": "Name", "value": ["ignored"]}]}}}),
    )
    .await;
    assert_eq!(v["reference"]["path"], "/RCSMessageStore/conv-1");
    // Bare body, parent by URL, no name: generated.
    let (gen_id, v) = create_folder(
        &env,
        json!({"parentFolder": format!("{}/folders/{conv}", env.base), "attributes": {"attribute": []}}),
    )
    .await;
    assert_eq!(v["reference"]["path"], "/RCSMessageStore/conv-1/folder-1");
    // Taken name → 409; '/' in a name → 400; unknown parent → 404.
    let r =
        env.post_json("folders", &json!({"folder": {"parentFolderPath": "/RCSMessageStore", "name": "conv-1"}})).await;
    assert_eq!(r.status(), 409);
    let r = env.post_json("folders", &json!({"folder": {"parentFolderPath": "/", "name": "a/b"}})).await;
    assert_eq!(r.status(), 400);
    assert_eq!(message_id(r).await, "SVC0002");
    let r = env
        .post_json("folders", &json!({"folder": {"parentFolder": format!("{}/folders/nope", env.base), "name": "x"}}))
        .await;
    assert_eq!(r.status(), 404);

    let o1 = env.create_simple("/RCSMessageStore/conv-1", "2024-01-01T00:00:00Z", "a").await;
    env.req(Method::PUT, &format!("objects/{o1}/flags/%5CSeen")).send().await.unwrap();
    env.create_simple("/RCSMessageStore/conv-1", "2024-01-02T00:00:00Z", "b").await;

    let f =
        env.get_json(&format!("folders/{conv}?attrFilter=MsgCount&attrFilter=UnreadMsgCount,SubtreeMsgCount")).await;
    let f = &f["folder"];
    assert_eq!(f["name"], "conv-1");
    assert_eq!(f["path"], "/RCSMessageStore/conv-1");
    let attr = |n: &str| {
        f["attributes"]["attribute"].as_array().unwrap().iter().find(|a| a["name"] == n).map(|a| a["value"][0].clone())
    };
    assert_eq!(attr("Conversation-ID"), Some(json!("c1")));
    assert_eq!(attr("Name"), Some(json!("conv-1")));
    assert_eq!(attr("MsgCount"), Some(json!("2")));
    assert_eq!(attr("UnreadMsgCount"), Some(json!("1")));
    assert_eq!(attr("SubtreeMsgCount"), Some(json!("2")));
    assert_eq!(attr("Root"), None);
    // listFilter absent: both lists anyway.
    assert_eq!(f["subFolders"]["folderReference"].as_array().unwrap().len(), 1);
    assert_eq!(f["objects"]["objectReference"].as_array().unwrap().len(), 2);
    let f = env.get_json(&format!("folders/{conv}?listFilter=Objects")).await;
    assert!(f["folder"].get("subFolders").is_none());
    let r = env.req(Method::GET, &format!("folders/{conv}?listFilter=Bogus")).send().await.unwrap();
    assert_eq!(r.status(), 400);

    // Rename.
    let r = env
        .req(Method::PUT, &format!("folders/{conv}/folderName"))
        .json(&json!({"name": "conv-renamed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap(), json!({"name": "conv-renamed"}));
    assert_eq!(env.get_json(&format!("folders/{conv}/folderName")).await, json!({"name": "conv-renamed"}));
    let o = env.get_json(&format!("objects/{o1}")).await;
    assert_eq!(o["object"]["path"], format!("/RCSMessageStore/conv-renamed/{o1}"));
    let r =
        env.req(Method::PUT, &format!("folders/{root}/folderName")).json(&json!({"name": "x"})).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(message_id(r).await, "POL1030");
    let r =
        env.req(Method::PUT, &format!("folders/{conv}/folderName")).json(&json!({"name": "a/b"})).send().await.unwrap();
    assert_eq!(r.status(), 400);

    // Delete: recursive, root refused.
    let r = env.req(Method::DELETE, &format!("folders/{conv}")).send().await.unwrap();
    assert_eq!(r.status(), 204);
    for gone in [format!("folders/{conv}"), format!("folders/{gen_id}"), format!("objects/{o1}")] {
        let r = env.req(Method::GET, &gone).send().await.unwrap();
        assert_eq!(r.status(), 404, "{gone}");
        assert_eq!(message_id(r).await, "SVC0004");
    }
    let r = env.req(Method::DELETE, &format!("folders/{root}")).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let r = env.req(Method::PUT, &format!("folders/{root}")).json(&json!({})).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers().contains_key("allow"));
}

#[tokio::test]
async fn folder_listing_pages_with_a_cursor() {
    let env = start().await;
    let (f, _) = create_folder(&env, json!({"folder": {"parentFolderPath": "/", "name": "big"}})).await;
    let mut expected = HashSet::new();
    for i in 0..5 {
        let (id, _) = create_folder(
            &env,
            json!({"folder": {"parentFolder": format!("{}/folders/{f}", env.base), "name": format!("sub{i}")}}),
        )
        .await;
        expected.insert(id);
    }
    for i in 0..12 {
        expected.insert(env.create_simple("/big", &format!("2024-01-{:02}T00:00:00Z", i + 1), "x").await);
    }
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut rel = format!("folders/{f}?listFilter=All&maxEntries=4");
        if let Some(c) = &cursor {
            rel.push_str(&format!("&fromCursor={c}"));
        }
        let v = env.get_json(&rel).await;
        let folder = &v["folder"];
        let n = folder["subFolders"]["folderReference"].as_array().unwrap().len()
            + folder["objects"]["objectReference"].as_array().unwrap().len();
        assert!(n <= 4);
        for r in folder["subFolders"]["folderReference"]
            .as_array()
            .unwrap()
            .iter()
            .chain(folder["objects"]["objectReference"].as_array().unwrap())
        {
            assert!(seen.insert(id_of(r["resourceURL"].as_str().unwrap())));
        }
        match folder.get("cursor").and_then(Value::as_str) {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn folder_search_by_name_and_path_to_id() {
    let env = start().await;
    env.create_simple("/RCSMessageStore/conv-1", "2024-01-01T00:00:00Z", "x").await;
    env.create_simple("/RCSMessageStore/conv-2", "2024-01-01T00:00:00Z", "x").await;
    let v: Value = env
        .post_json(
            "folders/operations/search",
            &json!({"selectionCriteria": {"maxEntries": 10,
            "searchCriteria": {"criterion": [{"type": "Attribute", "name": "name", "value": "conv-2"}]}}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let list = v["folderList"]["folder"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["path"], "/RCSMessageStore/conv-2");
    let v: Value = env
        .post_json("folders/operations/search", &json!({"selectionCriteria": {"maxEntries": 2}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["folderList"]["folder"].as_array().unwrap().len(), 2);
    assert!(v["folderList"]["cursor"].is_string());
    let v2: Value = env
        .post_json(
            "folders/operations/search",
            &json!({"selectionCriteria": {"maxEntries": 2, "fromCursor": v["folderList"]["cursor"]}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v2["folderList"]["folder"].as_array().unwrap().len(), 2);
    assert!(v2["folderList"].get("cursor").is_none());

    let v = env.get_json("folders/operations/pathToId?path=/RCSMessageStore/conv-1").await;
    assert_eq!(v["reference"]["path"], "/RCSMessageStore/conv-1");
    let r = env.req(Method::GET, "folders/operations/pathToId?path=/nope").send().await.unwrap();
    assert_eq!(r.status(), 404);
    let v: Value = env
        .post_json("folders/operations/pathToId", &json!({"pathList": {"path": ["/RCSMessageStore", "/nope"]}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["bulkResponseList"]["response"][0]["code"], 200);
    assert_eq!(v["bulkResponseList"]["response"][1]["code"], 400);
}

#[tokio::test]
async fn move_and_copy() {
    let env = start().await;
    let o = env.create_simple("/src", "2024-01-01T00:00:00Z", "x").await;
    env.create_simple("/src/deep", "2024-01-01T00:00:00Z", "y").await;
    let (dst, _) = create_folder(&env, json!({"folder": {"parentFolderPath": "/", "name": "dst"}})).await;
    let src = id_of(
        env.get_json("folders/operations/pathToId?path=/src").await["reference"]["resourceURL"].as_str().unwrap(),
    );
    let deep = id_of(
        env.get_json("folders/operations/pathToId?path=/src/deep").await["reference"]["resourceURL"].as_str().unwrap(),
    );
    let seq_before = env.get_json(&format!("objects/{o}")).await["object"]["lastModSeq"].as_u64().unwrap();
    let furl = |id: &str| format!("{}/folders/{id}", env.base);
    let ourl = |id: &str| format!("{}/objects/{id}", env.base);

    // Move an object (plus an unknown one): per-item results.
    let r = env
        .post_json("folders/operations/moveToFolder", &json!({"targetSourceRef": {"targetRef": {"resourceURL": furl(&dst)},
            "sourceRefs": {"objects": {"objectReference": [{"resourceURL": ourl(&o)}, {"resourceURL": ourl("nope")}]}}}}))
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["bulkResponseList"]["response"][0]["code"], 200);
    assert_eq!(v["bulkResponseList"]["response"][0]["success"]["path"], format!("/dst/{o}"));
    assert_eq!(v["bulkResponseList"]["response"][1]["code"], 404);
    let obj = env.get_json(&format!("objects/{o}")).await;
    assert_eq!(obj["object"]["parentFolder"], furl(&dst));
    assert!(obj["object"]["lastModSeq"].as_u64().unwrap() > seq_before);

    // A folder cannot go under itself; the root cannot move.
    let root = env.root_folder_id().await;
    let v: Value = env
        .post_json("folders/operations/moveToFolder", &json!({"targetRef": {"resourceURL": furl(&deep)},
            "sourceRefs": {"folders": {"folderReference": [{"resourceURL": furl(&src)}, {"resourceURL": furl(&root)}]}}}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["bulkResponseList"]["response"][0]["code"], 403);
    assert_eq!(v["bulkResponseList"]["response"][1]["code"], 403);

    // Copy a folder tree: new ids, same content.
    let v: Value = env
        .post_json(
            "folders/operations/copyToFolder",
            &json!({"targetSourceRef": {"targetRef": {"resourceURL": furl(&dst)},
            "sourceRefs": {"folders": {"folderReference": [{"resourceURL": furl(&src)}]}}}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["bulkResponseList"]["response"][0]["code"], 200);
    assert_eq!(v["bulkResponseList"]["response"][0]["success"]["path"], "/dst/src");
    let copy = id_of(v["bulkResponseList"]["response"][0]["success"]["resourceURL"].as_str().unwrap());
    assert_ne!(copy, src);
    let f = env.get_json(&format!("folders/{copy}?listFilter=All")).await;
    assert_eq!(f["folder"]["subFolders"]["folderReference"][0]["path"], "/dst/src/deep");
    // Move a folder; then an unknown target is a 404 for the whole request.
    let v: Value = env
        .post_json(
            "folders/operations/moveToFolder",
            &json!({"targetRef": {"resourceURL": furl(&dst)},
            "sourceRefs": {"folders": {"folderReference": [{"resourceURL": furl(&deep)}]}}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["bulkResponseList"]["response"][0]["success"]["path"], "/dst/deep");
    let r = env
        .post_json(
            "folders/operations/copyToFolder",
            &json!({"targetRef": {"resourceURL": furl("nope")},
            "sourceRefs": {"objects": {"objectReference": [{"resourceURL": ourl(&o)}]}}}),
        )
        .await;
    assert_eq!(r.status(), 404);
    // Copying an object gives a new object with the same payload metadata.
    let v: Value = env
        .post_json(
            "folders/operations/copyToFolder",
            &json!({"targetRef": {"path": "/src"},
            "sourceRefs": {"objects": {"objectReference": [{"resourceURL": ourl(&o)}]}}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let c = id_of(v["bulkResponseList"]["response"][0]["success"]["resourceURL"].as_str().unwrap());
    assert_ne!(c, o);
    assert_eq!(
        env.get_json(&format!("objects/{c}")).await["object"]["attributes"],
        env.get_json(&format!("objects/{o}")).await["object"]["attributes"]
    );
}

/// Folder policies (NMS TS §7.2.1–7.2.2): a protected folder refuses every way of putting something in or
/// below it, with the folder's path as the variable; fixed-name folders and the root keep their names.
#[tokio::test]
async fn protected_and_fixed_name_folders_answer_their_policy_errors() {
    let dir = tempfile::tempdir().unwrap();
    let env = start_in(dir, |cfg| {
        cfg.protected_folders = vec!["/System/".into()];
        cfg.fixed_name_folders = vec!["/Inbox".into()];
    })
    .await;
    let root = env.root_folder_id().await;
    // The folders are made before the policy applies to them: the system folder exists on a real store.
    let (inbox, _) = create_folder(&env, json!({"folder": {"parentFolderPath": "/", "name": "Inbox"}})).await;
    let r = env.post_json("folders", &json!({"folder": {"parentFolderPath": "/", "name": "System"}})).await;
    assert_eq!(r.status(), 201, "creating the protected folder itself is allowed");
    let system = id_of(r.json::<Value>().await.unwrap()["reference"]["resourceURL"].as_str().unwrap());
    let obj = env.create_simple("/Inbox", "2024-01-01T00:00:00Z", "hello").await;
    let snapshot = || async {
        let all = json!({"selectionCriteria": {"maxEntries": 100, "searchCriteria": {"criterion": []}}});
        let folders: Value = env.post_json("folders/operations/search", &all).await.json().await.unwrap();
        let objects: Value = env.post_json("objects/operations/search", &all).await.json().await.unwrap();
        let paths = |list: &Value| -> HashSet<String> {
            list.as_array().into_iter().flatten().map(|f| format!("{}{}", f["path"], f["parentFolder"])).collect()
        };
        (paths(&folders["folderList"]["folder"]), paths(&objects["objectList"]["object"]))
    };
    let before = snapshot().await;
    assert_eq!(before.1.len(), 1);

    let pol1031 = |v: &Value| {
        let e = &v["requestError"]["policyException"];
        e["messageId"] == "POL1031"
            && e["text"] == "Attempt to create objects or folders under %1 is prohibited"
            && e["variables"][0] == "/System"
    };
    let attrs = json!({"attribute": [{"name": "Date", "value": ["2024-01-01T00:00:00Z"]}]});
    let system_url = env.url(&format!("folders/{system}"));
    let attempts = [
        ("folders", json!({"folder": {"parentFolderPath": "/System", "name": "x"}})),
        ("folders", json!({"folder": {"parentFolderPath": "/System/not/yet", "name": "x"}})),
        ("folders", json!({"folder": {"parentFolder": system_url, "name": "x"}})),
        ("objects", json!({"object": {"parentFolderPath": "/System", "attributes": attrs}})),
        ("objects", json!({"object": {"parentFolderPath": "/System/deeper", "attributes": attrs}})),
        ("objects", json!({"object": {"parentFolder": system_url, "attributes": attrs}})),
        (
            "folders/operations/moveToFolder",
            json!({"targetSourceRef": {"targetRef": {"resourceURL": system_url},
                "sourceRefs": {"objects": {"objectReference": [{"resourceURL": env.url(&format!("objects/{obj}"))}]}}}}),
        ),
        (
            "folders/operations/copyToFolder",
            json!({"targetSourceRef": {"targetRef": {"resourceURL": system_url},
                "sourceRefs": {"folders": {"folderReference": [{"resourceURL": env.url(&format!("folders/{inbox}"))}]}}}}),
        ),
    ];
    for (rel, body) in &attempts {
        let r = env.post_json(rel, body).await;
        assert_eq!(r.status(), 403, "{rel} {body}");
        let v: Value = r.json().await.unwrap();
        assert!(pol1031(&v), "{rel}: {v}");
    }
    // A similarly named sibling is not protected.
    create_folder(&env, json!({"folder": {"parentFolderPath": "/", "name": "Systems"}})).await;

    let pol1030 = |v: Value| {
        let e = &v["requestError"]["policyException"];
        e["messageId"] == "POL1030" && e["text"] == "Renaming this folder is not allowed"
    };
    for id in [&root, &inbox, &system] {
        let r =
            env.req(Method::PUT, &format!("folders/{id}/folderName")).json(&json!({"name": "renamed"})).send().await;
        let r = r.unwrap();
        assert_eq!(r.status(), 403);
        assert!(pol1030(r.json().await.unwrap()));
    }
    // Nothing of the refused requests changed the box (besides the one folder created on purpose).
    let after = snapshot().await;
    assert_eq!(after.1, before.1, "objects unchanged");
    let new: Vec<&String> = after.0.difference(&before.0).collect();
    assert_eq!(new.len(), 1, "only /Systems was created: {new:?}");
    assert!(new[0].starts_with("\"/Systems\""));
    assert_eq!(before.0.difference(&after.0).count(), 0);
}

/// Every route whose body is a strictly decoded JSON document (the `StrictJson` extractor)
/// answers a broken, empty or wrongly shaped body with 400 SVC0002 naming the body's root
/// element, a non-JSON Content-Type with 415; authentication still comes first.
#[tokio::test]
async fn strict_json_routes_reject_bad_bodies_with_svc0002() {
    let env = start().await;
    let root = env.root_folder_id().await;
    let routes = [
        (Method::POST, "folders".to_string(), "folder"),
        (Method::PUT, format!("folders/{root}/folderName"), "name"),
        (Method::POST, "folders/operations/search".to_string(), "selectionCriteria"),
        (Method::POST, "folders/operations/pathToId".to_string(), "pathList"),
        (Method::POST, "folders/operations/moveToFolder".to_string(), "targetSourceRef"),
        (Method::POST, "folders/operations/copyToFolder".to_string(), "targetSourceRef"),
        (Method::POST, "objects/operations/search".to_string(), "selectionCriteria"),
        (Method::POST, "objects/operations/pathToId".to_string(), "pathList"),
        (Method::POST, "objects/operations/bulkUpdate".to_string(), "bulkUpdate"),
        (Method::POST, "objects/operations/bulkDelete".to_string(), "bulkDelete"),
    ];
    for (method, rel, root_element) in routes {
        for body in ["{not json", "", "[1, 2]"] {
            let r = env
                .req(method.clone(), &rel)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{method} {rel} {body:?}");
            let v: Value = r.json().await.unwrap();
            let e = &v["requestError"]["serviceException"];
            assert_eq!(e["messageId"], "SVC0002", "{method} {rel} {body:?}: {v}");
            assert_eq!(e["variables"][0], root_element, "{method} {rel} {body:?}: {v}");
        }
        let r = env.req(method.clone(), &rel).header("content-type", "image/png").body("{}").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{method} {rel}");
        let anonymous =
            reqwest::Client::new().request(method.clone(), env.url(&rel)).body("{not json").send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{method} {rel}");
    }
}
