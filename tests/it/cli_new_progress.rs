//! `get`'s progress bar shows the bytes moved and their rate next to the count when payloads
//! are saved (issue 14, item 13), drawn in a pseudo-terminal made by util-linux `script`.
#![cfg(unix)]

use crate::cmd_support;

use cmd_support::Fixture;

#[test]
fn get_bar_shows_bytes_and_rate() {
    let f = Fixture::demo();
    let body = vec![b'x'; 64 * 1024];
    for i in 0..120 {
        let part = cmd_support::file_part("application/octet-stream", &format!("blob-{i}.bin"), &body);
        f.create("/Blobs", &[("Message-Context", "file-message")], &[], vec![part]);
    }
    let out = f.work().join("out");
    let line = format!(
        "\"$CPMCTL\" search --folder /Blobs --all -o plain | \"$CPMCTL\" get - --all-parts --out {}/ --progress bar",
        out.display()
    );
    let (code, screen) = cmd_support::run_in_pty(&f, &line);
    assert_eq!(code, 0, "{screen}");
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 120);
    assert!(screen.contains("/120"), "no count on the bar:\n{screen}");
    assert!(screen.contains("B/s)"), "no bytes moved and rate on the bar:\n{screen}");
    assert!(screen.contains("MiB"), "no byte count on the bar:\n{screen}");
}
