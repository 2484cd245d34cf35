//! Reading item lists: `ID|PATH` arguments and ids from stdin (`-`), one per line, as
//! `search -o plain` prints them (first tab-separated field) or as `-o ndjson` prints them.

use std::io::BufRead;

/// What an item argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A server-generated id; an object unless the record said `folder`.
    Id { id: String, folder: bool },
    /// A path in the box (`/RCSMessageStore/conv-1` or `/…/objectId`); a trailing `/`
    /// says it must be a folder.
    Path(String),
}

impl Target {
    /// Reads one command-line argument: a `/` anywhere means a path (relative ones from the
    /// root), anything else an id.
    pub fn parse(arg: &str) -> Option<Target> {
        let s = arg.trim();
        if s.is_empty() {
            None
        } else if s.starts_with('/') {
            Some(Target::Path(s.to_string()))
        } else if s.contains('/') {
            // Server ids never hold a `/`, so `RCSMessageStore/conv-1` is a path from the root.
            Some(Target::Path(format!("/{s}")))
        } else {
            Some(Target::Id { id: s.to_string(), folder: false })
        }
    }

    /// Reads one line of a list: blank lines and `#` comments give nothing; a JSON record
    /// gives its `id` (and `kind`); otherwise the first tab-separated field.
    pub fn from_line(line: &str) -> Result<Option<Target>, String> {
        let s = line.trim();
        if s.is_empty() || s.starts_with('#') {
            return Ok(None);
        }
        if s.starts_with('{') {
            let v: serde_json::Value = serde_json::from_str(s).map_err(|e| format!("not a JSON record: {e}"))?;
            let id = match v.get("id") {
                Some(serde_json::Value::String(id)) if !id.is_empty() => id.clone(),
                _ => return Err("JSON record without an \"id\" string".into()),
            };
            let folder = v.get("kind").and_then(|k| k.as_str()) == Some("folder");
            return Ok(Some(Target::Id { id, folder }));
        }
        // Only the first field matters; trailing columns of `-o plain` rows are ignored.
        let first = line.split('\t').next().unwrap_or("").trim();
        if first.starts_with('"') && first.ends_with('"') && first.len() >= 2 {
            // `jq .id` without -r prints quoted strings; accept them.
            let unq: String = serde_json::from_str(first).map_err(|e| format!("bad quoted id: {e}"))?;
            return Ok(Target::parse(&unq));
        }
        Ok(Target::parse(first))
    }

    /// The text the user gave, for messages.
    pub fn label(&self) -> &str {
        match self {
            Target::Id { id, .. } => id,
            Target::Path(p) => p,
        }
    }
}

/// Expands arguments where `-` means "read the list from `reader`" (stdin).
/// Bad lines are errors naming their line number.
pub fn expand(args: &[String], reader: impl BufRead) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    let mut reader = Some(reader);
    for arg in args {
        if arg == "-" {
            let Some(r) = reader.take() else {
                return Err("`-` (stdin) can be given only once".into());
            };
            for (n, line) in r.lines().enumerate() {
                let line = line.map_err(|e| format!("reading stdin: {e}"))?;
                match Target::from_line(&line) {
                    Ok(Some(t)) => out.push(t),
                    Ok(None) => {}
                    Err(e) => return Err(format!("stdin line {}: {e}", n + 1)),
                }
            }
        } else if let Some(t) = Target::parse(arg) {
            out.push(t);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        let input = "abc\n\n# comment\ndef\t2024-05-01\tIn\n{\"id\":\"ghi\",\"kind\":\"object\"}\n\
                     {\"id\":\"f1\",\"kind\":\"folder\"}\n\"quoted\"\n/RCSMessageStore/x\n";
        let got = expand(&["-".into(), "zzz".into()], input.as_bytes()).unwrap();
        let ids: Vec<&str> = got.iter().map(Target::label).collect();
        assert_eq!(ids, ["abc", "def", "ghi", "f1", "quoted", "/RCSMessageStore/x", "zzz"]);
        assert_eq!(got[3], Target::Id { id: "f1".into(), folder: true });
        assert!(matches!(got[5], Target::Path(_)));
    }

    #[test]
    fn bad_lines() {
        let err = expand(&["-".into()], "ok\n{\"nope\":1}\n".as_bytes()).unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(expand(&["-".into(), "-".into()], "".as_bytes()).is_err());
    }
}
