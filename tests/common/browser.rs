//! A real browser: Debian's headless Chromium, run on a page sigblock wrote.

use std::ffi::OsStr;
use std::fs::File;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use super::{read, require, run_with_timeout};

/// Debian's headless Chromium on this closed network, as root: no sandbox (it refuses
/// root otherwise), no GPU, and none of its background connections (refused here, many
/// at a time). Every browser test starts from these, with a fresh `--user-data-dir`.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// How long one Chromium run may take (the largest page is the 10,000-person gallery);
/// then it and every process it started are killed and the test fails, instead of a
/// hung browser hanging CI.
const TIME_LIMIT: Duration = Duration::from_secs(90);

/// Runs `chromium` [`CHROMIUM_FLAGS`] `args` on `page`, with a fresh profile, in its own
/// process group (killed after [`TIME_LIMIT`]); returns what it printed. Fails when it
/// is not installed or fails.
pub fn chromium<I, S>(page: &Path, args: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let binary = require("chromium", "chromium");
    let profile = tempfile::tempdir().unwrap();
    let logs = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (logs.path().join("stdout"), logs.path().join("stderr"));
    // A path with spaces or `%` (a Windows signature's name) as a URL.
    let url = format!(
        "file://{}",
        page.to_str()
            .expect("a UTF-8 path")
            .replace('%', "%25")
            .replace(' ', "%20")
    );
    let mut cmd = std::process::Command::new(binary);
    cmd.args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap());
    let status = run_with_timeout(cmd, TIME_LIMIT, "chromium");
    assert!(
        status.success(),
        "chromium {url} failed ({status}); stderr:\n{}",
        std::fs::read_to_string(&stderr).unwrap_or_default()
    );
    std::fs::read_to_string(&stdout).unwrap_or_default()
}

/// Loads a copy of `page` (beside it, so that its relative links resolve) with `script`
/// added before `</body>`, and returns the JSON the script put in `<body data-probe>`.
/// The copy records every script error from the start as `window.__errors`; the script
/// puts them in its JSON as `errors`, and there must be none.
pub fn probe(page: &Path, script: &str) -> serde_json::Value {
    let html = read(page);
    assert!(
        html.contains("<head>") && html.contains("</body>"),
        "{}: no <head> or </body> to add the probe to",
        page.display()
    );
    let html = html
        .replacen(
            "<head>",
            "<head><script>window.__errors=[];\
             window.addEventListener('error',e=>__errors.push(String(e.message)));</script>",
            1,
        )
        .replacen("</body>", &format!("<script>{script}</script></body>"), 1);
    let copy = page.with_file_name("_probe.html");
    std::fs::write(&copy, html).unwrap();
    let dom = chromium(
        &copy,
        [
            "--allow-file-access-from-files",
            "--virtual-time-budget=20000",
            "--dump-dom",
        ],
    );
    std::fs::remove_file(&copy).unwrap();
    let doc = scraper::Html::parse_document(&dom);
    let body = doc
        .select(&scraper::Selector::parse("body").unwrap())
        .next()
        .expect("a body");
    let probe = body.value().attr("data-probe").unwrap_or_else(|| {
        panic!(
            "the probe did not run; chromium printed:\n{}",
            &dom[..dom.len().min(2000)]
        )
    });
    let value: serde_json::Value = serde_json::from_str(probe).unwrap();
    assert_eq!(value["errors"], serde_json::json!([]), "{value}");
    value
}
