//! The names of the files sigblock writes: a person's files are a stem (their slug, or
//! the Outlook signature's name) followed by one of the endings below; a batch adds its
//! own three. One table: the formats name their files with it, and the output folder
//! asks it whether a file could be sigblock's.

/// The signature as a complete HTML document.
pub const HTML: &str = ".html";
/// The plain-text signature.
pub const TEXT: &str = ".txt";
/// A test message showing the signature.
pub const EML: &str = ".eml";
/// Classic Outlook's page, and its rich-text twin.
pub const OUTLOOK_PAGE: &str = ".htm";
pub const OUTLOOK_RTF: &str = ".rtf";
/// The banner in classic Outlook's files folder beside the page, as Outlook names it
/// (`<name>_files`).
pub const OUTLOOK_PICTURE: &str = "_files/banner.png";
/// The short signature for replies and forwards. The `.reply.` infix cannot come out of
/// a slug (`[a-z0-9-]`), so no person's own files can be named like another's reply.
pub const REPLY_HTML: &str = ".reply.html";
pub const REPLY_TEXT: &str = ".reply.txt";

/// The signature page's download of classic Outlook's files (`install`'s set), zipped.
/// Only a browser saves it: sigblock never writes it into a folder, so it is no ending
/// of a file sigblock owns.
pub const PAGE_OUTLOOK_ZIP: &str = "-outlook.zip";

/// Every ending a person's file can have (longest first: `.reply.html` before `.html`).
const ENDINGS: [&str; 8] = [
    OUTLOOK_PICTURE,
    REPLY_HTML,
    REPLY_TEXT,
    HTML,
    TEXT,
    EML,
    OUTLOOK_PAGE,
    OUTLOOK_RTF,
];

/// A batch's own files: the gallery, the report, and the banner the gallery shows.
pub const GALLERY: &str = "index.html";
pub const REPORT: &str = "report.csv";
pub const BANNER: &str = "banner.png";

/// The slugs no person gets, in a batch or alone: the stems of a batch's own files, so a
/// person named "Index" never writes over the gallery (they get `index-2`).
pub const RESERVED: [&str; 3] = ["index", "report", "banner"];

/// The stem of one person's own files (the one-person command's, the signature page's
/// downloads): their slug, numbered when it is one of a batch's own names, as a batch
/// numbers it (someone named "Index" gets `index-2`, never the gallery's name).
pub fn person_stem(name: &str) -> String {
    let base = crate::slug::slug(name);
    if RESERVED.contains(&base.as_str()) {
        format!("{base}-2")
    } else {
        base
    }
}

/// The file `ending` (one of the constants above) of `stem`.
pub fn of(stem: &str, ending: &str) -> String {
    format!("{stem}{ending}")
}

/// The stem and ending of a person's file (`ana-ruiz_files/banner.png` ─►
/// (`ana-ruiz`, `_files/banner.png`)), when `rel` is one.
pub fn split(rel: &str) -> Option<(&str, &'static str)> {
    ENDINGS
        .iter()
        .find_map(|ending| Some((rel.strip_suffix(ending)?, *ending)))
        .filter(|(stem, _)| !stem.is_empty() && !stem.contains('/'))
}

/// Whether sigblock could write a file of this name (relative to an output folder, with
/// `/`): a slug's file, or a batch's own.
pub fn is_output_name(rel: &str) -> bool {
    if matches!(rel, GALLERY | REPORT | BANNER) {
        return true;
    }
    split(rel).is_some_and(|(stem, _)| crate::slug::is_slug(stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "cli")]
    fn one_persons_stem_is_the_first_a_batch_would_hand_out() {
        use crate::slug::Slugs;
        for name in [
            "Ana Ruiz",
            "Index",
            "REPORT",
            "Banner!",
            "José Núñez",
            "<>",
            "con",
        ] {
            assert_eq!(
                person_stem(name),
                Slugs::reserving(&RESERVED).claim(name),
                "{name}"
            );
        }
        assert_eq!(person_stem("Index"), "index-2");
    }

    #[test]
    fn a_persons_files_and_a_batchs_own_are_output_names() {
        for ok in [
            "ana-ruiz.html",
            "ana-ruiz.txt",
            "ana-ruiz.eml",
            "ana-ruiz.htm",
            "ana-ruiz.rtf",
            "ana-ruiz.reply.html",
            "ana-ruiz.reply.txt",
            "ana-ruiz_files/banner.png",
            "index.html",
            "report.csv",
            "banner.png",
        ] {
            assert!(is_output_name(ok), "{ok}");
        }
        for bad in [
            "notes.md",
            "Ana Ruiz.html",
            ".html",
            "a/b.html",
            "x_files/other.png",
            "../a.html",
            "ana-ruiz_files/banner.png/x",
        ] {
            assert!(!is_output_name(bad), "{bad}");
        }
        assert_eq!(split("ana-ruiz.reply.html"), Some(("ana-ruiz", REPLY_HTML)));
        assert_eq!(
            split("CDSS - Ana Ruiz_files/banner.png"),
            Some(("CDSS - Ana Ruiz", OUTLOOK_PICTURE))
        );
    }
}
