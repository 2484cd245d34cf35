//! The on-disk `config.toml`: `default_profile` and `[profiles.NAME]` tables; loading and atomic saving.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Error;
use super::paths::write_atomic;

/// How the secret is presented to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AuthKind {
    /// HTTP Basic with user + password.
    #[default]
    Basic,
    /// `Authorization: Bearer TOKEN`.
    Bearer,
    /// HTTP Digest (RFC 7616) with user + password, as the server's challenge asked:
    /// the password is never sent, not even Basic-encoded.
    Digest,
}

impl AuthKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::Basic => "basic",
            AuthKind::Bearer => "bearer",
            AuthKind::Digest => "digest",
        }
    }
}

/// Where a profile's secret is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum CredentialStoreKind {
    /// The OS keyring (Secret Service, Keychain, Credential Manager).
    #[default]
    Keyring,
    /// A 0600 `credentials.toml` in the data dir, chosen explicitly by the user.
    File,
}

impl CredentialStoreKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialStoreKind::Keyring => "keyring",
            CredentialStoreKind::File => "file",
        }
    }
}

/// One `[profiles.NAME]` table. Every field is optional so a profile can set only what it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Server root (`http://host:port[/prefix]`) or a full NMS base URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    #[serde(default, rename = "box", skip_serializing_if = "Option::is_none")]
    pub box_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_store: Option<CredentialStoreKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<u32>,
    /// The largest JSON answer read into memory, in MiB (default 64).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body_mib: Option<u64>,
    /// A command whose output is the secret (`pass show nms/demo`); run without a shell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_command: Option<String>,
}

/// The whole `config.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

impl ConfigFile {
    /// Reads `path`; a missing file is an empty config (CI runs with none at all).
    pub fn load(path: &Path) -> Result<ConfigFile, Error> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ConfigFile::default()),
            Err(e) => return Err(Error::Io { path: path.to_path_buf(), message: e.to_string() }),
        };
        Self::parse(&text).map_err(|message| Error::Parse { path: path.to_path_buf(), message })
    }

    pub fn parse(text: &str) -> Result<ConfigFile, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
    }

    pub fn to_toml(&self) -> String {
        // Serialising plain strings, enums and maps cannot fail; fall back to empty just in case.
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Writes atomically (temp file + rename).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        write_atomic(path, self.to_toml().as_bytes(), Some(0o644))
            .map_err(|e| Error::Io { path: path.to_path_buf(), message: e.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_profiles_with_box_key() {
        let cfg = ConfigFile::parse(
            r#"
default_profile = "work"
[profiles.work]
server = "http://h:8080"
store = "cpm"
box = "tel:+15550001111"
user = "demo"
auth = "bearer"
credential_store = "file"
"#,
        )
        .unwrap();
        assert_eq!(cfg.default_profile.as_deref(), Some("work"));
        let p = &cfg.profiles["work"];
        assert_eq!(p.box_id.as_deref(), Some("tel:+15550001111"));
        assert_eq!(p.auth, Some(AuthKind::Bearer));
        assert_eq!(p.credential_store, Some(CredentialStoreKind::File));
    }

    #[test]
    fn digest_auth_and_body_cap_parse() {
        let cfg = ConfigFile::parse("[profiles.t]\nauth = \"digest\"\nmax_body_mib = 8\n").unwrap();
        assert_eq!(cfg.profiles["t"].auth, Some(AuthKind::Digest));
        assert_eq!(cfg.profiles["t"].max_body_mib, Some(8));
        assert_eq!(AuthKind::Digest.as_str(), "digest");
    }

    #[test]
    fn round_trips_through_toml() {
        let mut cfg = ConfigFile { default_profile: Some("a".into()), ..Default::default() };
        cfg.profiles.insert(
            "a".into(),
            Profile { server: Some("http://x".into()), box_id: Some("b".into()), ..Default::default() },
        );
        let back = ConfigFile::parse(&cfg.to_toml()).unwrap();
        assert_eq!(back, cfg);
        assert!(cfg.to_toml().contains("box = \"b\""));
    }

    #[test]
    fn missing_file_is_empty_and_bad_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = ConfigFile::load(&dir.path().join("none.toml")).unwrap();
        assert!(missing.profiles.is_empty());
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, "profiles = 3").unwrap();
        assert!(matches!(ConfigFile::load(&bad), Err(Error::Parse { .. })));
    }
}
