//! One person from flags: validate, make the files, put the signature on the clipboard.

use super::{directory, open_folder, say_forced, Shared};
use crate::banner::ImageSource;
use crate::exit::Outcome;
use std::path::Path;

use crate::job::{Environment, OutputOptions};
use crate::person::PersonInput;

/// Gmail caps a signature at this many characters.
const GMAIL_SIGNATURE_LIMIT: usize = 10_000;

pub(super) fn run(
    input: &PersonInput,
    out: &Path,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    let directory = directory(output.config.as_deref())?;
    let person = input.validate(&directory)?;
    let shared = Shared::load(output, env)?;
    let folder = open_folder(out, output.force, shared.inputs.clone(), env)?;
    let slug = crate::slug::slug(&person.name);
    let made = shared
        .writer(&directory)
        .write_into(&folder, &person, &slug)?;
    let finished = folder.finish(crate::files::OutputFolder::KEEP)?;
    for file in &made.files {
        say!("wrote {}", file.display());
    }
    say_forced(&finished);
    let banner = shared.banner.as_ref();
    let fragment = made.signature.html(banner, ImageSource::Inline);
    if banner.is_some_and(|b| b.is_hosted()) {
        let len = fragment.chars().count();
        if len > GMAIL_SIGNATURE_LIMIT {
            note!("the signature is {len} characters; Gmail takes at most {GMAIL_SIGNATURE_LIMIT}");
        }
    }
    if !output.clipboard {
        return Ok(Outcome::Done);
    }
    match crate::clipboard::copy(&fragment, made.signature.text(), env) {
        Ok(()) => say!(
            "copied the signature to the clipboard: paste it into your email client's signature settings"
        ),
        Err(why) => say!("no clipboard here ({why}); the files above are the signature"),
    }
    Ok(Outcome::Done)
}
