//! Telling open pages that a rebuild happened: a WebSocket per page, sent
//! `{"round": N}` after each round. The page then fetches what changed.

use std::sync::Arc;
use std::time::Duration;

use tiny_http::{Header, Request, Response};
use tungstenite::protocol::Role;
use tungstenite::{Message, WebSocket};

use super::Shared;

/// How often an idle socket is pinged, so a closed page's thread ends.
const PING_EVERY: Duration = Duration::from_secs(15);

/// Accept a WebSocket upgrade on `request` and keep the page told of
/// every round until it goes away (on its own thread).
pub fn accept(request: Request, shared: Arc<Shared>) {
    let key = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Sec-WebSocket-Key"))
        .map(|h| h.value.as_str().to_string());
    let upgrade = request
        .headers()
        .iter()
        .any(|h| h.field.equiv("Upgrade") && h.value.as_str().eq_ignore_ascii_case("websocket"));
    let Some(key) = key.filter(|_| upgrade) else {
        let _ =
            request.respond(Response::from_string("a WebSocket is expected here\n").with_status_code(400));
        return;
    };
    let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
    let response = Response::empty(101).with_header(
        Header::from_bytes(&b"Sec-WebSocket-Accept"[..], accept.as_bytes()).expect("an ASCII key"),
    );
    let stream = request.upgrade("websocket", response);
    std::thread::spawn(move || {
        let mut socket = WebSocket::from_raw_socket(stream, Role::Server, None);
        let mut sent = u64::MAX;
        loop {
            let round = shared.wait_for_round_after(sent, PING_EVERY);
            let message = if round == sent {
                Message::Ping(Vec::new().into())
            } else {
                Message::Text(format!("{{\"round\":{round}}}").into())
            };
            if socket.send(message).is_err() {
                return;
            }
            sent = round;
        }
    });
}
