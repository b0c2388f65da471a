//! Output folders sigblock owns: it replaces or removes only what it made there and
//! nobody changed since; it writes only regular files, never an input, never through a
//! link; one run writes into a folder at a time; a file it cannot write costs that row,
//! not the batch; and saying so never stops it.
//!
//! Each story was seen to destroy data or abort with sigblock 0.1.

use std::fs;
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::common::{
    self, batch, batch_args, names, read, sigblock, snapshot, spawnable, Run, ANA, IN_CAMPAIGN,
    RECORD,
};

/// A staff CSV of `rows` people named "Person NNN", alternating units.
fn staff(path: &Path, rows: usize) {
    let mut text = String::from("name,title,unit\n");
    for i in 0..rows {
        let unit = if i % 2 == 0 { "CTRT" } else { "RPB" };
        text.push_str(&format!("Person {i:03},Analyst,{unit}\n"));
    }
    fs::write(path, text).unwrap();
}

fn slug(i: usize) -> String {
    format!("person-{i:03}")
}

/// `sigblock batch CSV --out OUT` in January, to spawn (and poll, kill or pipe).
fn batch_command(csv: &Path, out: &Path) -> StdCommand {
    let mut cmd = spawnable();
    cmd.args(batch_args(csv, out, &[]));
    cmd
}

/// Ana Ruiz's one-person signature into `out`.
fn ana(out: &Path, extra: &[&str]) -> Run {
    let output = sigblock()
        .args(ANA)
        .arg("--out")
        .arg(out)
        .args(["--date", IN_CAMPAIGN, "--no-clipboard"])
        .args(extra)
        .output()
        .unwrap();
    Run::from(output)
}

#[test]
fn an_input_csv_where_the_report_goes_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("report.csv");
    fs::write(&csv, "name,title,unit\nAna,T,CTRT\n").unwrap();
    let output = sigblock()
        .current_dir(dir.path())
        .args(["batch", "report.csv", "--out", ".", "--date", IN_CAMPAIGN])
        .output()
        .unwrap();
    let run = Run::from(output);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "report.csv is one of this run's inputs; sigblock never writes over its inputs"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(read(&csv), "name,title,unit\nAna,T,CTRT\n");
    assert_eq!(names(dir.path()), ["report.csv"], "nothing was written");
}

#[test]
fn an_input_hard_linked_under_an_output_name_is_known_by_identity_not_name() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 3);
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // The CSV itself, under the name a person's text signature would take.
    fs::hard_link(&csv, out.join("person-001.txt")).unwrap();
    let before = read(&csv);
    let run = batch(&csv, &out, &["--force"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("person-001.txt is one of this run's inputs"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&csv), before, "--force never writes over an input");
    assert_eq!(names(&out), ["person-001.txt"]);
}

#[test]
fn someone_elses_gallery_report_and_banner_stop_the_batch_before_anything_is_written() {
    for name in ["index.html", "report.csv", "banner.png"] {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("staff.csv");
        staff(&csv, 3);
        let out = dir.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join(name), "HR's own").unwrap();
        let run = batch(&csv, &out, &[]);
        assert_eq!(run.code, Some(2), "{name}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "error: {} is not a file sigblock made, or it was changed since; move it \
                 away, or run again with --force to replace it",
                out.join(name).display()
            )),
            "{name}: {}",
            run.stderr
        );
        assert_eq!(names(&out), [name], "{name}: nothing was written");
        assert_eq!(read(out.join(name)), "HR's own");

        // --force replaces it, and says so.
        let run = batch(&csv, &out, &["--force"]);
        assert_eq!(run.code, Some(0), "{name}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "note: replaced {}, which sigblock had not made (--force)",
                out.join(name).display()
            )),
            "{name}: {}",
            run.stderr
        );
        assert_ne!(fs::read(out.join(name)).unwrap(), b"HR's own");
    }
}

#[test]
fn a_persons_file_that_is_not_sigblocks_refuses_that_row_and_the_others_are_made() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    fs::write(
        &csv,
        "name,title,unit\nAna Ruiz,Analyst,CTRT\nNotes,Analyst,RPB\nBo Li,Chief,RPB\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.txt"), "my notes").unwrap();
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let reason = format!(
        "{} is not a file sigblock made, or it was changed since; move it away, or run \
         again with --force to replace it",
        out.join("notes.txt").display()
    );
    assert!(
        run.stderr.contains(&format!("line 3: {reason}")),
        "{}",
        run.stderr
    );
    assert_eq!(read(out.join("notes.txt")), "my notes");
    assert!(
        !out.join("notes.html").exists(),
        "none of the row's files is written"
    );
    for made in [
        "ana-ruiz.html",
        "ana-ruiz.txt",
        "bo-li.html",
        "bo-li.txt",
        "index.html",
    ] {
        assert!(out.join(made).is_file(), "{made}");
    }
    let report = read(out.join("report.csv"));
    assert!(
        report.contains("3,3,refused,Notes,Analyst,RPB,,,"),
        "{report}"
    );
    assert!(
        run.stdout.contains("made 2 of 3 signatures"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_signature_a_person_edited_is_kept_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_eq!(ana(&out, &[]).code, Some(0));
    fs::write(out.join("ana-ruiz.txt"), "-- \nAna, with my own edits\n").unwrap();
    let html = fs::read(out.join("ana-ruiz.html")).unwrap();

    let run = ana(&out, &[]);
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: {} is not a file sigblock made, or it was changed since",
            out.join("ana-ruiz.txt").display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(
        read(out.join("ana-ruiz.txt")),
        "-- \nAna, with my own edits\n"
    );
    assert_eq!(fs::read(out.join("ana-ruiz.html")).unwrap(), html);

    let run = ana(&out, &["--force"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("which sigblock had not made (--force)"),
        "{}",
        run.stderr
    );
    assert!(read(out.join("ana-ruiz.txt")).contains("Program Analyst"));
    // Made again, it is sigblock's again: the next run replaces it without --force.
    assert_eq!(ana(&out, &[]).code, Some(0));
}

#[test]
fn a_read_only_signature_is_refused_not_replaced_even_with_force() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_eq!(ana(&out, &[]).code, Some(0));
    let file = out.join("ana-ruiz.html");
    let before = fs::read(&file).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let run = ana(&out, extra);
        assert_eq!(run.code, Some(2), "{extra:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "error: {} is read-only; sigblock does not replace it",
                file.display()
            )),
            "{}",
            run.stderr
        );
        assert_eq!(fs::read(&file).unwrap(), before);
        assert_eq!(
            fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o444
        );
    }
}

#[test]
fn a_persons_files_that_look_like_temporaries_are_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 2);
    fs::write(dir.path().join(".sigblock-notes.tmp"), "mine").unwrap();
    let output = sigblock()
        .current_dir(dir.path())
        .args(["batch", "staff.csv", "--date", IN_CAMPAIGN, "--out", "."])
        .output()
        .unwrap();
    Run::from(output).expect_code(0);
    assert_eq!(read(dir.path().join(".sigblock-notes.tmp")), "mine");
    assert_eq!(ana(dir.path(), &[]).code, Some(0));
    assert_eq!(read(dir.path().join(".sigblock-notes.tmp")), "mine");
}

#[test]
fn devices_links_and_pipes_where_an_output_goes_are_refused_and_left_alone() {
    use std::os::unix::fs::FileTypeExt;
    // `sigblock banner --out /dev/null` (as root this replaced the device node).
    let output = sigblock()
        .args(["banner", "--out", "/dev/null"])
        .output()
        .unwrap();
    let run = Run::from(output);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: /dev/null is a device; sigblock writes only regular files"),
        "{}",
        run.stderr
    );
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert!(
        !Path::new("/dev/.sigblock").exists(),
        "nothing made in /dev"
    );

    // A symbolic link where the banner goes: refused, the link and its target kept.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere.png");
    fs::write(&target, "theirs").unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join("banner.png")).unwrap();
    let output = sigblock()
        .args(["banner", "--out"])
        .arg(dir.path().join("banner.png"))
        .output()
        .unwrap();
    let run = Run::from(output);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("banner.png is a symbolic link;"),
        "{}",
        run.stderr
    );
    assert!(fs::symlink_metadata(dir.path().join("banner.png"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&target), "theirs");

    // A named pipe where Ana's signature goes: refused at once, never opened.
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    common::mkfifo(&out.join("ana-ruiz.html"));
    let started = Instant::now();
    let run = ana(&out, &["--force"]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "it waited on the pipe"
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("ana-ruiz.html is a named pipe (FIFO);"),
        "{}",
        run.stderr
    );
    assert!(
        !out.join("ana-ruiz.txt").exists(),
        "none of Ana's files is written"
    );
}

#[test]
fn an_outlook_files_folder_that_links_elsewhere_is_refused_and_nothing_outside_changes() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("banner.png"), "someone's picture").unwrap();
    fs::write(elsewhere.join(".sigblock-x.tmp"), "someone's file").unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("ana-ruiz_files")).unwrap();
    let before = snapshot(&elsewhere);

    let run = ana(&out, &["--format", "outlook"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error: {} is a symbolic link; sigblock writes only regular files",
            out.join("ana-ruiz_files").display()
        )),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&elsewhere), before);
    assert!(!out.join("ana-ruiz.htm").exists());
}

#[test]
fn files_that_cannot_be_written_refuse_their_rows_and_the_batch_still_reports() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 600);
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    // A folder where row 8's page goes, and a read-only file where row 401's text goes.
    fs::create_dir(out.join(format!("{}.html", slug(7)))).unwrap();
    let read_only = out.join(format!("{}.txt", slug(400)));
    fs::write(&read_only, "kept").unwrap();
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o444)).unwrap();

    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "line 9: {} is a folder; sigblock writes only regular files",
            out.join(format!("{}.html", slug(7))).display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("line 402: ") && run.stderr.contains("is read-only"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("made 598 of 600 signatures"),
        "{}",
        run.stdout
    );
    let report = read(out.join("report.csv"));
    assert_eq!(report.lines().filter(|l| l.contains(",made,")).count(), 598);
    assert_eq!(
        report.lines().filter(|l| l.contains(",refused,")).count(),
        2
    );
    assert!(out.join("index.html").is_file());
    assert_eq!(read(&read_only), "kept");
}

/// Holds `.sigblock/lock` in `out` as another run would, for as long as it lives.
fn hold_lock(out: &Path) -> fs::File {
    fs::create_dir_all(out.join(RECORD)).unwrap();
    let file = fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(RECORD).join("lock"))
        .unwrap();
    file.lock().unwrap();
    file
}

#[test]
fn a_second_run_into_a_busy_folder_waits_then_says_so_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 3);
    let out = dir.path().join("out");
    let lock = hold_lock(&out);
    for what in ["batch", "one"] {
        let mut cmd = sigblock();
        cmd.env("SIGBLOCK_LOCK_WAIT", "0.5");
        if what == "batch" {
            cmd.arg("batch").arg(&csv);
        } else {
            cmd.args(ANA).arg("--no-clipboard");
        }
        let output = cmd
            .arg("--out")
            .arg(&out)
            .args(["--date", IN_CAMPAIGN])
            .output()
            .unwrap();
        let run = Run::from(output);
        assert_eq!(run.code, Some(2), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "note: waiting for another sigblock run to finish writing into {}",
                out.display()
            )) && run.stderr.contains(&format!(
                "error: another sigblock run is writing into {}; run again when it has finished",
                out.display()
            )),
            "{what}: {}",
            run.stderr
        );
        assert!(names(&out).is_empty(), "{what}: nothing was written");
    }
    // A file named without its folder (`page --out signature.html` in it): the folder is
    // said in full, not as ".".
    let output = sigblock()
        .current_dir(&out)
        .env("SIGBLOCK_LOCK_WAIT", "0.5")
        .args(["page", "--out", "signature.html"])
        .output()
        .unwrap();
    let run = Run::from(output);
    assert_eq!(run.code, Some(2), "page: {}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "note: waiting for another sigblock run to finish writing into {}\n",
            out.display()
        )) && run.stderr.contains(&format!(
            "error: another sigblock run is writing into {}; run again",
            out.display()
        )),
        "page: {}",
        run.stderr
    );
    assert!(names(&out).is_empty(), "page: nothing was written");
    // Let go within the wait: the run goes ahead.
    let mut waiting = batch_command(&csv, &out)
        .env("SIGBLOCK_LOCK_WAIT", "30")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    drop(lock);
    assert!(waiting.wait().unwrap().success());
    assert!(out.join("index.html").is_file());
}

#[test]
fn two_batches_at_once_into_one_folder_both_finish_whole() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 2000);
    let out = dir.path().join("out");
    let start = || {
        batch_command(&csv, &out)
            .env("SIGBLOCK_LOCK_WAIT", "120")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (first, second) = (start(), start());
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        let run = Run::from(output);
        assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("made 2,000 of 2,000 signatures"),
            "{}",
            run.stdout
        );
    }
    let report = read(out.join("report.csv"));
    assert_eq!(
        report.lines().filter(|l| l.contains(",made,")).count(),
        2000
    );
    assert_eq!(names(&out).len(), 2 * 2000 + 3);
}

#[test]
fn a_rerun_removes_the_signatures_of_people_gone_from_the_csv_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 10);
    let out = dir.path().join("out");
    assert_eq!(batch(&csv, &out, &[]).code, Some(0));
    fs::write(out.join("hr-notes.txt"), "HR's own").unwrap();
    // Person 009 edited their signature by hand: no longer sigblock's, so it stays.
    fs::write(out.join(format!("{}.txt", slug(9))), "edited").unwrap();

    // HR removes four people (006 to 009) and reruns.
    staff(&csv, 6);
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    // Who was removed, by name, and report.csv lists them.
    assert!(
        run.stderr.contains(
            "note: removed the signatures of 4 people no longer in the staff list, or refused \
             now: Person 006, Person 007, Person 008, Person 009 (report.csv lists them)"
        ),
        "{}",
        run.stderr
    );
    let removed: Vec<String> = common::report(&out)
        .into_iter()
        .filter(|r| &r[2] == "removed")
        .map(|r| r[3].to_owned())
        .collect();
    assert_eq!(
        removed,
        ["Person 006", "Person 007", "Person 008", "Person 009"]
    );
    for i in 0..6 {
        assert!(out.join(format!("{}.html", slug(i))).is_file());
    }
    for i in 6..9 {
        assert!(!out.join(format!("{}.html", slug(i))).exists(), "{i}");
        assert!(!out.join(format!("{}.txt", slug(i))).exists(), "{i}");
    }
    assert!(!out.join(format!("{}.html", slug(9))).exists());
    assert_eq!(read(out.join(format!("{}.txt", slug(9)))), "edited");
    assert_eq!(read(out.join("hr-notes.txt")), "HR's own");

    // The record lists what is there now, each with its hash, the run that made it and
    // whose it is.
    let manifest = read(out.join(RECORD).join("manifest"));
    assert!(
        manifest.contains(" person-005.html\t{\"for\":\"person-005\",\"name\":\"Person 005\""),
        "{manifest}"
    );
    assert!(!manifest.contains("person-009"), "{manifest}");
    assert!(!manifest.contains("hr-notes"), "{manifest}");
    let line = manifest
        .lines()
        .find(|l| l.ends_with(" index.html\t"))
        .unwrap();
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!((fields[0], fields[1].len()), ("file", 16), "{line}");

    // A one-person run into the folder removes nobody.
    assert_eq!(ana(&out, &[]).code, Some(0));
    assert!(out.join(format!("{}.html", slug(5))).is_file());
}

#[test]
fn a_killed_batch_leaves_a_record_the_rerun_trusts() {
    // The journal of a run killed after some files: the rerun replaces them without
    // --force (they are sigblock's), and clears the killed run's temporaries.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 5000);
    let out = dir.path().join("out");
    let mut child = batch_command(&csv, &out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while !out.join(format!("{}.txt", slug(300))).exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before the kill"
        );
        assert!(Instant::now() < deadline);
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(out.join(RECORD).join("journal").is_file());
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        !run.stderr.contains("not a file sigblock made"),
        "{}",
        run.stderr
    );
    assert!(!out.join(RECORD).join("journal").exists());
    assert!(names(out.join(RECORD).join("tmp")).is_empty());
}

#[test]
fn a_closed_or_full_stream_never_stops_the_files() {
    let dir = tempfile::tempdir().unwrap();
    // stderr to /dev/full: every note fails to be said; the files are made all the same.
    let devfull = fs::File::options().write(true).open("/dev/full").unwrap();
    let output = spawnable()
        .args(ANA)
        .arg("--out")
        .arg(dir.path())
        .args(["--date", "2027-03-01", "--no-clipboard"])
        .stderr(devfull)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(dir.path().join("ana-ruiz.html").is_file());

    // `sigblock batch ... 2>&1 | head -1` with many refused rows.
    let csv = dir.path().join("bad.csv");
    let mut text = String::from("name,title,unit\n");
    for i in 0..3000 {
        text.push_str(&format!("Person {i},Analyst,Nowhere\n"));
    }
    text.push_str("Last One,Analyst,CTRT\n");
    fs::write(&csv, text).unwrap();
    let out = dir.path().join("out");
    let mut child = batch_command(&csv, &out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line of stderr, then close both pipes, as `head -1` would.
    let mut stderr = child.stderr.take().unwrap();
    let mut first = [0u8; 64];
    let _ = std::io::Read::read(&mut stderr, &mut first).unwrap();
    drop(stderr);
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "rows were refused; the rest was made"
    );
    assert!(out.join("last-one.html").is_file());
    let report = read(out.join("report.csv"));
    assert_eq!(report.lines().count(), 3002);

    // `sigblock completions bash | head -c10`
    let mut child = spawnable()
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut ten = [0u8; 10];
    std::io::Read::read_exact(&mut stdout, &mut ten).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let run = Run::from(output);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn a_planted_record_cannot_send_a_removal_or_a_write_outside_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    staff(&csv, 2);
    let out = dir.path().join("out");
    assert_eq!(batch(&csv, &out, &[]).code, Some(0));
    // Someone adds a line for a file outside the folder, with that file's right hash,
    // and turns the journal into a link to another file of theirs.
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let hash = {
        let h = blake3::hash(b"precious");
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&h.as_bytes()[..8]);
        u64::from_le_bytes(eight)
    };
    let manifest = out.join(RECORD).join("manifest");
    let mut text = read(&manifest);
    text.push_str(&format!("{hash:016x} ../victim.txt\n"));
    fs::write(&manifest, text).unwrap();
    let other = dir.path().join("other.txt");
    fs::write(&other, "also precious").unwrap();
    std::os::unix::fs::symlink(&other, out.join(RECORD).join("journal")).unwrap();

    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("journal is a symbolic link"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&other), "also precious");

    fs::remove_file(out.join(RECORD).join("journal")).unwrap();
    staff(&csv, 1);
    batch(&csv, &out, &[]).expect_code(0);
    assert_eq!(
        read(&victim),
        "precious",
        "a planted line removed a file outside"
    );
    assert!(
        !out.join(format!("{}.html", slug(1))).exists(),
        "the real stale one went"
    );
}

/// `chattr +i` on `path` while alive: not even root may rename or replace it, as Windows
/// refuses to replace a file another program holds open. `chattr -i` when dropped.
struct Immutable<'p>(&'p Path);

impl<'p> Immutable<'p> {
    fn set(path: &'p Path) -> Immutable<'p> {
        let chattr = common::require("chattr", "e2fsprogs");
        let status = StdCommand::new(&chattr)
            .arg("+i")
            .arg(path)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "chattr +i {}: this test needs root and a file system with the immutable flag \
             (ext4, as CI's)",
            path.display()
        );
        Immutable(path)
    }
}

impl Drop for Immutable<'_> {
    fn drop(&mut self) {
        let _ = StdCommand::new("chattr").arg("-i").arg(self.0).status();
    }
}

#[test]
fn a_signature_that_could_not_be_replaced_stays_sigblocks_and_the_next_run_replaces_it() {
    // Seen under Wine: a file held open by another program refused the rerun's row, and
    // the batch's record then forgot that person's files, put back as they were, so the
    // run after refused them as not sigblock's (it needed --force).
    let dir = tempfile::tempdir().unwrap();
    let (csv, out) = (dir.path().join("staff.csv"), dir.path().join("out"));
    let people = |title: &str| {
        fs::write(
            &csv,
            format!("name,title,unit\nAna Ruiz,{title},CTRT\nBo Li,{title},RPB\n"),
        )
        .unwrap();
    };
    people("Analyst");
    batch(&csv, &out, &[]).expect_code(0);
    let html = out.join("bo-li.html");
    let before = fs::read(&html).unwrap();

    people("Manager");
    let txt = out.join("bo-li.txt");
    let held = Immutable::set(&txt);
    let run = batch(&csv, &out, &[]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains(&format!("line 3: cannot replace {}: ", txt.display()))
            && run
                .stderr
                .contains("none of this signature's files were changed"),
        "{}",
        run.stderr
    );
    assert!(
        fs::read(&html).unwrap() == before,
        "Bo's .html was put back"
    );
    drop(held);

    // Bo's files put back are still sigblock's: the next run replaces them, no --force.
    batch(&csv, &out, &[]).expect_code(0);
    assert!(read(&html).contains(">Manager</td>"));
}
