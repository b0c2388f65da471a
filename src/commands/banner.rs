//! The banner alone: written as a PNG (to host it for Gmail), or checked for contrast.

use std::path::Path;

use super::{open_folder, say_forced, BannerInputs};
use crate::banner::check::{text_on_banner, AA_CONTRAST};
use crate::banner::{Encoding, SCALE};
use crate::campaign::BannerMode;
use crate::exit::Outcome;
use crate::files::{Refusal, Source};
use crate::job::{BannerAction, BannerSource, Environment};

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
                out.display(),
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
    let typed = path.as_os_str().to_string_lossy();
    let sep = std::path::MAIN_SEPARATOR;
    if typed.ends_with(['/', '\\']) || path.is_dir() {
        let file = format!("{}{sep}banner.png", typed.trim_end_matches(['/', '\\']));
        anyhow::bail!("--out: \"{typed}\" is a folder; name the file, e.g. --out \"{file}\"");
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.is_file() {
            return Err(Refusal::NotAFile {
                path: path.to_owned(),
                what: crate::files::kind(&meta),
            }
            .into());
        }
    }
    // A PNG is what it holds: a name that says otherwise would mislead whoever opens it.
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
    {
        let png = path.with_extension("png");
        anyhow::bail!(
            "--out: \"{typed}\": the banner is a PNG image, so its name ends in .png, \
             e.g. --out \"{}\"",
            png.display()
        );
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--out: {} names no file; give one ending in .png, e.g. banner.png",
                path.display()
            )
        })?
        .to_owned();
    let folder = open_folder(dir, Source::Named, force, inputs, env)?;
    folder.write_all(&[(name, png.to_vec())], None)?;
    say_forced(&folder.finish()?);
    Ok(())
}

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
