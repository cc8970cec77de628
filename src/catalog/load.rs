//! Reading and validating a catalog: its offers and upgrade paths here, its
//! products and service plans in `products.rs`, its roles in `roles.rs`.

use rustc_hash::FxHashMap;
use std::io;
use std::sync::Arc;

use super::files::{self, CatalogFiles};
use super::read::{CatalogError, CatalogRow, ColumnSpec, for_each_row, quoted, split_list};
use super::{Catalog, Key, KeyKind, Offer, OfferIdx, ServiceSet, Vocabulary, lookup_key};
use super::{products, roles};

const OFFER_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("offer_id"),
    ColumnSpec::required("name"),
    ColumnSpec::optional("sku"),
    ColumnSpec::optional("region"),
    ColumnSpec::optional("max_quantity"),
    ColumnSpec::required("services"),
    ColumnSpec::optional("aliases"),
];
const OFFER_ID: usize = 0;
const NAME: usize = 1;
const SKU: usize = 2;
const REGION: usize = 3;
const MAX_QUANTITY: usize = 4;
const SERVICES: usize = 5;
const ALIASES: usize = 6;

const PATH_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("from_offer"),
    ColumnSpec::required("to_offer"),
];

/// Reads the catalog's files in the order their contents depend on one another:
/// offers (which define the services), service plans, products, paths, roles.
pub(super) fn parse(files: Arc<CatalogFiles>) -> Result<Catalog, CatalogError> {
    let mut catalog = Catalog {
        vocabulary: Vocabulary::default(),
        entries: Vec::new(),
        offer_count: 0,
        paths: Vec::new(),
        products: Vec::new(),
        entry_products: Vec::new(),
        microsoft_names: Vec::new(),
        keys: FxHashMap::default(),
        roles: Vec::new(),
        role_keys: FxHashMap::default(),
        files: Arc::clone(&files),
    };
    let content = |name: &str| {
        let file = files.get(name)?;
        Some((file.label.as_str(), file.bytes.as_deref()?))
    };
    let required = |name: &str| {
        content(name).ok_or_else(|| {
            CatalogError::Table(crate::csvio::CsvError::Open {
                file: name.to_owned(),
                source: io::ErrorKind::NotFound.into(),
            })
        })
    };
    let (label, bytes) = required(files::OFFERS)?;
    read_offers(&mut catalog, label, bytes)?;
    let plans = match content(files::SERVICE_PLANS) {
        Some((label, bytes)) => products::read_service_plans(&catalog.vocabulary, label, bytes)?,
        None => products::PlanServices::default(),
    };
    if let Some((label, bytes)) = content(files::PRODUCTS) {
        products::read_products(&mut catalog, label, bytes, &plans)?;
    }
    let (label, bytes) = required(files::UPGRADE_PATHS)?;
    read_paths(&mut catalog, label, bytes)?;
    if let Some((label, bytes)) = content(files::ROLES) {
        roles::read_roles(&mut catalog, label, bytes)?;
    }
    catalog.microsoft_names = microsoft_names(&catalog);
    Ok(catalog)
}

/// Per offer, the first product sold as it whose name has a word the offer's
/// name lacks (words compared ignoring case).
fn microsoft_names(catalog: &Catalog) -> Vec<Option<super::ProductIdx>> {
    let words =
        |name: &str| -> Vec<String> { name.split_whitespace().map(str::to_lowercase).collect() };
    let mut names = vec![None; catalog.offer_count()];
    for (idx, product) in catalog.products() {
        let offer = usize::from(product.entry.0);
        if offer >= names.len() || names[offer].is_some() {
            continue;
        }
        let offer_words = words(&catalog.offer(product.entry).name);
        if words(&product.name)
            .iter()
            .any(|w| !offer_words.contains(w))
        {
            names[offer] = Some(idx);
        }
    }
    names
}

fn read_offers(catalog: &mut Catalog, file: &str, csv: &[u8]) -> Result<(), CatalogError> {
    for_each_row(file, csv, OFFER_COLUMNS, |row| {
        let offer = read_offer(catalog, row)?;
        let idx = OfferIdx(catalog.entries.len() as u16);
        let keys = [
            (&offer.id, KeyKind::OfferId),
            (&offer.name, KeyKind::OfferName),
            (&offer.sku, KeyKind::OfferSku),
        ]
        .into_iter()
        .chain(
            offer
                .aliases
                .iter()
                .map(|alias| (alias, KeyKind::OfferAlias)),
        );
        for (key, kind) in keys.filter(|(key, _)| !key.is_empty()) {
            match catalog.keys.get(&lookup_key(key)) {
                Some(other) if other.entry != idx => {
                    return Err(row.invalid(format!(
                        "{} names two offers: {} and {}",
                        quoted(key),
                        catalog.offer(other.entry).id,
                        offer.id
                    )));
                }
                Some(_) => {}
                None => {
                    catalog
                        .keys
                        .insert(lookup_key(key), Key { entry: idx, kind });
                }
            }
        }
        catalog.entries.push(offer);
        catalog.paths.push(Vec::new());
        Ok(())
    })?;
    if catalog.entries.is_empty() {
        return Err(CatalogError::Invalid {
            file: file.to_owned(),
            line: 1,
            message: "the catalog has no offers".into(),
        });
    }
    catalog.offer_count = catalog.entries.len();
    Ok(())
}

/// One row of `offers.csv`; new services join the vocabulary.
fn read_offer(catalog: &mut Catalog, row: &CatalogRow<'_>) -> Result<Offer, CatalogError> {
    let id = row.get(OFFER_ID);
    let name = row.get(NAME);
    if id.is_empty() || name.is_empty() {
        return Err(row.invalid("offer_id and name are required"));
    }
    // Digits only, as input quantities; 0 would block every upgrade to the offer
    // with a "0-seat limit" (a path not written is the way to allow none).
    let max_quantity = match row.get(MAX_QUANTITY) {
        "" => None,
        text => Some(text)
            .filter(|t| t.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|t| t.parse::<u64>().ok())
            .filter(|&limit| limit > 0)
            .map(Some)
            .ok_or_else(|| {
                row.invalid(format!(
                    "max_quantity: {} is not a positive integer (leave it empty for no limit)",
                    quoted(text)
                ))
            })?,
    };
    let mut services = ServiceSet::EMPTY;
    for service in split_list(row.get(SERVICES)) {
        // "*" (all services) belongs to relationships and roles: here it would
        // become a service of that name, which no other offer provides.
        if service == "*" {
            return Err(row.invalid(
                "services: \"*\" (all services) is allowed only in roles.csv and \
                 admin_relationships.csv; list the offer's services",
            ));
        }
        services.insert(catalog.vocabulary.intern(service));
    }
    if services.is_empty() {
        return Err(row.invalid(format!("offer {} has an empty service list", quoted(id))));
    }
    if catalog.entries.len() >= super::MAX_ENTRIES {
        return Err(row.invalid(format!(
            "too many offers: a catalog holds at most {} offers and products",
            super::MAX_ENTRIES
        )));
    }
    Ok(Offer {
        id: id.into(),
        name: name.into(),
        sku: row.get(SKU).into(),
        region: row.get(REGION).into(),
        max_quantity,
        services,
        aliases: split_list(row.get(ALIASES)).map(Into::into).collect(),
    })
}

fn read_paths(catalog: &mut Catalog, file: &str, csv: &[u8]) -> Result<(), CatalogError> {
    for_each_row(file, csv, PATH_COLUMNS, |row| {
        let resolve = |spec: usize| {
            let column = PATH_COLUMNS[spec].name;
            let value = row.get(spec);
            match catalog.resolve(value) {
                Some(entry) if catalog.is_offer(entry) => Ok(entry),
                Some(_) => Err(row.invalid(format!(
                    "{column}: {} is a product of products.csv, not an offer \
                     (upgrade paths name offers of offers.csv)",
                    quoted(value)
                ))),
                None => Err(row.invalid(format!(
                    "{column}: unknown offer {} (not in offers.csv)",
                    quoted(value)
                ))),
            }
        };
        let from = resolve(0)?;
        let to = resolve(1)?;
        if from == to {
            return Err(row.invalid(format!(
                "an offer cannot upgrade to itself: {}",
                catalog.offer(from).id
            )));
        }
        let path = &mut catalog.paths[usize::from(from.0)];
        if path.contains(&to) {
            return Err(row.invalid(format!(
                "duplicate path {} -> {}",
                catalog.entries[usize::from(from.0)].id,
                catalog.entries[usize::from(to.0)].id
            )));
        }
        path.push(to);
        Ok(())
    })
}
