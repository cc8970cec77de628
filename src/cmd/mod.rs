//! One module per command — `run`, `explain`, `diff`, `catalog`, `generate` — each small: it
//! turns the command line's options into calls of the library and its outcome into an exit code.

pub mod catalog;
pub mod diff;
pub mod error;
pub mod explain;
pub mod generate;
mod guard;
pub mod load;
pub mod log;
pub mod run;

/// Exit codes (contract §1), after BSD's sysexits where one fits.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// `explain`: no subscription or customer has the id.
    pub const NOT_FOUND: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const ROWS_REJECTED: u8 = 3;
    pub const DATA_INVALID: u8 = 65;
    pub const NO_INPUT: u8 = 66;
    pub const OS_ERROR: u8 = 71;
    pub const CANT_WRITE: u8 = 74;
    /// Another run holds the lock on `--out` (EX_TEMPFAIL: try again later).
    pub const LOCKED: u8 = 75;
}

use std::io::Write;

/// Writes lines to stderr. A failed write (a closed pipe, `2>/dev/full`) is
/// ignored rather than a panic: the exit code still tells how the run went.
pub fn print_stderr<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) {
    let mut stderr = std::io::stderr().lock();
    for line in lines {
        if writeln!(stderr, "{}", line.as_ref()).is_err() {
            return;
        }
    }
}

/// Writes `text` to stdout; false when it cannot be written (a closed pipe).
pub fn print_stdout(text: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .is_ok()
}
