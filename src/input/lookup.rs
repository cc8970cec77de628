//! Lookups shared by the row parsers: customer ids, offer spellings resolved
//! through the catalog (cached per chunk), and users interned per chunk.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap};

use super::error::FieldProblem;
use crate::catalog::{Catalog, OfferIdx};
use crate::model::{CustomerIdx, UserIdx, Users};

/// The customer ids of `customers.csv`, accepted or rejected, by lower-case id.
#[derive(Debug, Default)]
pub struct CustomerIndex {
    slots: FxHashMap<Box<str>, CustomerSlot>,
}

#[derive(Debug, Clone, Copy)]
enum CustomerSlot {
    Accepted { idx: CustomerIdx, line: u64 },
    Rejected { line: u64 },
}

impl CustomerIndex {
    /// Registers an accepted row's id; the duplicate problem if an accepted row has it already.
    pub fn accept(
        &mut self,
        column: &'static str,
        id: &str,
        line: u64,
        idx: CustomerIdx,
    ) -> Result<(), FieldProblem> {
        let key = id.to_ascii_lowercase().into_boxed_str();
        match self.slots.get(&key) {
            Some(CustomerSlot::Accepted { line: first, .. }) => Err(duplicate(column, id, *first)),
            _ => {
                self.slots.insert(key, CustomerSlot::Accepted { idx, line });
                Ok(())
            }
        }
    }

    /// Remembers the id of a rejected row, unless an accepted row holds it.
    pub fn reject(&mut self, id: &str, line: u64) {
        self.slots
            .entry(id.to_ascii_lowercase().into_boxed_str())
            .or_insert(CustomerSlot::Rejected { line });
    }

    /// The accepted customer `id` refers to.
    pub fn resolve(&self, column: &'static str, id: &str) -> Result<CustomerIdx, FieldProblem> {
        let slot = if id.bytes().any(|b| b.is_ascii_uppercase()) {
            self.slots.get(id.to_ascii_lowercase().as_str())
        } else {
            self.slots.get(id)
        };
        match slot {
            Some(CustomerSlot::Accepted { idx, .. }) => Ok(*idx),
            Some(CustomerSlot::Rejected { line }) => Err(FieldProblem::new(
                column,
                format!("customer \"{id}\" was rejected (customers.csv:{line})"),
            )),
            None => Err(FieldProblem::new(
                column,
                format!("unknown customer \"{id}\" (not in customers.csv)"),
            )),
        }
    }
}

/// The problem for a key that an earlier accepted row already holds.
pub fn duplicate(column: &'static str, value: &str, first_line: u64) -> FieldProblem {
    FieldProblem::new(
        column,
        format!("duplicate \"{value}\" (first on line {first_line})"),
    )
}

/// Resolves offer spellings through the catalog, remembering each distinct spelling.
#[derive(Debug, Default)]
pub struct OfferCache {
    cache: FxHashMap<Box<str>, Option<OfferIdx>>,
}

impl OfferCache {
    pub fn resolve(&mut self, catalog: &Catalog, value: &str) -> Option<OfferIdx> {
        if let Some(known) = self.cache.get(value) {
            return *known;
        }
        let resolved = catalog.resolve(value);
        self.cache.insert(value.into(), resolved);
        resolved
    }
}

/// User principal names, lower-cased and interned into a [`Users`] arena.
#[derive(Debug, Default)]
pub struct UserInterner {
    pub users: Users,
    index: HashTable<UserIdx>,
    scratch: String,
}

impl UserInterner {
    pub fn intern(&mut self, upn: &str) -> UserIdx {
        let name: &str = if upn.is_ascii() && !upn.bytes().any(|b| b.is_ascii_uppercase()) {
            upn
        } else {
            self.scratch.clear();
            self.scratch
                .extend(upn.chars().flat_map(char::to_lowercase));
            &self.scratch
        };
        if self.index.capacity() == 0 {
            // A 4 MiB chunk of license rows holds tens of thousands of users.
            self.index.reserve(1 << 15, |_| 0);
        }
        let hash = FxBuildHasher.hash_one(name);
        let users = &self.users;
        if let Some(&idx) = self.index.find(hash, |&idx| users.name(idx) == name) {
            return idx;
        }
        let idx = self.users.push(name);
        let users = &self.users;
        self.index
            .insert_unique(hash, idx, |&idx| FxBuildHasher.hash_one(users.name(idx)));
        idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_ids_compare_case_insensitively() {
        let mut index = CustomerIndex::default();
        index
            .accept("customer_id", "AbC", 2, CustomerIdx(0))
            .unwrap();
        index.reject("bad", 3);
        assert_eq!(index.resolve("customer_id", "abc").unwrap(), CustomerIdx(0));
        let dup = index
            .accept("customer_id", "ABC", 9, CustomerIdx(1))
            .unwrap_err();
        assert_eq!(
            dup.to_string(),
            "customer_id: duplicate \"ABC\" (first on line 2)"
        );
        assert_eq!(
            index.resolve("customer_id", "BAD").unwrap_err().to_string(),
            "customer_id: customer \"BAD\" was rejected (customers.csv:3)"
        );
        assert_eq!(
            index.resolve("customer_id", "zzz").unwrap_err().to_string(),
            "customer_id: unknown customer \"zzz\" (not in customers.csv)"
        );
    }

    #[test]
    fn a_rejected_row_does_not_shadow_an_accepted_one() {
        let mut index = CustomerIndex::default();
        index.reject("c1", 2);
        index
            .accept("customer_id", "c1", 3, CustomerIdx(0))
            .unwrap();
        index.reject("C1", 4);
        assert_eq!(index.resolve("customer_id", "c1").unwrap(), CustomerIdx(0));
    }

    #[test]
    fn users_are_lower_cased_and_interned() {
        let mut users = UserInterner::default();
        let a = users.intern("Jörg.Müller@Example.DE");
        let b = users.intern("jörg.müller@example.de");
        let c = users.intern("other@example.de");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(users.users.name(a), "jörg.müller@example.de");
    }
}
