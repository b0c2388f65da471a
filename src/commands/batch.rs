//! HR's CSV: every row made or refused, then one summary line.

use indicatif::HumanCount;

use super::{directory, open_folder, say_forced, Shared};
use crate::batch::Batch;
use crate::exit::Outcome;
use crate::files::OutputFolder;
use crate::staff::Interrupted;
use std::path::{Path, PathBuf};

use crate::job::{Environment, OutputOptions};
use crate::staff::StaffFile;

pub(super) fn run(
    csv: &Path,
    out: &Path,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    let directory = directory(output.config.as_deref())?;
    let staff = StaffFile::open(csv)?;
    let shared = Shared::prepare(output, env)?;
    for line in &staff.notes {
        note!("{line}");
    }
    let mut inputs = shared.inputs.clone();
    inputs.push(csv.to_owned());
    let folder = open_folder(out, output.force, inputs, env)?;
    let writer = shared.writer(&directory);
    let ending = staff.ending();
    let summary = Batch {
        writer: &writer,
        directory: &directory,
        folder: &folder,
        source: csv,
    }
    .run(staff)?;
    // The folder now matches the CSV: what an earlier run made for people no longer in it
    // (or no longer valid) goes; a person whose files could not be written this time
    // keeps the old ones. Only files sigblock made and nobody changed since. Unless the
    // CSV was not read to its end: then who is missing says nothing, and all stays.
    let interrupted = ending.interrupted();
    let stale = |rel: &str| !summary.slugs.is_claimed(slug_of(rel));
    let finished = folder.finish(match interrupted {
        Some(_) => OutputFolder::KEEP,
        None => &stale,
    })?;
    say_forced(&finished);
    if let Some(why) = interrupted {
        return Err(NotReadToTheEnd {
            why,
            made: summary.made,
            out: out.to_owned(),
        }
        .into());
    }
    if finished.removed > 0 {
        note!(
            "removed {} files an earlier run made for people no longer in the CSV, or refused now",
            HumanCount(finished.removed as u64)
        );
    }

    let total = HumanCount(summary.made + summary.refused);
    let made = HumanCount(summary.made);
    let outcome = if summary.refused == 0 {
        say!(
            "made {made} of {total} signatures in {}; see {} to review them",
            out.display(),
            out.join("index.html").display()
        );
        Outcome::Done
    } else {
        say!(
            "made {made} of {total} signatures in {}; {} refused (see {})",
            out.display(),
            HumanCount(summary.refused),
            out.join("report.csv").display()
        );
        Outcome::SomeRefused
    };
    // What to know about the output (outside January, Gmail): once, after the result.
    shared.say_notes();
    Ok(outcome)
}

/// The slug a file of the output folder belongs to: `ana-ruiz` for `ana-ruiz.html` and
/// `ana-ruiz_files/banner.png`; a batch's own files (`index.html`) give their stem.
fn slug_of(rel: &str) -> &str {
    let name = rel.split('/').next().unwrap_or(rel);
    let stem = name.strip_suffix("_files").unwrap_or(name);
    stem.split('.').next().unwrap_or(stem)
}

/// The CSV was not read to its end: what was made stands, nothing else was touched.
#[derive(Debug, thiserror::Error)]
#[error(
    "{why}; the {} signatures made before are valid and {} lists them, and no file of an \
     earlier run was removed; run again when {}",
    HumanCount(*made),
    out.join("report.csv").display(),
    match why {
        Interrupted::Changed { .. } => "the file is saved",
        Interrupted::Stopped { .. } => "the file can be read to its end",
    }
)]
struct NotReadToTheEnd {
    why: Interrupted,
    made: u64,
    out: PathBuf,
}
