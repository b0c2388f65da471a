//! Exit statuses, in one place (README "Exit status"): 0 everything made, 1 some CSV rows
//! refused and the rest written, 2 a usage error or a fatal input problem.

use std::process::ExitCode;

/// How a run that did its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was made.
    Done,
    /// Some rows were refused; the others were made.
    SomeRefused,
}

/// The status of a run stopped by a usage error or a fatal input problem. clap uses the
/// same status for its own usage errors.
pub const FATAL: u8 = 2;

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::SomeRefused => ExitCode::from(1),
        }
    }
}
