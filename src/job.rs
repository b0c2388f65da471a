//! The command line as one typed job, built once by the binary's `cli` module, and what
//! the environment gives a run, read once by `main`. Nothing below this point parses
//! flags or reads environment variables.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveDate;

use crate::campaign::BannerMode;
use crate::clipboard::ClipboardServer;
use crate::output::Format;
use crate::person::PersonInput;

/// What the person asked for.
#[derive(Debug)]
pub enum Job {
    /// One signature from flags, into `out`.
    Person {
        person: PersonInput,
        out: PathBuf,
        output: OutputOptions,
    },
    /// One signature per row of a CSV, a gallery and a report, into `out`.
    Batch {
        csv: PathBuf,
        out: PathBuf,
        /// `--columns`: the column HR chose for a field, over the built-in names.
        columns: Vec<crate::staff::Choice>,
        /// `--page-url`: where the office put the signature page; each made row gets a
        /// link to it with their values (report.csv's `link`, the gallery's cards).
        page_url: Option<String>,
        output: OutputOptions,
    },
    /// The banner alone.
    Banner {
        source: BannerSource,
        action: BannerAction,
    },
    /// The known units and their contact lines; or, with `write`, the built-in units
    /// file written out for an office to edit.
    Units {
        config: Option<PathBuf>,
        write: Option<PathBuf>,
    },
    /// The signature page: one HTML file any staff member opens in a browser, with the
    /// office's units, the campaign and its banner, and sigblock's core inside.
    /// `output`'s formats, date and clipboard do not apply.
    Page { out: PathBuf, output: OutputOptions },
    /// One person's signature and its reply variant put into classic Outlook (Windows):
    /// its Signatures folder, and with `set_default` its defaults (or a `.reg` file).
    /// `output`'s formats, image URL and clipboard do not apply.
    Install {
        person: PersonInput,
        output: OutputOptions,
        /// The name Outlook shows (default: the organization's initials and the name).
        signature_name: Option<String>,
        /// Set `New Signature` and `Reply-Forward Signature` for the mail accounts.
        set_default: bool,
        /// Only these accounts (email addresses); none: every account of the profile.
        /// Without a registry (not Windows, `--dry-run`): the mailboxes to plan for.
        accounts: Vec<String>,
        /// Say every file and registry value, change nothing.
        dry_run: bool,
        /// Write the registry values to this `.reg` file instead of setting them.
        print_reg: Option<PathBuf>,
    },
}

#[derive(Debug)]
pub enum BannerAction {
    /// Write the PNG: palette-optimised, or the exact render; `force` replaces a file
    /// sigblock did not make.
    Write {
        out: PathBuf,
        lossless: bool,
        force: bool,
    },
    /// Measure every text run's contrast against what is drawn behind it.
    Check,
}

/// What every signature-making job shares.
#[derive(Debug, Clone)]
pub struct OutputOptions {
    pub formats: BTreeSet<Format>,
    /// A checked https URL where the banner is hosted (for Gmail).
    pub image_url: Option<String>,
    pub banner: BannerMode,
    pub source: BannerSource,
    /// A units file instead of the built-in one.
    pub config: Option<PathBuf>,
    pub clipboard: bool,
    /// Replace files in the output folder that sigblock did not make.
    pub force: bool,
}

/// What the banner is made from.
#[derive(Debug, Clone, Default)]
pub struct BannerSource {
    /// The day to make it for (default: today in the campaign's time zone).
    pub date: Option<NaiveDate>,
    pub logo: Option<PathBuf>,
    pub campaign: Option<PathBuf>,
}

/// What a run takes from its surroundings, read at the edge (`main`) and passed in.
#[derive(Debug, Default)]
pub struct Environment {
    /// Where finished banners are kept between runs; `None`: no cache.
    pub cache_dir: Option<PathBuf>,
    /// How to start the detached clipboard server (Linux), when sigblock can find itself.
    pub clipboard_server: Option<ClipboardServer>,
    /// How long to wait for another run writing into the same folder.
    pub lock_wait: Duration,
    /// `%APPDATA%` (the `APPDATA` variable, for `install`): where classic Outlook's
    /// Signatures folder is by default. Elsewhere than Windows, where `install --dry-run`
    /// shows its plan under it, `None` shows it as the words `%APPDATA%`.
    pub appdata: Option<PathBuf>,
    /// The registry values `install` reads (Windows, read only for `install`): key
    /// (`HKCU\…`) ─► value name ─► (`REG_*` type number, raw bytes). `None` elsewhere:
    /// `install` then says it is for Windows, and `--dry-run` is a plan for the
    /// mailboxes of `--account`.
    pub registry: Option<crate::install::outlook::Snapshot>,
}
