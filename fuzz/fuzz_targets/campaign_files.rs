//! An office's campaign folder and a banner cache entry ─► the readers that take them.
//!
//! Input: the banner's SVG, then (after a NUL pair) the bytes of `logo.png` beside it,
//! then (after another NUL pair) the bytes of a cache entry. The campaign file is fixed
//! and names `banner.svg`; the SVG may draw `logo.png`, anything else or nothing.
//!
//! Never panics or hangs (libFuzzer's `-timeout` catches a run past the render budget);
//! a banner drawn is 16–2000 × 8–1000 display pixels; a refusal is one line; a cache
//! entry is served only when it is a PNG of exactly 1200×200 that decodes whole.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sigblock::banner::fuzzing::{draw_campaign, read_cache_entry};

struct Fixture {
    _dir: tempfile::TempDir,
    campaign: PathBuf,
    svg: PathBuf,
    logo: PathBuf,
    entry: PathBuf,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let campaign = dir.path().join("campaign.toml");
        std::fs::write(
            &campaign,
            "name = \"Fuzz Month\"\ntime_zone = \"UTC\"\nstarts = \"05-01\"\nends = \"05-31\"\n\
             banner = \"banner.svg\"\nalt = \"Alt\"\ntext = \"Text\"\n",
        )
        .expect("campaign.toml written");
        Fixture {
            svg: dir.path().join("banner.svg"),
            logo: dir.path().join("logo.png"),
            entry: dir.path().join("banner-entry.png"),
            campaign,
            _dir: dir,
        }
    })
}

/// The parts of `data` between NUL pairs, at most three.
fn parts(data: &[u8]) -> [&[u8]; 3] {
    let mut out: [&[u8]; 3] = [&[], &[], &[]];
    let mut rest = data;
    for slot in out.iter_mut().take(2) {
        match rest.windows(2).position(|w| w == b"\0\0") {
            Some(at) => {
                *slot = &rest[..at];
                rest = &rest[at + 2..];
            }
            None => {
                *slot = rest;
                rest = &[];
            }
        }
    }
    out[2] = rest;
    out
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let [svg, logo, entry] = parts(data);
    // Text, so the fuzzer's time goes into the SVG rather than the UTF-8 check.
    std::fs::write(&fixture.svg, String::from_utf8_lossy(svg).as_bytes()).unwrap();
    std::fs::write(&fixture.logo, logo).unwrap();
    match draw_campaign(&fixture.campaign) {
        Ok((width, height)) => {
            assert!((16..=2000).contains(&width) && (8..=1000).contains(&height));
        }
        Err(message) => assert!(!message.contains('\n'), "one line: {message}"),
    }

    std::fs::write(&fixture.entry, entry).unwrap();
    if let Some(png) = read_cache_entry(&fixture.entry, (600, 100)) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(&png))
            .read_info()
            .expect("a served entry is a PNG");
        assert_eq!((decoder.info().width, decoder.info().height), (1200, 200));
        let mut pixels = vec![0; decoder.output_buffer_size().unwrap()];
        decoder.next_frame(&mut pixels).expect("decodes whole");
    }
});
