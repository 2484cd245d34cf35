//! Retry policy: which failures are retried, and how long to wait before the next attempt
//! (exponential backoff with full jitter; `Retry-After` honoured on 429/503).

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Give up and surface the error.
    Stop,
    /// Retry after the computed backoff.
    Backoff,
    /// Retry after exactly this delay (the server's `Retry-After`).
    After(Duration),
}

/// Backoff parameters, copied from the client configuration.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub retries: u32,
    pub base: Duration,
    pub max_backoff: Duration,
    /// A `Retry-After` longer than this is not waited for: the error is surfaced instead.
    pub max_retry_after: Duration,
}

impl Policy {
    /// The delay before retry number `attempt` (0-based): `base * 2^attempt`, capped, with
    /// full jitter in its upper half so that parallel clients spread out.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base.saturating_mul(1u32 << attempt.min(16));
        let cap = exp.min(self.max_backoff);
        let half = cap / 2;
        let jitter = rand::random_range(0.0..=1.0f64);
        half + half.mul_f64(jitter)
    }

    /// What to do after an error status. 429 says the request was not processed, so it is
    /// retried for every method; 5xx only for idempotent requests, because a POST may have
    /// taken effect before the server failed.
    pub fn on_status(&self, status: StatusCode, headers: &HeaderMap, idempotent: bool) -> Verdict {
        let code = status.as_u16();
        let retryable = code == 429 || (idempotent && matches!(code, 408 | 500 | 502 | 503 | 504));
        if !retryable {
            return Verdict::Stop;
        }
        if matches!(code, 429 | 503)
            && let Some(wait) = retry_after(headers, std::time::SystemTime::now())
        {
            return if wait > self.max_retry_after { Verdict::Stop } else { Verdict::After(wait) };
        }
        Verdict::Backoff
    }

    /// What to do after a transport error. A connection that could not be made never
    /// reached the server, so it is safe to retry for every method.
    pub fn on_transport(&self, connect_failed: bool, idempotent: bool) -> Verdict {
        if connect_failed || idempotent { Verdict::Backoff } else { Verdict::Stop }
    }

    pub fn delay(&self, verdict: Verdict, attempt: u32) -> Option<Duration> {
        match verdict {
            Verdict::Stop => None,
            Verdict::Backoff => Some(self.backoff(attempt)),
            Verdict::After(d) => Some(d),
        }
    }
}

/// `Retry-After` as a wait from `now`: delay-seconds, or an HTTP-date (a date already past
/// means "now"). An unreadable value is ignored (the normal backoff applies).
pub fn retry_after(headers: &HeaderMap, now: std::time::SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            retries: 4,
            base: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(60),
        }
    }

    #[test]
    fn backoff_grows_and_caps() {
        let p = policy();
        for attempt in 0..10 {
            let d = p.backoff(attempt);
            let cap = (Duration::from_millis(100) * 2u32.pow(attempt)).min(Duration::from_secs(1));
            assert!(d >= cap / 2 && d <= cap, "{attempt}: {d:?}");
        }
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let now = httpdate::parse_http_date("Tue, 24 Nov 2026 16:00:00 GMT").unwrap();
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "Tue, 24 Nov 2026 16:00:07 GMT".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(7)));
        h.insert(RETRY_AFTER, "Tue, 24 Nov 2026 15:59:00 GMT".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, " 5 ".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(5)));
    }

    #[test]
    fn verdicts() {
        let p = policy();
        let mut h = HeaderMap::new();
        assert_eq!(p.on_status(StatusCode::INTERNAL_SERVER_ERROR, &h, false), Verdict::Stop);
        assert_eq!(p.on_status(StatusCode::INTERNAL_SERVER_ERROR, &h, true), Verdict::Backoff);
        assert_eq!(p.on_status(StatusCode::NOT_FOUND, &h, true), Verdict::Stop);
        h.insert(RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(p.on_status(StatusCode::TOO_MANY_REQUESTS, &h, false), Verdict::After(Duration::from_secs(2)));
        h.insert(RETRY_AFTER, "3600".parse().unwrap());
        assert_eq!(p.on_status(StatusCode::SERVICE_UNAVAILABLE, &h, true), Verdict::Stop);
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(p.on_status(StatusCode::TOO_MANY_REQUESTS, &h, false), Verdict::Backoff);
        assert_eq!(p.on_transport(true, false), Verdict::Backoff);
        assert_eq!(p.on_transport(false, false), Verdict::Stop);
    }
}
