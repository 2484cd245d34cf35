//! `cpmctl put`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Store files as message objects.
#[derive(clap::Args, Debug)]
pub struct PutArgs {}

pub async fn run(_ctx: &mut Ctx, _args: PutArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("put"))
}
