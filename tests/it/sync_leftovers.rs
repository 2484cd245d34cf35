//! What a killed `sync` leaves on the server (issue 11, R1): its notification channel and
//! subscription. The store allows a user only so many channels (16 on the reference server), so
//! after enough kills every later run was refused ("at most 16 notification channels per user",
//! exit 3) until they expired. The next run finds its mirror's own leftovers by their
//! clientCorrelator and deletes them before it makes new ones; nobody else's are touched.

use crate::cmd_support;

use std::process::Stdio;
use std::time::{Duration, Instant};

use cmd_support::{Fixture, std_cmd_for};

/// Channels the demo user has on the server now.
fn channels(f: &Fixture) -> Vec<cpmctl::wire::NotificationChannel> {
    f.rt.block_on(f.client().notify().list_channels()).unwrap().notification_channel
}

#[test]
fn channels_left_by_killed_runs_are_deleted_by_the_next_run() {
    // Every event list is dropped: a steady-state run then never sees its changes arrive and
    // waits on its channel for the quiet spell (a long one below), which is where it is killed.
    // (With the lists delivered it catches up to the store's token and ends in milliseconds.)
    let f = Fixture::demo_with(|c| {
        c.max_channels_per_user = 3;
        c.fault = cpmctl::server::FaultConfig { drop: 1.0, ..Default::default() };
    });
    f.create_many("/Left", 3);
    let dir = f.work().join("mirror");
    let d = dir.to_str().unwrap();
    f.ok(&["sync", d]);
    assert!(channels(&f).is_empty(), "a finished run deletes its channel");
    // Somebody else's channel (another tool of the same user) must survive the clean-up.
    let other = f.rt.block_on(f.client().notify().create_channel(None, Some(600), Some("someone-else"))).unwrap();

    // Two steady-state runs killed while they wait on their channel: each leaves its channel
    // and subscription behind, and each run deletes the ones the run before it left (before the
    // fix they piled up to the limit).
    let ours = |f: &Fixture| -> Vec<String> {
        channels(f)
            .into_iter()
            .filter(|c| c.client_correlator.as_deref() != Some("someone-else"))
            .filter_map(|c| c.resource_url)
            .collect()
    };
    let mut left_by_killed: Vec<Vec<String>> = Vec::new();
    for _ in 0..2 {
        f.create_many("/Left", 1);
        let before = ours(&f);
        let mut child = std_cmd_for(&f.info.base_url, &f.info.user, &f.info.password, f.dir.path())
            .args(["sync", "--quiet-ms", "60000", d])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The replay's channel is the new one still there a moment later (the run first takes
        // the store's token through a channel it closes again at once).
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen: Option<String> = None;
        loop {
            let new = ours(&f).into_iter().find(|u| !before.contains(u));
            if new.is_some() && new == seen {
                break;
            }
            seen = new;
            assert!(Instant::now() < deadline, "the run never opened its channel");
            assert!(child.try_wait().unwrap().is_none(), "the run ended before it was killed");
            std::thread::sleep(Duration::from_millis(200));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        left_by_killed.push(ours(&f).into_iter().filter(|u| !before.contains(u)).collect());
    }
    assert!(!left_by_killed[1].is_empty(), "the second killed run left its channel");
    assert_eq!(ours(&f), left_by_killed[1], "the first killed run's channels are gone, the second's are left");
    assert!(left_by_killed[0].iter().all(|u| !left_by_killed[1].contains(u)));

    // A plain run succeeds, and afterwards only the other tool's channel is left. (Its lists
    // are dropped too: a reconciling run then brings the mirror level with the store.)
    let (code, out, err) = f.run(&["sync", d]);
    assert_eq!(code, 0, "{out}\n{err}");
    let left = channels(&f);
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0].client_correlator.as_deref(), Some("someone-else"));
    assert_eq!(left[0].resource_url, other.resource_url);
    f.ok(&["sync", "--resync", d]);
    let (code, out, err) = f.run(&["check", d]);
    assert_eq!(code, 0, "{out}\n{err}");
}
