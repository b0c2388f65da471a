//! `<slug>.txt`: the plain-text signature, UTF-8 with LF line ends. With `--format
//! outlook` too, Outlook's `.txt` (UTF-16, `outlook.rs`) is the one written: the same
//! text, and the file Outlook reads beside its `.htm`.

use super::formats::{Files, Output, Writing};
use super::{names, Format};
use crate::person::Person;

pub(super) struct Text;

impl Output for Text {
    fn write(&self, _person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        if !run.writer.formats.contains(&Format::Outlook) {
            files.put(run.slug, names::TEXT, run.signature.text());
        }
    }
}
