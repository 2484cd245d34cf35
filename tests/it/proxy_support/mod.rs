//! The HTTP plumbing of the tests' fault proxies: read one request off a client connection and
//! relay it to the real server on a connection of its own, so a proxy only decides what fault
//! to inject (503, reset, a body cut short) and where.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The longest request head a proxy reads before giving up on the connection.
const MAX_HEAD: usize = 64 * 1024;

/// One request as the client sent it.
pub struct Request {
    /// Request line and headers, up to the blank line (lossy UTF-8).
    pub head: String,
    pub body: Vec<u8>,
}

impl Request {
    /// The request line (`GET /nms/v1/… HTTP/1.1`).
    pub fn first_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    /// Sends the request to `upstream` with `Connection: close` (one request per upstream
    /// connection, so the answer ends where the connection does) and returns the whole answer.
    pub async fn relay(&self, upstream: std::net::SocketAddr) -> std::io::Result<Vec<u8>> {
        let mut lines: Vec<&str> =
            self.head.trim_end().split("\r\n").filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
        lines.push("Connection: close");
        let mut req = (lines.join("\r\n") + "\r\n\r\n").into_bytes();
        req.extend_from_slice(&self.body);
        let mut up = TcpStream::connect(upstream).await?;
        up.write_all(&req).await?;
        let mut resp = Vec::new();
        up.read_to_end(&mut resp).await?;
        Ok(resp)
    }
}

/// Reads one request (head, then a `Content-Length` body); `None` when the client closes
/// first or the head is too long.
pub async fn read_request(client: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        if buf.len() > MAX_HEAD {
            return Ok(None);
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end..head_end + length].to_vec();
    Ok(Some(Request { head, body }))
}

/// Where an HTTP answer's body starts (its length when there is no blank line).
pub fn body_start(resp: &[u8]) -> usize {
    resp.windows(4).position(|w| w == b"\r\n\r\n").map_or(resp.len(), |p| p + 4)
}
