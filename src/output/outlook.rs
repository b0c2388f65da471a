//! Classic Outlook's layout: `<slug>.htm` referencing `<slug>_files/banner.png` by a
//! relative path (Outlook 2007–2016 readers show no `data:` images), and `<slug>.txt`
//! as `install` writes it: UTF-16 LE with a BOM and CRLF, which Outlook reads without
//! guessing a code page (UTF-8 without a BOM can come out as `JosÃ©`). With `--format
//! text` too, this is the one `<slug>.txt`.

use super::formats::{Files, Output, Writing};
use super::{names, windows_text, ImageSource};
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
        files.put(slug, names::TEXT, windows_text(run.signature.text()));
    }
}
