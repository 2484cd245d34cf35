//! Makes strings that came from a server safe to show on a terminal: no escape sequences, no
//! control characters, no bidi overrides that would reorder what the user reads.

use std::borrow::Cow;

/// Replacement for control characters that carry no meaning on a single output line.
pub const REPLACEMENT: char = '\u{FFFD}';

/// Bidi embedding/override/isolate controls and the implicit direction marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// One display line: ANSI/VT escape sequences removed, tab / CR / LF turned into a space, other C0
/// and C1 controls and DEL turned into U+FFFD, bidi controls removed. Borrows when nothing changes.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_work) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                // Two-character sequences (ESC c, ESC =, …): drop the next character too.
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_bidi_control(c) => {}
            c if c.is_control() => out.push(REPLACEMENT),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// CSI: parameter and intermediate bytes up to and including one final byte in `@`..=`~`.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not a well-formed sequence: stop skipping so visible text is not swallowed.
            break;
        }
    }
}

/// OSC / DCS / SOS / PM / APC: everything up to BEL, ST (`ESC \`) or the C1 ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("héllo wörld ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn ansi_sequences_are_removed() {
        assert_eq!(sanitize("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(sanitize("a\x1b]0;title\x07b"), "ab");
        assert_eq!(sanitize("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b"), "alinkb");
        assert_eq!(sanitize("\u{9b}2Jclear"), "clear");
        assert_eq!(sanitize("x\x1bcy"), "xy");
    }

    #[test]
    fn controls_and_bidi() {
        assert_eq!(sanitize("a\tb\nc\r\nd"), "a b c  d");
        assert_eq!(sanitize("bell\x07\x00\x7f"), "bell\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(sanitize("\u{202e}gnp.exe"), "gnp.exe");
        assert_eq!(sanitize("a\u{2066}b\u{2069}\u{200e}\u{200f}c"), "abc");
        assert_eq!(sanitize("c1\u{85}"), "c1\u{FFFD}");
    }
}
