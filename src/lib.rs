//! cpmctl: a command-line tool and reference server for CPM/RCS message stores
//! speaking the OMA NMS REST API and the OMA Notification Channel API.
//!
//! Layers (a lower layer never imports a higher one; `tests/layers.rs` checks it):
//! `wire` (serde types, no I/O) → `nms` (async client, never prints) → `mirror`
//! (local mirror, reports through a trait) → `cli` (the only layer that touches the
//! terminal). `server` depends on `wire` only. `config` and `credentials` are plain
//! modules used by `cli`.

pub mod cli;
pub mod config;
pub mod credentials;
pub mod formats;
pub mod nms;
pub mod server;
pub mod wire;
