//! `mimeo serve DIR`, where DIR holds a catalogue `mimeo batch` wrote: the
//! kit and its editions, served read-only with the preview's hardening
//! (this machine's names only, GET and HEAD, plain path segments), so that
//! e-readers on the infoshop's wifi can browse the OPDS feeds (`--bind`).
//!
//! Only the regular files found under DIR are served, looked up by name in
//! a list made by walking it (hidden files and symbolic links left out):
//! no path from a request reaches the file system. A name not in the list
//! walks DIR again, at most once a second, so a new batch shows up.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tiny_http::{Header, Request, Response, Server};

use super::{Options, guard};
use crate::diag::Diagnostic;

/// The file every catalogue has: what tells a catalogue folder apart.
pub const MARKER: &str = "opds.xml";
/// Files listed at most: a folder far larger than any catalogue is refused
/// rather than walked without end.
const MAX_FILES: usize = 1_000_000;
/// Folders deep at most.
const MAX_DEPTH: usize = 16;

/// Whether `dir` holds a catalogue.
pub fn is_catalogue(dir: &Path) -> bool {
    dir.is_dir() && dir.join(MARKER).is_file()
}

struct Files {
    root: PathBuf,
    by_name: Mutex<(HashMap<String, PathBuf>, Instant)>,
}

impl Files {
    fn lookup(&self, name: &str) -> Option<PathBuf> {
        let mut guard = self.by_name.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(path) = guard.0.get(name) {
            return Some(path.clone());
        }
        if guard.1.elapsed() >= Duration::from_secs(1) {
            *guard = (list(&self.root), Instant::now());
            return guard.0.get(name).cloned();
        }
        None
    }
}

/// Every regular file under `root` by its `/`-joined relative name.
fn list(root: &Path) -> HashMap<String, PathBuf> {
    let mut found = HashMap::new();
    let mut stack = vec![(root.to_path_buf(), String::new(), 0)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let Some(name) = entry.file_name().to_str().map(str::to_string) else { continue };
            // Hidden files (the batch's hash records, temporary files) stay private.
            if name.starts_with('.') {
                continue;
            }
            let Ok(kind) = entry.file_type() else { continue };
            let key = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            if kind.is_file() && found.len() < MAX_FILES {
                found.insert(key, entry.path());
            } else if kind.is_dir() && depth < MAX_DEPTH {
                stack.push((entry.path(), key, depth + 1));
            }
        }
    }
    found
}

/// Serve the catalogue in `dir` until the process is stopped.
pub fn run(dir: &Path, options: &Options, on_listening: impl FnOnce(&str)) -> Result<(), Diagnostic> {
    if !is_catalogue(dir) {
        return Err(Diagnostic::error(format!("{} holds no catalogue (no {MARKER})", dir.display())).hint(
            "write one with `mimeo batch MANIFEST --out DIR` and a `catalog:` section in the manifest",
        ));
    }
    let address = SocketAddr::new(options.bind, options.port);
    let server = Server::http(address).map_err(|e| {
        Diagnostic::error(format!("cannot listen on {address}: {e}"))
            .hint("another program may be using the port: choose one with `--port`")
    })?;
    let bound = server.server_addr().to_ip().unwrap_or(address);
    let host = if bound.ip().is_unspecified() || bound.ip().is_loopback() {
        format!("127.0.0.1:{}", bound.port())
    } else {
        bound.to_string()
    };
    let url = format!("http://{host}/");
    let files = Arc::new(Files { root: dir.to_path_buf(), by_name: Mutex::new((list(dir), Instant::now())) });
    let server = Arc::new(server);
    let workers: Vec<_> = (0..super::WORKERS)
        .map(|_| {
            let (server, files) = (server.clone(), files.clone());
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    answer(request, &files);
                }
            })
        })
        .collect();
    on_listening(&url);
    if options.open
        && let Err(e) = webbrowser::open(&url)
    {
        eprintln!("mimeo: warning: cannot open a browser ({e}); open {url} yourself");
    }
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

fn answer(request: Request, files: &Files) {
    let segments = match guard::admit(&request, "catalogue") {
        Ok((segments, _)) => segments,
        Err(refused) => return refused.send(request, &[]),
    };
    let name = if segments.is_empty() { "index.html".to_string() } else { segments.join("/") };
    let Some(file) = files.lookup(&name).and_then(|path| std::fs::File::open(path).ok()) else {
        return guard::Refusal::new(404, "there is no such file in this catalogue").send(request, &[]);
    };
    let headers = [
        ("Content-Type", media_type(&name)),
        ("Cache-Control", "no-cache"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "SAMEORIGIN"),
        // The kit has no script; a page served here may run none.
        ("Content-Security-Policy", "default-src 'self'; script-src 'none'; object-src 'none'"),
    ];
    let response = headers.into_iter().fold(Response::from_file(file), |response, (name, value)| {
        response.with_header(Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header"))
    });
    let _ = request.respond(response);
}

/// The media type of a kit's or edition's file, by its extension.
fn media_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match extension.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        "txt" => "text/plain; charset=utf-8",
        "atom" => "application/atom+xml",
        "json" if name.starts_with("opds") => "application/opds+json",
        "json" => "application/json",
        // OPDS 1 feeds: readers ask for the catalogue profile.
        "xml" if name == "opds.xml" || name.starts_with("opds/") => {
            "application/atom+xml;profile=opds-catalog"
        }
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_regular_files_but_not_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("titles")).unwrap();
        std::fs::write(dir.path().join("opds.xml"), "x").unwrap();
        std::fs::write(dir.path().join("titles/a.html"), "x").unwrap();
        std::fs::write(dir.path().join(".mimeo-catalog"), "x").unwrap();
        std::fs::write(dir.path().join("titles/.a.pdf.mimeo-hash"), "x").unwrap();
        let mut names: Vec<String> = list(dir.path()).into_keys().collect();
        names.sort();
        assert_eq!(names, ["opds.xml", "titles/a.html"]);
    }

    #[test]
    fn feeds_get_their_opds_media_types() {
        assert_eq!(media_type("opds/all.xml"), "application/atom+xml;profile=opds-catalog");
        assert_eq!(media_type("opds.json"), "application/opds+json");
        assert_eq!(media_type("onix.xml"), "application/xml");
        assert_eq!(media_type("a/b.EPUB"), "application/epub+zip");
    }
}
