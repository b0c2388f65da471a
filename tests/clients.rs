//! Right in every email client (issue 4), checked with real tools rather than by reading
//! our own HTML back: a real browser (headless Chromium), a real compatibility lint (npm
//! `caniemail` through `tests/js/lint-email.mjs`), two real mail parsers (the
//! `mail-parser` crate and Python's `email` package), and the classic Outlook layout.
//!
//! Every tool these tests need is installed by `.ci/run`; a missing tool FAILS the test
//! with a message saying so — nothing here skips silently.
//!
//! Chromium is always run as (see `common::browser` and `SCREEN_FLAGS`):
//!
//! ```text
//! chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
//!          --disable-background-networking --disable-component-update --disable-sync
//!          --hide-scrollbars --force-device-scale-factor=1 --user-data-dir=<fresh tempdir>
//!          (--dump-dom --virtual-time-budget=2000 | --screenshot=FILE --window-size=640,300)
//!          file:///<copy of the page>
//! ```
//!
//! in its own process group, killed (the whole group) after 90 s so that a hung browser
//! fails the test instead of hanging CI.

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use crate::common::{
    browser, copy_of, fragment_of, inlined_banner, names, read, require, run_with_timeout,
    sigblock, utf16, Run, IN_CAMPAIGN,
};
use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders};
use scraper::{Html, Selector};
use serde_json::Value;

// ─── the person every test signs for ─────────────────────────────────────────────────

const NAME: &str = "Ana Ruiz";
const SLUG: &str = "ana-ruiz";
const EMAIL: &str = "ana.ruiz@dss.ca.gov";

/// A hosted banner URL, as the Gmail path takes it (`--image-url`).
const HOSTED: &str = "https://example.org/banner.png";

/// The banner: a 2x bitmap shown at 600×100 CSS pixels (docs/EMAIL-CLIENTS.md, "Images").
const BITMAP: (u32, u32) = (1200, 200);
const DISPLAY: (f64, f64) = (600.0, 100.0);

/// Gmail's signature limit (docs/EMAIL-CLIENTS.md): the pasted fragment must stay under it.
const GMAIL_LIMIT: usize = 10_000;

/// One finished `sigblock` run for [`NAME`], its output folder kept alive.
struct Made {
    out: tempfile::TempDir,
    run: Run,
}

impl Made {
    fn path(&self, name: &str) -> PathBuf {
        self.out.path().join(name)
    }

    fn read(&self, name: &str) -> String {
        read(self.path(name))
    }
}

/// `sigblock --name ... --date 2027-01-15 --no-clipboard EXTRA --out <tempdir>`, which
/// must succeed.
fn make(extra: &[&str]) -> Made {
    make_for(
        &[
            "--name",
            NAME,
            "--title",
            "Program Analyst",
            "--unit",
            "CTRT",
            "--email",
            EMAIL,
            "--phone",
            "(916) 555-0100",
        ],
        extra,
    )
}

fn make_for(person: &[&str], extra: &[&str]) -> Made {
    let out = tempfile::tempdir().unwrap();
    let output = sigblock()
        .args(person)
        .args(extra)
        .args(["--date", IN_CAMPAIGN, "--no-clipboard", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let run = Run::from(output);
    run.expect_code(0);
    Made { out, run }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The `src` of every `<img>` in an HTML document, as a parser reads it back.
fn img_srcs(html: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&selector("img"))
        .map(|img| img.value().attr("src").unwrap_or_default().to_owned())
        .collect()
}

fn decode_png(bytes: &[u8]) -> image::RgbaImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .expect("a PNG that decodes")
        .to_rgba8()
}

/// CRLF → LF. MIME's canonical form of `text/*` has CRLF line breaks (RFC 2046 §4.1.1):
/// mail-builder writes them and a parser hands them back as part of the text, while
/// sigblock's `.txt`/`.html` files use LF (`.gitattributes`). Same text, different
/// line ending convention, so texts are compared after this normalisation.
fn lf(text: &str) -> String {
    text.replace("\r\n", "\n")
}

// ─── 1. a real browser ───────────────────────────────────────────────────────────────

/// Headless, hermetic (fresh profile per run, no network chatter), software rendering
/// at a device scale factor of 1, so screenshots are the same on every machine with
/// the same fonts.
const SCREEN_FLAGS: &[&str] = &["--hide-scrollbars", "--force-device-scale-factor=1"];

/// The script injected into a copy of a page (see the file for what it reports).
const MEASURE_JS: &str = include_str!("browser/measure.js");

/// Runs Debian's `chromium` on `page` with the [`SCREEN_FLAGS`] and `mode` flags;
/// returns what it printed.
fn chromium(page: &Path, mode: &[String]) -> String {
    browser::chromium(
        page,
        SCREEN_FLAGS
            .iter()
            .map(OsStr::new)
            .chain(mode.iter().map(OsStr::new)),
    )
}

/// Injects [`MEASURE_JS`] before `</body>` of `page` (a copy!), loads it in Chromium and
/// returns the JSON the script wrote into `<pre id="sigblock-result">`.
fn measure(page: &Path) -> Value {
    let html = read(page);
    let at = html.rfind("</body>").expect("the page has a </body>");
    let injected = format!(
        "{}<pre id=\"sigblock-result\"></pre>\n<script>\n{MEASURE_JS}</script>\n{}",
        &html[..at],
        &html[at..]
    );
    std::fs::write(page, injected).unwrap();
    let dom = chromium(
        page,
        &["--dump-dom".into(), "--virtual-time-budget=2000".into()],
    );
    let text: String = Html::parse_document(&dom)
        .select(&selector("#sigblock-result"))
        .flat_map(|pre| pre.text())
        .collect();
    let result: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "the measuring script wrote no JSON into the page ({e}); chromium printed:\n{}",
            &dom[..dom.len().min(2000)]
        )
    });
    assert_eq!(result["loaded"], true, "{result:#}");
    result
}

fn images(result: &Value) -> &Vec<Value> {
    result["images"].as_array().expect("an images list")
}

/// The banner as the browser has it: decoded at the 2x bitmap's size, laid out at the
/// display size.
fn assert_banner_rendered(img: &Value) {
    assert_eq!(img["complete"], true, "banner still loading: {img:#}");
    assert_eq!(
        (img["naturalWidth"].as_u64(), img["naturalHeight"].as_u64()),
        (Some(BITMAP.0.into()), Some(BITMAP.1.into())),
        "the banner did not decode to its 2x bitmap size: {img:#}"
    );
    assert_eq!(
        (
            img["layout"]["width"].as_f64(),
            img["layout"]["height"].as_f64()
        ),
        (Some(DISPLAY.0), Some(DISPLAY.1)),
        "the banner is not laid out at 600×100 CSS px: {img:#}"
    );
}

#[test]
fn the_signature_banner_decodes_at_2x_and_is_laid_out_at_600_by_100_in_a_real_browser() {
    let run = make(&[]);
    let copy = copy_of(run.out.path());
    let result = measure(&copy.path().join(format!("{SLUG}.html")));

    assert_eq!(result["charset"], "UTF-8", "{result:#}");
    let images = images(&result);
    assert_eq!(images.len(), 1, "one image, the banner: {result:#}");
    assert!(
        images[0]["src"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,"),
        "the .html inlines the banner: {result:#}"
    );
    assert_banner_rendered(&images[0]);
}

#[test]
fn the_outlook_htm_loads_its_banner_from_the_relative_files_folder_in_a_real_browser() {
    let run = make(&["--format", "outlook"]);
    let copy = copy_of(run.out.path());
    let result = measure(&copy.path().join(format!("{SLUG}.htm")));

    assert_eq!(result["charset"], "UTF-8", "{result:#}");
    let images = images(&result);
    assert_eq!(images.len(), 1, "one image, the banner: {result:#}");
    let relative = format!("{SLUG}_files/banner.png");
    assert_eq!(images[0]["src"], relative.as_str(), "{result:#}");
    // Resolved beside the page: the browser loaded the file from the folder.
    let resolved = format!("file://{}/{relative}", copy.path().display());
    assert_eq!(images[0]["currentSrc"], resolved.as_str(), "{result:#}");
    assert_banner_rendered(&images[0]);
}

#[test]
fn the_batch_gallery_shows_every_card_with_its_banner_decoded_in_a_real_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("staff.csv");
    std::fs::write(
        &csv,
        "name,title,unit,email\n\
         Ana Ruiz,Program Analyst,CTRT,ana.ruiz@dss.ca.gov\n\
         Zoë Ångström-Núñez,Social Worker,RPB,\n\
         Bad Unit,Clerk,Nowhere,\n\
         Lee Chen,Manager,ctrt,lee.chen@dss.ca.gov\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    // `batch` never touches the clipboard: it has no --no-clipboard flag.
    let output = sigblock()
        .arg("batch")
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .args(["--date", IN_CAMPAIGN])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "one row is refused, the rest made:\n{stderr}"
    );

    // The rows made, by the report: their slugs are the cards' ids.
    let mut report = csv::Reader::from_path(out.join("report.csv")).unwrap();
    let headers = report.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (status, files) = (column("status"), column("files"));
    let made: BTreeSet<String> = report
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[status] == "made")
        .map(|r| {
            let html = r[files].split(' ').find(|f| f.ends_with(".html")).unwrap();
            html.trim_end_matches(".html").to_owned()
        })
        .collect();
    assert_eq!(made.len(), 3, "three of the four rows are made");

    let copy = copy_of(&out);
    let result = measure(&copy.path().join("index.html"));
    let cards = result["cards"].as_array().unwrap();
    assert_eq!(cards.len(), made.len(), "one card per row made: {result:#}");
    let ids: BTreeSet<String> = cards
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids, made, "the cards are the rows made");
    for card in cards {
        assert_eq!(card["visible"], true, "{card:#}");
        assert!(
            card["layout"]["width"].as_f64().unwrap() > 0.0
                && card["layout"]["height"].as_f64().unwrap() > 0.0,
            "card not laid out: {card:#}"
        );
        assert_eq!(card["images"], 1, "one banner per card: {card:#}");
    }
    for img in images(&result) {
        assert!(
            img["card"].is_string(),
            "every image is a card's banner: {img:#}"
        );
        assert!(
            img["naturalWidth"].as_u64().unwrap() > 0,
            "a banner did not decode: {img:#}"
        );
        assert_eq!(
            img["src"], "banner.png",
            "the gallery shares one file: {img:#}"
        );
        assert_banner_rendered(img);
    }
}

// ─── the screenshot test ─────────────────────────────────────────────────────────────

/// A pixel "matches" when no channel differs by more than this (of 255)...
const CHANNEL_TOLERANCE: u8 = 16;
/// ...and the screenshot matches when at least this share of its pixels do. Text is
/// ~5 % of this screenshot's pixels: a 1 % budget absorbs anti-aliasing and hinting
/// differences at glyph edges between FreeType builds, but not a different font, a
/// moved line (the whole page 1 px to the side matches only ~92 %), a missing or
/// rescaled banner, or a colour change (a 4-colour requantisation matches ~89 %).
const MIN_MATCHING: f64 = 0.99;

/// The window the signature is shot in: 600 px of banner + 16 px body margins, and
/// the whole signature's height.
const SHOT_SIZE: (u32, u32) = (640, 300);

/// Compares `actual` with `tests/reference/<name>.png`. `MAKE_REF=1` (re)writes the
/// reference instead. On a mismatch, writes `tests/diffs/<name>.png` (differing pixels
/// red over a faded copy of the screenshot) and `tests/diffs/<name>.actual.png`.
fn assert_matches_reference(name: &str, actual: &Path, test: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reference = root.join("tests/reference").join(format!("{name}.png"));
    let actual_bytes = std::fs::read(actual).unwrap();
    if std::env::var_os("MAKE_REF").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(reference.parent().unwrap()).unwrap();
        std::fs::write(&reference, &actual_bytes).unwrap();
        eprintln!("MAKE_REF=1: wrote {}", reference.display());
        return;
    }
    let Ok(reference_bytes) = std::fs::read(&reference) else {
        panic!(
            "no reference screenshot {}: make it with \
             MAKE_REF=1 cargo test --test tests clients::{test}",
            reference.display()
        );
    };
    let (want, got) = (decode_png(&reference_bytes), decode_png(&actual_bytes));
    let diffs = root.join("tests/diffs");
    let keep_actual = || {
        std::fs::create_dir_all(&diffs).unwrap();
        let path = diffs.join(format!("{name}.actual.png"));
        std::fs::write(&path, &actual_bytes).unwrap();
        path
    };
    if want.dimensions() != got.dimensions() {
        let kept = keep_actual();
        panic!(
            "screenshot is {:?}, reference {:?}; screenshot kept as {}",
            got.dimensions(),
            want.dimensions(),
            kept.display()
        );
    }
    let mut diff = image::RgbaImage::new(got.width(), got.height());
    let mut matching = 0usize;
    for ((w, g), d) in want.pixels().zip(got.pixels()).zip(diff.pixels_mut()) {
        let close =
            w.0.iter()
                .zip(g.0)
                .all(|(a, b)| a.abs_diff(b) <= CHANNEL_TOLERANCE);
        if close {
            matching += 1;
            let grey = (g.0[0] as u16 + g.0[1] as u16 + g.0[2] as u16) / 3;
            let faded = (191 + grey / 4) as u8;
            *d = image::Rgba([faded, faded, faded, 255]);
        } else {
            *d = image::Rgba([255, 0, 0, 255]);
        }
    }
    let total = (got.width() * got.height()) as usize;
    let share = matching as f64 / total as f64;
    if share < MIN_MATCHING {
        let kept = keep_actual();
        let diff_path = diffs.join(format!("{name}.png"));
        diff.save(&diff_path).unwrap();
        panic!(
            "screenshot differs from {}: {:.3} % of pixels within ±{CHANNEL_TOLERANCE} per \
             channel, need {:.1} %. Differences (red): {}; screenshot: {}. If the change is \
             intended: MAKE_REF=1 cargo test --test tests clients::{test}",
            reference.display(),
            share * 100.0,
            MIN_MATCHING * 100.0,
            diff_path.display(),
            kept.display()
        );
    }
}

#[test]
fn the_signature_looks_like_the_reference_screenshot() {
    // The template asks for Arial; Linux machines render it with Liberation Sans
    // (Debian fonts-liberation, a dependency of chromium-common). Another fallback font
    // would fail the comparison below: say why up front.
    if let Ok(out) = StdCommand::new("fc-match")
        .args(["-f", "%{family}", "Arial"])
        .output()
    {
        let family = String::from_utf8_lossy(&out.stdout);
        assert!(
            family.contains("Liberation Sans"),
            "Arial resolves to {family:?}, not Liberation Sans: the reference screenshot was \
             made with Liberation Sans (Debian fonts-liberation, installed with chromium by \
             `.ci/run`)"
        );
    }
    let run = make(&[]);
    let copy = copy_of(run.out.path());
    let shot = copy.path().join("screenshot.png");
    chromium(
        &copy.path().join(format!("{SLUG}.html")),
        &[
            format!("--screenshot={}", shot.display()),
            format!("--window-size={},{}", SHOT_SIZE.0, SHOT_SIZE.1),
        ],
    );
    assert!(shot.is_file(), "chromium wrote no screenshot");
    assert_matches_reference(
        "signature-screenshot",
        &shot,
        "the_signature_looks_like_the_reference_screenshot",
    );
}

// ─── 2. a real compatibility lint ────────────────────────────────────────────────────

/// The client families every output is linted for (the `--clients` of lint-email.mjs).
const LINT_CLIENTS: &str = "gmail,outlook,apple-mail,thunderbird,yahoo";

/// Runs `tests/js/lint-email.mjs` on `files` and returns its JSON.
fn lint(files: &[&Path]) -> Value {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    assert!(
        js.join("node_modules/caniemail").is_dir(),
        "the email linter is not installed ({} is missing): `.ci/run` installs it \
         (cd tests/js && npm ci)",
        js.join("node_modules/caniemail").display()
    );
    let node = require("node", "nodejs");
    let logs = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut cmd = StdCommand::new(node);
    cmd.arg(js.join("lint-email.mjs"))
        .args(["--clients", LINT_CLIENTS])
        .args(files)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap());
    let status = run_with_timeout(cmd, Duration::from_secs(30), "lint-email.mjs");
    assert!(
        status.success(),
        "lint-email.mjs failed ({status}):\n{}",
        read(&stderr)
    );
    let result: Value = serde_json::from_str(&read(&stdout)).expect("lint-email.mjs prints JSON");
    assert_eq!(result["files"].as_array().unwrap().len(), files.len());
    result
}

/// Which output of sigblock a linted file is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Output {
    /// `<slug>.html`, banner inlined as `data:` (what goes on the clipboard).
    Html,
    /// `<slug>.html` made with `--image-url` (the Gmail path).
    Gmail,
    /// `<slug>.htm` of `--format outlook` (classic Outlook's signature folder).
    OutlookHtm,
}

/// The whole generated file, or the signature table cut out of it (what is pasted).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Document,
    Fragment,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Severity {
    /// caniemail: not supported ('n') in the client's latest tested version.
    Error,
    /// caniemail: partial or buggy ('a').
    Warning,
}

/// The clients an output is made for: the lint must find no error there, and only the
/// accepted warnings below. Entries ending in `.` are families, others exact ids.
/// ("unknown" = caniemail has no data for the client, mostly thunderbird.windows:
/// nothing to assert on.)
fn targets(output: Output) -> &'static [&'static str] {
    match output {
        // The inlined banner: Apple Mail, Thunderbird, Outlook (new/web/Mac/mobile;
        // classic Windows with the data: caveat accepted below). Not Gmail (no data:
        // images: that is what --image-url is for) and not Yahoo (not a target client).
        Output::Html => &["apple-mail.", "thunderbird.", "outlook."],
        // A hosted https banner works everywhere: every client family.
        Output::Gmail => &[
            "gmail.",
            "outlook.",
            "apple-mail.",
            "thunderbird.",
            "yahoo.",
        ],
        // %APPDATA%\Microsoft\Signatures is read by classic Outlook for Windows only.
        Output::OutlookHtm => &["outlook.windows"],
    }
}

fn client_matches(pattern: &str, client: &str) -> bool {
    match pattern.strip_suffix('.') {
        Some(family) => client.split('.').next() == Some(family),
        None => client == pattern,
    }
}

/// A lint finding we accept, and why.
struct Accepted {
    /// caniemail feature id (its `_features/<id>.md`).
    id: &'static str,
    severity: Severity,
    outputs: &'static [Output],
    /// `None`: in the document and in the pasted fragment alike.
    part: Option<Part>,
    /// Client ids or families (`x.`) it is accepted for; empty: any targeted client.
    clients: &'static [&'static str],
    why: &'static str,
}

const EVERY_OUTPUT: &[Output] = &[Output::Html, Output::Gmail, Output::OutlookHtm];
const ANY_CLIENT: &[&str] = &[];

/// Warnings about CSS and attributes the signature uses exactly as docs/EMAIL-CLIENTS.md says
/// to, where the partial support concerns values or elements we do not use.
const fn everywhere(id: &'static str, why: &'static str) -> Accepted {
    Accepted {
        id,
        severity: Severity::Warning,
        outputs: EVERY_OUTPUT,
        part: None,
        clients: ANY_CLIENT,
        why,
    }
}

/// Findings about the preview document around the signature (`<html>`, `<body>`): the
/// document is opened in a browser or read whole by classic Outlook, but never pasted —
/// only the fragment is, and the fragment is linted on its own, without these.
const fn document_only(id: &'static str, severity: Severity, why: &'static str) -> Accepted {
    Accepted {
        id,
        severity,
        outputs: EVERY_OUTPUT,
        part: Some(Part::Document),
        clients: ANY_CLIENT,
        why,
    }
}

const ACCEPTED: &[Accepted] = &[
    // ── errors ──
    document_only(
        "html-body",
        Severity::Error,
        "<body> is dropped by Outlook for Mac 16.80 and the Yahoo apps: it only wraps the \
         preview; the pasted fragment has no <body>",
    ),
    Accepted {
        id: "image-base64",
        severity: Severity::Error,
        outputs: &[Output::Html],
        part: None,
        clients: &["outlook.windows-mail"],
        why: "caniemail's outlook.windows-mail is the Windows 10/11 Mail app, which Microsoft \
              retired at the end of 2024 for the new Outlook (= outlook.outlook-com, where \
              data: images are supported)",
    },
    // ── warnings ──
    Accepted {
        id: "image-base64",
        severity: Severity::Warning,
        outputs: &[Output::Html],
        part: None,
        clients: &["outlook.windows"],
        why: "classic Outlook 2019+ shows a base64 PNG (partial = no base64 GIF); 2007-2016 \
              does not, and those users take --format outlook (the .htm + _files folder, \
              linted below without data:)",
    },
    document_only(
        "html-body",
        Severity::Warning,
        "webmail replaces <body> by a <div>: the preview's body is not pasted",
    ),
    document_only(
        "css-margin",
        Severity::Warning,
        "margin:16px on the preview's <body> only (partial = negative values / not on \
         <body> in classic Outlook: the margin is for the browser preview)",
    ),
    document_only(
        "css-background",
        Severity::Warning,
        "a plain colour on the preview's <body> (partial = only background-color)",
    ),
    document_only(
        "html-lang",
        Severity::Warning,
        "lang on <html> of the preview (Yahoo: not supported on <td>, which we do not do)",
    ),
    everywhere(
        "css-display",
        "only display:block on the banner <img> (partial = flex/grid/..., or classic \
         Outlook honouring display:none only: the banner is alone in its cell, so \
         nothing moves)",
    ),
    everywhere(
        "css-text-decoration",
        "a single `underline` on links (partial = several values or overline; Gmail apps \
         with non-Google accounts drop it, links keep their colour)",
    ),
    everywhere(
        "css-border",
        "border:0 on the <img> and border-collapse on the table (partial = borders over \
         8 px, or on <p>/<div>)",
    ),
    everywhere(
        "css-font-size",
        "px sizes only (partial = rem/relative units)",
    ),
    everywhere(
        "css-font-weight",
        "the keyword bold only (partial = numeric weights)",
    ),
    everywhere(
        "css-line-height",
        "px line heights; classic Outlook may round them (caniemail suggests \
         mso-line-height-rule:exactly, see the report): lines stay readable",
    ),
    everywhere(
        "css-padding",
        "padding on <td> only, one cell per row (partial = padding outside table cells, \
         or one row's cells sharing the largest vertical padding)",
    ),
    everywhere(
        "css-max-width",
        "max-width on the <img> is belt and braces: the width attribute and width:600px \
         size it (docs/EMAIL-CLIENTS.md; partial = tables only in Outlook, not tables in iOS Mail)",
    ),
    everywhere(
        "css-width",
        "classic Outlook ignores CSS width on <img>: that is why the width attribute is \
         there too (docs/EMAIL-CLIENTS.md)",
    ),
    everywhere(
        "html-width",
        "classic Outlook does not scale attribute sizes at 120 dpi (docs/EMAIL-CLIENTS.md: the \
         PNG's 96-dpi pHYs); the attributes are the only sizing classic Outlook honours",
    ),
    everywhere(
        "html-height",
        "as html-width: attribute sizes do not scale at 120 dpi in classic Outlook",
    ),
    everywhere(
        "html-dir",
        "dir=auto on the name/title/unit cells so right-to-left names read right (buggy \
         only on <a> in Outlook — we put it on <td> — and Gmail mobile web turning a \
         message with RTL text RTL)",
    ),
    everywhere(
        "html-mailto-links",
        "plain mailto: links (partial = bcc not supported)",
    ),
];

fn accepted(
    id: &str,
    severity: Severity,
    output: Output,
    part: Part,
    client: &str,
) -> Option<&'static Accepted> {
    ACCEPTED.iter().find(|a| {
        a.id == id
            && a.severity == severity
            && a.outputs.contains(&output)
            && a.part.is_none_or(|p| p == part)
            && (a.clients.is_empty() || a.clients.iter().any(|c| client_matches(c, client)))
    })
}

/// The lint result of one file.
fn file_result<'a>(lint: &'a Value, file: &Path) -> &'a Value {
    lint["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"].as_str() == file.to_str())
        .unwrap_or_else(|| panic!("no lint result for {}", file.display()))
}

/// Every error and every not-accepted warning the lint reports for a targeted client.
fn unaccepted(lint: &Value, file: &Path, output: Output, part: Part) -> Vec<String> {
    let result = file_result(lint, file);
    let families = result["families"].as_object().unwrap();
    for family in LINT_CLIENTS.split(',') {
        assert!(families.contains_key(family), "no {family} in {result:#}");
    }
    let mut problems = Vec::new();
    for (kind, severity) in [("errors", Severity::Error), ("warnings", Severity::Warning)] {
        for issue in families.values().flat_map(|f| f[kind].as_array().unwrap()) {
            let id = issue["id"].as_str().unwrap_or("?");
            for client in issue["clients"].as_array().unwrap() {
                let client = client.as_str().unwrap();
                if !targets(output).iter().any(|t| client_matches(t, client)) {
                    continue;
                }
                if let Some(a) = accepted(id, severity, output, part, client) {
                    // Visible with --nocapture: what was let through, and why.
                    eprintln!(
                        "accepted: {output:?} {part:?} {severity:?} `{id}` in {client}: {}",
                        a.why
                    );
                } else {
                    problems.push(format!(
                        "{output:?} {part:?} {}: {severity:?} `{id}` ({}) in {client}, \
                         lines {}, notes {}, {}",
                        file.file_name().unwrap().to_string_lossy(),
                        issue["title"],
                        issue["lines"],
                        issue["notes"][client],
                        issue["url"]
                    ));
                }
            }
        }
    }
    problems
}

/// Writes the fragment of `document` beside nothing else, for linting alone.
fn fragment_file(dir: &Path, name: &str, document: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{}\n", fragment_of(document))).unwrap();
    path
}

fn assert_lint_clean(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "caniemail findings for targeted clients that are neither fixed nor accepted \
         (add a reason to ACCEPTED only if the client really is fine):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_pasted_html_signature_passes_the_email_lint_for_apple_mail_thunderbird_and_outlook() {
    let run = make(&["--format", "html"]);
    let document = run.path(format!("{SLUG}.html").as_str());
    let html = read(&document);
    // The assertion on the Gmail output below can fail: this output has a data: URI.
    assert!(
        html.contains("src=\"data:image/png;base64,"),
        "the default .html inlines the banner as a data: URI"
    );
    let work = tempfile::tempdir().unwrap();
    let fragment = fragment_file(work.path(), "fragment.html", &html);

    let lint = lint(&[&document, &fragment]);
    let mut problems = unaccepted(&lint, &document, Output::Html, Part::Document);
    problems.extend(unaccepted(&lint, &fragment, Output::Html, Part::Fragment));
    assert_lint_clean(problems);

    // The linter is not blind to what it is here for: it flags the data: banner for
    // Gmail (lint-email.mjs's own check; caniemail itself does not look at data:).
    let gmail_errors = &file_result(&lint, &fragment)["families"]["gmail"]["errors"];
    assert!(
        gmail_errors
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "image-base64"),
        "the lint should report the data: banner as an error for Gmail: {gmail_errors:#}"
    );
}

#[test]
fn the_gmail_signature_passes_the_email_lint_everywhere_and_fits_gmails_limit() {
    let run = make(&["--format", "html,text", "--image-url", HOSTED]);
    let document = run.path(format!("{SLUG}.html").as_str());
    let html = read(&document);
    assert!(!html.contains("data:"), "Gmail shows no data: images");
    assert_eq!(img_srcs(&html), [HOSTED]);
    let length = fragment_of(&html).chars().count();
    assert!(
        length < GMAIL_LIMIT,
        "Gmail takes at most {GMAIL_LIMIT} characters; the fragment has {length}"
    );
    let work = tempfile::tempdir().unwrap();
    let fragment = fragment_file(work.path(), "fragment.html", &html);

    let lint = lint(&[&document, &fragment]);
    let mut problems = unaccepted(&lint, &document, Output::Gmail, Part::Document);
    problems.extend(unaccepted(&lint, &fragment, Output::Gmail, Part::Fragment));
    assert_lint_clean(problems);
}

#[test]
fn the_outlook_htm_passes_the_email_lint_for_classic_outlook() {
    let run = make(&["--format", "outlook"]);
    let htm = run.path(format!("{SLUG}.htm").as_str());
    assert!(
        !read(&htm).contains("data:"),
        "the .htm links its banner file"
    );
    // Classic Outlook reads the whole file: the document is what it gets.
    let lint = lint(&[&htm]);
    assert_lint_clean(unaccepted(&lint, &htm, Output::OutlookHtm, Part::Document));
}

// ─── 3. real mail parsing ────────────────────────────────────────────────────────────

fn parse_eml(bytes: &[u8]) -> Message<'_> {
    MessageParser::default()
        .parse(bytes)
        .expect("mail-parser parses the .eml")
}

/// `type/subtype` of a part, lower case.
fn mime_type(part: &MessagePart<'_>) -> String {
    let ct = part.content_type().expect("every part has a Content-Type");
    format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()).to_ascii_lowercase()
}

/// The sub-parts of a multipart part.
fn children<'m>(message: &'m Message<'m>, part: &MessagePart<'_>) -> Vec<&'m MessagePart<'m>> {
    part.sub_parts()
        .unwrap_or_else(|| panic!("{} is not a multipart", mime_type(part)))
        .iter()
        .map(|&id| message.part(id).unwrap())
        .collect()
}

fn types(parts: &[&MessagePart<'_>]) -> Vec<String> {
    parts.iter().map(|p| mime_type(p)).collect()
}

/// A Content-ID as an id: without the angle brackets of the header's syntax.
fn bare_cid(cid: &str) -> &str {
    cid.trim().trim_start_matches('<').trim_end_matches('>')
}

#[test]
fn the_test_message_parses_as_text_plus_html_with_the_banner_inline_by_cid() {
    let run = make(&["--format", "html,text,eml"]);
    let bytes = std::fs::read(run.path(format!("{SLUG}.eml").as_str())).unwrap();
    let message = parse_eml(&bytes);

    // The headers a client needs to open it as a message.
    let from = message.from().and_then(|a| a.first()).expect("a From");
    assert_eq!(
        (from.name(), from.address()),
        (Some(NAME), Some(EMAIL)),
        "From"
    );
    let to = message.to().and_then(|a| a.first()).expect("a To");
    assert_eq!(to.address(), Some(EMAIL), "To");
    assert!(
        message.subject().is_some_and(|s| s.contains(NAME)),
        "Subject: {:?}",
        message.subject()
    );
    let date = message.date().expect("a Date");
    assert_eq!((date.year, date.month, date.day), (2027, 1, 15), "{date:?}");
    assert_eq!(
        message.header_raw("MIME-Version").map(str::trim),
        Some("1.0")
    );

    // multipart/alternative [ text/plain, multipart/related [ text/html, image/png ] ]
    let root = message.root_part();
    assert_eq!(mime_type(root), "multipart/alternative");
    let alternatives = children(&message, root);
    assert_eq!(
        types(&alternatives),
        ["text/plain", "multipart/related"],
        "plain text first, the richest last (RFC 2046 §5.1.4)"
    );
    let related = alternatives[1];
    assert_eq!(
        related.content_type().unwrap().attribute("type"),
        Some("text/html"),
        "multipart/related names its root's type (RFC 2387)"
    );
    let related_parts = children(&message, related);
    assert_eq!(types(&related_parts), ["text/html", "image/png"]);
    let (html_part, image_part) = (related_parts[0], related_parts[1]);

    // The HTML's cid: reference is the image part's Content-ID.
    let cid = bare_cid(image_part.content_id().expect("the image has a Content-ID"));
    assert!(!cid.is_empty());
    let html = html_part.text_contents().expect("the HTML part is text");
    assert_eq!(img_srcs(html), [format!("cid:{cid}")]);
    assert_eq!(
        image_part
            .content_disposition()
            .map(|d| d.ctype().to_ascii_lowercase()),
        Some("inline".to_owned()),
        "shown inline, not as an attachment"
    );

    // The image decodes, and is the banner the .html inlines.
    let png = image_part.contents();
    assert_eq!(decode_png(png).dimensions(), BITMAP);
    let document = run.read(&format!("{SLUG}.html"));
    assert!(
        inlined_banner(&document) == png,
        "the message's banner is the .html's"
    );

    // The message shows what the files hold: the text part is the .txt, the HTML part
    // the .html with the banner by cid: (compared with LF line ends, see `lf`).
    let text = alternatives[0]
        .text_contents()
        .expect("the text part is text");
    assert_eq!(lf(text), run.read(&format!("{SLUG}.txt")));
    let data_uri = format!(
        "data:image/png;base64,{}",
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, png)
    );
    assert_eq!(lf(html).replace(&format!("cid:{cid}"), &data_uri), document);
}

/// Python's `email` package (policy.default) reading the same message: headers, the
/// MIME tree (type, Content-ID, disposition, decoded content), and any defects it
/// found, as JSON.
const PYTHON_EMAIL: &str = r#"
import base64, email, email.policy, json, sys
with open(sys.argv[1], "rb") as f:
    msg = email.message_from_binary_file(f, policy=email.policy.default)
def walk(part):
    node = {
        "type": part.get_content_type(),
        "cid": part.get("Content-ID"),
        "disposition": part.get_content_disposition(),
        "defects": [type(d).__name__ for d in part.defects],
    }
    if part.is_multipart():
        node["parts"] = [walk(p) for p in part.iter_parts()]
    else:
        content = part.get_content()
        if isinstance(content, str):
            node["text"] = content
        else:
            node["base64"] = base64.b64encode(content).decode("ascii")
    return node
date = msg["Date"]
print(json.dumps({
    "headers": {h: (str(msg[h]) if msg[h] is not None else None)
                for h in ("From", "To", "Subject", "Date", "MIME-Version")},
    "date": date.datetime.isoformat() if date is not None else None,
    "tree": walk(msg),
}))
"#;

fn python_email(eml: &Path) -> Value {
    let python = require("python3", "python3");
    let logs = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (logs.path().join("stdout"), logs.path().join("stderr"));
    let mut cmd = StdCommand::new(python);
    cmd.args([OsStr::new("-c"), OsStr::new(PYTHON_EMAIL), eml.as_os_str()])
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap());
    let status = run_with_timeout(cmd, Duration::from_secs(30), "python3 email");
    assert!(status.success(), "python3 failed:\n{}", read(&stderr));
    serde_json::from_str(&read(&stdout)).expect("python printed JSON")
}

/// The same tree as [`PYTHON_EMAIL`] builds, from mail-parser: (type, Content-ID,
/// text with LF line ends, or bytes, children).
#[derive(Debug, PartialEq)]
struct Node {
    mime: String,
    cid: Option<String>,
    text: Option<String>,
    bytes: Option<Vec<u8>>,
    parts: Vec<Node>,
}

fn tree_from_mail_parser(message: &Message<'_>, part: &MessagePart<'_>) -> Node {
    let mime = mime_type(part);
    let multipart = part.sub_parts().is_some();
    Node {
        cid: part.content_id().map(|c| bare_cid(c).to_owned()),
        text: (!multipart && mime.starts_with("text/")).then(|| lf(part.text_contents().unwrap())),
        bytes: (!multipart && !mime.starts_with("text/")).then(|| part.contents().to_vec()),
        parts: if multipart {
            children(message, part)
                .into_iter()
                .map(|p| tree_from_mail_parser(message, p))
                .collect()
        } else {
            Vec::new()
        },
        mime,
    }
}

fn tree_from_python(node: &Value) -> Node {
    assert_eq!(
        node["defects"],
        serde_json::json!([]),
        "Python's email package found defects in {}",
        node["type"]
    );
    Node {
        mime: node["type"].as_str().unwrap().to_owned(),
        cid: node["cid"].as_str().map(|c| bare_cid(c).to_owned()),
        text: node["text"].as_str().map(lf),
        bytes: node["base64"].as_str().map(|b| {
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).unwrap()
        }),
        parts: node["parts"]
            .as_array()
            .map(|parts| parts.iter().map(tree_from_python).collect())
            .unwrap_or_default(),
    }
}

#[test]
fn python_email_agrees_with_mail_parser_on_the_test_message() {
    let run = make(&["--format", "text,eml"]);
    let eml = run.path(format!("{SLUG}.eml").as_str());
    let python = python_email(&eml);

    for header in ["From", "To", "Subject", "Date", "MIME-Version"] {
        assert!(
            python["headers"][header]
                .as_str()
                .is_some_and(|v| !v.trim().is_empty()),
            "Python finds no {header}: {:#}",
            python["headers"]
        );
    }
    assert!(python["headers"]["From"].as_str().unwrap().contains(EMAIL));
    assert_eq!(python["date"], "2027-01-15T12:00:00+00:00");

    let bytes = std::fs::read(&eml).unwrap();
    let message = parse_eml(&bytes);
    let ours = tree_from_mail_parser(&message, message.root_part());
    let theirs = tree_from_python(&python["tree"]);
    assert_eq!(ours, theirs, "the two parsers disagree on the message");

    // And both read the structure this product promises.
    let shape = |n: &Node| n.parts.iter().map(|p| p.mime.clone()).collect::<Vec<_>>();
    assert_eq!(theirs.mime, "multipart/alternative");
    assert_eq!(shape(&theirs), ["text/plain", "multipart/related"]);
    assert_eq!(shape(&theirs.parts[1]), ["text/html", "image/png"]);
    assert_eq!(
        theirs.parts[0].text.as_deref(),
        Some(run.read(&format!("{SLUG}.txt")).as_str()),
        "Python's text part is the .txt (with LF line ends)"
    );
}

#[test]
fn the_gmail_test_message_references_the_hosted_banner_and_attaches_nothing() {
    let run = make(&["--format", "eml", "--image-url", HOSTED]);
    let bytes = std::fs::read(run.path(format!("{SLUG}.eml").as_str())).unwrap();
    let message = parse_eml(&bytes);

    let root = message.root_part();
    assert_eq!(mime_type(root), "multipart/alternative");
    let alternatives = children(&message, root);
    assert_eq!(types(&alternatives), ["text/plain", "text/html"]);
    assert!(
        message
            .parts
            .iter()
            .all(|p| !mime_type(p).starts_with("image/") && p.content_id().is_none()),
        "no image part when the banner is hosted: {:?}",
        message.parts.iter().map(mime_type).collect::<Vec<_>>()
    );
    let html = alternatives[1].text_contents().unwrap();
    assert_eq!(img_srcs(html), [HOSTED]);
    assert!(!html.contains("cid:") && !html.contains("data:"));
}

// ─── 4. the classic Outlook layout ───────────────────────────────────────────────────

#[test]
fn outlook_format_writes_the_classic_outlook_signature_folder() {
    // Non-ASCII on purpose: a .htm read in the wrong charset shows "ZoÃ«" (docs/EMAIL-CLIENTS.md).
    let name = "Zoë Ångström-Núñez";
    let slug = "zoe-angstrom-nunez";
    let run = make_for(
        &["--name", name, "--title", "Social Worker", "--unit", "RPB"],
        &["--format", "outlook"],
    );
    let files = format!("{slug}_files");
    assert_eq!(
        names(run.out.path()),
        [format!("{slug}.htm"), format!("{slug}.txt"), files.clone()]
    );
    assert_eq!(names(run.path(&files)), ["banner.png"]);

    let bytes = std::fs::read(run.path(&format!("{slug}.htm"))).unwrap();
    let htm = String::from_utf8(bytes).expect("the .htm is UTF-8");
    assert!(htm.contains(name), "the name, as UTF-8");
    let page = Html::parse_document(&htm);
    let charsets: Vec<_> = page
        .select(&selector("meta[charset]"))
        .map(|m| m.value().attr("charset").unwrap().to_ascii_lowercase())
        .collect();
    assert_eq!(charsets, ["utf-8"], "one <meta charset=\"utf-8\">");

    let src = format!("{files}/banner.png");
    assert_eq!(img_srcs(&htm), [src.as_str()], "relative, forward slash");
    assert!(!htm.contains('\\') && !htm.contains("data:"));
    assert!(run.path(&src).is_file(), "{src} exists beside the .htm");
    assert_eq!(
        decode_png(&std::fs::read(run.path(&src)).unwrap()).dimensions(),
        BITMAP
    );

    // The .txt as Outlook reads it and install writes it: UTF-16 LE after a BOM, CRLF.
    let bytes = std::fs::read(run.path(&format!("{slug}.txt"))).unwrap();
    assert_eq!(bytes[..2], [0xFF, 0xFE], "starts with FF FE");
    let text = utf16(&bytes, "the .txt");
    assert!(
        text.starts_with("-- \r\n") && text.contains(name),
        "the plain-text signature: {text:?}"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends CRLF"
    );
}

#[test]
fn with_text_and_outlook_the_one_txt_is_outlooks() {
    let run = make(&["--format", "text,outlook"]);
    let bytes = std::fs::read(run.path(&format!("{SLUG}.txt"))).unwrap();
    let alone = make(&["--format", "text"]);
    let utf8 = alone.read(&format!("{SLUG}.txt"));
    assert_eq!(
        utf16(&bytes, "the .txt"),
        utf8.replace('\n', "\r\n"),
        "the same text, as Outlook reads it"
    );
}

#[test]
fn the_outlook_banner_file_is_the_png_the_html_inlines() {
    let run = make(&["--format", "html,outlook"]);
    let html = run.read(&format!("{SLUG}.html"));
    let file = std::fs::read(run.path(&format!("{SLUG}_files/banner.png"))).unwrap();
    assert!(
        inlined_banner(&html) == file,
        "{SLUG}_files/banner.png differs from the banner inlined in {SLUG}.html"
    );
}

// ─── 5. --image-url ──────────────────────────────────────────────────────────────────

#[test]
fn a_hosted_banner_url_is_escaped_in_the_html_and_parses_back_unchanged() {
    let url = "https://example.org/sig/banner.png?v=2&size=1200";
    let run = make(&["--image-url", url]);
    let html = run.read(&format!("{SLUG}.html"));
    assert!(
        html.contains(r#"src="https://example.org/sig/banner.png?v=2&amp;size=1200""#),
        "`&` is written as `&amp;` in the attribute:\n{html}"
    );
    assert!(!html.contains("?v=2&size"), "no bare `&` in the attribute");
    assert_eq!(img_srcs(&html), [url], "an HTML parser reads the URL back");
    assert!(!html.contains("data:"));
}

#[test]
fn a_banner_url_that_is_not_https_is_refused_naming_the_flag_and_the_value() {
    for url in ["http://example.org/banner.png", "javascript:alert(1)"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("signatures");
        let output = sigblock()
            .args([
                "--name",
                NAME,
                "--title",
                "Program Analyst",
                "--unit",
                "CTRT",
            ])
            .args(["--image-url", url])
            .args(["--date", IN_CAMPAIGN, "--no-clipboard", "--out"])
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{url}: {stderr}");
        assert!(
            stderr.contains("--image-url") && stderr.contains(url),
            "{url}: the error names the flag and the value:\n{stderr}"
        );
        assert!(
            !out.exists() || names(&out).is_empty(),
            "{url}: nothing written"
        );
    }
}

/// An office's units file whose every value is as long as allowed, of `&` (five
/// characters each in HTML), with a unit `Long` using them and a unit `Short` that does
/// not; the organization is long for both.
fn longest_office(dir: &Path) -> PathBuf {
    let amps = |n| "&".repeat(n);
    let toml = format!(
        "organization = \"{}\"\n\
         [contact.long]\nteam = \"{}\"\nemail = \"{}@{}.org\"\nabout = \"{}\"\n\
         [contact.short]\nteam = \"Short Team\"\nemail = \"short@dss.ca.gov\"\nabout = \"For more\"\n\
         [[unit]]\nname = \"Long {}\"\ncontact = \"long\"\n\
         [[unit]]\nname = \"Short\"\ncontact = \"short\"\n",
        amps(200),
        amps(200),
        "a".repeat(60),
        "b".repeat(60),
        amps(600),
        amps(195)
    );
    let path = dir.join("office.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

#[test]
fn a_signature_over_gmails_limit_is_said_for_one_person_and_counted_once_for_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let office = longest_office(dir.path());
    let url = format!("https://example.org/{}.png", "b".repeat(1_900));
    let amps = "&".repeat(200);
    let one = Run::from(
        sigblock()
            .current_dir(dir.path())
            .args(["--name", &amps, "--title", &amps, "--unit", "Long"])
            .arg("--config")
            .arg(&office)
            .args(["--image-url", &url, "--date", IN_CAMPAIGN, "--no-clipboard"])
            .args(["--out", "one"])
            .output()
            .unwrap(),
    );
    one.expect_code(0);
    let html = read(dir.path().join("one").join("signature.html"));
    let chars = fragment_of(&html).chars().count();
    assert!(chars > 10_000, "{chars}");
    assert!(
        one.says(&format!(
            "note: the signature is {} characters of HTML; Gmail takes at most 10,000 \
             (Settings > Signature refuses more)",
            sigblock::text::thousands(chars as u64)
        )),
        "{}",
        one.stderr
    );

    // A batch of the same person and one within the limit: one note, with the count.
    let csv = dir.path().join("staff.csv");
    std::fs::write(
        &csv,
        format!("name,title,unit\n\"{amps}\",\"{amps}\",Long\nAna Ruiz,Analyst,Short\n"),
    )
    .unwrap();
    let out = dir.path().join("batch");
    let office_flag = office.to_string_lossy().into_owned();
    let run = crate::common::batch(&csv, &out, &["--config", &office_flag, "--image-url", &url]);
    run.expect_code(0);
    let notes: Vec<&str> = run.stderr.lines().filter(|l| l.contains("Gmail")).collect();
    assert_eq!(
        notes,
        [format!(
            "note: 1 of the 2 signatures made is over the 10,000 characters Gmail's signature \
             settings take: the longest is {} characters; report.csv's note column names them",
            sigblock::text::thousands(chars as u64)
        )],
        "{}",
        run.stderr
    );
    let report = crate::common::report(&out);
    let note = |row: usize| report[row].get(10).unwrap().to_owned();
    assert_eq!(note(0), "over Gmail's 10,000 characters");
    assert_eq!(note(1), "");
}

#[test]
fn the_gmail_hint_is_given_only_without_a_hosted_banner_url() {
    let inlined = make(&[]);
    assert!(
        inlined.run.stderr.contains("Gmail") && inlined.run.stderr.contains("--image-url"),
        "without --image-url, say that Gmail needs it:\n{}",
        inlined.run.stderr
    );
    let hosted = make(&["--image-url", HOSTED]);
    assert!(
        !hosted.run.stderr.to_lowercase().contains("gmail"),
        "with --image-url, no Gmail note:\n{}",
        hosted.run.stderr
    );
}
