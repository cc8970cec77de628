//! Reading and validating the four input files (contract §2).
//!
//! Every header is checked before any row is read. Each row is validated on its
//! own and against the rows before it (references, duplicates); a bad row becomes
//! a [`RejectedRow`] carrying every problem found in it. Readers know the catalog
//! (to resolve offers and service names) but nothing of the upgrade rules.

mod active_users;
mod customers;
mod dates;
mod error;
mod fields;
mod format;
pub mod graph;
mod graph_source;
mod headers;
mod licenses;
mod loaded;
mod lookup;
mod product_list;
mod rejected;
mod relationships;
mod subscriptions;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use crate::csvio::{
    Encoding, FieldProblem, ReadOptions, RejectedRow, Rejects, delimiter_name, parse_delimiter,
};
pub use error::InputError;
pub use fields::parse_iso_date;
pub use format::InputFormat;
pub use headers::{ColumnOverride, InputFile};
pub use loaded::{
    CUSTOMERS, FILES, InputFileReport, LICENSES, LoadError, LoadedInput, RELATIONSHIPS,
    SUBSCRIPTIONS,
};
pub use rejected::reject_duplicate_licenses;

use crate::catalog::{Catalog, ServiceSet, lookup_key};
use crate::csvio::{ChunkOutput, FileRead, READ_AHEAD_BYTES, ReadAhead, read_file, read_file_from};
use crate::model::{CustomerIdx, DisabledIdx, License, LicenseOffer, LicenseRows, Relationship};
use format::Opened;
use lookup::CustomerIndex;
use rejected::{late_row, record, reject_late};

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
    let specs = [customers::COLUMNS, subscriptions::COLUMNS];
    let kinds = [InputFile::Customers, InputFile::Subscriptions];
    let mut opened = Vec::new();
    let mut errors = Vec::new();
    for ((file, kind), specs) in FILES.iter().zip(kinds).zip(specs) {
        match format::open(&dir.join(file), file, kind, specs, format) {
            Ok(found) => opened.push(found),
            Err(error) => errors.push(error.into()),
        }
    }
    let relationship_source = match RelationshipSource::choose(dir, format) {
        Ok(source) => Some(source),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    let license_source = if active_users::chosen(dir) {
        active_users::Folder::sniff(dir, format).map(LicenseSource::Users)
    } else if dir.join(LICENSES).exists() && active_users::has_exports(dir) {
        // (A dangling license_assignments.csv is reported as unreadable, below.)
        Err(vec![InputError::BothLicenseSources {
            dir: dir.display().to_string(),
        }])
    } else {
        let path = dir.join(LICENSES);
        format::open(
            &path,
            LICENSES,
            InputFile::Licenses,
            licenses::COLUMNS,
            format,
        )
        .map(LicenseSource::File)
        .map_err(|error| vec![error.into()])
    };
    let license_source = license_source
        .map_err(|mut found| errors.append(&mut found))
        .ok();
    let (Some(license_source), Some(relationship_source), Ok([customers_file, subscriptions_file])) = (
        license_source,
        relationship_source,
        <[Opened; 2]>::try_from(opened),
    ) else {
        return Err(LoadError(errors));
    };
    let forced = format.encoding.is_some();
    // The license file's first chunks are read while customers.csv is, which every
    // other file's rows are looked up in.
    let licenses_ahead = match &license_source {
        LicenseSource::File(opened) => {
            ReadAhead::start(&opened.file, &opened.sniffed, options, READ_AHEAD_BYTES)
        }
        LicenseSource::Users(_) => None,
    };
    let mut loaded = LoadedInput {
        rejected: Rejects::new(options.rejected_rows_kept),
        ..LoadedInput::default()
    };

    on_file(CUSTOMERS);
    let read = read_file(
        &customers_file.file,
        &customers_file.sniffed,
        forced,
        options,
        &customers::CustomerParser,
    )?;
    let chunks = record(&mut loaded, &customers_file, read);
    let ids = || {
        chunks
            .iter()
            .flat_map(|c| &c.items)
            .map(|row| row.customer.id())
    };
    let mut index = CustomerIndex::with_capacity(ids().count(), ids().map(|id| id.len()).sum());
    loaded.customers.reserve(ids().count());
    let mut rejected_ids = Vec::new();
    let mut duplicates = loaded.rejected.empty_like();
    for chunk in chunks {
        rejected_ids.extend(chunk.local.0);
        for row in chunk.items {
            let idx = CustomerIdx(loaded.customers.len() as u32);
            match index.accept(customers::COLUMNS[0].name, row.customer.id(), row.line, idx) {
                Ok(()) => loaded.customers.push(row.customer),
                Err(problem) => duplicates.push(late_row(CUSTOMERS, row.line, problem)),
            }
        }
    }
    for (line, id) in &rejected_ids {
        index.reject(id, *line);
    }
    reject_late(&customers_file, duplicates, &mut loaded)?;

    // The other three files only look customers up, so they are read together:
    // the small files' sequential stretches overlap the license file's parallel parse.
    on_file("subscriptions, relationships and licenses");
    let subscription_parser = subscriptions::SubscriptionParser {
        catalog,
        customers: &index,
    };
    let relationship_parser = relationships::RelationshipParser {
        customers: &index,
        catalog,
    };
    let license_parser = &licenses::LicenseParser {
        catalog,
        customers: &index,
    };
    let (accepted_customers, customer_index, rejected_ids) =
        (&loaded.customers, &index, &rejected_ids);
    let kept = loaded.rejected.empty_like();
    // Duplicate ids are found as soon as the file is read, while licenses are parsed.
    let read_subscriptions = || {
        read_file(
            &subscriptions_file.file,
            &subscriptions_file.sniffed,
            forced,
            options,
            &subscription_parser,
        )
        .map(|mut read| {
            let first = subscriptions::first_of_each_id(&mut read.chunks, kept);
            drop_parser_state(&mut read.chunks);
            (read, first)
        })
    };
    let read_relationships = || match &relationship_source {
        RelationshipSource::Csv(opened) => read_file(
            &opened.file,
            &opened.sniffed,
            forced,
            options,
            &relationship_parser,
        )
        .map(|mut read| {
            let (rows, unknown_roles) = relationships::take_rows(&mut read.chunks);
            RelationshipRead::Csv(read, rows, unknown_roles)
        })
        .map_err(InputError::from),
        RelationshipSource::Json(path) => {
            graph_source::read(path, &relationship_parser, options.rejected_rows_kept)
                .map(RelationshipRead::Json)
        }
    };
    let read_licenses = move || match license_source {
        LicenseSource::File(opened) => read_file_from(
            licenses_ahead,
            &opened.file,
            &opened.sniffed,
            forced,
            options,
            license_parser,
        )
        .map(|read| LicenseRead::File(read, opened))
        .map_err(LoadError::from),
        LicenseSource::Users(folder) => {
            let customers = active_users::Customers {
                accepted: accepted_customers,
                index: customer_index,
                rejected_ids,
            };
            active_users::read(&folder, &customers, catalog, forced, options)
                .map(LicenseRead::Users)
        }
    };
    let (subscription_read, (relationship_read, license_read)) =
        rayon::join(read_subscriptions, || {
            rayon::join(read_relationships, read_licenses)
        });
    let (subscription_read, relationship_read, license_read) =
        (subscription_read?, relationship_read?, license_read?);

    let (subscription_read, (accepted, duplicates)) = subscription_read;
    record(&mut loaded, &subscriptions_file, subscription_read);
    loaded.subscriptions = accepted;
    reject_late(&subscriptions_file, duplicates, &mut loaded)?;

    match (relationship_read, &relationship_source) {
        (RelationshipRead::Csv(read, rows, unknown_roles), RelationshipSource::Csv(opened)) => {
            record(&mut loaded, opened, read);
            loaded.relationships = rows;
            loaded.unknown_roles = unknown_roles;
        }
        (RelationshipRead::Json(read), _) => {
            loaded.relationships = read.relationships;
            loaded.unknown_roles = read.unknown_roles;
            loaded.rejected.append(read.rejected);
            loaded.files.push(read.report);
        }
        (RelationshipRead::Csv(..), RelationshipSource::Json(_)) => {}
    }

    match license_read {
        LicenseRead::File(read, opened) => {
            let chunks = record(&mut loaded, &opened, read);
            merge_licenses(chunks, &mut loaded);
            // Kept open: the dataset may find duplicates, whose text is read back.
            loaded.licenses_file = Some(opened);
        }
        LicenseRead::Users(mut read) => {
            let missing =
                active_users::without_export(&read.exported, &loaded.subscriptions, catalog);
            read.report.customers_without_export = Some(missing);
            loaded.rejected.append(read.rejected);
            loaded.files.push(read.report);
            merge_licenses(read.chunks, &mut loaded);
        }
    }
    Ok(loaded)
}

/// Where licenses are read from.
enum LicenseSource {
    File(Opened),
    Users(active_users::Folder),
}

/// Where relationships are read from: `admin_relationships.csv`, or Graph's
/// export `admin_relationships.json` standing instead of it (contract §2).
enum RelationshipSource {
    Csv(Opened),
    Json(std::path::PathBuf),
}

impl RelationshipSource {
    /// The file of the folder; both of them is an error naming both.
    fn choose(dir: &Path, format: &InputFormat) -> Result<RelationshipSource, InputError> {
        let json = dir.join(graph_source::RELATIONSHIPS_JSON);
        let csv = dir.join(RELATIONSHIPS);
        let exists = |path: &Path| path.symlink_metadata().is_ok();
        match (exists(&csv), exists(&json)) {
            (true, true) => Err(InputError::BothRelationshipFiles {
                dir: dir.display().to_string(),
            }),
            (false, true) => Ok(RelationshipSource::Json(json)),
            _ => format::open(
                &csv,
                RELATIONSHIPS,
                InputFile::Relationships,
                relationships::COLUMNS,
                format,
            )
            .map(RelationshipSource::Csv)
            .map_err(InputError::from),
        }
    }
}

/// What the relationships' source gave: for the CSV file, its report and
/// rejected rows, its rows, and the unknown roles they name.
enum RelationshipRead {
    Csv(
        FileRead<Relationship, relationships::RelationshipChunk>,
        Vec<Relationship>,
        BTreeMap<String, u64>,
    ),
    Json(graph_source::GraphRead),
}

/// What the license source gave.
enum LicenseRead {
    File(FileRead<License, licenses::LicenseChunk>, Opened),
    Users(active_users::Read),
}

/// Frees what the chunks' parsers kept (their caches) as soon as a file is read,
/// while the others still are, rather than after all of them.
fn drop_parser_state<I, L: Default>(chunks: &mut [ChunkOutput<I, L>]) {
    for chunk in chunks {
        chunk.local = L::default();
    }
}

/// Joins the chunks' licenses, re-basing their chunk-local users and unknown offer spellings.
fn merge_licenses(
    chunks: Vec<ChunkOutput<License, licenses::LicenseChunk>>,
    loaded: &mut LoadedInput,
) {
    let mut spellings: FxHashMap<Box<str>, u32> = FxHashMap::default();
    let mut keys: FxHashMap<String, u32> = FxHashMap::default();
    let mut disabled_sets: FxHashMap<ServiceSet, u32> = FxHashMap::default();
    if loaded.disabled_sets.is_empty() {
        loaded.disabled_sets.push(ServiceSet::EMPTY);
    }
    disabled_sets.insert(ServiceSet::EMPTY, 0);
    // Per chunk: its rows, the number its first user gets, and its spellings' and
    // disabled sets' numbers.
    let mut rebased = Vec::with_capacity(chunks.len());
    for mut chunk in chunks {
        let mut disabled_ids = Vec::with_capacity(chunk.local.disabled_sets.len().max(1));
        disabled_ids.push(0u32);
        for set in std::mem::take(&mut chunk.local.disabled_sets)
            .into_iter()
            .skip(1)
        {
            let next = loaded.disabled_sets.len() as u32;
            let id = *disabled_sets.entry(set.clone()).or_insert(next);
            if id == next {
                loaded.disabled_sets.push(set);
            }
            disabled_ids.push(id);
        }
        let interned = chunk.local.users.is_interned();
        let base = loaded
            .users
            .append(std::mem::take(&mut chunk.local.users.users), interned);
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
        let licenses = LicenseRows {
            rows: chunk.items,
            customers: std::mem::take(&mut chunk.local.customers),
        };
        // The chunk's caches go along, to be freed in parallel too.
        rebased.push((licenses, base, spelling_ids, disabled_ids, chunk.local));
    }
    // Millions of rows: re-based in parallel.
    loaded.licenses = rebased
        .into_par_iter()
        .map(|(mut licenses, base, spelling_ids, disabled_ids, caches)| {
            drop(caches);
            for license in &mut licenses.rows {
                license.user.0 += base;
                if let Some(local) = license.offer.unknown_spelling() {
                    license.offer = LicenseOffer::unknown(spelling_ids[local as usize]);
                }
                let local = license.disabled.0 as usize;
                license.disabled = DisabledIdx(disabled_ids.get(local).copied().unwrap_or(0));
            }
            licenses
        })
        .collect();
}

#[cfg(test)]
mod tests;
