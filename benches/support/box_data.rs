//! What the benches put in a box and read back: seeded objects (100 per bulkCreation, 4 in
//! flight), files for `put`, counts and ids, and the small figures every results table shows (rates, ratios,
//! peak-RSS notes, the load average).

// Every bench target compiles this module and each uses a different part of it.
#![allow(dead_code)]

use std::time::Duration;

use futures::StreamExt;

use cpmctl::nms::{NewObject, NmsClient};
use cpmctl::wire::{Attribute, AttributeList, Object, SelectionCriteria};

use super::Run;

/// The folder every bench seeds into.
pub const FOLDER: &str = "/RCSMessageStore/bench";

/// Stores `n` objects made by `make(i)`, 100 per bulk request, 4 requests in flight; fails
/// unless every one is stored. Each batch is made as its request goes out, so a big box with
/// payload parts is never all in this process's memory at once.
pub async fn seed_with(client: &NmsClient, n: usize, make: impl Fn(usize) -> NewObject) -> anyhow::Result<()> {
    let make = &make;
    let batches: Vec<Vec<usize>> = (0..n).collect::<Vec<_>>().chunks(100).map(<[usize]>::to_vec).collect();
    let mut results = futures::stream::iter(batches.into_iter().map(|b| {
        let client = client.clone();
        async move {
            let objects: Vec<NewObject> = b.iter().map(|&i| make(i)).collect();
            let list = client.bulk_create(&objects).await?;
            let ok = list.response.iter().filter(|r| r.is_success()).count();
            anyhow::ensure!(ok == objects.len(), "seeding: {ok} of {} objects stored", objects.len());
            anyhow::Ok(())
        }
    }))
    .buffer_unordered(4);
    while let Some(r) = results.next().await {
        r?;
    }
    Ok(())
}

/// Stores `n` small SMS objects ([`sms_object`]) in [`FOLDER`].
pub async fn seed(client: &NmsClient, n: usize) -> anyhow::Result<()> {
    seed_with(client, n, sms_object).await
}

/// The `i`-th bench SMS: one second after the previous one (from 2024-01-01), text only.
pub fn sms_object(i: usize) -> NewObject {
    let base = jiff::Timestamp::constant(1_704_067_200, 0); // 2024-01-01
    let date = base + jiff::SignedDuration::from_secs(i as i64);
    let attrs = [
        ("Date", date.to_string()),
        ("Message-Context", "pager-message".into()),
        ("Direction", "In".into()),
        ("From", "tel:+15550009999".into()),
        ("To", "tel:+15550001111".into()),
        ("TextContent", format!("bench message number {i} with some padding text to make records realistic")),
    ];
    NewObject { object: object_in(FOLDER, &attrs), parts: Vec::new() }
}

/// An object in `folder` with these attributes.
pub fn object_in(folder: &str, attrs: &[(&str, String)]) -> Object {
    Object {
        parent_folder_path: Some(folder.into()),
        attributes: AttributeList { attribute: attrs.iter().map(|(k, v)| Attribute::new(*k, v.as_str())).collect() },
        ..Default::default()
    }
}

/// Calls `f` with every object of the box, a search page of 1,000 at a time.
pub async fn for_each_object(
    client: &NmsClient,
    mut f: impl FnMut(Object) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut pages = client.search_stream(SelectionCriteria { max_entries: 1000, ..Default::default() });
    while let Some(page) = pages.next().await {
        for o in page?.object {
            f(o)?;
        }
    }
    Ok(())
}

/// Objects in the box (every page).
pub async fn count(client: &NmsClient) -> anyhow::Result<usize> {
    let mut n = 0;
    for_each_object(client, |_| {
        n += 1;
        Ok(())
    })
    .await?;
    Ok(n)
}

/// Every object id of the box.
pub async fn all_ids(client: &NmsClient) -> anyhow::Result<Vec<String>> {
    let mut ids = Vec::new();
    for_each_object(client, |o| {
        ids.push(cpmctl::nms::id_from_url(o.resource_url.as_deref().unwrap_or_default()));
        Ok(())
    })
    .await?;
    Ok(ids)
}

/// Writes `n` short text files for `put`, one message each (`msg-000000.txt`, …).
pub fn write_files(dir: &std::path::Path, n: usize) -> anyhow::Result<()> {
    for i in 0..n {
        let text = format!("Bench message {i}: see you at {}:{:02}, bring the documents.\n", 8 + i % 12, i % 60);
        std::fs::write(dir.join(format!("msg-{i:06}.txt")), text)?;
    }
    Ok(())
}

/// Items per second.
pub fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64().max(1e-9)
}

/// `a / b`, never a division by zero.
pub fn ratio(a: f64, b: f64) -> f64 {
    a / b.max(1e-9)
}

/// Peak RSS of the big run against the small one, flagged when it follows the box size.
pub fn mem_note(big: &Run, small: &Run, size_ratio: usize) -> String {
    let r = ratio(big.peak_kib as f64, small.peak_kib as f64);
    format!("peak RSS {r:.2}x for {size_ratio}x the objects{}", if r > 1.5 { "  <-- grows with the box" } else { "" })
}

/// The 1-minute load average (`?` where /proc has none): printed beside every timing, since
/// this machine is shared.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}
