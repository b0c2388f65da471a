//! The banner alone: written as a PNG (to host it for Gmail), or checked for contrast.

use std::path::Path;

use super::{file_in_folder, open_folder, say_forced, BannerInputs, NamedFile};
use crate::banner::check::{text_on_banner, AA_CONTRAST};
use crate::banner::{Encoding, SCALE};
use crate::campaign::BannerMode;
use crate::exit::Outcome;
use crate::files::Source;
use crate::job::{BannerAction, BannerSource, Environment};
use crate::text::ShownPath;

pub(super) fn run(
    source: &BannerSource,
    action: &BannerAction,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    let inputs = BannerInputs::load(source)?;
    match action {
        BannerAction::Write {
            out,
            lossless,
            force,
        } => {
            let encoding = if *lossless {
                Encoding::Lossless
            } else {
                Encoding::Optimised
            };
            let banner = inputs.make(encoding, env)?;
            write(out, &banner.png, *force, inputs.files.clone(), env)?;
            say!(
                "wrote {} ({}×{} px for {}×{} display, {} bytes)",
                ShownPath(out),
                banner.width * SCALE,
                banner.height * SCALE,
                banner.width,
                banner.height,
                banner.png.len()
            );
            if let Some(note) = inputs.window_note(BannerMode::Always, true) {
                note!("{note}");
            }
            Ok(Outcome::Done)
        }
        BannerAction::Check => check(&inputs),
    }
}

/// Writes the PNG by the output folder's rules, in the folder `path` names. What stands
/// at `path` is looked at first, so `--out /dev/null` touches nothing.
fn write(
    path: &Path,
    png: &[u8],
    force: bool,
    inputs: Vec<std::path::PathBuf>,
    env: &Environment,
) -> anyhow::Result<()> {
    let (dir, name) = file_in_folder(path, &PNG)?;
    let folder = open_folder(&dir, Source::Named, force, inputs, env)?;
    folder.write_all(&[(name, png.to_vec())], None)?;
    say_forced(&folder.finish()?);
    Ok(())
}

/// `--out` of `sigblock banner`.
const PNG: NamedFile = NamedFile {
    flag: "--out",
    ext: "png",
    example: "banner.png",
    what: "the banner is a PNG image",
};

/// Prints each text run's contrast against what is drawn behind it; some run below the
/// WCAG AA minimum makes the outcome "some refused" (exit 1).
fn check(inputs: &BannerInputs) -> anyhow::Result<Outcome> {
    let runs = text_on_banner(&inputs.campaign)?;
    let hex = |[r, g, b]: [u8; 3]| format!("#{r:02X}{g:02X}{b:02X}");
    let mut low = 0;
    for run in &runs {
        let verdict = if run.contrast >= AA_CONTRAST {
            "ok"
        } else {
            low += 1;
            "too low"
        };
        say!(
            "{:>6.2}:1  {verdict:<7}  {} on {}  {:?}",
            run.contrast,
            hex(run.colour),
            hex(run.background),
            run.text
        );
    }
    if low == 0 {
        say!(
            "{} text runs, each at least {AA_CONTRAST}:1 against what is behind it (WCAG AA)",
            runs.len()
        );
        Ok(Outcome::Done)
    } else {
        say!(
            "{low} of {} text runs below {AA_CONTRAST}:1 (WCAG AA)",
            runs.len()
        );
        Ok(Outcome::SomeRefused)
    }
}
