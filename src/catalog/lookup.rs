//! `catalog lookup VALUE`: how a value resolves — which offer, product or role, by
//! which key, with its services — or, when it does not, the closest known names.

use std::fmt;

use super::read::quoted;
use super::{Catalog, EntryKind, Key, KeyKind, OfferIdx, RoleIdx, RoleKey, RoleKeyKind};
use super::{RoleServices, ServiceSet, lookup_key};

/// Suggestions shown for an unknown value.
const MAX_SUGGESTIONS: usize = 5;

/// How a value resolves in a catalog.
#[derive(Debug, Clone)]
pub struct Lookup<'c> {
    catalog: &'c Catalog,
    /// The value as given.
    pub value: String,
    /// The offer or product it names, and by which key.
    pub entry: Option<Key>,
    /// The role it names, and by which key.
    pub role: Option<RoleKey>,
    /// When it names nothing: the closest known names, closest first.
    pub suggestions: Vec<Suggestion>,
}

/// A known name close to an unknown value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The name (or id, SKU, alias) as the catalog writes it.
    pub name: String,
    pub target: SuggestionTarget,
    /// Edit distance between the normalised value and name.
    pub distance: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SuggestionTarget {
    Entry(OfferIdx),
    Role(RoleIdx),
}

impl<'c> Lookup<'c> {
    pub(super) fn new(catalog: &'c Catalog, value: &str) -> Lookup<'c> {
        let entry = catalog.resolve_key(value);
        let role = catalog.resolve_role_key(value);
        let suggestions = if entry.is_none() && role.is_none() {
            suggestions(catalog, value)
        } else {
            Vec::new()
        };
        Lookup {
            catalog,
            value: value.to_owned(),
            entry,
            role,
            suggestions,
        }
    }

    /// True when the value names an offer, a product or a role.
    pub fn found(&self) -> bool {
        self.entry.is_some() || self.role.is_some()
    }

    fn write_entry(&self, f: &mut fmt::Formatter<'_>, key: Key) -> fmt::Result {
        let catalog = self.catalog;
        let entry = catalog.offer(key.entry);
        let value = quoted(&self.value);
        match catalog.kind(key.entry) {
            EntryKind::Offer => {
                let name = quoted(&entry.name);
                writeln!(f, "{value} resolves to offer {} {name}", entry.id)?;
            }
            EntryKind::Product(_) => {
                let name = quoted(&entry.name);
                writeln!(f, "{value} resolves to product {} {name}", entry.id)?;
            }
        }
        writeln!(f, "  matched:       {}", self.key_description(key))?;
        match catalog.kind(key.entry) {
            EntryKind::Offer => {
                if !entry.sku.is_empty() {
                    writeln!(f, "  SKU:           {}", entry.sku)?;
                }
                if !entry.aliases.is_empty() {
                    writeln!(f, "  aliases:       {}", entry.aliases.join("; "))?;
                }
                writeln!(f, "  services:      {}", self.services(&entry.services))?;
                let path: Vec<String> = catalog
                    .upgrade_path(key.entry)
                    .iter()
                    .map(|&to| format!("{} ({})", catalog.offer(to).id, catalog.offer(to).name))
                    .collect();
                let path = if path.is_empty() {
                    "none".to_owned()
                } else {
                    path.join(", ")
                };
                writeln!(f, "  upgrade path:  {path}")?;
                match entry.max_quantity {
                    Some(limit) => writeln!(f, "  seat limit:    {limit}"),
                    None => writeln!(f, "  seat limit:    none"),
                }
            }
            EntryKind::Product(product) => {
                writeln!(f, "  GUID:          {}", catalog.product(product).guid)?;
                writeln!(f, "  services:      {}", self.services(&entry.services))?;
                writeln!(
                    f,
                    "  upgrade path:  none (a product that is no offer is never upgraded; \
                     it counts as a held subscription or another license)"
                )
            }
        }
    }

    /// Which key matched, in words.
    fn key_description(&self, key: Key) -> String {
        let catalog = self.catalog;
        let offer = catalog.is_offer(key.entry);
        let of_product = |what: &str, product: super::ProductIdx| {
            let product = catalog.product(product);
            if offer {
                format!(
                    "the {what} of product {} {} (GUID {}), which is this offer",
                    product.string_id,
                    quoted(&product.name),
                    product.guid
                )
            } else {
                format!("its product {what}")
            }
        };
        match key.kind {
            KeyKind::OfferId => "its offer id".to_owned(),
            KeyKind::OfferName => "its offer name".to_owned(),
            KeyKind::OfferSku => "its offer SKU".to_owned(),
            KeyKind::OfferAlias => "an offer alias".to_owned(),
            KeyKind::ProductStringId(p) => of_product("String_Id", p),
            KeyKind::ProductGuid(p) => of_product("GUID", p),
            KeyKind::ProductName(p) => of_product("display name", p),
        }
    }

    fn write_role(&self, f: &mut fmt::Formatter<'_>, key: RoleKey) -> fmt::Result {
        let role = self.catalog.role(key.role);
        let value = quoted(&self.value);
        writeln!(f, "{value} resolves to role {}", quoted(&role.name))?;
        let matched = match key.kind {
            RoleKeyKind::Name => "its role name",
            RoleKeyKind::Id => "its role id (roleDefinitionId)",
            RoleKeyKind::Alias => "a former name (alias)",
        };
        writeln!(f, "  matched:       {matched}")?;
        if !role.id.is_empty() {
            writeln!(f, "  role id:       {}", role.id)?;
        }
        if !role.aliases.is_empty() {
            writeln!(f, "  aliases:       {}", role.aliases.join("; "))?;
        }
        let services = match &role.services {
            RoleServices::All => "* (every service)".to_owned(),
            RoleServices::Set(set) => self.services(set),
        };
        writeln!(f, "  services:      {services}")?;
        writeln!(f, "  upgrade right: {}", role.upgrade.as_str())
    }

    fn services(&self, set: &ServiceSet) -> String {
        if set.is_empty() {
            "none".to_owned()
        } else {
            self.catalog.vocabulary().join(set, ", ")
        }
    }

    fn suggestion_text(&self, suggestion: &Suggestion) -> String {
        let what = match suggestion.target {
            SuggestionTarget::Entry(entry) => {
                let kind = if self.catalog.is_offer(entry) {
                    "offer"
                } else {
                    "product"
                };
                format!("{kind} {}", self.catalog.offer(entry).id)
            }
            SuggestionTarget::Role(_) => "role".to_owned(),
        };
        format!("{} ({what})", quoted(&suggestion.name))
    }
}

impl fmt::Display for Lookup<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(key) = self.entry {
            self.write_entry(f, key)?;
        }
        if let Some(key) = self.role {
            self.write_role(f, key)?;
        }
        if self.found() {
            return Ok(());
        }
        writeln!(
            f,
            "{} is unknown: no offer, product or role of the catalog is known by it",
            quoted(&self.value)
        )?;
        if self.suggestions.is_empty() {
            return writeln!(f, "  no known name is close to it");
        }
        let texts: Vec<String> = self
            .suggestions
            .iter()
            .map(|s| self.suggestion_text(s))
            .collect();
        writeln!(f, "  closest known names: {}", texts.join(", "))
    }
}

/// The known names closest to `value` (edit distance over normalised keys), at
/// most one per offer, product or role, at most [`MAX_SUGGESTIONS`].
fn suggestions(catalog: &Catalog, value: &str) -> Vec<Suggestion> {
    let wanted: Vec<char> = lookup_key(value).chars().collect();
    let limit = (wanted.len() / 3).max(2);
    let mut best: Vec<Suggestion> = Vec::new();
    let mut consider = |name: &str, target: SuggestionTarget| {
        if name.is_empty() {
            return;
        }
        let distance = edit_distance(&wanted, &lookup_key(name));
        if distance > limit {
            return;
        }
        match best.iter_mut().find(|s| s.target == target) {
            Some(known) if known.distance <= distance => {}
            Some(known) => *known = suggestion(name, target, distance),
            None => best.push(suggestion(name, target, distance)),
        }
    };
    for (idx, entry) in catalog.offers() {
        let target = SuggestionTarget::Entry(idx);
        for name in [&entry.id, &entry.name, &entry.sku]
            .into_iter()
            .chain(&*entry.aliases)
        {
            consider(name, target);
        }
    }
    for (_, product) in catalog.products() {
        let target = SuggestionTarget::Entry(product.entry);
        for name in [&product.string_id, &product.guid, &product.name] {
            consider(name, target);
        }
    }
    for (idx, role) in catalog.roles() {
        let target = SuggestionTarget::Role(idx);
        for name in [&role.name, &role.id].into_iter().chain(&*role.aliases) {
            consider(name, target);
        }
    }
    best.sort_by_key(|s| (s.distance, s.target));
    best.truncate(MAX_SUGGESTIONS);
    best
}

fn suggestion(name: &str, target: SuggestionTarget, distance: usize) -> Suggestion {
    Suggestion {
        name: name.to_owned(),
        target,
        distance,
    }
}

/// Levenshtein distance between `a` and `b`, counted in characters.
fn edit_distance(a: &[char], b: &str) -> usize {
    let mut previous: Vec<usize> = (0..=a.len()).collect();
    let mut current = vec![0; a.len() + 1];
    for (j, cb) in b.chars().enumerate() {
        current[0] = j + 1;
        for (i, &ca) in a.iter().enumerate() {
            let substitution = previous[i] + usize::from(ca != cb);
            current[i + 1] = substitution.min(previous[i + 1] + 1).min(current[i] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[a.len()]
}
