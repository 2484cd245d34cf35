//! Objects: get, create (JSON or multipart per ../shared/docs/nms-protocol.md §3.14), delete, flags, and
//! streaming downloads of payloads and parts.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use futures::stream::{BoxStream, StreamExt};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use url::Url;

use super::client::{Call, NmsClient, Reply};
use super::error::Error;
use super::urls;
use crate::wire::multipart::{self, Part};
use crate::wire::{self, Empty, FlagList, Object, Reference};

/// An object to store: its metadata and its payload parts (none for a JSON-only object).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewObject {
    pub object: Object,
    pub parts: Vec<Part>,
}

/// A streaming download: the body arrives chunk by chunk and is never buffered whole.
pub struct Download {
    pub content_type: String,
    pub content_length: Option<u64>,
    /// The URL that finally answered.
    pub url: Url,
    pub stream: BoxStream<'static, Result<Bytes, Error>>,
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .field("url", &self.url.as_str())
            .finish_non_exhaustive()
    }
}

impl Download {
    /// Collects the whole body (for small payloads and tests).
    pub async fn bytes(mut self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        while let Some(chunk) = self.stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }
}

const ATTACHMENTS: &str = "form-data; name=\"attachments\"";

/// The `attachments` form part for one object's payload: nothing (an empty part), the
/// single part renamed, or a nested `multipart/mixed` holding all parts.
pub(crate) fn attachments_part(parts: &[Part]) -> Part {
    match parts {
        [] => Part { headers: vec![("content-disposition".into(), ATTACHMENTS.into())], body: Vec::new() },
        [one] => {
            let disposition = match one.filename() {
                Some(name) => format!("{ATTACHMENTS}; filename=\"{}\"", name.replace('"', "")),
                None => ATTACHMENTS.to_string(),
            };
            let mut part = one.clone();
            part.headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-disposition"));
            part.headers.insert(0, ("content-disposition".into(), disposition));
            part
        }
        many => multipart::nested("mixed", ATTACHMENTS, many),
    }
}

/// A `multipart/form-data` body from form parts.
pub(crate) fn form_body(parts: &[Part]) -> (String, Vec<u8>) {
    let boundary = multipart::new_boundary();
    (format!("multipart/form-data; boundary={boundary}"), multipart::build(&boundary, parts))
}

impl NmsClient {
    fn object_target(&self, id: &str) -> Url {
        urls::target(id, self.base_url(), "objects")
    }

    /// `GET objects/{id}` (an id or an object URL).
    pub async fn get_object(&self, id: &str) -> Result<Object, Error> {
        self.get_json(self.object_target(id)).await
    }

    /// `POST objects`: plain JSON without parts, else `multipart/form-data` with the
    /// `root-fields` JSON part and the `attachments` part.
    pub async fn create_object(&self, o: &NewObject) -> Result<Reference, Error> {
        let call = Call::new(Method::POST, self.url(&["objects"]));
        let call = if o.parts.is_empty() {
            call.json(&o.object)
        } else {
            let root = multipart::form_part("root-fields", "application/json", wire::encode(&o.object));
            let (ctype, body) = form_body(&[root, attachments_part(&o.parts)]);
            call.raw(ctype, body)
        };
        let reply = self.execute(call).await?;
        self.reference_from(&reply)
    }

    /// A `reference` from a create answer; also accepts a full copy of the created
    /// `object`/`folder` (MCS and the spec allow it) or just a `Location` header.
    pub(crate) fn reference_from(&self, reply: &Reply) -> Result<Reference, Error> {
        let location = reply.location().map(|l| urls::resolve(&l, &reply.url, self.base_url()));
        if reply.is_empty() {
            return location
                .map(Reference::new)
                .ok_or_else(|| Error::decode(reply.context.clone(), "empty answer without a Location header"));
        }
        let value = reply.json()?;
        let copy = value.as_object().filter(|m| m.len() == 1).and_then(|m| {
            ["object", "folder"]
                .iter()
                .find_map(|k| m.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).map(|(_, v)| v))
        });
        let mut reference = match copy {
            Some(inner) => Reference {
                resource_url: inner.get("resourceURL").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
                path: inner.get("path").and_then(|v| v.as_str()).map(String::from),
            },
            None => self.decode_value::<Reference>(reply, value)?,
        };
        if reference.resource_url.is_empty() {
            reference.resource_url = location.unwrap_or_default();
        } else {
            reference.resource_url = urls::resolve(&reference.resource_url, &reply.url, self.base_url());
        }
        if reference.resource_url.is_empty() {
            return Err(Error::decode(reply.context.clone(), "the reference has no resourceURL"));
        }
        Ok(reference)
    }

    /// `DELETE objects/{id}`.
    pub async fn delete_object(&self, id: &str) -> Result<(), Error> {
        self.execute(Call::new(Method::DELETE, self.object_target(id))).await.map(|_| ())
    }

    fn flags_url(&self, id: &str, flag: Option<&str>) -> Url {
        let obj = self.object_target(id);
        match flag {
            Some(f) => urls::join_segments(&obj, &["flags", &urls::encode_segment(f)]),
            None => urls::join_segments(&obj, &["flags"]),
        }
    }

    /// `GET objects/{id}/flags`.
    pub async fn get_flags(&self, id: &str) -> Result<FlagList, Error> {
        self.get_json(self.flags_url(id, None)).await
    }

    /// `PUT objects/{id}/flags`: replaces the whole flag set; answers the resulting set.
    pub async fn set_flags(&self, id: &str, flags: &FlagList) -> Result<FlagList, Error> {
        let body = FlagList { flag: flags.flag.clone(), resource_url: None };
        let reply = self.execute(Call::new(Method::PUT, self.flags_url(id, None)).json(&body)).await?;
        if reply.is_empty() { Ok(flags.clone()) } else { self.decode(&reply) }
    }

    /// `PUT objects/{id}/flags/{flag}` (name percent-encoded, `\Seen` → `%5CSeen`).
    /// True when the flag was newly set (201), false when it was already set (204).
    pub async fn add_flag(&self, id: &str, flag: &str) -> Result<bool, Error> {
        let reply = self.execute(Call::new(Method::PUT, self.flags_url(id, Some(flag))).json(&Empty {})).await?;
        Ok(reply.status != StatusCode::NO_CONTENT)
    }

    /// `DELETE objects/{id}/flags/{flag}`. True when the flag was set, false when it was not.
    /// The spec answers an absent flag with 404 + `{"empty":null}`, but servers also use a
    /// `requestError` for it, so a 404 is told apart from "no such object" by looking at the
    /// object's flags.
    pub async fn remove_flag(&self, id: &str, flag: &str) -> Result<bool, Error> {
        match self.execute(Call::new(Method::DELETE, self.flags_url(id, Some(flag)))).await {
            Ok(_) => Ok(true),
            Err(Error::Http { status: 404, .. }) => Ok(false),
            Err(e) if e.status() == Some(404) => match self.get_flags(id).await {
                Ok(flags) if !flags.contains(flag) => Ok(false),
                Ok(_) => Err(e),
                Err(check) if check.is_not_found() => Err(e),
                Err(check) => Err(check),
            },
            Err(e) => Err(e),
        }
    }

    /// GET a payload or part URL (`payloadURL`, `payloadPart[].href`; relative, relay or
    /// absolute) as a stream.
    pub async fn download(&self, url: &str) -> Result<Download, Error> {
        let mut call = Call::new(Method::GET, self.resolve_url(url)?);
        call.accept = "*/*";
        let (resp, final_url) = self.execute_stream(call).await?;
        let headers = resp.headers();
        let content_type =
            headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("application/octet-stream").to_string();
        let content_length =
            headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
        let stream = chunk_stream(resp, self.config().timeout);
        Ok(Download { content_type, content_length, url: final_url, stream })
    }
}

/// The body as chunks, each awaited for at most `idle` so a stalled server cannot hang us.
fn chunk_stream(resp: reqwest::Response, idle: Duration) -> BoxStream<'static, Result<Bytes, Error>> {
    let inner = resp.bytes_stream().boxed();
    futures::stream::unfold(Some(inner), move |state| async move {
        let mut s = state?;
        match tokio::time::timeout(idle, s.next()).await {
            Ok(Some(Ok(b))) => Some((Ok(b), Some(s))),
            Ok(Some(Err(e))) => Some((Err(Error::from_reqwest(&e)), None)),
            Ok(None) => None,
            Err(_) => Some((Err(Error::Timeout), None)),
        }
    })
    .boxed()
}
