//! Attribute value decoding: the five predefined entities and character references,
//! with UTF-16 surrogate pairs joined into one character.
//!
//! quick-xml's own unescaping refuses `&#55357;` (a lone surrogate is no Unicode scalar
//! value), but the app writes every character outside the BMP that way because Java
//! strings are UTF-16: an emoji arrives as `&#55357;&#56832;`. Any other entity name
//! is refused: entities declared in a DTD are never expanded (no billion laughs), and
//! silently keeping `&lol;` as text would store a value nobody wrote.

use std::borrow::Cow;

/// The longest reference we look at (`&#x10FFFF;` is 10 bytes; entity names are short).
const MAX_REFERENCE: usize = 32;

/// Decodes references in an attribute value.
pub(super) fn unescape(raw: &str) -> Result<Cow<'_, str>, String> {
    if !raw.contains('&') {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut high: Option<u32> = None;
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        if amp > 0 {
            flush_lone(&mut out, &mut high);
            out.push_str(&rest[..amp]);
        }
        let after = &rest[amp + 1..];
        let end = after
            .bytes()
            .take(MAX_REFERENCE)
            .position(|b| b == b';')
            .ok_or_else(|| "an `&` that does not start a reference (write it as &amp;)".to_string())?;
        let name = &after[..end];
        if let Some(number) = name.strip_prefix('#') {
            let code = char_ref(number).ok_or_else(|| format!("invalid character reference &{name};"))?;
            match code {
                0xD800..=0xDBFF => {
                    flush_lone(&mut out, &mut high);
                    high = Some(code);
                }
                0xDC00..=0xDFFF => match high.take() {
                    Some(h) => {
                        let joined = 0x10000 + ((h - 0xD800) << 10) + (code - 0xDC00);
                        out.push(char::from_u32(joined).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                    None => out.push(char::REPLACEMENT_CHARACTER),
                },
                _ => {
                    flush_lone(&mut out, &mut high);
                    let c = char::from_u32(code).ok_or_else(|| format!("invalid character reference &{name};"))?;
                    out.push(c);
                }
            }
        } else {
            flush_lone(&mut out, &mut high);
            let c = match name {
                "lt" => '<',
                "gt" => '>',
                "amp" => '&',
                "apos" => '\'',
                "quot" => '"',
                _ => {
                    return Err(format!("unknown entity &{name}; (entities declared in a DTD are never expanded)"));
                }
            };
            out.push(c);
        }
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        flush_lone(&mut out, &mut high);
        out.push_str(rest);
    }
    flush_lone(&mut out, &mut high);
    Ok(Cow::Owned(out))
}

/// A high surrogate with no low one after it (a message cut inside an emoji by a
/// phone) becomes U+FFFD rather than costing the whole message.
fn flush_lone(out: &mut String, high: &mut Option<u32>) {
    if high.take().is_some() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
}

/// The code of `#123` / `#x7B` without the `#`; digits only (no sign, no spaces).
fn char_ref(number: &str) -> Option<u32> {
    let (digits, radix) = match number.strip_prefix('x').or_else(|| number.strip_prefix('X')) {
        Some(hex) => (hex, 16),
        None => (number, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u32::from_str_radix(digits, radix).ok().filter(|&c| c <= 0x10FFFF)
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn entities_and_references() {
        assert_eq!(unescape("plain").as_deref(), Ok("plain"));
        assert_eq!(unescape("a &amp; b &lt;c&gt; &quot;&apos;").as_deref(), Ok("a & b <c> \"'"));
        assert_eq!(unescape("line1&#10;line2&#xD;&#x9;").as_deref(), Ok("line1\nline2\r\t"));
    }

    #[test]
    fn surrogate_pairs_become_one_character() {
        assert_eq!(unescape("hi &#55357;&#56832;!").as_deref(), Ok("hi \u{1F600}!"));
        assert_eq!(unescape("&#xD83D;&#xDE00;").as_deref(), Ok("\u{1F600}"));
        // Lone halves are replaced, not fatal.
        assert_eq!(unescape("a&#55357;b").as_deref(), Ok("a\u{FFFD}b"));
        assert_eq!(unescape("&#56832;").as_deref(), Ok("\u{FFFD}"));
        assert_eq!(unescape("&#55357;").as_deref(), Ok("\u{FFFD}"));
        assert_eq!(unescape("&#55357;&#55357;&#56832;").as_deref(), Ok("\u{FFFD}\u{1F600}"));
    }

    #[test]
    fn custom_entities_and_junk_are_refused() {
        assert!(unescape("&lol9;").unwrap_err().contains("unknown entity &lol9;"));
        assert!(unescape("a & b").is_err());
        assert!(unescape("&#;").is_err());
        assert!(unescape("&#x110000;").is_err());
        assert!(unescape("&#-1;").is_err());
        assert!(unescape("&#+65;").is_err());
    }
}
