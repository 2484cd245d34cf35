//! The watcher: one LongPolling channel plus one subscription, driven as a stream of
//! `WatchEvent`s, with gap recovery, renewal, re-creation on loss and backoff.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::Stream;
use serde::{Deserialize, Serialize};

use super::NotifyClient;
use super::sequencer::{Sequencer, WatchEvent};
use super::subscription::SubscriptionRequest;
use crate::nms::{Error, NmsClient};
use crate::wire::segment::last_segment;
use crate::wire::{NmsEventList, NmsSubscriptionUpdate, Notification, NotificationList, SearchCriteria};

/// Subscription duration and channel lifetime asked for when the caller does not say.
pub const DEFAULT_DURATION: u64 = 3600;

/// What to watch and how patiently.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Only changes of objects and folders matching this are delivered (resetBox always is).
    pub filter: Option<SearchCriteria>,
    /// Replay every change after this position first (a token saved from an earlier run).
    pub restart_token: Option<String>,
    /// Subscription duration to ask for, seconds; renewed before it runs out.
    pub duration: Option<u64>,
    /// Channel lifetime to ask for, seconds; renewed before it runs out.
    pub channel_lifetime: Option<u64>,
    /// At most this many notifications per long-poll answer.
    pub max_notifications: Option<u64>,
    pub client_correlator: Option<String>,
    /// How long lists after a missing index are held back, waiting for it, before the
    /// subscription is rewound to the last contiguous restartToken.
    pub hold: Duration,
    /// After this long without a new list, rewind once to the last restartToken so that lost
    /// trailing lists (nothing after them to reveal the gap) are delivered again. `None`: never.
    pub tail_check: Option<Duration>,
    /// Read timeout of one long poll; must exceed the server's long-poll timeout.
    pub poll_timeout: Duration,
    /// Channel and subscription of an earlier run to continue with, when they still exist.
    pub reuse: Option<Reuse>,
    /// How many resources the duplicate filter remembers.
    pub dedup_capacity: usize,
    /// Consecutive failed calls before the stream gives up with the last error.
    pub max_failures: u32,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            filter: None,
            restart_token: None,
            duration: Some(DEFAULT_DURATION),
            channel_lifetime: Some(DEFAULT_DURATION),
            max_notifications: None,
            client_correlator: None,
            hold: Duration::from_secs(2),
            tail_check: Some(Duration::from_secs(5)),
            poll_timeout: super::DEFAULT_POLL_TIMEOUT,
            reuse: None,
            dedup_capacity: 100_000,
            max_failures: 10,
        }
    }
}

/// A channel (its resourceURL) and optionally a subscription (its resourceURL) to reuse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reuse {
    pub channel_url: String,
    #[serde(default)]
    pub subscription_url: Option<String>,
}

/// Where a watcher stands: what to delete, what to reuse, and the restartToken of the last
/// list whose events have all been handed out (safe to persist).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    #[serde(default)]
    pub channel_url: Option<String>,
    #[serde(default)]
    pub poll_url: Option<String>,
    #[serde(default)]
    pub callback_url: Option<String>,
    #[serde(default)]
    pub subscription_url: Option<String>,
    #[serde(default)]
    pub restart_token: Option<String>,
    #[serde(default)]
    pub index: Option<u64>,
}

impl Snapshot {
    /// The channel and subscription, as `WatchOptions::reuse` takes them.
    pub fn reuse(&self) -> Option<Reuse> {
        Some(Reuse { channel_url: self.channel_url.clone()?, subscription_url: self.subscription_url.clone() })
    }
}

type StepFuture = Pin<Box<dyn Future<Output = (Box<Core>, Option<Result<WatchEvent, Error>>)> + Send>>;
type PollFuture = Pin<Box<dyn Future<Output = Result<NotificationList, Error>> + Send>>;

/// A failed call, and whether retrying it can help.
#[derive(Debug)]
struct Failed {
    error: Error,
    fatal: bool,
}

impl From<Error> for Failed {
    fn from(error: Error) -> Self {
        Failed { error, fatal: false }
    }
}

/// The event stream of one box. Poll it as a `Stream`; `close` deletes the subscription and
/// the channel, `detach` leaves them on the server (to be reused with `WatchOptions::reuse`).
pub struct Watcher {
    core: Option<Box<Core>>,
    step: Option<StepFuture>,
    shared: Arc<Mutex<Snapshot>>,
    nc: NotifyClient,
    done: bool,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("snapshot", &self.snapshot()).finish_non_exhaustive()
    }
}

/// Starts watching the client's box. Nothing happens until the stream is polled; the first
/// item is `WatchEvent::Subscribed` once the channel and the subscription exist.
pub fn watch(client: &NmsClient, options: WatchOptions) -> Watcher {
    let nc = client.notify().with_poll_timeout(options.poll_timeout);
    let shared = Arc::new(Mutex::new(Snapshot { restart_token: options.restart_token.clone(), ..Default::default() }));
    let mut seq = Sequencer::new(options.dedup_capacity);
    seq.set_token(options.restart_token.clone());
    let core = Core {
        nc: nc.clone(),
        reuse: options.reuse.clone(),
        opts: options,
        chan: None,
        sub: None,
        seq,
        out: VecDeque::new(),
        poll: None,
        failures: 0,
        conflicts: 0,
        resume_at: None,
        recreated: false,
        done: false,
        shared: shared.clone(),
    };
    Watcher { core: Some(Box::new(core)), step: None, shared, nc, done: false }
}

impl Watcher {
    /// The restartToken of the last list whose events have all been yielded.
    pub fn restart_token(&self) -> Option<String> {
        self.snapshot().restart_token
    }

    pub fn snapshot(&self) -> Snapshot {
        self.shared.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Stops and deletes the subscription, then the channel. Both are attempted; the first
    /// failure other than "already gone" is returned.
    pub async fn close(mut self) -> Result<(), Error> {
        self.step = None;
        self.core = None;
        let snap = self.snapshot();
        let mut first = None;
        if let Some(url) = &snap.subscription_url
            && let Err(e) = self.nc.delete_subscription(url).await
            && !e.is_not_found()
        {
            first.get_or_insert(e);
        }
        if let Some(url) = &snap.channel_url
            && let Err(e) = self.nc.delete_channel(url).await
            && !e.is_not_found()
        {
            first.get_or_insert(e);
        }
        first.map_or(Ok(()), Err)
    }

    /// Stops without deleting anything; the snapshot says what was left on the server.
    pub fn detach(mut self) -> Snapshot {
        self.step = None;
        self.core = None;
        self.snapshot()
    }
}

impl Stream for Watcher {
    type Item = Result<WatchEvent, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        if this.step.is_none() {
            let Some(mut core) = this.core.take() else {
                return Poll::Ready(None);
            };
            this.step = Some(Box::pin(async move {
                let item = core.step().await;
                (core, item)
            }));
        }
        let Some(step) = this.step.as_mut() else {
            return Poll::Ready(None);
        };
        match step.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready((core, item)) => {
                this.step = None;
                this.core = Some(core);
                if item.is_none() {
                    this.done = true;
                }
                Poll::Ready(item)
            }
        }
    }
}

struct Chan {
    url: String,
    poll_url: String,
    callback_url: String,
    renew_at: Option<Instant>,
    reused: bool,
}

struct Sub {
    url: String,
    id: String,
    renew_at: Instant,
}

struct Core {
    nc: NotifyClient,
    opts: WatchOptions,
    reuse: Option<Reuse>,
    chan: Option<Chan>,
    sub: Option<Sub>,
    seq: Sequencer,
    out: VecDeque<WatchEvent>,
    poll: Option<PollFuture>,
    failures: u32,
    conflicts: u32,
    resume_at: Option<Instant>,
    /// The next subscription replaces one that was lost.
    recreated: bool,
    done: bool,
    shared: Arc<Mutex<Snapshot>>,
}

impl Core {
    async fn step(&mut self) -> Option<Result<WatchEvent, Error>> {
        loop {
            if let Some(event) = self.out.pop_front() {
                self.publish(&event);
                return Some(Ok(event));
            }
            if self.done {
                return None;
            }
            if let Err(failed) = self.tick().await
                && let Some(error) = self.failed(failed)
            {
                self.done = true;
                return Some(Err(error));
            }
        }
    }

    /// Records what the caller has now seen: the token only moves on checkpoints, so a token
    /// taken from the snapshot never skips an event that was not yet yielded.
    fn publish(&self, event: &WatchEvent) {
        let mut snap = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            WatchEvent::Checkpoint { restart_token, index } => {
                if restart_token.is_some() {
                    snap.restart_token = restart_token.clone();
                }
                snap.index = Some(*index);
            }
            WatchEvent::Subscribed { from_token, .. } if from_token.is_some() => {
                snap.restart_token = from_token.clone();
            }
            _ => {}
        }
        snap.channel_url = self.chan.as_ref().map(|c| c.url.clone());
        snap.poll_url = self.chan.as_ref().map(|c| c.poll_url.clone());
        snap.callback_url = self.chan.as_ref().map(|c| c.callback_url.clone());
        snap.subscription_url = self.sub.as_ref().map(|s| s.url.clone());
    }

    fn publish_ids(&self) {
        let mut snap = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        snap.channel_url = self.chan.as_ref().map(|c| c.url.clone());
        snap.poll_url = self.chan.as_ref().map(|c| c.poll_url.clone());
        snap.callback_url = self.chan.as_ref().map(|c| c.callback_url.clone());
        snap.subscription_url = self.sub.as_ref().map(|s| s.url.clone());
    }

    /// Decides between giving up and retrying later; a retry is announced as a notice.
    fn failed(&mut self, failed: Failed) -> Option<Error> {
        if failed.fatal || is_fatal(&failed.error) || self.failures >= self.opts.max_failures {
            return Some(failed.error);
        }
        // 429/503 answers were already retried by the client's engine with their Retry-After;
        // what is left gets an exponential pause before the watcher tries again.
        let delay = backoff(self.failures);
        self.failures += 1;
        self.resume_at = Some(Instant::now() + delay);
        self.out.push_back(WatchEvent::Retrying { reason: failed.error.to_string(), delay });
        None
    }

    async fn tick(&mut self) -> Result<(), Failed> {
        if let Some(at) = self.resume_at.take() {
            tokio::time::sleep_until(at.into()).await;
        }
        if self.chan.is_none() {
            self.open_channel().await?;
        }
        if self.sub.is_none() {
            return self.open_subscription().await;
        }
        let now = Instant::now();
        if self.seq.gap_deadline(self.opts.hold).is_some_and(|t| now >= t) {
            return self.recover_gap().await;
        }
        if self.sub.as_ref().is_some_and(|s| now >= s.renew_at) {
            return self.rewind().await.map(|_| ());
        }
        if self.tail_due().is_some_and(|t| now >= t) {
            return self.check_tail().await;
        }
        if self.chan.as_ref().and_then(|c| c.renew_at).is_some_and(|t| now >= t) {
            return self.renew_channel().await;
        }
        self.poll_once().await
    }

    /// Waits for the long poll or the next timer, whichever comes first; an unfinished poll
    /// stays open for the next tick.
    async fn poll_once(&mut self) -> Result<(), Failed> {
        let deadline = self.next_deadline();
        let Some(chan) = self.chan.as_ref() else { return Ok(()) };
        let poll = self.poll.get_or_insert_with(|| {
            let nc = self.nc.clone();
            let url = chan.poll_url.clone();
            let timeout = self.opts.poll_timeout;
            Box::pin(async move { nc.poll_with(&url, timeout).await })
        });
        let result = match deadline {
            Some(at) => tokio::select! {
                r = poll => Some(r),
                _ = tokio::time::sleep_until(at.into()) => None,
            },
            None => Some(poll.await),
        };
        let Some(result) = result else { return Ok(()) };
        self.poll = None;
        match result {
            Ok(list) => {
                self.failures = 0;
                self.conflicts = 0;
                self.take(list);
                Ok(())
            }
            // Another poll on the channel took over: poll again, spacing out repeated conflicts
            // so that two pollers of one channel do not spin.
            Err(e) if e.status() == Some(409) => {
                self.conflicts += 1;
                if self.conflicts > 2 {
                    self.resume_at =
                        Some(Instant::now() + Duration::from_millis(250 * u64::from(self.conflicts.min(8))));
                }
                Ok(())
            }
            Err(e) if e.is_not_found() => {
                self.channel_lost();
                Ok(())
            }
            // Our read timeout: the server kept the poll longer than expected; just poll again.
            Err(Error::Timeout) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    fn next_deadline(&self) -> Option<Instant> {
        [
            self.seq.gap_deadline(self.opts.hold),
            self.sub.as_ref().map(|s| s.renew_at),
            self.tail_due(),
            self.chan.as_ref().and_then(|c| c.renew_at),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn tail_due(&self) -> Option<Instant> {
        let wait = self.opts.tail_check?;
        if !self.seq.dirty() || self.seq.first_held().is_some() || self.seq.token().is_none() {
            return None;
        }
        self.seq.last_release().map(|t| t + wait)
    }

    fn take(&mut self, list: NotificationList) {
        let now = Instant::now();
        for n in list.notifications {
            if let Notification::NmsEventList(l) = n
                && self.ours(&l)
            {
                self.seq.push(l, now, &mut self.out);
            }
        }
    }

    /// Lists of another subscription delivered to the same channel are not ours to sequence.
    fn ours(&self, list: &NmsEventList) -> bool {
        match (list.subscription_href(), &self.sub) {
            (Some(href), Some(sub)) => last_segment(href) == sub.id,
            _ => true,
        }
    }

    fn channel_lost(&mut self) {
        self.chan = None;
        self.poll = None;
        self.publish_ids();
    }

    async fn open_channel(&mut self) -> Result<(), Failed> {
        self.poll = None;
        if let Some(reuse) = self.reuse.clone() {
            match self.nc.get_channel(&reuse.channel_url).await {
                Ok(ch) => {
                    if let Some(chan) = chan_from(ch, Some(reuse.channel_url.clone()), true) {
                        self.chan = Some(chan);
                        self.publish_ids();
                        return Ok(());
                    }
                    self.reuse = None;
                }
                Err(e) if e.is_not_found() => self.reuse = None,
                Err(e) => return Err(e.into()),
            }
        }
        let created = self
            .nc
            .create_channel(
                self.opts.max_notifications,
                self.opts.channel_lifetime,
                self.opts.client_correlator.as_deref(),
            )
            .await
            // No channel resource at all: retrying will not make one appear.
            .map_err(|error| Failed { fatal: error.is_not_found(), error })?;
        let Some(chan) = chan_from(created, None, false) else {
            return Err(Failed::from(Error::decode("channel creation", "no channel URLs in the answer")));
        };
        self.chan = Some(chan);
        if let Some(old) = self.sub.take() {
            // It delivers to the channel that is gone; a new one follows on the new channel.
            let _ = self.nc.delete_subscription(&old.url).await;
            self.recreated = true;
        }
        self.publish_ids();
        Ok(())
    }

    async fn open_subscription(&mut self) -> Result<(), Failed> {
        let Some(chan) = self.chan.as_ref() else { return Ok(()) };
        let from = self.seq.token().map(str::to_string);
        let reusable = self.reuse.take().filter(|_| chan.reused).and_then(|r| r.subscription_url);
        if let Some(url) = reusable {
            let update = NmsSubscriptionUpdate { duration: self.opts.duration, restart_token: from.clone() };
            match self.nc.update_subscription(&url, &update).await {
                Ok(answer) => {
                    let id = last_segment(&url);
                    self.sub = Some(Sub {
                        url: url.clone(),
                        id,
                        renew_at: Instant::now() + renew_after(answer.duration.or(update.duration)),
                    });
                    self.seq.rewound(answer.index, None, &mut self.out);
                    if from.is_some() {
                        self.seq.arm(Instant::now());
                    }
                    self.subscribed(from, false);
                    return Ok(());
                }
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(e.into()),
            }
        }
        let mut request = SubscriptionRequest {
            notify_url: chan.callback_url.clone(),
            duration: self.opts.duration,
            client_correlator: self.opts.client_correlator.clone(),
            filter: self.opts.filter.clone(),
            restart_token: from.clone(),
        };
        let created = match self.nc.create_subscription(&request).await {
            Err(e) if e.status() == Some(400) && request.restart_token.is_some() && rejects_token(&e) => {
                // A server that rejects an unknown or expired token instead of answering resetBox
                // (../shared/docs/nms-protocol.md §5.3): start from now and tell the caller its
                // view is stale.
                request.restart_token = None;
                let created = self.nc.create_subscription(&request).await.map_err(fatal_on_400)?;
                self.out.push_back(WatchEvent::Reset { restart_token: created.restart_token.clone(), index: 0 });
                created
            }
            other => other.map_err(fatal_on_400)?,
        };
        let url = created.resource_url.clone().unwrap_or_default();
        self.sub = Some(Sub {
            id: last_segment(&url),
            url,
            renew_at: Instant::now() + renew_after(created.duration.or(self.opts.duration)),
        });
        let replaying = request.restart_token.is_some();
        let start = created.restart_token.clone().or(request.restart_token);
        self.seq.restarted(created.index, start.clone(), &mut self.out);
        if replaying {
            self.seq.arm(Instant::now());
        }
        let recreated = std::mem::take(&mut self.recreated);
        self.subscribed(start, recreated);
        Ok(())
    }

    fn subscribed(&mut self, from_token: Option<String>, recreated: bool) {
        let (Some(chan), Some(sub)) = (self.chan.as_ref(), self.sub.as_ref()) else { return };
        self.out.push_back(WatchEvent::Subscribed {
            subscription_url: sub.url.clone(),
            channel_url: chan.url.clone(),
            from_token,
            next_index: self.seq.next_index(),
            recreated,
        });
    }

    /// Lists after a missing index waited long enough: rewind to the last contiguous token.
    async fn recover_gap(&mut self) -> Result<(), Failed> {
        let missing_from = self.seq.next_index().unwrap_or(0);
        let from = self.seq.token().map(str::to_string);
        if from.is_none() {
            // Nothing to rewind to: what is missing is lost; carry on with what came.
            self.out.push_back(WatchEvent::Recovered { from_token: None, missing_from });
            self.seq.skip_gap(&mut self.out);
            return Ok(());
        }
        if self.rewind().await? {
            self.out.push_back(WatchEvent::Recovered { from_token: from, missing_from });
        }
        Ok(())
    }

    /// Nothing arrived for a while after the last list: ask the subscription for the index of
    /// its next list. One beyond ours means lists were sent and lost with nothing after them
    /// to show the gap, so rewind; equal means all is here. A server that does not say
    /// gets a rewind (replaying nothing when nothing was lost).
    async fn check_tail(&mut self) -> Result<(), Failed> {
        let Some(sub) = self.sub.as_ref() else { return Ok(()) };
        match self.nc.get_subscription(&sub.url).await {
            Ok(answer) => match (answer.index, self.seq.next_index()) {
                (Some(theirs), Some(ours)) if theirs <= ours => {
                    self.seq.settle();
                    Ok(())
                }
                _ => self.rewind().await.map(|_| ()),
            },
            Err(e) if e.is_not_found() => {
                self.sub = None;
                self.recreated = true;
                self.publish_ids();
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Updates the subscription with the duration and the last contiguous token: it renews it
    /// and makes the server replay everything after the token, from the index it answers.
    /// False when the subscription is gone (it is re-created on the next tick).
    async fn rewind(&mut self) -> Result<bool, Failed> {
        let Some(sub) = self.sub.as_ref() else { return Ok(false) };
        let token = self.seq.token().map(str::to_string);
        let update = NmsSubscriptionUpdate { duration: self.opts.duration, restart_token: token.clone() };
        match self.nc.update_subscription(&sub.url, &update).await {
            Ok(answer) => {
                if let Some(sub) = self.sub.as_mut() {
                    sub.renew_at = Instant::now() + renew_after(answer.duration.or(update.duration));
                }
                if token.is_some() {
                    self.seq.rewound(answer.index, None, &mut self.out);
                    // The replay itself may get lost as a whole: check once it should be here.
                    self.seq.arm(Instant::now());
                }
                Ok(true)
            }
            Err(e) if e.is_not_found() => {
                self.sub = None;
                self.recreated = true;
                self.publish_ids();
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn renew_channel(&mut self) -> Result<(), Failed> {
        let Some(chan) = self.chan.as_ref() else { return Ok(()) };
        let wanted = self.opts.channel_lifetime.unwrap_or(DEFAULT_DURATION);
        match self.nc.set_channel_lifetime(&chan.url, wanted).await {
            Ok(granted) => {
                if let Some(chan) = self.chan.as_mut() {
                    chan.renew_at = Some(Instant::now() + renew_after(Some(granted)));
                }
                Ok(())
            }
            Err(e) if e.is_not_found() => {
                self.channel_lost();
                Ok(())
            }
            Err(e) => Err(e.into()),
        }
    }
}

fn chan_from(ch: crate::wire::NotificationChannel, known_url: Option<String>, reused: bool) -> Option<Chan> {
    let url = ch.resource_url.clone().or(known_url)?;
    let poll_url = ch.channel_data.as_ref()?.channel_url.clone()?;
    let callback_url = ch.callback_url.clone()?;
    let renew_at = Some(Instant::now() + renew_after(ch.channel_lifetime));
    Some(Chan { url, poll_url, callback_url, renew_at, reused })
}

/// Renew a little before expiry: 6 minutes early as Samsung does, or a quarter of the time
/// for short durations.
fn renew_after(granted: Option<u64>) -> Duration {
    let secs = match granted {
        Some(0) | None => DEFAULT_DURATION,
        Some(s) => s,
    };
    let margin = (secs / 4).clamp(1, 360);
    Duration::from_secs(secs.saturating_sub(margin).max(1))
}

fn backoff(attempt: u32) -> Duration {
    let cap = Duration::from_millis(500).saturating_mul(1 << attempt.min(8)).min(Duration::from_secs(30));
    let half = cap / 2;
    half + half.mul_f64(rand::random_range(0.0..=1.0f64))
}

fn is_fatal(e: &Error) -> bool {
    e.is_auth() || matches!(e, Error::Invalid(_)) || matches!(e.status(), Some(400 | 405 | 501))
}

fn fatal_on_400(error: Error) -> Failed {
    Failed { fatal: error.status() == Some(400), error }
}

/// Whether a 400 to a subscription with a restartToken may be the token's fault, judged by
/// the message part the requestError names in its variables (never by its text, which is
/// free wording): the token when named; otherwise anything but the callback (an error
/// naming notifyURL or callbackReference would fail again without the token). A 400
/// without a requestError body names nothing and counts as the token's.
fn rejects_token(e: &Error) -> bool {
    e.names_part("restartToken") || !(e.names_part("notifyURL") || e.names_part("callbackReference"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_comes_before_expiry() {
        assert_eq!(renew_after(Some(3600)), Duration::from_secs(3240));
        assert_eq!(renew_after(Some(4)), Duration::from_secs(3));
        assert_eq!(renew_after(Some(1)), Duration::from_secs(1));
        assert_eq!(renew_after(None), Duration::from_secs(3240));
    }

    #[test]
    fn subscription_ids_come_from_the_last_segment() {
        assert_eq!(last_segment("http://h/nms/v1/cpm/b/subscriptions/ab%3Ac/"), "ab:c");
        assert_eq!(last_segment("subscriptions/x?y=1"), "x");
    }
}
