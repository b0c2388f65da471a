//! The campaign as data: its window in Pacific time, `--banner` modes, a second campaign
//! with no code change, and unit logos composited onto the banner.

use std::path::{Path, PathBuf};

use crate::common::{self, inlined_banner, read, sigblock, IN_CAMPAIGN};
use image::{Rgba, RgbaImage};

fn may_campaign() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/campaigns/foster-care-may/campaign.toml")
}

fn person_args() -> [&'static str; 7] {
    [
        "--name",
        "Ana Ruiz",
        "--title",
        "Program Analyst",
        "--unit",
        "CTRT",
        "--no-clipboard",
    ]
}

/// Runs the one-person command in a fresh folder; returns (folder, stderr, html, text).
fn make(extra: &[&str]) -> (tempfile::TempDir, String, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let output = sigblock()
        .args(person_args())
        .args(["--out"])
        .arg(dir.path())
        .args(extra)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    let html = read(dir.path().join("ana-ruiz.html"));
    let text = read(dir.path().join("ana-ruiz.txt"));
    (dir, stderr, html, text)
}

fn banner_png(extra: &[&str]) -> RgbaImage {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("banner.png");
    sigblock()
        .args(["banner", "--lossless", "--out"])
        .arg(&out)
        .args(extra)
        .assert()
        .success();
    image::open(&out).unwrap().into_rgba8()
}

#[test]
fn the_banner_is_meant_for_january_in_pacific_time() {
    for (date, outside) in [
        ("2026-12-31", true),
        ("2027-01-01", false),
        ("2027-01-31", false),
        ("2027-02-01", true),
    ] {
        let (_dir, stderr, html, _) = make(&["--date", date]);
        assert_eq!(
            stderr.contains(
                "note: the banner is meant for January 1 to January 31 (National Human \
                 Trafficking Prevention Month); --banner auto leaves it out on other days"
            ),
            outside,
            "{date}: {stderr}"
        );
        // `always` (the default) keeps the banner whatever the day.
        assert!(html.contains("data:image/png;base64,"), "{date}");
    }
}

#[test]
fn banner_auto_leaves_it_out_outside_the_window_and_never_leaves_it_out_always() {
    let (_d, stderr, html, text) = make(&["--date", "2027-02-10", "--banner", "auto"]);
    assert!(!html.contains("<img"), "{html}");
    assert!(!text.contains("Prevention Month"), "{text}");
    assert!(stderr.contains("leaving the banner out"), "{stderr}");
    // The unit's contact line stays: it is the unit's, not the banner's.
    assert!(text.contains("CSECProgram@dss.ca.gov"));

    let (_d, _, html, text) = make(&["--date", "2027-01-10", "--banner", "auto"]);
    assert!(html.contains("<img"));
    assert!(text.contains("[ January is National Human Trafficking Prevention Month."));

    let (_d, _, html, text) = make(&["--date", IN_CAMPAIGN, "--banner", "never"]);
    assert!(!html.contains("<img") && !text.contains("[ "));
    // Asked for: nothing to say about the campaign's days, even outside them.
    let (_d, stderr, html, _) = make(&["--date", "2027-02-10", "--banner", "never"]);
    assert!(!html.contains("<img"));
    assert_eq!(stderr, "", "--banner never needs no note");
}

#[test]
fn another_months_campaign_is_a_file_not_a_code_change() {
    let campaign = may_campaign();
    let campaign = campaign.to_str().unwrap();
    let (_d, stderr, html, text) = make(&[
        "--campaign",
        campaign,
        "--date",
        "2027-05-10",
        "--banner",
        "auto",
    ]);
    assert!(stderr.lines().all(|l| !l.contains("meant for")), "{stderr}");
    assert!(
        html.contains(r#"alt="May is National Foster Care Month. Every child deserves a family.""#)
    );
    assert!(text.contains("[ May is National Foster Care Month. Every child deserves a family. ]"));
    let may = image::load_from_memory(&inlined_banner(&html))
        .unwrap()
        .into_rgba8();
    // The May banner's green background, not January's blue.
    let corner = may.get_pixel(2, 2);
    assert!(corner[1] > corner[2], "{corner:?}");

    let (_d, stderr, html, _) = make(&[
        "--campaign",
        campaign,
        "--date",
        IN_CAMPAIGN,
        "--banner",
        "auto",
    ]);
    assert!(
        stderr.contains(
            "note: leaving the banner out (--banner auto): it is meant for May 1 to May 31 \
             (National Foster Care Month)"
        ),
        "{stderr}"
    );
    assert!(!html.contains("<img"));
}

#[test]
fn a_broken_campaign_file_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("campaign.toml");
    std::fs::write(&file, "name = \"X\"\nbanner = \"missing.svg\"\n").unwrap();
    let output = sigblock()
        .args(person_args())
        .arg("--campaign")
        .arg(&file)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: ") && stderr.contains("campaign.toml"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
}

fn write_png(path: &Path, width: u32, height: u32, colour: [u8; 4]) {
    RgbaImage::from_pixel(width, height, Rgba(colour))
        .save(path)
        .unwrap();
}

#[test]
fn a_unit_logo_is_placed_at_the_banners_right_end() {
    let dir = tempfile::tempdir().unwrap();
    let logo = dir.path().join("logo.png");
    write_png(&logo, 64, 64, [220, 20, 60, 255]);
    let plain = banner_png(&["--date", IN_CAMPAIGN]);
    let with_logo = banner_png(&["--date", IN_CAMPAIGN, "--logo", logo.to_str().unwrap()]);
    assert_eq!(with_logo.dimensions(), (1200, 200));

    // The logo is scaled to 160 px high (100 px box minus margins, at 2x), centred
    // vertically, 20 px from the right edge: its middle is red.
    assert_eq!(
        *with_logo.get_pixel(1200 - 20 - 80, 100),
        Rgba([220, 20, 60, 255])
    );
    // Left of the logo box nothing changed.
    for (x, y) in [(10, 10), (300, 100), (900, 150)] {
        assert_eq!(
            with_logo.get_pixel(x, y),
            plain.get_pixel(x, y),
            "({x},{y})"
        );
    }

    // The optimised banner inside a signature carries it too.
    let (_d, _, html, _) = make(&["--date", IN_CAMPAIGN, "--logo", logo.to_str().unwrap()]);
    let inlined = image::load_from_memory(&inlined_banner(&html))
        .unwrap()
        .into_rgba8();
    let p = inlined.get_pixel(1100, 100);
    assert!(p[0] > 180 && p[1] < 70 && p[2] < 100, "{p:?}");
}

#[test]
fn a_logo_that_is_not_a_readable_png_of_sane_size_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("logo.png");
    std::fs::write(&text, "not a picture").unwrap();
    let truncated = dir.path().join("truncated.png");
    write_png(&truncated, 64, 64, [0, 0, 0, 255]);
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let huge = dir.path().join("huge.png");
    write_png(&huge, 5000, 2, [0, 0, 0, 255]);
    let missing = dir.path().join("missing.png");

    for (logo, reason) in [
        (&text, "is not a PNG file"),
        (&truncated, "is not a readable PNG"),
        (&huge, "is too large; at most 4096×4096 pixels"),
        (&missing, "cannot open"),
    ] {
        for command in [
            &["banner", "--out"][..],
            &[
                "--no-clipboard",
                "--name",
                "A",
                "--title",
                "T",
                "--unit",
                "CTRT",
                "--out",
            ][..],
        ] {
            let out = dir.path().join("out");
            let output = sigblock()
                .args(command)
                .arg(out.join("x.png"))
                .arg("--logo")
                .arg(logo)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(2), "{logo:?} {output:?}");
            let stderr = String::from_utf8(output.stderr).unwrap();
            let expected = format!("error: logo {}: {reason}", logo.display());
            assert!(
                stderr.starts_with(&expected),
                "{stderr}\nexpected: {expected}"
            );
            assert!(!out.exists(), "nothing is written for {logo:?}");
        }
    }
}

#[test]
fn a_damaged_cached_banner_is_made_anew_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let banner = |name: &str| {
        let out = dir.path().join(name);
        sigblock()
            .env("SIGBLOCK_CACHE_DIR", &cache)
            .args(["banner", "--date", IN_CAMPAIGN, "--out"])
            .arg(&out)
            .assert()
            .success();
        std::fs::read(out).unwrap()
    };
    let fresh = banner("first.png");
    let cached: Vec<_> = std::fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(cached.len(), 1, "one cached banner");
    let cached = cached[0].path();
    assert_eq!(
        std::fs::read(&cached).unwrap(),
        fresh,
        "the cache holds what was made"
    );

    // Damage a byte in the middle: header and IEND still look right.
    let mut bytes = fresh.clone();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xFF;
    std::fs::write(&cached, &bytes).unwrap();
    assert_eq!(
        banner("second.png"),
        fresh,
        "the damaged entry was not served"
    );
}

#[test]
fn a_date_outside_sensible_years_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let output = sigblock()
        .args(["banner", "--date=-0100-01-05", "--out"])
        .arg(dir.path().join("b.png"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("error: --date: -0100-01-05 is not a day between"),
        "{stderr}"
    );
    assert!(!dir.path().join("b.png").exists());
}

/// The office checks its artwork before the month starts: every text run of the banner,
/// with its contrast against what the render puts behind it; nothing is written.
#[test]
fn an_office_checks_the_banner_text_contrast_before_the_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let output = sigblock()
        .current_dir(dir.path())
        .args(["banner", "--check"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let runs: Vec<&str> = stdout.lines().filter(|l| l.contains(":1  ")).collect();
    assert!(runs.len() >= 2, "{stdout}");
    for run in &runs {
        let ratio: f64 = run.split(':').next().unwrap().trim().parse().unwrap();
        assert!(ratio >= 4.5 && run.contains(" ok "), "{run}");
    }
    assert!(
        runs.iter().any(|r| r.contains("\"Learn the signs.")),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(&format!(
            "{} text runs, each at least 4.5:1 against what is behind it (WCAG AA)\n",
            runs.len()
        )),
        "{stdout}"
    );
    assert!(
        common::names(dir.path()).is_empty(),
        "--check writes nothing"
    );
}

/// Faint grey text on grey is measured as such: the check fails with exit 1 and says
/// which run is too low.
#[test]
fn a_faint_banner_text_fails_the_contrast_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("banner.svg"),
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100">
        <rect width="600" height="100" fill="#777777"/>
        <text x="10" y="60" font-family="Open Sans" font-size="30" fill="#999999">Faint</text>
        </svg>"##,
    )
    .unwrap();
    let campaign = read(may_campaign());
    std::fs::write(dir.path().join("campaign.toml"), campaign).unwrap();
    let output = sigblock()
        .args(["banner", "--check", "--campaign"])
        .arg(dir.path().join("campaign.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    let run = stdout.lines().next().unwrap();
    assert!(
        run.contains("too low") && run.contains("#999999 on #777777") && run.ends_with("\"Faint\""),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("1 of 1 text runs below 4.5:1 (WCAG AA)\n"),
        "{stdout}"
    );
}
