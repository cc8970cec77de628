//! Synthetic input data for benchmarks and soak tests (`upgrade-recon generate`).
//!
//! [`generate`] writes the four input files of the contract (§2) — `customers.csv`,
//! `subscriptions.csv`, `admin_relationships.csv` and `license_assignments.csv` — in
//! the canonical format (comma-separated, UTF-8, LF line ends, one header row), shaped
//! like a CSP partner's real export against the default catalog (§3):
//!
//! * customers with GUID ids, company names from several countries (some with commas or
//!   quotes, hence quoted), a domain, a country and mostly an account manager;
//! * 1–6 subscriptions per customer (≈ 2.5 on average), about 15 % sold by another
//!   partner or Microsoft directly, every status (mostly `active`), quantities spread
//!   around the 300-seat limit, offers written as offer id, name, alias or SKU part
//!   number (India customers mostly hold the India offers), ≈ 3 % unknown offers such
//!   as "Azure plan";
//! * 0–2 delegated-admin relationships per customer: active with `*` or with a partial
//!   granular service list, expiring, expired (end before 2026-11-24), future (start in
//!   2027), terminated, pending;
//! * about 40 license assignments per customer (users hold one or two licenses of
//!   different offers, ≈ 10 % of them with disabled services, a few of offers the
//!   catalog does not know).
//!
//! Every row is valid: ids are unique, every referenced customer exists, dates are real
//! with start ≤ end, statuses and services come from the contract's vocabularies, and no
//! user holds two licenses of the same offer. The output is a pure function of
//! `(customers, seed)`: each customer's rows come from its own SplitMix64 stream keyed
//! by `(seed, customer number)`, so the files are byte-identical on every run and the
//! first N customers are the same whatever the total count.
//!
//! Only std is used. Rows are formatted by hand into one reused buffer per file that is
//! flushed in large blocks, so nothing is allocated per row.
//!
//! This module holds the public API and runs the customers in order; each customer's
//! rows are written by one submodule per file (`customers`, `subscriptions`,
//! `relationships`, `licenses`) from the `vocabulary` of the default catalog, with `rng`
//! for the random choices, `ids` for the GUIDs, `format` for the fields and `sink` for
//! the buffered files.

mod customers;
mod format;
mod ids;
mod licenses;
mod relationships;
mod rng;
mod sink;
mod subscriptions;
mod vocabulary;

#[cfg(test)]
mod tests;

use std::fs;
use std::io;
use std::path::PathBuf;

use customers::write_customer_row;
use format::days_from_civil;
use ids::Keys;
use licenses::write_licenses;
use relationships::write_relationships;
use sink::Sinks;
use subscriptions::write_subscriptions;

/// What to generate and where.
pub struct GenerateOptions {
    /// Number of customers; the other files scale with it.
    pub customers: u64,
    /// Seed of the pseudo-random streams; same `(customers, seed)`, same bytes.
    pub seed: u64,
    /// Output directory, created if needed; the four files in it are overwritten.
    pub out: PathBuf,
}

/// Data rows (header rows not counted) written per file, and total bytes of all four files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenerateStats {
    /// Rows of `customers.csv`.
    pub customers: u64,
    /// Rows of `subscriptions.csv`.
    pub subscriptions: u64,
    /// Rows of `admin_relationships.csv`.
    pub relationships: u64,
    /// Rows of `license_assignments.csv`.
    pub licenses: u64,
    /// Bytes of the four files together, header rows included.
    pub bytes: u64,
}

/// File names the generator writes (the contract's input file names).
pub const CUSTOMERS_FILE: &str = "customers.csv";
/// See [`CUSTOMERS_FILE`].
pub const SUBSCRIPTIONS_FILE: &str = "subscriptions.csv";
/// See [`CUSTOMERS_FILE`].
pub const RELATIONSHIPS_FILE: &str = "admin_relationships.csv";
/// See [`CUSTOMERS_FILE`].
pub const LICENSES_FILE: &str = "license_assignments.csv";

const CUSTOMERS_HEADER: &str = "customer_id,company_name,domain,country,account_manager";
const SUBSCRIPTIONS_HEADER: &str = "subscription_id,customer_id,offer,status,quantity,channel";
const RELATIONSHIPS_HEADER: &str =
    "relationship_id,customer_id,status,services,start_date,end_date";
const LICENSES_HEADER: &str = "customer_id,user_principal_name,offer,disabled_services";

/// Write the four input files for `opts.customers` customers into `opts.out`.
///
/// # Errors
///
/// Any I/O error creating the directory or writing a file; files already written stay.
pub fn generate(opts: &GenerateOptions) -> io::Result<GenerateStats> {
    fs::create_dir_all(&opts.out)?;
    let mut sinks = Sinks::create(&opts.out)?;
    let keys = Keys::new(opts.seed);
    let as_of = days_from_civil(2026, 11, 24);
    let mut scratch = Vec::with_capacity(128);
    for number in 1..=opts.customers {
        write_customer(&keys, number, as_of, &mut sinks, &mut scratch)?;
    }
    sinks.finish()
}

/// Writes customer `number` and all its rows in the other files, from its own stream.
fn write_customer(
    keys: &Keys,
    number: u64,
    as_of: i64,
    sinks: &mut Sinks,
    scratch: &mut Vec<u8>,
) -> io::Result<()> {
    let mut rng = keys.stream(number);
    let customer = write_customer_row(&mut sinks.customers, &mut rng, keys, number, scratch)?;
    let holdings = write_subscriptions(&mut sinks.subscriptions, &mut rng, keys, &customer)?;
    write_relationships(
        &mut sinks.relationships,
        &mut rng,
        keys,
        &customer,
        &holdings,
        as_of,
    )?;
    write_licenses(&mut sinks.licenses, &mut rng, &customer, &holdings)
}
