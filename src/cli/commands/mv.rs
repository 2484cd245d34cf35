//! `cpmctl mv`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Move objects and folders to another folder.
#[derive(clap::Args, Debug)]
pub struct MvArgs {}

pub async fn run(_ctx: &mut Ctx, _args: MvArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("mv"))
}
