//! Fonts in every output, as Word's HTML engine (classic Outlook) reads them (issue 20).
//!
//! Word does not reliably carry a `<table>`'s font into its cells and falls back to Times
//! New Roman, so every cell and link that holds text declares its own font, size, colour
//! and line height (`templates/styles.html`):
//!
//! - Every output is parsed (the `.html`, Outlook's `.htm`, the reply variant, the `.eml`'s
//!   HTML part, the clipboard fragment, install's `.htm` files, the batch gallery's
//!   cards): no text node is in a cell, or a link, that lacks one of the four.
//! - A Word-like engine renders them: LibreOffice Writer (Debian's
//!   `libreoffice-writer-nogui`) converts the `.htm` and the `.html` to PDF, and
//!   `pdffonts` (poppler-utils) lists no serif face. The signature as it was before
//!   (the font on the table alone) is rendered too, and does come out serif: the check
//!   can fail.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::{fragment_of, require, run_with_timeout, sigblock, Run, ANA, IN_CAMPAIGN, LI};
use scraper::{ElementRef, Html, Node, Selector};

/// What every cell and link that holds text must say for itself.
const DECLARED: [&str; 4] = ["font-family:", "font-size:", "color:", "line-height:"];

/// Fails, naming the output and the text, where a text node's cell (or a link on its way
/// to the cell) does not declare all of [`DECLARED`]. Returns how many texts it checked.
fn assert_every_text_declares_its_font(html: &str, what: &str) -> usize {
    let page = Html::parse_document(html);
    let body = page
        .select(&Selector::parse("body").unwrap())
        .next()
        .expect("a <body>");
    let mut texts = 0;
    for node in body.descendants() {
        let Node::Text(text) = node.value() else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        texts += 1;
        let mut cell = None;
        for ancestor in node.ancestors().filter_map(ElementRef::wrap) {
            let name = ancestor.value().name();
            if matches!(name, "a" | "td") {
                let style = ancestor.value().attr("style").unwrap_or("");
                for wanted in DECLARED {
                    assert!(
                        style.contains(wanted),
                        "{what}: the <{name}> holding {:?} does not declare {wanted} \
                         (style=\"{style}\")",
                        text.trim()
                    );
                }
            }
            if name == "td" {
                cell = Some(ancestor);
                break;
            }
        }
        assert!(
            cell.is_some(),
            "{what}: {:?} is not in a table cell",
            text.trim()
        );
    }
    texts
}

/// Runs sigblock in a new folder with `args` (and the day in the campaign, no
/// clipboard); the folder and the run.
fn made(args: &[&str]) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    let output = sigblock()
        .current_dir(dir.path())
        .args(args)
        .args(["--date", IN_CAMPAIGN, "--no-clipboard"])
        .output()
        .unwrap();
    let run = Run::from(output);
    run.expect_code(0);
    (dir, run)
}

fn read(path: impl AsRef<Path>) -> String {
    crate::common::read(path)
}

#[test]
fn every_text_of_every_output_sits_in_a_cell_that_declares_its_font() {
    let mut checked = Vec::new();
    let mut check = |html: &str, what: String| {
        let texts = assert_every_text_declares_its_font(html, &what);
        assert!(texts >= 3, "{what}: only {texts} texts: {html}");
        checked.push(what);
    };
    for (person, slug) in [(ANA, "ana-ruiz"), (LI, "li-wei")] {
        let mut args = person.to_vec();
        args.extend(["--format", "html,eml,outlook,reply"]);
        let (dir, _) = made(&args);
        let file = |ending: &str| dir.path().join(format!("{slug}{ending}"));
        for ending in [".html", ".htm", ".reply.html"] {
            check(&read(file(ending)), format!("{slug}{ending}"));
        }
        // What is pasted and put on the clipboard: the document's one table.
        let html = read(file(".html"));
        let fragment = format!("<body>{}</body>", fragment_of(&html));
        check(&fragment, format!("{slug}: the clipboard's fragment"));
        let eml = std::fs::read(file(".eml")).unwrap();
        let message = mail_parser::MessageParser::default().parse(&eml).unwrap();
        let part = message.body_html(0).expect("an HTML part");
        check(&part, format!("{slug}.eml's HTML part"));
    }

    // The gallery's cards: the skeletons every card is drawn from.
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("staff.csv");
    std::fs::write(
        &csv,
        "name,title,unit,email,phone\nAna Ruiz,Analyst,CTRT,ana@dss.ca.gov,(916) 555-0100\n\
         Li Wei,Case Worker,RPB,,\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    crate::common::batch(&csv, &out, &[]).expect_code(0);
    let page = Html::parse_document(&read(out.join("index.html")));
    let json = page
        .select(&Selector::parse("script#sigblock-skeletons").unwrap())
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    let skeletons: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cards = skeletons["cards"].as_array().unwrap();
    assert!(
        cards.len() >= 2,
        "a skeleton per unit and email/phone: {cards:?}"
    );
    for (i, card) in cards.iter().enumerate() {
        let html = format!("<body>{}</body>", card["h"].as_str().unwrap());
        check(&html, format!("the gallery's card skeleton {i}"));
    }

    // install's files, the plain set's and a mailbox's (the library, as on Windows).
    use sigblock::install::names::Mailbox;
    use sigblock::install::{plan, Parts};
    use sigblock::output::templates::Templates;
    let directory = sigblock::units::Directory::embedded();
    let person = sigblock::person::PersonInput {
        name: "Ana Ruiz".into(),
        title: "Program Analyst".into(),
        unit: "CTRT".into(),
        email: Some("ana.ruiz@dss.ca.gov".into()),
        phone: Some("(916) 555-0100".into()),
    }
    .validate(&directory)
    .unwrap();
    let templates = Templates::new();
    let mailboxes = [Mailbox::new("ana.ruiz@dss.ca.gov").unwrap()];
    let banner = sigblock::banner::Banner {
        png: b"\x89PNG not really".to_vec(),
        width: 600,
        height: 100,
        alt: "The campaign".into(),
        text: "The campaign".into(),
    };
    let picture = sigblock::output::Picture::new(banner, None);
    let plan = plan(
        "CDSS - Ana Ruiz",
        &Parts {
            templates: &templates,
            person: &person,
            organization: &directory.organization,
            picture: Some(&picture),
            mailboxes: &mailboxes,
        },
    );
    let pages: Vec<_> = plan
        .files
        .iter()
        .filter(|(name, _)| name.ends_with(".htm"))
        .collect();
    assert_eq!(pages.len(), 4, "plain, reply, and the mailbox's two");
    for (name, bytes) in pages {
        check(
            std::str::from_utf8(bytes).unwrap(),
            format!("install's {name}"),
        );
    }
    assert_eq!(checked.len(), 2 * 5 + cards.len() + 4, "{checked:?}");
}

/// The fonts of a PDF, as `pdffonts` lists them (its first column).
fn pdf_fonts(pdf: &Path) -> Vec<String> {
    let output = Command::new(require("pdffonts", "poppler-utils"))
        .arg(pdf)
        .output()
        .unwrap();
    assert!(output.status.success(), "pdffonts {}", pdf.display());
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .skip(2) // its header and the dashes under it
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// A serif face: Times, or a "Serif" that is not a "Sans".
fn serif(font: &str) -> bool {
    let font = font.to_ascii_lowercase();
    font.contains("times") || (font.contains("serif") && !font.contains("sans"))
}

/// Converts `pages` (in `dir`) to PDF with LibreOffice Writer, each as `<stem>.pdf` in
/// `dir/pdf`, with a profile of its own (parallel tests never share one).
fn writer_to_pdf(dir: &Path, pages: &[&str]) {
    let soffice = require("soffice", "libreoffice-writer-nogui");
    let mut cmd = Command::new(soffice);
    cmd.current_dir(dir)
        .arg("--headless")
        .arg("--norestore")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        // Writer's own HTML import (not Writer/Web), as a word processor reads a page.
        .arg("--infilter=HTML (StarWriter)")
        .args(["--convert-to", "pdf:writer_pdf_Export", "--outdir", "pdf"])
        .args(pages)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let status = run_with_timeout(cmd, Duration::from_secs(180), "soffice --convert-to pdf");
    assert!(status.success(), "soffice --convert-to pdf: {status}");
}

#[test]
fn libreoffice_writer_sets_the_htm_and_the_html_in_a_sans_face_not_times() {
    let mut args = ANA.to_vec();
    args.extend(["--format", "html,outlook,reply"]);
    let (dir, _) = made(&args);
    // The signature as it was before issue 20: the font on the table alone.
    const FACE: &str = "font-family:Arial,Helvetica,sans-serif;";
    let before = read(dir.path().join("ana-ruiz.htm"))
        .replace(FACE, "")
        .replace(
            "border-collapse:collapse;",
            &format!("border-collapse:collapse;{FACE}"),
        );
    assert_eq!(
        before.matches("font-family").count(),
        1,
        "the control keeps the table's font only"
    );
    std::fs::write(dir.path().join("table-font-only.htm"), before).unwrap();

    let pages = [
        "ana-ruiz.htm",
        "ana-ruiz.html",
        "ana-ruiz.reply.html",
        "table-font-only.htm",
    ];
    writer_to_pdf(dir.path(), &pages);
    for page in pages {
        let pdf = dir
            .path()
            .join("pdf")
            .join(Path::new(page).with_extension("pdf"));
        assert!(pdf.is_file(), "LibreOffice made no {}", pdf.display());
        let fonts = pdf_fonts(&pdf);
        assert!(!fonts.is_empty(), "{page}: no font in the PDF");
        let serifs: Vec<&String> = fonts.iter().filter(|f| serif(f)).collect();
        if page == "table-font-only.htm" {
            assert!(
                !serifs.is_empty(),
                "the control (font on the table only) should come out serif in a Word-like \
                 engine, as issue 20 measured; it gave {fonts:?}: this check cannot fail"
            );
        } else {
            assert!(
                serifs.is_empty(),
                "{page}: LibreOffice Writer set it in {serifs:?} (all: {fonts:?})"
            );
        }
    }
}
