//! Interactive questions (dialoguer) that refuse, with a usage error naming the flag to use, when
//! stdin or stderr is not a terminal or `--no-input` is set. Prompts never block a script.

use std::io::IsTerminal;

use crate::cli::error::{CliError, ErrorKind};

/// Whether and how to ask the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// `None`: prompting is allowed. `Some(reason)`: why not.
    refused: Option<String>,
}

impl Prompt {
    /// Allowed only when stdin and stderr are terminals and `no_input` is false.
    pub fn new(no_input: bool) -> Prompt {
        let refused = if no_input {
            Some("--no-input is set".to_string())
        } else if !std::io::stdin().is_terminal() {
            Some("stdin is not a terminal".to_string())
        } else if !std::io::stderr().is_terminal() {
            Some("stderr is not a terminal".to_string())
        } else {
            None
        };
        Prompt { refused }
    }

    /// Never asks (tests, scripts).
    pub fn disabled() -> Prompt {
        Prompt { refused: Some("prompts are disabled".to_string()) }
    }

    pub fn is_interactive(&self) -> bool {
        self.refused.is_none()
    }

    fn refuse(&self, message: String, hint: String) -> CliError {
        let mut e = CliError::usage(message).hint(hint);
        if let Some(reason) = &self.refused {
            e = e.cause(format!("cannot prompt: {reason}"));
        }
        e
    }

    /// Asks yes/no. Off a terminal: a usage error telling to use `flag` (e.g. `--yes`).
    pub fn confirm(&self, question: &str, default: bool, flag: &str) -> Result<bool, CliError> {
        if !self.is_interactive() {
            return Err(self.refuse(format!("confirmation needed: {question}"), format!("use {flag}")));
        }
        dialoguer::Confirm::new().with_prompt(question).default(default).interact().map_err(map_dialoguer)
    }

    /// Like [`Prompt::confirm`], but "no" is an error: exit 7, "declined".
    pub fn confirm_or_refuse(&self, question: &str, flag: &str) -> Result<(), CliError> {
        if self.confirm(question, false, flag)? {
            Ok(())
        } else {
            Err(CliError::refused("declined; nothing was changed"))
        }
    }

    /// Asks for a line of text. Off a terminal: a usage error `missing FLAG`.
    pub fn input(&self, prompt: &str, flag: &str, default: Option<&str>) -> Result<String, CliError> {
        if !self.is_interactive() {
            return Err(self.refuse(format!("missing {flag}"), format!("pass {flag}")));
        }
        let mut q = dialoguer::Input::<String>::new().with_prompt(prompt);
        if let Some(d) = default {
            q = q.default(d.to_string());
        }
        q.interact_text().map(|s| s.trim().to_string()).map_err(map_dialoguer)
    }

    /// Asks for a secret without echo. Off a terminal: a usage error naming `flag` (e.g. `--password-stdin`).
    pub fn password(&self, prompt: &str, flag: &str) -> Result<String, CliError> {
        if !self.is_interactive() {
            return Err(self.refuse(format!("no password given and {}", "cannot ask for one"), format!("use {flag}")));
        }
        dialoguer::Password::new().with_prompt(prompt).interact().map_err(map_dialoguer)
    }
}

fn map_dialoguer(e: dialoguer::Error) -> CliError {
    let dialoguer::Error::IO(io) = e;
    if io.kind() == std::io::ErrorKind::Interrupted {
        return CliError::new(ErrorKind::Interrupted, "interrupted");
    }
    CliError::failure(format!("cannot read from the terminal: {io}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_off_a_terminal_with_the_flag_to_use() {
        let p = Prompt::new(true);
        assert!(!p.is_interactive());
        let e = p.confirm("delete 3 objects?", false, "--yes").unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.render().contains("hint: use --yes"), "{}", e.render());
        let e = p.input("Server URL", "--server", None).unwrap_err();
        assert_eq!(e.message, "missing --server");
        let e = p.password("Password", "--password-stdin").unwrap_err();
        assert!(e.hints.iter().any(|h| h.contains("--password-stdin")));
        assert_eq!(Prompt::disabled().confirm_or_refuse("x?", "--yes").unwrap_err().exit_code(), 2);
    }
}
