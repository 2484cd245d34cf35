//! `Ctx`: what every command gets — the output, the global flags, prompts, and lazy access to
//! settings, credential stores and the NMS client (so `serve` or `completions` never touch them).

use crate::config::{self, ConfigFile, Env, Overrides, Paths, Settings};
use crate::credentials::{self, Credential, SecretSource, StoreChoice, Stores};
use crate::nms::{self, NmsClient};

use super::args::GlobalArgs;
use super::error::{CliError, ErrorKind};
use super::output::{Output, Prompt, SharedWriter, write_shared};

/// Everything needed to talk to one box: resolved settings, the NMS base URL and the secret.
#[derive(Debug, Clone)]
pub struct Target {
    pub settings: Settings,
    /// `{root}/nms/v1/{store}/{box}`.
    pub nms_base: String,
    pub credential: Option<Credential>,
    pub secret_source: SecretSource,
}

/// The per-run context handed to every command.
pub struct Ctx {
    pub out: Output,
    pub globals: GlobalArgs,
    pub prompt: Prompt,
    /// The `CPMCTL_*` environment captured at startup.
    pub env: Env,
    paths: Option<Paths>,
    stores: Option<Stores>,
    client: Option<NmsClient>,
    /// Who talks to which box, once the client is built: for errors in plain words.
    who: Option<Who>,
}

/// The user, server and box of the client, as errors name them.
struct Who {
    /// `None` for a bearer token.
    user: Option<String>,
    server: String,
    box_id: String,
}

impl Ctx {
    pub fn new(globals: GlobalArgs, out: Output, env: Env, prompt: Prompt) -> Ctx {
        Ctx { out, globals, prompt, env, paths: None, stores: None, client: None, who: None }
    }

    /// Fixed directories instead of `CPMCTL_*_DIR` / the platform ones (tests).
    #[must_use]
    pub fn with_paths(mut self, paths: Paths) -> Ctx {
        self.paths = Some(paths);
        self
    }

    /// Injected secret stores instead of the OS keyring + credentials file (tests).
    #[must_use]
    pub fn with_stores(mut self, stores: Stores) -> Ctx {
        self.stores = Some(stores);
        self
    }

    /// `-v` given at least once.
    pub fn verbose(&self) -> bool {
        self.globals.verbose > 0
    }

    pub fn paths(&mut self) -> Result<Paths, CliError> {
        if self.paths.is_none() {
            self.paths = Some(Paths::resolve(&self.env)?);
        }
        Ok(self.paths.clone().unwrap_or_else(|| Paths::under(std::path::Path::new("."))))
    }

    /// The parsed `config.toml` (empty when there is none).
    pub fn config_file(&mut self) -> Result<ConfigFile, CliError> {
        let path = self.paths()?.config_file();
        Ok(ConfigFile::load(&path)?)
    }

    /// The command-line overrides from the global flags.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            profile: self.globals.profile.clone(),
            server: self.globals.server.clone(),
            store: self.globals.store.clone(),
            box_id: self.globals.box_id.clone(),
            user: None,
            retries: self.globals.retries,
        }
    }

    /// Settings from defaults < file < env < the global flags.
    pub fn settings(&mut self) -> Result<Settings, CliError> {
        let ov = self.overrides();
        self.settings_with(&ov)
    }

    /// Settings with explicit overrides (e.g. `login --user`).
    pub fn settings_with(&mut self, ov: &Overrides) -> Result<Settings, CliError> {
        let file = self.config_file()?;
        Ok(config::resolve(&file, &self.env, ov)?)
    }

    /// The keyring and file stores (the keyring is disabled by `CPMCTL_NO_KEYRING`).
    pub fn stores(&mut self) -> Result<Stores, CliError> {
        if let Some(s) = &self.stores {
            return Ok(s.clone());
        }
        let file = self.paths()?.credentials_file();
        let disabled = self.env.flag(config::env::NO_KEYRING).then_some("CPMCTL_NO_KEYRING is set");
        let stores = Stores::system(file, disabled);
        self.stores = Some(stores.clone());
        Ok(stores)
    }

    /// Looks up the secret for `settings`: env, then the profile's store. Store failures are auth
    /// errors (exit 3) with a hint; "nothing found" is `Ok((None, SecretSource::None))`.
    pub async fn credential_for(
        &mut self,
        settings: &Settings,
    ) -> Result<(Option<Credential>, SecretSource), CliError> {
        let stores = self.stores()?;
        let account = settings.account();
        let req = credentials::Request {
            account: &account,
            user: settings.user.as_deref(),
            bearer: settings.auth == config::AuthKind::Bearer,
            store: store_choice(settings.credential_store),
            env_password: self.env.get(config::env::PASSWORD),
            env_token: self.env.get(config::env::TOKEN),
            password_command: settings.password_command.as_deref(),
        };
        match credentials::resolve(&req, &stores).await {
            Ok(Some((cred, source))) => Ok((Some(cred), source)),
            Ok(None) => Ok((None, SecretSource::None)),
            Err(e) => {
                let hint = e.hint();
                let mut err = CliError::from(e)
                    .with_kind(ErrorKind::Auth)
                    .context(format!("cannot read the secret of profile `{}`", settings.profile));
                err.hints.clear();
                if let Some(h) = hint {
                    err = err.hint(h);
                }
                Err(err)
            }
        }
    }

    /// Resolves settings and secret into a [`Target`], or explains what is missing.
    pub async fn target(&mut self) -> Result<Target, CliError> {
        let settings = self.settings()?;
        if settings.server.is_none() {
            if settings.profile_explicit && !settings.profile_in_file {
                return Err(config::Error::UnknownProfile(settings.profile.clone()).into());
            }
            return Err(config::Error::MissingServer.into());
        }
        let nms_base = settings.nms_base().ok_or(config::Error::MissingBox)?;
        let (credential, secret_source) = self.credential_for(&settings).await?;
        Ok(Target { settings, nms_base, credential, secret_source })
    }
}

/// Clients for other boxes with the active profile's server and credentials (`stats --box`).
pub struct BoxClients {
    /// A client for the first box; every other box's client is made from it, so all share one
    /// connection pool and one `--tps-limit` (a global cap, not one per box).
    first: NmsClient,
}

impl BoxClients {
    /// A client for `box_id`, sharing connections and the request rate with every other one.
    pub fn client(&self, box_id: &str) -> Result<NmsClient, CliError> {
        if box_id == self.first.box_id() {
            return Ok(self.first.clone());
        }
        Ok(self.first.for_box(box_id)?)
    }
}

impl Ctx {
    /// What [`BoxClients`] needs: the profile's settings and its secret, read once.
    pub async fn box_clients(&mut self, first_box: &str) -> Result<BoxClients, CliError> {
        let settings = self.settings()?;
        settings.require_server()?;
        let (credential, _) = self.credential_for(&settings).await?;
        let Some(credential) = credential else {
            return Err(CliError::auth(format!("no credentials for profile `{}`", settings.profile))
                .hint("run `cpmctl login`, or set CPMCTL_USER + CPMCTL_PASSWORD (or CPMCTL_TOKEN)"));
        };
        let mut settings = settings;
        settings.box_id = Some(first_box.to_string());
        let first = build_client_limited(&settings, &credential, None, None, None, self.globals.tps_limit)?;
        Ok(BoxClients { first })
    }

    /// The NMS client for the active profile (built once, then shared). Needs a server, a box and
    /// a secret; each missing piece is an error that says how to provide it.
    pub async fn client(&mut self) -> Result<NmsClient, CliError> {
        if let Some(c) = &self.client {
            return Ok(c.clone());
        }
        let target = self.target().await?;
        let Some(credential) = &target.credential else {
            return Err(CliError::auth(format!("no credentials for profile `{}`", target.settings.profile))
                .hint("run `cpmctl login`, or set CPMCTL_USER + CPMCTL_PASSWORD (or CPMCTL_TOKEN)"));
        };
        self.out.debug(format!(
            "profile `{}`: {} (secret from {})",
            target.settings.profile,
            nms::urls::redact_userinfo(&target.nms_base),
            target.secret_source.as_str()
        ));
        let observer = self.verbose().then(|| request_trace(self.out.stderr()));
        let on_retry = (!self.out.quiet()).then(|| retry_notice(self.out.stderr(), self.verbose()));
        let client =
            build_client_limited(&target.settings, credential, None, observer, on_retry, self.globals.tps_limit)?;
        self.client = Some(client.clone());
        self.who = Some(Who {
            user: match credential {
                Credential::Basic { user, .. } => Some(user.clone()),
                Credential::Bearer(_) => None,
            },
            server: nms::urls::redact_userinfo(target.settings.require_server()?.as_str())
                .trim_end_matches('/')
                .to_string(),
            box_id: target.settings.require_box()?.to_string(),
        });
        Ok(client)
    }

    /// Says a refused login or box in plain words naming the user, server and box, instead of
    /// the OMA stock text ("A policy error occurred. Error code is authentication required",
    /// issue 14 item 11). The server's text stays as a cause with `-v`; its messageId stays in
    /// the JSON error either way.
    pub fn explain(&self, err: CliError) -> CliError {
        let Some(who) = &self.who else {
            return err;
        };
        let (message, hint) = match (err.kind, err.status) {
            (ErrorKind::Auth, Some(401)) => (
                match &who.user {
                    Some(user) => format!("wrong user or password for {user} at {}", who.server),
                    None => format!("{} refused the token", who.server),
                },
                "check the credentials: `cpmctl login`, or CPMCTL_USER + CPMCTL_PASSWORD / CPMCTL_TOKEN".to_string(),
            ),
            // A limit or another policy the server names (not box access): its own reason,
            // with the box it was refused for.
            (ErrorKind::Auth, Some(403))
                if err.policy_reason.as_deref().is_some_and(|r| !about_box_access(r, &who.box_id)) =>
            {
                (
                    format!(
                        "{} refused this for box {}: {}",
                        who.server,
                        who.box_id,
                        err.policy_reason.as_deref().unwrap_or_default()
                    ),
                    "a policy of the server (a limit reached, an operation it does not allow), not a login or box-rights problem"
                        .to_string(),
                )
            }
            (ErrorKind::Auth, Some(403)) => (
                format!("box {} does not exist or you may not open it (at {})", who.box_id, who.server),
                "the login worked: check the box id (--box / CPMCTL_BOX), or ask the server's administrator for rights to this box"
                    .to_string(),
            ),
            _ => return err,
        };
        let mut out = CliError::new(err.kind, message).hint(hint);
        out.message_id = err.message_id.clone();
        out.status = err.status;
        if self.verbose() {
            out.causes.push(err.message.clone());
            out.causes.extend(err.causes.iter().cloned());
        }
        out
    }
}

/// Whether a server's policy reason is about opening the box at all (another user's box, no
/// rights), which the box wording explains, rather than a limit or a refused operation.
fn about_box_access(reason: &str, box_id: &str) -> bool {
    let r = reason.to_ascii_lowercase();
    r.contains(&box_id.to_ascii_lowercase())
        || ["another user", "access", "authoriz", "authoris", "permission", "forbidden", "not allowed to open"]
            .iter()
            .any(|w| r.contains(w))
}

/// The nms `Auth` for a credential.
pub fn nms_auth(credential: &Credential) -> nms::Auth {
    match credential {
        Credential::Basic { user, password } => {
            nms::Auth::Basic { user: user.clone(), password: password.expose().to_string() }
        }
        Credential::Bearer(token) => nms::Auth::Bearer(token.expose().to_string()),
    }
}

/// An NMS client for `settings` (server, store, box, retries) with `credential`; `timeout`
/// overrides the per-request default.
pub fn build_client(
    settings: &Settings,
    credential: &Credential,
    timeout: Option<std::time::Duration>,
) -> Result<NmsClient, CliError> {
    build_client_observed(settings, credential, timeout, None, None)
}

/// [`build_client`] with a callback that sees every HTTP attempt (`-v` traces).
pub fn build_client_observed(
    settings: &Settings,
    credential: &Credential,
    timeout: Option<std::time::Duration>,
    observer: Option<nms::RequestObserver>,
    on_retry: Option<nms::RetryObserver>,
) -> Result<NmsClient, CliError> {
    build_client_limited(settings, credential, timeout, observer, on_retry, None)
}

/// [`build_client_observed`] with a cap on requests per second (`--tps-limit`).
pub fn build_client_limited(
    settings: &Settings,
    credential: &Credential,
    timeout: Option<std::time::Duration>,
    observer: Option<nms::RequestObserver>,
    on_retry: Option<nms::RetryObserver>,
    tps_limit: Option<u32>,
) -> Result<NmsClient, CliError> {
    let server = settings.require_server()?.clone();
    let box_id = settings.require_box()?.to_string();
    let auth = match nms_auth(credential) {
        // A profile saved against a Digest server never sends the password preemptively.
        nms::Auth::Basic { user, password } if settings.auth == config::AuthKind::Digest => {
            nms::Auth::Digest { user, password }
        }
        other => other,
    };
    let mut cfg = nms::ClientConfig::new(server, settings.store.clone(), box_id, auth);
    cfg.retries = settings.retries;
    cfg.max_body = settings.max_body;
    if let Some(t) = timeout {
        cfg.timeout = t;
    }
    cfg.observer = observer;
    cfg.on_retry = on_retry;
    cfg.tps_limit = tps_limit;
    Ok(NmsClient::new(cfg)?)
}

/// A `-v` request trace on stderr: `debug: GET URL -> 200 (12 ms)`. The nms client hands over
/// no headers and no user info, so no secret can reach this line.
pub fn request_trace(stderr: SharedWriter) -> nms::RequestObserver {
    std::sync::Arc::new(move |r: &nms::RequestLog| {
        let status = r.status.map_or_else(|| "no answer".to_string(), |s| s.to_string());
        let retry = if r.attempt > 0 { format!(", attempt {}", r.attempt + 1) } else { String::new() };
        write_shared(
            &stderr,
            &format!(
                "debug: {} {} -> {status} ({} ms{retry})\n",
                r.method,
                nms::urls::redact_userinfo(&r.url),
                r.millis
            ),
        );
    })
}

/// Says on stderr what is being retried: once, at the first retry, so a refused connection
/// does not look like a hang for the whole backoff; with `-v`, at every retry.
pub fn retry_notice(stderr: SharedWriter, verbose: bool) -> nms::RetryObserver {
    std::sync::Arc::new(move |r: &nms::RetryNotice| {
        if r.retry > 1 && !verbose {
            return;
        }
        let left = r.retries.saturating_sub(r.retry - 1);
        write_shared(
            &stderr,
            &format!(
                "warning: {} {}: {}; retrying in {:.1}s ({left} {} left, Ctrl-C to stop)\n",
                r.method,
                nms::urls::redact_userinfo(&r.url),
                crate::cli::output::sanitize(&nms::urls::redact_userinfo(&r.reason)),
                r.delay.as_secs_f64(),
                if left == 1 { "retry" } else { "retries" },
            ),
        );
    })
}

/// Maps the config enum onto the credentials one (the two layers do not know each other).
pub fn store_choice(kind: config::CredentialStoreKind) -> StoreChoice {
    match kind {
        config::CredentialStoreKind::Keyring => StoreChoice::Keyring,
        config::CredentialStoreKind::File => StoreChoice::File,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::OutputFormat;
    use crate::credentials::Secret;

    fn ctx(env: Env, dir: &std::path::Path) -> Ctx {
        let (out, _, _) = Output::captured(OutputFormat::Plain);
        Ctx::new(GlobalArgs::default(), out, env, Prompt::disabled())
            .with_paths(Paths::under(dir))
            .with_stores(Stores::memory())
    }

    #[tokio::test]
    async fn no_server_is_a_usage_error_with_a_hint() {
        let dir = tempfile::tempdir().unwrap();
        let err = ctx(Env::default(), dir.path()).target().await.unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.hints[0].contains("cpmctl login"));
        let mut c = ctx(Env::from_pairs([(config::env::PROFILE, "nope")]), dir.path());
        let err = c.target().await.unwrap_err();
        assert_eq!(err.message, "no profile named `nope`");
    }

    #[tokio::test]
    async fn env_only_target() {
        let dir = tempfile::tempdir().unwrap();
        let env = Env::from_pairs([
            (config::env::SERVER, "http://h:1/nms/v1/cpm/tel%3A%2B1"),
            (config::env::USER, "u"),
            (config::env::PASSWORD, "pw"),
        ]);
        let t = ctx(env, dir.path()).target().await.unwrap();
        assert_eq!(t.nms_base, "http://h:1/nms/v1/cpm/tel%3A%2B1");
        assert_eq!(t.secret_source, SecretSource::Env);
        assert_eq!(t.credential, Some(Credential::Basic { user: "u".into(), password: Secret::new("pw") }));
    }

    #[tokio::test]
    async fn stored_secret_from_injected_store() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = ConfigFile::default();
        file.profiles.insert(
            "default".into(),
            config::Profile {
                server: Some("http://h:1".into()),
                box_id: Some("b".into()),
                user: Some("u".into()),
                ..Default::default()
            },
        );
        file.save(&Paths::under(dir.path()).config_file()).unwrap();
        let stores = Stores::memory();
        credentials::set(&stores.keyring, "default:u", &Secret::new("pw")).await.unwrap();
        let mut c = ctx(Env::default(), dir.path()).with_stores(stores);
        let t = c.target().await.unwrap();
        assert_eq!(t.secret_source, SecretSource::Keyring);
        assert_eq!(t.nms_base, "http://h:1/nms/v1/cpm/b");
    }
}
