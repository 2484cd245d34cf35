//! Local files of messages: safe names for network-supplied file names, file extensions and
//! content types, and expanding `put` arguments into files. Atomic writes are in
//! [`crate::fsutil`] (the server needs them too).

use std::path::{Path, PathBuf};

/// Makes a network-supplied name safe to use inside a directory: no path separators, no
/// `..`, no control or bidi characters, no leading dots, bounded length. `None` when
/// nothing usable is left.
pub fn safe_filename(name: &str) -> Option<String> {
    // Only the last path component counts; both separators, since servers may send either.
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control()
                || matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|')
                || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim_end_matches(['.', ' ']).to_string();
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '_') {
        return None;
    }
    // Windows device names would open a device instead of a file there.
    let stem = trimmed.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.ends_with(|c: char| c.is_ascii_digit()));
    let mut out = if reserved { format!("_{trimmed}") } else { trimmed };
    if out.len() > 200 {
        let mut cut = 200;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
    }
    Some(out)
}

/// A file extension for a content type (`image/jpeg` → `jpg`), `bin` when unknown.
pub fn extension_for(content_type: &str) -> &'static str {
    let media = crate::wire::multipart::media_type(content_type);
    match media.as_str() {
        "text/plain" => "txt",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "application/json" => "json",
        "message/cpim" => "cpim",
        _ => mime_guess::get_mime_extensions_str(&media).and_then(|e| e.first().copied()).unwrap_or("bin"),
    }
}

/// The content type of a local file from its name; `application/octet-stream` when unknown.
pub fn guess_content_type(path: &Path) -> String {
    mime_guess::from_path(path).first_raw().unwrap_or("application/octet-stream").to_string()
}

/// The file name for a downloaded payload: the name the server announced, made safe, else
/// `STEM.EXT` from the object (and part) and the content type.
pub fn payload_file_name(announced: Option<&str>, stem: &str, content_type: &str) -> String {
    announced.and_then(safe_filename).unwrap_or_else(|| {
        format!("{}.{}", safe_filename(stem).unwrap_or_else(|| "payload".into()), extension_for(content_type))
    })
}

/// One file to save into a directory: the object it comes from, its fallback stem (`OBJECT`
/// or `OBJECT-PART`) and the name the server announced (hostile until made safe).
pub struct Saved<'a> {
    pub object: &'a str,
    pub stem: &'a str,
    pub announced: Option<&'a str>,
}

/// The names to use for files saved into one directory, in input order. Parts of different
/// objects often share a name (every MMS image may be `image_0.png`), so when the files come
/// from several objects, or a safe name repeats (case-insensitively), every announced name
/// becomes `STEM-NAME` (`OBJECT-PART-NAME`): unique, and the same on every run of the same
/// command. A single object's distinct names are kept. `None` keeps the `STEM.EXT` fallback
/// of [`payload_file_name`], which already carries object and part.
pub fn unique_names(files: &[Saved<'_>]) -> Vec<Option<String>> {
    let names: Vec<Option<String>> = files.iter().map(|f| f.announced.and_then(safe_filename)).collect();
    let objects: std::collections::HashSet<&str> = files.iter().map(|f| f.object).collect();
    let mut seen = std::collections::HashSet::new();
    let repeats = names.iter().flatten().any(|n| !seen.insert(n.to_lowercase()));
    if objects.len() < 2 && !repeats {
        return names;
    }
    files.iter().zip(names).map(|(f, n)| n.map(|n| format!("{}-{n}", f.stem))).collect()
}

/// `dir/name`, or `None` unless that stays directly inside `dir` (belt and braces after
/// [`safe_filename`]).
pub fn inside(dir: &Path, name: &str) -> Option<PathBuf> {
    let p = dir.join(name);
    let ok = p.parent() == Some(dir) && Path::new(name).components().count() == 1;
    ok.then_some(p)
}

/// Expands `put` arguments: files stay, directories give their regular files (sorted,
/// not recursive into hidden entries), `-` stays as stdin.
pub fn expand_inputs(args: &[PathBuf], recursive: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for a in args {
        if a.as_os_str() == "-" {
            out.push(a.clone());
        } else if a.is_dir() {
            walk(a, recursive, &mut out)?;
        } else if a.is_file() {
            out.push(a.clone());
        } else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{}: no such file or directory", a.display()),
            ));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_file() {
            out.push(p);
        } else if recursive && p.is_dir() {
            walk(&p, recursive, out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_unique_across_objects_and_repeats() {
        let f = |object, stem, announced| Saved { object, stem, announced };
        // One object, distinct names: kept as announced.
        let one = [f("a", "a-1", Some("cat.png")), f("a", "a-2", Some("../x/dog.png"))];
        assert_eq!(unique_names(&one), [Some("cat.png".to_string()), Some("dog.png".to_string())]);
        // Two objects sharing a name: both prefixed with object and part, fallbacks stay None.
        let two = [f("a", "a-2", Some("image_0.png")), f("b", "b-2", Some("image_0.png")), f("b", "b-3", None)];
        assert_eq!(
            unique_names(&two),
            [Some("a-2-image_0.png".to_string()), Some("b-2-image_0.png".to_string()), None]
        );
        // One object repeating a name (case-insensitively).
        let rep = [f("a", "a-1", Some("X.png")), f("a", "a-2", Some("x.png"))];
        assert_eq!(unique_names(&rep), [Some("a-1-X.png".to_string()), Some("a-2-x.png".to_string())]);
    }

    #[test]
    fn safe_names() {
        assert_eq!(safe_filename("cat.jpg").as_deref(), Some("cat.jpg"));
        assert_eq!(safe_filename("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(safe_filename("..\\..\\boot.ini").as_deref(), Some("boot.ini"));
        assert_eq!(safe_filename("..").as_deref(), None);
        assert_eq!(safe_filename("/").as_deref(), None);
        assert_eq!(safe_filename("").as_deref(), None);
        assert_eq!(safe_filename(".bashrc").as_deref(), Some("bashrc"));
        assert_eq!(safe_filename("a\u{0}b\nc\u{202e}gpj.exe").as_deref(), Some("a_b_c_gpj.exe"));
        assert_eq!(safe_filename("CON.txt").as_deref(), Some("_CON.txt"));
        assert_eq!(safe_filename(&"é".repeat(300)).map(|s| s.len()), Some(200));
    }

    #[test]
    fn types() {
        assert_eq!(extension_for("image/jpeg"), "jpg");
        assert_eq!(extension_for("text/plain; charset=utf-8"), "txt");
        assert_eq!(guess_content_type(Path::new("a.png")), "image/png");
        assert_eq!(guess_content_type(Path::new("a.unknownext")), "application/octet-stream");
    }

    #[test]
    fn payload_names_stay_inside() {
        assert_eq!(payload_file_name(Some("../x.png"), "abc-1", "image/png"), "x.png");
        assert_eq!(payload_file_name(Some(".."), "abc-1", "image/png"), "abc-1.png");
        assert_eq!(payload_file_name(None, "..", "application/x-unknown-thing"), "payload.bin");
        let dir = Path::new("/tmp/out");
        assert_eq!(inside(dir, "a.txt"), Some(dir.join("a.txt")));
        assert_eq!(inside(dir, "../a.txt"), None);
        assert_eq!(inside(dir, "b/a.txt"), None);
    }
}
