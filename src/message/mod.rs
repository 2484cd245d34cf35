//! What a CPM message is, independent of any terminal: object and folder records (the
//! shapes every output and engine uses), composing objects from files and imported records,
//! Message-Context kinds and direction, address normalisation, conversation keys, search
//! criteria, dates as people write them, safe local file names, and storing files as
//! objects (`create`). No clap, no terminal.
//!
//! Sits above `nms` (it uses its item and path helpers) and below the engines and the CLI.

pub mod address;
pub mod compose;
pub mod context;
pub mod conversation;
pub mod conversations;
pub mod create;
pub mod criteria;
pub mod files;
pub mod flags;
pub mod folders;
pub mod groupstate;
pub mod listing;
pub mod stats;
pub mod time;
pub mod view;
