//! One person from flags: validate, make the files, put the signature on the clipboard,
//! then say what the person should know (after the result, once each).

use std::path::{Path, PathBuf};

use super::{directory, open_folder, say_forced, Shared};
use crate::exit::Outcome;
use crate::files::Source;
use crate::job::{Environment, OutputOptions};
use crate::output::ImageSource;
use crate::person::{Identity, PersonInput};
use crate::text::ShownPath;

pub(super) fn run(
    input: &PersonInput,
    out: &Path,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    let directory = directory(output.config.as_deref())?;
    let person = input.validate(&directory)?;
    let shared = Shared::prepare(output, env)?;
    let folder = open_folder(
        out,
        Source::OneByOne,
        output.force,
        shared.inputs.clone(),
        env,
    )?;
    // The folder may be a batch's: a person never takes its gallery's or report's name.
    let slug = crate::output::names::person_stem(&person.name);
    let made = shared
        .writer(&directory)
        .write_into(&folder, &person, &slug)?;
    let finished = folder.finish()?;
    // The files by name, the folder once and in full: a newcomer can find it again.
    let names: Vec<String> = made
        .files
        .iter()
        .map(|f| {
            let name = f.strip_prefix(out).unwrap_or(f).to_string_lossy();
            crate::text::plain(&name.replace('\\', "/")).into_owned()
        })
        .collect();
    say!(
        "wrote {} in {}",
        and_list(&names),
        ShownPath(&super::full(out))
    );
    say_forced(&finished);
    if let Some(earlier) = &made.replaced {
        let yours = Identity::of(&person);
        let file = made
            .files
            .first()
            .map(|f| ShownPath(&super::full(f)).to_string());
        if !earlier.same_person(&yours) {
            note!(
                "replaced the signature of {earlier} ({}, --force)",
                file.unwrap_or_default()
            );
        } else if let changes @ [_, ..] = yours.changes_since(earlier).as_slice() {
            note!(
                "replaced your earlier signature ({}): {}",
                file.unwrap_or_default(),
                changes.join("; ")
            );
        }
    }
    let picture = shared.picture.as_ref();
    let fragment = made.signature.html(picture, ImageSource::Inline);
    if output.clipboard {
        match crate::clipboard::copy(&fragment, made.signature.text(), env.clipboard_server.as_ref()) {
            Ok(()) => say!(
                "copied the signature to the clipboard: paste it into your email client's signature settings"
            ),
            Err(why) => say!("{why}: {}", where_to_copy_from(&made.files)),
        }
    }
    shared.say_notes();
    for crossed in crate::output::limits::signature(&made.signature, picture) {
        note!("{crossed}");
    }
    for line in crate::notes::about_person(&person) {
        note!("{line}");
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
            ShownPath(&super::full(page))
        ),
        (None, Some(text)) => format!(
            "the signature is in {}; open it, copy it, and paste it into your email \
             client's signature settings",
            ShownPath(&super::full(text))
        ),
        (None, None) => "the files above are the signature".to_owned(),
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
