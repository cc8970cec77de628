//! Reading and validating the four input files (contract §2).
//!
//! Every header is checked before any row is read. Each row is validated on its
//! own and against the rows before it (references, duplicates); a bad row becomes
//! a [`RejectedRow`] carrying every problem found in it. Readers know the catalog
//! (to resolve offers and service names) but nothing of the upgrade rules.

mod customers;
mod error;
mod fields;
mod licenses;
mod lookup;
mod records;
mod relationships;
mod subscriptions;
mod table;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

pub use error::{FieldProblem, InputError, RejectedRow};
pub use fields::parse_iso_date;
pub use table::{ColumnSpec, Row, Table, sha256_hex};

use crate::catalog::Catalog;
use crate::model::{Customer, CustomerIdx, License, Relationship, Subscription};
use error::RowProblems;
use lookup::{CustomerIndex, OfferResolver, UserInterner};

pub const CUSTOMERS: &str = "customers.csv";
pub const SUBSCRIPTIONS: &str = "subscriptions.csv";
pub const RELATIONSHIPS: &str = "admin_relationships.csv";
pub const LICENSES: &str = "license_assignments.csv";

/// What was read from one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFileReport {
    pub file: String,
    /// Data rows read (blank lines not counted).
    pub rows: u64,
    pub rejected: u64,
    pub sha256: String,
}

/// The accepted records of all four files, in file order, and what was rejected.
#[derive(Debug, Default)]
pub struct LoadedInput {
    pub customers: Vec<Customer>,
    pub subscriptions: Vec<Subscription>,
    pub relationships: Vec<Relationship>,
    pub licenses: Vec<License>,
    /// Interned user principal names, lower case; `License::user` indexes this.
    pub users: Vec<Box<str>>,
    pub rejected: Vec<RejectedRow>,
    pub files: Vec<InputFileReport>,
    /// Offers of license rows that the catalog does not know, as written → rows.
    pub unknown_license_offers: BTreeMap<String, u64>,
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

/// Reads the four input files from `dir`. `on_file` is told the name of each
/// file as its rows start to be read.
pub fn load(
    dir: &Path,
    catalog: &Catalog,
    on_file: &mut dyn FnMut(&str),
) -> Result<LoadedInput, LoadError> {
    let read = |file: &str| {
        std::fs::read(dir.join(file)).map_err(|source| InputError::Open {
            file: file.to_owned(),
            source,
        })
    };
    let bytes = match [
        read(CUSTOMERS),
        read(SUBSCRIPTIONS),
        read(RELATIONSHIPS),
        read(LICENSES),
    ] {
        [Ok(c), Ok(s), Ok(r), Ok(l)] => [c, s, r, l],
        results => {
            return Err(LoadError(
                results.into_iter().filter_map(Result::err).collect(),
            ));
        }
    };
    let [
        customer_bytes,
        subscription_bytes,
        relationship_bytes,
        license_bytes,
    ] = &bytes;
    let tables = (
        Table::from_bytes(customer_bytes, CUSTOMERS, customers::COLUMNS),
        Table::from_bytes(subscription_bytes, SUBSCRIPTIONS, subscriptions::COLUMNS),
        Table::from_bytes(relationship_bytes, RELATIONSHIPS, relationships::COLUMNS),
        Table::from_bytes(license_bytes, LICENSES, licenses::COLUMNS),
    );
    let (customer_table, subscription_table, relationship_table, license_table) = match tables {
        (Ok(c), Ok(s), Ok(r), Ok(l)) => (c, s, r, l),
        (c, s, r, l) => {
            let errors = [c.err(), s.err(), r.err(), l.err()];
            return Err(LoadError(errors.into_iter().flatten().collect()));
        }
    };

    let mut loaded = LoadedInput::default();
    let mut index = CustomerIndex::default();
    let mut offers = OfferResolver::default();

    on_file(CUSTOMERS);
    let mut accepted_customers = 0u32;
    loaded.customers = read_file(customer_table, &mut loaded, |row, problems| {
        let customer = customers::parse(row, problems, &mut index, CustomerIdx(accepted_customers));
        if customer.is_some() && problems.is_empty() {
            accepted_customers += 1;
        }
        customer
    })?;

    on_file(SUBSCRIPTIONS);
    let mut parser = subscriptions::SubscriptionParser {
        catalog,
        customers: &mut index,
        offers: &mut offers,
        seen: HashMap::new(),
    };
    loaded.subscriptions = read_file(subscription_table, &mut loaded, |row, problems| {
        parser.parse(row, problems)
    })?;

    on_file(RELATIONSHIPS);
    loaded.relationships = read_file(relationship_table, &mut loaded, |row, problems| {
        relationships::parse(row, problems, &mut index, catalog.vocabulary())
    })?;

    on_file(LICENSES);
    let mut parser = licenses::LicenseParser {
        catalog,
        customers: &mut index,
        offers: &mut offers,
        users: UserInterner::default(),
        seen: HashMap::new(),
        unknown_keys: HashMap::new(),
        unknown_offers: BTreeMap::new(),
    };
    loaded.licenses = read_file(license_table, &mut loaded, |row, problems| {
        parser.parse(row, problems)
    })?;
    loaded.users = parser.users.into_names();
    loaded.unknown_license_offers = parser.unknown_offers;
    Ok(loaded)
}

/// Reads all rows of one file into accepted values, recording its rejected rows
/// and its [`InputFileReport`] in `loaded`.
fn read_file<T>(
    mut table: Table<'_>,
    loaded: &mut LoadedInput,
    parse: impl FnMut(&Row<'_>, &mut RowProblems) -> Option<T>,
) -> Result<Vec<T>, LoadError> {
    let rejected_before = loaded.rejected.len();
    let accepted = read_rows(&mut table, &mut loaded.rejected, parse);
    loaded.files.push(InputFileReport {
        file: table.file().to_owned(),
        rows: table.rows(),
        rejected: (loaded.rejected.len() - rejected_before) as u64,
        sha256: sha256_hex(table.input()),
    });
    Ok(accepted)
}

/// Reads every row of `table`, handing each to `parse` together with the problems
/// found in its shape; accepted values are returned, rejected rows appended to `rejected`.
fn read_rows<T>(
    table: &mut Table<'_>,
    rejected: &mut Vec<RejectedRow>,
    mut parse: impl FnMut(&Row<'_>, &mut RowProblems) -> Option<T>,
) -> Vec<T> {
    let file = table.file().to_owned();
    let mut accepted = Vec::new();
    while let Some(row) = table.next_row() {
        let mut problems = RowProblems::default();
        if let Some(problem) = row.shape_problem() {
            problems.push(problem);
        }
        match parse(&row, &mut problems) {
            Some(value) if problems.is_empty() => accepted.push(value),
            _ => rejected.push(RejectedRow {
                file: file.clone(),
                line: row.line,
                problems: problems.into_vec(),
                record: row.raw_text(),
            }),
        }
    }
    accepted
}
