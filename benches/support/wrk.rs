//! wrk, where the raw baselines come from: a Lua script that GETs a list of paths in turn as the
//! bench user, the `wrk` command, and the figures of its report.

// Every bench target compiles this module and each uses a different part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use anyhow::{Context, ensure};

use super::env::{PASSWORD, USER};

/// The `Authorization` header value of [`USER`], for wrk scripts (wrk has no credentials of
/// its own).
pub fn basic_auth() -> String {
    basic_auth_of(USER, PASSWORD)
}

/// The Basic `Authorization` header value of `user` with `password`.
pub fn basic_auth_of(user: &str, password: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}")))
}

/// Writes `paths` to `list` and a script to `script` that GETs them in turn, round and round,
/// as [`USER`] (with `Accept: accept` when given). The list stays a file the script reads, as
/// a Lua literal of 10,000 paths would be slow to load in every wrk thread.
pub fn paths_script(list: PathBuf, script: PathBuf, paths: &[String], accept: Option<&str>) -> anyhow::Result<PathBuf> {
    paths_script_as(list, script, paths, accept, &basic_auth())
}

/// [`paths_script`] sending `auth` as the `Authorization` header (another user's).
pub fn paths_script_as(
    list: PathBuf,
    script: PathBuf,
    paths: &[String],
    accept: Option<&str>,
    auth: &str,
) -> anyhow::Result<PathBuf> {
    std::fs::write(&list, paths.join("\n") + "\n")?;
    let accept = accept.map(|a| format!(", [\"Accept\"] = \"{a}\"")).unwrap_or_default();
    std::fs::write(
        &script,
        format!(
            "local paths = {{}}\nfor l in io.lines({list:?}) do paths[#paths + 1] = l end\nlocal i = 0\n\
             request = function()\n  i = i % #paths + 1\n  return wrk.format(\"GET\", paths[i], \
             {{[\"Authorization\"] = \"{auth}\"{accept}}})\nend\n",
            list = list.display().to_string(),
        ),
    )?;
    Ok(script)
}

/// `wrk` with 2 threads (its best on 2 cores) and `connections` connections for `seconds` s,
/// running `script` against `target` (an origin, or a URL whose path the script keeps).
pub fn command(script: &Path, target: &str, connections: usize, seconds: u32) -> Command {
    let mut c = Command::new("wrk");
    c.args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s"), "-s"]).arg(script).arg(target);
    c
}

/// Runs [`command`] to the end; `None` when wrk is not installed.
pub fn output(script: &Path, target: &str, connections: usize, seconds: u32) -> anyhow::Result<Option<Output>> {
    match command(script, target, connections, seconds).output() {
        Ok(o) => Ok(Some(o)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// What a wrk run reports.
pub struct Report {
    /// Requests per second.
    pub rate: f64,
    /// Requests completed, when the report says.
    pub requests: Option<u64>,
}

/// Reads a finished run's report; fails when wrk failed or saw a response other than 2xx (a
/// rate of refusals is no baseline).
pub fn report(out: &Output) -> anyhow::Result<Report> {
    let text = String::from_utf8_lossy(&out.stdout);
    ensure!(out.status.success(), "wrk failed: {text}{}", String::from_utf8_lossy(&out.stderr));
    ensure!(!text.contains("Non-2xx"), "wrk saw errors:\n{text}");
    let rate = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse::<f64>().ok())
        .with_context(|| format!("no Requests/sec in wrk's output:\n{text}"))?;
    // "  30123 requests in 3.00s, 15.2MB read"
    let requests =
        text.lines().find_map(|l| l.trim().split_once(" requests in ").and_then(|(k, _)| k.trim().parse::<u64>().ok()));
    Ok(Report { rate, requests })
}
