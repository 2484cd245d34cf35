//! Where secrets live: environment first, then the OS keyring, then a 0600 file only when chosen.
//! No prompts, no terminal, never prints a secret.
//!
//! A [`SecretStore`] is a plain blocking key/value store (keyring, file, memory). The async
//! functions here run every store call on its own thread under [`TIMEOUT`]: keyring backends can
//! hang on a locked keyring or deadlock when called from a tokio worker, and a stuck call must
//! never hang the CLI.

pub mod command;
pub mod file;
pub mod keyring;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use file::FileStore;
pub use keyring::KeyringStore;

/// Keyring service name.
pub const SERVICE: &str = "cpmctl";
/// Bound on every store call.
pub const TIMEOUT: Duration = Duration::from_secs(3);

/// A secret value. `Debug` and `Display` never show it; only [`Secret::expose`] does.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Credential store errors.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    #[error("the OS keyring is not available: {0}")]
    KeyringUnavailable(String),
    #[error("the credential store did not answer within {} s", TIMEOUT.as_secs())]
    Timeout,
    #[error("credentials file `{path}`: {message}")]
    File { path: String, message: String },
    #[error("credential store error: {0}")]
    Backend(String),
    #[error("a password needs a user name")]
    MissingUser,
    #[error("password command: {0}")]
    Command(String),
}

impl Error {
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::KeyringUnavailable(_) | Error::Timeout => Some(
                "use `--credential-store file` (a 0600 file in the data dir), or set CPMCTL_PASSWORD / \
                 CPMCTL_TOKEN in the environment"
                    .into(),
            ),
            // `--user` is a flag of `login` only, so the hint names it there.
            Error::MissingUser => Some("set CPMCTL_USER, or save a profile with `cpmctl login --user NAME`".into()),
            _ => None,
        }
    }
}

/// Which store a profile keeps its secret in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreChoice {
    Keyring,
    File,
}

/// Where a resolved secret came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    Env,
    Keyring,
    File,
    /// The profile's password command.
    Command,
    None,
}

impl SecretSource {
    pub fn as_str(self) -> &'static str {
        match self {
            SecretSource::Env => "env",
            SecretSource::Keyring => "keyring",
            SecretSource::File => "file",
            SecretSource::Command => "command",
            SecretSource::None => "none",
        }
    }
}

/// A blocking secret store keyed by account (`<profile>:<user>`).
pub trait SecretStore: Send + Sync + 'static {
    /// `keyring`, `file` or `memory`.
    fn name(&self) -> &'static str;
    fn get(&self, account: &str) -> Result<Option<Secret>, Error>;
    fn set(&self, account: &str, secret: &Secret) -> Result<(), Error>;
    /// `Ok(true)` when something was removed.
    fn delete(&self, account: &str) -> Result<bool, Error>;
}

/// An in-process store for tests; `unavailable` makes it behave like a keyring without a backend.
#[derive(Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, Secret>>,
    unavailable: Option<String>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    /// Every call fails with [`Error::KeyringUnavailable`].
    pub fn unavailable(reason: &str) -> MemoryStore {
        MemoryStore { secrets: Mutex::default(), unavailable: Some(reason.to_string()) }
    }

    fn check(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Secret>>, Error> {
        if let Some(reason) = &self.unavailable {
            return Err(Error::KeyringUnavailable(reason.clone()));
        }
        self.secrets.lock().map_err(|_| Error::Backend("memory store poisoned".into()))
    }
}

impl SecretStore for MemoryStore {
    fn name(&self) -> &'static str {
        "memory"
    }
    fn get(&self, account: &str) -> Result<Option<Secret>, Error> {
        Ok(self.check()?.get(account).cloned())
    }
    fn set(&self, account: &str, secret: &Secret) -> Result<(), Error> {
        self.check()?.insert(account.to_string(), secret.clone());
        Ok(())
    }
    fn delete(&self, account: &str) -> Result<bool, Error> {
        Ok(self.check()?.remove(account).is_some())
    }
}

/// Runs `f` on a fresh thread and waits at most [`TIMEOUT`]. A hung call leaves its thread behind;
/// the process exits soon anyway.
async fn off_thread<T: Send + 'static>(f: impl FnOnce() -> Result<T, Error> + Send + 'static) -> Result<T, Error> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("cpmctl-secrets".into())
        .spawn(move || {
            let _ = tx.send(f());
        })
        .map_err(|e| Error::Backend(format!("cannot start a thread: {e}")))?;
    match tokio::time::timeout(TIMEOUT, rx).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(Error::Backend("the credential store call panicked".into())),
        Err(_) => Err(Error::Timeout),
    }
}

/// [`SecretStore::get`] under the timeout.
pub async fn get(store: &Arc<dyn SecretStore>, account: &str) -> Result<Option<Secret>, Error> {
    let (store, account) = (Arc::clone(store), account.to_string());
    off_thread(move || store.get(&account)).await
}

/// [`SecretStore::set`] under the timeout.
pub async fn set(store: &Arc<dyn SecretStore>, account: &str, secret: &Secret) -> Result<(), Error> {
    let (store, account, secret) = (Arc::clone(store), account.to_string(), secret.clone());
    off_thread(move || store.set(&account, &secret)).await
}

/// [`SecretStore::delete`] under the timeout.
pub async fn delete(store: &Arc<dyn SecretStore>, account: &str) -> Result<bool, Error> {
    let (store, account) = (Arc::clone(store), account.to_string());
    off_thread(move || store.delete(&account)).await
}

/// Checks that a store answers at all (a missing entry is fine), before asking the user for a secret.
pub async fn probe(store: &Arc<dyn SecretStore>) -> Result<(), Error> {
    get(store, "cpmctl-probe:").await.map(|_| ())
}

/// The stores available to this process.
#[derive(Clone)]
pub struct Stores {
    pub keyring: Arc<dyn SecretStore>,
    pub file: Arc<dyn SecretStore>,
}

impl Stores {
    /// The OS keyring (or a disabled one when `keyring_disabled` says why) and the file in `credentials_file`.
    pub fn system(credentials_file: std::path::PathBuf, keyring_disabled: Option<&str>) -> Stores {
        let keyring: Arc<dyn SecretStore> = match keyring_disabled {
            Some(reason) => Arc::new(KeyringStore::disabled(reason)),
            None => Arc::new(KeyringStore::new()),
        };
        Stores { keyring, file: Arc::new(FileStore::new(credentials_file)) }
    }

    /// Memory stores (tests).
    pub fn memory() -> Stores {
        Stores { keyring: Arc::new(MemoryStore::new()), file: Arc::new(MemoryStore::new()) }
    }

    pub fn for_choice(&self, choice: StoreChoice) -> &Arc<dyn SecretStore> {
        match choice {
            StoreChoice::Keyring => &self.keyring,
            StoreChoice::File => &self.file,
        }
    }
}

/// What to present to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Basic { user: String, password: Secret },
    Bearer(Secret),
}

/// Everything [`resolve`] needs, as plain values (this layer does not know about profiles).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Keyring account / file key: `<profile>:<user>`.
    pub account: &'a str,
    pub user: Option<&'a str>,
    /// The profile authenticates with a bearer token rather than a password.
    pub bearer: bool,
    pub store: StoreChoice,
    /// `CPMCTL_PASSWORD`.
    pub env_password: Option<&'a str>,
    /// `CPMCTL_TOKEN`.
    pub env_token: Option<&'a str>,
    /// The profile's password command (its output is the password or token).
    pub password_command: Option<&'a str>,
}

/// env (`CPMCTL_TOKEN`, then `CPMCTL_PASSWORD`) → the profile's password command → its store. `Ok(None)`: no secret anywhere.
pub async fn resolve(req: &Request<'_>, stores: &Stores) -> Result<Option<(Credential, SecretSource)>, Error> {
    if let Some(token) = req.env_token {
        return Ok(Some((Credential::Bearer(Secret::new(token)), SecretSource::Env)));
    }
    if let Some(password) = req.env_password {
        let user = req.user.ok_or(Error::MissingUser)?;
        let cred = Credential::Basic { user: user.to_string(), password: Secret::new(password) };
        return Ok(Some((cred, SecretSource::Env)));
    }
    if let Some(line) = req.password_command {
        let secret = command::run(line, command::TIMEOUT).await?;
        let cred = if req.bearer {
            Credential::Bearer(secret)
        } else {
            let user = req.user.ok_or(Error::MissingUser)?;
            Credential::Basic { user: user.to_string(), password: secret }
        };
        return Ok(Some((cred, SecretSource::Command)));
    }
    let source = match req.store {
        StoreChoice::Keyring => SecretSource::Keyring,
        StoreChoice::File => SecretSource::File,
    };
    let Some(secret) = get(stores.for_choice(req.store), req.account).await? else {
        return Ok(None);
    };
    let cred = if req.bearer {
        Credential::Bearer(secret)
    } else {
        let user = req.user.ok_or(Error::MissingUser)?;
        Credential::Basic { user: user.to_string(), password: secret }
    };
    Ok(Some((cred, source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(store: StoreChoice) -> Request<'static> {
        Request {
            account: "p:u",
            user: Some("u"),
            bearer: false,
            store,
            env_password: None,
            env_token: None,
            password_command: None,
        }
    }

    #[test]
    fn secret_is_never_shown() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
        let c = Credential::Basic { user: "u".into(), password: s };
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[tokio::test]
    async fn memory_store_round_trip() {
        let store: Arc<dyn SecretStore> = Arc::new(MemoryStore::new());
        assert_eq!(get(&store, "a").await.unwrap(), None);
        set(&store, "a", &Secret::new("x")).await.unwrap();
        assert_eq!(get(&store, "a").await.unwrap(), Some(Secret::new("x")));
        assert!(delete(&store, "a").await.unwrap());
        assert!(!delete(&store, "a").await.unwrap());
    }

    #[tokio::test]
    async fn env_wins_over_stores() {
        let stores = Stores::memory();
        set(&stores.keyring, "p:u", &Secret::new("stored")).await.unwrap();
        let mut r = req(StoreChoice::Keyring);
        r.env_password = Some("fromenv");
        let (cred, src) = resolve(&r, &stores).await.unwrap().unwrap();
        assert_eq!(src, SecretSource::Env);
        assert_eq!(cred, Credential::Basic { user: "u".into(), password: Secret::new("fromenv") });
        r.env_token = Some("tok");
        let (cred, _) = resolve(&r, &stores).await.unwrap().unwrap();
        assert_eq!(cred, Credential::Bearer(Secret::new("tok")));
    }

    #[tokio::test]
    async fn store_is_chosen_by_profile() {
        let stores = Stores::memory();
        set(&stores.file, "p:u", &Secret::new("infile")).await.unwrap();
        assert_eq!(resolve(&req(StoreChoice::Keyring), &stores).await.unwrap(), None);
        let (cred, src) = resolve(&req(StoreChoice::File), &stores).await.unwrap().unwrap();
        assert_eq!(src, SecretSource::File);
        assert_eq!(cred, Credential::Basic { user: "u".into(), password: Secret::new("infile") });
        let mut bearer = req(StoreChoice::File);
        bearer.bearer = true;
        let (cred, _) = resolve(&bearer, &stores).await.unwrap().unwrap();
        assert_eq!(cred, Credential::Bearer(Secret::new("infile")));
    }

    #[tokio::test]
    async fn unavailable_keyring_is_an_error_not_a_fallback() {
        let stores =
            Stores { keyring: Arc::new(MemoryStore::unavailable("no D-Bus")), file: Arc::new(MemoryStore::new()) };
        set(&stores.file, "p:u", &Secret::new("infile")).await.unwrap();
        let err = resolve(&req(StoreChoice::Keyring), &stores).await.unwrap_err();
        assert!(matches!(err, Error::KeyringUnavailable(_)));
        assert!(err.hint().unwrap().contains("--credential-store file"));
        assert!(probe(&stores.keyring).await.is_err());
        assert!(probe(&stores.file).await.is_ok());
    }

    #[tokio::test]
    async fn password_without_user_is_an_error() {
        let mut r = req(StoreChoice::Keyring);
        r.user = None;
        r.env_password = Some("pw");
        assert_eq!(resolve(&r, &Stores::memory()).await.unwrap_err(), Error::MissingUser);
    }
}
