//! `<slug>.txt`: the plain-text signature.

use super::{Files, Output, Writing};
use crate::person::Person;

pub(super) struct Text;

impl Output for Text {
    fn write(&self, _person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        files.put(format!("{}.txt", run.slug), run.signature.text());
    }
}
