//! `service_plans.csv` (which service plans make up each service) and
//! `products.csv` (Microsoft's product list): products with their derived services,
//! joined to the offers they are, and their keys by precedence (contract §3).

use rustc_hash::FxHashMap;

use super::read::{CatalogError, ColumnSpec, for_each_row, quoted, split_list};
use super::{Catalog, Key, KeyKind, Offer, OfferIdx, Product, ProductIdx, ServiceSet};
use super::{MAX_ENTRIES, Vocabulary, lookup_key, lookup_key_into};

const PLAN_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("service"),
    ColumnSpec::required("service_plans"),
];

/// Microsoft's columns, as published; every one must be there.
const PRODUCT_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("Product_Display_Name"),
    ColumnSpec::required("String_Id"),
    ColumnSpec::required("GUID"),
    ColumnSpec::required("Service_Plan_Name"),
    ColumnSpec::required("Service_Plan_Id"),
    ColumnSpec::required("Service_Plans_Included_Friendly_Names"),
];
const DISPLAY_NAME: usize = 0;
const STRING_ID: usize = 1;
const GUID: usize = 2;
const PLAN_NAME: usize = 3;

/// Per service plan (see [`plan_key`]), the services it is part of.
#[derive(Debug, Default)]
pub(super) struct PlanServices(FxHashMap<String, ServiceSet>);

impl PlanServices {
    /// The services `plan` is part of; `scratch` holds its key.
    fn services(&self, plan: &str, scratch: &mut String) -> ServiceSet {
        plan_key_into(plan, scratch);
        self.0.get(scratch.as_str()).cloned().unwrap_or_default()
    }
}

/// A plan name as compared: a [`lookup_key`] without a trailing `_gov`, so that
/// the government edition of a plan makes up the same services.
fn plan_key_into(plan: &str, key: &mut String) {
    lookup_key_into(plan, key);
    if key.ends_with("_gov") {
        key.truncate(key.len() - "_gov".len());
    }
}

/// Reads `service_plans.csv`: every service must be one of `vocabulary`'s.
pub(super) fn read_service_plans(
    vocabulary: &Vocabulary,
    file: &str,
    csv: &[u8],
) -> Result<PlanServices, CatalogError> {
    let mut plans = PlanServices::default();
    for_each_row(file, csv, PLAN_COLUMNS, |row| {
        let service = match row.get(0) {
            "" => return Err(row.invalid("service: missing required value")),
            name => vocabulary.lookup(name).ok_or_else(|| {
                row.invalid(format!(
                    "service: {} is not a service of offers.csv (known: {})",
                    quoted(name),
                    vocabulary.names().collect::<Vec<_>>().join(", ")
                ))
            })?,
        };
        for plan in split_list(row.get(1)) {
            let mut key = String::new();
            plan_key_into(plan, &mut key);
            let services = plans.0.entry(key).or_default();
            *services = services.with(service);
        }
        Ok(())
    })?;
    Ok(plans)
}

/// Reads `products.csv`, adds the products that are no offer as entries and
/// every product's keys below the offers' own.
pub(super) fn read_products(
    catalog: &mut Catalog,
    file: &str,
    csv: &[u8],
    plans: &PlanServices,
) -> Result<(), CatalogError> {
    let mut by_guid: FxHashMap<String, usize> = FxHashMap::default();
    let mut products: Vec<Product> = Vec::new();
    let mut scratch = String::new();
    for_each_row(file, csv, PRODUCT_COLUMNS, |row| {
        for spec in [DISPLAY_NAME, STRING_ID, GUID] {
            if row.get(spec).is_empty() {
                let column = PRODUCT_COLUMNS[spec].name;
                return Err(row.invalid(format!("{column}: missing required value")));
            }
        }
        let services = plans.services(row.get(PLAN_NAME), &mut scratch);
        let next = products.len();
        // A product's rows mostly follow one another: the last one is checked first.
        let product = match products.last() {
            Some(last) if *last.guid == *row.get(GUID) => next - 1,
            _ => *by_guid.entry(lookup_key(row.get(GUID))).or_insert(next),
        };
        if product == next {
            products.push(Product {
                string_id: row.get(STRING_ID).into(),
                guid: row.get(GUID).into(),
                name: row.get(DISPLAY_NAME).into(),
                services,
                entry: OfferIdx(0),
                line: row.line,
            });
        } else {
            let known = &mut products[product];
            known.services = known.services.union(&services);
        }
        Ok(())
    })?;
    let is_offer = offers_by_sku(catalog, &products);
    for (product, offer) in products.iter_mut().zip(&is_offer) {
        if let Some(offer) = offer {
            product.entry = *offer;
        } else {
            product.entry = add_entry(catalog, file, product)?;
        }
    }
    catalog.entry_products = products
        .iter()
        .enumerate()
        .filter(|(_, product)| !catalog.is_offer(product.entry))
        .map(|(i, _)| ProductIdx(i as u32))
        .collect();
    add_keys(catalog, &products, &is_offer);
    catalog.products = products;
    Ok(())
}

/// Per product, the offer it is: the one whose SKU is its String_Id or its GUID.
fn offers_by_sku(catalog: &Catalog, products: &[Product]) -> Vec<Option<OfferIdx>> {
    let skus: FxHashMap<String, OfferIdx> = catalog
        .offers()
        .take(catalog.offer_count)
        .filter(|(_, offer)| !offer.sku.is_empty())
        .map(|(idx, offer)| (lookup_key(&offer.sku), idx))
        .collect();
    products
        .iter()
        .map(|product| {
            let by = |key: &str| skus.get(&lookup_key(key)).copied();
            by(&product.string_id).or_else(|| by(&product.guid))
        })
        .collect()
}

/// A product that is no offer becomes an entry of its own.
fn add_entry(
    catalog: &mut Catalog,
    file: &str,
    product: &Product,
) -> Result<OfferIdx, CatalogError> {
    let idx = u16::try_from(catalog.entries.len()).map_err(|_| CatalogError::Invalid {
        file: file.to_owned(),
        line: product.line,
        message: format!(
            "too many products: a catalog holds at most {MAX_ENTRIES} offers and products together"
        ),
    })?;
    catalog.entries.push(Offer {
        id: product.string_id.clone(),
        name: product.name.clone(),
        sku: product.string_id.clone(),
        region: "".into(),
        max_quantity: None,
        services: product.services.clone(),
        aliases: Box::default(),
    });
    Ok(OfferIdx(idx))
}

/// Adds the products' keys by precedence: a key already taken (by an offer, or by a
/// product of higher precedence or earlier in the file) stays with its entry.
fn add_keys(catalog: &mut Catalog, products: &[Product], is_offer: &[Option<OfferIdx>]) {
    let numbered = || {
        products
            .iter()
            .zip(is_offer)
            .enumerate()
            .map(|(i, (product, offer))| (ProductIdx(i as u32), product, offer.is_some()))
    };
    let mut add = |key: &str, entry: OfferIdx, kind: KeyKind| {
        catalog
            .keys
            .entry(lookup_key(key))
            .or_insert(Key { entry, kind });
    };
    for (idx, product, _) in numbered().filter(|(_, _, offer)| *offer) {
        add(
            &product.string_id,
            product.entry,
            KeyKind::ProductStringId(idx),
        );
        add(&product.guid, product.entry, KeyKind::ProductGuid(idx));
        add(&product.name, product.entry, KeyKind::ProductName(idx));
    }
    for (idx, product, _) in numbered().filter(|(_, _, offer)| !*offer) {
        add(
            &product.string_id,
            product.entry,
            KeyKind::ProductStringId(idx),
        );
        add(&product.guid, product.entry, KeyKind::ProductGuid(idx));
    }
    for (idx, product, _) in numbered().filter(|(_, _, offer)| !*offer) {
        add(&product.name, product.entry, KeyKind::ProductName(idx));
    }
}
