//! `cpmctl serve`: placeholder so the CLI builds; the "server" helper's version replaces this file.

/// Run the reference NMS / Notification Channel server.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {}

pub async fn run(_args: ServeArgs, _verbose: bool) -> anyhow::Result<()> {
    anyhow::bail!("`serve` is not built yet")
}
