//! Keeps the layer edges of ../shared/docs/DESIGN.md ("Shape") honest: a lower layer never
//! uses a higher one, in any form a path can take (see tests/it/layers_support), nor an
//! external crate that belongs to another layer; and the lower layers never print.
//!
//! `.ci/run` runs this binary on its own, so a crossed edge fails CI by name. The probe test
//! plants each known way of crossing an edge into a copy of `src/` and shows that the
//! checker reports every one.

use crate::layers_support;

use std::path::{Path, PathBuf};

use layers_support::{check, rust_files};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn lower_layers_do_not_import_higher_ones() {
    let violations = check(&src());
    assert!(violations.is_empty(), "layer violations:\n{}", violations.join("\n"));
}

/// Copies `from` into `to`, iteratively.
fn copy_tree(from: &Path, to: &Path) {
    for file in rust_files(from) {
        let rel = file.strip_prefix(from).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&file, &dest).unwrap();
    }
}

/// Each probe: a file to add to the copy of `src/`, its text, and what the report must name.
const PROBES: &[(&str, &str, &str)] = &[
    ("nms/probe_one_line.rs", "use crate::cli::output::Output;\n", "`nms` uses crate module `cli`"),
    ("nms/probe_group.rs", "use crate::{cli::output::Output, wire};\n", "`nms` uses crate module `cli`"),
    (
        "message/probe_multi_line.rs",
        "use crate::{\n    wire::names,\n    cli::{\n        error::CliError,\n        output::Output,\n    },\n};\n",
        "`message` uses crate module `cli`",
    ),
    ("nms/probe_super.rs", "use super::super::cli::output::Output;\n", "`nms` uses crate module `cli`"),
    ("wire/probe_alias.rs", "use crate::cli as ui;\n", "`wire` uses crate module `cli`"),
    ("server/probe_reqwest.rs", "use reqwest::Client;\n", "`server` uses `reqwest`"),
    ("nms/probe_clap.rs", "use clap::Parser;\n", "`nms` uses `clap`"),
    (
        "wire/probe_std_fs.rs",
        "pub fn f() -> Vec<u8> { std::fs::read(\"x\").unwrap_or_default() }\n",
        "`wire` uses `std::fs`",
    ),
    // Beyond `use`: paths in expressions, attributes and macro arguments.
    ("nms/probe_expr.rs", "pub fn f() { let _ = crate::cli::main(); }\n", "`nms` uses crate module `cli`"),
    ("nms/probe_derive.rs", "#[derive(clap::Args)]\npub struct A {}\n", "`nms` uses `clap`"),
    (
        "server/probe_macro.rs",
        "pub fn f() -> String { format!(\"{}\", crate::nms::id_from_url(\"x\")) }\n",
        "`server` uses crate module `nms`",
    ),
    ("wire/probe_group_std.rs", "use std::{fs as f, io};\n", "`wire` uses `std::fs`"),
    ("message/probe_glob.rs", "use ::indicatif::*;\n", "`message` uses `indicatif`"),
    ("server/probe_inline_mod.rs", "mod inner { use super::super::super::cli; }\n", "`server` uses crate module `cli`"),
];

/// All probes are planted in one copy (each in its own file, so each report names its
/// probe); the tree is parsed once.
#[test]
fn every_probe_violation_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&src(), dir.path());
    for (file, text, _) in PROBES {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let found = check(dir.path());
    let missed: Vec<String> = PROBES
        .iter()
        .filter(|(file, _, expected)| !found.iter().any(|v| v.contains(file) && v.contains(expected)))
        .map(|(file, text, expected)| format!("{file} ({text:?}) not reported as {expected:?}"))
        .collect();
    assert!(missed.is_empty(), "{}\nthe checker said:\n{}", missed.join("\n"), found.join("\n"));
    // Nothing but the probes is reported.
    let strays: Vec<&String> = found.iter().filter(|v| !PROBES.iter().any(|(f, _, _)| v.contains(f))).collect();
    assert!(strays.is_empty(), "reports outside the probes: {strays:?}");
}

#[test]
fn the_checker_accepts_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&src(), dir.path());
    let allowed = [
        ("message/probe_ok.rs", "use crate::{nms::items, wire::{self, names}};\nuse super::view;\n"),
        ("server/probe_ok.rs", "use crate::{fsutil, wire::Object};\nuse super::super::wire::names;\n"),
        ("cli/probe_ok.rs", "use crate::{message, nms, server};\nuse clap::Parser;\n"),
        (
            "wire/probe_ok.rs",
            "use std::io::Write;\npub fn f() -> String { format!(\"{}\", crate::wire::names::FROM) }\n",
        ),
    ];
    for (file, text) in allowed {
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    let violations = check(dir.path());
    assert!(violations.is_empty(), "allowed paths reported:\n{}", violations.join("\n"));
}

fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.starts_with("//"))
}

#[test]
fn lower_layers_do_not_print_to_stdout() {
    let src = src();
    let mut violations = Vec::new();
    for layer in ["wire", "fsutil", "nms", "message", "formats", "config", "credentials", "mirror", "export", "import"]
    {
        let mut files = rust_files(&src.join(layer));
        let single = src.join(format!("{layer}.rs"));
        if single.exists() {
            files.push(single);
        }
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
    let missing: Vec<String> = rust_files(&src())
        .iter()
        .filter(|f| !f.ends_with("main.rs"))
        .filter(|f| !std::fs::read_to_string(f).unwrap_or_default().trim_start().starts_with("//!"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(missing.is_empty(), "modules without a `//!` line:\n{}", missing.join("\n"));
}
