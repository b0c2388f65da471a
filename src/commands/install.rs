//! `sigblock install`: the person's signature and its reply variant into classic
//! Outlook's Signatures folder, as they are and once more for each mailbox of the profile
//! under that mailbox's own names, and, with `--set-default`, Outlook's defaults (or a
//! `.reg` file for IT). `--dry-run` says all of it and changes nothing; it also runs
//! where there is no Windows registry, as a plan for the mailboxes named with `--account`.

use std::path::{Path, PathBuf};

use super::{directory, open_folder, Shared};
use crate::exit::Outcome;
use crate::files::{OutputFolder, Owner, Refusal, Source};
use crate::install::names::Mailbox;
use crate::install::outlook::{signatures_folder, Account, Outlook, KEYS, SETUP};
use crate::install::{names, plan, reg, registry, InstallError, Parts, Plan, RegValue};
use crate::job::{Environment, Job, OutputOptions};
use crate::output::names::{of, OUTLOOK_PICTURE, OUTLOOK_RTF};
use crate::output::{limits, Signature};
use crate::person::{Identity, PersonInput};
use crate::text::{plain, ShownPath};

/// What `install` was asked to do besides making the signature.
struct Install<'a> {
    signature_name: Option<&'a str>,
    set_default: bool,
    accounts: &'a [String],
    dry_run: bool,
    print_reg: Option<&'a Path>,
}

pub(super) fn run(job: Job, env: &Environment) -> anyhow::Result<Outcome> {
    let Job::Install {
        person,
        output,
        signature_name,
        set_default,
        accounts,
        dry_run,
        print_reg,
    } = job
    else {
        unreachable!("commands::run passes install jobs only")
    };
    let install = Install {
        signature_name: signature_name.as_deref(),
        set_default,
        accounts: &accounts,
        dry_run,
        print_reg: print_reg.as_deref(),
    };
    install_person(&person, &output, &install, env)
}

fn install_person(
    input: &PersonInput,
    output: &OutputOptions,
    install: &Install<'_>,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    // Without Windows' registry only a plan can be said: the files for the mailboxes
    // named with --account, under %APPDATA%. A .reg file needs the accounts' keys.
    if env.registry.is_none() {
        if install.print_reg.is_some() {
            return Err(InstallError::NoAccountKeys.into());
        }
        if !install.dry_run {
            return Err(InstallError::NotWindows.into());
        }
    }
    let directory = directory(output.config.as_deref())?;
    let person = input.validate(&directory)?;
    let name = names::signature_name(
        install.signature_name,
        &directory.organization,
        &person.name,
    )?;
    let set_defaults = install.set_default || install.print_reg.is_some();
    if install.set_default
        && install.print_reg.is_none()
        && !registry::AVAILABLE
        && env.registry.is_some()
    {
        return Err(InstallError::NoRegistry.into());
    }
    let target = Target::find(install, env, &name, set_defaults, &person)?;
    // A dry run writes nothing at all, not even the banner cache.
    let no_cache = Environment::default();
    let shared = Shared::prepare(output, if install.dry_run { &no_cache } else { env })?;
    shared.say_notes();
    let plan = plan(
        &name,
        &Parts {
            templates: &shared.templates,
            person: &person,
            organization: &directory.organization,
            picture: shared.picture.as_ref(),
            mailboxes: &target.mailboxes,
        },
    );
    let values = crate::install::defaults(&plan, &target.accounts);
    if let Some(outlook) = &target.outlook {
        if let Some(value) = &outlook.folder_value {
            note!(
                "Outlook reads signatures from {} (the registry's Signatures value {value:?} in {})",
                ShownPath(&target.folder),
                KEYS[0]
            );
        }
        if !outlook.present {
            note!(
                "classic Outlook has not run for this Windows user ({} is missing); the files \
                 are put where it will look",
                KEYS[1]
            );
        }
    }
    // A value a .reg file cannot carry stops the run before any file is written.
    let reg_file = match install.print_reg {
        Some(_) => Some(reg::file(&values)?),
        None => None,
    };
    if install.dry_run {
        dry_run(&plan, &values, &target, install);
    } else {
        write(&plan, &Identity::of(&person), &target.folder, output, env)?;
        if let (Some(path), Some(bytes)) = (install.print_reg, &reg_file) {
            write_reg(path, bytes, output.force, env)?;
            say!(
                "wrote {} ({} registry values for IT: reg import \"{}\")",
                ShownPath(path),
                values.len(),
                ShownPath(path)
            );
        } else if install.set_default {
            registry::apply(&values)?;
            for value in &values {
                say!("set {}\\{} = {}", plain(&value.key), value.name, value.data);
            }
        }
    }
    if let Some(outlook) = target.outlook.as_ref().filter(|o| o.present) {
        if !outlook.roaming_disabled {
            note!("{}", roaming(&plan, install.dry_run));
        }
    }
    if !install.dry_run {
        let how = if install.print_reg.is_some() {
            "once the .reg file is imported, Outlook's defaults point at them"
        } else if set_defaults {
            "Outlook's defaults point at them; restart Outlook if it is open"
        } else {
            "choose them in Outlook: File > Options > Mail > Signatures (or run again with --set-default)"
        };
        say!("installed {}: {how}", the_signatures(&plan));
    }
    let signature = Signature::new(
        &shared.templates,
        &person,
        &directory.organization,
        shared.picture.as_ref().map(|p| &p.banner),
    );
    for crossed in limits::signature(&signature, shared.picture.as_ref()) {
        note!("{crossed}");
    }
    Ok(Outcome::Done)
}

/// Where the files go and for which mailboxes, and whose defaults to set.
struct Target {
    folder: PathBuf,
    /// The folder is `%APPDATA%\Microsoft\Signatures` as words, not a path here: no
    /// registry and no APPDATA variable.
    placeholder: bool,
    /// What the registry says (Windows).
    outlook: Option<Outlook>,
    /// The mail accounts whose defaults `--set-default` or `--print-reg` set (Windows).
    accounts: Vec<Account>,
    /// The mailboxes that get a set of their own.
    mailboxes: Vec<Mailbox>,
    /// `--account` as given, when there is no registry to find the accounts in.
    named: Vec<Mailbox>,
}

impl Target {
    /// On Windows: the registry's folder and the default profile's mail accounts (those
    /// named with `--account`, or all), each address that can name files a mailbox.
    /// Elsewhere: `%APPDATA%`'s folder and the `--account` addresses, checked.
    fn find(
        install: &Install<'_>,
        env: &Environment,
        name: &str,
        set_defaults: bool,
        person: &crate::person::Person<'_>,
    ) -> anyhow::Result<Target> {
        let Some(snapshot) = &env.registry else {
            let (folder, placeholder) = match &env.appdata {
                Some(appdata) => (signatures_folder(None, appdata), false),
                None => (PathBuf::from(r"%APPDATA%\Microsoft\Signatures"), true),
            };
            let mut named: Vec<Mailbox> = Vec::new();
            for address in install.accounts {
                let mailbox = Mailbox::new(address).map_err(InstallError::Address)?;
                // Windows file names ignore case: the same mailbox once.
                if !named.iter().any(|m| m.same(mailbox.as_str())) {
                    named.push(mailbox);
                }
            }
            note!(
                "this is not Windows: a plan only, for the folder {} and the mailboxes named \
                 with --account; Outlook's own settings (a Signatures folder of its own, its \
                 profile and mail accounts, roaming) are read from the registry on Windows",
                shown_folder(&folder, placeholder)
            );
            if named.is_empty() {
                note!(
                    "no --account: the plan has the plain set only, which classic Outlook with \
                     roaming signatures shows as signatures on this device; add --account {} for \
                     that mailbox's own",
                    person.email.as_deref().unwrap_or("EMAIL")
                );
            }
            return Ok(Target {
                folder,
                placeholder,
                outlook: None,
                accounts: Vec::new(),
                mailboxes: named.clone(),
                named,
            });
        };
        let Some(appdata) = &env.appdata else {
            return Err(InstallError::NoAppData.into());
        };
        let outlook = Outlook::read(snapshot, appdata);
        let chosen = if set_defaults || !install.accounts.is_empty() {
            outlook.select(install.accounts)?
        } else {
            outlook.accounts.clone()
        };
        let folder = outlook.folder.clone();
        let mut mailboxes: Vec<Mailbox> = Vec::new();
        for account in &chosen {
            let mailbox = match Mailbox::new(&account.email) {
                Ok(mailbox) => mailbox,
                Err(why) => {
                    note!(
                        "{why} ({}\\Account Name): it cannot name files, so Outlook's \
                         signature \"{name}\" stands for that account",
                        plain(&account.key)
                    );
                    continue;
                }
            };
            if mailboxes.iter().any(|m| m.same(mailbox.as_str())) {
                continue;
            }
            if let Some(len) = too_long(&folder, name, &mailbox) {
                note!(
                    "the files for the mailbox {} would have paths of {len} characters, \
                     more than the {MAX_PATH} Outlook can open: not written; Outlook's \
                     signature \"{name}\" stands for that mailbox",
                    mailbox.as_str()
                );
                continue;
            }
            mailboxes.push(mailbox);
        }
        Ok(Target {
            folder,
            placeholder: false,
            outlook: Some(outlook),
            accounts: if set_defaults { chosen } else { Vec::new() },
            mailboxes,
            named: Vec::new(),
        })
    }

    /// A file of the plan as the person should read its path.
    fn shown(&self, rel: &str) -> String {
        if self.placeholder {
            format!(
                "{}\\{}",
                shown_folder(&self.folder, true),
                rel.replace('/', "\\")
            )
        } else {
            ShownPath(&shown(&self.folder, rel)).to_string()
        }
    }

    /// Whether a file of the plan is there already (never, for a folder not known).
    fn exists(&self, rel: &str) -> bool {
        !self.placeholder && shown(&self.folder, rel).exists()
    }
}

/// The longest path a Windows program such as Outlook opens (MAX_PATH, 260, less the
/// terminating NUL).
const MAX_PATH: usize = 259;

/// The length of the longest path a mailbox's set would have in `folder`, when it is
/// more than [`MAX_PATH`].
fn too_long(folder: &Path, name: &str, mailbox: &Mailbox) -> Option<usize> {
    let reply = names::reply_name(name);
    let longest = [
        of(&names::mailbox_name(&reply, mailbox), OUTLOOK_RTF),
        of(&names::mailbox_name(name, mailbox), OUTLOOK_PICTURE),
    ]
    .iter()
    .map(|rel| {
        shown(folder, rel)
            .as_os_str()
            .to_string_lossy()
            .encode_utf16()
            .count()
    })
    .max()
    .unwrap_or(0);
    (longest > MAX_PATH).then_some(longest)
}

fn shown_folder(folder: &Path, placeholder: bool) -> String {
    if placeholder {
        folder.to_string_lossy().into_owned()
    } else {
        ShownPath(folder).to_string()
    }
}

/// The signatures of the plan, for the closing line: the plain pair, then each mailbox's.
fn the_signatures(plan: &Plan) -> String {
    let mut said = format!(
        "the signature {:?} and, for replies and forwards, {:?}",
        plan.name, plan.reply
    );
    if !plan.mailboxes.is_empty() {
        let own: Vec<String> = plan
            .mailboxes
            .iter()
            .map(|set| format!("{:?}", set.name))
            .collect();
        said.push_str(&format!(
            ", and each mailbox's own: {} (each with its reply variant)",
            own.join(", ")
        ));
    }
    said
}

/// The roaming warning: what was written (or, in a dry run, would be) for which mailbox,
/// and how to keep the files.
fn roaming(plan: &Plan, dry_run: bool) -> String {
    let (were, written) = if dry_run {
        ("would be", "would be written")
    } else {
        ("were", "written")
    };
    let written = if plan.mailboxes.is_empty() {
        format!(
            "no mail account's address was found, so only {:?} and {:?} {were} written, \
             which it shows as signatures on this device",
            plan.name, plan.reply
        )
    } else {
        let each: Vec<String> = plan
            .mailboxes
            .iter()
            .map(|set| {
                format!(
                    "for {}, {:?} and {:?}",
                    set.mailbox.as_str(),
                    set.name,
                    set.reply
                )
            })
            .collect();
        format!(
            "{written} {}; {:?} and {:?} are for Outlook without roaming",
            each.join("; "),
            plan.name,
            plan.reply
        )
    };
    format!(
        "Outlook with roaming signatures (Microsoft 365) lists a signature under a mailbox \
         only by that mailbox's own name: {written}. It may also replace these files with the \
         signatures kept in the cloud; to keep them, set {SETUP}\\DisableRoamingSignatures \
         (REG_DWORD) to 1: reg add \"{SETUP}\" /v DisableRoamingSignatures /t REG_DWORD /d 1 /f"
    )
}

/// Writes the `.reg` file like any output: never over a file sigblock did not make
/// (unless `--force`), through sigblock's record in its folder.
fn write_reg(path: &Path, bytes: &[u8], force: bool, env: &Environment) -> anyhow::Result<()> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Refusal::NotAFile {
            path: path.to_owned(),
            what: "not a file name",
        })?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let folder = open_folder(dir, Source::Named, force, Vec::new(), env)?;
    folder.write_all(&[(name.to_owned(), bytes.to_vec())], None)?;
    super::say_forced(&folder.finish()?);
    Ok(())
}

/// Says every file and registry value the run would write, writing nothing.
fn dry_run(plan: &Plan, values: &[RegValue], target: &Target, install: &Install<'_>) {
    for (rel, bytes) in &plan.files {
        let state = if target.exists(rel) {
            "replace"
        } else {
            "write"
        };
        say!(
            "would {state} {} ({} bytes)",
            target.shown(rel),
            bytes.len()
        );
    }
    for (stem, _) in plan.names() {
        let banner = of(stem, OUTLOOK_PICTURE);
        if !plan.files.iter().any(|(rel, _)| *rel == banner) && target.exists(&banner) {
            say!(
                "would remove {} (when sigblock made it)",
                target.shown(&banner)
            );
        }
    }
    match install.print_reg {
        Some(path) => say!(
            "would write {} with {} registry values",
            ShownPath(path),
            values.len()
        ),
        None => {
            for value in values {
                say!(
                    "would set {}\\{} = {}",
                    plain(&value.key),
                    value.name,
                    value.data
                );
            }
        }
    }
    // Elsewhere the accounts' keys are not known: what each would get, by address.
    if install.set_default && target.outlook.is_none() {
        for mailbox in &target.named {
            let (name, reply) = plan.names_for(mailbox.as_str());
            say!(
                "would set, for the mail account {}: New Signature = {name}, \
                 Reply-Forward Signature = {reply} (its key is in that Windows user's registry)",
                mailbox.as_str()
            );
        }
    }
}

/// A file of the plan as a path in `folder`, with the platform's separator.
fn shown(folder: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(folder.to_path_buf(), |p, part| p.join(part))
}

/// Writes the files through the owned folder, every set at once (all or none): files
/// sigblock did not make are refused, or with `--force` kept as `<file>.bak` and replaced.
/// Outside the campaign, the banner an earlier install put in each set's files folder goes
/// (when sigblock made it and nobody changed it).
fn write(
    plan: &Plan,
    owner: &Identity,
    folder: &Path,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<()> {
    let probe = open_folder(folder, Source::OneByOne, false, Vec::new(), env)?;
    let theirs = not_ours(&probe, &plan.files)?;
    let old_banners: Vec<PathBuf> = plan
        .names()
        .map(|(stem, _)| of(stem, OUTLOOK_PICTURE))
        .filter(|rel| !plan.files.iter().any(|(planned, _)| planned == rel))
        .filter(|rel| shown(folder, rel).is_file() && probe.stage(rel).is_ok())
        .map(|rel| shown(folder, &rel))
        .collect();
    probe.finish()?;
    let mut kept = Vec::new();
    if let Some(path) = theirs.first() {
        if !output.force {
            return Err(InstallError::NotOurs(Refusal::NotOurs { path: path.clone() }).into());
        }
        for path in &theirs {
            kept.push((path.clone(), backup(path)?));
        }
    }

    let target = open_folder(folder, Source::OneByOne, output.force, Vec::new(), env)?;
    // One owner for every set: they are one person's signature under several names.
    let owner = Owner {
        stem: plan.name.clone(),
        who: owner.clone(),
    };
    let paths = target.write_all(&plan.files, Some(&owner))?.paths;
    for old_banner in old_banners {
        if std::fs::remove_file(&old_banner).is_ok() {
            if let Some(parent) = old_banner.parent() {
                let _ = std::fs::remove_dir(parent); // only when empty
            }
            say!("removed {} (outside the campaign)", ShownPath(&old_banner));
        }
    }
    target.finish()?;
    debug_assert_eq!(paths.len(), plan.files.len());
    for (rel, _) in &plan.files {
        say!("wrote {}", ShownPath(&shown(folder, rel)));
    }
    for (path, copy) in kept {
        note!(
            "replaced {}, which sigblock had not made (--force); the old one is kept as {}",
            ShownPath(&path),
            ShownPath(&copy)
        );
    }
    Ok(())
}

/// The files of the plan that are there but not sigblock's (each asked of the folder,
/// which writes nothing for it); any other refusal stops the run.
fn not_ours(folder: &OutputFolder, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Refusal> {
    let mut theirs = Vec::new();
    for (rel, bytes) in files {
        match folder.stage(rel) {
            Ok(_) => {}
            Err(Refusal::NotOurs { path }) => {
                // Already exactly what would be written: nothing to keep.
                if std::fs::read(&path).ok().as_ref() != Some(bytes) {
                    theirs.push(path);
                }
            }
            Err(other) => return Err(other),
        }
    }
    Ok(theirs)
}

/// Copies `path` to `<path>.bak` (or `.bak2`, `.bak3`, … when taken), never over a file.
fn backup(path: &Path) -> Result<PathBuf, Refusal> {
    for n in 1.. {
        let suffix = if n == 1 {
            ".bak".to_owned()
        } else {
            format!(".bak{n}")
        };
        let mut name = path.as_os_str().to_owned();
        name.push(&suffix);
        let copy = PathBuf::from(name);
        let bytes = std::fs::read(path).map_err(Refusal::io(path))?;
        match std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(&copy)
        {
            Ok(mut file) => {
                use std::io::Write;
                file.write_all(&bytes).map_err(Refusal::io(&copy))?;
                return Ok(copy);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Refusal::io(&copy)(e)),
        }
    }
    unreachable!("some .bakN is free")
}
