//! HR's real exports and reruns, each with a file made the way its tool writes it
//! (`fixtures/exports/`, from `fixtures/make-csv-fixtures.py`): Outlook's contacts,
//! Active Directory's `Get-ADUser | Export-Csv` (with its `#TYPE` line), Microsoft 365,
//! Entra ID, Google Workspace; letters Excel lost; units as staff write them; who a rerun
//! removed; staff who correct themselves; the gallery's filter.

use std::path::Path;

use crate::common::browser;
use crate::common::{batch, fixture, sigblock, Run, IN_CAMPAIGN};
use crate::common::{read, report};

/// The records of report.csv as (status, name, title, unit, email, phone, reason).
fn rows(out: &Path) -> Vec<[String; 7]> {
    report(out)
        .iter()
        .map(|r| [2, 3, 4, 5, 6, 7, 9].map(|i| r[i].to_owned()))
        .collect()
}

fn export(name: &str) -> std::path::PathBuf {
    fixture(&format!("exports/{name}"))
}

/// One person at a time, into `dir/sigs`.
fn person(dir: &Path, args: &[&str]) -> Run {
    Run::from(
        sigblock()
            .current_dir(dir)
            .args(args)
            .args(["--out", "sigs", "--date", IN_CAMPAIGN, "--no-clipboard"])
            .output()
            .unwrap(),
    )
}

#[test]
fn an_outlook_contacts_export_gives_everyone_their_job_title_and_business_phone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let csv = export("outlook-contacts.csv");
    let run = batch(&csv, &out, &[]);
    run.expect_code(0);
    assert_eq!(
        rows(&out),
        [
            [
                "made",
                "Ana Ruiz",
                "Program Analyst",
                "Child Trafficking Response Team (CTRT)",
                "ana.ruiz@dss.ca.gov",
                "(916) 555-0100",
                ""
            ],
            [
                "made",
                "José Núñez",
                "Research Analyst II",
                "CSEC",
                "jose.nunez@dss.ca.gov",
                "916-555-0142 x12",
                ""
            ],
            [
                "made",
                "Begoña Muñoz",
                "Manager",
                "Refugee Programs Branch",
                "begona.munoz@dss.ca.gov",
                "",
                ""
            ],
        ]
        .map(|r| r.map(String::from))
    );
    // Outlook's "Title" is Mr. or Ms.: the job title is "Job Title", and HR is told.
    assert!(
        run.says(&format!(
            "note: {}: the title is taken from column \"Job Title\"; \"Title\" also could \
             give it and is not used (--columns title=\"Title\" chooses another)",
            csv.display()
        )),
        "{}",
        run.stderr
    );
    // The phone is in the signature, linked.
    let page = read(out.join("jose-nunez.html"));
    assert!(page.contains("href=\"tel:+19165550142;ext=12\""), "{page}");
    assert!(!run.stderr.contains("\"Business Phone\""), "{}", run.stderr);
}

#[test]
fn an_active_directory_export_with_its_type_line_uses_display_name_and_counts_lines_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let csv = export("ad-get-aduser.csv");
    let run = batch(&csv, &out, &[]);
    run.expect_code(1);
    let report = report(&out);
    // The #TYPE line is line 1: the header is line 2, Ana line 3.
    let lines: Vec<(&str, &str, &str)> = report.iter().map(|r| (&r[1], &r[2], &r[3])).collect();
    assert_eq!(
        lines,
        [
            ("3", "made", "Ana Ruiz"),
            ("4", "refused", "Nguy?n V?n An"),
            ("5", "made", "Li Wei")
        ]
    );
    for note in [
        "the name is taken from column \"DisplayName\"; \"Name\" also could give it and is \
         not used (--columns name=\"Name\" chooses another)",
        "the email is taken from column \"EmailAddress\"; \"mail\" also could give it and is \
         not used (--columns email=\"mail\" chooses another)",
        "ignoring columns \"GivenName\", \"Surname\", \"mobile\", \"Enabled\"",
    ] {
        assert!(
            run.says(&format!("note: {}: {note}", csv.display())),
            "{note}\n{}",
            run.stderr
        );
    }
    // The letters Windows PowerShell's ASCII export lost are named, with the way out.
    assert!(
        run.says(
            "line 4: name: \"Nguy?n V?n An\" has ? where a letter should be: the letter was \
             lost when the file was saved in an encoding that has no room for it; retype it, \
             or save the staff list again as \"CSV UTF-8 (Comma delimited)\" and run again"
        ),
        "{}",
        run.stderr
    );
    assert!(!out.join("nguy-n-v-n-an.html").exists());
    assert!(read(out.join("ana-ruiz.txt")).contains("(916) 555-0100"));
}

#[test]
fn hr_chooses_the_mobile_column_when_no_one_gets_a_phone() {
    let dir = tempfile::tempdir().unwrap();
    let csv = export("ad-mobile-only.csv");
    let out = dir.path().join("out");
    let run = batch(&csv, &out, &[]);
    run.expect_code(0);
    assert!(
        run.says(
            "note: no one gets a phone: the file has no phone column; \"Mobile Number\" is \
             not used: map it with --columns phone=\"Mobile Number\""
        ),
        "{}",
        run.stderr
    );
    assert!(rows(&out).iter().all(|r| r[5].is_empty()));

    let run = batch(&csv, &out, &["--columns", "phone=Mobile Number"]);
    run.expect_code(0);
    assert!(
        !run.stderr.contains("no one gets a phone"),
        "{}",
        run.stderr
    );
    let phones: Vec<String> = rows(&out).into_iter().map(|r| r[5].clone()).collect();
    assert_eq!(phones, ["(916) 555-0199", "(916) 555-0188"]);
    assert!(read(out.join("li-wei.txt")).contains("(916) 555-0188"));

    // A column that is not there is said at once, with what the header has.
    let run = batch(&csv, &out, &["--columns", "phone=Cell"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "line 2: --columns phone=\"Cell\": the header has no such column (it has \
             \"DisplayName\", \"Title\""
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn microsoft_365_entra_and_google_workspace_exports_are_read_by_their_own_column_names() {
    let dir = tempfile::tempdir().unwrap();
    for (file, first) in [
        (
            "m365-users.csv",
            [
                "made",
                "Ana Ruiz",
                "Program Analyst",
                "Child Trafficking Response Team",
                "",
                "(916) 555-0100",
                "",
            ],
        ),
        (
            "entra-users.csv",
            [
                "made",
                "Ana Ruiz",
                "Program Analyst",
                "CTRT",
                "ana.ruiz@dss.ca.gov",
                "(916) 555-0100",
                "",
            ],
        ),
        (
            "google-users.csv",
            [
                "made",
                "Ana Ruiz",
                "Program Analyst",
                "CTRT",
                "ana.ruiz@dss.ca.gov",
                "(916) 555-0100",
                "",
            ],
        ),
    ] {
        let out = dir.path().join(file);
        let run = batch(&export(file), &out, &[]);
        run.expect_code(0);
        assert_eq!(rows(&out)[0], first.map(String::from), "{file}");
    }
    // Microsoft 365's export has no mail column: HR is pointed at the one that could be.
    let run = batch(&export("m365-users.csv"), &dir.path().join("again"), &[]);
    assert!(
        run.says(
            "note: no one gets an email: the file has no email column; \"User principal \
             name\" is not used: map it with --columns email=\"User principal name\""
        ),
        "{}",
        run.stderr
    );
    // Google's "[Required]" notes are no part of the name.
    let google = read(dir.path().join("google-users.csv/li-wei.txt"));
    assert!(google.starts_with("-- \nLi Wei\nCase Worker\n"), "{google}");
}

#[test]
fn letters_excel_lost_or_garbled_refuse_their_rows_with_the_way_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lost");
    let run = batch(&export("excel-lost-letters.csv"), &out, &[]);
    run.expect_code(1);
    let statuses: Vec<(String, String)> = rows(&out)
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("refused".into(), "Nguy?n V?n An".into()),
            ("made".into(), "José Núñez".into())
        ]
    );

    let out = dir.path().join("garbled");
    let run = batch(&export("excel-mojibake.csv"), &out, &[]);
    run.expect_code(1);
    assert!(
        run.says(
            "line 2: name: \"JosÃ© NÃºÃ±ez\" has \"Ã©\" where one letter should be: UTF-8 \
             text was read as Windows-1252 and saved again (Excel does this when it opens a \
             CSV UTF-8 file by double-click); retype it, or save the staff list again as \
             \"CSV UTF-8 (Comma delimited)\" and run again"
        ),
        "{}",
        run.stderr
    );
    assert!(run
        .stderr
        .contains("line 3: title: \"Director â€“ CTRT\" has \"â€“\""));
    assert_eq!(
        crate::common::names(&out),
        [
            "banner.png",
            "index.html",
            "li-wei.html",
            "li-wei.txt",
            "report.csv"
        ]
    );
}

#[test]
fn a_unit_written_as_its_name_and_alias_or_as_staff_call_it_is_that_unit() {
    let dir = tempfile::tempdir().unwrap();
    for unit in [
        "Child Trafficking Response Team (CTRT)",
        "CSEC",
        "CFSD/CTRT",
        "Refugee Programs Branch",
        "refugee programs bureau (rpb)",
    ] {
        let run = person(
            dir.path(),
            &["--name", "Ana Ruiz", "--title", "Analyst", "--unit", unit],
        );
        run.expect_code(0);
    }
    // Near misses are answered, and never with what was typed.
    let run = person(
        dir.path(),
        &[
            "--name",
            "Ana Ruiz",
            "--title",
            "Analyst",
            "--unit",
            "CSEC team",
        ],
    );
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "error: unit: \"CSEC team\" is not a known unit; did you mean Child Trafficking \
         Response Team (CTRT)? (sigblock units lists them all)\n"
    );
    let run = person(
        dir.path(),
        &[
            "--name",
            "Ana Ruiz",
            "--title",
            "Analyst",
            "--unit",
            "Child Trafficking Response Team (RPB)",
        ],
    );
    run.expect_code(2);
    assert!(!run
        .stderr
        .contains("did you mean Child Trafficking Response Team (RPB)"));
}

#[test]
fn the_built_in_units_file_goes_out_to_be_edited_and_comes_back_with_config() {
    let dir = tempfile::tempdir().unwrap();
    let run = Run::from(
        sigblock()
            .current_dir(dir.path())
            .args(["units", "--write", "units.toml"])
            .output()
            .unwrap(),
    );
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "wrote {}: edit its units, aliases and contact lines, then pass it with --config \
             units.toml\n",
            dir.path().join("units.toml").display()
        )
    );
    let written = read(dir.path().join("units.toml"));
    assert_eq!(written, sigblock::units::BUILT_IN);
    // The office adds its own alias and a unit of its own.
    let edited = written.replace(
        "aliases = [\"RPB\", \"Refugee Programs Branch\"]",
        "aliases = [\"RPB\", \"Refugee Programs Branch\", \"Refugee Office\"]",
    ) + "\n[[unit]]\nname = \"Payroll\"\ncontact = \"rpb\"\n";
    std::fs::write(dir.path().join("units.toml"), edited).unwrap();
    for unit in ["Refugee Office", "Payroll"] {
        let run = person(
            dir.path(),
            &[
                "--name",
                "Ana Ruiz",
                "--title",
                "Analyst",
                "--unit",
                unit,
                "--config",
                "units.toml",
            ],
        );
        run.expect_code(0);
    }
    // Not over a file sigblock did not make, nor under a name that is not .toml.
    std::fs::write(dir.path().join("mine.toml"), "mine").unwrap();
    for (target, words) in [
        ("mine.toml", "mine.toml is not a file sigblock made"),
        (
            "units.txt",
            "the units file is TOML text, so its name ends in .toml",
        ),
    ] {
        let run = Run::from(
            sigblock()
                .current_dir(dir.path())
                .args(["units", "--write", target])
                .output()
                .unwrap(),
        );
        run.expect_code(2);
        assert!(run.stderr.contains(words), "{}", run.stderr);
    }
    assert_eq!(read(dir.path().join("mine.toml")), "mine");
}

#[test]
fn a_rerun_names_the_people_it_removed_and_report_csv_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    let people: Vec<String> = (1..=14).map(|i| format!("Person {i:02}")).collect();
    let write = |count: usize| {
        let mut text = String::from("name,title,unit,email\n");
        for name in &people[..count] {
            let email = format!("{}@dss.ca.gov", name.replace(' ', ".").to_lowercase());
            text.push_str(&format!("{name},Analyst,CTRT,{email}\n"));
        }
        std::fs::write(&csv, text).unwrap();
    };
    let out = dir.path().join("out");
    write(14);
    batch(&csv, &out, &[]).expect_code(0);

    // Three gone: said by name.
    write(11);
    let run = batch(&csv, &out, &[]);
    run.expect_code(0);
    assert!(
        run.says(
            "note: removed the signatures of 3 people no longer in the staff list, or refused \
             now: Person 12, Person 13, Person 14 (report.csv lists them)"
        ),
        "{}",
        run.stderr
    );
    let removed: Vec<[String; 7]> = rows(&out)
        .into_iter()
        .filter(|r| r[0] == "removed")
        .collect();
    assert_eq!(removed.len(), 3);
    assert_eq!(removed[0][1], "Person 12");
    assert_eq!(removed[0][4], "person.12@dss.ca.gov");
    assert!(!out.join("person-12.html").exists());

    // Eleven gone: ten by name, then a count.
    write(0);
    std::fs::write(&csv, "name,title,unit\nSomeone Else,Analyst,RPB\n").unwrap();
    let run = batch(&csv, &out, &[]);
    run.expect_code(0);
    assert!(
        run.says(
            "note: removed the signatures of 11 people no longer in the staff list, or \
             refused now: Person 01, Person 02, Person 03, Person 04, Person 05, Person 06, \
             Person 07, Person 08, Person 09, Person 10, and 1 more (report.csv lists them)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(rows(&out).iter().filter(|r| r[0] == "removed").count(), 11);
}

#[test]
fn a_staff_member_who_changes_unit_replaces_their_own_signature_and_another_of_the_same_name_is_refused(
) {
    let dir = tempfile::tempdir().unwrap();
    let ana = |unit: &str, email: &str| {
        person(
            dir.path(),
            &[
                "--name", "Ana Ruiz", "--title", "Analyst", "--unit", unit, "--email", email,
            ],
        )
    };
    ana("CTRT", "ana.ruiz@dss.ca.gov").expect_code(0);
    // The same person, another unit: theirs, replaced without --force, and said.
    let run = ana("RPB", "ana.ruiz@dss.ca.gov");
    run.expect_code(0);
    assert!(
        run.stderr.contains("replaced your earlier signature (")
            && run.stderr.contains(
                "): unit: \"Child Trafficking Response Team\" → \"Refugee Programs Bureau\"\n"
            ),
        "{}",
        run.stderr
    );
    assert!(read(dir.path().join("sigs/ana-ruiz.txt")).contains("\nRefugee Programs Bureau\n"));
    // Another Ana Ruiz (another address): refused, naming both, nothing changed.
    let before = read(dir.path().join("sigs/ana-ruiz.html"));
    let run = ana("RPB", "aruiz2@dss.ca.gov");
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        format!(
            "error: {} is the signature of Ana Ruiz (ana.ruiz@dss.ca.gov, Refugee Programs \
             Bureau), not of Ana Ruiz (aruiz2@dss.ca.gov, Refugee Programs Bureau): both names \
             give the file name ana-ruiz. To keep both, make this one in another folder (--out \
             OTHER-FOLDER); to replace theirs, run again with --force\n",
            Path::new("sigs/ana-ruiz.html").display()
        )
    );
    assert_eq!(read(dir.path().join("sigs/ana-ruiz.html")), before);
    // Who it is for is in the folder's record, not read back from the page: a page whose
    // cells were rewritten by a template change still belongs to the same person.
    let record = read(dir.path().join("sigs/.sigblock/manifest"));
    assert!(
        record.contains("\"name\":\"Ana Ruiz\",\"email\":\"ana.ruiz@dss.ca.gov\",\"unit\":\"Refugee Programs Bureau\""),
        "{record}"
    );
}

#[test]
fn the_gallery_filters_without_accents_shows_refused_rows_alone_and_counts_as_the_terminal_does() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    let mut text = String::from("name,title,unit\n");
    for i in 0..1200 {
        text.push_str(&format!(
            "Person {i:04},Analyst,{}\n",
            ["CTRT", "RPB"][i % 2]
        ));
    }
    text.push_str("José Núñez,Analyst,RPB\nBad One,Analyst,Nowhere\n");
    std::fs::write(&csv, text).unwrap();
    let out = dir.path().join("out");
    let run = batch(&csv, &out, &[]);
    run.expect_code(1);
    assert!(
        run.stdout.starts_with("made 1,201 of 1,202 signatures"),
        "{}",
        run.stdout
    );
    let page = read(out.join("index.html"));
    // Numbers as the terminal says them, and a sentence for a browser without JavaScript.
    assert!(
        page.contains("<tr><th>Made</th><td>1,201</td></tr>"),
        "counts"
    );
    assert!(page.contains("<tr><th>Rows</th><td>1,202</td></tr>"));
    assert!(page.contains("<noscript>"));
    let probe = r##"
window.addEventListener("load", async () => {
  const filter = document.getElementById("filter");
  const only = document.getElementById("refused-only");
  const cards = () => [...document.querySelectorAll("section.card")].map(c => c.id);
  const refused = () => [...document.querySelectorAll("#refused tr[data-row]")].filter(r => !r.hidden).length;
  const settle = () => new Promise(done => setTimeout(done, 300));
  const seen = {};
  filter.value = "nunez"; filter.dispatchEvent(new Event("input")); await settle();
  seen.nunez = cards();
  filter.value = "JOSÉ"; filter.dispatchEvent(new Event("input")); await settle();
  seen.jose = cards();
  filter.value = "person"; filter.dispatchEvent(new Event("input")); await settle();
  seen.shown = document.getElementById("shown").textContent;
  filter.value = ""; filter.dispatchEvent(new Event("input"));
  only.checked = true; only.dispatchEvent(new Event("change")); await settle();
  seen.onlyCards = cards().length; seen.onlyRefused = refused();
  seen.onlyShown = document.getElementById("shown").textContent;
  document.body.setAttribute("data-probe", JSON.stringify({ errors: window.__errors, seen }));
});"##;
    let result = browser::probe(&out.join("index.html"), probe);
    let seen = &result["seen"];
    assert_eq!(seen["nunez"], serde_json::json!(["jose-nunez"]), "{result}");
    assert_eq!(seen["jose"], serde_json::json!(["jose-nunez"]), "{result}");
    assert_eq!(seen["shown"], "1,200 of 1,201 shown", "{result}");
    assert_eq!(seen["onlyCards"], 0, "{result}");
    assert_eq!(seen["onlyRefused"], 1, "{result}");
    assert_eq!(seen["onlyShown"], "1 refused row shown", "{result}");
}
