//! The opt-in plaintext store: `credentials.toml` (mode 0600) in the data dir, for hosts without a keyring.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{Error, Secret, SecretStore};

const HEADER: &str = "# cpmctl secrets in plain text (mode 0600), written by `cpmctl login --credential-store file`.\n\
                      # Remove an entry with `cpmctl logout --profile NAME`.\n";

#[derive(Debug, Default, Serialize, Deserialize)]
struct Contents {
    #[serde(default)]
    secrets: BTreeMap<String, String>,
}

/// A TOML file of `account = "secret"` pairs. Every write is atomic and leaves the file 0600.
pub struct FileStore {
    path: PathBuf,
    /// Serialises read-modify-write within this process.
    lock: Mutex<()>,
}

impl FileStore {
    pub fn new(path: PathBuf) -> FileStore {
        FileStore { path, lock: Mutex::new(()) }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, message: impl ToString) -> Error {
        Error::File { path: self.path.display().to_string(), message: message.to_string() }
    }

    fn read(&self) -> Result<Contents, Error> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => toml::from_str(&text).map_err(|e| self.err(e.to_string().trim_end())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Contents::default()),
            Err(e) => Err(self.err(e)),
        }
    }

    fn write(&self, contents: &Contents) -> Result<(), Error> {
        let body = toml::to_string_pretty(contents).map_err(|e| self.err(e))?;
        write_private(&self.path, format!("{HEADER}\n{body}").as_bytes()).map_err(|e| self.err(e))
    }
}

/// Temp file (created 0600 by `tempfile`) + rename, so the secret is never readable by others,
/// not even for a moment.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::fsutil::write_atomic(path, bytes, Some(0o600))
}

impl SecretStore for FileStore {
    fn name(&self) -> &'static str {
        "file"
    }

    fn get(&self, account: &str) -> Result<Option<Secret>, Error> {
        let _guard = self.lock.lock().map_err(|_| self.err("lock poisoned"))?;
        Ok(self.read()?.secrets.get(account).map(|s| Secret::new(s.clone())))
    }

    fn set(&self, account: &str, secret: &Secret) -> Result<(), Error> {
        let _guard = self.lock.lock().map_err(|_| self.err("lock poisoned"))?;
        let mut contents = self.read()?;
        contents.secrets.insert(account.to_string(), secret.expose().to_string());
        self.write(&contents)
    }

    fn delete(&self, account: &str) -> Result<bool, Error> {
        let _guard = self.lock.lock().map_err(|_| self.err("lock poisoned"))?;
        let mut contents = self.read()?;
        if contents.secrets.remove(account).is_none() {
            return Ok(false);
        }
        self.write(&contents)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("credentials.toml");
        let store = FileStore::new(path.clone());
        assert_eq!(store.get("p:u").unwrap(), None);
        store.set("p:u", &Secret::new("pw \"quoted\"")).unwrap();
        store.set("q:v", &Secret::new("other")).unwrap();
        assert_eq!(store.get("p:u").unwrap(), Some(Secret::new("pw \"quoted\"")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(store.delete("p:u").unwrap());
        assert!(!store.delete("p:u").unwrap());
        assert_eq!(FileStore::new(path).get("q:v").unwrap(), Some(Secret::new("other")));
    }

    #[test]
    fn garbage_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("credentials.toml");
        std::fs::write(&path, "secrets = 1").unwrap();
        assert!(matches!(FileStore::new(path).get("a"), Err(Error::File { .. })));
    }
}
