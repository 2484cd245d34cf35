//! `cpmctl search`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Search objects by attributes, flags and dates.
#[derive(clap::Args, Debug)]
pub struct SearchArgs {}

pub async fn run(_ctx: &mut Ctx, _args: SearchArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("search"))
}
