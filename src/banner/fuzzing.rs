//! The campaign and cache readers, opened to the fuzz targets (`fuzz/`, feature
//! `fuzzing`): what an office's files and a cache folder can make sigblock do.

use std::path::Path;

use super::{cache, render};

/// Reads the campaign file at `path` and draws its banner (within the budget): the
/// banner's display size, or the one-line message a person would see.
pub fn draw_campaign(path: &Path) -> Result<(u32, u32), String> {
    let campaign = crate::inputs::campaign(Some(path)).map_err(|e| e.to_string())?;
    let drawn = render::render(&campaign).map_err(|e| e.to_string())?;
    Ok((drawn.width, drawn.height))
}

/// Reads the file at `path` as the cache entry of a banner of `size` display pixels:
/// the PNG's bytes when it would be served.
pub fn read_cache_entry(path: &Path, size: (u32, u32)) -> Option<Vec<u8>> {
    cache::Entry::at(path.to_owned(), size)
        .read()
        .map(|hit| hit.png)
}
