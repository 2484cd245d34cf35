//! Client hardening through the real `cpmctl` binary (issue 9, item 2): a password in a URL
//! is never echoed, whatever path reports the URL (usage errors, `-o json` errors, `-v`
//! traces, `login status`).

use crate::cmd_support;

use cmd_support::Fixture;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Runs the binary with `CPMCTL_SERVER=server` and `args`; returns (exit code, stdout + stderr).
fn run_with_server(fx: &Fixture, server: &str, args: &[&str]) -> (i32, String) {
    let out = fx.cmd().env("CPMCTL_SERVER", server).env("CPMCTL_NO_KEYRING", "1").args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

fn assert_no_secret(what: &str, text: &str) {
    assert!(!text.contains("SECRET"), "{what} echoed the password:\n{text}");
}

#[test]
fn a_password_in_the_server_url_is_never_echoed() {
    let fx = Fixture::demo();
    let real = fx.info.base_url.replace("http://", "http://u:SECRET@");
    let servers = [
        real.as_str(),
        "http://u:SECRET@host",
        "http://u:SECRET@ho st/x",
        "ftp://u:SECRET@h/nms/v1/cpm/b",
        "http://u:SEC@RET@host:99999/",
        "http://u:pa/SECRET@host",
    ];
    let commands: [&[&str]; 5] =
        [&["ls"], &["-o", "json", "ls"], &["-v", "ls"], &["login", "status"], &["-o", "json", "login", "status"]];
    for server in servers {
        for args in commands {
            let (code, text) = run_with_server(&fx, server, args);
            assert_ne!(code, 0, "{server} {args:?}: {text}");
            assert_no_secret(&format!("{server} {args:?}"), &text);
            assert!(text.contains("***@") || text.contains("invalid server URL"), "{server} {args:?}: {text}");
        }
    }
    // The same through --server and through a profile in the config file.
    let out = fx.cmd().args(["--server", "http://u:SECRET@host", "ls"]).output().unwrap();
    assert_no_secret("--server", &String::from_utf8_lossy(&out.stderr));
    let config = fx.dir.path().join("config").join("config.toml");
    std::fs::write(&config, "[profiles.default]\nserver = \"http://u:SECRET@host\"\nbox = \"b\"\n").unwrap();
    let out = fx.cmd().env_remove("CPMCTL_SERVER").args(["login", "status"]).output().unwrap();
    assert!(!out.status.success());
    assert_no_secret("config profile", &String::from_utf8_lossy(&out.stderr));
}

#[test]
fn verbose_traces_redact_a_password_in_a_redirect() {
    let fx = Fixture::demo();
    let (hostile, uri) = fx.rt.block_on(async {
        let s = MockServer::start().await;
        let uri = s.uri();
        Mock::given(method("GET"))
            .and(path("/pfx/nms/v1/cpm/tel%3A%2B15550001111/objects/abc"))
            .respond_with(
                ResponseTemplate::new(302)
                    .insert_header("location", uri.replace("http://", "http://u:SECRET@") + "/elsewhere"),
            )
            .mount(&s)
            .await;
        (s, uri)
    });
    let base = format!("{uri}/pfx/nms/v1/cpm/tel%3A%2B15550001111");
    let (code, text) = run_with_server(&fx, &base, &["-v", "-o", "json", "get", "abc"]);
    assert_ne!(code, 0, "{text}");
    assert_no_secret("-v trace", &text);
    assert!(text.contains("/elsewhere"), "the trace shows the redirect: {text}");
    drop(hostile);
}

#[test]
fn the_json_answer_cap_is_set_by_the_environment() {
    let fx = Fixture::demo();
    let (server, uri) = fx.rt.block_on(async {
        let s = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/pfx/nms/v1/cpm/tel%3A%2B15550001111/objects/abc"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(vec![b' '; 2 * 1024 * 1024], "application/json"))
            .mount(&s)
            .await;
        let uri = s.uri();
        (s, uri)
    });
    let base = format!("{uri}/pfx/nms/v1/cpm/tel%3A%2B15550001111");
    let out =
        fx.cmd().env("CPMCTL_SERVER", &base).env("CPMCTL_MAX_BODY_MIB", "1").args(["get", "abc"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("larger than the limit of 1048576 bytes") && stderr.contains("CPMCTL_MAX_BODY_MIB"),
        "{stderr}"
    );
    let out =
        fx.cmd().env("CPMCTL_SERVER", &base).env("CPMCTL_MAX_BODY_MIB", "lots").args(["get", "abc"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("invalid CPMCTL_MAX_BODY_MIB `lots`"), "{stderr}");
    drop(server);
}

#[test]
fn get_part_and_redirects_never_carry_the_password_to_another_host() {
    let fx = Fixture::demo();
    let b = "/pfx/nms/v1/cpm/tel%3A%2B15550001111";
    let (store, hostile, store_uri) = fx.rt.block_on(async {
        let store = MockServer::start().await;
        let hostile = MockServer::start().await;
        let object = serde_json::json!({"object": {
            "resourceURL": format!("{}{b}/objects/abc", store.uri()),
            "path": "/RCSMessageStore/abc",
            "attributes": {"attribute": [{"name": "Message-Context", "value": ["pager-message"]}]},
            "flags": {"flag": []},
            "payloadPart": [{"contentType": "text/plain", "size": 5, "partId": "part1",
                             "href": format!("{}/loot/part1", hostile.uri())}]
        }});
        Mock::given(method("GET"))
            .and(path(format!("{b}/objects/abc")))
            .respond_with(ResponseTemplate::new(200).set_body_json(object))
            .mount(&store)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("{b}/objects/moved")))
            .respond_with(ResponseTemplate::new(302).insert_header("location", format!("{}/loot/moved", hostile.uri())))
            .mount(&store)
            .await;
        Mock::given(method("GET"))
            .and(path("/loot/part1"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(b"hello".to_vec(), "text/plain"))
            .mount(&hostile)
            .await;
        let uri = store.uri();
        (store, hostile, uri)
    });
    let base = format!("{store_uri}{b}");
    let out_file = fx.work().join("part.txt");
    let out = fx
        .cmd()
        .env("CPMCTL_SERVER", &base)
        .args(["get", "abc", "--part", "part1", "--out"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(&out_file).unwrap(), b"hello");
    // The redirect to the hostile host: followed without credentials, its 404 reported.
    let (code, text) = run_with_server(&fx, &base, &["get", "moved"]);
    assert_ne!(code, 0, "{text}");
    let reqs = fx.rt.block_on(hostile.received_requests()).unwrap_or_default();
    assert_eq!(reqs.len(), 2, "the part and the redirect target were fetched");
    assert!(reqs.iter().all(|r| !r.headers.contains_key("authorization")), "credentials reached another origin");
    let reqs = fx.rt.block_on(store.received_requests()).unwrap_or_default();
    assert!(reqs.iter().all(|r| r.headers.contains_key("authorization")));
}
