//! What reading the input files gives: the accepted records, the rejected rows,
//! a report per file, and the errors that stop the run.

use super::error::InputError;
use super::format::Opened;
use crate::csvio::{CsvError, Rejects};
use crate::model::{
    Customer, Dataset, DuplicateLicense, LicenseRows, Relationship, Subscription, Users,
};

pub const CUSTOMERS: &str = "customers.csv";
pub const SUBSCRIPTIONS: &str = "subscriptions.csv";
pub const RELATIONSHIPS: &str = "admin_relationships.csv";
pub const LICENSES: &str = "license_assignments.csv";

/// The input files in the order they are read and reported.
pub const FILES: [&str; 4] = [CUSTOMERS, SUBSCRIPTIONS, RELATIONSHIPS, LICENSES];

/// What was read from one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFileReport {
    pub file: String,
    /// Data rows read (blank lines not counted).
    pub rows: u64,
    pub rejected: u64,
    pub sha256: String,
    /// The encoding read (`utf-8`, `windows-1252`, …), the delimiter's name and
    /// the header each field was read from.
    pub encoding: String,
    pub delimiter: String,
    pub columns: std::collections::BTreeMap<String, String>,
    /// The headers of the columns that were not read, in file order (none for
    /// the Graph JSON export, whose other members are not listed).
    pub ignored_columns: Vec<String>,
    /// For `users/`: customers with an active subscription of ours to upgrade
    /// but no export (see `active_users::without_export`).
    pub customers_without_export: Option<u64>,
    /// For `admin_relationships.json`: the export's shape (`page`, `array`, `pages`).
    pub json_shape: Option<String>,
}

/// The accepted records of all four files, in file order, and what was rejected.
#[derive(Debug, Default)]
pub struct LoadedInput {
    pub customers: Vec<Customer>,
    pub subscriptions: Vec<Subscription>,
    pub relationships: Vec<Relationship>,
    /// Per chunk of the file, in file order; duplicates are found when the dataset
    /// groups them.
    pub licenses: Vec<LicenseRows>,
    /// Lower-case user principal names; `License::user` indexes this (a user seen
    /// in several chunks may have several entries).
    pub users: Users,
    /// Unknown license offers as written; `LicenseOffer::unknown` indexes this.
    pub unknown_license_offers: Vec<Box<str>>,
    /// Per unknown spelling, the number of its case- and space-folded form.
    pub unknown_license_offer_keys: Vec<u32>,
    /// The distinct sets of disabled services; `License::disabled` indexes this
    /// (the first is the empty set).
    pub disabled_sets: Vec<crate::catalog::ServiceSet>,
    /// Roles of accepted relationships that the catalog does not know, as written
    /// (trimmed), with the number of times they are named.
    pub unknown_roles: std::collections::BTreeMap<String, u64>,
    /// In file order, then line order: the first `ReadOptions::rejected_rows_kept`
    /// rows, and the count of all.
    pub rejected: Rejects,
    pub files: Vec<InputFileReport>,
    /// `license_assignments.csv`, open for reading back rows the dataset rejects.
    pub(super) licenses_file: Option<Opened>,
}

impl LoadedInput {
    /// Moves the accepted records into a [`Dataset`], leaving the reports of what
    /// was read; also returns the license rows the dataset found to be duplicates.
    pub fn build_dataset(&mut self) -> (Dataset, Vec<DuplicateLicense>) {
        let (mut dataset, duplicates) = Dataset::build(
            std::mem::take(&mut self.customers),
            std::mem::take(&mut self.subscriptions),
            std::mem::take(&mut self.relationships),
            std::mem::take(&mut self.licenses),
            std::mem::take(&mut self.users),
            &self.unknown_license_offer_keys,
        );
        if !self.disabled_sets.is_empty() {
            dataset.disabled_sets = std::mem::take(&mut self.disabled_sets);
        }
        (dataset, duplicates)
    }
}

/// Errors that stop the run before any row is accepted: every missing or
/// unreadable file, or every bad header, not only the first.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct LoadError(pub Vec<InputError>);

impl LoadError {
    /// True when some file could not be opened or read (exit 66 rather than 65).
    pub fn is_unreadable(&self) -> bool {
        self.0.iter().any(InputError::is_unreadable)
    }
}

impl From<InputError> for LoadError {
    fn from(error: InputError) -> LoadError {
        LoadError(vec![error])
    }
}

impl From<CsvError> for LoadError {
    fn from(error: CsvError) -> LoadError {
        LoadError(vec![error.into()])
    }
}
