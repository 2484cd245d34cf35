//! Where secrets live: environment, OS keyring (3 s timeout), or an opt-in 0600 file. No prompts.
