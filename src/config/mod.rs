//! Settings: config file, profiles, `CPMCTL_*` environment, paths. No clap, no terminal.
//!
//! Precedence, lowest first: built-in defaults < `config.toml` profile < `CPMCTL_*` env < flags.
//! [`resolve`] is a pure function of (file, env snapshot, flag overrides) so it is tested without
//! touching the process environment.

pub mod paths;
pub mod profile;

use std::collections::BTreeMap;
use std::path::PathBuf;

pub use paths::{Paths, write_atomic};
pub use profile::{AuthKind, ConfigFile, CredentialStoreKind, Profile};

/// Every `CPMCTL_*` variable cpmctl reads, declared once.
pub mod env {
    /// Server root (`http://host:port[/prefix]`) or a full NMS base URL `…/nms/v1/STORE/BOX`.
    pub const SERVER: &str = "CPMCTL_SERVER";
    /// Box id, e.g. `tel:+15550001111`.
    pub const BOX: &str = "CPMCTL_BOX";
    /// Store name in the NMS URL (default `cpm`).
    pub const STORE: &str = "CPMCTL_STORE";
    /// Profile name.
    pub const PROFILE: &str = "CPMCTL_PROFILE";
    /// User name for HTTP Basic.
    pub const USER: &str = "CPMCTL_USER";
    /// Password (HTTP Basic); wins over the keyring and the credentials file.
    pub const PASSWORD: &str = "CPMCTL_PASSWORD";
    /// Bearer token; wins over everything else.
    pub const TOKEN: &str = "CPMCTL_TOKEN";
    /// Default output format.
    pub const OUTPUT: &str = "CPMCTL_OUTPUT";
    /// Never prompt (same as `--no-input`).
    pub const NO_INPUT: &str = "CPMCTL_NO_INPUT";
    /// The largest JSON answer read into memory, in MiB (default 64).
    pub const MAX_BODY_MIB: &str = "CPMCTL_MAX_BODY_MIB";
    /// Treat the OS keyring as unavailable (servers without a desktop session; deterministic tests).
    pub const NO_KEYRING: &str = "CPMCTL_NO_KEYRING";
    pub const CONFIG_DIR: &str = "CPMCTL_CONFIG_DIR";
    pub const DATA_DIR: &str = "CPMCTL_DATA_DIR";
    pub const CACHE_DIR: &str = "CPMCTL_CACHE_DIR";

    /// All of the above.
    pub const ALL: &[&str] = &[
        SERVER,
        BOX,
        STORE,
        PROFILE,
        USER,
        PASSWORD,
        TOKEN,
        OUTPUT,
        NO_INPUT,
        NO_KEYRING,
        CONFIG_DIR,
        DATA_DIR,
        CACHE_DIR,
        MAX_BODY_MIB,
    ];
}

/// Default store name in NMS URLs.
pub const DEFAULT_STORE: &str = "cpm";
/// Profile used when none is named anywhere.
pub const DEFAULT_PROFILE: &str = "default";
/// Default retry budget for idempotent requests.
pub const DEFAULT_RETRIES: u32 = 4;
/// Default cap on a JSON answer, in MiB (the NMS client's default too).
pub const DEFAULT_MAX_BODY_MIB: u64 = 64;
/// The highest accepted `max_body_mib`: the cap is there to bound memory, not to be lifted.
const MAX_MAX_BODY_MIB: u64 = 4096;

/// A snapshot of the `CPMCTL_*` environment, taken once at startup. Empty values count as unset.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// Reads every variable in [`env::ALL`] from the process environment.
    pub fn from_process() -> Env {
        let vars = env::ALL
            .iter()
            .filter_map(|name| std::env::var(name).ok().map(|v| (name.to_string(), v)))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        Env { vars }
    }

    /// An explicit snapshot (tests).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Env {
        let vars =
            pairs.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Env { vars }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// A boolean variable: anything but empty, `0`, `false`, `no`, `off` is true.
    pub fn flag(&self, name: &str) -> bool {
        self.get(name).is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no" | "off"))
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.vars.insert(name.to_string(), value.to_string());
    }
}

/// Configuration errors; each message says what is wrong and `hint()` how to fix it.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    #[error("cannot find a home directory for cpmctl's files")]
    NoHome(String),
    #[error("cannot read or write `{}`: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("invalid config file `{}`: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("invalid server URL `{url}`: {reason}")]
    InvalidServer { url: String, reason: String },
    #[error("no profile named `{0}`")]
    UnknownProfile(String),
    #[error("no server configured")]
    MissingServer,
    #[error("no box configured")]
    MissingBox,
    #[error("invalid {name} `{value}`: {reason}")]
    InvalidSetting { name: String, value: String, reason: String },
}

impl Error {
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NoHome(var) => Some(format!("set {var} to a directory")),
            Error::Parse { .. } => Some("fix the file or move it away; `cpmctl login` writes a fresh one".into()),
            Error::InvalidServer { .. } => {
                Some("use `http://HOST:PORT` or a full NMS base URL `http://HOST:PORT/nms/v1/STORE/BOX`".into())
            }
            Error::UnknownProfile(name) => {
                Some(format!("run `cpmctl login --profile {name}` or `cpmctl login status`"))
            }
            Error::MissingServer => Some(format!("run `cpmctl login`, or pass --server / set {}", env::SERVER)),
            Error::MissingBox => Some(format!("pass --box / set {}, or use a full NMS base URL", env::BOX)),
            Error::Io { .. } => None,
            Error::InvalidSetting { .. } => None,
        }
    }
}

/// A parsed `--server` value: the root, plus store and box when it was a full NMS base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    /// `http://host:port[/prefix]`, no trailing slash.
    pub root: url::Url,
    pub store: Option<String>,
    pub box_id: Option<String>,
}

/// Accepts a root (`http://h:p`, `http://h:p/prefix/`) or a full NMS base URL
/// (`http://h:p/prefix/nms/v1/STORE/BOX`, box percent-encoded or not).
pub fn parse_server(input: &str) -> Result<ServerUrl, Error> {
    let bad = |reason: &str| Error::InvalidServer { url: input.to_string(), reason: reason.to_string() };
    let mut url = url::Url::parse(input.trim()).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.password().is_some() || !url.username().is_empty() {
        return Err(bad("credentials do not belong in the URL; use `cpmctl login` or CPMCTL_PASSWORD"));
    }
    url.set_query(None);
    url.set_fragment(None);
    let segments: Vec<String> = url.path_segments().map(|s| s.map(str::to_string).collect()).unwrap_or_default();
    let segments: Vec<String> = segments.into_iter().filter(|s| !s.is_empty()).collect();
    let nms_at = segments.windows(2).position(|w| w[0] == "nms" && w[1] == "v1");
    let (prefix, store, box_id) = match nms_at {
        Some(i) => {
            let store = segments.get(i + 2).cloned();
            let box_id =
                segments.get(i + 3).map(|b| percent_encoding::percent_decode_str(b).decode_utf8_lossy().into_owned());
            (&segments[..i], store, box_id)
        }
        None => (&segments[..], None, None),
    };
    let path = if prefix.is_empty() { String::new() } else { format!("/{}", prefix.join("/")) };
    url.set_path(&path);
    Ok(ServerUrl { root: url, store, box_id })
}

/// Root URL as text without the trailing slash `url` adds to an empty path.
pub fn root_string(root: &url::Url) -> String {
    root.as_str().trim_end_matches('/').to_string()
}

/// Values given on the command line (the highest precedence).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub profile: Option<String>,
    pub server: Option<String>,
    pub store: Option<String>,
    pub box_id: Option<String>,
    pub user: Option<String>,
    pub retries: Option<u32>,
}

/// Where a resolved value came from (shown by `login status`, useful in error messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Default,
    File,
    Env,
    Flag,
}

/// The resolved settings for one command run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The active profile's name.
    pub profile: String,
    /// Whether `[profiles.<profile>]` exists in the file.
    pub profile_in_file: bool,
    /// Whether the profile was named by `--profile` or `CPMCTL_PROFILE` (not just defaulted).
    pub profile_explicit: bool,
    pub server: Option<url::Url>,
    pub server_source: Source,
    pub store: String,
    pub box_id: Option<String>,
    pub user: Option<String>,
    pub auth: AuthKind,
    pub credential_store: CredentialStoreKind,
    pub retries: u32,
    /// The largest JSON answer read into memory, in bytes.
    pub max_body: u64,
    /// The profile's password command, when it has one.
    pub password_command: Option<String>,
}

impl Settings {
    /// The server root, or the "no server configured" error.
    pub fn require_server(&self) -> Result<&url::Url, Error> {
        self.server.as_ref().ok_or(Error::MissingServer)
    }

    pub fn require_box(&self) -> Result<&str, Error> {
        self.box_id.as_deref().ok_or(Error::MissingBox)
    }

    /// `{root}/nms/v1/{store}/{box}` with the box percent-encoded, when server and box are known.
    pub fn nms_base(&self) -> Option<String> {
        let root = self.server.as_ref()?;
        let box_id = self.box_id.as_deref()?;
        Some(nms_base(root, &self.store, box_id))
    }

    /// The keyring account / credentials-file key of this profile: `<profile>:<user>`.
    pub fn account(&self) -> String {
        account(&self.profile, self.user.as_deref())
    }
}

/// `<profile>:<user>` (user may be empty for token-only profiles).
pub fn account(profile: &str, user: Option<&str>) -> String {
    format!("{profile}:{}", user.unwrap_or(""))
}

/// Builds the NMS base URL; the box id is percent-encoded with upper-case hex (`tel%3A%2B1555…`).
pub fn nms_base(root: &url::Url, store: &str, box_id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet =
        &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    format!(
        "{}/nms/v1/{}/{}",
        root_string(root),
        percent_encoding::utf8_percent_encode(store, SEGMENT),
        percent_encoding::utf8_percent_encode(box_id, SEGMENT)
    )
}

#[derive(Default)]
struct Level<'a> {
    server: Option<&'a str>,
    store: Option<&'a str>,
    box_id: Option<&'a str>,
    user: Option<&'a str>,
}

/// Merges defaults < file < env < flags into [`Settings`].
pub fn resolve(file: &ConfigFile, env: &Env, ov: &Overrides) -> Result<Settings, Error> {
    let (profile, profile_explicit) = match (&ov.profile, env.get(env::PROFILE), &file.default_profile) {
        (Some(p), _, _) => (p.clone(), true),
        (None, Some(p), _) => (p.to_string(), true),
        (None, None, Some(p)) => (p.clone(), false),
        (None, None, None) => (DEFAULT_PROFILE.to_string(), false),
    };
    let empty = Profile::default();
    let prof = file.profiles.get(&profile);
    let profile_in_file = prof.is_some();
    let prof = prof.unwrap_or(&empty);

    let levels = [
        (
            Source::File,
            Level {
                server: prof.server.as_deref(),
                store: prof.store.as_deref(),
                box_id: prof.box_id.as_deref(),
                user: prof.user.as_deref(),
            },
        ),
        (
            Source::Env,
            Level {
                server: env.get(env::SERVER),
                store: env.get(env::STORE),
                box_id: env.get(env::BOX),
                user: env.get(env::USER),
            },
        ),
        (
            Source::Flag,
            Level {
                server: ov.server.as_deref(),
                store: ov.store.as_deref(),
                box_id: ov.box_id.as_deref(),
                user: ov.user.as_deref(),
            },
        ),
    ];

    let mut server = None;
    let mut server_source = Source::Default;
    let mut store = DEFAULT_STORE.to_string();
    let mut box_id = None;
    let mut user = None;
    for (source, level) in levels {
        if let Some(s) = level.server {
            let parsed = parse_server(s)?;
            server = Some(parsed.root);
            server_source = source;
            // A full base URL names store and box at this level; explicit values at the same level still win.
            if let Some(st) = parsed.store {
                store = st;
            }
            if let Some(b) = parsed.box_id {
                box_id = Some(b);
            }
        }
        if let Some(st) = level.store {
            store = st.to_string();
        }
        if let Some(b) = level.box_id {
            box_id = Some(b.to_string());
        }
        if let Some(u) = level.user {
            user = Some(u.to_string());
        }
    }

    Ok(Settings {
        profile,
        profile_in_file,
        profile_explicit,
        server,
        server_source,
        store,
        box_id,
        user,
        auth: prof.auth.unwrap_or_default(),
        credential_store: prof.credential_store.unwrap_or_default(),
        retries: ov.retries.or(prof.retries).unwrap_or(DEFAULT_RETRIES),
        max_body: max_body(env.get(env::MAX_BODY_MIB), prof.max_body_mib)?,
        password_command: prof.password_command.clone().filter(|c| !c.trim().is_empty()),
    })
}

/// The JSON answer cap in bytes: env over profile over the default, 1..=4096 MiB.
fn max_body(env_value: Option<&str>, profile: Option<u64>) -> Result<u64, Error> {
    let (name, mib) = match env_value {
        Some(v) => (env::MAX_BODY_MIB, v.trim().parse::<u64>().ok()),
        None => ("max_body_mib", Some(profile.unwrap_or(DEFAULT_MAX_BODY_MIB))),
    };
    let bad = |value: String| Error::InvalidSetting {
        name: name.to_string(),
        value,
        reason: format!("expected a whole number of MiB from 1 to {MAX_MAX_BODY_MIB}"),
    };
    match mib {
        Some(n) if (1..=MAX_MAX_BODY_MIB).contains(&n) => Ok(n * 1024 * 1024),
        Some(n) => Err(bad(n.to_string())),
        None => Err(bad(env_value.unwrap_or_default().to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(profile: &str, p: Profile) -> ConfigFile {
        let mut f = ConfigFile::default();
        f.profiles.insert(profile.to_string(), p);
        f
    }

    #[test]
    fn parse_server_root_and_prefix() {
        let s = parse_server("http://h:8080/").unwrap();
        assert_eq!(root_string(&s.root), "http://h:8080");
        assert_eq!((s.store, s.box_id), (None, None));
        let s = parse_server("https://h/api/store/").unwrap();
        assert_eq!(root_string(&s.root), "https://h/api/store");
    }

    #[test]
    fn parse_server_full_base_url_supplies_store_and_box() {
        let s = parse_server("http://h:1/pre/nms/v1/cpm/tel%3A%2B15550001111").unwrap();
        assert_eq!(root_string(&s.root), "http://h:1/pre");
        assert_eq!(s.store.as_deref(), Some("cpm"));
        assert_eq!(s.box_id.as_deref(), Some("tel:+15550001111"));
    }

    #[test]
    fn parse_server_rejects_bad_urls() {
        assert!(parse_server("ftp://h").is_err());
        assert!(parse_server("not a url").is_err());
        assert!(parse_server("http://u:p@h").is_err());
    }

    #[test]
    fn nms_base_encodes_box_upper_hex() {
        let root = parse_server("http://h:1").unwrap().root;
        assert_eq!(nms_base(&root, "cpm", "tel:+15550001111"), "http://h:1/nms/v1/cpm/tel%3A%2B15550001111");
    }

    #[test]
    fn defaults_without_any_config() {
        let s = resolve(&ConfigFile::default(), &Env::default(), &Overrides::default()).unwrap();
        assert_eq!(s.profile, "default");
        assert!(!s.profile_in_file && !s.profile_explicit);
        assert_eq!(s.server, None);
        assert_eq!(s.store, "cpm");
        assert_eq!(s.retries, DEFAULT_RETRIES);
        assert_eq!(s.credential_store, CredentialStoreKind::Keyring);
        assert!(s.require_server().is_err());
    }

    #[test]
    fn env_alone_is_enough_for_ci() {
        let env = Env::from_pairs([(env::SERVER, "http://h:9/nms/v1/s1/b%401"), (env::USER, "ci")]);
        let s = resolve(&ConfigFile::default(), &env, &Overrides::default()).unwrap();
        assert_eq!(s.nms_base().unwrap(), "http://h:9/nms/v1/s1/b%401");
        assert_eq!(s.box_id.as_deref(), Some("b@1"));
        assert_eq!(s.user.as_deref(), Some("ci"));
        assert_eq!(s.server_source, Source::Env);
    }

    #[test]
    fn env_beats_file_and_flags_beat_env() {
        let file = file_with(
            "default",
            Profile {
                server: Some("http://file:1".into()),
                box_id: Some("filebox".into()),
                user: Some("fileuser".into()),
                store: Some("filestore".into()),
                ..Default::default()
            },
        );
        let env = Env::from_pairs([(env::SERVER, "http://env:2"), (env::BOX, "envbox")]);
        let s = resolve(&file, &env, &Overrides::default()).unwrap();
        assert_eq!(root_string(s.server.as_ref().unwrap()), "http://env:2");
        assert_eq!(s.box_id.as_deref(), Some("envbox"));
        assert_eq!(s.user.as_deref(), Some("fileuser"));
        assert_eq!(s.store, "filestore");

        let ov = Overrides { box_id: Some("flagbox".into()), retries: Some(0), ..Default::default() };
        let s = resolve(&file, &env, &ov).unwrap();
        assert_eq!(s.box_id.as_deref(), Some("flagbox"));
        assert_eq!(s.retries, 0);
    }

    #[test]
    fn full_url_at_a_higher_level_replaces_lower_box() {
        let file = file_with("default", Profile { box_id: Some("filebox".into()), ..Default::default() });
        let env = Env::from_pairs([(env::SERVER, "http://h/nms/v1/cpm/envbox")]);
        let s = resolve(&file, &env, &Overrides::default()).unwrap();
        assert_eq!(s.box_id.as_deref(), Some("envbox"));
        // …but an explicit box at the same level wins over the URL's.
        let env = Env::from_pairs([(env::SERVER, "http://h/nms/v1/cpm/envbox"), (env::BOX, "other")]);
        let s = resolve(&file, &env, &Overrides::default()).unwrap();
        assert_eq!(s.box_id.as_deref(), Some("other"));
    }

    #[test]
    fn profile_choice_flag_env_default() {
        let mut file = file_with("a", Profile { user: Some("ua".into()), ..Default::default() });
        file.profiles.insert("b".into(), Profile { user: Some("ub".into()), ..Default::default() });
        file.default_profile = Some("a".into());
        let s = resolve(&file, &Env::default(), &Overrides::default()).unwrap();
        assert_eq!((s.profile.as_str(), s.user.as_deref(), s.profile_explicit), ("a", Some("ua"), false));
        let env = Env::from_pairs([(env::PROFILE, "b")]);
        let s = resolve(&file, &env, &Overrides::default()).unwrap();
        assert_eq!((s.profile.as_str(), s.user.as_deref(), s.profile_explicit), ("b", Some("ub"), true));
        let ov = Overrides { profile: Some("c".into()), ..Default::default() };
        let s = resolve(&file, &env, &ov).unwrap();
        assert_eq!((s.profile.as_str(), s.profile_in_file), ("c", false));
    }

    #[test]
    fn max_body_from_env_profile_or_default() {
        let mib = 1024 * 1024;
        let s = resolve(&ConfigFile::default(), &Env::default(), &Overrides::default()).unwrap();
        assert_eq!(s.max_body, 64 * mib);
        let file = file_with("default", Profile { max_body_mib: Some(8), ..Default::default() });
        assert_eq!(resolve(&file, &Env::default(), &Overrides::default()).unwrap().max_body, 8 * mib);
        let env = Env::from_pairs([(env::MAX_BODY_MIB, "2")]);
        assert_eq!(resolve(&file, &env, &Overrides::default()).unwrap().max_body, 2 * mib);
        for bad in ["0", "-1", "lots", "99999"] {
            let env = Env::from_pairs([(env::MAX_BODY_MIB, bad)]);
            let err = resolve(&file, &env, &Overrides::default()).unwrap_err();
            assert!(err.to_string().contains("CPMCTL_MAX_BODY_MIB"), "{err}");
        }
        let file = file_with("default", Profile { max_body_mib: Some(0), ..Default::default() });
        assert!(resolve(&file, &Env::default(), &Overrides::default()).is_err());
    }

    #[test]
    fn empty_env_values_count_as_unset() {
        let env = Env::from_pairs([(env::SERVER, ""), (env::NO_KEYRING, "0")]);
        assert_eq!(env.get(env::SERVER), None);
        assert!(!env.flag(env::NO_KEYRING));
        assert!(Env::from_pairs([(env::NO_KEYRING, "1")]).flag(env::NO_KEYRING));
    }
}
