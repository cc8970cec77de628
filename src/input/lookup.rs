//! Lookups shared by the row parsers: customer ids seen so far, offer names
//! resolved through the catalog (cached per distinct spelling), interned users.

use std::collections::HashMap;

use super::error::FieldProblem;
use crate::catalog::{Catalog, OfferIdx};
use crate::model::{CustomerIdx, UserIdx};

/// The customer ids of `customers.csv`, accepted or rejected, by lower-case id.
#[derive(Debug, Default)]
pub struct CustomerIndex {
    slots: HashMap<Box<str>, CustomerSlot>,
    scratch: String,
}

#[derive(Debug, Clone, Copy)]
struct CustomerSlot {
    first_line: u64,
    accepted: Option<CustomerIdx>,
}

impl CustomerIndex {
    /// Registers the id of the row at `line`; the problem if an earlier row has it.
    pub fn register(
        &mut self,
        column: &'static str,
        id: &str,
        line: u64,
        accepted: Option<CustomerIdx>,
    ) -> Result<(), FieldProblem> {
        let key = id.to_ascii_lowercase().into_boxed_str();
        if let Some(slot) = self.slots.get(&key) {
            return Err(duplicate(column, id, slot.first_line));
        }
        self.slots.insert(
            key,
            CustomerSlot {
                first_line: line,
                accepted,
            },
        );
        Ok(())
    }

    /// The accepted customer `id` refers to.
    pub fn resolve(&mut self, column: &'static str, id: &str) -> Result<CustomerIdx, FieldProblem> {
        match self.slot(id) {
            Some(CustomerSlot {
                accepted: Some(idx),
                ..
            }) => Ok(idx),
            Some(CustomerSlot {
                first_line,
                accepted: None,
            }) => Err(FieldProblem::new(
                column,
                format!("customer \"{id}\" was rejected (customers.csv:{first_line})"),
            )),
            None => Err(FieldProblem::new(
                column,
                format!("unknown customer \"{id}\" (not in customers.csv)"),
            )),
        }
    }

    fn slot(&mut self, id: &str) -> Option<CustomerSlot> {
        self.scratch.clear();
        self.scratch.push_str(id);
        self.scratch.make_ascii_lowercase();
        self.slots.get(self.scratch.as_str()).copied()
    }
}

/// The problem for a key that an earlier row already used.
pub fn duplicate(column: &'static str, value: &str, first_line: u64) -> FieldProblem {
    FieldProblem::new(
        column,
        format!("duplicate \"{value}\" (first on line {first_line})"),
    )
}

/// Resolves offer spellings through the catalog, remembering each distinct spelling.
#[derive(Debug, Default)]
pub struct OfferResolver {
    cache: HashMap<Box<str>, Option<OfferIdx>>,
}

impl OfferResolver {
    pub fn resolve(&mut self, catalog: &Catalog, value: &str) -> Option<OfferIdx> {
        if let Some(known) = self.cache.get(value) {
            return *known;
        }
        let resolved = catalog.resolve(value);
        self.cache.insert(value.into(), resolved);
        resolved
    }
}

/// User principal names, lower-cased and interned.
#[derive(Debug, Default)]
pub struct UserInterner {
    ids: HashMap<Box<str>, UserIdx>,
    names: Vec<Box<str>>,
    scratch: String,
}

impl UserInterner {
    pub fn intern(&mut self, upn: &str) -> UserIdx {
        self.scratch.clear();
        self.scratch
            .extend(upn.chars().flat_map(char::to_lowercase));
        if let Some(&idx) = self.ids.get(self.scratch.as_str()) {
            return idx;
        }
        let idx = UserIdx(self.names.len() as u32);
        let name: Box<str> = self.scratch.as_str().into();
        self.names.push(name.clone());
        self.ids.insert(name, idx);
        idx
    }

    pub fn into_names(self) -> Vec<Box<str>> {
        self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_ids_compare_case_insensitively() {
        let mut index = CustomerIndex::default();
        index
            .register("customer_id", "AbC", 2, Some(CustomerIdx(0)))
            .unwrap();
        index.register("customer_id", "bad", 3, None).unwrap();
        assert_eq!(index.resolve("customer_id", "abc").unwrap(), CustomerIdx(0));
        let dup = index
            .register("customer_id", "ABC", 9, Some(CustomerIdx(1)))
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
    fn users_are_lower_cased_and_interned() {
        let mut users = UserInterner::default();
        let a = users.intern("Jörg.Müller@Example.DE");
        let b = users.intern("jörg.müller@example.de");
        assert_eq!(a, b);
        assert_eq!(&*users.into_names()[0], "jörg.müller@example.de");
    }
}
