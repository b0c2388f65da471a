//! HR's CSV: every row made or refused, then one summary line.

use indicatif::HumanCount;

use super::{directory, open_folder, say_forced, Shared};
use crate::batch::Batch;
use crate::exit::Outcome;
use std::path::Path;

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
    let summary = Batch {
        writer: &writer,
        directory: &directory,
        folder: &folder,
        source: csv,
    }
    .run(staff)?;
    // The folder now matches the CSV: what an earlier run made for people no longer in it
    // (or no longer valid) goes; a person whose files could not be written this time
    // keeps the old ones. Only files sigblock made and nobody changed since.
    let finished = folder.finish(&|rel| !summary.slugs.is_claimed(slug_of(rel)))?;
    say_forced(&finished);
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
