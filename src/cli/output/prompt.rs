//! Interactive questions that refuse, with a usage error naming the flag to use, when no person
//! can answer (no terminal, or `--no-input`). Prompts never block a script. Text and passwords
//! go through dialoguer on stdin; yes/no questions are asked on the controlling terminal and
//! read as a whole line, so ids can come from a pipe while a person still answers.

use std::io::{BufRead, IsTerminal, Read, Write};

use crate::cli::error::{CliError, ErrorKind};

/// Whether and how to ask the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    /// `None`: prompting is allowed. `Some(reason)`: why not.
    refused: Option<String>,
    /// The same for yes/no questions, which need a controlling terminal rather than stdin.
    confirm_refused: Option<String>,
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
        let confirm_refused = if no_input {
            Some("--no-input is set".to_string())
        } else if !std::io::stderr().is_terminal() {
            // Nobody is watching (a log file, a test harness): never wait for an answer.
            Some("stderr is not a terminal".to_string())
        } else if Terminal::open().is_none() {
            Some("there is no controlling terminal".to_string())
        } else {
            None
        };
        Prompt { refused, confirm_refused }
    }

    /// Never asks (tests, scripts).
    pub fn disabled() -> Prompt {
        let why = Some("prompts are disabled".to_string());
        Prompt { refused: why.clone(), confirm_refused: why }
    }

    /// Whether a yes/no question can be asked: a person at a controlling terminal, even when
    /// stdin is a pipe (`search … | cpmctl rm -`), as `gh` does.
    pub fn can_confirm(&self) -> bool {
        self.confirm_refused.is_none()
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

    /// Asks yes/no on the controlling terminal and reads a whole line (`yes⏎` is "yes"; nothing
    /// typed is left over for the shell). Without one: a usage error telling to use `flag`.
    pub fn confirm(&self, question: &str, default: bool, flag: &str) -> Result<bool, CliError> {
        let tty = if self.confirm_refused.is_none() { Terminal::open() } else { None };
        let Some(mut tty) = tty else {
            let mut e = CliError::usage(format!("confirmation needed: {question}")).hint(format!("use {flag}"));
            let reason = self.confirm_refused.as_deref().unwrap_or("there is no controlling terminal");
            e = e.cause(format!("cannot prompt: {reason}"));
            return Err(e);
        };
        let choices = if default { "[Y/n]" } else { "[y/N]" };
        for _ in 0..MAX_ASKS {
            tty.ask(&format!("{question} {choices} "))?;
            let Some(line) = tty.read_line()? else {
                // End of input (Ctrl-D): no answer is not a yes.
                tty.ask("\n")?;
                return Ok(false);
            };
            match parse_answer(&line) {
                Some(a) => return Ok(a),
                None if line.trim().is_empty() => return Ok(default),
                None => tty.ask("please answer yes or no\n")?,
            }
        }
        Ok(false)
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

/// How often an unclear answer is asked again before it counts as "no".
const MAX_ASKS: usize = 3;
/// The longest answer line read; the rest of a longer line is discarded.
const MAX_ANSWER: u64 = 1024;

/// `y`/`yes` → true, `n`/`no` → false (any case, surrounding blanks ignored); else `None`.
fn parse_answer(line: &str) -> Option<bool> {
    match line.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => None,
    }
}

/// The controlling terminal: questions are written to it and answers read from it, whatever
/// stdin and stdout are connected to.
struct Terminal {
    reader: std::io::BufReader<std::fs::File>,
    writer: std::fs::File,
}

impl Terminal {
    #[cfg(unix)]
    fn open() -> Option<Terminal> {
        let f = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty").ok()?;
        let writer = f.try_clone().ok()?;
        Some(Terminal { reader: std::io::BufReader::new(f), writer })
    }

    #[cfg(windows)]
    fn open() -> Option<Terminal> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let f = std::fs::OpenOptions::new().read(true).write(true).open("CONIN$").ok()?;
        let writer = std::fs::OpenOptions::new().write(true).open("CONOUT$").ok()?;
        Some(Terminal { reader: std::io::BufReader::new(f), writer })
    }

    #[cfg(not(any(unix, windows)))]
    fn open() -> Option<Terminal> {
        None
    }

    fn ask(&mut self, text: &str) -> Result<(), CliError> {
        self.writer
            .write_all(text.as_bytes())
            .and_then(|()| self.writer.flush())
            .map_err(|e| CliError::failure(format!("cannot write to the terminal: {e}")))
    }

    /// One line, without its ending; `None` at end of input. Bounded: a runaway line cannot
    /// fill memory.
    fn read_line(&mut self) -> Result<Option<String>, CliError> {
        let mut buf = Vec::new();
        let n = (&mut self.reader)
            .take(MAX_ANSWER)
            .read_until(b'\n', &mut buf)
            .map_err(|e| CliError::failure(format!("cannot read from the terminal: {e}")))?;
        if n == 0 {
            return Ok(None);
        }
        if buf.last() != Some(&b'\n') {
            // Too long: drop the rest of the line so it is not read as the next answer.
            let mut rest = Vec::new();
            let _ = (&mut self.reader).take(1 << 20).read_until(b'\n', &mut rest);
        }
        Ok(Some(String::from_utf8_lossy(&buf).trim_end_matches(['\r', '\n']).to_string()))
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
        assert!(!Prompt::new(true).can_confirm());
    }

    #[test]
    fn answers_are_whole_words() {
        assert_eq!(parse_answer("yes"), Some(true));
        assert_eq!(parse_answer(" Y \r"), Some(true));
        assert_eq!(parse_answer("no"), Some(false));
        assert_eq!(parse_answer("yesterday"), None);
        assert_eq!(parse_answer(""), None);
    }
}
