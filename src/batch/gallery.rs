//! `index.html`: the review page for a batch. Refused rows first (row, name, reason), the
//! counts (made, refused, per unit), a filter, then one card per person made, drawn in
//! the browser from a few skeletons and each person's values, so the page stays small
//! at 10,000 people. The banner is stored once beside it (`banner.png`).
//!
//! A skeleton is sigblock's own signature rendered with marked slots for the person's
//! values; the page fills the slots the way [`fill`] does. Every person's card is
//! checked here against their real signature: where filling would not give it byte for
//! byte (a long line wrapped differently, say), the person carries their whole signature.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::Path;

use serde::Serialize;

use crate::files::{OutputFolder, Refusal, Staged};
use crate::output::names::{BANNER, GALLERY};
use crate::output::templates::{escape_html, safe_json, Templates};
use crate::output::{ImageSource, Picture, Signature};
use crate::person::{Person, Phone};
use crate::units::Directory;

/// Where the cards show the banner from: `banner.png` beside the page (or the hosted URL).
const PICTURE: ImageSource<'static> = ImageSource::File(BANNER);

/// The slots of a skeleton: a private-use character around a key. Checked fields never
/// make the page rescan what it filled in: each slot is filled once, in one pass.
const SLOT: char = '\u{E000}';

/// One skeleton per unit and per email/phone combination.
#[derive(Serialize)]
struct Skeleton {
    unit: String,
    /// The signature's HTML, banner from `banner.png`.
    h: String,
    /// The plain text.
    x: String,
}

/// A made person as the page gets them.
#[derive(Serialize)]
struct Entry<'a> {
    s: &'a str,
    r: u64,
    l: u64,
    /// The skeleton.
    u: usize,
    n: &'a str,
    t: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    e: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    p: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    q: Option<&'a str>,
    /// The whole signature, where the skeleton would not give it exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    h: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    x: Option<&'a str>,
    /// The prefilled link to the signature page (`--page-url`).
    #[serde(skip_serializing_if = "str::is_empty")]
    k: &'a str,
}

/// The gallery being written: the people and the refused rows go to scratch files as
/// rows are made (memory stays flat); the page is put together at the end.
pub(super) struct Gallery<'a> {
    /// Claimed at the start, so a file in the way stops the batch before anything else.
    page: Staged,
    templates: &'a Templates,
    picture: Option<&'a Picture>,
    skeletons: Vec<Skeleton>,
    /// (unit name, has email, has phone) ─► skeleton.
    index: BTreeMap<(String, bool, bool), usize>,
    /// The usual files of a person, after their slug (`.html`, `.txt`).
    files: Option<Vec<String>>,
    people: BufWriter<File>,
    refused: BufWriter<File>,
    made: u64,
    refusals: u64,
    per_unit: BTreeMap<String, u64>,
}

impl<'a> Gallery<'a> {
    /// Starts the gallery, and writes `banner.png` beside it when the banner is carried
    /// in the signatures (a hosted one is shown from its URL).
    pub(super) fn start(
        templates: &'a Templates,
        folder: &OutputFolder,
        directory: &Directory,
        picture: Option<&'a Picture>,
    ) -> Result<Gallery<'a>, Refusal> {
        let page = folder.stage(GALLERY)?;
        if let Some(picture) = picture.filter(|p| !p.is_hosted()) {
            folder.write_all(&[(BANNER.to_owned(), picture.banner.png.clone())], None)?;
        }
        let scratch = || folder.scratch().map(BufWriter::new);
        let mut gallery = Gallery {
            page,
            templates,
            picture,
            skeletons: Vec::new(),
            index: BTreeMap::new(),
            files: None,
            people: scratch()?,
            refused: scratch()?,
            made: 0,
            refusals: 0,
            per_unit: BTreeMap::new(),
        };
        let sentinel = |key: char| format!("{SLOT}{key}{SLOT}");
        for unit in &directory.units {
            for (email, phone) in [(true, true), (true, false), (false, true), (false, false)] {
                let person = Person {
                    name: sentinel('n'),
                    title: sentinel('t'),
                    unit,
                    email: email.then(|| sentinel('e')),
                    phone: phone.then(|| Phone {
                        display: sentinel('p'),
                        tel: sentinel('q'),
                    }),
                };
                let signature = Signature::new(
                    templates,
                    &person,
                    &directory.organization,
                    picture.map(|p| &p.banner),
                );
                gallery
                    .index
                    .insert((unit.name.clone(), email, phone), gallery.skeletons.len());
                gallery.skeletons.push(Skeleton {
                    unit: unit.name.clone(),
                    h: signature.html(picture, PICTURE),
                    x: signature.text().to_owned(),
                });
            }
        }
        Ok(gallery)
    }

    /// A made person's entry (JSON), checked against their signature. Called from the
    /// writer threads.
    pub(super) fn entry(
        &self,
        person: &Person<'_>,
        signature: &Signature,
        slug: &str,
        (row, line): (u64, u64),
        link: &str,
    ) -> String {
        let key = (
            person.unit.name.clone(),
            person.email.is_some(),
            person.phone.is_some(),
        );
        let u = self.index[&key];
        let skeleton = &self.skeletons[u];
        let values = Values {
            n: &person.name,
            t: &person.title,
            e: person.email.as_deref(),
            p: person.phone.as_ref().map(|p| p.display.as_str()),
            q: person.phone.as_ref().map(|p| p.tel.as_str()),
        };
        let html = signature.html(self.picture, PICTURE);
        let text = signature.text();
        let entry = Entry {
            s: slug,
            r: row,
            l: line,
            u,
            n: values.n,
            t: values.t,
            e: values.e,
            p: values.p,
            q: values.q,
            h: (fill(&skeleton.h, &values, true) != html).then_some(html),
            x: (fill(&skeleton.x, &values, false) != text).then_some(text),
            k: link,
        };
        serde_json::to_string(&entry).expect("JSON of strings and numbers")
    }

    /// Adds a made person, in input order, with their files.
    pub(super) fn made(
        &mut self,
        unit: &str,
        entry: &str,
        slug: &str,
        files: &[String],
    ) -> Result<(), Refusal> {
        let endings: Vec<&str> = files.iter().filter_map(|f| f.strip_prefix(slug)).collect();
        let usual = self
            .files
            .get_or_insert_with(|| endings.iter().map(|e| (*e).to_owned()).collect());
        let entry = if endings.len() == files.len() && *usual == endings {
            entry.to_owned()
        } else {
            // Not the usual files: the entry names them.
            let files = serde_json::to_string(files).expect("JSON of strings");
            format!("{},\"f\":{files}}}", &entry[..entry.len() - 1])
        };
        let separator: &[u8] = if self.made == 0 { b"" } else { b",\n" };
        self.people
            .write_all(separator)
            .and_then(|()| self.people.write_all(safe_json(&entry).as_bytes()))
            .map_err(Refusal::io(self.page.path().to_owned()))?;
        self.made += 1;
        *self.per_unit.entry(unit.to_owned()).or_default() += 1;
        Ok(())
    }

    /// Adds a refused row, in input order.
    pub(super) fn refused(
        &mut self,
        row: u64,
        line: u64,
        name: &str,
        reason: &str,
    ) -> Result<(), Refusal> {
        writeln!(
            self.refused,
            "<tr data-row=\"{row}\"><td>{row}</td><td>{line}</td><td dir=\"auto\">{}</td><td>{}</td></tr>",
            escape_html(name),
            escape_html(reason)
        )
        .map_err(Refusal::io(self.page.path().to_owned()))?;
        self.refusals += 1;
        Ok(())
    }

    /// Puts the page together and in place.
    pub(super) fn finish(self, folder: &OutputFolder, source: &Path) -> Result<(), Refusal> {
        #[derive(Serialize, Clone)]
        struct UnitCount<'u> {
            name: &'u str,
            made: u64,
        }
        #[derive(Serialize)]
        struct Skeletons<'s> {
            cards: &'s [Skeleton],
            files: &'s [String],
        }
        let banner_uri = match self.picture.filter(|p| !p.is_hosted()) {
            Some(picture) => format!("\"{}\"", picture.data_uri()),
            None => "null".to_owned(),
        };
        let skeletons = serde_json::to_string(&Skeletons {
            cards: &self.skeletons,
            files: self.files.as_deref().unwrap_or_default(),
        })
        .expect("JSON of strings");
        let units: Vec<UnitCount> = self
            .per_unit
            .iter()
            .map(|(name, &made)| UnitCount { name, made })
            .collect();
        let page = self.templates.render(
            "gallery.html",
            minijinja::context! {
                source => source.display().to_string(),
                banner_uri => minijinja::Value::from_safe_string(banner_uri),
                skeletons => minijinja::Value::from_safe_string(safe_json(&skeletons)),
                made => self.made,
                refused => self.refusals,
                total => self.made + self.refusals,
                units => minijinja::Value::from(minijinja::value::Serde(&units)),
            },
        );
        let mut staged = self.page;
        let (before, after) = page
            .split_once("<!-- people -->")
            .expect("gallery.html has a <!-- people --> marker");
        match before.split_once("<!-- refused -->") {
            Some((head, middle)) => {
                staged.put(head.as_bytes())?;
                copy_into(self.refused, &mut staged)?;
                staged.put(middle.as_bytes())?;
            }
            None => staged.put(before.as_bytes())?,
        }
        copy_into(self.people, &mut staged)?;
        staged.put(after.as_bytes())?;
        folder.commit(staged)?;
        Ok(())
    }
}

/// A made person's values, by slot key.
struct Values<'a> {
    n: &'a str,
    t: &'a str,
    e: Option<&'a str>,
    p: Option<&'a str>,
    q: Option<&'a str>,
}

/// What the page's `fill` does: each slot replaced by the value (HTML-escaped in the
/// signature, as typed in the text), in one pass.
fn fill(skeleton: &str, values: &Values<'_>, escape: bool) -> String {
    let mut out = String::with_capacity(skeleton.len() + 64);
    let mut rest = skeleton;
    while let Some(at) = rest.find(SLOT) {
        let after = &rest[at + SLOT.len_utf8()..];
        let mut chars = after.chars();
        let (Some(key), Some(SLOT)) = (chars.next(), chars.next()) else {
            out.push_str(&rest[..at + SLOT.len_utf8()]);
            rest = after;
            continue;
        };
        let value = match key {
            'n' => Some(values.n),
            't' => Some(values.t),
            'e' => values.e,
            'p' => values.p,
            'q' => values.q,
            _ => None,
        }
        .unwrap_or("");
        out.push_str(&rest[..at]);
        if escape {
            out.push_str(&escape_html(value));
        } else {
            out.push_str(value);
        }
        rest = &after[key.len_utf8() + SLOT.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Copies a scratch file into the page.
fn copy_into(scratch: BufWriter<File>, staged: &mut Staged) -> Result<(), Refusal> {
    let path = staged.path().to_owned();
    let mut file = scratch
        .into_inner()
        .map_err(|e| Refusal::io(&path)(e.into_error()))?;
    file.rewind().map_err(Refusal::io(&path))?;
    std::io::copy(&mut file, staged).map_err(Refusal::io(&path))?;
    Ok(())
}
