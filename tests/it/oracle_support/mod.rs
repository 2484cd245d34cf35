//! Helpers of the oracle replay tests: loading the oracle files, rebuilding the spec's multipart text into
//! real bodies, and validating JSON against the derived NMS schema.
#![allow(dead_code)]

use std::path::PathBuf;

use cpmctl::wire::multipart::{self, Part};
use serde_json::Value;

/// Members outside the NMS schema that the reference server sends on purpose (Samsung's PayloadPartInfo
/// extras, ../shared/docs/nms-protocol.md §3.5). They are noted and removed before schema validation.
pub const CARRIER_EXTRAS: &[&str] = &["contentDisposition", "contentEncoding"];

/// Where the oracle files are: `CPMCTL_ORACLES` (a test may point it elsewhere), else ../shared/oracles.
pub fn oracle_dir() -> PathBuf {
    std::env::var_os("CPMCTL_ORACLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/oracles"))
}

/// True when running under CI, which always has ../shared beside the clone.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// An oracle file, or `None` when the oracle folder is absent. Absence fails the test under CI (a clone
/// there always has ../shared, so a missing file means the check would silently not run); elsewhere the
/// skip is written straight to the process's stderr, which libtest does not capture, so a developer sees
/// that nothing was checked.
pub fn oracle(rel: &str) -> Option<Value> {
    let path = oracle_dir().join(rel);
    match std::fs::read(&path) {
        Ok(bytes) => Some(serde_json::from_slice(&bytes).expect("oracle file is JSON")),
        Err(e) => {
            assert!(!under_ci(), "oracle {} is missing under CI ({e}): conformance would go unchecked", path.display());
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr().lock(),
                "SKIPPED, NOTHING CHECKED: oracle {} not found ({e}); put ../shared beside the clone to run it",
                path.display()
            );
            None
        }
    }
}

pub fn straighten(s: &str) -> String {
    s.replace(['\u{201c}', '\u{201d}'], "\"")
}

pub fn is_header_line(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
}

/// Rebuilds a multipart body from the spec's text: typographic quotes straightened, the blank line between
/// headers and body restored, `Content-Length: nnnn` placeholders dropped, CRLF line ends.
pub fn rebuild_multipart(content_type: &str, raw: &str) -> Option<(String, Vec<u8>)> {
    let ct = straighten(content_type).trim().trim_end_matches(';').to_string();
    let boundary = multipart::boundary(&ct)?;
    let media = ct.split(';').next()?.trim().to_string();
    let mut new_ct = format!("{media}; boundary=\"{boundary}\"");
    for p in ct.split(';').skip(1).map(str::trim) {
        if !p.is_empty() && !p.to_ascii_lowercase().starts_with("boundary=") {
            new_ct.push_str("; ");
            new_ct.push_str(p);
        }
    }
    let (delim, close) = (format!("--{boundary}"), format!("--{boundary}--"));
    let mut parts = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    let raw = straighten(raw);
    for line in raw.lines() {
        let t = line.trim_end();
        if t == delim || t == close {
            if let Some(lines) = current.take() {
                parts.push(spec_part(&lines)?);
            }
            if t == close {
                break;
            }
            current = Some(Vec::new());
        } else if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    (!parts.is_empty()).then(|| (new_ct, multipart::build(&boundary, &parts)))
}

pub fn spec_part(lines: &[&str]) -> Option<Part> {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with([' ', '\t']) && !headers.is_empty() {
            let last = headers.last_mut()?;
            last.1.push(' ');
            last.1.push_str(l.trim());
        } else if is_header_line(l) {
            let (n, v) = l.split_once(':')?;
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        } else {
            break;
        }
        i += 1;
    }
    headers.retain(|(n, _)| n != "content-length");
    let body = lines[i..].join("\r\n");
    let ct = headers.iter().find(|(n, _)| n == "content-type").map(|(_, v)| v.clone());
    let body = match ct {
        Some(ct) if ct.trim().to_ascii_lowercase().starts_with("multipart/") => {
            let (new_ct, bytes) = rebuild_multipart(&ct, &body)?;
            for h in headers.iter_mut().filter(|(n, _)| n == "content-type") {
                h.1 = new_ct.clone();
            }
            bytes
        }
        _ => body.into_bytes(),
    };
    Some(Part { headers, body })
}

pub fn header<'a>(example: &'a Value, name: &str) -> Option<&'a str> {
    example["headers"].as_array()?.iter().filter_map(Value::as_str).find_map(|h| {
        let (n, v) = h.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The derived schema, plus its `$defs` to validate one root element precisely.
pub struct Schema {
    full: jsonschema::Validator,
    raw: Value,
}

impl Schema {
    pub fn load() -> Option<Schema> {
        let raw = oracle("oma-nms/nms-json-schema.DERIVED.json")?;
        let full = jsonschema::draft202012::new(&raw).expect("the derived schema compiles");
        Some(Schema { full, raw })
    }

    pub fn check(&self, body: &Value) -> Result<(), String> {
        if self.full.is_valid(body) {
            return Ok(());
        }
        let root = body.as_object().and_then(|m| m.keys().next()).cloned().unwrap_or_default();
        let branch = self.raw["oneOf"].as_array().and_then(|b| b.iter().find(|b| b["required"][0] == root.as_str()));
        let Some(branch) = branch else { return Err(format!("root element `{root}` is not an NMS body")) };
        let mut one = branch.clone();
        one["$defs"] = self.raw["$defs"].clone();
        let v = jsonschema::draft202012::new(&one).map_err(|e| e.to_string())?;
        let errors: Vec<String> =
            v.iter_errors(body).take(4).map(|e| format!("{e} at `{}`", e.instance_path)).collect();
        Err(if errors.is_empty() { "fails the root oneOf".into() } else { errors.join("; ") })
    }
}

/// Removes [`CARRIER_EXTRAS`] from every `payloadPart` entry; returns the names found.
pub fn strip_extras(v: &mut Value) -> Vec<String> {
    let mut found = Vec::new();
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(parts)) = map.get_mut("payloadPart") {
                for part in parts.iter_mut().filter_map(Value::as_object_mut) {
                    for extra in CARRIER_EXTRAS {
                        if part.remove(*extra).is_some() && !found.iter().any(|f| f == extra) {
                            found.push(extra.to_string());
                        }
                    }
                }
            }
            for child in map.values_mut() {
                for f in strip_extras(child) {
                    if !found.contains(&f) {
                        found.push(f);
                    }
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                for f in strip_extras(child) {
                    if !found.contains(&f) {
                        found.push(f);
                    }
                }
            }
        }
        _ => {}
    }
    found
}
