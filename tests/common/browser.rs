//! A headless Chromium driven over the DevTools protocol (a WebSocket per
//! page), for tests that must see what a reader's browser shows.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use super::live::PATIENCE;

pub struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

/// The Chromium of Debian (`chromium`), or `None` (a failure when CI
/// requires the tools).
pub fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|name| {
        Command::new(name).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
    });
    if found.is_none() {
        assert!(
            std::env::var_os("MIMEO_REQUIRE_VALIDATORS").is_none(),
            "chromium is required (MIMEO_REQUIRE_VALIDATORS) but not installed"
        );
        eprintln!("note: chromium is not installed (apt-get install chromium): skipping the browser test");
    }
    found
}

impl Browser {
    /// Start a headless browser with an empty profile, a window of
    /// `width` × `height`, and attach to its page.
    pub fn launch(program: &str, width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
                &format!("--user-data-dir={}", profile.path().display()),
                "about:blank",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("chromium starts");
        // "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID"
        let stderr = child.stderr.take().unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    let _ = send.send(url.to_string());
                }
            }
        });
        let browser_url = receive.recv_timeout(PATIENCE).expect("chromium opens its DevTools port");
        let port = browser_url.trim_start_matches("ws://").split(['/', ':']).nth(1).unwrap().to_string();
        let page_url = page_socket(&format!("127.0.0.1:{port}"));
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let (socket, _) = tungstenite::client(page_url.as_str(), stream).expect("the page's DevTools socket");
        let mut browser = Browser { child, socket, next_id: 0, _profile: profile };
        browser.call("Page.enable", json!({}));
        browser.call("Runtime.enable", json!({}));
        browser
    }

    /// One DevTools command; its result (events meanwhile are dropped).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let message = json!({ "id": id, "method": method, "params": params });
        self.socket.send(Message::Text(message.to_string().into())).expect("DevTools takes the command");
        loop {
            let reply = self.socket.read().expect("DevTools answers");
            let Message::Text(text) = reply else { continue };
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["id"] == id {
                assert!(value.get("error").is_none(), "{method}: {}", value["error"]);
                return value["result"].clone();
            }
        }
    }

    /// The value of a JavaScript expression in the page (promises awaited).
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(result.get("exceptionDetails").is_none(), "{expression}: {}", result["exceptionDetails"]);
        result["result"]["value"].clone()
    }

    /// Whether `expression` is true in the page now (false if it throws:
    /// a frame being reloaded has no document yet).
    pub fn holds(&mut self, expression: &str) -> bool {
        let guarded = format!("(() => {{ try {{ return !!({expression}); }} catch {{ return false; }} }})()");
        self.eval(&guarded) == Value::Bool(true)
    }

    /// Wait until `expression` is true in the page; false after the deadline.
    pub fn wait_until(&mut self, expression: &str) -> bool {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            if self.holds(expression) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    pub fn navigate(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
    }

    /// A PNG of what the page shows.
    pub fn screenshot(&mut self) -> Vec<u8> {
        use base64::Engine;
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        base64::engine::general_purpose::STANDARD.decode(shot["data"].as_str().unwrap()).unwrap()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The DevTools WebSocket of the browser's first page, from `/json/list`.
fn page_socket(address: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let mut stream = TcpStream::connect(address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(stream, "GET /json/list HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").unwrap();
        let body = read_response_body(&mut stream);
        let body = body.as_str();
        let targets: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let page = targets.as_array().into_iter().flatten().find(|t| t["type"] == "page");
        if let Some(url) = page.and_then(|p| p["webSocketDebuggerUrl"].as_str()) {
            return url.to_string();
        }
        assert!(Instant::now() < deadline, "chromium shows no page: {body}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The body of an HTTP response, read to its `Content-Length` (Chromium
/// keeps the connection open, so reading to the end would wait).
fn read_response_body(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                })
                .and_then(|v| v.parse::<usize>().ok());
            if length.is_none_or(|n| body.len() >= n) {
                return body.to_string();
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => {
                return text.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
            }
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}
