//! Rows of `license_assignments.csv`, the largest file: parsed per chunk with
//! chunk-local user names and unknown offer spellings, merged afterwards.

use rustc_hash::FxHashMap;

use super::fields::{required, services};
use super::lookup::{CustomerIndex, OfferCache, RecentCustomer, Resolved, UserInterner};
use crate::catalog::{Catalog, ServiceSet};
use crate::csvio::{ColumnSpec, Row, RowParser, RowProblems};
use crate::model::{Coverage, CustomerRuns, DisabledIdx, License, LicenseOffer};

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec::required("customer_id"),
    ColumnSpec::required("user_principal_name"),
    ColumnSpec::required("offer"),
    ColumnSpec::optional("disabled_services"),
];
const CUSTOMER_ID: usize = 0;
const USER: usize = 1;
pub const OFFER: usize = 2;
const DISABLED: usize = 3;

pub struct LicenseParser<'a> {
    pub catalog: &'a Catalog,
    pub customers: &'a CustomerIndex,
}

/// What one chunk interned: its users and its unknown offer spellings, which the
/// chunk's licenses index.
#[derive(Debug, Default)]
pub struct LicenseChunk {
    pub users: UserInterner,
    pub offers: OfferCache,
    pub unknown_spellings: Vec<Box<str>>,
    unknown_index: FxHashMap<Box<str>, u32>,
    customer: RecentCustomer,
    /// `disabled_services` values read so far (a few hundred distinct lists), with
    /// their set's index in `disabled_sets`.
    disabled: Resolved<DisabledIdx>,
    /// The chunk's distinct disabled sets; `License::disabled` indexes this until
    /// the chunks are joined. The first is the empty set.
    pub disabled_sets: Vec<ServiceSet>,
    /// The customers of the chunk's accepted rows.
    pub customers: CustomerRuns,
}

impl RowParser for LicenseParser<'_> {
    type Item = License;
    type Local = LicenseChunk;

    fn parse(
        &self,
        row: &Row<'_>,
        problems: &mut RowProblems,
        chunk: &mut LicenseChunk,
    ) -> Option<License> {
        let name = |spec: usize| COLUMNS[spec].name;
        let text = |spec: usize| row.get(spec, COLUMNS).and_then(|v| required(name(spec), v));
        let customer = problems.take(text(CUSTOMER_ID).and_then(|id| {
            let (idx, changed) = chunk
                .customer
                .resolve(self.customers, name(CUSTOMER_ID), id)?;
            if changed {
                chunk.users.start_customer(idx);
            }
            Ok(idx)
        }));
        let user = problems.take(text(USER));
        let offer = problems.take(text(OFFER));
        let disabled = problems.take(row.get(DISABLED, COLUMNS).and_then(|v| {
            if v.is_empty() {
                return Ok(DisabledIdx::NONE);
            }
            let sets = &mut chunk.disabled_sets;
            chunk.disabled.get_or_resolve(v, |v| {
                let parsed = match services(name(DISABLED), v, self.catalog.vocabulary(), false)? {
                    Coverage::Services(set) => set,
                    Coverage::All => ServiceSet::EMPTY,
                };
                Ok(disabled_set(sets, parsed))
            })
        }));
        let (customer, user, offer_text, disabled) = (customer?, user?, offer?, disabled?);
        if !problems.is_empty() {
            return None;
        }
        let offer = match chunk.offers.resolve(self.catalog, offer_text) {
            Some(known) => LicenseOffer::known(known),
            None => LicenseOffer::unknown(chunk.unknown_spelling(offer_text)),
        };
        // A row given back is accepted (its problems are none), so it is counted in
        // its customer's run.
        chunk.customers.note(customer, 1);
        Some(License {
            user: chunk.users.intern(user),
            offer,
            line: u32::try_from(row.line).unwrap_or(u32::MAX),
            disabled,
        })
    }
}

impl LicenseChunk {
    pub(super) fn unknown_spelling(&mut self, spelling: &str) -> u32 {
        if let Some(&index) = self.unknown_index.get(spelling) {
            return index;
        }
        let index = self.unknown_spellings.len() as u32;
        self.unknown_spellings.push(spelling.into());
        self.unknown_index.insert(spelling.into(), index);
        index
    }
}

/// The index of `set` in a chunk's table of disabled sets (`sets`), added if new;
/// the first set is the empty one.
fn disabled_set(sets: &mut Vec<ServiceSet>, set: ServiceSet) -> DisabledIdx {
    if sets.is_empty() {
        sets.push(ServiceSet::EMPTY);
    }
    match sets.iter().position(|known| *known == set) {
        Some(found) => DisabledIdx(found as u32),
        None => {
            sets.push(set);
            DisabledIdx((sets.len() - 1) as u32)
        }
    }
}
