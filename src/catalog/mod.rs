//! The catalog (contract §3): the offers the upgrade rules know with their services,
//! seat limits and upgrade paths; every other Microsoft product a customer may hold,
//! with the services its service plans make up; the GDAP roles and what they grant;
//! and the keys each of them is known by.
//!
//! A catalog's entries are its offers (`offers.csv`, in file order), then the
//! products of `products.csv` that are no offer. Subscriptions and licenses name
//! entries by [`OfferIdx`]; only offers have upgrade paths and seat limits.
//!
//! The built-in catalog is compiled in from `src/catalog/default/` and read by the
//! same code as a catalog given with `--catalog DIR`.

mod files;
mod load;
mod lookup;
mod products;
mod read;
mod roles;
mod services;

use rustc_hash::FxHashMap;
use std::path::Path;
use std::sync::Arc;

pub use files::{CatalogFile, CatalogFiles, ExportError, FILE_NAMES, export_builtin};
pub use lookup::{Lookup, Suggestion, SuggestionTarget};
pub use read::{CatalogError, quoted};
pub use roles::{Role, RoleIdx, RoleKey, RoleKeyKind, RoleServices, UpgradeRight};
pub use services::{ServiceIdx, ServiceSet, Vocabulary};

/// Index of an entry (an offer, or a product that is no offer) in its [`Catalog`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OfferIdx(pub u16);

/// The most entries a catalog may hold: [`OfferIdx`] numbers them with a `u16`.
pub const MAX_ENTRIES: usize = 1 << 16;

/// An entry of the catalog: an offer of `offers.csv`, or a product of
/// `products.csv` that is no offer (then `id` and `sku` are its String_Id, `name`
/// its display name, and it has no region, seat limit or alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: Box<str>,
    pub name: Box<str>,
    pub sku: Box<str>,
    pub region: Box<str>,
    /// Seat limit; `None` is unlimited.
    pub max_quantity: Option<u64>,
    pub services: ServiceSet,
    /// Former and other names, as written in `offers.csv`.
    pub aliases: Box<[Box<str>]>,
}

/// Index of a product in `products.csv` order (of first appearance).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProductIdx(pub u32);

/// A product of `products.csv`: its rows (one per service plan) joined by GUID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub string_id: Box<str>,
    pub guid: Box<str>,
    pub name: Box<str>,
    /// The services its service plans make up (`service_plans.csv`).
    pub services: ServiceSet,
    /// The offer it is (its String_Id or GUID is that offer's SKU), or its own entry.
    pub entry: OfferIdx,
    /// The line of its first row.
    pub line: u64,
}

/// What kind of entry an [`OfferIdx`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// An offer of `offers.csv`.
    Offer,
    /// A product of `products.csv` that is no offer.
    Product(ProductIdx),
}

/// Which key of which entry a value matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub entry: OfferIdx,
    pub kind: KeyKind,
}

/// The kinds of keys, in the order of their precedence (contract §3): an offer's
/// own keys, then the keys of the products that are an offer, then other
/// products' String_Id and GUID, then other products' display names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    OfferId,
    OfferName,
    OfferSku,
    OfferAlias,
    ProductStringId(ProductIdx),
    ProductGuid(ProductIdx),
    ProductName(ProductIdx),
}

#[derive(Debug, Clone)]
pub struct Catalog {
    vocabulary: Vocabulary,
    /// The offers, then the products that are no offer.
    entries: Vec<Offer>,
    offer_count: usize,
    /// Per offer, its upgrade targets in preference order.
    paths: Vec<Vec<OfferIdx>>,
    products: Vec<Product>,
    /// Per product entry (`entries[offer_count..]`), its product.
    entry_products: Vec<ProductIdx>,
    /// Per offer, the product whose name Microsoft uses for it today, when the
    /// offer's name does not already say it (see [`Catalog::microsoft_name`]).
    microsoft_names: Vec<Option<ProductIdx>>,
    /// Normalised key (see [`lookup_key`]) → entry.
    keys: FxHashMap<String, Key>,
    roles: Vec<Role>,
    role_keys: FxHashMap<String, RoleKey>,
    files: Arc<CatalogFiles>,
}

impl Catalog {
    /// The catalog compiled into the program.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_files(CatalogFiles::builtin())
    }

    /// The catalog of the files in `dir` (see [`CatalogFiles::from_dir`]).
    pub fn from_dir(dir: &Path) -> Result<Catalog, CatalogError> {
        Catalog::from_files(CatalogFiles::from_dir(dir)?)
    }

    /// Reads and validates a catalog's files.
    pub fn from_files(files: CatalogFiles) -> Result<Catalog, CatalogError> {
        load::parse(Arc::new(files))
    }

    /// Resolves an offer as written in an input file (contract §3): by an offer's
    /// id, name, SKU or alias, then by a product's String_Id, GUID or display name,
    /// ignoring case and runs of white space.
    pub fn resolve(&self, value: &str) -> Option<OfferIdx> {
        self.resolve_key(value).map(|key| key.entry)
    }

    /// Like [`Catalog::resolve`], also telling which key matched.
    pub fn resolve_key(&self, value: &str) -> Option<Key> {
        self.keys.get(&lookup_key(value)).copied()
    }

    /// The entry `offer`: an offer, or a product that is no offer.
    pub fn offer(&self, offer: OfferIdx) -> &Offer {
        &self.entries[usize::from(offer.0)]
    }

    /// Every entry: the offers in `offers.csv` order, then the products that are no offer.
    pub fn offers(&self) -> impl Iterator<Item = (OfferIdx, &Offer)> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, offer)| (OfferIdx(i as u16), offer))
    }

    /// The name Microsoft's product list gives `offer` today, when the offer's
    /// own name does not contain its words: `Microsoft 365 Business Standard` for
    /// `Office 365 Business Premium`, none for `Office 365 Enterprise E3` (`Office 365 E3`).
    pub fn microsoft_name(&self, offer: OfferIdx) -> Option<&str> {
        let product = (*self.microsoft_names.get(usize::from(offer.0))?)?;
        Some(&self.product(product).name)
    }

    /// The number of offers of `offers.csv`: entries `0..offer_count()`.
    pub fn offer_count(&self) -> usize {
        self.offer_count
    }

    /// The number of entries: offers and products that are no offer.
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    /// True for an offer of `offers.csv`, false for a product.
    pub fn is_offer(&self, entry: OfferIdx) -> bool {
        usize::from(entry.0) < self.offer_count
    }

    pub fn kind(&self, entry: OfferIdx) -> EntryKind {
        match usize::from(entry.0).checked_sub(self.offer_count) {
            None => EntryKind::Offer,
            Some(i) => EntryKind::Product(self.entry_products[i]),
        }
    }

    /// The offers `from` can be upgraded to, in preference order; none for a product.
    pub fn upgrade_path(&self, from: OfferIdx) -> &[OfferIdx] {
        self.paths
            .get(usize::from(from.0))
            .map_or(&[], Vec::as_slice)
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The services of `offer`, or none for an unknown one.
    pub fn services_of(&self, offer: Option<OfferIdx>) -> &ServiceSet {
        static NONE: ServiceSet = ServiceSet::EMPTY;
        offer.map_or(&NONE, |offer| &self.offer(offer).services)
    }

    pub fn product(&self, product: ProductIdx) -> &Product {
        &self.products[product.0 as usize]
    }

    /// Every product of `products.csv`, in order of first appearance.
    pub fn products(&self) -> impl Iterator<Item = (ProductIdx, &Product)> {
        self.products
            .iter()
            .enumerate()
            .map(|(i, product)| (ProductIdx(i as u32), product))
    }

    /// Resolves a GDAP role by name, roleDefinitionId or alias, ignoring case and
    /// runs of white space.
    pub fn resolve_role(&self, value: &str) -> Option<RoleIdx> {
        self.resolve_role_key(value).map(|key| key.role)
    }

    /// Like [`Catalog::resolve_role`], also telling which key matched.
    pub fn resolve_role_key(&self, value: &str) -> Option<RoleKey> {
        self.role_keys.get(&lookup_key(value)).copied()
    }

    /// [`Catalog::resolve_role`] for many values: `scratch` holds each key, so that
    /// resolving allocates nothing once it has grown.
    pub fn resolve_role_with(&self, value: &str, scratch: &mut String) -> Option<RoleIdx> {
        lookup_key_into(value, scratch);
        self.role_keys.get(scratch.as_str()).map(|key| key.role)
    }

    pub fn role(&self, role: RoleIdx) -> &Role {
        &self.roles[usize::from(role.0)]
    }

    /// Every role, in `roles.csv` order.
    pub fn roles(&self) -> impl Iterator<Item = (RoleIdx, &Role)> {
        self.roles
            .iter()
            .enumerate()
            .map(|(i, role)| (RoleIdx(i as u16), role))
    }

    /// How `value` resolves, as an offer or product and as a role, or the closest
    /// known names when it does not (`catalog lookup`).
    pub fn lookup(&self, value: &str) -> Lookup<'_> {
        Lookup::new(self, value)
    }

    /// The files the catalog was read from.
    pub fn files(&self) -> &CatalogFiles {
        &self.files
    }

    /// SHA-256 (hex) over the catalog's files (see [`CatalogFiles::fingerprint`]).
    pub fn fingerprint(&self) -> String {
        self.files.fingerprint()
    }
}

/// The form in which keys are compared: lower case, every run of white space
/// (Unicode's, the no-break space included) collapsed to one space, trimmed.
pub fn lookup_key(value: &str) -> String {
    let mut key = String::with_capacity(value.len());
    lookup_key_into(value, &mut key);
    key
}

/// [`lookup_key`] written into `key` (cleared first).
pub fn lookup_key_into(value: &str, key: &mut String) {
    key.clear();
    for word in value.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            // Most keys are ASCII, and Unicode's lower-casing costs far more per character.
            let start = key.len();
            key.push_str(word);
            key[start..].make_ascii_lowercase();
        } else {
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
}

#[cfg(test)]
mod tests;
