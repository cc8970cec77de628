//! Microsoft 365 admin center "Active users" exports as the license source.
//!
//! When `license_assignments.csv` is absent and `users/` is a folder, every
//! `users/<name>.csv` is one tenant's export: one row per user with its `User
//! principal name` and `Licenses` (product display names joined by `+`, or
//! `Unlicensed`; a known name that holds a `+` itself is kept whole). `<name>`
//! is a customer's `customer_id` or, failing that, its `domain`, both compared
//! case-insensitively; a name that fits no customer, a domain several customers
//! share, or two exports of one customer stop the run.
//! Entries whose names do not end in `.csv` (any case) and hidden ones (`.…`) are
//! ignored; a customer without an export has no licenses (counted, when it has
//! subscriptions to upgrade: [`without_export`]). An entry named `*.csv`
//! that cannot be read as a regular file (a dangling symlink, a symlink loop, a
//! FIFO, a device, a folder, a file without read permission) stops the run with
//! an error naming it (exit 66): skipping it would silently drop that customer's
//! users from every report.
//!
//! Each product of a user becomes one license row without disabled services (the
//! export cannot say which are off), resolved through the catalog like
//! `license_assignments.csv`'s offers; unknown products are counted. Empty parts
//! and `Unlicensed` (any case) give no license. A user listed twice in one export
//! and a product listed twice for one user (two spellings of one offer count as
//! one) reject the row, so the dataset never sees duplicate licenses. The rows of
//! an export whose customer row was rejected are rejected too.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};

use super::error::InputError;
use super::fields::required;
use super::format::{self, InputFormat, Opened};
use super::headers::InputFile;
use super::licenses::LicenseChunk;
use super::loaded::{InputFileReport, LICENSES, LoadError};
use super::lookup::{CustomerIndex, duplicate};
use super::product_list::products;
use crate::catalog::{Catalog, OfferIdx, lookup_key};
use crate::csvio::{
    ChunkOutput, ColumnSpec, CsvError, FieldProblem, ReadOptions, Rejects, Row, RowParser,
    RowProblems, delimiter_name, read_file, shown,
};
use crate::model::{
    Channel, Customer, CustomerIdx, DisabledIdx, License, LicenseOffer, Subscription,
    SubscriptionStatus, UserIdx,
};

/// The folder of exports, inside the input folder.
pub const FOLDER: &str = "users";
/// The license source's name in progress messages and the summary's `inputs`.
pub const SOURCE: &str = "users/";

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("user_principal_name"),
    ColumnSpec::required("licenses"),
];
const USER: usize = 0;
const PRODUCTS: usize = 1;

/// True when licenses are to be read from `users/`: `license_assignments.csv`
/// is certainly absent (not even a dangling symlink of that name) and `users/`
/// is a folder.
pub fn chosen(dir: &Path) -> bool {
    let licenses = std::fs::symlink_metadata(dir.join(LICENSES));
    let absent = matches!(licenses, Err(error) if error.kind() == std::io::ErrorKind::NotFound);
    absent && dir.join(FOLDER).is_dir()
}

/// True when `users/` holds an export (an entry named `*.csv`, not hidden), so
/// that it would be read if `license_assignments.csv` were not there.
pub fn has_exports(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir.join(FOLDER)) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        csv_stem(&name).is_some() && !name.starts_with('.')
    })
}

/// The exports in `users/`, in file-name order, their headers checked.
#[derive(Debug)]
pub struct Folder {
    exports: Vec<Export>,
}

#[derive(Debug)]
struct Export {
    /// `users/<name>.csv`, as messages name it.
    file: String,
    /// The name without `.csv`: a customer id or domain.
    stem: String,
    opened: Opened,
}

impl Folder {
    /// Lists `dir/users/` and sniffs every export; every bad header is reported.
    pub fn sniff(dir: &Path, format: &InputFormat) -> Result<Folder, Vec<InputError>> {
        let folder = dir.join(FOLDER);
        let unreadable = |source| {
            vec![InputError::from(CsvError::Open {
                file: SOURCE.to_owned(),
                source,
            })]
        };
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&folder).map_err(unreadable)? {
            let entry = entry.map_err(unreadable)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // Whatever the entry is, it is opened: anything that cannot be read as a
            // regular file is an error, never skipped.
            if csv_stem(&name).is_some() && !name.starts_with('.') {
                found.push((name, entry.path()));
            }
        }
        found.sort();
        let mut exports = Vec::new();
        let mut errors = Vec::new();
        for (name, path) in found {
            // The name may hold anything; messages and rejects.csv show it escaped.
            let file = format!("{SOURCE}{}", shown(&name).unquoted().whole());
            let stem = csv_stem(&name).unwrap_or_default().to_owned();
            match format::open(&path, &file, InputFile::ActiveUsers, COLUMNS, format) {
                Ok(opened) => exports.push(Export { file, stem, opened }),
                Err(error) => errors.push(error.into()),
            }
        }
        if errors.is_empty() {
            Ok(Folder { exports })
        } else {
            Err(errors)
        }
    }
}

/// The name without its `.csv` (any case), if it ends so.
fn csv_stem(name: &str) -> Option<&str> {
    let cut = name.len().checked_sub(4)?;
    let (stem, extension) = (name.get(..cut)?, name.get(cut..)?);
    extension.eq_ignore_ascii_case(".csv").then_some(stem)
}

/// What the exports are matched against: the accepted customers and the ids of
/// rejected customer rows.
pub struct Customers<'a> {
    pub accepted: &'a [Customer],
    pub index: &'a CustomerIndex,
    pub rejected_ids: &'a [(u64, Box<str>)],
}

/// The customer an export belongs to, or why its rows are rejected.
type Tenant = Result<CustomerIdx, FieldProblem>;

/// What the exports gave: their licenses in the shape of `license_assignments.csv`'s
/// chunks (one per export), their rejected rows and one report for all of them.
#[derive(Debug)]
pub struct Read {
    pub chunks: Vec<ChunkOutput<License, LicenseChunk>>,
    /// In file-name order, then line order.
    pub rejected: Rejects,
    pub report: InputFileReport,
    /// Per accepted customer: whether an export is its.
    pub exported: Vec<bool>,
}

/// Reads every export of `folder`.
pub fn read(
    folder: &Folder,
    customers: &Customers<'_>,
    catalog: &Catalog,
    encoding_forced: bool,
    options: ReadOptions,
) -> Result<Read, LoadError> {
    let tenants = resolve(&folder.exports, customers)?;
    // Exports are small and read whole, one per task.
    let options = ReadOptions {
        parallel: false,
        ..options
    };
    let reads: Vec<_> = folder
        .exports
        .par_iter()
        .zip(&tenants)
        .map(|(export, tenant)| {
            let parser = ExportParser { catalog, tenant };
            let read = read_file(
                &export.opened.file,
                &export.opened.sniffed,
                encoding_forced,
                options,
                &parser,
            )?;
            Ok((export, read))
        })
        .collect::<Result<_, CsvError>>()?;
    let mut summaries = Vec::new();
    let mut chunks = Vec::new();
    let mut rejected = Rejects::new(options.rejected_rows_kept);
    for (export, read) in reads {
        summaries.push((export, read.rows, read.sha256, read.encoding.name()));
        for mut chunk in read.chunks {
            let chunk_rejected = std::mem::replace(&mut chunk.rejected, rejected.empty_like());
            rejected.append(chunk_rejected);
            chunks.push(ChunkOutput {
                items: chunk.items.into_iter().flatten().collect(),
                rejected: rejected.empty_like(),
                local: chunk.local.licenses,
                rows: chunk.rows,
            });
        }
    }
    let report = report(&summaries, rejected.rows());
    let mut exported = vec![false; customers.accepted.len()];
    for tenant in tenants.iter().flatten() {
        if let Some(slot) = exported.get_mut(tenant.0 as usize) {
            *slot = true;
        }
    }
    Ok(Read {
        chunks,
        rejected,
        report,
        exported,
    })
}

/// The customers without an export that hold an active subscription of ours with
/// an upgrade path: their upgrades are judged as if none of their users held a
/// license, which a forgotten export makes wrong (an export with only its header
/// says "no licensed users" on purpose).
pub fn without_export(exported: &[bool], subscriptions: &[Subscription], catalog: &Catalog) -> u64 {
    let mut counted = vec![false; exported.len()];
    for subscription in subscriptions {
        let ours = subscription.channel == Channel::ThisPartner
            && subscription.status == SubscriptionStatus::Active;
        let upgradable = (subscription.offer).is_some_and(|o| !catalog.upgrade_path(o).is_empty());
        let customer = subscription.customer.0 as usize;
        if ours
            && upgradable
            && exported.get(customer) == Some(&false)
            && let Some(slot) = counted.get_mut(customer)
        {
            *slot = true;
        }
    }
    counted.iter().filter(|&&c| c).count() as u64
}

/// The customer of every export, or every naming error.
fn resolve(exports: &[Export], customers: &Customers<'_>) -> Result<Vec<Tenant>, LoadError> {
    let rejected: FxHashSet<String> = (customers.rejected_ids.iter())
        .map(|(_, id)| id.to_ascii_lowercase())
        .collect();
    let mut domains: FxHashMap<String, Vec<CustomerIdx>> = FxHashMap::default();
    for (i, customer) in customers.accepted.iter().enumerate() {
        if !customer.domain().is_empty() {
            let owners = domains.entry(customer.domain().to_lowercase()).or_default();
            owners.push(CustomerIdx(i as u32));
        }
    }
    let mut errors = Vec::new();
    let mut tenants = Vec::new();
    let mut owners: FxHashMap<String, &str> = FxHashMap::default();
    for export in exports {
        let stem = export.stem.as_str();
        let tenant = match customers.index.resolve("customer_id", stem) {
            Ok(idx) => Ok(idx),
            Err(problem) if rejected.contains(&stem.to_ascii_lowercase()) => Err(FieldProblem {
                column: None,
                ..problem
            }),
            Err(_) => match domains.get(&stem.to_lowercase()).map(Vec::as_slice) {
                Some([only]) => Ok(*only),
                None | Some([]) => {
                    errors.push(InputError::UnknownTenant {
                        file: export.file.clone(),
                        name: stem.to_owned(),
                    });
                    continue;
                }
                Some(several) => {
                    let ids = several
                        .iter()
                        .map(|i| customers.accepted[i.0 as usize].id());
                    errors.push(InputError::AmbiguousTenant {
                        file: export.file.clone(),
                        domain: stem.to_owned(),
                        customers: ids.map(str::to_owned).collect(),
                    });
                    continue;
                }
            },
        };
        let customer = match &tenant {
            Ok(idx) => customers.accepted[idx.0 as usize].id().to_string(),
            Err(_) => stem.to_owned(),
        };
        let key = customer.to_ascii_lowercase();
        match owners.get(&key) {
            Some(first) => errors.push(InputError::TenantTwice {
                first: (*first).to_owned(),
                second: export.file.clone(),
                customer,
            }),
            None => {
                owners.insert(key, &export.file);
            }
        }
        tenants.push(tenant);
    }
    if errors.is_empty() {
        Ok(tenants)
    } else {
        Err(LoadError(errors))
    }
}

/// The report of the license source `users/`: rows and rejected rows of all
/// exports; as `sha256`, the SHA-256 of the concatenated lower-case hex SHA-256
/// digests of the exports' bytes, in file-name order (that of no bytes when
/// there is no export); the encoding and delimiter of the first export, or
/// `mixed` when the exports differ (empty when there is none); the columns of
/// the first export.
fn report(exports: &[(&Export, u64, String, &'static str)], rejected: u64) -> InputFileReport {
    let mut hasher = Sha256::new();
    for (_, _, sha256, _) in exports {
        hasher.update(sha256.as_bytes());
    }
    let common = |values: Vec<&str>| match values.split_first() {
        Some((first, rest)) if rest.iter().all(|v| v == first) => (*first).to_owned(),
        Some(_) => "mixed".to_owned(),
        None => String::new(),
    };
    let delimiters = exports.iter().map(|(e, ..)| e.opened.sniffed.delimiter);
    InputFileReport {
        file: SOURCE.to_owned(),
        rows: exports.iter().map(|(_, rows, ..)| rows).sum(),
        rejected,
        sha256: format!("{:x}", hasher.finalize()),
        encoding: common(exports.iter().map(|(.., encoding)| *encoding).collect()),
        delimiter: common(delimiters.map(delimiter_name).collect()),
        columns: exports
            .first()
            .map(|(e, ..)| e.opened.sniffed.columns.iter().cloned().collect())
            .unwrap_or_default(),
        ignored_columns: (exports.first())
            .map(|(e, ..)| e.opened.sniffed.ignored.clone())
            .unwrap_or_default(),
        customers_without_export: None,
        json_shape: None,
    }
}

/// Parses the rows of one export.
struct ExportParser<'a> {
    catalog: &'a Catalog,
    tenant: &'a Tenant,
}

/// An export's users and unknown spellings, and the line each accepted user was
/// first on.
#[derive(Debug, Default)]
struct ExportChunk {
    licenses: LicenseChunk,
    first_lines: FxHashMap<UserIdx, u64>,
}

/// A product as duplicates are found: its offer, or its folded spelling.
#[derive(PartialEq, Eq)]
enum ProductKey {
    Known(OfferIdx),
    Unknown(String),
}

impl RowParser for ExportParser<'_> {
    type Item = Vec<License>;
    type Local = ExportChunk;

    fn parse(
        &self,
        row: &Row<'_>,
        problems: &mut RowProblems,
        local: &mut ExportChunk,
    ) -> Option<Vec<License>> {
        let name = |spec: usize| COLUMNS[spec].name;
        let customer = problems.take(self.tenant.clone());
        let upn = problems.take(row.get(USER, COLUMNS).and_then(|v| required(name(USER), v)));
        let products = problems.take(row.get(PRODUCTS, COLUMNS));
        let offers = products.map(|text| self.offers(text, problems, &mut local.licenses));
        let (customer, upn, offers) = (customer?, upn?, offers?);
        if !problems.is_empty() {
            return None;
        }
        let user = local.licenses.users.intern(upn);
        if let Some(&first) = local.first_lines.get(&user) {
            problems.push(duplicate(name(USER), upn, first));
            return None;
        }
        local.first_lines.insert(user, row.line);
        let line = u32::try_from(row.line).unwrap_or(u32::MAX);
        let licenses = offers.into_iter().map(|(offer, spelling)| {
            let offer = match offer {
                Some(known) => LicenseOffer::known(known),
                None => LicenseOffer::unknown(local.licenses.unknown_spelling(spelling)),
            };
            License {
                user,
                offer,
                line,
                disabled: DisabledIdx::NONE,
            }
        });
        let licenses: Vec<License> = licenses.collect();
        // Given back, the row is accepted (its problems are none).
        local
            .licenses
            .customers
            .note(customer, licenses.len() as u32);
        Some(licenses)
    }
}

impl ExportParser<'_> {
    /// The products of a `Licenses` value with their offers (`None`: unknown);
    /// notes a product named twice.
    fn offers<'v>(
        &self,
        value: &'v str,
        problems: &mut RowProblems,
        chunk: &mut LicenseChunk,
    ) -> Vec<(Option<OfferIdx>, &'v str)> {
        let mut offers: Vec<(Option<OfferIdx>, &str)> = Vec::new();
        let mut keys: Vec<ProductKey> = Vec::new();
        for (offer, product) in products(value, |p| chunk.offers.resolve(self.catalog, p)) {
            let key = offer.map_or_else(
                || ProductKey::Unknown(lookup_key(product)),
                ProductKey::Known,
            );
            match keys.iter().position(|k| *k == key) {
                Some(first) => {
                    let first = offers[first].1;
                    let message = if first == product {
                        format!("{} is listed twice", shown(product))
                    } else {
                        format!(
                            "{} and {} are the same product",
                            shown(first),
                            shown(product)
                        )
                    };
                    problems.push(FieldProblem::new(COLUMNS[PRODUCTS].name, message));
                }
                None => {
                    keys.push(key);
                    offers.push((offer, product));
                }
            }
        }
        offers
    }
}
