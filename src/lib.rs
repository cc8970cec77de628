//! upgrade-recon: evaluates a CSP partner's exported subscriptions against Partner
//! Center's Office 365 upgrade rules and writes the reports a partner acts on.
//!
//! The pipeline runs one way, one module per stage:
//! [`cli`] → [`config`] → [`input`] (read + validate CSV through the generic
//! [`csvio`], with the [`catalog`]) →
//! [`model`] (indexed dataset) → [`rules`] (pure functions) → [`engine`] (rayon) →
//! [`report`] (writers) → [`run`] (summary and exit code).
//!
//! [`generate`] writes synthetic exports for benchmarks and tests.

pub mod catalog;
pub mod cli;
pub mod config;
pub mod csvio;
pub mod engine;
pub mod generate;
pub mod input;
pub mod model;
pub mod progress;
pub mod report;
pub mod rules;
pub mod run;
