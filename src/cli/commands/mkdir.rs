//! `cpmctl mkdir`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Create a folder.
#[derive(clap::Args, Debug)]
pub struct MkdirArgs {}

pub async fn run(_ctx: &mut Ctx, _args: MkdirArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("mkdir"))
}
