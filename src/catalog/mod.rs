//! The offer catalog: offers with their services and seat limits, the keys an
//! offer is known by (id, name, SKU, aliases) and the upgrade paths between offers.
//!
//! The default catalog is compiled in from `src/catalog/default/` and loaded by the
//! same code as a catalog given with `--catalog DIR`.

mod load;
mod services;

use std::collections::HashMap;
use std::path::Path;

use crate::csvio::CsvFile;

pub use load::CatalogError;
pub use services::{MAX_SERVICES, ServiceIdx, ServiceSet, Vocabulary};

/// Index of an offer in its [`Catalog`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OfferIdx(pub u16);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: Box<str>,
    pub name: Box<str>,
    pub sku: Box<str>,
    pub region: Box<str>,
    /// Seat limit; `None` is unlimited.
    pub max_quantity: Option<u64>,
    pub services: ServiceSet,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    vocabulary: Vocabulary,
    offers: Vec<Offer>,
    /// Upgrade targets per offer, in preference order.
    paths: Vec<Vec<OfferIdx>>,
    /// Normalised key (see [`lookup_key`]) → offer.
    keys: HashMap<String, OfferIdx>,
}

const DEFAULT_OFFERS: &str = include_str!("default/offers.csv");
const DEFAULT_PATHS: &str = include_str!("default/upgrade_paths.csv");

impl Catalog {
    /// The catalog compiled into the program.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        load::parse(
            "built-in catalog offers.csv",
            DEFAULT_OFFERS.as_bytes(),
            "built-in catalog upgrade_paths.csv",
            DEFAULT_PATHS.as_bytes(),
        )
    }

    /// A catalog from `offers.csv` and `upgrade_paths.csv` in `dir`.
    pub fn from_dir(dir: &Path) -> Result<Catalog, CatalogError> {
        let offers_path = dir.join("offers.csv");
        let paths_path = dir.join("upgrade_paths.csv");
        // Opened as the input files are: a FIFO or device is refused, never waited on.
        let read = |path: &Path| {
            let name = path.display().to_string();
            CsvFile::open(path, &name)
                .and_then(|file| file.read_all())
                .map_err(CatalogError::Table)
        };
        let offers = read(&offers_path)?;
        let paths = read(&paths_path)?;
        load::parse(
            &offers_path.display().to_string(),
            &offers,
            &paths_path.display().to_string(),
            &paths,
        )
    }

    /// Resolves an offer as written in an input file: by id, name, SKU or alias,
    /// ignoring case and runs of white space.
    pub fn resolve(&self, value: &str) -> Option<OfferIdx> {
        self.keys.get(&lookup_key(value)).copied()
    }

    pub fn offer(&self, offer: OfferIdx) -> &Offer {
        &self.offers[usize::from(offer.0)]
    }

    pub fn offers(&self) -> impl Iterator<Item = (OfferIdx, &Offer)> {
        self.offers
            .iter()
            .enumerate()
            .map(|(i, offer)| (OfferIdx(i as u16), offer))
    }

    /// The offers `from` can be upgraded to, in preference order.
    pub fn upgrade_path(&self, from: OfferIdx) -> &[OfferIdx] {
        &self.paths[usize::from(from.0)]
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The services of `offer`, or none for an unknown one.
    pub fn services_of(&self, offer: Option<OfferIdx>) -> ServiceSet {
        offer.map_or(ServiceSet::EMPTY, |offer| self.offer(offer).services)
    }
}

/// The form in which offer keys are compared: lower case, white space runs
/// collapsed to one space, trimmed.
pub fn lookup_key(value: &str) -> String {
    let mut key = String::with_capacity(value.len());
    for word in value.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Catalog {
        Catalog::builtin().expect("the built-in catalog is valid")
    }

    fn id(catalog: &Catalog, value: &str) -> Option<String> {
        catalog
            .resolve(value)
            .map(|o| catalog.offer(o).id.to_string())
    }

    #[test]
    fn builtin_catalog_matches_the_contract() {
        let catalog = builtin();
        assert_eq!(catalog.offers().count(), 18);
        assert_eq!(catalog.vocabulary().len(), 17);
        let path = |from: &str| -> Vec<String> {
            let from = catalog.resolve(from).unwrap();
            catalog
                .upgrade_path(from)
                .iter()
                .map(|o| catalog.offer(*o).id.to_string())
                .collect()
        };
        assert_eq!(
            path("o365-business"),
            [
                "o365-business-premium",
                "o365-proplus",
                "o365-e3",
                "o365-e5"
            ]
        );
        assert_eq!(path("o365-business-premium"), ["o365-e3", "o365-e5"]);
        assert_eq!(
            path("o365-business-essentials"),
            ["o365-business-premium", "o365-e1", "o365-e3", "o365-e5"]
        );
        assert_eq!(
            path("o365-business-essentials-india"),
            [
                "o365-business-premium-india",
                "o365-e1",
                "o365-e3",
                "o365-e5"
            ]
        );
        assert!(path("m365-business-premium").is_empty());
        let e5 = catalog.offer(catalog.resolve("o365-e5").unwrap());
        let e3 = catalog.offer(catalog.resolve("o365-e3").unwrap());
        assert!(e5.services.is_superset_of(e3.services));
        assert_eq!(e5.services.minus(e3.services).len(), 4);
    }

    #[test]
    fn resolves_ids_names_former_names_and_skus() {
        let catalog = builtin();
        let cases = [
            ("o365-e3", Some("o365-e3")),
            ("Office 365 E3", Some("o365-e3")),
            ("ENTERPRISEPACK", Some("o365-e3")),
            ("enterprisepack", Some("o365-e3")),
            ("  Office   365  Enterprise E3 ", Some("o365-e3")),
            (
                "Microsoft 365 Business Basic",
                Some("o365-business-essentials"),
            ),
            (
                "Office 365 Advanced Threat Protection",
                Some("defender-o365-plan1"),
            ),
            (
                "Microsoft 365 Business Basic India",
                Some("o365-business-essentials-india"),
            ),
            ("Azure plan", None),
        ];
        for (value, expected) in cases {
            assert_eq!(id(&catalog, value).as_deref(), expected, "{value}");
        }
    }

    #[test]
    fn rename_trap() {
        let catalog = builtin();
        assert_eq!(
            id(&catalog, "Microsoft 365 Business Standard").as_deref(),
            Some("o365-business-premium")
        );
        assert_eq!(
            id(&catalog, "Office 365 Business Premium").as_deref(),
            Some("o365-business-premium")
        );
        assert_eq!(
            id(&catalog, "O365_BUSINESS_PREMIUM").as_deref(),
            Some("o365-business-premium")
        );
        assert_eq!(
            id(&catalog, "Microsoft 365 Business Premium").as_deref(),
            Some("m365-business-premium")
        );
        assert_eq!(
            id(&catalog, "SPB").as_deref(),
            Some("m365-business-premium")
        );
    }

    #[test]
    fn india_offers_never_upgrade_to_global_business_premium() {
        let catalog = builtin();
        let global_bp = catalog.resolve("o365-business-premium").unwrap();
        for from in [
            "o365-business-india",
            "o365-business-essentials-india",
            "o365-business-premium-india",
        ] {
            let from = catalog.resolve(from).unwrap();
            assert!(!catalog.upgrade_path(from).contains(&global_bp));
        }
    }

    #[test]
    fn lookup_key_normalises() {
        assert_eq!(lookup_key("  Office\t365   E3 "), "office 365 e3");
        assert_eq!(lookup_key("ÄRGER Plan"), "ärger plan");
    }
}
