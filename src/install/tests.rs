//! The plan, on Linux: files, names, RTF (read back by Debian's `unrtf`), the `.txt`,
//! registry values, and what the registry says about Outlook.

use std::collections::BTreeMap;
use std::path::Path;

use super::outlook::{dw, signatures_folder, sz, Outlook, Snapshot};
use super::*;
use crate::banner::Banner;
use crate::person::PersonInput;
use crate::units::Directory;

const PROFILES: &str = r"HKCU\Software\Microsoft\Office\16.0\Outlook\Profiles";
/// A registry value: its type number and bytes.
type Value = (u32, Vec<u8>);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-not-really-a-png-but-bytes-to-carry-";

fn ana() -> PersonInput {
    PersonInput {
        name: "Ana Ruiz".into(),
        title: "Program Analyst".into(),
        unit: "CTRT".into(),
        email: Some("ana.ruiz@dss.ca.gov".into()),
        phone: Some("(916) 555-0100".into()),
    }
}

fn banner() -> Picture {
    let banner = Banner {
        png: PNG.to_vec(),
        width: 600,
        height: 100,
        alt: "alt".into(),
        text: "Banner line".into(),
    };
    Picture::new(banner, None)
}

fn account(n: u32, email: &str) -> Account {
    Account {
        key: format!(r"{PROFILES}\Outlook\9375CFF0413111d3B88A00104B2A6676\{n:08}"),
        email: email.into(),
        new_signature: None,
        reply_signature: None,
    }
}

fn make(picture: Option<&Picture>) -> Plan {
    make_for(picture, &[])
}

/// The plan with a set of their own for the mailboxes `addresses`.
fn make_for(picture: Option<&Picture>, addresses: &[&str]) -> Plan {
    let directory = Directory::embedded();
    let person = ana().validate(&directory).unwrap();
    let templates = Templates::new();
    let mailboxes: Vec<Mailbox> = addresses.iter().map(|a| Mailbox::new(a).unwrap()).collect();
    let parts = Parts {
        templates: &templates,
        person: &person,
        organization: &directory.organization,
        picture,
        mailboxes: &mailboxes,
    };
    plan("CDSS - Ana Ruiz", &parts)
}

fn file<'p>(plan: &'p Plan, name: &str) -> &'p [u8] {
    &plan.files.iter().find(|(n, _)| n == name).unwrap().1
}

fn utf16(bytes: &[u8]) -> String {
    assert_eq!(&bytes[..2], [0xFF, 0xFE], "a UTF-16 LE BOM");
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).unwrap()
}

/// `unrtf --text` of an RTF file: its text, without unrtf's own header lines. unrtf's
/// text is ASCII (`?` for the rest) and shows a link as its field's target
/// (`"mailto:…"`); its `--html` keeps accents (as entities) but shows links as the word
/// `hyperlink`: [`unrtf_html_text`].
fn unrtf(rtf: &[u8]) -> String {
    run_unrtf(rtf, "--text")
        .lines()
        .filter(|l| !l.starts_with("###"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of `unrtf --html`'s page, entities decoded.
fn unrtf_html_text(rtf: &[u8]) -> String {
    let html = run_unrtf(rtf, "--html");
    scraper::Html::parse_document(&html)
        .root_element()
        .text()
        .collect()
}

fn run_unrtf(rtf: &[u8], mode: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.rtf");
    std::fs::write(&path, rtf).unwrap();
    let out = std::process::Command::new("unrtf")
        .args([mode, "--nopict"])
        .arg(&path)
        .output()
        .expect("unrtf is installed (Debian package unrtf)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_files_are_named_by_the_signature_and_the_banner_is_in_its_files_folder() {
    let banner = banner();
    let names: Vec<_> = make(Some(&banner))
        .files
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "CDSS - Ana Ruiz_files/banner.png",
            "CDSS - Ana Ruiz.htm",
            "CDSS - Ana Ruiz.rtf",
            "CDSS - Ana Ruiz.txt",
            "CDSS - Ana Ruiz (reply).htm",
            "CDSS - Ana Ruiz (reply).rtf",
            "CDSS - Ana Ruiz (reply).txt",
        ]
    );
    let plain = make(None);
    assert_eq!(plain.files.len(), 6, "no banner, no _files");
    assert_eq!(plain.name, "CDSS - Ana Ruiz");
    assert_eq!(plain.reply, "CDSS - Ana Ruiz (reply)");
}

#[test]
fn each_mailbox_gets_the_same_set_under_its_own_names_and_files_folder() {
    let banner = banner();
    let plan = make_for(
        Some(&banner),
        &[
            "ana.ruiz@dss.ca.gov",
            "CTRT.Shared@dss.ca.gov",
            "ANA.RUIZ@DSS.CA.GOV",
        ],
    );
    let names: Vec<&str> = plan.files.iter().map(|(n, _)| n.as_str()).collect();
    let set = |stem: &str, reply: &str| {
        vec![
            format!("{stem}_files/banner.png"),
            format!("{stem}.htm"),
            format!("{stem}.rtf"),
            format!("{stem}.txt"),
            format!("{reply}.htm"),
            format!("{reply}.rtf"),
            format!("{reply}.txt"),
        ]
    };
    let mut wanted = set("CDSS - Ana Ruiz", "CDSS - Ana Ruiz (reply)");
    wanted.extend(set(
        "CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov)",
        "CDSS - Ana Ruiz (reply) (ana.ruiz@dss.ca.gov)",
    ));
    // The same address in capitals is the same files on Windows: one set, the first.
    wanted.extend(set(
        "CDSS - Ana Ruiz (CTRT.Shared@dss.ca.gov)",
        "CDSS - Ana Ruiz (reply) (CTRT.Shared@dss.ca.gov)",
    ));
    assert_eq!(names, wanted);
    assert_eq!(plan.mailboxes.len(), 2);
    assert_eq!(
        plan.names_for("ana.ruiz@DSS.ca.gov"),
        (
            "CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov)",
            "CDSS - Ana Ruiz (reply) (ana.ruiz@dss.ca.gov)"
        )
    );
    assert_eq!(
        plan.names_for("someone.else@dss.ca.gov"),
        ("CDSS - Ana Ruiz", "CDSS - Ana Ruiz (reply)")
    );

    // Each page links its own files folder, as Outlook's own do
    // (`Name%20(user@domain)_files/…`: the space escaped, the @ and brackets as they are).
    let htm =
        std::str::from_utf8(file(&plan, "CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov).htm")).unwrap();
    assert!(
        htm.contains("src=\"CDSS%20-%20Ana%20Ruiz%20(ana.ruiz@dss.ca.gov)_files/banner.png\""),
        "{htm}"
    );
    // Everything else is the plain set's, byte for byte.
    let plain = make(Some(&banner));
    for (ending, reply) in [
        (".rtf", false),
        (".txt", false),
        (".htm", true),
        (".rtf", true),
    ] {
        let (own, theirs) = if reply {
            (
                format!("CDSS - Ana Ruiz (reply) (ana.ruiz@dss.ca.gov){ending}"),
                format!("CDSS - Ana Ruiz (reply){ending}"),
            )
        } else {
            (
                format!("CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov){ending}"),
                format!("CDSS - Ana Ruiz{ending}"),
            )
        };
        assert!(file(&plan, &own) == file(&plain, &theirs), "{own}");
    }
    let without = std::str::from_utf8(file(&plain, "CDSS - Ana Ruiz.htm")).unwrap();
    assert_eq!(
        htm.replace("%20(ana.ruiz@dss.ca.gov)_files", "_files"),
        without
    );
}

#[test]
fn set_default_points_each_account_at_its_own_mailboxs_names() {
    let accounts = [
        account(2, "ana.ruiz@dss.ca.gov"),
        account(3, "ctrt@dss.ca.gov"),
        account(4, "no set@dss.ca.gov"),
    ];
    let plan = make_for(None, &["ana.ruiz@dss.ca.gov", "CTRT@dss.ca.gov"]);
    let said: Vec<_> = defaults(&plan, &accounts)
        .into_iter()
        .map(|v| (v.key.rsplit('\\').next().unwrap().to_owned(), v.data))
        .collect();
    let row = |n: &str, data: &str| (n.to_owned(), data.to_owned());
    assert_eq!(
        said,
        [
            row("00000002", "CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov)"),
            row("00000002", "CDSS - Ana Ruiz (reply) (ana.ruiz@dss.ca.gov)"),
            row("00000003", "CDSS - Ana Ruiz (CTRT@dss.ca.gov)"),
            row("00000003", "CDSS - Ana Ruiz (reply) (CTRT@dss.ca.gov)"),
            // An account without a set of its own keeps the plain names.
            row("00000004", "CDSS - Ana Ruiz"),
            row("00000004", "CDSS - Ana Ruiz (reply)"),
        ]
    );
}

#[test]
fn the_htm_is_utf8_with_its_charset_and_links_the_banner_by_a_relative_url() {
    let banner = banner();
    let plan = make(Some(&banner));
    let htm = std::str::from_utf8(file(&plan, "CDSS - Ana Ruiz.htm")).unwrap();
    assert!(htm.contains("<meta charset=\"utf-8\">"));
    assert!(
        htm.contains("src=\"CDSS%20-%20Ana%20Ruiz_files/banner.png\""),
        "{htm}"
    );
    assert!(!htm.contains("data:"));
    assert!(htm.contains("CSECProgram@dss.ca.gov"), "the contact line");
    assert_eq!(file(&plan, "CDSS - Ana Ruiz_files/banner.png"), PNG);

    let reply = std::str::from_utf8(file(&plan, "CDSS - Ana Ruiz (reply).htm")).unwrap();
    assert!(reply.contains(">Ana Ruiz</td>") && reply.contains("mailto:ana.ruiz@dss.ca.gov"));
    assert!(!reply.contains("<img"), "no banner in a reply");
    assert!(!reply.contains("CSECProgram"), "no contact line in a reply");
}

#[test]
fn the_txt_is_utf16_with_a_bom_and_crlf() {
    let plan = make(None);
    let text = utf16(file(&plan, "CDSS - Ana Ruiz.txt"));
    assert!(
        text.starts_with("-- \r\nAna Ruiz\r\nProgram Analyst\r\n"),
        "{text:?}"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "every line ends CRLF"
    );
    assert!(text.contains("CSECProgram@dss.ca.gov."));
    let reply = utf16(file(&plan, "CDSS - Ana Ruiz (reply).txt"));
    assert_eq!(
        reply,
        "-- \r\nAna Ruiz\r\nProgram Analyst\r\nChild Trafficking Response Team\r\n\
         ana.ruiz@dss.ca.gov | (916) 555-0100\r\n"
    );
}

#[test]
fn the_rtf_reads_back_in_unrtf_with_the_name_and_contact_line_and_carries_the_png() {
    let banner = banner();
    let plan = make(Some(&banner));
    let rtf = file(&plan, "CDSS - Ana Ruiz.rtf");
    let text = unrtf(rtf);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for wanted in [
        "Ana Ruiz",
        "Program Analyst",
        "Child Trafficking Response Team",
        "California Department of Social Services",
        "\"mailto:ana.ruiz@dss.ca.gov\" | \"tel:+19165550100\"",
        "please contact the Child Trafficking Response Team (CTRT) at \"mailto:CSECProgram@dss.ca.gov\".",
    ] {
        assert!(flat.contains(wanted), "{wanted:?} not in unrtf's text:\n{text}");
    }
    // The picture: the PNG's bytes, in hex, after \pngblip.
    let rtf = std::str::from_utf8(rtf).unwrap();
    let start = rtf.find("\\pngblip").expect("a PNG picture");
    let body = &rtf[start..];
    let hex: String = body[body.find("\r\n").unwrap()..body.find('}').unwrap()]
        .chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect();
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    assert_eq!(bytes, PNG);
    assert!(
        rtf.contains("\\picwgoal9000\\pichgoal1500"),
        "600×100 px at 96 dpi"
    );
    assert!(rtf.contains("HYPERLINK \"mailto:CSECProgram@dss.ca.gov\""));

    let reply = unrtf(file(&plan, "CDSS - Ana Ruiz (reply).rtf"));
    assert!(
        reply.contains("Ana Ruiz") && !reply.contains("CSECProgram"),
        "{reply}"
    );
    assert!(
        !std::str::from_utf8(file(&plan, "CDSS - Ana Ruiz (reply).rtf"))
            .unwrap()
            .contains("\\pict")
    );
}

#[test]
fn accents_survive_the_rtf() {
    let directory = Directory::embedded();
    let mut input = ana();
    input.name = "José Núñez".into();
    let person = input.validate(&directory).unwrap();
    let templates = Templates::new();
    let parts = Parts {
        templates: &templates,
        person: &person,
        organization: &directory.organization,
        picture: None,
        mailboxes: &[],
    };
    let plan = plan("CDSS - José Núñez", &parts);
    let rtf = file(&plan, "CDSS - José Núñez.rtf");
    assert!(rtf.is_ascii());
    let text = unrtf_html_text(rtf);
    assert!(text.contains("José Núñez"), "{text}");
    let plan = make(None);
    let text = unrtf_html_text(file(&plan, "CDSS - Ana Ruiz.rtf"));
    assert!(
        text.contains("California’s Child Welfare response"),
        "{text}"
    );
}

#[test]
fn set_default_points_new_messages_at_the_signature_and_replies_at_the_short_one() {
    let accounts = [
        account(2, "ana.ruiz@dss.ca.gov"),
        account(3, "ctrt@dss.ca.gov"),
    ];
    let plan = make(None);
    let values = defaults(&plan, &accounts);
    let said: Vec<_> = values
        .iter()
        .map(|v| {
            (
                v.key.rsplit('\\').next().unwrap(),
                v.name.as_str(),
                v.data.as_str(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            ("00000002", "New Signature", "CDSS - Ana Ruiz"),
            (
                "00000002",
                "Reply-Forward Signature",
                "CDSS - Ana Ruiz (reply)"
            ),
            ("00000003", "New Signature", "CDSS - Ana Ruiz"),
            (
                "00000003",
                "Reply-Forward Signature",
                "CDSS - Ana Ruiz (reply)"
            ),
        ]
    );
    let reg = utf16(&reg::file(&values).unwrap());
    assert!(reg.starts_with("Windows Registry Editor Version 5.00\r\n"));
    assert!(reg.contains(
        "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook\\\
         9375CFF0413111d3B88A00104B2A6676\\00000003]\r\n\"New Signature\"=\"CDSS - Ana Ruiz\"\r\n"
    ));
}

fn registry(entries: &[(&str, &str, Value)]) -> Snapshot {
    let mut snapshot: Snapshot = BTreeMap::new();
    for (key, name, value) in entries {
        snapshot
            .entry((*key).to_owned())
            .or_default()
            .insert((*name).to_owned(), value.clone());
    }
    snapshot
}

#[test]
fn the_registry_gives_the_folder_the_default_profiles_mail_accounts_and_roaming() {
    let appdata = Path::new("/home/ana/AppData/Roaming");
    let outlook_key = r"HKCU\Software\Microsoft\Office\16.0\Outlook";
    let acc = |p: &str, n: &str| format!(r"{PROFILES}\{p}\9375CFF0413111d3B88A00104B2A6676\{n}");
    let (a2, a3, a4, b2) = (
        acc("Work", "00000002"),
        acc("Work", "00000003"),
        acc("Work", "00000004"),
        acc("Other", "00000002"),
    );
    // Outlook before 2016 kept names as UTF-16 REG_BINARY.
    let binary = (3, sz("li@dss.ca.gov").1);
    let snapshot = registry(&[
        (outlook_key, "DefaultProfile", sz("Work")),
        (&a2, "Account Name", sz("ana.ruiz@dss.ca.gov")),
        (&a2, "New Signature", sz("Old")),
        (&a3, "Account Name", sz("Outlook Data File")),
        (&a4, "Account Name", binary),
        (&b2, "Account Name", sz("other@example.org")),
    ]);
    let outlook = Outlook::read(&snapshot, appdata);
    assert!(outlook.present);
    assert_eq!(outlook.folder, appdata.join("Microsoft").join("Signatures"));
    assert_eq!(outlook.profile.as_deref(), Some("Work"));
    let emails: Vec<_> = outlook.accounts.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(emails, ["ana.ruiz@dss.ca.gov", "li@dss.ca.gov"]);
    assert_eq!(outlook.accounts[0].new_signature.as_deref(), Some("Old"));
    assert!(!outlook.roaming_disabled);

    let chosen = outlook.select(&["LI@dss.ca.gov".into()]).unwrap();
    assert_eq!(chosen.len(), 1);
    assert_eq!(chosen[0].key, a4);
    let error = outlook
        .select(&["nobody@x.org".into()])
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("nobody@x.org") && error.contains("ana.ruiz@dss.ca.gov, li@dss.ca.gov"),
        "{error}"
    );

    let off = registry(&[(outlook::SETUP, "DisableRoamingSignatures", dw(1))]);
    assert!(Outlook::read(&off, appdata).roaming_disabled);
    let policy = registry(&[(
        outlook::POLICY_SETUP,
        "DisableRoamingSignaturesTemporaryToggle",
        dw(1),
    )]);
    assert!(Outlook::read(&policy, appdata).roaming_disabled);
    let none = Outlook::read(&BTreeMap::new(), appdata);
    assert!(!none.present && none.accounts.is_empty());
    assert!(none
        .select(&[])
        .unwrap_err()
        .to_string()
        .starts_with("no mail account"));
}

#[test]
fn the_signatures_value_names_a_folder_under_appdata_microsoft_or_anywhere() {
    let appdata = Path::new("/r");
    assert_eq!(
        signatures_folder(None, appdata),
        Path::new("/r/Microsoft/Signatures")
    );
    assert_eq!(
        signatures_folder(Some("Firmas"), appdata),
        Path::new("/r/Microsoft/Firmas")
    );
    assert_eq!(
        signatures_folder(Some("%APPDATA%\\Sigs\\x"), appdata),
        Path::new("/r/Sigs/x")
    );
    assert_eq!(
        signatures_folder(Some("/srv/sigs"), appdata),
        Path::new("/srv/sigs")
    );
    assert_eq!(
        signatures_folder(Some("  "), appdata),
        Path::new("/r/Microsoft/Signatures")
    );
}

#[test]
fn a_files_folder_is_linked_by_a_url_path_a_browser_and_outlook_resolve_back_to_its_name() {
    // As Outlook links its own: the space escaped, brackets and @ as they are; what a URL
    // would read otherwise (a fragment, a query, an escape, a quote) escaped too.
    assert_eq!(
        url_path("CDSS - Ana Ruiz (ana.ruiz@dss.ca.gov)"),
        "CDSS%20-%20Ana%20Ruiz%20(ana.ruiz@dss.ca.gov)"
    );
    assert_eq!(
        url_path("N (o'brien+tag#1%&x@dss.ca.gov)"),
        "N%20(o%27brien%2Btag%231%25%26x@dss.ca.gov)"
    );
    assert_eq!(url_path("José Núñez"), "José%20Núñez");
    let mailbox = Mailbox::new("o'brien+tag#1%&x@dss.ca.gov").unwrap();
    let banner = banner();
    let directory = Directory::embedded();
    let person = ana().validate(&directory).unwrap();
    let templates = Templates::new();
    let plan = plan(
        "N",
        &Parts {
            templates: &templates,
            person: &person,
            organization: &directory.organization,
            picture: Some(&banner),
            mailboxes: std::slice::from_ref(&mailbox),
        },
    );
    let htm = std::str::from_utf8(file(&plan, "N (o'brien+tag#1%&x@dss.ca.gov).htm")).unwrap();
    let src = scraper::Html::parse_document(htm)
        .select(&scraper::Selector::parse("img").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("src")
        .unwrap()
        .to_owned();
    assert_eq!(
        src,
        "N%20(o%27brien%2Btag%231%25%26x@dss.ca.gov)_files/banner.png"
    );
    assert!(plan
        .files
        .iter()
        .any(|(name, _)| name == "N (o'brien+tag#1%&x@dss.ca.gov)_files/banner.png"));
}
