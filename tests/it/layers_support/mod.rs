//! The layer checker behind tests/it/layers.rs: parses every file under a `src/` with syn and
//! reports each path that crosses a layer edge of ../shared/docs/DESIGN.md ("Shape").
//!
//! It sees every form a path can take: `use` trees with groups (one line or many), aliases
//! and globs; `super::` chains (resolved against the file's module and any inline `mod`);
//! `self::`; paths in expressions, types, patterns and attributes (`crate::cli::f()`,
//! `#[derive(clap::Args)]`); and `a::b` sequences inside macro calls (`format!`, `json!`).
//! External crates (and `std` modules such as `std::fs`) are checked by their first segments.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use proc_macro2::{TokenStream, TokenTree};
use syn::visit::Visit;

/// One layer: the crate modules it may use (itself included) and the external paths it
/// must not touch (a crate name, or a crate and module such as `std::fs`).
pub struct Rule {
    pub layer: &'static str,
    pub may_use: &'static [&'static str],
    pub forbidden: &'static [&'static str],
}

/// The crates that parse command lines or draw on a terminal (the CLI's alone), plus `$extra`.
macro_rules! forbid {
    ($($extra:expr),* $(,)?) => {
        &["clap", "clap_complete", "clap_mangen", "comfy_table", "indicatif", "dialoguer", $($extra),*]
    };
}

/// ../shared/docs/DESIGN.md "Shape": wire → nms → message + formats → mirror, export, import → cli;
/// server → wire only; config and credentials are used by cli. `fsutil` (atomic writes)
/// sits at the bottom beside wire and may be used by every layer. A layer not listed (the
/// crate root) is not checked.
pub const RULES: &[Rule] = &[
    Rule {
        layer: "wire",
        may_use: &["wire"],
        forbidden: forbid!["std::fs", "std::net", "tokio", "reqwest", "axum", "rusqlite", "keyring", "tempfile"],
    },
    Rule {
        layer: "fsutil",
        may_use: &["fsutil"],
        forbidden: forbid!["std::net", "tokio", "reqwest", "axum", "rusqlite", "keyring"],
    },
    Rule { layer: "nms", may_use: &["nms", "wire", "fsutil"], forbidden: forbid!["axum", "rusqlite", "keyring"] },
    Rule {
        layer: "message",
        may_use: &["message", "nms", "wire", "fsutil"],
        forbidden: forbid!["axum", "rusqlite", "keyring"],
    },
    Rule {
        layer: "formats",
        may_use: &["formats", "message", "wire", "fsutil"],
        forbidden: forbid!["reqwest", "axum", "rusqlite", "keyring"],
    },
    Rule {
        layer: "mirror",
        may_use: &["mirror", "formats", "message", "nms", "wire", "fsutil"],
        forbidden: forbid!["axum", "keyring"],
    },
    Rule {
        layer: "export",
        // `export --mirror` reads a mirror's index offline (read-only), hence `mirror`.
        may_use: &["export", "mirror", "formats", "message", "nms", "wire", "fsutil"],
        forbidden: forbid!["axum", "keyring"],
    },
    Rule {
        layer: "import",
        may_use: &["import", "formats", "message", "nms", "wire", "fsutil"],
        forbidden: forbid!["axum", "keyring"],
    },
    Rule { layer: "server", may_use: &["server", "wire", "fsutil"], forbidden: forbid!["reqwest", "keyring"] },
    Rule { layer: "config", may_use: &["config", "fsutil"], forbidden: forbid!["reqwest", "axum", "rusqlite"] },
    Rule {
        layer: "credentials",
        may_use: &["credentials", "config", "fsutil"],
        forbidden: forbid!["reqwest", "axum", "rusqlite"],
    },
    Rule {
        layer: "cli",
        may_use: &[
            "cli",
            "config",
            "credentials",
            "mirror",
            "export",
            "import",
            "formats",
            "message",
            "nms",
            "server",
            "wire",
            "fsutil",
        ],
        forbidden: &[],
    },
];

/// The rule of a top-level module, if it is a checked layer.
pub fn rule(layer: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.layer == layer)
}

/// Every `.rs` file under `dir`, walked iteratively.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The module path of a file under `src` (`src/nms/items/mod.rs` → `[nms, items]`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    if let Some(last) = parts.pop() {
        let stem = last.trim_end_matches(".rs");
        if !matches!(stem, "mod" | "lib" | "main") {
            parts.push(stem.to_string());
        }
    }
    parts
}

/// Checks every file under `src`; each violation is one line naming the file, the layer and
/// the path that crosses the edge. Files that do not parse are violations too.
pub fn check(src: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for file in rust_files(src) {
        let module = module_of(src, &file);
        let Some(rule) = module.first().and_then(|layer| rule(layer)) else { continue };
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                out.push(format!("{}: cannot read: {e}", file.display()));
                continue;
            }
        };
        let ast = match syn::parse_file(&text) {
            Ok(a) => a,
            Err(e) => {
                out.push(format!("{}: does not parse: {e}", file.display()));
                continue;
            }
        };
        let mut v = Visitor { module, found: Vec::new() };
        v.visit_file(&ast);
        for path in v.found {
            if let Some(why) = crosses(rule, &path) {
                out.push(format!("{}: `{}` {why}: {}", file.display(), rule.layer, path.join("::")));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Why an absolute path (`crate::…` or an external path) is out of bounds for `rule`.
fn crosses(rule: &Rule, path: &[String]) -> Option<String> {
    match path.first().map(String::as_str) {
        Some("crate") => {
            let module = path.get(1)?;
            (!rule.may_use.contains(&module.as_str())).then(|| format!("uses crate module `{module}`"))
        }
        Some(_) => {
            let joined = path.join("::");
            rule.forbidden
                .iter()
                .find(|f| joined == **f || joined.starts_with(&format!("{f}::")))
                .map(|f| format!("uses `{f}`"))
        }
        None => None,
    }
}

/// Collects every path of a file, made absolute (`crate::…`) where it is relative.
struct Visitor {
    /// The module the visitor is in: the file's, plus inline `mod` blocks.
    module: Vec<String>,
    found: Vec<Vec<String>>,
}

impl Visitor {
    /// Records a path given by its segments: `crate`/`self`/`super` chains are resolved
    /// against the current module; anything else is kept as written (external crate).
    fn record(&mut self, segments: Vec<String>, leading_colon: bool) {
        if segments.is_empty() {
            return;
        }
        if leading_colon {
            self.found.push(segments);
            return;
        }
        let mut base: Option<Vec<String>> = None;
        let mut rest = segments.as_slice();
        while let Some(first) = rest.first() {
            match first.as_str() {
                "crate" if base.is_none() => base = Some(Vec::new()),
                "self" if base.is_none() => base = Some(self.module.clone()),
                "super" => {
                    let mut b = base.take().unwrap_or_else(|| self.module.clone());
                    b.pop();
                    base = Some(b);
                }
                _ => break,
            }
            rest = &rest[1..];
        }
        match base {
            Some(b) => {
                let mut abs = vec!["crate".to_string()];
                abs.extend(b);
                abs.extend(rest.iter().cloned());
                self.found.push(abs);
            }
            None => self.found.push(segments),
        }
    }

    /// Flattens a use tree into full paths (groups, renames and globs included).
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree, leading_colon: bool) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree, leading_colon);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut full = prefix.clone();
                if n.ident != "self" {
                    full.push(n.ident.to_string());
                }
                self.record(full, leading_colon);
            }
            syn::UseTree::Rename(r) => {
                let mut full = prefix.clone();
                if r.ident != "self" {
                    full.push(r.ident.to_string());
                }
                self.record(full, leading_colon);
            }
            syn::UseTree::Glob(_) => self.record(prefix.clone(), leading_colon),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t, leading_colon);
                }
            }
        }
    }

    /// Finds `a::b::c` sequences in raw tokens (macro arguments, attribute arguments).
    fn tokens(&mut self, tokens: &TokenStream) {
        let mut current: Vec<String> = Vec::new();
        let mut leading = false;
        let mut colons = 0u8;
        for tt in tokens.clone() {
            match tt {
                TokenTree::Ident(i) => {
                    // `a :: b` continues a path; anything else starts a new one (`::b` is
                    // absolute when nothing came before the colons).
                    if colons != 2 || current.is_empty() {
                        self.flush(&mut current, leading);
                        leading = colons == 2;
                    }
                    current.push(i.to_string());
                    colons = 0;
                }
                TokenTree::Punct(p) if p.as_char() == ':' => colons = colons.saturating_add(1),
                TokenTree::Group(g) => {
                    self.flush(&mut current, leading);
                    (leading, colons) = (false, 0);
                    self.tokens(&g.stream());
                }
                TokenTree::Punct(_) | TokenTree::Literal(_) => {
                    self.flush(&mut current, leading);
                    (leading, colons) = (false, 0);
                }
            }
        }
        self.flush(&mut current, leading);
    }

    /// Records a path found in tokens; a lone name is not a path worth checking.
    fn flush(&mut self, current: &mut Vec<String>, leading: bool) {
        let path = std::mem::take(current);
        if path.len() > 1 || (leading && !path.is_empty()) {
            self.record(path, leading);
        }
    }
}

impl<'ast> Visit<'ast> for Visitor {
    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree, u.leading_colon.is_some());
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.record(segments, p.leading_colon.is_some());
        syn::visit::visit_path(self, p);
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        for attr in &m.attrs {
            self.visit_attribute(attr);
        }
        if let Some((_, items)) = &m.content {
            self.module.push(m.ident.to_string());
            for item in items {
                self.visit_item(item);
            }
            self.module.pop();
        }
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        self.visit_path(&m.path);
        self.tokens(&m.tokens);
    }

    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        // `#[derive(clap::Args)]`, `#[serde(with = "…")]`: the arguments are raw tokens.
        if let syn::Meta::List(list) = &a.meta {
            self.tokens(&list.tokens);
        }
        syn::visit::visit_attribute(self, a);
    }
}
