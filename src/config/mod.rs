//! Settings: config file, profiles, `CPMCTL_*` environment, paths. No clap, no terminal.
