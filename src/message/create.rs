//! Storing local files as message objects: one object per file (composed from a template
//! and [`Compose`] fields), sent through bulkCreation in batches bounded by count and bytes,
//! several batches in flight, falling back to one POST per object when the server refuses
//! bulk requests. Results come back per file; progress goes through a [`Reporter`].

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;
use jiff::Timestamp;

use crate::nms::items::batch::{self, MAX_BULK_BYTES};
use crate::nms::items::bulk::{Failure, Tally, bulk_refused};
use crate::nms::items::{self, Reporter, id_of};
use crate::nms::{NewObject, NmsClient};
use crate::wire::Object;

use super::compose::{Compose, Payload};
use super::files::guess_content_type;

/// One input: a file path or stdin (`-`), with its size for batching.
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub size: u64,
}

impl Input {
    /// An input for `path`; its size is read now (0 for stdin or when unknown, which only
    /// makes batches less even).
    pub fn new(path: PathBuf) -> Input {
        let size = if path.as_os_str() == "-" { 0 } else { std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) };
        Input { path, size }
    }

    /// What results and messages call it.
    pub fn label(&self) -> String {
        if self.is_stdin() { "stdin".into() } else { self.path.display().to_string() }
    }

    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }
}

/// What every object of the run shares.
pub struct Plan {
    pub compose: Compose,
    pub template: Object,
    /// The bytes of stdin, read once, for an input `-`.
    pub stdin: Option<Arc<Vec<u8>>>,
    pub now: Timestamp,
}

impl Plan {
    /// The payload of one input: its bytes, name and content type (`--content-type`, else
    /// guessed from the name; stdin is text when it is UTF-8).
    pub async fn payload(&self, input: &Input) -> Result<Payload, String> {
        let (bytes, name) = if input.is_stdin() {
            (self.stdin.as_ref().map(|b| b.as_ref().clone()).unwrap_or_default(), "stdin".to_string())
        } else {
            let bytes = tokio::fs::read(&input.path).await.map_err(|e| e.to_string())?;
            let name = input.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            (bytes, name)
        };
        let content_type = match &self.compose.content_type {
            Some(t) => t.clone(),
            None if input.is_stdin() => {
                if std::str::from_utf8(&bytes).is_ok() { "text/plain" } else { "application/octet-stream" }.to_string()
            }
            None => guess_content_type(&input.path),
        };
        Ok(Payload { filename: name, content_type, bytes })
    }

    /// One object per input file.
    pub async fn object(&self, input: &Input) -> Result<NewObject, String> {
        let payload = self.payload(input).await?;
        self.object_from(payload)
    }

    /// The object of one input whose payload was already read.
    pub fn object_from(&self, payload: Payload) -> Result<NewObject, String> {
        let mut object = self.template.clone();
        self.compose.apply(&mut object, Some(&payload), self.now)?;
        Ok(NewObject { object, parts: vec![payload.part()] })
    }

    /// One object with every input as a part (the first one's text, for an SMS); an input
    /// that cannot be read is named in the error.
    pub async fn combined(&self, inputs: &[Input]) -> Result<NewObject, String> {
        let mut parts = Vec::new();
        let mut first = None;
        for i in inputs {
            let p = self.payload(i).await.map_err(|e| format!("{}: {e}", i.label()))?;
            parts.push(p.part());
            if first.is_none() {
                first = Some(p);
            }
        }
        let mut object = self.template.clone();
        self.compose.apply(&mut object, first.as_ref(), self.now)?;
        Ok(NewObject { object, parts })
    }
}

/// The result of one input: the new object's id, or why not.
pub type ItemResult = (Input, Result<String, Failure>);

/// How a run ended: the counts, and the error that stopped it early (an auth failure),
/// after the results that came before it were handed out.
#[derive(Debug, Default)]
pub struct Created {
    pub tally: Tally,
    pub stopped: Option<items::Error>,
}

/// Stores `inputs`, `per` objects per request (1: one POST each), `concurrency` requests in
/// flight. `emit` sees each stored object (input and id) as results arrive and may stop the
/// run with its own error.
pub async fn create_all<R, E>(
    client: &NmsClient,
    plan: Arc<Plan>,
    inputs: Vec<Input>,
    per: usize,
    concurrency: usize,
    reporter: &R,
    mut emit: impl FnMut(&Input, &str) -> Result<(), E>,
) -> Result<Created, E>
where
    R: Reporter + ?Sized,
{
    let sizes: Vec<u64> = inputs.iter().map(|i| i.size).collect();
    let ranges = batch::plan(&sizes, per, MAX_BULK_BYTES);
    let single = Arc::new(AtomicBool::new(per <= 1));
    let inputs = Arc::new(inputs);
    let mut results = futures::stream::iter(ranges.into_iter().map(|r| {
        let client = client.clone();
        let plan = Arc::clone(&plan);
        let single = Arc::clone(&single);
        let batch: Vec<Input> = inputs[r].to_vec();
        async move { run_batch(&client, &plan, batch, &single, reporter).await }
    }))
    .buffer_unordered(concurrency.max(1));
    let mut created = Created::default();
    while let Some(batch) = results.next().await {
        let items = match batch {
            Ok(items) => items,
            Err(e) => {
                created.stopped = Some(e);
                break;
            }
        };
        for (input, res) in items {
            match res {
                Ok(id) => {
                    created.tally.ok();
                    reporter.item_done();
                    emit(&input, &id)?;
                }
                Err(f) => {
                    created.tally.fail(&f);
                    reporter.item_failed(&input.label(), &f.message);
                }
            }
        }
    }
    Ok(created)
}

/// Stores one batch; per-item results. A whole-request failure fails every item of the
/// batch (reported per item), except an auth failure, which stops the run (Err).
async fn run_batch<R: Reporter + ?Sized>(
    client: &NmsClient,
    plan: &Plan,
    batch: Vec<Input>,
    single: &AtomicBool,
    reporter: &R,
) -> Result<Vec<ItemResult>, items::Error> {
    let mut objects = Vec::with_capacity(batch.len());
    let mut out: Vec<ItemResult> = Vec::with_capacity(batch.len());
    let mut ready: Vec<Input> = Vec::with_capacity(batch.len());
    for input in batch {
        match plan.object(&input).await {
            Ok(o) => {
                objects.push(o);
                ready.push(input);
            }
            Err(e) => out.push((input, Err(Failure::item(e)))),
        }
    }
    if objects.is_empty() {
        return Ok(out);
    }
    if !single.load(Ordering::Relaxed) && objects.len() > 1 {
        match client.bulk_create(&objects).await {
            Ok(list) => {
                let n = list.response.len();
                for (i, input) in ready.into_iter().enumerate() {
                    let r = if n == objects.len() { list.response.get(i) } else { None };
                    let res = match r {
                        Some(r) if r.is_success() => match &r.success {
                            Some(s) if !s.resource_url.is_empty() => Ok(id_of(&s.resource_url)),
                            _ => Err(Failure::item("created, but the server sent no reference")),
                        },
                        Some(r) => Err(Failure::item(
                            r.failure
                                .as_ref()
                                .map(|f| f.message())
                                .filter(|m| !m.is_empty())
                                .unwrap_or_else(|| format!("{} {}", r.code, r.reason)),
                        )),
                        None => {
                            Err(Failure::item(format!("the server answered {n} results for {} objects", objects.len())))
                        }
                    };
                    out.push((input, res));
                }
                return Ok(out);
            }
            Err(e) if bulk_refused(&e) => {
                if !single.swap(true, Ordering::Relaxed) {
                    reporter.note(&format!("note: bulk creation refused ({e}); storing objects one by one"));
                }
            }
            Err(e) if e.is_auth() => return Err(items::Error::Stopped(e)),
            Err(e) => {
                let f = Failure::from(&e);
                out.extend(ready.into_iter().map(|i| (i, Err(f.clone()))));
                return Ok(out);
            }
        }
    }
    for (input, o) in ready.into_iter().zip(objects.iter()) {
        match client.create_object(o).await {
            Ok(r) => out.push((input, Ok(id_of(&r.resource_url)))),
            Err(e) if e.is_auth() => return Err(items::Error::Stopped(e)),
            Err(e) => out.push((input, Err(Failure::from(&e)))),
        }
    }
    Ok(out)
}
