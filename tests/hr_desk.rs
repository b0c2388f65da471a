//! HR's desk: `report.csv` opens right in Excel (BOM, CRLF, formulas as text, the row Excel
//! shows, enough of the person to tell two of one name apart), and the gallery shows what
//! went wrong first, gives counts, filters offline, copies every card exactly, and stays
//! small at 10,000 people.

use crate::common::{batch, browser, fragment_of, read, report};

/// The slug of a made row, from the report's files cell (`ana-ruiz.html ana-ruiz.txt`).
fn r_slug(files: &str) -> String {
    files
        .split(' ')
        .next()
        .unwrap()
        .trim_end_matches(".html")
        .to_owned()
}

#[test]
fn report_cells_that_excel_would_run_as_formulas_are_text_and_the_signatures_keep_them() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    std::fs::write(
        &csv,
        "name,title,unit,email\n\
         \"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Analyst,CTRT,\n\
         @SUM(1),=1+2,RPB,\n\
         +1 Jones,-Chief,CTRT,\n\
         -Dana,Analyst,=Payroll,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);

    // Excel by double-click: UTF-8 with a BOM, CRLF line ends.
    let raw = std::fs::read(out.join("report.csv")).unwrap();
    assert!(raw.starts_with(
        b"\xEF\xBB\xBFrow,line,status,name,title,unit,email,phone,files,reason,note\r\n"
    ));
    let rows = report(&out);
    let cell = |row: usize, column: usize| rows[row][column].to_owned();
    assert_eq!(cell(0, 3), "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(
        (cell(1, 3), cell(1, 4)),
        ("'@SUM(1)".into(), "'=1+2".into())
    );
    assert_eq!(
        (cell(2, 3), cell(2, 4)),
        ("'+1 Jones".into(), "'-Chief".into())
    );
    // A refused row's cells too, and its reason (which quotes the unit as typed).
    assert_eq!(cell(3, 2), "refused");
    assert_eq!(
        (cell(3, 3), cell(3, 5)),
        ("'-Dana".into(), "'=Payroll".into())
    );
    for row in &rows {
        for value in row.iter() {
            assert!(
                !value.starts_with(['=', '+', '-', '@']),
                "a cell Excel would run: {value:?}"
            );
        }
    }

    // The signatures show the names exactly as typed.
    let html = read(out.join("1-jones.html"));
    assert!(
        html.contains(">+1 Jones</td>") && html.contains(">-Chief</td>"),
        "{html}"
    );
    let text = read(out.join("sum-1.txt"));
    assert!(text.starts_with("-- \n@SUM(1)\n=1+2\n"), "{text}");
}

#[test]
fn rows_are_numbered_as_the_spreadsheet_shows_them_after_multi_line_cells() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    // Row 2 has a title over three lines; row 3 is blank in Excel (a blank line).
    std::fs::write(
        &csv,
        "name,title,unit\n\
         Ana Ruiz,\"Program\nAnalyst\nSenior\",CTRT\n\
         \n\
         Bo Li,Chief,Nowhere\n\
         Cy Ng,Analyst,RPB\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let rows = report(&out);
    let numbers: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (r[0].to_owned(), r[1].to_owned(), r[3].to_owned()))
        .collect();
    assert_eq!(
        numbers,
        [
            ("2".into(), "2".into(), "Ana Ruiz".into()),
            ("4".into(), "6".into(), "Bo Li".into()),
            ("5".into(), "7".into(), "Cy Ng".into()),
        ],
        "(row, line, name)"
    );
    // stderr says the same row.
    assert!(
        run.stderr
            .contains("line 6 (spreadsheet row 4): unit: \"Nowhere\" is not a known unit"),
        "{}",
        run.stderr
    );
    // The gallery's refused rows too.
    let page = read(out.join("index.html"));
    assert!(
        page.contains("<tr data-row=\"4\"><td>4</td><td>6</td><td dir=\"auto\">Bo Li</td>"),
        "refused row in the gallery"
    );
}

#[test]
fn people_who_share_a_name_are_told_apart_by_title_unit_email_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    std::fs::write(
        &csv,
        "name,title,unit,email\n\
         Ana Ruiz,Program Analyst,CTRT,ana.ruiz@dss.ca.gov\n\
         Bo Li,Chief,RPB,\n\
         ANA RUIZ,Case Worker,RPB,ana.ruiz2@dss.ca.gov\n\
         Ana  Ruíz,Clerk,Payroll,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let rows = report(&out);
    let view: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| vec![&r[0], &r[2], &r[3], &r[4], &r[5], &r[6], &r[8], &r[10]])
        .collect();
    assert_eq!(
        view,
        [
            vec![
                "2",
                "made",
                "Ana Ruiz",
                "Program Analyst",
                "CTRT",
                "ana.ruiz@dss.ca.gov",
                "ana-ruiz.html ana-ruiz.txt",
                ""
            ],
            vec![
                "3",
                "made",
                "Bo Li",
                "Chief",
                "RPB",
                "",
                "bo-li.html bo-li.txt",
                ""
            ],
            vec![
                "4",
                "made",
                "ANA RUIZ",
                "Case Worker",
                "RPB",
                "ana.ruiz2@dss.ca.gov",
                "ana-ruiz-2.html ana-ruiz-2.txt",
                "same name as row 2"
            ],
            vec![
                "5",
                "refused",
                "Ana  Ruíz",
                "Clerk",
                "Payroll",
                "",
                "",
                "same name as row 2"
            ],
        ]
    );
}

#[test]
fn the_gallery_shows_refused_rows_first_counts_per_unit_and_every_card_copies_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    std::fs::write(
        &csv,
        "name,title,unit,email,phone\n\
         Ana Ruiz,Program Analyst,CTRT,ana.ruiz@dss.ca.gov,(916) 555-0100\n\
         Bad Unit,Clerk,Nowhere,,\n\
         Zoë <Ångström> & \"Co\",Social Worker,RPB,,916-555-0199 ext 4\n\
         Lee Chen,Manager,ctrt,lee.chen@dss.ca.gov,\n\
         Max Longname-Featherstonehaugh-Cholmondeley-Marjoribanks-Wolstenholme-Smythe,Analyst,ATU,,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("made 4 of 5 signatures"),
        "{}",
        run.stdout
    );

    // Static: the counts (the same as the summary line), then the refused rows, then the cards.
    let page = read(out.join("index.html"));
    let doc = scraper::Html::parse_document(&page);
    let counts = doc
        .select(&scraper::Selector::parse("#counts").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        [
            counts.value().attr("data-made"),
            counts.value().attr("data-refused"),
            counts.value().attr("data-total")
        ],
        [Some("4"), Some("1"), Some("5")]
    );
    let units: Vec<(String, String)> = doc
        .select(&scraper::Selector::parse("#counts tr.unit").unwrap())
        .map(|tr| {
            (
                tr.value().attr("data-unit").unwrap().to_owned(),
                tr.value().attr("data-made").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("Asylee and Trafficking Unit".into(), "1".into()),
            ("Child Trafficking Response Team".into(), "2".into()),
            ("Refugee Programs Bureau".into(), "1".into()),
        ]
    );
    let refused = page.find("id=\"refused\"").expect("a refused table");
    assert!(
        refused < page.find("id=\"cards\"").unwrap(),
        "refused rows come first"
    );

    // In Chromium: every card's "Copy signature" payload is exactly that person's
    // signature (banner inlined) and text; the refused row is shown with its reason.
    // Each person's own signature (the fragment in `<slug>.html`), for the page to
    // compare with what it copies, both read by the same browser.
    let mut own = serde_json::Map::new();
    for line in report(&out).iter().filter(|r| &r[2] == "made") {
        let slug = r_slug(&line[8]);
        let document = read(out.join(format!("{slug}.html")));
        let fragment = fragment_of(&document).to_owned();
        own.insert(slug, fragment.into());
    }
    let probe = format!(
        r##"
const OWN = {};
window.addEventListener("load", () => {{
  const cards = [...document.querySelectorAll("section.card")];
  const parsed = (html) => {{ const t = document.createElement("template"); t.innerHTML = html; return t.innerHTML.trim(); }};
  document.body.setAttribute("data-probe", JSON.stringify({{
    errors: window.__errors,
    cards: cards.map(c => ({{ id: c.id, row: c.dataset.row,
      same: signatureHtml(c) === parsed(OWN[c.id]), copied: signatureHtml(c),
      text: c.querySelector("template.txt").content.textContent,
      links: [...c.querySelectorAll("header a")].map(a => a.getAttribute("href")) }})),
    refused: [...document.querySelectorAll("#refused tr[data-row]")].map(r => r.textContent),
  }}));
}});"##,
        serde_json::Value::Object(own)
            .to_string()
            .replace('<', "\\u003c")
    );
    let result = browser::probe(&out.join("index.html"), &probe);
    let cards = result["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 4);
    for card in cards {
        let slug = card["id"].as_str().unwrap();
        assert_eq!(
            card["same"], true,
            "{slug}: the copied HTML is not the signature: {}",
            card["copied"]
        );
        assert!(card["copied"]
            .as_str()
            .unwrap()
            .contains("src=\"data:image/png;base64,"));
        assert_eq!(
            card["text"],
            read(out.join(format!("{slug}.txt"))),
            "{slug}: the copied text"
        );
        assert_eq!(
            card["links"],
            serde_json::json!([format!("{slug}.html"), format!("{slug}.txt")])
        );
    }
    assert_eq!(cards[1]["id"], "zoe-angstrom-co");
    assert_eq!(
        result["refused"][0].as_str().unwrap(),
        "33Bad Unitunit: \"Nowhere\" is not a known unit; known units: Child Trafficking \
         Response Team (CTRT, CSEC, CSEC Program, CFSD/CTRT), Child Trafficking Program Support \
         Unit (CTPSU), Refugee Programs Bureau (RPB, Refugee Programs Branch), Asylee and \
         Trafficking Unit (ATU, Asylee & Trafficking Unit)"
    );
}

#[test]
fn the_gallery_filter_finds_people_by_name_or_unit_offline() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    let mut text = String::from("name,title,unit\n");
    for i in 0..300 {
        let unit = ["CTRT", "RPB", "ATU"][i % 3];
        text.push_str(&format!("Person {i:03},Analyst,{unit}\n"));
    }
    text.push_str("Zoë Núñez,Analyst,RPB\nBad One,Analyst,Nowhere\n");
    std::fs::write(&csv, text).unwrap();
    let out = dir.path().join("out");
    let run = batch(&csv, &out, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let probe = r##"
window.addEventListener("load", async () => {
  const filter = document.getElementById("filter");
  const count = () => document.querySelectorAll("section.card").length;
  const visibleRefused = () => [...document.querySelectorAll("#refused tr[data-row]")].filter(r => !r.hidden).length;
  // Typing, then the time the page takes to draw every card that matches.
  const type = async (text) => {
    filter.value = text;
    filter.dispatchEvent(new Event("input"));
    await new Promise(done => setTimeout(done, 300));
  };
  const seen = { before: count() };
  await type("núñez"); seen.byName = [...document.querySelectorAll("section.card")].map(c => c.id); seen.refusedByName = visibleRefused();
  await type("asylee"); seen.byUnit = count(); seen.shown = document.getElementById("shown").textContent;
  await type("bad one"); seen.refused = visibleRefused(); seen.cardsForBad = count();
  await type(""); seen.after = count();
  document.body.setAttribute("data-probe", JSON.stringify({ errors: window.__errors, seen }));
});"##;
    let result = browser::probe(&out.join("index.html"), probe);
    let seen = &result["seen"];
    assert_eq!(seen["byName"], serde_json::json!(["zoe-nunez"]), "{result}");
    assert_eq!(seen["refusedByName"], 0, "{result}");
    assert_eq!(seen["byUnit"], 100, "{result}");
    assert_eq!(seen["shown"], "100 of 301 shown", "{result}");
    assert_eq!(
        (seen["refused"].as_u64(), seen["cardsForBad"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(seen["after"], 301, "every card again: {result}");
}

/// What takes the debug build too long for every `cargo test`: `.ci/run` runs these with
/// the release build (`cargo test --release --test tests -- --ignored release_checks::`).
mod release_checks {
    use super::*;

    #[test]
    #[ignore = "release-mode check: .ci/run runs it with --profile checks"]
    fn a_gallery_of_10000_people_is_small_and_draws_its_first_cards_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("staff.csv");
        let mut text = String::from("name,title,unit,email,phone\n");
        for i in 0..10_000 {
            let unit = ["CTRT", "RPB", "ATU", "CTPSU"][i % 4];
            text.push_str(&format!(
                "Person {i:05} Núñez,Program Analyst {},{unit},person{i}@dss.ca.gov,(916) 555-{:04}\n",
                i % 7,
                i % 10_000
            ));
        }
        std::fs::write(&csv, text).unwrap();
        let out = dir.path().join("out");
        let run = batch(&csv, &out, &[]);
        assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
        let size = std::fs::metadata(out.join("index.html")).unwrap().len();
        assert!(
            size <= 5 * 1024 * 1024,
            "index.html is {size} bytes for 10,000 people"
        );
        let probe = r##"
    window.addEventListener("load", () => {
      const first = performance.getEntriesByName("sigblock-first-cards")[0];
      document.body.setAttribute("data-probe", JSON.stringify({
        errors: window.__errors,
        firstCards: first ? first.startTime : null,
        drawnAtLoad: document.querySelectorAll("section.card").length,
        people: PEOPLE.length,
      }));
    });"##;
        let result = browser::probe(&out.join("index.html"), probe);
        assert_eq!(result["people"], 10_000, "{result}");
        assert!(result["drawnAtLoad"].as_u64().unwrap() >= 60, "{result}");
        assert!(result["firstCards"].is_number(), "{result}");
    }
}
