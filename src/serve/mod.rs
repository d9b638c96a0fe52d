//! `mimeo serve`: the watch loop plus a local web page that shows every
//! edition and the build's warnings, and updates itself after each rebuild.
//!
//! It listens on 127.0.0.1 unless told otherwise, answers only GET and
//! HEAD addressed to this machine, and serves only the editions the watch
//! built (and files inside their EPUB packages), looked up by name: no path
//! from a request ever reaches the file system. Given a folder that holds
//! a catalogue (`mimeo batch` with `catalog:`), it serves that instead
//! ([`catalog`]).

pub mod catalog;
mod epub;
mod guard;
mod live;
mod page;

use std::io::Cursor;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use tiny_http::{Header, Request, Response, Server};

use crate::diag::Diagnostic;
use crate::layout::Format;
use crate::watch::{self, Edition, Watch};

/// Threads answering requests (WebSockets get their own).
const WORKERS: usize = 4;

/// Where to listen, and whether to open the page.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

/// What the server threads share with the watch loop: the state after the
/// latest round, and a signal for pages waiting for the next one.
struct Shared {
    state: Mutex<Arc<Watch>>,
    rounds: Condvar,
}

impl Shared {
    fn snapshot(&self) -> Arc<Watch> {
        self.state.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn publish(&self, watch: &Watch) {
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = Arc::new(watch.clone());
        self.rounds.notify_all();
    }

    /// The latest round once it differs from `seen`, or `seen` after `timeout`.
    fn wait_for_round_after(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = self
            .rounds
            .wait_timeout_while(guard, timeout, |state| state.round == seen)
            .unwrap_or_else(|p| p.into_inner());
        guard.round
    }
}

/// Serve `watch` at `options`' address and run its loop; `after_round`
/// reports each round (the CLI prints it). `on_listening` gets the page's
/// address once the server is up. Returns only on a setup error.
pub fn run(
    mut watch: Watch,
    options: &Options,
    on_listening: impl FnOnce(&str),
    mut after_round: impl FnMut(&Watch, &[usize]),
) -> Result<(), Diagnostic> {
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
    let shared = Arc::new(Shared { state: Mutex::new(Arc::new(watch.clone())), rounds: Condvar::new() });
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, shared) = (server.clone(), shared.clone());
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                answer(request, &shared);
            }
        });
    }
    on_listening(&url);
    let mut opened = !options.open;
    watch::run(&mut watch, |watch, built| {
        shared.publish(watch);
        after_round(watch, built);
        if !opened {
            opened = true;
            if let Err(e) = webbrowser::open(&url) {
                eprintln!("mimeo: warning: cannot open a browser ({e}); open {url} yourself");
            }
        }
    })
}

/// Answer one request, or refuse it.
fn answer(request: Request, shared: &Arc<Shared>) {
    let (segments, query) = match guard::admit(&request, "preview") {
        Ok((segments, query)) => (segments, query.to_string()),
        Err(refused) => return refused.send(request, &GUARD_HEADERS),
    };
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    if parts == ["live"] {
        return live::accept(request, shared.clone());
    }
    let watch = shared.snapshot();
    let response = match parts.as_slice() {
        [] => Some(reply(page::index(&watch).into_bytes(), "text/html; charset=utf-8")),
        ["assets", "preview.js"] => Some(reply(asset(include_str!("assets/preview.js")), "text/javascript")),
        ["assets", "preview.css"] => Some(reply(asset(include_str!("assets/preview.css")), "text/css")),
        ["assets", "text.css"] => Some(reply(asset(include_str!("assets/text.css")), "text/css")),
        ["files", rest @ ..] => edition_file(&watch, rest, query == "download"),
        ["text", rest @ ..] => text_view(&watch, rest),
        ["epub", rest @ ..] => epub_file(&watch, rest),
        _ => None,
    };
    match response {
        Some(response) => {
            let _ = request.respond(response);
        }
        None => {
            guard::Refusal::new(404, "there is no such edition or file here").send(request, &GUARD_HEADERS)
        }
    }
}

fn asset(text: &str) -> Vec<u8> {
    text.as_bytes().to_vec()
}

type Reply = Response<Cursor<Vec<u8>>>;

/// A response of `bytes`, never cached (every round changes them) and never
/// sniffed as another type.
/// What every answer of the preview carries besides its media type.
const GUARD_HEADERS: [(&str, &str); 3] =
    [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "SAMEORIGIN")];

fn reply(bytes: Vec<u8>, media_type: &str) -> Reply {
    GUARD_HEADERS.into_iter().chain([("Content-Type", media_type)]).fold(
        Response::from_data(bytes),
        |response, (name, value)| {
            response
                .with_header(Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header"))
        },
    )
}

/// The edition whose path under the output folder is `segments`.
fn find<'a>(watch: &'a Watch, segments: &[&str]) -> Option<&'a Edition> {
    let out = watch.out();
    watch.sources.iter().flat_map(|s| &s.editions).find(|edition| {
        let relative = edition.written.path.strip_prefix(out).ok();
        relative.is_some_and(|r| r.iter().map(|p| p.to_str()).eq(segments.iter().map(|s| Some(*s))))
    })
}

fn edition_file(watch: &Watch, segments: &[&str], download: bool) -> Option<Reply> {
    let edition = find(watch, segments)?;
    let bytes = std::fs::read(&edition.written.path).ok()?;
    let response = reply(bytes, edition.written.format.media_type());
    if !download {
        return Some(response);
    }
    let name = segments.last().copied().unwrap_or("edition");
    let disposition = format!("attachment; filename*=UTF-8''{}", crate::markup::segment(name));
    Some(response.with_header(
        Header::from_bytes(&b"Content-Disposition"[..], disposition.as_bytes()).expect("an ASCII header"),
    ))
}

fn text_view(watch: &Watch, segments: &[&str]) -> Option<Reply> {
    let edition = find(watch, segments).filter(|e| e.written.format == Format::Txt)?;
    let text = std::fs::read_to_string(&edition.written.path).ok()?;
    Some(reply(page::text_view(&edition.written.layout, &text).into_bytes(), "text/html; charset=utf-8"))
}

/// A file inside an EPUB edition: `/epub/<edition path>/<name in the package>`.
fn epub_file(watch: &Watch, segments: &[&str]) -> Option<Reply> {
    let split = segments.iter().position(|s| s.ends_with(".epub"))?;
    let edition = find(watch, &segments[..=split]).filter(|e| e.written.format == Format::Epub)?;
    let name = segments[split + 1..].join("/");
    let bytes = epub::entry(&edition.written.path, &name)?;
    Some(reply(bytes, epub::media_type(&name)))
}
