//! `cpmctl rm`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Delete objects and folders.
#[derive(clap::Args, Debug)]
pub struct RmArgs {}

pub async fn run(_ctx: &mut Ctx, _args: RmArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("rm"))
}
