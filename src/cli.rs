//! The command line (design.md is the contract). Doc comments here are the `--help` text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::campaign::BannerMode;
use crate::output::Format;

const EXAMPLES: &str = "\
Examples:
  sigblock --name \"Ana Ruiz\" --title \"Program Analyst\" --unit CTRT
  sigblock --name \"Ana Ruiz\" --title \"Program Analyst\" --unit RPB --email ana.ruiz@dss.ca.gov \\
           --phone \"(916) 555-0100\" --out signatures --format html,text,eml,outlook
  sigblock batch staff.csv --out signatures
  sigblock banner --out banner.png
  sigblock units";

/// Email signature blocks with the month's awareness banner: one person from flags, or a
/// whole office from a CSV. Writes <slug>.html and <slug>.txt and puts the signature on
/// the clipboard, ready to paste into Outlook, Gmail, Apple Mail or Thunderbird.
#[derive(Debug, Parser)]
#[command(name = "sigblock", version, after_help = EXAMPLES)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub person: PersonArgs,

    /// Folder to write into (created if missing; default: the current folder).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Make a signature for every row of a CSV (columns name, title, unit; email and
    /// phone optional), a gallery page to review them and a report of refused rows.
    Batch(BatchArgs),
    /// Write the banner alone as a PNG (to host it for Gmail, or to check it).
    Banner(BannerArgs),
    /// List the known units, their aliases and their contact line.
    Units(ConfigArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    #[command(name = crate::clipboard::SERVE_COMMAND, hide = true)]
    ServeClipboard,
}

#[derive(Debug, Args)]
pub struct PersonArgs {
    /// The person's name, as it should appear.
    #[arg(long, required = true)]
    pub name: Option<String>,
    /// Job title.
    #[arg(long, required = true)]
    pub title: Option<String>,
    /// Unit, by name or alias (CTRT, RPB, ...; see `sigblock units`).
    #[arg(long, required = true)]
    pub unit: Option<String>,
    /// Email address, linked with mailto:.
    #[arg(long)]
    pub email: Option<String>,
    /// Phone number, linked with tel:.
    #[arg(long)]
    pub phone: Option<String>,
}

/// Options every signature-making command shares.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// What to write, comma-separated: html, text, eml (a test message), outlook
    /// (classic Outlook's .htm + _files folder).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html,text")]
    pub format: Vec<Format>,

    /// Reference the banner at this https URL instead of inlining it (needed for Gmail).
    #[arg(long, value_name = "URL")]
    pub image_url: Option<String>,

    /// Include the banner always, only inside the campaign's dates (auto), or never.
    #[arg(long, value_enum, default_value = "always")]
    pub banner: BannerMode,

    #[command(flatten)]
    pub banner_source: BannerSourceArgs,

    #[command(flatten)]
    pub config: ConfigArgs,

    /// Do not put the signature on the clipboard (batch never does).
    #[arg(long)]
    pub no_clipboard: bool,
}

/// What the banner is made from.
#[derive(Debug, Args, Clone)]
pub struct BannerSourceArgs {
    /// Pretend today is this day (YYYY-MM-DD, the campaign's time zone).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,

    /// A unit logo (PNG) to place at the banner's right end.
    #[arg(long, value_name = "FILE.png")]
    pub logo: Option<PathBuf>,

    /// A campaign file to use instead of the built-in one (see assets/campaign.toml).
    #[arg(long, value_name = "FILE.toml")]
    pub campaign: Option<PathBuf>,
}

#[derive(Debug, Args, Clone)]
pub struct ConfigArgs {
    /// A units file to use instead of the built-in one (see assets/units.toml).
    #[arg(long, value_name = "FILE.toml")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The staff CSV: a header row, then one person per row.
    #[arg(value_name = "STAFF.csv")]
    pub csv: PathBuf,

    /// Folder to write every signature, the gallery and the report into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct BannerArgs {
    /// Where to write the PNG.
    #[arg(long, value_name = "FILE.png")]
    pub out: PathBuf,

    /// Write the exact render (RGBA), not the palette-optimised one.
    #[arg(long)]
    pub lossless: bool,

    #[command(flatten)]
    pub banner_source: BannerSourceArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
