//! What a request must be before the preview answers it: addressed to this
//! machine by name or number (a page on another site that rebinds its own
//! name to 127.0.0.1 must not read the editions), a GET or HEAD, and for a
//! path that is plain segments (no `..`, `.`, empty, encoded slashes or
//! backslashes: nothing that could climb out of the output folder).

use std::borrow::Cow;
use std::net::IpAddr;

use tiny_http::{Header, Request, Response};

/// Why a request is refused: the status and a line for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: Cow<'static, str>,
}

impl Refusal {
    pub const fn new(status: u16, reason: &'static str) -> Self {
        Refusal { status, reason: Cow::Borrowed(reason) }
    }

    fn said(status: u16, reason: String) -> Self {
        Refusal { status, reason: Cow::Owned(reason) }
    }

    /// Send the refusal as plain text, with the server's own `headers`;
    /// a method refused (405) also says which are served.
    pub fn send(self, request: Request, headers: &[(&str, &str)]) {
        let mut response = Response::from_string(format!("{}\n", self.reason)).with_status_code(self.status);
        let plain = [("Content-Type", "text/plain; charset=utf-8")];
        let allow = [("Allow", "GET, HEAD")];
        let allow = if self.status == 405 { &allow[..] } else { &[] };
        for (name, value) in headers.iter().chain(&plain).chain(allow) {
            response
                .add_header(Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header"));
        }
        let _ = request.respond(response);
    }
}

/// Whether a `Host` (or an `Origin`'s host) names this machine: `localhost`
/// or an IP address. DNS rebinding needs a domain name, so an address is
/// safe; any other name is refused.
pub fn host_allowed(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // [::1]:3000
        Some(rest) => match rest.split_once(']') {
            Some((address, "")) => address,
            Some((address, port)) if port.strip_prefix(':').is_some_and(is_port) => address,
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok()
}

fn is_port(digits: &str) -> bool {
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && digits.parse::<u16>().is_ok()
}

/// The host of an `Origin` header (`http://localhost:3000`).
pub fn origin_allowed(origin: &str) -> bool {
    origin.strip_prefix("http://").is_some_and(host_allowed)
}

/// A request either server may answer: its decoded path segments and raw
/// query; or the refusal to send, which `server` ("preview",
/// "catalogue") names in its message.
pub fn admit<'r>(request: &'r Request, server: &str) -> Result<(Vec<String>, &'r str), Refusal> {
    let header =
        |name: &'static str| request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str());
    if !header("Host").is_some_and(host_allowed) {
        return Err(Refusal::said(
            403,
            format!("this {server} answers only requests for localhost or an IP address"),
        ));
    }
    if header("Origin").is_some_and(|origin| !origin_allowed(origin)) {
        return Err(Refusal::said(403, format!("this {server} answers only its own pages")));
    }
    if !method_allowed(request.method().as_str()) {
        return Err(Refusal::new(405, "only GET and HEAD are served"));
    }
    segments(request.url())
}

/// Only reading is served.
pub fn method_allowed(method: &str) -> bool {
    matches!(method, "GET" | "HEAD")
}

/// The request target split into decoded path segments and the raw query.
/// Refuses absolute-form targets, traversal in any spelling, and segments a
/// file system could read as more than one name.
pub fn segments(target: &str) -> Result<(Vec<String>, &str), Refusal> {
    const BAD_PATH: Refusal = Refusal::new(400, "that path is not allowed");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path.split_once('#').map_or(path, |(path, _)| path);
    let Some(path) = path.strip_prefix('/') else { return Err(BAD_PATH) };
    if path.is_empty() {
        return Ok((Vec::new(), query));
    }
    let mut segments = Vec::new();
    for raw in path.split('/') {
        let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().map_err(|_| BAD_PATH)?;
        let forbidden = |c: char| matches!(c, '/' | '\\' | '\0' | ':') || c.is_control();
        if decoded.is_empty() || decoded == "." || decoded == ".." || decoded.chars().any(forbidden) {
            return Err(BAD_PATH);
        }
        segments.push(decoded.into_owned());
    }
    Ok((segments, query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_by_name_or_address() {
        for host in [
            "localhost",
            "localhost:3000",
            "LOCALHOST:1",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]:3000",
            "[::1]",
        ] {
            assert!(host_allowed(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.1.nip.io:3000",
            "",
            ":3000",
            "localhost:",
            "localhost:x",
            "[::1",
            "[::1]x",
        ] {
            assert!(!host_allowed(host), "{host}");
        }
        assert!(origin_allowed("http://127.0.0.1:3000"));
        assert!(!origin_allowed("http://evil.example"));
        assert!(!origin_allowed("null"));
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for target in [
            "/files/../secret",
            "/files/%2e%2e/secret",
            "/files/%2E%2E/secret",
            "/files/.%2e/secret",
            "/files/a%2f..%2f..%2fsecret",
            "/files/a%5c..%5csecret",
            "/files//etc/passwd",
            "//etc/passwd",
            "/files/./x",
            "/files/c:/x",
            "/files/x%00.pdf",
            "http://localhost/files/x",
            "files/x",
            "/files/%ff",
        ] {
            assert_eq!(
                segments(target).map(|(s, _)| s),
                Err(Refusal::new(400, "that path is not allowed")),
                "{target}"
            );
        }
        assert_eq!(segments("/").unwrap().0, Vec::<String>::new());
        let (parts, query) = segments("/files/talk/talk%20one.pdf?download").unwrap();
        assert_eq!(parts, ["files", "talk", "talk one.pdf"]);
        assert_eq!(query, "download");
    }

    #[test]
    fn only_reading() {
        assert!(method_allowed("GET") && method_allowed("HEAD"));
        assert!(!method_allowed("POST") && !method_allowed("PUT") && !method_allowed("DELETE"));
    }
}
