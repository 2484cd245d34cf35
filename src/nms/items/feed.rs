//! Streaming an item list (arguments plus ids from stdin, `-`) into bulk batches as the lines
//! arrive, in bounded memory: `search --all -o ndjson | cpmctl rm --yes -` starts deleting
//! with the first 100 ids and never holds the whole list.

use std::collections::{HashSet, VecDeque};
use std::io::BufRead;
use std::sync::Arc;
use std::time::Duration;

use futures::Stream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::nms::{FolderListFilter, NmsClient};

use super::Error;
use super::resolve::{self, Item, Kind};
use super::targets::Target;

/// How many recent items duplicate detection remembers. A list longer than this may repeat
/// an id unnoticed only if the two copies are more than this many items apart; `search`
/// and `ls` never print an object twice, and the cost of a missed duplicate is one extra
/// request whose "not found" is reported for that line (the object is gone either way).
pub const DEDUP_WINDOW: usize = 10_000;

/// Lines read ahead of the parser: enough to keep the reader thread busy, small in memory.
const LINE_QUEUE: usize = 1024;

/// A partial batch is sent when no new line came for this long, so a slow producer (or an
/// interactive feed) does not leave up to 99 items waiting for stdin to end.
const IDLE_FLUSH: Duration = Duration::from_millis(200);

/// Exact duplicate detection over the last `cap` keys inserted (a bounded window instead of
/// a set of every id ever seen).
pub struct RecentSet {
    set: HashSet<Arc<str>>,
    order: VecDeque<Arc<str>>,
    cap: usize,
}

impl RecentSet {
    pub fn new(cap: usize) -> Self {
        RecentSet { set: HashSet::new(), order: VecDeque::new(), cap: cap.max(1) }
    }

    /// False when `key` is already in the window; otherwise remembers it (forgetting the
    /// oldest key once full).
    pub fn insert(&mut self, key: &str) -> bool {
        if self.set.contains(key) {
            return false;
        }
        if self.order.len() >= self.cap
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        let key: Arc<str> = Arc::from(key);
        self.set.insert(Arc::clone(&key));
        self.order.push_back(key);
        true
    }
}

/// The targets of a command line in order, with `-` read from stdin line by line as it
/// comes (a reader thread feeds a bounded queue).
pub struct Targets {
    args: std::vec::IntoIter<String>,
    lines: Option<mpsc::Receiver<std::io::Result<String>>>,
    line_no: usize,
    peeked: Option<Target>,
}

impl Targets {
    pub fn new(args: Vec<String>) -> Result<Self, Error> {
        if args.iter().filter(|a| *a == "-").count() > 1 {
            return Err(Error::Usage("`-` (stdin) can be given only once".into()));
        }
        Ok(Targets { args: args.into_iter(), lines: None, line_no: 0, peeked: None })
    }

    /// Whether any target is left (reads ahead one when needed).
    pub async fn is_empty(&mut self) -> Result<bool, Error> {
        if self.peeked.is_none() {
            self.peeked = self.next().await?;
        }
        Ok(self.peeked.is_none())
    }

    /// The next target; `None` at the end. Cancel-safe: a cancelled call loses no line.
    pub async fn next(&mut self) -> Result<Option<Target>, Error> {
        if let Some(t) = self.peeked.take() {
            return Ok(Some(t));
        }
        loop {
            if let Some(rx) = &mut self.lines {
                match rx.recv().await {
                    Some(line) => {
                        self.line_no += 1;
                        let line = line.map_err(|e| Error::Usage(format!("reading stdin: {e}")))?;
                        match Target::from_line(&line) {
                            Ok(Some(t)) => return Ok(Some(t)),
                            Ok(None) => continue,
                            Err(e) => return Err(Error::Usage(format!("stdin line {}: {e}", self.line_no))),
                        }
                    }
                    None => {
                        self.lines = None;
                        continue;
                    }
                }
            }
            match self.args.next() {
                None => return Ok(None),
                Some(a) if a == "-" => self.lines = Some(read_lines()?),
                Some(a) => {
                    if let Some(t) = Target::parse(&a) {
                        return Ok(Some(t));
                    }
                }
            }
        }
    }
}

/// Starts a thread reading stdin lines into a bounded queue. A plain thread, not tokio's
/// stdin: its blocking read cannot be cancelled, and a detached thread never delays exit.
fn read_lines() -> Result<mpsc::Receiver<std::io::Result<String>>, Error> {
    let (tx, rx) = mpsc::channel(LINE_QUEUE);
    std::thread::Builder::new()
        .name("stdin-lines".into())
        .spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let end = line.is_err();
                // A closed queue means the command stopped; stop reading.
                if tx.blocking_send(line).is_err() || end {
                    break;
                }
            }
        })
        .map_err(|e| Error::Failure(format!("cannot start the stdin reader: {e}")))?;
    Ok(rx)
}

/// What to do with a target that turns out to be a folder.
#[derive(Clone, Copy)]
pub enum FolderRule {
    /// Stop the run with [`Error::Folder`] (nothing more is sent).
    Refuse,
    /// Keep folders aside for the caller; with `probe_ids`, ask the server whether each
    /// bare id is a folder (one request per id, as `rm -r ID` does).
    Collect { probe_ids: bool },
}

/// How a feed forms its batches.
#[derive(Clone, Copy)]
pub struct FeedOptions {
    /// Objects per batch (one bulk request).
    pub per: usize,
    /// Batches formed ahead of the runner.
    pub queue: usize,
    /// Skip items repeated within [`DEDUP_WINDOW`].
    pub dedup: bool,
    pub folders: FolderRule,
}

/// What the feed saw, once it has ended.
#[derive(Debug, Default)]
pub struct FeedEnd {
    /// Folders kept aside ([`FolderRule::Collect`]), in input order.
    pub folders: Vec<Item>,
    /// Objects sent in batches.
    pub objects: u64,
}

/// A running feed: `batches` yields object batches as they form; `end` resolves after the
/// last one with the folders, or with the error that stopped it (a bad line, a folder that
/// is refused, a path that does not resolve). Objects of a partial batch are not sent when
/// the feed stops on an error.
pub struct Feed {
    pub batches: mpsc::Receiver<Vec<Item>>,
    pub end: JoinHandle<Result<FeedEnd, Error>>,
}

impl Feed {
    pub fn start(targets: Targets, client: NmsClient, opts: FeedOptions) -> Feed {
        let (tx, rx) = mpsc::channel(opts.queue.max(1));
        let end = tokio::spawn(produce(targets, client, opts, tx));
        Feed { batches: rx, end }
    }

    /// Waits for the feed's end; a feed that panicked or was cancelled is a failure.
    pub async fn finish(end: JoinHandle<Result<FeedEnd, Error>>) -> Result<FeedEnd, Error> {
        end.await.map_err(|e| Error::Failure(format!("the id reader stopped: {e}")))?
    }
}

/// The batches of a receiver as a stream (for [`super::bulk::run`]).
pub fn stream(rx: mpsc::Receiver<Vec<Item>>) -> impl Stream<Item = Vec<Item>> {
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (b, rx)) })
}

async fn produce(
    mut targets: Targets,
    client: NmsClient,
    opts: FeedOptions,
    tx: mpsc::Sender<Vec<Item>>,
) -> Result<FeedEnd, Error> {
    let per = opts.per.max(1);
    let mut end = FeedEnd::default();
    let mut seen = RecentSet::new(DEDUP_WINDOW);
    let mut batch: Vec<Item> = Vec::with_capacity(per);
    loop {
        let next = if batch.is_empty() {
            targets.next().await?
        } else {
            match tokio::time::timeout(IDLE_FLUSH, targets.next()).await {
                Ok(next) => next?,
                Err(_idle) => {
                    if !send(&tx, &mut batch, per).await {
                        return Ok(end);
                    }
                    continue;
                }
            }
        };
        let Some(target) = next else { break };
        let mut item = resolve::item(&client, &target).await?;
        if let FolderRule::Collect { probe_ids: true } = opts.folders
            && item.kind == Kind::Object
            && !item.label.starts_with('/')
            && let Ok(f) = client.get_folder(&item.id, FolderListFilter::None, None, None).await
        {
            item.kind = Kind::Folder;
            item.url = f.resource_url.unwrap_or_else(|| client.folder_url(&item.id).to_string());
        }
        if opts.dedup {
            let tag = if item.kind == Kind::Folder { 'f' } else { 'o' };
            if !seen.insert(&format!("{tag}{}", item.id)) {
                continue;
            }
        }
        match (item.kind, opts.folders) {
            (Kind::Object, _) => {
                end.objects += 1;
                batch.push(item);
                if batch.len() >= per && !send(&tx, &mut batch, per).await {
                    return Ok(end);
                }
            }
            (Kind::Folder, FolderRule::Refuse) => return Err(Error::Folder(item)),
            (Kind::Folder, FolderRule::Collect { .. }) => end.folders.push(item),
        }
    }
    if !batch.is_empty() {
        send(&tx, &mut batch, per).await;
    }
    Ok(end)
}

/// Hands the batch over; false when the runner has gone (it stopped on an error).
async fn send(tx: &mpsc::Sender<Vec<Item>>, batch: &mut Vec<Item>, per: usize) -> bool {
    let full = std::mem::replace(batch, Vec::with_capacity(per));
    tx.send(full).await.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_forgets_old_keys() {
        let mut w = RecentSet::new(2);
        assert!(w.insert("a"));
        assert!(!w.insert("a"));
        assert!(w.insert("b"));
        assert!(w.insert("c"));
        // "a" fell out of the window; "b" and "c" are still in it.
        assert!(w.insert("a"));
        assert!(!w.insert("c"));
        assert_eq!(w.order.len(), 2);
        assert_eq!(w.set.len(), 2);
    }

    #[tokio::test]
    async fn targets_from_args() {
        let mut t = Targets::new(vec!["abc".into(), " ".into(), "/RCSMessageStore/x".into()]).unwrap();
        assert!(!t.is_empty().await.unwrap());
        assert_eq!(t.next().await.unwrap().unwrap().label(), "abc");
        assert_eq!(t.next().await.unwrap().unwrap(), Target::Path("/RCSMessageStore/x".into()));
        assert!(t.next().await.unwrap().is_none());
        assert!(t.is_empty().await.unwrap());
        assert!(Targets::new(vec!["-".into(), "-".into()]).is_err());
    }
}
