//! The command line: clap lives here and nowhere else. Doc comments are the `--help`
//! text; value parsers check dates, URLs, formats and banner modes as they are parsed;
//! [`parse`] turns the flags into one typed [`Job`].

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::builder::PossibleValue;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use clap_complete::Shell;

use sigblock::campaign::BannerMode;
use sigblock::job::{BannerAction, BannerSource, Job, OutputOptions};
use sigblock::output::Format;
use sigblock::person::PersonInput;
use sigblock::staff::Slot;

mod hints;

/// The first argument the detached clipboard server runs with: read before clap, so no
/// help or completion ever shows it.
pub(crate) const SERVE_CLIPBOARD: &str = "__serve-clipboard";

/// The examples under `--help`: each one command on one line, under 78 columns so that
/// an 80-column terminal shows it whole, and the same in bash and PowerShell.
const EXAMPLES: &str = "\
Examples (each one line; the same in bash and PowerShell):
  sigblock --name \"Ana Ruiz\" --title \"Program Analyst\" --unit CTRT
  sigblock --name \"Ana Ruiz\" --title Analyst --unit RPB --out \"$HOME/sigs\"
  sigblock --name \"Ana Ruiz\" --title Analyst --unit RPB --phone \"916 555 0100\"
  sigblock --name \"Ana Ruiz\" --title Analyst --unit CTRT --format html,outlook
  sigblock batch staff.csv --out signatures
  sigblock page --out signature.html
  sigblock install --name \"Ana Ruiz\" --title Analyst --unit CTRT --set-default
  sigblock banner --out banner.png
  sigblock units";

/// Email signature blocks with the month's awareness banner: one person from flags, or a
/// whole office from a CSV. Writes <slug>.html and <slug>.txt and puts the signature on
/// the clipboard, ready to paste into Outlook, Gmail, Apple Mail or Thunderbird. A value
/// with spaces goes in quotes (--name "Ana Ruiz"), in bash and PowerShell alike.
#[derive(Debug, Parser)]
#[command(name = "sigblock", version, after_help = EXAMPLES)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    person: PersonArgs,

    /// Folder to write into (created if missing; default: the current folder). Not
    /// "~/...": write "$HOME/..." (a shell expands ~ only outside quotes).
    #[arg(long, value_name = "DIR", value_parser = hints::out_path)]
    out: Option<PathBuf>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Make a signature for every row of a CSV (columns name, title, unit; email and
    /// phone optional), a gallery page to review them and a report of refused rows.
    Batch(BatchArgs),
    /// Write the signature page: one HTML file staff open in a browser to make their
    /// signature with a form, no terminal and no server (the units, the campaign, its
    /// banner and sigblock's own checks inside; it works offline).
    Page(PageArgs),
    /// Write the banner alone as a PNG (to host it for Gmail, or to check it).
    Banner(BannerArgs),
    /// List the known units, their aliases and their contact line; or write the built-in
    /// units file to edit (--write units.toml) and pass back with --config.
    Units(UnitsArgs),
    /// Put the signature (N.htm, N.rtf, N.txt, N_files) and its short reply variant into
    /// classic Outlook for Windows, also under each mailbox's own name; with --set-default,
    /// Outlook's defaults too. Elsewhere, --dry-run shows the plan.
    ///
    /// The signature N and its reply variant "N (reply)" are written once as they are and
    /// once for each mail account of Outlook's default profile (or each --account), under
    /// that mailbox's own name "N (user@domain)": Outlook with roaming signatures
    /// (Microsoft 365) lists a signature under a mailbox only by such a name. Elsewhere than
    /// Windows only --dry-run runs: the plan for the mailboxes named with --account, under
    /// %APPDATA% (the APPDATA variable when set; else the words %APPDATA%); the registry
    /// is not read, and --print-reg and a real install need Windows.
    Install(Box<InstallArgs>),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish, in any case
    /// (README: "Tab completion" says where each shell reads it).
    Completions {
        #[arg(value_parser = ShellName)]
        shell: Shell,
    },
}

#[derive(Debug, Args)]
struct PersonArgs {
    /// The person's name, as it should appear.
    #[arg(long, required = true)]
    name: Option<String>,
    /// Job title.
    #[arg(long, required = true)]
    title: Option<String>,
    /// Unit, by name or alias (CTRT, RPB, ...; see `sigblock units`), in any case,
    /// spaces and punctuation ignored (C.T.R.T. is CTRT).
    #[arg(long, required = true, value_parser = UnitName, hide_possible_values = true)]
    unit: Option<String>,
    /// Email address, linked with mailto:.
    #[arg(long)]
    email: Option<String>,
    /// Phone number, linked with tel: (said by `command`, from the phone rules).
    #[arg(long)]
    phone: Option<String>,
}

/// Options every signature-making command shares.
#[derive(Debug, Args)]
struct OutputArgs {
    /// What to write (said by `command`, from the formats).
    #[arg(long, value_parser = hints::FormatList, default_value = "html,text", hide_possible_values = true)]
    format: Vec<hints::Formats>,

    /// Reference the banner at this https URL instead of inlining it (needed for Gmail).
    #[arg(long, value_name = "URL", value_parser = hints::parse_https_url)]
    image_url: Option<String>,
    #[command(flatten)]
    made_from: MadeFromArgs,
    /// Do not put the signature on the clipboard (batch never does).
    #[arg(long)]
    no_clipboard: bool,
    /// Replace files in the output folder that sigblock did not make, or that were
    /// changed since, or another person's signature of the same file name (it says
    /// which). Read-only files and the run's inputs are never replaced.
    #[arg(long)]
    force: bool,
}

/// What a signature is made from besides the person: whether the banner goes in, what
/// it is made from, and the units file (one-person, batch and install alike).
#[derive(Debug, Args)]
struct MadeFromArgs {
    /// Include the banner always, only inside the campaign's dates (auto), or never.
    #[arg(long, value_parser = hints::BannerModes, default_value = "always", hide_possible_values = true)]
    banner: BannerMode,
    #[command(flatten)]
    banner_source: BannerSourceArgs,
    #[command(flatten)]
    config: ConfigArgs,
}

/// What the banner is made from.
#[derive(Debug, Args)]
struct BannerSourceArgs {
    /// Pretend today is this day (YYYY-MM-DD, the campaign's time zone).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = hints::parse_date)]
    date: Option<NaiveDate>,
    /// A unit logo (PNG) to place at the banner's right end.
    #[arg(long, value_name = "FILE.png")]
    logo: Option<PathBuf>,
    /// A campaign file to use instead of the built-in one (its banner SVG beside it).
    #[arg(long, value_name = "FILE.toml")]
    campaign: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct UnitsArgs {
    #[command(flatten)]
    config: ConfigArgs,
    /// Write the built-in units file here (a name ending in .toml), for the office to
    /// edit: units, aliases and contact lines. Then pass it with --config FILE.toml.
    #[arg(long, value_name = "FILE.toml", conflicts_with = "config", value_parser = hints::out_path)]
    write: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ConfigArgs {
    /// A units file to use instead of the built-in one (`sigblock units --write
    /// units.toml` gives a copy of the built-in one to edit).
    #[arg(long, value_name = "FILE.toml")]
    config: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct BatchArgs {
    /// The staff CSV: a header row, then one person per row.
    #[arg(value_name = "STAFF.csv")]
    csv: PathBuf,
    /// Folder to write every signature, the gallery and the report into.
    #[arg(long, value_name = "DIR", value_parser = hints::out_path)]
    out: PathBuf,
    /// Which column gives a field (said by `command`, from the fields).
    #[arg(long, value_name = "FIELD=HEADER", value_parser = hints::parse_columns)]
    columns: Vec<hints::Columns>,
    /// Where the office put the signature page (sigblock page): each person made gets a
    /// link to it that fills in their details, in report.csv's link column and on their
    /// card in the gallery.
    #[arg(long, value_name = "URL", value_parser = hints::parse_page_url)]
    page_url: Option<String>,
    #[command(flatten)]
    output: OutputArgs,
}

#[derive(Debug, Args)]
struct PageArgs {
    /// Where to write the page (a name ending in .html).
    #[arg(long, value_name = "FILE.html", value_parser = hints::out_path)]
    out: PathBuf,
    /// Reference the banner at this https URL in every signature instead of inlining it
    /// (needed for Gmail).
    #[arg(long, value_name = "URL", value_parser = hints::parse_https_url)]
    image_url: Option<String>,
    /// Include the banner always, only inside the campaign's dates (auto: decided each
    /// day in the page, in the campaign's time zone), or never.
    #[arg(long, value_parser = hints::BannerModes, default_value = "always", hide_possible_values = true)]
    banner: BannerMode,
    /// A unit logo (PNG) to place at the banner's right end.
    #[arg(long, value_name = "FILE.png")]
    logo: Option<PathBuf>,
    /// A campaign file to use instead of the built-in one (its banner SVG beside it).
    #[arg(long, value_name = "FILE.toml")]
    campaign: Option<PathBuf>,
    #[command(flatten)]
    config: ConfigArgs,
    /// Replace the file at --out even though sigblock did not make it.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct InstallArgs {
    #[command(flatten)]
    person: PersonArgs,
    /// The name Outlook shows and the files take (default: the organization's initials
    /// and the name, "CDSS - Ana Ruiz"); keep it: Outlook's defaults point at it.
    #[arg(long, value_name = "NAME")]
    signature_name: Option<String>,
    /// Make it the default (and the short one for replies) for the profile's accounts,
    /// each account its own mailbox's names.
    #[arg(long)]
    set_default: bool,
    /// Only this mail account (its email address); repeat for more. Without Windows'
    /// registry (--dry-run elsewhere): the mailboxes to plan for.
    #[arg(long, value_name = "EMAIL")]
    account: Vec<String>,
    /// Say every file and registry value it would write; change nothing. Runs on any
    /// system; elsewhere than Windows the registry is not read.
    #[arg(long)]
    dry_run: bool,
    /// Write the registry values to FILE.reg (for IT: reg import) instead of setting them.
    /// Windows only: the file names each account's registry key, which only that
    /// Windows user's registry says.
    #[arg(long, value_name = "FILE.reg")]
    print_reg: Option<PathBuf>,
    #[command(flatten)]
    made_from: MadeFromArgs,
    /// Replace files of the same name that sigblock did not make, keeping each as .bak.
    #[arg(long)]
    force: bool,
}

#[derive(Debug, Args)]
struct BannerArgs {
    /// Where to write the PNG (a name ending in .png).
    #[arg(long, value_name = "FILE.png", required_unless_present = "check", value_parser = hints::out_path)]
    out: Option<PathBuf>,
    /// Write the exact render (RGBA), not the palette-optimised one.
    #[arg(long)]
    lossless: bool,
    /// Write nothing: print each text run of the banner with its contrast against what
    /// is drawn behind it (WCAG 2; exit 1 when one is below 4.5:1).
    #[arg(long, conflicts_with_all = ["out", "lossless", "force"])]
    check: bool,
    /// Replace the file at --out even though sigblock did not make it.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    banner_source: BannerSourceArgs,
}

/// What `main` is asked to do.
pub(crate) enum Request {
    Run(Box<Job>),
    /// A flag's value failed its check: said as `error: --flag: why`.
    Refused(anyhow::Error),
    Completions(Shell),
    /// The detached clipboard server (Linux), started by sigblock itself.
    ServeClipboard,
}

/// Parses the command line, or prints the usage error and exits with status 2. A value
/// that fails its check is said as `error: --flag: why`, like every other refusal; so
/// are the mistakes a newcomer makes before clap could name them (a dash Word made long,
/// quotes it made curly).
pub(crate) fn parse() -> Request {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == SERVE_CLIPBOARD) {
        return Request::ServeClipboard;
    }
    // `sigblock help --help` is `sigblock help`.
    if args.get(1).is_some_and(|a| a == "help") {
        args.retain(|a| a != "--help" && a != "-h");
    }
    let words: Vec<String> = args
        .iter()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let command = command();
    if let Some(why) = hints::pasted(&words, &|flag| known_flag(&command, flag)) {
        return Request::Refused(anyhow::anyhow!(why));
    }
    let matches = match command.try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => return refused(error, &words),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => return refused(error, &words),
    };
    match cli.command {
        None => Request::Run(Box::new(Job::Person {
            person: cli.person.into(),
            out: cli.out.unwrap_or_else(|| PathBuf::from(".")),
            output: cli.output.into(),
        })),
        Some(Command::Batch(args)) => Request::Run(Box::new(Job::Batch {
            csv: args.csv,
            out: args.out,
            columns: args.columns.into_iter().flat_map(|c| c.0).collect(),
            page_url: args.page_url,
            output: args.output.into(),
        })),
        Some(Command::Page(args)) => Request::Run(Box::new(page_job(args))),
        Some(Command::Banner(args)) => Request::Run(Box::new(Job::Banner {
            source: args.banner_source.into(),
            action: match args.out {
                Some(out) if !args.check => BannerAction::Write {
                    out,
                    lossless: args.lossless,
                    force: args.force,
                },
                _ => BannerAction::Check,
            },
        })),
        Some(Command::Units(args)) => Request::Run(Box::new(Job::Units {
            config: args.config.config,
            write: args.write,
        })),
        Some(Command::Install(args)) => Request::Run(Box::new(install_job(*args))),
        Some(Command::Completions { shell }) => Request::Completions(shell),
    }
}

/// The command line as clap knows it, its help completed from where each fact lives:
/// the formats (`Format`), the phone rules (`person`), the CSV's fields (`staff`).
fn command() -> clap::Command {
    let formats = format!(
        "What to write, separated by commas or spaces, in any case: {}",
        Format::ALL
            .map(|f| format!("{} ({})", f.name(), f.what()))
            .join(", ")
    );
    let phone = format!(
        "Phone number, linked with tel: ({})",
        sigblock::person::PHONE_FORMS
    );
    let columns = format!(
        "Which column gives a field, where the header's names do not say (or say it \
         twice): FIELD=Header, several separated by commas, e.g. --columns \
         phone=\"Mobile Number\". Fields: {}",
        Slot::names()
    );
    let help = |c: clap::Command, arg: &'static str, text: &str| {
        let text = text.to_owned();
        c.mut_arg(arg, move |a| a.help(text))
    };
    let root = help(help(Cli::command(), "phone", &phone), "format", &formats);
    root.mut_subcommand("batch", |c| {
        help(help(c, "format", &formats), "columns", &columns)
    })
    .mut_subcommand("install", |c| help(c, "phone", &phone))
}

/// Whether `flag` (`--name`) is a long flag of sigblock or one of its commands.
fn known_flag(command: &clap::Command, flag: &str) -> bool {
    let long = |c: &clap::Command| {
        c.get_arguments()
            .any(|a| a.get_long().is_some_and(|l| flag == format!("--{l}")))
    };
    long(command) || command.get_subcommands().any(long) || matches!(flag, "--help" | "--version")
}

fn page_job(args: PageArgs) -> Job {
    Job::Page {
        out: args.out,
        output: OutputOptions {
            formats: BTreeSet::new(),
            image_url: args.image_url,
            banner: args.banner,
            source: BannerSource {
                date: None,
                logo: args.logo,
                campaign: args.campaign,
            },
            config: args.config.config,
            clipboard: false,
            force: args.force,
        },
    }
}

fn install_job(args: InstallArgs) -> Job {
    Job::Install {
        person: args.person.into(),
        output: OutputOptions {
            formats: BTreeSet::new(),
            image_url: None,
            banner: args.made_from.banner,
            source: args.made_from.banner_source.into(),
            config: args.made_from.config.config,
            clipboard: false,
            force: args.force,
        },
        signature_name: args.signature_name,
        set_default: args.set_default,
        accounts: args.account,
        dry_run: args.dry_run,
        print_reg: args.print_reg,
    }
}

/// The completion script for `shell`.
pub(crate) fn completions(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "sigblock", &mut script);
    script
}

/// A value that failed its check, words that belong in quotes, or a person's flags
/// missing: said in sigblock's words, with what to type; anything else (help, version,
/// other usage errors) clap prints itself, ignoring a closed stream, and exits.
fn refused(error: clap::Error, args: &[String]) -> Request {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let root = command();
    // The command the words are for: the root, or the subcommand named first.
    let subcommand = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .and_then(|name| root.find_subcommand(name).cloned());
    let help_or_version = matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    );
    if !help_or_version {
        let (command, words) = match &subcommand {
            Some(sub) => {
                let at = args.iter().position(|a| a == sub.get_name()).unwrap_or(0);
                (sub, &args[at + 1..])
            }
            None => (&root, args),
        };
        let takes_value = |flag: &str| {
            command.get_arguments().any(|a| {
                a.get_long().is_some_and(|l| flag == format!("--{l}"))
                    && a.get_action().takes_values()
            })
        };
        let positionals = command.get_positionals().count();
        if let Some((flag, words)) = hints::stray_words(words, takes_value, positionals) {
            let prefix = subcommand.as_ref().map(|s| s.get_name().to_owned());
            return Request::Refused(anyhow::anyhow!(hints::stray_message(
                prefix.as_deref(),
                &flag,
                &words
            )));
        }
        if subcommand.is_none() && error.kind() == ErrorKind::MissingRequiredArgument {
            let missing: Vec<&str> = ["--name", "--title", "--unit"]
                .into_iter()
                .filter(|flag| {
                    !args
                        .iter()
                        .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
                })
                .collect();
            if !missing.is_empty() {
                return Request::Refused(anyhow::anyhow!(hints::missing_message(&missing)));
            }
        }
    }
    if error.kind() == ErrorKind::ValueValidation {
        let flag = match error.get(ContextKind::InvalidArg) {
            Some(ContextValue::String(arg)) => arg.split(' ').next().unwrap_or(arg).to_owned(),
            _ => String::new(),
        };
        if let Some(why) = std::error::Error::source(&error) {
            return Request::Refused(anyhow::anyhow!("{flag}: {why}"));
        }
    }
    error.exit()
}

/// `completions`' shell, in any case (`PowerShell`, `BASH`); each shell a completion.
#[derive(Clone)]
struct ShellName;

impl clap::builder::TypedValueParser for ShellName {
    type Value = Shell;

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Shell, clap::Error> {
        let text = value.to_string_lossy();
        <Shell as clap::ValueEnum>::from_str(text.trim(), true).map_err(|_| {
            clap::Error::raw(
                clap::error::ErrorKind::ValueValidation,
                format!(
                    "{text:?} is not a shell sigblock writes completions for; choose from \
                     bash, zsh, fish, powershell, elvish\n"
                ),
            )
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            <Shell as clap::ValueEnum>::value_variants()
                .iter()
                .filter_map(clap::ValueEnum::to_possible_value),
        ))
    }
}

/// `--unit`: any text (the library checks it against the units in use, built-in or
/// `--config`); the built-in units' aliases and names offered to tab completion.
#[derive(Clone)]
struct UnitName;

impl clap::builder::TypedValueParser for UnitName {
    type Value = String;

    fn parse_ref(
        &self,
        _: &clap::Command,
        _: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        Ok(value.to_string_lossy().into_owned())
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        let directory = sigblock::units::Directory::embedded();
        let values: Vec<PossibleValue> = directory
            .units
            .iter()
            .flat_map(|unit| {
                let help = unit.name.clone();
                // A shell's word list splits at spaces: one-word labels only.
                unit.aliases
                    .iter()
                    .chain(std::iter::once(&unit.name))
                    .filter(|label| !label.contains(' '))
                    .map(move |label| PossibleValue::new(label.clone()).help(help.clone()))
            })
            .collect();
        Some(Box::new(values.into_iter()))
    }
}

impl From<OutputArgs> for OutputOptions {
    fn from(args: OutputArgs) -> OutputOptions {
        OutputOptions {
            formats: args
                .format
                .into_iter()
                .flat_map(|f| f.0)
                .collect::<BTreeSet<_>>(),
            image_url: args.image_url,
            banner: args.made_from.banner,
            source: args.made_from.banner_source.into(),
            config: args.made_from.config.config,
            clipboard: !args.no_clipboard,
            force: args.force,
        }
    }
}

impl From<PersonArgs> for PersonInput {
    fn from(args: PersonArgs) -> PersonInput {
        PersonInput {
            name: args.name.unwrap_or_default(),
            title: args.title.unwrap_or_default(),
            unit: args.unit.unwrap_or_default(),
            email: args.email,
            phone: args.phone,
        }
    }
}

impl From<BannerSourceArgs> for BannerSource {
    fn from(args: BannerSourceArgs) -> BannerSource {
        BannerSource {
            date: args.date,
            logo: args.logo,
            campaign: args.campaign,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        command().debug_assert();
    }
}
