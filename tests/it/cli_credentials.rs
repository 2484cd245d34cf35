//! Credential stores through the public API: memory, the keyring crate's mock backend installed as
//! the default builder (what `KeyringStore::new()` uses), and the 0600 file.

use std::sync::Arc;

use cpmctl::credentials::{
    self, Credential, FileStore, KeyringStore, MemoryStore, Request, Secret, SecretSource, SecretStore, StoreChoice,
    Stores,
};

fn request(store: StoreChoice) -> Request<'static> {
    Request {
        account: "work:alice",
        user: Some("alice"),
        bearer: false,
        store,
        env_password: None,
        env_token: None,
        password_command: None,
    }
}

#[tokio::test]
async fn keyring_store_with_the_mock_default_builder() {
    keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
    let keyring: Arc<dyn SecretStore> = Arc::new(KeyringStore::new());
    let stores = Stores { keyring: Arc::clone(&keyring), file: Arc::new(MemoryStore::new()) };
    assert_eq!(credentials::resolve(&request(StoreChoice::Keyring), &stores).await.unwrap(), None);
    credentials::probe(&keyring).await.unwrap();
    credentials::set(&keyring, "work:alice", &Secret::new("s3cret")).await.unwrap();
    let (cred, source) = credentials::resolve(&request(StoreChoice::Keyring), &stores).await.unwrap().unwrap();
    assert_eq!(source, SecretSource::Keyring);
    assert_eq!(cred, Credential::Basic { user: "alice".into(), password: Secret::new("s3cret") });
    assert!(credentials::delete(&keyring, "work:alice").await.unwrap());
    assert_eq!(credentials::resolve(&request(StoreChoice::Keyring), &stores).await.unwrap(), None);
}

#[tokio::test]
async fn memory_store_stands_in_for_the_keyring() {
    let stores = Stores::memory();
    credentials::set(&stores.keyring, "work:alice", &Secret::new("m")).await.unwrap();
    let (_, source) = credentials::resolve(&request(StoreChoice::Keyring), &stores).await.unwrap().unwrap();
    assert_eq!(source, SecretSource::Keyring);
    // The file store is separate: nothing leaks from one to the other.
    assert_eq!(credentials::resolve(&request(StoreChoice::File), &stores).await.unwrap(), None);
}

#[tokio::test]
async fn file_store_is_0600_and_survives_a_new_instance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("credentials.toml");
    let file: Arc<dyn SecretStore> = Arc::new(FileStore::new(path.clone()));
    credentials::set(&file, "work:alice", &Secret::new("f")).await.unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let stores =
        Stores { keyring: Arc::new(MemoryStore::unavailable("no D-Bus")), file: Arc::new(FileStore::new(path)) };
    let (cred, source) = credentials::resolve(&request(StoreChoice::File), &stores).await.unwrap().unwrap();
    assert_eq!(source, SecretSource::File);
    assert_eq!(cred, Credential::Basic { user: "alice".into(), password: Secret::new("f") });
}

#[tokio::test]
async fn unavailable_keyring_never_falls_back_to_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file: Arc<dyn SecretStore> = Arc::new(FileStore::new(dir.path().join("credentials.toml")));
    credentials::set(&file, "work:alice", &Secret::new("f")).await.unwrap();
    let stores = Stores { keyring: Arc::new(KeyringStore::disabled("no D-Bus")), file };
    let err = credentials::resolve(&request(StoreChoice::Keyring), &stores).await.unwrap_err();
    assert!(matches!(err, credentials::Error::KeyringUnavailable(_)), "{err:?}");
}
