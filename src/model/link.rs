//! Which link targets an edition may carry.
//!
//! A link in the model is always an address a reader can follow, written
//! the way validators expect (EPUBCheck rejects a malformed `href` with
//! RSC-020, and a PDF viewer silently drops a bad URI action). The source
//! reader keeps only links that pass [`followable`]; the others stay as
//! plain text, with a warning naming their place.

use url::{Host, Url};

/// The address `raw` in the form every edition writes, or why it is not
/// one a reader can follow.
///
/// Accepted: absolute `http`, `https` and `ftp` addresses with a well-formed
/// host (international names become punycode), `mailto:` with an `@`,
/// `tel:`, and a bare email address (an email autolink), which gains
/// `mailto:`. Anything a URL may not hold is percent-encoded.
pub fn followable(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("the address is empty");
    }
    if raw.contains('\\') {
        // Browsers read `\` as `/`, validators refuse it: say so rather than guess.
        return Err("the address holds a backslash");
    }
    let with_scheme;
    let raw = if is_bare_email(raw) {
        with_scheme = format!("mailto:{raw}");
        with_scheme.as_str()
    } else {
        raw
    };
    let url = Url::parse(raw).map_err(|err| match err {
        url::ParseError::RelativeUrlWithoutBase => {
            "the address is relative: the editions have nothing it could point at"
        }
        url::ParseError::EmptyHost => "the address has no host",
        url::ParseError::InvalidDomainCharacter => "the host holds a character no host name may hold",
        _ => "the address is malformed",
    })?;
    match url.scheme() {
        "http" | "https" | "ftp" => {
            // The WHATWG parser mends `http:///x` and `http:x` into `http://x/`: a typo it should not hide.
            let after_scheme = &raw[url.scheme().len() + 1..];
            if !after_scheme.starts_with("//") || after_scheme[2..].starts_with('/') {
                return Err("the address does not start with `//` and a host");
            }
            check_host(&url)?
        }
        "mailto" => {
            let (user, domain) = url.path().split_once('@').ok_or("a mail address needs an `@`")?;
            if user.is_empty() || domain.is_empty() {
                return Err("a mail address needs a name before its `@` and a domain after it");
            }
        }
        "tel" => {
            if !url.path().chars().any(|c| c.is_ascii_digit()) {
                return Err("a telephone link needs a number");
            }
        }
        _ => return Err("only http, https, ftp, mailto and tel links can be followed from an edition"),
    }
    Ok(strict_serialization(url.as_str()))
}

/// `me@example.org`, as an email autolink gives it: one `@`, no scheme.
fn is_bare_email(raw: &str) -> bool {
    !raw.contains([':', '/'])
        && matches!(raw.split_once('@'), Some((user, domain)) if !user.is_empty() && !domain.is_empty() && !domain.contains('@'))
}

/// A host every resolver and validator accepts: an IP address, or DNS
/// labels of letters, digits and inner hyphens (after punycode).
fn check_host(url: &Url) -> Result<(), &'static str> {
    match url.host() {
        None => Err("the address has no host"),
        Some(Host::Ipv4(_) | Host::Ipv6(_)) => Ok(()),
        Some(Host::Domain(domain)) => {
            let labels_ok = domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
            if labels_ok { Ok(()) } else { Err("the host is not a well-formed name") }
        }
    }
}

/// The WHATWG serialization leaves a few characters RFC 3986 forbids
/// (`|`, `^`, a second `#`, `[` and `]` outside an IPv6 host…): percent-encode
/// them too (EPUBCheck refuses them with RSC-020).
fn strict_serialization(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let mut seen_hash = false;
    // Brackets belong only to the host (`http://[::1]/`).
    let host = url.find("://").map_or(0..0, |at| {
        let start = at + 3;
        start..url[start..].find(['/', '?', '#']).map_or(url.len(), |end| start + end)
    });
    for (i, c) in url.char_indices() {
        let allowed = c.is_ascii_alphanumeric()
            || "-._~!$&'()*+,;=:@/?%".contains(c)
            || (c == '#' && !seen_hash)
            || (matches!(c, '[' | ']') && host.contains(&i));
        if c == '#' {
            seen_hash = true;
        }
        if allowed {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::followable;

    #[test]
    fn followable_links_are_normalized() {
        for (raw, want) in [
            ("https://example.org/a b?x=<1>", "https://example.org/a%20b?x=%3C1%3E"),
            ("HTTP://é.example/ü", "http://xn--9ca.example/%C3%BC"),
            ("https://例え.jp/", "https://xn--r8jz45g.jp/"),
            ("mailto:a@b.org", "mailto:a@b.org"),
            ("me@example.org", "mailto:me@example.org"),
            ("https://x.org/#a#b", "https://x.org/#a%23b"),
            ("https://x.org/a|b^c", "https://x.org/a%7Cb%5Ec"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/"),
            ("http://[::1]/", "http://[::1]/"),
            ("http://example.com/?search=](uri)", "http://example.com/?search=%5D(uri)"),
            ("tel:+44-20-7946-0000", "tel:+44-20-7946-0000"),
        ] {
            assert_eq!(followable(raw).as_deref(), Ok(want), "{raw}");
        }
    }

    #[test]
    fn broken_links_are_refused() {
        for raw in [
            "https://../",
            "http://",
            "https://",
            "http://a b",
            "http://a\\b",
            "http:///x",
            "http:x.org",
            "https://-x.org/",
            "https://x..org/",
            "https://.x.org/",
            "https://x_y.org/",
            "javascript:alert(1)",
            "data:text/html,x",
            "notes.md",
            "#top",
            "../x.html",
            "mailto:nobody",
            "tel:call-me",
            "",
        ] {
            assert!(followable(raw).is_err(), "{raw:?} was accepted as {:?}", followable(raw));
        }
    }
}
