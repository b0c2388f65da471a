//! Classic Outlook's layout: `<slug>.htm` referencing `<slug>_files/banner.png` by a
//! relative path (Outlook 2007–2016 readers show no `data:` images), and `<slug>.txt`.

use super::formats::{Files, Output, Writing};
use super::{names, Format, ImageSource};
use crate::person::Person;

pub(super) struct Outlook;

impl Output for Outlook {
    fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        let slug = run.slug;
        let src = names::of(slug, names::OUTLOOK_PICTURE);
        let document = run
            .writer
            .document(person, run.signature, ImageSource::File(&src));
        if let Some(picture) = run.writer.picture.filter(|p| !p.is_hosted()) {
            files.put(slug, names::OUTLOOK_PICTURE, picture.banner.png.clone());
        }
        files.put(slug, names::OUTLOOK_PAGE, document);
        if !run.writer.formats.contains(&Format::Text) {
            files.put(slug, names::TEXT, run.signature.text());
        }
    }
}
