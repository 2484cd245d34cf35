//! Where cpmctl keeps its files: the `directories` project dirs, each overridable by a `CPMCTL_*_DIR` variable.

use std::path::{Path, PathBuf};

use super::{Env, Error, env};

/// The three directories cpmctl uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Holds `config.toml`.
    pub config_dir: PathBuf,
    /// Holds `credentials.toml` (only when a profile chose the file store) and other durable state.
    pub data_dir: PathBuf,
    /// Disposable data.
    pub cache_dir: PathBuf,
}

impl Paths {
    /// `CPMCTL_CONFIG_DIR` / `CPMCTL_DATA_DIR` / `CPMCTL_CACHE_DIR` first, then the platform's directories.
    pub fn resolve(env: &Env) -> Result<Paths, Error> {
        let dirs = directories::ProjectDirs::from("", "", "cpmctl");
        let pick = |var: &str, platform: Option<&Path>| -> Result<PathBuf, Error> {
            match env.get(var) {
                Some(dir) => Ok(PathBuf::from(dir)),
                None => platform.map(Path::to_path_buf).ok_or_else(|| Error::NoHome(var.to_string())),
            }
        };
        Ok(Paths {
            config_dir: pick(env::CONFIG_DIR, dirs.as_ref().map(|d| d.config_dir()))?,
            data_dir: pick(env::DATA_DIR, dirs.as_ref().map(|d| d.data_dir()))?,
            cache_dir: pick(env::CACHE_DIR, dirs.as_ref().map(|d| d.cache_dir()))?,
        })
    }

    /// All three under one directory (tests).
    pub fn under(root: &Path) -> Paths {
        Paths { config_dir: root.join("config"), data_dir: root.join("data"), cache_dir: root.join("cache") }
    }

    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    pub fn credentials_file(&self) -> PathBuf {
        self.data_dir.join("credentials.toml")
    }
}

/// Replaces `path` with `bytes` atomically (one helper for every layer: [`crate::fsutil`]).
pub use crate::fsutil::write_atomic;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_overrides_each_dir() {
        let env = Env::from_pairs([(env::CONFIG_DIR, "/tmp/c"), (env::DATA_DIR, "/tmp/d"), (env::CACHE_DIR, "/tmp/k")]);
        let p = Paths::resolve(&env).unwrap();
        assert_eq!(p.config_file(), PathBuf::from("/tmp/c/config.toml"));
        assert_eq!(p.credentials_file(), PathBuf::from("/tmp/d/credentials.toml"));
        assert_eq!(p.cache_dir, PathBuf::from("/tmp/k"));
    }

    #[test]
    fn atomic_write_replaces_and_sets_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("f.toml");
        write_atomic(&path, b"one", Some(0o600)).unwrap();
        write_atomic(&path, b"two", Some(0o600)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }
}
