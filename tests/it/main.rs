//! The integration tests, built as one binary: each former `tests/*.rs` file is a module here,
//! and the `*_support` modules are shared by all of them. One binary links the crate once instead
//! of once per file, and its tests are scheduled together.

mod cmd_support;
mod layers_support;
mod nms_support;
mod oracle_support;
mod server_support;

mod cli_basics;
mod cli_credentials;
mod cli_generated;
mod cli_login;
mod cli_newcomer;
mod cli_newcomer_pty;
mod cli_output;
mod cli_rough_a;
mod cli_rough_b;
mod client_hardening;
mod client_hardening_cli;
mod client_hardening_digest;
mod cmd_conversations;
mod cmd_demo;
mod cmd_export;
mod cmd_export_mirror;
mod cmd_faults;
mod cmd_read;
mod cmd_stream;
mod cmd_views;
mod cmd_write;
mod formats_cpm_imap;
mod formats_smsbr;
mod layers;
mod nc_client;
mod nc_end_to_end;
mod nc_oracles;
mod nc_subscribe_cli;
mod nms_against_server;
mod nms_client;
mod nms_client_lists;
mod server_auth;
mod server_bulk;
mod server_cli;
mod server_folders;
mod server_hostile_input;
mod server_lifecycle;
mod server_limits;
mod server_notify;
mod server_objects;
mod server_oracles;
mod server_search;
mod sync_mirror;
mod wire_oracles;
