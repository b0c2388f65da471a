//! minijinja templates (`templates/`) ─► the HTML fragment, the HTML document and the
//! plain text. What a person typed reaches the templates only as values: escaped in HTML,
//! never compiled as template source.

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::person::{Person, Phone};
use crate::units::Contact;

/// Plain-text lines are wrapped at this many columns (RFC 3676; Thunderbird's default).
pub const TEXT_WIDTH: usize = 72;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "signature.html",
        include_str!("../templates/signature.html"),
    ),
    ("document.html", include_str!("../templates/document.html")),
    ("signature.txt", include_str!("../templates/signature.txt")),
    ("gallery.html", include_str!("../templates/gallery.html")),
    (
        "gallery-card.html",
        include_str!("../templates/gallery-card.html"),
    ),
];

/// Where a signature's banner comes from, and how to show it.
#[derive(Debug, Clone, Serialize)]
pub struct BannerRef {
    /// `data:` URI, https URL, `cid:` reference or relative path. A URL from the command
    /// line is ordinary text (escaped); our own `data:` URI is marked safe, because
    /// base64 has nothing to escape and escaping 16 KB per signature costs 33x the render.
    pub src: Value,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

impl BannerRef {
    /// A banner source we made ourselves (data URI, cid, our relative path).
    pub fn trusted(src: String, width: u32, height: u32, alt: &str) -> BannerRef {
        BannerRef {
            src: Value::from_safe_string(src),
            width,
            height,
            alt: alt.to_owned(),
        }
    }

    /// A banner source a person typed (`--image-url`): escaped like every other input.
    pub fn typed(src: &str, width: u32, height: u32, alt: &str) -> BannerRef {
        BannerRef {
            src: Value::from(src),
            width,
            height,
            alt: alt.to_owned(),
        }
    }
}

#[derive(Serialize)]
struct SignatureContext<'a> {
    name: &'a str,
    title: &'a str,
    unit: &'a str,
    organization: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a Phone>,
    contact: &'a Contact,
    banner: Option<&'a BannerRef>,
    banner_text: &'a str,
}

/// The compiled templates. Built once per run.
pub struct Templates {
    env: Environment<'static>,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_syntax(
            minijinja::syntax::SyntaxConfig::builder()
                .trim_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("valid syntax config"),
        );
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| {
            // minijinja's HTML escaping also turns every `/` into `&#x2f;`, which bloats
            // URLs and confuses Outlook's HTML reader; the five characters below are all
            // that HTML text and quoted attributes need.
            match (state.auto_escape(), value.as_str()) {
                (AutoEscape::Html, Some(text)) if !value.is_safe() => {
                    out.write_str(&escape_html(text))?;
                    Ok(())
                }
                _ => minijinja::escape_formatter(out, state, value),
            }
        });
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("built-in template {name} is valid: {e:#}"));
        }
        Templates { env }
    }

    fn render(&self, name: &str, context: impl Serialize) -> String {
        self.env
            .get_template(name)
            .and_then(|t| t.render(Value::from(minijinja::value::Serde(context))))
            .unwrap_or_else(|e| panic!("built-in template {name} renders: {e:#}"))
    }

    fn context<'a>(
        person: &'a Person<'_>,
        organization: &'a str,
        banner: Option<&'a BannerRef>,
        banner_text: &'a str,
    ) -> SignatureContext<'a> {
        SignatureContext {
            name: &person.name,
            title: &person.title,
            unit: &person.unit.name,
            organization,
            email: person.email.as_deref(),
            phone: person.phone.as_ref(),
            contact: &person.unit.contact,
            banner,
            banner_text,
        }
    }

    /// The signature as an HTML fragment (a table), for pasting and for the clipboard.
    pub fn fragment(
        &self,
        person: &Person<'_>,
        organization: &str,
        banner: Option<&BannerRef>,
    ) -> String {
        let html = self.render(
            "signature.html",
            Self::context(person, organization, banner, ""),
        );
        html.trim_end().to_owned()
    }

    /// A complete UTF-8 HTML document whose body is the signature.
    pub fn document(&self, person: &Person<'_>, fragment: &str) -> String {
        self.render(
            "document.html",
            minijinja::context! {
                name => &person.name,
                signature => Value::from_safe_string(fragment.to_owned()),
            },
        )
    }

    /// The plain-text signature: the separator line, then every line wrapped at 72
    /// columns; `banner_text` stands in for the banner when there is one.
    pub fn text(
        &self,
        person: &Person<'_>,
        organization: &str,
        banner_text: Option<&str>,
    ) -> String {
        // The template only asks whether there is a banner; the text line comes separately.
        let marker = banner_text.map(|_| BannerRef::trusted(String::new(), 0, 0, ""));
        let raw = self.render(
            "signature.txt",
            Self::context(
                person,
                organization,
                marker.as_ref(),
                banner_text.unwrap_or(""),
            ),
        );
        wrap(&raw)
    }

    /// The gallery page's parts.
    pub fn gallery_head(&self, context: impl Serialize) -> (String, String) {
        let page = self.render("gallery.html", context);
        let (head, tail) = page
            .split_once("<!-- cards -->")
            .expect("gallery.html has a <!-- cards --> marker");
        (head.to_owned(), tail.to_owned())
    }

    pub fn gallery_card(&self, context: impl Serialize) -> String {
        self.render("gallery-card.html", context)
    }
}

/// Escapes text for HTML content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Wraps every line at [`TEXT_WIDTH`] display columns, keeping the RFC 3676 separator
/// line (`-- `) as is: a wrapper would trim its meaningful trailing space.
pub fn wrap(text: &str) -> String {
    // textwrap's optimal fit lets a line run a column past the width when that balances
    // the paragraph better; a signature line must never pass 72 columns.
    let no_overflow = textwrap::wrap_algorithms::Penalties {
        overflow_penalty: usize::MAX,
        ..textwrap::wrap_algorithms::Penalties::new()
    };
    let options = textwrap::Options::new(TEXT_WIDTH)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .wrap_algorithm(textwrap::WrapAlgorithm::OptimalFit(no_overflow));
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        // A line of at most 72 bytes fits in 72 columns (no character is wider in columns
        // than in UTF-8 bytes): most lines skip the wrapper. The separator keeps its
        // meaningful trailing space this way too.
        if line.len() <= TEXT_WIDTH {
            out.push_str(line);
        } else {
            for (i, piece) in textwrap::wrap(line, &options).iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(piece.trim_end());
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_72_columns_and_keeps_the_separator() {
        let long = "word ".repeat(40);
        let wrapped = wrap(&format!("-- \n{long}\n\nend"));
        let lines: Vec<_> = wrapped.lines().collect();
        assert_eq!(lines[0], "-- ");
        assert!(lines.iter().all(|l| l.len() <= TEXT_WIDTH));
        assert_eq!(wrapped.matches("word").count(), 40);
        assert!(wrapped.ends_with("\n\nend\n"));
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let cjk = "王".repeat(50); // 100 columns
        let wrapped = wrap(&cjk);
        let first = wrapped.lines().next().unwrap();
        assert_eq!(first.chars().count(), 36);
    }

    #[test]
    fn escapes_the_five_html_characters_only() {
        assert_eq!(
            escape_html(r#"<a href="x/y">'&'</a>"#),
            "&lt;a href=&quot;x/y&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
