//! `cargo bench --bench cli`: end-to-end speed and memory of the release `cpmctl` binary
//! against the reference server running in this process, each result next to a baseline
//! measured in the same run (bulk vs single POSTs, small vs big box, 4 vs 1 requests in
//! flight). It never fails on timing: only a non-zero exit or a wrong count fails it.
//!
//! Sizes: `CPMCTL_BENCH_N` (default 10,000) is the full `put` run and the `rm` pipelines;
//! the bulk/single `put` sample is min(N, 1,000) files each; the memory runs use boxes of
//! N/5 and 2·N objects. Requests are counted by a small TCP proxy between the binary and
//! the server (request lines in the client-to-server stream; plain HTTP/1.1, no TLS).
//!
//! `export` exports one conversation of N/2 and of 5·N messages (5,000 and 50,000 by default):
//! peak RSS must stay flat (goal ≤ 1.2x) since each conversation streams by date.
//! `CPMCTL_BENCH_ONLY=export` runs that scenario alone.
//! `sync` has its own bench (`benches/sync.rs`, P6: objects with payload parts).
//! `get` of N ids against wrk's GET rate lives in its own target: `cargo bench --bench get`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Instant;

use anyhow::{Context, ensure};

// Shared with benches/import.rs, which uses parts this bench does not (and the other way round).
#[allow(dead_code)]
mod support;

use support::box_data::{FOLDER, count, mem_note, rate, ratio, seed, write_files};
use support::env::{Env, env_num};
use support::{Run, Table, secs};

/// Boxes, one per scenario, so no run sees another's objects.
const BOX_PUT_BULK: &str = "tel:+15550100001";
const BOX_PUT_SINGLE: &str = "tel:+15550100002";
const BOX_PUT_FULL: &str = "tel:+15550100003";
const BOX_SMALL: &str = "tel:+15550100004";
const BOX_BIG: &str = "tel:+15550100005";
const BOX_RM: &str = "tel:+15550100006";
const BOX_RM_BASE: &str = "tel:+15550100007";
const BOX_EXPORT_SMALL: &str = "tel:+15550100008";
const BOX_EXPORT_BIG: &str = "tel:+15550100009";

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench` (and filters); this target has one fixed plan.
    let n = env_num("CPMCTL_BENCH_N", 10_000)?;
    ensure!(n >= 10, "CPMCTL_BENCH_N must be at least 10");
    let sample = n.min(1_000);
    let (small, big) = (n / 5, n * 2);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cpmctl"));
    let started = Instant::now();
    println!("cpmctl CLI bench: N={n}, binary {}", bin.display());

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let dir = tempfile::tempdir()?;
    for sub in ["files-sample", "files-full"] {
        std::fs::create_dir_all(dir.path().join(sub))?;
    }
    let boxes = [
        BOX_PUT_BULK,
        BOX_PUT_SINGLE,
        BOX_PUT_FULL,
        BOX_SMALL,
        BOX_BIG,
        BOX_RM,
        BOX_RM_BASE,
        BOX_EXPORT_SMALL,
        BOX_EXPORT_BIG,
    ];
    let env = Env::start(&rt, bin, dir.path(), boxes)?;

    if std::env::var("CPMCTL_BENCH_ONLY").is_ok_and(|v| v == "export") {
        let mut table = Table::default();
        export_rows(&env, &rt, n, &mut table)?;
        table.print();
        println!("total bench time {:.1}s", secs(started.elapsed()));
        rt.block_on(env.server.shutdown());
        return Ok(());
    }

    let mut table = Table::default();
    // Seeding goes straight to the server, outside the measurements and the request counts.
    let t = Instant::now();
    rt.block_on(async {
        seed(&env.client(BOX_SMALL)?, small).await?;
        seed(&env.client(BOX_BIG)?, big).await?;
        seed(&env.client(BOX_RM)?, n).await?;
        seed(&env.client(BOX_RM_BASE)?, n).await
    })?;
    write_files(&dir.path().join("files-sample"), sample)?;
    write_files(&dir.path().join("files-full"), n)?;
    println!("seeded {} objects and wrote {} files in {:.1}s\n", small + big + 2 * n, sample + n, secs(t.elapsed()));

    // put: bulkCreation vs one POST per object, same sample, default concurrency (4).
    let sample_dir = dir.path().join("files-sample");
    let bulk = env.put(&rt, BOX_PUT_BULK, &sample_dir, &[], sample)?;
    let single = env.put(&rt, BOX_PUT_SINGLE, &sample_dir, &["--no-bulk"], sample)?;
    let full = env.put(&rt, BOX_PUT_FULL, &dir.path().join("files-full"), &[], n)?;
    table.row(format!("put {sample} files, --no-bulk (baseline)"), &single, Some(rate(sample, single.time)), "");
    table.row(
        format!("put {sample} files, bulkCreation"),
        &bulk,
        Some(rate(sample, bulk.time)),
        &format!("{:.1}x files/s vs --no-bulk", ratio(rate(sample, bulk.time), rate(sample, single.time))),
    );
    table.row(format!("put {n} files, bulkCreation"), &full, Some(rate(n, full.time)), "");
    let summary = full.stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("(no summary line)");

    // import and put against wrk's raw bulkCreation rate, and the kill -9 runs: benches/import.rs.

    // Streaming listings: peak RSS must not follow the box size.
    let s_small = env.stream(BOX_SMALL, &["search", "--all"], small)?;
    let s_big = env.stream(BOX_BIG, &["search", "--all"], big)?;
    let l_small = env.stream(BOX_SMALL, &["ls", FOLDER, "--all"], small)?;
    let l_big = env.stream(BOX_BIG, &["ls", FOLDER, "--all"], big)?;
    table.row(format!("search --all -o ndjson, {small} objects"), &s_small, Some(rate(small, s_small.time)), "");
    table.row(
        format!("search --all -o ndjson, {big} objects"),
        &s_big,
        Some(rate(big, s_big.time)),
        &mem_note(&s_big, &s_small, big / small.max(1)),
    );
    table.row(format!("ls FOLDER --all -o ndjson, {small} objects"), &l_small, Some(rate(small, l_small.time)), "");
    table.row(
        format!("ls FOLDER --all -o ndjson, {big} objects"),
        &l_big,
        Some(rate(big, l_big.time)),
        &mem_note(&l_big, &l_small, big / small.max(1)),
    );

    // conversations groups as it streams: its memory follows conversations (one here), not objects.
    let c_small = env.stream(BOX_SMALL, &["conversations"], 1)?;
    let c_big = env.stream(BOX_BIG, &["conversations"], 1)?;
    table.row(format!("conversations, {small} objects in 1"), &c_small, Some(rate(small, c_small.time)), "");
    table.row(
        format!("conversations, {big} objects in 1"),
        &c_big,
        Some(rate(big, c_big.time)),
        &mem_note(&c_big, &c_small, big / small.max(1)),
    );

    export_rows(&env, &rt, n, &mut table)?;

    // search | rm: bulkDelete batches of 100, 4 in flight vs 1.
    let rm_base = env.search_rm(&rt, BOX_RM_BASE, &["--concurrency", "1"], n)?;
    let rm = env.search_rm(&rt, BOX_RM, &[], n)?;
    table.row(
        format!("search | rm --concurrency 1, {n} objects (baseline)"),
        &rm_base,
        Some(rate(n, rm_base.time)),
        "",
    );
    table.row(
        format!("search | rm (default 4), {n} objects"),
        &rm,
        Some(rate(n, rm.time)),
        &format!("{:.2}x faster than --concurrency 1", ratio(secs(rm_base.time), secs(rm.time))),
    );

    // rm streams its stdin in batches: its memory must not follow the list.
    let r_small = env.search_rm(&rt, BOX_SMALL, &[], small)?;
    let r_big = env.search_rm(&rt, BOX_BIG, &[], big)?;
    table.row(format!("search | rm, {small} objects"), &r_small, Some(rate(small, r_small.time)), "");
    table.row(
        format!("search | rm, {big} objects"),
        &r_big,
        Some(rate(big, r_big.time)),
        &mem_note(&r_big, &r_small, big / small.max(1)),
    );

    table.print();
    println!("\nput {n} files finished with: {summary}");
    println!(
        "requests: put bulk {} vs single {} for {sample} files; search|rm {} bulkDelete + {} search for {n} objects",
        bulk.requests.total, single.requests.total, rm.requests.bulk, rm.requests.search
    );
    println!("total bench time {:.1}s", secs(started.elapsed()));
    rt.block_on(env.server.shutdown());
    Ok(())
}

/// `export --all` of one SMS conversation of N/2 and of 5·N messages: the rate, and peak RSS
/// that must not follow the conversation's length (it streams page by page in date order).
fn export_rows(env: &Env, rt: &tokio::runtime::Runtime, n: usize, table: &mut Table) -> anyhow::Result<()> {
    let (small, big) = (n / 2, n * 5);
    let t = Instant::now();
    rt.block_on(async {
        seed(&env.client(BOX_EXPORT_SMALL)?, small).await?;
        seed(&env.client(BOX_EXPORT_BIG)?, big).await
    })?;
    println!("seeded {} objects for export in {:.1}s", small + big, secs(t.elapsed()));
    let run = |box_id: &str, name: &str, expected: usize| -> anyhow::Result<Run> {
        let out = env.root.join(name);
        let out_s = out.to_string_lossy().into_owned();
        // The summary is one JSON object, not a record stream: only the exit status is checked here.
        let mut c = env.cmd(box_id);
        c.args(["-o", "json", "export", "--all", "--out", &out_s, "--tz", "UTC"]);
        let (o, r) = env.measure(&mut c)?;
        ensure!(o.status.success(), "export: exited with {}\n{}", o.status, o.stderr);
        let lines = BufReader::new(std::fs::File::open(out.join("index.csv"))?).lines().count();
        ensure!(lines == expected + 1, "export: index.csv has {lines} lines for {expected} messages");
        std::fs::remove_dir_all(&out)?;
        Ok(r)
    };
    let e_small = run(BOX_EXPORT_SMALL, "export-small", small)?;
    let e_big = run(BOX_EXPORT_BIG, "export-big", big)?;
    table.row(format!("export --all, 1 conversation of {small}"), &e_small, Some(rate(small, e_small.time)), "");
    table.row(
        format!("export --all, 1 conversation of {big}"),
        &e_big,
        Some(rate(big, e_big.time)),
        &mem_note(&e_big, &e_small, big / small.max(1)),
    );
    Ok(())
}

impl Env {
    /// `put DIR` into an empty box; checks the printed records and the box's count.
    fn put(
        &self,
        rt: &tokio::runtime::Runtime,
        box_id: &str,
        dir: &Path,
        extra: &[&str],
        n: usize,
    ) -> anyhow::Result<Run> {
        let mut c = self.cmd(box_id);
        c.args(["-o", "ndjson", "--progress", "log", "put"]).arg(dir);
        c.args(["--context", "sms", "--from", "tel:+15550002222", "--to", box_id, "--folder", FOLDER]).args(extra);
        let (out, run) = self.measure(&mut c)?;
        out.check(&format!("put {} {extra:?}", dir.display()), n)?;
        let stored = rt.block_on(count(&self.client(box_id)?))?;
        ensure!(stored == n, "put: the box holds {stored} objects, expected {n}");
        Ok(run)
    }

    /// A streaming listing with `-o ndjson`; checks the record count.
    fn stream(&self, box_id: &str, args: &[&str], n: usize) -> anyhow::Result<Run> {
        let mut c = self.cmd(box_id);
        c.args(["-o", "ndjson"]).args(args);
        let (out, run) = self.measure(&mut c)?;
        out.check(&args.join(" "), n)?;
        Ok(run)
    }

    /// `search --all -o ndjson | rm --yes -`; checks the deleted records and an empty box.
    fn search_rm(&self, rt: &tokio::runtime::Runtime, box_id: &str, extra: &[&str], n: usize) -> anyhow::Result<Run> {
        let mut search = self.cmd(box_id);
        search.args(["-o", "ndjson", "search", "--all"]);
        let mut rm = self.cmd(box_id);
        rm.args(["-o", "ndjson", "--progress", "log", "rm", "--yes", "-"]).args(extra);
        let (out, run) = self.measure_with(|| {
            let mut first = search.spawn()?;
            let pipe = first.stdout.take().context("search stdout")?;
            rm.stdin(Stdio::from(pipe));
            Ok((rm.spawn()?, Some(first)))
        })?;
        out.check(&format!("search --all | rm --yes - {extra:?}"), n)?;
        let left = rt.block_on(count(&self.client(box_id)?))?;
        ensure!(left == 0, "rm: {left} objects are left in the box");
        Ok(run)
    }
}
