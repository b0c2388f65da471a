//! `index.html`: the review page for a batch, every signature as a card, the banner
//! stored once beside it (`banner.png`). Cards are streamed in as rows are made, so the
//! page never sits in memory whole.

use std::path::Path;

use serde::Serialize;

use crate::banner::{Banner, ImageSource};
use crate::files::{OutputFolder, Refusal, Staged};
use crate::signature::Signature;
use crate::templates::Templates;

/// Where the cards show the banner from: `banner.png` beside the page (or the hosted URL).
pub(super) const PICTURE: ImageSource<'static> = ImageSource::File("banner.png");

#[derive(Serialize)]
struct Card<'a> {
    slug: &'a str,
    line: u64,
    /// The files made for this person (only the chosen formats), linked from the card.
    files: &'a [String],
    fragment: minijinja::Value,
    text: &'a str,
    /// `<slug>.reply.html` when the reply signature was made (`--format reply`): shown
    /// under the full one, as the file itself.
    reply: Option<&'a str>,
}

/// The gallery page being written.
pub(super) struct Gallery {
    page: Staged,
    tail: String,
}

impl Gallery {
    /// Starts the page, and writes `banner.png` beside it when the banner is carried in
    /// the signatures (a hosted one is shown from its URL).
    pub(super) fn start(
        templates: &Templates,
        folder: &OutputFolder,
        source: &Path,
        banner: Option<&Banner>,
    ) -> Result<Gallery, Refusal> {
        let staged = folder.stage("index.html")?;
        // Copying a card puts the inlined banner (kept once in the page) on the clipboard.
        let banner_uri = match banner.filter(|b| !b.is_hosted()) {
            Some(banner) => {
                folder.write_all(&[("banner.png".to_owned(), banner.png.clone())])?;
                format!("\"{}\"", banner.data_uri())
            }
            None => "null".to_owned(),
        };
        let page = templates.render(
            "gallery.html",
            minijinja::context! {
                source => source.display().to_string(),
                banner_uri => minijinja::Value::from_safe_string(banner_uri),
            },
        );
        let (head, tail) = page
            .split_once("<!-- cards -->")
            .expect("gallery.html has a <!-- cards --> marker");
        let mut gallery = Gallery {
            page: staged,
            tail: tail.to_owned(),
        };
        gallery.page.put(head.as_bytes())?;
        Ok(gallery)
    }

    pub(super) fn put(&mut self, card: &str) -> Result<(), Refusal> {
        self.page.put(card.as_bytes())
    }

    pub(super) fn finish(mut self, folder: &OutputFolder) -> Result<(), Refusal> {
        self.page.put(self.tail.as_bytes())?;
        folder.commit(self.page)?;
        Ok(())
    }
}

/// One person's card: their signature as recipients see it, its text, and their files.
pub(super) fn card(
    templates: &Templates,
    banner: Option<&Banner>,
    signature: &Signature,
    slug: &str,
    line: u64,
    files: &[String],
) -> String {
    templates.render(
        "gallery-card.html",
        Card {
            slug,
            line,
            files,
            fragment: minijinja::Value::from_safe_string(signature.html(banner, PICTURE)),
            text: signature.text(),
            reply: files
                .iter()
                .map(String::as_str)
                .find(|f| f.ends_with(".reply.html")),
        },
    )
}
