//! Keeps the layer edges of DESIGN.md honest: a lower layer never imports a higher one,
//! and the lower layers never print.

use std::path::{Path, PathBuf};

/// (layer, modules of the crate it must not use)
const RULES: &[(&str, &[&str])] = &[
    ("wire", &["nms", "server", "cli", "config", "credentials", "mirror"]),
    ("nms", &["server", "cli", "config", "credentials", "mirror"]),
    ("server", &["nms", "cli", "config", "credentials", "mirror"]),
    ("config", &["nms", "server", "cli", "mirror"]),
    ("credentials", &["nms", "server", "cli", "mirror"]),
    ("mirror", &["server", "cli", "config", "credentials"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.starts_with("//"))
}

#[test]
fn lower_layers_do_not_import_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for (layer, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        let single = src.join(format!("{layer}.rs"));
        if single.exists() {
            files.push(single);
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for (n, line) in code_lines(&text) {
                for module in *forbidden {
                    if line.contains(&format!("crate::{module}::")) || line.contains(&format!("crate::{module};")) {
                        violations.push(format!("{}:{n}: `{layer}` uses `{module}`: {line}", file.display()));
                    }
                }
            }
        }
    }
    assert!(violations.is_empty(), "layer violations:\n{}", violations.join("\n"));
}

#[test]
fn lower_layers_do_not_print_to_stdout() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for layer in ["wire", "nms", "config", "credentials", "mirror"] {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for (n, line) in code_lines(&text) {
                if ["println!", "print!(", "eprintln!", "eprint!(", "dbg!("].iter().any(|m| line.contains(m)) {
                    violations.push(format!("{}:{n}: {line}", file.display()));
                }
            }
        }
    }
    assert!(violations.is_empty(), "printing in a lower layer:\n{}", violations.join("\n"));
}

#[test]
fn every_module_says_what_it_is_for() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .filter(|f| !std::fs::read_to_string(f).unwrap_or_default().trim_start().starts_with("//!"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "modules without a `//!` line:\n{}", missing.join("\n"));
}
