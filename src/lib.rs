//! cpmctl: a command-line tool and reference server for CPM/RCS message stores
//! speaking the OMA NMS REST API and the OMA Notification Channel API.
//!
//! Layers, lowest first (../shared/docs/DESIGN.md "Shape"; a lower layer never uses a higher
//! one, and `tests/it/layers.rs`, run by `.ci/run`, rejects every crossed edge, whatever form
//! the path takes):
//! - `wire`: serde types for every NMS and Notification Channel body; no I/O.
//! - `fsutil`: atomic file writes, the one helper every layer may use (the server too).
//! - `nms`: the async client over reqwest (typed calls, paging, retries) and, in
//!   `nms::items`, working through lists of objects and folders (resolving, batching, the
//!   bulk runner); progress goes through a `Reporter` trait. Never prints.
//! - `message`: what a CPM message is, independent of any terminal: records, composing
//!   objects, Message-Context kinds, direction, address normalisation, conversation keys,
//!   search criteria.
//! - `cli`: the only layer that touches clap and the terminal (tables, progress, prompts);
//!   each command parses, calls the library and renders.
//!
//! `server` (the axum reference server) depends on `wire` (and `fsutil`) only. `config` and
//! `credentials` are plain modules used by `cli`. The mirror, export and import engines
//! (and the `formats` converters) that ../shared/docs/DESIGN.md plans have their place in the layer rules
//! already, between `message` and `cli`.
//!
//! Only `cli::output` may print: clippy's
//! `print_stdout`/`print_stderr` are denied everywhere else.
#![deny(clippy::print_stdout, clippy::print_stderr, clippy::dbg_macro)]

pub mod cli;
pub mod config;
pub mod credentials;
pub mod export;
pub mod formats;
pub mod fsutil;
pub mod import;
pub mod message;
pub mod mirror;
pub mod nms;
pub mod server;
pub mod wire;
