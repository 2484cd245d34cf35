//! One file per subcommand; `dispatch` routes a parsed `Command` to its `run`.

pub mod check;
pub mod common;
pub mod completions;
pub mod conversations;
pub mod demo;
pub mod export;
pub mod flag;
pub mod generate;
pub mod get;
pub mod import;
pub mod login;
pub mod logout;
pub mod ls;
pub mod mkdir;
pub mod mv;
pub mod put;
pub mod rm;
pub mod search;
pub mod serve;
pub mod stats;
pub mod subscribe;
pub mod sync;

use super::args::Command;
use super::context::Ctx;
use super::error::CliError;

/// Runs one command.
pub async fn dispatch(ctx: &mut Ctx, command: Command) -> Result<(), CliError> {
    match command {
        Command::Login(args) => login::run(ctx, args).await,
        Command::Logout(args) => logout::run(ctx, args).await,
        Command::Ls(args) => ls::run(ctx, args).await,
        Command::Search(args) => search::run(ctx, args).await,
        Command::Conversations(args) => conversations::run(ctx, args).await,
        Command::Export(args) => export::run(ctx, args).await,
        Command::Get(args) => get::run(ctx, args).await,
        Command::Put(args) => put::run(ctx, args).await,
        Command::Import(args) => import::run(ctx, args).await,
        Command::Mv(args) => mv::run(ctx, args).await,
        Command::Rm(args) => rm::run(ctx, args).await,
        Command::Flag(args) => flag::run(ctx, args).await,
        Command::Mkdir(args) => mkdir::run(ctx, args).await,
        Command::Demo(args) => demo::run(ctx, args).await,
        Command::Subscribe(args) => subscribe::run(ctx, args).await,
        Command::Sync(args) => sync::run(ctx, args).await,
        Command::Check(args) => check::run(ctx, args).await,
        Command::Stats(args) => stats::run(ctx, args).await,
        Command::Serve(args) => serve::run(ctx, args).await,
        Command::Completions(args) => completions::run(ctx, args).await,
        Command::Generate(args) => generate::run(ctx, args).await,
    }
}
