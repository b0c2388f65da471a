//! HR's CSV: every row made or refused, then one summary line, and what the rerun
//! removed or kept.

use std::path::{Path, PathBuf};

use crate::text::thousands;

use super::{directory, open_folder, say_forced, Shared};
use crate::batch::{Batch, Summary};
use crate::exit::Outcome;
use crate::files::{KeptFrom, Source};
use crate::job::{Environment, OutputOptions};
use crate::output::limits::Limit;
use crate::output::names::{GALLERY, REPORT};
use crate::person::Field;
use crate::staff::{Choice, Interrupted, Optional, StaffFile};
use crate::text::{plain, Shown, ShownPath};

pub(super) fn run(
    csv: &Path,
    out: &Path,
    columns: &[Choice],
    page_url: Option<&str>,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    let directory = directory(output.config.as_deref())?;
    let staff = StaffFile::open(csv, columns)?;
    let optional = staff.optional.clone();
    let shared = Shared::prepare(output, env)?;
    for line in &staff.notes {
        note!("{line}");
    }
    let mut inputs = shared.inputs.clone();
    inputs.push(csv.to_owned());
    // This staff list, wherever it is given from: a rerun removes only what its own
    // earlier runs made.
    let list = std::fs::canonicalize(csv)
        .or_else(|_| std::path::absolute(csv))
        .unwrap_or_else(|_| csv.to_owned());
    let source = Source::Batch {
        csv: list.to_string_lossy().into_owned(),
    };
    let folder = open_folder(out, source, output.force, inputs, env)?;
    let writer = shared.writer(&directory);
    let ending = staff.ending();
    let summary = Batch {
        writer: &writer,
        directory: &directory,
        folder: &folder,
        source: csv,
        page_url,
    }
    .run(staff)?;
    let finished = folder.finish()?;
    say_forced(&finished);
    if let Some(why) = ending.interrupted() {
        return Err(NotReadToTheEnd {
            why,
            made: summary.made,
            out: out.to_owned(),
        }
        .into());
    }
    say_removed(&summary);

    let total = thousands(summary.made + summary.refused);
    let made = thousands(summary.made);
    let outcome = if summary.refused == 0 {
        say!(
            "made {made} of {total} signatures in {}; see {} to review them",
            ShownPath(out),
            ShownPath(&out.join(GALLERY))
        );
        Outcome::Done
    } else {
        say!(
            "made {made} of {total} signatures in {}; {} refused (see {})",
            ShownPath(out),
            thousands(summary.refused),
            ShownPath(&out.join(REPORT))
        );
        Outcome::SomeRefused
    };
    say_missing(&optional, &summary);
    // What to know about the output (outside January, Gmail): once, after the result.
    shared.say_notes();
    say_crossed(&summary);
    Ok(outcome)
}

/// Says, once for the batch, how many signatures are over each client's limit.
fn say_crossed(summary: &Summary) {
    for (limit, (count, most)) in &summary.crossed {
        let longest = match limit {
            Limit::Gmail | Limit::OutlookWeb => {
                format!("the longest is {} characters", thousands(*most))
            }
            Limit::BannerWidth | Limit::BannerBytes => continue, // the run's own note
        };
        note!(
            "{} of the {} signatures made {} over {}: {longest}; report.csv's note column \
             names them",
            thousands(*count),
            thousands(summary.made),
            if *count == 1 { "is" } else { "are" },
            limit.what()
        );
    }
}

/// Says which optional field no one got, when HR can do something about it: a column
/// that could give it is not used (and how to use it), or its column is empty in every
/// row. (A file with no such column at all was made that way.)
fn say_missing(optional: &[Optional], summary: &Summary) {
    for field in optional {
        let given = match field.field {
            Field::Email => summary.with_email,
            Field::Phone => summary.with_phone,
            _ => continue,
        };
        if given > 0 || summary.made + summary.refused == 0 {
            continue;
        }
        let name = field.field.as_str();
        let why = match &field.column {
            Some(column) => format!("its column {} is empty in every row", Shown(column)),
            None => match field.maybe.first() {
                Some(maybe) => format!(
                    "the file has no {name} column; {} {} not used: map it with \
                     --columns {name}={}",
                    field
                        .maybe
                        .iter()
                        .map(|m| Shown(m).to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if field.maybe.len() == 1 { "is" } else { "are" },
                    Shown(maybe)
                ),
                None => continue,
            },
        };
        note!(
            "no one gets {} {name}: {why}",
            if name == "email" { "an" } else { "a" }
        );
    }
}

/// Says whose signatures a rerun removed (the first few by name, then a count), and
/// what it kept because other runs made it.
fn say_removed(summary: &Summary) {
    let removed = &summary.removed;
    if removed.people > 0 {
        let more = removed.people - removed.first.len() as u64;
        let names = removed
            .first
            .iter()
            .map(|name| plain(name).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
        note!(
            "removed the signatures of {} {} no longer in the staff list, or refused now: \
             {names}{} (report.csv lists them)",
            thousands(removed.people),
            if removed.people == 1 {
                "person"
            } else {
                "people"
            },
            if more > 0 {
                format!(", and {} more", thousands(more))
            } else {
                String::new()
            }
        );
    }
    if !summary.kept.is_empty() {
        let total: usize = summary.kept.values().sum();
        let from: Vec<String> = summary
            .kept
            .iter()
            .map(|(from, n)| {
                let n = thousands(*n as u64);
                match from {
                    KeptFrom::Batch(csv) => format!("{n} from the staff list {}", plain(csv)),
                    KeptFrom::OneByOne => format!("{n} made one person at a time"),
                    KeptFrom::Named => format!("{n} named on the command line"),
                    KeptFrom::Unknown => format!(
                        "{n} made by an earlier sigblock, which did not record by which run"
                    ),
                }
            })
            .collect();
        note!(
            "kept {} {} that other runs made in this folder ({}): a batch removes only \
             what its own staff list made; delete them by hand if they are no longer wanted",
            thousands(total as u64),
            if total == 1 { "file" } else { "files" },
            from.join("; ")
        );
    }
}

/// The CSV was not read to its end: what was made stands, nothing else was touched.
#[derive(Debug, thiserror::Error)]
#[error(
    "{why}; the {} signatures made before are valid and {} lists them, and no file of an \
     earlier run was removed; run again when {}",
    thousands(*made),
    ShownPath(&out.join(REPORT)),
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
