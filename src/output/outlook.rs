//! Classic Outlook's layout: `<slug>.htm` referencing `<slug>_files/banner.png` by a
//! relative path (Outlook 2007–2016 readers show no `data:` images), and `<slug>.txt`.

use super::{Files, Format, Output, Writing};
use crate::banner::ImageSource;
use crate::person::Person;

pub(super) struct Outlook;

impl Output for Outlook {
    fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        let slug = run.slug;
        let picture = format!("{slug}_files/banner.png");
        let document = run
            .writer
            .document(person, run.signature, ImageSource::File(&picture));
        if let Some(banner) = run.writer.banner.filter(|b| !b.is_hosted()) {
            files.put(picture, banner.png.clone());
        }
        files.put(format!("{slug}.htm"), document);
        if !run.writer.formats.contains(&Format::Text) {
            files.put(format!("{slug}.txt"), run.signature.text());
        }
    }
}
