//! `sigblock page --out signature.html`: the signature page for staff without a
//! terminal. The banner is rendered here, once (with `--logo`); the page carries it, the
//! units file as given, the campaign's texts and window, and sigblock's core as
//! WebAssembly, and makes each person's signature in their browser.

use std::path::Path;

use super::{file_in_folder, full, open_folder, say_forced, BannerInputs, NamedFile};
use crate::banner::Encoding;
use crate::campaign::BannerMode;
use crate::exit::Outcome;
use crate::files::Source;
use crate::job::{Environment, OutputOptions};
use crate::output::templates::Templates;
use crate::page::Office;
use crate::text::thousands;
use crate::text::ShownPath;

/// `--out` of `sigblock page`.
const HTML: NamedFile = NamedFile {
    flag: "--out",
    ext: "html",
    example: "signature.html",
    what: "the signature page is a web page",
};

pub(super) fn run(
    out: &Path,
    output: &OutputOptions,
    env: &Environment,
) -> anyhow::Result<Outcome> {
    let (dir, name) = file_in_folder(out, &HTML)?;
    let units = crate::inputs::units_text(output.config.as_deref())?;
    let inputs = BannerInputs::load(&output.source)?;
    // Made whatever the day: the page decides, each day, whether it goes in.
    let banner = match output.banner {
        BannerMode::Never => None,
        BannerMode::Always | BannerMode::Auto => Some(inputs.make(Encoding::Optimised, env)?),
    };
    let office = Office::new(
        units,
        &inputs.campaign,
        banner.as_ref(),
        output.image_url.clone(),
        output.banner,
    );
    let made = crate::page::document::make(&office, &Templates::new())?;
    let mut files = inputs.files;
    files.extend(output.config.clone());
    let folder = open_folder(&dir, Source::Named, output.force, files, env)?;
    folder.write_all(&[(name, made.html.as_bytes().to_vec())], None)?;
    say_forced(&folder.finish()?);
    let kb = |bytes: usize| thousands(bytes.div_ceil(1024) as u64);
    say!(
        "wrote {} ({} KB, of which {} KB is sigblock's core as WebAssembly, {} KB before \
         compression)",
        ShownPath(&full(out)),
        kb(made.html.len()),
        kb(made.engine_chars),
        kb(made.engine_bytes)
    );
    say!(
        "put it where staff can open it (a shared drive, the intranet, an email \
         attachment): it works in a browser, offline, with nothing to install; \
         sigblock batch --page-url URL gives each person a link that fills it in"
    );
    if office.banner_mode == BannerMode::Auto {
        let campaign = &inputs.campaign;
        note!(
            "the page puts the banner in from {} ({}) only, by the date in {} on the day \
             it is opened (--banner auto)",
            campaign.window_text(),
            campaign.name,
            campaign.time_zone
        );
    }
    Ok(Outcome::Done)
}
