//! HR's CSV: every row made or refused, then one summary line.

use indicatif::HumanCount;

use super::{directory, Shared};
use crate::batch::Batch;
use crate::exit::Outcome;
use crate::files;
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
    let shared = Shared::load(output, env)?;
    for line in &staff.notes {
        note!("{line}");
    }
    files::prepare_dir(out)?;
    let writer = shared.writer(&directory);
    let summary = Batch {
        writer: &writer,
        directory: &directory,
        out,
        source: csv,
    }
    .run(staff)?;

    let total = HumanCount(summary.made + summary.refused);
    let made = HumanCount(summary.made);
    if summary.refused == 0 {
        say!(
            "made {made} of {total} signatures in {}; see {} to review them",
            out.display(),
            out.join("index.html").display()
        );
        Ok(Outcome::Done)
    } else {
        say!(
            "made {made} of {total} signatures in {}; {} refused (see {})",
            out.display(),
            HumanCount(summary.refused),
            out.join("report.csv").display()
        );
        Ok(Outcome::SomeRefused)
    }
}
