//! The floor every writer stands on. It knows files, folders and who made them; it
//! knows nothing of what a signature looks like.
//!
//! - [`words`]: what went wrong, in plain words (the leaf).
//! - [`input`]: files handed to sigblock, opened without waiting, within a size cap.
//! - [`atomic`]: a whole file or nothing, for places sigblock does not own (the cache).
//! - [`owned`]: a folder sigblock writes into and owns what it made there, with its
//!   [`record`] (which run made each file, for whom, with its hash), its [`state`]
//!   (`.sigblock/`: lock, temporaries) and [`staged`] files written whole at the end.

mod atomic;
mod input;
mod owned;
mod record;
mod staged;
mod state;
mod words;

pub(crate) use atomic::write_atomic;
pub(crate) use input::{open_input, read_bytes, read_text};
pub(crate) use owned::{Finished, KeptFrom, OutputFolder, Owner, Ownership, Source, Staged};
pub(crate) use state::FolderError;
pub(crate) use words::{kind, plain, reading, Refusal};
