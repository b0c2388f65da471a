//! `<slug>.txt`: the plain-text signature.

use super::formats::{Files, Output, Writing};
use super::names;
use crate::person::Person;

pub(super) struct Text;

impl Output for Text {
    fn write(&self, _person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        files.put(run.slug, names::TEXT, run.signature.text());
    }
}
