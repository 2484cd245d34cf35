//! `ls`, `search` and `get` through the real binary against the in-process reference server.

mod cmd_support;

use cmd_support::Fixture;

#[test]
fn explore() {
    let f = Fixture::demo();
    println!("{}", f.info.base_url);
    let out = f.cmd().args(["-o", "ndjson", "ls", "/RCSMessageStore", "--limit", "3"]).output().unwrap();
    println!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let out = f.cmd().args(["-o", "ndjson", "search", "--limit", "3"]).output().unwrap();
    println!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}
