//! The commands: each takes its typed job, runs the pipeline and says what it did.
//! What they share: the units directory, and what the banner is made from.

mod banner;
mod batch;
mod install;
mod person;
mod units;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::banner::{Banner, Encoding, Logo};
use crate::campaign::Campaign;
use crate::error::ConfigError;
use crate::exit::Outcome;
use crate::files::{Finished, OutputFolder, Ownership};
use crate::job::{BannerSource, Environment, Job, OutputOptions};
use crate::output::{is_output_name, Format, SignatureWriter};
use crate::templates::Templates;
use crate::units::Directory;

/// Runs one job.
pub(crate) fn run(job: Job, env: &Environment) -> anyhow::Result<Outcome> {
    match job {
        Job::Person {
            person,
            out,
            output,
        } => person::run(&person, &out, &output, env),
        Job::Batch { csv, out, output } => batch::run(&csv, &out, &output, env),
        Job::Banner { source, action } => banner::run(&source, &action, env),
        Job::Units { config } => units::run(config.as_deref()),
        job @ Job::Install { .. } => install::run(job, env),
    }
}

fn directory(config: Option<&Path>) -> Result<Directory, ConfigError> {
    match config {
        Some(path) => Directory::load(path),
        None => Ok(Directory::embedded()),
    }
}

/// Opens an output folder for a run that reads `inputs` (never written over).
fn open_folder(
    out: &Path,
    force: bool,
    inputs: Vec<PathBuf>,
    env: &Environment,
) -> anyhow::Result<OutputFolder> {
    let ownership = Ownership {
        force,
        inputs,
        wait: env.lock_wait,
    };
    Ok(OutputFolder::open(out, ownership, &is_output_name)?)
}

/// Says which files `--force` replaced.
fn say_forced(finished: &Finished) {
    for path in &finished.forced {
        note!(
            "replaced {}, which sigblock had not made (--force)",
            path.display()
        );
    }
}

/// The campaign, the day it is, and the logo: what the banner is made from.
struct BannerInputs {
    campaign: Campaign,
    date: NaiveDate,
    logo: Option<Logo>,
    /// The files they were read from: never outputs.
    files: Vec<PathBuf>,
}

impl BannerInputs {
    fn load(source: &BannerSource) -> anyhow::Result<BannerInputs> {
        let campaign = match &source.campaign {
            Some(path) => Campaign::load(path)?,
            None => Campaign::embedded(),
        };
        let date = source
            .date
            .unwrap_or_else(|| campaign.today(chrono::Utc::now()));
        let logo = source.logo.as_deref().map(Logo::load).transpose()?;
        let mut files: Vec<PathBuf> = source
            .campaign
            .iter()
            .chain(&source.logo)
            .cloned()
            .collect();
        files.extend(campaign.banner_file.clone());
        Ok(BannerInputs {
            campaign,
            date,
            logo,
            files,
        })
    }

    fn make(&self, encoding: Encoding, env: &Environment) -> anyhow::Result<Banner> {
        Ok(crate::banner::make(
            &self.campaign,
            self.logo.as_ref(),
            encoding,
            env.cache_dir.as_deref(),
        )?)
    }

    /// Says once when the banner is used outside its campaign's days.
    fn note_window(&self, included: bool) {
        let campaign = &self.campaign;
        if !campaign.is_active_on(self.date) {
            let what = if included {
                "the banner is meant for"
            } else {
                "leaving the banner out: it is meant for"
            };
            note!(
                "{what} {}, {} ({}); it is {} there",
                campaign.name,
                campaign.window_text(),
                campaign.time_zone,
                self.date
            );
        }
    }
}

/// Everything a signature-making run shares: the parts of [`SignatureWriter`].
struct Shared {
    templates: Templates,
    banner: Option<Banner>,
    formats: BTreeSet<Format>,
    date: NaiveDate,
    /// Every file the run reads besides a CSV: never outputs.
    inputs: Vec<PathBuf>,
}

impl Shared {
    /// Loads the campaign and makes the banner; says once what the person should know
    /// about the output (outside the campaign window, Gmail). Call it once the input is
    /// known to be good, so a refusal says only why.
    fn load(options: &OutputOptions, env: &Environment) -> anyhow::Result<Shared> {
        let inputs = BannerInputs::load(&options.source)?;
        let included = inputs.campaign.shows_banner(options.banner, inputs.date);
        inputs.note_window(included);
        let banner = if included {
            let banner = inputs.make(Encoding::Optimised, env)?;
            Some(banner.hosted_at(options.image_url.clone()))
        } else {
            None
        };
        if banner.as_ref().is_some_and(|b| !b.is_hosted())
            && options.formats.contains(&Format::Html)
        {
            note!(
                "Gmail does not show inlined images; for Gmail, host the banner \
                 (sigblock banner --out banner.png) and add --image-url https://…/banner.png"
            );
        }
        let mut files = inputs.files;
        files.extend(options.config.clone());
        Ok(Shared {
            templates: Templates::new(),
            banner,
            formats: options.formats.clone(),
            date: inputs.date,
            inputs: files,
        })
    }

    fn writer<'a>(&'a self, directory: &'a Directory) -> SignatureWriter<'a> {
        SignatureWriter {
            templates: &self.templates,
            organization: &directory.organization,
            banner: self.banner.as_ref(),
            formats: &self.formats,
            date: self.date,
        }
    }
}
