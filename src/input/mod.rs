//! Reading and validating the four input files (contract §2).
//!
//! Every header is checked before any row is read. Each row is validated on its
//! own and against the rows before it (references, duplicates); a bad row becomes
//! a [`RejectedRow`] carrying every problem found in it. Readers know the catalog
//! (to resolve offers and service names) but nothing of the upgrade rules.

mod active_users;
mod chunks;
mod customers;
mod dates;
mod encoding;
mod error;
mod fields;
pub mod graph;
mod headers;
mod licenses;
mod lookup;
mod parallel;
mod records;
mod relationships;
mod sniff;
mod subscriptions;
mod table;

use std::collections::HashSet;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use encoding::Encoding;
pub use error::{FieldProblem, InputError, RejectedRow};
pub use fields::parse_iso_date;
pub use headers::{ColumnOverride, delimiter_name, parse_delimiter};
pub use parallel::ReadOptions;
pub use sniff::InputFormat;
pub use table::{ColumnSpec, Header, Row, Table};

use crate::catalog::{Catalog, lookup_key};
use crate::model::{
    Customer, CustomerIdx, Dataset, DuplicateLicense, License, LicenseOffer, Relationship,
    Subscription, Users,
};
use headers::InputFile;
use lookup::CustomerIndex;
use parallel::{FileRead, read_file};
use records::{Record, RecordReader};
use sniff::Sniffed;

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

impl LoadedInput {
    /// Moves the accepted records into a [`Dataset`], leaving the reports of what
    /// was read; also returns the license rows the dataset found to be duplicates.
    pub fn build_dataset(&mut self) -> (Dataset, Vec<DuplicateLicense>) {
        Dataset::build(
            std::mem::take(&mut self.customers),
            std::mem::take(&mut self.subscriptions),
            std::mem::take(&mut self.relationships),
            std::mem::take(&mut self.licenses),
            std::mem::take(&mut self.users),
            &self.unknown_license_offer_keys,
        )
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

/// Reads the four input files from `dir`. Every file's header is checked before
/// any row is read. `on_file` is told the name of each file as its rows start to be read.
/// Without `license_assignments.csv`, the Active-users exports in `users/` are the
/// license source if that folder exists (see `active_users.rs`).
pub fn load(
    dir: &Path,
    catalog: &Catalog,
    format: &InputFormat,
    options: ReadOptions,
    on_file: &mut dyn FnMut(&str),
) -> Result<LoadedInput, LoadError> {
    let specs = [
        customers::COLUMNS,
        subscriptions::COLUMNS,
        relationships::COLUMNS,
    ];
    let kinds = [
        InputFile::Customers,
        InputFile::Subscriptions,
        InputFile::Relationships,
    ];
    let mut sniffed = Vec::new();
    let mut errors = Vec::new();
    for ((file, kind), specs) in FILES.iter().zip(kinds).zip(specs) {
        match sniff::sniff_file(&dir.join(file), file, kind, specs, format) {
            Ok(found) => sniffed.push(found),
            Err(error) => errors.push(error),
        }
    }
    let license_source = if active_users::chosen(dir) {
        active_users::Folder::sniff(dir, format).map(LicenseSource::Users)
    } else {
        let path = dir.join(LICENSES);
        sniff::sniff_file(
            &path,
            LICENSES,
            InputFile::Licenses,
            licenses::COLUMNS,
            format,
        )
        .map(LicenseSource::File)
        .map_err(|error| vec![error])
    };
    let license_source = license_source
        .map_err(|mut found| errors.append(&mut found))
        .ok();
    let (Some(license_source), Ok([customer_format, subscription_format, relationship_format])) =
        (license_source, <[Sniffed; 3]>::try_from(sniffed))
    else {
        return Err(LoadError(errors));
    };
    let forced = format.encoding.is_some();
    let mut loaded = LoadedInput::default();
    let mut late = Vec::new();

    on_file(CUSTOMERS);
    let read = read_file(
        &dir.join(CUSTOMERS),
        CUSTOMERS,
        &customer_format,
        forced,
        options,
        &customers::CustomerParser,
    )?;
    let chunks = record(&mut loaded, CUSTOMERS, &customer_format, read);
    let ids = || {
        chunks
            .iter()
            .flat_map(|c| &c.items)
            .map(|row| row.customer.id())
    };
    let mut index = CustomerIndex::with_capacity(ids().count(), ids().map(|id| id.len()).sum());
    loaded.customers.reserve(ids().count());
    let mut rejected_ids = Vec::new();
    for chunk in chunks {
        rejected_ids.extend(chunk.local.0);
        for row in chunk.items {
            let idx = CustomerIdx(loaded.customers.len() as u32);
            match index.accept(customers::COLUMNS[0].name, row.customer.id(), row.line, idx) {
                Ok(()) => loaded.customers.push(row.customer),
                Err(problem) => late.push((row.line, problem)),
            }
        }
    }
    for (line, id) in &rejected_ids {
        index.reject(id, *line);
    }
    reject_late(dir, CUSTOMERS, &customer_format, &mut late, &mut loaded)?;

    // The other three files only look customers up, so they are read together:
    // the small files' sequential stretches overlap the license file's parallel parse.
    on_file("subscriptions, relationships and licenses");
    let subscription_parser = subscriptions::SubscriptionParser {
        catalog,
        customers: &index,
    };
    let relationship_parser = relationships::RelationshipParser {
        customers: &index,
        vocabulary: catalog.vocabulary(),
    };
    let license_parser = licenses::LicenseParser {
        catalog,
        customers: &index,
    };
    let accepted_customers = &loaded.customers;
    // Duplicate ids are found as soon as the file is read, while licenses are parsed.
    let read_subscriptions = || {
        let path = dir.join(SUBSCRIPTIONS);
        read_file(
            &path,
            SUBSCRIPTIONS,
            &subscription_format,
            forced,
            options,
            &subscription_parser,
        )
        .map(|mut read| {
            let first = subscriptions::first_of_each_id(&mut read.chunks);
            (read, first)
        })
    };
    let read_relationships = || {
        let path = dir.join(RELATIONSHIPS);
        read_file(
            &path,
            RELATIONSHIPS,
            &relationship_format,
            forced,
            options,
            &relationship_parser,
        )
    };
    let read_licenses = || match &license_source {
        LicenseSource::File(sniffed) => {
            let path = dir.join(LICENSES);
            read_file(&path, LICENSES, sniffed, forced, options, &license_parser)
                .map(|read| LicenseRead::File(read, sniffed))
                .map_err(LoadError::from)
        }
        LicenseSource::Users(folder) => {
            let customers = active_users::Customers {
                accepted: accepted_customers,
                index: &index,
                rejected_ids: &rejected_ids,
            };
            active_users::read(folder, &customers, catalog, forced, options).map(LicenseRead::Users)
        }
    };
    let (subscription_read, (relationship_read, license_read)) =
        rayon::join(read_subscriptions, || {
            rayon::join(read_relationships, read_licenses)
        });
    let (subscription_read, relationship_read, license_read) =
        (subscription_read?, relationship_read?, license_read?);

    let (subscription_read, (accepted, duplicates)) = subscription_read;
    record(
        &mut loaded,
        SUBSCRIPTIONS,
        &subscription_format,
        subscription_read,
    );
    loaded.subscriptions = accepted;
    late.extend(duplicates);
    reject_late(
        dir,
        SUBSCRIPTIONS,
        &subscription_format,
        &mut late,
        &mut loaded,
    )?;

    let chunks = record(
        &mut loaded,
        RELATIONSHIPS,
        &relationship_format,
        relationship_read,
    );
    loaded
        .relationships
        .reserve_exact(chunks.iter().map(|c| c.items.len()).sum());
    for chunk in chunks {
        loaded.relationships.extend(chunk.items);
    }

    match license_read {
        LicenseRead::File(read, sniffed) => {
            let chunks = record(&mut loaded, LICENSES, sniffed, read);
            merge_licenses(chunks, &mut loaded);
        }
        LicenseRead::Users(read) => {
            loaded.rejected.extend(read.rejected);
            loaded.files.push(read.report);
            merge_licenses(read.chunks, &mut loaded);
        }
    }
    Ok(loaded)
}

/// Where licenses are read from.
enum LicenseSource {
    File(Sniffed),
    Users(active_users::Folder),
}

/// What the license source gave.
enum LicenseRead<'s> {
    File(FileRead<License, licenses::LicenseChunk>, &'s Sniffed),
    Users(active_users::Read),
}

/// Records a file's report and rejected rows; returns its chunks.
fn record<I, L>(
    loaded: &mut LoadedInput,
    file: &str,
    sniffed: &Sniffed,
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
        encoding: read.encoding.name().to_owned(),
        delimiter: headers::delimiter_name(sniffed.delimiter).to_owned(),
        columns: sniffed.columns.iter().cloned().collect(),
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
    // Per chunk: its rows, the number its first user gets, and its spellings' numbers.
    let mut rebased = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        let interned = chunk.local.users.is_interned();
        let base = loaded.users.append(chunk.local.users.users, interned);
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
        rebased.push((chunk.items, base, spelling_ids));
    }
    // Millions of rows: re-based in parallel.
    loaded.licenses = rebased
        .into_par_iter()
        .map(|(mut licenses, base, spelling_ids)| {
            for license in &mut licenses {
                license.user.0 += base;
                if let Some(local) = license.offer.unknown_spelling() {
                    license.offer = LicenseOffer::unknown(spelling_ids[local as usize]);
                }
            }
            licenses
        })
        .collect();
}

/// Turns problems found after parsing (duplicates) into rejected rows, reading
/// those rows' text back from the file.
fn reject_late(
    dir: &Path,
    file: &str,
    sniffed: &Sniffed,
    late: &mut Vec<(u64, FieldProblem)>,
    loaded: &mut LoadedInput,
) -> Result<(), InputError> {
    if late.is_empty() {
        return Ok(());
    }
    let lines = late.iter().map(|(line, _)| *line).collect();
    let texts = record_texts(&dir.join(file), file, sniffed, lines)?;
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
    format: &InputFormat,
    duplicates: &[DuplicateLicense],
    loaded: &mut LoadedInput,
) -> Result<(), InputError> {
    let path = dir.join(LICENSES);
    let sniffed = sniff::sniff_file(
        &path,
        LICENSES,
        InputFile::Licenses,
        licenses::COLUMNS,
        format,
    )?;
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
    reject_late(dir, LICENSES, &sniffed, &mut late, loaded)
}

/// The raw text of the records that start on `lines`.
fn record_texts(
    path: &Path,
    file: &str,
    sniffed: &Sniffed,
    lines: HashSet<u64>,
) -> Result<FxHashMap<u64, String>, InputError> {
    let raw = std::fs::read(path).map_err(|source| InputError::Open {
        file: file.to_owned(),
        source,
    })?;
    let (bytes, _) =
        encoding::decode(&raw, Some(sniffed.encoding)).map_err(|error| InputError::Encoding {
            file: file.to_owned(),
            error,
        })?;
    let mut reader = RecordReader::new(&bytes, 1, sniffed.delimiter);
    let mut record = Record::default();
    let mut texts = FxHashMap::default();
    while texts.len() < lines.len() && reader.read(&mut record) {
        if lines.contains(&record.line) {
            let text = String::from_utf8_lossy(&bytes[record.span.clone()]).into_owned();
            texts.insert(record.line, text);
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
