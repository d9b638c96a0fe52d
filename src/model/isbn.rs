//! ISBNs in a document's `identifier`: recognised, checked (ISBN-10 and
//! ISBN-13 check digits) and turned into the 13 digits of the EAN barcode.
//! The source checks every edition's identifier with it; the cover draws
//! the barcode from it.

/// A checked ISBN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isbn {
    /// The 13 digits (an ISBN-10 gets the `978` prefix and a new check digit).
    pub digits: String,
    /// As printed above the barcode: `ISBN ` and the identifier's own
    /// grouping when it had hyphens, else the 13 digits.
    pub label: String,
}

/// `None` when `identifier` is not meant as an ISBN; else the ISBN or,
/// in words, why it is wrong. It is meant as one when it has an ISBN
/// prefix (`isbn:`, `urn:isbn:`, `ISBN `) or is 10 or 13 digits (an
/// ISBN-10 may end in X), with or without hyphens; a URN, a UUID or a URL
/// is not.
pub fn parse(identifier: &str) -> Option<Result<Isbn, String>> {
    let trimmed = identifier.trim();
    let lower = trimmed.to_ascii_lowercase();
    let prefixed = ["urn:isbn:", "isbn:", "isbn-13:", "isbn-10:", "isbn "]
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| trimmed[p.len()..].trim()));
    let body = prefixed.unwrap_or(trimmed);
    let compact: String =
        body.chars().filter(|c| !matches!(c, '-' | ' ' | '\u{2010}' | '\u{2011}')).collect();
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let looks_like_isbn = match compact.len() {
        13 => digits_only(&compact),
        10 => digits_only(&compact[..9]) && matches!(compact.as_bytes()[9], b'0'..=b'9' | b'X' | b'x'),
        _ => false,
    };
    if prefixed.is_none() && !looks_like_isbn {
        return None;
    }
    let grouped = body.contains('-').then(|| body.to_string());
    Some(check(&compact).map(|digits| {
        let label = match grouped {
            Some(g) if g.chars().filter(char::is_ascii_digit).count() == 13 => format!("ISBN {g}"),
            _ => format!("ISBN {digits}"),
        };
        Isbn { digits, label }
    }))
}

fn check(compact: &str) -> Result<String, String> {
    let last = compact.chars().count().saturating_sub(1);
    let stray = compact
        .chars()
        .enumerate()
        .find(|&(i, c)| !(c.is_ascii_digit() || (i == last && i == 9 && matches!(c, 'X' | 'x'))));
    if let Some((_, c)) = stray {
        return Err(format!(
            "the ISBN `{compact}` holds `{c}`; an ISBN is made of digits (an ISBN-10 may end in X)"
        ));
    }
    let digits: Vec<u32> = compact.chars().filter_map(|c| c.to_digit(10)).collect();
    match compact.len() {
        13 => {
            if !(compact.starts_with("978") || compact.starts_with("979")) {
                return Err(format!("`{compact}` is not an ISBN-13 (those begin with 978 or 979)"));
            }
            let want = ean_check(&digits[..12]);
            if digits[12] != want {
                return Err(format!(
                    "the ISBN `{compact}` has check digit {}, but its digits give {want}",
                    digits[12]
                ));
            }
            Ok(compact.to_string())
        }
        10 => {
            let last = compact.as_bytes()[9];
            let given = if last.is_ascii_digit() { u32::from(last - b'0') } else { 10 };
            let sum: u32 = digits[..9].iter().enumerate().map(|(i, d)| (10 - i as u32) * d).sum();
            let want = (11 - sum % 11) % 11;
            if given != want {
                let show = |n: u32| if n == 10 { "X".to_string() } else { n.to_string() };
                return Err(format!(
                    "the ISBN `{compact}` has check digit {}, but its digits give {}",
                    show(given),
                    show(want)
                ));
            }
            let mut ean: Vec<u32> = vec![9, 7, 8];
            ean.extend_from_slice(&digits[..9]);
            let check = ean_check(&ean);
            Ok(ean
                .iter()
                .chain(std::iter::once(&check))
                .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
                .collect())
        }
        n => Err(format!("the ISBN `{compact}` has {n} digits; an ISBN has 13 (or 10)")),
    }
}

/// The EAN-13 check digit of 12 digits: weights 1, 3, 1, 3 …
fn ean_check(digits: &[u32]) -> u32 {
    let sum: u32 = digits.iter().enumerate().map(|(i, d)| if i % 2 == 0 { *d } else { 3 * d }).sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_and_checks() {
        assert_eq!(parse("urn:uuid:1234"), None);
        assert_eq!(parse("9780306406157").unwrap().unwrap().digits, "9780306406157");
        let hyphenated = parse("isbn:978-0-306-40615-7").unwrap().unwrap();
        assert_eq!(hyphenated.label, "ISBN 978-0-306-40615-7");
        assert!(parse("9780306406158").unwrap().unwrap_err().contains("check digit 8"));
        // ISBN-10 0-306-40615-2 is ISBN-13 978-0-306-40615-7.
        assert_eq!(parse("ISBN 0-306-40615-2").unwrap().unwrap().digits, "9780306406157");
        assert!(parse("isbn:0-306-40615-3").unwrap().is_err());
        assert!(parse("isbn:12345").unwrap().unwrap_err().contains("5 digits"));
        // Bare digits are meant as an ISBN; letters and lengths are refused.
        assert!(parse("0-306-40615-3").unwrap().is_err());
        assert!(parse("978-0-306-40615-8").unwrap().is_err());
        assert!(parse("isbn:978-0-3O6-40615-7").unwrap().unwrap_err().contains("`O`"));
        assert!(parse("isbn:97803064061577").unwrap().unwrap_err().contains("14 digits"));
        // Other identifiers are not ISBNs.
        assert_eq!(parse("urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8"), None);
        assert_eq!(parse("https://example.org/book/9780306406157"), None);
        assert_eq!(parse("urn:issn:1234-5679"), None);
        assert_eq!(parse("12345"), None);
        assert_eq!(parse("urn:isbn:080442957X").unwrap().unwrap().digits, "9780804429573");
    }
}
