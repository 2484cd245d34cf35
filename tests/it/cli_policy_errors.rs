//! What the CLI says of a server's refusals. A 403 that is a policy of the server (a limit
//! reached), not a box the user may not open, is said as the server's reason (issue 11,
//! noticed during R1: with every notification channel of the user taken, `sync` said "box …
//! does not exist or you may not open it"). And a server's error text never brings escape
//! sequences to the terminal.

use crate::cmd_support;

use cmd_support::Fixture;

#[test]
fn a_policy_limit_is_said_as_the_servers_reason_not_as_a_missing_box() {
    let f = Fixture::demo_with(|c| c.max_channels_per_user = 1);
    // Another tool of the same user holds the only channel allowed.
    f.rt.block_on(f.client().notify().create_channel(None, Some(600), Some("someone-else"))).unwrap();
    let dir = f.work().join("mirror");
    let (code, _, err) = f.run(&["sync", dir.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    assert!(!err.contains("does not exist"), "{err}");
    assert!(err.contains("at most 1 notification channels per user"), "{err}");
    assert!(err.contains("tel:+15550001111"), "names the box: {err}");
}

#[test]
fn another_users_box_still_hints_at_box_rights() {
    let f = Fixture::demo();
    let url = f.info.base_url.replace("tel%3A%2B15550001111", "tel%3A%2B15550009876");
    let out = cmd_support::cmd_for(&url, &f.info.user, &f.info.password, f.dir.path()).args(["ls"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("does not exist or you may not open it"), "{err}");
}

/// A server that answers every request with `response` (then closes the connection).
fn canned_server(response: Vec<u8>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { return };
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match conn.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&buf[..n]),
                }
            }
            let _ = conn.write_all(&response);
        }
    });
    format!("http://{addr}/nms/v1/cpm/tel%3A%2B15550001111")
}

#[test]
fn a_servers_error_text_reaches_the_terminal_without_escape_sequences() {
    let f = Fixture::demo();
    let text = "bad \u{1b}[31mred\u{1b}[0m \u{1b}]0;owned\u{7} \u{9b}2J text\u{202e}gnp.exe";
    let body = serde_json::to_vec(&serde_json::json!({"requestError": {"serviceException": {
        "messageId": "SVC0001", "text": "A service error occurred. Error code is %1", "variables": [text]}}}))
    .unwrap();
    let mut response = format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    let url = canned_server(response);
    for verbose in [false, true] {
        let mut args = vec!["get", "abc"];
        if verbose {
            args.insert(0, "-v");
        }
        let out = cmd_support::cmd_for(&url, "demo", "pw", f.dir.path()).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(0), "{err}");
        assert!(err.contains("red") && err.contains("text"), "the text is still shown: {err:?}");
        assert!(!err.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']), "escape sequences reached stderr: {err:?}");
    }
}
