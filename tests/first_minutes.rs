//! The first five minutes (issue 14): what a staff member or HR types on a first day,
//! the way they first type it, and the answer that says what to do next. Each test is
//! the exact command and the exact message (or what it made).

use std::ffi::OsStr;
use std::path::Path;
use std::process::Output;

use crate::common::{self, names, read, sigblock, IN_CAMPAIGN};
use tempfile::TempDir;

/// Runs sigblock in a fresh folder with `args`; gives the folder and the output.
fn run<S: AsRef<OsStr>>(args: &[S]) -> (TempDir, Output) {
    let dir = TempDir::new().unwrap();
    let output = run_in(dir.path(), args);
    (dir, output)
}

fn run_in<S: AsRef<OsStr>>(dir: &Path, args: &[S]) -> Output {
    sigblock().current_dir(dir).args(args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Exit 2, nothing on stdout, nothing written, and this stderr exactly.
fn assert_refused(dir: &TempDir, output: &Output, expected: &str) {
    assert_eq!(stderr(output), expected);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(output), "");
    assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
}

const EXAMPLE: &str =
    "  e.g. sigblock --name \"Ana Ruiz\" --title \"Program Analyst\" --unit CTRT\n";

// 1. A name without quotes; sigblock alone.

#[test]
fn a_name_typed_without_quotes_is_answered_with_the_quoted_form() {
    let (dir, output) = run(&["--name", "Ana", "Ruiz", "--title", "A", "--unit", "CTRT"]);
    assert_refused(
        &dir,
        &output,
        &format!(
            "error: --name takes one value, but \"Ruiz\" came after it; put a value with \
             spaces in quotes: --name \"Ana Ruiz\"\n{EXAMPLE}"
        ),
    );
    let (dir, output) = run(&[
        "--name", "Ana Ruiz", "--title", "Program", "Analyst", "--unit", "CTRT",
    ]);
    assert_refused(
        &dir,
        &output,
        &format!(
            "error: --title takes one value, but \"Analyst\" came after it; put a value with \
             spaces in quotes: --title \"Program Analyst\"\n{EXAMPLE}"
        ),
    );
}

#[test]
fn sigblock_alone_says_what_a_signature_needs_with_an_example() {
    let (dir, output) = run::<&str>(&[]);
    assert_refused(
        &dir,
        &output,
        &format!(
            "error: a signature needs --name, --title and --unit\n{EXAMPLE}  (sigblock units \
             lists the units; sigblock --help shows every option; sigblock batch STAFF.csv \
             --out DIR makes a whole office's)\n"
        ),
    );
}

// 2. Units, ignoring spaces and punctuation; near misses.

#[test]
fn a_unit_is_found_whatever_its_spaces_and_punctuation() {
    for unit in [
        "C.T.R.T.",
        "c-t-r-t",
        "csec  program",
        "Child-Trafficking Response TEAM",
    ] {
        let (dir, output) = run(&[
            "--name",
            "Ana Ruiz",
            "--title",
            "A",
            "--unit",
            unit,
            "--date",
            IN_CAMPAIGN,
            "--no-clipboard",
        ]);
        assert_eq!(output.status.code(), Some(0), "{unit}: {}", stderr(&output));
        let text = read(dir.path().join("ana-ruiz.txt"));
        assert!(
            text.contains("\nChild Trafficking Response Team\n"),
            "{unit}: {text}"
        );
    }
}

#[test]
fn a_near_miss_unit_is_answered_with_did_you_mean() {
    for (typed, meant) in [
        ("CSEC team", "Child Trafficking Response Team (CTRT)"),
        ("ctrt team", "Child Trafficking Response Team (CTRT)"),
        ("Refugee Programs", "Refugee Programs Bureau (RPB)"),
        (
            "Asylee and Trafficking",
            "Asylee and Trafficking Unit (ATU)",
        ),
        ("RBP", "Refugee Programs Bureau (RPB)"),
    ] {
        let (dir, output) = run(&["--name", "Ana Ruiz", "--title", "A", "--unit", typed]);
        assert_refused(
            &dir,
            &output,
            &format!(
                "error: unit: {typed:?} is not a known unit; did you mean {meant}? \
                 (sigblock units lists them all)\n"
            ),
        );
    }
    // Nothing near: the whole list, as before.
    let (dir, output) = run(&["--name", "Ana Ruiz", "--title", "A", "--unit", "Payroll"]);
    assert_refused(
        &dir,
        &output,
        "error: unit: \"Payroll\" is not a known unit; known units: Child Trafficking \
         Response Team (CTRT, CSEC, CSEC Program, CFSD/CTRT), Child Trafficking Program \
         Support Unit (CTPSU), Refugee Programs Bureau (RPB, Refugee Programs Branch), \
         Asylee and Trafficking Unit (ATU, Asylee & Trafficking Unit)\n",
    );
}

// 3. File-system errors in words, with the way out.

const ANA: &[&str] = &[
    "--name",
    "Ana Ruiz",
    "--title",
    "A",
    "--unit",
    "CTRT",
    "--date",
    IN_CAMPAIGN,
    "--no-clipboard",
];

fn ana_with(extra: &[&str]) -> Vec<String> {
    ANA.iter().chain(extra).map(|s| s.to_string()).collect()
}

#[test]
fn a_folder_that_cannot_be_written_is_said_in_words_with_the_way_out() {
    // /sys refuses new entries even to root (these tests run as root): EPERM.
    let dir = TempDir::new().unwrap();
    let args = ana_with(&["--out", "/sys/sigblock-first-minutes"]);
    let output = sigblock()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert_refused(
        &dir,
        &output,
        "error: cannot write into /sys/sigblock-first-minutes: permission denied (you \
         cannot write there); choose another folder with --out\n",
    );
}

#[test]
fn out_naming_a_file_says_it_is_a_file_not_a_folder() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("afile"), "mine").unwrap();
    let args = ana_with(&["--out", "afile"]);
    let output = sigblock()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: cannot write into afile: afile is a file, not a folder; choose another --out\n"
    );
    assert_eq!(names(dir.path()), ["afile"]);
    assert_eq!(read(dir.path().join("afile")), "mine");
}

#[test]
fn banner_out_naming_a_folder_asks_for_a_file_name() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("dir")).unwrap();
    let output = run_in(dir.path(), &["banner", "--out", "dir/"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: --out: \"dir/\" is a folder; name the file, e.g. --out \"dir/banner.png\"\n"
    );
    assert!(names(dir.path().join("dir")).is_empty());
}

#[test]
fn a_quoted_tilde_is_refused_before_a_folder_named_tilde_is_made() {
    let dir = TempDir::new().unwrap();
    let args = ana_with(&["--out", "~/Desktop"]);
    let output = sigblock()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert_refused(
        &dir,
        &output,
        "error: --out: \"~/Desktop\" starts with ~, which was not expanded to your home \
         folder (a shell expands ~ only outside quotes, and PowerShell not for programs); \
         sigblock would make a folder named ~. Write \"$HOME/Desktop\" instead\n",
    );
}

// 4. --format in any case, separated by commas or spaces.

#[test]
fn formats_are_taken_in_any_case_with_commas_or_spaces() {
    for format in ["HTML", "html, text", "Html,TEXT", "html text"] {
        let (dir, output) = run(&ana_with(&["--format", format]));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&output)
        );
        let expected: &[&str] = if format == "HTML" {
            &["ana-ruiz.html"]
        } else {
            &["ana-ruiz.html", "ana-ruiz.txt"]
        };
        assert_eq!(names(dir.path()), expected, "{format}");
    }
    let (dir, output) = run(&ana_with(&["--format", "pdf"]));
    assert_refused(
        &dir,
        &output,
        "error: --format: \"pdf\" is not a format; choose from html, text, eml, outlook, reply\n",
    );
}

// 5. An address, a phone number with its extension, a URL: never split.

#[test]
fn a_phone_number_with_its_extension_is_never_split_in_the_text() {
    let email = "ana.ruiz-garcia.hernandez.de.la.torre@dss.ca.gov";
    let phone = "(916) 555-0123 ext 4567";
    let (dir, output) = run(&ana_with(&["--email", email, "--phone", phone]));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = read(dir.path().join("ana-ruiz.txt"));
    // Together they are 74 columns: each gets its own line, whole.
    assert!(text.contains(&format!("\n{email}\n{phone}\n")), "{text}");
    // Together when they fit.
    let (dir, _) = run(&ana_with(&["--email", "ana@dss.ca.gov", "--phone", phone]));
    let text = read(dir.path().join("ana-ruiz.txt"));
    assert!(
        text.contains(&format!("\nana@dss.ca.gov | {phone}\n")),
        "{text}"
    );
}

// 6. Notes: the reason, in words, once, after the result.

#[test]
fn banner_never_gives_no_note_about_january() {
    let (_dir, output) = run(&[
        "--name",
        "Ana Ruiz",
        "--title",
        "A",
        "--unit",
        "CTRT",
        "--banner",
        "never",
        "--date",
        "2027-02-10",
        "--no-clipboard",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stderr(&output), "");
}

#[test]
fn outside_january_the_notes_come_once_after_the_result_and_the_clipboard_is_in_words() {
    // One pipe for both streams, so the order is the order a terminal shows.
    let dir = TempDir::new().unwrap();
    let log = dir.path().join("log");
    let file = std::fs::File::create(&log).unwrap();
    let status = common::spawnable()
        .current_dir(dir.path())
        .args([
            "--name", "Ana Ruiz", "--title", "A", "--unit", "CTRT", "--out", "out",
        ])
        .args(["--date", "2027-02-10"])
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let out = dir.path().join("out");
    assert_eq!(
        read(&log),
        format!(
            "wrote ana-ruiz.html and ana-ruiz.txt in {}\n\
         no clipboard here: the signature is in {}; open it in a browser, \
         select all, copy, and paste it into your email client's signature settings\n\
         note: the banner is meant for January 1 to January 31 (National Human Trafficking \
         Prevention Month); --banner auto leaves it out on other days\n\
         note: Gmail does not show inlined images; for Gmail, host the banner (sigblock \
         banner --out banner.png) and add --image-url https://…/banner.png\n",
            out.display(),
            out.join("ana-ruiz.html").display()
        )
    );
}

// 7. Phone: the forms the hint names are the forms accepted; the link agrees.

#[test]
fn every_extension_form_the_hint_names_is_accepted_and_linked() {
    for (phone, tel) in [
        ("(916) 555-0123 extension 4", "tel:+19165550123;ext=4"),
        ("(916) 555-0123 ext. 4", "tel:+19165550123;ext=4"),
        ("(916) 555-0123 ext 4", "tel:+19165550123;ext=4"),
        ("(916) 555-0123 x4", "tel:+19165550123;ext=4"),
    ] {
        let (dir, output) = run(&ana_with(&["--phone", phone]));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{phone}: {}",
            stderr(&output)
        );
        let html = read(dir.path().join("ana-ruiz.html"));
        assert!(html.contains(&format!("href=\"{tel}\"")), "{phone}");
    }
    let (dir, output) = run(&ana_with(&["--phone", "916 555 0123 ext"]));
    assert_refused(
        &dir,
        &output,
        "error: phone: \"916 555 0123 ext\" is not a phone number (use digits, spaces and \
         + - ( ) . /, with the area code; an extension as ext 12, ext. 12, extension 12 or \
         x12)\n",
    );
}

#[test]
fn a_phone_number_without_an_area_code_gets_a_note() {
    let (dir, output) = run(&ana_with(&["--phone", "555-0123 ext. 4"]));
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stderr(&output),
        "note: Gmail does not show inlined images; for Gmail, host the banner (sigblock \
         banner --out banner.png) and add --image-url https://…/banner.png\n\
         note: the phone number \"555-0123 ext. 4\" has no area code: its link \
         (tel:5550123;ext=4) dials it as a local number; write it in full, as in (916) \
         555-0100\n"
    );
    assert!(read(dir.path().join("ana-ruiz.html")).contains("href=\"tel:5550123;ext=4\""));
}

// 8. Two people, one file name: the first is kept unless asked.

fn person(name: &str, unit: &str, title: &str) -> Vec<String> {
    [
        "--name",
        name,
        "--title",
        title,
        "--unit",
        unit,
        "--out",
        "sigs",
        "--date",
        IN_CAMPAIGN,
        "--no-clipboard",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

#[test]
fn another_persons_signature_of_the_same_file_name_is_kept_unless_forced() {
    let dir = TempDir::new().unwrap();
    let go = |args: &[String]| {
        sigblock()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    assert_eq!(
        go(&person("José Núñez", "RPB", "Analyst")).status.code(),
        Some(0)
    );
    let first_html = read(dir.path().join("sigs/jose-nunez.html"));
    let first_text = read(dir.path().join("sigs/jose-nunez.txt"));

    let output = go(&person("José Nunez", "CTRT", "Analyst"));
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "error: sigs/jose-nunez.html is the signature of José Núñez (Refugee Programs \
         Bureau), not of José Nunez (Child Trafficking Response Team): both names give the \
         file name jose-nunez. To keep both, make this one in another folder (--out \
         OTHER-FOLDER); to replace theirs, run again with --force\n"
    );
    assert_eq!(read(dir.path().join("sigs/jose-nunez.html")), first_html);
    assert_eq!(read(dir.path().join("sigs/jose-nunez.txt")), first_text);

    // The same person again, with a new title: their own signature, replaced quietly.
    let output = go(&person("José Núñez", "RPB", "Senior Analyst"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(read(dir.path().join("sigs/jose-nunez.txt")).contains("\nSenior Analyst\n"));

    // Asked for: replaced, and said.
    let mut forced = person("José Nunez", "CTRT", "Analyst");
    forced.push("--force".into());
    let output = go(&forced);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(&format!(
            "note: replaced the signature of José Núñez (Refugee Programs Bureau) \
                 ({}, --force)",
            dir.path().join("sigs/jose-nunez.html").display()
        )),
        "{}",
        stderr(&output)
    );
    assert!(read(dir.path().join("sigs/jose-nunez.txt")).contains("\nJosé Nunez\n"));
}

// 9. The banner is a PNG: its name says so.

#[test]
fn banner_out_with_another_extension_is_refused() {
    for (out, suggested) in [("b.jpg", "b.png"), ("banner", "banner.png")] {
        let (dir, output) = run(&["banner", "--out", out]);
        assert_refused(
            &dir,
            &output,
            &format!(
                "error: --out: {out:?}: the banner is a PNG image, so its name ends in .png, \
                 e.g. --out \"{suggested}\"\n"
            ),
        );
    }
    let (dir, output) = run(&["banner", "--out", "B.PNG", "--date", IN_CAMPAIGN]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(names(dir.path()), ["B.PNG"]);
}
