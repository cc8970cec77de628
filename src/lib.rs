//! upgrade-recon: evaluates a CSP partner's exported subscriptions against Partner
//! Center's upgrade rules and writes the reports a partner acts on.
//!
//! The pipeline runs one way:
//! [`cli`] → [`cmd`] (one module per command) → [`config`] → [`input`] (the
//! domain's rows, read with the generic [`csvio`] and the [`catalog`]) →
//! [`model`] (indexed dataset) → [`rules`] (pure functions, with the registry of
//! codes) → [`engine`] (one customer; the run's batches of customers in parallel,
//! rayon) → [`decision`] (records: ids, codes, evidence) → [`output`] (emitters)
//! with every sentence from [`text`].
//!
//! [`generate`] writes synthetic exports for benchmarks and tests. The only
//! `unsafe` code is in `sys`.

#![deny(unsafe_code)]

pub mod catalog;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod csvio;
pub mod decision;
pub mod engine;
pub mod generate;
pub mod input;
pub mod model;
pub mod output;
pub mod progress;
pub mod rules;
pub mod suggest;
mod sys;
pub mod text;
