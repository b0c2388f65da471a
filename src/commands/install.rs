//! `sigblock install`: the person's signature and its reply variant into classic
//! Outlook's Signatures folder, and, with `--set-default`, Outlook's defaults (or a
//! `.reg` file for IT). `--dry-run` says all of it and changes nothing.

use std::path::{Path, PathBuf};

use super::{directory, open_folder, Shared};
use crate::exit::Outcome;
use crate::files::{OutputFolder, Owner, Refusal, Source};
use crate::install::outlook::{Outlook, KEYS, SETUP};
use crate::install::{names, plan, reg, registry, InstallError, Parts, Plan, RegValue};
use crate::job::{Environment, Job, OutputOptions};
use crate::output::names::{of, OUTLOOK_PICTURE};
use crate::person::{Identity, PersonInput};
use crate::text::ShownPath;

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
    let Some(snapshot) = &env.registry else {
        return Err(InstallError::NotWindows.into());
    };
    let Some(appdata) = &env.appdata else {
        return Err(InstallError::NoAppData.into());
    };
    let directory = directory(output.config.as_deref())?;
    let person = input.validate(&directory)?;
    let outlook = Outlook::read(snapshot, appdata);
    let name = names::signature_name(
        install.signature_name,
        &directory.organization,
        &person.name,
    )?;
    let set_defaults = install.set_default || install.print_reg.is_some();
    if install.set_default && install.print_reg.is_none() && !registry::AVAILABLE {
        return Err(InstallError::NoRegistry.into());
    }
    let accounts = if set_defaults {
        outlook.select(install.accounts)?
    } else {
        Vec::new()
    };
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
        },
    );
    let values = crate::install::defaults(&plan, &accounts);
    let folder = &outlook.folder;
    if let Some(value) = &outlook.folder_value {
        note!(
            "Outlook reads signatures from {} (the registry's Signatures value {value:?} in {})",
            ShownPath(folder),
            KEYS[0]
        );
    }
    if !outlook.present {
        note!(
            "classic Outlook has not run for this Windows user ({} is missing); the files are \
             put where it will look",
            KEYS[1]
        );
    }
    if install.dry_run {
        dry_run(&plan, &values, folder, install.print_reg);
    } else {
        write(&plan, &Identity::of(&person), folder, output, env)?;
        if let Some(path) = install.print_reg {
            write_reg(path, &reg::file(&values)?, output.force, env)?;
            say!(
                "wrote {} ({} registry values for IT: reg import \"{}\")",
                ShownPath(path),
                values.len(),
                ShownPath(path)
            );
        } else if install.set_default {
            registry::apply(&values)?;
            for value in &values {
                say!("set {}\\{} = {}", value.key, value.name, value.data);
            }
        }
    }
    if !outlook.roaming_disabled && outlook.present {
        note!(
            "Outlook with roaming signatures (Microsoft 365) may replace these files with the \
             signatures kept in the cloud; to keep them, set {SETUP}\\DisableRoamingSignatures \
             (REG_DWORD) to 1: reg add \"{SETUP}\" /v DisableRoamingSignatures /t REG_DWORD /d 1 /f"
        );
    }
    if !install.dry_run {
        let how = if install.print_reg.is_some() {
            "once the .reg file is imported, Outlook's defaults point at them"
        } else if set_defaults {
            "Outlook's defaults point at them; restart Outlook if it is open"
        } else {
            "choose them in Outlook: File > Options > Mail > Signatures (or run again with --set-default)"
        };
        say!(
            "installed the signature {:?} and, for replies and forwards, {:?}: {how}",
            plan.name,
            plan.reply
        );
    }
    Ok(Outcome::Done)
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
fn dry_run(plan: &Plan, values: &[RegValue], folder: &Path, print_reg: Option<&Path>) {
    for (rel, bytes) in &plan.files {
        let path = shown(folder, rel);
        let state = if path.exists() { "replace" } else { "write" };
        say!("would {state} {} ({} bytes)", ShownPath(&path), bytes.len());
    }
    let banner = shown(folder, &of(&plan.name, OUTLOOK_PICTURE));
    if !plan.files.iter().any(|(rel, _)| rel.ends_with(".png")) && banner.exists() {
        say!(
            "would remove {} (when sigblock made it)",
            ShownPath(&banner)
        );
    }
    match print_reg {
        Some(path) => say!(
            "would write {} with {} registry values",
            ShownPath(path),
            values.len()
        ),
        None => {
            for value in values {
                say!("would set {}\\{} = {}", value.key, value.name, value.data);
            }
        }
    }
}

/// A file of the plan as a path in `folder`, with the platform's separator.
fn shown(folder: &Path, rel: &str) -> PathBuf {
    rel.split('/')
        .fold(folder.to_path_buf(), |p, part| p.join(part))
}

/// Writes the files through the owned folder: files sigblock did not make are refused,
/// or with `--force` kept as `<file>.bak` and replaced. Outside the campaign, the banner
/// an earlier install put in `N_files` goes (when sigblock made it and nobody changed it).
fn write(
    plan: &Plan,
    owner: &Identity,
    folder: &Path,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<()> {
    let probe = open_folder(folder, Source::OneByOne, false, Vec::new(), env)?;
    let theirs = not_ours(&probe, &plan.files)?;
    let banner_rel = of(&plan.name, OUTLOOK_PICTURE);
    let old_banner = shown(folder, &banner_rel);
    let remove_banner = !plan.files.iter().any(|(rel, _)| *rel == banner_rel)
        && old_banner.is_file()
        && probe.stage(&banner_rel).is_ok();
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
    let owner = Owner {
        stem: plan.name.clone(),
        who: owner.clone(),
    };
    let paths = target.write_all(&plan.files, Some(&owner))?.paths;
    if remove_banner && std::fs::remove_file(&old_banner).is_ok() {
        if let Some(parent) = old_banner.parent() {
            let _ = std::fs::remove_dir(parent); // only when empty
        }
        say!("removed {} (outside the campaign)", ShownPath(&old_banner));
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
