//! `cpmctl flag`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Add or remove flags on objects.
#[derive(clap::Args, Debug)]
pub struct FlagArgs {}

pub async fn run(_ctx: &mut Ctx, _args: FlagArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("flag"))
}
