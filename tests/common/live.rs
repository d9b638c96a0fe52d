//! Running `mimeo watch` and `mimeo serve` in tests: a child process whose
//! output lines are read with deadlines, stopped with Ctrl-C (SIGINT) when
//! the test ends, killed if it does not stop.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// How long any one wait in these tests may last.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running `mimeo` whose stdout and stderr lines arrive on channels.
pub struct Running {
    child: Child,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    pub seen_out: Vec<String>,
    pub seen_err: Vec<String>,
}

fn lines(stream: impl Read + Send + 'static) -> Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                return;
            }
        }
    });
    receive
}

impl Running {
    pub fn start(args: &[&str], dir: &Path) -> Running {
        Running::start_with(args, dir, &[])
    }

    /// Start with extra environment variables.
    pub fn start_with(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mimeo"))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(dir)
            .env("SOURCE_DATE_EPOCH", "1600000000")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("mimeo starts");
        let stdout = lines(child.stdout.take().unwrap());
        let stderr = lines(child.stderr.take().unwrap());
        Running { child, stdout, stderr, seen_out: Vec::new(), seen_err: Vec::new() }
    }

    /// The first stdout line (from now on) for which `wanted` holds; stderr
    /// lines seen meanwhile are kept in `seen_err`.
    pub fn wait_for(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.seen_err.extend(self.stderr.try_iter());
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left.min(Duration::from_millis(100))) {
                Ok(line) => {
                    self.seen_out.push(line.clone());
                    if wanted(&line) {
                        self.seen_err.extend(self.stderr.try_iter());
                        return line;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() < deadline => {}
                Err(e) => panic!(
                    "no such line ({e:?}); stdout so far: {:#?}\nstderr: {:#?}",
                    self.seen_out, self.seen_err
                ),
            }
        }
    }

    /// Whether a stderr line for which `wanted` holds arrives (stderr and
    /// stdout are read apart, so it may come after the stdout line that follows it).
    pub fn saw_err(&mut self, wanted: impl Fn(&str) -> bool) -> bool {
        let deadline = Instant::now() + PATIENCE;
        loop {
            self.seen_err.extend(self.stderr.try_iter());
            if self.seen_err.iter().any(|l| wanted(l)) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Stop as a user does, with Ctrl-C; the exit status.
    pub fn interrupt(&mut self) -> ExitStatus {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.seen_err.extend(self.stderr.try_iter());
                return status;
            }
            assert!(Instant::now() < deadline, "mimeo did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A raw HTTP/1.1 exchange, so that a test can send what a browser would
/// never send (`..` as is, a foreign Host): the status and the body.
pub fn http(address: &str, request: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(address).expect("the server listens");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let response = String::from_utf8_lossy(&response).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_string(), body.to_string())
}

/// `GET target` as a browser on this machine would send it.
pub fn get(address: &str, target: &str) -> (u16, String, String) {
    http(address, &format!("GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"))
}

/// Rewrite `path` with `edit` applied to its text, as an editor saves it.
pub fn edit(path: &Path, edit: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    let changed = edit(&text);
    assert_ne!(changed, text, "the edit changes the file");
    std::fs::write(path, changed).unwrap();
}
