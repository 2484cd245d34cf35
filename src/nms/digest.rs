//! HTTP Digest authentication (RFC 7616: MD5 and SHA-256, qop=auth, nonce counting,
//! stale nonces) over the `http-auth` crate, which computes the responses; this module keeps
//! the one challenge a client is answering and decides when a 401 is worth a retry.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use http_auth::{ChallengeRef, DigestClient, PasswordParams, digest::Algorithm};
use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use url::Url;

/// The Digest challenge a client answers, shared by all its requests (and clones) so that the
/// nonce count keeps increasing across requests, as RFC 7616 §3.4 asks.
#[derive(Default)]
pub(crate) struct DigestState {
    current: Mutex<Option<DigestClient>>,
    /// Put the request-target percent-decoded in `uri`: T-Mobile's mStore computes the
    /// digest over the decoded path (../shared/docs/nms-protocol.md, authentication), RFC 7616 servers over
    /// the target as sent. Switched on when only the decoded form is accepted.
    decoded_uri: AtomicBool,
}

/// How the refused request was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Answered {
    /// Not with Digest (nothing, or a preemptive Basic header).
    No,
    /// With a Digest answer to a challenge taken by an earlier call (a reused nonce).
    Reused,
    /// With a Digest answer to a challenge this very call received.
    Fresh,
}

/// What to do after a 401 when a password is at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnUnauthorized {
    /// A new (or renewed, `stale=true`) Digest challenge was taken: send the request again.
    Retry,
    /// Nothing to answer with, or the password itself was refused: surface the 401.
    Fail,
}

impl DigestState {
    /// Whether a Digest challenge has been taken (the server speaks Digest).
    pub fn active(&self) -> bool {
        self.current.lock().map(|c| c.is_some()).unwrap_or(false)
    }

    /// The `Authorization` value for one request, counting the nonce up; `None` before any
    /// challenge (or when the challenge cannot be answered, e.g. no `qop=auth`).
    pub fn header(&self, user: &str, password: &str, method: &str, url: &Url) -> Option<HeaderValue> {
        let mut guard = self.current.lock().ok()?;
        let client = guard.as_mut()?;
        // The request-target as it goes on the request line (origin form).
        let target = &url[url::Position::BeforePath..url::Position::AfterQuery];
        let decoded;
        let uri = if self.decoded_uri.load(Ordering::Relaxed) {
            decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
            &*decoded
        } else {
            target
        };
        let params = PasswordParams { username: user, password, uri, method, body: None };
        let value = client.respond(&params).ok()?;
        let mut value = HeaderValue::from_str(&value).ok()?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Takes the Digest challenge of a 401 to `url`. After no Digest answer, or one with a
    /// nonce from an earlier call (servers may refuse reuse without saying `stale`), any
    /// challenge is worth a try. After an answer to this call's own challenge, only
    /// `stale=true` is, or, once, the decoded `uri` form; otherwise the password is wrong.
    pub fn on_unauthorized(&self, headers: &HeaderMap, answered: Answered, url: &Url) -> OnUnauthorized {
        let Some(next) = best_challenge(headers) else {
            return OnUnauthorized::Fail;
        };
        if answered == Answered::Fresh && !next.stale() {
            let target = &url[url::Position::BeforePath..url::Position::AfterQuery];
            let differs = percent_encoding::percent_decode_str(target).decode_utf8_lossy() != target;
            if !differs || self.decoded_uri.swap(true, Ordering::Relaxed) {
                return OnUnauthorized::Fail;
            }
        }
        match self.current.lock() {
            Ok(mut guard) => {
                *guard = Some(next);
                OnUnauthorized::Retry
            }
            Err(_) => OnUnauthorized::Fail,
        }
    }
}

/// The strongest answerable Digest challenge among the `WWW-Authenticate` headers
/// (SHA-256 before MD5, as RFC 7616 §3.7 lets a server offer both). Unparseable or
/// unsupported challenges are skipped.
fn best_challenge(headers: &HeaderMap) -> Option<DigestClient> {
    let mut best: Option<DigestClient> = None;
    for value in headers.get_all(WWW_AUTHENTICATE) {
        let Ok(text) = value.to_str() else { continue };
        // Bounded: a header is already limited by the HTTP stack, and parsing is linear.
        let Ok(challenges) = http_auth::parse_challenges(text) else { continue };
        for c in challenges.iter().filter(|c| c.scheme.eq_ignore_ascii_case("Digest")) {
            let Ok(client) = DigestClient::try_from(c as &ChallengeRef<'_>) else { continue };
            let better = match &best {
                None => true,
                Some(b) => rank(client.algorithm()) > rank(b.algorithm()),
            };
            if better {
                best = Some(client);
            }
        }
    }
    best
}

fn rank(a: Algorithm) -> u8 {
    match a {
        Algorithm::Sha256 => 2,
        Algorithm::Md5 => 0,
        // SHA-512/256 and whatever later versions of the crate add.
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(text: &str) -> DigestClient {
        let parsed = http_auth::parse_challenges(text).unwrap();
        DigestClient::try_from(&parsed[0]).unwrap()
    }

    /// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
    #[test]
    fn rfc7616_section_3_9_1_vectors() {
        let params = PasswordParams {
            username: "Mufasa",
            password: "Circle of Life",
            uri: "/dir/index.html",
            method: "GET",
            body: None,
        };
        let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        let common = "realm=\"http-auth@example.org\", qop=\"auth, auth-int\", \
                      nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
                      opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
        let mut md5 = challenge(&format!("Digest {common}, algorithm=MD5"));
        let out = md5.respond_with_testing_cnonce(&params, cnonce).unwrap();
        assert!(out.contains("response=\"8ca523f5e9506fed4657c9700eebdbec\""), "{out}");
        assert!(out.contains("nc=00000001") && out.contains("qop=auth"), "{out}");
        let mut sha = challenge(&format!("Digest {common}, algorithm=SHA-256"));
        let out = sha.respond_with_testing_cnonce(&params, cnonce).unwrap();
        assert!(out.contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\""), "{out}");
        // The next request with the same nonce counts up.
        let out = sha.respond_with_testing_cnonce(&params, cnonce).unwrap();
        assert!(out.contains("nc=00000002"), "{out}");
    }

    #[test]
    fn strongest_challenge_wins_and_stale_decides_retries() {
        let mut h = HeaderMap::new();
        h.append(WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"r\""));
        h.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Digest realm=\"r\", nonce=\"n1\", qop=\"auth\", algorithm=MD5"),
        );
        h.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Digest realm=\"r\", nonce=\"n2\", qop=\"auth\", algorithm=SHA-256"),
        );
        let best = best_challenge(&h).unwrap();
        assert_eq!((best.algorithm(), best.nonce()), (Algorithm::Sha256, "n2"));

        let state = DigestState::default();
        let plain = Url::parse("http://h/a/b").unwrap();
        assert!(!state.active());
        assert_eq!(state.on_unauthorized(&h, Answered::No, &plain), OnUnauthorized::Retry);
        assert!(state.active());
        // A reused nonce refused: the new challenge is tried.
        assert_eq!(state.on_unauthorized(&h, Answered::Reused, &plain), OnUnauthorized::Retry);
        // Refused although answered fresh, and not stale: the password is wrong.
        assert_eq!(state.on_unauthorized(&h, Answered::Fresh, &plain), OnUnauthorized::Fail);
        // …unless the target has escapes: then the decoded form is tried once.
        let escaped = Url::parse("http://h/nms/v1/ums/tel%3A%2B1/objects").unwrap();
        assert_eq!(state.on_unauthorized(&h, Answered::Fresh, &escaped), OnUnauthorized::Retry);
        let v = state.header("u", "p", "GET", &escaped).unwrap();
        assert!(v.to_str().unwrap().contains("uri=\"/nms/v1/ums/tel:+1/objects\""), "{v:?}");
        assert_eq!(state.on_unauthorized(&h, Answered::Fresh, &escaped), OnUnauthorized::Fail);
        let mut stale = HeaderMap::new();
        stale.insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Digest realm=\"r\", nonce=\"n3\", qop=\"auth\", stale=true"),
        );
        let state = DigestState::default();
        assert_eq!(state.on_unauthorized(&stale, Answered::Fresh, &plain), OnUnauthorized::Retry);
        let url = Url::parse("http://h/a/b?c=d").unwrap();
        let v = state.header("u", "p", "GET", &url).unwrap();
        let text = v.to_str().unwrap();
        assert!(text.contains("nonce=\"n3\"") && text.contains("uri=\"/a/b?c=d\"") && text.contains("nc=00000001"));
        assert!(v.is_sensitive());
        // No Digest challenge at all (Basic only, or garbage): nothing to retry with.
        let mut basic = HeaderMap::new();
        basic.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"r\""));
        assert_eq!(DigestState::default().on_unauthorized(&basic, Answered::No, &plain), OnUnauthorized::Fail);
        basic.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Digest ,,,=\"\""));
        assert_eq!(DigestState::default().on_unauthorized(&basic, Answered::No, &plain), OnUnauthorized::Fail);
    }
}
