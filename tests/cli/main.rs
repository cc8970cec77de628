//! Integration tests of the `upgrade-recon` binary, in one test binary (the
//! ripgrep / xsv layout): `cargo test --test cli`.
//!
//! Cases with input files and reviewed expected reports live in `tests/cases/`.

mod active_users;
mod audits;
mod catalog;
mod catalog_commands;
mod changes;
mod determinism;
mod echoed_values;
mod errors;
mod exit_codes;
mod explain;
mod generate;
mod german;
mod golden;
mod graph_json;
mod guards;
mod harness;
mod line_ends;
mod nul_bytes;
mod real_exports;
#[cfg(unix)]
mod report_set;
mod robustness;
mod special_files;
mod spreadsheets;
mod synthetic;
