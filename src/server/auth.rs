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

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::UserSpec;

/// Iterations for hashes written by `--hash-password`.
pub const DEFAULT_ITERATIONS: u32 = 100_000;
/// Passwords given in clear by code are already in memory; a cheap hash is enough.
const IN_MEMORY_ITERATIONS: u32 = 1_000;
/// Hashes claiming more iterations are refused: a forged users file must not pin a core for minutes.
pub const MAX_ITERATIONS: u32 = 10_000_000;
/// Verified credentials remembered (oldest forgotten first), so a client's repeated requests
/// cost one PBKDF2 run, not one each.
const VERIFIED_CACHE: usize = 4096;
/// Wrong passwords a client may send before its next attempts are delayed.
const FREE_FAILURES: u32 = 5;
/// First delay after the free failures; doubles with each further failure up to [`MAX_DELAY`].
const FIRST_DELAY: Duration = Duration::from_millis(200);
const MAX_DELAY: Duration = Duration::from_secs(5);
/// A client's failure count is forgotten after this long without a failure.
const FAILURE_MEMORY: Duration = Duration::from_secs(600);
/// Clients whose failures are tracked at once; beyond this the stalest are forgotten.
const MAX_TRACKED_CLIENTS: usize = 10_000;

tokio::task_local! {
    /// The peer address of the connection the current request came on (set by the accept
    /// loop); failures are counted per client address.
    pub static CLIENT: IpAddr;
}

/// PBKDF2-HMAC-SHA256 with one 32-byte output block (RFC 8018), from the `pbkdf2` crate.
fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password, salt, iterations.max(1), &mut out);
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
    if iter == 0 || iter > MAX_ITERATIONS {
        return false;
    }
    ct_eq(&pbkdf2(password.as_bytes(), &salt, iter), &hash)
}

/// The iteration count of a well-formed hash string.
fn iterations_of(stored: &str) -> Option<u32> {
    let mut it = stored.split('$');
    match (it.next(), it.next()) {
        (Some("pbkdf2-sha256"), Some(n)) => n.parse().ok().filter(|n| (1..=MAX_ITERATIONS).contains(n)),
        _ => None,
    }
}

/// SHA-256 hex of a bearer token, as stored in `tokens_sha256`.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// One user as the server keeps it (hashes only).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
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

// Unknown keys are refused, naming the key: a `password = "…"` typo must not start a server
// whose user silently cannot log in (or, worse, seems configured when it is not).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
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
            && iterations_of(h).is_none()
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

/// Wrong-password history of one client address.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// How long the next attempt waits: nothing for the first few, then doubling.
    fn delay(&self, now: Instant) -> Duration {
        if self.count < FREE_FAILURES {
            return Duration::ZERO;
        }
        let steps = (self.count - FREE_FAILURES).min(16);
        let wanted = FIRST_DELAY.saturating_mul(1 << steps).min(MAX_DELAY);
        wanted.saturating_sub(now.saturating_duration_since(self.last))
    }
}

/// Credentials verified recently: a bounded set, oldest forgotten first.
#[derive(Default)]
struct VerifiedCache {
    keys: HashSet<[u8; 32]>,
    order: VecDeque<[u8; 32]>,
}

impl VerifiedCache {
    fn insert(&mut self, key: [u8; 32]) {
        if !self.keys.insert(key) {
            return;
        }
        self.order.push_back(key);
        while self.order.len() > VERIFIED_CACHE {
            if let Some(old) = self.order.pop_front() {
                self.keys.remove(&old);
            }
        }
    }
}

/// The user table and the cost controls around password checks.
///
/// PBKDF2 is slow on purpose, so it never runs on an async worker: it runs on the blocking
/// pool, at most `max_checks` at a time. Successes are cached (keyed by a hash of name,
/// password and stored hash), an unknown user costs the same as a wrong password (a dummy
/// hash is checked) so timing does not tell which names exist, and a client address that keeps
/// failing waits longer and longer before its next check.
pub struct Users {
    users: RwLock<Vec<User>>,
    verified: Mutex<VerifiedCache>,
    checks: Arc<Semaphore>,
    failures: Mutex<HashMap<IpAddr, Failures>>,
    /// Checked for unknown users; as costly as the costliest real hash.
    dummy: RwLock<String>,
}

impl Default for Users {
    fn default() -> Self {
        Users::new(Vec::new())
    }
}

/// How many PBKDF2 checks run at once by default: half the cores, so a storm of wrong
/// passwords leaves the rest to requests that are already authenticated.
pub fn default_max_checks() -> usize {
    std::thread::available_parallelism().map(|n| n.get() / 2).unwrap_or(1).max(1)
}

fn dummy_hash(users: &[User]) -> String {
    let iterations = users
        .iter()
        .filter_map(|u| u.password_hash.as_deref().and_then(iterations_of))
        .max()
        .unwrap_or(DEFAULT_ITERATIONS);
    hash_password_with("not a password anybody has", iterations)
}

impl Users {
    pub fn new(users: Vec<User>) -> Users {
        Users::with_max_checks(users, default_max_checks())
    }

    /// [`Users::new`] with at most `max_checks` password checks running at once.
    pub fn with_max_checks(users: Vec<User>, max_checks: usize) -> Users {
        Users {
            dummy: RwLock::new(dummy_hash(&users)),
            users: RwLock::new(users),
            verified: Mutex::new(VerifiedCache::default()),
            checks: Arc::new(Semaphore::new(max_checks.max(1))),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Adds a user, replacing one of the same name.
    pub fn upsert(&self, user: User) {
        if let Ok(mut list) = self.users.write() {
            list.retain(|u| u.name != user.name);
            list.push(user);
            let dummy = dummy_hash(&list);
            if let Ok(mut d) = self.dummy.write() {
                *d = dummy;
            }
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
    pub async fn authenticate(&self, authorization: &str) -> Option<Principal> {
        let (scheme, rest) = authorization.trim().split_once(' ')?;
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("basic") {
            let decoded = STANDARD.decode(rest).ok()?;
            let decoded = String::from_utf8(decoded).ok()?;
            let (name, password) = decoded.split_once(':')?;
            self.check_password(name, password).await
        } else if scheme.eq_ignore_ascii_case("bearer") {
            let h = token_hash(rest);
            let list = self.users.read().ok()?;
            list.iter().find(|u| u.tokens_sha256.iter().any(|t| ct_eq(t.as_bytes(), h.as_bytes()))).map(Self::principal)
        } else {
            None
        }
    }

    async fn check_password(&self, name: &str, password: &str) -> Option<Principal> {
        let user = self.users.read().ok()?.iter().find(|u| u.name == name).cloned();
        let stored = user.as_ref().and_then(|u| u.password_hash.clone());
        if let (Some(user), Some(stored)) = (&user, &stored) {
            let key = cache_key(name, password, stored);
            if self.verified.lock().map(|s| s.keys.contains(&key)).unwrap_or(false) {
                return Some(Self::principal(user));
            }
        }
        let client = CLIENT.try_with(|c| *c).ok();
        self.wait_out_failures(client).await;
        // Unknown users and users without a password check a dummy hash of the same cost.
        let (hash, real) = match &stored {
            Some(h) => (h.clone(), true),
            None => (self.dummy.read().ok()?.clone(), false),
        };
        let ok = self.verify_bounded(password, hash).await && real;
        match (ok, &user, &stored) {
            (true, Some(user), Some(stored)) => {
                if let Ok(mut s) = self.verified.lock() {
                    s.insert(cache_key(name, password, stored));
                }
                if let (Some(c), Ok(mut f)) = (client, self.failures.lock()) {
                    f.remove(&c);
                }
                Some(Self::principal(user))
            }
            _ => {
                self.note_failure(client);
                None
            }
        }
    }

    /// Runs one PBKDF2 check on the blocking pool, at most `max_checks` at a time.
    async fn verify_bounded(&self, password: &str, stored: String) -> bool {
        let Ok(_permit) = self.checks.clone().acquire_owned().await else { return false };
        let password = password.to_string();
        tokio::task::spawn_blocking(move || verify_password(&password, &stored)).await.unwrap_or(false)
    }

    /// Sleeps (without holding a worker) while this client is in its back-off.
    async fn wait_out_failures(&self, client: Option<IpAddr>) {
        let Some(client) = client else { return };
        let delay = match self.failures.lock() {
            Ok(f) => f.get(&client).map(|x| x.delay(Instant::now())).unwrap_or_default(),
            Err(_) => Duration::ZERO,
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }

    fn note_failure(&self, client: Option<IpAddr>) {
        let (Some(client), Ok(mut map)) = (client, self.failures.lock()) else { return };
        let now = Instant::now();
        if map.len() >= MAX_TRACKED_CLIENTS && !map.contains_key(&client) {
            map.retain(|_, f| now.saturating_duration_since(f.last) < FAILURE_MEMORY);
            if map.len() >= MAX_TRACKED_CLIENTS {
                // Bounded memory wins over remembering every address of a wide attack.
                map.clear();
            }
        }
        let entry = map.entry(client).or_insert(Failures { count: 0, last: now });
        if now.saturating_duration_since(entry.last) >= FAILURE_MEMORY {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }
}

fn cache_key(name: &str, password: &str, stored: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(name.as_bytes())
        .chain_update([0])
        .chain_update(password.as_bytes())
        .chain_update([0])
        .chain_update(stored.as_bytes())
        .finalize()
        .into()
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
    fn users_file_keys_are_checked() {
        let err = toml::from_str::<UsersFile>("[[user]]\nname = \"a\"\npassword = \"x\"\n").err();
        assert!(err.is_some_and(|e| e.to_string().contains("password")));
    }

    #[test]
    fn back_off_grows_and_is_bounded() {
        let now = Instant::now();
        let f = |count| Failures { count, last: now }.delay(now);
        assert_eq!(f(FREE_FAILURES - 1), Duration::ZERO);
        assert_eq!(f(FREE_FAILURES), FIRST_DELAY);
        assert_eq!(f(FREE_FAILURES + 1), FIRST_DELAY * 2);
        assert_eq!(f(u32::MAX), MAX_DELAY);
    }

    #[test]
    fn hash_and_verify() {
        let h = hash_password_with("s3cret", 10);
        assert!(verify_password("s3cret", &h));
        assert!(!verify_password("other", &h));
        assert!(!verify_password("s3cret", "plain"));
    }
}
