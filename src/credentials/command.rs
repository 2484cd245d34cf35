//! A profile's password command (mbsync's PassCmd): a program whose standard output is the
//! secret, e.g. `pass show nms/demo`. It runs without a shell (the line is split into words
//! with `shell-words`), with no input, under a timeout; its output is never logged and only
//! one trailing newline is stripped. Its own stderr goes to the user's terminal (a vault CLI
//! asking for a passphrase or saying why it failed), which never holds the secret.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;

use super::{Error, Secret};

/// How long the command may take (a vault CLI may prompt for a passphrase first).
pub const TIMEOUT: Duration = Duration::from_secs(60);
/// The most output read; a secret is far shorter, anything longer is an error.
const MAX_OUTPUT: u64 = 64 * 1024;

/// Runs `line` and returns its output as the secret.
pub async fn run(line: &str, timeout: Duration) -> Result<Secret, Error> {
    let words =
        shell_words::split(line).map_err(|e| Error::Command(format!("cannot split {line:?} into words: {e}")))?;
    let Some((program, args)) = words.split_first() else {
        return Err(Error::Command("the password command is empty".into()));
    };
    let mut child = tokio::process::Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| Error::Command(format!("cannot run `{program}`: {e}")))?;
    let Some(stdout) = child.stdout.take() else {
        return Err(Error::Command(format!("no output pipe from `{program}`")));
    };
    let work = async {
        let mut out = Vec::new();
        stdout.take(MAX_OUTPUT + 1).read_to_end(&mut out).await?;
        let status = child.wait().await?;
        Ok::<_, std::io::Error>((out, status))
    };
    let (out, status) = match tokio::time::timeout(timeout, work).await {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return Err(Error::Command(format!("`{program}` failed: {e}"))),
        // Dropping the child (kill_on_drop) ends it.
        Err(_) => return Err(Error::Command(format!("`{program}` did not finish within {} s", timeout.as_secs()))),
    };
    if !status.success() {
        // The output is not shown: it may hold part of a secret.
        return Err(Error::Command(format!("`{program}` exited with {status}")));
    }
    if out.len() as u64 > MAX_OUTPUT {
        return Err(Error::Command(format!("`{program}` printed more than {MAX_OUTPUT} bytes")));
    }
    let mut text = String::from_utf8(out).map_err(|_| Error::Command(format!("`{program}` printed no UTF-8 text")))?;
    // Only the line end that `echo` and `pass` add: other whitespace may belong to the secret.
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    if text.is_empty() {
        return Err(Error::Command(format!("`{program}` printed an empty secret")));
    }
    Ok(Secret::new(text))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn output_is_the_secret_without_its_newline() {
        let s = run("printf 'hunter2 \\n'", TIMEOUT).await.unwrap();
        assert_eq!(s.expose(), "hunter2 ");
        // Quoting works without a shell; a `;` is only an argument.
        let s = run("echo 'a b' ; rm -rf /nonexistent", TIMEOUT).await.unwrap();
        assert_eq!(s.expose(), "a b ; rm -rf /nonexistent");
    }

    #[tokio::test]
    async fn failures_are_errors_without_the_output() {
        let e = run("sh -c 'echo secret-ish; exit 3'", TIMEOUT).await.unwrap_err();
        assert!(e.to_string().contains("exited") && !e.to_string().contains("secret-ish"), "{e}");
        assert!(run("", TIMEOUT).await.is_err());
        assert!(run("'unclosed", TIMEOUT).await.is_err());
        assert!(run("/nonexistent/program", TIMEOUT).await.is_err());
        assert!(run("true", TIMEOUT).await.unwrap_err().to_string().contains("empty"));
        let e = run("sleep 5", Duration::from_millis(100)).await.unwrap_err();
        assert!(e.to_string().contains("did not finish"), "{e}");
    }
}
