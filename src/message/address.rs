//! Address normalisation, so one party is one key however a server or a backup spells it
//! (../shared/docs/DESIGN.md "conversation key"): phone numbers become E.164 (`+15550001111`) whether they
//! come as `tel:` URIs, `sip:…;user=phone` URIs or bare and formatted numbers; every other
//! URI is kept, lower-cased.
//!
//! No country is ever guessed: a number without a leading `+` (a national or short code)
//! keeps only its digits, so `555-0100` and `5550100` still meet, but it is not promoted to
//! a full E.164 number.

/// The most digits an E.164 number has; longer digit strings are not phone numbers.
const E164_MAX_DIGITS: usize = 15;

/// The normalised form of an address: `+` and digits for a phone number (digits alone when
/// it has no country code), otherwise the address trimmed and lower-cased. A display-name
/// form (`"Bob" <sip:bob@x>`) counts by its URI.
pub fn normalise(address: &str) -> String {
    let a = address.trim();
    // `Name <uri>`: only the URI names the party.
    let a = match (a.rfind('<'), a.rfind('>')) {
        (Some(open), Some(close)) if open < close => a[open + 1..close].trim(),
        _ => a,
    };
    if let Some(number) = phone_number(a) {
        return number;
    }
    a.to_lowercase()
}

/// The E.164 (or digits-only) form of `a` when it is a phone number in any of the accepted
/// spellings; `None` otherwise.
fn phone_number(a: &str) -> Option<String> {
    let (scheme, rest) = match a.split_once(':') {
        Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
        None => (None, a),
    };
    match scheme.as_deref() {
        // tel:+1-555-000-1111;phone-context=… : parameters follow the first `;`.
        Some("tel") => digits(rest.split(';').next().unwrap_or("")),
        // sip:+15550001111@ims.example.com;user=phone : the user part is a tel number, but
        // only when the URI says so (otherwise a numeric user is just a user name).
        Some("sip" | "sips") => {
            let mut params = rest.split(';');
            let user_host = params.next().unwrap_or("");
            let phone = params.any(|p| p.trim().eq_ignore_ascii_case("user=phone"));
            let user = user_host.split('@').next().unwrap_or("");
            if phone { digits(user.split(';').next().unwrap_or("")) } else { None }
        }
        Some(_) => None,
        None => digits(rest),
    }
}

/// `+` and digits, or digits alone, from a number written with visual separators
/// (spaces, `-`, `.`, `(`, `)`, `/`); `None` when anything else is in it.
fn digits(s: &str) -> Option<String> {
    let s = s.trim();
    let (plus, body) = match s.strip_prefix('+') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let mut out = String::with_capacity(body.len() + 1);
    if plus {
        out.push('+');
    }
    let mut count = 0usize;
    for c in body.chars() {
        if c.is_ascii_digit() {
            out.push(c);
            count += 1;
        } else if !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/') {
            return None;
        }
    }
    (1..=E164_MAX_DIGITS).contains(&count).then_some(out)
}

/// Whether two normalised addresses name the same party. Equal forms do; so do two phone
/// numbers whose digits agree when only one carries the `+` (someone typing `15550002222`
/// means `+15550002222`; a country is still never guessed, only the `+` is overlooked).
pub fn same(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let bare = |s: &str| {
        let d = s.strip_prefix('+').unwrap_or(s);
        (!d.is_empty() && d.bytes().all(|c| c.is_ascii_digit())).then(|| d.to_string())
    };
    matches!((bare(a), bare(b)), (Some(x), Some(y)) if x == y)
}

/// The literal spellings a store may keep for the party `address` names, for a server search
/// (which compares attribute values literally): the value as typed, and for a phone number
/// its `tel:` URI and bare forms, with and without the `+`. A `sip:…;user=phone` form cannot
/// be listed (its host is unknown), so callers also compare [`normalise`]d values on the
/// client. Each spelling once, the typed one first.
pub fn spellings(address: &str) -> Vec<String> {
    let typed = address.trim().to_string();
    let n = normalise(address);
    let mut out = vec![typed];
    let digits = n.strip_prefix('+').unwrap_or(&n);
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        for form in [format!("tel:+{digits}"), format!("+{digits}"), format!("tel:{digits}"), digits.to_string()] {
            out.push(form);
        }
    } else {
        out.push(n);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| !s.is_empty() && seen.insert(s.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::{normalise, same, spellings};

    #[test]
    fn phone_numbers_become_e164() {
        assert_eq!(normalise("tel:+15550001111"), "+15550001111");
        assert_eq!(normalise("TEL:+1-555-000-1111"), "+15550001111");
        assert_eq!(normalise("tel:+1.555.000.1111;phone-context=example.com"), "+15550001111");
        assert_eq!(normalise("sip:+15550001111@ims.example.com;user=phone"), "+15550001111");
        assert_eq!(normalise("SIP:+1 (555) 000-1111@ims.example.com;USER=PHONE"), "+15550001111");
        assert_eq!(normalise("+1 (555) 000-1111"), "+15550001111");
        assert_eq!(normalise(" +15550001111 "), "+15550001111");
        assert_eq!(normalise("\"Bob\" <tel:+15550002222>"), "+15550002222");
    }

    #[test]
    fn numbers_without_country_keep_their_digits() {
        assert_eq!(normalise("555-0100"), "5550100");
        assert_eq!(normalise("tel:5550100;phone-context=+1"), "5550100");
        assert_eq!(normalise("12345"), "12345");
    }

    #[test]
    fn other_uris_are_lower_cased() {
        assert_eq!(normalise("sip:Bob@Example.COM"), "sip:bob@example.com");
        // A numeric SIP user without user=phone is a user name, not a number.
        assert_eq!(normalise("sip:+15550001111@ims.example.com"), "sip:+15550001111@ims.example.com");
        assert_eq!(normalise("mailto:Alice@Example.com"), "mailto:alice@example.com");
        assert_eq!(normalise("Alice"), "alice");
        // Too many digits for E.164, or letters in a tel URI: kept as text.
        assert_eq!(normalise("+1234567890123456"), "+1234567890123456");
        assert_eq!(normalise("tel:+1-800-FLOWERS"), "tel:+1-800-flowers");
        assert_eq!(normalise(""), "");
        assert_eq!(normalise("tel:"), "tel:");
    }

    #[test]
    fn one_party_however_spelled() {
        let forms = ["+15550002222", "tel:+15550002222", "sip:+15550002222@host;user=phone", "15550002222"];
        for a in forms {
            for b in forms {
                assert!(same(&normalise(a), &normalise(b)), "{a} vs {b}");
            }
        }
        assert!(!same(&normalise("+15550002222"), &normalise("+15550003333")));
        assert!(!same("sip:bob@x", "sip:alice@x"));
        assert!(!same("+", ""));
    }

    #[test]
    fn spellings_for_a_server_search() {
        let want = ["tel:+15550002222", "+15550002222", "tel:15550002222", "15550002222"];
        assert_eq!(spellings("tel:+15550002222"), want);
        let mut bare = spellings(" 15550002222 ");
        bare.sort();
        let mut sorted = want.to_vec();
        sorted.sort();
        assert_eq!(bare, sorted);
        let sip = spellings("sip:+15550002222@x;user=phone");
        assert_eq!(sip[0], "sip:+15550002222@x;user=phone");
        assert_eq!(sip[1..], want);
        assert_eq!(spellings("sip:Bob@X"), ["sip:Bob@X", "sip:bob@x"]);
        assert_eq!(spellings("sip:bob@x"), ["sip:bob@x"]);
    }
}
