//! `cpmctl ls`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// List a folder: its sub-folders and objects.
#[derive(clap::Args, Debug)]
pub struct LsArgs {}

pub async fn run(_ctx: &mut Ctx, _args: LsArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("ls"))
}
