//! The NMS client against wiremock: search paging, bulk operations and folders.

use crate::nms_support;

use cpmctl::nms::{Error, FolderListFilter, NewObject, id_from_url};
use cpmctl::wire::multipart::{self, Part};
use cpmctl::wire::{
    BulkDelete, BulkOperation, BulkUpdate, FlagList, ObjectReferenceList, Reference, ReferenceList, TargetSourceRef,
};
use futures::StreamExt;
use nms_support::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, Request, ResponseTemplate};

// ---------------------------------------------------------------- search

#[tokio::test]
async fn search_page_request_and_answer() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .and(header("content-type", "application/json"))
        .and(|req: &Request| {
            let v = body_value(req);
            root_key(&v) == "selectionCriteria" && v["selectionCriteria"]["maxEntries"] == 10
        })
        .respond_with(json_response(
            200,
            json!({"objectList": {"object": [spec_object(&uri, "a")["object"].clone()], "cursor": "c1"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let page = client.search_page(&criteria(10)).await.unwrap();
    assert_eq!(page.object.len(), 1);
    assert_eq!(page.cursor.as_deref(), Some("c1"));
}

#[tokio::test]
async fn search_stream_follows_cursors_until_none() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(move |req: &Request| {
            let v = body_value(req);
            let (ids, next) = match v["selectionCriteria"]["fromCursor"].as_str() {
                None => (vec!["a", "b"], Some("c1")),
                Some("c1") => (vec!["c", "d"], Some("c2")),
                Some("c2") => (vec!["e"], None),
                other => panic!("unexpected cursor {other:?}"),
            };
            let objs: Vec<Value> = ids.iter().map(|id| spec_object(&uri, id)["object"].clone()).collect();
            let mut list = json!({"object": objs});
            if let Some(n) = next {
                list["cursor"] = json!(n);
            }
            json_response(200, json!({"objectList": list}))
        })
        .expect(3)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(2)).collect().await;
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.unwrap().object)
        .map(|o| id_from_url(o.resource_url.as_deref().unwrap()))
        .collect();
    assert_eq!(ids, vec!["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn search_stream_accepts_204_and_stops() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(10)).collect().await;
    assert_eq!(pages.len(), 1);
    assert!(pages[0].as_ref().unwrap().object.is_empty());
}

#[tokio::test]
async fn search_stream_stops_on_repeated_or_empty_cursor() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(move |_: &Request| {
            json_response(
                200,
                json!({"objectList": {"object": [spec_object(&uri, "a")["object"].clone()], "cursor": "same"}}),
            )
        })
        .expect(2)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(1)).collect().await;
    assert_eq!(pages.len(), 2);

    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(json_response(200, json!({"objectList": {"object": [], "cursor": ""}})))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(1)).collect().await;
    assert_eq!(pages.len(), 1);
}

#[tokio::test]
async fn search_carrier_answer_without_cursor() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(json_response(
            200,
            json!({"objectList": {"object": [carrier_object("v%3A1")["object"].clone(), carrier_object("v%3A2")["object"].clone()]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let pages: Vec<_> = client.search_stream(criteria(10)).collect().await;
    assert_eq!(pages.len(), 1);
    let page = pages.into_iter().next().unwrap().unwrap();
    let ids: Vec<String> = page.object.iter().map(|o| id_from_url(o.resource_url.as_deref().unwrap())).collect();
    assert_eq!(ids, vec!["v:1", "v:2"]);
    assert!(page.object[0].resource_url.as_deref().unwrap().starts_with(&server.uri()));
}

#[tokio::test]
async fn search_answer_as_object_reference_list() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/search")))
        .respond_with(json_response(
            200,
            json!({"objectReferenceList": {"objectReference": [{"resourceURL": format!("{BASE}/objects/r1")}]}}),
        ))
        .mount(&server)
        .await;
    let page = client.search_page(&criteria(10)).await.unwrap();
    assert_eq!(page.object.len(), 1);
    assert_eq!(page.object[0].resource_url.as_deref(), Some(format!("{}{BASE}/objects/r1", server.uri()).as_str()));
}

// ---------------------------------------------------------------- bulk

#[tokio::test]
async fn bulk_create_sends_object_list_then_attachments_in_order() {
    let (server, client) = setup().await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None::<(String, Vec<u8>)>));
    let s2 = seen.clone();
    Mock::given(method("POST"))
        .and(path(p("objects/operations/bulkCreation")))
        .respond_with(move |req: &Request| {
            *s2.lock().unwrap() = Some((content_type(req), req.body.clone()));
            json_response(
                200,
                json!({"bulkResponseList": {"response": [
                    {"code": 201, "reason": "Created", "success": {"resourceURL": format!("{BASE}/objects/b1")}},
                    {"code": "403", "reason": "Forbidden", "failure": {"policyException": {"messageId": "POL0001", "text": "no"}}},
                    {"code": 201, "reason": "Created", "success": {"resourceURL": format!("{BASE}/objects/b3")}}]}}),
            )
        })
        .expect(1)
        .mount(&server)
        .await;
    let objs = vec![
        NewObject {
            object: sms_object(),
            parts: vec![
                Part::new("text/plain", b"one".to_vec())
                    .with_header("content-disposition", "attachment; filename=\"sms.txt\""),
            ],
        },
        NewObject { object: sms_object(), parts: vec![] },
        NewObject {
            object: sms_object(),
            parts: vec![Part::new("text/plain", b"three-a".to_vec()), Part::new("image/png", b"three-b".to_vec())],
        },
    ];
    let res = client.bulk_create(&objs).await.unwrap();
    assert_eq!(res.response.len(), 3);
    assert_eq!(res.response[1].code, 403);
    assert_eq!(res.response[0].success.as_ref().unwrap().resource_url, format!("{}{BASE}/objects/b1", server.uri()));

    let (ctype, body) = seen.lock().unwrap().clone().unwrap();
    let parts = multipart::parse(&ctype, &body).unwrap();
    assert_eq!(parts.len(), 4);
    assert_eq!(parts[0].form_name().as_deref(), Some("root-fields"));
    let root: Value = serde_json::from_slice(&parts[0].body).unwrap();
    assert_eq!(root["objectList"]["object"].as_array().unwrap().len(), 3);
    assert!(parts[1..].iter().all(|p| p.form_name().as_deref() == Some("attachments")));
    assert_eq!(parts[1].body, b"one");
    assert!(parts[2].body.is_empty());
    let nested = parts[3].subparts().unwrap();
    assert_eq!(
        nested.iter().map(|p| p.body.clone()).collect::<Vec<_>>(),
        vec![b"three-a".to_vec(), b"three-b".to_vec()]
    );
}

#[tokio::test]
async fn bulk_update_posts_bulk_update_and_reads_string_codes() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/bulkUpdate")))
        .and(|req: &Request| {
            let v = body_value(req);
            root_key(&v) == "bulkUpdate" && v["bulkUpdate"]["operation"] == "AddFlag" && v["bulkUpdate"]["flags"]["flag"][0] == "\\Seen"
        })
        .respond_with(json_response(
            200,
            json!({"bulkResponseList": {"response": [
                {"code": "200", "reason": "OK", "success": {"resourceURL": format!("{RELAY}/objects/a")}},
                {"code": "400", "reason": "Internal server error", "failure": {"serviceException": {"messageId": "SVC3000", "text": "Internal Server Error for %1 Address", "variables": ["x"]}}}]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let u = BulkUpdate {
        objects: Some(refs(&["a", "b"])),
        selection_criteria: None,
        operation: BulkOperation::AddFlag,
        flags: FlagList::new(["\\Seen"]),
    };
    let res = client.bulk_update(&u).await.unwrap();
    assert_eq!(res.response[0].code, 200);
    assert_eq!(res.response[0].success.as_ref().unwrap().resource_url, format!("{}{BASE}/objects/a", server.uri()));
    assert_eq!(res.response[1].code, 400);
    assert_eq!(res.response[1].failure.as_ref().unwrap().message_id(), Some("SVC3000"));
}

#[tokio::test]
async fn bulk_delete_uses_delete_with_body_and_falls_back_to_post() {
    let (server, client) = setup().await;
    let d = BulkDelete { objects: Some(refs(&["a"])), selection_criteria: None };
    Mock::given(method("DELETE"))
        .and(path(p("objects/operations/bulkDelete")))
        .and(|req: &Request| root_key(&body_value(req)) == "bulkDelete")
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    assert!(client.bulk_delete(&d).await.unwrap().response.is_empty());

    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path(p("objects/operations/bulkDelete")))
        .respond_with(ResponseTemplate::new(405).insert_header("allow", "POST"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("objects/operations/bulkDelete")))
        .and(|req: &Request| root_key(&body_value(req)) == "bulkDelete")
        .respond_with(json_response(
            200,
            json!({"bulkResponseList": {"response": [{"code": 200, "success": {"resourceURL": "x"}}]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(client.bulk_delete(&d).await.unwrap().response.len(), 1);
}

#[tokio::test]
async fn bulk_nwk_rsp_error_body_is_unpacked() {
    let (server, client) = setup().await;
    let inner = json!({"bulkResponseList": {"response": [{"code": "200", "reason": "OK", "success": {"resourceURL": "objects/a"}}]}});
    Mock::given(method("DELETE"))
        .and(path(p("objects/operations/bulkDelete")))
        .respond_with(json_response(500, json!({"NWK_RSP": inner.to_string()})))
        .expect(1)
        .mount(&server)
        .await;
    let res = client.bulk_delete(&BulkDelete { objects: Some(refs(&["a"])), selection_criteria: None }).await.unwrap();
    assert_eq!(res.response.len(), 1);
    assert_eq!(res.response[0].code, 200);
}

// ---------------------------------------------------------------- folders

#[tokio::test]
async fn root_folder_by_search() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .and(|req: &Request| {
            let v = body_value(req);
            let c = &v["selectionCriteria"]["searchCriteria"]["criterion"][0];
            c["type"] == "Attribute" && c["name"] == "Root" && c["value"] == "Yes"
        })
        .respond_with(json_response(200, json!({"folderList": {"folder": [folder_json(&uri, "root", json!({}))]}})))
        .expect(1)
        .mount(&server)
        .await;
    let root = client.root_folder().await.unwrap();
    assert_eq!(id_from_url(root.resource_url.as_deref().unwrap()), "root");
}

#[tokio::test]
async fn root_folder_falls_back_to_path_to_id() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .respond_with(ResponseTemplate::new(405))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("folders/operations/pathToId")))
        .and(|req: &Request| req.url.query().is_none())
        .respond_with(json_response(
            200,
            json!({"reference": {"resourceURL": format!("{BASE}/folders/r0"), "path": null}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("folders/r0")))
        .respond_with(json_response(200, json!({"folder": folder_json(&uri, "r0", json!({}))})))
        .expect(1)
        .mount(&server)
        .await;
    let root = client.root_folder().await.unwrap();
    assert_eq!(id_from_url(root.resource_url.as_deref().unwrap()), "r0");
}

#[tokio::test]
async fn root_folder_does_not_hide_auth_errors() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    assert!(client.root_folder().await.unwrap_err().is_auth());
}

#[tokio::test]
async fn get_folder_query_and_folder_pages() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(p("folders/f1")))
        .and(query_param("listFilter", "All"))
        .and(query_param("maxEntries", "2"))
        .respond_with(move |req: &Request| {
            let cursor = req.url.query_pairs().find(|(k, _)| k == "fromCursor").map(|(_, v)| v.into_owned());
            let (objs, next) = match cursor.as_deref() {
                None => (vec!["o1", "o2"], Some("abc?cur&194")),
                Some("abc?cur&194") => (vec!["o3"], None),
                other => panic!("cursor {other:?}"),
            };
            let list: Vec<Value> = objs.iter().map(|o| json!({"resourceURL": format!("{BASE}/objects/{o}")})).collect();
            let mut extra = json!({"objects": {"objectReference": list}, "subFolders": {"folderReference": []}});
            if let Some(n) = next {
                extra["cursor"] = json!(n);
            }
            json_response(200, json!({"folder": folder_json(&uri, "f1", extra)}))
        })
        .expect(3)
        .mount(&server)
        .await;
    let one = client.get_folder("f1", FolderListFilter::All, None, Some(2)).await.unwrap();
    assert_eq!(one.cursor.as_deref(), Some("abc?cur&194"));
    let pages: Vec<_> = client.folder_pages("f1", FolderListFilter::All, 2).collect().await;
    let objs: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.unwrap().objects.unwrap().object_reference)
        .map(|r| {
            assert!(r.resource_url.starts_with("http://"));
            id_from_url(&r.resource_url)
        })
        .collect();
    assert_eq!(objs, vec!["o1", "o2", "o3"]);
}

#[tokio::test]
async fn carrier_folder_with_url_inside_attributes() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(p("folders/27a29814")))
        .and(query_param("listFilter", "Subfolders"))
        .respond_with(json_response(
            200,
            json!({"folder": {"parentFolder": format!("{RELAY}/folders/27a29814"), "attributes": {
                "attribute": [{"name": "OccupiedStorage", "value": ["0"]}, {"name": "TotalStorage", "value": ["167770"]}],
                "resourceURL": format!("{RELAY}/folders/27a29814")}}}),
        ))
        .mount(&server)
        .await;
    let f = client.get_folder("27a29814", FolderListFilter::Subfolders, None, None).await.unwrap();
    assert_eq!(f.resource_url.as_deref(), Some(format!("{}{BASE}/folders/27a29814", server.uri()).as_str()));
    assert_eq!(f.attributes.first("totalstorage"), Some("167770"));
}

#[tokio::test]
async fn folder_create_rename_delete_search_move_copy_path_to_id() {
    let (server, client) = setup().await;
    let uri = server.uri();
    Mock::given(method("POST"))
        .and(path(p("folders")))
        .and(|req: &Request| {
            let v = body_value(req);
            root_key(&v) == "folder"
                && v["folder"]["name"] == "conv-1"
                && v["folder"]["parentFolder"].as_str().unwrap().ends_with("/folders/root")
        })
        .respond_with(
            json_response(201, json!({"reference": {"resourceURL": format!("{BASE}/folders/n1"), "path": "/conv-1"}}))
                .insert_header("location", format!("{BASE}/folders/n1")),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("folders")))
        .and(|req: &Request| body_value(req)["folder"]["parentFolderPath"] == "/RCSMessageStore")
        .respond_with(json_response(201, json!({"folder": {"resourceURL": format!("{BASE}/folders/n2")}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path(p("folders/n1/folderName")))
        .and(body_json(json!({"name": "renamed"})))
        .respond_with(json_response(200, json!({"name": "renamed"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(p("folders/n1")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(p("folders/operations/search")))
        .and(|req: &Request| root_key(&body_value(req)) == "selectionCriteria")
        .respond_with(json_response(
            200,
            json!({"folderList": {"folder": [folder_json(&uri, "a", json!({})), folder_json(&uri, "b", json!({}))]}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    for op in ["moveToFolder", "copyToFolder"] {
        Mock::given(method("POST"))
            .and(path(p(&format!("folders/operations/{op}"))))
            .and(|req: &Request| {
                let v = body_value(req);
                root_key(&v) == "targetSourceRef" && v["targetSourceRef"]["sourceRefs"]["objects"]["objectReference"][0]["resourceURL"] == "u1"
            })
            .respond_with(json_response(200, json!({"bulkResponseList": {"response": [{"code": 200, "success": {"resourceURL": format!("{BASE}/objects/z")}}]}})))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(p("objects/operations/pathToId")))
        .and(query_param("path", "/RCSMessageStore/a b"))
        .respond_with(json_response(
            200,
            json!({"reference": {"resourceURL": format!("{BASE}/objects/q"), "path": "/RCSMessageStore/a b"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(p("folders/operations/pathToId")))
        .and(query_param("path", "/RCSMessageStore"))
        .respond_with(json_response(200, json!({"reference": {"resourceURL": format!("{BASE}/folders/rcs")}})))
        .expect(1)
        .mount(&server)
        .await;

    let r = client.create_folder(Some("root"), None, "conv-1").await.unwrap();
    assert_eq!(r.resource_url, format!("{uri}{BASE}/folders/n1"));
    let r2 = client.create_folder(None, Some("/RCSMessageStore"), "x").await.unwrap();
    assert_eq!(id_from_url(&r2.resource_url), "n2");
    assert!(matches!(client.create_folder(None, None, "x").await, Err(Error::Invalid(_))));
    client.rename_folder("n1", "renamed").await.unwrap();
    client.delete_folder("n1").await.unwrap();
    let list = client.search_folders(&criteria(10)).await.unwrap();
    assert_eq!(list.folder.len(), 2);
    let t = TargetSourceRef {
        target_ref: Reference::new("t"),
        source_refs: ReferenceList {
            objects: ObjectReferenceList { object_reference: vec![Reference::new("u1")] },
            ..Default::default()
        },
    };
    assert_eq!(client.move_to_folder(&t).await.unwrap().response.len(), 1);
    assert_eq!(client.copy_to_folder(&t).await.unwrap().response.len(), 1);
    let o = client.object_path_to_id("/RCSMessageStore/a b").await.unwrap();
    assert_eq!(id_from_url(&o.resource_url), "q");
    let f = client.folder_path_to_id(Some("/RCSMessageStore")).await.unwrap();
    assert_eq!(f.resource_url, format!("{uri}{BASE}/folders/rcs"));
}
