//! Seeding the demo box, idempotently: the demo user (a password generated once and kept in
//! a 0600 file in the data dir) and the demo content stored through the ordinary store paths.

use std::path::Path;

use super::RunningServer;
use super::UserSpec;
use super::auth::User;
use super::demo::{DEMO_BOX, DEMO_USER, demo_content};
use super::store::Import;

const MARKER: &str = "demo_seeded";
const PASSWORD_FILE: &str = "demo-password";

/// What `serve --demo` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInfo {
    pub base_url: String,
    pub box_id: String,
    pub user: String,
    pub password: String,
}

fn random_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for the demo password: {e}"))?;
    Ok(bytes.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char).collect())
}

/// The demo password: read from the data dir, or generated and written there (mode 0600).
fn demo_password(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join(PASSWORD_FILE);
    if let Ok(text) = std::fs::read_to_string(&path) {
        let p = text.trim().to_string();
        if !p.is_empty() {
            return Ok(p);
        }
    }
    let password = random_password()?;
    // Atomic and 0600 before it appears: a leftover file (of any mode) is replaced, never
    // reused with its old permissions or left half-written.
    crate::fsutil::write_atomic(&path, format!("{password}\n").as_bytes(), Some(0o600))
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    Ok(password)
}

/// Creates the demo user and, once per data dir, the demo content; returns what to print.
pub async fn seed_demo(server: &RunningServer) -> anyhow::Result<DemoInfo> {
    let state = &server.state;
    let password = demo_password(&state.config.data_dir)?;
    state.users.upsert(User::from_spec(&UserSpec {
        name: DEMO_USER.into(),
        password: Some(password.clone()),
        tokens: Vec::new(),
        boxes: vec![DEMO_BOX.into()],
        admin: false,
    }));
    if state.store.meta(MARKER).await.map_err(|e| anyhow::anyhow!(e.error.message()))?.is_none() {
        let content = demo_content(jiff::Timestamp::now());
        let import = Import {
            folders: content.folders.into_iter().map(|f| (f.path, f.attributes)).collect(),
            objects: content
                .objects
                .into_iter()
                .map(|o| {
                    let mut object = o.object;
                    object.parent_folder = None;
                    object.parent_folder_path = Some(o.folder_path);
                    (object, o.parts)
                })
                .collect(),
            meta: Some((MARKER.to_string(), jiff::Timestamp::now().to_string())),
        };
        state
            .store
            .import(DEMO_BOX, import)
            .await
            .map_err(|e| anyhow::anyhow!("seeding the demo box failed: {}", e.error.message()))?;
    }
    Ok(DemoInfo { base_url: server.nms_base(DEMO_BOX), box_id: DEMO_BOX.into(), user: DEMO_USER.into(), password })
}
