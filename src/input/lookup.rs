//! Lookups shared by the row parsers: customer ids, offer spellings resolved
//! through the catalog (cached per chunk), and users interned per chunk.

use std::hash::BuildHasher;
use std::sync::Arc;

use hashbrown::HashTable;
use rustc_hash::{FxBuildHasher, FxHashMap, FxHashSet};

use crate::catalog::{Catalog, OfferIdx};
use crate::csvio::{FieldProblem, shown};
use crate::model::{CustomerIdx, UserIdx, Users};

/// The customer ids of `customers.csv`, accepted or rejected, compared ASCII
/// case-insensitively.
#[derive(Debug, Default)]
pub struct CustomerIndex {
    slots: FoldedMap<CustomerSlot>,
}

#[derive(Debug, Clone, Copy)]
enum CustomerSlot {
    Accepted { idx: CustomerIdx, line: u64 },
    Rejected { line: u64 },
}

impl CustomerIndex {
    /// Room for `ids` ids of `bytes` bytes in all.
    pub fn with_capacity(ids: usize, bytes: usize) -> CustomerIndex {
        CustomerIndex {
            slots: FoldedMap::with_capacity(ids, bytes),
        }
    }

    /// Registers an accepted row's id; the duplicate problem if an accepted row has it already.
    pub fn accept(
        &mut self,
        column: &'static str,
        id: &str,
        line: u64,
        idx: CustomerIdx,
    ) -> Result<(), FieldProblem> {
        let accepted = CustomerSlot::Accepted { idx, line };
        match self.slots.get_or_insert(id, accepted) {
            Some(CustomerSlot::Accepted { line: first, .. }) => Err(duplicate(column, id, *first)),
            Some(slot) => {
                *slot = accepted;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Remembers the id of a rejected row, unless an accepted row holds it.
    pub fn reject(&mut self, id: &str, line: u64) {
        self.slots
            .get_or_insert(id, CustomerSlot::Rejected { line });
    }

    /// The accepted customer `id` refers to.
    pub fn resolve(&self, column: &'static str, id: &str) -> Result<CustomerIdx, FieldProblem> {
        match self.slots.get(id) {
            Some(CustomerSlot::Accepted { idx, .. }) => Ok(*idx),
            Some(CustomerSlot::Rejected { line }) => Err(FieldProblem::new(
                column,
                format!("customer {} was rejected (customers.csv:{line})", shown(id)),
            )),
            None => Err(FieldProblem::new(
                column,
                format!("unknown customer {} (not in customers.csv)", shown(id)),
            )),
        }
    }
}

/// The customer of the previous row. Exports list a customer's rows together, so
/// most rows find their customer here without a look-up in the index.
#[derive(Debug, Default)]
pub struct RecentCustomer {
    id: String,
    idx: Option<CustomerIdx>,
}

impl RecentCustomer {
    /// The accepted customer `id` refers to, and whether it differs from the
    /// previous row's (which an unresolved id does not change).
    pub fn resolve(
        &mut self,
        index: &CustomerIndex,
        column: &'static str,
        id: &str,
    ) -> Result<(CustomerIdx, bool), FieldProblem> {
        match self.idx {
            Some(idx) if self.id == id => Ok((idx, false)),
            _ => {
                let idx = index.resolve(column, id)?;
                self.id.clear();
                self.id.push_str(id);
                self.idx = Some(idx);
                Ok((idx, true))
            }
        }
    }
}

/// Keys compared ASCII case-insensitively (as the contract compares ids), each
/// with a value. The keys are stored back to back in one string, so that hundreds
/// of thousands of ids cost a handful of allocations.
#[derive(Debug)]
pub struct FoldedMap<V> {
    text: String,
    /// Where each key ends in `text`; it starts where the previous one ends.
    ends: Vec<u32>,
    values: Vec<V>,
    /// Indices into `ends` and `values`.
    table: HashTable<u32>,
}

impl<V> Default for FoldedMap<V> {
    fn default() -> FoldedMap<V> {
        FoldedMap {
            text: String::new(),
            ends: Vec::new(),
            values: Vec::new(),
            table: HashTable::new(),
        }
    }
}

impl<V> FoldedMap<V> {
    /// Room for `keys` keys of about `key_bytes` bytes in all.
    pub fn with_capacity(keys: usize, key_bytes: usize) -> FoldedMap<V> {
        FoldedMap {
            text: String::with_capacity(key_bytes),
            ends: Vec::with_capacity(keys),
            values: Vec::with_capacity(keys),
            table: HashTable::with_capacity(keys),
        }
    }

    fn key(&self, index: u32) -> &str {
        key_in(&self.text, &self.ends, index)
    }

    fn find(&self, key: &str) -> Option<usize> {
        self.table
            .find(folded_hash(key), |&i| self.key(i).eq_ignore_ascii_case(key))
            .map(|&i| i as usize)
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.find(key).map(|i| &self.values[i])
    }

    /// The value of `key` if it has one; otherwise `key` gets `value` and `None`
    /// is returned. The key is hashed once.
    pub fn get_or_insert(&mut self, key: &str, value: V) -> Option<&mut V> {
        let (text, ends) = (&self.text, &self.ends);
        let entry = self.table.entry(
            folded_hash(key),
            |&i| key_in(text, ends, i).eq_ignore_ascii_case(key),
            |&i| folded_hash(key_in(text, ends, i)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => {
                Some(&mut self.values[*found.get() as usize])
            }
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(self.values.len() as u32);
                self.text.push_str(key);
                self.ends.push(self.text.len() as u32);
                self.values.push(value);
                None
            }
        }
    }
}

/// Key `index` of a map's `text` and `ends`.
fn key_in<'t>(text: &'t str, ends: &[u32], index: u32) -> &'t str {
    let i = index as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] as usize };
    &text[start..ends[i] as usize]
}

/// A hash of the key's ASCII lower case, computed without allocating for keys of
/// up to 64 bytes (ids are shorter).
fn folded_hash(key: &str) -> u64 {
    let bytes = key.as_bytes();
    // Bytes beyond ASCII take the folding path too, which leaves them unchanged.
    if is_lower_ascii(bytes) {
        return FxBuildHasher.hash_one(bytes);
    }
    let mut folded = [0u8; 64];
    match folded.get_mut(..bytes.len()) {
        Some(folded) => {
            folded.copy_from_slice(bytes);
            folded.make_ascii_lowercase();
            FxBuildHasher.hash_one(&*folded)
        }
        None => FxBuildHasher.hash_one(key.to_ascii_lowercase().as_bytes()),
    }
}

/// The problem for a key that an earlier accepted row already holds.
pub fn duplicate(column: &'static str, value: &str, first_line: u64) -> FieldProblem {
    FieldProblem::new(
        column,
        format!("duplicate {} (first on line {first_line})", shown(value)),
    )
}

/// Values of a column resolved once per chunk, as written: exports repeat a few
/// distinct values (service lists, role lists) on every row, and resolving them
/// name by name was a large part of a row's cost. A value that does not resolve
/// is not remembered, so its problem is reported on every row that has it.
#[derive(Debug)]
pub struct Resolved<V> {
    values: FxHashMap<Box<str>, V>,
}

impl<V> Default for Resolved<V> {
    fn default() -> Resolved<V> {
        Resolved {
            values: FxHashMap::default(),
        }
    }
}

impl<V: Clone> Resolved<V> {
    /// What `value` resolves to, through `resolve` the first time.
    pub fn get_or_resolve<E>(
        &mut self,
        value: &str,
        resolve: impl FnOnce(&str) -> Result<V, E>,
    ) -> Result<V, E> {
        if let Some(known) = self.values.get(value) {
            return Ok(known.clone());
        }
        let resolved = resolve(value)?;
        self.values.insert(value.into(), resolved.clone());
        Ok(resolved)
    }
}

/// Resolves offer spellings through the catalog, remembering each distinct spelling.
#[derive(Debug, Default)]
pub struct OfferCache {
    cache: FxHashMap<Arc<str>, Option<OfferIdx>>,
}

impl OfferCache {
    pub fn resolve(&mut self, catalog: &Catalog, value: &str) -> Option<OfferIdx> {
        match self.cache.get(value) {
            Some(known) => *known,
            None => self.resolve_shared(catalog, value).1,
        }
    }

    /// The spelling, shared (exports repeat a few spellings on every row), and the
    /// offer it resolves to.
    pub fn resolve_shared(
        &mut self,
        catalog: &Catalog,
        value: &str,
    ) -> (Arc<str>, Option<OfferIdx>) {
        if let Some((spelling, known)) = self.cache.get_key_value(value) {
            return (Arc::clone(spelling), *known);
        }
        let spelling: Arc<str> = value.into();
        let resolved = catalog.resolve(value);
        self.cache.insert(Arc::clone(&spelling), resolved);
        (spelling, resolved)
    }
}

/// True when `bytes` are ASCII without capital letters: then they are their own
/// lower case. One branch-free pass that the compiler vectorises; names are short,
/// and a loop that stops early cost more than the rest of the interning.
fn is_lower_ascii(bytes: &[u8]) -> bool {
    let needs_folding = bytes.iter().fold(0u8, |found, &b| {
        found | b >> 7 | u8::from(b.wrapping_sub(b'A') < 26)
    });
    needs_folding == 0
}

/// User principal names, lower-cased and interned into a [`Users`] arena.
///
/// A license file lists a customer's rows together, so names are interned per
/// customer: the table starts empty for every customer and stays small. Should a
/// customer come back after another one, its names may have two indices, and the
/// arena is then not marked interned (users are compared by name).
#[derive(Debug, Default)]
pub struct UserInterner {
    pub users: Users,
    /// The current customer's names: their hash and index.
    index: HashTable<(u64, UserIdx)>,
    scratch: String,
    customers: FxHashSet<CustomerIdx>,
    customer_came_back: bool,
}

impl UserInterner {
    /// The rows that follow are `customer`'s.
    pub fn start_customer(&mut self, customer: CustomerIdx) {
        self.index.clear();
        if !self.customers.insert(customer) {
            self.customer_came_back = true;
        }
    }

    /// True when one name has one index within every customer.
    pub fn is_interned(&self) -> bool {
        !self.customer_came_back
    }

    pub fn intern(&mut self, upn: &str) -> UserIdx {
        let name: &str = if is_lower_ascii(upn.as_bytes()) {
            upn
        } else {
            self.scratch.clear();
            self.scratch
                .extend(upn.chars().flat_map(char::to_lowercase));
            &self.scratch
        };
        let hash = FxBuildHasher.hash_one(name);
        let users = &self.users;
        if let Some(&(_, idx)) = self
            .index
            .find(hash, |&(h, idx)| h == hash && users.name(idx).is(name))
        {
            return idx;
        }
        let idx = self.users.push(name);
        // The hash is kept: names are stored in two pieces, which hash differently.
        self.index.insert_unique(hash, (hash, idx), |&(h, _)| h);
        idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn lower_ascii_is_text_equal_to_its_lower_case(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let naive = bytes.is_ascii() && !bytes.iter().any(u8::is_ascii_uppercase);
            prop_assert_eq!(is_lower_ascii(&bytes), naive);
        }
    }

    #[test]
    fn a_value_resolves_once_and_a_failure_every_time() {
        let mut resolved = Resolved::default();
        let mut calls = 0;
        let mut resolve = |value: &str| {
            calls += 1;
            value.parse::<u32>().map_err(|_| format!("bad {value}"))
        };
        assert_eq!(resolved.get_or_resolve("7", &mut resolve), Ok(7));
        assert_eq!(resolved.get_or_resolve("7", &mut resolve), Ok(7));
        assert!(resolved.get_or_resolve("x", &mut resolve).is_err());
        assert!(resolved.get_or_resolve("x", &mut resolve).is_err());
        assert_eq!(calls, 3, "7 once, x each time");
    }

    #[test]
    fn the_previous_rows_customer_is_remembered_until_another_resolves() {
        let mut index = CustomerIndex::default();
        index.accept("customer_id", "a", 2, CustomerIdx(0)).unwrap();
        index.accept("customer_id", "b", 3, CustomerIdx(1)).unwrap();
        let mut recent = RecentCustomer::default();
        let mut resolve = |id: &str| recent.resolve(&index, "customer_id", id);
        assert_eq!(resolve("a").unwrap(), (CustomerIdx(0), true));
        assert_eq!(resolve("a").unwrap(), (CustomerIdx(0), false));
        assert!(resolve("zzz").is_err());
        assert_eq!(resolve("a").unwrap(), (CustomerIdx(0), false), "kept");
        assert_eq!(
            resolve("A").unwrap(),
            (CustomerIdx(0), true),
            "another spelling"
        );
        assert_eq!(resolve("b").unwrap(), (CustomerIdx(1), true));
    }

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
    fn folded_map_compares_ascii_case_insensitively() {
        let long = "X".repeat(100);
        let mut map = FoldedMap::default();
        for (i, key) in ["abc", "Straße", "", long.as_str()].into_iter().enumerate() {
            assert!(map.get(key).is_none());
            assert!(map.get_or_insert(key, i).is_none());
        }
        assert_eq!(
            map.get_or_insert("ABC", 7).copied(),
            Some(0),
            "kept, not replaced"
        );
        assert_eq!(map.get("ABC"), Some(&0));
        assert_eq!(map.get("aBc"), Some(&0));
        assert_eq!(map.get("STRAßE"), Some(&1), "ASCII letters fold");
        assert_eq!(map.get("STRASSE"), None, "non-ASCII letters do not");
        assert_eq!(map.get(""), Some(&2));
        assert_eq!(
            map.get(&long.to_lowercase()),
            Some(&3),
            "keys over 64 bytes"
        );
        if let Some(value) = map.get_or_insert("ABC", 8) {
            *value = 9;
        }
        assert_eq!(map.get("abc"), Some(&9));
        assert_eq!(map.get("ab"), None);
    }

    #[test]
    fn names_are_interned_per_customer_and_a_returning_customer_is_noticed() {
        let mut users = UserInterner::default();
        users.start_customer(CustomerIdx(0));
        let a = users.intern("a@x");
        assert_eq!(users.intern("A@X"), a);
        users.start_customer(CustomerIdx(1));
        assert_ne!(users.intern("a@x"), a, "interned per customer");
        assert!(users.is_interned());
        users.start_customer(CustomerIdx(0));
        assert!(!users.is_interned(), "customer 0 came back");
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
