//! `cpmctl completions SHELL`: prints a shell completion script on stdout.

use clap_complete::Shell;

use crate::cli::args;
use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Print a shell completion script.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  cpmctl completions bash > ~/.local/share/bash-completion/completions/cpmctl
  cpmctl completions zsh > ~/.zfunc/_cpmctl
  cpmctl completions fish > ~/.config/fish/completions/cpmctl.fish")]
pub struct CompletionsArgs {
    /// The shell to generate for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub async fn run(ctx: &mut Ctx, args: CompletionsArgs) -> Result<(), CliError> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut args::command(), "cpmctl", &mut buf);
    ctx.out.write_bytes(&buf)?;
    ctx.out.flush()
}
