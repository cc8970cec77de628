//! Integration tests of the `upgrade-recon` binary, in one test binary (the
//! ripgrep / xsv layout): `cargo test --test cli`.
//!
//! Cases with input files and reviewed expected reports live in `tests/cases/`.

mod active_users;
mod audits;
mod catalog;
mod determinism;
mod errors;
mod exit_codes;
mod explain;
mod golden;
mod harness;
mod real_exports;
#[cfg(unix)]
mod report_set;
mod robustness;
mod spreadsheets;
mod synthetic;
