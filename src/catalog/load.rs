//! Reading and validating a catalog's two CSV files.

use std::collections::HashMap;

use super::{Catalog, Offer, OfferIdx, ServiceSet, Vocabulary, lookup_key};
use crate::csvio::{ColumnSpec, CsvError, Table, shown};

/// Why a catalog cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("catalog: {0}")]
    Table(CsvError),
    #[error("catalog: {file}:{line}: {message}")]
    Invalid {
        file: String,
        line: u64,
        message: String,
    },
}

impl CatalogError {
    pub fn is_unreadable(&self) -> bool {
        match self {
            CatalogError::Table(error) => error.is_unreadable(),
            CatalogError::Invalid { .. } => false,
        }
    }
}

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

pub(super) fn parse(
    offers_file: &str,
    offers_csv: &[u8],
    paths_file: &str,
    paths_csv: &[u8],
) -> Result<Catalog, CatalogError> {
    let mut catalog = Catalog {
        vocabulary: Vocabulary::default(),
        offers: Vec::new(),
        paths: Vec::new(),
        keys: HashMap::new(),
    };
    read_offers(&mut catalog, offers_file, offers_csv)?;
    read_paths(&mut catalog, paths_file, paths_csv)?;
    Ok(catalog)
}

fn read_offers(catalog: &mut Catalog, file: &str, csv: &[u8]) -> Result<(), CatalogError> {
    let mut table = Table::from_bytes(csv, file, OFFER_COLUMNS).map_err(CatalogError::Table)?;
    while let Some(row) = table.next_row() {
        let line = row.line;
        let invalid = |message: String| CatalogError::Invalid {
            file: file.to_owned(),
            line,
            message,
        };
        if let Some(problem) = row.shape_problem() {
            return Err(invalid(problem.to_string()));
        }
        let field = |spec: usize| {
            row.get(spec, OFFER_COLUMNS)
                .map_err(|p| invalid(p.to_string()))
        };
        let id = field(OFFER_ID)?;
        let name = field(NAME)?;
        if id.is_empty() || name.is_empty() {
            return Err(invalid("offer_id and name are required".into()));
        }
        let max_quantity = match field(MAX_QUANTITY)? {
            "" => None,
            text => Some(text.parse::<u64>().map_err(|_| {
                invalid(format!(
                    "max_quantity: {} is not a non-negative integer",
                    shown(text)
                ))
            })?),
        };
        let mut services = ServiceSet::EMPTY;
        for service in split_list(field(SERVICES)?) {
            let idx = catalog.vocabulary.intern(service).ok_or_else(|| {
                invalid(format!(
                    "services: more than {} distinct services",
                    super::MAX_SERVICES
                ))
            })?;
            services = services.with(idx);
        }
        if services.is_empty() {
            return Err(invalid(format!(
                "offer {} has an empty service list",
                shown(id)
            )));
        }
        let idx = OfferIdx(
            u16::try_from(catalog.offers.len()).map_err(|_| invalid("too many offers".into()))?,
        );
        let sku = field(SKU)?;
        let keys = [id, name, sku]
            .into_iter()
            .chain(split_list(field(ALIASES)?));
        for key in keys.filter(|k| !k.is_empty()) {
            let normalised = lookup_key(key);
            match catalog.keys.get(&normalised) {
                Some(&other) if other != idx => {
                    return Err(invalid(format!(
                        "{} names two offers: {} and {}",
                        shown(key),
                        shown(&catalog.offer(other).id).unquoted(),
                        shown(id).unquoted()
                    )));
                }
                _ => {
                    catalog.keys.insert(normalised, idx);
                }
            }
        }
        catalog.offers.push(Offer {
            id: id.into(),
            name: name.into(),
            sku: sku.into(),
            region: field(REGION)?.into(),
            max_quantity,
            services,
        });
        catalog.paths.push(Vec::new());
    }
    if catalog.offers.is_empty() {
        return Err(CatalogError::Invalid {
            file: file.to_owned(),
            line: 1,
            message: "the catalog has no offers".into(),
        });
    }
    Ok(())
}

fn read_paths(catalog: &mut Catalog, file: &str, csv: &[u8]) -> Result<(), CatalogError> {
    let mut table = Table::from_bytes(csv, file, PATH_COLUMNS).map_err(CatalogError::Table)?;
    while let Some(row) = table.next_row() {
        let line = row.line;
        let invalid = |message: String| CatalogError::Invalid {
            file: file.to_owned(),
            line,
            message,
        };
        if let Some(problem) = row.shape_problem() {
            return Err(invalid(problem.to_string()));
        }
        let resolve = |spec: usize| {
            let value = row
                .get(spec, PATH_COLUMNS)
                .map_err(|p| invalid(p.to_string()))?;
            catalog.resolve(value).ok_or_else(|| {
                invalid(format!(
                    "{}: unknown offer {} (not in offers.csv)",
                    PATH_COLUMNS[spec].name,
                    shown(value)
                ))
            })
        };
        let from = resolve(0)?;
        let to = resolve(1)?;
        if from == to {
            return Err(invalid(format!(
                "an offer cannot upgrade to itself: {}",
                shown(&catalog.offer(from).id).unquoted()
            )));
        }
        let path = &mut catalog.paths[usize::from(from.0)];
        if path.contains(&to) {
            return Err(invalid(format!(
                "duplicate path {} -> {}",
                shown(&catalog.offers[usize::from(from.0)].id).unquoted(),
                shown(&catalog.offers[usize::from(to.0)].id).unquoted()
            )));
        }
        path.push(to);
    }
    Ok(())
}

fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "offer_id,name,sku,region,max_quantity,services,aliases\n";

    fn catalog(offers: &str, paths: &str) -> Result<Catalog, CatalogError> {
        let offers = format!("{HEADER}{offers}");
        let paths = format!("from_offer,to_offer\n{paths}");
        parse(
            "offers.csv",
            offers.as_bytes(),
            "upgrade_paths.csv",
            paths.as_bytes(),
        )
    }

    #[test]
    fn a_valid_small_catalog() {
        let c = catalog(
            "a,Alpha,A1,global,10,X;Y,Old Alpha\nb,Beta,,global,,X;Y;Z,\n",
            "a,b\n",
        )
        .unwrap();
        let a = c.resolve("old  alpha").unwrap();
        let b = c.resolve("BETA").unwrap();
        assert_eq!(c.upgrade_path(a), [b]);
        assert_eq!(c.offer(a).max_quantity, Some(10));
        assert_eq!(c.offer(b).max_quantity, None);
    }

    #[test]
    fn rejected_catalogs_name_file_line_and_cause() {
        let cases = [
            (
                "a,Alpha,,,,X,\n",
                "a,zzz\n",
                "upgrade_paths.csv:2: to_offer: unknown offer \"zzz\" (not in offers.csv)",
            ),
            (
                "a,Alpha,,,,X,\nb,Beta,,,,Y,alpha\n",
                "",
                "offers.csv:3: \"alpha\" names two offers: a and b",
            ),
            (
                "a,Alpha,,,,,\n",
                "",
                "offers.csv:2: offer \"a\" has an empty service list",
            ),
            (
                "a,Alpha,,,ten,X,\n",
                "",
                "offers.csv:2: max_quantity: \"ten\" is not a non-negative integer",
            ),
            (
                "a,Alpha,,,,X,\n",
                "a,a\n",
                "upgrade_paths.csv:2: an offer cannot upgrade to itself: a",
            ),
            (
                "a,Alpha,,,,X,\nb,Beta,,,,Y,\n",
                "a,b\na,b\n",
                "upgrade_paths.csv:3: duplicate path a -> b",
            ),
        ];
        for (offers, paths, expected) in cases {
            let err = catalog(offers, paths).unwrap_err().to_string();
            assert_eq!(err, format!("catalog: {expected}"));
        }
    }

    #[test]
    fn name_equal_to_alias_of_same_offer_is_fine() {
        assert!(catalog("a,Alpha,ALPHA,,,X,alpha;Alpha\n", "").is_ok());
    }
}
