//! The SMS correlationTag of the US carrier profiles (../shared/docs/nms-protocol.md §6.1).

use md5::{Digest, Md5};

/// Normalises a number the way the reference implementation does before hashing:
/// a 10-character number gets `+1`, a longer one `+`; a missing one becomes `null`.
fn e164ish(number: Option<&str>) -> String {
    match number {
        None | Some("") => "null".to_string(),
        Some(n) if n.starts_with('+') => n.to_string(),
        Some(n) if n.chars().count() == 10 => format!("+1{n}"),
        Some(n) if n.chars().count() > 10 => format!("+{n}"),
        Some(n) => n.to_string(),
    }
}

/// The string that is hashed: the remote number in the originator slot for
/// incoming messages and in the recipient slot for outgoing ones.
pub fn hashed_string(remote_number: Option<&str>, incoming: bool, body: &str) -> String {
    let number = e164ish(remote_number);
    if incoming { format!(":::{number}::{body}") } else { format!("{number}:::::{body}") }
}

/// The correlationTag: the first 8 bytes of MD5 as lower-case hex without leading zeros.
pub fn correlation_tag(remote_number: Option<&str>, incoming: bool, body: &str) -> String {
    let digest = Md5::digest(hashed_string(remote_number, incoming, body).as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    format!("{:x}", u64::from_be_bytes(first))
}

/// Strips a `tel:` scheme so that `tel:+1555…` hashes like `+1555…`.
pub fn bare_number(uri: &str) -> &str {
    uri.strip_prefix("tel:").unwrap_or(uri)
}
