//! What `subscribe` keeps between runs, per profile, so that `--resume` continues where the
//! last run stopped: the restartToken and whatever `--keep` left on the server, tied to the
//! box it belongs to. Written atomically and privately (0600).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// What is kept between runs, per profile: `{data dir}/state/subscribe-{profile}.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedState {
    /// The NMS base the position belongs to; a position of another box is not used.
    pub nms_base: String,
    #[serde(default)]
    pub restart_token: Option<String>,
    /// Left on the server by `--keep`.
    #[serde(default)]
    pub channel_url: Option<String>,
    #[serde(default)]
    pub subscription_url: Option<String>,
    #[serde(default)]
    pub saved_at: Option<String>,
}

/// What [`load`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    /// No state saved yet.
    Missing,
    /// A state for the box asked for.
    Found(SavedState),
    /// A state that cannot be used; the reason, for a warning.
    Unusable(String),
}

/// `{data dir}/state/subscribe-{profile}.json`, the profile name made file-safe.
pub fn state_path(data_dir: &Path, profile: &str) -> PathBuf {
    let safe: String =
        profile.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    data_dir.join("state").join(format!("subscribe-{safe}.json"))
}

/// The saved state at `path` when it belongs to `base` (an NMS base URL).
pub fn load(path: &Path, base: &str) -> Loaded {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(e) => return Loaded::Unusable(format!("cannot read {}: {e}", path.display())),
    };
    match serde_json::from_str::<SavedState>(&text) {
        Ok(s) if s.nms_base == base => Loaded::Found(s),
        Ok(s) => Loaded::Unusable(format!("the saved position is for {}, not {base}: not used", s.nms_base)),
        Err(e) => Loaded::Unusable(format!("ignoring {}: {e}", path.display())),
    }
}

/// Stamps `saved_at` and writes the state (atomically, 0600).
pub fn save_state(path: &Path, state: &mut SavedState) -> std::io::Result<()> {
    state.saved_at = Some(jiff::Timestamp::now().to_string());
    let bytes = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
    crate::fsutil::write_atomic(path, &bytes, Some(0o600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trip_and_box_check() {
        let dir = tempfile::tempdir().unwrap();
        let path = state_path(dir.path(), "my profile/1");
        assert!(path.ends_with("state/subscribe-my_profile_1.json"));
        assert_eq!(load(&path, "http://h/nms/v1/cpm/b"), Loaded::Missing);
        let mut s = SavedState {
            nms_base: "http://h/nms/v1/cpm/b".into(),
            restart_token: Some("t".into()),
            ..Default::default()
        };
        save_state(&path, &mut s).unwrap();
        assert!(s.saved_at.is_some());
        assert_eq!(load(&path, "http://h/nms/v1/cpm/b"), Loaded::Found(s));
        assert!(matches!(load(&path, "http://h/nms/v1/cpm/other"), Loaded::Unusable(w) if w.contains("not used")));
        std::fs::write(&path, "{").unwrap();
        assert!(matches!(load(&path, "http://h/nms/v1/cpm/b"), Loaded::Unusable(w) if w.contains("ignoring")));
    }
}
