//! The real Windows build, `sigblock.exe` (x86_64-pc-windows-gnu), end to end under Wine.
//!
//! Every test here is `#[ignore]`d: plain `cargo test` skips them. `bash
//! scripts/windows-e2e.sh` cross-builds the .exe, puts the `bcryptprimitives.dll` shim
//! beside it (scripts/wine/shim.c: Wine 8 lacks `ProcessPrng`), makes a throwaway Wine
//! prefix and an X display, and runs them with `--ignored`, telling them where everything is:
//!
//! | variable | what |
//! |---|---|
//! | `SIGBLOCK_EXE` | the Linux path of `sigblock.exe` (the shim DLL beside it) |
//! | `WINEPREFIX` | the Wine prefix to run it in (its `drive_c` is `C:`) |
//! | `SIGBLOCK_WINE_DISPLAY` | the X display (Xvfb) Wine draws on and bridges its clipboard to |
//! | `SIGBLOCK_WINE_HOLD` | `hold.exe` (scripts/wine/hold.c): keeps a file open like another program |
//! | `SIGBLOCK_WINE` | optional: the `wine` command (default `wine`) |
//!
//! A missing variable **fails** the test, loudly: these tests never pass without running.
//!
//! Paths go to the .exe the Windows way (`C:\...`, `Z:\...` for the Linux root, or
//! relative with backslashes); the files are checked on the Linux side. Where the Windows
//! build should make what the Linux build makes, the Linux binary of the same commit runs
//! the same input and the bytes are compared. A Wine start costs a fraction of a second
//! on a warm prefix (seconds on a cold one), so each test runs the .exe only a few times.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{
    self, browser, copy_of, files_under, fragment_of, inlined_banner, names, read, require,
    snapshot, utf16, Run, IN_CAMPAIGN,
};
use tempfile::TempDir;

/// Hostile, round three, on Windows.
mod round3;

// ---------------------------------------------------------------------------------------
// Helpers: the Wine environment, running the .exe, Windows paths, what the files hold.

/// How long one run of the .exe under Wine may take (a cold prefix starts its services).
const PATIENCE: Duration = Duration::from_secs(180);

/// The note every run that inlines the banner in HTML gives, Linux and Windows alike.
const GMAIL_NOTE: &str = "note: Gmail does not show inlined images; for Gmail, host the banner \
                          (sigblock banner --out banner.png) and add --image-url https://…/banner.png";

/// A person whose name is not ASCII: the command line, the slug and the files must keep it.
const JOSE: &[&str] = &[
    "--name",
    "José Núñez",
    "--title",
    "Analyst – Level II",
    "--unit",
    "CTRT",
    "--email",
    "jose.nunez@dss.ca.gov",
    "--phone",
    "(916) 555-0142",
];

/// What the harness (scripts/windows-e2e.sh) set up, read from the environment.
struct Wine {
    /// `wine`, or `SIGBLOCK_WINE`.
    wine: OsString,
    /// The Linux path of sigblock.exe.
    exe: PathBuf,
    prefix: PathBuf,
    display: String,
}

fn required(name: &str) -> OsString {
    match std::env::var_os(name) {
        Some(value) if !value.is_empty() => value,
        _ => panic!(
            "{name} is not set: these tests run sigblock.exe under Wine and need the harness; \
             run them with `bash scripts/windows-e2e.sh` (it sets SIGBLOCK_EXE, WINEPREFIX, \
             SIGBLOCK_WINE_DISPLAY and SIGBLOCK_WINE_HOLD)"
        ),
    }
}

impl Wine {
    /// The environment the harness gave, checked: a missing piece fails here, by name.
    fn from_env() -> Wine {
        let exe = PathBuf::from(required("SIGBLOCK_EXE"));
        assert!(
            exe.is_file(),
            "SIGBLOCK_EXE={}: no such file",
            exe.display()
        );
        let shim = exe.with_file_name("bcryptprimitives.dll");
        assert!(
            shim.is_file(),
            "{} is missing: without it a Rust .exe does not start under Wine 8 \
             (scripts/windows-e2e.sh builds it from scripts/wine/shim.c)",
            shim.display()
        );
        let prefix = PathBuf::from(required("WINEPREFIX"));
        assert!(
            prefix.join("drive_c").is_dir(),
            "WINEPREFIX={}: not a Wine prefix (no drive_c)",
            prefix.display()
        );
        let display = required("SIGBLOCK_WINE_DISPLAY")
            .into_string()
            .expect("SIGBLOCK_WINE_DISPLAY is text");
        let wine = std::env::var_os("SIGBLOCK_WINE")
            .filter(|w| !w.is_empty())
            .unwrap_or_else(|| "wine".into());
        Wine {
            wine,
            exe,
            prefix,
            display,
        }
    }

    /// `wine PROGRAM` in `cwd`, in the harness's prefix, on its display.
    fn wine(&self, program: &Path, cwd: &Path) -> Command {
        let mut cmd = Command::new(&self.wine);
        cmd.arg(program)
            .current_dir(cwd)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            // No prompts to install Wine's Mono or Gecko.
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=d")
            // Wine turns the command line from the Unix locale's charset into UTF-16:
            // under LANG=C, "José Núñez" arrives mangled (its slug became josc-nc-c1ez).
            .env("LC_ALL", "C.UTF-8")
            // Every run has the display: a Windows desktop always has one.
            .env("DISPLAY", &self.display)
            .env_remove("WAYLAND_DISPLAY");
        cmd
    }

    /// `wine sigblock.exe` in `cwd`, set up like `common::sigblock()`: its own banner
    /// cache, no colour. The clipboard is left alone unless a test leaves out
    /// `--no-clipboard`.
    fn command(&self, cwd: &Path) -> assert_cmd::Command {
        let mut inner = self.wine(&self.exe, cwd);
        inner
            .env(
                "SIGBLOCK_CACHE_DIR",
                windows_path(&self.prefix, &wine_cache_dir()),
            )
            .env("NO_COLOR", "1");
        let mut cmd = assert_cmd::Command::from_std(inner);
        cmd.write_stdin("").timeout(PATIENCE);
        cmd
    }

    /// Runs `sigblock.exe ARGS` in `cwd` and waits for it.
    fn run(&self, cwd: &Path, args: &[&str]) -> Run {
        let started = Instant::now();
        let output = self.command(cwd).args(args).output().unwrap();
        // Shown with the test's output when it fails: a cold prefix takes seconds.
        println!("sigblock.exe {args:?} took {:?}", started.elapsed());
        let run = Run::from(output);
        // Wine's own complaints would mean the harness is wrong, not sigblock.
        assert!(
            !run.stderr.contains("wine: ") && !run.stderr.contains("err:"),
            "Wine complained:\n{}",
            run.stderr
        );
        run
    }

    /// A new empty folder on the prefix's `C:` drive, as (Linux path, `C:\...` path).
    fn c_drive_dir(&self) -> (TempDir, String) {
        let base = self.prefix.join("drive_c").join("sigblock-e2e");
        std::fs::create_dir_all(&base).unwrap();
        let dir = tempfile::Builder::new()
            .prefix("run-")
            .tempdir_in(&base)
            .unwrap();
        let windows = windows_path(&self.prefix, dir.path());
        assert!(windows.starts_with("C:\\"), "{windows}");
        (dir, windows)
    }
}

/// The banner cache the .exe uses in these tests (shared: the banner is made once).
fn wine_cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("sigblock-cache-wine")
}

/// How the .exe sees a Linux path: under the prefix's `drive_c` it is on `C:`, anything
/// else on `Z:` (Wine maps `Z:` to `/`).
fn windows_path(prefix: &Path, path: &Path) -> String {
    let path = std::path::absolute(path).unwrap();
    let (drive, rest) = match path.strip_prefix(prefix.join("drive_c")) {
        Ok(rest) => ("C:", rest.to_path_buf()),
        Err(_) => ("Z:", path.strip_prefix("/").unwrap().to_path_buf()),
    };
    let rest = rest.to_str().expect("a UTF-8 path").replace('/', "\\");
    format!("{drive}\\{rest}")
}

/// A run's stderr without the Gmail note (checked once, in the first story).
fn without_gmail_note(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| *l != GMAIL_NOTE).collect()
}

/// The Linux build of the same commit, `sigblock ARGS --no-clipboard` in `cwd`: what the
/// Windows build is compared with.
fn linux(cwd: &Path, args: &[&str]) -> Output {
    let output = common::sigblock()
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.code().is_some(),
        "the Linux sigblock was killed"
    );
    output
}

/// Each file in `files` is the same bytes under `windows` as under `linux`.
fn assert_same_files(windows: &Path, linux: &Path, files: &[String]) {
    for file in files {
        let (w, l) = (
            std::fs::read(windows.join(file)).unwrap(),
            std::fs::read(linux.join(file)).unwrap(),
        );
        if w != l {
            let first = w
                .iter()
                .zip(&l)
                .position(|(a, b)| a != b)
                .unwrap_or(w.len().min(l.len()));
            let around = |b: &[u8]| {
                String::from_utf8_lossy(&b[first.saturating_sub(40)..(first + 40).min(b.len())])
                    .into_owned()
            };
            panic!(
                "{file}: the Windows build wrote {} bytes, the Linux build {}; first difference \
                 at byte {first}:\n windows: {:?}\n linux:   {:?}",
                w.len(),
                l.len(),
                around(&w),
                around(&l)
            );
        }
    }
}

/// Checks a PNG decodes whole and is `width`×`height`.
fn assert_png(png: &[u8], width: u32, height: u32, what: &str) {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{what} is not a PNG that decodes: {e}"));
    assert_eq!(
        (image.width(), image.height()),
        (width, height),
        "{what}: size"
    );
}

/// A signature document as sigblock writes it: UTF-8 (`read` fails otherwise), its
/// charset said, the person's name in the title and a cell, no CR, the banner inlined.
fn assert_html_document(html: &str, name: &str, what: &str) {
    assert!(
        html.starts_with("<!DOCTYPE html>\n"),
        "{what}: {}",
        html.chars().take(80).collect::<String>()
    );
    assert!(html.contains("<meta charset=\"utf-8\">"), "{what}: charset");
    assert!(
        html.contains(&format!("<title>Email signature: {name}</title>")),
        "{what}: the title names {name}"
    );
    assert!(
        html.contains(&format!(">{name}</td>")),
        "{what}: a cell names {name}"
    );
    assert!(!html.contains('\r'), "{what}: CR in the document");
    assert!(
        !html.contains('\u{FFFD}') && !html.contains('Ã'),
        "{what}: mangled text"
    );
    assert_png(
        &inlined_banner(html),
        1200,
        200,
        &format!("{what}: the inlined banner"),
    );
}

/// Is any of our temporaries (`.sigblock-*.tmp`) left under `dir`?
fn temporaries(dir: &Path) -> Vec<String> {
    files_under(dir)
        .into_iter()
        .filter(|f| {
            let name = f.rsplit('/').next().unwrap();
            name.starts_with(".sigblock-") && name.ends_with(".tmp")
        })
        .collect()
}

/// Encodes text as Windows-1252 (every character must have a code there).
fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '–' => 0x96,
            '’' => 0x92,
            c if (c as u32) < 0x80 || (0xA0..=0xFF).contains(&(c as u32)) => c as u8,
            c => panic!("{c:?} is not in this little Windows-1252 table"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// One person

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn an_accented_name_into_a_c_drive_folder_with_spaces_gives_utf8_files_and_says_where() {
    let wine = Wine::from_env();
    let (dir, c_dir) = wine.c_drive_dir();
    // Absolute, backslashes, a space, two levels that do not exist yet.
    let out = format!("{c_dir}\\my sigs\\2027");
    let mut args = JOSE.to_vec();
    args.extend(["--out", &out, "--date", IN_CAMPAIGN, "--no-clipboard"]);
    let run = wine.run(dir.path(), &args);
    run.expect_code(0);

    // The files by name, and the folder as the person typed it, Windows separators and all.
    assert_eq!(
        run.stdout,
        format!("wrote jose-nunez.html and jose-nunez.txt in {out}\n")
    );
    assert_eq!(run.stderr, format!("{GMAIL_NOTE}\n"));

    let folder = dir.path().join("my sigs").join("2027");
    assert_eq!(names(&folder), ["jose-nunez.html", "jose-nunez.txt"]);
    let html = read(folder.join("jose-nunez.html"));
    assert_html_document(&html, "José Núñez", "jose-nunez.html");
    assert!(
        html.contains(">Analyst – Level II</td>"),
        "the en dash survives"
    );
    assert!(html.contains("href=\"mailto:jose.nunez@dss.ca.gov\""));

    let text = read(folder.join("jose-nunez.txt"));
    assert!(
        text.starts_with("-- \nJosé Núñez\nAnalyst – Level II\n"),
        "{text:?}"
    );
    assert!(!text.contains('\r'), "LF line ends, as on Linux: {text:?}");

    // The same bytes as the Linux build makes from the same flags.
    let linux_dir = TempDir::new().unwrap();
    let mut linux_args = JOSE.to_vec();
    linux_args.extend(["--out", "out", "--date", IN_CAMPAIGN, "--no-clipboard"]);
    let made = linux(linux_dir.path(), &linux_args);
    assert_eq!(made.status.code(), Some(0));
    assert_same_files(&folder, &linux_dir.path().join("out"), &names(&folder));
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn every_format_into_a_relative_folder_with_backslashes_matches_the_linux_build() {
    let wine = Wine::from_env();
    let dir = TempDir::new().unwrap();
    let mut args = JOSE.to_vec();
    args.extend([
        "--out",
        "out dir\\sub",
        "--format",
        "html,text,eml,outlook",
        "--date",
        IN_CAMPAIGN,
        "--no-clipboard",
    ]);
    let run = wine.run(dir.path(), &args);
    run.expect_code(0);

    let files = [
        "jose-nunez.eml",
        "jose-nunez.htm",
        "jose-nunez.html",
        "jose-nunez.txt",
        "jose-nunez_files/banner.png",
    ];
    let out = dir.path().join("out dir").join("sub");
    assert_eq!(
        files_under(&out),
        files,
        "a folder `out dir/sub`, not a file named with a backslash"
    );
    assert_eq!(names(dir.path()), ["out dir"]);

    // In the order written: html, eml, then Outlook's banner, .htm and .txt (with
    // outlook, the one .txt is Outlook's), and the folder in full, as Windows says it.
    const WROTE: &str = "wrote jose-nunez.html, jose-nunez.eml, jose-nunez_files/banner.png, \
                         jose-nunez.htm and jose-nunez.txt in";
    assert_eq!(
        run.stdout,
        format!("{WROTE} {}\n", windows_path(&wine.prefix, &out))
    );
    assert!(without_gmail_note(&run.stderr).is_empty(), "{}", run.stderr);

    // html: the document; outlook: the .htm links the banner beside it by a URL path.
    let html = read(out.join("jose-nunez.html"));
    assert_html_document(&html, "José Núñez", "jose-nunez.html");
    let htm = read(out.join("jose-nunez.htm"));
    assert!(
        htm.contains("src=\"jose-nunez_files/banner.png\""),
        "a relative URL with /"
    );
    assert!(!htm.contains("data:"), "the .htm links its banner file");
    let banner = std::fs::read(out.join("jose-nunez_files/banner.png")).unwrap();
    assert_png(&banner, 1200, 200, "jose-nunez_files/banner.png");
    assert!(
        banner == inlined_banner(&html),
        "the Outlook banner is the inlined one"
    );
    // eml: a message for José with the banner as a cid: part.
    let eml = std::fs::read(out.join("jose-nunez.eml")).unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(&eml)
        .expect("mail-parser reads the .eml");
    assert_eq!(message.subject(), Some("Signature preview: José Núñez"));
    assert!(
        message.html_bodies().count() == 1
            && message
                .body_html(0)
                .is_some_and(|h| h.contains("src=\"cid:banner@sigblock\"")),
        "the .eml's HTML shows the banner by cid:"
    );
    // text: Outlook's (UTF-16 LE with a BOM, CRLF), the RFC 3676 separator first.
    let text = utf16(
        &std::fs::read(out.join("jose-nunez.txt")).unwrap(),
        "the .txt",
    );
    assert!(text.starts_with("-- \r\nJosé Núñez\r\n"), "{text:?}");

    // Byte for byte what the Linux build makes (same name, same day).
    let linux_dir = TempDir::new().unwrap();
    let mut linux_args = JOSE.to_vec();
    linux_args.extend([
        "--out",
        "out dir/sub",
        "--format",
        "html,text,eml,outlook",
        "--date",
        IN_CAMPAIGN,
        "--no-clipboard",
    ]);
    let made = linux(linux_dir.path(), &linux_args);
    assert_eq!(made.status.code(), Some(0));
    let linux_out = linux_dir.path().join("out dir").join("sub");
    assert_eq!(files_under(&linux_out), files);
    let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    assert_same_files(&out, &linux_out, &files);
    // Linux says the same of its own folder.
    assert_eq!(
        String::from_utf8(made.stdout).unwrap(),
        format!("{WROTE} {}\n", linux_out.display())
    );
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn the_banner_alone_is_written_to_a_windows_path_and_said_with_its_size() {
    let wine = Wine::from_env();
    let (dir, c_dir) = wine.c_drive_dir();
    let out = format!("{c_dir}\\for gmail\\banner.png");
    let run = wine.run(
        dir.path(),
        &["banner", "--out", &out, "--date", IN_CAMPAIGN],
    );
    run.expect_code(0);
    let png = std::fs::read(dir.path().join("for gmail").join("banner.png")).unwrap();
    assert_png(&png, 1200, 200, "banner.png");
    // "×" reaches a pipe as UTF-8.
    assert_eq!(
        run.stdout,
        format!(
            "wrote {out} (1200×200 px for 600×100 display, {} bytes)\n",
            png.len()
        )
    );
    assert_eq!(run.stderr, "");
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

/// A campaign folder holding `campaign.toml` (the May test campaign) and a `banner.svg`
/// that draws `art/red.png`, made in `dir`.
fn campaign_with_a_picture(dir: &Path, href: &str) {
    let toml = include_str!("campaigns/foster-care-may/campaign.toml");
    std::fs::write(dir.join("campaign.toml"), toml).unwrap();
    std::fs::write(
        dir.join("banner.svg"),
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"100\">\n\
             <rect width=\"600\" height=\"100\" fill=\"white\"/>\n\
             <image href=\"{href}\" width=\"300\" height=\"100\" preserveAspectRatio=\"none\"/>\n\
             </svg>\n"
        ),
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("art")).unwrap();
    let red = image::RgbaImage::from_pixel(8, 8, image::Rgba([255, 0, 0, 255]));
    red.save(dir.join("art").join("red.png")).unwrap();
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn a_campaign_picture_is_drawn_from_its_folder_and_a_windows_path_out_of_it_is_refused() {
    let wine = Wine::from_env();
    let (dir, c_dir) = wine.c_drive_dir();
    campaign_with_a_picture(dir.path(), "art/red.png");
    let campaign = format!("{c_dir}\\campaign.toml");
    let run = wine.run(
        dir.path(),
        &["banner", "--campaign", &campaign, "--out", "win.png"],
    );
    run.expect_code(0);
    let linux = linux(
        dir.path(),
        &[
            "banner",
            "--campaign",
            "campaign.toml",
            "--out",
            "linux.png",
        ],
    );
    assert_eq!(linux.status.code(), Some(0));
    let png = std::fs::read(dir.path().join("win.png")).unwrap();
    assert_png(&png, 1200, 200, "win.png");
    let drawn = image::load_from_memory(&png).unwrap().into_rgba8();
    assert_eq!(
        drawn.get_pixel(300, 100).0[..3],
        [255, 0, 0],
        "the picture is drawn"
    );
    assert_eq!(png, std::fs::read(dir.path().join("linux.png")).unwrap());

    // Out of the folder, the Windows ways: a drive path, a parent folder, a UNC path.
    for href in [
        "C:\\windows\\win.ini",
        "..\\other\\red.png",
        "\\\\server\\share\\x.png",
    ] {
        campaign_with_a_picture(dir.path(), href);
        let run = wine.run(
            dir.path(),
            &["banner", "--campaign", &campaign, "--out", "out.png"],
        );
        run.expect_code(2);
        assert_eq!(
            run.stderr,
            format!(
                "error: banner banner.svg: line 3: image {href:?}: only a picture inside the \
                 campaign's folder can be drawn: give a relative path such as \"logo.png\"\n"
            ),
            "{href}"
        );
        assert!(!dir.path().join("out.png").exists());
    }
}

// ---------------------------------------------------------------------------------------
// Refusals: exit 2, one line, nothing written

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn an_unknown_unit_and_a_missing_csv_exit_2_with_one_line_and_write_nothing() {
    let wine = Wine::from_env();

    // An unknown unit: the same line as on Linux.
    let dir = TempDir::new().unwrap();
    let args = [
        "--name",
        "José Núñez",
        "--title",
        "Analyst",
        "--unit",
        "Payroll",
        "--out",
        "out dir\\sub",
        "--date",
        IN_CAMPAIGN,
        "--no-clipboard",
    ];
    let run = wine.run(dir.path(), &args);
    run.expect_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        names(dir.path()).is_empty(),
        "{:?}",
        files_under(dir.path())
    );
    let linux_dir = TempDir::new().unwrap();
    let on_linux = linux(linux_dir.path(), &args);
    assert_eq!(on_linux.status.code(), Some(2));
    let linux_stderr = String::from_utf8(on_linux.stderr).unwrap();
    assert!(
        linux_stderr.starts_with("error: unit: \"Payroll\" is not a known unit; known units: "),
        "{linux_stderr}"
    );
    assert_eq!(run.stderr, linux_stderr);

    // A CSV that is not there, by an absolute Z: path with a space: exit 2, nothing
    // written, the reason in sigblock's own words (no OS error number).
    let dir = TempDir::new().unwrap();
    let csv = windows_path(&wine.prefix, &dir.path().join("HR staff.csv"));
    let run = wine.run(
        dir.path(),
        &["batch", &csv, "--out", "signatures", "--date", IN_CAMPAIGN],
    );
    run.expect_code(2);
    assert_eq!(run.stdout, "");
    assert!(
        names(dir.path()).is_empty(),
        "{:?}",
        files_under(dir.path())
    );
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line:\n{}", run.stderr);
    assert_eq!(
        lines[0],
        format!("error: cannot read {csv}: there is no such file (check the name and folder)")
    );
}

// ---------------------------------------------------------------------------------------
// HR's batch

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn a_windows_1252_csv_is_decoded_a_bad_row_refused_and_a_rerun_replaces_every_file() {
    let wine = Wine::from_env();
    let dir = TempDir::new().unwrap();
    // Excel's plain "CSV" on Windows: Windows-1252, CRLF. "Con" is a reserved device
    // name on Windows (con.html cannot be made there); row 5 has an unknown unit.
    let csv = "name,title,unit,email\r\n\
               José Núñez,Analyst – Level II,CTRT,jose.nunez@dss.ca.gov\r\n\
               Begoña Muñoz,Manager,RPB,\r\n\
               Con,Clerk,ATU,\r\n\
               Zoë Ångström,Clerk,Payroll,\r\n\
               Renée O’Brien,Case Worker,ctrt,renee.obrien@dss.ca.gov\r\n";
    std::fs::write(dir.path().join("staff 1252.csv"), windows_1252(csv)).unwrap();
    let args = [
        "batch",
        "staff 1252.csv",
        "--out",
        "HR out\\batch",
        "--date",
        IN_CAMPAIGN,
    ];
    let run = wine.run(dir.path(), &args);
    run.expect_code(1);

    assert_eq!(
        run.stdout,
        "made 4 of 5 signatures in HR out\\batch; 1 refused (see HR out\\batch\\report.csv)\n"
    );
    let known = "known units: Child Trafficking Response Team (CTRT, CSEC, CSEC Program, \
                 CFSD/CTRT), Child Trafficking Program Support Unit (CTPSU), Refugee Programs \
                 Bureau (RPB, Refugee Programs Branch), Asylee and Trafficking Unit (ATU, \
                 Asylee & Trafficking Unit)";
    let mut stderr = without_gmail_note(&run.stderr);
    stderr.sort();
    assert_eq!(
        stderr,
        [
            format!("line 5: unit: \"Payroll\" is not a known unit; {known}"),
            "note: staff 1252.csv is not UTF-8; reading it as Windows-1252 (Excel's \"CSV\" \
             on Windows). Save as \"CSV UTF-8\" to avoid this."
                .to_owned(),
        ],
        "stderr:\n{}",
        run.stderr
    );

    let out = dir.path().join("HR out").join("batch");
    let files = [
        "banner.png",
        "begona-munoz.html",
        "begona-munoz.txt",
        "con-signature.html",
        "con-signature.txt",
        "index.html",
        "jose-nunez.html",
        "jose-nunez.txt",
        "renee-o-brien.html",
        "renee-o-brien.txt",
        "report.csv",
    ];
    assert_eq!(files_under(&out), files);
    for (slug, name) in [
        ("jose-nunez", "José Núñez"),
        ("begona-munoz", "Begoña Muñoz"),
        ("con-signature", "Con"),
        ("renee-o-brien", "Renée O’Brien"),
    ] {
        assert_html_document(&read(out.join(format!("{slug}.html"))), name, slug);
        let text = read(out.join(format!("{slug}.txt")));
        assert!(
            text.starts_with(&format!("-- \n{name}\n")),
            "{slug}.txt: {text:?}"
        );
    }
    assert_png(
        &std::fs::read(out.join("banner.png")).unwrap(),
        1200,
        200,
        "banner.png",
    );
    let gallery = read(out.join("index.html"));
    for slug in [
        "jose-nunez",
        "begona-munoz",
        "con-signature",
        "renee-o-brien",
    ] {
        // The gallery carries each person as JSON data, drawn into a card by the page.
        assert!(
            gallery.contains(&format!("\"s\":\"{slug}\"")),
            "index.html has {slug}"
        );
    }
    assert!(gallery.contains("José Núñez") && !gallery.contains('\u{FFFD}'));
    assert_eq!(
        read(out.join("report.csv")),
        format!(
            "\u{FEFF}row,line,status,name,title,unit,email,phone,files,reason,note\r\n\
             2,2,made,José Núñez,Analyst – Level II,CTRT,jose.nunez@dss.ca.gov,,jose-nunez.html jose-nunez.txt,,\r\n\
             3,3,made,Begoña Muñoz,Manager,RPB,,,begona-munoz.html begona-munoz.txt,,\r\n\
             4,4,made,Con,Clerk,ATU,,,con-signature.html con-signature.txt,,\r\n\
             5,5,refused,Zoë Ångström,Clerk,Payroll,,,,\"unit: \"\"Payroll\"\" is not a known unit; {}\",\r\n\
             6,6,made,Renée O’Brien,Case Worker,ctrt,renee.obrien@dss.ca.gov,,renee-o-brien.html renee-o-brien.txt,,\r\n",
            known.replace('"', "\"\"")
        )
    );

    // The Linux build makes the same files from the same bytes.
    let linux_dir = TempDir::new().unwrap();
    std::fs::copy(
        dir.path().join("staff 1252.csv"),
        linux_dir.path().join("staff 1252.csv"),
    )
    .unwrap();
    let linux_args = [
        "batch",
        "staff 1252.csv",
        "--out",
        "HR out/batch",
        "--date",
        IN_CAMPAIGN,
    ];
    let made = linux(linux_dir.path(), &linux_args);
    assert_eq!(made.status.code(), Some(1));
    let linux_out = linux_dir.path().join("HR out").join("batch");
    let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    assert_same_files(&out, &linux_out, &files);

    // A rerun into the same folder renames a new file over every old one (Windows
    // refuses a plain rename onto an existing file): same bytes, no temporaries left.
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    let again = wine.run(dir.path(), &args);
    again.expect_code(1);
    assert_eq!(again.stdout, run.stdout);
    assert_eq!(files_under(&out), files);
    for (file, old) in files.iter().zip(&before) {
        assert!(
            std::fs::read(out.join(file)).unwrap() == *old,
            "{file} changed on a rerun"
        );
    }
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// Files open in another Windows program

/// A file kept open by another Windows program (`hold.exe`, scripts/wine/hold.c) with a
/// given share mode, until dropped. Wine enforces share modes between its programs as
/// Windows does.
struct Held {
    child: Child,
}

/// `FILE_SHARE_READ`: others may read, not write or delete (Excel with a CSV open).
const SHARE_READ: u32 = 1;
/// No sharing at all.
const SHARE_NONE: u32 = 0;

impl Held {
    /// Opens `path` (as the .exe sees it, relative to `cwd`) and waits until it is held.
    fn open(wine: &Wine, cwd: &Path, path: &str, share: u32) -> Held {
        let hold = PathBuf::from(required("SIGBLOCK_WINE_HOLD"));
        assert!(
            hold.is_file(),
            "SIGBLOCK_WINE_HOLD={}: no such file",
            hold.display()
        );
        let mut child = wine
            .wine(&hold, cwd)
            .arg(path)
            .arg(share.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("wine hold.exe starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line);
            let _ = tx.send(line);
        });
        let mut held = Held { child };
        match rx.recv_timeout(PATIENCE) {
            Ok(line) if line.trim() == "holding" => held,
            Ok(line) => {
                held.release();
                panic!("hold.exe {path} {share}: {line:?}")
            }
            Err(_) => {
                held.release();
                panic!("hold.exe did not open {path} in {PATIENCE:?}")
            }
        }
    }

    /// Closes the file: hold.exe ends when its standard input does.
    fn release(&mut self) {
        drop(self.child.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.release();
    }
}

/// A small UTF-8 staff CSV of three people, titles `title`.
fn three_people(title: &str) -> String {
    format!(
        "name,title,unit\n\
         Ana Ruiz,{title},CTRT\n\
         Bo Li,{title},RPB\n\
         Cy Ng,{title},RPB\n"
    )
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn a_csv_open_in_excel_is_read_but_one_locked_outright_is_refused_with_exit_2() {
    let wine = Wine::from_env();
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("staff.csv"), three_people("Analyst")).unwrap();
    let args = ["batch", "staff.csv", "--out", "out", "--date", IN_CAMPAIGN];

    // Excel keeps a CSV open while HR looks at it, letting others read it.
    {
        let _excel = Held::open(&wine, dir.path(), "staff.csv", SHARE_READ);
        let run = wine.run(dir.path(), &args);
        run.expect_code(0);
        assert_eq!(
            run.stdout,
            "made 3 of 3 signatures in out; see out\\index.html to review them\n"
        );
    }

    // A program that lets nobody else in: one line naming the file, nothing written.
    let _locked = Held::open(&wine, dir.path(), "staff.csv", SHARE_NONE);
    let out = [
        "batch",
        "staff.csv",
        "--out",
        "out 2",
        "--date",
        IN_CAMPAIGN,
    ];
    let run = wine.run(dir.path(), &out);
    run.expect_code(2);
    assert_eq!(run.stdout, "");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line:\n{}", run.stderr);
    // ERROR_SHARING_VIOLATION, said in words (no OS error number).
    assert!(
        lines[0].starts_with("error: cannot read staff.csv: ") && !lines[0].contains("(os error"),
        "{:?}",
        lines[0]
    );
    assert!(!dir.path().join("out 2").exists(), "nothing written");
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn a_signature_open_in_another_program_refuses_that_row_and_the_rest_is_made() {
    // On Linux a rename replaces a file whoever has it open; on Windows it fails while
    // another program holds the file without FILE_SHARE_DELETE (Word with a .htm, an
    // editor). That person's row is refused naming the file (their old files kept,
    // whole); the other rows, report.csv and index.html are made; exit 1.
    let wine = Wine::from_env();
    let dir = TempDir::new().unwrap();
    let args = ["batch", "staff.csv", "--out", "out", "--date", IN_CAMPAIGN];
    std::fs::write(dir.path().join("staff.csv"), three_people("Analyst")).unwrap();
    wine.run(dir.path(), &args).expect_code(0);
    let bo_before = std::fs::read(dir.path().join("out/bo-li.txt")).unwrap();

    std::fs::write(dir.path().join("staff.csv"), three_people("Manager")).unwrap();
    let held = Held::open(&wine, dir.path(), "out\\bo-li.html", SHARE_READ);
    let run = wine.run(dir.path(), &args);
    drop(held);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "made 2 of 3 signatures in out; 1 refused (see out\\report.csv)\n"
    );
    let refusals: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("line "))
        .collect();
    assert_eq!(refusals.len(), 1, "one refused row:\n{}", run.stderr);
    // Windows says ERROR_ACCESS_DENIED (5) or ERROR_SHARING_VIOLATION (32); Wine says 5,
    // which sigblock says in plain words, with the way out.
    assert_eq!(
        refusals[0],
        "line 3: cannot replace out\\bo-li.html: another program has the file open (close \
         it, then run again); none of this signature's files were changed"
    );
    assert!(
        !run.stderr.contains("removed"),
        "Bo is still in the CSV: {}",
        run.stderr
    );
    let report = read(dir.path().join("out/report.csv"));
    assert!(report.contains("3,3,refused,Bo Li,"), "{report}");
    assert!(report.contains("2,2,made,Ana Ruiz,Manager,"), "{report}");
    // Bo's files are the old ones, whole; no temporary is left behind.
    assert_eq!(
        std::fs::read(dir.path().join("out/bo-li.txt")).unwrap(),
        bo_before
    );
    assert!(read(dir.path().join("out/bo-li.html")).contains(">Analyst</td>"));
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());

    // Closed again, the same rerun makes everything.
    let again = wine.run(dir.path(), &args);
    again.expect_code(0);
    assert!(read(dir.path().join("out/bo-li.html")).contains(">Manager</td>"));
    assert!(read(dir.path().join("out/report.csv")).contains("3,3,made,Bo Li,"));
}

// ---------------------------------------------------------------------------------------
// The clipboard, through Wine's bridge to X11

/// A Wine program kept running while a test needs the clipboard: Wine's X11 clipboard
/// lives in its desktop process, which leaves with the last Wine program. Dropping it
/// stops it (by its id).
struct KeepWineRunning(Child);

impl KeepWineRunning {
    fn start(wine: &Wine) -> KeepWineRunning {
        let child = wine
            .wine(Path::new("explorer"), Path::new("/"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wine explorer starts");
        let keeper = KeepWineRunning(child);
        // Running once Wine shows its window ("explorer.exe" without "/desktop").
        let deadline = Instant::now() + PATIENCE;
        while !wine_explorer_runs(&wine.prefix) {
            assert!(
                Instant::now() < deadline,
                "wine explorer did not start in {PATIENCE:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        keeper
    }
}

impl Drop for KeepWineRunning {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Whether a Wine `explorer.exe` window (not the desktop) runs in `prefix`.
fn wine_explorer_runs(prefix: &Path) -> bool {
    let wanted = [
        b"WINEPREFIX=".as_slice(),
        prefix.as_os_str().as_encoded_bytes(),
    ]
    .concat();
    std::fs::read_dir("/proc").unwrap().flatten().any(|entry| {
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            return false;
        };
        let args: Vec<&[u8]> = cmdline
            .split(|&b| b == 0)
            .filter(|a| !a.is_empty())
            .collect();
        let is_explorer =
            args.len() == 1 && args[0].to_ascii_lowercase().ends_with(b"explorer.exe");
        is_explorer
            && std::fs::read(entry.path().join("environ"))
                .map(|e| e.split(|&b| b == 0).any(|var| var == wanted.as_slice()))
                .unwrap_or(false)
    })
}

/// `xclip -o` of a clipboard target on `display`: its bytes, or why not.
fn paste(display: &str, target: &str) -> Result<Vec<u8>, String> {
    let output = assert_cmd::Command::new("xclip")
        .args(["-selection", "clipboard", "-o", "-t", target])
        .env("DISPLAY", display)
        .timeout(Duration::from_secs(20))
        .output()
        .map_err(|e| format!("xclip: {e}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "xclip -t {target:?}: {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Puts `text` on the X clipboard with an `xclip` that serves it until another program
/// takes the clipboard. Dropping it stops that xclip (by its id) if it is still there.
struct XclipOwner(Child);

impl XclipOwner {
    fn set(display: &str, text: &str) -> XclipOwner {
        let mut child = Command::new("xclip")
            .args(["-selection", "clipboard", "-quiet", "-i"])
            .env("DISPLAY", display)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("xclip starts");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let owner = XclipOwner(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while paste(display, "UTF8_STRING").ok().as_deref() != Some(text.as_bytes()) {
            assert!(
                Instant::now() < deadline,
                "xclip did not take the clipboard"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        owner
    }

    /// Whether this xclip has left (another program took the clipboard), waiting a little.
    fn has_left(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if self.0.try_wait().unwrap().is_some() {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for XclipOwner {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The five byte offsets of a CF_HTML ("HTML Format") header.
#[derive(Debug)]
struct CfHtml {
    start_html: usize,
    end_html: usize,
    start_fragment: usize,
    end_fragment: usize,
}

/// Reads the CF_HTML header: `Version:` then `Key:decimal` lines, CRLF-ended, ASCII.
fn cf_html_header(data: &[u8]) -> CfHtml {
    let header_end = data
        .windows(3)
        .position(|w| w == b"\r\n<")
        .unwrap_or_else(|| {
            panic!(
                "no header before the markup: {:?}",
                String::from_utf8_lossy(&data[..200.min(data.len())])
            )
        });
    let header = std::str::from_utf8(&data[..header_end]).expect("an ASCII header");
    let mut version = None;
    let get = |key: &str| -> usize {
        let line = header
            .split("\r\n")
            .find(|l| l.starts_with(&format!("{key}:")))
            .unwrap_or_else(|| panic!("no {key}: in the CF_HTML header:\n{header}"));
        line[key.len() + 1..]
            .parse()
            .unwrap_or_else(|_| panic!("{line:?}: not a byte offset"))
    };
    let offsets = CfHtml {
        start_html: get("StartHTML"),
        end_html: get("EndHTML"),
        start_fragment: get("StartFragment"),
        end_fragment: get("EndFragment"),
    };
    for line in header.split("\r\n") {
        if let Some(v) = line.strip_prefix("Version:") {
            version = Some(v.to_owned());
        }
    }
    assert!(
        matches!(version.as_deref(), Some("0.9" | "1.0")),
        "CF_HTML Version: {version:?}\n{header}"
    );
    offsets
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn the_signature_on_the_windows_clipboard_is_cf_html_with_true_offsets_and_the_text() {
    require("xclip", "xclip");
    let wine = Wine::from_env();
    let display = wine.display.clone();
    // Something else on the clipboard first: sigblock must replace it.
    let mut before = XclipOwner::set(&display, "an older copy");
    let keeper = KeepWineRunning::start(&wine);

    let dir = TempDir::new().unwrap();
    let mut args = JOSE.to_vec();
    args.extend(["--out", "sigs", "--date", IN_CAMPAIGN]);
    let run = wine.run(dir.path(), &args);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "wrote jose-nunez.html and jose-nunez.txt in {}\n\
             copied the signature to the clipboard: paste it into your email client's \
             signature settings\n",
            windows_path(&wine.prefix, &dir.path().join("sigs"))
        )
    );
    assert_eq!(run.stderr, format!("{GMAIL_NOTE}\n"));
    assert!(
        before.has_left(),
        "the older copy's xclip still owns the X clipboard: Wine did not take it"
    );
    let document = read(dir.path().join("sigs").join("jose-nunez.html"));
    let text_file = read(dir.path().join("sigs").join("jose-nunez.txt"));

    // sigblock.exe has exited; the clipboard outlives it (Wine keeps it while a Wine
    // program runs, as Windows keeps it always).
    let mut cf = paste(&display, "HTML Format").expect("CF_HTML on the clipboard");
    while cf.last() == Some(&0) {
        cf.pop(); // a terminating NUL is allowed by the format
    }
    let offsets = cf_html_header(&cf);
    let CfHtml {
        start_html,
        end_html,
        start_fragment,
        end_fragment,
    } = offsets;
    assert!(
        start_html < start_fragment
            && start_fragment <= end_fragment
            && end_fragment < end_html
            && end_html <= cf.len(),
        "offsets out of order for {} bytes: {offsets:?}",
        cf.len()
    );
    // The offsets count bytes of UTF-8 ("José Núñez" is more bytes than characters).
    assert!(
        cf[start_html..].starts_with(b"<html>"),
        "StartHTML points at {:?}",
        String::from_utf8_lossy(&cf[start_html..(start_html + 20).min(cf.len())])
    );
    assert!(
        cf[..end_html].ends_with(b"</html>"),
        "EndHTML follows {:?}",
        String::from_utf8_lossy(&cf[end_html.saturating_sub(20)..end_html])
    );
    let before_fragment = String::from_utf8_lossy(&cf[start_html..start_fragment]);
    assert!(
        before_fragment.trim_end().ends_with("<!--StartFragment-->"),
        "StartFragment follows {before_fragment:?}"
    );
    let after_fragment = String::from_utf8_lossy(&cf[end_fragment..end_html]);
    assert!(
        after_fragment
            .trim_start()
            .starts_with("<!--EndFragment-->"),
        "EndFragment precedes {after_fragment:?}"
    );
    let fragment = std::str::from_utf8(&cf[start_fragment..end_fragment])
        .expect("the fragment is whole UTF-8: the offsets fall between characters");
    assert!(fragment.contains(">José Núñez</td>"), "{fragment}");
    assert!(
        fragment.starts_with("<table"),
        "the signature table, not a page"
    );
    assert_eq!(
        fragment,
        fragment_of(&document),
        "the same signature as the file"
    );
    assert_png(
        &inlined_banner(fragment),
        1200,
        200,
        "the banner on the clipboard",
    );

    // What X11 programs get: the fragment as text/html, the plain text as UTF8_STRING.
    let html = paste(&display, "text/html").expect("text/html on the clipboard");
    assert_eq!(String::from_utf8(html).unwrap().trim(), fragment);
    let text = String::from_utf8(paste(&display, "UTF8_STRING").expect("text on the clipboard"))
        .expect("UTF-8 text");
    assert!(text.starts_with("-- \nJosé Núñez\n"), "{text:?}");
    assert_eq!(text, text_file, "the same text as the .txt file");

    drop(keeper);
}

// ---------------------------------------------------------------------------------------
// sigblock install: classic Outlook's Signatures folder and registry (issue 13)

/// Office 16.0's keys, as the tests make them with `wine reg add`.
const OFFICE: &str = r"HKCU\Software\Microsoft\Office";
const OUTLOOK: &str = r"HKCU\Software\Microsoft\Office\16.0\Outlook";
const PROFILE_ACCOUNTS: &str = r"HKCU\Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook\9375CFF0413111d3B88A00104B2A6676";
/// José's signature's name in Outlook, and its reply variant's.
const JOSE_SIG: &str = "CDSS - José Núñez";
const JOSE_REPLY: &str = "CDSS - José Núñez (reply)";

impl Wine {
    /// `wine reg ARGS`, which must succeed; its stdout.
    fn reg(&self, args: &[&str]) -> String {
        let dir = TempDir::new().unwrap();
        let output = self
            .wine(Path::new("reg"), dir.path())
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "wine reg {args:?}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// A REG_SZ value of a key, or `None`: read from `reg export` (UTF-16), since
    /// `reg query` prints in the console's code page and mangles `José`.
    fn reg_value(&self, key: &str, name: &str) -> Option<String> {
        let dir = TempDir::new().unwrap();
        let file = dir.path().join("key.reg");
        let target = windows_path(&self.prefix, &file);
        let output = self
            .wine(Path::new("reg"), dir.path())
            .args(["export", key, &target, "/y"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        if !output.status.success() {
            return None;
        }
        let text = utf16(&std::fs::read(&file).ok()?, "reg export");
        let wanted = format!("\"{name}\"=\"");
        text.lines().find_map(|line| {
            let data = line.strip_prefix(&wanted)?.strip_suffix('"')?;
            Some(data.replace("\\\"", "\"").replace("\\\\", "\\"))
        })
    }

    /// Everything under `HKCU\Software\Microsoft\Office`, as `reg export` writes it.
    fn export_office(&self) -> Vec<u8> {
        let dir = TempDir::new().unwrap();
        let file = dir.path().join("office.reg");
        let target = windows_path(&self.prefix, &file);
        let output = self
            .wine(Path::new("reg"), dir.path())
            .args(["export", OFFICE, &target, "/y"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(output.status.success(), "reg export failed");
        std::fs::read(file).unwrap()
    }

    /// A default profile `Outlook` with two mail accounts, and nothing else of Office's.
    fn outlook_with_two_accounts(&self) -> OfficeKeys<'_> {
        let _ = self
            .wine(Path::new("reg"), Path::new("/"))
            .args(["delete", OFFICE, "/f"])
            .stdin(Stdio::null())
            .output();
        self.reg(&[
            "add",
            OUTLOOK,
            "/v",
            "DefaultProfile",
            "/t",
            "REG_SZ",
            "/d",
            "Outlook",
            "/f",
        ]);
        for (n, email) in [
            ("00000002", "jose.nunez@dss.ca.gov"),
            ("00000003", "ctrt.team@dss.ca.gov"),
        ] {
            let key = format!(r"{PROFILE_ACCOUNTS}\{n}");
            self.reg(&[
                "add",
                &key,
                "/v",
                "Account Name",
                "/t",
                "REG_SZ",
                "/d",
                email,
                "/f",
            ]);
        }
        OfficeKeys(self)
    }

    /// The Wine user's `%APPDATA%\Microsoft\Signatures`, on the Linux side.
    fn signatures_folder(&self) -> PathBuf {
        let users = self.prefix.join("drive_c").join("users");
        let user = std::fs::read_dir(&users)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.join("AppData").join("Roaming").is_dir() && !p.ends_with("Public"))
            .expect("the Wine user's profile folder");
        user.join("AppData")
            .join("Roaming")
            .join("Microsoft")
            .join("Signatures")
    }
}

/// Removes Office's keys when a test ends, and the Signatures folder with them: the
/// tests share one prefix.
struct OfficeKeys<'w>(&'w Wine);

impl Drop for OfficeKeys<'_> {
    fn drop(&mut self) {
        let _ = self
            .0
            .wine(Path::new("reg"), Path::new("/"))
            .args(["delete", OFFICE, "/f"])
            .stdin(Stdio::null())
            .output();
        let _ = std::fs::remove_dir_all(self.0.signatures_folder());
    }
}

/// What Debian's `unrtf` makes of `rtf` in `mode`, flattened to single spaces: `--text`
/// (ASCII, links shown as their `"mailto:…"` target) or `--html` (its page's text,
/// entities decoded: accents kept, links shown as the word `hyperlink`).
fn unrtf(rtf: &Path, mode: &str) -> String {
    require("unrtf", "unrtf");
    let output = Command::new("unrtf")
        .args([mode, "--nopict"])
        .arg(rtf)
        .output()
        .unwrap();
    assert!(output.status.success(), "unrtf {}", rtf.display());
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    let text: String = if mode == "--html" {
        scraper::Html::parse_document(&printed)
            .root_element()
            .text()
            .collect()
    } else {
        printed
            .lines()
            .filter(|l| !l.starts_with("###"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Loads `page` in headless Chromium (`common::browser`) and returns each image's
/// `currentSrc naturalWidth naturalHeight`, one line each.
fn chromium_images(page: &Path) -> String {
    let result = browser::probe(
        page,
        "window.addEventListener('load', () => { \
         document.body.setAttribute('data-probe', JSON.stringify({ errors: window.__errors, \
         images: Array.from(document.images).map(i => decodeURIComponent(i.currentSrc) + ' ' \
         + i.naturalWidth + ' ' + i.naturalHeight).join('\\n') })); });",
    );
    result["images"]
        .as_str()
        .expect("the images, as text")
        .to_owned()
}

/// The two mail accounts of [`Wine::outlook_with_two_accounts`]: key number, address.
const MAILBOXES: [(&str, &str); 2] = [
    ("00000002", "jose.nunez@dss.ca.gov"),
    ("00000003", "ctrt.team@dss.ca.gov"),
];

/// A signature's name for a mailbox, as Outlook names it: `N (address)`.
fn for_mailbox(name: &str, mailbox: &str) -> String {
    format!("{name} ({mailbox})")
}

/// The Signatures folder's entries after José's install for both accounts: the plain set
/// and each mailbox's (with its files folder when `banner`), sorted as `names` sorts.
fn jose_sets(banner: bool) -> Vec<String> {
    let mut all = Vec::new();
    let stems = std::iter::once((JOSE_SIG.to_owned(), JOSE_REPLY.to_owned())).chain(
        MAILBOXES
            .iter()
            .map(|(_, m)| (for_mailbox(JOSE_SIG, m), for_mailbox(JOSE_REPLY, m))),
    );
    for (sig, reply) in stems {
        for ending in [".htm", ".rtf", ".txt"] {
            all.push(format!("{sig}{ending}"));
            all.push(format!("{reply}{ending}"));
        }
        if banner {
            all.push(format!("{sig}_files"));
        }
    }
    all.sort();
    all
}

impl Wine {
    /// Each account's `New Signature` and `Reply-Forward Signature` is its own mailbox's.
    #[track_caller]
    fn assert_each_account_has_its_own_defaults(&self) {
        for (n, mailbox) in MAILBOXES {
            let key = format!(r"{PROFILE_ACCOUNTS}\{n}");
            assert_eq!(
                self.reg_value(&key, "New Signature"),
                Some(for_mailbox(JOSE_SIG, mailbox)),
                "{key}"
            );
            assert_eq!(
                self.reg_value(&key, "Reply-Forward Signature"),
                Some(for_mailbox(JOSE_REPLY, mailbox)),
                "{key}"
            );
        }
    }
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn install_puts_the_signature_in_outlooks_folder_sets_both_defaults_and_a_february_rerun_drops_the_banner(
) {
    let wine = Wine::from_env();
    let _office = wine.outlook_with_two_accounts();
    let folder = wine.signatures_folder();
    let dir = TempDir::new().unwrap();
    let mut args = vec!["install"];
    args.extend(JOSE);
    args.extend(["--banner", "auto", "--date", IN_CAMPAIGN, "--set-default"]);
    let run = wine.run(dir.path(), &args);
    run.expect_code(0);

    // The plain set, for Outlook without roaming, and each mailbox's own.
    assert_eq!(names(&folder), jose_sets(true), "{}", run.stdout);
    let banner =
        std::fs::read(folder.join(format!("{JOSE_SIG}_files")).join("banner.png")).unwrap();
    assert_png(&banner, 1200, 200, "the banner in N_files");
    for (_, mailbox) in MAILBOXES {
        let own = folder
            .join(format!("{}_files", for_mailbox(JOSE_SIG, mailbox)))
            .join("banner.png");
        assert!(std::fs::read(&own).unwrap() == banner, "{}", own.display());
    }
    // Said as Windows paths, then the registry values, then what was done.
    let windows_folder = format!(
        "{}\\AppData\\Roaming\\Microsoft\\Signatures",
        windows_path(
            &wine.prefix,
            folder
                .parent()
                .unwrap()
                .parent()
                .unwrap()
                .parent()
                .unwrap()
                .parent()
                .unwrap()
        )
    );
    let jose_own = for_mailbox(JOSE_SIG, MAILBOXES[0].1);
    for wrote in [
        format!("wrote {windows_folder}\\{JOSE_SIG}_files\\banner.png\n"),
        format!("wrote {windows_folder}\\{JOSE_SIG}.htm\n"),
        format!("wrote {windows_folder}\\{jose_own}_files\\banner.png\n"),
        format!("wrote {windows_folder}\\{jose_own}.txt\n"),
    ] {
        assert!(run.stdout.contains(&wrote), "{wrote}: {}", run.stdout);
    }
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("wrote "))
            .count(),
        21,
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(&format!(
        "set {PROFILE_ACCOUNTS}\\00000003\\Reply-Forward Signature = {}\n",
        for_mailbox(JOSE_REPLY, "ctrt.team@dss.ca.gov")
    )));
    // The roaming warning says what was written for which mailbox.
    assert!(
        run.stderr.contains(&format!(
            "written for jose.nunez@dss.ca.gov, \"{jose_own}\" and \"{}\"; for \
             ctrt.team@dss.ca.gov, \"{}\" and \"{}\"; \"{JOSE_SIG}\" and \"{JOSE_REPLY}\" are \
             for Outlook without roaming",
            for_mailbox(JOSE_REPLY, "jose.nunez@dss.ca.gov"),
            for_mailbox(JOSE_SIG, "ctrt.team@dss.ca.gov"),
            for_mailbox(JOSE_REPLY, "ctrt.team@dss.ca.gov"),
        )) && run.stderr.contains("DisableRoamingSignatures"),
        "the roaming warning: {}",
        run.stderr
    );
    wine.assert_each_account_has_its_own_defaults();

    // The .htm: UTF-8 with its charset; Chromium shows its banner from its files folder,
    // the mailbox's own too (a space, brackets and an @ in the URL path).
    let copy = copy_of(&folder);
    for stem in [JOSE_SIG, &jose_own] {
        let images = chromium_images(&copy.path().join(format!("{stem}.htm")));
        assert_eq!(
            images,
            format!(
                "file://{}/{stem}_files/banner.png 1200 200",
                copy.path().display()
            ),
            "the banner loaded from {stem}_files"
        );
    }
    let htm = read(folder.join(format!("{JOSE_SIG}.htm")));
    assert!(htm.contains("<meta charset=\"utf-8\">") && htm.contains(">José Núñez</td>"));
    // The .rtf reads back with the name and the contact line, and carries the PNG.
    let rtf_path = folder.join(format!("{JOSE_SIG}.rtf"));
    let html_text = unrtf(&rtf_path, "--html");
    assert!(
        html_text.contains("José Núñez") && html_text.contains("Analyst – Level II"),
        "{html_text}"
    );
    let text = unrtf(&rtf_path, "--text");
    assert!(
        text.contains("please contact the Child Trafficking Response Team (CTRT) at \"mailto:CSECProgram@dss.ca.gov\"."),
        "{text}"
    );
    let rtf = read(&rtf_path);
    let hex_start = rtf.find("\\pngblip").unwrap();
    let hex: String = rtf[hex_start..]
        .split_once("\r\n")
        .unwrap()
        .1
        .chars()
        .take_while(|c| *c != '}')
        .filter(char::is_ascii_hexdigit)
        .collect();
    let png: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    assert!(png == banner, "the RTF carries the banner PNG");
    assert!(
        read(folder.join(format!("{jose_own}.rtf"))) == rtf,
        "a mailbox's .rtf is the plain one"
    );
    // The .txt decodes: UTF-16 LE with a BOM, CRLF.
    let txt = utf16(
        &std::fs::read(folder.join(format!("{JOSE_SIG}.txt"))).unwrap(),
        "N.txt",
    );
    assert!(
        txt.starts_with("-- \r\nJosé Núñez\r\nAnalyst – Level II\r\n"),
        "{txt:?}"
    );
    let reply = utf16(
        &std::fs::read(folder.join(format!("{JOSE_REPLY}.txt"))).unwrap(),
        "reply",
    );
    assert!(!reply.contains("CSECProgram") && reply.contains("jose.nunez@dss.ca.gov"));

    // February, --banner auto, no --set-default: the same names without the banner, in
    // every set; Outlook's defaults still point at each mailbox's own.
    let mut args = vec!["install"];
    args.extend(JOSE);
    args.extend(["--banner", "auto", "--date", "2027-02-10"]);
    let run = wine.run(dir.path(), &args);
    run.expect_code(0);
    assert_eq!(names(&folder), jose_sets(false), "{}", run.stdout);
    assert_eq!(run.stdout.matches("removed ").count(), 3, "{}", run.stdout);
    for htm in jose_sets(false)
        .iter()
        .filter(|n| n.ends_with(".htm") && !n.contains("(reply)"))
    {
        let htm = read(folder.join(htm));
        assert!(!htm.contains("<img") && htm.contains("CSECProgram@dss.ca.gov"));
    }
    assert!(!read(&rtf_path).contains("\\pict"));
    wine.assert_each_account_has_its_own_defaults();
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn install_uses_the_registrys_signatures_folder_when_it_is_set() {
    let wine = Wine::from_env();
    let _office = wine.outlook_with_two_accounts();
    let (dir, c_dir) = wine.c_drive_dir();
    let custom = format!("{c_dir}\\shared sigs");
    wine.reg(&[
        "add",
        r"HKCU\Software\Microsoft\Office\16.0\Common\General",
        "/v",
        "Signatures",
        "/t",
        "REG_SZ",
        "/d",
        &custom,
        "/f",
    ]);
    wine.reg(&[
        "add",
        r"HKCU\Software\Microsoft\Office\16.0\Outlook\Setup",
        "/v",
        "DisableRoamingSignatures",
        "/t",
        "REG_DWORD",
        "/d",
        "1",
        "/f",
    ]);
    let mut args = vec!["install"];
    args.extend(JOSE);
    args.extend(["--banner", "never", "--signature-name", "Work"]);
    let run = wine.run(dir.path(), &args);
    run.expect_code(0);
    let mut wanted = Vec::new();
    for stem in [
        "Work",
        "Work (ctrt.team@dss.ca.gov)",
        "Work (jose.nunez@dss.ca.gov)",
    ] {
        let reply = stem.replacen("Work", "Work (reply)", 1);
        for ending in [".htm", ".rtf", ".txt"] {
            wanted.push(format!("{stem}{ending}"));
            wanted.push(format!("{reply}{ending}"));
        }
    }
    wanted.sort();
    assert_eq!(names(dir.path().join("shared sigs")), wanted);
    assert!(!wine.signatures_folder().exists(), "not in %APPDATA%");
    assert!(
        run.stderr.contains("the registry's Signatures value"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("DisableRoamingSignatures"),
        "roaming is off: no warning"
    );
    assert!(
        run.stdout.contains("File > Options > Mail > Signatures"),
        "{}",
        run.stdout
    );
}

#[test]
#[ignore = "needs Wine: bash scripts/windows-e2e.sh"]
fn a_dry_run_changes_neither_the_registry_nor_the_folder_and_print_reg_imports() {
    let wine = Wine::from_env();
    let _office = wine.outlook_with_two_accounts();
    let folder = wine.signatures_folder();
    let dir = TempDir::new().unwrap();
    // A first install, so the dry run has something to leave alone.
    let mut args = vec!["install"];
    args.extend(JOSE);
    args.extend(["--date", IN_CAMPAIGN]);
    wine.run(dir.path(), &args).expect_code(0);

    let (registry, files) = (wine.export_office(), snapshot(&folder));
    let mut dry = args.clone();
    dry.extend(["--set-default", "--dry-run"]);
    let run = wine.run(dir.path(), &dry);
    run.expect_code(0);
    assert!(
        wine.export_office() == registry,
        "the dry run changed the registry"
    );
    assert!(snapshot(&folder) == files, "the dry run changed the folder");
    assert!(run.stdout.contains("would replace "), "{}", run.stdout);
    assert!(run.stdout.contains(&format!(
        "would set {PROFILE_ACCOUNTS}\\00000002\\New Signature = {}\n",
        for_mailbox(JOSE_SIG, "jose.nunez@dss.ca.gov")
    )));
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("would replace "))
            .count(),
        21,
        "every file of every set: {}",
        run.stdout
    );
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("would set "))
            .count(),
        4
    );

    // --print-reg: the .reg imports, and sets exactly those values.
    let mut print = args.clone();
    print.extend(["--print-reg", "defaults.reg"]);
    let run = wine.run(dir.path(), &print);
    run.expect_code(0);
    let key = format!(r"{PROFILE_ACCOUNTS}\00000003");
    assert_eq!(
        wine.reg_value(&key, "New Signature"),
        None,
        "not set by --print-reg"
    );
    let reg = dir.path().join("defaults.reg");
    assert!(utf16(&std::fs::read(&reg).unwrap(), "defaults.reg")
        .starts_with("Windows Registry Editor Version 5.00\r\n"));
    wine.reg(&["import", &windows_path(&wine.prefix, &reg)]);
    wine.assert_each_account_has_its_own_defaults();
}
