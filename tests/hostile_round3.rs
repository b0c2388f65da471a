//! Hostile, round three: the folders sigblock owns (nothing outside `--out` touched, a
//! person's files all or none, a shared folder, other runs' files kept), what reaches the
//! terminal (escape sequences said, not sent), invisible names, files that are plainly no
//! staff list, and a display that never answers. Each was a failure of the code before;
//! TESTING.md's "Hostile, round three" table lists them with these tests.

use std::fs;
use std::path::Path;
use std::process::Command as StdCommand;
use std::time::{Duration, Instant};

use crate::common::{batch, bounded, read, report, sigblock, snapshot, Run, ANA, IN_CAMPAIGN};

/// One person into `out`, in January, without the clipboard.
fn person(out: &Path, args: &[&str]) -> Run {
    Run::from(
        sigblock()
            .args(args)
            .arg("--out")
            .arg(out)
            .args(["--date", IN_CAMPAIGN, "--no-clipboard"])
            .output()
            .unwrap(),
    )
}

fn staff(path: &Path, rows: &[&str]) {
    let mut text = String::from("name,title,unit,email\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    fs::write(path, text).unwrap();
}

/// These tests need root (file attributes, another user): CI runs as root.
#[track_caller]
fn require_root() {
    let id = StdCommand::new("id").arg("-u").output().expect("id runs");
    assert_eq!(
        String::from_utf8_lossy(&id.stdout).trim(),
        "0",
        "this test needs root (chattr +i, runuser): run it as CI does"
    );
}

// 1. Nothing is removed or written through a link at any depth.
#[test]
fn a_rerun_removes_nothing_through_a_files_folder_replaced_by_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, &["Ana Ruiz,Analyst,CTRT,", "Bo Li,Analyst,RPB,"]);
    let out = dir.path().join("out");
    batch(&csv, &out, &["--format", "html,outlook"]).expect_code(0);
    // Someone swaps Ana's files folder for a link to a folder of theirs holding a file
    // exactly like sigblock's banner.
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::copy(
        out.join("ana-ruiz_files/banner.png"),
        elsewhere.join("banner.png"),
    )
    .unwrap();
    fs::remove_dir_all(out.join("ana-ruiz_files")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("ana-ruiz_files")).unwrap();
    let before = snapshot(&elsewhere);

    // Ana leaves: her files go, but nothing behind the link.
    staff(&csv, &["Bo Li,Analyst,RPB,"]);
    batch(&csv, &out, &["--format", "html,outlook"]).expect_code(0);
    assert_eq!(snapshot(&elsewhere), before);
    assert!(!out.join("ana-ruiz.html").exists());

    // Ana comes back: her row is refused at the link, nothing written through it.
    staff(&csv, &["Ana Ruiz,Analyst,CTRT,", "Bo Li,Analyst,RPB,"]);
    let run = batch(&csv, &out, &["--format", "html,outlook"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&format!(
            "{} is a symbolic link; sigblock writes only regular files",
            out.join("ana-ruiz_files").display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&elsewhere), before);
}

// 2. One person never takes the name of a batch's own files.
#[test]
fn a_person_named_index_or_report_never_takes_the_gallerys_names() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, &["Ana Ruiz,Analyst,CTRT,"]);
    let out = dir.path().join("out");
    batch(&csv, &out, &[]).expect_code(0);
    let gallery = read(out.join("index.html"));
    for name in ["Index", "Report", "Banner"] {
        let run = person(
            &out,
            &["--name", name, "--title", "Analyst", "--unit", "CTRT"],
        );
        run.expect_code(0);
        let slug = name.to_lowercase();
        assert!(
            run.stdout
                .starts_with(&format!("wrote {slug}-2.html and {slug}-2.txt in ")),
            "{}",
            run.stdout
        );
    }
    assert_eq!(read(out.join("index.html")), gallery);
}

// 3. A person's files change all together or not at all.
#[test]
fn a_file_that_cannot_be_replaced_leaves_every_file_of_that_person_as_it_was() {
    require_root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    person(&out, ANA).expect_code(0);
    let (html, txt) = (out.join("ana-ruiz.html"), out.join("ana-ruiz.txt"));
    let before = (read(&html), read(&txt));
    // The text file may not be changed (immutable: neither replaced nor renamed).
    let chattr = |flag: &str| {
        let status = StdCommand::new("chattr")
            .args([flag, txt.to_str().unwrap()])
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "chattr {flag} (e2fsprogs)"
        );
    };
    chattr("+i");
    let changed = [
        "--name",
        "Ana Ruiz",
        "--title",
        "Program Analyst",
        "--unit",
        "CTRT",
        "--email",
        "ana.ruiz@dss.ca.gov",
        "--phone",
        "(916) 555-0199",
    ];
    let run = person(&out, &changed);
    chattr("-i");
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot replace {}: permission denied (you cannot write there); none of \
             this signature's files were changed\n",
            txt.display()
        )
    );
    assert_eq!((read(&html), read(&txt)), before, "the .html was put back");
    // And the record still knows both as sigblock's: a run now replaces them quietly.
    let run = person(&out, &changed);
    run.expect_code(0);
    assert!(read(&txt).contains("(916) 555-0199"));
    assert!(crate::common::names(out.join(".sigblock/tmp")).is_empty());
}

// 4. A run's own inputs are never its temporaries.
#[test]
fn inputs_lying_in_sigblocks_temporaries_folder_are_not_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    person(&out, ANA).expect_code(0);
    let tmp = out.join(".sigblock/tmp");
    let csv = tmp.join("staff.csv");
    staff(&csv, &["Ana Ruiz,Analyst,CTRT,"]);
    let units = tmp.join("units.toml");
    fs::write(&units, sigblock::units::BUILT_IN).unwrap();
    fs::write(tmp.join(".tmpKILLED"), "a killed run's").unwrap();
    let run = batch(&csv, &out, &["--config", units.to_str().unwrap()]);
    run.expect_code(0);
    assert!(
        csv.is_file() && units.is_file(),
        "inputs kept: {:?}",
        crate::common::names(&tmp)
    );
    assert!(
        !tmp.join(".tmpKILLED").exists(),
        "a killed run's temporary is cleared"
    );
}

// 6. A folder colleagues share.
#[test]
fn a_shared_folder_stays_writable_by_the_next_colleague_and_a_record_that_is_not_says_whose() {
    require_root();
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("shared");
    fs::create_dir(&shared).unwrap();
    // A folder everyone may write (as a shared drive is), the parent passable.
    for (path, mode) in [(dir.path(), "755"), (shared.as_path(), "777")] {
        assert!(StdCommand::new("chmod")
            .args([mode, path.to_str().unwrap()])
            .status()
            .unwrap()
            .success());
    }
    let exe = env!("CARGO_BIN_EXE_sigblock");
    let as_user = |user: &str, name: &str| {
        let output = StdCommand::new("runuser")
            .args(["-u", user, "--", "sh", "-c"])
            .arg(format!(
                "umask 022 && SIGBLOCK_CACHE_DIR= \"$0\" --name \"$1\" --title Analyst --unit CTRT \
                 --out \"$2\" --date {IN_CAMPAIGN} --no-clipboard"
            ))
            .args([exe, name, shared.to_str().unwrap()])
            .env_remove("DISPLAY")
            .output()
            .expect("runuser runs");
        Run::from(output)
    };
    as_user("root", "Ana Ruiz").expect_code(0);
    // The second colleague, with umask 022 too: sigblock's record followed the folder.
    as_user("nobody", "Bo Li").expect_code(0);
    assert!(shared.join("bo-li.html").is_file());

    // A record someone made only theirs (an older sigblock did): said as theirs.
    assert!(StdCommand::new("chmod")
        .args(["-R", "go-w", shared.join(".sigblock").to_str().unwrap()])
        .status()
        .unwrap()
        .success());
    let run = as_user("nobody", "Cy Ng");
    run.expect_code(2);
    let state = shared.join(".sigblock");
    assert_eq!(
        run.stderr,
        format!(
            "error: {} keeps sigblock's record of the signatures in {}, and it belongs to \
             root: you cannot write into it. Ask root to let the folder's group write it \
             (chmod -R g+w {}), or to delete it (sigblock then treats the signatures there as \
             not its own), or choose another --out\n",
            state.display(),
            shared.display(),
            state.display()
        )
    );
}

// 7. --force's notes, once each.
#[test]
fn force_says_each_replaced_file_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, &["Ana Ruiz,Analyst,CTRT,"]);
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("index.html"), "HR's own page").unwrap();
    let run = batch(&csv, &out, &["--force"]);
    run.expect_code(0);
    let note = format!(
        "note: replaced {}, which sigblock had not made (--force)",
        out.join("index.html").display()
    );
    assert_eq!(
        run.stderr.lines().filter(|l| *l == note).count(),
        1,
        "{}",
        run.stderr
    );
}

// 8. A batch removes only what its own staff list made.
#[test]
fn a_batch_keeps_one_person_signatures_and_another_lists_signatures_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    person(
        &out,
        &[
            "--name",
            "Zoë Martin",
            "--title",
            "Analyst",
            "--unit",
            "RPB",
        ],
    )
    .expect_code(0);
    let (a, b) = (dir.path().join("unit-a.csv"), dir.path().join("unit-b.csv"));
    staff(&a, &["Ana Ruiz,Analyst,CTRT,", "Bo Li,Analyst,CTRT,"]);
    staff(&b, &["Cy Ng,Analyst,RPB,"]);
    batch(&a, &out, &[]).expect_code(0);
    let run = batch(&b, &out, &[]);
    run.expect_code(0);
    for kept in [
        "zoe-martin.html",
        "ana-ruiz.html",
        "bo-li.html",
        "cy-ng.html",
    ] {
        assert!(out.join(kept).is_file(), "{kept}");
    }
    assert!(!run.stderr.contains("removed"), "{}", run.stderr);
    assert!(
        run.says(&format!(
            "note: kept 6 files that other runs made in this folder (4 from the staff list \
             {}; 2 made one person at a time): a batch removes only what its own staff list \
             made; delete them by hand if they are no longer wanted",
            a.canonicalize().unwrap().display()
        )),
        "{}",
        run.stderr
    );
    // Unit A's own rerun, with Bo gone: Bo's files go, Cy's and Zoë's stay.
    staff(&a, &["Ana Ruiz,Analyst,CTRT,"]);
    let run = batch(&a, &out, &[]);
    run.expect_code(0);
    assert!(!out.join("bo-li.html").exists());
    assert!(out.join("cy-ng.html").is_file() && out.join("zoe-martin.html").is_file());
}

// 9. An office's value on two lines is refused as a person's is.
#[test]
fn a_units_file_value_with_a_unicode_line_separator_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("units.toml");
    for separator in ['\u{2028}', '\u{2029}'] {
        let text = sigblock::units::BUILT_IN.replacen(
            "team = \"Asylee and Trafficking Unit\"",
            &format!("team = \"Asylee{separator}-- fake\""),
            1,
        );
        fs::write(&config, text).unwrap();
        let run = person(
            &dir.path().join("out"),
            &[
                "--name",
                "Li",
                "--title",
                "A",
                "--unit",
                "RPB",
                "--config",
                config.to_str().unwrap(),
            ],
        );
        run.expect_code(2);
        assert!(
            run.stderr.contains("contact.rpb.team: \"Asylee")
                && run
                    .stderr
                    .contains("contains a line break; it must be one line"),
            "{}",
            run.stderr
        );
        assert!(!dir.path().join("out").exists());
    }
}

// 10. Nothing a file or a record holds reaches the terminal as an escape sequence.
#[test]
fn escape_sequences_in_a_record_or_a_campaign_are_said_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    person(
        &out,
        &[
            "--name", "Ana Ruiz", "--title", "A", "--unit", "CTRT", "--email", "a@x.org",
        ],
    )
    .expect_code(0);
    // A record planted with a name that clears the screen.
    let manifest = out.join(".sigblock/manifest");
    let planted = read(&manifest).replace(
        "\"name\":\"Ana Ruiz\"",
        "\"name\":\"\\u001b[2J\\u001b[31mEvil\"",
    );
    fs::write(&manifest, planted).unwrap();
    let run = person(
        &out,
        &[
            "--name", "Ana Ruiz", "--title", "A", "--unit", "CTRT", "--email", "b@x.org",
        ],
    );
    run.expect_code(2);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    assert!(
        run.stderr
            .contains("is the signature of \\u{1b}[2J\\u{1b}[31mEvil (a@x.org"),
        "{}",
        run.stderr
    );

    // A campaign whose banner path holds one.
    let campaign = dir.path().join("campaign.toml");
    let text = read(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/campaign.toml")).replace(
        "banner = \"banner.svg\"",
        "banner = \"\\u001b]0;owned\\u0007x.svg\"",
    );
    fs::write(&campaign, text).unwrap();
    let run = person(
        &dir.path().join("out2"),
        &[
            "--name",
            "Li",
            "--title",
            "A",
            "--unit",
            "RPB",
            "--campaign",
            campaign.to_str().unwrap(),
        ],
    );
    run.expect_code(2);
    assert!(
        !run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'),
        "{:?}",
        run.stderr
    );
    assert!(
        run.stderr.contains("cannot read ") && run.stderr.contains("\\u{1b}]0;owned\\u{7}x.svg"),
        "{}",
        run.stderr
    );
}

// 11. A name that shows nothing is empty; a byte-order mark mid-file is no part of a name.
#[test]
fn invisible_names_are_empty_and_a_stray_byte_order_mark_is_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    for invisible in [
        "\u{200B}",
        "\u{2060}\u{FEFF}",
        "\u{3164}",
        "\u{2800}",
        "\u{301}",
        "\u{AD}",
    ] {
        let run = person(
            &dir.path().join("out"),
            &["--name", invisible, "--title", "A", "--unit", "CTRT"],
        );
        run.expect_code(2);
        assert_eq!(run.stderr, "error: name: is empty\n", "{invisible:?}");
    }
    let csv = dir.path().join("staff.csv");
    fs::write(
        &csv,
        "name,title,unit\nAna Ruiz,Analyst,CTRT\n\u{FEFF}Bo Li,Analyst,RPB\n\u{200B},\u{FEFF},CTRT\n",
    )
    .unwrap();
    let out = dir.path().join("batch");
    let run = batch(&csv, &out, &[]);
    run.expect_code(1);
    assert!(read(out.join("bo-li.txt")).starts_with("-- \nBo Li\n"));
    assert!(
        run.says("line 4: name: is empty; title: is empty"),
        "{}",
        run.stderr
    );
    let names: Vec<String> = report(&out).iter().map(|r| r[3].to_owned()).collect();
    assert_eq!(
        names[1], "\u{FEFF}Bo Li",
        "the report shows the row as typed"
    );
}

// 12. Ten thousand unknown columns make one short note.
#[test]
fn thousands_of_unknown_columns_make_one_short_note() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("wide.csv");
    let extra: Vec<String> = (0..10_000).map(|i| format!("extra column {i}")).collect();
    let values = vec![""; 10_000].join(",");
    fs::write(
        &csv,
        format!(
            "name,title,unit,{}\nAna,Analyst,CTRT,{values}\n",
            extra.join(",")
        ),
    )
    .unwrap();
    let run = batch(&csv, &dir.path().join("out"), &[]);
    run.expect_code(0);
    let note = run
        .stderr
        .lines()
        .find(|l| l.contains("ignoring columns"))
        .unwrap();
    assert!(
        note.ends_with("\"extra column 7\", and 9992 more"),
        "{note}"
    );
    assert!(
        run.stderr.len() < 2_000,
        "{} bytes of notes",
        run.stderr.len()
    );
}

// 13. A file that is plainly no staff list is refused before it is read through.
#[test]
fn a_huge_file_with_no_line_break_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("video.csv");
    // 32 GB of nothing (sparse): reading it through would take far longer than the bound.
    let file = fs::File::create(&csv).unwrap();
    file.set_len(32 * 1024 * 1024 * 1024).unwrap();
    let started = Instant::now();
    let output = bounded(dir.path(), ["batch", "video.csv", "--out", "out"]);
    let run = Run::from(output);
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "error: video.csv: line 1 is longer than 2 MB; a staff list's first line names its \
         columns (name, title, unit): is this the staff list?\n"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(!dir.path().join("out").exists());
}

// 14. `--out NEW/.` is the folder NEW, as mkdir -p makes it.
#[test]
fn an_out_folder_written_with_a_trailing_dot_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let run = Run::from(
        sigblock()
            .current_dir(dir.path())
            .args(ANA)
            .args(["--out", "NEW/.", "--no-clipboard", "--date", IN_CAMPAIGN])
            .output()
            .unwrap(),
    );
    run.expect_code(0);
    assert!(dir.path().join("NEW/ana-ruiz.html").is_file());
}

// 19. A display that takes the connection and never answers.
#[test]
fn a_display_that_never_answers_costs_a_few_seconds_not_the_files() {
    use std::os::unix::net::UnixListener;
    let number = 4000 + std::process::id() % 1000;
    let sockets = Path::new("/tmp/.X11-unix");
    fs::create_dir_all(sockets).unwrap();
    let socket = sockets.join(format!("X{number}"));
    let _ = fs::remove_file(&socket);
    let listener = UnixListener::bind(&socket).unwrap();
    // Accepts every connection and says nothing, as a suspended X server does.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = sigblock()
        .current_dir(dir.path())
        .env("DISPLAY", format!(":{number}"))
        .args(ANA)
        .args(["--date", IN_CAMPAIGN])
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let _ = fs::remove_file(&socket);
    let run = Run::from(output);
    run.expect_code(0);
    assert!(elapsed < Duration::from_secs(15), "{elapsed:?}");
    assert!(dir.path().join("ana-ruiz.html").is_file());
    assert!(
        run.stdout.contains(&format!(
            "the clipboard did not answer within 8 seconds (is the display still there?): the \
             signature is in {}",
            dir.path().join("ana-ruiz.html").display()
        )),
        "{}",
        run.stdout
    );
}
