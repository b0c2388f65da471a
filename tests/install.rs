//! `sigblock install` and the reply signature, on Linux (issue 13).
//!
//! - The real binary: `install` says it is for Windows and exits 2, writing nothing;
//!   `--format reply` writes the short signature, and the batch gallery shows it.
//! - The whole install, in this process, through `sigblock::run` with the environment
//!   `main` gives on Windows made up here: `%APPDATA%` is a temporary folder and the
//!   registry a few values (a default profile with two mail accounts). Files, reruns
//!   outside January, `--dry-run`, `--print-reg`, files sigblock did not make. What
//!   only Windows can do (setting registry values) is in `tests/windows.rs`, under Wine.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::common::{self, names, read, sigblock, snapshot, utf16, utf16_le, ANA, IN_CAMPAIGN};
use sigblock::campaign::BannerMode;
use sigblock::job::{BannerSource, Environment, Job, OutputOptions};
use sigblock::person::PersonInput;

const N: &str = "CDSS - Ana Ruiz";
const REPLY: &str = "CDSS - Ana Ruiz (reply)";
const ACCOUNTS: &str = r"HKCU\Software\Microsoft\Office\16.0\Outlook\Profiles\Outlook\9375CFF0413111d3B88A00104B2A6676";

// ─── the real binary ────────────────────────────────────────────────────────────────

#[test]
fn install_on_linux_says_it_is_for_windows_and_what_to_do_instead_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["install"];
    args.extend(ANA);
    args.extend(["--set-default", "--date", IN_CAMPAIGN]);
    let out = sigblock()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(
            "error: sigblock install puts a signature into classic Outlook for Windows"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("paste it") && stderr.contains(".html"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(names(dir.path()).is_empty(), "nothing written");
    assert!(!dir.path().join(common::RECORD).exists());
}

#[test]
fn format_reply_writes_the_short_signature_without_banner_or_contact_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = ANA.to_vec();
    args.extend([
        "--format",
        "html,reply",
        "--date",
        IN_CAMPAIGN,
        "--no-clipboard",
    ]);
    let out = sigblock()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "wrote ana-ruiz.html, ana-ruiz.reply.html and ana-ruiz.reply.txt in {}\n",
            dir.path().display()
        )
    );
    assert_eq!(
        names(dir.path()),
        ["ana-ruiz.html", "ana-ruiz.reply.html", "ana-ruiz.reply.txt"]
    );
    let html = read(dir.path().join("ana-ruiz.reply.html"));
    let doc = scraper::Html::parse_document(&html);
    let cells: Vec<String> = doc
        .select(&scraper::Selector::parse("td").unwrap())
        .map(|td| td.text().collect())
        .collect();
    assert_eq!(
        cells,
        [
            "Ana Ruiz",
            "Program Analyst",
            "Child Trafficking Response Team",
            "ana.ruiz@dss.ca.gov | (916) 555-0100"
        ]
    );
    assert_eq!(
        doc.select(&scraper::Selector::parse("img").unwrap())
            .count(),
        0
    );
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert_eq!(
        read(dir.path().join("ana-ruiz.reply.txt")),
        "-- \nAna Ruiz\nProgram Analyst\nChild Trafficking Response Team\n\
         ana.ruiz@dss.ca.gov | (916) 555-0100\n"
    );
    // The full one still has both.
    let full = read(dir.path().join("ana-ruiz.html"));
    assert!(full.contains("CSECProgram@dss.ca.gov") && full.contains("<img"));
}

#[test]
fn the_batch_gallery_shows_each_reply_signature_under_the_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    std::fs::write(
        &csv,
        "name,title,unit,email\nAna Ruiz,Analyst,CTRT,ana@dss.ca.gov\nAna Ruiz Reply,Clerk,RPB,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = sigblock()
        .args(["batch"])
        .arg(&csv)
        .arg("--out")
        .arg(&out)
        .args(["--format", "html,text,reply", "--date", IN_CAMPAIGN])
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // A person whose slug ends in -reply never meets another's reply file.
    assert_eq!(
        names(&out),
        [
            "ana-ruiz-reply.html",
            "ana-ruiz-reply.reply.html",
            "ana-ruiz-reply.reply.txt",
            "ana-ruiz-reply.txt",
            "ana-ruiz.html",
            "ana-ruiz.reply.html",
            "ana-ruiz.reply.txt",
            "ana-ruiz.txt",
            "banner.png",
            "index.html",
            "report.csv"
        ]
    );
    // The page draws each card from its data: every person's files are their slug and
    // the usual endings, `.reply.html` among them, which the card shows in a frame.
    let endings = |page: &str| -> serde_json::Value {
        let doc = scraper::Html::parse_document(page);
        let script = doc
            .select(&scraper::Selector::parse("script#sigblock-skeletons").unwrap())
            .next()
            .unwrap();
        serde_json::from_str::<serde_json::Value>(&script.text().collect::<String>()).unwrap()
            ["files"]
            .clone()
    };
    let page = read(out.join("index.html"));
    assert_eq!(
        endings(&page),
        serde_json::json!([".html", ".txt", ".reply.html", ".reply.txt"])
    );
    assert!(
        page.contains("frame.src = reply;"),
        "the page draws the reply in a frame"
    );
    // Without --format reply, no reply in the cards.
    let plain = dir.path().join("plain");
    let run = sigblock()
        .args(["batch"])
        .arg(&csv)
        .arg("--out")
        .arg(&plain)
        .args(["--date", IN_CAMPAIGN])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(
        endings(&read(plain.join("index.html"))),
        serde_json::json!([".html", ".txt"])
    );
}

// ─── the whole install, in this process, with a made-up Windows environment ───────

/// `%APPDATA%` and a registry with a default profile `Outlook` and two mail accounts
/// (and a data file, which is no mail account).
struct Windows {
    appdata: tempfile::TempDir,
    registry: BTreeMap<String, BTreeMap<String, (u32, Vec<u8>)>>,
}

fn sz(text: &str) -> (u32, Vec<u8>) {
    let mut bytes = utf16_le(text);
    bytes.extend([0, 0]);
    (1, bytes)
}

impl Windows {
    fn new() -> Windows {
        let mut registry: BTreeMap<String, BTreeMap<String, (u32, Vec<u8>)>> = BTreeMap::new();
        let mut set = |key: &str, name: &str, value| {
            registry
                .entry(key.into())
                .or_default()
                .insert(name.into(), value);
        };
        set(
            r"HKCU\Software\Microsoft\Office\16.0\Outlook",
            "DefaultProfile",
            sz("Outlook"),
        );
        set(
            &format!(r"{ACCOUNTS}\00000002"),
            "Account Name",
            sz("ana.ruiz@dss.ca.gov"),
        );
        set(
            &format!(r"{ACCOUNTS}\00000003"),
            "Account Name",
            sz("Outlook Data File"),
        );
        set(
            &format!(r"{ACCOUNTS}\00000004"),
            "Account Name",
            sz("ctrt.shared@dss.ca.gov"),
        );
        Windows {
            appdata: tempfile::tempdir().unwrap(),
            registry,
        }
    }

    fn signatures(&self) -> PathBuf {
        self.appdata.path().join("Microsoft").join("Signatures")
    }

    fn env(&self) -> Environment {
        Environment {
            cache_dir: Some(common::cache_dir()),
            lock_wait: Duration::from_secs(1),
            appdata: Some(self.appdata.path().to_owned()),
            registry: Some(self.registry.clone()),
            ..Environment::default()
        }
    }

    /// `sigblock install` for Ana on `date` with `banner`, and what else `job` sets.
    fn install(&self, date: &str, banner: BannerMode, edit: impl FnOnce(&mut Job)) -> ExitCode {
        self.install_in(self.env(), date, banner, edit)
    }

    /// [`Windows::install`] in the environment `env`.
    fn install_in(
        &self,
        env: Environment,
        date: &str,
        banner: BannerMode,
        edit: impl FnOnce(&mut Job),
    ) -> ExitCode {
        let mut job = Job::Install {
            person: PersonInput {
                name: "Ana Ruiz".into(),
                title: "Program Analyst".into(),
                unit: "CTRT".into(),
                email: Some("ana.ruiz@dss.ca.gov".into()),
                phone: Some("(916) 555-0100".into()),
            },
            output: OutputOptions {
                formats: BTreeSet::new(),
                image_url: None,
                banner,
                source: BannerSource {
                    date: Some(date.parse().unwrap()),
                    ..BannerSource::default()
                },
                config: None,
                clipboard: false,
                force: false,
            },
            signature_name: None,
            set_default: false,
            accounts: Vec::new(),
            dry_run: false,
            print_reg: None,
        };
        edit(&mut job);
        sigblock::run(job, &env)
    }
}

fn set<F: FnOnce(&mut bool, &mut Option<PathBuf>, &mut bool)>(f: F) -> impl FnOnce(&mut Job) {
    move |job| {
        if let Job::Install {
            dry_run,
            print_reg,
            output,
            ..
        } = job
        {
            f(dry_run, print_reg, &mut output.force)
        }
    }
}

/// The files of one set: the signature `stem` and its reply variant, and the files
/// folder when `banner`.
fn one_set(stem: &str, reply: &str, banner: bool) -> Vec<String> {
    let mut names = vec![
        format!("{reply}.htm"),
        format!("{reply}.rtf"),
        format!("{reply}.txt"),
        format!("{stem}.htm"),
        format!("{stem}.rtf"),
        format!("{stem}.txt"),
    ];
    if banner {
        names.push(format!("{stem}_files"));
    }
    names
}

/// Every entry of the Signatures folder after Ana's install for the profile's two mail
/// accounts: the plain set and each mailbox's, sorted as `names` sorts.
fn every_set(banner: bool) -> Vec<String> {
    let mut all = one_set(N, REPLY, banner);
    for mailbox in ["ana.ruiz@dss.ca.gov", "ctrt.shared@dss.ca.gov"] {
        all.extend(one_set(
            &format!("{N} ({mailbox})"),
            &format!("{REPLY} ({mailbox})"),
            banner,
        ));
    }
    all.sort();
    all
}

#[test]
fn install_writes_the_signature_and_its_reply_into_the_signatures_folder() {
    let windows = Windows::new();
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    let folder = windows.signatures();
    assert_eq!(names(&folder), every_set(true));
    for stem in [
        N.to_owned(),
        format!("{N} (ana.ruiz@dss.ca.gov)"),
        format!("{N} (ctrt.shared@dss.ca.gov)"),
    ] {
        let png = std::fs::read(folder.join(format!("{stem}_files")).join("banner.png")).unwrap();
        let image = image::load_from_memory(&png).unwrap();
        assert_eq!((image.width(), image.height()), (1200, 200), "{stem}");
    }
    let htm = read(folder.join(format!("{N}.htm")));
    assert!(htm.contains("src=\"CDSS%20-%20Ana%20Ruiz_files/banner.png\""));
    let htm = read(folder.join(format!("{N} (ctrt.shared@dss.ca.gov).htm")));
    assert!(
        htm.contains("src=\"CDSS%20-%20Ana%20Ruiz%20(ctrt.shared@dss.ca.gov)_files/banner.png\"")
    );

    // February, --banner auto: the same names, no banner, every set's files folder gone.
    assert_eq!(
        windows.install("2027-02-10", BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    assert_eq!(names(&folder), every_set(false));
    for htm in names(&folder)
        .iter()
        .filter(|n| n.ends_with(".htm") && !n.contains("(reply)"))
    {
        let htm = read(folder.join(htm));
        assert!(!htm.contains("<img") && htm.contains("CSECProgram@dss.ca.gov"));
    }
    // January again: the banner is back, in each set.
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    assert_eq!(names(&folder), every_set(true));
}

#[test]
fn a_dry_run_changes_nothing() {
    let windows = Windows::new();
    let reg = windows.appdata.path().join("defaults.reg");
    let before = snapshot(windows.appdata.path());
    let code = windows.install(
        IN_CAMPAIGN,
        BannerMode::Always,
        set(|dry, print, _| {
            *dry = true;
            *print = Some(reg.clone());
        }),
    );
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(snapshot(windows.appdata.path()), before, "nothing made");
    assert!(before.is_empty());
    // After a real install, a dry run of the next month changes nothing either.
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    let before = snapshot(windows.appdata.path());
    let code = windows.install("2027-02-10", BannerMode::Auto, set(|dry, _, _| *dry = true));
    assert_eq!(code, ExitCode::SUCCESS);
    assert_eq!(snapshot(windows.appdata.path()), before);
}

#[test]
fn print_reg_writes_both_defaults_for_both_mail_accounts() {
    let windows = Windows::new();
    let reg = windows.appdata.path().join("defaults.reg");
    let code = windows.install(
        IN_CAMPAIGN,
        BannerMode::Auto,
        set(|_, print, _| *print = Some(reg.clone())),
    );
    assert_eq!(code, ExitCode::SUCCESS);
    let text = utf16(&std::fs::read(&reg).unwrap(), "defaults.reg");
    // Parsed back: [key] lines, then "name"="data" lines.
    let mut parsed = Vec::new();
    let mut key = String::new();
    let mut lines = text.split("\r\n");
    assert_eq!(lines.next(), Some("Windows Registry Editor Version 5.00"));
    for line in lines.filter(|l| !l.is_empty()) {
        if let Some(k) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            key = k.to_owned();
        } else {
            let (name, data) = line.split_once("\"=\"").unwrap();
            parsed.push((
                key.rsplit('\\').next().unwrap().to_owned(),
                name.trim_start_matches('"').to_owned(),
                data.trim_end_matches('"').to_owned(),
            ));
            assert!(key.starts_with("HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook\\"));
        }
    }
    let row = |n: &str, name: &str, data: &str| (n.to_owned(), name.to_owned(), data.to_owned());
    // Each account its own mailbox's names.
    assert_eq!(
        parsed,
        [
            row(
                "00000002",
                "New Signature",
                &format!("{N} (ana.ruiz@dss.ca.gov)")
            ),
            row(
                "00000002",
                "Reply-Forward Signature",
                &format!("{REPLY} (ana.ruiz@dss.ca.gov)")
            ),
            row(
                "00000004",
                "New Signature",
                &format!("{N} (ctrt.shared@dss.ca.gov)")
            ),
            row(
                "00000004",
                "Reply-Forward Signature",
                &format!("{REPLY} (ctrt.shared@dss.ca.gov)")
            ),
        ]
    );
    // A rerun replaces its own .reg, but never a file sigblock did not make.
    let code = windows.install(
        IN_CAMPAIGN,
        BannerMode::Auto,
        set(|_, print, _| *print = Some(reg.clone())),
    );
    assert_eq!(code, ExitCode::SUCCESS);
    let theirs = windows.appdata.path().join("theirs.reg");
    std::fs::write(&theirs, "IT's own").unwrap();
    let code = windows.install(
        IN_CAMPAIGN,
        BannerMode::Auto,
        set(|_, print, _| *print = Some(theirs.clone())),
    );
    assert_eq!(code, ExitCode::from(2));
    assert_eq!(read(&theirs), "IT's own");

    // --set-default alone has no registry to set here: said, nothing written.
    let windows = Windows::new();
    let code = windows.install(IN_CAMPAIGN, BannerMode::Auto, |job| {
        if let Job::Install { set_default, .. } = job {
            *set_default = true;
        }
    });
    assert_eq!(code, ExitCode::from(2));
    assert!(!windows.signatures().exists());
}

#[test]
fn a_file_sigblock_did_not_make_is_refused_or_with_force_kept_as_bak() {
    let windows = Windows::new();
    let folder = windows.signatures();
    std::fs::create_dir_all(&folder).unwrap();
    let mine = folder.join(format!("{N}.htm"));
    std::fs::write(&mine, "<p>my own signature</p>").unwrap();
    std::fs::write(folder.join("Personal.htm"), "<p>another one</p>").unwrap();

    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::from(2)
    );
    assert_eq!(read(&mine), "<p>my own signature</p>");
    assert!(!folder.join(format!("{N}.rtf")).exists(), "nothing written");

    let code = windows.install(
        IN_CAMPAIGN,
        BannerMode::Auto,
        set(|_, _, force| *force = true),
    );
    assert_eq!(code, ExitCode::SUCCESS);
    assert!(read(&mine).contains("CSECProgram@dss.ca.gov"));
    assert_eq!(
        read(folder.join(format!("{N}.htm.bak"))),
        "<p>my own signature</p>"
    );
    assert_eq!(read(folder.join("Personal.htm")), "<p>another one</p>");
    // Now sigblock's: a rerun needs no --force and makes no second copy.
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    assert!(!folder.join(format!("{N}.htm.bak2")).exists());
}

#[test]
fn without_appdata_install_says_so_and_writes_nothing() {
    let windows = Windows::new();
    let mut env = windows.env();
    env.appdata = None;
    let job = Job::Install {
        person: PersonInput {
            name: "Ana Ruiz".into(),
            title: "Program Analyst".into(),
            unit: "CTRT".into(),
            email: None,
            phone: None,
        },
        output: OutputOptions {
            formats: BTreeSet::new(),
            image_url: None,
            banner: BannerMode::Never,
            source: BannerSource::default(),
            config: None,
            clipboard: false,
            force: false,
        },
        signature_name: None,
        set_default: false,
        accounts: Vec::new(),
        dry_run: false,
        print_reg: None,
    };
    assert_eq!(sigblock::run(job, &env), ExitCode::from(2));
    assert!(snapshot(windows.appdata.path()).is_empty());
}

// ─── issue 20: per-mailbox sets, without Windows, odd accounts, links, two runs ─────

/// `sigblock install` for Ana with `extra`, in `cwd`, where there is no Windows registry;
/// `APPDATA` as given (none: unset).
fn linux_install(
    cwd: &std::path::Path,
    appdata: Option<&std::path::Path>,
    extra: &[&str],
) -> common::Run {
    let mut cmd = sigblock();
    cmd.current_dir(cwd)
        .env_remove("APPDATA")
        .arg("install")
        .args(ANA);
    if let Some(appdata) = appdata {
        cmd.env("APPDATA", appdata);
    }
    cmd.args(["--date", IN_CAMPAIGN]).args(extra);
    common::Run::from(cmd.output().unwrap())
}

#[test]
fn it_on_linux_reviews_the_plan_for_the_mailboxes_it_names_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let run = linux_install(
        dir.path(),
        None,
        &[
            "--dry-run",
            "--set-default",
            "--account",
            "ana.ruiz@dss.ca.gov",
            "--account",
            " CTRT.Shared@dss.ca.gov ",
        ],
    );
    run.expect_code(0);
    assert!(
        names(dir.path()).is_empty(),
        "nothing written, no .sigblock"
    );
    let lines: Vec<&str> = run.stdout.lines().collect();
    let writes: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix(r"would write %APPDATA%\Microsoft\Signatures\"))
        .collect();
    assert_eq!(writes.len(), 21, "three sets of seven: {}", run.stdout);
    for wanted in [
        "CDSS - Ana Ruiz.htm (",
        r"CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov)_files\banner.png (",
        "CDSS - Ana Ruiz (reply) (ana.ruiz@dss.ca.gov).txt (",
        "CDSS - Ana Ruiz (CTRT.Shared@dss.ca.gov).rtf (",
    ] {
        assert!(
            writes.iter().any(|w| w.starts_with(wanted)),
            "{wanted}: {}",
            run.stdout
        );
    }
    assert!(lines.contains(
        &"would set, for the mail account ana.ruiz@dss.ca.gov: New Signature = \
         CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov), Reply-Forward Signature = \
         CDSS - Ana Ruiz (reply) (ana.ruiz@dss.ca.gov) (its key is in that Windows user's \
         registry)"
    ));
    assert_eq!(lines.len(), 23, "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with("note: this is not Windows: a plan only"),
        "{}",
        run.stderr
    );

    // Without --account: the plain set, and a note saying how to see a mailbox's own.
    let run = linux_install(dir.path(), None, &["--dry-run"]);
    run.expect_code(0);
    assert_eq!(run.stdout.lines().count(), 7, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("add --account ana.ruiz@dss.ca.gov for that mailbox's own"),
        "{}",
        run.stderr
    );

    // --print-reg needs each account's key, which only Windows' registry has: refused.
    let run = linux_install(dir.path(), None, &["--dry-run", "--print-reg", "it.reg"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .starts_with("error: --print-reg writes each mail account's registry key"),
        "{}",
        run.stderr
    );
    // An address that cannot name files: refused, naming the flag and the value.
    let run = linux_install(
        dir.path(),
        None,
        &["--dry-run", "--account", "ana ruiz@dss.ca.gov"],
    );
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "error: --account \"ana ruiz@dss.ca.gov\": has a space, a control character or an \
         invisible one, which a file name would carry unseen\n"
    );
    assert!(names(dir.path()).is_empty());
}

#[test]
fn it_on_linux_reviews_a_copy_of_the_persons_appdata_after_an_install() {
    // The person's install (in this process, as on Windows), in January.
    let windows = Windows::new();
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    let before = snapshot(windows.appdata.path());
    // IT, on Linux, with APPDATA at that folder: February's plan, for both mailboxes.
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = sigblock();
    cmd.current_dir(dir.path())
        .env("APPDATA", windows.appdata.path())
        .arg("install")
        .args(ANA)
        .args(["--date", "2027-02-10", "--banner", "auto", "--dry-run"])
        .args([
            "--account",
            "ana.ruiz@dss.ca.gov",
            "--account",
            "ctrt.shared@dss.ca.gov",
        ]);
    let run = common::Run::from(cmd.output().unwrap());
    run.expect_code(0);
    assert_eq!(snapshot(windows.appdata.path()), before, "nothing changed");
    let folder = windows.signatures();
    for stem in [
        N.to_owned(),
        format!("{N} (ana.ruiz@dss.ca.gov)"),
        format!("{N} (ctrt.shared@dss.ca.gov)"),
    ] {
        let banner = folder.join(format!("{stem}_files")).join("banner.png");
        let removal = format!("would remove {} (when sigblock made it)", banner.display());
        assert!(
            run.stdout.lines().any(|l| l == removal),
            "{stem}: {}",
            run.stdout
        );
        let htm = folder.join(format!("{stem}.htm"));
        assert!(
            run.stdout
                .contains(&format!("would replace {} (", htm.display())),
            "{}",
            run.stdout
        );
    }
}

/// The registry of [`Windows::new`] with `accounts` (key number, Account Name) instead of
/// its own.
fn with_accounts(windows: &mut Windows, accounts: &[(&str, &str)]) {
    windows.registry.retain(|key, _| !key.starts_with(ACCOUNTS));
    for (n, name) in accounts {
        windows
            .registry
            .entry(format!(r"{ACCOUNTS}\{n}"))
            .or_default()
            .insert("Account Name".into(), sz(name));
    }
}

#[test]
fn an_account_whose_address_cannot_name_files_keeps_the_plain_names() {
    let mut windows = Windows::new();
    with_accounts(
        &mut windows,
        &[
            ("00000002", "ana.ruiz@dss.ca.gov"),
            // The same mailbox again, in capitals: the same files on Windows.
            ("00000003", "ANA.RUIZ@dss.ca.gov"),
            ("00000004", "ana ruiz@dss.ca.gov"),
            ("00000005", "ctrt\u{1b}[2J@dss.ca.gov"),
            ("00000006", "a/../../x@dss.ca.gov"),
            ("00000007", "ctrt\r\nshared@dss.ca.gov"),
        ],
    );
    let reg = windows.appdata.path().join("defaults.reg");
    let code = windows.install(
        IN_CAMPAIGN,
        BannerMode::Never,
        set(|_, print, _| *print = Some(reg.clone())),
    );
    assert_eq!(code, ExitCode::SUCCESS);
    let folder = windows.signatures();
    let mut wanted = one_set(N, REPLY, false);
    wanted.extend(one_set(
        &format!("{N} (ana.ruiz@dss.ca.gov)"),
        &format!("{REPLY} (ana.ruiz@dss.ca.gov)"),
        false,
    ));
    wanted.sort();
    assert_eq!(names(&folder), wanted, "no file named from an odd address");
    assert!(!windows.appdata.path().join("x@dss.ca.gov).htm").exists());
    // Each account its own mailbox's names, or the plain ones.
    let text = utf16(&std::fs::read(&reg).unwrap(), "defaults.reg");
    let values: Vec<(String, String)> = text
        .split("\r\n\r\n")
        .filter_map(|block| {
            let key = block.lines().next()?.strip_prefix('[')?.strip_suffix(']')?;
            let new = block
                .lines()
                .find_map(|l| l.strip_prefix("\"New Signature\"=\""))?;
            Some((
                key.rsplit('\\').next().unwrap().to_owned(),
                new.trim_end_matches('"').to_owned(),
            ))
        })
        .collect();
    let own = format!("{N} (ana.ruiz@dss.ca.gov)");
    assert_eq!(
        values,
        [
            ("00000002".to_owned(), own.clone()),
            ("00000003".to_owned(), own),
            ("00000004".to_owned(), N.to_owned()),
            ("00000005".to_owned(), N.to_owned()),
            ("00000006".to_owned(), N.to_owned()),
            ("00000007".to_owned(), N.to_owned()),
        ]
    );
}

#[test]
fn a_signatures_folder_that_is_a_link_is_followed_but_a_files_folder_that_is_one_is_refused() {
    let windows = Windows::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let microsoft = windows.appdata.path().join("Microsoft");
    std::fs::create_dir_all(&microsoft).unwrap();
    // A redirected folder (a junction on Windows): Outlook reads through it too.
    std::os::unix::fs::symlink(elsewhere.path(), microsoft.join("Signatures")).unwrap();
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    assert_eq!(names(elsewhere.path()), every_set(true));

    // A mailbox's files folder planted as a link out: nothing is written through it, and
    // as a person's files change all or none, nothing else either.
    let outside = tempfile::tempdir().unwrap();
    let files = elsewhere
        .path()
        .join(format!("{N} (ctrt.shared@dss.ca.gov)_files"));
    std::fs::remove_dir_all(&files).unwrap();
    std::os::unix::fs::symlink(outside.path(), &files).unwrap();
    let before = snapshot(elsewhere.path());
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Always, |_| {}),
        ExitCode::from(2)
    );
    assert!(names(outside.path()).is_empty(), "nothing through the link");
    let after = snapshot(elsewhere.path());
    assert_eq!(
        after
            .keys()
            .filter(|k| !k.starts_with(".sigblock"))
            .collect::<Vec<_>>(),
        before
            .keys()
            .filter(|k| !k.starts_with(".sigblock"))
            .collect::<Vec<_>>()
    );
    for (rel, bytes) in &before {
        if !rel.starts_with(".sigblock") {
            assert!(after[rel] == *bytes, "{rel} changed");
        }
    }
}

#[test]
fn two_installs_at_once_both_finish_one_after_the_other_and_leave_whole_sets() {
    let windows = Windows::new();
    // Long enough for the other run to finish on a busy machine: the second one waits.
    let patient = || Environment {
        lock_wait: Duration::from_secs(60),
        ..windows.env()
    };
    std::thread::scope(|s| {
        let january =
            s.spawn(|| windows.install_in(patient(), IN_CAMPAIGN, BannerMode::Auto, |_| {}));
        let february =
            s.spawn(|| windows.install_in(patient(), "2027-02-10", BannerMode::Auto, |_| {}));
        assert_eq!(january.join().unwrap(), ExitCode::SUCCESS);
        assert_eq!(february.join().unwrap(), ExitCode::SUCCESS);
    });
    // Whichever ran last, every set is whole and of one month: all with the banner or none.
    let folder = windows.signatures();
    let all = names(&folder);
    assert!(all == every_set(true) || all == every_set(false), "{all:?}");
    let banner = all.iter().any(|n| n.ends_with("_files"));
    for htm in all
        .iter()
        .filter(|n| n.ends_with(".htm") && !n.contains("(reply)"))
    {
        assert_eq!(read(folder.join(htm)).contains("<img"), banner, "{htm}");
    }
    assert!(
        !folder.join(".sigblock").join("journal").exists(),
        "both runs finished their record"
    );
}

#[test]
fn format_outlook_writes_the_txt_byte_for_byte_as_install_does() {
    let windows = Windows::new();
    assert_eq!(
        windows.install(IN_CAMPAIGN, BannerMode::Auto, |_| {}),
        ExitCode::SUCCESS
    );
    let installed = std::fs::read(windows.signatures().join(format!("{N}.txt"))).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = sigblock()
        .current_dir(dir.path())
        .args(ANA)
        .args([
            "--format",
            "outlook",
            "--date",
            IN_CAMPAIGN,
            "--no-clipboard",
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0));
    let outlook = std::fs::read(dir.path().join("ana-ruiz.txt")).unwrap();
    assert_eq!(&outlook[..2], [0xFF, 0xFE]);
    assert!(outlook == installed, "the same bytes as install's N.txt");
}

#[test]
fn a_profile_name_a_reg_file_cannot_carry_stops_print_reg_before_any_file_is_written() {
    let mut windows = Windows::new();
    // A profile named with a line break: as a .reg key it would start a line of its own.
    let planted = ACCOUNTS.replace(
        r"\Outlook\9375",
        "\\Outlook]\r\n[HKEY_CURRENT_USER\\Run\\9375",
    );
    let accounts: Vec<_> = windows
        .registry
        .keys()
        .filter(|k| k.starts_with(ACCOUNTS))
        .cloned()
        .collect();
    for key in accounts {
        let values = windows.registry.remove(&key).unwrap();
        windows
            .registry
            .insert(key.replace(ACCOUNTS, &planted), values);
    }
    windows.registry.insert(
        r"HKCU\Software\Microsoft\Office\16.0\Outlook".into(),
        [(
            "DefaultProfile".to_owned(),
            sz("Outlook]\r\n[HKEY_CURRENT_USER\\Run"),
        )]
        .into(),
    );
    let reg = windows.appdata.path().join("defaults.reg");
    let code = windows.install(
        IN_CAMPAIGN,
        BannerMode::Auto,
        set(|_, print, _| *print = Some(reg.clone())),
    );
    assert_eq!(code, ExitCode::from(2));
    assert!(!reg.exists());
    assert!(!windows.signatures().exists(), "no file written");
}
