//! The short signature for replies and forwards: `<slug>.reply.html` (a complete
//! document) and `<slug>.reply.txt`. Name, title, unit, email and phone; no banner and no
//! contact line (the thread's first message carries both; `templates/reply.html`). The
//! `.reply.` infix cannot come out of a slug (`[a-z0-9-]`), so no person's own files can
//! be named like another person's reply.

use serde::Serialize;

use super::templates::{wrap, Templates};
use crate::person::{Person, Phone};

#[cfg(feature = "cli")]
pub(super) struct ReplyFormat;

#[cfg(feature = "cli")]
impl super::formats::Output for ReplyFormat {
    fn write(
        &self,
        person: &Person<'_>,
        run: &super::formats::Writing<'_>,
        files: &mut super::formats::Files,
    ) {
        use super::names::{REPLY_HTML, REPLY_TEXT};
        let reply = Reply::new(run.writer.templates, person);
        let document = run.writer.templates.document(&person.name, &reply.fragment);
        files.put(run.slug, REPLY_HTML, document);
        files.put(run.slug, REPLY_TEXT, reply.text);
    }
}

/// One person's reply signature, rendered once: the HTML fragment (a table) and the
/// plain text (the `-- ` separator, then each line wrapped at 72 columns).
#[derive(Debug, Clone)]
pub struct Reply {
    pub fragment: String,
    pub text: String,
}

#[derive(Serialize)]
struct Context<'a> {
    name: &'a str,
    title: &'a str,
    unit: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a Phone>,
}

impl Reply {
    pub fn new(templates: &Templates, person: &Person<'_>) -> Reply {
        let context = Context {
            name: &person.name,
            title: &person.title,
            unit: &person.unit.name,
            email: person.email.as_deref(),
            phone: person.phone.as_ref(),
        };
        Reply {
            fragment: templates
                .render("reply.html", &context)
                .trim_end()
                .to_owned(),
            text: wrap(&templates.render("reply.txt", &context)),
        }
    }
}
