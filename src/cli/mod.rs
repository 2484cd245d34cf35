//! The command-line layer: the only one that touches clap, the terminal, tables, progress and prompts.

pub mod commands;

/// Entry point of the binary (placeholder until the CLI lands).
pub fn main() -> std::process::ExitCode {
    std::process::ExitCode::SUCCESS
}
