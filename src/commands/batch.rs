//! HR's CSV: every row made or refused, then one summary line.

use indicatif::HumanCount;

use super::{directory, Shared};
use crate::batch::Batch;
use crate::exit::Outcome;
use crate::files;
use crate::job::{BatchJob, Environment};
use crate::staff::StaffFile;

pub(super) fn run(job: &BatchJob, env: &Environment) -> anyhow::Result<Outcome> {
    let directory = directory(job.output.config.as_deref())?;
    let staff = StaffFile::open(&job.csv)?;
    let shared = Shared::load(&job.output, env)?;
    for line in &staff.notes {
        note!("{line}");
    }
    files::prepare_dir(&job.out)?;
    let writer = shared.writer(&directory);
    let summary = Batch {
        writer: &writer,
        directory: &directory,
        out: &job.out,
        source: &job.csv,
    }
    .run(staff)?;

    let total = HumanCount(summary.made + summary.refused);
    let (made, out) = (HumanCount(summary.made), job.out.display());
    if summary.refused == 0 {
        say!(
            "made {made} of {total} signatures in {out}; see {} to review them",
            job.out.join("index.html").display()
        );
        Ok(Outcome::Done)
    } else {
        say!(
            "made {made} of {total} signatures in {out}; {} refused (see {})",
            HumanCount(summary.refused),
            job.out.join("report.csv").display()
        );
        Ok(Outcome::SomeRefused)
    }
}
