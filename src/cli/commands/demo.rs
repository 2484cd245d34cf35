//! `cpmctl demo`: placeholder so the CLI builds; the "commands" helper replaces this file.

use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Start an embedded demo server and take a short tour.
#[derive(clap::Args, Debug)]
pub struct DemoArgs {}

pub async fn run(_ctx: &mut Ctx, _args: DemoArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("demo"))
}
