//! The clap definition: `Cli`, the global flags shared by every command, and the `Command` enum.
//! Each command's own flags live in its file under `commands/`.

use clap::{Parser, Subcommand};

use super::commands;
use super::output::{ColorChoice, OutputFormat, ProgressMode};

const AFTER_HELP: &str = "\
Examples:
  cpmctl demo                                   # try it: embedded server + a short tour
  cpmctl login --server http://localhost:8080 --box tel:+15550001111 --user demo
  cpmctl ls /
  cpmctl search --context sms --since 7d -o ndjson | jq -r .id
  CPMCTL_SERVER=http://h:8080/nms/v1/cpm/tel%3A%2B15550001111 CPMCTL_USER=demo \\
    CPMCTL_PASSWORD=… cpmctl ls /               # CI: no config file needed

Exit codes: 0 ok, 1 failed, 2 usage/config, 3 auth, 4 not found, 5 network,
6 partial failure, 7 refused by a safety rule, 130 interrupted.";

/// Operate a CPM/RCS message store through the OMA NMS REST API.
#[derive(Parser, Debug)]
#[command(name = "cpmctl", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub globals: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted by every command (before or after the subcommand name).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// Profile from config.toml [env: CPMCTL_PROFILE]
    #[arg(long, global = true, value_name = "NAME", help_heading = "Global options")]
    pub profile: Option<String>,

    /// Server root (http://HOST:PORT) or a full NMS base URL http://HOST:PORT/nms/v1/STORE/BOX
    /// [env: CPMCTL_SERVER]
    #[arg(long, global = true, value_name = "URL", help_heading = "Global options")]
    pub server: Option<String>,

    /// Store name in NMS URLs (default: cpm) [env: CPMCTL_STORE]
    #[arg(long, global = true, value_name = "NAME", help_heading = "Global options")]
    pub store: Option<String>,

    /// Box id, e.g. tel:+15550001111 [env: CPMCTL_BOX]
    #[arg(long = "box", global = true, value_name = "ID", help_heading = "Global options")]
    pub box_id: Option<String>,

    /// Output format (default: table on a terminal, plain when piped)
    #[arg(
        short = 'o',
        long,
        global = true,
        value_enum,
        env = "CPMCTL_OUTPUT",
        hide_env_values = true,
        value_name = "FORMAT",
        help_heading = "Global options"
    )]
    pub output: Option<OutputFormat>,

    /// More diagnostics on stderr (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count, help_heading = "Global options")]
    pub verbose: u8,

    /// No status lines or summaries on stderr (errors and warnings still show)
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,

    /// Retries for idempotent requests on network errors, 429 and 5xx (default: 4)
    #[arg(long, global = true, value_name = "N", help_heading = "Global options")]
    pub retries: Option<u32>,

    /// At most N requests per second to the server, for every command (retries included),
    /// so a bulk job cannot overload a production store [env: CPMCTL_TPS_LIMIT]
    #[arg(long, global = true, value_name = "N", env = "CPMCTL_TPS_LIMIT", hide_env_values = true,
          value_parser = clap::value_parser!(u32).range(1..), help_heading = "Global options")]
    pub tps_limit: Option<u32>,

    /// Progress display for bulk work on stderr
    #[arg(long, global = true, value_enum, default_value_t = ProgressMode::Auto, value_name = "MODE",
          help_heading = "Global options")]
    pub progress: ProgressMode,

    /// Never prompt; fail with a hint instead [env: CPMCTL_NO_INPUT]
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_input: bool,

    /// Colour in tables (auto: only on a terminal, off with NO_COLOR)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN",
          help_heading = "Global options")]
    pub color: ColorChoice,
}

/// Every subcommand. Dispatch is in `commands/mod.rs`.
#[derive(Subcommand, Debug)]
pub enum Command {
    Login(commands::login::LoginArgs),
    Logout(commands::logout::LogoutArgs),
    Ls(commands::ls::LsArgs),
    Search(commands::search::SearchArgs),
    Conversations(commands::conversations::ConversationsArgs),
    Export(commands::export::ExportArgs),
    Get(commands::get::GetArgs),
    Put(commands::put::PutArgs),
    Import(commands::import::ImportArgs),
    Mv(commands::mv::MvArgs),
    Rm(commands::rm::RmArgs),
    Flag(commands::flag::FlagArgs),
    Mkdir(commands::mkdir::MkdirArgs),
    Demo(commands::demo::DemoArgs),
    Subscribe(commands::subscribe::SubscribeArgs),
    Sync(commands::sync::SyncArgs),
    Check(commands::check::CheckArgs),
    Stats(commands::stats::StatsArgs),
    Serve(commands::serve::ServeArgs),
    Completions(commands::completions::CompletionsArgs),
    #[command(hide = true)]
    Generate(commands::generate::GenerateArgs),
}

impl Command {
    /// Commands that handle Ctrl-C themselves (graceful shutdown, cleanup) instead of being
    /// dropped mid-way by `main` with exit 130.
    pub fn handles_interrupt(&self) -> bool {
        matches!(self, Command::Serve(_) | Command::Subscribe(_) | Command::Demo(_))
            || matches!(self, Command::Sync(a) if a.watch)
    }

    /// Commands that run on one thread: `get`'s many small concurrent reads spend less CPU
    /// without wake-ups across worker threads (`cargo bench --bench get`, issue 14 item 23), and
    /// so do `sync`'s downloads (its file writing runs on the blocking pool all the same): a
    /// first-time sync of 10,000 objects took about a tenth less client CPU and 7% less time,
    /// 11 of 14 paired runs (`cargo bench --bench sync`, issue 11).
    pub fn single_threaded(&self) -> bool {
        matches!(self, Command::Get(_) | Command::Sync(_))
    }
}

/// The clap command tree (for completions, man pages and tests).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn globals_work_after_the_subcommand() {
        let cli = Cli::try_parse_from(["cpmctl", "completions", "bash", "-o", "json", "--box", "b", "-vv"]).unwrap();
        assert_eq!(cli.globals.output, Some(OutputFormat::Json));
        assert_eq!(cli.globals.box_id.as_deref(), Some("b"));
        assert_eq!(cli.globals.verbose, 2);
    }
}
