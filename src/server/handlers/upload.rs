//! Reading object uploads without holding the body twice: a multipart body is parsed as it
//! arrives (the `multer` crate), one level of nested `multipart/mixed` attachments included,
//! so memory peaks near the size of the payload instead of several times it.
//!
//! multer wants CRLF line ends (RFC 2046). Some clients end lines with a bare LF; a body whose
//! first delimiter line ends that way is read whole and given to the tolerant parser in
//! `wire::multipart`, as before.

use std::pin::Pin;

use axum::body::{Body, Bytes};
use futures::{Stream, StreamExt, stream};

use crate::server::error::{ApiError, ApiResult};
use crate::wire::multipart::{self, Part};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// How much of the body is looked at to find the first delimiter line.
const PEEK_LIMIT: usize = 64 * 1024;

/// One top-level part; a nested multipart container comes with its sub-parts already read
/// (and an empty body).
pub type TopPart = (Part, Option<Vec<Part>>);

/// The whole body, at most `limit` bytes (413 beyond).
pub async fn read_all(body: Body, limit: usize) -> ApiResult<Bytes> {
    axum::body::to_bytes(body, limit).await.map_err(|e| body_error(&e, limit))
}

fn body_error(e: &(dyn std::error::Error + 'static), limit: usize) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return ApiError::too_large(limit);
        }
        source = s.source();
    }
    ApiError::invalid_because("request body", e)
}

fn multer_error(e: multer::Error, limit: usize) -> ApiError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            ApiError::too_large(limit)
        }
        multer::Error::StreamReadFailed(inner) => body_error(inner.as_ref(), limit),
        other => ApiError::invalid_because("multipart body", other),
    }
}

/// Reads a multipart body of type `content_type` into its top-level parts.
///
/// `declared` is the request's Content-Length, if given: a large part reserves room for the
/// rest of the body once, instead of growing by doubling (each step a copy that briefly holds
/// the part twice). The reservation is address space; untouched pages cost no memory.
pub async fn read_multipart(
    content_type: &str,
    body: Body,
    limit: usize,
    declared: Option<usize>,
) -> ApiResult<Vec<TopPart>> {
    let s: ByteStream = Box::pin(body.into_data_stream().map(|r| r.map_err(BoxError::from)));
    let (crlf, s) = peek_line_ends(content_type, s).await.map_err(|e| body_error(e.as_ref(), limit))?;
    if !crlf {
        let bytes = collect(s, limit).await?;
        let parts =
            multipart::parse(content_type, &bytes).map_err(|e| ApiError::invalid_because("multipart body", e))?;
        return Ok(parts.into_iter().map(|p| (p, None)).collect());
    }
    let boundary = multipart::boundary(content_type)
        .ok_or_else(|| ApiError::invalid_because("multipart body", multipart::MultipartError::NoBoundary))?;
    let constraints = multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit as u64));
    let mut mp = multer::Multipart::with_constraints(s, boundary, constraints);
    let mut out = Vec::new();
    while let Some(mut field) = mp.next_field().await.map_err(|e| multer_error(e, limit))? {
        let headers = header_list(field.headers());
        let ct = headers.iter().find(|(n, _)| n == "content-type").map(|(_, v)| v.clone()).unwrap_or_default();
        if multipart::media_type(&ct).starts_with("multipart/") {
            let inner: ByteStream = Box::pin(field.map(|r| r.map_err(BoxError::from)));
            let subparts = read_flat(&ct, inner, limit, declared).await?;
            out.push((Part { headers, body: Vec::new() }, Some(subparts)));
        } else {
            let body = read_field(&mut field, limit, declared).await?;
            out.push((Part { headers, body }, None));
        }
    }
    if out.is_empty() {
        return Err(ApiError::invalid_because("multipart body", multipart::MultipartError::NoParts));
    }
    Ok(out)
}

/// The parts of a nested container (not descending further, as the buffered path does not).
async fn read_flat(content_type: &str, s: ByteStream, limit: usize, declared: Option<usize>) -> ApiResult<Vec<Part>> {
    let invalid = |e: multipart::MultipartError| ApiError::invalid_because("attachments", e);
    let (crlf, s) = peek_line_ends(content_type, s).await.map_err(|e| body_error(e.as_ref(), limit))?;
    if !crlf {
        let bytes = collect(s, limit).await?;
        return multipart::parse(content_type, &bytes).map_err(invalid);
    }
    let boundary = multipart::boundary(content_type).ok_or_else(|| invalid(multipart::MultipartError::NoBoundary))?;
    let mut mp = multer::Multipart::new(s, boundary);
    let mut out = Vec::new();
    while let Some(mut field) = mp.next_field().await.map_err(|e| multer_error(e, limit))? {
        let headers = header_list(field.headers());
        let body = read_field(&mut field, limit, declared).await?;
        out.push(Part { headers, body });
    }
    if out.is_empty() {
        return Err(invalid(multipart::MultipartError::NoParts));
    }
    Ok(out)
}

/// Parts past this size reserve room for the rest of the declared body.
const LARGE_PART: usize = 1 << 20;

async fn read_field(field: &mut multer::Field<'_>, limit: usize, declared: Option<usize>) -> ApiResult<Vec<u8>> {
    let mut body = Vec::new();
    let mut reserved = false;
    while let Some(chunk) = field.chunk().await.map_err(|e| multer_error(e, limit))? {
        if !reserved && body.len() + chunk.len() > LARGE_PART {
            reserved = true;
            // Bounded by the body limit: the declared length was checked against it.
            if let Some(total) = declared.filter(|t| *t <= limit) {
                body.reserve(total.saturating_sub(body.len()));
            }
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Header names lower-cased, as `wire::multipart` keeps them.
fn header_list(h: &axum::http::HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(n, v)| (n.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect()
}

/// Whether the first delimiter line ends in CRLF; the stream comes back whole (the peeked
/// chunks in front). Undecidable bodies (no delimiter in the first [`PEEK_LIMIT`] bytes)
/// count as not CRLF, so the tolerant parser gives its usual error.
async fn peek_line_ends(content_type: &str, mut s: ByteStream) -> Result<(bool, ByteStream), BoxError> {
    let Some(boundary) = multipart::boundary(content_type) else { return Ok((false, s)) };
    let delim = format!("--{boundary}").into_bytes();
    let mut head: Vec<Bytes> = Vec::new();
    let mut prefix: Vec<u8> = Vec::new();
    let verdict = loop {
        if let Some(at) = prefix.windows(delim.len()).position(|w| w == delim.as_slice()) {
            let rest = &prefix[at + delim.len()..];
            // The line after the delimiter: "\r\n", or "--\r\n" for the closing one.
            let rest = rest.strip_prefix(b"--").unwrap_or(rest);
            if rest.len() >= 2 || rest.first() == Some(&b'\n') {
                break rest.starts_with(b"\r\n");
            }
        }
        if prefix.len() >= PEEK_LIMIT {
            break false;
        }
        match s.next().await {
            Some(chunk) => {
                let chunk = chunk?;
                let take = chunk.len().min(PEEK_LIMIT.saturating_sub(prefix.len()).max(delim.len() + 4));
                prefix.extend_from_slice(&chunk[..take]);
                head.push(chunk);
            }
            None => break false,
        }
    };
    let whole: ByteStream = Box::pin(stream::iter(head.into_iter().map(Ok)).chain(s));
    Ok((verdict, whole))
}

async fn collect(mut s: ByteStream, limit: usize) -> ApiResult<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = s.next().await {
        let chunk = chunk.map_err(|e| body_error(e.as_ref(), limit))?;
        if out.len() + chunk.len() > limit {
            return Err(ApiError::too_large(limit));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}
