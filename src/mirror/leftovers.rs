//! What a killed run leaves on the server: its notification channel and its subscription. The
//! store allows a user only so many channels (16 on the reference server, a few on carrier
//! stores), so without a clean-up a mirror killed often enough is refused until they expire.
//! Every channel and subscription a mirror makes carries its clientCorrelator; a run deletes
//! the ones it finds under it before it makes new ones. The lock guarantees no other run of the
//! same mirror is using them, and other clients' (other mirrors', `subscribe`'s) are not touched.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::nms::NmsClient;

/// The clientCorrelator of `dir`'s channels and subscriptions: a digest of its absolute path, so
/// two mirrors of one box never take each other's for leftovers.
pub fn correlator(dir: &Path) -> String {
    let canon = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let digest = Sha256::digest(canon.as_os_str().as_encoded_bytes());
    format!("cpmctl-sync-{}", &hex::encode(digest)[..16])
}

/// Deletes the subscriptions and channels carrying `tag`; what it finds and deletes. Best
/// effort: a store that cannot list them lets them expire on their own (their lifetimes are
/// minutes), and the run goes on either way.
pub async fn sweep(client: &NmsClient, tag: &str) -> usize {
    let nc = client.notify();
    let mut deleted = 0;
    if let Ok(list) = nc.list_subscriptions().await {
        for s in list.subscription.iter().filter(|s| s.client_correlator.as_deref() == Some(tag)) {
            if let Some(url) = &s.resource_url
                && nc.delete_subscription(url).await.is_ok()
            {
                deleted += 1;
            }
        }
    }
    if let Ok(list) = nc.list_channels().await {
        for c in list.notification_channel.iter().filter(|c| c.client_correlator.as_deref() == Some(tag)) {
            if let Some(url) = &c.resource_url
                && nc.delete_channel(url).await.is_ok()
            {
                deleted += 1;
            }
        }
    }
    deleted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tag_per_mirror_directory() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert_eq!(correlator(a.path()), correlator(a.path()));
        assert_ne!(correlator(a.path()), correlator(b.path()));
        assert!(correlator(a.path()).starts_with("cpmctl-sync-"));
        // The same directory spelled another way is the same mirror.
        assert_eq!(correlator(&a.path().join(".")), correlator(a.path()));
    }
}
