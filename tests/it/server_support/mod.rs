//! Shared helpers of the server tests: start a server on 127.0.0.1:0 with known users and
//! drive it over HTTP.
#![allow(dead_code)]

use cpmctl::server::{self, RunningServer, ServerConfig, UserSpec};
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use tokio::net::TcpListener;

pub const ALICE_BOX: &str = "tel:+15550001111";
pub const BOB_BOX: &str = "tel:+15550002222";

pub struct Env {
    pub server: RunningServer,
    pub dir: tempfile::TempDir,
    pub http: reqwest::Client,
    /// NMS base of alice's box.
    pub base: String,
}

pub fn users() -> Vec<UserSpec> {
    vec![
        UserSpec {
            name: "alice".into(),
            password: Some("alice-pw".into()),
            tokens: vec!["alice-token".into()],
            boxes: vec![ALICE_BOX.into()],
            admin: false,
        },
        UserSpec {
            name: "bob".into(),
            password: Some("bob-pw".into()),
            boxes: vec![BOB_BOX.into()],
            ..Default::default()
        },
        UserSpec { name: "root".into(), password: Some("root-pw".into()), admin: true, ..Default::default() },
    ]
}

pub async fn start_in(dir: tempfile::TempDir, tweak: impl FnOnce(&mut ServerConfig)) -> Env {
    let mut cfg = ServerConfig::new(dir.path());
    cfg.users = users();
    tweak(&mut cfg);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = server::start(cfg, listener).await.unwrap();
    let base = server.nms_base(ALICE_BOX);
    Env { server, dir, http: reqwest::Client::new(), base }
}

pub async fn start() -> Env {
    start_in(tempfile::tempdir().unwrap(), |_| {}).await
}

impl Env {
    pub fn url(&self, rel: &str) -> String {
        if rel.starts_with("http") { rel.to_string() } else { format!("{}/{}", self.base, rel.trim_start_matches('/')) }
    }

    /// A request as alice.
    pub fn req(&self, method: Method, rel: &str) -> RequestBuilder {
        self.http.request(method, self.url(rel)).basic_auth("alice", Some("alice-pw"))
    }

    pub async fn get_json(&self, rel: &str) -> Value {
        let r = self.req(Method::GET, rel).send().await.unwrap();
        assert_eq!(r.status(), 200, "GET {rel}");
        r.json().await.unwrap()
    }

    pub async fn post_json(&self, rel: &str, body: &Value) -> Response {
        self.req(Method::POST, rel).json(body).send().await.unwrap()
    }

    /// Creates an object by JSON; returns its id.
    pub async fn create(&self, object: Value) -> String {
        let r = self.post_json("objects", &serde_json::json!({ "object": object })).await;
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        id_of(v["reference"]["resourceURL"].as_str().unwrap())
    }

    /// Creates a simple SMS-like object dated `date` in folder path `folder`.
    pub async fn create_simple(&self, folder: &str, date: &str, text: &str) -> String {
        self.create(serde_json::json!({
            "parentFolderPath": folder,
            "attributes": {"attribute": [
                {"name": "Date", "value": [date]},
                {"name": "Message-Context", "value": ["pager-message"]},
                {"name": "TextContent", "value": [text]}
            ]},
            "flags": {"flag": []}
        }))
        .await
    }

    pub async fn root_folder_id(&self) -> String {
        let r = self
            .post_json(
                "folders/operations/search",
                &serde_json::json!({"selectionCriteria": {"maxEntries": 10,
                    "searchCriteria": {"criterion": [{"type": "Attribute", "name": "Root", "value": "Yes"}]}}}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        id_of(v["folderList"]["folder"][0]["resourceURL"].as_str().unwrap())
    }
}

/// The last path segment of a URL, percent-decoded.
pub fn id_of(url: &str) -> String {
    let last = url.rsplit('/').next().unwrap();
    percent_encoding::percent_decode_str(last).decode_utf8_lossy().into_owned()
}

/// The messageId of a requestError body.
pub async fn message_id(r: Response) -> String {
    let v: Value = r.json().await.unwrap();
    let e = &v["requestError"];
    e["serviceException"]["messageId"].as_str().or(e["policyException"]["messageId"].as_str()).unwrap_or("").to_string()
}
