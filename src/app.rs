//! The commands: each reads its inputs, runs the pipeline and says what it did.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context as _};
use chrono::NaiveDate;
use clap::CommandFactory;

use crate::banner::{self, Encoding, Logo};
use crate::batch::{thousands, Batch};
use crate::campaign::Campaign;
use crate::cli::{BannerArgs, BannerSourceArgs, BatchArgs, Cli, Command, ConfigArgs, OutputArgs};
use crate::output::{self, BannerOutput, SignatureWriter, GMAIL_SIGNATURE_LIMIT};
use crate::person::PersonInput;
use crate::staff::StaffFile;
use crate::templates::Templates;
use crate::units::Directory;

/// How a run ended (design.md): 0 everything made, 1 some rows refused, 2 nothing done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    SomeRefused,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::SomeRefused => ExitCode::from(1),
        }
    }
}

/// Prints a line on stdout. A closed pipe (`sigblock ... | head -1`) is not an error:
/// the files are made either way, so what cannot be said is dropped, not a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Exit status for errors that stop a run before anything is written.
pub const EXIT_FATAL: u8 = 2;

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        None => one_person(&cli),
        Some(Command::Batch(ref args)) => batch(args),
        Some(Command::Banner(ref args)) => banner_only(args),
        Some(Command::Units(ref args)) => units(args),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "sigblock",
                &mut std::io::stdout(),
            );
            Ok(Outcome::Done)
        }
        Some(Command::ServeClipboard) => {
            crate::clipboard::serve_from_stdin()?;
            Ok(Outcome::Done)
        }
    }
}

fn directory(args: &ConfigArgs) -> anyhow::Result<Directory> {
    Ok(match &args.config {
        Some(path) => Directory::load(path)?,
        None => Directory::embedded(),
    })
}

/// The campaign, the day it is, and the logo: what the banner is made from.
struct BannerInputs {
    campaign: Campaign,
    date: NaiveDate,
    logo: Option<Logo>,
}

impl BannerInputs {
    fn load(args: &BannerSourceArgs) -> anyhow::Result<BannerInputs> {
        let campaign = match &args.campaign {
            Some(path) => Campaign::load(path)?,
            None => Campaign::embedded(),
        };
        let date = args
            .date
            .unwrap_or_else(|| campaign.today(chrono::Utc::now()));
        if !(1900..=9999).contains(&chrono::Datelike::year(&date)) {
            bail!("--date: {date} is not a day between the years 1900 and 9999");
        }
        let logo = args.logo.as_deref().map(Logo::load).transpose()?;
        Ok(BannerInputs {
            campaign,
            date,
            logo,
        })
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
            eprintln!(
                "note: {what} {}, {} ({}); it is {} there",
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
    banner: Option<BannerOutput>,
    formats: BTreeSet<output::Format>,
    date: NaiveDate,
}

impl Shared {
    /// Loads the campaign and makes the banner; says once what the person should know
    /// about the output (outside the campaign window, Gmail). Call it once the input is
    /// known to be good, so a refusal says only why.
    fn load(args: &OutputArgs) -> anyhow::Result<Shared> {
        let inputs = BannerInputs::load(&args.banner_source)?;
        if let Some(url) = &args.image_url {
            check_image_url(url)?;
        }
        let included = inputs.campaign.shows_banner(args.banner, inputs.date);
        inputs.note_window(included);
        let banner = if included {
            let made = banner::make(&inputs.campaign, inputs.logo.as_ref(), Encoding::Optimised)?;
            Some(BannerOutput::new(
                made,
                args.image_url.clone(),
                inputs.campaign.text.clone(),
            ))
        } else {
            None
        };
        let formats: BTreeSet<_> = args.format.iter().copied().collect();
        if banner.as_ref().is_some_and(|b| b.url.is_none())
            && formats.iter().any(|f| matches!(f, output::Format::Html))
        {
            eprintln!(
                "note: Gmail does not show inlined images; for Gmail, host the banner \
                 (sigblock banner --out banner.png) and add --image-url https://…/banner.png"
            );
        }
        Ok(Shared {
            templates: Templates::new(),
            banner,
            formats,
            date: inputs.date,
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

/// `--image-url` must be a plain https URL: it is what Gmail fetches for every reader.
fn check_image_url(url: &str) -> anyhow::Result<()> {
    let rest = url.strip_prefix("https://");
    let host = rest
        .and_then(|r| r.split(['/', '?', '#']).next())
        .unwrap_or("");
    if rest.is_none()
        || host.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
        || url.len() > 2000
    {
        bail!("--image-url: {url:?} is not an https URL (e.g. https://example.org/banner.png)");
    }
    Ok(())
}

fn one_person(cli: &Cli) -> anyhow::Result<Outcome> {
    let directory = directory(&cli.output.config)?;
    let args = &cli.person;
    let input = PersonInput {
        name: args.name.clone().unwrap_or_default(),
        title: args.title.clone().unwrap_or_default(),
        unit: args.unit.clone().unwrap_or_default(),
        email: args.email.clone(),
        phone: args.phone.clone(),
    };
    let person = input.validate(&directory)?;
    let shared = Shared::load(&cli.output)?;
    let out = cli.out.clone().unwrap_or_else(|| PathBuf::from("."));
    output::prepare_dir(&out)?;
    let slug = crate::slug::slug(&person.name);
    let made = shared.writer(&directory).write(&person, &slug, &out)?;
    for file in &made.files {
        say!("wrote {}", file.display());
    }
    if shared.banner.as_ref().is_some_and(|b| b.url.is_some()) {
        let len = made.fragment.chars().count();
        if len > GMAIL_SIGNATURE_LIMIT {
            eprintln!("note: the signature is {len} characters; Gmail takes at most {GMAIL_SIGNATURE_LIMIT}");
        }
    }
    if cli.output.no_clipboard {
        return Ok(Outcome::Done);
    }
    match crate::clipboard::copy(&made.fragment, &made.text) {
        Ok(()) => say!(
            "copied the signature to the clipboard: paste it into your email client's signature settings"
        ),
        Err(why) => say!("no clipboard here ({why}); the files above are the signature"),
    }
    Ok(Outcome::Done)
}

fn batch(args: &BatchArgs) -> anyhow::Result<Outcome> {
    let directory = directory(&args.output.config)?;
    let staff = StaffFile::open(&args.csv)?;
    let shared = Shared::load(&args.output)?;
    for note in &staff.notes {
        eprintln!("note: {note}");
    }
    output::prepare_dir(&args.out)?;
    let writer = shared.writer(&directory);
    let summary = Batch {
        writer: &writer,
        directory: &directory,
        out: &args.out,
        source: &args.csv,
    }
    .run(staff)?;

    let total = summary.made + summary.refused;
    let out = args.out.display();
    if summary.refused == 0 {
        say!(
            "made {} of {} signatures in {out}; see {} to review them",
            thousands(summary.made),
            thousands(total),
            args.out.join("index.html").display()
        );
        Ok(Outcome::Done)
    } else {
        say!(
            "made {} of {} signatures in {out}; {} refused (see {})",
            thousands(summary.made),
            thousands(total),
            thousands(summary.refused),
            args.out.join("report.csv").display()
        );
        Ok(Outcome::SomeRefused)
    }
}

fn banner_only(args: &BannerArgs) -> anyhow::Result<Outcome> {
    let inputs = BannerInputs::load(&args.banner_source)?;
    inputs.note_window(true);
    let encoding = if args.lossless {
        Encoding::Lossless
    } else {
        Encoding::Optimised
    };
    let made = banner::make(&inputs.campaign, inputs.logo.as_ref(), encoding)?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        output::prepare_dir(dir)?;
    }
    write_file(&args.out, &made.png)?;
    say!(
        "wrote {} ({}×{} px for {}×{} display, {} bytes)",
        args.out.display(),
        made.display_width * banner::SCALE,
        made.display_height * banner::SCALE,
        made.display_width,
        made.display_height,
        made.png.len()
    );
    Ok(Outcome::Done)
}

fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    output::write_atomic(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

fn units(args: &ConfigArgs) -> anyhow::Result<Outcome> {
    let directory = directory(args)?;
    for unit in &directory.units {
        say!("{}", unit.name);
        if !unit.aliases.is_empty() {
            say!("  aliases: {}", unit.aliases.join(", "));
        }
        say!("  contact: {}", unit.contact.line());
    }
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_urls_must_be_https() {
        assert!(check_image_url("https://example.org/banner.png").is_ok());
        for bad in [
            "http://example.org/b.png",
            "https://",
            "javascript:alert(1)",
            "https://x/\"onerror=",
            "https://a b",
        ] {
            assert!(check_image_url(bad).is_err(), "{bad}");
        }
    }
}
