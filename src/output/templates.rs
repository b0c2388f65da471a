//! The minijinja environment over `templates/`: HTML escaping of the five characters
//! that need it, and the plain text's wrapping at 72 columns. What a person typed
//! reaches the templates only as values: escaped in HTML, never compiled as template
//! source.

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;

/// Plain-text lines are wrapped at this many columns (RFC 3676; Thunderbird's default).
pub const TEXT_WIDTH: usize = 72;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "signature.html",
        include_str!("../../templates/signature.html"),
    ),
    (
        "document.html",
        include_str!("../../templates/document.html"),
    ),
    (
        "signature.txt",
        include_str!("../../templates/signature.txt"),
    ),
    ("reply.html", include_str!("../../templates/reply.html")),
    ("links.html", include_str!("../../templates/links.html")),
    ("styles.html", include_str!("../../templates/styles.html")),
    ("reply.txt", include_str!("../../templates/reply.txt")),
];

/// The pages only the command line writes: a batch's gallery, the signature page.
#[cfg(feature = "cli")]
const CLI_TEMPLATES: &[(&str, &str)] = &[
    ("gallery.html", include_str!("../../templates/gallery.html")),
    ("page.html", include_str!("../../templates/page.html")),
];
#[cfg(not(feature = "cli"))]
const CLI_TEMPLATES: &[(&str, &str)] = &[];

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
        // Numbers as the terminal says them ("3,000"), in the pages sigblock writes.
        env.add_filter("count", crate::text::thousands);
        for (name, source) in TEMPLATES.iter().chain(CLI_TEMPLATES) {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("built-in template {name} is valid: {e:#}"));
        }
        env.add_global("style", styles(&env));
        Templates { env }
    }

    /// Renders a built-in template. What a person typed is in `context` as values only.
    pub(crate) fn render(&self, name: &str, context: impl Serialize) -> String {
        self.env
            .get_template(name)
            .and_then(|t| t.render(Value::from(minijinja::value::Serde(context))))
            .unwrap_or_else(|e| panic!("built-in template {name} renders: {e:#}"))
    }

    /// A complete UTF-8 HTML document whose body is the signature `fragment`.
    pub fn document(&self, name: &str, fragment: &str) -> String {
        self.render(
            "document.html",
            minijinja::context! {
                name => name,
                signature => Value::from_safe_string(fragment.to_owned()),
            },
        )
    }
}

/// The text styles of `styles.html`, evaluated once: the signatures' templates read them
/// as `style.text`, `style.name`, ... Markup sigblock wrote, so marked safe: escaping
/// them, and importing the module, on every render was a third of a batch's CPU time.
fn styles(env: &Environment<'static>) -> Value {
    let captured = env
        .get_template("styles.html")
        .and_then(|t| t.render_captured(()))
        .unwrap_or_else(|e| panic!("built-in template styles.html renders: {e:#}"));
    let state = captured.state();
    let styles: BTreeMap<String, Value> = state
        .exports()
        .into_iter()
        .map(|name| {
            let value = state.lookup(name).expect("an export has a value");
            let css = value.as_str().expect("a style is a string").to_owned();
            (name.to_owned(), Value::from_safe_string(css))
        })
        .collect();
    Value::from(styles)
}

/// JSON that can stand inside a `<script>` element whatever the strings hold (no `<`,
/// `>` or `&`: no `</script>`, no `<!--`).
pub fn safe_json(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
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
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        // A line of at most 72 bytes fits in 72 columns (no character is wider in columns
        // than in UTF-8 bytes): most lines skip the wrapper. The separator keeps its
        // meaningful trailing space this way too.
        if line.len() <= TEXT_WIDTH {
            out.push_str(line);
        } else {
            WRAPPED.with_borrow_mut(|wrapped| {
                // The long lines are the contact sentence and the banner's line, the same
                // for every person of a unit: a batch wraps each once per thread, not once
                // per row (the optimal-fit wrapper was a quarter of a batch's CPU time).
                if wrapped.len() >= 64 {
                    wrapped.clear();
                }
                let lines = wrapped
                    .entry(line.to_owned())
                    .or_insert_with(|| wrap_line(line));
                out.push_str(lines);
            });
        }
        out.push('\n');
    }
    out
}

thread_local! {
    /// Long lines already wrapped on this thread, at most 64 (then it starts again).
    static WRAPPED: std::cell::RefCell<std::collections::HashMap<String, String>> =
        std::cell::RefCell::default();
}

/// One line longer than [`TEXT_WIDTH`], wrapped into lines joined by `\n`.
fn wrap_line(line: &str) -> String {
    // textwrap's optimal fit lets a line run a column past the width when that balances
    // the paragraph better; a signature line must never pass 72 columns.
    let no_overflow = textwrap::wrap_algorithms::Penalties {
        overflow_penalty: usize::MAX,
        ..textwrap::wrap_algorithms::Penalties::new()
    };
    let options = textwrap::Options::new(TEXT_WIDTH)
        .break_words(true)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        // Never at a hyphen: `555-0123`, `ana.ruiz-garcia@dss.ca.gov` and a URL's
        // `human-trafficking` stay whole.
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::OptimalFit(no_overflow));
    textwrap::wrap(line, &options)
        .iter()
        .map(|piece| piece.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
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
    fn addresses_urls_and_phone_numbers_are_not_split_at_hyphens() {
        let line = format!(
            "{} ana.ruiz-garcia@dss.ca.gov https://www.cdss.ca.gov/human-trafficking 916-555-0123",
            "word ".repeat(9)
        );
        let wrapped = wrap(&line);
        for whole in [
            "ana.ruiz-garcia@dss.ca.gov",
            "https://www.cdss.ca.gov/human-trafficking",
            "916-555-0123",
        ] {
            assert!(wrapped.contains(whole), "{whole} split:\n{wrapped}");
        }
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
