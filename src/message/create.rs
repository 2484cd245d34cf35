//! Local files as message objects: one object per file (composed from a template and
//! [`Compose`] fields), or one object with every file as a part. Sending them is the import
//! engine's job (`crate::import::put`: batches, ledger, dedupe).

use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;

use crate::nms::NewObject;
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
        let bytes =
            if input.is_stdin() { None } else { Some(tokio::fs::read(&input.path).await.map_err(|e| e.to_string())?) };
        Ok(self.payload_of(input, bytes))
    }

    /// [`Plan::payload`] reading the file with blocking I/O, for a caller that is on a thread of
    /// its own (many small files: one blocking read each is far cheaper than a hand-off to the
    /// runtime's blocking pool and back per file).
    pub fn payload_blocking(&self, input: &Input) -> Result<Payload, String> {
        let bytes = if input.is_stdin() { None } else { Some(std::fs::read(&input.path).map_err(|e| e.to_string())?) };
        Ok(self.payload_of(input, bytes))
    }

    /// The payload of `input` from its file's bytes (`None`: stdin, read once before).
    fn payload_of(&self, input: &Input, file: Option<Vec<u8>>) -> Payload {
        let (bytes, name) = match file {
            None => (self.stdin.as_ref().map(|b| b.as_ref().clone()).unwrap_or_default(), "stdin".to_string()),
            Some(bytes) => {
                let name = input.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                (bytes, name)
            }
        };
        let content_type = match &self.compose.content_type {
            Some(t) => t.clone(),
            None if input.is_stdin() => {
                if std::str::from_utf8(&bytes).is_ok() { "text/plain" } else { "application/octet-stream" }.to_string()
            }
            None => guess_content_type(&input.path),
        };
        Payload { filename: name, content_type, bytes }
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
