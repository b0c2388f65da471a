//! One person from flags: validate, make the files, put the signature on the clipboard,
//! then say what the person should know (after the result, once each).

use std::path::{Path, PathBuf};

use super::{directory, open_folder, say_forced, Shared};
use crate::banner::ImageSource;
use crate::exit::Outcome;
use crate::job::{Environment, OutputOptions};
use crate::person::{Person, PersonInput};

/// Gmail caps a signature at this many characters.
const GMAIL_SIGNATURE_LIMIT: usize = 10_000;

/// Another person's signature stands where this one's files go (the same slug).
#[derive(Debug, thiserror::Error)]
#[error(
    "{} is the signature of {theirs}, not of {yours}: both names give the file name \
     {slug}. To keep both, make this one in another folder (--out OTHER-FOLDER); to \
     replace theirs, run again with --force",
    file.display()
)]
struct SomeoneElses {
    file: PathBuf,
    theirs: String,
    yours: String,
    slug: String,
}

pub(super) fn run(
    input: &PersonInput,
    out: &Path,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    let directory = directory(output.config.as_deref())?;
    let person = input.validate(&directory)?;
    let shared = Shared::prepare(output, env)?;
    let folder = open_folder(out, output.force, shared.inputs.clone(), env)?;
    let slug = crate::slug::slug(&person.name);
    let replaced = match someone_else(folder.root(), &slug, &person) {
        Some(other) if !output.force => return Err(other.into()),
        other => other,
    };
    let made = shared
        .writer(&directory)
        .write_into(&folder, &person, &slug)?;
    let finished = folder.finish(crate::files::OutputFolder::KEEP)?;
    for file in &made.files {
        say!("wrote {}", file.display());
    }
    say_forced(&finished);
    if let Some(other) = replaced {
        note!(
            "replaced the signature of {} ({}, --force)",
            other.theirs,
            other.file.display()
        );
    }
    let banner = shared.banner.as_ref();
    let fragment = made.signature.html(banner, ImageSource::Inline);
    if output.clipboard {
        match crate::clipboard::copy(&fragment, made.signature.text(), env) {
            Ok(()) => say!(
                "copied the signature to the clipboard: paste it into your email client's signature settings"
            ),
            Err(why) => say!("{why}: {}", where_to_copy_from(&made.files)),
        }
    }
    shared.say_notes();
    if banner.is_some_and(|b| b.is_hosted()) {
        let len = fragment.chars().count();
        if len > GMAIL_SIGNATURE_LIMIT {
            note!("the signature is {len} characters; Gmail takes at most {GMAIL_SIGNATURE_LIMIT}");
        }
    }
    if let Some(phone) = person.phone.as_ref().filter(|p| p.lacks_area_code()) {
        note!(
            "the phone number {:?} has no area code: its link (tel:{}) dials it as a local \
             number; write it in full, as in (916) 555-0100",
            phone.display,
            phone.tel
        );
    }
    Ok(Outcome::Done)
}

/// Where the signature is when the clipboard could not take it, and what to do with it.
fn where_to_copy_from(files: &[PathBuf]) -> String {
    let ext = |p: &PathBuf, e: &str| p.extension().is_some_and(|x| x == e);
    let page = ["html", "htm"]
        .iter()
        .find_map(|e| files.iter().find(|p| ext(p, e)));
    match (page, files.iter().find(|p| ext(p, "txt"))) {
        (Some(page), _) => format!(
            "the signature is in {}; open it in a browser, select all, copy, and paste it \
             into your email client's signature settings",
            page.display()
        ),
        (None, Some(text)) => format!(
            "the signature is in {}; open it, copy it, and paste it into your email \
             client's signature settings",
            text.display()
        ),
        (None, None) => "the files above are the signature".to_owned(),
    }
}

/// Another person's signature among the files this one would write (`<slug>.html`,
/// `.htm`, or else `.txt`): a person is their name and unit, as a whole signature file
/// shows them (the page's name and unit cells; the text's name line). A file that is no
/// whole signature (edited by hand, someone's own) is left to the folder's rules.
fn someone_else(root: &Path, slug: &str, person: &Person<'_>) -> Option<SomeoneElses> {
    let yours = format!("{} ({})", person.name, person.unit.name);
    let page = ["html", "htm"]
        .iter()
        .any(|ext| root.join(format!("{slug}.{ext}")).is_file());
    for ext in ["html", "htm", "txt"] {
        if ext == "txt" && page {
            break;
        }
        let file = root.join(format!("{slug}.{ext}"));
        let regular = std::fs::symlink_metadata(&file)
            .is_ok_and(|m| m.is_file() && m.len() < 4 * 1024 * 1024);
        let Some(text) = regular
            .then(|| std::fs::read_to_string(&file).ok())
            .flatten()
        else {
            continue;
        };
        let (theirs, same) = if ext == "txt" {
            // Whole: the separator, name, title, unit, organisation, the contact sentence.
            let whole = text.lines().count() >= 6 && text.ends_with(".\n");
            let Some(name) = text
                .strip_prefix("-- \n")
                .filter(|_| whole)
                .and_then(|t| t.lines().next())
            else {
                continue;
            };
            let wrapped = crate::templates::wrap(&person.name);
            let first = wrapped.lines().next().unwrap_or_default();
            (name.to_owned(), name == first)
        } else {
            if !(text.starts_with("<!DOCTYPE html>") && text.ends_with("</html>\n")) {
                continue;
            }
            let cells = cells(&text);
            let [name, _, unit] = cells.as_slice() else {
                continue;
            };
            (
                format!("{name} ({unit})"),
                *name == person.name && *unit == person.unit.name,
            )
        };
        if !same {
            return Some(SomeoneElses {
                file,
                theirs,
                yours,
                slug: slug.to_owned(),
            });
        }
    }
    None
}

/// The first three `<td dir="auto">` cells of a signature page (name, title, unit), as
/// text.
fn cells(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = html;
    while found.len() < 3 {
        let Some(at) = rest.find("<td dir=\"auto\"") else {
            break;
        };
        rest = &rest[at..];
        let (Some(open), Some(close)) = (rest.find('>'), rest.find("</td>")) else {
            break;
        };
        if close < open {
            break;
        }
        found.push(unescape(&rest[open + 1..close]));
        rest = &rest[close..];
    }
    found
}

/// Undoes [`crate::templates::escape_html`].
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
