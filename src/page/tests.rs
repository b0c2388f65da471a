use super::*;
use crate::campaign::Campaign;
use crate::person::PersonInput;

fn banner() -> Banner {
    Banner {
        png: vec![0x89, b'P', b'N', b'G', 1, 2, 3],
        width: 600,
        height: 100,
        alt: "alt".into(),
        text: "text".into(),
    }
}

fn office(mode: BannerMode, image_url: Option<&str>) -> Office {
    let campaign = Campaign::embedded();
    Office::new(
        (
            crate::units::BUILT_IN.to_owned(),
            "built-in units.toml".to_owned(),
        ),
        &campaign,
        Some(&banner()),
        image_url.map(Into::into),
        mode,
    )
}

fn ana(today: &str) -> Request {
    Request {
        name: "Ana Ruiz".into(),
        title: "Program Analyst".into(),
        unit: "ctrt".into(),
        email: "ana.ruiz@dss.ca.gov".into(),
        phone: "(916) 555-0100".into(),
        today: today.into(),
    }
}

/// The signature as the command line's own types make it for the same input.
fn expected(request: &Request, picture: Option<&Picture>) -> (String, String) {
    let directory = Directory::embedded();
    let templates = Templates::new();
    let person = PersonInput {
        name: request.name.clone(),
        title: request.title.clone(),
        unit: request.unit.clone(),
        email: Some(request.email.clone()),
        phone: Some(request.phone.clone()),
    }
    .validate(&directory)
    .unwrap();
    let signature = Signature::new(
        &templates,
        &person,
        &directory.organization,
        picture.map(|p| &p.banner),
    );
    (
        signature.html(picture, ImageSource::Inline),
        signature.text().to_owned(),
    )
}

#[test]
fn the_page_makes_the_signature_the_command_line_makes() {
    let page = Page::new(&office(BannerMode::Always, None)).unwrap();
    let request = ana("2027-01-15");
    let response = page.respond(&request);
    assert!(response.errors.is_empty());
    let made = response.signature.unwrap();
    let campaign = Campaign::embedded();
    let picture = Picture::new(
        Banner {
            alt: campaign.alt.clone(),
            text: campaign.text.clone(),
            ..banner()
        },
        None,
    );
    let (html, text) = expected(&request, Some(&picture));
    assert_eq!(made.html, html);
    assert_eq!(made.text, text);
    assert!(made.banner);
    assert_eq!(made.text_name, "ana-ruiz.txt");
    assert_eq!(made.document_name, "ana-ruiz.html");
    assert_eq!(made.outlook_name, "ana-ruiz-outlook.zip");
    assert!(made.document.contains(&made.html));
    assert!(made.reply_html.starts_with("<table") && !made.reply_html.contains("<img"));
}

#[test]
fn every_bad_field_is_refused_in_the_command_lines_words() {
    let page = Page::new(&office(BannerMode::Always, None)).unwrap();
    let request = Request {
        name: " ".into(),
        title: "<b>Boss</b>".into(),
        unit: "CSECP".into(),
        email: "ana@".into(),
        phone: "call me".into(),
        today: "2027-01-15".into(),
    };
    let response = page.respond(&request);
    assert!(response.signature.is_none());
    let words: Vec<(&str, &str)> = response
        .errors
        .iter()
        .map(|e| (e.field.as_str(), e.message.as_str()))
        .collect();
    let directory = Directory::embedded();
    let cli = PersonInput {
        name: " ".into(),
        title: "<b>Boss</b>".into(),
        unit: "CSECP".into(),
        email: Some("ana@".into()),
        phone: Some("call me".into()),
    }
    .validate(&directory)
    .unwrap_err();
    assert_eq!(
        words.iter().map(|(_, m)| *m).collect::<Vec<_>>().join("; "),
        cli.to_string()
    );
    assert_eq!(
        words.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
        ["name", "unit", "email", "phone"]
    );
}

#[test]
fn outside_the_window_auto_leaves_the_banner_out_and_says_so() {
    let page = Page::new(&office(BannerMode::Auto, None)).unwrap();
    let inside = page.respond(&ana("2027-01-31"));
    assert!(inside.signature.unwrap().banner);
    assert!(inside.notes.is_empty());
    let outside = page.respond(&ana("2027-02-01"));
    let made = outside.signature.unwrap();
    assert!(!made.banner && !made.html.contains("<img"));
    assert_eq!(
        outside.notes,
        [
            "the banner is left out today: it is meant for January 1 to January 31 (National \
          Human Trafficking Prevention Month); open this page again then for the signature \
          with it"
        ]
    );
    let always = Page::new(&office(BannerMode::Always, None)).unwrap();
    let outside = always.respond(&ana("2027-02-01"));
    assert!(outside.signature.unwrap().banner);
    assert_eq!(
        outside.notes,
        [
            "the banner is meant for January 1 to January 31 (National Human Trafficking \
          Prevention Month)"
        ]
    );
}

#[test]
fn a_hosted_banner_is_referenced_and_the_persons_notes_are_said() {
    let url = "https://cdn.example.org/banner.png";
    let page = Page::new(&office(BannerMode::Always, Some(url))).unwrap();
    let mut request = ana("2027-01-15");
    request.phone = "555-0100".into();
    request.email = "ANA.RUIZ@dss.ca.gov".into();
    let response = page.respond(&request);
    let made = response.signature.unwrap();
    assert!(made.html.contains(&format!("src=\"{url}\"")));
    assert!(!made.html.contains("data:image"));
    assert_eq!(response.notes.len(), 2, "{:?}", response.notes);
    assert!(response.notes[0].starts_with("the phone number \"555-0100\" has no area code"));
    assert!(response.notes[1].starts_with("the email address ANA.RUIZ@dss.ca.gov is in capitals"));
}

#[test]
fn the_outlook_zip_holds_installs_files() {
    let page = Page::new(&office(BannerMode::Always, None)).unwrap();
    let zip = page.outlook_zip(&ana("2027-01-15")).unwrap();
    let text = String::from_utf8_lossy(&zip);
    for name in [
        "CDSS - Ana Ruiz.htm",
        "CDSS - Ana Ruiz.rtf",
        "CDSS - Ana Ruiz.txt",
        "CDSS - Ana Ruiz_files/banner.png",
        "CDSS - Ana Ruiz (reply).htm",
    ] {
        assert!(text.contains(name), "{name}");
    }
    let mut bad = ana("2027-01-15");
    bad.name = String::new();
    assert_eq!(page.outlook_zip(&bad).unwrap_err(), "name: is empty");
}

#[test]
fn data_that_is_not_the_offices_is_refused() {
    let mut broken = office(BannerMode::Always, None);
    broken.units = "organization = 3".into();
    assert!(Page::new(&broken)
        .err()
        .unwrap()
        .to_string()
        .starts_with("the signature page's data: built-in units.toml: "));
    let mut broken = office(BannerMode::Always, None);
    broken.campaign.ends = (2, 30);
    assert!(Page::new(&broken).is_err());
}
