//! The OS keyring store (`keyring` crate v3): service `cpmctl`, account `<profile>:<user>`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ::keyring::credential::CredentialBuilder;

use super::{Error, SERVICE, Secret, SecretStore};

/// Secrets in the platform keyring. Calls block; use the async wrappers in the parent module.
pub struct KeyringStore {
    /// `None`: the keyring crate's default builder (the platform store, or whatever
    /// `keyring::set_default_credential_builder` installed).
    builder: Option<Box<CredentialBuilder>>,
    /// Entries are kept so repeated calls reuse one handle; the mock backend keeps its secret in
    /// the entry object itself, so this is also what makes it testable.
    entries: Mutex<HashMap<String, Arc<::keyring::Entry>>>,
    disabled: Option<String>,
}

impl Default for KeyringStore {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyringStore {
    pub fn new() -> KeyringStore {
        KeyringStore { builder: None, entries: Mutex::default(), disabled: None }
    }

    /// Uses `builder` instead of the default one (e.g. `keyring::mock::default_credential_builder()`).
    pub fn with_builder(builder: Box<CredentialBuilder>) -> KeyringStore {
        KeyringStore { builder: Some(builder), entries: Mutex::default(), disabled: None }
    }

    /// A keyring that is known not to work; every call says why.
    pub fn disabled(reason: &str) -> KeyringStore {
        KeyringStore { builder: None, entries: Mutex::default(), disabled: Some(reason.to_string()) }
    }

    fn entry(&self, account: &str) -> Result<Arc<::keyring::Entry>, Error> {
        if let Some(reason) = &self.disabled {
            return Err(Error::KeyringUnavailable(reason.clone()));
        }
        let mut entries = self.entries.lock().map_err(|_| Error::Backend("keyring entry cache poisoned".into()))?;
        if let Some(e) = entries.get(account) {
            return Ok(Arc::clone(e));
        }
        let entry = match &self.builder {
            Some(b) => ::keyring::Entry::new_with_credential(b.build(None, SERVICE, account).map_err(map_err)?),
            None => ::keyring::Entry::new(SERVICE, account).map_err(map_err)?,
        };
        let entry = Arc::new(entry);
        entries.insert(account.to_string(), Arc::clone(&entry));
        Ok(entry)
    }
}

fn map_err(e: ::keyring::Error) -> Error {
    match e {
        ::keyring::Error::PlatformFailure(inner) | ::keyring::Error::NoStorageAccess(inner) => {
            Error::KeyringUnavailable(inner.to_string())
        }
        other => Error::Backend(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn name(&self) -> &'static str {
        "keyring"
    }

    fn get(&self, account: &str) -> Result<Option<Secret>, Error> {
        match self.entry(account)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(p))),
            Err(::keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_err(e)),
        }
    }

    fn set(&self, account: &str, secret: &Secret) -> Result<(), Error> {
        self.entry(account)?.set_password(secret.expose()).map_err(map_err)
    }

    fn delete(&self, account: &str) -> Result<bool, Error> {
        match self.entry(account)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(::keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_err(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_through_the_mock_backend() {
        let store = KeyringStore::with_builder(::keyring::mock::default_credential_builder());
        assert_eq!(store.get("p:u").unwrap(), None);
        store.set("p:u", &Secret::new("pw")).unwrap();
        assert_eq!(store.get("p:u").unwrap(), Some(Secret::new("pw")));
        assert_eq!(store.get("p:other").unwrap(), None);
        assert!(store.delete("p:u").unwrap());
        assert!(!store.delete("p:u").unwrap());
        assert_eq!(store.get("p:u").unwrap(), None);
    }

    #[test]
    fn platform_failures_mean_unavailable() {
        let store = KeyringStore::with_builder(::keyring::mock::default_credential_builder());
        let entry = store.entry("p:u").unwrap();
        let mock: &::keyring::mock::MockCredential = entry.get_credential().downcast_ref().unwrap();
        mock.set_error(::keyring::Error::NoStorageAccess("locked".into()));
        assert!(matches!(store.get("p:u"), Err(Error::KeyringUnavailable(m)) if m.contains("locked")));
        // The mock clears the error after one use.
        assert_eq!(store.get("p:u").unwrap(), None);
    }

    #[test]
    fn disabled_store_refuses_everything() {
        let store = KeyringStore::disabled("CPMCTL_NO_KEYRING is set");
        assert!(matches!(store.get("a:b"), Err(Error::KeyringUnavailable(_))));
        assert!(matches!(store.set("a:b", &Secret::new("x")), Err(Error::KeyringUnavailable(_))));
    }
}
