//! The embedded reference NMS / Notification Channel server (`cpmctl serve`): axum over SQLite. Depends on `wire` only.

pub mod demo;
