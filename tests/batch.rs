//! HR's batch, end to end with the real binary: `sigblock batch STAFF.csv --out DIR`.
//!
//! One fixture per CSV rule (tests/fixtures/*.csv, kept byte for byte by .gitattributes).
//! Every run is checked whole by [`assert_batch`]: exit code, summary line, the stderr
//! line of each refused row, the exact files in `--out`, each signature's content and
//! contact line, `report.csv` and the gallery. The stories below add what is particular
//! to their fixture.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::{
    self, batch_args, browser, fixture, inlined_banner, names, read, sigblock, snapshot, Run,
    IN_CAMPAIGN, RECORD,
};

// ---------------------------------------------------------------------------------------
// The stories

#[test]
fn hr_csv_with_a_bad_row_makes_the_others_and_reports_its_line() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("bad-rows.csv"), &out);
    assert_batch(
        &run,
        &[
            made(2, "Ana Ruiz", "Program Analyst", "ana-ruiz", Ctrt),
            refused(3, "", "name: is empty"),
            refused(4, "Bo Li", &unknown_unit("Payroll")),
            refused(
                5,
                "Cy Ng",
                "email: \"cy.ng@\" is not an email address (expected name@example.org)",
            ),
            // A short record: the missing unit field is an empty unit, not a shifted row.
            refused(6, "Di Roe", "unit: is empty"),
            made(7, "Eve Park", "Research Analyst", "eve-park", Rpb),
            // Every problem of a row at once, so it is fixed in one go.
            refused(
                8,
                "",
                &format!(
                    "name: is empty; title: is empty; {}; email: \"x@\" is not an email \
                     address (expected name@example.org)",
                    unknown_unit("Payroll")
                ),
            ),
        ],
        &[],
    );
    let html = read(out.join("ana-ruiz.html"));
    assert!(
        html.contains(r#"href="mailto:ana.ruiz@dss.ca.gov""#),
        "{}",
        brief(&html)
    );
}

#[test]
fn excel_csv_utf8_with_bom_and_crlf_is_read_like_any_other_file() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("bom-crlf.csv"), &out);
    assert_batch(
        &run,
        &[
            made(2, "Ana Ruiz", "Program Analyst", "ana-ruiz", Ctrt),
            made(3, "Bo Li", "Staff Services Manager I", "bo-li", Rpb),
            made(4, "Zoë Martin", "Research Analyst II", "zoe-martin", Rpb),
        ],
        &[],
    );
    // The BOM is not part of the first column's name, and no CR reaches a value.
    let ana = read(out.join("ana-ruiz.html"));
    assert!(
        ana.contains(r#"href="tel:+19165550100""#),
        "{}",
        brief(&ana)
    );
    // (report.csv is for Excel: it has a BOM and CRLF on purpose.)
    for file in names(&out)
        .iter()
        .filter(|f| !f.ends_with(".png") && *f != "report.csv")
    {
        let bytes = std::fs::read(out.join(file)).unwrap();
        assert!(!bytes.contains(&b'\r'), "{file} has a CR");
        assert!(
            !bytes.starts_with(b"\xEF\xBB\xBF"),
            "{file} starts with a BOM"
        );
    }
    // Only a phone: its line stands alone, with no empty email before it.
    let zoe = read(out.join("zoe-martin.txt"));
    assert!(
        zoe.contains("California Department of Social Services\n916-555-0142\n"),
        "{zoe}"
    );
}

#[test]
fn columns_in_any_order_under_common_names_are_found_and_unknown_ones_noted_once() {
    let (_tmp, out) = fresh_out();
    let csv = fixture("aliased-columns.csv");
    let run = batch(&csv, &out);
    assert_batch(
        &run,
        &[
            made(2, "Ana Ruiz", "Program Analyst", "ana-ruiz", Ctrt),
            made(
                3,
                "Bo Li",
                "Associate Governmental Program Analyst",
                "bo-li",
                Rpb,
            ),
        ],
        &[format!(
            "note: {}: ignoring column \"Employee ID\"",
            csv.display()
        )],
    );
    // "E-mail" and "Phone Number" were read, and "Department" gave the unit.
    let ana = read(out.join("ana-ruiz.html"));
    assert!(
        ana.contains(r#"href="mailto:ana.ruiz@dss.ca.gov""#),
        "{}",
        brief(&ana)
    );
    assert!(
        ana.contains(r#"href="tel:+19165550100""#),
        "{}",
        brief(&ana)
    );
    assert!(ana.contains(">Child Trafficking Program Support Unit</td>"));
    assert!(!ana.contains("10442"), "the unknown column stays out");
    // Bo's row has neither email nor phone: no line for them, no empty link.
    let bo = read(out.join("bo-li.txt"));
    assert!(
        bo.contains("California Department of Social Services\n\n[ "),
        "{bo}"
    );
    assert!(!bo.contains("10443"));
    let bo = read(out.join("bo-li.html"));
    assert!(!bo.contains(r#"href="tel:"#) && !bo.contains("mailto:\""));
}

#[test]
fn semicolon_separated_files_keep_commas_as_text() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("semicolons.csv"), &out);
    assert_batch(
        &run,
        &[
            made(2, "Ruiz, Ana", "Analyst, Senior", "ruiz-ana", Ctrt),
            made(3, "Li, Bo", "Manager", "li-bo", Rpb),
        ],
        &[],
    );
}

#[test]
fn tab_separated_files_keep_commas_and_semicolons_as_text() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("tabs.csv"), &out);
    assert_batch(
        &run,
        &[
            made(2, "Ruiz, Ana", "Analyst; Senior", "ruiz-ana", Ctrt),
            made(3, "Li, Bo", "Manager", "li-bo", Rpb),
        ],
        &[],
    );
}

#[test]
fn a_windows_1252_excel_export_is_decoded_not_mangled_and_the_user_is_told() {
    let (_tmp, out) = fresh_out();
    let csv = fixture("windows-1252.csv");
    let run = batch(&csv, &out);
    assert_batch(
        &run,
        &[
            made(2, "José Núñez", "Analyst – Level II", "jose-nunez", Ctrt),
            made(3, "Begoña Muñoz", "Manager", "begona-munoz", Rpb),
        ],
        &[format!(
            "note: {} is not UTF-8; reading it as Windows-1252 (Excel's \"CSV\" on Windows). \
             Save as \"CSV UTF-8\" to avoid this.",
            csv.display()
        )],
    );
    for file in names(&out) {
        if file.ends_with(".png") {
            continue;
        }
        let text = read(out.join(&file)); // valid UTF-8, or `read` panics
        assert!(
            !text.contains('\u{FFFD}'),
            "{file} has a replacement character"
        );
        assert!(!text.contains("Ã"), "{file} is double-encoded");
    }
}

#[test]
fn quoted_fields_keep_their_commas_and_a_line_break_refuses_only_its_record() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("quoted-fields.csv"), &out);
    assert_batch(
        &run,
        &[
            made(2, "Ruiz, Ana", "Analyst, Senior", "ruiz-ana", Ctrt),
            // Lines 3-5: one record whose title holds two line breaks.
            refused(
                3,
                "Li, Bo",
                "title: \"Program\\nManager\\n(acting)\" contains a line break; \
                 a signature field is one line",
            ),
            made(6, "Kim \"KJ\" Jones", "Analyst", "kim-kj-jones", Rpb),
            // Lines 7-8: a CRLF inside quotes in an LF file is one line break.
            refused(
                7,
                "Dee Park",
                "title: \"Chief, Child Trafficking\\r\\nProgram\" contains a line break; \
                 a signature field is one line",
            ),
            made(9, "Eli Stone", "Analyst", "eli-stone", Rpb),
        ],
        &[],
    );
}

#[test]
fn blank_lines_are_skipped_but_still_counted_in_line_numbers() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("blank-lines.csv"), &out);
    // Lines 3, 5, 9 are empty, 6 holds spaces, 7 only delimiters: none is a row.
    assert_batch(
        &run,
        &[
            made(2, "Ana Ruiz", "Analyst", "ana-ruiz", Ctrt),
            made(4, "Bo Li", "Manager", "bo-li", Rpb),
            refused(8, "Cy Ng", &unknown_unit("Nowhere")),
            made(10, "Di Roe", "Analyst", "di-roe", Rpb),
        ],
        &[],
    );
}

#[test]
fn spaces_around_headers_and_values_are_trimmed() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("whitespace.csv"), &out);
    assert_batch(
        &run,
        &[
            made(2, "Ana Ruiz", "Program Analyst", "ana-ruiz", Ctrt),
            made(3, "Bo Li", "Manager", "bo-li", Rpb),
        ],
        &[],
    );
    let ana = read(out.join("ana-ruiz.html"));
    assert!(
        ana.contains(r#"href="mailto:ana.ruiz@dss.ca.gov""#),
        "{}",
        brief(&ana)
    );
    assert!(ana.contains(">(916) 555-0100</a>"), "{}", brief(&ana));
    assert!(!ana.contains("  Ana") && !ana.contains("Ruiz  "));
}

#[test]
fn people_with_the_same_name_all_get_files_numbered_in_input_order() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("duplicate-names.csv"), &out);
    assert_batch(
        &run,
        &[
            made(2, "Ana Ruiz", "Analyst I", "ana-ruiz", Ctrt),
            made(3, "Ana Ruiz", "Analyst II", "ana-ruiz-2", Rpb),
            made(4, "Bo Li", "Manager", "bo-li", Rpb),
            made(5, "Ana Ruiz", "Analyst III", "ana-ruiz-3", Ctrt),
            made(6, "ANA RUIZ", "Analyst IV", "ana-ruiz-4", Rpb),
        ],
        &[],
    );
}

#[test]
fn names_that_look_like_paths_are_only_names_and_nothing_is_written_outside_out() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    // A file outside --out that must not change (a symbolic link in --out pointing at
    // it is refused: tests/ownership.rs).
    let victim = tmp.path().join("victim.html");
    std::fs::write(&victim, "not yours").unwrap();
    let out_rel = Path::new("deep/a/b/signatures");
    let out = work.join(out_rel);
    std::fs::create_dir_all(&out).unwrap();
    let before = snapshot(tmp.path());

    // Run from `work` with a relative --out, as HR would.
    let output = sigblock()
        .current_dir(&work)
        .arg("batch")
        .arg(fixture("path-like-names.csv"))
        .arg("--out")
        .arg(out_rel)
        .args(["--date", IN_CAMPAIGN])
        .output()
        .unwrap();
    let run = Batch::of(output, out.clone(), out_rel);
    assert_batch(
        &run,
        &[
            made(2, "../../etc/passwd", "Analyst", "etc-passwd", Ctrt),
            made(3, "..\\..\\x", "Analyst", "x", Ctrt),
            made(4, "/abs/path", "Analyst", "abs-path", Rpb),
            made(5, ".hidden", "Analyst", "hidden", Rpb),
            made(6, "CON", "Analyst", "con-signature", Rpb),
        ],
        &[],
    );

    let after = snapshot(tmp.path());
    let new: Vec<_> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    for path in &new {
        assert!(
            path.starts_with("work/deep/a/b/signatures/"),
            "{path} was written outside --out"
        );
    }
    let changed: Vec<_> = before
        .iter()
        .filter(|(p, bytes)| {
            !p.starts_with("work/deep/a/b/signatures/") && after.get(*p) != Some(bytes)
        })
        .map(|(p, _)| p)
        .collect();
    assert!(changed.is_empty(), "changed outside --out: {changed:?}");
    assert_eq!(read(&victim), "not yours");
}

#[test]
fn markup_in_a_field_is_shown_as_text_never_run() {
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("markup-in-fields.csv"), &out);
    let name = "<img src=x onerror=alert(1)>";
    let title = "<b>Chief</b> & \"Lead\"";
    assert_batch(
        &run,
        &[made(2, name, title, "img-src-x-onerror-alert-1", Ctrt)],
        &[],
    );
    for file in ["img-src-x-onerror-alert-1.html", "index.html"] {
        let html = read(out.join(file));
        assert!(!html.contains("<img src=x"), "{file}: {}", brief(&html));
        assert!(!html.contains("<b>Chief"), "{file}: {}", brief(&html));
    }
    let html = read(out.join("img-src-x-onerror-alert-1.html"));
    assert!(html.contains(&escape(name)));
    assert!(html.contains(&escape(title)));
    // The gallery carries the values as JSON data, never as markup; the page escapes them
    // as sigblock does when it draws the card (checked in Chromium elsewhere).
    let gallery = Gallery::parse(&read(out.join("index.html")));
    assert_eq!(gallery.people[0]["n"], name);
    assert_eq!(gallery.people[0]["t"], title);
    let txt = read(out.join("img-src-x-onerror-alert-1.txt"));
    assert!(txt.contains(&format!("\n{name}\n{title}\n")), "{txt}");
}

#[test]
fn a_person_named_index_keeps_their_signature_next_to_the_gallery() {
    // index.html, report.csv and banner.png are the batch's own files. Whatever names
    // these people's files get, the report must point at their signatures, and
    // index.html must stay the gallery.
    let (_tmp, out) = fresh_out();
    let run = batch(&fixture("reserved-names.csv"), &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let report: Vec<ReportLine> = csv::Reader::from_path(out.join("report.csv"))
        .unwrap()
        .deserialize()
        .map(Result::unwrap)
        .collect();
    assert_eq!(report.len(), 3);
    let mut slugs = Vec::new();
    for (row, name) in report.iter().zip(["Index", "Report", "Banner"]) {
        assert_eq!((row.status.as_str(), row.name.as_str()), ("made", name));
        let files: Vec<&str> = row.files.split(' ').collect();
        assert_eq!(files.len(), 2, "{row:?}");
        let html = read(out.join(files[0]));
        assert!(
            html.contains(&format!("<title>Email signature: {name}</title>")),
            "{} is not {name}'s signature: {}",
            files[0],
            brief(&html)
        );
        assert!(read(out.join(files[1])).starts_with(&format!("-- \n{name}\n")));
        slugs.push(files[0].trim_end_matches(".html").to_owned());
    }
    let lines: Vec<_> = report.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4]);
    let page = read(out.join("index.html"));
    assert!(
        page.contains("<title>Signatures from "),
        "index.html is the gallery"
    );
    let cards: Vec<_> = Gallery::parse(&page)
        .people
        .iter()
        .map(|p| p["s"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(cards, slugs);
}

#[test]
fn a_missing_file_stops_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("no-such-staff.csv");
    assert_fatal(
        &csv,
        &format!(
            "error: cannot read {}: there is no such file (check the name and folder)",
            csv.display()
        ),
    );
}

#[test]
fn a_missing_required_column_stops_before_anything_is_written() {
    let csv = fixture("missing-column.csv");
    assert_fatal(
        &csv,
        &format!(
            "error: {}: line 1: no unit column (the header has \"name\", \"title\", \"email\"); \
             the header needs name, title and unit (sigblock knows the columns of Outlook, \
             Active Directory, Microsoft 365 and Google Workspace exports; --columns \
             unit=Header chooses one)",
            csv.display()
        ),
    );
}

#[test]
fn an_empty_file_stops_before_anything_is_written() {
    let csv = fixture("empty.csv");
    assert_fatal(
        &csv,
        &format!(
            "error: {}: the file is empty; it needs a header row (name, title, unit) and one \
             row per person",
            csv.display()
        ),
    );
}

#[test]
fn a_header_without_rows_is_refused_before_anything_is_written() {
    // A header alone makes nothing: an empty gallery and report would look like success.
    let csv = fixture("header-only.csv");
    assert_fatal(
        &csv,
        &format!(
            "error: {}: the file has a header row but no rows; add one row per person under it",
            csv.display()
        ),
    );
}

#[test]
fn first_and_last_name_columns_are_joined_into_the_name_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    std::fs::write(
        &csv,
        "First Name,Last Name,Job Title,Department\nAna,Ruiz,Analyst,CTRT\nBo,,Chief,RPB\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = batch(&csv, &out);
    assert_batch(
        &run,
        &[
            made(2, "Ana Ruiz", "Analyst", "ana-ruiz", Ctrt),
            made(3, "Bo", "Chief", "bo", Rpb),
        ],
        &[format!(
            "note: {}: no name column; the name is \"First Name\" and \"Last Name\" joined",
            csv.display()
        )],
    );
}

#[test]
fn batch_without_out_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let output = sigblock()
        .current_dir(tmp.path())
        .arg("batch")
        .arg(fixture("bom-crlf.csv"))
        .args(["--date", IN_CAMPAIGN])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--out"), "{stderr}");
    assert!(names(tmp.path()).is_empty(), "{:?}", names(tmp.path()));
}

#[test]
fn rerunning_the_same_csv_into_the_same_folder_makes_the_same_files_byte_for_byte() {
    for csv in ["duplicate-names.csv", "bad-rows.csv", "bom-crlf.csv"] {
        let (_tmp, out) = fresh_out();
        let first = batch(&fixture(csv), &out);
        assert!(matches!(first.code, Some(0 | 1)), "{csv}: {}", first.stderr);
        let files = contents(&out);
        let second = batch(&fixture(csv), &out);
        assert_eq!(second.code, first.code, "{csv}");
        assert_eq!(second.stdout, first.stdout, "{csv}");
        assert_eq!(second.stderr, first.stderr, "{csv}");
        let again = contents(&out);
        assert_eq!(
            again.keys().collect::<Vec<_>>(),
            files.keys().collect::<Vec<_>>(),
            "{csv}: a rerun is not a collision"
        );
        for (name, bytes) in &files {
            assert!(again[name] == *bytes, "{csv}: {name} changed on the rerun");
        }
        // A fresh folder gets the same bytes too: nothing depends on thread timing.
        let (_tmp2, elsewhere) = fresh_out();
        batch(&fixture(csv), &elsewhere);
        assert!(
            contents(&elsewhere) == files,
            "{csv}: differs in another folder"
        );
    }
}

#[test]
fn a_killed_runs_temporary_files_are_cleared_and_none_are_left_behind() {
    // A killed run leaves its temporaries in sigblock's own folder, and only there; a
    // person's files that merely look like them are theirs.
    let (_tmp, out) = fresh_out();
    std::fs::create_dir_all(out.join(RECORD).join("tmp")).unwrap();
    std::fs::write(out.join(RECORD).join("tmp/.tmpAbC123"), "half a signature").unwrap();
    std::fs::write(out.join(".sigblock-killed.tmp"), "HR's own file").unwrap();
    std::fs::write(out.join("keep.tmp"), "HR's own file").unwrap();
    let run = batch(&fixture("bom-crlf.csv"), &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(names(out.join(RECORD).join("tmp")).is_empty());
    assert_eq!(read(out.join(".sigblock-killed.tmp")), "HR's own file");
    assert_eq!(read(out.join("keep.tmp")), "HR's own file");
}

#[test]
fn rows_across_many_chunks_keep_their_order_lines_and_slugs() {
    // 600 rows: more than two of batch.rs's 256-row parallel steps. Every 97th row is
    // refused, and every 50th is another "Ana Ruiz", so slugs are claimed across steps.
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("staff.csv");
    let mut text = String::from("name,title,unit\n");
    let mut expected = Vec::new();
    let mut anas = 0;
    for i in 0..600u64 {
        let line = i + 2;
        if i % 97 == 13 {
            text.push_str(&format!("Person {i},Analyst,Nowhere {i}\n"));
            expected.push(Expected::Refused {
                line,
                name: format!("Person {i}"),
                reason: unknown_unit(&format!("Nowhere {i}")),
            });
        } else if i % 50 == 7 {
            anas += 1;
            text.push_str(&format!("Ana Ruiz,Analyst {i},CTRT\n"));
            let slug = match anas {
                1 => "ana-ruiz".to_owned(),
                n => format!("ana-ruiz-{n}"),
            };
            expected.push(Expected::Made {
                line,
                name: "Ana Ruiz".into(),
                title: format!("Analyst {i}"),
                slug,
                contact: Ctrt,
            });
        } else {
            text.push_str(&format!("Person {i},Analyst {i},RPB\n"));
            expected.push(Expected::Made {
                line,
                name: format!("Person {i}"),
                title: format!("Analyst {i}"),
                slug: format!("person-{i}"),
                contact: Rpb,
            });
        }
    }
    std::fs::write(&csv, text).unwrap();
    let out = tmp.path().join("signatures");
    let run = batch(&csv, &out);
    assert_batch(&run, &expected, &[]);
    assert!(run.stdout.starts_with("made 593 of 600 signatures in "));
}

#[test]
fn the_example_staff_csv_makes_every_row() {
    let (_tmp, out) = fresh_out();
    let run = batch(&example_staff(), &out);
    assert_batch(
        &run,
        &[
            made(
                2,
                "José Núñez",
                "Staff Services Manager I",
                "jose-nunez",
                Ctrt,
            ),
            made(
                3,
                "Zoë Thompson",
                "Associate Governmental Program Analyst",
                "zoe-thompson",
                Ctrt,
            ),
            made(
                4,
                "Nguyễn Thị Lan",
                "Social Worker Consultant III",
                "nguyen-thi-lan",
                Ctrt,
            ),
            made(
                5,
                "Darnell Washington",
                "Research Data Analyst II",
                "darnell-washington",
                Ctrt,
            ),
            made(
                6,
                "María Hernández",
                "Refugee Program Specialist",
                "maria-hernandez",
                Rpb,
            ),
            made(
                7,
                "Priya Raman",
                "Staff Services Analyst",
                "priya-raman",
                Rpb,
            ),
            made(
                8,
                "Siobhán O'Connor",
                "Program Manager",
                "siobhan-o-connor",
                Rpb,
            ),
            made(
                9,
                "Kwame Mensah",
                "Manager, Trafficking and Crime Victims Assistance Program",
                "kwame-mensah",
                Rpb,
            ),
            made(
                10,
                "Fatima Al-Sayed",
                "Associate Governmental Program Analyst",
                "fatima-al-sayed",
                Rpb,
            ),
            made(
                11,
                "Ana Ruiz",
                "Office Technician (Typing)",
                "ana-ruiz",
                Ctrt,
            ),
        ],
        &[],
    );
    let maria = read(out.join("maria-hernandez.html"));
    assert!(
        maria.contains(r#"href="tel:+19165550105;ext=12""#),
        "{}",
        brief(&maria)
    );
    // No email and no phone: no contact line of her own, and no empty link.
    let fatima = read(out.join("fatima-al-sayed.txt"));
    assert!(
        fatima.contains("California Department of Social Services\n\n[ "),
        "{fatima}"
    );
}

#[test]
fn the_gallery_shows_every_card_and_its_banner_in_a_browser() {
    let (_tmp, out) = fresh_out();
    let run = batch(&example_staff(), &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);

    // Once the gallery has loaded, what the browser made of it (common::browser::probe
    // loads a copy beside it, so that banner.png resolves, and fails on script errors).
    let probe = browser::probe(
        &out.join("index.html"),
        r#"
window.addEventListener("load", () => {
  const cards = [...document.querySelectorAll("section.card")];
  const copied = cards.length ? signatureHtml(cards[0]) : "";
  document.body.setAttribute("data-probe", JSON.stringify({
    errors: window.__errors,
    cards: cards.length,
    widths: cards.map(c => [...c.querySelectorAll("img")].map(i => i.complete ? i.naturalWidth : -1)),
    copiedInlinesBanner: copied.includes('src="data:image/png;base64,'),
    copiedKeepsFile: copied.includes("banner.png"),
    text: cards.length ? cards[0].querySelector("template.txt").content.textContent : "",
  }));
});"#,
    );
    assert_eq!(probe["cards"], 10, "{probe}");
    for widths in probe["widths"].as_array().unwrap() {
        assert_eq!(widths.as_array().unwrap().len(), 1, "{probe}");
        assert!(
            widths[0].as_i64().unwrap() > 0,
            "a banner did not decode: {probe}"
        );
    }
    assert_eq!(probe["copiedInlinesBanner"], true, "{probe}");
    assert_eq!(probe["copiedKeepsFile"], false, "{probe}");
    assert!(
        probe["text"]
            .as_str()
            .unwrap()
            .starts_with("-- \nJosé Núñez\n"),
        "{probe}"
    );
}

// ---------------------------------------------------------------------------------------
// What every batch is checked for

/// The two contact lines of assets/units.toml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Contact {
    Ctrt,
    Rpb,
}
use Contact::{Ctrt, Rpb};

impl Contact {
    fn email(self) -> &'static str {
        match self {
            Ctrt => "CSECProgram@dss.ca.gov",
            Rpb => "RPB@dss.ca.gov",
        }
    }

    fn sentence(self) -> &'static str {
        match self {
            Ctrt => "please contact the Child Trafficking Response Team (CTRT) at CSECProgram@dss.ca.gov.",
            Rpb => "please contact the Asylee and Trafficking Unit at RPB@dss.ca.gov.",
        }
    }

    fn other(self) -> Contact {
        match self {
            Ctrt => Rpb,
            Rpb => Ctrt,
        }
    }
}

/// What should become of one record.
#[derive(Debug, Clone)]
enum Expected {
    Made {
        line: u64,
        name: String,
        title: String,
        slug: String,
        contact: Contact,
    },
    Refused {
        line: u64,
        name: String,
        reason: String,
    },
}

fn made(line: u64, name: &str, title: &str, slug: &str, contact: Contact) -> Expected {
    Expected::Made {
        line,
        name: name.into(),
        title: title.into(),
        slug: slug.into(),
        contact,
    }
}

fn refused(line: u64, name: &str, reason: &str) -> Expected {
    Expected::Refused {
        line,
        name: name.into(),
        reason: reason.into(),
    }
}

fn unknown_unit(unit: &str) -> String {
    format!(
        "unit: \"{unit}\" is not a known unit; known units: Child Trafficking Response Team \
         (CTRT, CSEC, CSEC Program, CFSD/CTRT), Child Trafficking Program Support Unit \
         (CTPSU), Refugee Programs Bureau (RPB, Refugee Programs Branch), Asylee and \
         Trafficking Unit (ATU, Asylee & Trafficking Unit)"
    )
}

/// One finished `sigblock batch`: the [`Run`] (which it derefs to), and where its
/// files are.
struct Batch {
    run: Run,
    /// Where the files are.
    out: PathBuf,
    /// `--out` as given on the command line, as the summary line names it.
    out_arg: PathBuf,
}

impl std::ops::Deref for Batch {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.run
    }
}

impl Batch {
    /// `output` of a batch into `out`, given on the command line as `out_arg`; it was not
    /// killed and left no temporary behind.
    fn of(output: std::process::Output, out: PathBuf, out_arg: &Path) -> Batch {
        let run = Run::from(output);
        assert!(run.code.is_some(), "exited, not killed: {}", run.stderr);
        let temporaries = out.join(RECORD).join("tmp");
        if temporaries.is_dir() {
            let leftovers = names(&temporaries);
            assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
        }
        Batch {
            run,
            out,
            out_arg: out_arg.to_owned(),
        }
    }

    /// stderr lines that are not notes: the refused rows, one line each.
    fn refusals(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| !l.starts_with("note: "))
            .collect()
    }

    /// Notes other than the one about Gmail, which every HTML run with an inlined banner gives.
    fn notes(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("note: ") && !l.starts_with("note: Gmail does not show"))
            .collect()
    }
}

/// A folder that does not exist yet, inside a temporary one.
fn fresh_out() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("signatures");
    (tmp, out)
}

fn example_staff() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/staff.csv")
}

/// `sigblock batch CSV --out OUT --date 2027-01-15`.
fn batch(csv: &Path, out: &Path) -> Batch {
    let output = sigblock().args(batch_args(csv, out, &[])).output().unwrap();
    Batch::of(output, out.to_owned(), out)
}

#[derive(Debug, PartialEq, Eq, serde::Deserialize)]
struct ReportLine {
    line: u64,
    status: String,
    name: String,
    files: String,
    reason: String,
}

/// A report cell as Excel must take it: one that would read as a formula starts with `'`.
fn as_text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// A line of `report.csv` as written: the spreadsheet row and the person as typed too.
#[derive(Debug, serde::Deserialize)]
struct ReportRow {
    row: u64,
    line: u64,
    status: String,
    name: String,
    #[allow(dead_code)]
    title: String,
    #[allow(dead_code)]
    unit: String,
    #[allow(dead_code)]
    email: String,
    files: String,
    reason: String,
    #[allow(dead_code)]
    note: String,
}

/// report.csv, read as Excel would have it: the byte-order mark first, then CRLF lines.
fn report_rows(out: &Path) -> Vec<ReportRow> {
    let bytes = std::fs::read(out.join("report.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "report.csv starts with a BOM"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(
        text.ends_with("\r\n")
            && text
                .lines()
                .next()
                .is_some_and(|_| text.contains("note\r\n")),
        "report.csv lines end in CRLF"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "row", "line", "status", "name", "title", "unit", "email", "phone", "files", "reason",
            "note"
        ]
    );
    reader.deserialize().map(Result::unwrap).collect()
}

/// Checks a whole batch against what should have become of each record, in input order,
/// and against the notes (besides Gmail's) that should have been given.
fn assert_batch(run: &Batch, expected: &[Expected], notes: &[String]) {
    let made: Vec<_> = expected
        .iter()
        .filter(|e| matches!(e, Expected::Made { .. }))
        .collect();
    let refused = expected.len() - made.len();

    // Exit code and the last line.
    let out_arg = run.out_arg.display();
    assert_eq!(
        run.code,
        Some(if refused == 0 { 0 } else { 1 }),
        "exit code; stderr:\n{}",
        run.stderr
    );
    let summary = if refused == 0 {
        format!(
            "made {} of {} signatures in {out_arg}; see {} to review them\n",
            made.len(),
            expected.len(),
            run.out_arg.join("index.html").display()
        )
    } else {
        format!(
            "made {} of {} signatures in {out_arg}; {refused} refused (see {})\n",
            made.len(),
            expected.len(),
            run.out_arg.join("report.csv").display()
        )
    };
    assert_eq!(run.stdout, summary);

    // stderr: each refused row on its line (and its spreadsheet row where that differs,
    // as the report gives it), in input order; the notes; no progress bar.
    let rows = report_rows(&run.out);
    let row_of = |line: u64| rows.iter().find(|r| r.line == line).map_or(line, |r| r.row);
    let lines: Vec<String> = expected
        .iter()
        .filter_map(|e| match e {
            Expected::Refused { line, reason, .. } => Some(match row_of(*line) {
                row if row == *line => format!("line {line}: {reason}"),
                row => format!("line {line} (spreadsheet row {row}): {reason}"),
            }),
            Expected::Made { .. } => None,
        })
        .collect();
    assert_eq!(run.refusals(), lines, "stderr:\n{}", run.stderr);
    assert_eq!(run.notes(), notes, "stderr:\n{}", run.stderr);
    assert!(
        !run.stderr.contains(['\r', '\u{1b}']),
        "a progress bar on a pipe: {:?}",
        run.stderr
    );

    // Exactly the files expected: two per person, the banner, the gallery, the report.
    let mut files = vec![
        "banner.png".to_owned(),
        "index.html".to_owned(),
        "report.csv".to_owned(),
    ];
    for e in &made {
        if let Expected::Made { slug, .. } = e {
            files.push(format!("{slug}.html"));
            files.push(format!("{slug}.txt"));
        }
    }
    files.sort();
    assert_eq!(names(&run.out), files);

    // report.csv: every record once, in input order, made (with its files) or refused (why).
    let report: Vec<ReportLine> = rows
        .iter()
        .map(|r| ReportLine {
            line: r.line,
            status: r.status.clone(),
            name: r.name.clone(),
            files: r.files.clone(),
            reason: r.reason.clone(),
        })
        .collect();
    let want: Vec<ReportLine> = expected
        .iter()
        .map(|e| match e {
            Expected::Made {
                line, name, slug, ..
            } => ReportLine {
                line: *line,
                status: "made".into(),
                name: as_text(name),
                files: format!("{slug}.html {slug}.txt"),
                reason: String::new(),
            },
            Expected::Refused { line, name, reason } => ReportLine {
                line: *line,
                status: "refused".into(),
                name: as_text(name),
                files: String::new(),
                reason: reason.clone(),
            },
        })
        .collect();
    assert_eq!(report, want);

    // Each signature: the person, their title, their unit's contact line and no other.
    for e in &made {
        if let Expected::Made {
            name,
            title,
            slug,
            contact,
            ..
        } = e
        {
            assert_signature(&run.out, name, title, slug, *contact);
        }
    }

    assert_gallery(&run.out, expected);
}

fn assert_signature(out: &Path, name: &str, title: &str, slug: &str, contact: Contact) {
    let html = read(out.join(format!("{slug}.html")));
    assert!(
        html.contains(&format!("<title>Email signature: {}</title>", escape(name))),
        "{slug}.html: {}",
        brief(&html)
    );
    assert!(
        html.contains(&format!(">{}</td>", escape(name))),
        "{slug}.html names {name:?}"
    );
    assert!(
        html.contains(&format!(">{}</td>", escape(title))),
        "{slug}.html has the title {title:?}"
    );
    assert!(html.contains(&format!("href=\"mailto:{}\"", contact.email())));
    assert!(!html.contains(contact.other().email()), "{slug}.html");
    assert_eq!(
        html.matches("data:image/png;base64,").count(),
        1,
        "{slug}.html inlines the banner once"
    );

    let txt = read(out.join(format!("{slug}.txt")));
    assert!(
        txt.starts_with(&format!("-- \n{name}\n{title}\n")),
        "{slug}.txt: {txt}"
    );
    let unwrapped = txt.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(unwrapped.contains(contact.sentence()), "{slug}.txt: {txt}");
    assert!(!txt.contains(contact.other().email()), "{slug}.txt");
}

/// index.html: one card per person made, in input order, each drawn from a skeleton that
/// shows banner.png; the refused rows first, with row, name and reason; the counts; the
/// banner's bytes on the page at most once (for copying), never once per card. (How the
/// cards render is checked in Chromium: `the_gallery_shows_every_card_and_its_banner_in_a_browser`.)
fn assert_gallery(out: &Path, expected: &[Expected]) {
    let page = read(out.join("index.html"));
    let gallery = Gallery::parse(&page);
    let cards: Vec<(String, String)> = gallery
        .people
        .iter()
        .map(|p| (p["s"].as_str().unwrap().to_owned(), p["l"].to_string()))
        .collect();
    for skeleton in gallery.skeletons["cards"].as_array().unwrap() {
        let html = skeleton["h"].as_str().unwrap();
        assert_eq!(html.matches("<img").count(), 1, "{html}");
        assert!(html.contains(r#"<img src="banner.png""#), "{html}");
    }
    for person in &gallery.people {
        let entry = person.to_string();
        assert!(
            entry.len() < 4096 && !entry.contains("data:"),
            "the entry of {} is {} bytes: is the banner inlined per card?",
            person["s"],
            entry.len()
        );
    }
    let want: Vec<(String, String)> = expected
        .iter()
        .filter_map(|e| match e {
            Expected::Made { line, slug, .. } => Some((slug.clone(), line.to_string())),
            Expected::Refused { .. } => None,
        })
        .collect();
    assert_eq!(cards, want, "gallery cards (id, line)");
    let refused: Vec<(String, String)> = expected
        .iter()
        .filter_map(|e| match e {
            Expected::Refused { name, reason, .. } => Some((name.clone(), reason.clone())),
            Expected::Made { .. } => None,
        })
        .collect();
    let shown: Vec<(String, String)> = gallery
        .refused
        .iter()
        .map(|r| (r[2].clone(), r[3].clone()))
        .collect();
    assert_eq!(shown, refused, "the gallery's refused rows (name, reason)");
    assert_eq!(
        gallery.counts,
        (
            want.len() as u64,
            refused.len() as u64,
            expected.len() as u64
        ),
        "the gallery's counts (made, refused, rows)"
    );
    assert!(
        page.matches("data:").count() <= 1,
        "index.html holds {} data: URIs",
        page.matches("data:").count()
    );

    let banner = std::fs::read(out.join("banner.png")).unwrap();
    assert!(
        banner.starts_with(b"\x89PNG\r\n\x1a\n"),
        "banner.png is a PNG"
    );
    if let Some((slug, _)) = want.first() {
        let html = read(out.join(format!("{slug}.html")));
        assert!(
            inlined_banner(&html) == banner,
            "banner.png is the banner the signatures inline"
        );
    }
}

/// What the gallery page holds, parsed: the people's data, the skeletons, the refused
/// rows' cells and the counts (made, refused, rows).
struct Gallery {
    people: Vec<serde_json::Value>,
    skeletons: serde_json::Value,
    refused: Vec<Vec<String>>,
    counts: (u64, u64, u64),
}

impl Gallery {
    fn parse(page: &str) -> Gallery {
        let doc = scraper::Html::parse_document(page);
        let one = |css: &str| {
            doc.select(&scraper::Selector::parse(css).unwrap())
                .next()
                .unwrap_or_else(|| panic!("the gallery has {css}"))
        };
        let json = |css: &str| -> serde_json::Value {
            serde_json::from_str(&one(css).text().collect::<String>()).unwrap()
        };
        let people = json("script#sigblock-people").as_array().unwrap().clone();
        let skeletons = json("script#sigblock-skeletons");
        let refused = doc
            .select(&scraper::Selector::parse("#refused tr[data-row]").unwrap())
            .map(|tr| {
                tr.select(&scraper::Selector::parse("td").unwrap())
                    .map(|td| td.text().collect::<String>())
                    .collect()
            })
            .collect();
        let counts = one("#counts");
        let count = |name: &str| counts.value().attr(name).unwrap().parse().unwrap();
        Gallery {
            people,
            skeletons,
            refused,
            counts: (
                count("data-made"),
                count("data-refused"),
                count("data-total"),
            ),
        }
    }
}

/// A run that must stop before writing: exit 2, one error line, no stdout, and `--out`
/// neither created (when missing) nor touched (when it exists).
fn assert_fatal(csv: &Path, message: &str) {
    let (tmp, out) = fresh_out();
    let run = batch(csv, &out);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, format!("{message}\n"));
    assert!(!out.exists(), "--out was created: {:?}", names(&out));
    assert_eq!(names(tmp.path()), Vec::<String>::new());

    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep.txt"), "HR's own file").unwrap();
    let before = contents(&out);
    let again = batch(csv, &out);
    assert_eq!(again.code, Some(2), "{}", again.stderr);
    assert!(contents(&out) == before, "--out changed: {:?}", names(&out));
}

/// Every file in a folder (not recursive) and its bytes.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    names(dir)
        .into_iter()
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).unwrap();
            (n, bytes)
        })
        .collect()
}

/// HTML text escaping as the templates do it (five characters).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// An HTML page for a failure message: the inlined banner's base64 left out.
fn brief(html: &str) -> String {
    match html.find("data:image/png;base64,") {
        Some(start) => {
            let rest = &html[start + 22..];
            let end = rest.find('"').unwrap_or(rest.len());
            format!("{}data:image/png;base64,…{}", &html[..start], &rest[end..])
        }
        None => html.to_owned(),
    }
}

#[test]
fn gallery_cards_link_only_the_formats_that_were_made() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    std::fs::write(&csv, "name,title,unit\nAna Ruiz,Analyst,CTRT\n").unwrap();
    let out = dir.path().join("out");
    common::sigblock()
        .args([
            "batch",
            "--date",
            common::IN_CAMPAIGN,
            "--format",
            "eml,text",
            "--out",
        ])
        .arg(&out)
        .arg(&csv)
        .assert()
        .success();
    // Each card links the person's slug followed by the endings of the files made.
    let gallery = Gallery::parse(&common::read(out.join("index.html")));
    assert_eq!(gallery.people[0]["s"], "ana-ruiz");
    assert!(gallery.people[0].get("f").is_none(), "the usual files");
    assert_eq!(
        gallery.skeletons["files"],
        serde_json::json!([".txt", ".eml"]),
        "no link to a file not made"
    );
    assert!(!out.join("ana-ruiz.html").exists());
}
