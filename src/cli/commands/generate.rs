//! Hidden `cpmctl generate --dir DIR`: writes `completions/` and `man/` from the clap definition.
//! The checked-in copies are compared with a fresh generation by `tests/it/cli_generated.rs`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap_complete::{Generator, Shell};

use crate::cli::args;
use crate::cli::context::Ctx;
use crate::cli::error::CliError;

/// Regenerate completions/ and man/ (maintainers).
#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// Repository root: files go to DIR/completions and DIR/man
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Shells in `completions/`.
pub const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell, Shell::Elvish];

/// Every generated file: path relative to the root (`completions/cpmctl.bash`, `man/cpmctl-ls.1`, …) → contents.
pub fn generated_files() -> Result<BTreeMap<String, Vec<u8>>, CliError> {
    let mut files = BTreeMap::new();
    for shell in SHELLS {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut args::command(), "cpmctl", &mut buf);
        files.insert(format!("completions/{}", shell.file_name("cpmctl")), buf);
    }
    let mut cmd = args::command().disable_help_subcommand(true);
    cmd.build();
    man_pages(&cmd, &mut files)?;
    Ok(files)
}

fn man_pages(cmd: &clap::Command, files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), CliError> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, files)?;
    }
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    man.render(&mut buf)?;
    files.insert(format!("man/{}", man.get_filename()), buf);
    Ok(())
}

/// Writes the files under `root`, removing stale generated files (`man/cpmctl*.1`, `completions/*cpmctl*`).
pub fn write_all(root: &Path) -> Result<usize, CliError> {
    let files = generated_files()?;
    for sub in ["completions", "man"] {
        let dir = root.join(sub);
        std::fs::create_dir_all(&dir)?;
        for entry in std::fs::read_dir(&dir)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.contains("cpmctl") && !files.contains_key(&format!("{sub}/{name}")) {
                std::fs::remove_file(entry.path())?;
            }
        }
    }
    for (rel, bytes) in &files {
        std::fs::write(root.join(rel), bytes)?;
    }
    Ok(files.len())
}

pub async fn run(ctx: &mut Ctx, args: GenerateArgs) -> Result<(), CliError> {
    let n = write_all(&args.dir)?;
    ctx.out.status(format!("wrote {n} files under {}", args.dir.display()));
    Ok(())
}
