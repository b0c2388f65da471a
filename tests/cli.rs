//! The one-person command line, through the real binary: what a staff member types and
//! what they get back (README.md, "Reference: usage"). Each test is one user story.
//!
//! Every run passes `--date` (a day inside the campaign, unless the story is about dates)
//! and `--no-clipboard` (tests/clipboard.rs covers the clipboard), and writes into its own
//! temporary folder.

use std::path::{Path, PathBuf};

use crate::common::{
    files_under, fragment_of, inlined_banner, names, read, sigblock, Run, ANA, IN_CAMPAIGN, LI,
};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// The longest a plain-text line may be (RFC 3676).
const TEXT_COLUMNS: usize = 72;

// ---------------------------------------------------------------------------------------
// Helpers: run the binary, find what it wrote, read the data files it is built from.

/// One run of `sigblock` in a fresh temporary working folder: the folder, and the
/// [`Run`] (which it derefs to: `code`, `stdout`, `stderr`, `expect_code`).
struct InFolder {
    /// The working folder (the process's current directory).
    dir: TempDir,
    run: Run,
}

impl std::ops::Deref for InFolder {
    type Target = Run;

    fn deref(&self) -> &Run {
        &self.run
    }
}

impl InFolder {
    /// Runs `sigblock ARGS` in a new empty folder, with nothing added.
    fn raw(args: &[&str]) -> InFolder {
        let dir = TempDir::new().unwrap();
        let output = sigblock()
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        InFolder {
            dir,
            run: Run::from(output),
        }
    }

    /// Runs `sigblock ARGS --date <in campaign> --no-clipboard` in a new empty folder.
    fn new(args: &[&str]) -> InFolder {
        let mut all = args.to_vec();
        if !args.contains(&"--date") {
            all.extend(["--date", IN_CAMPAIGN]);
        }
        all.push("--no-clipboard");
        InFolder::raw(&all)
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Every file under the working folder, relative to it, sorted; sigblock's own
    /// record folders left out.
    fn all_files(&self) -> Vec<String> {
        files_under(self.dir.path())
    }

    /// Every entry (file or folder) directly in the working folder.
    fn entries(&self) -> Vec<String> {
        names(self.dir.path())
    }
}

/// A signature made for one person into `<tmp>/out`: the run and both files' contents.
struct Signature {
    run: InFolder,
    slug: String,
    html: String,
    text: String,
}

impl Signature {
    /// Makes the signature for `args` (a person) and reads back the one .html and .txt.
    fn make(args: &[&str]) -> Signature {
        let mut all = args.to_vec();
        all.extend(["--out", "out"]);
        let run = InFolder::new(&all);
        run.expect_code(0);
        let files = names(run.path("out"));
        assert_eq!(files.len(), 2, "one .html and one .txt, got {files:?}");
        let slug = files[0]
            .strip_suffix(".html")
            .unwrap_or_else(|| panic!("an .html file, got {files:?}"))
            .to_owned();
        assert_eq!(files[1], format!("{slug}.txt"));
        let html = read(run.path(&format!("out/{slug}.html")));
        let text = read(run.path(&format!("out/{slug}.txt")));
        Signature {
            run,
            slug,
            html,
            text,
        }
    }

    fn document(&self) -> Html {
        Html::parse_document(&self.html)
    }

    /// The signature fragment: what the document's body holds (and the clipboard gets).
    fn fragment(&self) -> &str {
        fragment_of(&self.html)
    }

    /// The text of every `<td>` in the signature table, in order.
    fn cells(&self) -> Vec<String> {
        self.document()
            .select(&selector("table td"))
            .map(|td| td.text().collect::<String>())
            .collect()
    }

    /// The name cell: the first cell of the signature table.
    fn name_cell(&self) -> String {
        self.cells().into_iter().next().expect("a name cell")
    }

    /// The `<img>` elements of the document.
    fn images(&self) -> usize {
        self.document().select(&selector("img")).count()
    }

    /// The plain text's paragraphs (split at blank lines), each unwrapped onto one line.
    fn paragraphs(&self) -> Vec<String> {
        unwrapped_paragraphs(&self.text)
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// Paragraphs of a wrapped plain text, each put back on one line.
fn unwrapped_paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.lines().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// The one error line of a refused run, checked: exit 2, nothing written anywhere in the
/// working folder, exactly one `error:` line, and no raw control character in it.
fn refused(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--out", "out"]);
    let run = InFolder::new(&all);
    let stderr = &run.stderr;
    assert_eq!(
        run.code,
        Some(2),
        "refusal exits 2 for {args:?}\n--- stderr\n{stderr}"
    );
    assert!(
        run.entries().is_empty(),
        "nothing is written on refusal of {args:?}, found {:?}",
        run.all_files()
    );
    assert!(
        run.stdout.is_empty(),
        "nothing said on stdout: {}",
        run.stdout
    );
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "one error line, got:\n{stderr}");
    let error = errors[0];
    // What follows the error line must not be a continuation of it (a raw line break in
    // the value would put the rest of the message on the next line).
    let after: Vec<&str> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("error:"))
        .skip(1)
        .collect();
    assert!(after.is_empty(), "the error is one line, got:\n{stderr}");
    assert!(
        !error.chars().any(char::is_control),
        "control characters are shown escaped: {error:?}"
    );
    error.to_owned()
}

/// A data file of the project (assets/...), parsed.
fn asset(name: &str) -> toml::Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name);
    read(&path)
        .parse()
        .unwrap_or_else(|e| panic!("{} parses: {e}", path.display()))
}

fn asset_str(table: &toml::Table, key: &str) -> String {
    table[key].as_str().expect("a string").to_owned()
}

/// The contact line for `key` in assets/units.toml, as the signatures write it.
fn contact_line(key: &str) -> (String, String) {
    let units = asset("units.toml");
    let contact = units["contact"][key].as_table().expect("a contact table");
    let line = format!(
        "{}, please contact the {} at {}.",
        asset_str(contact, "about"),
        asset_str(contact, "team"),
        asset_str(contact, "email")
    );
    (line, asset_str(contact, "email"))
}

/// The campaign's alt text and banner text line (assets/campaign.toml).
fn campaign() -> (String, String) {
    let campaign = asset("campaign.toml");
    (asset_str(&campaign, "alt"), asset_str(&campaign, "text"))
}

/// Display columns of a line, as a terminal or a fixed-width mail reader counts them:
/// East Asian wide characters and emoji take two, combining marks none, the rest one.
/// (A subset of Unicode's East Asian Width, enough for the names tested here.)
fn columns(line: &str) -> usize {
    line.chars()
        .map(|c| match c as u32 {
            0x0300..=0x036F | 0x0591..=0x05BD | 0x064B..=0x065F | 0x200B..=0x200F => 0,
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x1F300..=0x1F64F
            | 0x1F900..=0x1F9FF
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

fn assert_wrapped(text: &str) {
    for line in text.lines() {
        assert!(
            columns(line) <= TEXT_COLUMNS,
            "a line of {} columns (at most {TEXT_COLUMNS}): {line:?}\n--- text\n{text}",
            columns(line)
        );
    }
}

/// The signature HTML with the base64 PNG replaced: readable, and not tied to PNG bytes.
fn without_png_payload(html: &str) -> String {
    const PREFIX: &str = "data:image/png;base64,";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(PREFIX) {
        let start = at + PREFIX.len();
        let end = start
            + rest[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
                .unwrap_or(rest.len() - start);
        out.push_str(&rest[..start]);
        out.push_str("<BASE64 PNG>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------
// Files: where they go and what stdout says.

#[test]
fn staff_member_gets_html_and_text_files_named_after_them() {
    let run = InFolder::new(ANA);
    run.expect_code(0);
    assert_eq!(run.entries(), ["ana-ruiz.html", "ana-ruiz.txt"]);
    let stdout = &run.stdout;
    for file in ["ana-ruiz.html", "ana-ruiz.txt"] {
        assert!(
            stdout.lines().any(|l| l.contains(file)),
            "stdout names {file}:\n{stdout}"
        );
    }
}

#[test]
fn staff_member_can_choose_a_nested_output_folder_that_does_not_exist_yet() {
    let mut args = ANA.to_vec();
    args.extend(["--out", "signatures/2027/january"]);
    let run = InFolder::new(&args);
    run.expect_code(0);
    assert_eq!(
        run.all_files(),
        [
            "signatures/2027/january/ana-ruiz.html",
            "signatures/2027/january/ana-ruiz.txt"
        ]
    );
    // The files by name, the folder once and in full, so a newcomer can find it.
    assert_eq!(
        run.stdout,
        format!(
            "wrote ana-ruiz.html and ana-ruiz.txt in {}\n",
            run.path("signatures/2027/january").display()
        )
    );
}

#[test]
fn making_the_signature_again_replaces_the_files_and_leaves_nothing_else() {
    let mut args = ANA.to_vec();
    args.extend(["--out", "out"]);
    let run = InFolder::new(&args);
    run.expect_code(0);
    let first = read(run.path("out/ana-ruiz.html"));
    let again = sigblock()
        .current_dir(run.dir.path())
        .args(&args)
        .args(["--date", IN_CAMPAIGN, "--no-clipboard"])
        .output()
        .unwrap();
    assert!(again.status.success());
    assert_eq!(names(run.path("out")), ["ana-ruiz.html", "ana-ruiz.txt"]);
    assert_eq!(
        read(run.path("out/ana-ruiz.html")),
        first,
        "same input, same file"
    );
}

#[test]
fn an_output_folder_that_cannot_be_made_is_refused_naming_it_once() {
    // A file stands where the folder should go.
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("taken"), "a file").unwrap();
    let mut args = ANA.to_vec();
    args.extend([
        "--out",
        "taken/signatures",
        "--date",
        IN_CAMPAIGN,
        "--no-clipboard",
    ]);
    let output = sigblock()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let error = stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("an error line:\n{stderr}"));
    // In words, once, with the way out: no OS error number.
    assert_eq!(
        error,
        "error: cannot write into taken/signatures: taken is a file, not a folder; \
         choose another --out"
    );
    assert_eq!(names(dir.path()), ["taken"]);
}

// ---------------------------------------------------------------------------------------
// The HTML signature.

#[test]
fn html_signature_is_a_complete_utf8_document_around_the_signature_table() {
    let sig = Signature::make(ANA);
    let html = &sig.html;
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert!(html.trim_end().ends_with("</html>"));
    let fragment = sig.fragment();
    assert!(
        fragment.starts_with("<table") && fragment.ends_with("</table>"),
        "the body is the signature table:\n{fragment}"
    );
    let document = sig.document();
    assert_eq!(document.select(&selector("body > table")).count(), 1);
    let title: String = document
        .select(&selector("title"))
        .next()
        .expect("a <title>")
        .text()
        .collect();
    assert!(title.contains("Ana Ruiz"), "{title}");
    // Email clients keep tables and inline styles only (docs/EMAIL-CLIENTS.md).
    for banned in ["<style", "<svg", "srcset", "display:flex", "<script"] {
        assert!(!fragment.contains(banned), "the fragment has {banned}");
    }
}

#[test]
fn html_banner_is_a_600_by_100_image_that_says_what_the_banner_says() {
    let sig = Signature::make(ANA);
    let document = sig.document();
    let images: Vec<_> = document.select(&selector("img")).collect();
    assert_eq!(images.len(), 1, "one banner image");
    let img = images[0];
    assert_eq!(img.attr("width"), Some("600"));
    assert_eq!(img.attr("height"), Some("100"));
    let (alt, _) = campaign();
    assert_eq!(img.attr("alt"), Some(alt.as_str()));
    let style: String = img
        .attr("style")
        .expect("an inline style")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for rule in ["display:block", "border:0", "width:600px"] {
        assert!(
            style.split(';').any(|r| r == rule),
            "style has {rule}: {style}"
        );
    }
    assert!(img
        .attr("src")
        .unwrap()
        .starts_with("data:image/png;base64,"));
}

#[test]
fn html_banner_is_inlined_as_a_1200_by_200_png() {
    let sig = Signature::make(ANA);
    let png = inlined_banner(&sig.html);
    let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
        .expect("the data URI holds a PNG");
    assert_eq!((image.width(), image.height()), (1200, 200));
}

#[test]
fn html_links_email_with_mailto_and_phone_with_tel() {
    let sig = Signature::make(ANA);
    let document = sig.document();
    let links: Vec<(String, String)> = document
        .select(&selector("a"))
        .map(|a| (a.attr("href").unwrap().to_owned(), a.text().collect()))
        .collect();
    assert!(
        links.contains(&(
            "mailto:ana.ruiz@dss.ca.gov".into(),
            "ana.ruiz@dss.ca.gov".into()
        )),
        "{links:?}"
    );
    assert!(
        links.contains(&("tel:+19165550100".into(), "(916) 555-0100".into())),
        "{links:?}"
    );
}

#[test]
fn html_signature_stays_under_32_kilobytes() {
    let sig = Signature::make(ANA);
    let size = sig.fragment().len();
    assert!(size < 32 * 1024, "the fragment is {size} bytes");
}

// ---------------------------------------------------------------------------------------
// The plain-text signature.

#[test]
fn text_signature_starts_with_the_dash_dash_space_separator() {
    let sig = Signature::make(ANA);
    assert_eq!(sig.text.lines().next(), Some("-- "), "{:?}", sig.text);
    assert!(sig.text.starts_with("-- \n"));
    assert!(
        sig.text.ends_with('\n') && !sig.text.ends_with("\n\n"),
        "ends with exactly one newline: {:?}",
        sig.text
    );
}

#[test]
fn text_signature_holds_the_person_contact_details_banner_line_and_contact_line() {
    let sig = Signature::make(ANA);
    let lines: Vec<&str> = sig.text.lines().collect();
    assert_eq!(
        lines[..6],
        [
            "-- ",
            "Ana Ruiz",
            "Program Analyst",
            "Child Trafficking Response Team",
            "California Department of Social Services",
            "ana.ruiz@dss.ca.gov | (916) 555-0100",
        ]
    );
    let (_, banner_text) = campaign();
    let paragraphs = sig.paragraphs();
    assert!(
        paragraphs.iter().any(|p| p.contains(&banner_text)),
        "the banner line: {paragraphs:#?}"
    );
    let (ctrt, _) = contact_line("ctrt");
    assert_eq!(paragraphs.last(), Some(&ctrt), "ends with the contact line");
}

#[test]
fn text_signature_lines_fit_in_72_columns() {
    let sig = Signature::make(ANA);
    assert_wrapped(&sig.text);
    assert!(
        sig.text.lines().any(|l| columns(l) > 60),
        "the long lines are filled, not cut to a few words"
    );

    let long_title = "Senior Program Analyst for Child Welfare Policy, Commercial \
                      Sexual Exploitation of Children and Youth, and Interagency Response";
    let sig = Signature::make(&[
        "--name", "Ana Ruiz", "--title", long_title, "--unit", "CTRT",
    ]);
    assert_wrapped(&sig.text);
    assert!(
        sig.paragraphs()[0].contains(long_title),
        "the long title is wrapped, not cut: {}",
        sig.text
    );
}

#[test]
fn text_signature_counts_wide_characters_as_two_columns() {
    // 60 CJK characters are 120 columns: two lines at most 72 columns wide.
    let title = "社会服务部儿童福利政策与人口贩运预防项目高级分析员".repeat(3);
    let title = title.chars().take(60).collect::<String>();
    let sig = Signature::make(&["--name", "王小明", "--title", &title, "--unit", "RPB"]);
    assert_wrapped(&sig.text);
    let title_lines: Vec<&str> = sig
        .text
        .lines()
        .filter(|l| l.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)))
        .filter(|l| *l != "王小明")
        .collect();
    assert_eq!(title_lines.concat(), title, "{}", sig.text);
}

#[test]
fn text_signature_has_no_blank_line_for_a_missing_email_or_phone() {
    let person = LI;
    let both = Signature::make(
        &[
            person,
            &["--email", "li.wei@dss.ca.gov", "--phone", "916-555-0101"],
        ]
        .concat(),
    );
    let email_only = Signature::make(&[person, &["--email", "li.wei@dss.ca.gov"]].concat());
    let phone_only = Signature::make(&[person, &["--phone", "916-555-0101"]].concat());
    let neither = Signature::make(person);

    let without = |text: &str, line: &str| -> String {
        let mut lines: Vec<&str> = text.lines().collect();
        let at = lines
            .iter()
            .position(|l| *l == line)
            .unwrap_or_else(|| panic!("a line {line:?} in\n{text}"));
        lines.remove(at);
        lines.iter().map(|l| format!("{l}\n")).collect()
    };
    // Each variant is the full signature with only its contact-details line changed.
    assert_eq!(
        without(&both.text, "li.wei@dss.ca.gov | 916-555-0101"),
        neither.text
    );
    assert_eq!(without(&email_only.text, "li.wei@dss.ca.gov"), neither.text);
    assert_eq!(without(&phone_only.text, "916-555-0101"), neither.text);
    assert_eq!(
        neither.text.lines().nth(5),
        Some(""),
        "the organisation is followed by the one blank line before the banner:\n{}",
        neither.text
    );
    // And in HTML, no empty cell (but the banner's) and no dangling separator.
    let document = neither.document();
    for td in document.select(&selector("table td")) {
        let text: String = td.text().collect();
        let holds_banner = td.select(&selector("img")).count() == 1;
        assert!(
            holds_banner || !text.trim().is_empty(),
            "an empty cell: {}",
            td.html()
        );
        assert!(!text.contains('|'), "a dangling separator: {text}");
    }
    assert!(email_only.cells().contains(&"li.wei@dss.ca.gov".to_owned()));
    assert!(phone_only.cells().contains(&"916-555-0101".to_owned()));
}

// ---------------------------------------------------------------------------------------
// Units and their contact lines.

#[test]
fn child_welfare_units_get_the_ctrt_contact_line_by_name_or_alias() {
    let (line, email) = contact_line("ctrt");
    for (unit, shown) in [
        ("CTRT", "Child Trafficking Response Team"),
        ("ctrt", "Child Trafficking Response Team"),
        (
            "child trafficking program support unit",
            "Child Trafficking Program Support Unit",
        ),
    ] {
        let sig = Signature::make(&["--name", "Ana Ruiz", "--title", "Analyst", "--unit", unit]);
        assert_eq!(sig.cells()[2], shown, "unit {unit:?}");
        assert_eq!(sig.cells().last(), Some(&line), "unit {unit:?}");
        assert!(
            sig.fragment().contains(&format!("href=\"mailto:{email}\"")),
            "unit {unit:?}"
        );
        assert_eq!(sig.paragraphs().last(), Some(&line), "unit {unit:?}");
    }
}

#[test]
fn refugee_programs_units_get_the_rpb_contact_line_by_name_or_alias() {
    let (line, email) = contact_line("rpb");
    let (ctrt, _) = contact_line("ctrt");
    assert_ne!(line, ctrt);
    for (unit, shown) in [
        ("RPB", "Refugee Programs Bureau"),
        (
            "  Asylee and Trafficking Unit  ",
            "Asylee and Trafficking Unit",
        ),
        ("ATU", "Asylee and Trafficking Unit"),
    ] {
        let sig = Signature::make(&["--name", "Ana Ruiz", "--title", "Analyst", "--unit", unit]);
        assert_eq!(sig.cells()[2], shown, "unit {unit:?}");
        assert_eq!(sig.cells().last(), Some(&line), "unit {unit:?}");
        assert!(
            sig.fragment().contains(&format!("href=\"mailto:{email}\"")),
            "unit {unit:?}"
        );
        assert_eq!(sig.paragraphs().last(), Some(&line), "unit {unit:?}");
        assert!(!sig.text.contains("CSECProgram@"), "unit {unit:?}");
    }
}

#[test]
fn unknown_unit_is_refused_with_the_list_of_known_units() {
    let error = refused(&[
        "--name", "Ana Ruiz", "--title", "Analyst", "--unit", "Payroll",
    ]);
    assert!(error.starts_with("error: unit: "), "{error}");
    assert!(error.contains("\"Payroll\""), "names the value: {error}");
    let units = asset("units.toml");
    for unit in units["unit"].as_array().unwrap() {
        let name = unit["name"].as_str().unwrap();
        assert!(error.contains(name), "lists {name}: {error}");
    }
}

// ---------------------------------------------------------------------------------------
// Refusals: exit 2, one line naming the field and the value, nothing written.

#[test]
fn empty_name_is_refused() {
    for name in ["", "   "] {
        let error = refused(&["--name", name, "--title", "Analyst", "--unit", "CTRT"]);
        assert!(error.starts_with("error: name: "), "{error}");
        assert!(error.contains("empty"), "{error}");
    }
}

#[test]
fn name_with_a_line_break_is_refused() {
    for name in ["Ana\nRuiz", "Ana\r\nRuiz", "Ana\u{2028}Ruiz"] {
        let error = refused(&["--name", name, "--title", "Analyst", "--unit", "CTRT"]);
        assert!(error.starts_with("error: name: "), "{error}");
        assert!(error.contains("Ana") && error.contains("Ruiz"), "{error}");
        assert!(error.contains("line break"), "{error}");
    }
}

#[test]
fn a_bidirectional_override_that_would_disguise_a_name_is_refused() {
    // U+202E turns what follows around on screen: "Ana \u{202E}zeuR" shows as "Ana Ruez".
    // It was accepted while a tab was refused.
    for (name, code) in [
        ("Ana \u{202E}zeuR", "U+202E"),
        ("\u{2066}Ana\u{2069}", "U+2066"),
    ] {
        let error = refused(&["--name", name, "--title", "Analyst", "--unit", "CTRT"]);
        assert!(
            error.starts_with("error: name: ")
                && error.ends_with(&format!("contains the control character {code}")),
            "{error}"
        );
    }
    // A right-to-left mark, which right-to-left names need, is not refused.
    Signature::make(&[
        "--name",
        "نور الهدى\u{200F}",
        "--title",
        "Analyst",
        "--unit",
        "RPB",
    ]);
}

#[test]
fn name_with_a_control_character_is_refused() {
    for name in ["Ana\u{7}Ruiz", "Ana\u{1b}[31mRuiz", "Ana\tRuiz"] {
        let error = refused(&["--name", name, "--title", "Analyst", "--unit", "CTRT"]);
        assert!(error.starts_with("error: name: "), "{error}");
        assert!(error.contains("Ana") && error.contains("Ruiz"), "{error}");
        assert!(error.contains("control character"), "{error}");
    }
}

#[test]
fn malformed_email_addresses_are_refused() {
    for email in [
        "ana",
        "ana@",
        "@dss.ca.gov",
        "ana@localhost",
        "ana.ruiz@dss..ca.gov",
        "ana ruiz@dss.ca.gov",
        "Ana Ruiz <ana.ruiz@dss.ca.gov>",
        "ana.ruiz@dss.ca.gov\"><script>",
    ] {
        let error = refused(&[
            "--name", "Ana Ruiz", "--title", "Analyst", "--unit", "CTRT", "--email", email,
        ]);
        assert!(error.starts_with("error: email: "), "{email}: {error}");
        assert!(
            error.contains(&format!("{email:?}")),
            "names the value {email:?}: {error}"
        );
    }
}

#[test]
fn bad_phone_numbers_are_refused() {
    for phone in ["call me", "12", "916-555-0100 ext", "<b>916</b> 555 0100"] {
        let error = refused(&[
            "--name", "Ana Ruiz", "--title", "Analyst", "--unit", "CTRT", "--phone", phone,
        ]);
        assert!(error.starts_with("error: phone: "), "{phone}: {error}");
        assert!(error.contains(&format!("{phone:?}")), "{phone}: {error}");
    }
}

#[test]
fn missing_unit_is_a_usage_error() {
    let run = InFolder::new(&["--name", "Ana Ruiz", "--title", "Analyst", "--out", "out"]);
    assert_eq!(run.code, Some(2));
    let stderr = &run.stderr;
    // What is missing, and an example to copy (not clap's bare list).
    assert_eq!(
        stderr,
        "error: a signature needs --name, --title and --unit; missing: --unit\n  \
         e.g. sigblock --name \"Ana Ruiz\" --title \"Program Analyst\" --unit CTRT\n  \
         (sigblock units lists the units; sigblock --help shows every option; \
         sigblock batch STAFF.csv --out DIR makes a whole office's)\n"
    );
    assert!(run.entries().is_empty());
}

#[test]
fn a_refusal_says_only_why() {
    // A person whose signature was refused needs the reason alone, not notes about
    // signatures that were never made.
    for args in [
        &[
            "--name", "Ana Ruiz", "--title", "Analyst", "--unit", "Payroll",
        ][..],
        &[
            "--name", "Ana Ruiz", "--title", "Analyst", "--unit", "CTRT", "--email", "ana@",
        ][..],
    ] {
        let run = InFolder::new(args);
        assert_eq!(run.code, Some(2));
        let stderr = &run.stderr;
        assert_eq!(
            stderr.lines().count(),
            1,
            "stderr is the one error line:\n{stderr}"
        );
        assert!(stderr.starts_with("error: "), "{stderr}");
    }
}

// ---------------------------------------------------------------------------------------
// Whatever a person types is text.

const HOSTILE_NAMES: &[&str] = &[
    "<script>alert(1)</script>",
    "Ana & Bo Ruiz",
    "Ana \"The Analyst\" Ruiz",
    "Zoë O'Brien",
    "{{ 7*7 }}",
    "Ana {% if true %}Ruiz{% endif %}",
    "{# comment #} Ana",
    "&lt;b&gt; Ana &amp;",
    "نور الهدى",
    "דוד כהן",
    "王小明",
    "José 🌟 Núñez",
    "👩🏽‍💼 Ana",
];

#[test]
fn hostile_names_are_shown_as_text_never_as_markup_or_template() {
    for &name in HOSTILE_NAMES {
        let sig = Signature::make(&["--name", name, "--title", "Analyst", "--unit", "CTRT"]);
        let document = sig.document();
        assert_eq!(
            sig.name_cell(),
            name,
            "the name cell shows {name:?} as typed"
        );
        assert_eq!(
            document.select(&selector("script")).count(),
            0,
            "no <script> for {name:?}"
        );
        assert_eq!(sig.images(), 1, "only the banner image for {name:?}");
        let title: String = document
            .select(&selector("title"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(title.ends_with(name), "<title> shows {name:?}: {title:?}");
        assert_eq!(
            sig.text.lines().nth(1),
            Some(name),
            "the text signature holds {name:?} verbatim"
        );
    }
}

#[test]
fn template_syntax_in_a_name_is_never_evaluated() {
    let sig = Signature::make(&[
        "--name",
        "{{ 7*7 }}",
        "--title",
        "{% if true %}x{% endif %}",
        "--unit",
        "CTRT",
    ]);
    assert!(sig.html.contains("{{ 7*7 }}"), "{}", sig.fragment());
    assert!(sig.html.contains("{% if true %}x{% endif %}"));
    assert!(sig.text.contains("{{ 7*7 }}\n{% if true %}x{% endif %}\n"));
    // Outside the banner's base64 payload, which may hold any digits.
    let html = without_png_payload(sig.fragment());
    assert!(!html.contains("49") && !sig.text.contains("49"), "{html}");
}

#[test]
fn markup_in_a_title_is_escaped() {
    let title = "<img src=x onerror=alert(1)> & <b>Lead</b>";
    let sig = Signature::make(&["--name", "Ana Ruiz", "--title", title, "--unit", "CTRT"]);
    assert_eq!(sig.cells()[1], title);
    assert_eq!(sig.images(), 1, "only the banner image");
    assert_eq!(sig.document().select(&selector("b")).count(), 0);
    assert!(sig.text.contains(&format!("\n{title}\n")));
}

#[test]
fn right_to_left_names_keep_their_direction() {
    let sig = Signature::make(&["--name", "نور الهدى", "--title", "محللة", "--unit", "RPB"]);
    let document = sig.document();
    let name_cell = document.select(&selector("table td")).next().unwrap();
    assert_eq!(
        name_cell.attr("dir"),
        Some("auto"),
        "the browser picks the name's direction"
    );
    assert_eq!(sig.name_cell(), "نور الهدى");
    assert_eq!(sig.cells()[1], "محللة");
}

#[test]
fn file_names_are_sane_ascii_slugs_of_the_name() {
    for (name, slug) in [
        ("Ana Ruiz", "ana-ruiz"),
        ("José 🌟 Núñez", "jose-nunez"),
        ("Zoë O'Brien", "zoe-o-brien"),
        ("王小明", "wang-xiao-ming"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("CON", "con-signature"),
    ] {
        let sig = Signature::make(&["--name", name, "--title", "Analyst", "--unit", "CTRT"]);
        assert_eq!(sig.slug, slug, "slug of {name:?}");
    }
}

#[test]
fn a_name_that_looks_like_a_path_stays_inside_the_output_folder() {
    for name in ["../../etc/passwd", "/etc/passwd", "..\\..\\boot.ini", ".."] {
        let run = InFolder::new(&[
            "--name", name, "--title", "Analyst", "--unit", "CTRT", "--out", "a/b",
        ]);
        run.expect_code(0);
        let files = run.all_files();
        assert_eq!(files.len(), 2, "{name:?}: {files:?}");
        for file in &files {
            let inside = file
                .strip_prefix("a/b/")
                .unwrap_or_else(|| panic!("{name:?} wrote {file} outside the output folder"));
            assert!(
                !inside.contains('/') && !inside.starts_with('.'),
                "{name:?} wrote {file}"
            );
        }
    }
    let sig = Signature::make(&[
        "--name",
        "../../etc/passwd",
        "--title",
        "Analyst",
        "--unit",
        "CTRT",
    ]);
    assert_eq!(sig.slug, "etc-passwd");
}

// ---------------------------------------------------------------------------------------
// Units as data: --config and `sigblock units`.

const CUSTOM_UNITS: &str = r#"
organization = "County of Example Social Services"

[contact.outreach]
team = "Community Outreach Desk"
email = "outreach@example.org"
about = "For questions about the outreach programme"

[[unit]]
name = "Community Outreach"
aliases = ["OUT", "Outreach Team"]
contact = "outreach"
"#;

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("my-units.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_office_can_replace_the_units_with_its_own_config() {
    let config_dir = TempDir::new().unwrap();
    let config = write_config(config_dir.path(), CUSTOM_UNITS);
    let config = config.to_str().unwrap();

    let sig = Signature::make(&[
        "--name",
        "Ana Ruiz",
        "--title",
        "Analyst",
        "--unit",
        "outreach team",
        "--config",
        config,
    ]);
    let line = "For questions about the outreach programme, please contact the \
                Community Outreach Desk at outreach@example.org.";
    assert_eq!(sig.cells()[2], "Community Outreach");
    assert_eq!(sig.cells()[3], "County of Example Social Services");
    assert_eq!(sig.cells().last().map(String::as_str), Some(line));
    assert_eq!(sig.paragraphs().last().map(String::as_str), Some(line));

    let error = refused(&[
        "--name", "Ana Ruiz", "--title", "Analyst", "--unit", "CTRT", "--config", config,
    ]);
    assert!(error.starts_with("error: unit: "), "{error}");
    assert!(error.contains("Community Outreach"), "{error}");
    assert!(
        !error.contains("Child Trafficking"),
        "only the config's units: {error}"
    );

    let units = InFolder::raw(&["units", "--config", config]);
    units.expect_code(0);
    assert!(units.stdout.contains("Community Outreach"));
    assert!(!units.stdout.contains("CTRT"));
}

#[test]
fn a_broken_config_is_refused_naming_the_file() {
    let config_dir = TempDir::new().unwrap();
    for (what, text) in [
        ("not TOML", "organization = [\n"),
        (
            "no units",
            "organization = \"X\"\ncontact = {}\nunit = []\n",
        ),
        (
            "an undefined contact",
            &CUSTOM_UNITS.replace("contact = \"outreach\"", "contact = \"nobody\""),
        ),
    ] {
        let config = write_config(config_dir.path(), text);
        let config = config.to_str().unwrap();
        let run = InFolder::new(&[
            "--name", "Ana Ruiz", "--title", "Analyst", "--unit", "CTRT", "--config", config,
            "--out", "out",
        ]);
        assert_eq!(run.code, Some(2), "{what}");
        let stderr = &run.stderr;
        assert!(
            stderr.contains("error: ") && stderr.contains(config),
            "{what}: the message names {config}:\n{stderr}"
        );
        assert!(run.entries().is_empty(), "{what}: nothing written");
    }
}

#[test]
fn a_missing_config_is_refused_with_one_clear_reason() {
    let run = InFolder::new(&[
        "--name",
        "Ana Ruiz",
        "--title",
        "Analyst",
        "--unit",
        "CTRT",
        "--config",
        "no-such-units.toml",
    ]);
    assert_eq!(run.code, Some(2));
    let stderr = &run.stderr;
    let error = stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("an error line:\n{stderr}"));
    // Once, in words: no OS error number.
    assert_eq!(
        error,
        "error: cannot read no-such-units.toml: there is no such file (check the name and folder)"
    );
    assert!(run.entries().is_empty());
}

#[test]
fn units_lists_every_unit_alias_and_contact_line() {
    let run = InFolder::raw(&["units"]);
    run.expect_code(0);
    let stdout = &run.stdout;
    let units = asset("units.toml");
    for unit in units["unit"].as_array().unwrap() {
        let name = unit["name"].as_str().unwrap();
        assert!(stdout.lines().any(|l| l == name), "lists {name}:\n{stdout}");
        for alias in unit["aliases"].as_array().unwrap() {
            let alias = alias.as_str().unwrap();
            assert!(stdout.contains(alias), "lists alias {alias}:\n{stdout}");
        }
    }
    for key in ["ctrt", "rpb"] {
        let (line, _) = contact_line(key);
        assert!(stdout.contains(&line), "shows the {key} line:\n{stdout}");
    }
}

// ---------------------------------------------------------------------------------------
// Command-line manners.

#[test]
fn help_shows_an_example() {
    let run = InFolder::raw(&["--help"]);
    run.expect_code(0);
    let stdout = &run.stdout;
    assert!(stdout.contains("Example"), "{stdout}");
    assert!(
        stdout
            .lines()
            .any(|l| l.trim_start().starts_with("sigblock --name")),
        "an example command line:\n{stdout}"
    );
    for flag in ["--name", "--title", "--unit", "--out", "--no-clipboard"] {
        assert!(stdout.contains(flag), "documents {flag}");
    }
}

#[test]
fn version_prints_the_version() {
    let run = InFolder::raw(&["--version"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout.trim(),
        format!("sigblock {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = InFolder::raw(&["completions", shell]);
        run.expect_code(0);
        let script = &run.stdout;
        assert!(script.len() > 500, "{shell}: a real script");
        assert!(script.contains("sigblock"), "{shell}");
        // fish spells a long flag `-l unit`; the others `--unit`.
        assert!(
            script.contains("--unit") || script.contains("-l unit"),
            "{shell}: completes the flags"
        );
    }
    let run = InFolder::raw(&["completions", "tcsh"]);
    assert_eq!(run.code, Some(2), "an unknown shell is a usage error");
}

// ---------------------------------------------------------------------------------------
// The banner alone.

#[test]
fn banner_command_writes_the_2x_png() {
    let run = InFolder::raw(&["banner", "--out", "host/banner.png", "--date", IN_CAMPAIGN]);
    run.expect_code(0);
    let png = std::fs::read(run.path("host/banner.png")).unwrap();
    let image = image::load_from_memory_with_format(&png, image::ImageFormat::Png).unwrap();
    assert_eq!((image.width(), image.height()), (1200, 200));
    assert!(run.stdout.contains("host/banner.png"), "{}", run.stdout);
}

#[test]
fn lossless_banner_is_an_rgba_png_larger_than_the_optimised_one() {
    let run = InFolder::raw(&["banner", "--out", "small.png", "--date", IN_CAMPAIGN]);
    run.expect_code(0);
    let lossless = InFolder::raw(&[
        "banner",
        "--lossless",
        "--out",
        "exact.png",
        "--date",
        IN_CAMPAIGN,
    ]);
    lossless.expect_code(0);
    let small = std::fs::read(run.path("small.png")).unwrap();
    let exact = std::fs::read(lossless.path("exact.png")).unwrap();
    let image = image::load_from_memory_with_format(&exact, image::ImageFormat::Png).unwrap();
    assert_eq!(image.color(), image::ColorType::Rgba8);
    assert_eq!((image.width(), image.height()), (1200, 200));
    assert!(
        exact.len() > small.len(),
        "lossless {} bytes, optimised {} bytes",
        exact.len(),
        small.len()
    );
}

// ---------------------------------------------------------------------------------------
// The campaign's dates.

#[test]
fn inside_january_nothing_is_said_about_dates() {
    let run = InFolder::new(ANA);
    run.expect_code(0);
    assert!(
        !run.stderr.contains("meant for"),
        "no date note in January:\n{}",
        run.stderr
    );
}

#[test]
fn in_february_the_signature_is_still_made_and_the_tool_says_the_banner_is_for_january() {
    let mut args = ANA.to_vec();
    args.extend(["--date", "2027-02-10", "--out", "out"]);
    let run = InFolder::new(&args);
    run.expect_code(0);
    assert_eq!(names(run.path("out")), ["ana-ruiz.html", "ana-ruiz.txt"]);
    let stderr = &run.stderr;
    assert!(
        stderr.lines().any(|l| l.contains("January")),
        "says the banner is meant for January:\n{stderr}"
    );
    assert!(
        read(run.path("out/ana-ruiz.html")).contains("data:image/png;base64,"),
        "the banner is kept by default"
    );
}

fn has_banner(sig: &Signature) -> bool {
    let (_, banner_text) = campaign();
    let in_html = sig.images() == 1 && sig.html.contains("data:image/png;base64,");
    let in_text = sig.paragraphs().iter().any(|p| p.contains(&banner_text));
    assert_eq!(
        in_html, in_text,
        "HTML and text agree on the banner:\n{}\n{}",
        sig.html, sig.text
    );
    in_html
}

#[test]
fn banner_auto_leaves_the_banner_out_after_january() {
    let feb = Signature::make(&[ANA, &["--banner", "auto", "--date", "2027-02-10"]].concat());
    assert!(!has_banner(&feb));
    assert!(feb.run.stderr.contains("January"), "{}", feb.run.stderr);
    let (ctrt, _) = contact_line("ctrt");
    assert_eq!(feb.paragraphs().last(), Some(&ctrt), "the rest is there");

    let jan = Signature::make(&[ANA, &["--banner", "auto"]].concat());
    assert!(has_banner(&jan), "auto keeps the banner in January");
}

#[test]
fn banner_never_leaves_it_out_even_in_january() {
    let sig = Signature::make(&[ANA, &["--banner", "never"]].concat());
    assert!(!has_banner(&sig));
    assert_eq!(sig.images(), 0);
}

#[test]
fn banner_always_keeps_it_in_february() {
    let sig = Signature::make(&[ANA, &["--banner", "always", "--date", "2027-02-10"]].concat());
    assert!(has_banner(&sig));
}

// ---------------------------------------------------------------------------------------
// No clipboard.

#[test]
fn without_a_display_the_files_are_the_signature_and_the_tool_says_so() {
    // common::sigblock() removes DISPLAY and WAYLAND_DISPLAY; no --no-clipboard here.
    let mut args = ANA.to_vec();
    args.extend(["--date", IN_CAMPAIGN]);
    let run = InFolder::raw(&args);
    run.expect_code(0);
    assert_eq!(run.entries(), ["ana-ruiz.html", "ana-ruiz.txt"]);
    let stdout = &run.stdout;
    let about_clipboard: Vec<&str> = stdout
        .lines()
        .filter(|l| !l.starts_with("wrote "))
        .collect();
    assert_eq!(about_clipboard.len(), 1, "one line:\n{stdout}");
    // In words, with what to do: no X11 error text.
    assert_eq!(
        about_clipboard[0],
        format!(
            "no clipboard here: the signature is in {}; open it in a browser, select all, \
             copy, and paste it into your email client's signature settings",
            run.path("ana-ruiz.html").display()
        )
    );
}

// ---------------------------------------------------------------------------------------
// Snapshots: the whole signature for sample people (review changes with care).

#[test]
fn snapshot_sample_person_with_email_and_phone() {
    let sig = Signature::make(ANA);
    insta::assert_snapshot!("ana_ruiz_ctrt_html", without_png_payload(sig.fragment()));
    insta::assert_snapshot!("ana_ruiz_ctrt_text", sig.text);
}

#[test]
fn snapshot_person_without_email_or_phone() {
    let sig = Signature::make(LI);
    insta::assert_snapshot!("li_wei_rpb_html", without_png_payload(sig.fragment()));
    insta::assert_snapshot!("li_wei_rpb_text", sig.text);
}
