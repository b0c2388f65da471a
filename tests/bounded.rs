//! What an office hands sigblock is bounded and contained: a units or campaign file that
//! is a device, a pipe or far too large is refused at once, its values are one line each
//! with no control characters, messages about it stay short, and a damaged banner cache
//! entry is made anew rather than trusted. (Part of the untrusted-input issue; what is
//! still open is listed in TESTING.md.)

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use crate::common::{self, sigblock, ANA, IN_CAMPAIGN};

const UNITS: &str = "organization = \"X\"\n\
    [contact.a]\nteam = \"Team\"\nemail = \"t@x.org\"\nabout = \"About\"\n\
    [[unit]]\nname = \"U\"\ncontact = \"a\"\n";

/// Ana's signature with `extra` flags, into a fresh folder; (output, how long it took).
fn ana(extra: &[&str]) -> (Output, Duration) {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let output = sigblock()
        .args(ANA)
        .args(["--date", IN_CAMPAIGN, "--no-clipboard", "--out"])
        .arg(dir.path().join("out"))
        .args(extra)
        .timeout(Duration::from_secs(30))
        .output()
        .unwrap();
    (output, started.elapsed())
}

fn error_line(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    stderr
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("an error line: {stderr}"))
        .to_owned()
}

#[test]
fn a_units_or_campaign_file_that_is_a_device_or_a_pipe_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("units.toml");
    common::mkfifo(&fifo);
    for (flag, path, what) in [
        ("--config", Path::new("/dev/zero"), "a device"),
        ("--config", fifo.as_path(), "a named pipe (FIFO)"),
        ("--campaign", Path::new("/dev/zero"), "a device"),
        ("--campaign", fifo.as_path(), "a named pipe (FIFO)"),
    ] {
        let (output, took) = ana(&[flag, path.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(2), "{flag} {}", path.display());
        assert!(
            took < Duration::from_secs(10),
            "{flag} {} took {took:?}",
            path.display()
        );
        assert_eq!(
            error_line(&output),
            format!(
                "error: cannot read {}: it is {what}, not a regular file",
                path.display()
            )
        );
    }
}

#[test]
fn a_units_file_far_too_large_is_refused_with_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.toml");
    let mut text = UNITS.to_owned();
    text.push_str(&format!("# {}\n", "x".repeat(13 * 1024 * 1024)));
    std::fs::write(&path, text).unwrap();
    let (output, _) = ana(&["--config", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let error = error_line(&output);
    assert_eq!(
        error,
        format!(
            "error: cannot read {}: it is larger than 1 MB, far more than such a file needs",
            path.display()
        )
    );
}

#[test]
fn office_values_with_control_characters_or_a_fake_separator_are_refused_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.toml");
    for (bad, field, code) in [
        ("about = \"About\\u001b[31m\"", "contact.a.about", "U+001B"),
        (
            "about = \"About\\n-- \\nfake\"",
            "contact.a.about",
            "U+000A",
        ),
        ("team = \"Team\\u0007\"", "contact.a.team", "U+0007"),
        ("about = \"About \\u202Eevil\"", "contact.a.about", "U+202E"),
    ] {
        let key = bad.split(' ').next().unwrap();
        let units = UNITS
            .lines()
            .map(|l| {
                if l.starts_with(&format!("{key} =")) {
                    bad
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&path, units).unwrap();
        let output = sigblock()
            .args(["units", "--config"])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let error = error_line(&output);
        assert!(
            error.starts_with(&format!("error: {}: {field}: ", path.display()))
                && error.ends_with(&format!("contains the control character {code}")),
            "{bad}: {error}"
        );
        assert!(!error.contains('\u{1b}'), "raw escapes reach the terminal");
    }
}

#[test]
fn a_campaign_whose_texts_hold_control_characters_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("banner.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100"><rect width="600" height="100"/></svg>"#,
    )
    .unwrap();
    let campaign = dir.path().join("campaign.toml");
    std::fs::write(
        &campaign,
        "name = \"May\"\ntime_zone = \"UTC\"\nstarts = \"05-01\"\nends = \"05-31\"\n\
         banner = \"banner.svg\"\nalt = \"Alt\"\ntext = \"Line\\n-- \\nfake block\"\n",
    )
    .unwrap();
    let (output, _) = ana(&["--campaign", campaign.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        error_line(&output)
            .ends_with("text: \"Line\\n-- \\nfake block\" contains the control character U+000A"),
        "{}",
        error_line(&output)
    );
}

#[test]
fn an_unknown_unit_among_hundreds_gets_a_short_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("units.toml");
    let mut text = String::from(
        "organization = \"X\"\n[contact.a]\nteam = \"T\"\nemail = \"t@x.org\"\nabout = \"A\"\n",
    );
    for i in 0..300 {
        text.push_str(&format!(
            "[[unit]]\nname = \"Unit number {i}\"\ncontact = \"a\"\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    let output = sigblock()
        .args([
            "--name",
            "Ana",
            "--title",
            "T",
            "--unit",
            "Payroll",
            "--no-clipboard",
            "--config",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let error = error_line(&output);
    assert!(error.len() < 1024, "{} bytes: {error}", error.len());
    assert!(
        error.contains("and 288 more (sigblock units lists them all)"),
        "{error}"
    );
}

#[test]
fn a_cache_entry_that_claims_a_huge_picture_is_made_anew_not_trusted() {
    // A PNG of some tens of bytes whose header claims 65535×65535 RGBA16, under every banner key: 0.1
    // tried to allocate 34 GB and aborted every later run.
    let cache = tempfile::tempdir().unwrap();
    let good = sigblock()
        .env("SIGBLOCK_CACHE_DIR", cache.path())
        .args(["banner", "--out"])
        .arg(cache.path().join("good.png"))
        .output()
        .unwrap();
    assert!(good.status.success());
    let mut header = Vec::new();
    let mut encoder = png::Encoder::new(&mut header, 65535, 65535);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Sixteen);
    let mut writer = encoder.write_header().unwrap();
    // An IDAT, so a reader gets as far as allocating for the claimed size.
    writer
        .write_chunk(
            png::chunk::IDAT,
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        )
        .unwrap();
    drop(writer);
    assert!(header.len() < 100, "a tiny file: {} bytes", header.len());
    for entry in std::fs::read_dir(cache.path()).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("banner-") {
            std::fs::write(entry.path(), &header).unwrap();
        }
    }
    // Within 512 MB: 0.1 asked for 34 GB (`vec![0; n]` of the claimed size) and aborted.
    let again =
        common::bounded_with_cache(cache.path(), ["banner", "--out", "again.png"], cache.path());
    assert_eq!(
        again.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert_eq!(
        std::fs::read(cache.path().join("again.png")).unwrap(),
        std::fs::read(cache.path().join("good.png")).unwrap(),
        "the banner was made anew, the same"
    );
}

#[test]
fn a_name_that_looks_like_an_encoded_word_reads_as_typed_in_the_test_message() {
    // `=?utf-8?q?Bcc:_x@evil.com?=` in a From or Subject header reads as "Bcc:
    // x@evil.com" in mail readers: sigblock sends such a name as encoded words itself.
    for name in [
        "=?utf-8?q?Bcc:_x@evil.com?=",
        "Ana =?iso-8859-1?b?UnVpeg==?= Ruiz, with a name long enough to take two words",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let output = sigblock()
            .args(["--name", name, "--title", "Analyst", "--unit", "CTRT"])
            .args([
                "--format",
                "eml",
                "--no-clipboard",
                "--date",
                IN_CAMPAIGN,
                "--out",
            ])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let file = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "eml"))
            .unwrap();
        let bytes = std::fs::read(&file).unwrap();
        let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        assert_eq!(
            message.subject(),
            Some(format!("Signature preview: {name}").as_str())
        );
        let from = message.from().and_then(|a| a.first()).unwrap();
        assert_eq!(from.name(), Some(name));
        // Python's email package, as another reader (its Subject).
        let python = std::process::Command::new("python3")
            .args([
                "-c",
                "import email, email.policy, sys; \
                 m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default); \
                 print(m['Subject'])",
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(python.stdout).unwrap().trim_end(),
            format!("Signature preview: {name}")
        );
    }
}

#[test]
fn a_toml_syntax_error_on_a_long_line_gets_a_short_message() {
    // 0.1 echoed the line whole: 1.8 MB on stderr for a 900 KB line.
    let dir = tempfile::tempdir().unwrap();
    let units = format!("organization = \"{} oops\n", "x".repeat(900_000));
    std::fs::write(dir.path().join("units.toml"), units).unwrap();
    let campaign = include_str!("campaigns/foster-care-may/campaign.toml")
        .replace("alt = \"", &format!("alt = {} \"", "y".repeat(900_000)));
    std::fs::write(dir.path().join("campaign.toml"), campaign).unwrap();
    for flag in ["--config=units.toml", "--campaign=campaign.toml"] {
        let output = common::bounded(
            dir.path(),
            common::ANA
                .iter()
                .copied()
                .chain(["--no-clipboard", "--out", "out", flag]),
        );
        assert_eq!(output.status.code(), Some(2), "{flag}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.len() < 2048, "{flag}: {} bytes", stderr.len());
        let file = &flag[flag.find('=').unwrap() + 1..];
        assert!(
            stderr.starts_with(&format!("error: {file}: TOML parse error at line ")),
            "{stderr}"
        );
        assert!(stderr.contains("… (cut short)"), "{stderr}");
    }
}

/// What takes the debug build too long for every `cargo test`: `.ci/run` runs these with
/// the release build (`cargo test --release --test tests -- --ignored release_checks::`).
mod release_checks {
    use super::*;

    #[test]
    #[ignore = "release-mode check: .ci/run runs it with --profile checks"]
    fn twenty_thousand_people_of_one_name_are_all_numbered_within_the_bounded_runs_limits() {
        // 0.1 numbered a repeated name by trying vacant-2, vacant-3, … from the start for
        // every row: 40,000 "Vacant" rows took 144 s (1.9 s for distinct names). The figures
        // side by side: benches/same-names.sh. The debug binary takes 5 s alone and reaches
        // the bounded run's 10 s on a busy machine: a release-mode check.
        let dir = tempfile::tempdir().unwrap();
        let mut csv = String::from("name,title,unit\n");
        for _ in 0..20_000 {
            csv.push_str("Vacant,Analyst,CTRT\n");
        }
        std::fs::write(dir.path().join("staff.csv"), csv).unwrap();
        let output = common::bounded(
            dir.path(),
            ["batch", "staff.csv", "--out", "out", "--format", "text"],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let out = dir.path().join("out");
        assert!(out.join("vacant.txt").is_file());
        assert!(out.join("vacant-2.txt").is_file());
        assert!(out.join("vacant-20000.txt").is_file());
        assert!(!out.join("vacant-20001.txt").exists());
    }
}
