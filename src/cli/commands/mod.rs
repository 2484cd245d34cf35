//! One module per subcommand (placeholder until the CLI foundation lands).

pub mod common;
