//! `mimeo serve` (issue 18): a real browser shows the three editions and the
//! warnings, and sees an edit on disk without being reloaded; the server
//! refuses traversal, foreign hosts and anything but reading.

mod common;

use std::path::{Path, PathBuf};

use common::browser::{Browser, chromium};
use common::live::{Running, edit, get, http};

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/content/global-uprisings.md");

/// The sample in a folder of its own, served on a free port.
fn serve(extra: &[&str]) -> (tempfile::TempDir, PathBuf, Running, String) {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("global-uprisings.md");
    std::fs::copy(SAMPLE, &source).unwrap();
    let mut args = vec!["serve", "global-uprisings.md", "--port", "0", "--out", "dist"];
    args.extend(extra);
    let mut server = Running::start(&args, dir.path());
    let line = server.wait_for(|l| l.contains("the preview is at http://"));
    let address = line.split("http://").nth(1).unwrap().split('/').next().unwrap().to_string();
    server.wait_for(|l| l.starts_with("round 1: built"));
    (dir, source, server, address)
}

#[test]
fn the_server_answers_only_reading_of_its_editions_on_this_machine() {
    let (dir, _source, mut server, address) = serve(&["--format", "txt,pdf"]);
    std::fs::write(dir.path().join("dist/secret.txt"), "not an edition").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "private").unwrap();

    let (status, head, body) = get(&address, "/");
    assert_eq!(status, 200, "{head}");
    assert!(body.contains("Global Uprisings and the Left"), "the page names the source");
    let (status, head, body) = get(&address, "/files/global-uprisings/global-uprisings-zine-72.txt");
    assert_eq!(status, 200);
    assert!(head.contains("text/plain") && body.contains("Hong Kong"), "{head}");
    let (status, head, _) = get(&address, "/files/global-uprisings/global-uprisings-a5.pdf?download");
    assert_eq!(status, 200);
    assert!(head.contains("application/pdf") && head.contains("attachment"), "{head}");

    // Traversal in every spelling, absolute paths, files that are not editions, folders.
    for target in [
        "/files/../secret.txt",
        "/files/global-uprisings/../../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/%2E%2E%2Fsecret.txt",
        "/files/..%5csecret.txt",
        "//etc/passwd",
        "/files//etc/passwd",
        "/files/secret.txt",
        "/files/global-uprisings",
        "/files/",
        "/files",
        "/epub/global-uprisings/global-uprisings-zine-72.txt/x",
        "/text/global-uprisings/global-uprisings-a5.pdf",
        "/dist/secret.txt",
        "/secret.txt",
        "http://127.0.0.1/secret.txt",
    ] {
        let (status, head, body) = get(&address, target);
        assert!(status == 400 || status == 404, "{target}: {head}");
        assert!(!body.contains("private") && !body.contains("not an edition"), "{target}: {body}");
    }

    // A page elsewhere whose name resolves to this machine (DNS rebinding).
    for host in ["evil.example", "evil.example:3000", "localhost.evil.example"] {
        let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let (status, head, _) = http(&address, &request);
        assert_eq!(status, 403, "{host}: {head}");
    }
    let (status, _, _) = http(&address, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(status, 403, "no Host, no answer");
    let port = address.rsplit(':').next().unwrap();
    let (status, _, _) =
        http(&address, &format!("GET / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n"));
    assert_eq!(status, 200, "localhost by name is this machine");
    let origin = format!(
        "GET /live HTTP/1.1\r\nHost: {address}\r\nOrigin: http://evil.example\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    assert_eq!(http(&address, &origin).0, 403, "another site's page cannot listen");

    // Only reading.
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let request = format!(
            "{method} / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let (status, head, _) = http(&address, &request);
        assert_eq!(status, 405, "{method}: {head}");
        assert!(head.contains("Allow: GET, HEAD"), "{head}");
    }
    let (status, _, body) =
        http(&address, &format!("HEAD / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"));
    assert_eq!((status, body.as_str()), (200, ""));
    assert!(server.interrupt().success());
}

#[test]
fn the_server_listens_on_this_machine_only_unless_told() {
    let (_dir, _source, mut server, address) = serve(&["--format", "txt"]);
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    assert!(server.interrupt().success());
    let (_dir, _source, mut server, _) = serve(&["--format", "txt", "--bind", "0.0.0.0"]);
    assert!(
        server.saw_err(|l| l.contains("warning") && l.contains("anyone who can reach this machine")),
        "{:#?}",
        server.seen_err
    );
    assert!(server.interrupt().success());
}

#[test]
fn open_shows_the_page_in_the_users_browser() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(SAMPLE, dir.path().join("global-uprisings.md")).unwrap();
    // `$BROWSER` is the user's browser (on Linux, as `xdg-open` reads it): here a
    // script that notes the address it was given.
    let browser = dir.path().join("browser.sh");
    let opened = dir.path().join("opened.txt");
    std::fs::write(&browser, format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display())).unwrap();
    std::fs::set_permissions(&browser, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let args = ["serve", "global-uprisings.md", "--port", "0", "--out", "dist", "--format", "txt", "--open"];
    let mut server = Running::start_with(&args, dir.path(), &[("BROWSER", browser.to_str().unwrap())]);
    let line = server.wait_for(|l| l.contains("the preview is at http://"));
    let url = line.split(" at ").nth(1).unwrap().split(' ').next().unwrap().to_string();
    let deadline = std::time::Instant::now() + common::live::PATIENCE;
    while !opened.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(std::fs::read_to_string(&opened).unwrap().trim(), url);
    assert!(server.interrupt().success());
}

/// JavaScript: the reader picks the EPUB's introduction in the chapter list.
const OPEN_INTRODUCTION: &str = "(() => { const s = document.querySelector('select[data-frame]'); \
    s.value = [...s.options].find(o => o.text === 'Introduction').value; \
    s.dispatchEvent(new Event('change')); })()";

/// JavaScript: the visible text of the frame `id`, words rejoined where
/// the zine hyphenated them and spaces folded.
fn frame_text(id: &str) -> String {
    format!(
        "document.getElementById('{id}').contentDocument.body.innerText\
         .replace(/-\\n\\s*/g, '').replace(/\\s+/g, ' ')"
    )
}

#[test]
fn a_real_browser_shows_an_edit_without_being_reloaded() {
    let Some(program) = chromium() else { return };
    let (_dir, source, mut server, address) = serve(&[]);
    let mut browser = Browser::launch(program, 1280, 860);
    browser.navigate(&format!("http://{address}/"));

    // All three editions, each with a download link.
    assert!(
        browser.wait_until(
            "document.readyState === 'complete' && document.querySelectorAll('iframe').length === 3 \
             && document.querySelector('[aria-selected]')"
        ),
        "three views, their tabs set up"
    );
    let tabs =
        browser.eval("[...document.querySelectorAll('[data-view]')].map(b => b.textContent).join('|')");
    assert_eq!(tabs, "PDF · a5|EPUB · epub|Text · zine-72");
    let downloads = browser.eval("document.querySelectorAll('a.download[download]').length");
    assert_eq!(downloads, 3);
    let pdf_type = browser.eval(
        "fetch(document.getElementById('view-0-0-frame').src).then(r => r.headers.get('content-type'))",
    );
    assert_eq!(pdf_type, "application/pdf", "the PDF view is the file itself, for the browser's viewer");

    // The reader opens the text zine and scrolls down; the EPUB at the introduction.
    browser.eval("document.querySelector('[data-view=\"view-0-2\"]').click()");
    assert!(
        browser.wait_until(&format!("{}.includes('This past year')", frame_text("view-0-2-frame"))),
        "{}",
        browser.eval(
            "[document.getElementById('view-0-2').hidden, document.getElementById('view-0-2-frame').src]"
        )
    );
    browser.eval("document.getElementById('view-0-2-frame').contentWindow.scrollTo(0, 1500)");
    browser.eval(OPEN_INTRODUCTION);
    assert!(browser.wait_until(&format!(
        "document.getElementById('view-0-1-frame').contentWindow.location.pathname.endsWith('introduction.xhtml') \
         && {}.includes('This past year')",
        frame_text("view-0-1-frame")
    )));
    assert!(browser.wait_until("document.getElementById('connection').textContent === 'live'"));
    browser.eval("window.notReloaded = true");

    // The editor saves a change of wording and a mistyped speaker label.
    edit(&source, |t| {
        t.replacen("This past year", "This past winter", 1).replacen(
            "**Sardar:** My work",
            "**Sadrar:** My work",
            1,
        )
    });
    let typo_line =
        std::fs::read_to_string(&source).unwrap().lines().position(|l| l.starts_with("**Sadrar:**")).unwrap()
            + 1;
    server.wait_for(|l| l.starts_with("round 2: built 3 editions"));
    let place = format!("global-uprisings.md:{typo_line}:1");
    assert!(
        browser.wait_until(&format!(
            "{}.includes('This past winter') && {}.includes('This past winter') \
             && document.getElementById('report-0').textContent.includes('{place}')",
            frame_text("view-0-2-frame"),
            frame_text("view-0-1-frame")
        )),
        "the page shows the new text and the warning: {}",
        browser.eval("document.body.innerText")
    );
    let report = browser.eval("document.getElementById('report-0').textContent").to_string();
    assert!(report.contains("Sadrar") && report.contains("did you mean `Sardar`"), "{report}");
    assert_eq!(browser.eval("window.notReloaded"), true, "the page was updated in place, not reloaded");
    let pdf_version = browser.eval("document.getElementById('view-0-0-frame').dataset.version");
    assert_eq!(pdf_version, "2", "the PDF view was refreshed too");
    // The reader is still where they were.
    assert!(browser.wait_until(
        "document.getElementById('view-0-1-frame').contentWindow.location.pathname.endsWith('introduction.xhtml')"
    ));
    assert!(browser.wait_until("document.getElementById('view-0-2-frame').contentWindow.scrollY > 1000"));

    // A broken edit: the error shows, the last good editions stay in view.
    edit(&source, |t| t.replacen("kind: roundtable", "kind: [roundtable", 1));
    server.wait_for(|l| l.starts_with("round 3:"));
    assert!(browser.wait_until(
        "document.getElementById('report-0').textContent.includes('the editions below are from the last good build')"
    ));
    assert!(browser.holds(&format!("{}.includes('This past winter')", frame_text("view-0-2-frame"))));

    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    edit(&source, |t| t.replacen("kind: [roundtable", "kind: roundtable", 1));
    server.wait_for(|l| l.starts_with("round 4: built"));
    assert!(browser.wait_until("document.getElementById('report-0').textContent.includes('Round 4')"));
    // For the README: the e-book at the first question, with the warning above it.
    browser.eval("document.querySelector('[data-view=\"view-0-1\"]').click()");
    browser.eval(
        "(() => { const s = document.querySelector('select[data-frame]'); \
         s.value = [...s.options].find(o => o.text.startsWith('Can you tell us')).value; \
         s.dispatchEvent(new Event('change')); })()",
    );
    assert!(
        browser.wait_until(&format!(
            "document.getElementById('view-0-1-frame').dataset.version === '4' && {}.includes('Sadrar')",
            frame_text("view-0-1-frame")
        )),
        "{}",
        browser.eval(&format!(
            "[document.getElementById('view-0-1-frame').dataset.version, \
              document.getElementById('view-0-1-frame').contentWindow.location.href, {}.slice(0, 200)]",
            frame_text("view-0-1-frame")
        ))
    );
    std::fs::write(screenshots.join("serve-preview.png"), browser.screenshot()).unwrap();
    assert!(server.interrupt().success());
}

/// Not a test: the benchmark `benches/serve.sh` runs (in release). From
/// the save of a one-word change to the moment the browser shows it in
/// every edition's view, for `MIMEO_LATENCY_RUNS` saves; prints the figures.
#[test]
#[ignore = "a benchmark: benches/serve.sh"]
fn save_to_browser_latency() {
    let Some(program) = chromium() else { return };
    let runs: usize = std::env::var("MIMEO_LATENCY_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let (_dir, source, mut server, address) = serve(&[]);
    let mut browser = Browser::launch(program, 1280, 860);
    browser.navigate(&format!("http://{address}/"));
    assert!(browser.wait_until(
        "document.readyState === 'complete' && document.querySelectorAll('iframe').length === 3"
    ));
    browser.eval("document.querySelector('[data-view=\"view-0-2\"]').click()");
    browser.eval(OPEN_INTRODUCTION);
    assert!(browser.wait_until(&format!(
        "{}.includes('This past year') && {}.includes('This past year')",
        frame_text("view-0-2-frame"),
        frame_text("view-0-1-frame")
    )));
    let mut text_ms = Vec::new();
    let mut all_ms = Vec::new();
    let mut word = String::from("year");
    for run in 0..runs {
        let next = format!("year{run}");
        // The page notes when each frame first paints the new word (the
        // browser's clock is the machine's: comparable with the save's).
        browser.eval(&format!(
            "window.seen = {{}}; for (const id of ['view-0-0-frame', 'view-0-1-frame', 'view-0-2-frame']) {{ \
               const f = document.getElementById(id); \
               const check = () => {{ \
                 const pdf = id === 'view-0-0-frame' && f.dataset.version === '{round}'; \
                 let text = ''; try {{ text = f.contentDocument.body.innerText.replace(/-\\n\\s*/g, '').replace(/\\s+/g, ' '); }} catch {{}} \
                 if (pdf || text.includes('This past {next}')) {{ \
                   const note = () => {{ window.seen[id] = performance.timeOrigin + performance.now(); }}; \
                   if (f.closest('.view').hidden) note(); else f.contentWindow.requestAnimationFrame(note); \
                   f.removeEventListener('load', check); }} }}; \
               f.addEventListener('load', check); }}",
            round = run + 2
        ));
        let saved = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64()
            * 1000.0;
        edit(&source, |t| t.replacen(&format!("This past {word} "), &format!("This past {next} "), 1));
        assert!(
            browser.wait_until("Object.keys(window.seen).length === 3"),
            "the change never showed: {}",
            browser.eval("JSON.stringify(window.seen)")
        );
        let seen = browser.eval("window.seen");
        let at = |id: &str| seen[id].as_f64().unwrap() - saved;
        text_ms.push(at("view-0-2-frame"));
        all_ms.push(
            ["view-0-0-frame", "view-0-1-frame", "view-0-2-frame"].map(at).into_iter().fold(0.0, f64::max),
        );
        server.wait_for(|l| l.starts_with(&format!("round {}: built", run + 2)));
        word = next;
        std::thread::sleep(std::time::Duration::from_millis(600));
    }
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[v.len() / 2], v[(v.len() * 9) / 10], v[v.len() - 1])
    };
    let (t50, t90, tmax) = stats(&mut text_ms);
    let (a50, a90, amax) = stats(&mut all_ms);
    let builds: Vec<&String> = server.seen_out.iter().filter(|l| l.starts_with("round ")).collect();
    println!(
        "save → zine view shows it: median {t50:.0} ms, p90 {t90:.0} ms, max {tmax:.0} ms ({runs} saves)"
    );
    println!("save → all three views updated: median {a50:.0} ms, p90 {a90:.0} ms, max {amax:.0} ms");
    println!("last rebuild: {}", builds.last().map_or("", |l| l.as_str()));
    assert!(server.interrupt().success());
}
