//! `<slug>.html`: a complete UTF-8 HTML document whose body is the signature, banner
//! inlined (or hosted): open it in a browser and copy, or point Thunderbird at it.

use super::formats::{Files, Output, Writing};
use super::{names, ImageSource};
use crate::person::Person;

pub(super) struct Html;

impl Output for Html {
    fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        let document = run
            .writer
            .document(person, run.signature, ImageSource::Inline);
        files.put(run.slug, names::HTML, document);
    }
}
