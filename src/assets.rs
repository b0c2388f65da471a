//! What is built into the binary: the fonts the banner is drawn with. Fonts come only from
//! here, never from the system, so the banner's pixels are the same on every machine.

/// The bundled fonts (see `fonts/README.md` for their origin and licence).
pub(crate) const FONTS: &[&[u8]] = &[
    include_bytes!("../fonts/OpenSans-Regular.ttf"),
    include_bytes!("../fonts/OpenSans-Bold.ttf"),
];
