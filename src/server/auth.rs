//! Users, salted password hashes, bearer tokens, and the authentication of each request.
//!
//! Users file (`cpmctl serve --users FILE`), TOML:
//!
//! ```toml
//! [[user]]
//! name = "alice"
//! # from `cpmctl serve --hash-password` (reads the password on stdin)
//! password_hash = "pbkdf2-sha256$100000$<salt, base64>$<hash, base64>"
//! # SHA-256 (hex) of each accepted bearer token
//! tokens_sha256 = ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]
//! boxes = ["tel:+15550001111"]
//! admin = false          # true: reaches every box
//! ```
//!
//! Clear passwords never appear in the file; users defined in code (tests, the demo) give
//! clear values that are hashed when loaded.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Mutex, RwLock};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::UserSpec;

/// Iterations for hashes written by `--hash-password`.
pub const DEFAULT_ITERATIONS: u32 = 100_000;
/// Passwords given in clear by code are already in memory; a cheap hash is enough.
const IN_MEMORY_ITERATIONS: u32 = 1_000;

fn hmac_sha256(key: &[u8], msg: &[&[u8]]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    for m in msg {
        inner.update(m);
    }
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

/// PBKDF2-HMAC-SHA256 with one 32-byte output block (RFC 8018).
fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut u = hmac_sha256(password, &[salt, &1u32.to_be_bytes()]);
    let mut out = u;
    for _ in 1..iterations.max(1) {
        u = hmac_sha256(password, &[&u]);
        for (o, x) in out.iter_mut().zip(u.iter()) {
            *o ^= x;
        }
    }
    out
}

/// A salted hash string: `pbkdf2-sha256$ITER$SALT$HASH` (base64 salt and hash).
pub fn hash_password_with(password: &str, iterations: u32) -> String {
    let mut salt = [0u8; 16];
    if getrandom::fill(&mut salt).is_err() {
        salt = Sha256::digest(jiff::Timestamp::now().as_nanosecond().to_be_bytes())[..16].try_into().unwrap_or([7; 16]);
    }
    let hash = pbkdf2(password.as_bytes(), &salt, iterations);
    format!("pbkdf2-sha256${iterations}${}${}", STANDARD.encode(salt), STANDARD.encode(hash))
}

/// The hash `--hash-password` prints.
pub fn hash_password(password: &str) -> String {
    hash_password_with(password, DEFAULT_ITERATIONS)
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks a password against a hash string; malformed hashes never match.
pub fn verify_password(password: &str, stored: &str) -> bool {
    let mut it = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(iter), Some(salt), Some(hash), None) =
        (it.next(), it.next(), it.next(), it.next(), it.next())
    else {
        return false;
    };
    let (Ok(iter), Ok(salt), Ok(hash)) = (iter.parse::<u32>(), STANDARD.decode(salt), STANDARD.decode(hash)) else {
        return false;
    };
    ct_eq(&pbkdf2(password.as_bytes(), &salt, iter), &hash)
}

/// SHA-256 hex of a bearer token, as stored in `tokens_sha256`.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// One user as the server keeps it (hashes only).
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub name: String,
    #[serde(default)]
    pub password_hash: Option<String>,
    #[serde(default)]
    pub tokens_sha256: Vec<String>,
    #[serde(default)]
    pub boxes: Vec<String>,
    #[serde(default)]
    pub admin: bool,
}

impl User {
    pub fn from_spec(spec: &UserSpec) -> User {
        User {
            name: spec.name.clone(),
            password_hash: spec.password.as_deref().map(|p| hash_password_with(p, IN_MEMORY_ITERATIONS)),
            tokens_sha256: spec.tokens.iter().map(|t| token_hash(t)).collect(),
            boxes: spec.boxes.clone(),
            admin: spec.admin,
        }
    }
}

#[derive(Deserialize)]
struct UsersFile {
    #[serde(default)]
    user: Vec<User>,
}

/// Reads a users file.
pub fn load_users_file(path: &Path) -> anyhow::Result<Vec<User>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the users file {}: {e}", path.display()))?;
    let file: UsersFile =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("invalid users file {}: {e}", path.display()))?;
    for u in &file.user {
        if let Some(h) = &u.password_hash
            && !h.starts_with("pbkdf2-sha256$")
        {
            anyhow::bail!(
                "user {:?} in {}: password_hash must come from `cpmctl serve --hash-password`",
                u.name,
                path.display()
            );
        }
    }
    Ok(file.user)
}

/// Who is calling.
#[derive(Debug, Clone)]
pub struct Principal {
    pub name: String,
    pub boxes: Vec<String>,
    pub admin: bool,
}

impl Principal {
    pub fn may_access(&self, box_id: &str) -> bool {
        self.admin || self.boxes.iter().any(|b| b == box_id)
    }
}

/// The user table with a cache of verified passwords (PBKDF2 is slow on purpose).
#[derive(Default)]
pub struct Users {
    users: RwLock<Vec<User>>,
    verified: Mutex<HashSet<[u8; 32]>>,
}

impl Users {
    pub fn new(users: Vec<User>) -> Users {
        Users { users: RwLock::new(users), verified: Mutex::new(HashSet::new()) }
    }

    /// Adds a user, replacing one of the same name.
    pub fn upsert(&self, user: User) {
        if let Ok(mut list) = self.users.write() {
            list.retain(|u| u.name != user.name);
            list.push(user);
        }
    }

    /// Every box some user owns.
    pub fn all_boxes(&self) -> Vec<String> {
        self.users.read().map(|l| l.iter().flat_map(|u| u.boxes.clone()).collect()).unwrap_or_default()
    }

    fn principal(u: &User) -> Principal {
        Principal { name: u.name.clone(), boxes: u.boxes.clone(), admin: u.admin }
    }

    /// Authenticates an `Authorization` header value (Basic or Bearer).
    pub fn authenticate(&self, authorization: &str) -> Option<Principal> {
        let (scheme, rest) = authorization.trim().split_once(' ')?;
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("basic") {
            let decoded = STANDARD.decode(rest).ok()?;
            let decoded = String::from_utf8(decoded).ok()?;
            let (name, password) = decoded.split_once(':')?;
            self.check_password(name, password)
        } else if scheme.eq_ignore_ascii_case("bearer") {
            let h = token_hash(rest);
            let list = self.users.read().ok()?;
            list.iter().find(|u| u.tokens_sha256.iter().any(|t| ct_eq(t.as_bytes(), h.as_bytes()))).map(Self::principal)
        } else {
            None
        }
    }

    fn check_password(&self, name: &str, password: &str) -> Option<Principal> {
        let user = self.users.read().ok()?.iter().find(|u| u.name == name).cloned()?;
        let stored = user.password_hash.as_deref()?;
        let key: [u8; 32] = Sha256::new()
            .chain_update(name.as_bytes())
            .chain_update([0])
            .chain_update(password.as_bytes())
            .chain_update([0])
            .chain_update(stored.as_bytes())
            .finalize()
            .into();
        if self.verified.lock().map(|s| s.contains(&key)).unwrap_or(false) {
            return Some(Self::principal(&user));
        }
        if !verify_password(password, stored) {
            return None;
        }
        if let Ok(mut s) = self.verified.lock() {
            s.insert(key);
        }
        Some(Self::principal(&user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pbkdf2_known_answer() {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 (first 32 bytes).
        let out = pbkdf2(b"passwd", b"salt", 1);
        assert_eq!(hex::encode(out), "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
    }

    #[test]
    fn hash_and_verify() {
        let h = hash_password_with("s3cret", 10);
        assert!(verify_password("s3cret", &h));
        assert!(!verify_password("other", &h));
        assert!(!verify_password("s3cret", "plain"));
    }
}
