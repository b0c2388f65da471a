//! The short signature for replies and forwards: `<slug>.reply.html` (a complete
//! document) and `<slug>.reply.txt`. Name, title, unit, email and phone; no banner and no
//! contact line (the thread's first message carries both; `templates/reply.html`). The
//! `.reply.` infix cannot come out of a slug (`[a-z0-9-]`), so no person's own files can
//! be named like another person's reply.

use serde::Serialize;

use super::{Files, Output, Writing};
use crate::person::{Person, Phone};
use crate::templates::{wrap, Templates};

pub(super) struct ReplyFormat;

impl Output for ReplyFormat {
    fn write(&self, person: &Person<'_>, run: &Writing<'_>, files: &mut Files) {
        let reply = Reply::new(run.writer.templates, person);
        let document = run.writer.templates.document(&person.name, &reply.fragment);
        files.put(format!("{}.reply.html", run.slug), document);
        files.put(format!("{}.reply.txt", run.slug), reply.text);
    }
}

/// One person's reply signature, rendered once: the HTML fragment (a table) and the
/// plain text (the `-- ` separator, then each line wrapped at 72 columns).
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) fragment: String,
    pub(crate) text: String,
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
    pub(crate) fn new(templates: &Templates, person: &Person<'_>) -> Reply {
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
