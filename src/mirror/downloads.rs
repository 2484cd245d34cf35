//! The listing's payload downloads: `--concurrency` at a time across page boundaries (the next
//! page's start as this page's last ones finish), run by one task of their own so that they go
//! on while the listing waits for a batch to be written.

use std::collections::{HashMap, VecDeque};

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use tokio::sync::{mpsc, oneshot};

use super::MirrorError;
use super::store::{self, PayloadRefs};
use crate::formats::PartBytes;
use crate::nms::NmsClient;

/// A download's outcome: the object's payload parts.
pub(super) type Fetched = Result<Vec<PartBytes>, MirrorError>;

/// A page's downloads, by object id, once all of them finished.
pub(super) type PageDownloads = oneshot::Receiver<HashMap<String, Fetched>>;

/// One page's downloads for the task: what to fetch, and where to say it is done.
type Request = (Vec<(String, PayloadRefs)>, oneshot::Sender<HashMap<String, Fetched>>);

/// The download task's handle: pages are queued in order and downloaded in that order, at most
/// `limit` objects in flight. Dropping it stops the task and every download in flight.
///
/// The downloads are polled by that one task, not a task each: a task per download (woken on
/// another worker, a semaphore between them) cost the client about a sixth more CPU per object.
pub(super) struct Downloads {
    requests: mpsc::UnboundedSender<Request>,
    _task: AbortOnDrop,
}

impl Downloads {
    /// Starts the task that downloads payloads from `client`'s store.
    pub(super) fn start(client: &NmsClient, limit: usize) -> Downloads {
        let client = client.clone();
        Downloads::start_with(limit, move |refs| {
            let client = client.clone();
            Box::pin(async move { store::payload_by(&client, &refs.parts, refs.url.as_deref()).await })
        })
    }

    /// [`Downloads::start`] with what one download is.
    fn start_with(
        limit: usize,
        fetch: impl Fn(PayloadRefs) -> BoxFuture<'static, Fetched> + Send + 'static,
    ) -> Downloads {
        let (requests, inbox) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(fetch, limit.max(1), inbox));
        Downloads { requests, _task: AbortOnDrop(task) }
    }

    /// Queues one page's downloads behind those queued before; the receiver gets their outcomes
    /// (or is closed, should the task be gone: the page's objects are then fetched one by one).
    pub(super) fn queue(&self, items: Vec<(String, PayloadRefs)>) -> PageDownloads {
        let (done, outcomes) = oneshot::channel();
        if let Err(mpsc::error::SendError((_, done))) = self.requests.send((items, done)) {
            drop(done);
        }
        outcomes
    }
}

/// The task: takes pages in, keeps `limit` downloads running, hands each page its outcomes when
/// the last of them is in.
async fn run(
    fetch: impl Fn(PayloadRefs) -> BoxFuture<'static, Fetched>,
    limit: usize,
    mut inbox: mpsc::UnboundedReceiver<Request>,
) {
    let mut queue: VecDeque<(u64, String, PayloadRefs)> = VecDeque::new();
    let mut running: FuturesUnordered<BoxFuture<'static, (u64, String, Fetched)>> = FuturesUnordered::new();
    // Per page: downloads not finished yet, their outcomes so far, and its receiver.
    let mut pages: HashMap<u64, Pending> = HashMap::new();
    let (mut next, mut open) = (0u64, true);
    loop {
        while running.len() < limit {
            let Some((page, id, refs)) = queue.pop_front() else { break };
            let download = fetch(refs);
            running.push(Box::pin(async move { (page, id, download.await) }));
        }
        if running.is_empty() && !open {
            return;
        }
        tokio::select! {
            request = inbox.recv(), if open => match request {
                Some((items, done)) => {
                    let page = next;
                    next += 1;
                    let pending = Pending { left: items.len(), outcomes: HashMap::with_capacity(items.len()), done };
                    queue.extend(items.into_iter().map(|(id, refs)| (page, id, refs)));
                    if pending.left == 0 {
                        let _ = pending.done.send(pending.outcomes);
                    } else {
                        pages.insert(page, pending);
                    }
                }
                None => open = false,
            },
            Some((page, id, fetched)) = running.next(), if !running.is_empty() => {
                let finished = pages.get_mut(&page).is_some_and(|p| {
                    p.outcomes.insert(id, fetched);
                    p.left -= 1;
                    p.left == 0
                });
                if finished && let Some(p) = pages.remove(&page) {
                    let _ = p.done.send(p.outcomes);
                }
            }
        }
    }
}

/// A page whose downloads are not all in yet.
struct Pending {
    left: usize,
    outcomes: HashMap<String, Fetched>,
    done: oneshot::Sender<HashMap<String, Fetched>>,
}

/// Aborts a task when dropped.
pub(super) struct AbortOnDrop(pub(super) tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;

    /// A fake download whose payload is its url, taking as many milliseconds as `ms=` says,
    /// logging when it starts and ends.
    fn fake(log: Arc<Mutex<Vec<String>>>) -> impl Fn(PayloadRefs) -> BoxFuture<'static, Fetched> + Send + 'static {
        move |refs| {
            let log = log.clone();
            Box::pin(async move {
                let url = refs.url.unwrap_or_default();
                let ms = url.rsplit("ms=").next().and_then(|m| m.parse().ok()).unwrap_or(1);
                log.lock().expect("log").push(format!("start {url}"));
                tokio::time::sleep(Duration::from_millis(ms)).await;
                log.lock().expect("log").push(format!("end {url}"));
                Ok(vec![PartBytes { bytes: url.into_bytes(), ..PartBytes::default() }])
            })
        }
    }

    fn items(page: &str, ms: &[u64]) -> Vec<(String, PayloadRefs)> {
        ms.iter()
            .enumerate()
            .map(|(i, ms)| {
                let id = format!("{page}{i}");
                (id.clone(), PayloadRefs { parts: Vec::new(), url: Some(format!("{id}?ms={ms}")) })
            })
            .collect()
    }

    /// The next page's downloads start while this page's slowest is still in flight, never more
    /// than `limit` run at once, and each page gets exactly its own outcomes.
    #[tokio::test(start_paused = true)]
    async fn the_next_page_starts_before_this_one_ends_and_the_limit_holds() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let downloads = Downloads::start_with(3, fake(log.clone()));
        let a = downloads.queue(items("a", &[10, 10, 10, 10, 100]));
        let empty = downloads.queue(Vec::new());
        let b = downloads.queue(items("b", &[10, 10, 10, 10]));
        let b = b.await.expect("page b");
        assert!(empty.await.expect("an empty page").is_empty());
        let a = a.await.expect("page a");

        let log = log.lock().expect("log").clone();
        let at = |what: &str| log.iter().position(|l| l.starts_with(what)).expect(what);
        assert!(at("start b0") < at("end a4"), "page b waited for page a: {log:?}");
        let mut running = 0usize;
        for l in &log {
            running = if l.starts_with("start") { running + 1 } else { running - 1 };
            assert!(running <= 3, "more than 3 in flight: {log:?}");
        }
        for (page, want) in [(&a, 5), (&b, 4)] {
            assert_eq!(page.len(), want);
            for (id, fetched) in page {
                let parts = fetched.as_ref().expect("fetched");
                assert!(parts[0].bytes.starts_with(id.as_bytes()), "{id} got another's payload");
            }
        }
    }
}
