//! `cpmctl get`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Show objects (attributes, flags, parts) or download their payload.
#[derive(clap::Args, Debug)]
pub struct GetArgs {}

pub async fn run(_ctx: &mut Ctx, _args: GetArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("get"))
}
