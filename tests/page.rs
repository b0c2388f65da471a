//! The signature page (`sigblock page`, issue 18), as staff and HR use it: the real page
//! the real binary wrote, opened from `file://` in Debian's Chromium, driven through the
//! DevTools protocol by `tests/js/page.mjs` (puppeteer-core): its form, its preview, its
//! clipboard read back, its downloads, its network log, axe-core's verdict. What the
//! page makes is compared with what the command line makes for the same input: the
//! fragment of `<slug>.html`, `<slug>.txt`, the reply files, the inlined banner's bytes,
//! its refusals' words. Nothing is mocked; the browser's clock is set (DevTools virtual
//! time) where a test is about the day.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{
    browser::CHROMIUM_FLAGS, fragment_of, inlined_banner, read, report, require, run_with_timeout,
    sigblock, Run, IN_CAMPAIGN,
};

/// Noon in California on [`IN_CAMPAIGN`]: the browser's clock in a January test.
const JANUARY_NOON: &str = "2027-01-15T20:00:00Z";

/// `sigblock page --out DIR/signature.html ARGS`, which must succeed.
fn make_page(dir: &Path, args: &[&str]) -> PathBuf {
    let page = dir.join("signature.html");
    let run = Run::from(
        sigblock()
            .arg("page")
            .arg("--out")
            .arg(&page)
            .args(args)
            .output()
            .unwrap(),
    );
    run.expect_code(0);
    assert!(run.stdout.starts_with("wrote "), "{}", run.stdout);
    page
}

/// The page's `file://` address (a path of plain characters).
fn file_url(page: &Path) -> String {
    format!("file://{}", page.display())
}

/// Runs `tests/js/page.mjs` on `spec` (Chromium with [`CHROMIUM_FLAGS`]) and returns
/// what it saw. Fails when Node, Chromium or the Node packages are missing.
fn drive(mut spec: Value) -> Value {
    let js = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js");
    for package in ["puppeteer-core", "axe-core"] {
        assert!(
            js.join("node_modules").join(package).is_dir(),
            "{package} is not installed in tests/js: `.ci/run` installs it (cd tests/js && npm ci)"
        );
    }
    require("chromium", "chromium");
    let node = require("node", "nodejs");
    spec["flags"] = json!(CHROMIUM_FLAGS);
    let work = tempfile::tempdir().unwrap();
    let spec_file = work.path().join("spec.json");
    std::fs::write(&spec_file, spec.to_string()).unwrap();
    let (stdout, stderr) = (work.path().join("stdout"), work.path().join("stderr"));
    let mut cmd = StdCommand::new(node);
    cmd.arg(js.join("page.mjs"))
        .arg(&spec_file)
        .stdin(Stdio::null())
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap());
    let status = run_with_timeout(cmd, Duration::from_secs(120), "tests/js/page.mjs");
    assert!(
        status.success(),
        "tests/js/page.mjs failed ({status}):\n{}",
        read(&stderr)
    );
    let seen: Value = serde_json::from_str(&read(&stdout)).expect("page.mjs prints JSON");
    // No run of the page may say anything wrong in the console, nor ask the network
    // for anything: the page itself, data: and blob: only.
    assert_eq!(seen["console"], json!([]), "console messages");
    let page = spec["page"].as_str().unwrap();
    let requests: Vec<&str> = seen["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .filter(|url| {
            !(url.starts_with("data:")
                || url.starts_with("blob:")
                || url.split(['?', '#']).next() == Some(&format!("file://{page}")))
        })
        .collect();
    assert_eq!(requests, Vec::<&str>::new(), "requests beyond the page");
    seen
}

/// One person, as the command line and the page both take them.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    title: String,
    unit: String,
    email: String,
    phone: String,
}

impl Person {
    fn new(name: &str, title: &str, unit: &str, email: &str, phone: &str) -> Person {
        Person {
            name: name.into(),
            title: title.into(),
            unit: unit.into(),
            email: email.into(),
            phone: phone.into(),
        }
    }

    fn values(&self) -> Value {
        json!({"name": self.name, "title": self.title, "unit": self.unit,
               "email": self.email, "phone": self.phone})
    }

    fn flags(&self) -> Vec<String> {
        let mut flags = vec![
            format!("--name={}", self.name),
            format!("--title={}", self.title),
            format!("--unit={}", self.unit),
        ];
        if !self.email.is_empty() {
            flags.push(format!("--email={}", self.email));
        }
        if !self.phone.is_empty() {
            flags.push(format!("--phone={}", self.phone));
        }
        flags
    }
}

/// What the one-person command made for `person` (in January unless `args` say
/// otherwise): the `<slug>.html` document, its fragment, `<slug>.txt`, the reply's
/// fragment, and what it said.
struct Cli {
    document: String,
    fragment: String,
    text: String,
    reply: String,
    stderr: String,
}

fn cli(person: &Person, args: &[&str]) -> Cli {
    let out = tempfile::tempdir().unwrap();
    let run = Run::from(
        sigblock()
            .args(person.flags())
            .args(["--no-clipboard", "--format", "html,text,reply", "--out"])
            .arg(out.path())
            .args(if args.iter().any(|a| a.starts_with("--date")) {
                &[][..]
            } else {
                &["--date", IN_CAMPAIGN][..]
            })
            .args(args)
            .output()
            .unwrap(),
    );
    run.expect_code(0);
    let slug = sigblock::output::names::person_stem(&person.name);
    let document = read(out.path().join(format!("{slug}.html")));
    let reply = read(out.path().join(format!("{slug}.reply.html")));
    Cli {
        fragment: fragment_of(&document).to_owned(),
        text: read(out.path().join(format!("{slug}.txt"))),
        reply: fragment_of(&reply).to_owned(),
        document,
        stderr: run.stderr,
    }
}

/// The one-person command's refusal of `person`: its line after `error: `.
fn cli_refusal(person: &Person) -> String {
    let out = tempfile::tempdir().unwrap();
    let run = Run::from(
        sigblock()
            .args(person.flags())
            .args(["--no-clipboard", "--out"])
            .arg(out.path())
            .output()
            .unwrap(),
    );
    run.expect_code(2);
    run.stderr
        .trim_end()
        .strip_prefix("error: ")
        .unwrap_or_else(|| panic!("a refusal: {}", run.stderr))
        .to_owned()
}

/// Fifty people: every unit by its name and by each alias (any case), accents,
/// right-to-left and CJK names, markup and template syntax typed into names and titles,
/// phones with extensions and without an area code, people without email or phone.
fn fifty() -> Vec<Person> {
    let directory = sigblock::units::Directory::embedded();
    let mut labels: Vec<String> = Vec::new();
    for unit in &directory.units {
        labels.push(unit.name.clone());
        labels.extend(unit.aliases.iter().cloned());
    }
    labels.push("ctrt".into());
    labels.push("c.t.r.t.".into());
    labels.push("Child Trafficking Response Team (CTRT)".into());
    let names = [
        "Ana Ruiz",
        "José Núñez",
        "Jose Nunez",
        "Zoë Ångström-Ø'Brien",
        "نور الهدى",
        "דוד כהן",
        "\u{200F}مريم\u{200F} Haddad",
        "王小明",
        "Nguyễn Thị Minh Khai",
        "Renée O'Brien",
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "{{ 7 * 7 }} {% raw %}",
        "Ana & Bob <b>bold</b>",
        "</table><p>escape",
        "Łukasz Żółć",
        "Ørjan Ødegård",
        "Søren Kierkegaard 🌟",
        "Χρήστος Παπαδόπουλος",
        "Дмитрий Иванов",
        "Ana María de la Cruz y Fernández de Córdoba Villanueva Salazar",
        "Index",
        "Mary-Jane Watson",
        "Seán Ó Súilleabháin",
        "Élodie Lefèvre",
    ];
    let titles = [
        "Program Analyst",
        "Staff Services Manager I (Specialist)",
        "<img src=x onerror=alert(1)> Analyst",
        "Jefa de Programa",
        "مدير البرنامج",
        "Analyst & \"Lead\" 'quoted'",
        "{{ title }}",
        "Associate Governmental Program Analyst, Child Trafficking Response Team — Sacramento",
    ];
    let phones = [
        "(916) 555-0100",
        "916.555.0100 ext. 12",
        "+44 20 7946 0958",
        "555-0123 x7",
        "",
        "1-800-555-0199",
    ];
    (0..50)
        .map(|i| {
            let name = names[i % names.len()];
            let name = if i >= names.len() {
                format!("{name} {}", i / names.len() + 1)
            } else {
                name.to_owned()
            };
            let email = match i % 5 {
                4 => String::new(),
                3 => format!("PERSON.{i}@DSS.CA.GOV"),
                _ => format!("person.{i}@dss.ca.gov"),
            };
            Person::new(
                &name,
                titles[i % titles.len()],
                &labels[i % labels.len()],
                &email,
                phones[i % phones.len()],
            )
        })
        .collect()
}

/// A CSV cell, quoted.
fn cell(value: &str) -> String {
    format!("\"{}\"", value.replace('"', "\"\""))
}

#[test]
fn fifty_people_get_the_clis_signature_in_the_page_and_on_the_clipboard() {
    let dir = tempfile::tempdir().unwrap();
    let page = make_page(dir.path(), &[]);
    // HR's batch with --page-url: each made row's link opens the page filled in.
    let people = fifty();
    let mut csv = String::from("name,title,unit,email,phone\n");
    for p in &people {
        let row = [&p.name, &p.title, &p.unit, &p.email, &p.phone].map(|v| cell(v));
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let staff = dir.path().join("staff.csv");
    std::fs::write(&staff, csv).unwrap();
    let out = dir.path().join("out");
    let run = crate::common::batch(
        &staff,
        &out,
        &[
            "--format",
            "html,text,reply",
            "--page-url",
            &file_url(&page),
        ],
    );
    run.expect_code(0);
    let rows = report(&out);
    assert_eq!(rows.len(), 50);

    // Ten open their link; forty more type (paste) their details into the same page;
    // every one presses Copy signature, some Copy reply version; a few in a browser
    // without ClipboardItem (the copy-event fallback).
    let mut visits = Vec::new();
    let mut expected = Vec::new();
    for (i, (person, row)) in people.iter().zip(&rows).enumerate() {
        let files: Vec<&str> = row[8].split(' ').collect();
        // The row's files by ending (`.html` is not `.reply.html`).
        let file = |ending: &str| {
            let name = files
                .iter()
                .find(|f| {
                    f.strip_suffix(ending)
                        .is_some_and(|stem| !stem.ends_with(".reply"))
                })
                .unwrap_or_else(|| panic!("row {i}: no {ending} in {files:?}"));
            read(out.join(name))
        };
        let (html, text) = (file(".html"), file(".txt"));
        let (reply, reply_text) = (file(".reply.html"), file(".reply.txt"));
        let link = &row[11];
        let query = link
            .strip_prefix(&file_url(&page))
            .unwrap_or_else(|| panic!("row {i}: a link to the page: {link:?}"));
        let mut visit = json!({
            "copy": true,
            "reply": i % 4 == 0,
            "fallback": i % 10 == 9,
            "normalize": [fragment_of(&html), fragment_of(&reply)],
        });
        if i < 10 {
            visit["query"] = json!(query);
        } else {
            visit["set"] = person.values();
        }
        visits.push(visit);
        expected.push((html, text, reply_text));
    }
    // The page's own day (no clock set): with --banner always, the banner is in.
    let seen = drive(json!({
        "page": page.to_str().unwrap(),
        "visits": visits,
    }));
    for (i, (visit, (html, text, reply_text))) in seen["visits"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&expected)
        .enumerate()
    {
        let who = &people[i].name;
        assert_eq!(visit["state"], "made", "{who}: {visit}");
        let cli_html = visit["normalized"][0].as_str().unwrap();
        let cli_reply = visit["normalized"][1].as_str().unwrap();
        assert_eq!(visit["preview"], cli_html, "{who}: the preview");
        assert_eq!(visit["reply"], cli_reply, "{who}: the reply preview");
        assert_eq!(visit["text"], text.as_str(), "{who}: the plain text shown");
        // The banner: the CLI's bytes, inlined.
        let banner = visit["banner"].as_str().unwrap();
        assert_eq!(
            inlined_banner(&format!("src=\"{banner}\"")),
            inlined_banner(html),
            "{who}: the banner's bytes"
        );
        let clipboard = &visit["clipboard"];
        assert_eq!(
            clipboard["text/plain"],
            text.as_str(),
            "{who}: clipboard text (the page said {})",
            clipboard["said"]
        );
        assert_eq!(
            normalized(clipboard["text/html"].as_str().unwrap()),
            normalized(cli_html),
            "{who}: clipboard HTML"
        );
        if i % 4 == 0 {
            let reply_clipboard = &visit["reply_clipboard"];
            assert_eq!(reply_clipboard["text/plain"], reply_text.as_str(), "{who}");
            assert_eq!(
                normalized(reply_clipboard["text/html"].as_str().unwrap()),
                normalized(cli_reply),
                "{who}: reply clipboard HTML"
            );
        }
        // A link gives the fields the person's values as HR's CSV had them (trimmed by
        // the checks).
        if i < 10 {
            assert_eq!(visit["values"]["name"], people[i].name.trim(), "{who}");
        }
    }
}

/// What Chromium's clipboard keeps of HTML (it parses and serialises what is written, in
/// a document of its own) compared as markup: the document's wrapper and a meta charset
/// left out.
fn normalized(html: &str) -> String {
    let mut html = html.trim();
    for wrapper in [
        "<html><head></head><body>",
        "<meta charset=\"utf-8\">",
        "<meta charset='utf-8'>",
    ] {
        html = html.strip_prefix(wrapper).unwrap_or(html);
    }
    html.strip_suffix("</body></html>")
        .unwrap_or(html)
        .trim()
        .to_owned()
}

#[test]
fn invalid_input_gets_the_clis_words_beside_the_field_and_markup_stays_text() {
    let dir = tempfile::tempdir().unwrap();
    let page = make_page(dir.path(), &[]);
    let ana = Person::new(
        "Ana Ruiz",
        "Program Analyst",
        "CTRT",
        "ana.ruiz@dss.ca.gov",
        "(916) 555-0100",
    );
    let with = |field: &str, value: &str| {
        let mut p = ana.clone();
        match field {
            "name" => p.name = value.into(),
            "title" => p.title = value.into(),
            "unit" => p.unit = value.into(),
            "email" => p.email = value.into(),
            "phone" => p.phone = value.into(),
            _ => unreachable!(),
        }
        p
    };
    let bad = [
        ("name", "   "),
        ("name", "Nguy?n Van A"),
        ("name", "Ana\u{202E}Ruiz"),
        ("name", &"x".repeat(201)),
        ("title", "JosÃ© Analyst"),
        ("unit", "CSECP"),
        ("unit", "Payroll"),
        ("unit", "<script>alert(1)</script>"),
        ("email", "ana@"),
        ("email", "<b>ana</b>@dss.ca.gov"),
        ("email", "ana?cc=boss@dss.ca.gov"),
        ("phone", "call me"),
        ("phone", "<img src=x onerror=alert(1)>"),
        ("phone", "916-555-0100 ext"),
    ];
    let mut visits = Vec::new();
    let mut refusals = Vec::new();
    for (field, value) in bad {
        let person = with(field, value);
        refusals.push((field, cli_refusal(&person)));
        visits.push(json!({"set": person.values()}));
    }
    // Markup in every free-text field is a name, a title: made, and shown as text.
    let hostile = "<img src=x onerror=\"document.title='owned'\"><script>alert(1)</script>&amp;";
    let marked = Person::new(hostile, hostile, "RPB", "", "");
    visits.push(json!({"set": marked.values(), "normalize": [cli(&marked, &[]).fragment]}));
    // A number without an area code and an address in capitals: made, with the one-person
    // command's notes.
    let noted = Person::new(
        "Li Wei",
        "Case Worker",
        "RPB",
        "LI.WEI@DSS.CA.GOV",
        "555-0123",
    );
    let cli_notes: Vec<String> = cli(&noted, &[])
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("note: "))
        .filter(|l| !l.starts_with("Gmail does not show inlined images"))
        .map(str::to_owned)
        .collect();
    assert_eq!(cli_notes.len(), 2, "{cli_notes:?}");
    visits.push(json!({"set": noted.values()}));
    // And typed key by key, including into the unit field.
    visits.push(
        json!({"type": {"name": "<b>Bold</b> & \"Co\"", "title": "</td></tr></table>",
                                "unit": "RPB", "email": "", "phone": ""}}),
    );
    let seen =
        drive(json!({"page": page.to_str().unwrap(), "date": JANUARY_NOON, "visits": visits}));
    let visits = seen["visits"].as_array().unwrap();
    for ((field, words), visit) in refusals.iter().zip(visits) {
        assert_eq!(visit["state"], "refused", "{field}: {visit}");
        assert_eq!(
            visit["errors"][field],
            words.as_str(),
            "{field}: the CLI's words"
        );
        assert_eq!(
            visit["invalid"],
            json!([field]),
            "{field}: only it is marked"
        );
        assert_eq!(visit["preview"], "", "{field}: no signature");
        assert_eq!(visit["text"], "", "{field}: no text");
    }
    let made = &visits[bad.len()];
    assert_eq!(made["state"], "made");
    assert_eq!(
        made["preview"], made["normalized"][0],
        "the CLI's signature"
    );
    let elements: Vec<&str> = made["elements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(
        elements,
        ["table", "tbody", "tr", "td", "img", "a"],
        "no element but the signature's"
    );
    assert_eq!(
        visits[bad.len() + 1]["notes"],
        json!(cli_notes),
        "the CLI's notes"
    );
    let typed = &visits[bad.len() + 2];
    assert_eq!(typed["state"], "made", "{typed}");
    assert_eq!(typed["values"]["name"], "<b>Bold</b> & \"Co\"");
    assert!(typed["preview"]
        .as_str()
        .unwrap()
        .contains("&lt;b&gt;Bold&lt;/b&gt; &amp; \"Co\""));
    assert!(!typed["elements"].as_array().unwrap().contains(&json!("b")));
}

#[test]
fn the_page_asks_the_network_for_nothing_and_works_offline_from_file() {
    let dir = tempfile::tempdir().unwrap();
    let page = make_page(dir.path(), &[]);
    let html = read(&page);
    // One file: no script, style, link or picture from anywhere else.
    for outside in [
        "<script src",
        "<link rel=\"stylesheet\"",
        "http://",
        "@import",
        "<iframe",
    ] {
        assert!(!html.contains(outside), "{outside}");
    }
    let csp = html
        .split("http-equiv=\"Content-Security-Policy\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a Content-Security-Policy");
    assert!(
        csp.starts_with("default-src &#39;none&#39;; script-src &#39;sha256-"),
        "{csp}"
    );
    assert!(csp.contains("img-src data:;"), "{csp}");
    let query = "?name=Ana%20Ruiz&title=Program%20Analyst&unit=CTRT";
    let seen = drive(json!({
        "page": page.to_str().unwrap(),
        "offline": true,
        "downloads": dir.path().join("downloads"),
        "visits": [{"query": query, "copy": true, "download": ["text", "html", "outlook"]}],
    }));
    let visit = &seen["visits"][0];
    assert_eq!(visit["state"], "made", "{visit}");
    assert!(visit["clipboard"]["text/plain"]
        .as_str()
        .unwrap()
        .starts_with("-- \nAna Ruiz\n"));
    for kind in ["text", "html", "outlook"] {
        assert!(
            visit["downloads"][kind]["name"].is_string(),
            "{kind}: {visit}"
        );
    }
}

#[test]
fn the_downloads_are_the_clis_files_and_installs_set() {
    let dir = tempfile::tempdir().unwrap();
    let page = make_page(dir.path(), &[]);
    let person = Person::new(
        "José Núñez",
        "Analyst",
        "ATU",
        "jose.nunez@dss.ca.gov",
        "(916) 555-0100 x4",
    );
    let made = cli(&person, &[]);
    let downloads = dir.path().join("downloads");
    let seen = drive(json!({
        "page": page.to_str().unwrap(),
        "downloads": downloads,
        "visits": [{"set": person.values(), "download": ["text", "html", "outlook"]}],
    }));
    let got = &seen["visits"][0]["downloads"];
    let file = |kind: &str| PathBuf::from(got[kind]["path"].as_str().unwrap());
    assert_eq!(got["text"]["name"], "jose-nunez.txt");
    assert_eq!(read(file("text")), made.text);
    assert_eq!(got["html"]["name"], "jose-nunez.html");
    assert_eq!(read(file("html")), made.document);
    assert_eq!(got["outlook"]["name"], "jose-nunez-outlook.zip");

    // The zip holds install's set for the same person and banner, byte for byte.
    let unzipped = dir.path().join("unzipped");
    let python = require("python3", "python3");
    let status = StdCommand::new(python)
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2])"])
        .arg(file("outlook"))
        .arg(&unzipped)
        .status()
        .unwrap();
    assert!(status.success(), "python3's zipfile reads the zip");
    let directory = sigblock::units::Directory::embedded();
    let checked = sigblock::person::PersonInput {
        name: person.name.clone(),
        title: person.title.clone(),
        unit: person.unit.clone(),
        email: Some(person.email.clone()),
        phone: Some(person.phone.clone()),
    }
    .validate(&directory)
    .unwrap();
    let campaign = sigblock::campaign::Campaign::embedded();
    let banner = sigblock::banner::Banner {
        png: inlined_banner(&made.document),
        width: 600,
        height: 100,
        alt: campaign.alt.clone(),
        text: campaign.text.clone(),
    };
    let picture = sigblock::output::Picture::new(banner, None);
    let templates = sigblock::output::templates::Templates::new();
    // The plain set and the person's own mailbox's, as install writes them.
    let mailbox = sigblock::install::names::Mailbox::new(&person.email).unwrap();
    let plan = sigblock::install::plan(
        "CDSS - José Núñez",
        &sigblock::install::Parts {
            templates: &templates,
            person: &checked,
            organization: &directory.organization,
            picture: Some(&picture),
            mailboxes: &[mailbox],
        },
    );
    assert!(
        plan.files
            .iter()
            .any(|(name, _)| name == "CDSS - José Núñez (jose.nunez@dss.ca.gov).htm"),
        "the mailbox's own set"
    );
    let mut names: Vec<String> = crate::common::files_under(&unzipped);
    names.sort();
    let mut planned: Vec<String> = plan.files.iter().map(|(n, _)| n.clone()).collect();
    planned.sort();
    assert_eq!(names, planned);
    for (name, bytes) in &plan.files {
        assert_eq!(
            &std::fs::read(unzipped.join(name)).unwrap(),
            bytes,
            "{name}"
        );
    }
}

#[test]
fn an_offices_units_and_campaign_are_what_the_page_offers_and_the_banner_keeps_its_days() {
    let dir = tempfile::tempdir().unwrap();
    let units = dir.path().join("units.toml");
    std::fs::write(
        &units,
        "organization = \"Department of Examples\"\n\
         [contact.main]\nteam = \"Help Desk\"\nemail = \"help@example.org\"\nabout = \"For help\"\n\
         [[unit]]\nname = \"Foster Care Unit\"\naliases = [\"FCU\", \"Foster\"]\ncontact = \"main\"\n\
         [[unit]]\nname = \"Adoptions Bureau\"\naliases = [\"AB\"]\ncontact = \"main\"\n",
    )
    .unwrap();
    let campaign =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/campaigns/foster-care-may/campaign.toml");
    let office: [&str; 6] = [
        "--config",
        units.to_str().unwrap(),
        "--campaign",
        campaign.to_str().unwrap(),
        "--banner",
        "auto",
    ];
    let page = make_page(dir.path(), &office);
    let person = Person::new("Ana Ruiz", "Analyst", "fcu", "ana@example.org", "");
    let in_may = cli(&person, &[&office[..], &["--date", "2027-05-10"]].concat());
    let in_june = cli(&person, &[&office[..], &["--date", "2027-06-10"]].concat());
    let visit = json!({"set": person.values(),
                       "normalize": [in_may.fragment, in_june.fragment, in_may.reply]});
    let may = drive(
        json!({"page": page.to_str().unwrap(), "date": "2027-05-10T19:00:00Z", "visits": [visit.clone()]}),
    );
    let june = drive(
        json!({"page": page.to_str().unwrap(), "date": "2027-06-10T19:00:00Z", "visits": [visit]}),
    );
    let may = &may["visits"][0];
    assert_eq!(
        may["units"],
        json!([
            "Foster Care Unit",
            "FCU",
            "Foster",
            "Adoptions Bureau",
            "AB"
        ]),
        "the office's units and aliases, nothing of the built-in ones"
    );
    assert!(may["heading"]
        .as_str()
        .unwrap()
        .contains("Department of Examples"));
    assert_eq!(
        may["preview"], may["normalized"][0],
        "May: the CLI's signature, banner in"
    );
    assert!(may["banner"].is_string());
    assert_eq!(may["reply"], may["normalized"][2], "the reply version");
    assert_eq!(
        inlined_banner(&format!("src=\"{}\"", may["banner"].as_str().unwrap())),
        inlined_banner(&in_may.document),
        "the campaign's own banner"
    );
    let june = &june["visits"][0];
    assert_eq!(
        june["preview"], june["normalized"][1],
        "June: the CLI's signature, no banner"
    );
    assert!(june["banner"].is_null());
    assert!(in_june
        .stderr
        .contains("leaving the banner out (--banner auto)"));
    assert_eq!(june["notes"].as_array().unwrap().len(), 1, "{june}");
    assert!(june["notes"][0]
        .as_str()
        .unwrap()
        .starts_with("the banner is left out today: it is meant for May 1 to May 31"));
}

#[test]
fn the_page_is_usable_at_360_px_at_200_percent_and_by_keyboard_and_axe_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let page = make_page(dir.path(), &[]);
    let filled = json!({"name": "Ana Ruiz", "title": "Program Analyst", "unit": "CTRT",
                        "email": "ana.ruiz@dss.ca.gov", "phone": "(916) 555-0100"});
    let broken =
        json!({"name": "", "title": "x", "unit": "Payroll", "email": "ana@", "phone": "call"});
    let seen = drive(json!({
        "page": page.to_str().unwrap(),
        "a11y": [
            {"width": 1280, "scale": 1, "set": filled},
            {"width": 640, "scale": 2, "set": broken},
            {"width": 360, "scale": 1, "set": filled},
            {"width": 360, "scale": 1},
        ],
        "keyboard": {"type": {"name": "Ana Ruiz", "title": "Program Analyst", "unit": "RPB"}},
    }));
    for view in seen["a11y"].as_array().unwrap() {
        assert_eq!(
            view["violations"],
            json!([]),
            "axe at {}px ×{}",
            view["width"],
            view["scale"]
        );
        assert!(
            view["scroll"].as_u64() <= view["width"].as_u64(),
            "the page scrolls sideways at {}px: {view}",
            view["width"]
        );
        assert_eq!(view["wide"], json!([]), "cut off at {}px", view["width"]);
    }
    let keyboard = &seen["keyboard"];
    let order: Vec<&str> = keyboard["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    let at = |id: &str| {
        order
            .iter()
            .position(|o| *o == id)
            .unwrap_or_else(|| panic!("{id} is not reached by Tab: {order:?}"))
    };
    let wanted = [
        "name",
        "title",
        "unit",
        "email",
        "phone",
        "copy",
        "copy-reply",
        "download-outlook",
        "download-html",
        "download-text",
    ];
    for pair in wanted.windows(2) {
        assert!(
            at(pair[0]) < at(pair[1]),
            "{} before {}: {order:?}",
            pair[0],
            pair[1]
        );
    }
    for focused in keyboard["order"].as_array().unwrap() {
        assert_eq!(focused["outline"], true, "a visible focus: {focused}");
    }
    assert_eq!(keyboard["state"], "made");
    let text = keyboard["clipboard"]["text/plain"].as_str().unwrap();
    assert!(
        text.starts_with("-- \nAna Ruiz\nProgram Analyst\nRefugee Programs Bureau\n"),
        "{text}"
    );
}

#[test]
fn a_huge_query_string_gets_the_clis_words_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let page = make_page(dir.path(), &[]);
    let huge = "A".repeat(100_000);
    let person = Person::new(&huge, "<x>", "CTRT", "", "");
    let words = cli_refusal(&person);
    let query = format!("?name={huge}&title=%3Cx%3E&unit=CTRT&unit=RPB&other={huge}");
    let seen = drive(json!({"page": page.to_str().unwrap(), "visits": [{"query": query}]}));
    let visit = &seen["visits"][0];
    assert_eq!(visit["state"], "refused");
    assert_eq!(visit["errors"]["name"], words.as_str());
    assert_eq!(
        visit["values"]["unit"], "CTRT",
        "the first of a repeated name"
    );
}

// ─── the command (no browser) ────────────────────────────────────────────────────────

#[test]
fn page_writes_one_html_file_through_the_output_folder_and_refuses_other_names() {
    let dir = tempfile::tempdir().unwrap();
    let page = make_page(dir.path(), &[]);
    assert_eq!(crate::common::names(dir.path()), ["signature.html"]);
    assert!(
        dir.path().join(crate::common::RECORD).is_dir(),
        "sigblock's record"
    );
    let html = read(&page);
    assert!(html.len() < 1_500_000, "{} bytes", html.len());
    // Again: its own file is replaced; somebody else's is not, without --force.
    make_page(dir.path(), &[]);
    let mine = dir.path().join("mine.html");
    std::fs::write(&mine, "my own page").unwrap();
    let run = Run::from(
        sigblock()
            .args(["page", "--out"])
            .arg(&mine)
            .output()
            .unwrap(),
    );
    run.expect_code(2);
    assert_eq!(read(&mine), "my own page");
    let run = Run::from(
        sigblock()
            .args(["page", "--force", "--out"])
            .arg(&mine)
            .output()
            .unwrap(),
    );
    run.expect_code(0);
    assert!(read(&mine).starts_with("<!DOCTYPE html>"));

    let run = Run::from(
        sigblock()
            .args(["page", "--out"])
            .arg(dir.path().join("signature.txt"))
            .output()
            .unwrap(),
    );
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("the signature page is a web page, so its name ends in .html"),
        "{}",
        run.stderr
    );
    let run = Run::from(
        sigblock()
            .args(["page", "--out"])
            .arg(dir.path())
            .output()
            .unwrap(),
    );
    run.expect_code(2);
    assert!(
        run.stderr.contains("is a folder; name the file"),
        "{}",
        run.stderr
    );
    let run = Run::from(
        sigblock()
            .args([
                "page",
                "--out",
                "x.html",
                "--image-url",
                "http://x.org/b.png",
            ])
            .current_dir(dir.path())
            .output()
            .unwrap(),
    );
    run.expect_code(2);
    assert!(run.stderr.contains("--image-url"), "{}", run.stderr);

    // A hosted banner: its origin is the one place the page may show a picture from,
    // and Gmail's steps say to paste.
    let hosted = dir.path().join("hosted");
    std::fs::create_dir(&hosted).unwrap();
    let page = make_page(
        &hosted,
        &["--image-url", "https://cdn.example.org/sig/banner.png"],
    );
    let html = read(&page);
    assert!(html.contains("img-src data: https://cdn.example.org;"));
    assert!(html.contains("\"image_url\":\"https://cdn.example.org/sig/banner.png\""));
    assert!(html.contains("Settings → See all settings → Signature; paste (Ctrl+V)"));
}

#[test]
fn batch_page_url_gives_each_made_row_its_link_in_the_report_and_the_gallery() {
    let dir = tempfile::tempdir().unwrap();
    let staff = dir.path().join("staff.csv");
    std::fs::write(&staff, "name,title,unit,email\nAna Ruiz,Analyst,CTRT,ana@dss.ca.gov\n,Nobody,CTRT,\nJosé & Co,Lead,RPB,\n").unwrap();
    let out = dir.path().join("out");
    let url = "https://intranet.example.org/sig/signature.html";
    crate::common::batch(&staff, &out, &["--page-url", url]).expect_code(1);
    let bytes = std::fs::read(out.join("report.csv")).unwrap();
    let header = String::from_utf8_lossy(&bytes[3..])
        .lines()
        .next()
        .unwrap()
        .to_owned();
    assert!(header.ends_with(",note,link"), "{header}");
    let rows = report(&out);
    assert_eq!(
        &rows[0][11],
        "https://intranet.example.org/sig/signature.html?name=Ana%20Ruiz&title=Analyst\
         &unit=Child%20Trafficking%20Response%20Team&email=ana%40dss.ca.gov"
    );
    assert_eq!(&rows[1][11], "", "a refused row has no link");
    assert_eq!(
        &rows[2][11],
        "https://intranet.example.org/sig/signature.html?name=Jos%C3%A9%20%26%20Co&title=Lead\
         &unit=Refugee%20Programs%20Bureau"
    );
    let gallery = read(out.join("index.html"));
    assert!(
        gallery.contains("\"k\":\"https://intranet.example.org/sig/signature.html?name=Ana%20Ruiz")
    );

    // Without --page-url the report keeps its columns.
    let plain = dir.path().join("plain");
    crate::common::batch(&staff, &plain, &[]).expect_code(1);
    let bytes = std::fs::read(plain.join("report.csv")).unwrap();
    assert!(String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .unwrap()
        .ends_with(",note"));
    for bad in [
        "intranet/signature.html",
        "https://",
        "ftp://x.org/a.html",
        "https://x.org/a b.html",
    ] {
        let run = crate::common::batch(&staff, &dir.path().join("bad"), &["--page-url", bad]);
        run.expect_code(2);
        assert!(
            run.stderr.starts_with("error: --page-url: "),
            "{bad}: {}",
            run.stderr
        );
    }
}

#[test]
fn the_page_carries_the_banner_the_cli_makes_with_the_offices_logo() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.png");
    image::RgbaImage::from_pixel(64, 64, image::Rgba([220, 20, 60, 255]))
        .save(&logo)
        .unwrap();
    let page = make_page(dir.path(), &["--logo", logo.to_str().unwrap()]);
    let html = read(&page);
    let office = html
        .split("<script type=\"application/json\" id=\"sigblock-office\">")
        .nth(1)
        .and_then(|rest| rest.split("</script>").next())
        .expect("the office's data");
    let office: Value = serde_json::from_str(office).unwrap();
    let carried = base64::engine::general_purpose::STANDARD
        .decode(office["banner"]["png"].as_str().unwrap())
        .unwrap();
    let person = Person::new("Ana Ruiz", "Analyst", "CTRT", "", "");
    let made = cli(&person, &["--logo", logo.to_str().unwrap()]);
    assert_eq!(
        carried,
        inlined_banner(&made.document),
        "the CLI's banner, logo and all"
    );
    assert_ne!(carried, inlined_banner(&cli(&person, &[]).document));
}
