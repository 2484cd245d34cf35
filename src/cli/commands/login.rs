//! `cpmctl login` (check credentials against the server, then save profile + secret) and
//! `cpmctl login status` (profiles, where each secret lives, whether it still authenticates).

use std::io::Read;
use std::time::Duration;

use serde::Serialize;

use crate::cli::context::{Ctx, build_client, store_choice};
use crate::cli::error::{CliError, ErrorKind};
use crate::cli::output::OutputFormat;
use crate::config::{self, AuthKind, ConfigFile, CredentialStoreKind, Overrides, Profile, Settings};
use crate::credentials::{self, Credential, Secret, SecretSource};

/// Log in: check credentials against the server, then save a profile and the secret.
///
/// Asks for a missing server, box, user and password only on a terminal (the password is
/// taken from `CPMCTL_PASSWORD` when set). The secret goes to the OS
/// keyring, or to a 0600 file in the data dir with `--credential-store file`; nothing is saved
/// when the server rejects the credentials or the keyring does not work.
#[derive(clap::Args, Debug)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "\
Examples:
  cpmctl login                                   # asks for server, box, user and password
  cpmctl login --server http://localhost:8080 --box tel:+15550001111 --user demo
  printf %s \"$PW\" | cpmctl login --profile ci --server URL --box ID --user U --password-stdin
  cpmctl login --user demo --password-command 'pass show nms/demo'   # nothing stored
  cpmctl login --credential-store file           # headless host without a keyring
  cpmctl login status
CI needs no login at all: set CPMCTL_SERVER, CPMCTL_USER and CPMCTL_PASSWORD (or CPMCTL_TOKEN)."
)]
pub struct LoginArgs {
    #[command(subcommand)]
    pub command: Option<LoginCommand>,

    /// User name for HTTP Basic [env: CPMCTL_USER]
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,

    /// Read the password from stdin (the first line)
    #[arg(long, conflicts_with = "token_stdin")]
    pub password_stdin: bool,

    /// Read a bearer token from stdin instead of a password
    #[arg(long)]
    pub token_stdin: bool,

    /// Get the password from this command's output each time instead of storing it
    /// (`pass show nms/demo`); run without a shell, under a timeout, output never shown
    #[arg(long, value_name = "CMD", conflicts_with_all = ["password_stdin", "token_stdin", "credential_store"])]
    pub password_command: Option<String>,

    /// Where to keep the secret (default: the OS keyring; `file` is a 0600 file in the data dir)
    #[arg(long, value_enum, value_name = "STORE")]
    pub credential_store: Option<StoreArg>,
}

/// `--credential-store`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreArg {
    Keyring,
    File,
}

#[derive(clap::Subcommand, Debug)]
pub enum LoginCommand {
    Status(StatusArgs),
}

/// List the profiles, where each one's secret lives, and whether it still authenticates.
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  cpmctl login status
  cpmctl login status --offline -o json")]
pub struct StatusArgs {
    /// Do not contact the servers
    #[arg(long)]
    pub offline: bool,
}

/// How long `login status` waits for each server.
const STATUS_TIMEOUT: Duration = Duration::from_secs(5);
/// How long `login` waits for the server.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(15);

pub async fn run(ctx: &mut Ctx, args: LoginArgs) -> Result<(), CliError> {
    match args.command {
        Some(LoginCommand::Status(s)) => status(ctx, s).await,
        None => login(ctx, args).await,
    }
}

/// Reads a secret from stdin: the first line, without its line ending.
fn read_stdin_secret(what: &str) -> Result<Secret, CliError> {
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| CliError::usage(format!("cannot read the {what} from stdin: {e}")))?;
    let line = text.lines().next().unwrap_or("").to_string();
    if line.is_empty() {
        return Err(CliError::usage(format!("no {what} on stdin")));
    }
    Ok(Secret::new(line))
}

async fn login(ctx: &mut Ctx, args: LoginArgs) -> Result<(), CliError> {
    let mut ov = ctx.overrides();
    ov.user = args.user.clone();
    let mut settings = ctx.settings_with(&ov)?;

    if let Some(choice) = args.credential_store {
        settings.credential_store = match choice {
            StoreArg::Keyring => CredentialStoreKind::Keyring,
            StoreArg::File => CredentialStoreKind::File,
        };
    }
    let stores = ctx.stores()?;
    let store = stores.for_choice(store_choice(settings.credential_store)).clone();

    // A keyring that cannot hold the secret is found out before the user types anything:
    // server, box, user and password would all be asked for nothing. A password command
    // stores nothing, so it needs no store.
    let command = args.password_command.clone().filter(|c| !c.trim().is_empty());
    if command.is_none()
        && settings.credential_store == CredentialStoreKind::Keyring
        && let Err(e) = credentials::probe(&store).await
    {
        return Err(CliError::usage(format!("cannot save the secret: {e}"))
            .cause("nothing was saved")
            .hint("log in with `--credential-store file` to keep it in a 0600 file in the data dir")
            .hint("or skip login: set CPMCTL_SERVER, CPMCTL_USER and CPMCTL_PASSWORD (or CPMCTL_TOKEN)"));
    }

    // Ask only for what is missing, and only on a terminal. Re-reading the settings keeps
    // the store chosen above.
    let store_kind = settings.credential_store;
    if settings.server.is_none() {
        ov.server = Some(ctx.prompt.input("Server URL (http://HOST:PORT)", "--server", None)?);
        settings = ctx.settings_with(&ov)?;
    }
    if settings.box_id.is_none() {
        ov.box_id = Some(ctx.prompt.input("Box id (e.g. tel:+15550001111)", "--box", None)?);
        settings = ctx.settings_with(&ov)?;
    }
    let bearer = args.token_stdin;
    if !bearer && settings.user.is_none() {
        ov.user = Some(ctx.prompt.input("User", "--user", None)?);
        settings = ctx.settings_with(&ov)?;
    }
    settings.credential_store = store_kind;
    // A profile that already speaks Digest keeps it (no Basic header on the way); otherwise
    // the server's challenge decides below.
    settings.auth = match (bearer, settings.auth) {
        (true, _) => AuthKind::Bearer,
        (false, AuthKind::Digest) => AuthKind::Digest,
        (false, _) => AuthKind::Basic,
    };

    let server = config::root_string(settings.require_server()?);
    settings.password_command.clone_from(&command);
    let secret = if let Some(line) = &command {
        // Its output is checked now, and the command (not the output) is what is saved.
        credentials::command::run(line, credentials::command::TIMEOUT)
            .await
            .map_err(|e| CliError::from(e).with_kind(ErrorKind::Auth).context("login failed; nothing was saved"))?
    } else if args.token_stdin {
        read_stdin_secret("token")?
    } else if args.password_stdin {
        read_stdin_secret("password")?
    } else if let Some(pw) = ctx.env.get(config::env::PASSWORD).filter(|p| !p.is_empty()) {
        // The same variable every other command reads: a script that sets it logs in without
        // a prompt, and the password checked is the one saved.
        ctx.out.status(format!("using the password in {}", config::env::PASSWORD));
        Secret::new(pw)
    } else {
        let user = settings.user.clone().unwrap_or_default();
        Secret::new(ctx.prompt.password(&format!("Password for {user} at {server}"), "--password-stdin")?)
    };
    let credential = match settings.auth {
        AuthKind::Bearer => Credential::Bearer(secret.clone()),
        AuthKind::Basic | AuthKind::Digest => {
            Credential::Basic { user: settings.user.clone().unwrap_or_default(), password: secret.clone() }
        }
    };
    let scheme = check_credentials(&settings, &credential, LOGIN_TIMEOUT).await.map_err(|e| {
        let hint = match e.kind {
            ErrorKind::Auth => "check the user name and the password (or token)",
            ErrorKind::Network => "is the server running, and is --server right?",
            ErrorKind::NotFound => "check --box and --store",
            _ => "",
        };
        let mut e = e.context(format!("login to {server} failed; nothing was saved"));
        e.hints.clear();
        if !hint.is_empty() {
            e = e.hint(hint);
        }
        e
    })?;

    // The scheme the server asked for is what the profile keeps (Digest after a challenge).
    if scheme == "digest" {
        settings.auth = AuthKind::Digest;
    }

    // Secret first: a profile without its secret would be a half-done login.
    let account = settings.account();
    if command.is_none() {
        credentials::set(&store, &account, &secret).await.map_err(|e| {
            let hint = e.hint();
            let mut err = CliError::usage(format!("cannot save the secret: {e}")).cause("nothing was saved");
            if let Some(h) = hint {
                err = err.hint(h);
            }
            err
        })?;
    }
    let config_path = ctx.paths()?.config_file();
    let mut file = ConfigFile::load(&config_path)?;
    let old_account =
        file.profiles.get(&settings.profile).map(|p| config::account(&settings.profile, p.user.as_deref()));
    file.profiles.insert(settings.profile.clone(), profile_from(&settings));
    let made_default = match &file.default_profile {
        Some(d) if file.profiles.contains_key(d) => false,
        _ => {
            file.default_profile = Some(settings.profile.clone());
            true
        }
    };
    file.save(&config_path)?;
    if let Some(old) = old_account.filter(|o| *o != account) {
        // Best effort: the old user's secret is no longer reachable through this profile.
        let _ = credentials::delete(&store, &old).await;
    }

    let who = settings.user.as_deref().map(|u| format!(" as {u}")).unwrap_or_default();
    ctx.out.status(format!(
        "logged in to {server}{who} (store {}, box {}, {} auth)",
        settings.store,
        settings.box_id.as_deref().unwrap_or(""),
        settings.auth.as_str()
    ));
    ctx.out.status(format!(
        "saved profile `{}` in {}{}",
        settings.profile,
        config_path.display(),
        if made_default { " (default profile)" } else { "" }
    ));
    let what = if bearer { "token" } else { "password" };
    if let Some(line) = &command {
        let program = shell_words::split(line).ok().and_then(|w| w.into_iter().next()).unwrap_or_default();
        ctx.out.status(format!(
            "{what} read from `{}` each time (nothing stored)",
            crate::cli::output::sanitize(&program)
        ));
        return Ok(());
    }
    match settings.credential_store {
        CredentialStoreKind::Keyring => ctx.out.status(format!(
            "{what} stored in the OS keyring (service `{}`, account `{account}`)",
            credentials::SERVICE
        )),
        CredentialStoreKind::File => {
            let path = ctx.paths()?.credentials_file();
            ctx.out.status(format!("{what} stored in plain text in {} (mode 0600)", path.display()))
        }
    }
    for var in [config::env::PASSWORD, config::env::TOKEN] {
        if ctx.env.get(var).is_some() {
            ctx.out.warn(format!("{var} is set and takes precedence over the saved {what}"));
        }
    }
    Ok(())
}

/// What `login` writes for a profile.
fn profile_from(s: &Settings) -> Profile {
    Profile {
        server: s.server.as_ref().map(config::root_string),
        store: Some(s.store.clone()),
        box_id: s.box_id.clone(),
        user: s.user.clone(),
        auth: Some(s.auth),
        credential_store: Some(s.credential_store),
        retries: None,
        max_body_mib: None,
        password_command: s.password_command.clone(),
    }
}

/// Asks the server for the box's root folder with `credential`: the cheapest call that proves
/// both the credentials and the box. Auth failure → exit 3, unreachable → exit 5. Answers
/// the scheme the credentials went with (`digest` when the server challenged with it).
pub async fn check_credentials(
    settings: &Settings,
    credential: &Credential,
    timeout: Duration,
) -> Result<&'static str, CliError> {
    let client = build_client(settings, credential, Some(timeout))?;
    client.root_folder().await?;
    Ok(client.auth_scheme())
}

/// One row of `login status`.
#[derive(Debug, Serialize)]
struct StatusRow {
    id: String,
    profile: String,
    default: bool,
    server: Option<String>,
    store: String,
    #[serde(rename = "box")]
    box_id: Option<String>,
    user: Option<String>,
    auth: &'static str,
    credential_store: &'static str,
    /// Where the secret was found: env, keyring, file, none.
    secret: &'static str,
    /// ok, auth_failed, unreachable, error, no_secret, unchecked, incomplete.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

async fn status(ctx: &mut Ctx, args: StatusArgs) -> Result<(), CliError> {
    let file = ctx.config_file()?;
    let active = ctx.settings()?;
    let mut names: Vec<String> = file.profiles.keys().cloned().collect();
    if !names.contains(&active.profile) && active.server.is_some() {
        // Settings that come only from the environment / flags still make a usable "profile".
        names.push(active.profile.clone());
    }
    if names.is_empty() {
        // Like `gh auth status`: not logged in anywhere is a failure a script can test.
        if ctx.out.format() == OutputFormat::Json {
            ctx.out.json(&Vec::<StatusRow>::new())?;
        }
        return Err(CliError::auth("no profiles: not logged in")
            .hint("run `cpmctl login`, or set CPMCTL_SERVER, CPMCTL_USER and CPMCTL_PASSWORD"));
    }

    let mut rows = Vec::new();
    let mut active_result: Option<CliError> = None;
    // The first other profile whose saved secret the server rejected.
    let mut rejected: Option<String> = None;
    for name in names {
        let ov = Overrides { profile: Some(name.clone()), ..Overrides::default() };
        let ov = if name == active.profile { Overrides { profile: Some(name.clone()), ..ctx.overrides() } } else { ov };
        let s = ctx.settings_with(&ov)?;
        let (cred, source, lookup_err) = match ctx.credential_for(&s).await {
            Ok((c, src)) => (c, src, None),
            Err(e) => (None, SecretSource::None, Some(e)),
        };
        let secret = match (&lookup_err, source) {
            (Some(_), _) => match s.credential_store {
                CredentialStoreKind::Keyring => "keyring (unavailable)",
                CredentialStoreKind::File => "file (unreadable)",
            },
            (None, src) => src.as_str(),
        };
        let (state, message, err): (&'static str, Option<String>, Option<CliError>) = match (s.nms_base(), cred) {
            (None, _) => {
                ("incomplete", Some("server or box missing".into()), Some(config::Error::MissingServer.into()))
            }
            (Some(_), None) => (
                "no_secret",
                lookup_err.as_ref().map(|e| e.to_string()),
                Some(lookup_err.clone().unwrap_or_else(|| CliError::auth("no saved secret"))),
            ),
            (Some(_), Some(_)) if args.offline => ("unchecked", None, None),
            (Some(_), Some(cred)) => {
                match check_credentials(&Settings { retries: 0, ..s.clone() }, &cred, STATUS_TIMEOUT).await {
                    Ok(_) => ("ok", None, None),
                    Err(e) => {
                        let state = match e.kind {
                            ErrorKind::Auth => "auth_failed",
                            ErrorKind::Network => "unreachable",
                            _ => "error",
                        };
                        (state, Some(e.to_string()), Some(e))
                    }
                }
            }
        };
        if name == active.profile {
            active_result = err;
        } else if state == "auth_failed" && rejected.is_none() {
            rejected = Some(name.clone());
        }
        rows.push(StatusRow {
            id: name.clone(),
            default: file.default_profile.as_deref() == Some(name.as_str()),
            profile: name,
            server: s.server.as_ref().map(|u| crate::nms::urls::redact_userinfo(&config::root_string(u))),
            store: s.store.clone(),
            box_id: s.box_id.clone(),
            user: s.user.clone(),
            auth: s.auth.as_str(),
            credential_store: s.credential_store.as_str(),
            secret,
            status: state,
            message,
        });
    }

    // The `*` marking the default profile is for people; plain rows keep the bare name.
    let mark_default = ctx.out.format() == OutputFormat::Table;
    // The server URL and the status message give way on a narrow terminal.
    let mut list = ctx
        .out
        .list(&["profile", "server", "box", "user", "secret", "status"])
        .keep_whole(&["profile", "box", "user", "secret"]);
    for r in &rows {
        let name = if r.default && mark_default { format!("{} *", r.profile) } else { r.profile.clone() };
        let status = match &r.message {
            Some(m) if r.status != "ok" => format!("{}: {m}", r.status),
            _ => r.status.to_string(),
        };
        let cells = vec![
            name,
            r.server.clone().unwrap_or_default(),
            r.box_id.clone().unwrap_or_default(),
            r.user.clone().unwrap_or_default(),
            r.secret.to_string(),
            status,
        ];
        list.push(r, cells)?;
    }
    list.finish()?;
    // Scripts can test `cpmctl login status`: the active profile decides the exit code.
    match active_result {
        Some(e) if !args.offline && matches!(e.kind, ErrorKind::Auth | ErrorKind::Network) => {
            Err(CliError::new(e.kind, format!("profile `{}` cannot authenticate", active.profile)).cause(e.to_string()))
        }
        // Like `gh auth status`: any saved secret the server rejects fails the run, so a
        // stale profile is noticed even when it is not the one in use.
        _ => match rejected {
            Some(name) => Err(CliError::auth(format!("the server rejects the saved secret of profile `{name}`"))
                .hint(format!("log in again: `cpmctl login --profile {name}`"))),
            None => Ok(()),
        },
    }
}
