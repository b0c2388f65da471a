//! Exit statuses, in one place (README "Exit status"): 0 everything made, 1 some CSV rows
//! refused and the rest written, 2 a usage error or a fatal input problem.

use std::process::ExitCode;

/// How a run that did its work ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Everything asked for was made.
    Done,
    /// Some rows were refused; the others were made.
    SomeRefused,
}

/// The status of a run stopped by a usage error or a fatal input problem. clap uses the
/// same status for its own usage errors.
const FATAL: u8 = 2;

/// The exit status of a run; an error that stopped it is said first.
pub(crate) fn status(result: anyhow::Result<Outcome>) -> ExitCode {
    match result {
        Ok(outcome) => outcome.into(),
        Err(error) => {
            crate::messages::error(&error);
            ExitCode::from(FATAL)
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> ExitCode {
        match outcome {
            Outcome::Done => ExitCode::SUCCESS,
            Outcome::SomeRefused => ExitCode::from(1),
        }
    }
}
