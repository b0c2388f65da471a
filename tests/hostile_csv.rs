//! Hostile HR CSVs: each broken or unusual file costs only what is broken in it, and says
//! so naming the file, the line and what to do. One stray byte refuses its row (not every
//! accent in the file); Windows-1252 is found anywhere in the file; a lost character
//! (a lone UTF-16 surrogate) refuses its row; a quote left open refuses the row it opens
//! in, not the thousand under it; a line of megabytes is cut; a CSV that changes while the
//! batch reads it ends the run (exit 2) with every earlier file kept; a FIFO or a device
//! is refused at once. Every run that reads a hostile file goes through
//! `common::bounded` (10 s, 512 MB).

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{self, batch_args, bounded, read, spawnable, utf16_le, Run};

/// `sigblock batch staff.csv --out out --format text` in `dir`, bounded.
fn batch(dir: &Path) -> Run {
    let args = batch_args("staff.csv".as_ref(), "out".as_ref(), &["--format", "text"]);
    Run::from(bounded(dir, args))
}

/// report.csv's records as (row, line, status, name, reason).
fn report(out: &Path) -> Vec<(String, String, String, String, String)> {
    common::report(out)
        .into_iter()
        .map(|r| {
            (
                r[0].to_owned(),
                r[1].to_owned(),
                r[2].to_owned(),
                r[3].to_owned(),
                r[9].to_owned(),
            )
        })
        .collect()
}

fn row(
    row: u64,
    line: u64,
    status: &str,
    name: &str,
    reason: &str,
) -> (String, String, String, String, String) {
    (
        row.to_string(),
        line.to_string(),
        status.into(),
        name.into(),
        reason.into(),
    )
}

const NOT_UTF8: &str = "holds bytes that are not UTF-8 text, though the rest of the file is \
     (text typed or pasted in another encoding); retype this row's accented letters, or \
     save the file again as \"CSV UTF-8\", and run again";

#[test]
fn one_stray_byte_refuses_its_row_not_every_accent_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = [
        "name,title,unit\nJosé Núñez,Analyst,CTRT\n".as_bytes(),
        b"Ren\xe9 Roy,Analyst,CTRT\n", // one Windows-1252 byte in a UTF-8 file
        "Zoë Li,Chief,RPB\n".as_bytes(),
    ]
    .concat();
    std::fs::write(dir.path().join("staff.csv"), bytes).unwrap();
    let run = batch(dir.path());
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(run.says(&format!("line 3: {NOT_UTF8}")), "{}", run.stderr);
    assert!(!run.stderr.contains("Windows-1252"), "{}", run.stderr);
    let out = dir.path().join("out");
    assert_eq!(
        report(&out),
        [
            row(2, 2, "made", "José Núñez", ""),
            row(3, 3, "refused", "", NOT_UTF8),
            row(4, 4, "made", "Zoë Li", ""),
        ]
    );
    assert!(read(out.join("jose-nunez.txt")).starts_with("-- \nJosé Núñez\n"));
    assert!(read(out.join("zoe-li.txt")).starts_with("-- \nZoë Li\n"));
    assert!(!out.join("rene-roy.txt").exists());
}

#[test]
fn windows_1252_after_an_ascii_start_is_read_as_windows_1252() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"name,title,unit\n".to_vec();
    for i in 0..3000 {
        bytes.extend(format!("Person {i},Analyst,CTRT\n").as_bytes());
    }
    assert!(bytes.len() > 64 * 1024, "past what the old sniffing read");
    bytes.extend(b"Jos\xe9 N\xfa\xf1ez,Analyst,CTRT\n");
    std::fs::write(dir.path().join("staff.csv"), bytes).unwrap();
    let run = batch(dir.path());
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.says(
            "note: staff.csv is not UTF-8; reading it as Windows-1252 (Excel's \"CSV\" on \
             Windows). Save as \"CSV UTF-8\" to avoid this."
        ),
        "{}",
        run.stderr
    );
    let out = dir.path().join("out");
    assert_eq!(
        report(&out).last().unwrap(),
        &row(3002, 3002, "made", "José Núñez", "")
    );
    assert!(read(out.join("jose-nunez.txt")).starts_with("-- \nJosé Núñez\n"));
}

#[test]
fn half_a_utf16_character_pair_refuses_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(utf16_le("name,title,unit\nZoë Li,Chief,RPB\nAna"));
    bytes.extend([0x3D, 0xD8]); // the first half of an emoji, without its second
    bytes.extend(utf16_le(" Ruiz,Analyst,CTRT\nBo Li,Chief,RPB\n"));
    std::fs::write(dir.path().join("staff.csv"), bytes).unwrap();
    let run = batch(dir.path());
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let reason = "holds half of a character pair (a UTF-16 surrogate without its other half), \
                  shown as \u{FFFD}: a character was lost when the file was saved; retype this \
                  row's text (an emoji or rare letter, likely) and save it again";
    assert!(run.says(&format!("line 3: {reason}")), "{}", run.stderr);
    let out = dir.path().join("out");
    assert_eq!(
        report(&out),
        [
            row(2, 2, "made", "Zoë Li", ""),
            row(3, 3, "refused", "", reason),
            row(4, 4, "made", "Bo Li", ""),
        ]
    );
    assert!(!out.join("ana-ruiz.txt").exists());
    assert!(read(out.join("zoe-li.txt")).starts_with("-- \nZoë Li\n"));
}

#[test]
fn a_quote_left_open_costs_its_row_not_the_thousand_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("name,title,unit\nAna Ruiz,Analyst,CTRT\nCy Ng,\"Analyst,RPB\n");
    for i in 1..=1000 {
        text.push_str(&format!("Person {i},Analyst,CTRT\n"));
    }
    std::fs::write(dir.path().join("staff.csv"), text).unwrap();
    let run = batch(dir.path());
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let reason = "a quote (\") opens here and is not closed within 50 lines; this row is not \
                  read, but the lines under it were read as rows of their own; close the \
                  quote where the cell ends (or delete it) and run again";
    assert!(run.says(&format!("line 3: {reason}")), "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("made 1,001 of 1,002 signatures in out; 1 refused"),
        "{}",
        run.stdout
    );
    let rows = report(&dir.path().join("out"));
    assert_eq!(rows.len(), 1002);
    assert_eq!(rows[1], row(3, 3, "refused", "", reason));
    assert_eq!(rows[2], row(4, 4, "made", "Person 1", ""));
    assert_eq!(rows[1001], row(1003, 1003, "made", "Person 1000", ""));
    assert!(dir.path().join("out/person-1000.txt").exists());
    assert!(!dir.path().join("out/cy-ng.txt").exists());
}

#[test]
fn a_quote_left_open_on_the_last_rows_and_a_line_of_megabytes_cost_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("name,title,unit\nAna Ruiz,Analyst,CTRT\n");
    text.push_str(&"x".repeat(3 * 1024 * 1024));
    text.push_str("\nBo Li,Chief,RPB\nCy Ng,\"Analyst,RPB\nDi Fu,Analyst,CTRT\n");
    std::fs::write(dir.path().join("staff.csv"), text).unwrap();
    let run = batch(dir.path());
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let long = "the line is longer than 2 MB; a row is a few hundred bytes, so the rest of the \
                line was skipped; check that this is the staff list, shorten the line and run \
                again";
    let open = "a quote (\") opens here and is not closed before the end of the file; this row \
                is not read, but the lines under it were read as rows of their own; close the \
                quote where the cell ends (or delete it) and run again";
    assert!(run.says(&format!("line 3: {long}")), "{}", run.stderr);
    assert!(run.says(&format!("line 5: {open}")), "{}", run.stderr);
    assert_eq!(
        report(&dir.path().join("out")),
        [
            row(2, 2, "made", "Ana Ruiz", ""),
            row(3, 3, "refused", "", long),
            row(4, 4, "made", "Bo Li", ""),
            row(5, 5, "refused", "", open),
            row(6, 6, "made", "Di Fu", ""),
        ]
    );
}

#[test]
fn a_fifo_or_a_device_as_the_csv_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("staff.csv");
    common::mkfifo(&fifo);
    let run = batch(dir.path());
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(
        run.says(
            "error: staff.csv is a named pipe (FIFO), not a file; sigblock reads the staff \
             list from a saved CSV file (save it as one and give its name)"
        ),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("out").exists());

    let output = bounded(dir.path(), ["batch", "/dev/zero", "--out", "out"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.lines().any(|l| l
            == "error: /dev/zero is a device, not a file; sigblock reads the staff list from \
                a saved CSV file (save it as one and give its name)"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn a_csv_changed_while_it_is_read_ends_the_run_and_keeps_every_earlier_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    let out = dir.path().join("out");
    let args = ["batch", "staff.csv", "--out", "out", "--format", "text"];
    // An earlier run, with people the next file has too and people it has not.
    std::fs::write(
        &csv,
        "name,title,unit\nOld Timer,Analyst,CTRT\nPerson 59999,Analyst,CTRT\n",
    )
    .unwrap();
    assert_eq!(bounded(dir.path(), args).status.code(), Some(0));
    assert!(out.join("old-timer.txt").exists());

    let mut text = String::from("name,title,unit\n");
    for i in 0..60_000 {
        text.push_str(&format!("Person {i},Analyst,CTRT\n"));
    }
    std::fs::write(&csv, &text).unwrap();
    let mut child = spawnable()
        .args(args)
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sigblock starts");
    // Once signatures are being written, HR saves the file again: shorter, and different.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !out.join("person-100.txt").exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the batch ended ({status}) before the file changed; use more rows");
        }
        assert!(Instant::now() < deadline, "no signature in 120 s");
        std::thread::sleep(Duration::from_millis(2));
    }
    std::fs::write(&csv, "name,title,unit\nNew Hire,Analyst,CTRT\n").unwrap();
    let output = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(2), "{stdout}{stderr}");
    assert!(!stdout.contains("made "), "no summary line: {stdout}");

    let rows = report(&out);
    let made = rows.iter().filter(|r| r.2 == "made").count();
    assert!((100..60_000).contains(&made), "{made} made");
    assert!(rows
        .iter()
        .all(|r| r.2 == "made" && r.3.starts_with("Person ")));
    // "has 38 now", or 0: the write truncates first.
    let began = format!(
        "error: staff.csv changed while it was being read (it had {} bytes when the run \
         began and has ",
        group(text.len())
    );
    let after = format!(
        " now); the {} signatures made before are valid and out/report.csv lists them, and \
         no file of an earlier run was removed; run again when the file is saved",
        group(made)
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with(&began) && l.ends_with(&after)),
        "{stderr}"
    );
    // Nothing was removed: the earlier run's people are all still there.
    assert!(out.join("old-timer.txt").exists());
    assert!(out.join("person-59999.txt").exists());
    assert!(out.join("index.html").exists());
    assert!(!out.join("new-hire.txt").exists());
}

/// A count as sigblock says it: 1,234,567.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
