//! The commands: each takes its typed job, runs the pipeline and says what it did.
//! What they share: the units directory, and what the banner is made from.

mod banner;
mod batch;
mod install;
mod page;
mod person;
mod units;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::banner::{Banner, Encoding, Logo};
use crate::campaign::{BannerMode, Campaign};
use crate::error::ConfigError;
use crate::exit::Outcome;
use crate::files::{plain, Finished, FolderError, OutputFolder, Ownership, Source};
use crate::job::{BannerSource, Environment, Job, OutputOptions};
use crate::output::names::is_output_name;
use crate::output::templates::Templates;
use crate::output::{Format, Picture, SignatureWriter};
use crate::text::ShownPath;
use crate::units::Directory;

/// Runs one job.
pub(crate) fn run(job: Job, env: &Environment) -> anyhow::Result<Outcome> {
    match job {
        Job::Person {
            person,
            out,
            output,
        } => person::run(&person, &out, &output, env),
        Job::Batch {
            csv,
            out,
            columns,
            page_url,
            output,
        } => batch::run(&csv, &out, &columns, page_url.as_deref(), &output, env),
        Job::Page { out, output } => page::run(&out, &output, env),
        Job::Banner { source, action } => banner::run(&source, &action, env),
        Job::Units { config, write } => units::run(config.as_deref(), write.as_deref(), env),
        job @ Job::Install { .. } => install::run(job, env),
    }
}

fn directory(config: Option<&Path>) -> Result<Directory, ConfigError> {
    crate::inputs::units(config)
}

/// Why the folder a run was given cannot be written into, in plain words, with the way
/// out. It names the folder the person typed, never sigblock's own files in it.
#[derive(Debug, thiserror::Error)]
enum OutFolder {
    #[error(
        "cannot write into {}: {why}; choose another folder with --out",
        shown(path)
    )]
    Unwritable { path: PathBuf, why: String },
    #[error(
        "cannot write into {}: {} is a file, not a folder; choose another --out",
        shown(path),
        ShownPath(in_the_way)
    )]
    FileInTheWay { path: PathBuf, in_the_way: PathBuf },
}

/// A folder as said in a message: "the current folder (.)" for `.`.
fn shown(path: &Path) -> String {
    if path == Path::new(".") {
        "the current folder".to_owned()
    } else {
        ShownPath(path).to_string()
    }
}

/// Opens an output folder for a run that reads `inputs` (never written over).
fn open_folder(
    out: &Path,
    source: Source,
    force: bool,
    inputs: Vec<PathBuf>,
    env: &Environment,
) -> anyhow::Result<OutputFolder> {
    // A file where the folder (or a folder on its way) should be: said as such.
    if let Some(file) = out
        .ancestors()
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| std::fs::metadata(a).is_ok_and(|m| !m.is_dir()))
    {
        return Err(OutFolder::FileInTheWay {
            path: out.to_owned(),
            in_the_way: file.to_owned(),
        }
        .into());
    }
    let ownership = Ownership {
        source,
        force,
        inputs,
        wait: env.lock_wait,
    };
    OutputFolder::open(out, ownership, &is_output_name).map_err(|e| in_words(out, e))
}

/// A folder error in plain words (the OS's number and sigblock's own paths left out).
fn in_words(out: &Path, error: FolderError) -> anyhow::Error {
    match error {
        FolderError::Create { source, .. } => OutFolder::Unwritable {
            path: out.to_owned(),
            why: plain(&source),
        }
        .into(),
        other => other.into(),
    }
}

/// A file named on the command line (`banner --out`, `units --write`, `--print-reg`,
/// `page --out`): the flag, the extension its name must end in, an example name, and
/// what the file is, for the refusals.
pub(super) struct NamedFile {
    pub(super) flag: &'static str,
    pub(super) ext: &'static str,
    pub(super) example: &'static str,
    pub(super) what: &'static str,
}

/// The folder and the name of a file named on the command line, checked first: not a
/// folder, not something other than a regular file, a name ending in its extension.
pub(super) fn file_in_folder(path: &Path, named: &NamedFile) -> anyhow::Result<(PathBuf, String)> {
    let NamedFile {
        flag,
        ext,
        example,
        what,
    } = named;
    let typed = crate::text::plain(&path.as_os_str().to_string_lossy()).into_owned();
    let sep = std::path::MAIN_SEPARATOR;
    if typed.ends_with(['/', '\\']) || path.is_dir() {
        let file = format!("{}{sep}{example}", typed.trim_end_matches(['/', '\\']));
        anyhow::bail!("{flag}: \"{typed}\" is a folder; name the file, e.g. {flag} \"{file}\"");
    }
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.is_file() {
            return Err(crate::files::Refusal::NotAFile {
                path: path.to_owned(),
                what: crate::files::kind(&meta),
            }
            .into());
        }
    }
    // A name that says otherwise would mislead whoever opens the file.
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
    {
        anyhow::bail!(
            "{flag}: \"{typed}\": {what}, so its name ends in .{ext}, e.g. {flag} \"{}\"",
            ShownPath(&path.with_extension(ext))
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
                "{flag}: {} names no file; give one ending in .{ext}, e.g. {example}",
                ShownPath(path)
            )
        })?
        .to_owned();
    Ok((dir.to_owned(), name))
}

/// A path as the person can find it again: absolute (from wherever they are).
pub(super) fn full(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// Says which files `--force` replaced.
fn say_forced(finished: &Finished) {
    for path in &finished.forced {
        note!(
            "replaced {}, which sigblock had not made (--force)",
            ShownPath(path)
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
        let campaign = crate::inputs::campaign(source.campaign.as_deref())?;
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

    /// What to say when the banner is made outside its campaign's days (`included`), or
    /// left out by `--banner auto` for that reason; nothing for `--banner never`, which
    /// was asked for.
    fn window_note(&self, mode: BannerMode, included: bool) -> Option<String> {
        let campaign = &self.campaign;
        if campaign.is_active_on(self.date) || mode == BannerMode::Never {
            return None;
        }
        Some(if included {
            format!(
                "the banner is meant for {} ({}); --banner auto leaves it out on other days",
                campaign.window_text(),
                campaign.name
            )
        } else {
            format!(
                "leaving the banner out (--banner auto): it is meant for {} ({})",
                campaign.window_text(),
                campaign.name
            )
        })
    }
}

/// Everything a signature-making run shares: the parts of [`SignatureWriter`].
struct Shared {
    templates: Templates,
    picture: Option<Picture>,
    formats: BTreeSet<Format>,
    date: NaiveDate,
    /// Every file the run reads besides a CSV: never outputs.
    inputs: Vec<PathBuf>,
    /// What the person should know about the output, each said once.
    notes: Vec<String>,
}

impl Shared {
    /// Says what the person should know about the output, once each.
    fn say_notes(&self) {
        for line in &self.notes {
            note!("{line}");
        }
    }

    /// Loads the campaign and makes the banner; keeps what the person should know about
    /// the output (outside the campaign window, Gmail) in `notes`. Call it once the input
    /// is known to be good, so a refusal says only why.
    fn prepare(options: &OutputOptions, env: &Environment) -> anyhow::Result<Shared> {
        let inputs = BannerInputs::load(&options.source)?;
        let included = inputs.campaign.shows_banner(options.banner, inputs.date);
        let mut notes: Vec<String> = inputs
            .window_note(options.banner, included)
            .into_iter()
            .collect();
        let picture = if included {
            let banner = inputs.make(Encoding::Optimised, env)?;
            Some(Picture::new(banner, options.image_url.clone()))
        } else {
            None
        };
        if picture.as_ref().is_some_and(|p| !p.is_hosted())
            && options.formats.contains(&Format::Html)
        {
            notes.push(
                "Gmail does not show inlined images; for Gmail, host the banner \
                 (sigblock banner --out banner.png) and add --image-url https://…/banner.png"
                    .to_owned(),
            );
        }
        // The banner is the same for every signature of the run: said once.
        notes.extend(
            crate::output::limits::banner(picture.as_ref())
                .iter()
                .map(ToString::to_string),
        );
        let mut files = inputs.files;
        files.extend(options.config.clone());
        Ok(Shared {
            templates: Templates::new(),
            picture,
            formats: options.formats.clone(),
            date: inputs.date,
            inputs: files,
            notes,
        })
    }

    fn writer<'a>(&'a self, directory: &'a Directory) -> SignatureWriter<'a> {
        SignatureWriter {
            templates: &self.templates,
            organization: &directory.organization,
            picture: self.picture.as_ref(),
            formats: &self.formats,
            date: self.date,
        }
    }
}
