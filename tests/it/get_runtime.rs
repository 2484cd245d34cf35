//! `get` runs on a one-thread runtime (fewer cross-thread wake-ups for its many small reads,
//! issue 14 item 23); Ctrl-C must still stop it with exit 130 while a read hangs.

use std::io::Read;

use crate::cmd_support;

#[cfg(unix)]
#[test]
fn sigint_stops_a_hanging_get_with_130() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("work")).expect("work dir");
    // A "server" that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}/nms/v1/cpm/tel%3A%2B15550001111", listener.local_addr().expect("addr"));
    let child = cmd_support::std_cmd_for(&base, "demo", "pw", dir.path())
        .args(["-o", "ndjson", "get", "id-1", "id-2", "id-3"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn get");
    // Once a request has arrived, the SIGINT handler is in place.
    let (mut conn, _) = listener.accept().expect("a connection");
    let mut first = [0u8; 16];
    conn.read_exact(&mut first).expect("a request");
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(killed.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
}
