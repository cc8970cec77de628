//! Reading and validating the four input files (contract §2).
//!
//! Every header is checked before any row is read. Each row is validated on its
//! own and against the rows before it (references, duplicates); a bad row becomes
//! a [`RejectedRow`] carrying every problem found in it. Readers know the catalog
//! (to resolve offers and service names) but nothing of the upgrade rules.

mod chunks;
mod customers;
mod error;
mod fields;
mod licenses;
mod lookup;
mod parallel;
mod records;
mod relationships;
mod subscriptions;
mod table;

use std::collections::HashSet;
use std::path::Path;

use rustc_hash::FxHashMap;

pub use error::{FieldProblem, InputError, RejectedRow};
pub use fields::parse_iso_date;
pub use parallel::ReadOptions;
pub use table::{ColumnSpec, Header, Row, Table};

use crate::catalog::{Catalog, lookup_key};
use crate::model::{
    Customer, CustomerIdx, DuplicateLicense, License, LicenseOffer, Relationship, Subscription,
    Users,
};
use lookup::{CustomerIndex, duplicate};
use parallel::{FileRead, read_file};
use records::{Record, RecordReader};

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
}

/// The accepted records of all four files, in file order, and what was rejected.
#[derive(Debug, Default)]
pub struct LoadedInput {
    pub customers: Vec<Customer>,
    pub subscriptions: Vec<Subscription>,
    pub relationships: Vec<Relationship>,
    /// Per chunk of the file, in file order; duplicates are found when the dataset
    /// groups them.
    pub licenses: Vec<Vec<License>>,
    /// Lower-case user principal names; `License::user` indexes this (a user seen
    /// in several chunks may have several entries).
    pub users: Users,
    /// Unknown license offers as written; `LicenseOffer::unknown` indexes this.
    pub unknown_license_offers: Vec<Box<str>>,
    /// Per unknown spelling, the number of its case- and space-folded form.
    pub unknown_license_offer_keys: Vec<u32>,
    /// In file order, then line order.
    pub rejected: Vec<RejectedRow>,
    pub files: Vec<InputFileReport>,
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

/// Reads the four input files from `dir`. Every file's header is checked before
/// any row is read. `on_file` is told the name of each file as its rows start to be read.
pub fn load(
    dir: &Path,
    catalog: &Catalog,
    options: ReadOptions,
    on_file: &mut dyn FnMut(&str),
) -> Result<LoadedInput, LoadError> {
    let specs = [
        customers::COLUMNS,
        subscriptions::COLUMNS,
        relationships::COLUMNS,
        licenses::COLUMNS,
    ];
    let errors: Vec<InputError> = FILES
        .iter()
        .zip(specs)
        .filter_map(|(file, specs)| check_header(&dir.join(file), file, specs).err())
        .collect();
    if !errors.is_empty() {
        return Err(LoadError(errors));
    }
    let mut loaded = LoadedInput::default();
    let mut late = Vec::new();

    on_file(CUSTOMERS);
    let read = read_file(
        &dir.join(CUSTOMERS),
        CUSTOMERS,
        customers::COLUMNS,
        options,
        &customers::CustomerParser,
    )?;
    let mut index = CustomerIndex::default();
    let mut rejected_ids = Vec::new();
    for chunk in record(&mut loaded, CUSTOMERS, read) {
        rejected_ids.extend(chunk.local.0);
        for row in chunk.items {
            let idx = CustomerIdx(loaded.customers.len() as u32);
            match index.accept(customers::COLUMNS[0].name, &row.customer.id, row.line, idx) {
                Ok(()) => loaded.customers.push(row.customer),
                Err(problem) => late.push((row.line, problem)),
            }
        }
    }
    for (line, id) in rejected_ids {
        index.reject(&id, line);
    }
    reject_late(dir, CUSTOMERS, &mut late, &mut loaded)?;

    on_file(SUBSCRIPTIONS);
    let parser = subscriptions::SubscriptionParser {
        catalog,
        customers: &index,
    };
    let read = read_file(
        &dir.join(SUBSCRIPTIONS),
        SUBSCRIPTIONS,
        subscriptions::COLUMNS,
        options,
        &parser,
    )?;
    let mut first_lines: FxHashMap<Box<str>, u64> = FxHashMap::default();
    for chunk in record(&mut loaded, SUBSCRIPTIONS, read) {
        for (line, subscription) in chunk.items {
            let key = subscription.id.to_ascii_lowercase().into_boxed_str();
            if let Some(&first) = first_lines.get(&key) {
                let column = subscriptions::COLUMNS[subscriptions::SUBSCRIPTION_ID].name;
                late.push((line, duplicate(column, &subscription.id, first)));
            } else {
                first_lines.insert(key, line);
                loaded.subscriptions.push(subscription);
            }
        }
    }
    reject_late(dir, SUBSCRIPTIONS, &mut late, &mut loaded)?;

    on_file(RELATIONSHIPS);
    let parser = relationships::RelationshipParser {
        customers: &index,
        vocabulary: catalog.vocabulary(),
    };
    let read = read_file(
        &dir.join(RELATIONSHIPS),
        RELATIONSHIPS,
        relationships::COLUMNS,
        options,
        &parser,
    )?;
    for chunk in record(&mut loaded, RELATIONSHIPS, read) {
        loaded.relationships.extend(chunk.items);
    }

    on_file(LICENSES);
    let parser = licenses::LicenseParser {
        catalog,
        customers: &index,
    };
    let read = read_file(
        &dir.join(LICENSES),
        LICENSES,
        licenses::COLUMNS,
        options,
        &parser,
    )?;
    let chunks = record(&mut loaded, LICENSES, read);
    merge_licenses(chunks, &mut loaded);
    Ok(loaded)
}

/// Records a file's report and rejected rows; returns its chunks.
fn record<I, L>(
    loaded: &mut LoadedInput,
    file: &str,
    read: FileRead<I, L>,
) -> Vec<parallel::ChunkOutput<I, L>> {
    let mut chunks = read.chunks;
    let before = loaded.rejected.len();
    for chunk in &mut chunks {
        loaded.rejected.append(&mut chunk.rejected);
    }
    loaded.files.push(InputFileReport {
        file: file.to_owned(),
        rows: read.rows,
        rejected: (loaded.rejected.len() - before) as u64,
        sha256: read.sha256,
    });
    chunks
}

/// Joins the chunks' licenses, re-basing their chunk-local users and unknown offer spellings.
fn merge_licenses(
    chunks: Vec<parallel::ChunkOutput<License, licenses::LicenseChunk>>,
    loaded: &mut LoadedInput,
) {
    let mut spellings: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut keys: FxHashMap<String, u32> = FxHashMap::default();
    loaded
        .licenses
        .reserve(chunks.iter().map(|c| c.items.len()).sum());
    for chunk in chunks {
        let base = loaded.users.append(chunk.local.users.users);
        let spelling_ids: Vec<u32> = chunk
            .local
            .unknown_spellings
            .iter()
            .map(|spelling| {
                *spellings.entry(spelling.clone()).or_insert_with(|| {
                    let folded = keys.len() as u32;
                    let key = *keys.entry(lookup_key(spelling)).or_insert(folded);
                    loaded.unknown_license_offers.push(spelling.clone());
                    loaded.unknown_license_offer_keys.push(key);
                    loaded.unknown_license_offers.len() as u32 - 1
                })
            })
            .collect();
        let mut licenses = chunk.items;
        for license in &mut licenses {
            license.user.0 += base;
            if let Some(local) = license.offer.unknown_spelling() {
                license.offer = LicenseOffer::unknown(spelling_ids[local as usize]);
            }
        }
        loaded.licenses.push(licenses);
    }
}

/// Reads just the header of `path` and maps it onto `specs`.
fn check_header(path: &Path, file: &str, specs: &[ColumnSpec]) -> Result<(), InputError> {
    use std::io::Read;
    let unreadable = |source| InputError::Open {
        file: file.to_owned(),
        source,
    };
    let handle = std::fs::File::open(path).map_err(unreadable)?;
    let mut start = Vec::new();
    handle
        .take(1 << 20)
        .read_to_end(&mut start)
        .map_err(unreadable)?;
    Table::from_bytes(&start, file, specs).map(|_| ())
}

/// Turns problems found after parsing (duplicates) into rejected rows, reading
/// those rows' text back from the file.
fn reject_late(
    dir: &Path,
    file: &str,
    late: &mut Vec<(u64, FieldProblem)>,
    loaded: &mut LoadedInput,
) -> Result<(), InputError> {
    if late.is_empty() {
        return Ok(());
    }
    let texts = record_texts(
        &dir.join(file),
        file,
        late.iter().map(|(line, _)| *line).collect(),
    )?;
    for (line, problem) in late.drain(..) {
        loaded.rejected.push(RejectedRow {
            file: file.to_owned(),
            line,
            problems: vec![problem],
            record: texts.get(&line).cloned().unwrap_or_default(),
        });
    }
    if let Some(report) = loaded.files.iter_mut().find(|f| f.file == file) {
        report.rejected = loaded.rejected.iter().filter(|r| r.file == file).count() as u64;
    }
    sort_rejected(&mut loaded.rejected);
    Ok(())
}

/// Rejects the license rows the dataset found to repeat an earlier row.
pub fn reject_duplicate_licenses(
    dir: &Path,
    duplicates: &[DuplicateLicense],
    loaded: &mut LoadedInput,
) -> Result<(), InputError> {
    let mut late = duplicates
        .iter()
        .map(|d| {
            let problem = FieldProblem::new(
                licenses::COLUMNS[1].name,
                format!(
                    "duplicate of the license on line {} (same customer, user and offer)",
                    d.first_line
                ),
            );
            (u64::from(d.line), problem)
        })
        .collect();
    reject_late(dir, LICENSES, &mut late, loaded)
}

/// The raw text of the records that start on `lines`.
pub fn record_texts(
    path: &Path,
    file: &str,
    lines: HashSet<u64>,
) -> Result<FxHashMap<u64, String>, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Open {
        file: file.to_owned(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = RecordReader::new(bytes, 1, b',');
    let mut record = Record::default();
    let mut texts = FxHashMap::default();
    while texts.len() < lines.len() && reader.read(&mut record) {
        if lines.contains(&record.line) {
            texts.insert(
                record.line,
                String::from_utf8_lossy(&bytes[record.span.clone()]).into_owned(),
            );
        }
    }
    Ok(texts)
}

/// Orders rejected rows by file (in [`FILES`] order), then line.
pub fn sort_rejected(rejected: &mut [RejectedRow]) {
    let file_order = |file: &str| {
        FILES
            .iter()
            .position(|known| *known == file)
            .unwrap_or(FILES.len())
    };
    rejected.sort_by_key(|row| (file_order(&row.file), row.line));
}

#[cfg(test)]
mod tests;
