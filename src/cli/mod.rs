//! The command-line layer: the only one that touches clap, the terminal, tables, progress and prompts.
//!
//! `main` parses, builds the tokio runtime, runs the command as a task (so Ctrl-C is noticed
//! even while a command blocks on a prompt), prints the error if any, and maps it to an exit code.

pub mod args;
pub mod commands;
pub mod context;
pub mod error;
// The one place that writes to the terminal; everything else goes through it.
#[allow(clippy::print_stdout, clippy::print_stderr)]
pub mod output;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use crate::config::{self, Env};
use args::Cli;
use context::Ctx;
use error::CliError;
use output::{Output, OutputOptions, Prompt};

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    run(cli)
}

/// Runs a parsed command line against the real terminal and process environment.
pub fn run(cli: Cli) -> ExitCode {
    let env = Env::from_process();
    let out = Output::new(OutputOptions {
        format: cli.globals.output,
        color: cli.globals.color,
        progress: cli.globals.progress,
        quiet: cli.globals.quiet,
        verbose: cli.globals.verbose,
    });
    let stderr = out.stderr();
    // Scripts that asked for JSON get the error as JSON on stderr too.
    let json_errors = out.is_machine();
    let verbose = cli.globals.verbose > 0;
    let prompt = Prompt::new(cli.globals.no_input || env.flag(config::env::NO_INPUT));
    let own_interrupt = cli.command.handles_interrupt();
    let mut builder = if cli.command.single_threaded() {
        tokio::runtime::Builder::new_current_thread()
    } else {
        tokio::runtime::Builder::new_multi_thread()
    };
    let command = cli.command;
    let mut ctx = Ctx::new(cli.globals, out, env, prompt);

    let runtime = match builder.enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            let err = CliError::failure(format!("cannot start the async runtime: {e}"));
            if let Ok(mut w) = stderr.lock() {
                err.print_to(&mut **w);
            }
            return ExitCode::from(err.exit_code());
        }
    };
    let result = runtime.block_on(async move {
        // Listen for SIGINT before the command starts, so no request can begin unguarded.
        let interrupted = interrupt_listener();
        let task = tokio::spawn(async move {
            let result = commands::dispatch(&mut ctx, command).await.map_err(|e| ctx.explain(e));
            // Whatever happened, what was written so far should reach stdout (as one document).
            let flushed = ctx.out.finish(result.is_ok());
            result.and(flushed)
        });
        let joined = if own_interrupt {
            task.await
        } else {
            tokio::select! {
                joined = task => joined,
                _ = interrupted => return Err(CliError::interrupted()),
            }
        };
        joined.unwrap_or_else(|e| Err(CliError::failure(format!("internal error: {e}"))))
    });
    // Do not wait for threads stuck in blocking calls (a keyring that never answers).
    runtime.shutdown_timeout(Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let Ok(mut w) = stderr.lock() {
                if json_errors {
                    err.print_json_to(&mut **w);
                } else {
                    err.print_to(&mut **w);
                    // Plain words for everyone; the server's own code for whoever asks (-v).
                    if verbose && let Some(id) = &err.message_id {
                        let _ = writeln!(w, "  server messageId: {}", output::sanitize(id));
                    }
                }
            }
            ExitCode::from(err.exit_code())
        }
    }
}

/// A future that completes on SIGINT (Ctrl-C). On unix the handler is installed right here,
/// not on first poll.
pub(crate) fn interrupt_listener() -> impl std::future::Future<Output = ()> + Send {
    #[cfg(unix)]
    {
        let signal = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
        async move {
            match signal {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
